/* fuzz_common.h: the body both libFuzzer targets share. Each input goes through
   sfc_compile() exactly as `sfc FILE -o DIR` runs it (the output is built but not
   written), then the diagnostics are printed both ways. NAME picks the front end:
   a .sf name takes the whole pipeline (check, lowering, verify, rules, IAM, and
   every backend: the Terraform module and its shadow compile, the docs), a .json
   name the JSON parser and ASL checker. */
#include "sfc.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_one(const char *name, const uint8_t *data, size_t size) {
  static FILE *sink;
  if (!sink) sink = fopen("/dev/null", "w");
  struct options options = {0};
  options.for_output = true;
  options.emit = EMIT_ALL;
  struct compilation c = {0};
  c.options = &options;
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = 0;
  struct input input = {name, text, size};
  struct model model = {0};
  struct outputs out = {0};
  sfc_compile(&c, &input, 1, COMPILE_BUILD, &model, &out);
  if (!diag_failed(&c.diag)) {
    model_dump(&c, &model, sink);
    for (int i = 0; i < model.nworkflows; i++) explain_iam(sink, model.workflows[i].iam);
  }
  outputs_free(&out);
  diag_print_text(&c.diag, sink);
  diag_print_json(&c.diag, sink);
  compilation_free(&c);
  free(text);
  return 0;
}
