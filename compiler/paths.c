#include "sfc.h"

#include <string.h>

/* paths.c - checks JSONPath strings the way AWS Step Functions (JSONPath mode, which uses
   Jayway JSONPath) accepts them, so bad paths are reported at compile time with a precise
   offset instead of being rejected when the state machine is created.

   The checker is a cursor scanner: one function per construct, each consuming its bytes and
   returning false after recording the first error in the cursor. */

/* Scanner state; `open` is the '[' of the bracket being read, `in_filter` is set while a
   path inside a filter is read (it ends differently), `depth` counts nested filters and
   parentheses. */
struct cursor {
  const char *text;
  size_t len;
  size_t pos;
  size_t open;
  bool definite;
  bool in_filter;
  int depth;
  const char *msg;
  size_t err;
};

/* Records an error; returning false lets every caller propagate it with a plain return. */
static bool fail(struct cursor *c, const char *msg, size_t offset)
{
  c->msg = msg;
  c->err = offset;
  return false;
}

/* Tells the end of the text apart from any byte, including an embedded NUL. */
static bool at_end(const struct cursor *c)
{
  return c->pos >= c->len;
}

/* The current byte (0..255), or -1 at the end, so callers never read past LEN. */
static int peek(const struct cursor *c)
{
  return at_end(c) ? -1 : (unsigned char)c->text[c->pos];
}

/* Running out of text inside brackets is always blamed on the unmatched '['. */
static bool unterminated(struct cursor *c)
{
  return fail(c, "unterminated '['", c->open);
}

static bool is_digit(int ch)
{
  return ch >= '0' && ch <= '9';
}

/* Whitespace that may surround tokens inside brackets. */
static bool is_space(int ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static void skip_space(struct cursor *c)
{
  while (is_space(peek(c)))
    c->pos++;
}

/* Variable names ($name) are C-like identifiers. */
static bool is_ident_start(int ch)
{
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
}

static bool is_ident_char(int ch)
{
  return is_ident_start(ch) || is_digit(ch);
}

/* Characters that end a relational operator written with symbols, and a name inside a
   filter. */
static bool is_operator_char(int ch)
{
  return ch == '<' || ch == '>' || ch == '=' || ch == '~' || ch == '!';
}

/* Bytes allowed unescaped in a dot name: anything but path syntax, whitespace and control
   characters (so `.detail-type` and UTF-8 names work); inside a filter, operator characters
   also end a name. */
static bool is_name_char(const struct cursor *c, int ch)
{
  if (ch < 0x20 || ch == 0x7f)
    return false;
  if (c->in_filter && (is_operator_char(ch) || ch == '&' || ch == '|'))
    return false;
  switch (ch) {
  case '.': case '[': case ']': case '(': case ')': case '\'': case '"':
  case ',': case '*': case '@': case '?': case ':': case '$': case ' ': case '\\':
    return false;
  default:
    return true;
  }
}

/* Messages must be string literals, so each ASCII byte has its own, showing the byte the way
   a C character literal would (readable for control characters). */
static const char *unexpected_message(int ch)
{
#define U(shown) "unexpected '" shown "' in path"
  static const char *const messages[128] = {
    U("\\0"), U("\\x01"), U("\\x02"), U("\\x03"), U("\\x04"), U("\\x05"), U("\\x06"), U("\\a"),
    U("\\b"), U("\\t"), U("\\n"), U("\\v"), U("\\f"), U("\\r"), U("\\x0e"), U("\\x0f"),
    U("\\x10"), U("\\x11"), U("\\x12"), U("\\x13"), U("\\x14"), U("\\x15"), U("\\x16"), U("\\x17"),
    U("\\x18"), U("\\x19"), U("\\x1a"), U("\\x1b"), U("\\x1c"), U("\\x1d"), U("\\x1e"), U("\\x1f"),
    U(" "), U("!"), U("\""), U("#"), U("$"), U("%"), U("&"), U("\\'"),
    U("("), U(")"), U("*"), U("+"), U(","), U("-"), U("."), U("/"),
    U("0"), U("1"), U("2"), U("3"), U("4"), U("5"), U("6"), U("7"),
    U("8"), U("9"), U(":"), U(";"), U("<"), U("="), U(">"), U("?"),
    U("@"), U("A"), U("B"), U("C"), U("D"), U("E"), U("F"), U("G"),
    U("H"), U("I"), U("J"), U("K"), U("L"), U("M"), U("N"), U("O"),
    U("P"), U("Q"), U("R"), U("S"), U("T"), U("U"), U("V"), U("W"),
    U("X"), U("Y"), U("Z"), U("["), U("\\\\"), U("]"), U("^"), U("_"),
    U("`"), U("a"), U("b"), U("c"), U("d"), U("e"), U("f"), U("g"),
    U("h"), U("i"), U("j"), U("k"), U("l"), U("m"), U("n"), U("o"),
    U("p"), U("q"), U("r"), U("s"), U("t"), U("u"), U("v"), U("w"),
    U("x"), U("y"), U("z"), U("{"), U("|"), U("}"), U("~"), U("\\x7f"),
  };
#undef U
  if (ch >= 0 && ch < 128)
    return messages[ch];
  return "unexpected non-ASCII byte in path";
}

/* Skips a quoted string or regex literal starting at the cursor; a backslash escapes the next
   byte, as in Jayway. MSG is reported at the opening delimiter if it is never closed. */
static bool skip_literal(struct cursor *c, const char *msg)
{
  size_t start = c->pos;
  int delim = peek(c);

  c->pos++;
  while (!at_end(c)) {
    int ch = peek(c);
    if (ch == '\\') {
      if (c->pos + 1 >= c->len)
        break;
      c->pos += 2;
      continue;
    }
    c->pos++;
    if (ch == delim)
      return true;
  }
  return fail(c, msg, start);
}

/* Consumes the rest of a bracket that must now close, after optional whitespace. */
static bool close_bracket(struct cursor *c, const char *msg)
{
  skip_space(c);
  if (at_end(c))
    return unterminated(c);
  if (peek(c) != ']')
    return fail(c, msg, c->pos);
  c->pos++;
  return true;
}

/* Reads an optional, optionally negative decimal integer; Jayway parses indexes as Java ints,
   so anything outside 32 bits is rejected here rather than at deployment. */
static bool scan_int(struct cursor *c, bool *found)
{
  size_t start = c->pos;
  bool negative = false;
  unsigned long long value = 0;

  *found = false;
  if (peek(c) == '-') {
    negative = true;
    c->pos++;
    if (at_end(c))
      return unterminated(c);
    if (!is_digit(peek(c)))
      return fail(c, "expected a digit after '-'", c->pos);
  }
  if (!is_digit(peek(c)))
    return true;
  while (is_digit(peek(c))) {
    if (value <= 2147483648ULL)
      value = value * 10 + (unsigned)(peek(c) - '0');
    c->pos++;
  }
  if (value > (negative ? 2147483648ULL : 2147483647ULL))
    return fail(c, "array index out of range", start);
  *found = true;
  return true;
}

/* After the first number and a ':' the bracket is a slice [start:end:step]; at least a start
   or an end is required (Jayway rejects `[:]`). */
static bool scan_slice(struct cursor *c, bool have_start)
{
  size_t first_colon = c->pos;
  bool have_bound = have_start;
  int colons = 0;

  bool found = have_start;

  c->definite = false;
  while (peek(c) == ':') {
    if (++colons > 2)
      return fail(c, "too many ':' in slice", c->pos);
    c->pos++;
    skip_space(c);
    if (!scan_int(c, &found))
      return false;
    if (found && colons == 1)
      have_bound = true;
    skip_space(c);
  }
  if (at_end(c))
    return unterminated(c);
  if (peek(c) == '.')
    return fail(c, "array index must be an integer", c->pos);
  if (peek(c) != ']') {
    if (colons < 2)
      return fail(c, found ? "expected ':' or ']' in slice"
                           : "expected a number, ':' or ']' in slice", c->pos);
    return fail(c, found ? "expected ']' after slice"
                         : "expected a number or ']' in slice", c->pos);
  }
  if (!have_bound)
    return fail(c, "expected a start or end index in slice", first_colon);
  c->pos++;
  return true;
}

/* Numeric bracket contents: one index [N], an index union [N,M,...], or a slice. */
static bool scan_indexes(struct cursor *c)
{
  bool found;
  bool single = true;

  if (!scan_int(c, &found))
    return false;
  skip_space(c);
  if (peek(c) == ':')
    return scan_slice(c, found);
  for (;;) {
    int ch = peek(c);
    if (ch < 0)
      return unterminated(c);
    if (ch == ']') {
      c->pos++;
      return true;
    }
    if (ch == '.')
      return fail(c, "array index must be an integer", c->pos);
    if (ch != ',')
      return fail(c, single ? "expected ',', ':' or ']' after index"
                            : "expected ',' or ']' after index", c->pos);
    single = false;
    c->definite = false;
    c->pos++;
    skip_space(c);
    if (at_end(c))
      return unterminated(c);
    if (!scan_int(c, &found))
      return false;
    if (!found)
      return fail(c, "expected an index after ','", c->pos);
    skip_space(c);
  }
}

/* ['name'] or ["name"], possibly a union of several; one bracket uses one quote character,
   since Jayway takes the first quote as the delimiter for the whole list. */
static bool scan_quoted_names(struct cursor *c)
{
  int quote = peek(c);

  for (;;) {
    int ch;
    if (!skip_literal(c, "unclosed quote in bracket"))
      return false;
    skip_space(c);
    ch = peek(c);
    if (ch < 0)
      return unterminated(c);
    if (ch == ']') {
      c->pos++;
      return true;
    }
    if (ch != ',')
      return fail(c, "expected ',' or ']' after quoted name", c->pos);
    c->definite = false;
    c->pos++;
    skip_space(c);
    ch = peek(c);
    if (ch < 0)
      return unterminated(c);
    if (ch == '\'' || ch == '"') {
      if (ch != quote)
        return fail(c, "mixed quote characters in bracket", c->pos);
      continue;
    }
    return fail(c, "expected a quoted name after ','", c->pos);
  }
}

/* ---------------------------------------------------------------- filters

   [?( ... )] is compiled by Jayway's FilterCompiler; this is its grammar:

     or       = and { '||' and }
     and      = operand { '&&' operand }
     operand  = '!' operand | '(' or ')' | relation
     relation = value [ operator value ]      (a lone value must be a path: an exists test)
     value    = ['!'] path | 'string' | "string" | number | true | false | null
              | [json array] | {json object} | /regex/flags
     path     = ('@' | '$') segments, where a name may end in '()' (a function such as
                length()), and the path stops at a space, an operator character or ')'

   Only ' ' separates tokens, as in Jayway. Operators are the table below, words in any
   case; a word operator is followed by a space. */

/* Filters and parentheses nested deeper than this are refused, bounding the recursion. */
#define MAX_FILTER_DEPTH 32

static const char *const filter_symbol_ops[] = {
  "==", "!=", "<", "<=", ">", ">=", "=~", "===", "!==",
};
static const char *const filter_word_ops[] = {
  "in", "nin", "subsetof", "anyof", "noneof", "size", "empty", "contains", "all", "exists",
  "type", "matches",
};

static bool scan_segments(struct cursor *c);

static bool is_letter(int ch)
{
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static void skip_blanks(struct cursor *c)
{
  while (peek(c) == ' ')
    c->pos++;
}

/* True, consuming it, if the two bytes at the cursor are TWO (after blanks). */
static bool take_pair(struct cursor *c, const char *two)
{
  skip_blanks(c);
  if (c->pos + 1 < c->len && c->text[c->pos] == two[0] && c->text[c->pos + 1] == two[1]) {
    c->pos += 2;
    return true;
  }
  return false;
}

/* True if the LEN bytes at S equal WORD, ASCII case folded. */
static bool same_word(const char *s, size_t len, const char *word)
{
  if (strlen(word) != len)
    return false;
  for (size_t i = 0; i < len; i++) {
    int ch = (unsigned char)s[i];
    if (ch >= 'A' && ch <= 'Z')
      ch += 'a' - 'A';
    if (ch != word[i])
      return false;
  }
  return true;
}

static bool in_table(const char *s, size_t len, const char *const *table, size_t n,
                     bool fold)
{
  for (size_t i = 0; i < n; i++)
    if (fold ? same_word(s, len, table[i])
             : strlen(table[i]) == len && memcmp(s, table[i], len) == 0)
      return true;
  return false;
}

/* A path from '@' (the current item) or '$' (the document) inside a filter. */
static bool filter_path(struct cursor *c)
{
  bool in_filter = c->in_filter;
  bool ok;

  c->pos++; /* '@' or '$' */
  c->in_filter = true;
  ok = scan_segments(c);
  c->in_filter = in_filter;
  return ok;
}

/* A number as Java's BigDecimal reads the bytes Jayway gives it: [-]digits[.digits][e[-]digits]. */
static bool filter_number(struct cursor *c)
{
  size_t start = c->pos;
  size_t digits = 0;

  if (peek(c) == '-')
    c->pos++;
  while (is_digit(peek(c))) {
    c->pos++;
    digits++;
  }
  if (peek(c) == '.') {
    c->pos++;
    while (is_digit(peek(c))) {
      c->pos++;
      digits++;
    }
  }
  if (digits > 0 && (peek(c) == 'e' || peek(c) == 'E')) {
    size_t exp;
    c->pos++;
    if (peek(c) == '-')
      c->pos++;
    exp = c->pos;
    while (is_digit(peek(c)))
      c->pos++;
    if (c->pos == exp)
      digits = 0;
  }
  if (digits == 0 || peek(c) == '.' || peek(c) == '-' || peek(c) == 'e' || peek(c) == 'E')
    return fail(c, "invalid number in filter", start);
  return true;
}

/* [json] or {json}: like Jayway, only the brackets are matched here (quoted strings
   skipped); the content is parsed when the filter runs. */
static bool filter_json(struct cursor *c)
{
  size_t start = c->pos;
  int open = peek(c);
  int close = open == '[' ? ']' : '}';
  int depth = 0;

  while (!at_end(c)) {
    int ch = peek(c);
    if (ch == '\'' || ch == '"') {
      if (!skip_literal(c, "unclosed quote in filter"))
        return false;
      continue;
    }
    c->pos++;
    if (ch == open)
      depth++;
    else if (ch == close && --depth == 0)
      return true;
  }
  return fail(c, open == '[' ? "unclosed '[' in filter" : "unclosed '{' in filter", start);
}

/* One operand of a comparison; *IS_PATH tells whether it was a path. */
static bool filter_value(struct cursor *c, bool *is_path)
{
  int ch;

  *is_path = false;
  skip_blanks(c);
  ch = peek(c);
  if (ch == '!') {
    size_t bang = c->pos++;
    skip_blanks(c);
    if (peek(c) != '@' && peek(c) != '$')
      return fail(c, "expected a path after '!' in filter", bang);
    ch = peek(c);
  }
  if (ch == '@' || ch == '$') {
    *is_path = true;
    return filter_path(c);
  }
  if (ch == '\'' || ch == '"')
    return skip_literal(c, "unclosed quote in filter");
  if (ch == '/') {
    if (!skip_literal(c, "unclosed regex in filter"))
      return false;
    while (is_letter(peek(c))) /* flags such as i */
      c->pos++;
    return true;
  }
  if (ch == '[' || ch == '{')
    return filter_json(c);
  if (ch == '-' || is_digit(ch))
    return filter_number(c);
  if (is_letter(ch) || ch == '_') {
    static const char *const words[] = { "true", "false", "null" };
    size_t start = c->pos;
    while (is_ident_char(peek(c)))
      c->pos++;
    if (in_table(c->text + start, c->pos - start, words, 3, false))
      return true;
    if (in_table(c->text + start, c->pos - start, words, 3, true))
      return fail(c, "true, false and null are lowercase in filter", start);
    return fail(c, "unquoted text in filter: strings are quoted ('text')", start);
  }
  return fail(c, "expected a value in filter: a path, number, 'string', true, false, null, "
                 "array or /regex/", c->pos);
}

/* value [operator value]. */
static bool filter_relation(struct cursor *c)
{
  bool is_path, right_is_path;
  size_t op;

  if (!filter_value(c, &is_path))
    return false;
  skip_blanks(c);
  op = c->pos;
  if (is_operator_char(peek(c))) {
    while (is_operator_char(peek(c)))
      c->pos++;
    if (!in_table(c->text + op, c->pos - op, filter_symbol_ops,
                  sizeof filter_symbol_ops / sizeof *filter_symbol_ops, false))
      return fail(c, "unknown operator in filter", op);
  } else if (is_letter(peek(c))) {
    while (is_letter(peek(c)))
      c->pos++;
    if (!in_table(c->text + op, c->pos - op, filter_word_ops,
                  sizeof filter_word_ops / sizeof *filter_word_ops, true))
      return fail(c, "unknown operator in filter", op);
    if (!at_end(c) && peek(c) != ' ')
      return fail(c, "expected a space after the operator in filter", c->pos);
  } else {
    if (!is_path)
      return fail(c, "expected an operator after a value in filter (only a path stands "
                     "alone, as an existence test)", op);
    return true;
  }
  return filter_value(c, &right_is_path);
}

static bool filter_or(struct cursor *c);

/* '!' operand, '(' or ')', or a relation. */
static bool filter_operand(struct cursor *c)
{
  bool ok;

  skip_blanks(c);
  if (++c->depth > MAX_FILTER_DEPTH)
    return fail(c, "filter nested too deeply", c->pos);
  if (peek(c) == '!') {
    size_t save = c->pos++;
    skip_blanks(c);
    if (peek(c) == '@' || peek(c) == '$')
      c->pos = save; /* !@.a: a negated existence test, read as a value */
    else {
      ok = filter_operand(c);
      c->depth--;
      return ok;
    }
  }
  if (peek(c) == '(') {
    size_t paren = c->pos++;
    ok = filter_or(c);
    if (ok) {
      skip_blanks(c);
      if (at_end(c))
        ok = fail(c, "unclosed '(' in filter", paren);
      else if (peek(c) != ')')
        ok = fail(c, "expected '&&', '||' or ')' in filter", c->pos);
      else
        c->pos++;
    }
  } else {
    ok = filter_relation(c);
  }
  c->depth--;
  return ok;
}

static bool filter_and(struct cursor *c)
{
  if (!filter_operand(c))
    return false;
  while (take_pair(c, "&&"))
    if (!filter_operand(c))
      return false;
  return true;
}

static bool filter_or(struct cursor *c)
{
  if (!filter_and(c))
    return false;
  while (take_pair(c, "||"))
    if (!filter_and(c))
      return false;
  return true;
}

/* [?(...)]: like Jayway, first find the closing parenthesis (skipping quoted strings and
   /regex/ literals), then parse what lies between with the text cut off there. */
static bool scan_filter(struct cursor *c)
{
  size_t paren, close, len = c->len;
  size_t open = c->open;
  int depth = 1;
  bool ok;

  c->definite = false;
  c->pos++; /* '?' */
  skip_space(c);
  if (at_end(c))
    return unterminated(c);
  if (peek(c) != '(')
    return fail(c, "expected '(' after '?'", c->pos);
  paren = c->pos++;
  for (;;) {
    int ch = peek(c);
    if (ch < 0)
      return fail(c, "unterminated '(' in filter", paren);
    if (ch == '\'' || ch == '"' || ch == '/') {
      if (!skip_literal(c, ch == '/' ? "unclosed regex in filter" : "unclosed quote in filter"))
        return false;
      continue;
    }
    if (ch == ')' && --depth == 0)
      break;
    if (ch == '(')
      depth++;
    c->pos++;
  }
  close = c->pos;
  c->pos = paren + 1;
  skip_space(c);
  if (c->pos == close)
    return fail(c, "expected an expression inside '?()'", close);
  if (++c->depth > MAX_FILTER_DEPTH)
    return fail(c, "filter nested too deeply", paren);
  c->pos = paren + 1;
  c->len = close;
  ok = filter_or(c);
  if (ok) {
    skip_blanks(c);
    if (!at_end(c))
      ok = fail(c, "expected '&&', '||' or ')' in filter", c->pos);
  }
  c->len = len;
  c->depth--;
  if (!ok)
    return false;
  c->open = open;
  c->pos = close + 1;
  return close_bracket(c, "expected ']' after filter");
}

/* Dispatches on the first significant byte after '[' to the bracket form it starts. */
static bool scan_bracket(struct cursor *c)
{
  int ch;

  c->open = c->pos++;
  skip_space(c);
  ch = peek(c);
  if (ch < 0)
    return unterminated(c);
  if (ch == '\'' || ch == '"')
    return scan_quoted_names(c);
  if (ch == '?')
    return scan_filter(c);
  if (ch == '-' || ch == ':' || is_digit(ch))
    return scan_indexes(c);
  if (ch == '*') {
    c->definite = false;
    c->pos++;
    return close_bracket(c, "expected ']' after '*'");
  }
  return fail(c, "expected an index, a quoted name, '*', a slice or a filter after '['",
              c->pos);
}

/* A dot-notation field name; a backslash makes the next byte part of the name ($.a\.b). */
static bool scan_name(struct cursor *c)
{
  for (;;) {
    int ch = peek(c);
    if (ch == '\\') {
      if (c->pos + 1 >= c->len)
        return fail(c, "expected a character after '\\\\'", c->pos);
      c->pos += 2;
    } else if (is_name_char(c, ch)) {
      c->pos++;
    } else {
      break;
    }
  }
  /* In a filter a name may be a function without arguments, such as length(). */
  if (c->in_filter && peek(c) == '(') {
    size_t paren = c->pos++;
    skip_blanks(c);
    if (at_end(c))
      return fail(c, "unclosed '(' in filter", paren);
    if (peek(c) != ')')
      return fail(c, "expected ')': functions in a filter take no arguments", c->pos);
    c->pos++;
  }
  return true;
}

/* True if a dot name can start here. */
static bool name_starts(const struct cursor *c)
{
  int ch = peek(c);
  return ch == '\\' || is_name_char(c, ch);
}

/* `..name`, `..*` or `..[...]`: deep scan. DOTS is the offset of the first '.', blamed when
   the path ends right after them. */
static bool scan_deep(struct cursor *c, size_t dots)
{
  c->definite = false;
  c->pos++; /* second '.' */
  if (peek(c) == '*') {
    c->pos++;
    return true;
  }
  if (peek(c) == '[')
    return scan_bracket(c);
  if (name_starts(c))
    return scan_name(c);
  return fail(c, "expected a field name, '*' or '[' after '..'", at_end(c) ? dots : c->pos);
}

/* `.name`, `.*`, `.[...]` (Jayway reads the bracket as if the dot were not there) or the
   start of `..`. */
static bool scan_dot(struct cursor *c)
{
  size_t dot = c->pos++;

  if (peek(c) == '.')
    return scan_deep(c, dot);
  if (peek(c) == '*') {
    c->definite = false;
    c->pos++;
    return true;
  }
  if (peek(c) == '[')
    return scan_bracket(c);
  if (name_starts(c))
    return scan_name(c);
  return fail(c, "expected a field name, '*' or '[' after '.'", at_end(c) ? dot : c->pos);
}

/* True where a path inside a filter ends: at a blank, an operator, '&&', '||' or the ')'
   that closes a group (the end of the text is handled by the caller). */
static bool filter_path_ends(const struct cursor *c)
{
  int ch = peek(c);
  return ch == ' ' || ch == ')' || is_operator_char(ch) || ch == '&' || ch == '|';
}

/* The segments after a root, to the end of the text (or, in a filter, of the path). */
static bool scan_segments(struct cursor *c)
{
  while (!at_end(c)) {
    int ch = peek(c);
    bool ok;
    if (ch == '.')
      ok = scan_dot(c);
    else if (ch == '[')
      ok = scan_bracket(c);
    else if (c->in_filter && filter_path_ends(c))
      return true;
    else
      ok = fail(c, unexpected_message(ch), c->pos);
    if (!ok)
      return false;
  }
  return true;
}

/* The root ($, $$ or $name) picks the document the path addresses; segments follow. */
static bool scan_path(struct cursor *c, struct path_info *info)
{
  if (c->len == 0 || c->text[0] != '$')
    return fail(c, "a path starts with '$'", 0);
  c->pos = 1;
  if (peek(c) == '$') {
    info->root = PATH_CONTEXT;
    c->pos++;
  } else if (is_ident_start(peek(c))) {
    info->root = PATH_VARIABLE;
    while (is_ident_char(peek(c)))
      c->pos++;
    info->var_len = c->pos - 1;
  } else {
    info->root = PATH_INPUT;
  }
  return scan_segments(c);
}

/* Public entry point: runs the scanner and reports either the path's shape or the error. */
const char *path_check(const char *text, size_t len, struct path_info *info, size_t *err_offset)
{
  struct cursor c = { text, len, 0, 0, true, false, 0, NULL, 0 };
  struct path_info result = { PATH_INPUT, false, 0 };

  if (!scan_path(&c, &result)) {
    if (err_offset)
      *err_offset = c.err;
    return c.msg;
  }
  result.is_reference = c.definite;
  if (info)
    *info = result;
  return NULL;
}
