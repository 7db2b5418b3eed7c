/* emit_iam.c: least-privilege IAM, derived from what a workflow actually does.
 *
 * For each workflow:
 *   <W>.role-policy.json     the execution role's policy: every action its states
 *                            perform, on exactly the resources they name
 *   <W>.role-trust.json      who may assume it: states.amazonaws.com, for this
 *                            state machine and account only
 *   <W>-events.role-*.json   the role EventBridge rules assume to start it
 *   <W>-scheduler.role-*.json  the same for Scheduler schedules
 *   <QUEUE>.queue-policy.json  what lets EventBridge send to a dead-letter queue
 * The permissions come from the integration table (integrations.c); a task whose
 * permissions cannot be derived is an error, never a silently missing grant.
 */
#include "sfc.h"

#include <jansson.h>
#include <string.h>

struct grant {
  const char *service;  /* IAM prefix: the grouping key with the resources */
  json_t *actions;      /* sorted, unique strings */
  json_t *resources;    /* sorted, unique strings */
  json_t *who;          /* the states that need it (its Sid, and `sfc explain`) */
};

struct policy {
  struct grant *grants;
  int count, cap;
  struct compilation *c;
  json_t *extra; /* statements with conditions, which do not merge */
};

static void sorted_insert(json_t *list, const char *s) {
  size_t i = 0;
  for (; i < json_array_size(list); i++) {
    int cmp = strcmp(json_string_value(json_array_get(list, i)), s);
    if (cmp == 0) return;
    if (cmp > 0) break;
  }
  json_array_insert_new(list, i, json_string(s));
}

static bool same_strings(const json_t *a, const json_t *b) {
  if (json_array_size(a) != json_array_size(b)) return false;
  for (size_t i = 0; i < json_array_size(a); i++)
    if (strcmp(json_string_value(json_array_get(a, i)), json_string_value(json_array_get(b, i))) != 0)
      return false;
  return true;
}

/* Statement ids are [A-Za-z0-9]: state names with everything else dropped. */
static void add_sid_part(struct buf *sid, const char *name) {
  for (const char *p = name; *p && sid->len < 120; p++)
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) buf_addc(sid, *p);
}

/* Grants ACTIONS (space-separated, all of one service) on RESOURCES for STATE. One
   statement per (service, resource set); the actions of states that share both merge. */
static void grant(struct policy *p, const char *actions, json_t *resources, const char *who) {
  char service[64];
  const char *colon = strchr(actions, ':');
  snprintf(service, sizeof service, "%.*s", colon ? (int)(colon - actions) : 0, actions);
  json_t *sorted = json_array();
  for (size_t i = 0; i < json_array_size(resources); i++)
    sorted_insert(sorted, json_string_value(json_array_get(resources, i)));
  json_decref(resources);
  struct grant *g = NULL;
  for (int i = 0; i < p->count && !g; i++)
    if (!strcmp(p->grants[i].service, service) && same_strings(p->grants[i].resources, sorted)) g = &p->grants[i];
  if (!g) {
    if (p->count == p->cap) {
      p->cap = p->cap ? p->cap * 2 : 8;
      p->grants = xrealloc(p->grants, (size_t)p->cap * sizeof *p->grants);
    }
    g = &p->grants[p->count++];
    g->service = arena_strdup(&p->c->arena, service);
    g->actions = json_array();
    g->resources = sorted;
    g->who = json_array();
  } else {
    json_decref(sorted);
  }
  const char *a = actions;
  while (*a) {
    const char *end = strchr(a, ' ');
    size_t n = end ? (size_t)(end - a) : strlen(a);
    char *one = arena_strndup(&p->c->arena, a, n);
    sorted_insert(g->actions, one);
    a += n;
    while (*a == ' ') a++;
  }
  bool listed = false;
  for (size_t i = 0; i < json_array_size(g->who); i++) listed |= !strcmp(json_string_value(json_array_get(g->who, i)), who);
  if (!listed) json_array_append_new(g->who, json_string(who));
}

/* Grants the actions of SPEC, which may name several services, one service at a time. */
static void grant_each_service(struct policy *p, const char *spec, json_t *resources, const char *who) {
  char words[32][96];
  int n = 0;
  for (const char *a = spec; *a && n < 32;) {
    const char *end = strchr(a, ' ');
    size_t len = end ? (size_t)(end - a) : strlen(a);
    snprintf(words[n++], sizeof words[0], "%.*s", (int)len, a);
    a += len;
    while (*a == ' ') a++;
  }
  bool done[32] = {false};
  for (int i = 0; i < n; i++) {
    if (done[i]) continue;
    size_t prefix = (size_t)(strchr(words[i], ':') - words[i]);
    struct buf same = {0};
    for (int j = i; j < n; j++) {
      if (done[j] || strncmp(words[j], words[i], prefix + 1) != 0) continue;
      if (same.len) buf_addc(&same, ' ');
      buf_adds(&same, words[j]);
      done[j] = true;
    }
    grant(p, same.data, json_deep_copy(resources), who);
    buf_free(&same);
  }
  json_decref(resources);
}

static json_t *statement(const char *sid, json_t *actions, json_t *resources);

static json_t *one(const char *s) {
  json_t *a = json_array();
  json_array_append_new(a, json_string(s));
  return a;
}

static const char *region_of(struct compilation *c) {
  if (!c->region) c->placeholder_arns = true;
  return c->region ? c->region : "${region}";
}

static const char *account_of(struct compilation *c) {
  if (!c->account) c->placeholder_arns = true;
  return c->account ? c->account : "${account}";
}

static const char *events_rule_arn(struct compilation *c, const char *rule) {
  return arena_printf(&c->arena, "arn:%s:events:%s:%s:rule/%s", c->partition, region_of(c), account_of(c), rule);
}

/* The IAM prefix of an SDK service, where it differs from the service's name. */
static const char *iam_prefix(const char *service) {
  static const char *const renames[][2] = {
      {"sfn", "states"}, {"cloudwatchlogs", "logs"}, {"eventbridge", "events"},
      {"elasticloadbalancingv2", "elasticloadbalancing"}, {"efs", "elasticfilesystem"},
      {"mwaa", "airflow"}, {"sesv2", "ses"}, {"cloudwatch", "cloudwatch"}};
  for (size_t i = 0; i < sizeof renames / sizeof *renames; i++)
    if (!strcmp(service, renames[i][0])) return renames[i][1];
  return service;
}

/* The IAM action of an SDK call "service:action": the IAM prefix of the service and
   the action in PascalCase, except where IAM authorizes the call by another action. */
static const char *sdk_iam_action(struct compilation *c, const char *service_action) {
  static const char *const exceptions[][2] = {
      {"s3:headObject", "s3:GetObject"},          {"s3:headBucket", "s3:ListBucket"},
      {"s3:listObjectsV2", "s3:ListBucket"},      {"s3:listObjects", "s3:ListBucket"},
      {"s3:listObjectVersions", "s3:ListBucketVersions"},
      {"s3:getObjectAttributes", "s3:GetObject"}, {"lambda:invoke", "lambda:InvokeFunction"},
      {"lambda:invokeAsync", "lambda:InvokeFunction"},
      {"s3:listBuckets", "s3:ListAllMyBuckets"}};
  const char *colon = strchr(service_action, ':');
  char lowered[160];
  snprintf(lowered, sizeof lowered, "%.*s:%c%s", (int)(colon - service_action), service_action,
           colon[1] >= 'A' && colon[1] <= 'Z' ? colon[1] - 'A' + 'a' : colon[1], colon + 2);
  for (size_t i = 0; i < sizeof exceptions / sizeof *exceptions; i++)
    if (!strcmp(lowered, exceptions[i][0])) return exceptions[i][1];
  char service[64];
  snprintf(service, sizeof service, "%.*s", (int)(colon - service_action), service_action);
  return arena_printf(&c->arena, "%s:%c%s", iam_prefix(service),
                      colon[1] >= 'a' && colon[1] <= 'z' ? colon[1] - 'a' + 'A' : colon[1], colon + 2);
}

/* The ARNs a task names with `on`: declared resources, workflows, ARNs or "*". */
static json_t *on_resources(struct compilation *c, const struct state *s) {
  json_t *list = json_array();
  const struct option *o = s->opt[OPT_ON];
  for (const struct name_list *n = o ? o->names : NULL; n; n = n->next) {
    if (n->quoted) {
      json_array_append_new(list, json_string(n->string->text));
      continue;
    }
    const struct decl *d = table_get(c->names, n->name.text);
    if (d && d->kind == D_RESOURCE) json_array_append_new(list, json_string(d->arn));
    else if (d && d->kind == D_WORKFLOW) json_array_append_new(list, json_string(state_machine_arn(c, d->name.text)));
  }
  return list;
}

static void task_grants(struct policy *p, const struct state *s) {
  struct compilation *c = p->c;
  const struct integration *in = s->integration;
  const char *who = s->name.text;
  const struct decl *d = s->target_decl;
  bool sync = s->opt[OPT_SYNC] != NULL;
  switch (s->task) {
  case T_INVOKE: {
    json_t *r = json_array();
    json_array_append_new(r, json_string(d->arn));
    json_array_append_new(r, json_string(arena_printf(&c->arena, "%s:*", d->arn)));
    grant(p, in->iam_actions, r, who);
    return;
  }
  case T_ACTIVITY: return; /* workers poll activities; the state machine needs nothing */
  case T_EMIT:
    for (const struct emit_entry *e = s->entries; e; e = e->next) {
      const char *bus = e->decl && e->decl->event_bus_arn
                            ? e->decl->event_bus_arn
                            : arena_printf(&c->arena, "arn:%s:events:%s:%s:event-bus/default", c->partition,
                                           region_of(c), account_of(c));
      grant(p, in->iam_actions, one(bus), who);
    }
    return;
  case T_PUBLISH:
  case T_SEND:
  case T_GET:
  case T_PUT:
  case T_UPDATE:
  case T_DELETE: grant(p, in->iam_actions, one(d->arn), who); return;
  case T_START: {
    const char *child = d ? d->arn : state_machine_arn(c, s->target_workflow->name.text);
    const char *name = strrchr(child, ':') + 1;
    grant(p, in->iam_actions, one(child), who);
    if (sync) {
      grant(p, "states:DescribeExecution states:StopExecution",
            one(arena_printf(&c->arena, "arn:%s:states:%s:%s:execution:%s:*", c->partition, region_of(c),
                             account_of(c), name)), who);
      grant(p, "events:PutTargets events:PutRule events:DescribeRule",
            one(events_rule_arn(c, "StepFunctionsGetEventsForStepFunctionsExecutionRule")), who);
    }
    return;
  }
  case T_CALL: {
    const char *action = sdk_iam_action(c, s->resource->text);
    json_t *resources = on_resources(c, s);
    /* object actions act on a bucket's objects, not on the bucket */
    if (!strncmp(action, "s3:", 3) && strstr(action, "Object")) {
      json_t *objects = json_array();
      for (size_t i = 0; i < json_array_size(resources); i++) {
        const char *arn = json_string_value(json_array_get(resources, i));
        bool bucket = !strncmp(arn, "arn:", 4) && strstr(arn, ":s3:::") && !strchr(strstr(arn, ":s3:::") + 6, '/');
        json_array_append_new(objects, json_string(bucket ? arena_printf(&c->arena, "%s/*", arn) : arn));
      }
      json_decref(resources);
      resources = objects;
    }
    grant(p, action, resources, who);
    return;
  }
  case T_HTTP: {
    const char *connection = s->opt[OPT_CONNECTION]->text2->text;
    /* InvokeHTTPEndpoint has no resource type: it is scoped by its conditions instead */
    json_t *equals = json_object(), *like = json_object(), *condition = json_object();
    json_object_set_new(equals, "states:HTTPMethod", json_string(s->method.text));
    json_object_set_new(like, "states:HTTPEndpoint", json_string(s->resource->text));
    json_object_set_new(condition, "StringEquals", equals);
    json_object_set_new(condition, "StringLike", like);
    struct buf sid = {0};
    add_sid_part(&sid, who);
    buf_adds(&sid, "Http");
    json_t *st = statement(sid.data, one("states:InvokeHTTPEndpoint"), one("*"));
    json_object_set_new(st, "Condition", condition);
    json_array_append_new(p->extra, st);
    buf_free(&sid);
    grant(p, "events:RetrieveConnectionCredentials", one(connection), who);
    grant(p, "secretsmanager:DescribeSecret secretsmanager:GetSecretValue",
          one(arena_printf(&c->arena, "arn:%s:secretsmanager:%s:%s:secret:events!connection/*", c->partition,
                           region_of(c), account_of(c))), who);
    return;
  }
  case T_RUN_ECS:
  case T_RUN_GLUE:
  case T_RUN_BATCH: {
    if (!s->opt[OPT_ON]) {
      diag_error(&c->diag, s->name.loc, "say what task '%s' runs with 'on' (the task definition, "
                 "job or job queue ARNs, or \"*\"): the IAM policy is derived from it", who);
      return;
    }
    /* declared roles in `on` are the roles the job runs with: passed, not run */
    json_t *targets = on_resources(c, s), *roles = json_array(), *others = json_array();
    for (size_t i = 0; i < json_array_size(targets); i++) {
      const char *arn = json_string_value(json_array_get(targets, i));
      json_array_append_new(strstr(arn, ":iam::") && strstr(arn, ":role/") ? roles : others, json_string(arn));
    }
    json_decref(targets);
    if (json_array_size(roles)) grant(p, "iam:PassRole", roles, who);
    else json_decref(roles);
    if (sync && s->task == T_RUN_GLUE) /* the run's status and stop act on the job itself */
      grant(p, in->iam_sync_actions, json_deep_copy(others), who);
    grant_each_service(p, in->iam_actions, others, who);
    if (sync && s->task == T_RUN_ECS) {
      grant(p, "ecs:DescribeTasks ecs:StopTask",
            one(arena_printf(&c->arena, "arn:%s:ecs:%s:%s:task/*", c->partition, region_of(c), account_of(c))), who);
      grant(p, "events:PutTargets events:PutRule events:DescribeRule",
            one(events_rule_arn(c, "StepFunctionsGetEventsForECSTaskRule")), who);
    } else if (sync && s->task == T_RUN_BATCH) {
      /* DescribeJobs has no resource type (IAM takes only "*"); TerminateJob acts on jobs */
      grant(p, "batch:DescribeJobs", one("*"), who);
      grant(p, "batch:TerminateJob",
            one(arena_printf(&c->arena, "arn:%s:batch:%s:%s:job/*", c->partition, region_of(c), account_of(c))), who);
      grant(p, "events:PutTargets events:PutRule events:DescribeRule",
            one(events_rule_arn(c, "StepFunctionsGetEventsForBatchJobsRule")), who);
    }
    return;
  }
  case T_RESOURCE: {
    /* a Lambda function ARN as the Resource: the legacy direct invocation */
    const char *r = s->resource->text;
    if (strstr(r, ":lambda:") && strstr(r, ":function:")) {
      json_t *list = json_array();
      json_array_append_new(list, json_string(r));
      json_array_append_new(list, json_string(arena_printf(&c->arena, "%s:*", r)));
      grant(p, "lambda:InvokeFunction", list, who);
      return;
    }
    if (strstr(r, ":states:") && strstr(r, ":activity:")) return;
    /* arn:P:states:::service:action[.pattern] or ...:::aws-sdk:service:action: the IAM
       action follows from the name; the resources come from `on` */
    const char *tail = strstr(r, ":states:::");
    if (tail && s->opt[OPT_ON]) {
      tail += 10;
      if (!strncmp(tail, "aws-sdk:", 8)) tail += 8;
      char service[64], action[96];
      const char *colon = strchr(tail, ':');
      if (colon) {
        snprintf(service, sizeof service, "%.*s", (int)(colon - tail), tail);
        size_t n = strcspn(colon + 1, ".");
        snprintf(action, sizeof action, "%s:%c%.*s", iam_prefix(service),
                 colon[1] >= 'a' && colon[1] <= 'z' ? colon[1] - 'a' + 'A' : colon[1], (int)(n ? n - 1 : 0), colon + 2);
        if (!strcmp(action, "lambda:Invoke")) snprintf(action, sizeof action, "lambda:InvokeFunction");
        grant(p, action, on_resources(c, s), who);
        return;
      }
    }
    diag_error(&c->diag, s->resource->loc, "sfc cannot derive the IAM permissions of this resource "
               "task: name what it acts on with 'on' (ARNs or declared names), or use an "
               "integration form (invoke, send, call \"service:action\" ...)");
    return;
  }
  }
}

/* A distributed map starts child executions of its own state machine, and reads and
   writes S3 when it has a reader or writer. */
static void map_grants(struct policy *p, const struct state *s) {
  struct compilation *c = p->c;
  if (!s->opt[OPT_DISTRIBUTED]) return;
  const char *self = state_machine_arn(c, c->current_workflow);
  grant(p, "states:StartExecution", one(self), s->name.text);
  grant(p, "states:DescribeExecution states:StopExecution",
        one(arena_printf(&c->arena, "arn:%s:states:%s:%s:execution:%s/*", c->partition, region_of(c),
                         account_of(c), c->current_workflow)), s->name.text);
  static const struct { enum option_kind option; const char *object_actions; } io[] = {
      {OPT_READER, "s3:GetObject"}, {OPT_WRITER, "s3:AbortMultipartUpload s3:ListMultipartUploadParts s3:PutObject"}};
  for (size_t i = 0; i < 2; i++) {
    const struct option *o = s->opt[io[i].option];
    if (!o) continue;
    const struct member *params = NULL;
    for (const struct member *m = o->value->members; m; m = m->next)
      if (!strcmp(m->key, "Parameters")) params = m;
    const struct member *bucket = NULL;
    for (const struct member *m = params && params->value->kind == V_OBJECT ? params->value->members : NULL; m; m = m->next)
      if (!strcmp(m->key, "Bucket")) bucket = m;
    if (!bucket || bucket->value->kind != V_STRING) {
      diag_error(&c->diag, o->value->loc, "give the %s's Parameters.Bucket as a literal name, so "
                 "sfc can limit the IAM policy to that bucket", option_name(io[i].option));
      continue;
    }
    const char *name = bucket->value->string->text;
    grant(p, io[i].object_actions, one(arena_printf(&c->arena, "arn:%s:s3:::%s/*", c->partition, name)), s->name.text);
    if (io[i].option == OPT_READER)
      grant(p, "s3:ListBucket", one(arena_printf(&c->arena, "arn:%s:s3:::%s", c->partition, name)), s->name.text);
  }
}

/* A task with `credentials` runs as another role, which the execution role assumes. */
static void credentials_grant(struct policy *p, const struct state *s) {
  const struct option *o = s->opt[OPT_CREDENTIALS];
  if (!o) return;
  struct compilation *c = p->c;
  if (o->value) {
    diag_warning(&c->diag, o->loc, "with credentials from a path, sfc cannot limit sts:AssumeRole "
                 "to a role, so it grants none: add it to the execution role yourself, or name the "
                 "role (a declared role or its ARN)");
    return;
  }
  const char *arn = o->text2 ? o->text2->text : NULL;
  const struct decl *d = o->text2 ? NULL : table_get(c->names, o->target.text);
  if (d) arn = d->arn;
  if (arn) grant(p, "sts:AssumeRole", one(arn), s->name.text);
}

static void collect(struct policy *p, struct state **order, int n) {
  for (int i = 0; i < n; i++) {
    if (order[i]->kind == S_TASK) credentials_grant(p, order[i]);
    if (order[i]->kind == S_TASK && order[i]->integration) task_grants(p, order[i]);
    if (order[i]->kind == S_MAP) map_grants(p, order[i]);
    for (struct branch *b = order[i]->branches; b; b = b->next) collect(p, b->order, b->nstates);
  }
}

static json_t *policy_document(json_t *statements) {
  json_t *doc = json_object();
  json_object_set_new(doc, "Version", json_string("2012-10-17"));
  json_object_set_new(doc, "Statement", statements);
  return doc;
}

static json_t *statement(const char *sid, json_t *actions, json_t *resources) {
  json_t *st = json_object();
  if (sid) json_object_set_new(st, "Sid", json_string(sid));
  json_object_set_new(st, "Effect", json_string("Allow"));
  json_object_set_new(st, "Action", actions);
  json_object_set_new(st, "Resource", resources);
  return st;
}

/* Trust: SERVICE may assume the role, only for SOURCE_ARN in our account. */
static json_t *trust_document(struct compilation *c, const char *service, json_t *source_arns) {
  json_t *principal = json_object();
  json_object_set_new(principal, "Service", json_string(service));
  json_t *equals = json_object();
  json_object_set_new(equals, "aws:SourceAccount", json_string(account_of(c)));
  json_t *like = json_object();
  json_object_set_new(like, "aws:SourceArn", source_arns);
  json_t *condition = json_object();
  json_object_set_new(condition, "StringEquals", equals);
  json_object_set_new(condition, "ArnLike", like);
  json_t *st = json_object();
  json_object_set_new(st, "Effect", json_string("Allow"));
  json_object_set_new(st, "Principal", principal);
  json_object_set_new(st, "Action", json_string("sts:AssumeRole"));
  json_object_set_new(st, "Condition", condition);
  json_t *list = json_array();
  json_array_append_new(list, st);
  return policy_document(list);
}

static const char *rule_arn(struct compilation *c, const struct trigger *tr) {
  const char *bus = tr->bus ? tr->bus->value->text : tr->bus_name;
  if (bus && strncmp(bus, "arn:", 4) == 0) bus = strrchr(bus, '/') + 1;
  if (bus && strcmp(bus, "default") != 0)
    return events_rule_arn(c, arena_printf(&c->arena, "%s/%s", bus, tr->name));
  return events_rule_arn(c, tr->name);
}

/* Scheduler names the schedule group as the source of the role's use (its
   confused-deputy guidance); sfc's schedules are in the default group. */
static const char *schedule_group_arn(struct compilation *c, const struct trigger *tr) {
  (void)tr;
  return arena_printf(&c->arena, "arn:%s:scheduler:%s:%s:schedule-group/default", c->partition, region_of(c),
                      account_of(c));
}

/* The roles EventBridge and Scheduler assume: start exactly this state machine. */
static void starter_roles(struct compilation *c, struct workflow *w, struct outputs *out) {
  for (int scheduler = 0; scheduler < 2; scheduler++) {
    json_t *sources = json_array();
    json_t *dlqs = json_array();
    for (const struct trigger *tr = w->triggers; tr; tr = tr->next) {
      if (tr->scheduler != (bool)scheduler) continue;
      const char *source = scheduler ? schedule_group_arn(c, tr) : rule_arn(c, tr);
      bool listed = false;
      for (size_t i = 0; i < json_array_size(sources); i++)
        listed |= !strcmp(json_string_value(json_array_get(sources, i)), source);
      if (!listed) json_array_append_new(sources, json_string(source));
      if (tr->dead_letter && scheduler) sorted_insert(dlqs, tr->dead_letter->arn);
    }
    if (json_array_size(sources) == 0) {
      json_decref(sources);
      json_decref(dlqs);
      continue;
    }
    const char *role = starter_role_name(c, w, scheduler);
    json_t *statements = json_array();
    json_array_append_new(statements, statement("StartWorkflow", one("states:StartExecution"),
                                                one(state_machine_arn(c, w->name.text))));
    /* Scheduler sends failed deliveries to the dead-letter queue with this role */
    if (json_array_size(dlqs)) json_array_append_new(statements, statement("DeadLetter", one("sqs:SendMessage"), dlqs));
    else json_decref(dlqs);
    outputs_add(out, arena_printf(&c->arena, "%s.role-policy.json", role), policy_document(statements));
    outputs_add(out, arena_printf(&c->arena, "%s.role-trust.json", role),
                trust_document(c, scheduler ? "scheduler.amazonaws.com" : "events.amazonaws.com", sources));
  }
}

/* EventBridge sends undeliverable events to a rule's DLQ under the queue's policy.
   A queue has one policy, so it lists the rules of every workflow that use it. */
void emit_queue_policies(struct compilation *c, struct outputs *out) {
  for (const struct decl *q = c->program.decls; q; q = q->next) {
    if (q->kind != D_RESOURCE || q->resource != R_QUEUE) continue;
    json_t *sources = json_array();
    for (const struct decl *d = c->program.decls; d; d = d->next)
      if (d->kind == D_WORKFLOW)
        for (const struct trigger *tr = d->workflow->triggers; tr; tr = tr->next)
          if (tr->dead_letter == q && !tr->scheduler) sorted_insert(sources, rule_arn(c, tr));
    if (json_array_size(sources) == 0) {
      json_decref(sources);
      continue;
    }
    json_t *principal = json_object();
    json_object_set_new(principal, "Service", json_string("events.amazonaws.com"));
    json_t *like = json_object();
    json_object_set_new(like, "aws:SourceArn", sources);
    json_t *condition = json_object();
    json_object_set_new(condition, "ArnEquals", like);
    json_t *st = json_object();
    json_object_set_new(st, "Sid", json_string("EventBridgeDeadLetter"));
    json_object_set_new(st, "Effect", json_string("Allow"));
    json_object_set_new(st, "Principal", principal);
    json_object_set_new(st, "Action", json_string("sqs:SendMessage"));
    json_object_set_new(st, "Resource", json_string(q->arn));
    json_object_set_new(st, "Condition", condition);
    json_t *list = json_array();
    json_array_append_new(list, st);
    outputs_add(out, arena_printf(&c->arena, "%s.queue-policy.json", q->name.text), policy_document(list));
  }
}

/* `sfc explain`: each permission, and what needs it. */
static void print_list(FILE *out, const json_t *list) {
  for (size_t i = 0; i < json_array_size(list); i++)
    fprintf(out, "%s%s", i ? ", " : "", json_string_value(json_array_get(list, i)));
}

static void explain_grant(FILE *out, const struct grant *g) {
  fputs("  ", out);
  print_list(out, g->actions);
  fputs("\n    on ", out);
  print_list(out, g->resources);
  fputs("\n    for ", out);
  print_list(out, g->who);
  fputc('\n', out);
}

static void explain_triggers(struct compilation *c, const struct workflow *w) {
  for (const struct trigger *tr = w->triggers; tr; tr = tr->next)
    fprintf(c->explain, "  states:StartExecution\n    on %s\n    for %s %s, as role %s\n",
            state_machine_arn(c, w->name.text), tr->scheduler ? "schedule" : "rule", tr->name,
            starter_role_name(c, w, tr->scheduler));
  for (const struct allowed_starter *a = w->starters; a; a = a->next)
    fprintf(c->explain, "  states:StartExecution, states:DescribeExecution\n    on %s\n    for role %s "
            "(allow start by)\n", state_machine_arn(c, w->name.text), a->role.text);
}

/* `allow start by ROLE`: what that role needs to start and watch executions of W. */
static void starter_policies(struct compilation *c, struct workflow *w, struct outputs *out) {
  for (const struct allowed_starter *a = w->starters; a; a = a->next) {
    if (!a->decl) continue;
    json_t *statements = json_array();
    json_array_append_new(statements, statement("StartWorkflow", one("states:StartExecution"),
                                                one(state_machine_arn(c, w->name.text))));
    json_array_append_new(statements,
                          statement("WatchExecutions", one("states:DescribeExecution"),
                                    one(arena_printf(&c->arena, "arn:%s:states:%s:%s:execution:%s:*",
                                                     c->partition, region_of(c), account_of(c),
                                                     w->name.text))));
    outputs_add(out, arena_printf(&c->arena, "%s.start-%s.policy.json", a->decl->name.text, w->name.text),
                policy_document(statements));
  }
}

void emit_iam(struct compilation *c, struct workflow *w, struct outputs *out) {
  struct policy p = {0};
  if (c->explain) fprintf(c->explain, "%s (execution role %s):\n", w->name.text, w->name.text);
  p.c = c;
  p.extra = json_array();
  c->current_workflow = w->name.text;
  collect(&p, w->order, w->nstates);
  if (w->tracing)
    grant(&p, "xray:GetSamplingRules xray:GetSamplingTargets xray:PutTelemetryRecords xray:PutTraceSegments",
          one("*"), "Tracing");
  if (w->log_level && strcmp(w->log_level, "OFF") != 0)
    grant(&p, "logs:CreateLogDelivery logs:DeleteLogDelivery logs:DescribeLogGroups "
              "logs:DescribeResourcePolicies logs:GetLogDelivery logs:ListLogDeliveries "
              "logs:PutResourcePolicy logs:UpdateLogDelivery",
          one("*"), "Logging");
  json_t *statements = json_array();
  struct table sids = {0};
  for (int i = 0; i < p.count; i++) {
    struct grant *g = &p.grants[i];
    struct buf names = {0};
    for (size_t k = 0; k < json_array_size(g->who); k++) add_sid_part(&names, json_string_value(json_array_get(g->who, k)));
    const char *sid = arena_strdup(&c->arena, names.len ? names.data : "Grant");
    buf_free(&names);
    const char *base = sid;
    for (int n = 2; table_get(&sids, sid); n++) sid = arena_printf(&c->arena, "%s%d", base, n);
    table_put(&sids, sid, g);
    if (c->explain) explain_grant(c->explain, g);
    json_array_append_new(statements, statement(sid, g->actions, g->resources));
    json_decref(g->who);
  }
  table_free(&sids);
  free(p.grants);
  json_array_extend(statements, p.extra);
  json_decref(p.extra);
  /* a workflow that calls nothing needs no permissions: its role has no policy (IAM
     does not accept a policy without statements) */
  if (json_array_size(statements) > 0)
    outputs_add(out, arena_printf(&c->arena, "%s.role-policy.json", w->name.text), policy_document(statements));
  else json_decref(statements);
  outputs_add(out, arena_printf(&c->arena, "%s.role-trust.json", w->name.text),
              trust_document(c, "states.amazonaws.com", one(state_machine_arn(c, w->name.text))));
  starter_roles(c, w, out);
  starter_policies(c, w, out);
  if (c->explain) explain_triggers(c, w);
}
