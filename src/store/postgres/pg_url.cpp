#include "store/postgres/pg_url.h"

#include <cctype>
#include <cstdio>
#include <optional>
#include <set>
#include <utility>

namespace cinerec {
namespace {

constexpr std::string_view kSchemes[] = {"postgresql://", "postgres://"};

// Parts of a URL: [scheme][userinfo@][host…][?query]. Positions are offsets into the URL.
struct UrlParts {
  std::size_t after_scheme = 0;        // first character after "://"
  std::size_t userinfo_end = std::string_view::npos;  // position of the '@', npos when none
  std::size_t query = std::string_view::npos;         // position of the '?', npos when none
};

UrlParts split(std::string_view url) {
  UrlParts parts;
  for (auto scheme : kSchemes)
    if (url.starts_with(scheme)) parts.after_scheme = scheme.size();
  parts.query = url.find('?', parts.after_scheme);
  // The last '@' before the query ends the user info, so an unencoded '@' or '/' in a password still
  // counts as password rather than host.
  auto at = url.substr(0, parts.query).rfind('@');
  if (at != std::string_view::npos && at >= parts.after_scheme) parts.userinfo_end = at;
  return parts;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() &&
        std::isxdigit(static_cast<unsigned char>(s[i + 1])) && std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The query parameters as (name, value) text ranges.
template <class F>
void for_each_param(std::string_view url, const UrlParts& parts, F f) {
  if (parts.query == std::string_view::npos) return;
  std::size_t start = parts.query + 1;
  while (start <= url.size()) {
    auto end = url.find('&', start);
    if (end == std::string_view::npos) end = url.size();
    auto param = url.substr(start, end - start);
    auto eq = param.find('=');
    f(param, param.substr(0, eq), eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1));
    start = end + 1;
  }
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + with.size()))
    text.replace(pos, what.size(), with);
}

}  // namespace

bool is_postgres_url(std::string_view location) {
  for (auto scheme : kSchemes)
    if (location.starts_with(scheme)) return true;
  return false;
}

std::string postgres_url_password(std::string_view url) {
  auto parts = split(url);
  std::string password;
  if (parts.userinfo_end != std::string_view::npos) {
    auto userinfo = url.substr(parts.after_scheme, parts.userinfo_end - parts.after_scheme);
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) password = percent_decode(userinfo.substr(colon + 1));
  }
  for_each_param(url, parts, [&](std::string_view raw, std::string_view name, std::string_view value) {
    if (name == "password") password = percent_decode(value);
  });
  return password;
}

std::string redact_postgres_url(std::string_view url) {
  auto parts = split(url);
  std::string out(url.substr(0, parts.after_scheme));
  if (parts.userinfo_end != std::string_view::npos) {
    auto userinfo = url.substr(parts.after_scheme, parts.userinfo_end - parts.after_scheme);
    out += userinfo.substr(0, userinfo.find(':'));
    out += url.substr(parts.userinfo_end, parts.query == std::string_view::npos ? std::string_view::npos
                                                                                 : parts.query - parts.userinfo_end);
  } else {
    out += url.substr(parts.after_scheme, parts.query == std::string_view::npos ? std::string_view::npos
                                                                                 : parts.query - parts.after_scheme);
  }
  std::string query;
  for_each_param(url, parts, [&](std::string_view raw, std::string_view name, std::string_view value) {
    if (name == "password") return;
    query += (query.empty() ? "?" : "&") + std::string(raw);
  });
  return out + query;
}

Result<std::string> postgres_connection_uri(std::string_view url) {
  if (!is_postgres_url(url))
    return Error{redact_postgres_url(url) + ": not a PostgreSQL URL (expected postgres://USER@HOST:PORT/DATABASE)"};
  auto parts = split(url);
  std::set<std::string, std::less<>> given;
  std::optional<std::string> bad;
  for_each_param(url, parts, [&](std::string_view raw, std::string_view name, std::string_view) {
    given.emplace(name);
    if ((name.empty() || raw.find('=') == std::string_view::npos) && !bad) bad = std::string(raw);
  });
  if (bad)
    return Error{redact_postgres_url(url) + ": malformed query parameter \"" + *bad + "\" (expected NAME=VALUE)"};
  std::string uri(url);
  // Without these a dead host or a silently dropped connection (a failover, a cut network) would block
  // a call for the kernel's TCP timeouts, minutes; with them it fails in seconds and is retried.
  static constexpr std::pair<std::string_view, std::string_view> kDefaults[] = {
      {"connect_timeout", "5"},      {"application_name", "cinerec"}, {"keepalives_idle", "10"},
      {"keepalives_interval", "5"}, {"keepalives_count", "3"},        {"tcp_user_timeout", "15000"},
  };
  for (const auto& [name, value] : kDefaults) {
    if (given.count(name)) continue;
    uri += (uri.find('?', parts.after_scheme) == std::string::npos ? "?" : "&");
    uri += std::string(name) + "=" + std::string(value);
  }
  return uri;
}

// libpq never puts the password in its messages, so this is a second line of defence; a password of
// one to three characters would match ordinary words and make every message unreadable.
constexpr std::size_t kMinRedactedPassword = 4;

std::string one_line_pg_message(std::string_view message, std::string_view password) {
  std::string out;
  std::size_t start = 0;
  while (start < message.size()) {
    auto end = message.find('\n', start);
    if (end == std::string_view::npos) end = message.size();
    auto line = message.substr(start, end - start);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
    if (!line.empty()) out += (out.empty() ? "" : "; ") + std::string(line);
    start = end + 1;
  }
  // libpq prefixes server errors with "FATAL:  " / "ERROR:  "; the double space is noise in one line.
  replace_all(out, ":  ", ": ");
  if (password.size() >= kMinRedactedPassword) {
    replace_all(out, password, "***");
    std::string encoded;
    for (unsigned char c : password) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        encoded += static_cast<char>(c);
      } else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", c);
        encoded += hex;
      }
    }
    replace_all(out, encoded, "***");
  }
  return out;
}

}  // namespace cinerec
