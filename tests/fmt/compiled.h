/* compiled.h: what tests/fmt/relayout.c and tests/fuzz/fuzz_fmt.c compare of a program:
   its output files, as `sfc FILE -o DIR --emit all` builds them, and its diagnostics
   without the positions they name (a layout moves those). */
#include "sfc.h"

#include <string.h>

/* MESSAGE without the positions it quotes ("declared at x.sf:3:8"). */
static void without_positions(struct buf *out, const char *message) {
  for (const char *p = message; *p;) {
    if (!strncmp(p, ".sf:", 4)) {
      p += 4;
      while ((*p >= '0' && *p <= '9') || *p == ':') p++;
      buf_adds(out, "@");
    } else {
      buf_addc(out, *p++);
    }
  }
  buf_addc(out, '\n');
}

/* The output files and the diagnostics of TEXT, compiled as the file NAME, into OUT. */
static void compile(const char *name, const char *text, size_t len, struct buf *out) {
  struct options options = {0};
  options.for_output = true;
  options.emit = EMIT_ALL;
  struct compilation c = {0};
  c.options = &options;
  struct input input = {name, text, len, false};
  struct model model = {0};
  struct outputs files = {0};
  sfc_compile(&c, &input, 1, COMPILE_BUILD, &model, &files);
  for (int i = 0; i < files.count; i++) {
    buf_printf(out, "== %s\n", files.files[i].name);
    buf_add(out, files.files[i].text.data ? files.files[i].text.data : "", files.files[i].text.len);
  }
  for (int i = 0; i < c.diag.count; i++) {
    buf_printf(out, "%d ", (int)c.diag.list[i].severity);
    without_positions(out, c.diag.list[i].message);
  }
  outputs_free(&files);
  compilation_free(&c);
}

