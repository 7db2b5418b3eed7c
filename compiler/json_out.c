/* json_out.c: JSON text that is the same bytes for the same value.
 *
 * Jansson's own dump prints reals with 17 significant digits (0.1 becomes
 * 0.10000000000000001), so sfc prints JSON itself: keys in insertion order,
 * 2-space indent, reals in the shortest form that reads back to the same double
 * (kept recognisably real: 2.0 stays 2.0), strings as UTF-8 with only the escapes
 * JSON requires, and a final newline.
 */
#include "sfc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void json_write_string(struct buf *out, const char *s, size_t n) {
  buf_addc(out, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': buf_adds(out, "\\\""); break;
    case '\\': buf_adds(out, "\\\\"); break;
    case '\n': buf_adds(out, "\\n"); break;
    case '\t': buf_adds(out, "\\t"); break;
    case '\r': buf_adds(out, "\\r"); break;
    case '\b': buf_adds(out, "\\b"); break;
    case '\f': buf_adds(out, "\\f"); break;
    default:
      if (c < 0x20 || c == 0x7f) buf_printf(out, "\\u%04x", c);
      else buf_addc(out, (char)c);
    }
  }
  buf_addc(out, '"');
}

/* The shortest of %.1g .. %.17g that strtod reads back exactly, written without an
   exponent when the number is of everyday size (10.0 rather than 1e+01). */
void json_format_real(struct buf *out, double d) {
  char text[400];
  int precision = 1;
  for (; precision <= 17; precision++) {
    snprintf(text, sizeof text, "%.*g", precision, d);
    if (strtod(text, NULL) == d) break;
  }
  const char *e = strpbrk(text, "eE");
  if (e) {
    int exponent = atoi(e + 1);
    if (exponent >= -5 && exponent < 21) {
      int decimals = precision - 1 - exponent;
      snprintf(text, sizeof text, "%.*f", decimals > 0 ? decimals : 0, d);
    }
  }
  buf_adds(out, text);
  if (!strpbrk(text, ".eE")) buf_adds(out, ".0");
}

/* depth < 0: compact output, no whitespace at all. */
static void indent(struct buf *out, int depth) {
  if (depth < 0) return;
  buf_addc(out, '\n');
  for (int i = 0; i < depth; i++) buf_adds(out, "  ");
}

static int deeper(int depth) { return depth < 0 ? depth : depth + 1; }

static void write_value(struct buf *out, const json_t *v, int depth) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    if (json_object_size(v) == 0) {
      buf_adds(out, "{}");
      break;
    }
    buf_addc(out, '{');
    const char *key;
    const json_t *item;
    bool first = true;
    /* Jansson keeps insertion order since 2.8, so iteration order is the build order. */
    json_object_foreach((json_t *)v, key, item) {
      if (!first) buf_addc(out, ',');
      first = false;
      indent(out, deeper(depth));
      json_write_string(out, key, strlen(key));
      buf_adds(out, depth < 0 ? ":" : ": ");
      write_value(out, item, deeper(depth));
    }
    indent(out, depth);
    buf_addc(out, '}');
    break;
  }
  case JSON_ARRAY: {
    if (json_array_size(v) == 0) {
      buf_adds(out, "[]");
      break;
    }
    buf_addc(out, '[');
    for (size_t i = 0; i < json_array_size(v); i++) {
      if (i) buf_addc(out, ',');
      indent(out, deeper(depth));
      write_value(out, json_array_get(v, i), deeper(depth));
    }
    indent(out, depth);
    buf_addc(out, ']');
    break;
  }
  case JSON_STRING: json_write_string(out, json_string_value(v), json_string_length(v)); break;
  case JSON_INTEGER: buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
  case JSON_REAL: json_format_real(out, json_real_value(v)); break;
  case JSON_TRUE: buf_adds(out, "true"); break;
  case JSON_FALSE: buf_adds(out, "false"); break;
  case JSON_NULL: buf_adds(out, "null"); break;
  }
}

void json_write(struct buf *out, const json_t *value) {
  write_value(out, value, 0);
  buf_addc(out, '\n');
}

void json_write_compact(struct buf *out, const json_t *value) { write_value(out, value, -1); }

json_t *jn_to_json(const struct jnode *n) {
  switch (n->kind) {
  case JN_NULL: return json_null();
  case JN_TRUE: return json_true();
  case JN_FALSE: return json_false();
  case JN_STRING: return json_stringn(n->text, n->len);
  case JN_NUMBER:
    return n->is_integer ? json_integer(strtoll(n->text, NULL, 10)) : json_real(n->number);
  case JN_ARRAY: {
    json_t *a = json_array();
    for (const struct jnode *i = n->items; i; i = i->next) json_array_append_new(a, jn_to_json(i));
    return a;
  }
  case JN_OBJECT: {
    json_t *o = json_object();
    for (const struct jmember *m = n->members; m; m = m->next)
      json_object_setn_new(o, m->key, m->key_len, jn_to_json(m->value));
    return o;
  }
  }
  return json_null();
}

/* sfc test's expectations and sfc import's round trip compare data this way. */
bool json_same_data(const json_t *a, const json_t *b) {
  if (!a || !b) return a == b;
  if (json_is_number(a) && json_is_number(b)) {
    if (json_is_integer(a) && json_is_integer(b)) return json_integer_value(a) == json_integer_value(b);
    return json_number_value(a) == json_number_value(b);
  }
  if (json_typeof(a) != json_typeof(b)) return false;
  if (json_is_object(a)) {
    if (json_object_size(a) != json_object_size(b)) return false;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)a, key, v) {
      const json_t *w = json_object_get(b, key);
      if (!w || !json_same_data(v, w)) return false;
    }
    return true;
  }
  if (json_is_array(a)) {
    if (json_array_size(a) != json_array_size(b)) return false;
    for (size_t i = 0; i < json_array_size(a); i++)
      if (!json_same_data(json_array_get(a, i), json_array_get(b, i))) return false;
    return true;
  }
  return json_equal((json_t *)a, (json_t *)b);
}
