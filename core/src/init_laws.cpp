// Element laws: how the table builds them, how fill samples them and their exact moments.
#include <algorithm>
#include <cmath>

#include "init_internal.hpp"

namespace initscope {

// Stddev of a standard normal truncated to ±2 (Keras' constant).
constexpr double kTau = 0.87962566103423978;

ElementLaw constant_law(double value) {
  ElementLaw law;
  law.kind = ElementLaw::Kind::constant;
  law.mean = value;
  return law;
}

ElementLaw uniform_law(double lo, double hi) {
  if (!(lo < hi)) return constant_law(lo);
  ElementLaw law;
  law.kind = ElementLaw::Kind::uniform;
  law.mean = (lo + hi) / 2;
  law.lo = lo;
  law.hi = hi;
  return law;
}

ElementLaw normal_law(double mean, double stddev) {
  if (stddev == 0) return constant_law(mean);
  ElementLaw law;
  law.kind = ElementLaw::Kind::normal;
  law.mean = mean;
  law.stddev = stddev;
  return law;
}

ElementLaw keras_truncated_law(double mean, double stddev) {
  ElementLaw law;
  law.kind = ElementLaw::Kind::keras_truncated_normal;
  law.mean = mean;
  law.stddev = stddev;
  law.lo = mean - 2 * stddev;
  law.hi = mean + 2 * stddev;
  return law;
}

ElementLaw truncated_law(double mean, double stddev, double a, double b) {
  ElementLaw law;
  law.kind = ElementLaw::Kind::truncated_normal;
  law.mean = mean;
  law.stddev = stddev;
  law.lo = a;
  law.hi = b;
  return law;
}

ElementLaw variance_scaling_law(double scale, const std::string& mode,
                                const std::string& distribution, const Fans& fans) {
  double n = mode == "fan_in"    ? fans.fan_in
             : mode == "fan_out" ? fans.fan_out
                                 : (fans.fan_in + fans.fan_out) / 2.0;
  double v = scale / std::max(1.0, n);
  if (distribution == "truncated_normal" || distribution == "normal")
    return keras_truncated_law(0.0, std::sqrt(v) / kTau);
  if (distribution == "untruncated_normal") return normal_law(0.0, std::sqrt(v));
  double limit = std::sqrt(3.0 * v);
  return uniform_law(-limit, limit);
}

namespace {

constexpr double kPi = 3.14159265358979323846;

double normal_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * kPi); }

// Float32 rounding can carry a sample that lies just inside the support onto or past a
// bound; such a sample is redrawn, so stored values respect the bounds read as doubles. The
// retry limit only matters if no float lies in the support at all (a tiny interval).
template <class Draw, class Inside>
void fill_within(std::size_t n, float* out, Draw draw, Inside inside) {
  for (std::size_t i = 0; i < n; ++i) {
    float f = static_cast<float>(draw());
    for (int attempt = 0; attempt < 100 && !inside(static_cast<double>(f)); ++attempt)
      f = static_cast<float>(draw());
    out[i] = f;
  }
}

}  // namespace

void fill_law(const ElementLaw& law, std::size_t n, Rng& rng, float* out) {
  using Kind = ElementLaw::Kind;
  switch (law.kind) {
    case Kind::constant:
      std::fill(out, out + n, static_cast<float>(law.mean));
      return;
    case Kind::uniform:
      fill_within(
          n, out, [&] { return rng.uniform(law.lo, law.hi); },
          [&](double x) { return x >= law.lo && x < law.hi; });
      return;
    case Kind::normal:
      for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<float>(rng.normal(law.mean, law.stddev));
      return;
    case Kind::keras_truncated_normal:
      fill_within(
          n, out, [&] { return rng.truncated_normal(law.mean, law.stddev); },
          [&](double x) { return x > law.lo && x < law.hi; });
      return;
    case Kind::truncated_normal: {
      // Beyond 10 stddev the normal holds < 1e-23 of its mass while parse_init keeps at least
      // 1e-6 inside [a, b], so clipping there changes nothing a double can show, and keeps
      // Rng's uniform proposal efficient on a wide interval out in the tail.
      double lo = std::max(law.lo, law.mean - 10 * law.stddev);
      double hi = std::min(law.hi, law.mean + 10 * law.stddev);
      fill_within(
          n, out, [&] { return rng.truncated_normal(law.mean, law.stddev, lo, hi); },
          [&](double x) { return x >= law.lo && x <= law.hi; });
      return;
    }
  }
}

Moments law_moments(const ElementLaw& law) {
  using Kind = ElementLaw::Kind;
  switch (law.kind) {
    case Kind::constant:
      return {law.mean, 0.0};
    case Kind::uniform:
      return {(law.lo + law.hi) / 2, (law.hi - law.lo) * (law.hi - law.lo) / 12};
    case Kind::normal:
      return {law.mean, law.stddev * law.stddev};
    case Kind::truncated_normal:
    case Kind::keras_truncated_normal: {
      // The moments of a normal truncated to standardized [a, b] (Keras: exactly ±2).
      bool keras = law.kind == Kind::keras_truncated_normal;
      double a = keras ? -2.0 : (law.lo - law.mean) / law.stddev;
      double b = keras ? 2.0 : (law.hi - law.mean) / law.stddev;
      double z = normal_mass(a, b);
      double pa = normal_pdf(a), pb = normal_pdf(b);
      double shift = (pa - pb) / z;
      return {law.mean + law.stddev * shift,
              law.stddev * law.stddev * (1 + (a * pa - b * pb) / z - shift * shift)};
    }
  }
  return {};
}

double normal_mass(double a, double b) {
  if (a > 0) return normal_cdf(-a) - normal_cdf(-b);
  return normal_cdf(b) - normal_cdf(a);
}

}  // namespace initscope
