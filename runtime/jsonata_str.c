#include "jsonata.h"
#include <stdio.h>

/* jsonata_str.c: not written yet; each function raises an error saying so. */

static bool not_yet(struct jn_ctx *x) { return jx_throw_message(x, "U0000", "this function is not implemented yet"); }
bool jn_fn_string(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_length(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_substring(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_substring_before(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_substring_after(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_uppercase(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_lowercase(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_trim(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_pad(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_contains(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_split(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_join(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_match(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_replace(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_base64encode(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_base64decode(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_encode_url(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_encode_url_component(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_decode_url(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_decode_url_component(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_number(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_abs(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_floor(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_ceil(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_round(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_power(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_sqrt(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_format_number(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_fn_format_base(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) { (void)args; (void)argc; (void)out; return not_yet(x); }
bool jn_stringify(struct jn_ctx *x, const struct jv *v, bool pretty, struct jv *out) { (void)v; (void)pretty; (void)out; return not_yet(x); }
void jn_number_text(double d, char *buf) { snprintf(buf, 32, "%.15g", d); }
pcre2_code *jn_regex_compile(const char *pattern, size_t len, const char *flags, char **why) { (void)pattern; (void)len; (void)flags; *why = xstrdup("not yet"); return NULL; }
bool jn_regex_match(struct jn_ctx *x, const pcre2_code *re, const struct jv_str *s, size_t from, struct jv *out, size_t *next_from) { (void)re; (void)s; (void)from; (void)out; (void)next_from; return not_yet(x); }
