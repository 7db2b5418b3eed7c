/* emit_asl.c: one Amazon States Language document per workflow.
 *
 * Reads the checked tree only (check.c has resolved Next/End, names, ARNs and
 * strings) and builds Jansson values in a fixed field order, so the same input
 * gives the same bytes. Values become payload templates: a path or call under a
 * key K is written as "K.$".
 */
#include "sfc.h"

#include <jansson.h>
#include <string.h>

static json_t *template_value(const struct value *v);

/* Intrinsic string arguments escape ' { } \ ; a format template keeps the {} pairs
   written in it (not those a ${param} brings in). */
static void escape_intrinsic_text(struct buf *out, const char *s, size_t len, bool placeholders) {
  for (size_t i = 0; i < len; i++) {
    if (placeholders && s[i] == '{' && i + 1 < len && s[i + 1] == '}') {
      buf_adds(out, "{}");
      i++;
      continue;
    }
    if (strchr("'{}\\", s[i])) buf_addc(out, '\\');
    buf_addc(out, s[i]);
  }
}

static void intrinsic_string(struct buf *out, const struct str *s, bool format_template) {
  buf_addc(out, '\'');
  if (!s->parts) {
    escape_intrinsic_text(out, s->text, s->len, format_template);
  } else {
    for (const struct str_part *p = s->parts; p; p = p->next) {
      if (p->is_ref) escape_intrinsic_text(out, p->value, strlen(p->value), false);
      else escape_intrinsic_text(out, p->text, p->len, format_template);
    }
  }
  buf_addc(out, '\'');
}

static void intrinsic_number(struct buf *out, const struct value *v) {
  if (v->kind == V_INT) {
    buf_printf(out, "%lld", v->integer);
    return;
  }
  struct buf tmp = {0};
  json_t *real = json_real(v->real);
  json_write(&tmp, real);
  json_decref(real);
  buf_add(out, tmp.data, tmp.len - 1); /* without the newline */
  buf_free(&tmp);
}

/* The text of an intrinsic call, States.Name(args). */
static void intrinsic_text(struct buf *out, const struct value *call) {
  const char *name = intrinsic_asl_name(call->text);
  buf_printf(out, "States.%s(", name);
  bool format = !strcmp(name, "Format");
  for (const struct value *a = call->items; a; a = a->next) {
    if (a != call->items) buf_adds(out, ", ");
    switch (a->kind) {
    case V_STRING: intrinsic_string(out, a->string, format && a == call->items); break;
    case V_ARRAY: { /* a nested array of a States.Array */
      struct value inner = *a;
      inner.kind = V_CALL;
      inner.text = "array";
      intrinsic_text(out, &inner);
      break;
    }
    case V_INT:
    case V_REAL: intrinsic_number(out, a); break;
    case V_BOOL: buf_adds(out, a->boolean ? "true" : "false"); break;
    case V_NULL: buf_adds(out, "null"); break;
    case V_PATH: buf_adds(out, a->text); break;
    case V_CALL: intrinsic_text(out, a); break;
    default: break; /* rejected by check.c */
    }
  }
  buf_addc(out, ')');
}

/* A path or call as the string that goes under a "K.$" key. */
static json_t *dynamic_text(const struct value *v) {
  if (v->kind == V_PATH) return json_string(v->text);
  struct buf b = {0};
  intrinsic_text(&b, v);
  json_t *s = json_string(b.data);
  buf_free(&b);
  return s;
}

static bool is_dynamic(const struct value *v) { return v->kind == V_PATH || v->kind == V_CALL; }

static json_t *array_call_text(const struct value *array) {
  struct value call = *array;
  call.kind = V_CALL;
  call.text = "array";
  return dynamic_text(&call);
}

/* Sets KEY (or KEY.$ for a dynamic value) in OBJECT. */
static void set_template(json_t *object, const char *key, const struct value *v) {
  if (is_dynamic(v) || array_is_dynamic(v)) {
    struct buf k = {0};
    buf_printf(&k, "%s.$", key);
    json_object_set_new(object, k.data, is_dynamic(v) ? dynamic_text(v) : array_call_text(v));
    buf_free(&k);
  } else {
    json_object_set_new(object, key, template_value(v));
  }
}

/* JSONata expressions are written "{% expr %}", one space inside each delimiter. */
static json_t *jsonata_string(const struct value *v) {
  struct buf b = {0};
  buf_printf(&b, "{%% %s %%}", v->text);
  json_t *j = json_string(b.data);
  buf_free(&b);
  return j;
}

static json_t *template_value(const struct value *v) {
  switch (v->kind) {
  case V_JSONATA: return jsonata_string(v);
  case V_NULL: return json_null();
  case V_BOOL: return json_boolean(v->boolean);
  case V_INT: return json_integer(v->integer);
  case V_REAL: return json_real(v->real);
  case V_STRING: return json_stringn(v->string->text, v->string->len);
  case V_PATH:
  case V_CALL: return dynamic_text(v); /* only reached for values that are static by rule */
  case V_OBJECT: {
    json_t *o = json_object();
    for (const struct member *m = v->members; m; m = m->next) set_template(o, m->key, m->value);
    return o;
  }
  case V_ARRAY: {
    json_t *a = json_array();
    for (const struct value *i = v->items; i; i = i->next) json_array_append_new(a, template_value(i));
    return a;
  }
  }
  return json_null();
}

static json_t *path_or_null(const struct option *o) {
  return o->nothing ? json_null() : json_string(o->value->text);
}

/* ------------------------------------------------------------ choice rules */

static const char *const op_names[] = {"Equals", "Equals", "LessThan", "LessThanEquals",
                                       "GreaterThan", "GreaterThanEquals"};

static json_t *condition(const struct cond *c);

/* Flattens a chain of the same operator: a and b and c -> And[a, b, c]. */
static void flatten(json_t *list, const struct cond *c, enum cond_kind kind) {
  if (c->kind == kind) {
    flatten(list, c->left, kind);
    flatten(list, c->right, kind);
  } else {
    json_array_append_new(list, condition(c));
  }
}

static json_t *comparison(const struct cond *c) {
  json_t *o = json_object();
  json_object_set_new(o, "Variable", json_string(c->path->text));
  const struct value *v = c->operand;
  const char *family = "String";
  bool path = false;
  switch (c->cast) {
  case CAST_STRING: family = "String"; break;
  case CAST_NUMBER: family = "Numeric"; break;
  case CAST_BOOLEAN: family = "Boolean"; break;
  case CAST_TIMESTAMP: family = "Timestamp"; break;
  case CAST_NONE:
    family = v->kind == V_STRING ? "String" : v->kind == V_BOOL ? "Boolean" : "Numeric";
    break;
  }
  path = c->cast != CAST_NONE && v->kind == V_PATH;
  struct buf op = {0};
  buf_printf(&op, "%s%s%s", family, op_names[c->op], path ? "Path" : "");
  json_t *operand = path ? json_string(v->text) : template_value(v);
  json_object_set_new(o, op.data, operand);
  buf_free(&op);
  if (c->op != OP_NE) return o;
  json_t *not = json_object();
  json_object_set_new(not, "Not", o);
  return not;
}

static json_t *condition(const struct cond *c) {
  static const char *const tests[] = {"IsPresent", "IsNull", "IsString",
                                      "IsNumeric", "IsBoolean", "IsTimestamp"};
  json_t *o;
  switch (c->kind) {
  case C_AND:
  case C_OR: {
    json_t *list = json_array();
    flatten(list, c, c->kind);
    o = json_object();
    json_object_set_new(o, c->kind == C_AND ? "And" : "Or", list);
    return o;
  }
  case C_NOT:
    o = json_object();
    json_object_set_new(o, "Not", condition(c->left));
    return o;
  case C_MATCHES:
    o = json_object();
    json_object_set_new(o, "Variable", json_string(c->path->text));
    json_object_set_new(o, "StringMatches", json_string(c->operand->string->text));
    return o;
  case C_IS:
    o = json_object();
    json_object_set_new(o, "Variable", json_string(c->path->text));
    json_object_set_new(o, tests[c->test], json_boolean(!c->negated));
    return o;
  case C_COMPARE: return comparison(c);
  case C_JSONATA:
    o = json_object();
    json_object_set_new(o, "Condition", jsonata_string(c->operand));
    return o;
  }
  return json_object();
}

/* ------------------------------------------------------------ states */

static json_t *scope_json(struct compilation *c, struct state **order, int n, const char *comment);

static json_t *error_list(const struct option *o) {
  json_t *list = json_array();
  for (const struct error_name *e = o->errors; e; e = e->next)
    json_array_append_new(list, json_string(e->text));
  return list;
}

static json_t *retrier(const struct option *o) {
  json_t *r = json_object();
  json_object_set_new(r, "ErrorEquals", error_list(o));
  const struct retry_field *f[RETRY_JITTER + 1] = {NULL};
  for (const struct retry_field *x = o->fields; x; x = x->next) f[x->kind] = x;
  if (f[RETRY_EVERY]) json_object_set_new(r, "IntervalSeconds", json_integer(f[RETRY_EVERY]->integer));
  if (f[RETRY_ATTEMPTS]) json_object_set_new(r, "MaxAttempts", json_integer(f[RETRY_ATTEMPTS]->integer));
  if (f[RETRY_BACKOFF]) json_object_set_new(r, "BackoffRate", json_real(f[RETRY_BACKOFF]->real));
  if (f[RETRY_MAX_DELAY])
    json_object_set_new(r, "MaxDelaySeconds", json_integer(f[RETRY_MAX_DELAY]->integer));
  if (f[RETRY_JITTER]) json_object_set_new(r, "JitterStrategy", json_string("FULL"));
  return r;
}

static json_t *catcher(const struct option *o) {
  json_t *r = json_object();
  json_object_set_new(r, "ErrorEquals", error_list(o));
  if (o->has_into) json_object_set_new(r, "ResultPath", path_or_null(o));
  if (o->assign) json_object_set_new(r, "Assign", template_value(o->assign));
  if (o->output) json_object_set_new(r, "Output", template_value(o->output));
  json_object_set_new(r, "Next", json_string(o->target.text));
  return r;
}

/* The ARN of the state machine a `start` task runs: a workflow of this program, or
   a declared statemachine. */
static const char *started_machine_arn(struct compilation *c, const struct state *s) {
  if (s->target_decl) return s->target_decl->arn;
  return s->target_workflow ? state_machine_arn(c, s->target_workflow->name.text) : "";
}

/* The SDK integration's action is camelCase in the ARN: s3:GetObject -> s3:getObject. */
static void sdk_resource(struct buf *b, const char *service_action) {
  const char *colon = strchr(service_action, ':');
  buf_printf(b, "aws-sdk:%.*s:", (int)(colon - service_action), service_action);
  char first = colon[1];
  buf_addc(b, first >= 'A' && first <= 'Z' ? (char)(first - 'A' + 'a') : first);
  buf_adds(b, colon + 2);
}

/* Resource: arn:PARTITION:states:::service:action[.sync|.sync:2|.waitForTaskToken], or the
   target's own ARN (activities), or as written. */
static json_t *resource_json(struct compilation *c, const struct state *s) {
  const struct integration *in = s->integration;
  if (s->task == T_ACTIVITY) return json_string(s->target_decl ? s->target_decl->arn : "");
  if (s->task == T_RESOURCE) return json_string(s->resource->text);
  struct buf b = {0};
  buf_printf(&b, "arn:%s:states:::", c->partition);
  if (s->task == T_CALL) sdk_resource(&b, s->resource->text);
  else buf_adds(&b, in->service_action);
  if (s->opt[OPT_CALLBACK]) buf_adds(&b, ".waitForTaskToken");
  if (s->opt[OPT_SYNC]) buf_adds(&b, in->sync_pattern == PATTERN_SYNC2 ? ".sync:2" : ".sync");
  json_t *j = json_string(b.data);
  buf_free(&b);
  return j;
}

/* The value of the field that names the task's target. */
static json_t *target_json(struct compilation *c, const struct state *s) {
  const struct decl *d = s->target_decl;
  switch (s->task) {
  case T_INVOKE:
  case T_GET:
  case T_PUT:
  case T_UPDATE:
  case T_DELETE: return json_string(d ? d->value->text : ""); /* a name works here */
  case T_SEND: return json_string(d ? d->url : "");
  case T_START: return json_string(started_machine_arn(c, s));
  default: return json_string(d ? d->arn : "");
  }
}

static const struct value whole_input = {.kind = V_PATH, .text = "$", .len = 1};
static const struct value whole_input_jsonata = {.kind = V_JSONATA, .text = "$states.input", .len = 13};

static const struct value *state_input(const struct state *s) {
  return s->jsonata ? &whole_input_jsonata : &whole_input;
}

static json_t *emit_entries(const struct state *s) {
  json_t *entries = json_array();
  const struct option *with = s->opt[OPT_WITH];
  for (const struct emit_entry *e = s->entries; e; e = e->next) {
    const struct decl *d = e->decl;
    const struct value *detail = e->detail ? e->detail : with ? with->value : state_input(s);
    json_t *entry = json_object();
    set_template(entry, "Detail", detail);
    json_object_set_new(entry, "DetailType", json_string(d ? d->event_detail_type : ""));
    json_object_set_new(entry, "EventBusName", json_string(d && d->event_bus ? d->event_bus : "default"));
    if (s->opt[OPT_RESOURCES]) set_template(entry, "Resources", s->opt[OPT_RESOURCES]->value);
    json_object_set_new(entry, "Source", json_string(d ? d->event_source : ""));
    json_array_append_new(entries, entry);
  }
  return entries;
}

/* Parameters of a task: the integration's fixed fields around the user's `with`. */
static json_t *task_parameters(struct compilation *c, const struct state *s) {
  const struct integration *in = s->integration;
  const struct option *with = s->opt[OPT_WITH], *o;
  const struct value *input = with ? with->value : NULL;
  if (s->task == T_EMIT) {
    json_t *p = json_object();
    json_object_set_new(p, "Entries", emit_entries(s));
    return p;
  }
  if (!in->target_field && !in->payload_field && s->task != T_HTTP)
    return input ? template_value(input) : NULL; /* activity, resource, call, run */
  json_t *p = json_object();
  if (in->target_field) json_object_set_new(p, in->target_field, target_json(c, s));
  if (s->task == T_HTTP) {
    json_object_set_new(p, "ApiEndpoint", json_string(s->resource->text));
    json_object_set_new(p, "Method", json_string(s->method.text));
    json_t *auth = json_object();
    json_object_set_new(auth, "ConnectionArn", json_string(s->opt[OPT_CONNECTION]->text2->text));
    json_object_set_new(p, "Authentication", auth);
  }
  if ((o = s->opt[OPT_KEY])) set_template(p, "Key", o->value);
  if ((o = s->opt[OPT_ITEM])) set_template(p, "Item", o->value);
  if (in->payload_field && (input || in->payload_defaults_to_input))
    set_template(p, in->payload_field, input ? input : state_input(s));
  if (!in->payload_field && input)
    for (const struct member *m = input->members; m; m = m->next) set_template(p, m->key, m->value);
  if ((o = s->opt[OPT_SUBJECT])) set_template(p, "Subject", o->value);
  if ((o = s->opt[OPT_DELAY])) {
    if (o->is_duration) json_object_set_new(p, "DelaySeconds", json_integer(o->seconds));
    else set_template(p, "DelaySeconds", o->value);
  }
  if ((o = s->opt[OPT_GROUP])) set_template(p, "MessageGroupId", o->value);
  if ((o = s->opt[OPT_DEDUP])) set_template(p, "MessageDeduplicationId", o->value);
  if ((o = s->opt[OPT_ATTRIBUTES])) set_template(p, "MessageAttributes", o->value);
  return p;
}

static json_t *credentials_json(struct compilation *c, const struct option *o) {
  json_t *j = json_object();
  if (o->value) {
    json_object_set_new(j, "RoleArn.$", json_string(o->value->text));
  } else if (o->text2) {
    json_object_set_new(j, "RoleArn", json_string(o->text2->text));
  } else {
    /* a declared role */
    const char *arn = "";
    for (const struct decl *d = c->program.decls; d; d = d->next)
      if (d->kind == D_RESOURCE && d->resource == R_ROLE && !strcmp(d->name.text, o->target.text)) arn = d->arn;
    json_object_set_new(j, "RoleArn", json_string(arn));
  }
  return j;
}

/* Plain JSON (`asl { }`, a trigger's constant input): paths stay strings and keys
   stay as written. */
json_t *plain_json(const struct value *v) {
  switch (v->kind) {
  case V_PATH: return json_string(v->text);
  case V_OBJECT: {
    json_t *o = json_object();
    for (const struct member *m = v->members; m; m = m->next) json_object_set_new(o, m->key, plain_json(m->value));
    return o;
  }
  case V_ARRAY: {
    json_t *a = json_array();
    for (const struct value *i = v->items; i; i = i->next) json_array_append_new(a, plain_json(i));
    return a;
  }
  default: return template_value(v);
  }
}

/* The Distributed Map's reader, batcher and writer: only their Parameters and
   BatchInput are payload templates; the other fields are written as they are, and
   a Resource may be named briefly. */
static json_t *map_io(struct compilation *c, const struct value *v) {
  json_t *o = json_object();
  for (const struct member *m = v->members; m; m = m->next) {
    bool is_template = !strcmp(m->key, "Parameters") || !strcmp(m->key, "BatchInput");
    json_object_set_new(o, m->key, is_template ? template_value(m->value) : plain_json(m->value));
  }
  json_t *resource = json_object_get(o, "Resource");
  const char *r = resource ? json_string_value(resource) : NULL;
  if (r && !strncmp(r, "s3:", 3)) {
    struct buf b = {0};
    buf_printf(&b, "arn:%s:states:::%s", c->partition, r);
    json_object_set_new(o, "Resource", json_string(b.data));
    buf_free(&b);
  }
  return o;
}

static void map_fields(struct compilation *c, json_t *o, const struct state *s) {
  const struct option *opt;
  if ((opt = s->opt[OPT_READER])) json_object_set_new(o, "ItemReader", map_io(c, opt->value));
  if ((opt = s->opt[OPT_OVER])) {
    if (s->jsonata) json_object_set_new(o, "Items", template_value(opt->value));
    else json_object_set_new(o, "ItemsPath", json_string(opt->value->text));
  }
  if ((opt = s->opt[OPT_AS])) {
    json_t *selector = json_object();
    struct buf k = {0};
    buf_printf(&k, "%s.$", opt->target.text);
    json_object_set_new(selector, k.data, json_string("$$.Map.Item.Value"));
    buf_free(&k);
    json_object_set_new(o, "ItemSelector", selector);
  }
  if ((opt = s->opt[OPT_WITH])) json_object_set_new(o, "ItemSelector", template_value(opt->value));
  if ((opt = s->opt[OPT_BATCH])) json_object_set_new(o, "ItemBatcher", map_io(c, opt->value));
  if ((opt = s->opt[OPT_CONCURRENCY])) {
    if (opt->value->kind == V_JSONATA) json_object_set_new(o, "MaxConcurrency", jsonata_string(opt->value));
    else if (opt->value->kind == V_PATH) json_object_set_new(o, "MaxConcurrencyPath", json_string(opt->value->text));
    else json_object_set_new(o, "MaxConcurrency", json_integer(opt->value->integer));
  }
  if ((opt = s->opt[OPT_TOLERATE_COUNT])) {
    if (opt->value->kind == V_JSONATA) json_object_set_new(o, "ToleratedFailureCount", jsonata_string(opt->value));
    else if (opt->value->kind == V_PATH) json_object_set_new(o, "ToleratedFailureCountPath", json_string(opt->value->text));
    else json_object_set_new(o, "ToleratedFailureCount", json_integer(opt->value->integer));
  }
  if ((opt = s->opt[OPT_TOLERATE_PERCENT])) {
    if (opt->value->kind == V_JSONATA) json_object_set_new(o, "ToleratedFailurePercentage", jsonata_string(opt->value));
    else if (opt->value->kind == V_PATH)
      json_object_set_new(o, "ToleratedFailurePercentagePath", json_string(opt->value->text));
    else json_object_set_new(o, "ToleratedFailurePercentage", json_integer(opt->value->integer));
  }
  if ((opt = s->opt[OPT_LABEL])) json_object_set_new(o, "Label", json_string(opt->text2->text));
  const struct branch *body = s->branches;
  json_t *processor = scope_json(c, body->order, body->nstates, NULL);
  if ((opt = s->opt[OPT_DISTRIBUTED])) {
    json_t *config = json_object();
    json_object_set_new(config, "Mode", json_string("DISTRIBUTED"));
    json_object_set_new(config, "ExecutionType", json_string(opt->express ? "EXPRESS" : "STANDARD"));
    json_t *ordered = json_object();
    json_object_set_new(ordered, "ProcessorConfig", config);
    json_object_update(ordered, processor);
    json_decref(processor);
    processor = ordered;
  }
  json_object_set_new(o, "ItemProcessor", processor);
  if ((opt = s->opt[OPT_WRITER])) json_object_set_new(o, "ResultWriter", map_io(c, opt->value));
}

/* Fields of which a state may have only one: an `asl` field may not join a group
   in which sfc already wrote another. */
static const char *rival_field(const json_t *state, const char *key) {
  static const char *const groups[][5] = {
      {"Next", "End"},
      {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"},
      {"TimeoutSeconds", "TimeoutSecondsPath"},
      {"HeartbeatSeconds", "HeartbeatSecondsPath"},
      {"Parameters", "Arguments"},
      {"Error", "ErrorPath"},
      {"Cause", "CausePath"},
      {"ItemsPath", "Items"},
      {"ItemSelector", "Parameters"},
      {"ItemProcessor", "Iterator"},
      {"MaxConcurrency", "MaxConcurrencyPath"},
      {"ToleratedFailureCount", "ToleratedFailureCountPath"},
      {"ToleratedFailurePercentage", "ToleratedFailurePercentagePath"},
      {"OutputPath", "Output"},
      {"InputPath", "Arguments"},
      {"ResultPath", "Output"},
  };
  for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
    bool member = false;
    for (int i = 0; i < 5 && groups[g][i]; i++) member |= !strcmp(groups[g][i], key);
    if (!member) continue;
    for (int i = 0; i < 5 && groups[g][i]; i++)
      if (strcmp(groups[g][i], key) != 0 && json_object_get(state, groups[g][i])) return groups[g][i];
  }
  return NULL;
}

static json_t *state_json(struct compilation *c, const struct state *s) {
  json_t *o = json_object();
  static const char *const types[] = {"Task", "Pass", "Wait", "Choice", "Parallel", "Succeed", "Fail", "Map"};
  json_object_set_new(o, "Type", json_string(types[s->kind]));
  const struct option *opt;
  if (s->jsonata && !c->current_workflow_jsonata) json_object_set_new(o, "QueryLanguage", json_string("JSONata"));
  if ((opt = s->opt[OPT_COMMENT])) json_object_set_new(o, "Comment", json_string(opt->text->text));
  if (s->kind == S_TASK) json_object_set_new(o, "Resource", resource_json(c, s));
  if ((opt = s->opt[OPT_FROM])) json_object_set_new(o, "InputPath", path_or_null(opt));

  json_t *params = NULL;
  if (s->kind == S_TASK) params = task_parameters(c, s);
  else if (s->kind != S_MAP && (opt = s->opt[OPT_WITH])) params = template_value(opt->value);
  if (params) json_object_set_new(o, s->jsonata ? "Arguments" : "Parameters", params);
  if ((opt = s->opt[OPT_CREDENTIALS])) json_object_set_new(o, "Credentials", credentials_json(c, opt));
  if (s->result) json_object_set_new(o, "Result", template_value(s->result));
  if (s->kind == S_WAIT) {
    switch (s->wait) {
    case W_SECONDS: json_object_set_new(o, "Seconds", json_integer(s->wait_seconds)); break;
    case W_SECONDS_PATH:
      if (s->wait_value->kind == V_JSONATA) json_object_set_new(o, "Seconds", jsonata_string(s->wait_value));
      else json_object_set_new(o, "SecondsPath", json_string(s->wait_value->text));
      break;
    case W_UNTIL: json_object_set_new(o, "Timestamp", json_string(s->wait_value->string->text)); break;
    case W_UNTIL_PATH:
      if (s->wait_value->kind == V_JSONATA) json_object_set_new(o, "Timestamp", jsonata_string(s->wait_value));
      else json_object_set_new(o, "TimestampPath", json_string(s->wait_value->text));
      break;
    }
  }
  if (s->kind == S_CHOICE) {
    json_t *choices = json_array();
    const struct rule *otherwise = NULL;
    for (const struct rule *r = s->rules; r; r = r->next) {
      if (!r->cond) {
        otherwise = r;
        continue;
      }
      json_t *rule = condition(r->cond);
      json_object_set_new(rule, "Next", json_string(r->next_state ? r->next_state->name.text : ""));
      if (r->assign) json_object_set_new(rule, "Assign", template_value(r->assign));
      if (r->output) json_object_set_new(rule, "Output", template_value(r->output));
      if (r->comment) json_object_set_new(rule, "Comment", json_string(r->comment->text));
      json_array_append_new(choices, rule);
    }
    json_object_set_new(o, "Choices", choices);
    if (otherwise && otherwise->next_state)
      json_object_set_new(o, "Default", json_string(otherwise->next_state->name.text));
  }
  if (s->kind == S_PARALLEL) {
    json_t *branches = json_array();
    for (const struct branch *b = s->branches; b; b = b->next)
      json_array_append_new(branches, scope_json(c, b->order, b->nstates, b->name));
    json_object_set_new(o, "Branches", branches);
  }
  if (s->kind == S_MAP) map_fields(c, o, s);
  if ((opt = s->opt[OPT_SELECT])) json_object_set_new(o, "ResultSelector", template_value(opt->value));
  if ((opt = s->opt[OPT_INTO])) json_object_set_new(o, "ResultPath", path_or_null(opt));
  if ((opt = s->opt[OPT_OUTPUT])) {
    if (s->jsonata) json_object_set_new(o, "Output", template_value(opt->value));
    else json_object_set_new(o, "OutputPath", path_or_null(opt));
  }
  if ((opt = s->opt[OPT_TIMEOUT])) {
    if (opt->is_duration) json_object_set_new(o, "TimeoutSeconds", json_integer(opt->seconds));
    else if (opt->value->kind == V_JSONATA) json_object_set_new(o, "TimeoutSeconds", jsonata_string(opt->value));
    else json_object_set_new(o, "TimeoutSecondsPath", json_string(opt->value->text));
  }
  if ((opt = s->opt[OPT_HEARTBEAT])) {
    if (opt->is_duration) json_object_set_new(o, "HeartbeatSeconds", json_integer(opt->seconds));
    else if (opt->value->kind == V_JSONATA) json_object_set_new(o, "HeartbeatSeconds", jsonata_string(opt->value));
    else json_object_set_new(o, "HeartbeatSecondsPath", json_string(opt->value->text));
  }
  static const char *const fail_fields[2][2] = {{"Error", "ErrorPath"}, {"Cause", "CausePath"}};
  for (int i = 0; i < 2; i++) {
    if (!(opt = s->opt[i ? OPT_CAUSE : OPT_ERROR])) continue;
    const struct value *v = opt->value;
    if (v->kind == V_STRING) json_object_set_new(o, fail_fields[i][0], json_string(v->string->text));
    else if (v->kind == V_JSONATA) json_object_set_new(o, fail_fields[i][0], jsonata_string(v));
    else json_object_set_new(o, fail_fields[i][1], dynamic_text(v));
  }
  json_t *retry = json_array(), *catch = json_array();
  for (const struct option *x = s->options; x; x = x->next) {
    if (x->kind == OPT_RETRY) json_array_append_new(retry, retrier(x));
    if (x->kind == OPT_CATCH) json_array_append_new(catch, catcher(x));
  }
  if (json_array_size(retry)) json_object_set(o, "Retry", retry);
  if (json_array_size(catch)) json_object_set(o, "Catch", catch);
  json_decref(retry);
  json_decref(catch);
  if ((opt = s->opt[OPT_ASSIGN])) json_object_set_new(o, "Assign", template_value(opt->value));
  for (const struct rule *r = s->rules; r; r = r->next) { /* the default's are the choice's own */
    if (!r->cond && r->assign) json_object_set_new(o, "Assign", template_value(r->assign));
    if (!r->cond && r->output) json_object_set_new(o, "Output", template_value(r->output));
  }
  if (s->next_state) json_object_set_new(o, "Next", json_string(s->next_state->name.text));
  else if (s->is_end) json_object_set_new(o, "End", json_true());
  if ((opt = s->opt[OPT_ASL])) {
    for (const struct member *m = opt->value->members; m; m = m->next) {
      const char *rival = rival_field(o, m->key);
      if (json_object_get(o, m->key))
        diag_error(&c->diag, m->key_loc, "'%s' is already written by sfc for state '%s'; 'asl' "
                   "adds fields, it does not replace them", m->key, s->name.text);
      else if (rival)
        diag_error(&c->diag, m->key_loc, "'%s' cannot stand beside '%s', which sfc writes for "
                   "state '%s'", m->key, rival, s->name.text);
      else json_object_set_new(o, m->key, plain_json(m->value));
    }
  }
  return o;
}

static json_t *scope_json(struct compilation *c, struct state **order, int n, const char *comment) {
  json_t *o = json_object();
  if (comment) json_object_set_new(o, "Comment", json_string(comment));
  json_object_set_new(o, "StartAt", json_string(n ? order[0]->name.text : ""));
  json_t *states = json_object();
  for (int i = 0; i < n; i++) json_object_set_new(states, order[i]->name.text, state_json(c, order[i]));
  json_object_set_new(o, "States", states);
  return o;
}

json_t *emit_asl(struct compilation *c, struct workflow *w) {
  json_t *doc = json_object();
  if (w->comment) json_object_set_new(doc, "Comment", json_string(w->comment->text));
  if (w->version) json_object_set_new(doc, "Version", json_string(w->version->text));
  if (w->jsonata) json_object_set_new(doc, "QueryLanguage", json_string("JSONata"));
  c->current_workflow_jsonata = w->jsonata;
  if (w->has_timeout) json_object_set_new(doc, "TimeoutSeconds", json_integer(w->timeout));
  json_t *body = scope_json(c, w->order, w->nstates, NULL);
  json_object_update(doc, body);
  json_decref(body);
  return doc;
}
