#include "sfc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* jsonata.c - a parser for JSONata 2.0.6, the version AWS Step Functions documents.
   It follows the reference implementation (jsonata-js 2.0.6, parser.js): a tokenizer
   called one token at a time, a Pratt (top-down operator precedence) parser, then a
   check of the tree for the errors the reference finds after parsing (literal path
   steps, misplaced groups and bindings, an operand missing at the end).

   Where this differs from the reference: offsets are those of a token's first byte
   (the reference reports the byte after it), and the parent operator '%' is not
   resolved (S0217 is left to an evaluator). */

/* ---------------------------------------------------------------- tokens */

enum tok_type { T_END, T_NAME, T_VARIABLE, T_STRING, T_NUMBER, T_VALUE, T_REGEX, T_OP };

struct token {
  enum tok_type type;
  const char *op;     /* T_OP: the operator's text; T_VALUE: "true", "false" or "null" */
  size_t pos;         /* its first byte */
  const char *text;   /* names, variables, strings (decoded), regex patterns */
  size_t len;
  const char *flags;  /* T_REGEX */
  double number;
};

/* The binding powers of jsonata-js's operator table; an operator missing here binds
   nothing (it only ends an expression). */
static const struct {
  const char *op;
  int lbp;
} binding[] = {
  {".", 75}, {"[", 80}, {"{", 70}, {"(", 80}, {"@", 80}, {"#", 80}, {"?", 20},
  {"+", 50}, {"-", 50}, {"*", 60}, {"/", 60}, {"%", 60}, {"=", 40}, {"<", 40},
  {">", 40}, {"^", 40}, {"!=", 40}, {"<=", 40}, {">=", 40}, {"~>", 40}, {"in", 40},
  {"&", 50}, {"and", 30}, {"or", 25}, {":=", 10},
};

/* Two-byte operators, tried before the one-byte ones. "??" and "?:" came after
   2.0.6; they are tokens here only to be refused with a clear message. */
static const char *const two_byte[] = {"..", ":=", "!=", ">=", "<=", "**", "~>", "??", "?:"};

/* One-byte operators; they also end a name. '!' and '~' are not operators alone. */
static const char one_byte[] = ".[]{}(),@#;:?+-*/%|=<>^&!~";
static const char *const one_byte_text[] = {
  ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+",
  "-", "*", "/", "%", "|", "=", "<", ">", "^", "&", "!", "~",
};

/* The words that are operators, and those that are values. */
static const char *const word_ops[] = {"and", "or", "in"};
static const char *const word_values[] = {"true", "false", "null"};

struct parser {
  struct arena *a;
  const char *text;
  size_t len;
  size_t pos;          /* the tokenizer's position */
  struct token tok;    /* the current token */
  int depth;           /* nesting of expression() calls */
  bool signature;      /* in a lambda's <signature>, where "?:" is '?' then ':' */
  const char *msg;
  size_t err;
};

static bool fail(struct parser *p, size_t offset, const char *msg)
{
  if (!p->msg) {
    p->msg = msg;
    p->err = offset;
  }
  return false;
}

static bool is_space(int c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
}

static bool ends_name(int c)
{
  return is_space(c) || (c != 0 && strchr(one_byte, c) != NULL);
}

static bool is_digit(int c)
{
  return c >= '0' && c <= '9';
}

static int hex_value(int c)
{
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* A token's text for a message: quoted, at most 40 bytes, other than printable ASCII
   shown as '?', so a message stays one short line whatever the expression holds. */
static const char *show(struct parser *p, const char *s, size_t n)
{
  char buf[48];
  size_t k = 0;
  for (size_t i = 0; i < n && k < 40; i++)
    buf[k++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
  buf[k] = 0;
  return arena_printf(p->a, "'%s%s'", buf, n > 40 ? "..." : "");
}

static const char *show_token(struct parser *p, const struct token *t)
{
  switch (t->type) {
  case T_END: return "the end of the expression";
  case T_OP:
  case T_VALUE: return show(p, t->op, strlen(t->op));
  case T_VARIABLE: return arena_printf(p->a, "$%s", show(p, t->text, t->len));
  case T_STRING: return arena_printf(p->a, "string %s", show(p, t->text, t->len));
  case T_NUMBER: return show(p, p->text + t->pos, t->len);
  case T_REGEX: return "a regular expression";
  case T_NAME: break;
  }
  return show(p, t->text, t->len);
}

/* A regular expression after its opening '/': up to a '/' that is outside brackets
   and not escaped, then the flags i and m. */
static bool scan_regex(struct parser *p, struct token *t)
{
  size_t start = p->pos;
  int depth = 0;
  bool escaped = false;
  for (; p->pos < p->len; p->pos++) {
    char c = p->text[p->pos];
    if (c == '/' && depth == 0 && !escaped) {
      if (p->pos == start) return fail(p, t->pos, "S0301: empty regular expressions are not allowed");
      t->type = T_REGEX;
      t->text = arena_strndup(p->a, p->text + start, p->pos - start);
      t->len = p->pos - start;
      size_t f = ++p->pos;
      while (p->pos < p->len && (p->text[p->pos] == 'i' || p->text[p->pos] == 'm')) p->pos++;
      t->flags = arena_strndup(p->a, p->text + f, p->pos - f);
      return true;
    }
    /* the reference looks only at the byte before a bracket, not at a run of '\' */
    bool after_backslash = p->pos > start && p->text[p->pos - 1] == '\\';
    if (strchr("([{", c) && !after_backslash) depth++;
    if (strchr(")]}", c) && !after_backslash) depth--;
    escaped = c == '\\' && !escaped;
  }
  return fail(p, t->pos, "S0302: no terminating / in regular expression");
}

/* A 'single' or "double" quoted string with JSON's escapes, decoded into the arena. */
static bool scan_string(struct parser *p, struct token *t)
{
  char quote = p->text[p->pos++];
  struct buf b = {0};
  while (p->pos < p->len) {
    char c = p->text[p->pos];
    if (c == quote) {
      p->pos++;
      t->type = T_STRING;
      t->text = arena_strndup(p->a, b.data ? b.data : "", b.len);
      t->len = b.len;
      buf_free(&b);
      return true;
    }
    if (c != '\\') {
      buf_addc(&b, c);
      p->pos++;
      continue;
    }
    size_t esc = p->pos++;
    int e = p->pos < p->len ? (unsigned char)p->text[p->pos] : -1;
    const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
    const char *hit = e > 0 ? strchr(from, e) : NULL;
    if (hit) {
      buf_addc(&b, to[hit - from]);
      p->pos++;
    } else if (e == 'u') {
      unsigned long cp = 0;
      for (int i = 1; i <= 4; i++) {
        int h = p->pos + i < p->len ? hex_value((unsigned char)p->text[p->pos + i]) : -1;
        if (h < 0) {
          buf_free(&b);
          return fail(p, esc, "S0104: the escape sequence \\u must be followed by 4 hex digits");
        }
        cp = cp * 16 + (unsigned long)h;
      }
      buf_add_utf8(&b, cp); /* a lone surrogate is kept as the reference's string would be */
      p->pos += 5;
    } else {
      buf_free(&b);
      if (e < 0) break;
      return fail(p, esc, arena_printf(p->a, "S0103: unsupported escape sequence: \\%s",
                                       show(p, p->text + p->pos, 1)));
    }
  }
  buf_free(&b);
  return fail(p, t->pos, "S0101: string literal must be terminated by a matching quote");
}

/* A number as JSON writes one, without the sign (a '-' is an operator). */
static bool scan_number(struct parser *p, struct token *t)
{
  size_t i = p->pos;
  if (p->text[i] == '0') i++;
  else while (i < p->len && is_digit(p->text[i])) i++;
  if (i + 1 < p->len && p->text[i] == '.' && is_digit(p->text[i + 1]))
    for (i++; i < p->len && is_digit(p->text[i]); i++) {}
  if (i < p->len && (p->text[i] == 'e' || p->text[i] == 'E')) {
    size_t j = i + 1;
    if (j < p->len && (p->text[j] == '+' || p->text[j] == '-')) j++;
    if (j < p->len && is_digit(p->text[j])) {
      for (i = j; i < p->len && is_digit(p->text[i]); i++) {}
    }
  }
  char *copy = arena_strndup(p->a, p->text + p->pos, i - p->pos);
  t->type = T_NUMBER;
  t->number = strtod(copy, NULL);
  t->len = i - p->pos;
  if (!isfinite(t->number))
    return fail(p, p->pos, arena_printf(p->a, "S0102: number out of range: %s", show(p, copy, t->len)));
  p->pos = i;
  return true;
}

/* The next token into p->tok. INFIX: an operator is expected, so '/' divides
   rather than starting a regular expression (the reference's rule). */
static bool next_token(struct parser *p, bool infix)
{
  struct token *t = &p->tok;
  const char *s = p->text;
  for (;;) {
    while (p->pos < p->len && is_space(s[p->pos])) p->pos++;
    if (p->pos + 1 < p->len && s[p->pos] == '/' && s[p->pos + 1] == '*') {
      size_t from = p->pos;
      for (p->pos += 2; p->pos + 1 < p->len && !(s[p->pos] == '*' && s[p->pos + 1] == '/'); p->pos++) {}
      if (p->pos + 1 >= p->len) return fail(p, from, "S0106: comment has no closing tag");
      p->pos += 2;
      continue;
    }
    break;
  }
  memset(t, 0, sizeof *t);
  t->pos = p->pos;
  if (p->pos >= p->len) return true; /* T_END */
  char c = s[p->pos];
  if (!infix && c == '/') {
    p->pos++;
    return scan_regex(p, t);
  }
  for (size_t i = 0; i < sizeof two_byte / sizeof two_byte[0]; i++) {
    if (p->pos + 1 < p->len && c == two_byte[i][0] && s[p->pos + 1] == two_byte[i][1]) {
      if (two_byte[i][0] == '?' && p->signature) continue;
      if (two_byte[i][0] == '?')
        return fail(p, p->pos, arena_printf(p->a, "S0211: the %s operator '%s' is not in JSONata "
                                            "2.0.6, which AWS Step Functions implements",
                                            two_byte[i][1] == '?' ? "coalescing" : "default",
                                            two_byte[i]));
      t->type = T_OP;
      t->op = two_byte[i];
      p->pos += 2;
      return true;
    }
  }
  const char *one = strchr(one_byte, c);
  if (c != 0 && one) {
    if (c == '!' || c == '~')
      return fail(p, p->pos, arena_printf(p->a, "S0204: unknown operator: '%c'", c));
    t->type = T_OP;
    t->op = one_byte_text[one - one_byte];
    p->pos++;
    return true;
  }
  if (c == '"' || c == '\'') return scan_string(p, t);
  if (is_digit(c)) return scan_number(p, t);
  if (c == '`') {
    const char *end = memchr(s + p->pos + 1, '`', p->len - p->pos - 1);
    if (!end) return fail(p, p->pos, "S0105: quoted property name must be terminated with a backquote (`)");
    t->type = T_NAME;
    t->len = (size_t)(end - (s + p->pos + 1));
    t->text = arena_strndup(p->a, s + p->pos + 1, t->len);
    p->pos += t->len + 2;
    return true;
  }
  /* a name runs to whitespace or an operator byte; '$' in front makes a variable */
  size_t i = p->pos;
  while (i < p->len && !ends_name((unsigned char)s[i])) i++;
  bool var = c == '$';
  t->type = var ? T_VARIABLE : T_NAME;
  t->text = arena_strndup(p->a, s + p->pos + var, i - p->pos - var);
  t->len = i - p->pos - var;
  p->pos = i;
  if (var) return true;
  for (size_t k = 0; k < 3; k++) {
    if (t->len == strlen(word_ops[k]) && !memcmp(t->text, word_ops[k], t->len)) {
      t->type = T_OP;
      t->op = word_ops[k];
    } else if (t->len == strlen(word_values[k]) && !memcmp(t->text, word_values[k], t->len)) {
      t->type = T_VALUE;
      t->op = word_values[k];
    }
  }
  return true;
}

/* ---------------------------------------------------------------- the Pratt parser */

static bool is_op(const struct token *t, const char *op)
{
  return t->type == T_OP && !strcmp(t->op, op);
}

static int lbp(const struct token *t)
{
  if (t->type != T_OP) return 0;
  for (size_t i = 0; i < sizeof binding / sizeof binding[0]; i++)
    if (!strcmp(binding[i].op, t->op)) return binding[i].lbp;
  return 0;
}

/* Moves past the current token, which must be the operator WANT when given. */
static bool advance(struct parser *p, const char *want, bool infix)
{
  if (want && !is_op(&p->tok, want)) {
    if (p->tok.type == T_END)
      return fail(p, p->tok.pos, arena_printf(p->a, "S0203: expected '%s' before the end of the expression", want));
    return fail(p, p->tok.pos, arena_printf(p->a, "S0202: expected '%s', got %s", want,
                                            show_token(p, &p->tok)));
  }
  return next_token(p, infix);
}

static struct jn_ast *node(struct parser *p, enum ja_kind kind, size_t pos)
{
  struct jn_ast *n = NEW(p->a, struct jn_ast);
  n->kind = kind;
  n->pos = pos;
  return n;
}

/* Appends N to the list whose last element's next field is *TAIL. */
static void append(struct jn_ast ***tail, struct jn_ast *n)
{
  **tail = n;
  *tail = &n->next;
}

static struct jn_ast *expression(struct parser *p, int rbp);

/* [items], with a..b ranges allowed as items. */
static struct jn_ast *array_constructor(struct parser *p, struct jn_ast *n)
{
  struct jn_ast **tail = &n->items;
  if (!is_op(&p->tok, "]")) {
    for (;;) {
      struct jn_ast *item = expression(p, 0);
      if (!item) return NULL;
      if (is_op(&p->tok, "..")) {
        struct jn_ast *range = node(p, JA_BINARY, p->tok.pos);
        range->op = "..";
        range->lhs = item;
        if (!advance(p, "..", false) || !(range->rhs = expression(p, 0))) return NULL;
        item = range;
      }
      append(&tail, item);
      if (!is_op(&p->tok, ",")) break;
      if (!advance(p, ",", false)) return NULL;
    }
  }
  return advance(p, "]", true) ? n : NULL;
}

/* The pairs of an object constructor or a group: {key: value, ...}. */
static struct jn_ast *object_pairs(struct parser *p, struct jn_ast *n)
{
  struct jn_ast **tail = &n->items;
  if (!is_op(&p->tok, "}")) {
    for (;;) {
      struct jn_ast *key = expression(p, 0), *value;
      if (!key || !advance(p, ":", false) || !(value = expression(p, 0))) return NULL;
      append(&tail, key);
      append(&tail, value);
      if (!is_op(&p->tok, ",")) break;
      if (!advance(p, ",", false)) return NULL;
    }
  }
  return advance(p, "}", true) ? n : NULL;
}

/* The prefix forms: T is the token that starts the operand, already moved past. */
static struct jn_ast *nud(struct parser *p, const struct token *t)
{
  struct jn_ast *n;
  switch (t->type) {
  case T_END: return node(p, JA_END, t->pos); /* reported after parsing, as the reference does */
  case T_NAME:
  case T_VARIABLE:
  case T_STRING:
  case T_REGEX:
    n = node(p, t->type == T_NAME ? JA_NAME : t->type == T_VARIABLE ? JA_VARIABLE
                : t->type == T_STRING ? JA_STRING : JA_REGEX, t->pos);
    n->text = t->text;
    n->len = t->len;
    n->extra = t->flags;
    return n;
  case T_NUMBER:
    n = node(p, JA_NUMBER, t->pos);
    n->number = t->number;
    return n;
  case T_VALUE:
    return node(p, t->op[0] == 't' ? JA_TRUE : t->op[0] == 'f' ? JA_FALSE : JA_NULL, t->pos);
  case T_OP: break;
  }
  const char *op = t->op;
  if (!strcmp(op, "and") || !strcmp(op, "or") || !strcmp(op, "in")) { /* field names too */
    n = node(p, JA_NAME, t->pos);
    n->text = op;
    n->len = strlen(op);
    return n;
  }
  if (!strcmp(op, "*")) return node(p, JA_WILDCARD, t->pos);
  if (!strcmp(op, "**")) return node(p, JA_DESCENDANT, t->pos);
  if (!strcmp(op, "%")) return node(p, JA_PARENT, t->pos);
  if (!strcmp(op, "-")) {
    n = node(p, JA_NEGATE, t->pos);
    return (n->lhs = expression(p, 70)) ? n : NULL;
  }
  if (!strcmp(op, "[")) return array_constructor(p, node(p, JA_ARRAY, t->pos));
  if (!strcmp(op, "{")) return object_pairs(p, node(p, JA_OBJECT, t->pos));
  if (!strcmp(op, "(")) {
    n = node(p, JA_BLOCK, t->pos);
    struct jn_ast **tail = &n->items;
    while (!is_op(&p->tok, ")")) {
      struct jn_ast *e = expression(p, 0);
      if (!e) return NULL;
      append(&tail, e);
      if (!is_op(&p->tok, ";")) break;
      if (!advance(p, ";", false)) return NULL;
    }
    return advance(p, ")", true) ? n : NULL;
  }
  if (!strcmp(op, "|")) {
    n = node(p, JA_TRANSFORM, t->pos);
    if (!(n->lhs = expression(p, 0)) || !advance(p, "|", false) || !(n->rhs = expression(p, 0)))
      return NULL;
    if (is_op(&p->tok, ",") && (!advance(p, ",", false) || !(n->third = expression(p, 0)))) return NULL;
    return advance(p, "|", false) ? n : NULL;
  }
  fail(p, t->pos, arena_printf(p->a, "S0211: the symbol %s cannot be used as a unary operator",
                               show(p, op, strlen(op))));
  return NULL;
}

/* S0401 and S0402 of a lambda's signature, which the reference checks when parsing:
   a type parameter <...> only after a or f, and none inside a choice (...). */
static bool check_signature(struct parser *p, const char *sig, size_t n, size_t at)
{
  char prev = 0;
  for (size_t i = 1; i < n && sig[i] != ':'; i++) {
    if (sig[i] == '(') {
      size_t j = i + 1;
      for (int depth = 1; j < n; j++) {
        if (sig[j] == '(') depth++;
        if (sig[j] == ')' && --depth == 0) break;
      }
      if (memchr(sig + i, '<', j - i))
        return fail(p, at, "S0402: choice groups containing parameterized types are not supported");
      prev = '(';
      i = j;
    } else if (sig[i] == '<') {
      if (prev != 'a' && prev != 'f')
        return fail(p, at, "S0401: type parameters can only be applied to functions and arrays");
      size_t j = i + 1;
      for (int depth = 1; j < n; j++) {
        if (sig[j] == '<') depth++;
        if (sig[j] == '>' && --depth == 0) break;
      }
      i = j;
    } else if (strchr("snblofjxa", sig[i])) {
      prev = sig[i];
    }
  }
  return true;
}

/* function($x, ...)<signature>{body}: N is the call just parsed. */
static struct jn_ast *lambda(struct parser *p, struct jn_ast *n)
{
  int index = 1;
  for (struct jn_ast *arg = n->items; arg; arg = arg->next, index++)
    if (arg->kind != JA_VARIABLE) {
      fail(p, arg->pos, arena_printf(p->a, "S0208: parameter %d of function definition must be "
                                     "a variable name (start with $)", index));
      return NULL;
    }
  n->kind = JA_LAMBDA;
  if (is_op(&p->tok, "<")) {
    /* the reference joins the tokens up to the matching '>'; without spaces that is
       the text itself */
    size_t at = p->tok.pos;
    struct buf sig = {0};
    int depth = 1;
    buf_addc(&sig, '<');
    p->signature = true;
    while (depth > 0 && !is_op(&p->tok, "{") && p->tok.type != T_END) {
      if (!advance(p, NULL, false)) { buf_free(&sig); return NULL; }
      struct token *t = &p->tok;
      if (is_op(t, ">")) depth--;
      else if (is_op(t, "<")) depth++;
      if (t->type == T_OP || t->type == T_VALUE) buf_adds(&sig, t->op);
      else if (t->type != T_END) buf_add(&sig, p->text + t->pos, p->pos - t->pos);
    }
    p->signature = false;
    n->extra = arena_strndup(p->a, sig.data, sig.len);
    buf_free(&sig);
    if (!advance(p, ">", false) || !check_signature(p, n->extra, strlen(n->extra), at)) return NULL;
  }
  if (!advance(p, "{", false) || !(n->rhs = expression(p, 0)) || !advance(p, "}", false)) return NULL;
  return n;
}

/* A call, a partial application or a lambda: LEFT(args). */
static struct jn_ast *call(struct parser *p, struct jn_ast *left, size_t pos)
{
  struct jn_ast *n = node(p, JA_CALL, pos), **tail = &n->items;
  n->lhs = left;
  if (!is_op(&p->tok, ")")) {
    for (;;) {
      struct jn_ast *arg;
      if (is_op(&p->tok, "?")) {
        n->kind = JA_PARTIAL;
        arg = node(p, JA_PLACEHOLDER, p->tok.pos);
        if (!advance(p, "?", false)) return NULL;
      } else if (!(arg = expression(p, 0))) {
        return NULL;
      }
      append(&tail, arg);
      if (!is_op(&p->tok, ",")) break;
      if (!advance(p, ",", false)) return NULL;
    }
  }
  if (!advance(p, ")", true)) return NULL;
  bool is_function = left->kind == JA_NAME &&
                     ((left->len == 8 && !memcmp(left->text, "function", 8)) ||
                      (left->len == 2 && !memcmp(left->text, "\xce\xbb", 2))); /* λ */
  return is_function ? lambda(p, n) : n;
}

/* The infix forms: T is the operator token, already moved past. */
static struct jn_ast *led(struct parser *p, const struct token *t, struct jn_ast *left)
{
  const char *op = t->op;
  struct jn_ast *n;
  if (!strcmp(op, "(")) return call(p, left, t->pos);
  if (!strcmp(op, "[")) {
    if (is_op(&p->tok, "]")) { /* [] keeps a singleton array: a mark on the step */
      struct jn_ast *step = left;
      while (step->kind == JA_PREDICATE) step = step->lhs;
      step->keep_array = true;
      return advance(p, "]", false) ? left : NULL;
    }
    n = node(p, JA_PREDICATE, t->pos);
    n->lhs = left;
    return (n->rhs = expression(p, 0)) && advance(p, "]", true) ? n : NULL;
  }
  if (!strcmp(op, "{")) {
    n = node(p, JA_GROUP, t->pos);
    n->lhs = left;
    return object_pairs(p, n);
  }
  if (!strcmp(op, "^")) {
    n = node(p, JA_SORT, t->pos);
    n->lhs = left;
    if (!advance(p, "(", false)) return NULL;
    struct jn_ast **tail = &n->items;
    for (;;) {
      struct jn_ast *term = node(p, JA_SORT_TERM, p->tok.pos);
      if (is_op(&p->tok, "<") || is_op(&p->tok, ">")) {
        term->descending = is_op(&p->tok, ">");
        if (!advance(p, NULL, false)) return NULL;
      }
      if (!(term->lhs = expression(p, 0))) return NULL;
      append(&tail, term);
      if (!is_op(&p->tok, ",")) break;
      if (!advance(p, ",", false)) return NULL;
    }
    return advance(p, ")", false) ? n : NULL;
  }
  if (!strcmp(op, ":=")) {
    if (left->kind != JA_VARIABLE) {
      fail(p, left->pos, "S0212: the left side of := must be a variable name (start with $)");
      return NULL;
    }
    n = node(p, JA_BIND, t->pos);
    n->lhs = left;
    return (n->rhs = expression(p, 10 - 1)) ? n : NULL; /* right-associative */
  }
  if (!strcmp(op, "@") || !strcmp(op, "#")) {
    n = node(p, op[0] == '@' ? JA_FOCUS : JA_INDEX, t->pos);
    n->lhs = left;
    struct jn_ast *var = expression(p, 80);
    if (!var) return NULL;
    if (var->kind != JA_VARIABLE) {
      fail(p, var->pos, arena_printf(p->a, "S0214: the right side of %s must be a variable name "
                                     "(start with $)", op));
      return NULL;
    }
    n->text = var->text;
    n->len = var->len;
    return n;
  }
  if (!strcmp(op, "?")) {
    n = node(p, JA_CONDITION, t->pos);
    n->lhs = left;
    if (!(n->rhs = expression(p, 0))) return NULL;
    if (is_op(&p->tok, ":") && (!advance(p, ":", false) || !(n->third = expression(p, 0)))) return NULL;
    return n;
  }
  n = node(p, JA_BINARY, t->pos);
  n->op = op;
  n->lhs = left;
  return (n->rhs = expression(p, lbp(t))) ? n : NULL;
}

/* Pratt's loop: an operand, then operators that bind tighter than RBP. */
static struct jn_ast *expression(struct parser *p, int rbp)
{
  if (++p->depth > JN_MAX_DEPTH) {
    fail(p, p->tok.pos, "the expression is nested too deeply");
    return NULL;
  }
  struct token t = p->tok;
  if (!advance(p, NULL, true)) return NULL;
  struct jn_ast *left = nud(p, &t);
  while (left && rbp < lbp(&p->tok)) {
    t = p->tok;
    if (!advance(p, NULL, false)) return NULL;
    left = led(p, &t, left);
  }
  p->depth--;
  return left;
}

/* ---------------------------------------------------------------- after parsing */

/* The reference flattens a.b.c into a path of steps and then refuses some shapes.
   A shape is what that pass would make of a subtree: a path (whose last step's
   marks matter) or a single value. */
enum { M_GROUP = 1, M_PREDICATE = 2, M_SORT = 4 };
struct shape {
  bool path;
  unsigned self;              /* marks of the path, or of the value */
  unsigned last;              /* a path: marks of its last step */
  const struct jn_ast *literal; /* a number, true, false or null as a step (or the value) */
};

static bool check(struct parser *p, const struct jn_ast *n, int depth, struct shape *out);

static bool check_list(struct parser *p, const struct jn_ast *n, int depth)
{
  struct shape ignored;
  for (; n; n = n->next)
    if (!check(p, n, depth, &ignored)) return false;
  return true;
}

static bool check(struct parser *p, const struct jn_ast *n, int depth, struct shape *out)
{
  struct shape l, r;
  memset(out, 0, sizeof *out);
  if (depth > JN_MAX_DEPTH) return fail(p, n->pos, "the expression is nested too deeply");
  depth++;
  switch (n->kind) {
  case JA_END: return fail(p, n->pos, "S0207: unexpected end of expression");
  case JA_NUMBER: case JA_TRUE: case JA_FALSE: case JA_NULL:
    out->literal = n;
    return true;
  case JA_NAME:
    out->path = true;
    return true;
  case JA_STRING: case JA_VARIABLE: case JA_REGEX: case JA_WILDCARD: case JA_DESCENDANT:
  case JA_PARENT: case JA_PLACEHOLDER:
    return true;
  case JA_NEGATE: /* -1 is folded into a number */
    if (!check(p, n->lhs, depth, &l)) return false;
    if (n->lhs->kind == JA_NUMBER) out->literal = n;
    return true;
  case JA_BINARY:
    if (!check(p, n->lhs, depth, &l)) return false;
    if (strcmp(n->op, ".")) return check(p, n->rhs, depth, &r);
    if (!l.path) l = (struct shape){true, 0, l.self, l.literal};
    if (!check(p, n->rhs, depth, &r)) return false;
    *out = l;
    out->last = r.path ? r.last : r.self;
    if (!out->literal) out->literal = r.literal;
    if (out->literal)
      return fail(p, out->literal->pos, "S0213: a literal value cannot be used as a step within a path expression");
    return true;
  case JA_PREDICATE:
    if (!check(p, n->lhs, depth, out)) return false;
    if ((out->path ? out->last : out->self) & M_GROUP)
      return fail(p, n->pos, "S0209: a predicate cannot follow a grouping expression in a step");
    *(out->path ? &out->last : &out->self) |= M_PREDICATE;
    return check(p, n->rhs, depth, &r);
  case JA_GROUP:
    if (!check(p, n->lhs, depth, out)) return false;
    if (out->self & M_GROUP) return fail(p, n->pos, "S0210: each step can only have one grouping expression");
    out->self |= M_GROUP;
    return check_list(p, n->items, depth);
  case JA_SORT:
    if (!check(p, n->lhs, depth, out)) return false;
    if (!out->path) *out = (struct shape){true, 0, out->self, out->literal};
    out->last = M_SORT;
    for (const struct jn_ast *term = n->items; term; term = term->next)
      if (!check(p, term->lhs, depth, &r)) return false;
    return true;
  case JA_FOCUS:
    if (!check(p, n->lhs, depth, out)) return false;
    if ((out->path ? out->last : out->self) & M_PREDICATE)
      return fail(p, n->pos, "S0215: a context variable binding must precede any predicates on a step");
    if ((out->path ? out->last : out->self) & M_SORT)
      return fail(p, n->pos, "S0216: a context variable binding must precede the 'order-by' clause on a step");
    return true;
  case JA_INDEX:
    if (!check(p, n->lhs, depth, out)) return false;
    if (!out->path) *out = (struct shape){true, 0, out->self, out->literal};
    return true;
  case JA_BIND:
    return check(p, n->lhs, depth, &l) && check(p, n->rhs, depth, &r);
  case JA_CONDITION:
  case JA_TRANSFORM:
    return check(p, n->lhs, depth, &l) && check(p, n->rhs, depth, &r) &&
           (!n->third || check(p, n->third, depth, &r));
  case JA_CALL:
  case JA_PARTIAL:
    return check_list(p, n->items, depth) && check(p, n->lhs, depth, &l);
  case JA_LAMBDA:
    return check(p, n->rhs, depth, &r);
  case JA_ARRAY:
  case JA_OBJECT:
  case JA_BLOCK:
    return check_list(p, n->items, depth);
  case JA_SORT_TERM:
    return check(p, n->lhs, depth, &r);
  }
  return true;
}

const char *jsonata_parse(struct arena *a, const char *text, size_t len, struct jn_ast **out,
                          size_t *err_offset)
{
  struct parser p = {.a = a, .text = text, .len = len};
  struct jn_ast *tree = NULL;
  struct shape shape;
  if (next_token(&p, false) && (tree = expression(&p, 0)) && p.tok.type != T_END)
    fail(&p, p.tok.pos, arena_printf(a, "S0201: syntax error: %s", show_token(&p, &p.tok)));
  if (!p.msg) check(&p, tree, 0, &shape);
  if (p.msg) {
    *out = NULL;
    *err_offset = p.err;
    return p.msg;
  }
  *out = tree;
  return NULL;
}
