/* diag.c: every message sfc prints about its input goes through here.
 *
 * Diagnostics are collected, then printed once at the end, either as text
 * (file:line:col: severity: message, the source line, a caret under the span), as
 * one JSON array for editors, as a SARIF 2.1.0 log (code scanning) or as GitHub
 * Actions workflow commands (annotations). Text and JSON columns are 1-based byte
 * offsets in the line; SARIF and GitHub count characters (code points).
 */
#include "sfc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Invalid bytes, and with CONTROLS control characters, as \xNN; LAYOUT keeps
   newlines and tabs. */
static char *escape_text(const char *name, bool controls, bool layout) {
  struct buf b = {0};
  const unsigned char *p = (const unsigned char *)name;
  size_t len = strlen(name);
  for (size_t i = 0; i < len;) {
    uint32_t cp = 0;
    size_t n = utf8_decode(p + i, len - i, &cp);
    bool control = cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
    if (layout && (cp == '\n' || cp == '\t')) control = false;
    if (n == 0 || (controls && control)) {
      buf_printf(&b, "\\x%02x", p[i]);
      n = n ? n : 1;
      if (n > 1) buf_printf(&b, "\\x%02x", p[i + 1]); /* a C1 control is 2 bytes */
    } else {
      buf_add(&b, name + i, n);
    }
    i += n;
  }
  buf_addc(&b, 0);
  return b.data;
}

char *name_escape(const char *name, bool controls) { return escape_text(name, controls, false); }

const char *shown(const char *name) {
  static char *ring[8];
  static int next;
  free(ring[next]);
  ring[next] = name_escape(name, true);
  const char *s = ring[next];
  next = (next + 1) % 8;
  return s;
}

int diag_add_file(struct diag *d, const char *name, const char *text, size_t len) {
  d->files = xrealloc(d->files, (size_t)(d->nfiles + 1) * sizeof *d->files);
  struct source *s = &d->files[d->nfiles];
  s->name = name;
  s->text = text;
  s->len = len;
  int n = 1;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n') n++;
  s->line_starts = xmalloc((size_t)n * sizeof(int));
  s->line_starts[0] = 0;
  s->nlines = 1;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n') s->line_starts[s->nlines++] = (int)i + 1;
  return d->nfiles++;
}

/* Each warning's name (-Wno-NAME, [-WNAME]) and what it is about (SARIF's rule descriptions). */
static const struct {
  const char *name;
  const char *about;
} warnings[W_COUNT] = {
    [W_LAMBDA_RETRY] = {"lambda-retry", "a Lambda task without retry"},
    [W_NO_OTHERWISE] = {"missing-otherwise", "a choice that can match nothing"},
    [W_EMIT_INPUT] = {"emit-input", "an emit sending the whole state input"},
    [W_LITERAL_PATH] = {"literal-path", "a path passed on as plain text"},
    [W_UNKNOWN_ERROR] = {"unknown-error", "a States.* error name AWS does not define"},
    [W_NO_TASK_TOKEN] = {"task-token", "a callback task that hands out no token"},
    [W_CREDENTIALS_PATH] = {"credentials-path", "task credentials sfc cannot grant"},
    [W_NEVER_FIRES] = {"never-fires", "a trigger on an event nothing sends"},
    [W_SELF_TRIGGER] = {"self-trigger", "a workflow that starts itself"},
    [W_PATTERN_QUOTA] = {"pattern-quota", "a pattern above EventBridge's default quota"},
    [W_NUMERIC_MATCH] = {"numeric-match", "a number EventBridge cannot match exactly"},
    [W_ANYTHING_BUT] = {"anything-but", "anything-but matches that exclude nothing"},
    [W_JSONATA_TEXT] = {"jsonata-text", "text around {% %}: passed on unevaluated"},
    [W_JSONPATH_KEY] = {"jsonpath-key", "a KEY.$ in a JSONata state"},
    [W_PATH_SPACE] = {"path-space", "white space at the end of a path"},
    [W_INLINE_TOLERANCE] = {"inline-tolerance", "failure tolerances on an inline Map"},
    [W_UNKNOWN_SDK_SERVICE] = {"unknown-sdk-service", "an aws-sdk:SERVICE sfc does not know"},
    [W_REPLACES_CONFIG] = {"replaces-config", "the module sets a bucket's notifications or a queue's policy"},
    [W_JSONATA_VARIABLE] = {"jsonata-variable", "JSONata reads a variable nothing assigns there"},
    [W_ZERO_WAIT] = {"zero-wait", "a wait of 0 seconds"},
};

const char *warning_name(enum warning w) { return w >= 0 && w < W_COUNT ? warnings[w].name : NULL; }

enum warning warning_named(const char *name) {
  for (int w = 0; w < W_COUNT; w++)
    if (!strcmp(warnings[w].name, name)) return (enum warning)w;
  return W_NONE;
}

const char *warning_names(void) {
  static char list[512];
  if (!list[0])
    for (int w = 0; w < W_COUNT; w++)
      snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", w ? ", " : "", warnings[w].name);
  return list;
}

/* What a message quotes is capped here, for every message at once: a quoted span
   ('...' or "...") longer than QUOTE_MAX bytes keeps its first QUOTE_KEEP bytes
   and "...", so a 1 MB state name cannot make a 1 MB line; MESSAGE_MAX caps the
   whole message for anything quoted some other way. Cuts fall on UTF-8 boundaries. */
#define QUOTE_MAX 100
#define QUOTE_KEEP 80
#define MESSAGE_MAX 1000
static size_t char_boundary(const char *s, size_t at) {
  while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80) at--;
  return at;
}

char *diag_cap_message(char *msg) {
  size_t len = strlen(msg);
  if (len <= QUOTE_MAX) return msg;
  struct buf b = {0};
  for (size_t i = 0; i < len;) {
    char q = msg[i];
    const char *close = q == '\'' || q == '"' ? strchr(msg + i + 1, q) : NULL;
    if (close && (size_t)(close - msg) - i - 1 > QUOTE_MAX) {
      size_t keep = char_boundary(msg, i + 1 + QUOTE_KEEP);
      buf_add(&b, msg + i, keep - i);
      buf_adds(&b, "...");
      i = (size_t)(close - msg); /* the closing quote is copied next */
      buf_addc(&b, *close);
      i++;
    } else if (close) {
      buf_add(&b, msg + i, (size_t)(close - msg) - i + 1);
      i = (size_t)(close - msg) + 1;
    } else {
      buf_addc(&b, msg[i++]);
    }
  }
  if (b.len > MESSAGE_MAX) {
    b.len = char_boundary(b.data, MESSAGE_MAX);
    buf_adds(&b, "...");
  }
  buf_addc(&b, 0);
  free(msg);
  return b.data;
}

/* Every message is capped, and made safe to print: what it quotes from the input
   may hold control characters (terminal escapes) or bytes that are not UTF-8 (JSON
   strings must be). */
static char *clean_message(char *msg) {
  msg = diag_cap_message(msg);
  char *clean = escape_text(msg, true, true);
  free(msg);
  return clean;
}

static void add(struct diag *d, enum severity sev, enum warning w, struct loc loc, bool has_loc,
                const char *fmt, va_list ap) {
  if (d->stopped || (w != W_NONE && d->disabled[w])) return;
  if (sev == SEV_WARNING && d->werror) sev = SEV_ERROR;
  if (d->count == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 16;
    d->list = xrealloc(d->list, (size_t)d->cap * sizeof *d->list);
  }
  char *msg = clean_message(xvasprintf(fmt, ap));
  d->list[d->count++] = (struct diagnostic){sev, w, loc, has_loc, msg};
  if (sev == SEV_ERROR) d->errors++;
  if (sev == SEV_WARNING) d->warnings++;
  if (sev == SEV_ERROR && d->errors >= DIAG_MAX_ERRORS) d->stopped = true;
}

#define DEFINE_DIAG(fn, sev)                                         \
  void fn(struct diag *d, struct loc loc, const char *fmt, ...) {   \
    va_list ap;                                                      \
    va_start(ap, fmt);                                               \
    add(d, sev, W_NONE, loc, true, fmt, ap);                         \
    va_end(ap);                                                      \
  }
DEFINE_DIAG(diag_error, SEV_ERROR)
DEFINE_DIAG(diag_note, SEV_NOTE)

void diag_warning(struct diag *d, enum warning w, struct loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add(d, SEV_WARNING, w, loc, true, fmt, ap);
  va_end(ap);
}

void diag_error_noloc(struct diag *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add(d, SEV_ERROR, W_NONE, (struct loc){0}, false, fmt, ap);
  va_end(ap);
}

void diag_note_noloc(struct diag *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add(d, SEV_NOTE, W_NONE, (struct loc){0}, false, fmt, ap);
  va_end(ap);
}

bool diag_failed(const struct diag *d) { return d->errors > 0; }

/* Binary search in the line table: offsets past the end land on the last line. */
static int line_index(const struct source *s, int offset);

void diag_line_col(const struct diag *d, int file, int offset, int *line, int *col) {
  const struct source *s = &d->files[file];
  int index = line_index(s, offset);
  *line = index + 1;
  *col = offset - s->line_starts[index] + 1;
}

static const char *severity_name(enum severity s) {
  return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}


static int line_index(const struct source *s, int offset) {
  int lo = 0, hi = s->nlines - 1;
  while (lo < hi) {
    int mid = (lo + hi + 1) / 2;
    if (s->line_starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/* Prints the source line with a caret line under [start, end). Bytes that are not
   printable text show as '?', so a binary file cannot garble the terminal; the
   caret line copies the source's tabs and gives a multi-byte character one column.
   A very long line (minified JSON, say) shows only a window around the caret, cut
   at character boundaries and marked with "...". Each line is written at once. */
#define SOURCE_WINDOW 160
static void print_source_line(const struct source *s, int start, int end, FILE *out) {
  int index = line_index(s, start);
  int begin = s->line_starts[index];
  /* the line's end from the table, not by a scan: many diagnostics on one long line */
  int stop = index + 1 < s->nlines ? s->line_starts[index + 1] - 1 : (int)s->len;
  if (stop > begin && s->text[stop - 1] == '\r') stop--;
  const unsigned char *text = (const unsigned char *)s->text;
  bool cut_left = false, cut_right = false;
  if (stop - begin > SOURCE_WINDOW) {
    int from = start - SOURCE_WINDOW / 4 > begin ? start - SOURCE_WINDOW / 4 : begin;
    int to = from + SOURCE_WINDOW < stop ? from + SOURCE_WINDOW : stop;
    /* back up to a character's first byte: at most 3 bytes (a UTF-8 character is at
       most 4), and never past the window, since a run of stray continuation bytes
       has no first byte to find */
    for (int k = 0; k < 3 && from > begin && (text[from] & 0xC0) == 0x80; k++) from--;
    for (int k = 0; k < 3 && to > from && to < stop && (text[to] & 0xC0) == 0x80; k++) to--;
    cut_left = from > begin, cut_right = to < stop;
    begin = from, stop = to;
  }
  struct buf line = {0}, caret = {0};
  if (cut_left) buf_adds(&line, "..."), buf_adds(&caret, "   ");
  for (int i = begin; i < stop;) {
    uint32_t cp = 0;
    int len = (int)utf8_decode(text + i, (size_t)(stop - i), &cp);
    bool printable = len > 0 && (cp >= 0x20 || cp == '\t') && !(cp >= 0x7f && cp <= 0x9f) &&
                     cp != 0xFEFF; /* a BOM is invisible: show where it is */
    if (printable) buf_add(&line, (const char *)text + i, (size_t)len);
    else buf_addc(&line, '?'), len = len > 0 ? len : 1; /* one '?' per character */
    char mark = i < start ? (text[i] == '\t' ? '\t' : ' ') : i == start ? '^' : i < end ? '~' : 0;
    if (mark) buf_addc(&caret, mark);
    i += len;
  }
  if (cut_right) buf_adds(&line, "...");
  buf_addc(&line, '\n');
  if (start >= stop) buf_addc(&caret, '^');
  buf_addc(&caret, '\n');
  fwrite(line.data, 1, line.len, out);
  fwrite(caret.data, 1, caret.len, out);
  buf_free(&line);
  buf_free(&caret);
}

/* Diagnostics print in source order (file, then offset), those without a location
   first; equal places keep the order they were found in. */
static int compare_diagnostics(const void *a, const void *b) {
  const struct diagnostic *x = *(const struct diagnostic *const *)a;
  const struct diagnostic *y = *(const struct diagnostic *const *)b;
  if (x->has_loc != y->has_loc) return x->has_loc ? 1 : -1;
  if (x->has_loc && x->loc.file != y->loc.file) return x->loc.file < y->loc.file ? -1 : 1;
  if (x->has_loc && x->loc.start != y->loc.start) return x->loc.start < y->loc.start ? -1 : 1;
  return x < y ? -1 : x > y;
}

static const struct diagnostic **sorted(const struct diag *d) {
  const struct diagnostic **order = xmalloc((size_t)(d->count ? d->count : 1) * sizeof *order);
  for (int i = 0; i < d->count; i++) order[i] = &d->list[i];
  qsort(order, (size_t)d->count, sizeof *order, compare_diagnostics);
  return order;
}

/* said after the last error kept: DIAG_MAX_ERRORS, spelled out */
#define SPELLED(n) #n
#define SPELLED_OUT(n) SPELLED(n)
#define STOPPING "too many errors (" SPELLED_OUT(DIAG_MAX_ERRORS) "); stopping"

void diag_print_text(const struct diag *d, FILE *out) {
  const struct diagnostic **order = sorted(d);
  for (int i = 0; i < d->count; i++) {
    const struct diagnostic *g = order[i];
    if (!g->has_loc) {
      fprintf(out, "sfc: %s: %s\n", severity_name(g->severity), g->message);
      continue;
    }
    const struct source *s = &d->files[g->loc.file];
    int line, col;
    diag_line_col(d, g->loc.file, g->loc.start, &line, &col);
    char *name = name_escape(s->name, true);
    fprintf(out, "%s:%d:%d: %s: %s", name, line, col, severity_name(g->severity), g->message);
    free(name);
    /* as gcc does: the flag that controls it (an error under --werror too) */
    if (g->warning != W_NONE) fprintf(out, " [-W%s]", warnings[g->warning].name);
    fputc('\n', out);
    print_source_line(s, g->loc.start, g->loc.end, out);
  }
  if (d->stopped) fprintf(out, "sfc: note: %s\n", STOPPING);
  free(order);
}

/* Where a diagnostic is, for the machine-readable printers: lines and columns are
   1-based, the end is the first place after the span. Columns count bytes (JSON's),
   and for SARIF and GitHub also characters (code points; an invalid byte counts as
   one), counted by a cursor that goes on from the last place asked when it is
   earlier on the same line: diagnostics come in source order, so many on one long
   line (minified JSON) cost one pass over it, not one each. */
struct place {
  int line, col, end_line, end_col;
  int char_col, char_end_col;
};

struct char_cursor {
  const struct source *source;
  int offset, col; /* col is offset's */
};

static int char_column(struct char_cursor *c, const struct source *s, int offset) {
  if (offset > (int)s->len) offset = (int)s->len;
  int line_start = s->line_starts[line_index(s, offset)];
  if (c->source != s || c->offset < line_start || c->offset > offset)
    *c = (struct char_cursor){s, line_start, 1};
  while (c->offset < offset) {
    uint32_t cp;
    size_t n = utf8_decode((const unsigned char *)s->text + c->offset, (size_t)(offset - c->offset), &cp);
    c->offset += n ? (int)n : 1, c->col++;
  }
  return c->col;
}

/* CURSORS (for the start and the end) NULL: byte columns only */
static struct place place_of(const struct diag *d, const struct diagnostic *g, struct char_cursor *cursors) {
  struct place p = {0};
  diag_line_col(d, g->loc.file, g->loc.start, &p.line, &p.col);
  diag_line_col(d, g->loc.file, g->loc.end, &p.end_line, &p.end_col);
  if (cursors) {
    p.char_col = char_column(&cursors[0], &d->files[g->loc.file], g->loc.start);
    p.char_end_col = char_column(&cursors[1], &d->files[g->loc.file], g->loc.end);
  }
  return p;
}

static void print_json_value(json_t *v, FILE *out) {
  struct buf b = {0};
  json_write(&b, v);
  fwrite(b.data, 1, b.len, out);
  buf_free(&b);
  json_decref(v);
}

void diag_print_json(const struct diag *d, FILE *out) {
  const struct diagnostic **order = sorted(d);
  json_t *list = json_array();
  for (int i = 0; i < d->count; i++) {
    const struct diagnostic *g = order[i];
    json_t *o = json_object();
    if (g->has_loc) {
      struct place p = place_of(d, g, NULL);
      /* JSON escapes control characters itself; only invalid bytes need \xNN */
      char *name = name_escape(d->files[g->loc.file].name, false);
      json_object_set_new(o, "file", json_string(name));
      free(name);
      json_object_set_new(o, "line", json_integer(p.line));
      json_object_set_new(o, "column", json_integer(p.col));
      json_object_set_new(o, "end", json_pack("{s:i, s:i}", "line", p.end_line, "column", p.end_col));
    } else {
      json_object_set_new(o, "file", json_null());
    }
    json_object_set_new(o, "severity", json_string(severity_name(g->severity)));
    json_object_set_new(o, "message", json_string(g->message));
    if (g->warning != W_NONE) json_object_set_new(o, "warning", json_string(warnings[g->warning].name));
    json_array_append_new(list, o);
  }
  print_json_value(list, out);
  free(order);
}

/* SARIF's rules: one per warning, by its -W name, then one for all errors and one
   for all notes (their ids have a dot, which no warning name has). A warning made
   an error by --werror keeps its warning's rule, at level "error". */
#define SARIF_SCHEMA_URI "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json"
#define RULE_ERROR W_COUNT
#define RULE_NOTE (W_COUNT + 1)
static const char *rule_id(int rule) {
  return rule == RULE_ERROR ? "sfc.error" : rule == RULE_NOTE ? "sfc.note" : warnings[rule].name;
}

static int rule_of(const struct diagnostic *g) {
  if (g->warning != W_NONE) return (int)g->warning;
  return g->severity == SEV_NOTE ? RULE_NOTE : RULE_ERROR;
}

/* A file name as a URI reference: bytes other than RFC 3986's unreserved ones and
   '/' percent-encoded; an absolute path becomes a file: URI. */
static char *file_uri(const char *name) {
  struct buf b = {0};
  if (name[0] == '/') buf_adds(&b, "file://");
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~/", *p))
      buf_addc(&b, (char)*p);
    else
      buf_printf(&b, "%%%02X", *p);
  }
  buf_addc(&b, 0);
  return b.data;
}

/* "<stdin>" (main.c's name for -) is no file a URI can name */
static bool from_stdin(const struct diag *d, const struct diagnostic *g) {
  return !strcmp(d->files[g->loc.file].name, "<stdin>");
}

static json_t *sarif_location(const struct diag *d, const struct diagnostic *g, struct char_cursor *cursors) {
  struct place p = place_of(d, g, cursors);
  const char *name = d->files[g->loc.file].name;
  json_t *artifact;
  if (from_stdin(d, g)) {
    artifact = json_pack("{s:{s:s}}", "description", "text", "standard input");
  } else {
    char *uri = file_uri(name);
    artifact = json_pack("{s:s}", "uri", uri);
    free(uri);
    if (name[0] != '/') json_object_set_new(artifact, "uriBaseId", json_string("%SRCROOT%"));
  }
  json_t *region = json_pack("{s:i, s:i, s:i, s:i}", "startLine", p.line, "startColumn", p.char_col,
                             "endLine", p.end_line, "endColumn", p.char_end_col);
  return json_pack("{s:{s:o, s:o}}", "physicalLocation", "artifactLocation", artifact, "region", region);
}

/* A diagnostic in a file is a result. One GitHub cannot show in a file (no
   location, or standard input) is a notification of the run's invocation instead:
   code scanning rejects the whole log for one result without a file's URI. */
void diag_print_sarif(const struct diag *d, FILE *out) {
  json_t *rules = json_array();
  for (int r = 0; r <= RULE_NOTE; r++) {
    const char *about = r == RULE_ERROR ? "an error: the input cannot be compiled as it is"
                        : r == RULE_NOTE ? "a note: something worth knowing, not a problem"
                                         : warnings[r].about;
    const char *level = r == RULE_ERROR ? "error" : r == RULE_NOTE ? "note" : "warning";
    json_array_append_new(rules, json_pack("{s:s, s:{s:s}, s:{s:s}}", "id", rule_id(r), "shortDescription",
                                           "text", about, "defaultConfiguration", "level", level));
  }
  const struct diagnostic **order = sorted(d);
  json_t *results = json_array(), *notifications = json_array();
  struct char_cursor cursors[2] = {{0}};
  for (int i = 0; i < d->count; i++) {
    const struct diagnostic *g = order[i];
    int rule = rule_of(g);
    bool result = g->has_loc && !from_stdin(d, g);
    json_t *o = result ? json_pack("{s:s, s:i}", "ruleId", rule_id(rule), "ruleIndex", rule)
                       : json_pack("{s:{s:s, s:i}}", "associatedRule", "id", rule_id(rule), "index", rule);
    json_object_set_new(o, "level", json_string(severity_name(g->severity)));
    json_object_set_new(o, "message", json_pack("{s:s}", "text", g->message));
    if (g->has_loc) json_object_set_new(o, "locations", json_pack("[o]", sarif_location(d, g, cursors)));
    json_array_append_new(result ? results : notifications, o);
  }
  free(order);
  if (d->stopped)
    json_array_append_new(notifications, json_pack("{s:s, s:{s:s}}", "level", "note", "message", "text", STOPPING));
  json_t *driver = json_pack("{s:s, s:s, s:o}", "name", "sfc", "version", SFC_VERSION, "rules", rules);
  json_t *invocation = json_pack("{s:b, s:o}", "executionSuccessful", 1, "toolExecutionNotifications",
                                 notifications);
  json_t *run = json_pack("{s:{s:o}, s:[o], s:s, s:o}", "tool", "driver", driver, "invocations", invocation,
                          "columnKind", "unicodeCodePoints", "results", results);
  print_json_value(json_pack("{s:s, s:s, s:[o]}", "$schema", SARIF_SCHEMA_URI, "version", "2.1.0", "runs", run),
                   out);
}

/* GitHub Actions workflow commands: '%', CR and LF escaped in the message, and ':'
   and ',' too in a property (the actions toolkit's escapeData and escapeProperty). */
static void github_escape(struct buf *b, const char *s, bool property) {
  for (; *s; s++) {
    if (*s == '%') buf_adds(b, "%25");
    else if (*s == '\r') buf_adds(b, "%0D");
    else if (*s == '\n') buf_adds(b, "%0A");
    else if (property && *s == ':') buf_adds(b, "%3A");
    else if (property && *s == ',') buf_adds(b, "%2C");
    else buf_addc(b, *s);
  }
}

/* One command per diagnostic: file, lines and columns (characters, the end column
   the span's last one) when it has a location GitHub can show, else the place
   (standard input's) leads the message. */
static void print_github_command(const struct diag *d, const struct diagnostic *g, struct char_cursor *cursors,
                                 FILE *out) {
  struct buf b = {0};
  buf_printf(&b, "::%s ", g->severity == SEV_ERROR ? "error" : g->severity == SEV_WARNING ? "warning" : "notice");
  struct place p = {0};
  if (g->has_loc) p = place_of(d, g, cursors);
  char *name = g->has_loc ? name_escape(d->files[g->loc.file].name, true) : NULL;
  if (g->has_loc && !from_stdin(d, g)) {
    buf_adds(&b, "file=");
    github_escape(&b, name, true);
    /* columns only within one line: GitHub takes them only then */
    bool one_line = p.end_line == p.line;
    buf_printf(&b, ",line=%d", p.line);
    if (one_line) buf_printf(&b, ",col=%d", p.char_col);
    buf_printf(&b, ",endLine=%d", p.end_line);
    if (one_line) buf_printf(&b, ",endColumn=%d", p.char_end_col > p.char_col ? p.char_end_col - 1 : p.char_col);
    buf_addc(&b, ',');
  }
  buf_adds(&b, "title=sfc::");
  if (g->has_loc && from_stdin(d, g)) {
    github_escape(&b, name, false);
    buf_printf(&b, ":%d:%d: ", p.line, p.char_col);
  }
  free(name);
  github_escape(&b, g->message, false);
  if (g->warning != W_NONE) buf_printf(&b, " [-W%s]", warnings[g->warning].name);
  buf_addc(&b, '\n');
  fwrite(b.data, 1, b.len, out);
  buf_free(&b);
}

void diag_print_github(const struct diag *d, FILE *out) {
  const struct diagnostic **order = sorted(d);
  struct char_cursor cursors[2] = {{0}};
  for (int i = 0; i < d->count; i++) print_github_command(d, order[i], cursors, out);
  free(order);
  if (d->stopped) fprintf(out, "::notice title=sfc::%s\n", STOPPING);
}

void diag_free(struct diag *d) {
  for (int i = 0; i < d->count; i++) free(d->list[i].message);
  free(d->list);
  for (int i = 0; i < d->nfiles; i++) free(d->files[i].line_starts);
  free(d->files);
  memset(d, 0, sizeof *d);
}
