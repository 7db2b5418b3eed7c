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
     quota error); an object with "definition" as a TestState request. */
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

static void document(json_t *v, const struct rt_scope *scope) {
  struct rt_error err = {0};
  json_t *out = NULL;
  if (json_is_object(v) || json_is_array(v)) {
    if (rt_template(v, scope, &out, &err)) json_decref(out);
    rt_error_free(&err);
  }
  struct rt_options o = {0};
  o.seed = 7;
  o.start_ms = 1705314030000;
  o.task = mock;
  o.history = true;
  o.max_events = 300;
  if (json_is_object(v) && json_object_get(v, "States")) {
    struct rt_result r = {0};
    (void)rt_execute(v, scope->input, &o, &r);
    rt_result_free(&r);
  }
  if (json_is_object(v) && json_object_get(v, "definition")) json_decref(rt_test_state(v, &o));
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
  free(text);
  return 0;
}
