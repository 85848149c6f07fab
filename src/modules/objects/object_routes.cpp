#include "modules/objects/object_routes.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>
#include <boost/url/decode_view.hpp>
#include <boost/url/parse_query.hpp>
#include <chrono>
#include <future>
#include <limits>

#include "base/error.h"
#include "base/log.h"
#include "modules/auth/context.h"
#include "modules/objects/js_json_error.h"
#include "modules/objects/object_access.h"
#include "modules/objects/object_json.h"
#include "modules/objects/object_store.h"
#include "modules/objects/upload.h"
#include "modules/projects/project_access.h"
#include "net/multipart.h"

namespace stipple::objects {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using net::Exchange;
using net::http::status;

constexpr std::size_t kReadChunk = 64 * 1024;
// Object ids per query of getobjects and object-stream, as upstream chunks them.
constexpr std::size_t kIdsPerChunk = 1000;
// Rows handed from a database worker to the response in one message, and messages in flight:
// together they bound the memory of a download whatever the model's size.
constexpr std::size_t kRowsPerBatch = 256;
constexpr std::size_t kBytesPerBatch = 1 << 20;
constexpr std::size_t kBatchesInFlight = 2;
// A refused upload's remaining body is read and dropped up to this size, so the client sees
// the answer instead of a reset connection.
constexpr std::size_t kDrainLimit = 4 << 20;
// Parts an upload may carry, in units of the per-part limit: bounds the spool on disk.
constexpr std::size_t kMaxPartsWorth = 10;

constexpr std::string_view kMultipartMessage =
    "Failed to parse request headers and body content as valid multipart/form-data.";
constexpr std::string_view kObjectsFieldMessage =
    "Invalid body. Please provide a JSON object containing the property \"objects\" of type "
    "string. The value must be a JSON string representation of an array of object IDs.";
constexpr std::string_view kNotFoundMessage = "Failed to find object.";

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// --- access ---------------------------------------------------------------------------------

asio::awaitable<projects::ProjectAccess> load_access(db::Database& db, Exchange& ex) {
  const std::string project_id(ex.param("projectId"));
  const std::string user_id = auth::caller(ex).user_id;
  co_return co_await db.run([&project_id, &user_id](db::Connection& conn) {
    return projects::project_access(conn, project_id, user_id);
  });
}

// The legacy routes refuse with an empty body.
void refuse(Exchange& ex, const Verdict& verdict) {
  ex.respond_empty(static_cast<status>(verdict.status));
}

void refuse_json(Exchange& ex, const Verdict& verdict) {
  ex.respond_json(static_cast<status>(verdict.status), json::object{{"error", verdict.message}});
}

// Upstream's plain-text answers go out as text/html, as Express' res.send(string) does.
void respond_text(Exchange& ex, status code, std::string_view message) {
  ex.respond(code, std::string(message), "text/html; charset=utf-8");
}

asio::awaitable<void> drain_body(Exchange& ex) {
  char buffer[kReadChunk];
  std::size_t total = 0;
  try {
    while (total <= kDrainLimit) {
      const std::size_t n = co_await ex.read_some(buffer, sizeof buffer);
      if (n == 0) break;
      total += n;
    }
  } catch (const std::exception&) {
    // The answer is already decided; an unreadable rest only costs the connection.
  }
}

// --- request bodies -------------------------------------------------------------------------

Error user_input(std::string message) {
  return Error("USER_INPUT_ERROR", std::move(message), 400);
}

std::optional<std::string> form_field(std::string_view body, std::string_view name) {
  auto params = boost::urls::parse_query(body);
  if (!params) return std::nullopt;
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (const auto& param : *params) {
    const boost::urls::decode_view key(param.key, opts);
    if (!(key == name) || !param.has_value) continue;
    const boost::urls::decode_view value(param.value, opts);
    return std::string(value.begin(), value.end());
  }
  return std::nullopt;
}

// Parses a text js_json_parse_error accepted, as deep as JavaScript would.
json::value parse_valid(std::string_view text) {
  json::parse_options options;
  options.max_depth = std::numeric_limits<std::size_t>::max();
  return json::parse(text, {}, options);
}

// The text JavaScript's String() gives a JSON value, as upstream passes a non-string `objects`
// to JSON.parse: arrays join their elements with commas, objects become "[object Object]".
std::string js_string(const json::value& value) {
  switch (value.kind()) {
    case json::kind::string:
      return std::string(value.as_string().data(), value.as_string().size());
    case json::kind::array: {
      std::string out;
      for (const auto& item : value.as_array()) {
        if (&item != value.as_array().begin()) out.push_back(',');
        if (!item.is_null()) out += js_string(item);
      }
      return out;
    }
    case json::kind::object:
      return "[object Object]";
    default:
      return json::serialize(value);
  }
}

// The ids of the `objects` field: a string holding a JSON array of ids, in a JSON or an
// urlencoded body. Throws USER_INPUT_ERROR with upstream's words, JSON.parse's message included.
std::vector<std::string> objects_field(Exchange& ex) {
  const std::string_view type = ex.header(net::http::field::content_type);
  std::string field = "undefined";
  if (type.find("x-www-form-urlencoded") != std::string_view::npos) {
    field = form_field(ex.body(), "objects").value_or(field);
  } else if (type.find("json") != std::string_view::npos) {
    if (const auto error = js_json_parse_error(ex.body()); !error.empty()) {
      throw user_input("Invalid request body: " + error);
    }
    const json::value body = parse_valid(ex.body());
    if (const auto* object = body.if_object()) {
      if (const auto* value = object->if_contains("objects")) field = js_string(*value);
    }
  }

  if (const auto error = js_json_parse_error(field); !error.empty()) {
    throw user_input(std::string(kObjectsFieldMessage) + ": " + error);
  }
  const json::value list = parse_valid(field);
  if (!list.is_array()) throw user_input(std::string(kObjectsFieldMessage));
  std::vector<std::string> ids;
  ids.reserve(list.as_array().size());
  for (const auto& id : list.as_array()) {
    if (!id.is_string()) throw user_input(std::string(kObjectsFieldMessage));
    ids.emplace_back(id.as_string().data(), id.as_string().size());
  }
  return ids;
}

// The object-stream body, validated as strictly as upstream's schema. An invalid body is
// answered here (400 with a ZodError-shaped list) and nullopt returned.
struct StreamRequest {
  std::vector<std::string> ids;
  std::vector<std::string> mask;
  bool include = false;
  bool masked = false;
};

json::object zod_issue(std::string code, std::string message, json::array path) {
  return json::object{
      {"code", std::move(code)}, {"message", std::move(message)}, {"path", std::move(path)}};
}

json::value zod_error(json::object issue) {
  return json::array{json::object{
      {"type", "Body"},
      {"errors", json::object{{"issues", json::array{std::move(issue)}}, {"name", "ZodError"}}}}};
}

json::object unrecognized(const json::object& object, std::initializer_list<std::string_view> known,
                          json::array path) {
  json::array keys;
  for (const auto& member : object) {
    bool ok = false;
    for (const auto k : known) ok = ok || member.key() == k;
    if (!ok) keys.emplace_back(member.key());
  }
  if (keys.empty()) return {};
  std::string list;
  for (const auto& k : keys)
    list += (list.empty() ? "'" : ", '") + std::string(k.as_string()) + "'";
  auto issue = zod_issue("unrecognized_keys", "Unrecognized key(s) in object: " + list, path);
  issue["keys"] = std::move(keys);
  return issue;
}

// A non-empty array of strings at `value`, or the issue that says why not.
json::object string_list(const json::value* value, json::array path,
                         std::vector<std::string>& out) {
  if (!value || !value->is_array()) {
    const char* received = !value               ? "undefined"
                           : value->is_string() ? "string"
                           : value->is_object() ? "object"
                           : value->is_null()   ? "null"
                           : value->is_bool()   ? "boolean"
                                                : "number";
    auto issue =
        zod_issue("invalid_type", std::string("Expected array, received ") + received, path);
    issue["expected"] = "array";
    issue["received"] = received;
    return issue;
  }
  const auto& array = value->as_array();
  if (array.empty()) {
    auto issue = zod_issue("too_small", "Array must contain at least 1 element(s)", path);
    issue["minimum"] = 1;
    issue["inclusive"] = true;
    issue["exact"] = false;
    issue["type"] = "array";
    return issue;
  }
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_string()) {
      json::array item_path = path;
      item_path.emplace_back(i);
      auto issue = zod_issue("invalid_type", "Expected string", std::move(item_path));
      issue["expected"] = "string";
      return issue;
    }
    out.emplace_back(array[i].as_string().data(), array[i].as_string().size());
  }
  return {};
}

std::optional<StreamRequest> stream_request(Exchange& ex) {
  if (const auto error = js_json_parse_error(ex.body()); !error.empty()) {
    throw user_input("Invalid request body: " + error);
  }
  const json::value body = parse_valid(ex.body());

  StreamRequest request;
  const auto fail = [&](json::object issue) {
    ex.respond_json(status::bad_request, zod_error(std::move(issue)));
    return std::nullopt;
  };
  if (!body.is_object()) {
    auto issue = zod_issue("invalid_type", "Expected object", {});
    issue["expected"] = "object";
    return fail(std::move(issue));
  }
  const auto& object = body.as_object();
  if (auto issue = unrecognized(object, {"objectIds", "attributeMask"}, {}); !issue.empty()) {
    return fail(std::move(issue));
  }
  if (auto issue = string_list(object.if_contains("objectIds"), {"objectIds"}, request.ids);
      !issue.empty()) {
    return fail(std::move(issue));
  }
  if (const auto* mask = object.if_contains("attributeMask")) {
    if (!mask->is_object()) {
      auto issue = zod_issue("invalid_type", "Expected object", {"attributeMask"});
      issue["expected"] = "object";
      return fail(std::move(issue));
    }
    const auto& m = mask->as_object();
    const bool include = m.contains("include");
    if (auto issue = unrecognized(m, {include ? "include" : "exclude"}, {"attributeMask"});
        !issue.empty()) {
      return fail(std::move(issue));
    }
    const std::string_view key = include ? "include" : "exclude";
    if (auto issue = string_list(m.if_contains(key), {"attributeMask", key}, request.mask);
        !issue.empty()) {
      return fail(std::move(issue));
    }
    request.include = include;
    request.masked = true;
  }
  return request;
}

// --- streaming rows out of the database -----------------------------------------------------

struct Row {
  std::string id;
  std::string data;
};
using RowBatch = std::vector<Row>;
using RowChannel =
    asio::experimental::concurrent_channel<void(boost::system::error_code, RowBatch)>;

// Where the rows of a download go: `id\tjson` lines or a JSON array.
class RowWriter {
 public:
  RowWriter(Exchange& ex, bool lines) : ex_(ex), lines_(lines) {}

  asio::awaitable<void> begin() {
    co_await ex_.begin_stream(
        status::ok, lines_ ? "text/plain; charset=UTF-8" : "application/json; charset=utf-8", true);
    if (!lines_) co_await ex_.write("[");
  }
  asio::awaitable<void> row(std::string_view id, std::string_view data) {
    if (lines_) {
      co_await ex_.write(id);
      co_await ex_.write("\t");
      co_await ex_.write(data);
      co_await ex_.write("\n");
    } else {
      if (count_) co_await ex_.write(",");
      co_await ex_.write(data);
    }
    ++count_;
  }
  asio::awaitable<void> end() {
    if (!lines_) co_await ex_.write("]");
    co_await ex_.end_stream();
  }
  std::size_t count() const { return count_; }

 private:
  Exchange& ex_;
  bool lines_;
  std::size_t count_ = 0;
};

// Runs `produce(conn, emit)` on a database worker and writes every row it emits through
// `writer`, as it arrives. The worker waits while the client is slower than the database, so
// at most kBatchesInFlight batches are held. `transform` may rewrite a row's data.
using Emit = std::function<bool(std::string_view id, std::string_view data)>;
using Produce = std::function<void(db::Connection&, const Emit&)>;
using Transform = std::function<std::string(std::string_view)>;

// Parameters are references to the caller's named locals, which outlive the co_await.
asio::awaitable<void> stream_rows(db::Database& db, RowWriter& writer, const Produce& produce,
                                  const Transform& transform) {
  auto executor = co_await asio::this_coro::executor;
  auto channel = std::make_shared<RowChannel>(executor, kBatchesInFlight);
  auto failure = std::make_shared<std::exception_ptr>();

  // Producer: the query runs on a worker; each full batch waits for room in the channel.
  auto work = [channel, produce](db::Connection& conn) {
    RowBatch batch;
    std::size_t bytes = 0;
    const auto send = [&]() -> bool {
      std::promise<boost::system::error_code> sent;
      auto result = sent.get_future();
      channel->async_send(boost::system::error_code(), std::move(batch),
                          [&sent](boost::system::error_code ec) { sent.set_value(ec); });
      batch = RowBatch();
      bytes = 0;
      return !result.get();
    };
    bool open = true;
    produce(conn, [&](std::string_view id, std::string_view data) {
      batch.push_back(Row{std::string(id), std::string(data)});
      bytes += data.size();
      if (batch.size() >= kRowsPerBatch || bytes >= kBytesPerBatch) open = send();
      return open;
    });
    if (open && !batch.empty()) open = send();

    // An empty batch ends the stream. Closing the channel instead would discard the batches
    // still buffered in it, and with them the last rows of the answer.
    if (open) send();
  };
  asio::co_spawn(executor, db.run(std::move(work)), [channel, failure](std::exception_ptr e) {
    if (!e) return;
    *failure = e;
    channel->async_send(boost::system::error_code(), RowBatch(),
                        [channel](boost::system::error_code) {});
  });

  // Consumer: write batches until the empty batch that ends the stream.
  struct CloseOnExit {
    std::shared_ptr<RowChannel> channel;
    ~CloseOnExit() { channel->close(); }
  } guard{channel};
  for (;;) {
    auto [ec, batch] = co_await channel->async_receive(asio::as_tuple(asio::use_awaitable));
    if (ec || batch.empty()) break;
    for (const auto& row : batch) {
      if (transform) {
        const std::string data = transform(row.data);
        co_await writer.row(row.id, data);
      } else {
        co_await writer.row(row.id, row.data);
      }
    }
  }
  if (*failure) std::rethrow_exception(*failure);
}

// Rows of `ids` in chunks of kIdsPerChunk in request order, sorted by id inside each chunk.
Produce chunked_ids(std::string project_id, std::vector<std::string> ids) {
  return [project_id = std::move(project_id), ids = std::move(ids)](db::Connection& conn,
                                                                    const Emit& emit) {
    bool open = true;
    for (std::size_t start = 0; open && start < ids.size(); start += kIdsPerChunk) {
      const std::size_t count = std::min(kIdsPerChunk, ids.size() - start);
      each_object(
          conn, project_id, std::span(ids).subspan(start, count),
          [&](std::string_view id, std::string_view data) { return open = emit(id, data); });
    }
  };
}

bool wants_lines(Exchange& ex) {
  return ex.header(net::http::field::accept) == "text/plain";
}

std::string total_children_json(const std::optional<int64_t>& count) {
  return count ? std::to_string(*count) : "null";
}

// --- handlers -------------------------------------------------------------------------------

class Routes {
 public:
  explicit Routes(const ObjectsDeps& deps) : db_(deps.database), config_(deps.config) {}

  asio::awaitable<void> upload(Exchange& ex) {
    const auto started = std::chrono::steady_clock::now();
    const std::string project_id(ex.param("projectId"));
    const auto access = co_await load_access(db_, ex);
    const auto verdict = check_write(auth::caller(ex), access, project_id);
    if (!verdict.allowed()) {
      co_await drain_body(ex);
      co_return refuse(ex, verdict);
    }

    const auto boundary = net::multipart_boundary(ex.header(net::http::field::content_type));
    if (!boundary) {
      co_await drain_body(ex);
      co_return respond_text(ex, status::bad_request, kMultipartMessage);
    }

    // Read and spool the whole request; nothing is stored unless all of it is valid.
    ObjectSpool spool;
    UploadReceiver receiver(limits(), spool);
    net::MultipartParser parser(*boundary);
    std::size_t body_bytes = 0;
    struct Refusal {
      status code;
      std::string message;
    };
    std::optional<Refusal> refusal;
    try {
      char buffer[kReadChunk];
      for (;;) {
        const std::size_t n = co_await ex.read_some(buffer, sizeof buffer);
        if (n == 0) break;
        body_bytes += n;
        parser.feed(std::string_view(buffer, n), receiver);
      }
      parser.finish();
    } catch (const net::MultipartError& e) {
      log::info("objects.upload_refused", {{"project", project_id}, {"error", e.what()}});
      refusal = Refusal{status::bad_request, std::string(kMultipartMessage)};
    } catch (const Error& e) {
      if (e.code() == "CLIENT_GONE") throw;
      log::info("objects.upload_refused",
                {{"project", project_id}, {"status", e.http_status()}, {"error", e.what()}});
      refusal = Refusal{static_cast<status>(e.http_status()), e.what()};
    }
    // The client may still be sending: read on a little, so it sees the answer, not a reset.
    if (refusal) {
      co_await drain_body(ex);
      co_return respond_text(ex, refusal->code, refusal->message);
    }

    // Store everything in one transaction.
    co_await db_.run([&project_id, &spool](db::Connection& conn) {
      store_spool(conn, project_id, spool, now_ms());
    });
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    log::info("objects.uploaded", {{"project", project_id},
                                   {"batches", receiver.batches()},
                                   {"objects", spool.size()},
                                   {"body_bytes", body_bytes},
                                   {"stored_bytes", static_cast<std::size_t>(spool.bytes())},
                                   {"duration_ms", static_cast<int64_t>(ms)}});
    ex.respond_empty(status::created);
  }

  asio::awaitable<void> diff(Exchange& ex) {
    const std::string project_id(ex.param("projectId"));
    const auto access = co_await load_access(db_, ex);
    const auto verdict = check_write(auth::caller(ex), access, project_id);
    if (!verdict.allowed()) co_return refuse(ex, verdict);

    const auto ids = objects_field(ex);
    const auto found = co_await db_.run(
        [&project_id, &ids](db::Connection& conn) { return existing_ids(conn, project_id, ids); });

    // Every requested id once, in request order, with whether the project has it.
    json::object answer;
    for (const auto& id : ids) answer[id] = found.contains(id);
    ex.set_header(net::http::field::content_encoding, "gzip");
    ex.respond(status::ok, net::gzip_compress(json::serialize(answer)),
               "application/json; charset=utf-8");
  }

  asio::awaitable<void> single(Exchange& ex) {
    const std::string project_id(ex.param("projectId"));
    const std::string object_id(ex.param("objectId"));
    const auto access = co_await load_access(db_, ex);
    const auto verdict = check_read(auth::caller(ex), access, project_id);
    if (!verdict.allowed()) co_return refuse(ex, verdict);

    const auto object = co_await db_.run(
        [&](db::Connection& conn) { return find_object(conn, project_id, object_id); });
    if (!object) co_return respond_text(ex, status::not_found, kNotFoundMessage);
    ex.respond(
        status::ok,
        with_total_children_count(object->data, total_children_json(object->total_children_count)),
        "application/json; charset=utf-8");
  }

  asio::awaitable<void> download(Exchange& ex) {
    const std::string project_id(ex.param("projectId"));
    const std::string object_id(ex.param("objectId"));
    const auto access = co_await load_access(db_, ex);
    const auto verdict = check_read(auth::caller(ex), access, project_id);
    if (!verdict.allowed()) co_return refuse(ex, verdict);

    auto root = co_await db_.run(
        [&](db::Connection& conn) { return find_object(conn, project_id, object_id); });
    if (!root) co_return respond_text(ex, status::not_found, kNotFoundMessage);

    // The root first (its totalChildrenCount from the column), then its closure by id.
    // Arguments of co_await expressions are named locals, never temporaries: GCC 12 destroys
    // some temporaries of a co_await full-expression twice.
    std::string root_data =
        with_total_children_count(root->data, total_children_json(root->total_children_count));
    // A root holds its whole closure (tens of megabytes for big models): keep one copy only.
    root.reset();
    // By value: after a client disconnect the worker may outlive this frame.
    const Produce closure = [project_id, object_id](db::Connection& conn, const Emit& emit) {
      each_closure_object(conn, project_id, object_id, emit);
    };
    const Transform unchanged;
    RowWriter writer(ex, wants_lines(ex));
    co_await writer.begin();
    co_await writer.row(object_id, root_data);
    std::string().swap(root_data);
    co_await stream_rows(db_, writer, closure, unchanged);
    co_await writer.end();
  }

  asio::awaitable<void> get_objects(Exchange& ex) {
    const std::string project_id(ex.param("projectId"));
    const auto access = co_await load_access(db_, ex);
    const auto verdict = check_read(auth::caller(ex), access, project_id);
    if (!verdict.allowed()) co_return refuse(ex, verdict);

    const Produce rows = chunked_ids(project_id, objects_field(ex));
    const Transform unchanged;
    RowWriter writer(ex, wants_lines(ex));
    co_await writer.begin();
    co_await stream_rows(db_, writer, rows, unchanged);
    co_await writer.end();
  }

  asio::awaitable<void> object_stream(Exchange& ex) {
    const std::string project_id(ex.param("projectId"));
    const auto access = co_await load_access(db_, ex);
    const auto verdict = check_stream_read(auth::caller(ex), access, project_id);
    if (!verdict.allowed()) co_return refuse_json(ex, verdict);

    auto request = stream_request(ex);
    if (!request) co_return;
    Transform transform;
    if (request->masked) {
      transform = [mask = request->mask, include = request->include](std::string_view data) {
        return masked(data, mask, include);
      };
    }
    const Produce rows = chunked_ids(project_id, std::move(request->ids));
    RowWriter writer(ex, true);
    co_await writer.begin();
    co_await stream_rows(db_, writer, rows, transform);
    co_await writer.end();
  }

  UploadLimits limits() const {
    UploadLimits l;
    l.max_object_bytes = static_cast<std::size_t>(config_.max_object_size_mb) << 20;
    l.max_part_bytes = static_cast<std::size_t>(config_.max_object_upload_file_size_mb) << 20;
    return l;
  }

 private:
  db::Database& db_;
  const Config& config_;
};

}  // namespace

void register_routes(const ObjectsDeps& deps) {
  auto routes = std::make_shared<Routes>(deps);
  auto bind = [routes](asio::awaitable<void> (Routes::*method)(Exchange&)) {
    return [routes, method](Exchange& ex) { return ((*routes).*method)(ex); };
  };
  const std::size_t upload_limit = routes->limits().max_part_bytes * kMaxPartsWorth;

  deps.server.route(net::Route{net::http::verb::post, "/objects/:projectId", bind(&Routes::upload),
                               net::BodyMode::streamed, upload_limit});
  deps.server.post("/api/diff/:projectId", bind(&Routes::diff));
  deps.server.get("/objects/:projectId/:objectId/single", bind(&Routes::single));
  deps.server.get("/objects/:projectId/:objectId", bind(&Routes::download));
  deps.server.post("/api/getobjects/:projectId", bind(&Routes::get_objects));
  // The router ignores a trailing slash, so objectloader2's ".../object-stream/" matches too.
  deps.server.post("/api/v2/projects/:projectId/object-stream", bind(&Routes::object_stream));
}

}  // namespace stipple::objects
