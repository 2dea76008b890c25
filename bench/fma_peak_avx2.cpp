#include "fma_peak_avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace {

// 12 independent chains (named, so they live in registers at any optimization level) hide the FMA
// latency behind both FMA pipes; 8 float lanes each.
constexpr int kChains = 12;
constexpr long kInnerIterations = 1 << 16;

float run_chains(long rounds) {
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  __m256 c0 = _mm256_set1_ps(0.00f), c1 = _mm256_set1_ps(0.01f), c2 = _mm256_set1_ps(0.02f),
         c3 = _mm256_set1_ps(0.03f), c4 = _mm256_set1_ps(0.04f), c5 = _mm256_set1_ps(0.05f),
         c6 = _mm256_set1_ps(0.06f), c7 = _mm256_set1_ps(0.07f), c8 = _mm256_set1_ps(0.08f),
         c9 = _mm256_set1_ps(0.09f), c10 = _mm256_set1_ps(0.10f), c11 = _mm256_set1_ps(0.11f);
  for (long r = 0; r < rounds; ++r) {
    for (long i = 0; i < kInnerIterations; ++i) {
      c0 = _mm256_fmadd_ps(c0, a, b);
      c1 = _mm256_fmadd_ps(c1, a, b);
      c2 = _mm256_fmadd_ps(c2, a, b);
      c3 = _mm256_fmadd_ps(c3, a, b);
      c4 = _mm256_fmadd_ps(c4, a, b);
      c5 = _mm256_fmadd_ps(c5, a, b);
      c6 = _mm256_fmadd_ps(c6, a, b);
      c7 = _mm256_fmadd_ps(c7, a, b);
      c8 = _mm256_fmadd_ps(c8, a, b);
      c9 = _mm256_fmadd_ps(c9, a, b);
      c10 = _mm256_fmadd_ps(c10, a, b);
      c11 = _mm256_fmadd_ps(c11, a, b);
    }
  }
  __m256 sum = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)),
                             _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(c6, c7)));
  sum = _mm256_add_ps(sum, _mm256_add_ps(_mm256_add_ps(c8, c9), _mm256_add_ps(c10, c11)));
  alignas(32) float out[8];
  _mm256_store_ps(out, sum);
  return out[0];
}

}  // namespace

double measure_fma_peak_gflops(std::size_t threads, double seconds) {
  using clock = std::chrono::steady_clock;
  // Results go to a volatile sink, or the compiler may drop the calls whose value is unused.
  volatile float sink_calibration = run_chains(4);  // warm up the clocks
  // Calibrate one thread's rounds to the requested time, then run that many on every thread at once.
  auto t0 = clock::now();
  sink_calibration = sink_calibration + run_chains(16);
  const double per_round = std::chrono::duration<double>(clock::now() - t0).count() / 16;
  const long rounds = std::max(1L, static_cast<long>(seconds / per_round));
  std::atomic<float> sink{0.0f};
  std::vector<std::thread> pool;
  auto start = clock::now();
  for (std::size_t t = 0; t < threads; ++t) pool.emplace_back([&] { sink = sink + run_chains(rounds); });
  for (auto& th : pool) th.join();
  const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
  const double flops = 2.0 * 8 * kChains * static_cast<double>(kInnerIterations) * static_cast<double>(rounds) *
                       static_cast<double>(threads);
  return sink.load() == -1.0f ? 0.0 : flops / elapsed / 1e9;
}
