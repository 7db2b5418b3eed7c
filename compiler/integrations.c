/* integrations.c: the table of AWS service integrations a task can use.
 *
 * One row per task kind: how it is written, the ASL resource it compiles to, which
 * declared resource it targets, which run patterns it supports, where its `with`
 * goes, and the IAM actions and resources it needs. check.c validates tasks against
 * this table, emit_asl.c builds Parameters from it, and iam.c derives the
 * permissions from it, so the three cannot disagree.
 */
#include "sfc.h"

#include <string.h>

/* The IAM needs of each row (struct iam_need), expanded by iam.c. Resource patterns:
     {arn}         the target's ARN (for `start`, the state machine's); {name}: its last
                   part after ':'
     {bus}         the bus of an event sent (one grant for each event of an emit)
     {on}          every ARN `on` names; {on-roles}: the IAM roles among them, which a
                   job runs as (no grant when there are none); {on-others}: the rest
     {connection}  an HTTP task's connection; {method} and {url} its method and URL
     {partition}, {region}, {account}; "*" is any resource of the action
   The action {action} is the IAM action of a `call`'s "service:action". */
#define ALWAYS(actions, resources) {IAM_ALWAYS, actions, resources, NULL, NULL}
#define SYNC(actions, resources) {IAM_SYNC, actions, resources, NULL, NULL}
#define NOTHING {0, NULL, NULL, NULL, NULL}
#define EVENTS_RULE(name) "arn:{partition}:events:{region}:{account}:rule/" name
#define MANAGED_RULE "events:PutTargets events:PutRule events:DescribeRule"
static const struct integration integrations[] = {
    {T_INVOKE, "invoke", "lambda:invoke", R_LAMBDA, PATTERN_CALLBACK, 0, "FunctionName",
     "Payload", true, {ALWAYS("lambda:InvokeFunction", "{arn} {arn}:*")}},
    /* workers poll activities; the state machine needs nothing */
    {T_ACTIVITY, "activity", NULL, R_ACTIVITY, 0, 0, NULL, NULL, false, {NOTHING}},
    /* its needs follow from the ARN it names (iam.c) */
    {T_RESOURCE, "resource", NULL, -1, 0, 0, NULL, NULL, false, {NOTHING}},
    /* a declared function's ARN as the Resource: the direct invocation, as invoke's */
    {T_RESOURCE_LAMBDA, "resource", NULL, R_LAMBDA, 0, 0, NULL, NULL, false,
     {ALWAYS("lambda:InvokeFunction", "{arn} {arn}:*")}},
    {T_EMIT, "emit", "events:putEvents", -1, PATTERN_CALLBACK, 0, NULL, "Detail", true,
     {ALWAYS("events:PutEvents", "{bus}")}},
    {T_PUBLISH, "publish", "sns:publish", R_TOPIC, PATTERN_CALLBACK, 0, "TopicArn", "Message",
     true, {ALWAYS("sns:Publish", "{arn}")}},
    {T_SEND, "send", "sqs:sendMessage", R_QUEUE, PATTERN_CALLBACK, 0, "QueueUrl", "MessageBody",
     true, {ALWAYS("sqs:SendMessage", "{arn}")}},
    {T_GET, "get", "dynamodb:getItem", R_TABLE, 0, 0, "TableName", NULL, false,
     {ALWAYS("dynamodb:GetItem", "{arn}")}},
    {T_PUT, "put", "dynamodb:putItem", R_TABLE, 0, 0, "TableName", NULL, false,
     {ALWAYS("dynamodb:PutItem", "{arn}")}},
    {T_UPDATE, "update", "dynamodb:updateItem", R_TABLE, 0, 0, "TableName", NULL, false,
     {ALWAYS("dynamodb:UpdateItem", "{arn}")}},
    {T_DELETE, "delete", "dynamodb:deleteItem", R_TABLE, 0, 0, "TableName", NULL, false,
     {ALWAYS("dynamodb:DeleteItem", "{arn}")}},
    /* `sync` watches the child execution through a rule Step Functions manages */
    {T_START, "start", "states:startExecution", R_STATEMACHINE,
     PATTERN_CALLBACK | PATTERN_SYNC, PATTERN_SYNC2, "StateMachineArn", "Input", true,
     {ALWAYS("states:StartExecution", "{arn}"),
      SYNC("states:DescribeExecution states:StopExecution",
           "arn:{partition}:states:{region}:{account}:execution:{name}:*"),
      SYNC(MANAGED_RULE, EVENTS_RULE("StepFunctionsGetEventsForStepFunctionsExecutionRule"))}},
    {T_CALL, "call", NULL, -1, PATTERN_CALLBACK, 0, NULL, NULL, false,
     {ALWAYS("{action}", "{on}")}},
    /* InvokeHTTPEndpoint has no resource type: it is scoped by its conditions instead */
    {T_HTTP, "http", "http:invoke", -1, 0, 0, NULL, NULL, false,
     {{IAM_ALWAYS, "states:InvokeHTTPEndpoint", "*",
       "StringEquals states:HTTPMethod {method} StringLike states:HTTPEndpoint {url}", "Http"},
      ALWAYS("events:RetrieveConnectionCredentials", "{connection}"),
      ALWAYS("secretsmanager:DescribeSecret secretsmanager:GetSecretValue",
             "arn:{partition}:secretsmanager:{region}:{account}:secret:events!connection/*")}},
    {T_RUN_ECS, "run ecs", "ecs:runTask", -1, PATTERN_CALLBACK | PATTERN_SYNC, PATTERN_SYNC, NULL,
     NULL, false,
     {ALWAYS("iam:PassRole", "{on-roles}"),
      ALWAYS("ecs:RunTask", "{on-others}"),
      SYNC("ecs:DescribeTasks ecs:StopTask", "arn:{partition}:ecs:{region}:{account}:task/*"),
      SYNC(MANAGED_RULE, EVENTS_RULE("StepFunctionsGetEventsForECSTaskRule"))}},
    /* the run's status and stop act on the job itself */
    {T_RUN_GLUE, "run glue", "glue:startJobRun", -1, PATTERN_SYNC, PATTERN_SYNC, NULL, NULL,
     false,
     {ALWAYS("iam:PassRole", "{on-roles}"),
      SYNC("glue:GetJobRun glue:GetJobRuns glue:BatchStopJobRun", "{on-others}"),
      ALWAYS("glue:StartJobRun", "{on-others}")}},
    /* DescribeJobs has no resource type (IAM takes only "*"); TerminateJob acts on jobs */
    {T_RUN_BATCH, "run batch", "batch:submitJob", -1, PATTERN_SYNC, PATTERN_SYNC, NULL, NULL,
     false,
     {ALWAYS("iam:PassRole", "{on-roles}"),
      ALWAYS("batch:SubmitJob", "{on-others}"),
      SYNC("batch:DescribeJobs", "*"),
      SYNC("batch:TerminateJob", "arn:{partition}:batch:{region}:{account}:job/*"),
      SYNC(MANAGED_RULE, EVENTS_RULE("StepFunctionsGetEventsForBatchJobsRule"))}},
};

const struct integration *integration_for(enum task_kind task) {
  for (size_t i = 0; i < sizeof integrations / sizeof *integrations; i++)
    if (integrations[i].task == task) return &integrations[i];
  return NULL;
}

/* `run ecs`, `run glue`, `run batch`: the word after run picks the row. */
bool run_task_kind(const char *word, enum task_kind *out) {
  for (size_t i = 0; i < sizeof integrations / sizeof *integrations; i++) {
    const char *verb = integrations[i].verb;
    if (strncmp(verb, "run ", 4) == 0 && strcmp(verb + 4, word) == 0) {
      *out = integrations[i].task;
      return true;
    }
  }
  return false;
}
