#include "index/block_kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "index/dot_kernels.h"
#include "index/quantized.h"

namespace cinerec::detail {
namespace {

std::vector<const BlockKernels*> kernel_sets() {
  std::vector<const BlockKernels*> ks{&portable_block_kernels()};
  if (cpu_has_avx2_fma() && __builtin_cpu_supports("f16c")) ks.push_back(&avx2_block_kernels());
  return ks;
}

TEST(BlockKernels, ChosenSetIsTheAvx2OneWhenTheCpuHasIt) {
  const bool avx2 = cpu_has_avx2_fma() && __builtin_cpu_supports("f16c");
  EXPECT_STREQ(chosen_block_kernels().name, avx2 ? "avx2-fma" : "portable");
}

// Row-block x query-block shapes around every kernel block size (8, 3, 4, 2) and dims around the
// SIMD widths (8 floats, 32 bytes); rows start at odd offsets so no load is aligned.
struct Shape {
  std::size_t nrows, nq, dim;
};
std::vector<Shape> shapes() {
  std::vector<Shape> s;
  for (std::size_t dim : {1u, 7u, 8u, 9u, 31u, 32u, 33u, 100u, 1536u})
    for (std::size_t nrows : {1u, 2u, 3u, 5u, 8u, 11u, 25u})
      for (std::size_t nq : {1u, 2u, 3u, 4u, 5u, 9u}) s.push_back({nrows, nq, dim});
  return s;
}

TEST(BlockKernels, Float32MatchesDoubleReference) {
  std::mt19937 rng(5);
  std::normal_distribution<float> g;
  for (const BlockKernels* k : kernel_sets()) {
    for (const Shape& sh : shapes()) {
      std::vector<float> store(sh.nrows * (sh.dim + 1) + 1), queries(sh.nq * sh.dim + 1);
      for (auto& x : store) x = g(rng);
      for (auto& x : queries) x = g(rng);
      std::vector<const float*> rows(sh.nrows);
      for (std::size_t r = 0; r < sh.nrows; ++r) rows[r] = store.data() + 1 + r * (sh.dim + 1);  // misaligned, gaps
      const float* q = queries.data() + 1;
      const std::size_t ld = sh.nrows + 3;
      std::vector<float> out(sh.nq * ld, -99.0f);
      // The prefetch hint covers the rows themselves: a hint must never change a result.
      k->f32(rows.data(), sh.nrows, q, sh.nq, sh.dim, out.data(), ld, {store.data(), store.size() * sizeof(float)});
      for (std::size_t qi = 0; qi < sh.nq; ++qi)
        for (std::size_t r = 0; r < sh.nrows; ++r) {
          double want = 0, mag = 0;
          for (std::size_t d = 0; d < sh.dim; ++d) {
            want += double(q[qi * sh.dim + d]) * rows[r][d];
            mag += std::fabs(double(q[qi * sh.dim + d]) * rows[r][d]);
          }
          ASSERT_NEAR(out[qi * ld + r], want, 1e-6 * mag + 1e-7)
              << k->name << " rows " << sh.nrows << " nq " << sh.nq << " dim " << sh.dim;
        }
      // Padding between ld and nrows is never written.
      for (std::size_t qi = 0; qi < sh.nq; ++qi) ASSERT_EQ(out[qi * ld + sh.nrows], -99.0f);
    }
  }
}

TEST(BlockKernels, Float16MatchesDoubleReferenceOnDecodedRows) {
  std::mt19937 rng(6);
  std::normal_distribution<float> g;
  for (const BlockKernels* k : kernel_sets()) {
    for (const Shape& sh : shapes()) {
      std::vector<std::uint16_t> store(sh.nrows * sh.dim + 1);
      for (auto& h : store) h = f32_to_f16(g(rng));
      std::vector<float> queries(sh.nq * sh.dim);
      for (auto& x : queries) x = g(rng);
      std::vector<const std::uint16_t*> rows(sh.nrows);
      for (std::size_t r = 0; r < sh.nrows; ++r) rows[r] = store.data() + 1 + r * sh.dim;
      std::vector<float> out(sh.nq * sh.nrows);
      k->f16(rows.data(), sh.nrows, queries.data(), sh.nq, sh.dim, out.data(), sh.nrows,
             {store.data(), store.size() * sizeof(std::uint16_t)});
      for (std::size_t qi = 0; qi < sh.nq; ++qi)
        for (std::size_t r = 0; r < sh.nrows; ++r) {
          double want = 0, mag = 0;
          for (std::size_t d = 0; d < sh.dim; ++d) {
            const double p = double(queries[qi * sh.dim + d]) * f16_to_f32(rows[r][d]);
            want += p;
            mag += std::fabs(p);
          }
          ASSERT_NEAR(out[qi * sh.nrows + r], want, 1e-6 * mag + 1e-7) << k->name << " dim " << sh.dim;
        }
    }
  }
}

// A row's score must not depend on the block it is scored in (R rows x Q queries, the single-query
// path or the batched one): the scan relies on it for results identical across thread counts and
// batch sizes. Every shape's scores are compared bit for bit with scoring each (row, query) alone.
TEST(BlockKernels, FloatScoresAreBitIdenticalWhateverTheBlock) {
  std::mt19937 rng(8);
  std::normal_distribution<float> g;
  for (const BlockKernels* k : kernel_sets()) {
    for (const Shape& sh : shapes()) {
      std::vector<float> store(sh.nrows * sh.dim), queries(sh.nq * sh.dim);
      for (auto& x : store) x = g(rng);
      for (auto& x : queries) x = g(rng);
      std::vector<std::uint16_t> halves(store.size());
      k->to_f16(store.data(), halves.data(), store.size());
      std::vector<const float*> rows(sh.nrows);
      std::vector<const std::uint16_t*> hrows(sh.nrows);
      for (std::size_t r = 0; r < sh.nrows; ++r) {
        rows[r] = store.data() + r * sh.dim;
        hrows[r] = halves.data() + r * sh.dim;
      }
      std::vector<float> out(sh.nq * sh.nrows), hout(sh.nq * sh.nrows);
      k->f32(rows.data(), sh.nrows, queries.data(), sh.nq, sh.dim, out.data(), sh.nrows, {});
      k->f16(hrows.data(), sh.nrows, queries.data(), sh.nq, sh.dim, hout.data(), sh.nrows, {});
      for (std::size_t qi = 0; qi < sh.nq; ++qi)
        for (std::size_t r = 0; r < sh.nrows; ++r) {
          float alone = 0, halone = 0;
          k->f32(&rows[r], 1, queries.data() + qi * sh.dim, 1, sh.dim, &alone, 1, {});
          k->f16(&hrows[r], 1, queries.data() + qi * sh.dim, 1, sh.dim, &halone, 1, {});
          ASSERT_EQ(out[qi * sh.nrows + r], alone) << k->name << " f32 rows " << sh.nrows << " nq " << sh.nq
                                                   << " dim " << sh.dim;
          ASSERT_EQ(hout[qi * sh.nrows + r], halone) << k->name << " f16 rows " << sh.nrows << " nq " << sh.nq
                                                     << " dim " << sh.dim;
        }
    }
  }
}

TEST(BlockKernels, Int8IsExactIncludingExtremeCodes) {
  std::mt19937 rng(8);
  std::uniform_int_distribution<int> u(-127, 127);
  for (const BlockKernels* k : kernel_sets()) {
    for (const Shape& sh : shapes()) {
      std::vector<std::int8_t> store(sh.nrows * sh.dim + 1), queries(sh.nq * sh.dim);
      for (auto& x : store) x = static_cast<std::int8_t>(u(rng));
      for (auto& x : queries) x = static_cast<std::int8_t>(u(rng));
      // One row/query pair at the extremes: the largest possible pair sums must not saturate.
      for (std::size_t d = 0; d < sh.dim; ++d) {
        store[1 + d] = static_cast<std::int8_t>(d % 2 ? -127 : 127);
        queries[d] = static_cast<std::int8_t>(d % 2 ? -127 : 127);
      }
      std::vector<const std::int8_t*> rows(sh.nrows);
      for (std::size_t r = 0; r < sh.nrows; ++r) rows[r] = store.data() + 1 + r * sh.dim;
      std::vector<std::int32_t> out(sh.nq * sh.nrows);
      k->i8(rows.data(), sh.nrows, queries.data(), sh.nq, sh.dim, out.data(), sh.nrows, {store.data(), store.size()});
      for (std::size_t qi = 0; qi < sh.nq; ++qi)
        for (std::size_t r = 0; r < sh.nrows; ++r) {
          std::int64_t want = 0;
          for (std::size_t d = 0; d < sh.dim; ++d) want += std::int64_t(queries[qi * sh.dim + d]) * rows[r][d];
          ASSERT_EQ(out[qi * sh.nrows + r], want) << k->name << " dim " << sh.dim;
        }
      EXPECT_EQ(out[0], std::int32_t(127 * 127 * sh.dim));
    }
  }
}

std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float from_bits(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

TEST(Half, EveryHalfRoundTripsThroughFloat) {
  for (std::uint32_t h = 0; h < 0x10000u; ++h) {
    const float f = f16_to_f32(static_cast<std::uint16_t>(h));
    const bool nan = (h & 0x7c00u) == 0x7c00u && (h & 0x3ffu);
    if (nan) {
      EXPECT_TRUE(std::isnan(f));
    } else {
      EXPECT_EQ(f32_to_f16(f), h) << std::hex << h;
    }
  }
  EXPECT_EQ(f16_to_f32(0x3c00), 1.0f);
  EXPECT_EQ(f16_to_f32(0xc000), -2.0f);
  EXPECT_EQ(f16_to_f32(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(f16_to_f32(0x7bff), 65504.0f);
}

TEST(Half, RoundsToNearestEvenLikeNumpy) {
  // Hand-checked against numpy.float16: halfway cases go to the even mantissa.
  EXPECT_EQ(f32_to_f16(1.0f + std::ldexp(1.0f, -11)), 0x3c00);            // tie -> even (down)
  EXPECT_EQ(f32_to_f16(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);        // tie -> even (up)
  EXPECT_EQ(f32_to_f16(65519.0f), 0x7bff);
  EXPECT_EQ(f32_to_f16(65520.0f), 0x7c00);                                 // overflow to Inf
  EXPECT_EQ(f32_to_f16(std::ldexp(1.0f, -25)), 0x0000);                    // tie at the bottom -> 0
  EXPECT_EQ(f32_to_f16(std::ldexp(1.5f, -25)), 0x0001);
  EXPECT_EQ(f32_to_f16(-0.0f), 0x8000);
}

TEST(Half, SimdConversionMatchesScalarBitForBit) {
  std::mt19937 rng(11);
  std::vector<float> values;
  std::uniform_int_distribution<std::uint32_t> any;
  for (int i = 0; i < 200000; ++i) {
    float f = from_bits(any(rng));
    if (std::isnan(f)) continue;
    values.push_back(f);
  }
  // Dense sweep around the subnormal/normal boundary and the overflow edge.
  for (std::uint32_t u = bits(std::ldexp(1.0f, -26)); u < bits(std::ldexp(1.0f, -13)); u += 97) values.push_back(from_bits(u));
  for (std::uint32_t u = bits(65000.0f); u < bits(66000.0f); u += 3) values.push_back(from_bits(u));
  for (const BlockKernels* k : kernel_sets()) {
    std::vector<std::uint16_t> out(values.size());
    k->to_f16(values.data(), out.data(), values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
      ASSERT_EQ(out[i], f32_to_f16(values[i])) << k->name << " value " << values[i];
  }
}

TEST(Int8Quantizer, CodesSpanTheRangeAndReconstructWithinHalfAStep) {
  std::mt19937 rng(12);
  std::normal_distribution<float> g;
  for (std::size_t n : {1u, 5u, 384u, 1536u}) {
    std::vector<float> v(n);
    for (auto& x : v) x = g(rng);
    std::vector<std::int8_t> codes(n);
    const float scale = quantize_int8(v.data(), n, codes.data());
    int max_code = 0;
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_GE(codes[i], -127);
      max_code = std::max(max_code, std::abs(int(codes[i])));
      EXPECT_LE(std::fabs(scale * codes[i] - v[i]), scale * 0.5f * 1.0001f);
    }
    EXPECT_EQ(max_code, 127);
  }
  std::vector<float> zero(10, 0.0f);
  std::vector<std::int8_t> codes(10, 5);
  EXPECT_EQ(quantize_int8(zero.data(), 10, codes.data()), 0.0f);
  for (auto c : codes) EXPECT_EQ(c, 0);
}

}  // namespace
}  // namespace cinerec::detail
