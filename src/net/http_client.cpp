#include "net/http_client.h"

#include <curl/curl.h>

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>

namespace stipple::net {
namespace {

constexpr std::size_t kMaxBodyBytes = 4u << 20;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// libcurl's write callback: appends to the body, refusing bodies past the limit.
std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (body->size() + n > kMaxBodyBytes) return 0;  // makes curl_easy_perform fail
  body->append(data, n);
  return n;
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out += '&';
    out += percent_encode(key);
    out += '=';
    out += percent_encode(value);
  }
  return out;
}

HttpResponse http_fetch(const HttpRequest& request) {
  init_curl_once();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw HttpError("curl_easy_init failed");

  // The request.
  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : request.headers) {
    header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(header_list,
                                                                      curl_slist_free_all);
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "POST") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(request.timeout.count()));

  // The answer.
  const CURLcode result = curl_easy_perform(h);
  if (result != CURLE_OK) {
    throw HttpError(error[0] ? std::string(error) : std::string(curl_easy_strerror(result)));
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  const char* type = nullptr;
  curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type);
  if (type) response.content_type = type;
  return response;
}

boost::asio::awaitable<HttpResponse> HttpClient::fetch(const HttpRequest& request) {
  // Plain handlers rather than a capturing coroutine: see Database::run for GCC 12's reasons.
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>,
                                     void(std::exception_ptr, HttpResponse)>(
      [this](auto handler, HttpRequest req) {
        boost::asio::post(workers_, [handler = std::move(handler), req = std::move(req)]() mutable {
          std::exception_ptr error;
          HttpResponse response;
          try {
            response = http_fetch(req);
          } catch (...) {
            error = std::current_exception();
          }
          auto executor = boost::asio::get_associated_executor(handler);
          boost::asio::post(executor, [handler = std::move(handler), error,
                                       response = std::move(response)]() mutable {
            std::move(handler)(error, std::move(response));
          });
        });
      },
      boost::asio::use_awaitable, request);
}

}  // namespace stipple::net
