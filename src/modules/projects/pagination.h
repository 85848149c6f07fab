// Pages of a list as upstream returns them: {totalCount, cursor, items}. Cursors are opaque to
// clients; inside they hold the sort key and id of the last item returned, so the next page
// continues after it (keyset paging, stable while rows are added).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stipple::projects {

template <class T>
struct Page {
  int64_t total_count = 0;
  // Set whenever the page has items, even the last one; null for an empty page. Clients stop at
  // an empty page or one shorter than they asked for.
  std::optional<std::string> cursor;
  std::vector<T> items;
};

// The position after an item in a list sorted by (sort_key, id), both descending.
struct Cursor {
  int64_t sort_key = 0;
  std::string id;
};

std::string encode_cursor(const Cursor& cursor);
// nullopt for text that is not a cursor of ours: callers treat it as "from the start".
std::optional<Cursor> decode_cursor(std::string_view text);

// Throws BAD_REQUEST_ERROR "Cannot return more than <max> items, please use pagination." when
// limit exceeds max.
void check_page_limit(int64_t limit, int64_t max);

}  // namespace stipple::projects
