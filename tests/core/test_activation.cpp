#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "alloc_count.hpp"
#include "initscope/activation.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

// Every element-wise activation at its default parameters, plus non-default alphas.
std::vector<ActivationSpec> elementwise_specs() {
  std::vector<ActivationSpec> specs;
  for (const auto& info : activations())
    if (!info.output_only) specs.push_back(activation_spec(info.kind));
  specs.push_back({Activation::leaky_relu, 0.2});
  specs.push_back({Activation::elu, 0.5});
  return specs;
}

std::string label(const ActivationSpec& s) {
  return activation_info(s.kind).name + " alpha=" + std::to_string(s.alpha);
}

// A grid over [-8, 8] that never lands on 0 (the kinks), points near 0 and large |z|.
std::vector<double> fd_points() {
  std::vector<double> pts;
  for (int k = 0; k <= 123; ++k) pts.push_back(-8.0 + 0.13 * k);
  for (double z : {1e-3, 1e-2, 20.0, 30.0}) {
    pts.push_back(z);
    pts.push_back(-z);
  }
  return pts;
}

// Central difference with h = 1e-6·max(1, |z|), compared by relative error with an
// absolute floor of 1e-9 (relu's derivative is exactly 0 for z < 0, sigmoid's is 1e-13
// at 30, below what a difference of values near 1 can resolve).
double fd_error(const ActivationSpec& spec, double z) {
  const double h = 1e-6 * std::max(1.0, std::abs(z));
  const double fd = (activate(spec, z + h) - activate(spec, z - h)) / (2 * h);
  const double an = activate_derivative(spec, z);
  return std::abs(fd - an) / std::max(std::abs(an), 1e-3);
}

}  // namespace

TEST_CASE("the activation table has one row per enum value in order") {
  const auto& table = activations();
  REQUIRE(table.size() == static_cast<std::size_t>(Activation::softmax) + 1);
  std::set<std::string> names;
  for (std::size_t i = 0; i < table.size(); ++i) {
    CHECK(static_cast<std::size_t>(table[i].kind) == i);
    CHECK_FALSE(table[i].formula.empty());
    CHECK_FALSE(table[i].derivative.empty());
    CHECK_FALSE(table[i].doc.empty());
    names.insert(table[i].name);
    CHECK(find_activation(table[i].name) == &table[i]);
  }
  CHECK(names.size() == table.size());
  CHECK(find_activation("ReLU") == nullptr);
  CHECK(activation_info(Activation::tanh).saturating);
  CHECK(activation_info(Activation::relu).can_die);
  CHECK(activation_info(Activation::softmax).output_only);
  CHECK(activation_spec(Activation::leaky_relu).alpha == 0.01);
  CHECK(activation_spec(Activation::elu).alpha == 1.0);
}

TEST_CASE("hand-computed activation values") {
  auto f = [](Activation k, double z) { return activate(activation_spec(k), z); };
  auto d = [](Activation k, double z) { return activate_derivative(activation_spec(k), z); };
  CHECK(f(Activation::linear, -2.5) == -2.5);
  CHECK(d(Activation::linear, 7.0) == 1.0);
  CHECK(f(Activation::sigmoid, 0) == 0.5);
  CHECK(d(Activation::sigmoid, 0) == 0.25);
  CHECK(f(Activation::tanh, 0) == 0.0);
  CHECK(d(Activation::tanh, 0) == 1.0);
  CHECK(f(Activation::relu, -3) == 0.0);
  CHECK(f(Activation::relu, 3) == 3.0);
  CHECK(f(Activation::leaky_relu, -2) == doctest::Approx(-0.02).epsilon(1e-15));
  CHECK(f(Activation::elu, -1) == doctest::Approx(-0.6321205588285577).epsilon(1e-15));
  // selu(1) = λ, selu(−1) = λ·α·(e⁻¹ − 1), selu′(−1) = λ·α·e⁻¹ (40-digit mpmath values).
  CHECK(f(Activation::selu, 1) == doctest::Approx(1.0507009873554805).epsilon(1e-15));
  CHECK(f(Activation::selu, -1) == doctest::Approx(-1.1113307378125628).epsilon(1e-15));
  CHECK(d(Activation::selu, -1) == doctest::Approx(0.6467686030348141).epsilon(1e-15));
  CHECK(d(Activation::selu, 1) == selu_scale);
  // gelu(1) = Φ(1); gelu(−1) = −Φ(−1); gelu′(1) = Φ(1) + φ(1).
  CHECK(f(Activation::gelu, 1) == doctest::Approx(0.8413447460685429).epsilon(1e-15));
  CHECK(f(Activation::gelu, -1) == doctest::Approx(-0.15865525393145705).epsilon(1e-14));
  CHECK(d(Activation::gelu, 1) == doctest::Approx(1.0833154705876864).epsilon(1e-15));
  // Left tail: −10·Φ(−10); the erf form 1 + erf(−10/√2) would cancel to 0 here.
  CHECK(f(Activation::gelu, -10) == doctest::Approx(-7.619853024160526e-23).epsilon(1e-13));
  CHECK(f(Activation::softplus, 0) == doctest::Approx(std::log(2.0)).epsilon(1e-15));
  CHECK(f(Activation::softplus, 100) == 100.0);
  CHECK(f(Activation::softplus, -100) == doctest::Approx(3.720075976020836e-44).epsilon(1e-14));
  // swish(1) = σ(1); swish′(1) = σ(1)·(1 + σ(−1)).
  CHECK(f(Activation::swish, 1) == doctest::Approx(0.7310585786300049).epsilon(1e-15));
  CHECK(d(Activation::swish, 1) == doctest::Approx(0.9276705118714867).epsilon(1e-15));
  CHECK(f(Activation::swish, -20) == doctest::Approx(-4.122307236380407e-08).epsilon(1e-14));
  // Saturated slopes keep full relative precision: σ′(30) = σ(30)σ(−30), tanh′(10) = sech²(10).
  CHECK(d(Activation::sigmoid, 30) == doctest::Approx(9.357622968838423e-14).epsilon(1e-14));
  CHECK(f(Activation::sigmoid, -30) == doctest::Approx(9.357622968839299e-14).epsilon(1e-14));
  CHECK(d(Activation::tanh, 10) == doctest::Approx(8.244614455767397e-09).epsilon(1e-14));
}

TEST_CASE("derivatives at zero follow PyTorch's conventions") {
  CHECK(activate_derivative(activation_spec(Activation::relu), 0.0) == 0.0);
  CHECK(activate_derivative(activation_spec(Activation::leaky_relu), 0.0) == 0.01);
  CHECK(activate_derivative(ActivationSpec{Activation::elu, 0.5}, 0.0) == 0.5);
}

TEST_CASE("every derivative matches central differences in double") {
  double worst = 0;
  for (const auto& spec : elementwise_specs()) {
    for (double z : fd_points()) {
      const double err = fd_error(spec, z);
      worst = std::max(worst, err);
      INFO(label(spec) << " at z = " << z);
      CHECK(err <= 1e-6);
    }
  }
  MESSAGE("largest finite-difference error: " << worst);
}

TEST_CASE("activations are finite and at their limits for huge inputs") {
  for (const auto& spec : elementwise_specs()) {
    for (double z : {1e4, -1e4, 1e30, -1e30}) {
      INFO(label(spec) << " at z = " << z);
      CHECK(std::isfinite(activate(spec, z)));
      CHECK(std::isfinite(activate_derivative(spec, z)));
      CHECK(std::isfinite(activate(spec, static_cast<float>(z))));
      CHECK(std::isfinite(activate_derivative(spec, static_cast<float>(z))));
    }
  }
  auto f = [](Activation k, double z) { return activate(activation_spec(k), z); };
  auto d = [](Activation k, double z) { return activate_derivative(activation_spec(k), z); };
  CHECK(f(Activation::sigmoid, 1e4) == 1.0);
  CHECK(f(Activation::sigmoid, -1e4) == 0.0);
  CHECK(d(Activation::sigmoid, -1e4) == 0.0);
  CHECK(f(Activation::tanh, -1e4) == -1.0);
  CHECK(d(Activation::tanh, 1e4) == 0.0);
  CHECK(f(Activation::softplus, 1e4) == 1e4);
  CHECK(f(Activation::softplus, -1e4) == 0.0);
  CHECK(d(Activation::softplus, 1e4) == 1.0);
  CHECK(f(Activation::swish, -1e4) == 0.0);
  CHECK(d(Activation::swish, 1e4) == 1.0);
  CHECK(f(Activation::gelu, 1e4) == 1e4);
  CHECK(f(Activation::gelu, -1e4) == 0.0);
  CHECK(d(Activation::gelu, -1e4) == 0.0);
  CHECK(f(Activation::elu, -1e4) == -1.0);
  CHECK(f(Activation::selu, -1e4) == doctest::Approx(-selu_scale * selu_alpha).epsilon(1e-15));
  CHECK(activate(activation_spec(Activation::sigmoid), 1e4f) == 1.0f);
  CHECK(activate(activation_spec(Activation::softplus), 1e4f) == 1e4f);
}

TEST_CASE("the float instantiation agrees with double") {
  double worst = 0;
  for (const auto& spec : elementwise_specs()) {
    for (double z : fd_points()) {
      const float zf = static_cast<float>(z);
      const double zd = zf;  // the same input in both precisions
      const double pairs[2][2] = {{activate(spec, zf), activate(spec, zd)},
                                  {activate_derivative(spec, zf), activate_derivative(spec, zd)}};
      for (const auto& p : pairs) {
        const double err = std::abs(p[0] - p[1]) / std::max(1.0, std::abs(p[1]));
        worst = std::max(worst, err);
        INFO(label(spec) << " at z = " << zd);
        CHECK(err <= 1e-6);
      }
    }
  }
  MESSAGE("largest float/double difference: " << worst);
}

TEST_CASE("batched forward and backward match the element-wise functions") {
  const std::size_t rows = 3, cols = 4;
  std::vector<double> z(rows * cols), a(rows * cols), ga(rows * cols), gz(rows * cols);
  for (std::size_t i = 0; i < z.size(); ++i) {
    z[i] = -3.0 + 0.55 * i;
    ga[i] = 0.3 - 0.1 * i;
  }
  for (const auto& spec : elementwise_specs()) {
    activation_forward(spec, const_matrix_view(z.data(), rows, cols), matrix_view(a.data(), rows, cols));
    activation_backward(spec, const_matrix_view(z.data(), rows, cols), const_matrix_view(a.data(), rows, cols), const_matrix_view(ga.data(), rows, cols), matrix_view(gz.data(), rows, cols));
    for (std::size_t i = 0; i < z.size(); ++i) {
      INFO(label(spec) << " at z = " << z[i]);
      CHECK(a[i] == activate(spec, z[i]));
      CHECK(gz[i] == ga[i] * activate_derivative(spec, z[i]));
    }
  }
}

TEST_CASE("softmax normalizes rows and is stable for huge logits") {
  const ActivationSpec sm = activation_spec(Activation::softmax);
  // Row 0: e^z = (2, 1, 3), so a = (1/3, 1/6, 1/2). Row 1: one logit 1e4 above the rest.
  // Row 2: two equal logits 1000 above the third. Row 3: two logits 1e4 below the third.
  const std::vector<double> z = {std::log(2.0), 0, std::log(3.0), 1e4, 0, -1e4,
                                 1000, 1000, 0, -1e4, -1e4, 0};
  std::vector<double> a(z.size());
  activation_forward(sm, const_matrix_view(z.data(), 4, 3), matrix_view(a.data(), 4, 3));
  CHECK(a[0] == doctest::Approx(1.0 / 3).epsilon(1e-15));
  CHECK(a[1] == doctest::Approx(1.0 / 6).epsilon(1e-15));
  CHECK(a[2] == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(a[3] == 1.0);
  CHECK(a[4] == 0.0);
  CHECK(a[5] == 0.0);
  CHECK(a[6] == 0.5);
  CHECK(a[7] == 0.5);
  CHECK(a[8] == 0.0);
  CHECK(a[9] == 0.0);
  CHECK(a[10] == 0.0);
  CHECK(a[11] == 1.0);
  for (std::size_t r = 0; r < 4; ++r)
    CHECK(a[3 * r] + a[3 * r + 1] + a[3 * r + 2] == doctest::Approx(1.0).epsilon(1e-15));

  std::vector<float> zf(z.begin(), z.end()), af(z.size());
  activation_forward(sm, const_matrix_view(zf.data(), 4, 3), matrix_view(af.data(), 4, 3));
  for (std::size_t i = 0; i < z.size(); ++i) CHECK(af[i] == doctest::Approx(a[i]).epsilon(1e-6));
}

TEST_CASE("softmax backward is its Jacobian-vector product") {
  const ActivationSpec sm = activation_spec(Activation::softmax);
  const std::size_t rows = 2, cols = 5;
  std::vector<double> z = {0.3, -1.2, 2.0, 0.0, 0.7, 5.0, -3.0, 1.5, 1.4, -0.2};
  const std::vector<double> g = {0.5, -1.0, 0.25, 2.0, -0.75, 1.0, 0.0, -2.0, 0.5, 0.3};
  std::vector<double> a(z.size()), gz(z.size());
  activation_forward(sm, const_matrix_view(z.data(), rows, cols), matrix_view(a.data(), rows, cols));
  activation_backward(sm, const_matrix_view(z.data(), rows, cols), const_matrix_view(a.data(), rows, cols), const_matrix_view(g.data(), rows, cols), matrix_view(gz.data(), rows, cols));
  // L(z) = Σ g ⊙ softmax(z); its gradient is what backward returns.
  auto loss = [&](const std::vector<double>& zz) {
    std::vector<double> aa(zz.size());
    activation_forward(sm, const_matrix_view(zz.data(), rows, cols), matrix_view(aa.data(), rows, cols));
    double s = 0;
    for (std::size_t i = 0; i < zz.size(); ++i) s += g[i] * aa[i];
    return s;
  };
  double worst = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double h = 1e-6, keep = z[i];
    z[i] = keep + h;
    const double up = loss(z);
    z[i] = keep - h;
    const double down = loss(z);
    z[i] = keep;
    const double fd = (up - down) / (2 * h);
    const double err = std::abs(fd - gz[i]) / std::max(std::abs(gz[i]), 1e-3);
    worst = std::max(worst, err);
    INFO("element " << i);
    CHECK(err <= 1e-6);
  }
  MESSAGE("softmax JVP largest finite-difference error: " << worst);
  // The gradient of each row sums to 0: softmax is invariant to a shift of the row.
  CHECK(gz[0] + gz[1] + gz[2] + gz[3] + gz[4] == doctest::Approx(0.0).epsilon(1e-15));
}

TEST_CASE("softmax has no element-wise value") {
  const ActivationSpec sm = activation_spec(Activation::softmax);
  CHECK(std::isnan(activate(sm, 1.0)));
  CHECK(std::isnan(activate_derivative(sm, 1.0f)));
}

TEST_CASE("the batched activation paths allocate nothing") {
  std::vector<float> z(64, 0.5f), a(64), ga(64, 1.0f), gz(64);
  const auto& table = activations();  // built on first use, outside the counted region
  const long before = initscope_test::allocations;
  for (const auto& info : table) {
    const ActivationSpec spec = activation_spec(info.kind);
    activation_forward(spec, const_matrix_view(z.data(), 8, 8), matrix_view(a.data(), 8, 8));
    activation_backward(spec, const_matrix_view(z.data(), 8, 8), const_matrix_view(a.data(), 8, 8), const_matrix_view(ga.data(), 8, 8), matrix_view(gz.data(), 8, 8));
  }
  CHECK(initscope_test::allocations == before);
}

TEST_CASE("parse_activation reads names and objects") {
  ActivationSpec spec;
  REQUIRE_FALSE(parse_activation(json("tanh"), "layers[0].activation", spec));
  CHECK(spec.kind == Activation::tanh);
  REQUIRE_FALSE(parse_activation(json("leaky_relu"), "a", spec));
  CHECK(spec.kind == Activation::leaky_relu);
  CHECK(spec.alpha == 0.01);
  REQUIRE_FALSE(parse_activation(json{{"name", "leaky_relu"}, {"alpha", 0.3}}, "a", spec));
  CHECK(spec.alpha == 0.3);
  REQUIRE_FALSE(parse_activation(json{{"name", "elu"}}, "a", spec));
  CHECK(spec.kind == Activation::elu);
  CHECK(spec.alpha == 1.0);
  REQUIRE_FALSE(parse_activation(json{{"name", "gelu"}}, "a", spec));
  CHECK(spec.kind == Activation::gelu);
}

TEST_CASE("parse_activation errors name the path the value and what is allowed") {
  const std::string names =
      "linear, sigmoid, tanh, relu, leaky_relu, elu, selu, gelu, softplus, swish, softmax";
  ActivationSpec spec;
  auto e = parse_activation(json("relux"), "layers[1].activation", spec);
  REQUIRE(e);
  CHECK(e->field == "layers[1].activation");
  CHECK(e->message == "layers[1].activation: \"relux\" is not allowed; expected one of " + names);

  e = parse_activation(json(3), "act", spec);
  REQUIRE(e);
  CHECK(e->message == "act: 3 is not allowed; expected an activation name (one of " + names +
                          ") or an object {\"name\": ...}");

  e = parse_activation(json{{"alpha", 0.1}}, "act", spec);
  REQUIRE(e);
  CHECK(e->field == "act.name");
  CHECK(e->message == "act.name: is required; expected one of " + names);

  e = parse_activation(json{{"name", 7}}, "act", spec);
  REQUIRE(e);
  CHECK(e->message == "act.name: 7 is not allowed; expected one of " + names);

  e = parse_activation(json{{"name", "Tanh"}}, "act", spec);
  REQUIRE(e);
  CHECK(e->message == "act.name: \"Tanh\" is not allowed; expected one of " + names);

  e = parse_activation(json{{"name", "leaky_relu"}, {"alpha", 1.5}}, "act", spec);
  REQUIRE(e);
  CHECK(e->field == "act.alpha");
  CHECK(e->message == "act.alpha: 1.5 is not allowed; expected a number from 0 to 1");

  e = parse_activation(json{{"name", "elu"}, {"alpha", 0}}, "act", spec);
  REQUIRE(e);
  CHECK(e->message == "act.alpha: 0 is not allowed; expected a number > 0 and <= 10");

  e = parse_activation(json{{"name", "relu"}, {"alpha", 0.1}}, "act", spec);
  REQUIRE(e);
  CHECK(e->field == "act.alpha");
  CHECK(e->message == "act.alpha: unknown key; allowed keys here: name");
}

TEST_CASE("activation_to_json round-trips through parse_activation") {
  for (const auto& spec : elementwise_specs()) {
    ActivationSpec back;
    REQUIRE_FALSE(parse_activation(activation_to_json(spec), "a", back));
    CHECK(back.kind == spec.kind);
    CHECK(back.alpha == spec.alpha);
  }
  CHECK(activation_to_json(activation_spec(Activation::relu)) == json("relu"));
  CHECK(activation_to_json({Activation::leaky_relu, 0.2}) ==
        json{{"name", "leaky_relu"}, {"alpha", 0.2}});
}

TEST_CASE("the activation schema lists every row with its parameters") {
  const json s = activations_schema();
  REQUIRE(s.size() == activations().size());
  CHECK(s[0]["name"] == "linear");
  CHECK(s[4]["name"] == "leaky_relu");
  REQUIRE(s[4]["params"].size() == 1);
  CHECK(s[4]["params"][0]["name"] == "alpha");
  CHECK(s[4]["params"][0]["default"] == 0.01);
  CHECK(s[10]["outputOnly"] == true);
  CHECK(s[1]["saturating"] == true);
  CHECK(s[3]["canDie"] == true);
}
