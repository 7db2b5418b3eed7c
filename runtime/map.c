/* map.c: the Map state, inline and distributed: items from ItemsPath or an
 * ItemReader (CSV, JSON, JSONL), ItemSelector, ItemBatcher, MaxConcurrency slots on
 * the virtual clock, tolerated failures, child executions with their own history,
 * and the ResultWriter's manifest pointer.
 */
#define _POSIX_C_SOURCE 200809L
#include "interp.h"
#include "sfc.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- Map: items */

/* An integer field or its ...Path (MaxConcurrency, ToleratedFailureCount,
   MaxItemsPerBatch, ...): *present false when the state sets neither. */
static bool map_number(struct visit *s, json_t *obj, json_t *effective, const char *field,
                       bool integer, double *value, bool *present, struct rt_error *err) {
  *present = false;
  json_t *v;
  const char *path;
  if (!ip_field_or_path(s, obj, field, effective, &v, &path, err)) return false;
  if (!v) return true;
  /* AWS parses the value's text: "1" is as good as 1 */
  if (json_is_string(v)) {
    const char *t = json_string_value(v);
    char *end;
    double d = integer ? (double)strtoll(t, &end, 10) : strtod(t, &end);
    if (*t && !*end && end != t) {
      json_decref(v);
      v = integer ? json_integer((json_int_t)d) : json_real(d);
    }
  }
  if (integer ? !json_is_integer(v) : !json_is_number(v)) {
    char *t = ip_value_text(v);
    ip_state_fail(s, err, "States.Runtime",
                  "The %s%s field refers to value \"%s\" which is not a valid %s%s%s", field,
                  path ? "Path" : "", t, integer ? "integer" : "float", path ? ": " : "",
                  path ? path : "");
    free(t);
    json_decref(v);
    return false;
  }
  /* clamped, so that no count or size overflows on hostile input */
  double d = json_number_value(v);
  *value = d > 1e15 ? 1e15 : d < -1e15 ? -1e15 : d;
  *present = true;
  json_decref(v);
  return true;
}

/* A payload template (JSONPath) or, in a JSONata state, the same field's expressions
   (FIELD names it in causes). */
static bool map_template(struct visit *s, const char *field, json_t *tmpl, json_t *input,
                         json_t **out, struct rt_error *err) {
  if (!s->jsonata) return ip_apply_template(s, tmpl, input, out, err);
  json_t *states = ip_states_var(s, input, NULL, NULL);
  bool ok = ip_jsonata(s, field, tmpl, states, out, err);
  json_decref(states);
  return ok;
}

/* One CSV record from *P (RFC 4180: quoted fields, "" inside quotes), split at SEP. */
static json_t *csv_record(const char **p, char sep) {
  json_t *fields = json_array();
  struct buf b = {0};
  const char *s = *p;
  bool quoted = false;
  for (;;) {
    char c = *s;
    if (quoted) {
      if (!c) break;
      if (c == '"' && s[1] == '"') {
        buf_addc(&b, '"');
        s += 2;
        continue;
      }
      if (c == '"')
        quoted = false;
      else
        buf_addc(&b, c);
      s++;
      continue;
    }
    if (c == '"') {
      quoted = true;
      s++;
      continue;
    }
    if (c == sep || c == '\n' || c == '\r' || !c) {
      buf_addc(&b, '\0');
      json_array_append_new(fields, json_string(b.data ? b.data : ""));
      b.len = 0;
      if (c == sep) {
        s++;
        continue;
      }
      if (c == '\r' && s[1] == '\n') s++;
      if (c) s++;
      break;
    }
    buf_addc(&b, c);
    s++;
  }
  buf_free(&b);
  *p = s;
  return fields;
}

static char csv_delimiter(const char *name) {
  static const struct {
    const char *name;
    char c;
  } delimiters[] = {
      {"COMMA", ','}, {"PIPE", '|'}, {"SEMICOLON", ';'}, {"SPACE", ' '}, {"TAB", '\t'}};
  for (size_t i = 0; i < sizeof delimiters / sizeof *delimiters; i++)
    if (ip_is(name, delimiters[i].name)) return delimiters[i].c;
  return ',';
}

static bool reader_fail(struct rt_error *err, const char *cause) {
  rt_fail(err, "States.ItemReaderFailed", "%s", cause);
  return false;
}

/* The items of an object read by ItemReader: TEXT per ReaderConfig.InputType. */
static bool parse_items(json_t *config, json_t *body, json_t **items, struct rt_error *err) {
  const char *type = ip_get_str(config, "InputType");
  if (!json_is_string(body)) {
    /* a mock may answer with the parsed document */
    if (json_is_array(body)) {
      *items = json_incref(body);
      return true;
    }
    json_t *contents = json_object_get(body, "Contents");
    if (json_is_array(contents)) {
      *items = json_incref(contents);
      return true;
    }
    return reader_fail(err, "Attempting to map over non-iterable node.");
  }
  const char *text = json_string_value(body);
  if (ip_is(type, "CSV")) {
    char sep = csv_delimiter(ip_get_str(config, "CSVDelimiter"));
    json_t *headers = json_object_get(config, "CSVHeaders");
    const char *p = text;
    if (!ip_is(ip_get_str(config, "CSVHeaderLocation"), "GIVEN"))
      headers = csv_record(&p, sep);
    else
      json_incref(headers);
    size_t i, j;
    json_t *h, *h2;
    json_array_foreach(headers, i, h)
        json_array_foreach(headers, j, h2) if (j > i && json_equal(h, h2)) {
      json_decref(headers);
      return reader_fail(err, "CSV headers cannot contain duplicates.");
    }
    *items = json_array();
    while (*p) {
      json_t *rec = csv_record(&p, sep);
      json_t *row = json_object();
      json_t *v;
      json_array_foreach(rec, i, v) {
        const char *name = json_string_value(json_array_get(headers, i));
        if (name) json_object_set(row, name, v);
      }
      json_decref(rec);
      json_array_append_new(*items, row);
    }
    json_decref(headers);
    return true;
  }
  if (ip_is(type, "JSONL")) {
    *items = json_array();
    const char *p = text;
    while (*p) {
      const char *nl = strchr(p, '\n');
      size_t n = nl ? (size_t)(nl - p) : strlen(p);
      json_t *v = json_loadb(p, n, JSON_DECODE_ANY, NULL);
      if (v) json_array_append_new(*items, v);
      p += n + (nl != NULL);
    }
    return true;
  }
  json_t *doc = json_loads(text, JSON_DECODE_ANY, NULL);
  if (!json_is_array(doc)) {
    json_decref(doc);
    return reader_fail(err, "Attempting to map over non-iterable node.");
  }
  *items = doc;
  return true;
}

static bool read_items(struct visit *s, json_t *reader, json_t *effective, json_t **items,
                       struct rt_error *err) {
  json_t *config = json_object_get(reader, "ReaderConfig");
  double max_items = 0;
  bool has_max;
  if (!map_number(s, config, effective, "MaxItems", true, &max_items, &has_max, err)) return false;
  /* MaxItems 0 is no limit */
  if (has_max && max_items < 0) return reader_fail(err, "field MaxItems must be positive");
  if (has_max && max_items == 0) has_max = false;
  json_t *params = json_object();
  json_t *p = json_object_get(reader, s->jsonata ? "Arguments" : "Parameters");
  if (p) {
    json_decref(params);
    if (!map_template(s, "ItemReader/Arguments", p, effective, &params, err)) return false;
  }
  const char *resource = ip_get_str(reader, "Resource");
  json_t *ctx = ip_context_of(s);
  json_t *body;
  int64_t took;
  bool ok = true;
  if (s->ins && s->ins->reader_data) /* TestState: the object's content, as given */
    body = json_incref(s->ins->reader_data);
  else
    ok = ip_call_task(s, resource ? resource : "", params, ctx, &body, &took, err);
  json_decref(ctx);
  json_decref(params);
  if (!ok) {
    if (!ip_is(err->error, "States.Runtime")) {
      char *cause = err->cause ? xstrdup(err->cause) : NULL;
      rt_fail(err, "States.ItemReaderFailed", "%s", cause ? cause : "");
      free(cause);
    }
    return false;
  }
  ok = parse_items(config, body, items, err);
  json_decref(body);
  if (ok && has_max && json_array_size(*items) > (size_t)max_items) {
    json_t *cut = json_array();
    for (size_t i = 0; i < (size_t)max_items; i++)
      json_array_append(cut, json_array_get(*items, i));
    json_decref(*items);
    *items = cut;
  }
  return ok;
}

/* ---------------------------------------------------------------- Map */

struct map_run {
  bool distributed;
  json_t *processor;
  double tolerated_count, tolerated_pct;
  bool has_count, has_pct;
  int64_t *slots; /* when each concurrent slot is free again: a min-heap */
  size_t nslots;
  char *label;    /* distributed: the Label, or the id AWS makes up without one */
  long started;   /* the MapStateStarted (or MapRunStarted) event */
  int64_t ended;  /* when the last iteration run ended */
};

/* The heap's root (the earliest free slot) now busy until T: sift it down. */
static void slot_reuse(struct map_run *m, int64_t t) {
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, least = i;
    int64_t v = i == 0 ? t : m->slots[i];
    if (l < m->nslots && m->slots[l] < v) least = l;
    if (r < m->nslots && m->slots[r] < (least == i ? v : m->slots[least])) least = r;
    if (least == i) {
      m->slots[i] = t;
      return;
    }
    m->slots[i] = m->slots[least];
    i = least;
  }
}

/* $$ of a child execution: the child's ARN is the parent state machine's name, the
   Map Run's label and an id; its input is the item's. */
struct child {
  struct map_run *m;
  json_t *input;
  char *id;
  json_t *parent; /* the parent execution's $$ base, built */
  int64_t start;  /* when the child started */
};

/* Built only when a state of the child reads $$ (ip_base): most never do. */
static json_t *child_context(struct exec *x, void *arg) {
  struct child *ch = arg;
  struct map_run *m = ch->m;
  json_t *input = ch->input;
  const char *id = ch->id;
  char *machine = ip_xasprintf("%s/%s", x->machine_name, m->label);
  char *machine_arn =
      ip_xasprintf("arn:%s:states:%s:%s:stateMachine:%s", x->partition, x->region, x->account, machine);
  char *arn = ip_xasprintf("arn:%s:states:%s:%s:execution:%s:%s", x->partition, x->region,
                           x->account, machine, id);
  char *start = ip_iso_time(ch->start);
  json_t *parent = json_object_get(ch->parent, "Execution");
  json_t *c = json_pack("{s:{s:s,s:O,s:s,s:s,s:O?,s:i},s:{s:s,s:s}}", "Execution", "Id", arn,
                        "Input", input, "StartTime", start, "Name", id, "RoleArn",
                        json_object_get(parent, "RoleArn"), "RedriveCount", 0, "StateMachine",
                        "Id", machine_arn, "Name", machine);
  free(machine);
  free(machine_arn);
  free(arn);
  free(start);
  return c ? c : json_object();
}

/* One iteration (inline) or child execution (distributed) on INPUT (stolen). */
static enum outcome map_iteration(struct visit *s, struct map_run *m, size_t index, json_t *input,
                                  json_t **out, struct rt_error *err) {
  struct exec *x = s->x;
  /* the earliest free slot starts this iteration, unless an earlier iteration (or a
     sibling branch of an enclosing Parallel) has failed by then */
  int64_t t = m->slots[0] > x->now ? m->slots[0] : x->now;
  if (x->horizon < x->deadline && t >= x->horizon) {
    json_decref(input);
    x->now = x->horizon;
    x->aborted = true;
    return RUN_STOP;
  }
  int64_t resume = x->now;
  x->now = t;
  enum outcome o;
  if (!m->distributed) {
    long prev = m->started; /* iterations run side by side: each follows MapStateStarted */
    json_t *d = json_pack("{s:s,s:I}", "name", s->name, "index", (json_int_t)index);
    ip_event(x, &prev, "MapIterationStarted", "mapIterationStartedEventDetails", d);
    struct rt_vars frame = {json_object(), s->vars};
    o = ip_run_block(x, BLOCK_ITERATION, m->processor, input, &frame, &prev, out, err);
    json_decref(frame.values);
    d = json_pack("{s:s,s:I}", "name", s->name, "index", (json_int_t)index);
    if (o == RUN_OK)
      ip_event(x, &prev, "MapIterationSucceeded", "mapIterationSucceededEventDetails", d);
    else if (o == RUN_ERROR)
      ip_event(x, &prev, "MapIterationFailed", "mapIterationFailedEventDetails", d);
    else
      json_decref(d);
  } else {
    /* A child execution: its own history (not this one's) and its own quota; it sees
       no variables of the parent. */
    long events = x->events, max = x->max_events;
    json_t *history = x->history;
    int64_t *times = x->times;
    size_t times_cap = x->times_cap;
    x->history = NULL;
    x->times = NULL;
    x->times_cap = 0;
    x->events = 0;
    x->max_events = x->o->max_events > 0 ? x->o->max_events : HISTORY_QUOTA;
    long prev = 0;
    struct rt_vars frame = {json_object(), NULL};
    json_t *parent = ip_base(x); /* built first: the child's base is kept apart */
    json_t *base = x->base;
    json_t *(*make_base)(struct exec *, void *) = x->make_base;
    void *base_arg = x->base_arg;
    /* the child's id is drawn now, so the random numbers are the same whether or not
       its states read $$ */
    struct child ch = {m, json_incref(input), ip_make_uuid(x), parent, x->now};
    x->base = NULL;
    x->make_base = child_context;
    x->base_arg = &ch;
    o = ip_run_block(x, BLOCK_ITERATION, m->processor, input, &frame, &prev, out, err);
    json_decref(x->base);
    json_decref(ch.input);
    free(ch.id);
    x->base = base;
    x->make_base = make_base;
    x->base_arg = base_arg;
    json_decref(frame.values);
    x->history = history;
    free(x->times);
    x->times = times;
    x->times_cap = times_cap;
    x->events = events;
    x->max_events = max;
    if (x->stopped && x->quota_hit) {
      /* the child's own history quota: that child failed, the parent goes on */
      x->stopped = x->quota_hit = false;
      ip_set_error(err, x->stop.error, x->stop.cause);
      rt_error_free(&x->stop);
      o = RUN_ERROR;
    }
  }
  slot_reuse(m, x->now);
  m->ended = x->now;
  if (o != RUN_STOP) x->now = resume;
  return o;
}

/* Either threshold breached fails the Map; with neither, any failure does. */
static bool tolerance_exceeded(struct map_run *m, size_t failed, size_t total) {
  if (!m->has_count && !m->has_pct) return failed > 0;
  if (m->has_count && (double)failed > m->tolerated_count) return true;
  return m->has_pct && total && (double)failed * 100.0 / (double)total > m->tolerated_pct;
}

static char *map_run_arn(struct visit *s, struct map_run *m, char **uuid) {
  struct exec *x = s->x;
  *uuid = ip_make_uuid(x);
  const char *label = ip_get_str(s->def, "Label");
  if (label) {
    m->label = xstrdup(label);
  } else {
    m->label = ip_make_uuid(x);
    m->label[8] = '\0';
  }
  return ip_xasprintf("arn:%s:states:%s:%s:mapRun:%s/%s:%s", x->partition, x->region, x->account,
                      x->machine_name, m->label, *uuid);
}

enum outcome ip_do_map(struct visit *s, json_t *input, json_t **out, json_t **assigned,
                       struct rt_error *err) {
  struct exec *x = s->x;
  struct map_run m = {0};
  json_t *effective;
  if (!ip_apply_path(s, "InputPath", input, &effective, err)) return RUN_ERROR;
  ip_inspect(s, "afterInputPath", effective);
  m.processor = json_object_get(s->def, "ItemProcessor");
  if (!m.processor) m.processor = json_object_get(s->def, "Iterator");
  m.distributed =
      ip_is(ip_get_str(json_object_get(m.processor, "ProcessorConfig"), "Mode"), "DISTRIBUTED");
  double conc = 0;
  bool has_conc;
  if (!map_number(s, s->def, effective, "MaxConcurrency", true, &conc, &has_conc, err)) {
    json_decref(effective);
    return RUN_ERROR;
  }
  enum outcome o = RUN_ERROR;
  json_t *items = NULL, *results = NULL;
  char *run_arn = NULL, *run_uuid = NULL;
  json_t *reader = json_object_get(s->def, "ItemReader");
  if (!reader && s->jsonata) {
    /* Items (an expression, or an array with expressions in it), else the input */
    json_t *f = json_object_get(s->def, "Items");
    if (f) {
      json_t *states = ip_states_var(s, input, NULL, NULL);
      bool ok = ip_jsonata(s, "Items", f, states, &items, err);
      json_decref(states);
      if (!ok) {
        s->work_failed = true;
        goto done;
      }
      if (!json_is_array(items)) {
        ip_unexpected_type(s, err, "Items", f, "array", items);
        s->work_failed = true;
        goto done;
      }
    } else if (!json_is_array(input)) {
      char *t = rt_json_text(input);
      ip_query_error(s, err, NULL, "Map state input must be an array but was: %s", t);
      free(t);
      s->work_failed = true;
      goto done;
    } else {
      items = json_incref(input);
    }
  } else if (!reader) {
    const char *ip = ip_get_str(s->def, "ItemsPath");
    json_t *ctx = ip_context_for_paths(s);
    struct rt_scope sc;
    ip_scope_of(s, &sc, effective, ctx);
    char *why = NULL;
    bool ok = rt_path_get(ip ? ip : "$", &sc, &items, &why);
    json_decref(ctx);
    if (!ok) {
      ip_state_fail(s, err, "States.Runtime", "Invalid path '%s' : %s", ip ? ip : "$",
                    why ? why : "");
      free(why);
      goto done;
    }
    if (!json_is_array(items)) {
      const char *shown = ip ? ip : "$";
      if (shown[0] == '$' && shown[1] == '$') shown++;
      ip_state_fail(s, err, "States.Runtime", "Reference path \"%s\" must point to array.", shown);
      goto done;
    }
    if (ip) ip_inspect(s, "afterItemsPath", items);
  }
  if (s->ins)
    json_object_set_new(s->ins->data, "maxConcurrency",
                        json_integer(has_conc ? (json_int_t)conc : 0));
  ip_event(x, s->prev, "MapStateStarted", "mapStateStartedEventDetails",
           json_pack("{s:I}", "length", (json_int_t)(items ? json_array_size(items) : 0)));
  if (!map_number(s, s->def, effective, "ToleratedFailureCount", true, &m.tolerated_count,
                  &m.has_count, err) ||
      !map_number(s, s->def, effective, "ToleratedFailurePercentage", false, &m.tolerated_pct,
                  &m.has_pct, err))
    goto done;
  if (m.has_count && m.tolerated_count < 0) {
    ip_state_fail(s, err, "States.Runtime", "ToleratedFailureCount cannot be negative.");
    goto done;
  }
  if (m.has_pct && (m.tolerated_pct < 0 || m.tolerated_pct > 100)) {
    ip_state_fail(s, err, "States.Runtime",
                  "ToleratedFailurePercentage must be between 0 and 100.");
    goto done;
  }
  if (s->ins && m.has_count)
    json_object_set_new(s->ins->data, "toleratedFailureCount",
                        json_integer((json_int_t)m.tolerated_count));
  if (s->ins && m.has_pct)
    json_object_set_new(s->ins->data, "toleratedFailurePercentage", json_real(m.tolerated_pct));
  if (s->ins && s->ins->mocked) {
    /* TestState: the mock stands for the iterations' results; the configuration's
       failure count is checked against the tolerance */
    int64_t took;
    if (!ip_call_task(s, "", NULL, NULL, &results, &took, err)) goto done;
    size_t failures = s->ins->map_failures > 0 ? (size_t)s->ins->map_failures : 0;
    size_t total = items ? json_array_size(items) : json_array_size(results);
    /* with a mock's result, the configured failures count only against a tolerance
       the state sets (ts-009: none set, two failures, SUCCEEDED) */
    if (failures && (m.has_count || m.has_pct) && tolerance_exceeded(&m, failures, total)) {
      rt_fail(err, "States.ExceedToleratedFailureThreshold",
              "The specified tolerated failure threshold was exceeded");
      goto done;
    }
    o = ip_finish_result(s, input, results, out, assigned, err) ? RUN_OK : RUN_ERROR;
    results = NULL;
    goto done;
  }
  if (m.distributed) {
    run_arn = map_run_arn(s, &m, &run_uuid);
    ip_event(x, s->prev, "MapRunStarted", "mapRunStartedEventDetails",
             json_pack("{s:s}", "mapRunArn", run_arn));
  }
  if (reader && !read_items(s, reader, effective, &items, err)) {
    if (m.distributed && !ip_is(err->error, "States.Runtime"))
      ip_event(x, s->prev, "MapRunFailed", "mapRunFailedEventDetails",
               json_pack("{s:s?,s:s?}", "error", err->error, "cause", err->cause));
    s->work_failed = true;
    goto done;
  }

  /* ItemSelector (or the older Parameters) makes each item's input; ItemBatcher groups
     them into {"Items": [...], "BatchInput": ...}. */
  json_t *selector = json_object_get(s->def, "ItemSelector");
  if (!selector && !s->jsonata) selector = json_object_get(s->def, "Parameters");
  json_t *batcher = json_object_get(s->def, "ItemBatcher");
  json_t *inputs = json_array();
  size_t n = json_array_size(items);
  for (size_t i = 0; i < n; i++) {
    json_t *item = json_array_get(items, i), *in;
    if (selector) {
      json_t *mi = json_pack("{s:I,s:O}", "Index", (json_int_t)i, "Value", item);
      s->map_item = mi;
      bool ok;
      if (s->jsonata) {
        json_t *states = ip_states_var(s, input, NULL, NULL);
        ok = ip_jsonata(s, "ItemSelector", selector, states, &in, err);
        json_decref(states);
      } else {
        ok = ip_apply_template(s, selector, effective, &in, err);
      }
      s->map_item = NULL;
      json_decref(mi);
      if (!ok) {
        json_decref(inputs);
        goto done;
      }
    } else {
      in = json_incref(item);
    }
    json_array_append_new(inputs, in);
  }
  if (batcher) {
    double max_n = 0, max_bytes = 0;
    bool has_n, has_bytes;
    if (!map_number(s, batcher, effective, "MaxItemsPerBatch", true, &max_n, &has_n, err) ||
        !map_number(s, batcher, effective, "MaxInputBytesPerBatch", true, &max_bytes, &has_bytes,
                    err)) {
      json_decref(inputs);
      goto done;
    }
    json_t *batch_input = NULL;
    json_t *bi = json_object_get(batcher, "BatchInput");
    if (bi && !map_template(s, "ItemBatcher/BatchInput", bi, effective, &batch_input, err)) {
      json_decref(inputs);
      goto done;
    }
    json_t *batches = json_array(), *cur = NULL;
    size_t bytes = 0;
    json_t *v;
    size_t i;
    json_array_foreach(inputs, i, v) {
      char *t = rt_json_text(v);
      size_t len = strlen(t) + 1;
      free(t);
      if (cur && ((has_n && json_array_size(cur) >= (size_t)max_n) ||
                  (has_bytes && bytes + len > (size_t)max_bytes))) {
        cur = NULL;
      }
      if (!cur) {
        json_t *b = json_object();
        cur = json_array();
        json_object_set_new(b, "Items", cur);
        if (batch_input) json_object_set(b, "BatchInput", batch_input);
        json_array_append_new(batches, b);
        bytes = 0;
      }
      json_array_append(cur, v);
      bytes += len;
    }
    json_decref(batch_input);
    json_decref(inputs);
    inputs = batches;
  }

  n = json_array_size(inputs);
  m.nslots = m.distributed ? DISTRIBUTED_MAP_SLOTS : INLINE_MAP_SLOTS;
  if (has_conc && conc > 0 && (size_t)conc < m.nslots) m.nslots = (size_t)conc;
  if (m.nslots > n) m.nslots = n ? n : 1;
  m.slots = xmalloc(m.nslots * sizeof *m.slots);
  for (size_t i = 0; i < m.nslots; i++)
    m.slots[i] = x->now;
  m.started = *s->prev;
  long first_event = x->events + 1;
  results = json_array();
  size_t failed = 0;
  int forced_failures = s->ins ? s->ins->map_failures : 0;
  struct rt_error first = {0};
  /* Inline, the first failure in time fails the Map: later iterations are cut short
     when their clock passes it, or not started (as Parallel branches are). */
  int64_t outer = x->horizon, failed_at = 0;
  bool inline_failed = false;
  o = RUN_OK;
  for (size_t i = 0; i < n && o == RUN_OK; i++) {
    json_t *r = NULL;
    struct rt_error e = {0};
    enum outcome io;
    bool own = inline_failed && failed_at < outer;
    x->horizon = own ? failed_at : outer;
    if (forced_failures > 0 && (size_t)forced_failures > i) {
      /* TestState's stateConfiguration.mapIterationFailureCount */
      io = RUN_ERROR;
      ip_set_error(&e, "States.TaskFailed", NULL);
    } else {
      io = map_iteration(s, &m, i, json_incref(json_array_get(inputs, i)), &r, &e);
    }
    if (io == RUN_STOP && x->aborted && own) {
      x->aborted = false; /* cut short, or not started, by this Map's own failure */
      rt_error_free(&e);
      continue;
    }
    if (io == RUN_STOP) {
      o = RUN_STOP;
      rt_error_free(&e);
      break;
    }
    if (io == RUN_OK) {
      if (inline_failed) json_decref(r);
      else json_array_append_new(results, r);
      continue;
    }
    failed++;
    if (!m.distributed && !ip_uncatchable(e.error)) {
      if (!inline_failed || m.ended < failed_at) {
        rt_error_free(&first);
        first = e;
        failed_at = m.ended;
        inline_failed = true;
      } else {
        rt_error_free(&e);
      }
      continue;
    }
    /* an inline Map checks its tolerances but fails at the first failure anyway */
    bool tolerant = m.distributed && (m.has_count || m.has_pct);
    if (ip_uncatchable(e.error) || !tolerant || tolerance_exceeded(&m, failed, n)) {
      if (m.distributed || tolerant) {
        if (!ip_uncatchable(e.error))
          ip_set_error(&e, "States.ExceedToleratedFailureThreshold",
                       "The specified tolerated failure threshold was exceeded");
      }
      rt_error_free(&first);
      first = e;
      o = RUN_ERROR;
      break;
    }
    json_t *fr = json_object();
    if (e.error) json_object_set_new(fr, "Error", json_string(e.error));
    if (e.cause) json_object_set_new(fr, "Cause", json_string(e.cause));
    json_array_append_new(results, fr);
    rt_error_free(&e);
  }
  x->horizon = outer;
  if (o == RUN_OK && inline_failed) o = RUN_ERROR;
  for (size_t i = 0; i < m.nslots; i++)
    if (m.slots[i] > x->now && o != RUN_STOP) x->now = m.slots[i];
  free(m.slots);
  ip_order_events(x, first_event, o == RUN_ERROR ? &first : NULL);
  *s->prev = x->events; /* the Map goes on after its iterations' last event */
  json_decref(inputs);
  if (o == RUN_STOP) goto done;
  if (o == RUN_ERROR) {
    rt_error_free(err);
    *err = first;
    if (m.distributed)
      ip_event(x, s->prev, "MapRunFailed", "mapRunFailedEventDetails",
               json_pack("{s:s?,s:s?}", "error", err->error, "cause", err->cause));
    s->work_failed = true;
    goto done;
  }
  if (m.distributed) ip_event(x, s->prev, "MapRunSucceeded", NULL, NULL);
  json_t *writer = json_object_get(s->def, "ResultWriter");
  if (writer) {
    json_t *params = json_object();
    json_t *wp = json_object_get(writer, s->jsonata ? "Arguments" : "Parameters");
    if (wp) {
      json_decref(params);
      if (!map_template(s, "ResultWriter/Arguments", wp, effective, &params, &first)) {
        rt_error_free(err);
        *err = first;
        o = RUN_ERROR;
        goto done;
      }
    }
    json_t *call = json_pack("{s:O,s:O}", "Parameters", params, "Results", results);
    json_t *ctx = ip_context_of(s), *answer;
    int64_t took;
    bool ok = ip_call_task(s, ip_get_str(writer, "Resource") ? ip_get_str(writer, "Resource") : "",
                           call, ctx, &answer, &took, err);
    json_decref(ctx);
    json_decref(call);
    json_decref(answer);
    if (!ok) {
      json_decref(params);
      if (!ip_is(err->error, "States.Runtime")) {
        char *cause = err->cause ? xstrdup(err->cause) : NULL;
        rt_fail(err, "States.ResultWriterFailed", "%s", cause ? cause : "");
        free(cause);
      }
      o = RUN_ERROR;
      goto done;
    }
    /* The Map's result points at the manifest the writer wrote. */
    const char *bucket = ip_get_str(params, "Bucket"), *prefix = ip_get_str(params, "Prefix");
    char *key = prefix && *prefix ? ip_xasprintf("%s/%s/manifest.json", prefix, run_uuid)
                                  : ip_xasprintf("%s/manifest.json", run_uuid);
    json_decref(results);
    results = json_pack("{s:s,s:{s:s,s:s}}", "MapRunArn", run_arn ? run_arn : "",
                        "ResultWriterDetails", "Bucket", bucket ? bucket : "", "Key", key);
    free(key);
    json_decref(params);
  }
  ip_event(x, s->prev, "MapStateSucceeded", NULL, NULL);
  o = ip_finish_result(s, input, results, out, assigned, err) ? RUN_OK : RUN_ERROR;
  results = NULL;
done:
  json_decref(results);
  json_decref(items);
  json_decref(effective);
  free(run_arn);
  free(run_uuid);
  free(m.label);
  return o;
}
