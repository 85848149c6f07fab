// Standard base64 (RFC 4648, with padding), as e-mail bodies and HTTP Basic credentials use it.
#pragma once

#include <string>
#include <string_view>

namespace stipple {

std::string base64_encode(std::string_view data);

}  // namespace stipple
