// The HTTP server's request/response model. A handler receives one Exchange: the request (headers,
// path parameters, query, body — buffered or streamed) and the means to answer it, either with a
// whole body or as a chunked stream (optionally gzipped) for large downloads.
#pragma once

#include <any>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/router.h"

namespace stipple::net {

namespace http = boost::beast::http;

class Session;
class ParallelGzip;

// How a route wants its request body.
enum class BodyMode {
  buffered,  // read whole into Exchange::body() before the handler, up to the route's limit
  streamed,  // the handler pulls it with Exchange::read_some()
};

class Exchange {
 public:
  Exchange(Session& session, http::request_header<>& header, std::string route, PathParams params,
           std::string request_id);
  ~Exchange();

  // --- request -----------------------------------------------------------------------------
  http::verb method() const { return header_.method(); }
  std::string_view target() const { return header_.target(); }
  std::string_view path() const;                     // target without the query string
  std::string_view route() const { return route_; }  // the matched pattern
  std::string_view header(http::field name) const;
  std::string_view header(std::string_view name) const;
  const http::request_header<>& request_header() const { return header_; }

  // A path parameter by name; empty when absent.
  std::string_view param(std::string_view name) const;

  // A percent-decoded query parameter (first occurrence); nullopt when absent.
  std::optional<std::string> query(std::string_view name) const;

  // The buffered body (BodyMode::buffered).
  const std::string& body() const { return body_; }
  std::string& mutable_body() { return body_; }

  // Streamed body (BodyMode::streamed): reads up to `size` bytes; 0 at the end of the body.
  // Throws Error PAYLOAD_TOO_LARGE (413) past `limit` bytes, set by the route.
  boost::asio::awaitable<std::size_t> read_some(char* data, std::size_t size);

  const std::string& request_id() const { return request_id_; }
  std::string remote_address() const;

  // A slot for what middleware learns about the caller (the auth context, for instance).
  std::any& context() { return context_; }

  // --- whole response ----------------------------------------------------------------------
  void respond(http::status status, std::string body, std::string_view content_type);
  void respond_json(http::status status, const boost::json::value& value);
  void respond_empty(http::status status);
  void set_header(std::string_view name, std::string_view value);
  void set_header(http::field name, std::string_view value);
  bool responded() const { return responded_ || streaming_; }

  // --- streamed response (chunked transfer encoding) ---------------------------------------
  // Starts the response; `gzip` compresses the stream (Content-Encoding: gzip).
  boost::asio::awaitable<void> begin_stream(http::status status, std::string_view content_type,
                                            bool gzip);
  // Queues bytes; they are sent in chunks of about 64 KiB.
  boost::asio::awaitable<void> write(std::string_view data);
  // Flushes and sends the last chunk.
  boost::asio::awaitable<void> end_stream();
  bool streaming() const { return streaming_; }

  // Bytes of response body sent (after compression), for the access log.
  std::size_t bytes_sent() const { return bytes_sent_; }
  http::status status() const { return response_.result(); }

 private:
  friend class Session;
  boost::asio::awaitable<void> send_chunk(std::string_view data);

  Session& session_;
  http::request_header<>& header_;
  std::string route_;
  PathParams params_;
  std::string request_id_;
  std::any context_;

  std::string body_;
  std::size_t body_limit_ = 0;
  std::size_t body_read_ = 0;
  bool body_done_ = false;
  bool keep_alive_ = true;

  http::response<http::string_body> response_;
  bool responded_ = false;
  bool streaming_ = false;
  bool stream_ended_ = false;
  std::unique_ptr<ParallelGzip> gzip_;
  std::string pending_;
  std::size_t bytes_sent_ = 0;
};

using Handler = std::function<boost::asio::awaitable<void>(Exchange&)>;

// Runs before routing-matched handlers; returns false after answering to stop the request.
using Middleware = std::function<boost::asio::awaitable<bool>(Exchange&)>;

struct Route {
  http::verb method;
  std::string pattern;
  Handler handler;
  BodyMode body = BodyMode::buffered;
  std::size_t body_limit = 0;  // 0 = the server's MAX_REQUEST_BODY_SIZE_MB
};

// Compresses a buffer with gzip (level 6).
std::string gzip_compress(std::string_view data);

}  // namespace stipple::net
