#include "base/base64.h"

#include <openssl/evp.h>

namespace stipple {

std::string base64_encode(std::string_view data) {
  // EVP_EncodeBlock writes a terminating NUL after the 4-per-3 characters.
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(data.data()),
                                      static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

}  // namespace stipple
