#include "adapters/telegram/result_elements.hpp"

#include <string>

namespace vpnbot::telegram {
namespace {

class scanner {
 public:
  explicit scanner(std::string_view text) : s_(text) {}

  std::size_t pos() const { return p_; }
  bool at_end() { return skip_space(), p_ == s_.size(); }

  // Consumes c (after white space) if it is next.
  bool take(char c) {
    skip_space();
    if (p_ < s_.size() && s_[p_] == c) return ++p_, true;
    return false;
  }

  // A string's raw text between its quotes (escapes left as written).
  std::optional<std::string_view> string() {
    skip_space();
    if (p_ >= s_.size() || s_[p_] != '"') return std::nullopt;
    auto start = ++p_;
    while (p_ < s_.size()) {
      char c = s_[p_];
      if (c == '\\') {
        p_ += 2;
      } else if (c == '"') {
        return s_.substr(start, p_++ - start);
      } else {
        ++p_;
      }
    }
    return std::nullopt;
  }

  // Steps over one value; its text is s_[start, pos()) with start the
  // first byte after white space. Brackets must pair up; scalars are only
  // delimited here, the element's own reading validates them.
  bool value() {
    skip_space();
    if (p_ >= s_.size()) return false;
    if (s_[p_] == '"') return string().has_value();
    if (s_[p_] != '{' && s_[p_] != '[') {
      auto start = p_;
      while (p_ < s_.size() && !delimiter(s_[p_])) ++p_;
      return p_ > start;
    }
    std::string closers;
    while (p_ < s_.size()) {
      char c = s_[p_];
      if (c == '"') {
        if (!string()) return false;
        continue;
      }
      if (c == '{' || c == '[') {
        closers.push_back(c == '{' ? '}' : ']');
      } else if (c == '}' || c == ']') {
        if (closers.empty() || closers.back() != c) return false;
        closers.pop_back();
        if (closers.empty()) return ++p_, true;
      }
      ++p_;
    }
    return false;
  }

  void skip_space() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r'))
      ++p_;
  }

  std::string_view text_from(std::size_t start) const { return s_.substr(start, p_ - start); }

 private:
  static bool delimiter(char c) {
    return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  std::string_view s_;
  std::size_t p_ = 0;
};

std::optional<std::vector<std::string_view>> array_elements(scanner& in) {
  std::vector<std::string_view> out;
  if (!in.take('[')) return std::nullopt;
  if (in.take(']')) return out;
  do {
    in.skip_space();
    auto start = in.pos();
    if (!in.value()) return std::nullopt;
    out.push_back(in.text_from(start));
  } while (in.take(','));
  if (!in.take(']')) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::vector<std::string_view>> success_array_elements(std::string_view body) {
  scanner in(body);
  bool ok = false;
  std::optional<std::vector<std::string_view>> elements;
  if (!in.take('{')) return std::nullopt;
  if (in.take('}')) return std::nullopt;
  do {
    // A key written with escapes could name a member twice, which a
    // document reads as its last value: left to parse_response.
    auto key = in.string();
    if (!key || key->find('\\') != std::string_view::npos || !in.take(':')) return std::nullopt;
    if (*key == "ok") {
      in.skip_space();
      auto start = in.pos();
      if (ok || !in.value() || in.text_from(start) != "true") return std::nullopt;
      ok = true;
    } else if (*key == "result") {
      if (elements) return std::nullopt;
      elements = array_elements(in);
      if (!elements) return std::nullopt;
    } else if (!in.value()) {
      return std::nullopt;
    }
  } while (in.take(','));
  if (!in.take('}') || !in.at_end() || !ok) return std::nullopt;
  return elements;
}

}  // namespace vpnbot::telegram
