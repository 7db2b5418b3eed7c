/* emit_rules.c: the EventBridge side of each trigger, as AWS API requests.
 *
 * A rule trigger gives the PutRule and PutTargets requests (what
 * `aws events put-rule --cli-input-json file://...` accepts); a schedule gives the
 * EventBridge Scheduler CreateSchedule request. Schedules use Scheduler rather than
 * scheduled rules because AWS calls the latter legacy, and only Scheduler has time
 * zones, one-time at() schedules and flexible windows.
 *
 * A printer: it reads only the model (struct model_trigger), where lowering
 * (lower_triggers.c) has decided and checked every value.
 */
#include "sfc.h"

#include <jansson.h>

static void set_string(json_t *o, const char *key, const char *value) {
  if (value) json_object_set_new(o, key, json_string(value));
}

static json_t *target_common(const struct model_trigger *t) {
  json_t *target = json_object();
  set_string(target, "Id", t->target_id);
  set_string(target, "Arn", t->target_arn);
  set_string(target, "RoleArn", t->role_arn);
  set_string(target, "InputPath", t->input_path);
  if (t->input_template) {
    json_t *paths = json_object();
    for (int i = 0; i < t->ninput_vars; i++)
      json_object_set_new(paths, t->input_vars[i].name, json_string(t->input_vars[i].path));
    json_t *x = json_object();
    json_object_set_new(x, "InputPathsMap", paths);
    json_object_set_new(x, "InputTemplate", json_string(t->input_template));
    json_object_set_new(target, "InputTransformer", x);
  }
  set_string(target, "Input", t->input);
  if (t->has_retry) {
    json_t *r = json_object();
    if (t->retry_attempts >= 0) json_object_set_new(r, "MaximumRetryAttempts", json_integer(t->retry_attempts));
    if (t->retry_max_age >= 0) json_object_set_new(r, "MaximumEventAgeInSeconds", json_integer(t->retry_max_age));
    json_object_set_new(target, "RetryPolicy", r);
  }
  if (t->dead_letter_arn) {
    json_t *d = json_object();
    json_object_set_new(d, "Arn", json_string(t->dead_letter_arn));
    json_object_set_new(target, "DeadLetterConfig", d);
  }
  return target;
}

static void emit_rule(const struct model_trigger *t, struct outputs *out) {
  json_t *rule = json_object();
  set_string(rule, "Name", t->name);
  json_t *pattern = jn_to_json(t->pattern);
  struct buf text = {0};
  json_write_compact(&text, pattern);
  json_decref(pattern);
  json_object_set_new(rule, "EventPattern", json_string(text.data ? text.data : ""));
  buf_free(&text);
  set_string(rule, "State", t->enabled ? "ENABLED" : "DISABLED");
  set_string(rule, "Description", t->description);
  set_string(rule, "EventBusName", t->bus);
  outputs_add(out, t->file, rule);

  json_t *targets = json_array(); /* one target per rule */
  json_array_append_new(targets, target_common(t));
  json_t *request = json_object();
  set_string(request, "Rule", t->name);
  set_string(request, "EventBusName", t->bus);
  json_object_set_new(request, "Targets", targets);
  outputs_add(out, t->targets_file, request);
}

static void emit_schedule(const struct model_trigger *t, struct outputs *out) {
  json_t *s = json_object();
  set_string(s, "Name", t->name);
  set_string(s, "ScheduleExpression", t->expression);
  set_string(s, "ScheduleExpressionTimezone", t->timezone);
  json_t *window = json_object();
  set_string(window, "Mode", t->window_minutes ? "FLEXIBLE" : "OFF");
  if (t->window_minutes) json_object_set_new(window, "MaximumWindowInMinutes", json_integer(t->window_minutes));
  json_object_set_new(s, "FlexibleTimeWindow", window);
  set_string(s, "State", t->enabled ? "ENABLED" : "DISABLED");
  set_string(s, "Description", t->description);
  json_object_set_new(s, "Target", target_common(t));
  outputs_add(out, t->file, s);
}

void emit_rules(const struct model_workflow *w, struct outputs *out) {
  for (int i = 0; i < w->ntriggers; i++) {
    if (w->triggers[i].kind == MODEL_SCHEDULE) emit_schedule(&w->triggers[i], out);
    else emit_rule(&w->triggers[i], out);
  }
}
