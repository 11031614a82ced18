// PyTorch's calculate_gain (reference §1.4).
#include <algorithm>
#include <cmath>

#include "initscope/init.hpp"

namespace initscope {

const std::vector<std::string>& gain_nonlinearities() {
  static const std::vector<std::string> names = {
      "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
      "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"};
  return names;
}

Status calculate_gain(const std::string& nonlinearity, std::optional<double> param, double& gain) {
  const auto& names = gain_nonlinearities();
  if (std::find(names.begin(), names.end(), nonlinearity) == names.end())
    return make_error("nonlinearity", "unsupported nonlinearity " +
                                          show_value(nlohmann::json(nonlinearity)) +
                                          "; allowed: " + join(names));
  if (nonlinearity == "tanh") {
    gain = 5.0 / 3;
  } else if (nonlinearity == "relu") {
    gain = std::sqrt(2.0);
  } else if (nonlinearity == "leaky_relu") {
    double slope = param.value_or(0.01);
    if (!std::isfinite(slope))
      return make_error("param", std::string("negative_slope ") +
                                     (std::isnan(slope) ? "nan" : slope > 0 ? "inf" : "-inf") +
                                     " is not allowed; expected a finite number");
    gain = std::sqrt(2.0 / (1 + slope * slope));
  } else if (nonlinearity == "selu") {
    gain = 3.0 / 4;  // PyTorch's empirical value (PR #50664)
  } else {
    gain = 1.0;  // linear, conv*, sigmoid
  }
  return std::nullopt;
}

}  // namespace initscope
