// Custom data from a CSV text: splitting lines into cells (comma or semicolon, double
// quotes), a header or not, numbers checked cell by cell, labels mapped to classes, the
// limits, and the train/test split. Every refusal names the row, the column and the value.
#include "initscope/data_csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <string_view>

#include "initscope/json_input.hpp"
#include "initscope/rng.hpp"
#include "initscope/text.hpp"

namespace initscope {

namespace {

// The largest CSV the limits allow, escaped in JSON (a newline takes 2 bytes), with room
// for the rest of a config, is text the engine reads.
static_assert(static_cast<long long>(kCustomMaxRows + 1) * ((kCustomMaxFeatures + 2) * kCsvCellBytes + 1) +
                      65536 <= kMaxInputBytes,
              "a CSV of the most rows and columns must fit the config's input limit");

// The custom set's own shuffle stream of Rng(seed), apart from the other sets' streams.
constexpr std::uint64_t kCustomShuffleStream = 0xda7a0004;

const ParamSpec& custom_limit(const char* name) {
  static const std::vector<ParamSpec> limits = custom_data_limits();
  return *find_by_name(limits, name);
}
std::size_t max_of(const char* name) { return static_cast<std::size_t>(custom_limit(name).max); }

// One cell of a row, a view into the text: trimmed, its quotes taken off. A quoted cell
// that holds a doubled quote ("") keeps it doubled (`escaped`) until cell_text reads it.
struct Cell {
  std::string_view text;
  bool escaped = false;
};

std::string cell_text(const Cell& c) {
  std::string s(c.text);
  if (c.escaped)
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s[i] == '"') s.erase(i, 1);  // "" -> ", the loop steps over the one kept
  return s;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// The cells of one line. False: a quote opened in cell `open_cell` (0-based) is not
// closed on the line. Text after a closing quote makes the cell what is written, quotes
// and all (so that it is shown as it is when it is refused).
bool split_cells(std::string_view line, char sep, std::vector<Cell>& cells,
                 std::size_t& open_cell) {
  cells.clear();
  std::size_t i = 0;
  for (;;) {
    while (i < line.size() && is_blank(line[i])) ++i;
    Cell cell;
    std::size_t end = line.find(sep, i);
    if (i < line.size() && line[i] == '"') {
      const std::size_t open = i++;
      for (;; ++i) {
        if (i >= line.size()) {
          open_cell = cells.size();
          return false;
        }
        if (line[i] != '"') continue;
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cell.escaped = true;
          ++i;
        } else {
          break;
        }
      }
      cell.text = line.substr(open + 1, i - open - 1);
      end = line.find(sep, i);
      if (!trimmed(line.substr(i + 1, end == std::string_view::npos ? end : end - i - 1)).empty())
        cell = Cell{trimmed(line.substr(open, end == std::string_view::npos ? end : end - open))};
    } else {
      cell.text = trimmed(line.substr(i, end == std::string_view::npos ? end : end - i));
    }
    cells.push_back(cell);
    if (end == std::string_view::npos) return true;
    i = end + 1;
  }
}

bool same_letters(std::string_view s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]) != lower_word[i]) return false;
  return true;
}

bool is_missing(std::string_view s) {
  for (const char* word : {"", "na", "n/a", "nan", "null", "?"})
    if (same_letters(s, word)) return true;
  return false;
}

// A decimal number as people write it (sign, digits, one point, exponent); with the
// semicolon separator a decimal comma is read as a point. No hex, no inf.
bool read_number(std::string_view s, char sep, double& out) {
  auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  std::size_t i = 0, digits = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  while (digit(i)) ++i, ++digits;
  if (i < s.size() && (s[i] == '.' || (sep == ';' && s[i] == ','))) {
    ++i;
    while (digit(i)) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i != s.size()) return false;
  // strtod wants a terminated text with a point: a copy, on the stack unless it is long.
  char small[64];
  std::string large;
  char* text = small;
  if (s.size() >= sizeof small) {
    large.resize(s.size());
    text = &large[0];
  }
  for (std::size_t k = 0; k < s.size(); ++k) text[k] = s[k] == ',' ? '.' : s[k];
  text[s.size()] = '\0';
  out = std::strtod(text, nullptr);
  return true;
}

std::string shown_cell(std::string_view text) {
  return "\"" + cut_text(valid_utf8(std::string(text))) + "\"";
}

// A column named by the config (label, split): a header name or a column number 1..cols.
Status resolve_column(const nlohmann::json& value, const std::string& field,
                      const std::vector<std::string>& header, std::size_t cols, bool has_header,
                      std::size_t& out) {
  std::string numbers = "a column number from 1 to " + std::to_string(cols);
  if (value.is_number() && value.get<double>() == std::floor(value.get<double>())) {
    double n = value.get<double>();
    if (n >= 1 && n <= static_cast<double>(cols)) {
      out = static_cast<std::size_t>(n) - 1;
      return std::nullopt;
    }
    return make_error(field, show_value(value) + " is not allowed; expected " + numbers);
  }
  if (value.is_string()) {
    if (!has_header)
      return make_error(field, show_value(value) +
                                   " names no column: the csv has no header row; expected " +
                                   numbers);
    auto it = std::find(header.begin(), header.end(), value.get<std::string>());
    if (it != header.end()) {
      out = static_cast<std::size_t>(it - header.begin());
      return std::nullopt;
    }
    std::vector<std::string> names;
    for (const auto& h : header) names.push_back(shown_cell(h));
    return make_error(field, show_value(value) + " is not a column of the header; expected one of " +
                                 cut_text(join(names), 400) + " or " + numbers);
  }
  return make_error(field, show_value(value) + " is not allowed; expected a header name or " +
                               numbers);
}

// An error whose message is `parts` joined: one call per refusal rather than a chain of
// concatenations, each of which the compiler writes out.
Status fail(const std::string& field, std::initializer_list<std::string_view> parts) {
  std::string message;
  for (std::string_view p : parts) message += p;
  return make_error(field, message);
}

// A class label and the row (as numbered in the text) where it first appears.
struct Label {
  std::string name;
  std::size_t row;
};

Status parse_rows(CustomData& d, const std::string& path) {
  const std::string field = field_path(path, "csv");
  std::string_view text = d.csv;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a byte-order mark
  const std::size_t max_rows = max_of("rows");

  // The lines, blank ones skipped (they keep their numbers).
  std::vector<std::pair<std::size_t, std::string_view>> lines;
  std::size_t row = 0;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++row;
    if (!trimmed(line).empty()) {
      // One more than a header and the most data rows is already too many.
      if (lines.size() > max_rows)
        return fail(field, {"row ", std::to_string(row), ": more than ", std::to_string(max_rows), " data rows; expected at most ", std::to_string(max_rows)});
      lines.emplace_back(row, line);
    }
    start = end + 1;
  }
  if (lines.empty())
    return make_error(field, "the text has no rows; expected rows of numbers separated by "
                             "commas or semicolons, a class in one column");

  std::vector<Cell> cells;
  std::size_t open = 0;
  char sep = d.separator == "comma" ? ',' : d.separator == "semicolon" ? ';' : '\0';
  if (!sep)  // auto: a semicolon outside quotes in the first row means semicolons
    sep = split_cells(lines[0].second, ';', cells, open) && cells.size() > 1 ? ';' : ',';
  const std::string sep_name = sep == ';' ? "semicolon" : "comma";
  auto split_row = [&](std::size_t i) -> Status {
    if (split_cells(lines[i].second, sep, cells, open)) return std::nullopt;
    return fail(field, {"row ", std::to_string(lines[i].first), ", column ", std::to_string(open + 1), ": a quote opens and is not closed on this row; expected a " "closing \" (a value cannot span rows)"});
  };
  if (auto e = split_row(0)) return e;
  const std::size_t first_row_number = lines[0].first;
  const std::size_t cols = cells.size();
  bool has_header = d.header == "yes";
  if (d.header == "auto") {
    has_header = true;
    double x = 0;
    for (const Cell& c : cells)
      if (read_number(c.text, sep, x)) has_header = false;
  }
  std::vector<std::string> header;
  if (has_header)
    for (const Cell& c : cells) header.push_back(cell_text(c));
  auto column_name = [&](std::size_t k) {
    return "column " + std::to_string(k + 1) +
           (has_header ? " (" + shown_cell(header[k]) + ")" : std::string());
  };
  const std::size_t first = has_header ? 1 : 0;
  if (lines.size() == first)
    return fail(field, {"row ", std::to_string(first_row_number), " is a header and no data rows follow; expected at least ", std::to_string(static_cast<int>(custom_limit("rows").min)), " data rows"});
  if (lines.size() - first > max_rows)
    return fail(field, {"row ", std::to_string(lines[max_rows + first].first), ": more than ", std::to_string(max_rows), " data rows; expected at most ", std::to_string(max_rows)});
  if (cols < 2)
    return fail(field, {"row ", std::to_string(first_row_number), " has 1 column (", sep_name, "-separated); expected feature columns and a class " "column, separated by commas or semicolons"});

  std::size_t label = cols - 1;
  if (!d.label.is_null())
    if (auto e = resolve_column(d.label, field_path(path, "label"), header, cols, has_header, label))
      return e;
  std::size_t split = cols;  // none
  if (!d.split.is_null()) {
    if (auto e = resolve_column(d.split, field_path(path, "split"), header, cols, has_header, split))
      return e;
    if (split == label)
      return fail(field_path(path, "split"), {show_value(d.split), " is the label column; expected another column " "(its cells say train or test)"});
  }
  std::vector<std::size_t> features;
  for (std::size_t k = 0; k < cols; ++k)
    if (k != label && k != split) features.push_back(k);
  if (features.empty())
    return fail(field, {"has no feature column (", std::to_string(cols), " columns: the class", (split < cols ? " and the split" : ""), "); expected at least 1"});
  const std::size_t max_features = max_of("features");
  if (features.size() > max_features)
    return fail(field, {"has ", std::to_string(features.size()), " feature columns; expected at most ", std::to_string(max_features)});

  const std::size_t n = lines.size() - first;
  const std::size_t max_classes = max_of("classes");
  const std::size_t min_classes = static_cast<std::size_t>(custom_limit("classes").min);
  const std::string classes_allowed =
      std::to_string(min_classes) + " to " + std::to_string(max_classes) + " classes";
  d.feature_names.clear();
  for (std::size_t k : features)
    d.feature_names.push_back(has_header ? header[k] : "column " + std::to_string(k + 1));
  d.x = Matrix::from_shape({n, features.size()});
  d.is_test.clear();
  std::vector<Label> found;          // the classes, in the order they first appear
  std::vector<std::size_t> label_of(n);  // each row's index into `found`
  for (std::size_t i = 0; i < n; ++i) {
    if (i + first > 0)
      if (auto e = split_row(i + first)) return e;
    const std::string at = "row " + std::to_string(lines[i + first].first);
    if (cells.size() != cols)
      return fail(field, {at, " has ", std::to_string(cells.size()), " columns (", sep_name, "-separated) and row ", std::to_string(first_row_number), " has ", std::to_string(cols), "; expected ", std::to_string(cols), " in every row"});
    for (std::size_t f = 0; f < features.size(); ++f) {
      const std::string_view cell = cells[features[f]].text;
      double v = 0;
      const bool number = !is_missing(cell) && read_number(cell, sep, v);
      if (number && std::isfinite(v) && std::fabs(v) <= 3.4e38) {
        d.x(i, f) = static_cast<float>(v);  // the common case: no message built
        continue;
      }
      const std::string where = at + ", " + column_name(features[f]) + ": ";
      if (is_missing(cell))
        return fail(field, {where, (cell.empty() ? "the value is missing" : shown_cell(cell) + " is a missing value"), "; expected a number in every feature cell"});
      if (!number)
        return fail(field, {where, shown_cell(cell), " is not a number; expected a number", (sep == ',' && cell.find(';') != std::string_view::npos ? " (is the file semicolon-separated? set separator)" : sep == ';' ? " (decimal point or comma)" : " (decimal point)")});
      return fail(field, {where, shown_cell(cell), " is out of range; expected a number of magnitude below " "3.4e38 (float32)"});
    }
    const Cell& cls = cells[label];
    if (is_missing(cls.text))
      return fail(field, {at, ", ", column_name(label), ": ", (cls.text.empty() ? "the class is missing" : shown_cell(cls.text) + " is a missing class"), "; expected a class in every row"});
    const std::string name = cell_text(cls);
    std::size_t k = 0;
    while (k < found.size() && found[k].name != name) ++k;
    if (k == found.size()) {
      if (found.size() == max_classes)
        return fail(field, {at, ", ", column_name(label), ": ", shown_cell(name), " is class ", std::to_string(max_classes + 1), "; expected ", classes_allowed, " (is ", column_name(label), " the class column? set label)"});
      found.push_back({name, lines[i + first].first});
    }
    label_of[i] = k;
    if (split < cols) {
      const std::string_view s = cells[split].text;
      if (!same_letters(s, "train") && !same_letters(s, "test"))
        return fail(field, {at, ", ", column_name(split), ": ", shown_cell(s), " is not allowed; expected train or test"});
      d.is_test.push_back(same_letters(s, "test"));
    }
  }
  if (found.size() < min_classes)
    return fail(field, {column_name(label), " holds one class (", shown_cell(found[0].name), " in every row); expected ", classes_allowed});

  // Class c is the c-th label in order: by value when every label is a number, else as text
  // (an insertion sort: there are at most a few).
  std::vector<double> value(found.size(), 0.0);
  bool numeric = true;
  for (std::size_t k = 0; k < found.size(); ++k)
    numeric = read_number(found[k].name, sep, value[k]) && numeric;
  auto before = [&](std::size_t a, std::size_t b) {
    if (numeric && value[a] != value[b]) return value[a] < value[b];
    return found[a].name < found[b].name;
  };
  std::vector<std::size_t> order(found.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    std::size_t j = k;
    for (; j > 0 && before(k, order[j - 1]); --j) order[j] = order[j - 1];
    order[j] = k;
  }
  std::vector<int> class_of(found.size());
  d.class_names.clear();
  for (std::size_t c = 0; c < order.size(); ++c) {
    class_of[order[c]] = static_cast<int>(c);
    d.class_names.push_back(found[order[c]].name);
  }
  d.y.resize(n);
  for (std::size_t i = 0; i < n; ++i) d.y[i] = class_of[label_of[i]];

  if (split < cols && std::count(d.is_test.begin(), d.is_test.end(), std::uint8_t{1}) == static_cast<std::ptrdiff_t>(n))
    return fail(field, {column_name(split), " says test in every row; expected train in at least one"});

  d.is_2d = features.size() == 2;
  d.plot_extent = 0;
  if (d.is_2d) {
    if (d.extent > 0) {
      d.plot_extent = d.extent;
    } else {
      float largest = 0;
      for (float v : d.x) largest = std::max(largest, std::fabs(v));
      d.plot_extent = largest > 0 ? 1.1 * largest : 1.0;
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<ParamSpec> custom_data_limits() {
  return {integer_param("rows", kCustomMaxRows, 2, kCustomMaxRows,
                        "data rows of a custom set (a header not counted)"),
          integer_param("features", kCustomMaxFeatures, 1, kCustomMaxFeatures,
                        "feature columns of a custom set"),
          integer_param("classes", kMaxClasses, 2, kMaxClasses, "classes of a custom set")};
}

DatasetInfo custom_dataset_row() {
  DatasetInfo r;
  r.name = kCustomDataName;
  r.doc =
      "Your own data: a CSV text (key csv) of numeric feature columns and a class column "
      "(label: a header name or a column number; the last column by default), comma- or "
      "semicolon-separated, with a header row or not; split into train and test by "
      "testFraction and the seed, or by a column (split) that says train or test.";
  r.input_dim = 0;
  r.num_classes = 2;
  r.max_classes = kMaxClasses;
  r.is_2d = false;
  r.extent = 0;
  r.rows = 0;
  r.fixed_size = false;
  r.default_train = 0;
  r.default_test = 0;
  r.uses_noise = false;
  r.default_noise = 0;
  r.max_noise = 0;
  r.default_dim = 0;
  r.default_loss = "bce";
  r.default_output_activation = "sigmoid";
  return r;
}

std::vector<ParamSpec> custom_data_params() {
  ParamSpec seed = number_param("seed", 1, 0, 4294967295.0,
                                "seed of the shuffle before the train/test split");
  seed.kind = ParamKind::integer;
  return {
      number_param("testFraction", 0.2, 0, 0.9,
                   "share of the rows held out for testing (ignored with a split column)"),
      seed,
      choice_param("normalize", {"none", "standardize", "minmax"}, "none",
                   "input normalization, fitted on the training rows: standardize to mean 0 "
                   "and std 1, or min-max to [0, 1]"),
      choice_param("header", {"auto", "yes", "no"}, "auto",
                   "whether row 1 is a header (auto: yes when none of its cells is a number)"),
      choice_param("separator", {"auto", "comma", "semicolon"}, "auto",
                   "what separates cells (auto: semicolon if row 1 has one; with semicolons "
                   "a decimal comma is read as a point)"),
      number_param("extent", 0, 0, 1e6,
                   "2-D sets: the plot shows [-extent, extent]^2 (0: 1.1 x the largest value)"),
  };
}

Status parse_custom_data(const nlohmann::json& obj, const std::string& path, DataConfig& out) {
  Params p;
  if (auto e = parse_params(obj, custom_data_params(), path, {"name", "csv", "label", "split"}, p))
    return e;
  auto d = std::make_shared<CustomData>();
  auto csv = obj.find("csv");
  if (csv == obj.end())
    return make_error(field_path(path, "csv"),
                      "is required; expected the CSV text (rows of numbers and a class column)");
  if (!csv->is_string())
    return make_error(field_path(path, "csv"),
                      show_value(*csv) + " is not allowed; expected the CSV text as a string");
  d->csv = csv->get<std::string>();
  if (obj.contains("label")) d->label = obj["label"];
  if (obj.contains("split")) d->split = obj["split"];
  d->header = p.choice("header");
  d->separator = p.choice("separator");
  d->test_fraction = p.number("testFraction");
  d->extent = p.number("extent");
  if (auto e = parse_rows(*d, path)) return e;

  DataConfig c;
  c.name = kCustomDataName;
  c.seed = static_cast<std::uint64_t>(p.number("seed"));
  c.normalize = p.choice("normalize");
  c.dim = static_cast<int>(d->feature_names.size());
  c.classes = static_cast<int>(d->class_names.size());
  c.noise = 0;
  const int rows = static_cast<int>(d->y.size());
  if (!d->is_test.empty()) {
    c.test = static_cast<int>(std::count(d->is_test.begin(), d->is_test.end(), std::uint8_t{1}));
  } else {
    c.test = static_cast<int>(std::lround(rows * d->test_fraction));
    c.test = std::min(c.test, rows - 1);  // at least one training row
  }
  c.train = rows - c.test;
  c.custom = std::move(d);
  out = c;
  return std::nullopt;
}

nlohmann::json custom_data_to_json(const DataConfig& config) {
  const CustomData& d = *config.custom;
  nlohmann::json j;
  j["name"] = kCustomDataName;
  j["csv"] = d.csv;
  if (!d.label.is_null()) j["label"] = d.label;
  if (!d.split.is_null()) j["split"] = d.split;
  else j["testFraction"] = d.test_fraction;
  j["seed"] = config.seed;
  j["normalize"] = config.normalize;
  j["header"] = d.header;
  j["separator"] = d.separator;
  if (d.is_2d) j["extent"] = d.extent;
  return j;
}

void split_custom_data(const CustomData& data, std::uint64_t seed, Matrix& x_train,
                       std::vector<int>& y_train, Matrix& x_test, std::vector<int>& y_test) {
  const std::size_t n = data.y.size(), cols = data.x.shape()[1];
  std::vector<std::size_t> train, test;
  if (!data.is_test.empty()) {
    for (std::size_t i = 0; i < n; ++i) (data.is_test[i] ? test : train).push_back(i);
  } else {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    Rng rng(seed, kCustomShuffleStream);
    for (std::size_t i = n - 1; i > 0; --i)
      std::swap(order[i], order[rng.below(static_cast<std::uint32_t>(i + 1))]);
    std::size_t tests = std::min<std::size_t>(static_cast<std::size_t>(std::lround(n * data.test_fraction)), n - 1);
    train.assign(order.begin(), order.end() - static_cast<std::ptrdiff_t>(tests));
    test.assign(order.end() - static_cast<std::ptrdiff_t>(tests), order.end());
  }
  auto take = [&](const std::vector<std::size_t>& rows, Matrix& x, std::vector<int>& y) {
    x = Matrix::from_shape({rows.size(), cols});
    y.resize(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      for (std::size_t k = 0; k < cols; ++k) x(i, k) = data.x(rows[i], k);
      y[i] = data.y[rows[i]];
    }
  };
  take(train, x_train, y_train);
  take(test, x_test, y_test);
}

namespace {
nlohmann::json texts(const std::vector<std::string>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : list) out.push_back(s);
  return out;
}
}  // namespace

std::string describe_data_json(const std::string& data_json) {
  nlohmann::json value;
  DataConfig config;
  Dataset d;
  Status e = parse_json_input(data_json, "data", "the data", value);
  if (!e) e = parse_data_config(value, "data", config);
  if (!e) e = make_dataset(config, d);
  if (e) return error_json(*e);
  return json_text({{"data",
                     {{"name", d.name},
                      {"inputDim", d.input_dim},
                      {"numClasses", d.num_classes},
                      {"is2d", d.is_2d},
                      {"extent", d.extent},
                      {"train", d.y_train.size()},
                      {"test", d.y_test.size()},
                      {"featureNames", texts(d.feature_names)},
                      {"classNames", texts(d.class_names)}}}});
}

}  // namespace initscope
