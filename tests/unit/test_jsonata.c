/* test_jsonata.c - table-driven unit test for jsonata_parse (runtime/jsonata.c).
   Each case's text is copied into a heap buffer of exactly its length, so the sanitizers
   catch any read past LEN.

   `test_jsonata --suite DIR` instead parses every expression of the JSONata reference
   suite in DIR (groups/ * / *.json): a case expecting an S0 code (a syntax error) must
   fail to parse, every other case must parse, except those in `exceptions` below.
   It ends "jsonata: N passed, N failed" for tests/jsonata/run.sh. */
#include "jsonata.h"

#include <dirent.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_case {
  const char *text;
  const char *msg;  /* NULL: valid */
  size_t offset;    /* invalid: expected error offset */
};

#define OK(t) { t, NULL, 0 }
#define BAD(t, m, o) { t, m, o }

static const struct test_case cases[] = {
  /* literals */
  OK("1"), OK("-1.5e3"), OK("0.5"), OK("'single'"), OK("\"double \\\" \\u00e9 \\n\""),
  OK("true"), OK("false"), OK("null"),
  /* paths */
  OK("a"), OK("$"), OK("$$"), OK("$states.input.items[0].price"), OK("`with space`.x"),
  OK("a.*.b"), OK("**.x"), OK("a.%.b"), OK("a[]"), OK("a[x > 1][0]"), OK("and.or.in"),
  OK("Account.Order^(>Price, <Name)"), OK("a{b: c}"), OK("a@$x.b#$i[$i < 2]"),
  OK("\"a\".b"), OK("a.$f()"), OK("a.(b + 1)"),
  /* operators */
  OK("1 + 2 * 3 - 4 / 5 % 6"), OK("a = b and c != d or e < f"), OK("a <= b and a >= b"),
  OK("'a' & 'b'"), OK("1 in [1, 2]"), OK("[1..5]"), OK("-a.b"), OK("a > 1 ? 'x' : 'y'"),
  OK("a ? b"), OK("$x ~> $uppercase()"), OK("1 + /* a comment */ 2"),
  /* blocks, bindings, functions */
  OK("($x := 1; $y := $x + 1; $y)"), OK("()"), OK("$f(1, 'two')"), OK("$f(?, 2)"),
  OK("function($x, $y){ $x + $y }"), OK("\xce\xbb($x){$x * 2}"),
  OK("function($x)<n-n:n>{ $x }"), OK("function($a, $s)<a<s>s?:s>{ $join($a, $s) }"), OK("function($a)<a<n>:n>{ $sum($a) }"),
  OK("$match('abc', /a(b)c/i)"), OK("$replace(x, /[/]/, '')"), OK("$split(s, /,/m)"),
  OK("{'a': 1, 'b': [1, {}]}"), OK("|$|{'a': 1}, ['b']|"), OK("|a.b|{'c': 2}|"),
  OK("$sum($states.input.items.(price * qty))"), OK("x / 2"), OK("(a)/2"),
  /* lexical errors */
  BAD("'abc", "S0101: string literal must be terminated by a matching quote", 0),
  BAD("1e999", "S0102: number out of range: '1e999'", 0),
  BAD("'a\\qb'", "S0103: unsupported escape sequence: \\'q'", 2),
  BAD("'\\u12g4'", "S0104: the escape sequence \\u must be followed by 4 hex digits", 1),
  BAD("`abc", "S0105: quoted property name must be terminated with a backquote (`)", 0),
  BAD("1 /* open", "S0106: comment has no closing tag", 2),
  BAD("a ! b", "S0204: unknown operator: '!'", 2),
  BAD("$match(x, //)", "S0301: empty regular expressions are not allowed", 10),
  BAD("$match(x, /ab)", "S0302: no terminating / in regular expression", 10),
  /* syntax errors */
  BAD("10 + * 2", "S0201: syntax error: '2'", 7), /* '*' alone is the wildcard */
  BAD("10 + / 2", "S0302: no terminating / in regular expression", 5),
  BAD("1 + = 2", "S0211: the symbol '=' cannot be used as a unary operator", 4),
  BAD("1 2", "S0201: syntax error: '2'", 2),
  BAD("(1; 2", "S0203: expected ')' before the end of the expression", 5),
  BAD("(1]", "S0202: expected ')', got ']'", 2),
  BAD("[1, 2)", "S0202: expected ']', got ')'", 5),
  BAD("{'a' 1}", "S0202: expected ':', got '1'", 5),
  BAD("a.", "S0207: unexpected end of expression", 2),
  BAD("1 +", "S0207: unexpected end of expression", 3),
  BAD("function(x){1}", "S0208: parameter 1 of function definition must be a variable name (start with $)", 9),
  BAD("[1]{'a': $}[0]", "S0209: a predicate cannot follow a grouping expression in a step", 11),
  BAD("[1]{'a': $}{'b': $}", "S0210: each step can only have one grouping expression", 11),
  BAD("a := 1", "S0212: the left side of := must be a variable name (start with $)", 0),
  BAD("$.7", "S0213: a literal value cannot be used as a step within a path expression", 2),
  BAD("a.true", "S0213: a literal value cannot be used as a step within a path expression", 2),
  BAD("a@b", "S0214: the right side of @ must be a variable name (start with $)", 2),
  BAD("a#1", "S0214: the right side of # must be a variable name (start with $)", 2),
  BAD("a[0]@$x", "S0215: a context variable binding must precede any predicates on a step", 4),
  BAD("a^(b)@$x", "S0216: a context variable binding must precede the 'order-by' clause on a step", 5),
  BAD("function($x)<n<n>>{1}", "S0401: type parameters can only be applied to functions and arrays", 12),
  BAD("function($x)<(sa<n>)>{1}", "S0402: choice groups containing parameterized types are not supported", 12),
  BAD("function($x)<n{1}", "S0202: expected '>', got '{'", 14),
  OK("$$.$states.x"),
  /* after 2.0.6 */
  BAD("a ?? b", "S0211: the coalescing operator '?\?' is not in JSONata 2.0.6, which AWS Step Functions implements", 2),
  BAD("a ?: b", "S0211: the default operator '?:' is not in JSONata 2.0.6, which AWS Step Functions implements", 2),
  BAD("a ? ? b", "S0211: the symbol '?' cannot be used as a unary operator", 4),
};

static int passed, failed;

static void check_case(const struct test_case *c)
{
  size_t len = strlen(c->text);
  char *text = malloc(len ? len : 1);
  memcpy(text, c->text, len);
  struct arena a = {0};
  struct jn_ast *tree = NULL;
  size_t offset = 0;
  const char *msg = jsonata_parse(&a, text, len, &tree, &offset);
  if (!c->msg && msg) {
    failed++;
    printf("FAIL %s: expected valid, got \"%s\" at %zu\n", c->text, msg, offset);
  } else if (c->msg && !msg) {
    failed++;
    printf("FAIL %s: expected \"%s\", got valid\n", c->text, c->msg);
  } else if (c->msg && (strcmp(msg, c->msg) || offset != c->offset)) {
    failed++;
    printf("FAIL %s: expected \"%s\" at %zu, got \"%s\" at %zu\n", c->text, c->msg, c->offset, msg,
           offset);
  } else if (!msg && !tree) {
    failed++;
    printf("FAIL %s: valid but no tree\n", c->text);
  } else {
    passed++;
  }
  arena_free(&a);
  free(text);
}

/* The tree's shape for a few expressions: precedence and associativity. */
static void check_tree(void)
{
  struct arena a = {0};
  struct jn_ast *t;
  size_t off;
  const char *text = "$x := 1 + 2 * 3 = 7 and a.b[0]";
  bool ok = !jsonata_parse(&a, "1 + 2 * 3", 9, &t, &off) && t->kind == JA_BINARY &&
            !strcmp(t->op, "+") && t->rhs->kind == JA_BINARY && !strcmp(t->rhs->op, "*");
  ok = ok && !jsonata_parse(&a, "a - b - c", 9, &t, &off) && t->lhs->kind == JA_BINARY &&
       t->rhs->kind == JA_NAME;
  ok = ok && !jsonata_parse(&a, text, strlen(text), &t, &off) && t->kind == JA_BIND &&
       !strcmp(t->rhs->op, "and") && t->rhs->rhs->rhs->kind == JA_PREDICATE; /* a.(b[0]) */
  ok = ok && !jsonata_parse(&a, "$f(?, 1)", 8, &t, &off) && t->kind == JA_PARTIAL &&
       t->items->kind == JA_PLACEHOLDER && t->items->next->kind == JA_NUMBER;
  ok = ok && !jsonata_parse(&a, "function($x)<n:n>{$x}", 21, &t, &off) && t->kind == JA_LAMBDA &&
       !strcmp(t->extra, "<n:n>") && t->rhs->kind == JA_VARIABLE;
  if (ok) passed++;
  else { failed++; printf("FAIL tree shapes\n"); }
  arena_free(&a);
}

/* Deep nesting is an error, not a crash; a long flat chain is no problem below it. */
static void check_depth(void)
{
  size_t n = 100000;
  char *text = malloc(2 * n + 1);
  for (size_t i = 0; i < n; i++) text[i] = '(', text[n + i] = ')';
  struct arena a = {0};
  struct jn_ast *t;
  size_t off;
  const char *msg = jsonata_parse(&a, text, 2 * n, &t, &off);
  bool ok = msg && !strcmp(msg, "the expression is nested too deeply");
  for (size_t i = 0; i < n; i++) text[2 * i] = 'a', text[2 * i + 1] = '.';
  msg = jsonata_parse(&a, text, 2 * n - 1, &t, &off); /* a.a.a...: a deep left spine */
  ok = ok && msg && !strcmp(msg, "the expression is nested too deeply");
  msg = jsonata_parse(&a, text, 2 * 400 - 1, &t, &off);
  ok = ok && !msg;
  if (ok) passed++;
  else { failed++; printf("FAIL depth\n"); }
  arena_free(&a);
  free(text);
}

/* ---------------------------------------------------------------- the reference suite */

/* The cases listed in tests/jsonata/suite-2.0.6.txt: what sfc gives instead of the
   suite's answer, and why. */
struct listed {
  char *id;      /* group/file#index, group/file, or group/ * */
  char *outcome; /* a prefix of the outcome text */
  char *reason;
  int seen;
};
static struct listed *listed;
static size_t nlisted;

static bool load_listed(const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f) { printf("FAIL %s: cannot read it\n", path); return false; }
  char line[2048];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    if (line[0] == '#' || !line[0]) continue;
    char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
    if (!tab2) { printf("FAIL %s: not id TAB outcome TAB reason: %s\n", path, line); fclose(f); return false; }
    *tab1 = *tab2 = 0;
    listed = realloc(listed, (nlisted + 1) * sizeof *listed);
    listed[nlisted++] = (struct listed){xstrdup(line), xstrdup(tab1 + 1), xstrdup(tab2 + 1), 0};
  }
  fclose(f);
  return true;
}

/* The entry for a case (INDEX -1: the whole file), or NULL. */
static struct listed *listed_for(const char *group, const char *file, int index)
{
  char id[1024], whole[1024], any[1024];
  snprintf(id, sizeof id, "%s/%s#%d", group, file, index);
  snprintf(whole, sizeof whole, "%s/%s", group, file);
  snprintf(any, sizeof any, "%s/*", group);
  for (size_t i = 0; i < nlisted; i++)
    if (!strcmp(listed[i].id, id) || !strcmp(listed[i].id, whole) || !strcmp(listed[i].id, any)) return &listed[i];
  return NULL;
}

static int suite_pass, suite_fail, suite_excepted;
static const char *only_group;  /* --group NAME */
static bool verbose;            /* --verbose: each failure's expression and outcome */
static bool trace;              /* --trace: each case's name on stderr before it runs */
static const char *suite_dir;

static char *text_of(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *text_of(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *r = xvasprintf(fmt, ap);
  va_end(ap);
  return r;
}

/* The outcome of one case as text: "value <json>", "undefined", or "error <code>". */
static char *outcome(bool ok, json_t *value, const struct jn_error *err)
{
  if (!ok) return text_of("error %s (%s)", err->code, err->message ? err->message : "");
  if (!value) return xstrdup("undefined");
  char *j = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
  char *r = text_of("value %s", j);
  free(j);
  return r;
}

/* The input a case names: inline data, a dataset, or none (undefined). New reference. */
static json_t *case_input(json_t *c)
{
  json_t *data = json_object_get(c, "data");
  if (data) return json_incref(data);
  const char *ds = json_string_value(json_object_get(c, "dataset"));
  if (!ds) return NULL;
  char path[4096];
  snprintf(path, sizeof path, "%s/datasets/%s.json", suite_dir, ds);
  return json_load_file(path, JSON_DECODE_ANY, NULL);
}

/* Deep equality as the suite's chai means it: numbers by value (1e7 is 10000000). */
static bool same(json_t *a, json_t *b)
{
  if (json_is_number(a) && json_is_number(b)) return json_number_value(a) == json_number_value(b);
  if (json_typeof(a) != json_typeof(b)) return false;
  if (json_is_array(a)) {
    if (json_array_size(a) != json_array_size(b)) return false;
    for (size_t i = 0; i < json_array_size(a); i++)
      if (!same(json_array_get(a, i), json_array_get(b, i))) return false;
    return true;
  }
  if (json_is_object(a)) {
    if (json_object_size(a) != json_object_size(b)) return false;
    const char *k;
    json_t *v;
    json_object_foreach(a, k, v) {
      json_t *w = json_object_get(b, k);
      if (!w || !same(v, w)) return false;
    }
    return true;
  }
  return json_equal(a, b);
}

/* Runs one case: compile, evaluate, compare with result / undefinedResult / code / error.
   *GOT gets the outcome as text. */
static bool run_case(json_t *c, const char *expr, size_t len, char **got)
{
  const char *code = json_string_value(json_object_get(c, "code"));
  json_t *error = json_object_get(c, "error");
  if (!code) code = json_string_value(json_object_get(error, "code"));
  struct jn_error err = {0};
  struct jn_expr *e = jsonata_compile(expr, len, &err);
  bool pass;
  if (!e) {
    *got = outcome(false, NULL, &err);
    pass = code && !strcmp(code, err.code);
    jn_error_free(&err);
    return pass;
  }
  json_t *input = case_input(c), *value = NULL;
  struct jn_options o = {0};
  o.bindings = json_object_get(c, "bindings");
  o.max_depth = (int)json_integer_value(json_object_get(c, "depth"));
  bool ok = jsonata_evaluate(e, input, &o, &value, &err);
  *got = outcome(ok, value, &err);
  if (code) pass = !ok && !strcmp(code, err.code);
  else if (json_is_true(json_object_get(c, "undefinedResult"))) pass = ok && !value;
  else pass = ok && value && same(value, json_object_get(c, "result"));
  if (pass && !ok && json_is_string(json_object_get(error, "message")))
    pass = err.message && !strcmp(err.message, json_string_value(json_object_get(error, "message")));
  const char *token = json_string_value(json_object_get(error, "token"));
  if (!token) token = json_string_value(json_object_get(c, "token"));
  if (pass && !ok && token) pass = err.token && !strcmp(err.token, token);
  json_decref(value);
  json_decref(input);
  jn_error_free(&err);
  jsonata_free(e);
  return pass;
}

static void suite_case(const char *dir, const char *group, const char *file, int index, json_t *c)
{
  const char *expr = json_string_value(json_object_get(c, "expr"));
  char *loaded = NULL;
  size_t len = expr ? strlen(expr) : 0;
  const char *efile = json_string_value(json_object_get(c, "expr-file"));
  if (only_group && strcmp(only_group, group)) return;
  if (!expr && efile) {
    char path[4096];
    snprintf(path, sizeof path, "%s/groups/%s/%s", dir, group, efile);
    FILE *f = fopen(path, "rb");
    if (f) {
      loaded = malloc(1 << 20);
      len = fread(loaded, 1, 1 << 20, f);
      fclose(f);
      expr = loaded;
    }
  }
  if (!expr) { suite_fail++; printf("FAIL %s/%s#%d: no expression\n", group, file, index); return; }
  char *got = NULL;
  if (trace) fprintf(stderr, "RUN %s/%s#%d\n", group, file, index);
  bool pass = run_case(c, expr, len, &got);
  struct listed *l = listed_for(group, file, index);
  if (l) {
    l->seen++;
    if (!strncmp(got, l->outcome, strlen(l->outcome))) {
      suite_excepted++;
    } else {
      suite_fail++;
      printf("FAIL %s/%s#%d: listed as giving %s, got %s\n", group, file, index, l->outcome, got);
    }
  } else if (pass) {
    suite_pass++;
  } else {
    suite_fail++;
    printf("FAIL %s/%s#%d: got %s\n", group, file, index, got);
    if (verbose) {
      char *want = json_dumps(c, JSON_COMPACT | JSON_ENCODE_ANY);
      printf("  expr: %.*s\n  case: %.300s\n", (int)(len > 300 ? 300 : len), expr, want);
      free(want);
    }
  }
  free(got);
  free(loaded);
}

static int by_name(const void *x, const void *y)
{
  return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The entries of DIR, sorted, NULL-terminated. */
static char **list_dir(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d) return NULL;
  size_t n = 0, cap = 16;
  char **names = malloc(cap * sizeof *names);
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    if (n + 1 >= cap) names = realloc(names, (cap *= 2) * sizeof *names);
    size_t len = strlen(e->d_name) + 1;
    names[n] = malloc(len);
    memcpy(names[n++], e->d_name, len);
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  names[n] = NULL;
  return names;
}

static int run_suite(const char *dir)
{
  suite_dir = dir;
  char path[4096];
  snprintf(path, sizeof path, "%s/groups", dir);
  char **groups = list_dir(path);
  if (!groups) { printf("jsonata: skipped: no %s\n", path); return 0; }
  for (char **g = groups; *g; g++) {
    snprintf(path, sizeof path, "%s/groups/%s", dir, *g);
    char **files = list_dir(path);
    for (char **f = files; f && *f; f++) {
      size_t n = strlen(*f);
      if (n > 5 && !strcmp(*f + n - 5, ".json")) {
        snprintf(path, sizeof path, "%s/groups/%s/%s", dir, *g, *f);
        json_error_t err;
        json_t *doc = json_load_file(path, 0, &err);
        struct listed *l = doc ? NULL : listed_for(*g, *f, -1);
        if (l && !strcmp(l->outcome, "unreadable")) { l->seen++; suite_excepted++; }
        else if (!doc) { suite_fail++; printf("FAIL %s: %s\n", path, err.text); }
        else if (json_is_array(doc))
          for (size_t i = 0; i < json_array_size(doc); i++) suite_case(dir, *g, *f, (int)i, json_array_get(doc, i));
        else suite_case(dir, *g, *f, 0, doc);
        json_decref(doc);
      }
      free(*f);
    }
    free(files);
    free(*g);
  }
  free(groups);
  for (size_t i = 0; i < nlisted; i++) {
    if (!listed[i].seen && !only_group) {
      suite_fail++;
      printf("FAIL listed %s matches no case of the suite\n", listed[i].id);
    } else if (listed[i].seen) {
      printf("listed %s (%d): %s\n", listed[i].id, listed[i].seen, listed[i].reason);
    }
  }
  printf("jsonata: %d cases give the suite's answer, %d the listed answer (tests/jsonata/suite-2.0.6.txt)\n",
         suite_pass, suite_excepted);
  printf("jsonata: %d passed, %d failed\n", suite_pass + suite_excepted, suite_fail);
  return suite_fail ? 1 : 0;
}

/* jn_sig_arity (runtime/jsonata_fn.c): how many arguments each kind of signature takes. */
static void check_arity(void)
{
  static const struct {
    const char *sig;
    int min, max;
  } sigs[] = {
    {"<s-nn?:s>", 1, 3}, {"<:n>", 0, 0}, {"<a+>", 1, -1}, {"<af?>", 1, 2},
    {"<s-f<s:o>n?:a<o>>", 1, 3}, {"<s-(sf)(sf)n?:s>", 2, 4}, {"<x-b?:s>", 0, 2},
    {"<(nsb)-:n>", 0, 1}, {"<a<n>:n>", 1, 1}, {"<afj?:j>", 2, 3}, {"<n-s?s?:s>", 0, 3},
  };
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    int min, max;
    jn_sig_arity(sigs[i].sig, &min, &max);
    if (min == sigs[i].min && max == sigs[i].max) {
      passed++;
    } else {
      failed++;
      printf("FAIL arity %s: expected %d..%d, got %d..%d\n", sigs[i].sig, sigs[i].min, sigs[i].max,
             min, max);
    }
  }
}

/* --eval EXPR [INPUT.json]: prints the result as JSON, "undefined", or the error. */
static int eval_one(const char *expr, const char *input_file)
{
  json_t *input = NULL;
  if (input_file) {
    json_error_t je;
    input = json_load_file(input_file, JSON_DECODE_ANY, &je);
    if (!input) { fprintf(stderr, "%s: %s\n", input_file, je.text); return 2; }
  }
  struct jn_error err = {0};
  struct jn_expr *e = jsonata_compile(expr, strlen(expr), &err);
  json_t *value = NULL;
  bool ok = e && jsonata_evaluate(e, input, NULL, &value, &err);
  char *got = outcome(ok, value, &err);
  printf("%s\n", got);
  free(got);
  json_decref(value);
  json_decref(input);
  jn_error_free(&err);
  jsonata_free(e);
  return ok ? 0 : 1;
}

/* --batch: one case per line of stdin, {"expr": TEXT, "input": JSON, "bindings": {...}}
   ("input" absent: undefined; "depth" and "steps" set max_depth and max_steps), one
   line out per case: {"value": V}, {"undefined": true} or {"code": C, "message": M}.
   Each line is flushed, so a driver that sees the process die knows which case did it.
   For tests/jsonata/differential.js. */
static char *batch_line(FILE *f, size_t *len)
{
  size_t n = 0, cap = 256;
  char *line = malloc(cap);
  int c;
  while ((c = getc(f)) != EOF && c != '\n') {
    if (n + 1 >= cap) line = realloc(line, cap *= 2);
    line[n++] = (char)c;
  }
  if (c == EOF && n == 0) { free(line); return NULL; }
  line[n] = 0;
  *len = n;
  return line;
}

static void batch_print(json_t *reply)
{
  char *text = json_dumps(reply, JSON_COMPACT | JSON_ENCODE_ANY);
  printf("%s\n", text);
  fflush(stdout);
  free(text);
  json_decref(reply);
}

static json_t *batch_case(json_t *c)
{
  json_t *expr = json_object_get(c, "expr");
  if (!json_is_string(expr)) return json_pack("{ss ss}", "code", "BATCH", "message", "no \"expr\" string");
  struct jn_error err = {0};
  struct jn_expr *e = jsonata_compile(json_string_value(expr), json_string_length(expr), &err);
  json_t *value = NULL, *reply;
  struct jn_options o = {0};
  o.bindings = json_object_get(c, "bindings");
  o.max_depth = (int)json_integer_value(json_object_get(c, "depth"));
  o.max_steps = (uint64_t)json_integer_value(json_object_get(c, "steps"));
  if (e && jsonata_evaluate(e, json_object_get(c, "input"), &o, &value, &err))
    reply = value ? json_pack("{so}", "value", value) : json_pack("{sb}", "undefined", 1);
  else
    reply = json_pack("{ss ss}", "code", err.code, "message", err.message ? err.message : "");
  jn_error_free(&err);
  jsonata_free(e);
  return reply;
}

static int run_batch(void)
{
  size_t len;
  for (char *line; (line = batch_line(stdin, &len)); free(line)) {
    if (!len) continue;
    json_error_t je;
    json_t *c = json_loadb(line, len, 0, &je);
    batch_print(c ? batch_case(c) : json_pack("{ss ss}", "code", "BATCH", "message", je.text));
    json_decref(c);
  }
  return 0;
}

int main(int argc, char **argv)
{
  setvbuf(stdout, NULL, _IOLBF, 0); /* FAIL lines before a sanitizer's report */
  if (argc == 2 && !strcmp(argv[1], "--batch")) return run_batch();
  if (argc >= 3 && !strcmp(argv[1], "--suite")) {
    for (int i = 3; i < argc; i++) {
      if (!strcmp(argv[i], "--verbose")) verbose = true;
      else if (!strcmp(argv[i], "--trace")) trace = true;
      else if (!strcmp(argv[i], "--group") && i + 1 < argc) only_group = argv[++i];
      else if (!strcmp(argv[i], "--listed") && i + 1 < argc) { if (!load_listed(argv[++i])) return 1; }
    }
    return run_suite(argv[2]);
  }
  if ((argc == 3 || argc == 4) && !strcmp(argv[1], "--eval")) return eval_one(argv[2], argc == 4 ? argv[3] : NULL);
  if (argc == 2 && !strcmp(argv[1], "--builtins")) { /* for tests/jsonata/builtins.js */
    for (size_t i = 0; jn_builtin_name(i); i++) {
      const char *name = jn_builtin_name(i);
      printf("%s %s\n", name, jn_builtin_find(name, strlen(name))->signature);
    }
    return 0;
  }
  check_arity();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_case(&cases[i]);
  check_tree();
  check_depth();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
