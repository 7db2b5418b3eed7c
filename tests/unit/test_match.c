/* test_match.c - table-driven unit test of the EventBridge pattern matcher
   (runtime/match.c).

   Each case is a pattern, an event and the answer: MATCH, NO (no match; when a text is
   given, the reason must start with it, so the failing field is checked too) or ERR (the
   pattern is refused; the message must start with the text). JSON is written with '
   for " to keep the table readable. The sections named are those of the reference,
   ../shared/reference/eventbridge-iam-terraform.md, section A; [rec] marks a case
   recorded against AWS (the LocalStack case name follows). Then the same grammar seen
   from compiler/patterns.c's checker (both use its walker), and mt_match3, the
   three-valued matching compiler/links.c uses. */
#include "sfc.h"
#include "match.h"
#include "json_value.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum expect { MATCH, NO, ERR };

struct match_case {
  const char *pattern, *event;
  enum expect expect;
  const char *text; /* NO: the start of the reason; ERR: the start of the message */
};

#define S3 "{'source': 'aws.s3', 'detail-type': 'Object Created', 'detail': {'bucket': " \
           "{'name': 'b1'}, 'object': {'key': 'in/a.txt', 'size': 5}}}"

static const struct match_case cases[] = {
  /* ---- A.2 core: AND across fields, OR within an array, unnamed fields ignored */
  {"{'source': ['aws.s3']}", S3, MATCH, NULL},
  {"{'source': ['aws.ec2', 'aws.s3']}", S3, MATCH, NULL},
  {"{'source': ['aws.s3'], 'detail-type': ['Object Deleted']}", S3, NO, "detail-type: "},
  {"{'detail': {'bucket': {'name': ['b1']}, 'object': {'key': [{'prefix': 'out/'}]}}}", S3, NO,
   "detail.object.key: \"in/a.txt\" does not match [{\"prefix\":\"out/\"}]"},
  {"{'detail': {'bucket': {'name': ['b1']}, 'object': {'key': [{'prefix': 'in/'}]}}}", S3, MATCH, NULL},
  {"{'detail': {'missing': ['x']}}", S3, NO, "detail.missing: missing"},
  /* key_case_sensitive_NEG [rec]; strings are case-sensitive */
  {"{'MY_KEY': ['v']}", "{'my_key': 'v'}", NO, "MY_KEY: missing"},
  {"{'k': ['Value']}", "{'k': 'value'}", NO, NULL},
  /* operator_multiple_list [rec]: mixed matchers in one array are ORed */
  {"{'k': [{'exists': true}, {'prefix': 'IGNORED'}]}", "{'k': 'v'}", MATCH, NULL},
  /* complex_multi_key [rec]: a duplicate key, the last one wins */
  {"{'detail': {'location': [{'prefix': 'us-'}], 'location': [{'anything-but': 'us-east'}]}}",
   "{'detail': {'location': 'eu-central-1'}}", MATCH, NULL},
  /* dot_joining_pattern, dot_joining_event [rec] */
  {"{'detail': {'state.status': ['running']}}", "{'detail': {'state': {'status': 'running'}}}", MATCH, NULL},
  {"{'detail': {'state': {'status': ['running']}}}", "{'detail': {'state.status': 'running'}}", MATCH, NULL},
  /* nested_json_NEG [rec]: JSON inside a string is not parsed */
  {"{'detail': {'my-key': ['v']}}", "{'detail': '{\\'my-key\\': \\'v\\'}'}", NO, NULL},
  /* boolean, boolean_NEG [rec] */
  {"{'b': [false]}", "{'b': false}", MATCH, NULL},
  {"{'b': [false]}", "{'b': true}", NO, NULL},
  {"{'b': [true]}", "{'b': 'true'}", NO, NULL},
  /* the pattern names an object, the event holds a string there */
  {"{'detail': {'a': ['x']}}", "{'detail': 'x'}", NO, "detail.a: missing"},

  /* ---- A.3 numbers, null, empty string */
  {"{'n': [300]}", "{'n': 300}", MATCH, NULL},
  {"{'n': [300]}", "{'n': 300.0}", MATCH, NULL},          /* number_comparison_float [rec] */
  {"{'n': [300]}", "{'n': 3.0e2}", MATCH, NULL},
  {"{'n': [5]}", "{'n': '5'}", NO, "n: \"5\" does not match [5]"}, /* numbers vs strings */
  {"{'n': ['5']}", "{'n': 5}", NO, NULL},
  {"{'n': [1.5]}", "{'n': 1.5}", MATCH, NULL},
  {"{'n': [-0.0]}", "{'n': 0}", MATCH, NULL},
  {"{'k': [null]}", "{'k': null}", MATCH, NULL},          /* null_value [rec] */
  {"{'k': [null]}", "{'k': 'null'}", NO, NULL},           /* null_value_NEG [rec] */
  {"{'k': [null]}", "{}", NO, "k: missing"},              /* null is not missing */
  {"{'k': [null]}", "{'k': ''}", NO, NULL},
  {"{'k': ['']}", "{'k': ''}", MATCH, NULL},              /* string_empty [rec] */
  {"{'k': ['']}", "{'k': null}", NO, NULL},
  {"{'resources': [null]}", "{'resources': []}", NO, NULL}, /* arrays_empty_null_NEG [rec] */
  {"{'k': ['\\u00e9 \\ud83d\\ude00 ']}", "{'k': '\\u00e9 \\ud83d\\ude00 '}", MATCH, NULL}, /* string [rec] */
  {"{'k': ['a ']}", "{'k': 'a'}", NO, NULL},              /* trailing spaces count */
  {"{'k': [0]}", "{'k': false}", NO, NULL},
  {"{'k': [false]}", "{'k': null}", NO, NULL},

  /* ---- A.4 arrays in events */
  {"{'resources': ['arn:b']}", "{'resources': ['arn:a', 'arn:b']}", MATCH, NULL}, /* arrays [rec] */
  {"{'resources': ['arn:c', 'arn:d']}", "{'resources': ['arn:a', 'arn:b']}", NO,
   "resources: none of its 2 values"},                   /* arrays_NEG [rec] */
  {"{'k': [{'prefix': 'b'}]}", "{'k': ['a', 'bc']}", MATCH, NULL},
  {"{'k': [{'numeric': ['>', 10]}]}", "{'k': [1, 2, 30]}", MATCH, NULL},
  {"{'k': [{'numeric': ['>', 10]}]}", "{'k': [[1, [30]]]}", MATCH, NULL}, /* nested arrays flatten */
  /* list_within_dict [rec]: arrays of objects are crushed */
  {"{'automations': {'id': [{'exists': true}]}}",
   "{'automations': [{'key1': 1}, {'id': 'x'}, {'key2': 2}]}", MATCH, NULL},
  {"{'a': {'id': ['x']}}", "{'a': [{'id': 'y'}, {'id': 'x'}]}", MATCH, NULL},
  {"{'resources': [{'exists': true}]}", "{'resources': []}", NO, NULL}, /* exists_list_empty_NEG [rec] */
  /* A.4 array consistency: fields from different elements of one array are combined
     here (event-ruler's rulesForEvent); AWS's mode is not recorded (README) */
  {"{'employees': {'firstName': ['Anna'], 'lastName': ['Jones']}}",
   "{'employees': [{'firstName': 'Anna', 'lastName': 'Smith'}, {'firstName': 'John', 'lastName': 'Jones'}]}",
   MATCH, NULL},
  /* A.3: a string that looks like an IP address is compared as text here (README) */
  {"{'ip': ['10.0.0.1']}", "{'ip': '10.0.0.1'}", MATCH, NULL},
  /* anything-but on an array value: any element not excluded (A.4, event-ruler) */
  {"{'k': [{'anything-but': 'a'}]}", "{'k': ['a', 'b']}", MATCH, NULL},
  {"{'k': [{'anything-but': 'a'}]}", "{'k': ['a', 'a']}", NO, NULL},

  /* ---- A.5 prefix, suffix, equals-ignore-case */
  {"{'k': [{'prefix': 'in/'}]}", "{'k': 'in/x'}", MATCH, NULL},
  {"{'k': [{'prefix': 'in/'}]}", "{'k': 'IN/x'}", NO, NULL},
  {"{'k': [{'prefix': '1'}]}", "{'k': 123}", NO, NULL},   /* strings only */
  {"{'k': [{'prefix': ''}]}", "{'k': 'anything'}", MATCH, NULL}, /* content_prefix_empty [rec] */
  {"{'k': [{'prefix': ''}]}", "{'k': ''}", MATCH, NULL},
  {"{'k': [{'prefix': ''}]}", "{'k': 1}", NO, NULL},
  {"{'k': [{'suffix': '.png'}]}", "{'k': 'image.png'}", MATCH, NULL},
  {"{'k': [{'suffix': '.PNG'}]}", "{'k': 'image.png'}", NO, NULL}, /* content_suffix_NEG [rec] */
  {"{'k': [{'suffix': ''}]}", "{'k': 'x'}", MATCH, NULL}, /* content_suffix_empty [rec] */
  {"{'k': [{'suffix': 'long-suffix'}]}", "{'k': 'fix'}", NO, NULL},
  {"{'k': [{'prefix': {'equals-ignore-case': 'EventB'}}]}", "{'k': 'EvEnTbridge'}", MATCH, NULL},
  {"{'k': [{'prefix': {'equals-ignore-case': 'EventB'}}]}", "{'k': 'Event'}", NO, NULL},
  {"{'k': [{'suffix': {'equals-ignore-case': '.png'}}]}", "{'k': 'image.PNG'}", MATCH, NULL},
  {"{'k': [{'equals-ignore-case': 'AbC'}]}", "{'k': 'aBc'}", MATCH, NULL},
  {"{'k': [{'equals-ignore-case': 'AbC'}]}", "{'k': 'aBcd'}", NO, NULL},
  {"{'k': [{'equals-ignore-case': ''}]}", "{'k': ''}", MATCH, NULL},  /* content_ignorecase_empty [rec] */
  {"{'k': [{'equals-ignore-case': ''}]}", "{'k': 'a'}", NO, NULL},    /* ..._empty_NEG [rec] */
  {"{'k': [{'equals-ignore-case': '1'}]}", "{'k': 1}", NO, NULL},
  {"{'k': [{'prefix': 123}]}", "{}", ERR, "k: prefix match pattern must be a string"},
  {"{'k': [{'prefix': ['x']}]}", "{}", ERR, "k: prefix match pattern must be a string"},
  {"{'k': [{'suffix': null}]}", "{}", ERR, "k: suffix match pattern must be a string"},
  {"{'k': [{'prefix': {'exists': true}}]}", "{}", ERR,
   "k: prefix match pattern must be a string or {\"equals-ignore-case\": string}"},
  {"{'k': [{'prefix': {'equals-ignore-case': 1}}]}", "{}", ERR,
   "k: equals-ignore-case match pattern must be a string"},
  {"{'k': [{'equals-ignore-case': ['x']}]}", "{}", ERR,
   "k: equals-ignore-case match pattern must be a string"},
  {"{'k': [{'equals-ignore-case': {'prefix': 'x'}}]}", "{}", ERR,
   "k: equals-ignore-case match pattern must be a string"},

  /* ---- A.6 wildcard */
  {"{'k': [{'wildcard': 'arn:*:bucket/*.png'}]}", "{'k': 'arn:aws:bucket/a/b.png'}", MATCH, NULL},
  {"{'k': [{'wildcard': 'arn:*:bucket/*.png'}]}", "{'k': 'arn:aws:bucket/a/b.jpg'}", NO, NULL},
  {"{'k': [{'wildcard': '*'}]}", "{'k': ''}", MATCH, NULL},
  {"{'k': [{'wildcard': 'a*'}]}", "{'k': 'a'}", MATCH, NULL},
  {"{'k': [{'wildcard': '*a'}]}", "{'k': 'ba'}", MATCH, NULL},
  {"{'k': [{'wildcard': 'a*a'}]}", "{'k': 'a'}", NO, NULL},   /* prefix and suffix may not overlap */
  {"{'k': [{'wildcard': 'a*a'}]}", "{'k': 'aa'}", MATCH, NULL},
  {"{'k': [{'wildcard': '*ab*ab*'}]}", "{'k': 'xabyab'}", MATCH, NULL},
  {"{'k': [{'wildcard': '*ab*ab*'}]}", "{'k': 'xaba'}", NO, NULL},
  {"{'k': [{'wildcard': 'abc'}]}", "{'k': 'abc'}", MATCH, NULL}, /* no star: exact */
  {"{'k': [{'wildcard': 'abc'}]}", "{'k': 'abcd'}", NO, NULL},
  {"{'k': [{'wildcard': ''}]}", "{'k': ''}", MATCH, NULL},
  {"{'k': [{'wildcard': ''}]}", "{'k': 'x'}", NO, NULL},       /* content_wildcard_empty_NEG [rec] */
  {"{'k': [{'wildcard': '*'}]}", "{'k': 5}", NO, NULL},        /* strings only */
  {"{'k': [{'wildcard': 'a\\\\*b'}]}", "{'k': 'a*b'}", MATCH, NULL}, /* \* is a literal star */
  {"{'k': [{'wildcard': 'a\\\\*b'}]}", "{'k': 'axb'}", NO, NULL},
  {"{'k': [{'wildcard': 'a\\\\\\\\*'}]}", "{'k': 'a\\\\zz'}", MATCH, NULL}, /* \\ then a star */
  {"{'k': [{'wildcard': 'arn:aws:events:us-east-1:**:x'}]}", "{}", ERR,
   "k: consecutive wildcard characters at pos 26"},         /* content_wildcard_repeating_star_EXC [rec] */
  {"{'k': [{'wildcard': 'a\\\\b'}]}", "{}", ERR, "k: invalid escape character at pos 2"},
  {"{'k': [{'wildcard': 5}]}", "{}", ERR, "k: wildcard match pattern must be a string"}, /* content_wildcard_int_EXC */
  {"{'k': [{'wildcard': ['*']}]}", "{}", ERR, "k: wildcard match pattern must be a string"},
  /* The complexity limit: the most prefixes of a field's wildcards that match one value
     at once ("aaaa" matches 9 of "*a*a*a*a*": "*", "*a", ..., "*a*a*a*a*"). AWS refuses
     10 (content_wildcard_complex_EXC [rec]) and accepts 7 (content_wildcard_repeating). */
#define TOO_COMPLEX "k: rule is too complex - try using fewer wildcard characters or fewer " \
                    "repeating character sequences after a wildcard character: 10 of "
  {"{'k': [{'wildcard': '*a*a*a*a*'}]}", "{'k': 'xaaaa'}", MATCH, NULL},
  {"{'k': [{'wildcard': '*a*a*a*a*a'}]}", "{}", ERR, TOO_COMPLEX "the wildcard's prefixes"},
  {"{'k': [{'wildcard': '*:*:*:*:*:event-bus/*'}]}", "{}", ERR, TOO_COMPLEX "the wildcard's"},
  {"{'k': [{'wildcard': 'arn:aws:events:us-east-1:*:event-bus/*'}]}",
   "{'k': 'arn:aws:events:us-east-1:123456789012:event-bus/b'}", MATCH, NULL}, /* content_wildcard_simplified [rec] */
  {"{'k': [{'wildcard': '/Users/*/dir/dir/dir/dir/dir/doc.txt'}]}",
   "{'k': '/Users/u/dir/dir/dir/dir/dir/doc.txt'}", MATCH, NULL}, /* content_wildcard_repeating [rec] */
  /* one field's wildcards are fed the same value: 5 + 6 at "aaa"; equal ones count once */
  {"{'k': [{'wildcard': '*a*a*'}, {'wildcard': '*a*a*a'}]}", "{}", ERR,
   TOO_COMPLEX "this field's wildcards' prefixes"},
  {"{'k': [{'wildcard': '*a*a*'}], 'j': [{'wildcard': '*a*a*a'}]}", "{'k': 'aa', 'j': 'aaa'}", MATCH, NULL},
  {"{'k': [{'wildcard': '*a*a*a*a*'}, {'wildcard': '*a*a*a*a*'}]}", "{'k': 'aaaa'}", MATCH, NULL},
  /* event-ruler counts only wildcard matches, not anything-but ones */
  {"{'k': [{'anything-but': {'wildcard': '*a*a*a*a*a'}}]}", "{'k': 'b'}", MATCH, NULL},
  {"{'k': [{'wildcard': '*a\\\\*a*a*a*a'}]}", "{'k': 'a*aaaa'}", MATCH, NULL}, /* an escaped star is a byte */

  /* ---- A.7 anything-but */
  {"{'state': [{'anything-but': 'initializing'}]}", "{'state': 'running'}", MATCH, NULL},
  {"{'state': [{'anything-but': 'initializing'}]}", "{'state': 'initializing'}", NO,
   "state: \"initializing\" does not match"},
  {"{'state': [{'anything-but': 'initializing'}]}", "{}", NO, "state: missing"}, /* *_missing_NEG [rec] */
  {"{'state': [{'anything-but': 'initializing'}]}", "{'state': null}", MATCH, NULL}, /* *_null [rec] */
  {"{'state': [{'anything-but': ['stopped', 'overloaded']}]}", "{'state': 'stopped'}", NO, NULL},
  {"{'state': [{'anything-but': ['stopped', 'overloaded']}]}", "{'state': 'running'}", MATCH, NULL},
  {"{'n': [{'anything-but': 0}]}", "{'n': 0}", NO, NULL},   /* content_anything_but_number_zero [rec] */
  {"{'n': [{'anything-but': 0}]}", "{'n': 1}", MATCH, NULL},
  {"{'n': [{'anything-but': [1, 2]}]}", "{'n': 2.0}", NO, NULL},
  {"{'n': [{'anything-but': [1, 2]}]}", "{'n': '2'}", MATCH, NULL}, /* a string is not excluded by numbers */
  {"{'n': [{'anything-but': '5'}]}", "{'n': 5}", MATCH, NULL},
  {"{'s': [{'anything-but': {'prefix': 'init'}}]}", "{'s': 'initializing'}", NO, NULL},
  {"{'s': [{'anything-but': {'prefix': 'init'}}]}", "{'s': 'running'}", MATCH, NULL},
  {"{'s': [{'anything-but': {'prefix': 'init'}}]}", "{'s': 12}", MATCH, NULL}, /* content_anything_prefix_int_value [rec] */
  {"{'s': [{'anything-but': {'prefix': 'init'}}]}", "{'s': null}", MATCH, NULL},
  {"{'s': [{'anything-but': {'prefix': 'init'}}]}", "{}", NO, NULL},
  {"{'s': [{'anything-but': {'prefix': ['a', 'b']}}]}", "{'s': 'bx'}", NO, NULL},
  {"{'s': [{'anything-but': {'prefix': ['a', 'b']}}]}", "{'s': 'cx'}", MATCH, NULL},
  {"{'s': [{'anything-but': {'suffix': '.txt'}}]}", "{'s': 'a.txt'}", NO, NULL},
  {"{'s': [{'anything-but': {'suffix': '.txt'}}]}", "{'s': 'a.png'}", MATCH, NULL},
  {"{'s': [{'anything-but': {'equals-ignore-case': ['Stopped', 'X']}}]}", "{'s': 'STOPPED'}", NO, NULL},
  {"{'s': [{'anything-but': {'equals-ignore-case': 'Stopped'}}]}", "{'s': 'running'}", MATCH, NULL},
  {"{'s': [{'anything-but': {'wildcard': '*/dir/*'}}]}", "{'s': 'a/dir/b'}", NO, NULL},
  {"{'s': [{'anything-but': {'wildcard': '*/dir/*'}}]}", "{'s': 'a/b'}", MATCH, NULL},
  {"{'s': [{'anything-but': {'wildcard': '*/dir/*'}}]}", "{'s': 123}", MATCH, NULL}, /* content_anything_wildcard_int [rec] */
  {"{'s': [{'anything-but': {'wildcard': ''}}]}", "{'s': 'x'}", MATCH, NULL}, /* content_anything_wildcard_empty [rec] */
  {"{'s': [{'anything-but': null}]}", "{}", ERR,
   "s: value of anything-but must be an array or single string/number value"},
  {"{'s': [{'anything-but': true}]}", "{}", ERR,
   "s: value of anything-but must be an array or single string/number value"},
  {"{'s': [{'anything-but': ['stopped', null]}]}", "{}", ERR,
   "s: inside anything but list, start|null|boolean is not supported"},
  {"{'s': [{'anything-but': ['a', 1]}]}", "{}", ERR,
   "s: inside anything but list, either all values are number or string, mixed type is not supported"},
  {"{'s': [{'anything-but': []}]}", "{}", ERR, "s: empty arrays are not allowed"},
  {"{'s': [{'anything-but': {'equals-ignore-case': 123}}]}", "{}", ERR,
   "s: inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported"},
  {"{'s': [{'anything-but': {'equals-ignore-case': [123, 456]}}]}", "{}", ERR,
   "s: inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported"},
  {"{'s': [{'anything-but': {'prefix': ''}}]}", "{}", ERR, "s: null prefix/suffix not allowed"},
  {"{'s': [{'anything-but': {'suffix': ''}}]}", "{}", ERR, "s: null prefix/suffix not allowed"},
  {"{'s': [{'anything-but': {'prefix': 123}}]}", "{}", ERR, "s: prefix/suffix match pattern must be a string"},
  {"{'s': [{'anything-but': {'prefix': [123, 'x']}}]}", "{}", ERR, "s: prefix/suffix match pattern must be a string"},
  {"{'s': [{'anything-but': {'suffix': [null, '.txt']}}]}", "{}", ERR, "s: prefix/suffix match pattern must be a string"},
  {"{'s': [{'anything-but': {'wildcard': 123}}]}", "{}", ERR, "s: wildcard match pattern must be a string"},
  {"{'s': [{'anything-but': {'wildcard': [123, 'x']}}]}", "{}", ERR, "s: wildcard match pattern must be a string"},
  {"{'s': [{'anything-but': {'wildcard': 'a**'}}]}", "{}", ERR, "s: consecutive wildcard characters at pos 2"},
  {"{'s': [{'anything-but': {'prefix': {'equals-ignore-case': 'x'}}}]}", "{}", ERR,
   "s: value of anything-but must be an array or single string/number value"},
  {"{'s': [{'anything-but': {'numeric': ['>', 1]}}]}", "{}", ERR, "s: unsupported anything-but pattern \"numeric\""},
  {"{'s': [{'anything-but': {'prefix': 'a', 'suffix': 'b'}}]}", "{}", ERR, "s: only one key allowed in match expression"},
  {"{'s': [{'anything-but': {}}]}", "{}", ERR, "s: anything-but expression name not found"},

  /* ---- A.8 numeric */
  {"{'n': [{'numeric': ['>', 100]}]}", "{'n': 101.0}", MATCH, NULL}, /* numeric-int-float [rec] */
  {"{'n': [{'numeric': ['>', 100]}]}", "{'n': 100}", NO, NULL},
  {"{'n': [{'numeric': ['>=', 100]}]}", "{'n': 100}", MATCH, NULL},
  {"{'n': [{'numeric': ['<', 100]}]}", "{'n': 100}", NO, NULL},
  {"{'n': [{'numeric': ['<=', 100]}]}", "{'n': 100}", MATCH, NULL},
  {"{'n': [{'numeric': ['<', 0]}]}", "{'n': -0.5}", MATCH, NULL},
  {"{'n': [{'numeric': ['=', 3]}]}", "{'n': 3.0}", MATCH, NULL},
  {"{'n': [{'numeric': ['=', 3]}]}", "{'n': 3.000001}", NO, NULL},
  {"{'n': [{'numeric': ['=', 0.000001]}]}", "{'n': 1e-6}", MATCH, NULL}, /* six decimals */
  {"{'n': [{'numeric': ['>', 0, '<=', 5]}]}", "{'n': 5}", MATCH, NULL},
  {"{'n': [{'numeric': ['>', 0, '<=', 5]}]}", "{'n': 0}", NO, NULL},
  {"{'n': [{'numeric': ['>=', 0, '<', 5]}]}", "{'n': 0}", MATCH, NULL},
  {"{'n': [{'numeric': ['>=', 0, '<', 5]}]}", "{'n': 5}", NO, NULL},
  {"{'n': [{'numeric': ['>=', -5e9, '<=', 5e9]}]}", "{'n': 5000000000}", MATCH, NULL}, /* the documented range */
  {"{'n': [{'numeric': ['>', 100]}]}", "{'n': '300'}", NO, NULL}, /* numeric-string_NEG [rec] */
  {"{'n': [{'numeric': ['>', 100]}]}", "{'n': null}", NO, NULL},  /* numeric-null_NEG [rec] */
  {"{'n': [{'numeric': ['>', 100]}]}", "{}", NO, "n: missing"},
  {"{'n': [{'numeric': ['>', 100]}]}", "{'n': true}", NO, NULL},
  {"{'n': [{'numeric': '>'}]}", "{}", ERR, "n: value of numeric must be an array"},
  {"{'n': [{'numeric': []}]}", "{}", ERR, "n: empty arrays are not allowed"},
  {"{'n': [{'numeric': ['>', 0, '>', 0]}]}", "{}", ERR, "n: bad numeric range operator: \">\""},
  {"{'n': [{'numeric': ['>', 0, '<']}]}", "{}", ERR, "n: value of < must be numeric"},
  {"{'n': [{'numeric': ['>', '5']}]}", "{}", ERR, "n: value of > must be numeric"},
  {"{'n': [{'numeric': ['=']}]}", "{}", ERR, "n: value of equals must be numeric"},
  {"{'n': [{'numeric': ['!=', 5]}]}", "{}", ERR, "n: unrecognized numeric range operator \"!=\""},
  {"{'n': [{'numeric': [5, '>']}]}", "{}", ERR, "n: invalid member in numeric match"},
  {"{'n': [{'numeric': ['=', 5, '<', 6]}]}", "{}", ERR, "n: too many elements in numeric expression"},
  {"{'n': [{'numeric': ['<', 9, '>', 1]}]}", "{}", ERR, "n: too many elements in numeric expression: \"<\" takes one number (a range"},
  {"{'n': [{'numeric': ['>', 0, '<', 5, 6]}]}", "{}", ERR, "n: too many terms in numeric range expression"},
  {"{'n': [{'numeric': ['>', 0, 5, 6]}]}", "{}", ERR, "n: bad value in numeric range"},
  {"{'n': [{'numeric': ['>', 5, '<', 5]}]}", "{}", ERR, "n: bottom must be less than top: 5 is not less than 5"},

  /* ---- A.9 exists */
  {"{'k': [{'exists': true}]}", "{'k': 'v'}", MATCH, NULL},
  {"{'k': [{'exists': true}]}", "{'k': null}", MATCH, NULL},  /* null is a value (event-ruler) */
  {"{'k': [{'exists': true}]}", "{}", NO, "k: missing, which does not match [{\"exists\":true}]"},
  {"{'k': [{'exists': true}]}", "{'k': {'a': 1}}", NO,
   "k: an object, not a value, which does not match"},     /* exists_dynamodb_NEG [rec]: not a leaf */
  {"{'k': ['x']}", "{'k': {'a': 'x'}, 'kk': 'x'}", NO, "k: an object, not a value"},
  {"{'k': ['x']}", "{'k.a': 'x', 'kk': 'x'}", NO, "k: an object, not a value"},
  {"{'k': ['x']}", "{'kk': 'x'}", NO, "k: missing"},
  {"{'k': [{'exists': true}]}", "{'k': {}}", NO, NULL},
  {"{'k': [{'exists': true}]}", "{'k': []}", NO, NULL},       /* exists_list_empty_NEG [rec] */
  {"{'k': [{'exists': true}]}", "{'k': ['']}", MATCH, NULL},
  {"{'k': [{'exists': false}]}", "{}", MATCH, NULL},
  {"{'k': [{'exists': false}]}", "{'k': 'v'}", NO, "k: \"v\" does not match [{\"exists\":false}]"},
  {"{'k': [{'exists': false}]}", "{'k': null}", NO, NULL},
  {"{'k': [{'exists': false}]}", "{'k': []}", MATCH, NULL},   /* an empty array has no leaf */
  {"{'a': {'b': [{'exists': false}]}}", "{'c': 1}", MATCH, NULL}, /* content_exists_false [rec]: parent missing */
  {"{'c-count': [{'exists': false}]}", "{'c-count': {'c1': 100}}", MATCH, NULL}, /* doc: an object is not a leaf */
  {"{'k': [{'anything-but': ['roses']}, {'exists': false}]}", "{}", MATCH, NULL}, /* or-exists [rec] */
  {"{'k': [{'anything-but': ['roses']}, {'exists': false}]}", "{'k': 'tulips'}", MATCH, NULL},
  {"{'k': [{'anything-but': ['roses']}, {'exists': false}]}", "{'k': 'roses'}", NO, NULL},
  {"{'k': [{'exists': 'true'}]}", "{}", ERR, "k: exists match pattern must be either true or false"},
  {"{'k': [{'exists': null}]}", "{}", ERR, "k: exists match pattern must be either true or false"},

  /* ---- A.10 cidr */
  {"{'ip': [{'cidr': '10.0.0.0/24'}]}", "{'ip': '10.0.0.255'}", MATCH, NULL}, /* content_ip_address [rec] */
  {"{'ip': [{'cidr': '10.0.0.0/24'}]}", "{'ip': '10.0.1.0'}", NO, NULL},
  {"{'ip': [{'cidr': '10.0.0.0/24'}]}", "{'ip': '10.0.0.256'}", NO, NULL},   /* *_NEG [rec] */
  {"{'ip': [{'cidr': '10.0.0.0/24'}]}", "{'ip': 123}", NO, NULL},            /* content_ip_address_bad_type_NEG [rec] */
  {"{'ip': [{'cidr': '10.0.0.0/0'}]}", "{'ip': '192.168.1.1'}", MATCH, NULL},
  {"{'ip': [{'cidr': '10.0.0.0/9'}]}", "{'ip': '10.127.0.1'}", MATCH, NULL}, /* a mask inside a byte */
  {"{'ip': [{'cidr': '10.0.0.0/9'}]}", "{'ip': '10.128.0.1'}", NO, NULL},
  {"{'ip': [{'cidr': '2001:db8:1234:1a00::/64'}]}",
   "{'ip': '2001:0db8:1234:1a00:0000:0000:0000:0000'}", MATCH, NULL},        /* content_ip_address_v6 [rec] */
  {"{'ip': [{'cidr': '2001:db8:1234:1a00::/64'}]}", "{'ip': '2001:db8:1234:1a01::1'}", NO, NULL},
  {"{'ip': [{'cidr': '2001:db8::/32'}]}", "{'ip': '10.0.0.1'}", NO, NULL},   /* families do not mix */
  {"{'ip': [{'cidr': '10.0.0.0/8'}]}", "{'ip': '::ffff:10.0.0.1'}", NO, NULL},
  {"{'ip': [{'cidr': '10.0.0.0'}]}", "{}", ERR, "ip: malformed CIDR, one '/' required"},
  {"{'ip': [{'cidr': '10.0.0.0/8/8'}]}", "{}", ERR, "ip: malformed CIDR, one '/' required"},
  {"{'ip': [{'cidr': '10.0.0.0/x'}]}", "{}", ERR, "ip: malformed CIDR, mask bits must be an integer"},
  {"{'ip': [{'cidr': '10.0.0.0/-1'}]}", "{}", ERR, "ip: malformed CIDR, mask bits must not be negative"},
  {"{'ip': [{'cidr': 'xx.11.xx/8'}]}", "{}", ERR, "ip: nonstandard IP address: \"xx.11.xx\""},
  {"{'ip': [{'cidr': '10.0.0.256/8'}]}", "{}", ERR, "ip: invalid IP address: \"10.0.0.256\""},
  {"{'ip': [{'cidr': '10.0.0.0/32'}]}", "{}", ERR, "ip: mask bits must be < 32 for an IPv4 address"},
  {"{'ip': [{'cidr': '::/128'}]}", "{}", ERR, "ip: mask bits must be < 128 for an IPv6 address"},
  /* AWS says "prefix match pattern must be a string" here (A.10); patterns.c names cidr */
  {"{'ip': [{'cidr': 10}]}", "{}", ERR, "ip: cidr match pattern must be a string"},

  /* ---- A.11 $or */
  {"{'detail': {'$or': [{'c-count': [{'numeric': ['>', 0]}]}, {'d-count': [{'numeric': ['<', 10]}]},"
   " {'x-limit': [{'anything-but': [100]}]}]}}", "{'detail': {'x-limit': 5}}", MATCH, NULL}, /* complex_or [rec] */
  {"{'detail': {'$or': [{'c-count': [{'numeric': ['>', 0]}]}, {'d-count': [{'numeric': ['<', 10]}]},"
   " {'x-limit': [{'anything-but': [100]}]}]}}", "{'detail': {'x-limit': 100, 'c-count': 0}}", NO,
   "detail.$or: none of its 3 branches matches (the first: detail.c-count: 0 does not match"}, /* complex_or_NEG [rec] */
  {"{'source': ['a'], '$or': [{'k': ['1']}, {'j': ['2']}]}", "{'source': 'a', 'j': '2'}", MATCH, NULL},
  {"{'source': ['a'], '$or': [{'k': ['1']}, {'j': ['2']}]}", "{'source': 'b', 'j': '2'}", NO, "source: "},
  /* nested $or, and two sibling groups (the cartesian product) */
  {"{'$or': [{'a': ['1']}, {'$or': [{'b': ['2']}, {'c': ['3']}]}]}", "{'c': '3'}", MATCH, NULL},
  {"{'$or': [{'a': ['1']}, {'$or': [{'b': ['2']}, {'c': ['3']}]}]}", "{'c': '4'}", NO, "$or: none"},
  {"{'x': {'$or': [{'a': ['1']}, {'b': ['2']}]}, 'y': {'$or': [{'a': ['1']}, {'b': ['2']}]}}",
   "{'x': {'b': '2'}, 'y': {'a': '1'}}", MATCH, NULL},
  {"{'x': {'$or': [{'a': ['1']}, {'b': ['2']}]}, 'y': {'$or': [{'a': ['1']}, {'b': ['2']}]}}",
   "{'x': {'b': '2'}, 'y': {'a': '2'}}", NO, "y.$or: "},
  {"{'$or': [{'a': ['1']}, {'a': [{'exists': false}]}]}", "{}", MATCH, NULL},
  {"{'$or': [{'a': ['1']}]}", "{}", ERR, "$or: \"$or\" needs at least 2 objects, found 1"},
  {"{'$or': []}", "{}", ERR, "$or: \"$or\" needs at least 2 objects, found 0"},
  {"{'$or': {'a': ['1']}}", "{}", ERR, "$or: \"$or\" must be an array of at least 2 objects"},
  {"{'d': {'$or': [{'a': ['1']}, ['b']]}}", "{}", ERR, "d.$or: only JSON objects are allowed in the array of \"$or\""},
  {"{'$or': [{'a': ['1']}, {}]}", "{}", ERR, "empty objects are not allowed"},
  /* event-ruler refuses operator names as fields inside $or (patterns.c says why) */
  {"{'$or': [{'numeric': ['1']}, {'b': ['2']}]}", "{}", ERR,
   "\"numeric\" is a reserved name that cannot be used as a field inside $or"},
  {"{'$or': [{'a': {'regex': ['1']}}, {'b': ['2']}]}", "{}", ERR,
   "a: \"regex\" is a reserved name that cannot be used as a field inside $or"},
  {"{'numeric': ['1']}", "{'numeric': '1'}", MATCH, NULL}, /* outside $or it is a field */

  /* ---- A.1 grammar */
  {"['source']", "{}", ERR, "an event pattern must be an object of fields"},
  {"{}", "{}", ERR, "empty objects are not allowed: expected at least one field"},
  {"{'detail': {}}", "{}", ERR, "detail: empty objects are not allowed"},
  {"{'source': []}", "{}", ERR, "source: empty arrays are not allowed"},
  {"{'string': 'my-value'}", "{}", ERR, "\"string\" must be an object or an array"}, /* string_nolist_EXC [rec] */
  {"{'d': {'int': 42}}", "{}", ERR, "d: \"int\" must be an object or an array"},    /* int_nolist_EXC [rec] */
  {"{'k': [['a']]}", "{}", ERR, "k: match value must be a string, number, true, false, null or a match expression, not an array"},
  {"{'k': [{'NUMERIC': ['>', 1]}]}", "{}", ERR, "k: unrecognized match type \"NUMERIC\": did you mean \"numeric\"?"}, /* content_numeric_operatorcasing_EXC [rec] */
  {"{'k': [{'EXISTS': true}]}", "{}", ERR, "k: unrecognized match type \"EXISTS\": did you mean \"exists\"?"},        /* operator_case_sensitive_EXC [rec] */
  {"{'k': [{'exactly': 'x'}]}", "{}", ERR, "k: unrecognized match type \"exactly\": EventBridge does not document it"},
  {"{'k': [{'regex': 'x'}]}", "{}", ERR, "k: unrecognized match type \"regex\": it is reserved for future use"},
  {"{'k': [{'prefix': 'a', 'suffix': 'b'}]}", "{}", ERR, "k: only one key allowed in match expression"},
  {"{'k': [{}]}", "{}", ERR, "k: match expression name not found"},
  {"{'k': [{'frobnicate': 1}]}", "{}", ERR, "k: unrecognized match type \"frobnicate\": expected one of"},
  {"{'k': [{'anything-but': {'prefx': 'a'}}]}", "{}", ERR,
   "k: unsupported anything-but pattern \"prefx\": did you mean \"prefix\"?"},
};

/* The pattern and event of a case: ' becomes " (the texts hold no other quote). */
static json_t *load(const char *text, char **error) {
  char *s = xstrdup(text);
  for (char *p = s; *p; p++)
    if (*p == '\'') *p = '"';
  json_error_t e;
  json_t *v = json_loads(s, JSON_DECODE_ANY, &e);
  if (!v) *error = xstrdup(e.text);
  free(s);
  return v;
}

static bool starts(const char *s, const char *prefix) {
  return s && !strncmp(s, prefix, strlen(prefix));
}

static int passed, failed;

static void run_case(const struct match_case *c) {
  static const char *const names[] = {"match", "no match", "error"};
  char *error = NULL, *why = NULL;
  json_t *pattern = load(c->pattern, &error), *event = pattern ? load(c->event, &error) : NULL;
  if (!pattern || !event) {
    printf("FAIL %s / %s: the test's JSON does not parse: %s\n", c->pattern, c->event, error);
    failed++;
    free(error);
    json_decref(pattern);
    return;
  }
  struct mt_pattern *p = mt_compile(pattern, &error);
  enum expect got = !p ? ERR : mt_match(p, event, &why) ? MATCH : NO;
  const char *text = got == ERR ? error : why;
  bool good = got == c->expect && (!c->text || starts(text, c->text));
  if (good) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s / %s\n  got %s%s%s\n  expected %s%s%s\n", c->pattern, c->event, names[got],
           text ? ": " : "", text ? text : "", names[c->expect], c->text ? ": " : "",
           c->text ? c->text : "");
  }
  free(error);
  free(why);
  mt_free(p);
  json_decref(pattern);
  json_decref(event);
}

/* ------------------------------------------------------------ the checker agrees */

/* One grammar: compiler/patterns.c accepts what the matcher accepts, and refuses what
   it refuses with the same first message (the matcher's has the field's path before
   it). Duplicate keys are not compared: Jansson keeps the last, as AWS does, while the
   checker reports them. */
static void run_checker_case(const struct match_case *c) {
  char *error = NULL;
  json_t *pattern = load(c->pattern, &error);
  if (!pattern) {
    free(error);
    return; /* reported by run_case */
  }
  struct mt_pattern *p = mt_compile(pattern, &error);
  struct arena arena = {0};
  struct diag d = {0};
  bool ok = pattern_check(&d, json_to_value(&arena, pattern));
  const char *first = NULL;
  for (int i = 0; i < d.count && !first; i++)
    if (d.list[i].severity == SEV_ERROR) first = d.list[i].message;
  /* the matcher's message less its "path: " */
  const char *mine = error;
  if (mine && first && strcmp(mine, first)) {
    const char *colon = strstr(mine, ": ");
    if (colon && !strcmp(colon + 2, first)) mine = first;
  }
  bool good = ok == (p != NULL) && (ok || (first && mine && !strcmp(mine, first)));
  if (good) {
    passed++;
  } else {
    failed++;
    printf("FAIL checker and matcher differ on %s\n  checker: %s\n  matcher: %s\n", c->pattern,
           ok ? "valid" : first ? first : "invalid", p ? "valid" : error);
  }
  free(error);
  mt_free(p);
  diag_free(&d);
  arena_free(&arena);
  json_decref(pattern);
}

/* A wildcard that would blow up a backtracking matcher: as many stars as AWS allows
   against a long subject that almost matches. It must finish at once (no timer: ASan
   runs slowly, but time to the power of the stars would never finish). */
static void run_wildcard_cost(void) {
  struct buf pat = {0}, subject = {0};
  buf_adds(&pat, "{\"k\": [{\"wildcard\": \"");
  for (int i = 0; i < 4; i++) buf_adds(&pat, "*a");
  buf_adds(&pat, "*b\"}]}");
  buf_adds(&subject, "{\"k\": \"");
  for (int i = 0; i < 5000; i++) buf_addc(&subject, 'a');
  buf_adds(&subject, "\"}");
  char *error = NULL;
  json_t *pattern = json_loads(pat.data, 0, NULL), *event = json_loads(subject.data, 0, NULL);
  struct mt_pattern *p = mt_compile(pattern, &error);
  bool good = p && !mt_match(p, event, NULL);
  good ? passed++ : failed++;
  if (!good) printf("FAIL wildcard cost case: %s\n", error ? error : "matched");
  free(error);
  mt_free(p);
  json_decref(pattern);
  json_decref(event);
  buf_free(&pat);
  buf_free(&subject);
}

/* A long anything-but list (as long as 4096 characters allow): every value is
   excluded, and the one after them is not. */
static void run_long_list(void) {
  struct buf pat = {0};
  buf_adds(&pat, "{\"k\": [{\"anything-but\": [");
  for (int i = 0; i < 1000; i++) buf_printf(&pat, "%s%d", i ? "," : "", i);
  buf_adds(&pat, "]}]}");
  char *error = NULL;
  json_t *pattern = json_loads(pat.data, 0, NULL);
  json_t *excluded = json_pack("{s:i}", "k", 999), *kept = json_pack("{s:i}", "k", 1000);
  struct mt_pattern *p = mt_compile(pattern, &error);
  bool good = p && !mt_match(p, excluded, NULL) && mt_match(p, kept, NULL);
  good ? passed++ : failed++;
  if (!good) printf("FAIL long anything-but list: %s\n", error ? error : "wrong answer");
  free(error);
  mt_free(p);
  json_decref(pattern);
  json_decref(excluded);
  json_decref(kept);
  buf_free(&pat);
}

/* ------------------------------------------------------------ three-valued matching */

/* mt_match3 on an event where the string "<?>" stands for a value known only at run
   time (compiler/links.c's emits). */
struct match3_case {
  const char *pattern, *event;
  enum mt_verdict expect;
};

static const struct match3_case cases3[] = {
  {"{'k': ['x']}", "{'k': 'x'}", MT_YES},
  {"{'k': ['x']}", "{'k': 'y'}", MT_NO},
  {"{'k': ['x']}", "{'k': '<?>'}", MT_MAYBE},
  {"{'k': [{'prefix': 'x'}]}", "{'k': '<?>'}", MT_MAYBE},
  {"{'k': [{'numeric': ['>', 1]}]}", "{'k': '<?>'}", MT_MAYBE},
  {"{'d': {'k': ['x']}}", "{'d': '<?>'}", MT_MAYBE},                /* under an unknown */
  {"{'d': {'e': {'k': ['x']}}}", "{'d': '<?>'}", MT_MAYBE},
  {"{'d': {'k': ['x']}}", "{'dk': '<?>'}", MT_NO},                   /* a path, not a prefix */
  {"{'k': ['x']}", "{'k': ['y', '<?>']}", MT_MAYBE},                /* an array holding one */
  {"{'k': ['x']}", "{'k': ['x', '<?>']}", MT_YES},
  {"{'k': [{'exists': true}]}", "{'k': '<?>'}", MT_YES},            /* an unknown is present */
  {"{'k': [{'exists': false}]}", "{'k': '<?>'}", MT_NO},
  {"{'d': {'k': [{'exists': true}]}}", "{'d': '<?>'}", MT_MAYBE},  /* under one, it may not be */
  {"{'d': {'k': [{'exists': false}]}}", "{'d': '<?>'}", MT_MAYBE},
  {"{'k': [{'exists': false}, 'x']}", "{'k': '<?>'}", MT_MAYBE},
  {"{'a': ['x'], 'k': ['x']}", "{'a': 'x', 'k': '<?>'}", MT_MAYBE}, /* AND: the least */
  {"{'a': ['y'], 'k': ['x']}", "{'a': 'x', 'k': '<?>'}", MT_NO},
  {"{'$or': [{'a': ['y']}, {'k': ['x']}]}", "{'a': 'x', 'k': '<?>'}", MT_MAYBE}, /* OR: the most */
  {"{'$or': [{'a': ['x']}, {'k': ['x']}]}", "{'a': 'x', 'k': '<?>'}", MT_YES},
  {"{'k': [{'cidr': '10.0.0.0/8'}]}", "{'k': '10.1.2.3'}", MT_YES}, /* known: decided */
  {"{'k': [{'suffix': {'equals-ignore-case': '.PNG'}}]}", "{'k': 'a.png'}", MT_YES},
};

/* V with every "<?>" string replaced by UNKNOWN. */
static json_t *with_unknown(json_t *v, json_t *unknown) {
  if (json_is_string(v) && !strcmp(json_string_value(v), "<?>")) {
    json_decref(v);
    return json_incref(unknown);
  }
  size_t i;
  json_t *item;
  const char *key;
  if (json_is_array(v))
    json_array_foreach(v, i, item) json_array_set_new(v, i, with_unknown(json_incref(item), unknown));
  if (json_is_object(v))
    json_object_foreach(v, key, item) json_object_set_new(v, key, with_unknown(json_incref(item), unknown));
  return v;
}

static void run_match3_case(const struct match3_case *c) {
  static const char *const names[] = {"no", "maybe", "yes"};
  char *error = NULL;
  json_t *unknown = json_string("<?>");
  json_t *pattern = load(c->pattern, &error), *event = pattern ? load(c->event, &error) : NULL;
  struct mt_pattern *p = pattern ? mt_compile(pattern, &error) : NULL;
  enum mt_verdict got = MT_NO;
  if (p) {
    event = with_unknown(event, unknown);
    got = mt_match3(p, event, unknown);
  }
  if (p && got == c->expect) {
    passed++;
  } else {
    failed++;
    printf("FAIL three-valued %s / %s: got %s, expected %s%s%s\n", c->pattern, c->event,
           p ? names[got] : "an error", names[c->expect], error ? ": " : "", error ? error : "");
  }
  free(error);
  mt_free(p);
  json_decref(pattern);
  json_decref(event);
  json_decref(unknown);
}

int main(void) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) run_case(&cases[i]);
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    if (!strstr(cases[i].pattern, "'location'")) run_checker_case(&cases[i]);
  for (size_t i = 0; i < sizeof cases3 / sizeof *cases3; i++) run_match3_case(&cases3[i]);
  run_wildcard_cost();
  run_long_list();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
