/* test_paths.c - table-driven unit test for path_check (compiler/paths.c).
   Each case's text is copied into a heap buffer of exactly its length, so the sanitizers
   catch any read past LEN (the checker must not rely on a NUL terminator). */
#include "sfc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_case {
  const char *text;
  size_t len;               /* 0: use strlen(text) */
  const char *msg;          /* NULL: the path is valid */
  size_t offset;            /* invalid: expected error offset */
  enum path_root root;      /* valid: expected root */
  bool is_reference;        /* valid: expected definiteness */
  size_t var_len;           /* valid: expected variable-name length */
};

#define OK(t, r, ref) { t, 0, NULL, 0, r, ref, 0 }
#define OKV(t, ref, vlen) { t, 0, NULL, 0, PATH_VARIABLE, ref, vlen }
#define OKN(t, n, r, ref) { t, n, NULL, 0, r, ref, 0 }
#define BAD(t, m, o) { t, 0, m, o, PATH_INPUT, false, 0 }
#define BADN(t, n, m, o) { t, n, m, o, PATH_INPUT, false, 0 }

static const char *const E_DOT = "expected a field name, '*' or '[' after '.'";
static const char *const E_DEEP = "expected a field name, '*' or '[' after '..'";
static const char *const E_OPEN =
    "expected an index, a quoted name, '*', a slice or a filter after '['";
static const char *const E_UNTERM = "unterminated '['";
static const char *const E_START = "a path starts with '$'";

static const struct test_case cases[] = {
  /* roots */
  OK("$", PATH_INPUT, true),
  OK("$$", PATH_CONTEXT, true),
  OK("$$.Execution.Id", PATH_CONTEXT, true),
  OK("$$.Map.Item.Value", PATH_CONTEXT, true),
  OK("$$[0]", PATH_CONTEXT, true),
  OKV("$x", true, 1),
  OKV("$states.input", true, 6),
  OKV("$myVar.field[0]", true, 5),
  OKV("$myVar[0]", true, 5),
  OKV("$_v2['k']", true, 3),
  OKV("$list[*].id", false, 4),
  /* dot names */
  OK("$.a", PATH_INPUT, true),
  OK("$.a.b.c", PATH_INPUT, true),
  OK("$.detail-type", PATH_INPUT, true),
  OK("$.a-b-", PATH_INPUT, true),
  OK("$.store\\.book", PATH_INPUT, true),
  OK("$.\xc3\xbc" "ber", PATH_INPUT, true),
  OK("$.a.b[0].c['d']", PATH_INPUT, true),
  OK("$.*", PATH_INPUT, false),
  OK("$..a", PATH_INPUT, false),
  OK("$..*", PATH_INPUT, false),
  OK("$..[0]", PATH_INPUT, false),
  OK("$..['a']", PATH_INPUT, false),
  /* a dot before a bracket is ignored, as Jayway does */
  OK("$.[0]", PATH_INPUT, true),
  OK("$.abc.['def ghi']", PATH_INPUT, true),
  OK("$.a.[*]", PATH_INPUT, false),
  OK("$.[?(@.a)]", PATH_INPUT, false),
  OK("$$.[0]", PATH_CONTEXT, true),
  /* brackets */
  OK("$['a']", PATH_INPUT, true),
  OK("$[\"a b\"]", PATH_INPUT, true),
  OK("$['it\\'s']", PATH_INPUT, true),
  OK("$['']", PATH_INPUT, true),
  OK("$['a','b']", PATH_INPUT, false),
  OK("$[ 'a' , 'b' ]", PATH_INPUT, false),
  OK("$[0]", PATH_INPUT, true),
  OK("$[-1]", PATH_INPUT, true),
  OK("$[ 2 ]", PATH_INPUT, true),
  OK("$[-2147483648]", PATH_INPUT, true),
  OK("$[2147483647]", PATH_INPUT, true),
  OK("$[*]", PATH_INPUT, false),
  OK("$.a[ * ]", PATH_INPUT, false),
  OK("$[0,1]", PATH_INPUT, false),
  OK("$[ 1 , 2 ]", PATH_INPUT, false),
  OK("$[1:2]", PATH_INPUT, false),
  OK("$[:2]", PATH_INPUT, false),
  OK("$[1:]", PATH_INPUT, false),
  OK("$[-2:]", PATH_INPUT, false),
  OK("$[1:5:2]", PATH_INPUT, false),
  OK("$[ 1 : 5 ]", PATH_INPUT, false),
  OK("$[?(@.price < 10)]", PATH_INPUT, false),
  OK("$[?(@.a)]", PATH_INPUT, false),
  OK("$.a[?(@.n == ')')]", PATH_INPUT, false),
  OK("$[?(@.name =~ /a(b/)]", PATH_INPUT, false),
  OK("$[ ?( (@.a > 1) && (@.b < 2) ) ]", PATH_INPUT, false),
  /* filter grammar: operators */
  OK("$[?(@.a == 1)]", PATH_INPUT, false),
  OK("$[?(@.a==1)]", PATH_INPUT, false),
  OK("$[?(@.a != 'x')]", PATH_INPUT, false),
  OK("$[?(@.a<=-1.5)]", PATH_INPUT, false),
  OK("$[?(@.a >= 2e3)]", PATH_INPUT, false),
  OK("$[?(@.a > 1E-3)]", PATH_INPUT, false),
  OK("$[?(@.a === 1)]", PATH_INPUT, false),
  OK("$[?(@.a !== 1)]", PATH_INPUT, false),
  OK("$[?(@.a =~ /^x.*$/i)]", PATH_INPUT, false),
  OK("$[?(@.a =~ /a\\/b/)]", PATH_INPUT, false),
  OK("$[?(@.a in ['x', 'y'])]", PATH_INPUT, false),
  OK("$[?(@.a IN [1,2])]", PATH_INPUT, false),
  OK("$[?(@.a nin [\"x\"])]", PATH_INPUT, false),
  OK("$[?(@.a subsetof ['x'])]", PATH_INPUT, false),
  OK("$[?(@.a anyof ['x'])]", PATH_INPUT, false),
  OK("$[?(@.a noneof [['x'], {'k': ']'}])]", PATH_INPUT, false),
  OK("$[?(@.a size 2)]", PATH_INPUT, false),
  OK("$[?(@.a empty true)]", PATH_INPUT, false),
  OK("$[?(@.a contains 'x')]", PATH_INPUT, false),
  OK("$[?(@.a == {\"k\": 1})]", PATH_INPUT, false),
  /* literals and paths on either side */
  OK("$[?(@.a == null)]", PATH_INPUT, false),
  OK("$[?(@.a == false || @.b == true)]", PATH_INPUT, false),
  OK("$[?('x' == @.a)]", PATH_INPUT, false),
  OK("$[?(1 < 2)]", PATH_INPUT, false),
  OK("$[?(@.a > 1.)]", PATH_INPUT, false), /* Java's BigDecimal reads "1." */
  OK("$[?(@.a == \"it\\\"s\")]", PATH_INPUT, false),
  OK("$[?(@.Email == $.AccountEmail)]", PATH_INPUT, false),
  OK("$[?(@.a == $['b'][0])]", PATH_INPUT, false),
  OK("$[?(@['x y'] == 1)]", PATH_INPUT, false),
  OK("$[?(@[0] == 1)]", PATH_INPUT, false),
  OK("$[?(@.*)]", PATH_INPUT, false),
  OK("$[?(@..x)]", PATH_INPUT, false),
  OK("$[?(@)]", PATH_INPUT, false),
  OK("$[?(@.detail-type == 'x')]", PATH_INPUT, false),
  OK("$[?(@.a.length() > 1)]", PATH_INPUT, false),
  OK("$[?(@.a.length( ) > 1)]", PATH_INPUT, false),
  OK("$[?(@.a[?(@.b == 1)])]", PATH_INPUT, false),
  /* logic */
  OK("$[?(!@.a)]", PATH_INPUT, false),
  OK("$[?(! @.a)]", PATH_INPUT, false),
  OK("$[?(!(@.a == 1))]", PATH_INPUT, false),
  OK("$[?(!!@.a)]", PATH_INPUT, false),
  OK("$[?(@.a&&@.b)]", PATH_INPUT, false),
  OK("$[?(@.a == 1 && (@.b || !@.c))]", PATH_INPUT, false),
  OK("$[?((@.a))]", PATH_INPUT, false),
  OK("$[?(@.a == !@.b)]", PATH_INPUT, false),
  /* LEN, not the terminator, bounds the text */
  OKN("$.ab", 3, PATH_INPUT, true),
  OKN("$.a b", 3, PATH_INPUT, true),

  /* root errors */
  BAD("", E_START, 0),
  BAD("a", E_START, 0),
  BAD(" $", E_START, 0),
  BAD("$$$", "unexpected '$' in path", 2),
  BAD("$1", "unexpected '1' in path", 1),
  BAD("$a-b", "unexpected '-' in path", 2),
  /* dot errors */
  BAD("$.", E_DOT, 1),
  BAD("$.a.", E_DOT, 3),
  BAD("$. a", E_DOT, 2),
  BAD("$.@", E_DOT, 2),
  BAD("$..", E_DEEP, 1),
  BAD("$.a..", E_DEEP, 3),
  BAD("$...", E_DEEP, 3),
  BAD("$.a\\", "expected a character after '\\\\'", 3),
  /* junk after a segment */
  BAD("$.a b", "unexpected ' ' in path", 3),
  BAD("$..a b", "unexpected ' ' in path", 4),
  BAD("$.a\tb", "unexpected '\\t' in path", 3),
  BAD("$.a\x01", "unexpected '\\x01' in path", 3),
  BADN("$.a\0b", 5, "unexpected '\\0' in path", 3),
  BAD("$.a'", "unexpected '\\'' in path", 3),
  BAD("$.a,b", "unexpected ',' in path", 3),
  BAD("$.length()", "unexpected '(' in path", 8),
  BAD("$[0]x", "unexpected 'x' in path", 4),
  BAD("$[0]]", "unexpected ']' in path", 4),
  BAD("$[0]\xc3\xa9", "unexpected non-ASCII byte in path", 4),
  /* bracket errors */
  BAD("$[]", E_OPEN, 2),
  BAD("$[ ]", E_OPEN, 3),
  BAD("$[a]", E_OPEN, 2),
  BAD("$[", E_UNTERM, 1),
  BAD("$[ ", E_UNTERM, 1),
  BAD("$[0", E_UNTERM, 1),
  BAD("$.a[0", E_UNTERM, 3),
  BAD("$[0][", E_UNTERM, 4),
  BAD("$['a'", E_UNTERM, 1),
  BAD("$['a',", E_UNTERM, 1),
  BAD("$[*", E_UNTERM, 1),
  BAD("$[-", E_UNTERM, 1),
  BAD("$['a", "unclosed quote in bracket", 2),
  BAD("$[\"a\\\"]", "unclosed quote in bracket", 2),
  BAD("$['a',]", "expected a quoted name after ','", 6),
  BAD("$['a' 'b']", "expected ',' or ']' after quoted name", 6),
  BAD("$['a',\"b\"]", "mixed quote characters in bracket", 6),
  BAD("$[*x]", "expected ']' after '*'", 3),
  /* index and slice errors */
  BAD("$[1.5]", "array index must be an integer", 3),
  BAD("$[1,2.5]", "array index must be an integer", 5),
  BAD("$[1:2.5]", "array index must be an integer", 5),
  BAD("$[1,]", "expected an index after ','", 4),
  BAD("$[1,,2]", "expected an index after ','", 4),
  BAD("$[1 2]", "expected ',', ':' or ']' after index", 4),
  BAD("$[1e3]", "expected ',', ':' or ']' after index", 3),
  BAD("$[1,2 3]", "expected ',' or ']' after index", 6),
  BAD("$[1,2:3]", "expected ',' or ']' after index", 5),
  BAD("$[-]", "expected a digit after '-'", 3),
  BAD("$[2147483648]", "array index out of range", 2),
  BAD("$[-2147483649]", "array index out of range", 2),
  BAD("$[:]", "expected a start or end index in slice", 2),
  BAD("$[::2]", "expected a start or end index in slice", 2),
  BAD("$[1:2:3:4]", "too many ':' in slice", 7),
  BAD("$[1:x]", "expected a number, ':' or ']' in slice", 4),
  BAD("$[1:2 3]", "expected ':' or ']' in slice", 6),
  BAD("$[1:2:x]", "expected a number or ']' in slice", 6),
  BAD("$[1:2:3 4]", "expected ']' after slice", 8),
  /* filter errors */
  BAD("$[?]", "expected '(' after '?'", 3),
  BAD("$[?", E_UNTERM, 1),
  BAD("$[?(]", "unterminated '(' in filter", 3),
  BAD("$[?((@.a)]", "unterminated '(' in filter", 3),
  BAD("$[?()]", "expected an expression inside '?()'", 4),
  BAD("$[?( )]", "expected an expression inside '?()'", 5),
  BAD("$[?(@.a == 'x)]", "unclosed quote in filter", 11),
  BAD("$[?(@.a =~ /x)]", "unclosed regex in filter", 11),
  BAD("$[?(@.a)x]", "expected ']' after filter", 8),
  BAD("$[?(@.a)", E_UNTERM, 1),
  /* filter grammar errors, at the offending byte */
  BAD("$.a[?(@.t==)].b", "expected a value in filter: a path, number, 'string', true, false, "
      "null, array or /regex/", 11),
  BAD("$[?(@.Type.Text==AMOUNT_PAID)]", "unquoted text in filter: strings are quoted ('text')",
      17),
  BAD("$[?(@.a == True)]", "true, false and null are lowercase in filter", 11),
  BAD("$[?(@.a == tru)]", "unquoted text in filter: strings are quoted ('text')", 11),
  BAD("$[?(@.a = 1)]", "unknown operator in filter", 8),
  BAD("$[?(@.a =! 1)]", "unknown operator in filter", 8),
  BAD("$[?(@.a like 'x')]", "unknown operator in filter", 8),
  BAD("$[?(@.a in['x'])]", "expected a space after the operator in filter", 10),
  BAD("$[?(@.a == 1 2)]", "expected '&&', '||' or ')' in filter", 13),
  BAD("$[?(@.a & @.b)]", "expected '&&', '||' or ')' in filter", 8),
  BAD("$[?(@.a == 1 &&)]", "expected a value in filter: a path, number, 'string', true, false, "
      "null, array or /regex/", 15),
  BAD("$[?(|| @.a)]", "expected a value in filter: a path, number, 'string', true, false, "
      "null, array or /regex/", 4),
  BAD("$[?(1)]", "expected an operator after a value in filter (only a path stands alone, as "
      "an existence test)", 5),
  BAD("$[?('a')]", "expected an operator after a value in filter (only a path stands alone, "
      "as an existence test)", 7),
  BAD("$[?(@.a == 1..2)]", "invalid number in filter", 11),
  BAD("$[?(@.a == 1e)]", "invalid number in filter", 11),
  BAD("$[?(@.a == 1-2)]", "invalid number in filter", 11),
  BAD("$[?(@.a == -)]", "invalid number in filter", 11),
  BAD("$[?(@.a in ['x')]", "unclosed '[' in filter", 11),
  BAD("$[?(@.a == !1)]", "expected a path after '!' in filter", 11),
  BAD("$[?(!1)]", "expected an operator after a value in filter (only a path stands alone, as "
      "an existence test)", 6),
  BAD("$[?(@.a.concat('x'))]", "expected ')': functions in a filter take no arguments", 15),
  BAD("$[?(@a)]", "unexpected 'a' in path", 5),
  BAD("$[?(@.a\t== 1)]", "unexpected '\\t' in path", 7),
  BAD("$[?(@.)]", E_DOT, 5),
  BAD("$[?(@.a[0 == 1)]", "expected ',', ':' or ']' after index", 10),
  BAD("$[?(@.a[0)]", E_UNTERM, 7),
  BAD("$[?(@.a == 1)", E_UNTERM, 1),
  BAD("$[?(@.a[?(@.b ==)])]", "expected a value in filter: a path, number, 'string', true, "
      "false, null, array or /regex/", 16),
};

/* Runs one case on an exact-length heap copy; returns true if it behaved as expected. */
static bool run_case(const struct test_case *tc)
{
  size_t len = tc->len ? tc->len : strlen(tc->text);
  char *buf = malloc(len ? len : 1);
  struct path_info info = { PATH_INPUT, false, 0 };
  size_t offset = (size_t)-1;
  const char *msg;
  bool ok;

  if (!buf) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  memcpy(buf, tc->text, len);
  msg = path_check(buf, len, &info, &offset);
  free(buf);

  if (tc->msg) {
    ok = msg && strcmp(msg, tc->msg) == 0 && offset == tc->offset;
    if (!ok)
      printf("FAIL \"%s\": expected error \"%s\" at %zu, got %s%s%s at %zu\n", tc->text,
             tc->msg, tc->offset, msg ? "\"" : "", msg ? msg : "success", msg ? "\"" : "",
             msg ? offset : (size_t)0);
  } else {
    ok = !msg && info.root == tc->root && info.is_reference == tc->is_reference &&
         (tc->root != PATH_VARIABLE || info.var_len == tc->var_len);
    if (!ok && msg)
      printf("FAIL \"%s\": expected success, got \"%s\" at %zu\n", tc->text, msg, offset);
    else if (!ok)
      printf("FAIL \"%s\": expected root %d reference %d var_len %zu, got %d %d %zu\n",
             tc->text, (int)tc->root, (int)tc->is_reference, tc->var_len, (int)info.root,
             (int)info.is_reference, info.var_len);
  }
  return ok;
}

/* Every printable junk byte after a segment is named in its message. */
static bool run_junk_chars(void)
{
  bool ok = true;

  for (int ch = '!'; ch <= '~'; ch++) {
    char text[5] = { '$', '[', '0', ']', (char)ch };
    char want[40];
    size_t offset = 0;
    const char *msg;

    if (ch == '.' || ch == '[')
      continue;
    if (ch == '\'' || ch == '\\')
      snprintf(want, sizeof want, "unexpected '\\%c' in path", ch);
    else
      snprintf(want, sizeof want, "unexpected '%c' in path", ch);
    msg = path_check(text, sizeof text, NULL, &offset);
    if (!msg || strcmp(msg, want) != 0 || offset != 4) {
      printf("FAIL junk byte '%c': expected \"%s\" at 4, got \"%s\" at %zu\n", ch, want,
             msg ? msg : "success", offset);
      ok = false;
    }
  }
  return ok;
}

/* Parentheses nested N deep inside a filter: fine to MAX_FILTER_DEPTH, refused beyond. */
static bool run_nesting(int n, bool want_ok)
{
  char text[256];
  size_t len = 0;
  const char *msg;

  len += (size_t)snprintf(text + len, sizeof text - len, "$[?(");
  for (int i = 0; i < n; i++)
    text[len++] = '(';
  len += (size_t)snprintf(text + len, sizeof text - len, "@.a");
  for (int i = 0; i < n; i++)
    text[len++] = ')';
  len += (size_t)snprintf(text + len, sizeof text - len, ")]");
  msg = path_check(text, len, NULL, NULL);
  if (want_ok ? msg == NULL : msg && strcmp(msg, "filter nested too deeply") == 0)
    return true;
  printf("FAIL %d nested parentheses: got %s\n", n, msg ? msg : "success");
  return false;
}

int main(void)
{
  size_t passed = 0, failed = 0;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (run_case(&cases[i]))
      passed++;
    else
      failed++;
  }
  if (run_junk_chars())
    passed++;
  else
    failed++;
  if (run_nesting(20, true) && run_nesting(40, false))
    passed++;
  else
    failed++;
  /* NULL INFO / ERR_OFFSET are tolerated */
  if (path_check("$.a", 3, NULL, NULL) == NULL && path_check("$.", 2, NULL, NULL) != NULL)
    passed++;
  else {
    printf("FAIL NULL info/err_offset\n");
    failed++;
  }

  printf("%zu passed, %zu failed\n", passed, failed);
  return failed ? 1 : 0;
}
