// Custom data: a CSV text of numeric feature columns and a class column, given in the
// config as data: { name: "custom", csv: "...", label, split, ... }. One parser and
// validator for the JS API, the CLI and the page; its errors name the row, the column and
// the value. Rows and columns count from 1 as a spreadsheet shows them: row N is line N
// of the text (a header, if any, is row 1).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/data.hpp"
#include "initscope/error.hpp"
#include "initscope/params.hpp"
#include "initscope/tensor.hpp"

namespace initscope {

inline const char* const kCustomDataName = "custom";

// The limits of a custom set (custom_data_limits' rows), and the most bytes one cell of
// its CSV takes with its separator: 25 characters is a number as numpy's savetxt writes it
// by default ("-1.234567890123456789e-01"). A CSV of the most rows (and a header) and
// columns (the features, the class, a split column) of such cells fits the config's input
// limit (kMaxInputBytes).
constexpr int kCustomMaxRows = 20000;
constexpr int kCustomMaxFeatures = 64;
constexpr int kCsvCellBytes = 26;

// What parse_custom_data read: the options as given (for the config's JSON) and the rows.
struct CustomData {
  std::string csv;            // the text as given
  nlohmann::json label;       // null: the last column; a header name or a column number
  nlohmann::json split;       // null: split by testFraction and the seed; else a column
  std::string header = "auto", separator = "auto";
  double test_fraction = 0.2;
  double extent = 0.0;        // as given (0: from the data)

  std::vector<std::string> feature_names;  // header cells, or "column N"
  std::vector<std::string> class_names;    // the label values; class i is class_names[i]
  Matrix x;                   // (rows, features), raw
  std::vector<int> y;
  std::vector<std::uint8_t> is_test;  // 1: a test row (the split column); empty: split by the seed
  bool is_2d = false;         // two features: a decision boundary can be drawn
  double plot_extent = 0.0;   // the extent used: given, or 1.1 x the largest |value|
};

// The table row of the custom set (doc, defaults) and its params (testFraction, seed,
// normalize, header, separator, extent): what parsing checks and what the schema shows.
DatasetInfo custom_dataset_row();
std::vector<ParamSpec> custom_data_params();

// The limits of a custom set (rows, features, classes), as spec rows: the schema row's
// "limits", read by the page rather than written again.
std::vector<ParamSpec> custom_data_limits();

// Parses data: { name: "custom", csv, label, split, testFraction, seed, normalize, header,
// separator, extent } into `out` (train/test/dim/classes filled from the rows). Errors name
// `path`'s field (e.g. "data.csv") and, for the text, the row, the column and the value.
Status parse_custom_data(const nlohmann::json& obj, const std::string& path, DataConfig& out);
nlohmann::json custom_data_to_json(const DataConfig& config);

// The parsed rows split into train and test: by the split column (file order), or
// shuffled with Rng(seed) and split, train first, round(rows x testFraction) test rows.
void split_custom_data(const CustomData& data, std::uint64_t seed, Matrix& x_train,
                       std::vector<int>& y_train, Matrix& x_test, std::vector<int>& y_test);

// What a config's data builds, without a network (the page reads it to fit the output
// layer and the loss to a CSV before the run): {"data": {name, inputDim, numClasses, is2d,
// extent, train, test, featureNames, classNames}} or {"error": {field, message}}. Any data
// set, a name or an object, as JSON text.
std::string describe_data_json(const std::string& data_json);

}  // namespace initscope
