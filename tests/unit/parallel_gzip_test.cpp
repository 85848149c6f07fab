// ParallelGzip's blocks, deflated on separate threads, must form one ordinary gzip stream.
#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <random>

#include "net/parallel_gzip.h"

namespace stipple::net {
namespace {

namespace asio = boost::asio;

// Inflates a whole gzip stream (one member); fails the test on any error.
std::string gunzip(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  char buffer[64 * 1024];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  EXPECT_EQ(z.avail_in, 0u) << "bytes after the gzip trailer";
  inflateEnd(&z);
  return out;
}

// JSON-like text: compressible, and varied enough to use the dictionaries.
std::string sample(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string out;
  while (out.size() < size) {
    out += "{\"id\":\"" + std::to_string(random()) +
           "\",\"speckle_type\":\"Base\",\"value\":" + std::to_string(random() % 1000) + "}\n";
  }
  out.resize(size);
  return out;
}

// Compresses `input` written in pieces of `piece` bytes.
std::string compress(const std::string& input, std::size_t piece) {
  asio::io_context io;
  auto strand = asio::make_strand(io);
  std::string out;
  auto done = asio::co_spawn(
      strand,
      [&]() -> asio::awaitable<void> {
        ParallelGzip gzip(strand, 1);
        for (std::size_t at = 0; at < input.size(); at += piece) {
          const std::string_view slice = std::string_view(input).substr(at, piece);
          co_await gzip.write(slice, out);
        }
        co_await gzip.finish(out);
      },
      asio::use_future);
  io.run();
  done.get();
  return out;
}

TEST(ParallelGzip, AnEmptyStreamIsAValidGzipOfNothing) {
  EXPECT_EQ(gunzip(compress("", 1)), "");
}

TEST(ParallelGzip, RoundTripsAnySizeWrittenInAnyPieces) {
  for (const std::size_t size :
       {1u, 1000u, 262143u, 262144u, 262145u, 3u * 262144u + 17u, 5u << 20}) {
    const std::string input = sample(size, static_cast<unsigned>(size));
    for (const std::size_t piece : {std::size_t{7}, std::size_t{65536}, input.size()}) {
      EXPECT_EQ(gunzip(compress(input, piece)), input) << size << " bytes in pieces of " << piece;
    }
  }
}

TEST(ParallelGzip, Compresses) {
  const std::string input = sample(4 << 20, 1);
  EXPECT_LT(compress(input, 1 << 20).size(), input.size() / 2);
}

}  // namespace
}  // namespace stipple::net
