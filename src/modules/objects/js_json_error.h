// The message JavaScript's JSON.parse (V8, as in Node.js 20) gives for a text it rejects.
// Upstream's diff and getobjects routes put that message into their 400 answers, so Stipple
// produces the same words for the same input.
#pragma once

#include <string>
#include <string_view>

namespace stipple::objects {

// "" when `text` is valid JSON; otherwise V8's SyntaxError message, e.g.
// `Unexpected token 'o', "not json" is not valid JSON` or `Unexpected end of JSON input`.
// Positions and context are counted in bytes where V8 counts UTF-16 units: they differ only for
// non-ASCII input.
std::string js_json_parse_error(std::string_view text);

}  // namespace stipple::objects
