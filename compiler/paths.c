#include "sfc.h"

/* paths.c - checks JSONPath strings the way AWS Step Functions (JSONPath mode, which uses
   Jayway JSONPath) accepts them, so bad paths are reported at compile time with a precise
   offset instead of being rejected when the state machine is created.

   The checker is a cursor scanner: one function per construct, each consuming its bytes and
   returning false after recording the first error in the cursor. */

/* Scanner state; `open` is the '[' of the bracket being read (brackets never nest, since
   filter bodies are skimmed rather than parsed). */
struct cursor {
  const char *text;
  size_t len;
  size_t pos;
  size_t open;
  bool definite;
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

/* Bytes allowed unescaped in a dot name: anything but path syntax, whitespace and control
   characters (so `.detail-type` and UTF-8 names work). */
static bool is_name_char(int ch)
{
  if (ch < 0x20 || ch == 0x7f)
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

/* [?(...)]: the expression itself is left to Step Functions; like Jayway, we only find its
   closing parenthesis, skipping quoted strings and /regex/ literals, and insist on content. */
static bool scan_filter(struct cursor *c)
{
  size_t paren;
  int depth = 1;
  bool empty = true;

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
      empty = false;
      continue;
    }
    if (ch == ')' && --depth == 0)
      break;
    if (ch == '(')
      depth++;
    if (!is_space(ch))
      empty = false;
    c->pos++;
  }
  if (empty)
    return fail(c, "expected an expression inside '?()'", c->pos);
  c->pos++; /* ')' */
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
    } else if (is_name_char(ch)) {
      c->pos++;
    } else {
      return true;
    }
  }
}

/* True if a dot name can start here. */
static bool name_starts(const struct cursor *c)
{
  int ch = peek(c);
  return ch == '\\' || is_name_char(ch);
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

/* `.name`, `.*` or the start of `..`; Jayway rejects `.[`, so a bracket is no name. */
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
  if (name_starts(c))
    return scan_name(c);
  return fail(c, "expected a field name after '.'", at_end(c) ? dot : c->pos);
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
  while (!at_end(c)) {
    int ch = peek(c);
    bool ok;
    if (ch == '.')
      ok = scan_dot(c);
    else if (ch == '[')
      ok = scan_bracket(c);
    else
      ok = fail(c, unexpected_message(ch), c->pos);
    if (!ok)
      return false;
  }
  return true;
}

/* Public entry point: runs the scanner and reports either the path's shape or the error. */
const char *path_check(const char *text, size_t len, struct path_info *info, size_t *err_offset)
{
  struct cursor c = { text, len, 0, 0, true, NULL, 0 };
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
