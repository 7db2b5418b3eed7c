# sfc: build, test, install. GNU make; `make -j` safe.
#
#   make            build ./sfc (installs missing build dependencies first)
#   make example    build, then compile examples/upload.sf into out/
#   make test       build with sanitizers and run the whole suite (installs test deps)
#   make bench      build, then time sfc against jq on generated 1k/10k/100k-state inputs,
#                   and sfc run against local-sfn (aws-local-stepfunctions), the JSONata
#                   evaluator against npm jsonata (bench-jsonata), and the rule index
#                   against the naive loop (bench-match)
#   make bench-match  time runtime/ruleset.c's index against mt_match on every rule:
#                   1000 generated rules, 1,000,000 events (two to three minutes); prints
#                   events per second for each and the ratio, exit 1 if their matches
#                   differ (tests/match/bench.c; `--check`, a small run, is in the suite)
#   make fuzz-match libFuzzer on the pattern matcher, checker and rule index for
#                   FUZZ_SECONDS (tests/fuzz/fuzz_match.c; the suite runs 10000 inputs)
#   make install    install sfc, its manual page and its bash and zsh completion under
#                   $(DESTDIR)$(PREFIX) (default /usr/local); BINDIR, MANDIR (MAN1DIR),
#                   BASHCOMPDIR and ZSHCOMPDIR say where each goes
#   make uninstall  remove what make install installed (the same variables)
#   make clean      remove build products

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
MAN1DIR  ?= $(MANDIR)/man1
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
CC       ?= cc
CFLAGS   ?= -O2 -g
WARNINGS  = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
SANITIZE  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Evaluated when used, so a first build can install pkg-config and Jansson before asking.
JANSSON_CFLAGS = $(shell pkg-config --cflags jansson)
JANSSON_LIBS   = $(shell pkg-config --libs jansson)
# OpenSSL's libcrypto: the hashes and Base64 of the runtime's intrinsic functions.
CRYPTO_LIBS    = $(shell pkg-config --libs libcrypto)
# PCRE2: the runtime's regular expressions (Java's dialect; rt_regex_compile in eval.c)
PCRE2_LIBS     = $(shell pkg-config --libs libpcre2-8)
LIBS = $(JANSSON_LIBS) $(CRYPTO_LIBS) $(PCRE2_LIBS) -lm

SOURCES = $(wildcard compiler/*.c runtime/*.c)
GENERATED = build/parser.c build/lexer.c
OBJECTS = $(patsubst %.c,build/%.o,$(notdir $(SOURCES))) build/parser.o build/lexer.o
ASAN_OBJECTS = $(patsubst build/%,build/asan/%,$(OBJECTS))
DEPS_STAMP = build/deps.stamp
INCLUDES = -Icompiler -Iruntime -Ibuild
HEADERS = compiler/sfc.h compiler/model.h runtime/runtime.h runtime/interp.h runtime/jsonata.h runtime/match.h runtime/ruleset.h runtime/events.h

.PHONY: all example test bench docs-check install uninstall clean fuzz fuzz-asl fuzz-runtime differential
all: sfc

$(DEPS_STAMP): scripts/install-deps
	@mkdir -p build
	sh scripts/install-deps
	@touch $@

build/parser.c build/parser.h &: grammar/parser.y | $(DEPS_STAMP)
	bison -Wall -Wcounterexamples -o build/parser.c --header=build/parser.h grammar/parser.y

build/lexer.c build/lexer.h &: grammar/lexer.l build/parser.h | $(DEPS_STAMP)
	flex --header-file=build/lexer.h -o build/lexer.c grammar/lexer.l

# Every object waits for the generated headers: parse.c and the grammar need both.
build/%.o: compiler/%.c $(HEADERS) build/parser.h build/lexer.h | $(DEPS_STAMP)
	$(CC) $(WARNINGS) $(CFLAGS) $(INCLUDES) $(JANSSON_CFLAGS) -c $< -o $@
build/%.o: runtime/%.c $(HEADERS) | $(DEPS_STAMP)
	$(CC) $(WARNINGS) $(CFLAGS) $(INCLUDES) $(JANSSON_CFLAGS) -c $< -o $@
build/parser.o build/lexer.o: build/%.o: build/%.c $(HEADERS) build/parser.h build/lexer.h
	$(CC) $(WARNINGS) $(CFLAGS) $(INCLUDES) $(JANSSON_CFLAGS) -c $< -o $@

sfc: $(OBJECTS)
	$(CC) $(CFLAGS) -o $@ $(OBJECTS) $(LIBS)

# The test build also has output.c's fault injection (SFC_FAULT_RENAME, SFC_FAULT_PAUSE).
build/asan/%.o: compiler/%.c $(HEADERS) build/parser.h build/lexer.h | $(DEPS_STAMP)
	@mkdir -p build/asan
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) -DSFC_FAULT_INJECTION $(INCLUDES) $(JANSSON_CFLAGS) -c $< -o $@
build/asan/%.o: runtime/%.c $(HEADERS) | $(DEPS_STAMP)
	@mkdir -p build/asan
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) $(INCLUDES) $(JANSSON_CFLAGS) -c $< -o $@
build/asan/parser.o build/asan/lexer.o: build/asan/%.o: build/%.c $(HEADERS) build/parser.h build/lexer.h
	@mkdir -p build/asan
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) $(INCLUDES) $(JANSSON_CFLAGS) -c $< -o $@

build/asan/sfc: $(ASAN_OBJECTS)
	$(CC) $(SANITIZE) -o $@ $(ASAN_OBJECTS) $(LIBS)

build/asan/test_paths: tests/unit/test_paths.c compiler/paths.c compiler/sfc.h
	@mkdir -p build/asan
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) -Icompiler tests/unit/test_paths.c compiler/paths.c -o $@

build/asan/test_names: tests/unit/test_names.c compiler/names.c compiler/util.c compiler/diag.c compiler/json_out.c $(HEADERS) | $(DEPS_STAMP)
	@mkdir -p build/asan
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) -Icompiler $(JANSSON_CFLAGS) tests/unit/test_names.c compiler/names.c compiler/util.c compiler/diag.c compiler/json_out.c -o $@ $(JANSSON_LIBS)

# The unit tests that link the whole program but main.o (the runtime uses the
# compiler's util.c, names.c and json_out.c; test_patterns checks lower.c too), each
# tests/unit/NAME.c:
#   test_jsonata        the JSONata parser and evaluator; --suite DIR runs the reference
#                       suite (tests/jsonata), --eval EXPR [INPUT.json] one expression
#   test_jsonata_str    number text, JSON text and JavaScript regular expressions against
#                       node's; --numbers FILE checks many numbers at once
#   test_jsonata_seq    the JSONata signatures (jsonata_fn.c) and array functions
#   test_patterns       the pattern checker, and plain_value
#   test_match          the pattern matcher (runtime/match.c), and that the checker agrees
#   test_events         the event shapes and target input rendering (event.c, transform.c)
#   test_ruleset        the rule index (runtime/ruleset.c) against the naive loop
#   test_runtime_interp the interpreter; --executions FILE runs the AWS-recorded ones
PROGRAM_TESTS = test_jsonata test_jsonata_str test_jsonata_seq test_patterns test_match \
                test_events test_ruleset test_runtime_interp
PROGRAM_OBJECTS = $(filter-out build/asan/main.o,$(ASAN_OBJECTS))
$(PROGRAM_TESTS:%=build/asan/%): build/asan/%: tests/unit/%.c tests/unit/json_value.h $(PROGRAM_OBJECTS) $(HEADERS)
	@mkdir -p build/asan
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) $(INCLUDES) $(JANSSON_CFLAGS) $< $(PROGRAM_OBJECTS) -o $@ $(LIBS)

# The runtime's JSONPath, intrinsics and templates; `test_runtime_eval --corpus FILE`
# runs the recorded single-Pass executions of aws-recorded-sfn (tests/runtime/eval.sh).
RUNTIME_EVAL_SOURCES = runtime/eval.c runtime/jsonpath.c runtime/intrinsics.c compiler/asl_rules.c compiler/json.c compiler/diag.c compiler/json_out.c compiler/util.c
build/asan/test_runtime_eval: tests/unit/test_runtime_eval.c $(RUNTIME_EVAL_SOURCES) $(HEADERS) | $(DEPS_STAMP)
	@mkdir -p build/asan
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) $(INCLUDES) $(JANSSON_CFLAGS) tests/unit/test_runtime_eval.c $(RUNTIME_EVAL_SOURCES) -o $@ $(LIBS)

build/asan/test_schedule: tests/unit/test_schedule.c compiler/schedule.c compiler/util.c compiler/diag.c compiler/json_out.c compiler/sfc.h | $(DEPS_STAMP)
	@mkdir -p build/asan
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) -Icompiler $(JANSSON_CFLAGS) tests/unit/test_schedule.c compiler/schedule.c compiler/util.c compiler/diag.c compiler/json_out.c -o $@ $(JANSSON_LIBS)

# The runtime against the AWS-recorded corpus (tests/runtime/run.sh); not a unit test
# (it needs ../shared/corpus), so not named test_*.
build/asan/runtime_corpus: tests/runtime/corpus.c $(PROGRAM_OBJECTS) $(HEADERS)
	@mkdir -p build/asan
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) $(INCLUDES) $(JANSSON_CFLAGS) tests/runtime/corpus.c $(PROGRAM_OBJECTS) -o $@ $(LIBS)

# sfc fmt over redrawn layouts of the repository's files (tests/fmt/run.sh).
build/asan/fmt_relayout: tests/fmt/relayout.c tests/fmt/compiled.h $(PROGRAM_OBJECTS) $(HEADERS)
	@mkdir -p build/asan
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) $(INCLUDES) $(JANSSON_CFLAGS) tests/fmt/relayout.c $(PROGRAM_OBJECTS) -o $@ $(LIBS)

# The differential test's batch driver (tests/differential): the runtime under the
# sanitizers, many executions per process.
build/asan/diff_driver: tests/differential/driver.c $(PROGRAM_OBJECTS) $(HEADERS)
	@mkdir -p build/asan
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) $(INCLUDES) $(JANSSON_CFLAGS) tests/differential/driver.c $(PROGRAM_OBJECTS) -o $@ $(LIBS)

# Not part of `make test`: the differential test on more cases (DIFF_COUNT from DIFF_SEED,
# the first DIFF_CLI of them also through `sfc run`).
DIFF_COUNT ?= 50000
DIFF_SEED ?= 1000
DIFF_CLI ?= 2000
differential: build/asan/diff_driver build/asan/sfc
	node tests/differential/diff.js --driver build/asan/diff_driver --seed $(DIFF_SEED) --count $(DIFF_COUNT) --sfc build/asan/sfc --cli $(DIFF_CLI)

# libFuzzer over the front end: `make fuzz FUZZ_SECONDS=600` for a longer run.
FUZZ_SECONDS ?= 60
FUZZ_CC = clang
FUZZ_FLAGS = -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SOURCES = $(filter-out compiler/main.c,$(SOURCES)) build/parser.c build/lexer.c
build/fuzz/fuzz_sfc: tests/fuzz/fuzz_sfc.c tests/fuzz/fuzz_common.h $(FUZZ_SOURCES) $(HEADERS) build/parser.h build/lexer.h
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(INCLUDES) $(JANSSON_CFLAGS) tests/fuzz/fuzz_sfc.c $(FUZZ_SOURCES) -o $@ $(LIBS)

# The JSON parser and ASL checker of `sfc check FILE.json`: `make fuzz-asl`.
build/fuzz/fuzz_asl: tests/fuzz/fuzz_asl.c tests/fuzz/fuzz_common.h $(FUZZ_SOURCES) $(HEADERS) build/parser.h build/lexer.h
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(INCLUDES) $(JANSSON_CFLAGS) tests/fuzz/fuzz_asl.c $(FUZZ_SOURCES) -o $@ $(LIBS)

# The runtime: paths, intrinsics, templates, the interpreter, TestState: `make fuzz-runtime`.
build/fuzz/fuzz_runtime: tests/fuzz/fuzz_runtime.c $(FUZZ_SOURCES) $(HEADERS) build/parser.h build/lexer.h
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(INCLUDES) $(JANSSON_CFLAGS) tests/fuzz/fuzz_runtime.c $(FUZZ_SOURCES) -o $@ $(LIBS)

fuzz-runtime: build/fuzz/fuzz_runtime
	@mkdir -p build/fuzz/corpus-runtime
	cp tests/asl/*/*.json tests/fuzz/seeds/runtime/* build/fuzz/corpus-runtime/
	build/fuzz/fuzz_runtime -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=8192 -dict=tests/fuzz/runtime.dict build/fuzz/corpus-runtime

fuzz-asl: build/fuzz/fuzz_asl
	@mkdir -p build/fuzz/corpus-asl
	cp tests/asl/*/*.json tests/fuzz/seeds/*.json build/fuzz/corpus-asl/
	build/fuzz/fuzz_asl -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -dict=tests/fuzz/asl.dict build/fuzz/corpus-asl

fuzz: build/fuzz/fuzz_sfc
	@mkdir -p build/fuzz/corpus
	cp tests/compile/*.sf tests/errors/*.sf examples/*.sf tests/fuzz/seeds/*.sf build/fuzz/corpus/ 2>/dev/null || true
	build/fuzz/fuzz_sfc -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -dict=tests/fuzz/sf.dict build/fuzz/corpus

example: sfc
	./sfc examples/upload.sf -o out

# Test dependencies (node, npm, clang) are installed first, then every binary the
# suite runs is built: the sanitizer build, the unit tests, the fuzz target, and
# ./sfc itself, so CI's WERROR=1 covers the release flags too.
test:
	sh scripts/install-deps --test
	$(MAKE) sfc build/asan/sfc build/asan/test_paths build/asan/test_names build/asan/test_patterns build/asan/test_match build/asan/test_events build/asan/test_ruleset build/asan/test_schedule build/asan/test_jsonata build/asan/test_jsonata_seq build/asan/test_jsonata_str build/asan/test_runtime_eval build/asan/test_runtime_interp build/asan/runtime_corpus build/asan/fmt_relayout build/fuzz/fuzz_sfc build/fuzz/fuzz_asl build/fuzz/fuzz_runtime build/fuzz/fuzz_jsonata build/fuzz/fuzz_match build/fuzz/fuzz_fmt build/bench/match_bench build/asan/diff_driver
	SFC=build/asan/sfc sh tests/run

# Not part of `make test`: generates inputs into build/bench/ and takes a minute or two.
bench: sfc
	sh scripts/bench

# Not part of `make test`: renders the examples' docs to PNG for a person to look at
# (Mermaid through Debian's chromium, Graphviz), into build/docs-png/.
docs-check: sfc
	./sfc docs -q examples/*.sf -o build/docs
	sh tests/docs/render.sh build/docs build/docs-png

# What `make install` writes: tests/man/run.sh checks exactly these files and modes.
install: sfc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 sfc $(DESTDIR)$(BINDIR)/sfc
	install -m 644 compiler/sfc.1 $(DESTDIR)$(MAN1DIR)/sfc.1
	install -m 644 compiler/completions/sfc.bash $(DESTDIR)$(BASHCOMPDIR)/sfc
	install -m 644 compiler/completions/_sfc $(DESTDIR)$(ZSHCOMPDIR)/_sfc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sfc $(DESTDIR)$(MAN1DIR)/sfc.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/sfc $(DESTDIR)$(ZSHCOMPDIR)/_sfc

clean:
	rm -rf build sfc

# Not part of `make test`: sfc's JSONata evaluator against npm jsonata 2.0.6 on N generated
# cases from seed SEED (tests/jsonata/differential.sh runs 2000 in the suite).
.PHONY: jsonata-differential
jsonata-differential: build/asan/test_jsonata
	JSONATA_DIFF_COUNT=$(or $(N),100000) JSONATA_DIFF_SEED=$(or $(SEED),1) sh tests/jsonata/differential.sh

# The JSONata parser and evaluator: `make fuzz-jsonata` (tests/fuzz/jsonata.sh runs it briefly).
build/fuzz/fuzz_jsonata: tests/fuzz/fuzz_jsonata.c $(FUZZ_SOURCES) $(HEADERS) build/parser.h build/lexer.h
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(INCLUDES) $(JANSSON_CFLAGS) tests/fuzz/fuzz_jsonata.c $(FUZZ_SOURCES) -o $@ $(LIBS)

# sfc fmt: every layout reads back as the same tokens and compiles to the same outputs:
# `make fuzz-fmt` (tests/fmt/run.sh runs it briefly).
build/fuzz/fuzz_fmt: tests/fuzz/fuzz_fmt.c tests/fmt/compiled.h $(FUZZ_SOURCES) $(HEADERS) build/parser.h build/lexer.h
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(INCLUDES) $(JANSSON_CFLAGS) tests/fuzz/fuzz_fmt.c $(FUZZ_SOURCES) -o $@ $(LIBS)

.PHONY: fuzz-fmt
fuzz-fmt: build/fuzz/fuzz_fmt
	@mkdir -p build/fuzz/corpus-fmt
	cp tests/compile/*.sf tests/errors/*.sf examples/*.sf tests/fmt/*.sf tests/fuzz/seeds/*.sf build/fuzz/corpus-fmt/ 2>/dev/null || true
	build/fuzz/fuzz_fmt -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=4096 -dict=tests/fuzz/sf.dict build/fuzz/corpus-fmt

.PHONY: fuzz-jsonata
fuzz-jsonata: build/fuzz/fuzz_jsonata
	@mkdir -p build/fuzz/corpus-jsonata
	cp tests/fuzz/seeds/jsonata/* build/fuzz/corpus-jsonata/
	build/fuzz/fuzz_jsonata -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=4096 -dict=tests/fuzz/jsonata.dict build/fuzz/corpus-jsonata

# The pattern matcher, its checker and the rule index: `make fuzz-match` (tests/fuzz/match.sh
# runs it briefly). It aborts where patterns.c and match.c disagree on a pattern's validity.
build/fuzz/fuzz_match: tests/fuzz/fuzz_match.c tests/unit/json_value.h $(FUZZ_SOURCES) $(HEADERS) build/parser.h build/lexer.h
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(INCLUDES) $(JANSSON_CFLAGS) tests/fuzz/fuzz_match.c $(FUZZ_SOURCES) -o $@ $(LIBS)

.PHONY: fuzz-match
fuzz-match: build/fuzz/fuzz_match
	@mkdir -p build/fuzz/corpus-match
	cp tests/fuzz/seeds/match/* build/fuzz/corpus-match/
	build/fuzz/fuzz_match -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=4096 -dict=tests/fuzz/match.dict build/fuzz/corpus-match

# The JSONata part of `make bench`: sfc's evaluator (release flags, no sanitizers) against
# npm jsonata 2.0.6 on typical Step Functions expressions over a generated ~1 MB input
# (tests/jsonata/bench.js); ratios, not timed assertions.
build/bench/jsonata_bench: tests/jsonata/bench.c $(filter-out build/main.o,$(OBJECTS)) $(HEADERS)
	@mkdir -p build/bench
	$(CC) $(WARNINGS) $(CFLAGS) $(INCLUDES) $(JANSSON_CFLAGS) tests/jsonata/bench.c $(filter-out build/main.o,$(OBJECTS)) -o $@ $(LIBS)

# The rule index (runtime/ruleset.c) against the naive loop over every rule's mt_match:
# 1000 generated rules, 1,000,000 events (tests/match/bench.c); part of `make bench`.
build/bench/match_bench: tests/match/bench.c $(filter-out build/main.o,$(OBJECTS)) $(HEADERS)
	@mkdir -p build/bench
	$(CC) $(WARNINGS) $(CFLAGS) $(INCLUDES) $(JANSSON_CFLAGS) tests/match/bench.c $(filter-out build/main.o,$(OBJECTS)) -o $@ $(LIBS)

.PHONY: bench-match
bench-match: build/bench/match_bench
	build/bench/match_bench
bench: bench-match

.PHONY: bench-jsonata
bench-jsonata: build/bench/jsonata_bench
	node tests/jsonata/bench.js --driver build/bench/jsonata_bench
bench: bench-jsonata
