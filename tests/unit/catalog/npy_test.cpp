// .npy reading and writing, checked against numpy itself on files both sides write.
#include "catalog/npy.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace cinerec {
namespace {

namespace fs = std::filesystem;

std::string python() {
  if (const char* p = std::getenv("CINEREC_PYTHON")) return p;
  return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

class Npy : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cinerec_npy_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& n) const { return (dir_ / n).string(); }
  int py(const std::string& code) const {
    std::ofstream(path("script.py")) << code;
    return std::system((python() + " '" + path("script.py") + "'").c_str());
  }
  fs::path dir_;
};

TEST_F(Npy, ReadsWhatNumpySavesInBlocksIncludingFloat64) {
  ASSERT_EQ(py("import numpy as np\n"
               "a = (np.arange(7 * 5, dtype=np.float32).reshape(7, 5) / 8 - 1)\n"
               "np.save('" + path("f4.npy") + "', a)\n"
               "np.save('" + path("f8.npy") + "', a.astype(np.float64) / 3)\n"),
            0);
  auto r = NpyReader::open(path("f4.npy"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rows(), 7u);
  EXPECT_EQ(r->dim(), 5u);
  std::vector<float> block, all;
  for (;;) {
    auto n = r->read(3, block);
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    EXPECT_LE(*n, 3u);
    all.insert(all.end(), block.begin(), block.end());
  }
  ASSERT_EQ(all.size(), 35u);
  for (int i = 0; i < 35; ++i) EXPECT_EQ(all[i], float(i) / 8 - 1);

  auto r8 = NpyReader::open(path("f8.npy"));
  ASSERT_TRUE(r8.ok()) << r8.error().message;
  ASSERT_TRUE(r8->read(100, block).ok());
  ASSERT_EQ(block.size(), 35u);
  for (int i = 0; i < 35; ++i) EXPECT_FLOAT_EQ(block[i], float((double(i) / 8 - 1) / 3));
}

TEST_F(Npy, NumpyLoadsWhatTheWriterStreams) {
  auto w = NpyWriter::create(path("out.npy"), 3);
  ASSERT_TRUE(w.ok());
  std::vector<float> rows{1, 2, 3, 4, 5, 6};
  ASSERT_TRUE(w->write(rows.data(), 2).ok());
  ASSERT_TRUE(w->write(rows.data(), 1).ok());
  ASSERT_TRUE(w->finish().ok());
  EXPECT_EQ(py("import numpy as np\n"
               "a = np.load('" + path("out.npy") + "', allow_pickle=False)\n"
               "assert a.dtype == np.float32 and a.shape == (3, 3), (a.dtype, a.shape)\n"
               "assert (a == np.array([[1,2,3],[4,5,6],[1,2,3]], np.float32)).all(), a\n"),
            0);
  auto back = NpyReader::open(path("out.npy"));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->rows(), 3u);
  EXPECT_EQ(detail::npy_header(5, 7, 128).size(), 128u);
}

TEST_F(Npy, RejectsWrongDtypeShapeOrderAndTruncation) {
  ASSERT_EQ(py("import numpy as np\n"
               "np.save('" + path("int.npy") + "', np.zeros((2, 2), np.int32))\n"
               "np.save('" + path("vec.npy") + "', np.zeros(4, np.float32))\n"
               "np.save('" + path("fortran.npy") + "', np.asfortranarray(np.zeros((3, 2), np.float32)))\n"
               "np.save('" + path("cut.npy") + "', np.zeros((10, 4), np.float32))\n"),
            0);
  fs::resize_file(path("cut.npy"), fs::file_size(path("cut.npy")) - 4);
  std::ofstream(path("text.npy")) << "hello";
  const std::pair<const char*, const char*> cases[] = {
      {"int.npy", "dtype is <i4"},  {"vec.npy", "not 2-D"},        {"fortran.npy", "Fortran order"},
      {"cut.npy", "needs"},         {"text.npy", "not a .npy file"}, {"missing.npy", "cannot open"}};
  for (auto [file, message] : cases) {
    auto r = NpyReader::open(path(file));
    ASSERT_FALSE(r.ok()) << file;
    EXPECT_NE(r.error().message.find(message), std::string::npos) << file << ": " << r.error().message;
    EXPECT_NE(r.error().message.find(file), std::string::npos) << r.error().message;
  }
}

}  // namespace
}  // namespace cinerec
