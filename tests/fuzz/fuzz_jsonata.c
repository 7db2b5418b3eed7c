/* fuzz_jsonata.c: libFuzzer target for the JSONata parser and evaluator (runtime/jsonata*.c).
   An input is an expression, then optionally a NUL byte and a JSON document to evaluate
   it on (the fixed DOCUMENT below when there is none or it is not JSON). The expression
   is compiled from a buffer of exactly its length, so a read past its end is caught,
   then evaluated with bindings and bounded depth and steps: any input must end with a
   value, undefined or an error, never a crash, a leak, undefined behaviour or a run
   without end. Built by `make build/fuzz/fuzz_jsonata`, run briefly by the suite
   (tests/fuzz/jsonata.sh); `make fuzz-jsonata FUZZ_SECONDS=600` runs it longer, seeded
   with tests/fuzz/seeds/jsonata/ (expressions of the reference suite with their data). */
#include "jsonata.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char DOCUMENT[] =
    "{\"name\": \"Widget\", \"price\": 12.5, \"qty\": 3, \"active\": true, \"n\": null, \"s\": \"a,b,c\","
    " \"date\": \"2024-01-15T10:20:30.000Z\", \"nums\": [3, 1, 2.5, -4, 1e300],"
    " \"items\": [{\"id\": 1, \"name\": \"one\", \"price\": 5, \"tags\": [\"x\", \"y\"]},"
    " {\"id\": 2, \"name\": \"two\", \"price\": 15, \"tags\": []}, {\"id\": 3, \"price\": \"7\"}],"
    " \"nested\": {\"a\": {\"b\": {\"c\": [1, [2, [3]]]}}}, \"u\": \"\\u00e9\\u65e5\\ud83d\\ude00\", \"e\": \"\"}";
static const char BINDINGS[] = "{\"v\": {\"x\": 1, \"y\": [1, 2]}, \"w\": \"str\", \"z\": null, \"k\": 3}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static json_t *doc, *bindings;
  if (!doc) {
    doc = json_loads(DOCUMENT, 0, NULL);
    bindings = json_loads(BINDINGS, 0, NULL);
  }
  const uint8_t *nul = memchr(data, 0, size);
  size_t len = nul ? (size_t)(nul - data) : size;
  json_t *input = NULL;
  if (nul) input = json_loadb((const char *)nul + 1, size - len - 1, JSON_DECODE_ANY, NULL);
  char *text = malloc(len ? len : 1);
  memcpy(text, data, len);
  struct jn_error err = {0};
  struct jn_expr *e = jsonata_compile(text, len, &err);
  if (e) {
    jn_error_free(&err);
    memset(&err, 0, sizeof err);
    struct jn_options o = {0};
    o.bindings = bindings;
    o.now_ms = 1705314030000;
    o.max_depth = 200;
    o.max_steps = 100000;
    json_t *out = NULL;
    if (jsonata_evaluate(e, input ? input : doc, &o, &out, &err)) json_decref(out);
    jsonata_free(e);
  }
  jn_error_free(&err);
  json_decref(input);
  free(text);
  return 0;
}
