// Statistical checks for samplers and initializers, the standard recipe for testing
// samplers: one-sample Kolmogorov-Smirnov with the
// asymptotic p-value, tolerances for the sample mean and stddev, and exact CDFs and
// moments of the uniform, the normal and the truncated normal. Written independently of
// the engine (no initscope headers) so that tests never check the engine against itself.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <vector>

namespace stats_check {

using Cdf = std::function<double(double)>;

inline double phi(double t) { return 0.5 * std::erfc(-t / std::sqrt(2.0)); }  // Φ
inline double phi_density(double t) {
  return std::exp(-0.5 * t * t) / std::sqrt(2.0 * 3.14159265358979323846);
}

inline Cdf uniform_cdf(double lo, double hi) {
  return [=](double x) { return x <= lo ? 0.0 : x >= hi ? 1.0 : (x - lo) / (hi - lo); };
}

inline Cdf normal_cdf(double mean, double stddev) {
  return [=](double x) { return phi((x - mean) / stddev); };
}

// N(mean, stddev²) conditioned on [a, b] (absolute bounds); standardized first, as
// PyTorch's _is_trunc_normal does. Keras TN(s) is a = mean − 2s, b = mean + 2s.
inline Cdf truncated_normal_cdf(double mean, double stddev, double a, double b) {
  double lo = (a - mean) / stddev, hi = (b - mean) / stddev;
  double z = phi(hi) - phi(lo);
  return [=](double x) {
    double t = (x - mean) / stddev;
    if (t <= lo) return 0.0;
    if (t >= hi) return 1.0;
    return (phi(t) - phi(lo)) / z;
  };
}

// Mean, variance and kurtosis of a truncated standard normal on [lo, hi], by composite
// Simpson integration of the density (an independent route to the closed forms the engine
// uses; accurate to ~1e-12 for the intervals the tests use).
struct Moments4 {
  double mean = 0, variance = 0, kurtosis = 0;
};
inline Moments4 truncated_standard_normal_moments(double lo, double hi, int steps = 20000) {
  double h = (hi - lo) / steps;
  double m[5] = {0, 0, 0, 0, 0};  // ∫ t^k φ(t) dt, k = 0..4
  for (int i = 0; i <= steps; ++i) {
    double t = lo + i * h;
    double w = (i == 0 || i == steps) ? 1 : (i % 2 ? 4 : 2);
    double f = w * phi_density(t);
    for (int k = 0; k < 5; ++k) m[k] += f * std::pow(t, k);
  }
  for (double& x : m) x *= h / 3;
  double mean = m[1] / m[0];
  double e2 = m[2] / m[0], e3 = m[3] / m[0], e4 = m[4] / m[0];
  double var = e2 - mean * mean;
  double central4 = e4 - 4 * mean * e3 + 6 * mean * mean * e2 - 3 * std::pow(mean, 4);
  return {mean, var, central4 / (var * var)};
}

constexpr double kUniformKurtosis = 1.8;
constexpr double kNormalKurtosis = 3.0;
constexpr double kTau = 0.87962566103423978;  // stddev of N(0,1) truncated to ±2

// Kolmogorov's Q(λ) = 2 Σ (−1)^(k−1) exp(−2k²λ²), at λ = (√n + 0.12 + 0.11/√n)·D.
inline double ks_pvalue(double d, std::size_t n) {
  double rn = std::sqrt(static_cast<double>(n));
  double lambda = (rn + 0.12 + 0.11 / rn) * d;
  if (lambda < 0.2) return 1.0;  // the series converges slowly there, and Q is 1 to 1e-20
  double sum = 0;
  for (int k = 1; k <= 100; ++k) {
    double term = std::exp(-2.0 * k * k * lambda * lambda);
    sum += (k % 2 ? 1 : -1) * term;
    if (term < 1e-18) break;
  }
  return std::clamp(2 * sum, 0.0, 1.0);
}

struct KsResult {
  double d = 0, p = 0;
};

// D = max_i max(i/n − F(x_(i)), F(x_(i)) − (i−1)/n).
template <class T>
KsResult ks_test(const std::vector<T>& samples, const Cdf& cdf) {
  std::vector<double> x(samples.begin(), samples.end());
  std::sort(x.begin(), x.end());
  double n = static_cast<double>(x.size()), d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    double f = cdf(x[i]);
    d = std::max({d, (i + 1) / n - f, f - i / n});
  }
  return {d, ks_pvalue(d, x.size())};
}

struct SampleStats {
  std::size_t n = 0;
  double mean = 0, variance = 0, stddev = 0;  // population variance (divides by n)
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  double fraction_negative = 0;
};

template <class T>
SampleStats sample_stats(const std::vector<T>& x) {
  SampleStats s;
  s.n = x.size();
  if (x.empty()) return s;
  double sum = 0;
  std::size_t negative = 0;
  for (T v : x) {
    sum += v;
    s.min = std::min(s.min, double(v));
    s.max = std::max(s.max, double(v));
    negative += v < 0;
  }
  s.mean = sum / s.n;
  double ss = 0;
  for (T v : x) ss += (v - s.mean) * (v - s.mean);
  s.variance = ss / s.n;
  s.stddev = std::sqrt(s.variance);
  s.fraction_negative = double(negative) / s.n;
  return s;
}

// |x̄ − μ| <= 6σ/√n (0.06σ at n = 10⁴).
inline bool mean_within(const SampleStats& s, double mean, double sigma) {
  return std::fabs(s.mean - mean) <= 6 * sigma / std::sqrt(double(s.n));
}

// |s/σ − 1| <= 6·√((κ−1)/(4n)): 0.027 for a uniform, 0.035 for TN, 0.042 for a normal at 10⁴.
inline double stddev_tolerance(double kurtosis, std::size_t n) {
  return 6 * std::sqrt((kurtosis - 1) / (4.0 * n));
}
inline bool stddev_within(const SampleStats& s, double sigma, double kurtosis) {
  return std::fabs(s.stddev / sigma - 1) <= stddev_tolerance(kurtosis, s.n);
}

}  // namespace stats_check
