// cinerec writes and reads HNSW graphs in hnswlib's own file format with its own code (hnswlib's
// loader is slow and trusts the file). These tests hold it to that format: hnswlib's loadIndex reads
// cinerec's files and cinerec reads hnswlib's, with the same search results; damaged contents are
// errors, not crashes.
//
// hnswlib 0.6 defines non-inline functions in its headers, which cinerec_core (index/hnsw.cpp) also
// compiles: renaming them keeps this test's copy apart (as bench/raw_hnswlib.cpp does). Its manual
// vectorization is off: with USE_SSE it prefetches one entry past a link list (nmslib/hnswlib#107),
// a heap over-read ASan reports (see cmake/cinerec_core.cmake), and this test needs no speed.
#define NO_MANUAL_VECTORIZATION
#define hnswlib test_hnswlib
#define cpuid test_hnswlib_cpuid
#define xgetbv test_hnswlib_xgetbv
#define AVXCapable test_hnswlib_AVXCapable
#define AVX512Capable test_hnswlib_AVX512Capable
#include <hnswlib/hnswlib.h>
#undef hnswlib

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "index/hnsw.h"
#include "index/synthetic.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kRows = 3000, kDim = 32, kQueries = 40, kK = 10, kEf = 40;

class HnswFileFormat : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cinerec_hnsw_format_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    data_ = synthetic_unit_vectors({.rows = kRows, .dim = kDim, .clusters = 16, .spread = 0.6f, .seed = 3});
    queries_ = synthetic_unit_vectors(
        {.rows = kQueries, .dim = kDim, .clusters = 16, .spread = 0.6f, .seed = 3, .first_row = 1u << 20});
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  const float* query(std::size_t i) const { return queries_.data() + i * kDim; }

  // hnswlib's answer (best first) for query i.
  static std::vector<std::uint32_t> hnswlib_search(test_hnswlib::HierarchicalNSW<float>& g, const float* q) {
    g.setEf(kEf);
    auto pq = g.searchKnn(q, kK);
    std::vector<std::uint32_t> rows(pq.size());
    for (std::size_t i = pq.size(); i-- > 0; pq.pop()) rows[i] = static_cast<std::uint32_t>(pq.top().second);
    return rows;
  }
  static std::vector<std::uint32_t> rows_of(const std::vector<ScoredRow>& hits) {
    std::vector<std::uint32_t> rows;
    for (const auto& h : hits) rows.push_back(h.row);
    return rows;
  }

  fs::path dir_;
  std::vector<float> data_, queries_;
};

TEST_F(HnswFileFormat, HnswlibLoadsCinerecFilesAndFindsTheSameRows) {
  auto built = HnswIndex::build({data_.data(), kRows, kDim}, {.M = 12, .ef_construction = 60, .seed = 9, .threads = 1});
  ASSERT_TRUE(built.ok()) << built.error().message;
  ASSERT_TRUE(built->save(path("ours.hnsw")).ok());
  test_hnswlib::InnerProductSpace space(kDim);
  test_hnswlib::HierarchicalNSW<float> theirs(&space, path("ours.hnsw"));
  ASSERT_EQ(theirs.cur_element_count, kRows);
  std::size_t same = 0;
  for (std::size_t i = 0; i < kQueries; ++i)
    same += hnswlib_search(theirs, query(i)) == rows_of(built->search(query(i), kK, kEf));
  // Scores may differ in the last bit between the two distance kernels, which can swap ties.
  EXPECT_GE(same, kQueries - 2);
}

TEST_F(HnswFileFormat, CinerecLoadsHnswlibFilesAndFindsTheSameRows) {
  test_hnswlib::InnerProductSpace space(kDim);
  test_hnswlib::HierarchicalNSW<float> theirs(&space, kRows, 12, 60, 9);
  for (std::size_t r = 0; r < kRows; ++r) theirs.addPoint(data_.data() + r * kDim, r);
  theirs.saveIndex(path("theirs.hnsw"));
  std::ofstream(path("theirs.hnsw.json"))
      << R"({"format": "cinerec-hnsw", "version": 1, "metric": "inner_product", "dim": )" << kDim
      << R"(, "rows": )" << kRows << R"(, "M": 12, "ef_construction": 60, "graph_bytes": )"
      << fs::file_size(path("theirs.hnsw")) << "}";
  auto ours = HnswIndex::load(path("theirs.hnsw"), kDim);
  ASSERT_TRUE(ours.ok()) << ours.error().message;
  ASSERT_EQ(ours->size(), kRows);
  std::size_t same = 0;
  for (std::size_t i = 0; i < kQueries; ++i)
    same += hnswlib_search(theirs, query(i)) == rows_of(ours->search(query(i), kK, kEf));
  EXPECT_GE(same, kQueries - 2);
  // Saved again by cinerec, the file is byte for byte what hnswlib wrote.
  ASSERT_TRUE(ours->save(path("again.hnsw")).ok());
  std::ifstream a(path("theirs.hnsw"), std::ios::binary), b(path("again.hnsw"), std::ios::binary);
  const std::string sa((std::istreambuf_iterator<char>(a)), {}), sb((std::istreambuf_iterator<char>(b)), {});
  EXPECT_TRUE(sa == sb) << sa.size() << " vs " << sb.size() << " bytes";
}

TEST_F(HnswFileFormat, DamagedContentsAreErrorsNamingWhatIsWrong) {
  auto built = HnswIndex::build({data_.data(), kRows, kDim}, {.M = 12, .ef_construction = 60, .seed = 9, .threads = 1});
  ASSERT_TRUE(built.ok());
  ASSERT_TRUE(built->save(path("idx.hnsw")).ok());
  // Header: 6 size_t, int max level, uint32 entry point, 3 size_t, double mult, size_t ef_construction.
  constexpr std::size_t kHeader = 6 * 8 + 4 + 4 + 3 * 8 + 8 + 8;
  auto damaged = [&](std::size_t offset, std::uint32_t value) {
    fs::copy_file(path("idx.hnsw"), path("bad.hnsw"), fs::copy_options::overwrite_existing);
    fs::copy_file(path("idx.hnsw.json"), path("bad.hnsw.json"), fs::copy_options::overwrite_existing);
    std::fstream f(path("bad.hnsw"), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(offset));
    f.write(reinterpret_cast<const char*>(&value), sizeof value);
    f.close();
    auto r = HnswIndex::load(path("bad.hnsw"), kDim);
    return r.ok() ? std::string("loaded") : r.error().message;
  };
  // The first neighbor of element 0 (after its 4-byte link count) points past the graph.
  EXPECT_NE(damaged(kHeader + 4, 0xFFFFFFFFu).find("element 0 links to a neighbor outside the graph"),
            std::string::npos);
  // Element 0's link count exceeds the 2M slots of level 0.
  EXPECT_NE(damaged(kHeader, 1000).find("element 0 links"), std::string::npos);
  // M in the header (offset 9 * 8) no longer matches the element layout.
  EXPECT_NE(damaged(9 * 8, 13).find("layout differs"), std::string::npos);
  // Element count larger than the file can hold.
  EXPECT_NE(damaged(2 * 8, 0x7FFFFFFFu).find("impossible sizes"), std::string::npos);
  // The first upper-level byte count is not a whole number of link lists.
  const std::size_t upper = kHeader + kRows * (2 * 12 * 4 + 4 + kDim * 4 + 8);
  EXPECT_NE(damaged(upper, 7).find("element 0 has 7 bytes of upper-level links"), std::string::npos);
}

}  // namespace
}  // namespace cinerec
