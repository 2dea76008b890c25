// Where provider settings come from: the process environment first, then dotenv files in order.
// Dotenv names match case-insensitively, so the original's `openai_api_key=` in api_keys.env
// answers for OPENAI_API_KEY.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "embed/dotenv.h"

namespace cinerec {

struct Setting {
  std::string value;
  std::string origin;  // "environment" or "<file>:<line>"; safe to print, unlike the value
};

// Looks a variable up in the real environment; empty values count as unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_environment();

class ConfigSource {
 public:
  // The environment alone.
  ConfigSource();
  ConfigSource(EnvLookup env, std::vector<std::pair<std::string, std::vector<DotenvEntry>>> files);

  // Environment plus `files` (missing files are skipped); fails on the first unreadable or
  // malformed file with "<file>:<line>: …".
  static Result<ConfigSource> load(EnvLookup env, const std::vector<std::filesystem::path>& files);

  // The dotenv files cinerec reads by default, in precedence order: CINEREC_ENV_FILE if set,
  // else ./.env and ./api_keys.env.
  static std::vector<std::filesystem::path> default_files(const EnvLookup& env);

  // The environment's value if set and non-empty, else the first dotenv entry with that name.
  std::optional<Setting> get(std::string_view name) const;

 private:
  EnvLookup env_;
  std::vector<std::pair<std::string, std::vector<DotenvEntry>>> files_;
};

}  // namespace cinerec
