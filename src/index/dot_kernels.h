// Internal to src/index: the individual dot-product kernels behind dot(), exposed so tests can force
// each one and so the scans can call the chosen kernel without re-dispatching per row.
#pragma once

#include <cstddef>

namespace cinerec::detail {

using DotFn = float (*)(const float* a, const float* b, std::size_t n);

// Plain C++; valid on every CPU. Four independent partial sums so the compiler can vectorize and the
// rounding is close to the SIMD kernel's.
float dot_portable(const float* a, const float* b, std::size_t n);

// AVX2 + FMA (dot_avx2.cpp). Only call when cpu_has_avx2_fma() is true. Pointers need no alignment.
float dot_avx2(const float* a, const float* b, std::size_t n);

// True when this CPU and OS support AVX2 and FMA; computed once.
bool cpu_has_avx2_fma();

// The kernel dot() uses; chosen once, on first use.
DotFn chosen_dot();

}  // namespace cinerec::detail

namespace cinerec::detail {
// hnswlib distance callbacks (1 - dot); `dim` points at a std::size_t. The AVX2 one lives in
// dot_avx2.cpp so the kernel inlines; only use it when cpu_has_avx2_fma().
float ip_distance_portable(const void* a, const void* b, const void* dim);
float ip_distance_avx2(const void* a, const void* b, const void* dim);
}  // namespace cinerec::detail
