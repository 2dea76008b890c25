// parse_dotenv on arbitrary bytes: never crashes; every name it returns is a valid name; errors name
// the origin and a line and never quote a value or a word without '=' (a pasted key); and whatever it accepts,
// written back as NAME="escaped value" lines, parses to the same entries.
#include <cstdint>
#include <string>
#include <string_view>

#include "embed/dotenv.h"
#include "fuzz_check.h"

namespace {

bool valid_name(const std::string& name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool rest = (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!(alpha || (i > 0 && rest))) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto entries = cinerec::parse_dotenv(text, "fuzz.env");
  if (!entries.ok()) {
    const std::string& m = entries.error().message;
    FUZZ_CHECK(m.starts_with("fuzz.env:"), "errors start with the origin");
    // Values are usually credentials: after "<origin>:<line>: " an error is a fixed phrase, optionally
    // ending in " of NAME" where NAME was followed by '=' in the input (so it is a name, not a key).
    std::size_t p = std::string("fuzz.env:").size();
    while (p < m.size() && m[p] >= '0' && m[p] <= '9') ++p;
    FUZZ_CHECK(m.compare(p, 2, ": ") == 0, "origin:line: prefix");
    const std::string tail = m.substr(p + 2);
    if (const auto of = tail.rfind(" of "); of != std::string::npos &&
        (tail.starts_with("unterminated ") || tail.starts_with("unexpected text after the quoted value"))) {
      const std::string name = tail.substr(of + 4);
      FUZZ_CHECK(valid_name(name), "the name in an error is a valid name");
      bool assigned = false;
      for (std::size_t at = text.find(name); at != std::string_view::npos && !assigned; at = text.find(name, at + 1)) {
        std::size_t q = at + name.size();
        while (q < text.size() && (text[q] == ' ' || text[q] == '\t')) ++q;
        assigned = q < text.size() && text[q] == '=';
      }
      FUZZ_CHECK(assigned, "a name quoted in an error was followed by '=' in the input");
    } else {
      FUZZ_CHECK(tail == "expected NAME=value (a name starts with a letter or '_')" ||
                     tail == "expected '=' after the name (a line holds NAME=value)",
                 "any other error is a fixed phrase");
    }
    return 0;
  }
  std::string rewritten;
  int previous_line = 0;
  for (const auto& e : *entries) {
    FUZZ_CHECK(valid_name(e.name), "names are [A-Za-z_][A-Za-z0-9_.-]*");
    FUZZ_CHECK(e.line > previous_line, "entries come in line order");
    previous_line = e.line;
    rewritten += e.name + "=\"";
    for (char c : e.value) {
      if (c == '"' || c == '\\') rewritten += '\\';
      rewritten += c;
    }
    rewritten += "\"\n";
  }
  auto again = cinerec::parse_dotenv(rewritten, "rewritten");
  FUZZ_CHECK(again.ok(), "quoted rewrite parses");
  FUZZ_CHECK(again->size() == entries->size(), "same number of entries after rewrite");
  for (std::size_t i = 0; i < entries->size(); ++i) {
    FUZZ_CHECK((*again)[i].name == (*entries)[i].name, "same name after rewrite");
    FUZZ_CHECK((*again)[i].value == (*entries)[i].value, "same value after rewrite");
  }
  return 0;
}
