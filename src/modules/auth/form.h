// Request and response helpers shared by the REST routes of identity and e-mail: the body as
// flat fields, and Express-style redirects.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

namespace stipple::net {
class Exchange;
}

namespace stipple::auth {

// The request body as flat fields: a JSON object, or an urlencoded form. A malformed JSON body is
// Error USER_INPUT_ERROR (400), as upstream's body parser answers it.
boost::json::object body_fields(net::Exchange& ex);

// A string field; nullopt when absent or not a string.
std::optional<std::string> text_field(const boost::json::object& fields, std::string_view key);

// Express's res.redirect: 302, Location, and a short text body.
void redirect(net::Exchange& ex, const std::string& url);

}  // namespace stipple::auth
