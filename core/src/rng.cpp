#include "initscope/rng.hpp"

#include <algorithm>
#include <cmath>

namespace initscope {

Rng::Rng(std::uint64_t seed, std::uint64_t stream) : inc_((stream << 1u) | 1u) {
  // The PCG reference seeding: advance once, add the seed, advance again.
  next_u32();
  state_ += seed;
  next_u32();
}

std::uint32_t Rng::next_u32() {
  std::uint64_t old = state_;
  state_ = old * 6364136223846793005ULL + inc_;
  auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
  auto rot = static_cast<std::uint32_t>(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
}

double Rng::uniform01() {
  std::uint64_t hi = next_u32() >> 5;  // 27 bits
  std::uint64_t lo = next_u32() >> 6;  // 26 bits
  return static_cast<double>((hi << 26) | lo) * (1.0 / 9007199254740992.0);  // / 2^53
}

double Rng::uniform(double a, double b) {
  if (!(a < b) || !std::isfinite(b - a)) return a;  // empty or overflowing range: callers validate
  for (;;) {
    double x = a + (b - a) * uniform01();
    if (x < b) return x;  // rounding can land on b for some (a, b); redraw
  }
}

std::uint32_t Rng::below(std::uint32_t n) {
  if (n == 0) return 0;
  // Lemire's unbiased bounded integers with rejection.
  std::uint32_t threshold = (0u - n) % n;
  for (;;) {
    std::uint32_t r = next_u32();
    if (r >= threshold) return r % n;
  }
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform01() - 1.0;
    v = 2.0 * uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * factor;
  has_spare_ = true;
  return u * factor;
}

double Rng::truncated_normal(double mean, double s) {
  for (;;) {
    double x = normal();
    if (x > -2.0 && x < 2.0) return mean + s * x;
  }
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double Rng::truncated_normal(double mean, double stddev, double a, double b) {
  double lo = (a - mean) / stddev;
  double hi = (b - mean) / stddev;
  if (normal_cdf(hi) - normal_cdf(lo) >= 0.3) {
    for (;;) {
      double x = normal();
      if (x >= lo && x <= hi) return mean + stddev * x;
    }
  }
  // Uniform proposal on [lo, hi], accepted with density / max density on the interval.
  double peak = std::clamp(0.0, lo, hi);
  for (;;) {
    double x = lo + (hi - lo) * uniform01();
    double accept = std::exp(0.5 * (peak * peak - x * x));
    if (uniform01() < accept) return mean + stddev * x;
  }
}

}  // namespace initscope
