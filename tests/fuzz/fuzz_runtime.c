/* fuzz_runtime.c: libFuzzer target for the runtime (runtime/): the JSONPath parser and
   evaluator, intrinsic functions, payload templates, the interpreter and TestState.
   Any input must end, with a result or an error, never a crash, a leak, undefined
   behaviour or a run without end. Built by `make build/fuzz/fuzz_runtime` (run briefly by
   `make test`); `make fuzz-runtime` runs it longer.

   What an input reaches depends on what it is, so plain seeds work unchanged:
   - its text (up to the first NUL) as a path (rt_path_get, and rt_path_set as a
     ResultPath), and as an intrinsic call (rt_intrinsic), over a fixed document,
     context object and variables;
   - if it is JSON: as a payload template (rt_template); an object with "States" as a
     definition run by rt_execute (on the fixed document, tasks answered by a
     deterministic mock, a history quota of 300 events, so a loop ends with AWS's
     quota error); an object with "definition" as a TestState request;
   - and always as the choices of a builder that makes a definition of every state type
     from the bytes (fields, paths, intrinsics, Retry, Catch, Parallel and Map bodies,
     loops), run the same way: mutations of JSON text mostly break it, these never do. */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char DOCUMENT[] =
    "{\"a\": 1, \"b\": [1, 2.5, {\"c\": \"x\"}, null], \"s\": \"hello, world\", \"n\": null,"
    " \"o\": {\"k\": true, \"l\": [\"p\", \"q\"], \"m\": {\"d\": -3}}, \"e\": \"\", \"t\": \"2024-01-15T10:20:30Z\","
    " \"items\": [{\"id\": 1, \"v\": \"one\"}, {\"id\": 2, \"v\": \"two\"}], \"big\": 1e300, \"u\": \"\\u00e9\\u65e5\"}";
static const char CONTEXT[] =
    "{\"Execution\": {\"Id\": \"arn:aws:states:us-east-1:123456789012:execution:M:e\", \"Name\": \"e\","
    " \"StartTime\": \"2024-01-15T10:20:30.000Z\", \"RoleArn\": \"arn:aws:iam::123456789012:role/r\"},"
    " \"State\": {\"Name\": \"S\", \"EnteredTime\": \"2024-01-15T10:20:30.000Z\", \"RetryCount\": 0},"
    " \"StateMachine\": {\"Id\": \"arn:aws:states:us-east-1:123456789012:stateMachine:M\", \"Name\": \"M\"},"
    " \"Map\": {\"Item\": {\"Index\": 0, \"Value\": {\"id\": 1}}}}";
static const char VARIABLES[] = "{\"v\": {\"x\": 1, \"y\": [1, 2]}, \"w\": \"str\", \"z\": null}";

/* Tasks: the parameters back, but every third call of a state fails, so Retry and
   Catch run too. */
static bool mock(void *ctx, const struct rt_task_call *call, json_t **result, struct rt_error *err) {
  (void)ctx;
  if (call->call_index % 3 == 2) {
    rt_fail(err, "Mock.Error", "call %d of %s", call->call_index, call->state);
    return false;
  }
  *result = call->parameters ? json_deep_copy(call->parameters) : json_null();
  return true;
}

static void strings(const char *text, const struct rt_scope *scope, json_t *doc) {
  json_t *out = NULL;
  char *why = NULL;
  if (rt_path_get(text, scope, &out, &why)) json_decref(out);
  free(why);
  why = NULL;
  json_t *copy = json_deep_copy(doc);
  (void)rt_path_set(&copy, text, json_string("new"), &why);
  json_decref(copy);
  free(why);
  struct rt_error err = {0};
  out = NULL;
  if (rt_intrinsic(text, scope, &out, &err)) json_decref(out);
  rt_error_free(&err);
}

static const struct rt_options OPTIONS = {
    .seed = 7, .start_ms = 1705314030000, .task = mock, .history = true, .max_events = 300};

/* HISTORY: keep the events (their JSON text is most of the time a run takes). */
static void execute(json_t *definition, json_t *input, bool history) {
  struct rt_options o = OPTIONS;
  o.history = history;
  struct rt_result r = {0};
  (void)rt_execute(definition, input, &o, &r);
  rt_result_free(&r);
}

static void document(json_t *v, const struct rt_scope *scope) {
  struct rt_error err = {0};
  json_t *out = NULL;
  if (json_is_object(v) || json_is_array(v)) {
    if (rt_template(v, scope, &out, &err)) json_decref(out);
    rt_error_free(&err);
  }
  if (json_is_object(v) && json_object_get(v, "States")) execute(v, scope->input, true);
  if (json_is_object(v) && json_object_get(v, "definition")) json_decref(rt_test_state(v, &OPTIONS));
}

/* ---------------------------------------------------------------- the builder */

/* The input's bytes, one choice each; 0 once they run out, so every build ends. */
struct choices {
  const uint8_t *p;
  size_t n;
};
static unsigned pick(struct choices *c, unsigned m) {
  if (!c->n) return 0;
  c->n--;
  return *c->p++ % m;
}
#define ONE_OF(c, list) (list)[pick(c, sizeof(list) / sizeof *(list))]

static const char *const PATHS[] = {"$", "$.a", "$.b", "$.b[2].c", "$.s", "$.o", "$.o.m", "$.items",
    "$.items[0]", "$.missing", "$.t", "$.n", "$$.Execution.Input", "$$.State.Name",
    "$$.Map.Item.Value", "$$.State.RetryCount", "$v", "$v.x", "$..c", "$.items[*].id", "$.b[1:]",
    "$.items[?(@.id > 1)]", "$.big", "$.e"};
static const char *const REFERENCES[] = {"$", "$.r", "$.o.r", "$.a", "$.new.deep", "$.b[0]", "$.s.x"};
static const char *const CALLS[] = {"States.MathAdd($.a, 1)", "States.Format('{} and {}', $.s, $.a)",
    "States.ArrayLength($.b)", "States.JsonToString($.o)", "States.StringToJson('{\"x\": [1]}')",
    "States.Array($.a, $.s, $.n)", "States.ArrayRange(1, 9, 2)", "States.UUID()",
    "States.MathRandom(1, 10)", "States.Hash($.s, 'SHA-256')", "States.Base64Encode($.s)",
    "States.StringSplit($.s, ', ')", "States.ArrayGetItem($.b, 5)", "States.JsonMerge($.o, $.o.m, false)",
    "States.ArrayPartition($.b, 0)", "States.ArrayUnique($.b)", "States.ArrayContains($.b, 1)",
    "States.Base64Decode('aGk=')", "States.MathAdd($.big, $.big)", "States.Format($.s)"};
static const char *const ERRORS[] = {"States.ALL", "States.TaskFailed", "Mock.Error", "States.Runtime",
    "States.Timeout", "States.NoChoiceMatched", "E", "States.BranchFailed"};
static const char *const RESOURCES[] = {"arn:aws:lambda:us-east-1:123456789012:function:f",
    "arn:aws:states:::lambda:invoke", "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "arn:aws:states:::states:startExecution.sync:2", "arn:aws:states:us-east-1:123456789012:activity:a",
    "arn:aws:states:::aws-sdk:s3:listBuckets"};
static const char *const OPERATORS[] = {"NumericEquals", "NumericLessThan", "StringEquals",
    "StringMatches", "BooleanEquals", "TimestampLessThan", "IsPresent", "IsNull", "IsNumeric",
    "IsString", "IsTimestamp", "NumericGreaterThanPath", "StringEqualsPath", "TimestampEqualsPath"};
static const char *const TYPES[] = {"Pass", "Pass", "Task", "Choice", "Wait", "Succeed", "Fail",
    "Parallel", "Map"};

static json_t *value(struct choices *c) {
  switch (pick(c, 7)) {
  case 0: return json_integer((json_int_t)pick(c, 256) - 100);
  case 1: return json_real(pick(c, 256) / 8.0);
  case 2: return json_string(ONE_OF(c, PATHS));
  case 3: return json_boolean(pick(c, 2));
  case 4: return json_null();
  case 5: return json_string("2024-01-15T10:20:30Z");
  default: return json_pack("{s:i, s:[i, s]}", "k", (int)pick(c, 9), "l", 1, "x");
  }
}

static json_t *template(struct choices *c, int depth) {
  json_t *t = json_object();
  for (unsigned i = 0, n = 1 + pick(c, 3); i < n; i++) {
    char key[16];
    snprintf(key, sizeof key, "k%u%s", i, pick(c, 4) ? ".$" : "");
    unsigned k = pick(c, 5);
    json_t *v = key[strlen(key) - 1] != '$' ? (k == 0 && depth < 2 ? template(c, depth + 1) : value(c))
                : k < 2 ? json_string(ONE_OF(c, CALLS)) : json_string(ONE_OF(c, PATHS));
    json_object_set_new(t, key, v);
  }
  return t;
}

static json_t *rule(struct choices *c, int depth) {
  unsigned k = pick(c, 8);
  if (depth < 2 && k == 0) { /* one choice after another: arguments have no order */
    const char *op = pick(c, 2) ? "And" : "Or";
    json_t *left = rule(c, depth + 1);
    return json_pack("{s:[o, o]}", op, left, rule(c, depth + 1));
  }
  if (depth < 2 && k == 1) return json_pack("{s:o}", "Not", rule(c, depth + 1));
  const char *op = ONE_OF(c, OPERATORS);
  json_t *operand = strncmp(op, "Is", 2) == 0 || strcmp(op, "BooleanEquals") == 0 ? json_boolean(pick(c, 2))
                    : strstr(op, "Path") ? json_string(ONE_OF(c, PATHS))
                    : strncmp(op, "Numeric", 7) == 0 ? json_integer(pick(c, 10))
                    : strncmp(op, "Timestamp", 9) == 0 ? json_string("2024-01-15T10:20:30Z")
                    : json_string(pick(c, 2) ? "hello*" : "x");
  return json_pack("{s:s, s:o}", "Variable", ONE_OF(c, PATHS), op, operand);
}

static void name_of(char *buf, size_t size, const char *prefix, unsigned i) {
  snprintf(buf, size, "%sS%u", prefix, i);
}

static json_t *machine(struct choices *c, int depth, const char *prefix);

static json_t *retry_or_catch(struct choices *c, bool catcher, const char *prefix, unsigned n) {
  json_t *list = json_array();
  for (unsigned i = 0, k = 1 + pick(c, 2); i < k; i++) {
    json_t *r = json_pack("{s:[s]}", "ErrorEquals", ONE_OF(c, ERRORS));
    if (catcher) {
      char next[32];
      name_of(next, sizeof next, prefix, pick(c, n));
      json_object_set_new(r, "Next", json_string(next));
      if (pick(c, 2)) json_object_set_new(r, "ResultPath", pick(c, 4) ? json_string(ONE_OF(c, REFERENCES)) : json_null());
    } else {
      json_object_set_new(r, "MaxAttempts", json_integer(pick(c, 4)));
      if (pick(c, 2)) json_object_set_new(r, "IntervalSeconds", json_integer(1 + pick(c, 100)));
      if (pick(c, 2)) json_object_set_new(r, "BackoffRate", json_real(1 + pick(c, 4) / 2.0));
      if (pick(c, 3) == 0) json_object_set_new(r, "MaxDelaySeconds", json_integer(1 + pick(c, 10)));
      if (pick(c, 3) == 0) json_object_set_new(r, "JitterStrategy", json_string("FULL"));
    }
    json_array_append_new(list, r);
  }
  return list;
}

static json_t *state(struct choices *c, int depth, const char *prefix, unsigned i, unsigned n) {
  const char *type = ONE_OF(c, TYPES);
  json_t *s = json_pack("{s:s}", "Type", type);
  char buf[32];
  bool terminal = !strcmp(type, "Succeed") || !strcmp(type, "Fail");
  if (!strcmp(type, "Pass")) {
    if (pick(c, 2)) json_object_set_new(s, "Result", value(c));
    else if (pick(c, 2)) json_object_set_new(s, "Parameters", template(c, 0));
  } else if (!strcmp(type, "Task")) {
    json_object_set_new(s, "Resource", json_string(ONE_OF(c, RESOURCES)));
    if (pick(c, 2)) json_object_set_new(s, "Parameters", template(c, 0));
    if (pick(c, 3) == 0) json_object_set_new(s, "TimeoutSeconds", json_integer(1 + pick(c, 5)));
    if (pick(c, 3) == 0) json_object_set_new(s, "ResultSelector", template(c, 0));
  } else if (!strcmp(type, "Choice")) {
    json_t *rules = json_array();
    for (unsigned k = 0, m = 1 + pick(c, 3); k < m; k++) {
      json_t *r = rule(c, 0);
      name_of(buf, sizeof buf, prefix, pick(c, n));
      json_object_set_new(r, "Next", json_string(buf));
      json_array_append_new(rules, r);
    }
    json_object_set_new(s, "Choices", rules);
    if (pick(c, 4)) {
      name_of(buf, sizeof buf, prefix, pick(c, n));
      json_object_set_new(s, "Default", json_string(buf));
    }
    return s;
  } else if (!strcmp(type, "Wait")) {
    unsigned k = pick(c, 4);
    if (k == 0) json_object_set_new(s, "SecondsPath", json_string(ONE_OF(c, PATHS)));
    else if (k == 1) json_object_set_new(s, "TimestampPath", json_string(ONE_OF(c, PATHS)));
    else if (k == 2) json_object_set_new(s, "Timestamp", json_string("2024-02-01T00:00:00Z"));
    else json_object_set_new(s, "Seconds", json_integer(pick(c, 4) * 86400));
  } else if (!strcmp(type, "Fail")) {
    if (pick(c, 2)) json_object_set_new(s, "Error", json_string(ONE_OF(c, ERRORS)));
    else json_object_set_new(s, "ErrorPath", json_string(ONE_OF(c, PATHS)));
    if (pick(c, 2)) json_object_set_new(s, "CausePath", json_string(ONE_OF(c, PATHS)));
    return s;
  } else if (!strcmp(type, "Parallel")) {
    json_t *branches = json_array();
    for (unsigned k = 0, m = 1 + pick(c, 2); k < m && depth < 2; k++) {
      snprintf(buf, sizeof buf, "%sP%uB%u_", prefix, i, k);
      json_array_append_new(branches, machine(c, depth + 1, buf));
    }
    json_object_set_new(s, "Branches", branches);
  } else if (!strcmp(type, "Map")) {
    snprintf(buf, sizeof buf, "%sM%u_", prefix, i);
    json_t *body = depth < 2 ? machine(c, depth + 1, buf) : json_object();
    if (pick(c, 3) == 0) json_object_set_new(body, "ProcessorConfig", json_pack("{s:s}", "Mode", pick(c, 2) ? "DISTRIBUTED" : "INLINE"));
    json_object_set_new(s, "ItemProcessor", body);
    if (pick(c, 4)) json_object_set_new(s, "ItemsPath", json_string(ONE_OF(c, PATHS)));
    if (pick(c, 2)) json_object_set_new(s, "ItemSelector", template(c, 0));
    if (pick(c, 2)) json_object_set_new(s, "MaxConcurrency", json_integer(pick(c, 3)));
    if (pick(c, 4) == 0) json_object_set_new(s, "ToleratedFailurePercentage", json_integer(pick(c, 101)));
  }
  if (!terminal) {
    if (pick(c, 3) == 0) json_object_set_new(s, "InputPath", pick(c, 4) ? json_string(ONE_OF(c, PATHS)) : json_null());
    if (pick(c, 3) == 0) json_object_set_new(s, "ResultPath", pick(c, 4) ? json_string(ONE_OF(c, REFERENCES)) : json_null());
    if (pick(c, 4) == 0) json_object_set_new(s, "OutputPath", json_string(ONE_OF(c, PATHS)));
    if (pick(c, 6) == 0) json_object_set_new(s, "Assign", template(c, 1));
    if (strcmp(type, "Pass") && strcmp(type, "Wait")) {
      if (pick(c, 3) == 0) json_object_set_new(s, "Retry", retry_or_catch(c, false, prefix, n));
      if (pick(c, 3) == 0) json_object_set_new(s, "Catch", retry_or_catch(c, true, prefix, n));
    }
    if (pick(c, 3) == 0) json_object_set_new(s, "End", json_true());
    else {
      /* any state, earlier ones too: loops end at the history quota */
      name_of(buf, sizeof buf, prefix, pick(c, n + 1));
      json_object_set_new(s, "Next", json_string(buf));
    }
  }
  if (pick(c, 16) == 0) json_object_set_new(s, "QueryLanguage", json_string("JSONata"));
  return s;
}

static json_t *machine(struct choices *c, int depth, const char *prefix) {
  unsigned n = 1 + pick(c, 6);
  json_t *states = json_object();
  char name[32];
  for (unsigned i = 0; i < n; i++) {
    name_of(name, sizeof name, prefix, i);
    json_object_set_new(states, name, state(c, depth, prefix, i, n));
  }
  name_of(name, sizeof name, prefix, 0);
  return json_pack("{s:s, s:o}", "StartAt", name, "States", states);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static json_t *doc, *context, *values;
  if (!doc) {
    doc = json_loads(DOCUMENT, 0, NULL);
    context = json_loads(CONTEXT, 0, NULL);
    values = json_loads(VARIABLES, 0, NULL);
    json_object_set(json_object_get(context, "Execution"), "Input", doc);
  }
  struct rt_vars vars = {values, NULL};
  struct rt_random random;
  rt_random_seed(&random, 1);
  struct rt_scope scope = {doc, context, &vars, &random};

  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = 0;
  strings(text, &scope, doc);
  json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
  if (v) document(v, &scope);
  json_decref(v);
  struct choices c = {data, size};
  bool history = pick(&c, 4) == 0;
  json_t *built = machine(&c, 0, "");
  execute(built, doc, history);
  json_decref(built);
  free(text);
  return 0;
}
