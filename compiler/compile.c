/* compile.c: the pipeline, in one place for main, the fuzz targets and (later) the
 * runtime:
 *
 *   .sf   -> parse_file -> check_program -> lower_program -> verify -> backends
 *   .json -> asl_check_file
 *
 * Verify runs the ASL checker that judges hand-written definitions over every
 * definition lowering built, so sfc never writes ASL its own `sfc check` rejects;
 * iam.c then computes every grant once. Backends (printers, which report nothing)
 * run only for a build: `sfc check` lowers, verifies and derives IAM, and prints
 * nothing.
 */
#define _POSIX_C_SOURCE 200809L /* strcasecmp */
#include "sfc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* FILE.json (e.g. machine.asl.json) is hand-written ASL: `sfc check` validates it.
   The suffix in any case: machine.JSON is no .sf file either. */
bool is_asl_file(const char *path) {
  size_t n = strlen(path);
  return n >= 5 && !strcasecmp(path + n - 5, ".json");
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

/* IAM's size of a policy: every character but the white space between tokens. */
static size_t policy_chars(const struct buf *text) {
  size_t n = 0;
  bool in_string = false;
  for (size_t i = 0; i < text->len; i++) {
    char ch = text->data[i];
    if (in_string) {
      n++;
      if (ch == '\\') n++, i++;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      n++;
      in_string = true;
    } else if (!strchr(" \t\r\n", ch)) {
      n++;
    }
  }
  return n;
}

/* The roles' inline policies against IAM's quota: printed only when a bound says a
   policy could be that large. */
static void check_policy_quotas(struct compilation *c, const struct model_workflow *w) {
  size_t bound = 0;
  for (const struct iam_grant *g = w->iam->execution.grants; g; g = g->next) {
    bound += 96 + 2 * strlen(g->sid);
    for (int i = 0; i < g->actions.count; i++) bound += 4 + 2 * strlen(g->actions.items[i]);
    for (int i = 0; i < g->resources.count; i++) bound += 4 + 2 * strlen(g->resources.items[i]);
    for (const struct iam_condition *k = g->conditions; k; k = k->next)
      bound += 16 + 2 * (strlen(k->op) + strlen(k->key) + strlen(k->value));
  }
  if (bound <= IAM_MAX_ROLE_POLICY_CHARS) return;
  struct buf text = {0};
  json_t *doc = grants_document(w->iam->execution.grants);
  json_write(&text, doc);
  json_decref(doc);
  size_t n = policy_chars(&text);
  if (n > IAM_MAX_ROLE_POLICY_CHARS)
    diag_error(&c->diag, w->loc, "the execution role of '%s' needs a policy of %zu characters; "
               "IAM takes at most %d in a role's inline policies: split the workflow",
               w->name, n, IAM_MAX_ROLE_POLICY_CHARS);
  buf_free(&text);
}

static void read_inputs(struct compilation *c, const struct input *inputs, int n, int *nsf) {
  for (int i = 0; i < n; i++) {
    int file = diag_add_file(&c->diag, inputs[i].name, inputs[i].text, inputs[i].len);
    if (inputs[i].asl || is_asl_file(inputs[i].name)) {
      asl_check_file(&c->arena, &c->diag, file, c->options);
      continue;
    }
    (*nsf)++;
    struct decl *before = c->program.decls;
    while (before && before->next) before = before->next;
    parse_file(&c->arena, &c->diag, file, &c->program, NULL);
    bool added = before ? before->next != NULL : c->program.decls != NULL;
    if (!added && c->diag.syntax_errors == 0)
      diag_error(&c->diag, (struct loc){file, 0, 0},
                 "the file declares nothing (expected a workflow, event, resource or param)");
  }
}

/* Moves FROM's files to the end of OUT when KEEP, else frees them. */
static void keep_or_free(struct outputs *out, struct outputs *from, bool keep) {
  for (int i = 0; i < from->count; i++) {
    if (keep) outputs_add_text(out, from->files[i].name, from->files[i].text);
    else buf_free(&from->files[i].text);
  }
  free(from->files);
  *from = (struct outputs){0};
}

static void append_borrowed(struct outputs *to, const struct outputs *from) {
  for (int i = 0; i < from->count; i++) outputs_add_text(to, from->files[i].name, from->files[i].text);
}

/* S3 keeps one notification configuration per bucket and SQS one policy per queue:
   the module's replaces whatever else set one. */
static void warn_replaced(struct compilation *c, const struct model *m) {
  for (int i = 0; i < m->nresources; i++)
    if (m->resources[i].kind == R_BUCKET && m->resources[i].eventbridge_notifications &&
        m->resources[i].owner == OWNER_UNSAID)
      diag_warning(&c->diag, W_REPLACES_CONFIG, m->resources[i].loc,
                   "the Terraform module sets the notification configuration of bucket '%s' "
                   "(EventBridge on); S3 keeps one per bucket, so this replaces one set elsewhere: "
                   "say 'notifications managed' to confirm, or 'notifications external' if another "
                   "configuration sets them", shown(m->resources[i].value));
  for (const struct iam_queue_policy *q = m->queue_policies; q; q = q->next)
    for (int i = 0; i < m->nresources; i++)
      if (!strcmp(m->resources[i].name, q->queue) && m->resources[i].owner == OWNER_UNSAID)
        diag_warning(&c->diag, W_REPLACES_CONFIG, m->resources[i].loc,
                     "the Terraform module sets the policy of queue '%s' (EventBridge may send "
                     "to it); SQS keeps one per queue, so this replaces one set elsewhere: say "
                     "'policy managed' to confirm, or 'policy external' if another configuration "
                     "sets it (it must then let EventBridge send to the queue)", shown(m->resources[i].value));
}

/* The Terraform backend: the shadow compile (every param a placeholder, no
   diagnostics of its own), then the module. */
static void terraform(struct compilation *c, const struct input *inputs, int n, const struct model *m,
                      const struct outputs *docs, struct outputs *out) {
  struct options o = *c->options;
  o.template_params = true;
  o.emit = EMIT_ASL | EMIT_RULES | EMIT_IAM; /* every document, to read against the real ones */
  struct compilation shadow = {0};
  shadow.options = &o;
  for (int w = 0; w < W_COUNT; w++) shadow.diag.disabled[w] = true;
  struct model sm = {0};
  struct outputs sdocs = {0};
  bool ok = sfc_compile(&shadow, inputs, n, COMPILE_BUILD, &sm, &sdocs) == EXIT_OK;
  if (getenv("SFC_DEBUG_SHADOW")) {
    diag_print_text(&shadow.diag, stderr);
    for (int i = 0; i < sdocs.count; i++) fprintf(stderr, "== %s\n%s", sdocs.files[i].name, sdocs.files[i].text.data);
  }
  warn_replaced(c, m);
  emit_terraform(c, m, docs, ok ? &sm : NULL, ok ? &sdocs : NULL, out);
  outputs_free(&sdocs);
  compilation_free(&shadow);
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
    asl_check_document(&c->arena, &c->diag, model->workflows[i].definition, true, false,
                       model->workflows[i].express);
    check_quotas(c, &model->workflows[i]);
  }
  if (diag_failed(&c->diag)) return EXIT_INPUT;

  for (int i = 0; i < model->nworkflows; i++) {
    model->workflows[i].iam = iam_workflow(c, model->workflows[i].tree);
    check_policy_quotas(c, &model->workflows[i]);
  }
  model->queue_policies = iam_queue_policies(c);
  if (diag_failed(&c->diag)) return EXIT_INPUT;

  if (mode != COMPILE_BUILD) return EXIT_OK; /* `sfc check` prints nothing */
  struct outputs asl = {0}, rules = {0}, iam = {0};
  for (int i = 0; i < model->nworkflows; i++) {
    emit_asl(&model->workflows[i], &asl);
    emit_rules(&model->workflows[i], &rules);
    emit_iam(model->workflows[i].iam, &iam);
  }
  emit_queue_policies(model->queue_policies, &iam);
  unsigned emit = c->options->emit ? c->options->emit : EMIT_DEFAULT;
  struct outputs module = {0};
  if ((emit & EMIT_TERRAFORM) && !c->options->template_params) {
    struct outputs docs = {0}; /* the three lists' files, borrowed */
    append_borrowed(&docs, &asl);
    append_borrowed(&docs, &rules);
    append_borrowed(&docs, &iam);
    terraform(c, inputs, n, model, &docs, &module);
    free(docs.files);
  }
  keep_or_free(out, &asl, emit & EMIT_ASL);
  keep_or_free(out, &rules, emit & EMIT_RULES);
  keep_or_free(out, &iam, emit & EMIT_IAM);
  keep_or_free(out, &module, true);
  if ((emit & EMIT_DOCS) && !c->options->template_params) emit_docs(c, model, out);
  /* read off what is written, not recorded on the way; main.c notes it once the
     files are written (not after an I/O error) */
  for (int i = 0; i < out->count && !out->placeholders; i++)
    out->placeholders = out->files[i].text.data && is_asl_file(out->files[i].name) &&
                        (strstr(out->files[i].text.data, "${account}") ||
                         strstr(out->files[i].text.data, "${region}"));
  return EXIT_OK;
}
