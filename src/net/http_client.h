// Outgoing HTTP through libcurl: one blocking request at a time, for the few calls the server
// makes to other services (identity providers). Callers on the event loop run it on a worker
// thread (see HttpClient::run).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace stipple::net {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::string body;                                          // sent when not empty
  std::chrono::seconds timeout{15};
};

struct HttpResponse {
  long status = 0;
  std::string content_type;
  std::string body;
};

// A request that got no HTTP answer (DNS, connection, TLS, timeout); the text says why.
class HttpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Sends the request and returns whatever status the server answered; throws HttpError when no
// answer came. Redirects are not followed. Bodies larger than 4 MiB are refused.
HttpResponse http_fetch(const HttpRequest& request);

// "a=b&c=d" with every key and value percent-encoded (application/x-www-form-urlencoded).
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

// Percent-encodes everything outside RFC 3986's unreserved characters.
std::string percent_encode(std::string_view text);

// Runs blocking fetches on a small thread pool of its own, so that the event loop's threads
// never wait on a remote server.
class HttpClient {
 public:
  explicit HttpClient(std::size_t threads = 2) : workers_(threads) {}
  ~HttpClient() { workers_.join(); }

  // Callers pass a named request (the GCC 12 rule of Database::run applies here too).
  boost::asio::awaitable<HttpResponse> fetch(const HttpRequest& request);

 private:
  boost::asio::thread_pool workers_;
};

}  // namespace stipple::net
