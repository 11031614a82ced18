// Custom data from a CSV text: splitting lines into cells (comma or semicolon, double
// quotes), a header or not, numbers checked cell by cell, labels mapped to classes, the
// limits, and the train/test split. Every refusal names the row, the column and the value.
#include "initscope/data_csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <string_view>

#include "initscope/json_input.hpp"
#include "initscope/rng.hpp"
#include "initscope/text.hpp"

namespace initscope {

namespace {

// The custom set's own shuffle stream of Rng(seed), apart from the other sets' streams.
constexpr std::uint64_t kCustomShuffleStream = 0xda7a0004;

const ParamSpec& custom_limit(const char* name) {
  static const std::vector<ParamSpec> limits = custom_data_limits();
  return *find_by_name(limits, name);
}
int max_of(const char* name) { return static_cast<int>(custom_limit(name).max); }

// `cell` without its outer spaces, moved into `cells` (no copy in the common case).
void push_trimmed(std::string& cell, std::vector<std::string>& cells) {
  std::size_t b = cell.find_last_not_of(" \t");
  cell.erase(b == std::string::npos ? 0 : b + 1);
  std::size_t a = cell.find_first_not_of(" \t");
  if (a != std::string::npos && a > 0) cell.erase(0, a);
  cells.push_back(std::move(cell));
  cell.clear();
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The cells of one line, trimmed and unquoted ("a ""b""" is a "b"). False: a quote opened
// in cell `open_cell` (0-based) is not closed on the line.
bool split_cells(std::string_view line, char sep, std::vector<std::string>& cells,
                 std::size_t& open_cell) {
  cells.clear();
  std::string cell;
  bool quoted = false, was_quoted = false, blank = true;  // blank: only spaces so far
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"' && blank) {
      quoted = was_quoted = true;
      blank = false;
      cell.clear();
    } else if (c == sep) {
      if (was_quoted) cells.push_back(cell);
      else push_trimmed(cell, cells);
      cell.clear();
      was_quoted = false;
      blank = true;
    } else if (!(was_quoted && (c == ' ' || c == '\t'))) {
      if (c != ' ' && c != '\t') blank = false;
      cell += c;
    }
  }
  if (quoted) {
    open_cell = cells.size();
    return false;
  }
  if (was_quoted) cells.push_back(cell);
  else push_trimmed(cell, cells);
  return true;
}

bool is_missing(const std::string& cell) {
  if (!cell.empty() && ((cell[0] >= '0' && cell[0] <= '9') || cell[0] == '-' || cell[0] == '+'))
    return false;  // the common case, without a copy
  std::string s = lower(cell);
  return s.empty() || s == "na" || s == "n/a" || s == "nan" || s == "null" || s == "?";
}

// A decimal number as people write it (sign, digits, one point, exponent); with the
// semicolon separator a decimal comma is read as a point. No hex, no inf.
bool read_number(const std::string& cell, char sep, double& out) {
  std::string comma_read;  // with semicolons, a decimal comma read as a point
  if (sep == ';' && cell.find(',') != std::string::npos) {
    comma_read = cell;
    std::replace(comma_read.begin(), comma_read.end(), ',', '.');
  }
  const std::string& s = comma_read.empty() ? cell : comma_read;
  std::size_t i = 0, digits = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != s.size()) return false;
  out = std::strtod(s.c_str(), nullptr);
  return true;
}

std::string shown_cell(const std::string& text) { return "\"" + cut_text(valid_utf8(text)) + "\""; }

// A column named by the config (label, split): a header name or a column number 1..cols.
Status resolve_column(const nlohmann::json& value, const std::string& field,
                      const std::vector<std::string>& header, std::size_t cols, bool has_header,
                      std::size_t& out) {
  std::string numbers = "a column number from 1 to " + std::to_string(cols);
  if (value.is_number_integer() || (value.is_number() && value.get<double>() == std::floor(value.get<double>()))) {
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

// Orders class labels: numerically when every label is a number, else as text.
bool label_less(const std::string& a, const std::string& b, bool numeric, char sep) {
  if (numeric) {
    double x = 0, y = 0;
    read_number(a, sep, x);
    read_number(b, sep, y);
    if (x != y) return x < y;
  }
  return a < b;
}

Status parse_rows(CustomData& d, const std::string& path) {
  const std::string field = field_path(path, "csv");
  std::string_view text = d.csv;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a byte-order mark

  // The lines, blank ones skipped (they keep their numbers).
  std::vector<std::pair<std::size_t, std::string_view>> lines;
  std::size_t row = 0, start = 0;
  const std::size_t max_rows = static_cast<std::size_t>(max_of("rows"));
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++row;
    if (line.find_first_not_of(" \t") != std::string_view::npos) {
      // One more than a header and the most data rows is already too many.
      if (lines.size() > max_rows)
        return make_error(field, "row " + std::to_string(row) + ": more than " +
                                     std::to_string(max_rows) +
                                     " data rows; expected at most " + std::to_string(max_rows));
      lines.emplace_back(row, line);
    }
    start = end + 1;
  }
  if (lines.empty())
    return make_error(field, "the text has no rows; expected rows of numbers separated by "
                             "commas or semicolons, a class in one column");

  char sep = d.separator == "comma" ? ',' : d.separator == "semicolon" ? ';' : '\0';
  if (!sep) {  // auto: a semicolon outside quotes in the first row means semicolons
    std::vector<std::string> cells;
    std::size_t open = 0;
    sep = split_cells(lines[0].second, ';', cells, open) && cells.size() > 1 ? ';' : ',';
  }
  const std::string sep_name = sep == ';' ? "semicolon" : "comma";

  // Rows are split one at a time into `cells` (row 1's are kept for the header).
  std::vector<std::string> cells, first_cells;
  auto split_row = [&](std::size_t i, std::vector<std::string>& out) -> Status {
    std::size_t open = 0;
    if (!split_cells(lines[i].second, sep, out, open))
      return make_error(field, "row " + std::to_string(lines[i].first) + ", column " +
                                   std::to_string(open + 1) +
                                   ": a quote opens and is not closed on this row; expected "
                                   "a closing \" (a value cannot span rows)");
    return std::nullopt;
  };
  if (auto e = split_row(0, first_cells)) return e;
  const std::size_t first_row_number = lines[0].first;

  const std::size_t cols = first_cells.size();
  bool has_header = d.header == "yes";
  if (d.header == "auto") {
    has_header = true;
    double x = 0;
    for (const auto& c : first_cells)
      if (read_number(c, sep, x)) has_header = false;
  }
  std::vector<std::string> header;
  if (has_header) header = first_cells;
  auto column_name = [&](std::size_t k) {
    return "column " + std::to_string(k + 1) +
           (has_header ? " (" + shown_cell(header[k]) + ")" : std::string());
  };
  const std::size_t first = has_header ? 1 : 0;
  if (lines.size() == first)
    return make_error(field, "row " + std::to_string(first_row_number) +
                                 " is a header and no data rows follow; expected at least " +
                                 std::to_string(static_cast<int>(custom_limit("rows").min)) +
                                 " data rows");
  if (lines.size() - first > max_rows)
    return make_error(field, "row " + std::to_string(lines[max_rows + first].first) +
                                 ": more than " + std::to_string(max_rows) +
                                 " data rows; expected at most " + std::to_string(max_rows));
  if (cols < 2)
    return make_error(field, "row " + std::to_string(first_row_number) + " has 1 column (" +
                                 sep_name + "-separated); expected feature columns and a class "
                                 "column, separated by commas or semicolons");

  std::size_t label = cols - 1;
  if (!d.label.is_null())
    if (auto e = resolve_column(d.label, field_path(path, "label"), header, cols, has_header, label))
      return e;
  std::size_t split = cols;  // none
  if (!d.split.is_null()) {
    if (auto e = resolve_column(d.split, field_path(path, "split"), header, cols, has_header, split))
      return e;
    if (split == label)
      return make_error(field_path(path, "split"),
                        show_value(d.split) + " is the label column; expected another column "
                                              "(its cells say train or test)");
  }
  std::vector<std::size_t> features;
  for (std::size_t k = 0; k < cols; ++k)
    if (k != label && k != split) features.push_back(k);
  if (features.empty())
    return make_error(field, "has no feature column (" + std::to_string(cols) +
                                 " columns: the class" + (split < cols ? " and the split" : "") +
                                 "); expected at least 1");
  const std::size_t max_features = static_cast<std::size_t>(max_of("features"));
  if (features.size() > max_features)
    return make_error(field, "has " + std::to_string(features.size()) +
                                 " feature columns; expected at most " +
                                 std::to_string(max_features));

  const std::size_t n = lines.size() - first;
  d.feature_names.clear();
  for (std::size_t k : features)
    d.feature_names.push_back(has_header ? header[k] : "column " + std::to_string(k + 1));
  d.x = Matrix::from_shape({n, features.size()});
  d.is_test.clear();
  std::vector<std::string> labels(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i + first > 0) {
      if (auto e = split_row(i + first, cells)) return e;
    } else {
      cells = first_cells;
    }
    const std::string at = "row " + std::to_string(lines[i + first].first);
    if (cells.size() != cols)
      return make_error(field, at + " has " + std::to_string(cells.size()) + " columns (" +
                                   sep_name + "-separated) and row " +
                                   std::to_string(first_row_number) + " has " + std::to_string(cols) +
                                   "; expected " + std::to_string(cols) + " in every row");
    for (std::size_t f = 0; f < features.size(); ++f) {
      const std::string& cell = cells[features[f]];
      double v = 0;
      if (!is_missing(cell) && read_number(cell, sep, v) && std::isfinite(v) && std::fabs(v) <= 3.4e38) {
        d.x(i, f) = static_cast<float>(v);  // the common case: no message built
        continue;
      }
      const std::string where = at + ", " + column_name(features[f]) + ": ";
      if (is_missing(cell))
        return make_error(field, where + (cell.empty() ? "the value is missing" : shown_cell(cell) + " is a missing value") +
                                     "; expected a number in every feature cell");
      if (!read_number(cell, sep, v))
        return make_error(field, where + shown_cell(cell) + " is not a number; expected a number" +
                                     (sep == ',' && cell.find(',') == std::string::npos &&
                                              cell.find(';') != std::string::npos
                                          ? " (is the file semicolon-separated? set separator)"
                                          : std::string(" (decimal point") +
                                                (sep == ';' ? " or comma)" : ")")));
      if (!std::isfinite(v) || std::fabs(v) > 3.4e38)
        return make_error(field, where + shown_cell(cell) +
                                     " is out of range; expected a number of magnitude below "
                                     "3.4e38 (float32)");
      d.x(i, f) = static_cast<float>(v);
    }
    const std::string& cls = cells[label];
    if (is_missing(cls))
      return make_error(field, at + ", " + column_name(label) + ": " +
                                   (cls.empty() ? "the class is missing" : shown_cell(cls) + " is a missing class") +
                                   "; expected a class in every row");
    labels[i] = cls;
    if (split < cols) {
      std::string s = lower(cells[split]);
      if (s != "train" && s != "test")
        return make_error(field, at + ", " + column_name(split) + ": " + shown_cell(cells[split]) +
                                     " is not allowed; expected train or test");
      d.is_test.push_back(s == "test");
    }
  }

  // Classes: the distinct labels, ordered (numbers by value, else as text).
  std::map<std::string, std::size_t> first_row;
  for (std::size_t i = 0; i < n; ++i) first_row.try_emplace(labels[i], lines[first + i].first);
  const std::size_t max_classes = static_cast<std::size_t>(max_of("classes"));
  const std::size_t min_classes = static_cast<std::size_t>(custom_limit("classes").min);
  std::vector<std::string> names;
  for (const auto& [name, r] : first_row) names.push_back(name);
  bool numeric = true;
  for (const auto& s : names) {
    double x = 0;
    if (!read_number(s, sep, x)) numeric = false;
  }
  std::sort(names.begin(), names.end(),
            [&](const std::string& a, const std::string& b) { return label_less(a, b, numeric, sep); });
  const std::string label_where = column_name(label);
  if (names.size() < min_classes)
    return make_error(field, label_where + " holds one class (" + shown_cell(names[0]) +
                                 " in every row); expected " + std::to_string(min_classes) +
                                 " to " + std::to_string(max_classes) + " classes");
  if (names.size() > max_classes) {
    // The row where the class beyond the limit first appears.
    std::vector<std::pair<std::size_t, std::string>> by_row;
    for (const auto& [name, r] : first_row) by_row.emplace_back(r, name);
    std::sort(by_row.begin(), by_row.end());
    const auto& [r, name] = by_row[max_classes];
    return make_error(field, "row " + std::to_string(r) + ", " + label_where + ": " +
                                 shown_cell(name) + " is class " + std::to_string(max_classes + 1) +
                                 "; expected " + std::to_string(min_classes) + " to " +
                                 std::to_string(max_classes) + " classes (is " + label_where +
                                 " the class column? set label)");
  }
  std::map<std::string, int> index;
  for (std::size_t c = 0; c < names.size(); ++c) index[names[c]] = static_cast<int>(c);
  d.y.resize(n);
  for (std::size_t i = 0; i < n; ++i) d.y[i] = index[labels[i]];
  d.class_names = names;

  if (split < cols) {
    std::size_t tests = static_cast<std::size_t>(std::count(d.is_test.begin(), d.is_test.end(), true));
    if (tests == n)
      return make_error(field, column_name(split) + " says test in every row; expected train in at least one");
  }

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
  return {integer_param("rows", 20000, 2, 20000, "data rows of a custom set (a header not counted)"),
          integer_param("features", 64, 1, 64, "feature columns of a custom set"),
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
    c.test = static_cast<int>(std::count(d->is_test.begin(), d->is_test.end(), true));
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
                      {"featureNames", d.feature_names},
                      {"classNames", d.class_names}}}});
}

}  // namespace initscope
