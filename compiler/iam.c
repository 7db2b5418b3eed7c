/* iam.c: the IAM permissions each workflow needs, derived from what it does.
 *
 * Computed once per workflow, before any printer runs (and in `sfc check` too, so
 * its errors are reported there): for each state, the needs of its row in the
 * integration table (integrations.c) with their resource patterns expanded, plus
 * the few needs no row describes (resource ARNs, credentials, distributed maps,
 * tracing and logging). Needs of one service on the same resources merge into one
 * grant, found through a hash table, so the work is linear in the program. A task
 * whose permissions cannot be derived is an error, never a silently missing grant.
 * The results live in the arena; emit_iam.c and emit_explain.c only print them.
 */
#include "sfc.h"

#include <stdlib.h>
#include <string.h>

#define NEED(actions, resources) {IAM_ALWAYS, actions, resources, NULL, NULL}

struct builder {
  struct compilation *c;
  struct arena *arena;
  struct table merged;                 /* "service\nresource\n..." -> struct iam_grant */
  struct iam_grant *grants, **tail;    /* grants that merge, in order */
  struct iam_grant *own, **own_tail;   /* grants with conditions: after the others */
};

/* What the patterns of a state's needs stand for (see integrations.c). */
struct need_ctx {
  const struct state *s;
  const char *arn, *bus, *bucket, *connection, *method, *url;
  const char *action;   /* {action} */
  bool objects;         /* the action acts on objects: {on} buckets stand for their objects */
};

static void strings_add(struct arena *a, struct iam_strings *l, const char *s) {
  if (l->count == l->cap) {
    int cap = l->cap ? l->cap * 2 : 4;
    const char **items = arena_alloc(a, (size_t)cap * sizeof *items);
    if (l->count) memcpy(items, l->items, (size_t)l->count * sizeof *items);
    l->items = items;
    l->cap = cap;
  }
  l->items[l->count++] = s;
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void strings_sort_unique(struct iam_strings *l) {
  if (l->count < 2) return;
  qsort(l->items, (size_t)l->count, sizeof *l->items, compare_strings);
  int n = 1;
  for (int i = 1; i < l->count; i++)
    if (strcmp(l->items[i], l->items[n - 1]) != 0) l->items[n++] = l->items[i];
  l->count = n;
}

/* Adds each space-separated word of WORDS to the sorted list L unless it is there
   (action lists are short). */
static void add_words_sorted(struct arena *a, struct iam_strings *l, const char *words) {
  for (const char *w = words; *w;) {
    size_t n = strcspn(w, " ");
    int i = 0, cmp = 1;
    for (; i < l->count; i++) {
      cmp = strncmp(l->items[i], w, n);
      if (cmp == 0 && l->items[i][n]) cmp = 1;
      if (cmp >= 0) break;
    }
    if (i == l->count || cmp != 0) {
      strings_add(a, l, NULL);
      memmove(l->items + i + 1, l->items + i, (size_t)(l->count - 1 - i) * sizeof *l->items);
      l->items[i] = arena_strndup(a, w, n);
    }
    w += n;
    while (*w == ' ') w++;
  }
}

static const char *region_of(struct compilation *c) { return c->region ? c->region : "${region}"; }
static const char *account_of(struct compilation *c) { return c->account ? c->account : "${account}"; }

/* Grants ACTIONS (space-separated, one service) on RESOURCES for WHO. Without
   conditions, it joins the grant of the same service and resources if there is one. */
static struct iam_grant *grant(struct builder *b, const char *actions, struct iam_strings resources,
                               const char *who, struct iam_condition *conditions) {
  size_t service_len = strcspn(actions, ":");
  strings_sort_unique(&resources);
  struct buf key = {0}; /* the service and the resources, a line each */
  buf_add(&key, actions, service_len);
  for (int i = 0; i < resources.count; i++) buf_printf(&key, "\n%s", resources.items[i]);
  struct iam_grant *g = conditions ? NULL : table_get(&b->merged, key.data);
  if (!g) {
    g = NEW(b->arena, struct iam_grant);
    g->service = arena_strndup(b->arena, actions, service_len);
    g->resources = resources;
    g->conditions = conditions;
    if (conditions) {
      *b->own_tail = g;
      b->own_tail = &g->next;
    } else {
      table_put(&b->merged, arena_strdup(b->arena, key.data), g);
      *b->tail = g;
      b->tail = &g->next;
    }
  }
  buf_free(&key);
  add_words_sorted(b->arena, &g->actions, actions);
  /* a state's needs are all granted together, so a repeat is always the last name */
  if (!g->who.count || strcmp(g->who.items[g->who.count - 1], who) != 0)
    strings_add(b->arena, &g->who, who);
  return g;
}

static struct iam_strings one(struct builder *b, const char *s) {
  struct iam_strings l = {0};
  strings_add(b->arena, &l, s);
  return l;
}

/* The ARNs a task names with `on`: declared resources, workflows, ARNs or "*". */
static void on_resources(struct builder *b, const struct state *s, struct iam_strings *out) {
  const struct option *o = s->opt[OPT_ON];
  for (const struct name_list *n = o ? o->names : NULL; n; n = n->next) {
    if (n->quoted) {
      strings_add(b->arena, out, n->string->text);
      continue;
    }
    const struct decl *d = table_get(b->c->names, n->name.text);
    if (d && d->kind == D_RESOURCE) strings_add(b->arena, out, d->arn);
    else if (d && d->kind == D_WORKFLOW) strings_add(b->arena, out, state_machine_arn(b->c, d->name.text));
  }
}

static bool is_role_arn(const char *arn) { return strstr(arn, ":iam::") && strstr(arn, ":role/"); }

static bool is_bucket_arn(const char *arn) {
  const char *s3 = strstr(arn, ":s3:::");
  return !strncmp(arn, "arn:", 4) && s3 && !strchr(s3 + 6, '/');
}

/* TEXT[0..LEN) with {partition}, {region}, {account}, {arn}, {name}, ... replaced. */
static const char *substitute(struct builder *b, const struct need_ctx *x, const char *text, size_t len) {
  const char *name = x->arn && strrchr(x->arn, ':') ? strrchr(x->arn, ':') + 1 : x->arn;
  const struct { const char *key, *value; } values[] = {
      {"{partition}", b->c->partition}, {"{region}", region_of(b->c)}, {"{account}", account_of(b->c)},
      {"{arn}", x->arn}, {"{name}", name}, {"{bus}", x->bus}, {"{bucket}", x->bucket},
      {"{connection}", x->connection}, {"{method}", x->method}, {"{url}", x->url},
      {"{action}", x->action}};
  struct buf out = {0};
  for (size_t i = 0; i < len;) {
    size_t k = 0, n = sizeof values / sizeof *values;
    if (text[i] == '{')
      for (; k < n; k++)
        if (!strncmp(text + i, values[k].key, strlen(values[k].key)) && values[k].value) break;
    if (text[i] != '{' || k == n) {
      buf_addc(&out, text[i++]);
      continue;
    }
    buf_adds(&out, values[k].value);
    i += strlen(values[k].key);
  }
  const char *s = arena_strdup(b->arena, out.data ? out.data : "");
  buf_free(&out);
  return s;
}

static bool is_word(const char *p, size_t n, const char *word) {
  return strlen(word) == n && !strncmp(p, word, n);
}

/* The resources of a need: each pattern expanded. */
static struct iam_strings expand(struct builder *b, const struct need_ctx *x, const char *patterns) {
  struct iam_strings list = {0};
  for (const char *p = patterns; *p;) {
    size_t n = strcspn(p, " ");
    bool on = is_word(p, n, "{on}"), roles = is_word(p, n, "{on-roles}"), others = is_word(p, n, "{on-others}");
    if (on || roles || others) {
      struct iam_strings named = {0};
      on_resources(b, x->s, &named);
      for (int i = 0; i < named.count; i++) {
        const char *arn = named.items[i];
        if ((roles && !is_role_arn(arn)) || (others && is_role_arn(arn))) continue;
        strings_add(b->arena, &list, x->objects && is_bucket_arn(arn) ? arena_printf(b->arena, "%s/*", arn) : arn);
      }
    } else {
      strings_add(b->arena, &list, substitute(b, x, p, n));
    }
    p += n;
    while (*p == ' ') p++;
  }
  return list;
}

/* "Operator key pattern" triples, in order. */
static struct iam_condition *conditions_of(struct builder *b, const struct need_ctx *x, const char *text) {
  struct iam_condition *first = NULL, **tail = &first;
  const char *words[3];
  size_t lens[3];
  int n = 0;
  for (const char *p = text; p && *p;) {
    lens[n] = strcspn(p, " ");
    words[n++] = p;
    p += lens[n - 1];
    while (*p == ' ') p++;
    if (n < 3) continue;
    struct iam_condition *cond = NEW(b->arena, struct iam_condition);
    cond->op = arena_strndup(b->arena, words[0], lens[0]);
    cond->key = arena_strndup(b->arena, words[1], lens[1]);
    cond->value = substitute(b, x, words[2], lens[2]);
    *tail = cond;
    tail = &cond->next;
    n = 0;
  }
  return first;
}

/* Grants what NEEDS (up to N of them, ending at one without actions) ask for WHO. */
static void grant_needs(struct builder *b, const struct iam_need *needs, int n, const struct need_ctx *x,
                        const char *who, bool sync) {
  for (int i = 0; i < n && needs[i].actions; i++) {
    const struct iam_need *need = &needs[i];
    if (need->when == IAM_SYNC && !sync) continue;
    struct iam_strings resources = expand(b, x, need->resources);
    if (!resources.count && !strcmp(need->resources, "{on-roles}")) continue; /* no role is passed */
    if (!resources.count) { /* IAM refuses a statement without resources */
      diag_error(&b->c->diag, x->s->name.loc, "task '%s' names only roles with 'on': say what it "
                 "runs too (the task definition, job or job queue ARNs, or \"*\"), so its %s can "
                 "be granted", who, need->actions);
      continue;
    }
    const char *actions = substitute(b, x, need->actions, strlen(need->actions));
    struct iam_grant *g = grant(b, actions, resources, who, conditions_of(b, x, need->conditions));
    if (need->sid) g->sid = need->sid; /* completed with the state's name in finish() */
  }
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

static bool is_lambda_function_arn(const char *arn) {
  return strstr(arn, ":lambda:") && strstr(arn, ":function:");
}

bool iam_derives_resource(const char *arn) {
  return is_lambda_function_arn(arn) || strstr(arn, ":states:");
}

/* `task X resource "arn"`: what it needs follows from the ARN; `on nothing`: the
   user grants it elsewhere. */
static void resource_needs(struct builder *b, const struct state *s) {
  struct compilation *c = b->c;
  const char *r = s->resource->text;
  struct need_ctx x = {.s = s, .arn = r};
  if (s->opt[OPT_ON] && !s->opt[OPT_ON]->names) return;
  /* a Lambda function ARN as the Resource: the legacy direct invocation */
  if (is_lambda_function_arn(r)) {
    grant_needs(b, integration_for(T_INVOKE)->iam, IAM_NEEDS, &x, s->name.text, false);
    return;
  }
  if (strstr(r, ":states:") && strstr(r, ":activity:")) return;
  /* arn:P:states:::service:action[.pattern] or ...:::aws-sdk:service:action: the IAM
     action follows from the name, the resources from `on`, as for `call` */
  const char *tail = strstr(r, ":states:");
  /* the region and account fields are empty as AWS documents it, but AWS also takes them filled */
  for (int field = 0; tail && field < 3; field++) tail = strchr(tail + 1, ':');
  if (tail && s->opt[OPT_ON]) {
    tail += 1;
    if (!strncmp(tail, "aws-sdk:", 8)) tail += 8;
    const char *colon = strchr(tail, ':');
    if (colon) {
      char service[64];
      snprintf(service, sizeof service, "%.*s", (int)(colon - tail), tail);
      size_t n = strcspn(colon + 1, ".");
      x.action = arena_printf(&c->arena, "%s:%c%.*s", iam_prefix(service),
                              colon[1] >= 'a' && colon[1] <= 'z' ? colon[1] - 'a' + 'A' : colon[1],
                              (int)(n ? n - 1 : 0), colon + 2);
      if (!strcmp(x.action, "lambda:Invoke")) x.action = "lambda:InvokeFunction";
      grant_needs(b, integration_for(T_CALL)->iam, IAM_NEEDS, &x, s->name.text, false);
      return;
    }
  }
  diag_error(&c->diag, s->resource->loc, "sfc cannot derive the IAM permissions of this resource "
             "task: name what it acts on with 'on' (ARNs or declared names), or use an "
             "integration form (invoke, send, call \"service:action\" ...), or say 'on nothing' "
             "and grant what it needs elsewhere");
}

static void task_needs(struct builder *b, const struct state *s) {
  struct compilation *c = b->c;
  const struct integration *in = s->integration;
  const struct decl *d = s->target_decl;
  const char *who = s->name.text;
  bool sync = s->opt[OPT_SYNC] != NULL;
  struct need_ctx x = {.s = s, .arn = d ? d->arn : NULL};
  switch (s->task) {
  case T_RESOURCE: resource_needs(b, s); return;
  case T_EMIT:
    for (const struct emit_entry *e = s->entries; e; e = e->next) {
      x.bus = e->decl && e->decl->event_bus_arn
                  ? e->decl->event_bus_arn
                  : arena_printf(&c->arena, "arn:%s:events:%s:%s:event-bus/default", c->partition,
                                 region_of(c), account_of(c));
      grant_needs(b, in->iam, IAM_NEEDS, &x, who, sync);
    }
    return;
  case T_START:
    if (!d) x.arn = state_machine_arn(c, s->target_workflow->name.text);
    break;
  case T_CALL:
    x.action = sdk_iam_action(c, s->resource->text);
    x.objects = !strncmp(x.action, "s3:", 3) && strstr(x.action, "Object");
    break;
  case T_HTTP:
    x.connection = s->opt[OPT_CONNECTION]->text2->text;
    x.method = s->method.text;
    x.url = s->resource->text;
    break;
  case T_RUN_ECS:
  case T_RUN_GLUE:
  case T_RUN_BATCH:
    if (!s->opt[OPT_ON]) {
      diag_error(&c->diag, s->name.loc, "say what task '%s' runs with 'on' (the task definition, "
                 "job or job queue ARNs, or \"*\"): the IAM policy is derived from it", who);
      return;
    }
    break;
  default: break;
  }
  grant_needs(b, in->iam, IAM_NEEDS, &x, who, sync);
}

/* A distributed map starts child executions of its own state machine, and reads and
   writes S3 when it has a reader or writer. */
static void map_needs(struct builder *b, const struct state *s, const struct workflow *w) {
  static const struct iam_need children[] = {
      NEED("states:StartExecution", "{arn}"),
      NEED("states:DescribeExecution states:StopExecution",
           "arn:{partition}:states:{region}:{account}:execution:{name}/*")};
  static const struct { enum option_kind option; struct iam_need needs[2]; } io[] = {
      {OPT_READER, {NEED("s3:GetObject", "arn:{partition}:s3:::{bucket}/*"),
                    NEED("s3:ListBucket", "arn:{partition}:s3:::{bucket}")}},
      {OPT_WRITER, {NEED("s3:AbortMultipartUpload s3:ListMultipartUploadParts s3:PutObject",
                         "arn:{partition}:s3:::{bucket}/*"),
                    {0, NULL, NULL, NULL, NULL}}}};
  if (!s->opt[OPT_DISTRIBUTED]) return;
  struct need_ctx x = {.s = s, .arn = state_machine_arn(b->c, w->name.text)};
  grant_needs(b, children, 2, &x, s->name.text, false);
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
      /* at the field that is wrong: the Bucket, or else the Parameters, or the reader */
      struct loc at = bucket ? bucket->value->loc : params ? params->value->loc : o->value->loc;
      diag_error(&b->c->diag, at, "give the %s's Parameters.Bucket as a literal name, so "
                 "sfc can limit the IAM policy to that bucket", option_name(io[i].option));
      continue;
    }
    x.bucket = bucket->value->string->text;
    grant_needs(b, io[i].needs, 2, &x, s->name.text, false);
  }
}

/* A task with `credentials` runs as another role, which the execution role assumes. */
static void credentials_needs(struct builder *b, const struct state *s) {
  static const struct iam_need assume[] = {NEED("sts:AssumeRole", "{arn}")};
  const struct option *o = s->opt[OPT_CREDENTIALS];
  if (!o) return;
  if (o->value) {
    diag_warning(&b->c->diag, W_CREDENTIALS_PATH, o->loc, "with credentials from a path, sfc cannot limit sts:AssumeRole "
                 "to a role, so it grants none: add it to the execution role yourself, or name the "
                 "role (a declared role or its ARN)");
    return;
  }
  struct need_ctx x = {.s = s, .arn = o->text2 ? o->text2->text : NULL};
  const struct decl *d = o->text2 ? NULL : table_get(b->c->names, o->target.text);
  if (d) x.arn = d->arn;
  if (x.arn) grant_needs(b, assume, 1, &x, s->name.text, false);
}

static void collect(struct builder *b, const struct workflow *w, struct state **order, int n) {
  for (int i = 0; i < n; i++) {
    if (order[i]->kind == S_TASK) credentials_needs(b, order[i]);
    if (order[i]->kind == S_TASK && order[i]->integration) task_needs(b, order[i]);
    if (order[i]->kind == S_MAP) map_needs(b, order[i], w);
    for (struct branch *br = order[i]->branches; br; br = br->next) collect(b, w, br->order, br->nstates);
  }
}

/* Statement ids are [A-Za-z0-9]: state names with everything else dropped. */
static void add_sid_part(struct buf *sid, const char *name) {
  for (const char *p = name; *p && sid->len < 120; p++)
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) buf_addc(sid, *p);
}

/* Names each grant after what needs it (a number keeps the names unique) and puts the
   grants with conditions last. */
static struct iam_grant *finish(struct builder *b) {
  *b->tail = b->own;
  struct table sids = {0};
  for (struct iam_grant *g = b->grants; g; g = g->next) {
    struct buf names = {0};
    for (int k = 0; k < g->who.count; k++) add_sid_part(&names, g->who.items[k]);
    if (g->sid) buf_adds(&names, g->sid);
    const char *sid = arena_strdup(b->arena, names.len ? names.data : "Grant");
    buf_free(&names);
    const char *base = sid;
    for (int n = 2; table_get(&sids, sid); n++) sid = arena_printf(b->arena, "%s%d", base, n);
    table_put(&sids, sid, g);
    g->sid = sid;
  }
  table_free(&sids);
  return b->grants;
}

static struct iam_grant *fixed_grant(struct builder *b, const char *sid, const char *action,
                                     const char *resource, const char *who) {
  struct iam_grant *g = NEW(b->arena, struct iam_grant);
  g->sid = sid;
  g->service = arena_strndup(b->arena, action, strcspn(action, ":"));
  add_words_sorted(b->arena, &g->actions, action);
  if (resource) strings_add(b->arena, &g->resources, resource);
  if (who) strings_add(b->arena, &g->who, who);
  return g;
}

static const char *events_rule_arn(struct compilation *c, const char *rule) {
  return arena_printf(&c->arena, "arn:%s:events:%s:%s:rule/%s", c->partition, region_of(c), account_of(c), rule);
}

static const char *rule_arn(struct compilation *c, const struct trigger *tr) {
  const char *bus = tr->bus ? tr->bus->value->text : tr->bus_name;
  if (bus && strncmp(bus, "arn:", 4) == 0) bus = strrchr(bus, '/') + 1;
  if (bus && strcmp(bus, "default") != 0)
    return events_rule_arn(c, arena_printf(&c->arena, "%s/%s%s", bus, c->name_prefix, tr->name));
  return events_rule_arn(c, arena_printf(&c->arena, "%s%s", c->name_prefix, tr->name));
}

/* Scheduler names the schedule group as the source of the role's use (its
   confused-deputy guidance); sfc's schedules are in the default group. */
static const char *schedule_group_arn(struct compilation *c) {
  return arena_printf(&c->arena, "arn:%s:scheduler:%s:%s:schedule-group/default", c->partition, region_of(c),
                      account_of(c));
}

/* The roles EventBridge and Scheduler assume start exactly this state machine;
   `allow start by ROLE` says what that role needs to start and watch executions. */
/* The files the printers write a role's documents to. */
static void role_files(struct compilation *c, struct iam_role *r) {
  r->policy_file = arena_printf(&c->arena, "%s.role-policy.json", r->name);
  r->trust_file = arena_printf(&c->arena, "%s.role-trust.json", r->name);
}

static void starters(struct builder *b, struct iam_policy *p, const struct workflow *w) {
  struct compilation *c = b->c;
  struct iam_grant **starts = &p->starts;
  struct iam_grant *start[2] = {NULL, NULL};
  struct iam_strings dlqs = {0};
  struct table seen = {0}; /* trust sources already listed */
  for (const struct trigger *tr = w->triggers; tr; tr = tr->next) {
    int k = tr->scheduler;
    struct iam_role *r = &p->starter[k];
    if (!start[k]) {
      r->name = starter_role_name(c, w, k);
      role_files(c, r);
      r->principal = k ? "scheduler.amazonaws.com" : "events.amazonaws.com";
      start[k] = r->grants = fixed_grant(b, "StartWorkflow", "states:StartExecution", p->state_machine, NULL);
    }
    strings_add(b->arena, &start[k]->who, tr->name);
    const char *source = k ? schedule_group_arn(c) : rule_arn(c, tr);
    const char *key = arena_printf(b->arena, "%d%s", k, source);
    if (!table_get(&seen, key)) {
      table_put(&seen, key, r);
      strings_add(b->arena, &r->sources, source);
    }
    /* Scheduler sends failed deliveries to the dead-letter queue with this role */
    if (tr->dead_letter && k) strings_add(b->arena, &dlqs, tr->dead_letter->arn);
    *starts = fixed_grant(b, NULL, "states:StartExecution", p->state_machine,
                          arena_printf(b->arena, "%s %s, as role %s", k ? "schedule" : "rule", tr->name, r->name));
    starts = &(*starts)->next;
  }
  table_free(&seen);
  if (dlqs.count) {
    strings_sort_unique(&dlqs);
    struct iam_grant *g = fixed_grant(b, "DeadLetter", "sqs:SendMessage", NULL, NULL);
    g->resources = dlqs;
    g->who = start[1]->who;
    start[1]->next = g;
  }
  const char *executions = arena_printf(b->arena, "arn:%s:states:%s:%s:execution:%s%s:*", c->partition,
                                        region_of(c), account_of(c), c->name_prefix, w->name.text);
  for (const struct allowed_starter *a = w->starters; a; a = a->next) {
    /* explain lists what the role's policy holds: start the machine, watch its executions */
    const char *who = arena_printf(b->arena, "role %s (allow start by)", a->role.text);
    *starts = fixed_grant(b, NULL, "states:StartExecution", p->state_machine, who);
    starts = &(*starts)->next;
    *starts = fixed_grant(b, NULL, "states:DescribeExecution", executions, who);
    starts = &(*starts)->next;
    if (a->decl) p->nallowed++;
  }
  p->allowed = arena_alloc(b->arena, (size_t)p->nallowed * sizeof *p->allowed);
  int i = 0;
  for (const struct allowed_starter *a = w->starters; a; a = a->next) {
    if (!a->decl) continue;
    struct iam_role *r = &p->allowed[i++];
    r->name = a->decl->name.text;
    r->policy_file = arena_printf(b->arena, "%s.start-%s.policy.json", r->name, w->name.text);
    r->grants = fixed_grant(b, "StartWorkflow", "states:StartExecution", p->state_machine, a->role.text);
    r->grants->next = fixed_grant(b, "WatchExecutions", "states:DescribeExecution", executions,
                                  a->role.text);
  }
}

struct iam_policy *iam_workflow(struct compilation *c, struct workflow *w) {
  static const struct iam_need tracing[] = {
      NEED("xray:GetSamplingRules xray:GetSamplingTargets xray:PutTelemetryRecords xray:PutTraceSegments", "*")};
  static const struct iam_need logging[] = {
      NEED("logs:CreateLogDelivery logs:DeleteLogDelivery logs:DescribeLogGroups "
           "logs:DescribeResourcePolicies logs:GetLogDelivery logs:ListLogDeliveries "
           "logs:PutResourcePolicy logs:UpdateLogDelivery", "*")};
  if (w->iam) return w->iam;
  struct iam_policy *p = NEW(&c->arena, struct iam_policy);
  struct builder b = {0};
  b.c = c;
  b.arena = &c->arena;
  b.tail = &b.grants;
  b.own_tail = &b.own;
  p->workflow = w->name.text;
  p->state_machine = state_machine_arn(c, w->name.text);
  p->account = account_of(c);
  collect(&b, w, w->order, w->nstates);
  struct need_ctx none = {0};
  if (w->tracing) grant_needs(&b, tracing, 1, &none, "Tracing", false);
  if (w->log_level && strcmp(w->log_level, "OFF") != 0) grant_needs(&b, logging, 1, &none, "Logging", false);
  table_free(&b.merged);
  p->execution.name = w->name.text;
  role_files(c, &p->execution);
  p->execution.principal = "states.amazonaws.com";
  p->execution.sources = one(&b, p->state_machine);
  p->execution.grants = finish(&b);
  starters(&b, p, w);
  w->iam = p;
  return p;
}

/* EventBridge sends undeliverable events to a rule's DLQ under the queue's policy.
   A queue has one policy, so it lists the rules of every workflow that use it. */
struct iam_queue_policy *iam_queue_policies(struct compilation *c) {
  struct table by_queue = {0}; /* queue name -> struct iam_queue_policy */
  for (const struct decl *d = c->program.decls; d; d = d->next) {
    if (d->kind != D_WORKFLOW) continue;
    for (const struct trigger *tr = d->workflow->triggers; tr; tr = tr->next) {
      if (!tr->dead_letter || tr->scheduler) continue;
      struct iam_queue_policy *q = table_get(&by_queue, tr->dead_letter->name.text);
      if (!q) {
        q = NEW(&c->arena, struct iam_queue_policy);
        q->queue = tr->dead_letter->name.text;
        q->queue_arn = tr->dead_letter->arn;
        q->file = arena_printf(&c->arena, "%s.queue-policy.json", q->queue);
        table_put(&by_queue, tr->dead_letter->name.text, q);
      }
      strings_add(&c->arena, &q->sources, rule_arn(c, tr));
    }
  }
  struct iam_queue_policy *first = NULL, **tail = &first;
  for (const struct decl *d = c->program.decls; d; d = d->next) {
    struct iam_queue_policy *q = d->kind == D_RESOURCE ? table_get(&by_queue, d->name.text) : NULL;
    if (!q || q->queue != d->name.text) continue;
    strings_sort_unique(&q->sources);
    *tail = q;
    tail = &q->next;
  }
  table_free(&by_queue);
  return first;
}
