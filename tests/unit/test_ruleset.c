/* test_ruleset.c - unit test of the rule index (runtime/ruleset.c).

   Targeted cases: rules, an event, the rules it must match and how many rules the index
   must leave unfiled (checked against every event); JSON is written with ' for ". Then
   random rule sets and events from a fixed seed, built from small pools so that values
   collide: for each event, the index's answer must be the naive loop's (mt_match on
   every rule, in order). */
#include "sfc.h"
#include "match.h"
#include "ruleset.h"
#include "runtime.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

struct ruleset_case {
  const char *name;
  const char *rules[4]; /* up to four, NULL after the last */
  const char *event;
  const char *matched;  /* the indexes matched, e.g. "0 2", or "" */
  size_t unindexed;     /* rules filed under no string */
};

static const struct ruleset_case cases[] = {
  {"exact sources are filed", {"{'source': ['a', 'b']}", "{'source': ['c']}", NULL},
   "{'source': 'b'}", "0", 0},
  {"detail-type when there is no source", {"{'detail-type': ['T']}", "{'source': ['a']}", NULL},
   "{'source': 'b', 'detail-type': 'T'}", "0", 0},
  {"detail-type is preferred to source", {"{'source': ['a'], 'detail-type': ['T']}", NULL},
   "{'source': 'a', 'detail-type': 'U'}", "", 0},
  {"source when detail-type is not exact strings",
   {"{'source': ['a'], 'detail-type': [{'prefix': 'T'}]}", "{'source': ['a'], 'detail-type': ['T', 1]}", NULL},
   "{'source': 'a', 'detail-type': 'Tx'}", "0", 0},
  {"$or at the top level is checked always",
   {"{'$or': [{'source': ['a']}, {'source': ['b']}]}", "{'source': ['a']}", NULL},
   "{'source': 'b'}", "0", 1},
  {"$or beside an exact source: filed under the source",
   {"{'source': ['a'], '$or': [{'k': ['1']}, {'j': ['2']}]}", NULL},
   "{'source': 'a', 'j': '2'}", "0", 0},
  {"prefix on source is checked always",
   {"{'source': [{'prefix': 'app.'}]}", "{'source': ['app.x', {'prefix': 'z'}]}", NULL},
   "{'source': 'app.y'}", "0", 2},
  {"prefix on source, exact detail-type: filed under the detail type",
   {"{'source': [{'prefix': 'app.'}], 'detail-type': ['T']}", NULL},
   "{'source': 'app.y', 'detail-type': 'T'}", "0", 0},
  {"anything-but on source is checked always",
   {"{'source': [{'anything-but': 'a'}]}", "{'source': [{'anything-but': ['a', 'b']}]}", NULL},
   "{'source': 'c'}", "0 1", 2},
  {"a missing source field matches no filed rule",
   {"{'source': ['a']}", "{'source': [{'exists': false}]}", "{'detail': {'k': ['v']}}", NULL},
   "{'detail': {'k': 'v'}}", "1 2", 2},
  {"an array-valued source in the event: each element", {"{'source': ['a']}", "{'source': ['b']}",
   "{'source': ['c']}", NULL}, "{'source': ['c', 'a', 'a']}", "0 2", 0},
  {"a rule under two strings the event both holds is matched once",
   {"{'source': ['a', 'b']}", NULL}, "{'source': ['a', 'b']}", "0", 0},
  {"nested arrays in the event", {"{'source': ['a']}", NULL}, "{'source': [['x', ['a']]]}", "0", 0},
  {"a key \"\" adds nothing to the path", {"{'source': ['a']}", "{'': {'source': ['b']}}", NULL},
   "{'': {'source': 'b'}, 'source': 'a'}", "0 1", 0},
  {"an event that is an array of events", {"{'source': ['a']}", NULL}, "[{'source': 'a'}]", "0", 0},
  {"an object at source is not a value", {"{'source': ['a']}", NULL}, "{'source': {'a': 'a'}}", "", 0},
  {"numbers are not strings", {"{'source': ['1']}", "{'source': [1]}", NULL}, "{'source': 1}", "1", 1},
  {"a source under a nested object is another field", {"{'detail': {'source': ['a']}}", NULL},
   "{'detail': {'source': 'a'}, 'source': 'b'}", "0", 1},
  {"dotted keys name the same path", {"{'source': ['a']}", NULL}, "{'detail': {'x.y': 1}, 'source': 'a'}",
   "0", 0},
  {"a refused rule is not added", {"{'source': []}", "{'source': ['a']}", NULL}, "{'source': 'a'}", "0", 0},
};

/* ' becomes " (the texts hold no other quote). */
static json_t *load(const char *text) {
  char *s = xstrdup(text);
  for (char *p = s; *p; p++)
    if (*p == '\'') *p = '"';
  json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);
  if (!v) die("test_ruleset: bad JSON in the table: %s", text);
  free(s);
  return v;
}

static void list_text(struct buf *b, const int *at, size_t n) {
  buf_adds(b, "");
  for (size_t i = 0; i < n; i++) buf_printf(b, "%s%d", i ? " " : "", at[i]);
}

static void run_case(const struct ruleset_case *c) {
  struct rt_ruleset *rs = rt_ruleset_new();
  int out[4];
  for (int i = 0; i < 4 && c->rules[i]; i++) {
    json_t *rule = load(c->rules[i]);
    char *why = NULL;
    rt_ruleset_add(rs, rule, &why);
    free(why);
    json_decref(rule);
  }
  json_t *event = load(c->event);
  size_t n = rt_ruleset_match(rs, event, out);
  struct buf got = {0};
  list_text(&got, out, n);
  bool good = !strcmp(got.data, c->matched) && rt_ruleset_unindexed(rs) == c->unindexed;
  good ? passed++ : failed++;
  if (!good)
    printf("FAIL %s: matched \"%s\" with %zu unindexed, expected \"%s\" with %zu\n", c->name, got.data,
           rt_ruleset_unindexed(rs), c->matched, c->unindexed);
  buf_free(&got);
  json_decref(event);
  rt_ruleset_free(rs);
}

/* ------------------------------------------------------------ random rule sets */

static const char *const strings[] = {"a", "b", "c", "app.x", ""};
#define PICK(r, list) (list[rt_random_next(r) % (sizeof list / sizeof *list)])

static json_t *random_string(struct rt_random *r) { return json_string(PICK(r, strings)); }

/* One element of a field's array: mostly exact strings, so that rules get filed. */
static json_t *random_matcher(struct rt_random *r) {
  switch (rt_random_next(r) % 12) {
  case 0: return json_pack("{s:s}", "prefix", rt_random_next(r) % 2 ? "app." : "a");
  case 1: return json_pack("{s:o}", "anything-but", random_string(r));
  case 2: return json_pack("{s:b}", "exists", (int)(rt_random_next(r) % 2));
  case 3: return json_pack("{s:s}", "equals-ignore-case", "A");
  case 4: return json_integer((json_int_t)(rt_random_next(r) % 2));
  case 5: return json_null();
  default: return random_string(r);
  }
}

static json_t *random_list(struct rt_random *r) {
  json_t *list = json_array();
  bool strings_only = rt_random_next(r) % 2;
  for (int i = 0, n = 1 + (int)(rt_random_next(r) % 3); i < n; i++)
    json_array_append_new(list, strings_only ? random_string(r) : random_matcher(r));
  return list;
}

static const char *const fields[] = {"source", "source", "source", "detail-type", "detail-type", "",
                                     "detail", "k", "$or"};

static json_t *random_pattern(struct rt_random *r, int depth) {
  json_t *obj = json_object();
  for (int i = 0, n = 1 + (int)(rt_random_next(r) % 3); i < n; i++) {
    const char *key = PICK(r, fields);
    bool nested = !strcmp(key, "") || !strcmp(key, "detail") || !strcmp(key, "$or");
    if (nested && depth >= 2) key = "k", nested = false;
    if (!strcmp(key, "$or")) {
      json_object_set_new(obj, key, json_pack("[oo]", random_pattern(r, depth + 1), random_pattern(r, depth + 1)));
    } else {
      json_object_set_new(obj, key, nested ? random_pattern(r, depth + 1) : random_list(r));
    }
  }
  return obj;
}

/* A value at an event field: a string, an array of them (nested sometimes), or another type. */
static json_t *random_value(struct rt_random *r, int depth) {
  switch (rt_random_next(r) % 9) {
  case 0: return json_integer(1);
  case 1: return json_null();
  case 2: return depth < 2 ? json_pack("{so}", PICK(r, strings), random_value(r, depth + 1)) : json_true();
  case 3:
  case 4: {
    json_t *a = json_array();
    for (int i = 0, n = (int)(rt_random_next(r) % 4); i < n; i++)
      json_array_append_new(a, depth < 2 && i == 2 ? random_value(r, depth + 1) : random_string(r));
    return a;
  }
  default: return random_string(r);
  }
}

static json_t *random_event(struct rt_random *r, int depth) {
  json_t *obj = json_object();
  static const char *const event_fields[] = {"source", "source", "detail-type", "detail", "k", ""};
  for (int i = 0, n = (int)(rt_random_next(r) % 4); i < n; i++) {
    const char *key = PICK(r, event_fields);
    bool nested = (!strcmp(key, "") || !strcmp(key, "detail")) && depth < 2;
    json_object_set_new(obj, key, nested ? random_event(r, depth + 1) : random_value(r, depth));
  }
  if (depth == 0 && rt_random_next(r) % 10 == 0) return json_pack("[o]", obj);
  return obj;
}

#define SETS 300
#define EVENTS_PER_SET 20

/* What the random sets covered: rules filed and not, events matching none and some. */
static size_t total_rules, total_unindexed, total_matches, events_matching_none;

/* One random rule set: each event's indexed answer against the naive loop. */
static void run_random_set(struct rt_random *r, int set) {
  int nrules = 1 + (int)(rt_random_next(r) % 40);
  struct rt_ruleset *rs = rt_ruleset_new();
  struct mt_pattern **naive = xmalloc((size_t)nrules * sizeof *naive);
  int added = 0;
  bool good = true;
  for (int i = 0; i < nrules; i++) {
    json_t *rule = random_pattern(r, 0);
    char *why = NULL, *why2 = NULL;
    int index = rt_ruleset_add(rs, rule, &why);
    struct mt_pattern *p = mt_compile(rule, &why2);
    if ((index >= 0) != (p != NULL) || (index >= 0 && index != added)) good = false;
    if (p) naive[added++] = p;
    free(why);
    free(why2);
    json_decref(rule);
  }
  int *want = xmalloc((size_t)nrules * sizeof *want), *got = xmalloc((size_t)nrules * sizeof *got);
  for (int e = 0; e < EVENTS_PER_SET && good; e++) {
    json_t *event = random_event(r, 0);
    size_t nwant = 0;
    for (int i = 0; i < added; i++)
      if (mt_match(naive[i], event, NULL)) want[nwant++] = i;
    size_t ngot = rt_ruleset_match(rs, event, got);
    total_matches += nwant;
    events_matching_none += nwant == 0;
    if (ngot != nwant || memcmp(got, want, nwant * sizeof *want)) {
      struct buf a = {0}, b = {0};
      list_text(&a, got, ngot);
      list_text(&b, want, nwant);
      char *text = json_dumps(event, JSON_ENCODE_ANY | JSON_COMPACT);
      printf("FAIL random set %d, event %s: indexed \"%s\", naive \"%s\"\n", set, text, a.data, b.data);
      free(text);
      buf_free(&a);
      buf_free(&b);
      good = false;
    }
    json_decref(event);
  }
  good ? passed++ : failed++;
  total_rules += (size_t)added;
  total_unindexed += rt_ruleset_unindexed(rs);
  for (int i = 0; i < added; i++) mt_free(naive[i]);
  free(naive);
  free(want);
  free(got);
  rt_ruleset_free(rs);
}

int main(void) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) run_case(&cases[i]);
  struct rt_random r;
  rt_random_seed(&r, 20261203);
  for (int set = 0; set < SETS; set++) run_random_set(&r, set);
  /* a generator that filed nothing, or matched nothing, would prove nothing */
  bool covered = total_unindexed > 0 && total_unindexed < total_rules / 2 && total_matches > SETS &&
                 events_matching_none > 0;
  covered ? passed++ : failed++;
  if (!covered)
    printf("FAIL the random sets do not cover the index: %zu of %zu rules unfiled, %zu matches, "
           "%zu events matching none\n", total_unindexed, total_rules, total_matches, events_matching_none);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
