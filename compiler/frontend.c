/* frontend.c: runs the scanner and the parser over one file already read into memory. */
#include "sfc.h"
#include "parser.h"
#include "lexer.h"

#include <stdlib.h>
#include <string.h>

/* The scanner and Jansson both assume text; say so once instead of a cascade of
   "unexpected byte" errors when a binary file is given. */
static bool check_text(struct diag *d, int file) {
  const struct source *s = &d->files[file];
  const unsigned char *p = (const unsigned char *)s->text;
  size_t n = s->len;
  /* The same error, in the same words, as for a .json file (json.c): explained
     rather than skipped, since nothing sfc reads or writes has one. */
  if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
    d->syntax_errors++;
    diag_error(d, (struct loc){file, 0, 3},
               "the file starts with a byte order mark (U+FEFF); remove it");
    return false;
  }
  for (size_t i = 0; i < n;) {
    size_t len = p[i] ? utf8_decode(p + i, n - i, NULL) : 0;
    if (len == 0) {
      d->syntax_errors++;
      diag_error(d, (struct loc){file, (int)i, (int)i + 1},
                 p[i] == 0 ? "the file contains a NUL byte; sfc reads UTF-8 text"
                           : "the file is not valid UTF-8 text (byte 0x%02x)", p[i]);
      return false;
    }
    i += len;
  }
  return true;
}

void trace_token(struct parse_ctx *ctx, int kind, int start, int end) {
  struct parse_trace *t = ctx->trace;
  if (!t) return;
  if (t->ntokens == t->tokens_cap) {
    t->tokens_cap = t->tokens_cap ? 2 * t->tokens_cap : 256;
    t->tokens = xrealloc(t->tokens, (size_t)t->tokens_cap * sizeof *t->tokens);
  }
  t->tokens[t->ntokens++] = (struct trace_token){kind, start, end};
}

void trace_item(struct parse_ctx *ctx, int start) {
  struct parse_trace *t = ctx->trace;
  if (!t) return;
  if (t->nitems == t->items_cap) {
    t->items_cap = t->items_cap ? 2 * t->items_cap : 64;
    t->items = xrealloc(t->items, (size_t)t->items_cap * sizeof *t->items);
  }
  t->items[t->nitems++] = start;
}

void parse_file(struct arena *arena, struct diag *diag, int file, struct program *prog,
                struct parse_trace *trace) {
  if (!check_text(diag, file)) return;
  struct parse_ctx ctx = {arena, diag, file, NULL, NULL, false, false, 0, trace};
  struct lexstate ls = {0};
  ls.ctx = &ctx;
  yyscan_t scanner;
  if (sfc_yylex_init_extra(&ls, &scanner)) die("cannot start the scanner");
  const struct source *s = &diag->files[file];
  YY_BUFFER_STATE buffer = sfc_yy_scan_bytes(s->text, (int)s->len, scanner);
  /* an abort leaves a declaration unfinished: it is lost */
  if (sfc_yyparse(scanner, &ctx) != 0) ctx.lost_names = true;
  sfc_yy_delete_buffer(buffer, scanner);
  sfc_yylex_destroy(scanner);
  buf_free(&ls.text);
  free(ls.decl_starts);

  struct decl **tail = &prog->decls;
  while (*tail) tail = &(*tail)->next;
  *tail = ctx.decls;
  prog->lost_names |= ctx.lost_names;
}

void scan_tokens(const char *text, size_t len, struct parse_trace *trace) {
  struct arena arena = {0};
  struct diag diag = {0};
  int file = diag_add_file(&diag, "<span>", text, len);
  struct parse_ctx ctx = {&arena, &diag, file, NULL, NULL, false, false, 0, trace};
  struct lexstate ls = {0};
  ls.ctx = &ctx;
  yyscan_t scanner;
  if (sfc_yylex_init_extra(&ls, &scanner)) die("cannot start the scanner");
  YY_BUFFER_STATE buffer = sfc_yy_scan_bytes(text, (int)len, scanner);
  SFC_YYSTYPE value;
  SFC_YYLTYPE where;
  while (sfc_yylex(&value, &where, scanner) > 0 && !diag.stopped) {
  }
  sfc_yy_delete_buffer(buffer, scanner);
  sfc_yylex_destroy(scanner);
  buf_free(&ls.text);
  free(ls.decl_starts);
  diag_free(&diag);
  arena_free(&arena);
}
