// The input-output Jacobian's spectrum (Pennington, Schoenholz & Ganguli 2017, "Resurrecting
// the sigmoid in deep learning through dynamical isometry"): how the hidden stack stretches
// and shrinks small changes of its input, direction by direction.
#pragma once
#include <cstddef>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

namespace initscope {

// What Run::jacobian_spectrum takes; limits rows jacobianProbes, jacobianBins.
struct JacobianOptions {
  int probes = 8;  // the first `probes` training rows
  int bins = 30;   // of the histogram of log10 σ
};

// As the paper defines it, through the hidden stack: J = ∂a_{H−1} / ∂z_0, the output of the
// last hidden layer (layer H − 1; the output layer, a readout, is not part of it) with
// respect to the first layer's pre-activation z_0 = x·W_0 + b_0, at a probe input x. The
// paper's input already has the stack's width and its scale q*; here the first dense layer
// maps the data there, so J starts after its weights: for dense layers
// J = D_{H−1} W_{H−1}ᵀ ⋯ D_1 W_1ᵀ D_0 with D_l = diag φ'(z_l), a (units, first units)
// matrix. Its singular values σ (min of the two per probe) are computed in double from the
// float backward pass (svd.hpp). Dynamical isometry: every σ near 1.
struct JacobianSpectrum {
  std::size_t layers = 0;       // H − 1, the weight matrices J crosses (W_1 .. W_{H−1})
  std::size_t units = 0;        // rows of J: the last hidden layer's width
  std::size_t first_units = 0;  // columns of J: the first layer's width
  std::vector<std::vector<double>> singular_values;  // per probe, largest first
  // Over every probe's σ together: chi = mean σ² (about the paper's χ^L, L = layers, when
  // every layer has the same χ), chi_per_layer = chi^(1/layers) (none for one hidden
  // layer), variance = the variance of σ² (the spread the paper follows with depth), the
  // smallest and largest σ.
  double chi = 0, variance = 0, min = 0, max = 0;
  std::optional<double> chi_per_layer;
  // Histogram of log10 σ on [log_lo, log_hi] in equal bins: log_lo = min(−1, floor(log10
  // of the smallest σ counted)), log_hi = max(1, ceil(log10 of the largest)); a σ below
  // kZeroSigma is counted in `zeros` instead.
  double log_lo = 0, log_hi = 0;
  std::vector<long> counts;
  long zeros = 0;
  static constexpr double kZeroSigma = 1e-12;
};

// Mean, variance, extremes and histogram of a set of per-probe singular values (the
// fields after `singular_values`).
void summarize_spectrum(JacobianSpectrum& spectrum, int bins);

nlohmann::json jacobian_spectrum_to_json(const JacobianSpectrum& spectrum);

}  // namespace initscope
