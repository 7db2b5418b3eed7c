/* triggers.c: the `on ...` of a workflow, checked and turned into event patterns.
 *
 * Each trigger becomes one EventBridge rule (s3, event, workflow, pattern) or one
 * EventBridge Scheduler schedule (schedule). Its pattern is built as an .sf value
 * tree, with the locations of what the user wrote, so that patterns.c checks
 * generated and hand-written patterns alike and points at the source of a mistake.
 */
#include "sfc.h"

#include <string.h>

struct tctx {
  struct compilation *c;
  struct diag *d;
  struct arena *arena;
  struct table *names;      /* top-level declarations */
  struct table *rule_names; /* every rule and schedule name of the program */
  struct workflow *wf;
};

/* Resolves the strings of a constant value. */
static void check_value_plain(struct compilation *c, struct value *v) {
  if (v->kind == V_STRING) resolve_text(c, v->string);
  for (struct member *m = v->kind == V_OBJECT ? v->members : NULL; m; m = m->next) check_value_plain(c, m->value);
  for (struct value *i = v->kind == V_ARRAY ? v->items : NULL; i; i = i->next) check_value_plain(c, i);
}

/* ------------------------------------------------------------ pattern values */

static struct value *pv_new(struct tctx *t, enum value_kind kind, struct loc loc) {
  struct value *v = NEW(t->arena, struct value);
  v->kind = kind;
  v->loc = loc;
  return v;
}

static struct value *pv_string(struct tctx *t, const char *text, struct loc loc) {
  struct value *v = pv_new(t, V_STRING, loc);
  v->string = NEW(t->arena, struct str);
  v->string->text = text;
  v->string->len = strlen(text);
  v->string->loc = loc;
  return v;
}

static struct member *pv_member(struct value *object, const char *key) {
  for (struct member *m = object->members; m; m = m->next)
    if (!strcmp(m->key, key)) return m;
  return NULL;
}

static void pv_append(struct tctx *t, struct value *object, const char *key, struct value *value,
                      struct loc loc) {
  struct member *m = NEW(t->arena, struct member);
  m->key = key;
  m->key_loc = loc;
  m->value = value;
  struct member **p = &object->members;
  while (*p) p = &(*p)->next;
  *p = m;
}

/* ["text"] */
static struct value *pv_list1(struct tctx *t, struct value *item) {
  struct value *list = pv_new(t, V_ARRAY, item->loc);
  list->items = item;
  return list;
}

/* { op: operand } */
static struct value *pv_op(struct tctx *t, const char *op, struct value *operand, struct loc loc) {
  struct value *o = pv_new(t, V_OBJECT, loc);
  pv_append(t, o, op, operand, loc);
  return o;
}

/* ------------------------------------------------------------ where -> pattern */

/* The event path of a `where` field: a dot path under the event ($.detail.x), or a
   shorthand name, which reads a field of `detail` (key and size of an S3 object). */
static const char *field_path(struct tctx *t, const struct trigger *tr, const struct value *f) {
  if (f->kind == V_STRING) {
    const char *n = f->string->text;
    if (tr->kind == TR_S3 && (!strcmp(n, "key") || !strcmp(n, "size") || !strcmp(n, "etag") ||
                              !strcmp(n, "version-id")))
      return arena_printf(t->arena, "detail.object.%s", n);
    if (tr->kind == TR_S3 && (!strcmp(n, "reason") || !strcmp(n, "requester")))
      return arena_printf(t->arena, "detail.%s", n);
    return arena_printf(t->arena, "detail.%s", n);
  }
  /* $.a.b: dot names only; EventBridge patterns have no wildcards or indexes */
  const char *p = f->text;
  if (p[0] != '$' || p[1] != '.' || !p[2]) {
    diag_error(t->d, f->loc, "a where field is a path of names under the event, like $.detail.size");
    return NULL;
  }
  for (const char *q = p + 2; *q; q++) {
    if (*q == '.' && (q[1] == '.' || q[1] == 0)) {
      diag_error(t->d, f->loc, "a where field is a path of names under the event, like $.detail.size");
      return NULL;
    }
    if (strchr("[]*?@()'\"\\,: ", *q)) {
      diag_error(t->d, f->loc, "a where field is a path of names (no '%c'); EventBridge matches "
                 "fields by name", *q);
      return NULL;
    }
  }
  return p + 2;
}

/* The leaf array for PATH inside OBJECT, created (with intermediate objects) if
   missing. Sets *existed when the field already had matchers. */
static struct value *leaf_for(struct tctx *t, struct value *object, const char *path, struct loc loc,
                              bool *existed) {
  const char *dot = strchr(path, '.');
  char *head = arena_strndup(t->arena, path, dot ? (size_t)(dot - path) : strlen(path));
  struct member *m = pv_member(object, head);
  if (dot) {
    if (!m) {
      struct value *inner = pv_new(t, V_OBJECT, loc);
      pv_append(t, object, head, inner, loc);
      m = pv_member(object, head);
    }
    if (m->value->kind != V_OBJECT) {
      diag_error(t->d, loc, "'%s' is matched as a value and as an object at once", head);
      return NULL;
    }
    return leaf_for(t, m->value, dot + 1, loc, existed);
  }
  *existed = m != NULL;
  if (!m) {
    pv_append(t, object, head, pv_new(t, V_ARRAY, loc), loc);
    m = pv_member(object, head);
  }
  if (m->value->kind != V_ARRAY) {
    diag_error(t->d, loc, "'%s' is matched as a value and as an object at once", head);
    return NULL;
  }
  return m->value;
}

static bool is_number(const struct value *v) { return v->kind == V_INT || v->kind == V_REAL; }

/* The matchers of one test, as a list of values (linked by next). */
static struct value *matchers(struct tctx *t, const struct wcond *w) {
  struct value *v = w->operand;
  struct loc at = w->loc;
  static const char *const numeric_ops[] = {[WT_LT] = "<", [WT_LE] = "<=", [WT_GT] = ">", [WT_GE] = ">="};
  switch (w->op) {
  case WT_EQ:
    if (is_number(v)) { /* numeric equality, not text equality (300 == 300.0) */
      struct value *list = pv_new(t, V_ARRAY, at);
      list->items = pv_string(t, "=", at);
      list->items->next = v;
      return pv_op(t, "numeric", list, at);
    }
    if (v->kind == V_STRING || v->kind == V_BOOL || v->kind == V_NULL) return v;
    break;
  case WT_NE:
    if (v->kind == V_STRING || is_number(v)) return pv_op(t, "anything-but", v, at);
    break;
  case WT_IN: {
    struct value *first = NULL, **tail = &first;
    for (struct value *i = v->items; i; i = i->next) {
      struct value *m = i;
      if (is_number(i)) {
        struct value *alone = NEW(t->arena, struct value); /* without the rest of the list */
        *alone = *i;
        alone->next = NULL;
        struct wcond eq = *w;
        eq.op = WT_EQ;
        eq.operand = alone;
        m = matchers(t, &eq);
      } else if (i->kind != V_STRING && i->kind != V_BOOL && i->kind != V_NULL) {
        diag_error(t->d, i->loc, "'in' lists strings, numbers, booleans or null");
        return NULL;
      }
      struct value *copy = NEW(t->arena, struct value);
      *copy = *m;
      copy->next = NULL;
      *tail = copy;
      tail = &copy->next;
    }
    if (!first) diag_error(t->d, v->loc, "'in' needs at least one value");
    return first;
  }
  case WT_NOT_IN: return pv_op(t, "anything-but", v, at);
  case WT_PREFIX: return pv_op(t, "prefix", v, at);
  case WT_SUFFIX: return pv_op(t, "suffix", v, at);
  case WT_LIKE: return pv_op(t, "wildcard", v, at);
  case WT_NOT_PREFIX: return pv_op(t, "anything-but", pv_op(t, "prefix", v, at), at);
  case WT_NOT_SUFFIX: return pv_op(t, "anything-but", pv_op(t, "suffix", v, at), at);
  case WT_NOT_LIKE: return pv_op(t, "anything-but", pv_op(t, "wildcard", v, at), at);
  case WT_LT:
  case WT_LE:
  case WT_GT:
  case WT_GE: {
    if (!is_number(v)) {
      diag_error(t->d, v->loc, "'%s' compares numbers; EventBridge has no string ordering",
                 numeric_ops[w->op]);
      return NULL;
    }
    struct value *list = pv_new(t, V_ARRAY, at);
    list->items = pv_string(t, numeric_ops[w->op], at);
    struct value *n = NEW(t->arena, struct value);
    *n = *v;
    n->next = NULL;
    list->items->next = n;
    return pv_op(t, "numeric", list, at);
  }
  case WT_EXISTS:
  case WT_NOT_EXISTS: {
    struct value *b = pv_new(t, V_BOOL, at);
    b->boolean = w->op == WT_EXISTS;
    return pv_op(t, "exists", b, at);
  }
  case WT_CIDR: return pv_op(t, "cidr", v, at);
  case WT_IGNORE_CASE: return pv_op(t, "equals-ignore-case", v, at);
  case WT_NOT_IGNORE_CASE: return pv_op(t, "anything-but", pv_op(t, "equals-ignore-case", v, at), at);
  case WT_PREFIX_IGNORE_CASE: return pv_op(t, "prefix", pv_op(t, "equals-ignore-case", v, at), at);
  case WT_SUFFIX_IGNORE_CASE: return pv_op(t, "suffix", pv_op(t, "equals-ignore-case", v, at), at);
  }
  diag_error(t->d, v->loc, "this comparison takes a string or a number");
  return NULL;
}

/* One numeric bound: {"numeric": [op, n]}; returns op or NULL. */
static const char *single_numeric(const struct value *m, const struct value **n) {
  if (m->kind != V_OBJECT || !m->members || strcmp(m->members->key, "numeric") != 0) return NULL;
  const struct value *list = m->members->value;
  if (!list->items || !list->items->next || list->items->next->next) return NULL;
  *n = list->items->next;
  return list->items->string->text;
}

static const char *single_op(const struct value *m, const char *op) {
  if (m->kind != V_OBJECT || !m->members || strcmp(m->members->key, op) != 0) return NULL;
  const struct value *v = m->members->value;
  return v->kind == V_STRING ? v->string->text : NULL;
}

/* Two conditions on one field, ANDed: a numeric lower and upper bound make a range,
   a prefix and a suffix make a wildcard; anything else EventBridge cannot express
   (in one object a field holds one array, whose matchers are ORed). */
static bool combine(struct tctx *t, struct value *leaf, struct value *added, const char *path,
                    struct loc at) {
  struct value *old = leaf->items;
  if (old && !old->next && added && !added->next) {
    const struct value *a, *b;
    const char *op1 = single_numeric(old, &a), *op2 = single_numeric(added, &b);
    if (op1 && op2 && op1[0] != '=' && op2[0] != '=' && op1[0] != op2[0]) {
      bool old_lower = op1[0] == '>';
      const char *lo_op = old_lower ? op1 : op2, *hi_op = old_lower ? op2 : op1;
      const struct value *lo = old_lower ? a : b, *hi = old_lower ? b : a;
      struct value *list = pv_new(t, V_ARRAY, at);
      struct value *items[4] = {pv_string(t, lo_op, at), NEW(t->arena, struct value),
                                pv_string(t, hi_op, at), NEW(t->arena, struct value)};
      *items[1] = *lo;
      *items[3] = *hi;
      for (int i = 0; i < 3; i++) items[i]->next = items[i + 1];
      items[3]->next = NULL;
      list->items = items[0];
      leaf->items = pv_op(t, "numeric", list, at);
      return true;
    }
    const char *pre = single_op(old, "prefix"), *suf = single_op(added, "suffix");
    if (!pre) pre = single_op(added, "prefix"), suf = single_op(old, "suffix");
    if (pre && suf) {
      if (strchr(pre, '*') || strchr(suf, '*') || strchr(pre, '\\') || strchr(suf, '\\')) {
        diag_error(t->d, at, "a prefix and a suffix on '%s' become one wildcard, which cannot "
                   "hold '*' or '\\' from them", path);
        return false;
      }
      leaf->items = pv_op(t, "wildcard", pv_string(t, arena_printf(t->arena, "%s*%s", pre, suf), at), at);
      return true;
    }
  }
  if (!strcmp(path, "source") || !strcmp(path, "detail-type")) {
    diag_error(t->d, at, "this trigger already matches '%s' (from its head): a where condition "
               "cannot add another; use 'on pattern' for other %s matching", path, path);
    return false;
  }
  bool both_excluding = old && added && old->kind == V_OBJECT && added->kind == V_OBJECT && old->members &&
                        added->members && !strcmp(old->members->key, "anything-but") &&
                        !strcmp(added->members->key, "anything-but");
  if (both_excluding)
    diag_error(t->d, at, "two exclusions of '%s': write them as one, '%s not in [a, b]'", path,
               strrchr(path, '.') ? strrchr(path, '.') + 1 : path);
  else
    diag_error(t->d, at, "two conditions on '%s' that are not an 'or': EventBridge matches a field "
               "against one list, so write them as one condition, or join them with 'or'", path);
  return false;
}

static void compile_where(struct tctx *t, const struct trigger *tr, struct value *object, struct wcond *w);

static void add_test(struct tctx *t, const struct trigger *tr, struct value *object, struct wcond *w) {
  if (w->operand) check_value_plain(t->c, w->operand);
  const char *path = field_path(t, tr, w->field);
  if (!path) return;
  struct value *m = matchers(t, w);
  if (!m) return;
  bool existed = false;
  struct value *leaf = leaf_for(t, object, path, w->loc, &existed);
  if (!leaf) return;
  if (existed) combine(t, leaf, m, path, w->loc);
  else leaf->items = m;
}

/* The disjuncts of an `or` chain. */
static int disjuncts(struct wcond *w, struct wcond **out, int max, int n) {
  if (w->kind == W_OR) {
    n = disjuncts(w->left, out, max, n);
    return disjuncts(w->right, out, max, n);
  }
  if (n < max) out[n] = w;
  return n + 1;
}

static void compile_or(struct tctx *t, const struct trigger *tr, struct value *object, struct wcond *w) {
  struct wcond *parts[64];
  int n = disjuncts(w, parts, 64, 0);
  if (n > 64) {
    diag_error(t->d, w->loc, "too many 'or' branches (at most 64)");
    return;
  }
  /* on one field: one list of matchers, which EventBridge ORs */
  bool same = true;
  const char *path0 = NULL;
  for (int i = 0; i < n && same; i++) {
    if (parts[i]->kind != W_TEST) same = false;
    else {
      const char *p = field_path(t, tr, parts[i]->field);
      if (!p) return;
      if (!path0) path0 = p;
      else same = !strcmp(p, path0);
    }
  }
  if (same) {
    bool existed = false;
    struct value *leaf = leaf_for(t, object, path0, w->loc, &existed);
    if (!leaf) return;
    if (existed) {
      diag_error(t->d, w->loc, "two conditions on '%s' that are not an 'or'", path0);
      return;
    }
    struct value **tail = &leaf->items;
    for (int i = 0; i < n; i++) {
      struct value *m = matchers(t, parts[i]);
      for (; m; m = m->next) {
        struct value *copy = NEW(t->arena, struct value);
        *copy = *m;
        copy->next = NULL;
        *tail = copy;
        tail = &copy->next;
      }
    }
    return;
  }
  if (pv_member(object, "$or")) {
    diag_error(t->d, w->loc, "a second 'or' group at the same level; EventBridge allows one "
               "$or per object, so combine the groups into one");
    return;
  }
  struct value *list = pv_new(t, V_ARRAY, w->loc), **tail = &list->items;
  for (int i = 0; i < n; i++) {
    struct value *branch = pv_new(t, V_OBJECT, parts[i]->loc);
    compile_where(t, tr, branch, parts[i]);
    *tail = branch;
    tail = &branch->next;
  }
  pv_append(t, object, "$or", list, w->loc);
}

static void compile_where(struct tctx *t, const struct trigger *tr, struct value *object, struct wcond *w) {
  switch (w->kind) {
  case W_AND:
    compile_where(t, tr, object, w->left);
    compile_where(t, tr, object, w->right);
    return;
  case W_OR: compile_or(t, tr, object, w); return;
  case W_TEST: add_test(t, tr, object, w); return;
  }
}

/* ------------------------------------------------------------ triggers */

static const struct { const char *word; const char *detail_type; } s3_events[] = {
    {"created", "Object Created"},
    {"deleted", "Object Deleted"},
    {"restored", "Object Restore Completed"},
    {"restoring", "Object Restore Initiated"},
    {"expired", "Object Restore Expired"},
    {"tagged", "Object Tags Added"},
    {"untagged", "Object Tags Deleted"},
    {"reclassified", "Object Storage Class Changed"},
    {"retiered", "Object Access Tier Changed"},
    {"acl-updated", "Object ACL Updated"},
};

static const struct { const char *word; const char *status; } workflow_statuses[] = {
    {"started", "RUNNING"},
    {"succeeded", "SUCCEEDED"},
    {"failed", "FAILED"},
    {"timed out", "TIMED_OUT"},
    {"aborted", "ABORTED"},
};

static struct decl *lookup(struct tctx *t, struct name n, enum decl_kind kind, int rkind, const char *what) {
  struct decl *d = table_get(t->names, n.text);
  if (name_unchecked(t->c, d)) return NULL;
  if (!d) {
    diag_error(t->d, n.loc, "no %s named '%s'", what, n.text);
    return NULL;
  }
  if (d->kind != kind || (kind == D_RESOURCE && (int)d->resource != rkind)) {
    diag_error(t->d, n.loc, "'%s' is not %s %s", n.text, article(what), what);
    return NULL;
  }
  return d;
}

static const char *trigger_kind_word(enum trigger_kind k) {
  static const char *const words[] = {"s3", "schedule", "event", "event", "workflow", "pattern"};
  return words[k];
}

/* Which options each trigger kind takes. */
static bool topt_allowed(const struct trigger *tr, int kind) {
  switch (kind) {
  case TRIG_WHERE: return tr->kind != TR_SCHEDULE && tr->kind != TR_PATTERN;
  case TRIG_TIMEZONE:
  case TRIG_WINDOW: return tr->kind == TR_SCHEDULE;
  case TRIG_DETAIL_TYPE:
  case TRIG_BUS: return tr->kind == TR_EVENT_FROM || (kind == TRIG_BUS && tr->kind == TR_PATTERN);
  default: return true;
  }
}

static const char *const topt_names[] = {"with", "from", "retry", "dead letter", "disabled", "name",
                                         "description", "timezone", "window", "detail-type", "bus",
                                         "where"};

/* UploadPipeline-s3-1: the workflow, the kind, and the trigger's place, cut to 64. */
static const char *derive_name(struct tctx *t, const struct trigger *tr, int index) {
  char suffix[40];
  snprintf(suffix, sizeof suffix, "-%s-%d", trigger_kind_word(tr->kind), index);
  size_t room = 64 - strlen(suffix);
  struct buf b = {0};
  for (const char *p = t->wf->name.text; *p && b.len < room; p++)
    buf_addc(&b, strchr(".-_", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                         (*p >= '0' && *p <= '9') ? *p : '_');
  buf_adds(&b, suffix);
  const char *name = arena_strdup(t->arena, b.data);
  buf_free(&b);
  return name;
}

/* A `with` for a rule target: constant, or with event paths (an input transformer,
   which reads dot paths only). Schedules have no event, so theirs is constant. */
static void check_target_input(struct tctx *t, struct trigger *tr, const struct value *v) {
  switch (v->kind) {
  case V_PATH: {
    if (tr->scheduler) {
      diag_error(t->d, v->loc, "a schedule has no event to read: its 'with' is a constant value");
      return;
    }
    struct path_info info;
    size_t offset;
    const char *msg = path_check(v->text, v->len, &info, &offset);
    if (msg) diag_error(t->d, v->loc, "invalid path: %s", msg);
    else if (info.root != PATH_INPUT || strpbrk(v->text + 1, "[*"))
      diag_error(t->d, v->loc, "an input transformer reads the event with dot paths only ($.detail.key)");
    return;
  }
  case V_CALL:
  case V_JSONATA:
    diag_error(t->d, v->loc, "a trigger's 'with' takes JSON and event paths, not functions or expressions");
    return;
  case V_OBJECT:
    for (const struct member *m = v->members; m; m = m->next) check_target_input(t, tr, m->value);
    return;
  case V_ARRAY:
    for (const struct value *i = v->items; i; i = i->next) check_target_input(t, tr, i);
    return;
  default: return;
  }
}

/* EventBridge fills <name> in a transformer's template; constant text must not look so. */
static void check_template_text(struct tctx *t, const struct value *v) {
  if (v->kind == V_STRING && v->string->text && strchr(v->string->text, '<') && strchr(v->string->text, '>'))
    diag_error(t->d, v->loc, "this text would be taken for an input transformer placeholder (<name>), "
               "which EventBridge fills in: avoid '<' ... '>' here");
  for (const struct member *m = v->kind == V_OBJECT ? v->members : NULL; m; m = m->next) check_template_text(t, m->value);
  for (const struct value *i = v->kind == V_ARRAY ? v->items : NULL; i; i = i->next) check_template_text(t, i);
}

static bool value_has_path(const struct value *v) {
  if (v->kind == V_PATH) return true;
  for (const struct member *m = v->kind == V_OBJECT ? v->members : NULL; m; m = m->next)
    if (value_has_path(m->value)) return true;
  for (const struct value *i = v->kind == V_ARRAY ? v->items : NULL; i; i = i->next)
    if (value_has_path(i)) return true;
  return false;
}

static void check_trigger(struct tctx *t, struct trigger *tr, int index) {
  for (struct trigger_option *o = tr->options; o; o = o->next) {
    if (!topt_allowed(tr, o->kind)) {
      diag_error(t->d, o->loc, "'%s' is not allowed on an 'on %s' trigger", topt_names[o->kind],
                 trigger_kind_word(tr->kind));
      continue;
    }
    if (tr->opt[o->kind]) {
      diag_error(t->d, o->loc, "duplicate '%s' on this trigger", topt_names[o->kind]);
      continue;
    }
    tr->opt[o->kind] = o;
  }
  tr->scheduler = tr->kind == TR_SCHEDULE;
  struct value *pattern = tr->kind == TR_PATTERN ? tr->expr : pv_new(t, V_OBJECT, tr->loc);
  struct loc at = tr->loc;
  struct trigger_option *o;
  switch (tr->kind) {
  case TR_S3: {
    struct decl *bucket = lookup(t, tr->target, D_RESOURCE, R_BUCKET, "bucket");
    const char *detail_type = NULL;
    for (size_t i = 0; i < sizeof s3_events / sizeof *s3_events; i++)
      if (!strcmp(tr->what.text, s3_events[i].word)) detail_type = s3_events[i].detail_type;
    if (!detail_type)
      diag_error(t->d, tr->what.loc, "an S3 object event is created, deleted, restored, restoring, "
                 "expired, tagged, untagged, reclassified or retiered, not '%s'", tr->what.text);
    if (!bucket || !detail_type) return;
    bucket->eventbridge_notifications = true;
    tr->target_decl = bucket;
    pv_append(t, pattern, "source", pv_list1(t, pv_string(t, "aws.s3", at)), at);
    pv_append(t, pattern, "detail-type", pv_list1(t, pv_string(t, detail_type, tr->what.loc)), at);
    struct value *detail = pv_new(t, V_OBJECT, at), *b = pv_new(t, V_OBJECT, at);
    /* S3 events carry the bucket's name, also for a bucket declared by ARN */
    const char *bucket_name = bucket->value->text;
    if (!strncmp(bucket_name, "arn:", 4) && strstr(bucket_name, ":s3:::")) bucket_name = strstr(bucket_name, ":s3:::") + 6;
    pv_append(t, b, "name", pv_list1(t, pv_string(t, bucket_name, tr->target.loc)), at);
    pv_append(t, detail, "bucket", b, at);
    pv_append(t, pattern, "detail", detail, at);
    break;
  }
  case TR_SCHEDULE:
    schedule_check(t->d, tr->expr->loc, tr->expr->string->text, true);
    /* its range is an AWS limit, checked by lower_triggers.c */
    if ((o = tr->opt[TRIG_WINDOW]) && o->seconds % 60 != 0)
      diag_error(t->d, o->loc, "a flexible window is a whole number of minutes");
    if ((o = tr->opt[TRIG_TIMEZONE]) && resolve_text(t->c, o->text)) {
      const char *z = o->text->text;
      if (!timezone_known(z)) /* the names of the embedded list (timezones.c) */
        diag_error(t->d, o->text->loc, "unknown time zone '%s': a time zone is an IANA name "
                   "such as Europe/Paris or UTC (sfc knows those of tzdata 2025b)", z);
    }
    break;
  case TR_EVENT: {
    struct decl *e = lookup(t, tr->target, D_EVENT, 0, "event");
    if (!e || !e->event_source || !e->event_detail_type) return;
    tr->target_decl = e;
    pv_append(t, pattern, "source", pv_list1(t, pv_string(t, e->event_source, tr->target.loc)), at);
    pv_append(t, pattern, "detail-type", pv_list1(t, pv_string(t, e->event_detail_type, tr->target.loc)), at);
    break;
  }
  case TR_EVENT_FROM:
    if (!resolve_text(t->c, tr->source)) return;
    if (!tr->source->len) diag_error(t->d, tr->source->loc, "an event source cannot be empty");
    pv_append(t, pattern, "source", pv_list1(t, pv_string(t, tr->source->text, tr->source->loc)), at);
    if ((o = tr->opt[TRIG_DETAIL_TYPE]) && resolve_text(t->c, o->text))
      pv_append(t, pattern, "detail-type", pv_list1(t, pv_string(t, o->text->text, o->text->loc)), at);
    break;
  case TR_WORKFLOW: {
    struct decl *w = table_get(t->names, tr->target.text);
    if (name_unchecked(t->c, w)) return;
    if (!w || w->kind != D_WORKFLOW) {
      diag_error(t->d, tr->target.loc, w ? "'%s' is not a workflow of this program: 'on workflow' "
                 "watches workflows defined here" : "no workflow named '%s' in this program", tr->target.text);
      return;
    }
    if (w->workflow == t->wf && strcmp(tr->what.text, "started") != 0)
      diag_warning(t->d, W_SELF_TRIGGER, tr->loc, "workflow '%s' starts itself each time it %s", t->wf->name.text, tr->what.text);
    const char *status = NULL;
    for (size_t i = 0; i < sizeof workflow_statuses / sizeof *workflow_statuses; i++)
      if (!strcmp(tr->what.text, workflow_statuses[i].word)) status = workflow_statuses[i].status;
    if (!status) {
      diag_error(t->d, tr->what.loc, "a workflow status is started, succeeded, failed, timed out "
                 "or aborted, not '%s'", tr->what.text);
      return;
    }
    tr->target_decl = w;
    pv_append(t, pattern, "source", pv_list1(t, pv_string(t, "aws.states", at)), at);
    pv_append(t, pattern, "detail-type",
              pv_list1(t, pv_string(t, "Step Functions Execution Status Change", at)), at);
    struct value *detail = pv_new(t, V_OBJECT, at);
    pv_append(t, detail, "status", pv_list1(t, pv_string(t, status, tr->what.loc)), at);
    pv_append(t, detail, "stateMachineArn",
              pv_list1(t, pv_string(t, state_machine_arn(t->c, w->name.text), tr->target.loc)), at);
    pv_append(t, pattern, "detail", detail, at);
    break;
  }
  case TR_PATTERN: check_value_plain(t->c, pattern); break;
  }
  if ((o = tr->opt[TRIG_WHERE]) && pattern) compile_where(t, tr, pattern, o->where);
  if (!tr->scheduler && pattern) pattern_check(t->d, pattern);
  tr->pattern = tr->scheduler ? NULL : pattern;

  if ((o = tr->opt[TRIG_BUS])) {
    struct decl *bus = lookup(t, o->ref, D_RESOURCE, R_BUS, "bus");
    tr->bus = bus;
    const char *arn = bus ? bus->value->text : NULL;
    if (arn && !strncmp(arn, "arn:", 4) && t->c->account && !strstr(arn, t->c->account))
      diag_error(t->d, o->ref.loc, "bus '%s' is in another account: a rule can only be created on a "
                 "bus of the account it is deployed to", o->ref.text);
  } else if (tr->kind == TR_EVENT && tr->target_decl && tr->target_decl->event_bus) {
    tr->bus_name = tr->target_decl->event_bus;
  }
  if ((o = tr->opt[TRIG_WITH])) {
    check_value_plain(t->c, o->value);
    check_target_input(t, tr, o->value);
    if (tr->opt[TRIG_FROM])
      diag_error(t->d, tr->opt[TRIG_FROM]->loc, "a trigger takes 'with' or 'from', not both");
    tr->transformer = value_has_path(o->value);
    if (tr->transformer) check_template_text(t, o->value);
  }
  if ((o = tr->opt[TRIG_FROM])) {
    if (tr->scheduler) diag_error(t->d, o->loc, "a schedule has no event to read: 'from' does not apply");
    else check_target_input(t, tr, o->value);
  }
  /* Ranges and lengths are AWS limits, checked by lower_triggers.c on what is sent. */
  if ((o = tr->opt[TRIG_RETRY]) && o->has_attempts && !o->attempts_whole)
    diag_error(t->d, o->loc, "retry attempts are a whole number");
  if ((o = tr->opt[TRIG_DEAD_LETTER])) {
    struct decl *q = lookup(t, o->ref, D_RESOURCE, R_QUEUE, "queue");
    if (q && strlen(q->value->text) > 5 && !strcmp(q->value->text + strlen(q->value->text) - 5, ".fifo"))
      diag_error(t->d, o->ref.loc, "a dead-letter queue must be a standard queue, not FIFO");
    tr->dead_letter = q;
  }
  if ((o = tr->opt[TRIG_DESCRIPTION])) resolve_text(t->c, o->text);
  if ((o = tr->opt[TRIG_NAME])) {
    if (resolve_text(t->c, o->text))
      report_aws_name(t->d, tr->kind == TR_SCHEDULE ? NAME_SCHEDULE : NAME_RULE, o->text->text,
                      o->text->loc);
    tr->name = o->text->text;
  } else {
    tr->name = derive_name(t, tr, index);
  }
  struct trigger *other = table_get(t->rule_names, tr->name);
  if (other) {
    struct loc name_at = tr->opt[TRIG_NAME] ? tr->opt[TRIG_NAME]->text->loc : tr->loc;
    int line, col;
    diag_line_col(t->d, other->loc.file, other->loc.start, &line, &col);
    diag_error(t->d, name_at, "a rule or schedule named '%s' already exists (the trigger at %s:%d:%d)%s",
               tr->name, t->d->files[other->loc.file].name, line, col,
               tr->opt[TRIG_NAME] ? "" : "; give one of them a 'name'");
  } else {
    table_put(t->rule_names, tr->name, tr);
  }
}

void check_triggers(struct compilation *c, struct table *names) {
  struct table rule_names = {0};
  struct tctx t = {c, &c->diag, &c->arena, names, &rule_names, NULL};
  for (struct decl *d = c->program.decls; d; d = d->next) {
    if (d->kind != D_WORKFLOW) continue;
    t.wf = d->workflow;
    int index = 0;
    for (struct trigger *tr = d->workflow->triggers; tr; tr = tr->next) check_trigger(&t, tr, ++index);
  }
  /* Role names that collide are found in lowering (lower.c, claim_roles). */
    /* allow start by ROLE: a declared role */
  for (struct decl *d = c->program.decls; d; d = d->next) {
    if (d->kind != D_WORKFLOW) continue;
    t.wf = d->workflow;
    for (struct allowed_starter *a = d->workflow->starters; a; a = a->next)
      a->decl = lookup(&t, a->role, D_RESOURCE, R_ROLE, "role");
  }
    /* An `on event E` that nothing in the program emits, for an event of our own. */
  for (struct decl *d = c->program.decls; d; d = d->next) {
    if (d->kind != D_WORKFLOW) continue;
    for (struct trigger *tr = d->workflow->triggers; tr; tr = tr->next) {
      if (tr->kind != TR_EVENT || !tr->target_decl) continue;
      struct decl *e = tr->target_decl;
      if (!e->emitted && e->event_source && strncmp(e->event_source, "aws.", 4) != 0)
        diag_warning(&c->diag, W_NEVER_FIRES, tr->target.loc, "nothing in this program emits event '%s', and its "
                     "source '%s' is not an AWS service: this trigger may never fire",
                     e->name.text, e->event_source);
    }
  }
  table_free(&rule_names);
}
