#include <gtest/gtest.h>

#include <regex>

#include "server/svg_chart.h"

namespace cinerec {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

// The attribute `name` of every <rect class="bar">, in order.
std::vector<double> bar_attribute(const std::string& svg, const std::string& name) {
  std::vector<double> out;
  std::regex rect("<rect class=\"bar\"[^>]*\\b" + name + "=\"([0-9.]+)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect); it != std::sregex_iterator(); ++it)
    out.push_back(std::stod((*it)[1]));
  return out;
}

TEST(BarChartSvg, VerticalBarsAreProportionalToValues) {
  BarChart chart{"Películas por década", {{"1970s", 4}, {"1980s", 0}, {"1990s", 8}, {"2000s", 2}}, false};
  std::string svg = bar_chart_svg(chart);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("<title id=\"t\">Películas por década</title>"), std::string::npos);
  EXPECT_EQ(count(svg, "<rect class=\"bar\""), 4u);
  auto heights = bar_attribute(svg, "height");
  ASSERT_EQ(heights.size(), 4u);
  EXPECT_DOUBLE_EQ(heights[1], 0.0);
  EXPECT_NEAR(heights[0] / heights[2], 0.5, 1e-3);
  EXPECT_NEAR(heights[3] / heights[2], 0.25, 1e-3);
  EXPECT_NE(svg.find("<title>1990s: 8</title>"), std::string::npos);
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
}

TEST(BarChartSvg, HorizontalBarsAreProportionalToValues) {
  BarChart chart{"genres", {{"Drama", 50}, {"Bélico", 10}, {"Western", 5}}, true};
  std::string svg = bar_chart_svg(chart);
  auto widths = bar_attribute(svg, "width");
  ASSERT_EQ(widths.size(), 3u);
  EXPECT_NEAR(widths[1] / widths[0], 0.2, 1e-3);
  EXPECT_NEAR(widths[2] / widths[0], 0.1, 1e-3);
  // The axis reaches at least the largest value: no bar is drawn past the plot.
  auto xs = bar_attribute(svg, "x");
  for (double w : widths) EXPECT_LE(w, 460.0 + 1e-9);
  EXPECT_EQ(xs.size(), 3u);
}

TEST(BarChartSvg, EscapesLabelsAndTitle) {
  BarChart chart{"<script>alert('x')</script>", {{"A & B \"<i>\"", 1}}, false};
  std::string svg = bar_chart_svg(chart);
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_EQ(svg.find("<i>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("A &amp; B &quot;&lt;i&gt;&quot;"), std::string::npos);
}

TEST(BarChartSvg, EmptyChartIsAValidDocument) {
  std::string svg = bar_chart_svg(BarChart{"nada", {}, false});
  EXPECT_EQ(count(svg, "<rect class=\"bar\""), 0u);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
}

TEST(BarChartSvg, ManyBarsRotateTheirLabels) {
  BarChart chart{"years", {}, false};
  for (int y = 1940; y < 2020; ++y) chart.bars.push_back({std::to_string(y), static_cast<std::size_t>(y % 3)});
  std::string svg = bar_chart_svg(chart);
  EXPECT_EQ(count(svg, "<rect class=\"bar\""), 80u);
  EXPECT_EQ(count(svg, "rotate(-60"), 80u);
}

}  // namespace
}  // namespace cinerec
