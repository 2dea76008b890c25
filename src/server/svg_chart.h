// Bar charts drawn on the server as standalone SVG documents, so the statistics page needs no
// JavaScript charting library and works offline.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace cinerec {

struct BarChart {
  std::string title;  // the chart's accessible name (<title>)
  std::vector<std::pair<std::string, std::size_t>> bars;  // label, value; drawn in this order
  bool horizontal = false;  // horizontal bars suit long labels (genres); vertical suit years
};

// A complete SVG document (UTF-8) with one <rect class="bar"> per bar, each with a <title> tooltip
// "label: value", value labels beside the bars, and an axis scaled to the largest value. Labels and
// the title are XML-escaped. An empty chart is a valid SVG that says there is no data.
std::string bar_chart_svg(const BarChart& chart);

// Escapes &, <, >, " and ' for XML text and attribute values.
std::string xml_escape(const std::string& text);

}  // namespace cinerec
