// Per-layer statistics: the numbers the page draws. Accumulated in double over float data.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/activation.hpp"
#include "initscope/tensor.hpp"

namespace initscope {

// A fixed-bin histogram over [lo, hi); values outside are counted in underflow/overflow
// so that ranges stay fixed (and comparable) across steps.
struct Histogram {
  double lo = -1, hi = 1;
  std::vector<double> counts;
  double underflow = 0, overflow = 0;
};

struct Summary {
  double mean = 0, std = 0, min = 0, max = 0;
  double rms = 0;  // √E[x²], what the variance-propagation theory predicts
  double norm = 0;  // √Σx², the Frobenius norm (dL/dW: the layer's gradient norm)
  std::size_t count = 0;
  std::size_t nonfinite = 0;  // NaN or ±Inf values (excluded from the moments)
  Histogram histogram;
};

struct Range {
  double lo = -1, hi = 1;
};

// Moments and a histogram of every value of a tensor over `range` with `bins` bins.
Summary summarize(MatrixView<const float> values, Range range, int bins);

// The smallest of 1, 2, 5 × 10^k that is ≥ x (x > 0); for histogram ranges.
double nice_ceiling(double x);

// A range that suits the values: the activation's own bounds where it has them
// (tanh [-1,1], sigmoid and softmax [0,1]), else ±nice_ceiling(max |x|), or [0, ..] for
// values that are never negative (relu outputs).
Range activation_range(const ActivationSpec& activation, MatrixView<const float> a);
Range symmetric_range(MatrixView<const float> values);

// Fraction of (example, unit) entries of a (rows, units) in the flat region of a
// saturating activation: tanh |a| > 0.99, sigmoid a < 0.01 or a > 0.99. Zero for other
// activations.
double saturated_fraction(const ActivationSpec& activation, MatrixView<const float> a);
// Fraction of units (columns of a) that output exactly zero on every example (relu).
double dead_fraction(const ActivationSpec& activation, MatrixView<const float> a);
// Units whose incoming weights and bias are bit-for-bit equal count once: 1 under zero
// init shows that symmetry is not broken. w is (fan_in, fan_out), b is (fan_out).
int distinct_units(MatrixView<const float> w, VectorView<const float> b);

// Its JSON: run_json.hpp.

}  // namespace initscope
