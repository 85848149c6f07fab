// gzip for streamed responses, compressed on a pool of threads: the stream is cut into blocks,
// each block is deflated on its own with the previous block's last 32 KB as its dictionary and
// ends on a byte boundary (a sync flush), so the blocks' outputs, in order, form one ordinary
// gzip stream. A download is then compressed on every core instead of on the connection's one,
// and compression is what limits a large download.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

namespace stipple::net {

class ParallelGzip {
 public:
  // `executor` is the strand the caller's coroutine runs on; `level` zlib's compression level.
  ParallelGzip(boost::asio::any_io_executor executor, int level);
  ~ParallelGzip();
  ParallelGzip(const ParallelGzip&) = delete;
  ParallelGzip& operator=(const ParallelGzip&) = delete;

  // Takes `input` and appends to `out` the compressed output that is ready, in order (the gzip
  // header first). Waits only while too many blocks are in flight.
  boost::asio::awaitable<void> write(std::string_view input, std::string& out);

  // Compresses what is left, then appends everything still to come and the gzip trailer.
  boost::asio::awaitable<void> finish(std::string& out);

 private:
  struct Block;
  struct Shared;

  void submit(bool last);
  // Moves the finished blocks at the front to `out`; with `wait`, waits for the front block.
  boost::asio::awaitable<void> collect(std::string& out, bool wait);

  int level_;
  std::shared_ptr<Shared> shared_;
  std::deque<std::shared_ptr<Block>> blocks_;
  std::string input_;       // the block being filled
  std::string dictionary_;  // the last 32 KB before it
  bool header_written_ = false;
  uint32_t crc_ = 0;
  uint64_t length_ = 0;
};

}  // namespace stipple::net
