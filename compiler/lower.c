/* lower.c: the checked tree becomes the model (model.h).
 *
 * Each workflow becomes an ASL document as located JSON: every node records the .sf
 * span it was made from, so the one ASL checker (asl_check.c) can judge the document
 * sfc will deploy and point its errors at the source. Fields are put in a fixed
 * order, so the same input gives the same bytes. Values become payload templates: a
 * path or call under a key K is written as "K.$".
 *
 * Lowering reads the checked tree (check.c has resolved Next/End, names, ARNs and
 * strings); backends read only what it produces.
 */
#include "sfc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct lower {
  struct compilation *c;
  struct arena *a;
  bool workflow_jsonata; /* the workflow being lowered: its states need no QueryLanguage */
};

static struct jnode *template_value(struct arena *a, const struct value *v);

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
  if (v->kind == V_INT) buf_printf(out, "%lld", v->integer);
  else json_format_real(out, v->real);
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
static struct jnode *dynamic_text(struct arena *a, const struct value *v) {
  if (v->kind == V_PATH) return jn_str(a, v->text, v->loc);
  struct buf b = {0};
  intrinsic_text(&b, v);
  struct jnode *s = jn_string(a, b.data, b.len, v->loc);
  buf_free(&b);
  return s;
}

static bool is_dynamic(const struct value *v) { return v->kind == V_PATH || v->kind == V_CALL; }

static struct jnode *array_call_text(struct arena *a, const struct value *array) {
  struct value call = *array;
  call.kind = V_CALL;
  call.text = "array";
  return dynamic_text(a, &call);
}

/* Puts KEY (or KEY.$ for a dynamic value) in OBJECT. */
static void put_template(struct arena *a, struct jnode *object, const char *key, struct loc key_at,
                         const struct value *v) {
  if (is_dynamic(v) || array_is_dynamic(v)) {
    const char *k = arena_printf(a, "%s.$", key);
    jn_put(a, object, k, key_at, is_dynamic(v) ? dynamic_text(a, v) : array_call_text(a, v));
  } else {
    jn_put(a, object, key, key_at, template_value(a, v));
  }
}

/* A JSONata expression as the source wrote it, delimiters and spaces included; one
   sfc makes itself is written "{% expr %}". */
static struct jnode *jsonata_string(struct arena *a, const struct value *v) {
  return jn_str(a, v->written ? v->written : arena_printf(a, "{%% %s %%}", v->text), v->loc);
}

static struct jnode *template_value(struct arena *a, const struct value *v) {
  switch (v->kind) {
  case V_JSONATA: return jsonata_string(a, v);
  case V_NULL: return jn_new(a, JN_NULL, v->loc);
  case V_BOOL: return jn_bool(a, v->boolean, v->loc);
  case V_INT: return jn_int(a, v->integer, v->loc);
  case V_REAL: return jn_real(a, v->real, v->loc);
  case V_STRING: return jn_string(a, v->string->text, v->string->len, v->loc);
  case V_PATH:
  case V_CALL: return dynamic_text(a, v); /* only reached for values that are static by rule */
  case V_OBJECT: {
    struct jnode *o = jn_new(a, JN_OBJECT, v->loc);
    for (const struct member *m = v->members; m; m = m->next) put_template(a, o, m->key, m->key_loc, m->value);
    return o;
  }
  case V_ARRAY: {
    struct jnode *list = jn_new(a, JN_ARRAY, v->loc);
    for (const struct value *i = v->items; i; i = i->next) jn_push(list, template_value(a, i));
    return list;
  }
  }
  return jn_new(a, JN_NULL, v->loc);
}

/* Plain JSON (`asl { }`, a trigger's constant input, an event pattern): paths stay
   strings and keys stay as written. */
struct jnode *plain_value(struct arena *a, const struct value *v) {
  switch (v->kind) {
  case V_PATH: return jn_str(a, v->text, v->loc);
  case V_OBJECT: {
    struct jnode *o = jn_new(a, JN_OBJECT, v->loc);
    for (const struct member *m = v->members; m; m = m->next) jn_put(a, o, m->key, m->key_loc, plain_value(a, m->value));
    return o;
  }
  case V_ARRAY: {
    struct jnode *list = jn_new(a, JN_ARRAY, v->loc);
    for (const struct value *i = v->items; i; i = i->next) jn_push(list, plain_value(a, i));
    return list;
  }
  default: return template_value(a, v);
  }
}


static struct jnode *path_or_null(struct arena *a, const struct option *o) {
  return o->nothing ? jn_new(a, JN_NULL, o->loc) : jn_str(a, o->value->text, o->value->loc);
}

/* ------------------------------------------------------------ choice rules */

static const char *const op_names[] = {"Equals", "Equals", "LessThan", "LessThanEquals",
                                       "GreaterThan", "GreaterThanEquals"};

static struct jnode *condition(struct arena *a, const struct cond *c);

/* Flattens a chain of the same operator: a and b and c -> And[a, b, c]. */
static void flatten(struct arena *a, struct jnode *list, const struct cond *c, enum cond_kind kind) {
  if (c->kind == kind && !c->grouped) {
    flatten(a, list, c->left, kind);
    flatten(a, list, c->right, kind);
  } else {
    jn_push(list, condition(a, c));
  }
}

static struct jnode *comparison(struct arena *a, const struct cond *c) {
  struct jnode *o = jn_new(a, JN_OBJECT, c->loc);
  jn_put(a, o, "Variable", c->path->loc, jn_str(a, c->path->text, c->path->loc));
  const struct value *v = c->operand;
  const char *family = "String";
  switch (c->cast) {
  case CAST_STRING: family = "String"; break;
  case CAST_NUMBER: family = "Numeric"; break;
  case CAST_BOOLEAN: family = "Boolean"; break;
  case CAST_TIMESTAMP: family = "Timestamp"; break;
  case CAST_NONE:
    family = v->kind == V_STRING ? "String" : v->kind == V_BOOL ? "Boolean" : "Numeric";
    break;
  }
  bool path = c->cast != CAST_NONE && v->kind == V_PATH;
  const char *op = arena_printf(a, "%s%s%s", family, op_names[c->op], path ? "Path" : "");
  jn_put(a, o, op, c->loc, path ? jn_str(a, v->text, v->loc) : template_value(a, v));
  if (c->op != OP_NE) return o;
  struct jnode *not = jn_new(a, JN_OBJECT, c->loc);
  jn_put(a, not, "Not", c->loc, o);
  return not;
}

static struct jnode *condition(struct arena *a, const struct cond *c) {
  static const char *const tests[] = {"IsPresent", "IsNull", "IsString",
                                      "IsNumeric", "IsBoolean", "IsTimestamp"};
  struct jnode *o = jn_new(a, JN_OBJECT, c->loc);
  switch (c->kind) {
  case C_AND:
  case C_OR: {
    struct jnode *list = jn_new(a, JN_ARRAY, c->loc);
    if (c->grouped)
      for (const struct cond *item = c->left; item; item = item->next) {
        struct jnode *j = condition(a, item);
        if (item->comment) jn_put(a, j, "Comment", item->comment->loc, jn_str(a, item->comment->text, item->comment->loc));
        jn_push(list, j);
      }
    else
      flatten(a, list, c, c->kind);
    jn_put(a, o, c->kind == C_AND ? "And" : "Or", c->loc, list);
    break;
  }
  case C_NOT: jn_put(a, o, "Not", c->loc, condition(a, c->left)); break;
  case C_MATCHES:
    jn_put(a, o, "Variable", c->path->loc, jn_str(a, c->path->text, c->path->loc));
    jn_put(a, o, "StringMatches", c->operand->loc, jn_str(a, c->operand->string->text, c->operand->loc));
    break;
  case C_IS:
    jn_put(a, o, "Variable", c->path->loc, jn_str(a, c->path->text, c->path->loc));
    jn_put(a, o, tests[c->test], c->loc, jn_bool(a, !c->negated, c->loc));
    break;
  case C_COMPARE: return comparison(a, c);
  case C_JSONATA: jn_put(a, o, "Condition", c->operand->loc, template_value(a, c->operand)); break;
  }
  return o;
}

/* ------------------------------------------------------------ states */

static struct jnode *scope_json(struct lower *L, struct state **order, int n, const char *comment,
                                struct loc at);

static struct jnode *error_list(struct arena *a, const struct option *o) {
  struct jnode *list = jn_new(a, JN_ARRAY, o->loc);
  for (const struct error_name *e = o->errors; e; e = e->next) jn_push(list, jn_str(a, e->text, e->loc));
  return list;
}

static struct jnode *retrier(struct arena *a, const struct option *o) {
  struct jnode *r = jn_new(a, JN_OBJECT, o->loc);
  jn_put(a, r, "ErrorEquals", o->loc, error_list(a, o));
  const struct retry_field *f[RETRY_JITTER + 1] = {NULL};
  for (const struct retry_field *x = o->fields; x; x = x->next) f[x->kind] = x;
  const struct retry_field *x;
  if ((x = f[RETRY_EVERY])) jn_put(a, r, "IntervalSeconds", x->loc, jn_int(a, x->integer, x->loc));
  if ((x = f[RETRY_ATTEMPTS])) jn_put(a, r, "MaxAttempts", x->loc, jn_int(a, x->integer, x->loc));
  if ((x = f[RETRY_BACKOFF])) jn_put(a, r, "BackoffRate", x->loc, jn_real(a, x->real, x->loc));
  if ((x = f[RETRY_MAX_DELAY])) jn_put(a, r, "MaxDelaySeconds", x->loc, jn_int(a, x->integer, x->loc));
  if ((x = f[RETRY_JITTER])) jn_put(a, r, "JitterStrategy", x->loc, jn_str(a, "FULL", x->loc));
  return r;
}

static struct jnode *catcher(struct arena *a, const struct option *o) {
  struct jnode *r = jn_new(a, JN_OBJECT, o->loc);
  jn_put(a, r, "ErrorEquals", o->loc, error_list(a, o));
  if (o->has_into) jn_put(a, r, "ResultPath", o->loc, path_or_null(a, o));
  if (o->assign) jn_put(a, r, "Assign", o->assign->loc, template_value(a, o->assign));
  if (o->output) jn_put(a, r, "Output", o->output->loc, template_value(a, o->output));
  jn_put(a, r, "Next", o->target.loc, jn_str(a, o->target.text, o->target.loc));
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
static struct jnode *resource_json(struct lower *L, const struct state *s) {
  const struct integration *in = s->integration;
  struct arena *a = L->a;
  if (s->task == T_ACTIVITY || s->task == T_RESOURCE_LAMBDA) /* the declared resource's ARN */
    return jn_str(a, s->target_decl ? s->target_decl->arn : "", s->target.loc);
  if (s->task == T_RESOURCE) return jn_str(a, s->resource->text, s->resource->loc);
  struct buf b = {0};
  buf_printf(&b, "arn:%s:states:::", L->c->partition);
  if (s->task == T_CALL) sdk_resource(&b, s->resource->text);
  else buf_adds(&b, in->service_action);
  if (s->opt[OPT_CALLBACK]) buf_adds(&b, ".waitForTaskToken");
  if (s->opt[OPT_SYNC]) buf_adds(&b, in->sync_pattern == PATTERN_SYNC2 ? ".sync:2" : ".sync");
  struct jnode *j = jn_string(a, b.data, b.len, s->task == T_CALL ? s->resource->loc : s->loc);
  buf_free(&b);
  return j;
}

/* The value of the field that names the task's target. */
static struct jnode *target_json(struct lower *L, const struct state *s) {
  const struct decl *d = s->target_decl;
  const char *text;
  switch (s->task) {
  case T_INVOKE:
  case T_GET:
  case T_PUT:
  case T_UPDATE:
  case T_DELETE: text = d ? d->value->text : ""; break; /* a name works here */
  case T_SEND: text = d ? d->url : ""; break;
  case T_START: text = started_machine_arn(L->c, s); break;
  default: text = d ? d->arn : ""; break;
  }
  return jn_str(L->a, text, s->target.text ? s->target.loc : s->loc);
}

static const struct value whole_input = {.kind = V_PATH, .text = "$", .len = 1};
static const struct value whole_input_jsonata = {.kind = V_JSONATA, .text = "$states.input", .len = 13};

/* The whole input, located at the state that takes it. */
static const struct value *state_input(const struct state *s, struct value *buffer) {
  *buffer = s->jsonata ? whole_input_jsonata : whole_input;
  buffer->loc = s->loc;
  return buffer;
}

static struct jnode *emit_entries(struct lower *L, const struct state *s) {
  struct arena *a = L->a;
  struct jnode *entries = jn_new(a, JN_ARRAY, s->loc);
  const struct option *with = s->opt[OPT_WITH];
  struct value input;
  for (const struct emit_entry *e = s->entries; e; e = e->next) {
    const struct decl *d = e->decl;
    const struct value *detail = e->detail ? e->detail : with ? with->value : state_input(s, &input);
    struct loc at = e->event.loc;
    struct jnode *entry = jn_new(a, JN_OBJECT, at);
    put_template(a, entry, "Detail", detail->loc, detail);
    jn_put(a, entry, "DetailType", at, jn_str(a, d ? d->event_detail_type : "", at));
    jn_put(a, entry, "EventBusName", at, jn_str(a, d && d->event_bus ? d->event_bus : "default", at));
    const struct option *r = s->opt[OPT_RESOURCES];
    if (r) put_template(a, entry, "Resources", r->loc, r->value);
    jn_put(a, entry, "Source", at, jn_str(a, d ? d->event_source : "", at));
    jn_push(entries, entry);
  }
  return entries;
}

/* Parameters of a task: the integration's fixed fields around the user's `with`. */
static struct jnode *task_parameters(struct lower *L, const struct state *s) {
  struct arena *a = L->a;
  const struct integration *in = s->integration;
  const struct option *with = s->opt[OPT_WITH], *o;
  const struct value *input = with ? with->value : NULL;
  if (s->task == T_EMIT) {
    struct jnode *p = jn_new(a, JN_OBJECT, s->loc);
    jn_put(a, p, "Entries", s->loc, emit_entries(L, s));
    return p;
  }
  if (!in->target_field && !in->payload_field && s->task != T_HTTP)
    return input ? template_value(a, input) : NULL; /* activity, resource, call, run */
  struct jnode *p = jn_new(a, JN_OBJECT, with ? with->loc : s->loc);
  if (in->target_field) jn_put(a, p, in->target_field, s->target.text ? s->target.loc : s->loc, target_json(L, s));
  if (s->task == T_HTTP) {
    const struct option *conn = s->opt[OPT_CONNECTION];
    jn_put(a, p, "ApiEndpoint", s->resource->loc, jn_str(a, s->resource->text, s->resource->loc));
    jn_put(a, p, "Method", s->method.loc, jn_str(a, s->method.text, s->method.loc));
    struct jnode *auth = jn_new(a, JN_OBJECT, conn->loc);
    jn_put(a, auth, "ConnectionArn", conn->text2->loc, jn_str(a, conn->text2->text, conn->text2->loc));
    jn_put(a, p, "Authentication", conn->loc, auth);
  }
  if ((o = s->opt[OPT_KEY])) put_template(a, p, "Key", o->loc, o->value);
  if ((o = s->opt[OPT_ITEM])) put_template(a, p, "Item", o->loc, o->value);
  struct value whole;
  if (in->payload_field && (input || in->payload_defaults_to_input))
    put_template(a, p, in->payload_field, with ? with->loc : s->loc, input ? input : state_input(s, &whole));
  if (!in->payload_field && input)
    for (const struct member *m = input->members; m; m = m->next) put_template(a, p, m->key, m->key_loc, m->value);
  if ((o = s->opt[OPT_SUBJECT])) put_template(a, p, "Subject", o->loc, o->value);
  if ((o = s->opt[OPT_DELAY])) {
    if (o->is_duration) jn_put(a, p, "DelaySeconds", o->loc, jn_int(a, o->seconds, o->loc));
    else put_template(a, p, "DelaySeconds", o->loc, o->value);
  }
  if ((o = s->opt[OPT_GROUP])) put_template(a, p, "MessageGroupId", o->loc, o->value);
  if ((o = s->opt[OPT_DEDUP])) put_template(a, p, "MessageDeduplicationId", o->loc, o->value);
  if ((o = s->opt[OPT_ATTRIBUTES])) put_template(a, p, "MessageAttributes", o->loc, o->value);
  return p;
}

static struct jnode *credentials_json(struct lower *L, const struct option *o) {
  struct arena *a = L->a;
  struct jnode *j = jn_new(a, JN_OBJECT, o->loc);
  if (o->value) {
    jn_put(a, j, "RoleArn.$", o->value->loc, jn_str(a, o->value->text, o->value->loc));
  } else if (o->text2) {
    jn_put(a, j, "RoleArn", o->text2->loc, jn_str(a, o->text2->text, o->text2->loc));
  } else { /* a declared role */
    const struct decl *d = table_get(L->c->names, o->target.text);
    const char *arn = d && d->kind == D_RESOURCE && d->resource == R_ROLE ? d->arn : "";
    jn_put(a, j, "RoleArn", o->target.loc, jn_str(a, arn, o->target.loc));
  }
  return j;
}

/* The Distributed Map's reader, batcher and writer: only their Parameters and
   BatchInput are payload templates (Arguments in JSONata); the other fields are
   written as they are, and a Resource may be named briefly. */
static struct jnode *map_io(struct lower *L, const struct state *s, const struct value *v) {
  struct arena *a = L->a;
  struct jnode *o = jn_new(a, JN_OBJECT, v->loc);
  for (const struct member *m = v->members; m; m = m->next) {
    bool is_template = !strcmp(m->key, "Parameters") || !strcmp(m->key, "BatchInput");
    const char *key = s->jsonata && !strcmp(m->key, "Parameters") ? "Arguments" : m->key;
    struct jnode *value = is_template ? template_value(a, m->value) : plain_value(a, m->value);
    if (!strcmp(m->key, "Resource") && value->kind == JN_STRING && !strncmp(value->text, "s3:", 3))
      value = jn_str(a, arena_printf(a, "arn:%s:states:::%s", L->c->partition, value->text), m->value->loc);
    jn_put(a, o, key, m->key_loc, value);
  }
  return o;
}

/* A number-valued map field: a whole number, a path (FIELDPath) or JSONata. */
static void put_count(struct arena *a, struct jnode *o, const char *field, const struct option *opt) {
  const struct value *v = opt->value;
  if (v->kind == V_JSONATA) jn_put(a, o, field, opt->loc, jsonata_string(a, v));
  else if (v->kind == V_PATH) jn_put(a, o, arena_printf(a, "%sPath", field), opt->loc, jn_str(a, v->text, v->loc));
  else jn_put(a, o, field, opt->loc, jn_int(a, v->integer, v->loc));
}

static void map_fields(struct lower *L, struct jnode *o, const struct state *s) {
  struct arena *a = L->a;
  const struct option *opt;
  bool legacy = s->opt[OPT_LEGACY] != NULL; /* ASL's field names before ItemProcessor (2022) */
  const char *selector_field = legacy ? "Parameters" : "ItemSelector";
  if ((opt = s->opt[OPT_READER])) jn_put(a, o, "ItemReader", opt->loc, map_io(L, s, opt->value));
  if ((opt = s->opt[OPT_OVER])) {
    if (s->jsonata) jn_put(a, o, "Items", opt->loc, template_value(a, opt->value));
    else jn_put(a, o, "ItemsPath", opt->loc, jn_str(a, opt->value->text, opt->value->loc));
  }
  if ((opt = s->opt[OPT_AS])) {
    struct jnode *selector = jn_new(a, JN_OBJECT, opt->loc);
    jn_put(a, selector, arena_printf(a, "%s.$", opt->target.text), opt->target.loc,
           jn_str(a, "$$.Map.Item.Value", opt->loc));
    jn_put(a, o, selector_field, opt->loc, selector);
  }
  if ((opt = s->opt[OPT_WITH])) jn_put(a, o, selector_field, opt->loc, template_value(a, opt->value));
  if ((opt = s->opt[OPT_BATCH])) jn_put(a, o, "ItemBatcher", opt->loc, map_io(L, s, opt->value));
  if ((opt = s->opt[OPT_CONCURRENCY])) put_count(a, o, "MaxConcurrency", opt);
  if ((opt = s->opt[OPT_TOLERATE_COUNT])) put_count(a, o, "ToleratedFailureCount", opt);
  if ((opt = s->opt[OPT_TOLERATE_PERCENT])) put_count(a, o, "ToleratedFailurePercentage", opt);
  if ((opt = s->opt[OPT_LABEL])) jn_put(a, o, "Label", opt->loc, jn_str(a, opt->text2->text, opt->text2->loc));
  const struct branch *body = s->branches;
  struct jnode *processor = scope_json(L, body->order, body->nstates, NULL, body->loc);
  if ((opt = s->opt[OPT_DISTRIBUTED]) || (opt = s->opt[OPT_INLINE])) {
    struct jnode *config = jn_new(a, JN_OBJECT, opt->loc);
    bool distributed = opt->kind == OPT_DISTRIBUTED;
    jn_put(a, config, "Mode", opt->loc, jn_str(a, distributed ? "DISTRIBUTED" : "INLINE", opt->loc));
    if (distributed)
      jn_put(a, config, "ExecutionType", opt->loc, jn_str(a, opt->express ? "EXPRESS" : "STANDARD", opt->loc));
    struct jnode *ordered = jn_new(a, JN_OBJECT, body->loc);
    jn_put(a, ordered, "ProcessorConfig", opt->loc, config);
    jn_take_members(ordered, processor);
    processor = ordered;
  }
  jn_put(a, o, legacy ? "Iterator" : "ItemProcessor", body->loc, processor);
  if ((opt = s->opt[OPT_WRITER])) jn_put(a, o, "ResultWriter", opt->loc, map_io(L, s, opt->value));
}

/* Fields of which a state may have only one: an `asl` field may not join a group
   in which sfc already wrote another. */
static const char *rival_field(const struct jnode *state, const char *key) {
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
      if (strcmp(groups[g][i], key) != 0 && json_pos_get(state, groups[g][i])) return groups[g][i];
  }
  return NULL;
}

/* A duration (timeout 30s), a path (FIELDPath) or JSONata. */
static void put_seconds(struct arena *a, struct jnode *o, const char *field, const struct option *opt) {
  if (opt->is_duration) jn_put(a, o, field, opt->loc, jn_int(a, opt->seconds, opt->loc));
  else if (opt->value->kind == V_JSONATA) jn_put(a, o, field, opt->loc, jsonata_string(a, opt->value));
  else jn_put(a, o, arena_printf(a, "%sPath", field), opt->loc, jn_str(a, opt->value->text, opt->value->loc));
}

static void wait_fields(struct arena *a, struct jnode *o, const struct state *s) {
  const struct value *v = s->wait_value;
  switch (s->wait) {
  case W_SECONDS: jn_put(a, o, "Seconds", s->wait_loc, jn_int(a, s->wait_seconds, s->wait_loc)); break;
  case W_SECONDS_PATH:
    if (v->kind == V_JSONATA) jn_put(a, o, "Seconds", v->loc, jsonata_string(a, v));
    else jn_put(a, o, "SecondsPath", v->loc, jn_str(a, v->text, v->loc));
    break;
  case W_UNTIL: jn_put(a, o, "Timestamp", v->loc, jn_str(a, v->string->text, v->loc)); break;
  case W_UNTIL_PATH:
    if (v->kind == V_JSONATA) jn_put(a, o, "Timestamp", v->loc, jsonata_string(a, v));
    else jn_put(a, o, "TimestampPath", v->loc, jn_str(a, v->text, v->loc));
    break;
  }
}

static void choice_fields(struct arena *a, struct jnode *o, const struct state *s) {
  struct jnode *choices = jn_new(a, JN_ARRAY, s->loc);
  const struct rule *otherwise = NULL;
  for (const struct rule *r = s->rules; r; r = r->next) {
    if (!r->cond) {
      otherwise = r;
      continue;
    }
    struct jnode *rule = condition(a, r->cond);
    jn_put(a, rule, "Next", r->loc, jn_str(a, r->next_state ? r->next_state->name.text : "", r->loc));
    if (r->assign) jn_put(a, rule, "Assign", r->assign->loc, template_value(a, r->assign));
    if (r->output) jn_put(a, rule, "Output", r->output->loc, template_value(a, r->output));
    if (r->comment) jn_put(a, rule, "Comment", r->comment->loc, jn_str(a, r->comment->text, r->comment->loc));
    jn_push(choices, rule);
  }
  jn_put(a, o, "Choices", s->loc, choices);
  if (otherwise && otherwise->next_state)
    jn_put(a, o, "Default", otherwise->loc, jn_str(a, otherwise->next_state->name.text, otherwise->loc));
}

static struct jnode *state_json(struct lower *L, const struct state *s) {
  struct arena *a = L->a;
  struct loc at = s->loc;
  struct jnode *o = jn_new(a, JN_OBJECT, at);
  static const char *const types[] = {"Task", "Pass", "Wait", "Choice", "Parallel", "Succeed", "Fail", "Map"};
  jn_put(a, o, "Type", at, jn_str(a, types[s->kind], at));
  const struct option *opt;
  /* JSONata where the workflow is not; and whatever `query` says where it is written */
  const struct option *query = s->opt[OPT_QUERY];
  if ((s->jsonata && !L->workflow_jsonata) || query)
    jn_put(a, o, "QueryLanguage", query ? query->loc : at, jn_str(a, s->jsonata ? "JSONata" : "JSONPath", at));
  if ((opt = s->opt[OPT_COMMENT])) jn_put(a, o, "Comment", opt->loc, jn_str(a, opt->text->text, opt->text->loc));
  if (s->kind == S_TASK) jn_put(a, o, "Resource", at, resource_json(L, s));
  if ((opt = s->opt[OPT_FROM])) jn_put(a, o, "InputPath", opt->loc, path_or_null(a, opt));

  struct jnode *params = NULL;
  if (s->kind == S_TASK) params = task_parameters(L, s);
  else if (s->kind != S_MAP && (opt = s->opt[OPT_WITH])) params = template_value(a, opt->value);
  if (params) jn_put(a, o, s->jsonata ? "Arguments" : "Parameters", jn_loc(params), params);
  if ((opt = s->opt[OPT_CREDENTIALS])) jn_put(a, o, "Credentials", opt->loc, credentials_json(L, opt));
  if (s->result) jn_put(a, o, "Result", s->result->loc, template_value(a, s->result));
  if (s->kind == S_WAIT) wait_fields(a, o, s);
  if (s->kind == S_CHOICE) choice_fields(a, o, s);
  if (s->kind == S_PARALLEL) {
    struct jnode *branches = jn_new(a, JN_ARRAY, at);
    for (const struct branch *b = s->branches; b; b = b->next)
      jn_push(branches, scope_json(L, b->order, b->nstates, b->name, b->loc));
    jn_put(a, o, "Branches", at, branches);
  }
  if (s->kind == S_MAP) map_fields(L, o, s);
  if ((opt = s->opt[OPT_SELECT])) jn_put(a, o, "ResultSelector", opt->loc, template_value(a, opt->value));
  if ((opt = s->opt[OPT_INTO])) jn_put(a, o, "ResultPath", opt->loc, path_or_null(a, opt));
  if ((opt = s->opt[OPT_OUTPUT])) {
    if (s->jsonata) jn_put(a, o, "Output", opt->loc, template_value(a, opt->value));
    else jn_put(a, o, "OutputPath", opt->loc, path_or_null(a, opt));
  }
  if ((opt = s->opt[OPT_TIMEOUT])) put_seconds(a, o, "TimeoutSeconds", opt);
  if ((opt = s->opt[OPT_HEARTBEAT])) put_seconds(a, o, "HeartbeatSeconds", opt);
  static const char *const fail_fields[2][2] = {{"Error", "ErrorPath"}, {"Cause", "CausePath"}};
  for (int i = 0; i < 2; i++) {
    if (!(opt = s->opt[i ? OPT_CAUSE : OPT_ERROR])) continue;
    const struct value *v = opt->value;
    if (v->kind == V_STRING) jn_put(a, o, fail_fields[i][0], opt->loc, jn_str(a, v->string->text, v->loc));
    else if (v->kind == V_JSONATA) jn_put(a, o, fail_fields[i][0], opt->loc, jsonata_string(a, v));
    else jn_put(a, o, fail_fields[i][1], opt->loc, dynamic_text(a, v));
  }
  struct jnode *retry = jn_new(a, JN_ARRAY, at), *catch = jn_new(a, JN_ARRAY, at);
  for (const struct option *x = s->options; x; x = x->next) {
    if (x->kind == OPT_RETRY) jn_push(retry, retrier(a, x));
    if (x->kind == OPT_CATCH) jn_push(catch, catcher(a, x));
  }
  if (retry->count) jn_put(a, o, "Retry", jn_loc(retry->items), retry);
  if (catch->count) jn_put(a, o, "Catch", jn_loc(catch->items), catch);
  if ((opt = s->opt[OPT_ASSIGN])) jn_put(a, o, "Assign", opt->loc, template_value(a, opt->value));
  for (const struct rule *r = s->rules; r; r = r->next) { /* the default's are the choice's own */
    if (!r->cond && r->assign) jn_put(a, o, "Assign", r->assign->loc, template_value(a, r->assign));
    if (!r->cond && r->output) jn_put(a, o, "Output", r->output->loc, template_value(a, r->output));
  }
  if (s->next_state) jn_put(a, o, "Next", at, jn_str(a, s->next_state->name.text, at));
  else if (s->is_end) jn_put(a, o, "End", at, jn_bool(a, true, at));
  if ((opt = s->opt[OPT_ASL])) {
    for (const struct member *m = opt->value->members; m; m = m->next) {
      const char *rival = rival_field(o, m->key);
      if (json_pos_get(o, m->key))
        diag_error(&L->c->diag, m->key_loc, "'%s' is already written by sfc for state '%s'; 'asl' "
                   "adds fields, it does not replace them", m->key, s->name.text);
      else if (rival)
        diag_error(&L->c->diag, m->key_loc, "'%s' cannot stand beside '%s', which sfc writes for "
                   "state '%s'", m->key, rival, s->name.text);
      else jn_put(a, o, m->key, m->key_loc, plain_value(a, m->value));
    }
  }
  return o;
}

static struct jnode *scope_json(struct lower *L, struct state **order, int n, const char *comment,
                                struct loc at) {
  struct arena *a = L->a;
  struct jnode *o = jn_new(a, JN_OBJECT, at);
  if (comment) jn_put(a, o, "Comment", at, jn_str(a, comment, at));
  struct loc first = n ? order[0]->name.loc : at;
  jn_put(a, o, "StartAt", first, jn_str(a, n ? order[0]->name.text : "", first));
  struct jnode *states = jn_new(a, JN_OBJECT, at);
  for (int i = 0; i < n; i++) jn_put(a, states, order[i]->name.text, order[i]->name.loc, state_json(L, order[i]));
  jn_put(a, o, "States", at, states);
  return o;
}

struct jnode *lower_asl(struct compilation *c, struct workflow *w) {
  struct lower L = {c, &c->arena, w->jsonata};
  struct arena *a = L.a;
  struct loc at = w->name.loc;
  struct jnode *doc = jn_new(a, JN_OBJECT, at);
  if (w->comment) jn_put(a, doc, "Comment", w->comment_loc, jn_str(a, w->comment->text, w->comment->loc));
  if (w->version) jn_put(a, doc, "Version", w->version->loc, jn_str(a, w->version->text, w->version->loc));
  if (w->has_query) jn_put(a, doc, "QueryLanguage", at, jn_str(a, w->jsonata ? "JSONata" : "JSONPath", at));
  if (w->has_timeout) jn_put(a, doc, "TimeoutSeconds", w->timeout_loc, jn_int(a, w->timeout, w->timeout_loc));
  jn_take_members(doc, scope_json(&L, w->order, w->nstates, NULL, at));
  return doc;
}

/* Two things that would get the same AWS name are an error naming both: one would
   silently replace the other when deployed (and their files in DIR). */
struct claim {
  const char *what;
  struct loc at;
};

static void claim(struct compilation *c, struct table *names, const char *name, struct loc at,
                  const char *what) {
  const struct claim *first = table_get(names, name);
  if (first) {
    diag_error(&c->diag, at, "%s would be named '%s', the name of %s", what, name, first->what);
    diag_note(&c->diag, first->at, "'%s' is named here, for %s", name, first->what);
    return;
  }
  struct claim *cl = NEW(&c->arena, struct claim);
  *cl = (struct claim){what, at};
  table_put(names, name, cl);
}

/* Every IAM role the program creates: each workflow's execution role, and the roles
   EventBridge and Scheduler assume to start it. */
static void claim_roles(struct compilation *c, struct table *roles, struct workflow *w) {
  claim(c, roles, w->name.text, w->name.loc,
        arena_printf(&c->arena, "the execution role of workflow '%s'", w->name.text));
  bool by_rule = false, by_schedule = false;
  struct loc rule_at = w->name.loc, schedule_at = w->name.loc;
  for (const struct trigger *tr = w->triggers; tr; tr = tr->next) {
    if (tr->scheduler && !by_schedule) by_schedule = true, schedule_at = tr->loc;
    if (!tr->scheduler && !by_rule) by_rule = true, rule_at = tr->loc;
  }
  if (by_rule)
    claim(c, roles, starter_role_name(c, w, false), rule_at,
          arena_printf(&c->arena, "the role EventBridge assumes to start workflow '%s'", w->name.text));
  if (by_schedule)
    claim(c, roles, starter_role_name(c, w, true), schedule_at,
          arena_printf(&c->arena, "the role Scheduler assumes to start workflow '%s'", w->name.text));
}

/* ------------------------------------------------------------ resources and events */

/* arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE; the parts of anything shorter stay
   NULL (check.c has already refused an ARN that is not one). */
static struct arn arn_parts(struct arena *a, const char *text) {
  struct arn parts = {0};
  const char *field[5] = {0};
  const char *p = text;
  for (int i = 0; i < 5; i++) {
    const char *colon = strchr(p, ':');
    if (!colon) return parts;
    field[i] = arena_strndup(a, p, (size_t)(colon - p));
    p = colon + 1;
  }
  if (strcmp(field[0], "arn") != 0) return parts;
  /* field[0] is "arn": the parts are 1..4, then the resource */
  return (struct arn){field[1], field[2], field[3], field[4], p};
}

static void add_use(struct arena *a, struct model_use **list, int *n, const char *workflow,
                    const char *by, struct loc at) {
  struct model_use *grown = arena_alloc(a, (size_t)(*n + 1) * sizeof *grown);
  if (*n) memcpy(grown, *list, (size_t)*n * sizeof *grown);
  grown[(*n)++] = (struct model_use){workflow, by, at};
  *list = grown;
}

static struct model_event *event_of(struct model *m, const struct decl *d) {
  for (int i = 0; i < m->nevents; i++)
    if (m->events[i].name == d->name.text) return &m->events[i];
  return NULL;
}

/* The emit states of ORDER and of every branch inside it, in document order. */
static void note_emitters(struct compilation *c, struct model *m, const struct workflow *w,
                          struct state **order, int n) {
  for (int i = 0; i < n; i++) {
    const struct state *s = order[i];
    if (s->kind == S_TASK && s->task == T_EMIT)
      for (const struct emit_entry *e = s->entries; e; e = e->next) {
        struct model_event *ev = e->decl ? event_of(m, e->decl) : NULL;
        if (ev) add_use(&c->arena, &ev->emitters, &ev->nemitters, w->name.text, s->name.text, e->event.loc);
      }
    for (const struct branch *b = s->branches; b; b = b->next) note_emitters(c, m, w, b->order, b->nstates);
  }
}

/* The comment lines (# or //) directly above AT's line, or else a comment after AT
   on its line, as one line of text; NULL when there is none. */
static const char *comment_near(struct compilation *c, struct loc at) {
  const struct source *src = &c->diag.files[at.file];
  const char *text = src->text;
  int line, col;
  diag_line_col(&c->diag, at.file, at.start, &line, &col);
  struct buf b = {0};
  int first = line - 1; /* 1-based line numbers: the lines above are first..line-1 */
  for (; first >= 1; first--) {
    const char *p = text + src->line_starts[first - 1];
    while (*p == ' ' || *p == '\t') p++;
    if (!(*p == '#' || (p[0] == '/' && p[1] == '/'))) break;
  }
  for (int l = first + 1; l < line; l++) {
    const char *p = text + src->line_starts[l - 1];
    while (*p == ' ' || *p == '\t') p++;
    p += *p == '#' ? 1 : 2;
    while (*p == ' ' || *p == '\t') p++;
    const char *e = strchr(p, '\n');
    if (!e) e = p + strlen(p);
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
    if (e == p) continue;
    if (b.len) buf_addc(&b, ' ');
    buf_add(&b, p, (size_t)(e - p));
  }
  if (!b.len) { /* a comment after the declaration on its last line */
    const char *p = text + at.end;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
      p += *p == '#' ? 1 : 2;
      while (*p == ' ' || *p == '\t') p++;
      const char *e = strchr(p, '\n');
      if (!e) e = p + strlen(p);
      while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
      buf_add(&b, p, (size_t)(e - p));
    }
  }
  const char *result = b.len ? arena_strndup(&c->arena, b.data, b.len) : NULL;
  buf_free(&b);
  return result;
}

/* A param's Terraform type: its default's kind, when its value still has that form. */
static const char *param_type(const struct decl *d) {
  const struct value *v = d->param_default;
  if (v && (v->kind == V_INT || v->kind == V_REAL)) {
    char *end;
    strtod(d->param_value, &end);
    if (*d->param_value && !*end) return "number";
  }
  if (v && v->kind == V_BOOL && (!strcmp(d->param_value, "true") || !strcmp(d->param_value, "false")))
    return "bool";
  return "string";
}

static void lower_declarations(struct compilation *c, struct model *m) {
  int nres = 0, nev = 0, npar = 0;
  for (const struct decl *d = c->program.decls; d; d = d->next) {
    nres += d->kind == D_RESOURCE;
    nev += d->kind == D_EVENT;
    npar += d->kind == D_PARAM;
  }
  m->resources = arena_alloc(&c->arena, (size_t)(nres ? nres : 1) * sizeof *m->resources);
  m->events = arena_alloc(&c->arena, (size_t)(nev ? nev : 1) * sizeof *m->events);
  m->params = arena_alloc(&c->arena, (size_t)(npar ? npar : 1) * sizeof *m->params);
  struct table seen = {0}; /* the files of one program may each declare a param */
  for (const struct decl *d = c->program.decls; d; d = d->next) {
    if (d->kind == D_PARAM && d->param_given && !table_get(&seen, d->name.text)) {
      table_put(&seen, d->name.text, (void *)d);
      m->params[m->nparams++] = (struct model_param){d->name.text, d->name.loc, param_type(d),
                                                     d->param_value, comment_near(c, d->loc)};
    }
    if (d->kind == D_RESOURCE)
      m->resources[m->nresources++] = (struct model_resource){
          d->resource, d->name.text, d->name.loc, d->value->text, d->arn,
          arn_parts(&c->arena, d->arn), d->eventbridge_notifications, d->url, d->owner};
    if (d->kind == D_EVENT)
      m->events[m->nevents++] = (struct model_event){
          d->name.text, d->name.loc, d->event_source, d->event_detail_type, d->event_bus,
          NULL, 0, NULL, 0};
  }
  table_free(&seen);
  for (const struct decl *d = c->program.decls; d; d = d->next) {
    if (d->kind != D_WORKFLOW) continue;
    const struct workflow *w = d->workflow;
    note_emitters(c, m, w, w->order, w->nstates);
    for (const struct trigger *tr = w->triggers; tr; tr = tr->next) {
      struct model_event *ev = tr->kind == TR_EVENT && tr->target_decl ? event_of(m, tr->target_decl) : NULL;
      if (ev) add_use(&c->arena, &ev->consumers, &ev->nconsumers, w->name.text, tr->name, tr->loc);
    }
  }
}

void lower_program(struct compilation *c, struct model *m) {
  int n = 0;
  for (struct decl *d = c->program.decls; d; d = d->next) n += d->kind == D_WORKFLOW;
  m->workflows = arena_alloc(&c->arena, (size_t)(n ? n : 1) * sizeof *m->workflows);
  m->nworkflows = 0;
  for (struct decl *d = c->program.decls; d; d = d->next) {
    if (d->kind != D_WORKFLOW) continue;
    struct workflow *w = d->workflow;
    struct model_workflow *mw = &m->workflows[m->nworkflows++];
    mw->name = w->name.text;
    mw->loc = w->name.loc;
    mw->arn = state_machine_arn(c, w->name.text);
    mw->arn_parts = arn_parts(&c->arena, mw->arn);
    mw->definition_file = arena_printf(&c->arena, "%s.asl.json", w->name.text);
    mw->definition = lower_asl(c, w);
    mw->express = w->express;
    mw->tracing = w->tracing;
    mw->log_level = w->log_level;
    mw->log_include_data = w->log_include_data;
    mw->tree = w;
    lower_triggers(c, w, mw);
  }
  lower_declarations(c, m);
  link_program(c, m);
  struct table roles = {0};
  for (int i = 0; i < m->nworkflows; i++) claim_roles(c, &roles, m->workflows[i].tree);
  table_free(&roles);
}

/* ------------------------------------------------------------ --dump-model */


static const char *where(const struct compilation *c, struct loc at) {
  static char text[512];
  int line, col;
  diag_line_col(&c->diag, at.file, at.start, &line, &col);
  snprintf(text, sizeof text, "%s:%d:%d", c->diag.files[at.file].name, line, col);
  return text;
}

/* One line per node: its JSON pointer (json.c's, as messages show it), where in the
   source it came from, and a scalar's value. */
static void dump_node(const struct compilation *c, struct arena *a, const struct jnode *n,
                      const struct jpath *at, FILE *out) {
  const char *pointer = json_pos_pointer(a, at);
  fprintf(out, "  %-50s %s", *pointer ? pointer : "/", where(c, jn_loc(n)));
  if (n->kind != JN_OBJECT && n->kind != JN_ARRAY) {
    json_t *j = jn_to_json(n);
    struct buf text = {0};
    json_write_compact(&text, j);
    json_decref(j);
    fprintf(out, "  %.*s%s", text.len > 60 ? 57 : (int)text.len, text.data, text.len > 60 ? "..." : "");
    buf_free(&text);
  }
  fputc('\n', out);
  for (const struct jmember *m = n->kind == JN_OBJECT ? n->members : NULL; m; m = m->next)
    dump_node(c, a, m->value, &(struct jpath){at, m->key, m->key_len, -1}, out);
  int i = 0;
  for (const struct jnode *item = n->kind == JN_ARRAY ? n->items : NULL; item; item = item->next)
    dump_node(c, a, item, &(struct jpath){at, NULL, 0, i++}, out);
}

/* FORMAT takes the workflow and the state or trigger. */
static void dump_uses(const struct compilation *c, const char *format, const struct model_use *u,
                      int n, FILE *out) {
  for (int i = 0; i < n; i++) {
    fprintf(out, format, u[i].workflow, u[i].by);
    fprintf(out, " (%s)\n", where(c, u[i].loc));
  }
}

void model_dump(const struct compilation *c, const struct model *m, FILE *out) {
  for (int i = 0; i < m->nresources; i++) {
    const struct model_resource *r = &m->resources[i];
    fprintf(out, "%s %s (%s)\n  arn %s\n", resource_kind_name(r->kind), r->name, where(c, r->loc), r->arn);
    if (r->arn_parts.service)
      fprintf(out, "    partition %s, service %s, region %s, account %s, resource %s\n",
              r->arn_parts.partition, r->arn_parts.service, *r->arn_parts.region ? r->arn_parts.region : "(none)",
              *r->arn_parts.account ? r->arn_parts.account : "(none)", r->arn_parts.resource);
    if (r->eventbridge_notifications) fputs("  sends events to EventBridge\n", out);
  }
  for (int i = 0; i < m->nevents; i++) {
    const struct model_event *e = &m->events[i];
    fprintf(out, "event %s (%s)\n  source %s\n  detail-type %s\n  bus %s\n", e->name, where(c, e->loc),
            e->source ? e->source : "", e->detail_type ? e->detail_type : "", e->bus ? e->bus : "default");
    dump_uses(c, "  emitted by %s, state %s", e->emitters, e->nemitters, out);
    dump_uses(c, "  starts %s, through rule %s", e->consumers, e->nconsumers, out);
  }
  for (int i = 0; i < m->nlinks; i++) {
    const struct model_link *l = &m->links[i];
    fprintf(out, "link %s ", l->from_workflow);
    if (l->from_state) fprintf(out, "state %s sends %s / %s", l->from_state, l->source, l->detail_type);
    else fprintf(out, "execution %s", l->status);
    if (l->to_workflow) fprintf(out, " -> rule %s starts %s (%s)\n", l->trigger, l->to_workflow, l->certain ? "matches" : "may match");
    else fputs(" -> no rule of the program matches\n", out);
  }
  for (int i = 0; i < m->nworkflows; i++) {
    const struct model_workflow *w = &m->workflows[i];
    fprintf(out, "workflow %s (%s)\n", w->name, where(c, w->loc));
    fprintf(out, "  arn %s\n  type %s\n  tracing %s\n  logging %s%s\n", w->arn,
            w->express ? "EXPRESS" : "STANDARD", w->tracing ? "on" : "off",
            w->log_level ? w->log_level : "(not set)", w->log_include_data ? " with data" : "");
    for (int t = 0; t < w->ntriggers; t++) {
      const struct model_trigger *tr = &w->triggers[t];
      fprintf(out, "  %s %s (%s)\n", tr->kind == MODEL_RULE ? "rule" : "schedule", tr->name,
              where(c, tr->loc));
      if (tr->kind == MODEL_RULE) {
        json_t *j = jn_to_json(tr->pattern);
        struct buf text = {0};
        json_write_compact(&text, j);
        json_decref(j);
        fprintf(out, "    on bus %s, pattern %s\n", tr->bus ? tr->bus : "default", text.data);
        buf_free(&text);
      } else {
        fprintf(out, "    at %s%s%s\n", tr->expression, tr->timezone ? " in " : "",
                tr->timezone ? tr->timezone : "");
      }
      fprintf(out, "    starts %s as %s\n", tr->target_arn, tr->role_arn);
    }
    fprintf(out, "  definition %s\n", w->definition_file);
    struct arena pointers = {0};
    dump_node(c, &pointers, w->definition, &(struct jpath){NULL, NULL, 0, -1}, out);
    arena_free(&pointers);
  }
}
