/* json_value.h: a Jansson value as the .sf parser would build it (struct value, without
   source locations), so compiler/patterns.c can check a pattern that arrives as JSON.
   Shared by tests/unit/test_match.c and tests/fuzz/fuzz_match.c, which compare the
   checker with runtime/match.c. */
#ifndef SFC_TEST_JSON_VALUE_H
#define SFC_TEST_JSON_VALUE_H

#include "sfc.h"

#include <jansson.h>

/* V with every string copied into A. */
static struct value *json_to_value(struct arena *a, const json_t *v) {
  struct value *out = NEW(a, struct value);
  out->loc = (struct loc){-1, 0, 0};
  switch (json_typeof(v)) {
  case JSON_NULL: out->kind = V_NULL; break;
  case JSON_TRUE:
  case JSON_FALSE: out->kind = V_BOOL, out->boolean = json_is_true(v); break;
  case JSON_INTEGER: out->kind = V_INT, out->integer = json_integer_value(v); break;
  case JSON_REAL: out->kind = V_REAL, out->real = json_real_value(v); break;
  case JSON_STRING:
    out->kind = V_STRING;
    out->string = NEW(a, struct str);
    out->string->text = arena_strndup(a, json_string_value(v), json_string_length(v));
    out->string->len = json_string_length(v);
    break;
  case JSON_ARRAY: {
    out->kind = V_ARRAY;
    struct value **tail = &out->items;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
      *tail = json_to_value(a, item);
      tail = &(*tail)->next;
    }
    break;
  }
  case JSON_OBJECT: {
    out->kind = V_OBJECT;
    struct member **tail = &out->members;
    const char *key;
    json_t *item;
    json_object_foreach((json_t *)v, key, item) {
      struct member *m = NEW(a, struct member);
      m->key = arena_strdup(a, key);
      m->key_loc = out->loc;
      m->value = json_to_value(a, item);
      *tail = m;
      tail = &m->next;
    }
    break;
  }
  }
  return out;
}

#endif
