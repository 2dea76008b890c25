#include "server/web_types.h"

namespace cinerec {

std::optional<std::string> WebRequest::param(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> WebRequest::params(const std::string& name) const {
  std::vector<std::string> out;
  auto [begin, end] = query.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

WebResponse json_response(int status, const nlohmann::ordered_json& body) {
  WebResponse r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  // Invalid UTF-8 cannot reach here from the catalog (the importer checks it), but a replacement
  // character is better than an exception in a worker thread.
  r.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  r.headers.push_back({"Cache-Control", "no-store"});
  return r;
}

WebResponse error_response(int status, const std::string& code, const std::string& message) {
  return ApiError{status, code, message}.response();
}

WebResponse ApiError::response() const {
  nlohmann::ordered_json body;
  body["error"]["code"] = code;
  body["error"]["message"] = message;
  if (id) body["error"]["id"] = *id;
  return json_response(status, body);
}

}  // namespace cinerec
