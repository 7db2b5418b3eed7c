/* test_jsonata_str.c - unit test for the parts of runtime/jsonata_str.c that need no
   evaluator: JavaScript's number text (jn_number_text), $string's JSON text
   (jn_stringify), and regular expressions in JavaScript's dialect (jn_regex_compile,
   jn_regex_match, walked as the reference's regex closure walks them). Every expected
   value below was printed by node 20 (Number.prototype.toString, JSON.stringify with
   the reference's replacer, RegExp.prototype.exec with the 'g' flag).

   `test_jsonata_str --numbers FILE` checks lines "BITS TEXT STRINGIFIED" (BITS the
   double's 16 hex digits) instead, for comparing many numbers against node. */
#include "jsonata.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void check(bool ok, const char *what, const char *want, const char *got)
{
  if (ok) { passed++; return; }
  failed++;
  printf("FAIL %s\n  want %s\n  got  %s\n", what, want, got);
}

static const struct { double d; const char *text, *stringified; } numbers[] = {
  {1e+21, "1e+21", "1e+21"},
  {1e-7, "1e-7", "1e-7"},
  {0.30000000000000004, "0.30000000000000004", "0.3"},
  {123456789012345680000.0, "123456789012345680000", "123456789012346000000"},
  {-0.0, "0", "0"},
  {5e-324, "5e-324", "5e-324"},
  {1.7976931348623157e+308, "1.7976931348623157e+308", "null"},
  {0.000001, "0.000001", "0.000001"},
  {100000000000000000000.0, "100000000000000000000", "100000000000000000000"},
  {123.456, "123.456", "123.456"},
  {-1.5e-10, "-1.5e-10", "-1.5e-10"},
  {9007199254740992.0, "9007199254740992", "9007199254740990"},
  {0.3333333333333333, "0.3333333333333333", "0.333333333333333"},
  {100.0, "100", "100"},
  {0.5, "0.5", "0.5"},
  {-1e-7, "-1e-7", "-1e-7"},
  {1.5e+300, "1.5e+300", "1.5e+300"},
  {4.35, "4.35", "4.35"},
  {1000000000000005.0, "1000000000000005", "1000000000000010"},
  {0.000025, "0.000025", "0.000025"},
  {999999999999999900000.0, "999999999999999900000", "1e+21"},
};

static const struct { const char *pattern, *flags, *subject, *matches; } regexes[] = {
  {"b+", "", "ababbxabbcc",
   "[{\"match\":\"b\",\"start\":1,\"end\":2,\"groups\":[]},{\"match\":\"bb\",\"start\":3,\"end\":5,\"groups\":[]},{\"match\":\"bb\",\"start\":7,\"end\":9,\"groups\":[]}]"},
  {"(\\w+)\\s(\\w+)", "", "John Smith",
   "[{\"match\":\"John Smith\",\"start\":0,\"end\":10,\"groups\":[\"John\",\"Smith\"]}]"},
  {"a.*?a", "", "abracadabra",
   "[{\"match\":\"abra\",\"start\":0,\"end\":4,\"groups\":[]},{\"match\":\"ada\",\"start\":5,\"end\":8,\"groups\":[]}]"},
  {"^(.*?)d(.*)$", "", "darted",
   "[{\"match\":\"darted\",\"start\":0,\"end\":6,\"groups\":[\"\",\"arted\"]}]"},
  {"hat", "i", "Bowler HAT hat",
   "[{\"match\":\"HAT\",\"start\":7,\"end\":10,\"groups\":[]},{\"match\":\"hat\",\"start\":11,\"end\":14,\"groups\":[]}]"},
  {"^\\w", "m", "ab\ncd\r\nef",
   "[{\"match\":\"a\",\"start\":0,\"end\":1,\"groups\":[]},{\"match\":\"c\",\"start\":3,\"end\":4,\"groups\":[]},{\"match\":\"e\",\"start\":7,\"end\":8,\"groups\":[]}]"},
  {"\\w$", "m", "ab\ncd\r\nef",
   "[{\"match\":\"b\",\"start\":1,\"end\":2,\"groups\":[]},{\"match\":\"d\",\"start\":4,\"end\":5,\"groups\":[]},{\"match\":\"f\",\"start\":8,\"end\":9,\"groups\":[]}]"},
  {"a.c", "", "a\nc abc a\xe2\x80\xa8""c",
   "[{\"match\":\"abc\",\"start\":4,\"end\":7,\"groups\":[]}]"},
  {"\\s+", "", "a\xc2\xa0""b\xe3\x80\x80""c d",
   "[{\"match\":\"\xc2\xa0""\",\"start\":1,\"end\":2,\"groups\":[]},{\"match\":\"\xe3\x80\x80""\",\"start\":3,\"end\":4,\"groups\":[]},{\"match\":\" \",\"start\":5,\"end\":6,\"groups\":[]}]"},
  {"[^]", "", "\n",
   "[{\"match\":\"\\n\",\"start\":0,\"end\":1,\"groups\":[]}]"},
  {"\\u00e9+", "", "caf\xc3\xa9""\xc3\xa9""!",
   "[{\"match\":\"\xc3\xa9""\xc3\xa9""\",\"start\":3,\"end\":5,\"groups\":[]}]"},
  {"(a)|(b)", "", "b",
   "[{\"match\":\"b\",\"start\":0,\"end\":1,\"groups\":[null,\"b\"]}]"},
  {"\\d{2,}", "", "1 22 333",
   "[{\"match\":\"22\",\"start\":2,\"end\":4,\"groups\":[]},{\"match\":\"333\",\"start\":5,\"end\":8,\"groups\":[]}]"},
  {"[\\w.]+@\\w+", "", "x mail a.b@c d",
   "[{\"match\":\"a.b@c\",\"start\":7,\"end\":12,\"groups\":[]}]"},
  {"\\bfoo\\b", "", "foo food foo",
   "[{\"match\":\"foo\",\"start\":0,\"end\":3,\"groups\":[]},{\"match\":\"foo\",\"start\":9,\"end\":12,\"groups\":[]}]"},
  {"x*", "", "abc",
   "[{\"match\":\"\",\"start\":0,\"end\":0,\"groups\":[]}]"},
  {"(?<y>\\d{4})-(\\d\\d)", "", "on 2024-05",
   "[{\"match\":\"2024-05\",\"start\":3,\"end\":10,\"groups\":[\"2024\",\"05\"]}]"},
  {"\\1(a)", "", "aa",
   "[{\"match\":\"a\",\"start\":0,\"end\":1,\"groups\":[\"a\"]},{\"match\":\"a\",\"start\":1,\"end\":2,\"groups\":[\"a\"]}]"},
  {"\\x41\\101", "", "AA",
   "[{\"match\":\"AA\",\"start\":0,\"end\":2,\"groups\":[]}]"},
  {"\xc3\xa9""", "i", "\xc3\x89""",
   "[{\"match\":\"\xc3\x89""\",\"start\":0,\"end\":1,\"groups\":[]}]"},
  {"\\v", "", "a\x0b""b",
   "[{\"match\":\"\\u000B\",\"start\":1,\"end\":2,\"groups\":[]}]"},
  {"\xef\xbf\xbd""\xef\xbf\xbd"".", "", "x\xef\xbf\xbd""\xef\xbf\xbd""yz",
   "[{\"match\":\"\xef\xbf\xbd""\xef\xbf\xbd""y\",\"start\":1,\"end\":4,\"groups\":[]}]"},
  {"[a-z]{2,}", "", "ab c def",
   "[{\"match\":\"ab\",\"start\":0,\"end\":2,\"groups\":[]},{\"match\":\"def\",\"start\":5,\"end\":8,\"groups\":[]}]"},
  {"a{", "", "a{b",
   "[{\"match\":\"a{\",\"start\":0,\"end\":2,\"groups\":[]}]"},
  {"{}]", "", "x{}]",
   "[{\"match\":\"{}]\",\"start\":1,\"end\":4,\"groups\":[]}]"},
  {"\\/", "", "a/b",
   "[{\"match\":\"/\",\"start\":1,\"end\":2,\"groups\":[]}]"},
  {"(?=b)", "", "ab",
   "[{\"match\":\"\",\"start\":1,\"end\":1,\"groups\":[]}]"},
  {"(?<!a)b", "", "ab cb",
   "[{\"match\":\"b\",\"start\":4,\"end\":5,\"groups\":[]}]"},
  {"[\\s\\S]+", "", "a \n",
   "[{\"match\":\"a \\n\",\"start\":0,\"end\":3,\"groups\":[]}]"},
  {"[\\d-z]+", "", "1-z x",
   "[{\"match\":\"1-z\",\"start\":0,\"end\":3,\"groups\":[]}]"},
  {"\\cJ", "", "a\nb",
   "[{\"match\":\"\\n\",\"start\":1,\"end\":2,\"groups\":[]}]"},
  {"\\8", "", "a8",
   "[{\"match\":\"8\",\"start\":1,\"end\":2,\"groups\":[]}]"},
  {"(a)\\2", "", "a\x02""",
   "[{\"match\":\"a\\u0002\",\"start\":0,\"end\":2,\"groups\":[\"a\"]}]"},
  {"\\k", "", "k",
   "[{\"match\":\"k\",\"start\":0,\"end\":1,\"groups\":[]}]"},
  {"(?<n>a)\\k<n>", "", "aa",
   "[{\"match\":\"aa\",\"start\":0,\"end\":2,\"groups\":[\"a\"]}]"},
  {"[\\b]", "", "a\bb",
   "[{\"match\":\"\\b\",\"start\":1,\"end\":2,\"groups\":[]}]"},
  {"\\w+", "i", "\xc5\xbf""K",
   "[{\"match\":\"K\",\"start\":1,\"end\":2,\"groups\":[]}]"},
  {"^$", "", "",
   "[{\"match\":\"\",\"start\":0,\"end\":0,\"groups\":[]}]"},
  {"^", "m", "a\nb",
   "[{\"match\":\"\",\"start\":0,\"end\":0,\"groups\":[]}]"},
  {"$", "", "a\n",
   "[{\"match\":\"\",\"start\":2,\"end\":2,\"groups\":[]}]"},
  {"\\u{41}", "", "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu",
   "[{\"match\":\"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\",\"start\":0,\"end\":41,\"groups\":[]}]"},
  {"[^\\s]+", "", "ab\xc2\xa0""cd",
   "[{\"match\":\"ab\",\"start\":0,\"end\":2,\"groups\":[]},{\"match\":\"cd\",\"start\":3,\"end\":5,\"groups\":[]}]"},
  {"\\W", "", "a\xc3\xa9""",
   "[{\"match\":\"\xc3\xa9""\",\"start\":1,\"end\":2,\"groups\":[]}]"},
  {"\\p{L}", "", "p{L}",
   "[{\"match\":\"p{L}\",\"start\":0,\"end\":4,\"groups\":[]}]"},
  {"\\e\\a", "", "ea",
   "[{\"match\":\"ea\",\"start\":0,\"end\":2,\"groups\":[]}]"},
  {"a|", "", "b",
   "[{\"match\":\"\",\"start\":0,\"end\":0,\"groups\":[]}]"},
  {"(?:a|b)+", "i", "AbBa",
   "[{\"match\":\"AbBa\",\"start\":0,\"end\":4,\"groups\":[]}]"},
  {"\\D\\S", "", "1a b",
   "[{\"match\":\" b\",\"start\":2,\"end\":4,\"groups\":[]}]"},
};

/* $string's text for V, or the code of the error it raises. */
static char *stringified(const struct jv *v, bool pretty)
{
  struct jn_ctx x;
  struct jn_error err = {0};
  jn_ctx_begin(&x, &err);
  struct jv out;
  char *r;
  if (jn_stringify(&x, v, pretty, &out)) r = xstrdup(out.kind == JV_STRING ? out.u.s->text : "undefined");
  else {
    jn_ctx_error(&x);
    r = xstrdup(err.code);
  }
  jn_ctx_end(&x);
  jn_error_free(&err);
  return r;
}

static void check_number(double d, const char *text, const char *str)
{
  char t[32], what[80];
  jn_number_text(d, t);
  snprintf(what, sizeof what, "jn_number_text(%.17g)", d);
  check(!strcmp(t, text), what, text, t);
  struct jv v = jv_number(d);
  char *s = stringified(&v, false);
  snprintf(what, sizeof what, "jn_stringify(%.17g)", d);
  check(!strcmp(s, str), what, str, s);
  free(s);
}

static void check_numbers(void)
{
  for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) check_number(numbers[i].d, numbers[i].text, numbers[i].stringified);
  check_number(-0.0, "0", "0");
  check_number(-1e21, "-1e+21", "-1e+21");
  check_number(NAN, "NaN", "D3001");
  check_number(INFINITY, "Infinity", "D3001");
  check_number(-INFINITY, "-Infinity", "D3001");
}

/* JSON.stringify's layout, key order (array indexes first) and escapes. */
static void check_structures(void)
{
  struct jn_ctx x;
  struct jn_error err = {0};
  jn_ctx_begin(&x, &err);
  struct jv o = jv_object(&x), a = jv_array(&x, 2, 0), e = jv_object(&x);
  jv_obj_set(&x, o.u.o, "b", 1, jv_string(&x, "\x01\"\\\n\xc3\xa9", 6));
  jv_obj_set(&x, o.u.o, "10", 2, jv_null());
  jv_obj_set(&x, o.u.o, "2", 1, jv_bool(true));
  jv_obj_set(&x, o.u.o, "u", 1, jv_undefined());
  jv_push(&x, &a, jv_number(0.1 + 0.2));
  jv_push(&x, &a, e);
  jv_push(&x, &a, jv_array(&x, 1, 0));
  jv_obj_set(&x, o.u.o, "a", 1, a);
  /* node: JSON.stringify({b:"\x01""\"\\\né", 10:null, 2:true, u:undefined, a:[0.1+0.2, {}, []]}, replacer[, 2]) */
  const char *compact = "{\"2\":true,\"10\":null,\"b\":\"\\u0001\\\"\\\\\\n\xc3\xa9\",\"a\":[0.3,{},[]]}";
  const char *pretty = "{\n  \"2\": true,\n  \"10\": null,\n  \"b\": \"\\u0001\\\"\\\\\\n\xc3\xa9\",\n  \"a\": [\n    0.3,\n    {},\n    []\n  ]\n}";
  char *s = stringified(&o, false);
  check(!strcmp(s, compact), "jn_stringify(object)", compact, s);
  free(s);
  s = stringified(&o, true);
  check(!strcmp(s, pretty), "jn_stringify(object, pretty)", pretty, s);
  free(s);
  struct jv str = jv_cstring(&x, "as it is");
  s = stringified(&str, true);
  check(!strcmp(s, "as it is"), "jn_stringify(string)", "as it is", s);
  free(s);
  jn_ctx_end(&x);
}

/* The matches of PATTERN in SUBJECT as the reference's regex closure walks them: the
   first, then each next from lastIndex until the end; an empty match after the first
   is D1004 (reported here as the walk's end, as node's loop in ref.js stops there). */
static void check_regex(const char *pattern, const char *flags, const char *subject, const char *want)
{
  char what[200];
  snprintf(what, sizeof what, "/%s/%s on \"%s\"", pattern, flags, subject);
  char *why = NULL;
  pcre2_code *re = jn_regex_compile(pattern, strlen(pattern), flags, &why);
  if (!re) { check(false, what, want, why); free(why); return; }
  struct jn_ctx x;
  struct jn_error err = {0};
  jn_ctx_begin(&x, &err);
  struct jv s = jv_cstring(&x, subject), all = jv_array(&x, 4, 0), m;
  size_t from = 0, next;
  bool ok = true;
  for (int n = 0; n < 5; n++) {
    if (n && from >= s.u.s->len) break;
    if (!(ok = jn_regex_match(&x, re, s.u.s, from, &m, &next)) || m.kind == JV_UNDEFINED) break;
    jv_push(&x, &all, m);
    const struct jv *text = jv_obj_get(m.u.o, "match", 5);
    if (text->u.s->len == 0) break;
    from = next;
  }
  json_t *j = jv_to_json(&all);
  if (!ok) jn_ctx_error(&x);
  char *got = ok ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : xstrdup(err.code);
  json_decref(j);
  check(!strcmp(got, want), what, want, got);
  free(got);
  jn_ctx_end(&x);
  jn_error_free(&err);
  pcre2_code_free(re);
}

static void check_regexes(void)
{
  for (size_t i = 0; i < sizeof regexes / sizeof *regexes; i++)
    check_regex(regexes[i].pattern, regexes[i].flags, regexes[i].subject, regexes[i].matches);
  char *why = NULL;
  pcre2_code *re = jn_regex_compile("(", 1, "", &why);
  check(!re && why, "jn_regex_compile(\"(\") refused", "an error", re ? "compiled" : "no reason");
  free(why);
  if (re) pcre2_code_free(re);
}

static int check_number_file(const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f) { perror(path); return 2; }
  char bits[32], text[64], str[64];
  while (fscanf(f, "%31s %63s %63s", bits, text, str) == 3) {
    uint64_t u = strtoull(bits, NULL, 16);
    double d;
    memcpy(&d, &u, sizeof d);
    check_number(d, text, str);
  }
  fclose(f);
  printf("numbers: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
  if (argc == 3 && !strcmp(argv[1], "--numbers")) return check_number_file(argv[2]);
  check_numbers();
  check_structures();
  check_regexes();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
