/* driver.c: the sfc side of the differential test (tests/differential/diff.js), many
   executions in one process so the sanitizer build's start-up is paid once.

   Reads JSON objects {"definition", "input", "seed"} one after another on stdin, runs
   each with rt_execute, and writes one line per case on stdout:
     {"status": "SUCCEEDED", "output": ...}
     {"status": "FAILED" | "TIMED_OUT" | "ABORTED", "error": ..., "cause": ...}
     {"status": "INVALID", "error": ..., "cause": ...}   (rt_execute refused it)
   each with "path": the top-level states entered, in order, a state entered again
   straight after itself counted once (the history, not a retry, decides that).
   Task states are answered as tasks.js answers them on the other side: the function
   name of the Resource ARN says what the function does (see tasks.js). */
#define _POSIX_C_SOURCE 200809L
#include "runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *function_name(const char *resource) {
  static const char marker[] = ":function:";
  const char *p = resource ? strstr(resource, marker) : NULL;
  return p ? p + sizeof marker - 1 : "";
}

static bool answer(void *ctx, const struct rt_task_call *call, json_t **result, struct rt_error *err) {
  (void)ctx;
  const char *fn = function_name(call->resource);
  if (strcmp(fn, "echo") == 0) {
    *result = json_deep_copy(call->parameters);
    return true;
  }
  if (strcmp(fn, "wrap") == 0) {
    *result = json_pack("{s:s, s:O}", "from", call->state, "input", call->parameters);
    return true;
  }
  if (strncmp(fn, "fail-", 5) == 0) {
    rt_fail(err, fn + 5, "%s failed", call->state);
    return false;
  }
  int k, n = 0;
  if (sscanf(fn, "flaky-%d-%n", &k, &n) == 1 && n > 0) {
    if (call->call_index < k) {
      rt_fail(err, fn + n, "flaky");
      return false;
    }
    *result = json_pack("{s:b, s:i}", "ok", 1, "calls", call->call_index + 1);
    return true;
  }
  rt_fail(err, "States.Runtime", "no local handler for %s", fn);
  return false;
}

static const char *status_name(enum rt_status s) {
  switch (s) {
  case RT_SUCCEEDED: return "SUCCEEDED";
  case RT_FAILED: return "FAILED";
  case RT_TIMED_OUT: return "TIMED_OUT";
  case RT_ABORTED: return "ABORTED";
  }
  return "?";
}

static json_t *error_line(const char *status, const struct rt_error *e) {
  return json_pack("{s:s, s:s?, s:s?}", "status", status, "error", e->error, "cause", e->cause);
}

/* The names of the top-level states the history shows entered (see above). */
static json_t *path_of(json_t *history, json_t *states) {
  json_t *path = json_array();
  size_t i;
  json_t *event;
  json_array_foreach(history, i, event) {
    const char *name = json_string_value(json_object_get(json_object_get(event, "stateEnteredEventDetails"), "name"));
    size_t n = json_array_size(path);
    if (!name || !json_object_get(states, name)) continue;
    if (n && !strcmp(json_string_value(json_array_get(path, n - 1)), name)) continue;
    json_array_append_new(path, json_string(name));
  }
  return path;
}

int main(void) {
  for (;;) {
    json_error_t jerr;
    json_t *c = json_loadf(stdin, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &jerr);
    if (!c) {
      int ch;
      while ((ch = getchar()) == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {}
      if (ch == EOF) return 0;
      fprintf(stderr, "driver: bad case at line %d: %s\n", jerr.line, jerr.text);
      return 2;
    }
    json_t *seed = json_object_get(c, "seed");
    struct rt_options o = {0};
    o.seed = (uint64_t)json_integer_value(seed);
    o.start_ms = 1700000000000;
    o.task = answer;
    o.history = true;
    struct rt_result r = {0};
    json_t *line;
    if (!rt_execute(json_object_get(c, "definition"), json_object_get(c, "input"), &o, &r))
      line = error_line("INVALID", &r.error);
    else if (r.status == RT_SUCCEEDED)
      line = json_pack("{s:s, s:O?}", "status", "SUCCEEDED", "output", r.output);
    else
      line = error_line(status_name(r.status), &r.error);
    if (line && r.history)
      json_object_set_new(line, "path", path_of(r.history, json_object_get(json_object_get(c, "definition"), "States")));
    char *text = line ? json_dumps(line, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17)) : NULL;
    printf("%s\n", text ? text : "{\"status\": \"DRIVER: cannot print the result\"}");
    fflush(stdout);
    free(text);
    json_decref(line);
    rt_result_free(&r);
    json_decref(c);
  }
}
