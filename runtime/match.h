/* match.h: EventBridge event patterns matched against events (runtime/match.c), and
 * the command that does it, `sfc match PATTERN.json EVENT.json` (runtime/match_cmd.c).
 *
 * The semantics are those of the reference's section A (EventBridge, as recorded against
 * AWS's TestEventPattern and read in aws/event-ruler): AND across fields, OR within a
 * field's array, an event array matches when any element does, null is a value and a
 * missing field is not, numbers and strings never equal each other.
 *
 * Ownership: the pattern given to mt_compile is borrowed (the matcher keeps its own
 * references); strings returned through char ** are malloc'd and the caller frees them.
 */
#ifndef SFC_MATCH_H
#define SFC_MATCH_H

#include <jansson.h>
#include <stdbool.h>

struct mt_pattern;

/* PATTERN compiled, or NULL with *WHY set to AWS's reason the pattern is refused,
   prefixed by the dotted path of the field it is about ("detail.state: ..."). */
struct mt_pattern *mt_compile(const json_t *pattern, char **why);
/* Whether EVENT matches. On no match, and when WHY is not NULL, *WHY says which field
   failed first and why: "detail.object.key: \"a.txt\" does not match [{\"prefix\":\"in/\"}]". */
bool mt_match(const struct mt_pattern *p, const json_t *event, char **why);
void mt_free(struct mt_pattern *p);

/* Whether EVENT can match when some of its values are not known yet (compiler/links.c:
   what a workflow sends is partly decided at run time). A field whose value is the
   json_t UNKNOWN (that very pointer) may hold anything, an object holding any fields
   included: matchers on it, or on fields under it, answer MT_MAYBE, except that
   {"exists": ...} takes a field holding UNKNOWN as present. */
enum mt_verdict { MT_NO, MT_MAYBE, MT_YES };
enum mt_verdict mt_match3(const struct mt_pattern *p, const json_t *event, const json_t *unknown);

/* sfc match PATTERN.json EVENT.json: 0 match, 1 no match, 2 usage, 3 invalid input. */
int rt_cmd_match(int argc, char **argv);
/* sfc match FILE.sf EVENT.json (chain.c): each rule of the program against the event. */
int rt_cmd_match_program(const char *program, const char *event_path);
/* The JSON in PATH ('-': standard input), or NULL after saying where it is not JSON (as
   sfc run does); *CHARS receives the length of its text in characters. */
json_t *mt_load_json(const char *path, size_t *chars);

#endif
