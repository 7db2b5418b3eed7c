/* test_schedule.c - table-driven unit test for schedule_check (compiler/schedule.c).

   Each case is a schedule expression with one '^' just before the byte the error must
   point at (no '^': the expression is valid). The expression is checked as if it sat
   at byte BASE of a source file, so the test also sees that offsets are added to the
   location given. */
#include "sfc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE 100

struct schedule_case {
  const char *text;
  bool scheduler; /* EventBridge Scheduler rather than a scheduled rule */
  const char *error;
};

#define OK(t) {t, false, NULL}
#define OK_SCHEDULER(t) {t, true, NULL}
#define BAD(t, m) {t, false, m}
#define BAD_SCHEDULER(t, m) {t, true, m}

static const char *const E_SIX =
    "cron: expected 6 fields (minutes hours day-of-month month day-of-week year), found %d";
static const char *const E_AT = "at: expected yyyy-mm-ddThh:mm:ss, e.g. at(2026-01-01T09:00:00)";

static const struct schedule_case cases[] = {
  /* rate */
  OK("rate(1 minute)"),
  OK("rate(5 minutes)"),
  OK("rate(1 hour)"),
  OK("rate(12 hours)"),
  OK("rate(1 day)"),
  OK("rate(1000 days)"),
  OK_SCHEDULER("rate(15 minutes)"),
  BAD("^", "expected a schedule expression: rate(...) or cron(...)"),
  BAD("^every 5 minutes", "expected a schedule expression: rate(...) or cron(...)"),
  BAD("^Rate(5 minutes)", "expected a schedule expression: rate(...) or cron(...)"),
  BAD_SCHEDULER("^weekly", "expected a schedule expression: rate(...), cron(...) or at(...)"),
  BAD("rate(5 minutes^", "expected ')' at the end of the schedule expression"),
  BAD("rate(5 minutes)^ ", "unexpected text after ')': the schedule expression ends there"),
  BAD("rate^()", "rate: expected a value and a unit, e.g. rate(5 minutes)"),
  BAD("rate(^0 minutes)", "rate: the value must be a positive integer, not 0"),
  BAD("rate(^-5 minutes)", "rate: the value must be a positive integer, found '-5'"),
  BAD("rate(^1.5 hours)", "rate: the value must be a positive integer, found '1.5'"),
  BAD("rate(^five minutes)", "rate: the value must be a positive integer, found 'five'"),
  BAD("rate(1 ^hours)", "rate: the unit must be singular when the value is 1: write \"1 hour\""),
  BAD("rate(1 ^minutes)",
      "rate: the unit must be singular when the value is 1: write \"1 minute\""),
  BAD("rate(5 ^hour)",
      "rate: the unit must be plural when the value is greater than 1: write \"5 hours\""),
  BAD("rate(30 ^day)",
      "rate: the unit must be plural when the value is greater than 1: write \"30 days\""),
  BAD("rate(5 ^seconds)", "rate: unknown unit 'seconds': expected minute(s), hour(s) or day(s)"),
  BAD("rate(5 ^Minutes)", "rate: unknown unit 'Minutes': expected minute(s), hour(s) or day(s)"),
  BAD("rate(2 ^weeks)", "rate: unknown unit 'weeks': expected minute(s), hour(s) or day(s)"),
  BAD("rate(5^)", "rate: expected a unit after the value: minute(s), hour(s) or day(s), "
                  "e.g. rate(5 minutes)"),
  BAD("rate(5^  minutes)", "rate: expected one space between the value and the unit"),
  BAD("rate(^ 5 minutes)", "rate: unexpected space: expected the value right after '('"),
  BAD("rate(5 minutes^ now)", "rate: unexpected text after the unit: expected only a value and "
                              "a unit, e.g. rate(5 minutes)"),

  /* cron: AWS's examples and the special forms */
  OK("cron(0 12 * * ? *)"),
  OK("cron(5,35 14 * * ? *)"),
  OK("cron(15 10 ? * 6L 2019-2022)"),
  OK("cron(0/5 8-17 ? * MON-FRI *)"),
  OK("cron(0 20-2 ? * * *)"),
  OK("cron(0 0 L * ? *)"),
  OK("cron(0 0 3W * ? *)"),
  OK("cron(0 9 ? * 3#2 *)"),
  OK("cron(0 9 ? * FRI#3 *)"),
  OK("cron(0 0 ? * L *)"),
  OK("cron(*/15 * * JAN-MAR ? 2026)"),
  OK("cron(0 0 1 1 ? 1970)"),
  OK("cron(59 23 31 12 ? 2199)"),
  OK("cron(10-30/5 * ? * 2,4,6 *)"),
  OK("cron(0 0 1-15/2 * ? */2)"),
  OK("cron(0 0 ? DEC SUN,SAT 2026,2027)"),
  OK_SCHEDULER("cron(0 8 ? * MON *)"),
  BAD("cron^(0 12 * * ?)", "5"),
  BAD("cron^(0 12 * * ? * *)", "7"),
  BAD("cron^()", "0"),
  BAD("cron(0^  0 * * ? *)", "cron: fields are separated by exactly one space"),
  BAD("cron(^ 0 0 * * ? *)", "cron: fields are separated by exactly one space"),
  BAD("cron(0 0 * * ? *^ )", "cron: fields are separated by exactly one space"),

  /* cron: ranges of values */
  BAD("cron(^60 12 * * ? *)", "cron: minutes: 60 is out of range (0-59)"),
  BAD("cron(0 ^24 * * ? *)", "cron: hours: 24 is out of range (0-23)"),
  BAD("cron(0 0 ^32 * ? *)", "cron: day-of-month: 32 is out of range (1-31)"),
  BAD("cron(0 0 ^0 * ? *)", "cron: day-of-month: 0 is out of range (1-31)"),
  BAD("cron(0 0 1 ^13 ? *)", "cron: month: 13 is out of range (1-12 or JAN-DEC)"),
  BAD("cron(0 0 ? * ^0 *)", "cron: day-of-week: 0 is out of range (1-7 or SUN-SAT, 1 = SUN)"),
  BAD("cron(0 0 ? * 2-^8 *)", "cron: day-of-week: 8 is out of range (1-7 or SUN-SAT, 1 = SUN)"),
  BAD("cron(0 0 * * ? ^1969)", "cron: year: 1969 is out of range (1970-2199)"),
  BAD("cron(0 0 * * ? ^2200)", "cron: year: 2200 is out of range (1970-2199)"),
  BAD("cron(0 0 * * ? ^2025-2020)", "cron: year: the range 2025-2020 runs backwards"),
  BAD("cron(0 0 ^0W * ? *)", "cron: day-of-month: 0 is out of range (1-31)"),

  /* cron: names */
  BAD("cron(0 0 1 ^jan ? *)", "cron: month: month names are upper case: write JAN"),
  BAD("cron(0 0 1 ^JANUARY ? *)", "cron: month: 'JANUARY' is not a month name (JAN-DEC)"),
  BAD("cron(0 0 ? * ^mon *)", "cron: day-of-week: day names are upper case: write MON"),
  BAD("cron(0 0 ? * ^MONDAY *)", "cron: day-of-week: 'MONDAY' is not a day name (SUN-SAT)"),
  BAD("cron(0 0 ? * ^FRIX *)", "cron: day-of-week: 'FRIX' is not a day name (SUN-SAT)"),
  BAD("cron(0 ^x * * ? *)", "cron: hours: expected a number (0-23), found 'x'"),

  /* cron: special characters per field */
  BAD("cron(^? 0 * * ? *)", "cron: minutes: '?' is not allowed in this field (allowed: , - * /)"),
  BAD("cron(^L 0 * * ? *)", "cron: minutes: 'L' is not allowed in this field (allowed: , - * /)"),
  BAD("cron(0 0 1 ^# ? *)", "cron: month: '#' is not allowed in this field (allowed: , - * /)"),
  BAD("cron(0 0 ? * 1^W *)",
      "cron: day-of-week: 'W' is not allowed in this field (allowed: , - * ? L #)"),
  BAD("cron(0 0 ? * *^/2 *)",
      "cron: day-of-week: '/' is not allowed in this field (allowed: , - * ? L #)"),
  BAD("cron(0 0 1,^? * ? *)", "x"),
  BAD("cron(0 0 ? * ^3#1,6#3 *)", "cron: day-of-week: '#' must be the only value in the field"),
  BAD("cron(0 0 ? * 3#^6 *)", "cron: day-of-week: 6 is out of range after '#' (1-5: the first "
                              "to the fifth such day of the month)"),
  BAD("cron(0 0 ? * 3^# *)", "cron: day-of-week: expected a number 1-5 after '#'"),
  BAD("cron(0 0 ^L,15 * ? *)", "cron: day-of-month: L (the last day of the month) must be the "
                               "only value in the field"),
  BAD("cron(0 0 ^15W,1 * ? *)", "cron: day-of-month: W (the weekday nearest a day) must be the "
                                "only value in the field"),
  BAD("cron(0 0 15^L * ? *)", "cron: day-of-month: L stands alone (the last day of the month), "
                              "not after a day"),
  BAD("cron(0 0 ? * 2,^6L *)", "cron: day-of-week: L (the last such day of the month) must be "
                               "the only value in the field"),

  /* cron: steps and lists */
  BAD("cron(*/^0 * * * ? *)", "cron: minutes: step 0 is out of range (1-59)"),
  BAD("cron(*/^60 * * * ? *)", "cron: minutes: step 60 is out of range (1-59)"),
  BAD("cron(0^/ * * * ? *)", "cron: minutes: expected a step (a positive integer) after '/'"),
  BAD("cron(0 0/^x * * ? *)", "cron: hours: expected a step (a positive integer) after '/', "
                              "found 'x'"),
  BAD("cron(1,^,2 0 * * ? *)", "cron: minutes: expected a value before ','"),
  BAD("cron(1^, 0 * * ? *)", "cron: minutes: expected a value after ','"),
  BAD("cron(0 5-^ * * ? *)", "cron: hours: expected a number (0-23) after '-'"),
  BAD("cron(0 5-7^-9 * * ? *)", "cron: hours: expected '-', '/' or ',', found '-'"),

  /* cron: day-of-month and day-of-week */
  BAD("cron(0 0 * * ^* *)", "cron: day-of-month and day-of-week cannot both be '*': make one of "
                            "them '?', e.g. cron(0 12 * * ? *)"),
  BAD("cron(0 0 ^* * MON *)", "cron: day-of-month: must be '?' when day-of-week has a value"),
  BAD("cron(0 0 1 * ^* *)", "cron: day-of-week: must be '?' when day-of-month has a value"),
  BAD("cron(0 0 1 * ^MON *)", "cron: day-of-month and day-of-week cannot both have values: make "
                              "one of them '?'"),
  BAD("cron(0 0 ? * ^? *)", "cron: day-of-month and day-of-week cannot both be '?': give '*' or "
                            "a value in one of them"),

  /* at(), EventBridge Scheduler only */
  OK_SCHEDULER("at(2026-01-01T09:00:00)"),
  OK_SCHEDULER("at(2028-02-29T23:59:59)"),
  BAD("^at(2026-01-01T09:00:00)", "at() is for EventBridge Scheduler only: a rule's schedule is "
                                  "rate(...) or cron(...)"),
  BAD_SCHEDULER("at(2026-01-01T09:00:00^Z)",
                "at: the time takes no zone suffix: it is read in the schedule's time zone "
                "(ScheduleExpressionTimezone)"),
  BAD_SCHEDULER("at(2026-01-01T09:00:00^+01:00)", "at: the time takes no zone suffix: it is read "
                                                  "in the schedule's time zone "
                                                  "(ScheduleExpressionTimezone)"),
  BAD_SCHEDULER("at(2026-01-01T09:00:00^.5)", "at: fractional seconds are not allowed: expected "
                                              "yyyy-mm-ddThh:mm:ss, e.g. at(2026-01-01T09:00:00)"),
  BAD_SCHEDULER("at(2026-01-01^ 09:00:00)", "at"),
  BAD_SCHEDULER("at(2026-1^-1T09:00:00)", "at"),
  BAD_SCHEDULER("at(2026-01-01T09:00^)", "at"),
  BAD_SCHEDULER("at(2026-^13-01T09:00:00)", "at: month 13 is out of range (01-12)"),
  BAD_SCHEDULER("at(2026-02-^29T09:00:00)", "at: day 29 is out of range for 2026-02 (01-28)"),
  BAD_SCHEDULER("at(2100-02-^29T09:00:00)", "at: day 29 is out of range for 2100-02 (01-28)"),
  BAD_SCHEDULER("at(2026-04-^31T09:00:00)", "at: day 31 is out of range for 2026-04 (01-30)"),
  BAD_SCHEDULER("at(2026-01-01T^24:00:00)", "at: hour 24 is out of range (00-23)"),
  BAD_SCHEDULER("at(2026-01-01T09:^60:00)", "at: minute 60 is out of range (00-59)"),
  BAD_SCHEDULER("at(2026-01-01T09:00:^60)", "at: second 60 is out of range (00-59)"),
};

/* Short codes in the table: a digit is the field count of E_SIX, "at" is E_AT, "x" the
   '?' in a day-of-month list. */
static const char *expand(const char *msg, char *out, size_t n) {
  if (msg[0] >= '0' && msg[0] <= '9' && !msg[1]) snprintf(out, n, E_SIX, msg[0] - '0');
  else if (!strcmp(msg, "at")) return E_AT;
  else if (!strcmp(msg, "x")) return "cron: day-of-month: '?' must be the only value in the field";
  else return msg;
  return out;
}

static int passed, failed;

static void check(bool good, const char *what) {
  if (good) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s\n", what);
  }
}

/* Runs TEXT at byte BASE; returns how many errors, the first in *FIRST. */
static int run(struct diag *d, const char *text, bool scheduler, bool *ok,
               const struct diagnostic **first) {
  int file = diag_add_file(d, "<case>", "", 0);
  struct loc at = {file, BASE, BASE + (int)strlen(text)};
  *ok = schedule_check(d, at, text, scheduler);
  *first = d->count ? &d->list[0] : NULL;
  return d->errors;
}

static void run_case(const struct schedule_case *c) {
  char text[300], expected[300];
  int marker = -1;
  size_t o = 0;
  for (size_t i = 0; c->text[i] && o + 1 < sizeof text; i++) {
    if (c->text[i] == '^') marker = (int)o;
    else text[o++] = c->text[i];
  }
  text[o] = 0;
  struct diag d = {0};
  bool ok;
  const struct diagnostic *e;
  int errors = run(&d, text, c->scheduler, &ok, &e);
  const char *msg = c->error ? expand(c->error, expected, sizeof expected) : NULL;
  bool good = msg ? !ok && errors == 1 && e && !strcmp(e->message, msg) &&
                        e->loc.start == BASE + marker
                  : ok && d.count == 0;
  if (good) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s%s\n  returned %s, %d errors", c->text, c->scheduler ? " (scheduler)" : "",
           ok ? "true" : "false", errors);
    if (e) printf("; first at %d: %s", e->loc.start - BASE, e->message);
    if (msg) printf("\n  expected 1 error at %d: %s", marker, msg);
    printf("\n");
  }
  diag_free(&d);
}

/* The end of a location is the end of what it blames. */
static void run_span_case(void) {
  struct diag d = {0};
  bool ok;
  const struct diagnostic *e;
  run(&d, "cron(0 0 1 JANUARY ? *)", false, &ok, &e);
  check(e && e->loc.start == BASE + 11 && e->loc.end == BASE + 18,
        "an error spans the whole bad name");
  diag_free(&d);
}

int main(void) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) run_case(&cases[i]);
  run_span_case();
  check(schedule_is_rate_or_cron("rate(5 minutes)"), "schedule_is_rate_or_cron: rate");
  check(schedule_is_rate_or_cron("cron(0 12 * * ? *)"), "schedule_is_rate_or_cron: cron");
  check(!schedule_is_rate_or_cron("at(2026-01-01T09:00:00)"), "schedule_is_rate_or_cron: at");
  check(!schedule_is_rate_or_cron("rate"), "schedule_is_rate_or_cron: a bare word");
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
