#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <vector>

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
    const double h = 1e-6, keep = v[i];
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
    LayerSpec spec{kind.name, 3, {Activation::relu, 0}};
    CHECK(make_layer<float>(spec, 3) != nullptr);
    CHECK(make_layer<double>(spec, 3) != nullptr);
  }
  CHECK(find_layer_kind<float>("dense") != nullptr);
  CHECK(find_layer_kind<float>("no_such_kind") == nullptr);
  CHECK(make_layer<float>(LayerSpec{"no_such_kind", 3, {}}, 3) == nullptr);
}

TEST_CASE("every layer kind's backward pass matches finite differences") {
  // Width-preserving specs, so that kinds that keep their width (blocks, normalization)
  // take the same test as dense.
  const std::size_t rows = 4, width = 5;
  for (const LayerKindInfo<double>& kind : layer_kinds<double>()) {
    for (const bool logit : {false, true}) {
      CAPTURE(kind.name);
      CAPTURE(logit);
      std::unique_ptr<Layer<double>> layer =
          make_layer<double>(LayerSpec{kind.name, width, {Activation::tanh, 0}}, width);
      REQUIRE(layer != nullptr);
      layer->w_offset = 0;  // as the network lays it out: weights, then biases
      layer->b_offset = layer->fan_in * layer->fan_out;
      Workspace<double> ws;
      layer->reserve(rows, ws);

      Rng rng(21, 3);
      std::vector<double> params(layer->num_params()), grads(params.size(), -1.0);
      std::vector<double> x(rows * width), c(rows * layer->fan_out), dx(x.size(), -1.0);
      for (double& v : params) v = rng.normal(0, 0.5);
      for (double& v : x) v = rng.normal();
      for (double& v : c) v = rng.normal();

      Probe probe{*layer, ws, c, rows, logit};
      probe.loss(x, params);
      layer->backward(matrix_view<const double>(c.data(), rows, layer->fan_out), logit,
                      params.data(), grads.data(), dx.data(), ws);
      const std::vector<double> dparams = grads, dinput = dx;
      CHECK(worst_error(params, dparams, [&] { return probe.loss(x, params); }) < 1e-6);
      CHECK(worst_error(x, dinput, [&] { return probe.loss(x, params); }) < 1e-6);
    }
  }
}

TEST_CASE("a dense layer's views sit on its slice of the flat buffers") {
  std::unique_ptr<Layer<float>> dense =
      make_layer<float>(LayerSpec{"dense", 2, {Activation::linear, 0}}, 3);
  dense->w_offset = 4;
  dense->b_offset = 10;
  CHECK(dense->num_params() == 3 * 2 + 2);
  std::vector<float> buffer(12);
  for (std::size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<float>(i);
  auto w = dense->weights_in(buffer.data());
  auto b = dense->biases_in(buffer.data());
  CHECK(w.shape()[0] == 3);
  CHECK(w.shape()[1] == 2);
  CHECK(w(0, 0) == 4.0f);
  CHECK(w(2, 1) == 9.0f);  // row-major (fan_in, fan_out)
  CHECK(b(1) == 11.0f);
}
