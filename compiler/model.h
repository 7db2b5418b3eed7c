/* model.h: what gets deployed, as the backends read it.
 *
 * lower.c builds the model once from the checked tree; printers (emit_*.c) and,
 * later, the runtime read it. A definition is located JSON (struct jnode, json.c):
 * every node knows the .sf span it was made from, so the ASL checker that judges
 * hand-written files judges what sfc will deploy too, and points at the source.
 * Everything lives in the compilation's arena.
 */
#ifndef SFC_MODEL_H
#define SFC_MODEL_H

struct model_workflow {
  const char *name;              /* the state machine's name, as declared */
  struct loc loc;                /* the name in the source */
  const char *arn;               /* the state machine's ARN */
  const char *definition_file;   /* <name>.asl.json */
  struct jnode *definition;      /* the ASL document */
  /* Settings recorded for deployment (not part of ASL). */
  bool express;
  bool tracing;
  const char *log_level;         /* ALL, ERROR, FATAL, OFF, or NULL: not set */
  bool log_include_data;
  /* Triggers and IAM are still built from the tree by emit_rules.c and emit_iam.c;
     this is their way to it until they read the model. */
  struct workflow *tree;
};

struct model {
  struct model_workflow *workflows;
  int nworkflows;
};

#endif
