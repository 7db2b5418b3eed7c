/* fuzz_fmt.c: libFuzzer target for `sfc fmt`. Any input the parser accepts must be laid
   out (an internal error aborts), and the layout must mean the same: compiled exactly as
   `sfc FILE -o DIR --emit all` compiles it, it gives the same output files, byte for
   byte, and the same diagnostics, their positions aside. Built by `make test`, run
   briefly by tests/fmt/run.sh and longer by `make fuzz-fmt`. */
#include "../fmt/compiled.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    compile("fuzz.sf", text, size, &before);
    compile("fuzz.sf", formatted.data ? formatted.data : "", formatted.len, &after);
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
