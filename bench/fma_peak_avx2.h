// The yardstick of the encoder benchmark: the float32 multiply-add rate one core (or several) can
// sustain here, measured rather than read from a data sheet, so a matrix product's speed can be put
// as a share of what the machine can do at all.
#pragma once

#include <cstddef>

// GFLOP/s (an FMA counts as 2) of `threads` threads each running independent AVX2 FMA chains for
// about `seconds`; the sum over threads.
double measure_fma_peak_gflops(std::size_t threads, double seconds);
