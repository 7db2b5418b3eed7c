/* transform.c: what a target receives of an event (events.h).
 *
 * A rule target gets the whole event, a constant Input, the part of the event its
 * InputPath selects, or its InputTransformer's InputTemplate with each <name> filled
 * (reference C.2; EventBridge User Guide, "Amazon EventBridge input transformation"):
 *
 *   - a placeholder outside a JSON string gets the value's JSON text: a string arrives
 *     quoted, an object as an object;
 *   - inside a string (and anywhere in a template that is not JSON) it gets the value's
 *     text unescaped, as the guide says EventBridge does ("EventBridge doesn't escape
 *     values extracted by Input Path"): a string's characters, other values' JSON text;
 *   - a path that selects nothing creates no variable: nothing inside a string, null
 *     outside one, so the JSON stays JSON;
 *   - a JSON template is minified: whitespace outside strings goes.
 *
 * A Scheduler target's Input has the <aws.scheduler.*> context attributes substituted
 * as text (Scheduler User Guide, "Adding context attributes").
 */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"
#include "runtime.h"
#include "events.h"
#include "interp.h"

#include <stdlib.h>
#include <string.h>

/* PutTargets' limits: those lower_triggers.c checks too (sfc.h), and an InputPathsMap
   key's length, which sfc's generated keys never reach. */
enum { NAME_MAX_CHARS = 256 };

static const char event_prefix[] = "aws.events.";

static size_t chars(const char *s) { return utf8_count(s, strlen(s)); }

static char *refuse(char **why, char *message) {
  *why = message;
  return NULL;
}

/* The paths EventBridge evaluates: $ then .name (letters, digits, '-', '_', '/'), .*,
   [N] or [*]; no bracketed names, filters or deep scans. */
static bool simple_path(const char *p) {
  if (*p++ != '$') return false;
  static const char name_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/";
  while (*p) {
    if (*p == '.') {
      size_t n = p[1] == '*' ? 1 : strspn(p + 1, name_chars);
      if (!n) return false;
      p += 1 + n;
    } else if (*p == '[') {
      size_t n = p[1] == '*' ? 1 : strspn(p + 1, "0123456789");
      if (!n || p[1 + n] != ']') return false;
      p += 2 + n;
    } else {
      return false;
    }
  }
  return true;
}

/* The value at PATH of EVENT (new reference), or NULL when it selects nothing. */
static json_t *select_path(const json_t *event, const char *path) {
  struct rt_scope s = {(json_t *)event, NULL, NULL, NULL};
  json_t *v = NULL;
  char *why = NULL;
  if (!rt_path_get(path, &s, &v, &why)) v = NULL;
  free(why);
  return v;
}

static char *check_path(const char *field, const char *path, char **why) {
  if (chars(path) > TARGET_PATH_MAX)
    return refuse(why, ip_xasprintf("%s: a path is at most %d characters, not %zu", field, TARGET_PATH_MAX, chars(path)));
  if (!simple_path(path))
    return refuse(why, ip_xasprintf("%s: '%s' is not a path EventBridge evaluates: $ followed by dot notation "
                                    "(.name, .*) and array indices ([0], [*])", field, path));
  return (char *)path;
}

/* The InputPathsMap keys PutTargets takes: 1-256 of [A-Za-z0-9_-], not starting with
   AWS, and none of the predefined aws.events.* names. */
static char *check_name(const char *name, char **why) {
  if (!strncmp(name, event_prefix, strlen(event_prefix)))
    return refuse(why, ip_xasprintf("InputPathsMap: '%s' is a predefined variable; names starting with %s are "
                                    "reserved", name, event_prefix));
  static const char name_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
  size_t n = strlen(name);
  if (!n || n > NAME_MAX_CHARS || strspn(name, name_chars) != n)
    return refuse(why, ip_xasprintf("InputPathsMap: a key is 1 to %d letters, digits, '_' or '-', not '%s'",
                                    NAME_MAX_CHARS, name));
  if (!strncmp(name, "AWS", 3))
    return refuse(why, ip_xasprintf("InputPathsMap: a key cannot start with AWS: '%s'", name));
  return (char *)name;
}

/* Adds V's text: JSON text unquoted; inside a string a string's characters as they are. */
static void add_value(struct buf *out, const json_t *v, bool quoted) {
  if (!v) {
    if (!quoted) buf_adds(out, "null");
    return;
  }
  if (quoted && json_is_string(v)) {
    buf_add(out, json_string_value(v), json_string_length(v));
    return;
  }
  char *text = rt_json_text(v);
  buf_adds(out, text);
  free(text);
}

/* The value of the placeholder NAME (LEN bytes), borrowed from VALUES or made into
   *MADE; false when NAME is no variable (the text stays as written). */
static bool placeholder(const struct rt_target *t, const json_t *event, int64_t ingestion_ms,
                        json_t *const *values, const char *name, size_t len, const json_t **v, json_t **made) {
#define IS(s) (len == strlen(s) && !memcmp(name, s, len))
  *made = NULL;
  if (IS("aws.events.rule-arn")) *v = *made = json_string(t->rule_arn ? t->rule_arn : "");
  else if (IS("aws.events.rule-name")) *v = *made = json_string(t->rule_name ? t->rule_name : "");
  else if (IS("aws.events.event.json")) *v = event;
  else if (IS("aws.events.event")) { /* the event without its detail */
    *made = json_deep_copy(event);
    json_object_del(*made, "detail");
    *v = *made;
  } else if (IS("aws.events.event.ingestion-time")) {
    char time[32];
    rt_event_time(ingestion_ms, time);
    *v = *made = json_string(time);
  } else {
    for (int i = 0; i < t->nvars; i++)
      if (IS(t->vars[i].name)) {
        *v = values[i];
        return true;
      }
    return false;
  }
  return true;
#undef IS
}

/* The template with its placeholders filled; NULL with *why when a placeholder is an
   object's key, which PutTargets refuses in a JSON template. */
static char *render(const struct rt_target *t, const json_t *event, int64_t ingestion_ms, json_t *const *values,
                    char **why) {
  const char *s = t->input_template;
  const char *first = s + strspn(s, " \t\r\n");
  bool json = *first == '{' || *first == '[' || *first == '"';
  bool in_string = !json; /* text outside JSON takes values as text, as a string does */
  bool key = false, in_key = false; /* a key comes next; the string is a key */
  struct buf out = {0}, open = {0}; /* the output; the objects and arrays open */
  for (size_t i = 0; s[i];) {
    char c = s[i];
    if (c == '<') {
      size_t len = 0; /* no name is longer than a key may be: the scan stays linear */
      while (len <= NAME_MAX_CHARS && s[i + 1 + len] && !strchr("<>", s[i + 1 + len])) len++;
      const json_t *v = NULL;
      json_t *made = NULL;
      if (s[i + 1 + len] == '>' && placeholder(t, event, ingestion_ms, values, s + i + 1, len, &v, &made)) {
        if (json && (in_string ? in_key : key)) {
          json_decref(made);
          buf_free(&out);
          buf_free(&open);
          return refuse(why, ip_xasprintf("InputTemplate: the placeholder <%.*s> cannot be used as an object key",
                                          (int)len, s + i + 1));
        }
        add_value(&out, v, in_string);
        json_decref(made);
        i += len + 2;
        continue;
      }
    }
    if (json && c == '"') {
      in_string = !in_string;
      in_key = in_string && key;
    } else if (json && in_string && c == '\\' && s[i + 1]) {
      buf_add(&out, s + i, 2);
      i += 2;
      continue;
    } else if (json && !in_string) {
      if (c == '{' || c == '[') buf_addc(&open, c);
      if ((c == '}' || c == ']') && open.len) open.len--;
      key = c == '{' || (c == ',' && open.len && open.data[open.len - 1] == '{') || (key && c != ':' && c != '}');
    }
    if (!(json && !in_string && strchr(" \t\r\n", c))) buf_addc(&out, c);
    i++;
  }
  buf_free(&open);
  return out.data ? out.data : xstrdup("");
}

char *rt_target_input(const struct rt_target *t, const json_t *event, int64_t ingestion_ms, char **why) {
  if ((t->input != NULL) + (t->input_path != NULL) + (t->input_template != NULL) > 1)
    return refuse(why, xstrdup("a target takes only one of Input, InputPath and InputTransformer"));
  if (t->input) {
    if (chars(t->input) > TARGET_INPUT_MAX)
      return refuse(why, ip_xasprintf("Input is at most %d characters, not %zu", TARGET_INPUT_MAX, chars(t->input)));
    json_t *v = json_loads(t->input, JSON_DECODE_ANY, NULL);
    if (!v) return refuse(why, xstrdup("Input is not valid JSON"));
    json_decref(v);
    return xstrdup(t->input);
  }
  if (t->input_path) {
    if (!check_path("InputPath", t->input_path, why)) return NULL;
    json_t *v = select_path(event, t->input_path);
    /* nothing selected: nothing sent, as a variable with no value is not created */
    char *text = v ? rt_json_text(v) : xstrdup("");
    json_decref(v);
    return text;
  }
  if (!t->input_template) return rt_json_text(event);

  size_t n = chars(t->input_template);
  if (n < 1 || n > TARGET_TEMPLATE_MAX)
    return refuse(why, ip_xasprintf("InputTemplate is 1 to %d characters, not %zu", TARGET_TEMPLATE_MAX, n));
  if (t->nvars > TARGET_VARS_MAX)
    return refuse(why, ip_xasprintf("InputPathsMap has at most %d entries, not %d", TARGET_VARS_MAX, t->nvars));
  for (int i = 0; i < t->nvars; i++) {
    if (!check_name(t->vars[i].name, why) || !check_path("InputPathsMap", t->vars[i].path, why)) return NULL;
    for (int j = 0; j < i; j++)
      if (!strcmp(t->vars[i].name, t->vars[j].name))
        return refuse(why, ip_xasprintf("InputPathsMap: the key '%s' is given twice", t->vars[i].name));
  }
  json_t **values = xmalloc((size_t)(t->nvars ? t->nvars : 1) * sizeof *values);
  for (int i = 0; i < t->nvars; i++) values[i] = select_path(event, t->vars[i].path);
  char *text = render(t, event, ingestion_ms, values, why);
  for (int i = 0; i < t->nvars; i++) json_decref(values[i]);
  free(values);
  return text;
}

char *rt_scheduler_input(const char *input, const struct rt_schedule_call *call) {
  /* without Input, Scheduler starts the execution with no input: Step Functions' {} */
  if (!input) return xstrdup("{}");
  char time[32], attempt[16];
  rt_event_time(call->scheduled_ms, time);
  snprintf(attempt, sizeof attempt, "%d", call->attempt);
  const struct { const char *keyword, *value; } context[] = {
      {"<aws.scheduler.schedule-arn>", call->schedule_arn},
      {"<aws.scheduler.scheduled-time>", time},
      {"<aws.scheduler.execution-id>", call->execution_id ? call->execution_id : ""},
      {"<aws.scheduler.attempt-number>", attempt},
  };
  struct buf out = {0};
  for (const char *p = input; *p;) {
    size_t k = 0, n = sizeof context / sizeof *context;
    while (k < n && strncmp(p, context[k].keyword, strlen(context[k].keyword))) k++;
    if (k < n) {
      buf_adds(&out, context[k].value);
      p += strlen(context[k].keyword);
    } else {
      buf_addc(&out, *p++);
    }
  }
  return out.data ? out.data : xstrdup("");
}
