/* emit_iam.c: the IAM documents of each workflow, printed from what iam.c computed.
 *
 * For each workflow:
 *   <W>.role-policy.json     the execution role's policy: every action its states
 *                            perform, on exactly the resources they name
 *   <W>.role-trust.json      who may assume it: states.amazonaws.com, for this
 *                            state machine and account only
 *   <W>-events.role-*.json   the role EventBridge rules assume to start it
 *   <W>-scheduler.role-*.json  the same for Scheduler schedules
 *   <ROLE>.start-<W>.policy.json  what `allow start by ROLE` gives that role
 * and for the program, <QUEUE>.queue-policy.json: what lets EventBridge send to a
 * dead-letter queue. Only printing: every decision and diagnostic is iam.c's.
 */
#include "sfc.h"

#include <jansson.h>

static json_t *strings_json(const struct iam_strings *l) {
  json_t *a = json_array();
  for (int i = 0; i < l->count; i++) json_array_append_new(a, json_string(l->items[i]));
  return a;
}

static json_t *statement(const struct iam_grant *g) {
  json_t *st = json_object();
  json_object_set_new(st, "Sid", json_string(g->sid));
  json_object_set_new(st, "Effect", json_string("Allow"));
  json_object_set_new(st, "Action", strings_json(&g->actions));
  json_object_set_new(st, "Resource", strings_json(&g->resources));
  if (g->conditions) {
    json_t *condition = json_object();
    for (const struct iam_condition *c = g->conditions; c; c = c->next) {
      json_t *op = json_object_get(condition, c->op);
      if (!op) json_object_set_new(condition, c->op, op = json_object());
      json_object_set_new(op, c->key, json_string(c->value));
    }
    json_object_set_new(st, "Condition", condition);
  }
  return st;
}

static json_t *policy_document(json_t *statements) {
  json_t *doc = json_object();
  json_object_set_new(doc, "Version", json_string("2012-10-17"));
  json_object_set_new(doc, "Statement", statements);
  return doc;
}

json_t *grants_document(const struct iam_grant *grants) {
  json_t *statements = json_array();
  for (const struct iam_grant *g = grants; g; g = g->next) json_array_append_new(statements, statement(g));
  return policy_document(statements);
}

/* Trust: the role's principal may assume it, only for its sources in our account. */
static json_t *trust_document(const struct iam_role *r, const char *account) {
  json_t *principal = json_object();
  json_object_set_new(principal, "Service", json_string(r->principal));
  json_t *equals = json_object();
  json_object_set_new(equals, "aws:SourceAccount", json_string(account));
  json_t *like = json_object();
  json_object_set_new(like, "aws:SourceArn", strings_json(&r->sources));
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

/* ROLE.role-policy.json (when it has statements: IAM does not accept a policy
   without any) and ROLE.role-trust.json. */
static void emit_role(const struct iam_role *r, const char *account, struct outputs *out) {
  if (r->grants) outputs_add(out, r->policy_file, grants_document(r->grants));
  outputs_add(out, r->trust_file, trust_document(r, account));
}

void emit_iam(const struct iam_policy *p, struct outputs *out) {
  emit_role(&p->execution, p->account, out);
  for (int k = 0; k < 2; k++)
    if (p->starter[k].grants) emit_role(&p->starter[k], p->account, out);
  for (int i = 0; i < p->nallowed; i++)
    outputs_add(out, p->allowed[i].policy_file, grants_document(p->allowed[i].grants));
}

void emit_queue_policies(const struct iam_queue_policy *q, struct outputs *out) {
  for (; q; q = q->next) {
    json_t *principal = json_object();
    json_object_set_new(principal, "Service", json_string("events.amazonaws.com"));
    json_t *like = json_object();
    json_object_set_new(like, "aws:SourceArn", strings_json(&q->sources));
    json_t *condition = json_object();
    json_object_set_new(condition, "ArnEquals", like);
    json_t *st = json_object();
    json_object_set_new(st, "Sid", json_string("EventBridgeDeadLetter"));
    json_object_set_new(st, "Effect", json_string("Allow"));
    json_object_set_new(st, "Principal", principal);
    json_object_set_new(st, "Action", json_string("sqs:SendMessage"));
    json_object_set_new(st, "Resource", json_string(q->queue_arn));
    json_object_set_new(st, "Condition", condition);
    json_t *list = json_array();
    json_array_append_new(list, st);
    outputs_add(out, q->file, policy_document(list));
  }
}
