#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "server/poster_files.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "rest-of-a-png";
const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0", 4) + "jfif";

void write(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

class PosterFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::temp_directory_path() / ("cinerec-posters-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    fs::create_directories(root / "posters" / "sub");
    fs::create_directories(root / "posters-evil");
    write(root / "posters" / "m_A.png", kPng);
    write(root / "posters" / "sub" / "m_B", kJpeg);  // no extension: the type comes from the bytes
    write(root / "posters" / "m_Empty.png", "");
    write(root / "posters" / "m_Text.png", "just text");
    write(root / "posters-evil" / "m_X.png", kPng + "EVIL");
    write(root / "outside.png", kPng + "OUTSIDE");
    fs::create_symlink(root / "outside.png", root / "posters" / "m_Link.png");
    fs::create_symlink(root / "posters" / "m_A.png", root / "posters" / "m_InsideLink.png");
  }
  void TearDown() override { fs::remove_all(root); }
  fs::path root;
};

TEST_F(PosterFilesTest, ServesImagesInsideTheDirectory) {
  PosterFiles posters(root / "posters");
  auto a = posters.poster((root / "posters" / "m_A.png").string());
  EXPECT_FALSE(a.placeholder);
  EXPECT_EQ(a.content_type, "image/png");
  EXPECT_EQ(a.bytes, kPng);
  EXPECT_FALSE(a.etag.empty());
  auto b = posters.poster((root / "posters" / "sub" / "m_B").string());
  EXPECT_EQ(b.content_type, "image/jpeg");
  EXPECT_EQ(posters.poster((root / "posters" / "m_InsideLink.png").string()).bytes, kPng);
  // A path spelled with ".." that still ends inside is fine.
  EXPECT_FALSE(posters.poster((root / "posters" / "sub" / ".." / "m_A.png").string()).placeholder);
}

TEST_F(PosterFilesTest, EverythingElseGetsThePlaceholder) {
  PosterFiles posters(root / "posters");
  for (const fs::path& p : {root / "outside.png", root / "posters" / "m_Link.png", root / "posters-evil" / "m_X.png",
                            root / "posters" / ".." / "outside.png", root / "posters" / "m_Empty.png",
                            root / "posters" / "m_Text.png", root / "posters" / "missing.png", root / "posters",
                            fs::path("/etc/passwd"), fs::path("")}) {
    auto image = posters.poster(p.string());
    EXPECT_TRUE(image.placeholder) << p;
    EXPECT_EQ(image.content_type, "image/svg+xml") << p;
    EXPECT_NE(image.bytes.find("<svg"), std::string::npos) << p;
  }
}

TEST_F(PosterFilesTest, TheSeedPlaceholderWinsWhenPresent) {
  write(root / "posters" / "default.JPG", kJpeg);
  PosterFiles posters(root / "posters");
  auto image = posters.poster("");
  EXPECT_TRUE(image.placeholder);
  EXPECT_EQ(image.content_type, "image/jpeg");
  EXPECT_EQ(image.bytes, kJpeg);
}

TEST_F(PosterFilesTest, WithoutADirectoryEverythingIsAPlaceholder) {
  PosterFiles posters("");
  EXPECT_TRUE(posters.poster((root / "posters" / "m_A.png").string()).placeholder);
  PosterFiles missing(root / "nope");
  EXPECT_TRUE(missing.dir().empty());
}

TEST_F(PosterFilesTest, GuessDirIsWhereMostPostersAre) {
  std::vector<Movie> movies(4);
  movies[0].poster = (root / "posters" / "m_A.png").string();
  movies[1].poster = (root / "posters" / "m_C.png").string();
  movies[2].poster = (root / "elsewhere" / "m_D.png").string();
  EXPECT_EQ(PosterFiles::guess_dir(movies), root / "posters");
  EXPECT_TRUE(PosterFiles::guess_dir({}).empty());
}

TEST(SniffImageType, KnownSignaturesOnly) {
  EXPECT_EQ(sniff_image_type(kPng), "image/png");
  EXPECT_EQ(sniff_image_type(kJpeg), "image/jpeg");
  EXPECT_EQ(sniff_image_type("GIF89a...."), "image/gif");
  EXPECT_EQ(sniff_image_type("RIFF\x10\0\0\0WEBPVP8 "), "");  // embedded NUL: too short a string literal
  EXPECT_EQ(sniff_image_type(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_EQ(sniff_image_type("<svg onload=alert(1)>"), "");
  EXPECT_EQ(sniff_image_type("root:x:0:0"), "");
  EXPECT_EQ(sniff_image_type(""), "");
}

}  // namespace
}  // namespace cinerec
