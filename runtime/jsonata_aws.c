/* jsonata_aws.c: the functions AWS Step Functions adds to JSONata ("JSONata functions
 * provided by Step Functions"): $partition, $range, $hash, $random, $uuid, $parse, the
 * JSONata forms of States.ArrayPartition, States.ArrayRange, States.Hash,
 * States.MathRandom, States.UUID and States.StringToJson.
 *
 * The reference has no messages for them; their errors are raised with messages of our
 * own under codes of our own (D3200 to D3203), which a JSONata state reports in its
 * States.QueryEvaluationError cause.
 */
#include "jsonata.h"

#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

/* The most numbers $range gives: AWS refuses one more, with its memory limit's words. */
enum { MAX_RANGE = 360145 };

static bool is_integer(double d) { return isfinite(d) && d == floor(d); }

/* $partition(array, size): the items in chunks of SIZE, the last one shorter when
   they do not divide evenly. A plain array (a one-chunk result stays [[...]]). */
bool jn_fn_partition(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  *out = jv_undefined();
  if (argc < 2 || args[0].kind == JV_UNDEFINED || args[1].kind != JV_NUMBER) return true;
  struct jv items = jv_as_array(x, &args[0]); /* the signature's coercion: a value is [value] */
  /* AWS truncates the size towards zero; a size below 1 and an empty array give
     nothing, which fails the field the expression is in */
  double size = trunc(args[1].u.n);
  const struct jv_arr *a = items.u.a;
  if (!(size >= 1) || !a->len) return true;
  size_t n = size < (double)a->len ? (size_t)size : a->len;
  struct jv r = jv_array(x, a->len / n + 1, 0);
  for (size_t i = 0; i < a->len; i += n) {
    size_t m = a->len - i < n ? a->len - i : n;
    struct jv chunk = jv_array(x, m, 0);
    for (size_t k = 0; k < m; k++) jv_push(x, &chunk, a->items[i + k]);
    jv_push(x, &r, chunk);
  }
  *out = r;
  return true;
}

/* $range(start, end, step): start, start+step, ... up to END inclusive. A sequence:
   one number comes back as that number (AWS's recording: $range(1, 9, 9) is 1). */
bool jn_fn_range(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  *out = jv_undefined();
  if (argc < 3) return true;
  for (int i = 0; i < 3; i++)
    if (args[i].kind != JV_NUMBER || !isfinite(args[i].u.n)) return true;
  /* truncated towards zero, as AWS does; a step of 0 or one going away from END
     gives nothing */
  double start = trunc(args[0].u.n), end = trunc(args[1].u.n), step = trunc(args[2].u.n);
  if (step == 0 || (step > 0 && end < start) || (step < 0 && end > start)) return true;
  double count = floor((end - start) / step) + 1;
  if (count > MAX_RANGE)
    return jx_throw_message(x, "D3200", "Expression evaluation memory limit exceeded");
  struct jv r = jv_array(x, (size_t)count, JVF_SEQUENCE);
  for (double i = 0; i < count; i++) jv_push(x, &r, jv_number(start + i * step));
  *out = r;
  return true;
}

/* $hash(value, algorithm): the digest's lower-case hex. A number is hashed as its text. */
bool jn_fn_hash(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  *out = jv_undefined();
  if (argc < 1 || args[0].kind == JV_UNDEFINED) return true;
  static const struct {
    const char *name, *evp;
  } algorithms[] = {{"MD5", "MD5"}, {"SHA-1", "SHA1"}, {"SHA-256", "SHA256"},
                    {"SHA-384", "SHA384"}, {"SHA-512", "SHA512"}};
  if (argc < 2 || args[1].kind != JV_STRING) return true; /* no algorithm: nothing */
  const char *alg = args[1].u.s->text;
  const EVP_MD *md = NULL;
  for (size_t i = 0; alg && i < sizeof algorithms / sizeof *algorithms; i++)
    if (!strcmp(alg, algorithms[i].name)) md = EVP_get_digestbyname(algorithms[i].evp);
  if (!md)
    return jx_throw_message(x, "D3201",
                            "The algorithm argument of $hash must be one of MD5, SHA-1, SHA-256, "
                            "SHA-384, SHA-512; given \"%s\"", alg);
  char num[32];
  const char *text;
  size_t len;
  if (args[0].kind == JV_NUMBER) {
    jn_number_text(args[0].u.n, num);
    text = num;
    len = strlen(num);
  } else {
    text = args[0].u.s->text;
    len = args[0].u.s->len;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int dlen = 0;
  if (!EVP_Digest(text, len, digest, &dlen, md, NULL))
    return jx_throw_message(x, "D3202", "$hash could not compute the %s digest", alg);
  char hex[2 * EVP_MAX_MD_SIZE + 1];
  for (unsigned int i = 0; i < dlen; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  *out = jv_string(x, hex, 2 * (size_t)dlen);
  return true;
}

/* $random([seed]): uniform in [0, 1); a seed gives the same number every time. */
bool jn_fn_random(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  if (argc >= 1 && args[0].kind == JV_NUMBER) {
    double seed = args[0].u.n;
    uint64_t bits;
    if (is_integer(seed) && fabs(seed) < 9.2e18) {
      bits = (uint64_t)(int64_t)seed;
    } else {
      memcpy(&bits, &seed, sizeof bits);
    }
    struct rt_random r;
    rt_random_seed(&r, bits);
    *out = jv_number(rt_random_unit(&r));
    return true;
  }
  struct rt_random fixed;
  struct rt_random *r = x->random;
  if (!r) {
    rt_random_seed(&fixed, 0);
    r = &fixed;
  }
  *out = jv_number(rt_random_unit(r));
  return true;
}

/* $uuid(): a version 4 UUID from the evaluation's random numbers. */
bool jn_fn_uuid(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  (void)args;
  (void)argc;
  struct rt_random fixed;
  struct rt_random *r = x->random;
  if (!r) {
    rt_random_seed(&fixed, 0);
    r = &fixed;
  }
  char t[37];
  rt_uuid(r, t);
  *out = jv_string(x, t, 36);
  return true;
}

/* $parse(text): the JSON value TEXT writes (AWS's replacement for $eval). */
bool jn_fn_parse(struct jn_ctx *x, struct jv *args, int argc, struct jv *out) {
  *out = jv_undefined();
  if (argc < 1 || args[0].kind == JV_UNDEFINED) return true;
  const struct jv_str *s = args[0].u.s;
  json_error_t e;
  json_t *j = json_loadb(s->text, s->len, JSON_DECODE_ANY, &e);
  /* an integer beyond 64 bits is still a number (a double, as JavaScript reads it) */
  json_error_t e2;
  if (!j) j = json_loadb(s->text, s->len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &e2);
  if (!j)
    return jx_throw_message(x, "D3203", "The argument of $parse is not valid JSON: %s (position %d)",
                            e.text, e.position);
  *out = jv_from_json(x, j);
  json_decref(j);
  return true;
}
