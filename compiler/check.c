/* check.c: everything about meaning, after parsing and before emitting.
 *
 * In order: top-level names, -D values and the aws { } block, string
 * interpolation, resource ARNs, events; then per workflow: collect every state
 * (names are unique across the whole workflow), give each state its Next or End
 * (sequencing), check options, values, paths and conditions per state kind, and
 * finally walk the graph for reachability and terminal states. Every check reports
 * and goes on, so one run shows every mistake.
 */
#include "sfc.h"
#include "parser.h"

#include <stdlib.h>
#include <string.h>


struct checker {
  struct compilation *c;
  struct diag *d;
  struct arena *arena;
  struct table names; /* top-level declarations by name */
  struct decl *aws;
  struct workflow *wf;
  bool graph_checks;  /* off in a workflow with a syntax error: its graph is incomplete */
  bool graph_broken;  /* a jump did not resolve: reachability would only cascade */
  bool jsonata;       /* the state being checked uses JSONata */
};

/* ------------------------------------------------------------ names */

const char *resource_kind_name(enum resource_kind k) {
  static const char *const names[] = {"lambda", "activity", "queue", "topic", "table",
                                      "bus", "bucket", "statemachine", "role"};
  return names[k];
}

const char *state_kind_name(enum state_kind k) {
  static const char *const names[] = {"task", "pass", "wait", "choice",
                                      "parallel", "succeed", "fail", "map"};
  return names[k];
}

const char *option_name(enum option_kind k) {
  static const char *const names[] = {
      "from", "with", "select", "into", "output", "timeout", "heartbeat", "retry",
      "catch", "comment", "wait for callback", "error", "cause", "->", "end", "subject",
      "sync", "key", "item", "group", "dedup", "delay", "connection", "on", "attributes",
      "credentials", "assign", "asl", "resources", "over", "as", "concurrency", "distributed",
      "reader", "batch", "writer", "tolerate", "tolerate", "label", "query", "inline", "legacy"};
  _Static_assert(sizeof names / sizeof *names == OPT_COUNT, "one name per option kind");
  return names[k];
}

static const char *decl_kind_name(const struct decl *d) {
  switch (d->kind) {
  case D_PARAM: return "param";
  case D_RESOURCE: return resource_kind_name(d->resource);
  case D_EVENT: return "event";
  case D_AWS: return "aws block";
  case D_WORKFLOW: return "workflow";
  case D_TEST: return "test";
  }
  return "?";
}

static int strcasecmp_ascii(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
    char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
    if (x != y) return x - y;
  }
  return *a - *b;
}

const char *article(const char *word) {
  return strchr("aeiou", word[0]) || !strncmp(word, "HTTP", 4) ? "an" : "a";
}

static void where(struct checker *k, struct loc loc, char *out, size_t n) {
  int line, col;
  diag_line_col(k->d, loc.file, loc.start, &line, &col);
  snprintf(out, n, "%s:%d:%d", k->d->files[loc.file].name, line, col);
}


static bool has_control(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7f) return true;
  /* U+0080..U+009F are C2 80..C2 9F in UTF-8 */
  for (const unsigned char *p = (const unsigned char *)s; p[0] && p[1]; p++)
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) return true;
  return false;
}

static void check_state_name(struct checker *k, struct state *s) {
  struct name n = s->name;
  if (!n.text) return;
  if (!*n.text) diag_error(k->d, n.loc, "a state name cannot be empty");
  else if (utf8_count(n.text, strlen(n.text)) > ASL_MAX_NAME && s->kind == S_TASK && s->task == T_EMIT && !s->named)
    diag_error(k->d, n.loc, "this emit's state is named '%s', longer than the 80 characters ASL "
               "allows; name it with 'emit NAME = %s'", n.text, s->target.text);
  else if (utf8_count(n.text, strlen(n.text)) > ASL_MAX_NAME)
    diag_error(k->d, n.loc, "state name is %zu characters long; ASL allows at most 80",
               utf8_count(n.text, strlen(n.text)));
  else if (has_control(n.text))
    diag_error(k->d, n.loc, "a state name cannot contain control characters");
}

/* A name sfc is given or derives, against AWS's rules for its kind (names.c), after
   -D substitution: what reaches an ARN, a policy or a file name is valid there. */
bool report_aws_name(struct diag *d, enum name_kind kind, const char *text, struct loc at) {
  const char *msg = name_check(kind, text, strlen(text), NULL);
  if (!msg) return true;
  if (*text) diag_error(d, at, "'%s': %s", text, msg); /* diag.c caps a long quote */
  else diag_error(d, at, "%s", msg);
  return false;
}

/* ------------------------------------------------------------ declarations */

/* Two declarations of one param agree when their defaults are the same literal. */
static bool same_default(const struct decl *a, const struct decl *b) {
  const struct value *x = a->param_default, *y = b->param_default;
  if (!x || !y) return x == y;
  if (x->kind != y->kind) return false;
  switch (x->kind) {
  case V_STRING:
    return !x->string->parts && !y->string->parts && x->string->len == y->string->len &&
           !memcmp(x->string->text, y->string->text, x->string->len);
  case V_INT: return x->integer == y->integer;
  case V_BOOL: return x->boolean == y->boolean;
  default: return false;
  }
}

static void declare(struct checker *k, struct decl *d) {
  if (d->kind == D_AWS) {
    if (k->aws) {
      char at[256];
      where(k, k->aws->loc, at, sizeof at);
      diag_error(k->d, d->loc, "a second aws block (the first is at %s)", at);
    } else {
      k->aws = d;
    }
    return;
  }
  if (!d->name.text) return;
  struct decl *old = table_get(&k->names, d->name.text);
  if (old && old->kind == D_PARAM && d->kind == D_PARAM && same_default(old, d))
    return; /* each file of a program may declare the params it uses */
  if (old) {
    char at[256];
    where(k, old->name.loc, at, sizeof at);
    diag_error(k->d, d->name.loc, "'%s' is already declared (as a %s at %s)", d->name.text,
               decl_kind_name(old), at);
    return;
  }
  table_put(&k->names, d->name.text, d);
}

/* A name that may be declared where a syntax error was (a broken declaration, or one
   the parser lost): its uses are not checked, which would only repeat that error. */
bool name_unchecked(const struct compilation *c, const struct decl *d) {
  return d ? d->broken && d->kind != D_WORKFLOW : c->program.lost_names;
}

static struct define *find_define(struct checker *k, const char *name) {
  const struct options *o = k->c->options;
  for (int i = o->ndefines - 1; i >= 0; i--) /* the last -D of a name wins */
    if (!strcmp(o->defines[i].name, name)) return &o->defines[i];
  return NULL;
}

static void resolve_param(struct checker *k, struct decl *d) {
  struct define *def = find_define(k, d->name.text);
  if (def) {
    def->used = true;
    d->param_value = def->value;
    d->param_given = true;
    return;
  }
  struct value *v = d->param_default;
  if (!v) return;
  switch (v->kind) {
  case V_STRING:
    if (v->string->parts) {
      diag_error(k->d, v->loc, "a param default cannot use ${...} interpolation");
      return;
    }
    d->param_value = v->string->text;
    break;
  case V_INT: d->param_value = arena_printf(k->arena, "%lld", v->integer); break;
  case V_REAL: d->param_value = v->text; break;
  case V_BOOL: d->param_value = v->boolean ? "true" : "false"; break;
  default:
    diag_error(k->d, v->loc, "a param default must be a string, number or boolean");
    return;
  }
  d->param_given = true;
}

/* Replaces every ${name} by the param's value or the resource's ARN. Returns false
   when the text is not final: an error was reported, or a param has no value yet
   (then the text keeps ${name}, and checks of its form must be skipped). */
static bool resolve_string(struct checker *k, struct str *s, bool params_only) {
  if (!s) return true;
  if (!s->parts || s->text) return s->resolved_ok || !s->parts;
  bool ok = true;
  struct buf b = {0};
  buf_adds(&b, "");
  for (struct str_part *p = s->parts; p; p = p->next) {
    if (!p->is_ref) {
      buf_add(&b, p->text, p->len);
      continue;
    }
    struct decl *d = table_get(&k->names, p->text);
    size_t before = b.len;
    if (name_unchecked(k->c, d)) {
      buf_printf(&b, "${%s}", p->text);
      ok = false;
    } else if (d && d->kind == D_PARAM) {
      if (d->param_given && k->c->options->template_params) {
        /* the Terraform module's shadow compile: the param stays a placeholder */
        buf_printf(&b, "${%s}", p->text);
        ok = false;
      } else if (d->param_given) {
        buf_adds(&b, d->param_value);
      } else {
        if (k->c->options->for_output)
          diag_error(k->d, p->loc,
                     "param '%s' has no value: give it a default or pass -D %s=VALUE", p->text,
                     p->text);
        buf_printf(&b, "${%s}", p->text);
        ok = false;
      }
    } else if (d && d->kind == D_RESOURCE && !params_only) {
      buf_adds(&b, d->arn ? d->arn : "");
    } else if (d && d->kind == D_RESOURCE) {
      diag_error(k->d, p->loc, "only params can be used here, not the %s '%s'",
                 decl_kind_name(d), p->text);
      ok = false;
    } else if (d) {
      diag_error(k->d, p->loc, "'${%s}' names a %s; only params and resources can be used in a string",
                 p->text, decl_kind_name(d));
      ok = false;
    } else {
      diag_error(k->d, p->loc, "'${%s}': no param or resource named '%s'", p->text, p->text);
      ok = false;
    }
    p->value = arena_strndup(k->arena, b.data + before, b.len - before);
  }
  s->text = arena_strndup(k->arena, b.data, b.len);
  s->len = b.len;
  s->resolved_ok = ok;
  buf_free(&b);
  return ok;
}

static bool all_digits(const char *s, size_t n) {
  if (strlen(s) != n) return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

/* Region names look like us-east-1, eu-central-2, us-gov-west-1, cn-north-1. */
static bool valid_region(const char *s) {
  const char *p = s;
  int words = 0;
  while (*p >= 'a' && *p <= 'z') {
    while (*p >= 'a' && *p <= 'z') p++;
    words++;
    if (*p != '-') return false;
    p++;
  }
  if (words < 2 || !(*p >= '1' && *p <= '9')) return false;
  while (*p >= '0' && *p <= '9') p++;
  return *p == 0;
}

static bool valid_partition(const char *s) {
  static const char *const known[] = {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b",
                                      "aws-iso-e", "aws-iso-f", "aws-eusc"};
  for (size_t i = 0; i < sizeof known / sizeof *known; i++)
    if (!strcmp(s, known[i])) return true;
  return false;
}

/* Account, region and partition: -D wins over the aws block. */
static void resolve_aws(struct checker *k) {
  struct compilation *c = k->c;
  const char *account = NULL, *region = NULL, *partition = NULL;
  struct loc account_loc = {0}, region_loc = {0}, partition_loc = {0};
  if (k->aws) {
    for (struct field *f = k->aws->fields; f; f = f->next) {
      const char **slot = NULL;
      struct loc *at = NULL;
      if (f->keyword == TOK_ACCOUNT) slot = &account, at = &account_loc;
      else if (f->keyword == TOK_REGION) slot = &region, at = &region_loc;
      else if (f->keyword == TOK_PARTITION) slot = &partition, at = &partition_loc;
      else {
        diag_error(k->d, f->loc, "an aws block takes account, region and partition only");
        continue;
      }
      if (*slot) {
        diag_error(k->d, f->loc, "duplicate '%s' in the aws block",
                   f->keyword == TOK_ACCOUNT ? "account" : f->keyword == TOK_REGION ? "region" : "partition");
        continue;
      }
      if (!resolve_string(k, f->text, true)) continue;
      *slot = f->text->text;
      *at = f->text->loc;
    }
  }
  struct define *def;
  bool from_d[3] = {false, false, false};
  if ((def = find_define(k, "account"))) account = def->value, def->used = true, from_d[0] = true;
  if ((def = find_define(k, "region"))) region = def->value, def->used = true, from_d[1] = true;
  if ((def = find_define(k, "partition"))) partition = def->value, def->used = true, from_d[2] = true;

  if (account && !all_digits(account, 12)) {
    if (from_d[0]) {
      diag_error_noloc(k->d, "-D account=%s: an AWS account ID is 12 digits", account);
      c->usage_error = true;
    } else {
      diag_error(k->d, account_loc, "an AWS account ID is 12 digits, not '%s'", account);
    }
    account = NULL;
  }
  if (region && !valid_region(region)) {
    if (from_d[1]) {
      diag_error_noloc(k->d, "-D region=%s: not an AWS region name (like us-east-1)", region);
      c->usage_error = true;
    } else {
      diag_error(k->d, region_loc, "'%s' is not an AWS region name (like us-east-1)", region);
    }
    region = NULL;
  }
  if (partition && !valid_partition(partition)) {
    if (from_d[2]) {
      diag_error_noloc(k->d, "-D partition=%s: not an AWS partition (aws, aws-cn, aws-us-gov, ...)",
                       partition);
      c->usage_error = true;
    } else {
      diag_error(k->d, partition_loc, "'%s' is not an AWS partition (aws, aws-cn, aws-us-gov, ...)",
                 partition);
    }
    partition = NULL;
  }
  c->account = account;
  c->region = region;
  c->partition = partition ? partition : "aws";
  c->partition_given = partition != NULL;
  /* the shadow compile: the module takes the partition from the provider */
  if (!partition && c->options->template_params) c->partition = "${partition}";
  c->name_prefix = c->options->template_params ? "${name_prefix}" : "";
}

/* The kinds that every field naming them takes by ARN (Resource, FunctionName, TopicArn,
   StateMachineArn, RoleArn), so one deploy-time placeholder can stand for the ARN; a
   queue is named by its URL, a bucket and a table by name, a bus's rules by name. */
static const bool names_by_arn[R_ROLE + 1] = {[R_LAMBDA] = true, [R_ACTIVITY] = true, [R_TOPIC] = true,
                                             [R_STATEMACHINE] = true, [R_ROLE] = true};

/* A deploy-time placeholder written so ("$${Name}"), not a param's value, which the
   Terraform module's shadow compile also leaves as a placeholder. */
static bool is_written_placeholder(const struct str *value) {
  for (const struct str_part *p = value->parts; p; p = p->next)
    if (p->is_ref) return false;
  return is_deploy_placeholder(value->text);
}

/* The ARN of a declared resource. A value that is already an ARN stays as written,
   and so does a deploy-time placeholder (of a kind named by ARN); a bare name is
   placed in the kind's ARN pattern. Without account or region the ARN keeps
   ${account} / ${region} placeholders (Terraform templatefile syntax). */
static const char *resource_arn(struct checker *k, struct decl *d) {
  const char *name = d->value->text;
  if (!strncmp(name, "arn:", 4)) return name;
  if (is_written_placeholder(d->value) && names_by_arn[d->resource]) return name;
  /* "${p}" where p holds an ARN: in the shadow compile the ARN is the placeholder */
  const struct str_part *only = d->value->parts;
  if (k->c->options->template_params && only && only->is_ref && !only->next) {
    const struct decl *p = table_get(&k->names, only->text);
    if (p && p->kind == D_PARAM && p->param_given && !strncmp(p->param_value, "arn:", 4)) return name;
  }
  const char *p = k->c->partition;
  const char *r = k->c->region ? k->c->region : "${region}";
  const char *a = k->c->account ? k->c->account : "${account}";
  switch (d->resource) {
  case R_LAMBDA: return arena_printf(k->arena, "arn:%s:lambda:%s:%s:function:%s", p, r, a, name);
  case R_ACTIVITY: return arena_printf(k->arena, "arn:%s:states:%s:%s:activity:%s", p, r, a, name);
  case R_QUEUE: return arena_printf(k->arena, "arn:%s:sqs:%s:%s:%s", p, r, a, name);
  case R_TOPIC: return arena_printf(k->arena, "arn:%s:sns:%s:%s:%s", p, r, a, name);
  case R_TABLE: return arena_printf(k->arena, "arn:%s:dynamodb:%s:%s:table/%s", p, r, a, name);
  case R_BUS: return arena_printf(k->arena, "arn:%s:events:%s:%s:event-bus/%s", p, r, a, name);
  case R_BUCKET: return arena_printf(k->arena, "arn:%s:s3:::%s", p, name);
  case R_STATEMACHINE:
    return arena_printf(k->arena, "arn:%s:states:%s:%s:stateMachine:%s", p, r, a, name);
  case R_ROLE: return arena_printf(k->arena, "arn:%s:iam::%s:role/%s", p, a, name);
  }
  return name;
}

/* SQS takes a queue URL: https://sqs.REGION.amazonaws.com/ACCOUNT/NAME, from the ARN
   parts when the queue was declared by ARN. */
static const char *queue_url(struct checker *k, struct decl *d) {
  const char *arn = d->arn;
  const char *parts[6] = {0};
  int n = 0;
  parts[n++] = arn;
  for (const char *p = arn; *p && n < 6; p++)
    if (*p == ':') parts[n++] = p + 1;
  if (n < 6) return arn;
  const char *domain = !strncmp(parts[1], "aws-cn:", 7) ? "amazonaws.com.cn" : "amazonaws.com";
  return arena_printf(k->arena, "https://sqs.%.*s.%s/%.*s/%s", (int)(parts[4] - parts[3] - 1),
                      parts[3], domain, (int)(parts[5] - parts[4] - 1), parts[4], parts[5]);
}

/* `notifications managed|external` on a bucket, `policy managed|external` on a queue. */
static void check_owner(struct checker *k, struct decl *d) {
  if (!d->setting.text) return;
  const char *want = d->resource == R_BUCKET ? "notifications" : d->resource == R_QUEUE ? "policy" : NULL;
  if (!want) {
    diag_error(k->d, d->setting.loc, "expected a new declaration after the %s '%s', found '%s' "
               "(only a bucket takes 'notifications', and a queue 'policy')",
               resource_kind_name(d->resource), d->name.text, shown(d->setting.text));
  } else if (strcmp(d->setting.text, want)) {
    diag_error(k->d, d->setting.loc, "expected '%s managed' or '%s external' after the %s, found '%s'",
               want, want, resource_kind_name(d->resource), shown(d->setting.text));
  } else if (!strcmp(d->setting_value.text, "managed")) {
    d->owner = OWNER_MODULE;
  } else if (!strcmp(d->setting_value.text, "external")) {
    d->owner = OWNER_EXTERNAL;
  } else {
    diag_error(k->d, d->setting_value.loc, "expected 'managed' (the Terraform module sets the %s) or "
               "'external' (they are set elsewhere), found '%s'",
               d->resource == R_BUCKET ? "bucket's notifications" : "queue's policy",
               shown(d->setting_value.text));
  }
}

static void check_resource(struct checker *k, struct decl *d) {
  check_owner(k, d);
  bool final = resolve_string(k, d->value, true);
  const char *v = d->value->text;
  if (!*v) {
    diag_error(k->d, d->value->loc, "a %s needs a name or an ARN", resource_kind_name(d->resource));
    d->arn = "";
    return;
  }
  if (!final) {
    /* the form is checked once the params have values */
  } else if (is_written_placeholder(d->value)) {
    /* "$${Name}": the ARN a deploy tool puts there (SAM's DefinitionSubstitutions, Fn::Sub) */
    if (!names_by_arn[d->resource])
      diag_error(k->d, d->value->loc, "a deploy-time placeholder cannot stand for a whole %s ARN: "
                 "the definition names a %s by its %s, which sfc takes from the ARN's parts; write "
                 "the ARN with the placeholder inside it (\"arn:...:$${Name}\")",
                 resource_kind_name(d->resource), resource_kind_name(d->resource),
                 d->resource == R_QUEUE ? "URL" : "name");
  } else if (!strncmp(v, "arn:", 4)) {
    static const char *const service[] = {":lambda:", ":states:", ":sqs:", ":sns:", ":dynamodb:",
                                          ":events:", ":s3:", ":states:", ":iam:"};
    const char *svc = service[d->resource];
    const char *rest = strchr(v + 4, ':');
    if (!rest || strncmp(rest, svc, strlen(svc)) != 0)
      diag_error(k->d, d->value->loc, "this ARN is not a %s ARN (expected 'arn:PARTITION%s...')",
                 resource_kind_name(d->resource), svc);
    else if (strpbrk(v, "*?")) /* IAM reads these as wildcards in the grants */
      diag_error(k->d, d->value->loc, "a %s ARN cannot contain '%c': in a policy it would be a "
                 "wildcard; name the one resource", resource_kind_name(d->resource), *strpbrk(v, "*?"));
    else if (d->resource == R_LAMBDA)
      report_aws_name(k->d, NAME_LAMBDA, v, d->value->loc);
  } else {
    static const enum name_kind kinds[] = {
        [R_LAMBDA] = NAME_LAMBDA, [R_ACTIVITY] = NAME_ACTIVITY, [R_QUEUE] = NAME_QUEUE,
        [R_TOPIC] = NAME_TOPIC, [R_TABLE] = NAME_TABLE, [R_BUS] = NAME_BUS,
        [R_BUCKET] = NAME_BUCKET, [R_STATEMACHINE] = NAME_STATE_MACHINE, [R_ROLE] = NAME_ROLE};
    report_aws_name(k->d, kinds[d->resource], v, d->value->loc);
  }
  d->arn = resource_arn(k, d);
  if (d->resource == R_QUEUE) d->url = queue_url(k, d);
}

static void check_event(struct checker *k, struct decl *d) {
  bool seen_description = false;
  for (struct field *f = d->fields; f; f = f->next) {
    const char **slot = NULL;
    const char *label = NULL;
    switch (f->keyword) {
    case TOK_SOURCE: slot = &d->event_source; label = "source"; break;
    case TOK_DETAIL_TYPE: slot = &d->event_detail_type; label = "detail-type"; break;
    case TOK_DESCRIPTION:
      if (seen_description) diag_error(k->d, f->loc, "duplicate 'description' in event '%s'", d->name.text);
      seen_description = true;
      continue;
    case TOK_BUS: {
      if (d->event_bus) {
        diag_error(k->d, f->loc, "duplicate 'bus' in event '%s'", d->name.text);
        continue;
      }
      struct decl *bus = table_get(&k->names, f->ref.text);
      if (name_unchecked(k->c, bus)) continue;
      if (!bus) diag_error(k->d, f->ref.loc, "no bus named '%s'", f->ref.text);
      else if (bus->kind != D_RESOURCE || bus->resource != R_BUS) {
        char at[256];
        where(k, bus->name.loc, at, sizeof at);
        diag_error(k->d, f->ref.loc, "'%s' is %s %s (declared at %s), not a bus", f->ref.text,
                   article(decl_kind_name(bus)), decl_kind_name(bus), at);
      } else {
        d->event_bus = bus->value->text; /* EventBusName takes the name or the ARN as declared */
        d->event_bus_arn = bus->arn;
      }
      continue;
    }
    default:
      diag_error(k->d, f->loc, "an event takes source, detail-type, bus and description only");
      continue;
    }
    if (*slot) {
      diag_error(k->d, f->loc, "duplicate '%s' in event '%s'", label, d->name.text);
      continue;
    }
    resolve_string(k, f->text, false);
    if (!f->text->len) diag_error(k->d, f->text->loc, "an event's %s cannot be empty", label);
    *slot = f->text->text;
  }
  if (!d->event_source) diag_error(k->d, d->name.loc, "event '%s' needs a source", d->name.text);
  if (!d->event_detail_type)
    diag_error(k->d, d->name.loc, "event '%s' needs a detail-type", d->name.text);
}

/* ------------------------------------------------------------ paths and values */

enum path_use {
  USE_PATH,      /* any path: InputPath, OutputPath, payload template values */
  USE_REFERENCE, /* one node: Variable, *Path fields */
  USE_RESULT,    /* ResultPath: one node in the input, not $$ or a variable */
};

static bool check_path(struct checker *k, const struct value *v, enum path_use use,
                       const char *what) {
  struct path_info info;
  size_t offset = 0;
  const char *msg = path_check(v->text, v->len, &info, &offset);
  if (msg) {
    struct loc at = v->loc;
    at.start += (int)offset;
    at.end = at.start + 1 <= v->loc.end ? at.start + 1 : v->loc.end;
    diag_error(k->d, at, "invalid path: %s", msg);
    return false;
  }
  if (use == USE_RESULT && info.root == PATH_CONTEXT) {
    diag_error(k->d, v->loc, "%s cannot write to the context object ($$)", what);
    return false;
  }
  if (use == USE_RESULT && info.root == PATH_VARIABLE) {
    diag_error(k->d, v->loc, "%s cannot write to a variable (variables are set with 'assign')", what);
    return false;
  }
  if (use != USE_PATH && !info.is_reference) {
    diag_error(k->d, v->loc,
               "%s needs a path to a single value (no '*', '..', ',', ':' or filters)", what);
    return false;
  }
  return true;
}


static int count_values(const struct value *v) {
  int n = 0;
  for (; v; v = v->next) n++;
  return n;
}

/* The number of {} placeholders in a format template: only the text written in the
   template counts, not what a ${param} brings in. */
static int count_text_placeholders(const char *s, size_t len) {
  int n = 0;
  for (size_t i = 0; i + 1 < len; i++)
    if (s[i] == '{' && s[i + 1] == '}') n++, i++;
  return n;
}

static int count_placeholders(const struct str *s) {
  if (!s->parts) return count_text_placeholders(s->text, s->len);
  int n = 0;
  for (const struct str_part *p = s->parts; p; p = p->next)
    if (!p->is_ref) n += count_text_placeholders(p->text, p->len);
  return n;
}

static void check_value(struct checker *k, struct value *v, bool dynamic_ok, const char *what);

static void check_call(struct checker *k, struct value *v, const char *what) {
  const struct intrinsic *f = find_intrinsic(v->text);
  if (!f) {
    diag_error(k->d, v->loc, "unknown function '%s'", v->text);
    return;
  }
  int n = count_values(v->items);
  if (n < f->min_args || (f->max_args >= 0 && n > f->max_args)) {
    if (f->min_args == f->max_args)
      diag_error(k->d, v->loc, "%s takes %d argument%s, not %d", v->text, f->min_args,
                 f->min_args == 1 ? "" : "s", n);
    else if (f->max_args < 0)
      diag_error(k->d, v->loc, "%s takes at least %d argument%s, not %d", v->text, f->min_args,
                 f->min_args == 1 ? "" : "s", n);
    else
      diag_error(k->d, v->loc, "%s takes %d %s %d arguments, not %d", v->text, f->min_args,
                 f->max_args == f->min_args + 1 ? "or" : "to", f->max_args, n);
    return;
  }
  for (struct value *a = v->items; a; a = a->next) {
    if (a->kind == V_OBJECT || a->kind == V_ARRAY) {
      diag_error(k->d, a->loc,
                 "an argument of %s must be a string, number, boolean, null, path or call",
                 v->text);
      continue;
    }
    check_value(k, a, true, what); /* a newline in a string argument is fine: AWS runs it */
  }
  const struct value *first = v->items;
  if (!strcmp(f->asl, "Format") && first && first->kind == V_STRING && first->string->text) {
    int want = count_placeholders(first->string);
    if (want != n - 1)
      diag_error(k->d, v->loc, "the format string has %d {} placeholder%s but %d value%s follow%s",
                 want, want == 1 ? "" : "s", n - 1, n - 1 == 1 ? "" : "s", n - 1 == 1 ? "s" : "");
  }
  if (!strcmp(f->asl, "Hash") && first && first->next && first->next->kind == V_STRING) {
    static const char *const algorithms[] = {"MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"};
    const char *alg = first->next->string->text;
    bool known = false;
    for (int i = 0; i < 5 && alg; i++) known = known || !strcmp(alg, algorithms[i]);
    if (!known)
      diag_error(k->d, first->next->loc,
                 "hash algorithm must be MD5, SHA-1, SHA-256, SHA-384 or SHA-512");
  }
  if (!strcmp(f->asl, "JsonMerge") && n == 3) {
    const struct value *deep = first->next->next;
    if (deep->kind != V_BOOL || deep->boolean)
      diag_error(k->d, deep->loc,
                 "the third argument of %s must be false: Step Functions merges shallowly only",
                 v->text);
  }
}

static bool is_dynamic(const struct value *v) {
  return v->kind == V_PATH || v->kind == V_CALL;
}

bool array_is_dynamic(const struct value *v) {
  if (v->kind != V_ARRAY) return false;
  for (const struct value *i = v->items; i; i = i->next)
    if (is_dynamic(i) || array_is_dynamic(i)) return true;
  return false;
}

/* Checks a value: strings resolved, paths and calls valid, keys unique. */
/* {% %} belongs to JSONata states, paths and functions to JSONPath ones. */
static bool check_query_language(struct checker *k, const struct value *v) {
  if (v->kind == V_JSONATA && !k->jsonata) {
    diag_error(k->d, v->loc, "a {%% %%} expression needs JSONata: write 'query jsonata' in the "
               "workflow or the state");
    return false;
  }
  if ((v->kind == V_PATH || v->kind == V_CALL) && k->jsonata) {
    diag_error(k->d, v->loc, "this state uses JSONata, where JSONPath %s do not work: write "
               "{%% $states.input.x %%}", v->kind == V_PATH ? "paths" : "functions");
    return false;
  }
  return true; /* a JSONata expression is judged on the lowered document (asl_check.c) */
}

static void check_value(struct checker *k, struct value *v, bool dynamic_ok, const char *what) {
  switch (v->kind) {
  case V_STRING: resolve_string(k, v->string, false); break;
  case V_JSONATA:
    if (!dynamic_ok) diag_error(k->d, v->loc, "%s is static: an expression is not evaluated here", what);
    else check_query_language(k, v);
    break;
  case V_PATH:
    if (!dynamic_ok)
      diag_error(k->d, v->loc, "%s is static: a path here would stay a plain string", what);
    else if (check_query_language(k, v)) check_path(k, v, USE_PATH, what);
    break;
  case V_CALL:
    if (!dynamic_ok) diag_error(k->d, v->loc, "%s is static: a function call is not evaluated here", what);
    else if (check_query_language(k, v)) check_call(k, v, what);
    break;
  case V_OBJECT: {
    struct table seen = {0};
    for (struct member *m = v->members; m; m = m->next) {
      size_t n = strlen(m->key);
      if (n == 0)
        diag_error(k->d, m->key_loc, "a key cannot be empty");
      else if (n >= 2 && !strcmp(m->key + n - 2, ".$"))
        diag_error(k->d, m->key_loc,
                   "sfc adds the '.$' suffix itself: write '%.*s' with a path or call as its value",
                   (int)(n - 2), m->key);
      else if (table_get(&seen, m->key))
        diag_error(k->d, m->key_loc, "duplicate key '%s'", m->key);
      table_put(&seen, m->key, m);
      check_value(k, m->value, dynamic_ok, what);
    }
    table_free(&seen);
    break;
  }
  case V_ARRAY: {
    bool has_object = false;
    for (struct value *i = v->items; i; i = i->next) {
      has_object = has_object || i->kind == V_OBJECT;
      check_value(k, i, dynamic_ok, what);
    }
    /* ASL evaluates only keys ending in .$, so an array holding paths (at any depth of
       arrays) becomes States.Array(...), which cannot hold objects. */
    if (dynamic_ok && array_is_dynamic(v) && has_object)
      diag_error(k->d, v->loc,
                 "an array with paths or calls in it becomes States.Array(...), which cannot also "
                 "hold objects");
    break;
  }
  default: break;
  }
}

static bool value_mentions_path(const struct value *v, const char *path) {
  if (!v) return false;
  if (v->kind == V_PATH) return !strcmp(v->text, path);
  for (const struct member *m = v->kind == V_OBJECT ? v->members : NULL; m; m = m->next)
    if (value_mentions_path(m->value, path)) return true;
  for (const struct value *i = (v->kind == V_ARRAY || v->kind == V_CALL) ? v->items : NULL; i;
       i = i->next)
    if (value_mentions_path(i, path)) return true;
  return false;
}

static bool looks_like_path(const char *s) { return s && s[0] == '$' && (s[1] == '.' || s[1] == '$' || s[1] == '[' || s[1] == 0); }

static void warn_static_paths(struct checker *k, const struct value *v) {
  if (v->kind == V_STRING && looks_like_path(v->string->text))
    diag_warning(k->d, W_LITERAL_PATH, v->loc,
                 "a pass result is never evaluated, so \"%s\" stays a string; use 'with' to read "
                 "the input", v->string->text);
  for (const struct member *m = v->kind == V_OBJECT ? v->members : NULL; m; m = m->next)
    warn_static_paths(k, m->value);
  for (const struct value *i = v->kind == V_ARRAY ? v->items : NULL; i; i = i->next)
    warn_static_paths(k, i);
}

/* ------------------------------------------------------------ conditions */

static void check_cond(struct checker *k, struct cond *c) {
  if (k->jsonata && c->kind != C_JSONATA) {
    diag_error(k->d, c->loc, "this choice uses JSONata: write the condition as {%% expression %%}");
    return;
  }
  switch (c->kind) {
  case C_JSONATA:
    if (c->operand->kind == V_BOOL && !k->jsonata)
      diag_error(k->d, c->loc, "a constant condition is JSONata's: write 'query jsonata' in the "
                 "workflow or the state");
    check_query_language(k, c->operand);
    return;
  case C_AND:
  case C_OR:
    if (c->grouped) {
      for (struct cond *item = c->left; item; item = item->next) {
        check_cond(k, item);
        if (item->comment) resolve_string(k, item->comment, false);
      }
      return;
    }
    check_cond(k, c->left);
    check_cond(k, c->right);
    return;
  case C_NOT: check_cond(k, c->left); return;
  case C_MATCHES:
    check_path(k, c->path, USE_REFERENCE, "a choice condition");
    resolve_string(k, c->operand->string, false);
    return;
  case C_IS: check_path(k, c->path, USE_REFERENCE, "a choice condition"); return;
  case C_COMPARE: break;
  }
  check_path(k, c->path, USE_REFERENCE, "a choice condition");
  struct value *v = c->operand;
  if (c->cast != CAST_NONE) {
    if (v->kind == V_PATH) {
      check_path(k, v, USE_REFERENCE, "the right side of a comparison");
      if (c->cast == CAST_BOOLEAN && c->op != OP_EQ && c->op != OP_NE)
        diag_error(k->d, c->loc, "booleans compare with == and != only");
      return;
    }
    if (c->cast == CAST_TIMESTAMP && v->kind == V_STRING) {
      if (resolve_string(k, v->string, false) && !asl_timestamp_valid(v->string->text, v->string->len))
        diag_error(k->d, v->loc,
                   "'%s' is not an RFC 3339 timestamp like 2026-01-31T09:30:00Z", v->string->text);
      return;
    }
    /* a number the deploy tool fills in, as Terraform's templatefile does */
    if (c->cast == CAST_NUMBER && v->kind == V_STRING && resolve_string(k, v->string, false) &&
        is_deploy_placeholder(v->string->text))
      return;
    diag_error(k->d, v->loc,
               "number(), string() and boolean() take a path, as in number($.x); timestamp() "
               "takes a path or a timestamp string; number() also takes a deploy-time "
               "placeholder (\"$${Name}\")");
    return;
  }
  switch (v->kind) {
  case V_STRING: resolve_string(k, v->string, false); return;
  case V_INT:
  case V_REAL: return;
  case V_BOOL:
    if (c->op != OP_EQ && c->op != OP_NE)
      diag_error(k->d, c->loc, "booleans compare with == and != only");
    return;
  case V_PATH:
    diag_error(k->d, v->loc,
               "comparing two paths needs the type of the comparison: write number(%s), "
               "string(%s), boolean(%s) or timestamp(%s)", v->text, v->text, v->text, v->text);
    return;
  case V_NULL:
    diag_error(k->d, v->loc, "test for null with '%s is %snull'", c->path->text,
               c->op == OP_NE ? "not " : "");
    return;
  default:
    diag_error(k->d, v->loc, "a condition compares with a string, number, boolean or timestamp(...)");
  }
}

/* ------------------------------------------------------------ states */

/* Which options each state kind takes. */
static bool is_task(const struct state *s, enum task_kind t) { return s->kind == S_TASK && s->task == t; }

/* Which options each state kind takes. */
static bool option_allowed(const struct state *s, enum option_kind o) {
  bool task = s->kind == S_TASK, map = s->kind == S_MAP;
  unsigned patterns = task && s->integration ? s->integration->patterns : 0;
  switch (o) {
  case OPT_COMMENT:
  case OPT_ASL: return true;
  case OPT_FROM:
  case OPT_OUTPUT: return s->kind != S_FAIL;
  case OPT_ASSIGN: return s->kind != S_FAIL && s->kind != S_SUCCEED;
  case OPT_JUMP:
  case OPT_END: return s->kind != S_CHOICE && s->kind != S_SUCCEED && s->kind != S_FAIL;
  case OPT_WITH: return task || s->kind == S_PARALLEL || s->kind == S_PASS || map;
  case OPT_INTO: return task || s->kind == S_PARALLEL || s->kind == S_PASS || map;
  case OPT_SELECT:
  case OPT_RETRY:
  case OPT_CATCH: return task || s->kind == S_PARALLEL || map;
  case OPT_TIMEOUT:
  case OPT_HEARTBEAT:
  case OPT_CREDENTIALS: return task;
  case OPT_CALLBACK: return (patterns & PATTERN_CALLBACK) != 0;
  case OPT_SYNC: return (patterns & (PATTERN_SYNC | PATTERN_SYNC2)) != 0;
  case OPT_SUBJECT: return is_task(s, T_PUBLISH);
  case OPT_ATTRIBUTES: return is_task(s, T_PUBLISH) || is_task(s, T_SEND);
  case OPT_GROUP:
  case OPT_DEDUP:
  case OPT_DELAY: return is_task(s, T_SEND);
  case OPT_KEY: return is_task(s, T_GET) || is_task(s, T_UPDATE) || is_task(s, T_DELETE);
  case OPT_ITEM: return is_task(s, T_PUT);
  case OPT_CONNECTION: return is_task(s, T_HTTP);
  case OPT_RESOURCES: return is_task(s, T_EMIT);
  case OPT_ON:
    return is_task(s, T_CALL) || is_task(s, T_RESOURCE) || is_task(s, T_HTTP) ||
           is_task(s, T_RUN_ECS) || is_task(s, T_RUN_GLUE) || is_task(s, T_RUN_BATCH);
  case OPT_OVER:
  case OPT_AS:
  case OPT_CONCURRENCY:
  case OPT_DISTRIBUTED:
  case OPT_READER:
  case OPT_BATCH:
  case OPT_WRITER:
  case OPT_TOLERATE_PERCENT:
  case OPT_TOLERATE_COUNT:
  case OPT_LABEL:
  case OPT_INLINE:
  case OPT_LEGACY: return map;
  case OPT_ERROR:
  case OPT_CAUSE: return s->kind == S_FAIL;
  case OPT_QUERY: return true;
  case OPT_COUNT: break;
  }
  return false;
}

static const char *state_description(const struct state *s) {
  static const char *const tasks[] = {
      "invoke task", "activity task", "resource task", "emit", "publish task", "send task",
      "get task", "put task", "update task", "delete task", "start task", "call task",
      "HTTP task", "run ecs task", "run glue task", "run batch task"};
  return s->kind == S_TASK ? tasks[s->task] : state_kind_name(s->kind);
}

static void check_error_list(struct checker *k, struct option *o, bool is_last) {
  bool all = false;
  int n = 0;
  for (struct error_name *e = o->errors; e; e = e->next) {
    n++;
    if (!e->text) continue; /* interpolated: reported by the parser */
    if (!strcmp(e->text, "States.ALL")) all = true;
    else if (!*e->text) diag_error(k->d, e->loc, "an error name cannot be empty");
  }
  if (!all) return;
  const char *what = o->kind == OPT_RETRY ? "retry" : "catch";
  if (n > 1)
    diag_error(k->d, o->loc, "'any' (States.ALL) must be alone in its %s list", what);
  else if (!is_last)
    diag_error(k->d, o->loc, "'any' (States.ALL) must be in the last %s of a state", what);
}

static void check_retry(struct checker *k, struct option *o) {
  bool seen[RETRY_JITTER + 1] = {false};
  static const char *const names[] = {"every", "attempts", "backoff", "max delay", "jitter"};
  for (struct retry_field *f = o->fields; f; f = f->next) {
    if (seen[f->kind]) diag_error(k->d, f->loc, "duplicate '%s' in this retry", names[f->kind]);
    seen[f->kind] = true;
    switch (f->kind) {
    case RETRY_EVERY:
      if (f->integer < 1 || f->integer > ASL_MAX_SECONDS)
        diag_error(k->d, f->loc, "a retry interval must be 1s to 99999999s");
      break;
    case RETRY_ATTEMPTS:
      if (f->real != 0 || f->integer < 0 || f->integer > ASL_MAX_SECONDS)
        diag_error(k->d, f->loc, "attempts must be a whole number from 0 to 99999999");
      break;
    case RETRY_BACKOFF:
      if (!(f->real >= 1.0)) diag_error(k->d, f->loc, "backoff must be at least 1.0");
      break;
    case RETRY_MAX_DELAY:
      if (f->integer < 1 || f->integer > ASL_MAX_DELAY_SECONDS)
        diag_error(k->d, f->loc, "max delay must be 1s to 31622400s (366 days)");
      break;
    default: break;
    }
  }
}

static struct state *lookup_state(struct checker *k, struct state *from, struct name target) {
  if (!target.text) return NULL;
  struct state *to = table_get(&k->wf->states, target.text);
  if (!to) {
    if (k->graph_checks)
      diag_error(k->d, target.loc, "no state named '%s' in workflow '%s'", target.text,
                 k->wf->name.text);
    k->graph_broken = true;
    return NULL;
  }
  if (to->scope != from->scope) {
    if (!from->scope)
      diag_error(k->d, target.loc, "'%s' is inside a parallel branch: a jump cannot enter a branch",
                 target.text);
    else if (!to->scope)
      diag_error(k->d, target.loc, "'%s' is outside this parallel branch: a jump cannot leave a branch",
                 target.text);
    else
      diag_error(k->d, target.loc, "'%s' is in another parallel branch: a jump cannot leave its branch",
                 target.text);
    k->graph_broken = true;
    return NULL;
  }
  return to;
}

static void check_options(struct checker *k, struct state *s) {
  int nretry = 0, ncatch = 0;
  for (struct option *o = s->options; o; o = o->next) {
    if (!option_allowed(s, o->kind)) {
      diag_error(k->d, o->loc, "'%s' is not allowed on %s %s", option_name(o->kind),
                 article(state_description(s)), state_description(s));
      continue;
    }
    if (o->kind == OPT_RETRY) { nretry++; continue; }
    if (o->kind == OPT_CATCH) { ncatch++; continue; }
    if (s->opt[o->kind]) {
      diag_error(k->d, o->loc, "duplicate '%s' on %s '%s'", option_name(o->kind),
                 state_kind_name(s->kind), s->name.text ? s->name.text : "");
      continue;
    }
    s->opt[o->kind] = o;
  }
  if (s->opt[OPT_JUMP] && s->opt[OPT_END])
    diag_error(k->d, s->opt[OPT_END]->loc, "a state cannot both jump ('->') and 'end'");

  int i = 0, j = 0;
  for (struct option *o = s->options; o; o = o->next) {
    if (!option_allowed(s, o->kind)) continue;
    if (o->kind == OPT_RETRY) {
      check_error_list(k, o, ++i == nretry);
      check_retry(k, o);
    } else if (o->kind == OPT_CATCH) {
      check_error_list(k, o, ++j == ncatch);
      if (o->has_into && o->value) check_path(k, o->value, USE_RESULT, "a catch's 'into'");
    }
  }

  struct option *o;
  if (s->jsonata) {
    static const enum option_kind jsonpath_only[] = {OPT_FROM, OPT_SELECT, OPT_INTO};
    static const char *const instead[] = {"read $states.input in the expressions",
                                          "shape the result with 'output'",
                                          "keep data with 'assign' or 'output'"};
    for (int n = 0; n < 3; n++)
      if ((o = s->opt[jsonpath_only[n]]))
        diag_error(k->d, o->loc, "'%s' is JSONPath; in a JSONata state, %s", option_name(o->kind), instead[n]);
    for (o = s->options; o; o = o->next) {
      if (o->kind == OPT_CATCH && o->has_into)
        diag_error(k->d, o->loc, "a catch's 'into' is JSONPath; in a JSONata state use its 'assign' or 'output'");
      if (o->kind == OPT_CATCH && o->output) check_value(k, o->output, true, "a catch's 'output'");
    }
    if ((o = s->opt[OPT_OUTPUT]) && !o->nothing) check_value(k, o->value, true, "'output'");
  } else if ((o = s->opt[OPT_OUTPUT]) && o->value) {
    if (o->value->kind == V_PATH) check_path(k, o->value, USE_PATH, "'output'");
    else if (check_query_language(k, o->value))
      diag_error(k->d, o->value->loc, "'output' takes a path ($.x) or nothing here (JSONPath); "
                 "JSONata states take any value");
  }
  for (o = s->jsonata ? NULL : s->options; o; o = o->next)
    if (o->kind == OPT_CATCH && o->output)
      diag_error(k->d, o->output->loc, "a catch's 'output' is JSONata; in JSONPath, keep the error "
                 "with the catch's 'into', or write the state's 'output' before its catches");
  if (s->jsonata && (o = s->opt[OPT_OUTPUT]) && o->nothing)
    diag_error(k->d, o->loc, "'output nothing' is JSONPath; a JSONata state writes output {}");
  if (!s->jsonata && (o = s->opt[OPT_FROM]) && o->value) check_path(k, o->value, USE_PATH, "'from'");
  if (!s->jsonata && (o = s->opt[OPT_INTO]) && o->value) check_path(k, o->value, USE_RESULT, "'into'");
  if ((o = s->opt[OPT_SELECT])) {
    check_value(k, o->value, true, "'select'");
    if (o->value->kind != V_OBJECT)
      diag_error(k->d, o->value->loc, "'select' builds the result from an object: write { key: $.path }");
  }
  if ((o = s->opt[OPT_COMMENT])) resolve_string(k, o->text, false);
  struct option *timeout = s->opt[OPT_TIMEOUT], *heartbeat = s->opt[OPT_HEARTBEAT];
  if (timeout && timeout->is_duration && (timeout->seconds < 1 || timeout->seconds > ASL_MAX_SECONDS))
    diag_error(k->d, timeout->loc, "a task timeout must be 1s to 99999999s");
  if (timeout && !timeout->is_duration && check_query_language(k, timeout->value) &&
      timeout->value->kind == V_PATH)
    check_path(k, timeout->value, USE_REFERENCE, "'timeout'");
  if (heartbeat && heartbeat->is_duration && (heartbeat->seconds < 1 || heartbeat->seconds > ASL_MAX_SECONDS))
    diag_error(k->d, heartbeat->loc, "a heartbeat must be 1s to 99999999s");
  if (heartbeat && !heartbeat->is_duration && check_query_language(k, heartbeat->value) &&
      heartbeat->value->kind == V_PATH)
    check_path(k, heartbeat->value, USE_REFERENCE, "'heartbeat'");
  if (timeout && heartbeat && timeout->is_duration && heartbeat->is_duration &&
      heartbeat->seconds >= timeout->seconds)
    diag_error(k->d, heartbeat->loc, "the heartbeat (%llds) must be shorter than the timeout (%llds)",
               heartbeat->seconds, timeout->seconds);
  for (int e = OPT_ERROR; e <= OPT_CAUSE; e++) {
    if (!(o = s->opt[e])) continue;
    const char *what = e == OPT_ERROR ? "'error'" : "'cause'";
    struct value *v = o->value;
    if (v->kind == V_STRING) resolve_string(k, v->string, false);
    else if (!check_query_language(k, v)) continue;
    else if (v->kind == V_JSONATA) continue;
    else if (v->kind == V_PATH) check_path(k, v, USE_REFERENCE, what);
    else if (v->kind == V_CALL) {
      check_call(k, v, what);
      const struct intrinsic *f = find_intrinsic(v->text);
      if (f && !f->returns_string)
        diag_error(k->d, v->loc, "%s needs a function that returns a string, and %s does not", what,
                   v->text);
    } else diag_error(k->d, v->loc, "%s takes a string, a path or a string function", what);
  }
  if ((o = s->opt[OPT_SUBJECT])) {
    if (o->value->kind == V_STRING) resolve_string(k, o->value->string, false);
    else if (is_dynamic(o->value)) check_value(k, o->value, true, "'subject'");
    else diag_error(k->d, o->value->loc, "'subject' takes a string, a path or a call");
  }
}

static struct decl *find_decl(struct checker *k, struct name n, enum decl_kind kind,
                              enum resource_kind rkind, const char *what) {
  struct decl *d = table_get(&k->names, n.text);
  if (name_unchecked(k->c, d)) return NULL;
  if (!d) {
    diag_error(k->d, n.loc, "no %s named '%s'", what, n.text);
    return NULL;
  }
  if (d->kind != kind || (kind == D_RESOURCE && d->resource != rkind)) {
    char at[256];
    where(k, d->name.loc, at, sizeof at);
    diag_error(k->d, n.loc, "'%s' is %s %s (declared at %s), not %s %s", n.text,
               article(decl_kind_name(d)), decl_kind_name(d), at, article(what), what);
    return NULL;
  }
  return d;
}

/* `call "s3:getObject"`: a service and an action, as AWS SDK integrations name them. */
static void check_sdk_action(struct checker *k, struct str *text) {
  if (!resolve_string(k, text, false)) return;
  const char *colon = strchr(text->text, ':');
  bool ok = colon && colon != text->text && colon[1] && !strchr(colon + 1, ':');
  for (const char *p = text->text; ok && *p; p++)
    ok = p == colon || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
         (*p >= '0' && *p <= '9') || *p == '-';
  if (!ok)
    diag_error(k->d, text->loc, "an AWS SDK call is written \"service:action\", as in \"s3:getObject\"");
}

static void check_target(struct checker *k, struct state *s, const struct integration *in) {
  static const char *const what[] = {"lambda", "activity", "queue", "topic", "table",
                                     "bus", "bucket", "statemachine", "role"};
  /* A "${...}" target has no text; "a name cannot use ${...}" was reported. */
  if (s->task == T_START && !s->target.text) return;
  if (s->task == T_START) {
    struct decl *d = table_get(&k->names, s->target.text);
    if (name_unchecked(k->c, d)) return;
    if (d && d->kind == D_WORKFLOW) {
      s->target_workflow = d;
      return;
    }
    if (!d) {
      diag_error(k->d, s->target.loc, "no workflow or statemachine named '%s'", s->target.text);
      return;
    }
    if (d->kind != D_RESOURCE || d->resource != R_STATEMACHINE) {
      char at[256];
      where(k, d->name.loc, at, sizeof at);
      diag_error(k->d, s->target.loc, "'%s' is %s %s (declared at %s), not a workflow or statemachine",
                 s->target.text, article(decl_kind_name(d)), decl_kind_name(d), at);
      return;
    }
  }
  if (in->target_kind >= 0)
    s->target_decl = find_decl(k, s->target, D_RESOURCE, (enum resource_kind)in->target_kind,
                               what[in->target_kind]);
}

static void check_payload(struct checker *k, struct state *s, const struct integration *in) {
  struct option *with = s->opt[OPT_WITH];
  if (!with) return;
  check_value(k, with->value, true, "'with'");
  if (s->task == T_EMIT && with->value->kind != V_OBJECT && !is_dynamic(with->value))
    diag_error(k->d, with->value->loc, "an event's detail is an object: write { key: VALUE }");
  else if (!in->payload_field && with->value->kind != V_OBJECT && with->value->kind != V_JSONATA)
    diag_error(k->d, with->value->loc,
               "'with' builds the task's input from an object: write { key: VALUE }%s",
               with->value->kind == V_PATH ? ", or 'from' to pass part of the input" : "");
}

/* Fields sfc writes itself into a task's Parameters: a `with` merged into them may
   not repeat one. */
static void check_merged_fields(struct checker *k, struct state *s) {
  static const struct { enum task_kind task; const char *fields[4]; } reserved[] = {
      {T_GET, {"TableName", "Key"}}, {T_UPDATE, {"TableName", "Key"}},
      {T_DELETE, {"TableName", "Key"}}, {T_PUT, {"TableName", "Item"}},
      {T_HTTP, {"ApiEndpoint", "Method", "Authentication"}}};
  struct option *with = s->opt[OPT_WITH];
  if (!with || with->value->kind != V_OBJECT) return;
  for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++) {
    if (reserved[i].task != s->task) continue;
    for (struct member *m = with->value->members; m; m = m->next)
      for (int f = 0; f < 4 && reserved[i].fields[f]; f++)
        if (!strcmp(m->key, reserved[i].fields[f]))
          diag_error(k->d, m->key_loc, "sfc writes '%s' for %s %s from the task itself", m->key,
                     article(state_description(s)), state_description(s));
  }
}

static void check_task(struct checker *k, struct state *s) {
  const struct integration *in = s->integration;
  bool callback = s->opt[OPT_CALLBACK] != NULL;
  struct option *o;
  check_target(k, s, in);
  switch (s->task) {
  case T_EMIT:
    for (struct emit_entry *e = s->entries; e; e = e->next) {
      e->decl = find_decl(k, e->event, D_EVENT, 0, "event");
      if (e->decl) e->decl->emitted = true;
      if (e->detail) {
        check_value(k, e->detail, true, "an event's detail");
        if (e->detail->kind != V_OBJECT && !is_dynamic(e->detail))
          diag_error(k->d, e->detail->loc, "an event's detail is an object: write { key: VALUE }");
      }
    }
    s->target_decl = s->entries ? s->entries->decl : NULL;
    if (s->entries && s->entries->next && !s->opt[OPT_WITH])
      for (struct emit_entry *e = s->entries; e; e = e->next)
        if (!e->detail)
          diag_warning(k->d, W_EMIT_INPUT, e->event.loc, "event '%s' has no 'with', so it sends the whole state "
                       "input; write '%s with {...}' to choose its detail", e->event.text, e->event.text);
    if (s->entries && s->entries->next && s->opt[OPT_WITH])
      diag_error(k->d, s->opt[OPT_WITH]->loc,
                 "this emit sends several events: give each its own 'with' (emit A with {...}, B with {...})");
    if (s->entries && s->entries->detail && s->opt[OPT_WITH])
      diag_error(k->d, s->opt[OPT_WITH]->loc, "duplicate 'with' for event '%s'", s->entries->event.text);
    if ((o = s->opt[OPT_RESOURCES])) {
      check_value(k, o->value, true, "'resources'");
      if (o->value->kind != V_ARRAY && !is_dynamic(o->value))
        diag_error(k->d, o->value->loc, "'resources' takes a list of ARNs: [\"arn:...\"]");
    }
    break;
  case T_RESOURCE:
    if (resolve_string(k, s->resource, false) && strncmp(s->resource->text, "arn:", 4) != 0)
      diag_error(k->d, s->resource->loc, "a task resource must be an ARN (arn:...)");
    break;
  case T_CALL:
    check_sdk_action(k, s->resource);
    if (!s->opt[OPT_ON])
      diag_error(k->d, s->name.loc,
                 "say which resources call task '%s' acts on with 'on' (declared names or ARNs), "
                 "or 'on \"*\"' for any: the IAM policy is derived from it", s->name.text);
    break;
  case T_HTTP: {
    static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
    bool known = false;
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) known |= !strcmp(s->method.text, methods[i]);
    bool lower = false;
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) lower |= !strcasecmp_ascii(s->method.text, methods[i]);
    if (!known && lower)
      diag_error(k->d, s->method.loc, "HTTP methods are written in capitals, as in GET");
    else if (!known)
      diag_error(k->d, s->method.loc, "an HTTP method is GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS");
    if (resolve_string(k, s->resource, false) && strncmp(s->resource->text, "https://", 8) != 0)
      diag_error(k->d, s->resource->loc, "an HTTP task calls an https:// URL");
    if (!(o = s->opt[OPT_CONNECTION]))
      diag_error(k->d, s->name.loc,
                 "HTTP task '%s' needs 'connection \"arn:...\"': the EventBridge connection "
                 "that holds its credentials", s->name.text);
    else if (resolve_string(k, o->text2, false) && strncmp(o->text2->text, "arn:", 4) != 0)
      diag_error(k->d, o->text2->loc, "a connection is an EventBridge connection ARN (arn:...:connection/...)");
    break;
  }
  case T_GET:
  case T_UPDATE:
  case T_DELETE:
    if (!s->opt[OPT_KEY])
      diag_error(k->d, s->name.loc, "task '%s' needs 'key { ... }': the item's key in DynamoDB JSON",
                 s->name.text);
    break;
  case T_PUT:
    if (!s->opt[OPT_ITEM])
      diag_error(k->d, s->name.loc, "task '%s' needs 'item { ... }': the item in DynamoDB JSON",
                 s->name.text);
    break;
  default: break;
  }
  for (enum option_kind kind = OPT_KEY; kind <= OPT_DEDUP; kind++) {
    if (!(o = s->opt[kind])) continue;
    check_value(k, o->value, true, option_name(kind));
    if ((kind == OPT_KEY || kind == OPT_ITEM) && o->value->kind != V_OBJECT && !is_dynamic(o->value))
      diag_error(k->d, o->value->loc, "'%s' is an object in DynamoDB JSON: { id: { S: $.id } }",
                 option_name(kind));
  }
  if ((o = s->opt[OPT_ATTRIBUTES])) {
    check_value(k, o->value, true, "'attributes'");
    if (o->value->kind != V_OBJECT && !is_dynamic(o->value))
      diag_error(k->d, o->value->loc, "'attributes' is an object of message attributes");
  }
  if ((o = s->opt[OPT_DELAY])) {
    if (o->is_duration && o->seconds > 900)
      diag_error(k->d, o->loc, "an SQS delay is at most 900s (15 minutes)");
    if (!o->is_duration) check_path(k, o->value, USE_PATH, "'delay'");
  }
  if ((o = s->opt[OPT_ON])) {
    if (!o->names && !is_task(s, T_RESOURCE))
      diag_error(k->d, o->loc, "'on nothing' is for resource tasks only: sfc derives what a %s task "
                 "needs from what it names", s->integration ? s->integration->verb : "");
    for (struct name_list *n = o->names; n; n = n->next) {
      if (n->quoted) {
        if (resolve_string(k, n->string, false) && strcmp(n->string->text, "*") != 0 &&
            strncmp(n->string->text, "arn:", 4) != 0)
          diag_error(k->d, n->string->loc, "'on' takes declared names, ARNs or \"*\"");
        continue;
      }
      struct decl *d = table_get(&k->names, n->name.text);
      if (name_unchecked(k->c, d)) continue;
      if (!d) diag_error(k->d, n->name.loc, "no resource named '%s'", n->name.text);
      else if (d->kind != D_RESOURCE && d->kind != D_WORKFLOW)
        diag_error(k->d, n->name.loc, "'%s' is %s %s, not a resource", n->name.text,
                   article(decl_kind_name(d)), decl_kind_name(d));
    }
  }
  if ((o = s->opt[OPT_CREDENTIALS])) {
    if (o->value) check_path(k, o->value, USE_REFERENCE, "'credentials'");
    else if (o->text2) {
      if (resolve_string(k, o->text2, false) && strncmp(o->text2->text, "arn:", 4) != 0)
        diag_error(k->d, o->text2->loc, "'credentials' takes a role: a declared role, an ARN or a path");
    } else {
      find_decl(k, o->target, D_RESOURCE, R_ROLE, "role");
    }
  }
  check_payload(k, s, in);
  check_merged_fields(k, s);
  bool sync = s->opt[OPT_SYNC] != NULL;
  if (callback && sync)
    diag_error(k->d, s->opt[OPT_SYNC]->loc, "a task either waits for a callback or runs 'sync', not both");
  if (k->wf->express && s->task == T_RESOURCE && s->resource->text &&
      (strstr(s->resource->text, ".waitForTaskToken") || strstr(s->resource->text, ".sync")))
    diag_error(k->d, s->resource->loc,
               "an express workflow cannot wait for a callback or run a task 'sync' (AWS allows "
               "that in standard workflows only)");
  if (k->wf->express && (callback || sync || s->task == T_ACTIVITY))
    diag_error(k->d, callback ? s->opt[OPT_CALLBACK]->loc : sync ? s->opt[OPT_SYNC]->loc : s->target.loc,
               "an express workflow cannot %s (AWS allows that in standard workflows only)",
               callback ? "wait for a callback" : sync ? "run a task 'sync'" : "run an activity");
  bool passes_token = value_mentions_path(s->opt[OPT_WITH] ? s->opt[OPT_WITH]->value : NULL, "$$.Task.Token");
  for (const struct emit_entry *e = s->task == T_EMIT ? s->entries : NULL; e; e = e->next)
    passes_token |= value_mentions_path(e->detail, "$$.Task.Token");
  if (callback && !passes_token)
    diag_error(k->d, s->opt[OPT_CALLBACK]->loc,
               "a task that waits for a callback must pass $$.Task.Token in 'with', so the "
               "worker can call SendTaskSuccess");
  if (s->task == T_INVOKE && !s->opt[OPT_CALLBACK]) {
    bool has_retry = false;
    for (struct option *x = s->options; x; x = x->next) has_retry = has_retry || x->kind == OPT_RETRY;
    if (!has_retry)
      diag_warning(k->d, W_LAMBDA_RETRY, s->name.loc,
                   "task '%s' invokes a Lambda function without 'retry'; AWS recommends retrying "
                   "Lambda.ServiceException, Lambda.AWSLambdaException, "
                   "Lambda.SdkClientException and Lambda.TooManyRequestsException",
                   s->name.text);
  }
}

/* A variable name in `assign`: an identifier of at most 80 characters, not a
   sub-path, and not the reserved `states`. */
static void check_assign(struct checker *k, struct value *v) {
  if (v->kind != V_OBJECT) {
    diag_error(k->d, v->loc, "'assign' takes an object: assign { name: VALUE }");
    return;
  }
  check_value(k, v, true, "'assign'");
  for (struct member *m = v->members; m; m = m->next) {
    const char *n = m->key;
    bool ident = (*n >= 'A' && *n <= 'Z') || (*n >= 'a' && *n <= 'z') || *n == '_';
    for (const char *p = n; ident && *p; p++)
      ident = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' ||
              (*p >= '0' && *p <= '9') || (unsigned char)*p >= 0x80;
    if (strpbrk(n, ".["))
      diag_error(k->d, m->key_loc, "'assign' sets whole variables, not parts of one ('%s')", n);
    else if (!ident)
      diag_error(k->d, m->key_loc, "a variable name is an identifier, not '%s'", n);
    else if (!strcmp(n, "states"))
      diag_error(k->d, m->key_loc, "'states' is reserved by Step Functions");
    else if (utf8_count(n, strlen(n)) > ASL_MAX_NAME)
      diag_error(k->d, m->key_loc, "a variable name has at most 80 characters");
  }
}

/* `asl { }` is merged into the state as written: plain JSON only. */
static void check_raw(struct checker *k, struct value *v) {
  switch (v->kind) {
  case V_CALL: diag_error(k->d, v->loc, "'asl' takes plain JSON: write functions as strings"); return;
  case V_STRING: resolve_string(k, v->string, false); return;
  case V_OBJECT:
    for (struct member *m = v->members; m; m = m->next) check_raw(k, m->value);
    return;
  case V_ARRAY:
    for (struct value *i = v->items; i; i = i->next) check_raw(k, i);
    return;
  default: return;
  }
}

/* Looks up KEY in an object value. */
static struct member *member_of(struct value *object, const char *key) {
  for (struct member *m = object && object->kind == V_OBJECT ? object->members : NULL; m; m = m->next)
    if (!strcmp(m->key, key)) return m;
  return NULL;
}

/* The Distributed Map's reader, batcher and writer are written in ASL's own shape:
   their fields, values and limits are judged by asl_check.c on the lowered document. */
static void check_map_io(struct checker *k, struct state *s) {
  struct option *o;
  bool distributed = s->opt[OPT_DISTRIBUTED] != NULL;
  for (enum option_kind kind = OPT_READER; kind <= OPT_WRITER; kind++) {
    if (!(o = s->opt[kind])) continue;
    if (!distributed) {
      diag_error(k->d, o->loc, "'%s' belongs to a distributed map: write 'map N distributed ...'",
                 option_name(kind));
      continue;
    }
    check_value(k, o->value, true, option_name(kind));
    if (o->value->kind != V_OBJECT)
      diag_error(k->d, o->value->loc, "'%s' takes an object with the fields of ASL's %s",
                 option_name(kind), kind == OPT_READER ? "ItemReader" : kind == OPT_BATCH ? "ItemBatcher" : "ResultWriter");
  }
}

static void check_map(struct checker *k, struct state *s) {
  struct option *o;
  bool distributed = s->opt[OPT_DISTRIBUTED] != NULL;
  if ((o = s->opt[OPT_OVER])) {
    if (s->jsonata) {
      check_value(k, o->value, true, "'over'");
      if (o->value->kind != V_ARRAY && o->value->kind != V_JSONATA && o->value->kind != V_OBJECT)
        diag_error(k->d, o->value->loc, "in a JSONata map, 'over' takes an array or {%% %%}");
    } else if (o->value->kind != V_PATH) {
      if (check_query_language(k, o->value))
        diag_error(k->d, o->value->loc, "'over' takes a path to the items ($.items) in JSONPath");
    } else {
      check_path(k, o->value, USE_REFERENCE, "'over'");
    }
  }
  if (s->opt[OPT_AS] && s->opt[OPT_WITH])
    diag_error(k->d, s->opt[OPT_WITH]->loc, "use 'as NAME' or 'with { ... }' for the items, not both");
  if ((o = s->opt[OPT_WITH])) {
    check_value(k, o->value, true, "'with'");
    if (o->value->kind != V_OBJECT && o->value->kind != V_JSONATA)
      diag_error(k->d, o->value->loc, "'with' builds each item from an object: write { key: VALUE }");
  }
  if ((o = s->opt[OPT_CONCURRENCY])) {
    if (o->value->kind == V_JSONATA) check_query_language(k, o->value);
    else if (o->value->kind == V_PATH) check_path(k, o->value, USE_REFERENCE, "'concurrency'");
    else if (o->value->kind != V_INT || o->value->integer < 0 || o->value->integer > ASL_MAX_READER_ITEMS)
      diag_error(k->d, o->value->loc, "concurrency is a whole number (0 means no limit)");
    else if (distributed && o->value->integer > ASL_MAX_DISTRIBUTED_CONCURRENCY)
      diag_error(k->d, o->value->loc, "a distributed map runs at most 10000 children at once");
  }
  if ((o = s->opt[OPT_TOLERATE_PERCENT])) {
    if (o->value->kind == V_JSONATA) check_query_language(k, o->value);
    else if (o->value->kind == V_PATH) check_path(k, o->value, USE_REFERENCE, "'tolerate'");
    else if (!(o->value->kind == V_INT && o->value->integer >= 0 && o->value->integer <= 100))
      diag_error(k->d, o->value->loc, "a tolerated failure percentage is a whole number from 0 to 100");
  }
  if ((o = s->opt[OPT_TOLERATE_COUNT])) {
    if (o->value->kind == V_JSONATA) check_query_language(k, o->value);
    else if (o->value->kind == V_PATH) check_path(k, o->value, USE_REFERENCE, "'tolerate'");
    else if (!(o->value->kind == V_INT && o->value->integer >= 0))
      diag_error(k->d, o->value->loc, "a tolerated failure count is a whole number, 0 or more");
  }
  if ((o = s->opt[OPT_LABEL])) {
    resolve_string(k, o->text2, false); /* its rules are asl_check.c's, on the Label */
  }
  for (enum option_kind kind = OPT_TOLERATE_PERCENT; kind <= OPT_LABEL; kind++)
    if (s->opt[kind] && !distributed)
      diag_error(k->d, s->opt[kind]->loc, "'%s' belongs to a distributed map: write 'map N distributed ...'",
                 option_name(kind));
  check_map_io(k, s);
  if (distributed && (o = s->opt[OPT_INLINE]))
    diag_error(k->d, o->loc, "a map is 'inline' or 'distributed', not both");
  if (k->wf->express && distributed && !s->opt[OPT_DISTRIBUTED]->express)
    diag_error(k->d, s->opt[OPT_DISTRIBUTED]->loc,
               "an express workflow can run a distributed map only with express children: "
               "'distributed express'");
}

static void check_state(struct checker *k, struct state *s) {
  check_state_name(k, s);
  s->jsonata = k->wf->jsonata;
  for (struct option *q = s->options; q; q = q->next) {
    if (q->kind != OPT_QUERY) continue;
    if (k->wf->jsonata && !q->express)
      diag_error(k->d, q->loc, "a JSONata workflow cannot have JSONPath states (AWS does not allow "
                 "going back from JSONata to JSONPath)");
    else s->jsonata = q->express;
  }
  k->jsonata = s->jsonata;
  if (s->kind == S_TASK) {
    if (s->task == T_RUN_ECS && !run_task_kind(s->method.text, &s->task))
      diag_error(k->d, s->method.loc, "'run' takes ecs, glue or batch, not '%s'", s->method.text);
    s->integration = integration_for(s->task);
  }
  check_options(k, s);
  struct option *o;
  if ((o = s->opt[OPT_ASSIGN])) check_assign(k, o->value);
  if ((o = s->opt[OPT_ASL])) {
    check_raw(k, o->value);
    if (o->value->kind != V_OBJECT) diag_error(k->d, o->value->loc, "'asl' takes an object of ASL fields");
  }
  for (o = s->options; o; o = o->next)
    if (o->kind == OPT_CATCH && o->assign) check_assign(k, o->assign);
  for (struct rule *r = s->rules; r; r = r->next) {
    if (r->output && !s->jsonata)
      diag_error(k->d, r->output->loc, "a rule's 'output' is JSONata: write 'query jsonata' in the "
                 "workflow or the choice");
    else if (r->output) check_value(k, r->output, true, "'output'");
    if (r->output && !r->cond && s->opt[OPT_OUTPUT])
      diag_error(k->d, r->output->loc, "the choice's own 'output' is its default's: give it there "
                 "or on 'otherwise', not both");
    if (r->comment && !r->cond)
      diag_error(k->d, r->comment->loc, "ASL has no comment for the default of a choice; comment the choice");
    else if (r->comment) resolve_string(k, r->comment, false);
    if (r->assign) check_assign(k, r->assign);
    if (r->assign && !r->cond && s->opt[OPT_ASSIGN])
      diag_error(k->d, r->assign->loc, "the choice's own 'assign' is its default's: give it there "
                 "or on 'otherwise', not both");
  }
  switch (s->kind) {
  case S_TASK: check_task(k, s); break;
  case S_PASS:
    if (s->opt[OPT_WITH]) check_value(k, s->opt[OPT_WITH]->value, true, "'with'");
    if (s->opt[OPT_WITH] && s->opt[OPT_WITH]->value->kind != V_OBJECT)
      diag_error(k->d, s->opt[OPT_WITH]->value->loc,
                 "'with' builds the state's input from an object: write { key: VALUE }");
    if (s->jsonata && (s->result || s->opt[OPT_WITH])) {
      diag_error(k->d, s->result ? s->result->loc : s->opt[OPT_WITH]->loc,
                 "a JSONata pass state has no Result or Parameters: write 'output VALUE'");
      break;
    }
    if (s->result && s->opt[OPT_WITH])
      diag_error(k->d, s->opt[OPT_WITH]->loc,
                 "a pass state takes '= VALUE' (a fixed result) or 'with' (built from the input), "
                 "not both: the result would replace what 'with' builds");
    if (s->result) {
      check_value(k, s->result, false, "a pass result");
      warn_static_paths(k, s->result);
    }
    break;
  case S_WAIT:
    if (s->wait == W_SECONDS && s->wait_seconds > 31536000LL)
      diag_error(k->d, s->wait_loc, "a wait is at most one year (31536000s)");
    else if (s->wait == W_SECONDS && k->wf->express && s->wait_seconds > 300)
      diag_error(k->d, s->wait_loc, "an express workflow runs for at most 5 minutes, so it cannot wait %llds",
                 s->wait_seconds);
    if (s->wait == W_SECONDS && s->wait_seconds == 0)
      diag_warning(k->d, W_ZERO_WAIT, s->wait_loc, "a wait of 0s does nothing; remove the state or wait longer");
    if ((s->wait == W_SECONDS_PATH || s->wait == W_UNTIL_PATH) &&
        check_query_language(k, s->wait_value) && s->wait_value->kind == V_PATH)
      check_path(k, s->wait_value, USE_REFERENCE, "a wait");
    if (s->wait == W_UNTIL) {
      if (resolve_string(k, s->wait_value->string, false) &&
          !asl_timestamp_valid(s->wait_value->string->text, s->wait_value->string->len))
        diag_error(k->d, s->wait_value->loc,
                   "'%s' is not an RFC 3339 timestamp like 2026-01-31T09:30:00Z",
                   s->wait_value->string->text);
    }
    break;
  case S_CHOICE: {
    bool has_otherwise = false;
    for (struct rule *r = s->rules; r; r = r->next) {
      if (r->cond) check_cond(k, r->cond);
      else if (has_otherwise)
        diag_error(k->d, r->loc, "choice '%s' has a second 'otherwise'", s->name.text);
      else has_otherwise = true;
      bool when_follows = false;
      for (struct rule *later = r->next; later; later = later->next) when_follows |= later->cond != NULL;
      if (!r->cond && when_follows)
        diag_error(k->d, r->loc, "'otherwise' must be the last rule of a choice");
    }
    bool has_when = false;
    for (struct rule *r = s->rules; r; r = r->next) has_when |= r->cond != NULL;
    if (!has_when && k->graph_checks)
      diag_error(k->d, s->name.loc, "choice '%s' needs at least one 'when' rule", s->name.text);
    else if (!has_otherwise && k->graph_checks &&
             !(s->opt[OPT_ASL] && member_of(s->opt[OPT_ASL]->value, "Default")))
      diag_warning(k->d, W_NO_OTHERWISE, s->name.loc,
                   "choice '%s' has no 'otherwise': when no rule matches, the execution fails "
                   "with States.NoChoiceMatched", s->name.text);
    break;
  }
  case S_PARALLEL:
    if (!s->branches) diag_error(k->d, s->name.loc, "parallel '%s' has no branches", s->name.text);
    if (s->opt[OPT_WITH]) {
      check_value(k, s->opt[OPT_WITH]->value, true, "'with'");
      if (s->opt[OPT_WITH]->value->kind != V_OBJECT && s->opt[OPT_WITH]->value->kind != V_JSONATA)
        diag_error(k->d, s->opt[OPT_WITH]->value->loc,
                   "'with' builds the branches' input from an object: write { key: VALUE }");
    }
    break;
  case S_MAP: check_map(k, s); break;
  default: break;
  }
}

/* ------------------------------------------------------------ collecting and sequencing */

struct scope_list {
  struct state ***order;
  int *count;
  int cap;
};

/* The lists live in the arena: growing leaves the old copy behind, at most doubling. */
static void scope_add(struct arena *a, struct scope_list *l, struct state *s) {
  if (*l->count == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    struct state **grown = arena_alloc(a, (size_t)l->cap * sizeof **l->order);
    if (*l->count) memcpy(grown, *l->order, (size_t)*l->count * sizeof **l->order);
    *l->order = grown;
  }
  (*l->order)[(*l->count)++] = s;
}

/* Gives every state its scope and a place in its scope's state list, and enters its
   name in the workflow's table. Choice inline blocks share the choice's scope. */
static void collect(struct checker *k, struct block *b, struct branch *scope, struct scope_list *l) {
  for (struct state *s = b->first; s; s = s->next) {
    s->named = s->name.text != NULL;
    if (s->kind == S_TASK && s->task == T_EMIT && !s->name.text)
      s->name.text = arena_printf(k->arena, "Emit%s", s->target.text);
    s->scope = scope;
    if (s->name.text) {
      struct state *old = table_get(&k->wf->states, s->name.text);
      if (old) {
        char at[256];
        where(k, old->name.loc, at, sizeof at);
        diag_error(k->d, s->name.loc,
                   "a state named '%s' already exists in workflow '%s' (at %s); state names are "
                   "unique across the whole workflow", s->name.text, k->wf->name.text, at);
      } else {
        table_put(&k->wf->states, s->name.text, s);
      }
    }
    scope_add(k->arena, l, s);
    for (struct rule *r = s->rules; r; r = r->next)
      if (r->inline_block) collect(k, &r->body, scope, l);
    for (struct branch *br = s->branches; br; br = br->next) {
      br->owner = s;
      struct scope_list inner = {&br->order, &br->nstates, 0};
      if (!br->body.first) diag_error(k->d, br->loc, "this parallel branch is empty");
      collect(k, &br->body, br, &inner);
    }
  }
}

/* Where control goes after a state when it does not jump: a state, or the end. */
struct cont {
  struct state *state;
  bool end;
};

static void sequence(struct checker *k, struct block *b, struct cont after) {
  for (struct state *s = b->first; s; s = s->next) {
    struct cont next = s->next ? (struct cont){s->next, false} : after;
    for (struct option *o = s->options; o; o = o->next)
      if (o->kind == OPT_CATCH && option_allowed(s, o->kind))
        o->target_state = lookup_state(k, s, o->target);
    if (s->opt[OPT_JUMP]) {
      s->next_state = lookup_state(k, s, s->opt[OPT_JUMP]->target);
    } else if (s->opt[OPT_END]) {
      s->is_end = true;
    } else if (s->kind != S_CHOICE && s->kind != S_SUCCEED && s->kind != S_FAIL) {
      s->next_state = next.state;
      s->is_end = next.end;
    }
    for (struct rule *r = s->rules; r; r = r->next) {
      if (!r->inline_block) {
        r->next_state = lookup_state(k, s, r->target);
      } else if (r->body.first) {
        sequence(k, &r->body, next);
        r->next_state = r->body.first;
      } else if (next.state) {
        r->next_state = next.state;
      } else {
        diag_error(k->d, r->loc,
                   "this empty branch of choice '%s' has nowhere to go: the choice is the last "
                   "state; add a state (such as succeed) to the branch", s->name.text);
      }
    }
    for (struct branch *br = s->branches; br; br = br->next)
      sequence(k, &br->body, (struct cont){NULL, true});
  }
}

/* The states still to visit (reachability, and the flow of variables below). */
struct worklist {
  struct state **items;
  int count, cap;
};

static void push(struct worklist *w, struct state *s) {
  if (w->count == w->cap) {
    w->cap = w->cap ? w->cap * 2 : 64;
    w->items = xrealloc(w->items, (size_t)w->cap * sizeof *w->items);
  }
  w->items[w->count++] = s;
}

static void visit(struct worklist *w, struct state *s) {
  if (s && !s->reachable) push(w, s);
}

/* The state of FROM's scope that KEY of the `asl { }` object RAW names, or NULL. */
static struct state *raw_target(const struct table *states, const struct state *from,
                                struct value *raw, const char *key) {
  struct member *m = member_of(raw, key);
  if (!m || m->value->kind != V_STRING || !m->value->string->text) return NULL;
  struct state *to = table_get(states, m->value->string->text);
  return to && to->scope == from->scope ? to : NULL;
}

/* Adds to OUT the states S's `asl { }` block jumps to itself: its Next and Default,
   and a Catcher's or a Choice rule's Next. */
static void raw_jumps(const struct table *states, const struct state *s, struct worklist *out) {
  struct value *raw = s->opt[OPT_ASL] ? s->opt[OPT_ASL]->value : NULL;
  struct state *to;
  if (!raw) return;
  if ((to = raw_target(states, s, raw, "Next"))) push(out, to);
  if ((to = raw_target(states, s, raw, "Default"))) push(out, to);
  static const char *const lists[] = {"Catch", "Choices"};
  for (size_t l = 0; l < 2; l++) {
    struct member *list = member_of(raw, lists[l]);
    for (struct value *i = list && list->value->kind == V_ARRAY ? list->value->items : NULL; i; i = i->next)
      if ((to = raw_target(states, s, i, "Next"))) push(out, to);
  }
}

/* Marks what can be reached from the first state of a scope, also through the jumps
   an `asl { }` block writes itself. Iterative, so a long workflow cannot overflow the
   stack. */
static void mark_reachable(const struct table *states, struct state *start) {
  struct worklist w = {0};
  visit(&w, start);
  while (w.count > 0) {
    struct state *s = w.items[--w.count];
    if (s->reachable) continue;
    s->reachable = true;
    visit(&w, s->next_state);
    for (struct rule *r = s->rules; r; r = r->next) visit(&w, r->next_state);
    for (struct option *o = s->options; o; o = o->next)
      if (o->kind == OPT_CATCH) visit(&w, o->target_state);
    raw_jumps(states, s, &w);
  }
  free(w.items);
}

/* Reachability and a terminal state, for one States object (the top or a branch). */
static void check_scope(struct checker *k, struct state **order, int n, struct loc where_loc,
                        const char *what) {
  if (n == 0) return;
  mark_reachable(&k->wf->states, order[0]);
  bool terminal = false;
  for (int i = 0; i < n; i++) {
    struct state *s = order[i];
    if (!s->reachable)
      diag_error(k->d, s->name.loc,
                 "state '%s' is never reached: nothing jumps to it and the state before it "
                 "does not continue to it", s->name.text ? s->name.text : "");
    if (s->is_end || s->kind == S_SUCCEED || s->kind == S_FAIL) terminal = true;
  }
  if (!terminal)
    diag_error(k->d, where_loc, "%s never ends: no state in it ends, succeeds or fails (every path loops)",
               what);
  for (int i = 0; i < n; i++)
    for (struct branch *br = order[i]->branches; br; br = br->next)
      check_scope(k, br->order, br->nstates, br->loc, "this parallel branch");
}

/* Per-state checks, for a scope and every branch nested in it. */
static void check_states(struct checker *k, struct state **order, int n) {
  for (int i = 0; i < n; i++) {
    check_state(k, order[i]);
    for (struct branch *br = order[i]->branches; br; br = br->next)
      check_states(k, br->order, br->nstates);
  }
}

/* ------------------------------------------------------------ variables
 *
 * Scopes: each States object (the top, a parallel branch, a map iteration) is one.
 * A state may not assign a variable that an enclosing scope assigns, and it may only
 * read a variable that some path to it assigned: a forward "may be assigned" flow
 * over Next, choice rules and catches, entering a branch with what its parallel or
 * map had on entry (nothing for a distributed map, whose children see no variables).
 */

struct var_set {
  size_t words;
  uint64_t bits[];
};

struct variables {
  struct table index;      /* name -> index + 1 */
  const char **names;
  int count, cap;
  size_t words;            /* uint64_t words per set */
};

static int variable_index(struct variables *v, const char *name) {
  return (int)(intptr_t)table_get(&v->index, name) - 1;
}

static void note_variable(struct checker *k, struct variables *v, const char *name) {
  if (variable_index(v, name) >= 0) return;
  if (v->count == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 16;
    const char **grown = arena_alloc(k->arena, (size_t)v->cap * sizeof *grown);
    if (v->count) memcpy(grown, v->names, (size_t)v->count * sizeof *grown);
    v->names = grown;
  }
  v->names[v->count] = name;
  table_put(&v->index, name, (void *)(intptr_t)(v->count + 1));
  v->count++;
}

static void note_assign(struct checker *k, struct variables *v, const struct value *assign) {
  for (const struct member *m = assign && assign->kind == V_OBJECT ? assign->members : NULL; m; m = m->next)
    note_variable(k, v, m->key);
}

/* Calls FN for every assign object of a state: its own, its rules', its catches'. */
#define FOR_EACH_ASSIGN(s, a, body)                                                      \
  do {                                                                                   \
    if ((s)->opt[OPT_ASSIGN]) { const struct value *a = (s)->opt[OPT_ASSIGN]->value; body; } \
    for (const struct rule *r_ = (s)->rules; r_; r_ = r_->next)                          \
      if (r_->assign) { const struct value *a = r_->assign; body; }                      \
    for (const struct option *o_ = (s)->options; o_; o_ = o_->next)                      \
      if (o_->kind == OPT_CATCH && o_->assign) { const struct value *a = o_->assign; body; } \
  } while (0)

static struct var_set *new_set(struct checker *k, const struct variables *v) {
  return arena_alloc(k->arena, sizeof(struct var_set) + v->words * sizeof(uint64_t));
}

static void set_add(struct var_set *set, int i) { set->bits[i / 64] |= (uint64_t)1 << (i % 64); }
static bool set_has(const struct var_set *set, int i) { return (set->bits[i / 64] >> (i % 64)) & 1; }

static void set_add_assign(struct var_set *set, const struct variables *v, const struct value *assign) {
  for (const struct member *m = assign && assign->kind == V_OBJECT ? assign->members : NULL; m; m = m->next)
    set_add(set, variable_index((struct variables *)v, m->key));
}

/* IN |= FROM ∪ ASSIGN; true when IN grew. */
static bool flow(struct var_set *in, const struct var_set *from, const struct variables *v,
                 const struct value *assign, struct var_set *scratch) {
  memcpy(scratch->bits, from->bits, v->words * sizeof(uint64_t));
  set_add_assign(scratch, v, assign);
  bool grew = false;
  for (size_t i = 0; i < v->words; i++) {
    uint64_t merged = in->bits[i] | scratch->bits[i];
    grew |= merged != in->bits[i];
    in->bits[i] = merged;
  }
  return grew;
}


static void give_sets(struct checker *k, const struct variables *v, struct state **order, int n) {
  for (int i = 0; i < n; i++) {
    order[i]->vars_in = new_set(k, v);
    for (struct branch *br = order[i]->branches; br; br = br->next) give_sets(k, v, br->order, br->nstates);
  }
}

/* Sends what TO may have on entry along one edge; queues TO when that grew or when it
   has not been visited yet. */
static void edge(struct worklist *w, struct state *from, struct state *to, const struct variables *v,
                 const struct value *assign, struct var_set *scratch, const struct var_set *entry) {
  if (!to) return;
  bool grew = flow(to->vars_in, entry ? entry : from->vars_in, v, assign, scratch);
  if (grew || !to->reachable_vars) {
    to->reachable_vars = true;
    push(w, to);
  }
}

static void propagate(struct checker *k, const struct variables *v, struct state *start) {
  struct worklist w = {0}, raw = {0};
  struct var_set *scratch = new_set(k, v);
  struct var_set *nothing = new_set(k, v);
  start->reachable_vars = true;
  push(&w, start);
  while (w.count > 0) {
    struct state *s = w.items[--w.count];
    const struct value *own = s->opt[OPT_ASSIGN] ? s->opt[OPT_ASSIGN]->value : NULL;
    edge(&w, s, s->next_state, v, own, scratch, NULL);
    for (struct rule *r = s->rules; r; r = r->next)
      /* a rule's own assign, or the state's for the default path */
      edge(&w, s, r->next_state, v, r->assign ? r->assign : r->cond ? NULL : own, scratch, NULL);
    for (struct option *o = s->options; o; o = o->next)
      if (o->kind == OPT_CATCH) edge(&w, s, o->target_state, v, o->assign, scratch, NULL);
    raw.count = 0; /* what `asl { }` writes is JSON: its Assign is not read here */
    raw_jumps(&k->wf->states, s, &raw);
    for (int i = 0; i < raw.count; i++) edge(&w, s, raw.items[i], v, NULL, scratch, NULL);
    for (struct branch *br = s->branches; br; br = br->next) {
      if (!br->nstates) continue;
      bool isolated = br->is_map && s->opt[OPT_DISTRIBUTED];
      edge(&w, s, br->order[0], v, NULL, scratch, isolated ? nothing : NULL);
    }
  }
  free(w.items);
  free(raw.items);
}

static bool assigns(const struct state *s, const char *name, bool own_only) {
  bool found = false;
  if (own_only) return s->opt[OPT_ASSIGN] && member_of(s->opt[OPT_ASSIGN]->value, name);
  FOR_EACH_ASSIGN(s, a, found |= member_of((struct value *)a, name) != NULL);
  return found;
}

/* Is the scope OUTER (NULL: the top) one that S is in, directly or through branches? */
static bool scope_encloses(const struct branch *outer, const struct state *s) {
  for (const struct branch *b = s->scope;; b = b->owner->scope) {
    if (b == outer) return true;
    if (!b) return false;
  }
}

static bool in_distributed_map(const struct state *s) {
  for (const struct branch *b = s->scope; b; b = b->owner->scope)
    if (b->is_map && b->owner->opt[OPT_DISTRIBUTED]) return true;
  return false;
}

struct assigner_search {
  const char *name;
  const struct state *reader;
  bool enclosing; /* assigned in a scope the reader is in */
  const struct state *sibling; /* assigned in another branch of a parallel the reader is in */
  const struct branch *sibling_branch;
};

/* The branch of a parallel that holds S (directly or deeper) and not R, when R is in
   another branch of that same parallel. */
static const struct branch *sibling_branch(const struct state *s, const struct state *r) {
  for (const struct branch *a = s->scope; a; a = a->owner->scope)
    for (const struct branch *b = r->scope; b; b = b->owner->scope)
      if (a != b && a->owner == b->owner && !a->is_map) return a;
  return NULL;
}

static void find_assigner(struct state *s, void *arg) {
  struct assigner_search *a = arg;
  if (!assigns(s, a->name, false)) return;
  if (scope_encloses(s->scope, a->reader)) a->enclosing = true;
  else if (!a->sibling && (a->sibling_branch = sibling_branch(s, a->reader))) a->sibling = s;
}

static void for_each_state(struct state **order, int n, void (*fn)(struct state *, void *), void *arg);

/* Says why a variable has no value where it is read. */
static void report_unassigned_read(struct checker *k, const struct state *s, const struct value *at,
                                   const char *name) {
  struct assigner_search search = {name, s, false, NULL, NULL};
  for_each_state(k->wf->order, k->wf->nstates, find_assigner, &search);
  if (assigns(s, name, true))
    diag_error(k->d, at->loc, "'assign' reads the values from before state '%s' ran; '$%s' is "
               "set only when it completes", s->name.text, name);
  else if (search.enclosing && in_distributed_map(s))
    diag_error(k->d, at->loc, "'$%s' cannot be read here: a distributed map's iterations run as "
               "executions of their own and do not see the workflow's variables", name);
  else if (!search.enclosing && search.sibling && search.sibling_branch->name)
    diag_error(k->d, at->loc, "'$%s' is assigned in a sibling branch ('%s', by state '%s'), and "
               "parallel branches cannot see each other's variables; return the value in that "
               "branch's output instead", name, search.sibling_branch->name, search.sibling->name.text);
  else if (!search.enclosing && search.sibling)
    diag_error(k->d, at->loc, "'$%s' is assigned in a sibling branch (by state '%s'), and parallel "
               "branches cannot see each other's variables; return the value in that branch's "
               "output instead", name, search.sibling->name.text);
  else if (!search.enclosing)
    diag_error(k->d, at->loc, "'$%s' is assigned only inside a parallel branch or map iteration, "
               "and such variables end with it; return the value in its output instead", name);
  else
    diag_error(k->d, at->loc, "variable '$%s' is read in state '%s', but no path to it assigns it",
               name, s->name.text);
}

/* Every variable read in a value: a path whose root is $name. */
static void check_reads(struct checker *k, const struct variables *v, const struct state *s,
                        const struct value *val) {
  if (!val) return;
  switch (val->kind) {
  case V_PATH: {
    struct path_info info;
    size_t offset;
    if (path_check(val->text, val->len, &info, &offset) || info.root != PATH_VARIABLE) return;
    char *name = arena_strndup(k->arena, val->text + 1, info.var_len);
    int i = variable_index((struct variables *)v, name);
    if (i < 0)
      diag_error(k->d, val->loc, "variable '$%s' is never assigned in workflow '%s'", name, k->wf->name.text);
    else if (!set_has(s->vars_in, i))
      report_unassigned_read(k, s, val, name);
    return;
  }
  case V_OBJECT:
    for (const struct member *m = val->members; m; m = m->next) check_reads(k, v, s, m->value);
    return;
  case V_ARRAY:
  case V_CALL:
    for (const struct value *i = val->items; i; i = i->next) check_reads(k, v, s, i);
    return;
  default: return;
  }
}

static void check_cond_reads(struct checker *k, const struct variables *v, const struct state *s,
                             const struct cond *c) {
  if (!c) return;
  check_cond_reads(k, v, s, c->left);
  check_cond_reads(k, v, s, c->right);
  check_cond_reads(k, v, s, c->next);
  check_reads(k, v, s, c->path);
  check_reads(k, v, s, c->operand);
}

static void check_state_reads(struct checker *k, const struct variables *v, const struct state *s) {
  for (const struct option *o = s->options; o; o = o->next) {
    if (o->kind == OPT_ASL || o->kind == OPT_INTO) continue; /* raw JSON; a write, not a read */
    check_reads(k, v, s, o->value);
    check_reads(k, v, s, o->assign);
  }
  for (const struct rule *r = s->rules; r; r = r->next) {
    check_cond_reads(k, v, s, r->cond);
    check_reads(k, v, s, r->assign);
  }
  for (const struct emit_entry *e = s->entries; e; e = e->next) check_reads(k, v, s, e->detail);
  check_reads(k, v, s, s->wait_value);
}

/* No state in a branch or map iteration may assign what an enclosing scope assigns. */
static void check_shadowing(struct checker *k, struct state **order, int n, struct table *outer) {
  struct table here = {0};
  for (int i = 0; i < n; i++)
    FOR_EACH_ASSIGN(order[i], a, {
      for (const struct member *m = a->kind == V_OBJECT ? a->members : NULL; m; m = m->next) {
        const struct member *first = table_get(outer, m->key);
        if (first) {
          char at[256];
          where(k, first->key_loc, at, sizeof at);
          diag_error(k->d, m->key_loc,
                     "'%s' is assigned outside this %s (at %s): a branch or iteration cannot "
                     "assign an outer variable; return the value in its output", m->key,
                     order[i]->scope && order[i]->scope->is_map ? "map iteration" : "parallel branch", at);
        } else if (!table_get(&here, m->key)) {
          table_put(&here, m->key, (void *)m);
        }
      }
    });
  /* the inner scopes see this scope's names and the outer ones */
  struct table both = {0};
  for (size_t i = 0; i < outer->cap; i++)
    if (outer->keys && outer->keys[i]) table_put(&both, outer->keys[i], outer->values[i]);
  for (size_t i = 0; i < here.cap; i++)
    if (here.keys && here.keys[i]) table_put(&both, here.keys[i], here.values[i]);
  struct table none = {0};
  for (int i = 0; i < n; i++)
    for (struct branch *br = order[i]->branches; br; br = br->next)
      /* a distributed map's children are executions of their own, with their own variables */
      check_shadowing(k, br->order, br->nstates, br->is_map && order[i]->opt[OPT_DISTRIBUTED] ? &none : &both);
  table_free(&both);
  table_free(&here);
}

static void for_each_state(struct state **order, int n, void (*fn)(struct state *, void *), void *arg) {
  for (int i = 0; i < n; i++) {
    fn(order[i], arg);
    for (struct branch *br = order[i]->branches; br; br = br->next) for_each_state(br->order, br->nstates, fn, arg);
  }
}

struct var_pass {
  struct checker *k;
  struct variables *v;
};

static void collect_variables(struct state *s, void *arg) {
  struct var_pass *p = arg;
  FOR_EACH_ASSIGN(s, a, note_assign(p->k, p->v, a));
}

static void check_reads_of(struct state *s, void *arg) {
  struct var_pass *p = arg;
  if (s->vars_in) check_state_reads(p->k, p->v, s);
}

static void check_variables(struct checker *k, struct workflow *w) {
  struct variables v = {0};
  struct var_pass pass = {k, &v};
  for_each_state(w->order, w->nstates, collect_variables, &pass);
  struct table outer = {0};
  check_shadowing(k, w->order, w->nstates, &outer);
  table_free(&outer);
  v.words = (size_t)(v.count + 63) / 64 + 1;
  give_sets(k, &v, w->order, w->nstates);
  propagate(k, &v, w->order[0]);
  for_each_state(w->order, w->nstates, check_reads_of, &pass);
  table_free(&v.index);
}

static void check_workflow(struct checker *k, struct decl *d) {
  struct workflow *w = d->workflow;
  k->wf = w;
  k->graph_checks = !d->broken;
  /* The state machine and its execution role are both named after the workflow. */
  if (w->name.text && report_aws_name(k->d, NAME_STATE_MACHINE, w->name.text, w->name.loc))
    report_aws_name(k->d, NAME_ROLE, w->name.text, w->name.loc);
  if (w->comment) resolve_string(k, w->comment, false);
  if (w->version && resolve_string(k, w->version, false) && strcmp(w->version->text, "1.0") != 0)
    diag_error(k->d, w->version->loc, "the only ASL version is \"1.0\"");
  if (w->has_timeout && (w->timeout < 1 || w->timeout > ASL_MAX_SECONDS))
    diag_error(k->d, w->timeout_loc, "a workflow timeout must be 1s to 99999999s");
  else if (w->has_timeout && w->express && w->timeout > 300)
    diag_error(k->d, w->timeout_loc, "an express workflow runs for at most 5 minutes (300s)");
  if (!w->body.first) {
    if (k->graph_checks) diag_error(k->d, w->name.loc, "workflow '%s' has no states", w->name.text);
    return;
  }
  struct scope_list top = {&w->order, &w->nstates, 0};
  collect(k, &w->body, NULL, &top);
  check_states(k, w->order, w->nstates);
  k->graph_broken = false;
  sequence(k, &w->body, (struct cont){NULL, true});
  if (k->graph_checks && !k->graph_broken) {
    check_scope(k, w->order, w->nstates, w->name.loc, "the workflow");
    check_variables(k, w);
  }
}

/* ------------------------------------------------------------ test blocks */

/* A test's values are JSON data, compared or returned as they are. */
static void check_test_value(struct checker *k, struct value *v, const char *what) {
  switch (v->kind) {
  case V_STRING: resolve_string(k, v->string, false); break;
  case V_PATH:
    diag_error(k->d, v->loc, "%s is JSON data: a path is not evaluated here (quote it to mean "
               "the text)", what);
    break;
  case V_CALL: diag_error(k->d, v->loc, "%s is JSON data: a function call is not evaluated here", what); break;
  case V_JSONATA: diag_error(k->d, v->loc, "%s is JSON data: an expression is not evaluated here", what); break;
  case V_OBJECT: {
    struct table seen = {0};
    for (struct member *m = v->members; m; m = m->next) {
      if (table_get(&seen, m->key)) diag_error(k->d, m->key_loc, "duplicate key '%s'", m->key);
      table_put(&seen, m->key, m);
      check_test_value(k, m->value, what);
    }
    table_free(&seen);
    break;
  }
  case V_ARRAY:
    for (struct value *i = v->items; i; i = i->next) check_test_value(k, i, what);
    break;
  default: break;
  }
}

/* The source text at AT (`any` or `States.ALL`), for messages. */
static const char *as_written(struct checker *k, struct loc at) {
  return arena_strndup(k->arena, k->d->files[at.file].text + at.start, (size_t)(at.end - at.start));
}

/* What a mock can answer: a task's call, or a distributed map's reader or writer. */
static bool calls_something(const struct state *s) {
  return s->kind == S_TASK || (s->kind == S_MAP && (s->opt[OPT_READER] || s->opt[OPT_WRITER]));
}

/* Calls FN with each declared name task S calls, as a mock names it: its resource (or
   what its `on` names), the workflow it starts, the events it sends. */
void state_callees(const struct state *s, void (*fn)(void *arg, enum mock_target target, const char *name),
                   void *arg) {
  if (s->kind != S_TASK) return;
  if (s->target_decl && s->target_decl->kind == D_RESOURCE) fn(arg, MOCK_RESOURCE, s->target_decl->name.text);
  if (s->target_workflow) fn(arg, MOCK_WORKFLOW, s->target_workflow->name.text);
  for (const struct emit_entry *e = s->task == T_EMIT ? s->entries : NULL; e; e = e->next)
    if (e->decl) fn(arg, MOCK_EVENT, e->decl->name.text);
  for (const struct name_list *n = s->opt[OPT_ON] ? s->opt[OPT_ON]->names : NULL; n; n = n->next)
    if (!n->quoted && n->name.text) fn(arg, MOCK_RESOURCE, n->name.text);
}

/* What a mock answers, as a key: "state:S", "resource:x", "workflow:W", "event:E". */
const char *mock_key(struct arena *a, enum mock_target target, const char *name) {
  static const char *const prefix[] = {[MOCK_STATE] = "state", [MOCK_RESOURCE] = "resource",
                                       [MOCK_WORKFLOW] = "workflow", [MOCK_EVENT] = "event"};
  return arena_printf(a, "%s:%s", prefix[target], name);
}

/* What the tasks of a workflow call, by mock_key. */
struct callee_pass {
  struct arena *arena;
  struct table *t;
};
static void note_callee(void *arg, enum mock_target target, const char *name) {
  struct callee_pass *at = arg;
  const char *key = mock_key(at->arena, target, name);
  table_put(at->t, key, (void *)key);
}
static void collect_callees(struct state *s, void *arg) { state_callees(s, note_callee, arg); }

/* The callees of W, computed once per workflow (CALLEES: workflow name -> its table). */
static const struct table *workflow_callees(struct checker *k, const struct workflow *w, struct table *callees) {
  struct table *t = table_get(callees, w->name.text);
  if (t) return t;
  t = NEW(k->arena, struct table);
  struct callee_pass pass = {k->arena, t};
  for_each_state(w->order, w->nstates, collect_callees, &pass);
  table_put(callees, w->name.text, t);
  return t;
}

/* The state NAME of the test's workflow W (NULL, reported, when there is none). */
static struct state *test_state(struct checker *k, const struct workflow *w, struct name n) {
  if (!n.text) return NULL;
  struct state *s = table_get(&w->states, n.text);
  if (!s) diag_error(k->d, n.loc, "no state named '%s' in workflow '%s'", n.text, w->name.text);
  return s;
}

static struct state *test_task(struct checker *k, const struct workflow *w, struct name n,
                               const char *what) {
  struct state *s = test_state(k, w, n);
  if (s && !calls_something(s)) {
    diag_error(k->d, n.loc, "'%s' is %s %s state, not a task: %s", n.text,
               article(state_kind_name(s->kind)), state_kind_name(s->kind), what);
    return NULL;
  }
  return s;
}

/* The workflows of each file and of the program: how many, and the last. */
struct workflow_counts {
  int *in_file;                 /* by diag file index */
  struct decl **last_in_file;
  int in_program;
  struct decl *last;
};

/* The workflow a test runs: the one it names, or the only one of its file (or of
   the program). */
static struct decl *test_workflow(struct checker *k, struct decl *d, const struct workflow_counts *wc) {
  struct test *t = d->test;
  if (t->workflow.loc.end)
    return t->workflow.text ? find_decl(k, t->workflow, D_WORKFLOW, 0, "workflow") : NULL;
  int nfile = wc->in_file[d->loc.file], nprogram = wc->in_program;
  if (nfile == 1) return wc->last_in_file[d->loc.file];
  if (nfile == 0 && nprogram == 1) return wc->last;
  if (!k->c->program.lost_names)
    diag_error(k->d, t->loc, "say which workflow this test runs ('workflow NAME'): %s declares %d "
               "workflows", nfile ? "its file" : "the program", nfile ? nfile : nprogram);
  return NULL;
}

/* What a test's earlier mocks and expectations were, to find a second of each. */
struct test_seen {
  struct table mocks;           /* "state:S", or a callee's key -> the first struct test_mock */
  struct test_expect *output, *error, *path;
  struct table *callees;        /* workflow name -> its callees (workflow_callees) */
  bool simulation;              /* the test has `event`: the program's rules start workflows */
};

/* In a simulation a state is named by its name in whichever workflows have it: some
   workflow must have a task of that name. */
static void simulated_task(struct checker *k, struct name n) {
  if (!n.text) return;
  const struct state *found = NULL;
  for (struct decl *d = k->c->program.decls; d && !found; d = d->next)
    if (d->kind == D_WORKFLOW && !d->broken) {
      const struct state *s = table_get(&d->workflow->states, n.text);
      if (s && calls_something(s)) found = s;
    }
  if (!found && !k->c->program.lost_names)
    diag_error(k->d, n.loc, "no workflow of the program has a task named '%s'", n.text);
}

static void second_mock(struct checker *k, const struct test_mock *first, const struct test_mock *m) {
  char at[256];
  where(k, first->loc, at, sizeof at);
  diag_error(k->d, m->name.loc, "a second mock for '%s' in this test (the first is at %s)", m->name.text, at);
}

static void check_mock(struct checker *k, struct test_seen *seen, const struct workflow *w, bool graph,
                       struct test_mock *m) {
  static const char *const what[] = {[MOCK_WORKFLOW] = "workflow", [MOCK_EVENT] = "event"};
  for (struct test_answer *a = m->answers; a; a = a->next) {
    if (a->returns) check_test_value(k, a->returns, "a mock's result");
    if (a->cause) resolve_string(k, a->cause, false);
    if (a->error && a->error->text && !strcmp(a->error->text, "States.ALL"))
      diag_error(k->d, a->error->loc, "a mock throws one error: '%s' is what a retry or catch "
                 "matches", as_written(k, a->error->loc));
    if (a->times && (a->times->kind != V_INT || a->times->integer < 1))
      diag_error(k->d, a->times->loc, "'N times' takes a whole number from 1");
  }
  if (seen->simulation && m->target == MOCK_STATE) simulated_task(k, m->name);
  if (!m->name.text || (!w && !seen->simulation)) return;
  if (m->target == MOCK_STATE && !seen->simulation && !(graph && test_task(k, w, m->name, "only a task has a mock")))
    return;
  if (m->target != MOCK_STATE) {
    m->decl = m->target == MOCK_RESOURCE
                  ? find_decl(k, m->name, D_RESOURCE, m->kind, resource_kind_name(m->kind))
                  : find_decl(k, m->name, m->target == MOCK_WORKFLOW ? D_WORKFLOW : D_EVENT, 0,
                              what[m->target]);
    if (!m->decl) return;
  }
  const char *key = mock_key(k->arena, m->target, m->name.text);
  const struct test_mock *first = table_get(&seen->mocks, key);
  if (first) {
    second_mock(k, first, m);
    return;
  }
  table_put(&seen->mocks, key, m);
  if (m->target != MOCK_STATE && w && graph && !table_get(workflow_callees(k, w, seen->callees), key))
    diag_error(k->d, m->name.loc, "no task of workflow '%s' %s %s '%s'", w->name.text,
               m->target == MOCK_WORKFLOW ? "starts" : m->target == MOCK_EVENT ? "sends" : "calls",
               m->target == MOCK_RESOURCE ? resource_kind_name(m->kind) : what[m->target], m->name.text);
}

static void check_expect(struct checker *k, struct test_seen *seen, const struct workflow *w, bool graph,
                         struct test_expect *e) {
  struct test_expect **slot = e->kind == EXPECT_OUTPUT ? &seen->output : e->kind == EXPECT_ERROR ? &seen->error
                              : e->kind == EXPECT_PATH ? &seen->path : NULL;
  if (slot && *slot)
    diag_error(k->d, e->loc, "a second 'expect %s' in this test", e->kind == EXPECT_OUTPUT ? "output"
               : e->kind == EXPECT_ERROR ? "error" : "path");
  else if ((e->kind == EXPECT_OUTPUT && seen->error) || (e->kind == EXPECT_ERROR && seen->output))
    diag_error(k->d, e->loc, "a test expects an output (the run succeeds) or an error (it fails), "
               "not both");
  else if (slot)
    *slot = e;
  static const char *const what[EXPECT_ENDED + 1] = {
      [EXPECT_OUTPUT] = "an expected output", [EXPECT_INPUT] = "an expected input",
      [EXPECT_STATE_OUTPUT] = "an expected output", [EXPECT_CALLED] = "the expected parameters"};
  if (e->value && what[e->kind]) check_test_value(k, e->value, what[e->kind]); /* not a count */
  if (e->cause) resolve_string(k, e->cause, false);
  if (e->error && e->error->text && !strcmp(e->error->text, "States.ALL"))
    diag_error(k->d, e->error->loc, "expect one error name: a run fails with one error, not '%s'",
               as_written(k, e->error->loc));
  if (e->kind == EXPECT_TIMES && (e->value->kind != V_INT || e->value->integer < 0))
    diag_error(k->d, e->value->loc, "'called N times' takes a whole number");
  if (e->kind == EXPECT_STARTED && e->value && (e->value->kind != V_INT || e->value->integer < 0))
    diag_error(k->d, e->value->loc, "'started N times' takes a whole number");
  if (e->kind == EXPECT_ENDED && e->status.text && strcmp(e->status.text, "succeeded") &&
      strcmp(e->status.text, "failed"))
    diag_error(k->d, e->status.loc, "expected 'started', 'not started', 'succeeded' or 'failed' after "
               "'expect %s', not '%s'", e->state.text ? e->state.text : "W", e->status.text);
  bool about_runs = e->kind == EXPECT_STARTED || e->kind == EXPECT_ENDED;
  if (seen->simulation) {
    if (about_runs) {
      if (e->state.text) find_decl(k, e->state, D_WORKFLOW, 0, "workflow");
    } else if (e->kind == EXPECT_CALLED || e->kind == EXPECT_TIMES) {
      simulated_task(k, e->state);
    } else {
      diag_error(k->d, e->loc, "a test with 'event' simulates the program, many executions: expect "
                 "'W started [N times]', 'W not started', 'W succeeded', 'W failed', 'S called with "
                 "VALUE' or 'S called N times'");
    }
    return;
  }
  if (about_runs) {
    diag_error(k->d, e->loc, "'expect %s %s' is about a simulation: give the test an 'event' for the "
               "program's rules", e->state.text ? e->state.text : "W",
               e->kind == EXPECT_STARTED ? "started" : e->status.text ? e->status.text : "");
    return;
  }
  if (!w || !graph) return;
  switch (e->kind) {
  case EXPECT_PATH:
    for (struct name_list *n = e->path; n; n = n->next) {
      struct state *s = test_state(k, w, n->name);
      if (s && s->scope)
        diag_error(k->d, n->name.loc, "'%s' is inside a %s: 'expect path' lists the states of the "
                   "workflow's top level (write 'expect passes through %s')", n->name.text,
                   s->scope->is_map ? "map" : "parallel branch", n->name.text);
    }
    break;
  case EXPECT_PASSES: case EXPECT_INPUT: case EXPECT_STATE_OUTPUT: test_state(k, w, e->state); break;
  case EXPECT_CALLED: case EXPECT_TIMES: test_task(k, w, e->state, "only a task is called"); break;
  default: break;
  }
}

static void check_test(struct checker *k, struct decl *d, struct table *names, struct table *callees,
                       const struct workflow_counts *wc) {
  struct test *t = d->test;
  if (t->name->parts) {
    diag_error(k->d, t->name->loc, "a test name cannot use ${...} interpolation");
  } else if (!t->name->len) {
    diag_error(k->d, t->name->loc, "a test needs a name");
  } else if (table_get(names, t->name->text)) {
    char at[256];
    where(k, ((struct test *)table_get(names, t->name->text))->loc, at, sizeof at);
    diag_error(k->d, t->name->loc, "a test named \"%s\" already exists (at %s)", t->name->text, at);
  } else {
    table_put(names, t->name->text, t);
  }
  if (d->broken) return; /* what is left of it may be anything */
  if (t->events) {
    if (t->workflow.loc.end)
      diag_error(k->d, t->workflow.loc, "a test with 'event' simulates the program: its rules choose the "
                 "workflows, so it names none");
    if (t->input)
      diag_error(k->d, t->input->loc, "a test with 'event' simulates the program: each execution's "
                 "input is what its rule gives it, so the test has none");
    for (struct test_event *e = t->events; e; e = e->next) {
      check_test_value(k, e->value, "an event");
      if (e->bus.text) find_decl(k, e->bus, D_RESOURCE, R_BUS, "bus");
    }
    struct test_seen seen = {{0}, NULL, NULL, NULL, callees, true};
    for (struct test_mock *m = t->mocks; m; m = m->next) check_mock(k, &seen, NULL, false, m);
    for (struct test_expect *e = t->expects; e; e = e->next) check_expect(k, &seen, NULL, false, e);
    table_free(&seen.mocks);
    return;
  }
  struct decl *wd = test_workflow(k, d, wc);
  t->workflow_decl = wd;
  struct workflow *w = wd ? wd->workflow : NULL;
  /* a workflow with a syntax error may have lost the state a name refers to */
  bool graph = wd && !wd->broken;
  if (t->input) check_test_value(k, t->input, "a test's input");
  struct test_seen seen = {{0}, NULL, NULL, NULL, callees, false};
  for (struct test_mock *m = t->mocks; m; m = m->next) check_mock(k, &seen, w, graph, m);
  for (struct test_expect *e = t->expects; e; e = e->next) check_expect(k, &seen, w, graph, e);
  table_free(&seen.mocks);
}

void check_program(struct compilation *c) {
  struct checker k = {0};
  k.c = c;
  k.d = &c->diag;
  k.arena = &c->arena;
  for (struct decl *d = c->program.decls; d; d = d->next) declare(&k, d);
  for (struct decl *d = c->program.decls; d; d = d->next)
    if (d->kind == D_PARAM && !d->broken) resolve_param(&k, d);
  resolve_aws(&k);
  for (int i = 0; i < c->options->ndefines; i++) {
    struct define *def = &c->options->defines[i];
    struct decl *d = table_get(&k.names, def->name);
    if (!def->used && !(d && d->kind == D_PARAM) && !name_unchecked(c, d)) {
      diag_error_noloc(k.d, "-D %s: no param named '%s' is declared", def->name, def->name);
      c->usage_error = true;
    }
  }
  for (struct decl *d = c->program.decls; d; d = d->next)
    if (d->kind == D_RESOURCE && !d->broken) check_resource(&k, d);
  for (struct decl *d = c->program.decls; d; d = d->next)
    if (d->kind == D_EVENT && !d->broken) check_event(&k, d);
  for (struct decl *d = c->program.decls; d; d = d->next)
    if (d->kind == D_WORKFLOW) check_workflow(&k, d);
  struct table tests = {0};   /* test names: a namespace of their own */
  struct table callees = {0}; /* workflow name -> what its tasks call (workflow_callees) */
  struct workflow_counts wc = {0};
  wc.in_file = arena_alloc(k.arena, (size_t)(c->diag.nfiles ? c->diag.nfiles : 1) * sizeof *wc.in_file);
  wc.last_in_file = arena_alloc(k.arena, (size_t)(c->diag.nfiles ? c->diag.nfiles : 1) * sizeof *wc.last_in_file);
  for (struct decl *d = c->program.decls; d; d = d->next)
    if (d->kind == D_WORKFLOW) {
      wc.in_file[d->loc.file]++, wc.last_in_file[d->loc.file] = d;
      wc.in_program++, wc.last = d;
    }
  for (struct decl *d = c->program.decls; d; d = d->next)
    if (d->kind == D_TEST) check_test(&k, d, &tests, &callees, &wc);
  for (size_t i = 0; i < callees.cap; i++)
    if (callees.keys && callees.keys[i]) table_free(callees.values[i]);
  table_free(&tests);
  table_free(&callees);
  /* the name table outlives the checker: triggers and IAM look names up too */
  c->name_table = k.names;
  c->names = &c->name_table;
  check_triggers(c, c->names);
}

bool resolve_text(struct compilation *c, struct str *s) {
  struct checker k = {0};
  k.c = c;
  k.d = &c->diag;
  k.arena = &c->arena;
  k.names = *c->names;
  return resolve_string(&k, s, false);
}

const char *state_machine_arn(struct compilation *c, const char *workflow) {
  const char *r = c->region ? c->region : "${region}";
  const char *a = c->account ? c->account : "${account}";
  return arena_printf(&c->arena, "arn:%s:states:%s:%s:stateMachine:%s%s", c->partition, r, a,
                      c->name_prefix, workflow);
}

void compilation_free(struct compilation *c) {
  table_free(&c->name_table);
  for (struct decl *d = c->program.decls; d; d = d->next)
    if (d->kind == D_WORKFLOW) table_free(&d->workflow->states);
  diag_free(&c->diag);
  arena_free(&c->arena);
}
