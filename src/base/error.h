// The one error type of Stipple: a stable code clients can match, a message, and an HTTP status.
#pragma once

#include <stdexcept>
#include <string>

namespace stipple {

class Error : public std::runtime_error {
 public:
  Error(std::string code, std::string message, int http_status = 500)
      : std::runtime_error(std::move(message)), code_(std::move(code)), status_(http_status) {}

  const std::string& code() const { return code_; }
  int http_status() const { return status_; }

 private:
  std::string code_;
  int status_;
};

// The codes and statuses of upstream's standard error classes.
inline Error bad_request(std::string message) {
  return Error("BAD_REQUEST_ERROR", std::move(message), 400);
}
inline Error forbidden(std::string message) {
  return Error("FORBIDDEN", std::move(message), 403);
}
inline Error unauthorized(std::string message) {
  return Error("UNAUTHORIZED", std::move(message), 401);
}
inline Error not_found(std::string message) {
  return Error("NOT_FOUND_ERROR", std::move(message), 404);
}
inline Error internal_error(std::string message) {
  return Error("INTERNAL_SERVER_ERROR", std::move(message), 500);
}

// A setting that is missing or invalid; the process stops with one line naming it.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace stipple
