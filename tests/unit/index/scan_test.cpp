// Batched, multithreaded and quantized scans against the single-query float32 search.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "index/block_kernels.h"
#include "index/dot_kernels.h"
#include "index/exact.h"
#include "index/quantized.h"
#include "index/synthetic.h"

namespace cinerec {
namespace {

std::vector<const detail::BlockKernels*> kernel_sets() {
  std::vector<const detail::BlockKernels*> ks{&detail::portable_block_kernels()};
  if (detail::cpu_has_avx2_fma() && __builtin_cpu_supports("f16c")) ks.push_back(&detail::avx2_block_kernels());
  return ks;
}

void expect_same(const std::vector<ScoredRow>& a, const std::vector<ScoredRow>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].row, b[i].row) << what << " rank " << i;
    EXPECT_EQ(a[i].score, b[i].score) << what << " rank " << i;
  }
}

TEST(Synthetic, DeterministicUnitNormAndPrefixStable) {
  SyntheticSpec spec{.rows = 3000, .dim = 33, .clusters = 5, .spread = 0.5f, .seed = 9};
  auto a = synthetic_unit_vectors(spec, 1);
  auto b = synthetic_unit_vectors(spec, 2);
  EXPECT_EQ(a, b);
  spec.rows = 100;
  auto c = synthetic_unit_vectors(spec, 1);
  EXPECT_TRUE(std::equal(c.begin(), c.end(), a.begin()));
  for (std::size_t r = 0; r < 3000; ++r) {
    double n = 0;
    for (std::size_t d = 0; d < 33; ++d) n += double(a[r * 33 + d]) * a[r * 33 + d];
    ASSERT_NEAR(n, 1.0, 1e-5);
  }
  spec.seed = 10;
  EXPECT_NE(synthetic_unit_vectors(spec, 1), c);
  spec.seed = 9;
  spec.first_row = 50;  // a window of the same sequence
  auto d = synthetic_unit_vectors(spec, 1);
  EXPECT_TRUE(std::equal(d.begin(), d.end(), a.begin() + 50 * 33));
}

TEST(BatchScan, EqualsSingleQueryForEveryKernelThreadCountAndFilter) {
  const std::size_t rows = 2500, dim = 40, nq = 70;  // 70 queries span more than one query chunk
  auto m = synthetic_unit_vectors({.rows = rows, .dim = dim, .clusters = 7, .seed = 1});
  auto q = synthetic_unit_vectors({.rows = nq, .dim = dim, .clusters = 7, .seed = 1, .first_row = 1000000});
  std::vector<std::uint8_t> allowed(rows);
  for (std::size_t r = 0; r < rows; ++r) allowed[r] = (r * 7919) % 10 < 3;
  for (const auto* kernels : kernel_sets()) {
    const std::vector<const std::vector<std::uint8_t>*> filters{nullptr, &allowed};
    for (const std::vector<std::uint8_t>* filter : filters) {
      std::vector<std::vector<ScoredRow>> single;
      for (std::size_t i = 0; i < nq; ++i)
        single.push_back(cosine_top_k_batch({m.data(), rows, dim}, {q.data() + i * dim, 1, dim}, 10, filter,
                                            {.threads = 1, .kernels = kernels})[0]);
      for (unsigned threads : {1u, 2u, 3u, 7u}) {
        auto batch = cosine_top_k_batch({m.data(), rows, dim}, {q.data(), nq, dim}, 10, filter,
                                        {.threads = threads, .kernels = kernels});
        ASSERT_EQ(batch.size(), nq);
        for (std::size_t i = 0; i < nq; ++i)
          expect_same(batch[i], single[i], std::string(kernels->name) + " threads " + std::to_string(threads) +
                                               (filter ? " filtered" : "") + " query " + std::to_string(i));
      }
      if (filter) {
        for (auto& res : single)
          for (auto& s : res) EXPECT_TRUE(allowed[s.row]);
      }
    }
  }
}

TEST(BatchScan, ScoresMatchTheDotKernel) {
  const std::size_t rows = 300, dim = 1536;
  auto m = synthetic_unit_vectors({.rows = rows, .dim = dim, .seed = 3});
  auto q = synthetic_unit_vectors({.rows = 3, .dim = dim, .seed = 3, .first_row = 1000000});
  auto res = cosine_top_k_batch({m.data(), rows, dim}, {q.data(), 3, dim}, 5);
  for (std::size_t i = 0; i < 3; ++i)
    for (auto& s : res[i]) EXPECT_NEAR(s.score, dot(q.data() + i * dim, m.data() + s.row * dim, dim), 1e-6);
}

TEST(BatchScan, TiesAcrossThreadBoundariesGoToLowerRows) {
  const std::size_t rows = 5000, dim = 8;
  std::vector<float> m(rows * dim, 0.25f);
  std::vector<float> q(dim, 1.0f);
  for (unsigned threads : {1u, 2u, 5u}) {
    auto res = cosine_top_k_batch({m.data(), rows, dim}, {q.data(), 1, dim}, 7, nullptr, {.threads = threads})[0];
    ASSERT_EQ(res.size(), 7u);
    for (std::uint32_t i = 0; i < 7; ++i) EXPECT_EQ(res[i].row, i) << "threads " << threads;
  }
  // The single best row sits in the last thread's range.
  m[(rows - 1) * dim] = 1.0f;
  auto res = cosine_top_k_batch({m.data(), rows, dim}, {q.data(), 1, dim}, 2, nullptr, {.threads = 2})[0];
  EXPECT_EQ(res[0].row, rows - 1);
  EXPECT_EQ(res[1].row, 0u);
}

TEST(BatchScan, CosineTopKUsesAllThreadsOnLargeMatricesWithSameResult) {
  const std::size_t rows = 4000, dim = 1536;  // above the auto-threading threshold
  auto m = synthetic_unit_vectors({.rows = rows, .dim = dim, .seed = 5});
  auto q = synthetic_unit_vectors({.rows = 1, .dim = dim, .seed = 5, .first_row = 1000000});
  auto auto_threads = cosine_top_k({m.data(), rows, dim}, q.data(), 10);
  auto one = cosine_top_k_batch({m.data(), rows, dim}, {q.data(), 1, dim}, 10, nullptr, {.threads = 1})[0];
  expect_same(auto_threads, one, "auto vs 1 thread");
}

double recall_at_k(const std::vector<ScoredRow>& got, const std::vector<ScoredRow>& truth) {
  std::set<std::uint32_t> t;
  for (auto& s : truth) t.insert(s.row);
  std::size_t hit = 0;
  for (auto& s : got) hit += t.count(s.row);
  return truth.empty() ? 1.0 : double(hit) / double(truth.size());
}

struct QuantCase {
  std::size_t rows, dim;
};

TEST(QuantizedScan, RecallAt10AgainstExactIsAtLeast099WithExactScores) {
  const std::size_t nq = 100, k = 10;
  for (QuantCase c : {QuantCase{20000, 384}, QuantCase{5000, 1536}}) {
    // Tight clusters: many near-ties, the hard case for quantized ranking.
    auto m = synthetic_unit_vectors({.rows = c.rows, .dim = c.dim, .clusters = 32, .spread = 0.5f, .seed = 21});
    auto q = synthetic_unit_vectors({.rows = nq, .dim = c.dim, .clusters = 32, .spread = 0.5f, .seed = 21, .first_row = 1000000});
    MatrixView mv{m.data(), c.rows, c.dim}, qv{q.data(), nq, c.dim};
    auto truth = cosine_top_k_batch(mv, qv, k);
    for (const auto* kernels : kernel_sets()) {
      for (VectorEncoding enc : {VectorEncoding::kFloat16, VectorEncoding::kInt8}) {
        auto compact = QuantizedMatrix::encode(mv, enc, {.kernels = kernels});
        EXPECT_EQ(compact.bytes_per_vector(), enc == VectorEncoding::kFloat16 ? 2 * c.dim : c.dim + 4);
        QuantizedScanOptions opt;
        opt.scan.kernels = kernels;
        auto got = quantized_top_k_batch(compact, mv, qv, k, nullptr, opt);
        double recall = 0;
        for (std::size_t i = 0; i < nq; ++i) {
          recall += recall_at_k(got[i], truth[i]);
          ASSERT_EQ(got[i].size(), k);
          // Scores are the exact float32 ones and the order is the exact order.
          for (std::size_t j = 0; j < k; ++j) {
            EXPECT_NEAR(got[i][j].score, dot(q.data() + i * c.dim, m.data() + got[i][j].row * c.dim, c.dim), 1e-6);
            if (j) {
              EXPECT_GE(got[i][j - 1].score, got[i][j].score);
            }
          }
        }
        recall /= nq;
        EXPECT_GE(recall, 0.99) << encoding_name(enc) << " " << kernels->name << " " << c.rows << "x" << c.dim;
        // With candidates from an exact-enough scan most queries match the float32 answer exactly.
        std::size_t identical = 0;
        for (std::size_t i = 0; i < nq; ++i) {
          bool same = got[i].size() == truth[i].size();
          for (std::size_t j = 0; same && j < k; ++j) same = got[i][j].row == truth[i][j].row;
          identical += same;
        }
        EXPECT_GE(identical, nq * 95 / 100) << encoding_name(enc) << " " << kernels->name;
      }
    }
  }
}

TEST(QuantizedScan, FilterHonouredAndKReturnedWhenKPass) {
  const std::size_t rows = 3000, dim = 64;
  auto m = synthetic_unit_vectors({.rows = rows, .dim = dim, .seed = 31});
  auto q = synthetic_unit_vectors({.rows = 4, .dim = dim, .seed = 31, .first_row = 1000000});
  std::vector<std::uint8_t> allowed(rows, 0);
  for (std::size_t r = 0; r < rows; r += 300) allowed[r] = 1;  // 10 rows pass
  MatrixView mv{m.data(), rows, dim};
  for (VectorEncoding enc : {VectorEncoding::kFloat16, VectorEncoding::kInt8}) {
    auto compact = QuantizedMatrix::encode(mv, enc);
    auto got = quantized_top_k_batch(compact, mv, {q.data(), 4, dim}, 10, &allowed);
    auto truth = cosine_top_k_batch(mv, {q.data(), 4, dim}, 10, &allowed);
    for (std::size_t i = 0; i < 4; ++i) expect_same(got[i], truth[i], encoding_name(enc));
  }
}

TEST(QuantizedScan, ThreadCountDoesNotChangeResults) {
  const std::size_t rows = 6000, dim = 96;
  auto m = synthetic_unit_vectors({.rows = rows, .dim = dim, .seed = 41});
  auto q = synthetic_unit_vectors({.rows = 9, .dim = dim, .seed = 41, .first_row = 1000000});
  MatrixView mv{m.data(), rows, dim}, qv{q.data(), 9, dim};
  for (VectorEncoding enc : {VectorEncoding::kFloat16, VectorEncoding::kInt8}) {
    auto c1 = QuantizedMatrix::encode(mv, enc, {.threads = 1});
    auto c2 = QuantizedMatrix::encode(mv, enc, {.threads = 2});
    QuantizedScanOptions o1, o2;
    o1.scan.threads = 1;
    o2.scan.threads = 2;
    auto a = quantized_top_k_batch(c1, mv, qv, 10, nullptr, o1);
    auto b = quantized_top_k_batch(c2, mv, qv, 10, nullptr, o2);
    for (std::size_t i = 0; i < 9; ++i) expect_same(a[i], b[i], encoding_name(enc));
  }
}

}  // namespace
}  // namespace cinerec
