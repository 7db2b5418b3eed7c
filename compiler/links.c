/* links.c: how the workflows of a program start each other through EventBridge.
 *
 * For each event a workflow sends (a PutEvents entry of its definition) and each
 * status change of its executions (source aws.states, one per status), every rule of
 * the program on the same bus is asked whether its pattern can match that event.
 * What the event holds is partly known: its source and detail-type are constants,
 * its detail is a payload template whose paths are only known at run time. So a
 * match is three-valued: it cannot match, it may (it depends on a value sfc cannot
 * see), or it does. The matching is the runtime's (runtime/match.c, mt_match3), on
 * the event as JSON where every value known only at run time is one marker. A link
 * is a fact of the model, for the docs printers, which derive nothing.
 */
#include "sfc.h"
#include "match.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool is_string(const struct jnode *n) { return n && n->kind == JN_STRING; }

/* N as the event holds it: a payload template's "KEY.$" (a path) and "{% ... %}"
   (JSONata) are values known at run time, so they become UNKNOWN. */
static json_t *event_value(const struct jnode *n, json_t *unknown) {
  if (n->kind == JN_STRING && n->len >= 2 && !strncmp(n->text, "{%", 2)) return json_incref(unknown);
  if (n->kind == JN_ARRAY) {
    json_t *a = json_array();
    for (const struct jnode *i = n->items; i; i = i->next)
      json_array_append_new(a, event_value(i, unknown));
    return a;
  }
  if (n->kind != JN_OBJECT) return jn_to_json(n);
  json_t *o = json_object();
  for (const struct jmember *m = n->members; m; m = m->next) {
    if (m->key_len > 2 && !strcmp(m->key + m->key_len - 2, ".$")) {
      char *key = xmalloc(m->key_len - 1);
      memcpy(key, m->key, m->key_len - 2);
      key[m->key_len - 2] = 0;
      if (!json_pos_get(n, key)) json_object_set(o, key, unknown); /* a known value wins */
      free(key);
    } else {
      json_object_setn_new(o, m->key, m->key_len, event_value(m->value, unknown));
    }
  }
  return o;
}

/* What EventBridge adds to every event, known only when it is sent. */
static void envelope(json_t *event, json_t *unknown) {
  static const char *const fields[] = {"version", "id", "account", "region", "time", "resources"};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) json_object_set(event, fields[i], unknown);
}

/* The rules of the program, each pattern compiled once. */
struct linked_rule {
  const char *workflow;
  const struct model_trigger *trigger;
  struct mt_pattern *pattern;
};

struct linker {
  struct compilation *c;
  struct model *m;
  struct linked_rule *rules;
  int nrules;
  json_t *unknown;          /* the marker of values known at run time */
};

static void add_link(struct arena *a, struct model *m, struct model_link l) {
  if (m->nlinks % 16 == 0) {
    struct model_link *more = arena_alloc(a, (size_t)(m->nlinks + 16) * sizeof *more);
    if (m->nlinks) memcpy(more, m->links, (size_t)m->nlinks * sizeof *more);
    m->links = more;
  }
  m->links[m->nlinks++] = l;
}

/* Every rule of the program that EVENT (on BUS) can start. */
static int link_event(struct linker *k, struct model_link base, const char *bus, const json_t *event) {
  int n = 0;
  for (int i = 0; i < k->nrules; i++) {
    const struct model_trigger *r = k->rules[i].trigger;
    const char *rule_bus = r->bus ? r->bus : "default";
    if (strcmp(rule_bus, bus) && !strstr(rule_bus, bus)) continue;
    enum mt_verdict v = mt_match3(k->rules[i].pattern, event, k->unknown);
    if (v == MT_NO) continue;
    struct model_link l = base;
    l.to_workflow = k->rules[i].workflow;
    l.trigger = r->name;
    l.certain = v == MT_YES;
    add_link(&k->c->arena, k->m, l);
    n++;
  }
  return n;
}

/* An entry's KEY as the event holds it; absent or a path ("KEY.$"), it is known only
   at run time. */
static void event_field(json_t *event, const char *field, const struct jnode *entry,
                        const char *key, json_t *unknown) {
  const struct jnode *v = jn_get(entry, key);
  json_object_set_new(event, field, v ? event_value(v, unknown) : json_incref(unknown));
}

/* The PutEvents entries of a state list, with nested bodies. */
static void emits_of(struct linker *k, const struct model_workflow *w, const struct jnode *states) {
  for (const struct jmember *s = states && states->kind == JN_OBJECT ? states->members : NULL; s; s = s->next) {
    const struct jnode *st = s->value;
    const struct jnode *body;
    for (int i = 0; (body = asl_state_body(st, i)); i++) emits_of(k, w, jn_get(body, "States"));
    const char *resource = jn_get_text(st, "Resource");
    if (!resource || !strstr(resource, ":states:::events:putEvents")) continue;
    const struct jnode *params = jn_get(st, "Parameters");
    if (!params) params = jn_get(st, "Arguments");
    const struct jnode *entries = jn_get(params, "Entries");
    for (const struct jnode *e = entries && entries->kind == JN_ARRAY ? entries->items : NULL; e; e = e->next) {
      if (e->kind != JN_OBJECT) continue;
      const struct jnode *source = jn_get(e, "Source"), *type = jn_get(e, "DetailType");
      const struct jnode *bus = jn_get(e, "EventBusName");
      json_t *event = json_object();
      event_field(event, "source", e, "Source", k->unknown);
      event_field(event, "detail-type", e, "DetailType", k->unknown);
      event_field(event, "detail", e, "Detail", k->unknown);
      envelope(event, k->unknown);
      struct model_link base = {w->name, s->key, is_string(source) ? source->text : "?",
                                is_string(type) ? type->text : "?", NULL, NULL, NULL, false, false};
      int n = link_event(k, base, is_string(bus) ? bus->text : "default", event);
      json_decref(event);
      if (!n) { /* sent, and nothing in the program starts from it */
        base.unconsumed = true;
        add_link(&k->c->arena, k->m, base);
      }
    }
  }
}

void link_program(struct compilation *c, struct model *m) {
  static const char *const statuses[] = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"};
  struct linker k = {c, m, NULL, 0, json_string("(known at run time)")};
  for (int w = 0; w < m->nworkflows; w++) k.nrules += m->workflows[w].ntriggers;
  k.rules = arena_alloc(&c->arena, (size_t)(k.nrules ? k.nrules : 1) * sizeof *k.rules);
  k.nrules = 0;
  for (int w = 0; w < m->nworkflows; w++)
    for (int t = 0; t < m->workflows[w].ntriggers; t++) {
      const struct model_trigger *r = &m->workflows[w].triggers[t];
      if (r->kind != MODEL_RULE) continue;
      json_t *pattern = jn_to_json(r->pattern);
      char *why = NULL;
      struct mt_pattern *p = mt_compile(pattern, &why);
      json_decref(pattern);
      free(why); /* a pattern the checker refused never gets here */
      if (p) k.rules[k.nrules++] = (struct linked_rule){m->workflows[w].name, r, p};
    }
  for (int i = 0; i < m->nworkflows; i++) {
    const struct model_workflow *w = &m->workflows[i];
    emits_of(&k, w, jn_get(w->definition, "States"));
    for (size_t s = 0; s < sizeof statuses / sizeof *statuses; s++) {
      json_t *detail = json_pack("{s:s, s:s, s:O}", "stateMachineArn", w->arn, "status",
                                 statuses[s], "executionArn", k.unknown);
      json_t *event = json_pack("{s:s, s:s, s:o}", "source", "aws.states", "detail-type",
                                "Step Functions Execution Status Change", "detail", detail);
      envelope(event, k.unknown);
      struct model_link base = {w->name, NULL, "aws.states", "Step Functions Execution Status Change",
                                statuses[s], NULL, NULL, false, false};
      link_event(&k, base, "default", event);
      json_decref(event);
    }
  }
  for (int i = 0; i < k.nrules; i++) mt_free(k.rules[i].pattern);
  json_decref(k.unknown);
}
