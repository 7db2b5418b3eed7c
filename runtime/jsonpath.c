/* jsonpath.c: JSONPath as AWS Step Functions evaluates it.
 *
 * AWS uses the Jayway JsonPath library (Java) with its default options; this file
 * follows Jayway 2.x's PathCompiler, FilterCompiler and path tokens, and what AWS
 * records where it differs:
 *
 *   - a definite path (names, single indexes, a leaf ['a','b'] merge) gives one value;
 *     an indefinite one (wildcard, deep scan, filter, slice, index union) gives an array
 *     of every match, possibly empty;
 *   - in a definite path a missing leaf is "No results for path: $['a']['b']", a missing
 *     inner name "Missing property in path $['a']", a name on a non-object, an index on
 *     a non-array and a filter on a scalar are errors, in Jayway's words; an indefinite
 *     path that fails on the way gives [] (AWS: $.items[*] of {} is [], recorded);
 *   - names: a dot name is read as written, a bracket name keeps its backslashes (AWS
 *     reads $['Test\""Name"'] so, recorded); a deep scan applies what follows an index
 *     or slice to every element of a matched array, as Jayway's walk does;
 *   - slices are Jayway's: [a:b], [:b], [a:], a step is read and ignored, and [a:b] with
 *     a negative a counts a from the end one element at a time (Jayway's own quirk);
 *   - filters [?(...)] have ==, !=, ===, !==, <, <=, >, >=, =~ /re/flags (Java's
 *     regular expressions, run by PCRE2 through rt_regex_compile with Jayway's flags,
 *     matched against the whole text as Java's matches() does; a match past PCRE2's
 *     limits fails the path), in, nin, subsetof, anyof, noneof, all, contains, size, empty, &&, ||, !,
 *     parentheses and existence [?(@.x)], with Jayway's value equality (ValueNode); a
 *     comparison whose path is missing makes the filter false for that item (Jayway's
 *     PathNotFoundException, caught per item); as AWS's Paths page says, "@ does not
 *     match scalar values. It only matches objects": a filter tests objects only;
 *   - functions (.length(), .sum()) are not supported: AWS fails "$.Jobs.sum()" as a
 *     path not found (re:Post, quoting the cause).
 *
 * The root is "$" (the input), "$$" (the context object) or "$name" (a variable). A path
 * is parsed once into an array of steps and kept in a small cache keyed by its text.
 */
#include "runtime.h"
#include "sfc.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- the tree */

enum step_kind {
  STEP_NAMES,   /* ['a'] or .a; ['a','b'] */
  STEP_INDEXES, /* [0], [-1], [0,2] */
  STEP_SLICE,   /* [a:b] */
  STEP_WILD,    /* .* or [*] */
  STEP_SCAN,    /* .. (the next step applies at every depth) */
  STEP_FILTER,  /* [?(...)] */
};

enum slice_kind { SLICE_FROM, SLICE_TO, SLICE_BETWEEN };

struct fexpr;

struct step {
  enum step_kind kind;
  char **names;        /* NAMES */
  char quote;          /* NAMES: the quote written, '"' or '\'' ('\'' for .name) */
  long *indexes;       /* INDEXES */
  size_t n;            /* names or indexes */
  enum slice_kind slice;
  long from, to;       /* SLICE */
  struct fexpr *filter;
  bool upstream;       /* every step before this one is definite (Jayway's isUpstreamDefinite) */
};

enum root_kind { ROOT_INPUT, ROOT_CONTEXT, ROOT_VAR };

struct path {
  enum root_kind root;
  char *var;          /* ROOT_VAR */
  struct step *steps;
  size_t n;
  bool definite;
  char *text;         /* Jayway's form: $['a'][0][*] */
};

/* Filter expressions: || and && of relations, ! and parentheses. */
enum fexpr_kind { F_OR, F_AND, F_NOT, F_REL, F_EXISTS };
enum operand_kind { O_PATH, O_JSON, O_REGEX };

struct operand {
  enum operand_kind kind;
  bool relative;        /* O_PATH: @ (the item) rather than $ (the root) */
  struct path *path;    /* O_PATH */
  json_t *value;        /* O_JSON */
  char *number_text;    /* O_JSON number literal as written (BigDecimal's text) */
  pcre2_code *regex;    /* O_REGEX */
};

struct fexpr {
  enum fexpr_kind kind;
  struct fexpr *left, *right; /* OR, AND; NOT: left */
  struct operand a, b;        /* REL: a OP b; EXISTS: a */
  char op[10];
};

static void path_free(struct path *p);

static void operand_free(struct operand *o) {
  if (o->kind == O_PATH) path_free(o->path);
  else if (o->kind == O_JSON) json_decref(o->value);
  else pcre2_code_free(o->regex);
  free(o->number_text);
}

static void fexpr_free(struct fexpr *f) {
  if (!f) return;
  fexpr_free(f->left);
  fexpr_free(f->right);
  if (f->kind == F_REL || f->kind == F_EXISTS) operand_free(&f->a);
  if (f->kind == F_REL) operand_free(&f->b);
  free(f);
}

static void path_free(struct path *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++) {
    struct step *s = &p->steps[i];
    for (size_t j = 0; s->kind == STEP_NAMES && j < s->n; j++) free(s->names[j]);
    free(s->names);
    free(s->indexes);
    fexpr_free(s->filter);
  }
  free(p->steps);
  free(p->var);
  free(p->text);
  free(p);
}

/* ---------------------------------------------------------------- parsing */

struct parser {
  const char *s;
  size_t pos;
  char *error; /* the first error */
  int depth;   /* filters nest paths: bounded so no input exhausts the stack */
};

enum { MAX_DEPTH = 64 };

static bool perror_at(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool perror_at(struct parser *p, const char *fmt, ...) {
  if (!p->error) {
    va_list ap;
    va_start(ap, fmt);
    p->error = xvasprintf(fmt, ap);
    va_end(ap);
  }
  return false;
}

static int peekc(const struct parser *p) { return (unsigned char)p->s[p->pos]; }

static void skip_ws(struct parser *p) {
  while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
         p->s[p->pos] == '\r')
    p->pos++;
}

static struct step *add_step(struct path *path, enum step_kind kind) {
  path->steps = xrealloc(path->steps, (path->n + 1) * sizeof *path->steps);
  struct step *s = &path->steps[path->n++];
  memset(s, 0, sizeof *s);
  s->kind = kind;
  s->quote = '\'';
  return s;
}

static void add_name(struct step *s, char *name) {
  s->names = xrealloc(s->names, (s->n + 1) * sizeof *s->names);
  s->names[s->n++] = name;
}

/* A dot-notation name: up to '.', '[', or the end, as it is written (Jayway reads no
   escapes there: "$.store\.book" is ['store\']['book']). Jayway refuses spaces and
   reads '(' as the start of a function, which AWS does not run. */
static bool parse_dot_name(struct parser *p, struct step *s) {
  struct buf b = {0};
  size_t start = p->pos;
  for (;;) {
    int c = peekc(p);
    if (c == '\0' || c == '.' || c == '[') break;
    if (c == ' ') {
      buf_free(&b);
      return perror_at(p, "Use bracket notion ['my prop'] if your property contains blank characters. position: %zu", start);
    }
    if (c == '(') {
      buf_free(&b);
      return perror_at(p, "Functions in paths are not supported");
    }
    buf_addc(&b, p->s[p->pos++]);
  }
  if (!b.len) return perror_at(p, "Path must not end with a '.' or '..'");
  buf_addc(&b, '\0');
  add_name(s, b.data);
  return true;
}

/* A quoted name 'a' or "a"; the cursor is on the quote. A backslash keeps the next
   character from closing it; in a bracket name both stay, as AWS reads
   $['Test\""Name"'] (recorded), and in a filter's string only the character does. */
static char *parse_quoted(struct parser *p, bool keep_backslash) {
  char quote = p->s[p->pos++];
  struct buf b = {0};
  for (;;) {
    char c = p->s[p->pos];
    if (c == '\0') {
      buf_free(&b);
      perror_at(p, "Property has not been closed - missing closing quote");
      return NULL;
    }
    p->pos++;
    if (c == quote) break;
    if (c == '\\' && p->s[p->pos]) {
      if (keep_backslash) buf_addc(&b, c);
      c = p->s[p->pos++];
    }
    buf_addc(&b, c);
  }
  buf_addc(&b, '\0');
  return b.data;
}

static bool parse_long(struct parser *p, long *out) {
  const char *start = p->s + p->pos;
  char *end;
  if (!(isdigit((unsigned char)*start) || (*start == '-' && isdigit((unsigned char)start[1]))))
    return false;
  long v = strtol(start, &end, 10);
  if (v > 2147483647L || v < -2147483648L) /* Jayway reads a Java int */
    return perror_at(p, "Array index out of range");
  *out = v;
  p->pos += (size_t)(end - start);
  return true;
}

static struct fexpr *parse_filter(struct parser *p);

/* The inside of [...]; the cursor is after '['. */
static bool parse_bracket(struct parser *p, struct path *path) {
  skip_ws(p);
  int c = peekc(p);
  if (c == '*') {
    p->pos++;
    skip_ws(p);
    if (peekc(p) != ']') return perror_at(p, "Expected ']' after '[*'");
    p->pos++;
    add_step(path, STEP_WILD);
    return true;
  }
  if (c == '?') {
    p->pos++;
    skip_ws(p);
    if (peekc(p) != '(') return perror_at(p, "Expected '(' after '[?'");
    p->pos++;
    struct fexpr *f = parse_filter(p);
    if (!f) return false;
    skip_ws(p);
    if (peekc(p) != ')') {
      fexpr_free(f);
      return perror_at(p, "Expected ')' to close the filter");
    }
    p->pos++;
    skip_ws(p);
    if (peekc(p) != ']') {
      fexpr_free(f);
      return perror_at(p, "Expected ']' after the filter");
    }
    p->pos++;
    add_step(path, STEP_FILTER)->filter = f;
    return true;
  }
  if (c == '\'' || c == '"') {
    struct step *s = add_step(path, STEP_NAMES);
    s->quote = (char)c;
    for (;;) {
      skip_ws(p);
      if (peekc(p) != '\'' && peekc(p) != '"')
        return perror_at(p, "Expected a quoted property name");
      char *name = parse_quoted(p, true);
      if (!name) return false;
      add_name(s, name);
      skip_ws(p);
      if (peekc(p) == ',') {
        p->pos++;
        continue;
      }
      if (peekc(p) == ']') {
        p->pos++;
        return true;
      }
      return perror_at(p, "Property must be separated by comma or Property must be terminated close square bracket");
    }
  }
  /* indexes or a slice */
  long first = 0;
  bool have_first = parse_long(p, &first);
  if (p->error) return false;
  skip_ws(p);
  if (peekc(p) == ':') {
    long to = 0;
    bool have_to;
    p->pos++;
    skip_ws(p);
    have_to = parse_long(p, &to);
    if (p->error) return false;
    skip_ws(p);
    if (peekc(p) == ':') { /* a step: Jayway reads it and ignores it */
      long ignored;
      p->pos++;
      skip_ws(p);
      parse_long(p, &ignored);
      if (p->error) return false;
      skip_ws(p);
    }
    if (peekc(p) != ']') return perror_at(p, "Failed to parse SliceOperation");
    if (!have_first && !have_to) return perror_at(p, "Failed to parse SliceOperation: :");
    p->pos++;
    struct step *s = add_step(path, STEP_SLICE);
    s->from = first;
    s->to = to;
    s->slice = have_first && have_to ? SLICE_BETWEEN : have_first ? SLICE_FROM : SLICE_TO;
    return true;
  }
  if (!have_first) return perror_at(p, "Could not parse token starting at position");
  struct step *s = add_step(path, STEP_INDEXES);
  for (;;) {
    s->indexes = xrealloc(s->indexes, (s->n + 1) * sizeof *s->indexes);
    s->indexes[s->n++] = first;
    skip_ws(p);
    if (peekc(p) == ']') {
      p->pos++;
      return true;
    }
    if (peekc(p) != ',') return perror_at(p, "Failed to parse ArrayIndexOperation");
    p->pos++;
    skip_ws(p);
    if (!parse_long(p, &first))
      return p->error ? false : perror_at(p, "Failed to parse ArrayIndexOperation");
  }
}

/* The step after '.' or '..': '*', a bracket (the caller reads it), or a name; inside
   a filter a name ends at an operator, a space or a closing parenthesis. */
static bool parse_after_dot(struct parser *p, struct path *path, bool in_filter) {
  int c = peekc(p);
  if (c == '[') return true;
  if (c == '*') {
    p->pos++;
    add_step(path, STEP_WILD);
    return true;
  }
  if (!in_filter) return parse_dot_name(p, add_step(path, STEP_NAMES));
  struct buf b = {0};
  while (p->s[p->pos] && !strchr(" \t.[)=!<>&|,~]", p->s[p->pos])) buf_addc(&b, p->s[p->pos++]);
  if (!b.len) {
    buf_free(&b);
    return perror_at(p, "Path must not end with a '.' or '..'");
  }
  buf_addc(&b, '\0');
  add_name(add_step(path, STEP_NAMES), b.data);
  return true;
}

/* The steps after the root: up to the end of the text, or inside a filter up to the
   first character that cannot continue a path. */
static bool parse_steps(struct parser *p, struct path *path, bool in_filter) {
  for (;;) {
    int c = peekc(p);
    if (c == '\0') return true;
    if (c == '[') {
      p->pos++;
      if (!parse_bracket(p, path)) return false;
    } else if (c == '.') {
      bool scan = p->s[p->pos + 1] == '.';
      p->pos += scan ? 2 : 1;
      if (scan) add_step(path, STEP_SCAN);
      if (!parse_after_dot(p, path, in_filter)) return false;
    } else if (in_filter) {
      return true;
    } else {
      return perror_at(p, "Could not parse token starting at position %zu", p->pos);
    }
  }
}

/* Jayway's text of one step, for messages: a name in the quotes it was written with
   (WRITTEN, the path's own text) or in single quotes (the path Jayway has walked). */
static void add_step_text(struct buf *b, const struct step *s, bool written) {
  char q = written ? s->quote : '\'';
  switch (s->kind) {
  case STEP_NAMES:
    buf_addc(b, '[');
    for (size_t i = 0; i < s->n; i++) {
      if (i) buf_addc(b, ',');
      buf_printf(b, "%c%s%c", q, s->names[i], q);
    }
    buf_addc(b, ']');
    break;
  case STEP_INDEXES:
    buf_addc(b, '[');
    for (size_t i = 0; i < s->n; i++) buf_printf(b, i ? ",%ld" : "%ld", s->indexes[i]);
    buf_addc(b, ']');
    break;
  case STEP_SLICE:
    buf_addc(b, '[');
    if (s->slice != SLICE_TO) buf_printf(b, "%ld", s->from);
    buf_addc(b, ':');
    if (s->slice != SLICE_FROM) buf_printf(b, "%ld", s->to);
    buf_addc(b, ']');
    break;
  case STEP_WILD: buf_adds(b, "[*]"); break;
  case STEP_SCAN: buf_adds(b, ".."); break;
  case STEP_FILTER: buf_adds(b, "[?]"); break;
  }
}

/* Steps FROM..TO of P as Jayway prints them, "$" first when FROM is 0: WRITTEN is the
   path's text (toString), otherwise the path walked so far (the evalPath). */
static char *steps_text(const struct path *p, size_t from, size_t to, bool written) {
  struct buf b = {0};
  if (from == 0) buf_addc(&b, '$');
  for (size_t i = from; i < to; i++) add_step_text(&b, &p->steps[i], written);
  buf_addc(&b, '\0');
  return b.data;
}

/* Whether step I is definite (Jayway's isTokenDefinite). */
static bool step_definite(const struct path *p, size_t i) {
  const struct step *s = &p->steps[i];
  switch (s->kind) {
  case STEP_NAMES: return s->n == 1 || i + 1 == p->n; /* a leaf ['a','b'] merges */
  case STEP_INDEXES: return s->n == 1;
  default: return false;
  }
}

/* A path's root and steps. IN_FILTER: a path inside a filter, @ or $, ending where the
   path ends. */
static struct path *parse_path(struct parser *p, bool in_filter) {
  struct path *path = xmalloc(sizeof *path);
  memset(path, 0, sizeof *path);
  int c = peekc(p);
  if (c == '@' && in_filter) {
    p->pos++;
  } else if (c == '$') {
    p->pos++;
    if (peekc(p) == '$' && !in_filter) {
      p->pos++;
      path->root = ROOT_CONTEXT;
    } else if (!in_filter && (isalpha(peekc(p)) || peekc(p) == '_' || peekc(p) >= 0x80)) {
      size_t start = p->pos;
      while (isalnum(peekc(p)) || peekc(p) == '_' || peekc(p) >= 0x80) p->pos++;
      path->root = ROOT_VAR;
      path->var = xmalloc(p->pos - start + 1);
      memcpy(path->var, p->s + start, p->pos - start);
      path->var[p->pos - start] = '\0';
    }
  } else {
    perror_at(p, "Path must start with '$' or '@'");
    path_free(path);
    return NULL;
  }
  if (!parse_steps(p, path, in_filter)) {
    path_free(path);
    return NULL;
  }
  if (path->n && path->steps[path->n - 1].kind == STEP_SCAN) {
    perror_at(p, "Path must not end with a '.' or '..'");
    path_free(path);
    return NULL;
  }
  path->definite = true;
  for (size_t i = 0; i < path->n; i++) {
    path->steps[i].upstream = path->definite;
    if (!step_definite(path, i)) path->definite = false;
  }
  path->text = steps_text(path, 0, path->n, true);
  return path;
}

/* ------------------------------------------------ filter parsing (FilterCompiler) */

/* A /pattern/flags literal, as Jayway's FilterCompiler reads it: the text up to the next
   '/' that no backslash escapes, then the flag letters; compiled as Java's Pattern does
   it (rt_regex_compile), so the text goes to the regular-expression engine unchanged. */
static bool parse_regex(struct parser *p, struct operand *o) {
  size_t start = ++p->pos;
  while (p->s[p->pos] && p->s[p->pos] != '/') p->pos += p->s[p->pos] == '\\' && p->s[p->pos + 1] ? 2 : 1;
  if (!p->s[p->pos]) return perror_at(p, "Pattern not closed");
  size_t end = p->pos++;
  char flags[8] = ""; /* each of Java's seven letters once */
  for (; isalpha(peekc(p)); p->pos++)
    if (strchr("dixmsuU", peekc(p)) && !strchr(flags, peekc(p))) flags[strlen(flags)] = (char)peekc(p);
  char *why = NULL;
  o->regex = rt_regex_compile(p->s + start, end - start, flags, &why);
  if (!o->regex) {
    o->kind = O_JSON;
    o->value = json_null();
    bool ok = perror_at(p, "Invalid regular expression in filter: %s", why);
    free(why);
    return ok;
  }
  o->kind = O_REGEX;
  return true;
}

static bool parse_operand(struct parser *p, struct operand *o) {
  memset(o, 0, sizeof *o);
  skip_ws(p);
  int c = peekc(p);
  if (++p->depth > MAX_DEPTH) return perror_at(p, "Filter nested too deeply");
  bool ok = true;
  if (c == '@' || c == '$') {
    o->kind = O_PATH;
    o->relative = c == '@';
    o->path = parse_path(p, true);
    ok = o->path != NULL;
  } else if (c == '\'' || c == '"') {
    char *s = parse_quoted(p, false);
    o->kind = O_JSON;
    o->value = s ? json_string(s) : NULL;
    if (s && !o->value) o->value = json_stringn(s, strlen(s)); /* not UTF-8: keep bytes */
    if (!o->value) o->value = json_null();
    ok = s != NULL;
    free(s);
  } else if (c == '-' || isdigit(c)) {
    const char *start = p->s + p->pos;
    size_t n = 0;
    while (start[n] && (isdigit((unsigned char)start[n]) || strchr("-+.eE", start[n]))) n++;
    char *text = xmalloc(n + 1);
    memcpy(text, start, n);
    text[n] = '\0';
    p->pos += n;
    json_error_t e;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
    if (!v || !json_is_number(v)) {
      json_decref(v);
      free(text);
      return perror_at(p, "Invalid number in filter");
    }
    o->kind = O_JSON;
    o->value = v;
    o->number_text = text;
  } else if (c == '[' || c == '{') {
    /* a JSON literal: up to its matching bracket, outside strings */
    size_t start = p->pos, depth = 0;
    char quote = 0;
    for (; p->s[p->pos]; p->pos++) {
      char ch = p->s[p->pos];
      if (quote) {
        if (ch == '\\' && p->s[p->pos + 1]) p->pos++;
        else if (ch == quote) quote = 0;
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
      } else if (ch == '[' || ch == '{') {
        depth++;
      } else if ((ch == ']' || ch == '}') && --depth == 0) {
        p->pos++;
        break;
      }
    }
    /* Jayway accepts single-quoted strings in these literals: make them JSON */
    struct buf b = {0};
    quote = 0;
    for (size_t i = start; i < p->pos; i++) {
      char ch = p->s[i];
      if (quote) {
        if (ch == '\\' && i + 1 < p->pos) {
          buf_addc(&b, ch);
          buf_addc(&b, p->s[++i]);
          continue;
        }
        if (ch == quote) quote = 0, ch = '"';
        else if (ch == '"') { buf_adds(&b, "\\\""); continue; }
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
        ch = '"';
      }
      buf_addc(&b, ch);
    }
    buf_addc(&b, '\0');
    json_error_t e;
    o->kind = O_JSON;
    o->value = json_loads(b.data, JSON_DECODE_ANY, &e);
    buf_free(&b);
    if (!o->value) {
      o->value = json_null();
      ok = perror_at(p, "Invalid JSON literal in filter");
    }
  } else if (c == '/') {
    ok = parse_regex(p, o);
  } else if (!strncmp(p->s + p->pos, "true", 4) || !strncmp(p->s + p->pos, "false", 5) ||
             !strncmp(p->s + p->pos, "null", 4)) {
    o->kind = O_JSON;
    o->value = c == 't' ? json_true() : c == 'f' ? json_false() : json_null();
    p->pos += c == 'f' ? 5 : 4;
  } else {
    o->kind = O_JSON;
    o->value = json_null();
    ok = perror_at(p, "Expected a path, a value or a pattern in the filter");
  }
  p->depth--;
  return ok;
}

/* Relational operators, longest first so "<=" is not read as "<". */
static const char *const operators[] = {
  "===", "!==", "==", "!=", "<=", ">=", "=~", "<", ">", "nin", "in", "subsetof", "anyof",
  "noneof", "contains", "size", "empty", "all",
};

static struct fexpr *new_fexpr(enum fexpr_kind kind) {
  struct fexpr *f = xmalloc(sizeof *f);
  memset(f, 0, sizeof *f);
  f->kind = kind;
  f->a.kind = f->b.kind = O_JSON;
  return f;
}

static struct fexpr *parse_primary(struct parser *p) {
  skip_ws(p);
  if (++p->depth > MAX_DEPTH) {
    perror_at(p, "Filter nested too deeply");
    return NULL;
  }
  struct fexpr *f = NULL;
  if (peekc(p) == '!') {
    p->pos++;
    struct fexpr *inner = parse_primary(p);
    if (inner) {
      f = new_fexpr(F_NOT);
      f->left = inner;
    }
  } else if (peekc(p) == '(') {
    p->pos++;
    f = parse_filter(p);
    skip_ws(p);
    if (f && peekc(p) != ')') {
      fexpr_free(f);
      f = NULL;
      perror_at(p, "Expected ')' in the filter");
    } else if (f) {
      p->pos++;
    }
  } else {
    f = new_fexpr(F_REL);
    if (!parse_operand(p, &f->a)) {
      fexpr_free(f);
      f = NULL;
    } else {
      skip_ws(p);
      const char *op = NULL;
      for (size_t i = 0; i < sizeof operators / sizeof *operators; i++) {
        size_t n = strlen(operators[i]);
        if (!strncmp(p->s + p->pos, operators[i], n) &&
            !(isalpha((unsigned char)operators[i][0]) && isalnum((unsigned char)p->s[p->pos + n]))) {
          op = operators[i];
          break;
        }
      }
      if (op) {
        p->pos += strlen(op);
        strcpy(f->op, op);
        if (!parse_operand(p, &f->b)) {
          fexpr_free(f);
          f = NULL;
        }
      } else if (f->a.kind == O_PATH) {
        f->kind = F_EXISTS;
      } else {
        fexpr_free(f);
        f = NULL;
        perror_at(p, "Expected a relational operator in the filter");
      }
    }
  }
  p->depth--;
  return f;
}

static struct fexpr *parse_and(struct parser *p) {
  struct fexpr *left = parse_primary(p);
  for (;;) {
    if (!left) return NULL;
    skip_ws(p);
    if (strncmp(p->s + p->pos, "&&", 2)) return left;
    p->pos += 2;
    struct fexpr *right = parse_primary(p);
    if (!right) {
      fexpr_free(left);
      return NULL;
    }
    struct fexpr *f = new_fexpr(F_AND);
    f->left = left;
    f->right = right;
    left = f;
  }
}

static struct fexpr *parse_filter(struct parser *p) {
  struct fexpr *left = parse_and(p);
  for (;;) {
    if (!left) return NULL;
    skip_ws(p);
    if (strncmp(p->s + p->pos, "||", 2)) return left;
    p->pos += 2;
    struct fexpr *right = parse_and(p);
    if (!right) {
      fexpr_free(left);
      return NULL;
    }
    struct fexpr *f = new_fexpr(F_OR);
    f->left = left;
    f->right = right;
    left = f;
  }
}

/* ---------------------------------------------------------------- the cache */

/* Parsed paths by their text: a direct-mapped table; a collision replaces. Paths stay
   until the process ends (a workflow has a bounded number of them). */
enum { CACHE_SIZE = 512 };
static struct {
  char *text;
  struct path *path;
  char *error;
} cache[CACHE_SIZE];

static size_t hash_text(const char *s) {
  size_t h = 5381;
  for (; *s; s++) h = h * 33 + (unsigned char)*s;
  return h % CACHE_SIZE;
}

/* The parsed PATH, or NULL with *why. */
static const struct path *compile(const char *text, char **why) {
  size_t h = hash_text(text);
  if (!cache[h].text || strcmp(cache[h].text, text) != 0) {
    free(cache[h].text);
    path_free(cache[h].path);
    free(cache[h].error);
    /* Jayway trims the text first */
    size_t from = 0, to = strlen(text);
    while (from < to && isspace((unsigned char)text[from])) from++;
    while (to > from && isspace((unsigned char)text[to - 1])) to--;
    char *trimmed = xmalloc(to - from + 1);
    memcpy(trimmed, text + from, to - from);
    trimmed[to - from] = '\0';
    struct parser p = {trimmed, 0, NULL, 0};
    struct path *path = NULL;
    if (trimmed[0] != '$') perror_at(&p, "Path must start with '$'");
    else path = parse_path(&p, false);
    if (path && p.s[p.pos]) {
      path_free(path);
      path = NULL;
      perror_at(&p, "Could not parse token starting at position %zu", p.pos);
    }
    free(trimmed);
    cache[h].text = xstrdup(text);
    cache[h].path = path;
    cache[h].error = path ? NULL : p.error;
    if (path) free(p.error);
  }
  if (!cache[h].path && why) {
    struct buf b = {0};
    buf_adds(&b, cache[h].error ? cache[h].error : "Invalid path");
    buf_addc(&b, '\0');
    *why = b.data;
  }
  return cache[h].path;
}

/* ---------------------------------------------------------------- evaluation */

/* A filter's $ path, evaluated once per evaluation of the path it is in (as Jayway's
   documentPathCache does), so $..a[?(@.x == $.y)] stays linear. */
struct root_value {
  const struct operand *operand;
  json_t *value; /* NULL: it selects nothing */
};

/* Steps of one rt_path_get, all evaluations inside it counted: deep scans of deep
   scans ($..*..*..*) grow as a power of the document's depth, and no path AWS runs
   needs anywhere near this many. */
enum { MAX_STEPS = 20000000 };
static long steps_taken;

struct eval {
  const struct path *path;
  json_t *root;    /* $ of the path: the input, context or variable */
  json_t *results; /* matches, in Jayway's order */
  char *error;     /* an exception: evaluation stops */
  bool fatal;      /* error is a limit of ours, not Jayway's exception: never [] */
  int depth;
  struct root_value *roots;
  size_t n_roots;
};

/* The Java class Jayway names for a value it did not expect, with json-smart, its
   default provider (what AWS configures is not recorded). */
static const char *java_class(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "net.minidev.json.JSONObject";
  case JSON_ARRAY: return "net.minidev.json.JSONArray";
  case JSON_STRING: return "java.lang.String";
  case JSON_INTEGER:
    return json_integer_value(v) >= -2147483648LL && json_integer_value(v) <= 2147483647LL
               ? "java.lang.Integer" : "java.lang.Long";
  case JSON_REAL: return "java.lang.Double";
  case JSON_TRUE:
  case JSON_FALSE: return "java.lang.Boolean";
  default: return "null";
  }
}

/* A value as Java's toString prints it in Jayway's messages (json-smart prints
   containers as JSON, a string as itself). */
static char *java_text(const json_t *v) {
  if (json_is_string(v)) return xstrdup(json_string_value(v));
  return rt_json_text(v);
}

static void fail_eval(struct eval *e, char *msg) {
  if (!e->error) e->error = msg;
  else free(msg);
}

static void walk(struct eval *e, size_t i, json_t *v);
static bool filter_accepts(struct eval *e, const struct fexpr *f, json_t *item);

static void walk_index(struct eval *e, size_t i, json_t *array, long index) {
  long n = (long)json_array_size(array);
  long effective = index < 0 ? n + index : index;
  if (effective >= 0 && effective < n) walk(e, i + 1, json_array_get(array, (size_t)effective));
}

/* Step I of the path applied to V; walk(i + 1, ...) for what it selects. */
static void walk(struct eval *e, size_t i, json_t *v) {
  const struct path *p = e->path;
  if (e->error) return;
  if (++steps_taken > MAX_STEPS) {
    e->fatal = true;
    fail_eval(e, xstrdup("The path selects too much to evaluate"));
    return;
  }
  if (i == p->n) {
    json_array_append(e->results, v);
    return;
  }
  const struct step *s = &p->steps[i];
  bool leaf = i + 1 == p->n;
  switch (s->kind) {
  case STEP_NAMES: {
    if (!json_is_object(v)) {
      if (s->upstream) {
        struct buf b = {0};
        char *at = steps_text(p, 0, i, false);
        buf_adds(&b, "Expected to find an object with property ");
        add_step_text(&b, s, true);
        buf_printf(&b, " in path %s but found '%s'. This is not a json object according to "
                   "the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
                   at, java_class(v));
        buf_addc(&b, '\0');
        free(at);
        fail_eval(e, b.data);
      }
      return;
    }
    if (s->n > 1 && leaf) { /* the merge case: one object of the names present */
      json_t *merged = json_object();
      for (size_t j = 0; j < s->n; j++) {
        json_t *x = json_object_get(v, s->names[j]);
        if (x) json_object_set(merged, s->names[j], x);
      }
      json_array_append_new(e->results, merged);
      return;
    }
    for (size_t j = 0; j < s->n; j++) {
      json_t *x = json_object_get(v, s->names[j]);
      if (x) {
        walk(e, i + 1, x);
      } else if (!leaf && s->upstream && step_definite(p, i)) {
        struct buf b = {0};
        char *at = steps_text(p, 0, i, false);
        buf_printf(&b, "Missing property in path %s['%s']", at, s->names[j]);
        buf_addc(&b, '\0');
        free(at);
        fail_eval(e, b.data);
        return;
      }
    }
    return;
  }
  case STEP_INDEXES:
  case STEP_SLICE: {
    if (!json_is_array(v)) {
      if (!s->upstream) return;
      struct buf b = {0};
      if (json_is_null(v)) {
        char *at = steps_text(p, 0, i, false);
        buf_printf(&b, "The path %s is null", at);
        free(at);
      } else {
        char *rest = steps_text(p, i, p->n, true), *model = java_text(v);
        buf_printf(&b, "Filter: %s can only be applied to arrays. Current context is: %s", rest, model);
        free(rest);
        free(model);
      }
      buf_addc(&b, '\0');
      fail_eval(e, b.data);
      return;
    }
    long n = (long)json_array_size(v);
    if (s->kind == STEP_INDEXES) {
      for (size_t j = 0; j < s->n; j++) walk_index(e, i, v, s->indexes[j]);
    } else if (s->slice == SLICE_FROM) {
      long from = s->from < 0 ? n + s->from : s->from;
      if (from < 0) from = 0;
      for (long j = from; j < n; j++) walk_index(e, i, v, j);
    } else if (s->slice == SLICE_TO) {
      long to = s->to < 0 ? n + s->to : s->to;
      if (to > n) to = n;
      for (long j = 0; j < to; j++) walk_index(e, i, v, j);
    } else {
      long to = s->to < n ? s->to : n;
      for (long j = s->from; j < to && n > 0; j++) walk_index(e, i, v, j);
    }
    return;
  }
  case STEP_WILD: {
    if (json_is_object(v)) {
      const char *key;
      json_t *x;
      json_object_foreach(v, key, x) walk(e, i + 1, x);
    } else if (json_is_array(v)) {
      size_t j;
      json_t *x;
      json_array_foreach(v, j, x) walk(e, i + 1, x);
    }
    return;
  }
  case STEP_SCAN: {
    /* the next step at V and at every value under V, parents first (Jayway's walk) */
    if (++e->depth > 10000) {
      fail_eval(e, xstrdup("Document nested too deeply for '..'"));
      return;
    }
    const struct step *next = &p->steps[i + 1];
    bool matches = false;
    if (next->kind == STEP_NAMES) {
      /* Jayway: an object holding every name of a definite step; any object otherwise */
      matches = json_is_object(v);
      for (size_t j = 0; j < next->n && matches && step_definite(p, i + 1); j++)
        if (!json_object_get(v, next->names[j])) matches = false;
    } else if (next->kind == STEP_INDEXES || next->kind == STEP_SLICE) {
      matches = json_is_array(v);
    } else if (next->kind == STEP_WILD) {
      matches = true;
    } else if (next->kind == STEP_FILTER) {
      matches = json_is_object(v) && filter_accepts(e, next->filter, v);
      if (matches) {
        walk(e, i + 2, v);
        matches = false;
      }
    }
    if (matches && json_is_array(v) && next->kind != STEP_WILD && i + 2 < p->n) {
      /* Jayway's walk applies the steps after an index or slice to every element of a
         matched array ($..[0].x is $..[*].x at arrays) */
      size_t j;
      json_t *x;
      json_array_foreach(v, j, x) walk(e, i + 2, x);
    } else if (matches) {
      walk(e, i + 1, v);
    }
    if (json_is_object(v)) {
      const char *key;
      json_t *x;
      json_object_foreach(v, key, x) walk(e, i, x);
    } else if (json_is_array(v)) {
      size_t j;
      json_t *x;
      json_array_foreach(v, j, x) walk(e, i, x);
    }
    e->depth--;
    return;
  }
  case STEP_FILTER: {
    if (json_is_object(v)) {
      if (filter_accepts(e, s->filter, v)) walk(e, i + 1, v);
    } else if (json_is_array(v)) {
      size_t j;
      json_t *x;
      json_array_foreach(v, j, x)
        if (json_is_object(x) && filter_accepts(e, s->filter, x)) walk(e, i + 1, x);
    } else if (s->upstream) {
      struct buf b = {0};
      char *rest = steps_text(p, i, p->n, true), *model = java_text(v);
      buf_printf(&b, "Filter: %s can not be applied to primitives. Current context is: %s", rest, model);
      buf_addc(&b, '\0');
      free(rest);
      free(model);
      fail_eval(e, b.data);
    }
    return;
  }
  }
}

/* Evaluates P over ROOT: true with *out (a new reference), or false with *why; *FATAL
   when the failure is one of our limits, which fails every path around it too. */
static bool evaluate(const struct path *p, json_t *root, json_t **out, char **why, bool *fatal) {
  struct eval e = {p, root, json_array(), NULL, false, 0, NULL, 0};
  walk(&e, 0, root);
  for (size_t i = 0; i < e.n_roots; i++) json_decref(e.roots[i].value);
  free(e.roots);
  if (e.error && !p->definite && !e.fatal) {
    /* AWS gives an indefinite path that fails on the way nothing: [] ($.a[*] of {} is
       [], recorded), where Jayway alone would throw for a missing definite prefix */
    free(e.error);
    e.error = NULL;
    json_array_clear(e.results);
  }
  *fatal = e.fatal;
  if (e.error) {
    json_decref(e.results);
    if (why) *why = e.error;
    else free(e.error);
    return false;
  }
  if (!p->definite) {
    *out = e.results;
    return true;
  }
  if (json_array_size(e.results) == 0) {
    json_decref(e.results);
    if (why) {
      struct buf b = {0};
      buf_printf(&b, "No results for path: %s", p->text);
      buf_addc(&b, '\0');
      *why = b.data;
    }
    return false;
  }
  *out = json_incref(json_array_get(e.results, 0));
  json_decref(e.results);
  return true;
}

/* ---------------------------------------------------------------- filters */

/* A filter operand as Jayway's ValueNode: a value, or missing (a path that selects
   nothing, which throws and so rejects the item). */
static bool operand_value(struct eval *e, const struct operand *o, json_t *item, json_t **out) {
  if (o->kind != O_PATH) {
    *out = o->kind == O_JSON ? json_incref(o->value) : NULL;
    return true;
  }
  if (!o->relative) {
    for (size_t i = 0; i < e->n_roots; i++) {
      if (e->roots[i].operand != o) continue;
      *out = json_incref(e->roots[i].value);
      return *out != NULL;
    }
  }
  char *why = NULL;
  bool fatal;
  bool ok = evaluate(o->path, o->relative ? item : e->root, out, &why, &fatal);
  if (fatal) {
    e->fatal = true;
    fail_eval(e, why);
  } else {
    free(why);
  }
  if (!o->relative) {
    e->roots = xrealloc(e->roots, (e->n_roots + 1) * sizeof *e->roots);
    e->roots[e->n_roots].operand = o;
    e->roots[e->n_roots++].value = ok ? json_incref(*out) : NULL;
  }
  return ok;
}

/* A number's text as Java's BigDecimal or Double prints it (for number == string). */
static char *number_text(const struct operand *o, json_t *v) {
  if (o && o->kind == O_JSON && o->number_text) return xstrdup(o->number_text);
  return rt_json_text(v);
}

/* Whether S is a number as Java's BigDecimal reads one: [+-]digits[.digits][e[+-]digits],
   with digits on at least one side of the point. */
static bool big_decimal_text(const char *s, double *value) {
  const char *p = s;
  if (*p == '+' || *p == '-') p++;
  size_t digits = 0;
  while (isdigit((unsigned char)*p)) p++, digits++;
  if (*p == '.') {
    p++;
    while (isdigit((unsigned char)*p)) p++, digits++;
  }
  if (!digits) return false;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!isdigit((unsigned char)*p)) return false;
    while (isdigit((unsigned char)*p)) p++;
  }
  if (*p) return false;
  *value = strtod(s, NULL);
  return true;
}

/* Jayway's ValueNode equality, A.equals(B): numbers by value; a number and a string by
   the string read as a number (number == '1.0' holds), a string and a number by the
   number's text ('1.0' == 1 does not); anything else as JSON (1 and 1.0 differ in a
   list, as Java's Integer and Double do). OB, when B is a literal, gives its text. */
static bool values_equal(json_t *a, const struct operand *ob, json_t *b) {
  if (!a || !b) return false;
  if (json_is_number(a) && json_is_number(b)) return json_number_value(a) == json_number_value(b);
  if (json_is_number(a) && json_is_string(b)) {
    double d;
    return big_decimal_text(json_string_value(b), &d) && d == json_number_value(a);
  }
  if (json_is_string(a) && json_is_number(b)) {
    char *t = number_text(ob, b);
    bool eq = !strcmp(t, json_string_value(a));
    free(t);
    return eq;
  }
  return json_equal(a, b);
}

/* Whether LIST holds V (Jayway: V.equals(element)). */
static bool list_contains(json_t *list, json_t *v) {
  size_t i;
  json_t *x;
  json_array_foreach(list, i, x)
    if (values_equal(v, NULL, x)) return true;
  return false;
}

/* The UTF-16 code units of the code point at *S (advancing *S): Java compares and
   measures strings in these. */
static int utf16_units(const char **s, const char *end, uint16_t unit[2]) {
  uint32_t cp;
  size_t n = utf8_decode((const unsigned char *)*s, (size_t)(end - *s), &cp);
  if (!n) n = 1, cp = (unsigned char)**s; /* Jansson strings are UTF-8: not reached */
  *s += n;
  if (cp < 0x10000) {
    unit[0] = (uint16_t)cp;
    return 1;
  }
  unit[0] = (uint16_t)(0xd800 + ((cp - 0x10000) >> 10));
  unit[1] = (uint16_t)(0xdc00 + ((cp - 0x10000) & 0x3ff));
  return 2;
}

/* Java's String.compareTo: by UTF-16 code units (U+10000 sorts before U+E000). */
static int compare_strings(const json_t *a, const json_t *b) {
  const char *p = json_string_value(a), *pe = p + json_string_length(a);
  const char *q = json_string_value(b), *qe = q + json_string_length(b);
  uint16_t u[2], v[2];
  int nu = 0, nv = 0, iu = 0, iv = 0;
  for (;;) {
    if (iu == nu && p < pe) nu = utf16_units(&p, pe, u), iu = 0;
    if (iv == nv && q < qe) nv = utf16_units(&q, qe, v), iv = 0;
    bool a_done = iu == nu, b_done = iv == nv;
    if (a_done || b_done) return a_done && b_done ? 0 : a_done ? -1 : 1;
    if (u[iu] != v[iv]) return u[iu] < v[iv] ? -1 : 1;
    iu++, iv++;
  }
}

static int compare_values(json_t *a, json_t *b, bool *ok) {
  *ok = true;
  if (json_is_number(a) && json_is_number(b)) {
    double x = json_number_value(a), y = json_number_value(b);
    return x < y ? -1 : x > y;
  }
  if (json_is_string(a) && json_is_string(b)) return compare_strings(a, b);
  *ok = false;
  return 0;
}

/* A string's length in UTF-16 units (Java's String.length), an array's size. */
static long value_length(json_t *v) {
  if (json_is_string(v)) return (long)rt_utf16_length(json_string_value(v), json_string_length(v));
  if (json_is_array(v)) return (long)json_array_size(v);
  if (json_is_object(v)) return (long)json_object_size(v);
  return -1;
}

static bool relation(struct eval *e, const struct fexpr *f, json_t *a, json_t *b) {
  const char *op = f->op;
  bool ok;
  if (!strcmp(op, "==")) return values_equal(a, &f->b, b);
  if (!strcmp(op, "!=")) return !values_equal(a, &f->b, b);
  if (!strcmp(op, "===") || !strcmp(op, "!==")) { /* == of two values of one kind */
    bool same = a && b && (json_typeof(a) == json_typeof(b) || (json_is_number(a) && json_is_number(b)) ||
                           (json_is_boolean(a) && json_is_boolean(b)));
    return (same && values_equal(a, &f->b, b)) == (op[0] == '=');
  }
  if (!strcmp(op, "<")) return compare_values(a, b, &ok) < 0 && ok;
  if (!strcmp(op, "<=")) return compare_values(a, b, &ok) <= 0 && ok;
  if (!strcmp(op, ">")) return compare_values(a, b, &ok) > 0 && ok;
  if (!strcmp(op, ">=")) return compare_values(a, b, &ok) >= 0 && ok;
  if (!strcmp(op, "=~")) {
    const struct operand *pattern = f->a.kind == O_REGEX ? &f->a : f->b.kind == O_REGEX ? &f->b : NULL;
    if (!pattern || (f->a.kind == O_REGEX && f->b.kind == O_REGEX)) return false;
    json_t *v = pattern == &f->a ? b : a;
    char *input = json_is_string(v) ? NULL : json_is_number(v) || json_is_boolean(v) ? rt_json_text(v) : xstrdup("");
    const char *subject = input ? input : json_string_value(v);
    size_t len = input ? strlen(input) : json_string_length(v);
    char *why = NULL;
    int rc = rt_regex_match(pattern->regex, subject, len, 0, true, NULL, &why);
    free(input);
    if (why) { /* a limit: the path fails, whatever Jayway would do with the item */
      e->fatal = true;
      fail_eval(e, why);
    }
    return rc >= 0;
  }
  if (!strcmp(op, "in")) return json_is_array(b) && list_contains(b, a);
  if (!strcmp(op, "nin")) return !(json_is_array(b) && list_contains(b, a));
  if (!strcmp(op, "contains")) {
    if (json_is_string(a) && json_is_string(b))
      return strstr(json_string_value(a), json_string_value(b)) != NULL;
    return json_is_array(a) && list_contains(a, b);
  }
  if (!strcmp(op, "subsetof") || !strcmp(op, "anyof") || !strcmp(op, "noneof")) {
    if (!json_is_array(a) || !json_is_array(b)) return false;
    size_t i, hits = 0;
    json_t *x;
    json_array_foreach(a, i, x) hits += list_contains(b, x);
    if (op[0] == 's') return hits == json_array_size(a);
    if (op[0] == 'a') return hits > 0;
    return hits == 0;
  }
  if (!strcmp(op, "all")) { /* Jayway: true for a non-array left side */
    if (!json_is_array(b) || !(json_is_array(a) || json_is_object(a))) return false;
    size_t i;
    json_t *x;
    json_array_foreach(b, i, x)
      if (json_is_array(a) && !list_contains(a, x)) return false;
    return true;
  }
  if (!strcmp(op, "size")) /* a string's length or an array's size; an object has none */
    return json_is_number(b) && (json_is_string(a) || json_is_array(a)) &&
           value_length(a) == (long)json_number_value(b);
  if (!strcmp(op, "empty"))
    return json_is_boolean(b) && (json_is_string(a) || json_is_array(a) || json_is_object(a)) &&
           (value_length(a) == 0) == json_is_true(b);
  return false;
}

static bool filter_accepts(struct eval *e, const struct fexpr *f, json_t *item) {
  switch (f->kind) {
  case F_OR: return filter_accepts(e, f->left, item) || filter_accepts(e, f->right, item);
  case F_AND: return filter_accepts(e, f->left, item) && filter_accepts(e, f->right, item);
  case F_NOT: return !filter_accepts(e, f->left, item);
  case F_EXISTS: {
    json_t *v = NULL;
    bool found = operand_value(e, &f->a, item, &v);
    if (found && !f->a.path->definite) found = json_array_size(v) > 0;
    json_decref(v);
    return found;
  }
  case F_REL: {
    json_t *a = NULL, *b = NULL;
    bool result = false;
    if (operand_value(e, &f->a, item, &a) && operand_value(e, &f->b, item, &b))
      result = relation(e, f, a, b);
    json_decref(a);
    json_decref(b);
    return result;
  }
  }
  return false;
}

/* ---------------------------------------------------------------- the interface */

bool rt_path_get(const char *path, const struct rt_scope *s, json_t **out, char **why) {
  bool limit;
  return rt_path_eval(path, s, out, why, &limit);
}

bool rt_path_eval(const char *path, const struct rt_scope *s, json_t **out, char **why, bool *limit) {
  *out = NULL;
  *limit = false;
  if (why) *why = NULL;
  const struct path *p = compile(path, why);
  if (!p) return false;
  json_t *root;
  if (p->root == ROOT_CONTEXT) {
    root = s->context;
  } else if (p->root == ROOT_VAR) {
    root = rt_var_get(s->vars, p->var);
    if (!root) {
      if (why) {
        struct buf b = {0};
        /* our wording: AWS's is not recorded, nor in LocalStack (which reads JSONPath
           variables through JSONata, where a missing one is undefined) */
        buf_printf(&b, "The variable '%s' is not defined", p->var);
        buf_addc(&b, '\0');
        *why = b.data;
      }
      return false;
    }
  } else {
    root = s->input;
  }
  json_t *null_root = NULL;
  if (!root) root = null_root = json_null();
  steps_taken = 0;
  bool ok = evaluate(p, root, out, why, limit);
  json_decref(null_root);
  return ok;
}

/* The array offset of INDEX (negative: from the end) in ARRAY, or -1. */
static long array_offset(const json_t *array, long index) {
  long n = (long)json_array_size(array), k = index < 0 ? n + index : index;
  return k >= 0 && k < n ? k : -1;
}

/* For ResultPath: the value step S (one name or index) selects in V, or NULL when a
   name is missing; *FITS false when V cannot hold S (not an object for a name, not an
   array with that index). */
static json_t *step_child(const struct step *s, json_t *v, bool *fits) {
  if (s->kind == STEP_NAMES) {
    *fits = json_is_object(v);
    return *fits ? json_object_get(v, s->names[0]) : NULL;
  }
  *fits = json_is_array(v) && array_offset(v, s->indexes[0]) >= 0;
  return *fits ? json_array_get(v, (size_t)array_offset(v, s->indexes[0])) : NULL;
}

bool rt_path_set(json_t **doc, const char *ref, json_t *value, char **why) {
  if (why) *why = NULL;
  const struct path *p = compile(ref, why);
  bool ok = p != NULL;
  if (ok && p->root != ROOT_INPUT) {
    ok = false;
    if (why) {
      struct buf b = {0};
      buf_printf(&b, "The reference path '%s' must refer to the input ($)", ref);
      buf_addc(&b, '\0');
      *why = b.data;
    }
  }
  for (size_t i = 0; ok && i < p->n; i++) {
    const struct step *s = &p->steps[i];
    if (!(s->kind == STEP_NAMES && s->n == 1) && !(s->kind == STEP_INDEXES && s->n == 1)) {
      ok = false;
      if (why) {
        struct buf b = {0};
        buf_printf(&b, "The path '%s' is not a reference path: it must select one value", ref);
        buf_addc(&b, '\0');
        *why = b.data;
      }
    }
  }
  if (!ok) {
    json_decref(value);
    return false;
  }
  if (p->n == 0) {
    json_decref(*doc);
    *doc = value;
    return true;
  }
  if (!*doc) *doc = json_null();
  /* Find how far the document already goes before changing anything, so a failure
     leaves *DOC as it was. */
  json_t *v = *doc;
  size_t i = 0;
  bool fits = true, missing = false;
  for (; i < p->n; i++) {
    json_t *child = step_child(&p->steps[i], v, &fits);
    if (!fits || i + 1 == p->n) break;
    if (!child) {
      missing = true; /* objects are created for the rest: names only */
      for (size_t j = i + 1; j < p->n; j++)
        if (p->steps[j].kind != STEP_NAMES) fits = false;
      break;
    }
    v = child;
  }
  if (!fits) {
    if (why) {
      char *input = rt_json_text(*doc);
      struct buf b = {0};
      /* our wording (the error, States.ResultPathMatchFailure, is AWS's documented
         one; its cause is not recorded) */
      buf_printf(&b, "Unable to apply ResultPath \"%s\" to input \"%s\"", ref, input);
      buf_addc(&b, '\0');
      free(input);
      *why = b.data;
    }
    json_decref(value);
    return false;
  }
  if (missing) {
    for (; i + 1 < p->n; i++) {
      json_t *child = json_object();
      json_object_set_new(v, p->steps[i].names[0], child);
      v = child;
    }
  }
  const struct step *last = &p->steps[p->n - 1];
  if (last->kind == STEP_NAMES) json_object_set_new(v, last->names[0], value);
  else json_array_set_new(v, (size_t)array_offset(v, last->indexes[0]), value);
  return true;
}
