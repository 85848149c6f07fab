// The upload pipeline of POST /objects/:projectId, without network or database: multipart parts
// are decoded (gzip or plain), split into objects, each object gets its id by upstream's rules,
// and the result is appended to a spool file. The route stores the spool in one transaction once
// the whole request has been read, so a request is atomic: a failure anywhere (a malformed part,
// a bad id, a size limit, the client going away) stores nothing, and a success stores every part.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "modules/objects/object_json.h"
#include "net/multipart.h"

namespace stipple::objects {

// One object ready to be stored.
struct PreparedObject {
  std::string id;
  std::string speckle_type;
  std::string data;  // minified JSON whose top-level "id" is `id`
};

struct UploadLimits {
  std::size_t max_object_bytes = 100u << 20;  // MAX_OBJECT_SIZE_MB: one object (→ 400)
  std::size_t max_part_bytes = 100u << 20;    // MAX_OBJECT_UPLOAD_FILE_SIZE_MB: one part (→ 413)
};

// Gives `element` its final id (upstream's rules: `hash` wins over `id`; a missing id becomes the
// md5 of the object's text; the id must have exactly 32 characters). Throws Error 400.
PreparedObject prepare_object(BatchElement& element, std::size_t max_object_bytes);

// Prepared objects on disk, in arrival order, so a request of any size is held in constant
// memory until it is stored. Records: id, speckle_type and data, each length-prefixed.
class ObjectSpool {
 public:
  ObjectSpool();
  ~ObjectSpool();
  ObjectSpool(const ObjectSpool&) = delete;
  ObjectSpool& operator=(const ObjectSpool&) = delete;

  void append(const PreparedObject& object);
  std::size_t size() const { return offsets_.size(); }
  // The id of record `index`, kept in memory (ids are 32 characters) so the store can order and
  // filter records without reading them back.
  const std::string& id(std::size_t index) const { return ids_.at(index); }
  uint64_t bytes() const { return bytes_; }

  // Reads record `index` (0 = first appended) into `out`.
  void read(std::size_t index, PreparedObject& out);

 private:
  std::FILE* file_;
  std::vector<uint64_t> offsets_;
  std::vector<std::string> ids_;
  uint64_t bytes_ = 0;
  bool writing_ = true;
};

// Inflates a gzip stream that arrives in pieces.
class GzipInflater {
 public:
  GzipInflater();
  ~GzipInflater();
  GzipInflater(const GzipInflater&) = delete;
  GzipInflater& operator=(const GzipInflater&) = delete;

  // Inflates `data`, handing the output to `sink` in pieces. Throws Error 400 on corrupt input.
  void feed(std::string_view data, const std::function<void(std::string_view)>& sink);
  // Throws Error 400 unless the stream ended cleanly.
  void finish();

 private:
  z_stream z_{};
  bool ended_ = false;
};

// Receives the multipart parts of an upload and spools the objects they hold.
class UploadReceiver final : public net::MultipartHandler {
 public:
  UploadReceiver(UploadLimits limits, ObjectSpool& spool);
  ~UploadReceiver() override;

  void on_part_begin(const net::PartInfo& part) override;
  void on_part_data(std::string_view data) override;
  void on_part_end() override;

  std::size_t batches() const { return batches_; }

 private:
  void take(std::string_view decoded);

  UploadLimits limits_;
  ObjectSpool& spool_;
  bool skipping_ = false;  // a part without filename: ignored, as busboy does
  std::unique_ptr<GzipInflater> inflater_;
  std::unique_ptr<BatchSplitter> splitter_;
  std::size_t part_bytes_ = 0;
  std::size_t decoded_bytes_ = 0;
  std::size_t batches_ = 0;
};

}  // namespace stipple::objects
