// The HTTP/1.1 server: Boost.Beast on a multi-threaded io_context, one coroutine per connection.
// Every request passes the same steps: request id, CORS, body limits, middleware, route handler,
// optional gzip, access log and metrics. Shutdown stops accepting, closes idle connections and
// lets in-flight requests finish within a deadline.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "net/http.h"
#include "net/router.h"

namespace stipple::net {

class Metrics;

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 3000;  // 0 = any free port
  unsigned threads = 0;  // 0 = one per core
  std::size_t max_body_bytes = 100u << 20;
  bool compression = true;
  std::chrono::seconds keep_alive{61};
  std::chrono::seconds header_timeout{65};
};

// Takes over a connection whose request asks for a WebSocket upgrade on a registered path.
using UpgradeHandler = std::function<boost::asio::awaitable<void>(
    boost::beast::tcp_stream stream, http::request<http::empty_body> request)>;

class Server {
 public:
  Server(ServerOptions options, Metrics& metrics);
  ~Server();

  // --- configuration (before start) ----------------------------------------------------------
  void route(Route route);
  void get(std::string pattern, Handler handler) {
    route(Route{http::verb::get, std::move(pattern), std::move(handler)});
  }
  void post(std::string pattern, Handler handler) {
    route(Route{http::verb::post, std::move(pattern), std::move(handler)});
  }
  void use(Middleware middleware) { middleware_.push_back(std::move(middleware)); }
  void upgrade(std::string path, UpgradeHandler handler);
  // Runs when shutdown begins, on the event loop: owners of upgraded connections close them.
  void on_shutdown(std::function<void()> hook) { shutdown_hooks_.push_back(std::move(hook)); }
  // Answers requests no route matched (default: 404 HTML page, as Express does).
  void fallback(Handler handler) { fallback_ = std::move(handler); }

  // --- life cycle ------------------------------------------------------------------------------
  // Binds the listening socket; returns the bound port.
  uint16_t listen();
  // Runs the event loop on the configured threads until stop(); blocks.
  void run();
  // Stops accepting and closes idle connections; in-flight requests may finish until
  // `deadline`, then the loop stops. Safe from any thread.
  void shutdown(std::chrono::seconds deadline);
  bool draining() const { return draining_; }

  boost::asio::io_context& io_context() { return ioc_; }
  const ServerOptions& options() const { return options_; }
  std::size_t active_requests() const { return active_requests_; }

 private:
  friend class Session;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> drain(std::chrono::steady_clock::time_point deadline);
  void forget(Session* session);

  ServerOptions options_;
  Metrics& metrics_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Router router_;
  std::vector<Route> routes_;
  std::vector<Middleware> middleware_;
  std::vector<std::pair<std::string, UpgradeHandler>> upgrades_;
  Handler fallback_;
  std::vector<std::function<void()>> shutdown_hooks_;

  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> active_requests_{0};
  std::mutex sessions_mutex_;
  std::set<std::shared_ptr<Session>> sessions_;
};

}  // namespace stipple::net
