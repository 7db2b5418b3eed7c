#include "jsonata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jsonata_seq.c: the array, object, aggregate, boolean and higher-order functions of
   JSONata 2.0.6, as the reference's functions.js has them. The arguments were already
   validated against each function's signature (jsonata_fn.c): an 'a' parameter holds
   an array or undefined, a parameter left out is undefined or past ARGC. Results the
   reference builds with createSequence are JVF_SEQUENCE arrays (a singleton is its
   item, an empty one undefined, once the evaluator unwraps them); the rest are plain. */

static struct jv arg_at(const struct jv *args, int argc, int i)
{
  return i < argc ? args[i] : jv_undefined();
}

static bool is_undefined(const struct jv *v) { return v->kind == JV_UNDEFINED; }

static size_t len_of(const struct jv *array) { return array->kind == JV_ARRAY ? array->u.a->len : 0; }

static struct jv *item_of(const struct jv *array, size_t i) { return &array->u.a->items[i]; }

/* The reference's boolean(). A function handed to a function arrives wrapped in a
   JavaScript closure, which is false; a function inside an array (or returned by a
   function) is the reference's function object, a non-empty object, so true, except a
   regular expression, which is a closure wherever it is. */
static bool boolean_of(const struct jv *v, bool wrapped)
{
  switch (v->kind) {
  case JV_FUNCTION: return !wrapped && !jx_regex(v);
  case JV_ARRAY:
    for (size_t i = 0; i < v->u.a->len; i++)
      if (boolean_of(&v->u.a->items[i], false)) return true;
    return false;
  default: return jn_truthy(v);
  }
}

/* JavaScript's truthiness, which $sort applies to what its comparator returns. */
static bool js_truthy(const struct jv *v)
{
  switch (v->kind) {
  case JV_UNDEFINED: case JV_NULL: return false;
  case JV_BOOL: return v->u.b;
  case JV_NUMBER: return v->u.n != 0 && !isnan(v->u.n);
  case JV_STRING: return v->u.s->len > 0;
  default: return true;
  }
}

/* ---------------------------------------------------------------- aggregates */

bool jn_fn_count(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  (void)x;
  struct jv a = arg_at(args, argc, 0);
  *out = jv_number((double)len_of(&a));
  return true;
}

bool jn_fn_sum(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  (void)x;
  struct jv a = arg_at(args, argc, 0);
  *out = jv_undefined();
  if (is_undefined(&a)) return true;
  double total = 0;
  for (size_t i = 0; i < len_of(&a); i++) total += item_of(&a, i)->u.n;
  *out = jv_number(total);
  return true;
}

/* Math.max / Math.min: NaN wins, and +0 is above -0. */
static bool extreme(struct jv *args, int argc, struct jv *out, bool max)
{
  struct jv a = arg_at(args, argc, 0);
  *out = jv_undefined();
  if (len_of(&a) == 0) return true;
  double r = max ? -INFINITY : INFINITY;
  for (size_t i = 0; i < len_of(&a); i++) {
    double v = item_of(&a, i)->u.n;
    if (isnan(v)) { r = v; break; }
    if (max ? (v > r || (v == 0 && r == 0 && !signbit(v))) : (v < r || (v == 0 && r == 0 && signbit(v)))) r = v;
  }
  *out = jv_number(r);
  return true;
}

bool jn_fn_max(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  (void)x;
  return extreme(args, argc, out, true);
}

bool jn_fn_min(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  (void)x;
  return extreme(args, argc, out, false);
}

bool jn_fn_average(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  (void)x;
  struct jv a = arg_at(args, argc, 0);
  *out = jv_undefined();
  if (len_of(&a) == 0) return true;
  double total = 0;
  for (size_t i = 0; i < len_of(&a); i++) total += item_of(&a, i)->u.n;
  *out = jv_number(total / (double)len_of(&a));
  return true;
}

/* ---------------------------------------------------------------- arrays */

/* Array.prototype.concat of A and B: a new plain array. */
static struct jv concat(struct jn_ctx *x, const struct jv *a, const struct jv *b)
{
  struct jv r = jv_array(x, len_of(a) + len_of(b), 0);
  for (size_t i = 0; i < len_of(a); i++) jv_push(x, &r, *item_of(a, i));
  for (size_t i = 0; i < len_of(b); i++) jv_push(x, &r, *item_of(b, i));
  return r;
}

/* The reference's append(): undefined is ignored, anything else made an array. */
static struct jv append(struct jn_ctx *x, const struct jv *a, const struct jv *b)
{
  if (is_undefined(a)) return *b;
  if (is_undefined(b)) return *a;
  struct jv aa = jv_as_array(x, a), bb = jv_as_array(x, b);
  return concat(x, &aa, &bb);
}

bool jn_fn_append(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0), b = arg_at(args, argc, 1);
  *out = append(x, &a, &b);
  return true;
}

bool jn_fn_reverse(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0);
  *out = a;
  if (is_undefined(&a) || len_of(&a) <= 1) return true;
  size_t n = len_of(&a);
  *out = jv_array(x, n, 0);
  for (size_t i = 0; i < n; i++) jv_push(x, out, *item_of(&a, n - 1 - i));
  return true;
}

bool jn_fn_shuffle(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0);
  *out = a;
  if (is_undefined(&a) || len_of(&a) <= 1) return true;
  struct rt_random fixed, *random = x->random;
  if (!random) { /* no source given: the same order every time */
    rt_random_seed(&fixed, 0x5eed5eedu);
    random = &fixed;
  }
  size_t n = len_of(&a);
  struct jv r = jv_array(x, n, 0);
  r.u.a->len = n;
  struct jv *items = r.u.a->items;
  /* the inside-out Fisher-Yates shuffle, as the reference draws it */
  for (size_t i = 0; i < n; i++) {
    size_t j = (size_t)floor(rt_random_unit(random) * (double)(i + 1));
    if (j > i) j = i;
    if (i != j) items[i] = items[j];
    items[j] = *item_of(&a, i);
  }
  *out = r;
  return true;
}

bool jn_fn_distinct(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0);
  *out = a;
  if (a.kind != JV_ARRAY || a.u.a->len <= 1) return true;
  struct jv r = jv_array(x, a.u.a->len, a.u.a->flags & JVF_SEQUENCE);
  for (size_t i = 0; i < a.u.a->len; i++) {
    bool seen = false;
    for (size_t j = 0; j < r.u.a->len && !seen; j++) seen = jv_equal(item_of(&a, i), item_of(&r, j));
    if (!seen) jv_push(x, &r, *item_of(&a, i));
  }
  *out = r;
  return true;
}

/* The next UTF-16 code unit of the UTF-8 text at *P (before END), as JavaScript
   compares strings; *PENDING holds the low surrogate of a pair. */
static unsigned next_unit(const unsigned char **p, const unsigned char *end, unsigned *pending)
{
  if (*pending) {
    unsigned u = *pending;
    *pending = 0;
    return u;
  }
  const unsigned char *s = *p;
  unsigned c = *s++;
  int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (more) c &= 0x3Fu >> more;
  while (more-- > 0 && s < end) c = c << 6 | (*s++ & 0x3Fu);
  *p = s;
  if (c >= 0x10000) {
    c -= 0x10000;
    *pending = 0xDC00 + (c & 0x3FF);
    return 0xD800 + (c >> 10);
  }
  return c;
}

static int compare_strings(const struct jv_str *a, const struct jv_str *b)
{
  const unsigned char *p = (const unsigned char *)a->text, *pe = p + a->len;
  const unsigned char *q = (const unsigned char *)b->text, *qe = q + b->len;
  unsigned pa = 0, pb = 0;
  while ((p < pe || pa) && (q < qe || pb)) {
    unsigned ua = next_unit(&p, pe, &pa), ub = next_unit(&q, qe, &pb);
    if (ua != ub) return ua < ub ? -1 : 1;
  }
  if (p < pe || pa) return 1;
  if (q < qe || pb) return -1;
  return 0;
}

/* The default order: a > b on numbers or on strings. */
static int default_after(struct jn_ctx *x, const struct jv *a, const struct jv *b, void *ctx)
{
  (void)x; (void)ctx;
  if (a->kind == JV_NUMBER) return a->u.n > b->u.n;
  return compare_strings(a->u.s, b->u.s) > 0;
}

static int comparator_after(struct jn_ctx *x, const struct jv *a, const struct jv *b, void *ctx)
{
  struct jv pair[2] = {*a, *b}, r;
  if (!jx_apply(x, ctx, pair, 2, &r)) return -1;
  return js_truthy(&r);
}

bool jn_fn_sort(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0), fn = arg_at(args, argc, 1);
  *out = a;
  if (is_undefined(&a) || len_of(&a) <= 1) return true;
  size_t n = len_of(&a);
  if (is_undefined(&fn)) {
    bool numbers = true, strings = true;
    for (size_t i = 0; i < n; i++) {
      numbers = numbers && item_of(&a, i)->kind == JV_NUMBER;
      strings = strings && item_of(&a, i)->kind == JV_STRING;
    }
    if (!numbers && !strings) return jx_throw(x, "D3070", NULL, NULL, NULL, 1);
  }
  struct jv r = concat(x, &a, &(struct jv){JV_UNDEFINED, {0}});
  if (!jn_merge_sort(x, r.u.a->items, n, is_undefined(&fn) ? default_after : comparator_after, &fn)) return false;
  *out = r;
  return true;
}

bool jn_fn_zip(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  size_t n = SIZE_MAX;
  for (int i = 0; i < argc; i++) {
    size_t l = len_of(&args[i]);
    if (l < n) n = l;
  }
  if (argc == 0) n = 0;
  *out = jv_array(x, n, 0);
  for (size_t k = 0; k < n; k++) {
    struct jv tuple = jv_array(x, (size_t)argc, 0);
    for (int i = 0; i < argc; i++) jv_push(x, &tuple, *item_of(&args[i], k));
    jv_push(x, out, tuple);
  }
  return true;
}

/* ---------------------------------------------------------------- objects */

/* The keys of V pushed to the sequence KEYS, each once: an object's own, an array's
   items' (recursively). */
static void keys_into(struct jn_ctx *x, const struct jv *v, struct jv *keys)
{
  if (v->kind == JV_ARRAY) {
    for (size_t i = 0; i < v->u.a->len; i++) keys_into(x, item_of(v, i), keys);
  } else if (v->kind == JV_OBJECT) {
    for (size_t i = 0; i < jv_obj_len(v->u.o); i++) {
      const struct jv_str *k = jv_obj_key(v->u.o, i);
      bool seen = false;
      for (size_t j = 0; j < keys->u.a->len && !seen; j++)
        seen = item_of(keys, j)->u.s->len == k->len && !memcmp(item_of(keys, j)->u.s->text, k->text, k->len);
      if (!seen) jv_push(x, keys, jv_string(x, k->text, k->len));
    }
  }
}

bool jn_fn_keys(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0);
  *out = jv_array(x, 0, JVF_SEQUENCE);
  keys_into(x, &a, out);
  return true;
}

static struct jv lookup(struct jn_ctx *x, const struct jv *v, const struct jv_str *key)
{
  if (v->kind == JV_ARRAY) {
    struct jv r = jv_array(x, v->u.a->len, JVF_SEQUENCE);
    for (size_t i = 0; i < v->u.a->len; i++) {
      struct jv one = lookup(x, item_of(v, i), key);
      if (one.kind == JV_ARRAY)
        for (size_t j = 0; j < one.u.a->len; j++) jv_push(x, &r, *item_of(&one, j));
      else if (!is_undefined(&one))
        jv_push(x, &r, one);
    }
    return r;
  }
  if (v->kind == JV_OBJECT) {
    const struct jv *w = jv_obj_get(v->u.o, key->text, key->len);
    if (w) return *w;
  }
  return jv_undefined();
}

bool jn_fn_lookup(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0), key = arg_at(args, argc, 1);
  *out = jv_undefined();
  if (key.kind != JV_STRING) { /* undefined: the reference looks up "undefined" */
    key = jv_cstring(x, "undefined");
  }
  *out = lookup(x, &a, key.u.s);
  return true;
}

static struct jv spread(struct jn_ctx *x, const struct jv *v)
{
  if (v->kind == JV_ARRAY) {
    struct jv r = jv_array(x, 0, JVF_SEQUENCE);
    for (size_t i = 0; i < v->u.a->len; i++) {
      struct jv one = spread(x, item_of(v, i));
      r = append(x, &r, &one);
    }
    return r;
  }
  if (v->kind == JV_OBJECT) {
    struct jv r = jv_array(x, jv_obj_len(v->u.o), JVF_SEQUENCE);
    for (size_t i = 0; i < jv_obj_len(v->u.o); i++) {
      struct jv one = jv_object(x);
      const struct jv_str *k = jv_obj_key(v->u.o, i);
      jv_obj_set(x, one.u.o, k->text, k->len, *jv_obj_value(v->u.o, i));
      jv_push(x, &r, one);
    }
    return r;
  }
  return *v;
}

bool jn_fn_spread(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0);
  *out = spread(x, &a);
  return true;
}

bool jn_fn_merge(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0);
  *out = jv_undefined();
  if (is_undefined(&a)) return true;
  *out = jv_object(x);
  for (size_t i = 0; i < len_of(&a); i++) {
    const struct jv *o = item_of(&a, i);
    if (o->kind != JV_OBJECT) continue;
    for (size_t k = 0; k < jv_obj_len(o->u.o); k++) {
      const struct jv_str *key = jv_obj_key(o->u.o, k);
      jv_obj_set(x, out->u.o, key->text, key->len, *jv_obj_value(o->u.o, k));
    }
  }
  return true;
}

/* ---------------------------------------------------------------- higher-order functions */

/* Calls FN with VALUE, and with POSITION and WHOLE when it takes them (hofFuncArgs). */
static bool call_hof(struct jn_ctx *x, const struct jv *fn, struct jv value, struct jv position, struct jv whole,
                     struct jv *out)
{
  struct jv call[3] = {value, position, whole};
  int arity = jx_arity(fn);
  return jx_apply(x, fn, call, arity >= 3 ? 3 : arity >= 2 ? 2 : 1, out);
}

bool jn_fn_each(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv o = arg_at(args, argc, 0), fn = arg_at(args, argc, 1);
  *out = jv_array(x, 0, JVF_SEQUENCE);
  if (o.kind != JV_OBJECT) return true;
  for (size_t i = 0; i < jv_obj_len(o.u.o); i++) {
    const struct jv_str *k = jv_obj_key(o.u.o, i);
    struct jv r;
    if (!call_hof(x, &fn, *jv_obj_value(o.u.o, i), jv_string(x, k->text, k->len), o, &r)) return false;
    if (!is_undefined(&r)) jv_push(x, out, r);
  }
  return true;
}

bool jn_fn_sift(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv o = arg_at(args, argc, 0), fn = arg_at(args, argc, 1);
  *out = jv_undefined();
  if (o.kind != JV_OBJECT) return true;
  struct jv r = jv_object(x);
  for (size_t i = 0; i < jv_obj_len(o.u.o); i++) {
    const struct jv_str *k = jv_obj_key(o.u.o, i);
    struct jv keep;
    if (!call_hof(x, &fn, *jv_obj_value(o.u.o, i), jv_string(x, k->text, k->len), o, &keep)) return false;
    if (boolean_of(&keep, false)) jv_obj_set(x, r.u.o, k->text, k->len, *jv_obj_value(o.u.o, i));
  }
  if (jv_obj_len(r.u.o) > 0) *out = r;
  return true;
}

bool jn_fn_map(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0), fn = arg_at(args, argc, 1);
  *out = jv_undefined();
  if (is_undefined(&a)) return true;
  struct jv r = jv_array(x, len_of(&a), JVF_SEQUENCE);
  for (size_t i = 0; i < len_of(&a); i++) {
    struct jv one;
    if (!call_hof(x, &fn, *item_of(&a, i), jv_number((double)i), a, &one)) return false;
    if (!is_undefined(&one)) jv_push(x, &r, one);
  }
  *out = r;
  return true;
}

bool jn_fn_filter(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0), fn = arg_at(args, argc, 1);
  *out = jv_undefined();
  if (is_undefined(&a)) return true;
  struct jv r = jv_array(x, len_of(&a), JVF_SEQUENCE);
  for (size_t i = 0; i < len_of(&a); i++) {
    struct jv keep;
    if (!call_hof(x, &fn, *item_of(&a, i), jv_number((double)i), a, &keep)) return false;
    if (boolean_of(&keep, false)) jv_push(x, &r, *item_of(&a, i));
  }
  *out = r;
  return true;
}

bool jn_fn_single(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0), fn = arg_at(args, argc, 1);
  *out = jv_undefined();
  if (is_undefined(&a)) return true;
  bool found = false;
  for (size_t i = 0; i < len_of(&a); i++) {
    bool match = true;
    if (!is_undefined(&fn)) {
      struct jv r;
      if (!call_hof(x, &fn, *item_of(&a, i), jv_number((double)i), a, &r)) return false;
      match = boolean_of(&r, false);
    }
    if (!match) continue;
    if (found) return jx_throw(x, "D3138", NULL, NULL, NULL, (int)i);
    *out = *item_of(&a, i);
    found = true;
  }
  if (!found) return jx_throw(x, "D3139", NULL, NULL, NULL, 0);
  return true;
}

bool jn_fn_reduce(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv a = arg_at(args, argc, 0), fn = arg_at(args, argc, 1), init = arg_at(args, argc, 2);
  *out = jv_undefined();
  if (is_undefined(&a)) return true;
  int arity = jx_arity(&fn);
  if (arity < 2) return jx_throw(x, "D3050", NULL, NULL, NULL, 1);
  size_t i = 0, n = len_of(&a);
  struct jv acc = init;
  if (is_undefined(&init) && n > 0) acc = *item_of(&a, i++);
  for (; i < n; i++) {
    struct jv call[4] = {acc, *item_of(&a, i), jv_number((double)i), a};
    if (!jx_apply(x, &fn, call, arity >= 4 ? 4 : arity, &acc)) return false;
  }
  *out = acc;
  return true;
}

/* ---------------------------------------------------------------- the rest */

bool jn_fn_type(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  static const char *const names[] = {
    [JV_NULL] = "null", [JV_BOOL] = "boolean", [JV_NUMBER] = "number", [JV_STRING] = "string",
    [JV_ARRAY] = "array", [JV_OBJECT] = "object", [JV_FUNCTION] = "function",
  };
  struct jv v = arg_at(args, argc, 0);
  *out = is_undefined(&v) ? jv_undefined() : jv_cstring(x, names[v.kind]);
  return true;
}

bool jn_fn_error(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv m = arg_at(args, argc, 0);
  *out = jv_undefined();
  if (m.kind == JV_STRING && m.u.s->len > 0) return jx_throw_message(x, "D3137", "%s", m.u.s->text);
  return jx_throw_message(x, "D3137", "$error() function evaluated");
}

bool jn_fn_assert(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv c = arg_at(args, argc, 0), m = arg_at(args, argc, 1);
  *out = jv_undefined();
  if (c.kind == JV_BOOL && c.u.b) return true;
  if (m.kind == JV_STRING && m.u.s->len > 0) return jx_throw_message(x, "D3141", "%s", m.u.s->text);
  return jx_throw_message(x, "D3141", "$assert() statement failed");
}

bool jn_fn_boolean(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  (void)x;
  struct jv v = arg_at(args, argc, 0);
  *out = is_undefined(&v) ? jv_undefined() : jv_bool(boolean_of(&v, true));
  return true;
}

bool jn_fn_not(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  (void)x;
  struct jv v = arg_at(args, argc, 0);
  *out = is_undefined(&v) ? jv_undefined() : jv_bool(!boolean_of(&v, true));
  return true;
}

bool jn_fn_exists(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  (void)x;
  struct jv v = arg_at(args, argc, 0);
  *out = jv_bool(!is_undefined(&v));
  return true;
}

/* What JSON.parse(JSON.stringify(V)) gives with $string's replacer: numbers to 15
   significant digits, functions as "", undefined members dropped, undefined items and
   infinite numbers null. */
static struct jv clone_as_json(struct jn_ctx *x, const struct jv *v)
{
  switch (v->kind) {
  case JV_NUMBER: {
    if (!isfinite(v->u.n)) return jv_null();
    char text[40];
    snprintf(text, sizeof text, "%.15g", v->u.n);
    return jv_number(strtod(text, NULL) + 0.0); /* + 0.0: JSON has no -0 */
  }
  case JV_FUNCTION: return jv_cstring(x, "");
  case JV_UNDEFINED: return jv_null();
  case JV_ARRAY: {
    struct jv r = jv_array(x, v->u.a->len, 0);
    for (size_t i = 0; i < v->u.a->len; i++) jv_push(x, &r, clone_as_json(x, item_of(v, i)));
    return r;
  }
  case JV_OBJECT: {
    struct jv r = jv_object(x);
    for (size_t i = 0; i < jv_obj_len(v->u.o); i++) {
      const struct jv *w = jv_obj_value(v->u.o, i);
      if (is_undefined(w)) continue;
      const struct jv_str *k = jv_obj_key(v->u.o, i);
      jv_obj_set(x, r.u.o, k->text, k->len, clone_as_json(x, w));
    }
    return r;
  }
  default: return *v;
  }
}

bool jn_fn_clone(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  struct jv v = arg_at(args, argc, 0);
  *out = jv_undefined();
  if (is_undefined(&v)) return true;
  if (v.kind == JV_ARRAY && (v.u.a->flags & JVF_OUTER_WRAPPER) && v.u.a->len > 0) v = *item_of(&v, 0);
  *out = clone_as_json(x, &v);
  return true;
}
