// The cryptographic primitives identity needs: bcrypt password hashes compatible with upstream's
// ($2a$/$2b$, cost 10, through libxcrypt), SHA-256 digests of token secrets, and a comparison
// whose time does not depend on where two digests differ.
#pragma once

#include <string>
#include <string_view>

namespace stipple::auth {

// The bcrypt cost upstream uses for passwords.
inline constexpr int kBcryptCost = 10;

// A new "$2b$<cost>$..." hash of `password` with a random salt.
std::string bcrypt_hash(std::string_view password, int cost = kBcryptCost);

// Whether `password` matches a "$2a$"/"$2b$"/"$2y$" hash. A malformed hash never matches.
bool bcrypt_verify(std::string_view password, std::string_view hash);

// Lower-case hex SHA-256 of `data` (64 characters).
std::string sha256_hex(std::string_view data);

// Equality in time that depends only on the lengths.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace stipple::auth
