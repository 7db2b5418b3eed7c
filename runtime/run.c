/* run.c: the commands that run workflows locally.
 *
 *   sfc run FILE.sf|FILE.asl.json [options]    one execution (rt_execute)
 *   sfc test-state --definition JSON [options] one TestState call (rt_test_state)
 *
 * A .sf file is compiled in memory by the compiler's pipeline (compile.c), checks
 * and all; an ASL file goes through the ASL checker of `sfc check` first, so a bad
 * definition gets the same diagnostics either way and never runs.
 *
 * Exit codes (README, "Running workflows locally"): 0 succeeded, 1 the definition has
 * errors, 2 bad usage (and a bad --input, --mocks or --case), 3 I/O error, 4 the
 * execution FAILED, 5 it TIMED_OUT, 6 it was ABORTED.
 */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"
#include "runtime.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { RUN_FAILED = 4, RUN_TIMED_OUT = 5, RUN_ABORTED = 6 };

#define DEFAULT_START "2024-01-01T00:00:00Z"

static const char run_usage[] =
    "usage: sfc run FILE.sf|FILE.asl.json [options]\n"
    "\n"
    "Runs one execution of the workflow locally, as AWS Step Functions would:\n"
    "tasks answered by a mock file, on a virtual clock (Wait states and retries\n"
    "take no time). Prints the output (as AWS prints JSON) on standard output.\n"
    "\n"
    "options:\n"
    "  --workflow W        the workflow to run, when FILE.sf declares several (for\n"
    "                      an ASL file: the state machine's name; default: the\n"
    "                      file's name)\n"
    "  --input JSON|@FILE  the execution input (default {}); @- reads stdin\n"
    "  --mocks FILE        task results: a Step Functions Local MockConfigFile,\n"
    "                      with sfc's additions (Resources, \"N-\" ranges, Run);\n"
    "                      default: $SFN_MOCK_CONFIG, as Step Functions Local reads\n"
    "  --case NAME         the test case of the mock file (needed when the\n"
    "                      workflow has several)\n"
    "  --history           print the execution history (GetExecutionHistory's\n"
    "                      events) instead of the output\n"
    "  --seed N            the seed of States.MathRandom, States.UUID and retry\n"
    "                      jitter (default 0): the same seed, the same bytes\n"
    "  --start TIMESTAMP   the virtual start time, e.g. 2024-05-01T12:00:00Z\n"
    "                      (default " DEFAULT_START ")\n"
    "  -D NAME=VALUE       set a param of FILE.sf; account, region and partition\n"
    "                      also set the ARNs of the context object\n"
    "  -h, --help          show this help\n"
    "\n"
    "exit codes: 0 SUCCEEDED, 1 errors in the definition, 2 bad usage (or a bad\n"
    "            input, mock file or test case), 3 I/O error, 4 FAILED,\n"
    "            5 TIMED_OUT, 6 ABORTED\n";

static const char test_state_usage[] =
    "usage: sfc test-state --definition JSON|@FILE [options]\n"
    "       sfc test-state --request @FILE\n"
    "\n"
    "Answers one call of AWS's TestState API locally: runs one state (the\n"
    "definition of a state, or of a state machine with --state-name) and prints\n"
    "TestState's response (status, output, error, cause, nextState,\n"
    "inspectionData).\n"
    "\n"
    "options (each JSON value may be @FILE, or @- for standard input):\n"
    "  --definition JSON          the state, or the state machine\n"
    "  --state-name NAME          the state of the state machine to test\n"
    "  --input JSON               the state's input (default {})\n"
    "  --variables JSON           the variables in scope (an object)\n"
    "  --mock JSON                the task's mocked result: {\"result\": \"TEXT\"}\n"
    "                             or {\"errorOutput\": {\"error\", \"cause\"}}\n"
    "  --context JSON             the context object ($$)\n"
    "  --state-configuration JSON e.g. {\"retrierRetryCount\": 2}\n"
    "  --inspection-level LEVEL   INFO (default), DEBUG or TRACE\n"
    "  --request JSON             the whole request, in TestState's field names\n"
    "  --seed N                   as for sfc run\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit codes: 0 answered (SUCCEEDED, CAUGHT_ERROR or RETRIABLE), 2 bad usage,\n"
    "            3 I/O error, 4 the state FAILED\n";

static int usage(const char *command, const char *fmt, const char *arg) {
  fputs("sfc: error: ", stderr);
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'sfc %s --help'.\n", command);
  return EXIT_USAGE;
}

json_t *rt_json_arg(const char *option, const char *arg, int *status) {
  const char *file = arg[0] == '@' ? arg + 1 : NULL;
  char *text = file ? read_whole_file(file, NULL) : NULL;
  if (file && !text) {
    *status = EXIT_IO;
    return NULL;
  }
  json_error_t e;
  json_t *v = json_loads(file ? text : arg, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
  if (!v) {
    if (file) fprintf(stderr, "%s:%d:%d: error: %s (%s)\n", shown(file), e.line, e.column, e.text, option);
    else fprintf(stderr, "sfc: error: %s: not JSON: %s (column %d)\n", option, e.text, e.column);
    *status = EXIT_USAGE;
  }
  free(text);
  return v;
}


bool rt_parse_seed(const char *s, uint64_t *seed) {
  if (!*s || *s == '-') return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end) return false;
  *seed = v;
  return true;
}

char *rt_compile_file(const char *path, struct options *opts, struct compilation *c,
                      struct model *model, int *status) {
  size_t len;
  char *text = read_whole_file(path, &len);
  if (!text) {
    *status = EXIT_IO;
    return NULL;
  }
  bool asl = is_asl_file(path);
  c->options = opts;
  opts->for_output = !asl; /* running needs every param's value */
  for (int w = 0; w < W_COUNT; w++) c->diag.disabled[w] = true; /* a run is no review */
  struct input in = {strcmp(path, "-") ? path : "<stdin>", text, len, asl};
  struct outputs out = {0};
  *status = sfc_compile(c, &in, 1, COMPILE_CHECK, model, &out);
  if (*status != EXIT_OK) diag_print_text(&c->diag, stderr);
  outputs_free(&out);
  return text;
}

/* The definition of workflow W (NULL: the only one) in the .sf or ASL file PATH. */
static json_t *load_definition(const char *path, const char *workflow, struct options *opts,
                               const char **name, int *status) {
  struct compilation c = {0};
  struct model model = {0};
  json_t *definition = NULL;
  char *text = rt_compile_file(path, opts, &c, &model, status);
  bool asl = is_asl_file(path);
  if (!text || *status != EXIT_OK) {
    /* said why */
  } else if (asl) {
    json_error_t e;
    definition = json_loads(text, 0, &e); /* the checker accepted it: it parses */
    if (!definition) *status = EXIT_INPUT;
    if (!workflow) {
      /* the state machine's name: the file's, less .asl.json or .json */
      const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
      size_t n = strlen(base);
      if (n > 9 && !strcasecmp(base + n - 9, ".asl.json")) n -= 9;
      else if (n > 5 && !strcasecmp(base + n - 5, ".json")) n -= 5;
      *name = xstrndup(base, n);
    } else {
      *name = xstrdup(workflow);
    }
  } else {
    const struct model_workflow *w = NULL;
    for (int i = 0; i < model.nworkflows; i++)
      if (workflow ? !strcmp(model.workflows[i].name, workflow) : model.nworkflows == 1)
        w = &model.workflows[i];
    if (!w) {
      struct buf names = {0};
      for (int i = 0; i < model.nworkflows; i++)
        buf_printf(&names, "%s%s", i ? ", " : "", model.workflows[i].name);
      if (model.nworkflows == 0)
        fprintf(stderr, "sfc: error: '%s' declares no workflow\n", shown(path));
      else if (workflow)
        fprintf(stderr, "sfc: error: '%s' has no workflow named '%s' (it has %s)\n", shown(path),
                shown(workflow), names.data);
      else
        fprintf(stderr, "sfc: error: '%s' declares %d workflows: choose one with --workflow (%s)\n",
                shown(path), model.nworkflows, names.data);
      buf_free(&names);
      *status = EXIT_USAGE;
    } else {
      definition = jn_to_json(w->definition);
      *name = xstrdup(w->name);
    }
  }
  compilation_free(&c);
  free(text);
  return definition;
}

struct rt_mocks *rt_load_mocks(const char *path, json_t **config, int *status) {
  char *text = read_whole_file(path, NULL);
  if (!text) {
    *status = EXIT_IO;
    return NULL;
  }
  json_error_t e;
  *config = json_loads(text, JSON_REJECT_DUPLICATES, &e);
  free(text);
  if (!*config) {
    fprintf(stderr, "%s:%d:%d: error: %s\n", shown(path), e.line, e.column, e.text);
    *status = EXIT_USAGE;
    return NULL;
  }
  char *why = NULL;
  struct rt_mocks *m = rt_mocks_load(*config, path, &why);
  if (!m) {
    fprintf(stderr, "sfc: error: %s\n", why);
    free(why);
    *status = EXIT_USAGE;
  }
  return m;
}

/* Without --mocks, a task has nothing to answer it. */
static bool no_mocks(void *ctx, const struct rt_task_call *call, json_t **result, struct rt_error *err) {
  (void)ctx, (void)result;
  rt_fail(err, "States.Runtime", "no mock for state '%s' (Resource '%s'): run with --mocks FILE",
          call->state, call->resource);
  return false;
}

const char *rt_define_value(const struct options *o, const char *name, const char *otherwise) {
  for (int i = 0; i < o->ndefines; i++)
    if (!strcmp(o->defines[i].name, name)) return o->defines[i].value;
  return otherwise;
}

const char *rt_option_value(int argc, char **argv, int *i, const char *name) {
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (!strncmp(a, name, n) && a[n] == '=') return a + n + 1;
  return *i + 1 < argc ? argv[++*i] : NULL;
}

bool rt_is_option(const char *a, const char *name) {
  size_t n = strlen(name);
  return !strncmp(a, name, n) && (a[n] == 0 || a[n] == '=');
}

static void print_json(json_t *v, bool aws_text) {
  char *s = aws_text ? rt_json_text(v)
                     : json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
                                         JSON_REAL_PRECISION(17));
  if (s) puts(s);
  free(s);
}

int rt_cmd_run(int argc, char **argv) {
  const char *file = NULL, *workflow = NULL, *input_arg = "{}", *mocks_path = NULL, *case_name = NULL;
  const char *start = DEFAULT_START;
  bool history = false;
  uint64_t seed = 0;
  struct options opts = {0};
  opts.defines = xmalloc((size_t)(argc + 1) * sizeof *opts.defines);
  int status = EXIT_OK;
  json_t *definition = NULL, *input = NULL, *config = NULL;
  struct rt_mocks *mocks = NULL;
  const char *name = NULL;
  bool files_only = false;
  for (int i = 0; i < argc && status == EXIT_OK; i++) {
    const char *a = argv[i], *v = NULL;
    if (files_only || a[0] != '-' || !strcmp(a, "-")) {
      if (file) status = usage("run", "one file at a time: '%s' is a second", a);
      file = a;
      continue;
    }
    if (!strcmp(a, "--")) files_only = true;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(run_usage, stdout);
      goto done;
    } else if (!strcmp(a, "--history")) history = true;
    else if (!strncmp(a, "-D", 2)) {
      const char *def = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
      const char *eq = def ? strchr(def, '=') : NULL;
      if (!eq || eq == def) status = usage("run", "-D takes NAME=VALUE, not '%s'", def ? def : "");
      else opts.defines[opts.ndefines++] = (struct define){xstrndup(def, (size_t)(eq - def)), eq + 1, false};
    } else {
      static const char *const valued[] = {"--workflow", "--input", "--mocks", "--case", "--seed", "--start"};
      size_t k = 0;
      while (k < sizeof valued / sizeof *valued && !rt_is_option(a, valued[k])) k++;
      if (k == sizeof valued / sizeof *valued) {
        status = usage("run", "unknown option '%s'", a);
        break;
      }
      if (!(v = rt_option_value(argc, argv, &i, valued[k]))) {
        status = usage("run", "option '%s' needs a value", valued[k]);
        break;
      }
      switch (k) {
      case 0: workflow = v; break;
      case 1: input_arg = v; break;
      case 2: mocks_path = v; break;
      case 3: case_name = v; break;
      case 4:
        if (!rt_parse_seed(v, &seed)) status = usage("run", "--seed takes a whole number from 0, not '%s'", v);
        break;
      case 5: start = v; break;
      }
    }
  }
  if (status != EXIT_OK) goto done;
  /* Step Functions Local (and LocalStack) find the mock file through SFN_MOCK_CONFIG */
  if (!mocks_path && getenv("SFN_MOCK_CONFIG") && *getenv("SFN_MOCK_CONFIG"))
    mocks_path = getenv("SFN_MOCK_CONFIG");
  if (!file) {
    status = usage("run", "%s", "no workflow to run (give FILE.sf or FILE.asl.json)");
    goto done;
  }
  if (!strcmp(file, "-") + !strcmp(input_arg, "@-") + (mocks_path && !strcmp(mocks_path, "-")) > 1) {
    status = usage("run", "%s", "standard input can be read once: by the workflow ('-'), "
                   "--input @- or --mocks -");
    goto done;
  }
  if (case_name && !mocks_path) {
    status = usage("run", "%s", "--case names a test case of the mock file: give --mocks FILE");
    goto done;
  }
  struct rt_options o = {0};
  o.seed = seed;
  if (!rt_parse_timestamp(start, &o.start_ms)) {
    status = usage("run", "--start takes a timestamp such as 2024-05-01T12:00:00Z, not '%s'", start);
    goto done;
  }
  /* the input first: it may be @- (standard input), and the file may not */
  if (!(input = rt_json_arg("--input", input_arg, &status))) goto done;
  if (!(definition = load_definition(file, workflow, &opts, &name, &status))) goto done;
  if (mocks_path) {
    if (!(mocks = rt_load_mocks(mocks_path, &config, &status))) goto done;
    char *why = NULL;
    if (!rt_mocks_select(mocks, name, case_name, &why)) {
      fprintf(stderr, "sfc: error: %s\n", why);
      free(why);
      status = EXIT_USAGE;
      goto done;
    }
  }
  o.state_machine_name = name;
  o.account = rt_define_value(&opts, "account", "123456789012");
  o.region = rt_define_value(&opts, "region", "us-east-1");
  o.partition = rt_define_value(&opts, "partition", "aws");
  o.task = mocks ? rt_mocks_task : no_mocks;
  o.task_ctx = mocks;
  o.history = history;
  struct rt_result r = {0};
  if (!rt_execute(definition, input, &o, &r)) {
    fprintf(stderr, "sfc: error: cannot run '%s': %s%s%s\n", shown(file), r.error.error ? r.error.error : "",
            r.error.cause ? ": " : "", r.error.cause ? r.error.cause : "");
    status = EXIT_INPUT;
  } else {
    if (history) {
      json_t *doc = json_pack("{s:O}", "events", r.history ? r.history : json_array());
      print_json(doc, false);
      json_decref(doc);
    } else if (r.status == RT_SUCCEEDED) {
      json_t *null = json_null();
      print_json(r.output ? r.output : null, true);
    }
    static const char *const names[] = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"};
    static const int codes[] = {EXIT_OK, RUN_FAILED, RUN_TIMED_OUT, RUN_ABORTED};
    status = codes[r.status];
    if (r.status != RT_SUCCEEDED) {
      fprintf(stderr, "%s\nerror: %s\n", names[r.status], r.error.error ? r.error.error : "");
      if (r.error.cause) fprintf(stderr, "cause: %s\n", r.error.cause);
    }
  }
  rt_result_free(&r);
done:
  fflush(stdout);
  if (ferror(stdout) && status == EXIT_OK) status = EXIT_IO;
  rt_mocks_free(mocks);
  json_decref(config);
  json_decref(definition);
  json_decref(input);
  free((char *)name);
  for (int i = 0; i < opts.ndefines; i++) free((char *)opts.defines[i].name);
  free(opts.defines);
  return status;
}

int rt_cmd_test_state(int argc, char **argv) {
  /* option -> the request's field; each value is JSON but the level and the name */
  static const struct { const char *option, *field; bool json; } fields[] = {
      {"--definition", "definition", true},   {"--state-name", "stateName", false},
      {"--input", "input", true},             {"--variables", "variables", true},
      {"--mock", "mock", true},               {"--context", "context", true},
      {"--state-configuration", "stateConfiguration", true},
      {"--inspection-level", "inspectionLevel", false},
  };
  json_t *request = json_object(), *whole = NULL;
  int status = EXIT_OK;
  uint64_t seed = 0;
  for (int i = 0; i < argc && status == EXIT_OK; i++) {
    const char *a = argv[i], *v;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(test_state_usage, stdout);
      goto done;
    }
    if (rt_is_option(a, "--request") || rt_is_option(a, "--seed")) {
      bool req = rt_is_option(a, "--request");
      if (!(v = rt_option_value(argc, argv, &i, req ? "--request" : "--seed"))) {
        status = usage("test-state", "option '%s' needs a value", req ? "--request" : "--seed");
      } else if (!req) {
        if (!rt_parse_seed(v, &seed)) status = usage("test-state", "--seed takes a whole number from 0, not '%s'", v);
      } else if (whole) {
        status = usage("test-state", "%s", "--request is given twice");
      } else if ((whole = rt_json_arg("--request", v, &status)) && !json_is_object(whole)) {
        status = usage("test-state", "%s", "--request takes a JSON object (TestState's request)");
      }
      continue;
    }
    size_t k = 0;
    while (k < sizeof fields / sizeof *fields && !rt_is_option(a, fields[k].option)) k++;
    if (k == sizeof fields / sizeof *fields) {
      status = usage("test-state", "unknown option '%s'", a);
      break;
    }
    if (!(v = rt_option_value(argc, argv, &i, fields[k].option))) {
      status = usage("test-state", "option '%s' needs a value", fields[k].option);
      break;
    }
    if (json_object_get(request, fields[k].field)) {
      status = usage("test-state", "option '%s' is given twice", fields[k].option);
      break;
    }
    json_t *value = fields[k].json ? rt_json_arg(fields[k].option, v, &status) : json_string(v);
    if (!value) break;
    json_object_set_new(request, fields[k].field, value);
  }
  if (status != EXIT_OK) goto done;
  if (whole) {
    /* the options given beside it win */
    json_object_update_missing(request, whole);
  }
  if (!json_object_get(request, "definition")) {
    status = usage("test-state", "%s", "no definition: give --definition JSON|@FILE (or --request)");
    goto done;
  }
  json_t *level = json_object_get(request, "inspectionLevel");
  if (level && (!json_is_string(level) || (strcmp(json_string_value(level), "INFO") &&
                                           strcmp(json_string_value(level), "DEBUG") &&
                                           strcmp(json_string_value(level), "TRACE")))) {
    status = usage("test-state", "%s", "the inspection level is INFO, DEBUG or TRACE");
    goto done;
  }
  struct rt_options o = {0};
  o.seed = seed;
  o.account = "123456789012";
  o.region = "us-east-1";
  o.partition = "aws";
  rt_parse_timestamp(DEFAULT_START, &o.start_ms);
  o.task = no_mocks;
  json_t *response = rt_test_state(request, &o);
  if (!response) {
    fputs("sfc: error: TestState gave no response\n", stderr);
    status = EXIT_INPUT;
    goto done;
  }
  print_json(response, false);
  const char *st = json_string_value(json_object_get(response, "status"));
  status = !st ? EXIT_INPUT : !strcmp(st, "FAILED") ? RUN_FAILED : EXIT_OK;
  json_decref(response);
done:
  fflush(stdout);
  if (ferror(stdout) && status == EXIT_OK) status = EXIT_IO;
  json_decref(whole);
  json_decref(request);
  return status;
}
