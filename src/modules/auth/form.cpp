#include "modules/auth/form.h"

#include <boost/url/parse_query.hpp>

#include "base/error.h"
#include "net/server.h"

namespace stipple::auth {

namespace json = boost::json;

json::object body_fields(net::Exchange& ex) {
  const std::string& body = ex.body();
  if (body.empty()) return {};
  const std::string_view type = ex.header(net::http::field::content_type);
  if (type.starts_with("application/x-www-form-urlencoded")) {
    json::object fields;
    auto parsed = boost::urls::parse_query(body);
    if (!parsed) return fields;
    for (const auto& param : *parsed) {
      if (!fields.contains(param.key)) fields[param.key] = param.value;
    }
    return fields;
  }
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec) throw Error("USER_INPUT_ERROR", "The request body is not valid JSON", 400);
  if (!value.is_object()) return {};
  return std::move(value.as_object());
}

std::optional<std::string> text_field(const json::object& fields, std::string_view key) {
  const auto* value = fields.if_contains(key);
  if (!value || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

void redirect(net::Exchange& ex, const std::string& url) {
  ex.set_header(net::http::field::location, url);
  ex.respond(net::http::status::found, "Found. Redirecting to " + url, "text/plain; charset=utf-8");
}

}  // namespace stipple::auth
