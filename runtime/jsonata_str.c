#include "jsonata.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jsonata_str.c - JSONata's string and number functions, JavaScript's number text and
   JSON.stringify, and regular expressions in JavaScript's dialect on PCRE2.

   Strings are UTF-8 here and UTF-16 in the reference. Byte offsets stand in for
   UTF-16 indexes wherever the reference only finds and cuts at matches (indexOf,
   substr after indexOf), which gives the same text; where the reference counts
   ($length, $substring, $pad count code points; match objects and $formatNumber count
   UTF-16 units) the count is done as it does. */

/* ---------------------------------------------------------------- UTF-8 */

/* The code point at *I, moving *I past it; a stray byte is U+FFFD. Encoded surrogates
   (as a lone "\ud800" escape leaves them) are decoded as themselves, an encoded pair as
   the one code point it stands for. */
static uint32_t u8_next(const char *s, size_t len, size_t *i)
{
  const unsigned char *p = (const unsigned char *)s + *i;
  size_t left = len - *i;
  unsigned c = p[0];
  if (c < 0x80) { (*i)++; return c; }
  int n = c >= 0xF0 && c < 0xF8 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (!n || (size_t)n > left) { (*i)++; return 0xFFFD; }
  uint32_t cp = c & (0x3F >> (n - 1));
  for (int k = 1; k < n; k++) {
    if ((p[k] & 0xC0) != 0x80) { (*i)++; return 0xFFFD; }
    cp = cp << 6 | (p[k] & 0x3F);
  }
  *i += (size_t)n;
  if (cp >= 0xD800 && cp < 0xDC00 && len - *i >= 3 && (unsigned char)s[*i] == 0xED && ((unsigned char)s[*i + 1] & 0xF0) == 0xB0 &&
      ((unsigned char)s[*i + 2] & 0xC0) == 0x80) {
    /* an encoded pair of surrogates is the one character JavaScript sees in it */
    uint32_t lo = 0xD000 | ((uint32_t)((unsigned char)s[*i + 1] & 0x3F) << 6) | ((unsigned char)s[*i + 2] & 0x3F);
    *i += 3;
    return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  }
  return cp;
}

static size_t u16_units(uint32_t cp) { return cp >= 0x10000 ? 2 : 1; }

/* UTF-16 units in the first N bytes of S. */
static size_t u16_count(const char *s, size_t n)
{
  size_t units = 0;
  for (size_t i = 0; i < n;) units += u16_units(u8_next(s, n, &i));
  return units;
}

/* The byte offset of UTF-16 index IDX (clamped to the string, NaN as 0). */
static size_t u16_to_byte(const char *s, size_t len, double idx)
{
  if (!(idx > 0)) return 0;
  size_t i = 0;
  double units = 0;
  while (i < len && units < idx) units += (double)u16_units(u8_next(s, len, &i));
  return i;
}

static size_t cp_count(const char *s, size_t len)
{
  size_t n = 0;
  for (size_t i = 0; i < len;) { u8_next(s, len, &i); n++; }
  return n;
}

/* JavaScript's white space and line terminators (String.prototype.trim, Number(),
   parseInt). */
static bool js_space(uint32_t c)
{
  return c == 9 || c == 10 || c == 11 || c == 12 || c == 13 || c == 32 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

static struct jv buf_to_jv(struct jn_ctx *x, struct buf *b)
{
  struct jv v = jv_string(x, b->data ? b->data : "", b->len);
  buf_free(b);
  return v;
}

static const struct jv undefined_value = {JV_UNDEFINED, {0}};
static const struct jv *arg(const struct jv *args, int argc, int i)
{
  return i < argc ? &args[i] : &undefined_value;
}

static bool is_str(const struct jv *v) { return v->kind == JV_STRING; }
static bool is_num(const struct jv *v) { return v->kind == JV_NUMBER; }
static bool defined(const struct jv *v) { return v->kind != JV_UNDEFINED; }

/* The signature check lives in jsonata_fn.c; these keep a wrong type from going further. */
static bool want(struct jn_ctx *x, const struct jv *v, enum jv_kind k, const char *fn, int index)
{
  if (v->kind == k || v->kind == JV_UNDEFINED) return true;
  return jx_throw(x, "T0410", fn, v, NULL, index);
}

/* ---------------------------------------------------------------- numbers as JavaScript writes them */

/* The digits (no dot, no trailing zeros) and decimal exponent of the shortest text that
   reads back as A (> 0, finite). */
static int shortest_digits(double a, char *digits, int *exp10)
{
  char t[40];
  for (int p = 1; p <= 17; p++) {
    snprintf(t, sizeof t, "%.*e", p - 1, a);
    if (strtod(t, NULL) == a || p == 17) break;
  }
  int n = 0;
  char *e = strchr(t, 'e');
  for (char *q = t; q < e; q++)
    if (*q >= '0' && *q <= '9') digits[n++] = *q;
  while (n > 1 && digits[n - 1] == '0') n--;
  digits[n] = 0;
  *exp10 = atoi(e + 1);
  return n;
}

void jn_number_text(double d, char *buf)
{
  if (isnan(d)) { strcpy(buf, "NaN"); return; }
  if (isinf(d)) { strcpy(buf, d < 0 ? "-Infinity" : "Infinity"); return; }
  if (d == 0) { strcpy(buf, "0"); return; }
  char digits[24], *o = buf;
  int e10;
  if (d < 0) *o++ = '-';
  int k = shortest_digits(fabs(d), digits, &e10);
  int n = e10 + 1; /* the decimal point sits after N digits */
  if (k <= n && n <= 21) {
    memcpy(o, digits, (size_t)k);
    o += k;
    for (int i = k; i < n; i++) *o++ = '0';
  } else if (0 < n && n <= 21) {
    memcpy(o, digits, (size_t)n);
    o += n;
    *o++ = '.';
    memcpy(o, digits + n, (size_t)(k - n));
    o += k - n;
  } else if (-6 < n && n <= 0) {
    *o++ = '0';
    *o++ = '.';
    for (int i = n; i < 0; i++) *o++ = '0';
    memcpy(o, digits, (size_t)k);
    o += k;
  } else {
    *o++ = digits[0];
    if (k > 1) {
      *o++ = '.';
      memcpy(o, digits + 1, (size_t)(k - 1));
      o += k - 1;
    }
    o += sprintf(o, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
  }
  *o = 0;
}

/* Whether the digits at P (up to a non-digit) are 5 followed by zeros: an exact tie,
   which JavaScript's toPrecision and toFixed round up and printf rounds to even. */
static bool exact_tie(const char *p)
{
  if (*p != '5') return false;
  for (p++; *p >= '0' && *p <= '9'; p++)
    if (*p != '0') return false;
  return true;
}

/* Number(d.toPrecision(15)). */
static double round15(double d)
{
  if (!isfinite(d) || d == 0) return d;
  double a = fabs(d);
  char t[800];
  snprintf(t, 40, "%.20e", a);
  if (t[16] == '5' && !strncmp(t + 17, "0000", 4)) {
    snprintf(t, sizeof t, "%.770e", a); /* every digit a double has */
    if (exact_tie(t + 16)) a = nextafter(a, INFINITY);
  }
  snprintf(t, 40, "%.14e", a);
  double r = strtod(t, NULL);
  return d < 0 ? -r : r;
}

/* A.toFixed(DP) for A >= 0, into a malloc'd string. */
static char *to_fixed(double a, int dp)
{
  char nt[32];
  if (!(a < 1e21)) { jn_number_text(a, nt); return xstrdup(nt); }
  size_t cap = 1200 + (size_t)dp;
  char *t = xmalloc(cap);
  snprintf(t, cap, "%.*f", dp + 6, a);
  char *dot = strchr(t, '.');
  if (dot && dot[dp + 1] == '5' && !strncmp(dot + dp + 2, "00000", 5)) {
    snprintf(t, cap, "%.*f", dp + 1100, a);
    dot = strchr(t, '.');
    if (exact_tie(dot + dp + 1)) a = nextafter(a, INFINITY);
  }
  snprintf(t, cap, "%.*f", dp, a);
  return t;
}

/* JavaScript's Number(text) for the decimal forms the callers build: NaN when any of
   TEXT is left over. */
static double js_number_of(const char *text)
{
  char *end;
  if (!*text) return 0;
  double v = strtod(text, &end);
  if (*end || (text[0] != '-' && text[0] != '+' && text[0] != '.' && (text[0] < '0' || text[0] > '9'))) return NAN;
  return v;
}

/* Math.round: the nearest integer, halves towards +infinity. */
static double js_math_round(double v)
{
  if (!isfinite(v) || v == floor(v)) return v;
  double r = floor(v);
  if (v - r >= 0.5) r += 1;
  if (r == 0 && v < 0) r = -0.0;
  return r;
}

/* The reference's round(): half to even, PRECISION decimals by shifting the exponent
   in the number's text. */
static double js_round(double arg_, double precision)
{
  char t[32], s[64];
  bool shift = precision != 0 && !isnan(precision);
  if (shift) {
    jn_number_text(arg_, t);
    char *e = strchr(t, 'e');
    char ex[32];
    if (e) { *e = 0; jn_number_text(atof(e + 1) + precision, ex); }
    else jn_number_text(precision, ex);
    snprintf(s, sizeof s, "%se%s", t, ex);
    arg_ = js_number_of(s);
  }
  double result = js_math_round(arg_);
  double diff = result - arg_;
  if (fabs(diff) == 0.5 && fabs(fmod(result, 2)) == 1) result = result - 1;
  if (shift) {
    jn_number_text(result, t);
    char *e = strchr(t, 'e');
    char ex[32];
    if (e) { *e = 0; jn_number_text(atof(e + 1) - precision, ex); }
    else jn_number_text(-precision, ex);
    snprintf(s, sizeof s, "%se%s", t, ex);
    result = js_number_of(s);
  }
  if (result == 0) result = 0; /* no -0 */
  return result;
}

/* ---------------------------------------------------------------- JSON.stringify */

/* A string as JSON.stringify quotes it. */
static void json_quote(struct buf *b, const char *s, size_t len)
{
  buf_addc(b, '"');
  for (size_t i = 0; i < len;) {
    size_t at = i;
    uint32_t c = u8_next(s, len, &i);
    switch (c) {
    case '"': buf_adds(b, "\\\""); break;
    case '\\': buf_adds(b, "\\\\"); break;
    case '\b': buf_adds(b, "\\b"); break;
    case '\f': buf_adds(b, "\\f"); break;
    case '\n': buf_adds(b, "\\n"); break;
    case '\r': buf_adds(b, "\\r"); break;
    case '\t': buf_adds(b, "\\t"); break;
    default:
      if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF)) buf_printf(b, "\\u%04x", (unsigned)c);
      else buf_add(b, s + at, i - at);
    }
  }
  buf_addc(b, '"');
}

/* KEY as an array index (a canonical integer below 2^32-1), which JavaScript objects
   put first, in numeric order; -1 when not one. */
static double array_index(const struct jv_str *k)
{
  if (k->len == 0 || k->len > 10 || (k->len > 1 && k->text[0] == '0')) return -1;
  double v = 0;
  for (size_t i = 0; i < k->len; i++) {
    if (k->text[i] < '0' || k->text[i] > '9') return -1;
    v = v * 10 + (k->text[i] - '0');
  }
  return v < 4294967295.0 ? v : -1;
}

static void indent(struct buf *b, int depth)
{
  buf_addc(b, '\n');
  for (int i = 0; i < depth; i++) buf_adds(b, "  ");
}

static bool write_json(struct jn_ctx *x, struct buf *b, const struct jv *v, bool pretty, int depth);

static int cmp_index(const void *a, const void *b)
{
  const double *p = a, *q = b;
  return p[0] < q[0] ? -1 : p[0] > q[0];
}

static bool write_json(struct jn_ctx *x, struct buf *b, const struct jv *v, bool pretty, int depth)
{
  char t[32];
  switch (v->kind) {
  case JV_UNDEFINED: case JV_NULL: buf_adds(b, "null"); return true;
  case JV_BOOL: buf_adds(b, v->u.b ? "true" : "false"); return true;
  case JV_FUNCTION: buf_adds(b, "\"\""); return true;
  case JV_STRING: json_quote(b, v->u.s->text, v->u.s->len); return true;
  case JV_NUMBER: {
    if (isinf(v->u.n)) return jx_throw(x, "D1001", NULL, NULL, NULL, 0);
    double r = round15(v->u.n);
    if (!isfinite(r)) buf_adds(b, "null");
    else { jn_number_text(r, t); buf_adds(b, t); }
    return true;
  }
  case JV_ARRAY: {
    const struct jv_arr *a = v->u.a;
    if (a->len == 0) { buf_adds(b, "[]"); return true; }
    buf_addc(b, '[');
    for (size_t i = 0; i < a->len; i++) {
      if (i) buf_addc(b, ',');
      if (pretty) indent(b, depth + 1);
      if (!write_json(x, b, &a->items[i], pretty, depth + 1)) return false;
    }
    if (pretty) indent(b, depth);
    buf_addc(b, ']');
    return true;
  }
  case JV_OBJECT: {
    const struct jv_obj *o = v->u.o;
    size_t n = jv_obj_len(o), nidx = 0;
    /* pairs (index value, position) for the array-index keys */
    double *idx = xmalloc((2 * n + 1) * sizeof *idx);
    for (size_t i = 0; i < n; i++) {
      double k = array_index(jv_obj_key(o, i));
      if (k >= 0) { idx[2 * nidx] = k; idx[2 * nidx + 1] = (double)i; nidx++; }
    }
    qsort(idx, nidx, 2 * sizeof *idx, cmp_index);
    /* the order to write them in: the index keys by value, then the rest as inserted */
    size_t *order = xmalloc((n + 1) * sizeof *order), no = 0;
    for (size_t i = 0; i < nidx; i++) order[no++] = (size_t)idx[2 * i + 1];
    for (size_t i = 0; i < n; i++)
      if (array_index(jv_obj_key(o, i)) < 0) order[no++] = i;
    bool any = false, ok = true;
    buf_addc(b, '{');
    for (size_t step = 0; step < no && ok; step++) {
      size_t i = order[step];
      const struct jv *m = jv_obj_value(o, i);
      if (m->kind == JV_UNDEFINED) continue;
      if (any) buf_addc(b, ',');
      any = true;
      if (pretty) indent(b, depth + 1);
      const struct jv_str *k = jv_obj_key(o, i);
      json_quote(b, k->text, k->len);
      buf_adds(b, pretty ? ": " : ":");
      ok = write_json(x, b, m, pretty, depth + 1);
    }
    free(order);
    free(idx);
    if (!ok) return false;
    if (pretty && any) indent(b, depth);
    buf_addc(b, '}');
    return true;
  }
  }
  return true;
}

bool jn_stringify(struct jn_ctx *x, const struct jv *v, bool pretty, struct jv *out)
{
  if (v->kind == JV_UNDEFINED) { *out = jv_undefined(); return true; }
  if (v->kind == JV_STRING) { *out = *v; return true; }
  if (v->kind == JV_FUNCTION) { *out = jv_string(x, "", 0); return true; }
  if (v->kind == JV_NUMBER && !isfinite(v->u.n)) return jx_throw(x, "D3001", NULL, NULL, NULL, 0);
  if (v->kind == JV_ARRAY && (v->u.a->flags & JVF_OUTER_WRAPPER) && v->u.a->len) v = &v->u.a->items[0];
  struct buf b = {0};
  if (!write_json(x, &b, v, pretty, 0)) { buf_free(&b); return false; }
  *out = buf_to_jv(x, &b);
  return true;
}

bool jn_fn_string(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *p = arg(args, argc, 1);
  if (!want(x, p, JV_BOOL, "string", 2)) return false;
  return jn_stringify(x, arg(args, argc, 0), p->kind == JV_BOOL && p->u.b, out);
}

/* ---------------------------------------------------------------- regular expressions */

/* JavaScript's \s, as class items. */
#define JS_SPACES "\\t\\n\\x{0b}\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}"
/* JavaScript's line terminators, as class items. */
#define JS_EOL "\\n\\r\\x{2028}\\x{2029}"

static int hexval(int c)
{
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static bool hex_run(const char *p, size_t left, int n, unsigned *v)
{
  if ((size_t)n > left) return false;
  *v = 0;
  for (int i = 0; i < n; i++) {
    int h = hexval((unsigned char)p[i]);
    if (h < 0) return false;
    *v = *v * 16 + (unsigned)h;
  }
  return true;
}

/* The capturing groups of a JavaScript pattern, and whether any is named. */
static int count_groups(const char *p, size_t len, bool *named)
{
  int n = 0;
  bool cls = false;
  *named = false;
  for (size_t i = 0; i < len; i++) {
    if (p[i] == '\\') { i++; continue; }
    if (cls) { if (p[i] == ']') cls = false; continue; }
    if (p[i] == '[') cls = true;
    else if (p[i] == '(') {
      if (i + 1 < len && p[i + 1] == '?') {
        if (i + 2 < len && p[i + 2] == '<' && i + 3 < len && p[i + 3] != '=' && p[i + 3] != '!') { n++; *named = true; }
      } else n++;
    }
  }
  return n;
}

/* An octal escape as JavaScript's legacy syntax reads it (up to three digits, at most
   0377), at P; returns the digits used. */
static size_t legacy_octal(const char *p, size_t left, unsigned *v)
{
  size_t n = 0;
  *v = 0;
  size_t max = p[0] >= '0' && p[0] <= '3' ? 3 : 2;
  while (n < max && n < left && p[n] >= '0' && p[n] <= '7') *v = *v * 8 + (unsigned)(p[n++] - '0');
  return n;
}

/* Rewrites a JavaScript pattern (non-unicode mode, flags i and m) as PCRE2 reads it in
   UTF mode: '.', '^', '$' and \s as JavaScript defines them, \v, \uXXXX, legacy octal
   and identity escapes, back references beyond the groups. */
static void js_to_pcre(struct buf *b, const char *p, size_t len, bool multiline)
{
  bool named;
  int groups = count_groups(p, len, &named);
  bool cls = false;
  for (size_t i = 0; i < len; i++) {
    char c = p[i];
    if (c == '\\' && i + 1 < len) {
      char e = p[++i];
      size_t left = len - i - 1; /* after E */
      unsigned v;
      switch (e) {
      case 't': case 'n': case 'r': case 'f':
        buf_addc(b, '\\'); buf_addc(b, e); break;
      case 'd': case 'D': case 'w': case 'W':
        buf_addc(b, '\\'); buf_addc(b, e);
        if (cls && left >= 2 && p[i + 1] == '-' && p[i + 2] != ']') { buf_adds(b, "\\-"); i++; } /* no range from a class */
        break;
      case 'b': buf_adds(b, "\\b"); break;
      case 'B': buf_adds(b, cls ? "B" : "\\B"); break;
      case 's': case 'S':
        buf_adds(b, e == 's' ? (cls ? JS_SPACES : "[" JS_SPACES "]") : cls ? "\\S" : "[^" JS_SPACES "]");
        if (cls && left >= 2 && p[i + 1] == '-' && p[i + 2] != ']') { buf_adds(b, "\\-"); i++; }
        break;
      case 'v': buf_adds(b, "\\x{0b}"); break;
      case 'c':
        if (left && ((p[i + 1] >= 'a' && p[i + 1] <= 'z') || (p[i + 1] >= 'A' && p[i + 1] <= 'Z'))) {
          buf_printf(b, "\\x{%x}", (unsigned)(p[i + 1] & 31));
          i++;
        } else buf_adds(b, "\\\\c");
        break;
      case 'x':
        if (hex_run(p + i + 1, left, 2, &v)) { buf_printf(b, "\\x{%x}", v); i += 2; }
        else buf_addc(b, 'x');
        break;
      case 'u':
        if (hex_run(p + i + 1, left, 4, &v)) {
          i += 4;
          unsigned lo;
          if (v >= 0xD800 && v < 0xDC00 && len - i - 1 >= 6 && p[i + 1] == '\\' && p[i + 2] == 'u' &&
              hex_run(p + i + 3, 4, 4, &lo) && lo >= 0xDC00 && lo < 0xE000) {
            v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
          if (v >= 0xD800 && v < 0xE000) buf_adds(b, cls ? "" : "(?!)"); /* a lone surrogate matches nothing here */
          else buf_printf(b, "\\x{%x}", v);
        } else buf_addc(b, 'u');
        break;
      case 'k':
        if (named && left && p[i + 1] == '<') buf_adds(b, "\\k");
        else buf_addc(b, 'k');
        break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9': {
        if (!cls && e != '0') {
          size_t j = i;
          long n = 0;
          while (j < len && p[j] >= '0' && p[j] <= '9' && n < 100000) n = n * 10 + (p[j++] - '0');
          if (n <= groups) {
            buf_printf(b, "(?:\\g{%ld})", n);
            i = j - 1;
            break;
          }
        }
        if (e >= '8') { buf_addc(b, e); break; }
        size_t used = legacy_octal(p + i, len - i, &v);
        buf_printf(b, "\\x{%x}", v);
        i += used - 1;
        break;
      }
      default:
        if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (unsigned char)e >= 0x80) buf_addc(b, e); /* identity escape */
        else { buf_addc(b, '\\'); buf_addc(b, e); }
      }
      continue;
    }
    if (cls) {
      if (c == ']') cls = false;
      if (c == '[') buf_adds(b, "\\[");
      else if (c == '-' && i + 2 < len && p[i + 1] == '\\' && strchr("dDwWsS", p[i + 2])) buf_adds(b, "\\-");
      else buf_addc(b, c);
      continue;
    }
    switch (c) {
    case '[':
      cls = true;
      buf_addc(b, '[');
      if (i + 1 < len && p[i + 1] == '^') { buf_addc(b, '^'); i++; }
      /* a ']' right here closes the class in JavaScript: PCRE2_ALLOW_EMPTY_CLASS reads it so */
      break;
    case '.': buf_adds(b, "[^" JS_EOL "]"); break;
    case '^': buf_adds(b, multiline ? "(?<![^" JS_EOL "])" : "^"); break;
    case '$': buf_adds(b, multiline ? "(?=[" JS_EOL "]|\\z)" : "\\z"); break;
    default: buf_addc(b, c);
    }
  }
}

pcre2_code *jn_regex_compile(const char *pattern, size_t len, const char *flags, char **why)
{
  bool caseless = flags && strchr(flags, 'i'), multiline = flags && strchr(flags, 'm');
  struct buf b = {0};
  js_to_pcre(&b, pattern, len, multiline);
  pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
  pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_BAD_ESCAPE_IS_LITERAL);
  uint32_t options = PCRE2_UTF | PCRE2_MATCH_UNSET_BACKREF | PCRE2_ALLOW_EMPTY_CLASS | PCRE2_DOLLAR_ENDONLY;
  if (caseless) options |= PCRE2_CASELESS;
  int code;
  PCRE2_SIZE offset;
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)(b.data ? b.data : ""), b.len, options, &code, &offset, cc);
  pcre2_compile_context_free(cc);
  buf_free(&b);
  if (!re) {
    PCRE2_UCHAR text[256];
    if (pcre2_get_error_message(code, text, sizeof text) < 0) snprintf((char *)text, sizeof text, "PCRE2 error %d", code);
    *why = xstrdup((const char *)text);
  }
  return re;
}

/* jn_regex_match, told that byte HINT_BYTE (at or before FROM) is UTF-16 index
   *HINT_UNITS, which it moves to the match's start, and whether S is known to be valid
   UTF-8 (PCRE2 would check all of it again): walking the matches stays linear. */
static bool regex_exec(struct jn_ctx *x, const pcre2_code *re, const struct jv_str *s, size_t from,
                       size_t *hint_byte, double *hint_units, bool utf_checked, struct jv *out, size_t *next_from)
{
  *out = jv_undefined();
  *next_from = from;
  if (from > s->len) return true;
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
  pcre2_match_context *mc = pcre2_match_context_create(NULL);
  pcre2_set_match_limit(mc, 10000000);
  pcre2_set_depth_limit(mc, 100000);
  int rc = pcre2_match(re, (PCRE2_SPTR)s->text, s->len, from, utf_checked ? PCRE2_NO_UTF_CHECK : 0, md, mc);
  pcre2_match_context_free(mc);
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
    pcre2_match_data_free(md);
    return jx_throw_message(x, "D1004", "Regular expression is too complex to match");
  }
  if (rc < 0) { pcre2_match_data_free(md); return true; } /* no match (or a subject PCRE2 cannot read) */
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
  uint32_t ncap = 0;
  pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &ncap);
  double start = *hint_units + (double)u16_count(s->text + *hint_byte, ov[0] - *hint_byte);
  *hint_byte = ov[0];
  *hint_units = start;
  double end = start + (double)u16_count(s->text + ov[0], ov[1] - ov[0]);
  struct jv o = jv_object(x), groups = jv_array(x, ncap, 0);
  jv_obj_set(x, o.u.o, "match", 5, jv_string(x, s->text + ov[0], ov[1] - ov[0]));
  jv_obj_set(x, o.u.o, "start", 5, jv_number(start));
  jv_obj_set(x, o.u.o, "end", 3, jv_number(end));
  for (uint32_t g = 1; g <= ncap; g++) {
    if ((int)g < rc && ov[2 * g] != PCRE2_UNSET) jv_push(x, &groups, jv_string(x, s->text + ov[2 * g], ov[2 * g + 1] - ov[2 * g]));
    else jv_push(x, &groups, jv_undefined());
  }
  jv_obj_set(x, o.u.o, "groups", 6, groups);
  *next_from = ov[1];
  pcre2_match_data_free(md);
  *out = o;
  return true;
}

/* A missing pattern (or `next`): the reference calls it and fails with JavaScript's TypeError, which
   has no JSONata code. */
static bool no_matcher(struct jn_ctx *x)
{
  return jx_throw_message(x, "", "Cannot read properties of undefined (reading 'apply')");
}

bool jn_regex_match(struct jn_ctx *x, const pcre2_code *re, const struct jv_str *s, size_t from,
                    struct jv *out, size_t *next_from)
{
  size_t hint_byte = 0;
  double hint_units = 0;
  return regex_exec(x, re, s, from, &hint_byte, &hint_units, false, out, next_from);
}

/* Walks the matches of a regular expression, or of a matcher function (its result and
   then each `next`), as the reference's $match, $replace, $split and $contains do. */
struct matcher {
  const pcre2_code *re;
  const struct jv *fn;
  const struct jv_str *s;
  struct jv obj;        /* the current match object */
  size_t next_from;     /* a regular expression's lastIndex, in bytes */
  size_t hint_byte;     /* the last match's start, in bytes and in UTF-16 units */
  double hint_units;
  struct jv match;      /* the matched text (a string) */
  struct jv groups;     /* an array */
  struct jv start;      /* the reference's start, in UTF-16 units */
  size_t bstart, bend;  /* where the match's text begins and ends, in bytes */
  size_t bend_field;    /* the match's `end`, in bytes */
};

/* Reads the fields of M->obj; false with T1010 when it is not a match object. */
static bool matcher_read(struct jn_ctx *x, struct matcher *m)
{
  const struct jv *o = &m->obj;
  if (o->kind != JV_OBJECT) return jx_throw(x, "T1010", NULL, NULL, NULL, 0);
  const struct jv *start = jv_obj_get(o->u.o, "start", 5), *end = jv_obj_get(o->u.o, "end", 3);
  const struct jv *groups = jv_obj_get(o->u.o, "groups", 6), *match = jv_obj_get(o->u.o, "match", 5);
  const struct jv *next = jv_obj_get(o->u.o, "next", 4);
  if (!(start && start->kind == JV_NUMBER) && !(groups && groups->kind == JV_ARRAY) && !(next && next->kind == JV_FUNCTION))
    return jx_throw(x, "T1010", NULL, NULL, NULL, 0);
  m->match = match && match->kind == JV_STRING ? *match : jv_string(x, "", 0);
  m->groups = groups && groups->kind == JV_ARRAY ? *groups : jv_array(x, 0, 0);
  m->start = start ? *start : jv_undefined();
  if (m->re) {
    m->bend = m->next_from;
    m->bstart = m->bend - m->match.u.s->len;
    m->bend_field = m->bend;
  } else {
    m->bstart = u16_to_byte(m->s->text, m->s->len, start && start->kind == JV_NUMBER ? start->u.n : NAN);
    m->bend = m->bstart + m->match.u.s->len;
    if (m->bend > m->s->len) m->bend = m->s->len;
    m->bend_field = u16_to_byte(m->s->text, m->s->len, end && end->kind == JV_NUMBER ? end->u.n : NAN);
  }
  return true;
}

/* 1: a match, 0: none, -1: an error raised. */
static int matcher_first(struct jn_ctx *x, struct matcher *m, const struct jv *pattern, const struct jv_str *s)
{
  memset(m, 0, sizeof *m);
  m->s = s;
  m->re = jx_regex(pattern);
  if (m->re) {
    if (!regex_exec(x, m->re, s, 0, &m->hint_byte, &m->hint_units, false, &m->obj, &m->next_from)) return -1;
  } else {
    m->fn = pattern;
    struct jv a = {JV_STRING, {.s = (struct jv_str *)s}};
    if (!jx_apply(x, pattern, &a, 1, &m->obj)) return -1;
  }
  if (m->obj.kind == JV_UNDEFINED) return 0;
  return matcher_read(x, m) ? 1 : -1;
}

static int matcher_next(struct jn_ctx *x, struct matcher *m)
{
  if (m->re) {
    if (m->next_from >= m->s->len) return 0;
    /* a first match means PCRE2 found the subject valid */
    if (!regex_exec(x, m->re, m->s, m->next_from, &m->hint_byte, &m->hint_units, true, &m->obj, &m->next_from)) return -1;
    if (m->obj.kind == JV_UNDEFINED) return 0;
    if (!matcher_read(x, m)) return -1;
    if (m->match.u.s->len == 0) { /* it would never progress */
      jx_throw(x, "D1004", NULL, NULL, NULL, 0);
      return -1;
    }
    return 1;
  }
  const struct jv *next = m->obj.kind == JV_OBJECT ? jv_obj_get(m->obj.u.o, "next", 4) : NULL;
  if (!next || next->kind != JV_FUNCTION) { no_matcher(x); return -1; }
  struct jv fn = *next;
  if (!jx_apply(x, &fn, NULL, 0, &m->obj)) return -1;
  if (m->obj.kind == JV_UNDEFINED) return 0;
  return matcher_read(x, m) ? 1 : -1;
}

/* ---------------------------------------------------------------- case mapping */

/* JavaScript's toUpperCase and toLowerCase (Unicode's full mappings as node 20 has
   them), generated from node: code points LO..HI, every STRIDE-th, map to themselves
   plus DELTA; the few that map to several code points are listed apart. */
struct case_range {
  uint32_t lo, hi;
  int stride, delta;
};
struct case_multi {
  uint32_t cp;
  uint32_t to[3];
};
static const struct case_range upper_ranges[] = {
  {0x61, 0x7a, 1, -32}, {0xb5, 0xb5, 1, 743}, {0xe0, 0xf6, 1, -32}, {0xf8, 0xfe, 1, -32},
  {0xff, 0xff, 1, 121}, {0x101, 0x12f, 2, -1}, {0x131, 0x131, 1, -232}, {0x133, 0x137, 2, -1},
  {0x13a, 0x148, 2, -1}, {0x14b, 0x177, 2, -1}, {0x17a, 0x17e, 2, -1}, {0x17f, 0x17f, 1, -300},
  {0x180, 0x180, 1, 195}, {0x183, 0x185, 2, -1}, {0x188, 0x188, 1, -1}, {0x18c, 0x18c, 1, -1},
  {0x192, 0x192, 1, -1}, {0x195, 0x195, 1, 97}, {0x199, 0x199, 1, -1}, {0x19a, 0x19a, 1, 163},
  {0x19b, 0x19b, 1, 42561}, {0x19e, 0x19e, 1, 130}, {0x1a1, 0x1a5, 2, -1}, {0x1a8, 0x1a8, 1, -1},
  {0x1ad, 0x1ad, 1, -1}, {0x1b0, 0x1b0, 1, -1}, {0x1b4, 0x1b6, 2, -1}, {0x1b9, 0x1b9, 1, -1},
  {0x1bd, 0x1bd, 1, -1}, {0x1bf, 0x1bf, 1, 56}, {0x1c5, 0x1c5, 1, -1}, {0x1c6, 0x1c6, 1, -2},
  {0x1c8, 0x1c8, 1, -1}, {0x1c9, 0x1c9, 1, -2}, {0x1cb, 0x1cb, 1, -1}, {0x1cc, 0x1cc, 1, -2},
  {0x1ce, 0x1dc, 2, -1}, {0x1dd, 0x1dd, 1, -79}, {0x1df, 0x1ef, 2, -1}, {0x1f2, 0x1f2, 1, -1},
  {0x1f3, 0x1f3, 1, -2}, {0x1f5, 0x1f5, 1, -1}, {0x1f9, 0x21f, 2, -1}, {0x223, 0x233, 2, -1},
  {0x23c, 0x23c, 1, -1}, {0x23f, 0x240, 1, 10815}, {0x242, 0x242, 1, -1}, {0x247, 0x24f, 2, -1},
  {0x250, 0x250, 1, 10783}, {0x251, 0x251, 1, 10780}, {0x252, 0x252, 1, 10782},
  {0x253, 0x253, 1, -210}, {0x254, 0x254, 1, -206}, {0x256, 0x257, 1, -205},
  {0x259, 0x259, 1, -202}, {0x25b, 0x25b, 1, -203}, {0x25c, 0x25c, 1, 42319},
  {0x260, 0x260, 1, -205}, {0x261, 0x261, 1, 42315}, {0x263, 0x263, 1, -207},
  {0x264, 0x264, 1, 42343}, {0x265, 0x265, 1, 42280}, {0x266, 0x266, 1, 42308},
  {0x268, 0x268, 1, -209}, {0x269, 0x269, 1, -211}, {0x26a, 0x26a, 1, 42308},
  {0x26b, 0x26b, 1, 10743}, {0x26c, 0x26c, 1, 42305}, {0x26f, 0x26f, 1, -211},
  {0x271, 0x271, 1, 10749}, {0x272, 0x272, 1, -213}, {0x275, 0x275, 1, -214},
  {0x27d, 0x27d, 1, 10727}, {0x280, 0x280, 1, -218}, {0x282, 0x282, 1, 42307},
  {0x283, 0x283, 1, -218}, {0x287, 0x287, 1, 42282}, {0x288, 0x288, 1, -218},
  {0x289, 0x289, 1, -69}, {0x28a, 0x28b, 1, -217}, {0x28c, 0x28c, 1, -71}, {0x292, 0x292, 1, -219},
  {0x29d, 0x29d, 1, 42261}, {0x29e, 0x29e, 1, 42258}, {0x345, 0x345, 1, 84}, {0x371, 0x373, 2, -1},
  {0x377, 0x377, 1, -1}, {0x37b, 0x37d, 1, 130}, {0x3ac, 0x3ac, 1, -38}, {0x3ad, 0x3af, 1, -37},
  {0x3b1, 0x3c1, 1, -32}, {0x3c2, 0x3c2, 1, -31}, {0x3c3, 0x3cb, 1, -32}, {0x3cc, 0x3cc, 1, -64},
  {0x3cd, 0x3ce, 1, -63}, {0x3d0, 0x3d0, 1, -62}, {0x3d1, 0x3d1, 1, -57}, {0x3d5, 0x3d5, 1, -47},
  {0x3d6, 0x3d6, 1, -54}, {0x3d7, 0x3d7, 1, -8}, {0x3d9, 0x3ef, 2, -1}, {0x3f0, 0x3f0, 1, -86},
  {0x3f1, 0x3f1, 1, -80}, {0x3f2, 0x3f2, 1, 7}, {0x3f3, 0x3f3, 1, -116}, {0x3f5, 0x3f5, 1, -96},
  {0x3f8, 0x3f8, 1, -1}, {0x3fb, 0x3fb, 1, -1}, {0x430, 0x44f, 1, -32}, {0x450, 0x45f, 1, -80},
  {0x461, 0x481, 2, -1}, {0x48b, 0x4bf, 2, -1}, {0x4c2, 0x4ce, 2, -1}, {0x4cf, 0x4cf, 1, -15},
  {0x4d1, 0x52f, 2, -1}, {0x561, 0x586, 1, -48}, {0x10d0, 0x10fa, 1, 3008},
  {0x10fd, 0x10ff, 1, 3008}, {0x13f8, 0x13fd, 1, -8}, {0x1c80, 0x1c80, 1, -6254},
  {0x1c81, 0x1c81, 1, -6253}, {0x1c82, 0x1c82, 1, -6244}, {0x1c83, 0x1c84, 1, -6242},
  {0x1c85, 0x1c85, 1, -6243}, {0x1c86, 0x1c86, 1, -6236}, {0x1c87, 0x1c87, 1, -6181},
  {0x1c88, 0x1c88, 1, 35266}, {0x1c8a, 0x1c8a, 1, -1}, {0x1d79, 0x1d79, 1, 35332},
  {0x1d7d, 0x1d7d, 1, 3814}, {0x1d8e, 0x1d8e, 1, 35384}, {0x1e01, 0x1e95, 2, -1},
  {0x1e9b, 0x1e9b, 1, -59}, {0x1ea1, 0x1eff, 2, -1}, {0x1f00, 0x1f07, 1, 8}, {0x1f10, 0x1f15, 1, 8},
  {0x1f20, 0x1f27, 1, 8}, {0x1f30, 0x1f37, 1, 8}, {0x1f40, 0x1f45, 1, 8}, {0x1f51, 0x1f57, 2, 8},
  {0x1f60, 0x1f67, 1, 8}, {0x1f70, 0x1f71, 1, 74}, {0x1f72, 0x1f75, 1, 86},
  {0x1f76, 0x1f77, 1, 100}, {0x1f78, 0x1f79, 1, 128}, {0x1f7a, 0x1f7b, 1, 112},
  {0x1f7c, 0x1f7d, 1, 126}, {0x1fb0, 0x1fb1, 1, 8}, {0x1fbe, 0x1fbe, 1, -7205},
  {0x1fd0, 0x1fd1, 1, 8}, {0x1fe0, 0x1fe1, 1, 8}, {0x1fe5, 0x1fe5, 1, 7}, {0x214e, 0x214e, 1, -28},
  {0x2170, 0x217f, 1, -16}, {0x2184, 0x2184, 1, -1}, {0x24d0, 0x24e9, 1, -26},
  {0x2c30, 0x2c5f, 1, -48}, {0x2c61, 0x2c61, 1, -1}, {0x2c65, 0x2c65, 1, -10795},
  {0x2c66, 0x2c66, 1, -10792}, {0x2c68, 0x2c6c, 2, -1}, {0x2c73, 0x2c73, 1, -1},
  {0x2c76, 0x2c76, 1, -1}, {0x2c81, 0x2ce3, 2, -1}, {0x2cec, 0x2cee, 2, -1},
  {0x2cf3, 0x2cf3, 1, -1}, {0x2d00, 0x2d25, 1, -7264}, {0x2d27, 0x2d27, 1, -7264},
  {0x2d2d, 0x2d2d, 1, -7264}, {0xa641, 0xa66d, 2, -1}, {0xa681, 0xa69b, 2, -1},
  {0xa723, 0xa72f, 2, -1}, {0xa733, 0xa76f, 2, -1}, {0xa77a, 0xa77c, 2, -1},
  {0xa77f, 0xa787, 2, -1}, {0xa78c, 0xa78c, 1, -1}, {0xa791, 0xa793, 2, -1},
  {0xa794, 0xa794, 1, 48}, {0xa797, 0xa7a9, 2, -1}, {0xa7b5, 0xa7c3, 2, -1},
  {0xa7c8, 0xa7ca, 2, -1}, {0xa7cd, 0xa7db, 2, -1}, {0xa7f6, 0xa7f6, 1, -1},
  {0xab53, 0xab53, 1, -928}, {0xab70, 0xabbf, 1, -38864}, {0xff41, 0xff5a, 1, -32},
  {0x10428, 0x1044f, 1, -40}, {0x104d8, 0x104fb, 1, -40}, {0x10597, 0x105a1, 1, -39},
  {0x105a3, 0x105b1, 1, -39}, {0x105b3, 0x105b9, 1, -39}, {0x105bb, 0x105bc, 1, -39},
  {0x10cc0, 0x10cf2, 1, -64}, {0x10d70, 0x10d85, 1, -32}, {0x118c0, 0x118df, 1, -32},
  {0x16e60, 0x16e7f, 1, -32}, {0x16ebb, 0x16ed3, 1, -27}, {0x1e922, 0x1e943, 1, -34},
};
static const struct case_multi upper_multi[] = {
  {0xdf, {0x53, 0x53}},
  {0x149, {0x2bc, 0x4e}},
  {0x1f0, {0x4a, 0x30c}},
  {0x390, {0x399, 0x308, 0x301}},
  {0x3b0, {0x3a5, 0x308, 0x301}},
  {0x587, {0x535, 0x552}},
  {0x1e96, {0x48, 0x331}},
  {0x1e97, {0x54, 0x308}},
  {0x1e98, {0x57, 0x30a}},
  {0x1e99, {0x59, 0x30a}},
  {0x1e9a, {0x41, 0x2be}},
  {0x1f50, {0x3a5, 0x313}},
  {0x1f52, {0x3a5, 0x313, 0x300}},
  {0x1f54, {0x3a5, 0x313, 0x301}},
  {0x1f56, {0x3a5, 0x313, 0x342}},
  {0x1f80, {0x1f08, 0x399}},
  {0x1f81, {0x1f09, 0x399}},
  {0x1f82, {0x1f0a, 0x399}},
  {0x1f83, {0x1f0b, 0x399}},
  {0x1f84, {0x1f0c, 0x399}},
  {0x1f85, {0x1f0d, 0x399}},
  {0x1f86, {0x1f0e, 0x399}},
  {0x1f87, {0x1f0f, 0x399}},
  {0x1f88, {0x1f08, 0x399}},
  {0x1f89, {0x1f09, 0x399}},
  {0x1f8a, {0x1f0a, 0x399}},
  {0x1f8b, {0x1f0b, 0x399}},
  {0x1f8c, {0x1f0c, 0x399}},
  {0x1f8d, {0x1f0d, 0x399}},
  {0x1f8e, {0x1f0e, 0x399}},
  {0x1f8f, {0x1f0f, 0x399}},
  {0x1f90, {0x1f28, 0x399}},
  {0x1f91, {0x1f29, 0x399}},
  {0x1f92, {0x1f2a, 0x399}},
  {0x1f93, {0x1f2b, 0x399}},
  {0x1f94, {0x1f2c, 0x399}},
  {0x1f95, {0x1f2d, 0x399}},
  {0x1f96, {0x1f2e, 0x399}},
  {0x1f97, {0x1f2f, 0x399}},
  {0x1f98, {0x1f28, 0x399}},
  {0x1f99, {0x1f29, 0x399}},
  {0x1f9a, {0x1f2a, 0x399}},
  {0x1f9b, {0x1f2b, 0x399}},
  {0x1f9c, {0x1f2c, 0x399}},
  {0x1f9d, {0x1f2d, 0x399}},
  {0x1f9e, {0x1f2e, 0x399}},
  {0x1f9f, {0x1f2f, 0x399}},
  {0x1fa0, {0x1f68, 0x399}},
  {0x1fa1, {0x1f69, 0x399}},
  {0x1fa2, {0x1f6a, 0x399}},
  {0x1fa3, {0x1f6b, 0x399}},
  {0x1fa4, {0x1f6c, 0x399}},
  {0x1fa5, {0x1f6d, 0x399}},
  {0x1fa6, {0x1f6e, 0x399}},
  {0x1fa7, {0x1f6f, 0x399}},
  {0x1fa8, {0x1f68, 0x399}},
  {0x1fa9, {0x1f69, 0x399}},
  {0x1faa, {0x1f6a, 0x399}},
  {0x1fab, {0x1f6b, 0x399}},
  {0x1fac, {0x1f6c, 0x399}},
  {0x1fad, {0x1f6d, 0x399}},
  {0x1fae, {0x1f6e, 0x399}},
  {0x1faf, {0x1f6f, 0x399}},
  {0x1fb2, {0x1fba, 0x399}},
  {0x1fb3, {0x391, 0x399}},
  {0x1fb4, {0x386, 0x399}},
  {0x1fb6, {0x391, 0x342}},
  {0x1fb7, {0x391, 0x342, 0x399}},
  {0x1fbc, {0x391, 0x399}},
  {0x1fc2, {0x1fca, 0x399}},
  {0x1fc3, {0x397, 0x399}},
  {0x1fc4, {0x389, 0x399}},
  {0x1fc6, {0x397, 0x342}},
  {0x1fc7, {0x397, 0x342, 0x399}},
  {0x1fcc, {0x397, 0x399}},
  {0x1fd2, {0x399, 0x308, 0x300}},
  {0x1fd3, {0x399, 0x308, 0x301}},
  {0x1fd6, {0x399, 0x342}},
  {0x1fd7, {0x399, 0x308, 0x342}},
  {0x1fe2, {0x3a5, 0x308, 0x300}},
  {0x1fe3, {0x3a5, 0x308, 0x301}},
  {0x1fe4, {0x3a1, 0x313}},
  {0x1fe6, {0x3a5, 0x342}},
  {0x1fe7, {0x3a5, 0x308, 0x342}},
  {0x1ff2, {0x1ffa, 0x399}},
  {0x1ff3, {0x3a9, 0x399}},
  {0x1ff4, {0x38f, 0x399}},
  {0x1ff6, {0x3a9, 0x342}},
  {0x1ff7, {0x3a9, 0x342, 0x399}},
  {0x1ffc, {0x3a9, 0x399}},
  {0xfb00, {0x46, 0x46}},
  {0xfb01, {0x46, 0x49}},
  {0xfb02, {0x46, 0x4c}},
  {0xfb03, {0x46, 0x46, 0x49}},
  {0xfb04, {0x46, 0x46, 0x4c}},
  {0xfb05, {0x53, 0x54}},
  {0xfb06, {0x53, 0x54}},
  {0xfb13, {0x544, 0x546}},
  {0xfb14, {0x544, 0x535}},
  {0xfb15, {0x544, 0x53b}},
  {0xfb16, {0x54e, 0x546}},
  {0xfb17, {0x544, 0x53d}},
};
static const struct case_range lower_ranges[] = {
  {0x41, 0x5a, 1, 32}, {0xc0, 0xd6, 1, 32}, {0xd8, 0xde, 1, 32}, {0x100, 0x12e, 2, 1},
  {0x132, 0x136, 2, 1}, {0x139, 0x147, 2, 1}, {0x14a, 0x176, 2, 1}, {0x178, 0x178, 1, -121},
  {0x179, 0x17d, 2, 1}, {0x181, 0x181, 1, 210}, {0x182, 0x184, 2, 1}, {0x186, 0x186, 1, 206},
  {0x187, 0x187, 1, 1}, {0x189, 0x18a, 1, 205}, {0x18b, 0x18b, 1, 1}, {0x18e, 0x18e, 1, 79},
  {0x18f, 0x18f, 1, 202}, {0x190, 0x190, 1, 203}, {0x191, 0x191, 1, 1}, {0x193, 0x193, 1, 205},
  {0x194, 0x194, 1, 207}, {0x196, 0x196, 1, 211}, {0x197, 0x197, 1, 209}, {0x198, 0x198, 1, 1},
  {0x19c, 0x19c, 1, 211}, {0x19d, 0x19d, 1, 213}, {0x19f, 0x19f, 1, 214}, {0x1a0, 0x1a4, 2, 1},
  {0x1a6, 0x1a6, 1, 218}, {0x1a7, 0x1a7, 1, 1}, {0x1a9, 0x1a9, 1, 218}, {0x1ac, 0x1ac, 1, 1},
  {0x1ae, 0x1ae, 1, 218}, {0x1af, 0x1af, 1, 1}, {0x1b1, 0x1b2, 1, 217}, {0x1b3, 0x1b5, 2, 1},
  {0x1b7, 0x1b7, 1, 219}, {0x1b8, 0x1b8, 1, 1}, {0x1bc, 0x1bc, 1, 1}, {0x1c4, 0x1c4, 1, 2},
  {0x1c5, 0x1c5, 1, 1}, {0x1c7, 0x1c7, 1, 2}, {0x1c8, 0x1c8, 1, 1}, {0x1ca, 0x1ca, 1, 2},
  {0x1cb, 0x1db, 2, 1}, {0x1de, 0x1ee, 2, 1}, {0x1f1, 0x1f1, 1, 2}, {0x1f2, 0x1f4, 2, 1},
  {0x1f6, 0x1f6, 1, -97}, {0x1f7, 0x1f7, 1, -56}, {0x1f8, 0x21e, 2, 1}, {0x220, 0x220, 1, -130},
  {0x222, 0x232, 2, 1}, {0x23a, 0x23a, 1, 10795}, {0x23b, 0x23b, 1, 1}, {0x23d, 0x23d, 1, -163},
  {0x23e, 0x23e, 1, 10792}, {0x241, 0x241, 1, 1}, {0x243, 0x243, 1, -195}, {0x244, 0x244, 1, 69},
  {0x245, 0x245, 1, 71}, {0x246, 0x24e, 2, 1}, {0x370, 0x372, 2, 1}, {0x376, 0x376, 1, 1},
  {0x37f, 0x37f, 1, 116}, {0x386, 0x386, 1, 38}, {0x388, 0x38a, 1, 37}, {0x38c, 0x38c, 1, 64},
  {0x38e, 0x38f, 1, 63}, {0x391, 0x3a1, 1, 32}, {0x3a3, 0x3ab, 1, 32}, {0x3cf, 0x3cf, 1, 8},
  {0x3d8, 0x3ee, 2, 1}, {0x3f4, 0x3f4, 1, -60}, {0x3f7, 0x3f7, 1, 1}, {0x3f9, 0x3f9, 1, -7},
  {0x3fa, 0x3fa, 1, 1}, {0x3fd, 0x3ff, 1, -130}, {0x400, 0x40f, 1, 80}, {0x410, 0x42f, 1, 32},
  {0x460, 0x480, 2, 1}, {0x48a, 0x4be, 2, 1}, {0x4c0, 0x4c0, 1, 15}, {0x4c1, 0x4cd, 2, 1},
  {0x4d0, 0x52e, 2, 1}, {0x531, 0x556, 1, 48}, {0x10a0, 0x10c5, 1, 7264}, {0x10c7, 0x10c7, 1, 7264},
  {0x10cd, 0x10cd, 1, 7264}, {0x13a0, 0x13ef, 1, 38864}, {0x13f0, 0x13f5, 1, 8},
  {0x1c89, 0x1c89, 1, 1}, {0x1c90, 0x1cba, 1, -3008}, {0x1cbd, 0x1cbf, 1, -3008},
  {0x1e00, 0x1e94, 2, 1}, {0x1e9e, 0x1e9e, 1, -7615}, {0x1ea0, 0x1efe, 2, 1},
  {0x1f08, 0x1f0f, 1, -8}, {0x1f18, 0x1f1d, 1, -8}, {0x1f28, 0x1f2f, 1, -8},
  {0x1f38, 0x1f3f, 1, -8}, {0x1f48, 0x1f4d, 1, -8}, {0x1f59, 0x1f5f, 2, -8},
  {0x1f68, 0x1f6f, 1, -8}, {0x1f88, 0x1f8f, 1, -8}, {0x1f98, 0x1f9f, 1, -8},
  {0x1fa8, 0x1faf, 1, -8}, {0x1fb8, 0x1fb9, 1, -8}, {0x1fba, 0x1fbb, 1, -74},
  {0x1fbc, 0x1fbc, 1, -9}, {0x1fc8, 0x1fcb, 1, -86}, {0x1fcc, 0x1fcc, 1, -9},
  {0x1fd8, 0x1fd9, 1, -8}, {0x1fda, 0x1fdb, 1, -100}, {0x1fe8, 0x1fe9, 1, -8},
  {0x1fea, 0x1feb, 1, -112}, {0x1fec, 0x1fec, 1, -7}, {0x1ff8, 0x1ff9, 1, -128},
  {0x1ffa, 0x1ffb, 1, -126}, {0x1ffc, 0x1ffc, 1, -9}, {0x2126, 0x2126, 1, -7517},
  {0x212a, 0x212a, 1, -8383}, {0x212b, 0x212b, 1, -8262}, {0x2132, 0x2132, 1, 28},
  {0x2160, 0x216f, 1, 16}, {0x2183, 0x2183, 1, 1}, {0x24b6, 0x24cf, 1, 26}, {0x2c00, 0x2c2f, 1, 48},
  {0x2c60, 0x2c60, 1, 1}, {0x2c62, 0x2c62, 1, -10743}, {0x2c63, 0x2c63, 1, -3814},
  {0x2c64, 0x2c64, 1, -10727}, {0x2c67, 0x2c6b, 2, 1}, {0x2c6d, 0x2c6d, 1, -10780},
  {0x2c6e, 0x2c6e, 1, -10749}, {0x2c6f, 0x2c6f, 1, -10783}, {0x2c70, 0x2c70, 1, -10782},
  {0x2c72, 0x2c72, 1, 1}, {0x2c75, 0x2c75, 1, 1}, {0x2c7e, 0x2c7f, 1, -10815},
  {0x2c80, 0x2ce2, 2, 1}, {0x2ceb, 0x2ced, 2, 1}, {0x2cf2, 0x2cf2, 1, 1}, {0xa640, 0xa66c, 2, 1},
  {0xa680, 0xa69a, 2, 1}, {0xa722, 0xa72e, 2, 1}, {0xa732, 0xa76e, 2, 1}, {0xa779, 0xa77b, 2, 1},
  {0xa77d, 0xa77d, 1, -35332}, {0xa77e, 0xa786, 2, 1}, {0xa78b, 0xa78b, 1, 1},
  {0xa78d, 0xa78d, 1, -42280}, {0xa790, 0xa792, 2, 1}, {0xa796, 0xa7a8, 2, 1},
  {0xa7aa, 0xa7aa, 1, -42308}, {0xa7ab, 0xa7ab, 1, -42319}, {0xa7ac, 0xa7ac, 1, -42315},
  {0xa7ad, 0xa7ad, 1, -42305}, {0xa7ae, 0xa7ae, 1, -42308}, {0xa7b0, 0xa7b0, 1, -42258},
  {0xa7b1, 0xa7b1, 1, -42282}, {0xa7b2, 0xa7b2, 1, -42261}, {0xa7b3, 0xa7b3, 1, 928},
  {0xa7b4, 0xa7c2, 2, 1}, {0xa7c4, 0xa7c4, 1, -48}, {0xa7c5, 0xa7c5, 1, -42307},
  {0xa7c6, 0xa7c6, 1, -35384}, {0xa7c7, 0xa7c9, 2, 1}, {0xa7cb, 0xa7cb, 1, -42343},
  {0xa7cc, 0xa7da, 2, 1}, {0xa7dc, 0xa7dc, 1, -42561}, {0xa7f5, 0xa7f5, 1, 1},
  {0xff21, 0xff3a, 1, 32}, {0x10400, 0x10427, 1, 40}, {0x104b0, 0x104d3, 1, 40},
  {0x10570, 0x1057a, 1, 39}, {0x1057c, 0x1058a, 1, 39}, {0x1058c, 0x10592, 1, 39},
  {0x10594, 0x10595, 1, 39}, {0x10c80, 0x10cb2, 1, 64}, {0x10d50, 0x10d65, 1, 32},
  {0x118a0, 0x118bf, 1, 32}, {0x16e40, 0x16e5f, 1, 32}, {0x16ea0, 0x16eb8, 1, 27},
  {0x1e900, 0x1e921, 1, 34},
};
static const struct case_multi lower_multi[] = {
  {0x130, {0x69, 0x307}},
};

static uint32_t case_single(const struct case_range *r, size_t n, uint32_t cp)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (r[mid].lo <= cp) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return cp;
  const struct case_range *e = &r[lo - 1];
  if (cp > e->hi || (cp - e->lo) % (uint32_t)e->stride) return cp;
  return (uint32_t)((int32_t)cp + e->delta);
}

static const struct case_multi *case_multi_find(const struct case_multi *m, size_t n, uint32_t cp)
{
  for (size_t i = 0; i < n; i++)
    if (m[i].cp == cp) return &m[i];
  return NULL;
}

static bool cased(uint32_t cp)
{
  return case_single(upper_ranges, sizeof upper_ranges / sizeof *upper_ranges, cp) != cp ||
         case_single(lower_ranges, sizeof lower_ranges / sizeof *lower_ranges, cp) != cp;
}

/* Unicode's Case_Ignorable, in the parts that meet Greek text: apostrophes, '.', ':',
   modifier letters and symbols, combining marks, format characters. */
static bool case_ignorable(uint32_t c)
{
  return c == 0x27 || c == 0x2E || c == 0x3A || c == 0x5E || c == 0x60 || c == 0xA8 || c == 0xAD || c == 0xAF ||
         c == 0xB4 || c == 0xB7 || c == 0xB8 || (c >= 0x2B0 && c <= 0x36F) || c == 0x374 || c == 0x375 || c == 0x37A ||
         c == 0x384 || c == 0x385 || c == 0x387 || (c >= 0x483 && c <= 0x489) || (c >= 0x1DC0 && c <= 0x1DFF) ||
         (c >= 0x200B && c <= 0x200F) || c == 0x2018 || c == 0x2019 || c == 0x2024 || c == 0x2027 ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) || (c >= 0xFE00 && c <= 0xFE0F) ||
         (c >= 0xFE20 && c <= 0xFE2F) || c == 0xFEFF;
}

static bool change_case(struct jn_ctx *x, const struct jv *args, int argc, bool upper, struct jv *out)
{
  const struct jv *s = arg(args, argc, 0);
  if (!want(x, s, JV_STRING, upper ? "uppercase" : "lowercase", 1)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  const struct case_range *r = upper ? upper_ranges : lower_ranges;
  size_t nr = upper ? sizeof upper_ranges / sizeof *upper_ranges : sizeof lower_ranges / sizeof *lower_ranges;
  const struct case_multi *mt = upper ? upper_multi : lower_multi;
  size_t nm = upper ? sizeof upper_multi / sizeof *upper_multi : sizeof lower_multi / sizeof *lower_multi;
  struct buf b = {0};
  const char *t = s->u.s->text;
  size_t len = s->u.s->len;
  bool last_cased = false; /* the last character that is not case-ignorable is cased */
  for (size_t i = 0; i < len;) {
    uint32_t cp = u8_next(t, len, &i);
    const struct case_multi *m = case_multi_find(mt, nm, cp);
    if (m) {
      for (int k = 0; k < 3 && m->to[k]; k++) buf_add_utf8(&b, m->to[k]);
    } else if (!upper && cp == 0x3A3) {
      /* capital sigma is final sigma after a cased letter and not before one, looking
         past case-ignorable characters (Unicode's Final_Sigma) */
      size_t j = i;
      bool after = false;
      while (j < len) {
        uint32_t c = u8_next(t, len, &j);
        if (!case_ignorable(c)) { after = cased(c); break; }
      }
      buf_add_utf8(&b, last_cased && !after ? 0x3C2 : 0x3C3);
    } else buf_add_utf8(&b, case_single(r, nr, cp));
    if (!case_ignorable(cp)) last_cased = cased(cp);
  }
  *out = buf_to_jv(x, &b);
  return true;
}

bool jn_fn_uppercase(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { return change_case(x, args, argc, true, out); }
bool jn_fn_lowercase(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { return change_case(x, args, argc, false, out); }

/* ---------------------------------------------------------------- string functions */

bool jn_fn_length(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *s = arg(args, argc, 0);
  if (!want(x, s, JV_STRING, "length", 1)) return false;
  *out = defined(s) ? jv_number((double)cp_count(s->u.s->text, s->u.s->len)) : jv_undefined();
  return true;
}

/* Array.prototype.slice's reading of a start or end against LEN. */
static double slice_index(double v, double len)
{
  if (isnan(v)) v = 0;
  v = trunc(v);
  if (v < 0) return v + len < 0 ? 0 : v + len;
  return v > len ? len : v;
}

/* The code points FROM..TO (exclusive) of S, as a string. */
static struct jv cp_slice(struct jn_ctx *x, const struct jv_str *s, double from, double to)
{
  if (!(to > from)) return jv_string(x, "", 0);
  size_t i = 0, n = 0, a = s->len, b = s->len;
  while (i < s->len) {
    if ((double)n == from) a = i;
    if ((double)n == to) { b = i; break; }
    u8_next(s->text, s->len, &i);
    n++;
  }
  if (a > b) a = b;
  return jv_string(x, s->text + a, b - a);
}

bool jn_fn_substring(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *s = arg(args, argc, 0), *st = arg(args, argc, 1), *ln = arg(args, argc, 2);
  if (!want(x, s, JV_STRING, "substring", 1) || !want(x, st, JV_NUMBER, "substring", 2) || !want(x, ln, JV_NUMBER, "substring", 3))
    return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  double len = (double)cp_count(s->u.s->text, s->u.s->len);
  double start = is_num(st) ? st->u.n : NAN;
  if (len + start < 0) start = 0;
  if (is_num(ln)) {
    double length = ln->u.n;
    if (length <= 0) { *out = jv_string(x, "", 0); return true; }
    double end = start >= 0 ? start + length : len + start + length;
    *out = cp_slice(x, s->u.s, slice_index(start, len), slice_index(end, len));
  } else *out = cp_slice(x, s->u.s, slice_index(start, len), len);
  return true;
}

static const char *find_bytes(const char *h, size_t hlen, const char *n, size_t nlen, size_t from)
{
  if (from > hlen) return NULL;
  if (nlen == 0) return h + from;
  for (size_t i = from; i + nlen <= hlen; i++)
    if (h[i] == n[0] && !memcmp(h + i, n, nlen)) return h + i;
  return NULL;
}

static bool substring_around(struct jn_ctx *x, struct jv *args, int argc, bool after, struct jv *out)
{
  const char *name = after ? "substringAfter" : "substringBefore";
  const struct jv *s = arg(args, argc, 0), *c = arg(args, argc, 1);
  if (!want(x, s, JV_STRING, name, 1) || !want(x, c, JV_STRING, name, 2)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  /* a missing second argument is searched for as the text "undefined", as the reference does */
  const char *n = is_str(c) ? c->u.s->text : "undefined";
  size_t nlen = is_str(c) ? c->u.s->len : 9;
  const char *at = find_bytes(s->u.s->text, s->u.s->len, n, nlen, 0);
  if (!at) *out = *s;
  else if (after) *out = jv_string(x, at + nlen, s->u.s->len - (size_t)(at - s->u.s->text) - nlen);
  else *out = jv_string(x, s->u.s->text, (size_t)(at - s->u.s->text));
  return true;
}

bool jn_fn_substring_before(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { return substring_around(x, args, argc, false, out); }
bool jn_fn_substring_after(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { return substring_around(x, args, argc, true, out); }

bool jn_fn_trim(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *s = arg(args, argc, 0);
  if (!want(x, s, JV_STRING, "trim", 1)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  struct buf b = {0};
  const char *t = s->u.s->text;
  for (size_t i = 0; i < s->u.s->len; i++) {
    if (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r') {
      while (i + 1 < s->u.s->len && (t[i + 1] == ' ' || t[i + 1] == '\t' || t[i + 1] == '\n' || t[i + 1] == '\r')) i++;
      buf_addc(&b, ' ');
    } else buf_addc(&b, t[i]);
  }
  size_t a = 0, e = b.len;
  if (e && b.data[0] == ' ') a = 1;
  if (e > a && b.data[e - 1] == ' ') e--;
  *out = jv_string(x, b.data ? b.data + a : "", e - a);
  buf_free(&b);
  return true;
}

bool jn_fn_pad(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *s = arg(args, argc, 0), *w = arg(args, argc, 1), *c = arg(args, argc, 2);
  if (!want(x, s, JV_STRING, "pad", 1) || !want(x, w, JV_NUMBER, "pad", 2) || !want(x, c, JV_STRING, "pad", 3)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  double width = is_num(w) ? w->u.n : NAN;
  const char *ch = " ";
  size_t chlen = 1;
  if (is_str(c) && c->u.s->len) { ch = c->u.s->text; chlen = c->u.s->len; }
  double padlen = fabs(width) - (double)cp_count(s->u.s->text, s->u.s->len);
  if (!(padlen > 0)) { *out = *s; return true; }
  if (padlen != floor(padlen) || padlen > 1e8) return jx_throw_message(x, "", "Invalid array length"); /* new Array(n) refuses it */
  /* PADLEN code points of CH repeated */
  struct buf b = {0};
  size_t need = (size_t)padlen, got = 0, i = 0;
  struct buf p = {0};
  while (got < need) {
    size_t at = i;
    u8_next(ch, chlen, &i);
    buf_add(&p, ch + at, i - at);
    got++;
    if (i >= chlen) i = 0;
  }
  if (width > 0) { buf_add(&b, s->u.s->text, s->u.s->len); buf_add(&b, p.data, p.len); }
  else { buf_add(&b, p.data, p.len); buf_add(&b, s->u.s->text, s->u.s->len); }
  buf_free(&p);
  *out = buf_to_jv(x, &b);
  return true;
}

/* A JavaScript falsy value other than undefined (which a matcher may return). */
static bool js_falsy(const struct jv *v)
{
  return v->kind == JV_NULL || (v->kind == JV_BOOL && !v->u.b) || (v->kind == JV_NUMBER && (v->u.n == 0 || isnan(v->u.n))) ||
         (v->kind == JV_STRING && v->u.s->len == 0);
}

bool jn_fn_contains(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *s = arg(args, argc, 0), *t = arg(args, argc, 1);
  if (!want(x, s, JV_STRING, "contains", 1)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  if (is_str(t)) {
    *out = jv_bool(find_bytes(s->u.s->text, s->u.s->len, t->u.s->text, t->u.s->len, 0) != NULL);
    return true;
  }
  if (!defined(t)) return no_matcher(x);
  if (t->kind != JV_FUNCTION) return jx_throw(x, "T0410", "contains", t, NULL, 2);
  if (!jx_regex(t)) {
    /* a matcher function: any defined result is a match */
    struct jv r;
    if (!jx_apply(x, t, (struct jv *)s, 1, &r)) return false;
    if (r.kind != JV_UNDEFINED && !js_falsy(&r) && r.kind != JV_OBJECT) return jx_throw(x, "T1010", NULL, NULL, NULL, 0);
    if (r.kind == JV_OBJECT) {
      struct matcher m = {0};
      m.s = s->u.s;
      m.obj = r;
      if (!matcher_read(x, &m)) return false;
    }
    *out = jv_bool(r.kind != JV_UNDEFINED);
    return true;
  }
  struct matcher m;
  int rc = matcher_first(x, &m, t, s->u.s);
  if (rc < 0) return false;
  *out = jv_bool(rc > 0);
  return true;
}

/* JavaScript's ToUint32. */
static double to_uint32(double v)
{
  if (!isfinite(v)) return 0;
  v = fmod(trunc(v), 4294967296.0);
  return v < 0 ? v + 4294967296.0 : v;
}

bool jn_fn_split(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *s = arg(args, argc, 0), *sep = arg(args, argc, 1), *lim = arg(args, argc, 2);
  if (!want(x, s, JV_STRING, "split", 1) || !want(x, lim, JV_NUMBER, "split", 3)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  if (!defined(sep)) return no_matcher(x);
  if (!is_str(sep) && sep->kind != JV_FUNCTION) return jx_throw(x, "T0410", "split", sep, NULL, 2);
  bool limited = is_num(lim);
  double limit = limited ? lim->u.n : 0;
  if (limited && limit < 0) return jx_throw(x, "D3020", NULL, lim, NULL, 3);
  struct jv r = jv_array(x, 4, 0);
  *out = r;
  if (limited && !(limit > 0)) return true;
  const char *t = s->u.s->text;
  size_t len = s->u.s->len;
  if (is_str(sep)) {
    double max = limited ? to_uint32(limit) : 4294967295.0, n = 0;
    if (max == 0) return true;
    if (sep->u.s->len == 0) {
      /* each character (JavaScript splits UTF-16 units; a pair stays whole here) */
      for (size_t i = 0; i < len && n < max; n++) {
        size_t at = i;
        u8_next(t, len, &i);
        jv_push(x, out, jv_string(x, t + at, i - at));
      }
      return true;
    }
    size_t pos = 0;
    for (;;) {
      const char *at = find_bytes(t, len, sep->u.s->text, sep->u.s->len, pos);
      size_t end = at ? (size_t)(at - t) : len;
      jv_push(x, out, jv_string(x, t + pos, end - pos));
      if (++n >= max || !at) break;
      pos = end + sep->u.s->len;
    }
    return true;
  }
  struct matcher m;
  int rc = matcher_first(x, &m, sep, s->u.s);
  if (rc < 0) return false;
  if (rc == 0) { jv_push(x, out, *s); return true; }
  size_t start = 0;
  double count = 0;
  while (rc > 0 && (!limited || count < limit)) {
    size_t a = start < m.bstart ? start : m.bstart, b = start < m.bstart ? m.bstart : start;
    jv_push(x, out, jv_string(x, t + a, b - a));
    start = m.bend_field;
    rc = matcher_next(x, &m);
    if (rc < 0) return false;
    count++;
  }
  if (!limited || count < limit) jv_push(x, out, jv_string(x, t + start, len - start));
  return true;
}

bool jn_fn_join(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *a = arg(args, argc, 0), *sep = arg(args, argc, 1);
  if (!want(x, sep, JV_STRING, "join", 2)) return false;
  if (!defined(a)) { *out = jv_undefined(); return true; }
  if (is_str(a)) { *out = *a; return true; }
  if (a->kind != JV_ARRAY) return jx_throw(x, "T0412", "join", a, NULL, 1);
  struct buf b = {0};
  for (size_t i = 0; i < a->u.a->len; i++) {
    const struct jv *item = &a->u.a->items[i];
    if (!is_str(item)) { buf_free(&b); return jx_throw(x, "T0412", "join", a, NULL, 1); }
    if (i && is_str(sep)) buf_add(&b, sep->u.s->text, sep->u.s->len);
    buf_add(&b, item->u.s->text, item->u.s->len);
  }
  *out = buf_to_jv(x, &b);
  return true;
}

bool jn_fn_match(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *s = arg(args, argc, 0), *re = arg(args, argc, 1), *lim = arg(args, argc, 2);
  if (!want(x, s, JV_STRING, "match", 1) || !want(x, lim, JV_NUMBER, "match", 3)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  if (!defined(re)) return no_matcher(x);
  if (re->kind != JV_FUNCTION) return jx_throw(x, "T0410", "match", re, NULL, 2);
  bool limited = is_num(lim);
  double limit = limited ? lim->u.n : 0;
  if (limited && limit < 0) return jx_throw(x, "D3040", NULL, lim, NULL, 3);
  *out = jv_array(x, 4, JVF_SEQUENCE);
  if (limited && !(limit > 0)) return true;
  struct matcher m;
  int rc = matcher_first(x, &m, re, s->u.s);
  double count = 0;
  while (rc > 0 && (!limited || count < limit)) {
    struct jv o = jv_object(x);
    jv_obj_set(x, o.u.o, "match", 5, m.match);
    jv_obj_set(x, o.u.o, "index", 5, m.start);
    jv_obj_set(x, o.u.o, "groups", 6, m.groups);
    jv_push(x, out, o);
    rc = matcher_next(x, &m);
    count++;
  }
  return rc >= 0;
}

/* parseInt(S.substring(AT, AT + UNITS), 10): *VALUE and the text of the number's
   toString's length; false for NaN. */
static bool parse_int_prefix(const char *s, size_t len, size_t at, size_t units, double *value, size_t *text_len)
{
  size_t end = at, u = 0;
  while (end < len && u < units) {
    size_t j = end;
    u += u16_units(u8_next(s, len, &j));
    if (u > units) break;
    end = j;
  }
  size_t i = at;
  while (i < end) {
    size_t j = i;
    if (!js_space(u8_next(s, end, &j))) break;
    i = j;
  }
  bool neg = false;
  if (i < end && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  double v = 0;
  size_t digits = 0;
  while (i < end && s[i] >= '0' && s[i] <= '9') { v = v * 10 + (s[i++] - '0'); digits++; }
  if (!digits) return false;
  *value = neg ? -v : v;
  char t[32];
  jn_number_text(*value, t);
  *text_len = strlen(t);
  return true;
}

/* The reference's replacement text: $$, $0, $N (as many digits as the group count
   has), the rest as it is. */
static void substitute(struct buf *b, const struct jv_str *rep, const struct matcher *m)
{
  const char *r = rep->text;
  size_t len = rep->len, pos = 0;
  size_t ngroups = m->groups.u.a->len;
  const char *d = memchr(r, '$', len);
  while (d && pos < len) {
    size_t index = (size_t)(d - r);
    buf_add(b, r + pos, index - pos);
    pos = index + 1;
    char c = pos < len ? r[pos] : 0;
    if (c == '$') { buf_addc(b, '$'); pos++; }
    else if (c == '0') { buf_add(b, m->match.u.s->text, m->match.u.s->len); pos++; }
    else {
      size_t max_digits = ngroups == 0 ? 1 : (size_t)floor(log((double)ngroups) * 0.4342944819032518) + 1;
      double n;
      size_t tl;
      bool ok = parse_int_prefix(r, len, pos, max_digits, &n, &tl);
      if (ok && max_digits > 1 && n > (double)ngroups) ok = parse_int_prefix(r, len, pos, max_digits - 1, &n, &tl);
      if (ok) {
        if (ngroups > 0 && n >= 1 && n <= (double)ngroups) {
          const struct jv *g = &m->groups.u.a->items[(size_t)n - 1];
          if (g->kind == JV_STRING) buf_add(b, g->u.s->text, g->u.s->len);
        }
        for (size_t k = 0; k < tl && pos < len; k += 1) {
          size_t j = pos;
          uint32_t cp = u8_next(r, len, &j);
          if (u16_units(cp) == 2) k++;
          pos = j;
        }
      } else buf_addc(b, '$');
    }
    d = pos < len ? memchr(r + pos, '$', len - pos) : NULL;
  }
  if (pos < len) buf_add(b, r + pos, len - pos);
}

bool jn_fn_replace(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *s = arg(args, argc, 0), *pat = arg(args, argc, 1), *rep = arg(args, argc, 2), *lim = arg(args, argc, 3);
  if (!want(x, s, JV_STRING, "replace", 1) || !want(x, lim, JV_NUMBER, "replace", 4)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  if (!defined(pat)) return no_matcher(x);
  if (!is_str(pat) && pat->kind != JV_FUNCTION) return jx_throw(x, "T0410", "replace", pat, NULL, 2);
  if (!is_str(rep) && rep->kind != JV_FUNCTION) return jx_throw(x, "T0410", "replace", rep, NULL, 3);
  if (is_str(pat) && pat->u.s->len == 0) return jx_throw(x, "D3010", NULL, pat, NULL, 2);
  bool limited = is_num(lim);
  double limit = limited ? lim->u.n : 0;
  if (limited && limit < 0) return jx_throw(x, "D3011", NULL, lim, NULL, 4);
  if (limited && !(limit > 0)) { *out = *s; return true; }
  const char *t = s->u.s->text;
  size_t len = s->u.s->len, pos = 0;
  struct buf b = {0};
  double count = 0;
  if (is_str(pat)) {
    /* a function here is concatenated as JavaScript writes an object */
    const char *rt = is_str(rep) ? rep->u.s->text : "[object Object]";
    size_t rl = is_str(rep) ? rep->u.s->len : 15;
    const char *at = find_bytes(t, len, pat->u.s->text, pat->u.s->len, 0);
    while (at && (!limited || count < limit)) {
      buf_add(&b, t + pos, (size_t)(at - t) - pos);
      buf_add(&b, rt, rl);
      pos = (size_t)(at - t) + pat->u.s->len;
      count++;
      at = find_bytes(t, len, pat->u.s->text, pat->u.s->len, pos);
    }
    buf_add(&b, t + pos, len - pos);
    *out = buf_to_jv(x, &b);
    return true;
  }
  struct matcher m;
  int rc = matcher_first(x, &m, pat, s->u.s);
  if (rc < 0) return false;
  if (rc == 0) { *out = *s; return true; }
  while (rc > 0 && (!limited || count < limit)) {
    size_t a = pos < m.bstart ? pos : m.bstart, e = pos < m.bstart ? m.bstart : pos;
    buf_add(&b, t + a, e - a);
    if (is_str(rep)) substitute(&b, rep->u.s, &m);
    else {
      struct jv r, mo = m.obj;
      if (!jx_apply(x, rep, &mo, 1, &r)) { buf_free(&b); return false; }
      if (!is_str(&r)) { buf_free(&b); return jx_throw(x, "D3012", NULL, &r, NULL, 0); }
      buf_add(&b, r.u.s->text, r.u.s->len);
    }
    pos = m.bend;
    count++;
    rc = matcher_next(x, &m);
    if (rc < 0) { buf_free(&b); return false; }
  }
  if (pos < len) buf_add(&b, t + pos, len - pos);
  *out = buf_to_jv(x, &b);
  return true;
}

/* ---------------------------------------------------------------- base64 */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool jn_fn_base64encode(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *s = arg(args, argc, 0);
  if (!want(x, s, JV_STRING, "base64encode", 1)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  /* Buffer.from(str, 'binary') keeps the low byte of each UTF-16 unit */
  struct buf bytes = {0}, b = {0};
  for (size_t i = 0; i < s->u.s->len;) {
    uint32_t cp = u8_next(s->u.s->text, s->u.s->len, &i);
    if (cp >= 0x10000) {
      buf_addc(&bytes, (char)((0xD800 + ((cp - 0x10000) >> 10)) & 0xFF));
      buf_addc(&bytes, (char)((0xDC00 + ((cp - 0x10000) & 0x3FF)) & 0xFF));
    } else buf_addc(&bytes, (char)(cp & 0xFF));
  }
  const unsigned char *p = (const unsigned char *)bytes.data;
  for (size_t i = 0; i < bytes.len; i += 3) {
    unsigned v = (unsigned)p[i] << 16 | (i + 1 < bytes.len ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < bytes.len ? p[i + 2] : 0);
    buf_addc(&b, b64[v >> 18 & 63]);
    buf_addc(&b, b64[v >> 12 & 63]);
    buf_addc(&b, i + 1 < bytes.len ? b64[v >> 6 & 63] : '=');
    buf_addc(&b, i + 2 < bytes.len ? b64[v & 63] : '=');
  }
  buf_free(&bytes);
  *out = buf_to_jv(x, &b);
  return true;
}

static int unb64(unsigned char c)
{
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

bool jn_fn_base64decode(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *s = arg(args, argc, 0);
  if (!want(x, s, JV_STRING, "base64decode", 1)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  /* as node decodes: both alphabets, other characters skipped, '=' ends it, and no more
     bytes than the length promises */
  const unsigned char *p = (const unsigned char *)s->u.s->text;
  size_t len = s->u.s->len, size = len;
  if (size && p[size - 1] == '=') size--;
  if (size && p[size - 1] == '=') size--;
  size_t rem = size % 4, cap = size / 4 * 3;
  if (rem) cap += cap == 0 && rem == 1 ? 0 : 1 + (rem == 3);
  struct buf b = {0};
  unsigned acc = 0;
  int nbits = 0;
  size_t nbytes = 0;
  for (size_t i = 0; i < len && nbytes < cap; i++) {
    if (p[i] == '=') break;
    int v = unb64(p[i]);
    if (v < 0) continue;
    acc = (acc << 6 | (unsigned)v) & 0xFFFFFF;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      buf_add_utf8(&b, (acc >> nbits) & 0xFF); /* 'binary': each byte a code point */
      nbytes++;
    }
  }
  *out = buf_to_jv(x, &b);
  return true;
}

/* ---------------------------------------------------------------- URLs */

static bool url_error(struct jn_ctx *x, const char *fn, const struct jv *v)
{
  struct buf b = {0};
  json_quote(&b, v->u.s->text, v->u.s->len);
  buf_addc(&b, 0);
  jx_throw_message(x, "D3140", "Malformed URL passed to $%s(): %s", fn, b.data);
  buf_free(&b);
  return false;
}

static bool encode_url(struct jn_ctx *x, struct jv *args, int argc, bool component, struct jv *out)
{
  const char *fn = component ? "encodeUrlComponent" : "encodeUrl";
  const struct jv *s = arg(args, argc, 0);
  if (!want(x, s, JV_STRING, fn, 1)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  const char *keep = component ? "-_.!~*'()" : "-_.!~*'();/?:@&=+$,#";
  struct buf b = {0};
  const char *t = s->u.s->text;
  for (size_t i = 0; i < s->u.s->len;) {
    size_t at = i;
    uint32_t cp = u8_next(t, s->u.s->len, &i);
    if (cp >= 0xD800 && cp <= 0xDFFF) { buf_free(&b); return url_error(x, fn, s); } /* a lone surrogate */
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || (cp && cp < 0x80 && strchr(keep, (int)cp)))
      buf_addc(&b, (char)cp);
    else {
      for (size_t k = at; k < i; k++) buf_printf(&b, "%%%02X", (unsigned)(unsigned char)t[k]);
    }
  }
  *out = buf_to_jv(x, &b);
  return true;
}

static bool decode_url(struct jn_ctx *x, struct jv *args, int argc, bool component, struct jv *out)
{
  const char *fn = component ? "decodeUrlComponent" : "decodeUrl";
  const struct jv *s = arg(args, argc, 0);
  if (!want(x, s, JV_STRING, fn, 1)) return false;
  if (!defined(s)) { *out = jv_undefined(); return true; }
  const char *t = s->u.s->text;
  size_t len = s->u.s->len;
  struct buf b = {0};
  for (size_t i = 0; i < len;) {
    if (t[i] != '%') { buf_addc(&b, t[i++]); continue; }
    unsigned v;
    if (!hex_run(t + i + 1, len - i - 1, 2, &v)) goto bad;
    if (v < 0x80) {
      if (!component && strchr(";/?:@&=+$,#", (int)v) && v) buf_add(&b, t + i, 3); /* decodeURI keeps reserved escapes */
      else buf_addc(&b, (char)v);
      i += 3;
      continue;
    }
    int n = (v & 0xE0) == 0xC0 ? 2 : (v & 0xF0) == 0xE0 ? 3 : (v & 0xF8) == 0xF0 ? 4 : 0;
    if (!n) goto bad;
    uint32_t cp = v & (0x7F >> n);
    size_t j = i + 3;
    for (int k = 1; k < n; k++) {
      unsigned c;
      if (j >= len || t[j] != '%' || !hex_run(t + j + 1, len - j - 1, 2, &c) || (c & 0xC0) != 0x80) goto bad;
      cp = cp << 6 | (c & 0x3F);
      j += 3;
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      goto bad;
    buf_add_utf8(&b, cp);
    i = j;
  }
  *out = buf_to_jv(x, &b);
  return true;
bad:
  buf_free(&b);
  return url_error(x, fn, s);
}

bool jn_fn_encode_url(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { return encode_url(x, args, argc, false, out); }
bool jn_fn_encode_url_component(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { return encode_url(x, args, argc, true, out); }
bool jn_fn_decode_url(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { return decode_url(x, args, argc, false, out); }
bool jn_fn_decode_url_component(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { return decode_url(x, args, argc, true, out); }

/* ---------------------------------------------------------------- numeric functions */

/* /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/ */
static bool decimal_syntax(const char *s, size_t len)
{
  size_t i = 0, d;
  if (i < len && s[i] == '-') i++;
  for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++) {}
  if (i == d) return false;
  if (i < len && s[i] == '.') {
    for (d = ++i; i < len && s[i] >= '0' && s[i] <= '9'; i++) {}
    if (i == d) return false;
  }
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < len && (s[i] == '-' || s[i] == '+')) i++;
    for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++) {}
    if (i == d) return false;
  }
  return i == len;
}

static int radix_digit(char c, int radix)
{
  int v = hexval((unsigned char)c);
  return v >= 0 && v < radix ? v : -1;
}

/* 0x.. 0o.. 0b.. with at least one digit at P (P..END wholly), as Number() reads it;
   -1 when P..END is not that. */
static double radix_literal(const char *p, const char *end)
{
  if (end - p < 3 || p[0] != '0') return -1;
  int radix = (p[1] | 32) == 'x' ? 16 : (p[1] | 32) == 'o' ? 8 : (p[1] | 32) == 'b' ? 2 : 0;
  if (!radix) return -1;
  /* the value's bits, as hexadecimal for strtod to round */
  struct buf h = {0};
  buf_adds(&h, "0x");
  unsigned acc = 0;
  int bits = radix == 16 ? 4 : radix == 8 ? 3 : 1;
  size_t ndig = (size_t)(end - p - 2), total = ndig * (size_t)bits, lead = (4 - total % 4) % 4;
  int nacc = (int)lead;
  for (const char *q = p + 2; q < end; q++) {
    int v = radix_digit(*q, radix);
    if (v < 0) { buf_free(&h); return -1; }
    acc = acc << bits | (unsigned)v;
    nacc += bits;
    while (nacc >= 4) {
      nacc -= 4;
      buf_addc(&h, "0123456789abcdef"[(acc >> nacc) & 15]);
    }
  }
  buf_addc(&h, 0);
  double r = strtod(h.data, NULL);
  buf_free(&h);
  return r;
}

/* Whether S matches the reference's /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/,
   whose first branch is anchored only at the start and the last only at the end. */
static bool radix_syntax(const char *s, size_t len)
{
  if (len >= 3 && s[0] == '0' && (s[1] | 32) == 'x' && radix_digit(s[2], 16) >= 0) return true;
  for (size_t i = 0; i + 2 < len; i++)
    if (s[i] == '0' && (s[i + 1] | 32) == 'o' && radix_digit(s[i + 2], 8) >= 0) return true;
  size_t e = len;
  while (e > 0 && (s[e - 1] == '0' || s[e - 1] == '1')) e--;
  return e < len && e >= 2 && s[e - 2] == '0' && (s[e - 1] | 32) == 'b';
}

bool jn_fn_number(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *v = arg(args, argc, 0);
  switch (v->kind) {
  case JV_UNDEFINED: *out = jv_undefined(); return true;
  case JV_NUMBER: *out = *v; return true;
  case JV_BOOL: *out = jv_number(v->u.b ? 1 : 0); return true;
  case JV_STRING: {
    const char *s = v->u.s->text;
    size_t len = v->u.s->len;
    if (decimal_syntax(s, len)) {
      double d = strtod(s, NULL);
      if (isfinite(d)) { *out = jv_number(d); return true; }
    }
    if (radix_syntax(s, len)) {
      /* Number(): white space trimmed, then the whole literal or NaN */
      size_t a = 0, e = len;
      while (a < e) { size_t j = a; if (!js_space(u8_next(s, e, &j))) break; a = j; }
      while (e > a) {
        size_t k = e - 1;
        while (k > a && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
        size_t j = k;
        if (!js_space(u8_next(s, e, &j))) break;
        e = k;
      }
      double r = radix_literal(s + a, s + e);
      *out = jv_number(r < 0 ? NAN : r);
      return true;
    }
    break;
  }
  default: break;
  }
  return jx_throw(x, "D3030", NULL, v, NULL, 1);
}

/* The first argument as a number: 1, or 0 with *OUT undefined, or -1 on an error. */
static int num_arg(struct jn_ctx *x, struct jv *args, int argc, int i, const char *fn, double *v, struct jv *out)
{
  const struct jv *a = arg(args, argc, i);
  if (!want(x, a, JV_NUMBER, fn, i + 1)) return -1;
  if (!defined(a)) { *out = jv_undefined(); return 0; }
  *v = a->u.n;
  return 1;
}

#define NUMBER_ARG(name, v)                                  \
  double v;                                                  \
  int rc_ = num_arg(x, args, argc, 0, name, &v, out);        \
  if (rc_ <= 0) return rc_ == 0

bool jn_fn_abs(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  NUMBER_ARG("abs", v);
  *out = jv_number(fabs(v));
  return true;
}

bool jn_fn_floor(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  NUMBER_ARG("floor", v);
  *out = jv_number(floor(v));
  return true;
}

bool jn_fn_ceil(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  NUMBER_ARG("ceil", v);
  *out = jv_number(ceil(v));
  return true;
}

bool jn_fn_round(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  NUMBER_ARG("round", v);
  double p = 0;
  struct jv dummy;
  if (num_arg(x, args, argc, 1, "round", &p, &dummy) < 0) return false;
  *out = jv_number(js_round(v, p));
  return true;
}

bool jn_fn_sqrt(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  NUMBER_ARG("sqrt", v);
  if (v < 0) return jx_throw(x, "D3060", NULL, &args[0], NULL, 1);
  *out = jv_number(sqrt(v));
  return true;
}

bool jn_fn_power(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  NUMBER_ARG("power", v);
  double e = NAN;
  struct jv dummy;
  if (num_arg(x, args, argc, 1, "power", &e, &dummy) < 0) return false;
  /* Math.pow differs from C's pow in two cases */
  double r = isnan(e) ? NAN : (fabs(v) == 1 && isinf(e)) ? NAN : pow(v, e);
  if (!isfinite(r)) {
    char a[32], b[32];
    jn_number_text(v, a);
    jn_number_text(e, b);
    return jx_throw_message(x, "D3061",
                            "The power function has resulted in a value that cannot be represented as a JSON number: base=%s, exponent=%s",
                            isfinite(v) ? a : "null", isfinite(e) ? b : "null");
  }
  *out = jv_number(r);
  return true;
}

/* Number.prototype.toString(radix) for an integral V, as V8 writes it: digits beyond
   a double's precision are written as zeros. */
static void radix_text(double v, int radix, struct buf *b)
{
  char t[1100];
  int at = sizeof t;
  bool neg = v < 0;
  double integer = floor(fabs(v));
  while (integer / radix >= 9007199254740992.0 && at > 1) { /* its last digit is not representable */
    integer /= radix;
    t[--at] = '0';
  }
  do {
    double rem = fmod(integer, radix);
    t[--at] = "0123456789abcdefghijklmnopqrstuvwxyz"[(int)rem];
    integer = (integer - rem) / radix;
  } while (integer > 0 && at > 1);
  if (neg) t[--at] = '-';
  buf_add(b, t + at, sizeof t - (size_t)at);
}

bool jn_fn_format_base(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  NUMBER_ARG("formatBase", v);
  double r = 10;
  struct jv dummy;
  int rc = num_arg(x, args, argc, 1, "formatBase", &r, &dummy);
  if (rc < 0) return false;
  v = js_round(v, 0);
  if (rc > 0) r = js_round(r, 0);
  if (r < 2 || r > 36) { struct jv rv = jv_number(r); return jx_throw(x, "D3100", NULL, &rv, NULL, 0); }
  char t[32];
  if (r == 10 || !isfinite(v)) { jn_number_text(v, t); *out = jv_cstring(x, t); return true; }
  struct buf b = {0};
  radix_text(v, (int)r, &b);
  *out = buf_to_jv(x, &b);
  return true;
}

/* ---------------------------------------------------------------- $formatNumber */

/* $formatNumber works on UTF-16 text as the reference does (its picture rules index,
   split and compare UTF-16 units). A u16 is a view; only joining copies, in the arena. */
struct u16 {
  const uint16_t *p;
  long n;
};

static struct u16 u16_of(struct jn_ctx *x, const char *s, size_t len)
{
  uint16_t *p = arena_alloc(&x->arena, (2 * len + 1) * sizeof *p);
  long n = 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp = u8_next(s, len, &i);
    if (cp >= 0x10000) {
      p[n++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
      p[n++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else p[n++] = (uint16_t)cp;
  }
  struct u16 r = {p, n};
  return r;
}

static struct u16 u16_str(struct jn_ctx *x, const char *s) { return u16_of(x, s, strlen(s)); }

static struct jv u16_to_jv(struct jn_ctx *x, struct u16 s)
{
  struct buf b = {0};
  for (long i = 0; i < s.n; i++) {
    uint32_t c = s.p[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < s.n && s.p[i + 1] >= 0xDC00 && s.p[i + 1] < 0xE000)
      c = 0x10000 + ((c - 0xD800) << 10) + (uint32_t)(s.p[++i] - 0xDC00);
    buf_add_utf8(&b, c);
  }
  return buf_to_jv(x, &b);
}

static bool u16_eq(struct u16 a, struct u16 b) { return a.n == b.n && (a.n == 0 || !memcmp(a.p, b.p, (size_t)a.n * 2)); }

/* indexOf(N, FROM) */
static long u16_find(struct u16 h, struct u16 n, long from)
{
  if (from < 0) from = 0;
  if (from > h.n) from = h.n;
  for (long i = from; i + n.n <= h.n; i++)
    if (n.n == 0 || !memcmp(h.p + i, n.p, (size_t)n.n * 2)) return i;
  return -1;
}

static long u16_rfind(struct u16 h, struct u16 n)
{
  for (long i = h.n - n.n; i >= 0; i--)
    if (n.n == 0 || !memcmp(h.p + i, n.p, (size_t)n.n * 2)) return i;
  return -1;
}

/* substring(A, B) */
static struct u16 u16_sub(struct u16 s, long a, long b)
{
  if (a < 0) a = 0;
  if (b < 0) b = 0;
  if (a > s.n) a = s.n;
  if (b > s.n) b = s.n;
  if (a > b) { long t = a; a = b; b = t; }
  struct u16 r = {s.p + a, b - a};
  return r;
}

/* slice(A, B) */
static struct u16 u16_slice(struct u16 s, long a, long b)
{
  if (a < 0) a = a + s.n < 0 ? 0 : a + s.n;
  if (b < 0) b = b + s.n < 0 ? 0 : b + s.n;
  if (a > s.n) a = s.n;
  if (b > s.n) b = s.n;
  if (b < a) b = a;
  struct u16 r = {s.p + a, b - a};
  return r;
}

static struct u16 u16_at(struct u16 s, long i) { return i >= 0 && i < s.n ? u16_sub(s, i, i + 1) : u16_sub(s, 0, 0); }

static struct u16 u16_cat3(struct jn_ctx *x, struct u16 a, struct u16 b, struct u16 c)
{
  uint16_t *p = arena_alloc(&x->arena, (size_t)(a.n + b.n + c.n + 1) * 2);
  if (a.n) memcpy(p, a.p, (size_t)a.n * 2);
  if (b.n) memcpy(p + a.n, b.p, (size_t)b.n * 2);
  if (c.n) memcpy(p + a.n + b.n, c.p, (size_t)c.n * 2);
  struct u16 r = {p, a.n + b.n + c.n};
  return r;
}

static struct u16 u16_repeat(struct jn_ctx *x, struct u16 s, long times)
{
  struct u16 r = {NULL, 0};
  if (times <= 0) return r;
  uint16_t *p = arena_alloc(&x->arena, (size_t)(s.n * times + 1) * 2);
  for (long i = 0; i < times; i++)
    if (s.n) memcpy(p + i * s.n, s.p, (size_t)s.n * 2);
  r.p = p;
  r.n = s.n * times;
  return r;
}

enum { P_DECIMAL, P_GROUPING, P_EXPONENT, P_INFINITY, P_MINUS, P_NAN, P_PERCENT, P_PERMILLE, P_ZERO, P_DIGIT, P_PATTERN, NPROPS };
static const char *const prop_names[NPROPS] = {"decimal-separator", "grouping-separator", "exponent-separator", "infinity",
                                               "minus-sign", "NaN", "percent", "per-mille", "zero-digit", "digit",
                                               "pattern-separator"};
static const char *const prop_defaults[NPROPS] = {".", ",", "e", "Infinity", "-", "NaN", "%", "\xe2\x80\xb0", "0", "#", ";"};

struct picture_env {
  struct u16 prop[NPROPS];
  uint16_t family[10];
  bool has_family;
};

static bool in_family(const struct picture_env *pe, struct u16 ch)
{
  if (!pe->has_family || ch.n != 1) return false;
  return ch.p[0] >= pe->family[0] && ch.p[0] <= pe->family[9];
}

static bool is_active(const struct picture_env *pe, struct u16 ch)
{
  return in_family(pe, ch) || u16_eq(ch, pe->prop[P_DECIMAL]) || u16_eq(ch, pe->prop[P_EXPONENT]) ||
         u16_eq(ch, pe->prop[P_GROUPING]) || u16_eq(ch, pe->prop[P_DIGIT]) || u16_eq(ch, pe->prop[P_PATTERN]);
}

static long count_family(const struct picture_env *pe, struct u16 s, bool or_digit)
{
  long n = 0;
  for (long i = 0; i < s.n; i++) {
    struct u16 ch = u16_at(s, i);
    if (in_family(pe, ch) || (or_digit && u16_eq(ch, pe->prop[P_DIGIT]))) n++;
  }
  return n;
}

struct sub_picture {
  struct u16 prefix, suffix, active, mantissa, exponent, integer, fraction, whole;
  bool has_exponent;
  /* the analysis */
  long int_groups[64], nint_groups, frac_groups[64], nfrac_groups, regular;
  long min_int, scaling, min_frac, max_frac, min_exp;
};

static bool split_parts(struct jn_ctx *x, const struct picture_env *pe, struct u16 sub, struct sub_picture *sp)
{
  memset(sp, 0, sizeof *sp);
  sp->whole = sub;
  long i, pre = -1, suf = -1;
  for (i = 0; i < sub.n; i++) {
    struct u16 ch = u16_at(sub, i);
    if (is_active(pe, ch) && !u16_eq(ch, pe->prop[P_EXPONENT])) { pre = i; break; }
  }
  for (i = sub.n - 1; i >= 0; i--) {
    struct u16 ch = u16_at(sub, i);
    if (is_active(pe, ch) && !u16_eq(ch, pe->prop[P_EXPONENT])) { suf = i + 1; break; }
  }
  if (pre < 0 || suf < 0) /* the reference fails reading the missing prefix's length */
    return jx_throw_message(x, "", "Cannot read properties of undefined (reading 'length')");
  sp->prefix = u16_sub(sub, 0, pre);
  sp->suffix = u16_sub(sub, suf, sub.n);
  sp->active = u16_sub(sub, sp->prefix.n, sub.n - sp->suffix.n);
  long ep = u16_find(sub, pe->prop[P_EXPONENT], sp->prefix.n);
  if (ep == -1 || ep > sub.n - sp->suffix.n) sp->mantissa = sp->active;
  else {
    /* positions in the whole sub-picture used within the active part, as the reference does */
    sp->mantissa = u16_sub(sp->active, 0, ep);
    sp->exponent = u16_sub(sp->active, ep + 1, sp->active.n);
    sp->has_exponent = true;
  }
  long dp = u16_find(sp->mantissa, pe->prop[P_DECIMAL], 0);
  if (dp == -1) {
    sp->integer = sp->mantissa;
    sp->fraction = sp->suffix;
  } else {
    sp->integer = u16_sub(sp->mantissa, 0, dp);
    sp->fraction = u16_sub(sp->mantissa, dp + 1, sp->mantissa.n);
  }
  return true;
}

static bool validate_picture(struct jn_ctx *x, struct picture_env *pe, struct sub_picture *sp)
{
  const char *error = NULL;
  struct u16 sub = sp->whole;
  struct u16 *P = pe->prop;
  long dp = u16_find(sub, P[P_DECIMAL], 0);
  if (dp != u16_rfind(sub, P[P_DECIMAL])) error = "D3081";
  if (u16_find(sub, P[P_PERCENT], 0) != u16_rfind(sub, P[P_PERCENT])) error = "D3082";
  if (u16_find(sub, P[P_PERMILLE], 0) != u16_rfind(sub, P[P_PERMILLE])) error = "D3083";
  if (u16_find(sub, P[P_PERCENT], 0) != -1 && u16_find(sub, P[P_PERMILLE], 0) != -1) error = "D3084";
  if (count_family(pe, sp->mantissa, true) == 0) error = "D3085";
  for (long i = 0; i < sp->active.n; i++)
    if (!is_active(pe, u16_at(sp->active, i))) error = "D3086";
  if (dp != -1) {
    if (u16_eq(u16_at(sub, dp - 1), P[P_GROUPING]) || u16_eq(u16_at(sub, dp + 1), P[P_GROUPING])) error = "D3087";
  } else if (u16_eq(u16_at(sp->integer, sp->integer.n - 1), P[P_GROUPING])) error = "D3088";
  struct u16 gg = u16_cat3(x, P[P_GROUPING], P[P_GROUPING], u16_sub(sub, 0, 0));
  if (u16_find(sub, gg, 0) != -1) error = "D3089";
  long od = u16_find(sp->integer, P[P_DIGIT], 0);
  if (od != -1 && count_family(pe, u16_sub(sp->integer, 0, od), false) > 0) error = "D3090";
  od = u16_rfind(sp->fraction, P[P_DIGIT]);
  if (od != -1 && count_family(pe, u16_sub(sp->fraction, od, sp->fraction.n), false) > 0) error = "D3091";
  if (sp->has_exponent && sp->exponent.n > 0 && (u16_find(sub, P[P_PERCENT], 0) != -1 || u16_find(sub, P[P_PERMILLE], 0) != -1))
    error = "D3092";
  if (sp->has_exponent && (sp->exponent.n == 0 || count_family(pe, sp->exponent, false) != sp->exponent.n)) error = "D3093";
  if (error) return jx_throw(x, error, NULL, NULL, NULL, 0);
  return true;
}

static long grouping_positions(const struct picture_env *pe, const struct sub_picture *sp, struct u16 part, bool to_left, long *out)
{
  long n = 0, gp = u16_find(part, pe->prop[P_GROUPING], 0);
  while (gp != -1 && n < 64) {
    struct u16 side = to_left ? u16_sub(part, 0, gp) : u16_sub(part, gp, part.n);
    out[n++] = count_family(pe, side, true);
    gp = u16_find(sp->integer, pe->prop[P_GROUPING], gp + 1); /* sic: the integer part, for both parts */
  }
  return n;
}

static long gcd(long a, long b) { return b == 0 ? a : gcd(b, a % b); }

static void analyse_picture(const struct picture_env *pe, struct sub_picture *sp)
{
  sp->nint_groups = grouping_positions(pe, sp, sp->integer, false, sp->int_groups);
  sp->regular = 0;
  if (sp->nint_groups) {
    long f = sp->int_groups[0];
    for (long i = 1; i < sp->nint_groups; i++) f = gcd(f, sp->int_groups[i]);
    sp->regular = f;
    for (long k = 1; k <= sp->nint_groups; k++) {
      bool found = false;
      for (long i = 0; i < sp->nint_groups; i++) found |= sp->int_groups[i] == k * f;
      if (!found) { sp->regular = 0; break; }
    }
  }
  sp->nfrac_groups = grouping_positions(pe, sp, sp->fraction, true, sp->frac_groups);
  sp->min_int = count_family(pe, sp->integer, false);
  sp->scaling = sp->min_int;
  sp->min_frac = count_family(pe, sp->fraction, false);
  sp->max_frac = count_family(pe, sp->fraction, true);
  if (sp->min_int == 0 && sp->max_frac == 0) {
    if (sp->has_exponent) sp->min_frac = sp->max_frac = 1;
    else sp->min_int = 1;
  }
  if (sp->has_exponent && sp->min_int == 0 && u16_find(sp->integer, pe->prop[P_DIGIT], 0) != -1) sp->min_int = 1;
  if (sp->min_int == 0 && sp->min_frac == 0) sp->min_frac = 1;
  sp->min_exp = sp->has_exponent ? count_family(pe, sp->exponent, false) : 0;
}

/* Math.abs(V).toFixed(DP) in the picture's digits. */
static struct u16 make_string(struct jn_ctx *x, const struct picture_env *pe, double v, long dp)
{
  char *t = to_fixed(fabs(v), (int)(dp > 100 ? 100 : dp));
  struct u16 s = u16_str(x, t);
  free(t);
  bool zero_is_0 = pe->prop[P_ZERO].n == 1 && pe->prop[P_ZERO].p[0] == '0';
  if (!zero_is_0 && pe->has_family) {
    uint16_t *p = (uint16_t *)s.p;
    for (long i = 0; i < s.n; i++)
      if (p[i] >= '0' && p[i] <= '9') p[i] = pe->family[p[i] - '0'];
  }
  return s;
}

bool jn_fn_format_number(struct jn_ctx *x, struct jv *args, int argc, struct jv *out)
{
  const struct jv *val = arg(args, argc, 0), *pic = arg(args, argc, 1), *opt = arg(args, argc, 2);
  if (!want(x, val, JV_NUMBER, "formatNumber", 1) || !want(x, pic, JV_STRING, "formatNumber", 2) ||
      !want(x, opt, JV_OBJECT, "formatNumber", 3))
    return false;
  if (!defined(val)) { *out = jv_undefined(); return true; }
  if (!is_str(pic)) return jx_throw(x, "T0410", "formatNumber", pic, NULL, 2);
  double value = val->u.n;
  struct picture_env pe;
  memset(&pe, 0, sizeof pe);
  for (int i = 0; i < NPROPS; i++) {
    const struct jv *o = opt->kind == JV_OBJECT ? jv_obj_get(opt->u.o, prop_names[i], strlen(prop_names[i])) : NULL;
    pe.prop[i] = o && is_str(o) ? u16_of(x, o->u.s->text, o->u.s->len) : u16_str(x, prop_defaults[i]);
  }
  struct u16 *P = pe.prop;
  if (P[P_ZERO].n) {
    pe.has_family = true;
    for (int i = 0; i < 10; i++) pe.family[i] = (uint16_t)(P[P_ZERO].p[0] + i);
  }
  /* the sub-pictures */
  struct u16 picture = u16_of(x, pic->u.s->text, pic->u.s->len);
  struct sub_picture parts[2];
  struct u16 subs[2];
  long nsub = 0, pos = 0;
  for (;;) {
    long at = P[P_PATTERN].n ? u16_find(picture, P[P_PATTERN], pos) : (pos + 1 < picture.n ? pos + 1 : -1);
    if (nsub == 2) return jx_throw(x, "D3080", NULL, NULL, NULL, 0);
    subs[nsub++] = u16_sub(picture, pos, at < 0 ? picture.n : at);
    if (at < 0) break;
    pos = at + P[P_PATTERN].n;
  }
  for (long i = 0; i < nsub; i++)
    if (!split_parts(x, &pe, subs[i], &parts[i])) return false;
  for (long i = 0; i < nsub; i++)
    if (!validate_picture(x, &pe, &parts[i])) return false;
  for (long i = 0; i < nsub; i++) analyse_picture(&pe, &parts[i]);
  if (nsub == 1) {
    parts[1] = parts[0];
    parts[1].prefix = u16_cat3(x, P[P_MINUS], parts[0].prefix, u16_sub(picture, 0, 0));
  }
  struct u16 none = u16_sub(picture, 0, 0);
  struct sub_picture *sp = value >= 0 ? &parts[0] : &parts[1];
  double adjusted = value;
  if (u16_find(sp->whole, P[P_PERCENT], 0) != -1) adjusted = value * 100;
  else if (u16_find(sp->whole, P[P_PERMILLE], 0) != -1) adjusted = value * 1000;
  double mantissa = adjusted;
  long exponent = 0;
  bool has_exp = sp->min_exp != 0;
  if (has_exp) {
    /* the reference never ends these loops for zero or a negative number (2.0.6 hangs);
       they work on the magnitude here, as later versions do */
    double max_m = pow(10, (double)sp->scaling), min_m = pow(10, (double)(sp->scaling - 1));
    double m = fabs(mantissa);
    if (m != 0 && isfinite(m)) {
      while (m < min_m) { m *= 10; exponent--; }
      while (m > max_m) { m /= 10; exponent++; }
    }
    mantissa = mantissa < 0 ? -m : m;
  }
  double rounded = js_round(mantissa, (double)sp->max_frac);
  struct u16 sv = make_string(x, &pe, rounded, sp->max_frac);
  struct u16 dot = u16_str(x, ".");
  long dpos = u16_find(sv, dot, 0);
  if (dpos == -1) sv = u16_cat3(x, sv, P[P_DECIMAL], none);
  else sv = u16_cat3(x, u16_sub(sv, 0, dpos), P[P_DECIMAL], u16_sub(sv, dpos + 1, sv.n));
  while (sv.n && u16_eq(u16_at(sv, 0), P[P_ZERO])) sv = u16_sub(sv, 1, sv.n);
  while (sv.n && u16_eq(u16_at(sv, sv.n - 1), P[P_ZERO])) sv = u16_sub(sv, 0, sv.n - 1);
  dpos = u16_find(sv, P[P_DECIMAL], 0);
  long pad_left = sp->min_int - dpos, pad_right = sp->min_frac - (sv.n - dpos - 1);
  sv = u16_cat3(x, u16_repeat(x, P[P_ZERO], pad_left), sv, u16_repeat(x, P[P_ZERO], pad_right));
  dpos = u16_find(sv, P[P_DECIMAL], 0);
  if (sp->regular > 0) {
    long groups = (long)floor((double)(dpos - 1) / (double)sp->regular);
    for (long g = 1; g <= groups; g++)
      sv = u16_cat3(x, u16_slice(sv, 0, dpos - g * sp->regular), P[P_GROUPING], u16_slice(sv, dpos - g * sp->regular, sv.n));
  } else {
    for (long i = 0; i < sp->nint_groups; i++) {
      long at = dpos - sp->int_groups[i];
      sv = u16_cat3(x, u16_slice(sv, 0, at), P[P_GROUPING], u16_slice(sv, at, sv.n));
      dpos++;
    }
  }
  dpos = u16_find(sv, P[P_DECIMAL], 0);
  for (long i = 0; i < sp->nfrac_groups; i++) {
    long at = sp->frac_groups[i] + dpos + 1;
    sv = u16_cat3(x, u16_slice(sv, 0, at), P[P_GROUPING], u16_slice(sv, at, sv.n));
  }
  dpos = u16_find(sv, P[P_DECIMAL], 0);
  if (u16_find(sp->whole, P[P_DECIMAL], 0) == -1 || dpos == sv.n - 1) sv = u16_sub(sv, 0, sv.n - 1);
  if (has_exp) {
    struct u16 se = make_string(x, &pe, (double)exponent, 0);
    long pl = sp->min_exp - se.n;
    if (pl > 0) se = u16_cat3(x, u16_repeat(x, P[P_ZERO], pl), se, none);
    sv = u16_cat3(x, sv, P[P_EXPONENT], u16_cat3(x, exponent < 0 ? P[P_MINUS] : none, se, none));
  }
  sv = u16_cat3(x, sp->prefix, sv, sp->suffix);
  *out = u16_to_jv(x, sv);
  return true;
}
