// Data sets: seeded synthetic sets and the real sets shipped inside the engine (8x8
// digits, iris), a train/test split and input normalization. One table (DatasetInfo)
// feeds parsing, the schema and the docs. All randomness comes from our own Rng, so
// native and wasm builds produce the same bits (up to an ulp of libm's sin/cos/log,
// which float32 storage almost always absorbs).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/error.hpp"
#include "initscope/params.hpp"
#include "initscope/tensor.hpp"

namespace initscope {

// The most classes a data set has (digits) and the gaussian set's classes param allows.
constexpr int kMaxClasses = 10;

struct CustomData;  // data_csv.hpp: the rows of a custom set

// Defaults are the circles row of the table (the Coursera initialization notebook's
// setup); parse_data_config fills missing keys from the chosen set's own row instead.
struct DataConfig {
  std::string name = "circles";
  int train = 300, test = 100;  // number of rows; ignored by xor (always its 4 points)
  double noise = 0.05;          // meaning depends on the set (DatasetInfo::noise_doc)
  std::uint64_t seed = 1;       // 0 .. 2^32-1 (checked), exact in JavaScript numbers
  std::string normalize = "none";  // none | standardize | minmax
  int dim = 2;                  // input dimension; only the gaussian set reads it
  int classes = 2;              // number of classes, 2 .. 10; only the gaussian set reads it
  // The custom set's parsed CSV (data_csv.hpp); null for the other sets. Parsing fills
  // train, test, dim and classes from it.
  std::shared_ptr<const CustomData> custom;
};

struct Dataset {
  std::string name;
  Matrix x_train, x_test;  // (rows, input_dim), normalized as asked
  std::vector<int> y_train, y_test;  // class indices 0 .. num_classes-1
  int num_classes = 0;
  int input_dim = 0;
  bool is_2d = false;   // a decision boundary can be drawn on [-extent, extent]^2
  double extent = 0.0;  // in raw (unnormalized) input coordinates
  // The normalization fitted on the training rows: x_used = (x_raw - offset) / scale per
  // feature (offset 0, scale 1 for "none"). Apply it to decision-grid points with
  // normalize_inputs so the network sees them as it saw the data.
  std::string normalize = "none";
  std::vector<double> offset, scale;
  // A custom set's header names (or "column N") and class labels; empty for the others.
  std::vector<std::string> feature_names, class_names;
};

struct DatasetInfo {
  std::string name;
  std::string doc;          // one line for the page and the README
  int input_dim;            // 0: given by the dim param (gaussian)
  int num_classes;          // the number of classes (gaussian: the default of its param)
  int max_classes;          // > 0: the classes param chooses 2 .. max_classes (gaussian)
  bool is_2d;               // decision-boundary plots make sense
  double extent;            // plot on [-extent, extent]^2 (2-D sets; 0 otherwise)
  int rows;                 // real sets: rows available; 0 for synthetic sets
  bool fixed_size;          // xor: train and test are always its 4 points
  int default_train, default_test;
  bool uses_noise;
  double default_noise, max_noise;
  std::string noise_doc;    // what noise means for this set
  int default_dim;          // gaussian only
  std::string source;       // attribution and license for real sets; "" otherwise
  std::string default_loss;               // "bce" for 2 classes, "cross_entropy" above
  std::string default_output_activation;  // "sigmoid" for 2 classes, "softmax" above
};

// The table, one row per set, in the order the page lists them.
const std::vector<DatasetInfo>& datasets();
const DatasetInfo* find_dataset(const std::string& name);

// The params a set takes (train, test, noise, dim, classes, seed, normalize) with its own
// defaults and ranges: what parsing checks and what the schema shows. A param the set
// does not use (xor's sizes, noise of a noise-free set, dim and classes outside gaussian) is still
// type-checked, with loose bounds, but ignored; dataset_uses_param says which are read.
std::vector<ParamSpec> dataset_params(const DatasetInfo& info);
bool dataset_uses_param(const DatasetInfo& info, const std::string& param);

// Accepts a set name ("moons": its defaults) or an object with the keys name, train,
// test, noise, seed, normalize, dim, classes. Missing keys take the chosen set's defaults; unknown
// keys and out-of-range values are errors naming `path` (e.g. "data.train"), the value
// and what is allowed; for real sets train + test must fit in the rows they have (a
// missing test takes the default or, if less, the rows train leaves).
Status parse_data_config(const nlohmann::json& value, const std::string& path, DataConfig& out);
nlohmann::json data_config_to_json(const DataConfig& config);

// Builds the set. Validates `config` as parse_data_config does (errors name "data.*").
// Synthetic sets draw train and test from two separate streams of Rng(seed); real sets
// are shuffled with Rng(seed) and split, train first.
Status make_dataset(const DataConfig& config, Dataset& out);

// Applies the dataset's fitted normalization to raw inputs (e.g. decision-grid points).
Matrix normalize_inputs(const Dataset& data, const Matrix& raw);

// The rows of a real set (digits, iris) in file order, unshuffled and unnormalized.
Status real_dataset_rows(const std::string& name, Matrix& x, std::vector<int>& y);

// {"params": [name, seed, normalize], "datasets": [one object per table row]}.
nlohmann::json datasets_schema();

}  // namespace initscope
