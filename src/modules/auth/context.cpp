#include "modules/auth/context.h"

#include "net/http.h"

namespace stipple::auth {

const AuthContext& caller(net::Exchange& ex) {
  static const AuthContext kAnonymous;
  if (const auto* context = std::any_cast<AuthContext>(&ex.context())) return *context;
  return kAnonymous;
}

void set_caller(net::Exchange& ex, AuthContext context) {
  ex.context() = std::move(context);
}

}  // namespace stipple::auth
