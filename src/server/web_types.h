// The server's own request/response model: what the HTTP layer (http_server.cpp) hands to the web app
// and gets back. Keeping httplib out of the handlers lets them be tested without sockets.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cinerec {

struct WebRequest {
  std::string method;                            // "GET", "POST", … ("HEAD" is answered as GET)
  std::string path;                              // URL-decoded, without the query string
  std::multimap<std::string, std::string> query; // URL-decoded query parameters
  std::string body;
  std::string content_type;                      // the Content-Type header, or empty
  std::string if_none_match;                     // the If-None-Match header, or empty

  // The first value of a query parameter, if present.
  std::optional<std::string> param(const std::string& name) const;
  // Every value of a repeated query parameter, in order.
  std::vector<std::string> params(const std::string& name) const;
};

struct WebResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A JSON body (UTF-8) with the given status.
WebResponse json_response(int status, const nlohmann::ordered_json& body);

// The API's one error shape: {"error": {"code": code, "message": message}}.
WebResponse error_response(int status, const std::string& code, const std::string& message);

// An API failure before a response is built: the status, a stable machine code and a one-line message;
// `id` (the error's "id" field) names the movie id of the request that the error is about, if any.
struct ApiError {
  int status = 400;
  std::string code;
  std::string message;
  std::optional<std::int64_t> id{};
  WebResponse response() const;
};

}  // namespace cinerec
