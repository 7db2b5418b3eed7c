#include "sfc.h"

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
  {"abs", "<n-:n>"}, {"append", "<xx:a>"}, {"assert", "<bs?:x>"}, {"average", "<a<n>:n>"},
  {"base64decode", "<s-:s>"}, {"base64encode", "<s-:s>"}, {"boolean", "<x-:b>"},
  {"ceil", "<n-:n>"}, {"clone", "<(oa)-:o>"}, {"contains", "<s-(sf):b>"}, {"count", "<a:n>"},
  {"decodeUrl", "<s-:s>"}, {"decodeUrlComponent", "<s-:s>"}, {"distinct", "<x:x>"},
  {"each", "<o-f:a>"}, {"encodeUrl", "<s-:s>"}, {"encodeUrlComponent", "<s-:s>"},
  {"error", "<s?:x>"}, {"exists", "<x:b>"}, {"filter", "<af>"}, {"floor", "<n-:n>"},
  {"formatBase", "<n-n?:s>"}, {"formatInteger", "<n-s:s>"}, {"formatNumber", "<n-so?:s>"},
  {"fromMillis", "<n-s?s?:s>"}, {"join", "<a<s>s?:s>"}, {"keys", "<x-:a<s>>"},
  {"length", "<s-:n>"}, {"lookup", "<x-s:x>"}, {"lowercase", "<s-:s>"}, {"map", "<af>"},
  {"match", "<s-f<s:o>n?:a<o>>"}, {"max", "<a<n>:n>"}, {"merge", "<a<o>:o>"},
  {"millis", "<:n>"}, {"min", "<a<n>:n>"}, {"not", "<x-:b>"}, {"now", "<s?s?:s>"},
  {"number", "<(nsb)-:n>"}, {"pad", "<s-ns?:s>"}, {"parseInteger", "<s-s:n>"},
  {"power", "<n-n:n>"}, {"reduce", "<afj?:j>"}, {"replace", "<s-(sf)(sf)n?:s>"},
  {"reverse", "<a:a>"}, {"round", "<n-n?:n>"}, {"shuffle", "<a:a>"}, {"sift", "<o-f?:o>"},
  {"single", "<af?>"}, {"sort", "<af?:a>"}, {"split", "<s-(sf)n?:a<s>>"}, {"spread", "<x-:a<o>>"},
  {"sqrt", "<n-:n>"}, {"string", "<x-b?:s>"}, {"substring", "<s-nn?:s>"},
  {"substringAfter", "<s-s:s>"}, {"substringBefore", "<s-s:s>"}, {"sum", "<a<n>:n>"},
  {"toMillis", "<s-s?:n>"}, {"trim", "<s-:s>"}, {"type", "<x:s>"}, {"uppercase", "<s-:s>"},
  {"zip", "<a+>"},
  /* AWS's functions (Step Functions' "JSONata functions provided by Step Functions").
     Arguments AWS's documentation does not call optional are required. */
  {"partition", "<an:a>"}, {"range", "<nnn:a>"}, {"hash", "<(sn)s:s>"}, {"random", "<n?:n>"},
  {"uuid", "<:s>"}, {"parse", "<s:j>"},
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
