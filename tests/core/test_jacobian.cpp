// The input-output Jacobian's spectrum (Run::jacobian_spectrum, svd.hpp): the singular
// values against an independent computation (central differences of a double copy of the
// layers after the first, then the eigenvalues of the 3 × 3 Gram matrix in closed form),
// isometry of an orthogonal linear stack, the spread of Gaussian weights with depth, and
// refusals.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "initscope/activation.hpp"
#include "initscope/limits.hpp"
#include "initscope/network.hpp"
#include "initscope/run.hpp"
#include "initscope/svd.hpp"
#include "make_run.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

// Gaussian inputs of `dim` columns through `hidden` (units, activation) layers, then a
// sigmoid unit; `init` for every layer.
json stack(int dim, const std::vector<std::pair<int, std::string>>& hidden, const json& init) {
  json layers = json::array();
  for (const auto& [units, activation] : hidden) layers.push_back({{"units", units}, {"activation", activation}});
  layers.push_back({{"units", 1}, {"activation", "sigmoid"}});
  return {{"seed", 5},
          {"data", {{"name", "gaussian"}, {"dim", dim}, {"train", 64}, {"test", 0}}},
          {"layers", layers},
          {"init", init},
          {"stats", {{"probe", 32}}}};
}

JacobianSpectrum spectrum_of(Run& run, JacobianOptions options = {}) {
  JacobianSpectrum s;
  auto e = run.jacobian_spectrum(options, s);
  REQUIRE_MESSAGE(!e, (e ? e->message : ""));
  return s;
}

// J = ∂a_{H−1}/∂z_0 at training row p by central differences on a double copy of the run's
// layers after the first, fed φ_0(z_0 ± h·e_c) with z_0 = x·W_0 + b_0 computed here;
// (units, first units) row-major.
std::vector<double> finite_difference_jacobian(const Run& run, std::size_t p) {
  const auto& net = run.network();
  const std::size_t dim = net.input_dim(), first = net.layer(0).fan_out, last = net.num_layers() - 2;
  std::vector<LayerSpec> specs = layer_specs(run.config(), dim);
  const ActivationSpec phi0 = specs[0].activation;
  specs.erase(specs.begin());
  Network<double> rest(first, specs);
  const std::size_t skip = dim * first + first;  // W_0 and b_0 come first in the buffer
  rest.params().assign(net.params().begin() + static_cast<std::ptrdiff_t>(skip), net.params().end());
  std::vector<double> z0(first);
  for (std::size_t j = 0; j < first; ++j) {
    double z = net.params()[dim * first + j];
    for (std::size_t i = 0; i < dim; ++i) z += static_cast<double>(run.data().x_train(p, i)) * net.params()[i * first + j];
    z0[j] = z;
  }
  const std::size_t units = last == 0 ? first : rest.layer(last - 1).fan_out;
  // a_{H−1} at z_0 + d·e_c.
  auto output = [&](std::size_t c, double d) {
    std::vector<double> a(first);
    for (std::size_t j = 0; j < first; ++j) a[j] = activate<double>(phi0, z0[j] + (j == c ? d : 0.0));
    if (last == 0) return a;
    rest.forward(matrix_view<const double>(a.data(), 1, first));
    std::vector<double> out(units);
    for (std::size_t j = 0; j < units; ++j) out[j] = rest.a(last - 1)(0, j);
    return out;
  };
  const double h = 1e-5;
  std::vector<double> jac(units * first);
  for (std::size_t c = 0; c < first; ++c) {
    const std::vector<double> up = output(c, h), down = output(c, -h);
    for (std::size_t j = 0; j < units; ++j) jac[j * first + c] = (up[j] - down[j]) / (2 * h);
  }
  return jac;
}

// Eigenvalues of a symmetric 3 × 3 matrix, largest first, by the trigonometric formula for
// the roots of its characteristic cubic (no iteration: another method than Jacobi's).
std::vector<double> symmetric3_eigenvalues(const std::vector<double>& m) {
  const double q = (m[0] + m[4] + m[8]) / 3;
  const double p1 = m[1] * m[1] + m[2] * m[2] + m[5] * m[5];
  const double p2 = (m[0] - q) * (m[0] - q) + (m[4] - q) * (m[4] - q) + (m[8] - q) * (m[8] - q) + 2 * p1;
  const double p = std::sqrt(p2 / 6);
  std::vector<double> b(9);
  for (int i = 0; i < 9; ++i) b[i] = (m[i] - (i % 4 == 0 ? q : 0)) / p;
  const double det = b[0] * (b[4] * b[8] - b[5] * b[7]) - b[1] * (b[3] * b[8] - b[5] * b[6]) +
                     b[2] * (b[3] * b[7] - b[4] * b[6]);
  const double phi = std::acos(std::clamp(det / 2, -1.0, 1.0)) / 3;
  const double pi = std::acos(-1.0);
  const double e1 = q + 2 * p * std::cos(phi), e3 = q + 2 * p * std::cos(phi + 2 * pi / 3);
  return {e1, 3 * q - e1 - e3, e3};
}

// The 3 × 3 Gram matrix of a (rows, cols) matrix with 3 as its shorter side: JᵀJ or JJᵀ
// (JᵀJ when both are 3).
std::vector<double> gram3(const std::vector<double>& a, std::size_t rows, std::size_t cols) {
  const bool columns = cols == 3;
  const std::size_t k = columns ? rows : cols;
  std::vector<double> g(9, 0.0);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t t = 0; t < k; ++t)
        g[i * 3 + j] += columns ? a[t * cols + i] * a[t * cols + j] : a[i * cols + t] * a[j * cols + t];
  return g;
}

void check_against_finite_differences(const json& config) {
  auto run = make_run(config);
  const JacobianSpectrum s = spectrum_of(*run, {4, 10});
  REQUIRE(s.singular_values.size() == 4);
  for (std::size_t p = 0; p < 4; ++p) {
    const std::vector<double> eig = symmetric3_eigenvalues(gram3(finite_difference_jacobian(*run, p), s.units, s.first_units));
    REQUIRE(s.singular_values[p].size() == 3);
    for (std::size_t k = 0; k < 3; ++k) {
      INFO("probe ", p, " sigma ", k, ": ", s.singular_values[p][k], " vs ", std::sqrt(eig[k]));
      CHECK(s.singular_values[p][k] == doctest::Approx(std::sqrt(std::max(0.0, eig[k]))).epsilon(1e-4));
    }
  }
}

}  // namespace

TEST_CASE("the Jacobi singular values of small matrices are the known ones") {
  // diag(3, 2) turned by a rotation of 3-4-5 on the left: singular values 3 and 2.
  const std::vector<double> a = {0.6 * 3, -0.8 * 2, 0.8 * 3, 0.6 * 2};
  const std::vector<double> s = singular_values(a, 2, 2);
  CHECK(s[0] == doctest::Approx(3).epsilon(1e-14));
  CHECK(s[1] == doctest::Approx(2).epsilon(1e-14));
  // A matrix and its transpose share them, and a rank-one matrix has one nonzero.
  const std::vector<double> wide = {1, 2, 3, 2, 4, 6};  // (2, 3), rank one: |u||v| = √5·√14
  const std::vector<double> tall = {1, 2, 2, 4, 3, 6};  // its transpose (3, 2)
  const std::vector<double> sw = singular_values(wide, 2, 3), st = singular_values(tall, 3, 2);
  REQUIRE(sw.size() == 2);
  CHECK(sw == st);
  CHECK(sw[0] == doctest::Approx(std::sqrt(70.0)).epsilon(1e-14));
  CHECK(sw[1] < 1e-12);
}

TEST_CASE("the Jacobian's singular values agree with central differences of a double copy") {
  const json gaussian = {{"name", "random_normal"}, {"stddev", 0.6}};
  SUBCASE("tanh and relu, more last units than first ones") {
    check_against_finite_differences(stack(5, {{3, "tanh"}, {5, "relu"}, {4, "tanh"}}, gaussian));
  }
  SUBCASE("softplus and tanh, fewer last units than first ones") {
    check_against_finite_differences(stack(2, {{6, "softplus"}, {5, "tanh"}, {3, "tanh"}}, gaussian));
  }
  SUBCASE("one hidden layer: J is the diagonal of its slopes") {
    check_against_finite_differences(stack(4, {{3, "tanh"}}, gaussian));
  }
}

TEST_CASE("an orthogonal linear stack is an isometry: every singular value is 1") {
  auto run = make_run(stack(3, {{8, "linear"}, {8, "linear"}, {8, "linear"}, {8, "linear"}}, {{"name", "orthogonal"}}));
  const JacobianSpectrum s = spectrum_of(*run);
  CHECK(s.layers == 3);
  CHECK(s.units == 8);
  CHECK(s.first_units == 8);
  REQUIRE(s.chi_per_layer);
  CHECK(*s.chi_per_layer == doctest::Approx(1).epsilon(1e-5));
  REQUIRE(s.singular_values.size() == 8);
  for (const auto& probe : s.singular_values)
    for (double v : probe) CHECK(v == doctest::Approx(1).epsilon(1e-5));
  CHECK(s.chi == doctest::Approx(1).epsilon(1e-5));
  CHECK(s.variance < 1e-9);
  long counted = 0;
  for (long c : s.counts) counted += c;
  CHECK(counted == 64);
  CHECK(s.zeros == 0);
  CHECK(s.log_lo == -1);
  CHECK(s.log_hi == 1);
}

TEST_CASE("at depth, orthogonal tanh weights keep the singular values near 1 and Gaussian ones spread them") {
  // 24 tanh layers of 32 at σ_w = 1, zero biases; the first layer's gain 0.1 puts z near 0,
  // where tanh is nearly linear (the paper's small q*).
  auto deep = [](const json& init, const json& first) {
    json config = stack(32, std::vector<std::pair<int, std::string>>(24, {32, "tanh"}), init);
    config["layers"][0]["init"] = first;
    config["biasInit"] = "zeros";
    return config;
  };
  auto orthogonal = make_run(deep({{"name", "orthogonal"}}, {{"name", "orthogonal"}, {"gain", 0.1}}));
  auto gaussian = make_run(deep({{"name", "random_normal"}, {"stddev", 1 / std::sqrt(32.0)}},
                                {{"name", "random_normal"}, {"stddev", 0.1 / std::sqrt(32.0)}}));
  const JacobianSpectrum o = spectrum_of(*orthogonal), g = spectrum_of(*gaussian);
  INFO("orthogonal: chi ", o.chi, " variance ", o.variance, " min ", o.min, " max ", o.max);
  INFO("gaussian: chi ", g.chi, " variance ", g.variance, " min ", g.min, " max ", g.max);
  CHECK(o.min > 0.5);
  CHECK(o.max < 1.5);
  CHECK(g.max / g.min > 100);
  CHECK(o.variance < g.variance / 10);
}

TEST_CASE("the spectrum leaves the run as it was and is the same twice") {
  const json config = stack(4, {{6, "tanh"}, {6, "tanh"}}, {{"name", "glorot_normal"}});
  auto a = make_run(config), b = make_run(config);
  const JacobianSpectrum first = spectrum_of(*a), second = spectrum_of(*a);
  CHECK(first.singular_values == second.singular_values);
  CHECK(a->step(20).loss == b->step(20).loss);
  CHECK(a->snapshot().layers[0].z.std == b->snapshot().layers[0].z.std);
}

TEST_CASE("the spectrum refuses what it does not compute, naming the field") {
  auto run = make_run(stack(4, {{6, "tanh"}}, {{"name", "glorot_normal"}}));
  JacobianSpectrum s;
  auto e = run->jacobian_spectrum({0, 30}, s);
  REQUIRE(e);
  CHECK(e->field == "probes");
  CHECK(e->message == "probes: 0 is not allowed; expected " + describe_allowed(limit("jacobianProbes")));
  e = run->jacobian_spectrum({65, 30}, s);
  REQUIRE(e);
  CHECK(e->field == "probes");
  e = run->jacobian_spectrum({8, 3}, s);
  REQUIRE(e);
  CHECK(e->message == "bins: 3 is not allowed; expected " + describe_allowed(limit("jacobianBins")));

  auto few = make_run({{"data", {{"name", "gaussian"}, {"dim", 2}, {"train", 5}, {"test", 0}}},
                       {"layers", {{{"units", 3}, {"activation", "tanh"}}, {{"units", 1}, {"activation", "sigmoid"}}}}});
  e = few->jacobian_spectrum({6, 30}, s);
  REQUIRE(e);
  CHECK(e->message == "probes: 6 is not allowed: the training set has 5 rows; expected at most that many probes");

  auto layer_norm_first = make_run({{"data", {{"name", "gaussian"}, {"dim", 3}, {"train", 32}, {"test", 0}}},
                                    {"layers", {{{"kind", "layernorm"}},
                                                {{"units", 4}, {"activation", "tanh"}},
                                                {{"units", 1}, {"activation", "sigmoid"}}}}});
  e = layer_norm_first->jacobian_spectrum({}, s);
  REQUIRE(e);
  CHECK(e->message == "layers[0].kind: \"layernorm\": the Jacobian starts at the first layer's pre-activation, which "
                      "only a dense first layer has; expected \"dense\"");

  auto batch_norm = make_run({{"data", {{"name", "gaussian"}, {"dim", 3}, {"train", 32}, {"test", 0}}},
                              {"layers", {{{"units", 4}, {"activation", "tanh"}},
                                          {{"kind", "batchnorm"}},
                                          {{"units", 1}, {"activation", "sigmoid"}}}}});
  e = batch_norm->jacobian_spectrum({}, s);
  REQUIRE(e);
  CHECK(e->field == "layers");
  CHECK(e->message.find("BatchNorm") != std::string::npos);

  auto wide = make_run(stack(3, {{600, "tanh"}, {4, "tanh"}}, {{"name", "glorot_normal"}}));
  e = wide->jacobian_spectrum({1, 30}, s);
  REQUIRE(e);
  CHECK(e->message == "layers: a Jacobian of 4 by 600 units is not computed; expected at most 512 of each "
                      "(the last hidden layer's width and the first layer's)");
}
