/* emit_rules.c: the EventBridge side of each trigger, as AWS API requests.
 *
 * A rule trigger gives the PutRule and PutTargets requests (what
 * `aws events put-rule --cli-input-json file://...` accepts); a schedule gives the
 * EventBridge Scheduler CreateSchedule request. Schedules use Scheduler rather than
 * scheduled rules because AWS calls the latter legacy, and only Scheduler has time
 * zones, one-time at() schedules and flexible windows.
 */
#include "sfc.h"

#include <jansson.h>
#include <string.h>

/* <Workflow>-events / <Workflow>-scheduler, cut so the name fits IAM's 64. */
const char *starter_role_name(struct compilation *c, const struct workflow *w, bool scheduler) {
  const char *suffix = scheduler ? "-scheduler" : "-events";
  int room = 64 - (int)strlen(suffix);
  return arena_printf(&c->arena, "%.*s%s", room, w->name.text, suffix);
}

const char *starter_role_arn(struct compilation *c, const struct workflow *w, bool scheduler) {
  const char *a = c->account ? c->account : "${account}";
  if (!c->account) c->placeholder_arns = true;
  return arena_printf(&c->arena, "arn:%s:iam::%s:role/%s", c->partition, a,
                      starter_role_name(c, w, scheduler));
}

static char *compact(const json_t *j) {
  struct buf b = {0};
  json_write_compact(&b, j);
  return b.data; /* the caller frees */
}

static json_t *compact_string(const json_t *j) {
  char *text = compact(j);
  json_t *s = json_string(text ? text : "");
  free(text);
  return s;
}

/* The input transformer: every event path becomes a variable named after its last
   field (made unique), written unquoted in the template so any JSON type fits. */
struct transformer {
  json_t *paths;   /* InputPathsMap */
  struct buf text; /* InputTemplate */
};

static const char *variable_for(struct compilation *c, struct transformer *t, const char *path) {
  const char *key;
  json_t *existing;
  json_object_foreach(t->paths, key, existing)
    if (!strcmp(json_string_value(existing), path)) return key;
  const char *last = strrchr(path, '.');
  last = last ? last + 1 : "event";
  struct buf base = {0};
  for (const char *p = last; *p; p++)
    buf_addc(&base, (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                            *p == '_' || *p == '-' ? *p : '_');
  if (!base.len || !strncmp(base.data, "AWS", 3) || !strncmp(base.data, "aws", 3)) {
    buf_free(&base);
    buf_adds(&base, "field");
  }
  const char *name = arena_strdup(&c->arena, base.data);
  for (int n = 2; json_object_get(t->paths, name); n++) name = arena_printf(&c->arena, "%s%d", base.data, n);
  buf_free(&base);
  json_object_set_new(t->paths, name, json_string(path));
  return name;
}

static void template_text(struct compilation *c, struct transformer *t, const struct value *v) {
  switch (v->kind) {
  case V_PATH: buf_printf(&t->text, "<%s>", variable_for(c, t, v->text)); return;
  case V_OBJECT:
    buf_addc(&t->text, '{');
    for (const struct member *m = v->members; m; m = m->next) {
      json_t *key = json_string(m->key);
      char *k = compact(key);
      json_decref(key);
      buf_printf(&t->text, "%s%s:", m == v->members ? "" : ",", k);
      free(k);
      template_text(c, t, m->value);
    }
    buf_addc(&t->text, '}');
    return;
  case V_ARRAY:
    buf_addc(&t->text, '[');
    for (const struct value *i = v->items; i; i = i->next) {
      if (i != v->items) buf_addc(&t->text, ',');
      template_text(c, t, i);
    }
    buf_addc(&t->text, ']');
    return;
  default: {
    json_t *j = plain_json(v);
    char *text = compact(j);
    json_decref(j);
    buf_adds(&t->text, text ? text : "null");
    free(text);
  }
  }
}

static void target_input(struct compilation *c, const struct trigger *tr, json_t *target) {
  const struct trigger_option *o;
  if ((o = tr->opt[TRIG_FROM])) {
    json_object_set_new(target, "InputPath", json_string(o->value->text));
  } else if ((o = tr->opt[TRIG_WITH]) && tr->transformer) {
    struct transformer t = {json_object(), {0}};
    template_text(c, &t, o->value);
    json_t *x = json_object();
    json_object_set_new(x, "InputPathsMap", t.paths);
    json_object_set_new(x, "InputTemplate", json_string(t.text.data));
    buf_free(&t.text);
    json_object_set_new(target, "InputTransformer", x);
  } else if (o) {
    json_t *j = plain_json(o->value);
    json_object_set_new(target, "Input", compact_string(j));
    json_decref(j);
  }
}

static json_t *retry_policy(const struct trigger *tr) {
  const struct trigger_option *o = tr->opt[TRIG_RETRY];
  if (!o) return NULL;
  json_t *r = json_object();
  if (o->attempts >= 0) json_object_set_new(r, "MaximumRetryAttempts", json_integer(o->attempts));
  if (o->has_max_age) json_object_set_new(r, "MaximumEventAgeInSeconds", json_integer(o->max_age));
  return r;
}

static json_t *dead_letter(const struct trigger *tr) {
  if (!tr->dead_letter) return NULL;
  json_t *d = json_object();
  json_object_set_new(d, "Arn", json_string(tr->dead_letter->arn));
  return d;
}

static const char *bus_of(const struct trigger *tr) {
  if (tr->bus) return tr->bus->value->text;
  if (tr->bus_name) return tr->bus_name;
  return "default";
}

static void set_optional(json_t *o, const char *key, json_t *value) {
  if (value) json_object_set_new(o, key, value);
}

static void emit_rule(struct compilation *c, struct workflow *w, const struct trigger *tr,
                      struct outputs *out) {
  json_t *rule = json_object();
  json_object_set_new(rule, "Name", json_string(tr->name));
  json_t *pattern = pattern_json(tr->pattern);
  json_object_set_new(rule, "EventPattern", compact_string(pattern));
  json_decref(pattern);
  json_object_set_new(rule, "State", json_string(tr->opt[TRIG_DISABLED] ? "DISABLED" : "ENABLED"));
  if (tr->opt[TRIG_DESCRIPTION])
    json_object_set_new(rule, "Description", json_string(tr->opt[TRIG_DESCRIPTION]->text->text));
  json_object_set_new(rule, "EventBusName", json_string(bus_of(tr)));
  outputs_add(out, arena_printf(&c->arena, "%s.rule.json", tr->name), rule);

  json_t *target = json_object();
  json_object_set_new(target, "Id", json_string(arena_printf(&c->arena, "start-%.50s", w->name.text)));
  json_object_set_new(target, "Arn", json_string(state_machine_arn(c, w->name.text)));
  json_object_set_new(target, "RoleArn", json_string(starter_role_arn(c, w, false)));
  target_input(c, tr, target);
  set_optional(target, "RetryPolicy", retry_policy(tr));
  set_optional(target, "DeadLetterConfig", dead_letter(tr));
  json_t *targets = json_array();
  json_array_append_new(targets, target);
  json_t *request = json_object();
  json_object_set_new(request, "Rule", json_string(tr->name));
  json_object_set_new(request, "EventBusName", json_string(bus_of(tr)));
  json_object_set_new(request, "Targets", targets);
  outputs_add(out, arena_printf(&c->arena, "%s.targets.json", tr->name), request);
}

static void emit_schedule(struct compilation *c, struct workflow *w, const struct trigger *tr,
                          struct outputs *out) {
  json_t *s = json_object();
  json_object_set_new(s, "Name", json_string(tr->name));
  json_object_set_new(s, "ScheduleExpression", json_string(tr->expr->string->text));
  if (tr->opt[TRIG_TIMEZONE])
    json_object_set_new(s, "ScheduleExpressionTimezone", json_string(tr->opt[TRIG_TIMEZONE]->text->text));
  json_t *window = json_object();
  if (tr->opt[TRIG_WINDOW]) {
    json_object_set_new(window, "Mode", json_string("FLEXIBLE"));
    json_object_set_new(window, "MaximumWindowInMinutes", json_integer(tr->opt[TRIG_WINDOW]->seconds / 60));
  } else {
    json_object_set_new(window, "Mode", json_string("OFF"));
  }
  json_object_set_new(s, "FlexibleTimeWindow", window);
  json_object_set_new(s, "State", json_string(tr->opt[TRIG_DISABLED] ? "DISABLED" : "ENABLED"));
  if (tr->opt[TRIG_DESCRIPTION])
    json_object_set_new(s, "Description", json_string(tr->opt[TRIG_DESCRIPTION]->text->text));
  json_t *target = json_object();
  json_object_set_new(target, "Arn", json_string(state_machine_arn(c, w->name.text)));
  json_object_set_new(target, "RoleArn", json_string(starter_role_arn(c, w, true)));
  if (tr->opt[TRIG_WITH]) {
    json_t *j = plain_json(tr->opt[TRIG_WITH]->value);
    json_object_set_new(target, "Input", compact_string(j));
    json_decref(j);
  }
  set_optional(target, "RetryPolicy", retry_policy(tr));
  set_optional(target, "DeadLetterConfig", dead_letter(tr));
  json_object_set_new(s, "Target", target);
  outputs_add(out, arena_printf(&c->arena, "%s.schedule.json", tr->name), s);
}

void emit_rules(struct compilation *c, struct workflow *w, struct outputs *out) {
  for (const struct trigger *tr = w->triggers; tr; tr = tr->next) {
    if (tr->scheduler) emit_schedule(c, w, tr, out);
    else emit_rule(c, w, tr, out);
  }
}
