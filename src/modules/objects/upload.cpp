#include "modules/objects/upload.h"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cassert>
#include <cstring>

#include "base/error.h"

namespace stipple::objects {
namespace {

// Object ids are content hashes of exactly this many (UTF-16) characters.
constexpr std::size_t kIdLength = 32;
constexpr std::size_t kInflateChunk = 64 * 1024;
constexpr std::string_view kDefaultSpeckleType = "Base";

Error upload_error(std::string message) {
  return Error("BAD_REQUEST_ERROR", std::move(message), 400);
}

Error too_large(std::size_t limit) {
  return Error("PAYLOAD_TOO_LARGE",
               "File size too large (the limit is " + std::to_string(limit >> 20) + " MB).", 413);
}

std::string quoted(std::string_view s) {
  return boost::json::serialize(boost::json::string_view(s.data(), s.size()));
}

// `text` with its top-level id members replaced by one `"id":<id>` member at the front.
std::string with_id(std::string_view text, std::string_view id) {
  std::string out = "{\"id\":" + quoted(id);
  for_each_member(text, [&](std::string_view key, std::string_view value) {
    const bool is_id =
        key == "\"id\"" || (key.find('\\') != std::string_view::npos && decode_key(key) == "id");
    if (!is_id) out.append(",").append(key).append(":").append(value);
    return true;
  });
  out.push_back('}');
  return out;
}

// How a part's Content-Type says its bytes are encoded.
enum class PartEncoding { gzip, plain, refused };

PartEncoding part_encoding(const std::optional<std::string>& content_type) {
  // A part without a Content-Type is taken as plain JSON, as upstream does.
  if (!content_type) return PartEncoding::plain;
  std::string type = content_type->substr(0, content_type->find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "application/gzip") return PartEncoding::gzip;
  if (type == "text/plain" || type == "application/json" || type == "application/octet-stream") {
    return PartEncoding::plain;
  }
  return PartEncoding::refused;
}

}  // namespace

// --- ids ----------------------------------------------------------------------------------------

PreparedObject prepare_object(BatchElement& element, std::size_t max_object_bytes) {
  const ObjectFields& f = element.fields;
  PreparedObject out;

  // Pick the id: a truthy `hash` wins, then a truthy `id`, then the md5 of the text.
  bool rewrite = false;
  if (f.hash_truthy) {
    if (f.hash_kind != ObjectFields::Kind::string) {
      throw upload_error(
          "Error inserting object in the database. Invalid object ID. Object ID's must be hashes "
          "represented by a string of 32 characters.");
    }
    out.id = f.hash;
    rewrite = f.id_kind != ObjectFields::Kind::string || f.id != f.hash;
  } else if (f.id_truthy) {
    if (f.id_kind != ObjectFields::Kind::string) {
      throw upload_error(
          "Error inserting object in the database. Invalid object ID. Object ID's must be hashes "
          "represented by a string of 32 characters.");
    }
    out.id = f.id;
  } else {
    out.id = md5_hex(element.text);
    rewrite = true;
  }
  if (utf16_length(out.id) != kIdLength) {
    throw upload_error(
        "Error inserting object in the database. Invalid object ID. Object ID: " + out.id +
        ". Object ID's must be hashes represented by a string of 32 characters.");
  }

  // The stored text says the chosen id; most objects already do and are kept byte for byte.
  if (!rewrite) {
    out.data = std::move(element.text);
  } else if (f.id_kind == ObjectFields::Kind::absent) {
    const std::string_view rest = std::string_view(element.text).substr(1);
    out.data = "{\"id\":" + quoted(out.id) + (rest == "}" ? "" : ",") + std::string(rest);
  } else {
    out.data = with_id(element.text, out.id);
  }
  if (out.data.size() > max_object_bytes) {
    throw upload_error("Object too large (" + std::to_string(out.data.size() >> 20) +
                       " MB). The limit is " + std::to_string(max_object_bytes >> 20) + " MB.");
  }
  out.speckle_type = f.speckle_type.value_or(std::string(kDefaultSpeckleType));
  return out;
}

// --- spool --------------------------------------------------------------------------------------

namespace {

void write_all(std::FILE* file, const void* data, std::size_t size) {
  if (size && std::fwrite(data, 1, size, file) != size) {
    throw Error("INTERNAL_SERVER_ERROR", "cannot write the upload spool file", 500);
  }
}

void read_all(std::FILE* file, void* data, std::size_t size) {
  if (size && std::fread(data, 1, size, file) != size) {
    throw Error("INTERNAL_SERVER_ERROR", "cannot read the upload spool file", 500);
  }
}

void write_field(std::FILE* file, std::string_view s) {
  const uint64_t size = s.size();
  write_all(file, &size, sizeof size);
  write_all(file, s.data(), s.size());
}

void read_field(std::FILE* file, std::string& s) {
  uint64_t size = 0;
  read_all(file, &size, sizeof size);
  s.resize(size);
  read_all(file, s.data(), size);
}

}  // namespace

ObjectSpool::ObjectSpool() : file_(std::tmpfile()) {
  if (!file_) throw Error("INTERNAL_SERVER_ERROR", "cannot create the upload spool file", 500);
}

ObjectSpool::~ObjectSpool() {
  std::fclose(file_);
}

void ObjectSpool::append(const PreparedObject& object) {
  // Invariant: records are all appended before the first read.
  assert(writing_);
  offsets_.push_back(bytes_);
  ids_.push_back(object.id);
  write_field(file_, object.id);
  write_field(file_, object.speckle_type);
  write_field(file_, object.data);
  bytes_ +=
      3 * sizeof(uint64_t) + object.id.size() + object.speckle_type.size() + object.data.size();
}

void ObjectSpool::read(std::size_t index, PreparedObject& out) {
  if (writing_) {
    std::fflush(file_);
    writing_ = false;
  }
  if (std::fseek(file_, static_cast<long>(offsets_.at(index)), SEEK_SET) != 0) {
    throw Error("INTERNAL_SERVER_ERROR", "cannot seek in the upload spool file", 500);
  }
  read_field(file_, out.id);
  read_field(file_, out.speckle_type);
  read_field(file_, out.data);
}

// --- gzip ---------------------------------------------------------------------------------------

GzipInflater::GzipInflater() {
  // windowBits 15 + 16: gzip wrapper only.
  if (inflateInit2(&z_, 15 + 16) != Z_OK) {
    throw Error("INTERNAL_SERVER_ERROR", "cannot initialise zlib", 500);
  }
}

GzipInflater::~GzipInflater() {
  inflateEnd(&z_);
}

void GzipInflater::feed(std::string_view data, const std::function<void(std::string_view)>& sink) {
  char out[kInflateChunk];
  z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z_.avail_in = static_cast<uInt>(data.size());
  while (z_.avail_in > 0) {
    // Concatenated gzip members are one stream (RFC 1952 §2.2).
    if (ended_) {
      if (inflateReset(&z_) != Z_OK) throw upload_error("Failed to decompress the batch.");
      ended_ = false;
    }
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = sizeof out;
    const int rc = inflate(&z_, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      throw upload_error("Failed to decompress the batch: it is not valid gzip data.");
    }
    const std::size_t produced = sizeof out - z_.avail_out;
    if (produced) sink(std::string_view(out, produced));
    if (rc == Z_STREAM_END) ended_ = true;
    if (rc == Z_BUF_ERROR && produced == 0) break;
  }
}

void GzipInflater::finish() {
  if (!ended_) throw upload_error("Failed to decompress the batch: the gzip data is truncated.");
}

// --- receiver -----------------------------------------------------------------------------------

UploadReceiver::UploadReceiver(UploadLimits limits, ObjectSpool& spool)
    : limits_(limits), spool_(spool) {}

UploadReceiver::~UploadReceiver() = default;

void UploadReceiver::on_part_begin(const net::PartInfo& part) {
  part_bytes_ = 0;
  decoded_bytes_ = 0;
  skipping_ = !part.filename.has_value();
  if (skipping_) return;

  const auto encoding = part_encoding(part.content_type);
  if (encoding == PartEncoding::refused) {
    throw upload_error(
        "Invalid ContentType header. This route only accepts \"application/gzip\", "
        "\"text/plain\" or \"application/json\".");
  }
  inflater_ = encoding == PartEncoding::gzip ? std::make_unique<GzipInflater>() : nullptr;
  splitter_ = std::make_unique<BatchSplitter>(limits_.max_object_bytes, [this](BatchElement& e) {
    spool_.append(prepare_object(e, limits_.max_object_bytes));
  });
}

void UploadReceiver::on_part_data(std::string_view data) {
  if (skipping_) return;
  part_bytes_ += data.size();
  if (part_bytes_ > limits_.max_part_bytes) throw too_large(limits_.max_part_bytes);
  if (inflater_) {
    inflater_->feed(data, [this](std::string_view decoded) { take(decoded); });
  } else {
    take(data);
  }
}

void UploadReceiver::take(std::string_view decoded) {
  // The limit holds for the decompressed batch too, so a small gzip part cannot expand
  // without bound.
  decoded_bytes_ += decoded.size();
  if (decoded_bytes_ > limits_.max_part_bytes) throw too_large(limits_.max_part_bytes);
  try {
    splitter_->feed(decoded);
  } catch (const BatchError& e) {
    throw upload_error(e.what());
  }
}

void UploadReceiver::on_part_end() {
  if (skipping_) return;
  if (inflater_) inflater_->finish();
  try {
    splitter_->finish();
  } catch (const BatchError& e) {
    throw upload_error(e.what());
  }
  ++batches_;
  splitter_.reset();
  inflater_.reset();
}

}  // namespace stipple::objects
