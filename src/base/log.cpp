#include "base/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace stipple::log {
namespace {

std::atomic<Level> g_level{Level::info};
std::atomic<bool> g_json{true};

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::trace:
      return spdlog::level::trace;
    case Level::debug:
      return spdlog::level::debug;
    case Level::info:
      return spdlog::level::info;
    case Level::warn:
      return spdlog::level::warn;
    case Level::error:
      return spdlog::level::err;
    case Level::critical:
      return spdlog::level::critical;
    case Level::off:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

void append_json_string(std::string& out, std::string_view text) {
  out += boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

void append_value_json(std::string& out, const Field::Value& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view> || std::is_same_v<T, std::string>) {
          append_json_string(out, v);
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else {
          out += std::to_string(v);
        }
      },
      value);
}

void append_value_text(std::string& out, const Field::Value& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view> || std::is_same_v<T, std::string>) {
          const bool quote = v.empty() || v.find(' ') != std::string_view::npos;
          if (quote) out += '"';
          out += v;
          if (quote) out += '"';
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else {
          out += std::to_string(v);
        }
      },
      value);
}

}  // namespace

void init(Level level, Format format) {
  g_level = level;
  const bool json = format == Format::json || (format == Format::automatic && !isatty(1));
  g_json = json;

  // Logs go to stdout, one line each; a mutex-protected sink keeps lines whole across threads.
  auto logger = spdlog::get("stipple");
  if (!logger) {
    logger = spdlog::stdout_logger_mt("stipple");
    spdlog::set_default_logger(logger);
  }
  if (json) {
    logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                        spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%H:%M:%S.%e %^%-5l%$ %v");
  }
  logger->set_level(to_spdlog(level));
  logger->flush_on(spdlog::level::info);
}

bool parse_level(std::string_view text, Level& out) {
  static constexpr std::pair<std::string_view, Level> kNames[] = {
      {"trace", Level::trace},    {"debug", Level::debug},       {"info", Level::info},
      {"warn", Level::warn},      {"warning", Level::warn},      {"error", Level::error},
      {"fatal", Level::critical}, {"critical", Level::critical}, {"silent", Level::off},
      {"off", Level::off}};
  for (const auto& [name, level] : kNames) {
    if (text == name) {
      out = level;
      return true;
    }
  }
  return false;
}

bool enabled(Level level) {
  return level >= g_level.load(std::memory_order_relaxed);
}

void write(Level level, std::string_view event, Fields fields, std::string_view msg) {
  std::string line;
  line.reserve(128);
  if (g_json) {
    line += "\"event\":";
    append_json_string(line, event);
    for (const auto& field : fields) {
      line += ',';
      append_json_string(line, field.key);
      line += ':';
      append_value_json(line, field.value);
    }
    line += ",\"msg\":";
    append_json_string(line, msg);
  } else {
    line += event;
    for (const auto& field : fields) {
      line += ' ';
      line += field.key;
      line += '=';
      append_value_text(line, field.value);
    }
    if (!msg.empty()) {
      line += " — ";
      line += msg;
    }
  }
  spdlog::default_logger_raw()->log(to_spdlog(level), "{}", line);
}

}  // namespace stipple::log
