#include "base/ids.h"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace stipple {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void random_bytes(unsigned char* out, std::size_t count) {
  if (RAND_bytes(out, static_cast<int>(count)) != 1) {
    throw std::runtime_error("the system random number generator failed");
  }
}

}  // namespace

std::string random_hex(std::size_t length) {
  std::vector<unsigned char> bytes((length + 1) / 2);
  random_bytes(bytes.data(), bytes.size());
  std::string out;
  out.reserve(length);
  for (unsigned char b : bytes) {
    out += kHexDigits[b >> 4];
    out += kHexDigits[b & 0xf];
  }
  out.resize(length);
  return out;
}

std::string new_uuid() {
  unsigned char b[16];
  random_bytes(b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHexDigits[b[i] >> 4];
    out += kHexDigits[b[i] & 0xf];
  }
  return out;
}

}  // namespace stipple
