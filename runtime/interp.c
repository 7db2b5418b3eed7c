/* interp.c: runs an ASL definition the way AWS Step Functions does: the states and
 * their transitions, input and output processing, Assign, Retry and Catch, the
 * virtual clock, the context object and the execution history (GetExecutionHistory's
 * events); rt_execute. The work of each state type is in states.c and map.c, TestState
 * in teststate.c; interp.h is what they share.
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
 * the durations AWS would, and ip_order_events puts their events in time order. The
 * first failure in time fails a Parallel or an inline Map: x->horizon is that time,
 * and a branch or iteration run after it is aborted when its clock passes it.
 */
#define _POSIX_C_SOURCE 200809L
#include "interp.h"
#include "jsonata.h"
#include "sfc.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- small helpers */

char *ip_xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  return s;
}

const char *ip_get_str(json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

bool ip_is(const char *a, const char *b) { return a && b && !strcmp(a, b); }

bool ip_ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !memcmp(s + n - m, suffix, m);
}

/* A JSON value as text for causes: strings bare, everything else as AWS prints it. */
char *ip_value_text(const json_t *v) {
  if (json_is_string(v)) return xstrdup(json_string_value(v));
  return rt_json_text(v);
}

json_t *ip_json_text(const json_t *v) {
  char *t = rt_json_text(v);
  json_t *s = json_string(t);
  free(t);
  return s ? s : json_string("null");
}

void ip_set_error(struct rt_error *e, const char *error, const char *cause) {
  rt_error_free(e);
  e->error = error ? xstrdup(error) : NULL;
  e->cause = cause ? xstrdup(cause) : NULL;
}

/* ---------------------------------------------------------------- time */

/* "2024-01-01T00:00:00.000Z": how AWS writes the context object's times. */
char *ip_iso_time(int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  int64_t rest = ms - days * 86400000;
  int64_t y;
  int m, d;
  rt_civil_from_days(days, &y, &m, &d);
  return ip_xasprintf("%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
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
bool ip_parse_time(const char *s, int64_t *ms, int *ns) {
  if (strlen(s) < 20) return false;
  int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
  int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 ||
      sec > 59 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
    return false;
  static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > month_days[mo - 1] || (mo == 2 && d == 29 && !leap)) return false;
  const char *p = s + 19;
  int64_t frac_ns = 0;
  if (*p == '.') {
    int n = 0;
    p++;
    while (p[n] >= '0' && p[n] <= '9')
      n++;
    if (n < 1 || n > 9) return false;
    for (int i = 0; i < 9; i++)
      frac_ns = frac_ns * 10 + (i < n ? p[i] - '0' : 0);
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
  int64_t secs =
      rt_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - (int64_t)offset_min * 60;
  *ms = secs * 1000 + frac_ns / 1000000;
  if (ns) *ns = (int)(frac_ns % 1000000);
  return true;
}

bool rt_parse_timestamp(const char *s, int64_t *ms) { return ip_parse_time(s, ms, NULL); }

/* ---------------------------------------------------------------- history */

/* Ends the run: the quota or the timeout. The event AWS logs last is logged here. */
static void stop_run(struct exec *x, long *prev, enum rt_status status, const char *error,
                     const char *cause);

static long add_event(struct exec *x, long *prev, const char *type, const char *key,
                      json_t *details) {
  long id = ++x->events;
  /* every event's time, for ip_order_events, whether the history is kept or not */
  if ((size_t)id > x->times_cap) {
    x->times_cap = x->times_cap ? 2 * x->times_cap : 256;
    x->times = xrealloc(x->times, x->times_cap * sizeof *x->times);
  }
  x->times[id - 1] = x->now;
  if (x->history) {
    json_t *e = json_object();
    char *ts = ip_iso_time(x->now);
    json_object_set_new(e, "timestamp", json_string(ts));
    free(ts);
    json_object_set_new(e, "type", json_string(type));
    json_object_set_new(e, "id", json_integer(id));
    json_object_set_new(e, "previousEventId", json_integer(prev ? *prev : 0));
    if (key && details)
      json_object_set_new(e, key, details);
    else
      json_decref(details);
    json_array_append_new(x->history, e);
  } else {
    json_decref(details);
  }
  if (prev) *prev = id;
  return id;
}

/* Logs one event (DETAILS stolen, may be NULL). When the next id would be the quota's
   last and the event is not ExecutionSucceeded, AWS logs ExecutionFailed there. */
long ip_event(struct exec *x, long *prev, const char *type, const char *key, json_t *details) {
  if (x->stopped) {
    json_decref(details);
    return x->events;
  }
  if (x->events + 1 >= x->max_events && !ip_is(type, "ExecutionSucceeded")) {
    json_decref(details);
    char *cause = ip_xasprintf("The execution reached the maximum number of history events (%ld).",
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
  ip_set_error(&x->stop, error, cause);
}

struct timed_event {
  int64_t ms;
  long id;
};

static int by_time(const void *a, const void *b) {
  const struct timed_event *x = a, *y = b;
  if (x->ms != y->ms) return (x->ms > y->ms) - (x->ms < y->ms);
  return (x->id > y->id) - (x->id < y->id);
}

/* "(entered at the event id #K)" in CAUSE, with K renumbered. */
static void renumber_cause(char **cause, long first, long count, const long *renumbered) {
  static const char mark[] = "(entered at the event id #";
  char *p = *cause ? strstr(*cause, mark) : NULL;
  if (!p) return;
  char *digits = p + strlen(mark), *end;
  long k = strtol(digits, &end, 10);
  if (end == digits || *end != ')' || k < first || k >= first + count) return;
  char *fixed = ip_xasprintf("%.*s%ld%s", (int)(digits - *cause), *cause, renumbered[k - first], end);
  free(*cause);
  *cause = fixed;
}

/* Branches and iterations that overlap in time ran one after another here, so their
   events were logged one branch after another; AWS logs events as they happen. Sorts
   the events from id FIRST on by time (a branch's own order kept) and renumbers them:
   the history's ids and previousEventIds, and the event id in ERR's cause. The same
   with or without the history kept. Not once the run has stopped: its last event must
   stay last. */
void ip_order_events(struct exec *x, long first, struct rt_error *err) {
  long count = x->events - first + 1;
  if (x->stopped || first < 1 || count < 2) return;
  struct timed_event *ev = xmalloc((size_t)count * sizeof *ev);
  for (long i = 0; i < count; i++) ev[i] = (struct timed_event){x->times[first - 1 + i], first + i};
  qsort(ev, (size_t)count, sizeof *ev, by_time);
  long *renumbered = xmalloc((size_t)count * sizeof *renumbered);
  for (long pos = 0; pos < count; pos++) {
    renumbered[ev[pos].id - first] = first + pos;
    x->times[first - 1 + pos] = ev[pos].ms;
  }
  if (x->history) {
    json_t **moved = xmalloc((size_t)count * sizeof *moved);
    for (long pos = 0; pos < count; pos++)
      moved[pos] = json_incref(json_array_get(x->history, (size_t)(ev[pos].id - 1)));
    for (long pos = 0; pos < count; pos++) {
      json_t *e = moved[pos];
      json_int_t prev = json_integer_value(json_object_get(e, "previousEventId"));
      json_object_set_new(e, "id", json_integer(first + pos));
      if (prev >= first && prev < first + count)
        json_object_set_new(e, "previousEventId", json_integer(renumbered[prev - first]));
      json_array_set_new(x->history, (size_t)(first - 1 + pos), e);
    }
    free(moved);
  }
  if (err) renumber_cause(&err->cause, first, count, renumbered);
  free(renumbered);
  free(ev);
}

/* Moves the clock; past the execution's deadline the run times out, past the horizon
   (a sibling branch failed then) the branch is aborted. */
bool ip_advance(struct exec *x, long *prev, int64_t ms) {
  if (ms < 0) ms = 0;
  if (x->horizon < x->deadline && x->horizon - x->now < ms) {
    x->now = x->horizon;
    x->aborted = true;
    return false;
  }
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
  json_object_set_new(d, io_key, ip_json_text(value));
  char *details = ip_xasprintf("%sDetails", io_key);
  json_object_set_new(d, details, json_pack("{s:b}", "truncated", 0));
  free(details);
  return d;
}

/* ---------------------------------------------------------------- errors of a state */

/* A States.Runtime error of S with AWS's prefix (TestState's causes have none). */
void ip_state_fail(struct visit *s, struct rt_error *err, const char *error, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  rt_error_free(err);
  err->error = xstrdup(error);
  if (s->x->test_state)
    err->cause = msg;
  else {
    err->cause =
        ip_xasprintf("An error occurred while executing the state '%s' (entered at the event "
                     "id #%ld). %s",
                     s->name, s->entered_id, msg);
    free(msg);
  }
}

/* An error from eval.c (a template, an intrinsic): States.Runtime gets the prefix. */
void ip_state_wrap(struct visit *s, struct rt_error *err) {
  if (!ip_is(err->error, "States.Runtime")) return;
  char *cause = err->cause ? err->cause : xstrdup("");
  err->cause = NULL;
  ip_state_fail(s, err, "States.Runtime", "%s", cause);
  free(cause);
}

/* The bytes of a string as rt_json_text quotes it (eval.c's add_json_string). */
static size_t quoted_size(const char *s, size_t len) {
  size_t n = 2;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    n += c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
             ? 2
         : c < 0x20 ? 6
                    : 1;
  }
  return n;
}

static size_t json_size(const json_t *v, size_t limit, size_t n) {
  if (n > limit) return n;
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    const char *key;
    json_t *value;
    size_t count = json_object_size(v);
    n += count ? 2 * count + 1 : 2; /* braces, colons and commas */
    json_object_foreach((json_t *)v, key, value) {
      n = json_size(value, limit, n + quoted_size(key, strlen(key)));
      if (n > limit) break;
    }
    return n;
  }
  case JSON_ARRAY: {
    size_t i, count = json_array_size(v);
    json_t *value;
    n += count ? count + 1 : 2; /* brackets and commas */
    json_array_foreach(v, i, value) if ((n = json_size(value, limit, n)) > limit) break;
    return n;
  }
  case JSON_STRING: return n + quoted_size(json_string_value(v), json_string_length(v));
  case JSON_INTEGER: return n + (size_t)snprintf(NULL, 0, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
  case JSON_TRUE: return n + 4;
  case JSON_FALSE: return n + 5;
  case JSON_NULL: return n + 4;
  case JSON_REAL: break;
  }
  /* Java's double text is eval.c's to know */
  char *t = rt_json_text(v);
  n += strlen(t);
  free(t);
  return n;
}

/* The length of rt_json_text(V), counted without making the text; once past LIMIT the
   count stops, and some size above LIMIT is returned. */
size_t ip_json_size(const json_t *v, size_t limit) {
  return v ? json_size(v, limit, 0) : 4;
}

bool ip_payload_too_big(const json_t *v) { return ip_json_size(v, PAYLOAD_LIMIT) > PAYLOAD_LIMIT; }

void ip_data_limit(struct visit *s, struct rt_error *err, const char *who) {
  rt_fail(err, "States.DataLimitExceeded",
          "The state/task '%s' returned a result with a size exceeding the maximum number of "
          "bytes service limit.",
          who ? who : s->name);
}

/* ---------------------------------------------------------------- the context object */

/* The execution's part of $$, built on first use when it is lazy (borrowed). */
json_t *ip_base(struct exec *x) {
  if (!x->base && x->make_base) x->base = x->make_base(x, x->base_arg);
  return x->base;
}

/* $$ for the state S: the execution's, with State (and Map.Item in an ItemSelector). */
json_t *ip_context_of(struct visit *s) {
  struct exec *x = s->x;
  json_t *base = ip_base(x);
  json_t *c = json_is_object(base) ? json_copy(base) : json_object();
  if (!x->fixed_context) {
    json_t *st = json_object();
    char *t = ip_iso_time(s->entered_ms);
    json_object_set_new(st, "Name", json_string(s->name));
    json_object_set_new(st, "EnteredTime", json_string(t));
    free(t);
    /* AWS gives RetryCount only to the states that can retry */
    if (ip_is(s->type, "Task") || ip_is(s->type, "Parallel") || ip_is(s->type, "Map"))
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

/* Whether V (a state's field) has a string naming $$ anywhere: only then can a path,
   an intrinsic or a template of the state read the context object. */
static bool names_context(json_t *v) {
  if (json_is_string(v)) return strstr(json_string_value(v), "$$") != NULL;
  if (json_is_array(v)) {
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) if (names_context(e)) return true;
    return false;
  }
  const char *k;
  json_t *e;
  json_object_foreach(v, k, e) if (names_context(e)) return true;
  return false;
}

/* $$ for what the state's own paths, intrinsics and templates read: building it (a
   copy of the execution's, the State member, a timestamp's text) is most of a simple
   state's time, so a state whose fields never name $$ gets an empty object instead.
   The states of a Parallel's branches or a Map's processor are not its own fields:
   their own visits look at them. Task calls get the whole context (ip_context_of). */
json_t *ip_context_for_paths(struct visit *s) {
  if (!s->reads_context) {
    bool reads = false;
    const char *k;
    json_t *v;
    json_object_foreach(s->def, k, v) {
      if (ip_is(k, "Branches") || ip_is(k, "Iterator") || ip_is(k, "ItemProcessor")) continue;
      if ((reads = names_context(v))) break;
    }
    s->reads_context = reads ? 2 : 1;
  }
  return s->reads_context == 2 ? ip_context_of(s) : json_object();
}

void ip_scope_of(struct visit *s, struct rt_scope *sc, json_t *input, json_t *context) {
  sc->input = input;
  sc->context = context;
  sc->vars = s->vars;
  sc->random = &s->x->random;
}

bool ip_field_or_path(struct visit *s, json_t *obj, const char *field, json_t *input, json_t **v,
                      const char **path, struct rt_error *err) {
  *v = NULL;
  *path = NULL;
  json_t *lit = json_object_get(obj, field);
  if (lit && s->jsonata && ip_is_expression(lit)) {
    json_t *states = ip_states_var(s, input, NULL, NULL);
    bool ok = ip_jsonata(s, field, lit, states, v, err);
    json_decref(states);
    return ok;
  }
  if (lit) {
    *v = json_incref(lit);
    return true;
  }
  char path_field[64];
  snprintf(path_field, sizeof path_field, "%sPath", field);
  const char *p = ip_get_str(obj, path_field);
  if (!p) return true;
  json_t *ctx = ip_context_for_paths(s);
  struct rt_scope sc;
  ip_scope_of(s, &sc, input, ctx);
  char *why = NULL;
  bool ok = rt_path_get(p, &sc, v, &why);
  json_decref(ctx);
  if (!ok) {
    ip_state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", p, why ? why : "");
    free(why);
    return false;
  }
  *path = p;
  return true;
}

/* ---------------------------------------------------------------- input and output */

/* InputPath or OutputPath (FIELD) over DOC: absent keeps DOC, null gives {}. */
bool ip_apply_path(struct visit *s, const char *field, json_t *doc, json_t **out,
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
    ip_state_fail(s, err, "States.Runtime", "The field '%s' must be a string or null.", field);
    return false;
  }
  json_t *ctx = ip_context_for_paths(s);
  struct rt_scope sc;
  ip_scope_of(s, &sc, doc, ctx);
  char *why = NULL;
  bool ok = rt_path_get(json_string_value(p), &sc, out, &why);
  json_decref(ctx);
  if (!ok) {
    ip_state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", json_string_value(p),
                  why ? why : "");
    free(why);
  }
  return ok;
}

/* A payload template (Parameters, ResultSelector, ItemSelector, Assign) over INPUT. */
bool ip_apply_template(struct visit *s, json_t *tmpl, json_t *input, json_t **out,
                       struct rt_error *err) {
  json_t *ctx = ip_context_for_paths(s);
  struct rt_scope sc;
  ip_scope_of(s, &sc, input, ctx);
  bool ok = rt_template(tmpl, &sc, out, err);
  json_decref(ctx);
  if (!ok) ip_state_wrap(s, err);
  return ok;
}

/* ResultPath: RESULT (stolen) into a copy of RAW; absent is "$", null keeps RAW. */
bool ip_apply_result_path(struct visit *s, json_t *rp, json_t *raw, json_t *result, json_t **out,
                          struct rt_error *err) {
  if (json_is_null(rp)) {
    json_decref(result);
    *out = json_incref(raw);
    return true;
  }
  const char *path = rp ? json_string_value(rp) : "$";
  if (!path) {
    json_decref(result);
    ip_state_fail(s, err, "States.Runtime", "The field 'ResultPath' must be a string or null.");
    return false;
  }
  json_t *doc = json_deep_copy(raw);
  char *why = NULL;
  if (!rt_path_set(&doc, path, result, &why)) {
    /* AWS's error list names this one: "Step Functions failed to apply a state's
       ResultPath field to the input the state received" (catchable, unlike
       States.Runtime) */
    json_decref(doc);
    ip_state_fail(s, err, "States.ResultPathMatchFailure", "%s", why ? why : "");
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
bool ip_apply_assign(struct visit *s, json_t *assign, json_t *input, json_t **assigned,
                     struct rt_error *err) {
  if (!assign) return true;
  json_t *values;
  if (!ip_apply_template(s, assign, input, &values, err)) return false;
  return ip_commit_assign(s, values, assigned, err);
}

void ip_inspect(struct visit *s, const char *key, json_t *value) {
  /* a JSONata state has no InputPath, Parameters, ResultSelector or ResultPath steps to
     show: only afterArguments of the after* */
  if (s->jsonata && !strncmp(key, "after", 5) && strcmp(key, "afterArguments")) return;
  if (s->ins && value) json_object_set_new(s->ins->data, key, ip_json_text(value));
}

/* The result side of Task, Parallel and Map: Assign (over the raw result), then
   ResultSelector, ResultPath into RAW, OutputPath. RESULT is stolen. */
bool ip_finish_result(struct visit *s, json_t *raw, json_t *result, json_t **out, json_t **assigned,
                      struct rt_error *err) {
  if (ip_is(s->type, "Task")) ip_inspect(s, "result", result);
  if (s->jsonata) {
    /* Assign and Output over $states.result; the output is the result without Output */
    json_t *states = ip_states_var(s, raw, result, NULL);
    bool ok = ip_jsonata_finish(s, s->def, "", states, result, out, assigned, err);
    json_decref(states);
    json_decref(result);
    return ok;
  }
  if (!ip_apply_assign(s, json_object_get(s->def, "Assign"), result, assigned, err)) {
    json_decref(result);
    return false;
  }
  json_t *rs = json_object_get(s->def, "ResultSelector");
  if (rs) {
    json_t *sel;
    bool ok = ip_apply_template(s, rs, result, &sel, err);
    json_decref(result);
    if (!ok) return false;
    result = sel;
  }
  ip_inspect(s, "afterResultSelector", result);
  json_t *merged;
  if (!ip_apply_result_path(s, json_object_get(s->def, "ResultPath"), raw, result, &merged, err))
    return false;
  ip_inspect(s, "afterResultPath", merged);
  bool ok = ip_apply_path(s, "OutputPath", merged, out, err);
  json_decref(merged);
  return ok;
}

/* ---------------------------------------------------------------- JSONata */

json_t *ip_states_var(struct visit *s, json_t *input, json_t *result, json_t *error_output) {
  json_t *st = json_object();
  json_object_set(st, "input", input ? input : json_null());
  json_object_set_new(st, "context", ip_context_of(s));
  if (result) json_object_set(st, "result", result);
  if (error_output) json_object_set(st, "errorOutput", error_output);
  return st;
}

/* AWS takes a string as an expression only when it is "{%" ... "%}" exactly: leading
   or trailing white space makes it a literal (exec-279). */
static bool expression_text(const json_t *v, const char **text, size_t *len) {
  if (!json_is_string(v)) return false;
  const char *t = json_string_value(v);
  size_t n = json_string_length(v);
  if (n < 4 || memcmp(t, "{%", 2) || memcmp(t + n - 2, "%}", 2)) return false;
  t += 2;
  n -= 4;
  while (n && strchr(" \t\r\n", *t)) t++, n--;
  while (n && strchr(" \t\r\n", t[n - 1])) n--;
  *text = t;
  *len = n;
  return true;
}

bool ip_is_expression(const json_t *v) {
  const char *t;
  size_t n;
  return expression_text(v, &t, &n);
}

void ip_query_error(struct visit *s, struct rt_error *err, const char *location, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  ip_state_fail(s, err, "States.QueryEvaluationError", "%s", msg);
  free(msg);
  if (s->x->history) {
    json_t *d = json_pack("{s:s,s:s}", "error", err->error, "cause", err->cause);
    if (location) json_object_set_new(d, "location", json_string(location));
    json_object_set_new(d, "state", json_string(s->name));
    ip_event(s->x, s->prev, "EvaluationFailed", "evaluationFailedEventDetails", d);
  } else {
    ip_event(s->x, s->prev, "EvaluationFailed", NULL, NULL);
  }
}

/* The variables S can read, inner frames over outer ones, and $states. */
static json_t *bindings_of(struct visit *s, json_t *states) {
  const struct rt_vars *frames[MAX_NESTING * 2 + 2];
  int n = 0;
  for (const struct rt_vars *v = s->vars; v && n < (int)(sizeof frames / sizeof *frames); v = v->outer)
    frames[n++] = v;
  json_t *b = json_object();
  while (n-- > 0) json_object_update(b, frames[n]->values);
  json_object_set(b, "states", states);
  return b;
}

static bool eval_expression(struct visit *s, const char *field, const char *text, size_t len,
                            json_t *states, json_t **out, struct rt_error *err) {
  *out = NULL;
  struct jn_error je = {0};
  struct jn_expr *e = jsonata_compile(text, len, &je);
  if (!e) {
    ip_query_error(s, err, field,
                   "The JSONata expression '%.*s' specified for the field '%s' is not valid: %s: %s",
                   (int)len, text, field, je.code, je.message ? je.message : "");
    jn_error_free(&je);
    return false;
  }
  json_t *b = bindings_of(s, states);
  bool function_result = false;
  struct jn_options o = {.bindings = b, .now_ms = s->x->now, .random = &s->x->random,
                         .function_result = &function_result};
  json_t *r = NULL;
  bool ok = jsonata_evaluate(e, NULL, &o, &r, &je);
  jsonata_free(e);
  json_decref(b);
  if (!ok) {
    ip_query_error(s, err, field,
                   "The JSONata expression '%.*s' specified for the field '%s' threw an error "
                   "during evaluation: %s: %s",
                   (int)len, text, field, je.code, je.message ? je.message : "");
    jn_error_free(&je);
    json_decref(r);
    return false;
  }
  if (!r) {
    ip_query_error(s, err, field,
                   function_result ? "The JSONata expression '%.*s' specified for the field '%s' returned an "
                                     "unsupported result type."
                                   : "The JSONata expression '%.*s' specified for the field '%s' returned nothing "
                                     "(undefined).",
                   (int)len, text, field);
    return false;
  }
  *out = r;
  return true;
}

static bool walk_jsonata(struct visit *s, const char *field, json_t *v, json_t *states,
                         json_t **out, struct rt_error *err, int depth) {
  const char *text;
  size_t len;
  if (expression_text(v, &text, &len)) return eval_expression(s, field, text, len, states, out, err);
  if (depth > 200 || (!json_is_object(v) && !json_is_array(v))) {
    *out = json_incref(v);
    return true;
  }
  *out = NULL;
  json_t *r = json_is_object(v) ? json_object() : json_array();
  bool ok = true;
  if (json_is_object(v)) {
    const char *k;
    json_t *m;
    json_object_foreach(v, k, m) {
      char *f = ip_xasprintf("%s/%s", field, k);
      json_t *e;
      ok = walk_jsonata(s, f, m, states, &e, err, depth + 1);
      free(f);
      if (!ok) break;
      json_object_set_new(r, k, e);
    }
  } else {
    size_t i;
    json_t *m;
    json_array_foreach(v, i, m) {
      char *f = ip_xasprintf("%s[%zu]", field, i);
      json_t *e;
      ok = walk_jsonata(s, f, m, states, &e, err, depth + 1);
      free(f);
      if (!ok) break;
      json_array_append_new(r, e);
    }
  }
  if (!ok) {
    json_decref(r);
    return false;
  }
  *out = r;
  return true;
}

bool ip_jsonata(struct visit *s, const char *field, json_t *v, json_t *states, json_t **out,
                struct rt_error *err) {
  return walk_jsonata(s, field, v, states, out, err, 0);
}

bool ip_commit_assign(struct visit *s, json_t *values, json_t **assigned, struct rt_error *err) {
  if (!json_is_object(values)) {
    json_decref(values);
    ip_state_fail(s, err, "States.Runtime", "The field 'Assign' must be an object.");
    return false;
  }
  if (ip_payload_too_big(values)) {
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
    json_object_set_new(*assigned, k, ip_json_text(v));
  }
  json_decref(values);
  return true;
}

bool ip_jsonata_finish(struct visit *s, json_t *holder, const char *prefix, json_t *states,
                       json_t *dflt, json_t **out, json_t **assigned, struct rt_error *err) {
  *out = NULL;
  json_t *assign = json_object_get(holder, "Assign"), *values = NULL;
  if (assign) {
    char *f = ip_xasprintf("%sAssign", prefix);
    bool ok = ip_jsonata(s, f, assign, states, &values, err);
    free(f);
    if (!ok) return false;
  }
  json_t *output = json_object_get(holder, "Output"), *o;
  if (output) {
    char *f = ip_xasprintf("%sOutput", prefix);
    bool ok = ip_jsonata(s, f, output, states, &o, err);
    free(f);
    if (!ok) {
      json_decref(values);
      return false;
    }
  } else {
    o = json_incref(dflt ? dflt : json_null());
  }
  if (values && !ip_commit_assign(s, values, assigned, err)) {
    json_decref(o);
    return false;
  }
  *out = o;
  return true;
}

/* ---------------------------------------------------------------- error matching */

/* States.Runtime ends the run: no retrier or catcher takes it, not even one that
   names it. (States.DataLimitExceeded is caught, by name and by States.ALL, as the
   recordings show.) */
bool ip_uncatchable(const char *error) { return ip_is(error, "States.Runtime"); }

static bool error_matches(const struct visit *s, json_t *equals, const char *error) {
  const char *e = error ? error : "";
  if (ip_uncatchable(e)) return false;
  size_t i;
  json_t *name;
  json_array_foreach(equals, i, name) {
    const char *n = json_string_value(name);
    if (!n) continue;
    if (ip_is(n, e) || ip_is(n, "States.ALL")) return true;
    /* As a matcher, States.TaskFailed is every error but a timeout (AWS's docs). */
    if (ip_is(n, "States.TaskFailed") && !ip_is(e, "States.Timeout")) return true;
    /* A missed heartbeat fails as States.Timeout, and States.HeartbeatTimeout takes it. */
    if (ip_is(n, "States.HeartbeatTimeout") && ip_is(e, "States.Timeout") && s->heartbeat_expired)
      return true;
  }
  return false;
}

void ip_step(struct exec *x, enum rt_step_kind kind, const char *state, int index,
             const char *next) {
  if (!x->o->step) return;
  struct rt_step st = {kind, state, index, next};
  x->o->step(x->o->step_ctx, &st);
}

/* The delay before the next retry of retrier R, whose ATTEMPT-th retry this ip_is
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
  if (ip_is(ip_get_str(r, "JitterStrategy"), "FULL")) d *= rt_random_unit(&x->random);
  if (!(d < 1e12)) d = 1e12; /* beyond any deadline: the run times out */
  return (int64_t)llround(d * 1000);
}

/* ---------------------------------------------------------------- states */

static const char *const state_types[] = {"Pass",    "Task", "Choice",   "Wait",
                                          "Succeed", "Fail", "Parallel", "Map"};

static bool retriable(const char *type) {
  return ip_is(type, "Task") || ip_is(type, "Parallel") || ip_is(type, "Map");
}

/* The state's work, once (a retry calls it again). */
static enum outcome work(struct visit *s, json_t *input, json_t **out, const char **next,
                         json_t **assigned, struct rt_error *err) {
  const char *t = s->type;
  if (ip_is(t, "Pass")) return ip_do_pass(s, input, out, assigned, err);
  if (ip_is(t, "Task")) return ip_do_task(s, input, out, assigned, err);
  if (ip_is(t, "Choice")) return ip_do_choice(s, input, out, next, assigned, err);
  if (ip_is(t, "Wait")) return ip_do_wait(s, input, out, assigned, err);
  if (ip_is(t, "Succeed")) return ip_do_succeed(s, input, out, err);
  if (ip_is(t, "Fail")) return ip_do_fail(s, input, err);
  if (ip_is(t, "Parallel")) return ip_do_parallel(s, input, out, assigned, err);
  return ip_do_map(s, input, out, assigned, err);
}

/* Retry: the first retrier that matches decides; an exhausted one sends the error on
   to Catch. true when the state runs again. */
static bool retry(struct visit *s, int *attempts, const struct rt_error *err) {
  json_t *retriers = json_object_get(s->def, "Retry");
  size_t i;
  json_t *r;
  json_array_foreach(retriers, i, r) {
    if (!error_matches(s, json_object_get(r, "ErrorEquals"), err->error)) continue;
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
    ip_step(s->x, RT_STEP_RETRY, s->name, (int)i, NULL);
    if (s->ins) {
      s->ins->retry_index = (int)i;
      s->ins->retry_delay_s = delay / 1000;
      s->ins->retriable = true;
      return false;
    }
    s->retry_count++;
    ip_advance(s->x, s->prev, delay); /* past the deadline it stops the run: x->stopped */
    return true;
  }
  return false;
}

/* Catch: the first catcher that matches; the Error Output goes through its ResultPath
   into the state's raw input, and only its Assign runs. */
static bool catch_error(struct visit *s, json_t *input, const struct rt_error *caught, json_t **out,
                        const char **next, json_t **assigned, struct rt_error *err) {
  json_t *catchers = json_object_get(s->def, "Catch");
  size_t i;
  json_t *c;
  json_array_foreach(catchers, i, c) {
    if (!error_matches(s, json_object_get(c, "ErrorEquals"), caught->error)) continue;
    json_t *output = json_object();
    /* an error without a name or cause gives nulls (a task that failed bare); a
       timeout's Cause is empty */
    const char *cause = caught->cause;
    if (!cause && ip_is(caught->error, "States.Timeout")) cause = "";
    json_object_set_new(output, "Error", caught->error ? json_string(caught->error) : json_null());
    json_object_set_new(output, "Cause", cause ? json_string(cause) : json_null());
    ip_step(s->x, RT_STEP_CATCH, s->name, (int)i, ip_get_str(c, "Next"));
    if (s->ins) s->ins->catch_index = (int)i;
    if (s->jsonata) {
      /* the catcher's Assign and Output over $states.errorOutput; no ResultPath */
      json_t *states = ip_states_var(s, input, NULL, output);
      char prefix[32];
      snprintf(prefix, sizeof prefix, "Catch[%zu]/", i);
      bool ok = ip_jsonata_finish(s, c, prefix, states, output, out, assigned, err);
      json_decref(states);
      json_decref(output);
      if (!ok) return false;
      *next = ip_get_str(c, "Next");
      return true;
    }
    json_t *catch_assign = json_object_get(c, "Assign");
    if (!ip_apply_assign(s, catch_assign, output, assigned, err)) {
      json_decref(output);
      return false;
    }
    if (!ip_apply_result_path(s, json_object_get(c, "ResultPath"), input, output, out, err))
      return false;
    *next = ip_get_str(c, "Next");
    return true;
  }
  return false;
}

static bool jsonata_state(json_t *def, bool machine_jsonata) {
  json_t *ql = json_object_get(def, "QueryLanguage");
  return ql ? !ip_is(json_string_value(ql), "JSONPath") : machine_jsonata;
}

/* Runs the state NAME on INPUT (borrowed): *out its output, *next the state after it
   (NULL at the end of the block). */
enum outcome ip_run_state(struct exec *x, const char *name, json_t *def, json_t *input,
                          struct rt_vars *vars, long *prev, bool machine_jsonata, json_t **out,
                          const char **next, struct rt_error *err, struct inspection *ins) {
  struct visit s = {.x = x, .name = name, .def = def, .type = ip_get_str(def, "Type"),
                    .entered_ms = x->now, .vars = vars, .prev = prev, .ins = ins};
  *out = NULL;
  *next = NULL;
  bool known = false;
  for (size_t i = 0; i < sizeof state_types / sizeof *state_types; i++)
    known = known || ip_is(s.type, state_types[i]);
  if (!known) {
    rt_fail(err, "States.Runtime", "The state '%s' has no valid Type.", name);
    return RUN_ERROR;
  }
  char type_event[48];
  snprintf(type_event, sizeof type_event, "%sStateEntered", s.type);
  s.entered_id = ip_event(x, prev, type_event, "stateEnteredEventDetails",
                          details_io(x, name, "input", input));
  if (x->stopped) return RUN_STOP;
  ip_step(x, RT_STEP_ENTER, name, 0, NULL);
  if (ins) json_object_set_new(ins->data, "input", ip_json_text(input));
  s.jsonata = jsonata_state(def, machine_jsonata);
  size_t nretriers = json_array_size(json_object_get(def, "Retry"));
  int *attempts = calloc(nretriers ? nretriers : 1, sizeof *attempts);
  if (!attempts) die("out of memory");
  enum outcome o;
  json_t *assigned = NULL;
  for (;;) {
    json_decref(assigned);
    assigned = NULL;
    s.work_failed = s.heartbeat_expired = false;
    o = work(&s, input, out, next, &assigned, err);
    if (o != RUN_ERROR || !retriable(s.type) || ip_uncatchable(err->error)) break;
    if (retry(&s, attempts, err)) {
      if (x->stopped || x->aborted) {
        o = RUN_STOP;
        break;
      }
      continue;
    }
    if (x->stopped || x->aborted) {
      o = RUN_STOP;
      break;
    }
    if (ins && ins->retriable) break;
    if (s.work_failed) {
      /* MapStateFailed, ParallelStateFailed: once, when no retry follows */
      snprintf(type_event, sizeof type_event, "%sStateFailed", s.type);
      ip_event(x, prev, type_event, NULL, NULL);
    }
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
  if (o == RUN_STOP && x->aborted && !x->stopped) {
    /* a sibling branch failed while this state ran */
    snprintf(type_event, sizeof type_event, "%sStateAborted", s.type);
    ip_event(x, prev, type_event, NULL, NULL);
  }
  if (o == RUN_OK && !ip_is(s.type, "Choice")) {
    *next = ip_get_str(def, "Next");
  }
exited:
  free(attempts);
  if (o == RUN_OK && *out && ip_payload_too_big(*out)) {
    json_decref(*out);
    *out = NULL;
    json_decref(assigned);
    ip_data_limit(&s, err, NULL);
    return RUN_ERROR;
  }
  if (o == RUN_OK) {
    if (!ip_is(s.type, "Fail")) {
      snprintf(type_event, sizeof type_event, "%sStateExited", s.type);
      json_t *d = details_io(x, name, "output", *out);
      if (assigned && json_object_size(assigned)) {
        json_object_set_new(d, "assignedVariables", assigned);
        json_object_set_new(d, "assignedVariablesDetails", json_pack("{s:b}", "truncated", 0));
        assigned = NULL;
      }
      ip_event(x, prev, type_event, "stateExitedEventDetails", d);
    }
    if (*next) ip_step(x, RT_STEP_NEXT, name, 0, *next);
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
enum outcome ip_run_block(struct exec *x, enum block_kind kind, json_t *block, json_t *input,
                          struct rt_vars *vars, long *prev, json_t **out, struct rt_error *err) {
  *out = NULL;
  if (x->depth >= MAX_NESTING) {
    json_decref(input);
    rt_fail(err, "States.Runtime",
            "The definition nests Parallel and Map states more than %d deep.", MAX_NESTING);
    return RUN_ERROR;
  }
  x->depth++;
  json_t *states = json_object_get(block, "States");
  const char *name = ip_get_str(block, "StartAt");
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
    o = ip_run_state(x, name, def, cur, vars, prev, x->machine_jsonata, &next_out, &next, err,
                     NULL);
    json_decref(cur);
    cur = NULL;
    /* A failed Task ends its Parallel, which aborts the branch with the Task in it
       (mock-022: TaskFailed, TaskStateAborted, ParallelStateFailed). */
    if (o == RUN_ERROR && kind == BLOCK_BRANCH && ip_is(ip_get_str(def, "Type"), "Task") &&
        !ip_uncatchable(err->error))
      ip_event(x, prev, "TaskStateAborted", NULL, NULL);
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

void ip_exec_init(struct exec *x, json_t *definition, json_t *input, const struct rt_options *o) {
  memset(x, 0, sizeof *x);
  x->o = o;
  rt_random_seed(&x->random, o->seed);
  x->start = x->now = o->start_ms ? o->start_ms : DEFAULT_START_MS;
  /* years 1 to 9999, the range of the timestamps AWS writes */
  if (x->start < INT64_C(-62135596800000) || x->start > INT64_C(253402300799999))
    x->start = x->now = DEFAULT_START_MS;
  x->deadline = INT64_C(1) << 62; /* none: far beyond any time the clock can reach */
  x->horizon = x->deadline;
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
  x->machine_jsonata = ip_is(ip_get_str(definition, "QueryLanguage"), "JSONata");
  const char *exec_name = o->execution_name ? o->execution_name : "local";
  x->machine_arn = ip_xasprintf("arn:%s:states:%s:%s:stateMachine:%s", x->partition, x->region,
                                x->account, x->machine_name);
  char *exec_arn = ip_xasprintf("arn:%s:states:%s:%s:execution:%s:%s", x->partition, x->region,
                                x->account, x->machine_name, exec_name);
  char *role = ip_xasprintf("arn:%s:iam::%s:role/service-role/StepFunctions-%s-role", x->partition,
                            x->account, x->machine_name);
  char *start = ip_iso_time(x->start);
  x->base =
      json_pack("{s:{s:s,s:O,s:s,s:s,s:s,s:i},s:{s:s,s:s}}", "Execution", "Id", exec_arn, "Input",
                input, "StartTime", start, "Name", exec_name, "RoleArn", role, "RedriveCount", 0,
                "StateMachine", "Id", x->machine_arn, "Name", x->machine_name);
  free(exec_arn);
  free(role);
  free(start);
}

void ip_exec_free(struct exec *x) {
  json_decref(x->base);
  json_decref(x->calls);
  json_decref(x->history);
  free(x->times);
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
  if (!input)
    input = json_object();
  else
    json_incref(input);
  struct exec x;
  ip_exec_init(&x, definition, input, o);
  long prev = 0;
  json_t *d = details_io(&x, NULL, "input", input);
  if (d)
    json_object_set_new(
        d, "roleArn",
        json_incref(json_object_get(json_object_get(x.base, "Execution"), "RoleArn")));
  ip_event(&x, &prev, "ExecutionStarted", "executionStartedEventDetails", d);
  struct rt_vars top = {json_object(), NULL};
  json_t *out = NULL;
  struct rt_error err = {0};
  enum outcome oc = RUN_ERROR;
  if (ip_payload_too_big(input)) {
    rt_fail(&err, "States.DataLimitExceeded",
            "The execution input has a size exceeding the maximum number of bytes service limit.");
  } else {
    oc = ip_run_block(&x, BLOCK_MACHINE, definition, json_incref(input), &top, &prev, &out, &err);
  }
  if (oc == RUN_OK) {
    ip_event(&x, &prev, "ExecutionSucceeded", "executionSucceededEventDetails",
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
    ip_event(&x, &prev, "ExecutionFailed", "executionFailedEventDetails", fd);
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
  ip_exec_free(&x);
  return true;
}

void rt_result_free(struct rt_result *r) {
  json_decref(r->output);
  rt_error_free(&r->error);
  json_decref(r->history);
  memset(r, 0, sizeof *r);
}
