/* fmt.c: `sfc fmt`, the canonical layout of .sf files.
 *
 * Only the space between tokens changes. The parser hands over its tokens and where
 * each statement starts (struct parse_trace); the comments come from the gaps between
 * the tokens. The layout rules are in grammar/LANGUAGE.md, "Canonical layout":
 * a statement per line, blocks indented by two, a line longer than WIDTH wrapped
 * (a value broken into one member per line, anything else continued four deeper),
 * blank lines between statements kept (one), comments where they were.
 *
 * The tokens come out as they went in, but for three spellings: a quoted key that is
 * a name loses its quotes, an object's trailing comma goes, and the space inside
 * `wait for callback` or `on s3` is one blank (a `{% %}` is kept as written: its text
 * is the ASL string). Every
 * result is parsed again and its tokens compared before it is used (same_tokens), so
 * a layout bug is an internal error, never a changed program.
 */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"
#include "parser.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { WIDTH = 100, INDENT = 2, CONTINUATION = 4 };

struct comment {
  int start, end;
  bool trailing;     /* on the line of the token before it */
  bool blank_before; /* an empty line before it */
  bool line;         /* `#` or `//`: it ends its line */
};

struct ftok {
  int kind;
  const char *text; /* the canonical spelling */
  int len, width;   /* width: code points (of the last line, for a multi-line token) */
  bool multiline;   /* a """string""", a block of JSONata or the like with a newline */
  bool item;        /* the first token of a statement */
  bool blank_before;
  bool block;       /* a '{' whose inside holds statements */
  bool dropped;     /* an object's trailing ',' */
  int match;        /* the other bracket of ( [ {; -1 for any other token */
  int cfirst, ncomments; /* the comments in the gap before it */
};

struct line {
  int indent;
  char *code;    /* NULL: an empty line */
  int width;     /* of the code, in code points */
  char *comment; /* a trailing comment, or NULL */
};

struct fmt {
  const char *src;
  struct ftok *t; /* n tokens, then an end-of-file token for the last comments */
  int n;
  struct comment *c;
  int nc;
  long *flat;     /* flat[i]: the width of tokens 0..i-1 on one line */
  int *breakers;  /* breakers[i]: tokens 0..i-1 that cannot stay on one line */
  struct line *lines;
  int nlines, lines_cap;
  /* the line being built */
  struct buf code;
  char *comment;
  bool open;       /* something is on it */
  int indent, col;
  int last;        /* the kind of the last token on it */
  bool must_break; /* a line comment ended it: the next token starts a new line */
  bool block_start; /* just after a '{' of statements: no empty line here */
  bool unquote;    /* write keys that are names without quotes */
};

static int code_points(const char *s, int len) {
  int n = 0;
  for (int i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

/* ------------------------------------------------------------------ reading */

static bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

/* The gap before token I (or the end of the file): its comments and empty lines. */
static void read_gap(struct fmt *f, int from, int to, struct ftok *tok) {
  const char *s = f->src;
  int newlines = 0;
  bool after_token = from > 0;
  tok->cfirst = f->nc;
  for (int i = from; i < to;) {
    if (s[i] == '\n') {
      newlines++;
      i++;
    } else if (is_space(s[i])) {
      i++;
    } else {
      int end = i;
      bool line = s[i] == '#' || (s[i] == '/' && s[i + 1] == '/');
      if (line) {
        while (end < to && s[end] != '\n') end++;
      } else { /* the parser accepted the file: a block comment is closed */
        end = i + 2;
        while (end + 1 < to && !(s[end] == '*' && s[end + 1] == '/')) end++;
        end += 2;
      }
      while (end > i && is_space(s[end - 1])) end--; /* `# text   ` */
      f->c = xrealloc(f->c, (size_t)(f->nc + 1) * sizeof *f->c);
      f->c[f->nc++] = (struct comment){i, end, after_token && newlines == 0, newlines >= 2, line};
      newlines = 0;
      i = end;
    }
  }
  tok->ncomments = f->nc - tok->cfirst;
  tok->blank_before = newlines >= 2;
}

static bool is_letter(char ch) { return ch == '_' || ((ch | 32) >= 'a' && (ch | 32) <= 'z'); }

static bool is_name(const char *s, int len) {
  if (len == 0 || !is_letter(s[0])) return false;
  for (int i = 1; i < len; i++)
    if (!is_letter(s[i]) && !(s[i] >= '0' && s[i] <= '9')) return false;
  return true;
}

/* The canonical spelling of token K, whose source text is S (LEN bytes). */
static void spell(struct fmt *f, struct arena *a, struct ftok *k, const char *s, int len,
                  int prev_kind, int next_kind) {
  k->text = s;
  k->len = len;
  switch (k->kind) {
  case TOK_WAIT_FOR_CALLBACK: case TOK_ON_S3: case TOK_ON_SCHEDULE: case TOK_ON_EVENT:
  case TOK_ON_WORKFLOW: case TOK_ON_PATTERN: { /* words with any space between them */
    char *out = arena_alloc(a, (size_t)len + 1);
    int n = 0;
    for (int i = 0; i < len; i++)
      if (!is_space(s[i])) out[n++] = s[i];
      else if (out[n - 1] != ' ') out[n++] = ' ';
    k->text = out;
    k->len = n;
    break;
  }
  case TOK_STRING: /* a key: `"name": 1` is `name: 1` */
    if (f->unquote && next_kind == ':' && (prev_kind == '{' || prev_kind == ',') &&
        (is_name(s + 1, len - 2) || (len == 13 && !memcmp(s, "\"detail-type\"", 13)))) {
      k->text = s + 1;
      k->len = len - 2;
    }
    break;
  default: break;
  }
  const char *nl = memchr(k->text, '\n', (size_t)k->len);
  k->multiline = nl != NULL;
  if (nl) {
    const char *last = k->text + k->len;
    while (last[-1] != '\n') last--;
    k->width = code_points(last, (int)(k->text + k->len - last));
  } else {
    k->width = code_points(k->text, k->len);
  }
}

/* ------------------------------------------------------------------ spacing */

static bool is_opener(int kind) { return kind == '(' || kind == '[' || kind == '{'; }
static bool is_closer(int kind) { return kind == ')' || kind == ']' || kind == '}'; }

/* A blank between tokens A and B on one line? */
static bool space_between(int a, int b) {
  if (b == ',' || b == ')' || b == ']' || b == ':') return false;
  if (a == '(' || a == '[') return false;
  if (a == '{' && b == '}') return false;
  /* a call: format(...), number($.b) */
  if (b == '(' && (a == TOK_IDENT || a == TOK_DOTTED || a == TOK_NUMBER_KW || a == TOK_STRING_KW ||
                   a == TOK_BOOLEAN || a == TOK_TIMESTAMP || a == TOK_ITEM || a == TOK_PARTITION))
    return false;
  return true;
}

/* A value, or what opens one: what a keyword before it takes. */
static bool is_value(int kind) {
  switch (kind) {
  case TOK_IDENT: case TOK_DOTTED: case TOK_STRING: case TOK_NUMBER: case TOK_PATH:
  case TOK_DURATION: case TOK_JSONATA: case TOK_SCHEDULE: case TOK_TRUE: case TOK_FALSE:
  case TOK_NULL: case TOK_NOTHING: case TOK_ANY: case '{': case '[': case '(':
    return true;
  default: return false;
  }
}

static bool is_word(int kind) { /* a keyword */
  return kind > 255 && !is_value(kind) && kind != TOK_ARROW && kind != TOK_EQ && kind != TOK_NE &&
         kind != TOK_LE && kind != TOK_GE;
}

/* May a line end between A and B? Not after `->` or inside `key: value`, `f(x)`, nor
   between a keyword and its value (`subject "..."`, `every 2s`): lines break between
   options. */
static bool may_break(int a, int b) {
  if (b == ',' || is_closer(b) || b == ':') return false;
  if (is_word(a) && is_value(b)) return false;
  return !(a == '(' || a == '[' || a == TOK_ARROW || a == '=' || a == ':');
}

/* ------------------------------------------------------------------ lines */

static void end_line(struct fmt *f) {
  if (!f->open) return;
  if (f->nlines == f->lines_cap) {
    f->lines_cap = f->lines_cap ? 2 * f->lines_cap : 256;
    f->lines = xrealloc(f->lines, (size_t)f->lines_cap * sizeof *f->lines);
  }
  f->lines[f->nlines++] = (struct line){f->indent, xstrdup(f->code.data ? f->code.data : ""),
                                        f->col - f->indent, f->comment};
  f->code.len = 0;
  if (f->code.data) f->code.data[0] = 0;
  f->comment = NULL;
  f->open = false;
  f->must_break = false;
}

/* The next token starts a line at INDENT. */
static void new_line(struct fmt *f, int indent) {
  end_line(f);
  f->indent = indent;
  f->col = indent;
  f->must_break = false;
}

static void empty_line(struct fmt *f) {
  end_line(f);
  if (f->block_start || f->nlines == 0 || !f->lines[f->nlines - 1].code) return;
  if (f->nlines == f->lines_cap) {
    f->lines_cap = f->lines_cap ? 2 * f->lines_cap : 256;
    f->lines = xrealloc(f->lines, (size_t)f->lines_cap * sizeof *f->lines);
  }
  f->lines[f->nlines++] = (struct line){0, NULL, 0, NULL};
}

static void put_text(struct fmt *f, const char *text, int len, int width, bool multiline,
                     bool space) {
  if (f->open && space) {
    buf_addc(&f->code, ' ');
    f->col++;
  }
  buf_add(&f->code, text, (size_t)len);
  f->col = multiline ? width : f->col + width;
  f->open = true;
  f->block_start = false;
}

static void put(struct fmt *f, int i) {
  const struct ftok *k = &f->t[i];
  put_text(f, k->text, k->len, k->width, k->multiline, f->open && space_between(f->last, k->kind));
  f->last = k->kind;
}

/* The comments before token I. A trailing one joins the line being built; any other
   gets a line of its own at INDENT. */
static void put_comments(struct fmt *f, int i, int indent) {
  struct ftok *k = &f->t[i];
  for (int j = k->cfirst; j < k->cfirst + k->ncomments; j++) {
    const struct comment *c = &f->c[j];
    const char *text = f->src + c->start;
    int len = c->end - c->start;
    if (c->trailing && f->open) {
      if (!c->line) {
        put_text(f, text, len, code_points(text, len), memchr(text, '\n', (size_t)len), true);
        f->last = '/';
        if (memchr(text, '\n', (size_t)len)) f->must_break = true;
      } else {
        f->comment = xstrndup(text, (size_t)len);
        f->must_break = true;
      }
      continue;
    }
    if (c->blank_before) empty_line(f);
    new_line(f, indent);
    put_text(f, text, len, code_points(text, len), memchr(text, '\n', (size_t)len), false);
    f->last = '/';
    f->must_break = true;
  }
  k->ncomments = 0;
}

/* ------------------------------------------------------------------ layout */

static long flat_width(const struct fmt *f, int from, int to) { /* tokens from..to-1 */
  return f->flat[to] - f->flat[from + 1] + f->t[from].width;
}

static bool can_be_flat(const struct fmt *f, int from, int to) {
  return f->breakers[to] - f->breakers[from + 1] == 0 && !f->t[from].multiline &&
         !f->t[from].block;
}

static void layout(struct fmt *f, int from, int to, int indent);
static void statements(struct fmt *f, int from, int to, int indent);

/* The group opened at I, on one line. */
static void put_flat(struct fmt *f, int i) {
  for (int j = i; j <= f->t[i].match; j++)
    if (!f->t[j].dropped) put(f, j);
}

/* A list of plain values, without comments: [1, 2, "a", $.x]. */
static bool is_plain_list(const struct fmt *f, int i) {
  if (f->t[i].kind != '[') return false;
  for (int j = i + 1; j <= f->t[i].match; j++)
    if (is_opener(f->t[j].kind) || f->t[j].ncomments || f->t[j].multiline) return false;
  return true;
}

/* The group opened at I, broken: each comma-separated member on a line of its own, two
   deeper than the line the group opens on, the closer on a line of its own; a list of
   plain values fills its lines instead. */
static void put_broken(struct fmt *f, int i) {
  int outer = f->indent, inner = outer + INDENT, close = f->t[i].match;
  put(f, i);
  if (is_plain_list(f, i)) {
    new_line(f, inner);
    for (int j = i + 1; j < close; j++) {
      int width = f->t[j].width + (j + 1 < close && f->t[j + 1].kind == ',');
      if (f->t[j].kind != ',' && f->open && f->col + 1 + width > WIDTH) new_line(f, inner);
      put(f, j);
    }
    new_line(f, outer);
    put(f, close);
    return;
  }
  bool first = true;
  for (int a = i + 1; a < close;) {
    int b = a;
    while (b < close && f->t[b].kind != ',') b = is_opener(f->t[b].kind) ? f->t[b].match + 1 : b + 1;
    if (f->t[a].dropped) break; /* the trailing comma */
    bool blank = f->t[a].blank_before && !first;
    put_comments(f, a, inner);
    if (blank) empty_line(f);
    new_line(f, inner);
    layout(f, a, b, inner);
    if (b < close) {
      put_comments(f, b, inner + CONTINUATION);
      if (!f->t[b].dropped) put(f, b);
      b++;
    }
    first = false;
    a = b;
  }
  put_comments(f, close, inner);
  new_line(f, outer);
  put(f, close);
}

/* The block of statements opened at I. */
static void put_block(struct fmt *f, int i) {
  int outer = f->indent, close = f->t[i].match;
  put(f, i);
  f->block_start = true;
  statements(f, i + 1, close, outer + INDENT);
  put_comments(f, close, outer + INDENT);
  new_line(f, outer);
  put(f, close);
}

/* The width of token J on one line, of its whole group when the group can be flat;
   *NEXT gets the token after it, *OPEN whether it opens a group that cannot (a run of
   tokens on one line ends there). */
static long one_line_width(const struct fmt *f, int j, int *next, bool *open) {
  int after = is_opener(f->t[j].kind) ? f->t[j].match + 1 : j + 1;
  bool flat = is_opener(f->t[j].kind) && !f->t[j].block && can_be_flat(f, j, after);
  *open = is_opener(f->t[j].kind) && !flat;
  *next = after;
  return flat ? flat_width(f, j, after) : f->t[j].width;
}

/* The width of token I and of what must stay on its line after it (`subject "x"`,
   `f(`, a comma), up to TO: a group counts whole when FLAT, else its opener. */
static long glued_width(const struct fmt *f, int i, int to, bool flat) {
  int end = is_opener(f->t[i].kind) ? f->t[i].match + 1 : i + 1;
  long width = flat ? flat_width(f, i, end) : f->t[i].width;
  if (is_opener(f->t[i].kind) && !flat) return width;
  bool open = false;
  for (int j = end; !open && j < to && !f->t[j].dropped && f->t[j].ncomments == 0 &&
                    !may_break(f->t[j - 1].kind, f->t[j].kind);) {
    width += space_between(f->t[j - 1].kind, f->t[j].kind);
    width += one_line_width(f, j, &j, &open);
  }
  return width;
}

/* The width of the option starting at keyword I: up to the next keyword, before TO. */
static long option_width(const struct fmt *f, int i, int to) {
  long width = 0;
  bool open = false;
  for (int j = i; !open && j < to && (j == i || !is_word(f->t[j].kind));) {
    width += j > i && space_between(f->t[j - 1].kind, f->t[j].kind);
    width += one_line_width(f, j, &j, &open);
  }
  return width;
}

/* Tokens FROM..TO-1 of one statement (or one member of a broken group) whose line
   starts at INDENT: filled up to WIDTH, then continued on a line CONTINUATION deeper. */
static void layout(struct fmt *f, int from, int to, int indent) {
  for (int i = from; i < to;) {
    struct ftok *k = &f->t[i];
    put_comments(f, i, f->open ? indent + CONTINUATION : f->indent);
    if (k->dropped) {
      i++;
      continue;
    }
    bool space = f->open && space_between(f->last, k->kind);
    int end = is_opener(k->kind) ? k->match + 1 : i + 1;
    /* a group stays on its line whole, or opens there and breaks */
    bool flat = is_opener(k->kind) && !k->block && can_be_flat(f, i, end);
    if (flat && f->col + space + flat_width(f, i, end) > WIDTH) flat = false;
    long width = glued_width(f, i, to, flat);
    /* an option that fits on a line of its own starts one rather than being split */
    if (is_word(k->kind) && may_break(f->last, k->kind)) {
      long option = option_width(f, i, to);
      if (option <= WIDTH - indent - CONTINUATION) width = option;
    }
    /* a break that leaves the line as long does not help: then only a token that does
       not fit itself moves */
    bool helps = indent + CONTINUATION + width <= WIDTH || f->col + space + k->width > WIDTH;
    if (f->must_break ||
        (f->open && f->col + space + width > WIDTH && helps && may_break(f->last, k->kind)))
      new_line(f, indent + CONTINUATION);
    if (!is_opener(k->kind)) put(f, i);
    else if (k->block) put_block(f, i);
    else if (flat) put_flat(f, i);
    else put_broken(f, i);
    i = end;
  }
}

/* The statements of a block (or of the file) between FROM and TO, at INDENT. */
static void statements(struct fmt *f, int from, int to, int indent) {
  for (int i = from; i < to;) {
    int j = i + 1;
    if (is_opener(f->t[i].kind)) j = f->t[i].match + 1;
    while (j < to && !f->t[j].item) j = is_opener(f->t[j].kind) ? f->t[j].match + 1 : j + 1;
    bool blank = f->t[i].blank_before;
    put_comments(f, i, indent);
    if (blank) empty_line(f);
    new_line(f, indent);
    layout(f, i, j, indent);
    i = j;
  }
}

/* Trailing comments of neighbouring lines start in one column. */
static void print_lines(const struct fmt *f, struct buf *out) {
  for (int i = 0; i < f->nlines;) {
    int j = i, column = 0;
    while (j < f->nlines && f->lines[j].code && f->lines[j].comment && f->lines[j].width) {
      int w = f->lines[j].indent + f->lines[j].width;
      if (w > column) column = w;
      j++;
    }
    if (j == i) j = i + 1;
    for (int k = i; k < j; k++) {
      const struct line *l = &f->lines[k];
      if (l->code) {
        for (int s = 0; s < l->indent; s++) buf_addc(out, ' ');
        buf_adds(out, l->code);
        if (l->comment) {
          int at = l->width ? column + 2 : l->indent; /* a line of only a comment: none */
          for (int s = l->indent + l->width; s < at; s++) buf_addc(out, ' ');
          buf_adds(out, l->comment);
        }
      }
      buf_addc(out, '\n');
    }
    i = j;
  }
}

/* ------------------------------------------------------------------ one file */

/* Parses TEXT as file FILE of D; false when it has syntax errors (reported in D). */
static bool parse_traced(struct diag *d, struct arena *a, int file, struct parse_trace *trace) {
  struct program prog = {0};
  int errors_before = d->syntax_errors;
  parse_file(a, d, file, &prog, trace);
  return d->syntax_errors == errors_before; /* other errors the parser finds are no matter */
}

static int compare_ints(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* Reads the tokens of TRACE over SRC (LEN bytes) and the comments between them. */
static void read_tokens(struct fmt *f, struct arena *arena, const char *src, int len,
                        const struct parse_trace *trace, bool unquote) {
  *f = (struct fmt){0};
  f->src = src;
  f->unquote = unquote;
  int n = trace->ntokens;
  while (n > 0 && trace->tokens[n - 1].kind == TOK_YYEOF) n--;
  f->n = n;
  f->t = xmalloc((size_t)(n + 1) * sizeof *f->t);
  int *items = xmalloc((size_t)(trace->nitems + 1) * sizeof *items);
  if (trace->nitems) memcpy(items, trace->items, (size_t)trace->nitems * sizeof *items);
  qsort(items, (size_t)trace->nitems, sizeof *items, compare_ints);
  int *stack = xmalloc((size_t)(n + 1) * sizeof *stack), depth = 0;
  for (int i = 0, it = 0; i <= n; i++) {
    struct ftok *k = &f->t[i];
    *k = (struct ftok){.kind = i < n ? trace->tokens[i].kind : TOK_YYEOF, .match = -1};
    read_gap(f, i ? trace->tokens[i - 1].end : 0, i < n ? trace->tokens[i].start : len, k);
    if (i == n) break;
    const struct trace_token *tt = &trace->tokens[i];
    spell(f, arena, k, src + tt->start, tt->end - tt->start, i ? trace->tokens[i - 1].kind : 0,
          i + 1 < n ? trace->tokens[i + 1].kind : 0);
    while (it < trace->nitems && items[it] < tt->start) it++;
    k->item = it < trace->nitems && items[it] == tt->start;
    if (is_opener(k->kind)) {
      stack[depth++] = i;
    } else if (is_closer(k->kind) && depth > 0) {
      int open = stack[--depth];
      f->t[open].match = i;
      k->match = open;
      if (k->kind == '}' && i > 0 && f->t[i - 1].kind == ',') f->t[i - 1].dropped = true;
    }
  }
  free(stack);
  free(items);
}

static void free_fmt(struct fmt *f) {
  for (int i = 0; i < f->nlines; i++) {
    free(f->lines[i].code);
    free(f->lines[i].comment);
  }
  free(f->lines);
  free(f->comment);
  buf_free(&f->code);
  free(f->flat);
  free(f->breakers);
  free(f->c);
  free(f->t);
}

/* The canonical layout of the tokens F read, into OUT. */
static void lay_out(struct fmt *f, struct buf *out) {
  int n = f->n;
  /* a '{' is a block when a statement starts directly inside it */
  for (int i = 0; i < n; i++)
    if (f->t[i].kind == '{')
      for (int j = i + 1; j < f->t[i].match; j = is_opener(f->t[j].kind) ? f->t[j].match + 1 : j + 1)
        if (f->t[j].item) {
          f->t[i].block = true;
          break;
        }
  f->flat = xmalloc((size_t)(n + 1) * sizeof *f->flat);
  f->breakers = xmalloc((size_t)(n + 1) * sizeof *f->breakers);
  f->flat[0] = 0;
  f->breakers[0] = 0;
  for (int i = 0; i < n; i++) {
    const struct ftok *k = &f->t[i];
    int space = i > 0 && space_between(f->t[i - 1].kind, k->kind);
    f->flat[i + 1] = f->flat[i] + (k->dropped ? 0 : space + k->width);
    f->breakers[i + 1] = f->breakers[i] + (k->multiline || k->block || k->ncomments > 0);
  }
  statements(f, 0, n, 0);
  put_comments(f, n, 0);
  end_line(f);
  print_lines(f, out);
}

/* Do A (the file) and B (its layout) hold the same tokens in their canonical spelling,
   and the same comments? */
static bool same_tokens(const struct fmt *a, const struct fmt *b) {
  int i = 0, j = 0;
  for (;; i++, j++) {
    while (i < a->n && a->t[i].dropped) i++;
    if (i == a->n || j == b->n) break;
    const struct ftok *x = &a->t[i], *y = &b->t[j];
    bool unquoted = x->kind == TOK_STRING && x->text[-1] == '"';
    if ((!unquoted && x->kind != y->kind) || x->len != y->len || memcmp(x->text, y->text, (size_t)x->len))
      return false;
  }
  if (i != a->n || j != b->n || a->nc != b->nc) return false;
  for (int k = 0; k < a->nc; k++) {
    const struct comment *x = &a->c[k], *y = &b->c[k];
    if (x->end - x->start != y->end - y->start ||
        memcmp(a->src + x->start, b->src + y->start, (size_t)(x->end - x->start)))
      return false;
  }
  return true;
}

/* Formats the text of file FILE of D into OUT. Returns EXIT_OK, EXIT_INPUT (syntax
   errors, in D) or EXIT_IO (an internal error, said on stderr). */
int fmt_text(struct diag *d, int file, struct buf *out) {
  struct arena arena = {0};
  struct parse_trace trace = {0};
  int status = EXIT_OK;
  const struct source *s = &d->files[file];
  if (!parse_traced(d, &arena, file, &trace)) {
    status = EXIT_INPUT;
  } else {
    /* unquoting keys is tried first; without it, should a key not read back */
    status = EXIT_IO;
    for (int unquote = 1; unquote >= 0 && status != EXIT_OK; unquote--) {
      struct fmt f, again;
      struct buf text = {0};
      read_tokens(&f, &arena, s->text, (int)s->len, &trace, unquote);
      lay_out(&f, &text);
      struct diag check = {0};
      struct arena arena2 = {0};
      struct parse_trace trace2 = {0};
      int file2 = diag_add_file(&check, s->name, text.data ? text.data : "", text.len);
      if (parse_traced(&check, &arena2, file2, &trace2)) {
        read_tokens(&again, &arena2, text.data ? text.data : "", (int)text.len, &trace2, unquote);
        struct buf twice = {0};
        lay_out(&again, &twice);
        /* the same program, and a fixed point: formatting it again changes nothing */
        if (same_tokens(&f, &again) && twice.len == text.len &&
            !memcmp(twice.data ? twice.data : "", text.data ? text.data : "", text.len)) {
          status = EXIT_OK;
          buf_add(out, text.data ? text.data : "", text.len);
        }
        buf_free(&twice);
        free_fmt(&again);
      }
      free(trace2.tokens);
      free(trace2.items);
      arena_free(&arena2);
      diag_free(&check);
      free_fmt(&f);
      buf_free(&text);
    }
    if (status != EXIT_OK)
      fprintf(stderr, "sfc: internal error: the layout of %s would not read back as the same "
              "program; it is left as it is (please report this with the file)\n", s->name);
  }
  free(trace.tokens);
  free(trace.items);
  arena_free(&arena);
  return status;
}

char *fmt_one_line(struct arena *a, const char *text, size_t len) {
  struct parse_trace trace = {0};
  scan_tokens(text, len, &trace);
  struct fmt f = {0}; /* spell() reads only the setting of unquoting, off here */
  struct buf b = {0};
  int last = 0;
  for (int i = 0; i < trace.ntokens; i++) {
    const struct trace_token *tt = &trace.tokens[i];
    if (tt->kind <= 0) break; /* the end, or a token the scanner refused */
    struct ftok k = {.kind = tt->kind};
    spell(&f, a, &k, text + tt->start, tt->end - tt->start, last, 0);
    if (b.len && space_between(last, k.kind)) buf_addc(&b, ' ');
    buf_add(&b, k.text, (size_t)k.len);
    last = k.kind;
  }
  char *result = arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  free(trace.tokens);
  free(trace.items);
  return result;
}

/* ------------------------------------------------------------------ the command */

static const char fmt_usage[] =
    "usage: sfc fmt [-w | --check] [--diff] FILE...\n"
    "\n"
    "Prints each .sf FILE in the canonical layout (grammar/LANGUAGE.md, 'Canonical\n"
    "layout'): the same tokens and comments, laid out one way. FILE may be '-' for\n"
    "standard input.\n"
    "\n"
    "options:\n"
    "  -w, --write   rewrite in place the files that are not in the canonical layout\n"
    "                (each at once, keeping its mode), and print nothing\n"
    "  --check       print the name of each file that is not in the canonical layout,\n"
    "                and exit 1 if there is one; change nothing\n"
    "  --diff        print what would change, as a unified diff (also with --check);\n"
    "                runs diff(1)\n"
    "  -h, --help    print this help\n"
    "\n"
    "Exit status: 0 done (with --check or --diff: every file is in the canonical\n"
    "layout), 1 a file has syntax errors (reported, and the file left as it is) or,\n"
    "with --check or --diff, is not in the canonical layout, 2 bad usage, 3 a file\n"
    "cannot be read or written, or an internal error.\n";

static int fmt_usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "sfc fmt: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(sfc fmt --help for usage)\n");
  return EXIT_USAGE;
}

/* `diff -u` of the file NAME (its text OLD) and NEW, on standard output. */
static int print_diff(const char *name, const char *old, size_t old_len, const char *new_text,
                      size_t new_len) {
  const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  char paths[2][4096];
  const char *texts[2] = {old, new_text};
  size_t lens[2] = {old_len, new_len};
  int status = EXIT_OK;
  int made = 0;
  for (; made < 2; made++) {
    snprintf(paths[made], sizeof paths[made], "%s/sfc-fmt-XXXXXX", tmp);
    int fd = mkstemp(paths[made]);
    if (fd < 0) break;
    bool ok = true;
    for (size_t off = 0; ok && off < lens[made];) {
      ssize_t n = write(fd, texts[made] + off, lens[made] - off);
      if (n < 0 && errno != EINTR) ok = false;
      else if (n > 0) off += (size_t)n;
    }
    if (close(fd) != 0 || !ok) {
      made++;
      status = EXIT_IO;
      break;
    }
  }
  if (made < 2 || status != EXIT_OK) {
    fprintf(stderr, "sfc: error: cannot write a temporary file in %s: %s\n", tmp, strerror(errno));
    status = EXIT_IO;
  } else {
    fflush(stdout);
    char *argv[] = {"diff", "-u", "--label", (char *)name, "--label", (char *)name,
                    paths[0], paths[1], NULL};
    pid_t pid;
    int err = posix_spawnp(&pid, "diff", NULL, NULL, argv, environ);
    int ws = 0;
    if (err != 0) {
      fprintf(stderr, "sfc: error: --diff runs diff(1) (Debian package diffutils): %s\n",
              strerror(err));
      status = EXIT_IO;
    } else if (waitpid(pid, &ws, 0) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws) > 1) {
      fprintf(stderr, "sfc: error: diff(1) failed on %s\n", name);
      status = EXIT_IO;
    }
  }
  for (int i = 0; i < made; i++) unlink(paths[i]);
  return status;
}

int fmt_main(int argc, char **argv) {
  bool write = false, check = false, diff = false, files_only = false;
  int nfiles = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (files_only || a[0] != '-' || !strcmp(a, "-")) nfiles++;
    else if (!strcmp(a, "--")) files_only = true;
    else if (!strcmp(a, "-w") || !strcmp(a, "--write")) write = true;
    else if (!strcmp(a, "--check")) check = true;
    else if (!strcmp(a, "--diff")) diff = true;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(fmt_usage, stdout);
      return EXIT_OK;
    } else return fmt_usage_error("unknown option '%s'", a);
  }
  if (write && (check || diff)) return fmt_usage_error("%s", "-w rewrites the files; --check and --diff only report");
  if (nfiles == 0) return fmt_usage_error("%s", "no file given");
  int status = EXIT_OK;
  files_only = false;
  for (int i = 0; i < argc; i++) {
    const char *path = argv[i];
    if (!files_only && !strcmp(path, "--")) {
      files_only = true;
      continue;
    }
    if (!files_only && path[0] == '-' && path[1]) continue;
    bool is_stdin = !strcmp(path, "-");
    const char *name = is_stdin ? "<stdin>" : path;
    if (is_stdin && write) {
      if (status < EXIT_USAGE) status = fmt_usage_error("%s", "-w cannot rewrite standard input");
      continue;
    }
    if (!is_stdin && is_asl_file(path)) {
      fprintf(stderr, "sfc: error: %s is ASL (JSON); sfc fmt lays out .sf files\n", path);
      if (status < EXIT_INPUT) status = EXIT_INPUT;
      continue;
    }
    size_t len;
    char *text = read_whole_file(path, &len);
    if (!text) {
      status = EXIT_IO;
      continue;
    }
    struct diag d = {0};
    int file = diag_add_file(&d, name, text, len);
    struct buf out = {0};
    int result = fmt_text(&d, file, &out);
    const char *formatted = out.data ? out.data : "";
    bool changed = result == EXIT_OK && (out.len != len || memcmp(formatted, text, len));
    if (result == EXIT_INPUT) diag_print_text(&d, stderr);
    if (result != EXIT_OK) {
      if (status < result) status = result;
    } else if (write) {
      if (changed && !replace_file(path, formatted, out.len)) status = EXIT_IO;
    } else if (check || diff) {
      if (changed && check) printf("%s\n", name);
      if (changed && diff) {
        int r = print_diff(name, text, len, formatted, out.len);
        if (r != EXIT_OK) status = r;
      }
      if (changed && status < EXIT_INPUT) status = EXIT_INPUT;
    } else {
      fwrite(formatted, 1, out.len, stdout);
    }
    buf_free(&out);
    diag_free(&d);
    free(text);
  }
  if (fflush(stdout) != 0 && status < EXIT_IO) status = EXIT_IO;
  return status;
}
