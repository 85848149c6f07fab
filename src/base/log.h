// Structured logging: an event name, fields, then a short message. JSON lines when stdout is not a
// terminal (or LOG_FORMAT=json), readable text on a terminal.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace stipple::log {

enum class Level { trace, debug, info, warn, error, critical, off };

// One key/value of a log line. Values keep their JSON type in JSON mode.
struct Field {
  using Value =
      std::variant<std::string_view, std::string, long long, unsigned long long, double, bool>;
  std::string_view key;
  Value value;

  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, std::string&& v) : key(k), value(std::move(v)) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<long long>(v)) {}
  Field(std::string_view k, long v) : key(k), value(static_cast<long long>(v)) {}
  Field(std::string_view k, long long v) : key(k), value(v) {}
  Field(std::string_view k, unsigned v) : key(k), value(static_cast<unsigned long long>(v)) {}
  Field(std::string_view k, unsigned long v) : key(k), value(static_cast<unsigned long long>(v)) {}
  Field(std::string_view k, unsigned long long v) : key(k), value(v) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
};

using Fields = std::initializer_list<Field>;

enum class Format { automatic, json, text };

// Sets the level and format of the process-wide logger. Safe to call again.
void init(Level level, Format format = Format::automatic);

// Parses "trace", "debug", "info", "warn", "error", "fatal"/"critical", "silent"/"off".
bool parse_level(std::string_view text, Level& out);

bool enabled(Level level);
void write(Level level, std::string_view event, Fields fields, std::string_view msg);

inline void debug(std::string_view event, Fields fields, std::string_view msg = {}) {
  if (enabled(Level::debug)) write(Level::debug, event, fields, msg);
}
inline void info(std::string_view event, Fields fields, std::string_view msg = {}) {
  if (enabled(Level::info)) write(Level::info, event, fields, msg);
}
inline void warn(std::string_view event, Fields fields, std::string_view msg = {}) {
  if (enabled(Level::warn)) write(Level::warn, event, fields, msg);
}
inline void error(std::string_view event, Fields fields, std::string_view msg = {}) {
  if (enabled(Level::error)) write(Level::error, event, fields, msg);
}

}  // namespace stipple::log
