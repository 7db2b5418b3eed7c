/* test_runtime_interp.c: the interpreter (runtime/interp.c) against AWS's recordings.
 *
 *   test_runtime_interp --executions FILE [-v | --traces] [ID...]
 *       runs every case of executions.json (the corpus recorded against AWS) that does
 *       not use JSONata and compares status, output, error and cause, masking the
 *       values the recording tool replaced; prints "N passed, N failed, N skipped".
 *       --traces also compares the history's events (type and state name) with the
 *       recorded trace.
 *   test_runtime_interp --mocked-traces FILE
 *       runs executions-mocked-services.json with each task answered from its own
 *       trace, and compares the history's events with the trace.
 *   test_runtime_interp --test-state FILE
 *       runs the TestState calls of test-state.json (not JSONata, no real service) and
 *       compares status and error.
 *   test_runtime_interp
 *       the unit tests below (clock, history, quotas, Retry and Catch, timeouts, Map and
 *       Parallel timing, Choice, TestState); ends "N passed, N failed" as tests/run wants.
 */
#include "interp.h"
#include "runtime.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks_passed, checks_failed;

static char *copy(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (!c) abort();
  return memcpy(c, s, n);
}

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (cond) {                                                                      \
      checks_passed++;                                                               \
    } else {                                                                         \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                         \
      checks_failed++;                                                               \
    }                                                                                \
  } while (0)

/* ---------------------------------------------------------------- masking */

/* Does TEXT match PATTERN, where each "<...>" placeholder of the recording stands for
   any text? */
static bool masked_text(const char *p, const char *t) {
  if (!*p) return !*t;
  if (*p == '<') {
    const char *end = strchr(p, '>');
    if (end) {
      for (const char *u = t;; u++) {
        if (masked_text(end + 1, u)) return true;
        if (!*u) return false;
      }
    }
  }
  return *p == *t && masked_text(p + 1, t + 1);
}

/* Values the recording tool put in place of times and the role, in every case. */
static const char *const always_masked[] = {"date", "start-time", "entered-time", "snf_role_arn",
                                            "RandomNumberGenerated"};

static bool is_placeholder(const char *s, json_t *normalized) {
  for (size_t i = 0; i < sizeof always_masked / sizeof *always_masked; i++)
    if (!strcmp(s, always_masked[i])) return true;
  size_t i;
  json_t *v;
  json_array_foreach(normalized, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), s))
      return true;
  return false;
}

static bool masked_equal(json_t *want, json_t *got, json_t *normalized) {
  if (json_is_string(want)) {
    const char *w = json_string_value(want);
    if (is_placeholder(w, normalized)) return true;
    if (!json_is_string(got)) return false;
    return strchr(w, '<') ? masked_text(w, json_string_value(got)) : !strcmp(w, json_string_value(got));
  }
  if (json_is_object(want)) {
    if (!json_is_object(got) || json_object_size(want) != json_object_size(got)) return false;
    const char *k;
    json_t *v;
    json_object_foreach(want, k, v) if (!masked_equal(v, json_object_get(got, k), normalized)) return false;
    return true;
  }
  if (json_is_array(want)) {
    if (!json_is_array(got) || json_array_size(want) != json_array_size(got)) return false;
    for (size_t i = 0; i < json_array_size(want); i++)
      if (!masked_equal(json_array_get(want, i), json_array_get(got, i), normalized)) return false;
    return true;
  }
  if (json_is_number(want) && json_is_number(got))
    return json_number_value(want) == json_number_value(got);
  return json_equal(want, got);
}

static bool has_feature(json_t *c, const char *f) {
  size_t i;
  json_t *v;
  json_array_foreach(json_object_get(c, "features"), i, v) if (!strcmp(json_string_value(v), f))
      return true;
  return false;
}

static const char *status_name(enum rt_status s) {
  static const char *const names[] = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"};
  return names[s];
}

static bool wanted(const char *id, int argc, char **argv, int first) {
  if (first >= argc) return true;
  for (int i = first; i < argc; i++)
    if (!strcmp(argv[i], id)) return true;
  return false;
}

/* "Type name" for each event: the compacted trace's, or a GetExecutionHistory event's. */
static json_t *event_line(json_t *e, bool recorded) {
  const char *type = json_string_value(json_object_get(e, "type"));
  const char *name = NULL;
  if (recorded) {
    name = json_string_value(json_object_get(e, "name"));
  } else {
    const char *k;
    json_t *d;
    json_object_foreach(e, k, d) if (json_is_object(d) && json_object_get(d, "name") &&
                                     !strstr(k, "MapIteration"))
        name = json_string_value(json_object_get(d, "name"));
  }
  if (type && strstr(type, "MapIteration")) name = NULL;
  char line[256];
  snprintf(line, sizeof line, "%s %s", type ? type : "?", name ? name : "");
  return json_string(line);
}

static int cmp_lines(const void *a, const void *b) {
  return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* The events of R against the case's trace: in order, or as a multiset when branches
   and iterations may interleave (Parallel, Map without MaxConcurrency 1). */
static bool same_trace(json_t *c, json_t *history, char **why) {
  json_t *trace = json_object_get(c, "trace");
  size_t n = json_array_size(trace), m = json_array_size(history);
  json_t **want = calloc(n + 1, sizeof *want), **got = calloc(m + 1, sizeof *got);
  for (size_t i = 0; i < n; i++) want[i] = event_line(json_array_get(trace, i), true);
  for (size_t i = 0; i < m; i++) got[i] = event_line(json_array_get(history, i), false);
  char *def = json_dumps(json_object_get(c, "definition"), JSON_COMPACT);
  if (strstr(def, "\"Parallel\"") || strstr(def, "\"Map\"")) {
    qsort(want, n, sizeof *want, cmp_lines);
    qsort(got, m, sizeof *got, cmp_lines);
  }
  free(def);
  bool same = n == m;
  size_t i = 0;
  for (; i < n && i < m && same; i++) same = json_equal(want[i], got[i]);
  if (!same) {
    size_t k = 0;
    while (k < n && k < m && json_equal(want[k], got[k])) k++;
    *why = malloc(600);
    snprintf(*why, 600, "%zu events, recorded %zu; first difference at %zu: recorded '%s', got '%s'", m,
             n, k, k < n ? json_string_value(want[k]) : "(end)", k < m ? json_string_value(got[k]) : "(end)");
  }
  for (size_t j = 0; j < n; j++) json_decref(want[j]);
  for (size_t j = 0; j < m; j++) json_decref(got[j]);
  free(want);
  free(got);
  return same;
}

static int run_executions(const char *file, bool verbose, bool traces, int argc, char **argv,
                          int first) {
  json_error_t je;
  json_t *cases = json_load_file(file, 0, &je);
  if (!cases) {
    printf("skipped: cannot read %s (%s)\n", file, je.text);
    return 0;
  }
  int passed = 0, failed = 0, skipped = 0;
  size_t i;
  json_t *c;
  json_array_foreach(cases, i, c) {
    const char *id = json_string_value(json_object_get(c, "id"));
    if (!wanted(id, argc, argv, first)) continue;
    if (has_feature(c, "JSONata") || has_feature(c, "Task")) {
      skipped++;
      continue;
    }
    json_t *input = json_loads(json_string_value(json_object_get(c, "input")), JSON_DECODE_ANY, NULL);
    struct rt_options o = {0};
    o.history = verbose || traces;
    o.account = "111111111111"; /* the recordings' masked account */
    struct rt_result r;
    rt_execute(json_object_get(c, "definition"), input, &o, &r);
    json_t *exp = json_object_get(c, "expected");
    json_t *norm = json_object_get(c, "normalized_values");
    const char *want_status = json_string_value(json_object_get(exp, "status"));
    bool ok = !strcmp(want_status, status_name(r.status));
    if (ok && r.status == RT_SUCCEEDED) ok = masked_equal(json_object_get(exp, "output"), r.output, norm);
    if (ok && r.status != RT_SUCCEEDED) {
      json_t *we = json_object_get(exp, "error"), *wc = json_object_get(exp, "cause");
      json_t *ge = r.error.error ? json_string(r.error.error) : json_null();
      json_t *gc = r.error.cause ? json_string(r.error.cause) : json_null();
      ok = masked_equal(we ? we : json_null(), ge, norm) &&
           (masked_equal(wc ? wc : json_null(), gc, norm) ||
            (json_is_string(wc) && strstr(json_string_value(wc), "<json-input")));
      json_decref(ge);
      json_decref(gc);
    }
    char *trace_why = NULL;
    if (ok && traces && !same_trace(c, r.history, &trace_why)) {
      ok = false;
      printf("TRACE %s: %s\n", id, trace_why);
      free(trace_why);
    }
    if (ok) {
      passed++;
    } else {
      failed++;
      char *want = json_dumps(exp, JSON_COMPACT);
      char *got_out = r.output ? json_dumps(r.output, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
      printf("FAIL %s %s\n  want %.600s\n  got  %s %.600s %s | %.400s\n", id,
             json_string_value(json_object_get(json_object_get(c, "source"), "nodeid")), want,
             status_name(r.status), got_out ? got_out : "", r.error.error ? r.error.error : "",
             r.error.cause ? r.error.cause : "");
      if (verbose && r.history) {
        char *h = json_dumps(r.history, JSON_INDENT(1));
        printf("%s\n", h);
        free(h);
      }
      free(want);
      free(got_out);
    }
    rt_result_free(&r);
    json_decref(input);
  }
  json_decref(cases);
  printf("%d passed, %d failed, %d skipped (JSONata, or Tasks that need mocks)\n", passed, failed, skipped);
  return failed != 0;
}

/* TestState calls: each request's status and error against the recorded response
   (tests/runtime/ compares every field; this is the quick look, and a crash test). */
static int run_test_states(const char *file) {
  json_error_t je;
  json_t *cases = json_load_file(file, 0, &je);
  if (!cases) {
    printf("skipped: cannot read %s (%s)\n", file, je.text);
    return 0;
  }
  int passed = 0, failed = 0, skipped = 0;
  size_t i;
  json_t *c;
  json_array_foreach(cases, i, c) {
    json_t *req = json_object_get(c, "request");
    char *text = json_dumps(req, 0);
    bool jsonata = text && strstr(text, "JSONata");
    free(text);
    if (jsonata || json_is_true(json_object_get(c, "needs_service"))) {
      skipped++;
      continue;
    }
    struct rt_options o = {0};
    o.account = "111111111111";
    json_t *resp = rt_test_state(req, &o);
    json_t *rec = json_object_get(c, "recorded");
    json_t *ge = json_object_get(resp, "error"), *we = json_object_get(rec, "error");
    bool ok = json_equal(json_object_get(resp, "status"), json_object_get(rec, "status")) &&
              (ge || we ? json_equal(ge, we) : true);
    if (ok) passed++;
    else {
      failed++;
      char *got = json_dumps(resp, JSON_COMPACT);
      printf("FAIL %s got %.300s\n", json_string_value(json_object_get(c, "id")), got);
      free(got);
    }
    json_decref(resp);
  }
  json_decref(cases);
  printf("%d passed, %d failed, %d skipped (JSONata, or a real service)\n", passed, failed, skipped);
  return failed != 0;
}

/* ---------------------------------------------------------------- unit tests */

static json_t *parse(const char *text) {
  json_error_t e;
  json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
  if (!v) fprintf(stderr, "bad test JSON: %s: %s\n", text, e.text);
  return v;
}

static void run(const char *def, const char *input, struct rt_options *o, struct rt_result *r) {
  json_t *d = parse(def), *in = parse(input);
  rt_execute(d, in, o, r);
  json_decref(d);
  json_decref(in);
}

static void test_loop_quota(void) {
  struct rt_options o = {0};
  o.history = true;
  struct rt_result r;
  run("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"A\"}}}", "{}", &o, &r);
  CHECK(r.status == RT_FAILED);
  CHECK(r.error.error && !strcmp(r.error.error, "States.Runtime"));
  CHECK(r.error.cause && !strcmp(r.error.cause,
                                 "The execution reached the maximum number of history events (25000)."));
  CHECK(json_array_size(r.history) == 25000);
  json_t *last = json_array_get(r.history, 24999);
  CHECK(!strcmp(json_string_value(json_object_get(last, "type")), "ExecutionFailed"));
  CHECK(json_integer_value(json_object_get(last, "id")) == 25000);
  rt_result_free(&r);
}

static void test_wait_clock(void) {
  struct rt_options o = {0};
  struct rt_result r;
  run("{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":90,\"Next\":\"P\"},"
      "\"P\":{\"Type\":\"Pass\",\"Parameters\":{\"t.$\":\"$$.State.EnteredTime\","
      "\"s.$\":\"$$.Execution.StartTime\"},\"End\":true}}}",
      "{}", &o, &r);
  CHECK(r.status == RT_SUCCEEDED);
  CHECK(!strcmp(json_string_value(json_object_get(r.output, "t")), "2024-01-01T00:01:30.000Z"));
  CHECK(!strcmp(json_string_value(json_object_get(r.output, "s")), "2024-01-01T00:00:00.000Z"));
  CHECK(r.duration_ms == 90000);
  rt_result_free(&r);
}

static void test_execution_timeout(void) {
  struct rt_options o = {0};
  struct rt_result r;
  run("{\"TimeoutSeconds\":5,\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":10,"
      "\"End\":true}}}",
      "{}", &o, &r);
  CHECK(r.status == RT_TIMED_OUT);
  CHECK(r.error.error && !strcmp(r.error.error, "States.Timeout"));
  CHECK(r.duration_ms == 5000);
  rt_result_free(&r);
}

static void test_nesting_bound(void) {
  /* 200 Parallels nested in each other: a clear error, not a stack overflow */
  size_t cap = 1 << 16;
  char *def = malloc(cap);
  strcpy(def, "");
  for (int i = 0; i < 200; i++)
    strcat(def, "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"End\":true,\"Branches\":[");
  strcat(def, "{\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Pass\",\"End\":true}}}");
  for (int i = 0; i < 200; i++) strcat(def, "]}}}");
  struct rt_options o = {0};
  struct rt_result r;
  run(def, "{}", &o, &r);
  CHECK(r.status == RT_FAILED);
  CHECK(r.error.error && !strcmp(r.error.error, "States.Runtime"));
  rt_result_free(&r);
  free(def);
}

/* A mock for the tests: the state's answers in order, from an object
   {"State": [{"result": ...} | {"error": ..., "cause": ...}, ...]}; "ms" is the time
   the call takes. */
static bool test_task(void *ctx, const struct rt_task_call *call, json_t **result,
                      struct rt_error *err) {
  json_t *answers = json_object_get(ctx, call->state);
  json_t *a = json_array_get(answers, (size_t)call->call_index);
  if (!a) a = json_array_get(answers, json_array_size(answers) - 1);
  json_t *ms = json_object_get(a, "ms");
  if (ms) *call->duration_ms = json_integer_value(ms);
  if (json_object_get(a, "error")) {
    /* a bare failure (no error name, no cause) stays bare */
    const char *e = json_string_value(json_object_get(a, "error"));
    const char *c = json_string_value(json_object_get(a, "cause"));
    err->error = e ? copy(e) : NULL;
    err->cause = c ? copy(c) : NULL;
    return false;
  }
  *result = json_incref(json_object_get(a, "result"));
  if (!*result) *result = json_null();
  return true;
}

/* Task answers from a recorded trace: per state, its outcomes in order (a result, an
   error, or a timeout, which takes longer than any limit). */
static json_t *answers_from_trace(json_t *trace) {
  json_t *answers = json_object();
  const char *current = NULL;
  size_t i;
  json_t *e;
  json_array_foreach(trace, i, e) {
    const char *type = json_string_value(json_object_get(e, "type"));
    if (!type) continue;
    if (!strcmp(type, "TaskStateEntered")) current = json_string_value(json_object_get(e, "name"));
    if (!current) continue;
    json_t *a = NULL;
    size_t n = strlen(type);
    if (n > 9 && !strcmp(type + n - 9, "Succeeded") && strncmp(type, "Map", 3) &&
        strncmp(type, "Execution", 9)) {
      json_t *out = json_object_get(e, "output");
      a = json_pack("{s:O}", "result", out ? out : json_null());
    } else if (n > 6 && !strcmp(type + n - 6, "Failed") && strncmp(type, "Map", 3) &&
               strncmp(type, "Parallel", 8) && strncmp(type, "Execution", 9)) {
      json_t *cause = json_object_get(e, "cause");
      char *text = json_is_string(cause) || !cause ? NULL : json_dumps(cause, JSON_ENCODE_ANY);
      a = json_pack("{s:o,s:s?}", "error",
                    json_object_get(e, "error") ? json_incref(json_object_get(e, "error")) : json_null(),
                    "cause", text ? text : json_string_value(cause));
      free(text);
    } else if (n > 8 && !strcmp(type + n - 8, "TimedOut")) {
      a = json_pack("{s:n,s:I}", "result", "ms", (json_int_t)1000000000000);
    }
    if (!a) continue;
    json_t *list = json_object_get(answers, current);
    if (!list) json_object_set_new(answers, current, list = json_array());
    json_array_append_new(list, a);
  }
  return answers;
}

/* The mocked executions: answered from their own traces, the history's events against
   the trace (the outputs are tests/runtime/'s, with the recorded values it masks). */
static int run_mocked_traces(const char *file) {
  json_error_t je;
  json_t *cases = json_load_file(file, 0, &je);
  if (!cases) {
    printf("skipped: cannot read %s (%s)\n", file, je.text);
    return 0;
  }
  int passed = 0, failed = 0, skipped = 0;
  size_t i;
  json_t *c;
  json_array_foreach(cases, i, c) {
    const char *id = json_string_value(json_object_get(c, "id"));
    char *def = json_dumps(json_object_get(c, "definition"), 0);
    bool skip = has_feature(c, "JSONata") || has_feature(c, "DistributedMap") ||
                strstr(def, "ItemReader");
    free(def);
    if (skip) {
      skipped++;
      continue;
    }
    json_t *answers = answers_from_trace(json_object_get(c, "trace"));
    json_t *input = json_loads(json_string_value(json_object_get(c, "input")), JSON_DECODE_ANY, NULL);
    struct rt_options o = {0};
    o.task = test_task;
    o.task_ctx = answers;
    o.history = true;
    struct rt_result r;
    rt_execute(json_object_get(c, "definition"), input, &o, &r);
    char *why = NULL;
    if (same_trace(c, r.history, &why)) {
      passed++;
    } else {
      failed++;
      printf("TRACE %s: %s\n", id, why);
      free(why);
    }
    rt_result_free(&r);
    json_decref(input);
    json_decref(answers);
  }
  json_decref(cases);
  printf("%d passed, %d failed, %d skipped (JSONata, Distributed Map)\n", passed, failed, skipped);
  return failed != 0;
}

static void run_mocked(const char *def, const char *input, const char *mocks, struct rt_result *r) {
  json_t *m = parse(mocks);
  struct rt_options o = {0};
  o.task = test_task;
  o.task_ctx = m;
  o.history = true;
  run(def, input, &o, r);
  json_decref(m);
}

static const char *str(json_t *v, const char *key) { return json_string_value(json_object_get(v, key)); }

static void test_retry_backoff(void) {
  /* IntervalSeconds 2, BackoffRate 3, MaxDelaySeconds 10: waits 2 s, 6 s, 10 s */
  struct rt_result r;
  run_mocked("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\","
             "\"Retry\":[{\"ErrorEquals\":[\"Boom\"],\"IntervalSeconds\":2,\"BackoffRate\":3,\"MaxDelaySeconds\":10,"
             "\"MaxAttempts\":3}],\"ResultSelector\":{\"n.$\":\"$$.State.RetryCount\"},\"End\":true}}}",
             "{}",
             "{\"T\":[{\"error\":\"Boom\"},{\"error\":\"Boom\"},{\"error\":\"Boom\"},{\"result\":{}}]}", &r);
  CHECK(r.status == RT_SUCCEEDED);
  CHECK(json_integer_value(json_object_get(r.output, "n")) == 3);
  CHECK(r.duration_ms == 18000);
  rt_result_free(&r);
  /* the retrier exhausted: Catch, with the error in ResultPath over the raw input */
  run_mocked("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\","
             "\"Retry\":[{\"ErrorEquals\":[\"Boom\"],\"MaxAttempts\":1},{\"ErrorEquals\":[\"States.ALL\"],\"MaxAttempts\":5}],"
             "\"Catch\":[{\"ErrorEquals\":[\"States.TaskFailed\"],\"ResultPath\":\"$.err\",\"Next\":\"D\"}],\"End\":true},"
             "\"D\":{\"Type\":\"Succeed\"}}}",
             "{\"a\":1}", "{\"T\":[{\"error\":\"Boom\",\"cause\":\"c\"}]}", &r);
  CHECK(r.status == RT_SUCCEEDED);
  CHECK(!strcmp(str(json_object_get(r.output, "err"), "Error"), "Boom"));
  CHECK(!strcmp(str(json_object_get(r.output, "err"), "Cause"), "c"));
  CHECK(json_integer_value(json_object_get(r.output, "a")) == 1);
  CHECK(r.duration_ms == 1000);
  rt_result_free(&r);
}

static void test_task_timeouts(void) {
  struct rt_result r;
  run_mocked("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\","
             "\"TimeoutSeconds\":5,\"Parameters\":{\"t.$\":\"$$.Task.Token\"},\"End\":true}}}",
             "{}", "{\"T\":[{\"result\":1,\"ms\":9000}]}", &r);
  CHECK(r.status == RT_FAILED);
  CHECK(!strcmp(r.error.error, "States.Timeout"));
  CHECK(r.duration_ms == 5000);
  json_t *last = json_array_get(r.history, json_array_size(r.history) - 2);
  CHECK(!strcmp(str(last, "type"), "TaskTimedOut"));
  rt_result_free(&r);
  run_mocked("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\","
             "\"HeartbeatSeconds\":2,\"Catch\":[{\"ErrorEquals\":[\"States.HeartbeatTimeout\"],\"Next\":\"D\"}],\"End\":true},"
             "\"D\":{\"Type\":\"Pass\",\"End\":true}}}",
             "{}", "{\"T\":[{\"result\":1,\"ms\":9000}]}", &r);
  CHECK(r.status == RT_SUCCEEDED);
  CHECK(!strcmp(str(r.output, "Error"), "States.Timeout"));
  CHECK(r.duration_ms == 2000);
  rt_result_free(&r);
}

static void test_map_concurrency_clock(void) {
  /* 4 items of 10 s each, 2 at a time: 20 s */
  struct rt_result r;
  run_mocked("{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"MaxConcurrency\":2,\"ItemProcessor\":{\"StartAt\":\"T\","
             "\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"End\":true}}},\"End\":true}}}",
             "[1,2,3,4]", "{\"T\":[{\"result\":\"x\",\"ms\":10000}]}", &r);
  CHECK(r.status == RT_SUCCEEDED);
  CHECK(json_array_size(r.output) == 4);
  CHECK(r.duration_ms == 20000);
  rt_result_free(&r);
  /* Parallel branches overlap: the longest one counts */
  run_mocked("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":["
             "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Wait\",\"Seconds\":7,\"End\":true}}},"
             "{\"StartAt\":\"B\",\"States\":{\"B\":{\"Type\":\"Wait\",\"Seconds\":3,\"End\":true}}}],\"End\":true}}}",
             "{}", "{}", &r);
  CHECK(r.status == RT_SUCCEEDED);
  CHECK(r.duration_ms == 7000);
  rt_result_free(&r);
}

static void test_choice_and_errors(void) {
  struct rt_result r;
  run_mocked("{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.s\","
             "\"StringMatches\":\"log-*.t\\\\*t\",\"Next\":\"Y\"},{\"Variable\":\"$.t\",\"TimestampLessThan\":"
             "\"2020-01-01T00:00:00+01:00\",\"Next\":\"Y\"}]},\"Y\":{\"Type\":\"Succeed\"}}}",
             "{\"s\":\"log-1.t*t\"}", "{}", &r);
  CHECK(r.status == RT_SUCCEEDED);
  rt_result_free(&r);
  run_mocked("{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.t\","
             "\"TimestampLessThan\":\"2020-01-01T00:00:00+01:00\",\"Next\":\"Y\"}]},\"Y\":{\"Type\":\"Succeed\"}}}",
             "{\"t\":\"2019-12-31T23:30:00Z\"}", "{}", &r);
  CHECK(r.status == RT_FAILED && !strcmp(r.error.error, "States.NoChoiceMatched"));
  rt_result_free(&r);
  /* a JSONata state runs */
  run_mocked("{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Output\":\"{% 1 %}\",\"End\":true}}}",
             "{}", "{}", &r);
  CHECK(r.status == RT_SUCCEEDED && json_integer_value(r.output) == 1);
  rt_result_free(&r);
  /* States.Runtime is never caught */
  run_mocked("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"X\",\"States\":"
             "{\"X\":{\"Type\":\"Pass\",\"InputPath\":\"$.nope\",\"End\":true}}}],\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],"
             "\"Next\":\"D\"}],\"End\":true},\"D\":{\"Type\":\"Succeed\"}}}",
             "{}", "{}", &r);
  CHECK(r.status == RT_FAILED && !strcmp(r.error.error, "States.Runtime"));
  rt_result_free(&r);
}

static void test_test_state(void) {
  json_t *req = parse("{\"definition\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\","
                      "\"Retry\":[{\"ErrorEquals\":[\"E\"],\"IntervalSeconds\":4}],\"End\":true},"
                      "\"input\":{},\"inspectionLevel\":\"DEBUG\",\"mock\":{\"errorOutput\":{\"error\":\"E\",\"cause\":\"c\"}}}");
  struct rt_options o = {0};
  json_t *resp = rt_test_state(req, &o);
  CHECK(!strcmp(str(resp, "status"), "RETRIABLE"));
  json_t *ed = json_object_get(json_object_get(resp, "inspectionData"), "errorDetails");
  CHECK(json_integer_value(json_object_get(ed, "retryBackoffIntervalSeconds")) == 4);
  json_decref(resp);
  json_decref(req);
  req = parse("{\"definition\":\"{\\\"Type\\\":\\\"Pass\\\",\\\"Next\\\":\\\"N\\\"}\",\"input\":\"[1]\",\"inspectionLevel\":\"INFO\"}");
  resp = rt_test_state(req, &o);
  CHECK(!strcmp(str(resp, "status"), "SUCCEEDED"));
  CHECK(!strcmp(str(resp, "output"), "[1]"));
  CHECK(!strcmp(str(resp, "nextState"), "N"));
  CHECK(!json_object_get(resp, "inspectionData"));
  json_decref(resp);
  json_decref(req);
}

static void test_distributed_map(void) {
  struct rt_result r;
  /* CSV from the ItemReader, MaxItems 3, batches of 2 with BatchInput */
  run_mocked("{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemReader\":{\"Resource\":"
             "\"arn:aws:states:::s3:getObject\",\"ReaderConfig\":{\"InputType\":\"CSV\",\"CSVHeaderLocation\":"
             "\"FIRST_ROW\",\"MaxItems\":3},\"Parameters\":{\"Bucket\":\"b\",\"Key\":\"k\"}},\"ItemBatcher\":"
             "{\"MaxItemsPerBatch\":2,\"BatchInput\":{\"run.$\":\"$.run\"}},\"ItemProcessor\":{\"ProcessorConfig\":"
             "{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"STANDARD\"},\"StartAt\":\"P\",\"States\":{\"P\":"
             "{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}",
             "{\"run\":7}", "{\"M\":[{\"result\":\"a,b\\n1,\\\"x,y\\\"\\n2,z\\n3,w\\n4,v\\n\"}]}", &r);
  CHECK(r.status == RT_SUCCEEDED);
  CHECK(json_array_size(r.output) == 2);
  json_t *b0 = json_array_get(r.output, 0);
  CHECK(json_array_size(json_object_get(b0, "Items")) == 2);
  CHECK(!strcmp(str(json_array_get(json_object_get(b0, "Items"), 0), "b"), "x,y"));
  CHECK(json_integer_value(json_object_get(json_object_get(b0, "BatchInput"), "run")) == 7);
  CHECK(json_array_size(json_object_get(json_array_get(r.output, 1), "Items")) == 1);
  rt_result_free(&r);
  /* a failed child: tolerated once, then the threshold */
  const char *def = "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ToleratedFailureCount\":%d,"
                    "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"STANDARD\"},"
                    "\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$\","
                    "\"NumericEquals\":0,\"Next\":\"F\"}],\"Default\":\"P\"},\"F\":{\"Type\":\"Fail\",\"Error\":\"E\"},"
                    "\"P\":{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}";
  char buf[1024];
  snprintf(buf, sizeof buf, def, 1);
  run_mocked(buf, "[0,1,2]", "{}", &r);
  CHECK(r.status == RT_SUCCEEDED);
  rt_result_free(&r);
  snprintf(buf, sizeof buf, def, 0);
  run_mocked(buf, "[0,1,2]", "{}", &r);
  CHECK(r.status == RT_FAILED && !strcmp(r.error.error, "States.ExceedToleratedFailureThreshold"));
  CHECK(!strcmp(r.error.cause, "The specified tolerated failure threshold was exceeded"));
  rt_result_free(&r);
  /* ResultWriter: the manifest pointer, with the Label in the Map Run's ARN */
  run_mocked("{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"Label\":\"L\",\"ResultWriter\":{\"Resource\":"
             "\"arn:aws:states:::s3:putObject\",\"Parameters\":{\"Bucket\":\"out\",\"Prefix\":\"p\"}},"
             "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"STANDARD\"},"
             "\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}",
             "[1]", "{\"M\":[{\"result\":{}}]}", &r);
  CHECK(r.status == RT_SUCCEEDED);
  const char *arn = str(r.output, "MapRunArn");
  CHECK(arn && strstr(arn, ":mapRun:StateMachine/L:"));
  const char *key = str(json_object_get(r.output, "ResultWriterDetails"), "Key");
  CHECK(key && !strncmp(key, "p/", 2) && strstr(key, "/manifest.json"));
  rt_result_free(&r);
}

static void test_assign_scopes(void) {
  struct rt_result r;
  /* Assign reads the values of entry (a swap), a matched Choice rule runs only its own
     Assign, a branch reads the outer frame, and a Catcher's Assign replaces the state's */
  run_mocked("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Assign\":{\"x\":1,\"y\":2},\"Next\":\"B\"},"
             "\"B\":{\"Type\":\"Pass\",\"Assign\":{\"x.$\":\"$y\",\"y.$\":\"$x\"},\"Next\":\"C\"},"
             "\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$x\",\"NumericEquals\":2,\"Next\":\"P\"}],"
             "\"Assign\":{\"x\":99},\"Default\":\"P\"},"
             "\"P\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"Q\",\"States\":{\"Q\":{\"Type\":\"Pass\","
             "\"Parameters\":{\"x.$\":\"$x\",\"y.$\":\"$y\"},\"End\":true}}}],\"Next\":\"T\"},"
             "\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Assign\":{\"z\":\"state\"},"
             "\"ResultPath\":null,\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Assign\":{\"z\":\"catcher\"},"
             "\"ResultPath\":\"$[0].e\",\"Next\":\"E\"}],\"End\":true},"
             "\"E\":{\"Type\":\"Pass\",\"Parameters\":{\"z.$\":\"$z\",\"first.$\":\"$[0]\"},\"End\":true}}}",
             "{}", "{\"T\":[{\"error\":\"Boom\"}]}", &r);
  CHECK(r.status == RT_SUCCEEDED);
  CHECK(!strcmp(str(r.output, "z"), "catcher"));
  json_t *first = json_object_get(r.output, "first");
  CHECK(json_integer_value(json_object_get(first, "x")) == 2);
  CHECK(json_integer_value(json_object_get(first, "y")) == 1);
  rt_result_free(&r);
}

/* Overlapping branches and iterations are logged in time order, ids renumbered. */
static void test_history_order(void) {
  struct rt_result r;
  run_mocked("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":["
             "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Wait\",\"Seconds\":5,\"End\":true}}},"
             "{\"StartAt\":\"B\",\"States\":{\"B\":{\"Type\":\"Pass\",\"End\":true}}}],\"ResultPath\":null,"
             "\"Next\":\"M\"},\"M\":{\"Type\":\"Map\",\"ItemProcessor\":{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\","
             "\"SecondsPath\":\"$\",\"End\":true}}},\"End\":true}}}",
             "[3,1,2]", "{}", &r);
  CHECK(r.status == RT_SUCCEEDED);
  size_t i;
  json_t *e;
  const char *last = "";
  bool ordered = true, numbered = true;
  json_array_foreach(r.history, i, e) {
    const char *ts = str(e, "timestamp");
    ordered = ordered && strcmp(last, ts) <= 0;
    last = ts;
    json_int_t id = json_integer_value(json_object_get(e, "id"));
    json_int_t prev = json_integer_value(json_object_get(e, "previousEventId"));
    numbered = numbered && id == (json_int_t)i + 1 && prev < id;
  }
  CHECK(ordered);
  CHECK(numbered);
  CHECK(!strcmp(str(json_array_get(r.history, 4), "type"), "PassStateEntered"));
  CHECK(r.duration_ms == 8000);
  rt_result_free(&r);
}

/* A failing branch's cause names its state's entered event as the sorted history
   numbers it, with the history kept or not. */
static void test_cause_ids(void) {
  const char *def =
      "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"A\",\"States\":"
      "{\"A\":{\"Type\":\"Wait\",\"Seconds\":5,\"Next\":\"A2\"},\"A2\":{\"Type\":\"Pass\",\"End\":true}}},"
      "{\"StartAt\":\"B\",\"States\":{\"B\":{\"Type\":\"Wait\",\"Seconds\":1,\"Next\":\"B2\"},\"B2\":{\"Type\":"
      "\"Pass\",\"InputPath\":\"$.nope\",\"End\":true}}}],\"End\":true}}}";
  struct rt_result r;
  struct rt_options o = {0};
  run(def, "{}", &o, &r);
  CHECK(r.status == RT_FAILED && r.error.cause && strstr(r.error.cause, "(entered at the event id #7)"));
  rt_result_free(&r);
  o.history = true;
  run(def, "{}", &o, &r);
  CHECK(r.error.cause && strstr(r.error.cause, "(entered at the event id #7)"));
  json_t *e7 = json_array_get(r.history, 6);
  CHECK(!strcmp(str(e7, "type"), "PassStateEntered"));
  CHECK(!strcmp(str(json_object_get(e7, "stateEnteredEventDetails"), "name"), "B2"));
  rt_result_free(&r);
  /* TestState: a caught error */
  json_t *req = parse("{\"definition\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\","
                      "\"Catch\":[{\"ErrorEquals\":[\"E\"],\"ResultPath\":\"$.err\",\"Next\":\"H\"}],\"End\":true},"
                      "\"input\":{\"a\":1},\"inspectionLevel\":\"DEBUG\",\"mock\":{\"errorOutput\":{\"error\":\"E\",\"cause\":\"c\"}}}");
  struct rt_options o2 = {0};
  json_t *resp = rt_test_state(req, &o2);
  CHECK(!strcmp(str(resp, "status"), "CAUGHT_ERROR"));
  CHECK(!strcmp(str(resp, "nextState"), "H"));
  CHECK(!strcmp(str(resp, "output"), "{\"a\":1,\"err\":{\"Error\":\"E\",\"Cause\":\"c\"}}"));
  json_decref(resp);
  json_decref(req);
}

/* The first failure in time fails a Parallel; a branch still running then is aborted. */
static void test_parallel_abort(void) {
  struct rt_result r;
  run_mocked("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":["
             "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Wait\",\"Seconds\":10,\"Next\":\"AF\"},"
             "\"AF\":{\"Type\":\"Fail\",\"Error\":\"Late\"}}},"
             "{\"StartAt\":\"B\",\"States\":{\"B\":{\"Type\":\"Wait\",\"Seconds\":2,\"Next\":\"BF\"},"
             "\"BF\":{\"Type\":\"Fail\",\"Error\":\"Early\"}}},"
             "{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Wait\",\"Seconds\":60,\"Next\":\"C2\"},"
             "\"C2\":{\"Type\":\"Pass\",\"End\":true}}}],\"End\":true}}}",
             "{}", "{}", &r);
  CHECK(r.status == RT_FAILED && !strcmp(r.error.error, "Early"));
  bool aborted = false, c2 = false;
  size_t i;
  json_t *e;
  json_array_foreach(r.history, i, e) {
    aborted = aborted || !strcmp(str(e, "type"), "WaitStateAborted");
    json_t *d = json_object_get(e, "stateEnteredEventDetails");
    c2 = c2 || (d && !strcmp(str(d, "name"), "C2"));
  }
  CHECK(aborted);
  CHECK(!c2);
  rt_result_free(&r);
}

/* An inline Map fails with its first failure in time; MaxConcurrency 1 starts nothing
   after it. */
static void test_map_first_failure(void) {
  const char *def = "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"MaxConcurrency\":%d,"
                    "\"ItemProcessor\":{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"SecondsPath\":"
                    "\"$.w\",\"Next\":\"F\"},\"F\":{\"Type\":\"Fail\",\"ErrorPath\":\"$.e\"}}},\"End\":true}}}";
  const char *input = "[{\"w\":5,\"e\":\"Late\"},{\"w\":1,\"e\":\"Early\"}]";
  char buf[512];
  struct rt_result r;
  snprintf(buf, sizeof buf, def, 2);
  run_mocked(buf, input, "{}", &r);
  CHECK(r.status == RT_FAILED && !strcmp(r.error.error, "Early"));
  rt_result_free(&r);
  snprintf(buf, sizeof buf, def, 1);
  run_mocked(buf, input, "{}", &r);
  CHECK(r.status == RT_FAILED && !strcmp(r.error.error, "Late"));
  CHECK(r.duration_ms == 5000);
  rt_result_free(&r);
}

/* ---------------------------------------------------------------- payload size */

/* ip_json_size counts what rt_json_text prints, byte for byte: V and every value in it. */
static void check_json_size(const json_t *v, int depth) {
  char *t = rt_json_text(v);
  size_t n = strlen(t);
  free(t);
  CHECK(ip_json_size(v, SIZE_MAX) == n);
  CHECK(ip_json_size(v, n) == n);
  if (n) CHECK(ip_json_size(v, n - 1) > n - 1); /* past the limit: some count above it */
  if (depth > 8) return;
  const char *k;
  json_t *e;
  size_t i;
  if (json_is_object(v)) json_object_foreach((json_t *)v, k, e) check_json_size(e, depth + 1);
  if (json_is_array(v)) json_array_foreach(v, i, e) check_json_size(e, depth + 1);
}

/* On the eval cases' values (every case, and the values written as JSON text in them),
   and on strings with every escape. */
static void test_json_size(void) {
  json_t *cases = json_load_file("tests/runtime/eval-cases.json", 0, NULL);
  if (!cases) {
    printf("skipped test_json_size: tests/runtime/eval-cases.json not found (run from the repository root)\n");
  } else {
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c) {
      check_json_size(c, 0);
      const char *k;
      json_t *e;
      json_object_foreach(c, k, e) {
        json_t *parsed = json_is_string(e) ? json_loads(json_string_value(e), JSON_DECODE_ANY, NULL) : NULL;
        if (parsed) check_json_size(parsed, 0);
        json_decref(parsed);
      }
    }
    json_decref(cases);
  }
  json_t *odd = json_pack("{s:s,s:[f,f,f,I,I],s:s#}", "q\"\\\b\t\n\f\r\x01\x1f/\x7f", "é€😀",
                          "n", 1e21, -2.5e-5, 0.1, (json_int_t)INT64_MIN, (json_int_t)0, "z",
                          "a\0b", (size_t)3);
  check_json_size(odd, 0);
  check_json_size(NULL, 0);
  json_decref(odd);
}

/* ---------------------------------------------------------------- the intrinsic cache */

/* A call parsed once and evaluated again gives what parsing and evaluating together
   gave: the same values, and the first failure in the text's order (a path argument
   that selects nothing before a later syntax error, a syntax error after a good one). */
static void intrinsic_case(const char *call, const char *want, const char *error, const char *cause_start) {
  json_t *input = json_pack("{s:i,s:s}", "n", 41, "s", "x");
  struct rt_random r;
  rt_random_seed(&r, 7);
  struct rt_scope sc = {input, NULL, NULL, &r};
  for (int round = 0; round < 2; round++) {
    json_t *out = NULL;
    struct rt_error e = {0};
    bool ok = rt_intrinsic(call, &sc, &out, &e);
    if (want) {
      char *t = ok ? rt_json_text(out) : NULL;
      CHECK(ok && !strcmp(t, want));
      if (!ok || strcmp(t, want)) printf("  %s: got %s (%s)\n", call, t ? t : "error", e.cause ? e.cause : "");
      free(t);
    } else {
      CHECK(!ok && !out && e.error && !strcmp(e.error, error) && e.cause &&
            !strncmp(e.cause, cause_start, strlen(cause_start)));
      if (ok || !e.cause || strncmp(e.cause, cause_start, strlen(cause_start)))
        printf("  %s: got %s %s\n", call, e.error ? e.error : "ok", e.cause ? e.cause : "");
    }
    json_decref(out);
    rt_error_free(&e);
  }
  json_decref(input);
}

static void test_intrinsic_cache(void) {
  intrinsic_case("States.MathAdd($.n, 1)", "42", NULL, NULL);
  intrinsic_case("States.Format('{}-{}', $.s, States.MathAdd($.n, -1))", "\"x-40\"", NULL, NULL);
  intrinsic_case("States.Format('{}', $.missing, 'unterminated)", NULL, "States.Runtime",
                 "The JSONPath '$.missing' could not be found");
  intrinsic_case("States.Format('{}', $.s, 'unterminated)", NULL, "States.IntrinsicFailure",
                 "Unterminated string");
  intrinsic_case("States.MathAdd($.missing)", NULL, "States.Runtime", "The JSONPath '$.missing'");
  intrinsic_case("States.MathAdd($.n)", NULL, "States.IntrinsicFailure", "States.MathAdd takes 2");
  intrinsic_case("States.MathAdd($.n, 1) x", NULL, "States.IntrinsicFailure", "Unexpected text");
  intrinsic_case("States.MathAdd($.missing, 1) x", NULL, "States.Runtime", "The JSONPath");
  intrinsic_case("States.Array(States.Nope(1), $.missing)", NULL, "States.IntrinsicFailure",
                 "States.Nope is not an intrinsic function");
  intrinsic_case("States.Array($.missing, States.Nope(1))", NULL, "States.Runtime", "The JSONPath");
  intrinsic_case("States.Array('a', 1.5, true, null, $.n)", "[\"a\",1.5,true,null,41]", NULL, NULL);
}

int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "--test-state")) return run_test_states(argv[2]);
  if (argc >= 3 && !strcmp(argv[1], "--mocked-traces")) return run_mocked_traces(argv[2]);
  if (argc >= 3 && !strcmp(argv[1], "--executions")) {
    bool verbose = argc >= 4 && !strcmp(argv[3], "-v");
    bool traces = argc >= 4 && !strcmp(argv[3], "--traces");
    return run_executions(argv[2], verbose, traces, argc, argv, verbose || traces ? 4 : 3);
  }
  test_loop_quota();
  test_wait_clock();
  test_execution_timeout();
  test_nesting_bound();
  test_retry_backoff();
  test_task_timeouts();
  test_map_concurrency_clock();
  test_choice_and_errors();
  test_test_state();
  test_distributed_map();
  test_assign_scopes();
  test_history_order();
  test_cause_ids();
  test_parallel_abort();
  test_map_first_failure();
  test_json_size();
  test_intrinsic_cache();
  printf("%d passed, %d failed\n", checks_passed, checks_failed);
  return checks_failed != 0;
}
