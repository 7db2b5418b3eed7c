/* chain.c: the program's event-driven system run locally.
 *
 *   sfc simulate FILE.sf --event EVENT [options]   events through rules, workflows and
 *                                                  the events they send, on one clock
 *   sfc match FILE.sf EVENT.json                   which rules of the program match
 *
 * A simulation is a queue of deliveries ordered by virtual time (ties: the order they
 * were made). Delivering an event on a bus runs every enabled rule of that bus against
 * it (match.c); each rule that matches renders its target's input (transform.c) and
 * starts its workflow's execution (interp.c) at that moment. While an execution runs,
 * a PutEvents task (`emit`) puts its entries on their buses as events at the task's
 * time, and its end puts the "Step Functions Execution Status Change" event on the
 * default bus at the stop time, as AWS does for standard workflows (express workflows
 * send none). Schedules (EventBridge Scheduler's) fire on the same clock, up to --until,
 * each at its exact time (a flexible window is not drawn from). Other tasks are answered by the mock file, or with {} (marked
 * "no mock") unless --strict. EventBridge's own delivery takes no virtual time.
 *
 * What happened is one tree, printed with box-drawing lines or as JSON (--json):
 * an event, the rules it reached, the execution each started, that execution's tasks,
 * the events they sent and its status changes, and so on down the chain. Executions are
 * bounded (--max-executions), so a cycle of events stops with a message.
 *
 * Exit codes (README, "Simulating the event chain"): 0 every execution succeeded,
 * 1 the program has errors, 2 bad usage (or a bad event or mock file), 3 I/O error,
 * 4 an execution did not succeed (or a target could not be started), 5 the simulation
 * stopped at its bound.
 */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"
#include "model.h"
#include "runtime.h"
#include "interp.h"
#include "match.h"
#include "events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SIM_NOT_SUCCEEDED = 4, SIM_BOUND = 5, MATCH_NONE = 1 };

#define DEFAULT_START "2024-01-01T00:00:00Z"
#define DEFAULT_MAX_EXECUTIONS 100

static const char simulate_usage[] =
    "usage: sfc simulate FILE.sf [--event EVENT]... [options]\n"
    "\n"
    "Runs the program's event-driven system locally on a virtual clock: each event\n"
    "goes on its bus, every rule that matches it starts its workflow with the rule's\n"
    "input, each PutEvents task (emit) puts its events back on their buses, and each\n"
    "execution's end sends the Step Functions status change event that 'on workflow'\n"
    "rules match. Prints the chain as a tree: event, rule, execution, tasks, the\n"
    "events they sent, and so on.\n"
    "\n"
    "options:\n"
    "  --event JSON|@FILE  an event to put on the bus at the start (repeatable), e.g.\n"
    "                      the output of 'sfc event s3 BUCKET created KEY'; a bare\n"
    "                      {source, detail-type, detail} gets EventBridge's envelope\n"
    "  --bus NAME          the bus the events go on (default: default)\n"
    "  --until DURATION    run the clock this long: schedules fire up to it, and\n"
    "                      what falls later is not delivered (e.g. 90s, 15m, 2h, 1d;\n"
    "                      default: no schedules fire, every event is delivered)\n"
    "  --start TIMESTAMP   the virtual start time (default " DEFAULT_START ")\n"
    "  --mocks FILE        task results (sfc run's mock file: StateMachines by\n"
    "                      workflow name, Resources); tasks without one return {}\n"
    "  --strict            a task without a mock fails its execution instead\n"
    "  --why               also show the rules an event did not match, and why\n"
    "  --json              print the tree as JSON\n"
    "  --max-executions N  stop after N executions (default 100): a cycle of events\n"
    "                      ends here\n"
    "  --seed N            the seed of execution names, event ids and the runtime's\n"
    "                      random numbers (default 0)\n"
    "  -D NAME=VALUE       set a param; account, region and partition set the ARNs\n"
    "                      (default 123456789012, us-east-1, aws)\n"
    "  -h, --help          show this help\n"
    "\n"
    "exit codes: 0 every execution succeeded, 1 errors in FILE.sf, 2 bad usage (or a\n"
    "            bad event or mock file), 3 I/O error, 4 an execution did not succeed\n"
    "            or a target could not be started, 5 stopped at --max-executions\n";

/* ------------------------------------------------------------ the program's rules */

/* A rule or schedule of the program, ready to fire. */
struct route {
  int workflow;                    /* index into model.workflows */
  const struct model_trigger *t;
  const char *bus;                 /* rules: the bus's name */
  char *arn;                       /* the rule's or schedule's ARN */
  struct mt_pattern *pattern;      /* rules with an event pattern */
  int64_t next_ms;                 /* schedules: the next firing, or -1 */
};

/* A bus given as a name or an ARN ("arn:...:event-bus/NAME"), as its name. */
static const char *bus_name(const char *bus) {
  if (!bus || !*bus) return "default";
  const char *slash = strncmp(bus, "arn:", 4) ? NULL : strstr(bus, ":event-bus/");
  return slash ? slash + strlen(":event-bus/") : bus;
}

struct sim {
  const struct model *model;
  const struct rt_sim_options *o;
  int64_t start_ms;                /* o->start_ms, 0 read as rt_execute reads it */
  struct route *routes;
  int nroutes;
  json_t **definitions;            /* per workflow */
  const char *account, *region, *partition;
  struct rt_random random;         /* execution names, event ids */
  long executions, not_succeeded, undelivered;
  bool bound;                      /* an execution was refused at the bound */
  /* the queue: a binary heap of deliveries by (at_ms, seq) */
  struct delivery *heap;
  int nheap, capheap;
  long seq;
  /* the execution running now: its workflow, and where its tasks go */
  int workflow;
  json_t *tasks;
};

struct delivery {
  int64_t at_ms;
  long seq;
  json_t *event;                   /* owned; NULL for a Scheduler schedule's firing */
  const char *bus;                 /* the bus; NULL: only ROUTE receives it */
  int route;                       /* a schedule's firing: its route */
  json_t *node;                    /* borrowed: the tree node that records it */
};

static bool earlier(const struct delivery *a, const struct delivery *b) {
  return a->at_ms != b->at_ms ? a->at_ms < b->at_ms : a->seq < b->seq;
}

static void push(struct sim *s, struct delivery d) {
  if (s->nheap == s->capheap) {
    s->capheap = s->capheap ? 2 * s->capheap : 16;
    s->heap = xrealloc(s->heap, (size_t)s->capheap * sizeof *s->heap);
  }
  d.seq = s->seq++;
  int i = s->nheap++;
  for (; i > 0 && earlier(&d, &s->heap[(i - 1) / 2]); i = (i - 1) / 2) s->heap[i] = s->heap[(i - 1) / 2];
  s->heap[i] = d;
}

static struct delivery pop(struct sim *s) {
  struct delivery top = s->heap[0], last = s->heap[--s->nheap];
  int i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= s->nheap) break;
    if (c + 1 < s->nheap && earlier(&s->heap[c + 1], &s->heap[c])) c++;
    if (!earlier(&s->heap[c], &last)) break;
    s->heap[i] = s->heap[c];
    i = c;
  }
  if (s->nheap) s->heap[i] = last;
  return top;
}

/* ------------------------------------------------------------ the tree */

static json_t *time_json(int64_t ms) {
  char *t = ip_iso_time(ms);
  json_t *v = json_string(t);
  free(t);
  return v;
}

/* The node of an event on a bus: the rules it reaches are added when it is delivered. */
static json_t *event_node(json_t *event, const char *bus, int64_t at_ms) {
  json_t *n = json_object();
  json_object_set_new(n, "kind", json_string("event"));
  json_object_set_new(n, "bus", json_string(bus));
  json_object_set_new(n, "at", time_json(at_ms));
  json_object_set(n, "event", event);
  json_object_set_new(n, "rules", json_array());
  return n;
}

static void queue_event(struct sim *s, json_t *event, const char *bus, int64_t at_ms, json_t *node) {
  push(s, (struct delivery){at_ms, 0, event, bus, -1, node});
}

static struct rt_envelope envelope(const struct sim *s, int64_t at_ms) {
  return (struct rt_envelope){s->account, s->region, s->partition, at_ms, NULL};
}

/* ------------------------------------------------------------ tasks */

static bool starts_with(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

/* The PutEvents integrations: optimized (with or without a task token) and the SDK's. */
static bool is_put_events(const char *resource) {
  const char *r = strstr(resource, ":::");
  if (!starts_with(resource, "arn:") || !r) return false;
  r += 3;
  return !strcmp(r, "events:putEvents") || !strcmp(r, "events:putEvents.waitForTaskToken") ||
         !strcmp(r, "aws-sdk:eventbridge:putEvents");
}

/* PutEvents: every entry EventBridge accepts becomes an event on its bus at the call's
   time; the answer is PutEvents' response, with a failed entry's ErrorCode. */
static bool put_events(struct sim *s, const struct rt_task_call *call, json_t *node, json_t **result,
                       struct rt_error *err) {
  json_t *entries = json_object_get(call->parameters, "Entries");
  if (!json_is_array(entries) || json_array_size(entries) < 1 || json_array_size(entries) > 10) {
    rt_fail(err, "EventBridge.ValidationException",
            "Entries must be an array of 1 to 10 entries (PutEvents), in state '%s'", call->state);
    return false;
  }
  json_t *answers = json_array(), *events = json_array();
  long failed = 0;
  size_t i;
  json_t *entry;
  json_array_foreach(entries, i, entry) {
    char *why = NULL, id[37];
    json_t *copy = json_is_object(entry) ? json_deep_copy(entry) : NULL;
    /* Step Functions sends an object Detail as its JSON text */
    json_t *detail = json_object_get(copy, "Detail");
    if (detail && !json_is_string(detail)) {
      char *text = json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
      json_object_set_new(copy, "Detail", json_string(text));
      free(text);
    }
    rt_uuid(&s->random, id);
    struct rt_envelope e = envelope(s, call->now_ms);
    e.id = id;
    json_t *event = copy ? rt_event_from_entry(&e, copy, &why) : NULL;
    if (!event) {
      failed++;
      const char *code = why && strstr(why, "MalformedDetail") ? "MalformedDetail" : "InvalidArgument";
      json_array_append_new(answers, json_pack("{s:s,s:s}", "ErrorCode", code, "ErrorMessage",
                                               why ? why : "an entry must be an object"));
    } else {
      const char *bus = bus_name(json_string_value(json_object_get(copy, "EventBusName")));
      json_t *n = event_node(event, bus, call->now_ms);
      json_array_append_new(events, n);
      queue_event(s, event, json_string_value(json_object_get(n, "bus")), call->now_ms, n);
      json_array_append_new(answers, json_pack("{s:s}", "EventId", id));
    }
    free(why);
    json_decref(copy);
  }
  json_object_set_new(node, "events", events);
  *result = json_pack("{s:o,s:I}", "Entries", answers, "FailedEntryCount", (json_int_t)failed);
  return true;
}

/* The task handler of every execution: PutEvents goes to the buses, the rest to the
   caller's handler. Each call is recorded in the running execution's "tasks". */
static bool sim_task(void *ctx, const struct rt_task_call *call, json_t **result, struct rt_error *err) {
  struct sim *s = ctx;
  json_t *node = json_object();
  json_object_set_new(node, "state", json_string(call->state));
  json_object_set_new(node, "resource", json_string(call->resource));
  json_object_set_new(node, "at", time_json(call->now_ms));
  json_object_set(node, "input", call->parameters ? call->parameters : json_null());
  json_array_append_new(s->tasks, node);
  const char *answer = "bus";
  bool ok;
  if (is_put_events(call->resource)) {
    ok = put_events(s, call, node, result, err);
    /* the token's answer (SendTaskSuccess) is the handler's */
    if (ok && strstr(call->resource, ".waitForTaskToken")) {
      json_decref(*result);
      ok = s->o->task(s->o->task_ctx, s->workflow, call, result, err, &answer);
    }
  } else {
    ok = s->o->task(s->o->task_ctx, s->workflow, call, result, err, &answer);
  }
  json_object_set_new(node, "answer", json_string(answer));
  if (ok) {
    json_object_set(node, "result", *result);
  } else {
    json_object_set_new(node, "error", json_string(err->error ? err->error : ""));
    if (err->cause) json_object_set_new(node, "cause", json_string(err->cause));
  }
  return ok;
}

/* ------------------------------------------------------------ executions */

static const char *const status_names[] = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"};

static json_t *text_or_null(const char *s) { return s ? json_string(s) : json_null(); }

/* The status change event of an execution, queued on the default bus and recorded. */
static void status_change(struct sim *s, json_t *execution, const struct rt_status_change *c, int64_t at_ms) {
  struct rt_envelope e = envelope(s, at_ms);
  char id[37];
  rt_uuid(&s->random, id);
  e.id = id;
  json_t *event = rt_event_status_change(&e, c);
  json_t *n = event_node(event, "default", at_ms);
  json_object_set_new(n, "status", json_string(c->status));
  json_array_append_new(json_object_get(execution, "status_changes"), n);
  queue_event(s, event, "default", at_ms, n);
}

/* Starts an execution of workflow W with INPUT (borrowed) at AT_MS; records it as
   PARENT's "execution". */
static void start_execution(struct sim *s, int w, json_t *input, int64_t at_ms, json_t *parent) {
  const struct model_workflow *mw = &s->model->workflows[w];
  if (s->executions >= s->o->max_executions) {
    s->bound = true;
    json_object_set_new(parent, "not_started",
                        json_sprintf("the bound of %ld executions was reached", s->o->max_executions));
    return;
  }
  s->executions++;
  char name[37];
  rt_uuid(&s->random, name);
  json_t *x = json_object();
  json_object_set_new(parent, "execution", x);
  json_object_set_new(x, "workflow", json_string(mw->name));
  json_object_set_new(x, "name", json_string(name));
  json_object_set_new(x, "start", time_json(at_ms));
  json_object_set(x, "input", input);
  json_object_set_new(x, "tasks", json_array());
  json_object_set_new(x, "status_changes", json_array());
  char *input_text = rt_json_text(input);
  struct rt_status_change c = {mw->arn, name, "RUNNING", input_text, NULL, NULL, NULL, at_ms, -1};
  if (!mw->express) status_change(s, x, &c, at_ms);

  struct rt_options o = {0};
  o.seed = rt_random_next(&s->random);
  o.state_machine_name = mw->name;
  o.execution_name = name;
  o.account = s->account, o.region = s->region, o.partition = s->partition;
  o.start_ms = at_ms;
  o.task = sim_task, o.task_ctx = s;
  s->tasks = json_object_get(x, "tasks");
  s->workflow = w;
  struct rt_result r = {0};
  char *output_text = NULL;
  if (!rt_execute(s->definitions[w], input, &o, &r)) {
    /* the checker accepted the definition; the runtime could not run it */
    r.status = RT_FAILED;
  }
  s->tasks = NULL;
  c.status = status_names[r.status];
  c.stop_ms = at_ms + r.duration_ms;
  json_object_set_new(x, "status", json_string(c.status));
  json_object_set_new(x, "stop", time_json(c.stop_ms));
  if (r.status == RT_SUCCEEDED) {
    json_object_set(x, "output", r.output ? r.output : json_null());
    c.output = output_text = rt_json_text(r.output ? r.output : json_null());
  } else {
    s->not_succeeded++;
    json_object_set_new(x, "error", text_or_null(r.error.error));
    json_object_set_new(x, "cause", text_or_null(r.error.cause));
    c.error = r.error.error, c.cause = r.error.cause;
  }
  if (!mw->express) status_change(s, x, &c, c.stop_ms);
  rt_result_free(&r);
  free(input_text);
  free(output_text);
}

/* A rule's target: its input rendered from EVENT, then the execution. */
static void run_target(struct sim *s, const struct route *r, json_t *event, int64_t at_ms, json_t *entry) {
  const struct model_trigger *t = r->t;
  struct rt_input_var *vars = xmalloc((size_t)(t->ninput_vars + 1) * sizeof *vars);
  for (int i = 0; i < t->ninput_vars; i++) vars[i] = (struct rt_input_var){t->input_vars[i].name, t->input_vars[i].path};
  struct rt_target target = {t->name, r->arn, t->input, t->input_path, vars, t->ninput_vars, t->input_template};
  char *why = NULL;
  char *text = rt_target_input(&target, event, at_ms, &why);
  free(vars);
  json_error_t e;
  json_t *input = text ? json_loads(text, JSON_DECODE_ANY, &e) : NULL;
  if (!input) {
    /* StartExecution refuses input that is not JSON: EventBridge's invocation fails */
    s->not_succeeded++;
    json_object_set_new(entry, "not_started",
                        text ? json_sprintf("the target input is not JSON (%s): %s", e.text, text)
                             : json_sprintf("the target input cannot be rendered: %s", why));
  } else {
    start_execution(s, r->workflow, input, at_ms, entry);
  }
  json_decref(input);
  free(text);
  free(why);
}

static json_t *rule_entry(const struct sim *s, const struct route *r) {
  return json_pack("{s:s,s:s}", "rule", r->t->name, "workflow", s->model->workflows[r->workflow].name);
}

/* ------------------------------------------------------------ schedules */

/* The next firing of schedule route R strictly after AFTER_MS, if before the horizon.
   A time zone this machine does not know stops the schedule, said in CHAIN. */
static void plan_firing(struct sim *s, int r, int64_t after_ms, json_t *chain) {
  struct route *route = &s->routes[r];
  int64_t next;
  bool unknown_tz = false;
  if (s->o->until_ms < 0) return;
  if (!schedule_next(route->t->expression, route->t->timezone, s->start_ms, after_ms, &next, &unknown_tz)) {
    if (unknown_tz) {
      s->not_succeeded++;
      json_array_append_new(chain, json_pack("{s:s,s:s,s:s,s:o,s:o}", "kind", "schedule", "schedule", route->t->name,
                                             "workflow", s->model->workflows[route->workflow].name, "at",
                                             time_json(s->start_ms), "not_started", json_sprintf(
                                                 "time zone '%s' is not in this machine's time zone database "
                                                 "(Debian's tzdata)", route->t->timezone)));
    }
    return;
  }
  if (next <= s->o->until_ms) push(s, (struct delivery){next, 0, NULL, NULL, r, NULL});
}

/* A schedule fires: Scheduler calls StartExecution itself, with the schedule's Input
   (sfc makes every schedule a Scheduler schedule, none a scheduled rule). */
static void fire(struct sim *s, const struct delivery *d, json_t *chain) {
  const struct route *r = &s->routes[d->route];
  char id[37];
  rt_uuid(&s->random, id);
  struct rt_schedule_call call = {r->arn, id, d->at_ms, 1};
  char *text = rt_scheduler_input(r->t->input, &call);
  json_t *n = json_pack("{s:s,s:s,s:s,s:o}", "kind", "schedule", "schedule", r->t->name, "workflow",
                        s->model->workflows[r->workflow].name, "at", time_json(d->at_ms));
  json_array_append_new(chain, n);
  json_error_t e;
  json_t *input = json_loads(text, JSON_DECODE_ANY, &e);
  if (input) {
    start_execution(s, r->workflow, input, d->at_ms, n);
  } else {
    s->not_succeeded++;
    json_object_set_new(n, "not_started", json_sprintf("the schedule's input is not JSON: %s", text));
  }
  json_decref(input);
  free(text);
  plan_firing(s, d->route, d->at_ms, chain);
}

/* ------------------------------------------------------------ delivery */

static void deliver(struct sim *s, const struct delivery *d) {
  json_t *rules = json_object_get(d->node, "rules");
  for (int i = 0; i < s->nroutes; i++) {
    const struct route *r = &s->routes[i];
    if (!r->pattern || strcmp(r->bus, d->bus)) continue;
    char *why = NULL;
    bool matched = r->t->enabled && mt_match(r->pattern, d->event, s->o->why ? &why : NULL);
    if (matched) {
      json_t *entry = rule_entry(s, r);
      json_array_append_new(rules, entry);
      run_target(s, r, d->event, d->at_ms, entry);
    } else if (s->o->why) {
      json_t *entry = rule_entry(s, r);
      json_object_set_new(entry, "no_match", json_string(r->t->enabled ? why : "the rule is disabled"));
      json_array_append_new(rules, entry);
    }
    free(why);
  }
}

static void run(struct sim *s, json_t *chain) {
  while (s->nheap) {
    struct delivery d = pop(s);
    if (s->o->until_ms >= 0 && d.at_ms > s->o->until_ms) {
      s->undelivered++;
      if (d.node) json_object_set_new(d.node, "undelivered", json_string("after --until"));
    } else if (d.event && d.bus) {
      deliver(s, &d);
    } else {
      fire(s, &d, chain);
    }
    json_decref(d.event);
  }
}

/* ------------------------------------------------------------ printing */

struct printer {
  FILE *out;
  bool why;
  struct buf prefix;
};

static void print_children(struct printer *p, json_t *const *kids, int n);

/* One line at the current prefix, then its children below it; the top of a chain
   stands alone. */
static void print_node(struct printer *p, bool last, bool top, const char *line, json_t *const *kids, int n) {
  fprintf(p->out, "%s%s%s\n", p->prefix.data, top ? "" : last ? "└─ " : "├─ ", line);
  size_t keep = p->prefix.len;
  if (!top) buf_adds(&p->prefix, last ? "   " : "│  ");
  print_children(p, kids, n);
  p->prefix.len = keep;
  p->prefix.data[keep] = 0;
}

static const char *str(json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

/* A status change that reaches nothing is shown only when it says how the execution
   ended, or with --why. */
static bool shown_event(const struct printer *p, json_t *n) {
  return p->why || !str(n, "status") || strcmp(str(n, "status"), "RUNNING") ||
         json_array_size(json_object_get(n, "rules"));
}

static void print_line(struct printer *p, json_t *n, bool last, bool top);

static void print_children(struct printer *p, json_t *const *kids, int n) {
  int shown = 0;
  for (int i = 0; i < n; i++) shown += kids[i] != NULL;
  for (int i = 0, k = 0; i < n; i++)
    if (kids[i]) print_line(p, kids[i], ++k == shown, false);
}

/* A node's children, in the order they happened: an execution's RUNNING status change,
   its tasks, its final status change. */
static int children_of(const struct printer *p, json_t *n, json_t ***out) {
  int cap = 4, count = 0;
  json_t **kids = xmalloc((size_t)cap * sizeof *kids);
  json_t *changes = json_object_get(n, "status_changes");
  json_t *arrays[4] = {json_object_get(n, "rules"), changes, json_object_get(n, "tasks"), changes};
  if (json_object_get(n, "execution")) arrays[0] = NULL;
  for (int a = 0; a < 4; a++) {
    size_t i;
    json_t *k;
    json_array_foreach(arrays[a], i, k) {
      bool running = str(k, "status") && !strcmp(str(k, "status"), "RUNNING");
      if ((a == 1 && !running) || (a == 3 && running)) continue;
      if (count == cap) kids = xrealloc(kids, (size_t)(cap *= 2) * sizeof *kids);
      bool skip = (a == 1 || a == 3) && !shown_event(p, k);
      kids[count++] = skip ? NULL : k;
    }
  }
  /* a task's events */
  size_t i;
  json_t *k;
  json_array_foreach(json_object_get(n, "events"), i, k) {
    if (count == cap) kids = xrealloc(kids, (size_t)(cap *= 2) * sizeof *kids);
    kids[count++] = k;
  }
  if (json_object_get(n, "execution")) {
    if (count == cap) kids = xrealloc(kids, (size_t)(cap *= 2) * sizeof *kids);
    kids[count++] = json_object_get(n, "execution");
  }
  *out = kids;
  return count;
}

static char *event_line(json_t *n) {
  json_t *e = json_object_get(n, "event");
  struct buf b = {0};
  if (str(n, "status"))
    buf_printf(&b, "status change %s on bus %s at %s", str(n, "status"), str(n, "bus"), str(n, "at"));
  else
    buf_printf(&b, "event %s \"%s\" on bus %s at %s", str(e, "source"), str(e, "detail-type"), str(n, "bus"),
               str(n, "at"));
  if (str(n, "undelivered")) buf_printf(&b, ": not delivered (%s)", str(n, "undelivered"));
  else if (!json_array_size(json_object_get(n, "rules"))) buf_adds(&b, ": no rule matches");
  return b.data;
}

static void print_line(struct printer *p, json_t *n, bool last, bool top) {
  struct buf b = {0};
  if (str(n, "kind") && !strcmp(str(n, "kind"), "event")) {
    char *line = event_line(n);
    buf_adds(&b, line);
    free(line);
  } else if (str(n, "kind") && !strcmp(str(n, "kind"), "schedule")) {
    if (str(n, "not_started") && !json_object_get(n, "execution")) buf_printf(&b, "schedule %s", str(n, "schedule"));
    else buf_printf(&b, "schedule %s fires at %s", str(n, "schedule"), str(n, "at"));
  } else if (str(n, "rule")) {
    buf_printf(&b, "rule %s → %s", str(n, "rule"), str(n, "workflow"));
    if (str(n, "no_match")) buf_printf(&b, ": no match: %s", str(n, "no_match"));
  } else if (str(n, "state")) {
    const char *answer = str(n, "answer");
    buf_printf(&b, "task %s (%s)", str(n, "state"), str(n, "resource"));
    const char *how = !strcmp(answer, "none") ? "no mock, " : !strcmp(answer, "mock") ? "mock " : "";
    if (str(n, "error")) {
      buf_printf(&b, ": %sfails with %s%s%s", how, str(n, "error"), str(n, "cause") ? ": " : "",
                 str(n, "cause") ? str(n, "cause") : "");
    } else if (*how) {
      /* the answer in a line: its compact JSON, cut short */
      char *result = json_dumps(json_object_get(n, "result"), JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
      if (result && strlen(result) > 60) strcpy(result + 56, " ...");
      buf_printf(&b, ": %sreturns %s", how, result ? result : "null");
      free(result);
    }
  } else if (str(n, "workflow") && str(n, "name")) {
    buf_printf(&b, "execution %s %s: %s at %s", str(n, "workflow"), str(n, "name"), str(n, "status"),
               str(n, "stop"));
    if (str(n, "error")) buf_printf(&b, ": %s", str(n, "error"));
  }
  if (str(n, "not_started")) buf_printf(&b, ": not started: %s", str(n, "not_started"));
  json_t **kids;
  int count = children_of(p, n, &kids);
  print_node(p, last, top, b.data, kids, count);
  free(kids);
  free(b.data);
}

/* ------------------------------------------------------------ setting up */

const char *rt_sim_event_problem(const json_t *v) {
  if (!json_is_object(v)) return "is not a JSON object";
  if (!json_is_string(json_object_get(v, "source"))) return "has no \"source\" string";
  if (!json_is_string(json_object_get(v, "detail-type"))) return "has no \"detail-type\" string";
  if (!json_is_object(json_object_get(v, "detail"))) return "has no \"detail\" object";
  return NULL;
}

/* EVENT as it goes on the bus: whole, or the parts PutEvents takes given EventBridge's
   envelope. */
static json_t *enveloped(struct sim *s, json_t *v) {
  static const char *const envelope_fields[] = {"version", "id", "account", "time", "region", "resources"};
  for (size_t i = 0; i < sizeof envelope_fields / sizeof *envelope_fields; i++)
    if (!json_object_get(v, envelope_fields[i])) {
      struct rt_envelope e = envelope(s, s->start_ms);
      char id[37];
      rt_uuid(&s->random, id);
      e.id = id;
      json_t *resources = json_object_get(v, "resources");
      return rt_event(&e, str(v, "source"), str(v, "detail-type"), json_is_array(resources) ? resources : NULL,
                      json_object_get(v, "detail"));
    }
  return json_incref(v);
}

/* The routes of the program: every trigger of every workflow. */
static void plan_routes(struct sim *s) {
  const struct model *m = s->model;
  int n = 0;
  for (int w = 0; w < m->nworkflows; w++) n += m->workflows[w].ntriggers;
  s->routes = xmalloc((size_t)(n + 1) * sizeof *s->routes);
  s->definitions = xmalloc((size_t)(m->nworkflows + 1) * sizeof *s->definitions);
  for (int w = 0; w < m->nworkflows; w++) {
    const struct model_workflow *mw = &m->workflows[w];
    s->definitions[w] = jn_to_json(mw->definition);
    for (int k = 0; k < mw->ntriggers; k++) {
      const struct model_trigger *t = &mw->triggers[k];
      struct route *r = &s->routes[s->nroutes++];
      *r = (struct route){w, t, bus_name(t->bus), NULL, NULL, -1};
      if (t->kind == MODEL_SCHEDULE)
        r->arn = ip_xasprintf("arn:%s:scheduler:%s:%s:schedule/default/%s", s->partition, s->region, s->account, t->name);
      else if (!strcmp(r->bus, "default"))
        r->arn = ip_xasprintf("arn:%s:events:%s:%s:rule/%s", s->partition, s->region, s->account, t->name);
      else
        r->arn = ip_xasprintf("arn:%s:events:%s:%s:rule/%s/%s", s->partition, s->region, s->account, r->bus, t->name);
      if (t->pattern) {
        json_t *pattern = jn_to_json(t->pattern);
        char *why = NULL;
        r->pattern = mt_compile(pattern, &why); /* the checker accepted it */
        if (!r->pattern) die("rule %s: the checker accepted a pattern the matcher refuses: %s", t->name, why);
        json_decref(pattern);
      }
    }
  }
}

static void sim_init(struct sim *s, const struct model *m, const struct rt_sim_options *o) {
  *s = (struct sim){0};
  s->model = m;
  s->o = o;
  s->start_ms = o->start_ms ? o->start_ms : DEFAULT_START_MS;
  s->account = o->account ? o->account : "123456789012";
  s->region = o->region ? o->region : "us-east-1";
  s->partition = o->partition ? o->partition : "aws";
  rt_random_seed(&s->random, o->seed);
  plan_routes(s);
}

static void sim_free(struct sim *s) {
  for (int i = 0; i < s->nroutes; i++) {
    free(s->routes[i].arn);
    mt_free(s->routes[i].pattern);
  }
  free(s->routes);
  if (s->definitions)
    for (int w = 0; w < s->model->nworkflows; w++) json_decref(s->definitions[w]);
  free(s->definitions);
  while (s->nheap) json_decref(pop(s).event);
  free(s->heap);
}

void rt_simulate(const struct model *m, json_t *const *events, const char *const *buses, int nevents,
                 const struct rt_sim_options *o, struct rt_sim_result *r) {
  struct sim s;
  sim_init(&s, m, o);
  r->chain = json_array();
  for (int i = 0; i < nevents; i++) {
    json_t *e = enveloped(&s, events[i]);
    json_t *n = event_node(e, bus_name(buses[i]), s.start_ms);
    json_array_append_new(r->chain, n);
    queue_event(&s, e, json_string_value(json_object_get(n, "bus")), s.start_ms, n);
  }
  for (int k = 0; k < s.nroutes; k++)
    /* Scheduler "begins invoking the target immediately": a rate() fires at the start */
    if (s.routes[k].t->kind == MODEL_SCHEDULE && s.routes[k].t->enabled) plan_firing(&s, k, s.start_ms - 1, r->chain);
  run(&s, r->chain);
  r->executions = s.executions;
  r->not_succeeded = s.not_succeeded;
  r->undelivered = s.undelivered;
  r->bound = s.bound;
  sim_free(&s);
}

/* ------------------------------------------------------------ sfc simulate */

/* sfc simulate's tasks: the mock file's answer, else {} (or, --strict, a failure). */
struct cli_tasks {
  const struct model *model;
  struct rt_mocks *mocks;
  bool strict;
};

static bool cli_task(void *ctx, int workflow, const struct rt_task_call *call, json_t **result, struct rt_error *err,
                     const char **answer) {
  struct cli_tasks *t = ctx;
  char *why = NULL;
  /* each workflow's test case: checked at the start, so choosing it cannot fail now */
  if (t->mocks && !rt_mocks_select(t->mocks, t->model->workflows[workflow].name, NULL, &why))
    die("%s", why);
  if (t->mocks && rt_mocks_answers(t->mocks, call)) {
    *answer = "mock";
    return rt_mocks_task(t->mocks, call, result, err);
  }
  *answer = "none";
  if (t->strict) {
    rt_fail(err, "States.Runtime", "no mock for state '%s' (Resource '%s'), and --strict", call->state,
            call->resource);
    return false;
  }
  *result = json_object();
  return true;
}

/* --until's DURATION: a whole number and a unit, s, m, h or d; at most a year. */
static bool parse_duration(const char *text, int64_t *ms) {
  static const struct { char unit; int64_t ms; } units[] = {{'s', 1000}, {'m', 60000}, {'h', 3600000}, {'d', 86400000}};
  char *end;
  if (*text < '0' || *text > '9') return false;
  long long n = strtoll(text, &end, 10);
  for (size_t i = 0; i < sizeof units / sizeof *units; i++)
    if (*end == units[i].unit && !end[1] && n <= 366LL * 86400000 / units[i].ms) {
      *ms = n * units[i].ms;
      return true;
    }
  return false;
}

/* -D account/region/partition, defaulted, so that every ARN of the program is whole. */
static void default_defines(struct options *opts) {
  static const char *const names[][2] = {{"account", "123456789012"}, {"region", "us-east-1"}, {"partition", "aws"}};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!rt_define_value(opts, names[i][0], NULL))
      opts->defines[opts->ndefines++] = (struct define){xstrdup(names[i][0]), names[i][1], false};
}

static int usage(const char *fmt, const char *arg) {
  fputs("sfc: error: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nTry 'sfc simulate --help'.\n", stderr);
  return EXIT_USAGE;
}

static void print_tree(const struct rt_sim_result *r, bool why) {
  struct printer p = {stdout, why, {0}};
  buf_adds(&p.prefix, "");
  size_t i;
  json_t *n;
  json_array_foreach(r->chain, i, n) print_line(&p, n, true, true);
  buf_free(&p.prefix);
  printf("%ld execution%s, %ld did not succeed%s\n", r->executions, r->executions == 1 ? "" : "s", r->not_succeeded,
         r->undelivered ? "; what fell after --until was not delivered" : "");
}

static void print_json_result(const struct rt_sim_result *r, const struct rt_sim_options *o) {
  json_t *doc = json_pack("{s:o,s:O,s:I,s:I,s:I}", "start", time_json(o->start_ms), "chain", r->chain, "executions",
                          (json_int_t)r->executions, "not_succeeded", (json_int_t)r->not_succeeded, "undelivered",
                          (json_int_t)r->undelivered);
  json_object_set_new(doc, "stopped", r->bound ? json_sprintf("at the bound of %ld executions", o->max_executions)
                                              : json_null());
  char *out = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
  puts(out);
  free(out);
  json_decref(doc);
}

int rt_cmd_simulate(int argc, char **argv) {
  const char *file = NULL, *bus = "default", *mocks_path = NULL, *start = DEFAULT_START, *until = NULL;
  const char **event_args = xmalloc((size_t)(argc + 1) * sizeof *event_args);
  json_t **events = xmalloc((size_t)(argc + 1) * sizeof *events);
  int nevents = 0, nparsed = 0, status = EXIT_OK;
  bool json = false, files_only = false;
  struct rt_sim_options o = {0};
  o.max_executions = DEFAULT_MAX_EXECUTIONS;
  o.until_ms = -1;
  struct cli_tasks tasks = {0};
  struct options opts = {0};
  opts.defines = xmalloc((size_t)(argc + 4) * sizeof *opts.defines);
  json_t *config = NULL;
  struct compilation c = {0};
  struct model model = {0};
  struct rt_sim_result r = {0};
  char *text = NULL;
  for (int i = 0; i < argc && status == EXIT_OK; i++) {
    const char *a = argv[i], *v = NULL;
    if (files_only || a[0] != '-' || !strcmp(a, "-")) {
      if (file) status = usage("one file at a time: '%s' is a second", a);
      file = a;
    } else if (!strcmp(a, "--")) files_only = true;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(simulate_usage, stdout);
      goto done;
    } else if (!strcmp(a, "--json")) json = true;
    else if (!strcmp(a, "--strict")) tasks.strict = true;
    else if (!strcmp(a, "--why")) o.why = true;
    else if (!strncmp(a, "-D", 2)) {
      const char *def = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
      const char *eq = def ? strchr(def, '=') : NULL;
      if (!eq || eq == def) status = usage("-D takes NAME=VALUE, not '%s'", def ? def : "");
      else opts.defines[opts.ndefines++] = (struct define){strndup(def, (size_t)(eq - def)), eq + 1, false};
    } else {
      static const char *const valued[] = {"--event", "--bus", "--mocks", "--start", "--until", "--max-executions", "--seed"};
      size_t k = 0;
      while (k < sizeof valued / sizeof *valued && !rt_is_option(a, valued[k])) k++;
      if (k == sizeof valued / sizeof *valued) {
        status = usage("unknown option '%s'", a);
        break;
      }
      if (!(v = rt_option_value(argc, argv, &i, valued[k]))) {
        status = usage("option '%s' needs a value", valued[k]);
        break;
      }
      char *end;
      switch (k) {
      case 0: event_args[nevents++] = v; break;
      case 1: bus = v; break;
      case 2: mocks_path = v; break;
      case 3: start = v; break;
      case 4: until = v; break;
      case 5:
        o.max_executions = strtol(v, &end, 10);
        if (*v < '1' || *v > '9' || *end || o.max_executions > 1000000)
          status = usage("--max-executions takes a whole number from 1 to 1000000, not '%s'", v);
        break;
      case 6:
        if (!rt_parse_seed(v, &o.seed)) status = usage("--seed takes a whole number from 0, not '%s'", v);
        break;
      }
    }
  }
  if (status != EXIT_OK) goto done;
  if (!file) {
    status = usage("%s", "no program to simulate (give FILE.sf)");
    goto done;
  }
  if (is_asl_file(file)) {
    status = usage("'%s' is an ASL file: a simulation needs the program's rules (give FILE.sf)", file);
    goto done;
  }
  if (!rt_parse_timestamp(start, &o.start_ms)) {
    status = usage("--start takes a timestamp such as 2024-05-01T12:00:00Z, not '%s'", start);
    goto done;
  }
  int64_t span;
  if (until && !parse_duration(until, &span)) {
    status = usage("--until takes a duration such as 90s, 15m, 2h or 1d (at most a year), not '%s'", until);
    goto done;
  }
  if (until) o.until_ms = o.start_ms + span;
  if (!nevents && !until) {
    status = usage("%s", "nothing to simulate: give --event EVENT, or --until DURATION for the schedules");
    goto done;
  }
  int stdin_uses = !strcmp(file, "-") + (mocks_path && !strcmp(mocks_path, "-"));
  for (int i = 0; i < nevents; i++) stdin_uses += !strcmp(event_args[i], "@-");
  if (stdin_uses > 1) {
    status = usage("%s", "standard input can be read once: by the program ('-'), an --event @- or --mocks -");
    goto done;
  }
  for (; nparsed < nevents; nparsed++) {
    json_t *v = rt_json_arg("--event", event_args[nparsed], &status);
    if (!v) break;
    const char *problem = rt_sim_event_problem(v);
    if (problem) {
      fprintf(stderr, "sfc: error: --event: the event %s (an event is an object with \"source\", "
                      "\"detail-type\" and \"detail\", as 'sfc event' prints it)\n", problem);
      json_decref(v);
      status = EXIT_USAGE;
      break;
    }
    events[nparsed] = v;
  }
  if (status != EXIT_OK) goto done;
  if (mocks_path && !(tasks.mocks = rt_load_mocks(mocks_path, &config, &status))) goto done;
  default_defines(&opts);
  o.account = rt_define_value(&opts, "account", NULL);
  o.region = rt_define_value(&opts, "region", NULL);
  o.partition = rt_define_value(&opts, "partition", NULL);
  text = rt_compile_file(file, &opts, &c, &model, &status);
  if (status != EXIT_OK) goto done;
  /* every workflow's test case is chosen now, so a bad mock file stops nothing midway */
  for (int w = 0; tasks.mocks && w < model.nworkflows; w++) {
    char *why = NULL;
    if (!rt_mocks_select(tasks.mocks, model.workflows[w].name, NULL, &why)) {
      fprintf(stderr, "sfc: error: %s\n", why);
      free(why);
      status = EXIT_USAGE;
      goto done;
    }
  }
  tasks.model = &model;
  o.task = cli_task;
  o.task_ctx = &tasks;
  const char **buses = xmalloc((size_t)(nparsed + 1) * sizeof *buses);
  for (int i = 0; i < nparsed; i++) buses[i] = bus;
  rt_simulate(&model, events, buses, nparsed, &o, &r);
  free(buses);
  if (json) print_json_result(&r, &o);
  else print_tree(&r, o.why);
  if (r.bound)
    fprintf(stderr, "sfc: simulation stopped: %ld executions started, the bound (--max-executions %ld): "
                    "do events cycle through the rules?\n", r.executions, o.max_executions);
  status = r.bound ? SIM_BOUND : r.not_succeeded ? SIM_NOT_SUCCEEDED : EXIT_OK;
done:
  fflush(stdout);
  if (ferror(stdout) && status == EXIT_OK) status = EXIT_IO;
  json_decref(r.chain);
  for (int i = 0; i < nparsed; i++) json_decref(events[i]);
  free(events);
  rt_mocks_free(tasks.mocks);
  json_decref(config);
  compilation_free(&c);
  free(text);
  for (int i = 0; i < opts.ndefines; i++) free((char *)opts.defines[i].name);
  free(opts.defines);
  free(event_args);
  return status;
}

/* ------------------------------------------------------------ sfc match FILE.sf */

int rt_cmd_match_program(const char *program, const char *event_path) {
  struct options opts = {0};
  opts.defines = xmalloc(4 * sizeof *opts.defines);
  default_defines(&opts);
  struct sim s = {0};
  struct rt_sim_options o = {0};
  struct compilation c = {0};
  struct model model = {0};
  size_t chars;
  int status = EXIT_OK, matches = 0;
  json_t *event = NULL;
  char *text = rt_compile_file(program, &opts, &c, &model, &status);
  if (status == EXIT_OK) {
    o.account = rt_define_value(&opts, "account", NULL);
    o.region = rt_define_value(&opts, "region", NULL);
    o.partition = rt_define_value(&opts, "partition", NULL);
    sim_init(&s, &model, &o);
    event = mt_load_json(event_path, &chars);
    if (event && !json_is_object(event)) {
      fprintf(stderr, "%s: error: an event must be a JSON object\n", shown(event_path));
      status = EXIT_IO;
    } else if (!event) {
      status = EXIT_IO;
    }
  }
  for (int i = 0; status == EXIT_OK && i < s.nroutes; i++) {
    const struct route *r = &s.routes[i];
    if (!r->pattern) continue;
    char *why = NULL;
    bool matched = mt_match(r->pattern, event, &why);
    printf("%s (workflow %s, bus %s): %s%s%s\n", r->t->name, model.workflows[r->workflow].name, r->bus,
           matched ? "match" : "no match: ", matched ? "" : why, matched && !r->t->enabled ? " (the rule is disabled)" : "");
    matches += matched && r->t->enabled;
    free(why);
  }
  if (status == EXIT_OK && !s.nroutes) printf("%s has no rule with an event pattern\n", shown(program));
  json_decref(event);
  if (s.model) sim_free(&s);
  compilation_free(&c);
  free(text);
  for (int i = 0; i < opts.ndefines; i++) free((char *)opts.defines[i].name);
  free(opts.defines);
  if (status != EXIT_OK) return status;
  return matches ? EXIT_OK : MATCH_NONE;
}
