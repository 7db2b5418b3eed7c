/* test_names.c - table-driven unit test for name_check (compiler/names.c).
   Each case's text is copied into a heap buffer of exactly its length, so the sanitizers
   catch any read past LEN (the checker must not rely on a NUL terminator). Every
   invalid case states the exact message and offset. */
#include "sfc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_case {
  enum name_kind kind;
  const char *text;
  size_t len;      /* 0: use strlen(text) */
  const char *msg; /* NULL: the name is valid */
  size_t offset;
};

#define OK(k, t) { k, t, 0, NULL, 0 }
#define BAD(k, t, m, o) { k, t, 0, m, o }
#define BADN(k, t, n, m, o) { k, t, n, m, o }

/* Names of exact lengths, by doubling. */
#define A1 "a"
#define A2 A1 A1
#define A4 A2 A2
#define A8 A4 A4
#define A16 A8 A8
#define A32 A16 A16
#define A64 A32 A32
#define A128 A64 A64
#define U1 "\xc3\xbc" /* ü: one character, two bytes */
#define U2 U1 U1
#define U4 U2 U2
#define U8 U4 U4
#define U16 U8 U8
#define U64 U16 U16 U16 U16

#define ARN_PREFIX "arn:aws:lambda:us-east-1:123456789012:function:" /* 47 characters */

static const struct test_case cases[] = {
  /* ---- Lambda: every form FunctionName takes */
  OK(NAME_LAMBDA, "thumbnail"),
  OK(NAME_LAMBDA, "thumbnail-dev_2"),
  OK(NAME_LAMBDA, "fn:alias"),
  OK(NAME_LAMBDA, "fn:1"),
  OK(NAME_LAMBDA, "fn:$LATEST"),
  OK(NAME_LAMBDA, "fn:$LATEST.PUBLISHED"),
  OK(NAME_LAMBDA, "123456789012:function:fn"),
  OK(NAME_LAMBDA, "123456789012:function:fn:prod"),
  OK(NAME_LAMBDA, "123456789012:fn"),
  OK(NAME_LAMBDA, "function:fn"),
  OK(NAME_LAMBDA, "function"),
  OK(NAME_LAMBDA, "us-east-1:123456789012:function:fn"),
  OK(NAME_LAMBDA, "arn:aws:lambda:us-west-2:123456789012:function:my-function"),
  OK(NAME_LAMBDA, "arn:aws:lambda:us-west-2:123456789012:function:my-function:PROD"),
  OK(NAME_LAMBDA, "arn:aws:lambda:us-west-2:123456789012:function:my-function:$LATEST"),
  OK(NAME_LAMBDA, "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:fn"),
  OK(NAME_LAMBDA, "arn:aws-cn:lambda:cn-north-1:123456789012:function:fn:7"),
  OK(NAME_LAMBDA, "arn:aws-iso-b:lambda:us-isob-east-1:123456789012:function:fn"),
  OK(NAME_LAMBDA, "arn:aws-iso:lambda:us-iso-east-1:123456789012:function:fn"),
  OK(NAME_LAMBDA, "arn:aws:lambda:eusc-de-east-1:123456789012:function:fn"),
  OK(NAME_LAMBDA, "arn:fn"), /* the pattern reads this as function "arn", alias "fn" */
  OK(NAME_LAMBDA, A64),
  OK(NAME_LAMBDA, A64 ":alias"),
  OK(NAME_LAMBDA, ARN_PREFIX A64 ":" A16 A8 A4), /* 140 */
  BAD(NAME_LAMBDA, "", "a Lambda function name cannot be empty", 0),
  BAD(NAME_LAMBDA, "*", "'*' cannot appear in a Lambda function name", 0),
  BAD(NAME_LAMBDA, "thumb*", "'*' cannot appear in a Lambda function name", 5),
  BAD(NAME_LAMBDA, "fn:*", "'*' cannot appear in a Lambda function name", 3),
  BAD(NAME_LAMBDA, ARN_PREFIX "*", "'*' cannot appear in a Lambda function name", 47),
  BAD(NAME_LAMBDA, "arn:aws:lambda:*:123456789012:function:fn",
      "'*' cannot appear in a Lambda function name", 15),
  BAD(NAME_LAMBDA, "fn?", "'?' cannot appear in a Lambda function name", 2),
  BAD(NAME_LAMBDA, A64 A128 "*", "'*' cannot appear in a Lambda function name", 192),
  BAD(NAME_LAMBDA, A64 A1, "a Lambda function's own name has at most 64 characters", 64),
  BAD(NAME_LAMBDA, A64 A1 ":alias", "a Lambda function's own name has at most 64 characters",
      64),
  BAD(NAME_LAMBDA, ARN_PREFIX A64 A1, "a Lambda function's own name has at most 64 characters",
      111),
  BAD(NAME_LAMBDA, ARN_PREFIX A64 ":" A16 A8 A4 A1,
      "a Lambda function name has at most 140 characters", 140),
  BAD(NAME_LAMBDA, "fn:a:b", "too many ':'-separated parts in a Lambda function name", 4),
  BAD(NAME_LAMBDA, "a:b:c:d:e:f", "too many ':'-separated parts in a Lambda function name", 9),
  BAD(NAME_LAMBDA, "fn::x", "empty part between ':' in a Lambda function name", 3),
  BAD(NAME_LAMBDA, "fn:", "empty part between ':' in a Lambda function name", 2),
  BAD(NAME_LAMBDA, ":fn", "empty part between ':' in a Lambda function name", 0),
  BAD(NAME_LAMBDA, "arn:aws:lambda:", "empty part between ':' in a Lambda function name", 14),
  BAD(NAME_LAMBDA, "fn$", "'$' can appear in a Lambda function name only in the qualifier "
                          "'$LATEST'", 2),
  BAD(NAME_LAMBDA, "fn:$LATEST2", "'$' can appear in a Lambda function name only in the "
                                  "qualifier '$LATEST'", 3),
  BAD(NAME_LAMBDA, "my.fn", "'.' can appear in a Lambda function name only in the qualifier "
                            "'$LATEST.PUBLISHED'", 2),
  BAD(NAME_LAMBDA, "fn:v1.0", "'.' can appear in a Lambda function name only in the "
                              "qualifier '$LATEST.PUBLISHED'", 5),
  BAD(NAME_LAMBDA, "fn name", "' ' cannot appear in a Lambda function name", 2),
  BAD(NAME_LAMBDA, "fn/x", "'/' cannot appear in a Lambda function name", 2),
  BAD(NAME_LAMBDA, "f\xc3\xbcnf", "non-ASCII characters cannot appear in a Lambda function name",
      1),
  BAD(NAME_LAMBDA, "arn:azure:lambda:us-east-1:123456789012:function:fn",
      "a Lambda function ARN starts with 'arn:PARTITION:lambda:'", 0),

  /* ---- Step Functions: state machines, activities, executions */
  OK(NAME_STATE_MACHINE, "UploadPipeline"),
  OK(NAME_STATE_MACHINE, "Upload-Pipeline_v2.1"),
  OK(NAME_STATE_MACHINE, "a!'()+-.=@_"),
  OK(NAME_STATE_MACHINE, "\xc3\x9c" "bersicht"), /* Übersicht: Unicode is allowed */
  OK(NAME_STATE_MACHINE, A64 A16),
  OK(NAME_STATE_MACHINE, U64 U16), /* 80 characters, 160 bytes */
  BAD(NAME_STATE_MACHINE, "", "a state machine name cannot be empty", 0),
  BAD(NAME_STATE_MACHINE, A64 A16 A1, "a state machine name has at most 80 characters", 80),
  BAD(NAME_STATE_MACHINE, U64 U16 U1, "a state machine name has at most 80 characters", 160),
  BAD(NAME_STATE_MACHINE, "a\tb", "'\\t' cannot appear in a state machine name", 1),
  BAD(NAME_STATE_MACHINE, "a\x01", "'\\x01' cannot appear in a state machine name", 1),
  BAD(NAME_STATE_MACHINE, "a\x7f", "'\\x7f' cannot appear in a state machine name", 1),
  BADN(NAME_STATE_MACHINE, "a\0b", 3, "'\\0' cannot appear in a state machine name", 1),
  BAD(NAME_STATE_MACHINE, "a\xc2\x85", "control characters cannot appear in a state machine name",
      1),
  BAD(NAME_STATE_MACHINE, "a\xc2\x9f", "control characters cannot appear in a state machine name",
      1),
  BAD(NAME_STATE_MACHINE, "a\xc2\xa0" "b", "white space cannot appear in a state machine name", 1),
  BAD(NAME_STATE_MACHINE, "ab\xe3\x80\x80", "white space cannot appear in a state machine name", 2),
  BAD(NAME_STATE_MACHINE, "a\xe2\x80\xa8", "white space cannot appear in a state machine name", 1),
  BAD(NAME_STATE_MACHINE, "a\xef\xbf\xbe", "U+FFFE and U+FFFF cannot appear in a state machine "
                                           "name", 1),
  BAD(NAME_STATE_MACHINE, "a\xed\xa0\x80", "invalid UTF-8 in a state machine name", 1),
  BAD(NAME_STATE_MACHINE, "a\xc3", "invalid UTF-8 in a state machine name", 1),
  BAD(NAME_STATE_MACHINE, "\xc0\xaf", "invalid UTF-8 in a state machine name", 0),
  BAD(NAME_STATE_MACHINE, "a\xf4\x90\x80\x80", "invalid UTF-8 in a state machine name", 1),
  OK(NAME_ACTIVITY, "ManualApproval"),
  OK(NAME_ACTIVITY, "\xc3\x9c" "bersicht"),
  BAD(NAME_ACTIVITY, "", "an activity name cannot be empty", 0),
  BAD(NAME_ACTIVITY, "act*", "'*' cannot appear in an activity name", 3),
  BAD(NAME_ACTIVITY, "a b", "' ' cannot appear in an activity name", 1),
  BAD(NAME_ACTIVITY, A64 A16 A1, "an activity name has at most 80 characters", 80),
  OK(NAME_EXECUTION, "run-2026-01-01T09.00"),
  BAD(NAME_EXECUTION, "run:1", "':' cannot appear in an execution name", 3),
  BAD(NAME_EXECUTION, A64 A16 A1, "an execution name has at most 80 characters", 80),

  /* ---- ASL state names: any text but control characters */
  OK(NAME_STATE, "Process File"),
  OK(NAME_STATE, "a*b\"#$/:[]{}"),
  OK(NAME_STATE, "\xc3\x9c" "bersicht \xe2\x80\x94 Schritt"),
  OK(NAME_STATE, "a\xc2\xa0" "b"),
  OK(NAME_STATE, U64 U16),
  BAD(NAME_STATE, "", "a state name cannot be empty", 0),
  BAD(NAME_STATE, "a\tb", "'\\t' cannot appear in a state name", 1),
  BAD(NAME_STATE, "a\xc2\x80", "control characters cannot appear in a state name", 1),
  BAD(NAME_STATE, A64 A16 A1, "a state name has at most 80 characters", 80),
  BAD(NAME_STATE, "a\xff", "invalid UTF-8 in a state name", 1),

  /* ---- SQS queues */
  OK(NAME_QUEUE, "orders"),
  OK(NAME_QUEUE, "Orders-DLQ_1"),
  OK(NAME_QUEUE, "orders.fifo"),
  OK(NAME_QUEUE, A64 A16),
  OK(NAME_QUEUE, A64 A8 A2 A1 ".fifo"), /* the suffix counts: 80 */
  BAD(NAME_QUEUE, "", "a queue name cannot be empty", 0),
  BAD(NAME_QUEUE, A64 A16 A1, "a queue name has at most 80 characters", 80),
  BAD(NAME_QUEUE, A64 A8 A4 ".fifo", "a queue name has at most 80 characters", 80),
  BAD(NAME_QUEUE, "orders.v2", "'.' can appear in a queue name only in '.fifo'", 6),
  BAD(NAME_QUEUE, "a.b.fifo", "'.' can appear in a queue name only in '.fifo'", 1),
  BAD(NAME_QUEUE, "orders.FIFO", "'.' can appear in a queue name only in '.fifo'", 6),
  BAD(NAME_QUEUE, ".fifo", "a FIFO queue name needs a name before '.fifo'", 0),
  BAD(NAME_QUEUE, "q*", "'*' cannot appear in a queue name", 1),
  BAD(NAME_QUEUE, "q:1", "':' cannot appear in a queue name", 1),
  BAD(NAME_QUEUE, "\xc3\x9c" "bersicht", "non-ASCII characters cannot appear in a queue name", 0),

  /* ---- SNS topics */
  OK(NAME_TOPIC, "upload-alerts-dev"),
  OK(NAME_TOPIC, "alerts.fifo"),
  OK(NAME_TOPIC, A128 A128),
  BAD(NAME_TOPIC, "", "a topic name cannot be empty", 0),
  BAD(NAME_TOPIC, A128 A128 A1, "a topic name has at most 256 characters", 256),
  BAD(NAME_TOPIC, "alerts.v2", "'.' can appear in a topic name only in '.fifo'", 6),
  BAD(NAME_TOPIC, ".fifo", "a FIFO topic name needs a name before '.fifo'", 0),
  BAD(NAME_TOPIC, "t*", "'*' cannot appear in a topic name", 1),
  BAD(NAME_TOPIC, "a b", "' ' cannot appear in a topic name", 1),

  /* ---- DynamoDB tables */
  OK(NAME_TABLE, "Orders"),
  OK(NAME_TABLE, "orders.v2-prod_1"),
  OK(NAME_TABLE, "abc"),
  OK(NAME_TABLE, A128 A64 A32 A16 A8 A4 A2 A1), /* 255 */
  BAD(NAME_TABLE, "", "a DynamoDB table name cannot be empty", 0),
  BAD(NAME_TABLE, "ab", "a DynamoDB table name has at least 3 characters", 0),
  BAD(NAME_TABLE, A128 A128, "a DynamoDB table name has at most 255 characters", 255),
  BAD(NAME_TABLE, "orders*", "'*' cannot appear in a DynamoDB table name", 6),
  BAD(NAME_TABLE, "orders:1", "':' cannot appear in a DynamoDB table name", 6),
  BAD(NAME_TABLE, "\xc3\x9c" "bersicht", "non-ASCII characters cannot appear in a DynamoDB table "
                                         "name", 0),

  /* ---- EventBridge buses */
  OK(NAME_BUS, "default"),
  OK(NAME_BUS, "orders-bus.v2_1"),
  OK(NAME_BUS, "aws.partner/acme.com/123/events"),
  OK(NAME_BUS, "aws.partner/a/b"),
  OK(NAME_BUS, A128 A128),
  BAD(NAME_BUS, "", "an event bus name cannot be empty", 0),
  BAD(NAME_BUS, A128 A128 A1, "an event bus name has at most 256 characters", 256),
  BAD(NAME_BUS, "orders/x", "'/' can appear only in a partner event bus name (aws.partner/...)",
      6),
  BAD(NAME_BUS, "aws.partner/acme", "a partner event bus name has at least two segments after "
                                    "'aws.partner'", 0),
  BAD(NAME_BUS, "aws.partner//x", "empty segment in a partner event bus name", 12),
  BAD(NAME_BUS, "aws.partner/a/", "empty segment in a partner event bus name", 13),
  BAD(NAME_BUS, "bus*", "'*' cannot appear in an event bus name", 3),
  BAD(NAME_BUS, "aws.partner/a/b*", "'*' cannot appear in an event bus name", 15),
  BAD(NAME_BUS, "bus:1", "':' cannot appear in an event bus name", 3),

  /* ---- S3 general purpose buckets */
  OK(NAME_BUCKET, "my-bucket"),
  OK(NAME_BUCKET, "my.bucket.123"),
  OK(NAME_BUCKET, "abc"),
  OK(NAME_BUCKET, "1bucket"),
  OK(NAME_BUCKET, "192.168.5"),
  OK(NAME_BUCKET, "xn-bucket"),
  OK(NAME_BUCKET, A32 A16 A8 A4 A2 A1), /* 63 */
  BAD(NAME_BUCKET, "", "a bucket name cannot be empty", 0),
  BAD(NAME_BUCKET, "ab", "a bucket name has at least 3 characters", 0),
  BAD(NAME_BUCKET, A64, "a bucket name has at most 63 characters", 63),
  BAD(NAME_BUCKET, "My-bucket", "'M' cannot appear in a bucket name", 0),
  BAD(NAME_BUCKET, "my_bucket", "'_' cannot appear in a bucket name", 2),
  BAD(NAME_BUCKET, "b*cket", "'*' cannot appear in a bucket name", 1),
  BAD(NAME_BUCKET, "b\xc3\xbc" "ck", "non-ASCII characters cannot appear in a bucket name", 1),
  BAD(NAME_BUCKET, "-bucket", "a bucket name begins with a letter or digit", 0),
  BAD(NAME_BUCKET, ".bucket", "a bucket name begins with a letter or digit", 0),
  BAD(NAME_BUCKET, "bucket-", "a bucket name ends with a letter or digit", 6),
  BAD(NAME_BUCKET, "bucket.", "a bucket name ends with a letter or digit", 6),
  BAD(NAME_BUCKET, "my..bucket", "two adjacent periods cannot appear in a bucket name", 3),
  BAD(NAME_BUCKET, "192.168.5.4", "a bucket name cannot be formatted as an IP address", 0),
  BAD(NAME_BUCKET, "xn--bucket", "a bucket name cannot start with 'xn--'", 0),
  BAD(NAME_BUCKET, "sthree-bucket", "a bucket name cannot start with 'sthree-'", 0),
  BAD(NAME_BUCKET, "sthree-configurator-x", "a bucket name cannot start with 'sthree-'", 0),
  BAD(NAME_BUCKET, "amzn-s3-demo-bucket", "a bucket name cannot start with 'amzn-s3-demo-'", 0),
  BAD(NAME_BUCKET, "bucket-s3alias", "a bucket name cannot end with '-s3alias'", 6),
  BAD(NAME_BUCKET, "bucket--ol-s3", "a bucket name cannot end with '--ol-s3'", 6),
  BAD(NAME_BUCKET, "bucket.mrap", "a bucket name cannot end with '.mrap'", 6),
  BAD(NAME_BUCKET, "bucket--x-s3", "a bucket name cannot end with '--x-s3'", 6),
  BAD(NAME_BUCKET, "bucket--table-s3", "a bucket name cannot end with '--table-s3'", 6),

  /* ---- IAM roles */
  OK(NAME_ROLE, "UploadPipeline-role"),
  OK(NAME_ROLE, "a_b+c=d,e.f@g-h"),
  OK(NAME_ROLE, A64),
  BAD(NAME_ROLE, "", "an IAM role name cannot be empty", 0),
  BAD(NAME_ROLE, A64 A1, "an IAM role name has at most 64 characters", 64),
  BAD(NAME_ROLE, "\xc3\x9c" "bersicht", "non-ASCII characters cannot appear in an IAM role name",
      0),
  BAD(NAME_ROLE, "role*", "'*' cannot appear in an IAM role name", 4),
  BAD(NAME_ROLE, "role/x", "'/' cannot appear in an IAM role name", 4),
  BAD(NAME_ROLE, "role name", "' ' cannot appear in an IAM role name", 4),
  BAD(NAME_ROLE, "role:x", "':' cannot appear in an IAM role name", 4),
  BADN(NAME_ROLE, "a\0b", 3, "'\\0' cannot appear in an IAM role name", 1),

  /* ---- EventBridge rules */
  OK(NAME_RULE, "UploadPipeline-OnUpload"),
  OK(NAME_RULE, "a.b-c_d"),
  OK(NAME_RULE, A64),
  BAD(NAME_RULE, "", "an EventBridge rule name cannot be empty", 0),
  BAD(NAME_RULE, A64 A1, "an EventBridge rule name has at most 64 characters", 64),
  BAD(NAME_RULE, "rule*", "'*' cannot appear in an EventBridge rule name", 4),
  BAD(NAME_RULE, "rule@x", "'@' cannot appear in an EventBridge rule name", 4),
  BAD(NAME_RULE, "rule/x", "'/' cannot appear in an EventBridge rule name", 4),
  BAD(NAME_RULE, "r\xc3\xbc" "le", "non-ASCII characters cannot appear in an EventBridge rule "
                                   "name", 1),

  /* ---- EventBridge Scheduler */
  OK(NAME_SCHEDULE, "nightly"),
  OK(NAME_SCHEDULE, "a-b_c.d"),
  OK(NAME_SCHEDULE, A64),
  BAD(NAME_SCHEDULE, "", "a schedule name cannot be empty", 0),
  BAD(NAME_SCHEDULE, A64 A1, "a schedule name has at most 64 characters", 64),
  BAD(NAME_SCHEDULE, "nightly run", "' ' cannot appear in a schedule name", 7),
  BAD(NAME_SCHEDULE, "n*", "'*' cannot appear in a schedule name", 1),
  BAD(NAME_SCHEDULE, "n@", "'@' cannot appear in a schedule name", 1),
  OK(NAME_SCHEDULE_GROUP, "default"),
  OK(NAME_SCHEDULE_GROUP, "my-group.v2_1"),
  BAD(NAME_SCHEDULE_GROUP, "", "a schedule group name cannot be empty", 0),
  BAD(NAME_SCHEDULE_GROUP, A64 A1, "a schedule group name has at most 64 characters", 64),
  BAD(NAME_SCHEDULE_GROUP, "grp/x", "'/' cannot appear in a schedule group name", 3),
  BAD(NAME_SCHEDULE_GROUP, "grp*", "'*' cannot appear in a schedule group name", 3),

  /* ---- IAM statement ids */
  OK(NAME_SID, "ThumbnailInvoke"),
  OK(NAME_SID, "Grant2"),
  OK(NAME_SID, A128 A128 A64), /* no documented limit */
  BAD(NAME_SID, "", "an IAM policy statement id cannot be empty", 0),
  BAD(NAME_SID, "Thumb_Invoke", "'_' cannot appear in an IAM policy statement id", 5),
  BAD(NAME_SID, "a-b", "'-' cannot appear in an IAM policy statement id", 1),
  BAD(NAME_SID, "a b", "' ' cannot appear in an IAM policy statement id", 1),
  BAD(NAME_SID, "a*", "'*' cannot appear in an IAM policy statement id", 1),
  BAD(NAME_SID, "\xc3\x9c" "bersicht", "non-ASCII characters cannot appear in an IAM policy "
                                       "statement id", 0),

  /* ---- output files */
  OK(NAME_OUTPUT_FILE, "UploadPipeline.asl.json"),
  OK(NAME_OUTPUT_FILE, "UploadPipeline-events.role-policy.json"),
  OK(NAME_OUTPUT_FILE, "a"),
  OK(NAME_OUTPUT_FILE, "CONSOLE.json"),
  OK(NAME_OUTPUT_FILE, "COM10.json"),
  OK(NAME_OUTPUT_FILE, "a..b"),
  BAD(NAME_OUTPUT_FILE, "a..", "an output file name cannot end with '.' (Windows drops it)", 2),
  OK(NAME_OUTPUT_FILE, A128 A64 A32 A16 A8 A4 A2 A1), /* 255 */
  BAD(NAME_OUTPUT_FILE, "", "an output file name cannot be empty", 0),
  BAD(NAME_OUTPUT_FILE, A128 A128, "an output file name has at most 255 bytes", 255),
  BAD(NAME_OUTPUT_FILE, ".", "'.' and '..' name directories, not output files", 0),
  BAD(NAME_OUTPUT_FILE, "..", "'.' and '..' name directories, not output files", 0),
  BAD(NAME_OUTPUT_FILE, ".hidden", "an output file name cannot start with '.' (sfc's temporary "
                                   "files do)", 0),
  BAD(NAME_OUTPUT_FILE, "-rf", "an output file name cannot start with '-' (commands would take "
                               "it for an option)", 0),
  BAD(NAME_OUTPUT_FILE, "name.", "an output file name cannot end with '.' (Windows drops it)", 4),
  BAD(NAME_OUTPUT_FILE, "a/b", "'/' cannot appear in an output file name", 1),
  BAD(NAME_OUTPUT_FILE, "../x", "'/' cannot appear in an output file name", 2),
  BAD(NAME_OUTPUT_FILE, "a\\b", "'\\\\' cannot appear in an output file name", 1),
  BADN(NAME_OUTPUT_FILE, "a\0b", 3, "'\\0' cannot appear in an output file name", 1),
  BAD(NAME_OUTPUT_FILE, "a\nb", "'\\n' cannot appear in an output file name", 1),
  BAD(NAME_OUTPUT_FILE, "a b", "' ' cannot appear in an output file name", 1),
  BAD(NAME_OUTPUT_FILE, "a:b", "':' cannot appear in an output file name", 1),
  BAD(NAME_OUTPUT_FILE, "a*b", "'*' cannot appear in an output file name", 1),
  BAD(NAME_OUTPUT_FILE, "a$b", "'$' cannot appear in an output file name", 1),
  BAD(NAME_OUTPUT_FILE, "\xc3\x9c" "bersicht.json", "non-ASCII characters cannot appear in an "
                                                    "output file name", 0),
  BAD(NAME_OUTPUT_FILE, "CON", "an output file name cannot be a Windows device name (CON, PRN, "
                               "AUX, NUL, COM0-9, LPT0-9)", 0),
  BAD(NAME_OUTPUT_FILE, "con.asl.json", "an output file name cannot be a Windows device name "
                                        "(CON, PRN, AUX, NUL, COM0-9, LPT0-9)", 0),
  BAD(NAME_OUTPUT_FILE, "Lpt1.json", "an output file name cannot be a Windows device name (CON, "
                                     "PRN, AUX, NUL, COM0-9, LPT0-9)", 0),
  BAD(NAME_OUTPUT_FILE, "nul.txt", "an output file name cannot be a Windows device name (CON, "
                                   "PRN, AUX, NUL, COM0-9, LPT0-9)", 0),
};

static bool run_case(const struct test_case *tc)
{
  size_t len = tc->len ? tc->len : strlen(tc->text);
  char *copy = malloc(len ? len : 1);
  size_t offset = 12345;
  const char *msg;
  bool ok;

  memcpy(copy, tc->text, len);
  msg = name_check(tc->kind, copy, len, &offset);
  free(copy);
  if (!tc->msg)
    ok = msg == NULL;
  else
    ok = msg && strcmp(msg, tc->msg) == 0 && offset == tc->offset;
  if (!ok)
    printf("FAIL %s \"%.60s\": expected \"%s\" at %zu, got \"%s\" at %zu\n",
           name_kind_description(tc->kind), tc->text, tc->msg ? tc->msg : "valid", tc->offset,
           msg ? msg : "valid", offset);
  return ok;
}

/* Every character Step Functions forbids, in each kind of Step Functions name. */
static bool run_sfn_forbidden(void)
{
  static const struct { enum name_kind kind; const char *subject; } kinds[] = {
    { NAME_STATE_MACHINE, "a state machine name" },
    { NAME_ACTIVITY, "an activity name" },
    { NAME_EXECUTION, "an execution name" },
  };
  const char *forbidden = " <>{}[]?*\"#%\\^|~`$&,;:/";
  bool ok = true;

  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    for (const char *f = forbidden; *f; f++) {
      char text[3] = { 'a', *f, 'b' };
      char want[80];
      size_t offset = 0;
      const char *msg = name_check(kinds[k].kind, text, sizeof text, &offset);
      snprintf(want, sizeof want, "'%s%c' cannot appear in %s", *f == '\\' ? "\\" : "", *f,
               kinds[k].subject);
      if (!msg || strcmp(msg, want) != 0 || offset != 1) {
        printf("FAIL %s with '%c': expected \"%s\" at 1, got \"%s\" at %zu\n",
               kinds[k].subject, *f, want, msg ? msg : "valid", offset);
        ok = false;
      }
    }
  }
  return ok;
}

/* Every kind has a row, and its description is what messages are built from. */
static bool run_descriptions(void)
{
  static const struct { enum name_kind kind; const char *description; } want[] = {
    { NAME_LAMBDA, "Lambda function name" },
    { NAME_ACTIVITY, "activity name" },
    { NAME_QUEUE, "queue name" },
    { NAME_TOPIC, "topic name" },
    { NAME_TABLE, "DynamoDB table name" },
    { NAME_BUS, "event bus name" },
    { NAME_BUCKET, "bucket name" },
    { NAME_STATE_MACHINE, "state machine name" },
    { NAME_EXECUTION, "execution name" },
    { NAME_STATE, "state name" },
    { NAME_ROLE, "IAM role name" },
    { NAME_RULE, "EventBridge rule name" },
    { NAME_SCHEDULE, "schedule name" },
    { NAME_SCHEDULE_GROUP, "schedule group name" },
    { NAME_SID, "IAM policy statement id" },
    { NAME_OUTPUT_FILE, "output file name" },
  };
  bool ok = true;

  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    if (strcmp(name_kind_description(want[i].kind), want[i].description) != 0) {
      printf("FAIL description of kind %d: expected \"%s\", got \"%s\"\n", (int)want[i].kind,
             want[i].description, name_kind_description(want[i].kind));
      ok = false;
    }
  }
  if (sizeof want / sizeof want[0] != (size_t)NAME_OUTPUT_FILE + 1) {
    printf("FAIL descriptions: a kind is missing from this test\n");
    ok = false;
  }
  return ok;
}

/* A kind outside the enum, and a NULL ERR_OFFSET, are tolerated. */
static bool run_edges(void)
{
  size_t offset = 7;
  const char *msg = name_check((enum name_kind)99, "x", 1, &offset);

  if (!msg || strcmp(msg, "unknown kind of name") != 0 || offset != 0 ||
      strcmp(name_kind_description((enum name_kind)99), "name") != 0) {
    printf("FAIL unknown kind: got \"%s\" at %zu\n", msg ? msg : "valid", offset);
    return false;
  }
  if (name_check(NAME_ROLE, "r", 1, NULL) != NULL || name_check(NAME_ROLE, "r*", 2, NULL) == NULL) {
    printf("FAIL NULL err_offset\n");
    return false;
  }
  return true;
}

int main(void)
{
  size_t passed = 0, failed = 0;
  bool (*const checks[])(void) = { run_sfn_forbidden, run_descriptions, run_edges };

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (run_case(&cases[i]))
      passed++;
    else
      failed++;
  }
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
    if (checks[i]())
      passed++;
    else
      failed++;
  }
  printf("%zu passed, %zu failed\n", passed, failed);
  return failed ? 1 : 0;
}
