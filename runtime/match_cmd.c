/* match_cmd.c: `sfc match PATTERN.json EVENT.json`, which tests an event against an
 * EventBridge pattern as `aws events test-event-pattern` does (runtime/match.c).
 *
 * Exit codes (README, "Matching events"): 0 the event matches, 1 it does not, 2 bad
 * usage, 3 a file cannot be read or holds an invalid pattern or event.
 */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"
#include "match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MATCH_NO = 1, PATTERN_MAX = 4096 };

static const char match_usage[] =
    "usage: sfc match PATTERN.json EVENT.json\n"
    "       sfc match FILE.sf EVENT.json\n"
    "\n"
    "Tests whether the event in EVENT.json matches the EventBridge event pattern in\n"
    "PATTERN.json, with EventBridge's semantics (like 'aws events test-event-pattern').\n"
    "Prints 'match', or 'no match: FIELD: WHY' for the first field that failed.\n"
    "With FILE.sf, tests the event against every rule of the program: a line for\n"
    "each, 'RULE (workflow W, bus B): match' or '...: no match: FIELD: WHY'.\n"
    "Either file may be '-' for standard input (not both).\n"
    "\n"
    "exit codes: 0 match (with FILE.sf: some rule matches), 1 no match, 2 bad usage,\n"
    "            1 also for errors in FILE.sf;\n"
    "            3 a file cannot be read, or its pattern or event is invalid (a pattern\n"
    "            is also refused past the 4096 characters AWS takes)\n";

static int usage(const char *fmt, const char *arg) {
  fputs("sfc: error: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nTry 'sfc match --help'.\n", stderr);
  return EXIT_USAGE;
}

json_t *mt_load_json(const char *path, size_t *chars) {
  size_t len;
  char *text = read_whole_file(path, &len);
  if (!text) return NULL;
  *chars = utf8_count(text, len);
  json_error_t e;
  /* Duplicate keys are allowed: in a pattern the last one wins, as at AWS (A.2). */
  json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
  if (!v) fprintf(stderr, "%s:%d:%d: error: %s\n", shown(path), e.line, e.column, e.text);
  free(text);
  return v;
}

int rt_cmd_match(int argc, char **argv) {
  const char *files[2];
  int nfiles = 0;
  bool dashdash = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!dashdash && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
      fputs(match_usage, stdout);
      return EXIT_OK;
    }
    if (!dashdash && !strcmp(a, "--")) {
      dashdash = true;
      continue;
    }
    if (!dashdash && a[0] == '-' && a[1]) return usage("unknown option '%s'", a);
    if (nfiles == 2) return usage("unexpected argument '%s': expected PATTERN.json EVENT.json", a);
    files[nfiles++] = a;
  }
  if (nfiles < 2) return usage("%s", "expected PATTERN.json EVENT.json");
  if (!strcmp(files[0], "-") && !strcmp(files[1], "-"))
    return usage("%s", "only one of PATTERN.json and EVENT.json may be '-'");
  size_t n = strlen(files[0]);
  if (n > 3 && !strcmp(files[0] + n - 3, ".sf")) return rt_cmd_match_program(files[0], files[1]); /* chain.c */

  size_t chars;
  json_t *pattern = mt_load_json(files[0], &chars);
  if (!pattern) return EXIT_IO;
  /* The file is the EventPattern AWS would receive: PutRule and TestEventPattern take
     at most 4096 characters (A.12), as lowering checks for a .sf trigger. */
  if (chars > PATTERN_MAX) {
    fprintf(stderr, "%s: error: an event pattern is at most %d characters (EventPattern), "
                    "not %zu\n", shown(files[0]), PATTERN_MAX, chars);
    json_decref(pattern);
    return EXIT_IO;
  }
  char *why = NULL;
  struct mt_pattern *p = mt_compile(pattern, &why);
  json_decref(pattern);
  if (!p) {
    fprintf(stderr, "%s: error: invalid event pattern: %s\n", shown(files[0]), why);
    free(why);
    return EXIT_IO;
  }
  json_t *event = mt_load_json(files[1], &chars);
  if (event && !json_is_object(event)) {
    fprintf(stderr, "%s: error: an event must be a JSON object\n", shown(files[1]));
    json_decref(event);
    event = NULL;
  }
  if (!event) {
    mt_free(p);
    return EXIT_IO;
  }
  bool matched = mt_match(p, event, &why);
  if (matched) puts("match");
  else printf("no match: %s\n", why);
  free(why);
  json_decref(event);
  mt_free(p);
  return matched ? EXIT_OK : MATCH_NO;
}
