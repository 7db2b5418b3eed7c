/* relayout.c: `sfc fmt` over every layout of a file. For each FILE (a .sf file without
   syntax errors) and each seed, the space between its tokens is redrawn at random
   (blanks, tabs and single line breaks; a gap holding a comment or an empty line is
   kept, since those are what fmt keeps); the result must lay out exactly as FILE does,
   and compile to the same output files and diagnostics (positions aside) as FILE.
   Used by tests/fmt/run.sh: build/asan/fmt_relayout [--seeds N] FILE...
   Ends with "relayout: N passed, N failed". */
#include "compiled.h"

#include <stdlib.h>
#include <string.h>

static unsigned long long state;
static unsigned next_random(void) { /* xorshift64: the same layouts on every machine */
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (unsigned)(state >> 32);
}

static bool layout_of(const char *name, const char *text, size_t len, struct buf *out) {
  struct diag d = {0};
  int file = diag_add_file(&d, name, text, len);
  bool ok = fmt_text(&d, file, out) == EXIT_OK;
  if (!ok) diag_print_text(&d, stderr);
  diag_free(&d);
  return ok;
}

static bool same(const struct buf *a, const struct buf *b) {
  return a->len == b->len && (a->len == 0 || !memcmp(a->data, b->data, a->len));
}

int main(int argc, char **argv) {
  int seeds = 3, passed = 0, failed = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--seeds") && i + 1 < argc) {
      seeds = atoi(argv[++i]);
      continue;
    }
    size_t len;
    char *text = read_whole_file(argv[i], &len);
    if (!text) {
      failed++;
      continue;
    }
    struct arena arena = {0};
    struct diag d = {0};
    struct parse_trace trace = {0};
    struct program prog = {0};
    int file = diag_add_file(&d, argv[i], text, len);
    parse_file(&arena, &d, file, &prog, &trace);
    struct buf want = {0}, want_build = {0};
    if (d.syntax_errors || !layout_of(argv[i], text, len, &want)) {
      printf("FAIL %s: not a file fmt lays out\n", argv[i]);
      failed++;
    } else {
      compile(argv[i], text, len, &want_build);
      for (int seed = 1; seed <= seeds; seed++) {
        state = 0x9E3779B97F4A7C15ull * (unsigned long long)seed;
        struct buf redrawn = {0}, got = {0}, got_build = {0};
        int at = 0;
        for (int t = 0; t < trace.ntokens && trace.tokens[t].kind > 0; t++) {
          const struct trace_token *k = &trace.tokens[t];
          const char *gap = text + at;
          size_t gap_len = (size_t)(k->start - at);
          bool keep = false;
          int newlines = 0;
          for (size_t j = 0; j < gap_len; j++) {
            if (gap[j] == '\n') newlines++;
            else if (gap[j] != ' ' && gap[j] != '\t' && gap[j] != '\r') keep = true;
          }
          static const char *const spaces[] = {" ", "\n", "\t", "   ", "\n      ", " \n"};
          if (keep || newlines > 1 || t == 0) buf_add(&redrawn, gap, gap_len);
          else buf_adds(&redrawn, spaces[next_random() % (sizeof spaces / sizeof *spaces)]);
          buf_add(&redrawn, text + k->start, (size_t)(k->end - k->start));
          at = k->end;
        }
        buf_add(&redrawn, text + at, len - (size_t)at);
        const char *r = redrawn.data ? redrawn.data : "";
        if (!layout_of(argv[i], r, redrawn.len, &got) || !same(&got, &want)) {
          printf("FAIL %s, seed %d: the redrawn file lays out differently\n", argv[i], seed);
          failed++;
        } else {
          compile(argv[i], r, redrawn.len, &got_build);
          if (!same(&got_build, &want_build)) {
            printf("FAIL %s, seed %d: the redrawn file compiles differently\n", argv[i], seed);
            failed++;
          } else {
            passed++;
          }
        }
        buf_free(&redrawn);
        buf_free(&got);
        buf_free(&got_build);
      }
    }
    buf_free(&want);
    buf_free(&want_build);
    free(trace.tokens);
    free(trace.items);
    arena_free(&arena);
    diag_free(&d);
    free(text);
  }
  printf("relayout: %d passed, %d failed\n", passed, failed);
  return failed != 0;
}
