// Random identifiers in the shapes Speckle uses: lower-case hex of a given length.
#pragma once

#include <cstddef>
#include <string>

namespace stipple {

// `length` lower-case hex characters from the operating system's CSPRNG.
std::string random_hex(std::size_t length);

// The 10-character ids of users, projects, models, versions, apps, tokens.
inline std::string new_id() {
  return random_hex(10);
}

// An RFC 4122 version 4 UUID in its canonical text form.
std::string new_uuid();

}  // namespace stipple
