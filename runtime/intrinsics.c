/* intrinsics.c: the States.* intrinsic functions of JSONPath states.
 *
 * A call is parsed once (a cache keyed by its text) and evaluated on each use: arguments are string literals in single
 * quotes (escapes \' \{ \} \\), numbers, true, false, null, paths ($.a, $$.b, $var.c)
 * and nested calls. The functions follow what AWS records (the corpus in
 * ../shared/corpus/aws-recorded-sfn pins many): Format prints arrays and objects as
 * Java's List and Map toString do ("[1, 2]", "{a=1}"), MathAdd and MathRandom round as
 * Java's Math.round, StringSplit drops empty pieces, StringToJson("") is null,
 * Base64Decode reads as Java's decoder (padding optional), Hash and Base64 use
 * OpenSSL's EVP. Bad arguments raise States.IntrinsicFailure, as the States Language
 * specifies; a path argument that selects nothing is States.Runtime, worded as for a
 * template field (recorded, exec-420).
 *
 * Every States.IntrinsicFailure cause here is OUR WORDING: AWS's texts are not known.
 * Looked for (2026-12): the recorded corpus (aws-recorded-sfn) holds no intrinsic
 * failure; LocalStack's intrinsic tests record only successes (their validation
 * errors are left untested there) and its interpreter raises Python messages that name its own
 * classes, not AWS's; the AWS intrinsics page gives limits, not messages. A cause found
 * later replaces its line below, with a case in tests/runtime/eval-cases.json.
 *
 *   what fails                               our cause
 *   an argument of the wrong type            The <which> argument of States.<F> must be
 *                                            <kind>, not <type>
 *   a number that is not an integer          The <which> argument of States.<F> must be
 *                                            an integer
 *   a number past a long (MathAdd, ...)      The <which> argument of States.<F> is out
 *                                            of range
 *   Format: {} and arguments differ          States.Format has more placeholders {} than
 *                                            arguments / more arguments than placeholders {}
 *   StringToJson of text that is not JSON    The argument of States.StringToJson is not
 *                                            JSON: <Jansson's message> (Jackson's
 *                                            would differ)
 *   ArrayPartition size < 1                  The chunk size of States.ArrayPartition must
 *                                            be greater than 0
 *   ArrayRange step 0 / over 1000 elements   The step of States.ArrayRange must not be 0 /
 *                                            States.ArrayRange would give more than 1000
 *                                            elements
 *   ArrayGetItem index out of range          The index <i> is out of range for
 *                                            States.ArrayGetItem on an array of <n> elements
 *   Base64Encode/Decode, Hash over 10000     The input of States.<F> must be at most 10000
 *   UTF-16 units                             characters
 *   Base64Decode of text that is not Base64  The input of States.Base64Decode is not Base64
 *   Hash with an unknown algorithm           The hash algorithm '<a>' is not one of MD5,
 *                                            SHA-1, SHA-256, SHA-384, SHA-512
 *   JsonMerge deep (true)                    Step Functions only supports the shallow
 *                                            merging mode (the AWS page's sentence, not
 *                                            a recorded cause)
 *   MathRandom start > end                   The start of States.MathRandom must not be
 *                                            greater than its end
 *   MathAdd overflow                         States.MathAdd overflowed
 *   Format's text not UTF-8                  States.Format made text that is not UTF-8
 *   the call's text (quotes, commas, names,  Unterminated string / Invalid number /
 *   argument counts, nesting)                ... in the intrinsic function '<call>'
 */
#include "runtime.h"
#include "sfc.h"

#include <ctype.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* AWS's limits on the intrinsics' inputs and outputs (its intrinsics page and service
   quotas), and ours on nested calls, so no input exhausts the stack. */
enum { MAX_TEXT = 10000, MAX_RANGE = 1000, MAX_NESTING = 64 };

struct call {
  const char *s;   /* the whole call text */
  size_t pos;
  const char *field;  /* the template field, for causes, or NULL */
  const struct rt_scope *scope;
  struct rt_error *err;
  int depth;
  bool failed; /* *err is set: the first failure is the one reported */
};

/* One evaluated argument; RAW is a string literal's text with its escapes (States.Format
   reads its template's braces from it). */
struct arg {
  json_t *value;
  const char *raw;
};

static bool failure(struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool failure(struct call *c, const char *fmt, ...) {
  if (c->failed) return false;
  c->failed = true;
  va_list ap;
  va_start(ap, fmt);
  char *cause = xvasprintf(fmt, ap);
  va_end(ap);
  rt_fail(c->err, "States.IntrinsicFailure", "%s", cause);
  free(cause);
  return false;
}

static void skip_space(struct call *c) {
  while (c->s[c->pos] == ' ' || c->s[c->pos] == '\t' || c->s[c->pos] == '\n' || c->s[c->pos] == '\r')
    c->pos++;
}

/* ---------------------------------------------------------------- values as text */

/* A value as Java's toString writes it in States.Format: strings without quotes,
   lists as [a, b], maps as {k=v}. */
static void add_java(struct buf *b, const json_t *v) {
  if (json_is_string(v)) {
    buf_add(b, json_string_value(v), json_string_length(v));
  } else if (json_is_array(v)) {
    size_t i;
    json_t *x;
    buf_addc(b, '[');
    json_array_foreach(v, i, x) {
      if (i) buf_adds(b, ", ");
      add_java(b, x);
    }
    buf_addc(b, ']');
  } else if (json_is_object(v)) {
    const char *k;
    json_t *x;
    bool first = true;
    buf_addc(b, '{');
    json_object_foreach((json_t *)v, k, x) {
      if (!first) buf_adds(b, ", ");
      first = false;
      buf_adds(b, k);
      buf_addc(b, '=');
      add_java(b, x);
    }
    buf_addc(b, '}');
  } else {
    char *t = rt_json_text(v);
    buf_adds(b, t);
    free(t);
  }
}

const char *rt_json_type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "object";
  case JSON_ARRAY: return "array";
  case JSON_STRING: return "string";
  case JSON_INTEGER:
  case JSON_REAL: return "number";
  case JSON_TRUE:
  case JSON_FALSE: return "boolean";
  default: return "null";
  }
}

/* ---------------------------------------------------------------- argument checks */

/* What an argument must be. */
enum kind { K_ARRAY, K_OBJECT, K_STRING, K_NUMBER, K_BOOLEAN };
static const char *const kind_names[] = {"an array", "an object", "a string", "a number", "a boolean"};

static bool want(struct call *c, const char *fn, const json_t *v, enum kind k, const char *what) {
  bool ok = k == K_ARRAY ? json_is_array(v) : k == K_OBJECT ? json_is_object(v)
            : k == K_STRING ? json_is_string(v) : k == K_NUMBER ? json_is_number(v)
            : json_is_boolean(v);
  if (!ok)
    failure(c, "The %s argument of States.%s must be %s, not %s", what, fn, kind_names[k], rt_json_type_name(v));
  return ok;
}

/* Java's Math.round: halves go up (-1.5 is -1), as AWS rounds MathAdd's operands. */
static bool rounded(struct call *c, const char *fn, json_t *v, const char *what, long long *out) {
  if (!want(c, fn, v, K_NUMBER, what)) return false;
  if (json_is_integer(v)) {
    *out = json_integer_value(v);
    return true;
  }
  /* floor(x + 0.5) computed exactly: 0.49999999999999994 rounds to 0, as in Java */
  double x = json_real_value(v), d = floor(x);
  if (x - d >= 0.5) d += 1;
  if (!(d >= -9.2e18 && d <= 9.2e18)) {
    failure(c, "The %s argument of States.%s is out of range", what, fn);
    return false;
  }
  *out = (long long)d;
  return true;
}

/* An integer argument (ArrayRange, ArrayGetItem, ArrayPartition): a number with no
   fractional part. */
static bool integral(struct call *c, const char *fn, json_t *v, const char *what, long long *out) {
  if (!want(c, fn, v, K_NUMBER, what)) return false;
  if (json_is_integer(v)) {
    *out = json_integer_value(v);
    return true;
  }
  double d = json_real_value(v);
  if (d != floor(d) || !(d >= -9.2e18 && d <= 9.2e18))
    return failure(c, "The %s argument of States.%s must be an integer", what, fn);
  *out = (long long)d;
  return true;
}

/* ---------------------------------------------------------------- the functions */

static bool fn_format(struct call *c, struct arg *args, size_t n, json_t **out) {
  if (!want(c, "Format", args[0].value, K_STRING, "first")) return false;
  struct buf b = {0};
  size_t next = 1;
  const char *t = args[0].raw ? args[0].raw : json_string_value(args[0].value);
  size_t len = args[0].raw ? strlen(t) : json_string_length(args[0].value);
  bool escapes = args[0].raw != NULL;
  for (size_t i = 0; i < len; i++) {
    if (escapes && t[i] == '\\' && i + 1 < len && strchr("'{}\\", t[i + 1])) {
      buf_addc(&b, t[++i]);
    } else if (t[i] == '{' && i + 1 < len && t[i + 1] == '}') {
      i++;
      if (next >= n) {
        buf_free(&b);
        return failure(c, "States.Format has more placeholders {} than arguments");
      }
      add_java(&b, args[next++].value);
    } else {
      buf_addc(&b, t[i]);
    }
  }
  if (next != n) {
    buf_free(&b);
    return failure(c, "States.Format has more arguments than placeholders {}");
  }
  *out = json_stringn(b.data ? b.data : "", b.len);
  buf_free(&b);
  if (!*out) return failure(c, "States.Format made text that is not UTF-8");
  return true;
}

static bool fn_string_to_json(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  json_t *v = args[0].value;
  if (!want(c, "StringToJson", v, K_STRING, "first")) return false;
  const char *s = json_string_value(v);
  size_t len = json_string_length(v), i = 0;
  while (i < len && isspace((unsigned char)s[i])) i++;
  if (i == len) { /* blank text is null (recorded) */
    *out = json_null();
    return true;
  }
  json_error_t e;
  /* as Jackson's readTree, which the recorded results match: the first value is read
     and what follows it ignored ("1 2" is 1), a repeated key keeps its last value */
  *out = json_loadb(s, len, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &e);
  if (!*out) return failure(c, "The argument of States.StringToJson is not JSON: %s", e.text);
  return true;
}

static bool fn_json_to_string(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)c, (void)n;
  char *t = rt_json_text(args[0].value);
  *out = json_string(t);
  free(t);
  return true;
}

static bool fn_array(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)c;
  *out = json_array();
  for (size_t i = 0; i < n; i++) json_array_append(*out, args[i].value);
  return true;
}

static bool fn_array_partition(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  long long size;
  if (!want(c, "ArrayPartition", args[0].value, K_ARRAY, "first") ||
      !integral(c, "ArrayPartition", args[1].value, "second", &size))
    return false;
  if (size <= 0) return failure(c, "The chunk size of States.ArrayPartition must be greater than 0");
  json_t *a = args[0].value, *result = json_array(), *chunk = NULL;
  size_t i;
  json_t *x;
  json_array_foreach(a, i, x) {
    if (i % (size_t)size == 0) {
      chunk = json_array();
      json_array_append_new(result, chunk);
    }
    json_array_append(chunk, x);
  }
  *out = result;
  return true;
}

static bool fn_array_contains(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  if (!want(c, "ArrayContains", args[0].value, K_ARRAY, "first")) return false;
  size_t i;
  json_t *x;
  bool found = false;
  json_array_foreach(args[0].value, i, x)
    if (json_equal(x, args[1].value)) found = true;
  *out = json_boolean(found);
  return true;
}

static bool fn_array_range(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  long long first, last, step;
  if (!integral(c, "ArrayRange", args[0].value, "first", &first) ||
      !integral(c, "ArrayRange", args[1].value, "second", &last) ||
      !integral(c, "ArrayRange", args[2].value, "third", &step))
    return false;
  if (step == 0) return failure(c, "The step of States.ArrayRange must not be 0");
  /* the count first, so a huge range fails before it is built */
  long double count = step > 0 ? (last >= first ? ((long double)last - first) / step + 1 : 0)
                               : (last <= first ? ((long double)first - last) / -step + 1 : 0);
  if (count > MAX_RANGE)
    return failure(c, "States.ArrayRange would give more than 1000 elements");
  json_t *result = json_array();
  for (long long i = 0; i < (long long)count; i++) json_array_append_new(result, json_integer(first + i * step));
  *out = result;
  return true;
}

static bool fn_array_get_item(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  long long index;
  if (!want(c, "ArrayGetItem", args[0].value, K_ARRAY, "first") ||
      !integral(c, "ArrayGetItem", args[1].value, "second", &index))
    return false;
  if (index < 0 || (unsigned long long)index >= json_array_size(args[0].value))
    return failure(c, "The index %lld is out of range for States.ArrayGetItem on an array of %zu elements",
                   index, json_array_size(args[0].value));
  *out = json_incref(json_array_get(args[0].value, (size_t)index));
  return true;
}

static bool fn_array_length(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  if (!want(c, "ArrayLength", args[0].value, K_ARRAY, "first")) return false;
  *out = json_integer((json_int_t)json_array_size(args[0].value));
  return true;
}

/* Unique by value in one pass: each element's canonical text (keys sorted, as
   json_equal ignores their order) in a hash table. */
static bool fn_array_unique(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  if (!want(c, "ArrayUnique", args[0].value, K_ARRAY, "first")) return false;
  struct table seen = {0};
  size_t count = json_array_size(args[0].value), i;
  char **texts = xmalloc((count ? count : 1) * sizeof *texts);
  json_t *result = json_array(), *x;
  json_array_foreach(args[0].value, i, x) {
    texts[i] = json_dumps(x, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (!texts[i]) texts[i] = xstrdup("");
    if (table_get(&seen, texts[i])) continue;
    table_put(&seen, texts[i], x);
    json_array_append(result, x);
  }
  for (i = 0; i < count; i++) free(texts[i]);
  free(texts);
  table_free(&seen);
  *out = result;
  return true;
}

static bool text_limit(struct call *c, const char *fn, const json_t *v) {
  if (rt_utf16_length(json_string_value(v), json_string_length(v)) > MAX_TEXT)
    return failure(c, "The input of States.%s must be at most 10000 characters", fn);
  return true;
}

static bool fn_base64_encode(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  json_t *v = args[0].value;
  if (!want(c, "Base64Encode", v, K_STRING, "first") || !text_limit(c, "Base64Encode", v))
    return false;
  size_t len = json_string_length(v);
  unsigned char *enc = xmalloc(4 * ((len + 2) / 3) + 1);
  int m = EVP_EncodeBlock(enc, (const unsigned char *)json_string_value(v), (int)len);
  *out = json_stringn((char *)enc, (size_t)m);
  free(enc);
  return true;
}

/* Bytes as text, as Java's new String(bytes, UTF_8) reads them: each ill-formed part
   (a maximal prefix of a valid sequence, or one byte) becomes U+FFFD. */
static json_t *utf8_text(const char *s, size_t len) {
  struct buf b = {0};
  for (size_t i = 0; i < len;) {
    size_t n = utf8_decode((const unsigned char *)s + i, len - i, NULL);
    if (n) {
      buf_add(&b, s + i, n);
      i += n;
      continue;
    }
    /* the longest prefix that could still have begun a valid sequence */
    unsigned char lead = (unsigned char)s[i];
    size_t want = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3
                  : lead >= 0xf0 && lead <= 0xf4 ? 4 : 1;
    size_t k = 1;
    for (; k < want && i + k < len; k++) {
      unsigned char next = (unsigned char)s[i + k];
      unsigned char lo = 0x80, hi = 0xbf;
      if (k == 1 && lead == 0xe0) lo = 0xa0;
      if (k == 1 && lead == 0xed) hi = 0x9f;
      if (k == 1 && lead == 0xf0) lo = 0x90;
      if (k == 1 && lead == 0xf4) hi = 0x8f;
      if (next < lo || next > hi) break;
    }
    buf_add_utf8(&b, 0xfffd);
    i += k;
  }
  json_t *v = json_stringn(b.data ? b.data : "", b.len);
  buf_free(&b);
  return v;
}

/* Java's Base64 decoder, which AWS's behaves like: the standard alphabet only (no
   whitespace), padding optional ("YQ" is "a"), '=' only at the end. */
static bool fn_base64_decode(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  json_t *v = args[0].value;
  if (!want(c, "Base64Decode", v, K_STRING, "first") || !text_limit(c, "Base64Decode", v))
    return false;
  const char *s = json_string_value(v);
  size_t len = json_string_length(v), data = len;
  while (data > 0 && len - data < 2 && s[data - 1] == '=') data--;
  bool valid = data % 4 != 1 && (len == data || len % 4 == 0);
  for (size_t i = 0; i < data && valid; i++)
    valid = isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '/';
  if (!valid) return failure(c, "The input of States.Base64Decode is not Base64");
  /* EVP_DecodeBlock wants whole groups of four: pad what Java lets go unpadded */
  struct buf padded = {0};
  buf_add(&padded, s, data);
  while (padded.len % 4) buf_addc(&padded, '=');
  unsigned char *dec = xmalloc(padded.len / 4 * 3 + 1);
  int m = padded.len ? EVP_DecodeBlock(dec, (const unsigned char *)padded.data, (int)padded.len) : 0;
  if (m >= 0) /* it counts the padding as zero bytes */
    for (size_t i = padded.len; i > 0 && padded.data[i - 1] == '='; i--) m--;
  buf_free(&padded);
  if (m < 0) {
    free(dec);
    return failure(c, "The input of States.Base64Decode is not Base64");
  }
  *out = utf8_text((char *)dec, (size_t)m);
  free(dec);
  return true;
}

static const struct {
  const char *name;
  const EVP_MD *(*md)(void);
} hashes[] = {
  {"MD5", EVP_md5}, {"SHA-1", EVP_sha1}, {"SHA-256", EVP_sha256},
  {"SHA-384", EVP_sha384}, {"SHA-512", EVP_sha512},
};

static bool fn_hash(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  json_t *data = args[0].value, *alg = args[1].value;
  if (!want(c, "Hash", alg, K_STRING, "second")) return false;
  const EVP_MD *md = NULL;
  for (size_t i = 0; i < sizeof hashes / sizeof *hashes; i++)
    if (!strcmp(json_string_value(alg), hashes[i].name)) md = hashes[i].md();
  if (!md)
    return failure(c, "The hash algorithm '%s' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512",
                   json_string_value(alg));
  char *text = json_is_string(data) ? xstrdup(json_string_value(data)) : rt_json_text(data);
  size_t len = json_is_string(data) ? json_string_length(data) : strlen(text);
  if (rt_utf16_length(text, len) > MAX_TEXT) {
    free(text);
    return failure(c, "The input of States.Hash must be at most 10000 characters");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text, len, digest, &size, md, NULL);
  free(text);
  char hex[2 * EVP_MAX_MD_SIZE + 1];
  for (unsigned int i = 0; i < size; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  *out = json_stringn(hex, 2 * (size_t)size);
  return true;
}

static bool fn_json_merge(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  if (!want(c, "JsonMerge", args[0].value, K_OBJECT, "first") ||
      !want(c, "JsonMerge", args[1].value, K_OBJECT, "second") ||
      !want(c, "JsonMerge", args[2].value, K_BOOLEAN, "third"))
    return false;
  if (json_is_true(args[2].value))
    return failure(c, "Step Functions only supports the shallow merging mode");
  *out = json_copy(args[0].value);
  json_object_update(*out, args[1].value);
  return true;
}

static bool fn_math_random(struct call *c, struct arg *args, size_t n, json_t **out) {
  long long start, end;
  if (!rounded(c, "MathRandom", args[0].value, "first", &start) ||
      !rounded(c, "MathRandom", args[1].value, "second", &end))
    return false;
  if (start > end)
    return failure(c, "The start of States.MathRandom must not be greater than its end");
  struct rt_random seeded, *r = c->scope->random;
  if (n == 3) {
    long long seed;
    if (!rounded(c, "MathRandom", args[2].value, "third", &seed)) return false;
    rt_random_seed(&seeded, (uint64_t)seed);
    r = &seeded;
  } else if (!r) {
    rt_random_seed(&seeded, 0);
    r = &seeded;
  }
  /* start..end inclusive; the modulo bias is below 2^-40 for any range AWS allows */
  unsigned long long span = (unsigned long long)(end - start) + 1;
  unsigned long long x = rt_random_next(r);
  *out = json_integer((json_int_t)(start + (long long)(span ? x % span : x)));
  return true;
}

static bool fn_math_add(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  long long a, b;
  if (!rounded(c, "MathAdd", args[0].value, "first", &a) ||
      !rounded(c, "MathAdd", args[1].value, "second", &b))
    return false;
  long long sum;
  if (__builtin_add_overflow(a, b, &sum)) return failure(c, "States.MathAdd overflowed");
  *out = json_integer(sum);
  return true;
}

static bool fn_string_split(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)n;
  json_t *s = args[0].value, *d = args[1].value;
  if (!want(c, "StringSplit", s, K_STRING, "first") ||
      !want(c, "StringSplit", d, K_STRING, "second"))
    return false;
  /* every character (code point) of D separates; empty pieces are dropped. One-byte
     separators are looked up in a table, so the split is linear in the text. */
  const char *text = json_string_value(s), *delims = json_string_value(d);
  size_t len = json_string_length(s), dlen = json_string_length(d), start = 0, i = 0;
  bool ascii[128] = {false}, multibyte = false;
  for (size_t j = 0; j < dlen; j++) {
    if ((unsigned char)delims[j] < 128) ascii[(unsigned char)delims[j]] = true;
    else multibyte = true;
  }
  json_t *result = json_array();
  while (i <= len) {
    size_t step = 1;
    bool sep = false;
    if (i < len && (unsigned char)text[i] < 128) {
      sep = ascii[(unsigned char)text[i]];
    } else if (i < len) {
      step = utf8_decode((const unsigned char *)text + i, len - i, NULL);
      if (!step) step = 1;
      for (size_t j = 0; multibyte && j < dlen && !sep;) {
        size_t dstep = utf8_decode((const unsigned char *)delims + j, dlen - j, NULL);
        if (!dstep) dstep = 1;
        if (dstep == step && !memcmp(text + i, delims + j, step)) sep = true;
        j += dstep;
      }
    }
    if (sep || i == len) {
      if (i > start) json_array_append_new(result, json_stringn(text + start, i - start));
      start = i + step;
    }
    i += step;
  }
  *out = result;
  return true;
}

static bool fn_uuid(struct call *c, struct arg *args, size_t n, json_t **out) {
  (void)args, (void)n;
  struct rt_random fallback, *r = c->scope->random;
  if (!r) {
    rt_random_seed(&fallback, 0);
    r = &fallback;
  }
  unsigned char bytes[16];
  for (int i = 0; i < 16; i += 8) {
    uint64_t x = rt_random_next(r);
    for (int j = 0; j < 8; j++) bytes[i + j] = (unsigned char)(x >> (8 * j));
  }
  bytes[6] = (unsigned char)((bytes[6] & 0x0f) | 0x40); /* version 4 */
  bytes[8] = (unsigned char)((bytes[8] & 0x3f) | 0x80); /* RFC 4122 variant */
  char text[37];
  int k = 0;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[k++] = '-';
    k += snprintf(text + k, 3, "%02x", bytes[i]);
  }
  *out = json_string(text);
  return true;
}

/* The functions by their ASL name; their argument counts are asl_rules.c's. */
static const struct {
  const char *name;
  bool (*fn)(struct call *, struct arg *, size_t, json_t **);
} functions[] = {
  {"Format", fn_format}, {"StringToJson", fn_string_to_json},
  {"JsonToString", fn_json_to_string}, {"Array", fn_array},
  {"ArrayPartition", fn_array_partition}, {"ArrayContains", fn_array_contains},
  {"ArrayRange", fn_array_range}, {"ArrayGetItem", fn_array_get_item},
  {"ArrayLength", fn_array_length}, {"ArrayUnique", fn_array_unique},
  {"Base64Encode", fn_base64_encode}, {"Base64Decode", fn_base64_decode},
  {"Hash", fn_hash}, {"JsonMerge", fn_json_merge}, {"MathRandom", fn_math_random},
  {"MathAdd", fn_math_add}, {"StringSplit", fn_string_split}, {"UUID", fn_uuid},
};

/* ---------------------------------------------------------------- parsing */

/* A call is parsed once into a tree (cached by its text below) and the tree is
   evaluated on every use. A syntax error is kept in the tree at the place the parse
   met it: evaluation raises it after the arguments before it, so a path argument that
   fails before a later syntax error is still the failure reported, as when parsing and
   evaluating went together. */
struct node;
enum arg_kind { ARG_LITERAL, ARG_PATH, ARG_CALL };
struct parsed_arg {
  enum arg_kind kind;
  json_t *value;     /* ARG_LITERAL */
  char *raw;         /* a string literal's text with its escapes, or NULL */
  char *path;        /* ARG_PATH */
  struct node *call; /* ARG_CALL */
};
struct node {
  size_t fn; /* index in functions[] */
  struct parsed_arg *args;
  size_t n;
  char *after; /* a syntax or argument-count error, raised once the args evaluate */
};

static void node_free(struct node *nd) {
  if (!nd) return;
  for (size_t i = 0; i < nd->n; i++) {
    json_decref(nd->args[i].value);
    free(nd->args[i].raw);
    free(nd->args[i].path);
    node_free(nd->args[i].call);
  }
  free(nd->args);
  free(nd->after);
  free(nd);
}

static bool syntax(struct node *nd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool syntax(struct node *nd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  nd->after = xvasprintf(fmt, ap);
  va_end(ap);
  return false;
}

static bool parse_call(struct call *c, struct node **out);

/* A string literal; the cursor is on its opening quote. */
static bool parse_string(struct call *c, struct node *nd, struct parsed_arg *a) {
  size_t start = ++c->pos;
  struct buf b = {0};
  for (;;) {
    char ch = c->s[c->pos];
    if (ch == '\0') {
      buf_free(&b);
      return syntax(nd, "Unterminated string in the intrinsic function '%s'", c->s);
    }
    if (ch == '\'') break;
    if (ch == '\\') {
      char next = c->s[c->pos + 1];
      if (next == '\0') {
        buf_free(&b);
        return syntax(nd, "Unterminated escape in the intrinsic function '%s'", c->s);
      }
      if (strchr("'{}\\", next)) {
        buf_addc(&b, next);
      } else { /* not an escape: both characters stay */
        buf_addc(&b, ch);
        buf_addc(&b, next);
      }
      c->pos += 2;
      continue;
    }
    buf_addc(&b, ch);
    c->pos++;
  }
  json_t *value = json_stringn(b.data ? b.data : "", b.len);
  buf_free(&b);
  if (!value) return syntax(nd, "A string in the intrinsic function '%s' is not UTF-8", c->s);
  a->kind = ARG_LITERAL;
  a->value = value;
  a->raw = xmalloc(c->pos - start + 1);
  memcpy(a->raw, c->s + start, c->pos - start);
  a->raw[c->pos - start] = '\0';
  c->pos++;
  return true;
}

/* A path argument: up to the ',' or ')' that ends it, outside brackets and quotes. */
static void parse_path_arg(struct call *c, struct parsed_arg *a) {
  size_t start = c->pos;
  int depth = 0;
  char quote = 0;
  for (; c->s[c->pos]; c->pos++) {
    char ch = c->s[c->pos];
    if (quote) {
      if (ch == '\\' && c->s[c->pos + 1]) c->pos++;
      else if (ch == quote) quote = 0;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
    } else if (ch == '[' || ch == '(') {
      depth++;
    } else if ((ch == ']' || ch == ')') && depth > 0) {
      depth--;
    } else if ((ch == ',' || ch == ')') && depth == 0) {
      break;
    }
  }
  size_t end = c->pos;
  while (end > start && isspace((unsigned char)c->s[end - 1])) end--;
  a->kind = ARG_PATH;
  a->path = xmalloc(end - start + 1);
  memcpy(a->path, c->s + start, end - start);
  a->path[end - start] = '\0';
}

/* One argument into A (zeroed); false when the parse stops here (ND's error set, or
   A is a nested call carrying its own). */
static bool parse_arg(struct call *c, struct node *nd, struct parsed_arg *a) {
  skip_space(c);
  const char *p = c->s + c->pos;
  if (*p == '\'') return parse_string(c, nd, a);
  if (*p == '$') {
    parse_path_arg(c, a);
    return true;
  }
  if (*p == '-' || isdigit((unsigned char)*p)) {
    size_t n = 0;
    while (p[n] && (isdigit((unsigned char)p[n]) || strchr("-+.eE", p[n]))) n++;
    char *text = xmalloc(n + 1);
    memcpy(text, p, n);
    text[n] = '\0';
    json_error_t e;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
    free(text);
    if (!v || !json_is_number(v)) {
      json_decref(v);
      return syntax(nd, "Invalid number in the intrinsic function '%s'", c->s);
    }
    a->kind = ARG_LITERAL;
    a->value = v;
    c->pos += n;
    return true;
  }
  static const char *const words[] = {"true", "false", "null"};
  for (int i = 0; i < 3; i++) {
    size_t n = strlen(words[i]);
    if (!strncmp(p, words[i], n) && !isalnum((unsigned char)p[n]) && p[n] != '_' && p[n] != '.') {
      a->kind = ARG_LITERAL;
      a->value = i == 0 ? json_true() : i == 1 ? json_false() : json_null();
      c->pos += n;
      return true;
    }
  }
  if (isalpha((unsigned char)*p)) {
    a->kind = ARG_CALL;
    return parse_call(c, &a->call);
  }
  return syntax(nd, "Invalid argument in the intrinsic function '%s'", c->s);
}

/* NAME(ARG, ...) at the cursor into *OUT (always made); false when it has an error. */
static bool parse_call(struct call *c, struct node **out) {
  struct node *nd = *out = xmalloc(sizeof *nd);
  *nd = (struct node){0};
  skip_space(c);
  if (++c->depth > MAX_NESTING)
    return syntax(nd, "Intrinsic functions nested too deeply in '%s'", c->s);
  size_t start = c->pos;
  while (isalnum((unsigned char)c->s[c->pos]) || c->s[c->pos] == '.' || c->s[c->pos] == '_') c->pos++;
  size_t len = c->pos - start;
  char name[64];
  if (len >= sizeof name || len < 8 || strncmp(c->s + start, "States.", 7) != 0)
    return syntax(nd, "'%.*s' is not an intrinsic function (in '%s')", (int)len, c->s + start, c->s);
  memcpy(name, c->s + start + 7, len - 7);
  name[len - 7] = '\0';
  int min, max;
  bool returns_string;
  size_t f = 0;
  while (f < sizeof functions / sizeof *functions && strcmp(functions[f].name, name)) f++;
  if (f == sizeof functions / sizeof *functions || !intrinsic_arity(name, &min, &max, &returns_string))
    return syntax(nd, "States.%s is not an intrinsic function (in '%s')", name, c->s);
  nd->fn = f;
  skip_space(c);
  if (c->s[c->pos] != '(') return syntax(nd, "Expected '(' after States.%s in '%s'", name, c->s);
  c->pos++;
  skip_space(c);
  if (c->s[c->pos] == ')') {
    c->pos++;
  } else {
    for (;;) {
      nd->args = xrealloc(nd->args, (nd->n + 1) * sizeof *nd->args);
      struct parsed_arg *a = &nd->args[nd->n];
      *a = (struct parsed_arg){0};
      bool ok = parse_arg(c, nd, a);
      if (ok || a->call) nd->n++;
      if (!ok) return false;
      skip_space(c);
      if (c->s[c->pos] == ',') {
        c->pos++;
        continue;
      }
      if (c->s[c->pos] == ')') {
        c->pos++;
        break;
      }
      return syntax(nd, "Expected ',' or ')' in the arguments of States.%s in '%s'", name, c->s);
    }
  }
  c->depth--;
  if ((int)nd->n < min || (max >= 0 && (int)nd->n > max)) {
    char counts[64];
    if (max < 0) snprintf(counts, sizeof counts, "at least %d", min);
    else if (min == max) snprintf(counts, sizeof counts, "%d", min);
    else snprintf(counts, sizeof counts, "%d to %d", min, max);
    syntax(nd, "States.%s takes %s arguments", name, counts); /* raised after the args */
  }
  return true;
}

/* ---------------------------------------------------------------- evaluation */

static bool eval_node(struct call *c, const struct node *nd, json_t **out);

static bool eval_path(struct call *c, const char *path, json_t **out) {
  char *why = NULL;
  bool limit;
  bool ok = rt_path_eval(path, c->scope, out, &why, &limit);
  if (!ok && !c->failed && limit) { /* our wording, as for a template field */
    c->failed = true;
    rt_fail(c->err, "States.Runtime", "The JSONPath '%s' could not be evaluated: %s", path, why);
  } else if (!ok && !c->failed) {
    c->failed = true;
    char *input = rt_json_text(c->scope->input);
    if (c->field)
      rt_fail(c->err, "States.Runtime",
              "The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
              path, c->field, input);
    else
      rt_fail(c->err, "States.Runtime", "The JSONPath '%s' could not be found in the input '%s'",
              path, input);
    free(input);
  }
  free(why);
  return ok;
}

/* The arguments in order (each literal a fresh copy, so no function can change the
   tree), then the node's error if it has one, then the function. */
static bool eval_node(struct call *c, const struct node *nd, json_t **out) {
  struct arg *args = nd->n ? xmalloc(nd->n * sizeof *args) : NULL;
  size_t n = 0;
  bool ok = true;
  for (; ok && n < nd->n; n++) {
    const struct parsed_arg *a = &nd->args[n];
    args[n].value = NULL;
    args[n].raw = a->raw;
    if (a->kind == ARG_LITERAL) args[n].value = json_copy(a->value);
    else if (a->kind == ARG_PATH) ok = eval_path(c, a->path, &args[n].value);
    else ok = eval_node(c, a->call, &args[n].value);
  }
  if (ok && nd->after) ok = failure(c, "%s", nd->after);
  if (ok) ok = functions[nd->fn].fn(c, args, n, out);
  for (size_t i = 0; i < n; i++) json_decref(args[i].value);
  free(args);
  return ok;
}

/* ---------------------------------------------------------------- the cache */

/* Parsed calls by their text: a direct-mapped table, a collision replaces (as
   jsonpath.c keeps paths). Calls stay until the process ends. */
enum { CACHE_SIZE = 256 };
static struct {
  char *text;
  struct node *tree;
  char *trailing; /* text after the call: raised once the call evaluates */
} cache[CACHE_SIZE];

static size_t hash_text(const char *s) {
  size_t h = 5381;
  for (; *s; s++) h = h * 33 + (unsigned char)*s;
  return h % CACHE_SIZE;
}

bool rt_intrinsic_in(const char *text, const char *field, const struct rt_scope *s, json_t **out,
                     struct rt_error *err) {
  size_t h = hash_text(text);
  if (!cache[h].text || strcmp(cache[h].text, text) != 0) {
    free(cache[h].text);
    node_free(cache[h].tree);
    free(cache[h].trailing);
    struct call p = {text, 0, NULL, NULL, NULL, 0, false};
    cache[h].trailing = NULL;
    if (parse_call(&p, &cache[h].tree)) {
      skip_space(&p);
      if (text[p.pos]) {
        struct node t = {0};
        syntax(&t, "Unexpected text after the intrinsic function in '%s'", text);
        cache[h].trailing = t.after;
      }
    }
    cache[h].text = xstrdup(text);
  }
  struct call c = {text, 0, field, s, err, 0, false};
  *out = NULL;
  bool ok = eval_node(&c, cache[h].tree, out);
  if (ok && cache[h].trailing) ok = failure(&c, "%s", cache[h].trailing);
  if (!ok) {
    json_decref(*out);
    *out = NULL;
  }
  return ok;
}

bool rt_intrinsic(const char *call, const struct rt_scope *s, json_t **out, struct rt_error *err) {
  return rt_intrinsic_in(call, NULL, s, out, err);
}
