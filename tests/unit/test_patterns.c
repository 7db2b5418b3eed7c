/* test_patterns.c - table-driven unit test for pattern_check and plain_value (lower.c)
   (compiler/patterns.c).

   Each case is a pattern written as JSON, with ' for " to keep the table readable, and
   one '^' just before the node the first error (or, for WARN, the first warning) must
   point at. A tiny JSON reader in this file turns the text into the struct value tree
   the parser would build, with real byte offsets, registered as a diag source so the
   checker can find offsets inside strings. It also reads $.path as V_PATH,
   {% ... %} as V_JSONATA, and marks strings holding ${ as interpolated. */
#include "sfc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ JSON -> struct value */

struct reader {
  struct arena *arena;
  const char *text;
  size_t pos;
  int file;
  bool failed;
};

static void skip_space(struct reader *r) {
  while (r->text[r->pos] == ' ' || r->text[r->pos] == '\n' || r->text[r->pos] == '\t') r->pos++;
}

static struct loc loc_of(const struct reader *r, size_t start) {
  return (struct loc){r->file, (int)start, (int)r->pos};
}

/* A JSON string at r->pos (the opening quote). */
static struct str *read_string(struct reader *r) {
  size_t start = r->pos++;
  struct buf b = {0};
  buf_adds(&b, "");
  while (r->text[r->pos] && r->text[r->pos] != '"') {
    char c = r->text[r->pos++];
    if (c != '\\') {
      buf_addc(&b, c);
      continue;
    }
    c = r->text[r->pos++];
    switch (c) {
    case 'n': buf_addc(&b, '\n'); break;
    case 't': buf_addc(&b, '\t'); break;
    case 'r': buf_addc(&b, '\r'); break;
    case 'b': buf_addc(&b, '\b'); break;
    case 'f': buf_addc(&b, '\f'); break;
    case 'u': {
      char hex[5] = {0};
      memcpy(hex, r->text + r->pos, 4);
      r->pos += 4;
      unsigned long cp = strtoul(hex, NULL, 16);
      if (cp >= 0xD800 && cp <= 0xDBFF && r->text[r->pos] == '\\') {
        memcpy(hex, r->text + r->pos + 2, 4);
        r->pos += 6;
        cp = 0x10000 + ((cp & 0x3ff) << 10) + (strtoul(hex, NULL, 16) & 0x3ff);
      }
      buf_add_utf8(&b, cp);
      break;
    }
    default: buf_addc(&b, c); break; /* \" \\ \/ */
    }
  }
  if (r->text[r->pos] != '"') r->failed = true;
  else r->pos++;
  struct str *s = NEW(r->arena, struct str);
  s->loc = loc_of(r, start);
  s->text = arena_strndup(r->arena, b.data, b.len);
  s->len = b.len;
  if (strstr(s->text, "${")) { /* as the parser keeps it: parts, and no text yet */
    s->parts = NEW(r->arena, struct str_part);
    s->parts->text = s->text;
    s->parts->len = s->len;
    s->text = NULL;
    s->len = 0;
  }
  buf_free(&b);
  return s;
}

static struct value *read_value(struct reader *r) {
  skip_space(r);
  struct value *v = NEW(r->arena, struct value);
  size_t start = r->pos;
  const char *t = r->text + r->pos;
  if (t[0] == '{' && t[1] == '%') {
    const char *end = strstr(t, "%}");
    if (!end) {
      r->failed = true;
      return v;
    }
    v->kind = V_JSONATA;
    r->pos += (size_t)(end - t) + 2;
  } else if (t[0] == '{') {
    v->kind = V_OBJECT;
    r->pos++;
    struct member **tail = &v->members;
    skip_space(r);
    while (!r->failed && r->text[r->pos] != '}') {
      skip_space(r);
      if (r->text[r->pos] != '"') {
        r->failed = true;
        break;
      }
      struct member *m = NEW(r->arena, struct member);
      struct str *key = read_string(r);
      m->key = key->text ? key->text : key->parts->text;
      m->key_loc = key->loc;
      skip_space(r);
      if (r->text[r->pos++] != ':') r->failed = true;
      m->value = read_value(r);
      *tail = m;
      tail = &m->next;
      skip_space(r);
      if (r->text[r->pos] == ',') r->pos++;
      else if (r->text[r->pos] != '}') r->failed = true;
    }
    r->pos++;
  } else if (t[0] == '[') {
    v->kind = V_ARRAY;
    r->pos++;
    struct value **tail = &v->items;
    skip_space(r);
    while (!r->failed && r->text[r->pos] != ']') {
      *tail = read_value(r);
      tail = &(*tail)->next;
      skip_space(r);
      if (r->text[r->pos] == ',') r->pos++;
      else if (r->text[r->pos] != ']') r->failed = true;
    }
    r->pos++;
  } else if (t[0] == '"') {
    v->kind = V_STRING;
    v->string = read_string(r);
  } else if (!strncmp(t, "true", 4) || !strncmp(t, "false", 5)) {
    v->kind = V_BOOL;
    v->boolean = t[0] == 't';
    r->pos += v->boolean ? 4 : 5;
  } else if (!strncmp(t, "null", 4)) {
    v->kind = V_NULL;
    r->pos += 4;
  } else if (t[0] == '$') {
    v->kind = V_PATH;
    while (r->text[r->pos] && !strchr(" ,]}", r->text[r->pos])) r->pos++;
  } else if (t[0] == '-' || (t[0] >= '0' && t[0] <= '9')) {
    while (r->text[r->pos] && strchr("-+.eE0123456789", r->text[r->pos])) r->pos++;
    v->text = arena_strndup(r->arena, t, r->pos - start);
    v->kind = strpbrk(v->text, ".eE") ? V_REAL : V_INT;
    if (v->kind == V_REAL) v->real = strtod(v->text, NULL);
    else v->integer = strtoll(v->text, NULL, 10);
  } else {
    r->failed = true;
  }
  v->loc = loc_of(r, start);
  return v;
}

/* ------------------------------------------------------------ cases */

struct pattern_case {
  const char *json;
  const char *error;   /* the first error, or NULL */
  int errors;          /* how many errors */
  const char *warning; /* the first warning, or NULL */
};

#define OK(j) {j, NULL, 0, NULL}
#define BAD(j, m) {j, m, 1, NULL}
#define BADN(j, m, n) {j, m, n, NULL}
#define WARN(j, m) {j, NULL, 0, m}

#define MATCH_LIST "prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, " \
                   "exists or cidr"
#define OPS "expected \"=\", \"<\", \"<=\", \">\" or \">=\""

static const char *const E_LEAF_STRING = "\"string\" must be an object or an array";
static const char *const E_EMPTY_OBJECT =
    "empty objects are not allowed: expected at least one field";
static const char *const E_AB_VALUE =
    "value of anything-but must be an array or single string/number value";
static const char *const E_AB_LIST =
    "inside anything but list, start|null|boolean is not supported: expected only strings or "
    "only numbers";
static const char *const E_AB_EIC =
    "inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported: "
    "expected strings";
static const char *const E_NULL_PREFIX =
    "null prefix/suffix not allowed: expected a non-empty string";
static const char *const E_PS_STRING = "prefix/suffix match pattern must be a string";
static const char *const E_CONSECUTIVE =
    "consecutive wildcard characters at pos %d: one '*' already matches any run of characters";
static const char *const E_ESCAPE =
    "invalid escape character at pos %d: in a wildcard a backslash escapes only '*' or another "
    "backslash";
static const char *const E_OR_RESERVED =
    "\"%s\" is a reserved name that cannot be used as a field inside $or";
static const char *const E_V4_MASK =
    "mask bits must be < 32 for an IPv4 address (to match one address, write it as a plain "
    "string)";

static const struct pattern_case cases[] = {
  /* valid patterns */
  OK("{'source': ['aws.s3'], 'detail-type': ['Object Created'], 'detail': {'bucket': "
     "{'name': ['b']}, 'object': {'key': [{'prefix': 'in/'}]}}}"),
  OK("{'a': ['x', 1, -2, 2.5, true, false, null, '']}"),
  OK("{'a': [{'prefix': ''}, {'suffix': '.png'}, {'equals-ignore-case': 'EventB'}]}"),
  OK("{'a': [{'prefix': {'equals-ignore-case': 'EventB'}}, "
     "{'suffix': {'equals-ignore-case': '.png'}}]}"),
  OK("{'a': [{'wildcard': 'arn:aws:events:us-east-1:*:event-bus/*'}, {'wildcard': ''}]}"),
  OK("{'a': [{'wildcard': 'a\\\\*b\\\\\\\\c*'}]}"),
  OK("{'a': [{'anything-but': 'x'}], 'b': [{'anything-but': 0}], "
     "'c': [{'anything-but': ['a', 'b']}], 'd': [{'anything-but': [1, 2.5]}]}"),
  OK("{'a': [{'anything-but': {'prefix': 'init'}}], "
     "'b': [{'anything-but': {'suffix': ['.txt', '.md']}}], "
     "'c': [{'anything-but': {'equals-ignore-case': ['X', 'y']}}], "
     "'d': [{'anything-but': {'wildcard': '*/dir/*'}}], "
     "'e': [{'anything-but': {'wildcard': ['', 'a*']}}], "
     "'f': [{'anything-but': {'equals-ignore-case': 'x'}}]}"),
  OK("{'a': [{'numeric': ['=', 3.018e2]}], 'b': [{'numeric': ['>', 0, '<=', 5]}], "
     "'c': [{'numeric': ['<', 10]}], 'd': [{'numeric': ['>=', -1.5, '<', 0]}], "
     "'e': [{'numeric': ['<=', 5000000000]}], 'f': [{'numeric': ['>', 0.000001]}]}"),
  OK("{'a': [{'exists': true}], 'b': [{'exists': false}]}"),
  OK("{'a': [{'cidr': '10.0.0.0/24'}], 'b': [{'cidr': '2001:db8:1234:1a00::/64'}], "
     "'c': [{'cidr': '0.0.0.0/0'}], 'd': [{'cidr': '::/0'}], 'e': [{'cidr': '::1/127'}], "
     "'f': [{'cidr': '1:2:3:4:5:6:7:8/64'}], 'g': [{'cidr': '255.255.255.255/31'}], "
     "'h': [{'cidr': 'fe80::/10'}]}"),
  OK("{'detail': {'$or': [{'c-count': [{'numeric': ['>', 0, '<=', 5]}]}, "
     "{'d-count': [{'numeric': ['<', 10]}]}, {'x-limit': [{'numeric': ['=', 301.8]}]}]}}"),
  OK("{'source': ['a'], '$or': [{'x': ['1']}, {'$or': [{'y': ['2']}, {'z': {'w': ['3']}}]}]}"),
  OK("{'a': [{'exists': true}, {'prefix': 'IGNORED'}, {'anything-but': ['roses']}]}"),
  OK("{'state.status': ['running'], 'prefix': ['a field may be called prefix']}"),
  /* interpolated strings were reported where they were resolved */
  OK("{'a': {'b': '${x}'}, 'c': [{'prefix': '${y}'}], 'd': [{'wildcard': '${z}**'}], "
     "'e': [{'cidr': '${n}'}], 'f': [{'anything-but': ['${v}', 'w']}]}"),

  /* structure */
  BAD("^['x']", "an event pattern must be an object of fields, e.g. {\"source\": [\"aws.s3\"]}"),
  BAD("^{}", E_EMPTY_OBJECT),
  BAD("{'detail': ^{}}", E_EMPTY_OBJECT),
  BAD("{'string': ^'my-value'}", E_LEAF_STRING),
  BAD("{'int': ^42}", "\"int\" must be an object or an array"),
  BAD("{'a': {'b': ^null}}", "\"b\" must be an object or an array"),
  /* long names are cut short in messages */
  BAD("{'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk': ^1}",
      "\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...\" must be an object or "
      "an array"),
  BAD("{'detail': {'prefix': ^'x'}}", "\"prefix\" must be an object or an array"),
  BAD("{'a': ^[]}", "empty arrays are not allowed: expected at least one value to match"),
  BAD("{'a': ['x', ^['y']]}", "match value must be a string, number, true, false, null or a "
                              "match expression, not an array"),
  BAD("{'a': ['x'], ^'a': ['y']}",
      "duplicate field \"a\": EventBridge would use only the last one"),
  BAD("{'a': [^$.x]}", "a pattern is plain JSON, not a path"),
  BAD("{'a': ^{% $x %}}", "a pattern is plain JSON, not a JSONata expression"),
  BAD("^$.detail", "a pattern is plain JSON, not a path"),

  /* match expressions */
  BAD("{'a': [^{}]}", "match expression name not found: expected one of " MATCH_LIST),
  BAD("{'a': [{'prefix': 'x', ^'suffix': 'y'}]}", "only one key allowed in match expression"),
  BAD("{'a': [{^'NUMERIC': ['>', 1]}]}", "unrecognized match type \"NUMERIC\": did you mean "
                                         "\"numeric\"?"),
  BAD("{'a': [{^'EXISTS': true}]}", "unrecognized match type \"EXISTS\": did you mean \"exists\"?"),
  BAD("{'a': [{^'anything_but': 'x'}]}", "unrecognized match type \"anything_but\": did you mean "
                                         "\"anything-but\"?"),
  BAD("{'a': [{^'equals-ignorecase': 'x'}]}", "unrecognized match type \"equals-ignorecase\": "
                                              "did you mean \"equals-ignore-case\"?"),
  BAD("{'a': [{^'between': [1, 2]}]}", "unrecognized match type \"between\": expected one of "
                                       MATCH_LIST),
  BAD("{'a': [{^'exactly': 'x'}]}", "unrecognized match type \"exactly\": EventBridge does not "
                                    "document it; an exact match is the plain value, e.g. [\"x\"]"),
  BAD("{'a': [{^'regex': 'x'}]}", "unrecognized match type \"regex\": it is reserved for future "
                                  "use; expected one of " MATCH_LIST),

  /* prefix, suffix, equals-ignore-case */
  BAD("{'a': [{'prefix': ^123}]}", "prefix match pattern must be a string"),
  BAD("{'a': [{'prefix': ^['x']}]}", "prefix match pattern must be a string"),
  BAD("{'a': [{'suffix': ^true}]}", "suffix match pattern must be a string"),
  BAD("{'a': [{'prefix': {^'suffix': 'x'}}]}",
      "prefix match pattern must be a string or {\"equals-ignore-case\": string}"),
  BAD("{'a': [{'suffix': ^{}}]}",
      "suffix match pattern must be a string or {\"equals-ignore-case\": string}"),
  BAD("{'a': [{'prefix': {'equals-ignore-case': ^1}}]}",
      "equals-ignore-case match pattern must be a string"),
  BAD("{'a': [{'equals-ignore-case': ^['x']}]}",
      "equals-ignore-case match pattern must be a string"),
  BAD("{'a': [{'equals-ignore-case': ^{'prefix': 'x'}}]}",
      "equals-ignore-case match pattern must be a string"),

  /* wildcard */
  BAD("{'a': [{'wildcard': 'arn:aws:events:us-east-1:^**:event-bus/*'}]}", "26"),
  BAD("{'a': [{'wildcard': 'a^\\\\b'}]}", "e2"),
  BAD("{'a': [{'wildcard': 'ab^\\\\'}]}", "e3"),
  BAD("{'a': [{'wildcard': '\\u00e9^**'}]}", "3"),
  BAD("{'a': [{'wildcard': '\\\\*^***'}]}", "3"),
  BAD("{'a': [{'wildcard': ^5}]}", "wildcard match pattern must be a string"),
  BAD("{'a': [{'wildcard': ^['*']}]}", "wildcard match pattern must be a string"),

  /* anything-but */
  BAD("{'a': [{'anything-but': ^null}]}", E_AB_VALUE),
  BAD("{'a': [{'anything-but': ^false}]}", E_AB_VALUE),
  BAD("{'a': [{'anything-but': ['stopped', ^null]}]}", E_AB_LIST),
  BAD("{'a': [{'anything-but': [^{'prefix': 'x'}]}]}", E_AB_LIST),
  BAD("{'a': [{'anything-but': ['a', ^1, 2]}]}",
      "inside anything but list, either all values are number or string, mixed type is not "
      "supported"),
  BAD("{'a': [{'anything-but': ^[]}]}",
      "empty arrays are not allowed: anything-but needs at least one string or number"),
  BAD("{'a': [{'anything-but': {'equals-ignore-case': ^123}}]}", E_AB_EIC),
  BADN("{'a': [{'anything-but': {'equals-ignore-case': [^123, 456]}}]}", E_AB_EIC, 2),
  BAD("{'a': [{'anything-but': {'prefix': ^''}}]}", E_NULL_PREFIX),
  BAD("{'a': [{'anything-but': {'suffix': ['.md', ^'']}}]}", E_NULL_PREFIX),
  BAD("{'a': [{'anything-but': {'prefix': ^123}}]}", E_PS_STRING),
  BAD("{'a': [{'anything-but': {'prefix': [^123, 'x']}}]}", E_PS_STRING),
  BAD("{'a': [{'anything-but': {'suffix': [^null, '.txt']}}]}", E_PS_STRING),
  BAD("{'a': [{'anything-but': {'suffix': ^[]}}]}",
      "empty arrays are not allowed: anything-but suffix needs at least one string"),
  BAD("{'a': [{'anything-but': {'wildcard': ^123}}]}", "wildcard match pattern must be a string"),
  BAD("{'a': [{'anything-but': {'wildcard': [^123, 'x']}}]}",
      "wildcard match pattern must be a string"),
  BAD("{'a': [{'anything-but': {'wildcard': ['x', 'a^**']}}]}", "2"),
  BAD("{'a': [{'anything-but': {'prefix': ^{'equals-ignore-case': 'x'}}}]}",
      "value of anything-but must be an array or single string/number value: anything-but prefix "
      "takes a string or a list of strings"),
  BAD("{'a': [{'anything-but': {^'numeric': ['>', 1]}}]}",
      "unsupported anything-but pattern \"numeric\": expected prefix, suffix, equals-ignore-case "
      "or wildcard"),
  BAD("{'a': [{'anything-but': {^'Prefix': 'x'}}]}",
      "unsupported anything-but pattern \"Prefix\": did you mean \"prefix\"?"),
  BAD("{'a': [{'anything-but': ^{}}]}",
      "anything-but expression name not found: expected prefix, suffix, equals-ignore-case or "
      "wildcard"),
  BAD("{'a': [{'anything-but': {'prefix': 'a', ^'suffix': 'b'}}]}",
      "only one key allowed in match expression"),

  /* numeric */
  BAD("{'a': [{'numeric': ^5}]}",
      "value of numeric must be an array: expected [\"op\", number] or [\">\", low, \"<\", high]"),
  BAD("{'a': [{'numeric': ^[]}]}",
      "empty arrays are not allowed: numeric needs an operator and a number, e.g. [\">\", 0]"),
  BAD("{'a': [{'numeric': [^5, '>']}]}", "invalid member in numeric match: " OPS),
  BAD("{'a': [{'numeric': [^'==', 5]}]}", "unrecognized numeric range operator \"==\": " OPS),
  BAD("{'a': [{'numeric': ['>', 0, ^'>', 0]}]}",
      "bad numeric range operator: \">\": expected \"<\" or \"<=\" after the lower bound"),
  BAD("{'a': [{'numeric': ['>', 0, ^'<']}]}", "value of < must be numeric"),
  BAD("{'a': [{'numeric': ['=', ^'5']}]}", "value of equals must be numeric"),
  BAD("{'a': [{'numeric': [^'>=']}]}", "value of >= must be numeric"),
  BAD("{'a': [{'numeric': ['<', 10, ^'>', 0]}]}",
      "too many elements in numeric expression: \"<\" takes one number (a range starts with its "
      "lower bound: [\">\", low, \"<\", high])"),
  BAD("{'a': [{'numeric': ['<', 10, ^5]}]}",
      "too many elements in numeric expression: \"<\" takes one number"),
  BAD("{'a': [{'numeric': ['>', 0, '<', 5, ^6]}]}",
      "too many terms in numeric range expression: expected [\">\", low, \"<\", high]"),
  BAD("{'a': [{'numeric': ^['>', 10, '<', 5]}]}", "bottom must be less than top: 10 is not less "
                                                  "than 5"),
  BAD("{'a': [{'numeric': ^['>=', 1.5, '<=', 1.5]}]}", "bottom must be less than top: 1.5 is not "
                                                       "less than 1.5"),
  BAD("{'a': [{'numeric': ['>', 0, ^5]}]}", "bad value in numeric range: expected \"<\" or \"<=\""),
  BAD("{'a': [{'numeric': ['>', 0, '<=', ^null]}]}", "value of <= must be numeric"),

  /* exists */
  BAD("{'a': [{'exists': ^'true'}]}", "exists match pattern must be either true or false"),
  BAD("{'a': [{'exists': ^1}]}", "exists match pattern must be either true or false"),

  /* cidr */
  BAD("{'a': [{'cidr': ^123}]}", "cidr match pattern must be a string"),
  BAD("{'a': [{'cidr': ^'10.0.0.0'}]}",
      "malformed CIDR, one '/' required: expected an address and a prefix length, e.g. "
      "\"10.0.0.0/24\""),
  BAD("{'a': [{'cidr': ^'10.0.0.0/8/8'}]}",
      "malformed CIDR, one '/' required: expected an address and a prefix length, e.g. "
      "\"10.0.0.0/24\""),
  BAD("{'a': [{'cidr': '10.0.0.0/^x4'}]}",
      "malformed CIDR, mask bits must be an integer, found \"x4\""),
  BAD("{'a': [{'cidr': '10.0.0.0^/'}]}",
      "malformed CIDR, mask bits must be an integer, found \"\""),
  BAD("{'a': [{'cidr': '10.0.0.0/^-1'}]}", "malformed CIDR, mask bits must not be negative"),
  BAD("{'a': [{'cidr': '^xx.11.xx/24'}]}",
      "nonstandard IP address: \"xx.11.xx\": expected an IPv4 or IPv6 address"),
  BAD("{'a': [{'cidr': '^::ffff:10.0.0.1/120'}]}",
      "nonstandard IP address: \"::ffff:10.0.0.1\": expected an IPv4 or IPv6 address"),
  BAD("{'a': [{'cidr': '^10.0.0.256/24'}]}",
      "invalid IP address: \"10.0.0.256\": expected four numbers 0-255 without leading zeros, "
      "e.g. 10.0.0.0"),
  BAD("{'a': [{'cidr': '^10.0.0.01/24'}]}",
      "invalid IP address: \"10.0.0.01\": expected four numbers 0-255 without leading zeros, "
      "e.g. 10.0.0.0"),
  BAD("{'a': [{'cidr': '10.0.0.1/^32'}]}", E_V4_MASK),
  BAD("{'a': [{'cidr': '2001:db8::/^128'}]}",
      "mask bits must be < 128 for an IPv6 address (to match one address, write it as a plain "
      "string)"),
  BAD("{'a': [{'cidr': '^1::2::3/64'}]}",
      "invalid IP address: \"1::2::3\": expected eight groups of 1-4 hex digits, or fewer around "
      "one \"::\""),
  BAD("{'a': [{'cidr': '^1:2:3:4:5:6:7:8:9/64'}]}",
      "invalid IP address: \"1:2:3:4:5:6:7:8:9\": expected eight groups of 1-4 hex digits, or "
      "fewer around one \"::\""),
  BAD("{'a': [{'cidr': '^12345::/64'}]}",
      "invalid IP address: \"12345::\": expected eight groups of 1-4 hex digits, or fewer around "
      "one \"::\""),

  /* $or */
  BAD("{'$or': ^{'a': ['x']}}", "\"$or\" must be an array of at least 2 objects"),
  BAD("{'$or': ^[{'a': ['x']}]}", "\"$or\" needs at least 2 objects, found 1"),
  BAD("{'$or': [{'a': ['x']}, ^['b']]}", "only JSON objects are allowed in the array of \"$or\""),
  BAD("{'$or': [{^'prefix': ['x']}, {'b': ['y']}]}", "prefix"),
  BAD("{'$or': [{'a': {^'numeric': [1]}}, {'b': ['y']}]}", "numeric"),
  BAD("{'$or': [{^'>=': [1]}, {'b': ['y']}]}", ">="),
  BAD("{'$or': [^{}, {'b': ['y']}]}", E_EMPTY_OBJECT),

  /* warnings */
  WARN("{'a': [{'numeric': ['>', ^6000000000]}]}",
       "6000000000 is outside -5e9 to 5e9, the range EventBridge documents for numeric matching"),
  WARN("{'a': [{'anything-but': ^-1e10}]}",
       "-1e10 is outside -5e9 to 5e9, the range EventBridge documents for numeric matching"),
  WARN("{'a': [{'numeric': ['=', ^0.1234567]}]}",
       "0.1234567 has more than 6 digits after the decimal point, the precision EventBridge "
       "documents for numeric matching"),
  WARN("{'a': [{'anything-but': 'x'}, ^{'anything-but': 'y'}]}",
       "two anything-but matches in one array are ORed, so together they exclude almost "
       "nothing: list the values in one {\"anything-but\": [...]}"),
};

/* Short codes in the table stand for messages with a number or a name in them. */
static const char *expand(const char *msg, char *out, size_t n) {
  if (strspn(msg, "0123456789") == strlen(msg)) snprintf(out, n, E_CONSECUTIVE, atoi(msg));
  else if (msg[0] == 'e' && strspn(msg + 1, "0123456789") == strlen(msg + 1))
    snprintf(out, n, E_ESCAPE, atoi(msg + 1));
  else if (!strcmp(msg, "prefix") || !strcmp(msg, "numeric") || !strcmp(msg, ">="))
    snprintf(out, n, E_OR_RESERVED, msg);
  else return msg;
  return out;
}

/* ------------------------------------------------------------ running */

static int passed, failed;

/* Parses TEXT (with ' for " and '^' as the marker) into a registered source. */
static struct value *parse(struct arena *arena, struct diag *d, const char *text, int *marker) {
  char *src = arena_strdup(arena, text);
  *marker = -1;
  size_t o = 0;
  for (size_t i = 0; text[i]; i++) {
    if (text[i] == '^') {
      *marker = (int)o;
      continue;
    }
    src[o++] = text[i] == '\'' ? '"' : text[i];
  }
  src[o] = 0;
  struct reader r = {arena, src, 0, diag_add_file(d, "<case>", src, o), false};
  struct value *v = read_value(&r);
  skip_space(&r);
  if (r.failed || r.pos != o) return NULL;
  return v;
}

static const struct diagnostic *first(const struct diag *d, enum severity sev, int *count) {
  const struct diagnostic *found = NULL;
  *count = 0;
  for (int i = 0; i < d->count; i++)
    if (d->list[i].severity == sev) {
      if (!found) found = &d->list[i];
      (*count)++;
    }
  return found;
}

static void run_case(const struct pattern_case *c) {
  struct arena arena = {0};
  struct diag d = {0};
  int marker;
  char expected[512];
  struct value *v = parse(&arena, &d, c->json, &marker);
  if (!v) {
    printf("FAIL %s: the test's JSON does not parse\n", c->json);
    failed++;
    goto done;
  }
  bool ok = pattern_check(&d, v);
  int errors, warnings;
  const struct diagnostic *e = first(&d, SEV_ERROR, &errors);
  const struct diagnostic *w = first(&d, SEV_WARNING, &warnings);
  const struct diagnostic *want = c->error ? e : w;
  const char *msg = c->error ? c->error : c->warning;
  if (msg) msg = expand(msg, expected, sizeof expected);
  bool good = ok == (c->errors == 0) && errors == c->errors;
  if (msg)
    good = good && want && !strcmp(want->message, msg) && want->loc.start == marker;
  else
    good = good && warnings == 0;
  if (good) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s\n  returned %s, %d errors, %d warnings", c->json, ok ? "true" : "false",
           errors, warnings);
    if (want) printf("; first at %d: %s", want->loc.start, want->message);
    else if (e) printf("; first error at %d: %s", e->loc.start, e->message);
    printf("\n  expected %d errors", c->errors);
    if (msg) printf("; first at %d: %s", marker, msg);
    printf("\n");
  }
done:
  diag_free(&d);
  arena_free(&arena);
}

static void check(bool good, const char *what) {
  if (good) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s\n", what);
  }
}

/* plain_value keeps keys in order and numbers as written kinds. */
static void run_json_case(const char *pattern, const char *expected) {
  struct arena arena = {0};
  struct diag d = {0};
  int marker;
  struct value *v = parse(&arena, &d, pattern, &marker);
  json_t *j = v ? jn_to_json(plain_value(&arena, v)) : NULL;
  char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) : NULL;
  bool good = text && !strcmp(text, expected);
  if (!good) printf("FAIL plain_value %s\n  got      %s\n  expected %s\n", pattern,
                    text ? text : "(null)", expected);
  good ? passed++ : failed++;
  json_t *a = j ? json_object_get(j, "b") : NULL;
  if (a) {
    check(json_is_integer(json_array_get(a, 1)) && json_is_real(json_array_get(a, 2)),
          "plain_value: integers stay integers, reals reals");
  }
  free(text);
  json_decref(j);
  diag_free(&d);
  arena_free(&arena);
}

/* The note that follows an operator written as a field. */
static void run_note_case(void) {
  struct arena arena = {0};
  struct diag d = {0};
  int marker;
  struct value *v = parse(&arena, &d, "{'detail': {'exists': ^true}}", &marker);
  pattern_check(&d, v);
  int notes;
  const struct diagnostic *n = first(&d, SEV_NOTE, &notes);
  check(notes == 1 && n->loc.start == marker &&
            !strcmp(n->message, "a match expression goes inside the field's array: \"field\": "
                                "[{\"exists\": ...}]"),
        "note after an operator written as a field");
  diag_free(&d);
  arena_free(&arena);
}

int main(void) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) run_case(&cases[i]);
  run_json_case("{'b': ['x', 1, 2.5, true, false, null], 'a': {'c': [{'numeric': ['>', 0]}]}}",
                "{\"b\":[\"x\",1,2.5,true,false,null],\"a\":{\"c\":[{\"numeric\":[\">\",0]}]}}");
  run_json_case("{'k\\u00e9y': ['caf\\u00e9', 'a\\\\*b']}",
                "{\"k\\u00E9y\":[\"caf\\u00E9\",\"a\\\\*b\"]}");
  run_note_case();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
