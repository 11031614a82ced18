// The data-set table and the config side: parsing with field-path errors, JSON out, and
// the schema the page builds its controls from. Generation lives in data_make.cpp.
#include "initscope/data.hpp"

#include <algorithm>
#include <limits>

#include "initscope/data_csv.hpp"

namespace initscope {

namespace {

constexpr int kMaxRows = 4096;
constexpr int kMaxDim = 1024;
// 32 bits are plenty of seeds, survive JavaScript numbers exactly and read well in
// messages (describe_allowed prints 10 significant digits).
constexpr double kMaxSeed = 4294967295.0;

DatasetInfo row(std::string name, std::string doc, int input_dim, int num_classes, bool is_2d,
                double extent) {
  DatasetInfo r;
  r.name = std::move(name);
  r.doc = std::move(doc);
  r.input_dim = input_dim;
  r.num_classes = num_classes;
  r.max_classes = 0;
  r.is_2d = is_2d;
  r.extent = extent;
  r.rows = 0;
  r.fixed_size = false;
  r.default_train = 300;
  r.default_test = 100;
  r.uses_noise = false;
  r.default_noise = 0.0;
  r.max_noise = 0.0;
  r.default_dim = input_dim;
  r.default_loss = num_classes == 2 ? "bce" : "cross_entropy";
  r.default_output_activation = num_classes == 2 ? "sigmoid" : "softmax";
  return r;
}

DatasetInfo with_noise(DatasetInfo r, double def, double max, std::string doc) {
  r.uses_noise = true;
  r.default_noise = def;
  r.max_noise = max;
  r.noise_doc = std::move(doc);
  return r;
}

DatasetInfo with_sizes(DatasetInfo r, int train, int test) {
  r.default_train = train;
  r.default_test = test;
  return r;
}

std::vector<DatasetInfo> make_table() {
  std::vector<DatasetInfo> t;

  DatasetInfo x = row("xor",
                      "The 4 points (0,0), (0,1), (1,0), (1,1) with targets 0, 1, 1, 0 (the Keras "
                      "XOR example); train and test are both these 4 points, whatever the sizes "
                      "say.",
                      2, 2, true, 1.5);
  x.fixed_size = true;
  t.push_back(with_sizes(x, 4, 4));

  t.push_back(with_noise(
      row("circles",
          "scikit-learn's make_circles: outer circle of radius 1 (label 0) and inner circle of "
          "radius 0.8 (label 1), evenly spaced angles, shuffled, Gaussian noise. The Coursera "
          "initialization notebook uses 300 train and 100 test points at noise 0.05, drawn "
          "there from numpy's stream, which we do not reproduce: same distribution, other "
          "points.",
          2, 2, true, 1.5),
      0.05, 1.0, "standard deviation of the Gaussian noise added to each coordinate"));

  t.push_back(with_noise(
      row("moons",
          "scikit-learn's make_moons: two interleaving half circles, the upper one (label 0) "
          "from (1,0) over (0,1) to (-1,0), the lower one (label 1) from (0,0.5) under "
          "(1,-0.5) to (2,0.5); evenly spaced, shuffled, Gaussian noise.",
          2, 2, true, 2.5),
      0.1, 1.0, "standard deviation of the Gaussian noise added to each coordinate"));

  t.push_back(with_noise(
      row("spiral",
          "Two interleaved spiral arms of 1.75 turns, radius 0 to 5 (TensorFlow Playground's "
          "spiral): label 1 for the arm starting at angle 0, label 0 for the arm turned by pi.",
          2, 2, true, 6.0),
      0.0, 1.0,
      "each coordinate moves by a uniform amount in [-noise, noise] (the playground's noise, "
      "whose slider goes to 0.5)"));

  t.push_back(with_noise(
      row("gaussians",
          "Two Gaussian blobs, around (-2,-2) (label 0) and (2,2) (label 1), half the points "
          "each (TensorFlow Playground's two-Gaussian set).",
          2, 2, true, 6.0),
      1.0, 3.0,
      "standard deviation of each coordinate (the playground's variance 0.5 to 4 is a "
      "standard deviation of 0.71 to 2)"));

  t.push_back(with_noise(
      row("quadrants",
          "XOR-like quadrants: uniform on [-5,5]^2, label 1 where x*y >= 0 and 0 elsewhere "
          "(TensorFlow Playground's xor, without its 0.3 gap along the axes).",
          2, 2, true, 5.0),
      0.0, 1.0,
      "label noise: each label is taken at the point shifted by a uniform amount in "
      "[-5 noise, 5 noise] per coordinate, so points near the axes may carry the other "
      "label (the playground's noise)"));

  t.push_back(with_noise(
      row("linear",
          "Linearly separable classes: uniform on [-5,5]^2, label 1 where x + y > 0; noise then "
          "moves the points, so the classes overlap near the line.",
          2, 2, true, 6.0),
      0.5, 3.0,
      "standard deviation of the Gaussian noise added to each coordinate after labelling"));

  DatasetInfo g = row("gaussian",
                      "Pure N(0, 1) input of dimension dim for signal-propagation runs (CS231n's "
                      "activation statistics use 1000 rows of dimension 500); the labels are "
                      "drawn uniformly from `classes` classes (2 by default: coin flips), so "
                      "there is nothing to learn.",
                      0, 2, false, 0.0);
  g.default_dim = 500;
  g.max_classes = kMaxClasses;
  t.push_back(with_sizes(g, 1000, 0));

  DatasetInfo d = row("digits",
                      "8x8 handwritten digits: 1797 images of 64 pixels 0..16, 10 classes; "
                      "shuffled with the seed and split, train first.",
                      64, 10, false, 0.0);
  d.rows = 1797;
  d.source =
      "UCI Machine Learning Repository, \"Optical Recognition of Handwritten Digits\", "
      "E. Alpaydin and C. Kaynak, 1998, https://archive.ics.uci.edu/dataset/80, CC BY 4.0; "
      "copied from scikit-learn's sklearn/datasets/data/digits.csv.gz";
  t.push_back(with_sizes(d, 1500, 297));

  DatasetInfo i = row("iris",
                      "Fisher's iris: 150 flowers, 4 features in cm (sepal length and width, "
                      "petal length and width), 3 classes (setosa, versicolor, virginica); "
                      "shuffled with the seed and split, train first.",
                      4, 3, false, 0.0);
  i.rows = 150;
  i.source =
      "UCI Machine Learning Repository, \"Iris\", R. A. Fisher, 1936, "
      "https://archive.ics.uci.edu/dataset/53, CC BY 4.0; copied from scikit-learn's "
      "sklearn/datasets/data/iris.csv";
  t.push_back(with_sizes(i, 120, 30));
  t.push_back(custom_dataset_row());  // data_csv.cpp
  return t;
}


ParamSpec name_spec() {
  return choice_param("name", names_of(datasets()), DataConfig{}.name, "which data set");
}


}  // namespace

const std::vector<DatasetInfo>& datasets() {
  static const std::vector<DatasetInfo> table = make_table();
  return table;
}

const DatasetInfo* find_dataset(const std::string& name) { return find_by_name(datasets(), name); }

bool dataset_uses_param(const DatasetInfo& info, const std::string& param) {
  if (info.name == kCustomDataName) return true;  // its own params (data_csv.cpp)
  if (param == "train" || param == "test") return !info.fixed_size;
  if (param == "noise") return info.uses_noise;
  if (param == "dim") return info.input_dim == 0;
  if (param == "classes") return info.max_classes > 0;
  return param == "seed" || param == "normalize";
}

std::vector<ParamSpec> dataset_params(const DatasetInfo& info) {
  if (info.name == kCustomDataName) return custom_data_params();
  const double inf = std::numeric_limits<double>::infinity();
  int max_train = info.rows > 0 ? std::min(info.rows, kMaxRows) : kMaxRows;
  int max_test = info.rows > 0 ? std::min(info.rows, kMaxRows) : kMaxRows;
  std::vector<ParamSpec> specs;
  specs.push_back(integer_param("train", info.default_train, 1, max_train,
                                info.fixed_size ? "ignored: xor always trains on its 4 points"
                                                : "number of training rows"));
  specs.push_back(integer_param("test", info.default_test, 0, max_test,
                                info.fixed_size ? "ignored: xor always tests on its 4 points"
                                                : "number of test rows"));
  if (info.uses_noise)
    specs.push_back(number_param("noise", info.default_noise, 0, info.max_noise, info.noise_doc));
  else
    specs.push_back(number_param("noise", 0, 0, inf, "ignored: " + info.name + " has no noise"));
  if (info.input_dim == 0)
    specs.push_back(integer_param("dim", info.default_dim, 1, kMaxDim, "input dimension"));
  else
    specs.push_back(integer_param("dim", info.default_dim, 1, kMaxDim,
                                  "ignored: " + info.name + " has input dimension " +
                                      std::to_string(info.input_dim)));
  if (info.max_classes > 0)
    specs.push_back(integer_param("classes", info.num_classes, 2, info.max_classes,
                                  "number of classes the labels are drawn from, uniformly"));
  else
    specs.push_back(integer_param("classes", std::min(std::max(info.num_classes, 2), kMaxClasses),
                                  2, kMaxClasses,
                                  "ignored: " + info.name + " has " +
                                      std::to_string(info.num_classes) + " classes"));
  ParamSpec seed = number_param("seed", 1, 0, kMaxSeed,
                                "seed of the data's own random streams (generation, shuffle)");
  seed.kind = ParamKind::integer;
  specs.push_back(seed);
  specs.push_back(choice_param("normalize", {"none", "standardize", "minmax"}, "none",
                               "input normalization, fitted on the training rows: standardize "
                               "to mean 0 and std 1, or min-max to [0, 1]"));
  return specs;
}

Status parse_data_config(const nlohmann::json& value, const std::string& path, DataConfig& out) {
  // A bare name stands for that set with its defaults, and so does an object without one.
  const NamedSpelling spelling{names_of(datasets()), "a data set name or an object", "",
                               DataConfig{}.name};
  std::string name;
  nlohmann::json obj;
  if (auto e = parse_named(value, path, spelling, name, obj)) return e;
  if (name == kCustomDataName) return parse_custom_data(obj, path, out);  // data_csv.cpp
  const DatasetInfo& info = *find_dataset(name);

  Params p;
  if (auto e = parse_params(obj, dataset_params(info), path, {"name"}, p)) return e;
  DataConfig c;
  c.name = name;
  c.train = static_cast<int>(p.number("train"));
  c.test = static_cast<int>(p.number("test"));
  c.noise = p.number("noise");
  c.dim = static_cast<int>(p.number("dim"));
  c.classes = static_cast<int>(p.number("classes"));
  c.seed = static_cast<std::uint64_t>(p.number("seed"));
  c.normalize = p.choice("normalize");

  // A real set's default test size shrinks to what the given train size leaves.
  if (info.rows > 0 && !obj.contains("test")) c.test = std::min(c.test, info.rows - c.train);
  if (info.rows > 0 && c.train + c.test > info.rows) {
    int max_test = info.rows - c.train;
    return make_error(field_path(path, "test"),
                      std::to_string(c.test) + " is not allowed; " + name + " has " +
                          std::to_string(info.rows) + " rows, so with train " +
                          std::to_string(c.train) + " test is at most " +
                          std::to_string(max_test));
  }
  out = c;
  return std::nullopt;
}

nlohmann::json data_config_to_json(const DataConfig& config) {
  if (config.name == kCustomDataName)  // without its rows: parsing then asks for the csv
    return config.custom ? custom_data_to_json(config) : nlohmann::json{{"name", config.name}};
  nlohmann::json j;
  j["name"] = config.name;
  const DatasetInfo* info = find_dataset(config.name);
  // Keys the set ignores are left out, so the JSON says only what matters; an unknown
  // name keeps every key (make_dataset then reports the name).
  auto uses = [&](const char* key) { return !info || dataset_uses_param(*info, key); };
  if (uses("train")) j["train"] = config.train;
  if (uses("test")) j["test"] = config.test;
  if (uses("noise")) j["noise"] = config.noise;
  if (uses("dim")) j["dim"] = config.dim;
  if (uses("classes")) j["classes"] = config.classes;
  j["seed"] = config.seed;
  j["normalize"] = config.normalize;
  return j;
}

nlohmann::json datasets_schema() {
  nlohmann::json sets = nlohmann::json::array();
  for (const auto& r : datasets()) {
    nlohmann::json s;
    s["name"] = r.name;
    s["doc"] = r.doc;
    s["inputDim"] = r.name == kCustomDataName ? nlohmann::json("csv")  // the CSV's columns
                    : r.input_dim == 0           ? nlohmann::json("dim")
                                                 : nlohmann::json(r.input_dim);
    s["numClasses"] = r.num_classes;
    s["is2d"] = r.is_2d;
    s["extent"] = r.is_2d ? nlohmann::json(r.extent) : nlohmann::json(nullptr);
    s["rows"] = r.rows > 0 ? nlohmann::json(r.rows) : nlohmann::json(nullptr);
    s["fixedSize"] = r.fixed_size;
    s["source"] = r.source.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.source);
    s["defaultLoss"] = r.default_loss;
    s["defaultOutputActivation"] = r.default_output_activation;
    nlohmann::json params = nlohmann::json::array();
    for (const auto& spec : dataset_params(r))
      if (dataset_uses_param(r, spec.name)) params.push_back(param_schema(spec));
    s["params"] = params;
    s["limits"] = r.name == kCustomDataName ? params_schema(custom_data_limits()) : nlohmann::json(nullptr);
    sets.push_back(s);
  }
  return {{"params", nlohmann::json::array({param_schema(name_spec())})}, {"datasets", sets}};
}

}  // namespace initscope
