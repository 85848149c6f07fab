// JSON text as JavaScript writes it. Speckle's ids are md5 hashes of JSON.stringify output, and
// objects stored through GraphQL keep that text, so Stipple must produce the same bytes.
#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace stipple {

// JavaScript's String(number): shortest round-trip digits, integers below 1e21 in full,
// exponents written as "e+21" / "e-7".
std::string js_number(double value);

// JavaScript's JSON.stringify(value) for a parsed JSON value: no whitespace; object members with
// array-index keys ("0", "1", ...) first in ascending order, then the others in insertion order;
// strings escaped as JSON.stringify does; integers beyond 2^53 rounded as a double would be.
std::string js_stringify(const boost::json::value& value);

}  // namespace stipple
