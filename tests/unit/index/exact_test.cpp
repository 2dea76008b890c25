#include "index/exact.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "index/dot_kernels.h"

namespace cinerec {
namespace {

std::vector<float> random_vector(std::mt19937& rng, std::size_t n) {
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

double dot_double(const float* a, const float* b, std::size_t n) {
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += double(a[i]) * double(b[i]);
  return s;
}

double abs_sum(const float* a, const float* b, std::size_t n) {
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += std::fabs(double(a[i]) * double(b[i]));
  return s;
}

struct Kernel {
  const char* name;
  detail::DotFn fn;
};

std::vector<Kernel> available_kernels() {
  std::vector<Kernel> ks{{"portable", &detail::dot_portable}};
  if (detail::cpu_has_avx2_fma()) ks.push_back({"avx2-fma", &detail::dot_avx2});
  return ks;
}

TEST(DotKernel, DispatchNameMatchesCpu) {
  EXPECT_STREQ(dot_kernel_name(), detail::cpu_has_avx2_fma() ? "avx2-fma" : "portable");
}

TEST(DotKernel, EveryKernelMatchesDoubleReferenceAcrossLengthsAndAlignments) {
  std::mt19937 rng(42);
  const std::size_t lengths[] = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 100, 384, 1000, 1536, 3072};
  for (const Kernel& k : available_kernels()) {
    for (std::size_t n : lengths) {
      // Offsets 0..3 floats make the pointers deliberately misaligned for 32-byte loads.
      for (std::size_t off_a = 0; off_a < 4; ++off_a) {
        for (std::size_t off_b : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
          std::vector<float> a = random_vector(rng, n + off_a);
          std::vector<float> b = random_vector(rng, n + off_b);
          const float* pa = a.data() + off_a;
          const float* pb = b.data() + off_b;
          const double want = dot_double(pa, pb, n);
          const double tol = 1e-6 * abs_sum(pa, pb, n) + 1e-7;
          EXPECT_NEAR(k.fn(pa, pb, n), want, tol) << k.name << " n=" << n << " offsets " << off_a << "," << off_b;
        }
      }
    }
  }
}

TEST(DotKernel, KernelsAgreeAndDispatchedEqualsChosen) {
  std::mt19937 rng(7);
  for (std::size_t n : {5u, 8u, 1536u}) {
    auto a = random_vector(rng, n);
    auto b = random_vector(rng, n);
    EXPECT_EQ(dot(a.data(), b.data(), n), detail::chosen_dot()(a.data(), b.data(), n));
    if (detail::cpu_has_avx2_fma()) {
      EXPECT_NEAR(detail::dot_avx2(a.data(), b.data(), n), detail::dot_portable(a.data(), b.data(), n),
                  1e-5 * abs_sum(a.data(), b.data(), n));
    }
  }
}

TEST(DotKernel, ExactOnSmallIntegers) {
  // Small integers are exact in float, so every kernel must give the exact answer.
  std::vector<float> a(37), b(37);
  for (int i = 0; i < 37; ++i) {
    a[i] = float(i % 5 - 2);
    b[i] = float(i % 3 + 1);
  }
  double want = dot_double(a.data(), b.data(), 37);
  for (const Kernel& k : available_kernels()) EXPECT_EQ(k.fn(a.data(), b.data(), 37), float(want)) << k.name;
}

// Independent top-k: score every row in double, full sort by (score desc, row asc).
std::vector<ScoredRow> naive_top_k(const std::vector<float>& m, std::size_t rows, std::size_t dim,
                                   const float* q, std::size_t k, const std::vector<std::uint8_t>* allowed) {
  std::vector<std::pair<double, std::uint32_t>> all;
  for (std::size_t r = 0; r < rows; ++r) {
    if (allowed && !(*allowed)[r]) continue;
    all.push_back({dot_double(m.data() + r * dim, q, dim), std::uint32_t(r)});
  }
  std::sort(all.begin(), all.end(), [](auto& x, auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
  std::vector<ScoredRow> out;
  for (std::size_t i = 0; i < std::min(k, all.size()); ++i) out.push_back({all[i].second, float(all[i].first)});
  return out;
}

TEST(CosineTopK, MatchesNaiveSortForManyShapes) {
  std::mt19937 rng(1);
  for (std::size_t dim : {1u, 7u, 16u, 384u}) {
    for (std::size_t rows : {1u, 2u, 10u, 257u, 1000u}) {
      auto m = random_vector(rng, rows * dim);
      auto q = random_vector(rng, dim);
      MatrixView view{m.data(), rows, dim};
      for (std::size_t k : {1u, 3u, 10u, 2000u}) {
        auto got = cosine_top_k(view, q.data(), k, nullptr);
        auto want = naive_top_k(m, rows, dim, q.data(), k, nullptr);
        ASSERT_EQ(got.size(), want.size()) << "dim " << dim << " rows " << rows << " k " << k;
        for (std::size_t i = 0; i < got.size(); ++i) {
          // Random gaussian scores are far apart relative to float rounding, so rows must match.
          EXPECT_EQ(got[i].row, want[i].row) << "dim " << dim << " rows " << rows << " k " << k << " i " << i;
          EXPECT_NEAR(got[i].score, want[i].score, 1e-4 * std::max(1.0f, std::fabs(want[i].score)));
        }
      }
    }
  }
}

TEST(CosineTopK, TiesGoToLowerRow) {
  // Rows 0..9 all equal the query direction with three distinct scores; ties must come back in row order.
  const std::size_t dim = 8, rows = 10;
  std::vector<float> m(rows * dim, 0.0f);
  const float scales[] = {1, 2, 1, 2, 2, 1, 3, 1, 2, 3};
  for (std::size_t r = 0; r < rows; ++r) m[r * dim] = scales[r];
  std::vector<float> q(dim, 0.0f);
  q[0] = 1.0f;
  auto got = cosine_top_k({m.data(), rows, dim}, q.data(), 6);
  std::vector<std::uint32_t> rows_got;
  for (auto& s : got) rows_got.push_back(s.row);
  EXPECT_EQ(rows_got, (std::vector<std::uint32_t>{6, 9, 1, 3, 4, 8}));
  // The cut falls inside a tie: k=4 keeps rows 1 and 3 of the four rows scoring 2.
  got = cosine_top_k({m.data(), rows, dim}, q.data(), 4);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[2].row, 1u);
  EXPECT_EQ(got[3].row, 3u);
}

TEST(CosineTopK, AllEqualScoresKeepTheFirstRows) {
  const std::size_t dim = 3, rows = 20;
  std::vector<float> m(rows * dim, 0.5f);
  std::vector<float> q(dim, 1.0f);
  auto got = cosine_top_k({m.data(), rows, dim}, q.data(), 5);
  ASSERT_EQ(got.size(), 5u);
  for (std::uint32_t i = 0; i < 5; ++i) EXPECT_EQ(got[i].row, i);
}

TEST(CosineTopK, FilterAppliedDuringScanReturnsKWhenKPass) {
  std::mt19937 rng(3);
  const std::size_t rows = 500, dim = 32;
  auto m = random_vector(rng, rows * dim);
  auto q = random_vector(rng, dim);
  // Only every 50th row passes: 10 rows; most of the unfiltered top-10 are excluded.
  std::vector<std::uint8_t> allowed(rows, 0);
  for (std::size_t r = 0; r < rows; r += 50) allowed[r] = 1;
  auto got = cosine_top_k({m.data(), rows, dim}, q.data(), 10, &allowed);
  auto want = naive_top_k(m, rows, dim, q.data(), 10, &allowed);
  ASSERT_EQ(got.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(got[i].row, want[i].row);
    EXPECT_EQ(got[i].row % 50, 0u);
  }
  // Fewer passing rows than k: all of them, nothing else.
  auto three = cosine_top_k({m.data(), rows, dim}, q.data(), 3, &allowed);
  EXPECT_EQ(three.size(), 3u);
  auto many = cosine_top_k({m.data(), rows, dim}, q.data(), 50, &allowed);
  EXPECT_EQ(many.size(), 10u);
  std::vector<std::uint8_t> none(rows, 0);
  EXPECT_TRUE(cosine_top_k({m.data(), rows, dim}, q.data(), 5, &none).empty());
}

TEST(CosineTopK, EmptyInputsGiveEmptyResults) {
  std::vector<float> q(4, 1.0f);
  EXPECT_TRUE(cosine_top_k({nullptr, 0, 4}, q.data(), 5).empty());
  std::vector<float> m(8, 1.0f);
  EXPECT_TRUE(cosine_top_k({m.data(), 2, 4}, q.data(), 0).empty());
}

}  // namespace
}  // namespace cinerec
