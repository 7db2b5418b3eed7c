/* interp.h: what the files of the interpreter share (interp.c, states.c, map.c,
 * teststate.c): one execution (struct exec), one visit of a state (struct visit),
 * TestState's inspection, and the helpers each state type uses. Not part of the
 * runtime's interface, which is runtime.h.
 */
#ifndef SFC_INTERP_H
#define SFC_INTERP_H

#include "runtime.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* AWS's quotas and defaults (service-quotas.html, concepts-error-handling.html). */
#define PAYLOAD_LIMIT 262144          /* 256 KiB: state input/output, task result */
#define HISTORY_QUOTA 25000           /* events in one execution's history */
#define TASK_TIMEOUT_DEFAULT 99999999 /* seconds, when a Task sets none */
#define INLINE_MAP_SLOTS 40           /* an inline Map runs at most 40 iterations at once */
#define DISTRIBUTED_MAP_SLOTS 10000   /* a Map Run's child executions at once */
/* The virtual clock starts here when rt_options.start_ms is 0: 2024-01-01T00:00:00Z. */
#define DEFAULT_START_MS INT64_C(1704067200000)
/* Parallel and Map nest by recursion; hostile definitions must not exhaust the C
   stack. AWS documents no limit; 40 levels is far beyond any real workflow. */
#define MAX_NESTING 40

/* What a States block is: the machine, a Parallel branch, a Map iteration (or a
   Distributed Map's child execution). */
enum block_kind { BLOCK_MACHINE, BLOCK_BRANCH, BLOCK_ITERATION };

enum outcome {
  RUN_OK,    /* the state (or block) finished: a next state, or the end */
  RUN_ERROR, /* it failed with an error that Retry and Catch may handle */
  RUN_STOP,  /* the run is over (quota, timeout): unwind */
};

struct exec {
  const struct rt_options *o;
  struct rt_random random;
  int64_t now; /* the virtual clock, ms since the epoch */
  int64_t start;
  int64_t deadline; /* the execution's TimeoutSeconds, or 2^62 ms (none) */
  int64_t horizon;  /* when a failed Parallel branch ends its siblings, or 2^62 ms */
  bool aborted;     /* the branch running now passed the horizon: unwind it */
  long events;      /* events so far: ids count even when history is not kept */
  long max_events;
  int64_t *times;   /* times[id - 1]: when each event happened */
  size_t times_cap;
  json_t *history; /* array, or NULL */
  json_t *base;    /* $$ without State, Map and Task: Execution, StateMachine; NULL
                      until ip_base builds it when make_base is set (a Distributed
                      Map's child execution, most of whose states never read $$) */
  json_t *(*make_base)(struct exec *x, void *arg);
  void *base_arg;
  json_t *calls;   /* state name -> task calls so far (rt_task_call.call_index) */
  const char *partition, *region, *account, *machine_name;
  char *machine_arn;
  int depth;
  bool test_state;      /* TestState: causes have no "An error occurred ..." prefix */
  bool fixed_context;   /* TestState's request gave $$: use it as it is */
  bool machine_jsonata; /* the top-level QueryLanguage is JSONata */
  bool stopped;
  bool quota_hit; /* the history quota stopped the run (a child's, in a Distributed Map) */
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
  struct rt_vars *vars;   /* the frame the state reads and assigns */
  long *prev;             /* the previous event of this branch or iteration */
  json_t *map_item;       /* TestState and ItemSelector: $$.Map.Item, or NULL */
  struct inspection *ins; /* TestState's inspectionData, or NULL */
  bool work_failed;       /* a Map's iterations or a Parallel's branches failed: the
                             state's Failed event is due unless it is retried */
  bool heartbeat_expired; /* the States.Timeout is a missed heartbeat */
  int reads_context;      /* 0 not yet known, 1 the state's own fields never name $$, 2 they may */
  bool jsonata;           /* the state's QueryLanguage is JSONata */
};

/* What TestState reports about one state (inspectionData). */
struct inspection {
  json_t *data; /* object: input, afterInputPath, ... */
  int retry_index, catch_index;
  int64_t retry_delay_s;
  const char *mock_error, *mock_cause;
  bool mocked;
  json_t *mock_result;
  int map_failures;       /* stateConfiguration.mapIterationFailureCount */
  int retries_done;       /* stateConfiguration.retrierRetryCount, or -1 */
  json_t *reader_data;    /* stateConfiguration.mapItemReaderData */
  bool retriable;         /* a retrier matched: TestState reports RETRIABLE */
  struct rt_error caught; /* a catcher took this error: CAUGHT_ERROR */
};

/* ---------------------------------------------------------------- interp.c */

char *ip_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *ip_get_str(json_t *o, const char *key);
bool ip_is(const char *a, const char *b);
bool ip_ends_with(const char *s, const char *suffix);
char *ip_value_text(const json_t *v);
json_t *ip_json_text(const json_t *v);
void ip_set_error(struct rt_error *e, const char *error, const char *cause);
char *ip_iso_time(int64_t ms);
bool ip_parse_time(const char *s, int64_t *ms, int *ns);
long ip_event(struct exec *x, long *prev, const char *type, const char *key, json_t *details);
bool ip_advance(struct exec *x, long *prev, int64_t ms);
void ip_order_events(struct exec *x, long first, struct rt_error *err);
void ip_state_fail(struct visit *s, struct rt_error *err, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ip_state_wrap(struct visit *s, struct rt_error *err);
size_t ip_json_size(const json_t *v, size_t limit);
bool ip_payload_too_big(const json_t *v);
void ip_data_limit(struct visit *s, struct rt_error *err, const char *who);
json_t *ip_base(struct exec *x);
json_t *ip_context_of(struct visit *s);
json_t *ip_context_for_paths(struct visit *s);
void ip_scope_of(struct visit *s, struct rt_scope *sc, json_t *input, json_t *context);
/* FIELD of OBJ, or what its FIELDPath selects in INPUT (TimeoutSeconds, MaxConcurrency,
   ...): *v NULL when OBJ sets neither, *path the path when it was read through one.
   false with *err (States.Runtime) when the path selects nothing. */
bool ip_field_or_path(struct visit *s, json_t *obj, const char *field, json_t *input, json_t **v,
                      const char **path, struct rt_error *err);
bool ip_apply_path(struct visit *s, const char *field, json_t *doc, json_t **out,
                   struct rt_error *err);
bool ip_apply_template(struct visit *s, json_t *tmpl, json_t *input, json_t **out,
                       struct rt_error *err);
bool ip_apply_result_path(struct visit *s, json_t *rp, json_t *raw, json_t *result, json_t **out,
                          struct rt_error *err);
bool ip_apply_assign(struct visit *s, json_t *assign, json_t *input, json_t **assigned,
                     struct rt_error *err);
void ip_inspect(struct visit *s, const char *key, json_t *value);
bool ip_finish_result(struct visit *s, json_t *raw, json_t *result, json_t **out, json_t **assigned,
                      struct rt_error *err);
bool ip_uncatchable(const char *error);

/* JSONata states. $states for S: {input, context} and RESULT and ERROR_OUTPUT when
   given (borrowed; NULL leaves them out). */
json_t *ip_states_var(struct visit *s, json_t *input, json_t *result, json_t *error_output);
/* Whether V is a JSONata expression string, "{% ... %}" exactly. */
bool ip_is_expression(const json_t *v);
/* V (a state's field) with every "{% expr %}" string in it evaluated over STATES and
   the workflow variables; FIELD names it in causes ("Output", "Arguments/a[0]").
   false with *err (States.QueryEvaluationError, and its EvaluationFailed event). */
bool ip_jsonata(struct visit *s, const char *field, json_t *v, json_t *states, json_t **out,
                struct rt_error *err);
/* A States.QueryEvaluationError of S at the field LOCATION, with its EvaluationFailed event. */
void ip_query_error(struct visit *s, struct rt_error *err, const char *location, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A JSONata state's Assign and Output, both over STATES and the variables as they were,
   from HOLDER (the state, a Choice rule, a Catcher; PREFIX names it: "", "Choices[0]/").
   *out is DEFAULT without Output; Assign is committed after both. */
bool ip_jsonata_finish(struct visit *s, json_t *holder, const char *prefix, json_t *states,
                       json_t *dflt, json_t **out, json_t **assigned, struct rt_error *err);
/* A States.QueryEvaluationError for the expression EXPR of FIELD, whose value V is not
   of the type EXPECTED ("array", "boolean"). */
void ip_unexpected_type(struct visit *s, struct rt_error *err, const char *field, json_t *expr,
                        const char *expected, json_t *v);
/* The values of an Assign, already evaluated, committed to S's frame. VALUES stolen. */
bool ip_commit_assign(struct visit *s, json_t *values, json_t **assigned, struct rt_error *err);
void ip_step(struct exec *x, enum rt_step_kind kind, const char *state, int index,
             const char *next);
enum outcome ip_run_state(struct exec *x, const char *name, json_t *def, json_t *input,
                          struct rt_vars *vars, long *prev, bool machine_jsonata, json_t **out,
                          const char **next, struct rt_error *err, struct inspection *ins);
enum outcome ip_run_block(struct exec *x, enum block_kind kind, json_t *block, json_t *input,
                          struct rt_vars *vars, long *prev, json_t **out, struct rt_error *err);
void ip_exec_init(struct exec *x, json_t *definition, json_t *input, const struct rt_options *o);
void ip_exec_free(struct exec *x);

/* ---------------------------------------------------------------- states.c */

enum outcome ip_do_choice(struct visit *s, json_t *input, json_t **out, const char **next,
                          json_t **assigned, struct rt_error *err);
enum outcome ip_do_pass(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                        struct rt_error *err);
enum outcome ip_do_succeed(struct visit *s, json_t *input, json_t **out, struct rt_error *err);
enum outcome ip_do_fail(struct visit *s, json_t *input, struct rt_error *err);
enum outcome ip_do_wait(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                        struct rt_error *err);
char *ip_make_uuid(struct exec *x);
bool ip_call_task(struct visit *s, const char *resource, json_t *params, json_t *ctx,
                  json_t **result, int64_t *duration, struct rt_error *err);
enum outcome ip_do_task(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                        struct rt_error *err);
enum outcome ip_do_parallel(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                            struct rt_error *err);

/* ---------------------------------------------------------------- map.c */

enum outcome ip_do_map(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                       struct rt_error *err);

/* ---------------------------------------------------------------- teststate.c */

json_t *ip_find_state(json_t *block, const char *name, int depth);

#endif
