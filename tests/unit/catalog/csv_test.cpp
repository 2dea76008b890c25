#include "catalog/csv.h"

#include <gtest/gtest.h>

namespace cinerec {
namespace {

TEST(Csv, QuotesCommasNewlinesAndBom) {
  auto rows = parse_csv("\xEF\xBB\xBFtitle,description\r\n\"A, b\",\"line one\nline \"\"two\"\"\"\r\n\nc,d");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"title", "description"}));
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"A, b", "line one\nline \"two\""}));
  EXPECT_EQ((*rows)[1].line, 2u);
  EXPECT_EQ((*rows)[2].line, 5u);  // the quoted newline and the blank line both count
  EXPECT_EQ((*rows)[2].fields, (std::vector<std::string>{"c", "d"}));
}

TEST(Csv, EmptyFields) {
  auto rows = parse_csv("a,,c\n,,\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"a", "", "c"}));
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"", "", ""}));
}

TEST(Csv, ErrorsNameLineAndColumn) {
  auto unclosed = parse_csv("a,b\n\"x,y\n");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.error().message, "line 2, column 1: quoted field is never closed");
  auto stray = parse_csv("a,b\nx\"y,z\n");
  ASSERT_FALSE(stray.ok());
  EXPECT_EQ(stray.error().message, "line 2, column 2: quote inside an unquoted field");
  auto after = parse_csv("\"x\"y,z\n");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().message, "line 1, column 4: unexpected character after a closing quote");
}

}  // namespace
}  // namespace cinerec
