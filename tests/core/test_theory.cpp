// Variance-propagation theory against the worked numbers of the reference sheet §4.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "initscope/theory.hpp"

using namespace initscope;

namespace {

const ActivationSpec kLinear{Activation::linear, 0.0};
const ActivationSpec kRelu{Activation::relu, 0.0};
const ActivationSpec kTanh{Activation::tanh, 0.0};
const ActivationSpec kSigmoid{Activation::sigmoid, 0.0};

// Simpson's rule for E[f(√q·u)] on u ∈ [−10, 10], independent of the library's rules.
double simpson_expectation(double (*f)(double), double q, int intervals = 20000) {
  const double a = -10.0, h = 20.0 / intervals;
  double sum = 0.0;
  for (int i = 0; i <= intervals; ++i) {
    const double u = a + i * h;
    const double c = (i == 0 || i == intervals) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    sum += c * f(std::sqrt(q) * u) * std::exp(-0.5 * u * u);
  }
  return sum * h / 3.0 / std::sqrt(2.0 * M_PI);
}

double tanh2(double z) { return std::tanh(z) * std::tanh(z); }

std::vector<TheoryLayer> mlp(std::size_t depth, std::size_t width, double w2, double b2,
                             ActivationSpec act) {
  return std::vector<TheoryLayer>(depth, TheoryLayer{width, width, w2, b2, act});
}

double rule_moment(const GaussRule& r, int power) {
  double s = 0.0;
  for (std::size_t i = 0; i < r.nodes.size(); ++i) s += r.weights[i] * std::pow(r.nodes[i], power);
  return s;
}

}  // namespace

TEST_CASE("Gauss-Hermite 60 integrates normal moments exactly") {
  const GaussRule& r = gauss_hermite_60();
  REQUIRE(r.nodes.size() == 60);
  CHECK(rule_moment(r, 0) == doctest::Approx(1.0).epsilon(1e-14));
  CHECK(rule_moment(r, 2) == doctest::Approx(1.0).epsilon(1e-13));
  CHECK(rule_moment(r, 4) == doctest::Approx(3.0).epsilon(1e-13));
  CHECK(rule_moment(r, 10) == doctest::Approx(945.0).epsilon(1e-12));
  CHECK(rule_moment(r, 40) == doctest::Approx(3.1983098e23).epsilon(1e-7));  // 39!!
  CHECK(std::abs(rule_moment(r, 7)) < 1e-12);
  for (std::size_t i = 0; i < 30; ++i) CHECK(r.nodes[i] == doctest::Approx(-r.nodes[59 - i]));
  // A small rule against its textbook nodes: ±√3 and 0 with weights 1/6, 2/3.
  const GaussRule r3 = gauss_hermite(3);
  CHECK(r3.nodes[2] == doctest::Approx(std::sqrt(3.0)).epsilon(1e-15));
  CHECK(std::abs(r3.nodes[1]) < 1e-15);
  CHECK(r3.weights[1] == doctest::Approx(2.0 / 3.0).epsilon(1e-15));
  CHECK(rule_moment(gauss_hermite(150), 10) == doctest::Approx(945.0).epsilon(1e-12));
  CHECK(gauss_hermite(0).nodes.empty());
  CHECK(gauss_hermite(151).nodes.empty());
}

TEST_CASE("gaussian expectation of tanh squared matches a fine Simpson rule") {
  for (double q : {1.0, 0.04, 4.0, 64.0}) {
    CAPTURE(q);
    CHECK(std::abs(gaussian_expectation(tanh2, q) - simpson_expectation(tanh2, q)) < 1e-10);
  }
  // GH-60 on its own is not enough at q = 1 (measured 5.7e-9); the composite rule is.
  const GaussRule& r = gauss_hermite_60();
  double gh = 0.0;
  for (std::size_t i = 0; i < r.nodes.size(); ++i) gh += r.weights[i] * tanh2(r.nodes[i]);
  CHECK(std::abs(gh - simpson_expectation(tanh2, 1.0)) > 1e-9);
}

TEST_CASE("gaussian expectation handles a jump at 0 and huge q") {
  // ELU with alpha 0.5: φ' jumps from 0.5 to 1 at 0, and E[φ'²] = ½ + α²e^{2q}Φ(−2√q).
  const ActivationSpec elu{Activation::elu, 0.5};
  for (double q : {0.01, 1.0, 30.0}) {
    CAPTURE(q);
    const double expected = 0.5 + 0.25 * std::exp(2 * q) * 0.5 * std::erfc(std::sqrt(2 * q));
    CHECK(activation_moments(elu, q).deriv2 == doctest::Approx(expected).epsilon(1e-12));
  }
  const double q = 1e4;
  // Saturated tanh, q = 1e4: E[sech⁴] ≈ ∫sech⁴·N(0; 0, q) = (4/3)/√(2πq).
  CHECK(activation_moments(kTanh, q).deriv2 ==
        doctest::Approx(4.0 / 3.0 / std::sqrt(2 * M_PI * q)).epsilon(1e-4));
  CHECK(gaussian_expectation([](double z) { return z > 0 ? z * z : 0.0; }, 7.0) ==
        doctest::Approx(3.5).epsilon(1e-13));
}

TEST_CASE("Hermite and composite paths agree where they meet") {
  // activation_moments switches from GH-60 to the composite rule above q = 0.05.
  for (Activation k : {Activation::tanh, Activation::sigmoid, Activation::gelu,
                       Activation::softplus, Activation::swish}) {
    const ActivationSpec spec{k, 0.0};
    const ActivationMoments gh = activation_moments(spec, 0.05);
    const double composite = gaussian_expectation(
        [&](double z) { return std::pow(activate_derivative<double>(spec, z), 2); }, 0.05);
    CHECK(gh.deriv2 == doctest::Approx(composite).epsilon(1e-12));
  }
}

TEST_CASE("tanh small-q series E of tanh squared is q - 2q2 + 17q3 over 3") {
  const double q = 0.01;
  const double series = q - 2 * q * q + 17.0 / 3.0 * q * q * q;
  // The next term is −(62/3)q⁴ = −2.07e-7.
  CHECK(activation_moments(kTanh, q).second - series == doctest::Approx(-1.98e-7).epsilon(0.01));
}

TEST_CASE("PyTorch-default relu MLP of width 256") {
  // σ²_w = σ²_b = 1/(3·256): q_l = q_{l−1}/6 + 1/768 from E[x²] = 1.
  const TheoryResult r = propagate(mlp(40, 256, 1.0 / 768, 1.0 / 768, kRelu), 1.0);
  const double sheet[] = {0.5785, 0.2389, 0.1040, 0.0557, 0.0427};
  for (int l = 0; l < 5; ++l) {
    CAPTURE(l);
    CHECK(std::sqrt(r.layers[l].q) == doctest::Approx(sheet[l]).epsilon(0.5e-4 / sheet[l]));
    CHECK(r.layers[l].exact);
    CHECK(r.layers[l].a2 == doctest::Approx(r.layers[l].q / 2).epsilon(1e-15));
    CHECK(r.layers[l].a_mean == doctest::Approx(0.39894 * std::sqrt(r.layers[l].q)).epsilon(1e-5));
  }
  CHECK(std::sqrt(r.layers[39].q) == doctest::Approx(std::sqrt((1.0 / 768) / (5.0 / 6))));
  CHECK(std::sqrt(r.layers[39].q) == doctest::Approx(0.0395).epsilon(0.5e-4 / 0.0395));

  const TheoryResult nb = propagate(mlp(10, 256, 1.0 / 768, 0.0, kRelu), 1.0);
  for (int l = 1; l < 10; ++l)
    CHECK(std::sqrt(nb.layers[l].q / nb.layers[l - 1].q) == doctest::Approx(1 / std::sqrt(6.0)));
  CHECK(std::sqrt(nb.layers[9].q) == doctest::Approx(1.8e-4).epsilon(0.05e-4 / 1.8e-4));
}

TEST_CASE("He relu keeps q and linear networks scale q by chi") {
  const TheoryResult he = propagate(mlp(20, 128, 2.0 / 128, 0.0, kRelu), 1.5);
  for (const auto& layer : he.layers) CHECK(layer.q == doctest::Approx(3.0).epsilon(1e-14));

  const double chi = 1.3, b2 = 0.02;
  const TheoryResult lin = propagate(mlp(12, 50, chi / 50, b2, kLinear), 0.7);
  CHECK(lin.layers[0].q == doctest::Approx(chi * 0.7 + b2));
  for (int l = 1; l < 12; ++l) {
    CHECK(lin.layers[l].q == doctest::Approx(chi * lin.layers[l - 1].q + b2).epsilon(1e-14));
    CHECK(lin.layers[l].exact);
  }
}

TEST_CASE("tanh at chi 1 without bias decays like 1 over 1 over q0 plus 2k") {
  // The first layer's q is 1 (σ²_w = 1/n, E[x²] = 1); layer k is k layers further on.
  const TheoryResult r = propagate(mlp(1001, 100, 0.01, 0.0, kTanh), 1.0);
  CHECK(r.layers[0].q == doctest::Approx(1.0));
  const int ks[] = {1, 2, 5, 10, 20, 50};
  const double sheet[] = {0.628, 0.486, 0.322, 0.229, 0.161, 0.101};
  for (int i = 0; i < 6; ++i) {
    CAPTURE(ks[i]);
    CHECK(std::abs(std::sqrt(r.layers[ks[i]].q) - sheet[i]) <= 0.001);
    CHECK_FALSE(r.layers[ks[i]].exact);
  }
  // The closed form is asymptotic: its error shrinks like log(k)/k.
  auto rel_err = [&](int k) { return std::abs(r.layers[k].q * (1.0 + 2.0 * k) - 1.0); };
  CHECK(rel_err(50) > rel_err(1000));
  CHECK(rel_err(1000) < 0.005);
}

TEST_CASE("tanh Xavier with gain 5 over 3 sits at its chaotic fixed point") {
  const double chi = 25.0 / 9.0;  // gain² with n_in = n_out
  const std::optional<double> qs = fixed_point_q(kTanh, chi, 0.0);
  REQUIRE(qs);
  CHECK(*qs == doctest::Approx(1.1785).epsilon(0.5e-4 / 1.1785));
  CHECK(std::sqrt(*qs) == doctest::Approx(1.0856).epsilon(0.5e-4 / 1.0856));
  const ActivationMoments m = activation_moments(kTanh, *qs);
  CHECK(std::sqrt(m.second) == doctest::Approx(0.6513).epsilon(0.5e-4 / 0.6513));
  CHECK(chi * m.deriv2 == doctest::Approx(1.21).epsilon(0.005 / 1.21));

  // A deep Xavier network converges to it; χ₁ > 1 so gradients grow backward.
  const std::size_t n = 200;
  const TheoryResult r = propagate(mlp(60, n, 2.0 * chi / (2.0 * n), 0.0, kTanh), 1.0);
  CHECK(r.layers.back().q == doctest::Approx(*qs).epsilon(1e-9));
  CHECK(r.chi1_last == doctest::Approx(chi * m.deriv2).epsilon(1e-9));
  CHECK(r.layers[57].grad2 / r.layers[58].grad2 == doctest::Approx(r.chi1_last).epsilon(1e-6));
}

TEST_CASE("sigmoid at chi 1 has fixed point 0.2647") {
  const std::optional<double> qs = fixed_point_q(kSigmoid, 1.0, 0.0);
  REQUIRE(qs);
  CHECK(*qs == doctest::Approx(0.2647).epsilon(0.5e-4 / 0.2647));
  CHECK(*qs == doctest::Approx(4.0 / 15.0).epsilon(0.01));  // linear regime ½ + z/4
  CHECK(activation_moments(kSigmoid, *qs).mean == doctest::Approx(0.5));
}

TEST_CASE("fixed points of the piecewise-linear and ordered cases") {
  CHECK(*fixed_point_q(kRelu, 1.0, 0.1) == doctest::Approx(0.2));  // q = q/2 + 0.1
  CHECK_FALSE(fixed_point_q(kRelu, 2.5, 0.0));
  CHECK_FALSE(fixed_point_q(kLinear, 1.0, 0.0));
  CHECK(*fixed_point_q(kTanh, 0.9, 0.0) == 0.0);
  CHECK(*fixed_point_q(kTanh, 1.0, 0.0) == 0.0);
  // With a bias the tanh fixed point solves q = χE[tanh²] + σ²_b.
  const double qb = *fixed_point_q(kTanh, 1.0, 0.05);
  CHECK(activation_moments(kTanh, qb).second + 0.05 == doctest::Approx(qb).epsilon(1e-12));
}

TEST_CASE("backward He fan_out keeps the relu gradient second moment") {
  // Widths 30 → 64 → 128 → 32 → 16 → 4 with σ²_w = 2/fan_out for every layer.
  const std::size_t widths[] = {30, 64, 128, 32, 16, 4};
  std::vector<TheoryLayer> layers;
  for (int l = 0; l < 5; ++l)
    layers.push_back({widths[l], widths[l + 1], 2.0 / widths[l + 1], 0.0, kRelu});
  const TheoryResult r = propagate(layers, 1.0, 3.0);
  for (const auto& layer : r.layers) CHECK(layer.grad2 == doctest::Approx(3.0).epsilon(1e-14));
  CHECK(r.chi1_last == doctest::Approx(2.0 / 16 * 32 * 0.5));  // fan_in 32 at σ²_w = 2/16
}

TEST_CASE("Glorot on equal widths keeps both directions of a linear net") {
  const TheoryResult r = propagate(mlp(8, 64, 2.0 / (64 + 64), 0.0, kLinear), 2.0);
  for (const auto& layer : r.layers) {
    CHECK(layer.q == doctest::Approx(2.0).epsilon(1e-14));
    CHECK(layer.grad2 == doctest::Approx(1.0).epsilon(1e-14));
  }
  CHECK(r.chi1_last == doctest::Approx(1.0));
}

TEST_CASE("backward tanh uses the fan_out and E of sech to the fourth") {
  std::vector<TheoryLayer> layers = {{10, 40, 1.0 / 10, 0.0, kTanh}, {40, 3, 0.5, 0.0, kLinear}};
  const TheoryResult r = propagate(layers, 1.0, 2.0);
  const double sech4 = activation_moments(kTanh, r.layers[0].q).deriv2;
  CHECK(r.layers[0].grad2 == doctest::Approx(3 * 0.5 * sech4 * 2.0));
}

TEST_CASE("finite-width bands follow the log-variance sums") {
  // One input, Gaussian weights: the first layer's s is fixed, each relu layer adds 5/n
  // and measuring q̂ over n units adds 2/n: (5(L−1)+2)/n. Monte Carlo, n = 128, 3000
  // draws: L = 1…6 gives 1.95, 7.27, 12.51, 17.56, 22.41, 27.54 (theory 2, 7, …, 27).
  const std::size_t n = 64;
  const TheoryResult relu = propagate(mlp(10, n, 2.0 / n, 0.0, kRelu), 1.0);
  for (int L = 1; L <= 10; ++L) {
    CAPTURE(L);
    const TheoryLayerResult& r = relu.layers[L - 1];
    const double var = (5.0 * (L - 1) + 2.0) / n;
    CHECK(r.log_q_var == doctest::Approx(var).epsilon(1e-12));
    CHECK(r.band_lo == doctest::Approx(std::sqrt(r.q) * std::exp(-0.5 * std::sqrt(var))));
    CHECK(r.band_hi == doctest::Approx(std::sqrt(r.q) * std::exp(0.5 * std::sqrt(var))));
  }
  // L = 10, n = 64: Var = 47/64, so the band is √2·exp(±0.4285).
  CHECK(relu.layers[9].band_hi == doctest::Approx(std::sqrt(2.0) * 1.53492).epsilon(1e-5));
  CHECK(relu.layers[9].band_lo == doctest::Approx(std::sqrt(2.0) * 0.65150).epsilon(1e-5));

  // Linear: every layer 2/n_k, here with varying widths.
  std::vector<TheoryLayer> lin = {{5, 20, 0.2, 0, kLinear}, {20, 40, 0.05, 0, kLinear},
                                  {40, 10, 0.025, 0, kLinear}};
  const TheoryResult r = propagate(lin, 1.0);
  CHECK(r.layers[2].log_q_var == doctest::Approx(2.0 / 20 + 2.0 / 40 + 2.0 / 10));

  // A bias carries no fluctuation: with most of q from the bias the band narrows.
  const TheoryResult biased = propagate(mlp(10, n, 0.01 / n, 1.0, kRelu), 1.0);
  CHECK(biased.layers[9].log_q_var < 2.0 / n + 0.001);
}

TEST_CASE("softmax output is linear for q and exact in its mean") {
  std::vector<TheoryLayer> layers = {{4, 16, 2.0 / 4, 0.0, kRelu},
                                     {16, 10, 1.0 / 16, 0.0, ActivationSpec{Activation::softmax, 0}}};
  const TheoryResult r = propagate(layers, 1.0);
  CHECK(r.layers[1].q == doctest::Approx(16 * (1.0 / 16) * r.layers[0].a2));
  CHECK(r.layers[1].a_mean == doctest::Approx(0.1));
  CHECK(r.layers[1].a2 == doctest::Approx(std::exp(r.layers[1].q) / 100));
  CHECK(r.layers[0].exact);
  CHECK_FALSE(r.layers[1].exact);
  // Huge logits: one class takes all, Σa² → 1, so E[a²] → 1/n.
  layers[1].weight_second_moment = 10.0;
  CHECK(propagate(layers, 1.0).layers[1].a2 == doctest::Approx(0.1));
}

TEST_CASE("an overflowed q stays visible") {
  // relu with χ = 1e3 overflows to inf after ~100 layers; a gelu layer after it says NaN.
  std::vector<TheoryLayer> layers = mlp(120, 10, 1e3 / 10, 0.0, kRelu);
  layers.push_back({10, 10, 0.1, 0.0, ActivationSpec{Activation::gelu, 0}});
  const TheoryResult r = propagate(layers, 1.0);
  CHECK(std::isinf(r.layers[119].q));
  CHECK(std::isnan(r.layers[120].a2));
  CHECK(std::isnan(gaussian_expectation(tanh2, r.layers[119].q)));
}

TEST_CASE("a single layer has no hidden chi1") {
  const TheoryResult r = propagate(mlp(1, 8, 0.1, 0.0, kTanh), 1.0, 4.0);
  CHECK(std::isnan(r.chi1_last));
  CHECK(r.layers[0].grad2 == 4.0);
  CHECK(propagate({}, 1.0).layers.empty());
}

TEST_CASE("invalid layer lists are reported as values") {
  std::vector<TheoryLayer> layers = mlp(3, 8, 0.1, 0.0, kRelu);
  CHECK_FALSE(check_theory_layers(layers, 1.0));
  layers[2].fan_in = 9;
  Status s = check_theory_layers(layers, 1.0);
  REQUIRE(s);
  CHECK(s->field == "layers[2].fan_in");
  layers[2].fan_in = 8;
  layers[1].weight_second_moment = -1.0;
  REQUIRE(check_theory_layers(layers, 1.0));
  CHECK(check_theory_layers(layers, 1.0)->field == "layers[1].weight_second_moment");
  layers[1].weight_second_moment = 0.1;
  layers[0].activation = ActivationSpec{Activation::softmax, 0};
  REQUIRE(check_theory_layers(layers, 1.0));
  CHECK(check_theory_layers(layers, 1.0)->field == "layers[0].activation");
  CHECK(check_theory_layers(layers, -1.0)->field == "input_second_moment");
  layers[0].activation = kRelu;
  layers[1].normalization = true;
  layers[1].epsilon = -1.0;
  REQUIRE(check_theory_layers(layers, 1.0));
  CHECK(check_theory_layers(layers, 1.0)->field == "layers[1].epsilon");
}

TEST_CASE("a LayerNorm layer predicts v over v plus epsilon and resets the scale") {
  // relu 64 → LayerNorm → linear 64, He-like weights: v = (1 − 1/n)(E[a²] − E[a]²) of the
  // relu layer, q = v/(v + ε), E[a²] = σ²_gain·q + σ²_shift, and the next layer reads that.
  const std::size_t n = 64;
  std::vector<TheoryLayer> layers = {TheoryLayer{n, n, 2.0 / n, 0.0, kRelu},
                                     TheoryLayer{n, n, 1.0, 0.0, kLinear},
                                     TheoryLayer{n, n, 1.0 / n, 0.0, kLinear}};
  layers[1].normalization = true;
  layers[1].epsilon = 0.1;
  layers[1].weight_second_moment = 4.0;   // gain² (a gain of 2)
  layers[1].bias_second_moment = 0.25;    // shift²
  layers[1].bias_mean = 0.5;
  REQUIRE_FALSE(check_theory_layers(layers, 1.0));
  const TheoryResult r = propagate(layers, 1.5, 1.0, 0.8);
  const double q0 = 2.0 * 1.5;  // He relu from E[x²] = 1.5
  const double relu_mean = std::sqrt(q0) * 0.3989422804014327;
  const double v = (1.0 - 1.0 / n) * (q0 / 2 - relu_mean * relu_mean);
  CHECK(r.layers[1].q == doctest::Approx(v / (v + 0.1)).epsilon(1e-12));
  CHECK(r.layers[1].a2 == doctest::Approx(4.0 * v / (v + 0.1) + 0.25).epsilon(1e-12));
  CHECK(r.layers[1].a_mean == 0.5);
  CHECK_FALSE(r.layers[1].exact);
  CHECK_FALSE(r.layers[2].exact);
  CHECK(r.layers[2].q == doctest::Approx(r.layers[1].a2).epsilon(1e-12));
  CHECK(std::isnan(r.chi1_last));  // no χ₁ for a normalization layer
  // Backward: dL/dz_norm = gain·dL/da (σ²_gain·n·σ²_w·g²), then through the normalization.
  CHECK(r.layers[1].grad2 == doctest::Approx(4.0 * n * (1.0 / n) * 1.0).epsilon(1e-12));
  const double ratio = v / (v + 0.1), keep = 1.0 - (1.0 + ratio * (2.0 - ratio)) / n;
  CHECK(r.layers[0].grad2 == doctest::Approx(0.5 * r.layers[1].grad2 * keep / (v + 0.1)).epsilon(1e-12));
  // A first-layer LayerNorm reads the input's row variance.
  std::vector<TheoryLayer> first(layers.begin() + 1, layers.end());
  CHECK(propagate(first, 1.5, 1.0, 0.8).layers[0].q == doctest::Approx(0.8 / 0.9).epsilon(1e-12));
}

TEST_CASE("a BatchNorm layer takes LayerNorm's step with the variance over the batch") {
  // relu 64 → BatchNorm over a batch of B = 10 rows → linear 64: v = (1 − 1/B)(E[a²] − E[a]²)
  // of the relu layer (a biased variance over B rows), q = v/(v + ε), B in the backward step.
  const std::size_t n = 64, batch = 10;
  std::vector<TheoryLayer> layers = {TheoryLayer{n, n, 2.0 / n, 0.0, kRelu},
                                     TheoryLayer{n, n, 1.0, 0.0, kLinear},
                                     TheoryLayer{n, n, 1.0 / n, 0.0, kLinear}};
  layers[1].normalization = true;
  layers[1].batch_norm = true;
  layers[1].batch_rows = batch;
  layers[1].epsilon = 0.1;
  REQUIRE_FALSE(check_theory_layers(layers, 1.0));
  const TheoryResult r = propagate(layers, 1.5, 1.0, 0.8, 0.6);
  const double q0 = 2.0 * 1.5;
  const double relu_mean = std::sqrt(q0) * 0.3989422804014327;
  const double v = (1.0 - 1.0 / batch) * (q0 / 2 - relu_mean * relu_mean);
  CHECK(r.layers[1].q == doctest::Approx(v / (v + 0.1)).epsilon(1e-12));
  CHECK(r.layers[1].a2 == doctest::Approx(v / (v + 0.1)).epsilon(1e-12));
  CHECK_FALSE(r.layers[1].exact);
  const double ratio = v / (v + 0.1), keep = 1.0 - (1.0 + ratio * (2.0 - ratio)) / batch;
  CHECK(r.layers[0].grad2 == doctest::Approx(0.5 * r.layers[1].grad2 * keep / (v + 0.1)).epsilon(1e-12));
  // A first-layer BatchNorm reads the input's column variance, not its row variance.
  std::vector<TheoryLayer> first(layers.begin() + 1, layers.end());
  CHECK(propagate(first, 1.5, 1.0, 0.8, 0.6).layers[0].q == doctest::Approx(0.6 / 0.7).epsilon(1e-12));
  // A batch of no rows is refused.
  layers[1].batch_rows = 0;
  REQUIRE(check_theory_layers(layers, 1.0));
  CHECK(check_theory_layers(layers, 1.0)->field == "layers[1].batch_rows");
}

TEST_CASE("a residual block adds alpha squared times its branch's second moment") {
  // input → linear block (branch W1: n → h, W2: h → n) → linear output. q_1 = n·σ²_W1·E[x²]
  // + σ²_b1, q_f = h·σ²_W2·q_1 + σ²_b2, E[out²] = E[x²] + α²·q_f; backward the skip path
  // and α²·(n·σ²_W2)·(h·σ²_W1) through the branch.
  const std::size_t n = 32, h = 8;
  TheoryBlock block;
  block.branch = 2;
  block.hidden = h;
  block.alpha = 0.5;
  block.w1 = 3.0 / n;
  block.b1 = 0.1;
  block.w2 = 2.0 / h;
  block.b2 = 0.2;
  std::vector<TheoryLayer> layers = {TheoryLayer{n, n, block.w1, block.b1, kLinear},
                                     TheoryLayer{n, 1, 1.0 / n, 0.0, kLinear}};
  layers[0].block = block;
  REQUIRE_FALSE(check_theory_layers(layers, 1.5));
  const TheoryResult r = propagate(layers, 1.5, 2.0);
  const double q1 = 3.0 * 1.5 + 0.1, qf = 2.0 * q1 + 0.2;
  CHECK(r.layers[0].q == doctest::Approx(qf).epsilon(1e-14));
  CHECK(r.layers[0].a2 == doctest::Approx(1.5 + 0.25 * qf).epsilon(1e-14));
  CHECK(r.layers[0].exact);
  CHECK(r.layers[1].q == doctest::Approx(r.layers[0].a2).epsilon(1e-14));
  CHECK(std::isnan(r.chi1_last));  // no χ₁ for a block
  // A relu branch: E[φ(x)²] = E[x²]/2 before W1, E[φ(z1)²] = q_1/2 before W2.
  layers[0].activation = kRelu;
  const TheoryResult relu = propagate(layers, 1.5, 2.0);
  const double rq1 = 3.0 * 0.75 + 0.1, rqf = 2.0 * rq1 / 2 + 0.2;
  CHECK(relu.layers[0].q == doctest::Approx(rqf).epsilon(1e-14));
  CHECK(relu.layers[0].a2 == doctest::Approx(1.5 + 0.25 * rqf).epsilon(1e-14));
  CHECK_FALSE(relu.layers[0].exact);
  // The first layer's gradient: dL/d(out) of the block, E[g²] = 1·σ²·2.0 from the output.
  std::vector<TheoryLayer> deeper = {TheoryLayer{n, n, 1.0 / n, 0.0, kLinear}, layers[0], layers[1]};
  deeper[1].activation = kLinear;
  const TheoryResult back = propagate(deeper, 1.0, 2.0);
  const double g_out = 1 * (1.0 / n) * 2.0;  // through the output layer's weights (fan_out 1)
  CHECK(back.layers[1].grad2 == doctest::Approx(g_out).epsilon(1e-14));
  CHECK(back.layers[0].grad2 == doctest::Approx(g_out * (1.0 + 0.25 * (n * block.w2) * (h * block.w1))).epsilon(1e-14));
}

TEST_CASE("deep residual stacks grow as the residual mean field says") {
  // Yang and Schoenholz 2017 (mean field residual networks): with a skip around each branch
  // f = W·φ(x) + b the length p = E[x²] only adds, p_l = p_{l−1} + n·σ²_W·E[φ(√p_{l−1}·u)²]
  // + σ²_b, so it never settles at a fixed point: it grows linearly for tanh (E[tanh²] → 1)
  // and exponentially for relu (the factor 1 + n·σ²_W/2 per block), and relu's gradient
  // grows toward the input by the same factor.
  const std::size_t n = 64, depth = 200;
  const double w = 1.5 / n, b = 0.05;
  auto stack = [&](const ActivationSpec& phi, double bias) {
    TheoryBlock block;
    block.branch = 1;
    block.alpha = 1.0;
    block.w1 = w;
    block.b1 = bias;
    std::vector<TheoryLayer> layers(depth, TheoryLayer{n, n, w, bias, phi});
    for (auto& l : layers) l.block = block;
    layers.push_back(TheoryLayer{n, 1, 1.0 / n, 0.0, kLinear});
    REQUIRE_FALSE(check_theory_layers(layers, 1.0));
    return propagate(layers, 1.0, 1.0);
  };
  const TheoryResult tanh = stack(kTanh, b);
  double p = 1.0;
  for (std::size_t l = 0; l < depth; ++l) {
    const double step = n * w * activation_moments(kTanh, p).second + b;
    p += step;
    REQUIRE(tanh.layers[l].a2 == doctest::Approx(p).epsilon(1e-9));
  }
  // Linear growth: the last block adds nearly n·σ²_W + σ²_b, and doubling the depth
  // about doubles the length (an exponential would square the ratio).
  const double slope = n * w + b;
  const double last = tanh.layers[depth - 1].a2 - tanh.layers[depth - 2].a2;
  CHECK(last < slope);
  CHECK(last > 0.9 * slope);
  const double doubling = tanh.layers[depth - 1].a2 / tanh.layers[depth / 2 - 1].a2;
  CHECK(doubling > 1.8);
  CHECK(doubling < 2.1);
  // relu: exact, p_l = p_{l−1}·(1 + n·σ²_W/2) without biases; the gradient the same backward.
  const TheoryResult relu = stack(kRelu, 0.0);
  const double factor = 1.0 + n * w / 2;
  for (std::size_t l = 1; l < depth; ++l) {
    REQUIRE(relu.layers[l].a2 / relu.layers[l - 1].a2 == doctest::Approx(factor).epsilon(1e-12));
    REQUIRE(relu.layers[l - 1].grad2 / relu.layers[l].grad2 == doctest::Approx(factor).epsilon(1e-12));
  }
}

TEST_CASE("post-activation blocks follow a unit's masks from block to block") {
  // Two relu blocks out = relu(x + α·W1·x) on x ~ N(0, 1), n·σ²_W1 = 1, α = 0.5: s0 ~ N(0,
  // 1.25), E[out0²] = 0.625; s1 = out0 + ε, ε ~ N(0, 0.25·0.625). A unit on at block 0 is on
  // at block 1 with P(s0 > 0, s0 + ε > 0) = 1/4 + asin(ρ)/(2π), ρ = corr(s0, s0 + ε), one
  // off is on with 1/4: so dL/d out0 = relu'(s1)·g + α·W1ᵀ(…) has E = (1/2 + asin(ρ)/(2π))
  // ·E[g²]·(1 + α²·n·σ²_W1), not the independent ½·…. To the grid's accuracy (192 cells).
  const std::size_t n = 32;
  TheoryBlock block;
  block.branch = 1;
  block.alpha = 0.5;
  block.w1 = 1.0 / n;
  block.post_activation = true;
  TheoryLayer layer{n, n, block.w1, 0.0, kRelu};
  layer.block = block;
  const std::vector<TheoryLayer> layers = {layer, layer};
  REQUIRE_FALSE(check_theory_layers(layers, 1.0));
  const TheoryResult r = propagate(layers, 1.0, 2.0);
  CHECK(r.layers[0].a2 == doctest::Approx(0.625).epsilon(1e-3));
  const double rho = std::sqrt(1.25 / (1.25 + 0.25 * 0.625));
  const double on = 0.5 + std::asin(rho) / (2.0 * 3.14159265358979323846);
  CHECK(r.layers[0].grad2 == doctest::Approx(on * 2.0 * 1.25).epsilon(2e-3));
  CHECK_FALSE(r.layers[0].exact);
  // A linear φ keeps the exact closed form.
  std::vector<TheoryLayer> linear = layers;
  for (TheoryLayer& L : linear) L.activation = kLinear;
  const TheoryResult lin = propagate(linear, 1.0, 2.0);
  CHECK(lin.layers[0].a2 == doctest::Approx(1.25).epsilon(1e-14));
  CHECK(lin.layers[1].a2 == doctest::Approx(1.25 * 1.25).epsilon(1e-14));
  CHECK(lin.layers[0].exact);
}

TEST_CASE("post-activation blocks that overflow give NaN or inf, not a crash") {
  const std::size_t n = 8;
  TheoryBlock block;
  block.branch = 1;
  block.alpha = 1e3;
  block.w1 = 2.0 / n;
  block.post_activation = true;
  TheoryLayer layer{n, n, block.w1, 0.0, kRelu};
  layer.block = block;
  const std::vector<TheoryLayer> layers(60, layer);
  const TheoryResult r = propagate(layers, 1.0, 1.0);
  CHECK_FALSE(std::isfinite(r.layers.back().a2));
  CHECK_FALSE(std::isfinite(r.layers.front().grad2));
}
