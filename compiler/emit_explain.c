/* emit_explain.c: `sfc explain`, each permission of a workflow and what needs it,
 * printed from the grants iam.c computed (the same the policy files are made of). */
#include "sfc.h"

static void print_list(FILE *out, const struct iam_strings *l) {
  for (int i = 0; i < l->count; i++) fprintf(out, "%s%s", i ? ", " : "", l->items[i]);
}

static void explain_grant(FILE *out, const struct iam_grant *g) {
  fputs("  ", out);
  print_list(out, &g->actions);
  fputs("\n    on ", out);
  print_list(out, &g->resources);
  for (const struct iam_condition *k = g->conditions; k; k = k->next)
    fprintf(out, "\n    when %s %s %s", k->op, k->key, k->value);
  fputs("\n    for ", out);
  print_list(out, &g->who);
  fputc('\n', out);
}

void explain_iam(FILE *out, const struct iam_policy *p) {
  fprintf(out, "%s (execution role %s):\n", p->workflow, p->execution.name);
  for (const struct iam_grant *g = p->execution.grants; g; g = g->next) explain_grant(out, g);
  for (const struct iam_grant *g = p->starts; g; g = g->next) explain_grant(out, g);
}
