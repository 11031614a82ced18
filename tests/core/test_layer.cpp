#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/layer.hpp"
#include "initscope/rng.hpp"

using namespace initscope;

namespace {

// L = Σ c ⊙ out, with out the layer's output a (or its pre-activation z when `logit`):
// dL/d(out) = c, so backward(c) must give dL/dparams and dL/dx.
double weighted_sum(const MatrixView<const double>& out, const std::vector<double>& c) {
  double s = 0;
  for (std::size_t i = 0; i < c.size(); ++i) s += c[i] * out.data()[i];
  return s;
}

struct Probe {
  Layer<double>& layer;
  Workspace<double>& ws;
  const std::vector<double>& c;
  std::size_t rows;
  bool logit;

  double loss(const std::vector<double>& x, const std::vector<double>& params) {
    layer.forward(matrix_view(x.data(), rows, layer.fan_in), params.data(), ws);
    return weighted_sum(logit ? layer.z() : layer.a(), c);
  }
};

// Central differences of f at every element of v against `analytic`, relative to the
// gradient's size (absolute below 1e-4): the worst error.
template <class F>
double worst_error(std::vector<double>& v, const std::vector<double>& analytic, F f) {
  double worst = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    // h = 1e-5: an ulp of f over 2h stays below 1e-10 where a gradient is exactly 0 (a bias
    // before BatchNorm), and the truncation error h² stays far below the bound.
    const double h = 1e-5, keep = v[i];
    v[i] = keep + h;
    const double up = f();
    v[i] = keep - h;
    const double down = f();
    v[i] = keep;
    const double numeric = (up - down) / (2 * h);
    worst = std::max(worst, std::fabs(numeric - analytic[i]) / (1e-4 + std::fabs(analytic[i])));
  }
  return worst;
}

// The keys each kind is checked with: its defaults, and for the residual block every form
// (branch 1 and 2, φ before and after, fixed and trainable α, no norm, pre- and post-norm
// with LayerNorm and BatchNorm in batch mode).
std::vector<Params> key_variants(const LayerKindInfo<double>& kind) {
  const Params defaults = default_params(kind.params);
  if (kind.name != "residual") return {defaults};
  std::vector<Params> out;
  for (const char* at : {"before", "after"})
    for (const char* gate : {"fixed", "trainable"})
      for (const char* norm : {"none", "layernorm", "batchnorm"})
        for (const char* norm_at : {"pre", "post"})
        for (const int branch : {1, 2}) {
          if (std::string(norm) == "none" && std::string(norm_at) == "post") continue;
          Params p = defaults;
          p.choices["activationAt"] = at;
          p.choices["gate"] = gate;
          p.choices["norm"] = norm;
          p.choices["normAt"] = norm_at;
          p.numbers["branch"] = branch;
          p.numbers["hidden"] = 3;  // a narrower hidden layer (branch 2)
          p.numbers["alpha"] = 0.7;
          p.numbers["normEpsilon"] = 0.1;
          out.push_back(p);
        }
  return out;
}

}  // namespace

TEST_CASE("the table of layer kinds names each kind once and makes it") {
  std::set<std::string> names;
  REQUIRE(layer_kinds<float>().size() == layer_kinds<double>().size());
  for (std::size_t k = 0; k < layer_kinds<float>().size(); ++k) {
    const LayerKindInfo<float>& kind = layer_kinds<float>()[k];
    CAPTURE(kind.name);
    CHECK(names.insert(kind.name).second);
    CHECK_FALSE(kind.doc.empty());
    CHECK(layer_kinds<double>()[k].name == kind.name);
    CHECK(find_layer_kind<float>(kind.name) == &kind);
    LayerSpec spec{kind.name, 3, {Activation::relu, 0}, default_params(kind.params)};
    CHECK(make_layer<float>(spec, 3) != nullptr);
    CHECK(make_layer<double>(spec, 3) != nullptr);
  }
  CHECK(find_layer_kind<float>("dense") != nullptr);
  CHECK(find_layer_kind<float>("no_such_kind") == nullptr);
  CHECK(make_layer<float>(LayerSpec{"no_such_kind", 3, {}, {}}, 3) == nullptr);
}

TEST_CASE("every layer kind's backward pass matches finite differences") {
  // Width-preserving specs, so that kinds that keep their width (blocks, normalization)
  // take the same test as dense.
  const std::size_t rows = 4, width = 5;
  for (const LayerKindInfo<double>& kind : layer_kinds<double>()) {
   for (const Params& keys : key_variants(kind)) {
    for (const bool logit : {false, true}) {
     // A dense layer also with a parameterization's forward multiplier (z = c·x·W + b).
     for (const double multiplier : {1.0, 0.25}) {
      // The loss hands dL/dz to an output layer only; a kind with no activation of its own
      // is tested without one.
      if (logit && !kind.output) continue;
      if (multiplier != 1 && kind.name != "dense") continue;
      CAPTURE(kind.name);
      CAPTURE(logit);
      CAPTURE(multiplier);
      CAPTURE(nlohmann::json(keys.choices).dump());
      CAPTURE(nlohmann::json(keys.numbers).dump());
      const ActivationSpec activation{kind.activation ? Activation::tanh : Activation::linear, 0};
      std::unique_ptr<Layer<double>> layer =
          make_layer<double>(LayerSpec{kind.name, width, activation, keys, multiplier}, width);
      REQUIRE(layer != nullptr);
      layer->place(3);  // a slice that does not start at 0
      Workspace<double> ws;
      layer->reserve(rows, ws);

      Rng rng(21, 3);
      std::vector<double> params(layer->num_params() + 3), grads(params.size(), -1.0);
      std::vector<double> x(rows * width), c(rows * layer->fan_out), dx(x.size(), -1.0);
      for (double& v : params) v = rng.normal(0, 0.5);
      for (double& v : x) v = rng.normal();
      for (double& v : c) v = rng.normal();

      Probe probe{*layer, ws, c, rows, logit};
      probe.loss(x, params);
      layer->backward(matrix_view<const double>(c.data(), rows, layer->fan_out), logit,
                      params.data(), grads.data(), dx.data(), ws);
      // Nothing outside its slice written; the loss does not depend on those values.
      for (std::size_t i = 0; i < 3; ++i) CHECK(grads[i] == -1.0);
      std::fill_n(grads.begin(), 3, 0.0);
      const std::vector<double> dparams = grads, dinput = dx;
      CHECK(worst_error(params, dparams, [&] { return probe.loss(x, params); }) < 1e-6);
      CHECK(worst_error(x, dinput, [&] { return probe.loss(x, params); }) < 1e-6);
     }
    }
   }
  }
}

TEST_CASE("a dense layer's views sit on its slice of the flat buffers") {
  std::unique_ptr<Layer<float>> dense =
      make_layer<float>(LayerSpec{"dense", 2, {Activation::linear, 0}, {}}, 3);
  dense->place(4);
  CHECK(dense->num_params() == 3 * 2 + 2);
  REQUIRE(dense->tensors.size() == 2);
  CHECK(dense->tensors[0].name == "W");
  CHECK(dense->tensors[0].role == ParamRole::weight);
  CHECK(dense->tensors[0].decay);
  CHECK(dense->tensors[1].role == ParamRole::bias);
  CHECK_FALSE(dense->tensors[1].decay);
  CHECK(dense->tensors[1].offset == 10);
  std::vector<float> buffer(12);
  for (std::size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<float>(i);
  auto w = dense->tensor_in(0, buffer.data());
  auto b = dense->values_in(1, buffer.data());
  CHECK(w.shape()[0] == 3);
  CHECK(w.shape()[1] == 2);
  CHECK(w(0, 0) == 4.0f);
  CHECK(w(2, 1) == 9.0f);  // row-major (fan_in, fan_out)
  CHECK(b(1) == 11.0f);
}

TEST_CASE("LayerNorm computes PyTorch's nn.LayerNorm") {
  // nn.LayerNorm(4, eps): y = (x − E[x]) / sqrt(Var[x] + eps) * weight + bias, Var biased
  // (torch.var(x, unbiased=False)); written out here for x = (1, 2, 3, 5).
  LayerSpec spec{"layernorm", 0, {}, default_params(layer_kinds<double>()[1].params)};
  spec.params.numbers["epsilon"] = 0.5;
  std::unique_ptr<Layer<double>> norm = make_layer<double>(spec, 4);
  REQUIRE(norm->fan_out == 4);
  REQUIRE(norm->tensors.size() == 2);
  CHECK(norm->tensors[0].name == "gain");
  CHECK(norm->tensors[0].default_init == "ones");
  CHECK(norm->tensors[1].default_init == "zeros");
  CHECK_FALSE(norm->tensors[0].decay);
  Workspace<double> ws;
  norm->reserve(1, ws);
  const std::vector<double> x = {1, 2, 3, 5}, params = {1, 2, 3, 4, 0.5, 0, -1, 0};
  norm->forward(matrix_view(x.data(), 1, 4), params.data(), ws);
  const double mean = 11.0 / 4, var = (1.75 * 1.75 + 0.75 * 0.75 + 0.25 * 0.25 + 2.25 * 2.25) / 4;
  for (std::size_t j = 0; j < 4; ++j) {
    const double z = (x[j] - mean) / std::sqrt(var + 0.5);
    CHECK(norm->z()(0, j) == doctest::Approx(z).epsilon(1e-15));
    CHECK(norm->a()(0, j) == doctest::Approx(params[j] * z + params[4 + j]).epsilon(1e-15));
  }
}

namespace {

Params residual_keys(int branch, const char* at, const char* gate) {
  Params p = default_params(find_layer_kind<double>("residual")->params);
  p.numbers["branch"] = branch;
  p.choices["activationAt"] = at;
  p.choices["gate"] = gate;
  return p;
}

}  // namespace

TEST_CASE("a residual block computes x plus alpha times its branch by hand") {
  const ActivationSpec relu{Activation::relu, 0};
  Workspace<double> ws;
  const std::vector<double> x = {1, -2};
  SUBCASE("pre-activation, one dense layer, fixed alpha") {
    Params keys = residual_keys(1, "before", "fixed");
    keys.numbers["alpha"] = 0.5;
    auto block = make_layer<double>(LayerSpec{"residual", 0, relu, keys}, 2);
    REQUIRE(block->tensors.size() == 2);
    CHECK(block->tensors[0].name == "W1");
    CHECK(block->tensors[1].name == "b1");
    block->reserve(1, ws);
    // φ(x) = (1, 0); f = φ(x)·W1 + b1 = (1, 2) + (0.5, −1) = (1.5, 1); out = x + f/2.
    const std::vector<double> params = {1, 2, 3, 4, 0.5, -1};
    block->forward(matrix_view(x.data(), 1, 2), params.data(), ws);
    CHECK(block->z()(0, 0) == 1.5);
    CHECK(block->z()(0, 1) == 1.0);
    CHECK(block->a()(0, 0) == 1.75);
    CHECK(block->a()(0, 1) == -1.5);
  }
  SUBCASE("post-activation, one dense layer") {
    Params keys = residual_keys(1, "after", "fixed");
    keys.numbers["alpha"] = 0.5;
    auto block = make_layer<double>(LayerSpec{"residual", 0, relu, keys}, 2);
    block->reserve(1, ws);
    // f = x·W1 + b1 = (−5, −6) + (6.5, 9) = (1.5, 3); s = x + f/2 = (1.75, −0.5);
    // out = relu(s) = (1.75, 0).
    const std::vector<double> params = {1, 2, 3, 4, 6.5, 9};
    block->forward(matrix_view(x.data(), 1, 2), params.data(), ws);
    CHECK(block->z()(0, 0) == 1.5);
    CHECK(block->z()(0, 1) == 3.0);
    CHECK(block->a()(0, 0) == 1.75);
    CHECK(block->a()(0, 1) == 0.0);
  }
  SUBCASE("pre-activation, two dense layers, trainable alpha, and its backward pass") {
    Params keys = residual_keys(2, "before", "trainable");
    keys.numbers["hidden"] = 1;
    keys.numbers["alpha"] = 0.3;
    auto block = make_layer<double>(LayerSpec{"residual", 0, relu, keys}, 2);
    REQUIRE(block->tensors.size() == 5);
    const char* names[] = {"W1", "b1", "W2", "b2", "alpha"};
    for (std::size_t k = 0; k < 5; ++k) CHECK(block->tensors[k].name == names[k]);
    CHECK(block->tensors[0].shape == Shape{2, 1});
    CHECK(block->tensors[2].shape == Shape{1, 2});
    CHECK(block->tensors[2].decay);
    CHECK(block->tensors[2].layer_keys);
    const ParamTensor& alpha = block->tensors[4];
    CHECK(alpha.offset == 7);
    CHECK_FALSE(alpha.decay);
    CHECK_FALSE(alpha.layer_keys);
    CHECK(alpha.default_init == "constant");
    CHECK(alpha.default_value == 0.3);
    block->reserve(1, ws);
    // φ(x) = (1, 0); z1 = 1·2 + 0·5 − 0.5 = 1.5, relu 1.5; f = 1.5·(1, −2) + (0.25, 0.25)
    // = (1.75, −2.75); α = 2: out = (1 + 3.5, −2 − 5.5).
    const std::vector<double> params = {2, 5, -0.5, 1, -2, 0.25, 0.25, 2};
    block->forward(matrix_view(x.data(), 1, 2), params.data(), ws);
    CHECK(block->z()(0, 0) == 1.75);
    CHECK(block->z()(0, 1) == -2.75);
    CHECK(block->a()(0, 0) == 4.5);
    CHECK(block->a()(0, 1) == -7.5);
    // dL/dout = (1, 1): dα = Σ f = −1; df = α·(1, 1) = (2, 2); du = df·W2ᵀ = −2 = dz1;
    // dW1 = φ(x)ᵀ·dz1 = (−2, 0); db1 = −2; dW2 = 1.5·(2, 2); db2 = (2, 2); dp = dz1·W1ᵀ =
    // (−4, −10), through φ'(x) = (1, 0): (−4, 0); dx = (1, 1) + (−4, 0).
    const std::vector<double> g = {1, 1};
    std::vector<double> grads(params.size(), -9), dx(2, -9);
    block->backward(matrix_view(g.data(), 1, 2), false, params.data(), grads.data(), dx.data(), ws);
    const std::vector<double> want = {-2, 0, -2, 3, 3, 2, 2, -1};
    CHECK(grads == want);
    CHECK(dx == std::vector<double>{-3, 1});
    // A first layer (no dx wanted) gets the same parameter gradients.
    std::vector<double> again(params.size(), -9);
    block->backward(matrix_view(g.data(), 1, 2), false, params.data(), again.data(), nullptr, ws);
    CHECK(again == want);
  }
  SUBCASE("a norm sub-layer's tensors are named for it and keep their own initializers") {
    Params keys = residual_keys(2, "before", "fixed");
    keys.choices["norm"] = "layernorm";
    auto block = make_layer<double>(LayerSpec{"residual", 0, relu, keys}, 3);
    REQUIRE(block->tensors.size() == 6);
    CHECK(block->tensors[4].name == "norm.gain");
    CHECK(block->tensors[4].default_init == "ones");
    CHECK_FALSE(block->tensors[4].layer_keys);
    CHECK(block->tensors[5].name == "norm.shift");
    CHECK(block->tensors[5].offset == 2 * (3 * 3 + 3) + 3);
  }
}

TEST_CASE("the residual block offers the table's normalization kinds") {
  const LayerKindInfo<float>* kind = find_layer_kind<float>("residual");
  REQUIRE(kind != nullptr);
  CHECK_FALSE(kind->units);
  CHECK(kind->activation);
  CHECK_FALSE(kind->output);
  const auto norm = std::find_if(kind->params.begin(), kind->params.end(),
                                 [](const ParamSpec& p) { return p.name == "norm"; });
  REQUIRE(norm != kind->params.end());
  std::vector<std::string> want{"none"};
  for (const auto& k : layer_kinds<float>())
    if (!k.units && !k.activation) want.push_back(k.name);
  CHECK(norm->choices == want);
  CHECK(std::find(want.begin(), want.end(), "layernorm") != want.end());
}
