#include "reference_models.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace cinerec::local::testing {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Debian's python3-torch and python3-sentencepiece live with the system interpreter, which may not
// be the first python3 on PATH (pyenv); CINEREC_PYTHON overrides.
std::string python() {
  const char* p = std::getenv("CINEREC_PYTHON");
  return p && *p ? p : "/usr/bin/python3";
}

}  // namespace

fs::path reference_models_dir() {
  const fs::path scripts = fs::path(CINEREC_SOURCE_DIR) / "tests" / "local_encoder";
  const std::string key = slurp(scripts / "make_models.py") + slurp(scripts / "texts.py") +
                          slurp(scripts / "hf_token_ids.mjs") + slurp(scripts / "package-lock.json");
  const fs::path root = fs::temp_directory_path() / "cinerec-local-encoder-models";
  const fs::path dir = root / std::to_string(std::hash<std::string>{}(key));
  if (fs::exists(dir / "done")) return dir;

  fs::create_directories(root);
  const int lock = ::open((root / "lock").c_str(), O_CREAT | O_RDWR, 0644);
  ::flock(lock, LOCK_EX);
  if (!fs::exists(dir / "done")) {
    const fs::path staging = root / ("staging-" + std::to_string(::getpid()));
    fs::remove_all(staging);
    const std::string cmd = python() + " " + (scripts / "make_models.py").string() + " " + staging.string();
    if (std::system(cmd.c_str()) == 0) {
      std::ofstream(staging / "done") << "ok\n";
      fs::remove_all(dir);
      fs::rename(staging, dir);
    }
  }
  ::flock(lock, LOCK_UN);
  ::close(lock);
  return fs::exists(dir / "done") ? dir : fs::path();
}

nlohmann::json read_reference(const fs::path& model_dir, const std::string& file) {
  std::ifstream in(model_dir / file);
  auto parsed = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? nlohmann::json::object() : parsed;
}

}  // namespace cinerec::local::testing
