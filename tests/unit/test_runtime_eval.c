/* test_runtime_eval: JSONPath, intrinsic functions, payload templates and JSON text
 * (runtime/eval.c, jsonpath.c, intrinsics.c).
 *
 *   test_runtime_eval [CASES.json]        the cases (tests/runtime/eval-cases.json, from
 *                                         the repository root, when none is named: as
 *                                         tests/run runs every unit test)
 *   test_runtime_eval --corpus FILE.json  every recorded execution (executions.json of
 *                                         aws-recorded-sfn) that is one Pass state with
 *                                         Parameters: run here, compared with AWS's
 *
 * Each case is an object with one of "path", "intrinsic", "template", "set", "text"; the
 * scope in "input", "context", "vars" (an object of variables), "seed"; and what AWS
 * gives in "result" (a value), "result_text" (JSON text exactly), "result_regex" (a
 * string matching it), or "why" (rt_path_get/rt_path_set's reason) or "error" and
 * "cause". Prints one line per failure and ends with "N passed, N failed".
 */
#include "runtime.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void report(const char *name, bool ok, const char *fmt, const char *a, const char *b) {
  if (ok) {
    passed++;
    return;
  }
  failed++;
  printf("FAIL %s: ", name);
  printf(fmt, a ? a : "(null)", b ? b : "(null)");
  printf("\n");
}

static char *text(const json_t *v) { return v ? rt_json_text(v) : NULL; }

/* Jansson's json_equal says 1 and 1.0 differ, as Jackson does: what we want. */
static void check_value(const char *name, json_t *got, json_t *want) {
  char *g = text(got), *w = text(want);
  report(name, got && json_equal(got, want), "got %s, want %s", g, w);
  free(g);
  free(w);
}

static void check_outcome(const char *name, json_t *c, bool ok, json_t *got, const char *error,
                          const char *cause) {
  json_t *result = json_object_get(c, "result");
  json_t *result_text = json_object_get(c, "result_text");
  json_t *regex_text = json_object_get(c, "result_regex");
  json_t *want_why = json_object_get(c, "why");
  json_t *want_error = json_object_get(c, "error");
  json_t *want_cause = json_object_get(c, "cause");
  if (result || result_text || regex_text) {
    if (!ok) {
      report(name, false, "failed: %s: %s", error, cause);
      return;
    }
    if (result) check_value(name, got, result);
    if (result_text) {
      char *g = text(got);
      report(name, !strcmp(g, json_string_value(result_text)), "got %s, want %s", g,
             json_string_value(result_text));
      free(g);
    }
    if (regex_text) {
      regex_t re;
      regcomp(&re, json_string_value(regex_text), REG_EXTENDED | REG_NOSUB);
      char *g = text(got);
      report(name, json_is_string(got) && !regexec(&re, json_string_value(got), 0, NULL, 0),
             "got %s, want a match of %s", g, json_string_value(regex_text));
      free(g);
      regfree(&re);
    }
    return;
  }
  if (ok) {
    char *g = text(got);
    report(name, false, "succeeded with %s, want a failure%s", g, "");
    free(g);
    return;
  }
  if (want_why) report(name, cause && !strcmp(cause, json_string_value(want_why)), "why %s, want %s", cause, json_string_value(want_why));
  if (want_error) report(name, error && !strcmp(error, json_string_value(want_error)), "error %s, want %s", error, json_string_value(want_error));
  if (want_cause) report(name, cause && !strcmp(cause, json_string_value(want_cause)), "cause %s, want %s", cause, json_string_value(want_cause));
}

static void run_case(json_t *c, size_t index) {
  char name[256];
  json_t *label = json_object_get(c, "name");
  snprintf(name, sizeof name, "#%zu %s", index, label ? json_string_value(label) : "");

  struct rt_vars vars = {json_object_get(c, "vars"), NULL};
  struct rt_random random;
  json_t *seed = json_object_get(c, "seed");
  rt_random_seed(&random, seed ? (uint64_t)json_integer_value(seed) : 0);
  json_t *input = json_object_get(c, "input");
  json_t *context = json_object_get(c, "context");
  struct rt_scope s = {input ? input : json_null(), context ? context : json_null(), &vars, &random};
  json_t *got = NULL;
  struct rt_error err = {0};
  char *why = NULL;
  bool ok;
  json_t *x;

  if ((x = json_object_get(c, "path"))) {
    ok = rt_path_get(json_string_value(x), &s, &got, &why);
    check_outcome(name, c, ok, got, NULL, why);
  } else if ((x = json_object_get(c, "intrinsic"))) {
    ok = rt_intrinsic(json_string_value(x), &s, &got, &err);
    check_outcome(name, c, ok, got, err.error, err.cause);
  } else if ((x = json_object_get(c, "template"))) {
    ok = rt_template(x, &s, &got, &err);
    check_outcome(name, c, ok, got, err.error, err.cause);
  } else if ((x = json_object_get(c, "set"))) {
    json_t *doc = json_deep_copy(json_object_get(c, "doc"));
    json_t *before = json_deep_copy(doc);
    ok = rt_path_set(&doc, json_string_value(x), json_deep_copy(json_object_get(c, "value")), &why);
    check_outcome(name, c, ok, doc, NULL, why);
    if (!ok) /* a failed set leaves the document as it was */
      report(name, json_equal(doc, before), "the failed set changed the document%s%s", "", "");
    json_decref(before);
    got = doc;
  } else if ((x = json_object_get(c, "text"))) {
    json_error_t e;
    json_t *v = json_loads(json_string_value(x), JSON_DECODE_ANY, &e);
    char *t = v ? rt_json_text(v) : NULL;
    json_t *want = json_object_get(c, "result_text");
    report(name, t && want && !strcmp(t, json_string_value(want)), "got %s, want %s", t,
           want ? json_string_value(want) : NULL);
    free(t);
    json_decref(v);
    return;
  } else {
    report(name, false, "no path, intrinsic, template, set or text%s%s", "", "");
    return;
  }
  json_decref(got);
  free(why);
  rt_error_free(&err);
}

/* ------------------------------------------------ the corpus: one Pass state */

/* The context object, its ARNs and names written as the recordings mask them
   (<ArnPart_0idx> for the state machine's name, <ExecArnPart_0idx> the execution's), so
   an output that quotes them compares as recorded. */
static json_t *context_for(json_t *input, const char *state) {
  return json_pack("{s:{s:O,s:s,s:s,s:s,s:i},s:{s:s,s:s,s:i},s:{s:s,s:s}}",
                   "Execution", "Input", input,
                   "Id", "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
                   "Name", "<ExecArnPart_0idx>", "StartTime", "2024-01-01T00:00:00.000Z", "RedriveCount", 0,
                   "State", "Name", state, "EnteredTime", "2024-01-01T00:00:00.000Z", "RetryCount", 0,
                   "StateMachine", "Id", "arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>",
                   "Name", "<ArnPart_0idx>");
}

/* The placeholders context_for writes, and the one for a random number; a case masked
   with any other (a UUID, a time) is skipped. */
static bool maskable(json_t *normalized) {
  static const char *const known[] = {"<ArnPart_0idx>", "<ExecArnPart_0idx>", "<partition>",
                                      "<region>", "RandomNumberGenerated"};
  size_t i;
  json_t *v;
  json_array_foreach(normalized, i, v) {
    bool found = false;
    for (size_t k = 0; k < sizeof known / sizeof *known; k++)
      if (!strcmp(json_string_value(v), known[k])) found = true;
    if (!found) return false;
  }
  return true;
}

/* GOT equals the recorded WANT, where "RandomNumberGenerated" stands for any integer. */
static bool masked_equal(json_t *got, json_t *want) {
  if (json_is_string(want) && !strcmp(json_string_value(want), "RandomNumberGenerated"))
    return json_is_integer(got);
  if (json_is_object(want)) {
    if (!json_is_object(got) || json_object_size(got) != json_object_size(want)) return false;
    const char *k;
    json_t *v;
    json_object_foreach(want, k, v)
      if (!masked_equal(json_object_get(got, k), v)) return false;
    return true;
  }
  return got && json_equal(got, want);
}

/* Runs a single-Pass definition (InputPath, Parameters, ResultPath, OutputPath) with
   these functions, as interp.c would, and compares with the recorded outcome. */
static void run_corpus_case(json_t *c, int *skipped) {
  const char *id = json_string_value(json_object_get(c, "id"));
  json_t *states = json_object_get(json_object_get(c, "definition"), "States");
  json_t *normalized = json_object_get(c, "normalized_values");
  if (json_object_size(states) != 1 || !maskable(normalized)) {
    ++*skipped;
    return;
  }
  const char *state_name = json_object_iter_key(json_object_iter(states));
  json_t *state = json_object_iter_value(json_object_iter(states));
  const char *key;
  json_t *v;
  json_object_foreach(state, key, v) {
    if (strcmp(key, "Type") && strcmp(key, "Parameters") && strcmp(key, "End") &&
        strcmp(key, "InputPath") && strcmp(key, "ResultPath") && strcmp(key, "OutputPath") &&
        strcmp(key, "Comment")) {
      ++*skipped;
      return;
    }
  }
  if (strcmp(json_string_value(json_object_get(state, "Type")), "Pass") ||
      !json_object_get(state, "Parameters")) {
    ++*skipped;
    return;
  }
  json_error_t e;
  json_t *input = json_loads(json_string_value(json_object_get(c, "input")), JSON_DECODE_ANY, &e);
  if (!input) {
    ++*skipped;
    return;
  }
  json_t *context = context_for(input, state_name);
  struct rt_random random;
  rt_random_seed(&random, 1);
  struct rt_vars vars = {NULL, NULL};
  struct rt_scope s = {input, context, &vars, &random};
  struct rt_error err = {0};
  json_t *effective = NULL, *result = NULL, *output = NULL;
  char *why = NULL;
  bool ok = true;
  json_t *input_path = json_object_get(state, "InputPath");
  if (json_is_string(input_path)) {
    ok = rt_path_get(json_string_value(input_path), &s, &effective, &why);
    if (!ok) rt_fail(&err, "States.Runtime", "Invalid path '%s' : %s", json_string_value(input_path), why);
  } else {
    effective = input_path ? json_object() : json_incref(input);
  }
  if (ok) {
    s.input = effective;
    ok = rt_template(json_object_get(state, "Parameters"), &s, &result, &err);
  }
  if (ok) {
    json_t *result_path = json_object_get(state, "ResultPath");
    output = json_deep_copy(input);
    if (json_is_string(result_path)) {
      ok = rt_path_set(&output, json_string_value(result_path), json_incref(result), &why);
      if (!ok) rt_fail(&err, "States.ResultPathMatchFailure", "%s", why);
    } else if (!result_path) {
      json_decref(output);
      output = json_incref(result);
    }
  }
  json_t *output_path = json_object_get(state, "OutputPath");
  if (ok && json_is_string(output_path)) {
    json_t *selected = NULL;
    struct rt_scope so = {output, context, &vars, &random};
    free(why);
    why = NULL;
    ok = rt_path_get(json_string_value(output_path), &so, &selected, &why);
    if (!ok) rt_fail(&err, "States.Runtime", "Invalid path '%s' : %s", json_string_value(output_path), why);
    json_decref(output);
    output = selected;
  }
  json_t *expected = json_object_get(c, "expected");
  const char *status = json_string_value(json_object_get(expected, "status"));
  char name[128];
  snprintf(name, sizeof name, "corpus %s", id);
  if (!strcmp(status, "SUCCEEDED")) {
    if (ok) {
      json_t *want = json_object_get(expected, "output");
      char *g = text(output), *w = text(want);
      report(name, masked_equal(output, want), "got %s, want %s", g, w);
      free(g);
      free(w);
    }
    else report(name, false, "failed: %s: %s", err.error, err.cause);
  } else if (ok) {
    char *t = text(output);
    report(name, false, "succeeded with %s, want a failure%s", t, "");
    free(t);
  } else {
    /* interp.c puts this before the cause; the recordings' causes have it */
    char full[4096];
    snprintf(full, sizeof full, "An error occurred while executing the state '%s' (entered at the event id #2). %s",
             state_name, err.cause ? err.cause : "");
    const char *want_error = json_string_value(json_object_get(expected, "error"));
    const char *want_cause = json_string_value(json_object_get(expected, "cause"));
    report(name, want_error && !strcmp(err.error, want_error), "error %s, want %s", err.error, want_error);
    /* causes quoting the input are masked in the recording ('<json-input:1>') */
    if (want_cause && !strstr(want_cause, "<json-input"))
      report(name, !strcmp(full, want_cause), "cause %s, want %s", full, want_cause);
  }
  free(why);
  rt_error_free(&err);
  json_decref(effective);
  json_decref(result);
  json_decref(output);
  json_decref(context);
  json_decref(input);
}

int main(int argc, char **argv) {
  bool corpus = argc == 3 && !strcmp(argv[1], "--corpus");
  if (argc > 2 && !corpus) {
    fprintf(stderr, "usage: test_runtime_eval [CASES.json] | --corpus executions.json\n");
    return 2;
  }
  const char *file = corpus ? argv[2] : argc == 2 ? argv[1] : "tests/runtime/eval-cases.json";
  json_error_t e;
  json_t *cases = json_load_file(file, 0, &e);
  if (!json_is_array(cases)) {
    fprintf(stderr, "test_runtime_eval: %s:%d: %s\n", file, e.line, e.text);
    printf("0 passed, 1 failed\n");
    return 2;
  }
  int skipped = 0;
  size_t i;
  json_t *c;
  json_array_foreach(cases, i, c) {
    if (corpus) run_corpus_case(c, &skipped);
    else run_case(c, i);
  }
  json_decref(cases);
  if (corpus) printf("(%d recorded cases are not one Pass state with Parameters, or are masked with UUIDs or times)\n", skipped);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
