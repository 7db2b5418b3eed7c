/* events.h: events in the shapes AWS sends them, and what a target receives of them.
 *
 *   event.c      the events: an S3 notification through EventBridge, a scheduled rule's
 *                event, a Step Functions execution status change, a PutEvents entry
 *                turned into an event with its envelope; and `sfc event`, which prints them
 *   transform.c  a rule target's input (Input, InputPath, InputTransformer) and a
 *                Scheduler target's Input with its context placeholders, rendered as
 *                EventBridge and Scheduler render them
 *
 * The shapes are those of the reference (eventbridge-iam-terraform.md, sections A.13
 * and C). Everything is deterministic: an event's id is derived from what it holds
 * unless the caller names one, and its time is the caller's (virtual) time.
 *
 * Ownership: json_t * results are new references; char * results are malloc'd; the
 * arguments are borrowed.
 */
#ifndef SFC_EVENTS_H
#define SFC_EVENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* What every event's envelope holds besides source, detail-type and detail. */
struct rt_envelope {
  const char *account;   /* default 123456789012 */
  const char *region;    /* default us-east-1 */
  const char *partition; /* default aws */
  int64_t time_ms;       /* ms since the epoch; "time" is printed to the second, with Z */
  const char *id;        /* NULL: a UUID derived (SHA-256) from the event's content and time */
};

/* MS as an event's "time" prints it: 2026-01-01T00:00:00Z (to the second, UTC). Also
   the text of <aws.events.event.ingestion-time> and <aws.scheduler.scheduled-time>. */
void rt_event_time(int64_t ms, char out[32]);

/* {version "0", id, detail-type, source, account, time, region, resources, detail}, in
   that order. RESOURCES (an array, or NULL for []) and DETAIL (an object) are borrowed. */
json_t *rt_event(const struct rt_envelope *e, const char *source, const char *detail_type,
                 const json_t *resources, const json_t *detail);

/* S3 through EventBridge: ACTION is "created" (Object Created, reason PutObject, with
   SIZE bytes) or "deleted" (Object Deleted, reason DeleteObject, no size). NULL with
   *why for another action or a bucket name S3 does not allow. */
json_t *rt_event_s3(const struct rt_envelope *e, const char *bucket, const char *action,
                    const char *key, int64_t size, char **why);

/* A scheduled rule's "Scheduled Event" (source aws.events, detail {}), naming RULE_ARN. */
json_t *rt_event_scheduled(const struct rt_envelope *e, const char *rule_arn);

/* The "Step Functions Execution Status Change" event of one execution. STATUS is
   RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED; INPUT and OUTPUT are JSON text (NULL:
   null), ERROR and CAUSE may be NULL; STOP_MS < 0 is a null stopDate. NULL for another
   status or an ARN without ":stateMachine:NAME" (the caller says why). */
struct rt_status_change {
  const char *state_machine_arn, *execution_name, *status;
  const char *input, *output, *error, *cause;
  int64_t start_ms, stop_ms;
};
json_t *rt_event_status_change(const struct rt_envelope *e, const struct rt_status_change *s);

/* A PutEvents request entry (Source, DetailType, Detail as JSON text of an object,
   Resources, Time, EventBusName) as the event EventBridge puts on the bus. NULL with
   *why in PutEvents' words (an entry missing Detail, DetailType or Source, Detail that
   is not a JSON object: MalformedDetail) when EventBridge would refuse it. */
json_t *rt_event_from_entry(const struct rt_envelope *e, const json_t *entry, char **why);

/* sfc event KIND ...: prints the event. 0 printed, 2 usage, 3 invalid input. */
int rt_cmd_event(int argc, char **argv);

/* ---------------------------------------------------------------- transform.c */

struct rt_input_var {        /* one InputPathsMap entry: <name> takes the value at path */
  const char *name, *path;
};

/* A rule target: at most one of input, input_path, input_template (none: the event). */
struct rt_target {
  const char *rule_name, *rule_arn;
  const char *input;          /* Input: constant JSON text */
  const char *input_path;     /* InputPath */
  const struct rt_input_var *vars; /* InputTransformer.InputPathsMap */
  int nvars;
  const char *input_template; /* InputTransformer.InputTemplate */
};

/* What the target receives for EVENT, as text (a template need not give JSON), or NULL
   with *why (a path EventBridge would refuse). INGESTION_MS is the event's ingestion
   time, for <aws.events.event.ingestion-time>. */
char *rt_target_input(const struct rt_target *t, const json_t *event, int64_t ingestion_ms,
                      char **why);

/* A Scheduler target's Input with <aws.scheduler.schedule-arn>, <aws.scheduler.scheduled-time>,
   <aws.scheduler.execution-id> and <aws.scheduler.attempt-number> substituted. INPUT
   NULL: what Scheduler sends without one. */
struct rt_schedule_call {
  const char *schedule_arn, *execution_id;
  int64_t scheduled_ms;
  int attempt;                /* from 1 */
};
char *rt_scheduler_input(const char *input, const struct rt_schedule_call *call);

#endif
