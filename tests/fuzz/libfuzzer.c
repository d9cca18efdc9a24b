/* libFuzzer target of one gapneb parser, chosen at build time by GN_FUZZ_TARGET (an index into
 * gn_fuzz_names of tests/fuzz_targets.h): built by ./configure --enable-fuzzers CC=clang as
 * fuzz/fuzz-NAME, run by make fuzz (or by hand: fuzz/fuzz-xyz -max_total_time=60 DIR). A crash
 * it finds goes into tests/fuzz/NAME/ so that make check replays it ever after. */
#include "../fuzz_targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gn_fuzz_one(GN_FUZZ_TARGET, data, size);
    return 0;
}
