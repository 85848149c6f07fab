#include "graphql/parser.h"

#include <cassert>
#include <charconv>
#include <cstdio>
#include <string>

namespace stipple::graphql {
namespace {

// ============================================================================================
// Lexer
// ============================================================================================

enum class TokenKind {
  kSof,
  kEof,
  kBang,
  kDollar,
  kAmp,
  kParenL,
  kParenR,
  kSpread,
  kColon,
  kEquals,
  kAt,
  kBracketL,
  kBracketR,
  kBraceL,
  kPipe,
  kBraceR,
  kName,
  kInt,
  kFloat,
  kString,
  kBlockString,
};

const char* kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::kSof:
      return "<SOF>";
    case TokenKind::kEof:
      return "<EOF>";
    case TokenKind::kBang:
      return "\"!\"";
    case TokenKind::kDollar:
      return "\"$\"";
    case TokenKind::kAmp:
      return "\"&\"";
    case TokenKind::kParenL:
      return "\"(\"";
    case TokenKind::kParenR:
      return "\")\"";
    case TokenKind::kSpread:
      return "\"...\"";
    case TokenKind::kColon:
      return "\":\"";
    case TokenKind::kEquals:
      return "\"=\"";
    case TokenKind::kAt:
      return "\"@\"";
    case TokenKind::kBracketL:
      return "\"[\"";
    case TokenKind::kBracketR:
      return "\"]\"";
    case TokenKind::kBraceL:
      return "\"{\"";
    case TokenKind::kPipe:
      return "\"|\"";
    case TokenKind::kBraceR:
      return "\"}\"";
    case TokenKind::kName:
      return "Name";
    case TokenKind::kInt:
      return "Int";
    case TokenKind::kFloat:
      return "Float";
    case TokenKind::kString:
      return "String";
    case TokenKind::kBlockString:
      return "BlockString";
  }
  return "?";
}

struct Token {
  TokenKind kind = TokenKind::kSof;
  std::string value;  // names, numbers and decoded strings
  ast::Location loc;
};

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_continue(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Applies the specification's BlockStringValue(): removes the common indentation and the leading
// and trailing blank lines.
std::string dedent_block_string(std::string_view raw) {
  // Split into lines on \r\n, \n and \r.
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' || raw[i] == '\r') {
      lines.push_back(raw.substr(start, i - start));
      if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  lines.push_back(raw.substr(start));

  // The common indentation of every line but the first that holds more than whitespace.
  auto indent_of = [](std::string_view line) {
    size_t n = 0;
    while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
    return n;
  };
  size_t common = std::string_view::npos;
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t indent = indent_of(lines[i]);
    if (indent < lines[i].size() && indent < common) common = indent;
  }
  if (common != std::string_view::npos) {
    for (size_t i = 1; i < lines.size(); ++i) {
      lines[i] = lines[i].size() >= common ? lines[i].substr(common) : std::string_view{};
    }
  }

  // Drop blank lines at both ends.
  auto blank = [&](std::string_view line) { return indent_of(line) == line.size(); };
  size_t first = 0;
  size_t last = lines.size();
  while (first < last && blank(lines[first])) ++first;
  while (last > first && blank(lines[last - 1])) --last;

  std::string out;
  for (size_t i = first; i < last; ++i) {
    if (i != first) out += '\n';
    out += lines[i];
  }
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {
    // A byte order mark at the start is ignored.
    if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  Token next() {
    skip_ignored();
    Token tok;
    tok.loc = here();
    if (pos_ >= src_.size()) {
      tok.kind = TokenKind::kEof;
      return tok;
    }
    const char c = src_[pos_];
    switch (c) {
      case '!':
        return punct(tok, TokenKind::kBang);
      case '$':
        return punct(tok, TokenKind::kDollar);
      case '&':
        return punct(tok, TokenKind::kAmp);
      case '(':
        return punct(tok, TokenKind::kParenL);
      case ')':
        return punct(tok, TokenKind::kParenR);
      case ':':
        return punct(tok, TokenKind::kColon);
      case '=':
        return punct(tok, TokenKind::kEquals);
      case '@':
        return punct(tok, TokenKind::kAt);
      case '[':
        return punct(tok, TokenKind::kBracketL);
      case ']':
        return punct(tok, TokenKind::kBracketR);
      case '{':
        return punct(tok, TokenKind::kBraceL);
      case '|':
        return punct(tok, TokenKind::kPipe);
      case '}':
        return punct(tok, TokenKind::kBraceR);
      case '.':
        if (src_.substr(pos_, 3) == "...") {
          pos_ += 3;
          tok.kind = TokenKind::kSpread;
          return tok;
        }
        break;
      case '"':
        if (src_.substr(pos_, 3) == "\"\"\"") return block_string(tok);
        return string(tok);
      default:
        break;
    }
    if (is_name_start(c)) {
      const size_t start = pos_;
      while (pos_ < src_.size() && is_name_continue(src_[pos_])) ++pos_;
      tok.kind = TokenKind::kName;
      tok.value = std::string(src_.substr(start, pos_ - start));
      return tok;
    }
    if (c == '-' || is_digit(c)) return number(tok);
    fail("Unexpected character: " + describe_char(pos_) + ".");
  }

  [[noreturn]] void fail(const std::string& message) const { fail_at(message, here()); }
  [[noreturn]] static void fail_at(const std::string& message, ast::Location loc) {
    throw SyntaxError("Syntax Error: " + message, loc);
  }

 private:
  ast::Location here() const { return {line_, static_cast<uint32_t>(column_of(pos_))}; }

  // Columns count characters, not bytes: UTF-8 continuation bytes are skipped.
  size_t column_of(size_t pos) const {
    size_t col = 1;
    for (size_t i = line_start_; i < pos && i < src_.size(); ++i) {
      if ((static_cast<unsigned char>(src_[i]) & 0xC0) != 0x80) ++col;
    }
    return col;
  }

  void new_line(size_t next_pos) {
    ++line_;
    line_start_ = next_pos;
  }

  void skip_ignored() {
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == ',') {
        ++pos_;
      } else if (c == '\n') {
        ++pos_;
        new_line(pos_);
      } else if (c == '\r') {
        ++pos_;
        if (pos_ < src_.size() && src_[pos_] == '\n') ++pos_;
        new_line(pos_);
      } else if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') ++pos_;
      } else if (src_.substr(pos_, 3) == "\xEF\xBB\xBF") {
        pos_ += 3;
      } else {
        return;
      }
    }
  }

  Token& punct(Token& tok, TokenKind kind) {
    ++pos_;
    tok.kind = kind;
    return tok;
  }

  std::string describe_char(size_t pos) const {
    if (pos >= src_.size()) return "<EOF>";
    const auto c = static_cast<unsigned char>(src_[pos]);
    if (c == '"') return "'\"'";
    if (c < 0x20 || c == 0x7F) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "U+%04X", c);
      return buf;
    }
    // Print the whole UTF-8 sequence of the character.
    size_t len = 1;
    if (c >= 0xF0)
      len = 4;
    else if (c >= 0xE0)
      len = 3;
    else if (c >= 0xC0)
      len = 2;
    return "\"" + std::string(src_.substr(pos, len)) + "\"";
  }

  Token number(Token& tok) {
    const size_t start = pos_;
    bool is_float = false;
    if (src_[pos_] == '-') ++pos_;
    if (pos_ < src_.size() && src_[pos_] == '0') {
      ++pos_;
      if (pos_ < src_.size() && is_digit(src_[pos_])) {
        fail("Invalid number, unexpected digit after 0: " + describe_char(pos_) + ".");
      }
    } else {
      digits();
    }
    if (pos_ < src_.size() && src_[pos_] == '.') {
      is_float = true;
      ++pos_;
      digits();
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      is_float = true;
      ++pos_;
      if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) ++pos_;
      digits();
    }
    // A number may not run straight into a name or a dot.
    if (pos_ < src_.size() && (src_[pos_] == '.' || is_name_start(src_[pos_]))) {
      fail("Invalid number, expected digit but got: " + describe_char(pos_) + ".");
    }
    tok.kind = is_float ? TokenKind::kFloat : TokenKind::kInt;
    tok.value = std::string(src_.substr(start, pos_ - start));
    return tok;
  }

  void digits() {
    if (pos_ >= src_.size() || !is_digit(src_[pos_])) {
      fail("Invalid number, expected digit but got: " + describe_char(pos_) + ".");
    }
    while (pos_ < src_.size() && is_digit(src_[pos_])) ++pos_;
  }

  int hex_value(char c) const {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Reads the \u escape at pos_ (pointing at the backslash); returns the code point.
  uint32_t unicode_escape() {
    const size_t esc_start = pos_;
    auto bad = [&](size_t end) {
      fail("Invalid Unicode escape sequence: \"" +
           std::string(src_.substr(esc_start, std::min(end, src_.size()) - esc_start)) + "\".");
    };
    pos_ += 2;
    uint32_t cp = 0;
    if (pos_ < src_.size() && src_[pos_] == '{') {
      // Variable-width form \u{1F600}.
      ++pos_;
      size_t count = 0;
      while (pos_ < src_.size() && src_[pos_] != '}') {
        const int h = hex_value(src_[pos_]);
        if (h < 0 || ++count > 6) bad(pos_ + 1);
        cp = cp * 16 + static_cast<uint32_t>(h);
        ++pos_;
      }
      if (pos_ >= src_.size() || count == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        bad(pos_ + 1);
      }
      ++pos_;
      return cp;
    }
    for (int i = 0; i < 4; ++i) {
      const int h = pos_ < src_.size() ? hex_value(src_[pos_]) : -1;
      if (h < 0) bad(esc_start + 6);
      cp = cp * 16 + static_cast<uint32_t>(h);
      ++pos_;
    }
    // A leading surrogate must be followed by an escaped trailing one.
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (src_.substr(pos_, 2) == "\\u" && pos_ + 6 <= src_.size()) {
        uint32_t lo = 0;
        bool ok = true;
        for (size_t i = pos_ + 2; i < pos_ + 6; ++i) {
          const int h = hex_value(src_[i]);
          if (h < 0) ok = false;
          lo = lo * 16 + static_cast<uint32_t>(h < 0 ? 0 : h);
        }
        if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
          pos_ += 6;
          return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
      }
      bad(esc_start + 6);
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) bad(esc_start + 6);
    return cp;
  }

  Token string(Token& tok) {
    ++pos_;
    std::string out;
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == '"') {
        ++pos_;
        tok.kind = TokenKind::kString;
        tok.value = std::move(out);
        return tok;
      }
      if (c == '\n' || c == '\r') break;
      if (c == '\\') {
        const char e = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u':
            append_utf8(out, unicode_escape());
            continue;
          default:
            fail("Invalid character escape sequence: \"" + std::string(src_.substr(pos_, 2)) +
                 "\".");
        }
        pos_ += 2;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
        fail("Invalid character within String: " + describe_char(pos_) + ".");
      }
      out += c;
      ++pos_;
    }
    fail("Unterminated string.");
  }

  Token block_string(Token& tok) {
    pos_ += 3;
    std::string raw;
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (src_.substr(pos_, 3) == "\"\"\"") {
        pos_ += 3;
        tok.kind = TokenKind::kBlockString;
        tok.value = dedent_block_string(raw);
        return tok;
      }
      if (src_.substr(pos_, 4) == "\\\"\"\"") {
        raw += "\"\"\"";
        pos_ += 4;
        continue;
      }
      if (c == '\n' || c == '\r') {
        raw += c;
        ++pos_;
        if (c == '\r' && pos_ < src_.size() && src_[pos_] == '\n') {
          raw += '\n';
          ++pos_;
        }
        new_line(pos_);
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
        fail("Invalid character within String: " + describe_char(pos_) + ".");
      }
      raw += c;
      ++pos_;
    }
    fail("Unterminated string.");
  }

  std::string_view src_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
};

// ============================================================================================
// Parser
// ============================================================================================

const char* const kDirectiveLocations[] = {
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
    "SCHEMA",
    "SCALAR",
    "OBJECT",
    "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION",
    "INTERFACE",
    "UNION",
    "ENUM",
    "ENUM_VALUE",
    "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION",
    "DIRECTIVE_DEFINITION",
};

class Parser {
 public:
  Parser(std::string_view src, const ParseLimits& limits) : lexer_(src), limits_(limits) {
    advance();
  }

  ast::Document document() {
    ast::Document doc;
    // A document holds at least one definition.
    do {
      definition(doc);
    } while (!peek(TokenKind::kEof));
    return doc;
  }

  ast::ValuePtr lone_value(bool constant) {
    auto v = value(constant);
    expect(TokenKind::kEof);
    return v;
  }

 private:
  // --- token helpers ----------------------------------------------------------------------

  void advance() {
    tok_ = lexer_.next();
    if (tok_.kind != TokenKind::kEof && ++token_count_ > limits_.max_tokens) {
      Lexer::fail_at("Document contains more than " + std::to_string(limits_.max_tokens) +
                         " tokens. Parsing aborted.",
                     tok_.loc);
    }
  }

  bool peek(TokenKind kind) const { return tok_.kind == kind; }
  bool peek_keyword(std::string_view word) const {
    return tok_.kind == TokenKind::kName && tok_.value == word;
  }
  bool peek_description() const {
    return peek(TokenKind::kString) || peek(TokenKind::kBlockString);
  }

  std::string describe(const Token& t) const {
    std::string d = kind_name(t.kind);
    if (t.kind == TokenKind::kName || t.kind == TokenKind::kInt || t.kind == TokenKind::kFloat ||
        t.kind == TokenKind::kString || t.kind == TokenKind::kBlockString) {
      d += " \"" + t.value + "\"";
    }
    return d;
  }

  [[noreturn]] void unexpected() const {
    Lexer::fail_at("Unexpected " + describe(tok_) + ".", tok_.loc);
  }

  Token expect(TokenKind kind) {
    if (tok_.kind != kind) {
      Lexer::fail_at(std::string("Expected ") + kind_name(kind) + ", found " + describe(tok_) + ".",
                     tok_.loc);
    }
    Token t = std::move(tok_);
    advance();
    return t;
  }

  bool skip(TokenKind kind) {
    if (tok_.kind != kind) return false;
    advance();
    return true;
  }

  void expect_keyword(std::string_view word) {
    if (!peek_keyword(word)) {
      Lexer::fail_at("Expected \"" + std::string(word) + "\", found " + describe(tok_) + ".",
                     tok_.loc);
    }
    advance();
  }

  bool skip_keyword(std::string_view word) {
    if (!peek_keyword(word)) return false;
    advance();
    return true;
  }

  std::string name() { return expect(TokenKind::kName).value; }

  // Guards recursion against deeply nested input.
  struct Nesting {
    Parser& p;
    explicit Nesting(Parser& parser) : p(parser) {
      if (++p.depth_ > p.limits_.max_nesting) {
        Lexer::fail_at("Document nesting exceeds " + std::to_string(p.limits_.max_nesting) +
                           " levels. Parsing aborted.",
                       p.tok_.loc);
      }
    }
    ~Nesting() { --p.depth_; }
  };

  // --- definitions ------------------------------------------------------------------------

  void definition(ast::Document& doc) {
    using K = ast::Document::DefinitionKind;
    if (peek(TokenKind::kBraceL)) {
      doc.definition_order.emplace_back(K::kOperation, doc.operations.size());
      doc.operations.push_back(operation());
      return;
    }
    const bool described = peek_description();
    if (described || peek(TokenKind::kName)) {
      // The keyword follows the description, if any.
      std::optional<std::string> description;
      ast::Location start = tok_.loc;
      if (described) {
        description = tok_.value;
        advance();
        if (!peek(TokenKind::kName)) unexpected();
      }
      const std::string& kw = tok_.value;
      if (!described && (kw == "query" || kw == "mutation" || kw == "subscription")) {
        doc.definition_order.emplace_back(K::kOperation, doc.operations.size());
        doc.operations.push_back(operation());
        return;
      }
      if (!described && kw == "fragment") {
        doc.definition_order.emplace_back(K::kFragment, doc.fragments.size());
        doc.fragments.push_back(fragment());
        return;
      }
      if (kw == "schema") {
        doc.definition_order.emplace_back(K::kSchema, doc.schemas.size());
        doc.schemas.push_back(schema_definition(std::move(description), start, false));
        return;
      }
      if (kw == "directive") {
        doc.definition_order.emplace_back(K::kDirective, doc.directives.size());
        doc.directives.push_back(directive_definition(std::move(description), start));
        return;
      }
      if (kw == "scalar" || kw == "type" || kw == "interface" || kw == "union" || kw == "enum" ||
          kw == "input") {
        doc.definition_order.emplace_back(K::kType, doc.types.size());
        doc.types.push_back(type_definition(std::move(description), start, false));
        return;
      }
      if (!described && kw == "extend") {
        advance();
        if (peek_keyword("schema")) {
          doc.definition_order.emplace_back(K::kSchema, doc.schemas.size());
          doc.schemas.push_back(schema_definition(std::nullopt, start, true));
          return;
        }
        if (peek_keyword("scalar") || peek_keyword("type") || peek_keyword("interface") ||
            peek_keyword("union") || peek_keyword("enum") || peek_keyword("input")) {
          doc.definition_order.emplace_back(K::kType, doc.types.size());
          doc.types.push_back(type_definition(std::nullopt, start, true));
          return;
        }
        unexpected();
      }
    }
    unexpected();
  }

  ast::OperationDefinition operation() {
    ast::OperationDefinition op;
    op.loc = tok_.loc;
    if (peek(TokenKind::kBraceL)) {
      op.selection_set = selection_set();
      return op;
    }
    const std::string kw = name();
    op.operation = kw == "query"      ? ast::OperationType::kQuery
                   : kw == "mutation" ? ast::OperationType::kMutation
                                      : ast::OperationType::kSubscription;
    if (peek(TokenKind::kName)) {
      op.name_loc = tok_.loc;
      op.name = name();
    }
    if (skip(TokenKind::kParenL)) {
      do {
        op.variables.push_back(variable_definition());
      } while (!skip(TokenKind::kParenR));
    }
    op.directives = directives(false);
    op.selection_set = selection_set();
    return op;
  }

  ast::VariableDefinition variable_definition() {
    ast::VariableDefinition var;
    var.loc = tok_.loc;
    expect(TokenKind::kDollar);
    var.name_loc = tok_.loc;
    var.name = name();
    expect(TokenKind::kColon);
    var.type = type_ref();
    if (skip(TokenKind::kEquals)) var.default_value = value(true);
    var.directives = directives(true);
    return var;
  }

  ast::FragmentDefinition fragment() {
    ast::FragmentDefinition frag;
    frag.loc = tok_.loc;
    expect_keyword("fragment");
    if (peek_keyword("on")) unexpected();
    frag.name_loc = tok_.loc;
    frag.name = name();
    expect_keyword("on");
    frag.type_condition_loc = tok_.loc;
    frag.type_condition = name();
    frag.directives = directives(false);
    frag.selection_set = selection_set();
    return frag;
  }

  ast::SelectionSet selection_set() {
    Nesting guard(*this);
    expect(TokenKind::kBraceL);
    ast::SelectionSet set;
    do {
      set.push_back(selection());
    } while (!skip(TokenKind::kBraceR));
    return set;
  }

  ast::Selection selection() {
    ast::Selection sel;
    sel.loc = tok_.loc;
    if (skip(TokenKind::kSpread)) {
      // `... Name` is a spread unless the name is `on`; anything else is an inline fragment.
      if (peek(TokenKind::kName) && tok_.value != "on") {
        sel.kind = ast::Selection::Kind::kFragmentSpread;
        sel.name_loc = tok_.loc;
        sel.name = name();
        sel.directives = directives(false);
        return sel;
      }
      sel.kind = ast::Selection::Kind::kInlineFragment;
      if (skip_keyword("on")) {
        sel.type_condition_loc = tok_.loc;
        sel.type_condition = name();
      }
      sel.directives = directives(false);
      sel.selection_set_loc = tok_.loc;
      sel.selection_set = selection_set();
      return sel;
    }
    sel.kind = ast::Selection::Kind::kField;
    sel.name_loc = tok_.loc;
    std::string first = name();
    if (skip(TokenKind::kColon)) {
      sel.alias = std::move(first);
      sel.name_loc = tok_.loc;
      sel.name = name();
    } else {
      sel.name = std::move(first);
    }
    sel.arguments = arguments(false);
    sel.directives = directives(false);
    if (peek(TokenKind::kBraceL)) {
      sel.selection_set_loc = tok_.loc;
      sel.selection_set = selection_set();
    }
    return sel;
  }

  std::vector<ast::Argument> arguments(bool constant) {
    std::vector<ast::Argument> args;
    if (!skip(TokenKind::kParenL)) return args;
    do {
      ast::Argument arg;
      arg.loc = tok_.loc;
      arg.name = name();
      expect(TokenKind::kColon);
      arg.value = value(constant);
      args.push_back(std::move(arg));
    } while (!skip(TokenKind::kParenR));
    return args;
  }

  std::vector<ast::Directive> directives(bool constant) {
    std::vector<ast::Directive> dirs;
    while (peek(TokenKind::kAt)) {
      ast::Directive dir;
      dir.loc = tok_.loc;
      advance();
      dir.name = name();
      dir.arguments = arguments(constant);
      dirs.push_back(std::move(dir));
    }
    return dirs;
  }

  // --- values and types -------------------------------------------------------------------

  ast::ValuePtr value(bool constant) {
    Nesting guard(*this);
    auto v = std::make_shared<ast::Value>();
    v->loc = tok_.loc;
    switch (tok_.kind) {
      case TokenKind::kBracketL:
        advance();
        v->kind = ast::Value::Kind::kList;
        while (!skip(TokenKind::kBracketR)) v->list.push_back(value(constant));
        return v;
      case TokenKind::kBraceL:
        advance();
        v->kind = ast::Value::Kind::kObject;
        while (!skip(TokenKind::kBraceR)) {
          ast::ObjectField field;
          field.loc = tok_.loc;
          field.name = name();
          expect(TokenKind::kColon);
          field.value = value(constant);
          v->fields.push_back(std::move(field));
        }
        return v;
      case TokenKind::kInt:
        v->kind = ast::Value::Kind::kInt;
        v->text = std::move(tok_.value);
        advance();
        return v;
      case TokenKind::kFloat:
        v->kind = ast::Value::Kind::kFloat;
        v->text = std::move(tok_.value);
        advance();
        return v;
      case TokenKind::kString:
      case TokenKind::kBlockString:
        v->kind = ast::Value::Kind::kString;
        v->block_string = tok_.kind == TokenKind::kBlockString;
        v->text = std::move(tok_.value);
        advance();
        return v;
      case TokenKind::kName:
        if (tok_.value == "true" || tok_.value == "false") {
          v->kind = ast::Value::Kind::kBoolean;
          v->boolean = tok_.value == "true";
        } else if (tok_.value == "null") {
          v->kind = ast::Value::Kind::kNull;
        } else {
          v->kind = ast::Value::Kind::kEnum;
          v->text = std::move(tok_.value);
        }
        advance();
        return v;
      case TokenKind::kDollar:
        if (constant) {
          advance();
          if (peek(TokenKind::kName)) {
            Lexer::fail_at("Unexpected variable \"$" + tok_.value + "\" in constant value.",
                           v->loc);
          }
          unexpected();
        }
        advance();
        v->kind = ast::Value::Kind::kVariable;
        v->text = name();
        return v;
      default:
        unexpected();
    }
  }

  ast::TypeRefPtr type_ref() {
    Nesting guard(*this);
    auto t = std::make_shared<ast::TypeRef>();
    t->loc = tok_.loc;
    if (skip(TokenKind::kBracketL)) {
      t->kind = ast::TypeRef::Kind::kList;
      t->of = type_ref();
      expect(TokenKind::kBracketR);
    } else {
      t->name = name();
    }
    if (peek(TokenKind::kBang)) {
      advance();
      auto nn = std::make_shared<ast::TypeRef>();
      nn->loc = t->loc;
      nn->kind = ast::TypeRef::Kind::kNonNull;
      nn->of = std::move(t);
      return nn;
    }
    return t;
  }

  // --- type system ------------------------------------------------------------------------

  std::optional<std::string> description() {
    if (!peek_description()) return std::nullopt;
    std::string d = std::move(tok_.value);
    advance();
    return d;
  }

  ast::SchemaDefinition schema_definition(std::optional<std::string> desc, ast::Location start,
                                          bool extension) {
    ast::SchemaDefinition def;
    def.loc = start;
    def.description = std::move(desc);
    def.is_extension = extension;
    expect_keyword("schema");
    def.directives = directives(true);
    const bool braces = extension ? peek(TokenKind::kBraceL) : true;
    if (braces) {
      expect(TokenKind::kBraceL);
      do {
        ast::RootOperationTypeDefinition root;
        root.loc = tok_.loc;
        const std::string op = name();
        if (op == "query")
          root.operation = ast::OperationType::kQuery;
        else if (op == "mutation")
          root.operation = ast::OperationType::kMutation;
        else if (op == "subscription")
          root.operation = ast::OperationType::kSubscription;
        else
          Lexer::fail_at("Unexpected Name \"" + op + "\".", root.loc);
        expect(TokenKind::kColon);
        root.type_name = name();
        def.operation_types.push_back(std::move(root));
      } while (!skip(TokenKind::kBraceR));
    }
    if (extension && def.directives.empty() && def.operation_types.empty()) unexpected();
    return def;
  }

  ast::DirectiveDefinition directive_definition(std::optional<std::string> desc,
                                                ast::Location start) {
    ast::DirectiveDefinition def;
    def.loc = start;
    def.description = std::move(desc);
    expect_keyword("directive");
    expect(TokenKind::kAt);
    def.name = name();
    def.arguments = argument_definitions();
    def.repeatable = skip_keyword("repeatable");
    expect_keyword("on");
    skip(TokenKind::kPipe);
    do {
      const ast::Location loc = tok_.loc;
      std::string location = name();
      bool known = false;
      for (const char* l : kDirectiveLocations) known = known || location == l;
      if (!known) {
        Lexer::fail_at("Unexpected Name \"" + location + "\".", loc);
      }
      def.locations.push_back(std::move(location));
    } while (skip(TokenKind::kPipe));
    return def;
  }

  std::vector<ast::InputValueDefinition> argument_definitions() {
    std::vector<ast::InputValueDefinition> args;
    if (!skip(TokenKind::kParenL)) return args;
    do {
      args.push_back(input_value_definition());
    } while (!skip(TokenKind::kParenR));
    return args;
  }

  ast::InputValueDefinition input_value_definition() {
    ast::InputValueDefinition def;
    def.loc = tok_.loc;
    def.description = description();
    def.name = name();
    expect(TokenKind::kColon);
    def.type = type_ref();
    if (skip(TokenKind::kEquals)) def.default_value = value(true);
    def.directives = directives(true);
    return def;
  }

  ast::TypeDefinition type_definition(std::optional<std::string> desc, ast::Location start,
                                      bool extension) {
    using K = ast::TypeDefinitionKind;
    ast::TypeDefinition def;
    def.loc = start;
    def.description = std::move(desc);
    def.is_extension = extension;
    const std::string kw = name();
    def.kind = kw == "scalar"      ? K::kScalar
               : kw == "type"      ? K::kObject
               : kw == "interface" ? K::kInterface
               : kw == "union"     ? K::kUnion
               : kw == "enum"      ? K::kEnum
                                   : K::kInputObject;
    def.name = name();

    // Each kind has its own body; an extension must add something.
    switch (def.kind) {
      case K::kScalar:
        def.directives = directives(true);
        break;
      case K::kObject:
      case K::kInterface:
        if (skip_keyword("implements")) {
          skip(TokenKind::kAmp);
          do {
            def.interfaces.push_back(name());
          } while (skip(TokenKind::kAmp));
        }
        def.directives = directives(true);
        if (skip(TokenKind::kBraceL)) {
          do {
            def.fields.push_back(field_definition());
          } while (!skip(TokenKind::kBraceR));
        }
        break;
      case K::kUnion:
        def.directives = directives(true);
        if (skip(TokenKind::kEquals)) {
          skip(TokenKind::kPipe);
          do {
            def.members.push_back(name());
          } while (skip(TokenKind::kPipe));
        }
        break;
      case K::kEnum:
        def.directives = directives(true);
        if (skip(TokenKind::kBraceL)) {
          do {
            def.values.push_back(enum_value_definition());
          } while (!skip(TokenKind::kBraceR));
        }
        break;
      case K::kInputObject:
        def.directives = directives(true);
        if (skip(TokenKind::kBraceL)) {
          do {
            def.input_fields.push_back(input_value_definition());
          } while (!skip(TokenKind::kBraceR));
        }
        break;
    }
    if (extension && def.directives.empty() && def.interfaces.empty() && def.fields.empty() &&
        def.members.empty() && def.values.empty() && def.input_fields.empty()) {
      unexpected();
    }
    return def;
  }

  ast::FieldDefinition field_definition() {
    ast::FieldDefinition def;
    def.loc = tok_.loc;
    def.description = description();
    def.name = name();
    def.arguments = argument_definitions();
    expect(TokenKind::kColon);
    def.type = type_ref();
    def.directives = directives(true);
    return def;
  }

  ast::EnumValueDefinition enum_value_definition() {
    ast::EnumValueDefinition def;
    def.loc = tok_.loc;
    def.description = description();
    if (peek_keyword("true") || peek_keyword("false") || peek_keyword("null")) {
      Lexer::fail_at(
          "Name \"" + tok_.value + "\" is reserved and cannot be used for an enum value.",
          tok_.loc);
    }
    def.name = name();
    def.directives = directives(true);
    return def;
  }

  Lexer lexer_;
  ParseLimits limits_;
  Token tok_;
  size_t token_count_ = 0;
  size_t depth_ = 0;
};

}  // namespace

// ============================================================================================
// Public functions
// ============================================================================================

ast::Document parse(std::string_view source, const ParseLimits& limits) {
  Parser parser(source, limits);
  return parser.document();
}

ast::ValuePtr parse_value(std::string_view source, bool constant) {
  Parser parser(source, ParseLimits{});
  return parser.lone_value(constant);
}

std::string print_string(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      default:
        break;
    }
    // Other control characters, and U+007F..U+009F, are written as \u escapes.
    uint32_t cp = 0xFFFFFFFF;
    if (c < 0x20 || c == 0x7F) cp = c;
    if (c == 0xC2 && i + 1 < text.size()) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      if (d >= 0x80 && d <= 0x9F) {
        cp = d;
        ++i;
      }
    }
    if (cp != 0xFFFFFFFF) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", cp);
      out += buf;
      continue;
    }
    out += static_cast<char>(c);
  }
  out += '"';
  return out;
}

std::string print_value(const ast::Value& value) {
  using K = ast::Value::Kind;
  switch (value.kind) {
    case K::kVariable:
      return "$" + value.text;
    case K::kInt:
    case K::kFloat:
    case K::kEnum:
      return value.text;
    case K::kString:
      return print_string(value.text);
    case K::kBoolean:
      return value.boolean ? "true" : "false";
    case K::kNull:
      return "null";
    case K::kList: {
      std::string out = "[";
      for (size_t i = 0; i < value.list.size(); ++i) {
        if (i) out += ", ";
        out += print_value(*value.list[i]);
      }
      return out + "]";
    }
    case K::kObject: {
      std::string out = "{";
      for (size_t i = 0; i < value.fields.size(); ++i) {
        if (i) out += ", ";
        out += value.fields[i].name + ": " + print_value(*value.fields[i].value);
      }
      return out + "}";
    }
  }
  return "";
}

std::string print_type(const ast::TypeRef& type) {
  switch (type.kind) {
    case ast::TypeRef::Kind::kNamed:
      return type.name;
    case ast::TypeRef::Kind::kList:
      return "[" + print_type(*type.of) + "]";
    case ast::TypeRef::Kind::kNonNull:
      return print_type(*type.of) + "!";
  }
  return "";
}

}  // namespace stipple::graphql
