/* sftest.c: `sfc test`, the test blocks of .sf files run on the local runtime.
 *
 *   sfc test FILE... [--coverage] [--coverage-min N] [--filter TEXT] [-q] [-D NAME=VALUE]
 *
 * The files are checked as `sfc check` does; then each `test "name" { ... }` block
 * (check.c has resolved its names) becomes a struct model_test (lower_tests), and runs
 * with rt_execute: every task call is answered by the test's mocks (answer_task), every
 * step the runtime reports is recorded (see_step), and afterwards each expectation is
 * judged against what was recorded. A failure is a located diagnostic at the
 * expectation, followed by a diff of the expected and the actual JSON.
 *
 * Coverage counts, over every workflow of the program, the states entered, each
 * state's own transition (Next), each Choice rule and Default taken, and each Catcher
 * used, and lists what no test took at its .sf line (the model keeps each ASL node's
 * span). Ownership: the model lives in the compilation's arena; Jansson values are
 * released by whoever made them, as runtime.h says.
 */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"
#include "runtime.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char test_usage[] =
    "usage: sfc test FILE... [--coverage] [--coverage-min N] [--filter TEXT] [-q] [--seed N]\n"
    "                [-D NAME=VALUE]\n"
    "\n"
    "Runs the test blocks (test \"name\" { ... }) of the .sf files on sfc's local\n"
    "runtime, with their mocks, and checks what each expects. Each run starts at\n"
    "2024-01-01T00:00:00Z of the virtual clock, as sfc run does.\n"
    "\n"
    "options:\n"
    "  --coverage        list the states, transitions, choice rules and catches that\n"
    "                    no test took, at their .sf lines, and the percentage taken\n"
    "  --coverage-min N  fail when less than N % is taken (implies --coverage)\n"
    "  --filter TEXT     run only the tests whose name contains TEXT\n"
    "  -q, --quiet       print only failures and the summary\n"
    "  --seed N          the seed of States.MathRandom, States.UUID and retry jitter\n"
    "                    (default 0), as for sfc run\n"
    "  -D NAME=VALUE     set a param, as for a compile\n"
    "  -h, --help        show this help\n"
    "\n"
    "exit codes: 0 every test passed (and coverage reached N %), 1 a test failed,\n"
    "            coverage is below N %, there is no test to run, or the files have\n"
    "            errors; 2 bad usage; 3 I/O or internal error\n";

/* ---------------------------------------------------------------- the model */

static struct jnode *json_of(struct compilation *c, const struct value *v) {
  return v ? plain_value(&c->arena, v) : NULL;
}

static int workflow_index(const struct model *m, const struct decl *d) {
  for (int i = 0; i < m->nworkflows; i++)
    if (m->workflows[i].tree == d->workflow) return i;
  return -1;
}

struct mock_pass {
  struct compilation *c;
  struct model_test *mt;
  int workflow;          /* the workflow being walked */
  struct table by_key;   /* "state:S", "resource:x", "workflow:W", "event:E" -> 1 + mock index */
  int nstates;
  int found;             /* the mock of the state being looked at, or -1 */
};

static void count_state(struct state *s, void *arg) {
  (void)s;
  ((struct mock_pass *)arg)->nstates++;
}

/* A callee of the state: its mock wins when it comes first in the test. */
static void match_callee(void *arg, enum mock_target target, const char *name) {
  struct mock_pass *p = arg;
  intptr_t at = (intptr_t)table_get(&p->by_key, mock_key(&p->c->arena, target, name));
  if (at && (p->found < 0 || at - 1 < p->found)) p->found = (int)(at - 1);
}

/* Gives task state S its mock: its own, else the first that names what it calls. */
static void assign_mock(struct state *s, void *arg) {
  struct mock_pass *p = arg;
  if (!s->name.text) return;
  intptr_t own = (intptr_t)table_get(&p->by_key, mock_key(&p->c->arena, MOCK_STATE, s->name.text));
  p->found = own ? (int)(own - 1) : -1;
  if (!own) state_callees(s, match_callee, p);
  if (p->found < 0) return;
  p->mt->mocked[p->mt->nmocked] = s->name.text;
  p->mt->mocked_in[p->mt->nmocked] = p->workflow;
  p->mt->mock_of[p->mt->nmocked++] = p->found;
}

static void walk_states(struct state **order, int n, void (*fn)(struct state *, void *), void *arg) {
  for (int i = 0; i < n; i++) {
    fn(order[i], arg);
    for (struct branch *b = order[i]->branches; b; b = b->next) walk_states(b->order, b->nstates, fn, arg);
  }
}

/* The test blocks of the checked program, in source order. */
static void lower_tests(struct compilation *c, struct model *m) {
  int n = 0;
  for (struct decl *d = c->program.decls; d; d = d->next) n += d->kind == D_TEST;
  m->tests = arena_alloc(&c->arena, (size_t)(n ? n : 1) * sizeof *m->tests);
  for (struct decl *d = c->program.decls; d; d = d->next) {
    if (d->kind != D_TEST) continue;
    const struct test *t = d->test;
    struct model_test *mt = &m->tests[m->ntests++];
    mt->name = t->name->text;
    mt->loc = t->loc;
    mt->workflow = t->events ? -1 : workflow_index(m, t->workflow_decl);
    if (mt->workflow < 0 && !t->events) die("test \"%s\": its workflow has no definition", mt->name); /* check.c resolved it */
    mt->input = t->input ? json_of(c, t->input) : jn_new(&c->arena, JN_OBJECT, t->loc);
    for (const struct test_event *e = t->events; e; e = e->next) mt->nevents++;
    mt->events = arena_alloc(&c->arena, (size_t)(mt->nevents ? mt->nevents : 1) * sizeof *mt->events);
    mt->event_buses = arena_alloc(&c->arena, (size_t)(mt->nevents ? mt->nevents : 1) * sizeof *mt->event_buses);
    mt->nevents = 0;
    for (const struct test_event *e = t->events; e; e = e->next) {
      mt->event_buses[mt->nevents] = "default";
      for (int k = 0; e->bus.text && k < m->nresources; k++)
        if (m->resources[k].kind == R_BUS && !strcmp(m->resources[k].name, e->bus.text))
          mt->event_buses[mt->nevents] = m->resources[k].value;
      mt->events[mt->nevents++] = json_of(c, e->value);
    }
    for (const struct test_mock *k = t->mocks; k; k = k->next) mt->nmocks++;
    mt->mocks = arena_alloc(&c->arena, (size_t)(mt->nmocks ? mt->nmocks : 1) * sizeof *mt->mocks);
    int i = 0;
    for (const struct test_mock *k = t->mocks; k; k = k->next, i++) {
      struct model_mock *mm = &mt->mocks[i];
      mm->loc = k->loc;
      for (const struct test_answer *a = k->answers; a; a = a->next) mm->nanswers++;
      mm->answers = arena_alloc(&c->arena, (size_t)(mm->nanswers ? mm->nanswers : 1) * sizeof *mm->answers);
      int j = 0;
      for (const struct test_answer *a = k->answers; a; a = a->next, j++) {
        struct model_answer *ma = &mm->answers[j];
        ma->returns = json_of(c, a->returns);
        ma->error = a->error ? a->error->text : NULL;
        ma->cause = a->cause ? a->cause->text : NULL;
        ma->calls = a->times ? a->times->integer : 1;
      }
    }
    struct mock_pass pass = {c, mt, mt->workflow, {0}, 0, -1};
    i = 0;
    for (const struct test_mock *k = t->mocks; k; k = k->next, i++)
      if (k->name.text) table_put(&pass.by_key, mock_key(&c->arena, k->target, k->name.text), (void *)(intptr_t)(i + 1));
    /* a simulation's mocks answer the tasks of every workflow */
    int first = mt->workflow < 0 ? 0 : mt->workflow, last = mt->workflow < 0 ? m->nworkflows - 1 : mt->workflow;
    for (int k = first; k <= last; k++)
      walk_states(m->workflows[k].tree->order, m->workflows[k].tree->nstates, count_state, &pass);
    mt->mocked = arena_alloc(&c->arena, (size_t)(pass.nstates ? pass.nstates : 1) * sizeof *mt->mocked);
    mt->mocked_in = arena_alloc(&c->arena, (size_t)(pass.nstates ? pass.nstates : 1) * sizeof *mt->mocked_in);
    mt->mock_of = arena_alloc(&c->arena, (size_t)(pass.nstates ? pass.nstates : 1) * sizeof *mt->mock_of);
    for (pass.workflow = first; pass.workflow <= last; pass.workflow++)
      walk_states(m->workflows[pass.workflow].tree->order, m->workflows[pass.workflow].tree->nstates, assign_mock,
                  &pass);
    table_free(&pass.by_key);
    for (const struct test_expect *e = t->expects; e; e = e->next) mt->nexpects++;
    mt->expects = arena_alloc(&c->arena, (size_t)(mt->nexpects ? mt->nexpects : 1) * sizeof *mt->expects);
    i = 0;
    for (const struct test_expect *e = t->expects; e; e = e->next, i++) {
      struct model_expect *me = &mt->expects[i];
      me->kind = e->kind;
      me->loc = e->loc;
      me->state = e->state.text;
      me->status = e->status.text;
      if (e->kind == EXPECT_TIMES || (e->kind == EXPECT_STARTED && e->value)) me->times = e->value->integer;
      else if (e->kind == EXPECT_STARTED) me->times = -1;
      else me->value = json_of(c, e->value);
      me->error = e->error ? e->error->text : NULL;
      me->cause = e->cause ? e->cause->text : NULL;
      for (const struct name_list *p = e->path; p; p = p->next) me->npath++;
      me->path = arena_alloc(&c->arena, (size_t)(me->npath ? me->npath : 1) * sizeof *me->path);
      int j = 0;
      for (const struct name_list *p = e->path; p; p = p->next) me->path[j++] = p->name.text;
    }
  }
}

/* ---------------------------------------------------------------- coverage */

/* What coverage counts, one per ASL element that a run can take. */
enum cover_kind { COVER_STATE, COVER_NEXT, COVER_RULE, COVER_DEFAULT, COVER_CATCH };
static const char *const cover_kind_names[] = {"states", "transitions", "choice rules",
                                                "otherwise rules", "catches"};

struct cover_item {
  enum cover_kind kind;
  const char *state;      /* the state it belongs to */
  int index;              /* COVER_RULE, COVER_CATCH: 0-based */
  const char *to;         /* where it goes */
  const char *errors;     /* COVER_CATCH: its ErrorEquals, for the report */
  struct loc loc;
  bool taken;
  int workflow;           /* index into model.workflows */
};

struct coverage {
  struct cover_item *items;
  int count, cap;
  struct table by_key;    /* cover_key -> 1 + the item's index (the array moves as it grows) */
  struct buf key;         /* scratch for lookups */
};

static const char *cover_key(struct buf *b, enum cover_kind kind, int workflow, const char *state, int index) {
  b->len = 0;
  buf_printf(b, "%d\x1f%d\x1f%d\x1f%s", (int)kind, workflow, index, state);
  return b->data;
}

static void cover_add(struct compilation *c, struct coverage *cv, int workflow, struct cover_item item) {
  if (cv->count == cv->cap) {
    cv->cap = cv->cap ? 2 * cv->cap : 64;
    cv->items = xrealloc(cv->items, (size_t)cv->cap * sizeof *cv->items);
  }
  item.workflow = workflow;
  cv->items[cv->count++] = item;
  /* keys live in the arena */
  const char *key = arena_strdup(&c->arena, cover_key(&cv->key, item.kind, workflow, item.state, item.index));
  table_put(&cv->by_key, key, (void *)(intptr_t)(cv->count));
}

static const char *error_list(struct compilation *c, const struct jnode *errors) {
  struct buf b = {0};
  for (const struct jnode *e = errors && errors->kind == JN_ARRAY ? errors->items : NULL; e; e = e->next)
    if (e->kind == JN_STRING) buf_printf(&b, "%s%s", b.len ? ", " : "", e->text);
  const char *s = arena_strdup(&c->arena, b.data ? b.data : "");
  buf_free(&b);
  return s;
}

/* Every element of the States of one (nested) state machine, in document order. */
static void cover_states(struct compilation *c, struct coverage *cv, int workflow, const struct jnode *machine) {
  const struct jnode *states = jn_get(machine, "States");
  for (const struct jmember *sm = states && states->kind == JN_OBJECT ? states->members : NULL; sm; sm = sm->next) {
    const struct jnode *s = sm->value;
    cover_add(c, cv, workflow, (struct cover_item){.kind = COVER_STATE, .state = sm->key, .loc = jn_loc(s)});
    const struct jnode *next = jn_get(s, "Next");
    if (next && next->kind == JN_STRING)
      cover_add(c, cv, workflow, (struct cover_item){.kind = COVER_NEXT, .state = sm->key, .to = next->text,
                                                     .loc = jn_loc(next)});
    const struct jnode *choices = jn_get(s, "Choices");
    int i = 0;
    for (const struct jnode *r = choices && choices->kind == JN_ARRAY ? choices->items : NULL; r; r = r->next, i++)
      cover_add(c, cv, workflow, (struct cover_item){.kind = COVER_RULE, .state = sm->key, .index = i,
                                                     .to = jn_get_text(r, "Next"), .loc = jn_loc(r)});
    const struct jnode *dflt = jn_get(s, "Default");
    if (dflt && dflt->kind == JN_STRING)
      cover_add(c, cv, workflow, (struct cover_item){.kind = COVER_DEFAULT, .state = sm->key, .index = -1,
                                                     .to = dflt->text, .loc = jn_loc(dflt)});
    const struct jnode *catches = jn_get(s, "Catch");
    i = 0;
    for (const struct jnode *k = catches && catches->kind == JN_ARRAY ? catches->items : NULL; k; k = k->next, i++)
      cover_add(c, cv, workflow, (struct cover_item){.kind = COVER_CATCH, .state = sm->key, .index = i,
                                                     .to = jn_get_text(k, "Next"),
                                                     .errors = error_list(c, jn_get(k, "ErrorEquals")),
                                                     .loc = jn_loc(k)});
    for (int b = 0; asl_state_body(s, b); b++) cover_states(c, cv, workflow, asl_state_body(s, b));
  }
}

static struct cover_item *cover_find(struct coverage *cv, enum cover_kind kind, int workflow, const char *state,
                                     int index) {
  intptr_t at = (intptr_t)table_get(&cv->by_key, cover_key(&cv->key, kind, workflow, state, index));
  return at ? &cv->items[at - 1] : NULL;
}

/* ---------------------------------------------------------------- one run */

/* What a run of one test recorded. */
struct run {
  const struct model_test *test;
  int workflow;
  struct coverage *cover;
  struct table mock_for;  /* "workflow:state" -> struct model_mock * */
  struct buf key;         /* the key looked up */
  long long *mock_calls;  /* calls answered so far, per mock */
  json_t *calls;          /* state name -> array of the parameters of each call */
  json_t *entered;        /* the states entered, in order (names) */
  char *unmocked;         /* the first task that had no mock */
};

static bool answer_task(void *ctx, const struct rt_task_call *call, json_t **result, struct rt_error *err) {
  struct run *r = ctx;
  const char *state = call->state ? call->state : "";
  json_t *list = json_object_get(r->calls, state);
  if (!list) json_object_set_new(r->calls, state, list = json_array());
  json_array_append_new(list, call->parameters ? json_deep_copy(call->parameters) : json_null());
  r->key.len = 0;
  buf_printf(&r->key, "%d:%s", r->workflow, state);
  const struct model_mock *m = table_get(&r->mock_for, r->key.data);
  if (!m) {
    if (!r->unmocked) r->unmocked = xstrdup(state);
    rt_fail(err, "States.Runtime", "sfc test: task '%s' has no mock", state);
    return false;
  }
  /* the answer of this call: each answers its count of calls, the last every later one */
  long long n = ++r->mock_calls[m - r->test->mocks];
  const struct model_answer *a = m->answers;
  for (int i = 0; i + 1 < m->nanswers && n > a->calls; i++) n -= a->calls, a++;
  if (!a->returns) {
    err->error = xstrdup(a->error ? a->error : "");
    err->cause = a->cause ? xstrdup(a->cause) : NULL;
    return false;
  }
  *result = jn_to_json(a->returns);
  return true;
}

static void see_step(void *ctx, const struct rt_step *step) {
  struct run *r = ctx;
  struct cover_item *item = NULL;
  if (!step->state) return;
  switch (step->kind) {
  case RT_STEP_ENTER:
    json_array_append_new(r->entered, json_stringn_nocheck(step->state, strlen(step->state)));
    item = cover_find(r->cover, COVER_STATE, r->workflow, step->state, 0);
    break;
  case RT_STEP_CHOICE:
    item = cover_find(r->cover, step->index < 0 ? COVER_DEFAULT : COVER_RULE, r->workflow, step->state, step->index);
    break;
  case RT_STEP_CATCH: item = cover_find(r->cover, COVER_CATCH, r->workflow, step->state, step->index); break;
  case RT_STEP_NEXT:
    item = cover_find(r->cover, COVER_NEXT, r->workflow, step->state, 0);
    if (item && (!step->next || strcmp(item->to, step->next) != 0)) item = NULL; /* a catch's or a rule's */
    break;
  case RT_STEP_RETRY: break;
  }
  if (item) item->taken = true;
}

/* ---------------------------------------------------------------- judging */


/* V with every object's keys in order, so two texts line up where the data does; a
   whole real prints as an integer, since numbers compare by value (1.0 is 1). */
static json_t *sorted_copy(const json_t *v) {
  if (!v) return json_null();
  if (json_is_real(v)) {
    double d = json_real_value(v);
    if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(json_int_t)d) /* 2^53 */
      return json_integer((json_int_t)d);
  }
  if (json_is_array(v)) {
    json_t *a = json_array();
    for (size_t i = 0; i < json_array_size(v); i++) json_array_append_new(a, sorted_copy(json_array_get(v, i)));
    return a;
  }
  if (!json_is_object(v)) return json_copy((json_t *)v);
  size_t n = json_object_size(v), i = 0;
  const char **keys = xmalloc((n ? n : 1) * sizeof *keys);
  const char *key;
  json_t *item;
  json_object_foreach((json_t *)v, key, item) keys[i++] = key;
  for (size_t x = 1; x < n; x++) /* insertion sort: objects are small */
    for (size_t y = x; y > 0 && strcmp(keys[y - 1], keys[y]) > 0; y--) {
      const char *t = keys[y];
      keys[y] = keys[y - 1], keys[y - 1] = t;
    }
  json_t *o = json_object();
  for (i = 0; i < n; i++) json_object_set_new(o, keys[i], sorted_copy(json_object_get(v, keys[i])));
  free(keys);
  return o;
}

/* The lines of V as json_write prints it, keys sorted. */
static int json_lines(const json_t *v, struct buf *text, const char ***lines) {
  json_t *s = sorted_copy(v);
  json_write(text, s);
  json_decref(s);
  int n = 0, cap = 16;
  *lines = xmalloc((size_t)cap * sizeof **lines);
  for (char *p = text->data; p && *p;) {
    char *end = strchr(p, '\n');
    if (end) *end = 0;
    if (n == cap) *lines = xrealloc(*lines, (size_t)(cap *= 2) * sizeof **lines);
    (*lines)[n++] = p;
    if (!end) break;
    p = end + 1;
  }
  return n;
}

/* A line diff of the expected and the actual JSON ('-' expected, '+' actual). The
   common start and end are matched directly and the rest by a longest common
   subsequence, up to a size; beyond it the middle shows as removed, then added. */
#define DIFF_MAX_CELLS 4000000
#define DIFF_CONTEXT 3
#define DIFF_MAX_LINES 200 /* printed; the rest is counted */
static void print_diff(FILE *out, const json_t *expected, const json_t *actual) {
  struct buf ta = {0}, tb = {0};
  const char **a, **b;
  int na = json_lines(expected, &ta, &a), nb = json_lines(actual, &tb, &b);
  int pre = 0, suf = 0;
  while (pre < na && pre < nb && !strcmp(a[pre], b[pre])) pre++;
  while (suf < na - pre && suf < nb - pre && !strcmp(a[na - 1 - suf], b[nb - 1 - suf])) suf++;
  int ma = na - pre - suf, mb = nb - pre - suf;
  /* ops: ' ' both, '-' only expected, '+' only actual, with the line */
  int nops = 0;
  char *op = xmalloc((size_t)(na + nb + 1));
  const char **text = xmalloc((size_t)(na + nb + 1) * sizeof *text);
  for (int i = 0; i < pre; i++) op[nops] = ' ', text[nops++] = a[i];
  if ((long long)(ma + 1) * (mb + 1) <= DIFF_MAX_CELLS) {
    int *len = xmalloc((size_t)(ma + 1) * (size_t)(mb + 1) * sizeof *len);
#define LEN(i, j) len[(size_t)(i) * (size_t)(mb + 1) + (size_t)(j)]
    for (int i = ma; i >= 0; i--)
      for (int j = mb; j >= 0; j--)
        LEN(i, j) = i == ma || j == mb ? 0
                    : !strcmp(a[pre + i], b[pre + j]) ? LEN(i + 1, j + 1) + 1
                    : LEN(i + 1, j) >= LEN(i, j + 1) ? LEN(i + 1, j) : LEN(i, j + 1);
    int i = 0, j = 0;
    while (i < ma || j < mb) {
      if (i < ma && j < mb && !strcmp(a[pre + i], b[pre + j])) op[nops] = ' ', text[nops++] = a[pre + i], i++, j++;
      else if (j == mb || (i < ma && LEN(i + 1, j) >= LEN(i, j + 1))) op[nops] = '-', text[nops++] = a[pre + i++];
      else op[nops] = '+', text[nops++] = b[pre + j++];
    }
#undef LEN
    free(len);
  } else {
    for (int i = 0; i < ma; i++) op[nops] = '-', text[nops++] = a[pre + i];
    for (int j = 0; j < mb; j++) op[nops] = '+', text[nops++] = b[pre + j];
  }
  for (int i = 0; i < suf; i++) op[nops] = ' ', text[nops++] = a[na - suf + i];
  fputs("  --- expected\n  +++ actual\n", out);
  int last = -1, printed = 0, unprinted = 0; /* the last line printed */
  for (int i = 0; i < nops; i++) {
    bool near = false;
    for (int k = i - DIFF_CONTEXT; k <= i + DIFF_CONTEXT && !near; k++) near = k >= 0 && k < nops && op[k] != ' ';
    if (!near) continue;
    if (printed == DIFF_MAX_LINES) {
      unprinted++;
      continue;
    }
    if (last >= 0 && i > last + 1) fputs("  ...\n", out);
    fprintf(out, "  %c%s\n", op[i], text[i]);
    last = i;
    printed++;
  }
  if (unprinted) fprintf(out, "  ... (%d more lines of the diff)\n", unprinted);
  free(op);
  free(text);
  free(a);
  free(b);
  buf_free(&ta);
  buf_free(&tb);
}

/* One failure: `file:line:col: error: test "name": MESSAGE`, the source line and its
   caret, through diag.c's printer (a diag of its own, sharing the files). */
static void report(struct compilation *c, FILE *out, struct loc at, const char *test, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void report(struct compilation *c, FILE *out, struct loc at, const char *test, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  struct diag one = {0};
  one.files = c->diag.files;
  one.nfiles = c->diag.nfiles;
  diag_error(&one, at, "test \"%s\": %s", test, msg);
  diag_print_text(&one, out);
  for (int i = 0; i < one.count; i++) free(one.list[i].message);
  free(one.list);
  free(msg);
}

/* The actual cause of a failed run, on a line of its own: causes are often long, and
   a message quotes only so much. */
static void print_cause(FILE *out, const struct rt_result *r) {
  if (!r->error.cause) return;
  char *cause = name_escape(r->error.cause, true);
  fprintf(out, "  cause: %s\n", cause);
  free(cause);
}

/* The output of a run that should have failed, on one line: a long one is cut. */
#define OUTPUT_SHOWN 400
static void print_output(FILE *out, const json_t *output) {
  struct buf b = {0};
  json_t *sorted = sorted_copy(output);
  json_write_compact(&b, sorted);
  json_decref(sorted);
  buf_addc(&b, 0);
  char *text = name_escape(b.data, true);
  size_t n = strlen(text), shown_len = n;
  if (n > OUTPUT_SHOWN) /* cut at a character's first byte */
    for (shown_len = OUTPUT_SHOWN; shown_len > 0 && ((unsigned char)text[shown_len] & 0xC0) == 0x80;) shown_len--;
  fprintf(out, "  output: %.*s%s\n", (int)shown_len, text, n > shown_len ? "..." : "");
  free(text);
  buf_free(&b);
}

static const char *status_word(enum rt_status s) {
  return s == RT_SUCCEEDED ? "succeeded" : s == RT_FAILED ? "failed" : s == RT_TIMED_OUT ? "timed out" : "was aborted";
}

/* The inputs of every entry of STATE (OUTPUT: the outputs of every exit), from the
   history's *StateEntered (*StateExited) events, which hold them as JSON text. */
static json_t *state_values(const json_t *history, const char *state, bool output) {
  json_t *list = json_array();
  size_t i;
  json_t *event;
  json_array_foreach(history, i, event) {
    const json_t *details = json_object_get(event, output ? "stateExitedEventDetails" : "stateEnteredEventDetails");
    const char *name = json_string_value(json_object_get(details, "name"));
    const char *text = json_string_value(json_object_get(details, output ? "output" : "input"));
    if (!name || strcmp(name, state) != 0) continue;
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL) : NULL;
    json_array_append_new(list, v ? v : json_null());
  }
  return list;
}

/* Does some value of LIST equal WANT? */
static bool any_same(const json_t *list, const json_t *want) {
  for (size_t i = 0; i < json_array_size(list); i++)
    if (json_same_data(json_array_get(list, i), want)) return true;
  return false;
}

/* "A -> B -> C"; a long path keeps its start and its end, and says how long it is. */
#define PATH_SHOWN 12
static char *path_text(const json_t *names) {
  struct buf b = {0};
  size_t n = json_array_size(names);
  for (size_t i = 0; i < n; i++) {
    if (n > PATH_SHOWN && i == 4) {
      buf_adds(&b, " -> ...");
      i = n - (PATH_SHOWN - 4) - 1;
      continue;
    }
    buf_printf(&b, "%s%s", i ? " -> " : "", json_string_value(json_array_get(names, i)));
  }
  if (n > PATH_SHOWN) buf_printf(&b, " (%zu states)", n);
  if (!b.data) buf_adds(&b, "(no state)");
  buf_addc(&b, 0);
  return b.data;
}

/* expect S called with VALUE, expect S called N times: over every call R saw. */
static bool judge_calls(struct compilation *c, FILE *out, const char *name, const struct model_expect *x,
                        const json_t *want, const struct run *r) {
  bool ok = true;
  switch (x->kind) {
    case EXPECT_CALLED: {
      const json_t *calls = json_object_get(r->calls, x->state);
      if (!any_same(calls, want)) {
        ok = false;
        if (!json_array_size(calls)) {
          report(c, out, x->loc, name, "'%s' was never called", x->state);
        } else {
          report(c, out, x->loc, name, "expected parameters of '%s' differ from those it was called with%s",
                 x->state, json_array_size(calls) > 1 ? " (its first call shown)" : "");
          print_diff(out, want, json_array_get(calls, 0));
        }
      }
      break;
    }
    case EXPECT_TIMES: {
      size_t n = json_array_size(json_object_get(r->calls, x->state));
      if ((long long)n != x->times) {
        report(c, out, x->loc, name, "'%s' was called %zu time%s, not %lld", x->state, n, n == 1 ? "" : "s",
               x->times);
        ok = false;
      }
      break;
    }
    default: break;
  }
  return ok;
}

/* Judges every expectation of T against run R and its result; prints each failure. */
static bool judge(struct compilation *c, FILE *out, const struct model_test *t, const json_t *definition,
                  struct run *r, const struct rt_result *res) {
  const char *name = t->name;
  if (r->unmocked) {
    report(c, out, t->loc, name, "task '%s' has no mock (write 'mock %s returns VALUE')", r->unmocked, r->unmocked);
    return false;
  }
  bool ok = true, expects_error = false;
  for (int i = 0; i < t->nexpects; i++) expects_error |= t->expects[i].kind == EXPECT_ERROR;
  if (!expects_error && res->status != RT_SUCCEEDED) {
    char *p = path_text(r->entered);
    report(c, out, t->loc, name, "the run %s with error '%s' after %s", status_word(res->status),
           res->error.error ? res->error.error : "?", p);
    print_cause(out, res);
    free(p);
    return false;
  }
  for (int i = 0; i < t->nexpects; i++) {
    const struct model_expect *x = &t->expects[i];
    json_t *want = x->value ? jn_to_json(x->value) : NULL;
    switch (x->kind) {
    case EXPECT_OUTPUT:
      if (!json_same_data(want, res->output)) {
        report(c, out, x->loc, name, "expected output differs from the actual output");
        print_diff(out, want, res->output);
        ok = false;
      }
      break;
    case EXPECT_ERROR:
      if (res->status == RT_SUCCEEDED) {
        report(c, out, x->loc, name, "expected error '%s', but the run succeeded", x->error);
        print_output(out, res->output);
        ok = false;
      } else if (!res->error.error || strcmp(res->error.error, x->error) != 0 ||
                 (x->cause && (!res->error.cause || strcmp(res->error.cause, x->cause) != 0))) {
        const char *got = res->error.error ? res->error.error : "?";
        if (x->cause) report(c, out, x->loc, name, "expected error '%s' with cause \"%s\", but the run %s "
                             "with '%s'%s", x->error, x->cause, status_word(res->status), got,
                             res->error.cause ? "" : " and no cause");
        else report(c, out, x->loc, name, "expected error '%s', but the run %s with '%s'", x->error,
                    status_word(res->status), got);
        print_cause(out, res);
        ok = false;
      }
      break;
    case EXPECT_PATH: {
      /* the top level only: branches and iterations interleave */
      const json_t *top = json_object_get(definition, "States");
      json_t *taken = json_array();
      for (size_t k = 0; k < json_array_size(r->entered); k++) {
        const char *s = json_string_value(json_array_get(r->entered, k));
        if (json_object_get(top, s)) json_array_append_new(taken, json_string(s));
      }
      bool same = json_array_size(taken) == (size_t)x->npath;
      for (int k = 0; same && k < x->npath; k++)
        same = !strcmp(json_string_value(json_array_get(taken, (size_t)k)), x->path[k]);
      if (!same) {
        char *p = path_text(taken);
        report(c, out, x->loc, name, "the run took a different path: %s", p);
        free(p);
        ok = false;
      }
      json_decref(taken);
      break;
    }
    case EXPECT_PASSES: {
      bool seen = false;
      for (size_t k = 0; k < json_array_size(r->entered) && !seen; k++)
        seen = !strcmp(json_string_value(json_array_get(r->entered, k)), x->state);
      if (!seen) {
        char *p = path_text(r->entered);
        report(c, out, x->loc, name, "the run never entered '%s' (it took %s)", x->state, p);
        free(p);
        ok = false;
      }
      break;
    }
    case EXPECT_INPUT: case EXPECT_STATE_OUTPUT: {
      bool exits = x->kind == EXPECT_STATE_OUTPUT;
      json_t *values = res->history ? state_values(res->history, x->state, exits) : json_array();
      if (!any_same(values, want)) {
        ok = false;
        if (!json_array_size(values)) {
          report(c, out, x->loc, name, exits ? "'%s' never finished" : "the run never entered '%s'", x->state);
        } else {
          report(c, out, x->loc, name, "expected %s of '%s' differs from the %s%s", exits ? "output" : "input",
                 x->state, exits ? "output it left with" : "input it was entered with",
                 json_array_size(values) > 1 ? exits ? " (its first exit shown)" : " (its first entry shown)" : "");
          print_diff(out, want, json_array_get(values, 0));
        }
      }
      json_decref(values);
      break;
    }
    case EXPECT_CALLED: case EXPECT_TIMES: ok &= judge_calls(c, out, name, x, want, r); break;
    case EXPECT_STARTED: case EXPECT_ENDED: break; /* check.c: simulations only */
    }
    json_decref(want);
  }
  return ok;
}

static void run_init(struct compilation *c, const struct model_test *t, struct coverage *cover, struct run *r) {
  *r = (struct run){0};
  r->test = t;
  r->workflow = t->workflow;
  r->cover = cover;
  r->mock_calls = xmalloc((size_t)(t->nmocks ? t->nmocks : 1) * sizeof *r->mock_calls);
  memset(r->mock_calls, 0, (size_t)(t->nmocks ? t->nmocks : 1) * sizeof *r->mock_calls);
  for (int i = 0; i < t->nmocked; i++)
    table_put(&r->mock_for, arena_printf(&c->arena, "%d:%s", t->mocked_in[i], t->mocked[i]), &t->mocks[t->mock_of[i]]);
  r->calls = json_object();
  r->entered = json_array();
}

static void run_free(struct run *r) {
  table_free(&r->mock_for);
  buf_free(&r->key);
  free(r->mock_calls);
  free(r->unmocked);
  json_decref(r->calls);
  json_decref(r->entered);
}

/* ---------------------------------------------------------------- simulations */

/* What a simulation's executions of one workflow did. */
struct runs {
  long started, succeeded;
  const char *failure, *error; /* the status and error of the first that did not succeed */
};

/* Counts the executions in the simulation's tree by workflow, following only the
   tree's own members (an event's detail may hold anything). */
static void count_runs(const struct model *m, json_t *node, struct runs *by) {
  if (!node) return;
  if (json_is_array(node)) {
    size_t i;
    json_t *v;
    json_array_foreach(node, i, v) count_runs(m, v, by);
    return;
  }
  json_t *x = json_object_get(node, "execution");
  if (x) {
    const char *w = json_string_value(json_object_get(x, "workflow"));
    const char *status = json_string_value(json_object_get(x, "status"));
    for (int k = 0; k < m->nworkflows; k++)
      if (!strcmp(m->workflows[k].name, w)) {
        by[k].started++;
        if (!strcmp(status, "SUCCEEDED")) by[k].succeeded++;
        else if (!by[k].failure) by[k].failure = status, by[k].error = json_string_value(json_object_get(x, "error"));
      }
    count_runs(m, json_object_get(x, "tasks"), by);
    count_runs(m, json_object_get(x, "status_changes"), by);
  }
  count_runs(m, json_object_get(node, "rules"), by);
  count_runs(m, json_object_get(node, "events"), by);
}

static bool simulated_task(void *ctx, int workflow, const struct rt_task_call *call, json_t **result,
                           struct rt_error *err, const char **answer) {
  struct run *r = ctx;
  r->workflow = workflow;
  *answer = "mock";
  return answer_task(r, call, result, err);
}

static bool judge_simulation(struct compilation *c, FILE *out, const struct model *m, const struct model_test *t,
                             const struct run *r, const struct rt_sim_result *res, long bound) {
  const char *name = t->name;
  if (r->unmocked) {
    report(c, out, t->loc, name, "task '%s' has no mock (write 'mock %s returns VALUE')", r->unmocked, r->unmocked);
    return false;
  }
  if (res->bound) {
    report(c, out, t->loc, name, "the simulation stopped at its bound of %ld executions: do events cycle "
           "through the rules?", bound);
    return false;
  }
  struct runs *by = xmalloc((size_t)(m->nworkflows + 1) * sizeof *by);
  memset(by, 0, (size_t)(m->nworkflows + 1) * sizeof *by);
  count_runs(m, res->chain, by);
  bool ok = true;
  for (int i = 0; i < t->nexpects; i++) {
    const struct model_expect *x = &t->expects[i];
    int w = 0;
    while (w < m->nworkflows && x->state && strcmp(m->workflows[w].name, x->state)) w++;
    const struct runs *n = &by[w]; /* by[nworkflows]: none (check.c resolved the names) */
    json_t *want = x->value ? jn_to_json(x->value) : NULL;
    switch (x->kind) {
    case EXPECT_STARTED:
      if (x->times < 0 ? n->started < 1 : n->started != x->times) {
        if (x->times < 0) report(c, out, x->loc, name, "'%s' was never started", x->state);
        else if (x->times == 0) report(c, out, x->loc, name, "'%s' was started %ld time%s, not never", x->state,
                                       n->started, n->started == 1 ? "" : "s");
        else report(c, out, x->loc, name, "'%s' was started %ld time%s, not %lld", x->state, n->started,
                    n->started == 1 ? "" : "s", x->times);
        ok = false;
      }
      break;
    case EXPECT_ENDED:
      if (!n->started) {
        report(c, out, x->loc, name, "'%s' was never started", x->state);
        ok = false;
      } else if (!strcmp(x->status, "succeeded") && n->failure) {
        report(c, out, x->loc, name, "an execution of '%s' ended %s with error '%s'", x->state, n->failure,
               n->error ? n->error : "?");
        ok = false;
      } else if (!strcmp(x->status, "failed") && !n->failure) {
        report(c, out, x->loc, name, "no execution of '%s' failed (%ld succeeded)", x->state, n->succeeded);
        ok = false;
      }
      break;
    case EXPECT_CALLED: case EXPECT_TIMES: ok &= judge_calls(c, out, name, x, want, r); break;
    default: break; /* check.c: not in a simulation */
    }
    json_decref(want);
  }
  free(by);
  return ok;
}

/* A test with events: the program's rules, workflows and events, as sfc simulate runs
   them, every task answered by the test's mocks. */
static bool run_simulation(struct compilation *c, const struct model *m, const struct model_test *t, uint64_t seed,
                           FILE *out) {
  struct run r;
  run_init(c, t, NULL, &r);
  json_t **events = xmalloc((size_t)(t->nevents + 1) * sizeof *events);
  bool ok = true;
  for (int i = 0; i < t->nevents; i++) {
    events[i] = jn_to_json(t->events[i]);
    const char *problem = rt_sim_event_problem(events[i]);
    if (problem && ok) {
      report(c, out, jn_loc(t->events[i]), t->name, "the event %s (an event is an object with \"source\", "
             "\"detail-type\" and \"detail\")", problem);
      ok = false;
    }
  }
  struct rt_sim_options o = {0};
  o.seed = seed;
  o.start_ms = 0; /* the runtime's default start */
  o.until_ms = -1;
  o.max_executions = 100;
  o.account = c->account, o.region = c->region, o.partition = c->partition;
  o.task = simulated_task;
  o.task_ctx = &r;
  struct rt_sim_result res = {0};
  if (ok) {
    rt_simulate(m, events, t->event_buses, t->nevents, &o, &res);
    ok = judge_simulation(c, out, m, t, &r, &res, o.max_executions);
  }
  json_decref(res.chain);
  for (int i = 0; i < t->nevents; i++) json_decref(events[i]);
  free(events);
  run_free(&r);
  return ok;
}

/* ---------------------------------------------------------------- one test */

static bool run_test(struct compilation *c, const struct model *m, const struct model_test *t, uint64_t seed,
                     struct coverage *cover, FILE *out) {
  if (t->workflow < 0) return run_simulation(c, m, t, seed, out);
  const struct model_workflow *w = &m->workflows[t->workflow];
  json_t *definition = jn_to_json(w->definition);
  json_t *input = jn_to_json(t->input);
  struct run r;
  run_init(c, t, cover, &r);
  struct rt_options o = {0};
  o.seed = seed;
  o.start_ms = 0; /* the runtime's default start, as sfc run's: the same $$ times */
  o.state_machine_name = w->name;
  o.account = c->account;
  o.region = c->region;
  o.partition = c->partition;
  o.task = answer_task;
  o.task_ctx = &r;
  o.step = see_step;
  o.step_ctx = &r;
  o.history = true;
  struct rt_result res = {0};
  bool ok;
  if (!rt_execute(definition, input, &o, &res)) {
    report(c, out, t->loc, t->name, "the workflow cannot run: %s", res.error.error ? res.error.error : "?");
    print_cause(out, &res);
    ok = false;
  } else {
    ok = judge(c, out, t, definition, &r, &res);
  }
  rt_result_free(&res);
  run_free(&r);
  json_decref(definition);
  json_decref(input);
  return ok;
}

/* ---------------------------------------------------------------- the report */

static void describe_item(struct buf *b, const struct cover_item *it) {
  switch (it->kind) {
  case COVER_STATE: buf_printf(b, "state %s", it->state); break;
  case COVER_NEXT: buf_printf(b, "%s -> %s", it->state, it->to); break;
  case COVER_RULE: buf_printf(b, "choice %s: rule %d -> %s", it->state, it->index + 1, it->to ? it->to : "?"); break;
  case COVER_DEFAULT: buf_printf(b, "choice %s: otherwise -> %s", it->state, it->to); break;
  case COVER_CATCH:
    buf_printf(b, "%s: catch %s -> %s", it->state, it->errors, it->to ? it->to : "?");
    break;
  }
}

/* PCT to one decimal, rounded, but never shown as 100 with items missing (ALL: none
   is), nor as reaching MIN when it is below it: then cut instead. */
static double percent_shown(double pct, bool all, double min) {
  double rounded = round(pct * 10) / 10;
  if ((rounded >= 100 && !all) || (min >= 0 && pct < min && rounded >= min)) return floor(pct * 10) / 10;
  return rounded;
}

/* The items no test took, at their lines, and the share taken; false below MIN. */
static bool print_coverage(struct compilation *c, const struct model *m, const struct coverage *cv, double min,
                           FILE *out) {
  int taken = 0, per[5] = {0}, per_taken[5] = {0};
  for (int i = 0; i < cv->count; i++) {
    per[cv->items[i].kind]++;
    if (cv->items[i].taken) taken++, per_taken[cv->items[i].kind]++;
  }
  double pct = cv->count ? 100.0 * taken / cv->count : 100.0;
  double shown_pct = percent_shown(pct, taken == cv->count, min);
  if (taken < cv->count) fputs("not covered:\n", out);
  for (int i = 0; i < cv->count; i++) {
    const struct cover_item *it = &cv->items[i];
    if (it->taken) continue;
    int line, col;
    diag_line_col(&c->diag, it->loc.file, it->loc.start, &line, &col);
    struct buf b = {0};
    describe_item(&b, it);
    char *file = name_escape(c->diag.files[it->loc.file].name, true);
    char *what = name_escape(b.data, true);
    fprintf(out, "  %s:%d: %s\n", file, line, what);
    free(file);
    free(what);
    buf_free(&b);
  }
  /* with several workflows, each one's share (items are in workflow order) */
  if (m->nworkflows > 1) fputs("by workflow:\n", out);
  for (int w = 0, i = 0; m->nworkflows > 1 && w < m->nworkflows; w++) {
    int n = 0, t = 0;
    for (; i < cv->count && cv->items[i].workflow == w; i++) n++, t += cv->items[i].taken;
    char *name = name_escape(m->workflows[w].name, true);
    fprintf(out, "  %s: %.1f%% (%d of %d)\n", name, percent_shown(n ? 100.0 * t / n : 100.0, t == n, -1), t, n);
    free(name);
  }
  fprintf(out, "coverage: %.1f%% (%d of %d taken:", shown_pct, taken, cv->count);
  bool first = true;
  for (int k = 0; k < 5; k++) {
    if (!per[k]) continue;
    fprintf(out, "%s %d/%d %s", first ? "" : ",", per_taken[k], per[k], cover_kind_names[k]);
    first = false;
  }
  fputs(")\n", out);
  if (min >= 0 && pct < min) {
    fprintf(out, "sfc test: coverage %.1f%% is below --coverage-min %g%%\n", shown_pct, min);
    return false;
  }
  return true;
}

/* ---------------------------------------------------------------- the command */

static int usage(const char *fmt, const char *arg) {
  fputs("sfc: error: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nTry 'sfc test --help'.\n", stderr);
  return EXIT_USAGE;
}

int sftest_main(int argc, char **argv) {
  bool coverage = false, quiet = false, files_only = false;
  double min = -1;
  uint64_t seed = 0;
  const char *filter = NULL;
  const char **files = xmalloc((size_t)argc * sizeof *files);
  int nfiles = 0, status = EXIT_OK;
  struct options opts = {0};
  opts.defines = xmalloc((size_t)argc * sizeof *opts.defines);
  opts.for_output = true; /* a run needs every param's value */
  for (int i = 0; i < argc && status == EXIT_OK; i++) {
    const char *a = argv[i];
    if (files_only || !strcmp(a, "-") || a[0] != '-') {
      files[nfiles++] = a;
    } else if (!strcmp(a, "--")) {
      files_only = true;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(test_usage, stdout);
      goto done;
    } else if (!strcmp(a, "--coverage")) {
      coverage = true;
    } else if (!strcmp(a, "--coverage-min") || !strncmp(a, "--coverage-min=", 15)) {
      const char *n = a[14] ? a + 15 : i + 1 < argc ? argv[++i] : NULL;
      char *end = NULL;
      min = n ? strtod(n, &end) : -1;
      if (!n || end == n || *end || !(min >= 0 && min <= 100))
        status = usage("--coverage-min takes a percentage from 0 to 100, not '%s'", n ? n : "");
      coverage = true;
    } else if (!strcmp(a, "--filter") || !strncmp(a, "--filter=", 9)) {
      filter = a[8] ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
      if (!filter) status = usage("%s", "--filter needs the text a test name contains");
    } else if (!strcmp(a, "--seed") || !strncmp(a, "--seed=", 7)) {
      const char *n = a[6] ? a + 7 : i + 1 < argc ? argv[++i] : NULL;
      char *end = NULL;
      errno = 0;
      unsigned long long v = n && *n != '-' ? strtoull(n, &end, 10) : 0;
      if (!n || !*n || *n == '-' || errno || *end) status = usage("--seed takes a whole number from 0, not '%s'", n ? n : "");
      seed = v;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      quiet = true;
    } else if (!strncmp(a, "-D", 2)) {
      const char *def = a[2] ? a + 2 : i + 1 < argc ? argv[++i] : NULL;
      const char *eq = def ? strchr(def, '=') : NULL;
      if (!eq || eq == def) {
        status = usage("-D takes NAME=VALUE, not '%s'", def ? def : "");
        break;
      }
      opts.defines[opts.ndefines++] = (struct define){strndup(def, (size_t)(eq - def)), eq + 1, false};
    } else {
      status = usage("unknown option '%s'", a);
    }
  }
  if (status != EXIT_OK) goto done;
  if (!nfiles) {
    status = usage("%s", "no input files (give the .sf files whose tests to run)");
    goto done;
  }
  for (int i = 0, seen = 0; i < nfiles; i++)
    if (!strcmp(files[i], "-") && seen++) {
      status = usage("%s", "'-' (standard input) is given more than once");
      goto done;
    }

  struct compilation c = {0};
  c.options = &opts;
  struct input *texts = xmalloc((size_t)nfiles * sizeof *texts);
  int nread = 0;
  for (int i = 0; i < nfiles && status == EXIT_OK; i++) {
    size_t len = 0;
    char *text = read_whole_file(files[i], &len);
    if (!text) {
      status = EXIT_IO;
    } else if (is_asl_file(files[i])) {
      status = usage("'%s' is an ASL file: sfc test runs the tests of .sf files", files[i]);
      free(text);
    } else {
      texts[nread++] = (struct input){strcmp(files[i], "-") ? files[i] : "<stdin>", text, len, false};
    }
  }
  struct model model = {0};
  struct outputs outs = {0};
  if (status == EXIT_OK) status = sfc_compile(&c, texts, nread, COMPILE_CHECK, &model, &outs);
  if (status != EXIT_OK) {
    diag_print_text(&c.diag, stderr);
  } else {
    lower_tests(&c, &model);
    struct coverage cover = {0};
    for (int i = 0; i < model.nworkflows; i++) cover_states(&c, &cover, i, model.workflows[i].definition);
    int nrun = 0, passed = 0;
    for (int i = 0; i < model.ntests; i++) {
      const struct model_test *t = &model.tests[i];
      if (filter && !strstr(t->name, filter)) continue;
      nrun++;
      bool ok = run_test(&c, &model, t, seed, &cover, stdout);
      passed += ok;
      if (!quiet || !ok) {
        char *name = name_escape(t->name, true); /* what reaches the terminal is text */
        printf("test \"%s\": %s\n", name, ok ? "ok" : "FAILED");
        free(name);
      }
    }
    if (!nrun && filter) {
      fprintf(stderr, "sfc: error: no test name contains '%s'\n", shown(filter));
      status = EXIT_INPUT;
    } else if (!nrun) {
      fputs("sfc: error: no tests to run (write test \"name\" { ... } blocks)\n", stderr);
      status = EXIT_INPUT;
    } else {
      bool enough = !coverage || print_coverage(&c, &model, &cover, min, stdout);
      printf("%d test%s, %d passed, %d failed\n", nrun, nrun == 1 ? "" : "s", passed, nrun - passed);
      if (passed < nrun || !enough) status = EXIT_INPUT;
    }
    free(cover.items);
    table_free(&cover.by_key);
    buf_free(&cover.key);
  }
  fflush(stdout);
  outputs_free(&outs);
  compilation_free(&c);
  for (int i = 0; i < nread; i++) free((char *)texts[i].text);
  free(texts);
done:
  for (int i = 0; i < opts.ndefines; i++) free((char *)opts.defines[i].name);
  free(opts.defines);
  free(files);
  return status;
}
