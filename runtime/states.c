/* states.c: the work of each state type but Map: Choice (every comparison of a
 * JSONPath rule), Pass, Succeed, Fail, Wait, Task (its events per kind of resource,
 * timeouts on the virtual clock, the mock's answer) and Parallel. interp.c calls
 * them through ip_run_state, which does what all states share.
 */
#define _POSIX_C_SOURCE 200809L
#include "interp.h"
#include "sfc.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- JSONata states */

/* "The JSONata expression 'E' specified for the field 'F' returned an unexpected result
   type. Expected 'T', but was 'U' for value: V" (exec-331: Items). */
void ip_unexpected_type(struct visit *s, struct rt_error *err, const char *field, json_t *expr,
                        const char *expected, json_t *v) {
  const char *t = json_string_value(expr);
  size_t n = t ? strlen(t) : 0;
  /* the expression as written between the delimiters, trimmed */
  if (n >= 4) {
    t += 2;
    n -= 4;
    while (n && strchr(" \t\r\n", *t)) t++, n--;
    while (n && strchr(" \t\r\n", t[n - 1])) n--;
  }
  char *value = rt_json_text(v);
  ip_query_error(s, err, field,
                 "The JSONata expression '%.*s' specified for the field '%s' returned an "
                 "unexpected result type. Expected '%s', but was '%s' for value: %s",
                 (int)n, t ? t : "", field, expected, rt_json_type_name(v), value);
  free(value);
}

static enum outcome jsonata_choice(struct visit *s, json_t *input, json_t **out, const char **next,
                                   json_t **assigned, struct rt_error *err) {
  json_t *states = ip_states_var(s, input, NULL, NULL);
  json_t *chosen = NULL;
  size_t i;
  json_t *rule;
  int index = -1;
  json_array_foreach(json_object_get(s->def, "Choices"), i, rule) {
    char field[48];
    snprintf(field, sizeof field, "Choices[%zu]/Condition", i);
    json_t *cond = json_object_get(rule, "Condition"), *v;
    if (!ip_jsonata(s, field, cond ? cond : json_false(), states, &v, err)) {
      json_decref(states);
      return RUN_ERROR;
    }
    if (!json_is_boolean(v)) {
      ip_unexpected_type(s, err, field, cond, "boolean", v);
      json_decref(v);
      json_decref(states);
      return RUN_ERROR;
    }
    bool holds = json_is_true(v);
    json_decref(v);
    if (holds) {
      chosen = rule;
      index = (int)i;
      break;
    }
  }
  if (chosen) {
    *next = ip_get_str(chosen, "Next");
  } else {
    *next = ip_get_str(s->def, "Default");
    if (!*next) {
      json_decref(states);
      rt_fail(err, "States.NoChoiceMatched",
              "No Choice Rule matched and no Default is specified in the state '%s'.", s->name);
      return RUN_ERROR;
    }
  }
  ip_step(s->x, RT_STEP_CHOICE, s->name, index, *next);
  /* the matched rule's Assign and Output, or the state's when none matched */
  char prefix[32] = "";
  if (chosen) snprintf(prefix, sizeof prefix, "Choices[%d]/", index);
  bool ok = ip_jsonata_finish(s, chosen ? chosen : s->def, prefix, states, input, out, assigned, err);
  json_decref(states);
  return ok ? RUN_OK : RUN_ERROR;
}

/* Pass and Succeed: Assign and Output over the input. */
static enum outcome jsonata_pass(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                                 struct rt_error *err) {
  json_t *states = ip_states_var(s, input, NULL, NULL);
  json_t *none = NULL;
  bool ok = ip_jsonata_finish(s, s->def, "", states, input, out, assigned ? assigned : &none, err);
  json_decref(none);
  json_decref(states);
  return ok ? RUN_OK : RUN_ERROR;
}

/* Fail's Error and Cause: literals or expressions giving strings. */
static bool jsonata_fail_field(struct visit *s, json_t *states, const char *field, char **text,
                               struct rt_error *err) {
  *text = NULL;
  json_t *f = json_object_get(s->def, field), *v;
  if (!f) return true;
  if (!ip_jsonata(s, field, f, states, &v, err)) return false;
  if (!json_is_string(v)) {
    ip_unexpected_type(s, err, field, f, "string", v);
    json_decref(v);
    return false;
  }
  *text = xstrdup(json_string_value(v));
  json_decref(v);
  return true;
}

static enum outcome jsonata_fail(struct visit *s, json_t *input, struct rt_error *err) {
  json_t *states = ip_states_var(s, input, NULL, NULL);
  char *error, *cause;
  bool ok = jsonata_fail_field(s, states, "Error", &error, err);
  if (ok && !jsonata_fail_field(s, states, "Cause", &cause, err)) {
    free(error);
    ok = false;
  }
  json_decref(states);
  if (!ok) return RUN_ERROR;
  rt_error_free(err);
  err->error = error;
  err->cause = cause;
  return RUN_ERROR;
}

static enum outcome jsonata_wait(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                                 struct rt_error *err) {
  json_t *states = ip_states_var(s, input, NULL, NULL);
  json_t *seconds = json_object_get(s->def, "Seconds");
  json_t *timestamp = json_object_get(s->def, "Timestamp");
  int64_t wait_ms = 0;
  json_t *v = NULL;
  bool ok = true;
  if (seconds) {
    ok = ip_jsonata(s, "Seconds", seconds, states, &v, err);
    if (ok && (!json_is_integer(v) || json_integer_value(v) < 0)) {
      char *t = ip_value_text(v);
      if (ip_is_expression(seconds))
        ip_unexpected_type(s, err, "Seconds", seconds, "integer", v);
      else
        ip_query_error(s, err, "Seconds", "The Seconds field must be a non-negative integer: %s", t);
      free(t);
      ok = false;
    }
    if (ok) {
      json_int_t n = json_integer_value(v);
      wait_ms = n > INT64_MAX / 1000 ? INT64_MAX : (int64_t)n * 1000;
    }
  } else if (timestamp) {
    ok = ip_jsonata(s, "Timestamp", timestamp, states, &v, err);
    int64_t at = 0;
    if (ok && (!json_is_string(v) || !ip_parse_time(json_string_value(v), &at, NULL))) {
      char *t = ip_value_text(v);
      ip_query_error(s, err, "Timestamp",
                     "The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                     "date-time format string: %s",
                     t);
      free(t);
      ok = false;
    }
    if (ok) wait_ms = at > s->entered_ms ? at - s->entered_ms : 0;
  }
  json_decref(v);
  if (ok && wait_ms / 1000 > INT32_MAX) {
    ip_state_fail(s, err, "States.Runtime", "Wait state delay is too long.");
    ok = false;
  }
  if (!ok) {
    json_decref(states);
    return RUN_ERROR;
  }
  if (!s->x->test_state && !ip_advance(s->x, s->prev, wait_ms)) {
    json_decref(states);
    return RUN_STOP;
  }
  ok = ip_jsonata_finish(s, s->def, "", states, input, out, assigned, err);
  json_decref(states);
  return ok ? RUN_OK : RUN_ERROR;
}

/* A JSONata state's Arguments over its input: the input itself when it has none. */
static bool jsonata_arguments(struct visit *s, json_t *input, json_t *ctx, json_t **out,
                              struct rt_error *err) {
  json_t *a = json_object_get(s->def, "Arguments");
  if (!a) {
    *out = json_incref(input);
    return true;
  }
  json_t *states = json_object();
  json_object_set(states, "input", input);
  json_object_set_new(states, "context", ctx ? json_incref(ctx) : ip_context_of(s));
  bool ok = ip_jsonata(s, "Arguments", a, states, out, err);
  json_decref(states);
  return ok;
}

/* ---------------------------------------------------------------- Choice */

enum rule_type { RC_STRING, RC_NUMERIC, RC_BOOLEAN, RC_TIMESTAMP, RC_MATCHES, RC_TEST };
enum rule_op { ROP_EQ, ROP_LT, ROP_GT, ROP_LE, ROP_GE, ROP_NONE };

/* Every comparison operator of a JSONPath Choice rule; the ...Path forms compare with
   the value at a path instead of a literal. */
static const struct rule_test {
  const char *name;
  enum rule_type type;
  enum rule_op op;
} comparisons[] = {
    {"StringEquals", RC_STRING, ROP_EQ},
    {"StringLessThan", RC_STRING, ROP_LT},
    {"StringGreaterThan", RC_STRING, ROP_GT},
    {"StringLessThanEquals", RC_STRING, ROP_LE},
    {"StringGreaterThanEquals", RC_STRING, ROP_GE},
    {"StringMatches", RC_MATCHES, ROP_NONE},
    {"NumericEquals", RC_NUMERIC, ROP_EQ},
    {"NumericLessThan", RC_NUMERIC, ROP_LT},
    {"NumericGreaterThan", RC_NUMERIC, ROP_GT},
    {"NumericLessThanEquals", RC_NUMERIC, ROP_LE},
    {"NumericGreaterThanEquals", RC_NUMERIC, ROP_GE},
    {"BooleanEquals", RC_BOOLEAN, ROP_EQ},
    {"TimestampEquals", RC_TIMESTAMP, ROP_EQ},
    {"TimestampLessThan", RC_TIMESTAMP, ROP_LT},
    {"TimestampGreaterThan", RC_TIMESTAMP, ROP_GT},
    {"TimestampLessThanEquals", RC_TIMESTAMP, ROP_LE},
    {"TimestampGreaterThanEquals", RC_TIMESTAMP, ROP_GE},
    {"IsNull", RC_TEST, ROP_NONE},
    {"IsPresent", RC_TEST, ROP_NONE},
    {"IsNumeric", RC_TEST, ROP_NONE},
    {"IsString", RC_TEST, ROP_NONE},
    {"IsBoolean", RC_TEST, ROP_NONE},
    {"IsTimestamp", RC_TEST, ROP_NONE},
};

static bool order_holds(enum rule_op op, int c) {
  switch (op) {
  case ROP_EQ:
    return c == 0;
  case ROP_LT:
    return c < 0;
  case ROP_GT:
    return c > 0;
  case ROP_LE:
    return c <= 0;
  case ROP_GE:
    return c >= 0;
  default:
    return false;
  }
}

/* StringMatches: '*' is any run of characters; "\*" and "\\" are the characters. */
static bool wildcard(const char *p, const char *s) {
  const char *star_p = NULL, *star_s = NULL;
  while (*s) {
    if (*p == '*') {
      star_p = ++p;
      star_s = s;
      continue;
    }
    const char *q = p;
    char c = *q;
    if (c == '\\' && (q[1] == '*' || q[1] == '\\')) c = *++q;
    if (c && c == *s) {
      p = q + 1;
      s++;
      continue;
    }
    if (!star_p) return false;
    p = star_p;
    s = ++star_s;
  }
  while (*p == '*')
    p++;
  return !*p;
}

static bool is_timestamp(const json_t *v, int64_t *ms, int *ns) {
  int64_t m;
  int n;
  if (!json_is_string(v) || !ip_parse_time(json_string_value(v), &m, &n)) return false;
  if (ms) *ms = m;
  if (ns) *ns = n;
  return true;
}

static bool compare(const struct rule_test *c, json_t *v, json_t *w) {
  switch (c->type) {
  case RC_STRING:
    return json_is_string(v) && json_is_string(w) &&
           order_holds(c->op, strcmp(json_string_value(v), json_string_value(w)));
  case RC_MATCHES:
    return json_is_string(v) && json_is_string(w) &&
           wildcard(json_string_value(w), json_string_value(v));
  case RC_NUMERIC: {
    if (!json_is_number(v) || !json_is_number(w)) return false;
    double a = json_number_value(v), b = json_number_value(w);
    if (json_is_integer(v) && json_is_integer(w)) {
      json_int_t i = json_integer_value(v), j = json_integer_value(w);
      return order_holds(c->op, (i > j) - (i < j));
    }
    return order_holds(c->op, (a > b) - (a < b));
  }
  case RC_BOOLEAN:
    return json_is_boolean(v) && json_is_boolean(w) && json_is_true(v) == json_is_true(w);
  case RC_TIMESTAMP: {
    int64_t a, b;
    int an, bn;
    if (!is_timestamp(v, &a, &an) || !is_timestamp(w, &b, &bn)) return false;
    int r = a != b ? (a > b) - (a < b) : (an > bn) - (an < bn);
    return order_holds(c->op, r);
  }
  case RC_TEST:
    break;
  }
  return false;
}

/* One rule (a top-level rule, or one inside And/Or/Not) against INPUT. */
static bool rule_holds(struct visit *s, json_t *rule, json_t *input, json_t *ctx, bool *holds,
                       struct rt_error *err, int depth) {
  if (depth > 200) {
    ip_state_fail(s, err, "States.Runtime", "The Choice rule is nested too deeply.");
    return false;
  }
  json_t *sub;
  if ((sub = json_object_get(rule, "And")) || (sub = json_object_get(rule, "Or"))) {
    bool is_and = json_object_get(rule, "And") != NULL;
    size_t i;
    json_t *r;
    json_array_foreach(sub, i, r) {
      bool h;
      if (!rule_holds(s, r, input, ctx, &h, err, depth + 1)) return false;
      if (h != is_and) {
        *holds = h;
        return true;
      }
    }
    *holds = is_and;
    return true;
  }
  if ((sub = json_object_get(rule, "Not"))) {
    bool h;
    if (!rule_holds(s, sub, input, ctx, &h, err, depth + 1)) return false;
    *holds = !h;
    return true;
  }
  const char *variable = ip_get_str(rule, "Variable");
  const struct rule_test *c = NULL;
  json_t *operand = NULL;
  bool by_path = false;
  for (size_t i = 0; i < sizeof comparisons / sizeof *comparisons && !c; i++) {
    char path_name[64];
    snprintf(path_name, sizeof path_name, "%sPath", comparisons[i].name);
    if ((operand = json_object_get(rule, comparisons[i].name)))
      c = &comparisons[i];
    else if (comparisons[i].type != RC_TEST && comparisons[i].type != RC_MATCHES &&
             (operand = json_object_get(rule, path_name))) {
      c = &comparisons[i];
      by_path = true;
    }
  }
  if (!variable || !c) {
    ip_state_fail(s, err, "States.Runtime", "The Choice rule has no Variable or no comparison.");
    return false;
  }
  struct rt_scope sc;
  ip_scope_of(s, &sc, input, ctx);
  json_t *v = NULL;
  char *why = NULL;
  bool present = rt_path_get(variable, &sc, &v, &why);
  if (c->type == RC_TEST) {
    bool want = json_is_true(operand);
    bool r = false;
    if (ip_is(c->name, "IsPresent"))
      r = present;
    else if (present && ip_is(c->name, "IsNull"))
      r = json_is_null(v);
    else if (present && ip_is(c->name, "IsNumeric"))
      r = json_is_number(v);
    else if (present && ip_is(c->name, "IsString"))
      r = json_is_string(v);
    else if (present && ip_is(c->name, "IsBoolean"))
      r = json_is_boolean(v);
    else if (present && ip_is(c->name, "IsTimestamp"))
      r = is_timestamp(v, NULL, NULL);
    json_decref(v);
    free(why);
    if (!present && !ip_is(c->name, "IsPresent")) {
      /* Every test but IsPresent needs the value. */
      *holds = false;
      return true;
    }
    *holds = r == want;
    return true;
  }
  if (!present) {
    ip_state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", variable, why ? why : "");
    free(why);
    return false;
  }
  json_t *w = operand;
  json_t *owned = NULL;
  if (by_path) {
    const char *p = json_string_value(operand);
    if (!p || !rt_path_get(p, &sc, &owned, &why)) {
      ip_state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", p ? p : "", why ? why : "");
      free(why);
      json_decref(v);
      return false;
    }
    w = owned;
  }
  *holds = compare(c, v, w);
  json_decref(v);
  json_decref(owned);
  return true;
}

enum outcome ip_do_choice(struct visit *s, json_t *input, json_t **out, const char **next,
                          json_t **assigned, struct rt_error *err) {
  if (s->jsonata) return jsonata_choice(s, input, out, next, assigned, err);
  json_t *effective;
  if (!ip_apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  ip_inspect(s, "afterInputPath", effective);
  json_t *ctx = ip_context_for_paths(s);
  json_t *chosen = NULL;
  size_t i;
  json_t *rule;
  int index = -1;
  json_array_foreach(json_object_get(s->def, "Choices"), i, rule) {
    bool holds;
    if (!rule_holds(s, rule, effective, ctx, &holds, err, 0)) {
      json_decref(ctx);
      json_decref(effective);
      return RUN_ERROR;
    }
    if (holds) {
      chosen = rule;
      index = (int)i;
      break;
    }
  }
  json_decref(ctx);
  if (chosen) {
    *next = ip_get_str(chosen, "Next");
  } else {
    *next = ip_get_str(s->def, "Default");
    if (!*next) {
      json_decref(effective);
      rt_fail(err, "States.NoChoiceMatched",
              "No Choice Rule matched and no Default is specified "
              "in the state '%s'.",
              s->name);
      return RUN_ERROR;
    }
  }
  ip_step(s->x, RT_STEP_CHOICE, s->name, index, *next);
  /* the matched rule's Assign, or the state's when none matched (exec-008, 009) */
  json_t *assign = json_object_get(chosen ? chosen : s->def, "Assign");
  if (!ip_apply_assign(s, assign, effective, assigned, err)) {
    json_decref(effective);
    return RUN_ERROR;
  }
  bool ok = ip_apply_path(s, "OutputPath", effective, out, err);
  json_decref(effective);
  return ok ? RUN_OK : RUN_ERROR;
}

/* ---------------------------------------------------------------- Pass, Succeed, Fail */

enum outcome ip_do_pass(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                        struct rt_error *err) {
  if (s->jsonata) return jsonata_pass(s, input, out, assigned, err);
  json_t *effective, *params;
  json_t *result = json_object_get(s->def, "Result");
  if (!ip_apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  /* TestState shows the input side only when there is no Result */
  if (!result) ip_inspect(s, "afterInputPath", effective);
  json_t *p = json_object_get(s->def, "Parameters");
  if (p) {
    bool ok = ip_apply_template(s, p, effective, &params, err);
    json_decref(effective);
    if (!ok) return RUN_ERROR;
    effective = params;
  }
  if (!result) ip_inspect(s, "afterParameters", effective);
  result = result ? json_deep_copy(result) : json_incref(effective);
  json_decref(effective);
  if (ip_payload_too_big(result)) {
    json_decref(result);
    ip_data_limit(s, err, NULL);
    return RUN_ERROR;
  }
  if (json_object_get(s->def, "Result")) ip_inspect(s, "result", result);
  ip_inspect(s, "afterResultSelector", result);
  if (!ip_apply_assign(s, json_object_get(s->def, "Assign"), result, assigned, err)) {
    json_decref(result);
    return RUN_ERROR;
  }
  json_t *merged;
  if (!ip_apply_result_path(s, json_object_get(s->def, "ResultPath"), input, result, &merged, err))
    return RUN_ERROR;
  ip_inspect(s, "afterResultPath", merged);
  bool ok = ip_apply_path(s, "OutputPath", merged, out, err);
  json_decref(merged);
  return ok ? RUN_OK : RUN_ERROR;
}

enum outcome ip_do_succeed(struct visit *s, json_t *input, json_t **out, struct rt_error *err) {
  if (s->jsonata) return jsonata_pass(s, input, out, NULL, err);
  json_t *effective;
  if (!ip_apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  ip_inspect(s, "afterInputPath", effective);
  bool ok = ip_apply_path(s, "OutputPath", effective, out, err);
  json_decref(effective);
  return ok ? RUN_OK : RUN_ERROR;
}

/* Fail's Error and Cause: the literal, or ErrorPath/CausePath (a path or an
   intrinsic). *text NULL when the state sets neither. */
static bool fail_field(struct visit *s, json_t *input, const char *field, char **text,
                       struct rt_error *err) {
  *text = NULL;
  const char *literal = ip_get_str(s->def, field);
  if (literal) {
    *text = xstrdup(literal);
    return true;
  }
  char path_field[16];
  snprintf(path_field, sizeof path_field, "%sPath", field);
  const char *path = ip_get_str(s->def, path_field);
  if (!path) return true;
  json_t *ctx = ip_context_for_paths(s);
  struct rt_scope sc;
  ip_scope_of(s, &sc, input, ctx);
  json_t *v = NULL;
  bool ok;
  if (path[0] == '$') {
    char *why = NULL;
    ok = rt_path_get(path, &sc, &v, &why);
    free(why);
    if (!ok) {
      char *in = rt_json_text(input);
      ip_state_fail(
          s, err, "States.Runtime",
          "The JSONPath '%s' specified for the field '%s' could not be found in the input "
          "'%s'",
          path, path_field, in);
      free(in);
    }
  } else {
    ok = rt_intrinsic(path, &sc, &v, err);
    if (!ok) ip_state_wrap(s, err);
  }
  json_decref(ctx);
  if (!ok) return false;
  *text = ip_value_text(v);
  json_decref(v);
  return true;
}

enum outcome ip_do_fail(struct visit *s, json_t *input, struct rt_error *err) {
  if (s->jsonata) return jsonata_fail(s, input, err);
  char *error, *cause;
  ip_inspect(s, "afterInputPath", input);
  if (!fail_field(s, input, "Error", &error, err)) return RUN_ERROR;
  if (!fail_field(s, input, "Cause", &cause, err)) {
    free(error);
    return RUN_ERROR;
  }
  rt_error_free(err);
  err->error = error;
  err->cause = cause;
  return RUN_ERROR;
}

/* ---------------------------------------------------------------- Wait */

enum outcome ip_do_wait(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                        struct rt_error *err) {
  if (s->jsonata) return jsonata_wait(s, input, out, assigned, err);
  json_t *effective;
  if (!ip_apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  ip_inspect(s, "afterInputPath", effective);
  json_t *ctx = ip_context_for_paths(s);
  struct rt_scope sc;
  ip_scope_of(s, &sc, effective, ctx);
  int64_t wait_ms = 0;
  bool ok = true;
  json_t *seconds = json_object_get(s->def, "Seconds");
  const char *seconds_path = ip_get_str(s->def, "SecondsPath");
  const char *timestamp = ip_get_str(s->def, "Timestamp");
  const char *timestamp_path = ip_get_str(s->def, "TimestampPath");
  if (seconds) {
    if (!json_is_integer(seconds) || json_integer_value(seconds) < 0) {
      ip_state_fail(s, err, "States.Runtime", "The Seconds field must be a non-negative integer.");
      ok = false;
    } else {
      json_int_t n = json_integer_value(seconds);
      wait_ms = n > INT64_MAX / 1000 ? INT64_MAX : (int64_t)n * 1000;
    }
  } else if (seconds_path) {
    json_t *v = NULL;
    char *why = NULL;
    if (!rt_path_get(seconds_path, &sc, &v, &why)) {
      ip_state_fail(s, err, "States.Runtime",
                    "The SecondsPath parameter does not reference an input value: %s",
                    seconds_path);
      ok = false;
    } else if (!json_is_integer(v)) {
      char *t = ip_value_text(v);
      ip_state_fail(s, err, "States.Runtime",
                    "The SecondsPath parameter cannot be parsed as a long value: %s == %s",
                    seconds_path, t);
      free(t);
      ok = false;
    } else if (json_integer_value(v) < 0) {
      char *t = ip_value_text(v);
      ip_state_fail(s, err, "States.Runtime",
                    "The SecondsPath parameter references a negative value: %s == %s", seconds_path,
                    t);
      free(t);
      ok = false;
    } else {
      json_int_t n = json_integer_value(v);
      wait_ms = n > INT64_MAX / 1000 ? INT64_MAX : (int64_t)n * 1000;
    }
    free(why);
    json_decref(v);
  } else if (timestamp || timestamp_path) {
    json_t *v = NULL;
    int64_t at;
    if (timestamp) {
      if (!ip_parse_time(timestamp, &at, NULL)) {
        ip_state_fail(
            s, err, "States.Runtime",
            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
            "format string: %s",
            timestamp);
        ok = false;
      }
    } else {
      char *why = NULL;
      if (!rt_path_get(timestamp_path, &sc, &v, &why)) {
        ip_state_fail(s, err, "States.Runtime",
                      "The TimestampPath parameter does not reference an input value: %s",
                      timestamp_path);
        ok = false;
      } else if (!json_is_string(v) || !ip_parse_time(json_string_value(v), &at, NULL)) {
        char *t = ip_value_text(v);
        ip_state_fail(s, err, "States.Runtime",
                      "The TimestampPath parameter does not reference a valid ISO-8601 extended "
                      "offset date-time format string: %s == %s",
                      timestamp_path, t);
        free(t);
        ok = false;
      }
      free(why);
      json_decref(v);
    }
    if (ok) wait_ms = at > s->entered_ms ? at - s->entered_ms : 0;
  }
  json_decref(ctx);
  /* AWS keeps the delay in a signed 32-bit count of seconds. */
  if (ok && wait_ms / 1000 > INT32_MAX) {
    ip_state_fail(s, err, "States.Runtime", "Wait state delay is too long.");
    ok = false;
  }
  if (!ok) {
    json_decref(effective);
    return RUN_ERROR;
  }
  if (!s->x->test_state && !ip_advance(s->x, s->prev, wait_ms)) {
    json_decref(effective);
    return RUN_STOP;
  }
  if (!ip_apply_assign(s, json_object_get(s->def, "Assign"), effective, assigned, err)) {
    json_decref(effective);
    return RUN_ERROR;
  }
  ok = ip_apply_path(s, "OutputPath", effective, out, err);
  json_decref(effective);
  return ok ? RUN_OK : RUN_ERROR;
}

/* ---------------------------------------------------------------- Task */

/* How a Resource shows in the history: a service integration's TaskScheduled etc.
   ("arn:aws:states:::sqs:sendMessage.waitForTaskToken" is resourceType "sqs" and
   resource "sendMessage.waitForTaskToken"), a Lambda function ARN's
   LambdaFunctionScheduled etc., an activity's ActivityScheduled etc. */
enum call_kind { TES_SERVICE, TES_LAMBDA, TES_ACTIVITY };
struct resource {
  enum call_kind kind;
  char *type;   /* TES_SERVICE: "lambda", "aws-sdk:s3" */
  char *action; /* TES_SERVICE: "invoke", "getObject" */
};

static struct resource resource_of(const char *arn) {
  struct resource r = {TES_SERVICE, NULL, NULL};
  const char *p = strstr(arn, ":states:::");
  if (p) {
    p += strlen(":states:::");
    const char *colon = strrchr(p, ':');
    /* "aws-sdk:s3:getObject": the type keeps everything before the last colon, unless
       the action is a pattern's suffix (".sync:2"). */
    if (colon && colon > p && ip_ends_with(arn, ".sync:2")) {
      const char *c2 = colon - 1;
      while (c2 > p && *c2 != ':')
        c2--;
      colon = *c2 == ':' ? c2 : colon;
    }
    if (colon && colon > p) {
      r.type = ip_xasprintf("%.*s", (int)(colon - p), p);
      r.action = xstrdup(colon + 1);
    } else {
      r.type = xstrdup(p);
      r.action = xstrdup(p);
    }
    return r;
  }
  if (strstr(arn, ":lambda:") && strstr(arn, ":function:"))
    r.kind = TES_LAMBDA;
  else if (strstr(arn, ":activity:"))
    r.kind = TES_ACTIVITY;
  else if (strstr(arn, "lambda") || strstr(arn, "Lambda") || strstr(arn, "function"))
    r.kind = TES_LAMBDA;
  else if (strstr(arn, "activity") || strstr(arn, "Activity"))
    r.kind = TES_ACTIVITY;
  return r;
}

static void resource_free(struct resource *r) {
  free(r->type);
  free(r->action);
}

/* Event names per resource kind: scheduled, started, succeeded, failed, timed out. */
static const char *const task_events[][5] = {
    [TES_SERVICE] = {"TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskFailed", "TaskTimedOut"},
    [TES_LAMBDA] = {"LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
                    "LambdaFunctionFailed", "LambdaFunctionTimedOut"},
    [TES_ACTIVITY] = {"ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "ActivityFailed",
                      "ActivityTimedOut"},
};

/* "TaskScheduled" -> "taskScheduledEventDetails" */
static char *details_key(const char *type) {
  char *k = ip_xasprintf("%sEventDetails", type);
  k[0] = (char)(k[0] - 'A' + 'a');
  return k;
}

static json_t *task_details(const struct resource *r, const char *arn) {
  json_t *d = json_object();
  if (r->kind == TES_SERVICE) {
    json_object_set_new(d, "resourceType", json_string(r->type));
    json_object_set_new(d, "resource", json_string(r->action));
  } else if (arn) {
    json_object_set_new(d, "resource", json_string(arn));
  }
  return d;
}

static void task_event(struct visit *s, const struct resource *r, int which, json_t *d) {
  char *key = details_key(task_events[r->kind][which]);
  ip_event(s->x, s->prev, task_events[r->kind][which], key, d);
  free(key);
}

/* TimeoutSeconds/HeartbeatSeconds, or their ...Path over the state's input: seconds,
   0 when the state sets neither. */
static bool task_seconds(struct visit *s, json_t *input, const char *field, int64_t *secs,
                         struct rt_error *err) {
  *secs = 0;
  json_t *v;
  const char *path;
  if (!ip_field_or_path(s, s->def, field, input, &v, &path, err)) return false;
  if (!v) return true;
  if (!json_is_integer(v) || json_integer_value(v) <= 0) {
    char *t = ip_value_text(v);
    ip_state_fail(s, err, "States.Runtime",
                  "The %s%s field refers to value \"%s\" which is not a valid positive integer%s%s",
                  field, path ? "Path" : "", t, path ? ": " : "", path ? path : "");
    free(t);
    json_decref(v);
    return false;
  }
  /* beyond AWS's 99999999 s, a limit means nothing more; keep the ms arithmetic safe */
  json_int_t n = json_integer_value(v);
  *secs = n > 1000000000 ? 1000000000 : (int64_t)n;
  json_decref(v);
  return true;
}

/* 64 hex digits from the run's random numbers: a task token. */
static char *make_token(struct exec *x) {
  char *t = xmalloc(65);
  for (int i = 0; i < 4; i++)
    snprintf(t + 16 * i, 17, "%016llx", (unsigned long long)rt_random_next(&x->random));
  return t;
}

char *ip_make_uuid(struct exec *x) {
  char text[37];
  rt_uuid(&x->random, text);
  return xstrdup(text);
}

/* One call for o->task (or TestState's mock). */
bool ip_call_task(struct visit *s, const char *resource, json_t *params, json_t *ctx,
                  json_t **result, int64_t *duration, struct rt_error *err) {
  struct exec *x = s->x;
  *result = NULL;
  *duration = 0;
  if (s->ins && s->ins->mocked) {
    if (s->ins->mock_error) {
      ip_set_error(err, s->ins->mock_error, s->ins->mock_cause);
      return false;
    }
    *result = json_incref(s->ins->mock_result);
    return true;
  }
  json_t *n = json_object_get(x->calls, s->name);
  int index = n ? (int)json_integer_value(n) : 0;
  json_object_set_new(x->calls, s->name, json_integer(index + 1));
  struct rt_task_call call = {s->name, resource, params, ctx, index, x->now, duration};
  if (!x->o->task) {
    rt_fail(err, "States.Runtime", "No mock answers the task state '%s' (resource %s).", s->name,
            resource);
    return false;
  }
  json_t *r = NULL;
  struct rt_error e = {0};
  if (!x->o->task(x->o->task_ctx, &call, &r, &e)) {
    json_decref(r);
    rt_error_free(err);
    *err = e;
    return false;
  }
  rt_error_free(&e);
  *result = r ? r : json_null();
  return true;
}

enum outcome ip_do_task(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                        struct rt_error *err) {
  struct exec *x = s->x;
  const char *arn = ip_get_str(s->def, "Resource");
  if (!arn) {
    ip_state_fail(s, err, "States.Runtime", "The Task state has no Resource.");
    return RUN_ERROR;
  }
  json_t *effective;
  if (!ip_apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  ip_inspect(s, "afterInputPath", effective);
  char *token = NULL;
  /* callbacks and .sync jobs get a task token ($$.Task.Token) */
  if (ip_ends_with(arn, ".waitForTaskToken") || ip_ends_with(arn, ".sync") ||
      ip_ends_with(arn, ".sync:2"))
    token = make_token(x);
  json_t *p = s->jsonata ? NULL : json_object_get(s->def, "Parameters");
  json_t *ctx = ip_context_of(s);
  if (token && x->fixed_context && json_object_get(json_object_get(ctx, "Task"), "Token")) {
    free(token);
    token = NULL; /* TestState's context gave one */
  }
  if (token) {
    json_t *t = json_object_get(ctx, "Task");
    if (!t || !json_is_object(t)) json_object_set_new(ctx, "Task", t = json_object());
    json_object_set_new(t, "Token", json_string(token));
  }
  if (p) {
    json_t *params;
    struct rt_scope sc;
    ip_scope_of(s, &sc, effective, ctx);
    bool ok = rt_template(p, &sc, &params, err);
    json_decref(effective);
    if (!ok) {
      ip_state_wrap(s, err);
      json_decref(ctx);
      free(token);
      return RUN_ERROR;
    }
    effective = params;
  }
  if (s->jsonata) {
    json_t *args;
    if (!jsonata_arguments(s, effective, ctx, &args, err)) {
      json_decref(effective);
      json_decref(ctx);
      free(token);
      return RUN_ERROR;
    }
    json_decref(effective);
    effective = args;
  }
  ip_inspect(s, s->jsonata ? "afterArguments" : "afterParameters", effective);
  free(token);
  int64_t timeout = 0, heartbeat = 0;
  /* the ...SecondsPath fields read the state's input */
  if (!task_seconds(s, input, "TimeoutSeconds", &timeout, err) ||
      !task_seconds(s, input, "HeartbeatSeconds", &heartbeat, err)) {
    json_decref(effective);
    json_decref(ctx);
    return RUN_ERROR;
  }
  if (ip_payload_too_big(effective)) {
    json_decref(effective);
    json_decref(ctx);
    rt_fail(err, "States.DataLimitExceeded",
            "The state/task '%s' has an input with a size exceeding the maximum number of bytes "
            "service limit.",
            s->name);
    return RUN_ERROR;
  }

  struct resource r = resource_of(arn);
  json_t *d = task_details(&r, arn);
  if (r.kind == TES_SERVICE) {
    json_object_set_new(d, "region", json_string(x->region));
    json_object_set_new(d, "parameters", ip_json_text(effective));
  } else {
    json_object_set_new(d, "input", ip_json_text(effective));
    json_object_set_new(d, "inputDetails", json_pack("{s:b}", "truncated", 0));
  }
  if (json_object_get(s->def, "TimeoutSeconds") || json_object_get(s->def, "TimeoutSecondsPath"))
    json_object_set_new(d, "timeoutInSeconds", json_integer(timeout));
  if (json_object_get(s->def, "HeartbeatSeconds") ||
      json_object_get(s->def, "HeartbeatSecondsPath"))
    json_object_set_new(d, "heartbeatInSeconds", json_integer(heartbeat));
  task_event(s, &r, 0, d);
  /* LambdaFunctionStarted and ActivityStarted carry no details here (no worker name) */
  task_event(s, &r, 1, r.kind == TES_SERVICE ? task_details(&r, NULL) : NULL);
  /* A callback or a .sync job is submitted first; AWS logs the service's answer to the
     submission, which a mock does not give, so the event has no output. */
  if (r.kind == TES_SERVICE && (ip_ends_with(arn, ".waitForTaskToken") || ip_ends_with(arn, ".sync") ||
                                ip_ends_with(arn, ".sync:2")))
    ip_event(x, s->prev, "TaskSubmitted", "taskSubmittedEventDetails", task_details(&r, NULL));

  json_t *result = NULL;
  int64_t took = 0;
  bool ok = ip_call_task(s, arn, effective, ctx, &result, &took, err);
  json_decref(ctx);
  json_decref(effective);
  if (x->stopped) {
    json_decref(result);
    resource_free(&r);
    return RUN_STOP;
  }
  if (!timeout) timeout = TASK_TIMEOUT_DEFAULT;
  /* A task that runs longer than its heartbeat (no heartbeats are sent locally) or
     its timeout ends at that moment. */
  const char *timed_out = NULL;
  int64_t limit = took;
  if (heartbeat && took > heartbeat * 1000) {
    /* AWS logs TaskTimedOut with States.Timeout; a States.HeartbeatTimeout matcher
       takes it too */
    timed_out = "States.Timeout";
    s->heartbeat_expired = true;
    limit = heartbeat * 1000;
  } else if (took > timeout * 1000) {
    timed_out = "States.Timeout";
    limit = timeout * 1000;
  }
  if (!x->test_state && !ip_advance(x, s->prev, limit)) {
    json_decref(result);
    resource_free(&r);
    return RUN_STOP;
  }
  if (timed_out) {
    json_decref(result);
    ok = false;
    ip_set_error(err, timed_out, NULL);
  }
  if (!ok) {
    if (ip_is(err->error, "States.Runtime")) {
      /* the run stops here (no mock answered, a resource that does not exist) */
      ip_state_wrap(s, err);
      resource_free(&r);
      return RUN_ERROR;
    }
    d = r.kind == TES_SERVICE ? task_details(&r, NULL) : json_object();
    if (err->error) json_object_set_new(d, "error", json_string(err->error));
    if (err->cause) json_object_set_new(d, "cause", json_string(err->cause));
    task_event(s, &r, timed_out ? 4 : 3, d);
    resource_free(&r);
    return RUN_ERROR;
  }
  if (ip_payload_too_big(result)) {
    json_decref(result);
    ip_data_limit(s, err, r.kind == TES_SERVICE ? NULL : arn);
    d = r.kind == TES_SERVICE ? task_details(&r, NULL) : json_object();
    json_object_set_new(d, "error", json_string(err->error));
    json_object_set_new(d, "cause", json_string(err->cause));
    task_event(s, &r, 3, d);
    resource_free(&r);
    return RUN_ERROR;
  }
  d = r.kind == TES_SERVICE ? task_details(&r, NULL) : json_object();
  json_object_set_new(d, "output", ip_json_text(result));
  json_object_set_new(d, "outputDetails", json_pack("{s:b}", "truncated", 0));
  task_event(s, &r, 2, d);
  resource_free(&r);
  return ip_finish_result(s, input, result, out, assigned, err) ? RUN_OK : RUN_ERROR;
}

/* ---------------------------------------------------------------- Parallel */

enum outcome ip_do_parallel(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                            struct rt_error *err) {
  struct exec *x = s->x;
  json_t *effective;
  if (!ip_apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  json_t *p = json_object_get(s->def, "Parameters");
  if (s->jsonata) {
    json_t *args;
    bool ok = jsonata_arguments(s, effective, NULL, &args, err);
    json_decref(effective);
    if (!ok) return RUN_ERROR;
    effective = args;
  } else if (p) {
    json_t *params;
    bool ok = ip_apply_template(s, p, effective, &params, err);
    json_decref(effective);
    if (!ok) return RUN_ERROR;
    effective = params;
  }
  if (s->ins && s->ins->mocked) {
    /* TestState: the mock stands for the branches' results */
    json_decref(effective);
    json_t *r;
    int64_t took;
    if (!ip_call_task(s, "", NULL, NULL, &r, &took, err)) return RUN_ERROR;
    return ip_finish_result(s, input, r, out, assigned, err) ? RUN_OK : RUN_ERROR;
  }
  ip_event(x, s->prev, "ParallelStateStarted", NULL, NULL);
  /* Every branch starts at t0. The first failure in time fails the Parallel: a branch
     run after a failed one is cut short (aborted) when its clock passes that failure;
     the branches before it have run to their end. */
  json_t *results = json_array();
  int64_t t0 = x->now, end = x->now, outer = x->horizon, failed_at = 0;
  long started = *s->prev;
  long first = x->events + 1;
  bool failed = false;
  struct rt_error failure = {0};
  enum outcome o = RUN_OK;
  size_t i;
  json_t *branch;
  json_array_foreach(json_object_get(s->def, "Branches"), i, branch) {
    x->now = t0;
    bool own = failed && failed_at < outer;
    x->horizon = own ? failed_at : outer;
    long prev = started;
    struct rt_vars frame = {json_object(), s->vars};
    json_t *r = NULL;
    o = ip_run_block(x, BLOCK_BRANCH, branch, json_incref(effective), &frame, &prev, &r, err);
    json_decref(frame.values);
    if (x->now > end) end = x->now;
    if (o == RUN_STOP && x->aborted && own) {
      x->aborted = false; /* cut short by this Parallel's own failure */
      o = RUN_OK;
      continue;
    }
    if (o == RUN_STOP) break; /* the run stops, or an outer failure aborts this one */
    if (o == RUN_ERROR) {
      if (!failed || x->now < failed_at) {
        rt_error_free(&failure);
        failure = *err;
        *err = (struct rt_error){0};
        failed_at = x->now;
        failed = true;
      } else {
        rt_error_free(err);
      }
      o = RUN_OK;
      continue;
    }
    if (failed) json_decref(r);
    else json_array_append_new(results, r);
  }
  x->horizon = outer;
  if (o == RUN_OK && failed) {
    rt_error_free(err);
    *err = failure;
    failure = (struct rt_error){0};
    o = RUN_ERROR;
  }
  rt_error_free(&failure);
  if (!x->stopped && !x->aborted) x->now = end;
  ip_order_events(x, first, o == RUN_ERROR ? err : NULL);
  *s->prev = x->events; /* the Parallel goes on after its branches' last event */
  json_decref(effective);
  if (o == RUN_ERROR) s->work_failed = true;
  if (o != RUN_OK) {
    json_decref(results);
    return o;
  }
  return ip_finish_result(s, input, results, out, assigned, err) ? RUN_OK : RUN_ERROR;
}
