#include "modules/versions/versions.h"

#include <array>

#include <boost/json.hpp>

#include "modules/models/models.h"

namespace stipple::versions {
namespace {

// Connector slugs, longest first where one is a prefix of another.
constexpr std::array<std::string_view, 22> kKnownApplications = {
    "grasshopper", "rhino",      "revit",        "autocad",   "civil3d",  "blender",
    "sketchup",    "archicad",   "tekla",        "etabs",     "sap2000",  "csibridge",
    "safe",        "navisworks", "microstation", "openroads", "openrail", "openbuildings",
    "powerbi",     "excel",      "qgis",         "arcgis"};

}  // namespace

std::string source_application_slug(std::string_view sent) {
  const auto lowered = models::lower_case(sent);
  for (const auto app : kKnownApplications) {
    if (lowered.rfind(app, 0) == 0) return std::string(app);
  }
  return std::string(sent);
}

std::string encode_parents(const std::vector<std::string>& parents) {
  boost::json::array array;
  for (const auto& p : parents) array.emplace_back(p);
  return boost::json::serialize(array);
}

std::vector<std::string> decode_parents(std::string_view text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  const auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return out;
  for (const auto& item : value.as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

}  // namespace stipple::versions
