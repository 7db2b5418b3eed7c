/* interp.c: runs an ASL definition the way AWS Step Functions does: the states and
 * their transitions, input and output processing, Assign, Retry and Catch, Parallel
 * and Map (inline and distributed), the virtual clock, the context object and the
 * execution history (GetExecutionHistory's events); rt_execute and rt_test_state.
 *
 * One run is a struct exec. A States block (the machine, a Parallel branch, a Map
 * iteration) runs in run_block, one state at a time through run_state, which does
 * what every state shares (its Entered event, its context object, Retry and Catch)
 * and calls the state type's own function for the work. Nothing sleeps: Wait, retry
 * intervals and task durations move x->now, the virtual clock.
 *
 * Errors travel as struct rt_error (AWS's name and cause). Two things end a run
 * wherever it is: the history quota and the execution's TimeoutSeconds; they set
 * x->stopped, and every loop unwinds.
 *
 * Parallel branches and Map iterations run one after another, in order, so a run is
 * deterministic; the clock still lets concurrent work overlap (every branch starts
 * when the Parallel starts; a Map keeps MaxConcurrency slots busy), so timeouts see
 * the durations AWS would.
 */
#define _POSIX_C_SOURCE 200809L
#include "runtime.h"
#include "sfc.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* AWS's quotas and defaults (service-quotas.html, concepts-error-handling.html). */
#define PAYLOAD_LIMIT 262144           /* 256 KiB: state input/output, task result */
#define HISTORY_QUOTA 25000            /* events in one execution's history */
#define TASK_TIMEOUT_DEFAULT 99999999  /* seconds, when a Task sets none */
#define INLINE_MAP_SLOTS 40            /* an inline Map runs at most 40 iterations at once */
#define DISTRIBUTED_MAP_SLOTS 10000    /* a Map Run's child executions at once */
/* The virtual clock starts here when rt_options.start_ms is 0: 2024-01-01T00:00:00Z. */
#define DEFAULT_START_MS INT64_C(1704067200000)
/* Parallel and Map nest by recursion; hostile definitions must not exhaust the C
   stack. AWS documents no limit; 40 levels is far beyond any real workflow. */
#define MAX_NESTING 40

enum outcome {
  RUN_OK,    /* the state (or block) finished: a next state, or the end */
  RUN_ERROR, /* it failed with an error that Retry and Catch may handle */
  RUN_STOP,  /* the run is over (quota, timeout): unwind */
};

struct exec {
  const struct rt_options *o;
  struct rt_random random;
  int64_t now;      /* the virtual clock, ms since the epoch */
  int64_t start;
  int64_t deadline; /* the execution's TimeoutSeconds, or INT64_MAX */
  long events;      /* events so far: ids count even when history is not kept */
  long max_events;
  json_t *history;  /* array, or NULL */
  json_t *base;     /* $$ without State, Map and Task: Execution, StateMachine */
  json_t *calls;    /* state name -> task calls so far (rt_task_call.call_index) */
  const char *partition, *region, *account, *machine_name;
  char *machine_arn;
  int depth;
  bool test_state;  /* TestState: causes have no "An error occurred ..." prefix */
  bool fixed_context; /* TestState's request gave $$: use it as it is */
  bool machine_jsonata; /* the top-level QueryLanguage is JSONata */
  bool stopped;
  bool quota_hit;   /* the history quota stopped the run (a child's, in a Distributed Map) */
  enum rt_status stop_status;
  struct rt_error stop;
};

/* One visit of one state. */
struct visit {
  struct exec *x;
  const char *name;
  json_t *def;
  const char *type;
  long entered_id;
  int64_t entered_ms;
  int retry_count;
  struct rt_vars *vars;  /* the frame the state reads and assigns */
  long *prev;            /* the previous event of this branch or iteration */
  json_t *map_item;      /* TestState and ItemSelector: $$.Map.Item, or NULL */
  struct inspection *ins;/* TestState's inspectionData, or NULL */
};

/* What TestState reports about one state (inspectionData). */
struct inspection {
  json_t *data;          /* object: input, afterInputPath, ... */
  int retry_index, catch_index;
  int64_t retry_delay_s;
  const char *mock_error, *mock_cause;
  bool mocked;
  json_t *mock_result;
  int map_failures;      /* stateConfiguration.mapIterationFailureCount */
  int retries_done;      /* stateConfiguration.retrierRetryCount, or -1 */
  json_t *reader_data;   /* stateConfiguration.mapItemReaderData */
  bool retriable;        /* a retrier matched: TestState reports RETRIABLE */
  struct rt_error caught; /* a catcher took this error: CAUGHT_ERROR */
};

static enum outcome run_block(struct exec *x, json_t *block, json_t *input, struct rt_vars *vars,
                              long *prev, json_t **out, struct rt_error *err);

/* ---------------------------------------------------------------- small helpers */

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  return s;
}

static const char *get_str(json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

static bool is(const char *a, const char *b) { return a && b && !strcmp(a, b); }

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !memcmp(s + n - m, suffix, m);
}

/* A JSON value as text for causes: strings bare, everything else as AWS prints it. */
static char *value_text(const json_t *v) {
  if (json_is_string(v)) return xstrdup(json_string_value(v));
  return rt_json_text(v);
}

static json_t *json_text(const json_t *v) {
  char *t = rt_json_text(v);
  json_t *s = json_string(t);
  free(t);
  return s ? s : json_string("null");
}

static void set_error(struct rt_error *e, const char *error, const char *cause) {
  rt_error_free(e);
  e->error = error ? xstrdup(error) : NULL;
  e->cause = cause ? xstrdup(cause) : NULL;
}

/* ---------------------------------------------------------------- time */

/* Days since 1970-01-01 of a proleptic Gregorian date (the civil-calendar algorithm:
   years start in March, so the leap day is the last day of a year). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

/* "2024-01-01T00:00:00.000Z": how AWS writes the context object's times. */
static char *iso_time(int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  int64_t rest = ms - days * 86400000;
  int64_t y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  return xasprintf("%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
                   (int)(rest / 3600000), (int)(rest / 60000 % 60), (int)(rest / 1000 % 60),
                   (int)(rest % 1000));
}

static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* An ISO-8601 extended offset date-time, as Java's ISO_OFFSET_DATE_TIME reads it:
   YYYY-MM-DDTHH:MM:SS, optional fraction of 1 to 9 digits, then Z or +HH:MM/-HH:MM.
   *ms is the instant; *ns the nanoseconds within that millisecond (for comparing). */
static bool parse_time(const char *s, int64_t *ms, int *ns) {
  if (strlen(s) < 20) return false;
  int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
  int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      sec < 0 || sec > 59 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':')
    return false;
  static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > month_days[mo - 1] || (mo == 2 && d == 29 && !leap)) return false;
  const char *p = s + 19;
  int64_t frac_ns = 0;
  if (*p == '.') {
    int n = 0;
    p++;
    while (p[n] >= '0' && p[n] <= '9') n++;
    if (n < 1 || n > 9) return false;
    for (int i = 0; i < 9; i++) frac_ns = frac_ns * 10 + (i < n ? p[i] - '0' : 0);
    p += n;
  }
  int offset_min = 0;
  if (*p == 'Z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int oh = digits(p + 1, 2), om = digits(p + 4, 2);
    if (oh < 0 || oh > 18 || p[3] != ':' || om < 0 || om > 59) return false;
    offset_min = (oh * 60 + om) * (*p == '-' ? -1 : 1);
    p += 6;
  } else {
    return false;
  }
  if (*p) return false;
  int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
                 (int64_t)offset_min * 60;
  *ms = secs * 1000 + frac_ns / 1000000;
  if (ns) *ns = (int)(frac_ns % 1000000);
  return true;
}

/* ---------------------------------------------------------------- history */

/* Ends the run: the quota or the timeout. The event AWS logs last is logged here. */
static void stop_run(struct exec *x, long *prev, enum rt_status status, const char *error,
                     const char *cause);

static long add_event(struct exec *x, long *prev, const char *type, const char *key,
                      json_t *details) {
  long id = ++x->events;
  if (x->history) {
    json_t *e = json_object();
    char *ts = iso_time(x->now);
    json_object_set_new(e, "timestamp", json_string(ts));
    free(ts);
    json_object_set_new(e, "type", json_string(type));
    json_object_set_new(e, "id", json_integer(id));
    json_object_set_new(e, "previousEventId", json_integer(prev ? *prev : 0));
    if (key && details) json_object_set_new(e, key, details);
    else json_decref(details);
    json_array_append_new(x->history, e);
  } else {
    json_decref(details);
  }
  if (prev) *prev = id;
  return id;
}

/* Logs one event (DETAILS stolen, may be NULL). When the next id would be the quota's
   last and the event is not ExecutionSucceeded, AWS logs ExecutionFailed there. */
static long event(struct exec *x, long *prev, const char *type, const char *key,
                  json_t *details) {
  if (x->stopped) {
    json_decref(details);
    return x->events;
  }
  if (x->events + 1 >= x->max_events && !is(type, "ExecutionSucceeded")) {
    json_decref(details);
    char *cause = xasprintf("The execution reached the maximum number of history events (%ld).",
                            x->max_events);
    stop_run(x, prev, RT_FAILED, "States.Runtime", cause);
    x->quota_hit = true;
    free(cause);
    return x->events;
  }
  return add_event(x, prev, type, key, details);
}

static void stop_run(struct exec *x, long *prev, enum rt_status status, const char *error,
                     const char *cause) {
  if (x->stopped) return;
  json_t *d = json_object();
  if (error) json_object_set_new(d, "error", json_string(error));
  if (cause) json_object_set_new(d, "cause", json_string(cause));
  if (status == RT_TIMED_OUT)
    add_event(x, prev, "ExecutionTimedOut", "executionTimedOutEventDetails", d);
  else
    add_event(x, prev, "ExecutionFailed", "executionFailedEventDetails", d);
  x->stopped = true;
  x->stop_status = status;
  set_error(&x->stop, error, cause);
}

/* Moves the clock; past the execution's deadline the run times out. */
static bool advance(struct exec *x, long *prev, int64_t ms) {
  if (ms < 0) ms = 0;
  if (x->deadline - x->now < ms) {
    x->now = x->deadline;
    stop_run(x, prev, RT_TIMED_OUT, "States.Timeout", NULL);
    return false;
  }
  x->now += ms;
  return true;
}

/* NULL when the history is not kept: the JSON text of every input and output would
   be made for nothing. */
static json_t *details_io(struct exec *x, const char *name, const char *io_key,
                          const json_t *value) {
  if (!x->history) return NULL;
  json_t *d = json_object();
  if (name) json_object_set_new(d, "name", json_string(name));
  json_object_set_new(d, io_key, json_text(value));
  char *details = xasprintf("%sDetails", io_key);
  json_object_set_new(d, details, json_pack("{s:b}", "truncated", 0));
  free(details);
  return d;
}

/* ---------------------------------------------------------------- errors of a state */

/* A States.Runtime error of S with AWS's prefix (TestState's causes have none). */
static void state_fail(struct visit *s, struct rt_error *err, const char *error, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));
static void state_fail(struct visit *s, struct rt_error *err, const char *error, const char *fmt,
                       ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  rt_error_free(err);
  err->error = xstrdup(error);
  if (s->x->test_state)
    err->cause = msg;
  else {
    err->cause = xasprintf("An error occurred while executing the state '%s' (entered at the event "
                           "id #%ld). %s",
                           s->name, s->entered_id, msg);
    free(msg);
  }
}

/* An error from eval.c (a template, an intrinsic): States.Runtime gets the prefix. */
static void state_wrap(struct visit *s, struct rt_error *err) {
  if (!is(err->error, "States.Runtime")) return;
  char *cause = err->cause ? err->cause : xstrdup("");
  err->cause = NULL;
  state_fail(s, err, "States.Runtime", "%s", cause);
  free(cause);
}

static bool payload_too_big(const json_t *v) {
  char *t = rt_json_text(v);
  size_t n = strlen(t);
  free(t);
  return n > PAYLOAD_LIMIT;
}

static void data_limit(struct visit *s, struct rt_error *err, const char *who) {
  rt_fail(err, "States.DataLimitExceeded",
          "The state/task '%s' returned a result with a size exceeding the maximum number of "
          "bytes service limit.",
          who ? who : s->name);
}

/* ---------------------------------------------------------------- the context object */

/* $$ for the state S: the execution's, with State (and Map.Item in an ItemSelector). */
static json_t *context_of(struct visit *s) {
  struct exec *x = s->x;
  json_t *c = json_is_object(x->base) ? json_copy(x->base) : json_object();
  if (!x->fixed_context) {
    json_t *st = json_object();
    char *t = iso_time(s->entered_ms);
    json_object_set_new(st, "Name", json_string(s->name));
    json_object_set_new(st, "EnteredTime", json_string(t));
    free(t);
    /* AWS gives RetryCount only to the states that can retry */
    if (is(s->type, "Task") || is(s->type, "Parallel") || is(s->type, "Map"))
      json_object_set_new(st, "RetryCount", json_integer(s->retry_count));
    json_object_set_new(c, "State", st);
  }
  if (s->map_item) {
    json_t *map = json_object();
    json_object_set(map, "Item", s->map_item);
    json_object_set_new(c, "Map", map);
  }
  return c;
}

static void scope_of(struct visit *s, struct rt_scope *sc, json_t *input, json_t *context) {
  sc->input = input;
  sc->context = context;
  sc->vars = s->vars;
  sc->random = &s->x->random;
}

/* ---------------------------------------------------------------- input and output */

/* InputPath or OutputPath (FIELD) over DOC: absent keeps DOC, null gives {}. */
static bool apply_path(struct visit *s, const char *field, json_t *doc, json_t **out,
                       struct rt_error *err) {
  json_t *p = json_object_get(s->def, field);
  if (!p) {
    *out = json_incref(doc);
    return true;
  }
  if (json_is_null(p)) {
    *out = json_object();
    return true;
  }
  if (!json_is_string(p)) {
    state_fail(s, err, "States.Runtime", "The field '%s' must be a string or null.", field);
    return false;
  }
  json_t *ctx = context_of(s);
  struct rt_scope sc;
  scope_of(s, &sc, doc, ctx);
  char *why = NULL;
  bool ok = rt_path_get(json_string_value(p), &sc, out, &why);
  json_decref(ctx);
  if (!ok) {
    state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", json_string_value(p),
               why ? why : "");
    free(why);
  }
  return ok;
}

/* A payload template (Parameters, ResultSelector, ItemSelector, Assign) over INPUT. */
static bool apply_template(struct visit *s, json_t *tmpl, json_t *input, json_t **out,
                           struct rt_error *err) {
  json_t *ctx = context_of(s);
  struct rt_scope sc;
  scope_of(s, &sc, input, ctx);
  bool ok = rt_template(tmpl, &sc, out, err);
  json_decref(ctx);
  if (!ok) state_wrap(s, err);
  return ok;
}

/* ResultPath: RESULT (stolen) into a copy of RAW; absent is "$", null keeps RAW. */
static bool apply_result_path(struct visit *s, json_t *rp, json_t *raw, json_t *result,
                              json_t **out, struct rt_error *err) {
  if (json_is_null(rp)) {
    json_decref(result);
    *out = json_incref(raw);
    return true;
  }
  const char *path = rp ? json_string_value(rp) : "$";
  if (!path) {
    json_decref(result);
    state_fail(s, err, "States.Runtime", "The field 'ResultPath' must be a string or null.");
    return false;
  }
  json_t *doc = json_deep_copy(raw);
  char *why = NULL;
  if (!rt_path_set(&doc, path, result, &why)) {
    json_decref(doc);
    state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", path, why ? why : "");
    free(why);
    return false;
  }
  *out = doc;
  return true;
}

/* Assign (the state's, a Choice rule's or a Catcher's) over INPUT, committed to the
   state's frame at once: Assign reads the frame as it was on entry, and the state
   assigns only after its work, so committing here is committing after the state.
   *assigned (for the Exited event) gets the values as JSON text. */
static bool apply_assign(struct visit *s, json_t *assign, json_t *input, json_t **assigned,
                         struct rt_error *err) {
  if (!assign) return true;
  json_t *values;
  if (!apply_template(s, assign, input, &values, err)) return false;
  if (!json_is_object(values)) {
    json_decref(values);
    state_fail(s, err, "States.Runtime", "The field 'Assign' must be an object.");
    return false;
  }
  if (payload_too_big(values)) {
    json_decref(values);
    rt_fail(err, "States.DataLimitExceeded",
            "The state/task '%s' assigned variables with a size exceeding the maximum number of "
            "bytes service limit.",
            s->name);
    return false;
  }
  const char *k;
  json_t *v;
  if (!*assigned) *assigned = json_object();
  json_object_foreach(values, k, v) {
    json_object_set(s->vars->values, k, v);
    json_object_set_new(*assigned, k, json_text(v));
  }
  json_decref(values);
  if (s->ins) {
    json_t *vars = json_object_get(s->ins->data, "variables");
    if (!vars) json_object_set_new(s->ins->data, "variables", vars = json_object());
    json_object_update(vars, s->vars->values);
  }
  return true;
}

static void inspect(struct visit *s, const char *key, json_t *value) {
  if (s->ins && value) json_object_set_new(s->ins->data, key, json_text(value));
}

/* The result side of Task, Parallel and Map: Assign (over the raw result), then
   ResultSelector, ResultPath into RAW, OutputPath. RESULT is stolen. */
static bool finish_result(struct visit *s, json_t *raw, json_t *result, json_t **out,
                          json_t **assigned, struct rt_error *err) {
  if (is(s->type, "Task")) inspect(s, "result", result);
  if (!apply_assign(s, json_object_get(s->def, "Assign"), result, assigned, err)) {
    json_decref(result);
    return false;
  }
  json_t *rs = json_object_get(s->def, "ResultSelector");
  if (rs) {
    json_t *sel;
    bool ok = apply_template(s, rs, result, &sel, err);
    json_decref(result);
    if (!ok) return false;
    result = sel;
  }
  inspect(s, "afterResultSelector", result);
  json_t *merged;
  if (!apply_result_path(s, json_object_get(s->def, "ResultPath"), raw, result, &merged, err))
    return false;
  inspect(s, "afterResultPath", merged);
  bool ok = apply_path(s, "OutputPath", merged, out, err);
  json_decref(merged);
  return ok;
}

/* ---------------------------------------------------------------- error matching */

/* States.Runtime ends the run: no retrier or catcher takes it, not even one that
   names it. (States.DataLimitExceeded is caught, by name and by States.ALL, as the
   recordings show.) */
static bool uncatchable(const char *error) { return is(error, "States.Runtime"); }

static bool error_matches(json_t *equals, const char *error) {
  const char *e = error ? error : "";
  if (uncatchable(e)) return false;
  size_t i;
  json_t *name;
  json_array_foreach(equals, i, name) {
    const char *n = json_string_value(name);
    if (!n) continue;
    if (is(n, e) || is(n, "States.ALL")) return true;
    /* As a matcher, States.TaskFailed is every error but a timeout (AWS's docs). */
    if (is(n, "States.TaskFailed") && !is(e, "States.Timeout") &&
        !is(e, "States.HeartbeatTimeout"))
      return true;
    /* A missed heartbeat is a kind of timeout. */
    if (is(n, "States.Timeout") && is(e, "States.HeartbeatTimeout")) return true;
  }
  return false;
}

static void step(struct exec *x, enum rt_step_kind kind, const char *state, int index,
                 const char *next) {
  if (!x->o->step) return;
  struct rt_step st = {kind, state, index, next};
  x->o->step(x->o->step_ctx, &st);
}

/* The delay before the next retry of retrier R, whose ATTEMPT-th retry this is
   (1-based): IntervalSeconds x BackoffRate^(attempt-1), capped by MaxDelaySeconds,
   FULL jitter draws uniformly below it. */
static int64_t retry_delay_ms(struct exec *x, json_t *r, int attempt) {
  json_t *iv = json_object_get(r, "IntervalSeconds");
  json_t *br = json_object_get(r, "BackoffRate");
  json_t *md = json_object_get(r, "MaxDelaySeconds");
  double interval = json_is_number(iv) ? json_number_value(iv) : 1;
  double backoff = json_is_number(br) ? json_number_value(br) : 2.0;
  double d = interval * pow(backoff, attempt - 1);
  if (json_is_number(md) && d > json_number_value(md)) d = json_number_value(md);
  if (is(get_str(r, "JitterStrategy"), "FULL")) d *= rt_random_unit(&x->random);
  if (!(d < 1e12)) d = 1e12; /* beyond any deadline: the run times out */
  return (int64_t)llround(d * 1000);
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
    {"StringEquals", RC_STRING, ROP_EQ},          {"StringLessThan", RC_STRING, ROP_LT},
    {"StringGreaterThan", RC_STRING, ROP_GT},     {"StringLessThanEquals", RC_STRING, ROP_LE},
    {"StringGreaterThanEquals", RC_STRING, ROP_GE}, {"StringMatches", RC_MATCHES, ROP_NONE},
    {"NumericEquals", RC_NUMERIC, ROP_EQ},        {"NumericLessThan", RC_NUMERIC, ROP_LT},
    {"NumericGreaterThan", RC_NUMERIC, ROP_GT},   {"NumericLessThanEquals", RC_NUMERIC, ROP_LE},
    {"NumericGreaterThanEquals", RC_NUMERIC, ROP_GE}, {"BooleanEquals", RC_BOOLEAN, ROP_EQ},
    {"TimestampEquals", RC_TIMESTAMP, ROP_EQ},    {"TimestampLessThan", RC_TIMESTAMP, ROP_LT},
    {"TimestampGreaterThan", RC_TIMESTAMP, ROP_GT}, {"TimestampLessThanEquals", RC_TIMESTAMP, ROP_LE},
    {"TimestampGreaterThanEquals", RC_TIMESTAMP, ROP_GE}, {"IsNull", RC_TEST, ROP_NONE},
    {"IsPresent", RC_TEST, ROP_NONE},             {"IsNumeric", RC_TEST, ROP_NONE},
    {"IsString", RC_TEST, ROP_NONE},              {"IsBoolean", RC_TEST, ROP_NONE},
    {"IsTimestamp", RC_TEST, ROP_NONE},
};

static bool order_holds(enum rule_op op, int c) {
  switch (op) {
  case ROP_EQ: return c == 0;
  case ROP_LT: return c < 0;
  case ROP_GT: return c > 0;
  case ROP_LE: return c <= 0;
  case ROP_GE: return c >= 0;
  default: return false;
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
  while (*p == '*') p++;
  return !*p;
}

static bool is_timestamp(const json_t *v, int64_t *ms, int *ns) {
  int64_t m;
  int n;
  if (!json_is_string(v) || !parse_time(json_string_value(v), &m, &n)) return false;
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
    return json_is_boolean(v) && json_is_boolean(w) &&
           json_is_true(v) == json_is_true(w);
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
    state_fail(s, err, "States.Runtime", "The Choice rule is nested too deeply.");
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
  const char *variable = get_str(rule, "Variable");
  const struct rule_test *c = NULL;
  json_t *operand = NULL;
  bool by_path = false;
  for (size_t i = 0; i < sizeof comparisons / sizeof *comparisons && !c; i++) {
    char path_name[64];
    snprintf(path_name, sizeof path_name, "%sPath", comparisons[i].name);
    if ((operand = json_object_get(rule, comparisons[i].name))) c = &comparisons[i];
    else if (comparisons[i].type != RC_TEST && comparisons[i].type != RC_MATCHES &&
             (operand = json_object_get(rule, path_name))) {
      c = &comparisons[i];
      by_path = true;
    }
  }
  if (!variable || !c) {
    state_fail(s, err, "States.Runtime", "The Choice rule has no Variable or no comparison.");
    return false;
  }
  struct rt_scope sc;
  scope_of(s, &sc, input, ctx);
  json_t *v = NULL;
  char *why = NULL;
  bool present = rt_path_get(variable, &sc, &v, &why);
  if (c->type == RC_TEST) {
    bool want = json_is_true(operand);
    bool r = false;
    if (is(c->name, "IsPresent")) r = present;
    else if (present && is(c->name, "IsNull")) r = json_is_null(v);
    else if (present && is(c->name, "IsNumeric")) r = json_is_number(v);
    else if (present && is(c->name, "IsString")) r = json_is_string(v);
    else if (present && is(c->name, "IsBoolean")) r = json_is_boolean(v);
    else if (present && is(c->name, "IsTimestamp")) r = is_timestamp(v, NULL, NULL);
    json_decref(v);
    free(why);
    if (!present && !is(c->name, "IsPresent")) {
      /* Every test but IsPresent needs the value. */
      *holds = false;
      return true;
    }
    *holds = r == want;
    return true;
  }
  if (!present) {
    state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", variable, why ? why : "");
    free(why);
    return false;
  }
  json_t *w = operand;
  json_t *owned = NULL;
  if (by_path) {
    const char *p = json_string_value(operand);
    if (!p || !rt_path_get(p, &sc, &owned, &why)) {
      state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", p ? p : "", why ? why : "");
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

static enum outcome do_choice(struct visit *s, json_t *input, json_t **out, const char **next,
                              json_t **assigned, struct rt_error *err) {
  json_t *effective;
  if (!apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  inspect(s, "afterInputPath", effective);
  json_t *ctx = context_of(s);
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
    *next = get_str(chosen, "Next");
  } else {
    *next = get_str(s->def, "Default");
    if (!*next) {
      json_decref(effective);
      rt_fail(err, "States.NoChoiceMatched", "No Choice Rule matched and no Default is specified "
                                             "in the state '%s'.",
              s->name);
      return RUN_ERROR;
    }
  }
  step(s->x, RT_STEP_CHOICE, s->name, index, *next);
  json_t *assign = chosen && json_object_get(chosen, "Assign") ? json_object_get(chosen, "Assign")
                                                               : json_object_get(s->def, "Assign");
  if (!apply_assign(s, assign, effective, assigned, err)) {
    json_decref(effective);
    return RUN_ERROR;
  }
  bool ok = apply_path(s, "OutputPath", effective, out, err);
  json_decref(effective);
  return ok ? RUN_OK : RUN_ERROR;
}

/* ---------------------------------------------------------------- Pass, Succeed, Fail */

static enum outcome do_pass(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                            struct rt_error *err) {
  json_t *effective, *params;
  json_t *result = json_object_get(s->def, "Result");
  if (!apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  /* TestState shows the input side only when there is no Result */
  if (!result) inspect(s, "afterInputPath", effective);
  json_t *p = json_object_get(s->def, "Parameters");
  if (p) {
    bool ok = apply_template(s, p, effective, &params, err);
    json_decref(effective);
    if (!ok) return RUN_ERROR;
    effective = params;
  }
  if (!result) inspect(s, "afterParameters", effective);
  result = result ? json_deep_copy(result) : json_incref(effective);
  json_decref(effective);
  if (payload_too_big(result)) {
    json_decref(result);
    data_limit(s, err, NULL);
    return RUN_ERROR;
  }
  if (json_object_get(s->def, "Result")) inspect(s, "result", result);
  inspect(s, "afterResultSelector", result);
  if (!apply_assign(s, json_object_get(s->def, "Assign"), result, assigned, err)) {
    json_decref(result);
    return RUN_ERROR;
  }
  json_t *merged;
  if (!apply_result_path(s, json_object_get(s->def, "ResultPath"), input, result, &merged, err))
    return RUN_ERROR;
  inspect(s, "afterResultPath", merged);
  bool ok = apply_path(s, "OutputPath", merged, out, err);
  json_decref(merged);
  return ok ? RUN_OK : RUN_ERROR;
}

static enum outcome do_succeed(struct visit *s, json_t *input, json_t **out,
                               struct rt_error *err) {
  json_t *effective;
  if (!apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  inspect(s, "afterInputPath", effective);
  bool ok = apply_path(s, "OutputPath", effective, out, err);
  json_decref(effective);
  return ok ? RUN_OK : RUN_ERROR;
}

/* Fail's Error and Cause: the literal, or ErrorPath/CausePath (a path or an
   intrinsic). *text NULL when the state sets neither. */
static bool fail_field(struct visit *s, json_t *input, const char *field, char **text,
                       struct rt_error *err) {
  *text = NULL;
  const char *literal = get_str(s->def, field);
  if (literal) {
    *text = xstrdup(literal);
    return true;
  }
  char path_field[16];
  snprintf(path_field, sizeof path_field, "%sPath", field);
  const char *path = get_str(s->def, path_field);
  if (!path) return true;
  json_t *ctx = context_of(s);
  struct rt_scope sc;
  scope_of(s, &sc, input, ctx);
  json_t *v = NULL;
  bool ok;
  if (path[0] == '$') {
    char *why = NULL;
    ok = rt_path_get(path, &sc, &v, &why);
    free(why);
    if (!ok) {
      char *in = rt_json_text(input);
      state_fail(s, err, "States.Runtime",
                 "The JSONPath '%s' specified for the field '%s' could not be found in the input "
                 "'%s'",
                 path, path_field, in);
      free(in);
    }
  } else {
    ok = rt_intrinsic(path, &sc, &v, err);
    if (!ok) state_wrap(s, err);
  }
  json_decref(ctx);
  if (!ok) return false;
  *text = value_text(v);
  json_decref(v);
  return true;
}

static enum outcome do_fail(struct visit *s, json_t *input, struct rt_error *err) {
  char *error, *cause;
  inspect(s, "afterInputPath", input);
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

static enum outcome do_wait(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                            struct rt_error *err) {
  json_t *effective;
  if (!apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  inspect(s, "afterInputPath", effective);
  json_t *ctx = context_of(s);
  struct rt_scope sc;
  scope_of(s, &sc, effective, ctx);
  int64_t wait_ms = 0;
  bool ok = true;
  json_t *seconds = json_object_get(s->def, "Seconds");
  const char *seconds_path = get_str(s->def, "SecondsPath");
  const char *timestamp = get_str(s->def, "Timestamp");
  const char *timestamp_path = get_str(s->def, "TimestampPath");
  if (seconds) {
    if (!json_is_integer(seconds) || json_integer_value(seconds) < 0) {
      state_fail(s, err, "States.Runtime", "The Seconds field must be a non-negative integer.");
      ok = false;
    } else {
      json_int_t n = json_integer_value(seconds);
      wait_ms = n > INT64_MAX / 1000 ? INT64_MAX : (int64_t)n * 1000;
    }
  } else if (seconds_path) {
    json_t *v = NULL;
    char *why = NULL;
    if (!rt_path_get(seconds_path, &sc, &v, &why)) {
      state_fail(s, err, "States.Runtime",
                 "The SecondsPath parameter does not reference an input value: %s", seconds_path);
      ok = false;
    } else if (!json_is_integer(v)) {
      char *t = value_text(v);
      state_fail(s, err, "States.Runtime",
                 "The SecondsPath parameter cannot be parsed as a long value: %s == %s",
                 seconds_path, t);
      free(t);
      ok = false;
    } else if (json_integer_value(v) < 0) {
      char *t = value_text(v);
      state_fail(s, err, "States.Runtime",
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
      if (!parse_time(timestamp, &at, NULL)) {
        state_fail(s, err, "States.Runtime",
                   "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
                   "format string: %s",
                   timestamp);
        ok = false;
      }
    } else {
      char *why = NULL;
      if (!rt_path_get(timestamp_path, &sc, &v, &why)) {
        state_fail(s, err, "States.Runtime",
                   "The TimestampPath parameter does not reference an input value: %s",
                   timestamp_path);
        ok = false;
      } else if (!json_is_string(v) || !parse_time(json_string_value(v), &at, NULL)) {
        char *t = value_text(v);
        state_fail(s, err, "States.Runtime",
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
    state_fail(s, err, "States.Runtime", "Wait state delay is too long.");
    ok = false;
  }
  if (!ok) {
    json_decref(effective);
    return RUN_ERROR;
  }
  if (!s->x->test_state && !advance(s->x, s->prev, wait_ms)) {
    json_decref(effective);
    return RUN_STOP;
  }
  if (!apply_assign(s, json_object_get(s->def, "Assign"), effective, assigned, err)) {
    json_decref(effective);
    return RUN_ERROR;
  }
  ok = apply_path(s, "OutputPath", effective, out, err);
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
    if (colon && colon > p && ends_with(arn, ".sync:2")) {
      const char *c2 = colon - 1;
      while (c2 > p && *c2 != ':') c2--;
      colon = *c2 == ':' ? c2 : colon;
    }
    if (colon && colon > p) {
      r.type = xasprintf("%.*s", (int)(colon - p), p);
      r.action = xstrdup(colon + 1);
    } else {
      r.type = xstrdup(p);
      r.action = xstrdup(p);
    }
    return r;
  }
  if (strstr(arn, ":lambda:") && strstr(arn, ":function:")) r.kind = TES_LAMBDA;
  else if (strstr(arn, ":activity:")) r.kind = TES_ACTIVITY;
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
    [TES_SERVICE] = {"TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskFailed",
                     "TaskTimedOut"},
    [TES_LAMBDA] = {"LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
                    "LambdaFunctionFailed", "LambdaFunctionTimedOut"},
    [TES_ACTIVITY] = {"ActivityScheduled", "ActivityStarted", "ActivitySucceeded",
                      "ActivityFailed", "ActivityTimedOut"},
};

/* "TaskScheduled" -> "taskScheduledEventDetails" */
static char *details_key(const char *type) {
  char *k = xasprintf("%sEventDetails", type);
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
  event(s->x, s->prev, task_events[r->kind][which], key, d);
  free(key);
}

/* TimeoutSeconds/HeartbeatSeconds, or their ...Path over the effective input: seconds,
   0 when the state sets neither. */
static bool task_seconds(struct visit *s, json_t *effective, const char *field, int64_t *secs,
                         struct rt_error *err) {
  *secs = 0;
  json_t *lit = json_object_get(s->def, field);
  char path_field[32];
  snprintf(path_field, sizeof path_field, "%sPath", field);
  const char *path = get_str(s->def, path_field);
  json_t *v = NULL;
  if (lit) {
    v = json_incref(lit);
  } else if (path) {
    json_t *ctx = context_of(s);
    struct rt_scope sc;
    scope_of(s, &sc, effective, ctx);
    char *why = NULL;
    bool ok = rt_path_get(path, &sc, &v, &why);
    json_decref(ctx);
    if (!ok) {
      state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", path, why ? why : "");
      free(why);
      return false;
    }
  } else {
    return true;
  }
  if (!json_is_integer(v) || json_integer_value(v) <= 0) {
    char *t = value_text(v);
    state_fail(s, err, "States.Runtime",
               "The %s field refers to value \"%s\" which is not a valid positive integer%s%s",
               lit ? field : path_field, t, path ? ": " : "", path ? path : "");
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

static char *make_uuid(struct exec *x) {
  uint64_t a = rt_random_next(&x->random), b = rt_random_next(&x->random);
  a = (a & ~UINT64_C(0xF000)) | UINT64_C(0x4000);            /* version 4 */
  b = (b & ~(UINT64_C(3) << 62)) | (UINT64_C(2) << 62);        /* RFC 4122 variant */
  return xasprintf("%08llx-%04llx-%04llx-%04llx-%012llx", (unsigned long long)(a >> 32),
                   (unsigned long long)((a >> 16) & 0xFFFF), (unsigned long long)(a & 0xFFFF),
                   (unsigned long long)(b >> 48), (unsigned long long)(b & UINT64_C(0xFFFFFFFFFFFF)));
}

/* One call for o->task (or TestState's mock). */
static bool call_task(struct visit *s, const char *resource, json_t *params, json_t *ctx,
                      json_t **result, int64_t *duration, struct rt_error *err) {
  struct exec *x = s->x;
  *result = NULL;
  *duration = 0;
  if (s->ins && s->ins->mocked) {
    if (s->ins->mock_error) {
      set_error(err, s->ins->mock_error, s->ins->mock_cause);
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

static enum outcome do_task(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                            struct rt_error *err) {
  struct exec *x = s->x;
  const char *arn = get_str(s->def, "Resource");
  if (!arn) {
    state_fail(s, err, "States.Runtime", "The Task state has no Resource.");
    return RUN_ERROR;
  }
  json_t *effective;
  if (!apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  inspect(s, "afterInputPath", effective);
  char *token = NULL;
  /* callbacks and .sync jobs get a task token ($$.Task.Token) */
  if (ends_with(arn, ".waitForTaskToken") || ends_with(arn, ".sync") || ends_with(arn, ".sync:2"))
    token = make_token(x);
  json_t *p = json_object_get(s->def, "Parameters");
  json_t *ctx = context_of(s);
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
    scope_of(s, &sc, effective, ctx);
    bool ok = rt_template(p, &sc, &params, err);
    json_decref(effective);
    if (!ok) {
      state_wrap(s, err);
      json_decref(ctx);
      free(token);
      return RUN_ERROR;
    }
    effective = params;
  }
  inspect(s, "afterParameters", effective);
  free(token);
  int64_t timeout = 0, heartbeat = 0;
  /* the ...SecondsPath fields read the state's input */
  if (!task_seconds(s, input, "TimeoutSeconds", &timeout, err) ||
      !task_seconds(s, input, "HeartbeatSeconds", &heartbeat, err)) {
    json_decref(effective);
    json_decref(ctx);
    return RUN_ERROR;
  }
  if (payload_too_big(effective)) {
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
    json_object_set_new(d, "parameters", json_text(effective));
  } else {
    json_object_set_new(d, "input", json_text(effective));
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

  json_t *result = NULL;
  int64_t took = 0;
  bool ok = call_task(s, arn, effective, ctx, &result, &took, err);
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
    timed_out = "States.HeartbeatTimeout";
    limit = heartbeat * 1000;
  } else if (took > timeout * 1000) {
    timed_out = "States.Timeout";
    limit = timeout * 1000;
  }
  if (!x->test_state && !advance(x, s->prev, limit)) {
    json_decref(result);
    resource_free(&r);
    return RUN_STOP;
  }
  if (timed_out) {
    json_decref(result);
    ok = false;
    set_error(err, timed_out, NULL);
  }
  if (!ok) {
    if (is(err->error, "States.Runtime")) {
      /* the run stops here (no mock answered, a resource that does not exist) */
      state_wrap(s, err);
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
  if (payload_too_big(result)) {
    json_decref(result);
    data_limit(s, err, r.kind == TES_SERVICE ? NULL : arn);
    d = r.kind == TES_SERVICE ? task_details(&r, NULL) : json_object();
    json_object_set_new(d, "error", json_string(err->error));
    json_object_set_new(d, "cause", json_string(err->cause));
    task_event(s, &r, 3, d);
    resource_free(&r);
    return RUN_ERROR;
  }
  d = r.kind == TES_SERVICE ? task_details(&r, NULL) : json_object();
  json_object_set_new(d, "output", json_text(result));
  json_object_set_new(d, "outputDetails", json_pack("{s:b}", "truncated", 0));
  task_event(s, &r, 2, d);
  resource_free(&r);
  return finish_result(s, input, result, out, assigned, err) ? RUN_OK : RUN_ERROR;
}

/* ---------------------------------------------------------------- Parallel */

static enum outcome do_parallel(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                                struct rt_error *err) {
  struct exec *x = s->x;
  json_t *effective;
  if (!apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  json_t *p = json_object_get(s->def, "Parameters");
  if (p) {
    json_t *params;
    bool ok = apply_template(s, p, effective, &params, err);
    json_decref(effective);
    if (!ok) return RUN_ERROR;
    effective = params;
  }
  if (s->ins && s->ins->mocked) {
    /* TestState: the mock stands for the branches' results */
    json_decref(effective);
    json_t *r;
    int64_t took;
    if (!call_task(s, "", NULL, NULL, &r, &took, err)) return RUN_ERROR;
    return finish_result(s, input, r, out, assigned, err) ? RUN_OK : RUN_ERROR;
  }
  event(x, s->prev, "ParallelStateStarted", NULL, NULL);
  json_t *results = json_array();
  int64_t t0 = x->now, end = x->now;
  long started = *s->prev;
  enum outcome o = RUN_OK;
  size_t i;
  json_t *branch;
  json_array_foreach(json_object_get(s->def, "Branches"), i, branch) {
    x->now = t0;
    long prev = started;
    struct rt_vars frame = {json_object(), s->vars};
    json_t *r = NULL;
    o = run_block(x, branch, json_incref(effective), &frame, &prev, &r, err);
    json_decref(frame.values);
    if (x->now > end) end = x->now;
    if (o != RUN_OK) break;
    json_array_append_new(results, r);
  }
  if (!x->stopped) x->now = end;
  *s->prev = x->events; /* the Parallel goes on after its branches' last event */
  json_decref(effective);
  if (o == RUN_ERROR) event(x, s->prev, "ParallelStateFailed", NULL, NULL);
  if (o != RUN_OK) {
    json_decref(results);
    return o;
  }
  return finish_result(s, input, results, out, assigned, err) ? RUN_OK : RUN_ERROR;
}

/* ---------------------------------------------------------------- Map: items */

/* An integer field or its ...Path (MaxConcurrency, ToleratedFailureCount,
   MaxItemsPerBatch, ...): *present false when the state sets neither. */
static bool map_number(struct visit *s, json_t *obj, json_t *effective, const char *field,
                       bool integer, double *value, bool *present, struct rt_error *err) {
  *present = false;
  json_t *lit = json_object_get(obj, field);
  char path_field[64];
  snprintf(path_field, sizeof path_field, "%sPath", field);
  const char *path = get_str(obj, path_field);
  json_t *v = NULL;
  if (lit) {
    v = json_incref(lit);
  } else if (path) {
    json_t *ctx = context_of(s);
    struct rt_scope sc;
    scope_of(s, &sc, effective, ctx);
    char *why = NULL;
    bool ok = rt_path_get(path, &sc, &v, &why);
    json_decref(ctx);
    if (!ok) {
      state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", path, why ? why : "");
      free(why);
      return false;
    }
  } else {
    return true;
  }
  /* AWS parses the value's text: "1" is as good as 1 */
  if (json_is_string(v)) {
    const char *t = json_string_value(v);
    char *end;
    double d = integer ? (double)strtoll(t, &end, 10) : strtod(t, &end);
    if (*t && !*end && end != t) {
      json_decref(v);
      v = integer ? json_integer((json_int_t)d) : json_real(d);
    }
  }
  if (integer ? !json_is_integer(v) : !json_is_number(v)) {
    char *t = value_text(v);
    state_fail(s, err, "States.Runtime",
               "The %s field refers to value \"%s\" which is not a valid %s%s%s",
               path && !lit ? path_field : field, t, integer ? "integer" : "float",
               path && !lit ? ": " : "", path && !lit ? path : "");
    free(t);
    json_decref(v);
    return false;
  }
  /* clamped, so that no count or size overflows on hostile input */
  double d = json_number_value(v);
  *value = d > 1e15 ? 1e15 : d < -1e15 ? -1e15 : d;
  *present = true;
  json_decref(v);
  return true;
}

/* One CSV record from *P (RFC 4180: quoted fields, "" inside quotes), split at SEP. */
static json_t *csv_record(const char **p, char sep) {
  json_t *fields = json_array();
  struct buf b = {0};
  const char *s = *p;
  bool quoted = false;
  for (;;) {
    char c = *s;
    if (quoted) {
      if (!c) break;
      if (c == '"' && s[1] == '"') {
        buf_addc(&b, '"');
        s += 2;
        continue;
      }
      if (c == '"') quoted = false;
      else buf_addc(&b, c);
      s++;
      continue;
    }
    if (c == '"') {
      quoted = true;
      s++;
      continue;
    }
    if (c == sep || c == '\n' || c == '\r' || !c) {
      buf_addc(&b, '\0');
      json_array_append_new(fields, json_string(b.data ? b.data : ""));
      b.len = 0;
      if (c == sep) {
        s++;
        continue;
      }
      if (c == '\r' && s[1] == '\n') s++;
      if (c) s++;
      break;
    }
    buf_addc(&b, c);
    s++;
  }
  buf_free(&b);
  *p = s;
  return fields;
}

static char csv_delimiter(const char *name) {
  static const struct { const char *name; char c; } delimiters[] = {
      {"COMMA", ','}, {"PIPE", '|'}, {"SEMICOLON", ';'}, {"SPACE", ' '}, {"TAB", '\t'}};
  for (size_t i = 0; i < sizeof delimiters / sizeof *delimiters; i++)
    if (is(name, delimiters[i].name)) return delimiters[i].c;
  return ',';
}

static bool reader_fail(struct rt_error *err, const char *cause) {
  rt_fail(err, "States.ItemReaderFailed", "%s", cause);
  return false;
}

/* The items of an object read by ItemReader: TEXT per ReaderConfig.InputType. */
static bool parse_items(json_t *config, json_t *body, json_t **items, struct rt_error *err) {
  const char *type = get_str(config, "InputType");
  if (!json_is_string(body)) {
    /* a mock may answer with the parsed document */
    if (json_is_array(body)) {
      *items = json_incref(body);
      return true;
    }
    json_t *contents = json_object_get(body, "Contents");
    if (json_is_array(contents)) {
      *items = json_incref(contents);
      return true;
    }
    return reader_fail(err, "Attempting to map over non-iterable node.");
  }
  const char *text = json_string_value(body);
  if (is(type, "CSV")) {
    char sep = csv_delimiter(get_str(config, "CSVDelimiter"));
    json_t *headers = json_object_get(config, "CSVHeaders");
    const char *p = text;
    if (!is(get_str(config, "CSVHeaderLocation"), "GIVEN")) headers = csv_record(&p, sep);
    else json_incref(headers);
    size_t i, j;
    json_t *h, *h2;
    json_array_foreach(headers, i, h) json_array_foreach(headers, j, h2) if (j > i &&
                                                                              json_equal(h, h2)) {
      json_decref(headers);
      return reader_fail(err, "CSV headers cannot contain duplicates.");
    }
    *items = json_array();
    while (*p) {
      json_t *rec = csv_record(&p, sep);
      json_t *row = json_object();
      json_t *v;
      json_array_foreach(rec, i, v) {
        const char *name = json_string_value(json_array_get(headers, i));
        if (name) json_object_set(row, name, v);
      }
      json_decref(rec);
      json_array_append_new(*items, row);
    }
    json_decref(headers);
    return true;
  }
  if (is(type, "JSONL")) {
    *items = json_array();
    const char *p = text;
    while (*p) {
      const char *nl = strchr(p, '\n');
      size_t n = nl ? (size_t)(nl - p) : strlen(p);
      json_t *v = json_loadb(p, n, JSON_DECODE_ANY, NULL);
      if (v) json_array_append_new(*items, v);
      p += n + (nl != NULL);
    }
    return true;
  }
  json_t *doc = json_loads(text, JSON_DECODE_ANY, NULL);
  if (!json_is_array(doc)) {
    json_decref(doc);
    return reader_fail(err, "Attempting to map over non-iterable node.");
  }
  *items = doc;
  return true;
}

static bool read_items(struct visit *s, json_t *reader, json_t *effective, json_t **items,
                       struct rt_error *err) {
  json_t *config = json_object_get(reader, "ReaderConfig");
  double max_items = 0;
  bool has_max;
  if (!map_number(s, config, effective, "MaxItems", true, &max_items, &has_max, err)) return false;
  /* MaxItems 0 is no limit */
  if (has_max && max_items < 0) return reader_fail(err, "field MaxItems must be positive");
  if (has_max && max_items == 0) has_max = false;
  json_t *params = json_object();
  json_t *p = json_object_get(reader, "Parameters");
  if (p) {
    json_decref(params);
    if (!apply_template(s, p, effective, &params, err)) return false;
  }
  const char *resource = get_str(reader, "Resource");
  json_t *ctx = context_of(s);
  json_t *body;
  int64_t took;
  bool ok = true;
  if (s->ins && s->ins->reader_data) /* TestState: the object's content, as given */
    body = json_incref(s->ins->reader_data);
  else
    ok = call_task(s, resource ? resource : "", params, ctx, &body, &took, err);
  json_decref(ctx);
  json_decref(params);
  if (!ok) {
    if (!is(err->error, "States.Runtime")) {
      char *cause = err->cause ? xstrdup(err->cause) : NULL;
      rt_fail(err, "States.ItemReaderFailed", "%s", cause ? cause : "");
      free(cause);
    }
    return false;
  }
  ok = parse_items(config, body, items, err);
  json_decref(body);
  if (ok && has_max && json_array_size(*items) > (size_t)max_items) {
    json_t *cut = json_array();
    for (size_t i = 0; i < (size_t)max_items; i++)
      json_array_append(cut, json_array_get(*items, i));
    json_decref(*items);
    *items = cut;
  }
  return ok;
}

/* ---------------------------------------------------------------- Map */

struct map_run {
  bool distributed;
  json_t *processor;
  double tolerated_count, tolerated_pct;
  bool has_count, has_pct;
  int64_t *slots; /* when each concurrent slot is free again: a min-heap */
  size_t nslots;
};

/* The heap's root (the earliest free slot) now busy until T: sift it down. */
static void slot_reuse(struct map_run *m, int64_t t) {
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, least = i;
    int64_t v = i == 0 ? t : m->slots[i];
    if (l < m->nslots && m->slots[l] < v) least = l;
    if (r < m->nslots && m->slots[r] < (least == i ? v : m->slots[least])) least = r;
    if (least == i) {
      m->slots[i] = t;
      return;
    }
    m->slots[i] = m->slots[least];
    i = least;
  }
}

/* One iteration (inline) or child execution (distributed) on INPUT (stolen). */
static enum outcome map_iteration(struct visit *s, struct map_run *m, size_t index, json_t *input,
                                  json_t **out, struct rt_error *err) {
  struct exec *x = s->x;
  /* the earliest free slot starts this iteration */
  int64_t t = m->slots[0] > x->now ? m->slots[0] : x->now;
  int64_t resume = x->now;
  x->now = t;
  enum outcome o;
  if (!m->distributed) {
    long prev = *s->prev;
    json_t *d = json_pack("{s:s,s:I}", "name", s->name, "index", (json_int_t)index);
    event(x, &prev, "MapIterationStarted", "mapIterationStartedEventDetails", d);
    struct rt_vars frame = {json_object(), s->vars};
    o = run_block(x, m->processor, input, &frame, &prev, out, err);
    json_decref(frame.values);
    d = json_pack("{s:s,s:I}", "name", s->name, "index", (json_int_t)index);
    if (o == RUN_OK) event(x, &prev, "MapIterationSucceeded", "mapIterationSucceededEventDetails", d);
    else if (o == RUN_ERROR) event(x, &prev, "MapIterationFailed", "mapIterationFailedEventDetails", d);
    else json_decref(d);
    *s->prev = prev;
  } else {
    /* A child execution: its own history (not this one's) and its own quota; it sees
       no variables of the parent. */
    long events = x->events, max = x->max_events;
    json_t *history = x->history;
    x->history = NULL;
    x->events = 0;
    x->max_events = x->o->max_events > 0 ? x->o->max_events : HISTORY_QUOTA;
    long prev = 0;
    struct rt_vars frame = {json_object(), NULL};
    o = run_block(x, m->processor, input, &frame, &prev, out, err);
    json_decref(frame.values);
    x->history = history;
    x->events = events;
    x->max_events = max;
    if (x->stopped && x->quota_hit) {
      /* the child's own history quota: that child failed, the parent goes on */
      x->stopped = x->quota_hit = false;
      set_error(err, x->stop.error, x->stop.cause);
      rt_error_free(&x->stop);
      o = RUN_ERROR;
    }
  }
  slot_reuse(m, x->now);
  if (o != RUN_STOP) x->now = resume;
  return o;
}

/* Either threshold breached fails the Map; with neither, any failure does. */
static bool tolerance_exceeded(struct map_run *m, size_t failed, size_t total) {
  if (!m->has_count && !m->has_pct) return failed > 0;
  if (m->has_count && (double)failed > m->tolerated_count) return true;
  return m->has_pct && total && (double)failed * 100.0 / (double)total > m->tolerated_pct;
}

static char *map_run_arn(struct visit *s, const char *label, char **uuid) {
  struct exec *x = s->x;
  *uuid = make_uuid(x);
  char *short_id = NULL;
  if (!label) {
    short_id = make_uuid(x);
    short_id[8] = '\0';
    label = short_id;
  }
  char *arn = xasprintf("arn:%s:states:%s:%s:mapRun:%s/%s:%s", x->partition, x->region,
                        x->account, x->machine_name, label, *uuid);
  free(short_id);
  return arn;
}

static enum outcome do_map(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                           struct rt_error *err) {
  struct exec *x = s->x;
  struct map_run m = {0};
  json_t *effective;
  if (!apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  inspect(s, "afterInputPath", effective);
  m.processor = json_object_get(s->def, "ItemProcessor");
  if (!m.processor) m.processor = json_object_get(s->def, "Iterator");
  m.distributed =
      is(get_str(json_object_get(m.processor, "ProcessorConfig"), "Mode"), "DISTRIBUTED");
  double conc = 0;
  bool has_conc;
  if (!map_number(s, s->def, effective, "MaxConcurrency", true, &conc, &has_conc, err)) {
    json_decref(effective);
    return RUN_ERROR;
  }
  enum outcome o = RUN_ERROR;
  json_t *items = NULL, *results = NULL;
  char *run_arn = NULL, *run_uuid = NULL;
  json_t *reader = json_object_get(s->def, "ItemReader");
  if (!reader) {
    const char *ip = get_str(s->def, "ItemsPath");
    json_t *ctx = context_of(s);
    struct rt_scope sc;
    scope_of(s, &sc, effective, ctx);
    char *why = NULL;
    bool ok = rt_path_get(ip ? ip : "$", &sc, &items, &why);
    json_decref(ctx);
    if (!ok) {
      state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", ip ? ip : "$",
                 why ? why : "");
      free(why);
      goto done;
    }
    if (!json_is_array(items)) {
      const char *shown = ip ? ip : "$";
      if (shown[0] == '$' && shown[1] == '$') shown++;
      state_fail(s, err, "States.Runtime", "Reference path \"%s\" must point to array.", shown);
      goto done;
    }
    if (ip) inspect(s, "afterItemsPath", items);
  }
  if (s->ins)
    json_object_set_new(s->ins->data, "maxConcurrency", json_integer(has_conc ? (json_int_t)conc : 0));
  event(x, s->prev, "MapStateStarted", "mapStateStartedEventDetails",
        json_pack("{s:I}", "length", (json_int_t)(items ? json_array_size(items) : 0)));
  if (!map_number(s, s->def, effective, "ToleratedFailureCount", true, &m.tolerated_count,
                  &m.has_count, err) ||
      !map_number(s, s->def, effective, "ToleratedFailurePercentage", false, &m.tolerated_pct,
                  &m.has_pct, err))
    goto done;
  if (m.has_count && m.tolerated_count < 0) {
    state_fail(s, err, "States.Runtime", "ToleratedFailureCount cannot be negative.");
    goto done;
  }
  if (m.has_pct && (m.tolerated_pct < 0 || m.tolerated_pct > 100)) {
    state_fail(s, err, "States.Runtime", "ToleratedFailurePercentage must be between 0 and 100.");
    goto done;
  }
  if (s->ins && m.has_count)
    json_object_set_new(s->ins->data, "toleratedFailureCount",
                        json_integer((json_int_t)m.tolerated_count));
  if (s->ins && m.has_pct)
    json_object_set_new(s->ins->data, "toleratedFailurePercentage", json_real(m.tolerated_pct));
  if (s->ins && s->ins->mocked) {
    /* TestState: the mock stands for the iterations' results; the configuration's
       failure count is checked against the tolerance */
    int64_t took;
    if (!call_task(s, "", NULL, NULL, &results, &took, err)) goto done;
    size_t failures = s->ins->map_failures > 0 ? (size_t)s->ins->map_failures : 0;
    size_t total = items ? json_array_size(items) : json_array_size(results);
    if (failures && tolerance_exceeded(&m, failures, total)) {
      rt_fail(err, "States.ExceedToleratedFailureThreshold",
              "The specified tolerated failure threshold was exceeded");
      goto done;
    }
    o = finish_result(s, input, results, out, assigned, err) ? RUN_OK : RUN_ERROR;
    results = NULL;
    goto done;
  }
  if (m.distributed) {
    run_arn = map_run_arn(s, get_str(s->def, "Label"), &run_uuid);
    event(x, s->prev, "MapRunStarted", "mapRunStartedEventDetails",
          json_pack("{s:s}", "mapRunArn", run_arn));
  }
  if (reader && !read_items(s, reader, effective, &items, err)) {
    if (m.distributed && !is(err->error, "States.Runtime"))
      event(x, s->prev, "MapRunFailed", "mapRunFailedEventDetails",
            json_pack("{s:s?,s:s?}", "error", err->error, "cause", err->cause));
    event(x, s->prev, "MapStateFailed", NULL, NULL);
    goto done;
  }

  /* ItemSelector (or the older Parameters) makes each item's input; ItemBatcher groups
     them into {"Items": [...], "BatchInput": ...}. */
  json_t *selector = json_object_get(s->def, "ItemSelector");
  if (!selector) selector = json_object_get(s->def, "Parameters");
  json_t *batcher = json_object_get(s->def, "ItemBatcher");
  json_t *inputs = json_array();
  size_t n = json_array_size(items);
  for (size_t i = 0; i < n; i++) {
    json_t *item = json_array_get(items, i), *in;
    if (selector) {
      json_t *mi = json_pack("{s:I,s:O}", "Index", (json_int_t)i, "Value", item);
      s->map_item = mi;
      bool ok = apply_template(s, selector, effective, &in, err);
      s->map_item = NULL;
      json_decref(mi);
      if (!ok) {
        json_decref(inputs);
        goto done;
      }
    } else {
      in = json_incref(item);
    }
    json_array_append_new(inputs, in);
  }
  if (batcher) {
    double max_n = 0, max_bytes = 0;
    bool has_n, has_bytes;
    if (!map_number(s, batcher, effective, "MaxItemsPerBatch", true, &max_n, &has_n, err) ||
        !map_number(s, batcher, effective, "MaxInputBytesPerBatch", true, &max_bytes, &has_bytes,
                    err)) {
      json_decref(inputs);
      goto done;
    }
    json_t *batch_input = NULL;
    json_t *bi = json_object_get(batcher, "BatchInput");
    if (bi && !apply_template(s, bi, effective, &batch_input, err)) {
      json_decref(inputs);
      goto done;
    }
    json_t *batches = json_array(), *cur = NULL;
    size_t bytes = 0;
    json_t *v;
    size_t i;
    json_array_foreach(inputs, i, v) {
      char *t = rt_json_text(v);
      size_t len = strlen(t) + 1;
      free(t);
      if (cur && ((has_n && json_array_size(cur) >= (size_t)max_n) ||
                  (has_bytes && bytes + len > (size_t)max_bytes))) {
        cur = NULL;
      }
      if (!cur) {
        json_t *b = json_object();
        cur = json_array();
        json_object_set_new(b, "Items", cur);
        if (batch_input) json_object_set(b, "BatchInput", batch_input);
        json_array_append_new(batches, b);
        bytes = 0;
      }
      json_array_append(cur, v);
      bytes += len;
    }
    json_decref(batch_input);
    json_decref(inputs);
    inputs = batches;
  }

  n = json_array_size(inputs);
  m.nslots = m.distributed ? DISTRIBUTED_MAP_SLOTS : INLINE_MAP_SLOTS;
  if (has_conc && conc > 0 && (size_t)conc < m.nslots) m.nslots = (size_t)conc;
  if (m.nslots > n) m.nslots = n ? n : 1;
  m.slots = xmalloc(m.nslots * sizeof *m.slots);
  for (size_t i = 0; i < m.nslots; i++) m.slots[i] = x->now;
  results = json_array();
  size_t failed = 0;
  int forced_failures = s->ins ? s->ins->map_failures : 0;
  struct rt_error first = {0};
  o = RUN_OK;
  for (size_t i = 0; i < n && o == RUN_OK; i++) {
    json_t *r = NULL;
    struct rt_error e = {0};
    enum outcome io;
    if (forced_failures > 0 && (size_t)forced_failures > i) {
      /* TestState's stateConfiguration.mapIterationFailureCount */
      io = RUN_ERROR;
      set_error(&e, "States.TaskFailed", NULL);
    } else {
      io = map_iteration(s, &m, i, json_incref(json_array_get(inputs, i)), &r, &e);
    }
    if (io == RUN_STOP) {
      o = RUN_STOP;
      rt_error_free(&e);
      break;
    }
    if (io == RUN_OK) {
      json_array_append_new(results, r);
      continue;
    }
    failed++;
    bool tolerant = m.has_count || m.has_pct;
    if (uncatchable(e.error) || !tolerant || tolerance_exceeded(&m, failed, n)) {
      if (m.distributed || tolerant) {
        if (!uncatchable(e.error))
          set_error(&e, "States.ExceedToleratedFailureThreshold",
                    "The specified tolerated failure threshold was exceeded");
      }
      rt_error_free(&first);
      first = e;
      o = RUN_ERROR;
      break;
    }
    json_t *fr = json_object();
    if (e.error) json_object_set_new(fr, "Error", json_string(e.error));
    if (e.cause) json_object_set_new(fr, "Cause", json_string(e.cause));
    json_array_append_new(results, fr);
    rt_error_free(&e);
  }
  for (size_t i = 0; i < m.nslots; i++)
    if (m.slots[i] > x->now && o != RUN_STOP) x->now = m.slots[i];
  free(m.slots);
  json_decref(inputs);
  if (o == RUN_STOP) goto done;
  if (o == RUN_ERROR) {
    rt_error_free(err);
    *err = first;
    if (m.distributed)
      event(x, s->prev, "MapRunFailed", "mapRunFailedEventDetails",
            json_pack("{s:s?,s:s?}", "error", err->error, "cause", err->cause));
    event(x, s->prev, "MapStateFailed", NULL, NULL);
    goto done;
  }
  if (m.distributed) event(x, s->prev, "MapRunSucceeded", NULL, NULL);
  json_t *writer = json_object_get(s->def, "ResultWriter");
  if (writer) {
    json_t *params = json_object();
    json_t *wp = json_object_get(writer, "Parameters");
    if (wp) {
      json_decref(params);
      if (!apply_template(s, wp, effective, &params, &first)) {
        rt_error_free(err);
        *err = first;
        o = RUN_ERROR;
        goto done;
      }
    }
    json_t *call = json_pack("{s:O,s:O}", "Parameters", params, "Results", results);
    json_t *ctx = context_of(s), *answer;
    int64_t took;
    bool ok = call_task(s, get_str(writer, "Resource") ? get_str(writer, "Resource") : "", call, ctx,
                        &answer, &took, err);
    json_decref(ctx);
    json_decref(call);
    json_decref(answer);
    if (!ok) {
      json_decref(params);
      if (!is(err->error, "States.Runtime")) {
        char *cause = err->cause ? xstrdup(err->cause) : NULL;
        rt_fail(err, "States.ResultWriterFailed", "%s", cause ? cause : "");
        free(cause);
      }
      o = RUN_ERROR;
      goto done;
    }
    /* The Map's result points at the manifest the writer wrote. */
    const char *bucket = get_str(params, "Bucket"), *prefix = get_str(params, "Prefix");
    char *key = prefix && *prefix ? xasprintf("%s/%s/manifest.json", prefix, run_uuid)
                                  : xasprintf("%s/manifest.json", run_uuid);
    json_decref(results);
    results = json_pack("{s:s,s:{s:s,s:s}}", "MapRunArn", run_arn ? run_arn : "",
                        "ResultWriterDetails", "Bucket", bucket ? bucket : "", "Key", key);
    free(key);
    json_decref(params);
  }
  event(x, s->prev, "MapStateSucceeded", NULL, NULL);
  o = finish_result(s, input, results, out, assigned, err) ? RUN_OK : RUN_ERROR;
  results = NULL;
done:
  json_decref(results);
  json_decref(items);
  json_decref(effective);
  free(run_arn);
  free(run_uuid);
  return o;
}

/* ---------------------------------------------------------------- states */

static const char *const state_types[] = {"Pass", "Task", "Choice", "Wait", "Succeed",
                                          "Fail", "Parallel", "Map"};

static bool retriable(const char *type) {
  return is(type, "Task") || is(type, "Parallel") || is(type, "Map");
}

/* The state's work, once (a retry calls it again). */
static enum outcome work(struct visit *s, json_t *input, json_t **out, const char **next,
                         json_t **assigned, struct rt_error *err) {
  const char *t = s->type;
  if (is(t, "Pass")) return do_pass(s, input, out, assigned, err);
  if (is(t, "Task")) return do_task(s, input, out, assigned, err);
  if (is(t, "Choice")) return do_choice(s, input, out, next, assigned, err);
  if (is(t, "Wait")) return do_wait(s, input, out, assigned, err);
  if (is(t, "Succeed")) return do_succeed(s, input, out, err);
  if (is(t, "Fail")) return do_fail(s, input, err);
  if (is(t, "Parallel")) return do_parallel(s, input, out, assigned, err);
  return do_map(s, input, out, assigned, err);
}

/* Retry: the first retrier that matches decides; an exhausted one sends the error on
   to Catch. true when the state runs again. */
static bool retry(struct visit *s, int *attempts, const struct rt_error *err) {
  json_t *retriers = json_object_get(s->def, "Retry");
  size_t i;
  json_t *r;
  json_array_foreach(retriers, i, r) {
    if (!error_matches(json_object_get(r, "ErrorEquals"), err->error)) continue;
    json_t *ma = json_object_get(r, "MaxAttempts");
    json_int_t max = json_is_integer(ma) ? json_integer_value(ma) : 3;
    /* TestState: the retries this retrier has already made */
    if (s->ins && s->ins->retries_done > 0) attempts[i] = s->ins->retries_done;
    if (attempts[i] >= max) {
      if (s->ins)
        json_object_set_new(s->ins->data, "errorDetails", json_pack("{s:i}", "retryIndex", (int)i));
      return false;
    }
    attempts[i]++;
    int64_t delay = retry_delay_ms(s->x, r, attempts[i]);
    step(s->x, RT_STEP_RETRY, s->name, (int)i, NULL);
    if (s->ins) {
      s->ins->retry_index = (int)i;
      s->ins->retry_delay_s = delay / 1000;
      s->ins->retriable = true;
      return false;
    }
    s->retry_count++;
    return advance(s->x, s->prev, delay) || true;
  }
  return false;
}

/* Catch: the first catcher that matches; the Error Output goes through its ResultPath
   into the state's raw input, and only its Assign runs. */
static bool catch_error(struct visit *s, json_t *input, const struct rt_error *caught,
                        json_t **out, const char **next, json_t **assigned, struct rt_error *err) {
  json_t *catchers = json_object_get(s->def, "Catch");
  size_t i;
  json_t *c;
  json_array_foreach(catchers, i, c) {
    if (!error_matches(json_object_get(c, "ErrorEquals"), caught->error)) continue;
    json_t *output = json_object();
    /* an error without a name or cause gives nulls (a task that failed bare); a
       timeout's Cause is empty */
    const char *cause = caught->cause;
    if (!cause && (is(caught->error, "States.Timeout") || is(caught->error, "States.HeartbeatTimeout")))
      cause = "";
    json_object_set_new(output, "Error", caught->error ? json_string(caught->error) : json_null());
    json_object_set_new(output, "Cause", cause ? json_string(cause) : json_null());
    step(s->x, RT_STEP_CATCH, s->name, (int)i, get_str(c, "Next"));
    if (s->ins) s->ins->catch_index = (int)i;
    json_t *catch_assign = json_object_get(c, "Assign");
    if (!apply_assign(s, catch_assign, output, assigned, err)) {
      json_decref(output);
      return false;
    }
    if (!apply_result_path(s, json_object_get(c, "ResultPath"), input, output, out, err))
      return false;
    *next = get_str(c, "Next");
    return true;
  }
  return false;
}

static bool jsonata_state(struct exec *x, json_t *def, bool machine_jsonata) {
  (void)x;
  const char *ql = get_str(def, "QueryLanguage");
  return ql ? is(ql, "JSONata") : machine_jsonata;
}

/* Runs the state NAME on INPUT (borrowed): *out its output, *next the state after it
   (NULL at the end of the block). */
static enum outcome run_state(struct exec *x, const char *name, json_t *def, json_t *input,
                              struct rt_vars *vars, long *prev, bool machine_jsonata,
                              json_t **out, const char **next, struct rt_error *err,
                              struct inspection *ins) {
  struct visit s = {x, name, def, get_str(def, "Type"), 0, x->now, 0, vars, prev, NULL, ins};
  *out = NULL;
  *next = NULL;
  bool known = false;
  for (size_t i = 0; i < sizeof state_types / sizeof *state_types; i++)
    known = known || is(s.type, state_types[i]);
  if (!known) {
    rt_fail(err, "States.Runtime", "The state '%s' has no valid Type.", name);
    return RUN_ERROR;
  }
  char type_event[48];
  snprintf(type_event, sizeof type_event, "%sStateEntered", s.type);
  s.entered_id = event(x, prev, type_event, "stateEnteredEventDetails", details_io(x, name, "input", input));
  if (x->stopped) return RUN_STOP;
  step(x, RT_STEP_ENTER, name, 0, NULL);
  if (ins) json_object_set_new(ins->data, "input", json_text(input));
  if (jsonata_state(x, def, machine_jsonata)) {
    state_fail(&s, err, "States.Runtime",
               "JSONata is not supported by the runtime yet: the state '%s' uses QueryLanguage "
               "JSONata.",
               name);
    return RUN_ERROR;
  }
  size_t nretriers = json_array_size(json_object_get(def, "Retry"));
  int *attempts = calloc(nretriers ? nretriers : 1, sizeof *attempts);
  if (!attempts) die("out of memory");
  enum outcome o;
  json_t *assigned = NULL;
  for (;;) {
    json_decref(assigned);
    assigned = NULL;
    o = work(&s, input, out, next, &assigned, err);
    if (o != RUN_ERROR || !retriable(s.type) || uncatchable(err->error)) break;
    if (retry(&s, attempts, err)) {
      if (x->stopped) {
        o = RUN_STOP;
        break;
      }
      continue;
    }
    if (x->stopped) {
      o = RUN_STOP;
      break;
    }
    if (ins && ins->retriable) break;
    json_decref(assigned);
    assigned = NULL;
    struct rt_error caught = *err;
    *err = (struct rt_error){0};
    bool c = catch_error(&s, input, &caught, out, next, &assigned, err);
    if (c) {
      if (ins) {
        json_object_set_new(ins->data, "errorDetails",
                            json_pack("{s:i}", "catchIndex", ins->catch_index));
        rt_error_free(&ins->caught);
        ins->caught = caught;
      } else {
        rt_error_free(&caught);
      }
      o = RUN_OK;
      goto exited;
    }
    if (err->error) {
      /* the catcher itself failed (its Assign, its ResultPath) */
      rt_error_free(&caught);
    } else {
      *err = caught;
    }
    break;
  }
  if (o == RUN_OK && !is(s.type, "Choice")) {
    *next = get_str(def, "Next");
  }
exited:
  free(attempts);
  if (o == RUN_OK && *out && payload_too_big(*out)) {
    json_decref(*out);
    *out = NULL;
    json_decref(assigned);
    data_limit(&s, err, NULL);
    return RUN_ERROR;
  }
  if (o == RUN_OK) {
    if (!is(s.type, "Fail")) {
      snprintf(type_event, sizeof type_event, "%sStateExited", s.type);
      json_t *d = details_io(x, name, "output", *out);
      if (assigned && json_object_size(assigned)) {
        json_object_set_new(d, "assignedVariables", assigned);
        json_object_set_new(d, "assignedVariablesDetails", json_pack("{s:b}", "truncated", 0));
        assigned = NULL;
      }
      event(x, prev, type_event, "stateExitedEventDetails", d);
    }
    if (*next) step(x, RT_STEP_NEXT, name, 0, *next);
    if (x->stopped) o = RUN_STOP;
  }
  json_decref(assigned);
  if (o != RUN_OK) {
    json_decref(*out);
    *out = NULL;
  }
  return o;
}

/* Runs a States block (the machine, a branch, an iteration) on INPUT (stolen). */
static enum outcome run_block(struct exec *x, json_t *block, json_t *input, struct rt_vars *vars,
                              long *prev, json_t **out, struct rt_error *err) {
  *out = NULL;
  if (x->depth >= MAX_NESTING) {
    json_decref(input);
    rt_fail(err, "States.Runtime",
            "The definition nests Parallel and Map states more than %d deep.", MAX_NESTING);
    return RUN_ERROR;
  }
  x->depth++;
  json_t *states = json_object_get(block, "States");
  const char *name = get_str(block, "StartAt");
  enum outcome o = RUN_OK;
  json_t *cur = input;
  for (;;) {
    json_t *def = name ? json_object_get(states, name) : NULL;
    if (!json_is_object(def)) {
      rt_fail(err, "States.Runtime", "The state '%s' does not exist.", name ? name : "");
      o = RUN_ERROR;
      break;
    }
    json_t *next_out;
    const char *next;
    o = run_state(x, name, def, cur, vars, prev, x->machine_jsonata, &next_out, &next, err, NULL);
    json_decref(cur);
    cur = NULL;
    if (o != RUN_OK) break;
    if (!next) {
      *out = next_out;
      break;
    }
    cur = next_out;
    name = next;
  }
  json_decref(cur);
  x->depth--;
  return o;
}

/* ---------------------------------------------------------------- rt_execute */

static void exec_init(struct exec *x, json_t *definition, json_t *input,
                      const struct rt_options *o) {
  memset(x, 0, sizeof *x);
  x->o = o;
  rt_random_seed(&x->random, o->seed);
  x->start = x->now = o->start_ms ? o->start_ms : DEFAULT_START_MS;
  x->deadline = INT64_MAX;
  json_t *ts = json_object_get(definition, "TimeoutSeconds");
  if (json_is_integer(ts) && json_integer_value(ts) > 0 && json_integer_value(ts) < 1000000000000)
    x->deadline = x->start + (int64_t)json_integer_value(ts) * 1000;
  x->max_events = o->max_events > 0 ? o->max_events : HISTORY_QUOTA;
  x->history = o->history ? json_array() : NULL;
  x->calls = json_object();
  x->partition = o->partition ? o->partition : "aws";
  x->region = o->region ? o->region : "us-east-1";
  x->account = o->account ? o->account : "123456789012";
  x->machine_name = o->state_machine_name ? o->state_machine_name : "StateMachine";
  x->machine_jsonata = is(get_str(definition, "QueryLanguage"), "JSONata");
  const char *exec_name = o->execution_name ? o->execution_name : "local";
  x->machine_arn = xasprintf("arn:%s:states:%s:%s:stateMachine:%s", x->partition, x->region,
                             x->account, x->machine_name);
  char *exec_arn = xasprintf("arn:%s:states:%s:%s:execution:%s:%s", x->partition, x->region,
                             x->account, x->machine_name, exec_name);
  char *role = xasprintf("arn:%s:iam::%s:role/service-role/StepFunctions-%s-role", x->partition,
                         x->account, x->machine_name);
  char *start = iso_time(x->start);
  x->base = json_pack("{s:{s:s,s:O,s:s,s:s,s:s,s:i},s:{s:s,s:s}}", "Execution", "Id", exec_arn,
                      "Input", input, "StartTime", start, "Name", exec_name, "RoleArn", role,
                      "RedriveCount", 0, "StateMachine", "Id", x->machine_arn, "Name",
                      x->machine_name);
  free(exec_arn);
  free(role);
  free(start);
}

static void exec_free(struct exec *x) {
  json_decref(x->base);
  json_decref(x->calls);
  json_decref(x->history);
  free(x->machine_arn);
  rt_error_free(&x->stop);
}

bool rt_execute(json_t *definition, json_t *input, const struct rt_options *o,
                struct rt_result *r) {
  memset(r, 0, sizeof *r);
  if (!json_is_object(definition) || !json_is_object(json_object_get(definition, "States")) ||
      !json_is_string(json_object_get(definition, "StartAt"))) {
    rt_fail(&r->error, "States.Runtime", "The definition has no StartAt or no States.");
    return false;
  }
  if (!input) input = json_object();
  else json_incref(input);
  struct exec x;
  exec_init(&x, definition, input, o);
  long prev = 0;
  json_t *d = details_io(&x, NULL, "input", input);
  if (d)
    json_object_set_new(d, "roleArn", json_incref(json_object_get(json_object_get(x.base, "Execution"),
                                                                  "RoleArn")));
  event(&x, &prev, "ExecutionStarted", "executionStartedEventDetails", d);
  struct rt_vars top = {json_object(), NULL};
  json_t *out = NULL;
  struct rt_error err = {0};
  enum outcome oc = RUN_ERROR;
  if (payload_too_big(input)) {
    rt_fail(&err, "States.DataLimitExceeded",
            "The execution input has a size exceeding the maximum number of bytes service limit.");
  } else {
    oc = run_block(&x, definition, json_incref(input), &top, &prev, &out, &err);
  }
  if (oc == RUN_OK) {
    event(&x, &prev, "ExecutionSucceeded", "executionSucceededEventDetails",
          details_io(&x, NULL, "output", out));
    if (x.stopped) oc = RUN_STOP;
  }
  if (oc == RUN_OK) {
    r->status = RT_SUCCEEDED;
    r->output = out;
    out = NULL;
  } else if (oc == RUN_STOP || x.stopped) {
    r->status = x.stop_status;
    r->error = x.stop;
    x.stop = (struct rt_error){0};
  } else {
    json_t *fd = json_object();
    if (err.error) json_object_set_new(fd, "error", json_string(err.error));
    if (err.cause) json_object_set_new(fd, "cause", json_string(err.cause));
    event(&x, &prev, "ExecutionFailed", "executionFailedEventDetails", fd);
    if (x.stopped) {
      /* the failure was the quota's last event: AWS's own failure wins */
      r->status = RT_FAILED;
      r->error = err;
      err = (struct rt_error){0};
    } else {
      r->status = RT_FAILED;
      r->error = err;
      err = (struct rt_error){0};
    }
  }
  rt_error_free(&err);
  json_decref(out);
  json_decref(top.values);
  json_decref(input);
  r->duration_ms = x.now - x.start;
  r->history = x.history;
  x.history = NULL;
  exec_free(&x);
  return true;
}

void rt_result_free(struct rt_result *r) {
  json_decref(r->output);
  rt_error_free(&r->error);
  json_decref(r->history);
  memset(r, 0, sizeof *r);
}

/* ---------------------------------------------------------------- rt_test_state */

/* The state NAME anywhere in the machine BLOCK: its States, and those of its
   Parallel branches and Map processors. */
static json_t *find_state(json_t *block, const char *name, int depth) {
  json_t *states = json_object_get(block, "States");
  json_t *found = json_object_get(states, name);
  if (found || depth > MAX_NESTING) return found;
  const char *k;
  json_t *st;
  json_object_foreach(states, k, st) {
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(st, "Branches"), i, b) if ((found = find_state(b, name, depth + 1)))
        return found;
    if ((found = find_state(json_object_get(st, "ItemProcessor"), name, depth + 1))) return found;
    if ((found = find_state(json_object_get(st, "Iterator"), name, depth + 1))) return found;
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
  const char *name = get_str(request, "stateName");
  json_t *def = definition;
  if (json_is_object(json_object_get(definition, "States"))) {
    if (!name) name = get_str(definition, "StartAt");
    def = find_state(definition, name ? name : "", 0);
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
  const char *level = get_str(request, "inspectionLevel");

  struct exec x;
  exec_init(&x, definition, input, o);
  x.test_state = true;
  if (context) {
    json_decref(x.base);
    x.base = json_incref(context);
    x.fixed_context = true;
  }
  struct inspection ins = {0};
  ins.data = json_object();
  ins.retry_index = ins.catch_index = ins.retries_done = -1;
  json_t *mock_result = NULL;
  if (mock) {
    ins.mocked = true;
    json_t *eo = json_object_get(mock, "errorOutput");
    if (eo) {
      ins.mock_error = get_str(eo, "error");
      ins.mock_cause = get_str(eo, "cause");
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
  enum outcome oc = run_state(&x, name, def, input, &vars, &prev, x.machine_jsonata, &out, &next,
                              &err, &ins);
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
    json_object_set_new(resp, "output", json_text(out));
    if (next) json_object_set_new(resp, "nextState", json_string(next));
  }
  if (ins.retriable) {
    json_object_set_new(ins.data, "errorDetails",
                        json_pack("{s:I,s:i}", "retryBackoffIntervalSeconds",
                                  (json_int_t)ins.retry_delay_s, "retryIndex", ins.retry_index));
  }
  if (is(level, "DEBUG") || is(level, "TRACE")) {
    if (!is(level, "TRACE")) json_object_del(ins.data, "variables");
    json_object_set(resp, "inspectionData", ins.data);
  }
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
  exec_free(&x);
  return resp;
}
