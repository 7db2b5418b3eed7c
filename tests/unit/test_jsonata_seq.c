/* test_jsonata_seq.c - direct calls of the signature validation (runtime/jsonata_fn.c)
   and of the array functions (runtime/jsonata_seq.c), for the cases where what the
   reference does is easy to get wrong: which argument an optional parameter takes,
   where the context goes, the index and message of T0410/T0411/T0412, the sequences
   and plain arrays each function returns. The expected values are jsonata-js 2.0.6's. */
#include "jsonata.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;
static struct jn_ctx *x;
static struct jn_error err;

#define CHECK(cond, ...)                                                \
  do {                                                                  \
    checks++;                                                           \
    if (!(cond)) {                                                      \
      failures++;                                                       \
      printf("FAIL %s:%d: ", __FILE__, __LINE__);                       \
      printf(__VA_ARGS__);                                              \
      printf("\n");                                                     \
    }                                                                   \
  } while (0)

/* A value from JSON text; "undefined" for undefined. */
static struct jv val(const char *json)
{
  if (!strcmp(json, "undefined")) return jv_undefined();
  json_error_t e;
  json_t *j = json_loads(json, JSON_DECODE_ANY, &e);
  if (!j) { printf("bad JSON in test: %s\n", json); exit(2); }
  struct jv v = jv_from_json(x, j);
  json_decref(j);
  return v;
}

/* V as JSON text, items that are undefined as "undefined", sequences marked "seq". */
static void show(const struct jv *v, struct buf *b)
{
  if (v->kind == JV_UNDEFINED) { buf_add(b, "undefined", 9); return; }
  if (v->kind == JV_ARRAY) {
    if (v->u.a->flags & JVF_SEQUENCE) buf_add(b, "seq", 3);
    buf_add(b, "[", 1);
    for (size_t i = 0; i < v->u.a->len; i++) {
      if (i) buf_add(b, ",", 1);
      show(&v->u.a->items[i], b);
    }
    buf_add(b, "]", 1);
    return;
  }
  json_t *j = jv_to_json(v);
  char *t = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  if (t) buf_add(b, t, strlen(t));
  else buf_add(b, "?", 1);
  free(t);
  json_decref(j);
}

static char *text(const struct jv *v, int n)
{
  struct buf b = {0};
  for (int i = 0; i < n; i++) {
    if (i) buf_add(&b, " ", 1);
    show(&v[i], &b);
  }
  buf_add(&b, "", 1);
  return b.data;
}

static char *error_text(void)
{
  jn_ctx_error(x);
  size_t n = strlen(err.code) + strlen(err.message ? err.message : "") + 3;
  char *t = xmalloc(n);
  snprintf(t, n, "%s: %s", err.code, err.message ? err.message : "");
  return t;
}

/* Validates ARGS (JSON texts, NARGS of them) against SIG with CONTEXT and compares the
   arguments passed on, or the error, with WANT ("CODE: message" for an error). */
static void sig(const char *signature, const char *context, const char *want, int nargs, ...)
{
  const char *why;
  struct jn_sig *s = jn_sig_parse(&x->arena, signature, strlen(signature), &why);
  if (!s) { CHECK(!strcmp(want, why), "%s: parse: got %s, want %s", signature, why, want); return; }
  struct jv args[8], ctx = val(context);
  va_list ap;
  va_start(ap, nargs);
  for (int i = 0; i < nargs; i++) args[i] = val(va_arg(ap, const char *));
  va_end(ap);
  struct jv *out;
  int n;
  char *got;
  if (jn_sig_validate(x, s, args, nargs, &ctx, "f", &out, &n)) got = text(out, n);
  else got = error_text();
  CHECK(!strcmp(got, want), "%s: got %s, want %s", signature, got, want);
  free(got);
  jn_error_free(&err);
}

/* Calls the built-in NAME on ARGS (validated by its signature, context undefined). */
static void call(const char *name, const char *want, int nargs, ...)
{
  const struct jn_builtin *b = jn_builtin_find(name, strlen(name));
  struct jv args[8], undefined = jv_undefined();
  va_list ap;
  va_start(ap, nargs);
  for (int i = 0; i < nargs; i++) args[i] = val(va_arg(ap, const char *));
  va_end(ap);
  struct jv *valid, out;
  int n;
  char *got;
  if (jn_sig_validate(x, jn_builtin_sig(b), args, nargs, &undefined, name, &valid, &n) && b->fn(x, valid, n, &out))
    got = text(&out, 1);
  else
    got = error_text();
  CHECK(!strcmp(got, want), "$%s: got %s, want %s", name, got, want);
  free(got);
  jn_error_free(&err);
}

/* One validated argument as the reference's `$exists($p) ? $string($p) : "U"` shows it. */
static void show_arg(const struct jv *v, struct buf *b)
{
  if (v->kind == JV_UNDEFINED) { buf_add(b, "U", 1); return; }
  if (v->kind == JV_STRING) { buf_add(b, v->u.s->text, v->u.s->len); return; }
  json_t *j = jv_to_json(v);
  char *t = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
  buf_add(b, t, strlen(t));
  free(t);
  json_decref(j);
}

/* `test_jsonata_seq --sigdiff FILE`: FILE is a JSON array of {sig, ctx, args, want}
   (undefined written "__undef__"), WANT what the reference makes of the call: the six
   first arguments a lambda with that signature gets, or "E CODE INDEX". */
static int sigdiff(const char *file)
{
  json_t *cases = json_load_file(file, 0, NULL);
  if (!cases) { printf("cannot read %s\n", file); return 2; }
  int bad = 0;
  for (size_t i = 0; i < json_array_size(cases); i++) {
    json_t *c = json_array_get(cases, i);
    const char *signature = json_string_value(json_object_get(c, "sig"));
    json_t *jargs = json_object_get(c, "args"), *jctx = json_object_get(c, "ctx");
    struct jv args[8], context;
    int n = (int)json_array_size(jargs);
    for (int k = 0; k < n; k++) {
      json_t *a = json_array_get(jargs, (size_t)k);
      args[k] = json_is_string(a) && !strcmp(json_string_value(a), "__undef__") ? jv_undefined() : jv_from_json(x, a);
    }
    context = json_is_string(jctx) && !strcmp(json_string_value(jctx), "__undef__") ? jv_undefined() : jv_from_json(x, jctx);
    const char *why;
    struct jn_sig *s = jn_sig_parse(&x->arena, signature, strlen(signature), &why);
    struct jv *out;
    int nout;
    struct buf b = {0};
    if (!s) {
      buf_add(&b, why, strlen(why));
    } else if (jn_sig_validate(x, s, args, n, &context, NULL, &out, &nout)) {
      for (int k = 0; k < 6; k++) {
        struct jv undefined = jv_undefined();
        if (k) buf_add(&b, "|", 1);
        show_arg(k < nout ? &out[k] : &undefined, &b);
      }
    } else {
      const char *at = strstr(err.message, "rgument ");
      char t[64];
      snprintf(t, sizeof t, "E %s %d", err.code, at ? atoi(at + 8) : -1);
      buf_add(&b, t, strlen(t));
      jn_error_free(&err);
    }
    buf_add(&b, "", 1);
    const char *want = json_string_value(json_object_get(c, "want"));
    if (strcmp(b.data, want)) {
      bad++;
      char *a = json_dumps(jargs, JSON_COMPACT), *ct = json_dumps(jctx, JSON_COMPACT | JSON_ENCODE_ANY);
      printf("DIFF %s args %s ctx %s: got %s, want %s\n", signature, a, ct, b.data, want);
      free(a);
      free(ct);
    }
    free(b.data);
  }
  printf("sigdiff: %zu cases, %d differ\n", json_array_size(cases), bad);
  json_decref(cases);
  arena_free(&x->arena);
  return bad ? 1 : 0;
}

/* `test_jsonata_seq --fndiff FILE`: FILE is a JSON array of {fn, args, want}, WANT what
   the reference's `$fn(args)` gives: JSON text, "undefined", or "E CODE" (with the
   message for D3137 and D3141). */
static int fndiff(const char *file)
{
  json_t *cases = json_load_file(file, 0, NULL);
  if (!cases) { printf("cannot read %s\n", file); return 2; }
  int bad = 0;
  for (size_t i = 0; i < json_array_size(cases); i++) {
    json_t *c = json_array_get(cases, i), *jargs = json_object_get(c, "args");
    const char *name = json_string_value(json_object_get(c, "fn"));
    const struct jn_builtin *b = jn_builtin_find(name, strlen(name));
    struct jv args[8], undefined = jv_undefined(), *valid, out;
    int n = (int)json_array_size(jargs), nvalid;
    for (int k = 0; k < n; k++) {
      json_t *a = json_array_get(jargs, (size_t)k);
      args[k] = json_is_string(a) && !strcmp(json_string_value(a), "__undef__") ? jv_undefined() : jv_from_json(x, a);
    }
    char *got;
    if (jn_sig_validate(x, jn_builtin_sig(b), args, n, &undefined, name, &valid, &nvalid) &&
        b->fn(x, valid, nvalid, &out)) {
      struct jv r = jv_unwrap(&out);
      json_t *j = jv_to_json(&r);
      got = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : xstrdup("undefined");
      json_decref(j);
    } else {
      size_t len = strlen(err.code) + strlen(err.message) + 4;
      got = xmalloc(len);
      if (!strcmp(err.code, "D3137") || !strcmp(err.code, "D3141")) snprintf(got, len, "E %s %s", err.code, err.message);
      else snprintf(got, len, "E %s", err.code);
      jn_error_free(&err);
    }
    const char *want = json_string_value(json_object_get(c, "want"));
    json_t *wj = json_loads(want, JSON_DECODE_ANY, NULL), *gj = json_loads(got, JSON_DECODE_ANY, NULL);
    bool same = wj && gj ? json_equal(wj, gj) : !strcmp(want, got);
    if (!same) {
      bad++;
      char *a = json_dumps(jargs, JSON_COMPACT);
      printf("DIFF $%s%s: got %s, want %s\n", name, a, got, want);
      free(a);
    }
    json_decref(wj);
    json_decref(gj);
    free(got);
  }
  printf("fndiff: %zu cases, %d differ\n", json_array_size(cases), bad);
  json_decref(cases);
  arena_free(&x->arena);
  return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
  struct jn_ctx ctx;
  x = &ctx;
  jn_ctx_begin(x, &err);
  if (argc == 3 && !strcmp(argv[1], "--sigdiff")) return sigdiff(argv[2]);
  if (argc == 3 && !strcmp(argv[1], "--fndiff")) return fndiff(argv[2]);

  /* the context stands in for a '-' parameter the call leaves out */
  sig("<s-nn?:s>", "\"abc\"", "\"abc\" 1 undefined", 1, "1");
  sig("<s-nn?:s>", "\"abc\"", "\"x\" 1 undefined", 2, "\"x\"", "1");
  sig("<s-nn?:s>", "undefined", "undefined 1 undefined", 1, "1");
  sig("<n-:n>", "\"x\"", "T0411: Context value is not a compatible type with argument 1 of function \"f\"", 0);
  sig("<x-b?:s>", "undefined", "undefined undefined", 0);
  sig("<n+s-:a<n>>", "\"b\"", "1 1 \"b\"", 2, "1", "2"); /* 2.0.6: see below */
  sig("<n+s-:a<n>>", "\"b\"", "1 1 \"a\"", 3, "1", "2", "\"a\"");
  sig("<o-f:a>", "{\"a\":1}", "T0410: Argument 2 of function \"f\" does not match function signature", 1,
      "undefined"); /* undefined is an 'o', and then no 'f' is left */
  /* an optional parameter that matched nothing still takes the next argument */
  sig("<s?n+>", "undefined", "1 2 2 2", 3, "1", "2", "3");
  /* 2.0.6 passes a '+' parameter's first argument for each it took (but not for 'a') */
  sig("<n+n:o>", "undefined", "1 1 3", 3, "1", "2", "3");
  sig("<x+>", "undefined", "1 1 1", 3, "1", "\"x\"", "3");
  /* T0410: the argument where the longest matching prefix of parameters stops */
  sig("<nn:a>", "undefined", "T0410: Argument 2 of function \"f\" does not match function signature", 2, "1", "\"2\"");
  sig("<nn:a>", "undefined", "T0410: Argument 3 of function \"f\" does not match function signature", 3, "1", "3", "\"2\"");
  sig("<nn+:a>", "undefined", "T0410: Argument 4 of function \"f\" does not match function signature", 4, "1", "3", "2",
      "\"g\"");
  sig("<a:n>", "undefined", "T0410: Argument 1 of function \"f\" does not match function signature", 0);
  sig("<x:b>", "undefined", "T0410: Argument 2 of function \"f\" does not match function signature", 2, "1", "2");
  sig("<af>", "undefined", "T0410: Argument 2 of function \"f\" does not match function signature", 2, "[1]", "undefined");
  /* arrays: a value made a one-item array, undefined left undefined, a<..> checked */
  sig("<a<n>>", "undefined", "[5]", 1, "5");
  sig("<a<n>>", "undefined", "undefined", 1, "undefined");
  sig("<a<n>>", "undefined", "[]", 1, "[]");
  sig("<a<n>>", "undefined", "T0412: Argument 1 of function \"f\" must be an array of \"numbers\"", 1, "\"f\"");
  sig("<a<n>>", "undefined", "T0412: Argument 1 of function \"f\" must be an array of \"numbers\"", 1, "[1,2,\"3\"]");
  sig("<a<a<n>>>", "undefined", "[[1]]", 1, "[[1]]");
  sig("<a<a<n>>>", "undefined", "[[\"x\"]]", 1, "[[\"x\"]]"); /* the reference looks one level deep */
  sig("<a<s>s?:s>", "undefined", "[\"a\"] \"-\"", 2, "\"a\"", "\"-\"");
  sig("<a+>", "undefined", "[1,2] [3] undefined", 3, "[1,2]", "3", "undefined");
  sig("<a<n>+:o>", "undefined", "[1,2] [3,4] [5,6]", 3, "[1,2]", "[3,4]", "[5,6]");
  /* a+ with subtype: the reference compares all the letters matched with the subtype */
  sig("<a<n>+>", "undefined", "T0412: Argument 1 of function \"f\" must be an array of \"numbers\"", 2, "1", "2");
  sig("<(ns)-:n>", "\"5\"", "\"5\"", 0);
  sig("<(ns)-:n>", "true", "T0411: Context value is not a compatible type with argument 1 of function \"f\"", 0);
  /* errors when parsing */
  sig("<n<n>>", "undefined", "S0401: type parameters can only be applied to functions and arrays", 0);
  sig("<(sa<n>)>", "undefined", "S0402: choice groups containing parameterized types are not supported", 0);
  sig("<f<n:n>:f<n:n>>", "undefined", "T0410: Argument 1 of function \"f\" does not match function signature", 1, "1");

  /* the functions */
  call("count", "0", 1, "undefined");
  call("sum", "0", 1, "[]");
  call("sum", "undefined", 1, "undefined");
  call("sum", "T0412: Argument 1 of function \"sum\" must be an array of \"numbers\"", 1, "\"a\"");
  call("max", "undefined", 1, "[]");
  call("min", "-3", 1, "[1,-3,2]");
  call("average", "2", 1, "[1,2,3]");
  call("append", "[1,2]", 2, "1", "2");
  call("append", "[1]", 2, "1", "[]");
  call("append", "[1]", 2, "undefined", "[1]");
  call("reverse", "[3,2,1]", 1, "[1,2,3]");
  call("distinct", "[[1],2]", 1, "[[1],[1],2]");
  call("distinct", "\"a\"", 1, "\"a\"");
  call("sort", "[1,2,3]", 1, "[3,1,2]");
  call("sort", "[]", 1, "[]");
  call("sort", "[1]", 1, "[1]");
  /* JavaScript orders strings by UTF-16 units: U+1F600 (D83D DE00) before U+FFFD */
  call("sort", "[\"\xf0\x9f\x98\x80\",\"\xef\xbf\xbd\"]", 1, "[\"\xef\xbf\xbd\",\"\xf0\x9f\x98\x80\"]");
  call("sort", "[\"A\",\"B\",\"a\"]", 1, "[\"B\",\"a\",\"A\"]");
  call("sort", "D3070: The single argument form of the sort function can only be applied to an array of strings or "
       "an array of numbers.  Use the second argument to specify a comparison function", 1, "[1,\"a\"]");
  call("zip", "[[1,3],[2,4]]", 2, "[1,2]", "[3,4,5]");
  call("zip", "[]", 2, "[1,2]", "undefined");
  call("zip", "[[1]]", 1, "1");
  call("keys", "seq[\"a\",\"b\",\"c\"]", 1, "[{\"a\":1,\"b\":2},[{\"c\":3,\"a\":4}]]");
  call("keys", "seq[]", 1, "5");
  call("lookup", "seq[1,2,3]", 2, "[{\"a\":[1,2]},{\"a\":3},{\"b\":4}]", "\"a\"");
  call("lookup", "undefined", 2, "{\"b\":1}", "\"a\"");
  call("spread", "seq[{\"a\":1},{\"b\":2}]", 1, "{\"a\":1,\"b\":2}");
  call("spread", "[{\"a\":1}]", 1, "[{\"a\":1}]");
  call("spread", "seq[]", 1, "[]");
  call("spread", "[1,2]", 1, "[1,2]");
  call("merge", "{\"a\":3,\"b\":2}", 1, "[{\"a\":1,\"b\":2},{\"a\":3}]");
  call("merge", "{}", 1, "[]");
  call("type", "\"null\"", 1, "null");
  call("type", "\"array\"", 1, "[]");
  call("type", "undefined", 1, "undefined");
  call("error", "D3137: $error() function evaluated", 1, "\"\"");
  call("error", "D3137: oops", 1, "\"oops\"");
  call("assert", "D3141: $assert() statement failed", 1, "false");
  call("assert", "D3141: m", 2, "false", "\"m\"");
  call("assert", "D3141: $assert() statement failed", 1, "undefined");
  call("assert", "T0410: Argument 1 of function \"assert\" does not match function signature", 1, "1");
  call("assert", "undefined", 1, "true");
  call("boolean", "undefined", 1, "undefined");
  call("boolean", "true", 1, "[0,\"\",[],{\"a\":1}]");
  call("boolean", "false", 1, "[0,\"\",[],{}]");
  call("not", "true", 1, "\"\"");
  call("exists", "false", 1, "undefined");
  call("exists", "true", 1, "null");
  /* $clone is JSON.parse of $string: numbers to 15 significant digits */
  call("clone", "T0410: Argument 1 of function \"clone\" does not match function signature", 1, "1");
  call("reduce", "T0410: Argument 2 of function \"reduce\" does not match function signature", 2, "undefined",
       "undefined");

  struct jv c = val("{\"a\":0.30000000000000004,\"b\":[null],\"c\":1e300}"), cloned;
  CHECK(jn_fn_clone(x, &c, 1, &cloned) && cloned.kind == JV_OBJECT, "clone failed");
  CHECK(jv_obj_get(cloned.u.o, "a", 1)->u.n == 0.3, "clone kept 17 digits");
  CHECK(jv_obj_get(cloned.u.o, "c", 1)->u.n == 1e300, "clone changed 1e300");
  CHECK(jv_obj_get(cloned.u.o, "b", 1)->u.a != jv_obj_get(c.u.o, "b", 1)->u.a, "clone shares an array");

  /* $shuffle keeps every item, in a fixed order when no random source is given */
  struct jv a = val("[1,2,3,4,5,6,7,8]"), r1, r2;
  CHECK(jn_fn_shuffle(x, &a, 1, &r1) && jn_fn_shuffle(x, &a, 1, &r2), "shuffle failed");
  double total = 0;
  for (size_t i = 0; i < r1.u.a->len; i++) total += r1.u.a->items[i].u.n;
  CHECK(r1.u.a->len == 8 && total == 36, "shuffle lost items");
  CHECK(jv_equal(&r1, &r2), "shuffle without a random source is not reproducible");

  jn_ctx_end(x);
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures ? 1 : 0;
}
