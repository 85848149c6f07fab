#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "mail/mailer.h"
#include "mail/message.h"
#include "mail/template.h"

namespace stipple::mail {
namespace {

std::string decode_base64(std::string_view lines) {
  std::string joined;
  for (const char c : lines) {
    if (c != '\r' && c != '\n') joined += c;
  }
  std::string out(joined.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(joined.data()),
                                static_cast<int>(joined.size()));
  out.resize(static_cast<std::size_t>(n));
  // EVP_DecodeBlock keeps the padding's zero bytes.
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

// The body of the part with this content type, decoded.
std::string part_body(const std::string& wire, std::string_view type) {
  const auto header = wire.find("Content-Type: " + std::string(type));
  const auto start = wire.find("\r\n\r\n", header) + 4;
  const auto end = wire.find("--=_", start);
  return decode_base64(std::string_view(wire).substr(start, end - start));
}

Envelope fixed_envelope() {
  return Envelope{"no-reply@stipple.test", "Fri, 04 Dec 2026 10:00:00 +0000", "m1@stipple.test",
                  "=_b"};
}

// --- templates -----------------------------------------------------------------------------------

TEST(MailTemplate, HtmlEscapesValues) {
  EXPECT_EQ(render("<p>{{name}}</p>", {{"name", "<Ann & \"Bob\">"}}, Escape::html),
            "<p>&lt;Ann &amp; &quot;Bob&quot;&gt;</p>");
}

TEST(MailTemplate, TextKeepsValuesAsTheyAre) {
  EXPECT_EQ(render("Hi {{name}}", {{"name", "<Ann & Bob>"}}, Escape::none), "Hi <Ann & Bob>");
}

TEST(MailTemplate, EmptyValueHidesItsSection) {
  const std::string_view tmpl = "a{{#note}}[{{note}}]{{/note}}b";
  EXPECT_EQ(render(tmpl, {{"note", ""}}, Escape::none), "ab");
  EXPECT_EQ(render(tmpl, {{"note", "x"}}, Escape::none), "a[x]b");
  EXPECT_EQ(render(tmpl, {}, Escape::none), "ab");
}

TEST(MailTemplate, MalformedTemplateIsALogicError) {
  EXPECT_THROW(render("{{#open}}never closed", {}, Escape::none), std::logic_error);
}

// --- encoding ------------------------------------------------------------------------------------

TEST(MailEncode, WritesHeadersAndBothAlternatives) {
  const Message message{"ann@example.org", "Hello", "plain\nline two", "<b>html</b>"};
  const std::string wire = encode(message, fixed_envelope());
  EXPECT_TRUE(wire.starts_with(
      "From: no-reply@stipple.test\r\nTo: ann@example.org\r\nSubject: Hello\r\n"
      "Date: Fri, 04 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m1@stipple.test>\r\n"
      "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"=_b\"\r\n\r\n"));
  EXPECT_EQ(part_body(wire, "text/plain"), "plain\r\nline two");
  EXPECT_EQ(part_body(wire, "text/html"), "<b>html</b>");
  EXPECT_LT(wire.find("text/plain"), wire.find("text/html"));
  EXPECT_TRUE(wire.ends_with("--=_b--\r\n"));
}

TEST(MailEncode, NonAsciiSubjectIsAnEncodedWord) {
  const Message message{"ann@example.org", "Grüße", "t", "h"};
  const std::string wire = encode(message, fixed_envelope());
  EXPECT_NE(wire.find("Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n"), std::string::npos);
}

TEST(MailEncode, LongBodiesWrapAt76Columns) {
  const Message message{"ann@example.org", "s", std::string(500, 'x'), "h"};
  const std::string wire = encode(message, fixed_envelope());
  std::size_t at = 0;
  while ((at = wire.find("\r\n", at)) != std::string::npos) {
    const auto next = wire.find("\r\n", at + 2);
    if (next == std::string::npos) break;
    EXPECT_LE(next - at - 2, 76u);
    at = next;
  }
  EXPECT_EQ(part_body(wire, "text/plain"), std::string(500, 'x'));
}

TEST(MailEncode, NewEnvelopeUsesTheSendersDomain) {
  const Envelope envelope = new_envelope("no-reply@stipple.test");
  EXPECT_TRUE(envelope.message_id.ends_with("@stipple.test"));
  EXPECT_EQ(envelope.message_id.size(), 32u + 1 + 12);
  EXPECT_TRUE(envelope.date.ends_with(" +0000"));
}

TEST(MailAddress, AcceptsPlainAddressesOnly) {
  EXPECT_TRUE(valid_address("ann@example.org"));
  EXPECT_FALSE(valid_address(""));
  EXPECT_FALSE(valid_address("ann"));
  EXPECT_FALSE(valid_address("@example.org"));
  EXPECT_FALSE(valid_address("ann@"));
  EXPECT_FALSE(valid_address("ann@a@b"));
  EXPECT_FALSE(valid_address("ann@example.org\r\nBcc: eve@example.org"));
  EXPECT_FALSE(valid_address("<ann@example.org>"));
  EXPECT_FALSE(valid_address("ann @example.org"));
}

// --- the outbox's retries ------------------------------------------------------------------------

// Fails the first `failures` sends, then records each message.
class FlakyTransport : public Transport {
 public:
  explicit FlakyTransport(int failures) : failures_(failures) {}
  void send(const Message& message) override {
    ++attempts;
    if (failures_-- > 0) throw SendError("421 try later");
    std::lock_guard lock(mutex);
    sent.push_back(message.to);
  }
  std::string_view kind() const override { return "test"; }

  std::atomic<int> attempts{0};
  std::mutex mutex;
  std::vector<std::string> sent;

 private:
  std::atomic<int> failures_;
};

RetryPolicy quick(int attempts) {
  return RetryPolicy{attempts, std::chrono::milliseconds(5), 2};
}

TEST(Mailer, DeliversQueuedMessages) {
  auto transport = std::make_unique<FlakyTransport>(0);
  auto& t = *transport;
  Mailer mailer(std::move(transport), quick(3));
  mailer.send(Message{"a@example.org", "s", "t", "h"});
  mailer.send(Message{"b@example.org", "s", "t", "h"});
  ASSERT_TRUE(mailer.wait_idle(std::chrono::seconds(5)));
  EXPECT_EQ(t.sent, (std::vector<std::string>{"a@example.org", "b@example.org"}));
}

TEST(Mailer, RetriesAFailedSend) {
  auto transport = std::make_unique<FlakyTransport>(2);
  auto& t = *transport;
  Mailer mailer(std::move(transport), quick(3));
  mailer.send(Message{"a@example.org", "s", "t", "h"});
  ASSERT_TRUE(mailer.wait_idle(std::chrono::seconds(5)));
  EXPECT_EQ(t.attempts, 3);
  EXPECT_EQ(t.sent, std::vector<std::string>{"a@example.org"});
}

TEST(Mailer, GivesUpAfterTheLastAttempt) {
  auto transport = std::make_unique<FlakyTransport>(10);
  auto& t = *transport;
  Mailer mailer(std::move(transport), quick(3));
  mailer.send(Message{"a@example.org", "s", "t", "h"});
  ASSERT_TRUE(mailer.wait_idle(std::chrono::seconds(5)));
  EXPECT_EQ(t.attempts, 3);
  EXPECT_TRUE(t.sent.empty());
}

// Records into a list that outlives the mailer.
class RecordingTransport : public Transport {
 public:
  explicit RecordingTransport(std::vector<std::string>& sent) : sent_(sent) {}
  void send(const Message& message) override { sent_.push_back(message.to); }
  std::string_view kind() const override { return "test"; }

 private:
  std::vector<std::string>& sent_;
};

TEST(Mailer, StoppingSendsWhatIsQueued) {
  std::vector<std::string> sent;
  {
    Mailer mailer(std::make_unique<RecordingTransport>(sent), quick(3));
    mailer.send(Message{"a@example.org", "s", "t", "h"});
  }
  EXPECT_EQ(sent, std::vector<std::string>{"a@example.org"});
}

TEST(Mailer, AFailingMessageDoesNotHoldUpTheNext) {
  // The first message fails once and waits for its retry; the second goes out meanwhile.
  auto transport = std::make_unique<FlakyTransport>(1);
  auto& t = *transport;
  Mailer mailer(std::move(transport), RetryPolicy{2, std::chrono::milliseconds(200), 1});
  mailer.send(Message{"a@example.org", "s", "t", "h"});
  mailer.send(Message{"b@example.org", "s", "t", "h"});
  ASSERT_TRUE(mailer.wait_idle(std::chrono::seconds(5)));
  EXPECT_EQ(t.sent, (std::vector<std::string>{"b@example.org", "a@example.org"}));
}

}  // namespace
}  // namespace stipple::mail
