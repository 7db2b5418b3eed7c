/* asl_check.c: checks a hand-written Amazon States Language definition.
 *
 * `sfc check machine.asl.json` parses the file with json_pos.c (which keeps byte
 * offsets) and reports every problem it finds, each at its value or key and with
 * the value's JSON pointer in the message. The rules come from the ASL
 * specification and AWS's documented behaviour (see ../shared/reference/asl.md).
 *
 * The walk, per States object (the machine, a Parallel branch, a Map processor):
 *   1. collect_names: state names are unique in the whole machine; every assigned
 *      variable name is known before any reference is checked;
 *   2. check_machine: fields of the machine, then each state (fields allowed per
 *      type and query language, values, paths, templates, rules), which recurses
 *      into branches and processors with a nested scope;
 *   3. transitions: Next, Default, Choice rule Next and Catch Next must name a
 *      state of the same States object; a breadth-first walk from StartAt finds
 *      unreachable states; each States object needs a terminal state.
 * Data that is a table (fields per state type, comparison operators, enums) is
 * kept in tables below.
 */
#include "sfc.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- tables */

enum {
  TASK = 1, PASS = 2, CHOICE = 4, WAIT = 8, SUCCEED = 16, FAIL = 32, PARALLEL = 64, MAP = 128
};
#define ANY_TYPE 255
#define FLOWING (TASK | PASS | WAIT | PARALLEL | MAP) /* need Next or "End": true */
enum { JP = 1, JA = 2, BOTH = 3 };                    /* query languages */

static const struct {
  const char *name;
  unsigned bit;
} state_types[] = {
    {"Task", TASK},       {"Pass", PASS},         {"Choice", CHOICE}, {"Wait", WAIT},
    {"Succeed", SUCCEED}, {"Fail", FAIL},         {"Parallel", PARALLEL}, {"Map", MAP},
};

/* Which fields a state may have, by type and query language (asl.md 1.4).
   `instead` names the other language's way to say the same thing. */
struct field_rule {
  const char *name;
  unsigned types, modes;
  const char *instead;
};
static const struct field_rule state_fields[] = {
    {"Type", ANY_TYPE, BOTH, NULL},
    {"Comment", ANY_TYPE, BOTH, NULL},
    {"QueryLanguage", ANY_TYPE, BOTH, NULL},
    {"Next", FLOWING, BOTH, NULL},
    {"End", FLOWING, BOTH, NULL},
    {"InputPath", ANY_TYPE & ~FAIL, JP, "\"Arguments\" or $states.input"},
    {"OutputPath", ANY_TYPE & ~FAIL, JP, "\"Output\""},
    {"Parameters", TASK | PASS | PARALLEL | MAP, JP, "\"Arguments\""},
    {"ResultSelector", TASK | PARALLEL | MAP, JP, "\"Output\""},
    {"ResultPath", TASK | PASS | PARALLEL | MAP, JP, "\"Output\" or \"Assign\""},
    {"Arguments", TASK | PARALLEL, JA, "\"Parameters\""},
    {"Output", ANY_TYPE & ~FAIL, JA, "\"OutputPath\" or \"ResultSelector\""},
    {"Assign", ANY_TYPE & ~(SUCCEED | FAIL), BOTH, NULL},
    {"Retry", TASK | PARALLEL | MAP, BOTH, NULL},
    {"Catch", TASK | PARALLEL | MAP, BOTH, NULL},
    {"Resource", TASK, BOTH, NULL},
    {"Credentials", TASK, BOTH, NULL},
    {"TimeoutSeconds", TASK, BOTH, NULL},
    {"HeartbeatSeconds", TASK, BOTH, NULL},
    {"TimeoutSecondsPath", TASK, JP, "\"TimeoutSeconds\": \"{% ... %}\""},
    {"HeartbeatSecondsPath", TASK, JP, "\"HeartbeatSeconds\": \"{% ... %}\""},
    {"Result", PASS, JP, "\"Output\""},
    {"Choices", CHOICE, BOTH, NULL},
    {"Default", CHOICE, BOTH, NULL},
    {"Seconds", WAIT, BOTH, NULL},
    {"Timestamp", WAIT, BOTH, NULL},
    {"SecondsPath", WAIT, JP, "\"Seconds\": \"{% ... %}\""},
    {"TimestampPath", WAIT, JP, "\"Timestamp\": \"{% ... %}\""},
    {"Error", FAIL, BOTH, NULL},
    {"Cause", FAIL, BOTH, NULL},
    {"ErrorPath", FAIL, JP, "\"Error\": \"{% ... %}\""},
    {"CausePath", FAIL, JP, "\"Cause\": \"{% ... %}\""},
    {"Branches", PARALLEL, BOTH, NULL},
    {"ItemProcessor", MAP, BOTH, NULL},
    {"Iterator", MAP, BOTH, NULL},
    {"ItemsPath", MAP, JP, "\"Items\""},
    {"Items", MAP, JA, "\"ItemsPath\""},
    {"ItemSelector", MAP, BOTH, NULL},
    {"ItemReader", MAP, BOTH, NULL},
    {"ItemBatcher", MAP, BOTH, NULL},
    {"ResultWriter", MAP, BOTH, NULL},
    {"MaxConcurrency", MAP, BOTH, NULL},
    {"MaxConcurrencyPath", MAP, JP, "\"MaxConcurrency\": \"{% ... %}\""},
    {"ToleratedFailurePercentage", MAP, BOTH, NULL},
    {"ToleratedFailurePercentagePath", MAP, JP, "\"ToleratedFailurePercentage\": \"{% ... %}\""},
    {"ToleratedFailureCount", MAP, BOTH, NULL},
    {"ToleratedFailureCountPath", MAP, JP, "\"ToleratedFailureCount\": \"{% ... %}\""},
    {"Label", MAP, BOTH, NULL},
};

/* Fields of the smaller objects: a NULL-terminated list per object. */
static const char *const top_fields[] = {"StartAt", "States", "Comment", "Version",
                                         "TimeoutSeconds", "QueryLanguage", NULL};
static const char *const branch_fields[] = {"StartAt", "States", "Comment", NULL};
static const char *const processor_fields[] = {"StartAt", "States", "Comment",
                                               "ProcessorConfig", NULL};
static const char *const retrier_fields[] = {"ErrorEquals", "IntervalSeconds", "MaxAttempts",
                                             "BackoffRate", "MaxDelaySeconds", "JitterStrategy",
                                             "Comment", NULL};
static const char *const catcher_fields[] = {"ErrorEquals", "Next", "ResultPath", "Output",
                                             "Assign", "Comment", NULL};
static const char *const processor_config_fields[] = {"Mode", "ExecutionType", NULL};
static const char *const item_reader_fields[] = {"Resource", "ReaderConfig", "Parameters",
                                                 "Arguments", NULL};
static const char *const reader_config_fields[] = {
    "InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems", "MaxItemsPath",
    "Transformation", "ManifestType", "ItemsPointer", NULL};
static const char *const item_batcher_fields[] = {
    "MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch",
    "MaxInputBytesPerBatchPath", "BatchInput", NULL};
static const char *const result_writer_fields[] = {"Resource", "Parameters", "Arguments",
                                                   "WriterConfig", NULL};
static const char *const writer_config_fields[] = {"OutputType", "Transformation", NULL};

/* Enumerated string values. */
static const char *const query_languages[] = {"JSONPath", "JSONata", NULL};
static const char *const jitter_strategies[] = {"FULL", "NONE", NULL};
static const char *const processor_modes[] = {"INLINE", "DISTRIBUTED", NULL};
static const char *const execution_types[] = {"STANDARD", "EXPRESS", NULL};
static const char *const input_types[] = {"CSV", "JSON", "JSONL", "PARQUET", "MANIFEST", NULL};
static const char *const csv_header_locations[] = {"FIRST_ROW", "GIVEN", NULL};
static const char *const csv_delimiters[] = {"COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB", NULL};
static const char *const reader_transformations[] = {"NONE", "LOAD_AND_FLATTEN", NULL};
static const char *const manifest_types[] = {"ATHENA_DATA", "S3_INVENTORY", NULL};
static const char *const output_types[] = {"JSON", "JSONL", NULL};
static const char *const writer_transformations[] = {"NONE", "COMPACT", "FLATTEN", NULL};
static const char *const hash_algorithms[] = {"MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512",
                                              NULL};

/* Error names Step Functions defines; any other "States." name is a typo. */
static const char *const predefined_errors[] = {
    "States.ALL", "States.HeartbeatTimeout", "States.Timeout", "States.TaskFailed",
    "States.Permissions", "States.ResultPathMatchFailure", "States.ParameterPathFailure",
    "States.QueryEvaluationError", "States.BranchFailed", "States.NoChoiceMatched",
    "States.IntrinsicFailure", "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed", "States.ResultWriterFailed", "States.Runtime",
    "States.DataLimitExceeded", "States.Http.Socket", NULL};

/* Choice rule comparisons (asl.md 5): each takes one kind of operand. */
enum operand { OPD_STRING, OPD_NUMBER, OPD_BOOLEAN, OPD_TIMESTAMP, OPD_PATTERN, OPD_TEST, OPD_PATH };
static const struct {
  const char *name;
  enum operand operand;
} operators[] = {
    {"StringEquals", OPD_STRING},             {"StringEqualsPath", OPD_PATH},
    {"StringLessThan", OPD_STRING},           {"StringLessThanPath", OPD_PATH},
    {"StringGreaterThan", OPD_STRING},        {"StringGreaterThanPath", OPD_PATH},
    {"StringLessThanEquals", OPD_STRING},     {"StringLessThanEqualsPath", OPD_PATH},
    {"StringGreaterThanEquals", OPD_STRING},  {"StringGreaterThanEqualsPath", OPD_PATH},
    {"StringMatches", OPD_PATTERN},
    {"NumericEquals", OPD_NUMBER},            {"NumericEqualsPath", OPD_PATH},
    {"NumericLessThan", OPD_NUMBER},          {"NumericLessThanPath", OPD_PATH},
    {"NumericGreaterThan", OPD_NUMBER},       {"NumericGreaterThanPath", OPD_PATH},
    {"NumericLessThanEquals", OPD_NUMBER},    {"NumericLessThanEqualsPath", OPD_PATH},
    {"NumericGreaterThanEquals", OPD_NUMBER}, {"NumericGreaterThanEqualsPath", OPD_PATH},
    {"BooleanEquals", OPD_BOOLEAN},           {"BooleanEqualsPath", OPD_PATH},
    {"TimestampEquals", OPD_TIMESTAMP},       {"TimestampEqualsPath", OPD_PATH},
    {"TimestampLessThan", OPD_TIMESTAMP},     {"TimestampLessThanPath", OPD_PATH},
    {"TimestampGreaterThan", OPD_TIMESTAMP},  {"TimestampGreaterThanPath", OPD_PATH},
    {"TimestampLessThanEquals", OPD_TIMESTAMP},    {"TimestampLessThanEqualsPath", OPD_PATH},
    {"TimestampGreaterThanEquals", OPD_TIMESTAMP}, {"TimestampGreaterThanEqualsPath", OPD_PATH},
    {"IsNull", OPD_TEST},    {"IsPresent", OPD_TEST}, {"IsNumeric", OPD_TEST},
    {"IsString", OPD_TEST},  {"IsBoolean", OPD_TEST}, {"IsTimestamp", OPD_TEST},
};
#define NOPERATORS ((int)(sizeof operators / sizeof *operators))

/* Limits (asl.md 8). */
#define MAX_BATCH_BYTES 262144LL /* 256 KiB */
#define MAX_INT32 2147483647LL /* AWS's integer fields */
#define MAX_CALL_DEPTH 64 /* nested intrinsic calls */

/* ---------------------------------------------------------------- checker state */

struct asl_edge {
  struct asl_state *to;
  struct asl_edge *next;
};

struct asl_state { /* one state of a States object, for the graph walk */
  const struct jmember *m;
  struct asl_edge *edges;
  bool terminal, reached;
};

struct asl_scope { /* one States object: its states, and the variables it assigns */
  const struct asl_scope *up;
  struct asl_state *states;
  int nstates;
  struct table index; /* name -> struct asl_state * */
  struct table vars;  /* variable name -> struct jmember * of its first assignment */
  const char *kind;   /* "Parallel branch", "Map's ItemProcessor", ...; NULL at the top */
  bool distributed;   /* a Distributed Map's processor: outer variables are invisible */
  bool broken_edges;  /* a transition that goes nowhere: skip the reachability errors */
  bool unknown_states; /* a state whose type or End is unclear: skip the graph errors */
};

struct asl_checker {
  struct arena *arena;
  struct diag *diag;
  bool lowered;         /* a document lowered from .sf: locations are .sf spans */
  bool jsonata_machine; /* top-level "QueryLanguage": "JSONata" */
  bool express;         /* an EXPRESS state machine: no .sync, callbacks or activities */
  bool duplicate_keys;  /* the parser dropped repeated keys: the graph may be wrong */
  struct table names;   /* every state name of the machine -> its struct jmember * */
  struct table homes;   /* every state name -> the kind of States object it is in ("" at top) */
  struct table all_vars; /* every variable name assigned anywhere -> struct jmember * */
  const struct asl_scope *scope; /* the States object of the state being checked */
};

/* What the checks of one state need. */
struct asl_ctx {
  struct asl_checker *ck;
  struct asl_scope *scope;
  struct asl_state *self;
  const struct jnode *node; /* the state object */
  const struct jpath *at;
  unsigned type;            /* a state type bit; 0 when unknown */
  bool jsonata;
  bool typo;                /* an unknown field: "needs X" errors are left out */
};

#define CHILD(parent, member) (&(struct jpath){(parent), (member)->key, (member)->key_len, -1})
#define ITEM(parent, i) (&(struct jpath){(parent), NULL, 0, (i)})

/* Forbidden $states fields in a JSONata expression (asl.md 3). */
enum { NO_RESULT = 1, NO_ERROR_OUTPUT = 2 };

/* ---------------------------------------------------------------- reporting */

static struct loc value_loc(const struct asl_checker *ck, const struct jnode *v) {
  /* A container gets a caret under its opening bracket only. */
  bool container = v->kind == JN_OBJECT || v->kind == JN_ARRAY;
  return (struct loc){v->file, v->start, container && !ck->lowered ? v->start + 1 : v->end};
}

static struct loc key_loc(const struct jmember *m) {
  return (struct loc){m->value->file, m->key_start, m->key_end};
}

/* WARNING is W_NONE for an error. */
static void report(struct asl_checker *ck, enum warning warning, struct loc loc,
                   const struct jpath *at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report(struct asl_checker *ck, enum warning warning, struct loc loc,
                   const struct jpath *at, const char *fmt, ...) {
  if (ck->diag->stopped) return; /* past the error cap diag drops everything */
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  const char *where = json_pos_pointer(ck->arena, at);
  if (warning != W_NONE) diag_warning(ck->diag, warning, loc, "%s%s%s", where, *where ? ": " : "", msg);
  else diag_error(ck->diag, loc, "%s%s%s", where, *where ? ": " : "", msg);
  free(msg);
}

#define ERROR_AT(ck, loc, at, ...) report((ck), W_NONE, (loc), (at), __VA_ARGS__)
#define WARN_AT(ck, w, loc, at, ...) report((ck), (w), (loc), (at), __VA_ARGS__)

static const char *show(struct asl_checker *ck, const struct jnode *v) {
  return json_pos_show(ck->arena, v);
}

static const char *quote(struct asl_checker *ck, const char *s, size_t len) {
  return json_pos_quote(ck->arena, s, len);
}

static int line_of(const struct asl_checker *ck, const struct jmember *m) {
  int line, col;
  diag_line_col(ck->diag, m->value->file, m->key_start, &line, &col);
  return line;
}

/* The location of bytes [from, to) of a string value's decoded text. */
static struct loc text_loc(const struct asl_checker *ck, const struct jnode *s, size_t from,
                           size_t to) {
  if (ck->lowered) { /* a .sf span: exact when the source holds the string's bytes as they are */
    const char *src = ck->diag->files[s->file].text;
    if (s->end - s->start == (int)s->len && !memcmp(src + s->start, s->text, s->len))
      return (struct loc){s->file, s->start + (int)from, s->start + (int)(to > from ? to : from + 1)};
    return value_loc(ck, s);
  }
  const char *text = ck->diag->files[s->file].text;
  int start = json_pos_offset(text, s, from);
  int end = json_pos_offset(text, s, to);
  return (struct loc){s->file, start, end > start ? end : start + 1};
}

/* ---------------------------------------------------------------- small helpers */

static bool is_name(const struct jmember *m, const char *name) {
  return strlen(name) == m->key_len && !memcmp(m->key, name, m->key_len);
}

static bool in_list(const char *const *list, const char *s, size_t len) {
  for (; *list; list++)
    if (strlen(*list) == len && !memcmp(*list, s, len)) return true;
  return false;
}

static bool starts_with(const struct jnode *s, const char *prefix) {
  size_t n = strlen(prefix);
  return s->kind == JN_STRING && s->len >= n && !memcmp(s->text, prefix, n);
}

static bool ends_with(const char *s, size_t len, const char *suffix) {
  size_t n = strlen(suffix);
  return len >= n && !memcmp(s + len - n, suffix, n);
}

static bool has_nul(const char *s, size_t len) { return memchr(s, 0, len) != NULL; }


/* Edit distance with transpositions (optimal string alignment), ASCII case folded;
   large when either word is long, since suggestions are for short names. */
static int distance(const char *a, size_t na, const char *b) {
  size_t nb = strlen(b);
  if (na > 40 || nb > 40) return 99;
  int d[41][41];
  for (size_t i = 0; i <= na; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= nb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= na; i++) {
    for (size_t j = 1; j <= nb; j++) {
      int ca = a[i - 1] | ((a[i - 1] >= 'A' && a[i - 1] <= 'Z') ? 0x20 : 0);
      int cb = b[j - 1] | ((b[j - 1] >= 'A' && b[j - 1] <= 'Z') ? 0x20 : 0);
      int best = d[i - 1][j - 1] + (ca != cb);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  }
  return d[na][nb];
}

/* Keeps the closest candidate that is close enough to be a likely typo. */
struct suggestion {
  const char *word;
  size_t len;
  const char *best;
  int score;
};
static void consider(struct suggestion *s, const char *candidate) {
  int d = distance(s->word, s->len, candidate);
  int limit = strlen(candidate) <= 4 ? 1 : 2;
  if (d <= limit && (!s->best || d < s->score)) s->best = candidate, s->score = d;
}

/* Suggestions compare a name with every state of its States object: beyond this
   many states (or once the error cap is reached) they are skipped, so a huge file
   full of broken names stays linear. */
#define MAX_SUGGESTION_CANDIDATES 1000

static bool may_suggest(const struct asl_checker *ck, int candidates) {
  return candidates <= MAX_SUGGESTION_CANDIDATES && !ck->diag->stopped;
}

/* " (did you mean "X"?)" or "". */
static const char *did_you_mean(struct asl_checker *ck, const struct suggestion *s) {
  return s->best ? arena_printf(ck->arena, " (did you mean \"%s\"?)", s->best) : "";
}

/* ---------------------------------------------------------------- ${Name} placeholders */

/* Hand-written definitions are often templates: SAM and CDK DefinitionSubstitutions,
   Terraform templatefile. The length of the placeholder "${Name}" at S, or 0. Name is
   anything but braces (Terraform writes "${ name }" and "${var.x}"). */
static size_t placeholder_at(const char *s, size_t len) {
  if (len < 4 || s[0] != '$' || s[1] != '{') return 0;
  for (size_t i = 2; i < len; i++) {
    if (s[i] == '}') return i > 2 ? i + 1 : 0;
    if (!s[i] || s[i] == '{') return 0;
  }
  return 0;
}

/* A whole-field placeholder left unresolved: the tool that fills it in may put any
   value there, so the field is not judged. (After --substitute, one that is left has
   no value, which was reported.) */
static bool placeholder(const struct jnode *v) {
  return v->kind == JN_STRING && v->len > 0 && placeholder_at(v->text, v->len) == v->len;
}

/* With --substitute: TEXT with each ${Name} replaced by its value, or NULL when it
   has none. A name without a value is an error (AWS would get the text as it is). */
static char *substituted(struct asl_checker *ck, const struct options *opts, const char *text,
                         size_t len, size_t *out_len, struct loc loc, const struct jpath *at) {
  if (!strstr(text, "${")) return NULL;
  struct buf b = {0};
  for (size_t i = 0; i < len;) {
    size_t n = placeholder_at(text + i, len - i);
    const char *name = text + i + 2;
    size_t name_len = n ? n - 3 : 0;
    while (name_len && *name == ' ') name++, name_len--;
    while (name_len && name[name_len - 1] == ' ') name_len--;
    const struct define *d = NULL;
    for (int k = 0; n && k < opts->nsubstitutions; k++)
      if (strlen(opts->substitutions[k].name) == name_len &&
          !memcmp(opts->substitutions[k].name, name, name_len))
        d = &opts->substitutions[k];
    if (d) {
      buf_adds(&b, d->value);
      opts->substitutions[d - opts->substitutions].used = true;
      i += n;
      continue;
    }
    if (n)
      ERROR_AT(ck, loc, at, "no value for the placeholder %s (give one with --substitute %.*s=VALUE "
               "or in the --substitutions file)", quote(ck, text + i, n), (int)name_len, name);
    buf_add(&b, text + i, n ? n : 1);
    i += n ? n : 1;
  }
  char *out = arena_strndup(ck->arena, b.data ? b.data : "", b.len);
  *out_len = b.len;
  buf_free(&b);
  return out;
}

/* Replaces the placeholders of every string and key in V. */
static void substitute(struct asl_checker *ck, const struct options *opts, struct jnode *v,
                       const struct jpath *at) {
  char *text;
  size_t len;
  if (v->kind == JN_STRING &&
      (text = substituted(ck, opts, v->text, v->len, &len, value_loc(ck, v), at)))
    v->text = text, v->len = len;
  int i = 0;
  for (struct jnode *item = v->items; item; item = item->next, i++)
    substitute(ck, opts, item, ITEM(at, i));
  for (struct jmember *m = v->members; m; m = m->next) {
    substitute(ck, opts, m->value, CHILD(at, m));
    if ((text = substituted(ck, opts, m->key, m->key_len, &len, key_loc(m), CHILD(at, m))))
      m->key = text, m->key_len = len;
  }
}

/* ---------------------------------------------------------------- value checks */

static const char *kind_name(enum jn_kind kind) {
  switch (kind) {
  case JN_STRING: return "a string";
  case JN_OBJECT: return "an object";
  case JN_ARRAY: return "an array";
  case JN_NUMBER: return "a number";
  case JN_TRUE: case JN_FALSE: return "true or false";
  default: return "null";
  }
}

/* True if V has KIND (JN_TRUE stands for either boolean); reports otherwise. */
static bool expect(struct asl_checker *ck, const struct jnode *v, const struct jpath *at,
                   enum jn_kind kind) {
  if (placeholder(v)) return false; /* not judged, and nothing to look into */
  bool ok = v->kind == kind || (kind == JN_TRUE && v->kind == JN_FALSE);
  if (!ok) ERROR_AT(ck, value_loc(ck, v), at, "expected %s, found %s", kind_name(kind), show(ck, v));
  return ok;
}

/* Reports unknown fields of a small object; a close match is suggested. True when
   there were some: a "needs X" error is then left out, X is likely the misspelt one. */
static bool check_fields(struct asl_checker *ck, const struct jnode *obj, const struct jpath *at,
                         const char *const *allowed, const char *what) {
  bool unknown = false;
  for (const struct jmember *m = obj->members; m; m = m->next) {
    if (in_list(allowed, m->key, m->key_len)) continue;
    unknown = true;
    struct suggestion s = {m->key, m->key_len, NULL, 0};
    for (const char *const *a = allowed; *a; a++) consider(&s, *a);
    ERROR_AT(ck, key_loc(m), CHILD(at, m), "unknown field %s in %s%s",
             quote(ck, m->key, m->key_len), what, did_you_mean(ck, &s));
  }
  return unknown;
}

static bool check_enum(struct asl_checker *ck, const struct jnode *v, const struct jpath *at,
                       const char *const *values) {
  if (!expect(ck, v, at, JN_STRING)) return false;
  if (in_list(values, v->text, v->len)) return true;
  struct buf list = {0};
  for (const char *const *p = values; *p; p++)
    buf_printf(&list, "%s\"%s\"", p == values ? "" : p[1] ? ", " : " or ", *p);
  ERROR_AT(ck, value_loc(ck, v), at, "expected %s, found %s", list.data, show(ck, v));
  buf_free(&list);
  return false;
}

/* A string the whole of which is a JSONata expression: "{% ... %}". */
static bool is_jsonata(const struct jnode *v) {
  return v->kind == JN_STRING && v->len >= 4 && !memcmp(v->text, "{%", 2) &&
         ends_with(v->text, v->len, "%}");
}

static void check_variable(struct asl_checker *ck, const struct asl_scope *scope,
                           const struct jnode *v, const struct jpath *at, size_t offset,
                           size_t len, enum warning w);

/* The expression between the delimiters through the JSONata parser (runtime/jsonata.c);
   returns the tree, or NULL after reporting its first error at the offset it gives. */
static struct jn_ast *check_jsonata_syntax(struct asl_checker *ck, const struct jnode *v,
                                           const struct jpath *at) {
  struct jn_ast *tree;
  size_t offset;
  const char *msg = jsonata_parse(ck->arena, v->text + 2, v->len - 4, &tree, &offset);
  if (!msg) return tree;
  ERROR_AT(ck, text_loc(ck, v, 2 + offset, 2 + offset + 1), at, "invalid JSONata expression: %s", msg);
  return NULL;
}

/* What the checks of one JSONata expression's tree share. */
struct jsonata_walk {
  struct asl_checker *ck;
  const struct jnode *v;  /* the "{% ... %}" string */
  const struct jpath *at;
  unsigned forbid;        /* NO_RESULT, NO_ERROR_OUTPUT */
  struct table local;     /* names the expression binds itself: := targets, parameters, @ and # */
};

static bool same(const struct jn_ast *n, const char *text) {
  return n->len == strlen(text) && !memcmp(n->text, text, n->len);
}

/* The expression's own variables, wherever they are bound: an expression that binds
   $f anywhere may call it anywhere without the checks below (a simplification that
   can only leave an error unreported, never report a wrong one). */
static void collect_local(struct jsonata_walk *w, const struct jn_ast *n) {
  for (; n; n = n->next) {
    if ((n->kind == JA_BIND && n->lhs->kind == JA_VARIABLE) ||
        (n->kind == JA_FOCUS || n->kind == JA_INDEX)) {
      const struct jn_ast *var = n->kind == JA_BIND ? n->lhs : n;
      table_put(&w->local, arena_strndup(w->ck->arena, var->text, var->len), (void *)var);
    }
    if (n->kind == JA_LAMBDA)
      for (const struct jn_ast *p = n->items; p; p = p->next)
        table_put(&w->local, arena_strndup(w->ck->arena, p->text, p->len), (void *)p);
    if (n->lhs) collect_local(w, n->lhs);
    if (n->rhs) collect_local(w, n->rhs);
    if (n->third) collect_local(w, n->third);
    if (n->kind != JA_LAMBDA && n->items) collect_local(w, n->items);
  }
}

static bool bound_locally(const struct jsonata_walk *w, const struct jn_ast *var) {
  return table_get(&w->local, arena_strndup(w->ck->arena, var->text, var->len)) != NULL;
}

/* The location of TREE node N's token of LEN bytes inside the string. */
static struct loc node_loc(const struct jsonata_walk *w, const struct jn_ast *n, size_t len) {
  return text_loc(w->ck, w->v, 2 + n->pos, 2 + n->pos + (len ? len : 1));
}

/* A call of $NAME(...): a built-in with the right number of arguments. */
static void check_jsonata_call(struct jsonata_walk *w, const struct jn_ast *call) {
  const struct jn_ast *fn = call->lhs;
  struct asl_checker *ck = w->ck;
  struct loc loc = node_loc(w, fn, fn->len + 1);
  if (same(fn, "eval")) {
    ERROR_AT(ck, loc, w->at,
             "$eval is not available in AWS Step Functions' JSONata: use $parse to read JSON text");
    return;
  }
  const struct jn_builtin *b = jn_builtin_find(fn->text, fn->len);
  if (!b) {
    struct suggestion s = {fn->text, fn->len, NULL, 0};
    for (size_t i = 0; jn_builtin_name(i); i++) consider(&s, jn_builtin_name(i));
    ERROR_AT(ck, loc, w->at, "unknown JSONata function $%.*s%s", (int)fn->len, fn->text,
             s.best ? arena_printf(ck->arena, " (did you mean $%s?)", s.best) : "");
    return;
  }
  int argc = 0, min, max;
  for (const struct jn_ast *a = call->items; a; a = a->next) argc++;
  jn_sig_arity(b->signature, &min, &max);
  if (argc >= min && (max < 0 || argc <= max)) return;
  const char *takes = max < 0    ? arena_printf(ck->arena, "at least %d", min)
                      : min == max ? arena_printf(ck->arena, "%d", min)
                                   : arena_printf(ck->arena, "%d to %d", min, max);
  ERROR_AT(ck, loc, w->at, "$%s takes %s argument%s, found %d", b->name, takes,
           max == 1 && min == 1 ? "" : "s", argc);
}

/* Every node: calls, variables read (read-before-assign, as for JSONPath), and the
   $states fields that have no value where the expression is evaluated. */
static void walk_jsonata(struct jsonata_walk *w, const struct jn_ast *n) {
  for (; n; n = n->next) {
    const struct jn_ast *callee = NULL;
    if ((n->kind == JA_CALL || n->kind == JA_PARTIAL) && n->lhs->kind == JA_VARIABLE &&
        n->lhs->len > 0 && !bound_locally(w, n->lhs)) {
      check_jsonata_call(w, n);
      callee = n->lhs;
    }
    if (n->kind == JA_VARIABLE && n->len > 0 && !same(n, "$") && !same(n, "states") &&
        !bound_locally(w, n) && !jn_builtin_find(n->text, n->len) && !same(n, "eval") &&
        w->ck->scope)
      check_variable(w->ck, w->ck->scope, w->v, w->at, 2 + n->pos + 1, n->len, W_JSONATA_VARIABLE);
    if (n->kind == JA_BINARY && !strcmp(n->op, ".") && n->lhs->kind == JA_VARIABLE &&
        same(n->lhs, "states") && n->rhs->kind == JA_NAME) {
      bool result = same(n->rhs, "result"), error_output = same(n->rhs, "errorOutput");
      if ((result && (w->forbid & NO_RESULT)) || (error_output && (w->forbid & NO_ERROR_OUTPUT)))
        ERROR_AT(w->ck, node_loc(w, n->lhs, 8 + n->rhs->len), w->at, "$states.%s has no value here (%s)",
                 result ? "result" : "errorOutput",
                 result ? "it exists only in the Output and Assign of a Task, Parallel or Map state"
                        : "it exists only in a Catch's Output and Assign");
    }
    if (n->lhs && n->lhs != callee) walk_jsonata(w, n->lhs);
    if (n->rhs) walk_jsonata(w, n->rhs);
    if (n->third) walk_jsonata(w, n->third);
    if (n->items && n->kind != JA_LAMBDA) walk_jsonata(w, n->items);
  }
}

/* The checks after parsing, on the tree. */
static void check_jsonata_tree(struct asl_checker *ck, const struct jnode *v, const struct jpath *at,
                               unsigned forbid, const struct jn_ast *tree) {
  struct jsonata_walk w = {ck, v, at, forbid, {0}};
  collect_local(&w, tree);
  walk_jsonata(&w, tree);
  table_free(&w.local);
}

/* In a JSONata state, a string that means to be an expression must be exactly one;
   FORBID lists $states fields that have no value where the string is evaluated. */
static void check_jsonata_string(struct asl_checker *ck, const struct jnode *v,
                                 const struct jpath *at, unsigned forbid) {
  const char *t = v->text;
  bool opens = v->len >= 2 && !memcmp(t, "{%", 2), closes = ends_with(t, v->len, "%}");
  bool inside = strstr(t, "{%") && strstr(t, "%}");
  if (!opens && !closes && !inside) return; /* a literal string */
  if (opens != closes || v->len < 4) {
    ERROR_AT(ck, value_loc(ck, v), at,
             "a JSONata expression must be the whole string, \"{%% expression %%}\", with "
             "nothing outside the delimiters; found %s",
             show(ck, v));
    return;
  }
  /* AWS evaluates only a whole "{% ... %}" string and passes one with text around it
     on as it is (LocalStack's recorded test_base_cases[BASE_LITERALS] returns
     " {% states.input %} " unchanged): likely a mistake, but not an invalid definition. */
  if (!opens) {
    WARN_AT(ck, W_JSONATA_TEXT, value_loc(ck, v), at,
            "%s is passed on as literal text: a JSONata expression is evaluated only when it is "
            "the whole string, \"{%% expression %%}\", with nothing outside the delimiters",
            show(ck, v));
    return;
  }
  size_t i = 2;
  while (i < v->len - 2 && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) i++;
  if (i == v->len - 2) {
    ERROR_AT(ck, value_loc(ck, v), at, "empty JSONata expression");
    return;
  }
  struct jn_ast *tree = check_jsonata_syntax(ck, v, at);
  if (tree) check_jsonata_tree(ck, v, at, forbid, tree);
}

/* Every string in V, at any depth, through check_jsonata_string; keys ending in
   ".$" belong to JSONPath: AWS keeps such a key as written and its value as literal
   text (the same recorded test), so they are warned about. */
static void check_jsonata_value(struct asl_checker *ck, const struct jnode *v,
                                const struct jpath *at, unsigned forbid) {
  if (v->kind == JN_STRING) {
    check_jsonata_string(ck, v, at, forbid);
  } else if (v->kind == JN_ARRAY) {
    int i = 0;
    for (const struct jnode *item = v->items; item; item = item->next, i++)
      check_jsonata_value(ck, item, ITEM(at, i), forbid);
  } else if (v->kind == JN_OBJECT) {
    for (const struct jmember *m = v->members; m; m = m->next) {
      if (ends_with(m->key, m->key_len, ".$"))
        WARN_AT(ck, W_JSONPATH_KEY, key_loc(m), CHILD(at, m),
                "keys ending in \".$\" are JSONPath; in a JSONata state this key is kept as "
                "written and its value is not evaluated: write %s with a \"{%% ... %%}\" value",
                quote(ck, m->key, m->key_len - 2));
      check_jsonata_value(ck, m->value, CHILD(at, m), forbid);
    }
  }
}

/* An integer field from MIN to MAX; in a JSONata state it may be an expression. */
static bool check_int(struct asl_checker *ck, const struct jnode *v, const struct jpath *at,
                      long long min, long long max, bool jsonata, long long *out) {
  if (placeholder(v)) return false;
  if (jsonata && is_jsonata(v)) {
    check_jsonata_string(ck, v, at, NO_RESULT | NO_ERROR_OUTPUT);
    return false;
  }
  const char *want = min == 0 ? "a non-negative integer" : min == 1 ? "a positive integer"
                                                                    : "an integer";
  if (v->kind != JN_NUMBER || !v->is_integer) {
    if (!jsonata && v->kind == JN_STRING && starts_with(v, "{%"))
      ERROR_AT(ck, value_loc(ck, v), at,
               "expected %s, found %s (JSONata expressions need \"QueryLanguage\": \"JSONata\")",
               want, show(ck, v));
    else
      ERROR_AT(ck, value_loc(ck, v), at, "expected %s%s, found %s", want,
               jsonata ? " or a \"{% ... %}\" expression" : "", show(ck, v));
    return false;
  }
  /* Longer than 18 digits cannot be in range; avoid overflowing long long. */
  bool huge = v->len > (v->text[0] == '-' ? 19u : 18u);
  long long n = huge ? 0 : strtoll(v->text, NULL, 10);
  if (!huge && n < min) {
    ERROR_AT(ck, value_loc(ck, v), at, "expected %s, found %s", want, show(ck, v));
    return false;
  }
  if (huge && v->text[0] == '-') {
    ERROR_AT(ck, value_loc(ck, v), at, "expected %s, found %s", want, show(ck, v));
    return false;
  }
  if (huge || n > max) {
    ERROR_AT(ck, value_loc(ck, v), at, "%s is too large (at most %lld)", show(ck, v), max);
    return false;
  }
  if (out) *out = n;
  return true;
}

/* A number field of at least MIN (and at most MAX unless MAX < MIN). */
static void check_number(struct asl_checker *ck, const struct jnode *v, const struct jpath *at,
                         double min, double max, bool jsonata) {
  if (placeholder(v)) return;
  if (jsonata && is_jsonata(v)) {
    check_jsonata_string(ck, v, at, NO_RESULT | NO_ERROR_OUTPUT);
    return;
  }
  if (v->kind != JN_NUMBER) {
    ERROR_AT(ck, value_loc(ck, v), at, "expected a number%s, found %s",
             jsonata ? " or a \"{% ... %}\" expression" : "", show(ck, v));
    return;
  }
  if (v->number < min || (max >= min && v->number > max)) {
    if (max >= min)
      ERROR_AT(ck, value_loc(ck, v), at, "expected a number from %g to %g, found %s", min, max,
               show(ck, v));
    else
      ERROR_AT(ck, value_loc(ck, v), at, "expected a number of at least %g, found %s", min,
               show(ck, v));
  }
}

/* A string field; in a JSONata state it may be an expression. */
static void check_string(struct asl_checker *ck, const struct jnode *v, const struct jpath *at,
                         bool jsonata) {
  if (!expect(ck, v, at, JN_STRING)) return;
  if (jsonata) check_jsonata_string(ck, v, at, NO_RESULT | NO_ERROR_OUTPUT);
}

static void check_timestamp(struct asl_checker *ck, const struct jnode *v, const struct jpath *at,
                            bool jsonata) {
  if (placeholder(v)) return;
  if (jsonata && is_jsonata(v)) {
    check_jsonata_string(ck, v, at, NO_RESULT | NO_ERROR_OUTPUT);
    return;
  }
  if (v->kind != JN_STRING || !asl_timestamp_valid(v->text, v->len))
    ERROR_AT(ck, value_loc(ck, v), at,
             "expected an RFC 3339 timestamp such as \"2024-03-14T01:59:00Z\" (uppercase T and "
             "Z, or an offset like +01:00), found %s", show(ck, v));
}

/* ---------------------------------------------------------------- paths and variables */

enum path_use { USE_ANY, USE_REFERENCE, USE_RESULT };

/* A $name read in SCOPE must be assigned there or in an enclosing scope (not past
   a Distributed Map, whose iterations are separate executions). W: W_NONE for an
   error (JSONPath, which AWS refuses), else the warning (JSONata: AWS accepts the
   definition and the expression reads undefined). */
static void check_variable(struct asl_checker *ck, const struct asl_scope *scope,
                           const struct jnode *v, const struct jpath *at, size_t offset,
                           size_t len, enum warning w) {
  const char *name = arena_strndup(ck->arena, v->text + offset, len);
  struct loc loc = text_loc(ck, v, offset - 1, offset + len);
  const char *then = w == W_NONE ? "" : ": JSONata reads it as undefined";
  if (!table_get(&ck->all_vars, name)) {
    report(ck, w, loc, at, "no state assigns the variable $%s%s", name, then);
    return;
  }
  for (const struct asl_scope *s = scope; s; s = s->up) {
    if (table_get(&s->vars, name)) return;
    if (s->distributed) {
      report(ck, w, loc, at,
             "$%s is not assigned inside this Distributed Map; its iterations cannot read the "
             "variables of the outer workflow%s", name, then);
      return;
    }
  }
  report(ck, w, loc, at,
         "$%s is not assigned in this scope or an enclosing one (variables assigned in a "
         "Parallel branch or Map iteration end with it)%s", name, then);
}

/* A JSONPath string: syntax at its exact place, then what USE requires. */
static bool check_path(struct asl_checker *ck, const struct asl_scope *scope,
                       const struct jnode *v, const struct jpath *at, enum path_use use,
                       const char *field) {
  if (placeholder(v)) return false;
  if (v->kind != JN_STRING) {
    ERROR_AT(ck, value_loc(ck, v), at, "expected a path such as \"$.items\", found %s",
             show(ck, v));
    return false;
  }
  /* "$.${Key}": judged with each placeholder read as a field name of its length,
     so offsets stay those of the written text. */
  if (strstr(v->text, "${")) {
    char *masked = arena_strndup(ck->arena, v->text, v->len);
    for (size_t i = 0; i < v->len; i++) {
      size_t n = placeholder_at(masked + i, v->len - i);
      if (n) memset(masked + i, 'x', n), i += n - 1;
    }
    struct jnode *copy = arena_alloc(ck->arena, sizeof *copy);
    *copy = *v;
    copy->text = masked;
    v = copy;
  }
  /* AWS compiles paths with Jayway JsonPath, which trims the path first
     (PathCompiler.compile: ci.trim()), so "$$.Execution.Name " reads the name. */
  size_t len = v->len;
  while (len > 1 && strchr(" \t\r\n", v->text[len - 1])) len--;
  if (len < v->len && v->text[0] == '$') {
    WARN_AT(ck, W_PATH_SPACE, text_loc(ck, v, len, v->len), at,
            "whitespace at the end of a path: AWS trims it and reads %s",
            quote(ck, v->text, len));
    struct jnode *trimmed = arena_alloc(ck->arena, sizeof *trimmed);
    *trimmed = *v;
    trimmed->len = len;
    v = trimmed;
  }
  struct path_info info;
  size_t offset = 0;
  const char *msg = path_check(v->text, v->len, &info, &offset);
  if (msg) {
    if (v->len == 0 || v->text[0] != '$')
      ERROR_AT(ck, value_loc(ck, v), at, "expected a path starting with '$', found %s",
               show(ck, v));
    else
      ERROR_AT(ck, text_loc(ck, v, offset, offset + 1), at, "invalid path: %s", msg);
    return false;
  }
  if (use != USE_ANY && !info.is_reference) {
    ERROR_AT(ck, value_loc(ck, v), at,
             "%s must be a reference path, one that selects a single value (no '*', '..', ',', "
             "':' or filters)", field);
    return false;
  }
  if (use == USE_RESULT && info.root == PATH_CONTEXT) {
    ERROR_AT(ck, value_loc(ck, v), at, "%s cannot write into the context object ($$)", field);
    return false;
  }
  if (use == USE_RESULT && info.root == PATH_VARIABLE) {
    ERROR_AT(ck, value_loc(ck, v), at, "%s cannot write to a variable; use \"Assign\"", field);
    return false;
  }
  if (info.root == PATH_VARIABLE) check_variable(ck, scope, v, at, 1, info.var_len, W_NONE);
  return true;
}

/* A field that is a path or null (InputPath, OutputPath, ResultPath). */
static void check_nullable_path(struct asl_checker *ck, const struct asl_scope *scope,
                                const struct jnode *v, const struct jpath *at, enum path_use use,
                                const char *field) {
  if (v->kind != JN_NULL) check_path(ck, scope, v, at, use, field);
}

/* ---------------------------------------------------------------- intrinsic functions */

/* A cursor over the decoded text of a string value holding an intrinsic call. */
struct icursor {
  struct asl_checker *ck;
  const struct asl_scope *scope;
  const struct jnode *v;
  const struct jpath *at;
  const char *s;
  size_t len, pos;
  bool failed;
};

enum arg_kind { ARG_STRING, ARG_NUMBER, ARG_TRUE, ARG_FALSE, ARG_NULL, ARG_PATH, ARG_CALL };
struct arg {
  enum arg_kind kind;
  size_t start, end;
  int placeholders;        /* ARG_STRING: unescaped {} pairs */
  const char *text;        /* ARG_STRING: the decoded content */
  bool returns_string;     /* ARG_CALL */
};

static void ierror(struct icursor *c, size_t from, size_t to, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void ierror(struct icursor *c, size_t from, size_t to, const char *fmt, ...) {
  if (c->failed) return;
  c->failed = true;
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  ERROR_AT(c->ck, text_loc(c->ck, c->v, from, to > from ? to : from + 1), c->at, "%s", msg);
  free(msg);
}

static int ipeek(const struct icursor *c) {
  return c->pos < c->len ? (unsigned char)c->s[c->pos] : -1;
}

static void iskip_space(struct icursor *c) {
  while (ipeek(c) == ' ' || ipeek(c) == '\t' || ipeek(c) == '\n' || ipeek(c) == '\r') c->pos++;
}

static bool is_name_char(int ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
         ch == '.' || ch == '_';
}

static bool parse_call(struct icursor *c, int depth, struct arg *out);

/* 'text' with \' \{ \} \\ as the only escapes. */
static bool parse_string_arg(struct icursor *c, struct arg *a) {
  size_t open = c->pos++;
  struct buf text = {0};
  bool escaped_prev = false, ok = false;
  a->kind = ARG_STRING;
  for (;;) {
    int ch = ipeek(c);
    if (ch < 0) {
      ierror(c, open, open + 1, "unterminated string in an intrinsic function call");
      break;
    }
    if (ch == '\'') {
      c->pos++;
      ok = true;
      break;
    }
    if (ch == '\\') {
      int e = c->pos + 1 < c->len ? (unsigned char)c->s[c->pos + 1] : -1;
      if (e != '\'' && e != '{' && e != '}' && e != '\\') {
        ierror(c, c->pos, c->pos + 2,
               "invalid escape in an intrinsic string: only \\', \\{, \\} and \\\\ are escapes "
               "(in JSON, write \\\\' and so on)");
        break;
      }
      buf_addc(&text, (char)e);
      c->pos += 2;
      escaped_prev = true;
      continue;
    }
    /* An unescaped "{}" is a States.Format placeholder. */
    if (ch == '}' && !escaped_prev && text.len && text.data[text.len - 1] == '{' &&
        c->pos > 0 && c->s[c->pos - 1] == '{')
      a->placeholders++;
    buf_addc(&text, (char)ch);
    c->pos++;
    escaped_prev = false;
  }
  a->text = arena_strndup(c->ck->arena, text.data ? text.data : "", text.len);
  buf_free(&text);
  a->end = c->pos;
  return ok;
}

static bool parse_number_arg(struct icursor *c, struct arg *a) {
  a->kind = ARG_NUMBER;
  if (ipeek(c) == '-') c->pos++;
  size_t digits = c->pos;
  while (ipeek(c) >= '0' && ipeek(c) <= '9') c->pos++;
  bool ok = c->pos > digits;
  if (ok && ipeek(c) == '.') {
    size_t frac = ++c->pos;
    while (ipeek(c) >= '0' && ipeek(c) <= '9') c->pos++;
    ok = c->pos > frac;
  }
  if (ok && (ipeek(c) == 'e' || ipeek(c) == 'E')) {
    c->pos++;
    if (ipeek(c) == '+' || ipeek(c) == '-') c->pos++;
    size_t exp = c->pos;
    while (ipeek(c) >= '0' && ipeek(c) <= '9') c->pos++;
    ok = c->pos > exp;
  }
  a->end = c->pos;
  if (!ok) ierror(c, a->start, c->pos + 1, "invalid number in an intrinsic function call");
  return ok;
}

/* A path argument ends at a ',' or ')' or space outside brackets and quotes. */
static bool parse_path_arg(struct icursor *c, struct arg *a) {
  a->kind = ARG_PATH;
  int depth = 0;
  while (c->pos < c->len) {
    int ch = ipeek(c);
    if (depth == 0 && (ch == ',' || ch == ')' || ch == ' ' || ch == '\t')) break;
    if (ch == '[') depth++;
    else if (ch == ']' && depth > 0) depth--;
    else if ((ch == '\'' || ch == '"') && depth > 0) {
      c->pos++;
      while (c->pos < c->len && ipeek(c) != ch) c->pos += ipeek(c) == '\\' ? 2 : 1;
      if (c->pos > c->len) c->pos = c->len;
    }
    if (c->pos < c->len) c->pos++;
  }
  a->end = c->pos;
  struct path_info info;
  size_t offset = 0;
  const char *msg = path_check(c->s + a->start, a->end - a->start, &info, &offset);
  if (msg) {
    ierror(c, a->start + offset, a->start + offset + 1, "invalid path: %s", msg);
    return false;
  }
  if (info.root == PATH_VARIABLE)
    check_variable(c->ck, c->scope, c->v, c->at, a->start + 1, info.var_len, W_NONE);
  return true;
}

static bool parse_arg(struct icursor *c, int depth, struct arg *a) {
  memset(a, 0, sizeof *a);
  a->start = c->pos;
  int ch = ipeek(c);
  if (ch == '\'') return parse_string_arg(c, a);
  if (ch == '-' || (ch >= '0' && ch <= '9')) return parse_number_arg(c, a);
  if (ch == '$') return parse_path_arg(c, a);
  size_t end = c->pos;
  while (end < c->len && is_name_char((unsigned char)c->s[end])) end++;
  static const struct { const char *word; enum arg_kind kind; } words[] = {
      {"true", ARG_TRUE}, {"false", ARG_FALSE}, {"null", ARG_NULL}};
  for (int i = 0; i < 3; i++) {
    if (end - c->pos == strlen(words[i].word) && !memcmp(c->s + c->pos, words[i].word, end - c->pos)) {
      a->kind = words[i].kind;
      c->pos = a->end = end;
      return true;
    }
  }
  if (end > c->pos) return parse_call(c, depth + 1, a);
  if (ch < 0) ierror(c, c->len, c->len + 1, "expected an argument, found the end of the string");
  else if (ch == '"') ierror(c, c->pos, c->pos + 1,
                             "strings in intrinsic function calls use single quotes");
  else ierror(c, c->pos, c->pos + 1,
              "expected an argument (a 'string', number, true, false, null, path or call)");
  return false;
}

/* check_call_args looks at no argument past the third (the States.JsonMerge flag), so only
   that many are kept; any number may be written. */
#define CHECKED_ARGS 3

/* Checks what the call's function knows about its arguments: ARGS holds the first
   CHECKED_ARGS of the N written. */
static void check_call_args(struct icursor *c, const char *name, const struct arg *args, int n) {
  /* Arguments that must be numbers: a string written there (or a call that returns
     one) cannot be one. Bit i: argument i. */
  static const struct {
    const char *name;
    unsigned numbers;
  } numeric[] = {{"States.MathAdd", 3}, {"States.MathRandom", 7}, {"States.ArrayRange", 7},
                 {"States.ArrayGetItem", 2}, {"States.ArrayPartition", 2}};
  for (size_t f = 0; f < sizeof numeric / sizeof *numeric; f++) {
    if (strcmp(name, numeric[f].name) != 0) continue;
    for (int i = 0; i < n && i < CHECKED_ARGS; i++)
      if ((numeric[f].numbers >> i & 1) &&
          (args[i].kind == ARG_STRING || (args[i].kind == ARG_CALL && args[i].returns_string)))
        ierror(c, args[i].start, args[i].end, "argument %d of %s is a number, not a string", i + 1,
               name);
  }
  if (!strcmp(name, "States.Format") && n >= 1 && args[0].kind == ARG_STRING &&
      args[0].placeholders != n - 1)
    ierror(c, args[0].start, args[0].end,
           "the States.Format template has %d {} placeholder%s but %d value%s follow%s",
           args[0].placeholders, args[0].placeholders == 1 ? "" : "s", n - 1,
           n - 1 == 1 ? "" : "s", n - 1 == 1 ? "s" : "");
  if (!strcmp(name, "States.Hash") && n == 2 && args[1].kind == ARG_STRING &&
      !in_list(hash_algorithms, args[1].text, strlen(args[1].text)))
    ierror(c, args[1].start, args[1].end,
           "States.Hash takes MD5, SHA-1, SHA-256, SHA-384 or SHA-512, not '%s'", args[1].text);
  if (!strcmp(name, "States.JsonMerge") && n == 3 && args[2].kind == ARG_TRUE)
    ierror(c, args[2].start, args[2].end,
           "Step Functions supports only shallow merging: the third argument must be false");
}

/* States.Name(arg, ...) at c->pos. */
static bool parse_call(struct icursor *c, int depth, struct arg *out) {
  out->kind = ARG_CALL;
  out->start = c->pos;
  if (depth > MAX_CALL_DEPTH) {
    ierror(c, c->pos, c->pos + 1, "intrinsic function calls nested more than %d deep",
           MAX_CALL_DEPTH);
    return false;
  }
  size_t name_start = c->pos;
  while (is_name_char(ipeek(c))) c->pos++;
  size_t name_end = c->pos;
  const char *name = arena_strndup(c->ck->arena, c->s + name_start, name_end - name_start);
  if (name_end == name_start) {
    ierror(c, name_start, name_start + 1,
           "expected an intrinsic function such as States.Format(...)");
    return false;
  }
  if (ipeek(c) != '(') {
    ierror(c, name_start, name_end, "expected '(' right after %s", name);
    return false;
  }
  int min = 0, max = -1;
  bool returns_string = false;
  if (strncmp(name, "States.", 7) != 0 ||
      !intrinsic_arity(name + 7, &min, &max, &returns_string)) {
    /* A bare "Format" is compared as "States.Format". */
    const char *word = strchr(name, '.') ? name : arena_printf(c->ck->arena, "States.%s", name);
    struct suggestion sug = {word, strlen(word), NULL, 0};
    const struct intrinsic *f;
    for (size_t i = 0; (f = intrinsic_at(i)) != NULL; i++)
      consider(&sug, arena_printf(c->ck->arena, "States.%s", f->asl));
    ierror(c, name_start, name_end, "unknown intrinsic function %s%s", name,
           did_you_mean(c->ck, &sug));
    return false;
  }
  out->returns_string = returns_string;
  c->pos++; /* '(' */
  struct arg args[CHECKED_ARGS]; /* the first few, which check_call_args looks at */
  int n = 0;
  iskip_space(c);
  if (ipeek(c) == ')') {
    c->pos++;
  } else {
    for (;;) {
      struct arg a;
      if (!parse_arg(c, depth, &a)) return false;
      if (n < CHECKED_ARGS) args[n] = a;
      n++;
      iskip_space(c);
      int ch = ipeek(c);
      if (ch == ')') {
        c->pos++;
        break;
      }
      if (ch != ',') {
        ierror(c, c->pos, c->pos + 1, "expected ',' or ')' after an argument of %s", name);
        return false;
      }
      c->pos++;
      iskip_space(c);
    }
  }
  out->end = c->pos;
  if (n < min || (max >= 0 && n > max)) {
    if (min == max)
      ierror(c, name_start, name_end, "%s takes %d argument%s, not %d", name, min,
             min == 1 ? "" : "s", n);
    else if (max < 0)
      ierror(c, name_start, name_end, "%s takes at least %d argument%s, not %d", name, min,
             min == 1 ? "" : "s", n);
    else
      ierror(c, name_start, name_end, "%s takes %d to %d arguments, not %d", name, min, max, n);
    return false;
  }
  check_call_args(c, name, args, n);
  return !c->failed;
}

/* The whole string V is one intrinsic call; *RETURNS_STRING tells its result type. */
static bool check_intrinsic(struct asl_checker *ck, const struct asl_scope *scope,
                            const struct jnode *v, const struct jpath *at, bool *returns_string) {
  struct icursor c = {ck, scope, v, at, v->text, v->len, 0, false};
  struct arg call;
  memset(&call, 0, sizeof call);
  if (!parse_call(&c, 0, &call)) return false;
  if (c.pos < c.len) {
    ierror(&c, c.pos, c.len, "unexpected text after the intrinsic function call");
    return false;
  }
  if (returns_string) *returns_string = call.returns_string;
  return true;
}

/* The value of a ".$" key: a path or an intrinsic function call. */
static void check_dynamic(struct asl_checker *ck, const struct asl_scope *scope,
                          const struct jnode *v, const struct jpath *at) {
  if (v->kind != JN_STRING) {
    ERROR_AT(ck, value_loc(ck, v), at,
             "the value of a key ending in \".$\" must be a string (a path or an intrinsic "
             "function), found %s", show(ck, v));
  } else if (v->len > 0 && v->text[0] == '$') {
    check_path(ck, scope, v, at, USE_ANY, NULL);
  } else if (v->len > 0 && is_name_char((unsigned char)v->text[0]) && memchr(v->text, '(', v->len)) {
    check_intrinsic(ck, scope, v, at, NULL);
  } else {
    ERROR_AT(ck, value_loc(ck, v), at,
             "the value of a key ending in \".$\" must be a path (\"$.x\", \"$$.x\", \"$var\") or "
             "an intrinsic function (\"States.Format(...)\"), found %s", show(ck, v));
  }
}

/* ---------------------------------------------------------------- payload templates */

struct keyref {
  const char *key;
  size_t len;
  const struct jmember *m;
};

static int compare_keyrefs(const void *a, const void *b) {
  const struct keyref *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->key, y->key, n);
  if (c) return c;
  if (x->len != y->len) return x->len < y->len ? -1 : 1;
  return (x->m->key_start > y->m->key_start) - (x->m->key_start < y->m->key_start);
}

/* After ".$" is stripped, two keys of one object may name the same field. Exact
   duplicates were reported by the parser already. */
static void check_stripped_duplicates(struct asl_checker *ck, const struct jnode *obj,
                                      const struct jpath *at) {
  if (obj->count < 2) return;
  struct keyref *refs = xmalloc((size_t)obj->count * sizeof *refs);
  int n = 0;
  for (const struct jmember *m = obj->members; m; m = m->next) {
    bool dollar = ends_with(m->key, m->key_len, ".$");
    refs[n++] = (struct keyref){m->key, m->key_len - (dollar ? 2 : 0), m};
  }
  qsort(refs, (size_t)n, sizeof *refs, compare_keyrefs);
  for (int i = 1; i < n; i++) {
    const struct keyref *a = &refs[i - 1], *b = &refs[i];
    if (a->len != b->len || memcmp(a->key, b->key, a->len)) continue;
    if (a->m->key_len == b->m->key_len) continue; /* the same key twice: the parser said so */
    ERROR_AT(ck, key_loc(b->m), CHILD(at, b->m),
             "%s and %s (line %d) both set the field %s",
             quote(ck, b->m->key, b->m->key_len), quote(ck, a->m->key, a->m->key_len),
             line_of(ck, a->m), quote(ck, b->key, b->len));
  }
  free(refs);
}

/* A JSONPath payload template, at any depth: ".$" values are paths or calls. */
static void walk_template(struct asl_checker *ck, const struct asl_scope *scope,
                          const struct jnode *v, const struct jpath *at) {
  if (v->kind == JN_ARRAY) {
    int i = 0;
    for (const struct jnode *item = v->items; item; item = item->next, i++)
      walk_template(ck, scope, item, ITEM(at, i));
    return;
  }
  if (v->kind != JN_OBJECT) return;
  for (const struct jmember *m = v->members; m; m = m->next) {
    if (ends_with(m->key, m->key_len, ".$")) {
      check_dynamic(ck, scope, m->value, CHILD(at, m));
      continue;
    }
    const struct jnode *val = m->value;
    if (val->kind == JN_STRING && val->len > 1 && val->text[0] == '$' &&
        !path_check(val->text, val->len, NULL, NULL) && (val->text[1] == '.' || val->text[1] == '$')) {
      if (ck->lowered) /* in .sf, paths are written bare */
        WARN_AT(ck, W_LITERAL_PATH, value_loc(ck, val), CHILD(at, m),
                "this path is passed on as literal text; to read it, write it without quotes");
      else
        WARN_AT(ck, W_LITERAL_PATH, value_loc(ck, val), CHILD(at, m),
                "this path is passed on as literal text; to evaluate it, name the field %s",
                quote(ck, arena_printf(ck->arena, "%.*s.$", (int)m->key_len, m->key),
                      m->key_len + 2));
    }
    walk_template(ck, scope, val, CHILD(at, m));
  }
  check_stripped_duplicates(ck, v, at);
}

/* Parameters, ResultSelector, ItemSelector, ...: an object, walked as above. */
static void check_template(struct asl_checker *ck, const struct asl_scope *scope,
                           const struct jnode *v, const struct jpath *at) {
  if (!expect(ck, v, at, JN_OBJECT)) return;
  walk_template(ck, scope, v, at);
}

/* Arguments, ItemSelector, BatchInput, ... in JSONata: an object or an expression. */
static void check_jsonata_object(struct asl_checker *ck, const struct jnode *v,
                                 const struct jpath *at, unsigned forbid) {
  if (v->kind == JN_STRING && is_jsonata(v)) {
    check_jsonata_string(ck, v, at, forbid);
    return;
  }
  if (v->kind != JN_OBJECT) {
    ERROR_AT(ck, value_loc(ck, v), at, "expected an object or a \"{%% ... %%}\" expression, found %s",
             show(ck, v));
    return;
  }
  check_jsonata_value(ck, v, at, forbid);
}

/* A payload field in the state's language. */
static void check_payload(struct asl_ctx *x, const struct jnode *v, const struct jpath *at,
                          unsigned forbid) {
  if (x->jsonata) check_jsonata_object(x->ck, v, at, forbid);
  else check_template(x->ck, x->scope, v, at);
}

/* ---------------------------------------------------------------- variables */

static bool is_ident_char(unsigned char c, bool first) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80 ||
         (!first && c >= '0' && c <= '9');
}

/* The name an Assign key sets: the key without ".$". */
static size_t assigned_length(const struct jmember *m) {
  return m->key_len - (ends_with(m->key, m->key_len, ".$") ? 2 : 0);
}

/* Variable names (asl.md 2.5), and no assignment in a branch or iteration to a name
   an outer scope assigns. */
static void check_variable_name(struct asl_checker *ck, const struct asl_scope *scope,
                                const struct jmember *m, const struct jpath *at) {
  size_t len = assigned_length(m);
  const char *bad = NULL;
  if (len == 0) bad = "a variable name cannot be empty";
  else if (memchr(m->key, '.', len) || memchr(m->key, '[', len))
    bad = "Assign sets whole variables; a name cannot contain '.' or '[' (assign the whole "
          "value instead)";
  else if (len == 6 && !memcmp(m->key, "states", 6))
    bad = "\"states\" is reserved for $states and cannot be assigned";
  else if (utf8_count(m->key, len) > ASL_MAX_NAME)
    bad = "a variable name has at most 80 characters";
  else
    for (size_t i = 0; i < len && !bad; i++)
      if (!is_ident_char((unsigned char)m->key[i], i == 0))
        bad = "a variable name is made of letters, digits and '_', and does not start with a digit";
  if (bad) {
    ERROR_AT(ck, key_loc(m), at, "%s", bad);
    return;
  }
  const char *name = arena_strndup(ck->arena, m->key, len);
  for (const struct asl_scope *s = scope; s->up && !s->distributed; s = s->up) {
    const struct jmember *outer = table_get(&s->up->vars, name);
    if (outer) {
      ERROR_AT(ck, key_loc(m), at,
               "the variable $%s is assigned in an outer scope (line %d); a Parallel branch or "
               "Map iteration cannot assign it", name, line_of(ck, outer));
      return;
    }
  }
}

static void check_assign(struct asl_ctx *x, const struct jnode *v, const struct jpath *at,
                         unsigned forbid) {
  struct asl_checker *ck = x->ck;
  if (!expect(ck, v, at, JN_OBJECT)) return;
  for (const struct jmember *m = v->members; m; m = m->next)
    check_variable_name(ck, x->scope, m, CHILD(at, m));
  if (x->jsonata) check_jsonata_value(ck, v, at, forbid);
  else walk_template(ck, x->scope, v, at);
}

/* Remembers the variables an Assign object sets, in TABLE. */
static void note_assignments(struct asl_checker *ck, struct table *table, const struct jnode *v) {
  if (!v || v->kind != JN_OBJECT) return;
  for (const struct jmember *m = v->members; m; m = m->next) {
    size_t len = assigned_length(m);
    if (len == 0 || has_nul(m->key, len)) continue;
    const char *name = arena_strndup(ck->arena, m->key, len);
    if (!table_get(table, name)) table_put(table, name, (void *)m);
  }
}

static const struct jnode *member_value(const struct jnode *obj, const char *key) {
  const struct jmember *m = json_pos_get(obj, key);
  return m ? m->value : NULL;
}

/* The Assign objects of a state itself (not of nested states): its own, its Choice
   rules' and its Catchers'. */
static void note_state_assignments(struct asl_checker *ck, struct table *table,
                                   const struct jnode *state) {
  note_assignments(ck, table, member_value(state, "Assign"));
  static const char *const lists[] = {"Choices", "Catch"};
  for (int i = 0; i < 2; i++) {
    const struct jnode *list = member_value(state, lists[i]);
    if (!list || list->kind != JN_ARRAY) continue;
    for (const struct jnode *item = list->items; item; item = item->next)
      note_assignments(ck, table, member_value(item, "Assign"));
  }
}

/* ---------------------------------------------------------------- names, first pass */

static void check_state_name(struct asl_checker *ck, const struct jmember *m,
                             const struct jpath *at) {
  if (m->key_len == 0) {
    ERROR_AT(ck, key_loc(m), at, "a state name cannot be empty");
    return;
  }
  if (utf8_count(m->key, m->key_len) > ASL_MAX_NAME) {
    ERROR_AT(ck, key_loc(m), at, "a state name has at most %d characters, this one has %zu",
             ASL_MAX_NAME, utf8_count(m->key, m->key_len));
    return;
  }
  for (size_t i = 0; i < m->key_len; i++) {
    unsigned char c = (unsigned char)m->key[i];
    bool c1 = c == 0xC2 && i + 1 < m->key_len && (unsigned char)m->key[i + 1] >= 0x80 &&
              (unsigned char)m->key[i + 1] <= 0x9F; /* U+0080..U+009F */
    if (c < 0x20 || c == 0x7f || c1) {
      ERROR_AT(ck, key_loc(m), at, "a state name cannot contain control characters");
      return;
    }
  }
  const char *name = m->key; /* no NUL inside: that is a control character */
  const struct jmember *first = table_get(&ck->names, name);
  if (first) {
    ERROR_AT(ck, key_loc(m), at,
             "the state name %s is already used at line %d (state names are unique in the whole "
             "state machine, branches and Map processors included)",
             quote(ck, m->key, m->key_len), line_of(ck, first));
    return;
  }
  table_put(&ck->names, name, (void *)m);
}

static const char *processor_kind(const char *field) {
  return !strcmp(field, "Iterator") ? "Map's Iterator" : "Map's ItemProcessor";
}

/* In document order: state names (unique machine-wide) and assigned variables. */
static void collect_names(struct asl_checker *ck, const struct jnode *machine,
                          const struct jpath *at, const char *kind) {
  const struct jmember *states = json_pos_get(machine, "States");
  if (!states || states->value->kind != JN_OBJECT) return;
  const struct jpath *states_at = CHILD(at, states);
  for (const struct jmember *m = states->value->members; m; m = m->next) {
    const struct jpath *state_at = CHILD(states_at, m);
    check_state_name(ck, m, state_at);
    if (!has_nul(m->key, m->key_len) && !table_get(&ck->homes, m->key))
      table_put(&ck->homes, m->key, (void *)kind);
    const struct jnode *s = m->value;
    if (s->kind != JN_OBJECT) continue;
    note_state_assignments(ck, &ck->all_vars, s);
    const struct jmember *branches = json_pos_get(s, "Branches");
    if (branches && branches->value->kind == JN_ARRAY) {
      int i = 0;
      for (const struct jnode *b = branches->value->items; b; b = b->next, i++)
        if (b->kind == JN_OBJECT)
          collect_names(ck, b, ITEM(CHILD(state_at, branches), i), "Parallel branch");
    }
    static const char *const processors[] = {"ItemProcessor", "Iterator"};
    for (int i = 0; i < 2; i++) {
      const struct jmember *p = json_pos_get(s, processors[i]);
      if (p && p->value->kind == JN_OBJECT)
        collect_names(ck, p->value, CHILD(state_at, p), processor_kind(processors[i]));
    }
  }
}

/* ---------------------------------------------------------------- transitions */

/* A transition target must be a state of the same States object. */
static void transition(struct asl_ctx *x, const struct jnode *v, const struct jpath *at) {
  struct asl_checker *ck = x->ck;
  if (v->kind != JN_STRING) {
    ERROR_AT(ck, value_loc(ck, v), at, "expected a state name, found %s", show(ck, v));
    x->scope->broken_edges = true;
    return;
  }
  struct asl_state *to = has_nul(v->text, v->len) ? NULL : table_get(&x->scope->index, v->text);
  if (to) {
    struct asl_edge *e = NEW(ck->arena, struct asl_edge);
    e->to = to;
    e->next = x->self->edges;
    x->self->edges = e;
    return;
  }
  x->scope->broken_edges = true;
  const char *home = has_nul(v->text, v->len) ? NULL : table_get(&ck->homes, v->text);
  if (home && x->scope->kind) {
    ERROR_AT(ck, value_loc(ck, v), at,
             "%s is outside this %s; its states can only move to each other", show(ck, v),
             x->scope->kind);
    return;
  }
  if (home) {
    ERROR_AT(ck, value_loc(ck, v), at,
             "%s is inside a %s, which is entered only through its StartAt", show(ck, v), home);
    return;
  }
  struct suggestion s = {v->text, v->len, NULL, 0};
  if (may_suggest(ck, x->scope->nstates))
    for (int i = 0; i < x->scope->nstates; i++) consider(&s, x->scope->states[i].m->key);
  ERROR_AT(ck, value_loc(ck, v), at, "no state named %s%s", show(ck, v), did_you_mean(ck, &s));
}

/* ---------------------------------------------------------------- Retry and Catch */

static void check_error_equals(struct asl_checker *ck, const struct jnode *v,
                               const struct jpath *at, bool last, const char *list) {
  if (!expect(ck, v, at, JN_ARRAY)) return;
  if (v->count == 0) {
    ERROR_AT(ck, value_loc(ck, v), at, "ErrorEquals needs at least one error name");
    return;
  }
  int i = 0;
  for (const struct jnode *e = v->items; e; e = e->next, i++) {
    const struct jpath *eat = ITEM(at, i);
    if (!expect(ck, e, eat, JN_STRING)) continue;
    if (e->len == 10 && !memcmp(e->text, "States.ALL", 10)) {
      if (v->count > 1)
        ERROR_AT(ck, value_loc(ck, e), eat, "States.ALL must be the only name in its ErrorEquals");
      else if (!last)
        ERROR_AT(ck, value_loc(ck, e), eat, "States.ALL must be in the last %s", list);
    } else if (starts_with(e, "States.") && !in_list(predefined_errors, e->text, e->len) &&
               !starts_with(e, "States.Http.StatusCode.")) {
      struct suggestion s = {e->text, e->len, NULL, 0};
      for (const char *const *p = predefined_errors; *p; p++) consider(&s, *p);
      WARN_AT(ck, W_UNKNOWN_ERROR, value_loc(ck, e), eat, "%s is not an error Step Functions defines%s",
              show(ck, e), did_you_mean(ck, &s));
    }
  }
}

static void check_retry(struct asl_ctx *x, const struct jnode *v, const struct jpath *at) {
  struct asl_checker *ck = x->ck;
  if (!expect(ck, v, at, JN_ARRAY)) return;
  int i = 0;
  for (const struct jnode *r = v->items; r; r = r->next, i++) {
    const struct jpath *rat = ITEM(at, i);
    if (!expect(ck, r, rat, JN_OBJECT)) continue;
    bool typo = check_fields(ck, r, rat, retrier_fields, "a retrier");
    if (!typo && !json_pos_get(r, "ErrorEquals"))
      ERROR_AT(ck, value_loc(ck, r), rat, "a retrier needs \"ErrorEquals\"");
    for (const struct jmember *m = r->members; m; m = m->next) {
      const struct jpath *mat = CHILD(rat, m);
      if (is_name(m, "ErrorEquals")) check_error_equals(ck, m->value, mat, !r->next, "retrier");
      else if (is_name(m, "IntervalSeconds")) check_int(ck, m->value, mat, 1, ASL_MAX_SECONDS, false, NULL);
      else if (is_name(m, "MaxAttempts")) check_int(ck, m->value, mat, 0, ASL_MAX_SECONDS, false, NULL);
      else if (is_name(m, "BackoffRate")) check_number(ck, m->value, mat, 1.0, 0.0, false);
      else if (is_name(m, "MaxDelaySeconds")) check_int(ck, m->value, mat, 1, ASL_MAX_DELAY_SECONDS, false, NULL);
      else if (is_name(m, "JitterStrategy")) check_enum(ck, m->value, mat, jitter_strategies);
      else if (is_name(m, "Comment")) expect(ck, m->value, mat, JN_STRING);
    }
  }
}

static void check_catch(struct asl_ctx *x, const struct jnode *v, const struct jpath *at) {
  struct asl_checker *ck = x->ck;
  if (!expect(ck, v, at, JN_ARRAY)) return;
  int i = 0;
  for (const struct jnode *c = v->items; c; c = c->next, i++) {
    const struct jpath *cat = ITEM(at, i);
    if (!expect(ck, c, cat, JN_OBJECT)) continue;
    bool typo = check_fields(ck, c, cat, catcher_fields, "a catcher");
    if (!typo && !json_pos_get(c, "ErrorEquals"))
      ERROR_AT(ck, value_loc(ck, c), cat, "a catcher needs \"ErrorEquals\"");
    if (!json_pos_get(c, "Next")) {
      if (!typo) ERROR_AT(ck, value_loc(ck, c), cat, "a catcher needs \"Next\"");
      x->scope->broken_edges = true;
    }
    for (const struct jmember *m = c->members; m; m = m->next) {
      const struct jpath *mat = CHILD(cat, m);
      if (is_name(m, "ErrorEquals")) {
        check_error_equals(ck, m->value, mat, !c->next, "catcher");
      } else if (is_name(m, "Next")) {
        transition(x, m->value, mat);
      } else if (is_name(m, "ResultPath")) {
        if (x->jsonata)
          ERROR_AT(ck, key_loc(m), mat, "\"ResultPath\" is a JSONPath field, but this state "
                   "uses JSONata (use \"Output\" or \"Assign\")");
        else check_nullable_path(ck, x->scope, m->value, mat, USE_RESULT, "ResultPath");
      } else if (is_name(m, "Output")) {
        if (!x->jsonata)
          ERROR_AT(ck, key_loc(m), mat, "\"Output\" is a JSONata field, but this state uses "
                   "JSONPath (use \"ResultPath\")");
        else check_jsonata_value(ck, m->value, mat, NO_RESULT);
      } else if (is_name(m, "Assign")) {
        check_assign(x, m->value, mat, NO_RESULT);
      } else if (is_name(m, "Comment")) {
        expect(ck, m->value, mat, JN_STRING);
      }
    }
  }
}

/* ---------------------------------------------------------------- the fields of a state */

static const struct field_rule *find_field(const char *key, size_t len) {
  for (size_t i = 0; i < sizeof state_fields / sizeof *state_fields; i++)
    if (strlen(state_fields[i].name) == len && !memcmp(state_fields[i].name, key, len))
      return &state_fields[i];
  return NULL;
}

static const char *type_name(unsigned bit) {
  for (size_t i = 0; i < sizeof state_types / sizeof *state_types; i++)
    if (state_types[i].bit == bit) return state_types[i].name;
  return "?";
}

/* The member named KEY if this state may have it (type and language); checks of
   fields it may not have were reported by check_state_fields. */
static const struct jmember *field(const struct asl_ctx *x, const char *key) {
  const struct jmember *m = json_pos_get(x->node, key);
  if (!m) return NULL;
  const struct field_rule *r = find_field(m->key, m->key_len);
  if (!r || !(r->types & x->type) || !(r->modes & (x->jsonata ? JA : JP))) return NULL;
  return m;
}

static void check_state_fields(struct asl_ctx *x) {
  struct asl_checker *ck = x->ck;
  const char *type = type_name(x->type);
  for (const struct jmember *m = x->node->members; m; m = m->next) {
    const struct field_rule *r = find_field(m->key, m->key_len);
    const struct jpath *mat = CHILD(x->at, m);
    if (!r) {
      struct suggestion s = {m->key, m->key_len, NULL, 0};
      for (size_t i = 0; i < sizeof state_fields / sizeof *state_fields; i++)
        if (state_fields[i].types & x->type) consider(&s, state_fields[i].name);
      ERROR_AT(ck, key_loc(m), mat, "unknown field %s in a %s state%s",
               quote(ck, m->key, m->key_len), type, did_you_mean(ck, &s));
      x->typo = true;
    } else if (!(r->types & x->type)) {
      ERROR_AT(ck, key_loc(m), mat, "a %s state cannot have \"%s\"", type, r->name);
    } else if (!(r->modes & (x->jsonata ? JA : JP))) {
      ERROR_AT(ck, key_loc(m), mat, "\"%s\" is a %s field, but this state uses %s (use %s)",
               r->name, x->jsonata ? "JSONPath" : "JSONata", x->jsonata ? "JSONata" : "JSONPath",
               r->instead);
    }
  }
}

/* A required field is missing; not said when a misspelt field may be it. */
static void needs(struct asl_ctx *x, const char *what) {
  if (!x->typo)
    ERROR_AT(x->ck, key_loc(x->self->m), x->at, "a %s state needs %s", type_name(x->type), what);
}

/* At most one of two exclusive fields. */
static void exclusive(struct asl_ctx *x, const char *a, const char *b) {
  const struct jmember *ma = field(x, a), *mb = field(x, b);
  if (!ma || !mb) return;
  const struct jmember *later = ma->key_start > mb->key_start ? ma : mb;
  ERROR_AT(x->ck, key_loc(later), CHILD(x->at, later), "\"%s\" and \"%s\" cannot both be set",
           a, b);
}

/* Resource ARNs; one with ${Name} placeholders is left alone, but a "${" that does
   not close is a broken template (no ARN holds a '{'). */
static void check_arn(struct asl_checker *ck, const struct jnode *v, const struct jpath *at) {
  if (!expect(ck, v, at, JN_STRING)) return;
  const char *open = strstr(v->text, "${");
  for (const char *p = open; p; p = strstr(p + 2, "${")) {
    if (placeholder_at(p, v->len - (size_t)(p - v->text))) continue;
    size_t from = (size_t)(p - v->text);
    ERROR_AT(ck, text_loc(ck, v, from, from + 2), at,
             "a placeholder \"${\" without its closing '}' (write ${Name})");
    return;
  }
  if (open) return;
  int colons = 0;
  for (size_t i = 0; i < v->len; i++) colons += v->text[i] == ':';
  /* arn:partition:service:region:account:resource, partition and service non-empty */
  bool ok = starts_with(v, "arn:") && colons >= 5 && !ends_with(v->text, v->len, ":") &&
            !has_nul(v->text, v->len);
  const char *service = ok ? memchr(v->text + 4, ':', v->len - 4) : NULL;
  if (!service || service == v->text + 4 || service[1] == ':')
    ERROR_AT(ck, value_loc(ck, v), at,
             "expected an ARN (arn:partition:service:region:account:resource), found %s",
             show(ck, v));
}

/* Whether any string in V contains NEEDLE. */
static bool mentions(const struct jnode *v, const char *needle) {
  if (!v) return false;
  if (v->kind == JN_STRING) return strstr(v->text, needle) != NULL;
  for (const struct jnode *item = v->items; item; item = item->next)
    if (mentions(item, needle)) return true;
  for (const struct jmember *m = v->members; m; m = m->next)
    if (mentions(m->value, needle)) return true;
  return false;
}

static void check_machine(struct asl_checker *ck, const struct jnode *obj, const struct jpath *at,
                          const struct asl_scope *up, const char *kind, bool distributed);

/* ---------------------------------------------------------------- state types */

/* arn:PARTITION:states:::SERVICE:ACTION[.PATTERN] must name an optimized integration
   with a pattern it supports (asl_rules.c); aws-sdk:SERVICE:ACTION is any SDK call. */
static void check_integration(struct asl_checker *ck, const struct jnode *v, const struct jpath *at) {
  const char *tail = v->kind == JN_STRING && starts_with(v, "arn:") && !strstr(v->text, "${")
                         ? strstr(v->text, ":states:::") : NULL;
  if (!tail || has_nul(v->text, v->len)) return;
  tail += 10;
  if (!strncmp(tail, "aws-sdk:", 8)) {
    const char *service = tail + 8, *colon = strchr(service, ':');
    size_t n = colon ? (size_t)(colon - service) : 0;
    char name[64];
    if (n > 0) snprintf(name, sizeof name, "%.*s", (int)n, service);
    if (n > 0 && (n >= sizeof name || !sdk_service_known(name)))
      WARN_AT(ck, W_UNKNOWN_SDK_SERVICE, value_loc(ck, v), at,
              "%s is not an AWS SDK service (sfc knows %s); Step Functions refuses a state "
              "machine that calls an unknown service", quote(ck, service, n), sdk_services_source);
    return;
  }
  static const struct { const char *suffix; unsigned bit; } patterns[] = {
      {".sync:2", ASL_SYNC2}, {".sync", ASL_SYNC}, {".waitForTaskToken", ASL_TOKEN}};
  size_t len = strlen(tail);
  unsigned want = ASL_RESPONSE;
  const char *pattern = NULL;
  for (int i = 0; i < 3; i++)
    if (ends_with(tail, len, patterns[i].suffix)) {
      pattern = patterns[i].suffix;
      want = patterns[i].bit;
      len -= strlen(pattern);
      break;
    }
  unsigned have = asl_integration_patterns(tail, len);
  if (!have)
    ERROR_AT(ck, value_loc(ck, v), at,
             "Step Functions has no optimized integration %s; call other APIs with "
             "\"arn:aws:states:::aws-sdk:SERVICE:ACTION\"", quote(ck, tail, len));
  else if (!(have & want))
    ERROR_AT(ck, value_loc(ck, v), at, "%s does not support %s", quote(ck, tail, len),
             pattern ? pattern : "a plain request (without .sync or .waitForTaskToken)");
}

/* EXPRESS state machines run for at most five minutes and keep no history: they
   cannot wait for a job, a callback or an activity worker (AWS: "Express state
   machine does not support '.sync' service integration"). */
static void check_express_resource(struct asl_checker *ck, const struct jnode *v,
                                   const struct jpath *at) {
  if (v->kind != JN_STRING) return;
  const char *what = ends_with(v->text, v->len, ".waitForTaskToken") ? "'.waitForTaskToken' (a callback)"
                     : ends_with(v->text, v->len, ".sync") || ends_with(v->text, v->len, ".sync:2")
                         ? "'.sync' (waiting for a job)"
                     : starts_with(v, "arn:") && strstr(v->text, ":activity:") ? "an activity" : NULL;
  if (what)
    ERROR_AT(ck, value_loc(ck, v), at, "an EXPRESS state machine does not support %s: make it "
             "STANDARD, or call the service without waiting", what);
}

static void check_task(struct asl_ctx *x) {
  struct asl_checker *ck = x->ck;
  const struct jmember *m;
  const struct jmember *resource = field(x, "Resource");
  if (!resource) needs(x, "\"Resource\"");
  else check_arn(ck, resource->value, CHILD(x->at, resource));
  if (resource) check_integration(ck, resource->value, CHILD(x->at, resource));
  if (resource && ck->express) check_express_resource(ck, resource->value, CHILD(x->at, resource));
  long long timeout = -1, heartbeat = -1;
  const struct jmember *beat = field(x, "HeartbeatSeconds");
  if ((m = field(x, "TimeoutSeconds")))
    check_int(ck, m->value, CHILD(x->at, m), 1, ASL_MAX_SECONDS, x->jsonata, &timeout);
  if (beat) check_int(ck, beat->value, CHILD(x->at, beat), 1, ASL_MAX_SECONDS, x->jsonata, &heartbeat);
  if (timeout > 0 && heartbeat >= timeout)
    ERROR_AT(ck, value_loc(ck, beat->value), CHILD(x->at, beat),
             "HeartbeatSeconds (%lld) must be less than TimeoutSeconds (%lld)", heartbeat, timeout);
  if ((m = field(x, "TimeoutSecondsPath")))
    check_path(ck, x->scope, m->value, CHILD(x->at, m), USE_REFERENCE, "TimeoutSecondsPath");
  if ((m = field(x, "HeartbeatSecondsPath")))
    check_path(ck, x->scope, m->value, CHILD(x->at, m), USE_REFERENCE, "HeartbeatSecondsPath");
  exclusive(x, "TimeoutSeconds", "TimeoutSecondsPath");
  exclusive(x, "HeartbeatSeconds", "HeartbeatSecondsPath");
  if ((m = field(x, "Credentials"))) {
    const struct jpath *cat = CHILD(x->at, m);
    const struct jnode *c = m->value;
    if (expect(ck, c, cat, JN_OBJECT)) {
      static const char *const jp[] = {"RoleArn", "RoleArn.$", NULL}, *const ja[] = {"RoleArn", NULL};
      bool typo = check_fields(ck, c, cat, x->jsonata ? ja : jp, "Credentials");
      const struct jmember *role = json_pos_get(c, "RoleArn");
      const struct jmember *dynamic = x->jsonata ? NULL : json_pos_get(c, "RoleArn.$");
      if (!role && !dynamic && !typo) ERROR_AT(ck, value_loc(ck, c), cat, "Credentials needs \"RoleArn\"");
      if (role && dynamic)
        ERROR_AT(ck, key_loc(dynamic), CHILD(cat, dynamic),
                 "\"RoleArn\" and \"RoleArn.$\" cannot both be set");
      if (role && !(x->jsonata && is_jsonata(role->value)))
        check_arn(ck, role->value, CHILD(cat, role));
      else if (role)
        check_jsonata_string(ck, role->value, CHILD(cat, role), NO_RESULT | NO_ERROR_OUTPUT);
      if (dynamic) check_dynamic(ck, x->scope, dynamic->value, CHILD(cat, dynamic));
    }
  }
  /* A callback task that does not hand out its token can never be resumed. */
  if (resource && resource->value->kind == JN_STRING &&
      ends_with(resource->value->text, resource->value->len, ".waitForTaskToken")) {
    const struct jmember *payload = field(x, x->jsonata ? "Arguments" : "Parameters");
    const char *token = x->jsonata ? "$states.context.Task.Token" : "$$.Task.Token";
    if (!payload || !mentions(payload->value, token))
      WARN_AT(ck, W_NO_TASK_TOKEN, value_loc(ck, resource->value), CHILD(x->at, resource),
              "this task waits for a task token but does not pass %s in its %s, so nothing "
              "can resume it", token, x->jsonata ? "Arguments" : "Parameters");
  }
}

static void check_wait(struct asl_ctx *x) {
  struct asl_checker *ck = x->ck;
  static const char *const kinds[] = {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"};
  const struct jmember *first = NULL;
  for (int i = 0; i < 4; i++) {
    const struct jmember *m = field(x, kinds[i]);
    if (!m) continue;
    const struct jpath *mat = CHILD(x->at, m);
    if (i == 0) check_int(ck, m->value, mat, 0, ASL_MAX_SECONDS, x->jsonata, NULL);
    else if (i == 1) check_timestamp(ck, m->value, mat, x->jsonata);
    else check_path(ck, x->scope, m->value, mat, USE_REFERENCE, kinds[i]);
    if (!first || m->key_start < first->key_start) first = m;
  }
  if (!first) {
    needs(x, x->jsonata ? "\"Seconds\" or \"Timestamp\""
                        : "one of \"Seconds\", \"Timestamp\", \"SecondsPath\" and \"TimestampPath\"");
    return;
  }
  for (int i = 0; i < 4; i++) {
    const struct jmember *m = field(x, kinds[i]);
    if (m && m != first)
      ERROR_AT(ck, key_loc(m), CHILD(x->at, m),
               "a Wait state has only one of Seconds, Timestamp, SecondsPath and TimestampPath; "
               "this one comes after \"%s\"", first->key);
  }
}

/* ErrorPath and CausePath: a reference path, or an intrinsic that returns a string. */
static void check_fail_path(struct asl_ctx *x, const struct jmember *m) {
  struct asl_checker *ck = x->ck;
  const struct jpath *mat = CHILD(x->at, m);
  const struct jnode *v = m->value;
  if (v->kind == JN_STRING && v->len > 0 && v->text[0] != '$' && memchr(v->text, '(', v->len)) {
    bool returns_string = false;
    if (check_intrinsic(ck, x->scope, v, mat, &returns_string) && !returns_string)
      ERROR_AT(ck, value_loc(ck, v), mat,
               "%s takes a reference path or a function that returns a string (States.Format, "
               "States.JsonToString, States.ArrayGetItem, States.Base64Encode, "
               "States.Base64Decode, States.Hash or States.UUID)", m->key);
    return;
  }
  check_path(ck, x->scope, v, mat, USE_REFERENCE, m->key);
}

static void check_fail(struct asl_ctx *x) {
  const struct jmember *m;
  if ((m = field(x, "Error"))) check_string(x->ck, m->value, CHILD(x->at, m), x->jsonata);
  if ((m = field(x, "Cause"))) check_string(x->ck, m->value, CHILD(x->at, m), x->jsonata);
  if ((m = field(x, "ErrorPath"))) check_fail_path(x, m);
  if ((m = field(x, "CausePath"))) check_fail_path(x, m);
  exclusive(x, "Error", "ErrorPath");
  exclusive(x, "Cause", "CausePath");
}

static void check_parallel(struct asl_ctx *x) {
  struct asl_checker *ck = x->ck;
  const struct jmember *m = field(x, "Branches");
  if (!m) {
    needs(x, "\"Branches\"");
    return;
  }
  const struct jpath *bat = CHILD(x->at, m);
  if (!expect(ck, m->value, bat, JN_ARRAY)) return;
  if (m->value->count == 0)
    ERROR_AT(ck, value_loc(ck, m->value), bat, "\"Branches\" needs at least one branch");
  int i = 0;
  for (const struct jnode *b = m->value->items; b; b = b->next, i++)
    if (expect(ck, b, ITEM(bat, i), JN_OBJECT))
      check_machine(ck, b, ITEM(bat, i), x->scope, "Parallel branch", false);
}

/* ---------------------------------------------------------------- Choice */

static int find_operator(const char *key, size_t len) {
  for (int i = 0; i < NOPERATORS; i++)
    if (strlen(operators[i].name) == len && !memcmp(operators[i].name, key, len)) return i;
  return -1;
}

/* StringMatches: '*' is a wildcard, and only \* and \\ are escapes. */
static void check_pattern(struct asl_checker *ck, const struct jnode *v, const struct jpath *at) {
  if (!expect(ck, v, at, JN_STRING)) return;
  for (size_t i = 0; i < v->len; i++) {
    if (v->text[i] != '\\') continue;
    if (i + 1 < v->len && (v->text[i + 1] == '*' || v->text[i + 1] == '\\')) {
      i++;
      continue;
    }
    ERROR_AT(ck, text_loc(ck, v, i, i + 1), at,
             "in StringMatches only \\* and \\\\ are escapes (in JSON, \"\\\\*\" and \"\\\\\\\\\")");
    return;
  }
}

static void check_operand(struct asl_ctx *x, int op, const struct jnode *v, const struct jpath *at) {
  struct asl_checker *ck = x->ck;
  switch (operators[op].operand) {
  case OPD_STRING: expect(ck, v, at, JN_STRING); break;
  case OPD_NUMBER: expect(ck, v, at, JN_NUMBER); break;
  case OPD_BOOLEAN: case OPD_TEST: expect(ck, v, at, JN_TRUE); break;
  case OPD_TIMESTAMP: check_timestamp(ck, v, at, false); break;
  case OPD_PATTERN: check_pattern(ck, v, at); break;
  case OPD_PATH: check_path(ck, x->scope, v, at, USE_REFERENCE, operators[op].name); break;
  }
}

/* A JSONPath Choice rule; PARENT is NULL for a top-level rule, else "And", "Or" or "Not". */
static void check_rule(struct asl_ctx *x, const struct jnode *r, const struct jpath *at,
                       const char *parent) {
  struct asl_checker *ck = x->ck;
  if (!expect(ck, r, at, JN_OBJECT)) return;
  const struct jmember *comparison = NULL, *logic = NULL, *variable = NULL;
  bool typo = false;
  for (const struct jmember *m = r->members; m; m = m->next) {
    const struct jpath *mat = CHILD(at, m);
    int op = find_operator(m->key, m->key_len);
    bool is_logic = is_name(m, "And") || is_name(m, "Or") || is_name(m, "Not");
    if (op >= 0 || is_logic) {
      const struct jmember *earlier = comparison ? comparison : logic;
      if (earlier) {
        ERROR_AT(ck, key_loc(m), mat,
                 "a Choice rule has exactly one comparison or And/Or/Not; this one already has "
                 "\"%s\"", earlier->key);
        continue;
      }
      if (op >= 0) {
        comparison = m;
        check_operand(x, op, m->value, mat);
      } else {
        logic = m;
        if (is_name(m, "Not")) {
          check_rule(x, m->value, mat, "Not");
        } else if (expect(ck, m->value, mat, JN_ARRAY)) {
          if (m->value->count == 0)
            ERROR_AT(ck, value_loc(ck, m->value), mat, "\"%s\" needs at least one rule", m->key);
          int i = 0;
          for (const struct jnode *sub = m->value->items; sub; sub = sub->next, i++)
            check_rule(x, sub, ITEM(mat, i), m->key);
        }
      }
    } else if (is_name(m, "Variable")) {
      variable = m;
      check_path(ck, x->scope, m->value, mat, USE_REFERENCE, "Variable");
    } else if (is_name(m, "Next")) {
      if (parent) {
        ERROR_AT(ck, key_loc(m), mat, "a rule inside \"%s\" cannot have \"Next\"", parent);
        continue;
      }
      transition(x, m->value, mat);
    } else if (is_name(m, "Assign")) {
      if (parent) ERROR_AT(ck, key_loc(m), mat, "only a top-level Choice rule can have \"Assign\"");
      else check_assign(x, m->value, mat, 0);
    } else if (is_name(m, "Comment")) {
      expect(ck, m->value, mat, JN_STRING);
    } else if (is_name(m, "Condition") || is_name(m, "Output")) {
      ERROR_AT(ck, key_loc(m), mat,
               "\"%s\" is a JSONata field, but this state uses JSONPath (use \"Variable\" and a "
               "comparison)", m->key);
    } else {
      struct suggestion s = {m->key, m->key_len, NULL, 0};
      for (int i = 0; i < NOPERATORS; i++) consider(&s, operators[i].name);
      static const char *const others[] = {"Variable", "And", "Or", "Not", "Next", "Assign", "Comment"};
      for (int i = 0; i < 7; i++) consider(&s, others[i]);
      ERROR_AT(ck, key_loc(m), mat, "unknown field %s in a Choice rule%s",
               quote(ck, m->key, m->key_len), did_you_mean(ck, &s));
      typo = true;
    }
  }
  if (typo) {
    /* the misspelt field is likely the comparison or Next */
  } else if (!comparison && !logic)
    ERROR_AT(ck, value_loc(ck, r), at,
             "a Choice rule needs a comparison such as \"StringEquals\" with \"Variable\", or "
             "\"And\", \"Or\" or \"Not\"");
  else if (comparison && !variable)
    ERROR_AT(ck, key_loc(comparison), CHILD(at, comparison), "\"%s\" needs \"Variable\"",
             comparison->key);
  else if (logic && variable)
    ERROR_AT(ck, key_loc(variable), CHILD(at, variable),
             "a rule with \"%s\" has no \"Variable\"", logic->key);
  if (!parent && !json_pos_get(r, "Next")) {
    if (!typo) ERROR_AT(ck, value_loc(ck, r), at, "a Choice rule needs \"Next\"");
    x->scope->broken_edges = true;
  }
}

static void check_jsonata_rule(struct asl_ctx *x, const struct jnode *r, const struct jpath *at) {
  struct asl_checker *ck = x->ck;
  bool typo = false;
  if (!expect(ck, r, at, JN_OBJECT)) return;
  for (const struct jmember *m = r->members; m; m = m->next) {
    const struct jpath *mat = CHILD(at, m);
    if (is_name(m, "Condition")) {
      if (m->value->kind != JN_TRUE && m->value->kind != JN_FALSE && !is_jsonata(m->value))
        ERROR_AT(ck, value_loc(ck, m->value), mat,
                 "expected true, false or a \"{%% ... %%}\" expression, found %s", show(ck, m->value));
      else if (is_jsonata(m->value))
        check_jsonata_string(ck, m->value, mat, NO_RESULT | NO_ERROR_OUTPUT);
    } else if (is_name(m, "Next")) {
      transition(x, m->value, mat);
    } else if (is_name(m, "Assign")) {
      check_assign(x, m->value, mat, NO_RESULT | NO_ERROR_OUTPUT);
    } else if (is_name(m, "Output")) {
      check_jsonata_value(ck, m->value, mat, NO_RESULT | NO_ERROR_OUTPUT);
    } else if (is_name(m, "Comment")) {
      expect(ck, m->value, mat, JN_STRING);
    } else if (is_name(m, "Variable") || is_name(m, "And") || is_name(m, "Or") ||
               is_name(m, "Not") || find_operator(m->key, m->key_len) >= 0) {
      ERROR_AT(ck, key_loc(m), mat,
               "\"%s\" is a JSONPath field, but this state uses JSONata (use \"Condition\")",
               m->key);
    } else {
      static const char *const fields[] = {"Condition", "Next", "Assign", "Output", "Comment", NULL};
      struct suggestion s = {m->key, m->key_len, NULL, 0};
      for (const char *const *f = fields; *f; f++) consider(&s, *f);
      ERROR_AT(ck, key_loc(m), mat, "unknown field %s in a Choice rule%s",
               quote(ck, m->key, m->key_len), did_you_mean(ck, &s));
      typo = true;
    }
  }
  if (!typo && !json_pos_get(r, "Condition"))
    ERROR_AT(ck, value_loc(ck, r), at, "a JSONata Choice rule needs \"Condition\"");
  if (!json_pos_get(r, "Next")) {
    if (!typo) ERROR_AT(ck, value_loc(ck, r), at, "a Choice rule needs \"Next\"");
    x->scope->broken_edges = true;
  }
}

static void check_choice(struct asl_ctx *x) {
  struct asl_checker *ck = x->ck;
  const struct jmember *m = field(x, "Choices");
  if (!m) {
    needs(x, "\"Choices\"");
  } else if (expect(ck, m->value, CHILD(x->at, m), JN_ARRAY)) {
    const struct jpath *cat = CHILD(x->at, m);
    if (m->value->count == 0)
      ERROR_AT(ck, value_loc(ck, m->value), cat, "\"Choices\" needs at least one rule");
    int i = 0;
    for (const struct jnode *r = m->value->items; r; r = r->next, i++) {
      if (x->jsonata) check_jsonata_rule(x, r, ITEM(cat, i));
      else check_rule(x, r, ITEM(cat, i), NULL);
    }
  }
  if ((m = field(x, "Default"))) transition(x, m->value, CHILD(x->at, m));
}

/* ---------------------------------------------------------------- Map */

/* Distributed Map fields are an error on an inline Map. */
static void needs_distributed(struct asl_ctx *x, bool distributed, const char *name, bool warning) {
  const struct jmember *m = field(x, name);
  if (m && !distributed)
    report(x->ck, warning ? W_INLINE_TOLERANCE : W_NONE, key_loc(m), CHILD(x->at, m),
           "\"%s\" %s a Distributed Map (\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", "
           "...} in \"ItemProcessor\")", name, warning ? "is for" : "needs");
}

/* Exclusive pairs inside ItemReader's ReaderConfig or ItemBatcher. */
static void exclusive_in(struct asl_checker *ck, const struct jnode *obj, const struct jpath *at,
                         const char *a, const char *b) {
  const struct jmember *ma = json_pos_get(obj, a), *mb = json_pos_get(obj, b);
  if (!ma || !mb) return;
  const struct jmember *later = ma->key_start > mb->key_start ? ma : mb;
  ERROR_AT(ck, key_loc(later), CHILD(at, later), "\"%s\" and \"%s\" cannot both be set", a, b);
}

/* A JSONPath-only member of a Map sub-object in a JSONata state, or the reverse. */
static bool wrong_language(struct asl_ctx *x, const struct jmember *m, const struct jpath *at,
                           bool jsonpath_only) {
  if (jsonpath_only == !x->jsonata) return false;
  ERROR_AT(x->ck, key_loc(m), at, "\"%s\" is a %s field, but this state uses %s", m->key,
           jsonpath_only ? "JSONPath" : "JSONata", x->jsonata ? "JSONata" : "JSONPath");
  return true;
}

static void check_reader_config(struct asl_ctx *x, const struct jnode *v, const struct jpath *at) {
  struct asl_checker *ck = x->ck;
  if (!expect(ck, v, at, JN_OBJECT)) return;
  check_fields(ck, v, at, reader_config_fields, "ReaderConfig");
  for (const struct jmember *m = v->members; m; m = m->next) {
    const struct jpath *mat = CHILD(at, m);
    if (is_name(m, "InputType")) check_enum(ck, m->value, mat, input_types);
    else if (is_name(m, "CSVHeaderLocation")) check_enum(ck, m->value, mat, csv_header_locations);
    else if (is_name(m, "CSVDelimiter")) check_enum(ck, m->value, mat, csv_delimiters);
    else if (is_name(m, "Transformation")) check_enum(ck, m->value, mat, reader_transformations);
    else if (is_name(m, "ManifestType")) check_enum(ck, m->value, mat, manifest_types);
    else if (is_name(m, "ItemsPointer")) expect(ck, m->value, mat, JN_STRING);
    /* 0 means no limit: AWS reads every item (recorded test_map_item_reader_csv_max_items[0]). */
    else if (is_name(m, "MaxItems")) check_int(ck, m->value, mat, 0, ASL_MAX_READER_ITEMS, x->jsonata, NULL);
    else if (is_name(m, "MaxItemsPath")) {
      if (!wrong_language(x, m, mat, true))
        check_path(ck, x->scope, m->value, mat, USE_REFERENCE, "MaxItemsPath");
    } else if (is_name(m, "CSVHeaders") && expect(ck, m->value, mat, JN_ARRAY)) {
      int i = 0;
      for (const struct jnode *h = m->value->items; h; h = h->next, i++)
        expect(ck, h, ITEM(mat, i), JN_STRING);
    }
  }
  exclusive_in(ck, v, at, "MaxItems", "MaxItemsPath");
  const struct jmember *where = json_pos_get(v, "CSVHeaderLocation");
  if (where && where->value->kind == JN_STRING && !strcmp(where->value->text, "GIVEN") &&
      !json_pos_get(v, "CSVHeaders"))
    ERROR_AT(ck, key_loc(where), CHILD(at, where),
             "\"CSVHeaderLocation\": \"GIVEN\" needs \"CSVHeaders\"");
}

/* ItemReader and ResultWriter: a Resource with Parameters (JSONPath) or Arguments. */
/* The S3 actions a Distributed Map reads items with, and writes results with. */
static const char *const reader_actions[] = {"s3:getObject", "s3:listObjectsV2", NULL};
static const char *const writer_actions[] = {"s3:putObject", NULL};

/* RESOURCE is arn:PARTITION:states:::ACTION for one of ACTIONS (placeholders pass). */
static void check_service_resource(struct asl_checker *ck, const struct jnode *v,
                                   const struct jpath *at, const char *field,
                                   const char *const *actions) {
  if (v->kind != JN_STRING || strstr(v->text, "${")) return;
  const char *tail = strstr(v->text, ":states:::");
  for (int i = 0; tail && actions[i]; i++)
    if (!strncmp(v->text, "arn:", 4) && !strcmp(tail + 10, actions[i])) return;
  struct buf list = {0};
  for (int i = 0; actions[i]; i++)
    buf_printf(&list, "%s\"arn:aws:states:::%s\"", i == 0 ? "" : actions[i + 1] ? ", " : " or ",
               actions[i]);
  ERROR_AT(ck, value_loc(ck, v), at, "the %s's Resource is %s, found %s", field, list.data,
           show(ck, v));
  buf_free(&list);
}

static void check_resource_object(struct asl_ctx *x, const struct jmember *field_m,
                                  const char *const *fields, const char *config) {
  struct asl_checker *ck = x->ck;
  const struct jpath *at = CHILD(x->at, field_m);
  const struct jnode *v = field_m->value;
  if (!expect(ck, v, at, JN_OBJECT)) return;
  bool typo = check_fields(ck, v, at, fields, field_m->key);
  for (const struct jmember *m = v->members; m; m = m->next) {
    const struct jpath *mat = CHILD(at, m);
    if (is_name(m, "Resource")) {
      check_arn(ck, m->value, mat);
      check_service_resource(ck, m->value, mat, field_m->key, config ? writer_actions : reader_actions);
    } else if (is_name(m, "Parameters")) {
      if (!wrong_language(x, m, mat, true)) check_template(ck, x->scope, m->value, mat);
    } else if (is_name(m, "Arguments")) {
      if (!wrong_language(x, m, mat, false))
        check_jsonata_object(ck, m->value, mat, NO_RESULT | NO_ERROR_OUTPUT);
    } else if (is_name(m, "ReaderConfig")) {
      check_reader_config(x, m->value, mat);
    } else if (is_name(m, "WriterConfig") && expect(ck, m->value, mat, JN_OBJECT)) {
      check_fields(ck, m->value, mat, writer_config_fields, "WriterConfig");
      for (const struct jmember *w = m->value->members; w; w = w->next) {
        if (is_name(w, "OutputType")) check_enum(ck, w->value, CHILD(mat, w), output_types);
        else if (is_name(w, "Transformation"))
          check_enum(ck, w->value, CHILD(mat, w), writer_transformations);
      }
    }
  }
  /* A ResultWriter may only set WriterConfig (no export to S3); otherwise Resource. */
  const struct jmember *resource = json_pos_get(v, "Resource");
  if (!typo && !resource && !(config && json_pos_get(v, config)))
    ERROR_AT(ck, value_loc(ck, v), at, "%s needs \"Resource\"", field_m->key);
  /* Reading one object: which object, and how to read it. */
  if (!config && !typo && resource && resource->value->kind == JN_STRING &&
      ends_with(resource->value->text, resource->value->len, ":s3:getObject")) {
    const struct jmember *rc = json_pos_get(v, "ReaderConfig");
    if (!json_pos_get(rc ? rc->value : NULL, "InputType"))
      ERROR_AT(ck, value_loc(ck, v), at, "an ItemReader of s3:getObject needs "
               "\"ReaderConfig\": {\"InputType\": ...} (CSV, JSON, JSONL, PARQUET or MANIFEST)");
    if (!json_pos_get(v, "Parameters") && !json_pos_get(v, "Arguments"))
      ERROR_AT(ck, value_loc(ck, v), at, "an ItemReader of s3:getObject needs %s with the "
               "object's Bucket and Key", x->jsonata ? "\"Arguments\"" : "\"Parameters\"");
  }
}

static void check_item_batcher(struct asl_ctx *x, const struct jmember *field_m) {
  struct asl_checker *ck = x->ck;
  const struct jpath *at = CHILD(x->at, field_m);
  const struct jnode *v = field_m->value;
  if (!expect(ck, v, at, JN_OBJECT)) return;
  bool typo = check_fields(ck, v, at, item_batcher_fields, "ItemBatcher"), limit = false;
  for (const struct jmember *m = v->members; m; m = m->next) {
    const struct jpath *mat = CHILD(at, m);
    if (is_name(m, "MaxItemsPerBatch") || is_name(m, "MaxInputBytesPerBatch")) {
      /* A count of items has no documented ceiling; a batch's bytes are capped. */
      bool bytes = is_name(m, "MaxInputBytesPerBatch");
      check_int(ck, m->value, mat, 1, bytes ? MAX_BATCH_BYTES : MAX_INT32, x->jsonata, NULL);
      limit = true;
    } else if (is_name(m, "MaxItemsPerBatchPath") || is_name(m, "MaxInputBytesPerBatchPath")) {
      limit = true;
      if (!wrong_language(x, m, mat, true))
        check_path(ck, x->scope, m->value, mat, USE_REFERENCE, m->key);
    } else if (is_name(m, "BatchInput")) {
      check_payload(x, m->value, mat, NO_RESULT | NO_ERROR_OUTPUT);
    }
  }
  exclusive_in(ck, v, at, "MaxItemsPerBatch", "MaxItemsPerBatchPath");
  exclusive_in(ck, v, at, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath");
  if (!limit && !typo)
    ERROR_AT(ck, value_loc(ck, v), at,
             "ItemBatcher needs \"MaxItemsPerBatch\" or \"MaxInputBytesPerBatch\" (or their Path "
             "forms)");
}

/* Map Run labels: at most 40 characters, none of the characters AWS reserves. */
static void check_label(struct asl_checker *ck, const struct jnode *v, const struct jpath *at) {
  if (!expect(ck, v, at, JN_STRING)) return;
  if (v->len == 0) {
    ERROR_AT(ck, value_loc(ck, v), at, "a Label cannot be empty");
    return;
  }
  if (utf8_count(v->text, v->len) > ASL_MAX_LABEL) {
    ERROR_AT(ck, value_loc(ck, v), at, "a Label has at most %d characters, this one has %zu",
             ASL_MAX_LABEL, utf8_count(v->text, v->len));
    return;
  }
  for (size_t i = 0; i < v->len; i++) {
    unsigned char c = (unsigned char)v->text[i];
    /* U+0080 to U+009F (C2 80 to C2 9F in UTF-8) are control characters too: AWS
       refuses each of them (LocalStack's recorded test_map_state_label_invalid_char_fail). */
    bool c1 = c == 0xc2 && i + 1 < v->len && (unsigned char)v->text[i + 1] <= 0x9f &&
              (unsigned char)v->text[i + 1] >= 0x80;
    if (c <= 0x20 || c == 0x7f || c1 || strchr("<>{}[]?*\"#%\\^|~`$&,;:/", c)) {
      ERROR_AT(ck, text_loc(ck, v, i, i + (c1 ? 2 : 1)), at,
               "a Label cannot contain whitespace, control characters or any of "
               "< > { } [ ] ? * \" # %% \\ ^ | ~ ` $ & , ; : /");
      return;
    }
  }
}

static void check_map(struct asl_ctx *x) {
  struct asl_checker *ck = x->ck;
  const struct jmember *m;
  const struct jmember *processor = field(x, "ItemProcessor"), *iterator = field(x, "Iterator");
  bool distributed = false;
  if (!processor && !iterator) needs(x, "\"ItemProcessor\"");
  exclusive(x, "ItemProcessor", "Iterator");
  /* The legacy Iterator may carry a ProcessorConfig too: AWS runs such machines,
     Distributed ones included (LocalStack's recorded map_state_legacy_config_*). */
  const struct jmember *body = processor ? processor : iterator;
  if (body && body->value->kind == JN_OBJECT) {
    const struct jmember *config = json_pos_get(body->value, "ProcessorConfig");
    const struct jpath *cat = config ? CHILD(CHILD(x->at, body), config) : NULL;
    if (config && expect(ck, config->value, cat, JN_OBJECT)) {
      check_fields(ck, config->value, cat, processor_config_fields, "ProcessorConfig");
      const struct jmember *mode = json_pos_get(config->value, "Mode");
      const struct jmember *type = json_pos_get(config->value, "ExecutionType");
      if (mode && check_enum(ck, mode->value, CHILD(cat, mode), processor_modes))
        distributed = !strcmp(mode->value->text, "DISTRIBUTED");
      if (type) check_enum(ck, type->value, CHILD(cat, type), execution_types);
      if (distributed && !type)
        ERROR_AT(ck, key_loc(mode), CHILD(cat, mode),
                 "a DISTRIBUTED Map needs \"ExecutionType\": \"STANDARD\" or \"EXPRESS\"");
      if (!distributed && type)
        ERROR_AT(ck, key_loc(type), CHILD(cat, type),
                 "\"ExecutionType\" is for a DISTRIBUTED Map only");
    }
  }
  if (processor && expect(ck, processor->value, CHILD(x->at, processor), JN_OBJECT))
    check_machine(ck, processor->value, CHILD(x->at, processor), x->scope,
                  processor_kind("ItemProcessor"), distributed);
  if (iterator && expect(ck, iterator->value, CHILD(x->at, iterator), JN_OBJECT))
    check_machine(ck, iterator->value, CHILD(x->at, iterator), x->scope,
                  processor_kind("Iterator"), distributed);

  if ((m = field(x, "ItemsPath")))
    check_path(ck, x->scope, m->value, CHILD(x->at, m), USE_REFERENCE, "ItemsPath");
  if ((m = field(x, "Items"))) {
    const struct jnode *v = m->value;
    if (v->kind == JN_ARRAY || v->kind == JN_OBJECT || is_jsonata(v))
      check_jsonata_value(ck, v, CHILD(x->at, m), NO_RESULT | NO_ERROR_OUTPUT);
    else
      ERROR_AT(ck, value_loc(ck, v), CHILD(x->at, m),
               "expected an array, an object or a \"{%% ... %%}\" expression, found %s", show(ck, v));
  }
  if ((m = field(x, "ItemSelector"))) check_payload(x, m->value, CHILD(x->at, m), NO_RESULT | NO_ERROR_OUTPUT);
  exclusive(x, "ItemSelector", "Parameters");
  if ((m = field(x, "MaxConcurrency")))
    check_int(ck, m->value, CHILD(x->at, m), 0, ASL_MAX_SECONDS, x->jsonata, NULL);
  if ((m = field(x, "ToleratedFailureCount")))
    check_int(ck, m->value, CHILD(x->at, m), 0, ASL_MAX_SECONDS, x->jsonata, NULL);
  if ((m = field(x, "ToleratedFailurePercentage")))
    check_number(ck, m->value, CHILD(x->at, m), 0, 100, x->jsonata);
  static const char *const paths[] = {"MaxConcurrencyPath", "ToleratedFailureCountPath",
                                      "ToleratedFailurePercentagePath"};
  for (int i = 0; i < 3; i++)
    if ((m = field(x, paths[i])))
      check_path(ck, x->scope, m->value, CHILD(x->at, m), USE_REFERENCE, paths[i]);
  exclusive(x, "MaxConcurrency", "MaxConcurrencyPath");
  exclusive(x, "ToleratedFailureCount", "ToleratedFailureCountPath");
  exclusive(x, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
  if ((m = field(x, "Label"))) check_label(ck, m->value, CHILD(x->at, m));
  if ((m = field(x, "ItemReader"))) check_resource_object(x, m, item_reader_fields, NULL);
  if ((m = field(x, "ResultWriter"))) check_resource_object(x, m, result_writer_fields, "WriterConfig");
  if ((m = field(x, "ItemBatcher"))) check_item_batcher(x, m);
  static const char *const only[] = {"ItemReader", "ItemBatcher", "ResultWriter", "Label"};
  for (int i = 0; i < 4; i++) needs_distributed(x, distributed, only[i], false);
  /* AWS creates and runs inline Maps with failure tolerances (LocalStack's recorded
     test_base_map[TOLERATED_FAILURE_*]): a warning, not an error. */
  static const char *const tolerated[] = {"ToleratedFailureCount", "ToleratedFailureCountPath",
                                          "ToleratedFailurePercentage",
                                          "ToleratedFailurePercentagePath"};
  for (int i = 0; i < 4; i++) needs_distributed(x, distributed, tolerated[i], true);
}

/* ---------------------------------------------------------------- one state */

static void check_state(struct asl_checker *ck, struct asl_scope *scope, struct asl_state *self,
                        const struct jpath *at) {
  const struct jnode *node = self->m->value;
  /* "States": {"QueryLanguage": "JSONata", ...}: a machine field put one level too deep. */
  if (node->kind != JN_OBJECT && !placeholder(node) &&
      in_list(top_fields, self->m->key, self->m->key_len)) {
    ERROR_AT(ck, key_loc(self->m), at,
             "%s is a field of the state machine, not a state: move it out of "
             "\"States\"", quote(ck, self->m->key, self->m->key_len));
    scope->unknown_states = true;
    return;
  }
  if (!expect(ck, node, at, JN_OBJECT)) {
    scope->unknown_states = true;
    return;
  }
  struct asl_ctx x = {ck, scope, self, node, at, 0, ck->jsonata_machine, false};
  const struct jmember *m;
  ck->scope = scope;

  if ((m = json_pos_get(node, "QueryLanguage")) &&
      check_enum(ck, m->value, CHILD(at, m), query_languages)) {
    bool jsonata = !strcmp(m->value->text, "JSONata");
    if (ck->jsonata_machine && !jsonata)
      ERROR_AT(ck, value_loc(ck, m->value), CHILD(at, m),
               "a JSONata state machine cannot contain JSONPath states");
    x.jsonata = jsonata;
  }
  m = json_pos_get(node, "Type");
  if (!m) {
    ERROR_AT(ck, key_loc(self->m), at, "a state needs \"Type\"");
  } else if (expect(ck, m->value, CHILD(at, m), JN_STRING)) {
    for (size_t i = 0; i < sizeof state_types / sizeof *state_types; i++)
      if (!strcmp(m->value->text, state_types[i].name) && m->value->len == strlen(state_types[i].name))
        x.type = state_types[i].bit;
    if (!x.type) {
      struct suggestion s = {m->value->text, m->value->len, NULL, 0};
      for (size_t i = 0; i < sizeof state_types / sizeof *state_types; i++)
        consider(&s, state_types[i].name);
      ERROR_AT(ck, value_loc(ck, m->value), CHILD(at, m),
               "unknown state type %s%s; a state is a Task, Pass, Choice, Wait, Succeed, Fail, "
               "Parallel or Map", show(ck, m->value), did_you_mean(ck, &s));
    }
  }
  if (!x.type) { /* without a type nothing else can be judged */
    scope->unknown_states = true;
    return;
  }
  check_state_fields(&x);
  self->terminal = x.type == SUCCEED || x.type == FAIL;

  if ((m = field(&x, "Comment"))) expect(ck, m->value, CHILD(at, m), JN_STRING);
  const struct jmember *next = field(&x, "Next"), *end = field(&x, "End");
  if (next) transition(&x, next->value, CHILD(at, next));
  if (end && end->value->kind == JN_TRUE) {
    if (next)
      ERROR_AT(ck, key_loc(end), CHILD(at, end),
               "a state has either \"Next\" or \"End\": true, not both");
    else
      self->terminal = true;
  } else if (end) { /* whether the state ends is unclear: no graph errors */
    scope->unknown_states = true;
    if (end->value->kind == JN_FALSE)
      ERROR_AT(ck, value_loc(ck, end->value), CHILD(at, end),
               "\"End\" is either true or absent%s", next ? "" : " (give \"Next\" to continue)");
    else
      expect(ck, end->value, CHILD(at, end), JN_TRUE);
  }
  if ((x.type & FLOWING) && !next && !end) {
    needs(&x, "\"Next\" or \"End\": true");
    scope->unknown_states = true;
  }

  if ((m = field(&x, "InputPath"))) check_nullable_path(ck, scope, m->value, CHILD(at, m), USE_ANY, "InputPath");
  if ((m = field(&x, "OutputPath"))) check_nullable_path(ck, scope, m->value, CHILD(at, m), USE_ANY, "OutputPath");
  if ((m = field(&x, "ResultPath"))) check_nullable_path(ck, scope, m->value, CHILD(at, m), USE_RESULT, "ResultPath");
  if ((m = field(&x, "Parameters"))) check_template(ck, scope, m->value, CHILD(at, m));
  if ((m = field(&x, "ResultSelector"))) check_template(ck, scope, m->value, CHILD(at, m));
  if ((m = field(&x, "Arguments"))) check_jsonata_object(ck, m->value, CHILD(at, m), NO_RESULT | NO_ERROR_OUTPUT);
  unsigned after = (x.type & (TASK | PARALLEL | MAP)) ? NO_ERROR_OUTPUT : NO_RESULT | NO_ERROR_OUTPUT;
  if ((m = field(&x, "Output"))) check_jsonata_value(ck, m->value, CHILD(at, m), after);
  if ((m = field(&x, "Assign"))) check_assign(&x, m->value, CHILD(at, m), after);
  if ((m = field(&x, "Retry"))) check_retry(&x, m->value, CHILD(at, m));
  if ((m = field(&x, "Catch"))) check_catch(&x, m->value, CHILD(at, m));

  switch (x.type) {
  case TASK: check_task(&x); break;
  case WAIT: check_wait(&x); break;
  case FAIL: check_fail(&x); break;
  case CHOICE: check_choice(&x); break;
  case PARALLEL: check_parallel(&x); break;
  case MAP: check_map(&x); break;
  default: break; /* Pass: Result is any JSON; Succeed has nothing more */
  }
}

/* ---------------------------------------------------------------- a States object */

/* Marks every state reachable from START (breadth first, no recursion); returns
   how many were newly marked. */
static int walk(struct asl_scope *scope, struct asl_state *start) {
  struct asl_state **queue = xmalloc((size_t)scope->nstates * sizeof *queue);
  int head = 0, tail = 0;
  start->reached = true;
  queue[tail++] = start;
  while (head < tail) {
    for (struct asl_edge *e = queue[head++]->edges; e; e = e->next) {
      if (e->to->reached) continue;
      e->to->reached = true;
      queue[tail++] = e->to;
    }
  }
  free(queue);
  return tail;
}

/* Unreachable states, one error per unreachable region, at the state that leads
   into it: first the states no other unreached state points to, then (for pure
   cycles) the first remaining one in document order. */
static void report_unreached(struct asl_checker *ck, struct asl_scope *scope,
                             struct asl_state *first, const struct jnode *start,
                             const struct jpath *states_at) {
  walk(scope, first);
  bool *entered = arena_alloc(ck->arena, (size_t)scope->nstates * sizeof *entered);
  for (int i = 0; i < scope->nstates; i++)
    if (!scope->states[i].reached)
      for (struct asl_edge *e = scope->states[i].edges; e; e = e->next)
        if (e->to != &scope->states[i]) entered[e->to - scope->states] = true;
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < scope->nstates; i++) {
      struct asl_state *st = &scope->states[i];
      if (st->reached || (pass == 0 && entered[i])) continue;
      int more = walk(scope, st) - 1;
      ERROR_AT(ck, key_loc(st->m), CHILD(states_at, st->m),
               "the state %s is never reached from StartAt %s%s", quote(ck, st->m->key, st->m->key_len),
               show(ck, start),
               more == 0 ? "" : more == 1 ? "; neither is the 1 state after it"
                       : arena_printf(ck->arena, "; neither are the %d states after it", more));
    }
  }
}

/* The machine, a Parallel branch or a Map processor: StartAt, States and their graph. */
static void check_machine(struct asl_checker *ck, const struct jnode *obj, const struct jpath *at,
                          const struct asl_scope *up, const char *kind, bool distributed) {
  bool top = !kind, processor = kind && !strncmp(kind, "Map's ", 6);
  const char *const *fields = top ? top_fields : processor ? processor_fields : branch_fields;
  const char *what = top ? "the state machine" : processor ? "ItemProcessor"
                     : !strcmp(kind, "Map's Iterator") ? "Iterator" : "a branch";
  bool typo = check_fields(ck, obj, at, fields, what);
  const struct jmember *m;
  if ((m = json_pos_get(obj, "Comment"))) expect(ck, m->value, CHILD(at, m), JN_STRING);
  const struct jmember *start = json_pos_get(obj, "StartAt");
  const struct jmember *states = json_pos_get(obj, "States");
  if (!start && !typo) ERROR_AT(ck, value_loc(ck, obj), at, "%s needs \"StartAt\"", what);
  if (!states && !typo) ERROR_AT(ck, value_loc(ck, obj), at, "%s needs \"States\"", what);
  if (start) expect(ck, start->value, CHILD(at, start), JN_STRING);
  if (!states || !expect(ck, states->value, CHILD(at, states), JN_OBJECT)) return;
  const struct jpath *states_at = CHILD(at, states);
  if (states->value->count == 0) {
    ERROR_AT(ck, value_loc(ck, states->value), states_at, "\"States\" needs at least one state");
    return;
  }

  struct asl_scope scope = {up, NULL, 0, {0}, {0}, kind, distributed, false, false};
  scope.states = arena_alloc(ck->arena, (size_t)states->value->count * sizeof *scope.states);
  for (const struct jmember *s = states->value->members; s; s = s->next) {
    struct asl_state *st = &scope.states[scope.nstates++];
    st->m = s;
    if (!has_nul(s->key, s->key_len) && !table_get(&scope.index, s->key))
      table_put(&scope.index, s->key, st);
    if (s->value->kind == JN_OBJECT) note_state_assignments(ck, &scope.vars, s->value);
  }

  struct asl_state *first = NULL;
  if (start && start->value->kind == JN_STRING) {
    const struct jnode *v = start->value;
    first = has_nul(v->text, v->len) ? NULL : table_get(&scope.index, v->text);
    if (!first) {
      struct suggestion s = {v->text, v->len, NULL, 0};
      if (may_suggest(ck, scope.nstates))
        for (int i = 0; i < scope.nstates; i++) consider(&s, scope.states[i].m->key);
      ERROR_AT(ck, value_loc(ck, v), CHILD(at, start), "no state named %s in %s%s", show(ck, v),
               top ? "\"States\"" : "this \"States\"", did_you_mean(ck, &s));
    }
  }

  const struct asl_scope *outer = ck->scope; /* a Map or Parallel checks its own states */
  for (int i = 0; i < scope.nstates; i++)
    check_state(ck, &scope, &scope.states[i], CHILD(states_at, scope.states[i].m));
  ck->scope = outer;

  bool terminal = false;
  for (int i = 0; i < scope.nstates; i++) terminal |= scope.states[i].terminal;
  bool sure = !scope.unknown_states && !scope.broken_edges && !ck->duplicate_keys;
  if (!terminal && sure)
    ERROR_AT(ck, key_loc(states), states_at,
             "no terminal state: nothing here ends the %s (a Succeed or Fail state, or \"End\": "
             "true)", top ? "execution" : kind[0] == 'P' ? "branch" : "iteration");
  if (first && sure) report_unreached(ck, &scope, first, start->value, states_at);
  table_free(&scope.index);
  table_free(&scope.vars);
}

/* ---------------------------------------------------------------- entry point */

void asl_check_document(struct arena *arena, struct diag *diag, const struct jnode *root,
                        bool lowered, bool after_syntax_errors, bool express) {
  struct asl_checker ck = {arena, diag, lowered, false, express, after_syntax_errors, {0}, {0}, {0}, NULL};
  const struct jpath at = {NULL, NULL, 0, -1};
  if (root->kind != JN_OBJECT) {
    ERROR_AT(&ck, value_loc(&ck, root), &at,
             "an ASL definition is a JSON object with \"StartAt\" and \"States\", found %s",
             show(&ck, root));
    return;
  }
  const struct jmember *m;
  if ((m = json_pos_get(root, "QueryLanguage")) &&
      check_enum(&ck, m->value, CHILD(&at, m), query_languages))
    ck.jsonata_machine = !strcmp(m->value->text, "JSONata");
  if ((m = json_pos_get(root, "Version")) && expect(&ck, m->value, CHILD(&at, m), JN_STRING) &&
      strcmp(m->value->text, "1.0") != 0)
    ERROR_AT(&ck, value_loc(&ck, m->value), CHILD(&at, m), "the only ASL version is \"1.0\", found %s",
             show(&ck, m->value));
  if ((m = json_pos_get(root, "TimeoutSeconds")))
    check_int(&ck, m->value, CHILD(&at, m), 1, ASL_MAX_SECONDS, false, NULL);
  collect_names(&ck, root, &at, "");
  check_machine(&ck, root, &at, NULL, NULL, false);
  table_free(&ck.names);
  table_free(&ck.homes);
  table_free(&ck.all_vars);
}

void asl_check_file(struct arena *arena, struct diag *diag, int file, const struct options *opts) {
  int syntax_errors = diag->syntax_errors;
  struct jnode *root = json_pos_parse(arena, diag, file);
  if (!root) return;
  if (opts && opts->substitute) { /* reporting needs only the arena and diag */
    struct asl_checker ck = {.arena = arena, .diag = diag};
    substitute(&ck, opts, root, &(struct jpath){NULL, NULL, 0, -1});
  }
  asl_check_document(arena, diag, root, false, diag->syntax_errors > syntax_errors,
                     opts && opts->express);
}
