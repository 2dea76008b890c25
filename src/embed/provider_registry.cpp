#include "embed/provider_registry.h"

#include <charconv>
#include <cmath>

#include "embed/gemini_embedder.h"
#include "embed/local/local_provider.h"
#include "embed/ollama_embedder.h"
#include "embed/openai_embedder.h"
#include "embed/tei_embedder.h"

namespace cinerec {
namespace {

// How one provider reads its settings. Empty variable names mean "no such setting".
struct ProviderSpec {
  const char* name;
  const char* summary;
  const char* key_var;
  bool key_required;
  const char* base_var;
  const char* base_default;  // empty = required
  const char* model_var;
  const char* model_default;  // empty = required, unless model_from_server
  bool model_from_server;     // TEI: the server says which model it serves
  const char* dims_var;
};

const std::vector<ProviderSpec>& specs() {
  static const std::vector<ProviderSpec> table = {
      {"openai", "OpenAI embeddings API (POST /v1/embeddings)", "OPENAI_API_KEY", true,
       "OPENAI_BASE_URL", "https://api.openai.com", "OPENAI_EMBED_MODEL", "text-embedding-3-small",
       false, "OPENAI_EMBED_DIMENSIONS"},
      {"gemini", "Google Gemini API (batchEmbedContents)", "GEMINI_API_KEY", true,
       "GEMINI_BASE_URL", "https://generativelanguage.googleapis.com", "GEMINI_EMBED_MODEL",
       "gemini-embedding-001", false, "GEMINI_EMBED_DIMENSIONS"},
      {"openai-compatible", "any server speaking /v1/embeddings (llama.cpp, vLLM, LM Studio)",
       "OPENAI_COMPATIBLE_API_KEY", false, "OPENAI_COMPATIBLE_BASE_URL", "",
       "OPENAI_COMPATIBLE_MODEL", "", false, "OPENAI_COMPATIBLE_DIMENSIONS"},
      {"ollama", "Ollama native API (POST /api/embed)", "", false, "OLLAMA_HOST",
       "http://localhost:11434", "OLLAMA_EMBED_MODEL", "nomic-embed-text", false,
       "OLLAMA_EMBED_DIMENSIONS"},
      {"tei", "Hugging Face Text Embeddings Inference (POST /embed)", "TEI_API_KEY", false,
       "TEI_BASE_URL", "", "TEI_MODEL", "", true, ""},
  };
  return table;
}

const ProviderSpec* find_spec(const std::string& name) {
  for (const auto& s : specs())
    if (name == s.name) return &s;
  return nullptr;
}

struct Resolved {
  std::optional<Setting> key, base, model, dims;
  std::vector<std::string> missing;
};

std::optional<Setting> lookup(const ConfigSource& config, const char* var) {
  if (!*var) return std::nullopt;
  return config.get(var);
}

Resolved resolve(const ProviderSpec& spec, const ConfigSource& config, const EmbedderChoice& choice) {
  Resolved r;
  r.key = lookup(config, spec.key_var);
  if (spec.key_required && !r.key) r.missing.push_back(spec.key_var);
  r.base = lookup(config, spec.base_var);
  if (!r.base && *spec.base_default) r.base = Setting{spec.base_default, "default"};
  if (!r.base) r.missing.push_back(spec.base_var);
  if (!choice.model.empty()) {
    r.model = Setting{choice.model, "--model"};
  } else {
    r.model = lookup(config, spec.model_var);
    if (!r.model && *spec.model_default) r.model = Setting{spec.model_default, "default"};
  }
  if (!r.model && !spec.model_from_server) r.missing.push_back(std::string(spec.model_var) + " (or --model)");
  if (choice.dimensions) {
    r.dims = Setting{std::to_string(*choice.dimensions), "--dimensions"};
  } else {
    r.dims = lookup(config, spec.dims_var);
  }
  return r;
}

Result<int> parse_positive_int(const Setting& s, const char* var) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.value.data(), s.value.data() + s.value.size(), v);
  if (ec != std::errc() || end != s.value.data() + s.value.size() || v <= 0)
    return Error{std::string(var) + " (" + s.origin + "): expected a positive integer, got \"" + s.value + "\""};
  return v;
}

Result<HttpOptions> http_options(const ConfigSource& config, HttpOptions http) {
  if (auto t = config.get("CINEREC_HTTP_TIMEOUT")) {
    double seconds = 0;
    auto [end, ec] = std::from_chars(t->value.data(), t->value.data() + t->value.size(), seconds);
    if (ec != std::errc() || end != t->value.data() + t->value.size() || !(seconds > 0) || !std::isfinite(seconds))
      return Error{"CINEREC_HTTP_TIMEOUT (" + t->origin + "): expected seconds > 0, got \"" + t->value + "\""};
    http.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000)));
    if (http.connect_timeout > http.timeout) http.connect_timeout = http.timeout;
  }
  if (auto a = config.get("CINEREC_HTTP_MAX_ATTEMPTS")) {
    auto n = parse_positive_int(*a, "CINEREC_HTTP_MAX_ATTEMPTS");
    if (!n.ok()) return n.error();
    http.retry.max_attempts = *n;
  }
  return http;
}

// Names go into URL paths (Gemini), so only the characters model ids actually use are allowed.
bool is_safe_model_name(const std::string& model) {
  if (model.empty()) return false;
  for (char c : model) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '@'))
      return false;
  }
  return true;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

}  // namespace

const std::vector<std::string>& remote_provider_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& s : specs()) n.push_back(s.name);
    return n;
  }();
  return names;
}

Result<std::unique_ptr<Embedder>> make_embedder(const EmbedderChoice& choice,
                                                const ConfigSource& config,
                                                const HttpOptions& http_defaults) {
  if (choice.provider == "local") return make_local_embedder(choice, config);
  const ProviderSpec* spec = find_spec(choice.provider);
  if (!spec) {
    return Error{"unknown embedding provider \"" + choice.provider + "\" (known: " +
                 join(remote_provider_names(), ", ") + ", local)"};
  }
  Resolved r = resolve(*spec, config, choice);
  if (!r.missing.empty()) {
    return Error{choice.provider + ": not configured, set " + join(r.missing, " and ") +
                 " (see `cinerec providers`)"};
  }
  if (r.model && !is_safe_model_name(r.model->value))
    return Error{choice.provider + ": invalid model name \"" + r.model->value + "\" (" + r.model->origin + ")"};
  std::optional<int> dims;
  if (r.dims) {
    auto d = parse_positive_int(*r.dims, *spec->dims_var ? spec->dims_var : "--dimensions");
    if (!d.ok()) return d.error();
    dims = *d;
  }
  auto http = http_options(config, http_defaults);
  if (!http.ok()) return http.error();
  const std::string key = r.key ? r.key->value : "";
  const std::string model = r.model ? r.model->value : "";

  const std::string name = spec->name;
  if (name == "openai" || name == "openai-compatible") {
    OpenAIConfig c;
    c.provider = name;
    c.base_url = r.base->value;
    c.api_key = key;
    c.model = model;
    c.dimensions = dims;
    c.http = *http;
    return std::unique_ptr<Embedder>(new OpenAIEmbedder(std::move(c)));
  }
  if (name == "gemini") {
    GeminiConfig c;
    c.base_url = r.base->value;
    c.api_key = key;
    c.model = model;
    c.dimensions = dims;
    c.http = *http;
    return std::unique_ptr<Embedder>(new GeminiEmbedder(std::move(c)));
  }
  if (name == "ollama") {
    OllamaConfig c;
    c.host = r.base->value;
    c.model = model;
    c.dimensions = dims;
    c.http = *http;
    return std::unique_ptr<Embedder>(new OllamaEmbedder(std::move(c)));
  }
  if (dims) return Error{"tei: the server decides the dimension; --dimensions is not supported"};
  TeiConfig c;
  c.base_url = r.base->value;
  c.model = model;
  c.api_key = key;
  c.http = *http;
  auto tei = TeiEmbedder::create(std::move(c));
  if (!tei.ok()) return tei.error();
  return std::unique_ptr<Embedder>(std::move(tei.value()));
}

std::vector<ProviderStatus> describe_providers(const ConfigSource& config) {
  std::vector<ProviderStatus> out;
  for (const auto& spec : specs()) {
    Resolved r = resolve(spec, config, {});
    ProviderStatus s;
    s.name = spec.name;
    s.summary = spec.summary;
    s.missing = r.missing;
    s.configured = r.missing.empty();
    const auto shown = [](const Setting& v) { return v.value + " (" + v.origin + ")"; };
    if (r.base) s.details.emplace_back("base URL", display_url(r.base->value) + " (" + r.base->origin + ")");
    if (r.model) {
      s.details.emplace_back("model", shown(*r.model));
    } else if (spec.model_from_server) {
      s.details.emplace_back("model", "asked from the server (GET /info)");
    }
    if (r.dims) s.details.emplace_back("dimensions", shown(*r.dims));
    if (*spec.key_var) {
      s.details.emplace_back("api key", r.key ? "set (" + r.key->origin + ")"
                                              : spec.key_required ? std::string("missing")
                                                                  : std::string("not set (optional)"));
    }
    out.push_back(std::move(s));
  }
  out.push_back(describe_local_provider(config));
  return out;
}

std::optional<std::string> configured_default_provider(const ConfigSource& config) {
  if (auto p = config.get("CINEREC_PROVIDER")) return p->value;
  return std::nullopt;
}

}  // namespace cinerec
