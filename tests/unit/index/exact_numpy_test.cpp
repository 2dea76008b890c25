// Checks cosine_top_k against an independent numpy computation on data generated here.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "index/exact.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

const fs::path kScript = fs::path(__FILE__).parent_path() / "../../reference/exact_topk.py";

// Debian's python3-numpy lives under /usr/bin/python3; a python3 earlier on PATH (pyenv, venv) may
// lack numpy. CINEREC_PYTHON overrides.
std::string python() {
  if (const char* p = std::getenv("CINEREC_PYTHON")) return p;
  if (fs::exists("/usr/bin/python3")) return "/usr/bin/python3";
  return "python3";
}

void write_raw(const fs::path& p, const void* data, std::size_t bytes) {
  std::ofstream f(p, std::ios::binary);
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  ASSERT_TRUE(f.good()) << p;
}

// Unit vectors around a few cluster centres, so near-ties and realistic score ranges both occur.
std::vector<float> clustered_unit_vectors(std::mt19937& rng, std::size_t n, std::size_t dim) {
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::vector<float> centres(8 * dim);
  for (auto& x : centres) x = g(rng);
  std::vector<float> v(n * dim);
  for (std::size_t i = 0; i < n; ++i) {
    const float* c = centres.data() + (i % 8) * dim;
    double norm = 0.0;
    for (std::size_t d = 0; d < dim; ++d) {
      v[i * dim + d] = c[d] + 0.8f * g(rng);
      norm += double(v[i * dim + d]) * v[i * dim + d];
    }
    for (std::size_t d = 0; d < dim; ++d) v[i * dim + d] = float(v[i * dim + d] / std::sqrt(norm));
  }
  return v;
}

using RefRow = std::vector<std::pair<std::uint32_t, double>>;

std::vector<RefRow> run_numpy(const fs::path& dir, const std::vector<float>& m, const std::vector<float>& q,
                              const std::vector<std::uint8_t>* mask, std::size_t rows, std::size_t dim,
                              std::size_t nq, std::size_t k) {
  write_raw(dir / "m.f32", m.data(), m.size() * sizeof(float));
  write_raw(dir / "q.f32", q.data(), q.size() * sizeof(float));
  std::string mask_arg = "-";
  if (mask) {
    write_raw(dir / "mask.u8", mask->data(), mask->size());
    mask_arg = (dir / "mask.u8").string();
  }
  std::ostringstream cmd;
  cmd << python() << " '" << kScript.string() << "' '" << (dir / "m.f32").string() << "' '" << (dir / "q.f32").string() << "' '"
      << mask_arg << "' " << rows << " " << dim << " " << nq << " " << k << " '" << (dir / "out.txt").string() << "'";
  EXPECT_EQ(std::system(cmd.str().c_str()), 0) << cmd.str();
  std::vector<RefRow> out;
  std::ifstream f(dir / "out.txt");
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream ls(line);
    RefRow r;
    std::uint32_t row;
    double score;
    while (ls >> row >> score) r.push_back({row, score});
    out.push_back(r);
  }
  EXPECT_EQ(out.size(), nq);
  return out;
}

// Same scores within float rounding, and the same order wherever numpy's scores are not a near-tie.
void expect_matches(const std::vector<ScoredRow>& got, const RefRow& want) {
  ASSERT_EQ(got.size(), want.size());
  constexpr double kTol = 2e-6;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i].score, want[i].second, kTol) << "rank " << i;
    const bool near_tie = (i > 0 && want[i - 1].second - want[i].second < kTol) ||
                          (i + 1 < want.size() && want[i].second - want[i + 1].second < kTol);
    if (!near_tie) {
      EXPECT_EQ(got[i].row, want[i].first) << "rank " << i;
    }
  }
}

class ExactVsNumpy : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cinerec_exact_numpy_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ExactVsNumpy, TopKScoresAndOrderMatch) {
  std::mt19937 rng(2024);
  const std::size_t rows = 3000, dim = 1536, nq = 5, k = 20;
  auto m = clustered_unit_vectors(rng, rows, dim);
  auto q = clustered_unit_vectors(rng, nq, dim);
  auto ref = run_numpy(dir_, m, q, nullptr, rows, dim, nq, k);
  ASSERT_EQ(ref.size(), nq);
  for (std::size_t i = 0; i < nq; ++i) {
    auto got = cosine_top_k({m.data(), rows, dim}, q.data() + i * dim, k);
    expect_matches(got, ref[i]);
  }
}

TEST_F(ExactVsNumpy, FilteredTopKMatches) {
  std::mt19937 rng(99);
  const std::size_t rows = 2000, dim = 384, nq = 3, k = 15;
  auto m = clustered_unit_vectors(rng, rows, dim);
  auto q = clustered_unit_vectors(rng, nq, dim);
  std::vector<std::uint8_t> mask(rows);
  std::bernoulli_distribution pass(0.1);
  for (auto& b : mask) b = pass(rng) ? 1 : 0;
  auto ref = run_numpy(dir_, m, q, &mask, rows, dim, nq, k);
  ASSERT_EQ(ref.size(), nq);
  for (std::size_t i = 0; i < nq; ++i) {
    auto got = cosine_top_k({m.data(), rows, dim}, q.data() + i * dim, k, &mask);
    expect_matches(got, ref[i]);
  }
}

}  // namespace
}  // namespace cinerec
