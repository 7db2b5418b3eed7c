/* fuzz_asl.c: libFuzzer target for `sfc check FILE.json`: the JSON parser with
   positions (json_pos.c) and the ASL checker (asl_check.c). Any input must give
   diagnostics, never a crash, a leak, undefined behaviour or deep recursion.
   Built by `make build/fuzz/fuzz_asl`; `make fuzz-asl` runs it longer. */
#include "sfc.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *sink;
  if (!sink) sink = fopen("/dev/null", "w");
  struct arena arena = {0};
  struct diag diag = {0};
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = 0;
  int file = diag_add_file(&diag, "fuzz.asl.json", text, size);
  asl_check_file(&arena, &diag, file);
  diag_print_text(&diag, sink);
  diag_print_json(&diag, sink);
  diag_free(&diag);
  arena_free(&arena);
  free(text);
  return 0;
}
