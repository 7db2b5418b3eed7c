/* main.c: the command line. Reads the files, runs the pipeline (compile.c) and
 * writes what it built (output.c).
 *
 * Exit codes: 0 success, 1 the input has errors, 2 bad usage, 3 I/O or internal error.
 */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"
#include "runtime.h"
#include "match.h"
#include "events.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


static const char usage_text[] =
    "usage: sfc [compile] FILE... -o DIR [options]\n"
    "       sfc check FILE... [options]\n"
    "       sfc explain FILE... [options]\n"
    "       sfc docs FILE... -o DIR [options]\n"
    "       sfc run FILE.sf|FILE.asl.json [options]   (sfc run --help)\n"
    "       sfc test-state --definition JSON [options] (sfc test-state --help)\n"
    "       sfc test FILE... [--coverage] [--coverage-min N] [options] (sfc test --help)\n"
    "       sfc match PATTERN.json|FILE.sf EVENT.json    (sfc match --help)\n"
    "       sfc simulate FILE.sf --event EVENT [options] (sfc simulate --help)\n"
    "       sfc event KIND ARGS... [options]             (sfc event --help)\n"
    "       sfc fmt [-w | --check] [--diff] FILE...       (sfc fmt --help)\n"
    "       sfc import FILE.asl.json [--name NAME]        (sfc import --help)\n"
    "\n"
    "Compiles .sf workflow files to Amazon States Language, EventBridge rules and\n"
    "schedules, and IAM policies. With 'check', only checks them and writes nothing;\n"
    "with 'explain', also prints every IAM permission and what needs it; with\n"
    "'docs', writes Markdown pages and Mermaid and Graphviz diagrams of the program;\n"
    "'run' runs a workflow locally with mocked tasks, 'test-state' one state, as\n"
    "AWS's TestState API does; 'test' runs the test blocks of .sf files; 'match'\n"
    "tests an event against an EventBridge event pattern, or the program's rules;\n"
    "'simulate' runs the program's rules and workflows on events and schedules.\n"
    "'event' prints an event as AWS sends it (S3, a schedule, an execution's\n"
    "status, a PutEvents entry). 'fmt' lays .sf files out in the canonical form;\n"
    "'import' prints the .sf program of an ASL definition.\n"
    "FILE may be '-' for standard input (once). 'sfc check FILE.json' (any case)\n"
    "validates a hand-written ASL definition instead; 'sfc check --asl -' reads one\n"
    "from standard input.\n"
    "\n";
/* In two parts: C11 promises string literals of 4095 characters, no more. */
static const char usage_options[] =
    "options:\n"
    "  -o, --output DIR        write outputs into DIR (created if missing); files\n"
    "                          are written all at once or not at all\n"
    "  -D NAME=VALUE           set a param; NAME may also be account, region or\n"
    "                          partition (the target of every ARN)\n"
    "  --emit LIST             write only these backends' files: a comma-separated\n"
    "                          list of asl, rules, iam, terraform and docs, or all\n"
    "                          (default: all but docs)\n"
    "  -q, --quiet             do not say what was written\n"
    "  --type TYPE             for ASL files: check them as 'express' or 'standard'\n"
    "                          (the default) state machines\n"
    "  --substitute NAME=VALUE in an ASL file, replace ${NAME} with VALUE before\n"
    "                          checking (repeatable); without it or --substitutions,\n"
    "                          a whole-field \"${NAME}\" is accepted as any value\n"
    "  --substitutions FILE    the same for each member of the JSON object in FILE\n"
    "                          (like SAM's DefinitionSubstitutions)\n"
    "  --werror, -Werror       treat warnings as errors\n"
    "  -Wno-NAME               turn the warning NAME off (each warning ends with its\n"
    "                          name, [-WNAME]); -WNAME turns it back on\n"
    "  --dump-model            print what lowering built: each workflow's settings\n"
    "                          and every node of its ASL with the .sf span it came from\n"
    "  --diagnostics=FORMAT    'text' (default, on stderr); on stdout: 'json' (one\n"
    "                          array), 'sarif' (a SARIF 2.1.0 log, for code\n"
    "                          scanning) or 'github' (GitHub Actions annotations)\n"
    "  --asl                   (check only) read every FILE as ASL, whatever its name\n"
    "  --                      the arguments after it are files, even if they start\n"
    "                          with '-'\n"
    "  -h, --help, sfc help    show this help\n"
    "  --version               show the version\n"
    "\n"
    "outputs: DIR/<Workflow>.asl.json, <Workflow>.role-policy.json and\n"
    "         <Workflow>.role-trust.json for each workflow; rule, targets and\n"
    "         schedule requests for each trigger, and the roles that start it;\n"
    "         and a Terraform module that deploys all of it (*.tf, *.tftpl)\n"
    "exit codes: 0 success, 1 errors in the input, 2 bad usage,\n"
    "            3 I/O or internal error; sfc run also 4 FAILED, 5 TIMED_OUT,\n"
    "            6 ABORTED (sfc run --help); sfc test: 1 also when a test fails\n"
    "            or coverage is below --coverage-min (sfc test --help);\n"
    "            sfc match: 0 match, 1 no match, 3 an invalid pattern or event;\n"
    "            sfc simulate: 4 an execution did not succeed, 5 stopped at its\n"
    "            bound (sfc simulate --help);\n"
    "            sfc event: 0 printed, 3 input AWS would refuse\n";

static int usage_error(const char *fmt, const char *arg) {
  fputs("sfc: error: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nTry 'sfc --help'.\n", stderr);
  return EXIT_USAGE;
}

/* Adds NAME=VALUE to the --substitute values; NAME and VALUE are copied. */
static void add_substitution(struct options *o, const char *name, size_t name_len,
                             const char *value) {
  o->substitutions = xrealloc(o->substitutions, (size_t)(o->nsubstitutions + 1) *
                                                    sizeof *o->substitutions);
  o->substitutions[o->nsubstitutions++] = (struct define){strndup(name, name_len),
                                                          strdup(value), false};
  o->substitute = true;
}

/* --substitutions FILE: a JSON object of strings, numbers or booleans. */
static int read_substitutions(struct options *o, const char *path) {
  json_error_t error;
  json_t *root = json_load_file(path, 0, &error);
  if (!root) {
    fprintf(stderr, "sfc: error: --substitutions '%s': %s (line %d)\n", path, error.text, error.line);
    return EXIT_USAGE;
  }
  int status = EXIT_OK;
  if (!json_is_object(root)) status = usage_error("--substitutions takes a file holding a JSON object, "
                                                  "not '%s'", path);
  const char *key;
  json_t *v;
  json_object_foreach(root, key, v) {
    if (status != EXIT_OK) break;
    char *text = json_is_string(v) ? strdup(json_string_value(v))
                 : json_is_number(v) || json_is_boolean(v) ? json_dumps(v, JSON_ENCODE_ANY) : NULL;
    if (!text) { status = usage_error("--substitutions: the value of '%s' is not a string, number or boolean", key); break; }
    add_substitution(o, key, strlen(key), text);
    free(text);
  }
  o->substitute = true;
  json_decref(root);
  return status;
}

/* --emit asl,rules,iam,terraform: the backends that write files. */
static int parse_emit(struct options *o, const char *list) {
  static const struct { const char *name; unsigned bit; } backends[] = {
      {"asl", EMIT_ASL}, {"rules", EMIT_RULES}, {"iam", EMIT_IAM}, {"terraform", EMIT_TERRAFORM},
      {"docs", EMIT_DOCS}, {"all", EMIT_ALL}};
  o->emit = 0;
  for (const char *p = list;;) {
    size_t n = strcspn(p, ",");
    unsigned bit = 0;
    for (size_t k = 0; k < sizeof backends / sizeof *backends; k++)
      if (strlen(backends[k].name) == n && !strncmp(p, backends[k].name, n)) bit = backends[k].bit;
    if (!bit) {
      fprintf(stderr, "sfc: error: --emit: unknown backend '%.*s' (the backends are asl, rules, iam, "
              "terraform, docs, or all)\nTry 'sfc --help'.\n", (int)n, p);
      return EXIT_USAGE;
    }
    o->emit |= bit;
    if (!p[n]) break;
    p += n + 1;
  }
  return EXIT_OK;
}

/* --diagnostics=FORMAT: text goes to stderr, the others (for tools) to stdout */
static const struct {
  const char *name;
  void (*print)(const struct diag *d, FILE *out);
} diagnostic_formats[] = {
    {"text", diag_print_text}, {"json", diag_print_json}, {"sarif", diag_print_sarif},
    {"github", diag_print_github}};

int main(int argc, char **argv) {
  /* the runtime's commands parse their own options (runtime/run.c) */
  if (argc > 1 && !strcmp(argv[1], "run")) return rt_cmd_run(argc - 2, argv + 2);
  if (argc > 1 && !strcmp(argv[1], "test-state")) return rt_cmd_test_state(argc - 2, argv + 2);
  if (argc > 1 && !strcmp(argv[1], "match")) return rt_cmd_match(argc - 2, argv + 2);
  if (argc > 1 && !strcmp(argv[1], "simulate")) return rt_cmd_simulate(argc - 2, argv + 2); /* chain.c */
  if (argc > 1 && !strcmp(argv[1], "event")) return rt_cmd_event(argc - 2, argv + 2);
  if (argc > 1 && !strcmp(argv[1], "test")) return sftest_main(argc - 2, argv + 2); /* sftest.c */
  if (argc > 1 && !strcmp(argv[1], "import")) return import_main(argc - 2, argv + 2); /* import.c */
  if (argc > 1 && !strcmp(argv[1], "fmt")) return fmt_main(argc - 2, argv + 2); /* fmt.c */
  bool check_only = false, werror = false, dump_model = false, asl = false;
  bool quiet = false;
  int format = 0; /* diagnostic_formats[format] */
  bool files_only = false; /* after "--" */
  bool disabled[W_COUNT] = {false};
  const char *out_dir = NULL;
  const char **inputs = xmalloc((size_t)argc * sizeof *inputs);
  int ninputs = 0;
  struct options opts = {0};
  opts.defines = xmalloc((size_t)argc * sizeof *opts.defines);
  int status = EXIT_OK;

  int first = 1;
  bool explain = false, docs = false;
  if (argc > 1 && !strcmp(argv[1], "check")) check_only = true, first = 2;
  else if (argc > 1 && !strcmp(argv[1], "explain")) check_only = explain = true, first = 2;
  else if (argc > 1 && !strcmp(argv[1], "compile")) first = 2;
  else if (argc > 1 && !strcmp(argv[1], "docs")) docs = true, first = 2;
  else if (argc > 1 && !strcmp(argv[1], "help")) {
    fputs(usage_text, stdout), fputs(usage_options, stdout);
    goto done;
  }
  for (int i = first; i < argc; i++) {
    const char *a = argv[i];
    if (files_only) {
      inputs[ninputs++] = a;
    } else if (!strcmp(a, "--")) {
      files_only = true;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_text, stdout), fputs(usage_options, stdout);
      goto done;
    } else if (!strcmp(a, "--version")) {
      printf("sfc %s\n", SFC_VERSION);
      goto done;
    } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (i + 1 >= argc) { status = usage_error("option '%s' needs a directory", a); goto done; }
      out_dir = argv[++i];
    } else if (!strncmp(a, "--output=", 9)) {
      out_dir = a + 9;
    } else if (!strncmp(a, "-D", 2)) {
      const char *def = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
      const char *eq = def ? strchr(def, '=') : NULL;
      if (!def) { status = usage_error("option '%s' needs NAME=VALUE", a); goto done; }
      if (!eq || eq == def) { status = usage_error("-D takes NAME=VALUE, not '%s'", def); goto done; }
      opts.defines[opts.ndefines].name = strndup(def, (size_t)(eq - def));
      opts.defines[opts.ndefines].value = eq + 1;
      opts.defines[opts.ndefines].used = false;
      opts.ndefines++;
    } else if (!strcmp(a, "--substitute") || !strncmp(a, "--substitute=", 13)) {
      const char *def = a[12] ? a + 13 : (i + 1 < argc ? argv[++i] : NULL);
      const char *eq = def ? strchr(def, '=') : NULL;
      if (!def) { status = usage_error("option '%s' needs NAME=VALUE", a); goto done; }
      if (!eq || eq == def) { status = usage_error("--substitute takes NAME=VALUE, not '%s'", def); goto done; }
      add_substitution(&opts, def, (size_t)(eq - def), eq + 1);
    } else if (!strcmp(a, "--substitutions") || !strncmp(a, "--substitutions=", 16)) {
      const char *file = a[15] ? a + 16 : (i + 1 < argc ? argv[++i] : NULL);
      if (!file) { status = usage_error("option '%s' needs a file", a); goto done; }
      if ((status = read_substitutions(&opts, file)) != EXIT_OK) goto done;
    } else if (!strcmp(a, "--werror") || !strcmp(a, "-Werror")) {
      werror = true;
    } else if (!strncmp(a, "-W", 2)) { /* -Wno-NAME turns a warning off, -WNAME back on */
      bool off = !strncmp(a + 2, "no-", 3);
      enum warning w = warning_named(a + 2 + (off ? 3 : 0));
      if (w == W_NONE) {
        fprintf(stderr, "sfc: error: unknown warning '%s' (the warnings are %s)\n",
                a + 2 + (off ? 3 : 0), warning_names());
        fputs("Try 'sfc --help'.\n", stderr);
        status = EXIT_USAGE;
        goto done;
      }
      disabled[w] = off;
    } else if (!strcmp(a, "--type") || !strncmp(a, "--type=", 7)) {
      const char *type = a[6] ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
      if (!type) { status = usage_error("option '%s' needs express or standard", a); goto done; }
      if (strcmp(type, "express") && strcmp(type, "standard")) {
        status = usage_error("--type takes express or standard, not '%s'", type);
        goto done;
      }
      opts.express = !strcmp(type, "express");
    } else if (!strcmp(a, "--emit") || !strncmp(a, "--emit=", 7)) {
      const char *list = a[6] ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
      if (!list) { status = usage_error("option '%s' needs a list of backends", a); goto done; }
      if ((status = parse_emit(&opts, list)) != EXIT_OK) goto done;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      quiet = true;
    } else if (!strcmp(a, "--dump-model")) {
      dump_model = true;
    } else if (!strcmp(a, "--asl")) {
      asl = true;
    } else if (!strncmp(a, "--diagnostics=", 14)) {
      int n = (int)(sizeof diagnostic_formats / sizeof *diagnostic_formats);
      for (format = 0; format < n && strcmp(diagnostic_formats[format].name, a + 14);) format++;
      if (format == n) {
        status = usage_error("--diagnostics takes 'text', 'json', 'sarif' or 'github', not '%s'", a + 14);
        goto done;
      }
    } else if (a[0] == '-' && a[1] != 0) {
      status = usage_error("unknown option '%s'", a);
      goto done;
    } else {
      inputs[ninputs++] = a;
    }
  }
  if (ninputs == 0) {
    status = usage_error("%s", "no input files (give FILE.sf, or - for standard input)");
    goto done;
  }
  /* standard input can be read once: a second '-' would be an empty file */
  for (int i = 0, seen = 0; i < ninputs; i++)
    if (!strcmp(inputs[i], "-") && seen++) {
      status = usage_error("%s", "'-' (standard input) is given more than once");
      goto done;
    }
  if (asl && !check_only) {
    status = usage_error("%s", "--asl is for 'sfc check': only 'sfc check' reads ASL files");
    goto done;
  }
  for (int i = 0; i < ninputs && !check_only; i++)
    if (is_asl_file(inputs[i])) {
      status = usage_error("'%s' is an ASL file: only 'sfc check' reads ASL files", inputs[i]);
      goto done;
    }
  if (!check_only && !out_dir) {
    status = usage_error("%s", "no output directory: use -o DIR, or 'sfc check' to only check");
    goto done;
  }
  if (out_dir && !*out_dir) { status = usage_error("%s", "the output directory name is empty"); goto done; }
  if (check_only && out_dir) {
    status = usage_error("%s", explain ? "'sfc explain' writes nothing; drop -o"
                                       : "'sfc check' writes nothing; drop -o");
    goto done;
  }

  if (docs && !opts.emit) opts.emit = EMIT_DOCS; /* sfc docs: the docs, unless --emit says more */
  struct compilation c = {0};
  c.options = &opts;
  opts.for_output = !check_only;
  c.diag.werror = werror;
  memcpy(c.diag.disabled, disabled, sizeof disabled);
  struct input *texts = xmalloc((size_t)ninputs * sizeof *texts);
  int nread = 0;
  for (int i = 0; i < ninputs; i++) {
    size_t len = 0;
    char *text = read_whole_file(inputs[i], &len);
    if (!text) { status = EXIT_IO; break; }
    texts[nread++] = (struct input){strcmp(inputs[i], "-") ? inputs[i] : "<stdin>", text, len, asl};
  }
  if (status == EXIT_OK) {
    struct model model = {0};
    struct outputs out = {0};
    status = sfc_compile(&c, texts, nread, check_only ? explain ? COMPILE_EXPLAIN : COMPILE_CHECK : COMPILE_BUILD,
                         &model, &out);
    if (status == EXIT_OK && dump_model) model_dump(&c, &model, stdout);
    for (int i = 0; status == EXIT_OK && explain && i < model.nworkflows; i++)
      explain_iam(stdout, model.workflows[i].iam);
    bool wrote = false;
    int same = 0;
    if (status == EXIT_OK && !check_only) {
      if (write_outputs(out_dir, out.files, out.count, &same)) wrote = true;
      else status = EXIT_IO;
    }
    if (wrote && out.placeholders) /* only about files that were written */
      diag_note_noloc(&c.diag, "ARNs keep ${account} and ${region}: no account or region given "
                      "(-D account=... -D region=..., or an aws { } block)");
    diagnostic_formats[format].print(&c.diag, format ? stdout : stderr);
    if (wrote && !quiet && same)
      fprintf(stderr, "sfc: wrote %d file%s to %s (%d unchanged, not rewritten)\n", out.count - same,
              out.count - same == 1 ? "" : "s", out_dir, same);
    else if (wrote && !quiet)
      fprintf(stderr, "sfc: wrote %d file%s to %s\n", out.count, out.count == 1 ? "" : "s", out_dir);
    outputs_free(&out);
  }
  compilation_free(&c);
  for (int i = 0; i < nread; i++) free((char *)texts[i].text);
  free(texts);

done:
  for (int i = 0; i < opts.nsubstitutions; i++) {
    free((char *)opts.substitutions[i].name);
    free((char *)opts.substitutions[i].value);
  }
  free(opts.substitutions);
  for (int i = 0; i < opts.ndefines; i++) free((char *)opts.defines[i].name);
  free(opts.defines);
  free(inputs);
  return status;
}
