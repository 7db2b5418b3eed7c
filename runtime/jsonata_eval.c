#include "jsonata.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jsonata_eval.c - JSONata values and the evaluator, as jsonata-js 2.0.6 does it.
 *
 * jsonata_compile parses (jsonata.c) and then prepares the tree the way the
 * reference's processAST does: a.b[c].d becomes one path of steps, each step with its
 * stages (predicates and #-indexes), group, focus (@) and index (#); % is resolved to
 * the step it names (S0217 when it names none). jsonata_evaluate walks that tree.
 * The shapes of values follow the reference's arrays: a sequence collapses to its one
 * item or to undefined; a tuple stream carries @ and the bound variables per item. */

/* ---------------------------------------------------------------- values */

/* An object read from JSON is converted member by member only when something first
   looks inside it (LAZY, in ARENA): most expressions read a few fields of a large
   input, and converting all of it was most of their time. */
struct jv_obj {
  size_t len, cap;
  struct jv_str **keys;
  struct jv *values;
  const json_t *lazy;
  struct arena *arena;
};

static struct jv jv_from_json_in(struct arena *a, const json_t *j);
static void obj_set(struct arena *a, struct jv_obj *o, const char *key, size_t len, struct jv v, bool fresh);

/* O with its members converted. */
static struct jv_obj *force(const struct jv_obj *co)
{
  struct jv_obj *o = (struct jv_obj *)co;
  if (!o->lazy) return o;
  const json_t *j = o->lazy;
  o->lazy = NULL;
  const char *k;
  size_t klen;
  json_t *m;
  json_object_keylen_foreach((json_t *)j, k, klen, m) obj_set(o->arena, o, k, klen, jv_from_json_in(o->arena, m), true);
  return o;
}

struct jv jv_string(struct jn_ctx *x, const char *s, size_t len)
{
  struct jv_str *p = arena_alloc(&x->arena, sizeof *p + len + 1);
  p->len = len;
  memcpy(p->text, s, len);
  struct jv v = {JV_STRING, {.s = p}};
  return v;
}

struct jv jv_cstring(struct jn_ctx *x, const char *s) { return jv_string(x, s, strlen(s)); }

struct jv jv_array(struct jn_ctx *x, size_t cap_hint, unsigned flags)
{
  struct jv_arr *a = NEW(&x->arena, struct jv_arr);
  a->cap = cap_hint ? cap_hint : 4;
  a->items = arena_alloc(&x->arena, a->cap * sizeof *a->items);
  a->flags = flags;
  struct jv v = {JV_ARRAY, {.a = a}};
  return v;
}

void jv_push(struct jn_ctx *x, struct jv *array, struct jv item)
{
  struct jv_arr *a = array->u.a;
  if (a->len == a->cap) {
    struct jv *bigger = arena_alloc(&x->arena, 2 * a->cap * sizeof *bigger);
    memcpy(bigger, a->items, a->len * sizeof *bigger);
    a->items = bigger;
    a->cap *= 2;
  }
  a->items[a->len++] = item;
}

struct jv jv_object(struct jn_ctx *x)
{
  struct jv v = {JV_OBJECT, {.o = NEW(&x->arena, struct jv_obj)}};
  return v;
}

static long find_key(const struct jv_obj *o, const char *key, size_t len)
{
  for (size_t i = 0; i < o->len; i++)
    if (o->keys[i]->len == len && !memcmp(o->keys[i]->text, key, len)) return (long)i;
  return -1;
}

const struct jv *jv_obj_get(const struct jv_obj *o, const char *key, size_t len)
{
  o = force(o);
  long i = find_key(o, key, len);
  return i < 0 ? NULL : &o->values[i];
}

/* A JavaScript array index ("0", "17", not "01" or "-1"), which JavaScript objects
   list before their other keys, in numeric order; -1 when KEY is not one. */
static double array_index(const char *key, size_t len)
{
  if (len == 0 || len > 10 || (len > 1 && key[0] == '0') || key[0] < '0' || key[0] > '9') return -1;
  double n = 0;
  for (size_t i = 0; i < len; i++) {
    if (key[i] < '0' || key[i] > '9') return -1;
    n = n * 10 + (key[i] - '0');
  }
  return n < 4294967295.0 ? n : -1;
}

static struct jv_str *arena_str(struct arena *a, const char *s, size_t len)
{
  struct jv_str *p = arena_alloc(a, sizeof *p + len + 1);
  p->len = len;
  memcpy(p->text, s, len);
  return p;
}

/* FRESH: KEY is known not to be there yet (a JSON object's keys are unique). */
static void obj_set(struct arena *a, struct jv_obj *o, const char *key, size_t len, struct jv v, bool fresh)
{
  long i = fresh ? -1 : find_key(o, key, len);
  if (i >= 0) {
    o->values[i] = v;
    return;
  }
  if (o->len == o->cap) {
    size_t cap = o->cap ? 2 * o->cap : 4;
    struct jv_str **keys = arena_alloc(a, cap * sizeof *keys);
    struct jv *values = arena_alloc(a, cap * sizeof *values);
    if (o->len) {
      memcpy(keys, o->keys, o->len * sizeof *keys);
      memcpy(values, o->values, o->len * sizeof *values);
    }
    o->keys = keys;
    o->values = values;
    o->cap = cap;
  }
  size_t at = o->len;
  double index = array_index(key, len);
  if (index >= 0) { /* among the leading index keys, in order */
    at = 0;
    while (at < o->len) {
      double other = array_index(o->keys[at]->text, o->keys[at]->len);
      if (other < 0 || other > index) break;
      at++;
    }
    memmove(&o->keys[at + 1], &o->keys[at], (o->len - at) * sizeof *o->keys);
    memmove(&o->values[at + 1], &o->values[at], (o->len - at) * sizeof *o->values);
  }
  o->keys[at] = arena_str(a, key, len);
  o->values[at] = v;
  o->len++;
}

void jv_obj_set(struct jn_ctx *x, struct jv_obj *o, const char *key, size_t len, struct jv v)
{
  obj_set(&x->arena, force(o), key, len, v, false);
}

bool jv_obj_delete(struct jv_obj *o, const char *key, size_t len)
{
  o = force(o);
  long i = find_key(o, key, len);
  if (i < 0) return false;
  memmove(&o->keys[i], &o->keys[i + 1], (o->len - (size_t)i - 1) * sizeof *o->keys);
  memmove(&o->values[i], &o->values[i + 1], (o->len - (size_t)i - 1) * sizeof *o->values);
  o->len--;
  return true;
}

size_t jv_obj_len(const struct jv_obj *o) { return force(o)->len; }
const struct jv_str *jv_obj_key(const struct jv_obj *o, size_t i) { return force(o)->keys[i]; }
const struct jv *jv_obj_value(const struct jv_obj *o, size_t i) { return &force(o)->values[i]; }

/* The reference's isDeepEqual: arrays item by item, objects by their key sets. */
bool jv_equal(const struct jv *a, const struct jv *b)
{
  if (a->kind != b->kind) return false;
  switch (a->kind) {
  case JV_UNDEFINED: case JV_NULL: return true;
  case JV_BOOL: return a->u.b == b->u.b;
  case JV_NUMBER: return a->u.n == b->u.n;
  case JV_STRING: return a->u.s->len == b->u.s->len && !memcmp(a->u.s->text, b->u.s->text, a->u.s->len);
  case JV_ARRAY:
    if (a->u.a->len != b->u.a->len) return false;
    for (size_t i = 0; i < a->u.a->len; i++)
      if (!jv_equal(&a->u.a->items[i], &b->u.a->items[i])) return false;
    return true;
  case JV_OBJECT:
    if (force(a->u.o)->len != force(b->u.o)->len) return false;
    for (size_t i = 0; i < force(a->u.o)->len; i++) {
      const struct jv *w = jv_obj_get(b->u.o, force(a->u.o)->keys[i]->text, force(a->u.o)->keys[i]->len);
      if (!w || !jv_equal(&force(a->u.o)->values[i], w)) return false;
    }
    return true;
  case JV_FUNCTION: return a->u.f == b->u.f;
  }
  return false;
}

static bool is_sequence(const struct jv *v) { return v->kind == JV_ARRAY && (v->u.a->flags & JVF_SEQUENCE); }

struct jv jv_unwrap(const struct jv *v)
{
  if (is_sequence(v) && !(v->u.a->flags & (JVF_KEEP_SINGLETON | JVF_TUPLE_STREAM))) {
    if (v->u.a->len == 0) return jv_undefined();
    if (v->u.a->len == 1) return v->u.a->items[0];
  }
  return *v;
}

struct jv jv_as_array(struct jn_ctx *x, const struct jv *v)
{
  if (v->kind == JV_ARRAY) return *v;
  struct jv a = jv_array(x, 1, 0);
  if (v->kind != JV_UNDEFINED) jv_push(x, &a, *v);
  return a;
}

/* The reference's createSequence(v): a sequence holding V, even when V is undefined. */
static struct jv sequence_of(struct jn_ctx *x, struct jv v)
{
  struct jv s = jv_array(x, 1, JVF_SEQUENCE);
  jv_push(x, &s, v);
  return s;
}

/* The reference's fn.append: undefined disregarded, then both as arrays, concatenated
   into a new plain array. */
static struct jv append(struct jn_ctx *x, const struct jv *a, const struct jv *b)
{
  if (a->kind == JV_UNDEFINED) return *b;
  if (b->kind == JV_UNDEFINED) return *a;
  size_t na = a->kind == JV_ARRAY ? a->u.a->len : 1, nb = b->kind == JV_ARRAY ? b->u.a->len : 1;
  struct jv r = jv_array(x, na + nb, 0);
  if (a->kind == JV_ARRAY) for (size_t i = 0; i < na; i++) jv_push(x, &r, a->u.a->items[i]);
  else jv_push(x, &r, *a);
  if (b->kind == JV_ARRAY) for (size_t i = 0; i < nb; i++) jv_push(x, &r, b->u.a->items[i]);
  else jv_push(x, &r, *b);
  return r;
}

bool jn_truthy(const struct jv *v)
{
  switch (v->kind) {
  case JV_UNDEFINED: case JV_NULL: return false;
  case JV_FUNCTION: return jn_function_is_object(v);
  case JV_BOOL: return v->u.b;
  case JV_NUMBER: return v->u.n != 0 && !isnan(v->u.n);
  case JV_STRING: return v->u.s->len > 0;
  case JV_ARRAY:
    for (size_t i = 0; i < v->u.a->len; i++)
      if (jn_truthy(&v->u.a->items[i])) return true;
    return false;
  case JV_OBJECT: return force(v->u.o)->len > 0;
  }
  return false;
}

struct jv jv_deep_copy(struct jn_ctx *x, const struct jv *v)
{
  struct jv c = *v;
  if (v->kind == JV_ARRAY) {
    c = jv_array(x, v->u.a->len, v->u.a->flags);
    for (size_t i = 0; i < v->u.a->len; i++) jv_push(x, &c, jv_deep_copy(x, &v->u.a->items[i]));
  } else if (v->kind == JV_OBJECT) {
    c = jv_object(x);
    for (size_t i = 0; i < force(v->u.o)->len; i++)
      jv_obj_set(x, c.u.o, force(v->u.o)->keys[i]->text, force(v->u.o)->keys[i]->len, jv_deep_copy(x, &force(v->u.o)->values[i]));
  }
  return c;
}

bool jn_merge_sort(struct jn_ctx *x, struct jv *items, size_t n, jn_after_fn *after, void *ctx)
{
  if (n < 2) return true;
  size_t h = n / 2;
  if (!jn_merge_sort(x, items, h, after, ctx) || !jn_merge_sort(x, items + h, n - h, after, ctx)) return false;
  struct jv *tmp = arena_alloc(&x->arena, n * sizeof *tmp);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) {
    int r = after(x, &items[i], &items[j], ctx);
    if (r < 0) return false;
    tmp[k++] = r ? items[j++] : items[i++];
  }
  while (i < h) tmp[k++] = items[i++];
  while (j < n) tmp[k++] = items[j++];
  memcpy(items, tmp, n * sizeof *tmp);
  return true;
}

/* J's value; an object's members wait until they are looked at (force). J must outlive
   the evaluation, as the input and the bindings do. */
static struct jv jv_from_json_in(struct arena *a, const json_t *j)
{
  struct jv v = {JV_UNDEFINED, {0}};
  switch (json_typeof(j)) {
  case JSON_NULL: v.kind = JV_NULL; break;
  case JSON_TRUE: return jv_bool(true);
  case JSON_FALSE: return jv_bool(false);
  case JSON_INTEGER: return jv_number((double)json_integer_value(j));
  case JSON_REAL: return jv_number(json_real_value(j));
  case JSON_STRING:
    v.kind = JV_STRING;
    v.u.s = arena_str(a, json_string_value(j), json_string_length(j));
    break;
  case JSON_ARRAY: {
    size_t n = json_array_size(j);
    struct jv_arr *arr = arena_alloc(a, sizeof *arr);
    arr->cap = n ? n : 1;
    arr->items = arena_alloc(a, arr->cap * sizeof *arr->items);
    for (size_t i = 0; i < n; i++) arr->items[i] = jv_from_json_in(a, json_array_get(j, i));
    arr->len = n;
    v.kind = JV_ARRAY;
    v.u.a = arr;
    break;
  }
  case JSON_OBJECT: {
    struct jv_obj *o = arena_alloc(a, sizeof *o);
    o->lazy = json_object_size(j) ? j : NULL;
    o->arena = a;
    v.kind = JV_OBJECT;
    v.u.o = o;
    break;
  }
  }
  return v;
}

static void force_all(const struct jv *v)
{
  if (v->kind == JV_ARRAY) {
    for (size_t i = 0; i < v->u.a->len; i++) force_all(&v->u.a->items[i]);
  } else if (v->kind == JV_OBJECT) {
    const struct jv_obj *o = force(v->u.o);
    for (size_t i = 0; i < o->len; i++) force_all(&o->values[i]);
  }
}

/* Converted at once: the caller may free J as soon as it returns. */
struct jv jv_from_json(struct jn_ctx *x, const json_t *j)
{
  struct jv v = jv_from_json_in(&x->arena, j);
  force_all(&v);
  return v;
}

json_t *jv_to_json(const struct jv *v)
{
  switch (v->kind) {
  case JV_UNDEFINED: case JV_FUNCTION: return NULL;
  case JV_NULL: return json_null();
  case JV_BOOL: return json_boolean(v->u.b);
  case JV_NUMBER:
    if (!isfinite(v->u.n)) return json_null(); /* as JSON.stringify writes NaN and Infinity */
    if (v->u.n == floor(v->u.n) && fabs(v->u.n) < 9007199254740992.0) return json_integer((json_int_t)v->u.n);
    return json_real(v->u.n);
  case JV_STRING: return json_stringn(v->u.s->text, v->u.s->len);
  case JV_ARRAY: {
    json_t *a = json_array();
    for (size_t i = 0; i < v->u.a->len; i++) {
      json_t *m = jv_to_json(&v->u.a->items[i]);
      json_array_append_new(a, m ? m : json_null());
    }
    return a;
  }
  case JV_OBJECT: {
    json_t *o = json_object();
    for (size_t i = 0; i < force(v->u.o)->len; i++) {
      json_t *m = jv_to_json(&force(v->u.o)->values[i]);
      if (m) json_object_setn_new(o, force(v->u.o)->keys[i]->text, force(v->u.o)->keys[i]->len, m);
    }
    return o;
  }
  }
  return NULL;
}

/* ---------------------------------------------------------------- errors */

/* The reference's errorCodes (jsonata.js 2.0.6), as data. */
static const struct { const char *code, *message; } error_messages[] = {
  {"S0101", "String literal must be terminated by a matching quote"},
  {"S0102", "Number out of range: {{token}}"},
  {"S0103", "Unsupported escape sequence: \\{{token}}"},
  {"S0104", "The escape sequence \\u must be followed by 4 hex digits"},
  {"S0105", "Quoted property name must be terminated with a backquote (`)"},
  {"S0106", "Comment has no closing tag"},
  {"S0201", "Syntax error: {{token}}"},
  {"S0202", "Expected {{value}}, got {{token}}"},
  {"S0203", "Expected {{value}} before end of expression"},
  {"S0204", "Unknown operator: {{token}}"},
  {"S0205", "Unexpected token: {{token}}"},
  {"S0206", "Unknown expression type: {{token}}"},
  {"S0207", "Unexpected end of expression"},
  {"S0208", "Parameter {{value}} of function definition must be a variable name (start with $)"},
  {"S0209", "A predicate cannot follow a grouping expression in a step"},
  {"S0210", "Each step can only have one grouping expression"},
  {"S0211", "The symbol {{token}} cannot be used as a unary operator"},
  {"S0212", "The left side of := must be a variable name (start with $)"},
  {"S0213", "The literal value {{value}} cannot be used as a step within a path expression"},
  {"S0214", "The right side of {{token}} must be a variable name (start with $)"},
  {"S0215", "A context variable binding must precede any predicates on a step"},
  {"S0216", "A context variable binding must precede the 'order-by' clause on a step"},
  {"S0217", "The object representing the 'parent' cannot be derived from this expression"},
  {"S0301", "Empty regular expressions are not allowed"},
  {"S0302", "No terminating / in regular expression"},
  {"S0402", "Choice groups containing parameterized types are not supported"},
  {"S0401", "Type parameters can only be applied to functions and arrays"},
  {"S0500", "Attempted to evaluate an expression containing syntax error(s)"},
  {"T0410", "Argument {{index}} of function {{token}} does not match function signature"},
  {"T0411", "Context value is not a compatible type with argument {{index}} of function {{token}}"},
  {"T0412", "Argument {{index}} of function {{token}} must be an array of {{type}}"},
  {"D1001", "Number out of range: {{value}}"},
  {"D1002", "Cannot negate a non-numeric value: {{value}}"},
  {"T1003", "Key in object structure must evaluate to a string; got: {{value}}"},
  {"D1004", "Regular expression matches zero length string"},
  {"T1005", "Attempted to invoke a non-function. Did you mean ${{{token}}}?"},
  {"T1006", "Attempted to invoke a non-function"},
  {"T1007", "Attempted to partially apply a non-function. Did you mean ${{{token}}}?"},
  {"T1008", "Attempted to partially apply a non-function"},
  {"D1009", "Multiple key definitions evaluate to same key: {{value}}"},
  {"D1010", "Attempted to access the Javascript object prototype"},
  {"T1010", "The matcher function argument passed to function {{token}} does not return the correct object structure"},
  {"T2001", "The left side of the {{token}} operator must evaluate to a number"},
  {"T2002", "The right side of the {{token}} operator must evaluate to a number"},
  {"T2003", "The left side of the range operator (..) must evaluate to an integer"},
  {"T2004", "The right side of the range operator (..) must evaluate to an integer"},
  {"D2005", "The left side of := must be a variable name (start with $)"},
  {"T2006", "The right side of the function application operator ~> must be a function"},
  {"T2007", "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause"},
  {"T2008", "The expressions within an order-by clause must evaluate to numeric or string values"},
  {"T2009", "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type"},
  {"T2010", "The expressions either side of operator {{token}} must evaluate to numeric or string values"},
  {"T2011", "The insert/update clause of the transform expression must evaluate to an object: {{value}}"},
  {"T2012", "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}"},
  {"T2013", "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function."},
  {"D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate {{value}}."},
  {"D3001", "Attempting to invoke string function on Infinity or NaN"},
  {"D3010", "Second argument of replace function cannot be an empty string"},
  {"D3011", "Fourth argument of replace function must evaluate to a positive number"},
  {"D3012", "Attempted to replace a matched string with a non-string value"},
  {"D3020", "Third argument of split function must evaluate to a positive number"},
  {"D3030", "Unable to cast value to a number: {{value}}"},
  {"D3040", "Third argument of match function must evaluate to a positive number"},
  {"D3050", "The second argument of reduce function must be a function with at least two arguments"},
  {"D3060", "The sqrt function cannot be applied to a negative number: {{value}}"},
  {"D3061", "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}"},
  {"D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"},
  {"D3080", "The picture string must only contain a maximum of two sub-pictures"},
  {"D3081", "The sub-picture must not contain more than one instance of the 'decimal-separator' character"},
  {"D3082", "The sub-picture must not contain more than one instance of the 'percent' character"},
  {"D3083", "The sub-picture must not contain more than one instance of the 'per-mille' character"},
  {"D3084", "The sub-picture must not contain both a 'percent' and a 'per-mille' character"},
  {"D3085", "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"},
  {"D3086", "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"},
  {"D3087", "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"},
  {"D3088", "The sub-picture must not contain a 'grouping-separator' at the end of the integer part"},
  {"D3089", "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"},
  {"D3090", "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"},
  {"D3091", "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"},
  {"D3092", "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"},
  {"D3093", "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"},
  {"D3100", "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}"},
  {"D3110", "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}"},
  {"D3120", "Syntax error in expression passed to function eval: {{value}}"},
  {"D3121", "Dynamic error evaluating the expression passed to function eval: {{value}}"},
  {"D3130", "Formatting or parsing an integer as a sequence starting with {{value}} is not supported by this implementation"},
  {"D3131", "In a decimal digit pattern, all digits must be from the same decimal group"},
  {"D3132", "Unknown component specifier {{value}} in date/time picture string"},
  {"D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not {{value}}"},
  {"D3134", "The timezone integer format specifier cannot have more than four digits"},
  {"D3135", "No matching closing bracket ']' in date/time picture string"},
  {"D3136", "The date/time picture string is missing specifiers required to parse the timestamp"},
  {"D3137", "{{{message}}}"},
  {"D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more."},
  {"D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0."},
  {"D3140", "Malformed URL passed to ${{{functionName}}}(): {{value}}"},
  {"D3141", "{{{message}}}"},
};

static const char *error_template(const char *code)
{
  for (size_t i = 0; i < sizeof error_messages / sizeof *error_messages; i++)
    if (!strcmp(error_messages[i].code, code)) return error_messages[i].message;
  return NULL;
}

void jn_error_free(struct jn_error *e)
{
  free(e->message);
  free(e->token);
  json_decref(e->value);
  memset(e, 0, sizeof *e);
}

/* An error being raised: the reference fills the message only at the top, after the
   callers on the way up have added their token and position. */
struct pending {
  bool set;
  char code[8];
  const char *token;       /* NULL: none yet */
  bool has_position;
  size_t position;
  struct jv value, value2; /* JV_UNDEFINED: none */
  int index;
  const char *type;        /* {{type}}, as JSON text */
  char *message;           /* jx_throw_message's own, malloc'd */
};

struct jx_state {
  struct pending err;
  int depth, max_depth;
  uint64_t steps, max_steps;
  };

bool jx_throw(struct jn_ctx *x, const char *code, const char *token, const struct jv *value,
              const struct jv *value2, int index)
{
  struct pending *p = &x->state->err;
  free(p->message);
  memset(p, 0, sizeof *p);
  p->set = true;
  snprintf(p->code, sizeof p->code, "%s", code);
  p->token = token ? arena_strdup(&x->arena, token) : NULL;
  p->value = value ? *value : jv_undefined();
  p->value2 = value2 ? *value2 : jv_undefined();
  p->index = index;
  return false;
}

void jx_error_type(struct jn_ctx *x, const char *type)
{
  x->state->err.type = type;
}

bool jx_throw_message(struct jn_ctx *x, const char *code, const char *fmt, ...)
{
  jx_throw(x, code, NULL, NULL, NULL, 0);
  va_list ap;
  va_start(ap, fmt);
  x->state->err.message = xvasprintf(fmt, ap);
  va_end(ap);
  return false;
}

/* Adds what the reference adds on the way up: a position and a token where the error
   has none yet (FORCE: replace them, as a binary operator does). */
static bool annotate(struct jn_ctx *x, size_t position, const char *token, bool force)
{
  struct pending *p = &x->state->err;
  if (force || !p->has_position) {
    p->position = position;
    p->has_position = true;
  }
  if (token && (force || !p->token)) p->token = token;
  return false;
}

/* JSON.stringify(v) as the reference's messages write values. */
static void json_text(struct buf *b, const struct jv *v)
{
  char num[40];
  switch (v->kind) {
  case JV_UNDEFINED: buf_adds(b, "undefined"); return;
  case JV_FUNCTION: buf_adds(b, "{}"); return;
  case JV_NULL: buf_adds(b, "null"); return;
  case JV_BOOL: buf_adds(b, v->u.b ? "true" : "false"); return;
  case JV_NUMBER:
    if (!isfinite(v->u.n)) { buf_adds(b, "null"); return; }
    jn_number_text(v->u.n, num);
    buf_adds(b, num);
    return;
  case JV_STRING: {
    json_t *s = json_stringn(v->u.s->text, v->u.s->len);
    char *t = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
    buf_adds(b, t ? t : "\"\"");
    free(t);
    json_decref(s);
    return;
  }
  case JV_ARRAY:
    buf_adds(b, "[");
    for (size_t i = 0; i < v->u.a->len; i++) {
      if (i) buf_adds(b, ",");
      const struct jv *m = &v->u.a->items[i];
      if (m->kind == JV_UNDEFINED || m->kind == JV_FUNCTION) buf_adds(b, "null");
      else json_text(b, m);
    }
    buf_adds(b, "]");
    return;
  case JV_OBJECT: {
    buf_adds(b, "{");
    bool first = true;
    for (size_t i = 0; i < force(v->u.o)->len; i++) {
      const struct jv *m = &force(v->u.o)->values[i];
      if (m->kind == JV_UNDEFINED || m->kind == JV_FUNCTION) continue;
      if (!first) buf_adds(b, ",");
      first = false;
      struct jv key = {JV_STRING, {.s = force(v->u.o)->keys[i]}};
      json_text(b, &key);
      buf_adds(b, ":");
      json_text(b, m);
    }
    buf_adds(b, "}");
    return;
  }
  }
}

/* Moves the pending error into E with its message filled from the table. */
static void finish_error(struct jn_ctx *x, struct jn_error *e)
{
  struct pending *p = &x->state->err;
  memset(e, 0, sizeof *e);
  snprintf(e->code, sizeof e->code, "%s", p->code);
  e->position = p->position;
  e->token = p->token ? xstrdup(p->token) : NULL;
  e->value = jv_to_json(&p->value);
  if (p->message) {
    e->message = p->message;
    p->message = NULL;
    return;
  }
  const char *t = error_template(p->code);
  if (!t) t = p->code;
  struct buf m = {0};
  for (const char *c = t; *c;) {
    if (!strncmp(c, "{{{", 3)) { /* raw: the token (functionName) or nothing else we keep */
      const char *end = strstr(c, "}}}");
      if (!end) break;
      if (!strncmp(c + 3, "token", 5) || !strncmp(c + 3, "functionName", 12)) buf_adds(&m, p->token ? p->token : "undefined");
      else buf_adds(&m, "undefined");
      c = end + 3;
    } else if (!strncmp(c, "{{", 2)) {
      const char *end = strstr(c, "}}");
      if (!end) break;
      size_t n = (size_t)(end - c - 2);
      const char *name = c + 2;
      if (n == 5 && !strncmp(name, "token", 5)) {
        struct jv tok = p->token ? jv_cstring(x, p->token) : jv_undefined();
        json_text(&m, &tok);
      } else if (n == 5 && !strncmp(name, "value", 5)) {
        json_text(&m, &p->value);
      } else if (n == 6 && !strncmp(name, "value2", 6)) {
        json_text(&m, &p->value2);
      } else if (n == 4 && !strncmp(name, "type", 4)) {
        buf_adds(&m, p->type ? p->type : "undefined");
      } else if (n == 5 && !strncmp(name, "index", 5)) {
        char num[16];
        snprintf(num, sizeof num, "%d", p->index);
        buf_adds(&m, num);
      } else {
        buf_adds(&m, "undefined");
      }
      c = end + 2;
    } else {
      buf_addc(&m, *c++);
    }
  }
  buf_addc(&m, 0);
  e->message = m.data;
}

/* ---------------------------------------------------------------- the prepared tree */

enum xtype {
  X_PATH, X_BINARY, X_APPLY, X_NEGATE, X_ARRAY, X_OBJECT, X_NAME, X_LITERAL, X_WILDCARD,
  X_DESCENDANT, X_PARENT, X_CONDITION, X_BLOCK, X_BIND, X_REGEX, X_FUNCTION, X_PARTIAL,
  X_VARIABLE, X_LAMBDA, X_TRANSFORM, X_SORT, X_PLACEHOLDER
};

static const char *const xtype_names[] = {
  "path", "binary", "apply", "unary", "unary", "unary", "name", "value", "wildcard",
  "descendant", "parent", "condition", "block", "bind", "regex", "function", "partial",
  "variable", "lambda", "transform", "sort", "operator",
};

/* What % refers to: the reference's slot {label, level, index}. Shared between the
   parent node and the nodes still looking for it, as the reference shares it. */
struct slot {
  int label, level, index;
};

/* A growable list of pointers in the expression's arena. */
struct list {
  void **v;
  int n, cap;
};

struct xn;
struct stage {
  bool is_index;         /* #$var: VAR gets the position; otherwise a filter */
  struct xn *expr;
  const char *var;
  size_t pos;
};

struct sort_term {
  struct xn *expr;
  bool descending;
};

struct xn {
  enum xtype type;
  size_t pos;
  const char *op;                 /* X_BINARY */
  const char *text;               /* names, variables, strings */
  size_t len;
  struct jv literal;              /* X_LITERAL */
  struct xn *lhs, *rhs, *third;   /* binary/apply/bind; condition; transform; negate (lhs) */
  struct list items;              /* path steps, array items, block expressions, call
                                     arguments, lambda parameters (X_VARIABLE) */
  struct list pairs;              /* object constructor: key, value, key, value ... */
  struct xn *procedure;           /* X_FUNCTION, X_PARTIAL */
  struct xn *body;                /* X_LAMBDA */
  const struct jn_sig *signature; /* X_LAMBDA, or NULL */
  bool thunk;                     /* X_LAMBDA made for a tail call */
  pcre2_code *regex;              /* X_REGEX */
  struct list *predicate;         /* of struct stage: filters on a value that is not a step */
  struct list *stages;            /* of struct stage: a step's filters and indexes */
  struct list *group;             /* pairs of a grouping {...} */
  size_t group_pos;
  struct list terms;              /* X_SORT: of struct sort_term */
  const char *focus;              /* @$var */
  const char *index;              /* #$var */
  bool tuple, keep_array, keep_singleton_array, consarray;
  struct slot *slot;              /* X_PARENT */
  struct slot *ancestor;          /* a step that a % names */
  struct list *seeking;           /* of struct slot: the % still looking for a step */
};

struct jn_expr {
  struct arena arena;
  struct jn_ast *tree;
  struct xn *root;
  struct list ancestry;           /* the X_PARENT nodes, by slot index */
  struct list regexes;            /* the compiled regular expressions, freed with it */
  int next_label;
  const char *text;
  size_t text_len;
  /* a compile error */
  const char *err_code;
  size_t err_pos;
  const char *err_token;
  char *err_message;
};

static void list_push(struct arena *a, struct list *l, void *p)
{
  if (l->n == l->cap) {
    int cap = l->cap ? 2 * l->cap : 4;
    void **v = arena_alloc(a, (size_t)cap * sizeof *v);
    if (l->n) memcpy(v, l->v, (size_t)l->n * sizeof *v);
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = p;
}

struct prep {
  struct jn_expr *e;
  bool failed;
};

static struct xn *prep_fail(struct prep *p, const char *code, size_t pos, const char *token)
{
  if (!p->failed) {
    p->failed = true;
    p->e->err_code = code;
    p->e->err_pos = pos;
    p->e->err_token = token;
  }
  return NULL;
}

static struct xn *new_xn(struct prep *p, enum xtype t, size_t pos)
{
  struct xn *n = NEW(&p->e->arena, struct xn);
  n->type = t;
  n->pos = pos;
  return n;
}

static struct slot *seek_parent(struct prep *p, struct xn *node, struct slot *slot)
{
  switch (node->type) {
  case X_NAME:
  case X_WILDCARD:
    slot->level--;
    if (slot->level == 0) {
      if (node->ancestor) {
        /* reuse the existing label */
        struct xn *parent = p->e->ancestry.v[slot->index];
        parent->slot->label = node->ancestor->label;
      }
      node->ancestor = slot;
      node->tuple = true;
    }
    break;
  case X_PARENT:
    slot->level++;
    break;
  case X_BLOCK:
    if (node->items.n > 0) {
      node->tuple = true;
      slot = seek_parent(p, node->items.v[node->items.n - 1], slot);
    }
    break;
  case X_PATH: {
    node->tuple = true;
    int index = node->items.n - 1;
    slot = seek_parent(p, node->items.v[index--], slot);
    while (slot && slot->level > 0 && index >= 0) slot = seek_parent(p, node->items.v[index--], slot);
    break;
  }
  default:
    prep_fail(p, "S0217", node->pos, xtype_names[node->type]);
    return NULL;
  }
  return slot;
}

/* pushAncestry: RESULT takes on the % that VALUE is still looking for (sharing
   VALUE's list, as the reference does). */
static void push_ancestry(struct prep *p, struct xn *result, struct xn *value)
{
  if (!value->seeking && value->type != X_PARENT) return;
  struct list *slots = value->seeking ? value->seeking : NEW(&p->e->arena, struct list);
  if (value->type == X_PARENT) list_push(&p->e->arena, slots, value->slot);
  if (!result->seeking) {
    result->seeking = slots;
  } else {
    for (int i = 0; i < slots->n; i++) list_push(&p->e->arena, result->seeking, slots->v[i]);
  }
}

static void resolve_ancestry(struct prep *p, struct xn *path)
{
  int index = path->items.n - 1;
  struct xn *last = path->items.v[index];
  struct list *slots = last->seeking ? last->seeking : NEW(&p->e->arena, struct list);
  if (last->type == X_PARENT) list_push(&p->e->arena, slots, last->slot);
  for (int is = 0; is < slots->n; is++) {
    struct slot *slot = slots->v[is];
    index = path->items.n - 2;
    while (slot && slot->level > 0) {
      if (index < 0) {
        if (!path->seeking) path->seeking = NEW(&p->e->arena, struct list);
        list_push(&p->e->arena, path->seeking, slot);
        break;
      }
      struct xn *step = path->items.v[index--];
      /* contiguous steps that bind the focus count as one */
      while (index >= 0 && step->focus && ((struct xn *)path->items.v[index])->focus) step = path->items.v[index--];
      slot = seek_parent(p, step, slot);
    }
  }
}

static struct xn *tail_call_optimize(struct prep *p, struct xn *e)
{
  if (e->type == X_FUNCTION && !e->predicate) {
    struct xn *thunk = new_xn(p, X_LAMBDA, e->pos);
    thunk->thunk = true;
    thunk->body = e;
    return thunk;
  }
  if (e->type == X_CONDITION) {
    e->rhs = tail_call_optimize(p, e->rhs);
    if (e->third) e->third = tail_call_optimize(p, e->third);
  } else if (e->type == X_BLOCK && e->items.n > 0) {
    e->items.v[e->items.n - 1] = tail_call_optimize(p, e->items.v[e->items.n - 1]);
  }
  return e;
}

static struct stage *new_stage(struct prep *p, bool is_index, struct xn *expr, const char *var, size_t pos)
{
  struct stage *s = NEW(&p->e->arena, struct stage);
  s->is_index = is_index;
  s->expr = expr;
  s->var = var;
  s->pos = pos;
  return s;
}

static struct jv literal_string(struct prep *p, const char *s, size_t len)
{
  struct jv_str *str = arena_alloc(&p->e->arena, sizeof *str + len + 1);
  str->len = len;
  memcpy(str->text, s, len);
  struct jv v = {JV_STRING, {.s = str}};
  return v;
}

static const char *ast_text(struct prep *p, const struct jn_ast *a)
{
  return arena_strndup(&p->e->arena, a->text ? a->text : "", a->len);
}

static struct xn *process(struct prep *p, const struct jn_ast *a);

/* a.b: one path of the steps of both sides. */
static struct xn *process_dot(struct prep *p, const struct jn_ast *a)
{
  struct xn *lstep = process(p, a->lhs);
  if (!lstep) return NULL;
  struct xn *result = lstep;
  if (lstep->type != X_PATH) {
    result = new_xn(p, X_PATH, a->pos);
    list_push(&p->e->arena, &result->items, lstep);
  }
  if (lstep->type == X_PARENT) {
    result->seeking = NEW(&p->e->arena, struct list);
    list_push(&p->e->arena, result->seeking, lstep->slot);
  }
  struct xn *rest = process(p, a->rhs);
  if (!rest) return NULL;
  if (rest->type == X_PATH) {
    for (int i = 0; i < rest->items.n; i++) list_push(&p->e->arena, &result->items, rest->items.v[i]);
  } else {
    if (rest->predicate) {
      rest->stages = rest->predicate;
      rest->predicate = NULL;
    }
    list_push(&p->e->arena, &result->items, rest);
  }
  for (int i = 0; i < result->items.n; i++) {
    struct xn *step = result->items.v[i];
    if (step->type == X_LITERAL && step->literal.kind != JV_STRING)
      return prep_fail(p, "S0213", step->pos, NULL);
    if (step->type == X_LITERAL) { /* a string as a step is a name */
      step->type = X_NAME;
      step->text = step->literal.u.s->text;
      step->len = step->literal.u.s->len;
    }
    if (step->keep_array) result->keep_singleton_array = true;
  }
  struct xn *first = result->items.v[0], *last = result->items.v[result->items.n - 1];
  if (first->type == X_ARRAY) first->consarray = true;
  if (last->type == X_ARRAY) last->consarray = true;
  resolve_ancestry(p, result);
  return p->failed ? NULL : result;
}

static struct xn *process_predicate(struct prep *p, const struct jn_ast *a)
{
  struct xn *result = process(p, a->lhs);
  if (!result) return NULL;
  struct xn *step = result;
  bool stages = false;
  if (result->type == X_PATH) {
    step = result->items.v[result->items.n - 1];
    stages = true;
  }
  if (step->group) return prep_fail(p, "S0209", a->pos, NULL);
  struct list **where = stages ? &step->stages : &step->predicate;
  if (!*where) *where = NEW(&p->e->arena, struct list);
  struct xn *predicate = process(p, a->rhs);
  if (!predicate) return NULL;
  if (predicate->seeking) {
    for (int i = 0; i < predicate->seeking->n; i++) {
      struct slot *slot = predicate->seeking->v[i];
      if (slot->level == 1) {
        if (!seek_parent(p, step, slot)) return NULL;
      } else {
        slot->level--;
      }
    }
    push_ancestry(p, step, predicate);
  }
  list_push(&p->e->arena, *where, new_stage(p, false, predicate, NULL, a->pos));
  return result;
}

static bool process_pairs(struct prep *p, const struct jn_ast *first, struct list *pairs, struct xn *ancestry_of)
{
  for (const struct jn_ast *k = first; k; k = k->next ? k->next->next : NULL) {
    struct xn *key = process(p, k), *value = k->next ? process(p, k->next) : NULL;
    if (!key || !value) return false;
    if (ancestry_of) {
      push_ancestry(p, ancestry_of, key);
      push_ancestry(p, ancestry_of, value);
    }
    list_push(&p->e->arena, pairs, key);
    list_push(&p->e->arena, pairs, value);
  }
  return true;
}

static struct xn *process(struct prep *p, const struct jn_ast *a)
{
  struct xn *r = NULL;
  switch (a->kind) {
  case JA_END: return prep_fail(p, "S0207", a->pos, NULL);
  case JA_NUMBER:
    r = new_xn(p, X_LITERAL, a->pos);
    r->literal = jv_number(a->number);
    break;
  case JA_STRING:
    r = new_xn(p, X_LITERAL, a->pos);
    r->literal = literal_string(p, a->text, a->len);
    break;
  case JA_TRUE: case JA_FALSE: case JA_NULL:
    r = new_xn(p, X_LITERAL, a->pos);
    r->literal = a->kind == JA_NULL ? jv_null() : jv_bool(a->kind == JA_TRUE);
    break;
  case JA_NAME: {
    struct xn *name = new_xn(p, X_NAME, a->pos);
    name->text = ast_text(p, a);
    name->len = a->len;
    name->keep_array = a->keep_array;
    r = new_xn(p, X_PATH, a->pos);
    list_push(&p->e->arena, &r->items, name);
    if (a->keep_array) r->keep_singleton_array = true;
    break;
  }
  case JA_VARIABLE:
    r = new_xn(p, X_VARIABLE, a->pos);
    r->text = ast_text(p, a);
    r->len = a->len;
    break;
  case JA_REGEX: {
    r = new_xn(p, X_REGEX, a->pos);
    char *why = NULL;
    r->regex = jn_regex_compile(a->text, a->len, a->extra ? a->extra : "", &why);
    if (!r->regex) {
      prep_fail(p, "S0302", a->pos, NULL);
      p->e->err_message = xstrdup(why ? why : "invalid regular expression");
      free(why);
      return NULL;
    }
    list_push(&p->e->arena, &p->e->regexes, r->regex);
    r->text = ast_text(p, a);
    r->len = a->len;
    break;
  }
  case JA_WILDCARD: r = new_xn(p, X_WILDCARD, a->pos); break;
  case JA_DESCENDANT: r = new_xn(p, X_DESCENDANT, a->pos); break;
  case JA_PARENT:
    r = new_xn(p, X_PARENT, a->pos);
    r->slot = NEW(&p->e->arena, struct slot);
    r->slot->label = p->e->next_label++;
    r->slot->level = 1;
    r->slot->index = p->e->ancestry.n;
    list_push(&p->e->arena, &p->e->ancestry, r);
    break;
  case JA_PLACEHOLDER: r = new_xn(p, X_PLACEHOLDER, a->pos); break;
  case JA_BINARY:
    if (!strcmp(a->op, ".")) {
      r = process_dot(p, a);
    } else {
      r = new_xn(p, !strcmp(a->op, "~>") ? X_APPLY : X_BINARY, a->pos);
      r->op = a->op;
      if (!(r->lhs = process(p, a->lhs)) || !(r->rhs = process(p, a->rhs))) return NULL;
      if (r->type == X_APPLY) {
        r->keep_array = r->lhs->keep_array || r->rhs->keep_array;
      } else {
        push_ancestry(p, r, r->lhs);
        push_ancestry(p, r, r->rhs);
      }
    }
    break;
  case JA_PREDICATE: r = process_predicate(p, a); break;
  case JA_GROUP:
    if (!(r = process(p, a->lhs))) return NULL;
    if (r->group) return prep_fail(p, "S0210", a->pos, NULL);
    r->group = NEW(&p->e->arena, struct list);
    r->group_pos = a->pos;
    if (!process_pairs(p, a->items, r->group, NULL)) return NULL;
    break;
  case JA_SORT: {
    if (!(r = process(p, a->lhs))) return NULL;
    if (r->type != X_PATH) {
      struct xn *path = new_xn(p, X_PATH, a->pos);
      list_push(&p->e->arena, &path->items, r);
      r = path;
    }
    struct xn *sort = new_xn(p, X_SORT, a->pos);
    for (const struct jn_ast *t = a->items; t; t = t->next) {
      struct sort_term *term = NEW(&p->e->arena, struct sort_term);
      if (!(term->expr = process(p, t->lhs))) return NULL;
      term->descending = t->descending;
      push_ancestry(p, sort, term->expr);
      list_push(&p->e->arena, &sort->terms, term);
    }
    list_push(&p->e->arena, &r->items, sort);
    resolve_ancestry(p, r);
    break;
  }
  case JA_BIND:
    r = new_xn(p, X_BIND, a->pos);
    if (!(r->lhs = process(p, a->lhs)) || !(r->rhs = process(p, a->rhs))) return NULL;
    push_ancestry(p, r, r->rhs);
    break;
  case JA_FOCUS: {
    if (!(r = process(p, a->lhs))) return NULL;
    struct xn *step = r->type == X_PATH ? r->items.v[r->items.n - 1] : r;
    if (step->stages || step->predicate) return prep_fail(p, "S0215", a->pos, NULL);
    if (step->type == X_SORT) return prep_fail(p, "S0216", a->pos, NULL);
    if (a->keep_array) step->keep_array = true;
    step->focus = ast_text(p, a);
    step->tuple = true;
    break;
  }
  case JA_INDEX: {
    if (!(r = process(p, a->lhs))) return NULL;
    struct xn *step = r;
    if (r->type == X_PATH) {
      step = r->items.v[r->items.n - 1];
    } else {
      r = new_xn(p, X_PATH, a->pos);
      list_push(&p->e->arena, &r->items, step);
      if (step->predicate) {
        step->stages = step->predicate;
        step->predicate = NULL;
      }
    }
    if (!step->stages) step->index = ast_text(p, a);
    else list_push(&p->e->arena, step->stages, new_stage(p, true, NULL, ast_text(p, a), a->pos));
    step->tuple = true;
    break;
  }
  case JA_NEGATE:
    r = new_xn(p, X_NEGATE, a->pos);
    if (!(r->lhs = process(p, a->lhs))) return NULL;
    if (r->lhs->type == X_LITERAL && r->lhs->literal.kind == JV_NUMBER) {
      r = r->lhs;
      r->literal.u.n = -r->literal.u.n;
    } else {
      push_ancestry(p, r, r->lhs);
    }
    break;
  case JA_ARRAY:
    r = new_xn(p, X_ARRAY, a->pos);
    for (const struct jn_ast *i = a->items; i; i = i->next) {
      struct xn *item = process(p, i);
      if (!item) return NULL;
      push_ancestry(p, r, item);
      list_push(&p->e->arena, &r->items, item);
    }
    break;
  case JA_OBJECT:
    r = new_xn(p, X_OBJECT, a->pos);
    if (!process_pairs(p, a->items, &r->pairs, r)) return NULL;
    break;
  case JA_BLOCK:
    r = new_xn(p, X_BLOCK, a->pos);
    for (const struct jn_ast *i = a->items; i; i = i->next) {
      struct xn *part = process(p, i);
      if (!part) return NULL;
      push_ancestry(p, r, part);
      if (part->consarray || (part->type == X_PATH && ((struct xn *)part->items.v[0])->consarray)) r->consarray = true;
      list_push(&p->e->arena, &r->items, part);
    }
    break;
  case JA_CONDITION:
    r = new_xn(p, X_CONDITION, a->pos);
    if (!(r->lhs = process(p, a->lhs))) return NULL;
    push_ancestry(p, r, r->lhs);
    if (!(r->rhs = process(p, a->rhs))) return NULL;
    push_ancestry(p, r, r->rhs);
    if (a->third) {
      if (!(r->third = process(p, a->third))) return NULL;
      push_ancestry(p, r, r->third);
    }
    break;
  case JA_CALL:
  case JA_PARTIAL:
    r = new_xn(p, a->kind == JA_CALL ? X_FUNCTION : X_PARTIAL, a->pos);
    for (const struct jn_ast *i = a->items; i; i = i->next) {
      struct xn *arg = process(p, i);
      if (!arg) return NULL;
      push_ancestry(p, r, arg);
      list_push(&p->e->arena, &r->items, arg);
    }
    if (!(r->procedure = process(p, a->lhs))) return NULL;
    break;
  case JA_LAMBDA: {
    r = new_xn(p, X_LAMBDA, a->pos);
    for (const struct jn_ast *i = a->items; i; i = i->next) {
      struct xn *param = new_xn(p, X_VARIABLE, i->pos);
      param->text = ast_text(p, i);
      param->len = i->len;
      list_push(&p->e->arena, &r->items, param);
    }
    if (a->extra) {
      const char *why = NULL;
      r->signature = jn_sig_parse(&p->e->arena, a->extra, strlen(a->extra), &why);
      if (!r->signature) return prep_fail(p, why && !strncmp(why, "S0", 2) ? arena_strndup(&p->e->arena, why, 5) : "S0401", a->pos, NULL);
    }
    struct xn *body = process(p, a->rhs);
    if (!body) return NULL;
    r->body = tail_call_optimize(p, body);
    break;
  }
  case JA_TRANSFORM:
    r = new_xn(p, X_TRANSFORM, a->pos);
    r->signature = jn_sig_parse(&p->e->arena, "<(oa):o>", 8, &(const char *){NULL}); /* its function's */
    if (!(r->lhs = process(p, a->lhs)) || !(r->rhs = process(p, a->rhs))) return NULL;
    if (a->third && !(r->third = process(p, a->third))) return NULL;
    break;
  case JA_SORT_TERM:
    return prep_fail(p, "S0206", a->pos, NULL);
  }
  if (!r || p->failed) return NULL;
  if (a->keep_array) r->keep_array = true;
  return r;
}

/* ---------------------------------------------------------------- frames and functions */

struct binding {
  const char *name;
  size_t len;
  struct jv value;
  struct binding *next;
};

struct frame {
  struct binding *vars;
  struct frame *parent;
};

static struct frame *new_frame(struct jn_ctx *x, struct frame *parent)
{
  struct frame *f = NEW(&x->arena, struct frame);
  f->parent = parent;
  return f;
}

static void bind(struct jn_ctx *x, struct frame *f, const char *name, size_t len, struct jv v)
{
  for (struct binding *b = f->vars; b; b = b->next)
    if (b->len == len && !memcmp(b->name, name, len)) {
      b->value = v;
      return;
    }
  struct binding *b = NEW(&x->arena, struct binding);
  b->name = name;
  b->len = len;
  b->value = v;
  b->next = f->vars;
  f->vars = b;
}

enum jf_kind { JF_LAMBDA, JF_NATIVE, JF_PARTIAL, JF_REGEX, JF_REGEX_NEXT, JF_TRANSFORM, JF_CHAIN };

struct jv_fn {
  enum jf_kind kind;
  /* JF_LAMBDA */
  const struct list *params;      /* of X_VARIABLE */
  const struct xn *body;
  const struct jn_sig *signature;
  bool thunk;
  struct jv input;                /* the context it was made in */
  struct frame *env;              /* and its scope (also JF_TRANSFORM's) */
  /* JF_NATIVE */
  const struct jn_builtin *native;
  /* JF_PARTIAL: TARGET with ARGS, the holes filled by the call; JF_CHAIN: TARGET then G */
  struct jv target, g;
  struct jv *args;
  bool *hole;
  int nargs;
  /* JF_REGEX, JF_REGEX_NEXT, JF_TRANSFORM */
  const struct xn *node;
  const struct jv_str *str;
  size_t from;
};

static struct jv fn_value(struct jn_ctx *x, enum jf_kind kind, struct jv_fn **f)
{
  *f = NEW(&x->arena, struct jv_fn);
  (*f)->kind = kind;
  struct jv v = {JV_FUNCTION, {.f = *f}};
  return v;
}

static struct jv native_value(struct jn_ctx *x, const struct jn_builtin *b)
{
  struct jv_fn *f;
  struct jv v = fn_value(x, JF_NATIVE, &f);
  f->native = b;
  return v;
}

/* A variable's value: the innermost binding, else a built-in, else undefined. */
static struct jv lookup(struct jn_ctx *x, const struct frame *f, const char *name, size_t len)
{
  for (; f; f = f->parent)
    for (const struct binding *b = f->vars; b; b = b->next)
      if (b->len == len && !memcmp(b->name, name, len)) return b->value;
  const struct jn_builtin *b = jn_builtin_find(name, len);
  return b ? native_value(x, b) : jv_undefined();
}

static bool is_bound(struct jn_ctx *x, const struct frame *f, const char *name, size_t len)
{
  return lookup(x, f, name, len).kind != JV_UNDEFINED;
}

static int native_arity(const struct jn_builtin *b) { return b->params; }

/* In the reference a lambda, a built-in, a partial application and a transform are
   objects, so true; a regular expression is a JavaScript function, so false. */
bool jn_function_is_object(const struct jv *fn)
{
  return fn->u.f->kind != JF_REGEX && fn->u.f->kind != JF_REGEX_NEXT;
}

int jx_arity(const struct jv *fn)
{
  if (fn->kind != JV_FUNCTION) return 0;
  const struct jv_fn *f = fn->u.f;
  switch (f->kind) {
  case JF_LAMBDA: return f->params ? f->params->n : 0;
  case JF_NATIVE: return native_arity(f->native);
  case JF_PARTIAL: {
    int n = 0;
    for (int i = 0; i < f->nargs; i++) n += f->hole[i];
    return n;
  }
  case JF_REGEX: return 2;
  case JF_REGEX_NEXT: return 0;
  case JF_TRANSFORM: return 1;
  case JF_CHAIN: return 1;
  }
  return 0;
}

const pcre2_code *jx_regex(const struct jv *fn)
{
  return fn->kind == JV_FUNCTION && fn->u.f->kind == JF_REGEX ? fn->u.f->node->regex : NULL;
}

/* ---------------------------------------------------------------- evaluation */

static bool evaluate(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env, struct jv *out);
static bool apply(struct jn_ctx *x, const struct jv *proc, struct jv *args, int argc, const struct jv *input,
                  const char *token, struct jv *out);
static bool eval_function(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env,
                          const struct jv *applyto, struct jv *out);
static bool eval_group(struct jn_ctx *x, const struct list *pairs, size_t pos, const struct jv *input,
                       struct frame *env, struct jv *out);

static bool is_numeric(struct jn_ctx *x, const struct jv *v, bool *ok)
{
  *ok = true;
  if (v->kind != JV_NUMBER || isnan(v->u.n)) return false;
  if (!isfinite(v->u.n)) *ok = jx_throw(x, "D1001", NULL, v, NULL, 0);
  return true;
}

static bool is_array_of_numbers(struct jn_ctx *x, const struct jv *v, bool *ok)
{
  *ok = true;
  if (v->kind != JV_ARRAY) return false;
  for (size_t i = 0; i < v->u.a->len; i++)
    if (!is_numeric(x, &v->u.a->items[i], ok)) return false;
  return true;
}

static bool is_array_of_strings(const struct jv *v)
{
  if (v->kind != JV_ARRAY) return false;
  for (size_t i = 0; i < v->u.a->len; i++)
    if (v->u.a->items[i].kind != JV_STRING) return false;
  return true;
}

static struct frame *frame_from_tuple(struct jn_ctx *x, struct frame *env, const struct jv *tuple)
{
  struct frame *f = new_frame(x, env);
  if (tuple->kind != JV_OBJECT) return f; /* the undefined item of an empty group */
  const struct jv_obj *o = force(tuple->u.o);
  for (size_t i = 0; i < o->len; i++) bind(x, f, o->keys[i]->text, o->keys[i]->len, o->values[i]);
  return f;
}

static struct jv tuple_at(const struct jv *tuple)
{
  if (tuple->kind != JV_OBJECT) return jv_undefined();
  const struct jv *v = jv_obj_get(tuple->u.o, "@", 1);
  return v ? *v : jv_undefined();
}

static const char *slot_key(struct jn_ctx *x, const struct slot *s)
{
  return arena_printf(&x->arena, "!%d", s->label);
}

static bool eval_filter(struct jn_ctx *x, const struct xn *predicate, const struct jv *in, struct frame *env,
                        struct jv *out)
{
  bool tuples = in->kind == JV_ARRAY && (in->u.a->flags & JVF_TUPLE_STREAM);
  struct jv results = jv_array(x, 4, JVF_SEQUENCE | (tuples ? JVF_TUPLE_STREAM : 0));
  struct jv input = in->kind == JV_ARRAY ? *in : sequence_of(x, *in);
  size_t n = input.u.a->len;
  if (predicate->type == X_LITERAL && predicate->literal.kind == JV_NUMBER) {
    double index = floor(predicate->literal.u.n);
    if (index < 0) index += (double)n;
    if (index >= 0 && index < (double)n) {
      struct jv item = input.u.a->items[(size_t)index];
      if (item.kind == JV_ARRAY) results = item;
      else if (item.kind != JV_UNDEFINED) jv_push(x, &results, item);
    }
    *out = results;
    return true;
  }
  for (size_t index = 0; index < n; index++) {
    struct jv item = input.u.a->items[index], context = item, res;
    struct frame *f = env;
    if (tuples) {
      context = tuple_at(&item);
      f = frame_from_tuple(x, env, &item);
    }
    if (!evaluate(x, predicate, &context, f, &res)) return false;
    bool ok;
    if (is_numeric(x, &res, &ok)) res = sequence_of(x, res);
    if (!ok) return false;
    if (is_array_of_numbers(x, &res, &ok)) {
      for (size_t k = 0; k < res.u.a->len; k++) {
        double ii = floor(res.u.a->items[k].u.n);
        if (ii < 0) ii += (double)n;
        if (ii == (double)index) jv_push(x, &results, item);
      }
    } else if (ok && jn_truthy(&res)) {
      jv_push(x, &results, item);
    }
    if (!ok) return false;
  }
  *out = results;
  return true;
}

static bool eval_stages(struct jn_ctx *x, const struct list *stages, struct jv *result, struct frame *env)
{
  for (int s = 0; s < stages->n; s++) {
    const struct stage *st = stages->v[s];
    if (!st->is_index) {
      if (!eval_filter(x, st->expr, result, env, result)) return false;
    } else if (result->kind == JV_ARRAY) {
      for (size_t i = 0; i < result->u.a->len; i++)
        if (result->u.a->items[i].kind == JV_OBJECT)
          jv_obj_set(x, result->u.a->items[i].u.o, st->var, strlen(st->var), jv_number((double)i));
    }
  }
  return true;
}

/* The order-by clause: a stable merge sort on the terms. */
struct sort_ctx {
  const struct xn *e;
  struct frame *env;
  bool tuples;
};

static int sort_after(struct jn_ctx *x, const struct jv *a, const struct jv *b, void *p)
{
  const struct sort_ctx *c = p;
  int comp = 0;
  for (int t = 0; comp == 0 && t < c->e->terms.n; t++) {
    const struct sort_term *term = c->e->terms.v[t];
    struct jv ctx_a = *a, ctx_b = *b, aa, bb;
    struct frame *env_a = c->env, *env_b = c->env;
    if (c->tuples) {
      ctx_a = tuple_at(a);
      env_a = frame_from_tuple(x, c->env, a);
      ctx_b = tuple_at(b);
      env_b = frame_from_tuple(x, c->env, b);
    }
    if (!evaluate(x, term->expr, &ctx_a, env_a, &aa) || !evaluate(x, term->expr, &ctx_b, env_b, &bb)) return -1;
    if (aa.kind == JV_UNDEFINED) {
      comp = bb.kind == JV_UNDEFINED ? 0 : 1;
      continue;
    }
    if (bb.kind == JV_UNDEFINED) {
      comp = -1;
      continue;
    }
    bool a_ok = aa.kind == JV_STRING || aa.kind == JV_NUMBER, b_ok = bb.kind == JV_STRING || bb.kind == JV_NUMBER;
    if (!a_ok || !b_ok) {
      jx_throw(x, "T2008", NULL, !a_ok ? &aa : &bb, NULL, 0);
      annotate(x, c->e->pos, NULL, true);
      return -1;
    }
    if (aa.kind != bb.kind) {
      jx_throw(x, "T2007", NULL, &aa, &bb, 0);
      annotate(x, c->e->pos, NULL, true);
      return -1;
    }
    int cmp;
    if (aa.kind == JV_NUMBER) cmp = aa.u.n < bb.u.n ? -1 : aa.u.n > bb.u.n ? 1 : 0;
    else cmp = jn_string_compare(aa.u.s, bb.u.s);
    if (cmp == 0) continue;
    comp = term->descending ? -cmp : cmp;
  }
  return comp == 1;
}

static bool eval_sort(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env, struct jv *out)
{
  if (input->kind != JV_ARRAY || input->u.a->len <= 1) {
    *out = *input;
    return true;
  }
  struct sort_ctx c = {e, env, (input->u.a->flags & JVF_TUPLE_STREAM) != 0};
  struct jv sorted = jv_array(x, input->u.a->len, 0);
  memcpy(sorted.u.a->items, input->u.a->items, input->u.a->len * sizeof *sorted.u.a->items);
  sorted.u.a->len = input->u.a->len;
  if (!jn_merge_sort(x, sorted.u.a->items, sorted.u.a->len, sort_after, &c)) return false;
  *out = sorted;
  return true;
}

static bool eval_step(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env,
                      bool last_step, struct jv *out)
{
  if (e->type == X_SORT) {
    if (!eval_sort(x, e, input, env, out)) return false;
    return !e->stages || eval_stages(x, e->stages, out, env);
  }
  struct jv result = jv_array(x, input->u.a->len, JVF_SEQUENCE);
  for (size_t i = 0; i < input->u.a->len; i++) {
    struct jv res;
    if (!evaluate(x, e, &input->u.a->items[i], env, &res)) return false;
    if (e->stages)
      for (int s = 0; s < e->stages->n; s++) {
        const struct stage *st = e->stages->v[s];
        if (!st->is_index && !eval_filter(x, st->expr, &res, env, &res)) return false;
      }
    if (res.kind != JV_UNDEFINED) jv_push(x, &result, res);
  }
  if (last_step && result.u.a->len == 1 && result.u.a->items[0].kind == JV_ARRAY && !is_sequence(&result.u.a->items[0])) {
    *out = result.u.a->items[0];
    return true;
  }
  struct jv seq = jv_array(x, result.u.a->len, JVF_SEQUENCE);
  for (size_t i = 0; i < result.u.a->len; i++) {
    const struct jv *res = &result.u.a->items[i];
    if (res->kind != JV_ARRAY || (res->u.a->flags & JVF_CONS)) jv_push(x, &seq, *res);
    else for (size_t k = 0; k < res->u.a->len; k++) jv_push(x, &seq, res->u.a->items[k]);
  }
  *out = seq;
  return true;
}

static struct jv copy_tuple(struct jn_ctx *x, const struct jv *t)
{
  struct jv c = jv_object(x);
  for (size_t i = 0; i < force(t->u.o)->len; i++) jv_obj_set(x, c.u.o, force(t->u.o)->keys[i]->text, force(t->u.o)->keys[i]->len, force(t->u.o)->values[i]);
  return c;
}

static bool eval_tuple_step(struct jn_ctx *x, const struct xn *e, const struct jv *input, const struct jv *bindings,
                            struct frame *env, struct jv *out)
{
  struct jv result;
  if (e->type == X_SORT) {
    if (bindings->kind != JV_UNDEFINED) {
      if (!eval_sort(x, e, bindings, env, &result)) return false;
      /* the sort keeps a tuple stream a tuple stream */
      if (result.kind == JV_ARRAY) result.u.a->flags |= JVF_TUPLE_STREAM | JVF_SEQUENCE;
    } else {
      struct jv sorted;
      if (!eval_sort(x, e, input, env, &sorted)) return false;
      result = jv_array(x, 4, JVF_SEQUENCE | JVF_TUPLE_STREAM);
      struct jv items = jv_as_array(x, &sorted);
      for (size_t i = 0; i < items.u.a->len; i++) {
        struct jv tuple = jv_object(x);
        jv_obj_set(x, tuple.u.o, "@", 1, items.u.a->items[i]);
        if (e->index) jv_obj_set(x, tuple.u.o, e->index, strlen(e->index), jv_number((double)i));
        jv_push(x, &result, tuple);
      }
    }
    if (e->stages && !eval_stages(x, e->stages, &result, env)) return false;
    *out = result;
    return true;
  }
  result = jv_array(x, 4, JVF_SEQUENCE | JVF_TUPLE_STREAM);
  struct jv tuples = *bindings;
  if (tuples.kind == JV_UNDEFINED) {
    tuples = jv_array(x, input->u.a->len, 0);
    for (size_t i = 0; i < input->u.a->len; i++) {
      struct jv t = jv_object(x);
      jv_obj_set(x, t.u.o, "@", 1, input->u.a->items[i]);
      jv_push(x, &tuples, t);
    }
  }
  for (size_t ee = 0; ee < tuples.u.a->len; ee++) {
    const struct jv *tb = &tuples.u.a->items[ee];
    struct frame *step_env = frame_from_tuple(x, env, tb);
    struct jv at = tuple_at(tb), res;
    if (!evaluate(x, e, &at, step_env, &res)) return false;
    if (res.kind == JV_UNDEFINED) continue;
    bool res_tuples = res.kind == JV_ARRAY && (res.u.a->flags & JVF_TUPLE_STREAM);
    struct jv list = res.kind == JV_ARRAY ? res : sequence_of(x, res);
    for (size_t bb = 0; bb < list.u.a->len; bb++) {
      struct jv tuple = copy_tuple(x, tb);
      const struct jv *item = &list.u.a->items[bb];
      if (res_tuples) {
        for (size_t k = 0; k < force(item->u.o)->len; k++)
          jv_obj_set(x, tuple.u.o, force(item->u.o)->keys[k]->text, force(item->u.o)->keys[k]->len, force(item->u.o)->values[k]);
      } else {
        if (e->focus) {
          jv_obj_set(x, tuple.u.o, e->focus, strlen(e->focus), *item);
          jv_obj_set(x, tuple.u.o, "@", 1, at);
        } else {
          jv_obj_set(x, tuple.u.o, "@", 1, *item);
        }
        if (e->index) jv_obj_set(x, tuple.u.o, e->index, strlen(e->index), jv_number((double)bb));
        if (e->ancestor) {
          const char *label = slot_key(x, e->ancestor);
          jv_obj_set(x, tuple.u.o, label, strlen(label), at);
        }
      }
      jv_push(x, &result, tuple);
    }
  }
  if (e->stages && !eval_stages(x, e->stages, &result, env)) return false;
  *out = result;
  return true;
}

/* Only a first step that constructs an array gives a value that is not an array (its
   predicate picked one item). The reference's next step then loops over V's `length`:
   a string's characters, and nothing of any other value. */
static struct jv step_items(struct jn_ctx *x, const struct jv *v)
{
  struct jv items = jv_array(x, 1, JVF_SEQUENCE);
  if (v->kind != JV_STRING) return items;
  for (size_t i = 0; i < v->u.s->len;) {
    size_t n = utf8_decode((const unsigned char *)v->u.s->text + i, v->u.s->len - i, NULL);
    if (!n) n = 1;
    jv_push(x, &items, jv_string(x, v->u.s->text + i, n));
    i += n;
  }
  return items;
}

static bool eval_path(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env, struct jv *out)
{
  struct jv seq;
  const struct xn *first = e->items.v[0];
  if (input->kind == JV_ARRAY && first->type != X_VARIABLE) seq = *input;
  else seq = sequence_of(x, *input);
  struct jv result = jv_undefined(), tuples = jv_undefined();
  bool tuple_stream = false;
  for (int i = 0; i < e->items.n; i++) {
    const struct xn *step = e->items.v[i];
    if (step->tuple) tuple_stream = true;
    if (i == 0 && step->consarray) {
      if (!evaluate(x, step, &seq, env, &result)) return false;
    } else if (tuple_stream) {
      if (!eval_tuple_step(x, step, &seq, &tuples, env, &tuples)) return false;
    } else {
      if (!eval_step(x, step, &seq, env, i == e->items.n - 1, &result)) return false;
    }
    if (!tuple_stream && (result.kind == JV_UNDEFINED || (result.kind == JV_ARRAY && result.u.a->len == 0))) break;
    if (!step->focus) seq = result.kind == JV_ARRAY ? result : step_items(x, &result);
  }
  if (tuple_stream) {
    if (e->tuple) {
      result = tuples;
    } else {
      result = jv_array(x, tuples.kind == JV_ARRAY ? tuples.u.a->len : 0, JVF_SEQUENCE);
      if (tuples.kind == JV_ARRAY)
        for (size_t i = 0; i < tuples.u.a->len; i++) jv_push(x, &result, tuple_at(&tuples.u.a->items[i]));
    }
  }
  if (e->keep_singleton_array) {
    if (result.kind == JV_ARRAY && (result.u.a->flags & JVF_CONS) && !is_sequence(&result)) result = sequence_of(x, result);
    if (result.kind == JV_ARRAY) {
      /* a copy, so that the flag does not stick to a value shared with the input */
      struct jv kept = jv_array(x, result.u.a->len, result.u.a->flags | JVF_KEEP_SINGLETON);
      for (size_t i = 0; i < result.u.a->len; i++) jv_push(x, &kept, result.u.a->items[i]);
      result = kept;
    }
  }
  if (e->group) return eval_group(x, e->group, e->group_pos, tuple_stream ? &tuples : &result, env, out);
  *out = result;
  return true;
}

/* JavaScript's < on strings: by UTF-16 code units, which orders a character past
   U+FFFF (a surrogate pair) before U+E000..U+FFFF, unlike UTF-8's bytes. */
int jn_string_compare(const struct jv_str *a, const struct jv_str *b)
{
  size_t i = 0, j = 0;
  while (i < a->len && j < b->len) {
    uint32_t ca = 0, cb = 0;
    size_t na = utf8_decode((const unsigned char *)a->text + i, a->len - i, &ca);
    size_t nb = utf8_decode((const unsigned char *)b->text + j, b->len - j, &cb);
    if (!na) { na = 1; ca = (unsigned char)a->text[i]; }
    if (!nb) { nb = 1; cb = (unsigned char)b->text[j]; }
    if (ca != cb) {
      uint32_t ua = ca >= 0x10000 ? 0xD800 + ((ca - 0x10000) >> 10) : ca;
      uint32_t ub = cb >= 0x10000 ? 0xD800 + ((cb - 0x10000) >> 10) : cb;
      if (ua == ub) { /* the same lead surrogate: the trail decides */
        ua = 0xDC00 + ((ca - 0x10000) & 0x3FF);
        ub = 0xDC00 + ((cb - 0x10000) & 0x3FF);
      }
      return ua < ub ? -1 : 1;
    }
    i += na;
    j += nb;
  }
  return i < a->len ? 1 : j < b->len ? -1 : 0;
}

static struct jv lookup_field(struct jn_ctx *x, const struct jv *input, const char *key, size_t len)
{
  if (input->kind == JV_ARRAY) {
    struct jv result = jv_array(x, input->u.a->len, JVF_SEQUENCE);
    for (size_t i = 0; i < input->u.a->len; i++) {
      struct jv res = lookup_field(x, &input->u.a->items[i], key, len);
      if (res.kind == JV_ARRAY) for (size_t k = 0; k < res.u.a->len; k++) jv_push(x, &result, res.u.a->items[k]);
      else if (res.kind != JV_UNDEFINED) jv_push(x, &result, res);
    }
    return result;
  }
  if (input->kind == JV_OBJECT) {
    const struct jv *v = jv_obj_get(input->u.o, key, len);
    return v ? *v : jv_undefined();
  }
  return jv_undefined();
}

struct jv jx_lookup(struct jn_ctx *x, const struct jv *input, const char *key, size_t len)
{
  return lookup_field(x, input, key, len);
}

static void flatten_into(struct jn_ctx *x, struct jv *into, const struct jv *v)
{
  if (v->kind == JV_ARRAY) for (size_t i = 0; i < v->u.a->len; i++) flatten_into(x, into, &v->u.a->items[i]);
  else jv_push(x, into, *v);
}

static struct jv eval_wildcard(struct jn_ctx *x, const struct jv *in)
{
  struct jv results = jv_array(x, 4, JVF_SEQUENCE);
  struct jv input = *in;
  if (input.kind == JV_ARRAY && (input.u.a->flags & JVF_OUTER_WRAPPER) && input.u.a->len > 0) input = input.u.a->items[0];
  if (input.kind == JV_OBJECT || input.kind == JV_ARRAY) {
    size_t n = input.kind == JV_OBJECT ? force(input.u.o)->len : input.u.a->len;
    for (size_t i = 0; i < n; i++) {
      struct jv value = input.kind == JV_OBJECT ? force(input.u.o)->values[i] : input.u.a->items[i];
      if (value.kind == JV_ARRAY) {
        struct jv flat = jv_array(x, value.u.a->len, 0);
        flatten_into(x, &flat, &value);
        results = append(x, &results, &flat);
      } else {
        jv_push(x, &results, value);
      }
    }
  }
  return results;
}

static void descendants(struct jn_ctx *x, const struct jv *input, struct jv *results)
{
  if (input->kind != JV_ARRAY) jv_push(x, results, *input);
  if (input->kind == JV_ARRAY)
    for (size_t i = 0; i < input->u.a->len; i++) descendants(x, &input->u.a->items[i], results);
  else if (input->kind == JV_OBJECT)
    for (size_t i = 0; i < force(input->u.o)->len; i++) descendants(x, &force(input->u.o)->values[i], results);
}

static bool eval_numeric(struct jn_ctx *x, const struct xn *e, const struct jv *l, const struct jv *r, struct jv *out)
{
  bool ok = true;
  *out = jv_undefined();
  if (l->kind != JV_UNDEFINED && !is_numeric(x, l, &ok)) return jx_throw(x, "T2001", NULL, l, NULL, 0);
  if (!ok) return false;
  ok = true;
  if (r->kind != JV_UNDEFINED && !is_numeric(x, r, &ok)) return jx_throw(x, "T2002", NULL, r, NULL, 0);
  if (!ok) return false;
  if (l->kind == JV_UNDEFINED || r->kind == JV_UNDEFINED) return true;
  double a = l->u.n, b = r->u.n;
  switch (e->op[0]) {
  case '+': *out = jv_number(a + b); break;
  case '-': *out = jv_number(a - b); break;
  case '*': *out = jv_number(a * b); break;
  case '/': *out = jv_number(a / b); break;
  case '%': *out = jv_number(fmod(a, b)); break;
  }
  return true;
}

static bool eval_comparison(struct jn_ctx *x, const struct xn *e, const struct jv *l, const struct jv *r, struct jv *out)
{
  bool lc = l->kind == JV_UNDEFINED || l->kind == JV_STRING || l->kind == JV_NUMBER;
  bool rc = r->kind == JV_UNDEFINED || r->kind == JV_STRING || r->kind == JV_NUMBER;
  *out = jv_undefined();
  if (!lc || !rc) return jx_throw(x, "T2010", NULL, !(l->kind == JV_STRING || l->kind == JV_NUMBER) ? l : r, NULL, 0);
  if (l->kind == JV_UNDEFINED || r->kind == JV_UNDEFINED) return true;
  if (l->kind != r->kind) return jx_throw(x, "T2009", NULL, l, r, 0);
  bool lt, eq;
  if (l->kind == JV_NUMBER) {
    lt = l->u.n < r->u.n;
    eq = l->u.n == r->u.n;
  } else {
    int c = jn_string_compare(l->u.s, r->u.s);
    lt = c < 0;
    eq = c == 0;
  }
  bool nan = l->kind == JV_NUMBER && (isnan(l->u.n) || isnan(r->u.n));
  const char *op = e->op;
  bool res = !strcmp(op, "<") ? lt : !strcmp(op, "<=") ? lt || eq : !strcmp(op, ">") ? !lt && !eq : !lt;
  *out = jv_bool(res && !nan);
  return true;
}

static bool identical(const struct jv *a, const struct jv *b)
{
  if (a->kind != b->kind) return false;
  switch (a->kind) {
  case JV_ARRAY: return a->u.a == b->u.a;
  case JV_OBJECT: return a->u.o == b->u.o;
  case JV_FUNCTION: return a->u.f == b->u.f;
  default: return jv_equal(a, b);
  }
}

static bool eval_range(struct jn_ctx *x, const struct jv *l, const struct jv *r, struct jv *out)
{
  *out = jv_undefined();
  if (l->kind != JV_UNDEFINED && (l->kind != JV_NUMBER || l->u.n != floor(l->u.n) || !isfinite(l->u.n)))
    return jx_throw(x, "T2003", NULL, l, NULL, 0);
  if (r->kind != JV_UNDEFINED && (r->kind != JV_NUMBER || r->u.n != floor(r->u.n) || !isfinite(r->u.n)))
    return jx_throw(x, "T2004", NULL, r, NULL, 0);
  if (l->kind == JV_UNDEFINED || r->kind == JV_UNDEFINED || l->u.n > r->u.n) return true;
  double size = r->u.n - l->u.n + 1;
  if (size > 1e7) {
    struct jv s = jv_number(size);
    return jx_throw(x, "D2014", NULL, &s, NULL, 0);
  }
  struct jv a = jv_array(x, (size_t)size, JVF_SEQUENCE);
  for (double i = l->u.n; i <= r->u.n; i++) jv_push(x, &a, jv_number(i));
  *out = a;
  return true;
}

static bool concat_text(struct jn_ctx *x, const struct jv *v, struct buf *b)
{
  if (v->kind == JV_UNDEFINED) return true;
  struct jv s;
  if (!jn_stringify(x, v, false, &s)) return false;
  buf_add(b, s.u.s->text, s.u.s->len);
  return true;
}

static bool eval_binary(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env, struct jv *out)
{
  struct jv l, r;
  if (!evaluate(x, e->lhs, input, env, &l)) return false;
  const char *op = e->op;
  if (!strcmp(op, "and") || !strcmp(op, "or")) {
    bool lb = jn_truthy(&l);
    if (op[0] == 'a' ? !lb : lb) {
      *out = jv_bool(lb);
      return true;
    }
    if (!evaluate(x, e->rhs, input, env, &r)) return false;
    *out = jv_bool(jn_truthy(&r));
    return true;
  }
  if (!evaluate(x, e->rhs, input, env, &r)) return false;
  bool ok = true;
  switch (op[0]) {
  case '+': case '-': case '*': case '/': case '%': ok = eval_numeric(x, e, &l, &r, out); break;
  case '=':
    *out = jv_bool(l.kind != JV_UNDEFINED && r.kind != JV_UNDEFINED && jv_equal(&l, &r));
    break;
  case '!':
    *out = jv_bool(l.kind != JV_UNDEFINED && r.kind != JV_UNDEFINED && !jv_equal(&l, &r));
    break;
  case '<': case '>': ok = eval_comparison(x, e, &l, &r, out); break;
  case '&': {
    struct buf b = {0};
    ok = concat_text(x, &l, &b) && concat_text(x, &r, &b);
    if (ok) *out = jv_string(x, b.data ? b.data : "", b.len);
    buf_free(&b);
    break;
  }
  case '.': ok = eval_range(x, &l, &r, out); break;
  case 'i': {
    *out = jv_bool(false);
    if (l.kind == JV_UNDEFINED || r.kind == JV_UNDEFINED) break;
    struct jv list = r.kind == JV_ARRAY ? r : sequence_of(x, r);
    for (size_t i = 0; i < list.u.a->len; i++)
      if (identical(&list.u.a->items[i], &l)) {
        *out = jv_bool(true);
        break;
      }
    break;
  }
  }
  return ok ? true : annotate(x, e->pos, op, true);
}

static bool eval_array(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env, struct jv *out)
{
  struct jv result = jv_array(x, (size_t)e->items.n, 0);
  for (int i = 0; i < e->items.n; i++) {
    const struct xn *item = e->items.v[i];
    struct jv value;
    if (!evaluate(x, item, input, env, &value)) return false;
    if (value.kind == JV_UNDEFINED) continue;
    if (item->type == X_ARRAY) jv_push(x, &result, value);
    else result = append(x, &result, &value);
  }
  if (result.kind != JV_ARRAY) result = sequence_of(x, result);
  if (e->consarray) {
    /* a fresh array: append may have returned one of the items' own */
    struct jv cons = jv_array(x, result.u.a->len, JVF_CONS);
    for (size_t i = 0; i < result.u.a->len; i++) jv_push(x, &cons, result.u.a->items[i]);
    result = cons;
  }
  *out = result;
  return true;
}

/* The reference's reduceTupleStream: one tuple whose fields collect every tuple's. */
static struct jv reduce_tuples(struct jn_ctx *x, const struct jv *stream)
{
  if (stream->kind != JV_ARRAY) return *stream;
  struct jv result = copy_tuple(x, &stream->u.a->items[0]);
  for (size_t i = 1; i < stream->u.a->len; i++) {
    const struct jv_obj *t = force(stream->u.a->items[i].u.o);
    for (size_t k = 0; k < t->len; k++) {
      const struct jv *have = jv_obj_get(result.u.o, t->keys[k]->text, t->keys[k]->len);
      struct jv none = jv_undefined();
      jv_obj_set(x, result.u.o, t->keys[k]->text, t->keys[k]->len, append(x, have ? have : &none, &t->values[k]));
    }
  }
  return result;
}

static bool eval_group(struct jn_ctx *x, const struct list *pairs, size_t pos, const struct jv *in,
                       struct frame *env, struct jv *out)
{
  bool reduce = in->kind == JV_ARRAY && (in->u.a->flags & JVF_TUPLE_STREAM);
  struct jv input = in->kind == JV_ARRAY ? *in : sequence_of(x, *in);
  if (input.u.a->len == 0) input = sequence_of(x, jv_undefined());
  /* key -> {data, exprIndex}, in the order JavaScript lists an object's keys */
  struct jv groups = jv_object(x);
  struct jv indexes = jv_object(x);
  for (size_t i = 0; i < input.u.a->len; i++) {
    const struct jv *item = &input.u.a->items[i];
    struct frame *f = reduce ? frame_from_tuple(x, env, item) : env;
    struct jv context = reduce ? tuple_at(item) : *item;
    for (int p = 0; p + 1 < pairs->n; p += 2) {
      struct jv key;
      if (!evaluate(x, pairs->v[p], &context, f, &key)) return false;
      if (key.kind == JV_UNDEFINED) continue;
      if (key.kind != JV_STRING) {
        jx_throw(x, "T1003", NULL, &key, NULL, 0);
        return annotate(x, pos, NULL, true);
      }
      const struct jv *have = jv_obj_get(groups.u.o, key.u.s->text, key.u.s->len);
      if (have) {
        /* the pair's index times two, plus one once the group's data is an array of
           our own that can grow in place (appending a copy each time is quadratic) */
        struct jv *index = (struct jv *)jv_obj_get(indexes.u.o, key.u.s->text, key.u.s->len);
        if ((int)index->u.n / 2 != p / 2) {
          jx_throw(x, "D1009", NULL, &key, NULL, 0);
          return annotate(x, pos, NULL, true);
        }
        if ((int)index->u.n % 2 && item->kind != JV_UNDEFINED) {
          struct jv *data = (struct jv *)have;
          if (item->kind == JV_ARRAY) for (size_t k = 0; k < item->u.a->len; k++) jv_push(x, data, item->u.a->items[k]);
          else jv_push(x, data, *item);
        } else {
          struct jv data = append(x, have, item);
          jv_obj_set(x, groups.u.o, key.u.s->text, key.u.s->len, data);
          if (data.kind == JV_ARRAY && data.u.a != have->u.a && (item->kind != JV_ARRAY || data.u.a != item->u.a))
            index->u.n = p + 1;
        }
      } else {
        jv_obj_set(x, groups.u.o, key.u.s->text, key.u.s->len, *item);
        jv_obj_set(x, indexes.u.o, key.u.s->text, key.u.s->len, jv_number(p));
      }
    }
  }
  struct jv result = jv_object(x);
  for (size_t g = 0; g < force(groups.u.o)->len; g++) {
    const struct jv_str *key = force(groups.u.o)->keys[g];
    struct jv context = force(groups.u.o)->values[g], value;
    struct frame *f = env;
    if (reduce) {
      struct jv tuple = reduce_tuples(x, &context);
      context = tuple_at(&tuple);
      if (tuple.kind == JV_OBJECT) jv_obj_delete(tuple.u.o, "@", 1); /* not the undefined item of an empty stream */
      f = frame_from_tuple(x, env, &tuple);
    }
    int p = (int)jv_obj_get(indexes.u.o, key->text, key->len)->u.n / 2 * 2;
    if (!evaluate(x, pairs->v[p + 1], &context, f, &value)) return false;
    if (value.kind != JV_UNDEFINED) jv_obj_set(x, result.u.o, key->text, key->len, value);
  }
  *out = result;
  return true;
}

/* A regular expression's match object with its `next`. */
static bool regex_match(struct jn_ctx *x, const struct xn *re, const struct jv_str *s, size_t from, struct jv *out)
{
  size_t next_from = 0;
  if (!jn_regex_match(x, re->regex, s, from, out, &next_from)) return false;
  if (out->kind != JV_OBJECT) return true;
  struct jv_fn *f;
  struct jv next = fn_value(x, JF_REGEX_NEXT, &f);
  f->node = re;
  f->str = s;
  f->from = next_from;
  jv_obj_set(x, out->u.o, "next", 4, next);
  return true;
}

static bool eval_variable(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env, struct jv *out)
{
  if (e->len == 0) {
    *out = input->kind == JV_ARRAY && (input->u.a->flags & JVF_OUTER_WRAPPER) ? input->u.a->items[0] : *input;
  } else {
    *out = lookup(x, env, e->text, e->len);
  }
  return true;
}

/* The name a call's error names: the variable or the first step of the procedure. */
static const char *proc_name(const struct xn *procedure)
{
  if (procedure->type == X_PATH) return ((const struct xn *)procedure->items.v[0])->text;
  if (procedure->type == X_VARIABLE) return procedure->text;
  return NULL;
}

static bool forgot_dollar(struct jn_ctx *x, const struct xn *procedure, struct frame *env)
{
  if (procedure->type != X_PATH) return false;
  const struct xn *first = procedure->items.v[0];
  return first->text && is_bound(x, env, first->text, first->len);
}

static bool eval_function(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env,
                          const struct jv *applyto, struct jv *out)
{
  struct jv proc;
  if (!evaluate(x, e->procedure, input, env, &proc)) return false;
  if (proc.kind == JV_UNDEFINED && forgot_dollar(x, e->procedure, env)) {
    jx_throw(x, "T1005", proc_name(e->procedure), NULL, NULL, 0);
    return annotate(x, e->pos, NULL, true);
  }
  int argc = e->items.n + (applyto ? 1 : 0), i = 0;
  struct jv *args = arena_alloc(&x->arena, (size_t)(argc + 1) * sizeof *args);
  if (applyto) args[i++] = *applyto;
  for (int k = 0; k < e->items.n; k++)
    if (!evaluate(x, e->items.v[k], input, env, &args[i++])) return false;
  const char *name = proc_name(e->procedure);
  if (!apply(x, &proc, args, argc, input, name, out)) return annotate(x, e->pos, name, false);
  return true;
}

static bool eval_partial(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env, struct jv *out)
{
  int n = e->items.n;
  struct jv *args = arena_alloc(&x->arena, (size_t)(n + 1) * sizeof *args);
  bool *hole = arena_alloc(&x->arena, (size_t)(n + 1) * sizeof *hole);
  for (int i = 0; i < n; i++) {
    const struct xn *arg = e->items.v[i];
    if (arg->type == X_PLACEHOLDER) hole[i] = true;
    else if (!evaluate(x, arg, input, env, &args[i])) return false;
  }
  struct jv proc;
  if (!evaluate(x, e->procedure, input, env, &proc)) return false;
  if (proc.kind == JV_UNDEFINED && forgot_dollar(x, e->procedure, env)) {
    jx_throw(x, "T1007", proc_name(e->procedure), NULL, NULL, 0);
    return annotate(x, e->pos, NULL, true);
  }
  if (proc.kind != JV_FUNCTION) {
    jx_throw(x, "T1008", proc_name(e->procedure), NULL, NULL, 0);
    return annotate(x, e->pos, NULL, true);
  }
  struct jv_fn *f;
  if (proc.u.f->kind == JF_LAMBDA) {
    /* the bound parameters go into a new scope; the holes stay parameters */
    const struct jv_fn *p = proc.u.f;
    *out = fn_value(x, JF_LAMBDA, &f);
    f->body = p->body;
    f->input = p->input;
    f->env = new_frame(x, p->env);
    struct list *params = NEW(&x->arena, struct list);
    for (int i = 0; p->params && i < p->params->n; i++) {
      const struct xn *param = p->params->v[i];
      if (i < n && hole[i]) list_push(&x->arena, params, (void *)param);
      else bind(x, f->env, param->text, param->len, i < n ? args[i] : jv_undefined());
    }
    f->params = params;
    return true;
  }
  /* a native: as many parameters as its function declares */
  int arity = proc.u.f->kind == JF_NATIVE ? native_arity(proc.u.f->native) : n;
  if (arity < n) arity = n;
  *out = fn_value(x, JF_PARTIAL, &f);
  f->target = proc;
  f->nargs = arity;
  f->args = arena_alloc(&x->arena, (size_t)(arity + 1) * sizeof *f->args);
  f->hole = arena_alloc(&x->arena, (size_t)(arity + 1) * sizeof *f->hole);
  for (int i = 0; i < n; i++) {
    f->args[i] = args[i];
    f->hole[i] = hole[i];
  }
  return true;
}

static bool eval_apply(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env, struct jv *out)
{
  struct jv lhs;
  if (!evaluate(x, e->lhs, input, env, &lhs)) return false;
  if (e->rhs->type == X_FUNCTION) return eval_function(x, e->rhs, input, env, &lhs, out);
  struct jv func;
  if (!evaluate(x, e->rhs, input, env, &func)) return false;
  if (func.kind != JV_FUNCTION) {
    jx_throw(x, "T2006", NULL, &func, NULL, 0);
    return annotate(x, e->pos, NULL, true);
  }
  if (lhs.kind == JV_FUNCTION) { /* function chaining: x -> func(lhs(x)) */
    struct jv_fn *f;
    *out = fn_value(x, JF_CHAIN, &f);
    f->target = lhs;
    f->g = func;
    return true;
  }
  struct jv none = jv_undefined();
  return apply(x, &func, &lhs, 1, &none, NULL, out);
}

static bool eval_lambda(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env, struct jv *out)
{
  struct jv_fn *f;
  *out = fn_value(x, JF_LAMBDA, &f);
  f->params = &e->items;
  f->body = e->body;
  f->signature = e->signature;
  f->thunk = e->thunk;
  f->input = *input;
  f->env = env;
  return true;
}

static bool eval_block(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env, struct jv *out)
{
  struct frame *f = new_frame(x, env);
  *out = jv_undefined();
  for (int i = 0; i < e->items.n; i++)
    if (!evaluate(x, e->items.v[i], input, f, out)) return false;
  return true;
}

/* The depth and step limits: the reference's test suite guards evaluation the same way
   (U1001), and a runaway expression must not take the process's stack or time. */
static bool enter(struct jn_ctx *x)
{
  struct jx_state *s = x->state;
  if (++s->depth > s->max_depth)
    return jx_throw_message(x, "U1001", "Stack overflow error: Check for non-terminating recursive function.  "
                                        "Consider rewriting as tail-recursive.");
  if (++s->steps > s->max_steps)
    return jx_throw_message(x, "U1001", "Expression evaluation timeout: Check for infinite loop");
  return true;
}

static bool evaluate(struct jn_ctx *x, const struct xn *e, const struct jv *input, struct frame *env, struct jv *out)
{
  bool ok = enter(x);
  struct jv result = jv_undefined();
  if (ok) switch (e->type) {
  case X_PATH: ok = eval_path(x, e, input, env, &result); break;
  case X_BINARY: ok = eval_binary(x, e, input, env, &result); break;
  case X_NEGATE:
    ok = evaluate(x, e->lhs, input, env, &result);
    if (ok && result.kind != JV_UNDEFINED) {
      bool num_ok;
      if (is_numeric(x, &result, &num_ok)) result = jv_number(-result.u.n);
      else if (num_ok) ok = jx_throw(x, "D1002", "-", &result, NULL, 0) || annotate(x, e->pos, NULL, true);
      if (!num_ok) ok = false;
    }
    break;
  case X_ARRAY: ok = eval_array(x, e, input, env, &result); break;
  case X_OBJECT: ok = eval_group(x, &e->pairs, e->pos, input, env, &result); break;
  case X_NAME: result = lookup_field(x, input, e->text, e->len); break;
  case X_LITERAL: result = e->literal; break;
  case X_WILDCARD: result = eval_wildcard(x, input); break;
  case X_DESCENDANT:
    if (input->kind != JV_UNDEFINED) {
      struct jv seq = jv_array(x, 8, JVF_SEQUENCE);
      descendants(x, input, &seq);
      result = seq.u.a->len == 1 ? seq.u.a->items[0] : seq;
    }
    break;
  case X_PARENT: {
    const char *label = slot_key(x, e->slot);
    result = lookup(x, env, label, strlen(label));
    break;
  }
  case X_CONDITION: {
    struct jv cond;
    ok = evaluate(x, e->lhs, input, env, &cond);
    if (ok && jn_truthy(&cond)) ok = evaluate(x, e->rhs, input, env, &result);
    else if (ok && e->third) ok = evaluate(x, e->third, input, env, &result);
    break;
  }
  case X_BLOCK: ok = eval_block(x, e, input, env, &result); break;
  case X_BIND:
    ok = evaluate(x, e->rhs, input, env, &result);
    if (ok) bind(x, env, e->lhs->text, e->lhs->len, result);
    break;
  case X_REGEX: {
    struct jv_fn *f;
    result = fn_value(x, JF_REGEX, &f);
    f->node = e;
    break;
  }
  case X_FUNCTION: ok = eval_function(x, e, input, env, NULL, &result); break;
  case X_VARIABLE: ok = eval_variable(x, e, input, env, &result); break;
  case X_LAMBDA: ok = eval_lambda(x, e, input, env, &result); break;
  case X_PARTIAL: ok = eval_partial(x, e, input, env, &result); break;
  case X_APPLY: ok = eval_apply(x, e, input, env, &result); break;
  case X_TRANSFORM: {
    struct jv_fn *f;
    result = fn_value(x, JF_TRANSFORM, &f);
    f->node = e;
    f->env = env;
    break;
  }
  case X_SORT: ok = eval_sort(x, e, input, env, &result); break;
  case X_PLACEHOLDER: break;
  }
  if (ok && e->predicate)
    for (int i = 0; ok && i < e->predicate->n; i++)
      ok = eval_filter(x, ((const struct stage *)e->predicate->v[i])->expr, &result, env, &result);
  if (ok && e->type != X_PATH && e->group) ok = eval_group(x, e->group, e->group_pos, &result, env, &result);
  x->state->depth--;
  if (!ok) return false;
  if (is_sequence(&result) && !(result.u.a->flags & JVF_TUPLE_STREAM)) {
    if (e->keep_array) result.u.a->flags |= JVF_KEEP_SINGLETON;
    if (result.u.a->len == 0) result = jv_undefined();
    else if (result.u.a->len == 1 && !(result.u.a->flags & JVF_KEEP_SINGLETON)) result = result.u.a->items[0];
  }
  *out = result;
  return true;
}

/* ---------------------------------------------------------------- applying functions */

/* Whether V holds the object O (V is acyclic, as every value is until a transform
   puts an object inside itself). *BUDGET bounds the walk over shared parts. */
static bool holds(const struct jv *v, const struct jv_obj *o, long *budget)
{
  if (--*budget < 0) return true;
  if (v->kind == JV_OBJECT) {
    if (v->u.o == o) return true;
    for (size_t i = 0; i < force(v->u.o)->len; i++)
      if (holds(&force(v->u.o)->values[i], o, budget)) return true;
  } else if (v->kind == JV_ARRAY) {
    for (size_t i = 0; i < v->u.a->len; i++)
      if (holds(&v->u.a->items[i], o, budget)) return true;
  }
  return false;
}

static bool apply_transform(struct jn_ctx *x, const struct jv_fn *f, const struct jv *obj, struct jv *out)
{
  const struct xn *e = f->node;
  *out = jv_undefined();
  if (obj->kind == JV_UNDEFINED) return true;
  struct jv clone = lookup(x, f->env, "clone", 5);
  if (clone.kind != JV_FUNCTION) {
    jx_throw(x, "T2013", NULL, NULL, NULL, 0);
    return annotate(x, e->pos, NULL, true);
  }
  struct jv arg = *obj, result, none = jv_undefined();
  if (!apply(x, &clone, &arg, 1, &none, "clone", &result)) return false;
  struct jv matches;
  if (!evaluate(x, e->lhs, &result, f->env, &matches)) return false;
  if (matches.kind != JV_UNDEFINED) {
    if (matches.kind != JV_ARRAY) matches = sequence_of(x, matches);
    for (size_t i = 0; i < matches.u.a->len; i++) {
      struct jv match = matches.u.a->items[i], update;
      if (!evaluate(x, e->rhs, &match, f->env, &update)) return false;
      if (update.kind != JV_UNDEFINED) {
        if (update.kind != JV_OBJECT) {
          jx_throw(x, "T2011", NULL, &update, NULL, 0);
          return annotate(x, e->rhs->pos, NULL, true);
        }
        if (match.kind != JV_OBJECT && match.kind != JV_ARRAY && match.kind != JV_FUNCTION && jv_obj_len(update.u.o)) {
          /* JavaScript cannot set a property on a string, number, boolean or null */
          char num[40];
          const char *what = match.kind == JV_STRING ? "string" : match.kind == JV_NUMBER ? "number"
                             : match.kind == JV_BOOL ? "boolean" : "null";
          if (match.kind == JV_NUMBER) jn_number_text(match.u.n, num);
          jx_throw_message(x, "", match.kind == JV_NULL ? "Cannot set properties of null (setting '%s')"
                                                        : "Cannot create property '%s' on %s '%s'",
                           jv_obj_key(update.u.o, 0)->text, what,
                           match.kind == JV_STRING ? match.u.s->text : match.kind == JV_NUMBER ? num
                           : match.kind == JV_BOOL && match.u.b ? "true" : "false");
          return annotate(x, e->rhs->pos, NULL, true);
        }
        if (match.kind == JV_OBJECT)
          for (size_t k = 0; k < force(update.u.o)->len; k++) {
            /* The reference would make a circular object, which no JSON can write (AWS
               fails writing the state's output): an error here instead. */
            long budget = 10000000;
            if (holds(&force(update.u.o)->values[k], match.u.o, &budget)) {
              jx_throw_message(x, "D1011", "The update clause of the transform expression puts the object "
                                           "it updates inside itself (a circular structure)");
              return annotate(x, e->rhs->pos, NULL, true);
            }
            jv_obj_set(x, match.u.o, force(update.u.o)->keys[k]->text, force(update.u.o)->keys[k]->len, force(update.u.o)->values[k]);
          }
      }
      if (!e->third) continue;
      struct jv deletions;
      if (!evaluate(x, e->third, &match, f->env, &deletions)) return false;
      if (deletions.kind == JV_UNDEFINED) continue;
      struct jv list = deletions.kind == JV_ARRAY ? deletions : sequence_of(x, deletions);
      if (!is_array_of_strings(&list)) {
        jx_throw(x, "T2012", NULL, &deletions, NULL, 0);
        return annotate(x, e->third->pos, NULL, true);
      }
      if (match.kind == JV_OBJECT)
        for (size_t k = 0; k < list.u.a->len; k++) jv_obj_delete(match.u.o, list.u.a->items[k].u.s->text, list.u.a->items[k].u.s->len);
    }
  }
  *out = result;
  return true;
}

static bool apply_regex(struct jn_ctx *x, const struct jv_fn *f, const struct jv *args, int argc, struct jv *out)
{
  *out = jv_undefined();
  if (f->kind == JF_REGEX_NEXT) {
    if (f->from >= f->str->len) return true;
    if (!regex_match(x, f->node, f->str, f->from, out)) return false;
    const struct jv *m = out->kind == JV_OBJECT ? jv_obj_get(out->u.o, "match", 5) : NULL;
    if (m && m->kind == JV_STRING && m->u.s->len == 0) {
      struct jv source = jv_string(x, f->node->text, f->node->len);
      jx_throw(x, "D1004", NULL, &source, NULL, 0);
      return annotate(x, f->node->pos, NULL, true);
    }
    return true;
  }
  if (argc < 1 || args[0].kind != JV_STRING) return true;
  size_t from = 0;
  if (argc > 1 && args[1].kind == JV_NUMBER && args[1].u.n > 0) { /* UTF-16 units to bytes */
    const struct jv_str *s = args[0].u.s;
    double units = 0;
    while (from < s->len && units < args[1].u.n) {
      uint32_t cp = 0;
      size_t n = utf8_decode((const unsigned char *)s->text + from, s->len - from, &cp);
      from += n ? n : 1;
      units += cp >= 0x10000 ? 2 : 1;
    }
  }
  return regex_match(x, f->node, args[0].u.s, from, out);
}

/* The reference's applyInner: validate against the signature, then run. */
static bool apply_inner(struct jn_ctx *x, const struct jv *proc, struct jv *args, int argc, const struct jv *input,
                        const char *token, struct jv *out)
{
  *out = jv_undefined();
  if (proc->kind != JV_FUNCTION) return jx_throw(x, "T1006", NULL, NULL, NULL, 0);
  const struct jv_fn *f = proc->u.f;
  const struct jn_sig *sig = f->kind == JF_LAMBDA ? f->signature
                             : f->kind == JF_NATIVE ? jn_builtin_sig(f->native)
                             : f->kind == JF_TRANSFORM ? f->node->signature : NULL;
  if (sig) {
    const char *name = token ? token : f->kind == JF_NATIVE ? f->native->name : NULL;
    if (!jn_sig_validate(x, sig, args, argc, input, name, &args, &argc)) {
      if (name && !x->state->err.token) x->state->err.token = name;
      return false;
    }
  }
  switch (f->kind) {
  case JF_LAMBDA: {
    struct frame *env = new_frame(x, f->env);
    for (int i = 0; f->params && i < f->params->n; i++) {
      const struct xn *param = f->params->v[i];
      bind(x, env, param->text, param->len, i < argc ? args[i] : jv_undefined());
    }
    return evaluate(x, f->body, &f->input, env, out);
  }
  case JF_NATIVE:
    if (!f->native->fn(x, args, argc, out)) {
      if (!x->state->err.token) x->state->err.token = token ? token : f->native->name;
      return false;
    }
    return true;
  case JF_PARTIAL: {
    struct jv *all = arena_alloc(&x->arena, (size_t)(f->nargs + 1) * sizeof *all);
    int k = 0;
    for (int i = 0; i < f->nargs; i++) all[i] = f->hole[i] ? (k < argc ? args[k++] : jv_undefined()) : f->args[i];
    int n = f->nargs;
    while (n > 0 && all[n - 1].kind == JV_UNDEFINED) n--; /* as a JavaScript call would see them */
    /* The reference calls a partially applied built-in without checking its signature,
       so a wrong argument reaches JavaScript code (a TypeError, or a value of no use);
       sfc checks it, and raises T0410 instead. */
    return apply_inner(x, &f->target, all, n, input, token, out);
  }
  case JF_REGEX:
  case JF_REGEX_NEXT: return apply_regex(x, f, args, argc, out);
  case JF_TRANSFORM: return apply_transform(x, f, argc > 0 ? &args[0] : &(struct jv){JV_UNDEFINED, {0}}, out);
  case JF_CHAIN: {
    struct jv mid, none = jv_undefined();
    struct jv arg = argc > 0 ? args[0] : jv_undefined();
    return apply(x, &f->target, &arg, 1, &none, NULL, &mid) && apply(x, &f->g, &mid, 1, &none, NULL, out);
  }
  }
  return false;
}

/* The reference's apply: apply_inner, then the trampoline for tail calls. */
static bool apply(struct jn_ctx *x, const struct jv *proc, struct jv *args, int argc, const struct jv *input,
                  const char *token, struct jv *out)
{
  if (!apply_inner(x, proc, args, argc, input, token, out)) return false;
  while (out->kind == JV_FUNCTION && out->u.f->kind == JF_LAMBDA && out->u.f->thunk) {
    const struct jv_fn *thunk = out->u.f;
    const struct xn *call = thunk->body;
    struct jv next;
    if (!evaluate(x, call->procedure, &thunk->input, thunk->env, &next)) return false;
    int n = call->items.n;
    struct jv *a = arena_alloc(&x->arena, (size_t)(n + 1) * sizeof *a);
    for (int i = 0; i < n; i++)
      if (!evaluate(x, call->items.v[i], &thunk->input, thunk->env, &a[i])) return false;
    const char *name = proc_name(call->procedure);
    if (!apply_inner(x, &next, a, n, input, name, out)) return annotate(x, call->pos, name, false);
  }
  return true;
}

bool jx_apply(struct jn_ctx *x, const struct jv *fn, struct jv *args, int argc, struct jv *out)
{
  struct jv null = jv_null(); /* the reference's higher-order functions apply with a null context */
  return apply(x, fn, args, argc, &null, NULL, out);
}

/* ---------------------------------------------------------------- the interface */

struct jn_expr *jsonata_compile(const char *text, size_t len, struct jn_error *err)
{
  memset(err, 0, sizeof *err);
  struct jn_expr *e = xmalloc(sizeof *e);
  memset(e, 0, sizeof *e);
  size_t at = 0;
  const char *msg = jsonata_parse(&e->arena, text, len, &e->tree, &at);
  if (msg) {
    snprintf(err->code, sizeof err->code, "%.5s", msg);
    err->message = xstrdup(msg);
    err->position = at;
    jsonata_free(e);
    return NULL;
  }
  struct prep p = {e, false};
  e->root = process(&p, e->tree);
  if (e->root && (e->root->type == X_PARENT || e->root->seeking)) {
    prep_fail(&p, "S0217", e->root->pos, xtype_names[e->root->type]);
    e->root = NULL;
  }
  if (!e->root) {
    const char *code = e->err_code ? e->err_code : "S0206";
    snprintf(err->code, sizeof err->code, "%s", code);
    err->position = e->err_pos;
    err->token = e->err_token ? xstrdup(e->err_token) : NULL;
    if (e->err_message) {
      err->message = e->err_message;
      e->err_message = NULL;
    } else {
      const char *t = error_template(code);
      struct buf m = {0};
      for (const char *c = t ? t : code; *c;) {
        if (!strncmp(c, "{{token}}", 9)) {
          buf_printf(&m, "\"%s\"", err->token ? err->token : "");
          c += 9;
        } else {
          buf_addc(&m, *c++);
        }
      }
      buf_addc(&m, 0);
      err->message = m.data;
    }
    jsonata_free(e);
    return NULL;
  }
  return e;
}

void jsonata_free(struct jn_expr *e)
{
  if (!e) return;
  for (int i = 0; i < e->regexes.n; i++) pcre2_code_free(e->regexes.v[i]);
  free(e->err_message);
  arena_free(&e->arena);
  free(e);
}

#define DEFAULT_MAX_DEPTH 2500 /* nested evaluations (about 600 levels of non-tail recursion): well inside an 8 MB stack under ASan */
#define DEFAULT_MAX_STEPS 10000000

void jn_ctx_begin(struct jn_ctx *x, struct jn_error *err)
{
  memset(x, 0, sizeof *x);
  memset(err, 0, sizeof *err);
  x->err = err;
  x->state = xmalloc(sizeof *x->state);
  memset(x->state, 0, sizeof *x->state);
  x->state->max_depth = DEFAULT_MAX_DEPTH;
  x->state->max_steps = DEFAULT_MAX_STEPS;
}

void jn_ctx_error(struct jn_ctx *x)
{
  jn_error_free(x->err);
  finish_error(x, x->err);
}

void jn_ctx_end(struct jn_ctx *x)
{
  free(x->state->err.message);
  free(x->state);
  x->state = NULL;
  arena_free(&x->arena);
}

bool jsonata_evaluate(const struct jn_expr *e, json_t *input, const struct jn_options *o, json_t **out,
                      struct jn_error *err)
{
  *out = NULL;
  struct jn_ctx x;
  jn_ctx_begin(&x, err);
  struct rt_random fixed;
  rt_random_seed(&fixed, 1);
  x.now_ms = o ? o->now_ms : 0;
  x.random = o && o->random ? o->random : &fixed;
  if (o && o->max_depth) x.state->max_depth = o->max_depth;
  if (o && o->max_steps) x.state->max_steps = o->max_steps;
  struct frame *env = new_frame(&x, NULL);
  if (o && o->bindings) {
    const char *k;
    size_t klen;
    json_t *m;
    json_object_keylen_foreach(o->bindings, k, klen, m)
      bind(&x, env, arena_strndup(&x.arena, k, klen), klen, jv_from_json_in(&x.arena, m));
  }
  /* the input and the bindings outlive the evaluation: their objects are read lazily */
  struct jv in = input ? jv_from_json_in(&x.arena, input) : jv_undefined();
  bind(&x, env, "$", 1, in);
  if (in.kind == JV_ARRAY) { /* an input array is one input, not a sequence */
    struct jv w = jv_array(&x, 1, JVF_SEQUENCE | JVF_OUTER_WRAPPER);
    jv_push(&x, &w, in);
    in = w;
  }
  struct jv r;
  bool ok = evaluate(&x, e->root, &in, env, &r);
  if (ok) *out = jv_to_json(&r);
  else jn_ctx_error(&x);
  if (o && o->function_result) *o->function_result = ok && r.kind == JV_FUNCTION;
  jn_ctx_end(&x);
  return ok;
}
