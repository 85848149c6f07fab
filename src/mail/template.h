// Mustache templates (kainjow's implementation) for e-mail bodies: {{name}} is replaced by a
// value, {{#name}}...{{/name}} shows a section only when the value is not empty.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace stipple::mail {

using Values = std::map<std::string, std::string>;

enum class Escape {
  html,  // values are HTML-escaped (&, <, >, ", ')
  none,  // values are inserted as they are, for plain-text bodies
};

// Renders `tmpl` with `values`; a name without a value renders as nothing. Throws
// std::logic_error when the template itself is malformed (a programming error).
std::string render(std::string_view tmpl, const Values& values, Escape escape);

}  // namespace stipple::mail
