#include "jsonata.h"

/* jsonata_aws.c: not written yet; each function raises an error saying so. */

static bool not_yet(struct jn_ctx *x) { return jx_throw_message(x, "U0000", "this function is not implemented yet"); }
bool jn_fn_partition(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_range(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_hash(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_random(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_uuid(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_parse(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
