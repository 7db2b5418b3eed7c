/* schedule.c: schedule expressions for scheduled EventBridge rules and EventBridge
 * Scheduler: rate(value unit), cron(six fields), and Scheduler's one-time at(...).
 *
 * The text is checked as AWS documents it, strictly: single spaces, the singular
 * unit for 1 and the plural otherwise, upper-case month and day names. Every error
 * points at the part of the text it is about (the byte offsets of the expression in
 * the source are known), and names the cron field: "cron: day-of-week: ...".
 *
 * One reader per form both checks the text and says what it means (struct
 * schedule_expr): schedule_check reads to report, schedule_next reads without a place
 * to report (the text was checked) and computes the firings from what it read.
 */
#define _POSIX_C_SOURCE 200809L /* setenv, tzset, localtime_r */
#include "sfc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sched {
  struct diag *d; /* NULL: only say whether the text is good */
  struct loc at;
  const char *text;
  bool ok;
};

/* A wall-clock time to the minute: a firing of cron() or at() in its time zone. */
struct civil {
  int year, month, day, hour, minute;
};

static void report(struct sched *s, size_t offset, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports at bytes [offset, offset + len) of the expression (when there is a place to). */
static void report(struct sched *s, size_t offset, size_t len, const char *fmt, ...) {
  s->ok = false;
  if (!s->d) return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  struct loc loc = {s->at.file, s->at.start + (int)offset, s->at.start + (int)(offset + len)};
  diag_error(s->d, loc, "%s", msg);
  free(msg);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_letter(char c) { return is_upper(c) || (c >= 'a' && c <= 'z'); }

/* A byte of the text for a message: itself when printable ASCII. */
static const char *show(char out[8], char c) {
  unsigned char u = (unsigned char)c;
  if (u > 0x20 && u < 0x7f) snprintf(out, 8, "'%c'", c);
  else if (c == ' ') snprintf(out, 8, "a space");
  else snprintf(out, 8, "0x%02x", u);
  return out;
}

/* The decimal number of N digits at S, capped so that it cannot overflow. */
static long number_at(const char *s, size_t n) {
  long v = 0;
  for (size_t i = 0; i < n && v < 100000000L; i++) v = v * 10 + (s[i] - '0');
  return v;
}

static size_t digits_at(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && is_digit(s[i])) i++;
  return i;
}

/* ------------------------------------------------------------ rate */

static const struct {
  const char *singular, *plural;
  int minutes;
} rate_units[] = {{"minute", "minutes", 1}, {"hour", "hours", 60}, {"day", "days", 24 * 60}};

/* rate(value unit): OFF is where the text inside the parentheses starts. The period in
   *MINUTES. */
static void read_rate(struct sched *s, size_t off, size_t len, int64_t *minutes) {
  const char *t = s->text + off;
  static const char *const example = "e.g. rate(5 minutes)";
  if (len == 0) {
    report(s, off - 1, 2, "rate: expected a value and a unit, %s", example);
    return;
  }
  size_t space = 0;
  while (space < len && t[space] != ' ') space++;
  if (space == 0) {
    report(s, off, 1, "rate: unexpected space: expected the value right after '('");
    return;
  }
  const char *unit = t + space + 1;
  size_t unit_len = space < len ? len - space - 1 : 0;
  if (space < len && unit_len > 0 && unit[0] == ' ') {
    report(s, off + space, 1, "rate: expected one space between the value and the unit");
    return;
  }
  if (digits_at(t, space) != space) {
    report(s, off, space, "rate: the value must be a positive integer, found '%.*s'",
           space > 20 ? 20 : (int)space, t);
    return;
  }
  long value = number_at(t, space);
  if (value == 0) {
    report(s, off, space, "rate: the value must be a positive integer, not 0");
    return;
  }
  if (space >= len || unit_len == 0) {
    report(s, off + len, 0, "rate: expected a unit after the value: minute(s), hour(s) or "
                            "day(s), %s", example);
    return;
  }
  size_t word = 0;
  while (word < unit_len && unit[word] != ' ') word++;
  if (word < unit_len) {
    report(s, off + space + 1 + word, unit_len - word,
           "rate: unexpected text after the unit: expected only a value and a unit, %s",
           example);
    return;
  }
  for (size_t i = 0; i < sizeof rate_units / sizeof *rate_units; i++) {
    *minutes = value * rate_units[i].minutes;
    bool singular = strlen(rate_units[i].singular) == unit_len &&
                    !strncmp(unit, rate_units[i].singular, unit_len);
    bool plural = strlen(rate_units[i].plural) == unit_len &&
                  !strncmp(unit, rate_units[i].plural, unit_len);
    if (!singular && !plural) continue;
    /* AWS insists: rate(1 hours) and rate(5 hour) are both invalid. */
    if (value == 1 && plural)
      report(s, off + space + 1, unit_len,
             "rate: the unit must be singular when the value is 1: write \"1 %s\"",
             rate_units[i].singular);
    if (value > 1 && singular)
      report(s, off + space + 1, unit_len,
             "rate: the unit must be plural when the value is greater than 1: write \"%.*s %s\"",
             (int)space, t, rate_units[i].plural);
    return;
  }
  report(s, off + space + 1, unit_len,
         "rate: unknown unit '%.*s': expected minute(s), hour(s) or day(s)",
         unit_len > 20 ? 20 : (int)unit_len, unit);
}

/* ------------------------------------------------------------ cron */

enum { F_MINUTES, F_HOURS, F_DOM, F_MONTH, F_DOW, F_YEAR, N_FIELDS };

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
static const char *const day_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

/* The table of section B.2: values, names and the special characters per field. */
static const struct cron_field {
  const char *name;
  int min, max;
  const char *specials;
  const char *const *names; /* min..max by name, or NULL */
  const char *range;        /* for messages */
  int max_step;             /* the largest n of "/n" (Quartz's limits; years: the span) */
} cron_fields[N_FIELDS] = {
  {"minutes", 0, 59, ",-*/", NULL, "0-59", 59},
  {"hours", 0, 23, ",-*/", NULL, "0-23", 23},
  {"day-of-month", 1, 31, ",-*?/LW", NULL, "1-31", 31},
  {"month", 1, 12, ",-*/", month_names, "1-12 or JAN-DEC", 12},
  {"day-of-week", 1, 7, ",-*?L#", day_names, "1-7 or SUN-SAT, 1 = SUN", 0},
  {"year", 1970, 2199, ",-*/", NULL, "1970-2199", 229},
};

/* What one cron field allows: the set of its values, or one of the special forms. */
struct cron_set {
  uint64_t bits[4]; /* bit v - min of the field: value v (years span 230 values) */
  /* 0: the values in bits. '?': any (the other day field decides). 'L' in
     day-of-month: its last day; in day-of-week: the last DAY of the month. 'W': the
     weekday nearest day DAY. '#': the NTH DAY of the month. */
  char special;
  int day, nth;
};

/* Adds LOW..HIGH every STEP; a range may wrap past the field's maximum (hours 22-2). */
static void set_add(struct cron_set *set, const struct cron_field *f, int low, int high,
                    int step) {
  int span = f->max - f->min + 1;
  int count = (high - low + span) % span + 1;
  for (int i = 0; i < count; i += step) {
    int bit = (low - f->min + i) % span;
    set->bits[bit / 64] |= UINT64_C(1) << (bit % 64);
  }
}

static bool set_has(const struct cron_set *set, const struct cron_field *f, int v) {
  int bit = v - f->min;
  return bit >= 0 && v <= f->max && (set->bits[bit / 64] >> (bit % 64) & 1);
}

/* The least value from FROM on that SET has, or -1. */
static int set_next(const struct cron_set *set, const struct cron_field *f, int from) {
  for (int v = from; v <= f->max; v++)
    if (set_has(set, f, v)) return v;
  return -1;
}

/* Where one cron field is being read. */
struct cron_cursor {
  struct sched *s;
  const struct cron_field *f;
  struct cron_set *set; /* what the field allows, filled as it is read */
  size_t off;       /* of the element in the expression */
  const char *t;    /* the element */
  size_t len, pos;
  bool in_list;     /* the field has more than one element */
};

static bool allowed(const struct cron_field *f, char c) { return strchr(f->specials, c) != NULL; }

/* "(allowed: , - * /)" for messages. */
static const char *allowed_list(const struct cron_field *f, char out[24]) {
  size_t o = 0;
  for (const char *c = f->specials; *c; c++) {
    if (o) out[o++] = ' ';
    out[o++] = *c;
  }
  out[o] = 0;
  return out;
}

/* Reports a character that is no value and, if it is one of cron's special
   characters, says whether this field takes it. */
static bool unexpected(struct cron_cursor *c, const char *wanted) {
  char ch = c->t[c->pos], shown[8], list[24];
  if (strchr(",-*?/LW#", ch) && !allowed(c->f, ch))
    report(c->s, c->off + c->pos, 1, "cron: %s: '%c' is not allowed in this field (allowed: %s)",
           c->f->name, ch, allowed_list(c->f, list));
  else
    report(c->s, c->off + c->pos, 1, "cron: %s: expected %s, found %s", c->f->name, wanted,
           show(shown, ch));
  return false;
}

/* A special form that must be the whole field (Quartz rejects lists with L, W and #;
   AWS documents it for '#'). */
static bool alone(struct cron_cursor *c, const char *form) {
  if (!c->in_list) return true;
  report(c->s, c->off, c->len, "cron: %s: %s must be the only value in the field",
         c->f->name, form);
  return false;
}

/* A number or, in month and day-of-week, a name; checked against the field's range. */
static bool read_value(struct cron_cursor *c, int *out, const char *after) {
  const struct cron_field *f = c->f;
  char wanted[64];
  snprintf(wanted, sizeof wanted, "a number (%s)%s%s", f->range, after ? " after " : "",
           after ? after : "");
  if (c->pos >= c->len) {
    report(c->s, c->off + c->pos, 0, "cron: %s: expected %s", f->name, wanted);
    return false;
  }
  const char *t = c->t + c->pos;
  size_t n = digits_at(t, c->len - c->pos);
  if (n > 0) {
    long v = number_at(t, n);
    if (v < f->min || v > f->max) {
      report(c->s, c->off + c->pos, n, "cron: %s: %.*s is out of range (%s)", f->name, (int)n,
             t, f->range);
      return false;
    }
    c->pos += n;
    *out = (int)v;
    return true;
  }
  if (!f->names || !is_letter(t[0])) return unexpected(c, wanted);
  /* A name is three letters; in day-of-week an L may follow (6L, FRIL). */
  size_t letters = 0;
  while (c->pos + letters < c->len && is_letter(t[letters])) letters++;
  if (letters == 4 && c->f == &cron_fields[F_DOW] && t[3] == 'L') letters = 3;
  const char *what = f->names == month_names ? "month" : "day";
  int count = f->max - f->min + 1;
  for (int i = 0; i < count && letters == 3; i++) {
    if (!strncmp(t, f->names[i], 3)) {
      c->pos += 3;
      *out = f->min + i;
      return true;
    }
    bool same = true;
    for (int k = 0; k < 3; k++) same = same && (t[k] & ~0x20) == f->names[i][k];
    if (same) {
      report(c->s, c->off + c->pos, 3, "cron: %s: %s names are upper case: write %s", f->name,
             what, f->names[i]);
      return false;
    }
  }
  if (letters == 1 && strchr("LW", t[0]) && !allowed(f, t[0])) return unexpected(c, wanted);
  report(c->s, c->off + c->pos, letters, "cron: %s: '%.*s' is not a %s name (%s)", f->name,
         letters > 12 ? 12 : (int)letters, t, what,
         f->names == month_names ? "JAN-DEC" : "SUN-SAT");
  return false;
}

/* "/step" after a start value, '*' or a range. */
static bool read_step(struct cron_cursor *c, int *out) {
  c->pos++; /* the '/' */
  const char *t = c->t + c->pos;
  size_t n = digits_at(t, c->len - c->pos);
  int max = c->f->max_step;
  if (n == 0) {
    if (c->pos < c->len) return unexpected(c, "a step (a positive integer) after '/'");
    report(c->s, c->off + c->pos - 1, 1, "cron: %s: expected a step (a positive integer) after '/'",
           c->f->name);
    return false;
  }
  long step = number_at(t, n);
  if (step < 1 || step > max) {
    report(c->s, c->off + c->pos, n, "cron: %s: step %.*s is out of range (1-%d)", c->f->name,
           (int)n, t, max);
    return false;
  }
  c->pos += n;
  *out = (int)step;
  return true;
}

/* One element of a field's comma list: * [/step], v [-v] [/step], and the L, W and #
   forms where the field allows them. */
static bool read_element(struct cron_cursor *c) {
  const struct cron_field *f = c->f;
  const char *t = c->t;
  struct cron_set *set = c->set;
  if (c->len == 1 && t[0] == '?') {
    if (!allowed(f, '?')) return unexpected(c, "a value");
    report(c->s, c->off, 1, "cron: %s: '?' must be the only value in the field", f->name);
    return false;
  }
  if (c->len == 1 && t[0] == 'L' && allowed(f, 'L')) {
    bool dom = f == &cron_fields[F_DOM];
    if (!alone(c, dom ? "L (the last day of the month)" : "L (the last day of the week)"))
      return false;
    /* Quartz's reading, which AWS follows: L alone in day-of-week is 7, SAT */
    if (dom) set->special = 'L';
    else set_add(set, f, 7, 7, 1);
    return true;
  }
  int low = f->min, high = f->max, step = 1;
  if (t[0] == '*') {
    c->pos = 1;
  } else {
    if (!read_value(c, &low, NULL)) return false;
    high = low;
    if (c->pos < c->len && t[c->pos] == '/') {
      high = f->max; /* a/b: from a to the end of the field */
    } else if (c->pos < c->len && t[c->pos] == '-' && allowed(f, '-')) {
      c->pos++;
      if (!read_value(c, &high, "'-'")) return false;
      /* Ranges may wrap (hours 22-2), but years do not come round again. */
      if (f == &cron_fields[F_YEAR] && high < low) {
        report(c->s, c->off, c->pos, "cron: year: the range %d-%d runs backwards", low, high);
        return false;
      }
    } else if (c->pos < c->len && t[c->pos] == 'W' && allowed(f, 'W')) {
      c->pos++;
      if (c->pos < c->len) return unexpected(c, "nothing after W");
      *set = (struct cron_set){.special = 'W', .day = low};
      return alone(c, "W (the weekday nearest a day)");
    } else if (c->pos < c->len && t[c->pos] == 'L' && f == &cron_fields[F_DOM]) {
      report(c->s, c->off + c->pos, 1, "cron: day-of-month: L stands alone (the last day of the "
                                       "month), not after a day");
      return false;
    } else if (c->pos < c->len && t[c->pos] == 'L' && f == &cron_fields[F_DOW]) {
      c->pos++;
      if (c->pos < c->len) return unexpected(c, "nothing after L");
      *set = (struct cron_set){.special = 'L', .day = low};
      return alone(c, "L (the last such day of the month)");
    } else if (c->pos < c->len && t[c->pos] == '#' && allowed(f, '#')) {
      size_t hash = c->pos++;
      size_t n = digits_at(t + c->pos, c->len - c->pos);
      if (n == 0) {
        if (c->pos < c->len) return unexpected(c, "a number 1-5 after '#'");
        report(c->s, c->off + hash, 1, "cron: day-of-week: expected a number 1-5 after '#'");
        return false;
      }
      long nth = number_at(t + c->pos, n);
      if (nth < 1 || nth > 5) {
        report(c->s, c->off + c->pos, n,
               "cron: day-of-week: %.*s is out of range after '#' (1-5: the first to the fifth "
               "such day of the month)", (int)n, t + c->pos);
        return false;
      }
      c->pos += n;
      if (c->pos < c->len) return unexpected(c, "nothing after the number");
      *set = (struct cron_set){.special = '#', .day = low, .nth = (int)nth};
      return alone(c, "'#'");
    }
  }
  if (c->pos < c->len && t[c->pos] == '/' && allowed(f, '/') && !read_step(c, &step))
    return false;
  if (c->pos < c->len) return unexpected(c, t[0] == '*' ? "'/' or ','" : "'-', '/' or ','");
  set_add(set, f, low, high, step);
  return true;
}

/* One field into SET; QUESTION and STAR say whether it is exactly "?" or "*". */
static bool read_field(struct sched *s, const struct cron_field *f, size_t off, size_t len,
                       struct cron_set *set, bool *question, bool *star) {
  const char *t = s->text + off;
  *question = len == 1 && t[0] == '?' && allowed(f, '?');
  *star = len == 1 && t[0] == '*';
  if (*question) {
    set->special = '?';
    return true;
  }
  bool in_list = memchr(t, ',', len) != NULL;
  size_t start = 0;
  /* One error per field is enough: the rest of a broken list would only repeat it. */
  for (size_t i = 0; i <= len; i++) {
    if (i < len && t[i] != ',') continue;
    if (i == start) {
      report(s, off + (i < len ? i : i - 1), 1, "cron: %s: expected a value %s ','", f->name,
             i < len ? "before" : "after");
      return false;
    }
    struct cron_cursor c = {s, f, set, off + start, t + start, i - start, 0, in_list};
    if (!read_element(&c)) return false;
    start = i + 1;
  }
  return true;
}

/* cron(minutes hours day-of-month month day-of-week year) into SETS, one a field. */
static void read_cron(struct sched *s, size_t off, size_t len, struct cron_set sets[N_FIELDS]) {
  const char *t = s->text + off;
  size_t starts[N_FIELDS], lens[N_FIELDS];
  int count = 0;
  for (size_t i = 0; i < len; i++) {
    if (t[i] == ' ') {
      if (i == 0 || i + 1 == len || t[i + 1] == ' ') {
        report(s, off + i, 1, "cron: fields are separated by exactly one space");
        return;
      }
      continue;
    }
    if (i > 0 && t[i - 1] != ' ') continue;
    if (count < N_FIELDS) starts[count] = i;
    count++;
  }
  if (count != N_FIELDS) {
    report(s, off - 1, len + 2,
           "cron: expected 6 fields (minutes hours day-of-month month day-of-week year), "
           "found %d", count);
    return;
  }
  for (int i = 0; i < N_FIELDS; i++)
    lens[i] = (i + 1 < N_FIELDS ? starts[i + 1] - 1 : len) - starts[i];

  bool question[N_FIELDS], star[N_FIELDS], ok = true;
  for (int i = 0; i < N_FIELDS; i++)
    ok = read_field(s, &cron_fields[i], off + starts[i], lens[i], &sets[i], &question[i],
                    &star[i]) && ok;
  if (!ok) return;

  /* Exactly one of day-of-month and day-of-week is '?'. */
  size_t dom = off + starts[F_DOM], dow = off + starts[F_DOW];
  if (question[F_DOM] && question[F_DOW])
    report(s, dow, lens[F_DOW], "cron: day-of-month and day-of-week cannot both be '?': give "
                                "'*' or a value in one of them");
  else if (question[F_DOM] || question[F_DOW])
    return;
  else if (star[F_DOM] && star[F_DOW])
    report(s, dow, 1, "cron: day-of-month and day-of-week cannot both be '*': make one of them "
                      "'?', e.g. cron(0 12 * * ? *)");
  else if (star[F_DOM])
    report(s, dom, 1, "cron: day-of-month: must be '?' when day-of-week has a value");
  else if (star[F_DOW])
    report(s, dow, 1, "cron: day-of-week: must be '?' when day-of-month has a value");
  else
    report(s, dow, lens[F_DOW], "cron: day-of-month and day-of-week cannot both have values: "
                                "make one of them '?'");
}

/* ------------------------------------------------------------ at */

/* at(yyyy-mm-ddThh:mm:ss), read in the schedule's time zone, into *WHEN (to the minute:
   firings are at whole minutes). */
static void read_at(struct sched *s, size_t off, size_t len, struct civil *when) {
  static const char form[] = "dddd-dd-ddTdd:dd:dd";
  static const char *const expected = "expected yyyy-mm-ddThh:mm:ss, e.g. at(2026-01-01T09:00:00)";
  const char *t = s->text + off;
  size_t n = sizeof form - 1;
  for (size_t i = 0; i < n; i++) {
    if (i >= len) {
      report(s, off + len, 0, "at: %s", expected);
      return;
    }
    bool good = form[i] == 'd' ? is_digit(t[i]) : t[i] == form[i];
    if (!good) {
      report(s, off + i, 1, "at: %s", expected);
      return;
    }
  }
  if (len > n) {
    char c = t[n];
    if (c == 'Z' || c == '+' || c == '-')
      report(s, off + n, len - n, "at: the time takes no zone suffix: it is read in the "
                                  "schedule's time zone (ScheduleExpressionTimezone)");
    else if (c == '.')
      report(s, off + n, len - n, "at: fractional seconds are not allowed: %s", expected);
    else
      report(s, off + n, len - n, "at: unexpected text after the seconds: %s", expected);
    return;
  }
  int year = (int)number_at(t, 4), month = (int)number_at(t + 5, 2);
  int day = (int)number_at(t + 8, 2), hour = (int)number_at(t + 11, 2);
  int minute = (int)number_at(t + 14, 2), second = (int)number_at(t + 17, 2);
  if (month < 1 || month > 12) {
    report(s, off + 5, 2, "at: month %02d is out of range (01-12)", month);
    return;
  }
  int last = days_in_month(year, month);
  if (day < 1 || day > last)
    report(s, off + 8, 2, "at: day %02d is out of range for %04d-%02d (01-%02d)", day, year,
           month, last);
  if (hour > 23) report(s, off + 11, 2, "at: hour %02d is out of range (00-23)", hour);
  if (minute > 59) report(s, off + 14, 2, "at: minute %02d is out of range (00-59)", minute);
  if (second > 59) report(s, off + 17, 2, "at: second %02d is out of range (00-59)", second);
  *when = (struct civil){year, month, day, hour, minute};
}

/* ------------------------------------------------------------ entry points */

bool schedule_is_rate_or_cron(const char *text) {
  return !strncmp(text, "rate(", 5) || !strncmp(text, "cron(", 5);
}

/* What a schedule expression means. */
struct schedule_expr {
  enum { SCHEDULE_RATE, SCHEDULE_CRON, SCHEDULE_AT } kind;
  int64_t rate_minutes;
  struct cron_set cron[N_FIELDS];
  struct civil at;
};

static bool read_schedule(struct sched *s, bool scheduler, struct schedule_expr *e) {
  const char *text = s->text;
  size_t len = strlen(text); /* at most 256 characters: checked by lower_triggers.c */
  size_t open = !strncmp(text, "rate(", 5) || !strncmp(text, "cron(", 5) ? 5
              : !strncmp(text, "at(", 3) ? 3 : 0;
  if (!open) {
    report(s, 0, len, "expected a schedule expression: rate(...)%s cron(...)%s",
           scheduler ? "," : " or", scheduler ? " or at(...)" : "");
    return false;
  }
  if (open == 3 && !scheduler) {
    report(s, 0, len, "at() is for EventBridge Scheduler only: a rule's schedule is rate(...) "
                      "or cron(...)");
    return false;
  }
  const char *close = strchr(text + open, ')');
  if (!close) {
    report(s, len, 0, "expected ')' at the end of the schedule expression");
    return false;
  }
  size_t inner = (size_t)(close - text) - open;
  if (close[1]) {
    report(s, (size_t)(close - text) + 1, len - (size_t)(close - text) - 1,
           "unexpected text after ')': the schedule expression ends there");
    return false;
  }
  *e = (struct schedule_expr){.kind = text[0] == 'r'   ? SCHEDULE_RATE
                                     : text[0] == 'c' ? SCHEDULE_CRON
                                                      : SCHEDULE_AT};
  if (e->kind == SCHEDULE_RATE) read_rate(s, open, inner, &e->rate_minutes);
  else if (e->kind == SCHEDULE_CRON) read_cron(s, open, inner, e->cron);
  else read_at(s, open, inner, &e->at);
  return s->ok;
}

bool schedule_check(struct diag *d, struct loc at, const char *text, bool scheduler) {
  struct sched s = {d, at, text, true};
  struct schedule_expr e;
  return read_schedule(&s, scheduler, &e);
}

/* ------------------------------------------------------------ the calendar */

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b < 0); }

/* Seconds since the epoch of wall-clock time C read as if it were UTC. */
static int64_t naive_seconds(const struct civil *c) {
  return rt_days_from_civil(c->year, c->month, c->day) * 86400 + c->hour * 3600 + c->minute * 60;
}

static struct civil civil_of(int64_t naive) {
  int64_t days = floor_div(naive, 86400), rest = naive - days * 86400, year;
  struct civil c;
  rt_civil_from_days(days, &year, &c.month, &c.day);
  c.year = (int)year;
  c.hour = (int)(rest / 3600);
  c.minute = (int)(rest % 3600 / 60);
  return c;
}

/* 1 = SUN .. 7 = SAT, as day-of-week counts (1970-01-01 was a Thursday). */
static int weekday(int year, int month, int day) {
  return (int)((rt_days_from_civil(year, month, day) % 7 + 11) % 7) + 1;
}

/* The weekday (MON-FRI) nearest day N of the month, in the month (Quartz's rule: the
   1st on a Saturday moves to Monday the 3rd, the last day on a Sunday to the Friday);
   0 when the month has no day N. */
static int nearest_weekday(int year, int month, int n) {
  int last = days_in_month(year, month), w = weekday(year, month, n);
  if (n > last) return 0;
  if (w == 7) return n == 1 ? 3 : n - 1;
  if (w == 1) return n == last ? n - 2 : n + 1;
  return n;
}

/* Whether the day fits day-of-month and day-of-week (one of them is '?'). */
static bool day_matches(const struct cron_set *f, int year, int month, int day) {
  const struct cron_set *dom = &f[F_DOM], *dow = &f[F_DOW];
  int last = days_in_month(year, month);
  if (dom->special == 'L') return day == last;
  if (dom->special == 'W') return day == nearest_weekday(year, month, dom->day);
  if (dom->special != '?') return set_has(dom, &cron_fields[F_DOM], day);
  int w = weekday(year, month, day);
  if (dow->special == 'L') return w == dow->day && day + 7 > last;
  if (dow->special == '#') return w == dow->day && (day - 1) / 7 + 1 == dow->nth;
  return set_has(dow, &cron_fields[F_DOW], w);
}

/* Moves *C to the first wall-clock minute from *C on that cron fields F allow, field by
   field (a year, a month, a day, then the hour and minute); false when there is none
   before the end of 2199. */
static bool cron_match_from(const struct cron_set *f, struct civil *c) {
  if (c->year < cron_fields[F_YEAR].min) *c = (struct civil){cron_fields[F_YEAR].min, 1, 1, 0, 0};
  for (int year = c->year; year <= cron_fields[F_YEAR].max; year++) {
    if (!set_has(&f[F_YEAR], &cron_fields[F_YEAR], year)) continue;
    bool same_year = year == c->year;
    for (int month = same_year ? c->month : 1; month <= 12; month++) {
      if (!set_has(&f[F_MONTH], &cron_fields[F_MONTH], month)) continue;
      bool same_month = same_year && month == c->month;
      for (int day = same_month ? c->day : 1; day <= days_in_month(year, month); day++) {
        if (!day_matches(f, year, month, day)) continue;
        bool same_day = same_month && day == c->day;
        int hour = set_next(&f[F_HOURS], &cron_fields[F_HOURS], same_day ? c->hour : 0);
        int minute = hour < 0 ? -1
                   : set_next(&f[F_MINUTES], &cron_fields[F_MINUTES],
                              same_day && hour == c->hour ? c->minute : 0);
        if (minute < 0 && hour >= 0) {
          hour = set_next(&f[F_HOURS], &cron_fields[F_HOURS], hour + 1);
          minute = set_next(&f[F_MINUTES], &cron_fields[F_MINUTES], 0);
        }
        if (hour < 0) continue;
        *c = (struct civil){year, month, day, hour, minute};
        return true;
      }
    }
  }
  return false;
}

/* ------------------------------------------------------------ time zones */

/* The C library's time zone database (the tzdata package) does the conversions: TZ is
   set in the environment while schedule_next runs, the caller's value put back after.
   So schedule_next is not for threads that read the time zone meanwhile. */
struct zone {
  bool utc;    /* no database needed */
  char *saved; /* the caller's TZ, or NULL when it had none */
};

/* Whether the database has zone NAME: its file exists and is a TZif file. The C
   library reads a zone it cannot find as UTC, so that is checked first. */
static bool zone_known(const char *name) {
  if (!name[0] || name[0] == '/' || strstr(name, "..") || strlen(name) > 255) return false;
  const char *dir = getenv("TZDIR");
  char path[4096], magic[4];
  snprintf(path, sizeof path, "%s/%s", dir && dir[0] ? dir : "/usr/share/zoneinfo", name);
  FILE *file = fopen(path, "rb");
  if (!file) return false;
  bool tzif = fread(magic, 1, 4, file) == 4 && !memcmp(magic, "TZif", 4);
  fclose(file);
  return tzif;
}

static bool zone_enter(struct zone *z, const char *tz) {
  *z = (struct zone){!tz || !strcmp(tz, "UTC"), NULL};
  if (z->utc) return true;
  if (!zone_known(tz)) return false;
  const char *saved = getenv("TZ");
  z->saved = saved ? xstrdup(saved) : NULL;
  char value[260];
  snprintf(value, sizeof value, ":%s", tz); /* ':': a file of the database, never a rule */
  setenv("TZ", value, 1);
  tzset();
  return true;
}

static void zone_leave(struct zone *z) {
  if (z->utc) return;
  if (z->saved) setenv("TZ", z->saved, 1);
  else unsetenv("TZ");
  free(z->saved);
  tzset();
}

/* The zone's offset from UTC, in seconds, at instant T (seconds since the epoch). */
static int64_t offset_at(const struct zone *z, int64_t t) {
  if (z->utc) return 0;
  time_t when = (time_t)t;
  struct tm tm;
  if (!localtime_r(&when, &tm)) return 0; /* years past int: never reached from 1970-2199 */
  struct civil local = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min};
  return naive_seconds(&local) + tm.tm_sec - t;
}

static struct civil local_time(const struct zone *z, int64_t t) {
  return civil_of(t + offset_at(z, t));
}

/* The first instant the zone's clock shows C, in *T; false when it never does (the
   clock skipped it going forward). Offsets change by less than a day, so the offsets a
   day either side and at C are every offset the clock could show C with. */
static bool first_instant(const struct zone *z, const struct civil *c, int64_t *t) {
  int64_t naive = naive_seconds(c);
  bool found = false;
  for (int i = -1; i <= 1; i++) {
    int64_t candidate = naive - offset_at(z, naive + i * 86400);
    if (candidate + offset_at(z, candidate) == naive && (!found || candidate < *t)) {
      *t = candidate;
      found = true;
    }
  }
  return found;
}

/* ------------------------------------------------------------ firings */

/* The first firing of cron fields F at or after instant FROM (seconds, a whole minute):
   the wall-clock minutes that match, in order, each at the first instant the clock
   shows it. A minute the clock skips never fires, and one it shows twice (going back)
   fires once, the first time: a minute already shown before FROM is passed over. */
static bool next_cron(const struct cron_set *f, const struct zone *z, int64_t from, int64_t *t) {
  struct civil c = local_time(z, from);
  while (cron_match_from(f, &c)) {
    if (first_instant(z, &c, t) && *t >= from) return true;
    c = civil_of(naive_seconds(&c) + 60);
  }
  return false;
}

bool schedule_next(const char *text, const char *tz, int64_t start_ms, int64_t after_ms,
                   int64_t *next_ms, bool *unknown_tz) {
  *unknown_tz = false;
  struct sched s = {NULL, {0}, text, true};
  struct schedule_expr e;
  if (!read_schedule(&s, true, &e)) return false;
  /* in minutes: the first minute the schedule is in effect, and the first after AFTER_MS */
  int64_t start = floor_div(start_ms, 60000), from = floor_div(after_ms, 60000) + 1;
  if (from < start) from = start;
  if (e.kind == SCHEDULE_RATE) {
    int64_t periods = from > start ? (from - start + e.rate_minutes - 1) / e.rate_minutes : 0;
    int64_t next = start + periods * e.rate_minutes;
    if (next > INT64_MAX / 60000) return false;
    *next_ms = next * 60000;
    return true;
  }
  if (e.kind == SCHEDULE_CRON) {
    /* cron's years are 1970-2199: start no more than a day (any offset) outside them */
    static const int64_t end_2199 = INT64_C(7258118400) / 60 + 24 * 60;
    if (from > end_2199) return false;
    if (from < -24 * 60) from = -24 * 60;
  }
  struct zone z;
  if (!zone_enter(&z, tz)) {
    *unknown_tz = true;
    return false;
  }
  int64_t t;
  bool found;
  if (e.kind == SCHEDULE_CRON) found = next_cron(e.cron, &z, from * 60, &t);
  else found = first_instant(&z, &e.at, &t) && t >= from * 60;
  zone_leave(&z);
  if (found) *next_ms = t * 1000;
  return found;
}
