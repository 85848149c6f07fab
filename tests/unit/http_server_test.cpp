// The HTTP server in process: CORS preflight, body limits, 404s, streamed responses.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "net/metrics.h"
#include "net/server.h"

namespace stipple::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.max_body_bytes = 1024;
    server_ = std::make_unique<Server>(options, metrics_);
    server_->post("/echo", [](Exchange& ex) -> asio::awaitable<void> {
      ex.respond(http::status::ok, "got " + std::to_string(ex.body().size()), "text/plain");
      co_return;
    });
    server_->get("/items/:id", [](Exchange& ex) -> asio::awaitable<void> {
      ex.respond(http::status::ok, std::string(ex.param("id")) + "|" + ex.query("q").value_or("-"),
                 "text/plain");
      co_return;
    });
    server_->get("/stream", [](Exchange& ex) -> asio::awaitable<void> {
      co_await ex.begin_stream(http::status::ok, "text/plain", false);
      for (int i = 0; i < 3; ++i) co_await ex.write("line" + std::to_string(i) + "\n");
      co_await ex.end_stream();
    });
    port_ = server_->listen();
    thread_ = std::thread([this] { server_->run(); });
  }

  void TearDown() override {
    server_->shutdown(std::chrono::seconds(1));
    thread_.join();
  }

  http::response<http::string_body> send(http::request<http::string_body> req) {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    req.version(11);
    req.set(http::field::host, "127.0.0.1");
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return res;
  }

  Metrics metrics_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

TEST_F(HttpServerTest, AnswersACorsPreflightWith204) {
  http::request<http::string_body> req{http::verb::options, "/anything", 11};
  req.set(http::field::origin, "http://example.com");
  req.set(http::field::access_control_request_method, "POST");
  req.set(http::field::access_control_request_headers, "authorization,x-custom");
  const auto res = send(req);
  EXPECT_EQ(res.result(), http::status::no_content);
  EXPECT_EQ(res[http::field::access_control_allow_origin], "*");
  EXPECT_EQ(res[http::field::access_control_allow_methods], "GET,HEAD,PUT,PATCH,POST,DELETE");
  EXPECT_EQ(res[http::field::access_control_allow_headers], "authorization,x-custom");
}

TEST_F(HttpServerTest, AcceptsABodyWithinTheLimit) {
  http::request<http::string_body> req{http::verb::post, "/echo", 11};
  req.body() = std::string(1024, 'x');
  const auto res = send(req);
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res.body(), "got 1024");
}

TEST_F(HttpServerTest, RejectsABodyOverTheLimitWith413Json) {
  http::request<http::string_body> req{http::verb::post, "/echo", 11};
  req.body() = std::string(1025, 'x');
  const auto res = send(req);
  EXPECT_EQ(res.result(), http::status::payload_too_large);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res.body(),
            R"({"error":{"message":"Request body is larger than the limit of 1024 bytes",)"
            R"("code":"PAYLOAD_TOO_LARGE"}})");
}

TEST_F(HttpServerTest, RejectsAChunkedBodyOverTheLimit) {
  http::request<http::string_body> req{http::verb::post, "/echo", 11};
  req.body() = std::string(5000, 'x');
  req.chunked(true);
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  EXPECT_EQ(res.result(), http::status::payload_too_large);
}

TEST_F(HttpServerTest, PassesPathParametersAndQuery) {
  http::request<http::string_body> req{http::verb::get, "/items/a%2Fb?q=x%20y", 11};
  const auto res = send(req);
  EXPECT_EQ(res.body(), "a/b|x y");
}

TEST_F(HttpServerTest, UnknownRouteIs404Html) {
  http::request<http::string_body> req{http::verb::get, "/nope", 11};
  const auto res = send(req);
  EXPECT_EQ(res.result(), http::status::not_found);
  EXPECT_EQ(res[http::field::content_type], "text/html; charset=utf-8");
}

TEST_F(HttpServerTest, StreamsAChunkedResponse) {
  http::request<http::string_body> req{http::verb::get, "/stream", 11};
  const auto res = send(req);
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_TRUE(res.chunked());
  EXPECT_EQ(res.body(), "line0\nline1\nline2\n");
}

}  // namespace
}  // namespace stipple::net
