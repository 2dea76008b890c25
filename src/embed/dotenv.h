// Reader for dotenv files: `.env` and the original system's `api_keys.env`
// (`openai_api_key=sk-…`, `gemini_api_key=…`).
//
// Accepted syntax, one assignment per line:
//   NAME=value            # comment after an unquoted value needs a space before '#'
//   export NAME=value
//   NAME="value with \"escapes\" \n"   (double quotes: \n \t \" \\ \$ escapes)
//   NAME='literal value'
// Blank lines and lines starting with '#' are ignored. Values are never echoed in errors, because
// they are usually credentials.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cinerec {

struct DotenvEntry {
  std::string name;   // as written in the file (case preserved)
  std::string value;
  int line = 0;       // 1-based line number in the file
};

// Parses dotenv text. `origin` names the source in errors: "<origin>:<line>: <what is wrong>".
Result<std::vector<DotenvEntry>> parse_dotenv(std::string_view text, std::string_view origin);

// Reads and parses a dotenv file. A missing file is not an error (empty result); an unreadable one is.
Result<std::vector<DotenvEntry>> read_dotenv_file(const std::filesystem::path& path);

}  // namespace cinerec
