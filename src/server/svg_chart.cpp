#include "server/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace cinerec {

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// A "nice" axis maximum and tick step (1, 2 or 5 times a power of ten) with about 5 ticks.
std::pair<double, double> axis_of(std::size_t max_value) {
  double top = std::max<double>(static_cast<double>(max_value), 1.0);
  double raw = top / 5.0;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  step = std::max(step, 1.0);
  return {std::ceil(top / step) * step, step};
}

std::string fmt(double x) {
  std::ostringstream s;
  s.precision(1);
  s << std::fixed << x;
  std::string out = s.str();
  if (out.ends_with(".0")) out.resize(out.size() - 2);
  return out;
}

void open_svg(std::ostringstream& svg, double width, double height, const std::string& title) {
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << fmt(width) << ' ' << fmt(height)
      << "\" width=\"" << fmt(width) << "\" height=\"" << fmt(height) << "\" role=\"img\" aria-labelledby=\"t\""
      << " font-family=\"system-ui, sans-serif\" font-size=\"12\">\n"
      << "<title id=\"t\">" << xml_escape(title) << "</title>\n"
      << "<style>.bar{fill:#b8322c}.bar:hover{fill:#7d1f1a}.grid{stroke:#ddd}.axis{stroke:#555}"
         ".val{fill:#222}.lbl{fill:#333}</style>\n";
}

}  // namespace

std::string bar_chart_svg(const BarChart& chart) {
  std::ostringstream svg;
  const std::size_t n = chart.bars.size();
  std::size_t max_value = 0;
  for (const auto& b : chart.bars) max_value = std::max(max_value, b.second);
  auto [axis_max, step] = axis_of(max_value);

  if (n == 0) {
    open_svg(svg, 400, 80, chart.title);
    svg << "<text x=\"200\" y=\"45\" text-anchor=\"middle\" class=\"lbl\">—</text>\n</svg>\n";
    return svg.str();
  }

  if (chart.horizontal) {
    std::size_t longest = 0;
    for (const auto& b : chart.bars) longest = std::max(longest, b.first.size());
    const double left = 16 + 7.0 * static_cast<double>(std::min<std::size_t>(longest, 28));
    const double bar_h = 22, gap = 6, top = 10, plot_w = 460, right = 40;
    const double height = top + n * (bar_h + gap) + 30;
    const double width = left + plot_w + right;
    open_svg(svg, width, height, chart.title);
    const double bottom = top + n * (bar_h + gap);
    for (double t = 0; t <= axis_max + 1e-9; t += step) {
      double x = left + plot_w * t / axis_max;
      svg << "<line class=\"grid\" x1=\"" << fmt(x) << "\" y1=\"" << fmt(top) << "\" x2=\"" << fmt(x) << "\" y2=\""
          << fmt(bottom) << "\"/><text class=\"lbl\" x=\"" << fmt(x) << "\" y=\"" << fmt(bottom + 16)
          << "\" text-anchor=\"middle\">" << fmt(t) << "</text>\n";
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto& [label, value] = chart.bars[i];
      double y = top + i * (bar_h + gap);
      double w = plot_w * static_cast<double>(value) / axis_max;
      svg << "<g><title>" << xml_escape(label) << ": " << value << "</title>"
          << "<text class=\"lbl\" x=\"" << fmt(left - 6) << "\" y=\"" << fmt(y + bar_h * 0.7)
          << "\" text-anchor=\"end\">" << xml_escape(label) << "</text>"
          << "<rect class=\"bar\" x=\"" << fmt(left) << "\" y=\"" << fmt(y) << "\" width=\"" << fmt(w)
          << "\" height=\"" << fmt(bar_h) << "\"/>"
          << "<text class=\"val\" x=\"" << fmt(left + w + 4) << "\" y=\"" << fmt(y + bar_h * 0.7) << "\">" << value
          << "</text></g>\n";
    }
    svg << "<line class=\"axis\" x1=\"" << fmt(left) << "\" y1=\"" << fmt(top) << "\" x2=\"" << fmt(left)
        << "\" y2=\"" << fmt(bottom) << "\"/>\n</svg>\n";
    return svg.str();
  }

  const double left = 40, top = 16, plot_h = 220, bottom_labels = 56, right = 12;
  const double slot = std::max(14.0, std::min(48.0, 900.0 / static_cast<double>(n)));
  const double bar_w = slot * 0.72;
  const double width = left + n * slot + right;
  const double height = top + plot_h + bottom_labels;
  open_svg(svg, width, height, chart.title);
  const double base = top + plot_h;
  for (double t = 0; t <= axis_max + 1e-9; t += step) {
    double y = base - plot_h * t / axis_max;
    svg << "<line class=\"grid\" x1=\"" << fmt(left) << "\" y1=\"" << fmt(y) << "\" x2=\"" << fmt(width - right)
        << "\" y2=\"" << fmt(y) << "\"/><text class=\"lbl\" x=\"" << fmt(left - 6) << "\" y=\"" << fmt(y + 4)
        << "\" text-anchor=\"end\">" << fmt(t) << "</text>\n";
  }
  const bool rotate = slot < 40;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& [label, value] = chart.bars[i];
    double x = left + i * slot + (slot - bar_w) / 2;
    double h = plot_h * static_cast<double>(value) / axis_max;
    double cx = x + bar_w / 2;
    svg << "<g><title>" << xml_escape(label) << ": " << value << "</title>"
        << "<rect class=\"bar\" x=\"" << fmt(x) << "\" y=\"" << fmt(base - h) << "\" width=\"" << fmt(bar_w)
        << "\" height=\"" << fmt(h) << "\"/>";
    if (value > 0)
      svg << "<text class=\"val\" x=\"" << fmt(cx) << "\" y=\"" << fmt(base - h - 3) << "\" text-anchor=\"middle\">"
          << value << "</text>";
    if (rotate)
      svg << "<text class=\"lbl\" x=\"" << fmt(cx) << "\" y=\"" << fmt(base + 10) << "\" text-anchor=\"end\""
          << " transform=\"rotate(-60 " << fmt(cx) << ' ' << fmt(base + 10) << ")\">" << xml_escape(label) << "</text>";
    else
      svg << "<text class=\"lbl\" x=\"" << fmt(cx) << "\" y=\"" << fmt(base + 16) << "\" text-anchor=\"middle\">"
          << xml_escape(label) << "</text>";
    svg << "</g>\n";
  }
  svg << "<line class=\"axis\" x1=\"" << fmt(left) << "\" y1=\"" << fmt(base) << "\" x2=\"" << fmt(width - right)
      << "\" y2=\"" << fmt(base) << "\"/>\n</svg>\n";
  return svg.str();
}

}  // namespace cinerec
