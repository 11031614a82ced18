// Building a Dataset from a DataConfig: xor, the synthetic generators, the real tables
// with a seeded shuffle and split, and input normalization fitted on the training rows.
#include <algorithm>
#include <cmath>
#include <utility>

#include "data_sources.hpp"
#include "data_synthetic.hpp"
#include "initscope/data.hpp"
#include "initscope/data_csv.hpp"
#include "initscope/rng.hpp"

namespace initscope {

namespace {

// The data's own streams of Rng(seed), far from the small stream numbers other pieces
// use per layer, so data.seed == init seed does not correlate data and weights.
constexpr std::uint64_t kTrainStream = 0xda7a0001;
constexpr std::uint64_t kTestStream = 0xda7a0002;
constexpr std::uint64_t kShuffleStream = 0xda7a0003;

void xor_points(Matrix& x, std::vector<int>& y) {
  x = Matrix::from_shape({4, 2});
  const float pts[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t k = 0; k < 2; ++k) x(i, k) = pts[i][k];
  y = {0, 1, 1, 0};
}

int digit_pixel(char c) {
  if (c == '.') return 0;
  if (c >= '1' && c <= '9') return c - '0';
  return 10 + (c - 'A');  // 'A'..'G'
}

// Rows `order[first .. first+count)` of (x, y).
void take_rows(const Matrix& x, const std::vector<int>& y, const std::vector<std::size_t>& order,
               std::size_t first, std::size_t count, Matrix& x_out, std::vector<int>& y_out) {
  std::size_t cols = x.shape()[1];
  x_out = Matrix::from_shape({count, cols});
  y_out.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t src = order[first + i];
    for (std::size_t k = 0; k < cols; ++k) x_out(i, k) = x(src, k);
    y_out[i] = y[src];
  }
}

// Per feature: offset and scale so that (x - offset) / scale is standardized (population
// std, as scikit-learn's StandardScaler) or in [0, 1] (MinMaxScaler). A constant feature
// gets scale 1, as scikit-learn does: it is centred (0) without a division by zero.
void fit_normalization(const Matrix& x, const std::string& how, std::vector<double>& offset,
                       std::vector<double>& scale) {
  std::size_t rows = x.shape()[0], cols = x.shape()[1];
  offset.assign(cols, 0.0);
  scale.assign(cols, 1.0);
  if (how == "none" || rows == 0) return;
  for (std::size_t k = 0; k < cols; ++k) {
    if (how == "standardize") {
      double sum = 0.0;
      for (std::size_t i = 0; i < rows; ++i) sum += x(i, k);
      double mean = sum / rows;
      double sq = 0.0;
      for (std::size_t i = 0; i < rows; ++i) sq += (x(i, k) - mean) * (x(i, k) - mean);
      double sd = std::sqrt(sq / rows);
      offset[k] = mean;
      scale[k] = sd > 0.0 ? sd : 1.0;
    } else {  // minmax
      double lo = x(0, k), hi = x(0, k);
      for (std::size_t i = 1; i < rows; ++i) {
        lo = std::min(lo, static_cast<double>(x(i, k)));
        hi = std::max(hi, static_cast<double>(x(i, k)));
      }
      offset[k] = lo;
      scale[k] = hi > lo ? hi - lo : 1.0;
    }
  }
}

void apply_normalization(const std::vector<double>& offset, const std::vector<double>& scale,
                         Matrix& x) {
  std::size_t rows = x.shape()[0], cols = x.shape()[1];
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t k = 0; k < cols && k < offset.size(); ++k)
      x(i, k) = static_cast<float>((x(i, k) - offset[k]) / scale[k]);
}

}  // namespace

Status real_dataset_rows(const std::string& name, Matrix& x, std::vector<int>& y) {
  if (name == "digits") {
    using sources::kDigitsCols;
    using sources::kDigitsRows;
    x = Matrix::from_shape({kDigitsRows, kDigitsCols});
    y.resize(kDigitsRows);
    for (int i = 0; i < kDigitsRows; ++i) {
      for (int k = 0; k < kDigitsCols; ++k) {
        const int row = k / 8, column = k % 8;
        x(i, k) = static_cast<float>(digit_pixel(sources::kDigitsPixels[(column * kDigitsRows + i) * 8 + row]));
      }
      y[i] = sources::kDigitsLabels[i] - '0';
    }
    return std::nullopt;
  }
  if (name == "iris") {
    using sources::kIrisCols;
    using sources::kIrisRows;
    x = Matrix::from_shape({kIrisRows, kIrisCols});
    y.resize(kIrisRows);
    for (int i = 0; i < kIrisRows; ++i) {
      for (int k = 0; k < kIrisCols; ++k) x(i, k) = sources::kIrisFeatures[i][k];
      y[i] = sources::kIrisLabels[i];
    }
    return std::nullopt;
  }
  return make_error("name", show_value(name) + " is not allowed; expected one of digits, iris");
}

Status make_dataset(const DataConfig& config, Dataset& out) {
  DataConfig c = config;  // a custom set was checked when its csv was parsed
  if (!config.custom)
    if (auto e = parse_data_config(data_config_to_json(config), "data", c)) return e;
  const DatasetInfo& info = *find_dataset(c.name);

  Dataset d;
  d.name = c.name;
  d.num_classes = info.max_classes > 0 ? c.classes : info.num_classes;
  d.input_dim = info.input_dim == 0 ? c.dim : info.input_dim;
  d.is_2d = info.is_2d;
  d.extent = info.extent;
  d.normalize = c.normalize;

  if (c.custom) {  // custom: the csv's rows (data_csv.cpp)
    d.is_2d = c.custom->is_2d;
    d.extent = c.custom->plot_extent;
    d.feature_names = c.custom->feature_names;
    d.class_names = c.custom->class_names;
    split_custom_data(*c.custom, c.seed, d.x_train, d.y_train, d.x_test, d.y_test);
  } else if (info.fixed_size) {  // xor
    xor_points(d.x_train, d.y_train);
    xor_points(d.x_test, d.y_test);
  } else if (info.rows > 0) {
    Matrix x;
    std::vector<int> y;
    if (auto e = real_dataset_rows(c.name, x, y)) return e;
    std::vector<std::size_t> order(y.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    Rng rng(c.seed, kShuffleStream);
    for (std::size_t i = order.size() - 1; i > 0; --i)
      std::swap(order[i], order[rng.below(static_cast<std::uint32_t>(i + 1))]);
    take_rows(x, y, order, 0, c.train, d.x_train, d.y_train);
    take_rows(x, y, order, c.train, c.test, d.x_test, d.y_test);
  } else {
    Rng train_rng(c.seed, kTrainStream), test_rng(c.seed, kTestStream);
    if (!synthetic::generate(c.name, c.train, c.noise, d.input_dim, d.num_classes, train_rng,
                             d.x_train, d.y_train) ||
        !synthetic::generate(c.name, c.test, c.noise, d.input_dim, d.num_classes, test_rng,
                             d.x_test, d.y_test))
      return make_error("data.name", show_value(c.name) + " has no generator");
  }

  fit_normalization(d.x_train, c.normalize, d.offset, d.scale);
  apply_normalization(d.offset, d.scale, d.x_train);
  apply_normalization(d.offset, d.scale, d.x_test);
  out = std::move(d);
  return std::nullopt;
}

Matrix normalize_inputs(const Dataset& data, const Matrix& raw) {
  Matrix x = raw;
  apply_normalization(data.offset, data.scale, x);
  return x;
}

}  // namespace initscope
