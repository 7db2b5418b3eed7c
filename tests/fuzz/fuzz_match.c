/* fuzz_match.c: libFuzzer target for the EventBridge pattern matcher (runtime/match.c),
   the compile-time checker of patterns (compiler/patterns.c) and the rule index
   (runtime/ruleset.c). An input is a pattern, then optionally a NUL byte and an event
   (the fixed EVENT below when there is none or it is not JSON); both are read by
   Jansson, NUL bytes in strings allowed. Any input must end without a crash, a leak or
   undefined behaviour, and abort()s when:
     - the checker and the matcher disagree on whether the pattern is valid (one grammar,
       as tests/unit/test_match.c checks on its table), or the matcher refuses it without
       saying why;
     - mt_match answers differently with and without WHY, says why on a match, or says
       nothing on a failure;
     - a ruleset holding the pattern (twice, between two fixed rules) answers other than
       mt_match does.
   Built by `make build/fuzz/fuzz_match`, run briefly by the suite (tests/fuzz/match.sh);
   `make fuzz-match FUZZ_SECONDS=600` runs it longer, seeded with tests/fuzz/seeds/match/. */
#include "sfc.h"
#include "match.h"
#include "ruleset.h"
#include "../unit/json_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char EVENT[] =
    "{\"version\": \"0\", \"id\": \"6a7e8feb\", \"source\": \"app.orders\", \"account\": \"111122223333\","
    " \"detail-type\": \"Order Placed\", \"time\": \"2024-01-15T10:20:30Z\", \"region\": \"us-east-1\","
    " \"resources\": [\"arn:aws:s3:::b1\", \"arn:aws:s3:::b2\"], \"detail\": {\"state\": \"running\","
    " \"amount\": 42.5, \"count\": 0, \"ok\": true, \"none\": null, \"ip\": \"10.0.0.7\", \"empty\": \"\","
    " \"key\": \"in/a.PNG\", \"tags\": [\"x\", 1, [\"y\"]], \"items\": [{\"id\": 1}, {\"id\": \"two\"}],"
    " \"nested\": {\"a\": {\"b\": \"c\"}}, \"state.status\": \"up\", \"obj\": {}}}";
static const char *const FIXED_RULES[] = {
  "{\"source\": [\"app.orders\"]}",
  "{\"detail-type\": [{\"prefix\": \"Order\"}], \"detail\": {\"amount\": [{\"numeric\": [\">\", 0]}]}}",
};

static void disagree(const char *what, const json_t *pattern, const char *a, const char *b) {
  char *text = json_dumps(pattern, JSON_ENCODE_ANY | JSON_COMPACT);
  fprintf(stderr, "fuzz_match: %s\n  pattern: %s\n  %s\n  %s\n", what, text ? text : "?",
          a ? a : "", b ? b : "");
  free(text);
  abort();
}

/* The checker's verdict, with its first error in *FIRST (for the report; NULL if none). */
static bool checker_accepts(const json_t *pattern, char **first) {
  struct arena arena = {0};
  struct diag d = {0};
  bool ok = pattern_check(&d, json_to_value(&arena, pattern));
  *first = NULL;
  for (int i = 0; i < d.count && !*first; i++)
    if (d.list[i].severity == SEV_ERROR) *first = xstrdup(d.list[i].message);
  diag_free(&d);
  arena_free(&arena);
  return ok;
}

static void check_event(const struct mt_pattern *p, const json_t *pattern, const json_t *event) {
  char *why = NULL;
  bool quiet = mt_match(p, event, NULL), told = mt_match(p, event, &why);
  if (quiet != told) disagree("mt_match answers differently with and without why", pattern, why, NULL);
  if (told == (why != NULL)) disagree("mt_match's why does not fit its answer", pattern, why, NULL);
  free(why);

  /* the index: FIXED_RULES[0], the pattern, FIXED_RULES[1], the pattern again */
  static struct mt_pattern *fixed[2];
  static json_t *fixed_json[2];
  for (int i = 0; i < 2 && !fixed[i]; i++) {
    char *err = NULL;
    fixed_json[i] = json_loads(FIXED_RULES[i], 0, NULL);
    fixed[i] = mt_compile(fixed_json[i], &err);
    if (!fixed[i]) disagree("a fixed rule does not compile", fixed_json[i], err, NULL);
  }
  struct rt_ruleset *rs = rt_ruleset_new();
  const json_t *added[4] = {fixed_json[0], pattern, fixed_json[1], pattern};
  for (int i = 0; i < 4; i++) {
    char *err = NULL;
    if (rt_ruleset_add(rs, added[i], &err) != i) disagree("rt_ruleset_add refuses a rule", added[i], err, NULL);
  }
  int want[4], got[4];
  size_t nwant = 0;
  const struct mt_pattern *order[4] = {fixed[0], p, fixed[1], p};
  for (int i = 0; i < 4; i++)
    if (mt_match(order[i], event, NULL)) want[nwant++] = i;
  size_t ngot = rt_ruleset_match(rs, event, got);
  if (ngot != nwant || memcmp(got, want, nwant * sizeof *want))
    disagree("rt_ruleset_match differs from mt_match on each rule", pattern, NULL, NULL);
  rt_ruleset_free(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static json_t *fixed_event;
  if (!fixed_event) fixed_event = json_loads(EVENT, 0, NULL);
  const uint8_t *nul = memchr(data, 0, size);
  size_t len = nul ? (size_t)(nul - data) : size;
  const size_t flags = JSON_DECODE_ANY | JSON_ALLOW_NUL;
  json_t *pattern = json_loadb((const char *)data, len, flags, NULL);
  if (!pattern) return 0;
  json_t *event = nul ? json_loadb((const char *)nul + 1, size - len - 1, flags, NULL) : NULL;

  char *why = NULL, *first = NULL;
  struct mt_pattern *p = mt_compile(pattern, &why);
  bool checked = checker_accepts(pattern, &first);
  if (checked != (p != NULL))
    disagree(checked ? "the checker accepts what the matcher refuses"
                     : "the checker refuses what the matcher accepts",
             pattern, first ? first : "checker: valid", why ? why : "matcher: valid");
  if (!p && (!why || !*why)) disagree("mt_compile refuses without a reason", pattern, NULL, NULL);
  if (p) {
    check_event(p, pattern, fixed_event);
    if (event) check_event(p, pattern, event);
  }
  mt_free(p);
  free(why);
  free(first);
  json_decref(pattern);
  json_decref(event);
  return 0;
}
