#include "sfc.h"

#include <string.h>

/* names.c - the naming rules AWS applies to every name sfc derives or is given, in one
   table (one row per kind of name), and a pure checker over it. A bad name is reported
   at compile time, with the offset of the first offending byte, instead of by the AWS API
   at deployment. It also keeps wildcards out of names: a '*' in a function or queue name
   would turn the IAM grant sfc writes for it into a wildcard grant.

   Lengths: AWS states limits "in characters". Its APIs are specified in Smithy, which
   measures a string's length in Unicode scalar values, so that is what is counted here
   (for the ASCII-only kinds that is the byte count). Output file names are limited in
   bytes, as file systems do. Every text must also be well-formed UTF-8. */

/* Letter and digit classes a kind allows, besides its punctuation. */
enum { LOWER = 1, UPPER = 2, DIGIT = 4, ALNUM = LOWER | UPPER | DIGIT };

/* What a kind allows beyond ASCII. */
enum unicode {
  ASCII_ONLY,
  UNICODE_NAME, /* Step Functions resources: no C1 controls, white space or U+FFFE/U+FFFF */
  UNICODE_TEXT, /* ASL state names: anything but C1 controls */
};

enum count { CHARS, BYTES };
#define UNIT_CHARS "characters"
#define UNIT_BYTES "bytes"

/* Rules a character class cannot say (suffixes, prefixes, ARN structure); they run only
   on a name whose characters and length are valid. */
typedef const char *shape_fn(const char *text, size_t len, size_t *err_offset);

struct name_rule {
  const char *description; /* for messages: "Lambda function name" */
  size_t min, max;         /* length in `count` units; max 0: no documented limit */
  enum count count;
  unsigned letters;        /* LOWER | UPPER | DIGIT */
  const char *punct;       /* the ASCII punctuation allowed (space included if listed) */
  enum unicode unicode;
  shape_fn *shape;         /* NULL: no further rules */
  /* Messages, spelled out by RULE() from the subject so each stays a string literal. */
  const char *empty, *too_short, *too_long, *non_ascii, *bad_utf8;
  const char *bad_control, *bad_space, *bad_nonchar; /* non-ASCII ones */
  const char *const *bad_char; /* [128], one per ASCII byte */
};

/* One message per ASCII byte, showing the byte as a C character literal would. */
#define C(shown, subject) "'" shown "' cannot appear in " subject
#define CHAR_MESSAGES(s) ((const char *const[128]){                                          \
  C("\\0", s), C("\\x01", s), C("\\x02", s), C("\\x03", s), C("\\x04", s), C("\\x05", s),     \
  C("\\x06", s), C("\\a", s), C("\\b", s), C("\\t", s), C("\\n", s), C("\\v", s), C("\\f", s), \
  C("\\r", s), C("\\x0e", s), C("\\x0f", s), C("\\x10", s), C("\\x11", s), C("\\x12", s),      \
  C("\\x13", s), C("\\x14", s), C("\\x15", s), C("\\x16", s), C("\\x17", s), C("\\x18", s),    \
  C("\\x19", s), C("\\x1a", s), C("\\x1b", s), C("\\x1c", s), C("\\x1d", s), C("\\x1e", s),    \
  C("\\x1f", s), C(" ", s), C("!", s), C("\"", s), C("#", s), C("$", s), C("%", s), C("&", s), \
  C("\\'", s), C("(", s), C(")", s), C("*", s), C("+", s), C(",", s), C("-", s), C(".", s),    \
  C("/", s), C("0", s), C("1", s), C("2", s), C("3", s), C("4", s), C("5", s), C("6", s),      \
  C("7", s), C("8", s), C("9", s), C(":", s), C(";", s), C("<", s), C("=", s), C(">", s),      \
  C("?", s), C("@", s), C("A", s), C("B", s), C("C", s), C("D", s), C("E", s), C("F", s),      \
  C("G", s), C("H", s), C("I", s), C("J", s), C("K", s), C("L", s), C("M", s), C("N", s),      \
  C("O", s), C("P", s), C("Q", s), C("R", s), C("S", s), C("T", s), C("U", s), C("V", s),      \
  C("W", s), C("X", s), C("Y", s), C("Z", s), C("[", s), C("\\\\", s), C("]", s), C("^", s),   \
  C("_", s), C("`", s), C("a", s), C("b", s), C("c", s), C("d", s), C("e", s), C("f", s),      \
  C("g", s), C("h", s), C("i", s), C("j", s), C("k", s), C("l", s), C("m", s), C("n", s),      \
  C("o", s), C("p", s), C("q", s), C("r", s), C("s", s), C("t", s), C("u", s), C("v", s),      \
  C("w", s), C("x", s), C("y", s), C("z", s), C("{", s), C("|", s), C("}", s), C("~", s),      \
  C("\\x7f", s) })

/* A row: DESC names the kind, SUBJECT is DESC with its article, for sentences. */
#define RULE(desc, subject, lo, hi, unit, letters, punct, unicode, shape)                    \
  { desc, lo, hi, unit, letters, punct, unicode, shape,                                     \
    subject " cannot be empty",                                                             \
    subject " has at least " #lo " " UNIT_##unit,                                           \
    subject " has at most " #hi " " UNIT_##unit,                                            \
    "non-ASCII characters cannot appear in " subject,                                       \
    "invalid UTF-8 in " subject,                                                            \
    "control characters cannot appear in " subject,                                         \
    "white space cannot appear in " subject,                                                \
    "U+FFFE and U+FFFF cannot appear in " subject,                                          \
    CHAR_MESSAGES(subject) }

static shape_fn lambda_shape, queue_shape, topic_shape, bus_shape, bucket_shape, output_shape;

/* Step Functions names forbid white space, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /
   and control characters; this is the printable ASCII punctuation that is left. */
#define SFN_PUNCT "!'()+-.=@_"

static const struct name_rule rules[] = {
  /* Lambda API Reference, CreateFunction, FunctionName: 1-140; pattern
     (arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?
     (\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?; "If you specify only
     the function name, it is limited to 64 characters". Every existing function was
     created under this rule, so a reference to one satisfies it too; '.' is for the
     $LATEST.PUBLISHED qualifier of Lambda Managed Instances. Checked by lambda_shape. */
  [NAME_LAMBDA] = RULE("Lambda function name", "a Lambda function name", 1, 140, CHARS,
                       ALNUM, "-_:$.", ASCII_ONLY, lambda_shape),
  /* Step Functions API Reference, CreateActivity, name: 1-80, the forbidden characters
     above. Its advice to use only 0-9, A-Z, a-z, - and _ "to enable logging with
     CloudWatch Logs" is a should, not a must, and is left to the caller. */
  [NAME_ACTIVITY] = RULE("activity name", "an activity name", 1, 80, CHARS,
                         ALNUM, SFN_PUNCT, UNICODE_NAME, NULL),
  /* SQS API Reference, CreateQueue, QueueName: up to 80 characters, alphanumerics,
     hyphens and underscores; a FIFO queue's name ends in .fifo, counted in the 80. */
  [NAME_QUEUE] = RULE("queue name", "a queue name", 1, 80, CHARS,
                      ALNUM, "-_.", ASCII_ONLY, queue_shape),
  /* SNS API Reference, CreateTopic, Name: 1-256 ASCII letters, digits, underscores and
     hyphens; a FIFO topic's name ends in .fifo. */
  [NAME_TOPIC] = RULE("topic name", "a topic name", 1, 256, CHARS,
                      ALNUM, "-_.", ASCII_ONLY, topic_shape),
  /* DynamoDB API Reference, CreateTable, TableName; Developer Guide, "Constraints in
     Amazon DynamoDB", naming rules: 3-255 characters, [a-zA-Z0-9_.-]. */
  [NAME_TABLE] = RULE("DynamoDB table name", "a DynamoDB table name", 3, 255, CHARS,
                      ALNUM, "_.-", ASCII_ONLY, NULL),
  /* EventBridge API Reference, CreateEventBus, Name: 1-256, [/\.\-_A-Za-z0-9]+; '/' only
     in partner bus names, which match EventSourceName aws\.partner(/[\.\-_A-Za-z0-9]+){2,}.
     "default" names the account's default bus, which sfc refers to; only creating a
     custom bus by that name is refused. */
  [NAME_BUS] = RULE("event bus name", "an event bus name", 1, 256, CHARS,
                    ALNUM, "._-/", ASCII_ONLY, bus_shape),
  /* S3 User Guide, "General purpose bucket naming rules": 3-63 characters, lowercase
     letters, digits, '.' and '-'; the rest is in bucket_shape. */
  [NAME_BUCKET] = RULE("bucket name", "a bucket name", 3, 63, CHARS,
                       LOWER | DIGIT, ".-", ASCII_ONLY, bucket_shape),
  /* Step Functions API Reference, CreateStateMachine, name: as for activities. */
  [NAME_STATE_MACHINE] = RULE("state machine name", "a state machine name", 1, 80, CHARS,
                              ALNUM, SFN_PUNCT, UNICODE_NAME, NULL),
  /* Step Functions API Reference, StartExecution, name: as for activities. */
  [NAME_EXECUTION] = RULE("execution name", "an execution name", 1, 80, CHARS,
                          ALNUM, SFN_PUNCT, UNICODE_NAME, NULL),
  /* Amazon States Language specification (states-language.net), "States": a state name
     is at most 80 Unicode characters; sfc also refuses control characters in one. */
  [NAME_STATE] = RULE("state name", "a state name", 1, 80, CHARS,
                      ALNUM, " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", UNICODE_TEXT, NULL),
  /* IAM API Reference, CreateRole, RoleName: 1-64, [\w+=,.@-]+ (\w is ASCII there). */
  [NAME_ROLE] = RULE("IAM role name", "an IAM role name", 1, 64, CHARS,
                     ALNUM, "_+=,.@-", ASCII_ONLY, NULL),
  /* EventBridge API Reference, PutRule, Name: 1-64, [\.\-_A-Za-z0-9]+. */
  [NAME_RULE] = RULE("EventBridge rule name", "an EventBridge rule name", 1, 64, CHARS,
                     ALNUM, ".-_", ASCII_ONLY, NULL),
  /* EventBridge Scheduler API Reference, CreateSchedule, Name: 1-64, [0-9a-zA-Z-_.]+. */
  [NAME_SCHEDULE] = RULE("schedule name", "a schedule name", 1, 64, CHARS,
                         ALNUM, "-_.", ASCII_ONLY, NULL),
  /* EventBridge Scheduler API Reference, CreateScheduleGroup, Name (and CreateSchedule,
     GroupName): 1-64, [0-9a-zA-Z-_.]+. */
  [NAME_SCHEDULE_GROUP] = RULE("schedule group name", "a schedule group name", 1, 64, CHARS,
                               ALNUM, "-_.", ASCII_ONLY, NULL),
  /* IAM User Guide, "IAM JSON policy elements: Sid": ASCII letters and digits; no length
     is documented, so none is imposed (the policy size limit still applies). */
  [NAME_SID] = RULE("IAM policy statement id", "an IAM policy statement id", 1, 0, CHARS,
                    ALNUM, "", ASCII_ONLY, NULL),
  /* sfc's own rule, so output files work on every system and in every shell: one path
     component of at most 255 bytes (NAME_MAX on common file systems) from the POSIX
     portable filename character set [A-Za-z0-9._-]; output_shape adds the rest. */
  [NAME_OUTPUT_FILE] = RULE("output file name", "an output file name", 1, 255, BYTES,
                            ALNUM, "._-", ASCII_ONLY, output_shape),
};

/* Records an error; returning the message lets callers write `return fail(...)`. */
static const char *fail(size_t *err_offset, const char *msg, size_t offset)
{
  *err_offset = offset;
  return msg;
}

static bool is_lower(int ch) { return ch >= 'a' && ch <= 'z'; }
static bool is_upper(int ch) { return ch >= 'A' && ch <= 'Z'; }
static bool is_digit(int ch) { return ch >= '0' && ch <= '9'; }

static bool ascii_allowed(const struct name_rule *r, int ch)
{
  if (is_lower(ch))
    return r->letters & LOWER;
  if (is_upper(ch))
    return r->letters & UPPER;
  if (is_digit(ch))
    return r->letters & DIGIT;
  return ch != 0 && strchr(r->punct, ch) != NULL;
}

/* The non-ASCII code points a kind refuses: C1 controls always; for Step Functions names
   also U+FFFE-FFFF and white space (Unicode White_Space beyond ASCII; U+0085 is a C1
   control already). Surrogates and values past U+10FFFF are not well-formed UTF-8. */
static const char *unicode_problem(const struct name_rule *r, uint32_t cp)
{
  if (cp <= 0x9F)
    return r->bad_control;
  if (r->unicode == UNICODE_TEXT)
    return NULL;
  if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
      cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000)
    return r->bad_space;
  if (cp == 0xFFFE || cp == 0xFFFF)
    return r->bad_nonchar;
  return NULL;
}

const char *name_check(enum name_kind kind, const char *text, size_t len, size_t *err_offset)
{
  size_t ignored, count = 0, over = 0;
  const struct name_rule *r;

  if (!err_offset)
    err_offset = &ignored;
  if ((size_t)kind >= sizeof rules / sizeof rules[0] || !rules[kind].description)
    return fail(err_offset, "unknown kind of name", 0);
  r = &rules[kind];
  if (len == 0)
    return fail(err_offset, r->empty, 0);
  /* Characters first: a '*' matters more than the length of the name it is in. */
  for (size_t i = 0; i < len;) {
    const unsigned char *p = (const unsigned char *)text + i;
    size_t n = 1;
    if (*p < 0x80) {
      if (!ascii_allowed(r, *p))
        return fail(err_offset, r->bad_char[*p], i);
    } else {
      uint32_t cp;
      const char *msg;
      n = utf8_decode(p, len - i, &cp);
      if (n == 0)
        return fail(err_offset, r->bad_utf8, i);
      if (r->unicode == ASCII_ONLY)
        return fail(err_offset, r->non_ascii, i);
      if ((msg = unicode_problem(r, cp)))
        return fail(err_offset, msg, i);
    }
    count += r->count == BYTES ? n : 1;
    if (r->max && count > r->max && !over)
      over = i; /* the first character past the limit; never 0, since max >= 1 */
    i += n;
  }
  if (count < r->min)
    return fail(err_offset, r->too_short, 0);
  if (over)
    return fail(err_offset, r->too_long, over);
  return r->shape ? r->shape(text, len, err_offset) : NULL;
}

size_t name_max_length(enum name_kind kind)
{
  return (size_t)kind < sizeof rules / sizeof rules[0] ? rules[kind].max : 0;
}

const char *name_kind_description(enum name_kind kind)
{
  if ((size_t)kind >= sizeof rules / sizeof rules[0] || !rules[kind].description)
    return "name";
  return rules[kind].description;
}

/* ---------------------------------------------------------------- shapes */

static bool starts_with(const char *text, size_t len, const char *prefix)
{
  size_t n = strlen(prefix);
  return len >= n && memcmp(text, prefix, n) == 0;
}

static bool ends_with(const char *text, size_t len, const char *suffix)
{
  size_t n = strlen(suffix);
  return len >= n && memcmp(text + len - n, suffix, n) == 0;
}

static bool equals(const char *text, size_t len, const char *word)
{
  return strlen(word) == len && memcmp(text, word, len) == 0;
}

/* Queues and topics: '.' only in a final ".fifo", after at least one character. */
static const char *fifo_shape(const char *text, size_t len, size_t *err_offset,
                              const char *stray_dot, const char *bare_suffix)
{
  size_t base = ends_with(text, len, ".fifo") ? len - 5 : len;
  const char *dot = memchr(text, '.', base);

  if (dot)
    return fail(err_offset, stray_dot, (size_t)(dot - text));
  if (base == 0)
    return fail(err_offset, bare_suffix, 0);
  return NULL;
}

static const char *queue_shape(const char *text, size_t len, size_t *err_offset)
{
  return fifo_shape(text, len, err_offset, "'.' can appear in a queue name only in '.fifo'",
                    "a FIFO queue name needs a name before '.fifo'");
}

static const char *topic_shape(const char *text, size_t len, size_t *err_offset)
{
  return fifo_shape(text, len, err_offset, "'.' can appear in a topic name only in '.fifo'",
                    "a FIFO topic name needs a name before '.fifo'");
}

/* A name with '/' must be a partner bus: aws.partner/ then two or more segments. */
static const char *bus_shape(const char *text, size_t len, size_t *err_offset)
{
  const char *slash = memchr(text, '/', len);
  size_t segments = 0;

  if (!slash)
    return NULL;
  if (!starts_with(text, len, "aws.partner/"))
    return fail(err_offset, "'/' can appear only in a partner event bus name (aws.partner/...)",
                (size_t)(slash - text));
  for (size_t i = strlen("aws.partner"); i < len; segments++) {
    size_t start = ++i; /* past the '/' */
    while (i < len && text[i] != '/')
      i++;
    if (i == start) /* blamed on the '/' after it, or before it at the end */
      return fail(err_offset, "empty segment in a partner event bus name",
                  start < len ? start : start - 1);
  }
  if (segments < 2)
    return fail(err_offset, "a partner event bus name has at least two segments after "
                            "'aws.partner'", 0);
  return NULL;
}

/* True for four dot-separated groups of digits, such as 192.168.5.4. */
static bool looks_like_ip(const char *text, size_t len)
{
  size_t groups = 0, digits = 0;

  for (size_t i = 0; i <= len; i++) {
    if (i == len || text[i] == '.') {
      if (digits == 0)
        return false;
      groups++;
      digits = 0;
    } else if (is_digit(text[i])) {
      digits++;
    } else {
      return false;
    }
  }
  return groups == 4;
}

/* Reserved by S3 for its own kinds of names (general purpose bucket naming rules). */
#define PREFIX(p) { p, "a bucket name cannot start with '" p "'" }
#define SUFFIX(s) { s, "a bucket name cannot end with '" s "'" }
static const struct { const char *text, *msg; } bucket_prefixes[] = {
  PREFIX("xn--"), PREFIX("sthree-"), PREFIX("amzn-s3-demo-"),
};
static const struct { const char *text, *msg; } bucket_suffixes[] = {
  SUFFIX("-s3alias"),    /* access point aliases */
  SUFFIX("--ol-s3"),     /* Object Lambda Access Point aliases */
  SUFFIX(".mrap"),       /* Multi-Region Access Points */
  SUFFIX("--x-s3"),      /* directory buckets */
  SUFFIX("--table-s3"),  /* S3 Tables buckets */
};
#undef PREFIX
#undef SUFFIX

static const char *bucket_shape(const char *text, size_t len, size_t *err_offset)
{
  if (!is_lower(text[0]) && !is_digit(text[0]))
    return fail(err_offset, "a bucket name begins with a letter or digit", 0);
  if (!is_lower(text[len - 1]) && !is_digit(text[len - 1]))
    return fail(err_offset, "a bucket name ends with a letter or digit", len - 1);
  for (size_t i = 1; i < len; i++)
    if (text[i] == '.' && text[i - 1] == '.')
      return fail(err_offset, "two adjacent periods cannot appear in a bucket name", i);
  if (looks_like_ip(text, len))
    return fail(err_offset, "a bucket name cannot be formatted as an IP address", 0);
  for (size_t i = 0; i < sizeof bucket_prefixes / sizeof bucket_prefixes[0]; i++)
    if (starts_with(text, len, bucket_prefixes[i].text))
      return fail(err_offset, bucket_prefixes[i].msg, 0);
  for (size_t i = 0; i < sizeof bucket_suffixes / sizeof bucket_suffixes[0]; i++)
    if (ends_with(text, len, bucket_suffixes[i].text))
      return fail(err_offset, bucket_suffixes[i].msg, len - strlen(bucket_suffixes[i].text));
  return NULL;
}

/* ---- Lambda: the pattern of CreateFunction's FunctionName, part by part. */

/* `-[a-z]+-\d` ending the region at END. */
static bool region_tail(const char *s, size_t p, size_t end)
{
  size_t letters = 0;

  if (p >= end || s[p++] != '-')
    return false;
  while (p < end && is_lower(s[p]))
    p++, letters++;
  return letters > 0 && p + 2 == end && s[p] == '-' && is_digit(s[p + 1]);
}

/* (eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}, trying each optional part. */
static bool is_region(const char *s, size_t len)
{
  size_t p = starts_with(s, len, "eusc-") ? 5 : 0;

  if (p + 2 > len || !is_lower(s[p]) || !is_lower(s[p + 1]))
    return false;
  p += 2;
  if (region_tail(s, p, len))
    return true;
  if (starts_with(s + p, len - p, "-gov") && region_tail(s, p + 4, len))
    return true;
  if (starts_with(s + p, len - p, "-iso"))
    return region_tail(s, p + 4, len) ||
           (p + 4 < len && is_lower(s[p + 4]) && region_tail(s, p + 5, len));
  return false;
}

static bool is_account(const char *s, size_t len)
{
  if (len != 12)
    return false;
  for (size_t i = 0; i < len; i++)
    if (!is_digit(s[i]))
      return false;
  return true;
}

/* arn:(aws[a-zA-Z-]*)?:lambda: ; returns its length, or 0 when TEXT does not start so. */
static size_t arn_prefix(const char *text, size_t len)
{
  size_t p = 4;

  if (!starts_with(text, len, "arn:"))
    return 0;
  if (starts_with(text + p, len - p, "aws"))
    for (p += 3; p < len && (is_lower(text[p]) || is_upper(text[p]) || text[p] == '-'); p++)
      ;
  return starts_with(text + p, len - p, ":lambda:") ? p + 8 : 0;
}

/* $ and . belong only to the qualifiers $LATEST and $LATEST.PUBLISHED. */
static const char *lambda_word(const char *text, size_t start, size_t end, size_t *err_offset)
{
  for (size_t i = start; i < end; i++) {
    if (text[i] == '$')
      return fail(err_offset, "'$' can appear in a Lambda function name only in the qualifier "
                              "'$LATEST'", i);
    if (text[i] == '.')
      return fail(err_offset, "'.' can appear in a Lambda function name only in the qualifier "
                              "'$LATEST.PUBLISHED'", i);
  }
  return NULL;
}

enum { LAMBDA_NAME_MAX = 64, LAMBDA_PARTS_MAX = 5 };

static const char *lambda_shape(const char *text, size_t len, size_t *err_offset)
{
  size_t start[LAMBDA_PARTS_MAX + 1], end[LAMBDA_PARTS_MAX + 1];
  size_t parts = 0, arn = arn_prefix(text, len), i = 0;
  const char *msg;

  /* Split what follows the ARN prefix at ':'; the slot past the maximum catches extras. */
  for (size_t p = arn;; p++) {
    size_t s = p;
    while (p < len && text[p] != ':')
      p++;
    if (p == s) /* blamed on the ':' after it, or before it at the end */
      return fail(err_offset, "empty part between ':' in a Lambda function name",
                  s < len ? s : s - 1);
    if (parts > LAMBDA_PARTS_MAX)
      break;
    start[parts] = s, end[parts] = p, parts++;
    if (p >= len)
      break;
  }
  if (parts > LAMBDA_PARTS_MAX) {
    if (starts_with(text, len, "arn:") && !arn)
      return fail(err_offset, "a Lambda function ARN starts with 'arn:PARTITION:lambda:'", 0);
    return fail(err_offset, "too many ':'-separated parts in a Lambda function name",
                start[LAMBDA_PARTS_MAX] - 1);
  }
  /* [region:][account:][function:]name[:qualifier]; the optional parts are told apart
     by their form, and taking one only when a name still follows matches the pattern. */
#define PART(k) (text + start[k]), (end[k] - start[k])
  if (parts - i >= 2 && is_region(PART(i)))
    i++;
  if (parts - i >= 2 && is_account(PART(i)))
    i++;
  if (parts - i >= 2 && equals(PART(i), "function"))
    i++;
  if ((msg = lambda_word(text, start[i], end[i], err_offset)))
    return msg;
  if (end[i] - start[i] > LAMBDA_NAME_MAX)
    return fail(err_offset, "a Lambda function's own name has at most 64 characters",
                start[i] + LAMBDA_NAME_MAX);
  if (++i < parts && !equals(PART(i), "$LATEST") && !equals(PART(i), "$LATEST.PUBLISHED") &&
      (msg = lambda_word(text, start[i], end[i], err_offset)))
    return msg;
#undef PART
  if (i + 1 < parts)
    return fail(err_offset, "too many ':'-separated parts in a Lambda function name",
                start[i + 1] - 1);
  return NULL;
}

/* ---- Output files. */

/* Windows device names, which a file cannot have, whatever its extension (CON.json too). */
static const char *const windows_devices[] = {
  "CON", "PRN", "AUX", "NUL",
  "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
  "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
};

static bool is_windows_device(const char *text, size_t len)
{
  const char *dot = memchr(text, '.', len);
  size_t stem = dot ? (size_t)(dot - text) : len;

  for (size_t i = 0; i < sizeof windows_devices / sizeof windows_devices[0]; i++) {
    const char *d = windows_devices[i];
    size_t k = 0;
    if (strlen(d) != stem)
      continue;
    while (k < stem && (is_lower(text[k]) ? text[k] - 'a' + 'A' : text[k]) == d[k])
      k++;
    if (k == stem)
      return true;
  }
  return false;
}

static const char *output_shape(const char *text, size_t len, size_t *err_offset)
{
  if (equals(text, len, ".") || equals(text, len, ".."))
    return fail(err_offset, "'.' and '..' name directories, not output files", 0);
  if (text[0] == '.')
    return fail(err_offset, "an output file name cannot start with '.' (sfc's temporary files "
                            "do)", 0);
  if (text[0] == '-')
    return fail(err_offset, "an output file name cannot start with '-' (commands would take it "
                            "for an option)", 0);
  if (text[len - 1] == '.')
    return fail(err_offset, "an output file name cannot end with '.' (Windows drops it)",
                len - 1);
  if (is_windows_device(text, len))
    return fail(err_offset, "an output file name cannot be a Windows device name (CON, PRN, "
                            "AUX, NUL, COM0-9, LPT0-9)", 0);
  return NULL;
}

bool is_deploy_placeholder(const char *s) {
  size_t n = strlen(s);
  return n > 3 && s[0] == '$' && s[1] == '{' && s[n - 1] == '}' && !memchr(s + 2, '}', n - 3) &&
         !memchr(s + 2, '$', n - 3);
}
