/* patterns.c: EventBridge event patterns, checked before they are deployed.
 *
 * This file owns the pattern grammar, for the compiler and the runtime alike: one
 * walker, pattern_walk, over any node type given through pattern_ops (the checker's
 * .sf values here, runtime/match.c's Jansson values), and the operand rules (wildcard,
 * cidr, numeric operators, AWS's wildcard complexity limit) written once.
 *
 * A pattern is written in .sf as a plain JSON value. The walker reads it the way
 * event-ruler's JsonRuleCompiler (the matcher behind EventBridge) reads it: objects
 * of fields, each field an object (a nested field) or an array of matchers, and each
 * matcher a value or a one-key match expression such as {"prefix": "x"}. Everything
 * AWS would reject when the rule is created is reported here, at the offending node,
 * in AWS's own words where they are known (lowercased, without the final period) and
 * followed by what was expected. Every error is reported and the walk goes on.
 *
 * lower.c's plain_value() turns a checked pattern into located JSON for the model; lowering
 * judges its size there, on the text AWS receives.
 */
#include "sfc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NUMERIC_LIMIT 5e9          /* the range AWS documents for numeric matching */
#define NUMERIC_DECIMALS 6

struct pcheck {
  struct diag *d;
  bool ok;
};

/* ------------------------------------------------------------ names */

enum match {
  M_PREFIX, M_SUFFIX, M_EQUALS_IGNORE_CASE, M_WILDCARD, M_ANYTHING_BUT, M_NUMERIC,
  M_EXISTS, M_CIDR, M_UNKNOWN
};

/* Case-sensitive, as AWS reads them. */
static const char *const match_names[] = {
  "prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric",
  "exists", "cidr"
};
#define N_MATCH (sizeof match_names / sizeof *match_names)

#define MATCH_LIST "prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, " \
                   "exists or cidr"

/* What may follow "anything-but": the first four match names. */
#define N_ANYTHING_BUT 4
#define ANYTHING_BUT_LIST "prefix, suffix, equals-ignore-case or wildcard"

/* event-ruler knows these too: "exactly" works there but is not documented for
   EventBridge, the rest are reserved for future operators. */
static const char *const reserved_names[] = {
  "exactly", "regex", "not-wildcard", "not-equals-ignore-case", "date-after",
  "date-on-or-after", "date-before", "date-on-or-before", "in-date-range",
  "ip-address-in-range", "ip-address-not-in-range"
};

static const char *const numeric_ops[] = {"=", "<", "<=", ">", ">="};

static enum match match_kind(const char *name, size_t count) {
  for (size_t i = 0; i < count; i++)
    if (!strcmp(name, match_names[i])) return (enum match)i;
  return M_UNKNOWN;
}

static bool in_list(const char *name, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(name, list[i])) return true;
  return false;
}

/* Field names event-ruler refuses inside a $or branch, where they would be ambiguous
   (its RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP). */
static bool reserved_in_or(const char *name) {
  return match_kind(name, N_MATCH) != M_UNKNOWN ||
         in_list(name, reserved_names, sizeof reserved_names / sizeof *reserved_names) ||
         in_list(name, numeric_ops, sizeof numeric_ops / sizeof *numeric_ops);
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* Edit distance ignoring case, for "did you mean"; long words are not compared. */
static int distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 40 || m > 40) return 99;
  int row[41];
  for (size_t j = 0; j <= m; j++) row[j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    int diag = row[0];
    row[0] = (int)i;
    for (size_t j = 1; j <= m; j++) {
      int up = row[j];
      int best = diag + (lower(a[i - 1]) != lower(b[j - 1]));
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[m];
}

/* The match name NAME was probably meant to be, or NULL. */
static const char *suggest(const char *name, size_t count) {
  const char *best = NULL;
  int best_distance = 3;
  for (size_t i = 0; i < count; i++) {
    int dist = distance(name, match_names[i]);
    if (dist < best_distance && (size_t)dist * 3 < strlen(match_names[i])) {
      best = match_names[i];
      best_distance = dist;
    }
  }
  return best;
}

/* ------------------------------------------------------------ reporting */

static void report(struct pcheck *p, struct loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report(struct pcheck *p, struct loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  diag_error(p->d, loc, "%s", msg);
  free(msg);
  p->ok = false;
}

/* User text for a message: quoted, control bytes escaped, long text cut short. */
#define QUOTE_SIZE 64
static const char *quote(char out[QUOTE_SIZE], const char *s, size_t len) {
  size_t o = 0;
  out[o++] = '"';
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (o + 8 >= QUOTE_SIZE) {
      while (o > 1 && ((unsigned char)out[o - 1] & 0xC0) == 0x80) o--; /* whole characters */
      if (o > 1 && (unsigned char)out[o - 1] >= 0xC0) o--;
      memcpy(out + o, "...", 3);
      o += 3;
      break;
    }
    if (c < 0x20 || c == 0x7f) o += (size_t)snprintf(out + o, QUOTE_SIZE - o, "\\x%02x", c);
    else out[o++] = (char)c;
  }
  out[o++] = '"';
  out[o] = 0;
  return out;
}

/* The source location of bytes [index, index + n) of a string's decoded text. The
   literal is read again from the source (escapes, """ strings, $${); when that is not
   possible the whole string is blamed. */
static struct loc string_part_loc(const struct diag *d, const struct value *v, size_t index,
                                  size_t n) {
  struct loc whole = v->loc;
  if (whole.file < 0 || whole.file >= d->nfiles) return whole;
  const struct source *src = &d->files[whole.file];
  if (whole.start < 0 || whole.end > (int)src->len || whole.start >= whole.end) return whole;
  const char *t = src->text;
  int pos = whole.start, end = whole.end;
  if (end - pos >= 6 && !strncmp(t + pos, "\"\"\"", 3)) pos += 3, end -= 3;
  else if (t[pos] == '"') pos += 1, end -= 1;
  else return whole;

  size_t decoded = 0;
  int start = -1;
  while (pos <= end) {
    if (start < 0 && decoded >= index) start = pos;
    if (start >= 0 && decoded >= index + n) break;
    if (pos == end) break;
    int raw = 1;
    size_t bytes = 1;
    if (t[pos] == '\\' && pos + 1 < end && t[pos + 1] == 'u' && pos + 6 <= end) {
      char hex[5] = {t[pos + 2], t[pos + 3], t[pos + 4], t[pos + 5], 0};
      unsigned long cp = strtoul(hex, NULL, 16);
      raw = 6;
      bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
      if (cp >= 0xD800 && cp <= 0xDBFF) raw = 12, bytes = 4; /* a surrogate pair */
    } else if (t[pos] == '\\') {
      raw = 2;
    } else if (!strncmp(t + pos, "$${", 3)) {
      raw = 3, bytes = 2;
    }
    pos += raw;
    decoded += bytes;
  }
  if (start < 0 || pos > end) return whole;
  return (struct loc){whole.file, start, pos > start ? pos : start + 1};
}

/* ------------------------------------------------------------ values */

static double number(const struct value *v) {
  return v->kind == V_INT ? (double)v->integer : v->real;
}

/* A number as written, for messages. */
static const char *number_text(char out[32], const struct value *v) {
  if (v->kind == V_INT) snprintf(out, 32, "%lld", v->integer);
  else if (v->text && strlen(v->text) < 32) snprintf(out, 32, "%s", v->text);
  else snprintf(out, 32, "%.17g", v->real);
  return out;
}

/* Numbers EventBridge compares as numbers: AWS documents a range and a precision, and
   event-ruler rejects what it cannot represent, so going beyond is not portable. */
static void numeric_limits(struct pcheck *p, const struct value *v) {
  char text[32];
  double x = number(v);
  if (x > NUMERIC_LIMIT || x < -NUMERIC_LIMIT) {
    diag_warning(p->d, W_NUMERIC_MATCH, v->loc,
                 "%s is outside -5e9 to 5e9, the range EventBridge documents for numeric "
                 "matching", number_text(text, v));
    return;
  }
  if (v->kind != V_REAL) return;
  char fixed[64];
  for (int places = 0; places <= NUMERIC_DECIMALS; places++) {
    snprintf(fixed, sizeof fixed, "%.*f", places, x);
    if (strtod(fixed, NULL) == x) return;
  }
  diag_warning(p->d, W_NUMERIC_MATCH, v->loc,
               "%s has more than %d digits after the decimal point, the precision EventBridge "
               "documents for numeric matching", number_text(text, v), NUMERIC_DECIMALS);
}

/* ------------------------------------------------------------ string operands */

/* These rules are the grammar's for both the checker and runtime/match.c: each judges
   an operand's decoded text and says what is wrong with which of its bytes; the
   checker turns the bytes into a source location, the matcher prefixes the field. */

static bool fault(struct pattern_fault *f, size_t at, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool fault(struct pattern_fault *f, size_t at, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  f->message = xvasprintf(fmt, ap);
  va_end(ap);
  f->at = at;
  f->len = len;
  return false;
}

/* Wildcard text as event-ruler's WildcardParser reads it: "\*" is a star, "\\" a
   backslash, nothing else may follow a backslash, and two stars may not touch.
   Positions in AWS's messages count bytes with the opening quote, so they are one
   more than the index. */
static bool wildcard_ok(const char *t, size_t len, struct pattern_fault *f) {
  for (size_t i = 0; i < len; i++) {
    if (t[i] == '*' && i + 1 < len && t[i + 1] == '*')
      return fault(f, i, 2, "consecutive wildcard characters at pos %zu: one '*' already "
                            "matches any run of characters", i + 1);
    if (t[i] == '\\') {
      if (i + 1 < len && (t[i + 1] == '*' || t[i + 1] == '\\')) {
        i++;
        continue;
      }
      return fault(f, i, 1, "invalid escape character at pos %zu: in a wildcard a backslash "
                            "escapes only '*' or another backslash", i + 1);
    }
  }
  return true;
}

static bool is_digits(const char *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

static bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Four decimal octets, 0-255, without leading zeros (Java reads those as ambiguous). */
static bool valid_ipv4(const char *s, size_t n) {
  size_t i = 0;
  for (int octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (i >= n || s[i] != '.') return false;
      i++;
    }
    size_t start = i;
    int value = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4)
      value = value * 10 + (s[i++] - '0');
    size_t digits = i - start;
    if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s[start] == '0')) return false;
  }
  return i == n;
}

/* Groups of 1-4 hex digits split by single colons; COUNT receives how many. */
static bool ipv6_groups(const char *s, size_t n, int *count) {
  *count = 0;
  if (n == 0) return true;
  size_t i = 0;
  for (;;) {
    size_t start = i;
    while (i < n && is_hex(s[i])) i++;
    if (i == start || i - start > 4) return false;
    (*count)++;
    if (i == n) return true;
    if (s[i] != ':') return false;
    i++;
  }
}

/* The RFC 4291 text forms without an embedded IPv4 part (event-ruler's IPv6 pattern
   has no dots): eight groups, or fewer around one "::". */
static bool valid_ipv6(const char *s, size_t n) {
  const char *gap = NULL;
  for (size_t i = 0; i + 1 < n; i++)
    if (s[i] == ':' && s[i + 1] == ':') {
      if (gap) return false;
      gap = s + i;
      i++;
    }
  int left, right;
  if (!gap) return ipv6_groups(s, n, &left) && left == 8;
  size_t before = (size_t)(gap - s);
  if (before + 2 < n && s[before + 2] == ':') return false;
  return ipv6_groups(s, before, &left) && ipv6_groups(gap + 2, n - before - 2, &right) &&
         left + right <= 7;
}

/* event-ruler's CIDR.cidr(): one '/', an integer mask, an address that looks like IPv4
   or IPv6 and parses, and a mask below the address width. */
bool pattern_cidr_ok(const char *t, size_t len, struct pattern_cidr *out, struct pattern_fault *f) {
  char q[QUOTE_SIZE];
  size_t slash = len, slashes = 0;
  for (size_t i = 0; i < len; i++)
    if (t[i] == '/') slash = slashes++ ? slash : i;
  if (slashes != 1)
    return fault(f, 0, PATTERN_WHOLE, "malformed CIDR, one '/' required: expected an address "
                                      "and a prefix length, e.g. \"10.0.0.0/24\"");
  const char *mask = t + slash + 1;
  size_t mask_len = len - slash - 1;
  size_t mask_at = mask_len ? slash + 1 : slash, mask_bytes = mask_len ? mask_len : 1;
  if (mask_len > 1 && mask[0] == '-' && is_digits(mask + 1, mask_len - 1))
    return fault(f, mask_at, mask_bytes, "malformed CIDR, mask bits must not be negative");
  if (!is_digits(mask, mask_len))
    return fault(f, mask_at, mask_bytes, "malformed CIDR, mask bits must be an integer, found %s",
                 quote(q, mask, mask_len));
  int bits = 0;
  for (size_t i = 0; i < mask_len && bits < 1000; i++) bits = bits * 10 + (mask[i] - '0');

  /* event-ruler's two shapes: digits and three dots, or hex digits and colons. */
  bool all_v4 = slash > 0, all_v6 = slash > 0, colon = false;
  int dots = 0;
  for (size_t i = 0; i < slash; i++) {
    if (!(t[i] >= '0' && t[i] <= '9') && t[i] != '.') all_v4 = false;
    if (!is_hex(t[i]) && t[i] != ':') all_v6 = false;
    dots += t[i] == '.';
    colon = colon || t[i] == ':';
  }
  bool v4_shape = all_v4 && dots == 3, v6_shape = all_v6 && colon;
  size_t addr_bytes = slash ? slash : 1;
  if (!v4_shape && !v6_shape)
    return fault(f, 0, addr_bytes, "nonstandard IP address: %s: expected an IPv4 or IPv6 address",
                 quote(q, t, slash));
  if (v4_shape ? !valid_ipv4(t, slash) : !valid_ipv6(t, slash))
    return fault(f, 0, addr_bytes, "invalid IP address: %s: expected %s", quote(q, t, slash),
                 v4_shape ? "four numbers 0-255 without leading zeros, e.g. 10.0.0.0"
                          : "eight groups of 1-4 hex digits, or fewer around one \"::\"");
  int width = v4_shape ? 32 : 128;
  if (bits >= width)
    return fault(f, mask_at, mask_bytes, "mask bits must be < %d for an %s address (to match "
                 "one address, write it as a plain string)", width, v4_shape ? "IPv4" : "IPv6");
  out->v6 = !v4_shape;
  out->address_len = slash;
  out->bits = bits;
  return true;
}

/* ------------------------------------------------------------ wildcard complexity */

/* AWS refuses a field whose wildcards could leave too many of their prefixes matching
   one value at once (A.6). The measure is event-ruler's MachineComplexityEvaluator:
   each wildcard, its text between the quotes event-ruler adds, is a chain of states,
   one per byte or star consumed, where a star's state loops on every byte and can be
   skipped; a value's bytes are fed to all of a field's wildcards together, and the
   complexity is the largest number of states active after some byte (equal wildcards
   count once; anything-but wildcards are not counted, as event-ruler counts only
   wildcard matches). "*a*a*a*" has 7 ("*", "*a", ..., "*a*a*a*" all match "aaa").
   The states are searched as sets over the bytes the wildcards name plus one for
   every other byte, until the limit is reached or MAX_SETS sets were seen.
   AWS publishes no limit: recorded, it refused five "*:" then "event-bus/" and a star
   (10), and accepted "/Users/", a star, then "/dir" five times and "/doc.txt" (7), so
   sfc refuses from 10: it never refuses what AWS might accept beyond what was seen. (Wildcards of one field in
   different $or branches are judged apart; event-ruler may join them.) */
#define MAX_COMPLEXITY 10
#define STAR 256
#define MAX_SETS 4096
#define MAX_ACTIVE MAX_COMPLEXITY /* a set that large is the answer */

struct chains {
  int *token;               /* state s consumes token[s]: a byte, STAR, or -2 (an end) */
  int *start;               /* wildcard w starts at state start[w] */
  size_t n;
};

struct state_set {
  int at[MAX_ACTIVE];
  int n;
};

/* Adds state S, and the star after it, which may match nothing. */
static void activate(const struct chains *c, int s, struct state_set *set) {
  for (;;) {
    int i = 0;
    while (i < set->n && set->at[i] < s) i++;
    if (i < set->n && set->at[i] == s) return;
    if (set->n == MAX_ACTIVE) return;
    memmove(set->at + i + 1, set->at + i, (size_t)(set->n - i) * sizeof *set->at);
    set->at[i] = s;
    set->n++;
    if (c->token[s] != STAR) return; /* token[s]: what state s consumes next */
    s++;
  }
}

/* The states after byte B (-1: a byte no wildcard names) from SET. */
static void step(const struct chains *c, const struct state_set *set, int b, struct state_set *next) {
  next->n = 0;
  for (int i = 0; i < set->n && next->n < MAX_ACTIVE; i++) {
    int s = set->at[i];
    if (s > 0 && c->token[s - 1] == STAR) activate(c, s, next); /* a star takes any byte */
    if (c->token[s] == b) activate(c, s + 1, next);
  }
}

static size_t set_hash(const struct state_set *s) {
  size_t h = 2166136261u;
  for (int i = 0; i < s->n; i++) h = (h ^ (size_t)s->at[i]) * 16777619u;
  return h;
}

/* The complexity of one field's wildcards, up to MAX_COMPLEXITY. */
static int complexity(const char *const *text, const size_t *len, size_t n) {
  struct chains c = {0};
  size_t total = 0;
  for (size_t w = 0; w < n; w++) total += len[w] + 3;
  c.token = xmalloc(total * sizeof *c.token);
  c.start = xmalloc((n ? n : 1) * sizeof *c.start);
  bool seen_byte[256] = {false};
  int t = 0;
  for (size_t w = 0; w < n; w++) {
    bool twice = false;
    for (size_t v = 0; v < w && !twice; v++)
      twice = len[v] == len[w] && !memcmp(text[v], text[w], len[w]);
    if (twice) continue;
    c.start[c.n] = t;
    c.token[t++] = '"';
    for (size_t i = 0; i < len[w]; i++) {
      unsigned char b = (unsigned char)text[w][i];
      if (b == '\\' && i + 1 < len[w]) b = (unsigned char)text[w][++i];
      else if (b == '*') {
        c.token[t++] = STAR;
        continue;
      }
      c.token[t++] = b;
      seen_byte[b] = true;
    }
    c.token[t++] = '"';
    c.token[t++] = -2; /* the end state consumes nothing */
    c.n++;
  }
  seen_byte['"'] = true;
  int bytes[257], nbytes = 0;
  for (int b = 0; b < 256; b++)
    if (seen_byte[b]) bytes[nbytes++] = b;
  bytes[nbytes++] = -1;

  struct state_set *sets = xmalloc(MAX_SETS * sizeof *sets);
  size_t nsets = 0, table_size = 2 * MAX_SETS, *table = xmalloc(table_size * sizeof *table);
  for (size_t i = 0; i < table_size; i++) table[i] = (size_t)-1;
  sets[nsets].n = 0;
  for (size_t w = 0; w < c.n; w++) activate(&c, c.start[w], &sets[nsets]);
  nsets++;
  int most = 0;
  for (size_t done = 0; done < nsets && most < MAX_ACTIVE; done++)
    for (int k = 0; k < nbytes && most < MAX_ACTIVE && nsets < MAX_SETS; k++) {
      struct state_set next;
      step(&c, &sets[done], bytes[k], &next);
      if (!next.n) continue;
      if (next.n > most) most = next.n;
      size_t h = set_hash(&next) % table_size;
      while (table[h] != (size_t)-1 &&
             (sets[table[h]].n != next.n ||
              memcmp(sets[table[h]].at, next.at, (size_t)next.n * sizeof *next.at)))
        h = (h + 1) % table_size;
      if (table[h] != (size_t)-1) continue;
      table[h] = nsets;
      sets[nsets++] = next;
    }
  free(table);
  free(sets);
  free(c.token);
  free(c.start);
  return most;
}

/* Whether a field's wildcards are simple enough; when they are not, *CULPRIT is the
   first one that makes them too complex with those before it. */
static bool wildcards_ok(const char *const *text, const size_t *len, size_t n, size_t *culprit,
                         struct pattern_fault *f) {
  if (complexity(text, len, n) < MAX_COMPLEXITY) return true;
  /* The fewest first wildcards that are too complex: more wildcards only add states. */
  size_t low = 1, k = n;
  while (low < k) {
    size_t mid = low + (k - low) / 2;
    if (complexity(text, len, mid) < MAX_COMPLEXITY) low = mid + 1;
    else k = mid;
  }
  *culprit = k - 1;
  return fault(f, 0, PATTERN_WHOLE,
               "rule is too complex - try using fewer wildcard characters or fewer repeating "
               "character sequences after a wildcard character: %d of %s prefixes can match "
               "one value at once, and EventBridge refuses %d or more",
               MAX_COMPLEXITY, k > 1 ? "this field's wildcards'" : "the wildcard's",
               MAX_COMPLEXITY);
}

/* ------------------------------------------------------------ the walk */

/* The grammar, walked once for both users through their pattern_ops: every error is
   reported at the node (or key, or bytes of a string) it is about, with the dotted
   path of the field, and the walk goes on. */
struct walk {
  const struct pattern_ops *ops;
  void *ctx;
  struct buf path;          /* the field (or object) being walked, dotted */
  bool ok;
};

static enum pattern_kind kind_of(struct walk *w, const void *v) {
  enum pattern_kind k = w->ops->kind(v);
  if (k == PK_NOT_JSON) w->ops->not_json(w->ctx, v);
  return k;
}

/* Neither judged here: not JSON (reported by kind_of), or text known only later. */
static bool opaque(enum pattern_kind k) { return k == PK_NOT_JSON || k == PK_UNSEEN; }

static const char *text_of(struct walk *w, const void *v, size_t *len) {
  return w->ops->text(v, len);
}

static bool next_child(struct walk *w, const void *v, struct pattern_child *c) {
  return w->ops->child(v, c);
}

static void fail_place(struct walk *w, struct pattern_place at, const char *fmt, va_list ap) {
  char *msg = xvasprintf(fmt, ap);
  w->ops->error(w->ctx, w->path.data, at, msg);
  free(msg);
  w->ok = false;
}

static void fail_at(struct walk *w, const void *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail_at(struct walk *w, const void *v, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fail_place(w, (struct pattern_place){v, NULL, 0, PATTERN_WHOLE}, fmt, ap);
  va_end(ap);
}

static void fail_key(struct walk *w, const void *member, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail_key(struct walk *w, const void *member, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fail_place(w, (struct pattern_place){NULL, member, 0, PATTERN_WHOLE}, fmt, ap);
  va_end(ap);
}

static void fail_fault(struct walk *w, const void *v, struct pattern_fault *f) {
  w->ops->error(w->ctx, w->path.data, (struct pattern_place){v, NULL, f->at, f->len}, f->message);
  free(f->message);
  w->ok = false;
}

static void number_checked(struct walk *w, const void *v) {
  if (w->ops->numeric) w->ops->numeric(w->ctx, v);
}

/* PATH.KEY while F runs on V. */
static void enter(struct walk *w, const char *key, size_t *mark) {
  *mark = w->path.len;
  if (w->path.len) buf_addc(&w->path, '.');
  buf_adds(&w->path, key);
}

static void leave(struct walk *w, size_t mark) {
  w->path.len = mark;
  w->path.data[mark] = 0;
}

static void check_wildcard(struct walk *w, const void *v) {
  size_t len;
  const char *t = text_of(w, v, &len);
  struct pattern_fault f;
  if (!wildcard_ok(t, len, &f)) fail_fault(w, v, &f);
}

static void check_cidr(struct walk *w, const void *v) {
  size_t len;
  const char *t = text_of(w, v, &len);
  struct pattern_fault f;
  struct pattern_cidr cidr;
  if (!pattern_cidr_ok(t, len, &cidr, &f)) fail_fault(w, v, &f);
}

/* ------------------------------------------------------------ match expressions */

/* prefix and suffix take a string or {"equals-ignore-case": string}. */
static void check_prefix_suffix(struct walk *w, const char *name, const void *v) {
  enum pattern_kind k = kind_of(w, v);
  if (opaque(k) || k == PK_STRING) return;
  if (k != PK_OBJECT) {
    fail_at(w, v, "%s match pattern must be a string", name);
    return;
  }
  struct pattern_child m = {0};
  if (!next_child(w, v, &m) || strcmp(m.key, "equals-ignore-case")) {
    if (m.member)
      fail_key(w, m.member, "%s match pattern must be a string or {\"equals-ignore-case\": string}",
               name);
    else
      fail_at(w, v, "%s match pattern must be a string or {\"equals-ignore-case\": string}", name);
    return;
  }
  struct pattern_child extra = m;
  if (next_child(w, v, &extra)) fail_key(w, extra.member, "only one key allowed in match expression");
  k = kind_of(w, m.value);
  if (!opaque(k) && k != PK_STRING)
    fail_at(w, m.value, "equals-ignore-case match pattern must be a string");
}

/* One string after {"anything-but": {"prefix": ...}} and the others. */
static void check_anything_but_string(struct walk *w, enum match kind, const void *s) {
  enum pattern_kind k = kind_of(w, s);
  if (opaque(k)) return;
  if (k != PK_STRING) {
    if (kind == M_EQUALS_IGNORE_CASE)
      fail_at(w, s, "inside anything-but/equals-ignore-case list, "
                    "number|start|null|boolean is not supported: expected strings");
    else if (kind == M_WILDCARD)
      fail_at(w, s, "wildcard match pattern must be a string");
    else
      fail_at(w, s, "prefix/suffix match pattern must be a string");
    return;
  }
  size_t len;
  text_of(w, s, &len);
  if ((kind == M_PREFIX || kind == M_SUFFIX) && len == 0)
    fail_at(w, s, "null prefix/suffix not allowed: expected a non-empty string");
  if (kind == M_WILDCARD) check_wildcard(w, s);
}

/* The operand of {"anything-but": {"prefix": ...}}: a string or a list of strings. */
static void check_anything_but_strings(struct walk *w, enum match kind, const void *v,
                                       enum pattern_kind k) {
  const char *name = match_names[kind];
  if (k == PK_OBJECT) {
    fail_at(w, v, "value of anything-but must be an array or single string/number value: "
                  "anything-but %s takes a string or a list of strings", name);
    return;
  }
  if (k != PK_ARRAY) {
    check_anything_but_string(w, kind, v);
    return;
  }
  struct pattern_child c = {0};
  bool any = false;
  while (next_child(w, v, &c)) {
    any = true;
    check_anything_but_string(w, kind, c.value);
  }
  if (!any)
    fail_at(w, v, "empty arrays are not allowed: anything-but %s needs at least one string", name);
}

static void check_anything_but(struct walk *w, const void *v) {
  char q[QUOTE_SIZE];
  enum pattern_kind k = kind_of(w, v);
  if (opaque(k) || k == PK_STRING) return;
  if (k == PK_NUMBER) {
    number_checked(w, v);
    return;
  }
  if (k == PK_OBJECT) {
    struct pattern_child m = {0};
    if (!next_child(w, v, &m)) {
      fail_at(w, v, "anything-but expression name not found: expected " ANYTHING_BUT_LIST);
      return;
    }
    struct pattern_child extra = m;
    if (next_child(w, v, &extra)) fail_key(w, extra.member, "only one key allowed in match expression");
    enum match kind = match_kind(m.key, N_ANYTHING_BUT);
    if (kind == M_UNKNOWN) {
      const char *guess = suggest(m.key, N_ANYTHING_BUT);
      if (guess)
        fail_key(w, m.member, "unsupported anything-but pattern %s: did you mean \"%s\"?",
                 quote(q, m.key, strlen(m.key)), guess);
      else
        fail_key(w, m.member, "unsupported anything-but pattern %s: expected "
                 ANYTHING_BUT_LIST, quote(q, m.key, strlen(m.key)));
      return;
    }
    enum pattern_kind mk = kind_of(w, m.value);
    if (!opaque(mk)) check_anything_but_strings(w, kind, m.value, mk);
    return;
  }
  if (k != PK_ARRAY) {
    fail_at(w, v, "value of anything-but must be an array or single string/number value");
    return;
  }

  /* A list: all strings or all numbers (a string known later is a string). */
  enum pattern_kind first = PK_NOT_JSON;
  bool mixed = false, any = false;
  struct pattern_child c = {0};
  while (next_child(w, v, &c)) {
    any = true;
    enum pattern_kind sk = kind_of(w, c.value);
    if (sk == PK_NOT_JSON) continue;
    if (sk == PK_UNSEEN) sk = PK_STRING;
    if (sk != PK_STRING && sk != PK_NUMBER) {
      fail_at(w, c.value, "inside anything but list, start|null|boolean is not supported: "
                          "expected only strings or only numbers");
      continue;
    }
    if (sk == PK_NUMBER) number_checked(w, c.value);
    if (first == PK_NOT_JSON) first = sk;
    else if (sk != first && !mixed) {
      fail_at(w, c.value, "inside anything but list, either all values are number or string, "
                          "mixed type is not supported");
      mixed = true;
    }
  }
  if (!any)
    fail_at(w, v, "empty arrays are not allowed: anything-but needs at least one string or "
                  "number");
}

static const char *numeric_op_named(const char *text, size_t len) {
  for (size_t i = 0; i < sizeof numeric_ops / sizeof *numeric_ops; i++)
    if (strlen(numeric_ops[i]) == len && !memcmp(text, numeric_ops[i], len)) return numeric_ops[i];
  return NULL;
}

static const char *numeric_op(struct walk *w, const void *v, enum pattern_kind k) {
  size_t len;
  const char *t = k == PK_STRING ? text_of(w, v, &len) : NULL;
  return t ? numeric_op_named(t, len) : NULL;
}

/* The operand V (NULL: missing) of a numeric operator OP written at AT; false after
   reporting it. */
static bool numeric_operand(struct walk *w, const char *op, const void *at, const void *v) {
  enum pattern_kind k = v ? kind_of(w, v) : PK_NULL;
  if (k == PK_NOT_JSON) return false;
  if (k != PK_NUMBER) {
    fail_at(w, v ? v : at, "value of %s must be numeric", !strcmp(op, "=") ? "equals" : op);
    return false;
  }
  number_checked(w, v);
  return true;
}

/* ["op", n] with op one of = < <= > >=, or the range [">"|">=", low, "<"|"<=", high]. */
static void check_numeric(struct walk *w, const void *v) {
  static const char *const ops_expected = "expected \"=\", \"<\", \"<=\", \">\" or \">=\"";
  char q[QUOTE_SIZE];
  enum pattern_kind k = kind_of(w, v);
  if (opaque(k)) return;
  if (k != PK_ARRAY) {
    fail_at(w, v, "value of numeric must be an array: expected [\"op\", number] or "
                  "[\">\", low, \"<\", high]");
    return;
  }
  struct pattern_child c = {0};
  if (!next_child(w, v, &c)) {
    fail_at(w, v, "empty arrays are not allowed: numeric needs an operator and a number, "
                  "e.g. [\">\", 0]");
    return;
  }
  const void *first = c.value;
  enum pattern_kind fk = kind_of(w, first);
  if (opaque(fk)) return;
  size_t len;
  const char *op = numeric_op(w, first, fk);
  if (fk != PK_STRING) {
    fail_at(w, first, "invalid member in numeric match: %s", ops_expected);
    return;
  }
  if (!op) {
    const char *t = text_of(w, first, &len);
    fail_at(w, first, "unrecognized numeric range operator %s: %s", quote(q, t, len), ops_expected);
    return;
  }
  const void *low = next_child(w, v, &c) ? c.value : NULL;
  if (!numeric_operand(w, op, first, low)) return;
  if (!next_child(w, v, &c)) return;
  const void *second = c.value;
  if (op[0] != '>') {
    /* an upper bound first: a range must start with its lower bound */
    const char *t = w->ops->kind(second) == PK_STRING ? text_of(w, second, &len) : NULL;
    bool range = op[0] == '<' && t && len && t[0] == '>';
    fail_at(w, second, "too many elements in numeric expression: \"%s\" takes one number%s", op,
            range ? " (a range starts with its lower bound: [\">\", low, \"<\", high])" : "");
    return;
  }
  enum pattern_kind sk = kind_of(w, second);
  if (opaque(sk)) return;
  const char *op2 = numeric_op(w, second, sk);
  if (sk != PK_STRING) {
    fail_at(w, second, "bad value in numeric range: expected \"<\" or \"<=\"");
    return;
  }
  if (!op2 || op2[0] != '<') {
    const char *t = text_of(w, second, &len);
    fail_at(w, second, "bad numeric range operator: %s: expected \"<\" or \"<=\" after the "
                       "lower bound", quote(q, t, len));
    return;
  }
  const void *high = next_child(w, v, &c) ? c.value : NULL;
  if (!numeric_operand(w, op2, second, high)) return;
  if (next_child(w, v, &c)) {
    fail_at(w, c.value, "too many terms in numeric range expression: expected "
                        "[\">\", low, \"<\", high]");
    return;
  }
  if (w->ops->number(low) >= w->ops->number(high)) {
    char *a = w->ops->number_text(low), *b = w->ops->number_text(high);
    fail_at(w, v, "bottom must be less than top: %s is not less than %s", a, b);
    free(a);
    free(b);
  }
}

/* One {"operator": operand} inside a field's array. */
static void check_match(struct walk *w, const void *obj) {
  char q[QUOTE_SIZE];
  struct pattern_child m = {0};
  if (!next_child(w, obj, &m)) {
    fail_at(w, obj, "match expression name not found: expected one of " MATCH_LIST);
    return;
  }
  struct pattern_child extra = m;
  if (next_child(w, obj, &extra)) fail_key(w, extra.member, "only one key allowed in match expression");
  enum match kind = match_kind(m.key, N_MATCH);
  const void *v = m.value;
  if (kind == M_UNKNOWN) {
    const char *name = quote(q, m.key, strlen(m.key));
    const char *guess = suggest(m.key, N_MATCH);
    if (!strcmp(m.key, "exactly"))
      fail_key(w, m.member, "unrecognized match type %s: EventBridge does not document it; an "
                            "exact match is the plain value, e.g. [\"x\"]", name);
    else if (in_list(m.key, reserved_names, sizeof reserved_names / sizeof *reserved_names))
      fail_key(w, m.member, "unrecognized match type %s: it is reserved for future use; "
                            "expected one of " MATCH_LIST, name);
    else if (guess)
      fail_key(w, m.member, "unrecognized match type %s: did you mean \"%s\"?", name, guess);
    else
      fail_key(w, m.member, "unrecognized match type %s: expected one of " MATCH_LIST, name);
    return;
  }
  enum pattern_kind k;
  switch (kind) {
  case M_PREFIX:
  case M_SUFFIX: check_prefix_suffix(w, match_names[kind], v); break;
  case M_EQUALS_IGNORE_CASE:
  case M_WILDCARD:
  case M_CIDR:
    k = kind_of(w, v);
    if (opaque(k)) break;
    if (k != PK_STRING) {
      fail_at(w, v, "%s match pattern must be a string", match_names[kind]);
      break;
    }
    if (kind == M_WILDCARD) check_wildcard(w, v);
    if (kind == M_CIDR) check_cidr(w, v);
    break;
  case M_ANYTHING_BUT: check_anything_but(w, v); break;
  case M_NUMERIC: check_numeric(w, v); break;
  case M_EXISTS:
    k = kind_of(w, v);
    if (!opaque(k) && k != PK_BOOL) fail_at(w, v, "exists match pattern must be either true or false");
    break;
  case M_UNKNOWN: break;
  }
}

/* ------------------------------------------------------------ fields */

/* The one-key object V's key and value, when it has exactly one key. */
static bool only_member(struct walk *w, const void *v, struct pattern_child *m) {
  memset(m, 0, sizeof *m);
  if (w->ops->kind(v) != PK_OBJECT || !next_child(w, v, m)) return false;
  struct pattern_child extra = *m;
  return !next_child(w, v, &extra);
}

/* The valid {"wildcard": "..."} operands of a field's array together, as AWS judges
   their complexity. */
static void check_complexity(struct walk *w, const void *list) {
  size_t n = 0;
  struct pattern_child c = {0};
  while (next_child(w, list, &c)) n++;
  const void **operand = xmalloc((n ? n : 1) * sizeof *operand);
  const char **text = xmalloc((n ? n : 1) * sizeof *text);
  size_t *len = xmalloc((n ? n : 1) * sizeof *len), count = 0, culprit;
  memset(&c, 0, sizeof c);
  while (next_child(w, list, &c)) {
    struct pattern_child m;
    if (!only_member(w, c.value, &m) || strcmp(m.key, "wildcard") ||
        w->ops->kind(m.value) != PK_STRING)
      continue;
    struct pattern_fault f;
    text[count] = text_of(w, m.value, &len[count]);
    if (!wildcard_ok(text[count], len[count], &f)) {
      free(f.message);
      continue;
    }
    operand[count++] = m.value;
  }
  struct pattern_fault f;
  if (!wildcards_ok(text, len, count, &culprit, &f)) fail_fault(w, operand[culprit], &f);
  free(operand);
  free(text);
  free(len);
}

/* A field's array: the values and match expressions it is matched against (ORed). */
static void check_list(struct walk *w, const void *list) {
  struct pattern_child c = {0};
  const void *anything_but = NULL;
  bool any = false;
  while (next_child(w, list, &c)) {
    any = true;
    enum pattern_kind k = kind_of(w, c.value);
    if (k == PK_ARRAY) {
      fail_at(w, c.value, "match value must be a string, number, true, false, null or a match "
                          "expression, not an array");
    } else if (k == PK_OBJECT) {
      check_match(w, c.value);
      struct pattern_child m = {0};
      bool is_anything_but = next_child(w, c.value, &m) && !strcmp(m.key, "anything-but");
      /* A.2: the array is an OR, so two exclusions together exclude almost nothing. */
      if (is_anything_but && anything_but && w->ops->twice_anything_but)
        w->ops->twice_anything_but(w->ctx, c.value);
      else if (is_anything_but)
        anything_but = c.value;
    }
  }
  if (!any) fail_at(w, list, "empty arrays are not allowed: expected at least one value to match");
  check_complexity(w, list);
}

static void check_object(struct walk *w, const void *obj, bool in_or);

/* "$or": [ {...}, {...}, ... ]: at least two sub-patterns. Its errors are about
   PATH.$or, its branches' about their fields. */
static void check_or(struct walk *w, const void *v) {
  size_t mark;
  enter(w, "$or", &mark);
  enum pattern_kind k = kind_of(w, v);
  if (opaque(k)) {
    leave(w, mark);
    return;
  }
  if (k != PK_ARRAY) {
    fail_at(w, v, "\"$or\" must be an array of at least 2 objects");
    leave(w, mark);
    return;
  }
  int count = 0;
  struct pattern_child c = {0};
  while (next_child(w, v, &c)) {
    count++;
    enum pattern_kind ik = kind_of(w, c.value);
    if (opaque(ik)) continue;
    if (ik != PK_OBJECT) {
      fail_at(w, c.value, "only JSON objects are allowed in the array of \"$or\"");
    } else {
      char *at = xstrdup(w->path.data);
      leave(w, mark);
      check_object(w, c.value, true);
      buf_adds(&w->path, at + mark);
      free(at);
    }
  }
  if (count < 2) fail_at(w, v, "\"$or\" needs at least 2 objects, found %d", count);
  leave(w, mark);
}

/* An object of fields: the pattern itself, a nested field, or a $or branch. */
static void check_object(struct walk *w, const void *obj, bool in_or) {
  char q[QUOTE_SIZE];
  struct pattern_child m = {0};
  bool any = false;
  while (next_child(w, obj, &m)) {
    any = true;
    const char *key = quote(q, m.key, strlen(m.key));
    /* The last duplicate wins at AWS (A.2), which is never what two fields mean. */
    struct pattern_child e = {0};
    while (next_child(w, obj, &e) && e.index < m.index)
      if (!strcmp(e.key, m.key)) {
        fail_key(w, m.member, "duplicate field %s: EventBridge would use only the last one", key);
        break;
      }
    if (!strcmp(m.key, "$or")) {
      check_or(w, m.value);
      continue;
    }
    if (in_or && reserved_in_or(m.key))
      fail_key(w, m.member, "%s is a reserved name that cannot be used as a field inside $or", key);
    enum pattern_kind k = kind_of(w, m.value);
    if (opaque(k)) continue;
    size_t mark;
    if (k == PK_OBJECT || k == PK_ARRAY) {
      enter(w, m.key, &mark);
      if (k == PK_OBJECT) check_object(w, m.value, in_or);
      else check_list(w, m.value);
      leave(w, mark);
    } else {
      fail_at(w, m.value, "%s must be an object or an array", key);
      if (match_kind(m.key, N_MATCH) != M_UNKNOWN && w->ops->operator_as_field)
        w->ops->operator_as_field(w->ctx, m.value, key);
    }
  }
  if (!any) fail_at(w, obj, "empty objects are not allowed: expected at least one field");
}

bool pattern_walk(const struct pattern_ops *ops, void *ctx, const void *pattern) {
  struct walk w = {ops, ctx, {0}, true};
  buf_adds(&w.path, "");
  enum pattern_kind k = kind_of(&w, pattern);
  if (k == PK_OBJECT)
    check_object(&w, pattern, false);
  else if (!opaque(k))
    fail_at(&w, pattern, "an event pattern must be an object of fields, e.g. "
                         "{\"source\": [\"aws.s3\"]}");
  buf_free(&w.path);
  return w.ok;
}

/* ------------------------------------------------------------ the checker's nodes */

/* A string with ${...} parts was reported where it was resolved: its text is not
   looked at here. Paths, calls and JSONata have no value until the workflow runs: a
   pattern is fixed when the rule is created. */
static enum pattern_kind value_kind(const void *node) {
  const struct value *v = node;
  switch (v->kind) {
  case V_NULL: return PK_NULL;
  case V_BOOL: return PK_BOOL;
  case V_INT: return PK_NUMBER;
  case V_REAL: return isfinite(v->real) ? PK_NUMBER : PK_NOT_JSON;
  case V_STRING: return v->string->parts ? PK_UNSEEN : PK_STRING;
  case V_ARRAY: return PK_ARRAY;
  case V_OBJECT: return PK_OBJECT;
  default: return PK_NOT_JSON;
  }
}

static void value_not_json(void *ctx, const void *node) {
  struct pcheck *p = ctx;
  const struct value *v = node;
  switch (v->kind) {
  case V_PATH: report(p, v->loc, "a pattern is plain JSON, not a path"); break;
  case V_CALL: report(p, v->loc, "a pattern is plain JSON, not a function call"); break;
  case V_JSONATA: report(p, v->loc, "a pattern is plain JSON, not a JSONata expression"); break;
  default: report(p, v->loc, "a pattern number must be finite"); break;
  }
}

static const char *value_text(const void *node, size_t *len) {
  const struct value *v = node;
  *len = v->string->len;
  return v->string->text;
}

static double value_number(const void *node) { return number(node); }

static char *value_number_text(const void *node) {
  char text[32];
  return xstrdup(number_text(text, node));
}

static bool value_child(const void *node, struct pattern_child *c) {
  const struct value *v = node;
  if (v->kind == V_ARRAY) {
    const struct value *item = c->it ? ((const struct value *)c->it)->next : v->items;
    if (!item) return false;
    c->index = c->it ? c->index + 1 : 0;
    c->it = c->value = item;
    return true;
  }
  if (v->kind != V_OBJECT) return false;
  const struct member *m = c->it ? ((const struct member *)c->it)->next : v->members;
  if (!m) return false;
  c->index = c->it ? c->index + 1 : 0;
  c->it = c->member = m;
  c->key = m->key;
  c->value = m->value;
  return true;
}

static void value_error(void *ctx, const char *path, struct pattern_place at, const char *msg) {
  (void)path;
  struct pcheck *p = ctx;
  struct loc loc;
  if (at.member) loc = ((const struct member *)at.member)->key_loc;
  else if (at.len == PATTERN_WHOLE) loc = ((const struct value *)at.node)->loc;
  else loc = string_part_loc(p->d, at.node, at.at, at.len);
  report(p, loc, "%s", msg);
}

static void value_numeric(void *ctx, const void *node) { numeric_limits(ctx, node); }

static void value_twice_anything_but(void *ctx, const void *node) {
  struct pcheck *p = ctx;
  diag_warning(p->d, W_ANYTHING_BUT, ((const struct value *)node)->loc,
               "two anything-but matches in one array are ORed, so together they exclude "
               "almost nothing: list the values in one {\"anything-but\": [...]}");
}

static void value_operator_as_field(void *ctx, const void *node, const char *key) {
  struct pcheck *p = ctx;
  diag_note(p->d, ((const struct value *)node)->loc,
            "a match expression goes inside the field's array: \"field\": [{%s: ...}]", key);
}

static const struct pattern_ops value_ops = {
  value_kind, value_not_json, value_text, value_number, value_number_text, value_child,
  value_error, value_numeric, value_twice_anything_but, value_operator_as_field,
};

/* ------------------------------------------------------------ entry points */

bool pattern_check(struct diag *d, const struct value *pattern) {
  struct pcheck p = {d, true};
  pattern_walk(&value_ops, &p, pattern);
  return p.ok; /* its size is judged by lowering, on the text sent (lower_triggers.c) */
}
