/* emit_docs.c: docs and diagrams of the program (`sfc docs`, `--emit docs`).
 *
 *   W.md        per workflow: what it does (its comment), the diagram (Mermaid, so it
 *               renders on GitHub and GitLab), its triggers, a table of its states
 *               (kind, resource, retry, catch, timeout; each with an anchor
 *               #state-NAME), the events it sends and who reacts to them, and the
 *               permissions its role holds with the states that need each
 *   W.mmd, W.dot  the workflow's diagram in Mermaid and in Graphviz: a node per
 *               state, shaped by kind; parallel branches and map bodies as
 *               subgraphs; choice edges labelled with their conditions as written in
 *               the source; catch edges dashed, labelled with their errors; retries
 *               and timeouts noted on the state; the triggers and sent events as nodes
 *   README.md, system.mmd, system.dot  the program: which workflow sends which
 *               event, which rules it can match (links.c decides, from the patterns),
 *               which workflow each starts, status-change chains, and what starts
 *               workflows from outside (S3, schedules, other sources)
 *
 * A printer: everything comes from the model. Node ids come from state and workflow
 * names (an injective spelling, so a small change to the source is a small change to
 * the diagram) and everything is printed in definition order.
 */
#include "sfc.h"

#include <jansson.h>
#include <string.h>

/* ------------------------------------------------------------------ escaping */

/* An id from NAME: letters and digits as they are, _ doubled, anything else _XX
   (hex), so two names never share one. */
static void add_id(struct buf *b, const char *prefix, const char *name) {
  buf_adds(b, prefix);
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) buf_addc(b, (char)*p);
    else if (*p == '_') buf_adds(b, "__");
    else buf_printf(b, "_%02X", *p);
  }
}

/* Text inside a quoted Mermaid label: anything but letters, digits, space and a few
   signs as an entity code (#35; is #), so no text can end the label or the line. */
static void add_mermaid(struct buf *b, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(" .,:/_-+*=()'", *p) ||
        *p >= 0x80)
      buf_addc(b, (char)*p);
    else if (*p < 0x20)
      buf_addc(b, ' ');
    else
      buf_printf(b, "#%d;", *p);
  }
}

/* Text inside a Graphviz HTML-like label. */
static void add_html(struct buf *b, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '&': buf_adds(b, "&amp;"); break;
    case '<': buf_adds(b, "&lt;"); break;
    case '>': buf_adds(b, "&gt;"); break;
    case '"': buf_adds(b, "&quot;"); break;
    case '\\': buf_adds(b, "\\\\"); break; /* \N and the like expand even in HTML labels */
    default: buf_addc(b, *p < 0x20 ? ' ' : (char)*p);
    }
  }
}

/* Text in Markdown (a paragraph or a table cell): nothing in it is markup. */
static void add_md(struct buf *b, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '<') buf_adds(b, "&lt;");
    else if (*p == '>') buf_adds(b, "&gt;");
    else if (*p == '&') buf_adds(b, "&amp;");
    else if (*p < 0x20) buf_addc(b, ' ');
    else if (strchr("\\`*_[]|#!~", *p)) buf_printf(b, "\\%c", *p);
    else buf_addc(b, (char)*p);
  }
}

/* Code in a Markdown table cell: `text`, with | escaped and no backquote inside. */
static void add_md_code(struct buf *b, const char *s) {
  buf_addc(b, '`');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '|') buf_adds(b, "\\|");
    else if (*p == '`' || *p < 0x20) buf_addc(b, *p == '`' ? '\'' : ' ');
    else buf_addc(b, (char)*p);
  }
  buf_addc(b, '`');
}

/* GitHub's anchor for a heading or name: lower case, spaces to -, other punctuation
   but - and _ dropped. */
static void add_anchor(struct buf *b, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p >= 'A' && *p <= 'Z') buf_addc(b, (char)(*p - 'A' + 'a'));
    else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p >= 0x80) buf_addc(b, (char)*p);
    else if (*p == ' ') buf_addc(b, '-');
  }
}

/* ------------------------------------------------------------------ diagrams */

enum shape { SH_TASK, SH_CHOICE, SH_WAIT, SH_PASS, SH_SUCCEED, SH_FAIL, SH_GROUP, SH_TRIGGER, SH_EVENT,
             SH_START, SH_END, SH_WORKFLOW };

static const struct {
  const char *type;               /* the ASL Type, or NULL */
  const char *open, *close;       /* Mermaid's brackets for the shape */
  const char *dot;                /* Graphviz's node attributes */
} shapes[] = {
    [SH_TASK] = {"Task", "[\"", "\"]", "shape=box, style=rounded"},
    [SH_CHOICE] = {"Choice", "{\"", "\"}", "shape=diamond"},
    [SH_WAIT] = {"Wait", "([\"", "\"])", "shape=ellipse"},
    [SH_PASS] = {"Pass", "[/\"", "\"/]", "shape=parallelogram"},
    [SH_SUCCEED] = {"Succeed", "((\"", "\"))", "shape=circle"},
    [SH_FAIL] = {"Fail", "{{\"", "\"}}", "shape=octagon"},
    [SH_GROUP] = {NULL, "[[\"", "\"]]", "shape=box, peripheries=2"},
    [SH_TRIGGER] = {NULL, ">\"", "\"]", "shape=cds"},
    [SH_EVENT] = {NULL, "[(\"", "\")]", "shape=cylinder"},
    [SH_START] = {NULL, "((\"", "\"))", "shape=circle, style=filled, fillcolor=black, fontcolor=white"},
    [SH_END] = {NULL, "(((\"", "\")))", "shape=doublecircle"},
    [SH_WORKFLOW] = {NULL, "[\"", "\"]", "shape=box"},
};

/* A diagram written in both languages at once. */
struct diagram {
  struct buf mmd, dot;
  struct buf *mm;                 /* where Mermaid goes: &mmd, or &hidden inside a collapsed body */
  struct buf hidden;
  int depth;                      /* subgraph nesting, for indentation */
  bool collapse;                  /* a large workflow: Mermaid shows parallel and map bodies closed */
  int notes;                      /* catch notes so far, for their ids */
};

static void indent(struct diagram *g) {
  buf_printf(g->mm, "%*s", 2 * g->depth + 2, "");
  buf_printf(&g->dot, "%*s", 2 * g->depth + 2, "");
}

/* A node ID shaped SHAPE with LABEL (and a second line NOTE, or NULL). */
static void node(struct diagram *g, const char *id, enum shape shape, const char *label, const char *note) {
  indent(g);
  buf_printf(g->mm, "%s%s", id, shapes[shape].open);
  add_mermaid(g->mm, label);
  if (note) buf_adds(g->mm, "<br/>"), add_mermaid(g->mm, note);
  buf_printf(g->mm, "%s\n", shapes[shape].close);
  buf_printf(&g->dot, "\"%s\" [%s, label=<", id, shapes[shape].dot);
  add_html(&g->dot, label);
  if (note) buf_adds(&g->dot, "<br/><font point-size=\"10\">"), add_html(&g->dot, note), buf_adds(&g->dot, "</font>");
  buf_adds(&g->dot, ">];\n");
}

/* An edge from a group's box (a parallel or map state, once its body is done) or
   from a node; DASHED for catches and links that may not happen. */
static void group_edge(struct diagram *g, const char *from, bool group, const char *to, const char *label,
                       bool dashed) {
  indent(g);
  buf_printf(g->mm, "%s%s %s", from, group && !g->collapse ? "_group" : "", dashed ? "-.->" : "-->");
  if (label && *label) buf_adds(g->mm, "|\""), add_mermaid(g->mm, label), buf_adds(g->mm, "\"|");
  buf_printf(g->mm, " %s\n", to);
  buf_printf(&g->dot, "\"%s\" -> \"%s\"", from, to);
  const char *sep = " [";
  if (dashed) buf_printf(&g->dot, "%sstyle=dashed", sep), sep = ", ";

  if (group) buf_printf(&g->dot, "%sltail=\"cluster_%s\"", sep, from), sep = ", ";
  if (label && *label) buf_printf(&g->dot, "%slabel=<", sep), add_html(&g->dot, label), buf_adds(&g->dot, ">"), sep = ", ";
  buf_adds(&g->dot, *sep == ',' ? "];\n" : ";\n");
}

/* A catch in a large workflow: Mermaid gets the edge; Graphviz a short one to a
   "-> TARGET" note beside the state, since long edges across hundreds of states make
   dot's layout take minutes (and Graphviz 2.43 crashes on them with constraint=false). */
static void catch_note(struct diagram *g, const char *from, bool group, const char *to, const char *target,
                       const char *errors) {
  struct buf dot = g->dot;
  g->dot = (struct buf){0};
  group_edge(g, from, group, to, errors, true); /* Mermaid's edge; its DOT is dropped */
  buf_free(&g->dot);
  g->dot = dot;
  int n = ++g->notes;
  indent(g);
  buf_printf(&g->dot, "\"%s_catch_%d\" [shape=plaintext, label=<&#8594; ", from, n);
  add_html(&g->dot, target);
  buf_printf(&g->dot, ">];\n");
  indent(g);
  buf_printf(&g->dot, "\"%s\" -> \"%s_catch_%d\" [style=dashed, ", from, from, n);
  if (group) buf_printf(&g->dot, "ltail=\"cluster_%s\", ", from);
  buf_adds(&g->dot, "label=<");
  add_html(&g->dot, errors);
  buf_adds(&g->dot, ">];\n");
}

static void edge(struct diagram *g, const char *from, const char *to, const char *label, bool dashed) {
  group_edge(g, from, false, to, label, dashed);
}

static void group_begin(struct diagram *g, const char *id, const char *title) {
  indent(g);
  buf_printf(g->mm, "subgraph %s_group [\"", id);
  add_mermaid(g->mm, title);
  buf_adds(g->mm, "\"]\n");
  buf_printf(&g->dot, "subgraph \"cluster_%s\" {\n", id);
  g->depth++;
  indent(g);
  buf_adds(&g->dot, "label=<");
  add_html(&g->dot, title);
  buf_adds(&g->dot, ">;\n");
}

static void group_end(struct diagram *g) {
  g->depth--;
  indent(g);
  buf_adds(g->mm, "end\n");
  buf_adds(&g->dot, "}\n");
}

/* ------------------------------------------------------------------ reading ASL */

struct docs {
  struct compilation *c;
  const struct model *m;
  struct outputs *out;
  const char *workflow;           /* the one being drawn */
};

/* Above this many states, the Mermaid diagram (which GitHub renders in a page of
   limited size, and Mermaid refuses past 500 edges) shows parallel and map bodies
   closed; the Graphviz diagram always shows everything. */
#define DOCS_OPEN_STATES 100

/* The source text a node was lowered from (a choice rule's condition), spaced as sfc
   fmt spaces it, so the docs do not change with the layout. */
static const char *source_text(struct docs *d, const struct jnode *n) {
  struct loc at = jn_loc(n);
  if (at.file < 0 || at.file >= d->c->diag.nfiles || at.end <= at.start) return NULL;
  const struct source *src = &d->c->diag.files[at.file];
  if (at.end > (int)src->len) return NULL;
  const char *text = fmt_one_line(&d->c->arena, src->text + at.start, (size_t)(at.end - at.start));
  if (strlen(text) > 80) return arena_printf(&d->c->arena, "%.77s...", text);
  return text;
}

/* STATE and every state in its bodies. */
static int count_states(const struct jnode *state) {
  int n = 1;
  const struct jnode *body;
  for (int i = 0; (body = asl_state_body(state, i)); i++) {
    const struct jnode *states = jn_get(body, "States");
    for (const struct jmember *m = states && states->kind == JN_OBJECT ? states->members : NULL; m; m = m->next)
      n += count_states(m->value);
  }
  return n;
}

static enum shape shape_of(const struct jnode *state) {
  const char *type = jn_get_text(state, "Type");
  for (size_t i = 0; type && i < sizeof shapes / sizeof *shapes; i++)
    if (shapes[i].type && !strcmp(shapes[i].type, type)) return (enum shape)i;
  return SH_GROUP; /* Parallel, Map */
}

/* "retry 6x, timeout 60s" for a state, or NULL. */
static const char *note_of(struct docs *d, const struct jnode *state) {
  struct buf b = {0};
  const struct jnode *retry = jn_get(state, "Retry");
  if (retry && retry->kind == JN_ARRAY && retry->items) {
    const struct jnode *attempts = jn_get(retry->items, "MaxAttempts");
    buf_printf(&b, "retry %sx", attempts && attempts->kind == JN_NUMBER ? attempts->text : "3");
  }
  const struct jnode *timeout = jn_get(state, "TimeoutSeconds");
  if (timeout && timeout->kind == JN_NUMBER) buf_printf(&b, "%stimeout %ss", b.len ? ", " : "", timeout->text);
  const char *s = b.len ? arena_strndup(&d->c->arena, b.data, b.len) : NULL;
  buf_free(&b);
  return s;
}

/* A diagram id: PREFIX and NAME spelled by add_id. */
static const char *id_of(struct docs *d, const char *prefix, const char *name) {
  struct buf b = {0};
  add_id(&b, prefix, name);
  const char *s = arena_strndup(&d->c->arena, b.data, b.len);
  buf_free(&b);
  return s;
}

static const char *state_id(struct docs *d, const char *name) { return id_of(d, "s_", name); }

static const char *errors_of(struct docs *d, const struct jnode *catcher) {
  struct buf b = {0};
  const struct jnode *errors = jn_get(catcher, "ErrorEquals");
  for (const struct jnode *e = errors && errors->kind == JN_ARRAY ? errors->items : NULL; e; e = e->next)
    if (e->kind == JN_STRING) buf_printf(&b, "%s%s", b.len ? ", " : "", e->text);
  const char *s = arena_strndup(&d->c->arena, b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}

/* The states of one body (workflow, branch or map body) and their edges. */
static void body(struct docs *d, struct diagram *g, const struct jnode *machine) {
  const struct jnode *states = jn_get(machine, "States");
  for (const struct jmember *s = states && states->kind == JN_OBJECT ? states->members : NULL; s; s = s->next) {
    const char *id = state_id(d, s->key);
    enum shape shape = shape_of(s->value);
    const char *type = jn_get_text(s->value, "Type");
    bool closed = shape == SH_GROUP && g->collapse && g->mm == &g->mmd;
    if (closed) { /* Mermaid: the state alone, its body hidden; Graphviz: all of it */
      node(g, id, SH_GROUP, s->key, arena_printf(&d->c->arena, "%s, %d states inside (in %s.dot)",
                                                  type ? type : "?", count_states(s->value) - 1, d->workflow));
      g->mm = &g->hidden;
    }
    if (shape == SH_GROUP) {
      group_begin(g, id, arena_printf(&d->c->arena, "%s (%s)", s->key, type ? (!strcmp(type, "Map") ? "map" : "parallel") : "?"));
      node(g, id, SH_GROUP, s->key, note_of(d, s->value));
      bool map = type && !strcmp(type, "Map");
      const struct jnode *b;
      for (int n = 0; (b = asl_state_body(s->value, n)); n++) {
        group_begin(g, map ? arena_printf(&d->c->arena, "%s_items", id) : arena_printf(&d->c->arena, "%s_b%d", id, n + 1),
                    map ? "for each item" : arena_printf(&d->c->arena, "branch %d", n + 1));
        body(d, g, b);
        group_end(g);
        const char *start = jn_get_text(b, "StartAt");
        if (start) edge(g, id, state_id(d, start), map ? "each item" : NULL, false);
      }
      group_end(g);
    } else {
      node(g, id, shape, s->key, note_of(d, s->value));
    }
    if (closed) g->mm = &g->mmd, g->hidden.len = 0;
    bool group = shape == SH_GROUP;
    const char *next = jn_get_text(s->value, "Next");
    if (next) group_edge(g, id, group, state_id(d, next), NULL, false);
    const struct jnode *choices = jn_get(s->value, "Choices");
    for (const struct jnode *r = choices && choices->kind == JN_ARRAY ? choices->items : NULL; r; r = r->next) {
      const char *to = jn_get_text(r, "Next");
      if (to) edge(g, id, state_id(d, to), source_text(d, r), false);
    }
    const char *otherwise = jn_get_text(s->value, "Default");
    if (otherwise) edge(g, id, state_id(d, otherwise), "otherwise", false);
    const struct jnode *catches = jn_get(s->value, "Catch");
    for (const struct jnode *k = catches && catches->kind == JN_ARRAY ? catches->items : NULL; k; k = k->next) {
      const char *to = jn_get_text(k, "Next");
      if (to && g->collapse) catch_note(g, id, group, state_id(d, to), to, errors_of(d, k));
      else if (to) group_edge(g, id, group, state_id(d, to), errors_of(d, k), true);
    }
  }
}

/* One matcher of a pattern, as words: "x", "prefix p", "> 5", "exists". */
static void matcher_words(struct buf *b, const struct jnode *v) {
  if (v->kind == JN_STRING) { buf_add(b, v->text, v->len); return; }
  if (v->kind != JN_OBJECT || !v->members) {
    json_t *j = jn_to_json(v);
    json_write_compact(b, j);
    json_decref(j);
    return;
  }
  const struct jmember *m = v->members;
  if (!strcmp(m->key, "numeric") && m->value->kind == JN_ARRAY) {
    for (const struct jnode *op = m->value->items; op && op->next; op = op->next->next)
      buf_printf(b, "%s%s %s", op == m->value->items ? "" : " and ", op->kind == JN_STRING ? op->text : "?",
                 op->next->kind == JN_NUMBER ? op->next->text : "?");
    return;
  }
  if (!strcmp(m->key, "exists")) { buf_adds(b, m->value->kind == JN_TRUE ? "exists" : "absent"); return; }
  buf_printf(b, "%s ", m->key);
  if (m->value->kind == JN_ARRAY) {
    for (const struct jnode *i = m->value->items; i; i = i->next) {
      matcher_words(b, i);
      if (i->next) buf_adds(b, " or ");
    }
  } else {
    matcher_words(b, m->value);
  }
}

/* The pattern in words: "source aws.s3; detail-type Object Created; bucket.name x". */
static void pattern_words(struct buf *b, const struct jnode *p, const char *prefix) {
  for (const struct jmember *m = p->kind == JN_OBJECT ? p->members : NULL; m; m = m->next) {
    char path[256];
    snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", m->key);
    if (m->value->kind == JN_OBJECT) {
      pattern_words(b, m->value, !strcmp(path, "detail") ? "" : path); /* detail. goes without saying */
      continue;
    }
    if (b->len) buf_adds(b, "; ");
    buf_printf(b, "%s ", path);
    for (const struct jnode *i = m->value->kind == JN_ARRAY ? m->value->items : NULL; i; i = i->next) {
      matcher_words(b, i);
      if (i->next) buf_adds(b, " or ");
    }
  }
}

/* A trigger's node: "rule NAME" or "schedule NAME", and below it what it waits for. */
static const char *trigger_note(struct docs *d, const struct model_trigger *t) {
  if (t->kind == MODEL_SCHEDULE)
    return arena_printf(&d->c->arena, "%s in %s", t->expression, t->timezone ? t->timezone : "UTC");
  struct buf b = {0};
  pattern_words(&b, t->pattern, "");
  const char *s = b.len > 120 ? arena_printf(&d->c->arena, "%.117s...", b.data)
                              : arena_strndup(&d->c->arena, b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}

static const char *trigger_label(struct docs *d, const struct model_trigger *t) {
  return arena_printf(&d->c->arena, "%s %s", t->kind == MODEL_SCHEDULE ? "schedule" : "rule", t->name);
}

static void finish(struct docs *d, struct diagram *g, const char *base) {
  buf_adds(&g->dot, "}\n");
  outputs_add_text(d->out, arena_printf(&d->c->arena, "%s.mmd", base), g->mmd);
  outputs_add_text(d->out, arena_printf(&d->c->arena, "%s.dot", base), g->dot);
}

static void workflow_diagram(struct docs *d, const struct model_workflow *w, struct buf *mmd_copy) {
  struct diagram g = {0};
  g.mm = &g.mmd;
  d->workflow = w->name;
  int total = 0;
  const struct jnode *top = jn_get(w->definition, "States");
  for (const struct jmember *m = top && top->kind == JN_OBJECT ? top->members : NULL; m; m = m->next)
    total += count_states(m->value);
  g.collapse = total > DOCS_OPEN_STATES;

  buf_adds(&g.mmd, "flowchart TD\n");
  buf_adds(&g.dot, "digraph \"");
  for (const char *p = w->name; *p; p++) buf_printf(&g.dot, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
  buf_adds(&g.dot, "\" {\n  compound=true;\n  fontname=\"Helvetica\";\n  node [fontname=\"Helvetica\"];\n"
                   "  edge [fontname=\"Helvetica\", fontsize=10];\n");
  node(&g, "start__", SH_START, "start", NULL);
  for (int i = 0; i < w->ntriggers; i++) {
    const char *id = arena_printf(&d->c->arena, "t_%d", i + 1);
    node(&g, id, SH_TRIGGER, trigger_label(d, &w->triggers[i]), trigger_note(d, &w->triggers[i]));
    edge(&g, id, "start__", NULL, false);
  }
  body(d, &g, w->definition);
  const char *start = jn_get_text(w->definition, "StartAt");
  if (start) edge(&g, "start__", state_id(d, start), NULL, false);
  const struct jnode *states = jn_get(w->definition, "States");
  bool ends = false;
  for (const struct jmember *s = states && states->kind == JN_OBJECT ? states->members : NULL; s; s = s->next) {
    const struct jnode *end = jn_get(s->value, "End");
    if (!end || end->kind != JN_TRUE) continue;
    if (!ends) node(&g, "end__", SH_END, "end", NULL);
    ends = true;
    edge(&g, state_id(d, s->key), "end__", NULL, false);
  }
  int n = 0;
  for (int i = 0; i < d->m->nlinks; i++) {
    const struct model_link *l = &d->m->links[i];
    if (!l->from_state || strcmp(l->from_workflow, w->name)) continue;
    if (i > 0 && d->m->links[i - 1].from_state && !strcmp(d->m->links[i - 1].from_workflow, w->name) &&
        !strcmp(d->m->links[i - 1].from_state, l->from_state))
      continue; /* one node per sent event */
    const char *id = arena_printf(&d->c->arena, "e_%d", ++n);
    node(&g, id, SH_EVENT, arena_printf(&d->c->arena, "%s / %s", l->source, l->detail_type), NULL);
    edge(&g, state_id(d, l->from_state), id, "sends", false);
  }
  buf_add(mmd_copy, g.mmd.data, g.mmd.len);
  buf_free(&g.hidden);
  finish(d, &g, w->name);
}

/* ------------------------------------------------------------------ pages */

static void row_start(struct buf *b) { buf_adds(b, "| "); }

/* A row per state of MACHINE, nested bodies after their state. */
static void states_table(struct docs *d, struct buf *md, const struct jnode *machine) {
  const struct jnode *states = jn_get(machine, "States");
  for (const struct jmember *s = states && states->kind == JN_OBJECT ? states->members : NULL; s; s = s->next) {
    const struct jnode *st = s->value;
    buf_adds(md, "| <a id=\"state-");
    add_anchor(md, s->key);
    buf_adds(md, "\"></a>");
    add_md_code(md, s->key);
    buf_adds(md, " | ");
    const char *type = jn_get_text(st, "Type");
    add_md(md, type ? type : "?");
    buf_adds(md, " | ");
    const char *resource = jn_get_text(st, "Resource");
    if (resource) add_md_code(md, resource);
    const struct jnode *params = jn_get(st, "Parameters");
    if (!params) params = jn_get(st, "Arguments");
    const char *fn = params ? jn_get_text(params, "FunctionName") : NULL;
    if (fn) buf_adds(md, " "), add_md_code(md, fn);
    buf_adds(md, " | ");
    const struct jnode *retry = jn_get(st, "Retry");
    for (const struct jnode *r = retry && retry->kind == JN_ARRAY ? retry->items : NULL; r; r = r->next) {
      const struct jnode *n = jn_get(r, "MaxAttempts"), *every = jn_get(r, "IntervalSeconds"),
                         *backoff = jn_get(r, "BackoffRate");
      add_md(md, errors_of(d, r));
      buf_printf(md, ": %s attempts, every %s s, backoff %s%s", n ? n->text : "3", every ? every->text : "1",
                 backoff ? backoff->text : "2.0", r->next ? "<br>" : "");
    }
    buf_adds(md, " | ");
    const struct jnode *catches = jn_get(st, "Catch");
    for (const struct jnode *k = catches && catches->kind == JN_ARRAY ? catches->items : NULL; k; k = k->next) {
      const char *to = jn_get_text(k, "Next");
      add_md(md, errors_of(d, k));
      buf_adds(md, " → [");
      add_md(md, to ? to : "?");
      buf_adds(md, "](#state-");
      add_anchor(md, to ? to : "");
      buf_adds(md, k->next ? ")<br>" : ")");
    }
    buf_adds(md, " | ");
    const struct jnode *timeout = jn_get(st, "TimeoutSeconds");
    if (timeout && timeout->kind == JN_NUMBER) buf_printf(md, "%s s", timeout->text);
    buf_adds(md, " |\n");
    const struct jnode *b;
    for (int i = 0; (b = asl_state_body(st, i)); i++) states_table(d, md, b);
  }
}

static void workflow_page(struct docs *d, const struct model_workflow *w) {
  struct buf md = {0}, mmd = {0};
  workflow_diagram(d, w, &mmd);
  buf_adds(&md, "# ");
  add_md(&md, w->name);
  buf_adds(&md, "\n\n");
  const char *comment = jn_get_text(w->definition, "Comment");
  if (comment) add_md(&md, comment), buf_adds(&md, "\n\n");
  buf_printf(&md, "A %s state machine. [The whole system](README.md).\n\n", w->express ? "EXPRESS" : "STANDARD");
  buf_printf(&md, "```mermaid\n%.*s```\n\n", (int)mmd.len, mmd.data);
  buf_free(&mmd);

  buf_adds(&md, "## Triggers\n\n");
  if (!w->ntriggers) buf_adds(&md, "Nothing in the program starts it: it is started by hand or by a caller.\n\n");
  else buf_adds(&md, "| trigger | on | input |\n|---|---|---|\n");
  for (int i = 0; i < w->ntriggers; i++) {
    const struct model_trigger *t = &w->triggers[i];
    row_start(&md);
    add_md_code(&md, t->name);
    buf_adds(&md, t->kind == MODEL_RULE ? " (EventBridge rule) | " : " (Scheduler schedule) | ");
    if (t->kind == MODEL_RULE) {
      json_t *j = jn_to_json(t->pattern);
      struct buf text = {0};
      json_write_compact(&text, j);
      json_decref(j);
      add_md_code(&md, text.data ? text.data : "");
      buf_free(&text);
    } else {
      add_md_code(&md, t->expression);
      buf_adds(&md, " in ");
      add_md(&md, t->timezone ? t->timezone : "UTC");
    }
    buf_adds(&md, " | ");
    if (t->input) add_md_code(&md, t->input);
    else if (t->input_template) add_md_code(&md, t->input_template);
    else if (t->input_path) add_md_code(&md, t->input_path);
    else add_md(&md, t->kind == MODEL_RULE ? "the event" : "none");
    buf_adds(&md, " |\n");
  }
  if (w->ntriggers) buf_adds(&md, "\n");

  buf_adds(&md, "## States\n\n| state | kind | resource | retry | catch | timeout |\n|---|---|---|---|---|---|\n");
  states_table(d, &md, w->definition);
  buf_adds(&md, "\n## Events it sends\n\n");
  int sent = 0;
  for (int i = 0; i < d->m->nlinks; i++) {
    const struct model_link *l = &d->m->links[i];
    if (strcmp(l->from_workflow, w->name) || (!l->from_state && !l->to_workflow)) continue;
    if (!sent++) buf_adds(&md, "| sent by | event | starts |\n|---|---|---|\n");
    row_start(&md);
    if (l->from_state) {
      buf_adds(&md, "[");
      add_md(&md, l->from_state);
      buf_adds(&md, "](#state-");
      add_anchor(&md, l->from_state);
      buf_adds(&md, ") | ");
      add_md_code(&md, l->source);
      buf_adds(&md, " / ");
      add_md_code(&md, l->detail_type);
    } else {
      buf_adds(&md, "its executions | status ");
      add_md_code(&md, l->status);
    }
    buf_adds(&md, " | ");
    if (l->to_workflow) {
      buf_adds(&md, "[");
      add_md(&md, l->to_workflow);
      buf_printf(&md, "](%s.md) through rule ", l->to_workflow);
      add_md_code(&md, l->trigger);
      if (!l->certain) buf_adds(&md, " (if the values sent at run time match)");
    } else {
      buf_adds(&md, "**nothing in the program reacts to it**");
    }
    buf_adds(&md, " |\n");
  }
  if (!sent) buf_adds(&md, "None.\n");

  buf_adds(&md, "\n## Permissions\n\nWhat its execution role may do, and the states that need it:\n\n");
  buf_adds(&md, "| actions | resources | needed by |\n|---|---|---|\n");
  for (const struct iam_grant *g = w->iam->execution.grants; g; g = g->next) {
    row_start(&md);
    for (int i = 0; i < g->actions.count; i++) buf_adds(&md, i ? "<br>" : ""), add_md_code(&md, g->actions.items[i]);
    buf_adds(&md, " | ");
    for (int i = 0; i < g->resources.count; i++) buf_adds(&md, i ? "<br>" : ""), add_md_code(&md, g->resources.items[i]);
    buf_adds(&md, " | ");
    for (int i = 0; i < g->who.count; i++) buf_adds(&md, i ? ", " : ""), add_md(&md, g->who.items[i]);
    buf_adds(&md, " |\n");
  }
  if (!w->iam->execution.grants) buf_adds(&md, "| none | | |\n");
  outputs_add_text(d->out, arena_printf(&d->c->arena, "%s.md", w->name), md);
}

/* ------------------------------------------------------------------ the system */

static const char *workflow_id(struct docs *d, const char *name) { return id_of(d, "w_", name); }

/* Does any link of the program reach this rule? */
static bool reached(const struct model *m, const char *rule) {
  for (int i = 0; i < m->nlinks; i++)
    if (m->links[i].trigger && !strcmp(m->links[i].trigger, rule)) return true;
  return false;
}

/* A rule on events that come from outside the program: AWS's own (aws.*), or an
   outside source; the latter is marked when nothing in the program can send them. */
static bool from_aws(const struct model_trigger *t) {
  const struct jnode *source = jn_get(t->pattern, "source");
  for (const struct jnode *v = source && source->kind == JN_ARRAY ? source->items : NULL; v; v = v->next)
    if (v->kind == JN_STRING && !strncmp(v->text, "aws.", 4)) return true;
  return false;
}

static void system_page(struct docs *d) {
  const struct model *m = d->m;
  struct diagram g = {0};
  g.mm = &g.mmd;
  buf_adds(&g.mmd, "flowchart LR\n");
  buf_adds(&g.dot, "digraph \"system\" {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n"
                   "  edge [fontname=\"Helvetica\", fontsize=10];\n");
  for (int i = 0; i < m->nworkflows; i++) node(&g, workflow_id(d, m->workflows[i].name), SH_WORKFLOW, m->workflows[i].name, NULL);
  /* what starts workflows from outside */
  for (int i = 0; i < m->nworkflows; i++) {
    const struct model_workflow *w = &m->workflows[i];
    for (int k = 0; k < w->ntriggers; k++) {
      const struct model_trigger *t = &w->triggers[k];
      if (t->kind == MODEL_RULE && reached(m, t->name)) continue; /* drawn from its sender */
      const char *id = arena_printf(&d->c->arena, "t_%d_%d", i + 1, k + 1);
      bool dead = t->kind == MODEL_RULE && !from_aws(t) && !reached(m, t->name);
      node(&g, id, SH_TRIGGER, trigger_label(d, t),
           dead ? arena_printf(&d->c->arena, "%s (nothing in the program sends this)", trigger_note(d, t))
                : trigger_note(d, t));
      edge(&g, id, workflow_id(d, w->name), NULL, dead);
    }
  }
  /* sent events, and the rules they can match */
  int n = 0;
  const char *event_id = NULL;
  for (int i = 0; i < m->nlinks; i++) {
    const struct model_link *l = &m->links[i];
    const char *from = workflow_id(d, l->from_workflow);
    if (!l->from_state) { /* a status change */
      if (l->to_workflow)
        edge(&g, from, workflow_id(d, l->to_workflow), arena_printf(&d->c->arena, "%s (rule %s)", l->status, l->trigger),
             !l->certain);
      continue;
    }
    bool same = i > 0 && m->links[i - 1].from_state && !strcmp(m->links[i - 1].from_workflow, l->from_workflow) &&
                !strcmp(m->links[i - 1].from_state, l->from_state);
    if (!same) {
      event_id = arena_printf(&d->c->arena, "e_%d", ++n);
      node(&g, event_id, SH_EVENT, arena_printf(&d->c->arena, "%s / %s", l->source, l->detail_type),
           l->unconsumed ? "nothing in the program reacts" : NULL);
      edge(&g, from, event_id, arena_printf(&d->c->arena, "sends (%s)", l->from_state), false);
    }
    if (l->to_workflow) edge(&g, event_id, workflow_id(d, l->to_workflow), arena_printf(&d->c->arena, "rule %s", l->trigger), !l->certain);
  }
  struct buf md = {0};
  buf_adds(&md, "# The system\n\nHow the workflows of the program start and what starts them: solid arrows "
                "always happen, dashed ones depend on values known only at run time (or, from a trigger, on "
                "something nothing in the program sends).\n\n");
  buf_printf(&md, "```mermaid\n%.*s```\n\n## Workflows\n\n", (int)g.mmd.len, g.mmd.data);
  for (int i = 0; i < m->nworkflows; i++) {
    buf_adds(&md, "- [");
    add_md(&md, m->workflows[i].name);
    buf_printf(&md, "](%s.md)", m->workflows[i].name);
    const char *comment = jn_get_text(m->workflows[i].definition, "Comment");
    if (comment) buf_adds(&md, ": "), add_md(&md, comment);
    buf_adds(&md, "\n");
  }
  finish(d, &g, "system");
  outputs_add_text(d->out, "README.md", md);
}

void emit_docs(struct compilation *c, const struct model *m, struct outputs *out) {
  struct docs d = {c, m, out, NULL};
  for (int i = 0; i < m->nworkflows; i++) workflow_page(&d, &m->workflows[i]);
  system_page(&d);
}
