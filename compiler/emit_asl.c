/* emit_asl.c: <Workflow>.asl.json, printed from the model.
 *
 * lower.c built and asl_check.c judged the definition; this only prints it, in the
 * order lowering put its fields (json_out.c: 2-space indent, shortest exact reals).
 */
#include "sfc.h"

#include <jansson.h>

void emit_asl(const struct model_workflow *w, struct outputs *out) {
  outputs_add(out, w->definition_file, jn_to_json(w->definition));
}
