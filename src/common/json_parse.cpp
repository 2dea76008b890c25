#include "common/json_parse.h"

namespace cinerec {

namespace {

// "[json.exception.parse_error.101] parse error at line 1, column 7: syntax error while parsing value -
// invalid literal; last read: 'x'" → "invalid literal; last read: 'x'" (the caller gives the position).
std::string reason_of(const nlohmann::json::exception& e) {
  std::string what = e.what();
  if (auto p = what.find("syntax error while parsing "); p != std::string::npos) {
    if (auto dash = what.find(" - ", p); dash != std::string::npos) return what.substr(dash + 3);
  }
  if (auto p = what.find("] "); p != std::string::npos) return what.substr(p + 2);
  return what;
}

}  // namespace

std::optional<nlohmann::json> parse_json_text(std::string_view text, JsonSyntaxError* error) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte counts from 1 and points just past the offending character.
    *error = {e.byte == 0 ? 0 : e.byte - 1, reason_of(e)};
  } catch (const nlohmann::json::exception& e) {
    // out_of_range.406 "number overflow parsing '1e999'" carries no position: find the literal.
    std::string reason = reason_of(e);
    std::size_t offset = 0;
    if (auto open = reason.find('\''), close = reason.rfind('\''); open != std::string::npos && close > open) {
      if (auto at = text.find(std::string_view(reason).substr(open + 1, close - open - 1)); at != std::string_view::npos)
        offset = at;
    }
    *error = {offset, reason};
  }
  return std::nullopt;
}

std::vector<std::string> json_string_array(std::string_view text) {
  std::vector<std::string> out;
  JsonSyntaxError ignored;
  auto parsed = parse_json_text(text, &ignored);
  if (!parsed || !parsed->is_array()) return out;
  for (const auto& item : *parsed)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

}  // namespace cinerec
