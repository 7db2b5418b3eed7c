/* fuzz_sfc.c: libFuzzer target for the whole .sf pipeline: scanner, parser,
   checker, lowering, the ASL checker on the lowered documents, rules and IAM. Any
   input, however malformed, must give diagnostics, never a crash, a leak or
   undefined behaviour. Built and run by `make fuzz` (and briefly by `make test`). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_one("fuzz.sf", data, size); }
