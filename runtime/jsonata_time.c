/* jsonata_time.c: $now $millis $fromMillis $toMillis $formatInteger $parseInteger, as
 * the reference's datetime module (jsonata-js 2.0.6) does them: picture strings are
 * analysed into a format, then the format drives formatting or parsing. All calendar
 * arithmetic is proleptic Gregorian in UTC, done here (no C library time functions). */
#include "jsonata.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- growable text */

struct tbuf {
  char *p;
  size_t len, cap;
};

static void tb_add(struct tbuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t c = b->cap ? b->cap * 2 : 64;
    while (c < b->len + n + 1) c *= 2;
    b->p = realloc(b->p, c);
    if (!b->p) abort();
    b->cap = c;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}
static void tb_str(struct tbuf *b, const char *s) { tb_add(b, s, strlen(s)); }
static void tb_cp(struct tbuf *b, uint32_t c) {
  char t[4];
  size_t n;
  if (c < 0x80) { t[0] = (char)c; n = 1; }
  else if (c < 0x800) { t[0] = (char)(0xC0 | c >> 6); t[1] = (char)(0x80 | (c & 63)); n = 2; }
  else if (c < 0x10000) { t[0] = (char)(0xE0 | c >> 12); t[1] = (char)(0x80 | ((c >> 6) & 63)); t[2] = (char)(0x80 | (c & 63)); n = 3; }
  else { t[0] = (char)(0xF0 | c >> 18); t[1] = (char)(0x80 | ((c >> 12) & 63)); t[2] = (char)(0x80 | ((c >> 6) & 63)); t[3] = (char)(0x80 | (c & 63)); n = 4; }
  tb_add(b, t, n);
}


/* UTF-8 into code points; *N gets the count. The caller frees. */
static uint32_t *to_cps(const char *s, size_t len, size_t *n) {
  uint32_t *out = malloc((len + 1) * sizeof *out);
  size_t k = 0, i = 0;
  if (!out) abort();
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    uint32_t cp;
    int extra;
    if (c < 0x80) { cp = c; extra = 0; }
    else if (c >= 0xF0) { cp = c & 7; extra = 3; }
    else if (c >= 0xE0) { cp = c & 15; extra = 2; }
    else { cp = c & 31; extra = 1; }
    i++;
    while (extra-- > 0 && i < len) cp = cp << 6 | ((unsigned char)s[i++] & 63);
    out[k++] = cp;
  }
  *n = k;
  return out;
}

/* ---------------------------------------------------------------- tables */

static const char *const few[] = {"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight",
                                  "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen",
                                  "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
static const char *const ordinals[] = {"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth",
                                       "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth",
                                       "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth",
                                       "Eighteenth", "Nineteenth"};
static const char *const decades[] = {"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"};
static const char *const magnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};

static const char *const day_names[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
static const char *const month_names[] = {"January", "February", "March", "April", "May", "June", "July",
                                          "August", "September", "October", "November", "December"};

static const struct { int value; const char *text; } roman[] = {
    {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
    {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};

/* Zero of each Unicode decimal digit family the reference knows (BMP only, as it). */
static const uint32_t digit_families[] = {
    0x30,   0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

/* The words a number may be parsed from, in the order the reference lists them
   (its regular expression tries them in this order). */
struct word { char text[16]; double value; };
static struct word words[20 + 20 + 18 + 1 + 8];
static int nwords;

static void init_words(void) {
  if (nwords) return;
  for (int i = 0; i < 20; i++) {
    struct word *w = &words[nwords++];
    for (int k = 0; few[i][k]; k++) w->text[k] = (char)(few[i][k] | 0x20);
    w->value = i;
  }
  for (int i = 0; i < 20; i++) {
    struct word *w = &words[nwords++];
    for (int k = 0; ordinals[i][k]; k++) w->text[k] = (char)(ordinals[i][k] | 0x20);
    w->value = i;
  }
  for (int i = 0; i < 9; i++) {
    struct word *w = &words[nwords++];
    size_t l = strlen(decades[i]);
    for (size_t k = 0; k < l; k++) w->text[k] = (char)(decades[i][k] | 0x20);
    w->value = (i + 2) * 10;
    struct word *o = &words[nwords++]; /* "twentieth", "hundreieth" (sic, as the reference) */
    memcpy(o->text, w->text, l - 1);
    strcpy(o->text + l - 1, "ieth");
    o->value = w->value;
  }
  struct word *h = &words[nwords++];
  strcpy(h->text, "hundredth");
  h->value = 100;
  for (int i = 0; i < 4; i++) {
    struct word *w = &words[nwords++];
    size_t l = strlen(magnitudes[i]);
    for (size_t k = 0; k < l; k++) w->text[k] = (char)(magnitudes[i][k] | 0x20);
    w->value = pow(10, (i + 1) * 3);
    struct word *o = &words[nwords++];
    memcpy(o->text, w->text, l);
    strcpy(o->text + l, "th");
    o->value = w->value;
  }
}

/* The same key twice ("hundred" is both a decade and the word): the later wins, as in
   an object. */
static bool word_value(const char *s, size_t n, double *v) {
  init_words();
  bool found = false;
  for (int i = 0; i < nwords; i++)
    if (strlen(words[i].text) == n && memcmp(words[i].text, s, n) == 0) { *v = words[i].value; found = true; }
  return found;
}

/* ---------------------------------------------------------------- integer pictures */

enum primary { P_DECIMAL, P_LETTERS, P_ROMAN, P_WORDS, P_SEQUENCE };
enum tcase { C_LOWER, C_UPPER, C_TITLE };

struct sep { int position; uint32_t ch; };

struct ifmt {
  enum primary primary;
  enum tcase tcase;
  bool ordinal;
  uint32_t zero;
  int mandatory, optional;
  bool regular;
  int nsep;           /* regular: 1, the character and the interval */
  struct sep *seps;   /* malloc'd; in order of position from the right */
  char *token;        /* malloc'd: the sequence's picture, for D3130 */
  int n;              /* the parser's digit count (YMD); 0: any */
};

static void ifmt_free(struct ifmt *f) {
  free(f->seps);
  free(f->token);
  f->seps = NULL;
  f->token = NULL;
}

static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }

static bool analyse_integer(struct jn_ctx *x, const char *pic, size_t len, struct ifmt *f) {
  memset(f, 0, sizeof *f);
  f->primary = P_DECIMAL;
  f->tcase = C_LOWER;
  size_t plen = len;
  for (size_t i = len; i-- > 0;)
    if (pic[i] == ';') {
      plen = i;
      if (i + 1 < len && pic[i + 1] == 'o') f->ordinal = true;
      break;
    }
  if (plen == 1 && (pic[0] == 'A' || pic[0] == 'a')) {
    f->primary = P_LETTERS;
    f->tcase = pic[0] == 'A' ? C_UPPER : C_LOWER;
  } else if (plen == 1 && (pic[0] == 'I' || pic[0] == 'i')) {
    f->primary = P_ROMAN;
    f->tcase = pic[0] == 'I' ? C_UPPER : C_LOWER;
  } else if (plen == 1 && pic[0] == 'W') {
    f->primary = P_WORDS;
    f->tcase = C_UPPER;
  } else if (plen == 2 && pic[0] == 'W' && pic[1] == 'w') {
    f->primary = P_WORDS;
    f->tcase = C_TITLE;
  } else if (plen == 1 && pic[0] == 'w') {
    f->primary = P_WORDS;
  } else {
    size_t n;
    uint32_t *cps = to_cps(pic, plen, &n);
    bool have_zero = false;
    int position = 0;
    f->seps = malloc((n + 1) * sizeof *f->seps);
    if (!f->seps) abort();
    for (size_t k = n; k-- > 0;) { /* from the right */
      uint32_t c = cps[k];
      bool digit = false;
      for (size_t g = 0; g < sizeof digit_families / sizeof *digit_families; g++) {
        uint32_t z = digit_families[g];
        if (c >= z && c <= z + 9) {
          digit = true;
          f->mandatory++;
          position++;
          if (!have_zero) { f->zero = z; have_zero = true; }
          else if (z != f->zero) { free(cps); ifmt_free(f); return jx_throw(x, "D3131", NULL, NULL, NULL, 0); }
          break;
        }
      }
      if (!digit) {
        if (c == '#') { position++; f->optional++; }
        else { f->seps[f->nsep].position = position; f->seps[f->nsep].ch = c; f->nsep++; }
      }
    }
    free(cps);
    if (f->mandatory > 0) {
      int factor = 0;
      if (f->nsep > 0) {
        factor = f->seps[0].position;
        for (int i = 1; i < f->nsep; i++)
          if (f->seps[i].ch != f->seps[0].ch) factor = -1;
        if (factor >= 0) {
          for (int i = 1; i < f->nsep; i++) factor = gcd(factor, f->seps[i].position);
          for (int m = 1; m <= f->nsep && factor > 0; m++) {
            bool found = false;
            for (int i = 0; i < f->nsep; i++) if (f->seps[i].position == m * factor) found = true;
            if (!found) factor = 0;
          }
        }
      }
      if (factor > 0) {
        f->regular = true;
        f->seps[0].position = factor;
        f->nsep = 1;
      }
    } else {
      f->primary = P_SEQUENCE;
      f->token = malloc(plen + 1);
      if (!f->token) abort();
      memcpy(f->token, pic, plen);
      f->token[plen] = 0;
    }
  }
  return true;
}

static void words_of(struct tbuf *b, double num, bool prev, bool ord) {
  if (num <= 19) {
    if (prev) tb_str(b, " and ");
    tb_str(b, ord ? ordinals[(int)num] : few[(int)num]);
  } else if (num < 100) {
    int tens = (int)(num / 10), rem = (int)fmod(num, 10);
    if (prev) tb_str(b, " and ");
    if (rem > 0) {
      tb_str(b, decades[tens - 2]);
      tb_str(b, "-");
      words_of(b, rem, false, ord);
    } else if (ord) {
      tb_add(b, decades[tens - 2], strlen(decades[tens - 2]) - 1);
      tb_str(b, "ieth");
    } else tb_str(b, decades[tens - 2]);
  } else if (num < 1000) {
    int hundreds = (int)(num / 100), rem = (int)fmod(num, 100);
    if (prev) tb_str(b, ", ");
    tb_str(b, few[hundreds]);
    tb_str(b, " Hundred");
    if (rem > 0) words_of(b, rem, true, ord);
    else if (ord) tb_str(b, "th");
  } else {
    int mag = (int)floor(log10(num) / 3);
    if (mag > 4) mag = 4;
    double factor = pow(10, mag * 3);
    double mant = floor(num / factor);
    double rem = num - mant * factor;
    if (prev) tb_str(b, ", ");
    words_of(b, mant, false, false);
    tb_str(b, " ");
    tb_str(b, magnitudes[mag - 1]);
    if (rem > 0) words_of(b, rem, true, ord);
    else if (ord) tb_str(b, "th");
  }
}

/* JavaScript's String(n) of an integral double, without a sign. */
static void integer_text(double v, struct tbuf *b) {
  char t[400];
  if (isnan(v)) snprintf(t, sizeof t, "NaN");
  else if (isinf(v)) snprintf(t, sizeof t, "Infinity");
  else if (v < 1e21) snprintf(t, sizeof t, "%.0f", v);
  else jn_number_text(v, t);
  tb_str(b, t);
}

/* Formats the integer VALUE (already floored) into B. */
static bool format_int(struct jn_ctx *x, double value, const struct ifmt *f, struct tbuf *b) {
  bool negative = value < 0;
  struct tbuf t = {0};
  value = fabs(value);
  switch (f->primary) {
  case P_LETTERS: {
    char tmp[64];
    int n = 0;
    char a = f->tcase == C_UPPER ? 'A' : 'a';
    while (value > 0 && n < 63) {
      tmp[n++] = (char)(fmod(value - 1, 26) + a);
      value = floor((value - 1) / 26);
    }
    while (n > 0) tb_add(&t, &tmp[--n], 1);
    break;
  }
  case P_ROMAN:
    /* the reference recurses once per numeral: ten million and more overflows its
       stack (a RangeError without a code), which this mirrors rather than writing
       thousands of 'm's */
    if (value >= 1e7) {
      free(t.p);
      return jx_throw_message(x, "", "Maximum call stack size exceeded");
    }
    while (value > 0) {
      int i = 0;
      while (i < 13 && value < roman[i].value) i++;
      if (i == 13) break;
      for (const char *p = roman[i].text; *p; p++) {
        char c = f->tcase == C_UPPER ? (char)(*p - 32) : *p;
        tb_add(&t, &c, 1);
      }
      value -= roman[i].value;
    }
    break;
  case P_WORDS:
    if (isnan(value)) break; /* the reference recurses without end */
    words_of(&t, value, false, f->ordinal);
    for (size_t i = 0; i < t.len; i++) {
      if (f->tcase == C_UPPER && t.p[i] >= 'a' && t.p[i] <= 'z') t.p[i] -= 32;
      else if (f->tcase == C_LOWER && t.p[i] >= 'A' && t.p[i] <= 'Z') t.p[i] += 32;
    }
    break;
  case P_DECIMAL: {
    struct tbuf d = {0};
    integer_text(value, &d);
    /* the digits as code points, then the separators, as JavaScript's substr does them */
    size_t n = d.len + (f->mandatory > (int)d.len ? (size_t)f->mandatory - d.len : 0);
    size_t cap = n * 2 + (size_t)f->nsep + 8;
    uint32_t *cp = malloc(cap * sizeof *cp);
    if (!cp) abort();
    size_t len = 0;
    for (int i = (int)d.len; i < f->mandatory; i++) cp[len++] = '0';
    for (size_t i = 0; i < d.len; i++) cp[len++] = (uint32_t)(unsigned char)d.p[i];
    free(d.p);
    if (f->zero != 0x30)
      for (size_t i = 0; i < len; i++) cp[i] += f->zero - 0x30;
    if (f->regular) {
      int step = f->seps[0].position;
      size_t groups = (len - 1) / (size_t)step;
      cp = realloc(cp, (len + groups + 1) * sizeof *cp);
      if (!cp) abort();
      for (size_t g = groups; g > 0; g--) {
        size_t pos = len - g * (size_t)step;
        memmove(cp + pos + 1, cp + pos, (len - pos) * sizeof *cp);
        cp[pos] = f->seps[0].ch;
        len++;
      }
    } else {
      cp = realloc(cp, (len + (size_t)f->nsep + 1) * sizeof *cp);
      if (!cp) abort();
      for (int s = f->nsep; s-- > 0;) {
        long pos = (long)len - f->seps[s].position;
        /* substr(0, pos) + sep + substr(pos): a negative pos keeps the last -pos items
           after the separator and drops nothing before it */
        uint32_t *nw = malloc((len + 1) * sizeof *nw);
        if (!nw) abort();
        size_t k = 0;
        size_t head = pos > 0 ? (size_t)pos : 0;
        size_t tail = pos >= 0 ? (size_t)pos : ((long)len + pos > 0 ? (size_t)((long)len + pos) : 0);
        for (size_t i = 0; i < head && i < len; i++) nw[k++] = cp[i];
        nw[k++] = f->seps[s].ch;
        for (size_t i = tail; i < len; i++) nw[k++] = cp[i];
        free(cp);
        cp = nw;
        len = k;
      }
    }
    for (size_t i = 0; i < len; i++) tb_cp(&t, cp[i]);
    if (f->ordinal) {
      const char *suffix = "th";
      uint32_t last = len ? cp[len - 1] : 0;
      if (last == '1') suffix = "st";
      else if (last == '2') suffix = "nd";
      else if (last == '3') suffix = "rd";
      if (len > 1 && cp[len - 2] == '1') suffix = "th";
      tb_str(&t, suffix);
    }
    free(cp);
    break;
  }
  case P_SEQUENCE: {
    struct jv tok = jv_cstring(x, f->token);
    free(t.p);
    return jx_throw(x, "D3130", NULL, &tok, NULL, 0);
  }
  }
  if (negative) tb_str(b, "-");
  if (t.len) tb_add(b, t.p, t.len);
  free(t.p);
  return true;
}

/* ---------------------------------------------------------------- civil dates */

static const double day_ms = 86400000.0;

/* JavaScript's Date.UTC(y, mon, d, h, mi, s, ms) with mon from 0, years 0..99 as 19xx. */
static double date_utc(double y, double mon, double d, double h, double mi, double s, double ms) {
  if (isnan(y) || isnan(mon) || isnan(d) || isnan(h) || isnan(mi) || isnan(s) || isnan(ms)) return NAN;
  y = trunc(y);
  if (y >= 0 && y <= 99) y += 1900;
  mon = trunc(mon);
  double ym = y + floor(mon / 12);
  double mn = fmod(mon, 12);
  if (mn < 0) mn += 12;
  if (!(fabs(ym) < 1e7)) return NAN; /* far beyond Date's range, and safe to convert */
  double days = (double)rt_days_from_civil((int64_t)ym, (int)mn + 1, 1) + trunc(d) - 1;
  double t = days * day_ms + trunc(h) * 3600000.0 + trunc(mi) * 60000.0 + trunc(s) * 1000.0 + trunc(ms);
  if (fabs(t) > 8.64e15) return NAN;
  return t;
}

/* A UTC instant broken down, as Date's getUTC* give it. */
struct tm_utc {
  double t;
  int64_t year;
  int month, day, hour, minute, second, ms, weekday; /* month 0..11; weekday 0 = Sunday */
  bool invalid; /* an Invalid Date: every getUTC* is NaN */
};

static void break_down(double t, struct tm_utc *o) {
  o->t = t;
  o->invalid = isnan(t);
  if (o->invalid) t = 0;
  double days = floor(t / day_ms);
  double rem = t - days * day_ms;
  int m, d;
  rt_civil_from_days((int64_t)days, &o->year, &m, &d);
  o->month = m - 1;
  o->day = d;
  int64_t r = (int64_t)rem;
  o->hour = (int)(r / 3600000);
  o->minute = (int)(r / 60000 % 60);
  o->second = (int)(r / 1000 % 60);
  o->ms = (int)(r % 1000);
  int64_t wd = ((int64_t)days + 4) % 7;
  o->weekday = (int)(wd < 0 ? wd + 7 : wd);
}

/* The first day of week 1 of the month (Y, MON): the week holding its first Thursday. */
static double start_of_first_week(int64_t y, int mon) {
  double first = date_utc((double)y, mon, 1, 0, 0, 0, 0);
  /* Date.UTC maps 0..99 to 19xx: mirror it */
  struct tm_utc b;
  break_down(first, &b);
  int dow = b.weekday == 0 ? 7 : b.weekday;
  return dow > 4 ? first + (8 - dow) * day_ms : first - (dow - 1) * day_ms;
}

/* A component's value; *IS_TEXT when it is "am"/"pm" or "ISO", *DEFINED false for an
   unknown component. */
struct comp { double n; const char *s; bool defined; };

static struct comp fragment(const struct tm_utc *dt, char c) {
  struct comp r = {0, NULL, true};
  switch (c) {
  case 'Y': r.n = (double)dt->year; break;
  case 'M': r.n = dt->month + 1; break;
  case 'D': r.n = dt->day; break;
  case 'd': {
    double today = date_utc((double)dt->year, dt->month, dt->day, 0, 0, 0, 0);
    double jan1 = date_utc((double)dt->year, 0, 1, 0, 0, 0, 0);
    r.n = (today - jan1) / day_ms + 1;
    break;
  }
  case 'F': r.n = dt->weekday == 0 ? 7 : dt->weekday; break;
  case 'W': {
    double start = start_of_first_week(dt->year, 0);
    double today = date_utc((double)dt->year, dt->month, dt->day, 0, 0, 0, 0);
    double week = (today - start) / (day_ms * 7) + 1;
    if (week > 52) {
      if (today >= start_of_first_week(dt->year + 1, 0)) week = 1;
    } else if (week < 1) {
      week = (today - start_of_first_week(dt->year - 1, 0)) / (day_ms * 7) + 1;
    }
    r.n = floor(week);
    break;
  }
  case 'w': {
    int64_t ny = dt->month == 11 ? dt->year + 1 : dt->year, py = dt->month == 0 ? dt->year - 1 : dt->year;
    int nm = dt->month == 11 ? 0 : dt->month + 1, pm = dt->month == 0 ? 11 : dt->month - 1;
    double start = start_of_first_week(dt->year, dt->month);
    double today = date_utc((double)dt->year, dt->month, dt->day, 0, 0, 0, 0);
    double week = (today - start) / (day_ms * 7) + 1;
    if (week > 4) {
      if (today >= start_of_first_week(ny, nm)) week = 1;
    } else if (week < 1) {
      week = (today - start_of_first_week(py, pm)) / (day_ms * 7) + 1;
    }
    r.n = floor(week);
    break;
  }
  case 'X': {
    double s = start_of_first_week(dt->year, 0), e = start_of_first_week(dt->year + 1, 0);
    r.n = dt->t < s ? (double)dt->year - 1 : dt->t >= e ? (double)dt->year + 1 : (double)dt->year;
    break;
  }
  case 'x': {
    int64_t ny = dt->month == 11 ? dt->year + 1 : dt->year;
    int nm = dt->month == 11 ? 0 : dt->month + 1, pm = dt->month == 0 ? 11 : dt->month - 1;
    double s = start_of_first_week(dt->year, dt->month), e = start_of_first_week(ny, nm);
    r.n = dt->t < s ? pm + 1 : dt->t >= e ? nm + 1 : dt->month + 1;
    break;
  }
  case 'H': r.n = dt->hour; break;
  case 'h': r.n = dt->hour % 12 == 0 ? 12 : dt->hour % 12; break;
  case 'P': r.s = dt->hour >= 12 ? "pm" : "am"; break;
  case 'm': r.n = dt->minute; break;
  case 's': r.n = dt->second; break;
  case 'f': r.n = dt->ms; break;
  case 'C': case 'E': r.s = "ISO"; break;
  default: r.defined = false; break; /* Z, z and unknown components */
  }
  if (dt->invalid) {
    r.n = NAN;
    if (c == 'P') r.s = "am";
  }
  return r;
}

/* ---------------------------------------------------------------- date/time pictures */

struct part {
  bool literal;
  char *text;          /* a literal's text (malloc'd) */
  char component;
  bool has_width;
  bool min_set, max_set;
  double wmin, wmax;   /* NaN when the width was not a number */
  char *pres1;         /* malloc'd */
  char pres2;          /* 0 when none */
  int names;           /* -1 none, else enum tcase */
  bool has_ifmt;
  struct ifmt ifmt;
  double n;            /* YMD: the digits of the year etc., -1 when free */
};

struct dpic { struct part *parts; int n; };

static void dpic_free(struct dpic *d) {
  for (int i = 0; i < d->n; i++) {
    free(d->parts[i].text);
    free(d->parts[i].pres1);
    if (d->parts[i].has_ifmt) ifmt_free(&d->parts[i].ifmt);
  }
  free(d->parts);
  d->parts = NULL;
  d->n = 0;
}

static struct part *new_part(struct dpic *d) {
  d->parts = realloc(d->parts, (size_t)(d->n + 1) * sizeof *d->parts);
  if (!d->parts) abort();
  struct part *p = &d->parts[d->n++];
  memset(p, 0, sizeof *p);
  p->names = -1;
  p->n = -1;
  return p;
}

static void add_literal(struct dpic *d, const char *s, size_t len) {
  if (len == 0) return;
  struct part *p = new_part(d);
  p->literal = true;
  p->text = malloc(len + 1);
  if (!p->text) abort();
  size_t k = 0;
  for (size_t i = 0; i < len; i++) {
    p->text[k++] = s[i];
    if (s[i] == ']' && i + 1 < len && s[i + 1] == ']') i++;
  }
  p->text[k] = 0;
}

/* JavaScript's parseInt(s) in base 10 (no hexadecimal prefix), NaN when no digits. */
static double js_parse_int(const char *s, size_t len) {
  size_t i = 0;
  while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v')) i++;
  bool neg = false;
  if (i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  double v = 0;
  size_t start = i;
  while (i < len && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
  if (i == start) return NAN;
  return neg ? -v : v;
}

static const char *default_pres(char c) {
  switch (c) {
  case 'Y': case 'M': case 'D': case 'd': case 'W': case 'w': case 'X': case 'x': case 'H': case 'h': case 'f': return "1";
  case 'F': case 'P': case 'C': case 'E': return "n";
  case 'm': case 's': return "01";
  case 'Z': case 'z': return "01:01";
  default: return NULL;
  }
}

static bool analyse_datetime(struct jn_ctx *x, const char *pic, size_t len, struct dpic *d) {
  memset(d, 0, sizeof *d);
  size_t start = 0, pos = 0;
  while (pos < len) {
    if (pic[pos] == '[') {
      if (pos + 1 < len && pic[pos + 1] == '[') {
        add_literal(d, pic + start, pos - start);
        add_literal(d, "[", 1);
        pos += 2;
        start = pos;
        continue;
      }
      add_literal(d, pic + start, pos - start);
      start = pos;
      const char *close = memchr(pic + start, ']', len - start);
      if (!close) { dpic_free(d); return jx_throw(x, "D3135", NULL, NULL, NULL, 0); }
      pos = (size_t)(close - pic);
      /* the marker without its white space */
      char *m = malloc(pos - start + 1);
      if (!m) abort();
      size_t ml = 0;
      for (size_t i = start + 1; i < pos; i++) {
        char c = pic[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') continue;
        m[ml++] = c;
      }
      m[ml] = 0;
      struct part *p = new_part(d);
      p->component = ml ? m[0] : 0;
      char *comma = NULL;
      for (size_t i = ml; i-- > 0;) if (m[i] == ',') { comma = m + i; break; }
      size_t pm_start = ml ? 1 : 0, pm_len;
      if (comma) {
        const char *w = comma + 1;
        const char *dash = strchr(w, '-');
        p->has_width = true;
        size_t minlen = dash ? (size_t)(dash - w) : strlen(w);
        if (!(minlen == 1 && w[0] == '*')) { p->min_set = true; p->wmin = js_parse_int(w, minlen); }
        if (dash && strcmp(dash + 1, "*") != 0) { p->max_set = true; p->wmax = js_parse_int(dash + 1, strlen(dash + 1)); }
        pm_len = (size_t)(comma - m) >= pm_start ? (size_t)(comma - m) - pm_start : 0;
      } else {
        pm_len = ml - pm_start;
      }
      const char *pm = m + pm_start;
      if (pm_len == 1) {
        p->pres1 = xstrndup(pm, 1);
      } else if (pm_len > 1) {
        char last = pm[pm_len - 1];
        if (strchr("atco", last)) {
          p->pres2 = last;
          p->pres1 = xstrndup(pm, pm_len - 1);
        } else {
          p->pres1 = xstrndup(pm, pm_len);
        }
      } else {
        const char *dp = default_pres(p->component);
        if (dp) p->pres1 = xstrndup(dp, strlen(dp));
      }
      free(m);
      if (!p->pres1) {
        char c[2] = {p->component, 0};
        struct jv v = jv_cstring(x, c);
        dpic_free(d);
        return jx_throw(x, "D3132", NULL, &v, NULL, 0);
      }
      if (p->pres1[0] == 'n') p->names = C_LOWER;
      else if (p->pres1[0] == 'N') p->names = p->pres1[1] == 'n' ? C_TITLE : C_UPPER;
      else if (p->component && strchr("YMDdFWwXxHhmsf", p->component)) {
        char pat[256];
        int pl = snprintf(pat, sizeof pat, p->pres2 ? "%s;%c" : "%s", p->pres1, p->pres2);
        if (pl >= (int)sizeof pat) pl = (int)sizeof pat - 1;
        if (!analyse_integer(x, pat, (size_t)pl, &p->ifmt)) { p->pres1 = (free(p->pres1), NULL); dpic_free(d); return false; }
        p->has_ifmt = true;
        if (p->min_set && p->ifmt.mandatory < p->wmin) p->ifmt.mandatory = (int)p->wmin;
        if (strchr("YMD", p->component)) {
          p->n = -1;
          if (p->max_set) {
            p->n = p->wmax;
            p->ifmt.mandatory = isnan(p->wmax) ? 0 : (int)p->wmax;
          } else {
            int w = p->ifmt.mandatory + p->ifmt.optional;
            if (w >= 2) p->n = w;
          }
        }
      }
      if (p->component == 'Z' || p->component == 'z') {
        if (p->has_ifmt) ifmt_free(&p->ifmt);
        if (!analyse_integer(x, p->pres1, strlen(p->pres1), &p->ifmt)) { p->has_ifmt = false; dpic_free(d); return false; }
        p->has_ifmt = true;
      }
      start = pos + 1;
    }
    pos++;
  }
  add_literal(d, pic + start, pos - start);
  return true;
}

static void case_ascii(char *s, int tc) {
  for (; *s; s++) {
    if (tc == C_UPPER && *s >= 'a' && *s <= 'z') *s -= 32;
    else if (tc == C_LOWER && *s >= 'A' && *s <= 'Z') *s += 32;
  }
}

static bool format_component(struct jn_ctx *x, const struct tm_utc *dt, const struct part *p, double off_h,
                             double off_m, struct tbuf *b) {
  struct comp v = fragment(dt, p->component);
  char c = p->component;
  if (c && strchr("YMDdFWwXxHhms", c)) {
    if (c == 'Y' && p->n != -1) v.n = fmod(v.n, pow(10, p->n));
    if (p->names >= 0) {
      const char *name;
      if ((c == 'M' || c == 'x' || c == 'F') && isnan(v.n)) name = "undefined";
      else if (c == 'M' || c == 'x') name = month_names[(int)v.n - 1];
      else if (c == 'F') name = day_names[(int)v.n];
      else {
        char s[2] = {c, 0};
        struct jv jc = jv_cstring(x, s);
        return jx_throw(x, "D3133", NULL, &jc, NULL, 0);
      }
      char t[32];
      snprintf(t, sizeof t, "%s", name);
      if (p->names != C_TITLE) case_ascii(t, p->names);
      size_t l = strlen(t);
      if (p->max_set && !isnan(p->wmax) && (double)l > p->wmax) l = (size_t)(p->wmax < 0 ? 0 : p->wmax);
      tb_add(b, t, l);
      return true;
    }
    return format_int(x, v.n, &p->ifmt, b);
  }
  if (c == 'f') return format_int(x, v.n, &p->ifmt, b);
  if (c == 'Z' || c == 'z') {
    double offset = off_h * 100 + off_m;
    struct tbuf t = {0};
    bool ok = true;
    if (p->ifmt.regular) {
      ok = format_int(x, offset, &p->ifmt, &t);
    } else {
      int nd = p->ifmt.mandatory;
      if (nd == 1 || nd == 2) {
        ok = format_int(x, off_h, &p->ifmt, &t);
        if (ok && off_m != 0) {
          struct ifmt two;
          analyse_integer(x, "00", 2, &two);
          tb_str(&t, ":");
          ok = format_int(x, off_m, &two, &t);
          ifmt_free(&two);
        }
      } else if (nd == 3 || nd == 4) {
        ok = format_int(x, offset, &p->ifmt, &t);
      } else {
        struct jv jn = jv_number(nd);
        ok = jx_throw(x, "D3134", NULL, &jn, NULL, 0);
      }
    }
    if (!ok) { free(t.p); return false; }
    if (offset == 0 && p->pres2 == 't') tb_str(b, "Z");
    else {
      if (c == 'z') tb_str(b, "GMT");
      if (offset >= 0) tb_str(b, "+");
      if (t.len) tb_add(b, t.p, t.len);
    }
    free(t.p);
    return true;
  }
  if (!v.defined) { tb_str(b, "undefined"); return true; }
  if (v.s) {
    char t[8];
    snprintf(t, sizeof t, "%s", v.s);
    if (c == 'P' && p->names == C_UPPER) case_ascii(t, C_UPPER);
    tb_str(b, t);
    return true;
  }
  return true;
}

static bool format_datetime(struct jn_ctx *x, double millis, const struct jv *picture, const struct jv *tz,
                            struct jv *out) {
  double off_h = 0, off_m = 0;
  if (tz && tz->kind == JV_STRING) {
    double o = js_parse_int(tz->u.s->text, tz->u.s->len);
    off_h = floor(o / 100);
    off_m = fmod(o, 100);
  }
  struct dpic d;
  static const char iso[] = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";
  if (picture && picture->kind == JV_STRING) {
    if (!analyse_datetime(x, picture->u.s->text, picture->u.s->len, &d)) return false;
  } else if (!analyse_datetime(x, iso, sizeof iso - 1, &d)) return false;
  double t = trunc(millis + (60 * off_h + off_m) * 60000.0);
  struct tbuf b = {0};
  tb_add(&b, "", 0);
  if (isnan(t) || fabs(t) > 8.64e15) {
    /* an invalid Date: every component is NaN, and the reference prints "NaN"s */
    t = NAN;
  }
  struct tm_utc dt;
  break_down(t, &dt);
  for (int i = 0; i < d.n; i++) {
    if (d.parts[i].literal) tb_str(&b, d.parts[i].text);
    else if (!format_component(x, &dt, &d.parts[i], off_h, off_m, &b)) {
      dpic_free(&d);
      free(b.p);
      return false;
    }
  }
  *out = jv_string(x, b.p, b.len);
  dpic_free(&d);
  free(b.p);
  return true;
}

/* ---------------------------------------------------------------- parsing */

static bool ieq(char a, char b) {
  if (a >= 'A' && a <= 'Z') a += 32;
  if (b >= 'A' && b <= 'Z') b += 32;
  return a == b;
}

/* The integer parsers the reference's matchers end in. */
/* The reference upper-cases the text only for a lower-case picture ('i'): with 'I',
   a lower-case numeral has no value and the sum is NaN. */
static double parse_roman(const char *s, size_t n, bool upper_picture) {
  double dec = 0, max = 1;
  for (size_t i = n; i-- > 0;) {
    double v;
    char c = s[i];
    if (!upper_picture && c >= 'a' && c <= 'z') c = (char)(c - 32);
    switch (c) {
    case 'M': v = 1000; break;
    case 'D': v = 500; break;
    case 'C': v = 100; break;
    case 'L': v = 50; break;
    case 'X': v = 10; break;
    case 'V': v = 5; break;
    case 'I': v = 1; break;
    default: return NAN;
    }
    if (v < max) dec -= v;
    else { max = v; dec += v; }
  }
  return dec;
}

static double parse_letters(const char *s, size_t n, char a) {
  double dec = 0;
  for (size_t i = 0; i < n; i++) dec += ((unsigned char)s[n - i - 1] - a + 1) * pow(26, (double)i);
  return dec;
}

static double parse_words(const char *s, size_t n) {
  /* lower case, then split at ", ", " and ", white space or '-' */
  char *t = malloc(n + 1);
  if (!t) abort();
  for (size_t i = 0; i < n; i++) t[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
  t[n] = 0;
  double segs[64];
  int ns = 1;
  segs[0] = 0;
  size_t i = 0, start = 0;
  bool done = false;
  while (!done) {
    size_t end = n, next = n;
    done = true;
    for (size_t k = i; k < n; k++) {
      if (t[k] == ',' && k + 1 < n && strchr(" \t\n\r\f\v", t[k + 1])) { end = k; next = k + 2; done = false; break; }
      if (strchr(" \t\n\r\f\v", t[k]) && k + 4 < n + 0 && memcmp(t + k + 1, "and", 3) == 0 && strchr(" \t\n\r\f\v", t[k + 4])) {
        end = k; next = k + 5; done = false; break;
      }
      if (strchr(" \t\n\r\f\v\\-", t[k])) { end = k; next = k + 1; done = false; break; }
    }
    double v;
    bool known = word_value(t + start, end - start, &v);
    if (!known) v = NAN;
    if (v < 100) {
      double top = segs[--ns];
      if (top >= 1000) { segs[ns++] = top; top = 0; }
      segs[ns++] = top + v;
    } else {
      segs[ns - 1] = segs[ns - 1] * v; /* NaN stays NaN */
    }
    if (ns >= 63) ns = 63;
    i = start = next;
  }
  free(t);
  double r = 0;
  for (int k = 0; k < ns; k++) r += segs[k];
  return r;
}

static double parse_decimal(const struct ifmt *f, const char *s, size_t n) {
  struct tbuf d = {0};
  tb_add(&d, "", 0);
  if (f->ordinal) n = n >= 2 ? n - 2 : 0;
  size_t ncp;
  uint32_t *cps = to_cps(s, n, &ncp);
  for (size_t i = 0; i < ncp; i++) {
    uint32_t c = cps[i];
    bool drop = false;
    if (f->regular) drop = c == ',';
    else for (int k = 0; k < f->nsep; k++) if (f->seps[k].ch == c) drop = true;
    if (drop) continue;
    if (f->zero != 0x30) c = c - f->zero + 0x30;
    tb_cp(&d, c);
  }
  free(cps);
  double v = js_parse_int(d.p, d.len);
  free(d.p);
  return v;
}

static double parse_with(const struct ifmt *f, const char *s, size_t n) {
  switch (f->primary) {
  case P_LETTERS: return parse_letters(s, n, f->tcase == C_UPPER ? 'A' : 'a');
  case P_ROMAN: return parse_roman(s, n, f->tcase == C_UPPER);
  case P_WORDS: return parse_words(s, n);
  case P_DECIMAL: return parse_decimal(f, s, n);
  default: return NAN;
  }
}

/* A matcher for one part of a date/time picture: what the reference's regular
   expression for it accepts (case-insensitively, as it is compiled with 'i'). */
enum mkind { M_LITERAL, M_DIGITS, M_UPPER, M_LOWER, M_ROMAN_U, M_ROMAN_L, M_WORDS, M_NAME, M_TZ };

struct matcher {
  enum mkind kind;
  const struct part *part;
  int min, max;        /* digits: occurrences (max -1: any) */
  bool ordinal;
  bool gmt;
  uint32_t sep;        /* tz: the separator, 0 when none */
  size_t cap_start, cap_end;
};

static bool in_class(enum mkind k, char c) {
  char l = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  switch (k) {
  case M_DIGITS: return c >= '0' && c <= '9';
  case M_UPPER: case M_LOWER: case M_NAME: return l >= 'a' && l <= 'z';
  case M_ROMAN_U: case M_ROMAN_L: return l && strchr("mdclxvi", l);
  default: return false;
  }
}

struct mstate { const char *s; size_t n; struct matcher *m; int count; };

static bool match_from(struct mstate *st, int i, size_t pos);

/* (?:word|...|and|[-, ])+ then the rest, greedily with backtracking. */
static bool words_star(struct mstate *st, int i, size_t pos, size_t start, bool first) {
  init_words();
  for (int w = 0; w <= nwords + 3; w++) {
    const char *alt;
    char one[2] = {0, 0};
    if (w < nwords) alt = words[w].text;
    else if (w == nwords) alt = "and";
    else { one[0] = "-, "[w - nwords - 1]; alt = one; }
    size_t l = strlen(alt);
    if (pos + l > st->n) continue;
    bool ok = true;
    for (size_t k = 0; k < l; k++) if (!ieq(st->s[pos + k], alt[k])) { ok = false; break; }
    if (ok && words_star(st, i, pos + l, start, false)) return true;
  }
  if (first) return false;
  st->m[i].cap_start = start;
  st->m[i].cap_end = pos;
  return match_from(st, i + 1, pos);
}

static bool digits_then(struct mstate *st, size_t pos, size_t *end) {
  size_t k = pos;
  while (k < st->n && st->s[k] >= '0' && st->s[k] <= '9') k++;
  *end = k;
  return k > pos;
}

static bool match_from(struct mstate *st, int i, size_t pos) {
  if (i == st->count) return pos == st->n;
  struct matcher *m = &st->m[i];
  switch (m->kind) {
  case M_LITERAL: {
    const char *t = m->part->text;
    size_t l = strlen(t);
    if (pos + l > st->n) return false;
    for (size_t k = 0; k < l; k++) if (!ieq(st->s[pos + k], t[k])) return false;
    m->cap_start = pos;
    m->cap_end = pos + l;
    return match_from(st, i + 1, pos + l);
  }
  case M_WORDS: return words_star(st, i, pos, pos, true);
  case M_TZ: {
    size_t p = pos;
    if (m->gmt) {
      if (p + 3 > st->n || !ieq(st->s[p], 'g') || !ieq(st->s[p + 1], 'm') || !ieq(st->s[p + 2], 't')) return false;
      p += 3;
    }
    if (p >= st->n || (st->s[p] != '+' && st->s[p] != '-')) return false;
    p++;
    size_t e;
    if (!digits_then(st, p, &e)) return false;
    for (size_t k = e; k > p; k--) {
      size_t q = k;
      if (m->sep) {
        struct tbuf sbuf = {0};
        tb_cp(&sbuf, m->sep);
        if (q + sbuf.len > st->n || memcmp(st->s + q, sbuf.p, sbuf.len) != 0) { free(sbuf.p); continue; }
        q += sbuf.len;
        free(sbuf.p);
        size_t e2;
        if (!digits_then(st, q, &e2)) continue;
        for (size_t k2 = e2; k2 > q; k2--) {
          m->cap_start = pos;
          m->cap_end = k2;
          if (match_from(st, i + 1, k2)) return true;
        }
        continue;
      }
      m->cap_start = pos;
      m->cap_end = q;
      if (match_from(st, i + 1, q)) return true;
    }
    return false;
  }
  default: {
    size_t k = pos;
    size_t limit = m->max < 0 ? st->n : pos + (size_t)m->max;
    while (k < st->n && k < limit && in_class(m->kind, st->s[k])) k++;
    for (size_t e = k;; e--) {
      if (e - pos < (size_t)(m->min < 1 ? 1 : m->min)) break;
      size_t q = e;
      bool ok = true;
      if (m->ordinal) {
        static const char *const sfx[] = {"th", "st", "nd", "rd"};
        ok = false;
        for (int s = 0; s < 4 && !ok; s++)
          if (q + 2 <= st->n && ieq(st->s[q], sfx[s][0]) && ieq(st->s[q + 1], sfx[s][1])) ok = true;
        q += 2;
      }
      if (ok) {
        m->cap_start = pos;
        m->cap_end = q;
        if (match_from(st, i + 1, q)) return true;
      }
      if (e == pos) break;
    }
    return false;
  }
  }
}

struct comps { double v[128]; bool set[128]; bool present[128]; };

static bool cdef(const struct comps *c, char k) { return c->set[(unsigned char)k]; }
static bool cbit(const struct comps *c, char k) {
  return c->set[(unsigned char)k] && c->v[(unsigned char)k] != 0 && !isnan(c->v[(unsigned char)k]);
}

static bool parse_datetime(struct jn_ctx *x, const struct jv *ts, const struct jv *picture, struct jv *out) {
  struct dpic d;
  if (!analyse_datetime(x, picture->u.s->text, picture->u.s->len, &d)) return false;
  struct matcher *m = calloc((size_t)d.n + 1, sizeof *m);
  if (!m) abort();
  bool ok = true;
  for (int i = 0; i < d.n && ok; i++) {
    const struct part *p = &d.parts[i];
    m[i].part = p;
    if (p->literal) m[i].kind = M_LITERAL;
    else if (p->component == 'Z' || p->component == 'z') {
      m[i].kind = M_TZ;
      m[i].gmt = p->component == 'z';
      if (p->ifmt.regular) m[i].sep = p->ifmt.seps[0].ch;
    } else if (p->has_ifmt) {
      const struct ifmt *f = &p->ifmt;
      switch (f->primary) {
      case P_LETTERS: m[i].kind = f->tcase == C_UPPER ? M_UPPER : M_LOWER; m[i].min = 1; m[i].max = -1; break;
      case P_ROMAN: m[i].kind = f->tcase == C_UPPER ? M_ROMAN_U : M_ROMAN_L; m[i].min = 1; m[i].max = -1; break;
      case P_WORDS: m[i].kind = M_WORDS; break;
      case P_DECIMAL:
        m[i].kind = M_DIGITS;
        m[i].ordinal = f->ordinal;
        if (p->n > 0) {
          m[i].max = (int)p->n;
          m[i].min = f->optional == 0 ? (int)p->n : (int)p->n - f->optional;
        } else { m[i].min = 1; m[i].max = -1; }
        break;
      case P_SEQUENCE: {
        struct jv tok = jv_cstring(x, f->token);
        ok = jx_throw(x, "D3130", NULL, &tok, NULL, 0);
        break;
      }
      }
    } else {
      char c = p->component;
      if (c == 'M' || c == 'x' || c == 'F' || c == 'P') { m[i].kind = M_NAME; m[i].min = 1; m[i].max = -1; }
      else {
        char s[2] = {c, 0};
        struct jv jc = jv_cstring(x, s);
        ok = jx_throw(x, "D3133", NULL, &jc, NULL, 0);
      }
    }
  }
  if (!ok) { free(m); dpic_free(&d); return false; }
  struct mstate st = {ts->u.s->text, ts->u.s->len, m, d.n};
  *out = jv_undefined();
  if (!match_from(&st, 0, 0)) { free(m); dpic_free(&d); return true; }

  struct comps c;
  memset(&c, 0, sizeof c);
  bool any = false;
  for (int i = 0; i < d.n; i++) {
    if (m[i].kind == M_LITERAL) continue;
    const struct part *p = &d.parts[i];
    const char *v = st.s + m[i].cap_start;
    size_t vl = m[i].cap_end - m[i].cap_start;
    unsigned char k = (unsigned char)p->component;
    double r = NAN;
    bool defined = true;
    if (m[i].kind == M_TZ) {
      if (p->component == 'z') { v += 3; vl -= 3; }
      double oh = 0, om = 0;
      if (m[i].sep) {
        size_t sp = 0;
        while (sp < vl && (unsigned char)v[sp] != (m[i].sep & 0xFF) && !(m[i].sep > 0x7F && (unsigned char)v[sp] >= 0x80)) sp++;
        oh = js_parse_int(v, sp);
        size_t skip = sp;
        while (skip < vl && !(v[skip] >= '0' && v[skip] <= '9')) skip++;
        om = js_parse_int(v + skip, vl - skip);
      } else if (vl - 1 <= 2) {
        oh = js_parse_int(v, vl);
      } else {
        oh = js_parse_int(v, 3);
        om = js_parse_int(v + 3, vl - 3);
      }
      r = oh * 60 + om;
    } else if (m[i].kind == M_NAME) {
      char c0 = p->component;
      defined = false;
      if (c0 == 'P') {
        if (vl == 2 && (!memcmp(v, "am", 2) || !memcmp(v, "AM", 2))) { r = 0; defined = true; }
        if (vl == 2 && (!memcmp(v, "pm", 2) || !memcmp(v, "PM", 2))) { r = 1; defined = true; }
      } else {
        int count = (c0 == 'F') ? 8 : 12;
        for (int j = (c0 == 'F') ? 1 : 0; j < count; j++) {
          const char *name = (c0 == 'F') ? day_names[j] : month_names[j];
          size_t nl = strlen(name);
          if (p->max_set && p->wmax > 0 && nl > p->wmax) nl = (size_t)p->wmax;
          if (nl == vl && !memcmp(name, v, vl)) { r = (c0 == 'F') ? j : j + 1; defined = true; }
        }
      }
    } else {
      r = parse_with(&p->ifmt, v, vl);
    }
    c.present[k] = true;
    any = true;
    c.set[k] = defined;
    c.v[k] = defined ? r : 0;
  }
  free(m);
  if (!any) { dpic_free(&d); return true; }

  int mask = 0;
  for (const char *q = "YXMxWwdD"; *q; q++) mask = (mask << 1) + (cbit(&c, *q) ? 1 : 0);
#define IS_TYPE(t) (!(~(t) & mask) && !!((t) & mask))
  bool dateA = IS_TYPE(161);
  bool dateB = !dateA && IS_TYPE(130);
  bool dateC = IS_TYPE(84);
  bool dateD = !dateC && IS_TYPE(72);
  mask = 0;
  for (const char *q = "PHhmsf"; *q; q++) mask = (mask << 1) + (cbit(&c, *q) ? 1 : 0);
  bool timeA = IS_TYPE(23);
  bool timeB = !timeA && IS_TYPE(47);
#undef IS_TYPE
  char comps[16];
  snprintf(comps, sizeof comps, "%s%s", dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD", timeB ? "Phmsf" : "Hmsf");
  struct tm_utc now;
  break_down((double)x->now_ms, &now);
  bool started = false, ended = false;
  for (const char *q = comps; *q; q++) {
    unsigned char k = (unsigned char)*q;
    if (!c.set[k]) {
      if (started) {
        c.v[k] = strchr("MDd", *q) ? 1 : 0;
        ended = true;
      } else {
        struct comp f = fragment(&now, *q);
        c.v[k] = f.s ? -1 : f.n; /* "am"/"pm" is never 1 */
      }
      c.set[k] = true;
    } else {
      started = true;
      if (ended) { dpic_free(&d); return jx_throw(x, "D3136", NULL, NULL, NULL, 0); }
    }
  }
  double M = c.v['M'] > 0 ? c.v['M'] - 1 : 0;
  double D = c.v['D'];
  if (dateB) {
    double first = date_utc(c.v['Y'], 0, 1, 0, 0, 0, 0);
    double dd = first + (c.v['d'] - 1) * day_ms;
    if (isnan(dd)) { M = NAN; D = NAN; }
    else {
      struct tm_utc b;
      break_down(dd, &b);
      M = b.month;
      D = b.day;
    }
  }
  if (dateC || dateD) { dpic_free(&d); return jx_throw(x, "D3136", NULL, NULL, NULL, 0); }
  double H = c.v['H'];
  if (timeB) {
    H = c.v['h'] == 12 ? 0 : c.v['h'];
    if (c.v['P'] == 1) H += 12;
  }
  double ms = date_utc(c.v['Y'], M, D, H, c.v['m'], c.v['s'], c.v['f']);
  double z = cdef(&c, 'Z') && c.v['Z'] != 0 && !isnan(c.v['Z']) ? c.v['Z'] : c.v['z'];
  if (cdef(&c, 'Z') && isnan(c.v['Z'])) z = c.v['z'];
  if ((cdef(&c, 'Z') && c.v['Z'] != 0 && !isnan(c.v['Z'])) || (cdef(&c, 'z') && c.v['z'] != 0 && !isnan(c.v['z'])))
    ms -= z * 60000.0;
  dpic_free(&d);
  *out = jv_number(ms);
  return true;
}

/* Date.parse of the ISO 8601 forms the reference's pattern lets through. */
static double parse_iso(const char *s, size_t n) {
  size_t i = 0;
  double f[6] = {0, 1, 1, 0, 0, 0};
  double ms = 0;
  int widths[] = {4, 2, 2, 2, 2, 2};
  const char lead[] = {0, '-', '-', 'T', ':', ':'};
  int k;
  for (k = 0; k < 6; k++) {
    if (k > 0) {
      /* the date may stop after the year or the month and the time follow (V8 takes
         "2018T10:00:00" too) */
      if (k < 3 && i < n && s[i] == 'T') k = 3;
      if (i >= n || s[i] != lead[k]) break;
      i++;
    }
    double v = 0;
    for (int w = 0; w < widths[k]; w++) {
      if (i >= n || s[i] < '0' || s[i] > '9') return NAN;
      v = v * 10 + (s[i++] - '0');
    }
    f[k] = v;
  }
  if (k == 4 || k == 5) return NAN;
  bool has_time = k == 6;
  if (has_time && i < n && s[i] == '.') {
    i++;
    double scale = 100;
    size_t st = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') { ms += (s[i] - '0') * scale; scale /= 10; i++; }
    ms = floor(ms);
    if (i == st) return NAN;
  }
  double off = 0;
  if (i < n && s[i] == 'Z') i++;
  else if (i < n && (s[i] == '+' || s[i] == '-')) {
    int sign = s[i] == '-' ? -1 : 1;
    i++;
    if (i + 2 > n) return NAN;
    double hh = (s[i] - '0') * 10 + (s[i + 1] - '0');
    i += 2;
    if (i < n && s[i] == ':') i++;
    if (i + 2 > n) return NAN;
    double mm = (s[i] - '0') * 10 + (s[i + 1] - '0');
    i += 2;
    off = sign * (hh * 60 + mm);
  }
  if (i != n) return NAN;
  if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 24 || f[4] > 59 || f[5] > 59) return NAN;
  if (f[3] == 24 && (f[4] != 0 || f[5] != 0 || ms != 0)) return NAN;
  double days = (double)rt_days_from_civil((int64_t)f[0], (int)f[1], (int)f[2]);
  return days * day_ms + f[3] * 3600000.0 + f[4] * 60000.0 + f[5] * 1000.0 + ms - off * 60000.0;
}

/* ^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$ */
static bool iso_shape(const char *s, size_t n) {
  size_t i = 0;
#define DIG(c) ((c) >= '0' && (c) <= '9')
#define RNG(c, a, b) ((c) >= (a) && (c) <= (b))
  for (int k = 0; k < 4; k++, i++) if (i >= n || !DIG(s[i])) return false;
  /* (-[01]\d)*(-[0-3]\d)*: greedy groups; try each split of the dash groups */
  size_t groups_end = i;
  size_t ends[64];
  int ng = 0;
  while (groups_end + 3 <= n && s[groups_end] == '-' && RNG(s[groups_end + 1], '0', '3') && DIG(s[groups_end + 2]) && ng < 63)
    ends[ng++] = groups_end, groups_end += 3;
  /* any prefix of [01]-groups followed by [0-3]-groups: all groups' first digit is 0-3,
     the [01] ones must come first, which always works by taking none as [01] */
  (void)ends;
  i = groups_end;
  while (i + 9 <= n && s[i] == 'T' && RNG(s[i + 1], '0', '2') && DIG(s[i + 2]) && s[i + 3] == ':' && RNG(s[i + 4], '0', '5') &&
         DIG(s[i + 5]) && s[i + 6] == ':' && RNG(s[i + 7], '0', '5') && DIG(s[i + 8]))
    i += 9;
  if (i < n && s[i] == '.' && i + 1 < n && DIG(s[i + 1])) {
    i++;
    while (i < n && DIG(s[i])) i++;
  }
  if (i < n && s[i] == 'Z') i++;
  else if (i + 5 <= n && (s[i] == '+' || s[i] == '-') && RNG(s[i + 1], '0', '2') && DIG(s[i + 2])) {
    size_t j = i + 3;
    if (j < n && s[j] == ':') j++;
    if (j + 2 <= n && RNG(s[j], '0', '5') && DIG(s[j + 1])) i = j + 2;
  }
  return i == n;
#undef DIG
#undef RNG
}

/* ---------------------------------------------------------------- the functions */

static const struct jv *arg(struct jv *args, int argc, int i) {
  if (i >= argc || args[i].kind == JV_UNDEFINED) return NULL;
  return &args[i];
}

bool jn_fn_now(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  return format_datetime(x, (double)x->now_ms, arg(args, argc, 0), arg(args, argc, 1), out);
}

bool jn_fn_millis(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  (void)args;
  (void)argc;
  *out = jv_number((double)x->now_ms);
  return true;
}

bool jn_fn_from_millis(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  const struct jv *ms = arg(args, argc, 0);
  *out = jv_undefined();
  if (!ms) return true;
  return format_datetime(x, ms->u.n, arg(args, argc, 1), arg(args, argc, 2), out);
}

bool jn_fn_to_millis(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  const struct jv *ts = arg(args, argc, 0), *pic = arg(args, argc, 1);
  *out = jv_undefined();
  if (!ts) return true;
  if (!pic) {
    if (!iso_shape(ts->u.s->text, ts->u.s->len)) return jx_throw(x, "D3110", NULL, ts, NULL, 0);
    *out = jv_number(parse_iso(ts->u.s->text, ts->u.s->len));
    return true;
  }
  return parse_datetime(x, ts, pic, out);
}

bool jn_fn_format_integer(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  const struct jv *v = arg(args, argc, 0), *pic = arg(args, argc, 1);
  *out = jv_undefined();
  if (!v || !pic) return true; /* the signature requires the picture; a partial application may not give one */
  struct ifmt f;
  if (!analyse_integer(x, pic->u.s->text, pic->u.s->len, &f)) return false;
  struct tbuf b = {0};
  tb_add(&b, "", 0);
  bool ok = format_int(x, floor(v->u.n), &f, &b);
  ifmt_free(&f);
  if (ok) *out = jv_string(x, b.p, b.len);
  free(b.p);
  return ok;
}

bool jn_fn_parse_integer(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  const struct jv *v = arg(args, argc, 0), *pic = arg(args, argc, 1);
  *out = jv_undefined();
  if (!v || !pic) return true;
  struct ifmt f;
  if (!analyse_integer(x, pic->u.s->text, pic->u.s->len, &f)) return false;
  if (f.primary == P_SEQUENCE) {
    struct jv tok = jv_cstring(x, f.token);
    ifmt_free(&f);
    return jx_throw(x, "D3130", NULL, &tok, NULL, 0);
  }
  *out = jv_number(parse_with(&f, v->u.s->text, v->u.s->len));
  ifmt_free(&f);
  return true;
}
