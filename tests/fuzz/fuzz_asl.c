/* fuzz_asl.c: libFuzzer target for `sfc check FILE.json`: the JSON parser with
   positions (json.c) and the ASL checker (asl_check.c). Any input must give
   diagnostics, never a crash, a leak, undefined behaviour or deep recursion.
   Built by `make build/fuzz/fuzz_asl`; `make fuzz-asl` runs it longer. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return fuzz_one("fuzz.asl.json", data, size);
}
