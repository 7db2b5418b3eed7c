/* fuzz_fmt.c: libFuzzer target for `sfc fmt`. Any input the parser accepts must be laid
   out (an internal error aborts), and the layout must mean the same: compiled exactly as
   `sfc FILE -o DIR --emit all` compiles it, it gives the same output files, byte for
   byte, and the same diagnostics, their positions aside. Built by `make test`, run
   briefly by tests/fmt/run.sh and longer by `make fuzz-fmt`. */
#include "sfc.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* MESSAGE without the positions it quotes ("declared at fuzz.sf:3:8"). */
static void without_positions(struct buf *out, const char *message) {
  for (const char *p = message; *p;) {
    if (!strncmp(p, "fuzz.sf:", 8)) {
      p += 8;
      while ((*p >= '0' && *p <= '9') || *p == ':') p++;
      buf_adds(out, "@");
    } else {
      buf_addc(out, *p++);
    }
  }
  buf_addc(out, '\n');
}

/* Compiles TEXT: its output files and its diagnostics, into OUT. */
static void compile(const char *text, size_t len, struct buf *out) {
  struct options options = {0};
  options.for_output = true;
  options.emit = EMIT_ALL;
  struct compilation c = {0};
  c.options = &options;
  struct input input = {"fuzz.sf", text, len, false};
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = 0;
  struct diag d = {0};
  int file = diag_add_file(&d, "fuzz.sf", text, size);
  struct buf formatted = {0};
  int status = fmt_text(&d, file, &formatted);
  if (status == EXIT_IO) abort(); /* the layout did not read back as the same tokens */
  if (status == EXIT_OK) {
    struct buf before = {0}, after = {0};
    compile(text, size, &before);
    compile(formatted.data ? formatted.data : "", formatted.len, &after);
    if (before.len != after.len || (before.len && memcmp(before.data, after.data, before.len))) {
      fprintf(stderr, "fuzz_fmt: the layout compiles differently:\n--- input\n%s\n--- layout\n%s\n",
              text, formatted.data ? formatted.data : "");
      abort();
    }
    buf_free(&before);
    buf_free(&after);
  }
  buf_free(&formatted);
  diag_free(&d);
  free(text);
  return 0;
}
