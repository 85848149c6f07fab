#include "mail/template.h"

#include <kainjow/mustache.hpp>

#include <stdexcept>

namespace stipple::mail {

std::string render(std::string_view tmpl, const Values& values, Escape escape) {
  namespace mustache = kainjow::mustache;
  mustache::mustache compiled{std::string(tmpl)};
  if (!compiled.is_valid()) {
    throw std::logic_error("malformed e-mail template: " + compiled.error_message());
  }
  if (escape == Escape::none) {
    compiled.set_custom_escape([](const std::string& text) { return text; });
  }

  // Empty values are false in sections, so optional parts are written {{#x}}...{{/x}}.
  mustache::data data;
  for (const auto& [name, value] : values) {
    if (value.empty()) {
      data.set(name, mustache::data::type::bool_false);
    } else {
      data.set(name, value);
    }
  }
  return compiled.render(data);
}

}  // namespace stipple::mail
