/* emit_terraform.c: the output directory as a Terraform module that deploys it all.
 *
 *   versions.tf    Terraform and provider versions
 *   variables.tf   one variable per param (its type, value as default, comment as
 *                  description), plus tags, name_prefix and log retention
 *   main.tf        the account, region and partition (the provider's, unless the
 *                  program fixes them), and the values the templates take
 *   <W>.tf         (<W>.workflow.tf when W is main, outputs, ...)
 *                  per workflow: its state machine, log group, execution role and
 *                  policy, and per trigger the rule and target or the schedule, with
 *                  the role EventBridge or Scheduler assumes
 *   sources.tf     S3 buckets' EventBridge notifications, dead-letter queue policies
 *                  and `allow start by` policies on declared roles (when there are any)
 *   outputs.tf     ARNs and names of what the module creates
 *   *.tftpl        every JSON document the module deploys, as a templatefile() file:
 *                  the document sfc writes, with ${NAME} where a deploy-time value goes
 *
 * A printer: every value comes from the model and the documents the other printers
 * wrote; where a value is deploy-time is read off the shadow compile (template.c).
 * The text is in `terraform fmt`'s canonical form: one space around `=`, and the `=`
 * of consecutive one-line arguments aligned.
 */
#define _POSIX_C_SOURCE 200809L /* strcasecmp */
#include "sfc.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One line of a .tf file: KEY = TEXT (KEY aligned with its neighbours), or TEXT alone. */
struct tf_line {
  int depth;
  char *key;
  char *text;
};

struct tf {
  struct compilation *c;
  const struct model *m, *shadow; /* shadow: NULL when its shape differs */
  const struct outputs *docs, *shadow_docs;
  struct outputs *out;
  struct template_var *json_vars, *text_vars; /* the same values, in JSON text and as is */
  int nvars;
  struct table labels, used;      /* entity -> label; labels taken */
  struct tf_line *lines;
  int nlines, cap, depth;
  const char *fixed;              /* texts that could not keep their deploy-time values */
};

/* ------------------------------------------------------------------ lines */

static void add_line(struct tf *t, char *key, char *text) {
  if (t->nlines == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 64;
    t->lines = xrealloc(t->lines, (size_t)t->cap * sizeof *t->lines);
  }
  t->lines[t->nlines++] = (struct tf_line){t->depth, key, text};
}

/* KEY = VALUE on one line. */
static void attr(struct tf *t, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void attr(struct tf *t, const char *key, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add_line(t, xstrdup(key), xvasprintf(fmt, ap));
  va_end(ap);
}

/* HEADER {, and what follows is inside it until end(). */
static void block(struct tf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void block(struct tf *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *head = xvasprintf(fmt, ap);
  va_end(ap);
  struct buf b = {0};
  buf_printf(&b, "%s {", head);
  free(head);
  add_line(t, NULL, b.data);
  t->depth++;
}

static void end(struct tf *t) {
  t->depth--;
  add_line(t, NULL, xstrdup("}"));
}

static void blank(struct tf *t) {
  if (t->nlines && t->lines[t->nlines - 1].text[0]) add_line(t, NULL, xstrdup(""));
}

/* Writes the lines as NAME: runs of one-line arguments get their `=` aligned, as
   `terraform fmt` does. */
static size_t columns(const char *s) { return utf8_count(s, strlen(s)); } /* as fmt counts */

static void file_done(struct tf *t, const char *name) {
  struct buf b = {0};
  buf_printf(&b, "# Written by sfc %s from the program's .sf files: change those and recompile.\n\n",
             SFC_VERSION);
  size_t width = 0;
  int run_end = 0; /* the lines before it have their run's width in WIDTH */
  for (int i = 0; i < t->nlines; i++) {
    struct tf_line *l = &t->lines[i];
    if (!l->text[0]) { /* a blank line before a closing brace says nothing */
      if (i + 1 < t->nlines && strcmp(t->lines[i + 1].text, "}")) buf_addc(&b, '\n');
      continue;
    }
    if (l->key && i >= run_end) { /* a run of one-line arguments at one depth starts */
      width = 0;
      for (run_end = i; run_end < t->nlines && t->lines[run_end].key && t->lines[run_end].depth == l->depth;
           run_end++)
        if (columns(t->lines[run_end].key) > width) width = columns(t->lines[run_end].key);
    }
    buf_printf(&b, "%*s", 2 * l->depth, "");
    if (l->key) buf_printf(&b, "%s%*s = ", l->key, (int)(width - columns(l->key)), "");
    buf_printf(&b, "%s\n", l->text);
  }
  for (int i = 0; i < t->nlines; i++) free(t->lines[i].key), free(t->lines[i].text);
  t->nlines = 0;
  outputs_add_text(t->out, name, b);
}

/* ------------------------------------------------------------------ values */

/* "BEFORE" then TEXT, as a quoted HCL string that means exactly TEXT after BEFORE
   (which is HCL already). */
static const char *quoted_after(struct tf *t, const char *before, const char *text) {
  struct buf b = {0};
  buf_printf(&b, "\"%s", before);
  template_literal(&b, text, strlen(text), TEMPLATE_HCL);
  buf_addc(&b, '"');
  const char *s = arena_strndup(&t->c->arena, b.data, b.len);
  buf_free(&b);
  return s;
}

/* TEXT as a quoted HCL string that means exactly TEXT. */
static const char *quoted(struct tf *t, const char *text) { return quoted_after(t, "", text); }

/* NAME, of something the module creates, as a quoted HCL string after the prefix. */
static const char *prefixed(struct tf *t, const char *name) {
  return quoted_after(t, "${var.name_prefix}", name);
}

/* The roles the module creates for a workflow, into ROLES: its execution role, and the
   roles EventBridge and Scheduler assume when it has such triggers. Returns how many. */
static int created_roles(const struct iam_policy *p, const struct iam_role *roles[3]) {
  int n = 0;
  roles[n++] = &p->execution;
  for (int k = 0; k < 2; k++)
    if (p->starter[k].grants) roles[n++] = &p->starter[k];
  return n;
}

/* The room LIMIT leaves for a prefix before NAME (in characters). */
static int room_before(size_t limit, const char *name) {
  return (int)limit - (int)utf8_count(name, strlen(name));
}

/* The longest name_prefix every created name has room for (names.c's limits on
   state machine, role, rule and schedule names). */
static int prefix_room(const struct model *m) {
  int room = (int)name_max_length(NAME_ROLE);
  for (int i = 0; i < m->nworkflows; i++) {
    const struct model_workflow *w = &m->workflows[i];
    const struct iam_policy *p = w->iam;
    int n = room_before(name_max_length(NAME_STATE_MACHINE), w->name);
    if (n < room) room = n;
    const struct iam_role *roles[3];
    for (int k = 0, nroles = created_roles(p, roles); k < nroles; k++)
      if ((n = room_before(name_max_length(NAME_ROLE), roles[k]->name)) < room) room = n;
    for (int k = 0; k < w->ntriggers; k++) {
      const struct model_trigger *t = &w->triggers[k];
      n = room_before(name_max_length(t->kind == MODEL_RULE ? NAME_RULE : NAME_SCHEDULE), t->name);
      if (n < room) room = n;
    }
  }
  return room < 0 ? 0 : room;
}

/* REAL's template read against SHADOW; when they do not align, REAL with its params
   at their compile-time values (the account and region placeholders still apply). */
static void aligned(struct tf *t, struct buf *b, const char *real, size_t rlen, const char *shadow,
                    size_t slen, bool json, enum template_style style, const char *what) {
  const struct template_var *vars = json ? t->json_vars : t->text_vars;
  size_t mark = b->len;
  if (shadow && template_align(b, shadow, slen, real, rlen, vars, t->nvars, style)) return;
  b->len = mark;
  if (shadow && what && !t->fixed) t->fixed = what;
  /* line by line, so that one value that does not align fixes only its own line */
  size_t i = 0, j = 0;
  while (shadow && i < slen && j < rlen) {
    const char *se = memchr(shadow + i, '\n', slen - i), *re = memchr(real + j, '\n', rlen - j);
    size_t sl = se ? (size_t)(se - shadow - i) + 1 : slen - i, rl = re ? (size_t)(re - real - j) + 1 : rlen - j;
    size_t line = b->len;
    if (!template_align(b, shadow + i, sl, real + j, rl, vars, t->nvars, style)) {
      b->len = line;
      template_align(b, real + j, rl, real + j, rl, vars, t->nvars, style);
    }
    i += sl, j += rl;
  }
  if (j < rlen || i < slen) { /* not the same lines: all of it at compile-time values */
    b->len = mark;
    template_align(b, real, rlen, real, rlen, vars, t->nvars, style);
  }
}

/* A quoted HCL string for the model's REAL, deploy-time where SHADOW says so. JSON:
   the text is JSON (the values stand in it escaped). */
static const char *value(struct tf *t, const char *real, const char *shadow, bool json) {
  struct buf b = {0};
  buf_addc(&b, '"');
  aligned(t, &b, real, strlen(real), shadow, shadow ? strlen(shadow) : 0, json, TEMPLATE_HCL, real);
  buf_addc(&b, '"');
  const char *s = arena_strndup(&t->c->arena, b.data, b.len);
  buf_free(&b);
  return s;
}

/* Writes NAME.tftpl, the template of the document TEXT (SHADOW: the shadow compile's),
   and returns the expression that renders it. */
static const char *template_file(struct tf *t, const char *name, const struct buf *text,
                                 const struct buf *shadow) {
  struct buf b = {0};
  const char *file = arena_printf(&t->c->arena, "%s.tftpl", name);
  aligned(t, &b, text->data, text->len, shadow ? shadow->data : NULL, shadow ? shadow->len : 0, true,
          TEMPLATE_FILE, name);
  outputs_add_text(t->out, file, b);
  struct buf path = {0};
  template_literal(&path, file, strlen(file), TEMPLATE_HCL);
  const char *e = arena_printf(&t->c->arena, "templatefile(\"${path.module}/%s\", local.template_vars)",
                               path.data);
  buf_free(&path);
  return e;
}

/* The template of the document the other printers wrote as NAME. */
static const char *document(struct tf *t, const char *name) {
  const struct buf *text = outputs_find(t->docs, name);
  const struct buf *shadow = t->shadow ? outputs_find(t->shadow_docs, name) : NULL;
  if (!text) return "null"; /* not written: cannot happen for the documents asked for */
  return template_file(t, name, text, shadow);
}

/* A Terraform name for ENTITY (kind and AWS name): letters, digits, _ and - as they
   are, anything else _, a leading _ before a digit; unique, and the same for the same
   entity wherever it is used. */
static const char *label(struct tf *t, const char *kind, const char *name) {
  const char *key = arena_printf(&t->c->arena, "%s:%s", kind, name);
  const char *known = table_get(&t->labels, key);
  if (known) return known;
  struct buf b = {0};
  if (!((*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') || *name == '_'))
    buf_addc(&b, '_');
  for (const char *p = name; *p; p++) {
    bool plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                 *p == '_' || *p == '-';
    buf_addc(&b, plain ? *p : '_');
  }
  const char *l = arena_strndup(&t->c->arena, b.data, b.len);
  for (int n = 2; table_get(&t->used, arena_printf(&t->c->arena, "%s:%s", kind, l)); n++)
    l = arena_printf(&t->c->arena, "%.*s_%d", (int)b.len, b.data, n);
  buf_free(&b);
  table_put(&t->used, arena_printf(&t->c->arena, "%s:%s", kind, l), (void *)l);
  table_put(&t->labels, key, (void *)l);
  return l;
}

/* ------------------------------------------------------------------ files */

static bool any_logging(const struct model *m) {
  for (int i = 0; i < m->nworkflows; i++)
    if (m->workflows[i].log_level && strcmp(m->workflows[i].log_level, "OFF")) return true;
  return false;
}

static bool any_rule(const struct model *m) {
  for (int i = 0; i < m->nworkflows; i++)
    for (int k = 0; k < m->workflows[i].ntriggers; k++)
      if (m->workflows[i].triggers[k].kind == MODEL_RULE) return true;
  return false;
}

static void versions_tf(struct tf *t) {
  block(t, "terraform");
  attr(t, "required_version", "\">= 1.5\"");
  blank(t);
  block(t, "required_providers");
  block(t, "aws =");
  attr(t, "source", "\"hashicorp/aws\"");
  /* 5.27 brought aws_cloudwatch_event_rule's `state` */
  attr(t, "version", "\"%s\"", any_rule(t->m) ? ">= 5.27" : ">= 5.0");
  end(t);
  end(t);
  end(t);
  file_done(t, "versions.tf");
}

static void variables_tf(struct tf *t) {
  for (int i = 0; i < t->m->nparams; i++) {
    const struct model_param *p = &t->m->params[i];
    block(t, "variable %s", quoted(t, t->text_vars[i].key));
    if (p->description) attr(t, "description", "%s", quoted(t, p->description));
    attr(t, "type", "%s", p->type);
    attr(t, "default", "%s", strcmp(p->type, "string") ? p->value : quoted(t, p->value));
    end(t);
    blank(t);
  }
  block(t, "variable \"tags\"");
  attr(t, "description", "\"Tags for every resource of the module that takes them\"");
  attr(t, "type", "map(string)");
  attr(t, "default", "{}");
  end(t);
  blank(t);
  int room = prefix_room(t->m);
  block(t, "variable \"name_prefix\"");
  attr(t, "description", "\"Put before the name of every state machine, role, rule and schedule the module creates\"");
  attr(t, "type", "string");
  attr(t, "default", "\"\"");
  blank(t);
  block(t, "validation");
  /* what state machine, role, rule and schedule names all take, within their length */
  attr(t, "condition", "can(regex(\"^[0-9A-Za-z_-]{0,%d}$\", var.name_prefix))", room);
  attr(t, "error_message", "\"The name prefix takes at most %d letters, digits, _ and -.\"", room);
  end(t);
  end(t);
  if (any_logging(t->m)) {
    blank(t);
    block(t, "variable \"log_retention_in_days\"");
    attr(t, "description", "\"How long the state machines' log groups keep their events (0: forever)\"");
    attr(t, "type", "number");
    attr(t, "default", "30");
    end(t);
  }
  file_done(t, "variables.tf");
}

static void main_tf(struct tf *t) {
  const struct compilation *c = t->c;
  if (!c->account) add_line(t, NULL, xstrdup("data \"aws_caller_identity\" \"current\" {}"));
  if (!c->region) add_line(t, NULL, xstrdup("data \"aws_region\" \"current\" {}"));
  if (!c->partition_given) add_line(t, NULL, xstrdup("data \"aws_partition\" \"current\" {}"));
  if (!c->account || !c->region || !c->partition_given) blank(t);
  block(t, "locals");
  attr(t, "account", "%s", c->account ? quoted(t, c->account) : "data.aws_caller_identity.current.account_id");
  attr(t, "region", "%s", c->region ? quoted(t, c->region) : "data.aws_region.current.name");
  attr(t, "partition", "%s", c->partition_given ? quoted(t, c->partition) : "data.aws_partition.current.partition");
  blank(t);
  add_line(t, NULL, xstrdup("# what each ${NAME} of the *.tftpl files stands for, as it stands in JSON"));
  block(t, "template_vars =");
  attr(t, "account", "local.account");
  attr(t, "region", "local.region");
  attr(t, "partition", "local.partition");
  attr(t, "name_prefix", "var.name_prefix");
  for (int i = 0; i < t->m->nparams; i++) {
    const struct model_param *p = &t->m->params[i];
    const char *v = t->text_vars[i].key;
    if (!strcmp(p->type, "string"))
      attr(t, v, "trimsuffix(trimprefix(jsonencode(var.%s), \"\\\"\"), \"\\\"\")", v);
    else
      attr(t, v, "jsonencode(var.%s)", v);
  }
  end(t);
  end(t);
  file_done(t, "main.tf");
}

/* The role the module creates: the trust and (when it has any) the policy. */
static void role(struct tf *t, const struct iam_role *r) {
  const char *l = label(t, "role", r->name);
  block(t, "resource \"aws_iam_role\" %s", quoted(t, l));
  attr(t, "name", "%s", prefixed(t, r->name));
  attr(t, "assume_role_policy", "%s", document(t, r->trust_file));
  attr(t, "tags", "var.tags");
  end(t);
  blank(t);
  if (!r->grants) return;
  block(t, "resource \"aws_iam_role_policy\" %s", quoted(t, l));
  attr(t, "name", "%s", quoted(t, r->name));
  attr(t, "role", "aws_iam_role.%s.id", l);
  attr(t, "policy", "%s", document(t, r->policy_file));
  end(t);
  blank(t);
}

static void retry_and_dead_letter(struct tf *t, const struct model_trigger *r, const struct model_trigger *s) {
  if (r->has_retry) {
    blank(t);
    block(t, "retry_policy");
    if (r->retry_attempts >= 0) attr(t, "maximum_retry_attempts", "%lld", r->retry_attempts);
    if (r->retry_max_age >= 0) attr(t, "maximum_event_age_in_seconds", "%lld", r->retry_max_age);
    end(t);
  }
  if (r->dead_letter_arn) {
    blank(t);
    block(t, "dead_letter_config");
    attr(t, "arn", "%s", value(t, r->dead_letter_arn, s ? s->dead_letter_arn : NULL, false));
    end(t);
  }
}

static void rule(struct tf *t, const struct model_workflow *w, const struct model_trigger *r,
                 const struct model_trigger *s, const char *starter) {
  const char *l = label(t, "rule", r->name);
  struct buf pattern = {0}, shadow = {0};
  json_t *j = jn_to_json(r->pattern);
  json_write_compact(&pattern, j);
  json_decref(j);
  if (s) {
    j = jn_to_json(s->pattern);
    json_write_compact(&shadow, j);
    json_decref(j);
  }
  block(t, "resource \"aws_cloudwatch_event_rule\" %s", quoted(t, l));
  attr(t, "name", "%s", prefixed(t, r->name));
  attr(t, "event_bus_name", "%s", value(t, r->bus ? r->bus : "default", s && s->bus ? s->bus : s ? "default" : NULL, false));
  attr(t, "event_pattern", "%s",
       template_file(t, arena_printf(&t->c->arena, "%s.pattern.json", r->name), &pattern, s ? &shadow : NULL));
  attr(t, "state", "\"%s\"", r->enabled ? "ENABLED" : "DISABLED");
  if (r->description) attr(t, "description", "%s", value(t, r->description, s ? s->description : NULL, false));
  attr(t, "tags", "var.tags");
  end(t);
  blank(t);
  buf_free(&pattern);
  buf_free(&shadow);

  block(t, "resource \"aws_cloudwatch_event_target\" %s", quoted(t, l));
  attr(t, "rule", "aws_cloudwatch_event_rule.%s.name", l);
  attr(t, "event_bus_name", "aws_cloudwatch_event_rule.%s.event_bus_name", l);
  attr(t, "target_id", "%s", quoted(t, r->target_id));
  attr(t, "arn", "aws_sfn_state_machine.%s.arn", label(t, "workflow", w->name));
  attr(t, "role_arn", "aws_iam_role.%s.arn", starter);
  if (r->input_path) attr(t, "input_path", "%s", value(t, r->input_path, s ? s->input_path : NULL, false));
  if (r->input) attr(t, "input", "%s", value(t, r->input, s ? s->input : NULL, true));
  if (r->input_template) {
    blank(t);
    block(t, "input_transformer");
    if (r->ninput_vars) {
      block(t, "input_paths =");
      for (int i = 0; i < r->ninput_vars; i++)
        attr(t, quoted(t, r->input_vars[i].name), "%s",
             value(t, r->input_vars[i].path, s && i < s->ninput_vars ? s->input_vars[i].path : NULL, false));
      end(t);
    }
    attr(t, "input_template", "%s", value(t, r->input_template, s ? s->input_template : NULL, true));
    end(t);
  }
  retry_and_dead_letter(t, r, s);
  end(t);
  blank(t);
}

static void schedule(struct tf *t, const struct model_workflow *w, const struct model_trigger *r,
                     const struct model_trigger *s, const char *starter) {
  const char *l = label(t, "schedule", r->name);
  block(t, "resource \"aws_scheduler_schedule\" %s", quoted(t, l));
  attr(t, "name", "%s", prefixed(t, r->name));
  attr(t, "schedule_expression", "%s", value(t, r->expression, s ? s->expression : NULL, false));
  if (r->timezone) attr(t, "schedule_expression_timezone", "%s", quoted(t, r->timezone));
  attr(t, "state", "\"%s\"", r->enabled ? "ENABLED" : "DISABLED");
  if (r->description) attr(t, "description", "%s", value(t, r->description, s ? s->description : NULL, false));
  blank(t);
  block(t, "flexible_time_window");
  attr(t, "mode", "\"%s\"", r->window_minutes ? "FLEXIBLE" : "OFF");
  if (r->window_minutes) attr(t, "maximum_window_in_minutes", "%lld", r->window_minutes);
  end(t);
  blank(t);
  block(t, "target");
  attr(t, "arn", "aws_sfn_state_machine.%s.arn", label(t, "workflow", w->name));
  attr(t, "role_arn", "aws_iam_role.%s.arn", starter);
  if (r->input) attr(t, "input", "%s", value(t, r->input, s ? s->input : NULL, true));
  retry_and_dead_letter(t, r, s);
  end(t);
  end(t);
  blank(t);
}

/* W.tf, unless that is one of the module's own files (in any case, for file systems
   that ignore it): then W.workflow.tf. */
static const char *workflow_file(struct tf *t, const char *name) {
  static const char *const own[] = {"versions", "variables", "main", "sources", "outputs"};
  for (size_t i = 0; i < sizeof own / sizeof *own; i++)
    if (!strcasecmp(name, own[i])) return arena_printf(&t->c->arena, "%s.workflow.tf", name);
  return arena_printf(&t->c->arena, "%s.tf", name);
}

static void workflow_tf(struct tf *t, const struct model_workflow *w, const struct model_workflow *s) {
  const char *l = label(t, "workflow", w->name);
  const struct iam_policy *p = w->iam;
  bool logs = w->log_level && strcmp(w->log_level, "OFF");
  if (logs) {
    block(t, "resource \"aws_cloudwatch_log_group\" %s", quoted(t, l));
    /* the /aws/vendedlogs/ prefix keeps CloudWatch's resource policy for Step
       Functions from outgrowing its size limit */
    attr(t, "name", "\"/aws/vendedlogs/states/%s", prefixed(t, w->name) + 1);
    attr(t, "retention_in_days", "var.log_retention_in_days");
    attr(t, "tags", "var.tags");
    end(t);
    blank(t);
  }
  block(t, "resource \"aws_sfn_state_machine\" %s", quoted(t, l));
  attr(t, "name", "%s", prefixed(t, w->name));
  attr(t, "type", "\"%s\"", w->express ? "EXPRESS" : "STANDARD");
  attr(t, "role_arn", "aws_iam_role.%s.arn", label(t, "role", p->execution.name));
  attr(t, "definition", "%s", document(t, w->definition_file));
  attr(t, "tags", "var.tags");
  if (w->log_level) {
    blank(t);
    block(t, "logging_configuration");
    if (logs) attr(t, "log_destination", "\"${aws_cloudwatch_log_group.%s.arn}:*\"", l);
    attr(t, "include_execution_data", "%s", w->log_include_data ? "true" : "false");
    attr(t, "level", "\"%s\"", w->log_level);
    end(t);
  }
  if (w->tracing) {
    blank(t);
    block(t, "tracing_configuration");
    attr(t, "enabled", "true");
    end(t);
  }
  if (p->execution.grants) {
    /* Step Functions checks the role's logging and tracing permissions on create */
    blank(t);
    attr(t, "depends_on", "[aws_iam_role_policy.%s]", label(t, "role", p->execution.name));
  }
  end(t);
  blank(t);
  const struct iam_role *roles[3];
  for (int k = 0, n = created_roles(p, roles); k < n; k++) role(t, roles[k]);
  for (int i = 0; i < w->ntriggers; i++) {
    const struct model_trigger *r = &w->triggers[i];
    const struct model_trigger *sr = s && i < s->ntriggers ? &s->triggers[i] : NULL;
    const char *starter = label(t, "role", p->starter[r->kind == MODEL_SCHEDULE].name);
    if (r->kind == MODEL_RULE) rule(t, w, r, sr, starter);
    else schedule(t, w, r, sr, starter);
  }
  file_done(t, workflow_file(t, w->name));
}

static const struct model_resource *resource_named(const struct model *m, const char *name) {
  for (int i = 0; m && i < m->nresources; i++)
    if (!strcmp(m->resources[i].name, name)) return &m->resources[i];
  return NULL;
}

/* A declared role's or bucket's AWS name: its value, or the end of its ARN
   (arn:aws:iam::A:role/PATH/NAME, arn:aws:s3:::NAME). */
static const char *aws_name(const struct model_resource *r) {
  if (!r) return NULL;
  if (strncmp(r->value, "arn:", 4)) return r->value;
  const char *slash = strrchr(r->value, '/'), *colon = strrchr(r->value, ':');
  return (slash > colon ? slash : colon) + 1;
}

/* What the module sets on resources it does not create. */
static bool sources_tf(struct tf *t) {
  const struct model *m = t->m;
  for (int i = 0; i < m->nresources; i++) {
    const struct model_resource *r = &m->resources[i];
    if (r->kind != R_BUCKET || !r->eventbridge_notifications || r->owner == OWNER_EXTERNAL) continue;
    const struct model_resource *s = t->shadow ? &t->shadow->resources[i] : NULL;
    block(t, "resource \"aws_s3_bucket_notification\" %s", quoted(t, label(t, "bucket", r->name)));
    attr(t, "bucket", "%s", value(t, aws_name(r), s ? aws_name(s) : NULL, false));
    attr(t, "eventbridge", "true");
    end(t);
    blank(t);
  }
  for (const struct iam_queue_policy *q = m->queue_policies; q; q = q->next) {
    const struct model_resource *r = resource_named(m, q->queue);
    const struct model_resource *s = resource_named(t->shadow, q->queue);
    if (r->owner == OWNER_EXTERNAL) continue;
    block(t, "resource \"aws_sqs_queue_policy\" %s", quoted(t, label(t, "queue", q->queue)));
    attr(t, "queue_url", "%s", value(t, r->url, s ? s->url : NULL, false));
    attr(t, "policy", "%s", document(t, q->file));
    end(t);
    blank(t);
  }
  for (int i = 0; i < m->nworkflows; i++) {
    const struct iam_policy *p = m->workflows[i].iam;
    for (int k = 0; k < p->nallowed; k++) {
      const struct iam_role *a = &p->allowed[k];
      const char *l = label(t, "allowed", a->policy_file);
      const struct model_resource *r = resource_named(m, a->name);
      const struct model_resource *s = resource_named(t->shadow, a->name);
      block(t, "resource \"aws_iam_role_policy\" %s", quoted(t, l));
      attr(t, "name", "%s", quoted(t, arena_printf(&t->c->arena, "start-%s", m->workflows[i].name)));
      attr(t, "role", "%s", value(t, aws_name(r), s ? aws_name(s) : NULL, false));
      attr(t, "policy", "%s", document(t, a->policy_file));
      end(t);
      blank(t);
    }
  }
  if (!t->nlines) return false;
  file_done(t, "sources.tf");
  return true;
}

/* output NAME: a map from each workflow (or trigger) to ITEM's attribute. */
static void output_map(struct tf *t, const char *name, const char *description, const char *type,
                       const char *attribute, int which) {
  block(t, "output \"%s\"", name);
  attr(t, "description", "\"%s\"", description);
  int n = 0;
  for (int i = 0; i < t->m->nworkflows; i++) {
    const struct model_workflow *w = &t->m->workflows[i];
    if (which == 0 && !n++) block(t, "value =");
    if (which == 0) attr(t, quoted(t, w->name), "%s.%s.%s", type, label(t, "workflow", w->name), attribute);
    for (int k = 0; which && k < w->ntriggers; k++) {
      const struct model_trigger *r = &w->triggers[k];
      if ((which == 1) != (r->kind == MODEL_RULE)) continue;
      if (!n++) block(t, "value =");
      attr(t, quoted(t, r->name), "%s.%s.%s", type, label(t, which == 1 ? "rule" : "schedule", r->name),
           attribute);
    }
  }
  if (n) end(t);
  else attr(t, "value", "{}");
  end(t);
  blank(t);
}

static void outputs_tf(struct tf *t) {
  output_map(t, "state_machine_arns", "Each workflow's state machine ARN", "aws_sfn_state_machine", "arn", 0);
  output_map(t, "state_machine_names", "Each workflow's state machine name", "aws_sfn_state_machine", "name", 0);
  block(t, "output \"role_arns\"");
  attr(t, "description", "\"The ARN of every role the module creates, by role name\"");
  block(t, "value =");
  for (int i = 0; i < t->m->nworkflows; i++) {
    const struct iam_policy *p = t->m->workflows[i].iam;
    const struct iam_role *roles[3];
    for (int k = 0, n = created_roles(p, roles); k < n; k++)
      attr(t, quoted(t, roles[k]->name), "aws_iam_role.%s.arn", label(t, "role", roles[k]->name));
  }
  end(t);
  end(t);
  blank(t);
  output_map(t, "rule_arns", "Each EventBridge rule's ARN, by rule name", "aws_cloudwatch_event_rule", "arn", 1);
  output_map(t, "schedule_arns", "Each EventBridge Scheduler schedule's ARN, by schedule name",
             "aws_scheduler_schedule", "arn", 2);
  file_done(t, "outputs.tf");
}

/* A param's name in the module: its own, unless Terraform reserves it for a variable
   or it is a keyword of templates, or the module uses it for a variable of its own. */
static const char *variable_name(struct tf *t, const char *param) {
  static const char *const taken[] = {
      "count", "for_each", "source", "version", "providers", "locals", "depends_on", "lifecycle",
      "for", "in", "if", "else", "endif", "endfor", "true", "false", "null",
      "tags", "log_retention_in_days", "name_prefix"};
  for (size_t i = 0; i < sizeof taken / sizeof *taken; i++)
    if (!strcmp(param, taken[i])) return arena_printf(&t->c->arena, "param_%s", param);
  return param;
}

/* The deploy-time values: every param, and the account and region unless fixed. */
static void make_vars(struct tf *t) {
  const struct model *m = t->m;
  int n = m->nparams + 4; /* name_prefix, account, partition, region */
  t->json_vars = arena_alloc(&t->c->arena, (size_t)n * sizeof *t->json_vars);
  t->text_vars = arena_alloc(&t->c->arena, (size_t)n * sizeof *t->text_vars);
  for (int i = 0; i < m->nparams; i++) {
    const struct model_param *p = &m->params[i];
    struct buf b = {0};
    json_write_string(&b, p->value, strlen(p->value));
    const char *v = variable_name(t, p->name);
    t->json_vars[t->nvars] = (struct template_var){p->name, arena_strndup(&t->c->arena, b.data + 1, b.len - 2), v,
                                                   arena_printf(&t->c->arena, "local.template_vars.%s", v),
                                                   false};
    t->text_vars[t->nvars++] = (struct template_var){p->name, p->value, v,
                                                     arena_printf(&t->c->arena, "var.%s", v), false};
    buf_free(&b);
  }
  if (!t->c->account) {
    t->json_vars[t->nvars] = (struct template_var){"account", "${account}", "account", "local.account", true};
    t->text_vars[t->nvars] = t->json_vars[t->nvars];
    t->nvars++;
  }
  t->json_vars[t->nvars] = (struct template_var){"name_prefix", "", "name_prefix", "var.name_prefix", false};
  t->text_vars[t->nvars] = t->json_vars[t->nvars];
  t->nvars++;
  if (!t->c->partition_given) {
    t->json_vars[t->nvars] = (struct template_var){"partition", "aws", "partition", "local.partition", false};
    t->text_vars[t->nvars] = t->json_vars[t->nvars];
    t->nvars++;
  }
  if (!t->c->region) {
    t->json_vars[t->nvars] = (struct template_var){"region", "${region}", "region", "local.region", true};
    t->text_vars[t->nvars] = t->json_vars[t->nvars];
    t->nvars++;
  }
}

/* Does the shadow compile's model have the same things in the same order? */
static bool same_shape(const struct model *a, const struct model *b) {
  if (a->nworkflows != b->nworkflows || a->nresources != b->nresources) return false;
  for (int i = 0; i < a->nworkflows; i++)
    if (a->workflows[i].ntriggers != b->workflows[i].ntriggers) return false;
  return true;
}

void emit_terraform(struct compilation *c, const struct model *m, const struct outputs *docs,
                    const struct model *shadow, const struct outputs *shadow_docs, struct outputs *out) {
  struct tf t = {0};
  t.c = c;
  t.m = m;
  t.shadow = shadow && same_shape(m, shadow) ? shadow : NULL;
  t.docs = docs;
  t.shadow_docs = shadow_docs;
  t.out = out;
  make_vars(&t);
  versions_tf(&t);
  variables_tf(&t);
  main_tf(&t);
  for (int i = 0; i < m->nworkflows; i++)
    workflow_tf(&t, &m->workflows[i], t.shadow ? &t.shadow->workflows[i] : NULL);
  sources_tf(&t);
  outputs_tf(&t);
  if (t.fixed || (shadow && !t.shadow))
    diag_note_noloc(&c->diag, "the Terraform module keeps params at their compile-time values in %s "
                    "(and wherever else a param's value decides a name or an ARN, or is escaped "
                    "inside an intrinsic function's string)",
                    t.fixed ? shown(t.fixed) : "every text");
  free(t.lines);
  table_free(&t.labels);
  table_free(&t.used);
}
