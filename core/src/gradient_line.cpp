// Run::gradient_line: input gradients along a line of inputs (gradient_line.hpp), the
// shattered-gradients measurement of Balduzzi et al. 2017.
#include "initscope/gradient_line.hpp"

#include <algorithm>
#include <cmath>

#include "initscope/limits.hpp"
#include "initscope/rng.hpp"
#include "initscope/run.hpp"

namespace initscope {

double neighbour_correlation(const std::vector<double>& g) {
  const std::size_t n = g.size() - 1;  // pairs (g_i, g_{i+1})
  // Sums in double in index order (a raw loop: the order fixes the bits).
  double mx = 0, my = 0, scale = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += g[i];
    my += g[i + 1];
  }
  for (double v : g) scale = std::max(scale, std::fabs(v));
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = g[i] - mx, dy = g[i + 1] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  // Equal values computed in float may differ in their last bits (the product kernels sum
  // edge rows in another order): spread below float's rounding counts as none.
  const double floor2 = static_cast<double>(n) * (1e-6 * scale) * (1e-6 * scale);
  const bool flat_x = sxx <= floor2, flat_y = syy <= floor2;
  if (flat_x || flat_y) return flat_x && flat_y ? 1.0 : 0.0;
  return sxy / std::sqrt(sxx * syy);
}

nlohmann::json gradient_line_to_json(const GradientLine& line) {
  return {{"axis", line.axis},
          {"centre", line.centre},
          {"positions", line.positions},
          {"correlation", line.correlation},
          {"gradients", line.gradients}};
}

double Run::gradient_line_bytes(int points) const {
  const double rows = std::max<double>(0.0, points - static_cast<double>(std::max(batch_rows_, probe_rows_)));
  double units = 0, widest = 0;
  for (std::size_t l = 0; l < net_.num_layers(); ++l) {
    units += static_cast<double>(net_.layer(l).fan_out);
    widest = std::max(widest, static_cast<double>(net_.layer(l).fan_out));
  }
  // As estimate_run_bytes counts the caches, plus the line and its gradients.
  return 4.0 * rows * (4 * units + widest + 2.0 * static_cast<double>(net_.input_dim()));
}

Status Run::gradient_line(const GradientLineOptions& options, GradientLine& out) {
  if (auto e = check_param(limit("gradientPoints"), options.points, "points")) return e;
  if (auto e = check_param(limit("gradientAxis"), options.axis, "axis")) return e;
  if (auto e = check_param(limit("gradientSeed"), options.seed, "seed")) return e;
  const Matrix& x = data_.x_train;
  const std::size_t n = x.shape()[0], dim = x.shape()[1];
  const std::size_t k = static_cast<std::size_t>(options.points);
  if (options.axis >= 0 && static_cast<std::size_t>(options.axis) >= dim)
    return make_error("axis", std::to_string(options.axis) + " is not allowed; expected -1 or a column 0 .. " +
                                  std::to_string(dim - 1) + " of the " + std::to_string(dim) + " inputs");
  // The centre, and each column's smallest and largest training value (raw loops over the
  // rows in order: the sums fix the bits).
  std::vector<double> centre(dim, 0.0), lo(dim, INFINITY), hi(dim, -INFINITY);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < dim; ++c) {
      const double v = x(r, c);
      centre[c] += v;
      lo[c] = std::min(lo[c], v);
      hi[c] = std::max(hi[c], v);
    }
  for (double& c : centre) c /= static_cast<double>(std::max<std::size_t>(1, n));
  std::size_t axis = 0;
  if (options.axis >= 0) {
    axis = static_cast<std::size_t>(options.axis);
  } else {
    while (axis < dim && !(hi[axis] > lo[axis])) ++axis;
    if (axis == dim)
      return make_error("data", "every input column holds one value on the training rows; a line needs one that varies");
  }
  if (!(hi[axis] > lo[axis]))
    return make_error("axis", std::to_string(axis) + " is not allowed: that input column holds one value on the training rows; expected one that varies");

  out = GradientLine{};
  out.axis = axis;
  out.centre = centre;
  Matrix line = Matrix::from_shape({k, dim});
  for (std::size_t i = 0; i < k; ++i) {
    const double v = lo[axis] + (hi[axis] - lo[axis]) * static_cast<double>(i) / static_cast<double>(k - 1);
    out.positions.push_back(v - centre[axis]);
    for (std::size_t c = 0; c < dim; ++c) line(i, c) = static_cast<float>(centre[c]);
    line(i, axis) = static_cast<float>(v);
  }

  // One forward of the line as a batch, then per layer a backward from u_l in every row.
  net_.forward(matrix_view<const float>(line.data(), k, dim));
  std::size_t widest = 0;
  for (std::size_t l = 0; l < net_.num_layers(); ++l) widest = std::max(widest, net_.layer(l).fan_out);
  std::vector<float> grad(k * widest);
  for (std::size_t l = 0; l < net_.num_layers(); ++l) {
    const std::size_t units = net_.layer(l).fan_out;
    Rng rng(static_cast<std::uint64_t>(options.seed), l + 1);
    std::vector<double> u(units);
    double norm2 = 0;
    for (double& v : u) {
      v = rng.normal();
      norm2 += v * v;
    }
    const double scale = norm2 > 0 ? 1.0 / std::sqrt(norm2) : 0.0;
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < units; ++j) grad[i * units + j] = static_cast<float>(u[j] * scale);
    net_.backward_from(l, matrix_view<const float>(grad.data(), k, units));
    const MatrixView<const float> dx = net_.input_grad();
    std::vector<double> g(k);
    for (std::size_t i = 0; i < k; ++i) g[i] = dx(i, axis);
    out.correlation.push_back(neighbour_correlation(g));
    out.gradients.push_back(std::move(g));
  }
  // The caches and gradients back to the probe batch's, as snapshot() leaves them.
  probe_pass();
  return std::nullopt;
}

}  // namespace initscope
