/* eval.c: what every part of the runtime shares: errors, deterministic random numbers,
 * variables, JSON text as AWS prints it, and payload templates (the ".$" rule).
 */
#include "runtime.h"
#include "sfc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- errors */

void rt_fail(struct rt_error *e, const char *error, const char *fmt, ...) {
  rt_error_free(e);
  e->error = xstrdup(error);
  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    e->cause = xvasprintf(fmt, ap);
    va_end(ap);
  }
}

void rt_error_free(struct rt_error *e) {
  free(e->error);
  free(e->cause);
  e->error = e->cause = NULL;
}

/* ---------------------------------------------------------------- regular expressions */

/* Where PCRE2 still reads a pattern otherwise than Java's Pattern (no translation is
   attempted): a class inside a class ([a-d[m-p]], [a-z&&[^e]]) is Java's union or
   intersection and PCRE2's literal '[' and '&'; (?U) is Java's UNICODE_CHARACTER_CLASS
   and PCRE2's ungreedy; (?d) and (?u) are refused; \x{41} is Java's A and here 41
   x's (\xhh and \uhhhh agree); a lookbehind of bounded but varying length
   ((?<=a{1,2})) is refused; flag i without u folds non-ASCII letters too (é, É).

   Java's Pattern flags, by the letter Jayway's PatternFlag gives each, as PCRE2 options.
   UNICODE_CASE has none: PCRE2 in UTF mode already folds case beyond ASCII (Java without
   it folds ASCII only). UNICODE_CHARACTER_CLASS is PCRE2's UCP (\w, \d, \b in Unicode).
   COMMENTS ignores white space in classes too, as Java does. */
static const struct {
  char letter;
  uint32_t option;
} java_flags[] = {
    {'i', PCRE2_CASELESS}, {'x', PCRE2_EXTENDED_MORE}, {'m', PCRE2_MULTILINE},
    {'s', PCRE2_DOTALL},   {'U', PCRE2_UCP},           {'u', 0},
    {'d', 0}, /* UNIX_LINES: the newline convention, below */
};

/* Bounds on one match: steps (backtracks), backtracking depth, and heap in KiB. A
   pattern such as (a+)+b on forty a's needs about 2^40 steps; Java would run until
   stopped, AWS's service stops it somehow: here the match fails after about 10 ms. */
enum { REGEX_MATCH_LIMIT = 1000000, REGEX_DEPTH_LIMIT = 100000, REGEX_HEAP_KIB = 64 * 1024,
       REGEX_MAX_PATTERN = 32768 };

static char *strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *strf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  return s;
}

static char *pcre2_message(int code) {
  PCRE2_UCHAR text[256];
  if (pcre2_get_error_message(code, text, sizeof text) < 0) return strf("PCRE2 error %d", code);
  return xstrdup((const char *)text);
}

pcre2_code *rt_regex_compile(const char *pattern, size_t len, const char *flags, char **why) {
  /* \C (one byte of a character) is PCRE2's alone: Java refuses it */
  uint32_t options = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_NEVER_BACKSLASH_C;
  bool unix_lines = false;
  for (const char *f = flags; f && *f; f++) {
    for (size_t i = 0; i < sizeof java_flags / sizeof *java_flags; i++)
      if (java_flags[i].letter == *f) options |= java_flags[i].option;
    if (*f == 'd') unix_lines = true;
  }
  pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
  if (!cc) die("out of memory");
  pcre2_set_newline(cc, unix_lines ? PCRE2_NEWLINE_LF : PCRE2_NEWLINE_ANY);
  pcre2_set_max_pattern_length(cc, REGEX_MAX_PATTERN);
  int code;
  PCRE2_SIZE offset;
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, len, options, &code, &offset, cc);
  pcre2_compile_context_free(cc);
  if (!re && why) {
    char *msg = pcre2_message(code);
    *why = strf("%s at %zu", msg, (size_t)offset);
    free(msg);
  }
  return re;
}

int rt_regex_match(const pcre2_code *re, const char *subject, size_t len, size_t start, bool whole,
                   pcre2_match_data *md, char **why) {
  pcre2_match_context *mc = pcre2_match_context_create(NULL);
  pcre2_match_data *own = md ? NULL : pcre2_match_data_create(1, NULL);
  if (!mc || (!md && !own)) die("out of memory");
  pcre2_set_match_limit(mc, REGEX_MATCH_LIMIT);
  pcre2_set_depth_limit(mc, REGEX_DEPTH_LIMIT);
  pcre2_set_heap_limit(mc, REGEX_HEAP_KIB);
  uint32_t options = whole ? PCRE2_ANCHORED | PCRE2_ENDANCHORED : 0;
  int rc = pcre2_match(re, (PCRE2_SPTR)subject, len, start, options, md ? md : own, mc);
  pcre2_match_context_free(mc);
  pcre2_match_data_free(own);
  if (rc < 0 && rc != PCRE2_ERROR_NOMATCH && why) {
    bool limit = rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT;
    char *msg = pcre2_message(rc);
    *why = limit ? strf("The regular expression needs too much work to match (%s)", msg) : xstrdup(msg);
    free(msg);
  }
  return rc;
}

/* ---------------------------------------------------------------- random numbers */

/* xoroshiro128+ (Blackman and Vigna, 2016), its state filled by splitmix64 from the
   seed as its authors recommend: fixed-width integer arithmetic only, so one seed gives
   the same sequence on every machine. */
static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

void rt_random_seed(struct rt_random *r, uint64_t seed) {
  r->state[0] = splitmix64(&seed);
  r->state[1] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rt_random_next(struct rt_random *r) {
  uint64_t s0 = r->state[0], s1 = r->state[1];
  uint64_t result = s0 + s1;
  s1 ^= s0;
  r->state[0] = rotl(s0, 24) ^ s1 ^ (s1 << 16);
  r->state[1] = rotl(s1, 37);
  return result;
}

/* The top 53 bits (the low bits of xoroshiro128+ are its weakest) as a double. */
double rt_random_unit(struct rt_random *r) {
  return (double)(rt_random_next(r) >> 11) * 0x1.0p-53;
}

void rt_uuid(struct rt_random *r, char out[37]) {
  uint64_t a = rt_random_next(r), b = rt_random_next(r);
  a = (a & ~UINT64_C(0xF000)) | UINT64_C(0x4000);       /* version 4 */
  b = (b & ~(UINT64_C(3) << 62)) | (UINT64_C(2) << 62); /* RFC 4122 variant */
  snprintf(out, 37, "%08llx-%04llx-%04llx-%04llx-%012llx", (unsigned long long)(a >> 32),
           (unsigned long long)((a >> 16) & 0xFFFF), (unsigned long long)(a & 0xFFFF),
           (unsigned long long)(b >> 48), (unsigned long long)(b & UINT64_C(0xFFFFFFFFFFFF)));
}

/* ---------------------------------------------------------------- variables */

json_t *rt_var_get(const struct rt_vars *v, const char *name) {
  for (; v; v = v->outer) {
    json_t *value = v->values ? json_object_get(v->values, name) : NULL;
    if (value) return value;
  }
  return NULL;
}

/* ---------------------------------------------------------------- JSON text */

/* A double as Java's Double.toString writes it (Jackson prints doubles so): the
   shortest digits that read back to the same value; plain between 10^-3 and 10^7,
   otherwise d.dddE[-]n; always a fractional part ("1.0", "1.0E21"). */
static void add_java_double(struct buf *b, double d) {
  if (d == 0) {
    buf_adds(b, signbit(d) ? "-0.0" : "0.0");
    return;
  }
  if (!isfinite(d)) { /* JSON cannot hold these; Java's words for them */
    buf_adds(b, isnan(d) ? "NaN" : d < 0 ? "-Infinity" : "Infinity");
    return;
  }
  char tmp[40];
  int precision = 1;
  for (; precision < 17; precision++) {
    snprintf(tmp, sizeof tmp, "%.*e", precision - 1, d);
    if (strtod(tmp, NULL) == d) break;
  }
  snprintf(tmp, sizeof tmp, "%.*e", precision - 1, d);
  /* tmp is [-]d[.ddd]e[+-]x: take the digits and the exponent apart */
  char digits[20];
  int n = 0;
  const char *p = tmp;
  if (*p == '-') buf_addc(b, '-'), p++;
  for (; *p && *p != 'e'; p++)
    if (*p != '.') digits[n++] = *p;
  while (n > 1 && digits[n - 1] == '0') n--;
  int exp = atoi(p + 1);
  double magnitude = fabs(d);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exp >= 0) {
      for (int i = 0; i <= exp; i++) buf_addc(b, i < n ? digits[i] : '0');
      buf_addc(b, '.');
      if (n > exp + 1) buf_add(b, digits + exp + 1, (size_t)(n - exp - 1));
      else buf_addc(b, '0');
    } else {
      buf_adds(b, "0.");
      for (int i = 0; i < -exp - 1; i++) buf_addc(b, '0');
      buf_add(b, digits, (size_t)n);
    }
  } else {
    buf_addc(b, digits[0]);
    buf_addc(b, '.');
    if (n > 1) buf_add(b, digits + 1, (size_t)(n - 1));
    else buf_addc(b, '0');
    buf_printf(b, "E%d", exp);
  }
}

/* A string as Jackson quotes it: '"' and '\\' escaped, the control characters as
   \b \t \n \f \r or \u00XX; everything else (non-ASCII, '/') as it is. */
static void add_json_string(struct buf *b, const char *s, size_t len) {
  buf_addc(b, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': buf_adds(b, "\\\""); break;
    case '\\': buf_adds(b, "\\\\"); break;
    case '\b': buf_adds(b, "\\b"); break;
    case '\t': buf_adds(b, "\\t"); break;
    case '\n': buf_adds(b, "\\n"); break;
    case '\f': buf_adds(b, "\\f"); break;
    case '\r': buf_adds(b, "\\r"); break;
    default:
      if (c < 0x20) buf_printf(b, "\\u%04X", c);
      else buf_addc(b, (char)c);
    }
  }
  buf_addc(b, '"');
}

/* Depth is bounded by what Jansson parsed (it refuses deeper than 2048). */
static void add_json(struct buf *b, const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    const char *key;
    json_t *value;
    bool first = true;
    buf_addc(b, '{');
    json_object_foreach((json_t *)v, key, value) {
      if (!first) buf_addc(b, ',');
      first = false;
      add_json_string(b, key, strlen(key));
      buf_addc(b, ':');
      add_json(b, value);
    }
    buf_addc(b, '}');
    break;
  }
  case JSON_ARRAY: {
    size_t i;
    json_t *value;
    buf_addc(b, '[');
    json_array_foreach(v, i, value) {
      if (i) buf_addc(b, ',');
      add_json(b, value);
    }
    buf_addc(b, ']');
    break;
  }
  case JSON_STRING: add_json_string(b, json_string_value(v), json_string_length(v)); break;
  case JSON_INTEGER: buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
  case JSON_REAL: add_java_double(b, json_real_value(v)); break;
  case JSON_TRUE: buf_adds(b, "true"); break;
  case JSON_FALSE: buf_adds(b, "false"); break;
  case JSON_NULL: buf_adds(b, "null"); break;
  }
}

size_t rt_utf16_length(const char *s, size_t len) {
  size_t units = 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp = 0;
    size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
    units += cp >= 0x10000 ? 2 : 1; /* a byte that is not UTF-8 counts as one */
    i += n ? n : 1;
  }
  return units;
}

char *rt_json_text(const json_t *v) {
  struct buf b = {0};
  if (v) add_json(&b, v);
  else buf_adds(&b, "null");
  buf_addc(&b, '\0');
  return b.data;
}

/* ---------------------------------------------------------------- payload templates */

/* The value of one "key.$" field: a path on $$ or $ (or a variable), otherwise an
   intrinsic call. */
static bool field_value(const char *key, json_t *expr, const struct rt_scope *s,
                        json_t **out, struct rt_error *err) {
  if (!json_is_string(expr)) {
    char *text = rt_json_text(expr);
    rt_fail(err, "States.Runtime",
            "The value of the field '%s' must be a JSONPath or an intrinsic function, not %s",
            key, text);
    free(text);
    return false;
  }
  const char *e = json_string_value(expr);
  if (e[0] != '$') return rt_intrinsic_in(e, key, s, out, err);
  char *why = NULL;
  bool limit;
  if (rt_path_eval(e, s, out, &why, &limit)) return true;
  if (limit) { /* our wording: AWS's service has its own bounds, unrecorded */
    rt_fail(err, "States.Runtime", "The JSONPath '%s' specified for the field '%s' could not be evaluated: %s",
            e, key, why);
    free(why);
    return false;
  }
  free(why);
  char *input = rt_json_text(s->input);
  rt_fail(err, "States.Runtime",
          "The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
          e, key, input);
  free(input);
  return false;
}

static bool template_value(json_t *t, const struct rt_scope *s, json_t **out,
                           struct rt_error *err);

static bool template_object(json_t *t, const struct rt_scope *s, json_t **out,
                            struct rt_error *err) {
  json_t *result = json_object();
  const char *key;
  json_t *value;
  bool ok = true;
  json_object_foreach(t, key, value) {
    size_t len = strlen(key);
    json_t *v;
    if (len < 2 || strcmp(key + len - 2, ".$") != 0) {
      if (!(ok = template_value(value, s, &v, err))) break;
      json_object_set_new(result, key, v);
      continue;
    }
    if (!(ok = field_value(key, value, s, &v, err))) break;
    char *name = xmalloc(len - 1); /* the key without ".$" (Jansson 2.13 has no setn) */
    memcpy(name, key, len - 2);
    name[len - 2] = '\0';
    json_object_set_new(result, name, v);
    free(name);
  }
  if (!ok) {
    json_decref(result);
    return false;
  }
  *out = result;
  return true;
}

static bool template_value(json_t *t, const struct rt_scope *s, json_t **out,
                           struct rt_error *err) {
  if (json_is_object(t)) return template_object(t, s, out, err);
  if (json_is_array(t)) {
    json_t *result = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(t, i, item) {
      json_t *v;
      if (!template_value(item, s, &v, err)) {
        json_decref(result);
        return false;
      }
      json_array_append_new(result, v);
    }
    *out = result;
    return true;
  }
  *out = json_deep_copy(t);
  return true;
}

bool rt_template(json_t *tmpl, const struct rt_scope *s, json_t **out, struct rt_error *err) {
  *out = NULL;
  return template_value(tmpl, s, out, err);
}
