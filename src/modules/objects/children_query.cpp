#include "modules/objects/children_query.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <cmath>
#include <variant>

#include "base/error.h"
#include "base/js_json.h"

namespace stipple::objects {
namespace {

// Upstream's defaults when a limit or depth of 0 reaches its repository.
constexpr int64_t kDefaultLimit = 50;
constexpr int64_t kDefaultDepth = 1000;
// Longer indices in a path are taken as names (no array is that long).
constexpr std::size_t kMaxIndexDigits = 9;
// The largest index a missing path may pad an answer's array to.
constexpr std::size_t kMaxPaddingForMissing = 1024;
constexpr std::array<std::string_view, 6> kOperators = {"=", "!=", ">", ">=", "<", "<="};

Error invalid_operator() {
  return Error("USER_INPUT_ERROR", "Invalid operator for query", 400);
}

// --- paths ------------------------------------------------------------------------------------

// One step of a path: a member name, or an array index written `[n]`.
using Step = std::variant<std::string, std::size_t>;

// "a.b[2].c" -> a, b, 2, c. A malformed bracket (or an index of more than 9 digits) is kept as
// part of the name.
std::vector<Step> parse_path(std::string_view path) {
  std::vector<Step> steps;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto dot = path.find('.', start);
    std::string_view segment =
        path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);

    // Trailing [n] indices belong to the segment.
    std::vector<std::size_t> indices;
    while (segment.size() >= 3 && segment.back() == ']') {
      const auto open = segment.rfind('[');
      if (open == std::string_view::npos || open + 2 > segment.size() - 1) break;
      const auto digits = segment.substr(open + 1, segment.size() - open - 2);
      if (digits.size() > kMaxIndexDigits ||
          !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        break;
      indices.insert(indices.begin(), std::stoull(std::string(digits)));
      segment = segment.substr(0, open);
    }
    if (!segment.empty()) steps.emplace_back(std::string(segment));
    for (const auto index : indices) steps.emplace_back(index);

    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return steps;
}

// --- values -----------------------------------------------------------------------------------

bool is_number(const json::value& v) {
  return v.is_int64() || v.is_uint64() || v.is_double();
}

double as_double(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

// The rank of a value's kind in PostgreSQL's jsonb order.
int kind_rank(const json::value& v) {
  if (v.is_null()) return 0;
  if (v.is_string()) return 1;
  if (is_number(v)) return 2;
  if (v.is_bool()) return 3;
  if (v.is_array()) return 4;
  return 5;
}

int sign(double d) {
  return d < 0 ? -1 : (d > 0 ? 1 : 0);
}

int compare_values(const json::value& a, const json::value& b) {
  const int ra = kind_rank(a);
  const int rb = kind_rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return sign(static_cast<double>(a.get_string().compare(b.get_string())));
    case 2:
      return sign(as_double(a) - as_double(b));
    case 3:
      return static_cast<int>(a.get_bool()) - static_cast<int>(b.get_bool());
    case 4: {
      // Longer arrays sort after shorter ones; equal lengths compare element by element.
      const auto& x = a.get_array();
      const auto& y = b.get_array();
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (const int c = compare_values(x[i], y[i]); c != 0) return c;
      }
      return 0;
    }
    default: {
      // Objects: more members sort later; otherwise by their text.
      const auto& x = a.get_object();
      const auto& y = b.get_object();
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
      return sign(static_cast<double>(js_stringify(a).compare(js_stringify(b))));
    }
  }
}

bool holds(int comparison, std::string_view op) {
  if (op == "=") return comparison == 0;
  if (op == "!=") return comparison != 0;
  if (op == ">") return comparison > 0;
  if (op == ">=") return comparison >= 0;
  if (op == "<") return comparison < 0;
  return comparison <= 0;
}

// The filter value as upstream puts it into its SQL text: strings (and anything else that is
// neither number nor boolean) inside double quotes, JavaScript's String() of the value.
std::string quoted_text(const json::value& v) {
  if (v.is_string()) return "\"" + std::string(v.get_string()) + "\"";
  if (v.is_null()) return "\"null\"";
  if (v.is_object()) return "\"[object Object]\"";
  // Arrays: String([1, 2]) is "1,2".
  std::string joined;
  const auto& items = v.get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) joined += ',';
    if (items[i].is_string()) {
      joined += std::string(items[i].get_string());
    } else if (!items[i].is_null()) {
      joined += js_stringify(items[i]);
    }
  }
  return "\"" + joined + "\"";
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<std::string> string_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

// Hex text of a cursor: opaque to clients and safe in URLs.
std::string to_hex(std::string_view plain) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(plain.size() * 2);
  for (const unsigned char c : plain) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view text) {
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (text.size() % 2 != 0) return std::nullopt;
  std::string plain;
  plain.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = nibble(text[i]);
    const int low = nibble(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    plain += static_cast<char>(high * 16 + low);
  }
  return plain;
}

json::value parse_data(const std::string& text) {
  boost::system::error_code error;
  json::value data = json::parse(text, error);
  return error ? json::value(nullptr) : data;
}

}  // namespace

// --- arguments --------------------------------------------------------------------------------

ChildrenArgs parse_children_args(const json::object& args) {
  ChildrenArgs out;
  const auto int_arg = [&](std::string_view name) -> int64_t {
    const auto* v = args.if_contains(name);
    return v && v->is_int64() ? v->get_int64() : 0;
  };

  out.limit = int_arg("limit");
  if (out.limit < 0) throw bad_request("The limit of children must not be negative");
  if (out.limit == 0) out.limit = kDefaultLimit;
  out.depth = int_arg("depth");
  if (out.depth == 0) out.depth = kDefaultDepth;

  if (const auto* select = args.if_contains("select"); select && select->is_array()) {
    std::vector<std::string> paths;
    for (const auto& p : select->get_array()) {
      if (p.is_string()) paths.emplace_back(p.get_string());
    }
    out.select = std::move(paths);
  }
  if (const auto* cursor = args.if_contains("cursor"); cursor && cursor->is_string()) {
    out.cursor = std::string(cursor->get_string());
  }

  const auto* query = args.if_contains("query");
  const auto* order = args.if_contains("orderBy");
  out.filtered = (query && !query->is_null()) || (order && !order->is_null());
  if (query && query->is_array()) {
    for (const auto& statement : query->get_array()) {
      if (!statement.is_object()) continue;
      const auto& s = statement.get_object();
      ChildFilter filter;
      filter.field = string_member(s, "field").value_or("");
      filter.op = string_member(s, "operator").value_or("");
      if (std::find(kOperators.begin(), kOperators.end(), filter.op) == kOperators.end()) {
        throw invalid_operator();
      }
      if (const auto* value = s.if_contains("value")) filter.value = *value;
      filter.starts_alternative =
          !out.filters.empty() && lower(string_member(s, "verb").value_or("")) == "or";
      out.filters.push_back(std::move(filter));
    }
  }
  if (order && order->is_object()) {
    const auto& o = order->get_object();
    out.order.field = string_member(o, "field").value_or("id");
    out.order.descending = lower(string_member(o, "direction").value_or("asc")) == "desc";
  }
  return out;
}

// --- paths and values -------------------------------------------------------------------------

const json::value* find_path(const json::value& data, std::string_view path) {
  const json::value* current = &data;
  for (const auto& step : parse_path(path)) {
    if (const auto* name = std::get_if<std::string>(&step)) {
      const auto* object = current->if_object();
      current = object ? object->if_contains(*name) : nullptr;
    } else {
      const auto* array = current->if_array();
      const auto index = std::get<std::size_t>(step);
      current = array && index < array->size() ? &(*array)[index] : nullptr;
    }
    if (!current) return nullptr;
  }
  return current;
}

void set_path(json::object& out, std::string_view path, json::value value, std::size_t max_index) {
  const auto steps = parse_path(path);
  if (steps.empty()) return;
  for (const auto& step : steps) {
    if (const auto* index = std::get_if<std::size_t>(&step); index && *index > max_index) return;
  }
  json::value root = std::move(out);
  json::value* current = &root;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const bool last = i + 1 == steps.size();
    // The container this step needs: an array before an index step, else an object.
    const bool next_is_index = !last && std::holds_alternative<std::size_t>(steps[i + 1]);
    json::value* slot = nullptr;
    if (const auto* name = std::get_if<std::string>(&steps[i])) {
      if (!current->is_object()) *current = json::object{};
      slot = &current->get_object()[*name];
    } else {
      const auto index = std::get<std::size_t>(steps[i]);
      if (!current->is_array()) *current = json::array{};
      auto& array = current->get_array();
      if (array.size() <= index) array.resize(index + 1);
      slot = &array[index];
    }
    if (last) {
      *slot = std::move(value);
    } else if (next_is_index ? !slot->is_array() : !slot->is_object()) {
      *slot = next_is_index ? json::value(json::array{}) : json::value(json::object{});
    }
    current = slot;
  }
  out = std::move(root.get_object());
}

std::optional<json::object> select_paths(const json::value& data,
                                         const std::vector<std::string>& paths) {
  json::object out;
  bool any = false;
  for (const auto& path : paths) {
    // A missing path reads as null; padding is bounded for those, since only a found value
    // proves that the object itself holds an array that long.
    const auto* v = find_path(data, path);
    any = any || v;
    if (v) {
      set_path(out, path, *v);
    } else {
      set_path(out, path, nullptr, kMaxPaddingForMissing);
    }
  }
  if (!any) return std::nullopt;
  return out;
}

bool passes(const json::value* field, const ChildFilter& filter) {
  if (!field) return false;
  const std::string_view op = filter.op;
  if (is_number(filter.value)) {
    if (!is_number(*field)) return false;
    return holds(sign(as_double(*field) - as_double(filter.value)), op);
  }
  if (filter.value.is_bool()) {
    if (!field->is_bool()) return false;
    return holds(static_cast<int>(field->get_bool()) - static_cast<int>(filter.value.get_bool()),
                 op);
  }
  return holds(sign(static_cast<double>(js_stringify(*field).compare(quoted_text(filter.value)))),
               op);
}

int compare_order_values(const std::optional<json::value>& a, const std::optional<json::value>& b) {
  if (!a || !b) return a ? -1 : (b ? 1 : 0);
  return compare_values(*a, *b);
}

// --- plain mode -------------------------------------------------------------------------------

PlainChildren::PlainChildren(const ChildrenArgs& args, int64_t total_count) : args_(args) {
  page_.total_count = total_count;
}

void PlainChildren::add(ChildRow row) {
  if (full()) return;
  json::value data = parse_data(row.data);
  if (args_.select) {
    auto selected = select_paths(data, *args_.select);
    if (!selected) return;
    data = std::move(*selected);
  }
  page_.cursor = row.id;
  page_.objects.push_back({std::move(row), std::move(data)});
}

ChildrenPage PlainChildren::finish() {
  return std::move(page_);
}

// --- filtered mode ----------------------------------------------------------------------------

FilteredChildren::FilteredChildren(const ChildrenArgs& args) : args_(args) {
  if (args_.select) {
    select_ = *args_.select;
    if (std::find(select_.begin(), select_.end(), args_.order.field) == select_.end()) {
      select_.push_back(args_.order.field);
    }
  }
  if (args_.cursor) position_ = decode_position(*args_.cursor);
  heap_.reserve(static_cast<std::size_t>(std::min<int64_t>(args_.limit, 1024)) + 1);
}

bool FilteredChildren::before(const Entry& a, const Entry& b) const {
  const std::string& ida = a.object.row.id;
  const std::string& idb = b.object.row.id;
  if (args_.order.field == "id") return args_.order.descending ? ida > idb : ida < idb;
  const int c = compare_order_values(a.key, b.key);
  if (c != 0) return args_.order.descending ? c > 0 : c < 0;
  return ida < idb;
}

bool FilteredChildren::after_cursor(const json::value& data, std::string_view id) const {
  if (!position_) return true;
  const Position& p = *position_;
  if (!p.last_id) {
    // Ordered by id: the value is the last id seen.
    const std::string last =
        p.value && p.value->is_string() ? std::string(p.value->get_string()) : std::string();
    return p.descending ? id < last : id > last;
  }
  const auto* found = find_path(data, p.field);
  const std::optional<json::value> key = found ? std::optional<json::value>(*found) : std::nullopt;
  const int c = compare_order_values(key, p.value);
  if (c != 0) return p.descending ? c < 0 : c > 0;
  return id > *p.last_id;
}

void FilteredChildren::add(ChildRow row) {
  json::value data = parse_data(row.data);
  // A child without any selected path is no candidate at all.
  std::optional<json::object> selected;
  if (args_.select) {
    selected = select_paths(data, select_);
    if (!selected) return;
  }

  // Filters: alternatives separated by "or" statements, each a conjunction.
  if (!args_.filters.empty()) {
    bool any = false;
    bool all = true;
    for (const auto& filter : args_.filters) {
      if (filter.starts_alternative) {
        any = any || all;
        all = true;
      }
      all = all && passes(find_path(data, filter.field), filter);
    }
    if (!(any || all)) return;
  }
  ++matches_;
  if (!after_cursor(data, row.id)) return;

  Entry entry;
  if (args_.order.field == "id") {
    entry.key = json::value(row.id);
  } else if (const auto* found = find_path(data, args_.order.field)) {
    entry.key = *found;
  }
  if (selected) data = std::move(*selected);
  entry.object = {std::move(row), std::move(data)};

  // Keep the best `limit` entries: the heap's top is the one that sorts last.
  const auto later = [this](const Entry& a, const Entry& b) { return before(a, b); };
  heap_.push_back(std::move(entry));
  std::push_heap(heap_.begin(), heap_.end(), later);
  if (static_cast<int64_t>(heap_.size()) > args_.limit) {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
  }
}

ChildrenPage FilteredChildren::finish() {
  ChildrenPage page;
  page.total_count = matches_;
  if (matches_ == 0) return page;

  const auto later = [this](const Entry& a, const Entry& b) { return before(a, b); };
  std::sort_heap(heap_.begin(), heap_.end(), later);
  assert(static_cast<int64_t>(heap_.size()) <= args_.limit);
  if (static_cast<int64_t>(heap_.size()) == args_.limit)
    page.cursor = encode_position(heap_.back());
  for (auto& entry : heap_) page.objects.push_back(std::move(entry.object));
  heap_.clear();
  return page;
}

std::string FilteredChildren::encode_position(const Entry& last) const {
  // The cursor names the order field, the direction, the last value and, unless the order is
  // by id, the last id (the tie-breaker).
  json::object cursor{{"field", args_.order.field},
                      {"operator", args_.order.descending ? "<" : ">"}};
  if (last.key) cursor["value"] = *last.key;
  if (args_.order.field != "id") cursor["lastSeenId"] = last.object.row.id;
  return to_hex(js_stringify(cursor));
}

std::optional<FilteredChildren::Position> FilteredChildren::decode_position(std::string_view text) {
  // A cursor that is not one of ours starts from the beginning.
  const auto plain = from_hex(text);
  if (!plain) return std::nullopt;
  boost::system::error_code error;
  const json::value parsed = json::parse(*plain, error);
  if (error || !parsed.is_object()) return std::nullopt;
  const auto& o = parsed.get_object();
  Position p;
  p.field = string_member(o, "field").value_or("id");
  p.descending = string_member(o, "operator").value_or(">") == "<";
  if (const auto* v = o.if_contains("value")) p.value = *v;
  p.last_id = string_member(o, "lastSeenId");
  return p;
}

}  // namespace stipple::objects
