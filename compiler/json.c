/* json_pos.c: a strict JSON parser that keeps the byte offsets of every value and key.
 *
 * `sfc check machine.asl.json` needs a caret under the offending value, which
 * Jansson cannot give (it keeps no positions). The parser is plain recursive
 * descent with a depth limit, so deep nesting is an error, not a stack overflow.
 * It follows RFC 8259 to the letter and also rejects what lenient parsers let
 * through: duplicate keys in one object (Jansson and Ruby keep the last one
 * silently), invalid UTF-8, lone surrogates in \u escapes, and text after the value.
 * Syntax errors stop the parse (one error, at its place); duplicate keys do not.
 */
#include "sfc.h"

#include <stdlib.h>
#include <string.h>

struct parser {
  struct arena *arena;
  struct diag *diag;
  int file;
  const unsigned char *text;
  int len, pos;
  bool failed;
  struct buf scratch; /* decoded string being built */
};

static void syntax_error(struct parser *p, int start, int end, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports the first syntax error; the parse unwinds after it. */
static void syntax_error(struct parser *p, int start, int end, const char *fmt, ...) {
  if (p->failed) return;
  p->failed = true;
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  diag_error(p->diag, (struct loc){p->file, start, end > start ? end : start + 1},
             "invalid JSON: %s", msg);
  p->diag->syntax_errors++;
  free(msg);
}

static int peek(const struct parser *p) { return p->pos < p->len ? p->text[p->pos] : -1; }

static void skip_space(struct parser *p) {
  while (p->pos < p->len) {
    int c = p->text[p->pos];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    p->pos++;
  }
}

/* Describes the byte(s) at POS for "found ..." in a message. */
static const char *describe(struct parser *p, int pos) {
  if (pos >= p->len) return "the end of the file";
  unsigned char c = p->text[pos];
  if (c >= 0x21 && c < 0x7f) return arena_printf(p->arena, "'%c'", c);
  if (c == ' ') return "a space";
  int n = (int)utf8_decode(p->text + pos, (size_t)(p->len - pos), NULL);
  if (c >= 0x80 && n > 0) return arena_printf(p->arena, "'%.*s'", n, (const char *)p->text + pos);
  return arena_printf(p->arena, "byte 0x%02X", c);
}

static int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads the 4 hex digits after "\u" at p->pos; -1 after reporting. */
static long read_hex4(struct parser *p, int backslash) {
  long v = 0;
  for (int i = 0; i < 4; i++) {
    int d = p->pos + i < p->len ? hex_value(p->text[p->pos + i]) : -1;
    if (d < 0) {
      syntax_error(p, backslash, p->pos + i, "expected 4 hex digits after '\\u'");
      return -1;
    }
    v = v * 16 + d;
  }
  p->pos += 4;
  return v;
}

/* How to write control character C inside a JSON string. */
static const char *control_escape(struct parser *p, int c) {
  switch (c) {
  case '\b': return "\\b";
  case '\t': return "\\t";
  case '\f': return "\\f";
  case '\r': return "\\r";
  default: return arena_printf(p->arena, "\\u%04X", c);
  }
}

/* A string at p->pos (the opening quote): decodes it into p->scratch. */
static bool read_string(struct parser *p) {
  int open = p->pos++;
  p->scratch.len = 0;
  for (;;) {
    if (p->pos >= p->len) {
      syntax_error(p, open, open + 1, "unterminated string");
      return false;
    }
    int c = p->text[p->pos];
    if (c == '"') {
      p->pos++;
      buf_addc(&p->scratch, 0);
      p->scratch.len--;
      return true;
    }
    if (c < 0x20) {
      if (c == '\n')
        syntax_error(p, p->pos, p->pos + 1,
                     "newline inside a string (is a closing '\"' missing? write \\n for a newline)");
      else
        syntax_error(p, p->pos, p->pos + 1,
                     "control character U+%04X inside a string (write it as %s)", c,
                     control_escape(p, c));
      return false;
    }
    if (c == '\\') {
      int backslash = p->pos++;
      int e = peek(p);
      const char *simple = e >= 0 ? strchr("\"\\/bfnrt", e) : NULL;
      if (e > 0 && simple) {
        static const char decoded[] = "\"\\/\b\f\n\r\t";
        buf_addc(&p->scratch, decoded[simple - "\"\\/bfnrt"]);
        p->pos++;
        continue;
      }
      if (e != 'u') {
        syntax_error(p, backslash, p->pos + (e >= 0), "invalid escape '\\%s' in a string",
                     e < 0 ? "" : e >= 0x21 && e < 0x7f ? arena_printf(p->arena, "%c", e) : "?");
        return false;
      }
      p->pos++;
      long cp = read_hex4(p, backslash);
      if (cp < 0) return false;
      if (cp >= 0xD800 && cp <= 0xDBFF) { /* a high surrogate needs its low half */
        long low = -1;
        if (p->pos + 1 < p->len && p->text[p->pos] == '\\' && p->text[p->pos + 1] == 'u') {
          int second = p->pos;
          p->pos += 2;
          low = read_hex4(p, second);
          if (low < 0) return false;
        }
        if (low < 0xDC00 || low > 0xDFFF) {
          syntax_error(p, backslash, backslash + 6,
                       "lone surrogate '\\u%04lX' in a string (a high surrogate must be "
                       "followed by a low one, \\uDC00 to \\uDFFF)", cp);
          return false;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        syntax_error(p, backslash, backslash + 6,
                     "lone surrogate '\\u%04lX' in a string (a low surrogate must follow a "
                     "high one)", cp);
        return false;
      }
      buf_add_utf8(&p->scratch, cp);
      continue;
    }
    int n = (int)utf8_decode(p->text + p->pos, (size_t)(p->len - p->pos), NULL);
    if (n == 0) {
      syntax_error(p, p->pos, p->pos + 1, "invalid UTF-8 byte 0x%02X in a string", c);
      return false;
    }
    buf_add(&p->scratch, (const char *)p->text + p->pos, (size_t)n);
    p->pos += n;
  }
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static struct jnode *new_node(struct parser *p, enum jn_kind kind, int start) {
  struct jnode *n = NEW(p->arena, struct jnode);
  n->kind = kind;
  n->file = p->file;
  n->start = start;
  return n;
}

static struct jnode *read_number(struct parser *p) {
  int start = p->pos;
  bool integer = true;
  if (peek(p) == '-') p->pos++;
  if (!is_digit(peek(p))) {
    syntax_error(p, start, p->pos + 1, "expected a digit after '-'");
    return NULL;
  }
  if (peek(p) == '0' && p->pos + 1 < p->len && is_digit(p->text[p->pos + 1])) {
    syntax_error(p, p->pos, p->pos + 1, "a number cannot have a leading zero");
    return NULL;
  }
  while (is_digit(peek(p))) p->pos++;
  if (peek(p) == '.') {
    integer = false;
    p->pos++;
    if (!is_digit(peek(p))) {
      syntax_error(p, p->pos - 1, p->pos, "expected a digit after '.'");
      return NULL;
    }
    while (is_digit(peek(p))) p->pos++;
  }
  if (peek(p) == 'e' || peek(p) == 'E') {
    integer = false;
    p->pos++;
    if (peek(p) == '+' || peek(p) == '-') p->pos++;
    if (!is_digit(peek(p))) {
      syntax_error(p, p->pos, p->pos + 1, "expected a digit in the exponent");
      return NULL;
    }
    while (is_digit(peek(p))) p->pos++;
  }
  struct jnode *n = new_node(p, JN_NUMBER, start);
  n->end = p->pos;
  n->len = (size_t)(p->pos - start);
  n->text = arena_strndup(p->arena, (const char *)p->text + start, n->len);
  n->is_integer = integer;
  n->number = strtod(n->text, NULL);
  return n;
}

/* Bytes of a word such as `True` or `NaN`, for a message about it. */
static int word_end(const struct parser *p, int pos) {
  while (pos < p->len && ((p->text[pos] | 0x20) >= 'a' && (p->text[pos] | 0x20) <= 'z'))
    pos++;
  return pos;
}

/* Orders members by key bytes, then by position, to find duplicates in one pass. */
static int compare_members(const void *a, const void *b) {
  const struct jmember *x = *(const struct jmember *const *)a;
  const struct jmember *y = *(const struct jmember *const *)b;
  size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
  int c = memcmp(x->key, y->key, n);
  if (c) return c;
  if (x->key_len != y->key_len) return x->key_len < y->key_len ? -1 : 1;
  return (x->key_start > y->key_start) - (x->key_start < y->key_start);
}

/* Reports every key that repeats an earlier key of the same object, and drops it
   from the tree so later checks see each key once (the first, as JavaScript's
   JSON.parse would not: it keeps the last; either way the file is wrong). */
static void check_duplicates(struct parser *p, struct jnode *object, const struct jpath *at) {
  if (object->count < 2) return;
  struct jmember **sorted = xmalloc((size_t)object->count * sizeof *sorted);
  int n = 0;
  for (struct jmember *m = object->members; m; m = m->next) sorted[n++] = m;
  qsort(sorted, (size_t)n, sizeof *sorted, compare_members);
  for (int i = 1; i < n; i++) {
    const struct jmember *first = sorted[i - 1], *m = sorted[i];
    if (first->key_len != m->key_len || memcmp(first->key, m->key, m->key_len)) continue;
    int j = i - 1; /* the earliest of the run */
    while (j > 0 && sorted[j - 1]->key_len == m->key_len &&
           !memcmp(sorted[j - 1]->key, m->key, m->key_len))
      j--;
    int line, col;
    diag_line_col(p->diag, p->file, sorted[j]->key_start, &line, &col);
    const char *where = json_pos_pointer(p->arena, at);
    diag_error(p->diag, (struct loc){p->file, m->key_start, m->key_end},
               "%s%sduplicate key %s (first at line %d)", where, *where ? ": " : "",
               json_pos_quote(p->arena, m->key, m->key_len), line);
    sorted[i]->value = NULL; /* dropped below */
    p->diag->syntax_errors++; /* the tree no longer says what the author meant */
  }
  free(sorted);
  struct jmember **link = &object->members;
  while (*link) {
    if ((*link)->value) link = &(*link)->next;
    else *link = (*link)->next, object->count--;
  }
}

static struct jnode *read_value(struct parser *p, int depth, const struct jpath *at);

/* Explains the byte at p->pos where WANT (a value, a key) was expected: the usual
   slips from JavaScript or Python get a message of their own. */
static void unexpected(struct parser *p, const char *want) {
  int c = peek(p);
  int next = p->pos + 1 < p->len ? p->text[p->pos + 1] : -1;
  if (c < 0)
    syntax_error(p, p->len, p->len, "unexpected end of the file, expected %s", want);
  else if (c == '\'')
    syntax_error(p, p->pos, p->pos + 1, "JSON strings use double quotes, not '");
  else if (c == '/' && (next == '/' || next == '*'))
    syntax_error(p, p->pos, p->pos + 2, "JSON has no comments");
  else if (c == '+')
    syntax_error(p, p->pos, p->pos + 1, "a number cannot start with '+'");
  else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
    syntax_error(p, p->pos, word_end(p, p->pos), "expected %s, found '%.*s'", want,
                 word_end(p, p->pos) - p->pos, (const char *)p->text + p->pos);
  else
    syntax_error(p, p->pos, p->pos + 1, "expected %s, found %s", want, describe(p, p->pos));
}

/* Just after a container's opening bracket: too deep is an error of its own. */
static bool enter(struct parser *p, int depth, int open) {
  if (depth < JSON_MAX_DEPTH) return true;
  syntax_error(p, open, open + 1, "nesting deeper than %d levels", JSON_MAX_DEPTH);
  return false;
}

static const char *unclosed(struct parser *p, char bracket, int open) {
  int line, col;
  diag_line_col(p->diag, p->file, open, &line, &col);
  return arena_printf(p->arena, "unexpected end of the file: the '%c' at line %d, column %d "
                      "is not closed", bracket, line, col);
}

static struct jnode *read_array(struct parser *p, int depth, const struct jpath *at) {
  int open = p->pos++;
  struct jnode *n = new_node(p, JN_ARRAY, open);
  if (!enter(p, depth, open)) return NULL;
  skip_space(p);
  if (peek(p) == ']') {
    p->pos++;
    n->end = p->pos;
    return n;
  }
  for (;;) {
    struct jpath here = {at, NULL, 0, n->count};
    struct jnode *item = read_value(p, depth + 1, &here);
    if (!item) return NULL;
    jn_push(n, item);
    skip_space(p);
    int c = peek(p);
    if (c == ']') break;
    if (c < 0) {
      syntax_error(p, p->len, p->len, "%s", unclosed(p, '[', open));
      return NULL;
    }
    if (c != ',') {
      syntax_error(p, p->pos, p->pos + 1, "expected ',' or ']' after an array item, found %s",
                   describe(p, p->pos));
      return NULL;
    }
    int comma = p->pos++;
    skip_space(p);
    if (peek(p) == ']') {
      syntax_error(p, comma, comma + 1, "trailing comma before ']'");
      return NULL;
    }
  }
  p->pos++;
  n->end = p->pos;
  return n;
}

static void append_member(struct jnode *object, struct jmember *m) {
  if (object->last_member) object->last_member->next = m;
  else object->members = m;
  object->last_member = m;
  object->count++;
}

static struct jnode *read_object(struct parser *p, int depth, const struct jpath *at) {
  int open = p->pos++;
  struct jnode *n = new_node(p, JN_OBJECT, open);
  if (!enter(p, depth, open)) return NULL;
  skip_space(p);
  if (peek(p) == '}') {
    p->pos++;
    n->end = p->pos;
    return n;
  }
  for (;;) {
    int c = peek(p);
    if (c != '"') {
      if (c < 0) syntax_error(p, p->len, p->len, "%s", unclosed(p, '{', open));
      else unexpected(p, "a key in double quotes");
      return NULL;
    }
    struct jmember *m = NEW(p->arena, struct jmember);
    m->key_start = p->pos;
    if (!read_string(p)) return NULL;
    m->key_end = p->pos;
    m->key_len = p->scratch.len;
    m->key = arena_strndup(p->arena, p->scratch.data, p->scratch.len);
    skip_space(p);
    if (peek(p) != ':') {
      syntax_error(p, p->pos, p->pos + 1, "expected ':' after the key %s, found %s",
                   json_pos_quote(p->arena, m->key, m->key_len), describe(p, p->pos));
      return NULL;
    }
    p->pos++;
    struct jpath here = {at, m->key, m->key_len, -1};
    m->value = read_value(p, depth + 1, &here);
    if (!m->value) return NULL;
    append_member(n, m);
    skip_space(p);
    c = peek(p);
    if (c == '}') break;
    if (c == '"') {
      syntax_error(p, p->pos, p->pos + 1, "missing ',' before this key");
      return NULL;
    }
    if (c < 0) {
      syntax_error(p, p->len, p->len, "%s", unclosed(p, '{', open));
      return NULL;
    }
    if (c != ',') {
      syntax_error(p, p->pos, p->pos + 1, "expected ',' or '}' after a member, found %s",
                   describe(p, p->pos));
      return NULL;
    }
    int comma = p->pos++;
    skip_space(p);
    if (peek(p) == '}') {
      syntax_error(p, comma, comma + 1, "trailing comma before '}'");
      return NULL;
    }
  }
  p->pos++;
  n->end = p->pos;
  check_duplicates(p, n, at);
  return n;
}

static struct jnode *read_literal(struct parser *p, const char *word, enum jn_kind kind) {
  size_t n = strlen(word);
  int end = word_end(p, p->pos);
  if ((size_t)(end - p->pos) != n || memcmp(p->text + p->pos, word, n) != 0) {
    syntax_error(p, p->pos, end, "expected a value, found '%.*s'", end - p->pos,
                 (const char *)p->text + p->pos);
    return NULL;
  }
  struct jnode *v = new_node(p, kind, p->pos);
  p->pos += (int)n;
  v->end = p->pos;
  return v;
}

static struct jnode *read_value(struct parser *p, int depth, const struct jpath *at) {
  skip_space(p);
  int c = peek(p);
  switch (c) {
  case '{': return read_object(p, depth, at);
  case '[': return read_array(p, depth, at);
  case '"': {
    int start = p->pos;
    if (!read_string(p)) return NULL;
    struct jnode *s = new_node(p, JN_STRING, start);
    s->end = p->pos;
    s->len = p->scratch.len;
    s->text = arena_strndup(p->arena, p->scratch.data, p->scratch.len);
    return s;
  }
  case 't': return read_literal(p, "true", JN_TRUE);
  case 'f': return read_literal(p, "false", JN_FALSE);
  case 'n': return read_literal(p, "null", JN_NULL);
  case '-': return read_number(p);
  default: break;
  }
  if (is_digit(c)) return read_number(p);
  unexpected(p, "a value");
  return NULL;
}

struct jnode *json_pos_parse(struct arena *arena, struct diag *diag, int file) {
  const struct source *src = &diag->files[file];
  struct parser p = {arena, diag, file, (const unsigned char *)src->text, (int)src->len, 0,
                     false, {0}};
  struct jpath root = {NULL, NULL, 0, -1};
  struct jnode *value = NULL;
  if (p.len >= 3 && !memcmp(p.text, "\xEF\xBB\xBF", 3)) {
    syntax_error(&p, 0, 3, "the file starts with a byte order mark (U+FEFF); remove it");
  } else {
    skip_space(&p);
    if (p.pos == p.len) syntax_error(&p, p.len, p.len, "the file is empty");
    else value = read_value(&p, 0, &root);
  }
  if (value) {
    skip_space(&p);
    if (p.pos < p.len) {
      syntax_error(&p, p.pos, p.pos + 1, "unexpected %s after the end of the JSON value",
                   describe(&p, p.pos));
      value = NULL;
    }
  }
  buf_free(&p.scratch);
  return p.failed ? NULL : value;
}

struct jmember *json_pos_get(const struct jnode *object, const char *key) {
  if (!object || object->kind != JN_OBJECT) return NULL;
  size_t n = strlen(key);
  for (struct jmember *m = object->members; m; m = m->next)
    if (m->key_len == n && !memcmp(m->key, key, n)) return m;
  return NULL;
}

const struct jnode *jn_get(const struct jnode *object, const char *key) {
  const struct jmember *m = json_pos_get(object, key);
  return m ? m->value : NULL;
}

const char *jn_get_text(const struct jnode *object, const char *key) {
  const struct jnode *v = jn_get(object, key);
  return v && v->kind == JN_STRING ? v->text : NULL;
}

int json_pos_offset(const char *text, const struct jnode *string, size_t index) {
  int pos = string->start + 1;
  size_t decoded = 0;
  while (decoded < index && pos < string->end - 1) {
    if (text[pos] != '\\') {
      pos++;
      decoded++;
      continue;
    }
    if (text[pos + 1] != 'u') {
      pos += 2;
      decoded++;
      continue;
    }
    long cp = 0;
    for (int i = 2; i < 6; i++) cp = cp * 16 + hex_value((unsigned char)text[pos + i]);
    pos += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) pos += 6, decoded += 4;
    else decoded += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
  }
  return pos;
}

/* Appends S shown between double quotes: control characters, quotes and backslashes
   escaped as in JSON, and at most about 60 bytes (cut at a character boundary). */
static void add_quoted(struct buf *b, const char *s, size_t len) {
  buf_addc(b, '"');
  size_t limit = 60;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (i >= limit && (c & 0xC0) != 0x80) {
      buf_adds(b, "...");
      break;
    }
    if (c == '"' || c == '\\') buf_addc(b, '\\'), buf_addc(b, (char)c);
    else if (c == '\n') buf_adds(b, "\\n");
    else if (c == '\t') buf_adds(b, "\\t");
    else if (c < 0x20 || c == 0x7f) buf_printf(b, "\\u%04X", c);
    else buf_addc(b, (char)c);
  }
  buf_addc(b, '"');
}

const char *json_pos_quote(struct arena *arena, const char *s, size_t len) {
  struct buf b = {0};
  add_quoted(&b, s, len);
  char *out = arena_strndup(arena, b.data, b.len);
  buf_free(&b);
  return out;
}

static void add_pointer(struct buf *b, const struct jpath *at) {
  if (!at || (!at->up && !at->key && at->index < 0)) return;
  add_pointer(b, at->up);
  buf_addc(b, '/');
  if (!at->key) {
    buf_printf(b, "%d", at->index);
    return;
  }
  for (size_t i = 0; i < at->key_len; i++) {
    unsigned char c = (unsigned char)at->key[i];
    if (c == '~') buf_adds(b, "~0");
    else if (c == '/') buf_adds(b, "~1");
    else if (c < 0x20 || c == 0x7f) buf_printf(b, "\\u%04X", c); /* keep the message one line */
    else buf_addc(b, (char)c);
  }
}

const char *json_pos_pointer(struct arena *arena, const struct jpath *at) {
  struct buf b = {0};
  add_pointer(&b, at);
  char *out = arena_strndup(arena, b.data ? b.data : "", b.len);
  buf_free(&b);
  return out;
}

const char *json_pos_show(struct arena *arena, const struct jnode *value) {
  switch (value->kind) {
  case JN_OBJECT: return "an object";
  case JN_ARRAY: return "an array";
  case JN_STRING: return json_pos_quote(arena, value->text, value->len);
  case JN_NULL: return "null";
  case JN_TRUE: return "true";
  case JN_FALSE: return "false";
  case JN_NUMBER: break;
  }
  if (value->len > 40) return arena_printf(arena, "%.37s...", value->text);
  return arena_printf(arena, "%.*s", (int)value->len, value->text);
}

/* An upper bound of N's size as json_out.c prints it at DEPTH (each string byte
   may take 6 as \u00XX; each line its indent, newline and punctuation). */
size_t jn_size_bound(const struct jnode *n, int depth) {
  size_t size = 2 * (size_t)depth + 4;
  switch (n->kind) {
  case JN_STRING: return size + 6 * n->len + 2;
  case JN_NUMBER: return size + 32; /* the longest shortest-exact real */
  case JN_ARRAY:
    for (const struct jnode *i = n->items; i; i = i->next) size += jn_size_bound(i, depth + 1);
    return size;
  case JN_OBJECT:
    for (const struct jmember *m = n->members; m; m = m->next)
      size += 6 * m->key_len + 4 + jn_size_bound(m->value, depth + 1);
    return size;
  default: return size + 5;
  }
}

/* ---------------------------------------------------------------- building */

struct jnode *jn_new(struct arena *arena, enum jn_kind kind, struct loc at) {
  struct jnode *n = NEW(arena, struct jnode);
  n->kind = kind;
  n->file = at.file;
  n->start = at.start;
  n->end = at.end;
  return n;
}

struct jnode *jn_string(struct arena *arena, const char *s, size_t len, struct loc at) {
  struct jnode *n = jn_new(arena, JN_STRING, at);
  n->text = arena_strndup(arena, s, len);
  n->len = len;
  return n;
}

struct jnode *jn_str(struct arena *arena, const char *s, struct loc at) {
  return jn_string(arena, s, strlen(s), at);
}

struct jnode *jn_int(struct arena *arena, long long i, struct loc at) {
  struct jnode *n = jn_new(arena, JN_NUMBER, at);
  n->text = arena_printf(arena, "%lld", i);
  n->len = strlen(n->text);
  n->is_integer = true;
  n->number = (double)i;
  return n;
}

struct jnode *jn_real(struct arena *arena, double d, struct loc at) {
  struct jnode *n = jn_new(arena, JN_NUMBER, at);
  struct buf b = {0};
  json_format_real(&b, d);
  n->text = arena_strndup(arena, b.data, b.len);
  n->len = b.len;
  n->number = d;
  buf_free(&b);
  return n;
}

struct jnode *jn_bool(struct arena *arena, bool b, struct loc at) {
  return jn_new(arena, b ? JN_TRUE : JN_FALSE, at);
}

void jn_put(struct arena *arena, struct jnode *object, const char *key, struct loc key_at,
            struct jnode *v) {
  struct jmember *m = NEW(arena, struct jmember);
  m->key_len = strlen(key);
  m->key = arena_strndup(arena, key, m->key_len);
  m->key_start = key_at.start;
  m->key_end = key_at.end;
  m->value = v;
  append_member(object, m);
}

struct loc jn_loc(const struct jnode *n) { return (struct loc){n->file, n->start, n->end}; }

void jn_push(struct jnode *array, struct jnode *v) {
  if (array->last_item) array->last_item->next = v;
  else array->items = v;
  array->last_item = v;
  array->count++;
}

void jn_take_members(struct jnode *into, struct jnode *from) {
  if (!from->members) return;
  if (into->last_member) into->last_member->next = from->members;
  else into->members = from->members;
  into->last_member = from->last_member;
  into->count += from->count;
  from->members = from->last_member = NULL;
  from->count = 0;
}
