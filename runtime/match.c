/* match.c: EventBridge event patterns, compiled from JSON and matched against events.
 *
 * The grammar is compiler/patterns.c's: mt_compile has its walker, pattern_walk, judge
 * the Jansson value (the same walk the compiler's checker makes over .sf values, so
 * both refuse the same patterns with the same words: AWS's, lowercased and followed by
 * what was expected), and keeps the first error, prefixed by its field's path. Only a
 * pattern the walker accepted is compiled here, so compiling checks nothing.
 *
 * Matching follows event-ruler's flattening: the event becomes a list of (dotted path,
 * leaf value) pairs, where an array contributes each element under its own path (A.4,
 * "crushed"), an object is never a leaf (A.9), and an empty array contributes nothing.
 * A pattern field then matches when any of its leaves matches any of its matchers, and
 * {"exists": false} when it has no leaf at all. Dotted keys are joined paths on both
 * sides, so "state.status" and {"state": {"status": ...}} name the same field (A.2).
 * Fields taken from different elements of one array are combined (event-ruler's
 * rulesForEvent; which mode AWS uses is not recorded, A.4).
 */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"
#include "match.h"
#include "runtime.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the compiled pattern */

enum mt_op {
  OP_EXACT, OP_PREFIX, OP_SUFFIX, OP_PREFIX_CI, OP_SUFFIX_CI, OP_EQUALS_CI, OP_WILDCARD,
  OP_ANYTHING_BUT, OP_NUMERIC, OP_EXISTS, OP_CIDR
};

/* A wildcard split at its unescaped stars: N literal segments, N - 1 stars between. */
struct mt_wild {
  char **seg;
  size_t *len;
  size_t n;
};

struct mt_matcher {
  enum mt_op op;
  const json_t *value;      /* OP_EXACT: a string, number, true, false or null */
  const char *text;         /* prefix, suffix, equals-ignore-case */
  size_t len;
  struct mt_wild wild;         /* OP_WILDCARD */
  struct mt_matcher *but;      /* OP_ANYTHING_BUT: matches when none of these does */
  size_t nbut;
  bool has_lo, lo_incl, has_hi, hi_incl; /* OP_NUMERIC */
  double lo, hi;
  bool exists;              /* OP_EXISTS */
  int family;               /* OP_CIDR: AF_INET or AF_INET6 */
  unsigned char addr[16];
  int bits;
};

struct mt_field {
  const char *path;         /* dotted, from the top of the event */
  const json_t *list;       /* the pattern's array, for messages */
  struct mt_matcher *m;
  size_t n;
};

struct mt_node;

struct mt_or_group {
  const char *path;         /* where the "$or" was written, for messages */
  struct mt_node *branch;
  size_t n;
};

/* An object of fields: every field and every $or group must match. */
struct mt_node {
  struct mt_field *field;
  size_t nfield;
  struct mt_or_group *ors;
  size_t nors;
};

struct mt_pattern {
  struct arena arena;
  json_t *pattern;          /* our reference: matchers point into it */
  struct mt_node root;
};

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  return s;
}

/* ------------------------------------------------------------ the grammar's nodes */

/* Jansson values as compiler/patterns.c's walker reads them; the first error it
   reports is the answer, prefixed by its field's path. */
static enum pattern_kind json_kind(const void *node) {
  switch (json_typeof((const json_t *)node)) {
  case JSON_NULL: return PK_NULL;
  case JSON_TRUE:
  case JSON_FALSE: return PK_BOOL;
  case JSON_INTEGER:
  case JSON_REAL: return PK_NUMBER;
  case JSON_STRING: return PK_STRING;
  case JSON_ARRAY: return PK_ARRAY;
  case JSON_OBJECT: return PK_OBJECT;
  }
  return PK_NOT_JSON;
}

static void json_not_json(void *ctx, const void *node) { (void)ctx, (void)node; }

static const char *json_text(const void *node, size_t *len) {
  *len = json_string_length(node);
  return json_string_value(node);
}

static double json_number(const void *node) { return json_number_value(node); }

static char *json_number_text(const void *node) { return rt_json_text(node); }

static bool json_child(const void *node, struct pattern_child *c) {
  json_t *v = (json_t *)node;
  if (json_is_array(v)) {
    size_t i = c->it ? c->index + 1 : 0;
    if (i >= json_array_size(v)) return false;
    c->index = i;
    c->it = v;
    c->value = json_array_get(v, i);
    return true;
  }
  void *it = c->it ? json_object_iter_next(v, (void *)c->it) : json_object_iter(v);
  if (!it) return false;
  c->index = c->it ? c->index + 1 : 0;
  c->it = c->member = it;
  c->key = json_object_iter_key(it);
  c->value = json_object_iter_value(it);
  return true;
}

static void json_error(void *ctx, const char *path, struct pattern_place place, const char *msg) {
  (void)place;
  char **why = ctx;
  if (*why) return;
  *why = path && *path ? format("%s: %s", path, msg) : xstrdup(msg);
}

static const struct pattern_ops json_ops = {
  json_kind, json_not_json, json_text, json_number, json_number_text, json_child, json_error,
  NULL, NULL, NULL,
};

/* ------------------------------------------------------------ compiling a valid pattern */

/* Room for element N of an array in the arena that holds N: its capacity doubles
   whenever N reaches a power of two, so a long anything-but list costs twice its size,
   not its square. */
static void *grow(struct arena *a, void *old, size_t n, size_t size) {
  if (n && (n & (n - 1))) return old;
  void *p = arena_alloc(a, (n ? 2 * n : 1) * size);
  if (n) memcpy(p, old, n * size);
  return p;
}

static char *join(struct arena *a, const char *path, const char *key) {
  return *path ? arena_printf(a, "%s.%s", path, key) : arena_strdup(a, key);
}

static const char *only_key(const json_t *obj, const json_t **value) {
  void *it = json_object_iter((json_t *)obj);
  *value = json_object_iter_value(it);
  return json_object_iter_key(it);
}

/* A wildcard split at its unescaped stars ("\*" is a star, "\\" a backslash). */
static void compile_wildcard(struct arena *a, struct mt_matcher *m) {
  struct mt_wild *w = &m->wild;
  struct buf seg = {0};
  buf_adds(&seg, "");
  for (size_t i = 0; i <= m->len; i++) {
    if (i == m->len || m->text[i] == '*') {
      w->seg = grow(a, w->seg, w->n, sizeof *w->seg);
      w->len = grow(a, w->len, w->n, sizeof *w->len);
      w->seg[w->n] = arena_strndup(a, seg.data, seg.len);
      w->len[w->n++] = seg.len;
      seg.len = 0;
    } else {
      if (m->text[i] == '\\') i++;
      buf_addc(&seg, m->text[i]);
    }
  }
  buf_free(&seg);
}

/* The address and mask of a CIDR, for in_cidr. */
static void compile_cidr(struct mt_matcher *m) {
  struct pattern_fault f;
  struct pattern_cidr cidr;
  char addr[64] = "";
  if (!pattern_cidr_ok(m->text, m->len, &cidr, &f)) abort(); /* validated */
  memcpy(addr, m->text, cidr.address_len); /* a valid address is under 40 bytes */
  m->family = cidr.v6 ? AF_INET6 : AF_INET;
  m->bits = cidr.bits;
  if (inet_pton(m->family, addr, m->addr) != 1) abort();
}

/* ["op", n] or the range [">"|">=", low, "<"|"<=", high]. */
static void compile_numeric(const json_t *v, struct mt_matcher *m) {
  for (size_t i = 0; i + 1 < json_array_size(v); i += 2) {
    const char *op = json_string_value(json_array_get(v, i));
    double x = json_number_value(json_array_get(v, i + 1));
    if (op[0] == '=') m->has_lo = m->lo_incl = m->has_hi = m->hi_incl = true, m->lo = m->hi = x;
    else if (op[0] == '>') m->has_lo = true, m->lo_incl = op[1] == '=', m->lo = x;
    else m->has_hi = true, m->hi_incl = op[1] == '=', m->hi = x;
  }
}

static struct mt_matcher *add_but(struct arena *a, struct mt_matcher *m) {
  m->but = grow(a, m->but, m->nbut, sizeof *m->but);
  return &m->but[m->nbut++];
}

static void but_string(struct arena *a, struct mt_matcher *m, enum mt_op kind, const json_t *s) {
  struct mt_matcher *e = add_but(a, m);
  e->op = kind;
  e->text = json_string_value(s);
  e->len = json_string_length(s);
  if (kind == OP_WILDCARD) compile_wildcard(a, e);
}

static void compile_anything_but(struct arena *a, const json_t *v, struct mt_matcher *m) {
  size_t i;
  const json_t *s;
  if (json_is_object(v)) {
    const json_t *arg;
    const char *key = only_key(v, &arg);
    enum mt_op kind = !strcmp(key, "prefix") ? OP_PREFIX : !strcmp(key, "suffix") ? OP_SUFFIX
                      : !strcmp(key, "equals-ignore-case") ? OP_EQUALS_CI : OP_WILDCARD;
    if (!json_is_array(arg)) but_string(a, m, kind, arg);
    json_array_foreach(arg, i, s) but_string(a, m, kind, s);
    return;
  }
  if (!json_is_array(v)) {
    struct mt_matcher *e = add_but(a, m);
    e->op = OP_EXACT, e->value = v;
  }
  json_array_foreach(v, i, s) {
    struct mt_matcher *e = add_but(a, m);
    e->op = OP_EXACT, e->value = s;
  }
}

/* One {"operator": operand} inside a field's array. */
static void compile_expression(struct arena *a, const json_t *obj, struct mt_matcher *m) {
  const json_t *v;
  const char *key = only_key(obj, &v);
  if (!strcmp(key, "anything-but")) {
    m->op = OP_ANYTHING_BUT;
    compile_anything_but(a, v, m);
    return;
  }
  if (!strcmp(key, "numeric")) {
    m->op = OP_NUMERIC;
    compile_numeric(v, m);
    return;
  }
  if (!strcmp(key, "exists")) {
    m->op = OP_EXISTS;
    m->exists = json_is_true(v);
    return;
  }
  bool prefix = !strcmp(key, "prefix"), suffix = !strcmp(key, "suffix");
  bool ci = (prefix || suffix) && json_is_object(v);
  if (ci) v = json_object_get(v, "equals-ignore-case");
  m->text = json_string_value(v);
  m->len = json_string_length(v);
  m->op = prefix ? (ci ? OP_PREFIX_CI : OP_PREFIX) : suffix ? (ci ? OP_SUFFIX_CI : OP_SUFFIX)
          : !strcmp(key, "equals-ignore-case") ? OP_EQUALS_CI
          : !strcmp(key, "wildcard") ? OP_WILDCARD : OP_CIDR;
  if (m->op == OP_WILDCARD) compile_wildcard(a, m);
  if (m->op == OP_CIDR) compile_cidr(m);
}

/* A field's array: the values and match expressions it is matched against (ORed). */
static void compile_list(struct arena *a, const char *path, const json_t *list, struct mt_field *f) {
  f->path = path;
  f->list = list;
  f->n = json_array_size(list);
  f->m = arena_alloc(a, f->n * sizeof *f->m);
  size_t i;
  const json_t *v;
  json_array_foreach(list, i, v) {
    if (json_is_object(v)) {
      compile_expression(a, v, &f->m[i]);
    } else {
      f->m[i].op = OP_EXACT;
      f->m[i].value = v;
    }
  }
}

/* An object of fields: the pattern itself, a nested field, or a $or branch. Fields of
   nested objects are added to NODE with their joined path: AND is flat. */
static void compile_object(struct arena *a, const char *path, const json_t *obj,
                           struct mt_node *node) {
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    if (!strcmp(key, "$or")) {
      node->ors = grow(a, node->ors, node->nors, sizeof *node->ors);
      struct mt_or_group *g = &node->ors[node->nors++];
      g->path = join(a, path, "$or");
      g->n = json_array_size(v);
      g->branch = arena_alloc(a, g->n * sizeof *g->branch);
      size_t i;
      const json_t *item;
      json_array_foreach(v, i, item) compile_object(a, path, item, &g->branch[i]);
    } else if (json_is_object(v)) {
      compile_object(a, join(a, path, key), v, node);
    } else {
      node->field = grow(a, node->field, node->nfield, sizeof *node->field);
      compile_list(a, join(a, path, key), v, &node->field[node->nfield++]);
    }
  }
}

struct mt_pattern *mt_compile(const json_t *pattern, char **why) {
  *why = NULL;
  if (!pattern_walk(&json_ops, why, pattern)) return NULL;
  struct mt_pattern *p = xmalloc(sizeof *p);
  memset(p, 0, sizeof *p);
  p->pattern = json_deep_copy(pattern);
  compile_object(&p->arena, "", p->pattern, &p->root);
  return p;
}

void mt_free(struct mt_pattern *p) {
  if (!p) return;
  json_decref(p->pattern);
  arena_free(&p->arena);
  free(p);
}

/* ------------------------------------------------------------ the event, flattened */

struct mt_leaf {
  char *path;
  const json_t *value;
};

struct mt_leaves {
  struct mt_leaf *at;
  size_t n, cap;
};

static void add_leaf(struct mt_leaves *l, const char *path, const json_t *value) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    struct mt_leaf *bigger = xmalloc(l->cap * sizeof *bigger);
    if (l->n) memcpy(bigger, l->at, l->n * sizeof *bigger);
    free(l->at);
    l->at = bigger;
  }
  l->at[l->n].path = xstrdup(path);
  l->at[l->n++].value = value;
}

/* Every leaf under V at PATH: objects open into their fields, arrays into their
   elements at the same path, and everything else is a leaf. */
static void flatten(struct mt_leaves *l, struct buf *path, const json_t *v) {
  size_t mark = path->len;
  if (json_is_object(v)) {
    const char *key;
    json_t *sub;
    json_object_foreach((json_t *)v, key, sub) {
      if (mark) buf_addc(path, '.');
      buf_adds(path, key);
      flatten(l, path, sub);
      path->len = mark;
      path->data[mark] = 0;
    }
  } else if (json_is_array(v)) {
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) flatten(l, path, item);
  } else {
    add_leaf(l, path->data ? path->data : "", v);
  }
}

/* ------------------------------------------------------------ matching one value */

static char fold(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* ASCII case folding: event-ruler folds with Java's toLowerCase, which also folds
   non-ASCII letters; those are compared as written here. */
static bool same_ci(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (fold(a[i]) != fold(b[i])) return false;
  return true;
}

/* The first occurrence of NEEDLE in HAY at or after FROM, or (size_t)-1. */
static size_t find(const char *hay, size_t hlen, size_t from, const char *needle, size_t nlen) {
  for (size_t i = from; i + nlen <= hlen; i++)
    if (!memcmp(hay + i, needle, nlen)) return i;
  return (size_t)-1;
}

/* The first segment is a prefix, the last a suffix, and each middle one is taken at
   its leftmost place after the previous: for star patterns leftmost is always right,
   so nothing is ever retried (time O(|s| * |pattern|), no backtracking). */
static bool wildcard_match(const struct mt_wild *w, const char *s, size_t len) {
  if (w->n == 1) return w->len[0] == len && !memcmp(w->seg[0], s, len);
  size_t first = w->len[0], last = w->len[w->n - 1];
  if (first + last > len || memcmp(s, w->seg[0], first) ||
      memcmp(s + len - last, w->seg[w->n - 1], last))
    return false;
  size_t pos = first, end = len - last;
  for (size_t i = 1; i + 1 < w->n; i++) {
    size_t at = find(s, end, pos, w->seg[i], w->len[i]);
    if (at == (size_t)-1) return false;
    pos = at + w->len[i];
  }
  return true;
}

static bool same_number(const json_t *a, const json_t *b) {
  if (json_is_integer(a) && json_is_integer(b))
    return json_integer_value(a) == json_integer_value(b);
  return json_number_value(a) == json_number_value(b);
}

/* A.3: a string equals only a string, a number only a number (300 matches 300.0),
   true, false and null only themselves. */
static bool exact(const json_t *pattern, const json_t *v) {
  if (json_is_string(pattern))
    return json_is_string(v) && json_string_length(v) == json_string_length(pattern) &&
           !memcmp(json_string_value(v), json_string_value(pattern), json_string_length(v));
  if (json_is_number(pattern)) return json_is_number(v) && same_number(pattern, v);
  return json_typeof(pattern) == json_typeof(v);
}

static bool in_cidr(const struct mt_matcher *m, const char *s) {
  unsigned char addr[16];
  if (inet_pton(m->family, s, addr) != 1) return false;
  int whole = m->bits / 8, rest = m->bits % 8;
  if (memcmp(addr, m->addr, (size_t)whole)) return false;
  if (!rest) return true;
  unsigned char mask = (unsigned char)(0xFF << (8 - rest));
  return (addr[whole] & mask) == (m->addr[whole] & mask);
}

/* Whether one leaf value matches one matcher (exists is decided per field). */
static bool match_value(const struct mt_matcher *m, const json_t *v) {
  if (m->op == OP_EXACT) return exact(m->value, v);
  if (m->op == OP_ANYTHING_BUT) {
    /* A.7: null and values of other types are not excluded, so they match. */
    for (size_t i = 0; i < m->nbut; i++)
      if (match_value(&m->but[i], v)) return false;
    return true;
  }
  if (m->op == OP_NUMERIC) {
    if (!json_is_number(v)) return false;
    double x = json_number_value(v);
    if (m->has_lo && (m->lo_incl ? x < m->lo : x <= m->lo)) return false;
    if (m->has_hi && (m->hi_incl ? x > m->hi : x >= m->hi)) return false;
    return true;
  }
  if (m->op == OP_EXISTS) return false;
  if (!json_is_string(v)) return false; /* the string operators never match numbers (A.5) */
  const char *s = json_string_value(v);
  size_t len = json_string_length(v);
  switch (m->op) {
  case OP_PREFIX: return len >= m->len && !memcmp(s, m->text, m->len);
  case OP_SUFFIX: return len >= m->len && !memcmp(s + len - m->len, m->text, m->len);
  case OP_PREFIX_CI: return len >= m->len && same_ci(s, m->text, m->len);
  case OP_SUFFIX_CI: return len >= m->len && same_ci(s + len - m->len, m->text, m->len);
  case OP_EQUALS_CI: return len == m->len && same_ci(s, m->text, m->len);
  case OP_WILDCARD: return wildcard_match(&m->wild, s, len);
  case OP_CIDR: return strlen(s) == len && in_cidr(m, s);
  default: return false;
  }
}

/* ------------------------------------------------------------ matching the event */


/* Where the unknown value stands for field F: at its path (a value, unseen), above it
   (an object that may or may not hold it), or nowhere. */
enum unknown_at { UNKNOWN_NOWHERE, UNKNOWN_HERE, UNKNOWN_ABOVE };

static enum unknown_at unknown_for(const struct mt_field *f, const struct mt_leaves *l,
                                   const json_t *unknown) {
  enum unknown_at at = UNKNOWN_NOWHERE;
  for (size_t i = 0; unknown && i < l->n && at != UNKNOWN_HERE; i++) {
    if (l->at[i].value != unknown) continue;
    size_t n = strlen(l->at[i].path);
    if (!strcmp(l->at[i].path, f->path)) at = UNKNOWN_HERE;
    else if (!n || (!strncmp(f->path, l->at[i].path, n) && f->path[n] == '.')) at = UNKNOWN_ABOVE;
  }
  return at;
}

static enum mt_verdict match_field(const struct mt_field *f, const struct mt_leaves *l,
                                   const json_t *unknown, char **why) {
  size_t found = 0;
  const json_t *first = NULL;
  for (size_t i = 0; i < l->n; i++) {
    if (strcmp(l->at[i].path, f->path) || (unknown && l->at[i].value == unknown)) continue;
    if (!found++) first = l->at[i].value;
    for (size_t j = 0; j < f->n; j++)
      if (f->m[j].op != OP_EXISTS && match_value(&f->m[j], l->at[i].value)) return MT_YES;
  }
  /* An unknown value here is present, one above may or may not hold the field. */
  enum unknown_at at = unknown_for(f, l, unknown);
  enum mt_verdict verdict = at == UNKNOWN_NOWHERE ? MT_NO : MT_MAYBE;
  for (size_t j = 0; j < f->n; j++) {
    if (f->m[j].op != OP_EXISTS) continue;
    if (at == UNKNOWN_ABOVE && !found) continue;
    bool present = found > 0 || at == UNKNOWN_HERE;
    if (f->m[j].exists == present) return MT_YES;
  }
  if (at == UNKNOWN_HERE) {
    bool only_exists = true;
    for (size_t j = 0; j < f->n; j++) only_exists = only_exists && f->m[j].op == OP_EXISTS;
    if (only_exists) verdict = MT_NO;
  }
  if (verdict == MT_NO && why) {
    char *want = rt_json_text(f->list);
    if (!found) {
      /* An object is not a leaf (A.9): say so rather than "missing". */
      size_t n = strlen(f->path);
      bool object = false;
      for (size_t i = 0; i < l->n && !object; i++)
        object = !strncmp(l->at[i].path, f->path, n) && l->at[i].path[n] == '.';
      *why = format("%s: %s, which does not match %s", f->path,
                    object ? "an object, not a value" : "missing", want);
    } else {
      char *value = rt_json_text(first);
      *why = found > 1 ? format("%s: none of its %zu values (the first %s) matches %s",
                                   f->path, found, value, want)
                       : format("%s: %s does not match %s", f->path, value, want);
      free(value);
    }
    free(want);
  }
  return verdict;
}

/* Every field and every $or group: the least of their verdicts. */
static enum mt_verdict match_node(const struct mt_node *node, const struct mt_leaves *l,
                                  const json_t *unknown, char **why) {
  enum mt_verdict all = MT_YES;
  for (size_t i = 0; i < node->nfield && all != MT_NO; i++) {
    enum mt_verdict v = match_field(&node->field[i], l, unknown, why);
    if (v < all) all = v;
  }
  for (size_t i = 0; i < node->nors && all != MT_NO; i++) {
    const struct mt_or_group *g = &node->ors[i];
    char *first = NULL;
    enum mt_verdict any = MT_NO;
    for (size_t b = 0; b < g->n && any != MT_YES; b++) {
      char *branch_why = NULL;
      enum mt_verdict v = match_node(&g->branch[b], l, unknown, why && !first ? &branch_why : NULL);
      if (v > any) any = v;
      if (!first) first = branch_why;
      else free(branch_why);
    }
    if (any == MT_NO && why)
      *why = format("%s: none of its %zu branches matches (the first: %s)", g->path, g->n,
                    first ? first : "?");
    free(first);
    if (any < all) all = any;
  }
  return all;
}

static enum mt_verdict match_event(const struct mt_pattern *p, const json_t *event,
                                   const json_t *unknown, char **why) {
  struct mt_leaves l = {0};
  struct buf path = {0};
  flatten(&l, &path, event);
  buf_free(&path);
  if (why) *why = NULL;
  enum mt_verdict v = match_node(&p->root, &l, unknown, why);
  for (size_t i = 0; i < l.n; i++) free(l.at[i].path);
  free(l.at);
  return v;
}

enum mt_verdict mt_match3(const struct mt_pattern *p, const json_t *event, const json_t *unknown) {
  return match_event(p, event, unknown, NULL);
}

bool mt_match(const struct mt_pattern *p, const json_t *event, char **why) {
  return match_event(p, event, NULL, why) == MT_YES;
}
