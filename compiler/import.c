/* import.c: `sfc import machine.asl.json` writes the .sf program that compiles back
 * to the same definition.
 *
 * The definition is first judged by the ASL checker (`sfc check`'s diagnostics).
 * Each state is then written in the most idiomatic form import knows, and the
 * program is compiled in memory and compared state by state with the original (as
 * JSON values, numbers by value). A state that does not come back equal, or that the
 * compiler refuses, is written again literally: its kind, name and transitions
 * natively, every other field raw in `asl { }` (with plainer steps between). A
 * state moves at most three steps and every round moves one, so there are a few
 * compiles in practice and eight at worst: the work stays linear in the definition; a definition that still differs is an error
 * naming the state, never a silently different program.
 */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include "sfc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* How a state is written, each step more literal: IDIOMATIC (integration forms),
   GENERIC (a task as `resource "arn:..."`, its options native), PLAIN (only the
   options that hold no value template native: from, into, output, timeout, retry,
   catch, comment), LITERAL (only what the language requires natively; every other
   field raw). */
enum { IDIOMATIC, GENERIC, PLAIN, LITERAL };

struct state_info {
  const char *name;
  json_t *json;
  int level;
  bool declares;     /* written with a declaration of its own (invoke f) */
  bool bump;         /* the compiler refused its text: one level more literal */
  size_t start, end; /* its text in the generated program */
};

/* What the printed program asks the user to check: tasks `on "*"`, resource tasks
   `on nothing`, and placeholder Resources declared as lambdas. */
struct import_warnings {
  int wildcards, unknown_services, guessed_lambdas;
};

struct importer {
  struct arena arena;
  json_t *doc;
  struct state_info *states;
  int nstates, cap;
  struct table index;   /* state name -> struct state_info */
  struct table lambdas; /* a declared target (FunctionName, TopicArn) -> its name */
  struct buf decls;     /* lambda declarations, in order of first use */
  struct table params;  /* placeholder name -> "" once declared */
  struct buf param_decls;
  struct table taken;   /* declared names */
  bool jsonata;         /* the workflow's QueryLanguage */
  bool failed;          /* a value could not be written idiomatically */
  bool state_jsonata;   /* the state being written evaluates {% %} */
  struct buf refusal;   /* the compiler's first error on the last program, if any */
  struct import_warnings warn; /* of the program last written */
};

/* ------------------------------------------------------------ names */

static bool is_ident(const char *s) {
  if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_')) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
      return false;
  return true;
}

/* An identifier the language takes as a name: the parser itself decides, so the
   keywords are not listed twice. Every keyword is lowercase letters and dashes, so
   a name with any other character needs no parse. */
static bool is_plain_name(const char *s) {
  if (!is_ident(s)) return false;
  bool only_lower = true;
  for (const char *p = s; *p; p++) only_lower &= *p >= 'a' && *p <= 'z';
  if (!only_lower) return true;
  struct compilation c = {0};
  struct buf text = {0};
  buf_printf(&text, "param %s\n", s);
  int file = diag_add_file(&c.diag, "<name>", text.data, text.len);
  parse_file(&c.arena, &c.diag, file, &c.program, NULL);
  bool ok = c.diag.errors == 0;
  compilation_free(&c);
  buf_free(&text);
  return ok;
}

/* A readable identifier from TEXT's last ARN segment: other characters become '_'. */
static const char *declared_name(struct importer *I, struct buf *scratch, const char *text) {
  const char *last = strrchr(text, ':');
  last = last ? last + 1 : text;
  const char *slash = strrchr(last, '/');
  if (slash && slash[1]) last = slash + 1;
  scratch->len = 0;
  if (!((*last >= 'A' && *last <= 'Z') || (*last >= 'a' && *last <= 'z') || *last == '_')) buf_addc(scratch, '_');
  for (const char *p = last; *p; p++) {
    bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
    buf_addc(scratch, ok ? *p : '_');
  }
  buf_addc(scratch, '\0');
  size_t base = scratch->len - 1;
  for (int n = 2; !is_plain_name(scratch->data) || table_get(&I->taken, scratch->data) ||
                  table_get(&I->params, scratch->data); n++) {
    scratch->len = base;
    buf_printf(scratch, "_%d", n);
    buf_addc(scratch, '\0');
  }
  char *name = arena_strndup(&I->arena, scratch->data, scratch->len - 1);
  table_put(&I->taken, name, name);
  return name;
}

/* ------------------------------------------------------------ values */

static void put_number(struct buf *out, const json_t *v) {
  if (json_is_integer(v)) buf_printf(out, "%lld", (long long)json_integer_value(v));
  else json_format_real(out, json_real_value(v));
}

/* S as a .sf string: `${NAME}` of a SAM/CDK-style placeholder becomes a param
   reference (the param's default is the placeholder itself), any other `${` the
   literal `$${`. */
static void put_string(struct importer *I, struct buf *out, const char *s, size_t n) {
  struct buf raw = {0};
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
      const char *close = memchr(s + i + 2, '}', n - i - 2);
      char *name = close ? arena_strndup(&I->arena, s + i + 2, (size_t)(close - s - i - 2)) : NULL;
      if (name && is_plain_name(name) && !table_get(&I->taken, name)) {
        if (!table_get(&I->params, name)) {
          table_put(&I->params, name, name);
          buf_printf(&I->param_decls, "param %s = \"$${%s}\"\n", name, name);
        }
        buf_addc(&raw, '$'); /* ${NAME} as written */
        continue;
      }
      buf_adds(&raw, "$$");
      continue;
    }
    buf_addc(&raw, s[i]);
  }
  json_write_string(out, raw.data ? raw.data : "", raw.len);
  buf_free(&raw);
}

/* A key: bare when it is an identifier; a `${` in it is the literal `$${`, as keys
   take no interpolation. */
static void put_key(struct buf *out, const char *k, size_t n) {
  char *key = strndup(k, n);
  if (n && is_ident(key)) {
    buf_add(out, k, n);
  } else {
    struct buf raw = {0};
    for (size_t i = 0; i < n; i++) {
      if (k[i] == '$' && i + 1 < n && k[i + 1] == '{') buf_addc(&raw, '$');
      buf_addc(&raw, k[i]);
    }
    json_write_string(out, raw.data ? raw.data : "", raw.len);
    buf_free(&raw);
  }
  free(key);
}

static void put_json(struct importer *I, struct buf *out, const json_t *v);

/* ASL's intrinsic text, e.g. States.Format('a {}', $.x), in .sf's spelling: strings
   in double quotes, the rest as written. False when it is not one import can read. */
static bool put_intrinsic(struct importer *I, struct buf *out, const char **pp) {
  const char *p = *pp;
  if (strncmp(p, "States.", 7)) return false;
  const char *open = strchr(p, '(');
  if (!open) return false;
  buf_add(out, p, (size_t)(open - p + 1));
  p = open + 1;
  while (*p == ' ') p++;
  bool first = true;
  while (*p && *p != ')') {
    if (!first) {
      if (*p != ',') return false;
      buf_adds(out, ", ");
      p++;
      while (*p == ' ') p++;
    }
    first = false;
    if (*p == '\'') {
      struct buf text = {0};
      for (p++; *p && *p != '\''; p++) {
        if (*p == '\\' && p[1]) p++;
        buf_addc(&text, *p);
      }
      if (*p != '\'') { buf_free(&text); return false; }
      p++;
      put_string(I, out, text.data ? text.data : "", text.len);
      buf_free(&text);
    } else if (!strncmp(p, "States.", 7)) {
      if (!put_intrinsic(I, out, &p)) return false;
    } else {
      /* a path, number, true, false or null: to the next ',' or ')' outside brackets */
      int depth = 0;
      const char *start = p;
      for (; *p && (depth || (*p != ',' && *p != ')')); p++) {
        if (*p == '[' || *p == '(') depth++;
        if (*p == ']' || *p == ')') depth--;
        if (*p == '\'') { /* a quoted name inside a path */
          for (p++; *p && *p != '\''; p++) if (*p == '\\' && p[1]) p++;
          if (!*p) return false;
        }
      }
      const char *end = p;
      while (end > start && end[-1] == ' ') end--;
      if (end == start) return false;
      buf_add(out, start, (size_t)(end - start));
    }
    while (*p == ' ') p++;
  }
  if (*p != ')') return false;
  buf_addc(out, ')');
  *pp = p + 1;
  return true;
}

/* The value of a "K.$" key: a path, or an intrinsic call. */
static void put_dynamic(struct importer *I, struct buf *out, const json_t *v) {
  const char *s = json_is_string(v) ? json_string_value(v) : NULL;
  if (s && s[0] == '$' && !strchr(s, '\n')) {
    buf_adds(out, s);
    return;
  }
  const char *p = s;
  size_t mark = out->len;
  if (s && put_intrinsic(I, out, &p) && !*p) return;
  out->len = mark;
  I->failed = true;
  put_json(I, out, v);
}

/* A JSONata "{% expr %}" string, as written in .sf: the expression between exactly
   one space inside each delimiter (what lowering writes back). */
static bool is_jsonata_text(const char *s, size_t n) {
  return n >= 6 && !strncmp(s, "{% ", 3) && !strcmp(s + n - 3, " %}") && !memchr(s, '\n', n);
}

/* A payload template: JSON with "K.$" keys written as `K: PATH`; or, PLAIN, the JSON as
   it is for `asl { }` (every key quoted and kept as written, strings only strings). */
static void put_value(struct importer *I, struct buf *out, const json_t *v, bool plain) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    if (!json_object_size(v)) { buf_adds(out, "{}"); return; }
    buf_adds(out, "{ ");
    const char *k;
    json_t *m;
    bool first = true;
    json_object_foreach((json_t *)v, k, m) {
      if (!first) buf_adds(out, ", ");
      first = false;
      size_t n = strlen(k), mark = out->len;
      bool dynamic = !plain && n > 2 && !strcmp(k + n - 2, ".$");
      put_key(out, k, dynamic ? n - 2 : n);
      if (plain && out->data[mark] != '"') { /* asl { } keys are always quoted */
        out->len = mark;
        json_write_string(out, k, n);
      }
      buf_adds(out, ": ");
      if (dynamic) put_dynamic(I, out, m);
      else put_value(I, out, m, plain);
    }
    buf_adds(out, " }");
    return;
  }
  case JSON_ARRAY: {
    buf_addc(out, '[');
    for (size_t i = 0; i < json_array_size(v); i++) {
      if (i) buf_adds(out, ", ");
      put_value(I, out, json_array_get(v, i), plain);
    }
    buf_addc(out, ']');
    return;
  }
  case JSON_STRING: {
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (!plain && I->state_jsonata && is_jsonata_text(s, n)) buf_add(out, s, n);
    else put_string(I, out, s, n);
    return;
  }
  case JSON_INTEGER:
  case JSON_REAL: put_number(out, v); return;
  case JSON_TRUE: buf_adds(out, "true"); return;
  case JSON_FALSE: buf_adds(out, "false"); return;
  case JSON_NULL: buf_adds(out, "null"); return;
  }
}

static void put_json(struct importer *I, struct buf *out, const json_t *v) { put_value(I, out, v, false); }
static void put_plain(struct importer *I, struct buf *out, const json_t *v) { put_value(I, out, v, true); }

/* ------------------------------------------------------------ comparison */


/* A copy of STATE without the states of its bodies, which are compared one by one. */
static json_t *shallow(const json_t *state) {
  json_t *copy = json_deep_copy(state);
  json_t *branches = json_object_get(copy, "Branches");
  for (size_t i = 0; i < json_array_size(branches); i++) json_object_del(json_array_get(branches, i), "States");
  json_object_del(json_object_get(copy, "ItemProcessor"), "States");
  json_object_del(json_object_get(copy, "Iterator"), "States");
  return copy;
}

static bool state_same(const json_t *a, const json_t *b) {
  json_t *x = shallow(a), *y = shallow(b);
  bool same = json_same_data(x, y);
  json_decref(x);
  json_decref(y);
  return same;
}

/* The first field whose value differs between the states A and B (A's fields
   first), for the error; NULL when none does. */
static const char *first_difference(const json_t *a, const json_t *b) {
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)a, k, v)
    if (!json_same_data(v, json_object_get(b, k))) return k;
  json_object_foreach((json_t *)b, k, v)
    if (!json_object_get(a, k)) return k;
  return NULL;
}

/* Every state of DOC, bodies included, by name (names are unique in a workflow). */
static void index_states(struct table *t, const json_t *scope) {
  const char *k;
  json_t *st;
  json_object_foreach(json_object_get(scope, "States"), k, st) {
    table_put(t, k, st);
    json_t *branches = json_object_get(st, "Branches");
    for (size_t i = 0; i < json_array_size(branches); i++) index_states(t, json_array_get(branches, i));
    json_t *body = json_object_get(st, "ItemProcessor");
    if (!body) body = json_object_get(st, "Iterator");
    if (body) index_states(t, body);
  }
}

/* ------------------------------------------------------------ states */

static void indent(struct buf *out, int depth) {
  for (int i = 0; i < depth; i++) buf_adds(out, "  ");
}

/* A state name or branch name: bare when it is an identifier, else quoted. */
static void put_name(struct importer *I, struct buf *out, const char *name) {
  if (is_plain_name(name)) buf_adds(out, name);
  else put_string(I, out, name, strlen(name));
}

static void put_error_name(struct buf *out, const char *e) {
  bool dotted = true, has_dot = strchr(e, '.') != NULL;
  const char *p = e;
  while (dotted && *p) {
    size_t n = strcspn(p, ".");
    char *part = strndup(p, n);
    dotted = n > 0 && is_ident(part);
    free(part);
    p += n;
    if (*p == '.') {
      p++;
      if (!*p) dotted = false;
    }
  }
  if (dotted && (has_dot || is_plain_name(e))) buf_adds(out, e);
  else json_write_string(out, e, strlen(e));
}

static bool put_errors(struct buf *out, const json_t *list) {
  if (!json_is_array(list) || !json_array_size(list)) return false;
  if (json_array_size(list) == 1 && !strcmp(json_string_value(json_array_get(list, 0)) ? json_string_value(json_array_get(list, 0)) : "", "States.ALL")) {
    buf_adds(out, "any");
    return true;
  }
  for (size_t i = 0; i < json_array_size(list); i++) {
    const char *e = json_string_value(json_array_get(list, i));
    if (!e || !strcmp(e, "States.ALL")) return false;
    if (i) buf_adds(out, ", ");
    put_error_name(out, e);
  }
  return true;
}

static bool is_count(const json_t *v) { return json_is_integer(v) && json_integer_value(v) >= 0; }

/* retry ERRORS [every D] [attempts N] [backoff X] [max delay D] [jitter] */
static bool put_retrier(struct buf *out, const json_t *r) {
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)r, k, v) {
    if (!strcmp(k, "ErrorEquals")) continue;
    if (!strcmp(k, "BackoffRate") ? !json_is_number(v)
        : !strcmp(k, "JitterStrategy") ? !(json_is_string(v) && !strcmp(json_string_value(v), "FULL"))
        : strcmp(k, "IntervalSeconds") && strcmp(k, "MaxAttempts") && strcmp(k, "MaxDelaySeconds") ? true
        : !is_count(v))
      return false;
  }
  buf_adds(out, " retry ");
  if (!put_errors(out, json_object_get(r, "ErrorEquals"))) return false;
  if ((v = json_object_get(r, "IntervalSeconds"))) buf_printf(out, " every %llds", (long long)json_integer_value(v));
  if ((v = json_object_get(r, "MaxAttempts"))) buf_printf(out, " attempts %lld", (long long)json_integer_value(v));
  if ((v = json_object_get(r, "BackoffRate"))) buf_adds(out, " backoff "), put_number(out, v);
  if ((v = json_object_get(r, "MaxDelaySeconds"))) buf_printf(out, " max delay %llds", (long long)json_integer_value(v));
  if (json_object_get(r, "JitterStrategy")) buf_adds(out, " jitter");
  return true;
}

static bool put_path_or_nothing(struct buf *out, const json_t *v) {
  if (json_is_null(v)) buf_adds(out, "nothing");
  else if (json_is_string(v) && json_string_value(v)[0] == '$') buf_adds(out, json_string_value(v));
  else return false;
  return true;
}

static bool put_catcher(struct importer *I, struct buf *out, const json_t *c) {
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)c, k, v)
    if (strcmp(k, "ErrorEquals") && strcmp(k, "Next") && strcmp(k, "ResultPath") && strcmp(k, "Assign") &&
        strcmp(k, "Output"))
      return false;
  const char *next = json_string_value(json_object_get(c, "Next"));
  if (!next) return false;
  buf_adds(out, " catch ");
  if (!put_errors(out, json_object_get(c, "ErrorEquals"))) return false;
  buf_adds(out, " -> ");
  put_name(I, out, next);
  if ((v = json_object_get(c, "ResultPath"))) {
    buf_adds(out, " into ");
    if (!put_path_or_nothing(out, v)) return false;
  }
  if ((v = json_object_get(c, "Assign"))) buf_adds(out, " assign "), put_json(I, out, v);
  if ((v = json_object_get(c, "Output"))) buf_adds(out, " output "), put_json(I, out, v);
  return true;
}

/* timeout 30s / timeout $.t / timeout {% %} */
static bool put_seconds(struct importer *I, struct buf *out, const char *word, const json_t *v, bool path) {
  buf_printf(out, " %s ", word);
  if (path) return put_path_or_nothing(out, v) && !json_is_null(v);
  if (is_count(v)) { buf_printf(out, "%llds", (long long)json_integer_value(v)); return true; }
  if (json_is_string(v) && I->state_jsonata && is_jsonata_text(json_string_value(v), json_string_length(v))) {
    buf_adds(out, json_string_value(v));
    return true;
  }
  return false;
}

static bool has_dollar_key(const json_t *v) {
  const char *k;
  json_t *m;
  if (json_is_array(v))
    for (size_t i = 0; i < json_array_size(v); i++)
      if (has_dollar_key(json_array_get(v, i))) return true;
  json_object_foreach((json_t *)v, k, m) {
    size_t n = strlen(k);
    if ((n >= 2 && !strcmp(k + n - 2, ".$")) || has_dollar_key(m)) return true;
  }
  return false;
}

/* The options every kind may take; false leaves the field to `asl { }`. */
static bool put_option(struct importer *I, struct buf *out, const char *type, const char *k, const json_t *v) {
  bool jsonpath = !I->state_jsonata;
  if (!strcmp(k, "Comment") && json_is_string(v)) {
    buf_adds(out, " comment ");
    put_string(I, out, json_string_value(v), json_string_length(v));
    return true;
  }
  if (!strcmp(k, "QueryLanguage")) return json_is_string(v) && !strcmp(json_string_value(v), "JSONata") && !I->jsonata;
  if (!strcmp(k, "InputPath") && jsonpath) return buf_adds(out, " from "), put_path_or_nothing(out, v);
  if (!strcmp(k, "ResultPath") && jsonpath) return buf_adds(out, " into "), put_path_or_nothing(out, v);
  if (!strcmp(k, "OutputPath") && jsonpath) return buf_adds(out, " output "), put_path_or_nothing(out, v);
  if (!strcmp(k, "Output") && !jsonpath) return buf_adds(out, " output "), put_json(I, out, v), true;
  if (!strcmp(k, "ResultSelector") && json_is_object(v)) return buf_adds(out, " select "), put_json(I, out, v), true;
  if (!strcmp(k, "Assign") && json_is_object(v)) return buf_adds(out, " assign "), put_json(I, out, v), true;
  if (!strcmp(type, "Task")) {
    if (!strcmp(k, "TimeoutSeconds")) return put_seconds(I, out, "timeout", v, false);
    if (!strcmp(k, "TimeoutSecondsPath")) return put_seconds(I, out, "timeout", v, true);
    if (!strcmp(k, "HeartbeatSeconds")) return put_seconds(I, out, "heartbeat", v, false);
    if (!strcmp(k, "HeartbeatSecondsPath")) return put_seconds(I, out, "heartbeat", v, true);
    if (!strcmp(k, "Credentials") && json_object_size(v) == 1) {
      json_t *arn = json_object_get(v, "RoleArn"), *path = json_object_get(v, "RoleArn.$");
      if (json_is_string(arn) && !strncmp(json_string_value(arn), "arn:", 4))
        return buf_adds(out, " credentials "), put_string(I, out, json_string_value(arn), json_string_length(arn)), true;
      if (json_is_string(path) && json_string_value(path)[0] == '$')
        return buf_printf(out, " credentials %s", json_string_value(path)), true;
      return false;
    }
  }
  if (!strcmp(k, "Retry") && json_is_array(v) && json_array_size(v) && strcmp(type, "Pass")) {
    size_t mark = out->len;
    for (size_t i = 0; i < json_array_size(v); i++)
      if (!put_retrier(out, json_array_get(v, i))) return out->len = mark, false;
    return true;
  }
  if (!strcmp(k, "Catch") && json_is_array(v) && json_array_size(v) && strcmp(type, "Pass")) {
    size_t mark = out->len;
    for (size_t i = 0; i < json_array_size(v); i++)
      if (!put_catcher(I, out, json_array_get(v, i))) return out->len = mark, false;
    return true;
  }
  return false;
}

/* ------------------------------------------------------------ choice rules */

static const struct { const char *op, *sf; } comparisons[] = {
    {"Equals", "=="}, {"LessThanEquals", "<="}, {"LessThan", "<"},
    {"GreaterThanEquals", ">="}, {"GreaterThan", ">"},
};
static const struct { const char *field, *word; } type_tests[] = {
    {"IsPresent", "present"}, {"IsNull", "null"}, {"IsString", "string"},
    {"IsNumeric", "number"}, {"IsBoolean", "boolean"}, {"IsTimestamp", "timestamp"},
};
static const struct { const char *family, *cast; } families[] = {
    {"String", "string"}, {"Numeric", "number"}, {"Boolean", "boolean"}, {"Timestamp", "timestamp"},
};

/* The condition of a rule (without Next, Assign, Output, Comment). IN is the list
   ("And", "Or") C is an item of, written infix, or NULL. Infix `a and b` flattens
   into its parent of the same kind, so a one-item list, or a list inside one of its
   kind, is written `and (a, b)`: exactly those items. */
static bool put_condition(struct importer *I, struct buf *out, const json_t *c, const char *in) {
  const json_t *list;
  const char *kind = json_object_get(c, "And") ? "And" : json_object_get(c, "Or") ? "Or" : NULL;
  if (kind && (list = json_object_get(c, kind))) {
    if (!json_is_array(list) || json_array_size(list) < 1) return false;
    bool grouped = json_array_size(list) == 1 || (in && !strcmp(in, kind));
    for (size_t i = 0; i < json_array_size(list); i++) /* only a listed item has a comment */
      grouped |= json_object_get(json_array_get(list, i), "Comment") != NULL;
    const char *word = !strcmp(kind, "And") ? "and" : "or";
    if (grouped) buf_printf(out, "%s (", word);
    else if (in) buf_addc(out, '(');
    for (size_t i = 0; i < json_array_size(list); i++) {
      if (i) grouped ? buf_adds(out, ", ") : buf_printf(out, " %s ", word);
      const json_t *item = json_array_get(list, i), *comment = json_object_get(item, "Comment");
      if (!put_condition(I, out, item, grouped ? NULL : kind)) return false;
      if (comment && !json_is_string(comment)) return false;
      if (comment) buf_adds(out, " comment "), put_string(I, out, json_string_value(comment), json_string_length(comment));
    }
    if (grouped || in) buf_addc(out, ')');
    return true;
  }
  const json_t *inner = json_object_get(c, "Not");
  if (inner) {
    buf_adds(out, "not (");
    if (!put_condition(I, out, inner, NULL)) return false;
    buf_addc(out, ')');
    return true;
  }
  const json_t *cond = json_object_get(c, "Condition");
  if (cond) {
    if (json_is_boolean(cond)) return buf_adds(out, json_is_true(cond) ? "true" : "false"), true;
    if (!json_is_string(cond) || !is_jsonata_text(json_string_value(cond), json_string_length(cond))) return false;
    buf_adds(out, json_string_value(cond));
    return true;
  }
  const char *var = json_string_value(json_object_get(c, "Variable"));
  if (!var || var[0] != '$') return false;
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)c, k, v) {
    if (!strcmp(k, "Variable") || !strcmp(k, "Next") || !strcmp(k, "Assign") || !strcmp(k, "Output") ||
        !strcmp(k, "Comment"))
      continue;
    buf_printf(out, "%s ", var);
    if (!strcmp(k, "StringMatches") && json_is_string(v))
      return buf_adds(out, "matches "), put_string(I, out, json_string_value(v), json_string_length(v)), true;
    for (size_t i = 0; i < sizeof type_tests / sizeof *type_tests; i++)
      if (!strcmp(k, type_tests[i].field) && json_is_boolean(v))
        return buf_printf(out, "is %s%s", json_is_true(v) ? "" : "not ", type_tests[i].word), true;
    for (size_t f = 0; f < sizeof families / sizeof *families; f++) {
      size_t fl = strlen(families[f].family);
      if (strncmp(k, families[f].family, fl)) continue;
      for (size_t o = 0; o < sizeof comparisons / sizeof *comparisons; o++) {
        size_t ol = strlen(comparisons[o].op);
        if (strncmp(k + fl, comparisons[o].op, ol)) continue;
        const char *rest = k + fl + ol;
        if (*rest && strcmp(rest, "Path")) return false;
        buf_printf(out, "%s ", comparisons[o].sf);
        if (*rest) { /* ...Path: the other side's type */
          if (!json_is_string(v)) return false;
          return buf_printf(out, "%s(%s)", families[f].cast, json_string_value(v)), true;
        }
        if (f == 0 && json_is_string(v)) return put_string(I, out, json_string_value(v), json_string_length(v)), true;
        if (f == 1 && json_is_number(v)) return put_number(out, v), true;
        if (f == 1 && json_is_string(v) && is_deploy_placeholder(json_string_value(v))) /* deploy-time */
          return buf_adds(out, "number("), put_string(I, out, json_string_value(v), json_string_length(v)),
                 buf_addc(out, ')'), true;
        if (f == 2 && json_is_boolean(v) && o == 0) return buf_adds(out, json_is_true(v) ? "true" : "false"), true;
        if (f == 3 && json_is_string(v))
          return buf_adds(out, "timestamp("), put_string(I, out, json_string_value(v), json_string_length(v)),
                 buf_addc(out, ')'), true;
        return false;
      }
    }
    return false;
  }
  return false;
}

/* ------------------------------------------------------------ states and scopes */

static void put_scope(struct importer *I, struct buf *out, const json_t *scope, int depth);

static bool is_key(const char *k, const char *const *list) {
  for (; *list; list++)
    if (!strcmp(k, *list)) return true;
  return false;
}

/* The integrations written as `task N WORD TARGET [wait for callback] [with V]`: a
   JSONPath task whose Parameters are the target field (a name or ARN, declared as
   KIND), the payload field (absent from `with` when it is the whole input "$") and
   at most the extra field, written as its option. */
static const struct {
  const char *resource, *word, *kind, *target, *payload, *extra, *extra_word;
} targeted[] = {
    {"arn:aws:states:::lambda:invoke", "invoke", "lambda", "FunctionName", "Payload", NULL, NULL},
    {"arn:aws:states:::sns:publish", "publish", "topic", "TopicArn", "Message", "Subject", "subject"},
};

/* The name of the KIND declared as TARGET (a name, an ARN, or a whole placeholder,
   written `$${Name}`), declaring it on first use. */
static const char *declare_target(struct importer *I, const char *kind, const char *target) {
  const char *name = table_get(&I->lambdas, target);
  if (name) return name;
  struct buf scratch = {0};
  bool placeholder = is_deploy_placeholder(target);
  char *inner = placeholder ? arena_strndup(&I->arena, target + 2, strlen(target) - 3) : NULL;
  const char *base = target;
  if (placeholder) { /* ${Fn.Arn} (CloudFormation's GetAtt) is named Fn */
    size_t n = strlen(inner);
    base = n > 4 && !strcmp(inner + n - 4, ".Arn") ? arena_strndup(&I->arena, inner, n - 4) : inner;
  }
  name = declared_name(I, &scratch, base);
  buf_free(&scratch);
  table_put(&I->lambdas, target, (void *)name);
  buf_printf(&I->decls, "%s %s = ", kind, name);
  if (placeholder) {
    struct buf raw = {0};
    buf_printf(&raw, "$${%s}", inner);
    json_write_string(&I->decls, raw.data, raw.len);
    buf_free(&raw);
  } else {
    json_write_string(&I->decls, target, strlen(target));
  }
  buf_addc(&I->decls, '\n');
  return name;
}

static bool put_targeted(struct importer *I, struct buf *out, const char *resource, const json_t *params) {
  if (I->state_jsonata) return false;
  for (size_t t = 0; t < sizeof targeted / sizeof *targeted; t++) {
    size_t n = strlen(targeted[t].resource);
    if (strncmp(resource, targeted[t].resource, n)) continue;
    bool callback = !strcmp(resource + n, ".waitForTaskToken");
    if (resource[n] && !callback) return false;
    const char *target = json_string_value(json_object_get(params, targeted[t].target));
    char dynamic_key[32];
    snprintf(dynamic_key, sizeof dynamic_key, "%s.$", targeted[t].payload);
    json_t *payload = json_object_get(params, targeted[t].payload), *dynamic = json_object_get(params, dynamic_key);
    json_t *extra = targeted[t].extra ? json_object_get(params, targeted[t].extra) : NULL;
    if (targeted[t].extra && !extra) {
      snprintf(dynamic_key, sizeof dynamic_key, "%s.$", targeted[t].extra);
      extra = json_object_get(params, dynamic_key);
    }
    if (!target || (strstr(target, "${") && !is_deploy_placeholder(target)) || (!payload && !dynamic) ||
        json_object_size(params) != 2 + (extra != NULL))
      return false;
    if (strcmp(targeted[t].kind, "lambda") && strncmp(target, "arn:", 4) && !is_deploy_placeholder(target))
      return false;
    const char *name = declare_target(I, targeted[t].kind, target);
    buf_printf(out, " %s %s", targeted[t].word, name);
    if (callback) buf_adds(out, " wait for callback");
    if (!(dynamic && json_is_string(dynamic) && !strcmp(json_string_value(dynamic), "$"))) {
      buf_adds(out, " with ");
      if (dynamic) put_dynamic(I, out, dynamic);
      else put_json(I, out, payload);
    }
    if (extra) {
      buf_printf(out, " %s ", targeted[t].extra_word);
      if (json_object_get(params, targeted[t].extra)) put_json(I, out, extra);
      else put_dynamic(I, out, extra);
    }
    return true;
  }
  return false;
}

/* One state: its head, its options, its transition, and what the language cannot
   say in `asl { }`. NEXT is the state written after it in its scope (NULL: last). */
static void put_state(struct importer *I, struct buf *out, struct state_info *si, const char *next, int depth) {
  const json_t *st = si->json;
  const char *type = json_string_value(json_object_get(st, "Type"));
  bool literal = si->level != IDIOMATIC;
  json_t *ql = json_object_get(st, "QueryLanguage");
  I->state_jsonata = I->jsonata || (json_is_string(ql) && !strcmp(json_string_value(ql), "JSONata"));
  /* `query` writes the field as it is (check refuses JSONPath under JSONata) */
  const char *written = json_is_string(ql) ? json_string_value(ql) : "";
  const char *query = !strcmp(written, "JSONata") ? "jsonata"
                      : !strcmp(written, "JSONPath") && !I->jsonata ? "jsonpath" : NULL;
  static const char *const kinds[][2] = {{"Task", "task"}, {"Pass", "pass"}, {"Wait", "wait"},
                                         {"Choice", "choice"}, {"Parallel", "parallel"},
                                         {"Succeed", "succeed"}, {"Fail", "fail"}, {"Map", "map"}};
  const char *kind = NULL;
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (type && !strcmp(type, kinds[i][0])) kind = kinds[i][1];
  indent(out, depth);
  si->start = out->len;
  buf_printf(out, "%s ", kind ? kind : "pass");
  put_name(I, out, si->name);
  /* fields the head or the body takes; every other is an option or raw */
  static const char *const structural[] = {"Type", "Next", "End", NULL};
  const char *done[8] = {0};
  int ndone = 0;
  I->failed = false;
  si->declares = false;
  if (!strcmp(type, "Task")) {
    const char *resource = json_string_value(json_object_get(st, "Resource"));
    json_t *params = json_object_get(st, "Parameters");
    size_t mark = out->len;
    if (!literal && json_is_object(params) && put_targeted(I, out, resource, params) && !I->failed) {
      done[ndone++] = "Parameters";
      si->declares = true;
    } else if (is_deploy_placeholder(resource)) {
      /* mostly a Lambda function's ARN (the direct invocation); an activity's when its
         name says so; the warning asks the user to check */
      out->len = mark;
      char *lower = arena_strndup(&I->arena, resource, strlen(resource));
      for (char *c = lower; *c; c++) *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
      bool activity = strstr(lower, "activity") != NULL;
      size_t before = I->decls.len;
      buf_printf(out, " %s %s", activity ? "activity" : "resource",
                 declare_target(I, activity ? "activity" : "lambda", resource));
      if (!activity && I->decls.len != before) I->warn.guessed_lambdas++;
      si->declares = true;
    } else {
      out->len = mark;
      I->failed = false;
      buf_adds(out, " resource ");
      put_string(I, out, resource, strlen(resource));
      /* a service sfc knows acts on what the definition does not name; any other
         gets nothing from the role, and the warning says so */
      bool derives = iam_derives_resource(resource);
      buf_adds(out, derives ? " on \"*\"" : " on nothing");
      derives ? I->warn.wildcards++ : I->warn.unknown_services++;
    }
    done[ndone++] = "Resource";
  } else if (!strcmp(type, "Wait")) {
    static const char *const fields[] = {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"};
    for (int i = 0; i < 4; i++) {
      json_t *v = json_object_get(st, fields[i]);
      if (!v) continue;
      done[ndone++] = fields[i];
      if (i == 0 && is_count(v)) buf_printf(out, " %llds", (long long)json_integer_value(v));
      else if (i % 2 == 1 && json_is_string(v)) buf_printf(out, " %s%s", i == 3 ? "until " : "", json_string_value(v));
      else if (json_is_string(v) && I->state_jsonata && is_jsonata_text(json_string_value(v), json_string_length(v)))
        buf_printf(out, " %s%s", i == 2 ? "until " : "", json_string_value(v));
      else if (i == 2 && json_is_string(v)) buf_adds(out, " until "), put_string(I, out, json_string_value(v), json_string_length(v));
      else ndone--;
    }
  }
  if (query) buf_printf(out, " query %s", query);

  /* the options, in the definition's order; the rest is raw */
  json_t *raw = json_object();
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)st, k, v) {
    bool taken = is_key(k, structural);
    for (int i = 0; i < ndone && !taken; i++) taken = !strcmp(done[i], k);
    if (taken) continue;
    if (!strcmp(type, "Choice") && (!strcmp(k, "Choices") || !strcmp(k, "Default"))) continue;
    if (!strcmp(type, "Parallel") && !strcmp(k, "Branches")) continue;
    if (!strcmp(type, "Map") && (!strcmp(k, "ItemProcessor") || !strcmp(k, "Iterator"))) continue;
    if (!strcmp(k, "QueryLanguage") && query) continue;
    size_t mark = out->len;
    bool native = false;
    I->failed = false;
    static const char *const plain_options[] = {"Comment", "InputPath", "ResultPath", "OutputPath",
                                                "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
                                                "HeartbeatSecondsPath", "Retry", "Catch", "Credentials", NULL};
    if (si->level == PLAIN && is_key(k, plain_options)) native = put_option(I, out, type, k, v);
    if (si->level <= GENERIC) {
      native = put_option(I, out, type, k, v);
      if (!native && (!strcmp(k, "Parameters") || !strcmp(k, "Arguments")) && strcmp(type, "Map") &&
          strcmp(type, "Choice") && strcmp(type, "Wait") && strcmp(type, "Succeed") && strcmp(type, "Fail"))
        native = (buf_adds(out, " with "), put_json(I, out, v), true);
      if (!native && !strcmp(type, "Pass") && !strcmp(k, "Result") && !has_dollar_key(v))
        native = (buf_adds(out, " = "), put_json(I, out, v), true);
      if (!native && !strcmp(type, "Fail") && (!strcmp(k, "Error") || !strcmp(k, "Cause")) && json_is_string(v))
        native = (buf_printf(out, " %s ", k[0] == 'E' ? "error" : "cause"), put_json(I, out, v), true);
      if (!native && !strcmp(type, "Fail") && (!strcmp(k, "ErrorPath") || !strcmp(k, "CausePath")))
        native = (buf_printf(out, " %s ", k[0] == 'E' ? "error" : "cause"), put_dynamic(I, out, v), true);
      if (!native && !strcmp(type, "Map")) {
        if (!strcmp(k, "ItemsPath") && json_is_string(v)) native = (buf_printf(out, " over %s", json_string_value(v)), true);
        else if (!strcmp(k, "Items")) native = (buf_adds(out, " over "), put_json(I, out, v), true);
        else if (!strcmp(k, json_object_get(st, "Iterator") ? "Parameters" : "ItemSelector"))
          native = (buf_adds(out, " with "), put_json(I, out, v), true);
        else if (!strcmp(k, "MaxConcurrency") && is_count(v))
          native = (buf_printf(out, " concurrency %lld", (long long)json_integer_value(v)), true);
        else if (!strcmp(k, "MaxConcurrencyPath") && json_is_string(v))
          native = (buf_printf(out, " concurrency %s", json_string_value(v)), true);
        else if (!strcmp(k, "ToleratedFailurePercentage") && json_is_number(v))
          native = (buf_adds(out, " tolerate "), put_number(out, v), buf_adds(out, " %"), true);
        else if (!strcmp(k, "ToleratedFailureCount") && is_count(v))
          native = (buf_printf(out, " tolerate %lld failures", (long long)json_integer_value(v)), true);
        else if (!strcmp(k, "Label") && json_is_string(v))
          native = (buf_adds(out, " label "), put_json(I, out, v), true);
        else if (!strcmp(k, "ItemReader") || !strcmp(k, "ItemBatcher") || !strcmp(k, "ResultWriter"))
          native = (buf_printf(out, " %s ", k[4] == 'R' ? "reader" : k[4] == 'B' ? "batch" : "writer"),
                    put_json(I, out, v), true);
      }
    }
    if (native && I->failed) native = false;
    if (!native) {
      out->len = mark;
      json_object_set(raw, k, v);
    }
  }
  /* the map's body: its field's name and its processor config */
  json_t *processor = json_object_get(st, "ItemProcessor");
  if (!processor && (processor = json_object_get(st, "Iterator"))) buf_adds(out, " legacy");
  json_t *config = json_object_get(processor, "ProcessorConfig");
  if (config) {
    const char *mode = json_string_value(json_object_get(config, "Mode"));
    const char *exec = json_string_value(json_object_get(config, "ExecutionType"));
    if (mode && !strcmp(mode, "DISTRIBUTED")) buf_adds(out, exec && !strcmp(exec, "EXPRESS") ? " distributed express" : " distributed");
    if (mode && !strcmp(mode, "INLINE")) buf_adds(out, " inline");
  }
  if (json_object_size(raw)) {
    buf_adds(out, " asl ");
    put_plain(I, out, raw);
  }
  json_decref(raw);

  /* the body */
  if (!strcmp(type, "Choice")) {
    buf_adds(out, " {\n");
    json_t *rules = json_object_get(st, "Choices");
    for (size_t i = 0; i < json_array_size(rules); i++) {
      json_t *r = json_array_get(rules, i);
      indent(out, depth + 1);
      buf_adds(out, "when ");
      I->failed = false;
      if (!put_condition(I, out, r, NULL)) I->failed = true;
      buf_adds(out, " -> ");
      put_name(I, out, json_string_value(json_object_get(r, "Next")) ? json_string_value(json_object_get(r, "Next")) : "");
      if ((v = json_object_get(r, "Assign"))) buf_adds(out, " assign "), put_json(I, out, v);
      if ((v = json_object_get(r, "Output"))) buf_adds(out, " output "), put_json(I, out, v);
      if ((v = json_object_get(r, "Comment"))) buf_adds(out, " comment "), put_json(I, out, v);
      buf_addc(out, '\n');
    }
    const char *dflt = json_string_value(json_object_get(st, "Default"));
    if (dflt) {
      indent(out, depth + 1);
      buf_adds(out, "otherwise -> ");
      put_name(I, out, dflt);
      buf_addc(out, '\n');
    }
    indent(out, depth);
    buf_addc(out, '}');
  } else if (!strcmp(type, "Parallel")) {
    buf_adds(out, " {\n");
    json_t *branches = json_object_get(st, "Branches");
    for (size_t i = 0; i < json_array_size(branches); i++) {
      json_t *b = json_array_get(branches, i);
      const char *comment = json_string_value(json_object_get(b, "Comment"));
      indent(out, depth + 1);
      buf_adds(out, "branch ");
      if (comment) put_name(I, out, comment), buf_addc(out, ' ');
      buf_adds(out, "{\n");
      put_scope(I, out, b, depth + 2);
      indent(out, depth + 1);
      buf_adds(out, "}\n");
    }
    indent(out, depth);
    buf_addc(out, '}');
  } else if (!strcmp(type, "Map")) {
    buf_adds(out, " {\n");
    put_scope(I, out, processor, depth + 1);
    indent(out, depth);
    buf_addc(out, '}');
  }
  /* the transition */
  const char *to = json_string_value(json_object_get(st, "Next"));
  if (to && !(next && !strcmp(to, next))) buf_adds(out, " -> "), put_name(I, out, to);
  if (json_is_true(json_object_get(st, "End")) && next) buf_adds(out, " end");
  si->end = out->len;
  buf_addc(out, '\n');
}

/* The states of SCOPE in the order that needs the fewest jumps: each state's Next
   directly after it, then the states reached only by name. */
static void put_scope(struct importer *I, struct buf *out, const json_t *scope, int depth) {
  json_t *states = json_object_get(scope, "States");
  size_t n = json_object_size(states), count = 0;
  struct state_info **order = xmalloc((n ? n : 1) * sizeof *order);
  struct table placed = {0};
  const char *start = json_string_value(json_object_get(scope, "StartAt"));
  const char *k;
  json_t *v;
  for (int pass = 0; pass < 2; pass++) {
    json_object_foreach(states, k, v) {
      const char *from = pass == 0 ? start : k;
      if (pass == 0 && count) break;
      for (const char *s = from; s && count < n && !table_get(&placed, s);) {
        struct state_info *si = table_get(&I->index, s);
        if (!si || !json_object_get(states, s)) break;
        table_put(&placed, s, si);
        order[count++] = si;
        s = json_string_value(json_object_get(si->json, "Next"));
      }
      if (pass == 0) break;
    }
  }
  for (size_t i = 0; i < count; i++) put_state(I, out, order[i], i + 1 < count ? order[i + 1]->name : NULL, depth);
  table_free(&placed);
  free(order);
}

/* ------------------------------------------------------------ the program */

static void register_states(struct importer *I, const json_t *scope) {
  const char *k;
  json_t *st;
  json_object_foreach(json_object_get(scope, "States"), k, st) {
    if (I->nstates == I->cap) {
      I->cap = I->cap ? 2 * I->cap : 16;
      I->states = xrealloc(I->states, (size_t)I->cap * sizeof *I->states);
    }
    I->states[I->nstates++] = (struct state_info){k, st, IDIOMATIC, false, false, 0, 0};
    json_t *branches = json_object_get(st, "Branches");
    for (size_t i = 0; i < json_array_size(branches); i++) register_states(I, json_array_get(branches, i));
    json_t *body = json_object_get(st, "ItemProcessor");
    if (!body) body = json_object_get(st, "Iterator");
    if (body) register_states(I, body);
  }
}

static void program_text(struct importer *I, const char *workflow, struct buf *out) {
  struct buf body = {0};
  buf_free(&I->decls);
  buf_free(&I->param_decls);
  table_free(&I->lambdas);
  table_free(&I->params);
  table_free(&I->taken);
  I->warn = (struct import_warnings){0};
  for (int i = 0; i < I->nstates; i++) I->states[i].start = I->states[i].end = 0;
  const json_t *v;
  if ((v = json_object_get(I->doc, "Comment"))) buf_adds(&body, "  comment "), put_json(I, &body, v), buf_addc(&body, '\n');
  if ((v = json_object_get(I->doc, "Version"))) buf_adds(&body, "  version "), put_json(I, &body, v), buf_addc(&body, '\n');
  if ((v = json_object_get(I->doc, "TimeoutSeconds")) && is_count(v))
    buf_printf(&body, "  timeout %llds\n", (long long)json_integer_value(v));
  const json_t *ql = json_object_get(I->doc, "QueryLanguage");
  if (I->jsonata || (json_is_string(ql) && !strcmp(json_string_value(ql), "JSONPath")))
    buf_printf(&body, "  query %s\n", I->jsonata ? "jsonata" : "jsonpath");
  put_scope(I, &body, I->doc, 1);
  out->len = 0;
  if (I->param_decls.len) buf_add(out, I->param_decls.data, I->param_decls.len);
  if (I->decls.len) buf_add(out, I->decls.data, I->decls.len);
  if (out->len) buf_addc(out, '\n');
  buf_printf(out, "workflow %s {\n", workflow);
  size_t shift = out->len;
  buf_add(out, body.data, body.len);
  buf_adds(out, "}\n");
  for (int i = 0; i < I->nstates; i++)
    if (I->states[i].end) I->states[i].start += shift, I->states[i].end += shift;
  buf_free(&body);
}

/* The state whose text holds OFFSET (the innermost: bodies hold their states). */
static struct state_info *state_at(struct importer *I, size_t offset) {
  struct state_info *best = NULL;
  for (int i = 0; i < I->nstates; i++) {
    struct state_info *s = &I->states[i];
    if (s->end && s->start <= offset && offset < s->end && (!best || s->end - s->start < best->end - best->start))
      best = s;
  }
  return best;
}

/* Compiles TEXT; fills *GOT with its definition (NULL on errors) and returns how
   many states it moved to the literal form. */
static int verify(struct importer *I, const struct buf *text, json_t **got) {
  struct options opts = {0};
  opts.emit = EMIT_ASL;
  struct compilation c = {0};
  c.options = &opts;
  for (int w = 0; w < W_COUNT; w++) c.diag.disabled[w] = true;
  struct input in = {"<import>", text->data, text->len, false};
  struct model model = {0};
  struct outputs out = {0};
  int bumped = 0;
  *got = NULL;
  if (sfc_compile(&c, &in, 1, COMPILE_CHECK, &model, &out) == EXIT_OK && model.nworkflows == 1) {
    *got = jn_to_json(model.workflows[0].definition);
    struct table made = {0};
    index_states(&made, *got);
    for (int i = 0; i < I->nstates; i++) {
      const json_t *g = table_get(&made, I->states[i].name);
      if (I->states[i].level != LITERAL && (!g || !state_same(I->states[i].json, g)))
        I->states[i].level++, bumped++;
    }
    table_free(&made);
  } else {
    I->refusal.len = 0;
    for (int i = 0; i < c.diag.count; i++) {
      const struct diagnostic *d = &c.diag.list[i];
      if (d->severity != SEV_ERROR) continue;
      if (!I->refusal.len) buf_adds(&I->refusal, d->message);
      struct state_info *s = d->has_loc ? state_at(I, d->loc.start) : NULL;
      if (s) s->bump = true;
      for (int j = 0; !s && j < I->nstates; j++) /* a declaration: its users say the name */
        if (I->states[j].declares) I->states[j].bump = true; /* to GENERIC */
    }
    for (int i = 0; i < I->nstates; i++) { /* one step per round, however many errors */
      if (I->states[i].bump && I->states[i].level != LITERAL) I->states[i].level++, bumped++;
      I->states[i].bump = false;
    }
  }
  outputs_free(&out);
  compilation_free(&c);
  return bumped;
}

/* OUT in `sfc fmt`'s layout, when that still compiles to DOC (it does unless fmt
   has a bug, which then must not cost the round trip). */
static void canonical_layout(struct importer *I, const json_t *doc, struct buf *out) {
  struct diag d = {0};
  int file = diag_add_file(&d, "<import>", out->data, out->len);
  struct buf formatted = {0};
  if (fmt_text(&d, file, &formatted) == EXIT_OK) {
    json_t *got = NULL;
    verify(I, &formatted, &got);
    if (got && json_same_data(doc, got)) {
      buf_free(out);
      *out = formatted;
      formatted = (struct buf){0};
    }
    json_decref(got);
  }
  buf_free(&formatted);
  diag_free(&d);
}

/* Writes the program for DOC into OUT; false (with a message on stderr) when its
   compile does not give DOC back. */
static bool import_document(json_t *doc, const char *workflow, struct buf *out,
                            struct import_warnings *warn) {
  struct importer I = {0};
  I.doc = doc;
  json_t *ql = json_object_get(doc, "QueryLanguage");
  I.jsonata = json_is_string(ql) && !strcmp(json_string_value(ql), "JSONata");
  register_states(&I, doc);
  for (int i = 0; i < I.nstates; i++) table_put(&I.index, I.states[i].name, &I.states[i]);
  json_t *got = NULL;
  for (int round = 0; round < 8; round++) { /* each round moves states one level on */
    program_text(&I, workflow, out);
    json_decref(got);
    if (!verify(&I, out, &got)) break;
  }
  bool same = got && json_same_data(doc, got);
  if (same) canonical_layout(&I, doc, out);
  if (!same) {
    fprintf(stderr, "sfc: error: import cannot write this definition exactly in the language");
    for (int i = 0; i < I.nstates && got; i++) {
      struct table made = {0};
      index_states(&made, got);
      const json_t *g = table_get(&made, I.states[i].name);
      if (!g || !state_same(I.states[i].json, g)) {
        fprintf(stderr, ": state '%s' differs", I.states[i].name);
        json_t *x = shallow(I.states[i].json), *y = g ? shallow(g) : json_object();
        const char *field = first_difference(x, y);
        if (field) fprintf(stderr, " in \"%s\"", field);
        json_decref(x);
        json_decref(y);
        table_free(&made);
        break;
      }
      table_free(&made);
    }
    json_t *mine = json_object_get(doc, "QueryLanguage"), *theirs = got ? json_object_get(got, "QueryLanguage") : NULL;
    if (!got && I.refusal.len) fprintf(stderr, ": the compiler refuses it: %.*s", (int)I.refusal.len, I.refusal.data);
    if (got && (!mine != !theirs || (mine && !json_same_data(mine, theirs))))
      fputs(": the top-level QueryLanguage", stderr);
    fputc('\n', stderr);
  }
  *warn = I.warn;
  json_decref(got);
  arena_free(&I.arena);
  table_free(&I.index);
  table_free(&I.lambdas);
  table_free(&I.params);
  table_free(&I.taken);
  buf_free(&I.decls);
  buf_free(&I.param_decls);
  buf_free(&I.refusal);
  free(I.states);
  return same;
}

/* ------------------------------------------------------------ sfc import */

static const char import_usage[] =
    "usage: sfc import FILE.asl.json [--name NAME]\n"
    "\n"
    "Prints a .sf program that compiles back to the definition in FILE ('-' for\n"
    "standard input), equal as JSON. The definition is checked first, as by 'sfc\n"
    "check'. Each state is written idiomatically where the compiled result is the\n"
    "same, with 'asl { }' only for the fields the language cannot say; ${NAME}\n"
    "placeholders become params whose default is the placeholder.\n"
    "\n"
    "options:\n"
    "  --name NAME   the workflow's name (default: FILE's name without .asl.json,\n"
    "                with every character other than letters, digits and '_'\n"
    "                written '_'; 'Workflow' for standard input)\n"
    "  -h, --help    show this help\n"
    "exit codes: 0 printed, 1 an invalid definition or one the language cannot\n"
    "            say exactly, 2 bad usage, 3 an unreadable file\n";

/* The workflow's name from the file's: identifier characters kept, others '_'. */
static char *name_from_path(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  if (n > 9 && !strcmp(base + n - 9, ".asl.json")) n -= 9;
  else if (n > 5 && !strcmp(base + n - 5, ".json")) n -= 5;
  struct buf b = {0};
  if (!n || (base[0] >= '0' && base[0] <= '9')) buf_addc(&b, '_');
  for (size_t i = 0; i < n && b.len < 64; i++) { /* its IAM role's name has at most 64 */
    char ch = base[i];
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    buf_addc(&b, ok ? ch : '_');
  }
  buf_addc(&b, '\0');
  if (!is_plain_name(b.data)) b.len--, buf_adds(&b, "_workflow"), buf_addc(&b, '\0');
  return b.data;
}

int import_main(int argc, char **argv) {
  const char *path = NULL, *name = NULL;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(import_usage, stdout);
      return EXIT_OK;
    }
    if (!strcmp(argv[i], "--name") || !strncmp(argv[i], "--name=", 7)) {
      name = argv[i][6] ? argv[i] + 7 : i + 1 < argc ? argv[++i] : NULL;
      if (!name) {
        fputs("sfc import: error: option '--name' needs a workflow name\nTry 'sfc import --help'.\n", stderr);
        return EXIT_USAGE;
      }
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "sfc import: error: unknown option '%s'\nTry 'sfc import --help'.\n", argv[i]);
      return EXIT_USAGE;
    } else if (path) {
      fputs("sfc import: error: one definition at a time\nTry 'sfc import --help'.\n", stderr);
      return EXIT_USAGE;
    } else {
      path = argv[i];
    }
  }
  if (!path) {
    fputs("sfc import: error: no definition (give FILE.asl.json, or - for standard input)\n"
          "Try 'sfc import --help'.\n", stderr);
    return EXIT_USAGE;
  }
  if (name && (!is_plain_name(name) || name_check(NAME_STATE_MACHINE, name, strlen(name), &(size_t){0}))) {
    fprintf(stderr, "sfc import: error: --name '%s': a workflow name is an identifier ([A-Za-z_][A-Za-z0-9_]*, "
            "not a keyword) of at most 80 characters\n", name);
    return EXIT_USAGE;
  }
  size_t len = 0;
  char *text = read_whole_file(path, &len);
  if (!text) return EXIT_IO;
  const char *shown = strcmp(path, "-") ? path : "<stdin>";
  /* the definition is judged as `sfc check` judges it, with the same messages */
  struct options opts = {0};
  struct compilation c = {0};
  c.options = &opts;
  struct input in = {shown, text, len, true};
  struct model model = {0};
  struct outputs none = {0};
  int status = sfc_compile(&c, &in, 1, COMPILE_CHECK, &model, &none);
  diag_print_text(&c.diag, stderr);
  compilation_free(&c);
  outputs_free(&none);
  if (status == EXIT_OK) {
    json_error_t error;
    json_t *doc = json_loadb(text, len, 0, &error);
    char *workflow = name ? xstrdup(name) : strcmp(path, "-") ? name_from_path(path) : xstrdup("Workflow");
    struct buf program = {0};
    struct import_warnings warn = {0};
    if (!doc || !import_document(doc, workflow, &program, &warn)) status = EXIT_INPUT;
    if (status == EXIT_OK) {
      fwrite(program.data, 1, program.len, stdout);
      /* sfc derives IAM from what a task names; the definition did not name it */
      int wildcards = warn.wildcards, unknown = warn.unknown_services, guessed = warn.guessed_lambdas;
      if (wildcards)
        fprintf(stderr, "sfc import: warning: %d task%s act%s on resources the definition does not "
                "name: the program says 'on \"*\"' there, which allows %s IAM actions on every "
                "resource; replace \"*\" with what each acts on\n", wildcards,
                wildcards == 1 ? "" : "s", wildcards == 1 ? "s" : "", wildcards == 1 ? "its" : "their");
      if (unknown)
        fprintf(stderr, "sfc import: warning: %d resource task%s name%s a service whose permissions sfc "
                "does not derive: the program says 'on nothing' there, so the role gets nothing for "
                "%s; grant what %s elsewhere\n", unknown, unknown == 1 ? "" : "s", unknown == 1 ? "s" : "",
                unknown == 1 ? "it" : "them", unknown == 1 ? "it needs" : "they need");
      if (guessed)
        fprintf(stderr, "sfc import: warning: %d task Resource%s %s a deploy-time placeholder, "
                "declared as a lambda (the direct invocation) so the role may invoke it; if one "
                "stands for something else, declare it as what it is\n", guessed,
                guessed == 1 ? "" : "s", guessed == 1 ? "is" : "are");
    }
    buf_free(&program);
    json_decref(doc);
    free(workflow);
  }
  free(text);
  return status;
}
