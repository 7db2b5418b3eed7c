/* test_events.c - unit test of the event shapes (runtime/event.c) and of what targets
   receive of them (runtime/transform.c): each case is an input and the exact text
   expected, events as compact JSON (AWS's text, rt_json_text). JSON is written with '
   for " to keep the tables readable (no expected text here holds a real '). */
#include "sfc.h"
#include "runtime.h"
#include "events.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

/* TEXT with every ' made " (a static buffer per call site is enough: one at a time). */
static char *q(const char *text) {
  char *s = xstrdup(text);
  for (char *p = s; *p; p++)
    if (*p == '\'') *p = '"';
  return s;
}

static void check(const char *name, const char *got, const char *want_q) {
  char *want = q(want_q);
  bool ok = got && !strcmp(got, want);
  ok ? passed++ : failed++;
  if (!ok) printf("FAIL %s\n  got:  %s\n  want: %s\n", name, got ? got : "(NULL)", want);
  free(want);
}

/* An event (consumed) against its expected compact text. */
static void check_event(const char *name, json_t *ev, const char *want) {
  char *text = ev ? rt_json_text(ev) : NULL;
  check(name, text, want);
  free(text);
  json_decref(ev);
}

/* A refusal: NULL and a message starting with WANT. */
static void check_refused(const char *name, const void *result, char *why, const char *want) {
  bool ok = !result && why && !strncmp(why, want, strlen(want));
  ok ? passed++ : failed++;
  if (!ok) printf("FAIL %s: expected a refusal '%s', got %s\n", name, want, result ? "a result" : why ? why : "no reason");
  free(why);
}

static int64_t at(const char *ts) {
  int64_t ms = 0;
  if (!rt_parse_timestamp(ts, &ms)) abort();
  return ms;
}

/* ---------------------------------------------------------------- events */

static void test_time(void) {
  char t[32];
  rt_event_time(0, t);
  check("time: the epoch", t, "1970-01-01T00:00:00Z");
  rt_event_time(at("2024-02-29T23:59:59.999Z"), t);
  check("time: to the second", t, "2024-02-29T23:59:59Z");
  rt_event_time(-1, t);
  check("time: before the epoch", t, "1969-12-31T23:59:59Z");
}

static void test_s3(void) {
  struct rt_envelope e = {"111122223333", "ca-central-1", NULL, at("2021-11-12T00:00:00Z"), "e-1"};
  char *why = NULL;
  /* etag: the first half of SHA-256("BUCKET/KEY#SIZE"); sequencer: the time in ms, then two
     bytes of it; request id: its second half in [0-9A-Z] (checked with sha256sum) */
  check_event("s3 created", rt_event_s3(&e, "uploads", "created", "example-key", 5, &why),
              "{'version':'0','id':'e-1','detail-type':'Object Created','source':'aws.s3','account':'111122223333',"
              "'time':'2021-11-12T00:00:00Z','region':'ca-central-1','resources':['arn:aws:s3:::uploads'],"
              "'detail':{'version':'0','bucket':{'name':'uploads'},'object':{'key':'example-key','size':5,"
              "'etag':'7308abb26ebb1074cbb9cd7643396546','sequencer':'017d1171a400fc3e'},'request-id':'0QHGW77DGORDEMAW',"
              "'requester':'111122223333','source-ip-address':'127.0.0.1','reason':'PutObject'}}");
  e.partition = "aws-cn";
  check_event("s3 deleted: no size, deletion-type, the partition's ARN",
              rt_event_s3(&e, "b12", "deleted", "in/a b.txt", 0, &why),
              "{'version':'0','id':'e-1','detail-type':'Object Deleted','source':'aws.s3','account':'111122223333',"
              "'time':'2021-11-12T00:00:00Z','region':'ca-central-1','resources':['arn:aws-cn:s3:::b12'],"
              "'detail':{'version':'0','bucket':{'name':'b12'},'object':{'key':'in/a b.txt',"
              "'etag':'333528461382886306b2ef9f26fed9f1','sequencer':'017d1171a4007b08'},'request-id':'F8G054DR93OI6QZH',"
              "'requester':'111122223333','source-ip-address':'127.0.0.1','reason':'DeleteObject',"
              "'deletion-type':'Permanently Deleted'}}");
  json_t *r;
  r = rt_event_s3(&e, "b12", "restored", "k", 0, &why);
  check_refused("s3: another action", r, why, "an S3 object event is 'created' or 'deleted', not 'restored'");
  why = NULL;
  r = rt_event_s3(&e, "Bad_Bucket", "created", "k", 0, &why);
  check_refused("s3: bucket name", r, why, "invalid bucket name 'Bad_Bucket': ");
  why = NULL;
  r = rt_event_s3(&e, "192.168.5.4", "created", "k", 0, &why);
  check_refused("s3: bucket like an IP address", r, why,
                "invalid bucket name '192.168.5.4': a bucket name cannot be formatted as an IP address");
  why = NULL;
  r = rt_event_s3(&e, "b12", "created", "", 0, &why);
  check_refused("s3: empty key", r, why, "an object key is 1 to 1024 bytes of UTF-8, not 0");
  why = NULL;
  r = rt_event_s3(&e, "b12", "created", "a\xff", 0, &why);
  check_refused("s3: a key not UTF-8", r, why, "an object key is 1 to 1024 bytes of UTF-8, not 2");
  why = NULL;
  r = rt_event_s3(&e, "b12", "created", "k", -1, &why);
  check_refused("s3: negative size", r, why, "an object's size is at least 0, not -1");
}

static void test_scheduled_and_ids(void) {
  struct rt_envelope e = {NULL, NULL, NULL, at("2015-10-08T16:53:06Z"), "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa"};
  check_event("scheduled, with the defaults", rt_event_scheduled(&e, "arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"),
              "{'version':'0','id':'53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa','detail-type':'Scheduled Event',"
              "'source':'aws.events','account':'123456789012','time':'2015-10-08T16:53:06Z','region':'us-east-1',"
              "'resources':['arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule'],'detail':{}}");
  e.id = NULL;
  json_t *a = rt_event_scheduled(&e, "arn:aws:events:us-east-1:123456789012:rule/r");
  json_t *b = rt_event_scheduled(&e, "arn:aws:events:us-east-1:123456789012:rule/r");
  e.time_ms += 1000;
  json_t *c = rt_event_scheduled(&e, "arn:aws:events:us-east-1:123456789012:rule/r");
  const char *ia = json_string_value(json_object_get(a, "id"));
  /* SHA-256 of the event's compact text with an empty id, as version 4 (checked by hand) */
  check("derived id: version 4 and its variant", ia, "7891c9b6-69c4-4539-b7fc-9a37f7a75146");
  check("derived id: the same event, the same id", json_string_value(json_object_get(b, "id")), ia);
  bool differs = strcmp(ia, json_string_value(json_object_get(c, "id"))) != 0;
  differs ? passed++ : failed++;
  if (!differs) printf("FAIL derived id: another time, another id\n");
  json_decref(a);
  json_decref(b);
  json_decref(c);
  json_t *res = json_pack("[s]", "arn:x"), *detail = json_pack("{s:i}", "n", 1);
  e.id = "i";
  check_event("rt_event: key order", rt_event(&e, "my.app", "T", res, detail),
              "{'version':'0','id':'i','detail-type':'T','source':'my.app','account':'123456789012',"
              "'time':'2015-10-08T16:53:07Z','region':'us-east-1','resources':['arn:x'],'detail':{'n':1}}");
  check_event("rt_event: no resources", rt_event(&e, "my.app", "T", NULL, detail),
              "{'version':'0','id':'i','detail-type':'T','source':'my.app','account':'123456789012',"
              "'time':'2015-10-08T16:53:07Z','region':'us-east-1','resources':[],'detail':{'n':1}}");
  json_decref(res);
  json_decref(detail);
}

static void test_status_change(void) {
  struct rt_envelope e = {"111122223333", "eu-west-1", NULL, at("2026-01-01T00:01:00Z"), "s-1"};
  const char *sm = "arn:aws:states:eu-west-1:111122223333:stateMachine:Ingest";
  struct rt_status_change s = {sm, "run-1", "RUNNING", "{}", NULL, NULL, NULL, at("2026-01-01T00:00:00Z"), -1};
  check_event("status change: RUNNING", rt_event_status_change(&e, &s),
              "{'version':'0','id':'s-1','detail-type':'Step Functions Execution Status Change','source':'aws.states',"
              "'account':'111122223333','time':'2026-01-01T00:01:00Z','region':'eu-west-1',"
              "'resources':['arn:aws:states:eu-west-1:111122223333:execution:Ingest:run-1'],"
              "'detail':{'executionArn':'arn:aws:states:eu-west-1:111122223333:execution:Ingest:run-1',"
              "'stateMachineArn':'arn:aws:states:eu-west-1:111122223333:stateMachine:Ingest','name':'run-1',"
              "'status':'RUNNING','startDate':1767225600000,'stopDate':null,'input':'{}','output':null,"
              "'inputDetails':{'included':true},'outputDetails':null,'error':null,'cause':null}}");
  s.status = "FAILED";
  s.error = "States.TaskFailed";
  s.cause = "boom";
  s.stop_ms = at("2026-01-01T00:01:00Z");
  check_event("status change: FAILED with error and cause", rt_event_status_change(&e, &s),
              "{'version':'0','id':'s-1','detail-type':'Step Functions Execution Status Change','source':'aws.states',"
              "'account':'111122223333','time':'2026-01-01T00:01:00Z','region':'eu-west-1',"
              "'resources':['arn:aws:states:eu-west-1:111122223333:execution:Ingest:run-1'],"
              "'detail':{'executionArn':'arn:aws:states:eu-west-1:111122223333:execution:Ingest:run-1',"
              "'stateMachineArn':'arn:aws:states:eu-west-1:111122223333:stateMachine:Ingest','name':'run-1',"
              "'status':'FAILED','startDate':1767225600000,'stopDate':1767225660000,'input':'{}','output':null,"
              "'inputDetails':{'included':true},'outputDetails':null,'error':'States.TaskFailed','cause':'boom'}}");
  s.status = "SUCCEEDED";
  s.error = s.cause = NULL;
  s.output = "{\"ok\":true}";
  check_event("status change: SUCCEEDED, output as a string", rt_event_status_change(&e, &s),
              "{'version':'0','id':'s-1','detail-type':'Step Functions Execution Status Change','source':'aws.states',"
              "'account':'111122223333','time':'2026-01-01T00:01:00Z','region':'eu-west-1',"
              "'resources':['arn:aws:states:eu-west-1:111122223333:execution:Ingest:run-1'],"
              "'detail':{'executionArn':'arn:aws:states:eu-west-1:111122223333:execution:Ingest:run-1',"
              "'stateMachineArn':'arn:aws:states:eu-west-1:111122223333:stateMachine:Ingest','name':'run-1',"
              "'status':'SUCCEEDED','startDate':1767225600000,'stopDate':1767225660000,'input':'{}',"
              "'output':'{\\'ok\\':true}','inputDetails':{'included':true},'outputDetails':{'included':true},"
              "'error':null,'cause':null}}");
  s.status = "DONE";
  json_t *r = rt_event_status_change(&e, &s);
  check_refused("status change: unknown status", r, xstrdup("NULL"), "NULL");
  s.status = "RUNNING";
  s.state_machine_arn = "arn:aws:lambda:eu-west-1:111122223333:function:f";
  r = rt_event_status_change(&e, &s);
  check_refused("status change: not a state machine ARN", r, xstrdup("NULL"), "NULL");
}

static json_t *entry(const char *text) {
  char *t = q(text);
  json_t *v = json_loads(t, 0, NULL);
  free(t);
  if (!v) abort();
  return v;
}

static void from_entry(const char *name, const char *entry_q, const char *want) {
  struct rt_envelope e = {NULL, NULL, NULL, at("2026-01-01T00:00:00Z"), "p-1"};
  json_t *en = entry(entry_q);
  char *why = NULL;
  json_t *ev = rt_event_from_entry(&e, en, &why);
  json_decref(en);
  if (!strncmp(want, "{", 1)) {
    if (!ev) printf("  (%s)\n", why);
    free(why);
    check_event(name, ev, want);
  } else {
    check_refused(name, ev, why, want);
  }
}

static void test_entries(void) {
  from_entry("entry: the envelope's time", "{'Source':'my.app','DetailType':'Done','Detail':'{\\'k\\':1}'}",
             "{'version':'0','id':'p-1','detail-type':'Done','source':'my.app','account':'123456789012',"
             "'time':'2026-01-01T00:00:00Z','region':'us-east-1','resources':[],'detail':{'k':1}}");
  from_entry("entry: Time as RFC 3339, Resources, EventBusName",
             "{'Source':'my.app','DetailType':'Done','Detail':'{}','Time':'2026-03-04T05:06:07+01:00',"
             "'Resources':['arn:aws:s3:::b1'],'EventBusName':'app'}",
             "{'version':'0','id':'p-1','detail-type':'Done','source':'my.app','account':'123456789012',"
             "'time':'2026-03-04T04:06:07Z','region':'us-east-1','resources':['arn:aws:s3:::b1'],'detail':{}}");
  from_entry("entry: Time as epoch seconds", "{'Source':'s','DetailType':'d','Detail':'{}','Time':1767225600}",
             "{'version':'0','id':'p-1','detail-type':'d','source':'s','account':'123456789012',"
             "'time':'2026-01-01T00:00:00Z','region':'us-east-1','resources':[],'detail':{}}");
  from_entry("entry: no Source", "{'DetailType':'d','Detail':'{}'}",
             "InvalidArgument: Parameter Source is not valid. Reason: Source is a required argument.");
  from_entry("entry: no DetailType", "{'Source':'s','Detail':'{}'}",
             "InvalidArgument: Parameter DetailType is not valid. Reason: DetailType is a required argument.");
  from_entry("entry: no Detail", "{'Source':'s','DetailType':'d'}",
             "InvalidArgument: Parameter Detail is not valid. Reason: Detail is a required argument.");
  from_entry("entry: Detail an array", "{'Source':'s','DetailType':'d','Detail':'[1]'}", "MalformedDetail: Detail is malformed.");
  from_entry("entry: Detail not JSON", "{'Source':'s','DetailType':'d','Detail':'{k:1}'}", "MalformedDetail: Detail is malformed.");
  from_entry("entry: Detail not a string", "{'Source':'s','DetailType':'d','Detail':{}}",
             "InvalidArgument: Parameter Detail is not valid. Reason: it is a string.");
  from_entry("entry: bad Time", "{'Source':'s','DetailType':'d','Detail':'{}','Time':'yesterday'}",
             "InvalidArgument: Parameter Time is not valid.");
  from_entry("entry: Time past any date", "{'Source':'s','DetailType':'d','Detail':'{}','Time':1e300}",
             "InvalidArgument: Parameter Time is not valid.");
  from_entry("entry: Resources not strings", "{'Source':'s','DetailType':'d','Detail':'{}','Resources':[1]}",
             "InvalidArgument: Parameter Resources is not valid.");
  from_entry("entry: not an object", "[]", "InvalidArgument: Parameter Entries is not valid.");
}

/* ---------------------------------------------------------------- transform */

#define EVENT "{'version':'0','id':'i','detail-type':'T','source':'s','account':'1','time':'t','region':'r'," \
              "'resources':[],'detail':{'s':'a\\'b','n':1.5,'o':{'k':[1,2]},'a':[1,'x'],'z':null}}"

static const struct rt_input_var vars[] = {
    {"s", "$.detail.s"}, {"n", "$.detail.n"}, {"o", "$.detail.o"}, {"a", "$.detail.a"},
    {"z", "$.detail.z"}, {"m", "$.detail.missing"}, {"first", "$.detail.a[0]"}, {"all-x_1", "$.detail.a[*]"},
};
#define NVARS ((int)(sizeof vars / sizeof *vars))

static void render(const char *name, struct rt_target t, const char *want) {
  json_t *ev = entry(EVENT);
  char *why = NULL;
  if (!t.rule_name) t.rule_name = "r1";
  if (!t.rule_arn) t.rule_arn = "arn:aws:events:us-east-1:123456789012:rule/r1";
  char *got = rt_target_input(&t, ev, at("2026-01-02T03:04:05.678Z"), &why);
  json_decref(ev);
  if (want[0] == '!') check_refused(name, got, why, want + 1);
  else {
    if (!got) printf("  (%s)\n", why);
    check(name, got, want);
    free(why);
  }
  free(got);
}

/* A template target on VARS, the template written with ' for ". */
static void tmpl(const char *name, const char *template_q, const char *want) {
  char *text = q(template_q);
  render(name, (struct rt_target){.vars = vars, .nvars = NVARS, .input_template = text}, want);
  free(text);
}

static void test_transform(void) {
  tmpl("unquoted: each type as JSON, a missing path null",
       "{ 's': <s>, 'n': <n>, 'o': <o>, 'a': <a>, 'z': <z>, 'm': <m> }",
       "{'s':'a\\'b','n':1.5,'o':{'k':[1,2]},'a':[1,'x'],'z':null,'m':null}");
  tmpl("quoted: text unescaped, a missing path nothing", "{'t': '<s>|<n>|<o>|<a>|<z>|<m>'}",
       "{'t':'a'b|1.5|{'k':[1,2]}|[1,'x']|null|'}");
  tmpl("array index and wildcard", "[<first>, <all-x_1>]", "[1,[1,'x']]");
  tmpl("whitespace kept inside strings, minified outside", "{\n  'a b' :  'x  <n>  y' ,\n  'c': [ 9, true ]\n}",
       "{'a b':'x  1.5  y','c':[9,true]}");
  tmpl("an escaped quote stays inside the string", "{'q': 'say \\'<n>\\' <o>'}", "{'q':'say \\'1.5\\' {'k':[1,2]}'}");
  tmpl("an unknown placeholder stays as written", "{'h': '<nope>', 'i': <b}", "{'h':'<nope>','i':<b}");
  tmpl("predefined: rule ARN and name, unquoted and quoted",
       "{'arn': <aws.events.rule-arn>, 'msg': '<aws.events.rule-name> triggered'}",
       "{'arn':'arn:aws:events:us-east-1:123456789012:rule/r1','msg':'r1 triggered'}");
  tmpl("predefined: the event without its detail", "{'e': <aws.events.event>}",
       "{'e':{'version':'0','id':'i','detail-type':'T','source':'s','account':'1','time':'t','region':'r','resources':[]}}");
  tmpl("predefined: the whole event", "<aws.events.event.json>", EVENT);
  tmpl("predefined: ingestion time", "{'at': <aws.events.event.ingestion-time>}", "{'at':'2026-01-02T03:04:05Z'}");
  tmpl("a string template", "'instance <s> is <n>'", "'instance a'b is 1.5'");
  tmpl("a template that is not JSON: values as text, spaces kept", "<s> is in state  <o> at <aws.events.event.ingestion-time>",
       "a'b is in state  {'k':[1,2]} at 2026-01-02T03:04:05Z");

  tmpl("refused: a placeholder as a key", "{'a': 1, '<s>': 2}",
       "!InputTemplate: the placeholder <s> cannot be used as an object key");
  tmpl("refused: a placeholder as a key, unquoted", "[{'a': {'b': 1}, <s>: 2}]",
       "!InputTemplate: the placeholder <s> cannot be used as an object key");
  tmpl("a placeholder as a value after a nested object", "{'a': {'b': [1, {}]}, 'c': '<s>'}",
       "{'a':{'b':[1,{}]},'c':'a'b'}");
  tmpl("a placeholder in an array of objects", "[{'k': <n>}, '<n>']", "[{'k':1.5},'1.5']");
  render("no input: the event", (struct rt_target){0}, EVENT);
  render("constant Input, as is", (struct rt_target){.input = "{ \"a\" : 1 }"}, "{ 'a' : 1 }");
  render("InputPath: an object", (struct rt_target){.input_path = "$.detail.o"}, "{'k':[1,2]}");
  render("InputPath: a string", (struct rt_target){.input_path = "$.detail.s"}, "'a\\'b'");
  render("InputPath: $", (struct rt_target){.input_path = "$"}, EVENT);
  render("InputPath: nothing selected", (struct rt_target){.input_path = "$.detail.missing"}, "");

  render("refused: Input not JSON", (struct rt_target){.input = "{a}"}, "!Input is not valid JSON");
  render("refused: two inputs", (struct rt_target){.input = "{}", .input_path = "$"},
         "!a target takes only one of Input, InputPath and InputTransformer");
  render("refused: bracket notation", (struct rt_target){.input_path = "$['detail']"},
         "!InputPath: '$['detail']' is not a path EventBridge evaluates");
  render("refused: deep scan", (struct rt_target){.input_path = "$..s"}, "!InputPath: '$..s' is not a path");
  render("refused: no $", (struct rt_target){.input_path = "detail"}, "!InputPath: 'detail' is not a path");
  render("refused: empty template", (struct rt_target){.input_template = ""}, "!InputTemplate is 1 to 8192 characters, not 0");
  struct rt_input_var bad[] = {{"aws.events.rule-name", "$.x"}};
  render("refused: a predefined name", (struct rt_target){.vars = bad, .nvars = 1, .input_template = "<x>"},
         "!InputPathsMap: 'aws.events.rule-name' is a predefined variable");
  bad[0].name = "AWSKey";
  render("refused: AWS prefix", (struct rt_target){.vars = bad, .nvars = 1, .input_template = "<x>"},
         "!InputPathsMap: a key cannot start with AWS: 'AWSKey'");
  bad[0].name = "a.b";
  render("refused: a dot in a key", (struct rt_target){.vars = bad, .nvars = 1, .input_template = "<x>"},
         "!InputPathsMap: a key is 1 to 256 letters, digits, '_' or '-', not 'a.b'");
  bad[0].name = "k";
  bad[0].path = "$.a[?(@.b)]";
  render("refused: a filter", (struct rt_target){.vars = bad, .nvars = 1, .input_template = "<k>"},
         "!InputPathsMap: '$.a[?(@.b)]' is not a path");
  struct rt_input_var twice[] = {{"k", "$.a"}, {"k", "$.b"}};
  render("refused: a key twice", (struct rt_target){.vars = twice, .nvars = 2, .input_template = "<k>"},
         "!InputPathsMap: the key 'k' is given twice");
  struct rt_input_var many[101];
  char names[101][16];
  for (int i = 0; i < 101; i++) {
    snprintf(names[i], sizeof names[i], "v%d", i);
    many[i] = (struct rt_input_var){names[i], "$.id"};
  }
  char long_input[8194], long_path[258];
  memset(long_input, 'a', sizeof long_input - 1);
  long_input[0] = long_input[8192] = '"';
  long_input[8193] = '\0';
  render("refused: Input past 8192 characters", (struct rt_target){.input = long_input},
         "!Input is at most 8192 characters, not 8193");
  long_input[8192] = '\0';
  long_input[8191] = '"';
  render("Input of 8192 characters", (struct rt_target){.input = long_input}, long_input);
  memset(long_path, 'a', sizeof long_path - 1);
  long_path[0] = '$';
  long_path[1] = '.';
  long_path[257] = '\0';
  render("refused: a path past 256 characters", (struct rt_target){.input_path = long_path},
         "!InputPath: a path is at most 256 characters, not 257");
  long_path[256] = '\0';
  render("a path of 256 characters selecting nothing", (struct rt_target){.input_path = long_path}, "");
  char long_name[257], long_tmpl[260];
  memset(long_name, 'k', 256);
  long_name[256] = '\0';
  snprintf(long_tmpl, sizeof long_tmpl, "<%s>", long_name);
  struct rt_input_var longest[] = {{long_name, "$.id"}};
  render("a key of 256 characters", (struct rt_target){.vars = longest, .nvars = 1, .input_template = long_tmpl}, "i");
  render("100 variables", (struct rt_target){.vars = many, .nvars = 100, .input_template = "<v0><v99>"}, "ii");
  render("refused: 101 variables", (struct rt_target){.vars = many, .nvars = 101, .input_template = "<v0>"},
         "!InputPathsMap has at most 100 entries, not 101");
}

static void test_scheduler(void) {
  struct rt_schedule_call call = {"arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly", "d32c5kddcf5bb8c3",
                                  at("2022-03-22T18:59:43Z"), 2};
  char *t = rt_scheduler_input("{\"arn\":\"<aws.scheduler.schedule-arn>\",\"at\":\"<aws.scheduler.scheduled-time>\","
                               "\"id\":\"<aws.scheduler.execution-id>\",\"n\":<aws.scheduler.attempt-number>,"
                               "\"other\":\"<aws.scheduler.other> <x>\"}", &call);
  check("scheduler: every context attribute, others kept", t,
        "{'arn':'arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly','at':'2022-03-22T18:59:43Z',"
        "'id':'d32c5kddcf5bb8c3','n':2,'other':'<aws.scheduler.other> <x>'}");
  free(t);
  t = rt_scheduler_input("<aws.scheduler.attempt-number><aws.scheduler.attempt-number>", &call);
  check("scheduler: adjacent placeholders", t, "22");
  free(t);
  t = rt_scheduler_input(NULL, &call);
  check("scheduler: no Input", t, "{}");
  free(t);
}

int main(void) {
  test_time();
  test_s3();
  test_scheduled_and_ids();
  test_status_change();
  test_entries();
  test_transform();
  test_scheduler();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
