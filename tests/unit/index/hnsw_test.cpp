#include "index/hnsw.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <unistd.h>

#include "index/exact.h"
#include "index/synthetic.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kRows = 10000, kDim = 64, kQueries = 100, kK = 10;

struct Data {
  std::vector<float> m, q;
  MatrixView mv() const { return {m.data(), kRows, kDim}; }
  const float* query(std::size_t i) const { return q.data() + i * kDim; }
};

const Data& data() {
  static const Data d = [] {
    Data d;
    d.m = synthetic_unit_vectors({.rows = kRows, .dim = kDim, .clusters = 64, .spread = 0.6f, .seed = 77});
    d.q = synthetic_unit_vectors(
        {.rows = kQueries, .dim = kDim, .clusters = 64, .spread = 0.6f, .seed = 77, .first_row = 1u << 20});
    return d;
  }();
  return d;
}

// Built once (single-threaded, so reproducible) and shared by the read-only tests.
const HnswIndex& index() {
  static const HnswIndex idx = [] {
    auto r = HnswIndex::build(data().mv(), {.M = 16, .ef_construction = 100, .seed = 5, .threads = 1});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return std::move(r).value();
  }();
  return idx;
}

double recall(const std::vector<ScoredRow>& got, const std::vector<ScoredRow>& truth) {
  std::set<std::uint32_t> t;
  for (auto& s : truth) t.insert(s.row);
  std::size_t hit = 0;
  for (auto& s : got) hit += t.count(s.row);
  return truth.empty() ? 1.0 : double(hit) / double(truth.size());
}

double mean_recall(const HnswIndex& idx, std::size_t ef, const std::vector<std::uint8_t>* allowed = nullptr) {
  double sum = 0;
  for (std::size_t i = 0; i < kQueries; ++i) {
    auto truth = cosine_top_k(data().mv(), data().query(i), kK, allowed);
    sum += recall(idx.search(data().query(i), kK, ef, allowed), truth);
  }
  return sum / kQueries;
}

// A graph built while a fifth of the rows held other vectors, then updated in place to the real
// ones, searches like a graph built from them: recall on the real vectors, each updated row found
// at its new place, and no changed row left.
TEST(Hnsw, UpdateInPlaceKeepsRecall) {
  std::vector<float> stale = data().m;
  const auto others = synthetic_unit_vectors({.rows = 2000, .dim = kDim, .clusters = 64, .spread = 0.6f, .seed = 91});
  std::vector<std::uint32_t> moved;
  for (std::uint32_t i = 0; i < 2000; ++i) {
    const std::uint32_t row = i * 5 + 2;
    std::copy_n(others.data() + i * kDim, kDim, stale.data() + row * kDim);
    moved.push_back(row);
  }
  auto idx = HnswIndex::build({stale.data(), kRows, kDim}, {.M = 16, .ef_construction = 100, .seed = 5, .threads = 2});
  ASSERT_TRUE(idx.ok());
  EXPECT_EQ(idx->changed_rows(data().mv()), moved);
  ASSERT_TRUE(idx->update(data().mv(), moved).ok());
  EXPECT_TRUE(idx->changed_rows(data().mv()).empty());
  const double r = mean_recall(*idx, 64);
  std::printf("recall@10 ef=64 after updating 2000 of %zu rows in place %.4f\n", kRows, r);
  EXPECT_GE(r, 0.95);
  std::size_t found = 0;
  for (std::uint32_t row : moved) {
    auto got = idx->search(data().m.data() + row * kDim, 1, 64);
    found += !got.empty() && got[0].row == row;
  }
  EXPECT_GE(found, moved.size() * 99 / 100);
  EXPECT_FALSE(idx->update(data().mv(), {static_cast<std::uint32_t>(kRows)}).ok());
  EXPECT_FALSE(idx->update({data().m.data(), kRows, kDim - 1}, moved).ok());
}

class HnswFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cinerec_hnsw_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST(Hnsw, RecallAgainstExactGrowsWithEf) {
  const double r10 = mean_recall(index(), 10);
  const double r64 = mean_recall(index(), 64);
  const double r256 = mean_recall(index(), 256);
  std::printf("recall@10 ef=10 %.4f ef=64 %.4f ef=256 %.4f\n", r10, r64, r256);
  EXPECT_GE(r64, 0.95);
  EXPECT_GE(r256, 0.99);
  EXPECT_GE(r256, r10);
  EXPECT_EQ(index().size(), kRows);
  EXPECT_EQ(index().dim(), kDim);
  EXPECT_GT(index().memory_bytes(), kRows * kDim * sizeof(float));
}

TEST(Hnsw, ScoresAreExactAndOrderedLikeTheExactSearch) {
  for (std::size_t i = 0; i < 20; ++i) {
    auto got = index().search(data().query(i), kK, 128);
    auto truth = cosine_top_k(data().mv(), data().query(i), kK);
    ASSERT_EQ(got.size(), kK);
    for (std::size_t j = 0; j < got.size(); ++j) {
      if (j) {
        EXPECT_TRUE(got[j - 1].score > got[j].score ||
                    (got[j - 1].score == got[j].score && got[j - 1].row < got[j].row));
      }
      for (auto& t : truth) {
        if (t.row == got[j].row) {
          EXPECT_EQ(t.score, got[j].score);
        }
      }
    }
  }
}

TEST(Hnsw, EdgeCases) {
  EXPECT_TRUE(index().search(data().query(0), 0, 10).empty());
  auto all = index().search(data().query(0), kRows + 5, 10);
  EXPECT_GT(all.size(), kK);  // asks for more than the catalog: as many as the graph search reaches
  HnswIndex empty;
  EXPECT_TRUE(empty.search(data().query(0), 5, 10).empty());
  EXPECT_FALSE(empty.add({data().m.data(), 1, kDim}).ok());
  EXPECT_FALSE(HnswIndex::build({data().m.data(), 3, 0}).ok());
}

TEST(Hnsw, SingleThreadedBuildIsReproducible) {
  auto a = HnswIndex::build({data().m.data(), 2000, kDim}, {.M = 8, .ef_construction = 50, .seed = 3, .threads = 1});
  auto b = HnswIndex::build({data().m.data(), 2000, kDim}, {.M = 8, .ef_construction = 50, .seed = 3, .threads = 1});
  ASSERT_TRUE(a.ok() && b.ok());
  for (std::size_t i = 0; i < 20; ++i) {
    auto x = a->search(data().query(i), kK, 20), y = b->search(data().query(i), kK, 20);
    ASSERT_EQ(x.size(), y.size());
    for (std::size_t j = 0; j < x.size(); ++j) EXPECT_EQ(x[j].row, y[j].row);
  }
}

TEST(Hnsw, ParallelBuildAndConcurrentSearchesKeepRecall) {
  auto idx = HnswIndex::build(data().mv(), {.M = 16, .ef_construction = 100, .seed = 5, .threads = 2});
  ASSERT_TRUE(idx.ok());
  const double r = mean_recall(*idx, 64);
  std::printf("parallel build recall@10 ef=64 %.4f\n", r);
  EXPECT_GE(r, 0.95);
  std::vector<std::vector<ScoredRow>> seq(kQueries), par(kQueries);
  for (std::size_t i = 0; i < kQueries; ++i) seq[i] = idx->search(data().query(i), kK, 64);
  std::thread t([&] {
    for (std::size_t i = 0; i < kQueries; i += 2) par[i] = idx->search(data().query(i), kK, 64);
  });
  for (std::size_t i = 1; i < kQueries; i += 2) par[i] = idx->search(data().query(i), kK, 64);
  t.join();
  for (std::size_t i = 0; i < kQueries; ++i) {
    ASSERT_EQ(seq[i].size(), par[i].size());
    for (std::size_t j = 0; j < seq[i].size(); ++j) EXPECT_EQ(seq[i][j].row, par[i][j].row);
  }
}

TEST(Hnsw, FilterWithManyPassingRowsWidensTheGraphSearch) {
  std::vector<std::uint8_t> allowed(kRows);
  for (std::size_t r = 0; r < kRows; ++r) allowed[r] = (r * 2654435761u) % 100 < 30;  // ~30 %
  HnswSearchInfo info;
  for (std::size_t i = 0; i < kQueries; ++i) {
    auto got = index().search(data().query(i), kK, 64, &allowed, &info);
    EXPECT_EQ(info.method, "hnsw+filter");
    ASSERT_EQ(got.size(), kK);
    for (auto& s : got) EXPECT_TRUE(allowed[s.row]);
  }
  const double r = mean_recall(index(), 64, &allowed);
  std::printf("filtered recall@10 ef=64 %.4f\n", r);
  EXPECT_GE(r, 0.95);
}

TEST(Hnsw, FilterWithFewPassingRowsIsExact) {
  std::vector<std::uint8_t> allowed(kRows, 0);
  for (std::size_t r = 0; r < kRows; r += 97) allowed[r] = 1;  // 104 rows
  HnswSearchInfo info;
  for (std::size_t i = 0; i < 10; ++i) {
    auto got = index().search(data().query(i), kK, 64, &allowed, &info);
    EXPECT_EQ(info.method, "exact");
    auto truth = cosine_top_k(data().mv(), data().query(i), kK, &allowed);
    ASSERT_EQ(got.size(), truth.size());
    for (std::size_t j = 0; j < got.size(); ++j) {
      EXPECT_EQ(got[j].row, truth[j].row);
      EXPECT_EQ(got[j].score, truth[j].score);
    }
  }
  std::vector<std::uint8_t> three(kRows, 0);
  three[5] = three[500] = three[9999] = 1;
  EXPECT_EQ(index().search(data().query(0), kK, 64, &three).size(), 3u);
  std::vector<std::uint8_t> none(kRows, 0);
  EXPECT_TRUE(index().search(data().query(0), kK, 64, &none).empty());
}

TEST(Hnsw, AddAppendsRowsWithTheNextNumbers) {
  auto idx = HnswIndex::build({data().m.data(), 7000, kDim}, {.M = 16, .ef_construction = 100, .seed = 5, .threads = 2});
  ASSERT_TRUE(idx.ok());
  ASSERT_TRUE(idx->add({data().m.data() + 7000 * kDim, kRows - 7000, kDim}).ok());
  EXPECT_EQ(idx->size(), kRows);
  EXPECT_GE(mean_recall(*idx, 64), 0.95);
  // A query equal to an added row finds that row first.
  auto got = idx->search(data().m.data() + 9500 * kDim, 1, 64);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].row, 9500u);
  EXPECT_FALSE(idx->add({data().m.data(), 1, kDim - 1}).ok());
}

TEST_F(HnswFiles, SaveLoadRoundTripGivesIdenticalResults) {
  ASSERT_TRUE(index().save(path("idx.hnsw"), "model=test rows=10000").ok());
  auto loaded = HnswIndex::load(path("idx.hnsw"), kDim);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->size(), kRows);
  EXPECT_EQ(loaded->params().M, 16u);
  EXPECT_EQ(loaded->params().ef_construction, 100u);
  for (std::size_t i = 0; i < kQueries; ++i) {
    auto a = index().search(data().query(i), kK, 50), b = loaded->search(data().query(i), kK, 50);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t j = 0; j < a.size(); ++j) {
      EXPECT_EQ(a[j].row, b[j].row);
      EXPECT_EQ(a[j].score, b[j].score);
    }
  }
  auto tag = HnswIndex::load_tag(path("idx.hnsw"));
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(*tag, "model=test rows=10000");
  // A loaded index keeps growing.
  ASSERT_TRUE(loaded->add({data().q.data(), 5, kDim}).ok());
  EXPECT_EQ(loaded->size(), kRows + 5);
  EXPECT_EQ(loaded->search(data().query(3), 1, 64)[0].row, kRows + 3);
  EXPECT_FALSE(fs::exists(path("idx.hnsw.tmp")));
}

TEST_F(HnswFiles, LoadRejectsMissingMismatchedAndDamagedFiles) {
  auto missing = HnswIndex::load(path("nope.hnsw"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("nope.hnsw"), std::string::npos);

  ASSERT_TRUE(index().save(path("idx.hnsw")).ok());
  auto wrong_dim = HnswIndex::load(path("idx.hnsw"), kDim + 1);
  ASSERT_FALSE(wrong_dim.ok());
  EXPECT_NE(wrong_dim.error().message.find("dimension"), std::string::npos);

  fs::copy_file(path("idx.hnsw"), path("cut.hnsw"));
  fs::copy_file(path("idx.hnsw.json"), path("cut.hnsw.json"));
  fs::resize_file(path("cut.hnsw"), fs::file_size(path("cut.hnsw")) / 2);
  auto cut = HnswIndex::load(path("cut.hnsw"));
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.error().message.find("truncated"), std::string::npos);

  std::ofstream(path("idx.hnsw.json")) << "{not json";
  auto garbage = HnswIndex::load(path("idx.hnsw"));
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message.find("not a cinerec HNSW description"), std::string::npos);

  std::ofstream(path("idx.hnsw.json")) << R"({"format": "cinerec-hnsw", "version": 1, "dim": 64})";
  auto incomplete = HnswIndex::load(path("idx.hnsw"));
  ASSERT_FALSE(incomplete.ok());
  EXPECT_NE(incomplete.error().message.find("rows"), std::string::npos);
}

}  // namespace
}  // namespace cinerec
