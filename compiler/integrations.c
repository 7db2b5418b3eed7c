/* integrations.c: the table of AWS service integrations a task can use.
 *
 * One row per task kind: how it is written, the ASL resource it compiles to, which
 * declared resource it targets, which run patterns it supports, where its `with`
 * goes, and the IAM actions and resources it needs. check.c validates tasks against
 * this table, emit_asl.c builds Parameters from it, and the IAM backend reads the
 * permissions from it, so the three cannot disagree.
 */
#include "sfc.h"

#include <string.h>

/* IAM resource patterns: {arn} is the target's ARN, {name} its name, {region} and
   {account} the target account's; "*" means any resource of the action. */
static const struct integration integrations[] = {
    {T_INVOKE, "invoke", "lambda:invoke", R_LAMBDA, PATTERN_CALLBACK, 0, "FunctionName",
     "Payload", true, "lambda:InvokeFunction", NULL, "{arn} {arn}:*"},
    {T_ACTIVITY, "activity", NULL, R_ACTIVITY, 0, 0, NULL, NULL, false, NULL, NULL, NULL},
    {T_RESOURCE, "resource", NULL, -1, 0, 0, NULL, NULL, false, NULL, NULL, NULL},
    {T_EMIT, "emit", "events:putEvents", -1, PATTERN_CALLBACK, 0, NULL, "Detail", true,
     "events:PutEvents", NULL, "{bus}"},
    {T_PUBLISH, "publish", "sns:publish", R_TOPIC, PATTERN_CALLBACK, 0, "TopicArn", "Message",
     true, "sns:Publish", NULL, "{arn}"},
    {T_SEND, "send", "sqs:sendMessage", R_QUEUE, PATTERN_CALLBACK, 0, "QueueUrl", "MessageBody",
     true, "sqs:SendMessage", NULL, "{arn}"},
    {T_GET, "get", "dynamodb:getItem", R_TABLE, 0, 0, "TableName", NULL, false,
     "dynamodb:GetItem", NULL, "{arn}"},
    {T_PUT, "put", "dynamodb:putItem", R_TABLE, 0, 0, "TableName", NULL, false,
     "dynamodb:PutItem", NULL, "{arn}"},
    {T_UPDATE, "update", "dynamodb:updateItem", R_TABLE, 0, 0, "TableName", NULL, false,
     "dynamodb:UpdateItem", NULL, "{arn}"},
    {T_DELETE, "delete", "dynamodb:deleteItem", R_TABLE, 0, 0, "TableName", NULL, false,
     "dynamodb:DeleteItem", NULL, "{arn}"},
    {T_START, "start", "states:startExecution", R_STATEMACHINE,
     PATTERN_CALLBACK | PATTERN_SYNC, PATTERN_SYNC2, "StateMachineArn", "Input", true,
     "states:StartExecution",
     "states:DescribeExecution states:StopExecution events:PutTargets events:PutRule "
     "events:DescribeRule",
     "{arn}"},
    {T_CALL, "call", NULL, -1, PATTERN_CALLBACK, 0, NULL, NULL, false, NULL, NULL, NULL},
    {T_HTTP, "http", "http:invoke", -1, 0, 0, NULL, NULL, false,
     "states:InvokeHTTPEndpoint events:RetrieveConnectionCredentials "
     "secretsmanager:GetSecretValue secretsmanager:DescribeSecret",
     NULL, "*"},
    {T_RUN_ECS, "run ecs", "ecs:runTask", -1, PATTERN_CALLBACK | PATTERN_SYNC, PATTERN_SYNC, NULL,
     NULL, false, "ecs:RunTask",
     "ecs:StopTask ecs:DescribeTasks events:PutTargets events:PutRule events:DescribeRule", "*"},
    {T_RUN_GLUE, "run glue", "glue:startJobRun", -1, PATTERN_SYNC, PATTERN_SYNC,
     NULL, NULL, false, "glue:StartJobRun", "glue:GetJobRun glue:GetJobRuns glue:BatchStopJobRun",
     "*"},
    {T_RUN_BATCH, "run batch", "batch:submitJob", -1, PATTERN_SYNC, PATTERN_SYNC, NULL, NULL,
     false, "batch:SubmitJob",
     "batch:DescribeJobs batch:TerminateJob events:PutTargets events:PutRule events:DescribeRule",
     "*"},
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
