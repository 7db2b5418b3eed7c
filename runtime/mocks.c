/* mocks.c: task results from a mock file.
 *
 * The file is Step Functions Local's MockConfigFile, read as that program reads it:
 *
 *   { "StateMachines": { "<machine>": { "TestCases": { "<case>": {
 *         "<state>": "<response name>", ... } } } },
 *     "MockedResponses": { "<response name>": {
 *         "0":   { "Return": <the task's result> },
 *         "1-2": { "Throw": { "Error": "...", "Cause": "..." } } } } }
 *
 * A response's keys number the calls of the state, from 0 (each retry is a call): a
 * number or an inclusive range. A call with no key fails the execution (AWS's docs:
 * "you must specify a mocked response for every invocation"). Return for a Lambda
 * function is the whole Invoke response ({"StatusCode": 200, "Payload": ...}): a state
 * whose Resource is the function's ARN gets its Payload (a Return without one is the
 * result as it stands), one calling arn:aws:states:::lambda:invoke gets the whole
 * response, as on AWS.
 *
 * sfc adds (README, "Running workflows locally"):
 *   - "Resources": { "<resource or Lambda function>": "<response name>" }, at the top
 *     of the file or beside a machine's "TestCases": a mock for every state that calls
 *     it (a test case's own entry for a state wins, then the machine's, then the file's;
 *     "*" answers every task nothing else does);
 *   - the response itself in place of its name, in a test case or in Resources:
 *     "Greet": {"Return": {...}};
 *   - "N-": every call from N on, so {"0-1": {"Throw": ...}, "2-": {"Return": ...}}
 *     fails twice, then succeeds for good; and a response that is just
 *     {"Return": ...} (or Throw, or Run) answers every call;
 *   - "Seconds": N beside an answer: the call takes N seconds of virtual time, so the
 *     Task's TimeoutSeconds and HeartbeatSeconds (and the execution's) apply;
 *   - a Throw without an Error: the task fails bare (null Error and Cause), as one
 *     whose worker called SendTaskFailure with neither;
 *   - { "Run": "COMMAND" }: runs COMMAND with /bin/sh in the mock file's directory,
 *     the task's input as JSON on stdin (a Lambda function's: its Payload), and takes
 *     the JSON on its stdout as the result (a Lambda function's Payload). A nonzero
 *     exit fails the task: with the "Error" and "Cause" of the JSON object it printed
 *     (for a Lambda function, a runtime's {"errorType", "errorMessage", ...} too: the
 *     errorType names the error, the text is the cause, as on AWS), else
 *     States.TaskFailed with its stderr (or its exit status) as the cause.
 *
 * The whole file is checked when loaded; an error names the file and the JSON path of
 * the bad member.
 */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum answer { RETURN, THROW, RUN };
static const char *const answer_names[] = {"Return", "Throw", "Run"};

struct entry {
  long lo, hi;        /* the calls it answers; hi -1: every call from lo on */
  enum answer kind;
  json_t *value;      /* borrowed from the config */
  int64_t ms;         /* sfc's "Seconds": how long the call takes, in virtual time */
};

struct response {
  const char *name;
  char *own_name;        /* an inline response's: the JSON path where it stands */
  struct entry *entries; /* sorted by lo, contiguous from 0 */
  int count;
};

struct rt_mocks {
  json_t *config;
  char *file;         /* for messages */
  char *dir;          /* where Run commands run */
  struct response *responses;
  int nresponses, cap;
  json_t *index;      /* response name -> its position in responses */
  json_t *inline_index; /* "%p" of an inline response object -> its position */
  const char *machine_name, *case_name;
  json_t *test_case;  /* the selected TestCases.<case>, or NULL */
  json_t *machine_resources, *file_resources; /* "Resources" objects, or NULL */
};

/* Zeroed memory: the loader fills its tables member by member. */
static void *xalloc(size_t n) {
  void *p = xmalloc(n);
  memset(p, 0, n ? n : 1);
  return p;
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  return s;
}

/* ---------------------------------------------------------------- loading */

/* A JSON path to a member, as errors show it: $.MockedResponses.R["1-2"]. */
struct path {
  char text[1024];
};

static void path_init(struct path *p) { strcpy(p->text, "$"); }

static struct path path_at(const struct path *p, const char *key) {
  struct path q = *p;
  size_t n = strlen(q.text);
  bool plain = *key != 0;
  for (const char *c = key; *c; c++)
    if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
          (*c >= '0' && *c <= '9' && c != key)))
      plain = false;
  if (plain) {
    snprintf(q.text + n, sizeof q.text - n, ".%s", key);
  } else {
    /* ["key"], with " and \ escaped; a path too long for the buffer is cut */
    char esc[512];
    size_t k = 0;
    for (const char *c = key; *c && k + 3 < sizeof esc; c++) {
      if (*c == '"' || *c == '\\') esc[k++] = '\\';
      esc[k++] = *c;
    }
    esc[k] = 0;
    snprintf(q.text + n, sizeof q.text - n, "[\"%s\"]", esc);
  }
  return q;
}

struct loader {
  struct rt_mocks *m;
  char *why;          /* the first error */
};

static bool bad(struct loader *l, const struct path *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool bad(struct loader *l, const struct path *p, const char *fmt, ...) {
  if (l->why) return false;
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  l->why = format("%s: %s: %s", l->m->file, p->text, msg);
  free(msg);
  return false;
}

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: case JSON_REAL: return "a number";
  case JSON_TRUE: case JSON_FALSE: return "a boolean";
  default: return "null";
  }
}

static bool want_object(struct loader *l, const struct path *p, const json_t *v) {
  if (json_is_object(v)) return true;
  return bad(l, p, "expected an object, not %s", type_name(v));
}

/* "7" -> 7; false unless S is 1 to 9 decimal digits. */
static bool parse_count(const char *s, size_t n, long *out) {
  if (n == 0 || n > 9) return false;
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

/* An invocation key: "N", "N-M" (N <= M) or sfc's "N-". */
static bool parse_range(const char *key, long *lo, long *hi) {
  const char *dash = strchr(key, '-');
  if (!dash) {
    if (!parse_count(key, strlen(key), lo)) return false;
    *hi = *lo;
    return true;
  }
  if (!parse_count(key, (size_t)(dash - key), lo)) return false;
  if (!dash[1]) {
    *hi = -1;
    return true;
  }
  return parse_count(dash + 1, strlen(dash + 1), hi) && *hi >= *lo;
}

/* { "Return": V } | { "Throw": { "Error", "Cause" } } | { "Run": "COMMAND" } */
static bool load_answer(struct loader *l, const struct path *p, json_t *v, struct entry *e) {
  if (!want_object(l, p, v)) return false;
  int found = 0;
  const char *key;
  json_t *member;
  json_object_foreach(v, key, member) {
    struct path q = path_at(p, key);
    if (!strcmp(key, "Seconds")) {
      /* sfc: the call's virtual time, for the Task's TimeoutSeconds and HeartbeatSeconds */
      double seconds = json_number_value(member);
      if (!json_is_number(member) || seconds < 0 || seconds > 1e11)
        return bad(l, &q, "Seconds takes how long the call takes, a number of seconds from 0");
      e->ms = (int64_t)(seconds * 1000 + 0.5);
      continue;
    }
    int k = 0;
    while (k < 3 && strcmp(key, answer_names[k])) k++;
    if (k == 3) return bad(l, &q, "unknown member (a mocked response is Return, Throw or Run, and "
                           "sfc's Seconds)");
    if (found++) return bad(l, &q, "a mocked response has one of Return, Throw and Run, not two");
    e->kind = (enum answer)k;
    e->value = member;
    if (e->kind == THROW) {
      if (!want_object(l, &q, member)) return false;
      json_t *error = json_object_get(member, "Error"), *cause = json_object_get(member, "Cause");
      const char *mkey;
      json_t *mv;
      json_object_foreach(member, mkey, mv)
        if (strcmp(mkey, "Error") && strcmp(mkey, "Cause")) {
          struct path r = path_at(&q, mkey);
          return bad(l, &r, "unknown member (Throw has Error and Cause)");
        }
      /* sfc: Error may be left out (or null): a task failing bare, as SendTaskFailure
         without an error does; the Error Output then has null Error and Cause */
      if (error && !json_is_string(error) && !json_is_null(error)) {
        struct path r = path_at(&q, "Error");
        return bad(l, &r, "Error must be a string, not %s", type_name(error));
      }
      if (cause && !json_is_string(cause) && !json_is_null(cause)) {
        struct path r = path_at(&q, "Cause");
        return bad(l, &r, "Cause must be a string, not %s", type_name(cause));
      }
    } else if (e->kind == RUN && (!json_is_string(member) || !*json_string_value(member))) {
      return bad(l, &q, "Run takes a command line (a string), not %s",
                 json_is_string(member) ? "an empty string" : type_name(member));
    }
  }
  if (!found) return bad(l, p, "empty: a mocked response has Return, Throw or Run");
  return true;
}

static int by_lo(const void *a, const void *b) {
  long x = ((const struct entry *)a)->lo, y = ((const struct entry *)b)->lo;
  return x < y ? -1 : x > y;
}

static const char *range_text(const struct entry *e, char *buf, size_t n) {
  if (e->hi < 0) snprintf(buf, n, "%ld-", e->lo);
  else if (e->hi == e->lo) snprintf(buf, n, "%ld", e->lo);
  else snprintf(buf, n, "%ld-%ld", e->lo, e->hi);
  return buf;
}

static bool load_response(struct loader *l, const struct path *p, const char *name, json_t *v,
                          struct response *r) {
  r->name = name;
  if (!want_object(l, p, v)) return false;
  /* sfc's shorthand: the answer itself, for every call */
  if (json_object_get(v, "Return") || json_object_get(v, "Throw") || json_object_get(v, "Run") ||
      json_object_get(v, "Seconds")) {
    r->entries = xalloc(sizeof *r->entries);
    r->count = 1;
    r->entries[0].lo = 0;
    r->entries[0].hi = -1;
    return load_answer(l, p, v, &r->entries[0]);
  }
  size_t n = json_object_size(v);
  if (n == 0) return bad(l, p, "no responses: give \"0\": {\"Return\": ...} or {\"Throw\": ...}");
  r->entries = xalloc(n * sizeof *r->entries);
  const char *key;
  json_t *answer;
  json_object_foreach(v, key, answer) {
    struct path q = path_at(p, key);
    struct entry *e = &r->entries[r->count];
    if (!parse_range(key, &e->lo, &e->hi))
      return bad(l, &q, "'%s' is not a call number or range (\"0\", \"1-2\", or \"3-\" for every "
                 "call from 3 on)", key);
    r->count++;
    if (!load_answer(l, &q, answer, e)) return false;
  }
  qsort(r->entries, (size_t)r->count, sizeof *r->entries, by_lo);
  long next = 0;
  for (int i = 0; i < r->count; i++) {
    char a[48], b[48];
    const struct entry *e = &r->entries[i];
    if (e->lo > next && i == 0)
      return bad(l, p, "no response for call 0: the calls are numbered from 0 (the first is '%s')",
                 range_text(e, b, sizeof b));
    if (e->lo > next)
      return bad(l, p, "no response for call %ld: the calls are numbered from 0, without gaps "
                 "(after '%s' comes '%s')", next, range_text(&r->entries[i - 1], a, sizeof a),
                 range_text(e, b, sizeof b));
    if (e->lo < next || next < 0)
      return bad(l, p, "'%s' and '%s' both answer call %ld", range_text(&r->entries[i - 1], a, sizeof a),
                 range_text(e, b, sizeof b), e->lo);
    next = e->hi < 0 ? -1 : e->hi + 1;
  }
  return true;
}

static struct response *new_response(struct rt_mocks *m) {
  if (m->nresponses == m->cap) {
    m->cap = m->cap ? 2 * m->cap : 8;
    m->responses = realloc(m->responses, (size_t)m->cap * sizeof *m->responses);
    if (!m->responses) abort();
  }
  struct response *r = &m->responses[m->nresponses++];
  memset(r, 0, sizeof *r);
  return r;
}

static char *pointer_key(const json_t *v) { return format("%p", (const void *)v); }

/* A { "state or resource": "response name" } object; sfc also takes the response
   itself in place of its name. */
static bool load_links(struct loader *l, const struct path *p, json_t *v, const char *what) {
  if (!want_object(l, p, v)) return false;
  const char *key;
  json_t *name;
  json_object_foreach(v, key, name) {
    struct path q = path_at(p, key);
    if (json_is_object(name)) {
      char *pk = pointer_key(name);
      json_object_set_new(l->m->inline_index, pk, json_integer(l->m->nresponses));
      free(pk);
      struct response *r = new_response(l->m);
      r->own_name = xstrdup(q.text);
      if (!load_response(l, &q, r->own_name, name, r)) return false;
      continue;
    }
    if (!json_is_string(name))
      return bad(l, &q, "expected a mocked response for this %s (its name in MockedResponses, or "
                 "the response itself), not %s", what, type_name(name));
    if (!json_object_get(l->m->index, json_string_value(name)))
      return bad(l, &q, "no mocked response named '%s' in MockedResponses", json_string_value(name));
  }
  return true;
}

static bool load_machine(struct loader *l, const struct path *p, json_t *v) {
  if (!want_object(l, p, v)) return false;
  const char *key;
  json_t *member;
  json_object_foreach(v, key, member) {
    struct path q = path_at(p, key);
    if (!strcmp(key, "Resources")) {
      if (!load_links(l, &q, member, "resource")) return false;
    } else if (!strcmp(key, "TestCases")) {
      if (!want_object(l, &q, member)) return false;
      const char *name;
      json_t *test_case;
      json_object_foreach(member, name, test_case) {
        struct path r = path_at(&q, name);
        if (!load_links(l, &r, test_case, "state")) return false;
      }
    } else {
      return bad(l, &q, "unknown member (a state machine has TestCases, and sfc's Resources)");
    }
  }
  return true;
}

static bool load(struct loader *l, json_t *config) {
  struct path root;
  path_init(&root);
  if (!want_object(l, &root, config)) return false;
  const char *key;
  json_t *member;
  json_object_foreach(config, key, member)
    if (strcmp(key, "StateMachines") && strcmp(key, "MockedResponses") && strcmp(key, "Resources")) {
      struct path q = path_at(&root, key);
      return bad(l, &q, "unknown member (a mock file has StateMachines, MockedResponses, and "
                 "sfc's Resources)");
    }
  struct rt_mocks *m = l->m;
  json_t *responses = json_object_get(config, "MockedResponses");
  struct path rp = path_at(&root, "MockedResponses");
  if (responses) {
    if (!want_object(l, &rp, responses)) return false;
    json_object_foreach(responses, key, member) {
      struct path q = path_at(&rp, key);
      json_object_set_new(m->index, key, json_integer(m->nresponses));
      if (!load_response(l, &q, key, member, new_response(m))) return false;
    }
  }
  json_t *machines = json_object_get(config, "StateMachines");
  struct path mp = path_at(&root, "StateMachines");
  if (machines) {
    if (!want_object(l, &mp, machines)) return false;
    json_object_foreach(machines, key, member) {
      struct path q = path_at(&mp, key);
      if (!load_machine(l, &q, member)) return false;
    }
  }
  json_t *resources = json_object_get(config, "Resources");
  if (resources) {
    struct path q = path_at(&root, "Resources");
    if (!load_links(l, &q, resources, "resource")) return false;
    m->file_resources = resources;
  }
  return true;
}

struct rt_mocks *rt_mocks_load(json_t *config, const char *file, char **why) {
  struct rt_mocks *m = xalloc(sizeof *m);
  m->config = json_incref(config);
  m->file = xstrdup(file ? file : "mocks");
  const char *slash = strrchr(m->file, '/');
  m->dir = slash ? format("%.*s", (int)(slash - m->file + (slash == m->file)), m->file) : NULL;
  m->index = json_object();
  m->inline_index = json_object();
  struct loader l = {m, NULL};
  if (!load(&l, config)) {
    *why = l.why;
    rt_mocks_free(m);
    return NULL;
  }
  return m;
}

void rt_mocks_free(struct rt_mocks *m) {
  if (!m) return;
  for (int i = 0; i < m->nresponses; i++) {
    free(m->responses[i].entries);
    free(m->responses[i].own_name);
  }
  free(m->responses);
  json_decref(m->index);
  json_decref(m->inline_index);
  json_decref(m->config);
  free(m->file);
  free(m->dir);
  free(m);
}

/* "A, B, C" of OBJECT's keys, for "there are: ..." */
static char *key_list(json_t *object) {
  size_t n = 1;
  const char *key;
  json_t *v;
  json_object_foreach(object, key, v) n += strlen(key) + 2;
  char *s = xalloc(n), *p = s;
  json_object_foreach(object, key, v) p += sprintf(p, "%s%s", p == s ? "" : ", ", key);
  return s;
}

bool rt_mocks_select(struct rt_mocks *m, const char *machine, const char *case_name, char **why) {
  json_t *machines = json_object_get(m->config, "StateMachines");
  json_t *mc = machine ? json_object_get(machines, machine) : NULL;
  m->machine_name = machine;
  m->case_name = NULL;
  m->test_case = NULL;
  m->machine_resources = json_object_get(mc, "Resources");
  if (!mc) {
    if (!case_name) return true; /* only the file's Resources answer */
    char *names = key_list(machines);
    *why = format("%s: no state machine named '%s' in StateMachines (%s%s)", m->file,
                  machine ? machine : "", *names ? "there are: " : "there are none", names);
    free(names);
    return false;
  }
  json_t *cases = json_object_get(mc, "TestCases");
  if (!case_name) {
    /* one test case needs no name */
    if (json_object_size(cases) == 1) {
      void *it = json_object_iter(cases);
      m->case_name = json_object_iter_key(it);
      m->test_case = json_object_iter_value(it);
    } else if (json_object_size(cases) > 1) {
      char *names = key_list(cases);
      *why = format("%s: state machine '%s' has %zu test cases: choose one of %s", m->file, machine,
                    json_object_size(cases), names);
      free(names);
      return false;
    }
    return true;
  }
  m->test_case = json_object_get(cases, case_name);
  if (!m->test_case) {
    char *names = key_list(cases);
    *why = format("%s: state machine '%s' has no test case named '%s' (%s%s)", m->file, machine,
                  case_name, *names ? "there are: " : "it has none", names);
    free(names);
    return false;
  }
  m->case_name = json_object_iter_key(json_object_iter_at(cases, case_name));
  return true;
}

/* ---------------------------------------------------------------- answering */

static bool starts(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

/* arn:PARTITION:SERVICE:... -> a pointer to SERVICE:..., or NULL. */
static const char *arn_service(const char *arn) {
  if (!starts(arn, "arn:")) return NULL;
  const char *p = strchr(arn + 4, ':');
  return p ? p + 1 : NULL;
}

/* A state whose Resource is a Lambda function's ARN (not the lambda:invoke integration):
   arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]. */
static bool is_function_arn(const char *resource) {
  const char *s = arn_service(resource);
  if (!s || !starts(s, "lambda:")) return false;
  const char *p = s;
  for (int colons = 0; colons < 3; colons++) {
    p = strchr(p, ':');
    if (!p) return false;
    p++;
  }
  return starts(p, "function:");
}

static bool is_lambda_invoke(const char *resource) {
  const char *s = arn_service(resource);
  return s && starts(s, "states:::lambda:invoke");
}

/* NAME from a function name, a name:qualifier, or a (partial) function ARN. */
static char *function_name(const char *ref) {
  const char *f = strstr(ref, "function:");
  const char *name = f ? f + 9 : ref;
  return format("%.*s", (int)strcspn(name, ":"), name);
}

/* The response the file links to this call: the test case's entry for the state, else
   a Resources entry (the machine's, then the file's) for the resource, or for the
   Lambda function it calls (as given, or by its name). */
static const struct response *linked_response(const struct rt_mocks *m,
                                              const struct rt_task_call *call) {
  json_t *name = json_object_get(m->test_case, call->state);
  const char *function = NULL;
  if (is_function_arn(call->resource)) function = call->resource;
  else if (is_lambda_invoke(call->resource))
    function = json_string_value(json_object_get(call->parameters, "FunctionName"));
  char *short_name = function ? function_name(function) : NULL;
  json_t *tables[] = {m->machine_resources, m->file_resources};
  for (int i = 0; i < 2 && !name; i++) {
    name = json_object_get(tables[i], call->resource);
    if (!name && function) name = json_object_get(tables[i], function);
    if (!name && short_name) name = json_object_get(tables[i], short_name);
  }
  /* "*": every task nothing else answers */
  for (int i = 0; i < 2 && !name; i++) name = json_object_get(tables[i], "*");
  free(short_name);
  json_t *at = NULL;
  if (json_is_object(name)) {
    char *pk = pointer_key(name);
    at = json_object_get(m->inline_index, pk);
    free(pk);
  } else if (name) {
    at = json_object_get(m->index, json_string_value(name));
  }
  return at ? &m->responses[json_integer_value(at)] : NULL;
}

static void set_error(struct rt_error *err, const char *error, const char *cause) {
  err->error = error ? xstrdup(error) : NULL;
  err->cause = cause ? xstrdup(cause) : NULL;
}

struct capture {
  char *data;
  size_t len, cap;
};

static void capture_add(struct capture *c, const char *p, size_t n) {
  if (c->len + n + 1 > c->cap) {
    c->cap = (c->len + n + 1) * 2;
    c->data = realloc(c->data, c->cap);
    if (!c->data) abort();
  }
  memcpy(c->data + c->len, p, n);
  c->len += n;
  c->data[c->len] = 0;
}

/* Runs COMMAND with /bin/sh -c in DIR, INPUT on its stdin; collects stdout and stderr.
   Returns the wait status, or -1 with *why when it could not be started. */
static int run_command(const char *command, const char *dir, const char *input,
                       const struct rt_task_call *call, struct capture *out, struct capture *errs,
                       char **why) {
  int in[2], o[2], e[2];
  if (pipe(in)) goto fail;
  if (pipe(o)) { close(in[0]), close(in[1]); goto fail; }
  if (pipe(e)) { close(in[0]), close(in[1]), close(o[0]), close(o[1]); goto fail; }
  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    close(in[0]), close(in[1]), close(o[0]), close(o[1]), close(e[0]), close(e[1]);
    errno = saved;
    goto fail;
  }
  if (pid == 0) {
    dup2(in[0], 0), dup2(o[1], 1), dup2(e[1], 2);
    close(in[0]), close(in[1]), close(o[0]), close(o[1]), close(e[0]), close(e[1]);
    if (dir && chdir(dir)) {
      fprintf(stderr, "cannot enter '%s': %s\n", dir, strerror(errno));
      _exit(126);
    }
    char index[24];
    snprintf(index, sizeof index, "%d", call->call_index);
    setenv("SFC_STATE", call->state, 1);
    setenv("SFC_CALL_INDEX", index, 1);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    _exit(127);
  }
  close(in[0]), close(o[1]), close(e[1]);
  /* a blocking write of more than a pipe holds would wait for a command that is
     itself waiting for us to read its output */
  fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
  /* a command that does not read its input must not kill us with SIGPIPE */
  struct sigaction ignore = {0}, old;
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old);
  size_t sent = 0, len = strlen(input);
  struct pollfd fds[3] = {{in[1], POLLOUT, 0}, {o[0], POLLIN, 0}, {e[0], POLLIN, 0}};
  if (len == 0) close(in[1]), fds[0].fd = -1;
  while (fds[0].fd >= 0 || fds[1].fd >= 0 || fds[2].fd >= 0) {
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].fd >= 0 && fds[0].revents) {
      ssize_t n = write(in[1], input + sent, len - sent);
      if (n > 0) sent += (size_t)n;
      if (n < 0 && errno != EINTR && errno != EAGAIN) sent = len; /* EPIPE: it stopped reading */
      if (sent == len) close(in[1]), fds[0].fd = -1;
    }
    for (int k = 1; k < 3; k++) {
      if (fds[k].fd < 0 || !fds[k].revents) continue;
      char buf[65536];
      ssize_t n = read(fds[k].fd, buf, sizeof buf);
      if (n > 0) capture_add(k == 1 ? out : errs, buf, (size_t)n);
      else if (n == 0 || (errno != EINTR && errno != EAGAIN)) close(fds[k].fd), fds[k].fd = -1;
    }
  }
  for (int k = 0; k < 3; k++)
    if (fds[k].fd >= 0) close(fds[k].fd);
  sigaction(SIGPIPE, &old, NULL);
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      *why = format("cannot wait for the mock command '%s': %s", command, strerror(errno));
      return -1;
    }
  return status;
fail:
  *why = format("cannot run the mock command '%s': %s", command, strerror(errno));
  return -1;
}

static char *trimmed(const struct capture *c) {
  size_t a = 0, b = c->len;
  while (a < b && strchr(" \t\r\n", c->data[a])) a++;
  while (b > a && strchr(" \t\r\n", c->data[b - 1])) b--;
  return format("%.*s", (int)(b - a), c->len ? c->data + a : "");
}

/* The Run answer: the command plays the service (a Lambda function: the function). */
static bool run_answer(const struct rt_mocks *m, const struct entry *e,
                       const struct rt_task_call *call, json_t **result, struct rt_error *err) {
  const char *command = json_string_value(e->value);
  bool invoke = is_lambda_invoke(call->resource);
  json_t *input = invoke ? json_object_get(call->parameters, "Payload") : call->parameters;
  char *text = input ? json_dumps(input, JSON_COMPACT | JSON_ENCODE_ANY) : xstrdup(invoke ? "{}" : "null");
  struct capture out = {0}, errs = {0};
  char *why = NULL;
  int status = run_command(command, m->dir, text, call, &out, &errs, &why);
  free(text);
  bool ok = false;
  if (status == -1) {
    set_error(err, "States.Runtime", why);
  } else {
    json_error_t jerr;
    char *stdout_text = trimmed(&out);
    json_t *v = *stdout_text ? json_loads(stdout_text, JSON_DECODE_ANY, &jerr) : json_null();
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      if (errs.len) fwrite(errs.data, 1, errs.len, stderr); /* its log, for the user */
      if (!v) {
        char *cause = format("the mock command '%s' of state '%s' printed no JSON: %s (line %d, "
                             "column %d)", command, call->state, jerr.text, jerr.line, jerr.column);
        set_error(err, "States.Runtime", cause);
        free(cause);
      } else {
        *result = invoke ? json_pack("{s:s,s:O,s:i}", "ExecutedVersion", "$LATEST", "Payload", v,
                                     "StatusCode", 200)
                         : json_incref(v);
        ok = true;
      }
    } else {
      json_t *error = json_object_get(v, "Error"), *cause = json_object_get(v, "Cause");
      json_t *type = json_object_get(v, "errorType");
      bool lambda = invoke || is_function_arn(call->resource);
      if (json_is_string(error)) {
        set_error(err, json_string_value(error), json_string_value(cause));
      } else if (lambda && json_is_string(type)) {
        /* a Lambda runtime's error object: AWS names the error by its errorType and
           gives the object's text as the cause */
        set_error(err, json_string_value(type), stdout_text);
      } else {
        char *why_text = trimmed(&errs);
        char *c = *why_text ? xstrdup(why_text)
                  : WIFEXITED(status) ? format("the mock command '%s' exited with status %d", command,
                                               WEXITSTATUS(status))
                                      : format("the mock command '%s' was killed by signal %d",
                                               command, WTERMSIG(status));
        set_error(err, "States.TaskFailed", c);
        free(c);
        free(why_text);
      }
    }
    json_decref(v);
    free(stdout_text);
  }
  free(why);
  free(out.data);
  free(errs.data);
  return ok;
}

bool rt_mocks_answers(const struct rt_mocks *m, const struct rt_task_call *call) {
  struct rt_task_call named = *call;
  if (!named.state) named.state = "";
  if (!named.resource) named.resource = "";
  return linked_response(m, &named) != NULL;
}

bool rt_mocks_task(void *ctx, const struct rt_task_call *given, json_t **result, struct rt_error *err) {
  const struct rt_mocks *m = ctx;
  struct rt_task_call named = *given; /* a call without a state or resource matches by "" */
  if (!named.state) named.state = "";
  if (!named.resource) named.resource = "";
  const struct rt_task_call *call = &named;
  const struct response *r = linked_response(m, call);
  if (!r) {
    char *cause;
    if (m->test_case)
      cause = format("no mock for state '%s' (Resource '%s'): test case '%s' of state machine '%s' "
                     "in %s has no entry for it, and no Resources entry matches", call->state,
                     call->resource, m->case_name, m->machine_name, m->file);
    else
      cause = format("no mock for state '%s' (Resource '%s'): %s has no test case for state "
                     "machine '%s' and no Resources entry matches", call->state, call->resource,
                     m->file, m->machine_name ? m->machine_name : "");
    set_error(err, "States.Runtime", cause);
    free(cause);
    return false;
  }
  const char *name = r->name;
  const struct entry *e = NULL;
  for (int i = 0; i < r->count && !e; i++)
    if (call->call_index >= r->entries[i].lo && (r->entries[i].hi < 0 || call->call_index <= r->entries[i].hi))
      e = &r->entries[i];
  if (!e) {
    char *cause = format("no mock for call %d of state '%s' (calls count from 0, retries "
                         "included): mocked response '%s' in %s answers calls 0 to %ld only",
                         call->call_index, call->state, name, m->file, r->entries[r->count - 1].hi);
    set_error(err, "States.Runtime", cause);
    free(cause);
    return false;
  }
  if (call->duration_ms) *call->duration_ms = e->ms;
  switch (e->kind) {
  case RETURN: {
    json_t *payload = json_object_get(e->value, "Payload");
    *result = json_deep_copy(is_function_arn(call->resource) && payload ? payload : e->value);
    return true;
  }
  case THROW:
    set_error(err, json_string_value(json_object_get(e->value, "Error")),
              json_string_value(json_object_get(e->value, "Cause")));
    return false;
  case RUN:
    return run_answer(m, e, call, result, err);
  }
  return false;
}
