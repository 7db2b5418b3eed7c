/* teststate.c: AWS's TestState API (rt_test_state): one state run with the
 * request's input, variables, context and mock, and the response's status, output,
 * error, cause, nextState and inspectionData.
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

/* ---------------------------------------------------------------- rt_test_state */

/* The state NAME anywhere in the machine BLOCK: its States, and those of its
   Parallel branches and Map processors. */
json_t *ip_find_state(json_t *block, const char *name, int depth) {
  json_t *states = json_object_get(block, "States");
  json_t *found = json_object_get(states, name);
  if (found || depth > MAX_NESTING) return found;
  const char *k;
  json_t *st;
  json_object_foreach(states, k, st) {
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(st, "Branches"), i,
                       b) if ((found = ip_find_state(b, name, depth + 1))) return found;
    if ((found = ip_find_state(json_object_get(st, "ItemProcessor"), name, depth + 1)))
      return found;
    if ((found = ip_find_state(json_object_get(st, "Iterator"), name, depth + 1))) return found;
  }
  return NULL;
}

/* TestState's fields that hold JSON may come as JSON text (the API) or as JSON. */
static json_t *request_json(json_t *request, const char *key) {
  json_t *v = json_object_get(request, key);
  if (json_is_string(v)) {
    json_t *parsed = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
    if (parsed) return parsed;
  }
  return json_incref(v);
}

static json_t *test_state_error(const char *error, const char *cause) {
  return json_pack("{s:s,s:s,s:s}", "status", "FAILED", "error", error, "cause", cause);
}

json_t *rt_test_state(json_t *request, const struct rt_options *o) {
  json_t *definition = request_json(request, "definition");
  if (!json_is_object(definition)) {
    json_decref(definition);
    return test_state_error("States.Runtime", "The request has no definition.");
  }
  const char *name = ip_get_str(request, "stateName");
  json_t *def = definition;
  if (json_is_object(json_object_get(definition, "States"))) {
    if (!name) name = ip_get_str(definition, "StartAt");
    def = ip_find_state(definition, name ? name : "", 0);
    if (!json_is_object(def)) {
      json_decref(definition);
      return test_state_error("States.Runtime", "The stateName names no state of the definition.");
    }
  }
  if (!name) name = "TestState";
  json_t *input = request_json(request, "input");
  if (!input) input = json_object();
  json_t *context = request_json(request, "context");
  json_t *variables = request_json(request, "variables");
  json_t *mock = request_json(request, "mock");
  json_t *config = json_object_get(request, "stateConfiguration");
  const char *level = ip_get_str(request, "inspectionLevel");

  struct exec x;
  ip_exec_init(&x, definition, input, o);
  x.test_state = true;
  if (context) {
    json_decref(x.base);
    x.base = json_incref(context);
    x.fixed_context = true;
  } else {
    /* TestState runs the state as an express execution, with the request's role
       (ts-147: Execution.Id is an express ARN, RoleArn null without one) */
    json_t *e = json_object_get(x.base, "Execution");
    char *arn = ip_xasprintf("arn:%s:states:%s:%s:express:%s:%s", x.partition, x.region, x.account,
                             x.machine_name, ip_get_str(e, "Name"));
    json_object_set_new(e, "Id", json_string(arn));
    free(arn);
    json_t *role = json_object_get(request, "roleArn");
    json_object_set_new(e, "RoleArn", json_is_string(role) ? json_incref(role) : json_null());
    json_object_del(e, "RedriveCount");
  }
  struct inspection ins = {0};
  ins.data = json_object();
  ins.retry_index = ins.catch_index = ins.retries_done = -1;
  json_t *mock_result = NULL;
  if (mock) {
    ins.mocked = true;
    json_t *eo = json_object_get(mock, "errorOutput");
    if (eo) {
      ins.mock_error = ip_get_str(eo, "error");
      ins.mock_cause = ip_get_str(eo, "cause");
      if (!ins.mock_error) ins.mock_error = "";
    } else {
      mock_result = request_json(mock, "result");
      ins.mock_result = mock_result ? mock_result : json_null();
    }
  }
  json_t *fc = json_object_get(config, "mapIterationFailureCount");
  if (json_is_integer(fc)) ins.map_failures = (int)json_integer_value(fc);
  json_t *rc = json_object_get(config, "retrierRetryCount");
  if (json_is_integer(rc)) ins.retries_done = (int)json_integer_value(rc);
  ins.reader_data = json_object_get(config, "mapItemReaderData");
  struct rt_vars vars = {json_is_object(variables) ? json_deep_copy(variables) : json_object(),
                         NULL};
  long prev = 0;
  json_t *out = NULL;
  const char *next = NULL;
  struct rt_error err = {0};
  enum outcome oc =
      ip_run_state(&x, name, def, input, &vars, &prev, x.machine_jsonata, &out, &next, &err, &ins);
  json_t *resp = json_object();
  if (oc == RUN_OK && ins.caught.error) {
    json_object_set_new(resp, "status", json_string("CAUGHT_ERROR"));
    json_object_set_new(resp, "error", json_string(ins.caught.error));
    if (ins.caught.cause) json_object_set_new(resp, "cause", json_string(ins.caught.cause));
  } else if (oc == RUN_OK) {
    json_object_set_new(resp, "status", json_string("SUCCEEDED"));
  } else {
    json_object_set_new(resp, "status", json_string(ins.retriable ? "RETRIABLE" : "FAILED"));
    if (err.error) json_object_set_new(resp, "error", json_string(err.error));
    if (err.cause) json_object_set_new(resp, "cause", json_string(err.cause));
  }
  if (oc == RUN_OK) {
    json_object_set_new(resp, "output", ip_json_text(out));
    if (next) json_object_set_new(resp, "nextState", json_string(next));
  }
  if (ins.retriable) {
    json_object_set_new(ins.data, "errorDetails",
                        json_pack("{s:I,s:i}", "retryBackoffIntervalSeconds",
                                  (json_int_t)ins.retry_delay_s, "retryIndex", ins.retry_index));
  }
  /* TRACE shows the variables after the state (those of the request when it assigns
     none, ts-147) */
  if (ip_is(level, "TRACE") && json_object_size(vars.values))
    json_object_set_new(ins.data, "variables", ip_json_text(vars.values));
  if (ip_is(level, "DEBUG") || ip_is(level, "TRACE")) json_object_set(resp, "inspectionData", ins.data);
  json_decref(out);
  json_decref(vars.values);
  rt_error_free(&err);
  rt_error_free(&ins.caught);
  json_decref(ins.data);
  json_decref(mock_result);
  json_decref(mock);
  json_decref(variables);
  json_decref(context);
  json_decref(input);
  json_decref(definition);
  ip_exec_free(&x);
  return resp;
}
