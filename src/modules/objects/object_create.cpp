#include "modules/objects/object_create.h"

#include <cmath>
#include <string>

#include <boost/json.hpp>

#include "base/error.h"
#include "base/js_json.h"
#include "modules/objects/object_json.h"

namespace stipple::objects {
namespace {

namespace json = boost::json;

// Object ids are content hashes of exactly this many (UTF-16) characters.
constexpr std::size_t kObjectIdLength = 32;

Error object_error(std::string message) {
  return Error("OBJECT_HANDLING_ERROR", std::move(message), 400);
}

// JavaScript truthiness of a JSON value.
bool truthy(const json::value* v) {
  if (!v || v->is_null()) return false;
  if (v->is_bool()) return v->get_bool();
  if (v->is_string()) return !v->get_string().empty();
  if (v->is_int64()) return v->get_int64() != 0;
  if (v->is_uint64()) return v->get_uint64() != 0;
  if (v->is_double()) return v->get_double() != 0 && !std::isnan(v->get_double());
  return true;
}

}  // namespace

CreatedObject prepare_created_object(boost::json::object object, std::size_t max_bytes) {
  json::value id;
  if (const auto* hash = object.if_contains("hash"); truthy(hash)) {
    id = *hash;
  } else if (const auto* own = object.if_contains("id"); truthy(own)) {
    id = *own;
  } else {
    id = md5_hex(js_stringify(object));
  }
  object["id"] = id;

  const std::string id_text = id.is_string() ? std::string(id.get_string()) : js_stringify(id);
  if (!id.is_string() || utf16_length(id_text) != kObjectIdLength) {
    throw object_error("Invalid object ID. Object ID: " + id_text +
                       ". Object ID's must be hashes represented by a string of 32 characters.");
  }

  CreatedObject out;
  out.object.id = id_text;
  const auto* type = object.if_contains("speckle_type");
  out.object.speckle_type = type && type->is_string() ? std::string(type->get_string()) : "Base";
  if (const auto* closure = object.if_contains("__closure")) {
    if (closure->is_object()) out.total_children_count = closure->get_object().size();
    if (closure->is_array()) out.total_children_count = closure->get_array().size();
  }
  out.object.data = js_stringify(object);
  if (out.object.data.size() > max_bytes) {
    constexpr double kMegabyte = 1 << 20;
    throw object_error("Object too large. Object ID: " + id_text + ". (" +
                       js_number(static_cast<double>(out.object.data.size()) / kMegabyte) +
                       " MB is > than limit, " +
                       js_number(static_cast<double>(max_bytes) / kMegabyte) + " MB)");
  }
  return out;
}

}  // namespace stipple::objects
