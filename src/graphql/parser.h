// Lexer and parser of GraphQL documents (executable documents and SDL), after the October 2021
// specification. Errors are thrown as SyntaxError with the message graphql-js would give.
#pragma once

#include <cstddef>
#include <string_view>

#include "graphql/ast.h"
#include "graphql/error.h"

namespace stipple::graphql {

struct ParseLimits {
  // Tokens in the whole document; guards the parser against huge documents.
  size_t max_tokens = 100'000;
  // Nesting of selection sets, lists, objects and type wrappers; guards the stack.
  size_t max_nesting = 256;
};

// Parses a document. Throws SyntaxError.
ast::Document parse(std::string_view source, const ParseLimits& limits = {});

// Parses a single value, such as a default value (`{a: [1, 2]}`). Throws SyntaxError.
ast::ValuePtr parse_value(std::string_view source, bool constant = true);

// Prints a value back in GraphQL syntax, the way graphql-js prints it (`{a: [1, 2]}`).
std::string print_value(const ast::Value& value);

// Prints a type reference (`[String!]!`).
std::string print_type(const ast::TypeRef& type);

// Quotes a string as a GraphQL string literal, the way graphql-js prints strings.
std::string print_string(std::string_view text);

}  // namespace stipple::graphql
