#include "embed/config_source.h"

#include <cctype>
#include <cstdlib>

namespace cinerec {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v || !*v) return std::nullopt;
    return std::string(v);
  };
}

ConfigSource::ConfigSource() : env_(process_environment()) {}

ConfigSource::ConfigSource(EnvLookup env,
                           std::vector<std::pair<std::string, std::vector<DotenvEntry>>> files)
    : env_(std::move(env)), files_(std::move(files)) {}

Result<ConfigSource> ConfigSource::load(EnvLookup env,
                                        const std::vector<std::filesystem::path>& files) {
  std::vector<std::pair<std::string, std::vector<DotenvEntry>>> parsed;
  for (const auto& path : files) {
    auto entries = read_dotenv_file(path);
    if (!entries.ok()) return entries.error();
    if (!entries->empty()) parsed.emplace_back(path.string(), std::move(entries.value()));
  }
  return ConfigSource(std::move(env), std::move(parsed));
}

std::vector<std::filesystem::path> ConfigSource::default_files(const EnvLookup& env) {
  if (auto explicit_file = env("CINEREC_ENV_FILE")) return {*explicit_file};
  return {".env", "api_keys.env"};
}

std::optional<Setting> ConfigSource::get(std::string_view name) const {
  if (env_) {
    if (auto v = env_(std::string(name))) return Setting{*v, "environment"};
  }
  for (const auto& [file, entries] : files_) {
    // Within one file the last assignment wins, as when the file is sourced by a shell.
    for (auto e = entries.rbegin(); e != entries.rend(); ++e) {
      if (iequals(e->name, name))
        return e->value.empty() ? std::nullopt
                                : std::optional<Setting>(Setting{e->value, file + ":" + std::to_string(e->line)});
    }
  }
  return std::nullopt;
}

}  // namespace cinerec
