#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "modules/objects/object_json.h"
#include "modules/objects/upload.h"

namespace stipple::objects {
namespace {

constexpr std::size_t kLimit = 1 << 20;

std::vector<BatchElement> split(std::string_view text, std::size_t piece = 0) {
  std::vector<BatchElement> out;
  BatchSplitter splitter(kLimit, [&](BatchElement& e) { out.push_back(e); });
  if (piece == 0) piece = text.size() ? text.size() : 1;
  for (std::size_t i = 0; i < text.size(); i += piece) splitter.feed(text.substr(i, piece));
  splitter.finish();
  return out;
}

BatchFailure split_failure(std::string_view text) {
  try {
    split(text);
  } catch (const BatchError& e) {
    return e.failure();
  }
  ADD_FAILURE() << "no error for " << text;
  return BatchFailure::not_json;
}

std::string gzip(std::string_view data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// --- splitting ----------------------------------------------------------------------------------

TEST(BatchSplitter, SplitsAnArrayIntoMinifiedObjects) {
  const auto elements =
      split("[ {\"id\": \"a b\", \"n\": [1, 2]},\n {\"x\": {\"y\": \"]\\\"}\"}} ]");
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(elements[0].text, "{\"id\":\"a b\",\"n\":[1,2]}");
  EXPECT_EQ(elements[1].text, "{\"x\":{\"y\":\"]\\\"}\"}}");
}

TEST(BatchSplitter, GivesTheSameElementsForEveryPieceSize) {
  const std::string text = "[{\"id\":\"abc\",\"s\":\"q\\\\\\\"x\"}, {\"k\" : [ {}, [] ] }]";
  for (std::size_t piece = 1; piece < 9; ++piece) {
    const auto elements = split(text, piece);
    ASSERT_EQ(elements.size(), 2u);
    EXPECT_EQ(elements[0].text, "{\"id\":\"abc\",\"s\":\"q\\\\\\\"x\"}");
    EXPECT_EQ(elements[1].text, "{\"k\":[{},[]]}");
  }
}

TEST(BatchSplitter, LearnsTopLevelIdHashAndType) {
  const auto elements =
      split("[{\"id\":\"x\",\"hash\":\"h\",\"speckle_type\":\"Base\",\"inner\":{\"id\":\"no\"}}]");
  ASSERT_EQ(elements.size(), 1u);
  const auto& f = elements[0].fields;
  EXPECT_EQ(f.id_kind, ObjectFields::Kind::string);
  EXPECT_EQ(f.id, "x");
  EXPECT_EQ(f.hash, "h");
  EXPECT_EQ(f.speckle_type, std::optional<std::string>("Base"));
}

TEST(BatchSplitter, KeepsEscapedNulCharacters) {
  const auto elements = split("[{\"s\":\"a\\u0000b\"}]");
  ASSERT_EQ(elements.size(), 1u);
  EXPECT_EQ(elements[0].text, "{\"s\":\"a\\u0000b\"}");
}

TEST(BatchSplitter, AcceptsAnEmptyArray) {
  EXPECT_EQ(split(" [ ] ").size(), 0u);
}

TEST(BatchSplitter, RefusesWhatIsNotAnArray) {
  EXPECT_EQ(split_failure("{\"not\":\"array\"}"), BatchFailure::not_array);
  EXPECT_EQ(split_failure("\"text\""), BatchFailure::not_array);
}

TEST(BatchSplitter, RefusesWhatIsNotJson) {
  EXPECT_EQ(split_failure(""), BatchFailure::not_json);
  EXPECT_EQ(split_failure("[{\"id\": "), BatchFailure::not_json);
  EXPECT_EQ(split_failure("[{\"a\":1 2}]"), BatchFailure::not_json);
  EXPECT_EQ(split_failure("[{\"a\":1},]"), BatchFailure::not_json);
  EXPECT_EQ(split_failure("[{\"a\":1}] x"), BatchFailure::not_json);
  EXPECT_EQ(split_failure("[{\"a\":1]"), BatchFailure::not_json);
  EXPECT_EQ(split_failure("not json"), BatchFailure::not_json);
  EXPECT_EQ(split_failure("[{\"bad\":\"\xff\"}]"), BatchFailure::not_json);
}

TEST(BatchSplitter, RefusesElementsThatAreNotObjects) {
  EXPECT_EQ(split_failure("[1]"), BatchFailure::not_object);
}

TEST(BatchSplitter, RefusesAnElementLargerThanTheLimit) {
  BatchSplitter splitter(8, [](BatchElement&) {});
  try {
    splitter.feed("[{\"long\":\"0123456789\"}]");
    FAIL();
  } catch (const BatchError& e) {
    EXPECT_EQ(e.failure(), BatchFailure::element_too_large);
  }
}

// --- ids ----------------------------------------------------------------------------------------

PreparedObject prepare(std::string_view batch) {
  auto elements = split(batch);
  EXPECT_EQ(elements.size(), 1u);
  return prepare_object(elements[0], kLimit);
}

TEST(PrepareObject, KeepsAnObjectWithA32CharacterIdAsSent) {
  const auto o = prepare("[{\"id\":\"not-hex-but-32-characters-long!!\",\"speckle_type\":\"X\"}]");
  EXPECT_EQ(o.id, "not-hex-but-32-characters-long!!");
  EXPECT_EQ(o.speckle_type, "X");
  EXPECT_EQ(o.data, "{\"id\":\"not-hex-but-32-characters-long!!\",\"speckle_type\":\"X\"}");
}

TEST(PrepareObject, RefusesIdsOfOtherLengths) {
  EXPECT_THROW(prepare("[{\"id\":\"ccccccccccccccccccccccccccccccc\"}]"), Error);
  EXPECT_THROW(prepare("[{\"id\":\"ddddddddddddddddddddddddddddddddd\"}]"), Error);
  EXPECT_THROW(prepare("[{\"id\":12345678901234567890123456789012}]"), Error);
}

TEST(PrepareObject, LetsTheHashWinOverTheId) {
  const auto o = prepare(
      "[{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"hash\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\","
      "\"name\":\"hash wins\"}]");
  EXPECT_EQ(o.id, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
  EXPECT_EQ(
      o.data,
      "{\"id\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"hash\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\","
      "\"name\":\"hash wins\"}");
  EXPECT_EQ(o.speckle_type, "Base");
}

TEST(PrepareObject, GivesAnObjectWithoutIdTheMd5OfItsText) {
  // The value upstream computes for this object (objects.upload-id-rules, "no id").
  const auto o =
      prepare("[{\"speckle_type\":\"Base\",\"name\":\"object without id\",\"value\":7}]");
  EXPECT_EQ(o.id, "33deaa7de57799b9634ef0c071d385ab");
  EXPECT_EQ(o.data,
            "{\"id\":\"33deaa7de57799b9634ef0c071d385ab\",\"speckle_type\":\"Base\",\"name\":"
            "\"object without id\",\"value\":7}");
}

TEST(PrepareObject, RefusesAnObjectLargerThanTheLimit) {
  auto elements = split("[{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"pad\":\"xxxxxxxx\"}]");
  EXPECT_THROW(prepare_object(elements[0], 40), Error);
}

TEST(Utf16Length, CountsSurrogatePairsAsTwo) {
  EXPECT_EQ(utf16_length("abc"), 3u);
  EXPECT_EQ(utf16_length("\xc3\xa9"), 1u);          // é
  EXPECT_EQ(utf16_length("\xf0\x9f\x98\x80"), 2u);  // 😀
}

// --- stored text rewriting ----------------------------------------------------------------------

TEST(StoredText, ReplacesTotalChildrenCountWithTheColumnValue) {
  EXPECT_EQ(with_total_children_count("{\"id\":\"x\",\"totalChildrenCount\":4,\"a\":[1]}", "null"),
            "{\"id\":\"x\",\"a\":[1],\"totalChildrenCount\":null}");
  EXPECT_EQ(with_total_children_count("{}", "3"), "{\"totalChildrenCount\":3}");
}

TEST(StoredText, IncludeMaskKeepsOnlyTheListedMembers) {
  EXPECT_EQ(masked("{\"id\":\"x\",\"name\":\"n\",\"o\":{\"name\":1}}", {"name"}, true),
            "{\"name\":\"n\"}");
}

TEST(StoredText, ExcludeMaskDropsTheListedMembers) {
  EXPECT_EQ(masked("{\"id\":\"x\",\"faces\":[1,2],\"__closure\":{\"a\":1},\"u\":\"m\"}",
                   {"faces", "__closure"}, false),
            "{\"id\":\"x\",\"u\":\"m\"}");
}

TEST(StoredText, MatchesEscapedKeys) {
  EXPECT_EQ(masked("{\"n\\u0061me\":1,\"b\":2}", {"name"}, true), "{\"n\\u0061me\":1}");
}

// --- the receiver -------------------------------------------------------------------------------

std::vector<PreparedObject> spooled(ObjectSpool& spool) {
  std::vector<PreparedObject> out(spool.size());
  for (std::size_t i = 0; i < spool.size(); ++i) spool.read(i, out[i]);
  return out;
}

TEST(UploadReceiver, SpoolsTheObjectsOfGzipAndPlainParts) {
  ObjectSpool spool;
  UploadReceiver receiver(UploadLimits{}, spool);
  receiver.on_part_begin(net::PartInfo{"batch-0", "batch-0", "application/gzip"});
  const std::string packed = gzip("[{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}]");
  receiver.on_part_data(std::string_view(packed).substr(0, 7));
  receiver.on_part_data(std::string_view(packed).substr(7));
  receiver.on_part_end();
  receiver.on_part_begin(net::PartInfo{"b", "b", std::nullopt});
  receiver.on_part_data("[{\"id\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"speckle_type\":\"T\"}]");
  receiver.on_part_end();

  const auto objects = spooled(spool);
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0].id, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(objects[0].speckle_type, "Base");
  EXPECT_EQ(objects[1].data,
            "{\"id\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"speckle_type\":\"T\"}");
  EXPECT_EQ(receiver.batches(), 2u);
}

TEST(UploadReceiver, IgnoresPartsWithoutFilename) {
  ObjectSpool spool;
  UploadReceiver receiver(UploadLimits{}, spool);
  receiver.on_part_begin(net::PartInfo{"batch-0", std::nullopt, "application/json"});
  receiver.on_part_data("not even json");
  receiver.on_part_end();
  EXPECT_EQ(spool.size(), 0u);
}

int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.http_status();
  }
  return 0;
}

TEST(UploadReceiver, RefusesOtherContentTypesWith400) {
  ObjectSpool spool;
  UploadReceiver receiver(UploadLimits{}, spool);
  EXPECT_EQ(status_of([&] { receiver.on_part_begin({"b", "b", "image/png"}); }), 400);
}

TEST(UploadReceiver, RefusesAGzipPartThatIsNotGzipWith400) {
  ObjectSpool spool;
  UploadReceiver receiver(UploadLimits{}, spool);
  receiver.on_part_begin({"b", "b", "application/gzip"});
  EXPECT_EQ(status_of([&] {
              receiver.on_part_data("this is not gzip data");
              receiver.on_part_end();
            }),
            400);
}

TEST(UploadReceiver, RefusesATruncatedGzipPartWith400) {
  ObjectSpool spool;
  UploadReceiver receiver(UploadLimits{}, spool);
  receiver.on_part_begin({"b", "b", "application/gzip"});
  const std::string packed = gzip("[{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}]");
  EXPECT_EQ(status_of([&] {
              receiver.on_part_data(std::string_view(packed).substr(0, packed.size() - 6));
              receiver.on_part_end();
            }),
            400);
}

TEST(UploadReceiver, RefusesAPartLargerThanTheLimitWith413) {
  ObjectSpool spool;
  UploadReceiver receiver(UploadLimits{1 << 20, 16}, spool);
  receiver.on_part_begin({"b", "b", "application/json"});
  EXPECT_EQ(status_of([&] { receiver.on_part_data("[{\"a\":\"0123456789abcdef\"}]"); }), 413);
}

TEST(UploadReceiver, RefusesAGzipPartThatInflatesPastTheLimitWith413) {
  ObjectSpool spool;
  UploadReceiver receiver(UploadLimits{1 << 20, 1000}, spool);
  receiver.on_part_begin({"b", "b", "application/gzip"});
  const std::string packed = gzip("[{\"a\":\"" + std::string(5000, 'x') + "\"}]");
  ASSERT_LT(packed.size(), 1000u);
  EXPECT_EQ(status_of([&] { receiver.on_part_data(packed); }), 413);
}

}  // namespace
}  // namespace stipple::objects
