#include "net/server.h"

#include <zlib.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <thread>

#include "base/error.h"
#include "base/ids.h"
#include "base/log.h"
#include "net/metrics.h"
#include "net/parallel_gzip.h"

namespace stipple::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(use_awaitable);

namespace {

constexpr std::size_t kHeaderLimit = 64 * 1024;
constexpr std::size_t kStreamChunk = 64 * 1024;
constexpr std::size_t kGzipMinimum = 1024;  // smaller bodies are not worth compressing
// Whole responses are small and compressed once; streams carry whole models, where deflate's
// fastest level keeps the CPU from capping download throughput.
constexpr int kGzipLevelWhole = 6;
constexpr int kGzipLevelStream = 1;
constexpr std::string_view kCorsMethods = "GET,HEAD,PUT,PATCH,POST,DELETE";

bool is_compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("application/javascript") ||
         content_type.starts_with("image/svg");
}

bool accepts_gzip(std::string_view accept_encoding) {
  return accept_encoding.find("gzip") != std::string_view::npos;
}

// "100 MB" for whole megabytes, "1500 bytes" otherwise.
std::string describe_size(std::size_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MB";
  return std::to_string(bytes) + " bytes";
}

std::string json_error(std::string_view message, std::string_view code) {
  boost::json::object error{{"message", message}, {"code", code}};
  return boost::json::serialize(boost::json::object{{"error", std::move(error)}});
}

}  // namespace

// --- gzip ----------------------------------------------------------------------------------------

class GzipStream {
 public:
  explicit GzipStream(int level) {
    // windowBits 15 + 16 selects the gzip wrapper.
    if (deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw internal_error("zlib initialisation failed");
    }
  }
  ~GzipStream() { deflateEnd(&z_); }
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Compresses `input` and appends the output produced so far to `out`.
  void feed(std::string_view input, std::string& out, bool finish) {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    z_.avail_in = static_cast<uInt>(input.size());
    const int flush = finish ? Z_FINISH : Z_NO_FLUSH;
    char buffer[32 * 1024];
    for (;;) {
      z_.next_out = reinterpret_cast<Bytef*>(buffer);
      z_.avail_out = sizeof buffer;
      const int rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) throw internal_error("zlib deflate failed");
      out.append(buffer, sizeof buffer - z_.avail_out);
      if (finish ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0)) break;
    }
  }

 private:
  z_stream z_{};
};

std::string gzip_compress(std::string_view data) {
  GzipStream gz(kGzipLevelWhole);
  std::string out;
  out.reserve(data.size() / 4 + 64);
  gz.feed(data, out, true);
  return out;
}

// --- session -------------------------------------------------------------------------------------

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {}

  asio::awaitable<void> run();

  // Closes the connection when it is waiting for a request (shutdown). Runs on the strand.
  void close_if_idle() {
    if (!busy_) {
      beast::error_code ec;
      stream_.socket().cancel(ec);
    }
  }

  beast::tcp_stream& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }
  std::optional<http::request_parser<http::buffer_body>>& stream_parser() { return stream_parser_; }

 private:
  // Handles one request; returns whether the connection may serve another.
  asio::awaitable<bool> handle(http::request_parser<http::empty_body>& header_parser);
  asio::awaitable<bool> answer_simple(http::status status, std::string body,
                                      std::string_view content_type, bool keep_alive,
                                      std::string_view request_id);
  asio::awaitable<void> finish_response(Exchange& ex, bool keep_alive);
  void apply_common_headers(http::response<http::string_body>& res, std::string_view request_id);
  asio::awaitable<void> linger();

  Server& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::buffer_body>> stream_parser_;
  std::optional<http::request_parser<http::string_body>> body_parser_;
  bool busy_ = false;
  bool unread_body_ = false;  // a response went out before the request body was read
};

// Reads and drops what the client still sends after an early answer (a 413, a handler that
// refused the body), for a bounded time and size. Closing with unread data makes the kernel send
// a reset, and the client would lose the response it has not read yet.
asio::awaitable<void> Session::linger() {
  constexpr auto kLingerTime = std::chrono::seconds(2);
  constexpr std::size_t kLingerBytes = 256u << 20;
  stream_.expires_after(kLingerTime);
  std::array<char, 64 * 1024> scratch;
  std::size_t dropped = 0;
  while (dropped < kLingerBytes) {
    auto [ec, n] = co_await stream_.async_read_some(asio::buffer(scratch), kTuple);
    if (ec) break;
    dropped += n;
  }
}

asio::awaitable<void> Session::run() {
  auto self = shared_from_this();
  for (;;) {
    // Wait for the next request's headers; an idle keep-alive connection times out.
    busy_ = false;
    if (server_.draining()) break;
    http::request_parser<http::empty_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(boost::none);
    stream_.expires_after(server_.options().keep_alive);
    auto [ec, _] = co_await http::async_read_header(stream_, buffer_, parser, kTuple);
    if (ec) break;  // closed, timed out, malformed or cancelled by shutdown
    busy_ = true;

    // A WebSocket upgrade on a registered path hands the connection over for good.
    const auto& request = parser.get();
    if (beast::websocket::is_upgrade(request)) {
      const std::string_view target = request.target();
      const auto path = target.substr(0, target.find('?'));
      for (const auto& [upgrade_path, handler] : server_.upgrades_) {
        if (path == upgrade_path || path == upgrade_path + "/") {
          stream_.expires_never();
          co_await handler(std::move(stream_), parser.release());
          server_.forget(this);
          co_return;
        }
      }
    }

    ++server_.active_requests_;
    bool keep_alive = false;
    try {
      keep_alive = co_await handle(parser);
    } catch (const std::exception& e) {
      log::error("http.session_error", {{"error", e.what()}}, "connection failed mid-request");
    }
    --server_.active_requests_;
    stream_parser_.reset();
    body_parser_.reset();
    if (!keep_alive) break;
  }

  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (unread_body_) co_await linger();
  stream_.socket().close(ec);
  server_.forget(this);
}

void Session::apply_common_headers(http::response<http::string_body>& res,
                                   std::string_view request_id) {
  res.set(http::field::access_control_allow_origin, "*");
  res.set("x-request-id", request_id);
  res.set("Content-Security-Policy", "frame-ancestors 'none'");
  res.set(http::field::server, "Stipple");
}

asio::awaitable<bool> Session::answer_simple(http::status status, std::string body,
                                             std::string_view content_type, bool keep_alive,
                                             std::string_view request_id) {
  http::response<http::string_body> res{status, 11};
  apply_common_headers(res, request_id);
  if (!content_type.empty()) res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  res.keep_alive(keep_alive && !server_.draining());
  res.prepare_payload();
  stream_.expires_after(std::chrono::seconds(60));
  auto [ec, _] = co_await http::async_write(stream_, res, kTuple);
  co_return !ec && res.keep_alive();
}

asio::awaitable<bool> Session::handle(http::request_parser<http::empty_body>& header_parser) {
  const auto started = std::chrono::steady_clock::now();
  auto& req = header_parser.get();
  std::string request_id(req["x-request-id"]);
  if (request_id.empty() || request_id.size() > 200) request_id = new_uuid();

  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  const bool has_body =
      req.chunked() || (req.has_content_length() && header_parser.content_length().value_or(0));
  const bool client_keep_alive = req.keep_alive();
  const std::string method(req.method_string());

  auto finish_log = [&](std::string_view route, int status, std::size_t bytes) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    server_.metrics_.observe_request(method, route, status, seconds);
    log::info("http.request", {{"method", method},
                               {"route", route},
                               {"path", path},
                               {"status", status},
                               {"bytes", bytes},
                               {"duration_ms", seconds * 1000.0},
                               {"request_id", request_id}});
  };

  // CORS preflight: every OPTIONS request is answered here, as the cors middleware does.
  if (req.method() == http::verb::options) {
    http::response<http::string_body> res{http::status::no_content, 11};
    apply_common_headers(res, request_id);
    res.set(http::field::access_control_allow_methods, kCorsMethods);
    if (const auto requested = req[http::field::access_control_request_headers];
        !requested.empty()) {
      res.set(http::field::access_control_allow_headers, requested);
    }
    res.set(http::field::vary, "Access-Control-Request-Headers");
    res.keep_alive(client_keep_alive && !has_body && !server_.draining());
    res.prepare_payload();
    auto [ec, _] = co_await http::async_write(stream_, res, kTuple);
    finish_log("OPTIONS *", 204, 0);
    co_return !ec && res.keep_alive();
  }

  // Route.
  Router::Match match;
  const Route* route = nullptr;
  if (server_.router_.match(req.method(), path, match)) route = &server_.routes_[match.route];
  if (!route && req.method() == http::verb::head &&
      server_.router_.match(http::verb::get, path, match)) {
    route = &server_.routes_[match.route];
  }
  const std::string route_name = route ? route->pattern : std::string("(unmatched)");

  // Read the body as the route wants it. Answer 100-continue first for clients that wait.
  const bool body_wanted = route != nullptr;
  if (body_wanted && has_body &&
      beast::iequals(req[http::field::expect], std::string_view("100-continue"))) {
    http::response<http::empty_body> cont{http::status::continue_, 11};
    co_await http::async_write(stream_, cont, kTuple);
  }
  http::request_header<>* header = &header_parser.get();
  std::string body;
  std::size_t limit = 0;
  if (route) {
    limit = route->body_limit ? route->body_limit : server_.options_.max_body_bytes;
  }
  stream_.expires_never();
  if (route && route->body == BodyMode::buffered) {
    body_parser_.emplace(std::move(header_parser));
    body_parser_->body_limit(limit);
    if (has_body) {
      // A declared length over the limit is refused before reading; chunked bodies are
      // stopped by the parser's limit.
      const auto declared = body_parser_->content_length();
      beast::error_code ec;
      if (declared && *declared > limit) {
        ec = http::error::body_limit;
      } else {
        std::tie(ec, std::ignore) =
            co_await http::async_read(stream_, buffer_, *body_parser_, kTuple);
      }
      if (ec == http::error::body_limit) {
        unread_body_ = true;
        co_await answer_simple(
            http::status::payload_too_large,
            json_error("Request body is larger than the limit of " + describe_size(limit),
                       "PAYLOAD_TOO_LARGE"),
            "application/json", false, request_id);
        finish_log(route_name, 413, 0);
        co_return false;
      }
      if (ec) {
        finish_log(route_name, 400, 0);
        co_return false;
      }
    }
    body = std::move(body_parser_->get().body());
    header = &body_parser_->get();
  } else if (route && route->body == BodyMode::streamed) {
    stream_parser_.emplace(std::move(header_parser));
    stream_parser_->body_limit(boost::none);
    header = &stream_parser_->get();
  }

  Exchange ex(*this, *header, route_name, std::move(match.params), request_id);
  ex.body_ = std::move(body);
  ex.body_limit_ = limit;
  ex.keep_alive_ = client_keep_alive;
  ex.body_done_ = !has_body || (route && route->body == BodyMode::buffered);

  // Middleware, then the handler. Errors become upstream's fallback JSON shape.
  try {
    bool proceed = true;
    for (const auto& middleware : server_.middleware_) {
      proceed = co_await middleware(ex);
      if (!proceed) break;
    }
    if (proceed) {
      if (route) {
        co_await route->handler(ex);
      } else if (server_.fallback_) {
        co_await server_.fallback_(ex);
      }
    }
    if (!ex.responded()) {
      const std::string page =
          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<title>Error</title></head><body><pre>Cannot " +
          method + " " + std::string(path) + "</pre></body></html>\n";
      ex.respond(http::status::not_found, page, "text/html; charset=utf-8");
    }
  } catch (const Error& e) {
    if (ex.streaming()) {
      log::error("http.stream_failed", {{"route", route_name}, {"error", e.what()}},
                 "response stream aborted");
      finish_log(route_name, static_cast<int>(ex.status()), ex.bytes_sent());
      co_return false;
    }
    if (e.http_status() >= 500) {
      log::error("http.handler_error",
                 {{"route", route_name}, {"code", e.code()}, {"error", e.what()}});
    }
    ex.respond(static_cast<http::status>(e.http_status()), json_error(e.what(), e.code()),
               "application/json; charset=utf-8");
  } catch (const std::exception& e) {
    log::error("http.handler_error", {{"route", route_name}, {"error", e.what()}},
               "unhandled exception");
    if (ex.streaming()) {
      finish_log(route_name, static_cast<int>(ex.status()), ex.bytes_sent());
      co_return false;
    }
    ex.respond(http::status::internal_server_error,
               json_error("An internal error occurred", "INTERNAL_SERVER_ERROR"),
               "application/json; charset=utf-8");
  }

  // A streamed request body the handler did not consume makes the connection unusable.
  bool keep_alive = client_keep_alive && !server_.draining();
  if (!ex.body_done_) {
    keep_alive = false;
    unread_body_ = true;
  }

  if (ex.streaming()) {
    if (!ex.stream_ended_) keep_alive = false;  // a handler that forgot to end its stream
  } else {
    co_await finish_response(ex, keep_alive);
    keep_alive = keep_alive && ex.response_.keep_alive();
  }
  finish_log(route_name, static_cast<int>(ex.status()), ex.bytes_sent());
  co_return keep_alive;
}

asio::awaitable<void> Session::finish_response(Exchange& ex, bool keep_alive) {
  auto& res = ex.response_;
  auto& req = ex.header_;

  // gzip when the client accepts it and the body is worth it.
  if (server_.options_.compression && res.body().size() >= kGzipMinimum &&
      res[http::field::content_encoding].empty() &&
      is_compressible(res[http::field::content_type]) &&
      accepts_gzip(req[http::field::accept_encoding])) {
    res.body() = gzip_compress(res.body());
    res.set(http::field::content_encoding, "gzip");
    // Keep what the handler said the response varies on (GET /graphql varies on Accept).
    const std::string_view vary = res[http::field::vary];
    res.set(http::field::vary, vary.empty() ? std::string("Accept-Encoding")
                                            : std::string(vary) + ", Accept-Encoding");
  }
  if (req.method() == http::verb::head) res.body().clear();

  res.version(11);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  ex.bytes_sent_ = res.body().size();
  stream_.expires_after(std::chrono::seconds(300));
  auto [ec, _] = co_await http::async_write(stream_, res, kTuple);
  if (ec) res.keep_alive(false);
}

// --- exchange ------------------------------------------------------------------------------------

Exchange::Exchange(Session& session, http::request_header<>& header, std::string route,
                   PathParams params, std::string request_id)
    : session_(session),
      header_(header),
      route_(std::move(route)),
      params_(std::move(params)),
      request_id_(std::move(request_id)),
      response_(http::status::ok, 11) {
  response_.set(http::field::access_control_allow_origin, "*");
  response_.set("x-request-id", request_id_);
  response_.set("Content-Security-Policy", "frame-ancestors 'none'");
  response_.set(http::field::server, "Stipple");
}

Exchange::~Exchange() = default;

std::string_view Exchange::path() const {
  const std::string_view t = header_.target();
  return t.substr(0, t.find('?'));
}

std::string_view Exchange::header(http::field name) const {
  return header_[name];
}

std::string_view Exchange::header(std::string_view name) const {
  return header_[name];
}

std::string_view Exchange::param(std::string_view name) const {
  for (const auto& [key, value] : params_) {
    if (key == name) return value;
  }
  return {};
}

std::optional<std::string> Exchange::query(std::string_view name) const {
  const std::string_view t = header_.target();
  const auto q = t.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  const auto parsed = boost::urls::parse_origin_form(t);
  if (!parsed) return std::nullopt;
  for (const auto& p : parsed->params()) {
    if (p.key == name) return p.has_value ? p.value : std::string();
  }
  return std::nullopt;
}

std::string Exchange::remote_address() const {
  beast::error_code ec;
  const auto endpoint = session_.stream().socket().remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

asio::awaitable<std::size_t> Exchange::read_some(char* data, std::size_t size) {
  auto& parser = session_.stream_parser();
  if (body_done_ || !parser || size == 0) co_return 0;
  for (;;) {
    if (parser->is_done()) {
      body_done_ = true;
      co_return 0;
    }
    parser->get().body().data = data;
    parser->get().body().size = size;
    auto [ec, _] = co_await http::async_read(session_.stream(), session_.buffer(), *parser, kTuple);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      throw Error("BAD_REQUEST_ERROR", "the request body could not be read: " + ec.message(), 400);
    }
    const std::size_t got = size - parser->get().body().size;
    body_read_ += got;
    if (body_limit_ && body_read_ > body_limit_) {
      throw Error(
          "PAYLOAD_TOO_LARGE",
          "Request body is larger than the limit of " + std::to_string(body_limit_ >> 20) + " MB",
          413);
    }
    if (got > 0) co_return got;
  }
}

void Exchange::respond(http::status status, std::string body, std::string_view content_type) {
  response_.result(status);
  response_.body() = std::move(body);
  if (!content_type.empty()) response_.set(http::field::content_type, content_type);
  responded_ = true;
}

void Exchange::respond_json(http::status status, const boost::json::value& value) {
  respond(status, boost::json::serialize(value), "application/json; charset=utf-8");
}

void Exchange::respond_empty(http::status status) {
  response_.result(status);
  response_.body().clear();
  response_.erase(http::field::content_type);
  responded_ = true;
}

void Exchange::set_header(std::string_view name, std::string_view value) {
  response_.set(name, value);
}

void Exchange::set_header(http::field name, std::string_view value) {
  response_.set(name, value);
}

asio::awaitable<void> Exchange::begin_stream(http::status status, std::string_view content_type,
                                             bool gzip) {
  if (streaming_) throw internal_error("response stream started twice");
  http::response<http::empty_body> res{status, 11};
  for (const auto& field : response_) res.set(field.name_string(), field.value());
  res.set(http::field::content_type, content_type);
  if (gzip) {
    res.set(http::field::content_encoding, "gzip");
    gzip_ = std::make_unique<ParallelGzip>(session_.stream().get_executor(), kGzipLevelStream);
  }
  res.chunked(true);
  res.keep_alive(keep_alive_);
  response_.result(status);
  streaming_ = true;

  http::response_serializer<http::empty_body> serializer(res);
  auto [ec, _] = co_await http::async_write_header(session_.stream(), serializer, kTuple);
  if (ec) throw Error("CLIENT_GONE", "client disconnected: " + ec.message(), 499);
}

asio::awaitable<void> Exchange::send_chunk(std::string_view data) {
  if (data.empty()) co_return;
  auto [ec, _] = co_await asio::async_write(
      session_.stream(), http::make_chunk(asio::buffer(data.data(), data.size())), kTuple);
  if (ec) throw Error("CLIENT_GONE", "client disconnected: " + ec.message(), 499);
  bytes_sent_ += data.size();
}

asio::awaitable<void> Exchange::write(std::string_view data) {
  if (!streaming_ || stream_ended_) throw internal_error("write outside a response stream");
  // In slices, so that a large write (a model's root object) is sent as it is compressed rather
  // than gathered whole.
  while (!data.empty()) {
    const auto slice = data.substr(0, kStreamChunk);
    data.remove_prefix(slice.size());
    if (gzip_) {
      co_await gzip_->write(slice, pending_);
    } else {
      pending_.append(slice);
    }
    if (pending_.size() >= kStreamChunk) {
      co_await send_chunk(pending_);
      pending_.clear();
    }
  }
}

asio::awaitable<void> Exchange::end_stream() {
  if (!streaming_ || stream_ended_) throw internal_error("end of a stream that is not open");
  if (gzip_) co_await gzip_->finish(pending_);
  co_await send_chunk(pending_);
  pending_.clear();
  auto [ec, _] = co_await asio::async_write(session_.stream(), http::make_chunk_last(), kTuple);
  if (ec) throw Error("CLIENT_GONE", "client disconnected: " + ec.message(), 499);
  stream_ended_ = true;
}

// --- server --------------------------------------------------------------------------------------

Server::Server(ServerOptions options, Metrics& metrics)
    : options_(std::move(options)), metrics_(metrics), acceptor_(ioc_) {}

Server::~Server() = default;

void Server::route(Route r) {
  router_.add(r.method, r.pattern, routes_.size());
  routes_.push_back(std::move(r));
}

void Server::upgrade(std::string path, UpgradeHandler handler) {
  upgrades_.emplace_back(std::move(path), std::move(handler));
}

uint16_t Server::listen() {
  const tcp::endpoint endpoint(asio::ip::make_address(options_.bind_address), options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  return acceptor_.local_endpoint().port();
}

asio::awaitable<void> Server::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      log::warn("http.accept_failed", {{"error", ec.message()}});
      continue;
    }
    socket.set_option(tcp::no_delay(true));
    auto session = std::make_shared<Session>(*this, std::move(socket));
    {
      std::lock_guard lock(sessions_mutex_);
      sessions_.insert(session);
    }
    asio::co_spawn(session->stream().get_executor(), session->run(), asio::detached);
  }
}

void Server::forget(Session* session) {
  std::lock_guard lock(sessions_mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (it->get() == session) {
      sessions_.erase(it);
      break;
    }
  }
}

void Server::run() {
  asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
  const unsigned threads =
      options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : pool) t.join();
}

void Server::shutdown(std::chrono::seconds deadline) {
  asio::post(ioc_, [this, deadline] {
    if (draining_.exchange(true)) return;
    beast::error_code ec;
    acceptor_.close(ec);
    for (const auto& hook : shutdown_hooks_) hook();
    asio::co_spawn(ioc_, drain(std::chrono::steady_clock::now() + deadline), asio::detached);
  });
}

asio::awaitable<void> Server::drain(std::chrono::steady_clock::time_point deadline) {
  asio::steady_timer timer(ioc_);
  for (;;) {
    // Close connections that wait for a request; busy ones close after their response.
    std::vector<std::shared_ptr<Session>> sessions;
    {
      std::lock_guard lock(sessions_mutex_);
      sessions.assign(sessions_.begin(), sessions_.end());
    }
    for (auto& s : sessions) {
      asio::post(s->stream().get_executor(), [s] { s->close_if_idle(); });
    }
    if (sessions.empty() || std::chrono::steady_clock::now() >= deadline) break;
    timer.expires_after(std::chrono::milliseconds(50));
    co_await timer.async_wait(kTuple);
  }
  if (active_requests_ > 0) {
    log::warn("http.shutdown_deadline", {{"active_requests", active_requests_.load()}},
              "shutdown deadline reached with requests in flight");
  }
  ioc_.stop();
}

}  // namespace stipple::net
