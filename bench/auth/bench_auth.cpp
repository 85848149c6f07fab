// Benchmark of token validation, the step every authenticated request goes through. It prints
// figures and never fails on time.
//
//   build/bench_auth [--tokens N] [--rounds R] [--postgres URL]
//
// N tokens (default 10,000, spread over 100 users) are stored in a fresh database: SQLite in a
// temporary file, or a new database on the PostgreSQL server of URL (a postgres:// URI naming an
// existing database to connect to first), dropped at the end. Then, per request:
// 1. cache hit: TokenValidator::check_cached on a token validated a moment ago;
// 2. cache miss: TokenValidator::validate against the database (one read by primary key, the
//    token's scopes and app, a SHA-256 of the secret), for a token whose lastUsed is recent;
// 3. first use: the same, when lastUsed is old enough to be written (one UPDATE more);
// 4. unknown token: a well-formed token whose id is not stored.
// R scales the number of timed iterations (default 1).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "../samples.h"
#include "base/ids.h"
#include "base/log.h"
#include "db/database.h"
#include "db/migrations.h"
#include "modules/auth/auth_module.h"
#include "modules/auth/token_validator.h"
#include "modules/tokens/tokens.h"
#include "modules/users/users.h"

namespace {

namespace auth = stipple::auth;
namespace db = stipple::db;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kUsers = 100;
constexpr std::size_t kCacheHitRuns = 200'000;

using stipple::bench::print_micros;
using stipple::bench::Samples;

struct Options {
  std::size_t tokens = 10'000;
  std::size_t rounds = 1;
  std::string postgres_url;
};

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--tokens") o.tokens = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--rounds") o.rounds = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--postgres") o.postgres_url = argv[i + 1];
  }
  if (o.tokens == 0) o.tokens = 1;
  if (o.rounds == 0) o.rounds = 1;
  return o;
}

// A migrated, seeded database: SQLite in a temporary file, or a new PostgreSQL database.
std::unique_ptr<db::Connection> open_fresh(const Options& o, std::filesystem::path& sqlite_path,
                                           std::string& postgres_db) {
  std::unique_ptr<db::Connection> conn;
  if (o.postgres_url.empty()) {
    sqlite_path = std::filesystem::temp_directory_path() /
                  ("stipple-bench-auth-" + stipple::random_hex(8) + ".db");
    conn = db::open_sqlite(sqlite_path.string());
  } else {
    postgres_db = "stipple_bench_" + stipple::random_hex(8);
    db::open_postgres(o.postgres_url)->exec_script("CREATE DATABASE " + postgres_db);
    std::string url = o.postgres_url;
    url = url.substr(0, url.rfind('/')) + "/" + postgres_db;
    conn = db::open_postgres(url);
    std::printf("database: PostgreSQL %s\n", url.c_str());
  }
  db::migrate(*conn, db::embedded_migrations(conn->dialect()));
  auth::seed_identity(*conn, "http://bench.stipple.test");
  return conn;
}

// Stores `count` tokens over kUsers users; returns the tokens as clients present them.
std::vector<std::string> store_tokens(db::Connection& conn, std::size_t count, int64_t now) {
  std::vector<std::string> owners;
  for (std::size_t i = 0; i < kUsers; ++i) {
    stipple::users::NewUser user;
    user.email = "bench-" + std::to_string(i) + "@example.org";
    user.name = "Bench " + std::to_string(i);
    user.password = "bench-password-0";
    owners.push_back(stipple::users::create_user(conn, user, now).id);
  }
  std::vector<std::string> tokens;
  conn.transaction([&] {
    for (std::size_t i = 0; i < count; ++i) {
      stipple::tokens::TokenSpec spec;
      spec.owner_id = owners[i % owners.size()];
      spec.name = "bench " + std::to_string(i);
      spec.scopes = {"streams:read", "streams:write", "profile:read", "profile:email"};
      spec.personal = true;
      tokens.push_back(stipple::tokens::create_token(conn, spec, now).token);
    }
  });
  return tokens;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  stipple::log::init(stipple::log::Level::warn);
  std::filesystem::path sqlite_path;
  std::string postgres_db;
  auto conn = open_fresh(options, sqlite_path, postgres_db);
  if (options.postgres_url.empty()) std::printf("database: SQLite %s\n", sqlite_path.c_str());

  // The stored tokens. The clock is ours, so "a minute later" needs no waiting.
  int64_t now = auth::system_now_ms();
  const auto fill_start = Clock::now();
  const auto tokens = store_tokens(*conn, options.tokens, now);
  std::printf("stored %zu tokens of %zu users in %.1f s\n\n", tokens.size(), kUsers,
              std::chrono::duration<double>(Clock::now() - fill_start).count());
  auth::TokenValidator validator([&now] { return now; });
  std::mt19937 random(42);
  std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
  std::size_t failures = 0;

  std::printf("  %-34s %9s %9s %9s %9s %9s   (µs per request)\n", "", "p50", "p90", "p99", "max",
              "mean");

  // 3. First use: every token once, each lastUsed older than the touch interval.
  Samples first_use;
  now += auth::TokenValidator::kTouchIntervalMs + 1;
  for (const auto& token : tokens) {
    const auto start = Clock::now();
    failures += validator.validate(*conn, token) ? 0 : 1;
    first_use.add(Clock::now() - start);
  }

  // 2. Cache miss: the same tokens again, lastUsed now recent, nothing cached.
  Samples miss;
  for (std::size_t round = 0; round < options.rounds; ++round) {
    validator.forget_all();
    for (const auto& token : tokens) {
      const auto start = Clock::now();
      failures += validator.validate(*conn, token) ? 0 : 1;
      miss.add(Clock::now() - start);
    }
  }

  // 1. Cache hit: random tokens, all cached by the pass before.
  Samples hit;
  auth::AuthContext context;
  for (std::size_t i = 0; i < kCacheHitRuns * options.rounds; ++i) {
    const std::string& token = tokens[pick(random)];
    const auto start = Clock::now();
    failures +=
        validator.check_cached(token, context) == auth::TokenValidator::Cached::valid ? 0 : 1;
    hit.add(Clock::now() - start);
  }

  // 4. Unknown tokens: well-formed, never stored.
  Samples unknown;
  for (std::size_t i = 0; i < std::min<std::size_t>(tokens.size(), 5'000) * options.rounds; ++i) {
    const std::string token = stipple::random_hex(stipple::tokens::kTokenLength);
    const auto start = Clock::now();
    failures += validator.validate(*conn, token) ? 1 : 0;
    unknown.add(Clock::now() - start);
  }

  print_micros("cache hit", hit);
  print_micros("cache miss (database read)", miss);
  print_micros("first use (read + touch)", first_use);
  print_micros("unknown token", unknown);
  if (failures) std::printf("\nunexpected results: %zu (the figures are suspect)\n", failures);

  // The database goes away with the run.
  conn.reset();
  if (!postgres_db.empty()) {
    db::open_postgres(options.postgres_url)->exec_script("DROP DATABASE " + postgres_db);
  }
  if (!sqlite_path.empty()) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(sqlite_path.string() + suffix);
    }
  }
  return 0;
}
