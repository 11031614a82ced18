// The shattered-gradients view (Balduzzi et al. 2017): input gradients along a line of
// nearby inputs, layer by layer, and how alike neighbouring points' gradients are.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace initscope {

// What Run::gradient_line takes; limits rows gradientPoints, gradientAxis, gradientSeed.
struct GradientLineOptions {
  int points = 256;  // K points on the line
  int axis = -1;     // the input column the line runs along; -1: the first that varies
  int seed = 0;      // of the per-layer projections
};

// One line x_i = c + t_i·e_axis (i = 0 .. K−1) in the network's input coordinates (after
// the data's normalization): c the mean of the training rows, t_i evenly spaced from the
// smallest to the largest training value of that column minus c's. Per layer l,
// s_l(x) = u_l · a_l(x) with u_l a unit-norm Gaussian vector drawn from Rng(seed, l + 1),
// and g_l(x_i) = ∂s_l/∂x_axis at x_i (the derivative along the line).
struct GradientLine {
  std::size_t axis = 0;
  std::vector<double> centre;     // c (input_dim)
  std::vector<double> positions;  // t_i (K), relative to c along the axis
  // Per layer: the Pearson correlation of (g_l(x_i), g_l(x_{i+1})) over i = 0 .. K−2 (a
  // constant sequence, to float rounding, correlates 1 with a constant one and 0 with
  // another), and g_l at every point.
  std::vector<double> correlation;
  std::vector<std::vector<double>> gradients;
};

// The lag-one correlation above, of a sequence of at least 3 values.
double neighbour_correlation(const std::vector<double>& g);

nlohmann::json gradient_line_to_json(const GradientLine& line);

}  // namespace initscope
