/* runtime.h: the local executor of Amazon States Language (runtime/).
 *
 * It runs any ASL definition, hand-written or compiled, on Jansson values, the way
 * AWS Step Functions does: JSONPath as the Jayway library AWS uses evaluates it,
 * payload templates, the context object, intrinsic functions, variables, every state
 * type, Retry and Catch, Parallel and Map, on a virtual clock (nothing sleeps), with
 * task results from mocks, and the execution history in GetExecutionHistory's shape.
 *
 *   eval.c        errors, random numbers, variables, JSON text as AWS prints it,
 *                 payload templates (the ".$" rule)
 *   jsonpath.c    JSONPath: parse, get (Jayway semantics), set (ResultPath)
 *   intrinsics.c  the States.* functions
 *   interp.c      states, transitions, Retry/Catch, Parallel/Map, clock, history;
 *                 rt_execute and rt_test_state
 *   mocks.c       Step Functions Local's MockConfigFile, and sfc's additions
 *   run.c         the commands: sfc run, sfc test-state
 *
 * Ownership: every json_t * a function returns through an out parameter is a new
 * reference the caller releases; arguments are borrowed unless a comment says
 * "stolen". Strings returned through char ** are malloc'd.
 */
#ifndef SFC_RUNTIME_H
#define SFC_RUNTIME_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

/* A JSON value's type as AWS names it in causes: "object", "number", "null"... (intrinsics.c) */
const char *rt_json_type_name(const json_t *v);

/* ---------------------------------------------------------------- eval.c */

/* An error raised while running a state: AWS's error name ("States.Runtime", a Fail
   state's Error, a mock's) and its cause. Both malloc'd; cause may be NULL. */
struct rt_error {
  char *error;
  char *cause;
};
void rt_fail(struct rt_error *e, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rt_error_free(struct rt_error *e);

/* Deterministic random numbers: the same seed gives the same MathRandom, UUID and
   retry jitter on every machine. */
struct rt_random {
  uint64_t state[2];
};
void rt_random_seed(struct rt_random *r, uint64_t seed);
uint64_t rt_random_next(struct rt_random *r);
double rt_random_unit(struct rt_random *r); /* uniform in [0, 1) */
/* A version 4 UUID (8-4-4-4-12 lowercase hex) from two of R's numbers. */
void rt_uuid(struct rt_random *r, char out[37]);

/* "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.250Z" or "...+02:00" (RFC 3339) -> ms
   since the epoch; false for anything else (interp.c, which reads Timestamp fields so). */
bool rt_parse_timestamp(const char *s, int64_t *ms);

/* Workflow variables: one frame per States scope (the top level, a Parallel branch,
   a Map iteration); a lookup walks outward. values is an object. */
struct rt_vars {
  json_t *values;
  const struct rt_vars *outer;
};
json_t *rt_var_get(const struct rt_vars *v, const char *name); /* borrowed, or NULL */

/* What a path, an intrinsic or a template reads. */
struct rt_scope {
  json_t *input;              /* $ */
  json_t *context;            /* $$ */
  const struct rt_vars *vars; /* $name */
  struct rt_random *random;   /* States.MathRandom, States.UUID */
};

/* V as AWS prints JSON in causes and history events (Jackson: compact, no spaces). */
char *rt_json_text(const json_t *v);
/* LEN bytes of UTF-8 in UTF-16 code units: Java's String.length, which AWS's limits and
   JSONPath's size count. */
size_t rt_utf16_length(const char *s, size_t len);

/* Regular expressions in Java's dialect (java.util.regex.Pattern: AWS's JSONPath filters
   go through Jayway, which compiles =~ /re/flags with it), run by PCRE2, whose syntax is
   close to Java's: UTF mode, Java's line terminators for '.', '^' and '$' (CR, LF, CRLF,
   U+0085, U+2028, U+2029), \uhhhh. FLAGS are Pattern's letters as Jayway reads them
   after the closing slash (d i x m s u U; others ignored; NULL for none). NULL with *why
   (PCRE2's message and where) when PATTERN is not valid. Free with pcre2_code_free. */
pcre2_code *rt_regex_compile(const char *pattern, size_t len, const char *flags, char **why);
/* pcre2_match of RE on SUBJECT (LEN bytes, valid UTF-8) from START, within the runtime's
   limits on steps, depth and memory, so a catastrophic pattern ends in an error quickly
   instead of running away. WHOLE: only a match of all of SUBJECT from START counts
   (Java's Matcher.matches()). MD: for the caller's captures, or NULL. Gives pcre2_match's
   result: >= 0 matched (0: MD holds fewer pairs than the captures), PCRE2_ERROR_NOMATCH;
   any other (negative) result sets *why. */
int rt_regex_match(const pcre2_code *re, const char *subject, size_t len, size_t start, bool whole,
                   pcre2_match_data *md, char **why);

/* Evaluates the payload template TMPL (Parameters, ResultSelector, ItemSelector,
   ItemReader/ResultWriter Parameters, BatchInput, JSONPath Assign): every key ending
   in ".$", at any depth, loses the suffix and takes the value of its path or
   intrinsic. false with *err set (States.Runtime for a path that selects nothing,
   with AWS's cause, without the "An error occurred while executing the state ..."
   prefix, which interp.c adds). */
bool rt_template(json_t *tmpl, const struct rt_scope *s, json_t **out, struct rt_error *err);

/* ---------------------------------------------------------------- jsonpath.c */

/* Evaluates PATH ("$", "$.a[0]", "$$.Execution.Id", "$var.x", "$..b", "$.a[?(@.n > 1)]")
   over S. A definite path gives its one value; an indefinite one (wildcard, filter,
   slice, union, deep scan) gives an array of every match, possibly empty. false when
   a definite path selects nothing, a variable has no value, or PATH is not valid; *why
   then says so in AWS's words (e.g. "No results for path: $['x']"). */
bool rt_path_get(const char *path, const struct rt_scope *s, json_t **out, char **why);
/* The same, and *LIMIT when the path failed on one of our bounds (its steps, a regular
   expression's work) rather than selecting nothing: a template then says why instead of
   "could not be found". */
bool rt_path_eval(const char *path, const struct rt_scope *s, json_t **out, char **why, bool *limit);

/* Puts VALUE (stolen) at the reference path REF of *DOC, as ResultPath does: "$"
   replaces *DOC, missing objects on the way are created. false with *why when a step
   is not an object. */
bool rt_path_set(json_t **doc, const char *ref, json_t *value, char **why);

/* ---------------------------------------------------------------- intrinsics.c */

/* Evaluates one intrinsic call, e.g. "States.Format('{} {}', $.a, States.UUID())".
   false with *err set as AWS raises it (States.IntrinsicFailure or States.Runtime). */
bool rt_intrinsic(const char *call, const struct rt_scope *s, json_t **out, struct rt_error *err);
/* The same for the template field FIELD ("value.$"), which AWS names in the cause when a
   path argument selects nothing. */
bool rt_intrinsic_in(const char *call, const char *field, const struct rt_scope *s, json_t **out,
                     struct rt_error *err);

/* ---------------------------------------------------------------- interp.c */

/* One call of a Task (or a Map's ItemReader / ResultWriter) for a mock to answer. */
struct rt_task_call {
  const char *state;      /* the state's name */
  const char *resource;   /* its Resource, or the ItemReader/ResultWriter Resource */
  json_t *parameters;     /* the effective input: after InputPath and Parameters */
  json_t *context;        /* $$ at the call */
  int call_index;         /* 0 for the first call of this state in the execution */
  int64_t now_ms;         /* virtual time of the call */
  int64_t *duration_ms;   /* out: how long the task ran, in virtual time (0 unless the
                             answer sets it): a Task's TimeoutSeconds/HeartbeatSeconds
                             and the execution's TimeoutSeconds see it */
};

/* Answers a task call: true with *result, or false with *err (the task failed with
   that error, for Retry and Catch to handle). A task without an answer sets *err to
   States.Runtime naming the state, so the run stops and says so. */
typedef bool rt_task_fn(void *ctx, const struct rt_task_call *call, json_t **result,
                        struct rt_error *err);

/* What a run visited, for coverage: every state entered, the Choice rule (index, or
   -1 for Default) taken, the Catcher (index) that caught, every transition. */
enum rt_step_kind { RT_STEP_ENTER, RT_STEP_CHOICE, RT_STEP_CATCH, RT_STEP_RETRY, RT_STEP_NEXT };
struct rt_step {
  enum rt_step_kind kind;
  const char *state;
  int index;          /* CHOICE: the rule, -1 Default; CATCH and RETRY: the catcher or retrier */
  const char *next;   /* NEXT: the state it goes to */
};
typedef void rt_step_fn(void *ctx, const struct rt_step *step);

struct rt_options {
  uint64_t seed;
  const char *state_machine_name; /* default "StateMachine" */
  const char *execution_name;     /* default "local" */
  const char *account, *region;   /* the ARNs in the context object: default
                                     123456789012, us-east-1 */
  const char *partition;          /* default aws */
  int64_t start_ms;               /* virtual start time, ms since the epoch; 0 is
                                     2024-01-01T00:00:00Z */
  rt_task_fn *task;
  void *task_ctx;
  rt_step_fn *step;
  void *step_ctx;
  bool history;                   /* keep the events in rt_result.history */
  long max_events;                /* AWS's history quota: 25000 when 0 */
};

enum rt_status { RT_SUCCEEDED, RT_FAILED, RT_TIMED_OUT, RT_ABORTED };

struct rt_result {
  enum rt_status status;
  json_t *output;        /* SUCCEEDED */
  struct rt_error error; /* FAILED, TIMED_OUT */
  json_t *history;       /* array of GetExecutionHistory events, when asked for: each
                            {timestamp, type, id, previousEventId, <type>EventDetails}
                            as the API returns them (input/output as JSON text,
                            timestamps ISO-8601 in virtual time) */
  int64_t duration_ms;   /* virtual */
};

/* Runs DEFINITION (a parsed ASL document, checked or not) on INPUT. true when the run
   finished (in any status); false with r->error set when the definition cannot run. */
bool rt_execute(json_t *definition, json_t *input, const struct rt_options *o,
                struct rt_result *r);
void rt_result_free(struct rt_result *r);

/* AWS's TestState API: REQUEST has TestState's fields (definition, stateName, input,
   variables, mock, inspectionLevel, context, stateConfiguration); the answer has its
   response's (status, output, error, cause, nextState, inspectionData), with output and
   the inspectionData values as JSON text, as the API returns them. The request's
   JSON fields (definition, input, variables, context, mock.result) may be JSON text or
   JSON values. */
json_t *rt_test_state(json_t *request, const struct rt_options *o);

/* ---------------------------------------------------------------- mocks.c */

/* A MockConfigFile (Step Functions Local's format) and sfc's additions; see mocks.c. */
struct rt_mocks;
struct rt_mocks *rt_mocks_load(json_t *config, const char *file, char **why);
void rt_mocks_free(struct rt_mocks *m);
/* Chooses the test case: CASE_NAME of state machine MACHINE; false with *why. */
bool rt_mocks_select(struct rt_mocks *m, const char *machine, const char *case_name, char **why);
rt_task_fn rt_mocks_task; /* ctx is a struct rt_mocks * */
/* Whether the selected test case or a Resources entry has a response for CALL. */
bool rt_mocks_answers(const struct rt_mocks *m, const struct rt_task_call *call);

/* ---------------------------------------------------------------- run.c */

/* The commands `sfc run ARGS` and `sfc test-state ARGS` (ARGV: what follows the
   command's word); each returns the process's exit code (run.c lists them). */
int rt_cmd_run(int argc, char **argv);
int rt_cmd_test_state(int argc, char **argv);
/* ---------------------------------------------------------------- chain.c */

/* `sfc simulate FILE.sf ...` (chain.c lists its exit codes). */
int rt_cmd_simulate(int argc, char **argv);

/* A simulation of the program's event-driven system (chain.c says how it runs). A task
   that is not PutEvents goes to TASK, as an rt_task_fn of an execution of WORKFLOW (an
   index into model.workflows), and names in *ANSWER how it answered ("mock", "none"),
   for the tree. */
typedef bool rt_sim_task_fn(void *ctx, int workflow, const struct rt_task_call *call, json_t **result,
                            struct rt_error *err, const char **answer);
struct rt_sim_options {
  uint64_t seed;                   /* execution names, event ids, each execution's seed */
  int64_t start_ms;                /* the virtual start; 0 is 2024-01-01T00:00:00Z, as for
                                      rt_execute */
  int64_t until_ms;                /* the horizon: schedules fire up to it, later deliveries
                                      are dropped; < 0: none (and no schedule fires) */
  long max_executions;             /* executions past it are not started */
  const char *account, *region, *partition; /* NULL: 123456789012, us-east-1, aws */
  bool why;                        /* record the rules an event did not match, and why */
  rt_sim_task_fn *task;
  void *task_ctx;
};
struct rt_sim_result {
  json_t *chain;                   /* the tree: the caller frees it */
  long executions, not_succeeded, undelivered;
  bool bound;                      /* an execution was refused at max_executions */
};
struct model;
/* Puts EVENTS (borrowed; each one that rt_sim_event_problem accepts) on BUSES (a name
   or an ARN each) at the start, and runs everything that follows. */
void rt_simulate(const struct model *m, json_t *const *events, const char *const *buses, int nevents,
                 const struct rt_sim_options *o, struct rt_sim_result *r);
/* Why V is no event ("has no \"source\" string", ...), or NULL. */
const char *rt_sim_event_problem(const json_t *v);

/* What the runtime's commands share (run.c, chain.c, event.c). */
/* A --seed value: a whole number from 0. */
bool rt_parse_seed(const char *s, uint64_t *seed);
/* A JSON value given as text or as @FILE (@- standard input); NULL after saying why,
   with *status EXIT_IO (unreadable) or EXIT_USAGE (not JSON). OPTION names it. */
json_t *rt_json_arg(const char *option, const char *arg, int *status);
/* ARGV[*I] is option NAME, alone or as NAME=VALUE. */
bool rt_is_option(const char *a, const char *name);
/* The value of option NAME at ARGV[*I] ("--x V", advancing *I, or "--x=V"); NULL when
   missing. */
const char *rt_option_value(int argc, char **argv, int *i, const char *name);
/* The value -D gave NAME, or OTHERWISE. */
struct options;
struct compilation;
struct model;
const char *rt_define_value(const struct options *o, const char *name, const char *otherwise);
/* Compiles the .sf or ASL file PATH in memory into *MODEL, checks and all (C holds it:
   the caller frees it with compilation_free), printing the diagnostics; returns the
   file's text for the caller to free once done with C, or NULL (*status EXIT_IO).
   *STATUS is EXIT_OK when it compiled. */
/* The mock file PATH loaded (*CONFIG holds its JSON, for the caller to free after the
   mocks); NULL after saying why, with *status EXIT_IO or EXIT_USAGE. */
struct rt_mocks *rt_load_mocks(const char *path, json_t **config, int *status);
char *rt_compile_file(const char *path, struct options *opts, struct compilation *c,
                      struct model *model, int *status);

#endif
