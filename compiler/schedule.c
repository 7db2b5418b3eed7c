/* schedule.c: schedule expressions for scheduled EventBridge rules and EventBridge
 * Scheduler: rate(value unit), cron(six fields), and Scheduler's one-time at(...).
 *
 * The text is checked as AWS documents it, strictly: single spaces, the singular
 * unit for 1 and the plural otherwise, upper-case month and day names. Every error
 * points at the part of the text it is about (the byte offsets of the expression in
 * the source are known), and names the cron field: "cron: day-of-week: ...".
 */
#include "sfc.h"

#include <stdlib.h>
#include <string.h>

struct sched {
  struct diag *d;
  struct loc at;
  const char *text;
  bool ok;
};

static void report(struct sched *s, size_t offset, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports at bytes [offset, offset + len) of the expression. */
static void report(struct sched *s, size_t offset, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  struct loc loc = {s->at.file, s->at.start + (int)offset, s->at.start + (int)(offset + len)};
  diag_error(s->d, loc, "%s", msg);
  free(msg);
  s->ok = false;
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
} rate_units[] = {{"minute", "minutes"}, {"hour", "hours"}, {"day", "days"}};

/* rate(value unit): OFF is where the text inside the parentheses starts. */
static void check_rate(struct sched *s, size_t off, size_t len) {
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

/* Where one cron field is being read. */
struct cron_cursor {
  struct sched *s;
  const struct cron_field *f;
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
static bool read_step(struct cron_cursor *c) {
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
  return true;
}

/* One element of a field's comma list: * [/step], v [-v] [/step], and the L, W and #
   forms where the field allows them. */
static bool check_element(struct cron_cursor *c) {
  const struct cron_field *f = c->f;
  const char *t = c->t;
  if (c->len == 1 && t[0] == '?') {
    if (!allowed(f, '?')) return unexpected(c, "a value");
    report(c->s, c->off, 1, "cron: %s: '?' must be the only value in the field", f->name);
    return false;
  }
  if (c->len == 1 && t[0] == 'L' && allowed(f, 'L'))
    return alone(c, f == &cron_fields[F_DOM] ? "L (the last day of the month)"
                                             : "L (the last day of the week)");
  if (t[0] == '*') {
    c->pos = 1;
  } else {
    int low, high;
    if (!read_value(c, &low, NULL)) return false;
    if (c->pos < c->len && t[c->pos] == '-' && allowed(f, '-')) {
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
      return alone(c, "W (the weekday nearest a day)");
    } else if (c->pos < c->len && t[c->pos] == 'L' && f == &cron_fields[F_DOM]) {
      report(c->s, c->off + c->pos, 1, "cron: day-of-month: L stands alone (the last day of the "
                                       "month), not after a day");
      return false;
    } else if (c->pos < c->len && t[c->pos] == 'L' && f == &cron_fields[F_DOW]) {
      c->pos++;
      if (c->pos < c->len) return unexpected(c, "nothing after L");
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
      return alone(c, "'#'");
    }
  }
  if (c->pos < c->len && t[c->pos] == '/' && allowed(f, '/') && !read_step(c)) return false;
  if (c->pos < c->len) return unexpected(c, t[0] == '*' ? "'/' or ','" : "'-', '/' or ','");
  return true;
}

/* One field; QUESTION and STAR say whether it is exactly "?" or "*". */
static bool check_field(struct sched *s, const struct cron_field *f, size_t off, size_t len,
                        bool *question, bool *star) {
  const char *t = s->text + off;
  *question = len == 1 && t[0] == '?' && allowed(f, '?');
  *star = len == 1 && t[0] == '*';
  if (*question) return true;
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
    struct cron_cursor c = {s, f, off + start, t + start, i - start, 0, in_list};
    if (!check_element(&c)) return false;
    start = i + 1;
  }
  return true;
}

/* cron(minutes hours day-of-month month day-of-week year). */
static void check_cron(struct sched *s, size_t off, size_t len) {
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
    ok = check_field(s, &cron_fields[i], off + starts[i], lens[i], &question[i], &star[i]) && ok;
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

static int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

/* at(yyyy-mm-ddThh:mm:ss), read in the schedule's time zone. */
static void check_at(struct sched *s, size_t off, size_t len) {
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
}

/* ------------------------------------------------------------ entry points */

bool schedule_is_rate_or_cron(const char *text) {
  return !strncmp(text, "rate(", 5) || !strncmp(text, "cron(", 5);
}

bool schedule_check(struct diag *d, struct loc at, const char *text, bool scheduler) {
  struct sched s = {d, at, text, true};
  size_t len = strlen(text); /* at most 256 characters: checked by lower_triggers.c */
  size_t open = !strncmp(text, "rate(", 5) || !strncmp(text, "cron(", 5) ? 5
              : !strncmp(text, "at(", 3) ? 3 : 0;
  if (!open) {
    report(&s, 0, len, "expected a schedule expression: rate(...)%s cron(...)%s",
           scheduler ? "," : " or", scheduler ? " or at(...)" : "");
    return false;
  }
  if (open == 3 && !scheduler) {
    report(&s, 0, len, "at() is for EventBridge Scheduler only: a rule's schedule is rate(...) "
                       "or cron(...)");
    return false;
  }
  const char *close = strchr(text + open, ')');
  if (!close) {
    report(&s, len, 0, "expected ')' at the end of the schedule expression");
    return false;
  }
  size_t inner = (size_t)(close - text) - open;
  if (close[1]) {
    report(&s, (size_t)(close - text) + 1, len - (size_t)(close - text) - 1,
           "unexpected text after ')': the schedule expression ends there");
    return false;
  }
  if (text[0] == 'r') check_rate(&s, open, inner);
  else if (text[0] == 'c') check_cron(&s, open, inner);
  else check_at(&s, open, inner);
  return s.ok;
}
