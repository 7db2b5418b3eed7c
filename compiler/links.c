/* links.c: how the workflows of a program start each other through EventBridge.
 *
 * For each event a workflow sends (a PutEvents entry of its definition) and each
 * status change of its executions (source aws.states, one per status), every rule of
 * the program on the same bus is asked whether its pattern can match that event.
 * What the event holds is partly known: its source and detail-type are constants,
 * its detail is a payload template whose paths are only known at run time. So a
 * match is three-valued: it cannot match, it may (it depends on a value sfc cannot
 * see), or it does. The pattern grammar is EventBridge's: exact values, prefix,
 * suffix, equals-ignore-case, wildcard, anything-but, numeric, exists and $or;
 * cidr is "may" (sfc does not read addresses). A link is a fact of the model, for the
 * docs printers, which derive nothing.
 */
#define _POSIX_C_SOURCE 200809L /* strncasecmp */
#include "sfc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum verdict { NO = 0, MAYBE = 1, YES = 2 };

/* What the event holds at some key: a known JSON value, something only known at run
   time, or nothing (the key is absent). */
struct held {
  const struct jnode *value; /* known */
  bool unknown;
};

static enum verdict and_v(enum verdict a, enum verdict b) { return a < b ? a : b; }
static enum verdict or_v(enum verdict a, enum verdict b) { return a > b ? a : b; }

static bool is_string(const struct jnode *n) { return n && n->kind == JN_STRING; }

static bool glob(const char *p, const char *s) { /* EventBridge wildcard: * is any run */
  if (!*p) return !*s;
  if (*p == '*') return glob(p + 1, s) || (*s && glob(p, s + 1));
  if (*p == '\\' && p[1]) p++;
  return *s == *p && glob(p + 1, s + 1);
}

static bool same_value(const struct jnode *a, const struct jnode *b) {
  if (a->kind != b->kind) return false;
  if (a->kind == JN_STRING) return a->len == b->len && !memcmp(a->text, b->text, a->len);
  if (a->kind == JN_NUMBER) return a->number == b->number;
  return a->kind == JN_TRUE || a->kind == JN_FALSE || a->kind == JN_NULL;
}

static bool numeric(const struct jnode *ops, double x) {
  for (const struct jnode *op = ops->items; op && op->next; op = op->next->next) {
    if (!is_string(op) || op->next->kind != JN_NUMBER) return false;
    double n = op->next->number;
    const char *o = op->text;
    bool ok = !strcmp(o, "=") ? x == n : !strcmp(o, "<") ? x < n : !strcmp(o, "<=") ? x <= n
              : !strcmp(o, ">") ? x > n : !strcmp(o, ">=") ? x >= n : false;
    if (!ok) return false;
  }
  return true;
}

/* One string test ({prefix: s}, {suffix: s}, {equals-ignore-case: s}, {wildcard: s},
   or a plain string for anything-but) on the string V. */
static bool string_test(const struct jmember *m, const char *v) {
  const struct jnode *p = m->value;
  if (p->kind == JN_OBJECT && p->members && !strcmp(m->key, "prefix") &&
      !strcmp(p->members->key, "equals-ignore-case") && is_string(p->members->value))
    return !strncasecmp(v, p->members->value->text, p->members->value->len);
  if (!is_string(p)) return false;
  size_t n = strlen(v);
  if (!strcmp(m->key, "prefix")) return !strncmp(v, p->text, p->len);
  if (!strcmp(m->key, "suffix")) return n >= p->len && !memcmp(v + n - p->len, p->text, p->len);
  if (!strcmp(m->key, "equals-ignore-case")) return !strcasecmp(v, p->text);
  if (!strcmp(m->key, "wildcard")) return glob(p->text, v);
  return false;
}

/* One matcher of a pattern's array against one known value, or the field as a whole. */
static enum verdict one(const struct jnode *matcher, struct held f) {
  if (matcher->kind != JN_OBJECT) { /* an exact value */
    if (f.unknown) return MAYBE;
    return f.value && same_value(matcher, f.value) ? YES : NO;
  }
  const struct jmember *m = matcher->members;
  if (!m) return NO;
  if (!strcmp(m->key, "exists"))
    return (m->value->kind == JN_TRUE) == (f.unknown || f.value != NULL) ? YES : NO;
  if (!f.unknown && !f.value) return NO; /* every other matcher needs the field */
  if (f.unknown || !strcmp(m->key, "cidr")) return MAYBE;
  const struct jnode *v = f.value;
  if (!strcmp(m->key, "numeric"))
    return v->kind == JN_NUMBER && m->value->kind == JN_ARRAY && numeric(m->value, v->number) ? YES : NO;
  if (!strcmp(m->key, "anything-but")) {
    const struct jnode *x = m->value;
    if (x->kind == JN_OBJECT && x->members)
      return is_string(v) && !string_test(x->members, v->text) ? YES : NO;
    for (const struct jnode *i = x->kind == JN_ARRAY ? x->items : x; i; i = x->kind == JN_ARRAY ? i->next : NULL)
      if (same_value(i, v)) return NO;
    return YES;
  }
  return is_string(v) && string_test(m, v->text) ? YES : NO;
}

/* A pattern's array of matchers against the field: any matcher, on any element when
   the event holds an array there. */
static enum verdict leaf(const struct jnode *matchers, struct held f) {
  enum verdict best = NO;
  for (const struct jnode *m = matchers->items; m; m = m->next) {
    if (f.value && f.value->kind == JN_ARRAY) {
      for (const struct jnode *e = f.value->items; e; e = e->next) best = or_v(best, one(m, (struct held){e, false}));
      if (m->kind == JN_OBJECT && m->members && !strcmp(m->members->key, "exists")) best = or_v(best, one(m, f));
    } else {
      best = or_v(best, one(m, f));
    }
  }
  return best;
}

static struct held member_of(struct held f, const char *key) {
  if (f.unknown || !f.value || f.value->kind != JN_OBJECT) return (struct held){NULL, f.unknown};
  const struct jmember *m = json_pos_get(f.value, key);
  if (m) return (struct held){m->value, false};
  /* a payload template: KEY.$ is a path, known only at run time */
  for (const struct jmember *x = f.value->members; x; x = x->next)
    if (x->key_len == strlen(key) + 2 && !strncmp(x->key, key, strlen(key)) && !strcmp(x->key + strlen(key), ".$"))
      return (struct held){NULL, true};
  return (struct held){NULL, false};
}

static enum verdict pattern_match(const struct jnode *pattern, struct held event) {
  if (event.value && event.value->kind == JN_STRING && event.value->len >= 2 &&
      !strncmp(event.value->text, "{%", 2))
    event = (struct held){NULL, true}; /* a JSONata expression: known at run time */
  enum verdict all = YES;
  for (const struct jmember *m = pattern->members; m; m = m->next) {
    if (!strcmp(m->key, "$or") && m->value->kind == JN_ARRAY) {
      enum verdict any = NO;
      for (const struct jnode *alt = m->value->items; alt; alt = alt->next)
        if (alt->kind == JN_OBJECT) any = or_v(any, pattern_match(alt, event));
      all = and_v(all, any);
    } else if (m->value->kind == JN_ARRAY) {
      all = and_v(all, leaf(m->value, member_of(event, m->key)));
    } else if (m->value->kind == JN_OBJECT) {
      all = and_v(all, pattern_match(m->value, member_of(event, m->key)));
    }
  }
  return all;
}

/* ------------------------------------------------------------------ events */

static struct jnode *str(struct arena *a, const char *s) { return jn_str(a, s, (struct loc){0}); }

static const struct jnode *entry_value(const struct jnode *entry, const char *key, bool *unknown) {
  const struct jnode *v = jn_get(entry, key);
  if (v) return v;
  char path[64];
  snprintf(path, sizeof path, "%s.$", key);
  *unknown = *unknown || json_pos_get(entry, path) != NULL;
  return NULL;
}

/* What EventBridge adds to every event, known only when it is sent. */
static void envelope(struct arena *a, struct jnode *event) {
  static const char *const fields[] = {"version.$", "id.$", "account.$", "region.$", "time.$", "resources.$"};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    jn_put(a, event, fields[i], (struct loc){0}, str(a, "$"));
}

static void add_link(struct arena *a, struct model *m, struct model_link l) {
  if (m->nlinks % 16 == 0) {
    struct model_link *more = arena_alloc(a, (size_t)(m->nlinks + 16) * sizeof *more);
    if (m->nlinks) memcpy(more, m->links, (size_t)m->nlinks * sizeof *more);
    m->links = more;
  }
  m->links[m->nlinks++] = l;
}

/* Every rule of the program that EVENT (on BUS) can start. */
static int link_event(struct compilation *c, struct model *m, struct model_link base, const char *bus,
                      const struct jnode *event) {
  int n = 0;
  for (int w = 0; w < m->nworkflows; w++)
    for (int t = 0; t < m->workflows[w].ntriggers; t++) {
      const struct model_trigger *r = &m->workflows[w].triggers[t];
      if (r->kind != MODEL_RULE) continue;
      const char *rule_bus = r->bus ? r->bus : "default";
      if (strcmp(rule_bus, bus) && !strstr(rule_bus, bus)) continue;
      enum verdict v = pattern_match(r->pattern, (struct held){event, false});
      if (v == NO) continue;
      struct model_link l = base;
      l.to_workflow = m->workflows[w].name;
      l.trigger = r->name;
      l.certain = v == YES;
      add_link(&c->arena, m, l);
      n++;
    }
  return n;
}

/* The PutEvents entries of a state list, with nested bodies. */
static void emits_of(struct compilation *c, struct model *m, const struct model_workflow *w,
                     const struct jnode *states) {
  struct arena *a = &c->arena;
  for (const struct jmember *s = states && states->kind == JN_OBJECT ? states->members : NULL; s; s = s->next) {
    const struct jnode *st = s->value;
    const struct jnode *body;
    for (int i = 0; (body = asl_state_body(st, i)); i++) emits_of(c, m, w, jn_get(body, "States"));
    const char *resource = jn_get_text(st, "Resource");
    if (!resource || !strstr(resource, ":states:::events:putEvents")) continue;
    const struct jnode *params = jn_get(st, "Parameters");
    if (!params) params = jn_get(st, "Arguments");
    const struct jnode *entries = jn_get(params, "Entries");
    for (const struct jnode *e = entries && entries->kind == JN_ARRAY ? entries->items : NULL; e; e = e->next) {
      if (e->kind != JN_OBJECT) continue;
      bool unknown = false;
      const struct jnode *source = entry_value(e, "Source", &unknown);
      const struct jnode *type = entry_value(e, "DetailType", &unknown);
      const struct jnode *bus = entry_value(e, "EventBusName", &unknown);
      const struct jnode *detail = entry_value(e, "Detail", &unknown);
      struct jnode *event = jn_new(a, JN_OBJECT, (struct loc){0});
      if (source) jn_put(a, event, "source", (struct loc){0}, (struct jnode *)source);
      if (type) jn_put(a, event, "detail-type", (struct loc){0}, (struct jnode *)type);
      if (detail) jn_put(a, event, "detail", (struct loc){0}, (struct jnode *)detail);
      else jn_put(a, event, "detail.$", (struct loc){0}, str(a, "$")); /* known at run time */
      if (!source) jn_put(a, event, "source.$", (struct loc){0}, str(a, "$"));
      if (!type) jn_put(a, event, "detail-type.$", (struct loc){0}, str(a, "$"));
      envelope(a, event);
      struct model_link base = {w->name, s->key, is_string(source) ? source->text : "?",
                                is_string(type) ? type->text : "?", NULL, NULL, NULL, false, false};
      int n = link_event(c, m, base, is_string(bus) ? bus->text : "default", event);
      if (!n) { /* sent, and nothing in the program starts from it */
        base.unconsumed = true;
        add_link(&c->arena, m, base);
      }
    }
  }
}

void link_program(struct compilation *c, struct model *m) {
  static const char *const statuses[] = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"};
  struct arena *a = &c->arena;
  for (int i = 0; i < m->nworkflows; i++) {
    const struct model_workflow *w = &m->workflows[i];
    emits_of(c, m, w, jn_get(w->definition, "States"));
    for (size_t k = 0; k < sizeof statuses / sizeof *statuses; k++) {
      struct jnode *detail = jn_new(a, JN_OBJECT, (struct loc){0});
      jn_put(a, detail, "stateMachineArn", (struct loc){0}, str(a, w->arn));
      jn_put(a, detail, "status", (struct loc){0}, str(a, statuses[k]));
      jn_put(a, detail, "executionArn.$", (struct loc){0}, str(a, "$"));
      struct jnode *event = jn_new(a, JN_OBJECT, (struct loc){0});
      jn_put(a, event, "source", (struct loc){0}, str(a, "aws.states"));
      jn_put(a, event, "detail-type", (struct loc){0}, str(a, "Step Functions Execution Status Change"));
      jn_put(a, event, "detail", (struct loc){0}, detail);
      envelope(a, event);
      struct model_link base = {w->name, NULL, "aws.states", "Step Functions Execution Status Change",
                                statuses[k], NULL, NULL, false, false};
      link_event(c, m, base, "default", event);
    }
  }
}
