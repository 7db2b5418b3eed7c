/* compile.c: the pipeline, in one place for main, the fuzz targets and (later) the
 * runtime:
 *
 *   .sf   -> parse_file -> check_program -> lower_program -> verify -> backends
 *   .json -> asl_check_file
 *
 * Verify runs the ASL checker that judges hand-written definitions over every
 * definition lowering built, so sfc never writes ASL its own `sfc check` rejects.
 * Backends run only for a build; `sfc check` lowers and verifies but prints nothing.
 */
#include "sfc.h"

#include <jansson.h>
#include <string.h>

/* FILE.json (e.g. machine.asl.json) is hand-written ASL: `sfc check` validates it. */
bool is_asl_file(const char *path) {
  size_t n = strlen(path);
  return n >= 5 && !strcmp(path + n - 5, ".json");
}

/* AWS quotas a definition must fit. Printing is skipped when a bound shows it fits. */
static void check_quotas(struct compilation *c, const struct model_workflow *w) {
  if (jn_size_bound(w->definition, 0) <= SFN_MAX_DEFINITION_BYTES) return;
  struct buf text = {0};
  json_t *j = jn_to_json(w->definition);
  json_write(&text, j);
  json_decref(j);
  if (text.len > SFN_MAX_DEFINITION_BYTES)
    diag_error(&c->diag, w->loc, "the definition of '%s' is %zu bytes; Step Functions takes at "
               "most %d (1 MiB): split the workflow, for example with 'start' tasks", w->name,
               text.len, SFN_MAX_DEFINITION_BYTES);
  buf_free(&text);
}

static void read_inputs(struct compilation *c, const struct input *inputs, int n, int *nsf) {
  for (int i = 0; i < n; i++) {
    int file = diag_add_file(&c->diag, inputs[i].name, inputs[i].text, inputs[i].len);
    if (is_asl_file(inputs[i].name)) {
      asl_check_file(&c->arena, &c->diag, file);
      continue;
    }
    (*nsf)++;
    struct decl *before = c->program.decls;
    while (before && before->next) before = before->next;
    parse_file(&c->arena, &c->diag, file, &c->program);
    bool added = before ? before->next != NULL : c->program.decls != NULL;
    if (!added && c->diag.syntax_errors == 0)
      diag_error(&c->diag, (struct loc){file, 0, 0},
                 "the file declares nothing (expected a workflow, event, resource or param)");
  }
}

int sfc_compile(struct compilation *c, const struct input *inputs, int n, enum compile_mode mode,
                struct model *model, struct outputs *out) {
  int nsf = 0;
  read_inputs(c, inputs, n, &nsf);
  if (nsf > 0) check_program(c);
  if (diag_failed(&c->diag)) return c->usage_error ? EXIT_USAGE : EXIT_INPUT;

  lower_program(c, model);
  if (diag_failed(&c->diag)) return EXIT_INPUT; /* found while lowering (asl { } fields, AWS limits) */
  for (int i = 0; i < model->nworkflows; i++) {
    asl_check_document(&c->arena, &c->diag, model->workflows[i].definition, true, false);
    check_quotas(c, &model->workflows[i]);
  }
  if (diag_failed(&c->diag)) return EXIT_INPUT;

  /* IAM still reports some errors while it is built, so it runs for `sfc check`
     too, into outputs that are thrown away. */
  struct outputs scratch = {0};
  struct outputs *to = mode == COMPILE_BUILD ? out : &scratch;
  for (int i = 0; i < model->nworkflows; i++) {
    if (mode == COMPILE_BUILD) {
      emit_asl(&model->workflows[i], to);
      emit_rules(&model->workflows[i], to);
    }
    emit_iam(c, model->workflows[i].tree, to);
  }
  emit_queue_policies(c, to);
  outputs_free(&scratch);
  if (diag_failed(&c->diag)) return EXIT_INPUT;
  if (c->placeholder_arns && mode == COMPILE_BUILD)
    diag_note_noloc(&c->diag,
                    "no account or region given (-D account=... -D region=..., or an aws { } "
                    "block): ARNs contain the placeholders ${account} and ${region}");
  return EXIT_OK;
}
