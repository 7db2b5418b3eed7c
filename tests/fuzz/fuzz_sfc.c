/* fuzz_sfc.c: libFuzzer target for the whole front end, the ASL emitter and IAM.
   Any input, however malformed, must give diagnostics, never a crash, a leak or
   undefined behaviour. Built and run by `make fuzz` (and briefly by `make test`). */
#include "sfc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *sink;
  if (!sink) sink = fopen("/dev/null", "w");
  struct options options = {0};
  options.for_output = true;
  struct compilation c = {0};
  c.options = &options;
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = 0;
  int file = diag_add_file(&c.diag, "fuzz.sf", text, size);
  parse_file(&c.arena, &c.diag, file, &c.program);
  check_program(&c);
  if (!diag_failed(&c.diag)) {
    for (struct decl *d = c.program.decls; d; d = d->next) {
      if (d->kind != D_WORKFLOW) continue;
      json_t *doc = emit_asl(&c, d->workflow);
      struct buf out = {0};
      json_write(&out, doc);
      json_decref(doc);
      buf_free(&out);
      struct outputs files = {0};
      emit_iam(&c, iam_workflow(&c, d->workflow), &files);
      explain_iam(sink, d->workflow->iam);
      for (int i = 0; i < files.count; i++) buf_free(&files.files[i].text);
      free(files.files);
    }
  }
  diag_print_text(&c.diag, sink);
  diag_print_json(&c.diag, sink);
  compilation_free(&c);
  free(text);
  return 0;
}
