#include "mail/transport.h"

#include <curl/curl.h>

#include <cstring>
#include <mutex>

#include "base/log.h"

namespace stipple::mail {
namespace {

// ---------------------------------------------------------------------------------------------
// SMTP through libcurl

// libcurl's global state is set up once per process, before the first handle.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The upload source libcurl reads the encoded message from.
struct Payload {
  std::string_view data;
  std::size_t at = 0;
};

std::size_t read_payload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* payload = static_cast<Payload*>(user);
  const std::size_t n = std::min(size * count, payload->data.size() - payload->at);
  std::memcpy(buffer, payload->data.data() + payload->at, n);
  payload->at += n;
  return n;
}

// The bare address of a sender written "Name <address>" or "address", for the SMTP envelope.
std::string envelope_address(const std::string& from) {
  const auto open = from.rfind('<');
  const auto close = from.rfind('>');
  if (open == std::string::npos || close == std::string::npos || close < open) return from;
  return from.substr(open + 1, close - open - 1);
}

class SmtpTransport final : public Transport {
 public:
  explicit SmtpTransport(SmtpSettings settings) : settings_(std::move(settings)) {
    init_curl_once();
    url_ = std::string(settings_.secure ? "smtps://" : "smtp://") + settings_.host + ":" +
           std::to_string(settings_.port);
  }

  std::string_view kind() const override { return "smtp"; }

  void send(const Message& message) override {
    if (!valid_address(message.to)) throw SendError("invalid recipient address");
    const std::string wire = encode(message, new_envelope(settings_.from));
    Payload payload{wire};

    // One handle per message: sends are rare and a fresh connection needs no health checks.
    CURL* curl = curl_easy_init();
    if (!curl) throw SendError("curl_easy_init failed");
    const std::string from = "<" + envelope_address(settings_.from) + ">";
    const std::string to = "<" + message.to + ">";
    curl_slist* recipients = curl_slist_append(nullptr, to.c_str());
    char error[CURL_ERROR_SIZE] = {0};

    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_payload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &payload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings_.timeout.count()));
    if (!settings_.secure) {
      // STARTTLS: mandatory, or used when the server offers it.
      curl_easy_setopt(curl, CURLOPT_USE_SSL,
                       settings_.require_tls ? static_cast<long>(CURLUSESSL_ALL)
                                             : static_cast<long>(CURLUSESSL_TRY));
    }
    if (!settings_.ca_file.empty())
      curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
    if (!settings_.username.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.username.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.password.c_str());
    }

    const CURLcode result = curl_easy_perform(curl);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (result != CURLE_OK) {
      throw SendError(error[0] ? std::string(error) : std::string(curl_easy_strerror(result)));
    }
  }

 private:
  SmtpSettings settings_;
  std::string url_;
};

// ---------------------------------------------------------------------------------------------
// The log

class LogTransport final : public Transport {
 public:
  explicit LogTransport(std::string from) : from_(std::move(from)) {}

  std::string_view kind() const override { return "log"; }

  void send(const Message& message) override {
    log::info(
        "mail.logged",
        {{"from", from_}, {"to", message.to}, {"subject", message.subject}, {"text", message.text}},
        "e-mail not sent (no SMTP server configured); its text is logged instead");
  }

 private:
  std::string from_;
};

}  // namespace

std::unique_ptr<Transport> make_smtp_transport(SmtpSettings settings) {
  return std::make_unique<SmtpTransport>(std::move(settings));
}

std::unique_ptr<Transport> make_log_transport(std::string from) {
  return std::make_unique<LogTransport>(std::move(from));
}

}  // namespace stipple::mail
