// Mean-field order/chaos quantities against independent computations: Simpson's rule in
// one and two dimensions, plain fixed-point iteration, and the closed forms of the
// piecewise-linear activations.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>

#include "initscope/mean_field.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

const ActivationSpec kTanh{Activation::tanh, 0.0};
const ActivationSpec kRelu{Activation::relu, 0.0};
const ActivationSpec kLinear{Activation::linear, 0.0};
const ActivationSpec kSigmoid{Activation::sigmoid, 0.0};

constexpr double kPi = 3.14159265358979323846;

double sech2(double z) {
  const double c = std::cosh(z);
  return 1.0 / (c * c);
}

// Simpson's rule for E[f(√q·u)], u ~ N(0, 1), on u ∈ [−10, 10].
double simpson(const std::function<double(double)>& f, double q, int n = 4000) {
  const double h = 20.0 / n;
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double u = -10.0 + i * h;
    const double w = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    sum += w * f(std::sqrt(q) * u) * std::exp(-0.5 * u * u);
  }
  return sum * h / 3.0 / std::sqrt(2.0 * kPi);
}

// Simpson's rule in two dimensions for E[f(u₁)·f(u₂)], corr(u₁, u₂) = c, Var = q.
double simpson2(const std::function<double(double)>& f, double q, double c, int n = 600) {
  const double h = 16.0 / n, s = std::sqrt(q), d = std::sqrt(1.0 - c * c);
  auto weight = [&](int i) { return (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0); };
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double x = -8.0 + i * h;
    double inner = 0.0;
    for (int j = 0; j <= n; ++j) {
      const double y = -8.0 + j * h;
      inner += weight(j) * f(s * (c * x + d * y)) * std::exp(-0.5 * y * y);
    }
    sum += weight(i) * f(s * x) * std::exp(-0.5 * x * x) * inner;
  }
  return sum * (h / 3.0) * (h / 3.0) / (2.0 * kPi);
}

// q* by iterating the length map from q = 1 (converges for these stable cases).
double iterate_q(double w2, double b2) {
  double q = 1.0;
  for (int i = 0; i < 500; ++i) {
    q = w2 * simpson([](double z) { return std::tanh(z) * std::tanh(z); }, q, 2000) + b2;
  }
  return q;
}

MeanField mf(const ActivationSpec& spec, double w2, double b2) {
  MeanField m;
  const Status e = mean_field(spec, w2, b2, m);
  REQUIRE_FALSE(e);
  return m;
}

}  // namespace

TEST_CASE("the order/chaos boundary: closed forms without bias") {
  std::optional<double> w2;
  REQUIRE_FALSE(order_chaos_boundary(kTanh, 0.0, w2));
  REQUIRE(w2);
  CHECK(*w2 == doctest::Approx(1.0).epsilon(1e-8));
  REQUIRE_FALSE(order_chaos_boundary(kLinear, 0.0, w2));
  CHECK(*w2 == doctest::Approx(1.0).epsilon(1e-8));
  REQUIRE_FALSE(order_chaos_boundary(kRelu, 0.0, w2));
  CHECK(*w2 == doctest::Approx(2.0).epsilon(1e-8));  // He's σ²_w = 2
  REQUIRE_FALSE(order_chaos_boundary({Activation::leaky_relu, 0.2}, 0.5, w2));
  CHECK(*w2 == doctest::Approx(2.0 / 1.04).epsilon(1e-8));
}

TEST_CASE("tanh with a bias: the boundary is where an independent chi1 equals one") {
  const double b2 = 0.05;
  std::optional<double> w2;
  REQUIRE_FALSE(order_chaos_boundary(kTanh, b2, w2));
  REQUIRE(w2);
  MESSAGE("tanh, sigma_b^2 = 0.05: boundary at sigma_w^2 = " << *w2);
  CHECK(*w2 > 1.0);  // a bias pushes the boundary to larger weights
  const double q = iterate_q(*w2, b2);
  CHECK(*w2 * simpson([](double z) { return sech2(z) * sech2(z); }, q) ==
        doctest::Approx(1.0).epsilon(1e-6));
  const MeanField m = mf(kTanh, *w2, b2);
  CHECK(m.phase == MeanFieldPhase::critical);
  CHECK_FALSE(m.depth_scale);
  CHECK_FALSE(m.gradient_depth_scale);
}

TEST_CASE("ordered tanh: c* = 1 and the depth scale is -1/ln chi1") {
  const MeanField m = mf(kTanh, 0.8, 0.05);
  CHECK(m.phase == MeanFieldPhase::ordered);
  REQUIRE(m.q_star);
  const double q = iterate_q(0.8, 0.05);
  CHECK(*m.q_star == doctest::Approx(q).epsilon(1e-7));
  const double chi = 0.8 * simpson([](double z) { return sech2(z) * sech2(z); }, q);
  CHECK(*m.chi1 == doctest::Approx(chi).epsilon(1e-7));
  CHECK(*m.c_star == 1.0);
  CHECK(*m.chi_c == *m.chi1);
  CHECK(*m.depth_scale == doctest::Approx(-1.0 / std::log(chi)).epsilon(1e-6));
  CHECK(*m.gradient_depth_scale == doctest::Approx(*m.depth_scale));
}

TEST_CASE("chaotic tanh: c* and chi_c against a two-dimensional Simpson rule") {
  const double w2 = 2.5, b2 = 0.05;
  const MeanField m = mf(kTanh, w2, b2);
  CHECK(m.phase == MeanFieldPhase::chaotic);
  REQUIRE(m.q_star);
  REQUIRE(m.c_star);
  REQUIRE(m.chi_c);
  REQUIRE(m.depth_scale);
  const double q = *m.q_star;
  auto tanh_fn = [](double z) { return std::tanh(z); };
  // c* is a fixed point of the correlation map computed independently ...
  const double mapped = (w2 * simpson2(tanh_fn, q, *m.c_star) + b2) / q;
  CHECK(mapped == doctest::Approx(*m.c_star).epsilon(1e-6));
  // ... and a stable one: the slope there, independently, is below 1.
  const double chi_c = w2 * simpson2(sech2, q, *m.c_star);
  CHECK(*m.chi_c == doctest::Approx(chi_c).epsilon(1e-6));
  CHECK(chi_c < 1.0);
  CHECK(*m.chi1 > 1.0);
  CHECK(*m.c_star > 0.0);  // the bias keeps some correlation
  CHECK(*m.c_star < 1.0);
  CHECK(*m.depth_scale == doctest::Approx(-1.0 / std::log(chi_c)).epsilon(1e-5));
  MESSAGE("tanh 2.5/0.05: q* " << q << " chi1 " << *m.chi1 << " c* " << *m.c_star
                                << " chi_c " << *m.chi_c << " xi_c " << *m.depth_scale);
}

TEST_CASE("chaotic tanh without bias decorrelates completely: c* = 0") {
  const MeanField m = mf(kTanh, 3.0, 0.0);
  CHECK(m.phase == MeanFieldPhase::chaotic);
  REQUIRE(m.c_star);
  CHECK(std::abs(*m.c_star) < 1e-9);
  // At c = 0 the slope factorizes: σ²_w·E[φ′]².
  const double e1 = simpson(sech2, *m.q_star);
  CHECK(*m.chi_c == doctest::Approx(3.0 * e1 * e1).epsilon(1e-7));
}

TEST_CASE("the depth scale diverges at the boundary from both sides") {
  std::optional<double> w2c;
  REQUIRE_FALSE(order_chaos_boundary(kTanh, 0.05, w2c));
  const double near_lo = *mf(kTanh, *w2c * 0.98, 0.05).depth_scale;
  const double far_lo = *mf(kTanh, *w2c * 0.8, 0.05).depth_scale;
  const double near_hi = *mf(kTanh, *w2c * 1.02, 0.05).depth_scale;
  const double far_hi = *mf(kTanh, *w2c * 1.5, 0.05).depth_scale;
  CHECK(near_lo > 3 * far_lo);
  CHECK(near_hi > 3 * far_hi);
  CHECK(far_lo > 1.0);
  CHECK(far_hi > 0.0);
}

TEST_CASE("phases without a fixed point, at q* = 0, and sigmoid") {
  MeanField m = mf(kRelu, 3.0, 0.0);
  CHECK(m.phase == MeanFieldPhase::unbounded);
  CHECK_FALSE(m.q_star);
  CHECK(*m.chi1 == doctest::Approx(1.5));
  CHECK_FALSE(m.depth_scale);
  CHECK(*m.gradient_depth_scale == doctest::Approx(1.0 / std::log(1.5)));

  m = mf(kRelu, 2.0, 0.0);
  CHECK(m.phase == MeanFieldPhase::critical);

  m = mf(kRelu, 1.0, 0.1);  // q* = 0.1 / (1 − 1/2)
  CHECK(m.phase == MeanFieldPhase::ordered);
  CHECK(*m.q_star == doctest::Approx(0.2));
  CHECK(*m.depth_scale == doctest::Approx(1.0 / std::log(2.0)));

  m = mf(kTanh, 0.5, 0.0);  // the signal dies: no correlation map, gradients shrink by ½
  CHECK(*m.q_star == 0.0);
  CHECK(m.phase == MeanFieldPhase::ordered);
  CHECK(*m.chi1 == doctest::Approx(0.5));
  CHECK_FALSE(m.c_star);
  CHECK_FALSE(m.depth_scale);
  CHECK(*m.gradient_depth_scale == doctest::Approx(1.0 / std::log(2.0)));

  // Sigmoid's slope is at most 1/4, so its boundary lies far out.
  std::optional<double> w2;
  REQUIRE_FALSE(order_chaos_boundary(kSigmoid, 0.0, w2));
  REQUIRE(w2);
  CHECK(*w2 > 16.0);
  CHECK(*mf(kSigmoid, *w2, 0.0).chi1 == doctest::Approx(1.0).epsilon(1e-6));
}

TEST_CASE("mean-field errors name the field") {
  MeanField m;
  Status e = mean_field({Activation::softmax, 0.0}, 1.0, 0.0, m);
  REQUIRE(e);
  CHECK(e->field == "activation");
  e = mean_field(kTanh, 0.0, 0.0, m);
  REQUIRE(e);
  CHECK(e->message == "sigmaW2: 0 is not allowed; expected a number > 0 and <= 10000");
  e = mean_field(kTanh, 1.0, -1.0, m);
  REQUIRE(e);
  CHECK(e->field == "sigmaB2");
  e = mean_field(kTanh, std::nan(""), 0.0, m);
  REQUIRE(e);
  CHECK(e->field == "sigmaW2");

  const json ok = json::parse(mean_field_json("\"tanh\"", 2.0, 0.0));
  CHECK(ok["phase"] == "chaotic");
  CHECK(ok["activation"] == "tanh");
  CHECK(ok["qStar"].is_number());
  const json bad = json::parse(mean_field_json("\"relux\"", 1.0, 0.0));
  CHECK(bad["error"]["field"] == "activation");
  CHECK(json::parse(mean_field_json("{", 1.0, 0.0))["error"]["field"] == "activation");
  const json leaky = json::parse(order_chaos_boundary_json(R"({"name": "leaky_relu", "alpha": 0.5})", 0.0));
  CHECK(leaky["sigmaW2"].get<double>() == doctest::Approx(2.0 / 1.25).epsilon(1e-8));
  CHECK(json::parse(order_chaos_boundary_json("\"tanh\"", -2.0))["error"]["field"] == "sigmaB2");
}
