// parse_json_text: every failure is a value with a position, including the out_of_range exception that
// nlohmann throws (instead of parse_error) for a number beyond a double's range.
#include "common/json_parse.h"

#include <gtest/gtest.h>

namespace cinerec {
namespace {

TEST(ParseJsonText, ParsesADocument) {
  JsonSyntaxError error;
  auto doc = parse_json_text(R"({"a": [1, 2.5, "x"]})", &error);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ((*doc)["a"][1], 2.5);
}

TEST(ParseJsonText, SyntaxErrorGivesTheOffendingByte) {
  JsonSyntaxError error;
  EXPECT_FALSE(parse_json_text("[1, 2,, 3]", &error).has_value());
  EXPECT_EQ(error.offset, 6u);  // the second comma
  EXPECT_EQ(error.reason.find("[json.exception"), std::string::npos) << error.reason;
  EXPECT_FALSE(error.reason.empty());
}

TEST(ParseJsonText, NumberOverflowIsAnErrorNotAnException) {
  // The catalog import fuzzer's crash: "1[445909973E711006582506[666" as a JSON Lines file.
  JsonSyntaxError error;
  EXPECT_FALSE(parse_json_text("[445909973E711006582506[666", &error).has_value());
  EXPECT_NE(error.reason.find("number overflow"), std::string::npos) << error.reason;
  EXPECT_EQ(error.offset, 1u);
  EXPECT_FALSE(parse_json_text(R"({"year": 1e400})", &error).has_value());
  EXPECT_EQ(error.offset, 9u);
  EXPECT_FALSE(parse_json_text("-1e99999", &error).has_value());
  EXPECT_EQ(error.offset, 0u);
}

TEST(ParseJsonText, EmptyAndTruncatedInputAreErrors) {
  JsonSyntaxError error;
  EXPECT_FALSE(parse_json_text("", &error).has_value());
  EXPECT_FALSE(parse_json_text(R"({"title": "Al)", &error).has_value());
  EXPECT_FALSE(parse_json_text("\xff", &error).has_value());
}

}  // namespace
}  // namespace cinerec
