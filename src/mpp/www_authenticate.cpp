#include "mpp/www_authenticate.h"

#include <cstddef>
#include <cstdint>

#include "util/text.h"

namespace mpp::protocol {
namespace {

bool IsAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// tchar (RFC 9110 section 5.6.2).
bool IsTchar(unsigned char c) {
  return IsAlnum(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// token68 characters before the trailing '=' run (RFC 9110 section 11.2).
bool IsToken68Char(unsigned char c) {
  return IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

// OWS, plus CR and LF: a transport that kept obsolete line folding leaves them between elements.
bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// An unquoted value. RFC 9110 says token; this also takes ':' '/' '=' and the like (any visible ASCII
// but the delimiters), as a bare `expires=2025-01-01T00:00:00Z` needs and mppx's parser allows.
bool IsBareValueChar(unsigned char c) { return c >= 0x21 && c <= 0x7e && c != ',' && c != '"' && c != '\\'; }

// qdtext and the escaped byte of a quoted-pair: HTAB, SP, visible ASCII, obs-text. No other controls.
bool IsQuotedTextByte(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

int HexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The UTF-16 code unit of "\uXXXX" starting at `pos` (the backslash), or -1 when there is none.
long ReadUnicodeEscape(std::string_view s, std::size_t pos) {
  if (pos + 6 > s.size() || s[pos] != '\\' || s[pos + 1] != 'u') return -1;
  long unit = 0;
  for (std::size_t i = pos + 2; i < pos + 6; ++i) {
    int v = HexValue(static_cast<unsigned char>(s[i]));
    if (v < 0) return -1;
    unit = unit * 16 + v;
  }
  return unit;
}

std::string DescribeByte(unsigned char c) {
  if (c >= 0x21 && c <= 0x7e) return std::string("'") + static_cast<char>(c) + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
}

void AppendByte(std::string& out, unsigned char c, bool latin1) {
  if (latin1 && c >= 0x80) {
    AppendUtf8(out, c);  // obs-text read as ISO-8859-1, which is what fetch() hands mppx
  } else {
    out += static_cast<char>(c);
  }
}

// Unescapes the inside of a quoted-string whose bytes and escapes were already checked.
// Returns false on a bad "\u" escape (lone surrogate, control character).
bool UnescapeQuoted(std::string_view content, std::string& out) {
  bool latin1 = !IsValidUtf8(content);
  out.reserve(content.size());
  std::size_t i = 0;
  while (i < content.size()) {
    auto c = static_cast<unsigned char>(content[i]);
    if (c != '\\') {
      AppendByte(out, c, latin1);
      ++i;
      continue;
    }
    long unit = ReadUnicodeEscape(content, i);
    if (unit < 0) {  // an ordinary quoted-pair: the escaped byte stands for itself
      AppendByte(out, static_cast<unsigned char>(content[i + 1]), latin1);
      i += 2;
      continue;
    }
    i += 6;
    char32_t code_point = static_cast<char32_t>(unit);
    if (unit >= 0xdc00 && unit <= 0xdfff) return false;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      long low = ReadUnicodeEscape(content, i);
      if (low < 0xdc00 || low > 0xdfff) return false;
      i += 6;
      code_point =
          0x10000 + ((static_cast<char32_t>(unit) - 0xd800) << 10) + (static_cast<char32_t>(low) - 0xdc00);
    }
    if (code_point < 0x20 || code_point == 0x7f) return false;
    AppendUtf8(out, code_point);
  }
  return true;
}

class FieldParser {
 public:
  explicit FieldParser(std::string_view input) : in_(input) {}

  std::vector<AuthChallenge> Run() {
    while (true) {
      SkipSpaceAndCommas();
      if (AtEnd()) break;
      std::string_view token = ReadToken();
      if (token.empty()) {
        Fail("unexpected " + DescribeByte(Peek()) + " at offset " + std::to_string(pos_));
        continue;
      }
      std::size_t after_token = pos_;
      SkipSpace();
      if (!AtEnd() && Peek() == '=') {
        ++pos_;
        ReadParam(LowerCase(token));
        continue;
      }
      AuthChallenge challenge;
      challenge.scheme = std::string(token);
      out_.push_back(std::move(challenge));
      if (pos_ > after_token) TryToken68();
    }
    return std::move(out_);
  }

 private:
  bool AtEnd() const { return pos_ >= in_.size(); }
  unsigned char Peek() const { return static_cast<unsigned char>(in_[pos_]); }

  void SkipSpace() {
    while (!AtEnd() && IsSpace(Peek())) ++pos_;
  }
  void SkipSpaceAndCommas() {
    while (!AtEnd() && (IsSpace(Peek()) || Peek() == ',')) ++pos_;
  }

  std::string_view ReadToken() {
    std::size_t start = pos_;
    while (!AtEnd() && IsTchar(Peek())) ++pos_;
    return in_.substr(start, pos_ - start);
  }

  static std::string LowerCase(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }

  // Right after "scheme 1*SP": a token68 is a run of token68 characters and '='s that ends the
  // element. Anything else (notably `name=value`) is left for the param loop.
  void TryToken68() {
    std::size_t end = pos_;
    while (end < in_.size() && IsToken68Char(static_cast<unsigned char>(in_[end]))) ++end;
    if (end == pos_) return;
    while (end < in_.size() && in_[end] == '=') ++end;
    std::size_t next = end;
    while (next < in_.size() && IsSpace(static_cast<unsigned char>(in_[next]))) ++next;
    if (next < in_.size() && in_[next] != ',') return;
    out_.back().token68 = std::string(in_.substr(pos_, end - pos_));
    pos_ = next;
  }

  // After "name=": reads the value, then requires the element to end.
  void ReadParam(std::string name) {
    std::string shown = "parameter \"" + name.substr(0, 40) + "\"";  // names are tchars: printable
    SkipSpace();
    std::string value;
    if (!AtEnd() && Peek() == '"') {
      std::string error = ReadQuoted(shown, value);
      if (!error.empty()) return Fail(error);
    } else {
      std::size_t start = pos_;
      while (!AtEnd() && IsBareValueChar(Peek())) ++pos_;
      if (pos_ == start) return Fail(shown + " has no value");
      value = std::string(in_.substr(start, pos_ - start));
    }
    SkipSpace();
    if (!AtEnd() && Peek() != ',') {
      return Fail("unexpected " + DescribeByte(Peek()) + " after " + shown);
    }
    if (out_.empty()) return Fail(shown + " before any auth-scheme");
    if (out_.back().error.empty()) out_.back().params.emplace_back(std::move(name), std::move(value));
  }

  // At the opening quote. Consumes through the closing quote (or to the end when there is none) and
  // returns an empty string, or why the quoted-string is unusable.
  std::string ReadQuoted(const std::string& shown, std::string& value) {
    std::size_t start = ++pos_;
    std::string error;
    while (!AtEnd() && Peek() != '"') {
      unsigned char c = Peek();
      if (c == '\\') {
        if (pos_ + 1 >= in_.size()) {  // a trailing backslash escapes nothing: unterminated
          pos_ = in_.size();
          break;
        }
        if (!IsQuotedTextByte(static_cast<unsigned char>(in_[pos_ + 1])) && error.empty()) {
          error = "control character in " + shown;
        }
        pos_ += 2;
        continue;
      }
      if (!IsQuotedTextByte(c) && error.empty()) error = "control character in " + shown;
      ++pos_;
    }
    if (AtEnd()) {
      return "unterminated quoted-string in " + shown;
    }
    std::string_view content = in_.substr(start, pos_ - start);
    ++pos_;  // the closing quote
    if (!error.empty()) return error;
    if (!UnescapeQuoted(content, value)) return "invalid \\u escape in " + shown;
    return {};
  }

  // Marks the current challenge (or a scheme-less one, for junk before any scheme) malformed and
  // skips to the next comma outside a quoted-string.
  void Fail(std::string why) {
    if (out_.empty()) out_.emplace_back();
    if (out_.back().error.empty()) out_.back().error = std::move(why);
    bool quoted = false;
    while (!AtEnd()) {
      unsigned char c = Peek();
      if (quoted) {
        if (c == '\\') {
          ++pos_;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        return;
      }
      ++pos_;
    }
    pos_ = in_.size();
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::vector<AuthChallenge> out_;
};

}  // namespace

std::vector<AuthChallenge> ParseAuthChallenges(std::string_view field_value) {
  return FieldParser(field_value).Run();
}

}  // namespace mpp::protocol
