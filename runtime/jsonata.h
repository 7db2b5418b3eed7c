/* jsonata.h: JSONata 2.0.6, the version AWS Step Functions implements, evaluated in C.
 *
 *   jsonata.c       the parser: tokens, the Pratt parser, the S0 errors (declared in sfc.h)
 *   jsonata_eval.c  values, the evaluator (the reference's processAST and evaluate: paths,
 *                   stages, tuple streams, parent resolution), errors and their messages,
 *                   the depth and step limits, function values, json_t conversion
 *   jsonata_fn.c    the table of built-in functions and their signatures (signature.js)
 *   jsonata_str.c   string and number functions, JavaScript's number and JSON text,
 *                   regular expressions in JavaScript's dialect (PCRE2)
 *   jsonata_seq.c   array, object, aggregate, boolean and higher-order functions
 *   jsonata_time.c  $now $millis $fromMillis $toMillis $formatInteger $parseInteger
 *                   and their picture strings (the reference's datetime.js)
 *   jsonata_aws.c   the functions AWS adds: $partition $range $hash $random $uuid $parse
 *
 * The reference is jsonata-js 2.0.6 (tests/node_modules/jsonata/jsonata.js after
 * `npm ci` in tests/): same results, same error codes and messages.
 *
 * Every value of one evaluation lives in that evaluation's arena (struct jn_ctx) and
 * dies with it; values are never freed one by one, and are immutable once made,
 * except for arrays and objects still being built by the function that made them.
 */
#ifndef SFC_JSONATA_H
#define SFC_JSONATA_H

#include "sfc.h"
#include "runtime.h"

/* ---------------------------------------------------------------- values */

enum jv_kind { JV_UNDEFINED, JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT, JV_FUNCTION };

struct jv_str {
  size_t len;   /* bytes of UTF-8; text[len] is 0 */
  char text[];
};

/* Array flags, as the reference marks its arrays. */
enum {
  JVF_SEQUENCE = 1,        /* a result sequence: a singleton is its item, empty is undefined */
  JVF_KEEP_SINGLETON = 2,  /* from a step with []: stays an array */
  JVF_OUTER_WRAPPER = 4,   /* the wrapper put around an input array */
  JVF_TUPLE_STREAM = 8,    /* items are tuple objects ('@' and the bound variables) */
  JVF_CONS = 16,           /* made by an array constructor [...]: not flattened by a path */
};

struct jv_arr {
  size_t len, cap;
  struct jv *items;
  unsigned flags;
};

struct jv_obj; /* insertion-ordered; see jv_obj_* */
struct jv_fn;  /* a lambda, a built-in, a partial application or a regular expression */

struct jv {
  enum jv_kind kind;
  union {
    bool b;
    double n;
    struct jv_str *s;
    struct jv_arr *a;
    struct jv_obj *o;
    struct jv_fn *f;
  } u;
};

/* ---------------------------------------------------------------- errors */

/* An error as the reference raises it: its code, its message with {{value}}, {{token}}
   and the rest filled in as the reference's table says, and where. */
struct jn_error {
  char code[8];      /* "T2001", "D3030", "S0201", "U1001" */
  char *message;     /* malloc'd */
  size_t position;   /* byte offset in the expression text */
  char *token;       /* malloc'd, or NULL */
  json_t *value;     /* the offending value, or NULL */
};
void jn_error_free(struct jn_error *e);

/* ---------------------------------------------------------------- one evaluation */

struct jx_state; /* jsonata_eval.c's own */

struct jn_ctx {
  struct arena arena;        /* every value of this evaluation */
  struct jn_error *err;      /* filled by jx_throw */
  int64_t now_ms;            /* $now and $millis: one instant for the whole evaluation */
  struct rt_random *random;  /* $random, $uuid, $shuffle */
  struct jx_state *state;
};

/* Natives called outside an evaluation (the unit tests): jn_ctx_begin gives X a state
   with the default limits, jn_ctx_error moves the error raised into X->err with its
   message filled (as jsonata_evaluate does), jn_ctx_end frees the state and the arena. */
void jn_ctx_begin(struct jn_ctx *x, struct jn_error *err);
void jn_ctx_error(struct jn_ctx *x);
void jn_ctx_end(struct jn_ctx *x);

/* Raises error CODE (its message from the reference's table); TOKEN, VALUE, VALUE2 and
   INDEX fill the message's {{token}}, {{value}}, {{value2}} and {{index}} (NULL / 0 when
   the message has none). Always returns false, so a function can `return jx_throw(...)`. */
bool jx_throw(struct jn_ctx *x, const char *code, const char *token, const struct jv *value,
              const struct jv *value2, int index);
/* The {{type}} of the error just raised (T0412's), as JSON text: "\"numbers\"". */
void jx_error_type(struct jn_ctx *x, const char *type);
/* A message of the caller's own, for $error and $assert (code "D3137" / "D3141") and
   for AWS's functions, whose messages the reference does not have. */
bool jx_throw_message(struct jn_ctx *x, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Makers. Strings are copied into the arena. */
static inline struct jv jv_undefined(void) { struct jv v = {JV_UNDEFINED, {0}}; return v; }
static inline struct jv jv_null(void) { struct jv v = {JV_NULL, {0}}; return v; }
static inline struct jv jv_bool(bool b) { struct jv v = {JV_BOOL, {.b = b}}; return v; }
static inline struct jv jv_number(double n) { struct jv v = {JV_NUMBER, {.n = n}}; return v; }
struct jv jv_string(struct jn_ctx *x, const char *s, size_t len);
struct jv jv_cstring(struct jn_ctx *x, const char *s);
struct jv jv_array(struct jn_ctx *x, size_t cap_hint, unsigned flags);
void jv_push(struct jn_ctx *x, struct jv *array, struct jv item); /* undefined items are kept: callers skip them */
struct jv jv_object(struct jn_ctx *x);
const struct jv *jv_obj_get(const struct jv_obj *o, const char *key, size_t len); /* NULL: absent */
void jv_obj_set(struct jn_ctx *x, struct jv_obj *o, const char *key, size_t len, struct jv v); /* replaces in place */
bool jv_obj_delete(struct jv_obj *o, const char *key, size_t len);
size_t jv_obj_len(const struct jv_obj *o);
const struct jv_str *jv_obj_key(const struct jv_obj *o, size_t i); /* in insertion order */
const struct jv *jv_obj_value(const struct jv_obj *o, size_t i);

/* The reference's deep equality (the = operator, $distinct and the like). */
bool jv_equal(const struct jv *a, const struct jv *b);
/* A sequence's value: a singleton sequence is its item, an empty one undefined. */
struct jv jv_unwrap(const struct jv *v);
/* V as an array: an array is itself, undefined is empty, anything else a one-item array. */
struct jv jv_as_array(struct jn_ctx *x, const struct jv *v);
/* $boolean's truth (the reference's boolean(): undefined and functions are false, an
   array is true when one of its items is). */
bool jn_truthy(const struct jv *v);
/* Whether a function value is an object in the reference (true in a condition). */
bool jn_function_is_object(const struct jv *fn);
/* A copy of V that shares nothing mutable with it ($clone, the transform operator). */
struct jv jv_deep_copy(struct jn_ctx *x, const struct jv *v);
/* A stable merge sort, as the reference's: AFTER returns 1 when A must come after B,
   0 when not, -1 on an error (raised). */
typedef int jn_after_fn(struct jn_ctx *x, const struct jv *a, const struct jv *b, void *ctx);
bool jn_merge_sort(struct jn_ctx *x, struct jv *items, size_t n, jn_after_fn *after, void *ctx);

/* JavaScript's comparison of strings (by UTF-16 code units): <0, 0 or >0. */
int jn_string_compare(const struct jv_str *a, const struct jv_str *b);
/* The reference's lookup of a field (fn.lookup): on an array, every item's, flattened. */
struct jv jx_lookup(struct jn_ctx *x, const struct jv *input, const char *key, size_t len);

/* Functions as values. */
bool jx_apply(struct jn_ctx *x, const struct jv *fn, struct jv *args, int argc, struct jv *out);
int jx_arity(const struct jv *fn); /* the parameters a higher-order function passes it */
/* A regular expression value's compiled pattern, or NULL when FN is not one. */
const pcre2_code *jx_regex(const struct jv *fn);

/* ---------------------------------------------------------------- jsonata_fn.c */

/* Signatures (the reference's signature.js). */
struct jn_sig;
/* TEXT as a signature ("<s-nn?:s>"), in arena A; NULL with *WHY (static) when invalid. */
struct jn_sig *jn_sig_parse(struct arena *a, const char *text, size_t len, const char **why);
/* The built-in's signature, parsed once. */
const struct jn_sig *jn_builtin_sig(const struct jn_builtin *b);
/* Validates ARGS against SIG for the function NAME (for T0410's {{token}}); CONTEXT fills
   a '-' parameter that was left out. *OUT (in the arena) gets the arguments to pass,
   arrays coerced as the signature says, *OUT_ARGC their count. false: T0410, T0411 or
   T0412 raised. */
bool jn_sig_validate(struct jn_ctx *x, const struct jn_sig *sig, const struct jv *args, int argc,
                     const struct jv *context, const char *name, struct jv **out, int *out_argc);

/* ---------------------------------------------------------------- jsonata_str.c */

/* $string: V as text (strings as they are, the rest as the reference's JSON.stringify
   writes it, numbers to 15 significant digits); false with D3001 for an infinite number. */
bool jn_stringify(struct jn_ctx *x, const struct jv *v, bool pretty, struct jv *out);
/* D as JavaScript's Number.prototype.toString writes it; BUF holds at least 32 bytes. */
void jn_number_text(double d, char *buf);
/* A regular expression literal /PATTERN/FLAGS in JavaScript's dialect; NULL with *WHY
   (malloc'd) when PCRE2 refuses it. */
pcre2_code *jn_regex_compile(const char *pattern, size_t len, const char *flags, char **why);
/* The first match of RE in S at or after byte FROM: *OUT is the reference's match object
   {match, start, end, groups} (start and end in UTF-16 code units, as JavaScript counts),
   or undefined when there is none. The evaluator adds `next`. NEXT_FROM gets the byte
   offset the next search starts at. */
bool jn_regex_match(struct jn_ctx *x, const pcre2_code *re, const struct jv_str *s, size_t from,
                    struct jv *out, size_t *next_from);

jn_native jn_fn_string, jn_fn_length, jn_fn_substring, jn_fn_substring_before,
    jn_fn_substring_after, jn_fn_uppercase, jn_fn_lowercase, jn_fn_trim, jn_fn_pad,
    jn_fn_contains, jn_fn_split, jn_fn_join, jn_fn_match, jn_fn_replace, jn_fn_base64encode,
    jn_fn_base64decode, jn_fn_encode_url, jn_fn_encode_url_component, jn_fn_decode_url,
    jn_fn_decode_url_component, jn_fn_number, jn_fn_abs, jn_fn_floor, jn_fn_ceil, jn_fn_round,
    jn_fn_power, jn_fn_sqrt, jn_fn_format_number, jn_fn_format_base;

/* ---------------------------------------------------------------- jsonata_seq.c */

jn_native jn_fn_count, jn_fn_sum, jn_fn_max, jn_fn_min, jn_fn_average, jn_fn_append,
    jn_fn_reverse, jn_fn_shuffle, jn_fn_distinct, jn_fn_sort, jn_fn_zip, jn_fn_keys,
    jn_fn_lookup, jn_fn_spread, jn_fn_merge, jn_fn_each, jn_fn_sift, jn_fn_map, jn_fn_filter,
    jn_fn_single, jn_fn_reduce, jn_fn_type, jn_fn_error, jn_fn_assert, jn_fn_boolean,
    jn_fn_not, jn_fn_exists, jn_fn_clone;

/* ---------------------------------------------------------------- jsonata_time.c */

jn_native jn_fn_now, jn_fn_millis, jn_fn_from_millis, jn_fn_to_millis, jn_fn_format_integer,
    jn_fn_parse_integer;

/* ---------------------------------------------------------------- jsonata_aws.c */

jn_native jn_fn_partition, jn_fn_range, jn_fn_hash, jn_fn_random, jn_fn_uuid, jn_fn_parse;

/* ---------------------------------------------------------------- the interface */

/* A compiled expression: the parse tree and the evaluator's tree, in its own arena. */
struct jn_expr;
/* NULL with *err set (an S0 code, its message and offset) when TEXT is not valid. */
struct jn_expr *jsonata_compile(const char *text, size_t len, struct jn_error *err);
void jsonata_free(struct jn_expr *e);

struct jn_options {
  json_t *bindings;          /* an object: name (without '$') -> value, or NULL */
  int64_t now_ms;            /* the instant $now and $millis give */
  struct rt_random *random;  /* NULL: a fixed seed */
  int max_depth;             /* nesting of evaluation before U1001 (0: the default) */
  uint64_t max_steps;        /* evaluation steps before U1001 (0: the default) */
  bool *function_result;     /* when not NULL: whether the result was a function, which
                                JSON cannot hold (*out is NULL then, as for undefined) */
};
/* Evaluates E on INPUT (NULL: undefined). *OUT is a new reference, NULL when the
   result is undefined. false with *err set. */
bool jsonata_evaluate(const struct jn_expr *e, json_t *input, const struct jn_options *o, json_t **out,
                      struct jn_error *err);
/* Converts between Jansson and the evaluator's values (in X's arena; nothing of J is kept). */
struct jv jv_from_json(struct jn_ctx *x, const json_t *j);
json_t *jv_to_json(const struct jv *v); /* NULL for undefined; functions are dropped as JSON.stringify drops them */

#endif
