/* ruleset.h: many EventBridge rules matched against one event at a time (runtime/ruleset.c).
 *
 * A bus with a thousand rules should not run a thousand matchers per event. Most rules
 * name the exact detail types (or sources) they want, so a rule is filed under each of
 * those strings; an event looks up its own values of those fields and runs the full
 * matcher (mt_match) only on the rules filed there and on the rules that could not be
 * filed. The answer is the naive loop's by construction: a rule is skipped only when
 * the event lacks every string the rule requires of that field.
 *
 * Ownership: patterns given to rt_ruleset_add are borrowed (mt_compile keeps its own
 * references); strings returned through char ** are malloc'd and the caller frees them.
 */
#ifndef SFC_RULESET_H
#define SFC_RULESET_H

#include <jansson.h>
#include <stddef.h>

struct rt_ruleset;

struct rt_ruleset *rt_ruleset_new(void);
/* Compiles PATTERN as the next rule: its index (0 for the first, then 1, 2...), or -1
   with *WHY set to mt_compile's reason when the pattern is refused (no rule is added). */
int rt_ruleset_add(struct rt_ruleset *rs, const json_t *pattern, char **why);
/* How many rules were added, and how many of them are checked against every event
   (filed under no string of an indexed field). */
size_t rt_ruleset_size(const struct rt_ruleset *rs);
size_t rt_ruleset_unindexed(const struct rt_ruleset *rs);
/* The indexes of the rules EVENT matches, ascending, written to OUT (which has room for
   rt_ruleset_size(RS) of them); returns how many. */
size_t rt_ruleset_match(const struct rt_ruleset *rs, const json_t *event, int *out);
void rt_ruleset_free(struct rt_ruleset *rs);

#endif
