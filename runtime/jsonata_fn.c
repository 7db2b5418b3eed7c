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
  {"abs", "<n-:n>", jn_fn_abs, 1},
  {"append", "<xx:a>", jn_fn_append, 2},
  {"assert", "<bs?:x>", jn_fn_assert, 2},
  {"average", "<a<n>:n>", jn_fn_average, 1},
  {"base64decode", "<s-:s>", jn_fn_base64decode, 1},
  {"base64encode", "<s-:s>", jn_fn_base64encode, 1},
  {"boolean", "<x-:b>", jn_fn_boolean, 1},
  {"ceil", "<n-:n>", jn_fn_ceil, 1},
  {"clone", "<(oa)-:o>", jn_fn_clone, 1},
  {"contains", "<s-(sf):b>", jn_fn_contains, 2},
  {"count", "<a:n>", jn_fn_count, 1},
  {"decodeUrl", "<s-:s>", jn_fn_decode_url, 1},
  {"decodeUrlComponent", "<s-:s>", jn_fn_decode_url_component, 1},
  {"distinct", "<x:x>", jn_fn_distinct, 1},
  {"each", "<o-f:a>", jn_fn_each, 2},
  {"encodeUrl", "<s-:s>", jn_fn_encode_url, 1},
  {"encodeUrlComponent", "<s-:s>", jn_fn_encode_url_component, 1},
  {"error", "<s?:x>", jn_fn_error, 1},
  {"exists", "<x:b>", jn_fn_exists, 1},
  {"filter", "<af>", jn_fn_filter, 2},
  {"floor", "<n-:n>", jn_fn_floor, 1},
  {"formatBase", "<n-n?:s>", jn_fn_format_base, 2},
  {"formatInteger", "<n-s:s>", jn_fn_format_integer, 2},
  {"formatNumber", "<n-so?:s>", jn_fn_format_number, 3},
  {"fromMillis", "<n-s?s?:s>", jn_fn_from_millis, 3},
  {"join", "<a<s>s?:s>", jn_fn_join, 2},
  {"keys", "<x-:a<s>>", jn_fn_keys, 1},
  {"length", "<s-:n>", jn_fn_length, 1},
  {"lookup", "<x-s:x>", jn_fn_lookup, 2},
  {"lowercase", "<s-:s>", jn_fn_lowercase, 1},
  {"map", "<af>", jn_fn_map, 2},
  {"match", "<s-f<s:o>n?:a<o>>", jn_fn_match, 3},
  {"max", "<a<n>:n>", jn_fn_max, 1},
  {"merge", "<a<o>:o>", jn_fn_merge, 1},
  {"millis", "<:n>", jn_fn_millis, 0},
  {"min", "<a<n>:n>", jn_fn_min, 1},
  {"not", "<x-:b>", jn_fn_not, 1},
  {"now", "<s?s?:s>", jn_fn_now, 2},
  {"number", "<(nsb)-:n>", jn_fn_number, 1},
  {"pad", "<s-ns?:s>", jn_fn_pad, 3},
  {"parseInteger", "<s-s:n>", jn_fn_parse_integer, 2},
  {"power", "<n-n:n>", jn_fn_power, 2},
  {"reduce", "<afj?:j>", jn_fn_reduce, 3},
  {"replace", "<s-(sf)(sf)n?:s>", jn_fn_replace, 4},
  {"reverse", "<a:a>", jn_fn_reverse, 1},
  {"round", "<n-n?:n>", jn_fn_round, 2},
  {"shuffle", "<a:a>", jn_fn_shuffle, 1},
  {"sift", "<o-f?:o>", jn_fn_sift, 2},
  {"single", "<af?>", jn_fn_single, 2},
  {"sort", "<af?:a>", jn_fn_sort, 2},
  {"split", "<s-(sf)n?:a<s>>", jn_fn_split, 3},
  {"spread", "<x-:a<o>>", jn_fn_spread, 1},
  {"sqrt", "<n-:n>", jn_fn_sqrt, 1},
  {"string", "<x-b?:s>", jn_fn_string, 1},
  {"substring", "<s-nn?:s>", jn_fn_substring, 3},
  {"substringAfter", "<s-s:s>", jn_fn_substring_after, 2},
  {"substringBefore", "<s-s:s>", jn_fn_substring_before, 2},
  {"sum", "<a<n>:n>", jn_fn_sum, 1},
  {"toMillis", "<s-s?:n>", jn_fn_to_millis, 2},
  {"trim", "<s-:s>", jn_fn_trim, 1},
  {"type", "<x:s>", jn_fn_type, 1},
  {"uppercase", "<s-:s>", jn_fn_uppercase, 1},
  {"zip", "<a+>", jn_fn_zip, 0},
  /* AWS's functions (Step Functions' "JSONata functions provided by Step Functions").
     Arguments AWS's documentation does not call optional are required. */
  {"partition", "<an:a>", jn_fn_partition, 2},
  {"range", "<nnn:a>", jn_fn_range, 3},
  {"hash", "<(sn)s:s>", jn_fn_hash, 2},
  {"random", "<n?:n>", jn_fn_random, 1},
  {"uuid", "<:s>", jn_fn_uuid, 0},
  {"parse", "<s:j>", jn_fn_parse, 1},
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


/* ---------------------------------------------------------------- signatures
   The reference turns a signature into a regular expression over one letter per
   argument (its type, 'm' for undefined) and validates a call by matching the
   call's letters against it. The parameters here are that expression's pieces:
   a set of letters and a quantifier; matching backtracks in the order JavaScript's
   engine does, because which arguments a '?' or '+' takes decides where the
   context goes and which index an error names. */

enum { SYM_A = 1, SYM_S = 2, SYM_N = 4, SYM_B = 8, SYM_L = 16, SYM_F = 32, SYM_O = 64, SYM_M = 128 };

static unsigned sym_bit(char c)
{
  switch (c) {
  case 'a': return SYM_A;
  case 's': return SYM_S;
  case 'n': return SYM_N;
  case 'b': return SYM_B;
  case 'l': return SYM_L;
  case 'f': return SYM_F;
  case 'o': return SYM_O;
  case 'm': return SYM_M;
  }
  return 0;
}

static char sym_of(const struct jv *v)
{
  switch (v->kind) {
  case JV_UNDEFINED: return 'm';
  case JV_NULL: return 'l';
  case JV_BOOL: return 'b';
  case JV_NUMBER: return 'n';
  case JV_STRING: return 's';
  case JV_ARRAY: return 'a';
  case JV_OBJECT: return 'o';
  case JV_FUNCTION: return 'f';
  }
  return 'm';
}

struct jn_sig_param {
  char type;            /* s n b l o a f j x, or '(' for a choice */
  unsigned set;         /* the letters it accepts */
  int min, max;         /* how many arguments it takes; max -1: any number */
  bool lazy;            /* a quantifier followed by '?' (as in "s-?") */
  bool context;         /* '-': the context stands in when the argument is left out */
  unsigned context_set; /* the letters the context may have */
  bool context_any;     /* the context test matches empty, so accepts anything */
  const char *subtype;  /* the text between a<..> or f<..>, or NULL */
  size_t subtype_len;
};

struct jn_sig {
  int n;
  struct jn_sig_param *p;
};

/* The position of the bracket CLOSE that balances the OPEN at START, or LEN. */
static size_t closing(const char *s, size_t len, size_t start, char open, char close)
{
  int depth = 1;
  size_t i = start;
  while (++i < len) {
    if (s[i] == close && --depth == 0) break;
    if (s[i] == open) depth++;
  }
  return i < len ? i : len;
}

/* A quantifier character after a parameter, as the regular expression reads it.
   false: the expression would not compile (JavaScript's "Nothing to repeat"). */
static bool quantify(struct jn_sig_param *p, char q)
{
  if (p->lazy) return false;
  if (p->min == 1 && p->max == 1) {
    if (q == '?') p->min = 0;
    else p->max = -1;
    return true;
  }
  if (q == '?') { p->lazy = true; return true; }
  return false;
}

struct jn_sig *jn_sig_parse(struct arena *a, const char *text, size_t len, const char **why)
{
  struct jn_sig *sig = NEW(a, struct jn_sig);
  sig->p = arena_alloc(a, (len + 1) * sizeof *sig->p);
  struct jn_sig_param *prev = NULL;
  *why = NULL;
  for (size_t i = 1; i < len && text[i] != ':'; i++) {
    char c = text[i];
    struct jn_sig_param *p = &sig->p[sig->n];
    switch (c) {
    case 's': case 'n': case 'b': case 'l': case 'o':
      p->set = sym_bit(c) | SYM_M;
      break;
    case 'a': case 'x':
      p->set = SYM_A | SYM_S | SYM_N | SYM_B | SYM_L | SYM_F | SYM_O | SYM_M;
      break;
    case 'f':
      p->set = SYM_F;
      break;
    case 'j':
      p->set = SYM_A | SYM_S | SYM_N | SYM_B | SYM_L | SYM_O | SYM_M;
      break;
    case '(': {
      size_t end = closing(text, len, i, '(', ')');
      if (memchr(text + i + 1, '<', end - i - 1)) {
        *why = "S0402: choice groups containing parameterized types are not supported";
        return NULL;
      }
      p->set = SYM_M;
      for (size_t k = i + 1; k < end; k++) p->set |= sym_bit(text[k]);
      i = end;
      break;
    }
    case '-':
      if (prev) {
        prev->context = true;
        prev->context_set = prev->set;
        prev->context_any = prev->min == 0;
        if (!quantify(prev, '?')) { *why = "invalid signature: a modifier with nothing to repeat"; return NULL; }
      }
      continue;
    case '?': case '+':
      if (prev && !quantify(prev, c)) { *why = "invalid signature: a modifier with nothing to repeat"; return NULL; }
      continue;
    case '<': {
      if (!prev || (prev->type != 'a' && prev->type != 'f')) {
        *why = "S0401: type parameters can only be applied to functions and arrays";
        return NULL;
      }
      size_t end = closing(text, len, i, '<', '>');
      prev->subtype = text + i + 1;
      prev->subtype_len = end - i - 1;
      i = end;
      continue;
    }
    default:
      continue; /* the reference skips what it does not know */
    }
    p->type = c;
    p->min = p->max = 1;
    prev = p;
    sig->n++;
  }
  return sig;
}

const struct jn_sig *jn_builtin_sig(const struct jn_builtin *b)
{
  enum { N = sizeof builtins / sizeof *builtins };
  static const struct jn_sig *parsed[N];
  static struct arena arena; /* lives as long as the table */
  size_t i = (size_t)(b - builtins);
  if (i >= N) return NULL;
  if (!parsed[i]) {
    const char *why;
    parsed[i] = jn_sig_parse(&arena, b->signature, strlen(b->signature), &why);
  }
  return parsed[i];
}

/* The first match of parameters [I, N) at POS of SYMS, in the order a backtracking
   engine finds it; END: it must end at the end of SYMS. Returns where it ends, or -1;
   TAKE[k] gets how many arguments parameter k took. */
static long match_params(const struct jn_sig *s, int i, int n, const char *syms, size_t len, size_t pos,
                         bool end, int *take)
{
  if (i == n) return end && pos != len ? -1 : (long)pos;
  const struct jn_sig_param *p = &s->p[i];
  int avail = 0;
  while (pos + (size_t)avail < len && (p->set & sym_bit(syms[pos + (size_t)avail])) && (p->max < 0 || avail < p->max))
    avail++;
  if (avail < p->min) return -1;
  for (int k = p->lazy ? p->min : avail; p->lazy ? k <= avail : k >= p->min; k += p->lazy ? 1 : -1) {
    take[i] = k;
    long r = match_params(s, i + 1, n, syms, len, pos + (size_t)k, end, take);
    if (r >= 0) return r;
  }
  return -1;
}

static const char *plural(const char *subtype, size_t len)
{
  static const char *const names[][2] = {{"a", "\"arrays\""}, {"b", "\"booleans\""}, {"f", "\"functions\""},
                                         {"n", "\"numbers\""}, {"o", "\"objects\""}, {"s", "\"strings\""}};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (len == 1 && subtype[0] == names[i][0][0]) return names[i][1];
  return "undefined";
}

/* T0412's message names the item type as the reference spells it: "numbers". */
static bool throw_t0412(struct jn_ctx *x, const char *name, const struct jv *arg, int index,
                        const struct jn_sig_param *p)
{
  jx_throw(x, "T0412", name, arg, NULL, index);
  jx_error_type(x, plural(p->subtype, p->subtype_len));
  return false;
}

/* An array argument against its a<..> subtype: the reference compares the letters of
   the match with the subtype for a value that is not an array, and for an array the
   type of every item with the subtype's first letter (no deeper). */
static bool array_ok(const struct jn_sig_param *p, char single, const char *match, size_t match_len,
                     const struct jv *arg)
{
  if (!p->subtype) return true;
  if (single != 'a') return match_len == p->subtype_len && !memcmp(match, p->subtype, match_len);
  if (arg->kind != JV_ARRAY || arg->u.a->len == 0) return true;
  char item = sym_of(&arg->u.a->items[0]);
  if (p->subtype_len == 0 || item != p->subtype[0]) return false;
  for (size_t k = 1; k < arg->u.a->len; k++)
    if (sym_of(&arg->u.a->items[k]) != item) return false;
  return true;
}

bool jn_sig_validate(struct jn_ctx *x, const struct jn_sig *sig, const struct jv *args, int argc,
                     const struct jv *context, const char *name, struct jv **out, int *out_argc)
{
  struct jv undefined = jv_undefined();
  if (!context) context = &undefined;
  if (!sig) {
    *out = arena_alloc(&x->arena, (size_t)(argc + 1) * sizeof **out);
    for (int i = 0; i < argc; i++) (*out)[i] = args[i];
    *out_argc = argc;
    return true;
  }
  char *syms = arena_alloc(&x->arena, (size_t)argc + 1);
  for (int i = 0; i < argc; i++) syms[i] = sym_of(&args[i]);
  int *take = arena_alloc(&x->arena, (size_t)(sig->n + 1) * sizeof *take);
  if (match_params(sig, 0, sig->n, syms, (size_t)argc, 0, true, take) < 0) {
    /* The argument where the longest matching prefix of parameters stops. */
    long good = 0;
    for (int k = 1; k <= sig->n; k++) {
      long r = match_params(sig, 0, k, syms, (size_t)argc, 0, false, take);
      if (r < 0) break;
      good = r;
    }
    return jx_throw(x, "T0410", name, good < argc ? &args[good] : NULL, NULL, (int)good + 1);
  }
  struct jv *v = arena_alloc(&x->arena, (size_t)(sig->n + argc + 1) * sizeof *v);
  int nv = 0, ai = 0;
  size_t pos = 0; /* in SYMS: the letters each parameter matched, which run ahead of AI
                     when an optional parameter matched nothing and still took an argument */
  for (int i = 0; i < sig->n; i++) {
    const struct jn_sig_param *p = &sig->p[i];
    if (take[i] == 0) {
      if (p->context) {
        if (!p->context_any && !(p->context_set & sym_bit(sym_of(context))))
          return jx_throw(x, "T0411", name, context, NULL, ai + 1);
        v[nv++] = *context;
      } else {
        v[nv++] = ai < argc ? args[ai] : undefined;
        ai++;
      }
      continue;
    }
    /* 2.0.6 reads the argument once per parameter: a '+' parameter of a type other
       than 'a' passes its first argument once for every argument it took (2.2.2 fixed
       this; AWS runs 2.0.6). */
    struct jv first = ai < argc ? args[ai] : undefined;
    for (int k = 0; k < take[i]; k++, ai++) {
      char single = syms[pos + (size_t)k];
      struct jv arg = p->type != 'a' ? first : ai < argc ? args[ai] : undefined;
      if (p->type == 'a') {
        if (single == 'm') {
          arg = undefined;
        } else {
          if (!array_ok(p, single, syms + pos, (size_t)take[i], &arg)) return throw_t0412(x, name, &arg, ai + 1, p);
          if (single != 'a') {
            struct jv one = jv_array(x, 1, 0);
            jv_push(x, &one, arg);
            arg = one;
          }
        }
      }
      v[nv++] = arg;
    }
    pos += (size_t)take[i];
  }
  *out = v;
  *out_argc = nv;
  return true;
}
