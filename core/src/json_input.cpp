#include "initscope/json_input.hpp"

#include <vector>

#include "initscope/params.hpp"
#include "initscope/text.hpp"

namespace initscope {

using nlohmann::json;

namespace {

// Levels of the path a nesting error names: the member of the config (or activation) that
// holds the deep value, "layers" for {"layers": [[[...]]]}, a field the page has a control for.
constexpr std::size_t kFieldLevels = 1;
// Bytes of a key kept while scanning: more than a message shows of it.
constexpr std::size_t kKeyBytes = 4 * kShownBytes;

// One step of a field path: a key of an object or an index into an array.
struct Component {
  bool is_index = false;
  std::size_t index = 0;
  std::string key;
};

std::string field_of(const std::string& root, const std::vector<Component>& path) {
  std::string field = root;
  for (const auto& c : path)
    field = c.is_index ? field + "[" + std::to_string(c.index) + "]" : field_path(field, c.key);
  return field;
}

// A key as the scan saw it (escapes and all) in the form the parser will give it.
std::string decoded_key(const std::string& raw) {
  const json value = json::parse("\"" + raw + "\"", nullptr, /*allow_exceptions=*/false);
  return value.is_string() ? value.get<std::string>() : valid_utf8(raw);
}

struct Nesting {
  std::size_t depth = 0;  // the deepest level of the text
  std::size_t values = 1; // at least the values the text holds: 1 + containers + commas
  std::string field;      // where it first goes past the limit
};

// One pass over the bytes outside strings, before any parsing: brackets only, so it holds
// for text that is not JSON too. It keeps the path of the first kFieldLevels levels.
Nesting scan_nesting(const std::string& text, std::size_t limit, const std::string& root) {
  struct Level {
    bool is_array = false;
    std::size_t index = 0;   // of the current element, in an array
    std::string key;         // of the current member, in an object
    bool expect_key = true;  // in an object: the next string is a key
  };
  std::vector<Level> levels;  // the containers around the cursor, up to kFieldLevels deep
  Nesting out;
  std::size_t depth = 0;
  bool in_string = false, escaped = false, reading_key = false, root_is_object = false, past = false;
  std::string key;
  for (const char ch : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (ch == '\\') {
        escaped = true;
      } else if (ch == '"') {
        in_string = false;
        if (reading_key) levels.back().key = decoded_key(key);
        reading_key = false;
        continue;
      }
      if (reading_key && key.size() < kKeyBytes) key += ch;
      continue;
    }
    const bool tracked = depth >= 1 && depth <= kFieldLevels;
    switch (ch) {
      case '"':
        in_string = true;
        reading_key = tracked && !levels.back().is_array && levels.back().expect_key;
        key.clear();
        break;
      case ':':
        if (tracked && !levels.back().is_array) levels.back().expect_key = false;
        break;
      case ',':
        ++out.values;
        if (tracked) {
          if (levels.back().is_array) ++levels.back().index;
          else levels.back().expect_key = true;
        }
        break;
      case '{':
      case '[':
        if (depth == 0) root_is_object = ch == '{';
        ++out.values;
        ++depth;
        if (depth > out.depth) out.depth = depth;
        if (depth > limit && !past) {
          past = true;
          std::vector<Component> path;
          if (root_is_object) {
            for (const auto& l : levels) path.push_back(Component{l.is_array, l.index, l.key});
          }
          out.field = field_of(root, path);
        }
        if (depth <= kFieldLevels) {
          levels.emplace_back();
          levels.back().is_array = ch == '[';
        }
        break;
      case '}':
      case ']':
        if (depth == 0) break;  // a stray bracket: the parser names it
        if (depth <= kFieldLevels) levels.pop_back();
        --depth;
        break;
      default:
        break;
    }
  }
  return out;
}

// nlohmann's DOM builder behind SAX events that keep the path being read, so that a parse
// error (a number JSON cannot hold, a syntax error) can name its field.
class PathTracker {
 public:
  explicit PathTracker(json& out) : dom_(out, /*allow_exceptions=*/false) {}

  bool null() { return value([&] { return dom_.null(); }); }
  bool boolean(bool v) { return value([&] { return dom_.boolean(v); }); }
  bool number_integer(json::number_integer_t v) { return value([&] { return dom_.number_integer(v); }); }
  bool number_unsigned(json::number_unsigned_t v) { return value([&] { return dom_.number_unsigned(v); }); }
  bool number_float(json::number_float_t v, const json::string_t& s) {
    return value([&] { return dom_.number_float(v, s); });
  }
  bool string(json::string_t& v) { return value([&] { return dom_.string(v); }); }
  bool binary(json::binary_t& v) { return value([&] { return dom_.binary(v); }); }
  bool start_object(std::size_t n) { return open(false) && dom_.start_object(n); }
  bool key(json::string_t& k) {
    levels_.back().key = k;
    levels_.back().has_key = true;
    return dom_.key(k);
  }
  bool end_object() { return close() && dom_.end_object() && done(); }
  bool start_array(std::size_t n) { return open(true) && dom_.start_array(n); }
  bool end_array() { return close() && dom_.end_array() && done(); }

  template <class Exception>
  bool parse_error(std::size_t /*position*/, const std::string& last_token, const Exception& ex) {
    failed_ = true;
    id_ = ex.id;
    token_ = last_token;
    what_ = ex.what();
    path_ = path();
    return false;
  }

  Error error(const std::string& root, const std::string& noun) const {
    const std::string field = field_of(root, path_);
    if (!failed_) return make_error(field, (field.empty() ? noun + " is n" : "n") + "ot valid JSON");
    // 406: a number past the double range (1e309, 400 nines), which JSON cannot hold.
    if (id_ == 406 && !field.empty())
      return make_error(field, cut_text(valid_utf8(token_)) +
                                   " is not allowed; expected a finite number (JSON numbers "
                                   "reach about 1.8e308)");
    // "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error ..."
    std::string detail = what_;
    const std::size_t tag = detail.find("] ");
    if (tag != std::string::npos) detail.erase(0, tag + 2);
    const std::string lead = "parse error ";
    if (detail.compare(0, lead.size(), lead) == 0) detail.erase(0, lead.size());
    detail = cut_text(valid_utf8(detail), 3 * kShownBytes);
    return make_error(field, (field.empty() ? noun + " is not valid JSON " : "not valid JSON ") + detail);
  }

 private:
  struct Level {
    bool is_array = false;
    std::size_t count = 0;  // elements begun, in an array
    bool in_value = false;  // between the start and the end of an element or member
    std::string key;        // of the current member, in an object
    bool has_key = false;
  };

  template <class Build>
  bool value(Build build) {
    begin();
    return build() && done();
  }
  void begin() {
    if (levels_.empty()) return;
    Level& l = levels_.back();
    if (l.is_array) ++l.count;
    l.in_value = true;
  }
  bool done() {
    if (levels_.empty()) return true;
    Level& l = levels_.back();
    l.in_value = false;
    if (!l.is_array) l.has_key = false;
    return true;
  }
  bool open(bool is_array) {
    begin();
    levels_.emplace_back();
    levels_.back().is_array = is_array;
    return true;
  }
  bool close() {
    levels_.pop_back();
    return true;
  }
  // The path being read: in an array the element begun or, between elements, the next one;
  // in an object the member whose key was read.
  std::vector<Component> path() const {
    std::vector<Component> out;
    for (const Level& l : levels_) {
      if (l.is_array) {
        out.push_back(Component{true, l.in_value ? l.count - 1 : l.count, ""});
      } else {
        if (!l.has_key) break;
        out.push_back(Component{false, 0, l.key});
      }
    }
    return out;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::vector<Level> levels_;
  bool failed_ = false;
  int id_ = 0;
  std::string token_, what_;
  std::vector<Component> path_;
};

}  // namespace

Status parse_json_input(const std::string& text, const std::string& root, const std::string& noun,
                        json& out) {
  out = json();
  if (text.size() > static_cast<std::size_t>(kMaxInputBytes))
    return make_error(root, noun + " is " + std::to_string(text.size()) + " bytes long; at most " +
                                std::to_string(kMaxInputBytes) + " bytes are allowed");
  const Nesting nesting = scan_nesting(text, kMaxNesting, root);
  if (nesting.depth > static_cast<std::size_t>(kMaxNesting))
    return make_error(nesting.field, noun + " nests arrays and objects " +
                                         std::to_string(nesting.depth) + " levels deep; at most " +
                                         std::to_string(kMaxNesting) + " levels are allowed");
  if (nesting.values > static_cast<std::size_t>(kMaxValues))
    return make_error(root, noun + " holds more than " + std::to_string(kMaxValues) +
                                " values (numbers, strings, arrays, objects); at most " +
                                std::to_string(kMaxValues) + " are allowed");
  PathTracker tracker(out);
  if (json::sax_parse(text, &tracker)) return std::nullopt;
  out = json();  // what was built before the error
  return tracker.error(root, noun);
}

}  // namespace initscope
