/* match.c: EventBridge event patterns, compiled from JSON and matched against events.
 *
 * The pattern is read as compiler/patterns.c checks it (the grammar of the reference's
 * A.1): an object of fields, each an object (a nested field), an array of matchers, or
 * "$or" with at least two sub-patterns; the messages for refused patterns are the ones
 * patterns.c prints, which are AWS's words lowercased and followed by what was expected.
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

struct mt_compiler {
  struct arena *arena;
  char *why;                /* the first error; compiling stops there */
};

static bool fail(struct mt_compiler *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(struct mt_compiler *c, const char *path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  struct buf b = {0};
  if (path && *path) buf_printf(&b, "%s: ", path);
  buf_adds(&b, msg);
  free(msg);
  c->why = b.data;
  return false;
}

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

/* ------------------------------------------------------------ operands */


/* Reports a rule patterns.c found broken in an operand. */
static bool fail_fault(struct mt_compiler *c, const char *path, struct pattern_fault *f) {
  fail(c, path, "%s", f->message);
  free(f->message);
  return false;
}

/* A valid wildcard split at its unescaped stars ("\*" is a star, "\\" a backslash). */
static bool compile_wildcard(struct mt_compiler *c, const char *path, const char *t, size_t len,
                             struct mt_wild *w) {
  struct pattern_fault f;
  if (!pattern_wildcard_ok(t, len, &f)) return fail_fault(c, path, &f);
  struct buf seg = {0};
  buf_adds(&seg, "");
  w->n = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i == len || t[i] == '*') {
      w->seg = grow(c->arena, w->seg, w->n, sizeof *w->seg);
      w->len = grow(c->arena, w->len, w->n, sizeof *w->len);
      w->seg[w->n] = arena_strndup(c->arena, seg.data, seg.len);
      w->len[w->n++] = seg.len;
      seg.len = 0;
    } else {
      if (t[i] == '\\') i++;
      buf_addc(&seg, t[i]);
    }
  }
  buf_free(&seg);
  return true;
}

/* A valid CIDR's address and mask, for in_cidr. */
static bool compile_cidr(struct mt_compiler *c, const char *path, const char *t, size_t len,
                         struct mt_matcher *m) {
  struct pattern_fault f;
  struct pattern_cidr cidr;
  if (!pattern_cidr_ok(t, len, &cidr, &f)) return fail_fault(c, path, &f);
  char addr[64] = "";
  memcpy(addr, t, cidr.address_len); /* a valid address is shorter than 40 bytes */
  m->family = cidr.v6 ? AF_INET6 : AF_INET;
  m->bits = cidr.bits;
  return inet_pton(m->family, addr, m->addr) == 1 ||
         fail(c, path, "invalid IP address: \"%s\"", addr);
}

static const char *numeric_op(const json_t *v) {
  return json_is_string(v) ? pattern_numeric_op(json_string_value(v), json_string_length(v))
                           : NULL;
}

static bool numeric_operand(struct mt_compiler *c, const char *path, const char *op,
                            const json_t *v, double *out) {
  if (!json_is_number(v))
    return fail(c, path, "value of %s must be numeric", !strcmp(op, "=") ? "equals" : op);
  *out = json_number_value(v);
  return true;
}

/* ["op", n] with op one of = < <= > >=, or the range [">"|">=", low, "<"|"<=", high]. */
static bool compile_numeric(struct mt_compiler *c, const char *path, const json_t *v,
                            struct mt_matcher *m) {
  static const char ops_expected[] = "expected \"=\", \"<\", \"<=\", \">\" or \">=\"";
  if (!json_is_array(v))
    return fail(c, path, "value of numeric must be an array: expected [\"op\", number] or "
                         "[\">\", low, \"<\", high]");
  size_t n = json_array_size(v);
  if (n == 0)
    return fail(c, path, "empty arrays are not allowed: numeric needs an operator and a "
                         "number, e.g. [\">\", 0]");
  const json_t *first = json_array_get(v, 0);
  if (!json_is_string(first)) return fail(c, path, "invalid member in numeric match: %s", ops_expected);
  const char *op = numeric_op(first);
  if (!op)
    return fail(c, path, "unrecognized numeric range operator \"%s\": %s",
                json_string_value(first), ops_expected);
  double x = 0;
  if (!numeric_operand(c, path, op, json_array_get(v, 1), &x)) return false;
  if (op[0] == '=') m->has_lo = m->lo_incl = m->has_hi = m->hi_incl = true, m->lo = m->hi = x;
  else if (op[0] == '>') m->has_lo = true, m->lo_incl = op[1] == '=', m->lo = x;
  else m->has_hi = true, m->hi_incl = op[1] == '=', m->hi = x;
  if (n == 2) return true;
  const json_t *second = json_array_get(v, 2);
  if (op[0] != '>') {
    bool range = op[0] == '<' && json_is_string(second) && json_string_value(second)[0] == '>';
    return fail(c, path, "too many elements in numeric expression: \"%s\" takes one number%s",
                op, range ? " (a range starts with its lower bound: [\">\", low, \"<\", high])"
                          : "");
  }
  if (!json_is_string(second))
    return fail(c, path, "bad value in numeric range: expected \"<\" or \"<=\"");
  const char *op2 = numeric_op(second);
  if (!op2 || op2[0] != '<')
    return fail(c, path, "bad numeric range operator: \"%s\": expected \"<\" or \"<=\" after "
                         "the lower bound", json_string_value(second));
  if (!numeric_operand(c, path, op2, json_array_get(v, 3), &x)) return false;
  m->has_hi = true, m->hi_incl = op2[1] == '=', m->hi = x;
  if (n > 4)
    return fail(c, path, "too many terms in numeric range expression: expected "
                         "[\">\", low, \"<\", high]");
  if (m->lo >= m->hi) {
    char *a = rt_json_text(json_array_get(v, 1)), *b = rt_json_text(json_array_get(v, 3));
    fail(c, path, "bottom must be less than top: %s is not less than %s", a, b);
    free(a);
    free(b);
    return false;
  }
  return true;
}

/* One string after {"anything-but": {"prefix": ...}} and the others. */
static bool compile_but_string(struct mt_compiler *c, const char *path, enum mt_op kind,
                               const json_t *s, struct mt_matcher *m) {
  if (!json_is_string(s)) {
    if (kind == OP_EQUALS_CI)
      return fail(c, path, "inside anything-but/equals-ignore-case list, "
                           "number|start|null|boolean is not supported: expected strings");
    if (kind == OP_WILDCARD) return fail(c, path, "wildcard match pattern must be a string");
    return fail(c, path, "prefix/suffix match pattern must be a string");
  }
  m->op = kind;
  m->text = json_string_value(s);
  m->len = json_string_length(s);
  if ((kind == OP_PREFIX || kind == OP_SUFFIX) && m->len == 0)
    return fail(c, path, "null prefix/suffix not allowed: expected a non-empty string");
  if (kind == OP_WILDCARD) return compile_wildcard(c, path, m->text, m->len, &m->wild);
  return true;
}

static bool add_but(struct mt_compiler *c, struct mt_matcher *m, struct mt_matcher **out) {
  m->but = grow(c->arena, m->but, m->nbut, sizeof *m->but);
  *out = &m->but[m->nbut++];
  return true;
}

static bool compile_anything_but(struct mt_compiler *c, const char *path, const json_t *v,
                                 struct mt_matcher *m) {
  struct mt_matcher *e;
  if (json_is_string(v) || json_is_number(v)) {
    add_but(c, m, &e);
    e->op = OP_EXACT, e->value = v;
    return true;
  }
  if (json_is_object(v)) {
    size_t n = json_object_size(v);
    if (n == 0)
      return fail(c, path, "anything-but expression name not found: expected "
                           PATTERN_ANYTHING_BUT_LIST);
    if (n > 1) return fail(c, path, "only one key allowed in match expression");
    const char *key = json_object_iter_key(json_object_iter((json_t *)v));
    const json_t *arg = json_object_iter_value(json_object_iter((json_t *)v));
    enum mt_op kind = !strcmp(key, "prefix") ? OP_PREFIX : !strcmp(key, "suffix") ? OP_SUFFIX
                 : !strcmp(key, "equals-ignore-case") ? OP_EQUALS_CI
                 : !strcmp(key, "wildcard") ? OP_WILDCARD : OP_EXACT;
    const char *guess = pattern_suggest(key, true);
    if (kind == OP_EXACT && guess)
      return fail(c, path, "unsupported anything-but pattern \"%s\": did you mean \"%s\"?", key,
                  guess);
    if (kind == OP_EXACT)
      return fail(c, path, "unsupported anything-but pattern \"%s\": expected "
                           PATTERN_ANYTHING_BUT_LIST, key);
    if (json_is_object(arg))
      return fail(c, path, "value of anything-but must be an array or single string/number "
                           "value: anything-but %s takes a string or a list of strings", key);
    if (!json_is_array(arg)) return add_but(c, m, &e) && compile_but_string(c, path, kind, arg, e);
    if (json_array_size(arg) == 0)
      return fail(c, path, "empty arrays are not allowed: anything-but %s needs at least one "
                           "string", key);
    size_t i;
    const json_t *s;
    json_array_foreach(arg, i, s)
      if (!add_but(c, m, &e) || !compile_but_string(c, path, kind, s, e)) return false;
    return true;
  }
  if (!json_is_array(v))
    return fail(c, path, "value of anything-but must be an array or single string/number value");
  /* A list: all strings or all numbers. */
  if (json_array_size(v) == 0)
    return fail(c, path, "empty arrays are not allowed: anything-but needs at least one string "
                         "or number");
  size_t i;
  const json_t *s;
  json_array_foreach(v, i, s) {
    if (!json_is_string(s) && !json_is_number(s))
      return fail(c, path, "inside anything but list, start|null|boolean is not supported: "
                           "expected only strings or only numbers");
    if (json_is_string(s) != json_is_string(json_array_get(v, 0)))
      return fail(c, path, "inside anything but list, either all values are number or string, "
                           "mixed type is not supported");
    add_but(c, m, &e);
    e->op = OP_EXACT, e->value = s;
  }
  return true;
}

/* prefix and suffix take a string or {"equals-ignore-case": string}. */
static bool compile_prefix_suffix(struct mt_compiler *c, const char *path, const char *name,
                                  const json_t *v, struct mt_matcher *m) {
  bool prefix = name[0] == 'p';
  if (json_is_string(v)) {
    m->op = prefix ? OP_PREFIX : OP_SUFFIX;
  } else if (!json_is_object(v)) {
    return fail(c, path, "%s match pattern must be a string", name);
  } else {
    const char *key = json_object_size(v) ? json_object_iter_key(json_object_iter((json_t *)v)) : "";
    if (strcmp(key, "equals-ignore-case"))
      return fail(c, path, "%s match pattern must be a string or {\"equals-ignore-case\": "
                           "string}", name);
    if (json_object_size(v) > 1) return fail(c, path, "only one key allowed in match expression");
    v = json_object_get(v, "equals-ignore-case");
    if (!json_is_string(v))
      return fail(c, path, "equals-ignore-case match pattern must be a string");
    m->op = prefix ? OP_PREFIX_CI : OP_SUFFIX_CI;
  }
  m->text = json_string_value(v);
  m->len = json_string_length(v);
  return true;
}


/* One {"operator": operand} inside a field's array. */
static bool compile_expression(struct mt_compiler *c, const char *path, const json_t *obj,
                               struct mt_matcher *m) {
  if (json_object_size(obj) == 0)
    return fail(c, path, "match expression name not found: expected one of " PATTERN_MATCH_LIST);
  if (json_object_size(obj) > 1) return fail(c, path, "only one key allowed in match expression");
  void *it = json_object_iter((json_t *)obj);
  const char *key = json_object_iter_key(it);
  const json_t *v = json_object_iter_value(it);
  if (!strcmp(key, "prefix") || !strcmp(key, "suffix"))
    return compile_prefix_suffix(c, path, key, v, m);
  if (!strcmp(key, "anything-but")) {
    m->op = OP_ANYTHING_BUT;
    return compile_anything_but(c, path, v, m);
  }
  if (!strcmp(key, "numeric")) {
    m->op = OP_NUMERIC;
    return compile_numeric(c, path, v, m);
  }
  if (!strcmp(key, "exists")) {
    if (!json_is_boolean(v))
      return fail(c, path, "exists match pattern must be either true or false");
    m->op = OP_EXISTS;
    m->exists = json_is_true(v);
    return true;
  }
  bool string_op = !strcmp(key, "equals-ignore-case") || !strcmp(key, "wildcard") ||
                   !strcmp(key, "cidr");
  if (!string_op) {
    if (!strcmp(key, "exactly"))
      return fail(c, path, "unrecognized match type \"%s\": EventBridge does not document it; "
                           "an exact match is the plain value, e.g. [\"x\"]", key);
    if (pattern_reserved(key))
      return fail(c, path, "unrecognized match type \"%s\": it is reserved for future use; "
                             "expected one of " PATTERN_MATCH_LIST, key);
    const char *guess = pattern_suggest(key, false);
    if (guess) return fail(c, path, "unrecognized match type \"%s\": did you mean \"%s\"?", key, guess);
    return fail(c, path, "unrecognized match type \"%s\": expected one of " PATTERN_MATCH_LIST, key);
  }
  if (!json_is_string(v)) return fail(c, path, "%s match pattern must be a string", key);
  m->text = json_string_value(v);
  m->len = json_string_length(v);
  if (key[0] == 'e') m->op = OP_EQUALS_CI;
  else if (key[0] == 'w') m->op = OP_WILDCARD;
  else m->op = OP_CIDR;
  if (m->op == OP_WILDCARD) return compile_wildcard(c, path, m->text, m->len, &m->wild);
  if (m->op == OP_CIDR) return compile_cidr(c, path, m->text, m->len, m);
  return true;
}

/* AWS's complexity limit on the wildcards of one field's array. */
static bool wildcards_simple(struct mt_compiler *c, const struct mt_field *f) {
  const char **text = arena_alloc(c->arena, f->n * sizeof *text);
  size_t *len = arena_alloc(c->arena, f->n * sizeof *len), n = 0, culprit;
  for (size_t i = 0; i < f->n; i++)
    if (f->m[i].op == OP_WILDCARD) text[n] = f->m[i].text, len[n++] = f->m[i].len;
  struct pattern_fault fault;
  return pattern_wildcards_ok(text, len, n, &culprit, &fault) || fail_fault(c, f->path, &fault);
}

/* A field's array: the values and match expressions it is matched against (ORed). */
static bool compile_list(struct mt_compiler *c, const char *path, const json_t *list,
                         struct mt_field *f) {
  f->path = path;
  f->list = list;
  f->n = json_array_size(list);
  if (f->n == 0)
    return fail(c, path, "empty arrays are not allowed: expected at least one value to match");
  f->m = arena_alloc(c->arena, f->n * sizeof *f->m);
  size_t i;
  const json_t *v;
  json_array_foreach(list, i, v) {
    if (json_is_array(v))
      return fail(c, path, "match value must be a string, number, true, false, null or a "
                           "match expression, not an array");
    if (json_is_object(v)) {
      if (!compile_expression(c, path, v, &f->m[i])) return false;
    } else {
      f->m[i].op = OP_EXACT;
      f->m[i].value = v;
    }
  }
  return wildcards_simple(c, f);
}

static bool compile_object(struct mt_compiler *c, const char *path, const json_t *obj,
                           struct mt_node *node, bool in_or);

/* "$or": [ {...}, {...}, ... ]: at least two sub-patterns at the current level. */
static bool compile_or(struct mt_compiler *c, const char *path, const json_t *v, struct mt_node *node) {
  const char *at = join(c->arena, path, "$or");
  if (!json_is_array(v)) return fail(c, at, "\"$or\" must be an array of at least 2 objects");
  size_t i;
  const json_t *item;
  json_array_foreach(v, i, item)
    if (!json_is_object(item))
      return fail(c, at, "only JSON objects are allowed in the array of \"$or\"");
  if (json_array_size(v) < 2)
    return fail(c, at, "\"$or\" needs at least 2 objects, found %zu", json_array_size(v));
  node->ors = grow(c->arena, node->ors, node->nors, sizeof *node->ors);
  struct mt_or_group *g = &node->ors[node->nors++];
  g->path = at;
  g->n = json_array_size(v);
  g->branch = arena_alloc(c->arena, g->n * sizeof *g->branch);
  json_array_foreach(v, i, item)
    if (!compile_object(c, path, item, &g->branch[i], true)) return false;
  return true;
}

/* An object of fields: the pattern itself, a nested field, or a $or branch. Fields of
   nested objects are added to NODE with their joined path: AND is flat. */
static bool compile_object(struct mt_compiler *c, const char *path, const json_t *obj,
                           struct mt_node *node, bool in_or) {
  if (json_object_size(obj) == 0)
    return fail(c, path, "empty objects are not allowed: expected at least one field");
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    if (!strcmp(key, "$or")) {
      if (!compile_or(c, path, v, node)) return false;
      continue;
    }
    if (in_or && pattern_reserved_in_or(key))
      return fail(c, path, "\"%s\" is a reserved name that cannot be used as a field inside $or",
                  key);
    const char *sub = join(c->arena, path, key);
    if (json_is_object(v)) {
      if (!compile_object(c, sub, v, node, in_or)) return false;
    } else if (json_is_array(v)) {
      node->field = grow(c->arena, node->field, node->nfield, sizeof *node->field);
      if (!compile_list(c, sub, v, &node->field[node->nfield++])) return false;
    } else {
      return fail(c, path, "\"%s\" must be an object or an array", key);
    }
  }
  return true;
}

struct mt_pattern *mt_compile(const json_t *pattern, char **why) {
  struct mt_pattern *p = xmalloc(sizeof *p);
  memset(p, 0, sizeof *p);
  p->pattern = json_deep_copy(pattern);
  struct mt_compiler c = {&p->arena, NULL};
  bool ok = json_is_object(p->pattern)
                ? compile_object(&c, "", p->pattern, &p->root, false)
                : fail(&c, NULL, "an event pattern must be an object of fields, e.g. "
                                 "{\"source\": [\"aws.s3\"]}");
  if (!ok) {
    *why = c.why;
    mt_free(p);
    return NULL;
  }
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

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  return s;
}

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
