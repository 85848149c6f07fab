// Small builders of SQL text shared by the repositories.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"

namespace stipple::db {

// "$first, $first+1, ..." for `count` parameters.
std::string placeholders(std::size_t first, std::size_t count);

// Parameters borrowing `values`, which must outlive the query.
std::vector<Param> params_of(const std::vector<std::string>& values);

// The condition that continues a newest-first page after the row (`key`, `id`): rows whose
// `key_column` is smaller, or equal with a smaller `id_column`. Appends its two parameters to
// `params`; `id` must outlive the query.
std::string keyset_after(std::string_view key_column, std::string_view id_column, int64_t key,
                         std::string_view id, std::vector<Param>& params);

}  // namespace stipple::db
