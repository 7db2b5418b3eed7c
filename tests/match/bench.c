/* bench.c: times the rule index (runtime/ruleset.c) against the naive loop over every
   rule's mt_match, on generated rules and events (`make bench-match`, part of `make bench`).

     match_bench [--rules N] [--events N] [--distinct N] [--seed N] [--check]

   From a fixed seed: N rules (default 1000) of the shapes a bus carries (an exact source
   and detail type with conditions on the detail: prefix, suffix, numeric, anything-but,
   exists, cidr, equals-ignore-case, wildcard; two sources; a source prefix with an exact
   detail type; a detail type alone; $or over source and detail type; anything-but on the
   source; the detail alone), and a pool of --distinct events (default 2000), each an
   EventBridge envelope from one of the rules' sources or an unknown one. The naive loop
   runs each distinct event once through all rules; the index runs --events events
   (default 1,000,000: the pool over and over). Both are timed, and both must give each
   distinct event the same matched rules (count and list), so the index's total over
   --events is the naive loop's per-event counts summed: exit 1 otherwise.
   --check is a small run for the suite (tests/fuzz/match.sh): 200 rules, 2000 events.
   Prints events per second for each and their ratio. */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"
#include "match.h"
#include "ruleset.h"
#include "runtime.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ what the bus carries */

/* Each domain is a source "app.DOMAIN" whose detail types are "ENTITY VERB". */
static const struct { const char *domain, *entity; } domains[] = {
  {"orders", "Order"}, {"payments", "Payment"}, {"users", "User"}, {"inventory", "Stock"},
  {"shipping", "Shipment"}, {"billing", "Invoice"}, {"catalog", "Product"}, {"search", "Query"},
  {"auth", "Session"}, {"notify", "Message"}, {"reviews", "Review"}, {"returns", "Return"},
  {"cart", "Cart"}, {"pricing", "Price"}, {"loyalty", "Reward"}, {"support", "Ticket"},
  {"reports", "Report"}, {"media", "Upload"}, {"fraud", "Alert"}, {"audit", "Entry"},
};
#define N_DOMAINS (sizeof domains / sizeof *domains)
static const char *const verbs[] = {"Created", "Updated", "Deleted", "Failed", "Completed", "Placed"};
#define N_VERBS (sizeof verbs / sizeof *verbs)
static const char *const states[] = {"pending", "running", "stopped", "failed", "done"};
static const char *const tiers[] = {"free", "basic", "gold", "platinum"};
static const char *const regions[] = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1"};
static const char *const keys[] = {"in/a.png", "in/b.jpg", "out/report.pdf", "tmp/x.png", "in/c.csv"};
static const char *const names[] = {"alice", "Bob", "CAROL", "dave"};

#define PICK(r, list) (list[rt_random_next(r) % (sizeof list / sizeof *list)])
static unsigned below(struct rt_random *r, unsigned n) { return (unsigned)(rt_random_next(r) % n); }

static char *source_name(char out[64], size_t domain) {
  snprintf(out, 64, "app.%s", domains[domain].domain);
  return out;
}

static char *detail_type(char out[64], size_t domain, size_t verb) {
  snprintf(out, 64, "%s %s", domains[domain].entity, verbs[verb]);
  return out;
}

/* One condition on the detail, added to DETAIL (a pattern's "detail" object). */
static void add_condition(struct rt_random *r, json_t *detail) {
  switch (below(r, 10)) {
  case 0: json_object_set_new(detail, "state", json_pack("[ss]", PICK(r, states), PICK(r, states))); break;
  case 1: json_object_set_new(detail, "amount", json_pack("[{s[si]}]", "numeric", ">", (int)below(r, 500))); break;
  case 2: {
    int low = (int)below(r, 400);
    json_object_set_new(detail, "amount", json_pack("[{s[sisi]}]", "numeric", ">=", low, "<", low + 1 + (int)below(r, 300)));
    break;
  }
  case 3: json_object_set_new(detail, "customer", json_pack("{s[{s[s]}]}", "tier", "anything-but", PICK(r, tiers))); break;
  case 4: json_object_set_new(detail, "region", json_pack("[{ss}]", "prefix", below(r, 2) ? "us-" : "eu-")); break;
  case 5: json_object_set_new(detail, "object", json_pack("{s[{ss}]}", "key", "suffix", below(r, 2) ? ".png" : ".pdf")); break;
  case 6: json_object_set_new(detail, below(r, 2) ? "error" : "retry", json_pack("[{sb}]", "exists", (int)below(r, 2))); break;
  case 7: json_object_set_new(detail, "ip", json_pack("[{ss}]", "cidr", below(r, 2) ? "10.0.0.0/8" : "192.168.0.0/16")); break;
  case 8: json_object_set_new(detail, "name", json_pack("[{ss}]", "equals-ignore-case", PICK(r, names))); break;
  default: json_object_set_new(detail, "path", json_pack("[{ss}]", "wildcard", below(r, 2) ? "orders/*/items/*" : "*/archive/*")); break;
  }
}

static json_t *random_detail(struct rt_random *r) {
  json_t *detail = json_object();
  for (unsigned i = 0, n = 1 + below(r, 3); i < n; i++) add_condition(r, detail);
  return detail;
}

static json_t *random_rule(struct rt_random *r) {
  char s[64], s2[64], t[64];
  size_t d = below(r, N_DOMAINS);
  source_name(s, d);
  detail_type(t, d, below(r, N_VERBS));
  unsigned shape = below(r, 100);
  if (shape < 56) /* the usual rule: a source, a detail type, conditions on the detail */
    return json_pack("{s[s]s[s]so}", "source", s, "detail-type", t, "detail", random_detail(r));
  if (shape < 66)
    return json_pack("{s[ss]so}", "source", s, source_name(s2, below(r, N_DOMAINS)), "detail", random_detail(r));
  if (shape < 76)
    return json_pack("{s[s]s[ss]}", "source", s, "detail-type", t, detail_type(s2, d, below(r, N_VERBS)));
  if (shape < 84)
    return json_pack("{s[{ss}]s[s]so}", "source", "prefix", "app.", "detail-type", t, "detail", random_detail(r));
  if (shape < 94) return json_pack("{s[s]so}", "detail-type", t, "detail", random_detail(r));
  if (shape < 96)
    return json_pack("{s[{s[s]}{s[s]}]}", "$or", "source", s, "detail-type", detail_type(s2, below(r, N_DOMAINS), 0));
  if (shape < 98)
    return json_pack("{s[{s[ss]}]so}", "source", "anything-but", s, "aws.s3", "detail", random_detail(r));
  return json_pack("{so}", "detail", random_detail(r));
}

static json_t *random_event(struct rt_random *r, unsigned serial) {
  char s[64], t[64], id[40], ip[32], path[64];
  size_t d = below(r, N_DOMAINS);
  if (below(r, 20)) source_name(s, d);
  else snprintf(s, sizeof s, "app.unknown%u", below(r, 5));
  detail_type(t, d, below(r, N_VERBS));
  snprintf(id, sizeof id, "e-%08u", serial);
  snprintf(ip, sizeof ip, below(r, 2) ? "10.%u.%u.7" : "192.168.%u.%u", below(r, 256), below(r, 256));
  snprintf(path, sizeof path, below(r, 2) ? "orders/%u/items/%u" : "x/archive/%u/%u", below(r, 100), below(r, 10));
  json_t *detail = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:i}, s:[s, s]}", "state", PICK(r, states), "amount",
                             (int)below(r, 800), "region", PICK(r, regions), "name", PICK(r, names),
                             "ip", ip, "path", path, "customer", "tier", PICK(r, tiers), "id", id,
                             "object", "key", PICK(r, keys), "size", (int)below(r, 1 << 20),
                             "tags", PICK(r, states), PICK(r, tiers));
  if (below(r, 4) == 0) json_object_set_new(detail, "error", json_string("Timeout"));
  if (below(r, 4) == 0) json_object_set_new(detail, "retry", json_integer(below(r, 3)));
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:o}", "version", "0", "id", id, "source", s, "detail-type", t,
                   "account", "111122223333", "time", "2024-01-15T10:20:30Z", "region",
                   PICK(r, regions), "resources", "arn:aws:events:us-east-1:111122223333:rule/x",
                   "detail", detail);
}

/* ------------------------------------------------------------ the run */

/* FNV-1a over a list of rule indexes: the two sides' lists compared in one number. */
static uint64_t list_hash(const int *at, size_t n) {
  uint64_t h = 1469598103934665603u;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint64_t)(unsigned)at[i]) * 1099511628211u;
  return h;
}

static long number_arg(int argc, char **argv, int *i) {
  char *end;
  long n = *i + 1 < argc ? strtol(argv[*i + 1], &end, 10) : -1;
  if (*i + 1 >= argc || *end || n < 1) {
    fprintf(stderr, "match_bench: %s needs a positive number\n", argv[*i]);
    exit(2);
  }
  ++*i;
  return n;
}

int main(int argc, char **argv) {
  long nrules = 1000, nevents = 1000000, ndistinct = 2000, seed = 1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--rules")) nrules = number_arg(argc, argv, &i);
    else if (!strcmp(argv[i], "--events")) nevents = number_arg(argc, argv, &i);
    else if (!strcmp(argv[i], "--distinct")) ndistinct = number_arg(argc, argv, &i);
    else if (!strcmp(argv[i], "--seed")) seed = number_arg(argc, argv, &i);
    else if (!strcmp(argv[i], "--check")) nrules = 200, nevents = 2000, ndistinct = 2000;
    else {
      fprintf(stderr, "usage: match_bench [--rules N] [--events N] [--distinct N] [--seed N] [--check]\n");
      return 2;
    }
  }
  if (ndistinct > nevents) ndistinct = nevents;
  struct rt_random r;
  rt_random_seed(&r, (uint64_t)seed);

  struct mt_pattern **naive = xmalloc((size_t)nrules * sizeof *naive);
  struct rt_ruleset *rs = rt_ruleset_new();
  for (long i = 0; i < nrules; i++) {
    json_t *rule = random_rule(&r);
    char *why = NULL;
    naive[i] = mt_compile(rule, &why);
    if (!naive[i] || rt_ruleset_add(rs, rule, &why) != i) {
      char *text = json_dumps(rule, JSON_COMPACT);
      fprintf(stderr, "match_bench: generated rule %ld is refused: %s: %s\n", i, text, why);
      return 1;
    }
    json_decref(rule);
  }
  json_t **pool = xmalloc((size_t)ndistinct * sizeof *pool);
  for (long e = 0; e < ndistinct; e++) pool[e] = random_event(&r, (unsigned)e);

  int *out = xmalloc((size_t)nrules * sizeof *out);
  size_t *naive_count = xmalloc((size_t)ndistinct * sizeof *naive_count);
  uint64_t *naive_hash = xmalloc((size_t)ndistinct * sizeof *naive_hash);
  size_t naive_total = 0;
  double t0 = now_s();
  for (long e = 0; e < ndistinct; e++) {
    size_t n = 0;
    for (long i = 0; i < nrules; i++)
      if (mt_match(naive[i], pool[e], NULL)) out[n++] = (int)i;
    naive_count[e] = n;
    naive_hash[e] = list_hash(out, n);
    naive_total += n;
  }
  double naive_s = now_s() - t0;

  size_t index_total = 0, expected_total = 0, differ = 0;
  t0 = now_s();
  for (long e = 0; e < nevents; e++) {
    long d = e % ndistinct;
    size_t n = rt_ruleset_match(rs, pool[d], out);
    index_total += n;
    expected_total += naive_count[d];
    if (e < ndistinct && (n != naive_count[d] || list_hash(out, n) != naive_hash[d])) {
      if (!differ++) fprintf(stderr, "match_bench: event %ld: the index matched %zu rules, the naive loop %zu\n", e, n, naive_count[d]);
    }
  }
  double index_s = now_s() - t0;

  double naive_rate = (double)ndistinct / naive_s, index_rate = (double)nevents / index_s;
  printf("match bench: %ld rules (%zu checked for every event, the rest filed under a source or "
         "detail type), %ld distinct events\n", nrules, rt_ruleset_unindexed(rs), ndistinct);
  printf("  naive loop  %9ld events in %7.3f s: %12.0f events/s\n", ndistinct, naive_s, naive_rate);
  printf("  rule index  %9ld events in %7.3f s: %12.0f events/s\n", nevents, index_s, index_rate);
  printf("  index / naive: %.1fx\n", index_rate / naive_rate);
  printf("  matches: naive %zu on the %ld distinct events (%.2f per event), index %zu over %ld "
         "events (expected %zu)\n", naive_total, ndistinct, (double)naive_total / (double)ndistinct,
         index_total, nevents, expected_total);
  bool same = !differ && index_total == expected_total;
  printf("  %s\n", same ? "identical: every distinct event matched the same rules both ways"
                        : "DIFFERENT: the index and the naive loop disagree");

  for (long e = 0; e < ndistinct; e++) json_decref(pool[e]);
  for (long i = 0; i < nrules; i++) mt_free(naive[i]);
  free(pool);
  free(naive);
  free(out);
  free(naive_count);
  free(naive_hash);
  rt_ruleset_free(rs);
  return same ? 0 : 1;
}
