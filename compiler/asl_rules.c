/* asl_rules.c: facts of the Amazon States Language that more than one phase needs,
 * as tables and pure functions (a verdict back, no checker state): check.c judges .sf
 * values with them, asl_check.c judges ASL documents (hand-written or lowered), and
 * lower.c writes intrinsic calls by them.
 */
#include "sfc.h"

#include <string.h>

/* ------------------------------------------------------------ intrinsic functions */

static const struct intrinsic intrinsics[] = {
    {"format", "Format", 1, -1, true},
    {"to_json", "JsonToString", 1, 1, true},
    {"from_json", "StringToJson", 1, 1, false},
    {"array", "Array", 0, -1, false},
    {"partition", "ArrayPartition", 2, 2, false},
    {"contains", "ArrayContains", 2, 2, false},
    {"range", "ArrayRange", 3, 3, false},
    {"item", "ArrayGetItem", 2, 2, false},
    {"length", "ArrayLength", 1, 1, false},
    {"unique", "ArrayUnique", 1, 1, false},
    {"base64_encode", "Base64Encode", 1, 1, true},
    {"base64_decode", "Base64Decode", 1, 1, true},
    {"hash", "Hash", 2, 2, true},
    {"merge", "JsonMerge", 3, 3, false},
    {"random", "MathRandom", 2, 3, false},
    {"add", "MathAdd", 2, 2, false},
    {"split", "StringSplit", 2, 2, false},
    {"uuid", "UUID", 0, 0, true},
};

const struct intrinsic *find_intrinsic(const char *written) {
  bool asl = !strncmp(written, "States.", 7);
  for (size_t i = 0; i < sizeof intrinsics / sizeof *intrinsics; i++)
    if (!strcmp(written + (asl ? 7 : 0), asl ? intrinsics[i].asl : intrinsics[i].name))
      return &intrinsics[i];
  return NULL;
}

bool intrinsic_arity(const char *asl_name, int *min_args, int *max_args, bool *returns_string) {
  for (size_t i = 0; i < sizeof intrinsics / sizeof *intrinsics; i++) {
    if (strcmp(asl_name, intrinsics[i].asl) != 0) continue;
    *min_args = intrinsics[i].min_args;
    *max_args = intrinsics[i].max_args;
    *returns_string = intrinsics[i].returns_string;
    return true;
  }
  return false;
}

const struct intrinsic *intrinsic_at(size_t i) {
  return i < sizeof intrinsics / sizeof *intrinsics ? &intrinsics[i] : NULL;
}

const char *intrinsic_asl_name(const char *written) {
  const struct intrinsic *f = find_intrinsic(written);
  return f ? f->asl : NULL;
}

/* ------------------------------------------------------------ timestamps */

/* RFC 3339 date-time with an uppercase T and Z (or an offset), as ASL requires.
   Second 60 is RFC 3339's leap second (section 5.6 allows it): no AWS document or
   recorded response says Step Functions refuses one, so it is not refused here. */
bool asl_timestamp_valid(const char *s, size_t len) {
  int v[6];
  static const char shape[] = "dddd-dd-ddTdd:dd:dd";
  if (len < sizeof shape - 1) return false;
  for (size_t i = 0; i < sizeof shape - 1; i++) {
    if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i]) return false;
  }
  static const int field_at[] = {0, 5, 8, 11, 14, 17};
  for (int i = 0; i < 6; i++) {
    const char *p = s + field_at[i];
    v[i] = i == 0 ? (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0')
                  : (p[0] - '0') * 10 + (p[1] - '0');
  }
  if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]) || v[3] > 23 ||
      v[4] > 59 || v[5] > 60)
    return false;
  size_t i = sizeof shape - 1;
  if (i < len && s[i] == '.') {
    size_t digits = ++i;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++;
    if (i == digits) return false;
  }
  if (i < len && s[i] == 'Z') return i + 1 == len;
  if (i + 6 != len || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':') return false;
  for (size_t j = i + 1; j < len; j++)
    if (j != i + 3 && !(s[j] >= '0' && s[j] <= '9')) return false;
  return (s[i + 1] - '0') * 10 + (s[i + 2] - '0') <= 23 && (s[i + 4] - '0') * 10 + (s[i + 5] - '0') <= 59;
}

/* ------------------------------------------------------------ optimized integrations */

/* Task resources "arn:PARTITION:states:::SERVICE:ACTION[.PATTERN]" that are not
   aws-sdk: the optimized integrations and the run patterns each supports, from
   "Integrating services with Step Functions" in the AWS Step Functions Developer
   Guide (docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html and
   each service's page). grammar/LIMITS.md lists them too. The guide's table gives
   patterns per service, not per action: where a service takes a pattern and it is
   not known which of its actions do, every action of the service takes it (Bedrock
   and EKS wait for callbacks), so sfc never refuses what AWS may accept. */
static const struct {
  const char *action;
  unsigned patterns;
} optimized[] = {
    {"lambda:invoke", ASL_RESPONSE | ASL_TOKEN},
    {"batch:submitJob", ASL_RESPONSE | ASL_SYNC},
    {"dynamodb:getItem", ASL_RESPONSE},
    {"dynamodb:putItem", ASL_RESPONSE},
    {"dynamodb:updateItem", ASL_RESPONSE},
    {"dynamodb:deleteItem", ASL_RESPONSE},
    {"ecs:runTask", ASL_RESPONSE | ASL_SYNC | ASL_TOKEN},
    {"eks:createCluster", ASL_RESPONSE | ASL_SYNC | ASL_TOKEN},
    {"eks:deleteCluster", ASL_RESPONSE | ASL_SYNC | ASL_TOKEN},
    {"eks:createFargateProfile", ASL_RESPONSE | ASL_SYNC | ASL_TOKEN},
    {"eks:deleteFargateProfile", ASL_RESPONSE | ASL_SYNC | ASL_TOKEN},
    {"eks:createNodegroup", ASL_RESPONSE | ASL_SYNC | ASL_TOKEN},
    {"eks:deleteNodegroup", ASL_RESPONSE | ASL_SYNC | ASL_TOKEN},
    {"eks:runJob", ASL_RESPONSE | ASL_SYNC | ASL_TOKEN},
    {"eks:call", ASL_RESPONSE | ASL_TOKEN},
    {"elasticmapreduce:createCluster", ASL_RESPONSE | ASL_SYNC},
    {"elasticmapreduce:terminateCluster", ASL_RESPONSE | ASL_SYNC},
    {"elasticmapreduce:addStep", ASL_RESPONSE | ASL_SYNC},
    {"elasticmapreduce:cancelStep", ASL_RESPONSE},
    {"elasticmapreduce:setClusterTerminationProtection", ASL_RESPONSE},
    {"elasticmapreduce:modifyInstanceFleetByName", ASL_RESPONSE},
    {"elasticmapreduce:modifyInstanceGroupByName", ASL_RESPONSE},
    {"emr-containers:startJobRun", ASL_RESPONSE | ASL_SYNC},
    {"emr-containers:createVirtualCluster", ASL_RESPONSE},
    {"emr-containers:deleteVirtualCluster", ASL_RESPONSE | ASL_SYNC},
    {"emr-serverless:createApplication", ASL_RESPONSE | ASL_SYNC},
    {"emr-serverless:startApplication", ASL_RESPONSE | ASL_SYNC},
    {"emr-serverless:stopApplication", ASL_RESPONSE | ASL_SYNC},
    {"emr-serverless:deleteApplication", ASL_RESPONSE | ASL_SYNC},
    {"emr-serverless:startJobRun", ASL_RESPONSE | ASL_SYNC},
    {"emr-serverless:cancelJobRun", ASL_RESPONSE | ASL_SYNC},
    {"glue:startJobRun", ASL_RESPONSE | ASL_SYNC},
    {"databrew:startJobRun", ASL_RESPONSE | ASL_SYNC},
    {"sagemaker:createEndpoint", ASL_RESPONSE},
    {"sagemaker:createEndpointConfig", ASL_RESPONSE},
    {"sagemaker:createHyperParameterTuningJob", ASL_RESPONSE | ASL_SYNC},
    {"sagemaker:createLabelingJob", ASL_RESPONSE | ASL_SYNC},
    {"sagemaker:createModel", ASL_RESPONSE},
    {"sagemaker:createProcessingJob", ASL_RESPONSE | ASL_SYNC},
    {"sagemaker:createTrainingJob", ASL_RESPONSE | ASL_SYNC},
    {"sagemaker:createTransformJob", ASL_RESPONSE | ASL_SYNC},
    {"sagemaker:updateEndpoint", ASL_RESPONSE},
    {"sns:publish", ASL_RESPONSE | ASL_TOKEN},
    {"sqs:sendMessage", ASL_RESPONSE | ASL_TOKEN},
    {"states:startExecution", ASL_RESPONSE | ASL_SYNC | ASL_SYNC2 | ASL_TOKEN},
    {"events:putEvents", ASL_RESPONSE | ASL_TOKEN},
    {"apigateway:invoke", ASL_RESPONSE | ASL_TOKEN},
    {"codebuild:startBuild", ASL_RESPONSE | ASL_SYNC},
    {"codebuild:stopBuild", ASL_RESPONSE},
    {"codebuild:batchDeleteBuilds", ASL_RESPONSE},
    {"codebuild:batchGetReports", ASL_RESPONSE},
    {"codebuild:startBuildBatch", ASL_RESPONSE | ASL_SYNC},
    {"codebuild:stopBuildBatch", ASL_RESPONSE},
    {"codebuild:retryBuildBatch", ASL_RESPONSE | ASL_SYNC},
    {"codebuild:retryBuild", ASL_RESPONSE | ASL_SYNC},
    {"codebuild:deleteBuildBatch", ASL_RESPONSE},
    {"athena:startQueryExecution", ASL_RESPONSE | ASL_SYNC},
    {"athena:stopQueryExecution", ASL_RESPONSE},
    {"athena:getQueryExecution", ASL_RESPONSE},
    {"athena:getQueryResults", ASL_RESPONSE},
    {"mediaconvert:createJob", ASL_RESPONSE | ASL_SYNC},
    {"bedrock:invokeModel", ASL_RESPONSE | ASL_TOKEN},
    {"bedrock:createModelCustomizationJob", ASL_RESPONSE | ASL_SYNC | ASL_TOKEN},
    {"http:invoke", ASL_RESPONSE},
};

unsigned asl_integration_patterns(const char *action, size_t len) {
  for (size_t i = 0; i < sizeof optimized / sizeof *optimized; i++)
    if (strlen(optimized[i].action) == len && !memcmp(optimized[i].action, action, len))
      return optimized[i].patterns;
  return 0;
}

const struct jnode *asl_state_body(const struct jnode *state, int i) {
  const struct jnode *branches = jn_get(state, "Branches");
  for (const struct jnode *b = branches && branches->kind == JN_ARRAY ? branches->items : NULL; b; b = b->next)
    if (i-- == 0) return b;
  const struct jnode *items = jn_get(state, "ItemProcessor");
  if (!items) items = jn_get(state, "Iterator"); /* the legacy name */
  return i == 0 ? items : NULL;
}
