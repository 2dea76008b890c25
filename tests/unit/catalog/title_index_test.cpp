#include "catalog/title_index.h"

#include <gtest/gtest.h>

namespace cinerec {
namespace {

TEST(TitleIndex, IgnoresCaseAndAccents) {
  TitleIndex index({"El padrino", "Parásitos", "La la land"});
  EXPECT_EQ(*index.find("el PADRINO"), 0u);
  EXPECT_EQ(*index.find("parasitos"), 1u);
  EXPECT_EQ(*index.find("  La La Land "), 2u);
}

TEST(TitleIndex, SuggestsNearMisses) {
  TitleIndex index({"El padrino", "El padrino II", "Parásitos"});
  auto miss = index.find("El padrno");
  ASSERT_FALSE(miss.ok());
  EXPECT_EQ(miss.error().message, "no movie titled \"El padrno\" in the catalog (did you mean \"El padrino\"?)");
  auto prefix = index.find("el padrin");  // one typo from one title, the start of another
  ASSERT_FALSE(prefix.ok());
  EXPECT_EQ(prefix.error().message,
            "no movie titled \"el padrin\" in the catalog (did you mean \"El padrino\", \"El padrino II\"?)");
  auto far = index.find("Titanic");
  ASSERT_FALSE(far.ok());
  EXPECT_EQ(far.error().message, "no movie titled \"Titanic\" in the catalog");
  EXPECT_FALSE(index.find("  ").ok());
}

}  // namespace
}  // namespace cinerec
