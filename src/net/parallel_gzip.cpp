#include "net/parallel_gzip.h"

#include <zlib.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "base/error.h"

namespace stipple::net {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kBlockBytes = 256 * 1024;
constexpr std::size_t kDictionaryBytes = 32 * 1024;
constexpr std::size_t kBlocksInFlight = 4;

// The compression threads, shared by every stream: one per core.
asio::thread_pool& compression_pool() {
  static asio::thread_pool pool(std::max(2u, std::thread::hardware_concurrency()));
  return pool;
}

void put_le32(std::string& out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

}  // namespace

struct ParallelGzip::Block {
  std::string input;
  std::string dictionary;
  bool last = false;
  // Written by the compressing thread, read on the strand after `done` is set there.
  std::string output;
  uint32_t crc = 0;
  bool failed = false;
  bool done = false;
};

// What the compressing threads reach after the stream's owner may be gone: the timer that
// wakes the owner's coroutine, on its strand.
struct ParallelGzip::Shared {
  explicit Shared(asio::any_io_executor executor) : wake(executor) {}
  asio::steady_timer wake;
};

namespace {

// A compressing thread's deflate state, kept between blocks (reset, not reallocated).
class ThreadDeflater {
 public:
  ~ThreadDeflater() {
    if (ready_) deflateEnd(&z_);
  }

  z_stream* get(int level) {
    if (ready_ && level != level_) {
      deflateEnd(&z_);
      ready_ = false;
    }
    if (!ready_) {
      z_ = z_stream{};
      if (deflateInit2(&z_, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return nullptr;
      ready_ = true;
      level_ = level;
    } else if (deflateReset(&z_) != Z_OK) {
      return nullptr;
    }
    return &z_;
  }

 private:
  z_stream z_{};
  bool ready_ = false;
  int level_ = 0;
};

// Raw deflate of one block; ends on a byte boundary, or with the final block bit when `last`.
void deflate_block(int level, const std::string& input, const std::string& dictionary, bool last,
                   std::string& output, uint32_t& crc, bool& failed) {
  thread_local ThreadDeflater deflater;
  z_stream* z = deflater.get(level);
  if (!z) {
    failed = true;
    return;
  }
  if (!dictionary.empty()) {
    deflateSetDictionary(z, reinterpret_cast<const Bytef*>(dictionary.data()),
                         static_cast<uInt>(dictionary.size()));
  }
  // Stored blocks cost 5 bytes per 16 KB at worst; the sync marker and final block a few more.
  output.resize(input.size() + input.size() / 1024 + 256);
  z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z->avail_in = static_cast<uInt>(input.size());
  z->next_out = reinterpret_cast<Bytef*>(output.data());
  z->avail_out = static_cast<uInt>(output.size());
  const int rc = deflate(z, last ? Z_FINISH : Z_SYNC_FLUSH);
  failed = last ? rc != Z_STREAM_END : (rc != Z_OK || z->avail_in != 0);
  output.erase(output.size() - std::min<std::size_t>(z->avail_out, output.size()));
  crc = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(input.data()), static_cast<uInt>(input.size())));
}

}  // namespace

ParallelGzip::ParallelGzip(asio::any_io_executor executor, int level)
    : level_(level), shared_(std::make_shared<Shared>(std::move(executor))) {}

ParallelGzip::~ParallelGzip() = default;

void ParallelGzip::submit(bool last) {
  auto block = std::make_shared<Block>();
  block->input = std::move(input_);
  block->dictionary = dictionary_;
  block->last = last;
  // The next block's dictionary: the end of this one (with the older bytes when it is short).
  dictionary_ += block->input;
  if (dictionary_.size() > kDictionaryBytes)
    dictionary_.erase(0, dictionary_.size() - kDictionaryBytes);
  input_.clear();
  blocks_.push_back(block);

  asio::post(compression_pool(), [block, shared = shared_, level = level_] {
    deflate_block(level, block->input, block->dictionary, block->last, block->output, block->crc,
                  block->failed);
    asio::post(shared->wake.get_executor(), [block, shared] {
      block->done = true;
      shared->wake.cancel();
    });
  });
}

asio::awaitable<void> ParallelGzip::collect(std::string& out, bool wait) {
  while (!blocks_.empty()) {
    auto& front = *blocks_.front();
    if (!front.done) {
      if (!wait) break;
      shared_->wake.expires_at(asio::steady_timer::time_point::max());
      co_await shared_->wake.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    if (front.failed) throw internal_error("zlib deflate failed");
    out += front.output;
    crc_ = static_cast<uint32_t>(
        crc32_combine(crc_, front.crc, static_cast<z_off_t>(front.input.size())));
    length_ += front.input.size();
    blocks_.pop_front();
    wait = false;  // one finished block is enough progress
  }
}

asio::awaitable<void> ParallelGzip::write(std::string_view input, std::string& out) {
  if (!header_written_) {
    // Magic, deflate, no flags, no time, no extra flags, unknown OS.
    out.append("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    header_written_ = true;
  }
  while (!input.empty()) {
    const std::size_t take = std::min(input.size(), kBlockBytes - input_.size());
    input_.append(input.substr(0, take));
    input.remove_prefix(take);
    if (input_.size() == kBlockBytes) {
      submit(false);
      co_await collect(out, blocks_.size() > kBlocksInFlight);
    }
  }
  co_await collect(out, false);
}

asio::awaitable<void> ParallelGzip::finish(std::string& out) {
  co_await write({}, out);
  submit(true);
  while (!blocks_.empty()) co_await collect(out, true);
  put_le32(out, crc_);
  put_le32(out, static_cast<uint32_t>(length_));
}

}  // namespace stipple::net
