#include "jsonata.h"

/* jsonata_seq.c: not written yet; each function raises an error saying so. */

static bool not_yet(struct jn_ctx *x) { return jx_throw_message(x, "U0000", "this function is not implemented yet"); }
bool jn_fn_count(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_sum(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_max(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_min(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_average(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_append(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_reverse(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_shuffle(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_distinct(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_sort(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_zip(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_keys(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_lookup(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_spread(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_merge(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_each(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_sift(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_map(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_filter(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_single(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_reduce(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_type(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_error(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_assert(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_boolean(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_not(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_exists(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_clone(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
