/* bench.c: times sfc's JSONata evaluator (the release build, no sanitizers) for
   tests/jsonata/bench.js, which compares it with the reference.

     jsonata_bench DOC.json EXPRS.txt BUDGET_MS

   EXPRS.txt has one expression a line. DOC is bound as $states.input (as Step Functions
   binds a state's input) and is also the context. Each expression is compiled once,
   then evaluated until BUDGET_MS have passed (at least 3 times); per line out:
   INDEX <tab> best ns per evaluation <tab> runs <tab> {"value": V} / {"undefined": true} /
   {"code": C, "message": M}. The evaluation's time includes converting DOC into the
   evaluator's values, as every evaluation in the runtime does. */
#define _POSIX_C_SOURCE 200809L
#include "jsonata.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
  if (argc != 4) { fprintf(stderr, "usage: jsonata_bench DOC.json EXPRS.txt BUDGET_MS\n"); return 2; }
  json_error_t je;
  json_t *doc = json_load_file(argv[1], JSON_DECODE_ANY, &je);
  if (!doc) { fprintf(stderr, "%s: %s\n", argv[1], je.text); return 2; }
  FILE *f = fopen(argv[2], "r");
  if (!f) { perror(argv[2]); return 2; }
  double budget = atof(argv[3]) * 1e6;
  json_t *bindings = json_pack("{s{sO}}", "states", "input", doc);
  char line[65536];
  for (int index = 0; fgets(line, sizeof line, f); index++) {
    size_t len = strcspn(line, "\n");
    struct jn_error err = {0};
    struct jn_expr *e = jsonata_compile(line, len, &err);
    struct jn_options o = {0};
    o.bindings = bindings;
    json_t *value = NULL, *reply;
    double best = 0, start = now_ns();
    int runs = 0;
    bool ok = e != NULL;
    while (ok && (runs < 3 || now_ns() - start < budget)) {
      json_decref(value);
      value = NULL;
      double t0 = now_ns();
      ok = jsonata_evaluate(e, doc, &o, &value, &err);
      double dt = now_ns() - t0;
      if (!runs || dt < best) best = dt;
      runs++;
    }
    if (ok) reply = value ? json_pack("{so}", "value", value) : json_pack("{sb}", "undefined", 1);
    else reply = json_pack("{ss ss}", "code", err.code, "message", err.message ? err.message : "");
    char *text = json_dumps(reply, JSON_COMPACT | JSON_ENCODE_ANY);
    printf("%d\t%.0f\t%d\t%s\n", index, best, runs, text);
    fflush(stdout);
    free(text);
    json_decref(reply);
    jn_error_free(&err);
    jsonata_free(e);
  }
  fclose(f);
  json_decref(bindings);
  json_decref(doc);
  return 0;
}
