// Errors of the GraphQL engine: the error a resolver throws, the error that goes into a response's
// `errors` list, and the syntax error of the parser.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "graphql/ast.h"

namespace stipple::graphql {

// Codes put in `extensions.code`, named as Apollo Server names them.
inline constexpr const char* kParseFailed = "GRAPHQL_PARSE_FAILED";
inline constexpr const char* kValidationFailed = "GRAPHQL_VALIDATION_FAILED";
inline constexpr const char* kBadUserInput = "BAD_USER_INPUT";
inline constexpr const char* kInternalServerError = "INTERNAL_SERVER_ERROR";
inline constexpr const char* kOperationResolutionFailure = "OPERATION_RESOLUTION_FAILURE";
inline constexpr const char* kBadRequest = "BAD_REQUEST";

// What a resolver throws to fail its field: a message, a code (`FORBIDDEN`, `STREAM_NOT_FOUND`,
// ...) and optional extra members of `extensions`.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, std::string code = kInternalServerError,
                 boost::json::object extensions = {})
      : std::runtime_error(message), code_(std::move(code)), extensions_(std::move(extensions)) {}

  const std::string& code() const { return code_; }
  const boost::json::object& extensions() const { return extensions_; }

 private:
  std::string code_;
  boost::json::object extensions_;
};

// A syntax error of the lexer or the parser, with the position where it was found.
class SyntaxError : public std::runtime_error {
 public:
  SyntaxError(const std::string& message, ast::Location loc)
      : std::runtime_error(message), loc_(loc) {}

  ast::Location location() const { return loc_; }

 private:
  ast::Location loc_;
};

// One entry of a response's `errors` list.
struct GraphQLError {
  std::string message;
  std::vector<ast::Location> locations;
  boost::json::array path;         // empty when the error is not tied to a field
  boost::json::object extensions;  // holds at least `code`

  std::string code() const;

  // The wire form: {message, locations?, path?, extensions}.
  boost::json::object to_json() const;
};

// Builds an error with the given code.
GraphQLError make_error(std::string message, const char* code,
                        std::vector<ast::Location> locations = {});

}  // namespace stipple::graphql
