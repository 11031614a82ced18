#include "initscope/stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_set>


namespace initscope {

// One pass over the raw values: the moments are summed in double in index order (the
// pinned numbers depend on that order) while the histogram is filled.
Summary summarize(MatrixView<const float> tensor, Range range, int bins) {
  const float* values = tensor.data();
  const std::size_t n = tensor.size();
  Summary s;
  s.histogram.lo = range.lo;
  s.histogram.hi = range.hi;
  s.histogram.counts.assign(static_cast<std::size_t>(bins), 0.0);
  double sum = 0, sum_sq = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  const double scale = bins / (range.hi - range.lo);
  for (std::size_t i = 0; i < n; ++i) {
    double x = values[i];
    if (!std::isfinite(x)) {
      ++s.nonfinite;
      continue;
    }
    sum += x;
    sum_sq += x * x;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    if (x < range.lo) {
      s.histogram.underflow += 1;
    } else if (x >= range.hi) {
      // The top edge belongs to the last bin so that tanh's ±1 and sigmoid's 1 are drawn.
      if (x == range.hi) s.histogram.counts.back() += 1; else s.histogram.overflow += 1;
    } else {
      auto bin = static_cast<std::size_t>((x - range.lo) * scale);
      s.histogram.counts[std::min(bin, s.histogram.counts.size() - 1)] += 1;
    }
  }
  s.count = n - s.nonfinite;
  if (s.count > 0) {
    double m = sum / s.count;
    s.mean = m;
    s.rms = std::sqrt(sum_sq / s.count);
    s.norm = std::sqrt(sum_sq);
    s.std = std::sqrt(std::max(0.0, sum_sq / s.count - m * m));
    s.min = lo;
    s.max = hi;
  }
  return s;
}

double nice_ceiling(double x) {
  if (!(x > 0) || !std::isfinite(x)) return 1.0;
  double p = std::pow(10.0, std::floor(std::log10(x)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= x * (1 - 1e-12)) return m * p;
  }
  return 10 * p;
}

// The counts and maxima below are STL algorithms over a view's contiguous values:
// xtensor's reducers give the same numbers with several times the code in the wasm module.

// The largest finite |x| (0 when there is none).
static double max_abs(MatrixView<const float> v) {
  double m = 0;
  std::for_each(v.data(), v.data() + v.size(), [&m](float x) {
    if (std::isfinite(x)) m = std::max(m, std::fabs(static_cast<double>(x)));
  });
  return m;
}

Range symmetric_range(MatrixView<const float> values) {
  double m = nice_ceiling(max_abs(values));
  return {-m, m};
}

Range activation_range(const ActivationSpec& activation, MatrixView<const float> a) {
  switch (activation.kind) {
    case Activation::tanh: return {-1, 1};
    case Activation::sigmoid:
    case Activation::softmax: return {0, 1};
    case Activation::relu:
    case Activation::softplus: return {0, nice_ceiling(max_abs(a))};
    default: return symmetric_range(a);
  }
}

double saturated_fraction(const ActivationSpec& activation, MatrixView<const float> a) {
  if (a.size() == 0) return 0;
  const float* begin = a.data();
  const float* end = begin + a.size();
  std::ptrdiff_t saturated = 0;
  if (activation.kind == Activation::tanh)
    saturated = std::count_if(begin, end, [](float x) { return std::fabs(x) > 0.99f; });
  else if (activation.kind == Activation::sigmoid)
    saturated = std::count_if(begin, end, [](float x) { return x < 0.01f || x > 0.99f; });
  else
    return 0;
  return static_cast<double>(saturated) / static_cast<double>(a.size());
}

double dead_fraction(const ActivationSpec& activation, MatrixView<const float> a) {
  const std::size_t units = a.shape()[1];
  if (activation.kind != Activation::relu || units == 0) return 0;
  // A unit is alive where it is not exactly zero on some example (NaN counts as not zero).
  std::vector<char> alive(units, 0);
  for (std::size_t i = 0; i < a.shape()[0]; ++i)
    for (std::size_t j = 0; j < units; ++j) alive[j] |= a(i, j) != 0.0f;
  const std::ptrdiff_t dead = std::count(alive.begin(), alive.end(), 0);
  return static_cast<double>(dead) / static_cast<double>(units);
}

int distinct_units(MatrixView<const float> w, VectorView<const float> b) {
  const std::size_t fan_in = w.shape()[0], fan_out = w.shape()[1];
  // FNV-1a over each unit's bits (a raw loop: hashing reads a float as its integer bits);
  // a collision between different units is ~2^-64.
  std::unordered_set<std::uint64_t> seen;
  auto mix = [](std::uint64_t h, float x) {
    if (x == 0.0f) x = 0.0f;  // -0 and +0 are the same weight
    std::uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    for (int k = 0; k < 4; ++k) h = (h ^ ((bits >> (8 * k)) & 0xffu)) * 1099511628211ULL;
    return h;
  };
  for (std::size_t j = 0; j < fan_out; ++j) {
    std::uint64_t h = 1469598103934665603ULL;
    for (std::size_t k = 0; k < fan_in; ++k) h = mix(h, w(k, j));
    seen.insert(mix(h, b(j)));
  }
  return static_cast<int>(seen.size());
}

}  // namespace initscope
