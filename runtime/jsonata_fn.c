#include "jsonata.h"

#include <string.h>

/* jsonata_fn.c - the built-in functions of JSONata 2.0.6 as AWS Step Functions offers
   them: their names and signatures, as the reference (jsonata-js 2.0.6) binds them,
   plus the six AWS adds. The compiler checks calls against this table; the evaluator,
   when it comes, binds its implementations here too. */

/* Signature letters (the reference's signature.js): b boolean, n number, s string,
   l null, a array, o object, f function, j any JSON value, x anything, u undefined;
   (..) a choice of types, <..> the item type of an array or a function's signature;
   after a parameter, ? optional, + one or more, - the context when absent. */
static const struct jn_builtin builtins[] = {
  {"abs", "<n-:n>", jn_fn_abs},
  {"append", "<xx:a>", jn_fn_append},
  {"assert", "<bs?:x>", jn_fn_assert},
  {"average", "<a<n>:n>", jn_fn_average},
  {"base64decode", "<s-:s>", jn_fn_base64decode},
  {"base64encode", "<s-:s>", jn_fn_base64encode},
  {"boolean", "<x-:b>", jn_fn_boolean},
  {"ceil", "<n-:n>", jn_fn_ceil},
  {"clone", "<(oa)-:o>", jn_fn_clone},
  {"contains", "<s-(sf):b>", jn_fn_contains},
  {"count", "<a:n>", jn_fn_count},
  {"decodeUrl", "<s-:s>", jn_fn_decode_url},
  {"decodeUrlComponent", "<s-:s>", jn_fn_decode_url_component},
  {"distinct", "<x:x>", jn_fn_distinct},
  {"each", "<o-f:a>", jn_fn_each},
  {"encodeUrl", "<s-:s>", jn_fn_encode_url},
  {"encodeUrlComponent", "<s-:s>", jn_fn_encode_url_component},
  {"error", "<s?:x>", jn_fn_error},
  {"exists", "<x:b>", jn_fn_exists},
  {"filter", "<af>", jn_fn_filter},
  {"floor", "<n-:n>", jn_fn_floor},
  {"formatBase", "<n-n?:s>", jn_fn_format_base},
  {"formatInteger", "<n-s:s>", jn_fn_format_integer},
  {"formatNumber", "<n-so?:s>", jn_fn_format_number},
  {"fromMillis", "<n-s?s?:s>", jn_fn_from_millis},
  {"join", "<a<s>s?:s>", jn_fn_join},
  {"keys", "<x-:a<s>>", jn_fn_keys},
  {"length", "<s-:n>", jn_fn_length},
  {"lookup", "<x-s:x>", jn_fn_lookup},
  {"lowercase", "<s-:s>", jn_fn_lowercase},
  {"map", "<af>", jn_fn_map},
  {"match", "<s-f<s:o>n?:a<o>>", jn_fn_match},
  {"max", "<a<n>:n>", jn_fn_max},
  {"merge", "<a<o>:o>", jn_fn_merge},
  {"millis", "<:n>", jn_fn_millis},
  {"min", "<a<n>:n>", jn_fn_min},
  {"not", "<x-:b>", jn_fn_not},
  {"now", "<s?s?:s>", jn_fn_now},
  {"number", "<(nsb)-:n>", jn_fn_number},
  {"pad", "<s-ns?:s>", jn_fn_pad},
  {"parseInteger", "<s-s:n>", jn_fn_parse_integer},
  {"power", "<n-n:n>", jn_fn_power},
  {"reduce", "<afj?:j>", jn_fn_reduce},
  {"replace", "<s-(sf)(sf)n?:s>", jn_fn_replace},
  {"reverse", "<a:a>", jn_fn_reverse},
  {"round", "<n-n?:n>", jn_fn_round},
  {"shuffle", "<a:a>", jn_fn_shuffle},
  {"sift", "<o-f?:o>", jn_fn_sift},
  {"single", "<af?>", jn_fn_single},
  {"sort", "<af?:a>", jn_fn_sort},
  {"split", "<s-(sf)n?:a<s>>", jn_fn_split},
  {"spread", "<x-:a<o>>", jn_fn_spread},
  {"sqrt", "<n-:n>", jn_fn_sqrt},
  {"string", "<x-b?:s>", jn_fn_string},
  {"substring", "<s-nn?:s>", jn_fn_substring},
  {"substringAfter", "<s-s:s>", jn_fn_substring_after},
  {"substringBefore", "<s-s:s>", jn_fn_substring_before},
  {"sum", "<a<n>:n>", jn_fn_sum},
  {"toMillis", "<s-s?:n>", jn_fn_to_millis},
  {"trim", "<s-:s>", jn_fn_trim},
  {"type", "<x:s>", jn_fn_type},
  {"uppercase", "<s-:s>", jn_fn_uppercase},
  {"zip", "<a+>", jn_fn_zip},
  /* AWS's functions (Step Functions' "JSONata functions provided by Step Functions").
     Arguments AWS's documentation does not call optional are required. */
  {"partition", "<an:a>", jn_fn_partition},
  {"range", "<nnn:a>", jn_fn_range},
  {"hash", "<(sn)s:s>", jn_fn_hash},
  {"random", "<n?:n>", jn_fn_random},
  {"uuid", "<:s>", jn_fn_uuid},
  {"parse", "<s:j>", jn_fn_parse},
};

const struct jn_builtin *jn_builtin_find(const char *name, size_t len)
{
  for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
    if (strlen(builtins[i].name) == len && !memcmp(builtins[i].name, name, len)) return &builtins[i];
  return NULL;
}

const char *jn_builtin_name(size_t i)
{
  return i < sizeof builtins / sizeof *builtins ? builtins[i].name : NULL;
}

/* The parameters before ':' (or the closing '>'), each one letter or one (..) choice,
   maybe followed by a <..> subtype and by a modifier. */
void jn_sig_arity(const char *sig, int *min, int *max)
{
  *min = *max = 0;
  const char *p = sig + 1; /* past '<' */
  while (*p && *p != ':' && *p != '>') {
    if (*p == '(') p = strchr(p, ')');
    p++;
    if (*p == '<') { /* a subtype, which may nest */
      int depth = 0;
      do depth += *p == '<' ? 1 : *p == '>' ? -1 : 0;
      while (*++p && depth > 0);
    }
    if (*p == '?' || *p == '-') {
      (*max)++;
      p++;
    } else if (*p == '+') {
      (*min)++;
      *max = -1;
      p++;
    } else {
      (*min)++;
      if (*max >= 0) (*max)++;
    }
  }
  if (*min > *max && *max >= 0) *max = *min;
}

/* Not written yet: signatures pass the arguments through, with the context for a
   call that has none. */
struct jn_sig {
  int unused;
};
struct jn_sig *jn_sig_parse(struct arena *a, const char *text, size_t len, const char **why)
{
  (void)text; (void)len; (void)why;
  return NEW(a, struct jn_sig);
}
const struct jn_sig *jn_builtin_sig(const struct jn_builtin *b)
{
  static struct jn_sig one;
  (void)b;
  return &one;
}
bool jn_sig_validate(struct jn_ctx *x, const struct jn_sig *sig, const struct jv *args, int argc,
                     const struct jv *context, const char *name, struct jv **out, int *out_argc)
{
  (void)sig; (void)name;
  *out = arena_alloc(&x->arena, (size_t)(argc + 1) * sizeof **out);
  for (int i = 0; i < argc; i++) (*out)[i] = args[i];
  *out_argc = argc;
  if (argc == 0 && context && context->kind != JV_UNDEFINED) { (*out)[0] = *context; *out_argc = 1; }
  return true;
}
