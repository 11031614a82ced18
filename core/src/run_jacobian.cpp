// Run::jacobian_spectrum: the input-output Jacobian's singular values on probe inputs
// (jacobian.hpp), each Jacobian assembled by backward passes of the network itself.
#include "initscope/jacobian.hpp"

#include <algorithm>
#include <cmath>

#include "initscope/limits.hpp"
#include "initscope/run.hpp"
#include "initscope/svd.hpp"

namespace initscope {

void summarize_spectrum(JacobianSpectrum& s, int bins) {
  // Sums in double in probe and index order (raw loops: the order fixes the bits).
  double count = 0, sum2 = 0, sum4 = 0;
  s.min = INFINITY;
  s.max = 0;
  double smallest_counted = INFINITY;
  for (const auto& probe : s.singular_values)
    for (double v : probe) {
      count += 1;
      sum2 += v * v;
      sum4 += v * v * v * v;
      s.min = std::min(s.min, v);
      s.max = std::max(s.max, v);
      if (v >= JacobianSpectrum::kZeroSigma) smallest_counted = std::min(smallest_counted, v);
    }
  if (count == 0) s.min = 0;
  s.chi = count > 0 ? sum2 / count : 0;
  s.variance = count > 0 ? std::max(0.0, sum4 / count - s.chi * s.chi) : 0;
  s.chi_per_layer.reset();
  if (s.layers > 0) s.chi_per_layer = std::pow(s.chi, 1.0 / static_cast<double>(s.layers));
  s.log_lo = -1;
  s.log_hi = 1;
  if (std::isfinite(smallest_counted)) {
    s.log_lo = std::min(s.log_lo, std::floor(std::log10(smallest_counted)));
    s.log_hi = std::max(s.log_hi, std::ceil(std::log10(s.max)));
  }
  s.counts.assign(static_cast<std::size_t>(bins), 0);
  s.zeros = 0;
  const double width = (s.log_hi - s.log_lo) / bins;
  for (const auto& probe : s.singular_values)
    for (double v : probe) {
      if (v < JacobianSpectrum::kZeroSigma) {
        ++s.zeros;
        continue;
      }
      const double bin = std::floor((std::log10(v) - s.log_lo) / width);
      s.counts[static_cast<std::size_t>(std::clamp(bin, 0.0, bins - 1.0))] += 1;
    }
}

nlohmann::json jacobian_spectrum_to_json(const JacobianSpectrum& s) {
  return {{"layers", s.layers},
          {"units", s.units},
          {"firstUnits", s.first_units},
          {"singularValues", s.singular_values},
          {"chi", s.chi},
          {"chiPerLayer", s.chi_per_layer ? nlohmann::json(*s.chi_per_layer) : nlohmann::json(nullptr)},
          {"variance", s.variance},
          {"min", s.min},
          {"max", s.max},
          {"histogram", {{"logLo", s.log_lo}, {"logHi", s.log_hi}, {"counts", s.counts}, {"zeros", s.zeros}}}};
}

Status Run::jacobian_spectrum(const JacobianOptions& options, JacobianSpectrum& out) {
  if (auto e = check_param(limit("jacobianProbes"), options.probes, "probes")) return e;
  if (auto e = check_param(limit("jacobianBins"), options.bins, "bins")) return e;
  const std::size_t num_layers = net_.num_layers();
  // The config holds a hidden layer before the output layer; a Run never has fewer.
  if (num_layers < 2) return make_error("layers", "the Jacobian runs through the hidden layers; expected at least one");
  if (config_.layers[0].kind != "dense")
    return make_error("layers[0].kind", "\"" + config_.layers[0].kind + "\": the Jacobian starts at the first layer's "
                                        "pre-activation, which only a dense first layer has; expected \"dense\"");
  if (net_.state_size() > 0)
    return make_error("layers", "the Jacobian's spectrum is not computed for a network with BatchNorm (in a "
                                "batch its statistics tie the rows together, so one input's Jacobian is "
                                "not defined by that input alone); expected dense, LayerNorm and residual layers");
  const std::size_t hidden = num_layers - 1, last = hidden - 1;
  const std::size_t units = net_.layer(last).fan_out, first = net_.layer(0).fan_out;
  const std::size_t dim = net_.input_dim();
  const double most = limit("jacobianUnits").max;
  if (static_cast<double>(std::max(units, first)) > most)
    return make_error("layers", "a Jacobian of " + std::to_string(units) + " by " + std::to_string(first) +
                                    " units is not computed; expected at most " + number_text(most) +
                                    " of each (the last hidden layer's width and the first layer's)");
  const Matrix& x = data_.x_train;
  const std::size_t probes = static_cast<std::size_t>(options.probes);
  if (probes > x.shape()[0])
    return make_error("probes", std::to_string(probes) + " is not allowed: the training set has " +
                                    std::to_string(x.shape()[0]) + " rows; expected at most that many probes");

  out = JacobianSpectrum{};
  out.layers = hidden - 1;
  out.units = units;
  out.first_units = first;
  // Row (p, j) of the work is probe p's input with the gradient e_j at the last hidden
  // layer: its gradient at the first layer's pre-activation, dz(0), is row j of that probe's J. In chunks of the rows the caches
  // already hold (a step's or the probe batch's), so nothing grows.
  const std::size_t total = probes * units;
  const std::size_t chunk = std::max<std::size_t>(1, std::max(batch_rows_, probe_rows_));
  std::vector<float> xs(chunk * dim), grad(chunk * units);
  std::vector<std::vector<double>> jac(probes, std::vector<double>(units * first));
  for (std::size_t start = 0; start < total; start += chunk) {
    const std::size_t rows = std::min(chunk, total - start);
    std::fill(grad.begin(), grad.end(), 0.0f);
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t p = (start + r) / units, j = (start + r) % units;
      std::copy_n(&x(p, 0), dim, &xs[r * dim]);
      grad[r * units + j] = 1.0f;
    }
    net_.forward(matrix_view<const float>(xs.data(), rows, dim));
    net_.backward_from(last, matrix_view<const float>(grad.data(), rows, units));
    const MatrixView<const float>& dz = net_.dz(0);
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t p = (start + r) / units, j = (start + r) % units;
      for (std::size_t c = 0; c < first; ++c) jac[p][j * first + c] = dz(r, c);
    }
  }
  // The caches and gradients back to the probe batch's, as snapshot() leaves them.
  probe_pass();
  for (std::size_t p = 0; p < probes; ++p)
    if (!std::all_of(jac[p].begin(), jac[p].end(), [](double v) { return std::isfinite(v); }))
      return make_error("layers", "the Jacobian at training row " + std::to_string(p) +
                                      " holds NaN or Inf at these weights; expected finite activations and derivatives");
  for (const auto& j : jac) out.singular_values.push_back(singular_values(j, units, first));
  summarize_spectrum(out, options.bins);
  return std::nullopt;
}

}  // namespace initscope
