#include "embed/http_client.h"

#include <cctype>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "common/text.h"

namespace cinerec {
namespace {

void global_init_once() {
  static std::once_flag flag;
  std::call_once(flag, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
  std::optional<std::chrono::milliseconds> retry_after;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t->body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  std::string_view line(data, n);
  // retry-after-ms is more precise, so it wins over retry-after whatever their order.
  if (iequals_prefix(line, "retry-after-ms")) {
    if (auto ms = parse_retry_after_ms(line.substr(15))) t->retry_after = ms;
  } else if (iequals_prefix(line, "retry-after") && !t->retry_after) {
    t->retry_after = parse_retry_after(line.substr(12), std::chrono::system_clock::now());
  } else if (line.starts_with("HTTP/")) {
    t->retry_after.reset();  // a new response (e.g. after 100-continue) starts
  }
  return n;
}

bool is_retryable_transport(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

std::string one_line(std::string_view text, std::size_t max_chars) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max_chars) {
      out += "…";
      break;
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return std::string(trim(out));
}

struct CurlHandle {
  CURL* h = curl_easy_init();
  ~CurlHandle() { curl_easy_cleanup(h); }
};

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
};

// One attempt. Sets `transport_error` (curl's text) for failures below HTTP.
struct AttemptResult {
  CURLcode code = CURLE_OK;
  std::string transport_error;
  long status = 0;
  Transfer transfer;
};

AttemptResult attempt(const HttpRequest& request, const HttpOptions& options) {
  AttemptResult r;
  r.transfer.max_bytes = options.max_response_bytes;
  CurlHandle curl;
  if (!curl.h) {
    r.code = CURLE_FAILED_INIT;
    r.transport_error = "could not initialise libcurl";
    return r;
  }
  HeaderList headers;
  for (const auto& h : request.headers) {
    const std::string line = h.name + ": " + h.value;
    headers.list = curl_slist_append(headers.list, line.c_str());
  }
  // Without this curl sends "Expect: 100-continue" for large bodies and waits for it.
  headers.list = curl_slist_append(headers.list, "Expect:");
  char error_buffer[CURL_ERROR_SIZE] = {0};
  CURL* h = curl.h;
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // required for timeouts in multi-threaded programs
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  // Redirects are not followed: a redirect could carry the API key header to another host.
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // whatever curl can decode
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &r.transfer);
  if (request.method == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }
  r.code = curl_easy_perform(h);
  if (r.code != CURLE_OK) {
    if (r.transfer.too_large) {
      r.transport_error = "response larger than " +
                          std::to_string(options.max_response_bytes >> 20) + " MiB";
    } else {
      r.transport_error = error_buffer[0] ? std::string(error_buffer) : curl_easy_strerror(r.code);
    }
    return r;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

std::string format_seconds(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

}  // namespace

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)) {
  global_init_once();
  if (options_.retry.max_attempts < 1) options_.retry.max_attempts = 1;
}

bool is_http_rejection(const Error& error) {
  const std::string_view text = error.message;
  const auto at = text.find(": HTTP ");
  if (at == std::string_view::npos || text.size() < at + 10) return false;
  const std::string_view code = text.substr(at + 7, 3);
  if (code[0] != '4' || !std::isdigit(static_cast<unsigned char>(code[1])) ||
      !std::isdigit(static_cast<unsigned char>(code[2])) || text[at + 10] != ':')
    return false;
  return code != "408" && code != "429";
}

std::string api_error_message(std::string_view body) {
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_discarded()) {
    auto text_of = [](const nlohmann::json& j) -> std::optional<std::string> {
      if (j.is_string()) return j.get<std::string>();
      return std::nullopt;
    };
    if (parsed.is_object()) {
      if (auto it = parsed.find("error"); it != parsed.end()) {
        if (auto s = text_of(*it)) return one_line(*s, 500);
        if (it->is_object()) {
          if (auto m = it->find("message"); m != it->end()) {
            if (auto s = text_of(*m)) return one_line(*s, 500);
          }
        }
      }
      for (const char* key : {"message", "detail"}) {
        if (auto it = parsed.find(key); it != parsed.end()) {
          if (auto s = text_of(*it)) return one_line(*s, 500);
        }
      }
    }
  }
  std::string line = one_line(body, 300);
  if (line.empty()) return "(empty response body)";
  return line;
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    std::size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), "[redacted]");
      pos += 10;
    }
  }
  return text;
}

std::string display_url(std::string_view url) {
  std::string out(url);
  if (auto q = out.find_first_of("?#"); q != std::string::npos) out.erase(q);
  const auto scheme = out.find("://");
  const std::size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  const auto path = out.find('/', authority);
  const auto at = out.rfind('@', path == std::string::npos ? std::string::npos : path);
  if (at != std::string::npos && at >= authority) out.erase(authority, at + 1 - authority);
  return out;
}

Result<HttpResponse> HttpClient::send(const HttpRequest& request, std::string_view label) const {
  std::vector<std::string> secrets;
  for (const auto& h : request.headers) {
    if (h.secret) {
      secrets.push_back(h.value);
      // "Bearer sk-…" as a whole and the bare key are both secrets.
      if (auto space = h.value.rfind(' '); space != std::string::npos)
        secrets.push_back(h.value.substr(space + 1));
    }
  }
  const std::string where =
      std::string(label) + ": " + request.method + " " + display_url(request.url);
  const auto log = [&](const std::string& line) {
    const std::string clean = redact(line, secrets);
    if (options_.log) {
      options_.log(clean);
    } else {
      std::cerr << "cinerec: " << clean << "\n";
    }
  };
  const auto fail = [&](const std::string& reason) -> Error {
    return Error{redact(where + ": " + reason, secrets)};
  };
  std::mt19937_64 rng(options_.jitter_seed ? options_.jitter_seed : std::random_device{}());
  const int max_attempts = options_.retry.max_attempts;

  for (int attempt_no = 1;; ++attempt_no) {
    AttemptResult r = attempt(request, options_);
    std::string reason;
    bool retryable = false;
    if (r.code != CURLE_OK) {
      reason = r.code == CURLE_OPERATION_TIMEDOUT
                   ? "timed out (" + r.transport_error + ")"
                   : r.transport_error;
      retryable = is_retryable_transport(r.code);
    } else if (r.status >= 200 && r.status < 300) {
      return HttpResponse{r.status, std::move(r.transfer.body)};
    } else {
      reason = "HTTP " + std::to_string(r.status) + ": " + api_error_message(r.transfer.body);
      retryable = is_retryable_status(r.status);
    }
    if (!retryable) return fail(reason);
    if (attempt_no >= max_attempts) {
      return fail(reason + " (gave up after " + std::to_string(attempt_no) +
                  (attempt_no == 1 ? " attempt)" : " attempts)"));
    }
    std::chrono::milliseconds delay;
    if (r.transfer.retry_after) {
      if (*r.transfer.retry_after > options_.retry.max_retry_after) {
        return fail(reason + " (server asks to retry after " +
                    format_seconds(*r.transfer.retry_after) + ", longer than the " +
                    format_seconds(options_.retry.max_retry_after) + " this client waits)");
      }
      delay = *r.transfer.retry_after;
    } else {
      delay = backoff_delay(options_.retry, attempt_no, rng);
    }
    log(where + ": " + reason + "; retrying in " + format_seconds(delay) + " (attempt " +
        std::to_string(attempt_no + 1) + " of " + std::to_string(max_attempts) + ")");
    if (options_.sleep) {
      options_.sleep(delay);
    } else {
      std::this_thread::sleep_for(delay);
    }
  }
}

}  // namespace cinerec
