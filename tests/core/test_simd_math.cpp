// The vectorized float32 kernels (core/src/simd_math.hpp) against the double-precision
// std functions, over dense grids that include the extremes: within 1e-6 relative
// wherever the true value is a normal float, within 1e-6·FLT_MIN absolutely below it.
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "../../core/src/simd_math.hpp"
#include "initscope/activation.hpp"

using namespace initscope;

namespace {

// Every float in [-range, range] at a spacing of `step`, plus logarithmically spaced
// magnitudes from 1e-38 (and a few subnormals) to 1e38, both signs, plus the edges.
std::vector<float> grid(double range, double step) {
  std::vector<float> xs;
  for (double x = -range; x <= range; x += step) xs.push_back(static_cast<float>(x));
  for (double m = 1e-38; m < 3e38; m *= 1.0007) {
    xs.push_back(static_cast<float>(m));
    xs.push_back(static_cast<float>(-m));
  }
  for (float x : {0.0f, -0.0f, FLT_MIN, -FLT_MIN, FLT_MAX, -FLT_MAX, FLT_TRUE_MIN, -FLT_TRUE_MIN,
                  1e-40f, -1e-40f, 88.72283f, 88.72284f, -87.33654f, -103.97f, -104.0f, 0.625f,
                  -0.625f, 0.62499994f, 0.46875f * 1.41421356f, 4.0f * 1.41421356f})
    xs.push_back(x);
  return xs;
}

struct Worst {
  double error = 0;  // in units of the tolerance: <= 1 passes
  float at = 0;
  double got = 0, want = 0;
};

// |got − want| <= 1e-6·max(|want|, FLT_MIN); a true value beyond FLT_MAX must give ±inf
// or stay within the tolerance of it.
void compare(double got, double want, float x, Worst& w) {
  double err;
  if (std::isnan(want)) {
    err = std::isnan(got) ? 0 : INFINITY;
  } else if (std::abs(want) > FLT_MAX && std::isinf(got) && (got > 0) == (want > 0)) {
    err = 0;
  } else {
    err = std::abs(got - want) / (1e-6 * std::max(std::abs(want), static_cast<double>(FLT_MIN)));
  }
  if (!(err <= w.error)) w = {err, x, got, want};
}

template <class Kernel, class Reference>
Worst check(const std::vector<float>& xs, Kernel kernel, Reference reference) {
  Worst w;
  std::vector<float> out(xs.size());
  simd::map(xs.data(), out.data(), xs.size(), kernel);
  for (std::size_t i = 0; i < xs.size(); ++i) compare(out[i], reference(double(xs[i])), xs[i], w);
  return w;
}

void report(const char* name, const Worst& w, std::size_t n) {
  MESSAGE(std::string(name) << ": " << n << " points, worst at x = " << w.at << ": got " << w.got
                << ", want " << w.want << " (" << w.error << " of the tolerance)");
  INFO(std::string(name) << " worst at x = " << w.at << ": got " << w.got << ", want " << w.want);
  CHECK(w.error <= 1.0);
}

double sigmoid_ref(double z) { return activate(activation_spec(Activation::sigmoid), z); }

}  // namespace

TEST_CASE("vectorized exp is within 1e-6 of std::exp") {
  const auto xs = grid(110, 1.3e-4);
  report("exp", check(xs, [](simd::f32x4 v) { return simd::exp(v); },
                      [](double x) { return std::exp(x); }), xs.size());
}

TEST_CASE("vectorized tanh and its derivative are within 1e-6 of std::tanh") {
  const auto xs = grid(30, 3.1e-5);
  report("tanh", check(xs, [](simd::f32x4 v) { return simd::tanh(v); },
                       [](double x) { return std::tanh(x); }), xs.size());
  report("tanh'", check(xs, [](simd::f32x4 v) { return simd::tanh_derivative(v); },
                        [](double x) {
                          const double c = std::cosh(x);
                          return std::isinf(c) ? 0.0 : 1.0 / (c * c);
                        }), xs.size());
}

TEST_CASE("vectorized sigmoid and its derivative are within 1e-6 of the std::exp form") {
  const auto xs = grid(110, 3.7e-5);
  report("sigmoid", check(xs, [](simd::f32x4 v) { return simd::sigmoid_pair(v).pos; },
                          [](double x) { return sigmoid_ref(x); }), xs.size());
  report("1 - sigmoid", check(xs, [](simd::f32x4 v) { return simd::sigmoid_pair(v).neg; },
                              [](double x) { return sigmoid_ref(-x); }), xs.size());
  report("sigmoid'", check(xs, [](simd::f32x4 v) {
                             const auto s = simd::sigmoid_pair(v);
                             return s.pos * s.neg;
                           },
                           [](double x) { return sigmoid_ref(x) * sigmoid_ref(-x); }), xs.size());
}

TEST_CASE("vectorized gelu and its derivative are within 1e-6 of the std::erfc form") {
  const auto xs = grid(45, 4.1e-5);
  report("gelu", check(xs, [](simd::f32x4 v) { return simd::gelu(v); },
                       [](double z) { return 0.5 * z * std::erfc(-z / std::sqrt(2.0)); }), xs.size());
  report("gelu'", check(xs, [](simd::f32x4 v) { return simd::gelu_derivative(v); },
                        [](double z) {
                          return 0.5 * std::erfc(-z / std::sqrt(2.0)) +
                                 z * std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI);
                        }), xs.size());
}

TEST_CASE("the vector kernels keep NaN and the infinities where they belong") {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = INFINITY;
  const simd::f32x4 v = {nan, inf, -inf, 0.0f};
  const simd::f32x4 e = simd::exp(v), t = simd::tanh(v), s = simd::sigmoid_pair(v).pos,
                    g = simd::gelu(v), d = simd::tanh_derivative(v);
  CHECK(std::isnan(e[0]));
  CHECK(e[1] == inf);
  CHECK(e[2] == 0.0f);
  CHECK(e[3] == 1.0f);
  CHECK(std::isnan(t[0]));
  CHECK(t[1] == 1.0f);
  CHECK(t[2] == -1.0f);
  CHECK(std::isnan(s[0]));
  CHECK(s[1] == 1.0f);
  CHECK(s[2] == 0.0f);
  CHECK(s[3] == 0.5f);
  CHECK(std::isnan(g[0]));
  CHECK(std::isnan(d[0]));
  CHECK(d[3] == 1.0f);
}

TEST_CASE("float activations go through the vector kernels in both paths, bit for bit") {
  // The element-wise API and the batched loops (any length, so tails are covered) agree.
  const auto xs = grid(12, 0.0137);
  std::vector<ActivationSpec> specs;
  for (const auto& info : activations())
    if (!info.output_only) specs.push_back(activation_spec(info.kind));
  specs.push_back({Activation::leaky_relu, 0.2});
  for (const ActivationSpec& spec : specs) {
    const Activation kind = spec.kind;
    for (std::size_t n : {xs.size(), std::size_t(1), std::size_t(3), std::size_t(7)}) {
      std::vector<float> a(n), g(n, 0.75f), gz(n);
      activation_forward(spec, const_matrix_view(xs.data(), 1, n), matrix_view(a.data(), 1, n));
      activation_backward(spec, const_matrix_view(xs.data(), 1, n), const_matrix_view(a.data(), 1, n), const_matrix_view(g.data(), 1, n), matrix_view(gz.data(), 1, n));
      std::size_t mismatches = 0;
      for (std::size_t i = 0; i < n; ++i) {
        mismatches += a[i] != activate(spec, xs[i]);
        mismatches += gz[i] != 0.75f * activate_derivative(spec, xs[i]);
      }
      INFO(activation_info(kind).name << " n = " << n);
      CHECK(mismatches == 0);
    }
  }
}

TEST_CASE("the double exp and log1p of the losses are within a few ulp of std") {
  double worst_exp = 0, worst_log = 0;
  double at_exp = 0, at_log = 0;
  for (double x = -760; x <= 720; x += 0.000731) {
    const simd::f64x2 v = simd::exp(simd::f64x2{x, -x});
    for (int l = 0; l < 2; ++l) {
      const double want = std::exp(l ? -x : x), got = v[l];
      const double err = std::isinf(want) ? (got == want ? 0.0 : INFINITY)
                                          : std::abs(got - want) / std::max(want, DBL_MIN);
      if (err > worst_exp) worst_exp = err, at_exp = l ? -x : x;
    }
  }
  for (double x = 0; x <= 1.0; x += 1.37e-7) {
    for (double y : {x, x * 1e-9, x * 1e-300}) {
      const double want = std::log1p(y), got = simd::log1p_unit(simd::f64x2{y, y})[0];
      const double err = want == 0 ? std::abs(got) : std::abs(got - want) / want;
      if (err > worst_log) worst_log = err, at_log = y;
    }
  }
  MESSAGE("double exp: worst relative error " << worst_exp << " at " << at_exp
                                              << "; log1p: " << worst_log << " at " << at_log);
  CHECK(worst_exp < 1e-15);
  CHECK(worst_log < 1e-15);
  CHECK(simd::exp(simd::f64x2{-800.0, 800.0})[0] == 0.0);
  CHECK(std::isinf(simd::exp(simd::f64x2{-800.0, 800.0})[1]));
  CHECK(std::isnan(simd::exp(simd::f64x2{NAN, 0.0})[0]));
  CHECK(simd::log1p_unit(simd::f64x2{0.0, 1.0})[0] == 0.0);
  CHECK(simd::log1p_unit(simd::f64x2{0.0, 1.0})[1] == doctest::Approx(std::log(2.0)).epsilon(1e-16));
}
