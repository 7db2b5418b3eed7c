/* lower_triggers.c: each checked trigger becomes a struct model_trigger (model.h).
 *
 * Everything a rule or schedule request holds is decided here: names, the bus, the
 * pattern, ARNs, the target's input (Input, InputPath or an input transformer), retry
 * policy and dead-letter queue. Then every AWS limit on those values is checked, once,
 * against what will be sent, and reported at the .sf text it came from; emit_rules.c
 * only prints. It is apart from triggers.c, which checks the trigger tree and builds
 * patterns during checking, as lower.c is apart from check.c.
 *
 * sfc gives each rule one target, so the limit of 5 targets per rule (and 10 per
 * PutTargets request) cannot be reached.
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
  return arena_printf(&c->arena, "arn:%s:iam::%s:role/%s%s", c->partition, a, c->name_prefix,
                      starter_role_name(c, w, scheduler));
}

/* ------------------------------------------------------------ limits */

/* AWS limits on rules, targets and schedules (grammar/LIMITS.md, "EventBridge rules
   and targets" and "EventBridge Scheduler"). Lengths are in characters: code points.
   InputPathsMap keys are made from the paths' last names, so a key is never longer
   than its path. */
enum limit {
  LIM_DESCRIPTION, LIM_EXPRESSION, LIM_TIMEZONE, LIM_WINDOW, LIM_ATTEMPTS, LIM_MAX_AGE,
  LIM_INPUT, LIM_INPUT_PATH, LIM_TEMPLATE, LIM_PATHS, LIM_PATH, LIM_PATTERN, LIM_PATTERN_QUOTA
};
static const struct {
  const char *what;  /* the subject of the message */
  const char *field; /* as the API names it */
  long long min, max;
  const char *unit;
} limits[] = {
    [LIM_DESCRIPTION] = {"a description", "Description", 0, 512, "characters"},
    [LIM_EXPRESSION] = {"a schedule expression", "ScheduleExpression", 1, 256, "characters"},
    [LIM_TIMEZONE] = {"a time zone", "ScheduleExpressionTimezone", 1, 50, "characters"},
    [LIM_WINDOW] = {"a flexible window", "MaximumWindowInMinutes", 1, 1440, "minutes"},
    [LIM_ATTEMPTS] = {"the number of retry attempts", "MaximumRetryAttempts", 0, 185, ""},
    [LIM_MAX_AGE] = {"the maximum event age", "MaximumEventAgeInSeconds", 60, 86400, "seconds"},
    [LIM_INPUT] = {"the target's input", "Input", 0, TARGET_INPUT_MAX, "characters"},
    [LIM_INPUT_PATH] = {"an input path", "InputPath", 0, TARGET_PATH_MAX, "characters"},
    [LIM_TEMPLATE] = {"the input template", "InputTemplate", 1, TARGET_TEMPLATE_MAX, "characters"},
    [LIM_PATHS] = {"the number of event fields an input transformer reads", "InputPathsMap", 0, TARGET_VARS_MAX, ""},
    [LIM_PATH] = {"an event path an input transformer reads", "InputPathsMap", 0, TARGET_PATH_MAX, "characters"},
    [LIM_PATTERN] = {"an event pattern", "EventPattern", 0, 4096, "characters"},
    /* the default quota (Service Quotas L-664C5505), adjustable up to LIM_PATTERN */
    [LIM_PATTERN_QUOTA] = {"an event pattern", "EventPattern", 0, 2048, "characters"},
};

/* Reports N at AT unless it is within limit K. */
static void check_limit(struct compilation *c, enum limit k, long long n, struct loc at) {
  if (n >= limits[k].min && n <= limits[k].max) return;
  const char *space = *limits[k].unit ? " " : "";
  if (limits[k].min == 0 && n > limits[k].max)
    diag_error(&c->diag, at, "%s is at most %lld%s%s (%s), not %lld", limits[k].what, limits[k].max,
               space, limits[k].unit, limits[k].field, n);
  else
    diag_error(&c->diag, at, "%s is %lld to %lld%s%s (%s), not %lld", limits[k].what, limits[k].min,
               limits[k].max, space, limits[k].unit, limits[k].field, n);
}

static long long chars(const char *s) { return (long long)utf8_count(s, strlen(s)); }

/* ------------------------------------------------------------ input */

static char *compact(const json_t *j) {
  struct buf b = {0};
  json_write_compact(&b, j);
  return b.data; /* the caller frees */
}

/* A constant value as compact JSON text, in the arena. */
static const char *constant_text(struct compilation *c, const struct value *v) {
  json_t *j = jn_to_json(plain_value(&c->arena, v));
  char *text = compact(j);
  json_decref(j);
  const char *s = arena_strdup(&c->arena, text ? text : "null");
  free(text);
  return s;
}

/* The input transformer: every event path becomes a variable named after its last
   field (made unique), written unquoted in the template so any JSON type fits. */
struct transformer {
  struct model_input_var *vars; /* InputPathsMap, malloc'd while it grows */
  int n, cap;
  struct buf text;              /* InputTemplate */
};

static bool has_variable(const struct transformer *t, const char *name) {
  for (int i = 0; i < t->n; i++)
    if (!strcmp(t->vars[i].name, name)) return true;
  return false;
}

static const char *variable_for(struct compilation *c, struct transformer *t, const char *path,
                                struct loc at) {
  for (int i = 0; i < t->n; i++)
    if (!strcmp(t->vars[i].path, path)) return t->vars[i].name;
  check_limit(c, LIM_PATH, chars(path), at);
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
  for (int n = 2; has_variable(t, name); n++) name = arena_printf(&c->arena, "%s%d", base.data, n);
  buf_free(&base);
  if (t->n == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 8;
    t->vars = xrealloc(t->vars, (size_t)t->cap * sizeof *t->vars);
  }
  t->vars[t->n++] = (struct model_input_var){name, path};
  return name;
}

static void template_text(struct compilation *c, struct transformer *t, const struct value *v) {
  switch (v->kind) {
  case V_PATH: buf_printf(&t->text, "<%s>", variable_for(c, t, v->text, v->loc)); return;
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
  default: buf_adds(&t->text, constant_text(c, v));
  }
}

/* Input, InputPath or InputTransformer. */
static void target_input(struct compilation *c, const struct trigger *tr, struct model_trigger *m) {
  const struct trigger_option *o;
  if ((o = tr->opt[TRIG_FROM])) {
    m->input_path = o->value->text;
    check_limit(c, LIM_INPUT_PATH, chars(m->input_path), o->value->loc);
  } else if ((o = tr->opt[TRIG_WITH]) && tr->transformer) {
    struct transformer t = {0};
    template_text(c, &t, o->value);
    m->input_vars = arena_alloc(&c->arena, (size_t)(t.n ? t.n : 1) * sizeof *m->input_vars);
    memcpy(m->input_vars, t.vars, (size_t)t.n * sizeof *t.vars);
    m->ninput_vars = t.n;
    m->input_template = arena_strdup(&c->arena, t.text.data);
    free(t.vars);
    buf_free(&t.text);
    check_limit(c, LIM_PATHS, m->ninput_vars, o->value->loc);
    check_limit(c, LIM_TEMPLATE, chars(m->input_template), o->value->loc);
  } else if (o) {
    m->input = constant_text(c, o->value);
    if (m->kind == MODEL_RULE) check_limit(c, LIM_INPUT, chars(m->input), o->value->loc); /* Scheduler sets none */
  }
}

/* ------------------------------------------------------------ triggers */

/* EventPattern goes as compact text: its size is that text's. */
static void check_pattern_size(struct compilation *c, const struct jnode *pattern) {
  json_t *j = jn_to_json(pattern);
  char *text = compact(j);
  json_decref(j);
  long long n = text ? chars(text) : 0;
  free(text);
  struct loc at = jn_loc(pattern);
  if (n > limits[LIM_PATTERN].max) check_limit(c, LIM_PATTERN, n, at);
  else if (n > limits[LIM_PATTERN_QUOTA].max)
    diag_warning(&c->diag, W_PATTERN_QUOTA, at, "the event pattern is %lld characters: above EventBridge's default "
                 "quota of %lld, so the account needs a quota increase (Service Quotas L-664C5505, "
                 "at most %lld)", n, limits[LIM_PATTERN_QUOTA].max, limits[LIM_PATTERN].max);
}

static const char *bus_of(const struct trigger *tr) {
  if (tr->bus) return tr->bus->value->text;
  if (tr->bus_name) return tr->bus_name;
  return "default";
}

static void lower_trigger(struct compilation *c, struct workflow *w, const struct model_workflow *mw,
                          const struct trigger *tr, struct model_trigger *m) {
  struct arena *a = &c->arena;
  const struct trigger_option *o;
  m->kind = tr->scheduler ? MODEL_SCHEDULE : MODEL_RULE;
  m->name = tr->name;
  m->loc = tr->loc;
  m->enabled = !tr->opt[TRIG_DISABLED];
  if ((o = tr->opt[TRIG_DESCRIPTION])) {
    m->description = o->text->text;
    check_limit(c, LIM_DESCRIPTION, chars(m->description), o->text->loc);
  }
  if (m->kind == MODEL_RULE) {
    m->file = arena_printf(a, "%s.rule.json", tr->name);
    m->targets_file = arena_printf(a, "%s.targets.json", tr->name);
    m->bus = bus_of(tr);
    m->pattern = plain_value(a, tr->pattern);
    check_pattern_size(c, m->pattern);
    m->target_id = arena_printf(a, "start-%.50s", w->name.text);
  } else {
    m->file = arena_printf(a, "%s.schedule.json", tr->name);
    m->expression = tr->expr->string->text;
    check_limit(c, LIM_EXPRESSION, chars(m->expression), tr->expr->loc);
    if ((o = tr->opt[TRIG_TIMEZONE])) {
      m->timezone = o->text->text;
      check_limit(c, LIM_TIMEZONE, chars(m->timezone), o->text->loc);
    }
    if ((o = tr->opt[TRIG_WINDOW])) { /* whole minutes: triggers.c */
      m->window_minutes = o->seconds / 60;
      check_limit(c, LIM_WINDOW, m->window_minutes, o->loc);
    }
  }
  m->target_arn = mw->arn;
  m->role_arn = starter_role_arn(c, w, tr->scheduler);
  target_input(c, tr, m);
  m->retry_attempts = m->retry_max_age = -1;
  if ((o = tr->opt[TRIG_RETRY])) {
    m->has_retry = true;
    if (o->has_attempts) {
      m->retry_attempts = o->attempts;
      check_limit(c, LIM_ATTEMPTS, o->attempts, o->loc);
    }
    if (o->has_max_age) {
      m->retry_max_age = o->max_age;
      check_limit(c, LIM_MAX_AGE, o->max_age, o->loc);
    }
  }
  if (tr->dead_letter) m->dead_letter_arn = tr->dead_letter->arn;
}

void lower_triggers(struct compilation *c, struct workflow *w, struct model_workflow *mw) {
  int n = 0;
  for (const struct trigger *tr = w->triggers; tr; tr = tr->next) n++;
  mw->triggers = arena_alloc(&c->arena, (size_t)(n ? n : 1) * sizeof *mw->triggers);
  mw->ntriggers = n;
  int i = 0;
  for (const struct trigger *tr = w->triggers; tr; tr = tr->next) lower_trigger(c, w, mw, tr, &mw->triggers[i++]);
}
