#include "adapters/codec/json_tree.hpp"

#include <limits>
#include <nlohmann/json.hpp>

namespace vpnbot::codec {
namespace {

using node = json_tree::node;
using kind = json_tree::kind;

// Appends each value as a node and links it under the container still
// open, which the reader's events name only by nesting.
class builder final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit builder(std::vector<node>& nodes) : nodes_(nodes) {}

  bool null() override { return add(kind::null), true; }
  bool boolean(bool v) override { return nodes_[add(kind::boolean)].flag = v, true; }
  bool number_integer(number_integer_t v) override {
    return nodes_[add(kind::integer)].integer = v, true;
  }
  bool number_unsigned(number_unsigned_t v) override {
    if (v > static_cast<number_unsigned_t>(std::numeric_limits<std::int64_t>::max()))
      return add(kind::other_number), true;
    return nodes_[add(kind::integer)].integer = static_cast<std::int64_t>(v), true;
  }
  bool number_float(number_float_t, const string_t&) override {
    return add(kind::other_number), true;
  }
  bool string(string_t& v) override { return nodes_[add(kind::string)].text = v, true; }
  bool binary(binary_t&) override { return false; }  // not in JSON text
  bool start_object(std::size_t) override { return open(kind::object), true; }
  bool key(string_t& k) override { return key_ = k, true; }
  bool end_object() override { return close(), true; }
  bool start_array(std::size_t) override { return open(kind::array), true; }
  bool end_array() override { return close(), true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct container {
    std::uint32_t index;
    std::uint32_t last_child;  // 0: none yet
  };

  std::uint32_t add(kind type) {
    auto index = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back().type = type;
    if (open_.empty()) return index;
    auto& parent = open_.back();
    if (nodes_[parent.index].type == kind::object) nodes_.back().key = key_;
    if (parent.last_child == 0)
      nodes_[parent.index].first_child = index;
    else
      nodes_[parent.last_child].next_sibling = index;
    parent.last_child = index;
    return index;
  }

  void open(kind type) { open_.push_back({add(type), 0}); }
  void close() { open_.pop_back(); }

  std::vector<node>& nodes_;
  std::vector<container> open_;
  std::string key_;
};

}  // namespace

std::optional<json_tree> json_tree::parse(std::string_view text) {
  json_tree tree;
  tree.nodes_.reserve(32);
  builder b(tree.nodes_);
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &b) || tree.nodes_.empty() ||
      tree.nodes_.size() > std::numeric_limits<std::uint32_t>::max())
    return std::nullopt;
  return tree;
}

bool json_value::is_null() const {
  return tree_->nodes_[index_].type == kind::null;
}
bool json_value::is_boolean() const {
  return tree_->nodes_[index_].type == kind::boolean;
}
bool json_value::is_string() const {
  return tree_->nodes_[index_].type == kind::string;
}
bool json_value::is_object() const {
  return tree_->nodes_[index_].type == kind::object;
}
bool json_value::is_array() const {
  return tree_->nodes_[index_].type == kind::array;
}

bool json_value::is_number() const {
  auto t = tree_->nodes_[index_].type;
  return t == kind::integer || t == kind::other_number;
}

std::optional<std::int64_t> json_value::as_int64() const {
  const auto& n = tree_->nodes_[index_];
  if (n.type == kind::integer) return n.integer;
  return std::nullopt;
}

bool json_value::boolean() const {
  const auto& n = tree_->nodes_[index_];
  return n.type == kind::boolean && n.flag;
}

const std::string& json_value::text() const {
  return tree_->nodes_[index_].text;
}

const std::string& json_value::key() const {
  return tree_->nodes_[index_].key;
}

std::optional<json_value> json_value::find(std::string_view key) const {
  const auto& nodes = tree_->nodes_;
  if (nodes[index_].type != kind::object) return std::nullopt;
  std::optional<json_value> found;
  for (auto i = nodes[index_].first_child; i != 0; i = nodes[i].next_sibling)
    if (nodes[i].key == key) found = json_value(tree_, i);
  return found;
}

std::vector<json_value> json_value::elements() const {
  std::vector<json_value> out;
  const auto& nodes = tree_->nodes_;
  for (auto i = nodes[index_].first_child; i != 0; i = nodes[i].next_sibling)
    out.push_back(json_value(tree_, i));
  return out;
}

}  // namespace vpnbot::codec
