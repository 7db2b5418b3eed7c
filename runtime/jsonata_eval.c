#include "jsonata.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

/* jsonata_eval.c - JSONata values and the evaluator.
   STATUS: the evaluator is a first cut that walks the parser's tree (struct jn_ast)
   directly; the processAST equivalent (paths as step lists, stages, tuple streams for
   @ and #, parent %, S0217) is NOT written yet, so predicates apply to a whole path's
   result rather than per step. Not done: % @ # transforms |...|, regex literals,
   tail calls, signatures, the step limit. */

struct jv_obj {
  size_t len, cap;
  struct jv_str **keys;
  struct jv *values;
};

/* A function value: a lambda (its tree, parameters and closure frame) or a built-in. */
struct scope;
struct jv_fn {
  int kind; /* 1 lambda, 2 built-in */
  const struct jn_ast *lambda;
  struct scope *closure;
  struct jv input; /* the context the lambda was made in */
  const struct jn_builtin *builtin;
  struct jv target;  /* kind 3, a partial application: TARGET with BOUND (holes undefined, HOLE set) */
  struct jv *bound;
  bool *hole;
  int nbound;
};

struct jx_state {
  int unused;
};

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

static void set_error(struct jn_ctx *x, const char *code, char *message, const char *token,
                      const struct jv *value)
{
  struct jn_error *e = x->err;
  jn_error_free(e);
  snprintf(e->code, sizeof e->code, "%s", code);
  e->message = message;
  e->token = token ? xstrdup(token) : NULL;
  e->value = value ? jv_to_json(value) : NULL;
}

bool jx_throw(struct jn_ctx *x, const char *code, const char *token, const struct jv *value,
              const struct jv *value2, int index)
{
  const char *t = error_template(code);
  if (!t) t = code;
  /* fill {{token}}, {{value}}, {{value2}}, {{index}} */
  size_t cap = strlen(t) + 64, len = 0;
  char *m = xmalloc(cap);
  for (const char *p = t; *p;) {
    const char *fill = NULL;
    char *owned = NULL;
    size_t skip = 0;
    if (!strncmp(p, "{{token}}", 9)) { fill = token ? token : ""; skip = 9; }
    else if (!strncmp(p, "{{value}}", 9) || !strncmp(p, "{{value2}}", 10)) {
      const struct jv *w = p[7] == '2' ? value2 : value;
      skip = p[7] == '2' ? 10 : 9;
      json_t *j = w ? jv_to_json(w) : NULL;
      owned = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15)) : NULL;
      json_decref(j);
      fill = owned ? owned : "undefined";
    } else if (!strncmp(p, "{{index}}", 9)) { owned = xmalloc(16); snprintf(owned, 16, "%d", index); fill = owned; skip = 9; }
    size_t add = fill ? strlen(fill) : 1;
    if (len + add + 1 > cap) { cap = 2 * (len + add + 1); m = xrealloc(m, cap); }
    if (fill) { memcpy(m + len, fill, add); len += add; p += skip; }
    else m[len++] = *p++;
    free(owned);
  }
  m[len] = 0;
  set_error(x, code, m, token, value);
  return false;
}

bool jx_throw_message(struct jn_ctx *x, const char *code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *m = xvasprintf(fmt, ap);
  va_end(ap);
  set_error(x, code, m, NULL, NULL);
  return false;
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
  long i = find_key(o, key, len);
  return i < 0 ? NULL : &o->values[i];
}

void jv_obj_set(struct jn_ctx *x, struct jv_obj *o, const char *key, size_t len, struct jv v)
{
  long i = find_key(o, key, len);
  if (i >= 0) {
    o->values[i] = v;
    return;
  }
  if (o->len == o->cap) {
    size_t cap = o->cap ? 2 * o->cap : 4;
    struct jv_str **keys = arena_alloc(&x->arena, cap * sizeof *keys);
    struct jv *values = arena_alloc(&x->arena, cap * sizeof *values);
    if (o->len) {
      memcpy(keys, o->keys, o->len * sizeof *keys);
      memcpy(values, o->values, o->len * sizeof *values);
    }
    o->keys = keys;
    o->values = values;
    o->cap = cap;
  }
  o->keys[o->len] = jv_string(x, key, len).u.s;
  o->values[o->len++] = v;
}

bool jv_obj_delete(struct jv_obj *o, const char *key, size_t len)
{
  long i = find_key(o, key, len);
  if (i < 0) return false;
  memmove(&o->keys[i], &o->keys[i + 1], (o->len - (size_t)i - 1) * sizeof *o->keys);
  memmove(&o->values[i], &o->values[i + 1], (o->len - (size_t)i - 1) * sizeof *o->values);
  o->len--;
  return true;
}

size_t jv_obj_len(const struct jv_obj *o) { return o->len; }
const struct jv_str *jv_obj_key(const struct jv_obj *o, size_t i) { return o->keys[i]; }
const struct jv *jv_obj_value(const struct jv_obj *o, size_t i) { return &o->values[i]; }

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
    if (a->u.o->len != b->u.o->len) return false;
    for (size_t i = 0; i < a->u.o->len; i++) {
      const struct jv *w = jv_obj_get(b->u.o, a->u.o->keys[i]->text, a->u.o->keys[i]->len);
      if (!w || !jv_equal(&a->u.o->values[i], w)) return false;
    }
    return true;
  case JV_FUNCTION: return a->u.f == b->u.f;
  }
  return false;
}

struct jv jv_unwrap(const struct jv *v)
{
  if (v->kind == JV_ARRAY && (v->u.a->flags & JVF_SEQUENCE) && !(v->u.a->flags & JVF_KEEP_SINGLETON)) {
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

int jx_arity(const struct jv *fn)
{
  if (fn->kind != JV_FUNCTION) return 0;
  if (fn->u.f->kind == 1) {
    int n = 0;
    for (const struct jn_ast *p = fn->u.f->lambda->items; p; p = p->next) n++;
    return n;
  }
  return 1;
}
const pcre2_code *jx_regex(const struct jv *fn) { (void)fn; return NULL; }

struct jv jv_from_json(struct jn_ctx *x, const json_t *j)
{
  switch (json_typeof(j)) {
  case JSON_NULL: return jv_null();
  case JSON_TRUE: return jv_bool(true);
  case JSON_FALSE: return jv_bool(false);
  case JSON_INTEGER: return jv_number((double)json_integer_value(j));
  case JSON_REAL: return jv_number(json_real_value(j));
  case JSON_STRING: return jv_string(x, json_string_value(j), json_string_length(j));
  case JSON_ARRAY: {
    struct jv a = jv_array(x, json_array_size(j), 0);
    for (size_t i = 0; i < json_array_size(j); i++) jv_push(x, &a, jv_from_json(x, json_array_get(j, i)));
    return a;
  }
  case JSON_OBJECT: {
    struct jv o = jv_object(x);
    const char *k;
    size_t klen;
    json_t *m;
    json_object_keylen_foreach((json_t *)j, k, klen, m) jv_obj_set(x, o.u.o, k, klen, jv_from_json(x, m));
    return o;
  }
  }
  return jv_undefined();
}

json_t *jv_to_json(const struct jv *v)
{
  switch (v->kind) {
  case JV_UNDEFINED: case JV_FUNCTION: return NULL;
  case JV_NULL: return json_null();
  case JV_BOOL: return json_boolean(v->u.b);
  case JV_NUMBER:
    if (v->u.n == (double)(long long)v->u.n && v->u.n > -9007199254740992.0 && v->u.n < 9007199254740992.0)
      return json_integer((json_int_t)v->u.n);
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
    for (size_t i = 0; i < v->u.o->len; i++) {
      json_t *m = jv_to_json(&v->u.o->values[i]);
      if (m) json_object_setn_new(o, v->u.o->keys[i]->text, v->u.o->keys[i]->len, m);
    }
    return o;
  }
  }
  return NULL;
}

struct jn_expr {
  struct arena arena;
  struct jn_ast *tree;
};

struct jn_expr *jsonata_compile(const char *text, size_t len, struct jn_error *err)
{
  struct jn_expr *e = xmalloc(sizeof *e);
  memset(e, 0, sizeof *e);
  size_t at = 0;
  const char *msg = jsonata_parse(&e->arena, text, len, &e->tree, &at);
  if (msg) {
    memset(err, 0, sizeof *err);
    snprintf(err->code, sizeof err->code, "%.5s", msg);
    err->message = xstrdup(msg);
    err->position = at;
    jsonata_free(e);
    return NULL;
  }
  return e;
}

void jsonata_free(struct jn_expr *e)
{
  if (!e) return;
  arena_free(&e->arena);
  free(e);
}

/* ---------------------------------------------------------------- the evaluator
   A first cut that walks the parse tree directly (no processAST yet): paths map
   over sequences and flatten, names on arrays map, predicates filter or index. */

struct frame {
  const char *name;
  size_t len;
  struct jv value;
  struct frame *next;
};

/* Lexical frames: a block or a lambda's call opens a scope; := binds in the
   innermost one, so a lambda sees bindings made after it (recursion). */
struct scope {
  struct frame *vars;
  struct scope *parent;
};

static struct scope *new_scope(struct jn_ctx *x, struct scope *parent)
{
  struct scope *s = NEW(&x->arena, struct scope);
  s->parent = parent;
  return s;
}

struct ev {
  struct jn_ctx *x;
  struct jv root;
  int depth, max_depth;
};

static bool eval(struct ev *ev, const struct jn_ast *n, const struct jv *in, struct scope *env, struct jv *out);
static struct ev *current_ev; /* the evaluation jx_apply belongs to */

static struct frame *bind(struct jn_ctx *x, struct frame *next, const char *name, size_t len, struct jv v)
{
  struct frame *f = NEW(&x->arena, struct frame);
  f->name = name;
  f->len = len;
  f->value = v;
  f->next = next;
  return f;
}

bool jx_apply(struct jn_ctx *x, const struct jv *fn, struct jv *args, int argc, struct jv *out)
{
  *out = jv_undefined();
  if (fn->kind != JV_FUNCTION) return jx_throw(x, "T1006", NULL, NULL, NULL, 0);
  struct jv_fn *f = fn->u.f;
  if (f->kind == 2) {
    struct jv *valid;
    int n;
    if (!jn_sig_validate(x, jn_builtin_sig(f->builtin), args, argc, NULL, f->builtin->name, &valid, &n)) return false;
    return f->builtin->fn(x, valid, n, out);
  }
  if (f->kind == 3) {
    struct jv *all = arena_alloc(&x->arena, (size_t)(f->nbound + 1) * sizeof *all);
    int k = 0;
    for (int i = 0; i < f->nbound; i++) all[i] = f->hole[i] ? (k < argc ? args[k++] : jv_undefined()) : f->bound[i];
    return jx_apply(x, &f->target, all, f->nbound, out);
  }
  struct scope *env = new_scope(x, f->closure);
  int i = 0;
  for (const struct jn_ast *p = f->lambda->items; p; p = p->next, i++)
    env->vars = bind(x, env->vars, p->text, p->len, i < argc ? args[i] : jv_undefined());
  return eval(current_ev, f->lambda->rhs, &f->input, env, out);
}

static bool eval_call(struct ev *ev, const struct jn_ast *n, const struct jv *in, struct scope *env,
                      const struct jv *first, struct jv *out)
{
  struct jn_ctx *x = ev->x;
  struct jv fn;
  if (!eval(ev, n->lhs, in, env, &fn)) return false;
  fn = jv_unwrap(&fn);
  if (fn.kind != JV_FUNCTION) {
    const char *name = n->lhs->kind == JA_VARIABLE || n->lhs->kind == JA_NAME ? n->lhs->text : NULL;
    return jx_throw(x, "T1006", name, NULL, NULL, 0);
  }
  int argc = first ? 1 : 0;
  for (const struct jn_ast *a = n->items; a; a = a->next) argc++;
  struct jv *args = arena_alloc(&x->arena, (size_t)(argc + 1) * sizeof *args);
  int i = 0;
  if (first) args[i++] = *first;
  for (const struct jn_ast *a = n->items; a; a = a->next) {
    if (!eval(ev, a, in, env, &args[i])) return false;
    args[i] = jv_unwrap(&args[i]);
    i++;
  }
  /* A built-in called with fewer arguments than it takes gets the context (the '-' of its signature). */
  if (fn.u.f->kind == 2 && argc == 0 && in->kind != JV_UNDEFINED) {
    args[0] = jv_unwrap(in);
    argc = 1;
  }
  return jx_apply(x, &fn, args, argc, out);
}

bool jn_truthy(const struct jv *v)
{
  switch (v->kind) {
  case JV_UNDEFINED: case JV_NULL: case JV_FUNCTION: return false;
  case JV_BOOL: return v->u.b;
  case JV_NUMBER: return v->u.n != 0;
  case JV_STRING: return v->u.s->len > 0;
  case JV_ARRAY:
    for (size_t i = 0; i < v->u.a->len; i++) if (jn_truthy(&v->u.a->items[i])) return true;
    return false;
  case JV_OBJECT: return v->u.o->len > 0;
  }
  return false;
}

static void push_flat(struct jn_ctx *x, struct jv *seq, const struct jv *v)
{
  if (v->kind == JV_UNDEFINED) return;
  if (v->kind == JV_ARRAY && !(v->u.a->flags & JVF_CONS)) {
    for (size_t i = 0; i < v->u.a->len; i++) push_flat(x, seq, &v->u.a->items[i]);
    return;
  }
  jv_push(x, seq, *v);
}

static struct jv field(struct jn_ctx *x, const struct jv *in, const char *name, size_t len)
{
  if (in->kind == JV_OBJECT) {
    const struct jv *v = jv_obj_get(in->u.o, name, len);
    return v ? *v : jv_undefined();
  }
  if (in->kind == JV_ARRAY) {
    struct jv seq = jv_array(x, in->u.a->len, JVF_SEQUENCE);
    for (size_t i = 0; i < in->u.a->len; i++) {
      struct jv v = field(x, &in->u.a->items[i], name, len);
      push_flat(x, &seq, &v);
    }
    return seq;
  }
  return jv_undefined();
}

static void descend(struct jn_ctx *x, const struct jv *in, struct jv *seq)
{
  if (in->kind != JV_ARRAY) jv_push(x, seq, *in);
  if (in->kind == JV_ARRAY)
    for (size_t i = 0; i < in->u.a->len; i++) descend(x, &in->u.a->items[i], seq);
  else if (in->kind == JV_OBJECT)
    for (size_t i = 0; i < in->u.o->len; i++) descend(x, &in->u.o->values[i], seq);
}

static bool eval_path(struct ev *ev, const struct jn_ast *n, const struct jv *in, struct scope *env, struct jv *out)
{
  struct jv l;
  /* processAST: a string literal as a step is a field name */
  if (n->lhs->kind == JA_STRING) l = field(ev->x, in, n->lhs->text, n->lhs->len);
  else if (!eval(ev, n->lhs, in, env, &l)) return false;
  struct jv items = l.kind == JV_ARRAY ? l : jv_as_array(ev->x, &l);
  struct jv seq = jv_array(ev->x, items.u.a->len, JVF_SEQUENCE);
  for (size_t i = 0; i < items.u.a->len; i++) {
    struct jv r;
    if (n->rhs->kind == JA_STRING) r = field(ev->x, &items.u.a->items[i], n->rhs->text, n->rhs->len);
    else if (!eval(ev, n->rhs, &items.u.a->items[i], env, &r)) return false;
    if (r.kind == JV_ARRAY && (r.u.a->flags & JVF_KEEP_SINGLETON)) seq.u.a->flags |= JVF_KEEP_SINGLETON;
    push_flat(ev->x, &seq, &r);
  }
  if (n->rhs->keep_array || (l.kind == JV_ARRAY && (l.u.a->flags & JVF_KEEP_SINGLETON)))
    seq.u.a->flags |= JVF_KEEP_SINGLETON;
  *out = seq;
  return true;
}

static bool eval_predicate(struct ev *ev, const struct jn_ast *n, const struct jv *in, struct scope *env, struct jv *out)
{
  struct jv l;
  if (!eval(ev, n->lhs, in, env, &l)) return false;
  l = jv_unwrap(&l);
  struct jv items = jv_as_array(ev->x, &l);
  struct jv seq = jv_array(ev->x, items.u.a->len, JVF_SEQUENCE);
  size_t cnt = items.u.a->len;
  for (size_t i = 0; i < cnt; i++) {
    struct jv *item = &items.u.a->items[i], r;
    if (!eval(ev, n->rhs, item, env, &r)) return false;
    r = jv_unwrap(&r);
    bool take = false;
    if (r.kind == JV_NUMBER) {
      double k = floor(r.u.n);
      if (k < 0) k += (double)cnt;
      take = k == (double)i;
    } else if (r.kind == JV_ARRAY && r.u.a->len && r.u.a->items[0].kind == JV_NUMBER) {
      for (size_t j = 0; j < r.u.a->len; j++) {
        if (r.u.a->items[j].kind != JV_NUMBER) continue;
        double k = floor(r.u.a->items[j].u.n);
        if (k < 0) k += (double)cnt;
        if (k == (double)i) take = true;
      }
    } else take = jn_truthy(&r);
    if (take) jv_push(ev->x, &seq, *item);
  }
  if (n->keep_array) seq.u.a->flags |= JVF_KEEP_SINGLETON;
  *out = seq;
  return true;
}

static int cmp_str(const struct jv *a, const struct jv *b)
{
  size_t m = a->u.s->len < b->u.s->len ? a->u.s->len : b->u.s->len;
  int c = memcmp(a->u.s->text, b->u.s->text, m);
  if (c) return c;
  return a->u.s->len < b->u.s->len ? -1 : a->u.s->len > b->u.s->len;
}

static bool to_string(struct jn_ctx *x, const struct jv *v, struct jv *out)
{
  if (v->kind == JV_UNDEFINED) { *out = jv_string(x, "", 0); return true; }
  if (v->kind == JV_STRING) { *out = *v; return true; }
  json_t *j = jv_to_json(v);
  char *t = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15)) : NULL;
  *out = jv_cstring(x, t ? t : "");
  free(t);
  json_decref(j);
  return true;
}

static bool eval_binary(struct ev *ev, const struct jn_ast *n, const struct jv *in, struct scope *env, struct jv *out)
{
  const char *op = n->op;
  struct jn_ctx *x = ev->x;
  if (!strcmp(op, ".")) return eval_path(ev, n, in, env, out);
  if (!strcmp(op, "~>")) {
    struct jv l;
    if (!eval(ev, n->lhs, in, env, &l)) return false;
    l = jv_unwrap(&l);
    if (n->rhs->kind == JA_CALL) return eval_call(ev, n->rhs, in, env, &l, out);
    struct jv f;
    if (!eval(ev, n->rhs, in, env, &f)) return false;
    f = jv_unwrap(&f);
    if (f.kind != JV_FUNCTION) return jx_throw(x, "T2006", NULL, &f, NULL, 0);
    return jx_apply(x, &f, &l, 1, out);
  }
  struct jv l, r;
  if (!eval(ev, n->lhs, in, env, &l)) return false;
  l = jv_unwrap(&l);
  if (!strcmp(op, "and") || !strcmp(op, "or")) {
    bool lt = jn_truthy(&l);
    if (op[0] == 'a' ? !lt : lt) { *out = jv_bool(lt); return true; }
    if (!eval(ev, n->rhs, in, env, &r)) return false;
    r = jv_unwrap(&r);
    *out = jv_bool(jn_truthy(&r));
    return true;
  }
  if (!eval(ev, n->rhs, in, env, &r)) return false;
  r = jv_unwrap(&r);
  if (strchr("+-*/%", op[0]) && !op[1]) {
    if (l.kind != JV_UNDEFINED && l.kind != JV_NUMBER) return jx_throw(x, "T2001", op, &l, NULL, 0);
    if (r.kind != JV_UNDEFINED && r.kind != JV_NUMBER) return jx_throw(x, "T2002", op, &r, NULL, 0);
    if (l.kind == JV_UNDEFINED || r.kind == JV_UNDEFINED) { *out = jv_undefined(); return true; }
    double a = l.u.n, b = r.u.n, v = 0;
    switch (op[0]) {
    case '+': v = a + b; break;
    case '-': v = a - b; break;
    case '*': v = a * b; break;
    case '/': v = a / b; break;
    case '%': v = fmod(a, b); break;
    }
    if (!isfinite(v)) return jx_throw(x, "D1001", NULL, NULL, NULL, 0);
    *out = jv_number(v);
    return true;
  }
  if (!strcmp(op, "=") || !strcmp(op, "!=")) {
    bool eq = l.kind != JV_UNDEFINED && r.kind != JV_UNDEFINED && jv_equal(&l, &r);
    *out = jv_bool(op[0] == '=' ? eq : (l.kind != JV_UNDEFINED && r.kind != JV_UNDEFINED && !eq));
    return true;
  }
  if (op[0] == '<' || op[0] == '>') {
    bool lok = l.kind == JV_UNDEFINED || l.kind == JV_NUMBER || l.kind == JV_STRING;
    bool rok = r.kind == JV_UNDEFINED || r.kind == JV_NUMBER || r.kind == JV_STRING;
    if (!lok || !rok) return jx_throw(x, "T2010", op, lok ? &r : &l, NULL, 0);
    if (l.kind == JV_UNDEFINED || r.kind == JV_UNDEFINED) { *out = jv_undefined(); return true; }
    if (l.kind != r.kind) return jx_throw(x, "T2009", op, &l, &r, 0);
    int c = l.kind == JV_NUMBER ? (l.u.n < r.u.n ? -1 : l.u.n > r.u.n) : cmp_str(&l, &r);
    bool v = op[0] == '<' ? (op[1] ? c <= 0 : c < 0) : (op[1] ? c >= 0 : c > 0);
    *out = jv_bool(v);
    return true;
  }
  if (!strcmp(op, "&")) {
    struct jv a, b;
    to_string(x, &l, &a);
    to_string(x, &r, &b);
    struct jv s = jv_string(x, "", 0);
    struct jv_str *p = arena_alloc(&x->arena, sizeof *p + a.u.s->len + b.u.s->len + 1);
    p->len = a.u.s->len + b.u.s->len;
    memcpy(p->text, a.u.s->text, a.u.s->len);
    memcpy(p->text + a.u.s->len, b.u.s->text, b.u.s->len);
    s.u.s = p;
    *out = s;
    return true;
  }
  if (!strcmp(op, "in")) {
    bool found = false;
    if (l.kind != JV_UNDEFINED && r.kind != JV_UNDEFINED) {
      struct jv a = jv_as_array(x, &r);
      for (size_t i = 0; i < a.u.a->len; i++) if (jv_equal(&l, &a.u.a->items[i])) found = true;
    }
    *out = jv_bool(found);
    return true;
  }
  if (!strcmp(op, "..")) {
    if (l.kind != JV_UNDEFINED && (l.kind != JV_NUMBER || l.u.n != floor(l.u.n))) return jx_throw(x, "T2003", NULL, &l, NULL, 0);
    if (r.kind != JV_UNDEFINED && (r.kind != JV_NUMBER || r.u.n != floor(r.u.n))) return jx_throw(x, "T2004", NULL, &r, NULL, 0);
    if (l.kind == JV_UNDEFINED || r.kind == JV_UNDEFINED || l.u.n > r.u.n) { *out = jv_undefined(); return true; }
    if (r.u.n - l.u.n + 1 > 1e7) return jx_throw(x, "D2014", NULL, NULL, NULL, 0);
    struct jv a = jv_array(x, (size_t)(r.u.n - l.u.n + 1), JVF_SEQUENCE);
    for (double d = l.u.n; d <= r.u.n; d++) jv_push(x, &a, jv_number(d));
    *out = a;
    return true;
  }
  return jx_throw_message(x, "U0000", "operator %s is not implemented yet", op);
}

/* lhs^(terms): a stable sort of lhs's items by the terms (T2007 mixed kinds, T2008 not
   strings or numbers). */
static bool sort_key(struct ev *ev, const struct jn_ast *t, const struct jv *item, struct scope *env, struct jv *k)
{
  if (!eval(ev, t->lhs, item, env, k)) return false;
  *k = jv_unwrap(k);
  if (k->kind != JV_UNDEFINED && k->kind != JV_NUMBER && k->kind != JV_STRING)
    return jx_throw(ev->x, "T2008", NULL, k, NULL, 0);
  return true;
}

static int sort_after(struct ev *ev, const struct jn_ast *n, const struct jv *a, const struct jv *b, struct scope *env)
{
  for (const struct jn_ast *t = n->items; t; t = t->next) {
    struct jv ka, kb;
    if (!sort_key(ev, t, a, env, &ka) || !sort_key(ev, t, b, env, &kb)) return -1;
    if (ka.kind == JV_UNDEFINED && kb.kind == JV_UNDEFINED) continue;
    if (kb.kind == JV_UNDEFINED) return 0;
    if (ka.kind == JV_UNDEFINED) return 1;
    if (ka.kind != kb.kind) { jx_throw(ev->x, "T2007", NULL, &ka, &kb, 0); return -1; }
    int c = ka.kind == JV_NUMBER ? (ka.u.n < kb.u.n ? -1 : ka.u.n > kb.u.n) : cmp_str(&ka, &kb);
    if (c == 0) continue;
    return t->descending ? c < 0 : c > 0;
  }
  return 0;
}

static bool eval_sort(struct ev *ev, const struct jn_ast *n, const struct jv *in, struct scope *env, struct jv *out)
{
  struct jv l;
  if (!eval(ev, n->lhs, in, env, &l)) return false;
  l = jv_unwrap(&l);
  struct jv src = jv_as_array(ev->x, &l);
  struct jv seq = jv_array(ev->x, src.u.a->len + 1, JVF_SEQUENCE);
  for (size_t i = 0; i < src.u.a->len; i++) {
    struct jv item = src.u.a->items[i];
    size_t j = seq.u.a->len;
    jv_push(ev->x, &seq, item);
    while (j > 0) { /* insertion sort: stable */
      int c = sort_after(ev, n, &seq.u.a->items[j - 1], &item, env);
      if (c < 0) return false;
      if (!c) break;
      seq.u.a->items[j] = seq.u.a->items[j - 1];
      seq.u.a->items[j - 1] = item;
      j--;
    }
  }
  *out = seq;
  return true;
}

/* lhs{key: value, ...}: groups lhs's items by each key, then evaluates each value on its group. */
static bool eval_group(struct ev *ev, const struct jn_ast *n, const struct jv *in, struct scope *env, struct jv *out)
{
  struct jn_ctx *x = ev->x;
  struct jv l;
  if (!eval(ev, n->lhs, in, env, &l)) return false;
  l = jv_unwrap(&l);
  struct jv src = jv_as_array(x, &l);
  struct jv groups = jv_object(x);    /* key -> sequence of items */
  struct jv which = jv_object(x);     /* key -> the index of its key/value pair (as a number) */
  for (size_t i = 0; i < src.u.a->len; i++) {
    struct jv *item = &src.u.a->items[i];
    int pair = 0;
    for (const struct jn_ast *k = n->items; k && k->next; k = k->next->next, pair++) {
      struct jv kv;
      if (!eval(ev, k, item, env, &kv)) return false;
      kv = jv_unwrap(&kv);
      if (kv.kind == JV_UNDEFINED) continue;
      if (kv.kind != JV_STRING) return jx_throw(x, "T1003", NULL, &kv, NULL, 0);
      const struct jv *g = jv_obj_get(groups.u.o, kv.u.s->text, kv.u.s->len);
      if (g) {
        const struct jv *w = jv_obj_get(which.u.o, kv.u.s->text, kv.u.s->len);
        if (w->u.n != pair) return jx_throw(x, "D1009", kv.u.s->text, NULL, NULL, 0);
        struct jv gg = *g;
        jv_push(x, &gg, *item);
      } else {
        struct jv gg = jv_array(x, 2, JVF_SEQUENCE);
        jv_push(x, &gg, *item);
        jv_obj_set(x, groups.u.o, kv.u.s->text, kv.u.s->len, gg);
        jv_obj_set(x, which.u.o, kv.u.s->text, kv.u.s->len, jv_number(pair));
      }
    }
  }
  struct jv o = jv_object(x);
  for (size_t i = 0; i < jv_obj_len(groups.u.o); i++) {
    const struct jv_str *key = jv_obj_key(groups.u.o, i);
    int pair = (int)jv_obj_value(which.u.o, i)->u.n;
    const struct jn_ast *k = n->items;
    while (pair--) k = k->next->next;
    struct jv ctx = jv_unwrap(jv_obj_value(groups.u.o, i)), v;
    if (!eval(ev, k->next, &ctx, env, &v)) return false;
    v = jv_unwrap(&v);
    if (v.kind != JV_UNDEFINED) jv_obj_set(x, o.u.o, key->text, key->len, v);
  }
  *out = o;
  return true;
}

static bool eval(struct ev *ev, const struct jn_ast *n, const struct jv *in, struct scope *env, struct jv *out)
{
  struct jn_ctx *x = ev->x;
  if (++ev->depth > ev->max_depth) return jx_throw(x, "U1001", NULL, NULL, NULL, 0);
  bool ok = true;
  *out = jv_undefined();
  switch (n->kind) {
  case JA_NUMBER: *out = jv_number(n->number); break;
  case JA_STRING: *out = jv_string(x, n->text, n->len); break;
  case JA_TRUE: *out = jv_bool(true); break;
  case JA_FALSE: *out = jv_bool(false); break;
  case JA_NULL: *out = jv_null(); break;
  case JA_NAME: *out = field(x, in, n->text, n->len); break;
  case JA_VARIABLE:
    if (n->len == 0) {
      *out = in->kind == JV_ARRAY && (in->u.a->flags & JVF_OUTER_WRAPPER) && in->u.a->len == 1 ? in->u.a->items[0] : *in;
      break;
    }
    if (n->len == 1 && n->text[0] == '$') {
      const struct jv *r = &ev->root;
      *out = r->kind == JV_ARRAY && (r->u.a->flags & JVF_OUTER_WRAPPER) ? r->u.a->items[0] : *r;
      break;
    }
    for (struct scope *sc = env; sc; sc = sc->parent)
    for (struct frame *f = sc->vars; f; f = f->next)
      if (f->len == n->len && !memcmp(f->name, n->text, n->len)) { *out = f->value; goto done; }
    {
      const struct jn_builtin *b = jn_builtin_find(n->text, n->len);
      if (b) {
        struct jv_fn *fv = NEW(&x->arena, struct jv_fn);
        fv->kind = 2;
        fv->builtin = b;
        out->kind = JV_FUNCTION;
        out->u.f = fv;
      }
    }
    break;
  case JA_WILDCARD: {
    struct jv seq = jv_array(x, 4, JVF_SEQUENCE);
    struct jv items = jv_as_array(x, in);
    for (size_t i = 0; i < items.u.a->len; i++) {
      struct jv *it = &items.u.a->items[i];
      if (it->kind == JV_OBJECT)
        for (size_t k = 0; k < it->u.o->len; k++) push_flat(x, &seq, &it->u.o->values[k]);
    }
    *out = seq;
    break;
  }
  case JA_DESCENDANT: {
    struct jv seq = jv_array(x, 4, JVF_SEQUENCE);
    descend(x, in, &seq);
    *out = seq;
    break;
  }
  case JA_NEGATE: {
    struct jv v;
    if (!(ok = eval(ev, n->lhs, in, env, &v))) break;
    v = jv_unwrap(&v);
    if (v.kind == JV_UNDEFINED) break;
    if (v.kind != JV_NUMBER) { ok = jx_throw(x, "D1002", "-", &v, NULL, 0); break; }
    *out = jv_number(-v.u.n);
    break;
  }
  case JA_BINARY: ok = eval_binary(ev, n, in, env, out); break;
  case JA_PREDICATE: ok = eval_predicate(ev, n, in, env, out); break;
  case JA_ARRAY: {
    struct jv a = jv_array(x, 4, JVF_CONS);
    for (const struct jn_ast *it = n->items; it && ok; it = it->next) {
      struct jv v;
      if (!(ok = eval(ev, it, in, env, &v))) break;
      v = jv_unwrap(&v);
      if (v.kind == JV_UNDEFINED) continue;
      if (v.kind == JV_ARRAY && !(it->kind == JA_ARRAY)) {
        for (size_t i = 0; i < v.u.a->len; i++) jv_push(x, &a, v.u.a->items[i]);
      } else jv_push(x, &a, v);
    }
    *out = a;
    break;
  }
  case JA_OBJECT: {
    struct jv o = jv_object(x);
    for (const struct jn_ast *k = n->items; k && k->next && ok; k = k->next->next) {
      struct jv kv, vv;
      if (!(ok = eval(ev, k, in, env, &kv))) break;
      kv = jv_unwrap(&kv);
      if (kv.kind != JV_STRING) { ok = jx_throw(x, "T1003", NULL, &kv, NULL, 0); break; }
      if (!(ok = eval(ev, k->next, in, env, &vv))) break;
      vv = jv_unwrap(&vv);
      if (vv.kind != JV_UNDEFINED) jv_obj_set(x, o.u.o, kv.u.s->text, kv.u.s->len, vv);
    }
    *out = o;
    break;
  }
  case JA_BLOCK: {
    struct scope *inner = new_scope(x, env);
    for (const struct jn_ast *it = n->items; it && ok; it = it->next) ok = eval(ev, it, in, inner, out);
    break;
  }
  case JA_BIND: {
    struct jv v;
    if (!(ok = eval(ev, n->rhs, in, env, &v))) break;
    env->vars = bind(x, env->vars, n->lhs->text, n->lhs->len, v);
    *out = v;
    break;
  }
  case JA_CONDITION: {
    struct jv c;
    if (!(ok = eval(ev, n->lhs, in, env, &c))) break;
    c = jv_unwrap(&c);
    if (jn_truthy(&c)) ok = eval(ev, n->rhs, in, env, out);
    else if (n->third) ok = eval(ev, n->third, in, env, out);
    break;
  }
  case JA_LAMBDA: {
    struct jv_fn *fv = NEW(&x->arena, struct jv_fn);
    fv->kind = 1;
    fv->lambda = n;
    fv->closure = env;
    fv->input = *in;
    out->kind = JV_FUNCTION;
    out->u.f = fv;
    break;
  }
  case JA_SORT: ok = eval_sort(ev, n, in, env, out); break;
  case JA_GROUP: ok = eval_group(ev, n, in, env, out); break;
  case JA_CALL: ok = eval_call(ev, n, in, env, NULL, out); break;
  case JA_PARTIAL: {
    struct jv fn;
    if (!(ok = eval(ev, n->lhs, in, env, &fn))) break;
    fn = jv_unwrap(&fn);
    if (fn.kind != JV_FUNCTION) {
      ok = jx_throw(x, "T1008", n->lhs->kind == JA_VARIABLE ? n->lhs->text : NULL, NULL, NULL, 0);
      break;
    }
    int argc = 0;
    for (const struct jn_ast *a = n->items; a; a = a->next) argc++;
    struct jv_fn *fv = NEW(&x->arena, struct jv_fn);
    fv->kind = 3;
    fv->target = fn;
    fv->nbound = argc;
    fv->bound = arena_alloc(&x->arena, (size_t)(argc + 1) * sizeof *fv->bound);
    fv->hole = arena_alloc(&x->arena, (size_t)(argc + 1) * sizeof *fv->hole);
    int i = 0;
    for (const struct jn_ast *a = n->items; a && ok; a = a->next, i++) {
      if (a->kind == JA_PLACEHOLDER) { fv->hole[i] = true; continue; }
      ok = eval(ev, a, in, env, &fv->bound[i]);
      fv->bound[i] = jv_unwrap(&fv->bound[i]);
    }
    out->kind = JV_FUNCTION;
    out->u.f = fv;
    break;
  }
  default:
    ok = jx_throw_message(x, "U0000", "this kind of expression is not implemented yet");
  }
  if (ok && n->keep_array && n->kind != JA_PREDICATE) {
    /* a step followed by []: its result stays an array */
    struct jv seq = jv_array(x, 2, JVF_SEQUENCE | JVF_KEEP_SINGLETON);
    push_flat(x, &seq, out);
    *out = seq;
  }
done:
  ev->depth--;
  return ok;
}

bool jsonata_evaluate(const struct jn_expr *e, json_t *input, const struct jn_options *o, json_t **out,
                      struct jn_error *err)
{
  *out = NULL;
  memset(err, 0, sizeof *err);
  struct jn_ctx x;
  memset(&x, 0, sizeof x);
  x.err = err;
  x.now_ms = o ? o->now_ms : 0;
  struct ev ev = {0};
  ev.x = &x;
  ev.max_depth = o && o->max_depth ? o->max_depth : 1000;
  struct jv in = input ? jv_from_json(&x, input) : jv_undefined();
  if (in.kind == JV_ARRAY) {
    struct jv w = jv_array(&x, 1, JVF_SEQUENCE | JVF_OUTER_WRAPPER);
    jv_push(&x, &w, in);
    in = w;
  }
  ev.root = in;
  struct scope *env = new_scope(&x, NULL);
  if (o && o->bindings) {
    const char *k;
    size_t klen;
    json_t *m;
    json_object_keylen_foreach(o->bindings, k, klen, m) {
      struct frame *f = NEW(&x.arena, struct frame);
      f->name = k;
      f->len = klen;
      f->value = jv_from_json(&x, m);
      f->next = env->vars;
      env->vars = f;
    }
  }
  struct jv r;
  struct ev *saved_ev = current_ev;
  current_ev = &ev;
  bool ok = eval(&ev, e->tree, &in, env, &r);
  current_ev = saved_ev;
  if (ok) {
    r = jv_unwrap(&r);
    *out = jv_to_json(&r);
  }
  arena_free(&x.arena);
  return ok;
}

struct jv jv_deep_copy(struct jn_ctx *x, const struct jv *v)
{
  struct jv c = *v;
  if (v->kind == JV_ARRAY) {
    c = jv_array(x, v->u.a->len, v->u.a->flags);
    for (size_t i = 0; i < v->u.a->len; i++) jv_push(x, &c, jv_deep_copy(x, &v->u.a->items[i]));
  } else if (v->kind == JV_OBJECT) {
    c = jv_object(x);
    for (size_t i = 0; i < v->u.o->len; i++)
      jv_obj_set(x, c.u.o, v->u.o->keys[i]->text, v->u.o->keys[i]->len, jv_deep_copy(x, &v->u.o->values[i]));
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
