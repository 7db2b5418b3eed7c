/* sfc.h: the one internal header of the sfc compiler.
 *
 * The pipeline (main.c calls the phases in this order):
 *   frontend.c  run the flex scanner and bison parser over a file   -> AST
 *   check.c   names, sequencing, paths, values, per-state rules    -> resolved AST
 *   emit_asl.c  one ASL document (Jansson) per workflow
 *   iam.c     each workflow's IAM grants, printed by emit_iam.c and emit_explain.c
 *   output.c  write every output file atomically
 * Beside it: fmt.c lays a file's tokens out again (sfc fmt), import.c turns ASL into a
 * program (sfc import), sftest.c runs test blocks.
 *
 * Ownership, stated once: every AST node, string and table of a compilation lives
 * in one arena (struct arena) and is freed with it, never one by one. Jansson values
 * appear only at the emitter boundary; whoever builds a json_t releases it after
 * writing it. Locations are byte offsets into the file's text; diag.c turns them into
 * line and column only when it prints.
 */
#ifndef SFC_H
#define SFC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SFC_VERSION "0.1.0"

/* ---------------------------------------------------------------- util.c */

struct arena {
  struct arena_block *blocks;
};
void *arena_alloc(struct arena *a, size_t size); /* zeroed */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);
#define NEW(arena, type) ((type *)arena_alloc((arena), sizeof(type)))

/* A growable byte buffer on the heap (not the arena): used for text being built. */
struct buf {
  char *data;
  size_t len, cap;
};
void buf_add(struct buf *b, const char *s, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_add_utf8(struct buf *b, unsigned long code_point); /* as UTF-8 */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);

/* A string-keyed hash table with open addressing; keys are not copied. */
struct table {
  const char **keys;
  void **values;
  size_t cap, count;
};
void *table_get(const struct table *t, const char *key);
void table_put(struct table *t, const char *key, void *value); /* replaces */
void table_free(struct table *t);

/* One well-formed UTF-8 sequence at S (at most LEN bytes): its length, and its code
   point in *CP when CP is not NULL; 0 when the bytes are not one (overlong forms,
   surrogates, values past U+10FFFF, a sequence cut short). */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Code points in LEN bytes of valid UTF-8: AWS counts names in characters. */
size_t utf8_count(const char *s, size_t len);

void *xmalloc(size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n); /* the first N bytes of S */
/* A heap string formatted from AP; the caller frees it. */
char *xvasprintf(const char *fmt, va_list ap);
void *xrealloc(void *p, size_t n);
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Proleptic Gregorian dates (month 1..12) and days since 1970-01-01, both ways (the
   runtime's timestamps and the schedules' calendar), and the days in a month. */
int64_t rt_days_from_civil(int64_t y, int m, int d);
void rt_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
int days_in_month(int year, int month);

/* ---------------------------------------------------------------- diag.c */

struct loc {
  int file;       /* index into diag's file table */
  int start, end; /* byte offsets, end exclusive */
};

struct source {
  const char *name; /* as given on the command line, "<stdin>" for - */
  const char *text; /* NUL-terminated copy of the file */
  size_t len;
  int *line_starts; /* byte offset of each line's first byte */
  int nlines;
};

enum severity { SEV_ERROR, SEV_WARNING, SEV_NOTE };

/* Every warning has a name, so `-Wno-NAME` can turn it off (diag.c's table says what
   each one is about; README.md lists them). */
enum warning {
  W_NONE = -1,
  W_LAMBDA_RETRY, W_NO_OTHERWISE, W_EMIT_INPUT, W_LITERAL_PATH, W_UNKNOWN_ERROR,
  W_NO_TASK_TOKEN, W_CREDENTIALS_PATH, W_NEVER_FIRES, W_SELF_TRIGGER, W_PATTERN_QUOTA,
  W_NUMERIC_MATCH, W_ANYTHING_BUT, W_JSONATA_TEXT, W_JSONPATH_KEY, W_PATH_SPACE,
  W_INLINE_TOLERANCE, W_REPLACES_CONFIG, W_UNKNOWN_SDK_SERVICE, W_JSONATA_VARIABLE, W_ZERO_WAIT,
  W_COUNT
};
/* The warning's name ("lambda-retry"), or NULL. */
const char *warning_name(enum warning w);
/* The warning called NAME, or W_NONE. */
enum warning warning_named(const char *name);
/* "lambda-retry, no-otherwise, ..." for messages and --help. */
const char *warning_names(void);

struct diagnostic {
  enum severity severity;
  enum warning warning; /* W_NONE unless a warning */
  struct loc loc;
  bool has_loc;
  char *message;
};

struct diag {
  struct source *files;
  int nfiles;
  struct diagnostic *list;
  int count, cap;
  int errors, warnings;
  int syntax_errors; /* lexical and syntax errors: graph checks are skipped after them */
  bool werror;       /* warnings count as errors */
  bool disabled[W_COUNT]; /* -Wno-NAME: these are not reported */
  bool stopped;      /* the error cap was reached; later errors are dropped */
};

#define DIAG_MAX_ERRORS 50

int diag_add_file(struct diag *d, const char *name, const char *text, size_t len);
void diag_error(struct diag *d, struct loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *d, enum warning w, struct loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_note(struct diag *d, struct loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_error_noloc(struct diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_note_noloc(struct diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_line_col(const struct diag *d, int file, int offset, int *line, int *col);
void diag_print_text(const struct diag *d, FILE *out);
void diag_print_json(const struct diag *d, FILE *out);
void diag_print_sarif(const struct diag *d, FILE *out);
void diag_print_github(const struct diag *d, FILE *out);
bool diag_failed(const struct diag *d);
void diag_free(struct diag *d);
/* Caps what a message quotes (see diag.c); takes and returns a malloc'd string. */
char *diag_cap_message(char *msg);
/* A file name as sfc prints it: invalid UTF-8 bytes as \xNN, and with CONTROLS
   also control characters (C0, DEL, C1), so a name cannot drive the terminal.
   malloc'd. */
char *name_escape(const char *name, bool controls);
/* name_escape(NAME, true) for a message on stderr; valid until 8 later calls. */
const char *shown(const char *name);
char *read_whole_file(const char *path, size_t *len);

/* ---------------------------------------------------------------- sdk_services.c
 * Generated by scripts/gen-sdk-services: the service names of aws-sdk:SERVICE:ACTION. */
bool sdk_service_known(const char *name);
extern const char sdk_services_source[]; /* "the N services of aws-sdk V" */

/* ---------------------------------------------------------------- timezones.c
 * Generated by scripts/gen-timezones: the IANA zone and link names of a tzdata. */
bool timezone_known(const char *name);

/* ---------------------------------------------------------------- ast.c
 * The syntax tree. Lists are singly linked through `next` in source order. */

/* A string literal; `parts` is NULL unless it contains ${name} interpolations. */
struct str_part {
  bool is_ref;     /* ${name}: text is the name */
  const char *value; /* check.c: what a ${name} stands for */
  const char *text;
  size_t len;
  struct loc loc;
  struct str_part *next;
};
struct str {
  struct loc loc;
  const char *text; /* decoded text; for an interpolated string, set by check.c */
  size_t len;
  struct str_part *parts;
  bool resolved_ok; /* check.c: interpolation gave a final text */
};

enum value_kind {
  V_NULL, V_BOOL, V_INT, V_REAL, V_STRING, V_PATH, V_CALL, V_OBJECT, V_ARRAY,
  V_JSONATA /* {% expression %}: text is the expression, trimmed */
};
struct member;
struct value {
  enum value_kind kind;
  struct loc loc;
  bool boolean;
  long long integer;
  double real;
  struct str *string;       /* V_STRING */
  const char *text;         /* V_PATH: the path; V_CALL: the function name as written;
                               V_JSONATA: the expression without its delimiters */
  const char *written;      /* V_JSONATA: with its delimiters and spaces, as written */
  size_t len;
  struct value *items;      /* V_ARRAY items, V_CALL arguments */
  struct member *members;   /* V_OBJECT */
  struct value *next;
};
struct member {
  const char *key;
  struct loc key_loc;
  struct value *value;
  struct member *next;
};

enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
enum type_test { IS_PRESENT, IS_NULL, IS_STRING, IS_NUMBER, IS_BOOLEAN, IS_TIMESTAMP };
enum cast_kind { CAST_NONE, CAST_STRING, CAST_NUMBER, CAST_BOOLEAN, CAST_TIMESTAMP };
enum cond_kind { C_AND, C_OR, C_NOT, C_COMPARE, C_MATCHES, C_IS, C_JSONATA };
struct cond {
  enum cond_kind kind;
  struct loc loc;
  struct cond *left, *right;  /* C_AND, C_OR; C_NOT uses left; `and (A, B)`: left is A */
  bool grouped;               /* `and (A, B, ...)`: one And of exactly these, linked by next */
  struct cond *next;          /* the next item of a grouped list */
  struct str *comment;        /* an item of a grouped list: its Comment */
  struct value *path;         /* the tested path */
  enum cmp_op op;
  enum cast_kind cast;        /* C_COMPARE: right side written as cast(...) */
  struct value *operand;      /* C_COMPARE right side, C_MATCHES pattern */
  enum type_test test;
  bool negated;               /* `is not ...` */
};

/* A name as written: identifier or quoted string. */
struct name {
  const char *text;
  struct loc loc;
};

enum option_kind {
  OPT_FROM, OPT_WITH, OPT_SELECT, OPT_INTO, OPT_OUTPUT, OPT_TIMEOUT, OPT_HEARTBEAT,
  OPT_RETRY, OPT_CATCH, OPT_COMMENT, OPT_CALLBACK, OPT_ERROR, OPT_CAUSE,
  OPT_JUMP, OPT_END, OPT_SUBJECT, OPT_SYNC, OPT_KEY, OPT_ITEM, OPT_GROUP, OPT_DEDUP,
  OPT_DELAY, OPT_CONNECTION, OPT_ON, OPT_ATTRIBUTES, OPT_CREDENTIALS, OPT_ASSIGN, OPT_ASL,
  OPT_RESOURCES, OPT_OVER, OPT_AS, OPT_CONCURRENCY, OPT_DISTRIBUTED, OPT_READER, OPT_BATCH,
  OPT_WRITER, OPT_TOLERATE_PERCENT, OPT_TOLERATE_COUNT, OPT_LABEL, OPT_QUERY, OPT_INLINE, OPT_LEGACY,
  OPT_COUNT /* the number of kinds */
};

struct error_name {   /* one entry of a retry/catch error list */
  const char *text;   /* "States.ALL" for `any` */
  struct loc loc;
  struct error_name *next;
};

struct retry_field { /* one `every 2s`, `attempts 3`, ... of a retry */
  int kind;          /* RETRY_EVERY ... */
  struct loc loc;
  long long integer;
  double real;
  struct retry_field *next;
};
enum { RETRY_EVERY, RETRY_ATTEMPTS, RETRY_BACKOFF, RETRY_MAX_DELAY, RETRY_JITTER };

struct name_list { /* `on` targets: declared names or quoted ARNs */
  struct name name;
  bool quoted;
  struct str *string;
  struct name_list *next;
};

struct option {
  enum option_kind kind;
  struct loc loc;             /* the whole option */
  struct value *value;        /* from/with/select/into/output/timeout/heartbeat/error/cause/
                                 subject; a catch's `into` */
  bool nothing;               /* `into nothing`, `from nothing`, catch `into nothing` */
  bool has_into;              /* catch: an `into` was given */
  long long seconds;          /* timeout/heartbeat given as a duration */
  bool is_duration;
  struct str *text;           /* comment */
  struct error_name *errors;  /* retry/catch */
  struct retry_field *fields; /* retry */
  struct name target;         /* catch, jump, `as NAME`, `connection`/`credentials` role */
  struct name_list *names;    /* `on A, "arn", ...` */
  struct str *text2;          /* `connection "arn"`, `label "x"` */
  struct value *assign;       /* a catch's `assign { }` */
  struct value *output;       /* a catch's `output` (JSONata) */
  bool express;               /* `distributed express` */
  struct state *target_state; /* catch: resolved by check.c */
  struct option *next;
};

enum state_kind {
  S_TASK, S_PASS, S_WAIT, S_CHOICE, S_PARALLEL, S_SUCCEED, S_FAIL, S_MAP
};
enum task_kind {
  T_INVOKE, T_ACTIVITY, T_RESOURCE, T_EMIT, T_PUBLISH, T_SEND, T_GET, T_PUT, T_UPDATE,
  T_DELETE, T_START, T_CALL, T_HTTP, T_RUN_ECS, T_RUN_GLUE, T_RUN_BATCH,
  T_RESOURCE_LAMBDA /* task N resource FUNCTION: the function's ARN as the Resource */
};
enum wait_kind { W_SECONDS, W_SECONDS_PATH, W_UNTIL, W_UNTIL_PATH };

struct emit_entry {
  struct name event;
  struct value *detail;         /* `with` of this entry, or NULL */
  struct decl *decl;            /* check.c */
  struct emit_entry *next;
};

struct state;
struct block {
  struct state *first;
};

struct rule { /* one `when` (cond set) or `otherwise` (cond NULL) of a choice */
  struct loc loc;
  struct cond *cond;
  struct name target;     /* `-> Target`; text NULL when inline */
  struct value *assign;   /* `assign { }` after the rule */
  struct value *output;   /* JSONata: the rule's Output */
  struct str *comment;    /* the rule's Comment */
  struct block body;      /* inline block */
  bool inline_block;
  struct state *next_state; /* resolved by check.c: where the rule goes */
  struct rule *next;
};

struct branch { /* one branch of a parallel */
  struct loc loc;
  const char *name;       /* `branch NAME { }`; NULL for a one-state branch */
  struct block body;
  struct state **order;   /* check.c: the branch's states in emission order */
  bool is_map;            /* the iteration body of a map */
  struct state *owner;    /* check.c: the parallel or map state it belongs to */
  int nstates;
  struct branch *next;
};

struct workflow;
struct decl;
struct state {
  enum state_kind kind;
  struct name name;
  struct loc loc;               /* the head: kind keyword to name */
  enum task_kind task;
  struct name target;           /* invoke/activity/publish resource, emit event */
  struct str *resource;         /* task ... resource "arn", call "service:Action", http URL */
  struct name method;           /* http METHOD, run ecs|glue|batch */
  struct emit_entry *entries;   /* emit E1 [with V1], E2 ... */
  struct value *result;         /* pass = VALUE */
  enum wait_kind wait;
  long long wait_seconds;
  struct loc wait_loc;          /* the duration of `wait N 30s` */
  struct value *wait_value;     /* path or until string */
  struct rule *rules;           /* choice */
  struct branch *branches;      /* parallel */
  struct option *options;
  struct state *next;           /* next statement in the same block */

  /* Filled by check.c. */
  struct branch *scope;         /* the parallel branch that holds it; NULL at top level */
  struct state *next_state;     /* ASL Next */
  bool is_end;                  /* ASL End: true */
  bool reachable;
  bool named;                   /* written with a name (emit may default it) */
  bool reachable_vars;          /* check.c: the variable flow has visited it */
  bool jsonata;                 /* check.c: the state's query language is JSONata */
  struct option *opt[OPT_COUNT]; /* the single options by kind */
  struct decl *target_decl;     /* the resource or event named by target */
  struct decl *target_workflow; /* `start W` of a workflow in this program */
  const struct integration *integration; /* tasks */
  struct var_set *vars_in;      /* variables some path to this state has assigned */
};

enum decl_kind { D_PARAM, D_RESOURCE, D_EVENT, D_AWS, D_WORKFLOW, D_TEST };
enum resource_kind {
  R_LAMBDA, R_ACTIVITY, R_QUEUE, R_TOPIC, R_TABLE, R_BUS, R_BUCKET, R_STATEMACHINE, R_ROLE
};

struct field { /* `keyword value` inside event { } and aws { } blocks */
  int keyword;   /* the token, e.g. TOK_SOURCE */
  struct loc loc;
  struct str *text;
  struct name ref; /* `bus NAME` */
  struct field *next;
};

/* A `where` condition of a trigger, over event fields. */
enum wcond_kind { W_AND, W_OR, W_TEST };
enum wtest_op {
  WT_EQ, WT_NE, WT_IN, WT_NOT_IN, WT_PREFIX, WT_NOT_PREFIX, WT_SUFFIX, WT_NOT_SUFFIX,
  WT_LIKE, WT_NOT_LIKE, WT_LT, WT_LE, WT_GT, WT_GE, WT_EXISTS, WT_NOT_EXISTS, WT_CIDR,
  WT_IGNORE_CASE, WT_NOT_IGNORE_CASE, WT_PREFIX_IGNORE_CASE, WT_SUFFIX_IGNORE_CASE
};
struct wcond {
  enum wcond_kind kind;
  struct loc loc;
  struct wcond *left, *right;
  struct value *field;      /* a PATH value, or V_STRING holding a shorthand name */
  enum wtest_op op;
  struct value *operand;    /* the value, list or string; NULL for exists */
};

enum trigger_kind { TR_S3, TR_SCHEDULE, TR_EVENT, TR_EVENT_FROM, TR_WORKFLOW, TR_PATTERN };
enum { TRIG_WITH, TRIG_FROM, TRIG_RETRY, TRIG_DEAD_LETTER, TRIG_DISABLED, TRIG_NAME,
       TRIG_DESCRIPTION, TRIG_TIMEZONE, TRIG_WINDOW, TRIG_DETAIL_TYPE, TRIG_BUS, TRIG_WHERE,
       TRIG_COUNT };
struct trigger_option {
  int kind;                 /* TRIG_... */
  struct loc loc;
  struct value *value;      /* with, from */
  struct str *text;         /* name, description, timezone, detail-type */
  struct name ref;          /* dead letter QUEUE, bus B */
  long long attempts, max_age; /* retry attempts N [max age D] */
  bool has_attempts, attempts_whole, has_max_age; /* attempts_whole: N has no fraction */
  long long seconds;        /* window */
  struct wcond *where;
  struct trigger_option *next;
};
struct trigger {
  enum trigger_kind kind;
  struct loc loc;           /* from `on` to the end of the head */
  struct name target;       /* bucket, event, workflow */
  struct name what;         /* s3: created|deleted|...; workflow: succeeded|failed|timed out|aborted */
  struct value *expr;       /* schedule: V_STRING with the expression; pattern: the raw pattern */
  struct str *source;       /* on event from "source" */
  struct trigger_option *options;
  struct trigger *next;

  /* check.c / triggers.c */
  struct trigger_option *opt[TRIG_COUNT];
  const char *name;         /* the rule or schedule name */
  struct decl *target_decl;
  bool scheduler;           /* an EventBridge Scheduler schedule, not a rule */
  struct value *pattern;    /* the event pattern of a rule */
  struct decl *bus;         /* `bus B`, or NULL */
  const char *bus_name;     /* the bus of an `on event E` of a custom bus, as declared */
  bool transformer;         /* `with` reads event fields: an input transformer */
  struct decl *dead_letter; /* the DLQ queue */
};

struct allowed_starter { /* allow start by ROLE */
  struct name role;
  struct decl *decl;
  struct allowed_starter *next;
};

struct workflow {
  struct name name;
  struct str *comment;
  struct loc comment_loc;
  bool express;
  struct loc type_loc;
  long long timeout;
  struct loc timeout_loc;
  bool has_timeout;
  bool has_type;
  bool jsonata;                 /* query jsonata */
  bool tracing;                 /* X-Ray tracing: for deployment, not ASL */
  const char *log_level;        /* logging ALL|ERROR|FATAL|OFF, or NULL: for deployment */
  bool log_include_data;
  bool has_query;
  struct str *version;
  struct trigger *triggers, *last_trigger;
  struct allowed_starter *starters;
  struct block body;
  struct state *body_last;      /* the parser's append point */
  struct table states;          /* name -> struct state *, every state of the workflow */
  struct state **order;         /* every state in emission order (check.c) */
  int nstates;
  struct iam_policy *iam;       /* iam.c */
};

/* A bucket's notification configuration and a queue's policy are one per resource:
   the Terraform module sets them unless the source says they are managed elsewhere. */
enum config_owner {
  OWNER_UNSAID,    /* the module sets it, and warns that it replaces any other */
  OWNER_MODULE,    /* `notifications managed` / `policy managed`: the module sets it */
  OWNER_EXTERNAL   /* `notifications external` / `policy external`: set elsewhere */
};

struct decl {
  enum decl_kind kind;
  struct name name;
  struct loc loc;
  struct value *param_default;  /* D_PARAM */
  enum resource_kind resource;  /* D_RESOURCE */
  struct str *value;            /* D_RESOURCE: name or ARN */
  struct name setting, setting_value; /* D_RESOURCE: `notifications managed` and the like */
  struct field *fields;         /* D_EVENT, D_AWS */
  struct workflow *workflow;    /* D_WORKFLOW */
  struct test *test;            /* D_TEST */
  struct decl *next;
  /* A syntax error inside it: a workflow's graph is incomplete; any other declaration is
     only its name (the parser kept what it could), and is neither checked nor used. */
  bool broken;

  /* Filled by check.c. */
  const char *arn;              /* D_RESOURCE */
  const char *url;              /* D_RESOURCE queue: its QueueUrl */
  const char *param_value;      /* D_PARAM: -D value or default, as text */
  bool param_given;
  const char *event_source, *event_detail_type; /* D_EVENT */
  const char *event_bus;        /* D_EVENT: EventBusName (the bus as declared), NULL: default */
  const char *event_bus_arn;
  bool emitted;                 /* D_EVENT: some emit in the program sends it */
  bool eventbridge_notifications; /* D_RESOURCE bucket: a trigger needs S3 -> EventBridge on */
  enum config_owner owner;      /* D_RESOURCE bucket or queue: who sets its notifications or policy */
};

/* A `test "name" { ... }` block (sfc test): its workflow, input, mocks and
   expectations, in source order. check.c resolves the names; sftest.c runs it. */
enum mock_target {
  MOCK_STATE,     /* mock STATE: that task state */
  MOCK_RESOURCE,  /* mock lambda|queue|... NAME: every task that calls the resource */
  MOCK_WORKFLOW,  /* mock workflow W: every task that starts W */
  MOCK_EVENT      /* mock event E: every emit that sends E */
};
/* One answer of a mock: `returns VALUE` or `throws ERROR [cause TEXT]`, [N times]. */
struct test_answer {
  struct value *returns;       /* NULL: it throws */
  struct error_name *error;
  struct str *cause;           /* or NULL */
  struct value *times;         /* `N times`; NULL: once, or every later call when last */
  struct test_answer *next;    /* `then` ... */
};
struct test_mock {
  struct loc loc;              /* the whole mock */
  enum mock_target target;
  enum resource_kind kind;     /* MOCK_RESOURCE */
  struct name name;            /* the state, resource, workflow or event */
  struct test_answer *answers; /* in the order they answer calls */
  struct decl *decl;           /* check.c: the resource, workflow or event */
  struct test_mock *next;
};
enum expect_kind {
  EXPECT_OUTPUT,  /* expect output VALUE */
  EXPECT_ERROR,   /* expect error NAME [cause TEXT] */
  EXPECT_PATH,    /* expect path A -> B -> C */
  EXPECT_PASSES,  /* expect passes through S */
  EXPECT_INPUT,   /* expect S input VALUE */
  EXPECT_STATE_OUTPUT, /* expect S output VALUE */
  EXPECT_CALLED,  /* expect S called with VALUE */
  EXPECT_TIMES,   /* expect S called N times */
  /* simulations (a test with `event`) */
  EXPECT_STARTED, /* expect W started [N times], expect W not started (N is 0) */
  EXPECT_ENDED    /* expect W succeeded|failed; the last kind (check.c sizes a table by it) */
};
struct test_expect {
  enum expect_kind kind;
  struct loc loc;              /* the whole expectation */
  struct value *value;         /* output, input, called with; EXPECT_TIMES, EXPECT_STARTED:
                                  N (STARTED: NULL is at least once) */
  struct error_name *error;
  struct str *cause;
  struct name state;           /* passes, input, called; the workflow of STARTED, ENDED */
  struct name status;          /* EXPECT_ENDED: succeeded or failed, as written */
  struct name_list *path;      /* EXPECT_PATH: the states in order */
  struct test_expect *next;
};
/* `event VALUE [bus BUS]` in a test: an event put on a bus at the start. */
struct test_event {
  struct value *value;
  struct loc loc;
  struct name bus;             /* a declared bus; text NULL: the default bus */
  struct test_event *next;
};
struct test {
  struct str *name;
  struct loc loc;              /* `test "name"` */
  struct name workflow;        /* loc.end 0: not written */
  struct value *input;         /* NULL: {} */
  struct test_mock *mocks, *last_mock;
  struct test_expect *expects, *last_expect;
  struct test_event *events, *last_event; /* a simulation: the events it puts on the bus */
  struct decl *workflow_decl;  /* check.c: the workflow it runs (NULL for a simulation) */
};

struct program {
  struct decl *decls;
  /* Error recovery skipped a declaration whose name is unknown: a name not found
     may be declared there, so unknown top-level names are not errors. */
  bool lost_names;
};

struct compilation;
bool name_unchecked(const struct compilation *c, const struct decl *d);
const char *resource_kind_name(enum resource_kind k);
const char *state_kind_name(enum state_kind k);
const char *option_name(enum option_kind k);

/* ---------------------------------------------------------------- integrations.c */

enum { PATTERN_CALLBACK = 1, PATTERN_SYNC = 2, PATTERN_SYNC2 = 4 };
/* One permission a task needs: ACTIONS (space-separated, one service) on RESOURCES
   (space-separated patterns, expanded by iam.c), always or only when it runs `sync`.
   With CONDITIONS ("Operator key pattern" triples) it is the state's own statement,
   its Sid the state's name and SID. */
enum { IAM_ALWAYS, IAM_SYNC };
struct iam_need {
  int when;
  const char *actions;
  const char *resources;
  const char *conditions;
  const char *sid;
};
#define IAM_NEEDS 5
struct integration {
  enum task_kind task;
  const char *verb;            /* as written: "invoke", "run ecs" */
  const char *service_action;  /* Resource arn:aws:states:::<this>; NULL: from the target */
  int target_kind;             /* the enum resource_kind the target must be, or -1 */
  unsigned patterns;           /* what `wait for callback` and `sync` may add */
  unsigned sync_pattern;       /* PATTERN_SYNC2 when `sync` means .sync:2; else .sync */
  const char *target_field;    /* the Parameters field that names the target */
  const char *payload_field;   /* where `with` goes; NULL: `with` is merged into Parameters */
  bool payload_defaults_to_input; /* without `with`, the payload is the whole input */
  struct iam_need iam[IAM_NEEDS]; /* in the order they become statements */
};
const struct integration *integration_for(enum task_kind task);
bool run_task_kind(const char *word, enum task_kind *out);

/* ---------------------------------------------------------------- frontend.c */

struct parse_ctx {
  struct arena *arena;
  struct diag *diag;
  int file;
  struct decl *decls, *last_decl;
  bool broken;      /* recovered from a syntax error since the last declaration */
  bool lost_names;  /* recovery discarded the start of a declaration */
  int bad_reported; /* offset + 1 of the bad token the last syntax error reported */
  struct parse_trace *trace; /* NULL, or what sfc fmt records */
};
/* What `sfc fmt` (fmt.c) needs of a parse: every token as the parser saw it (after the
   context-dependent keywords are decided), and where each statement starts: a
   declaration, a workflow setting or trigger, a state, a choice rule, a branch, a line
   of an event or aws block or of a test. */
struct trace_token {
  int kind;       /* TOK_..., or a character */
  int start, end; /* byte offsets */
};
struct parse_trace {
  struct trace_token *tokens;
  int ntokens, tokens_cap;
  int *items; /* start offsets, in the order the parser finished them */
  int nitems, items_cap;
};
/* The tokens of TEXT alone, as the scanner reads them, into TRACE (no parse: for a
   span of a file already parsed). */
void scan_tokens(const char *text, size_t len, struct parse_trace *trace);
void trace_token(struct parse_ctx *ctx, int kind, int start, int end);
void trace_item(struct parse_ctx *ctx, int start);
/* Parses one file's text and appends its declarations to PROG; TRACE (or NULL) records
   the tokens and statements. */
void parse_file(struct arena *arena, struct diag *diag, int file, struct program *prog,
                struct parse_trace *trace);

/* ---------------------------------------------------------------- fmt.c */

struct buf;
/* The canonical layout of file FILE of D, into OUT: EXIT_OK, EXIT_INPUT (syntax
   errors, in D) or EXIT_IO (an internal error, said on stderr). */
int fmt_text(struct diag *d, int file, struct buf *out);
int fmt_main(int argc, char **argv); /* sfc fmt */
/* The tokens of TEXT (LEN bytes, a span of a parsed file: a choice rule's condition) on
   one line, spaced as sfc fmt spaces them, whatever the layout they were written in. */
char *fmt_one_line(struct arena *a, const char *text, size_t len);

/* ---------------------------------------------------------------- paths.c */

enum path_root { PATH_INPUT, PATH_CONTEXT, PATH_VARIABLE };
struct path_info {
  enum path_root root;
  bool is_reference; /* selects at most one node: ASL "reference path" */
  size_t var_len;    /* PATH_VARIABLE: length of the name after '$' */
};
const char *path_check(const char *text, size_t len, struct path_info *info, size_t *err_offset);

/* ---------------------------------------------------------------- names.c */

/* Every kind of AWS name sfc derives or is given; names.c has the rule for each. */
enum name_kind {
  NAME_LAMBDA,        /* function name, name:qualifier, partial or full ARN */
  NAME_ACTIVITY,
  NAME_QUEUE,
  NAME_TOPIC,
  NAME_TABLE,
  NAME_BUS,
  NAME_BUCKET,
  NAME_STATE_MACHINE,
  NAME_EXECUTION,
  NAME_STATE,         /* a state's name inside an ASL definition */
  NAME_ROLE,
  NAME_RULE,
  NAME_SCHEDULE,
  NAME_SCHEDULE_GROUP,
  NAME_SID,
  NAME_OUTPUT_FILE,   /* one file name inside the output directory */
};
/* NULL if TEXT (LEN bytes, no terminator needed) is a valid name of KIND; else a message
   such as "an IAM role name has at most 64 characters", with *ERR_OFFSET (may be NULL)
   set to the byte offset of the first offending character (0 for the name as a whole). */
const char *name_check(enum name_kind kind, const char *text, size_t len, size_t *err_offset);
/* "Lambda function name", ... for messages. */
const char *name_kind_description(enum name_kind kind);
/* The most characters (or bytes) a KIND name may have; 0: no documented limit. */
size_t name_max_length(enum name_kind kind);
/* Whether S is "${Name}" and nothing else: what a deploy tool substitutes (SAM's
   DefinitionSubstitutions, CloudFormation's Fn::Sub, Terraform's templatefile). */
bool is_deploy_placeholder(const char *s);

/* ---------------------------------------------------------------- check.c */

struct define { /* -D name=value */
  const char *name, *value;
  bool used;
};

struct options {
  struct define *defines;
  int ndefines;
  /* ${Name} placeholders in hand-written ASL: with `substitute`, each is replaced
     by its value before checking (--substitute, --substitutions); without, a
     placeholder is accepted where a value could be substituted. */
  struct define *substitutions;
  int nsubstitutions;
  bool substitute;
  bool express;     /* sfc check --type express: hand-written ASL is an EXPRESS machine */
  bool for_output;  /* compiling to files: params must have values */
  /* The Terraform module's shadow compile (main.c): every param stays a ${NAME}
     placeholder, so the module can set it at deploy time (template.c). */
  bool template_params;
  unsigned emit;    /* the backends that write files (EMIT_*); 0: all */
};

/* The backends (--emit). */
enum {
  EMIT_ASL = 1,       /* <W>.asl.json */
  EMIT_RULES = 2,     /* rule, targets and schedule requests */
  EMIT_IAM = 4,       /* role, trust and queue policies */
  EMIT_TERRAFORM = 8, /* the module: *.tf and *.tftpl */
  EMIT_DEFAULT = 15,  /* what a compile writes unless told */
  EMIT_DOCS = 16,     /* Markdown pages, Mermaid and Graphviz diagrams */
  EMIT_ALL = 31
};

struct compilation {
  struct arena arena;
  struct diag diag;
  struct program program;
  const struct options *options;
  const char *account, *region, *partition; /* NULL when unknown; partition: "aws" */
  bool partition_given;      /* by the aws block or -D, not the default */
  /* Before the name of everything the program creates (state machines, their roles,
     rules) in ARNs: "", or the shadow compile's ${name_prefix} placeholder. */
  const char *name_prefix;
  bool usage_error;  /* a -D named nothing: exit code 2, not 1 */
  struct table name_table;  /* check.c: the top-level declarations by name */
  struct table *names;      /* &name_table once checked */
};
void check_program(struct compilation *c);
/* Calls FN with each declared name task S calls, as a test's mock names it (test
   blocks): its resource or what its `on` names, the workflow it starts, the events it
   sends. */
void state_callees(const struct state *s, void (*fn)(void *arg, enum mock_target target, const char *name),
                   void *arg);
/* What a mock answers, as a key: "state:S", "resource:x", "workflow:W", "event:E". */
const char *mock_key(struct arena *a, enum mock_target target, const char *name);
/* sftest.c: `sfc test` (ARGV: what follows the word test); returns the exit code. */
int sftest_main(int argc, char **argv);
/* import.c: `sfc import FILE.asl.json [--name NAME]` prints the .sf program that
   compiles back to the definition. */
int import_main(int argc, char **argv);
/* Reports TEXT at AT when it breaks AWS's rules for a KIND name (names.c); true when
   it is valid. */
bool report_aws_name(struct diag *d, enum name_kind kind, const char *text, struct loc at);
/* "a" or "an" before WORD, for messages. */
const char *article(const char *word);
/* Resolves ${...} in a string outside the checker; false when the text is not final. */
bool resolve_text(struct compilation *c, struct str *s);
/* The ARN of the state machine a workflow of this program deploys as. */
const char *state_machine_arn(struct compilation *c, const char *workflow);
void compilation_free(struct compilation *c);
/* An array holding a path or call, directly or in a nested array: it becomes States.Array. */
bool array_is_dynamic(const struct value *v);

/* ---------------------------------------------------------------- asl_rules.c */

struct intrinsic {
  const char *name;     /* as written in sfc */
  const char *asl;      /* States.<asl> */
  int min_args, max_args; /* max -1: any number */
  bool returns_string;
};
/* The intrinsic written as WRITTEN (sfc's name, or States.<asl>), or NULL. */
const struct intrinsic *find_intrinsic(const char *written);
/* The ASL name (Format, ArrayGetItem, ...) of an intrinsic as written, or NULL. */
const char *intrinsic_asl_name(const char *written);
/* For an ASL intrinsic name without "States." (e.g. "Format"): its argument count
   (max -1: any) and whether it returns a string; false when there is no such function. */
bool intrinsic_arity(const char *asl_name, int *min_args, int *max_args, bool *returns_string);
/* The I-th intrinsic of the table (for listing them, e.g. in suggestions), NULL past the last. */
const struct intrinsic *intrinsic_at(size_t i);
struct jnode;
/* The I-th body (0, 1, ...) of an ASL state: each of a Parallel's Branches, then a
   Map's ItemProcessor (or its legacy Iterator); NULL past the last. */
const struct jnode *asl_state_body(const struct jnode *state, int i);
/* An RFC 3339 timestamp as ASL takes it (uppercase T, Z or an offset). */
bool asl_timestamp_valid(const char *s, size_t len);
/* The run patterns the optimized integration ACTION ("service:action", LEN bytes)
   supports, or 0 when Step Functions has no such integration. */
enum { ASL_RESPONSE = 1, ASL_SYNC = 2, ASL_SYNC2 = 4, ASL_TOKEN = 8 };
unsigned asl_integration_patterns(const char *action, size_t len);
/* ASL's limits, for the .sf checker and the ASL checker alike (asl.md 8). */
#define ASL_MAX_SECONDS 99999999LL       /* TimeoutSeconds, HeartbeatSeconds, Wait, MaxAttempts */
#define ASL_MAX_DELAY_SECONDS 31622400LL /* a retrier's MaxDelaySeconds: 366 days */
#define ASL_MAX_NAME 80                  /* state and variable names, in characters */
#define ASL_MAX_LABEL 40                 /* a Map Run label, in characters */
#define ASL_MAX_READER_ITEMS 100000000LL /* ReaderConfig MaxItems */
#define ASL_MAX_DISTRIBUTED_CONCURRENCY 10000 /* a Distributed Map's children at once */

/* Step Functions' hard quota on a definition (grammar/LIMITS.md: "Maximum size of
   state machine definition: 1 MB"), counted over the file sfc writes. */
#define SFN_MAX_DEFINITION_BYTES 1048576

/* ---------------------------------------------------------------- triggers.c */

/* Checks every workflow's triggers and builds their patterns (after check_program's
   workflow checks, which record what is emitted). */
void check_triggers(struct compilation *c, struct table *names);

/* ---------------------------------------------------------------- lower.c */

typedef struct json_t json_t;
struct jnode;
#include "model.h"
/* The model of the checked program. Reports what only shows when a document is
   built (an `asl { }` field that collides with a generated one, an AWS limit on a
   rule or schedule) through c->diag. */
void lower_program(struct compilation *c, struct model *m);
/* One workflow's ASL definition, as located JSON. */
struct jnode *lower_asl(struct compilation *c, struct workflow *w);
/* A value as plain located JSON: paths stay strings, keys stay as written. */
struct jnode *plain_value(struct arena *a, const struct value *v);
/* Prints the model: each workflow's settings, then each node of its definition with
   its JSON pointer and the source span it came from. */
void model_dump(const struct compilation *c, const struct model *m, FILE *out);

/* ---------------------------------------------------------------- lower_triggers.c */

/* PutTargets' limits on a target's input (reference C.2), in characters: checked here at
   compile time and by the runtime's transform.c when it renders a target's input. */
enum {
  TARGET_INPUT_MAX = 8192,    /* Input */
  TARGET_PATH_MAX = 256,      /* InputPath, and each InputPathsMap value */
  TARGET_TEMPLATE_MAX = 8192, /* InputTransformer.InputTemplate */
  TARGET_VARS_MAX = 100,      /* InputPathsMap entries */
};

/* W's triggers as MW->triggers; reports the AWS limits on rules and schedules. */
void lower_triggers(struct compilation *c, struct workflow *w, struct model_workflow *mw);
/* The role EventBridge or Scheduler assumes to start W. */
const char *starter_role_name(struct compilation *c, const struct workflow *w, bool scheduler);
const char *starter_role_arn(struct compilation *c, const struct workflow *w, bool scheduler);

/* ---------------------------------------------------------------- json_out.c */

/* Deterministic JSON text: keys in insertion order, 2-space indent, final newline,
   reals in their shortest exact form. */
void json_write(struct buf *out, const json_t *value);
/* The same without any whitespace or final newline: JSON embedded in a string. */
void json_write_compact(struct buf *out, const json_t *value);
/* Are A and B the same data: numbers by value (1 is 1.0), object members in any order,
   arrays in order? Either NULL: only when both are. */
bool json_same_data(const json_t *a, const json_t *b);
/* S (N bytes) as a JSON string, quotes included, escaped as json_write does. */
void json_write_string(struct buf *out, const char *s, size_t n);
/* A real in its shortest exact form, kept recognisably real (2.0, not 2). */
void json_format_real(struct buf *out, double d);
/* Located JSON as Jansson values, for printing; the caller releases the result. */
json_t *jn_to_json(const struct jnode *n);

/* ---------------------------------------------------------------- emit_asl.c */

struct outputs {
  struct output_file *files;
  int count, cap;
  bool placeholders; /* some file has ${account} or ${region}: main says so once written */
};
/* Adds NAME with DOC as its text (consumes DOC). */
void outputs_add(struct outputs *o, const char *name, json_t *doc);
/* Adds NAME with TEXT as its text (takes TEXT over). */
void outputs_add_text(struct outputs *o, const char *name, struct buf text);
/* The text of the file called NAME in O, or NULL. */
const struct buf *outputs_find(const struct outputs *o, const char *name);
/* <W>.asl.json */
void emit_asl(const struct model_workflow *w, struct outputs *out);

/* ---------------------------------------------------------------- links.c */

struct model;
/* The model's links: which rules each sent event and status change can match. */
void link_program(struct compilation *c, struct model *m);

/* ---------------------------------------------------------------- template.c
 * Deploy-time values in the Terraform module's texts (see template.c). */

struct template_var {
  const char *name;       /* the placeholder ${name} in the shadow compile's text */
  const char *value;      /* what stands there in the real text, as it appears there */
  const char *key;        /* TEMPLATE_FILE: the templatefile() variable that gives it */
  const char *expression; /* TEMPLATE_HCL: the Terraform expression that gives it */
  bool reserved;          /* ${account}/${region}: a placeholder in the real text too */
};
enum template_style {
  TEMPLATE_FILE, /* a templatefile() file: ${name} */
  TEMPLATE_HCL   /* the inside of a quoted HCL string: ${expression}, HCL escapes */
};
/* Appends to OUT the template of REAL (RLEN bytes) read against SHADOW, the same text
   from the shadow compile; false when the two do not align. */
bool template_align(struct buf *out, const char *shadow, size_t slen, const char *real, size_t rlen,
                    const struct template_var *vars, int nvars, enum template_style style);
/* Appends TEXT as a template that renders to exactly TEXT. */
void template_literal(struct buf *out, const char *text, size_t len, enum template_style style);

/* ---------------------------------------------------------------- emit_rules.c */

/* For each trigger of W: <rule>.rule.json and <rule>.targets.json (PutRule and
   PutTargets requests), or <schedule>.schedule.json (CreateSchedule). */
void emit_rules(const struct model_workflow *w, struct outputs *out);

/* ---------------------------------------------------------------- iam.c
 * The IAM permissions of each workflow, computed once from the integration table
 * (every diagnostic about them is reported here, in `sfc check` too) and kept in the
 * arena for the printers: emit_iam.c (policy files) and emit_explain.c. */

struct iam_strings { /* a growing list in the arena */
  const char **items;
  int count, cap;
};

struct iam_condition { /* "Condition": { OP: { KEY: VALUE } } */
  const char *op, *key, *value;
  struct iam_condition *next;
};

/* One statement: ACTIONS on RESOURCES. Needs of one service on the same resources
   merge into one grant; a grant with conditions is one state's own and merges with
   nothing. */
struct iam_grant {
  const char *sid;                  /* unique in its policy */
  const char *service;              /* the IAM prefix of every action */
  struct iam_strings actions;       /* sorted, unique */
  struct iam_strings resources;     /* sorted, unique; "*" is any */
  struct iam_condition *conditions; /* NULL: none */
  struct iam_strings who;           /* what needs it, in order: states, Tracing, Logging;
                                       for explain's starts, "rule R, as role W-events" */
  struct iam_grant *next;
};

struct iam_role {
  const char *name;         /* the role; for `allow start by`, the declared role */
  const char *principal;    /* the service trusted to assume it; NULL: sfc writes no trust */
  struct iam_strings sources; /* the trust's aws:SourceArn, in order */
  struct iam_grant *grants; /* its policy's statements in order; NULL: no policy */
  const char *policy_file;  /* where the printers write its policy, and its trust */
  const char *trust_file;   /* (NULL for `allow start by`: sfc writes no trust) */
};

struct iam_policy {
  const char *workflow;       /* its name */
  const char *state_machine;  /* the workflow's state machine ARN */
  const char *account;        /* the trust's aws:SourceAccount (maybe "${account}") */
  struct iam_role execution;  /* the role the state machine runs as */
  struct iam_role starter[2]; /* the roles EventBridge rules [0] and Scheduler [1] assume
                                 to start it; no grants: no such trigger */
  struct iam_role *allowed;   /* `allow start by` a declared role: what it needs */
  int nallowed;
  struct iam_grant *starts;   /* what starts it (triggers, `allow start by`), in order */
};

/* A dead-letter queue's policy: the rules (of every workflow) that send to it. */
struct iam_queue_policy {
  const char *queue, *queue_arn; /* the queue as declared, and its ARN */
  struct iam_strings sources; /* the rules' ARNs, sorted */
  const char *file;           /* where the printers write it */
  struct iam_queue_policy *next;
};

/* Computes W's permissions (once: later calls return the same) and reports what
   cannot be derived through c->diag. */
struct iam_policy *iam_workflow(struct compilation *c, struct workflow *w);
/* The queue policies of the program, in declaration order (queues no rule uses have none). */
struct iam_queue_policy *iam_queue_policies(struct compilation *c);
/* Whether sfc derives what `task N resource "ARN"` needs from ARN (a Lambda function,
   an activity, a Step Functions integration given `on`); other services need
   `on nothing`, the role getting nothing for them. */
bool iam_derives_resource(const char *arn);

/* IAM's hard quota on a role's inline policies ("IAM and AWS STS quotas", in
   grammar/LIMITS.md), in characters without the white space between tokens. */
#define IAM_MAX_ROLE_POLICY_CHARS 10240

/* ---------------------------------------------------------------- emit_iam.c */

/* A role's policy document: one statement per grant, in order (the caller releases it). */
json_t *grants_document(const struct iam_grant *grants);

/* <W>.role-policy.json and <W>.role-trust.json for the execution role, the roles
   EventBridge and Scheduler assume to start W, and `allow start by` policies. */
void emit_iam(const struct iam_policy *p, struct outputs *out);
/* <QUEUE>.queue-policy.json for each dead-letter queue. */
void emit_queue_policies(const struct iam_queue_policy *q, struct outputs *out);

/* ---------------------------------------------------------------- emit_explain.c */

/* `sfc explain`: each permission of P, and what needs it. */
void explain_iam(FILE *out, const struct iam_policy *p);

/* ---------------------------------------------------------------- emit_terraform.c */

/* The Terraform module that deploys M: .tf files and a .tftpl template of each JSON
   document in DOCS it uses. SHADOW and SHADOW_DOCS come from the shadow compile (the
   same program with every param a placeholder); NULL keeps params at their values. */
void emit_terraform(struct compilation *c, const struct model *m, const struct outputs *docs,
                    const struct model *shadow, const struct outputs *shadow_docs, struct outputs *out);

/* ---------------------------------------------------------------- emit_docs.c */

/* W.md, W.mmd and W.dot for each workflow of M, and README.md, system.mmd and
   system.dot for the program. */
void emit_docs(struct compilation *c, const struct model *m, struct outputs *out);

/* ---------------------------------------------------------------- output.c */

struct output_file {
  const char *name; /* relative to the output directory */
  struct buf text;
};
/* Writes every file into DIR or none of them; returns false and prints why on failure.
   A file DIR already holds with the same text is not rewritten: *NUNCHANGED counts them. */
bool write_outputs(const char *dir, struct output_file *files, int nfiles, int *nunchanged);
/* Replaces the text of the file PATH at once, keeping its mode; false (said why) on failure. */
bool replace_file(const char *path, const char *text, size_t len);

/* ---------------------------------------------------------------- json.c
 * Located JSON: every value and key knows where it came from. Two sources build it:
 * a strict JSON parser (RFC 8259) for `sfc check FILE.json`, whose nodes point into
 * the JSON text, and lower.c, whose ASL documents point at the .sf spans each node
 * was made from. asl_check.c judges both alike. Nodes live in the arena. Duplicate
 * keys, invalid UTF-8, lone surrogates and trailing text are parse errors. Names use
 * JN_ and jnode so they cannot clash with Jansson's. */

enum jn_kind { JN_NULL, JN_FALSE, JN_TRUE, JN_NUMBER, JN_STRING, JN_ARRAY, JN_OBJECT };
struct jmember;
struct jnode {
  enum jn_kind kind;
  int file;                 /* the diag file the offsets are in */
  int start, end;           /* byte offsets of the value's text, end exclusive */
  const char *text;         /* JN_STRING: decoded UTF-8, NUL-terminated (may hold NULs);
                               JN_NUMBER: the number as written */
  size_t len;
  bool is_integer;          /* JN_NUMBER: written without fraction or exponent */
  double number;            /* JN_NUMBER: its value (inf when out of range) */
  struct jnode *items;      /* JN_ARRAY, linked through next */
  struct jmember *members;  /* JN_OBJECT, in source order */
  int count;                /* number of items or members */
  struct jnode *next;
  struct jnode *last_item;     /* builder: append points */
  struct jmember *last_member;
};
struct jmember {
  const char *key;          /* decoded, NUL-terminated */
  size_t key_len;
  int key_start, key_end;   /* the key with its quotes */
  struct jnode *value;
  struct jmember *next;
};
/* Where a value sits, as a chain up to the root: prints as a JSON pointer (RFC 6901). */
struct jpath {
  const struct jpath *up;
  const char *key;          /* NULL: an array item */
  size_t key_len;
  int index;
};

#define JSON_MAX_DEPTH 1000
/* Parses FILE's text; NULL after a syntax error (reported through diag). */
struct jnode *json_pos_parse(struct arena *arena, struct diag *diag, int file);
/* The first member named KEY of an object, or NULL. */
struct jmember *json_pos_get(const struct jnode *object, const char *key);
/* The value of KEY in OBJECT (NULL: not an object, or no such key), and its text when
   it is a string. */
const struct jnode *jn_get(const struct jnode *object, const char *key);
const char *jn_get_text(const struct jnode *object, const char *key);
/* The byte offset in TEXT of the INDEXth decoded byte of a string node. */
int json_pos_offset(const char *text, const struct jnode *string, size_t index);
/* For messages: "/States/A~1B/Next" ("" for the root), a quoted string with
   control characters escaped and long text shortened, a value as written. */
const char *json_pos_pointer(struct arena *arena, const struct jpath *at);
const char *json_pos_quote(struct arena *arena, const char *s, size_t len);
const char *json_pos_show(struct arena *arena, const struct jnode *value);

/* Building located JSON (lower.c): each node gets the location AT. */
struct jnode *jn_new(struct arena *arena, enum jn_kind kind, struct loc at);
struct jnode *jn_string(struct arena *arena, const char *s, size_t len, struct loc at);
struct jnode *jn_str(struct arena *arena, const char *s, struct loc at); /* NUL-terminated */
struct jnode *jn_int(struct arena *arena, long long n, struct loc at);
struct jnode *jn_real(struct arena *arena, double d, struct loc at);
struct jnode *jn_bool(struct arena *arena, bool b, struct loc at);
/* Appends KEY (copied) with V to OBJECT; the key is located at KEY_AT. */
void jn_put(struct arena *arena, struct jnode *object, const char *key, struct loc key_at,
            struct jnode *v);
void jn_push(struct jnode *array, struct jnode *v);
struct loc jn_loc(const struct jnode *n);
/* At least as many bytes as N takes when printed by json_write at DEPTH. */
size_t jn_size_bound(const struct jnode *n, int depth);
/* Moves every member of FROM to the end of INTO. */
void jn_take_members(struct jnode *into, struct jnode *from);

/* ---------------------------------------------------------------- runtime/jsonata.c
 * A parser for JSONata 2.0.6, the version AWS Step Functions implements: the grammar
 * of the reference implementation (jsonata-js), with its error codes (S0101-S0402).
 * The tree is the parse tree before the reference's path flattening; a later
 * evaluator walks it. Every node lives in the arena. */
enum ja_kind {
  JA_NUMBER, JA_STRING, JA_TRUE, JA_FALSE, JA_NULL,
  JA_NAME,        /* a field name, `quoted` or not: text */
  JA_VARIABLE,    /* $name: text without the '$' ("" for $ itself) */
  JA_REGEX,       /* /text/extra: pattern and flags */
  JA_WILDCARD, JA_DESCENDANT, JA_PARENT, /* * ** % */
  JA_PLACEHOLDER, /* the ? of a partial application */
  JA_BINARY,      /* lhs op rhs: . + - * / % = != < <= > >= & and or in .. ~> */
  JA_NEGATE,      /* -lhs */
  JA_ARRAY,       /* [items] */
  JA_OBJECT,      /* {items}: key, value, key, value ... */
  JA_BLOCK,       /* (items; ...) */
  JA_PREDICATE,   /* lhs[rhs] */
  JA_GROUP,       /* lhs{items}, as JA_OBJECT */
  JA_SORT,        /* lhs^(items): each a JA_SORT_TERM */
  JA_SORT_TERM,   /* lhs, with descending for '>' */
  JA_FOCUS,       /* lhs@$text */
  JA_INDEX,       /* lhs#$text */
  JA_BIND,        /* lhs := rhs, lhs a JA_VARIABLE */
  JA_CONDITION,   /* lhs ? rhs : third (third may be NULL) */
  JA_CALL,        /* lhs(items) */
  JA_PARTIAL,     /* lhs(items), some of them JA_PLACEHOLDER */
  JA_LAMBDA,      /* function(items){rhs}: items are JA_VARIABLEs; extra is the <signature> */
  JA_TRANSFORM,   /* |lhs|rhs, third| (third may be NULL) */
  JA_END          /* the end of the text where an operand was expected (never in a result) */
};
struct jn_ast {
  enum ja_kind kind;
  size_t pos;                  /* byte offset of its token in the expression text */
  const char *op;              /* JA_BINARY */
  const char *text;            /* strings (decoded), names, variables, regex patterns */
  size_t len;
  const char *extra;           /* regex flags, a lambda's signature text */
  double number;
  struct jn_ast *lhs, *rhs, *third;
  struct jn_ast *items;        /* the first child of a list ... */
  struct jn_ast *next;         /* ... and each child's next sibling */
  bool descending;             /* JA_SORT_TERM */
  bool keep_array;             /* a step followed by [] */
};
#define JN_MAX_DEPTH 500 /* nesting of an expression's tree: deeper is an error */
/* Parses TEXT[0..LEN) into *OUT; returns NULL, or an error message with the
   reference's code in front ("S0202: ...") and its offset in *ERR_OFFSET. */
const char *jsonata_parse(struct arena *a, const char *text, size_t len, struct jn_ast **out,
                          size_t *err_offset);

/* ---------------------------------------------------------------- runtime/jsonata_fn.c
 * The built-in functions of JSONata 2.0.6 as AWS offers them ($eval is not one), and
 * the six AWS adds: each with the reference's signature, e.g. "<s-nn?:s>". */
struct jn_ctx;
struct jv;
/* A built-in's implementation (runtime/jsonata.h): ARGS, ARGC of them, already
   validated against its signature; the result goes to *OUT. false: an error raised. */
typedef bool jn_native(struct jn_ctx *x, struct jv *args, int argc, struct jv *out);
struct jn_builtin {
  const char *name;       /* without '$' */
  const char *signature;
  jn_native *fn;
  int params;             /* the parameters its JavaScript implementation declares: the
                             arity higher-order functions see ($reduce wants two) */
};
const struct jn_builtin *jn_builtin_find(const char *name, size_t len); /* NULL: none */
const char *jn_builtin_name(size_t i); /* the I-th name, NULL past the end */
/* The fewest and the most arguments a call of a function with SIGNATURE may write
   (max -1: any number); a context-bound parameter ('-') may be left out. */
void jn_sig_arity(const char *signature, int *min, int *max);

/* ---------------------------------------------------------------- asl_check.c */

/* Checks a hand-written ASL definition (FILE is a diag file index): every problem
   is reported with its JSON pointer and location. */
void asl_check_file(struct arena *arena, struct diag *diag, int file, const struct options *opts);
/* Checks a parsed or lowered document (LOWERED: its locations are .sf spans, and
   AFTER_SYNTAX_ERRORS: the parser dropped repeated keys, so the graph may be wrong). */
void asl_check_document(struct arena *arena, struct diag *diag, const struct jnode *root,
                        bool lowered, bool after_syntax_errors, bool express);

/* ---------------------------------------------------------------- patterns.c */

/* The grammar of EventBridge patterns is walked by one walker, pattern_walk, for both
   the checker (over .sf values) and runtime/match.c (over Jansson values): each gives
   the walker its nodes through pattern_ops and hears the errors. A node is a value;
   a member of an object is also a handle, for errors about its key. */
enum pattern_kind {
  PK_NULL, PK_BOOL, PK_NUMBER, PK_STRING, PK_ARRAY, PK_OBJECT,
  PK_UNSEEN,   /* a string whose text is known only later (${...}): not judged */
  PK_NOT_JSON  /* no JSON value at all (a path, a call): reported through not_json */
};
/* An array's items or an object's members in order: zeroed to begin. */
struct pattern_child {
  size_t index;
  const void *it;           /* the user's cursor */
  const void *value;
  const char *key;          /* members: the key, and the member as a handle */
  const void *member;
};
/* What an error is about: MEMBER's key, or bytes [at, at + len) of string NODE's
   text (len PATTERN_WHOLE: the node itself). */
struct pattern_place {
  const void *node, *member;
  size_t at, len;
};
struct pattern_ops {
  enum pattern_kind (*kind)(const void *v);
  void (*not_json)(void *ctx, const void *v);
  const char *(*text)(const void *v, size_t *len);        /* PK_STRING */
  double (*number)(const void *v);
  char *(*number_text)(const void *v);                    /* malloc'd, for messages */
  bool (*child)(const void *v, struct pattern_child *c);  /* false after the last */
  /* MESSAGE is about PLACE in the field (or object, or "$or") at dotted PATH. */
  void (*error)(void *ctx, const char *path, struct pattern_place place, const char *message);
  /* The checker's warnings and notes (NULL: none): a number compared numerically, a
     second anything-but in one array, an operator written as a field's value. */
  void (*numeric)(void *ctx, const void *v);
  void (*twice_anything_but)(void *ctx, const void *v);
  void (*operator_as_field)(void *ctx, const void *v, const char *quoted_key);
};
/* Walks PATTERN; true when no error was reported. */
bool pattern_walk(const struct pattern_ops *ops, void *ctx, const void *pattern);

/* Checks an EventBridge event pattern written as a .sf value (plain JSON): the
   grammar and every rule AWS applies when the rule is created, each error at the
   offending node. True when nothing was wrong (warnings do not count). */
bool pattern_check(struct diag *d, const struct value *pattern);

/* A CIDR operand's rule, for runtime/match.c to read the address it accepted: false
   with a malloc'd MESSAGE about bytes [at, at + len) of TEXT (len PATTERN_WHOLE: all
   of it); true with the address as TEXT's first ADDRESS_LEN bytes. */
#define PATTERN_WHOLE ((size_t)-1)
struct pattern_fault {
  char *message;
  size_t at, len;
};
struct pattern_cidr {
  bool v6;
  size_t address_len;
  int bits;
};
bool pattern_cidr_ok(const char *text, size_t len, struct pattern_cidr *out,
                     struct pattern_fault *f);

/* ---------------------------------------------------------------- schedule.c */

/* Checks a schedule expression: rate(...), cron(...), and at(...) when SCHEDULER
   (EventBridge Scheduler rather than a scheduled rule). TEXT is the expression exactly
   as written and AT where it is, so errors can point inside it. */
bool schedule_check(struct diag *d, struct loc at, const char *text, bool scheduler);
/* TEXT starts as a rate() or cron() expression does (no validation). */
bool schedule_is_rate_or_cron(const char *text);
/* The first firing of schedule TEXT (one that schedule_check accepted) strictly after
   AFTER_MS, for a schedule or rule in effect from START_MS (no firing before START_MS's
   minute), in *NEXT_MS. Firings are at whole minutes (AWS fires within the minute).
   - rate(n unit) fires at START_MS's minute and every n units after it (n days: 24-hour
     spans whatever the clocks do). AWS: a rate "starts when you create the scheduled
     event rule"; Scheduler without a StartDate "begins invoking the target immediately"
     (eb-scheduled-rule-pattern, scheduler schedule-types). So AFTER_MS = START_MS gives
     the first firing one period on, an AFTER_MS before START_MS's minute the one at it.
   - cron() and at() (to the minute) are read in time zone TZ (an IANA name; NULL or
     "UTC": UTC) as Scheduler applies daylight saving time: a wall-clock time the clock
     skips forward over never fires, one it shows twice (falling back) fires once, the
     first time. cron()'s years end with 2199.
   false when it fires no more (an at() in the past, a cron() of 30 FEB or past its
   years); false with *UNKNOWN_TZ when TZ is not in the C library's time zone database
   (/usr/share/zoneinfo, or $TZDIR; Debian's tzdata), rather than reading it as UTC.
   Sets TZ in the environment while it runs (the caller's value is put back): not for
   threads that read the local time meanwhile. */
bool schedule_next(const char *text, const char *tz, int64_t start_ms, int64_t after_ms,
                   int64_t *next_ms, bool *unknown_tz);

/* ---------------------------------------------------------------- compile.c */

/* Exit codes, documented in README.md. */
enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };
struct input {
  const char *name; /* as shown in diagnostics: "<stdin>" for - */
  const char *text; /* NUL-terminated */
  size_t len;
  bool asl;         /* ASL whatever its name (`sfc check --asl`) */
};
enum compile_mode { COMPILE_CHECK, COMPILE_EXPLAIN, COMPILE_BUILD };
bool is_asl_file(const char *path);
/* The whole pipeline over INPUTS (a name ending in .json is hand-written ASL). Fills
   MODEL, and with COMPILE_BUILD also OUT with every output file. Diagnostics are left
   in c->diag. Returns EXIT_OK, EXIT_INPUT or EXIT_USAGE. */
int sfc_compile(struct compilation *c, const struct input *inputs, int n, enum compile_mode mode,
                struct model *model, struct outputs *out);
/* Frees the files' texts and the list. */
void outputs_free(struct outputs *o);

#endif
