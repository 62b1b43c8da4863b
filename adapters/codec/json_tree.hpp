#pragma once

// A JSON document read only once, as a Bot API update is: its values sit in
// one vector, filled by nlohmann's SAX reader (which validates the text as
// strictly as its DOM parser does), instead of a std::map node and a heap
// object per value. Reading an update this way costs about half of what a
// nlohmann document does. Objects keep their members in the text's order;
// find() returns the last member of a name, as a document (whose later
// duplicate overwrites the earlier) would.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnbot::codec {

class json_tree;

// A value of a json_tree; valid while the tree lives.
class json_value {
 public:
  bool is_null() const;
  bool is_boolean() const;
  bool is_string() const;
  bool is_object() const;
  bool is_array() const;
  bool is_number() const;
  // Integers only (no 1.5, no "1"), and only those that fit in int64.
  std::optional<std::int64_t> as_int64() const;
  bool boolean() const;             // false unless is_boolean()
  const std::string& text() const;  // empty unless is_string()
  const std::string& key() const;   // its name in the object that holds it
  // The last member of that name of an object; nullopt for a missing
  // member or a value that is not an object.
  std::optional<json_value> find(std::string_view key) const;
  // The elements of an array (the members of an object), in order.
  std::vector<json_value> elements() const;

 private:
  friend class json_tree;
  json_value(const json_tree* tree, std::uint32_t index) : tree_(tree), index_(index) {}
  const json_tree* tree_;
  std::uint32_t index_;
};

class json_tree {
 public:
  // nullopt unless the whole text is one valid JSON value.
  static std::optional<json_tree> parse(std::string_view text);
  json_value root() const { return {this, 0}; }

  // A number is an integer when it fits in int64; any other (1.5, 1e3,
  // 2^63) is only a number, which no reader here takes.
  enum class kind : std::uint8_t { null, boolean, integer, other_number, string, object, array };
  struct node {
    kind type = kind::null;
    bool flag = false;
    std::int64_t integer = 0;
    std::uint32_t first_child = 0;  // 0: none (the root is no one's child)
    std::uint32_t next_sibling = 0;
    std::string key;   // its name in the object that holds it
    std::string text;  // a string's value
  };

 private:
  friend class json_value;
  std::vector<node> nodes_;
};

}  // namespace vpnbot::codec
