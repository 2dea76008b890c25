#include "embed/text_hash.h"

#include <gtest/gtest.h>

#include "embed/document_text.h"

namespace cinerec {
namespace {

TEST(TextHash, IsSha256OfTheUtf8Bytes) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(text_hash("abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(text_hash(""), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_NE(text_hash("película"), text_hash("pelicula"));
}

TEST(DocumentText, IsTheDescriptionElseTheTitle) {
  MovieRecord m;
  m.title = "El padrino";
  m.description = "Una familia\nmafiosa.";
  EXPECT_EQ(document_text(m), "Una familia\nmafiosa.");
  m.description = "  \n";
  EXPECT_EQ(document_text(m), "El padrino");
}

}  // namespace
}  // namespace cinerec
