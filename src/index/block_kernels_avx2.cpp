// AVX2/FMA/F16C block kernels; compiled with -mavx2 -mfma -mf16c and reached only through
// chosen_block_kernels(), so other CPUs never execute them.
//
// Each micro-kernel keeps an R x Q grid of accumulators in registers: every 8 (or 32) elements of the
// R rows are loaded once and multiplied with Q queries, so memory traffic per row is shared by all
// queries. Every (row, query) score is accumulated in the same order whatever R and Q are, so a
// row's score does not depend on where it falls in a block or on how the scan is split over threads.
#include <immintrin.h>

#include "index/block_kernels.h"

namespace cinerec::detail {
namespace {

inline float hsum_ps(__m256 v) {
  __m128 lo = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  __m128 shuf = _mm_movehdup_ps(lo);
  __m128 sums = _mm_add_ps(lo, shuf);
  shuf = _mm_movehl_ps(shuf, sums);
  return _mm_cvtss_f32(_mm_add_ss(sums, shuf));
}

inline std::int32_t hsum_epi32(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(s);
}

// The Prefetch span spread evenly over the micro-kernel calls of one block-kernel call: each call
// requests its share of cache lines, one per step, so the next tile streams in at the pace of the
// arithmetic instead of in a burst that fills the miss queue (measured: a burst gains nothing).
struct PrefetchCursor {
  const char* next;
  const char* end;
  std::size_t per_call = 0;  // lines each micro-kernel call requests
  std::size_t left = 0;      // lines left in the current call
  PrefetchCursor(Prefetch p, std::size_t calls)
      : next(static_cast<const char*>(p.data)), end(static_cast<const char*>(p.data) + (p.data ? p.bytes : 0)) {
    const std::size_t lines = (std::size_t(end - next) + 63) / 64;
    per_call = calls ? (lines + calls - 1) / calls : 0;
  }
  inline void begin_call() { left = per_call; }
  inline void step() {
    if (left != 0 && next < end) {
      _mm_prefetch(next, _MM_HINT_T1);
      next += 64;
      --left;
    }
  }
};

inline __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
inline __m256 load8(const std::uint16_t* p) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }
inline float load1(const float* p) { return *p; }
inline float load1(const std::uint16_t* p) { return _cvtsh_ss(*p); }

// Float rows (float32 or binary16, converted on load) against float32 queries, with C accumulator
// chains per (row, query): chunk j of 8 elements goes to chain j mod C, a choice that depends only on
// the position in the row, so a row's score does not depend on R and Q (nor on where it falls in a
// block). One chain suffices for float32, whose single query is memory-bound anyway, and leaves room
// for 3 x 4 blocks (the batched scan is compute-bound). For binary16 a single chain is bound by the
// FMA latency plus the conversion, below what memory delivers; two chains make it memory-bound
// (200k x 1536, one query: 21.4 -> 19.5 ms). C x R x Q accumulators, R row chunks and a query chunk
// must fit in the 16 AVX2 registers.
template <class Row, int C, int R, int Q>
struct FloatMicro {
  static_assert(C * R * Q + R + 1 <= 16);
  static void run(const Row* const* rows, const float* queries, std::size_t dim, float* out, std::size_t ld,
                  PrefetchCursor& pf) {
    pf.begin_call();
    __m256 acc[C][R][Q];
    for (int c = 0; c < C; ++c)
      for (int r = 0; r < R; ++r)
        for (int q = 0; q < Q; ++q) acc[c][r][q] = _mm256_setzero_ps();
    auto chunk = [&](int c, std::size_t i) {
      __m256 rv[R];
      for (int r = 0; r < R; ++r) rv[r] = load8(rows[r] + i);
      for (int q = 0; q < Q; ++q) {
        const __m256 qv = _mm256_loadu_ps(queries + q * dim + i);
        for (int r = 0; r < R; ++r) acc[c][r][q] = _mm256_fmadd_ps(rv[r], qv, acc[c][r][q]);
      }
    };
    std::size_t i = 0;
    for (; i + 8 * C <= dim; i += 8 * C) {
      pf.step();
      for (int c = 0; c < C; ++c) chunk(c, i + 8 * c);
    }
    // At most C - 1 whole chunks remain; a fixed trip count keeps c a constant after unrolling, so
    // acc stays in registers.
    for (int c = 0; c + 1 < C; ++c)
      if (i + 8 <= dim) {
        chunk(c, i);
        i += 8;
      }
    for (int r = 0; r < R; ++r)
      for (int q = 0; q < Q; ++q) {
        __m256 sum = acc[0][r][q];
        for (int c = 1; c < C; ++c) sum = _mm256_add_ps(sum, acc[c][r][q]);
        float s = hsum_ps(sum);
        for (std::size_t j = i; j < dim; ++j) s += queries[q * dim + j] * load1(rows[r] + j);
        out[q * ld + r] = s;
      }
  }
};
template <int R, int Q>
using F32Micro = FloatMicro<float, 1, R, Q>;
template <int R, int Q>
using F16Micro = FloatMicro<std::uint16_t, 2, R, Q>;

template <int R, int Q>
struct I8Micro {
  static void run(const std::int8_t* const* rows, const std::int8_t* queries, std::size_t dim, std::int32_t* out,
                  std::size_t ld, PrefetchCursor& pf) {
    pf.begin_call();
    // maddubs multiplies unsigned by signed bytes: move each row element's sign onto the query byte
    // (|a| * sign(a)b = ab). With both in [-127, 127] a pair sum is at most 32258: no saturation.
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i acc[R][Q];
    for (int r = 0; r < R; ++r)
      for (int q = 0; q < Q; ++q) acc[r][q] = _mm256_setzero_si256();
    std::size_t i = 0;
    for (; i + 32 <= dim; i += 32) {
      pf.step();
      __m256i rv[R], ra[R];
      for (int r = 0; r < R; ++r) {
        rv[r] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rows[r] + i));
        ra[r] = _mm256_sign_epi8(rv[r], rv[r]);
      }
      for (int q = 0; q < Q; ++q) {
        const __m256i qv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(queries + q * dim + i));
        for (int r = 0; r < R; ++r) {
          const __m256i p16 = _mm256_maddubs_epi16(ra[r], _mm256_sign_epi8(qv, rv[r]));
          acc[r][q] = _mm256_add_epi32(acc[r][q], _mm256_madd_epi16(p16, ones));
        }
      }
    }
    for (int r = 0; r < R; ++r)
      for (int q = 0; q < Q; ++q) {
        std::int32_t s = hsum_epi32(acc[r][q]);
        for (std::size_t j = i; j < dim; ++j) s += std::int32_t(queries[q * dim + j]) * rows[r][j];
        out[q * ld + r] = s;
      }
  }
};

// All queries (4 at a time, then the remainder) against one block of R rows: the block is read from
// memory once and reused from L1 by every query, so memory traffic is spread evenly over the compute
// and the hardware prefetcher keeps up.
template <template <int, int> class M, int R, int QB, class RowT, class QT, class OutT>
inline void rows_block(const RowT* const* rows, const QT* queries, std::size_t nq, std::size_t dim, OutT* out,
                       std::size_t ld, PrefetchCursor& pf) {
  static_assert(QB >= 1 && QB <= 4);
  std::size_t q = 0;
  for (; q + QB <= nq; q += QB) M<R, QB>::run(rows, queries + q * dim, dim, out + q * ld, ld, pf);
  switch (nq - q) {
    case 3: if constexpr (QB > 3) M<R, 3>::run(rows, queries + q * dim, dim, out + q * ld, ld, pf); break;
    case 2: if constexpr (QB > 2) M<R, 2>::run(rows, queries + q * dim, dim, out + q * ld, ld, pf); break;
    case 1: if constexpr (QB > 1) M<R, 1>::run(rows, queries + q * dim, dim, out + q * ld, ld, pf); break;
    default: break;
  }
}

// rows_block for a run-time block height n in [1, N].
template <template <int, int> class M, int N, int QB, class RowT, class QT, class OutT>
inline void rows_block_rem(std::size_t n, const RowT* const* rows, const QT* queries, std::size_t nq,
                           std::size_t dim, OutT* out, std::size_t ld, PrefetchCursor& pf) {
  if constexpr (N >= 1) {
    if (n == N) return rows_block<M, N, QB>(rows, queries, nq, dim, out, ld, pf);
    rows_block_rem<M, N - 1, QB>(n, rows, queries, nq, dim, out, ld, pf);
  }
}

template <template <int, int> class M, int R, int QB, class RowT, class QT, class OutT>
inline void rows_loop(const RowT* const* rows, std::size_t nrows, const QT* queries, std::size_t nq,
                      std::size_t dim, OutT* out, std::size_t ld, PrefetchCursor& pf) {
  std::size_t r = 0;
  for (; r + R <= nrows; r += R) rows_block<M, R, QB>(rows + r, queries, nq, dim, out + r, ld, pf);
  if (r < nrows) rows_block_rem<M, R - 1, QB>(nrows - r, rows + r, queries, nq, dim, out + r, ld, pf);
}

// A single query is memory-bound and reads one row at a time (R1 = 1), a single sequential stream,
// which is what the hardware prefetcher follows best: on 200k x 1536, two or four interleaved rows
// measured 20-45 % slower for float32, and four rows 2.5x slower for int8. Batches use RB rows x QB
// queries so each loaded row chunk feeds QB queries.
template <template <int, int> class M, int R1, int RB, int QB, class RowT, class QT, class OutT>
void drive(const RowT* const* rows, std::size_t nrows, const QT* queries, std::size_t nq, std::size_t dim,
           OutT* out, std::size_t ld, Prefetch next) {
  const std::size_t r = nq == 1 ? R1 : RB;
  PrefetchCursor pf(next, (nrows + r - 1) / r * ((nq + QB - 1) / QB));
  if (nq == 1) {
    rows_loop<M, R1, 1>(rows, nrows, queries, 1, dim, out, ld, pf);
  } else {
    rows_loop<M, RB, QB>(rows, nrows, queries, nq, dim, out, ld, pf);
  }
}

void f32_avx2(const float* const* rows, std::size_t nrows, const float* queries, std::size_t nq, std::size_t dim,
              float* out, std::size_t ld, Prefetch next) {
  drive<F32Micro, 1, 3, 4>(rows, nrows, queries, nq, dim, out, ld, next);
}

void f16_avx2(const std::uint16_t* const* rows, std::size_t nrows, const float* queries, std::size_t nq,
              std::size_t dim, float* out, std::size_t ld, Prefetch next) {
  drive<F16Micro, 1, 3, 2>(rows, nrows, queries, nq, dim, out, ld, next);
}

void i8_avx2(const std::int8_t* const* rows, std::size_t nrows, const std::int8_t* queries, std::size_t nq,
             std::size_t dim, std::int32_t* out, std::size_t ld, Prefetch next) {
  drive<I8Micro, 1, 2, 4>(rows, nrows, queries, nq, dim, out, ld, next);
}

void to_f16_avx2(const float* in, std::uint16_t* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(in + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), h);
  }
  for (; i < n; ++i) out[i] = _cvtss_sh(in[i], _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

}  // namespace

const BlockKernels& avx2_block_kernels() {
  static const BlockKernels k{"avx2-fma", &f32_avx2, &f16_avx2, &i8_avx2, &to_f16_avx2};
  return k;
}

}  // namespace cinerec::detail
