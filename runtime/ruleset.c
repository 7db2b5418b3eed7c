/* ruleset.c: many EventBridge rules against one event, through an index (ruleset.h).
 *
 * A rule whose pattern requires, at the top level of its AND, that "detail-type" be one
 * of some exact strings (["Order Placed", "Order Updated"]: no prefix, no $or, no other
 * kind of value in that array) can only match an event that holds one of those strings
 * at "detail-type"; it is filed under each of them. A rule that requires no such thing
 * of "detail-type" but does of "source" is filed there instead (a source has many detail
 * types, so the detail type is the finer key), and any other rule ($or at the top,
 * {"prefix": ...} or anything-but on both fields, neither field) is on the list checked
 * for every event. An event gathers the rules filed under its own strings at those
 * fields, adds that list, and runs mt_match on each in ascending order, so a matched
 * rule is one the naive loop would match, and a skipped rule is one whose required
 * strings the event lacks.
 *
 * The event's strings at a field are found the way match.c flattens an event: an array
 * stands for its elements at the same path, and a key "" adds nothing to the path
 * ({"": {"source": "a"}} holds "a" at "source", as does [{"source": "a"}]).
 */
#include "sfc.h"
#include "match.h"
#include "ruleset.h"

#include <stdlib.h>
#include <string.h>

/* The top-level fields rules are filed under, in order: a rule goes under the first
   one it requires exact strings of. */
static const char *const index_fields[] = {"detail-type", "source"};
#define N_INDEX (sizeof index_fields / sizeof *index_fields)

/* Rule indexes, ascending and without repeats. */
struct rule_list {
  int *at;
  size_t n, cap;
};

struct rt_ruleset {
  struct mt_pattern **rules;
  size_t n, cap;
  struct table buckets[N_INDEX]; /* a string -> its struct rule_list; keys in the arena */
  struct rule_list always;       /* rules filed under no string */
  struct arena arena;
};

static void push(struct rule_list *l, int rule) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 8;
    l->at = xrealloc(l->at, l->cap * sizeof *l->at);
  }
  l->at[l->n++] = rule;
}

struct rt_ruleset *rt_ruleset_new(void) {
  struct rt_ruleset *rs = xmalloc(sizeof *rs);
  memset(rs, 0, sizeof *rs);
  return rs;
}

/* Whether LIST holds only strings, none with a NUL byte (the index's keys are C
   strings; such a rule is simply not filed). */
static bool plain_strings(const json_t *list) {
  size_t i;
  const json_t *v;
  json_array_foreach(list, i, v)
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) return false;
  return json_array_size(list) > 0;
}

/* The array of exact strings OBJ requires at FIELD, at the top level of the AND
   (through "" keys, which name no deeper path), or NULL. */
static const json_t *required_strings(const json_t *obj, const char *field) {
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    if (!*key && json_is_object(v)) {
      const json_t *inner = required_strings(v, field);
      if (inner) return inner;
    } else if (!strcmp(key, field) && json_is_array(v) && plain_strings(v)) {
      return v;
    }
  }
  return NULL;
}

int rt_ruleset_add(struct rt_ruleset *rs, const json_t *pattern, char **why) {
  struct mt_pattern *p = mt_compile(pattern, why);
  if (!p) return -1;
  if (rs->n == rs->cap) {
    rs->cap = rs->cap ? 2 * rs->cap : 16;
    rs->rules = xrealloc(rs->rules, rs->cap * sizeof *rs->rules);
  }
  int rule = (int)rs->n;
  rs->rules[rs->n++] = p;
  for (size_t f = 0; f < N_INDEX; f++) {
    const json_t *list = required_strings(pattern, index_fields[f]);
    if (!list) continue;
    size_t i;
    const json_t *s;
    json_array_foreach(list, i, s) {
      struct rule_list *l = table_get(&rs->buckets[f], json_string_value(s));
      if (!l) {
        l = arena_alloc(&rs->arena, sizeof *l);
        table_put(&rs->buckets[f], arena_strdup(&rs->arena, json_string_value(s)), l);
      }
      if (!l->n || l->at[l->n - 1] != rule) push(l, rule); /* ["a", "a"] files it once */
    }
    return rule;
  }
  push(&rs->always, rule);
  return rule;
}

size_t rt_ruleset_size(const struct rt_ruleset *rs) { return rs->n; }

size_t rt_ruleset_unindexed(const struct rt_ruleset *rs) { return rs->always.n; }

/* Adds the rules filed in BUCKETS under the strings V holds at FIELD; AT_FIELD says
   that V is at FIELD's path already, else it is at the empty path. */
static void gather(const struct table *buckets, const json_t *v, const char *field, bool at_field,
                   struct rule_list *out) {
  if (json_is_array(v)) {
    size_t i;
    const json_t *item;
    json_array_foreach(v, i, item) gather(buckets, item, field, at_field, out);
  } else if (at_field) {
    /* a leaf; an object's fields are at longer paths */
    const struct rule_list *l = json_is_string(v) ? table_get(buckets, json_string_value(v)) : NULL;
    for (size_t i = 0; l && i < l->n; i++) push(out, l->at[i]);
  } else if (json_is_object(v)) {
    const char *key;
    const json_t *sub;
    json_object_foreach((json_t *)v, key, sub)
      if (!*key || !strcmp(key, field)) gather(buckets, sub, field, *key != 0, out);
  }
}

static int ascending(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

size_t rt_ruleset_match(const struct rt_ruleset *rs, const json_t *event, int *out) {
  struct rule_list candidates = {0};
  for (size_t f = 0; f < N_INDEX; f++)
    if (rs->buckets[f].count) gather(&rs->buckets[f], event, index_fields[f], false, &candidates);
  for (size_t i = 0; i < rs->always.n; i++) push(&candidates, rs->always.at[i]);
  if (candidates.n) qsort(candidates.at, candidates.n, sizeof *candidates.at, ascending);
  size_t n = 0;
  for (size_t i = 0; i < candidates.n; i++) {
    int rule = candidates.at[i];
    if (i && rule == candidates.at[i - 1]) continue; /* under two of the event's strings */
    if (mt_match(rs->rules[rule], event, NULL)) out[n++] = rule;
  }
  free(candidates.at);
  return n;
}

void rt_ruleset_free(struct rt_ruleset *rs) {
  if (!rs) return;
  for (size_t f = 0; f < N_INDEX; f++) {
    for (size_t i = 0; i < rs->buckets[f].cap; i++)
      if (rs->buckets[f].keys[i]) free(((struct rule_list *)rs->buckets[f].values[i])->at);
    table_free(&rs->buckets[f]);
  }
  free(rs->always.at);
  for (size_t i = 0; i < rs->n; i++) mt_free(rs->rules[i]);
  free(rs->rules);
  arena_free(&rs->arena);
  free(rs);
}
