/* event.c: events in the shapes AWS sends them (events.h), and `sfc event`, which
 * prints one.
 *
 * What AWS derives from its own state (an event's id, an S3 object's etag, sequencer
 * and request id) is derived here from the event's content and time with SHA-256, so
 * the same arguments print the same bytes.
 *
 * Exit codes of `sfc event` (README, "Making events"): 0 printed, 2 bad usage, 3 input
 * AWS would refuse (a bucket name, a status, a PutEvents entry, JSON).
 */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"
#include "runtime.h"
#include "events.h"
#include "interp.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The time of every event `sfc event` prints unless --time says otherwise. */
#define DEFAULT_TIME "2024-01-01T00:00:00Z" /* the runtime's default start: sfc simulate's clock */

static const char *or_default(const char *s, const char *dflt) { return s ? s : dflt; }
#define ACCOUNT(e) or_default((e)->account, "123456789012")
#define REGION(e) or_default((e)->region, "us-east-1")
#define PARTITION(e) or_default((e)->partition, "aws")

static void sha256(const char *text, size_t len, unsigned char out[32]) {
  unsigned int size = 0;
  EVP_Digest(text, len, out, &size, EVP_sha256(), NULL);
}

static void hex(const unsigned char *bytes, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

static bool valid_utf8(const char *s) {
  for (size_t n = strlen(s), k; n; s += k, n -= k)
    if (!(k = utf8_decode((const unsigned char *)s, n, NULL))) return false;
  return true;
}

void rt_event_time(int64_t ms, char out[32]) {
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rest = secs - days * 86400, y;
  int m, d;
  rt_civil_from_days(days, &y, &m, &d);
  snprintf(out, 32, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d, (int)(rest / 3600),
           (int)(rest / 60 % 60), (int)(rest % 60));
}

json_t *rt_event(const struct rt_envelope *e, const char *source, const char *detail_type,
                 const json_t *resources, const json_t *detail) {
  char time[32];
  rt_event_time(e->time_ms, time);
  json_t *ev = json_object();
  json_object_set_new(ev, "version", json_string("0"));
  json_object_set_new(ev, "id", json_string(e->id ? e->id : ""));
  json_object_set_new(ev, "detail-type", json_string(detail_type));
  json_object_set_new(ev, "source", json_string(source));
  json_object_set_new(ev, "account", json_string(ACCOUNT(e)));
  json_object_set_new(ev, "time", json_string(time));
  json_object_set_new(ev, "region", json_string(REGION(e)));
  json_object_set_new(ev, "resources", resources ? json_deep_copy(resources) : json_array());
  json_object_set_new(ev, "detail", json_deep_copy(detail));
  if (!e->id) {
    /* the text with an empty id holds everything else, time included */
    char *text = rt_json_text(ev);
    unsigned char h[32];
    sha256(text, strlen(text), h);
    free(text);
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x40); /* version 4 */
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    char x[33], id[37];
    hex(h, 16, x);
    snprintf(id, sizeof id, "%.8s-%.4s-%.4s-%.4s-%.12s", x, x + 8, x + 12, x + 16, x + 20);
    json_object_set_new(ev, "id", json_string(id));
  }
  return ev;
}

json_t *rt_event_s3(const struct rt_envelope *e, const char *bucket, const char *action,
                    const char *key, int64_t size, char **why) {
  bool created = !strcmp(action, "created");
  if (!created && strcmp(action, "deleted")) {
    *why = ip_xasprintf("an S3 object event is 'created' or 'deleted', not '%s'", action);
    return NULL;
  }
  const char *bad = name_check(NAME_BUCKET, bucket, strlen(bucket), NULL);
  if (bad) {
    *why = ip_xasprintf("invalid bucket name '%s': %s", bucket, bad);
    return NULL;
  }
  size_t key_len = strlen(key);
  if (key_len < 1 || key_len > 1024 || !valid_utf8(key)) { /* S3 User Guide, "Naming objects" */
    *why = ip_xasprintf("an object key is 1 to 1024 bytes of UTF-8, not %zu", key_len);
    return NULL;
  }
  if (size < 0) {
    *why = ip_xasprintf("an object's size is at least 0, not %" PRId64, size);
    return NULL;
  }
  /* What S3 computes from the object and its request, made from what is known of it. */
  char *content = created ? ip_xasprintf("%s/%s#%" PRId64, bucket, key, size) : ip_xasprintf("%s/%s", bucket, key);
  unsigned char h[32];
  sha256(content, strlen(content), h);
  free(content);
  char etag[33], sequencer[17], request_id[17];
  hex(h, 16, etag);
  /* a sequencer orders the events of one key: the time first, as S3's grow */
  snprintf(sequencer, sizeof sequencer, "%012" PRIx64 "%02x%02x", (uint64_t)e->time_ms & 0xffffffffffffu,
           h[16], h[17]);
  static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (int i = 0; i < 16; i++) request_id[i] = alnum[h[16 + i] % 36];
  request_id[16] = '\0';

  json_t *object = json_object();
  json_object_set_new(object, "key", json_string(key));
  if (created) json_object_set_new(object, "size", json_integer(size));
  json_object_set_new(object, "etag", json_string(etag));
  json_object_set_new(object, "sequencer", json_string(sequencer));
  json_t *detail = json_object();
  json_object_set_new(detail, "version", json_string("0"));
  json_object_set_new(detail, "bucket", json_pack("{s:s}", "name", bucket));
  json_object_set_new(detail, "object", object);
  json_object_set_new(detail, "request-id", json_string(request_id));
  json_object_set_new(detail, "requester", json_string(ACCOUNT(e)));
  json_object_set_new(detail, "source-ip-address", json_string("127.0.0.1"));
  json_object_set_new(detail, "reason", json_string(created ? "PutObject" : "DeleteObject"));
  if (!created) json_object_set_new(detail, "deletion-type", json_string("Permanently Deleted"));
  char *arn = ip_xasprintf("arn:%s:s3:::%s", PARTITION(e), bucket);
  json_t *resources = json_pack("[s]", arn);
  free(arn);
  json_t *ev = rt_event(e, "aws.s3", created ? "Object Created" : "Object Deleted", resources, detail);
  json_decref(resources);
  json_decref(detail);
  return ev;
}

json_t *rt_event_scheduled(const struct rt_envelope *e, const char *rule_arn) {
  json_t *resources = json_pack("[s]", rule_arn), *detail = json_object();
  json_t *ev = rt_event(e, "aws.events", "Scheduled Event", resources, detail);
  json_decref(resources);
  json_decref(detail);
  return ev;
}

static const char *const execution_statuses[] = {"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT",
                                                 "ABORTED", "PENDING_REDRIVE"};

static bool execution_status(const char *s) {
  for (size_t i = 0; i < sizeof execution_statuses / sizeof *execution_statuses; i++)
    if (!strcmp(s, execution_statuses[i])) return true;
  return false;
}

/* The execution's ARN: the state machine's with :stateMachine: made :execution:, and
   :NAME after it; NULL when STATE_MACHINE_ARN is not a state machine's. */
static char *execution_arn(const char *state_machine_arn, const char *name) {
  const char *at = strstr(state_machine_arn, ":stateMachine:");
  if (!at || !at[strlen(":stateMachine:")]) return NULL;
  return ip_xasprintf("%.*s:execution:%s:%s", (int)(at - state_machine_arn), state_machine_arn,
                   at + strlen(":stateMachine:"), name);
}

static json_t *string_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *rt_event_status_change(const struct rt_envelope *e, const struct rt_status_change *s) {
  char *exec = execution_arn(s->state_machine_arn, s->execution_name);
  if (!exec || !execution_status(s->status)) {
    free(exec);
    return NULL;
  }
  json_t *d = json_object();
  json_object_set_new(d, "executionArn", json_string(exec));
  json_object_set_new(d, "stateMachineArn", json_string(s->state_machine_arn));
  json_object_set_new(d, "name", json_string(s->execution_name));
  json_object_set_new(d, "status", json_string(s->status));
  json_object_set_new(d, "startDate", json_integer(s->start_ms));
  json_object_set_new(d, "stopDate", s->stop_ms < 0 ? json_null() : json_integer(s->stop_ms));
  json_object_set_new(d, "input", string_or_null(s->input));
  json_object_set_new(d, "output", string_or_null(s->output));
  json_object_set_new(d, "inputDetails", json_pack("{s:b}", "included", 1));
  /* null until there is an output, as in AWS's RUNNING example */
  json_object_set_new(d, "outputDetails", s->output ? json_pack("{s:b}", "included", 1) : json_null());
  json_object_set_new(d, "error", string_or_null(s->error));
  json_object_set_new(d, "cause", string_or_null(s->cause));
  json_t *resources = json_pack("[s]", exec);
  json_t *ev = rt_event(e, "aws.states", "Step Functions Execution Status Change", resources, d);
  json_decref(resources);
  json_decref(d);
  free(exec);
  return ev;
}

/* PutEvents' InvalidArgument for a missing field, as its FailedEntries word it. */
static json_t *missing(const char *field, char **why) {
  *why = ip_xasprintf("InvalidArgument: Parameter %s is not valid. Reason: %s is a required argument.",
                   field, field);
  return NULL;
}

static json_t *invalid(const char *field, const char *reason, char **why) {
  *why = ip_xasprintf("InvalidArgument: Parameter %s is not valid. Reason: %s", field, reason);
  return NULL;
}

json_t *rt_event_from_entry(const struct rt_envelope *e, const json_t *entry, char **why) {
  if (!json_is_object(entry)) return invalid("Entries", "an entry is a JSON object.", why);
  static const char *const required[] = {"Source", "DetailType", "Detail"};
  for (int i = 0; i < 3; i++) {
    const json_t *v = json_object_get(entry, required[i]);
    if (!v || json_is_null(v)) return missing(required[i], why);
    if (!json_is_string(v)) return invalid(required[i], "it is a string.", why);
  }
  const char *source = json_string_value(json_object_get(entry, "Source"));
  const char *detail_type = json_string_value(json_object_get(entry, "DetailType"));
  json_t *detail = json_loads(json_string_value(json_object_get(entry, "Detail")), JSON_DECODE_ANY, NULL);
  if (!json_is_object(detail)) {
    json_decref(detail);
    *why = xstrdup("MalformedDetail: Detail is malformed.");
    return NULL;
  }
  struct rt_envelope env = *e;
  const json_t *t = json_object_get(entry, "Time"), *res = json_object_get(entry, "Resources");
  /* Time as the JSON protocol sends it (seconds since the epoch) or as RFC 3339 text */
  bool time_ok = !t || json_is_null(t) ||
                 (json_is_string(t) && rt_parse_timestamp(json_string_value(t), &env.time_ms));
  if (json_is_number(t) && fabs(json_number_value(t)) < 1e12) {
    env.time_ms = (int64_t)(json_number_value(t) * 1000);
    time_ok = true;
  }
  if (!time_ok) {
    json_decref(detail);
    return invalid("Time", "it is a timestamp per RFC 3339.", why);
  }
  bool strings = json_is_array(res);
  for (size_t i = 0; strings && i < json_array_size(res); i++) strings = json_is_string(json_array_get(res, i));
  if (res && !json_is_null(res) && !strings) {
    json_decref(detail);
    return invalid("Resources", "it is a list of ARNs.", why);
  }
  json_t *ev = rt_event(&env, source, detail_type, json_is_array(res) ? res : NULL, detail);
  json_decref(detail);
  return ev;
}

/* ---------------------------------------------------------------- sfc event */

enum event_option {
  EV_ACCOUNT, EV_REGION, EV_TIME, EV_ID, EV_SIZE, EV_INPUT, EV_OUTPUT, EV_ERROR,
  EV_CAUSE, EV_START, EV_BUS, EV_RESOURCES, EV_COUNT
};
static const char *const option_names[EV_COUNT] = {
    "--account", "--region", "--time", "--id", "--size", "--input", "--output", "--error",
    "--cause", "--start", "--bus", "--resources"};
#define BIT(o) (1u << (o))
#define COMMON (BIT(EV_ACCOUNT) | BIT(EV_REGION) | BIT(EV_TIME) | BIT(EV_ID))

enum kind { K_S3, K_SCHEDULED, K_STATUS, K_PUT, K_SCHEDULER, K_COUNT };
static const struct {
  const char *name;
  int args;          /* positional arguments after the kind */
  unsigned options;  /* the options it takes */
  const char *positionals; /* its arguments, for a message */
  const char *usage; /* its synopsis and what it prints */
} kinds[K_COUNT] = {
    [K_S3] = {"s3", 3, COMMON | BIT(EV_SIZE), "BUCKET created|deleted KEY",
              "s3 BUCKET created|deleted KEY [--size N]\n"
              "    S3's Object Created (reason PutObject, SIZE bytes, default 0) or Object\n"
              "    Deleted event, as S3 sends it to EventBridge's default bus\n"},
    [K_SCHEDULED] = {"scheduled", 1, COMMON, "RULE_ARN|RULE_NAME",
                     "scheduled RULE_ARN|RULE_NAME\n"
                     "    a scheduled rule's Scheduled Event (a name is made the ARN of a rule\n"
                     "    on the default bus)\n"},
    [K_STATUS] = {"status-change", 3,
                  COMMON | BIT(EV_INPUT) | BIT(EV_OUTPUT) | BIT(EV_ERROR) | BIT(EV_CAUSE) | BIT(EV_START),
                  "STATE_MACHINE_ARN EXECUTION_NAME STATUS",
                  "status-change STATE_MACHINE_ARN EXECUTION_NAME STATUS [--input JSON]\n"
                  "    [--output JSON] [--error E] [--cause C] [--start TIMESTAMP]\n"
                  "    the Step Functions Execution Status Change event; STATUS is RUNNING,\n"
                  "    SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE; the execution\n"
                  "    started at --start (default: --time) and, unless RUNNING, stopped at\n"
                  "    --time\n"},
    [K_PUT] = {"put", 3, COMMON | BIT(EV_BUS) | BIT(EV_RESOURCES), "SOURCE DETAIL_TYPE DETAIL_JSON",
               "put SOURCE DETAIL_TYPE DETAIL_JSON [--bus BUS] [--resources ARN,...]\n"
               "    the event EventBridge makes of a PutEvents entry, checked as PutEvents\n"
               "    checks it\n"},
    [K_SCHEDULER] = {"scheduler", 1, COMMON | BIT(EV_INPUT), "SCHEDULE_ARN",
                     "scheduler SCHEDULE_ARN [--input TEXT]\n"
                     "    the input an EventBridge Scheduler schedule gives its target, its\n"
                     "    <aws.scheduler.*> placeholders filled (printed as text)\n"},
};

static const char event_options[] =
    "options:\n"
    "  --account A     the account (default 123456789012)\n"
    "  --region R      the Region (default us-east-1)\n"
    "  --time TS       the event's (or the scheduled invocation's) time, e.g.\n"
    "                  2024-05-01T12:00:00Z (default " DEFAULT_TIME ")\n"
    "  --id ID         the event's id (default: a UUID derived from the event); for\n"
    "                  scheduler, the execution id (default: derived from the ARN\n"
    "                  and the time)\n"
    "  -h, --help      show this help\n"
    "\n"
    "Output is deterministic: the same arguments print the same bytes.\n"
    "exit codes: 0 printed, 2 bad usage, 3 input AWS would refuse\n";

static void print_help(int kind) {
  if (kind < 0) {
    fputs("usage: sfc event KIND ARGS... [options]\n\n"
          "Prints an event as AWS sends it to EventBridge (pretty JSON), for `sfc match`\n"
          "and for testing rules and their targets. KIND is one of:\n\n", stdout);
    for (int k = 0; k < K_COUNT; k++) printf("  %s", kinds[k].usage);
    fputc('\n', stdout);
  } else {
    printf("usage: sfc event %s\n", kinds[kind].usage);
  }
  fputs(event_options, stdout);
}

static int usage(int kind, const char *fmt, const char *arg) {
  fputs("sfc: error: ", stderr);
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'sfc event %s%s--help'.\n", kind >= 0 ? kinds[kind].name : "", kind >= 0 ? " " : "");
  return EXIT_USAGE;
}

static int refused(char *why) {
  fprintf(stderr, "sfc: error: %s\n", why);
  free(why);
  return EXIT_IO;
}

static bool all_of(const char *s, const char *set, size_t min, size_t max) {
  size_t n = strlen(s);
  return n >= min && n <= max && strspn(s, set) == n;
}

static void print_event(json_t *ev) {
  struct buf b = {0};
  json_write(&b, ev);
  fwrite(b.data, 1, b.len, stdout);
  buf_free(&b);
  json_decref(ev);
}

/* --resources ARN,ARN: a JSON array */
static json_t *split_list(const char *list) {
  json_t *a = json_array();
  for (const char *p = list;;) {
    size_t n = strcspn(p, ",");
    json_array_append_new(a, json_stringn(p, n));
    if (!p[n]) break;
    p += n + 1;
  }
  return a;
}

static int event_s3(const struct rt_envelope *e, char **pos, const char *size_arg) {
  int64_t size = 0;
  if (size_arg) {
    char *end;
    errno = 0;
    long long n = strtoll(size_arg, &end, 10);
    if (!*size_arg || *end || errno || n < 0) return usage(K_S3, "--size takes a number of bytes, not '%s'", size_arg);
    size = n;
  }
  if (size_arg && strcmp(pos[1], "created")) return usage(K_S3, "%s", "--size is for a created object");
  char *why = NULL;
  json_t *ev = rt_event_s3(e, pos[0], pos[1], pos[2], size, &why);
  if (!ev) return refused(why);
  print_event(ev);
  return EXIT_OK;
}

static int event_scheduled(const struct rt_envelope *e, const char *rule) {
  if (!strncmp(rule, "arn:", 4)) {
    print_event(rt_event_scheduled(e, rule));
    return EXIT_OK;
  }
  const char *bad = name_check(NAME_RULE, rule, strlen(rule), NULL);
  if (bad) return refused(ip_xasprintf("invalid rule name '%s': %s", rule, bad));
  char *arn = ip_xasprintf("arn:%s:events:%s:%s:rule/%s", PARTITION(e), REGION(e), ACCOUNT(e), rule);
  print_event(rt_event_scheduled(e, arn));
  free(arn);
  return EXIT_OK;
}

/* The text of --input or --output: JSON, as an execution's input and output are. */
static bool json_text(const char *option, const char *text, int *status) {
  json_error_t err;
  json_t *v = text ? json_loads(text, JSON_DECODE_ANY, &err) : NULL;
  if (text && !v) {
    fprintf(stderr, "sfc: error: %s: not JSON: %s (column %d)\n", option, err.text, err.column);
    *status = EXIT_IO;
  }
  json_decref(v);
  return !text || v;
}

static int event_status(const struct rt_envelope *e, char **pos, const char *const *opt) {
  struct rt_status_change s = {pos[0], pos[1], pos[2], opt[EV_INPUT], opt[EV_OUTPUT],
                               opt[EV_ERROR], opt[EV_CAUSE], e->time_ms, e->time_ms};
  if (opt[EV_START] && !rt_parse_timestamp(opt[EV_START], &s.start_ms))
    return usage(K_STATUS, "--start takes a timestamp such as 2026-05-01T12:00:00Z, not '%s'", opt[EV_START]);
  if (!execution_status(s.status))
    return refused(ip_xasprintf("an execution's status is RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or "
                             "PENDING_REDRIVE, not '%s'", s.status));
  if (!strstr(s.state_machine_arn, ":stateMachine:") || strncmp(s.state_machine_arn, "arn:", 4))
    return refused(ip_xasprintf("'%s' is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)",
                             s.state_machine_arn));
  const char *bad = name_check(NAME_EXECUTION, s.execution_name, strlen(s.execution_name), NULL);
  if (bad) return refused(ip_xasprintf("invalid execution name '%s': %s", s.execution_name, bad));
  int status = EXIT_OK;
  if (!json_text("--input", s.input, &status) || !json_text("--output", s.output, &status)) return status;
  if (!strcmp(s.status, "RUNNING")) s.stop_ms = -1;
  if (s.stop_ms >= 0 && s.stop_ms < s.start_ms)
    return usage(K_STATUS, "%s", "--start is after --time, when the execution stopped");
  json_t *ev = rt_event_status_change(e, &s);
  if (!ev) return refused(ip_xasprintf("'%s' is not a state machine ARN", s.state_machine_arn));
  print_event(ev);
  return EXIT_OK;
}

static int event_put(const struct rt_envelope *e, char **pos, const char *const *opt) {
  json_t *entry = json_pack("{s:s,s:s,s:s}", "Source", pos[0], "DetailType", pos[1], "Detail", pos[2]);
  if (opt[EV_RESOURCES]) json_object_set_new(entry, "Resources", split_list(opt[EV_RESOURCES]));
  if (opt[EV_BUS]) json_object_set_new(entry, "EventBusName", json_string(opt[EV_BUS]));
  char *why = NULL;
  json_t *ev = rt_event_from_entry(e, entry, &why);
  json_decref(entry);
  if (!ev) return refused(why);
  print_event(ev);
  return EXIT_OK;
}

static int event_scheduler(const struct rt_envelope *e, const char *arn, const char *input) {
  struct rt_schedule_call call = {arn, e->id, e->time_ms, 1};
  if (strncmp(arn, "arn:", 4) || !strstr(arn, ":schedule/"))
    return refused(ip_xasprintf("'%s' is not a schedule ARN (arn:aws:scheduler:REGION:ACCOUNT:schedule/GROUP/NAME)", arn));
  /* Scheduler's id of the invocation: 16 hex digits, here from the ARN and the time */
  char *seed = ip_xasprintf("%s@%" PRId64, arn, e->time_ms);
  unsigned char h[32];
  sha256(seed, strlen(seed), h);
  free(seed);
  char id[17];
  hex(h, 8, id);
  if (!call.execution_id) call.execution_id = id;
  char *text = rt_scheduler_input(input, &call);
  puts(text);
  free(text);
  return EXIT_OK;
}

int rt_cmd_event(int argc, char **argv) {
  int kind = -1;
  const char *opt[EV_COUNT] = {0};
  char *pos[3];
  int npos = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      print_help(kind);
      return EXIT_OK;
    }
    if (kind < 0) {
      for (int k = 0; k < K_COUNT; k++)
        if (!strcmp(a, kinds[k].name)) kind = k;
      if (kind < 0)
        return usage(-1, a[0] == '-' ? "expected KIND before '%s'" : "unknown KIND '%s': expected s3, scheduled, "
                                                                     "status-change, put or scheduler", a);
      continue;
    }
    if (a[0] == '-' && a[1] == '-') {
      int o = 0;
      while (o < EV_COUNT && strcmp(a, option_names[o])) o++;
      if (o == EV_COUNT || !(kinds[kind].options & BIT(o))) return usage(kind, "unknown option '%s'", a);
      if (i + 1 == argc) return usage(kind, "%s takes a value", a);
      opt[o] = argv[++i];
      continue;
    }
    if (npos == kinds[kind].args) return usage(kind, "unexpected argument '%s'", a);
    pos[npos++] = argv[i];
  }
  if (kind < 0) return usage(-1, "%s", "expected KIND: s3, scheduled, status-change, put or scheduler");
  if (npos < kinds[kind].args) return usage(kind, "expected %s", kinds[kind].positionals);

  for (int i = 0; i < argc; i++) /* every argument goes into JSON strings */
    if (!valid_utf8(argv[i])) return usage(kind, "an argument is not valid UTF-8: '%s'", shown(argv[i]));
  struct rt_envelope e = {opt[EV_ACCOUNT], opt[EV_REGION], NULL, 0, opt[EV_ID]};
  if (e.account && !all_of(e.account, "0123456789", 12, 12))
    return usage(kind, "--account takes 12 digits, not '%s'", e.account);
  if (e.region && !all_of(e.region, "abcdefghijklmnopqrstuvwxyz0123456789-", 1, 50))
    return usage(kind, "--region takes a Region such as us-east-1, not '%s'", e.region);
  if (e.id && !*e.id) return usage(kind, "%s", "--id takes a non-empty id");
  const char *time = opt[EV_TIME] ? opt[EV_TIME] : DEFAULT_TIME;
  if (!rt_parse_timestamp(time, &e.time_ms))
    return usage(kind, "--time takes a timestamp such as 2026-05-01T12:00:00Z, not '%s'", time);

  int status = EXIT_OK;
  switch ((enum kind)kind) {
  case K_S3: status = event_s3(&e, pos, opt[EV_SIZE]); break;
  case K_SCHEDULED: status = event_scheduled(&e, pos[0]); break;
  case K_STATUS: status = event_status(&e, pos, opt); break;
  case K_PUT: status = event_put(&e, pos, opt); break;
  case K_SCHEDULER: status = event_scheduler(&e, pos[0], opt[EV_INPUT]); break;
  case K_COUNT: break;
  }
  fflush(stdout);
  if (ferror(stdout) && status == EXIT_OK) status = EXIT_IO;
  return status;
}
