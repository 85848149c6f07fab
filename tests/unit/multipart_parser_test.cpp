#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/multipart.h"

namespace stipple::net {
namespace {

struct Part {
  PartInfo info;
  std::string body;
  bool ended = false;
};

class Collector final : public MultipartHandler {
 public:
  void on_part_begin(const PartInfo& part) override { parts.push_back(Part{part, {}, false}); }
  void on_part_data(std::string_view data) override { parts.back().body.append(data); }
  void on_part_end() override { parts.back().ended = true; }
  std::vector<Part> parts;
};

const std::string kBody =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"batch-0\"; filename=\"batch-0\"\r\n"
    "Content-Type: application/gzip\r\n"
    "\r\n"
    "first\r\n--body with\r\n-- dashes\r\n"
    "--XyZ\r\n"
    "content-disposition: form-data; name=\"note\"\r\n"
    "\r\n"
    "second\r\n"
    "--XyZ--\r\n"
    "epilogue";

std::vector<Part> parse_in_pieces(const std::string& body, std::size_t piece) {
  MultipartParser parser("XyZ");
  Collector collector;
  for (std::size_t i = 0; i < body.size(); i += piece) {
    parser.feed(std::string_view(body).substr(i, piece), collector);
  }
  parser.finish();
  return collector.parts;
}

TEST(MultipartParser, SplitsPartsWithHeadersAndBodies) {
  const auto parts = parse_in_pieces(kBody, kBody.size());
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].info.name, "batch-0");
  EXPECT_EQ(parts[0].info.filename, std::optional<std::string>("batch-0"));
  EXPECT_EQ(parts[0].info.content_type, std::optional<std::string>("application/gzip"));
  EXPECT_EQ(parts[0].body, "first\r\n--body with\r\n-- dashes");
  EXPECT_TRUE(parts[0].ended);
  EXPECT_EQ(parts[1].info.name, "note");
  EXPECT_FALSE(parts[1].info.filename.has_value());
  EXPECT_FALSE(parts[1].info.content_type.has_value());
  EXPECT_EQ(parts[1].body, "second");
}

TEST(MultipartParser, GivesTheSameResultForEveryPieceSize) {
  for (std::size_t piece = 1; piece <= 17; ++piece) {
    const auto parts = parse_in_pieces(kBody, piece);
    ASSERT_EQ(parts.size(), 2u) << "piece size " << piece;
    EXPECT_EQ(parts[0].body, "first\r\n--body with\r\n-- dashes") << "piece size " << piece;
    EXPECT_EQ(parts[1].body, "second") << "piece size " << piece;
  }
}

TEST(MultipartParser, AcceptsABodyWithNoParts) {
  MultipartParser parser("b");
  Collector collector;
  parser.feed("--b--\r\n", collector);
  parser.finish();
  EXPECT_TRUE(parser.done());
  EXPECT_EQ(collector.parts.size(), 0u);
}

TEST(MultipartParser, AcceptsAnEmptyPart) {
  MultipartParser parser("b");
  Collector collector;
  parser.feed("--b\r\nContent-Disposition: form-data; name=\"x\"; filename=\"y\"\r\n\r\n\r\n--b--",
              collector);
  parser.finish();
  ASSERT_EQ(collector.parts.size(), 1u);
  EXPECT_EQ(collector.parts[0].body, "");
}

TEST(MultipartParser, RefusesABodyWithoutBoundary) {
  MultipartParser parser("b");
  Collector collector;
  parser.feed("[{\"id\":\"x\"}]", collector);
  EXPECT_THROW(parser.finish(), MultipartError);
}

TEST(MultipartParser, RefusesATruncatedBody) {
  MultipartParser parser("b");
  Collector collector;
  parser.feed("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nhalf a bo", collector);
  EXPECT_THROW(parser.finish(), MultipartError);
}

TEST(MultipartParser, RefusesTruncatedHeaders) {
  MultipartParser parser("b");
  Collector collector;
  parser.feed("--b\r\nContent-Disposition: form-da", collector);
  EXPECT_THROW(parser.finish(), MultipartError);
}

TEST(MultipartParser, RefusesAPartWithoutDisposition) {
  MultipartParser parser("b");
  Collector collector;
  EXPECT_THROW(parser.feed("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", collector),
               MultipartError);
}

TEST(MultipartParser, RefusesGarbageAfterABoundary) {
  MultipartParser parser("b");
  Collector collector;
  EXPECT_THROW(parser.feed("--bogus\r\n", collector), MultipartError);
}

TEST(MultipartParser, RefusesHeadersLargerThanTheLimit) {
  MultipartParser parser("b");
  Collector collector;
  const std::string huge = "--b\r\nX-Big: " + std::string(MultipartParser::kMaxHeaderBytes, 'a');
  EXPECT_THROW(parser.feed(huge, collector), MultipartError);
}

TEST(MultipartParser, IgnoresBytesAfterTheClosingBoundary) {
  MultipartParser parser("b");
  Collector collector;
  parser.feed("--b--\r\n--b\r\nnot: parsed\r\n\r\n", collector);
  parser.finish();
  EXPECT_EQ(collector.parts.size(), 0u);
}

TEST(MultipartBoundary, ReadsTheBoundaryOfFormData) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=----abc123"),
            std::optional<std::string>("----abc123"));
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"quoted; b\""),
            std::optional<std::string>("quoted; b"));
}

TEST(MultipartBoundary, RefusesOtherTypesAndMissingBoundaries) {
  EXPECT_EQ(multipart_boundary("application/json"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary="), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')),
            std::nullopt);
}

}  // namespace
}  // namespace stipple::net
