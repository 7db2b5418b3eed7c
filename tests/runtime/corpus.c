/* corpus.c: the runtime against executions and TestState calls recorded on real AWS.
 *
 *   runtime_corpus [--update-known] [--only ID] [--verbose] CORPUS_DIR KNOWN_FILE
 *
 * CORPUS_DIR is ../shared/corpus/aws-recorded-sfn (README.md there says what each
 * file holds). Three sets, JSONata cases included (RUNTIME_CORPUS_NO_JSONATA=1 in the
 * environment leaves them out):
 *
 *   executions.json                 rt_execute; status, output, error and cause, and
 *                                   each state's input, output and assigned variables,
 *                                   each task event's type and resource (in any order
 *                                   with Parallel or Map: their events interleave)
 *   executions-mocked-services.json the recorded task results become a MockConfigFile
 *                                   (in order, per state) answered by rt_mocks_task;
 *                                   the final result, and every task's parameters
 *                                   against the recorded TaskScheduled ones
 *   test-state.json                 rt_test_state; status, output, error, cause,
 *                                   nextState and inspectionData where recorded
 *
 * Values the recording masked (normalized_values: "<uuid:1>", "arn:<partition>:...",
 * "date"; normalized_jsonpaths) match anything in their place. Each case runs in a
 * child process with a time limit, so a crash or a hang is one failure, not the end.
 *
 * KNOWN_FILE lists the cases that cannot pass yet, "ID reason" a line. A failure not
 * listed fails the suite, and so does a listed case that passes (the list stays
 * honest). --update-known rewrites the list from this run, keeping the reasons already
 * written and giving each new failure its difference as the reason.
 *
 * --only ID runs one case; it and --verbose also show what differs in a listed case.
 *
 * Prints a line per unexpected result ("FAIL id: what differs"), a count per set, and
 * last "runtime: N passed, N failed, N skipped" (skipped: the listed known failures).
 */
#define _POSIX_C_SOURCE 200809L
#include "runtime.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CASE_SECONDS 20 /* a case still running then is a hang */

/* The values the tests took from fixtures (opaque_values), made concrete. */
static const struct { const char *prefix, *value; } opaque[] = {
    {"magic:fixture.create_lambda_function()",
     "arn:aws:lambda:us-east-1:111111111111:function:lambda-function-name"},
    {"magic:fixture.s3_create_bucket()", "bucket-name"},
    {"magic:fixture.sns_create_topic()", "arn:aws:sns:us-east-1:111111111111:topic-name"},
    {"magic:fixture.sqs_create_queue()", "https://sqs.us-east-1.amazonaws.com/111111111111/queue-name"},
    {"magic:fixture.create_activity()", "arn:aws:states:us-east-1:111111111111:activity:activity-name"},
    {"magic:localstack.utils.aws.arns.stepfunctions_state_machine_arn()",
     "arn:aws:states:us-east-1:111111111111:stateMachine:state-machine-name"},
    {"magic:localstack.utils.aws.arns.stepfunctions_standard_execution_arn()",
     "arn:aws:states:us-east-1:111111111111:execution:state-machine-name:execution-name"},
    {"magic:fixture.secondary_aws_client.stepfunctions.create_state_machine()",
     "arn:aws:states:us-east-1:222222222222:stateMachine:state-machine-name"},
    {"magic:fixture.create_cross_account_admin_role_and_policy()",
     "arn:aws:iam::222222222222:role/trusted-role"},
    {"magic:fixture.events_to_sqs_queue()", "https://sqs.us-east-1.amazonaws.com/111111111111/queue-name"},
    {"magic:localstack.aws.api.lambda_.LogType.Tail", "Tail"},
    {"magic:localstack.utils.strings.md5()", "md5"},
};

/* ---------------------------------------------------------------- text */

struct text {
  char *data;
  size_t len, cap;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...) {
  va_list ap, copy;
  va_start(ap, fmt);
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (t->len + (size_t)n + 1 > t->cap) {
    t->cap = (t->len + (size_t)n + 1) * 2;
    t->data = realloc(t->data, t->cap);
    if (!t->data) abort();
  }
  vsnprintf(t->data + t->len, (size_t)n + 1, fmt, ap);
  t->len += (size_t)n;
  va_end(ap);
}

/* V as short JSON text for a diff line. */
static char *shortened(const json_t *v) {
  char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : strdup("(nothing)");
  if (s && strlen(s) > 160) strcpy(s + 150, "...");
  return s;
}

/* ---------------------------------------------------------------- matching */

struct masks {
  json_t *values; /* normalized_values: array of strings */
  json_t *keys;   /* the last member of each normalized_jsonpaths path: object */
  bool any_tokens; /* test-state: every <token> is a placeholder */
  bool text_json;  /* a string may stand for the JSON it holds (TestState's fields) */
};

static bool is_token_at(const char *s, size_t *len) {
  if (*s != '<') return false;
  size_t i = 1;
  while (s[i] && s[i] != '>' && s[i] != '<' && s[i] != ' ' && s[i] != '"') i++;
  if (s[i] != '>' || i == 1) return false;
  *len = i + 1;
  return true;
}

/* The length of the placeholder at S, or 0: a <token>, or a value the case lists
   bare ("lambda_function_name" in a function's ARN; short ones such as "date" only
   stand for a whole string, in masked_value). */
static size_t placeholder_at(const struct masks *m, const char *s) {
  size_t n;
  if (is_token_at(s, &n)) {
    if (m->any_tokens) return n;
  } else if (*s == '<') {
    return 0;
  }
  size_t i;
  json_t *v;
  json_array_foreach(m->values, i, v) {
    const char *p = json_string_value(v);
    if (!p) continue;
    size_t k = strlen(p);
    if ((p[0] == '<' || k >= 8) && !strncmp(p, s, k)) return k;
  }
  return 0;
}

/* PATTERN with placeholders (each stands for one or more characters) against S. */
static bool glob(const struct masks *m, const char *pattern, const char *s) {
  for (; *pattern; pattern++, s++) {
    size_t n = placeholder_at(m, pattern);
    if (n) {
      for (const char *t = s + 1; t <= s + strlen(s); t++)
        if (*s && glob(m, pattern + n, t)) return true;
      return false;
    }
    if (*pattern != *s) return false;
  }
  return *s == 0;
}

static bool has_placeholder(const struct masks *m, const char *s) {
  for (; *s; s++)
    if (placeholder_at(m, s)) return true;
  return false;
}

static bool masked_value(const struct masks *m, const char *s) {
  size_t i;
  json_t *v;
  json_array_foreach(m->values, i, v)
    if (json_is_string(v) && !strcmp(json_string_value(v), s) && s[0] != '<') return true;
  /* the snapshot tool's replacements it does not always list */
  static const char *const always[] = {"date", "timestamp", "snf_role_arn"};
  for (size_t k = 0; k < sizeof always / sizeof *always; k++)
    if (!strcmp(s, always[k])) return true;
  return false;
}

static bool match(const struct masks *m, const json_t *want, const json_t *got, struct text *path,
                  struct text *why);

static bool mismatch(struct text *path, struct text *why, const json_t *want, const json_t *got) {
  if (json_is_string(want) && json_is_string(got)) {
    /* two long strings: from a little before where they part */
    const char *w = json_string_value(want), *g = json_string_value(got);
    size_t i = 0;
    while (w[i] && w[i] == g[i]) i++;
    size_t from = i > 40 ? i - 40 : 0;
    add(why, "at %s: strings part at character %zu: expected \"%s%.100s\", got \"%s%.100s\"",
        path->len ? path->data : "$", i, from ? "..." : "", w + from, from ? "..." : "", g + from);
    return false;
  }
  char *a = shortened(want), *b = shortened(got);
  add(why, "at %s: expected %s, got %s", path->len ? path->data : "$", a, b);
  free(a);
  free(b);
  return false;
}

static bool match(const struct masks *m, const json_t *want, const json_t *got, struct text *path,
                  struct text *why) {
  if (json_is_string(want)) {
    const char *w = json_string_value(want);
    if (masked_value(m, w)) return got != NULL;
    if (json_is_string(got) && has_placeholder(m, w)) {
      if (glob(m, w, json_string_value(got))) return true;
      return mismatch(path, why, want, got);
    }
  }
  if (m->text_json && json_is_string(want) && json_is_string(got)) {
    /* two JSON texts of arrays or objects (the recording re-printed them) */
    const char *w = json_string_value(want), *g = json_string_value(got);
    if ((*w == '[' || *w == '{') && (*g == '[' || *g == '{')) {
      json_t *pw = json_loads(w, 0, NULL), *pg = json_loads(g, 0, NULL);
      bool both = pw && pg, ok = both && match(m, pw, pg, path, why);
      json_decref(pw);
      json_decref(pg);
      if (both) return ok;
    }
  }
  if (m->text_json && json_is_string(want) != json_is_string(got) && got) {
    /* TestState's fields are JSON text; the recording parsed objects back, not the rest */
    const json_t *s = json_is_string(want) ? want : got;
    json_t *parsed = json_loads(json_string_value(s), JSON_DECODE_ANY, NULL);
    if (parsed) {
      bool ok = s == want ? match(m, parsed, got, path, why) : match(m, want, parsed, path, why);
      json_decref(parsed);
      return ok;
    }
  }
  if (!got || json_typeof(want) != json_typeof(got)) return mismatch(path, why, want, got);
  size_t mark = path->len;
  if (json_is_object(want)) {
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)want, key, v) {
      json_t *g = json_object_get(got, key);
      add(path, "%s.%s", mark ? "" : "$", key);
      bool ok = json_object_get(m->keys, key) ? g != NULL : match(m, v, g, path, why);
      if (!ok && !why->len) mismatch(path, why, v, g);
      path->len = mark;
      if (path->data) path->data[mark] = 0;
      if (!ok) return false;
    }
    json_object_foreach((json_t *)got, key, v)
      if (!json_object_get(want, key)) {
        add(path, "%s.%s", mark ? "" : "$", key);
        return mismatch(path, why, NULL, v);
      }
    return true;
  }
  if (json_is_array(want)) {
    if (json_array_size(want) != json_array_size(got)) return mismatch(path, why, want, got);
    for (size_t i = 0; i < json_array_size(want); i++) {
      add(path, "%s[%zu]", mark ? "" : "$", i);
      bool ok = match(m, json_array_get(want, i), json_array_get(got, i), path, why);
      path->len = mark;
      path->data[mark] = 0;
      if (!ok) return false;
    }
    return true;
  }
  if (json_is_string(want) && strcmp(json_string_value(want), json_string_value(got)))
    return mismatch(path, why, want, got);
  if (!json_is_string(want) && !json_equal((json_t *)want, (json_t *)got))
    return mismatch(path, why, want, got);
  return true;
}

/* Matches WANT against GOT, adding "WHAT: difference" to WHY when they differ. */
static bool same(const struct masks *m, const char *what, const json_t *want, const json_t *got,
                 struct text *why) {
  struct text path = {0}, d = {0};
  bool ok = match(m, want, got, &path, &d);
  if (!ok) add(why, "%s%s %s", why->len ? "; " : "", what, d.data ? d.data : "differs");
  free(path.data);
  free(d.data);
  return ok;
}

/* A recorded cause (JSON text kept as a string, or parsed back) against ours. */
static bool same_cause(const struct masks *m, const json_t *want, const char *got, struct text *why) {
  if (json_is_null(want) || !want) {
    if (!got || !*got) return true;
    add(why, "%scause: expected none, got \"%.120s\"", why->len ? "; " : "", got);
    return false;
  }
  json_t *g = NULL;
  if (!json_is_string(want) && got) g = json_loads(got, JSON_DECODE_ANY, NULL);
  if (!g) g = got ? json_string(got) : NULL;
  bool ok = same(m, "cause", want, g, why);
  json_decref(g);
  return ok;
}

/* ---------------------------------------------------------------- cases */

static const char *status_names[] = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"};

static bool is_jsonata(const json_t *v) {
  if (json_is_object(v)) {
    json_t *q = json_object_get(v, "QueryLanguage");
    if (json_is_string(q) && !strcmp(json_string_value(q), "JSONata")) return true;
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)v, key, member)
      if (is_jsonata(member)) return true;
  } else if (json_is_array(v)) {
    size_t i;
    json_t *member;
    json_array_foreach(v, i, member)
      if (is_jsonata(member)) return true;
  }
  return false;
}

static bool features_jsonata(const json_t *c) {
  size_t i;
  json_t *f;
  json_array_foreach(json_object_get(c, "features"), i, f)
    if (!strcmp(json_string_value(f), "JSONata")) return true;
  return false;
}

/* V with each opaque magic: string replaced by its concrete value. */
static json_t *concrete(const json_t *v) {
  if (json_is_string(v)) {
    const char *s = json_string_value(v);
    for (size_t k = 0; k < sizeof opaque / sizeof *opaque; k++)
      if (!strncmp(s, opaque[k].prefix, strlen(opaque[k].prefix))) return json_string(opaque[k].value);
    return json_incref((json_t *)v);
  }
  if (json_is_object(v)) {
    json_t *o = json_object();
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)v, key, member) json_object_set_new(o, key, concrete(member));
    return o;
  }
  if (json_is_array(v)) {
    json_t *a = json_array();
    size_t i;
    json_t *member;
    json_array_foreach(v, i, member) json_array_append_new(a, concrete(member));
    return a;
  }
  return json_incref((json_t *)v);
}

static void masks_of(const json_t *c, struct masks *m) {
  m->values = json_object_get(c, "normalized_values");
  m->any_tokens = true; /* the lists miss some (<test-table>): every <token> is one */
  m->keys = json_object();
  size_t i;
  json_t *p;
  json_array_foreach(json_object_get(c, "normalized_jsonpaths"), i, p) {
    const char *s = json_string_value(p), *dot = s ? strrchr(s, '.') : NULL;
    if (dot) json_object_set_new(m->keys, dot + 1, json_true());
  }
}

static void base_options(struct rt_options *o) {
  memset(o, 0, sizeof *o);
  o->seed = 1;
  o->state_machine_name = "StateMachine";
  o->execution_name = "execution";
  o->account = "111111111111";
  o->region = "us-east-1";
  o->partition = "aws";
  o->start_ms = 1704067200000; /* 2024-01-01T00:00:00Z */
}

/* The tasks' calls as the runtime made them, per state, for the parameter check. */
struct recorder {
  struct rt_mocks *mocks;
  json_t *calls; /* state -> array of parameters */
};

static bool record_call(void *ctx, const struct rt_task_call *call, json_t **result,
                        struct rt_error *err) {
  struct recorder *r = ctx;
  json_t *list = json_object_get(r->calls, call->state);
  if (!list) json_object_set_new(r->calls, call->state, list = json_array());
  json_array_append_new(list, call->parameters ? json_deep_copy(call->parameters) : json_null());
  return rt_mocks_task(r->mocks, call, result, err);
}

/* A cause the recording parsed back from JSON text, as text again: AWS writes some
   compact (lambda:invoke) and some with ", " and ": " (a Lambda function's ARN as
   Resource); the form that appears in the case's text WHOLE is the one. */
static char *cause_text(const json_t *cause, const char *whole) {
  char *spaced = json_dumps(cause, JSON_ENCODE_ANY), *compact = json_dumps(cause, JSON_ENCODE_ANY | JSON_COMPACT);
  json_t *as_string = json_string(compact);
  char *quoted = json_dumps(as_string, JSON_ENCODE_ANY);
  json_decref(as_string);
  quoted[strlen(quoted) - 1] = 0;
  bool is_compact = strstr(whole, quoted + 1) != NULL;
  free(quoted);
  free(is_compact ? spaced : compact);
  return is_compact ? compact : spaced;
}

/* Pops the first string of the array LIST into a malloc'd copy, or NULL. */
static char *shift(json_t *list) {
  if (!json_array_size(list)) return NULL;
  char *s = strdup(json_string_value(json_array_get(list, 0)));
  json_array_remove(list, 0);
  return s;
}

/* The MockConfigFile of a recorded trace: each state's task outcomes in order. Also
   the recorded parameters, per state, into *SCHEDULED. The compacted trace does not
   say which state a task event is for: a Task state's Scheduled event follows its
   Entered one, and Parallel branches interleave, so a call goes to the oldest state
   entered and not yet scheduled (else it is a retry of the state that failed last),
   and an outcome to the oldest call still running. */
static json_t *mocks_from_trace(const json_t *trace, const char *whole, json_t **scheduled) {
  json_t *responses = json_object(), *test_case = json_object();
  json_t *awaiting = json_array(), *running = json_array();
  char *last = NULL;
  *scheduled = json_object();
  size_t i;
  json_t *e;
  json_array_foreach(trace, i, e) {
    const char *type = json_string_value(json_object_get(e, "type"));
    if (!type) continue;
    if (!strcmp(type, "TaskStateEntered")) {
      json_array_append_new(awaiting, json_string(json_string_value(json_object_get(e, "name"))));
      continue;
    }
    bool lambda = !strncmp(type, "LambdaFunction", 14);
    const char *event = lambda ? type + 14 : !strncmp(type, "Activity", 8) ? type + 8
                        : !strncmp(type, "Task", 4) && strncmp(type, "TaskState", 9) ? type + 4 : NULL;
    if (!event) continue;
    bool is_scheduled = !strcmp(event, "Scheduled");
    bool succeeded = !strcmp(event, "Succeeded");
    bool failed = !strcmp(event, "Failed") || !strcmp(event, "TimedOut");
    if (!is_scheduled && !succeeded && !failed) continue;
    char *state = NULL;
    if (is_scheduled) {
      state = shift(awaiting);
      if (!state && last) state = strdup(last);
      if (state) json_array_append_new(running, json_string(state));
    } else {
      state = shift(running);
    }
    if (!state) continue;
    json_t *list = json_object_get(responses, state);
    if (!list) {
      json_object_set_new(responses, state, list = json_object());
      json_object_set_new(test_case, state, json_string(state));
      json_object_set_new(*scheduled, state, json_array());
    }
    json_t *answer = NULL;
    if (is_scheduled) {
      json_t *p = json_object_get(e, "parameters");
      if (!p) p = json_object_get(e, "input");
      json_array_append_new(json_object_get(*scheduled, state), p ? json_incref(p) : json_null());
    } else if (succeeded) {
      json_t *out = json_object_get(e, "output");
      out = out ? json_incref(out) : json_null();
      /* a Lambda function's mock is its whole Invoke response */
      answer = json_pack("{s:o}", "Return", lambda ? json_pack("{s:i,s:o}", "StatusCode", 200, "Payload", out) : out);
    } else if (strstr(type, "TimedOut")) {
      /* a call that outlasts any timeout: the runtime times it out as AWS did */
      answer = json_pack("{s:{},s:i}", "Return", "Seconds", 100000000);
    } else {
      json_t *error = json_object_get(e, "error"), *cause = json_object_get(e, "cause");
      /* a bare failure (SendTaskFailure with no error) has none: a Throw without Error */
      json_t *t = json_object();
      if (json_is_string(error)) json_object_set(t, "Error", error);
      if (json_is_string(cause)) {
        json_object_set(t, "Cause", cause);
      } else if (cause && !json_is_null(cause)) {
        char *text = cause_text(cause, whole);
        json_object_set_new(t, "Cause", json_string(text));
        free(text);
      }
      answer = json_pack("{s:o}", "Throw", t);
    }
    if (failed) { /* a retry comes back to it */
      free(last);
      last = strdup(state);
    }
    if (answer) {
      char key[24];
      snprintf(key, sizeof key, "%zu", json_object_size(list));
      json_object_set_new(list, key, answer);
    }
    free(state);
  }
  free(last);
  json_decref(awaiting);
  json_decref(running);
  /* a state whose calls never finished has no responses: give it none */
  const char *key;
  json_t *v;
  void *tmp;
  json_object_foreach_safe(responses, tmp, key, v)
    if (!json_object_size(v)) json_object_del(responses, key), json_object_del(test_case, key);
  /* S3 takes what a ResultWriter writes; the trace does not record its answer */
  json_object_set_new(responses, "harness: S3 PutObject", json_pack("{s:{}}", "Return"));
  return json_pack("{s:{s:{s:{s:o}}},s:o,s:{s:s}}", "StateMachines", "StateMachine", "TestCases",
                   "recorded", test_case, "MockedResponses", responses, "Resources",
                   "arn:aws:states:::s3:putObject", "harness: S3 PutObject");
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

/* The entered and exited events of a trace (compact) or a history (GetExecutionHistory
   shape) as [type, name, input or output, assigned variables], and the EvaluationFailed
   ones as [type, location, error, cause]. */
static json_t *state_events(const json_t *events, bool history) {
  json_t *list = json_array();
  size_t i;
  json_t *e;
  json_array_foreach(events, i, e) {
    const char *type = json_string_value(json_object_get(e, "type"));
    if (type && !strcmp(type, "EvaluationFailed")) {
      /* a JSONata failure: where (location), what error and cause */
      const json_t *d = history ? json_object_get(e, "evaluationFailedEventDetails") : e;
      json_array_append_new(list, json_pack("[s,O?,O?,O?]", type, json_object_get(d, "location"),
                                            json_object_get(d, "error"), json_object_get(d, "cause")));
      continue;
    }
    if (!type || (!ends_with(type, "StateEntered") && !ends_with(type, "StateExited"))) continue;
    bool entered = ends_with(type, "StateEntered");
    const char *io = entered ? "input" : "output";
    const json_t *from = history ? json_object_get(e, entered ? "stateEnteredEventDetails"
                                                              : "stateExitedEventDetails") : e;
    json_t *v = json_object_get(from, io), *value;
    if (history && json_is_string(v)) value = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
    else value = v ? json_incref(v) : NULL;
    /* each assigned value as JSON (the history holds text; the trace objects parsed
       back and the rest as text) */
    json_t *assigned = json_object_get(from, "assignedVariables"), *vars = NULL;
    if (json_is_object(assigned)) {
      vars = json_object();
      const char *key;
      json_t *a;
      json_object_foreach(assigned, key, a) {
        json_t *parsed = json_is_string(a) ? json_loads(json_string_value(a), JSON_DECODE_ANY, NULL) : NULL;
        json_object_set_new(vars, key, parsed ? parsed : json_incref(a));
      }
    }
    json_array_append_new(list, json_pack("[s,O?,o?,o?]", type, json_object_get(from, "name"), value, vars));
  }
  return list;
}

/* Parallel branches and Map iterations interleave: every recorded state event must
   match one of ours, in any order (each of ours matches once). */
static bool same_events_any_order(const struct masks *m, json_t *want, json_t *got, struct text *why) {
  size_t n = json_array_size(got);
  if (n > 5000) return true; /* quadratic: leave the big ones to the final result */
  bool *used = calloc(n ? n : 1, 1);
  bool ok = true;
  for (size_t i = 0; i < json_array_size(want) && ok; i++) {
    json_t *w = json_array_get(want, i);
    bool found = false;
    for (size_t k = 0; k < n && !found; k++) {
      if (used[k]) continue;
      struct text path = {0}, d = {0};
      found = match(m, w, json_array_get(got, k), &path, &d);
      free(path.data);
      free(d.data);
      if (found) used[k] = true;
    }
    if (!found) {
      char *text = shortened(w);
      add(why, "%srecorded event %zu, %s, is not among ours", why->len ? "; " : "", i + 1, text);
      free(text);
      ok = false;
    }
  }
  for (size_t k = 0; k < n && ok; k++)
    if (!used[k]) {
      char *text = shortened(json_array_get(got, k));
      add(why, "%sour event %s is not in the recording", why->len ? "; " : "", text);
      free(text);
      ok = false;
    }
  free(used);
  return ok;
}

/* The service events (a task's Scheduled, Started, Submitted, Succeeded, Failed,
   TimedOut; Lambda functions' and activities' too) as [type, resourceType, resource]. */
static json_t *service_events(const json_t *events, bool history) {
  json_t *list = json_array();
  size_t i;
  json_t *e;
  json_array_foreach(events, i, e) {
    const char *type = json_string_value(json_object_get(e, "type"));
    if (!type || !((!strncmp(type, "Task", 4) && strncmp(type, "TaskState", 9)) ||
                   !strncmp(type, "LambdaFunction", 14) || !strncmp(type, "Activity", 8)))
      continue;
    const json_t *from = e;
    if (history) {
      /* TaskScheduled -> taskScheduledEventDetails */
      char key[128];
      snprintf(key, sizeof key, "%c%sEventDetails", type[0] - 'A' + 'a', type + 1);
      from = json_object_get(e, key);
    }
    json_array_append_new(list, json_pack("[s,O?,O?]", type, json_object_get(from, "resourceType"),
                                          json_object_get(from, "resource")));
  }
  return list;
}

/* Each state entered and left with the recorded input, output and assignments, and
   every task event of the recorded kind and resource. */
static bool same_events(const struct masks *m, json_t *want, json_t *got, bool interleaved,
                        const char *kind, struct text *why);

static bool same_trace(const struct masks *m, const json_t *trace, const json_t *history,
                       bool interleaved, struct text *why) {
  json_t *want = state_events(trace, false), *got = state_events(history, true);
  bool ok = same_events(m, want, got, interleaved, "state", why);
  json_decref(want);
  json_decref(got);
  if (!ok) return false;
  want = service_events(trace, false), got = service_events(history, true);
  ok = same_events(m, want, got, interleaved, "task", why);
  json_decref(want);
  json_decref(got);
  return ok;
}

static bool same_events(const struct masks *m, json_t *want, json_t *got, bool interleaved,
                        const char *kind, struct text *why) {
  if (interleaved) {
    return same_events_any_order(m, want, got, why);
  }
  size_t n = json_array_size(want) < json_array_size(got) ? json_array_size(want) : json_array_size(got);
  bool ok = true;
  for (size_t i = 0; i < n && ok; i++) {
    json_t *w = json_array_get(want, i), *g = json_array_get(got, i);
    char what[300];
    snprintf(what, sizeof what, "%s event %zu (%s '%.200s'):", kind, i + 1,
             json_string_value(json_array_get(w, 0)), json_string_value(json_array_get(w, 1)));
    ok = same(m, what, w, g, why);
  }
  if (ok && json_array_size(want) != json_array_size(got)) {
    add(why, "%s%zu %s events, recorded %zu", why->len ? "; " : "", json_array_size(got), kind,
        json_array_size(want));
    ok = false;
  }
  return ok;
}

/* Runs an execution case; the differences go into WHY. */
static bool run_execution(const json_t *c, bool mocked, struct text *why) {
  struct masks m = {0};
  masks_of(c, &m);
  json_t *definition = concrete(json_object_get(c, "definition"));
  json_t *input_text = json_object_get(c, "input");
  json_error_t jerr;
  /* the input as the test sent it: JSON text */
  json_t *raw = json_is_string(input_text) ? json_loads(json_string_value(input_text), JSON_DECODE_ANY, &jerr)
                                           : NULL;
  if (!json_is_string(input_text)) snprintf(jerr.text, sizeof jerr.text, "it is not JSON text");
  json_t *input = raw ? concrete(raw) : NULL;
  json_decref(raw);
  bool ok = false;
  struct rt_options o;
  base_options(&o);
  struct recorder rec = {NULL, json_object()};
  json_t *scheduled = NULL;
  if (!input) {
    add(why, "the recorded input is not JSON: %s", jerr.text);
    goto done;
  }
  (void)mocked; /* executions.json's few tasks are answered from their traces too */
  {
    char *whole = json_dumps(c, JSON_COMPACT);
    json_t *config = mocks_from_trace(json_object_get(c, "trace"), whole, &scheduled);
    free(whole);
    char *err = NULL;
    rec.mocks = rt_mocks_load(config, "recorded-mocks.json", &err);
    json_decref(config);
    if (!rec.mocks || !rt_mocks_select(rec.mocks, "StateMachine", "recorded", &err)) {
      add(why, "the mocks built from the trace do not load: %s", err);
      free(err);
      goto done;
    }
    o.task = record_call;
    o.task_ctx = &rec;
  }
  size_t fi;
  json_t *f;
  bool interleaved = false; /* Parallel branches and Map iterations: any order */
  json_array_foreach(json_object_get(c, "features"), fi, f)
    if (!strcmp(json_string_value(f), "Parallel") || strstr(json_string_value(f), "Map")) interleaved = true;
  o.history = true;
  struct rt_result r = {0};
  if (!rt_execute(definition, input, &o, &r)) {
    add(why, "rt_execute did not run it: %s: %s", r.error.error ? r.error.error : "?",
        r.error.cause ? r.error.cause : "");
    rt_result_free(&r);
    goto done;
  }
  json_t *expected = json_object_get(c, "expected");
  const char *want_status = json_string_value(json_object_get(expected, "status"));
  const char *got_status = r.status <= RT_ABORTED ? status_names[r.status] : "?";
  ok = true;
  if (strcmp(want_status, got_status)) {
    add(why, "status %s, expected %s", got_status, want_status);
    if (r.status != RT_SUCCEEDED)
      add(why, " (%s: %.200s)", r.error.error ? r.error.error : "", r.error.cause ? r.error.cause : "");
    ok = false;
  } else if (r.status == RT_SUCCEEDED) {
    ok = same(&m, "output", json_object_get(expected, "output"), r.output, why);
  } else {
    json_t *want_error = json_object_get(expected, "error");
    json_t *e = r.error.error && *r.error.error ? json_string(r.error.error) : json_null();
    ok = same(&m, "error", want_error ? want_error : json_null(), e, why);
    json_decref(e);
    ok = same_cause(&m, json_object_get(expected, "cause"), r.error.cause, why) && ok;
  }
  {
    /* every task called with the recorded parameters, as often as recorded */
    const char *state;
    json_t *want;
    json_object_foreach(scheduled, state, want) {
      json_t *got = json_object_get(rec.calls, state);
      char what[256];
      snprintf(what, sizeof what, "parameters of '%.200s'", state);
      if (json_array_size(got) != json_array_size(want)) {
        add(why, "%s'%s' called %zu times, recorded %zu", why->len ? "; " : "", state,
            json_array_size(got), json_array_size(want));
        ok = false;
      } else {
        for (size_t i = 0; i < json_array_size(want) && ok; i++)
          ok = same(&m, what, json_array_get(want, i), json_array_get(got, i), why);
      }
    }
  }
  if (ok) ok = same_trace(&m, json_object_get(c, "trace"), r.history, interleaved, why);
  rt_result_free(&r);
done:
  rt_mocks_free(rec.mocks);
  json_decref(rec.calls);
  json_decref(scheduled);
  json_decref(definition);
  json_decref(input);
  json_decref(m.keys);
  return ok;
}

static bool run_test_state(const json_t *c, struct text *why) {
  struct masks m = {0};
  m.keys = json_object();
  m.any_tokens = m.text_json = true;
  json_t *request = concrete(json_object_get(c, "request"));
  struct rt_options o;
  base_options(&o);
  json_t *got = rt_test_state(request, &o);
  json_t *want = json_object_get(c, "recorded");
  bool ok = true;
  if (!json_is_object(got)) {
    add(why, "rt_test_state gave no response object");
    ok = false;
  } else {
    static const char *const fields[] = {"status", "error", "cause", "nextState", "output", "inspectionData"};
    for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
      json_t *w = json_object_get(want, fields[k]), *g = json_object_get(got, fields[k]);
      if (!w && !g) continue;
      if (!w && !strcmp(fields[k], "inspectionData")) continue; /* not recorded */
      if (!w) {
        char *s = shortened(g);
        add(why, "%s%s: not in AWS's response, got %s", why->len ? "; " : "", fields[k], s);
        free(s);
        ok = false;
        continue;
      }
      ok = same(&m, fields[k], w, g, why) && ok;
    }
  }
  json_decref(got);
  json_decref(request);
  json_decref(m.keys);
  return ok;
}

/* ---------------------------------------------------------------- the driver */

struct known {
  json_t *reasons; /* id -> reason */
};

static void read_known(const char *path, struct known *k) {
  k->reasons = json_object();
  FILE *f = fopen(path, "r");
  if (!f) return;
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    if (!line[0] || line[0] == '#') continue;
    size_t n = strcspn(line, " \t");
    const char *reason = line + n + strspn(line + n, " \t");
    line[n] = 0;
    json_object_set_new(k->reasons, line, json_string(reason));
  }
  fclose(f);
}

/* Runs one case in a child: "P" or "F why" comes back through a pipe. */
static bool run_isolated(const json_t *c, int set, struct text *why) {
  int fd[2];
  if (pipe(fd)) {
    add(why, "pipe: %s", strerror(errno));
    return false;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    alarm(CASE_SECONDS);
    struct text w = {0};
    bool ok = set == 2 ? run_test_state(c, &w) : run_execution(c, set == 1, &w);
    FILE *out = fdopen(fd[1], "w");
    fprintf(out, "%c%s", ok ? 'P' : 'F', w.data ? w.data : "");
    fclose(out);
    free(w.data);
    exit(0); /* not _exit: LeakSanitizer checks the case's run */
  }
  close(fd[1]);
  struct text got = {0};
  char buf[4096];
  ssize_t n;
  while ((n = read(fd[0], buf, sizeof buf)) > 0) add(&got, "%.*s", (int)n, buf);
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  bool ok = false;
  if (WIFSIGNALED(status))
    add(why, WTERMSIG(status) == SIGALRM ? "still running after %d s" : "crashed (signal %d)",
        WTERMSIG(status) == SIGALRM ? CASE_SECONDS : WTERMSIG(status));
  else if (!got.len || (WIFEXITED(status) && WEXITSTATUS(status)))
    add(why, "the case's process exited with status %d", WEXITSTATUS(status));
  else if (got.data[0] == 'P') ok = true;
  else add(why, "%s", got.data + 1);
  /* a diff line is one line */
  for (char *p = why->data; p && *p; p++)
    if (*p == '\n' || *p == '\t') *p = ' ';
  if (why->len > 400) why->data[400] = 0, why->len = 400;
  free(got.data);
  return ok;
}

struct listed {
  const char *id, *reason;
  json_int_t set;
};

static int by_set_reason(const void *a, const void *b) {
  const struct listed *x = a, *y = b;
  if (x->set != y->set) return x->set < y->set ? -1 : 1;
  int r = strcmp(x->reason, y->reason);
  return r ? r : strcmp(x->id, y->id);
}

/* The set being run: a global, so LeakSanitizer in a case's process sees it reachable. */
static json_t *cases;
static struct known known;
static json_t *new_known; /* [id, reason] of this run's failures */

int main(int argc, char **argv) {
  bool update = false, verbose = false;
  const char *only = NULL, *dir = NULL, *known_path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--update-known")) update = true;
    else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
    else if (!strcmp(argv[i], "--verbose")) verbose = true;
    else if (!dir) dir = argv[i];
    else if (!known_path) known_path = argv[i];
  }
  if (!dir || !known_path) {
    fprintf(stderr, "usage: runtime_corpus [--update-known] [--only ID] [--verbose] CORPUS_DIR KNOWN_FILE\n");
    return 2;
  }
  static const char *const files[] = {"executions.json", "executions-mocked-services.json", "test-state.json"};
  read_known(known_path, &known);
  new_known = json_array();
  int passed = 0, failed = 0, skipped = 0;
  for (int set = 0; set < 3; set++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, files[set]);
    json_error_t jerr;
    cases = json_load_file(path, 0, &jerr);
    if (!json_is_array(cases)) {
      printf("runtime: skipped: cannot read %s: %s\n", path, jerr.text);
      return 0;
    }
    int p = 0, f = 0, k = 0, out_of_scope = 0;
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c) {
      const char *id = json_string_value(json_object_get(c, "id"));
      if (!id || (only && strcmp(only, id))) continue;
      if (getenv("RUNTIME_CORPUS_NO_JSONATA") && (set == 2 ? is_jsonata(json_object_get(c, "request")) : features_jsonata(c))) {
        out_of_scope++;
        continue;
      }
      struct text why = {0};
      bool ok = run_isolated(c, set, &why);
      const char *reason = json_string_value(json_object_get(known.reasons, id));
      if (!ok) json_array_append_new(new_known, json_pack("[s,s,i]", id, reason ? reason : why.data, set));
      if (ok && !reason) {
        p++;
      } else if (ok) {
        f++;
        printf("FAIL %s: passes now; remove it from %s\n", id, known_path);
      } else if (reason) {
        k++;
        if (only || verbose) printf("known %s: %s\n  (listed: %s)\n", id, why.data, reason);
      } else {
        f++;
        printf("FAIL %s: %s\n", id, why.data);
      }
      free(why.data);
    }
    printf("%s: %d passed, %d failed, %d known failures (%d JSONata cases out of scope)\n",
           files[set], p, f, k, out_of_scope);
    passed += p, failed += f, skipped += k;
    json_decref(cases);
  }
  if (update && !only) {
    FILE *out = fopen(known_path, "w");
    if (!out) {
      fprintf(stderr, "runtime_corpus: cannot write %s: %s\n", known_path, strerror(errno));
      return 2;
    }
    fprintf(out, "# Cases of ../shared/corpus/aws-recorded-sfn that do not pass yet: ID reason.\n"
                 "# tests/runtime/run.sh fails on a failure not listed here and on a listed case\n"
                 "# that passes. Rewritten by 'sh tests/runtime/run.sh --update-known', which keeps\n"
                 "# the reasons written here and gives a new failure its difference as reason.\n");
    /* grouped: by set, then by reason, so the cases of one cause stand together */
    size_t n = json_array_size(new_known);
    struct listed *rows = calloc(n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
      json_t *entry = json_array_get(new_known, i);
      rows[i].id = json_string_value(json_array_get(entry, 0));
      rows[i].reason = json_string_value(json_array_get(entry, 1));
      rows[i].set = json_integer_value(json_array_get(entry, 2));
    }
    qsort(rows, n, sizeof *rows, by_set_reason);
    for (size_t i = 0; i < n; i++) {
      if (!i || rows[i].set != rows[i - 1].set) fprintf(out, "\n# %s\n", files[rows[i].set]);
      fprintf(out, "%s %s\n", rows[i].id, rows[i].reason);
    }
    free(rows);
    fclose(out);
    printf("runtime_corpus: wrote %zu known failures to %s\n", n, known_path);
  }
  json_decref(new_known);
  json_decref(known.reasons);
  printf("runtime: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed ? 1 : 0;
}
