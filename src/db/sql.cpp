#include "db/sql.h"

namespace stipple::db {

std::string placeholders(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out;
}

std::vector<Param> params_of(const std::vector<std::string>& values) {
  return std::vector<Param>(values.begin(), values.end());
}

std::string keyset_after(std::string_view key_column, std::string_view id_column, int64_t key,
                         std::string_view id, std::vector<Param>& params) {
  const auto key_param = "$" + std::to_string(params.size() + 1);
  const auto id_param = "$" + std::to_string(params.size() + 2);
  params.emplace_back(key);
  params.emplace_back(id);
  const std::string k(key_column);
  const std::string i(id_column);
  return " AND (" + k + " < " + key_param + " OR (" + k + " = " + key_param + " AND " + i + " < " +
         id_param + "))";
}

}  // namespace stipple::db
