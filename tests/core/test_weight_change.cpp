// How far the weights moved since initialization: the snapshot's weightChange, per layer
// and for the network, and the tensors each layer kind counts.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "initscope/layer.hpp"
#include "initscope/run.hpp"
#include "initscope/run_json.hpp"
#include "initscope/weight_change.hpp"
#include "make_run.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

// ‖now − initial‖² and ‖initial‖² over the named tensors of layer l, written out here
// from the tensors' names rather than their roles.
WeightChange by_name(const Network<float>& net, std::size_t l, const std::vector<float>& initial,
                     const std::vector<std::string>& names) {
  WeightChange c;
  for (const ParamTensor& t : net.layer(l).tensors) {
    bool wanted = false;
    for (const std::string& n : names) wanted = wanted || t.name == n;
    if (!wanted) continue;
    for (std::size_t i = 0; i < t.size(); ++i) {
      const double now = net.params()[t.offset + i], was = initial[t.offset + i];
      c.moved2 += (now - was) * (now - was);
      c.initial2 += was * was;
    }
  }
  return c;
}

}  // namespace

TEST_CASE("the weight change is zero at initialization and grows with training") {
  auto run = make_run(circles({{"name", "he_normal"}}, 0.1));
  Snapshot s0 = run->snapshot();
  for (const LayerSnapshot& l : s0.layers) {
    REQUIRE(l.weight_change.has_value());
    CHECK(*l.weight_change == 0.0);
  }
  REQUIRE(s0.weight_change.has_value());
  CHECK(*s0.weight_change == 0.0);
  run->step(50);
  Snapshot s = run->snapshot();
  for (const LayerSnapshot& l : s.layers) CHECK(*l.weight_change > 0.0);
  CHECK(*s.weight_change > 0.0);
  const json j = snapshot_to_json(s);
  CHECK(j["layers"][0]["weightChange"].get<double>() == *s.layers[0].weight_change);
  CHECK(j["weightChange"].get<double>() == *s.weight_change);
}

TEST_CASE("the weight change of hand-made weights is exact and leaves the biases out") {
  auto layer = make_layer<float>(LayerSpec{"dense", 2, {}, {}}, 2);
  REQUIRE(layer);
  // W (2, 2) then b (2): W0 = [3, 4, 0, 0], ‖W0‖ = 5; W moved by [0, 0, 1.5, 2], ‖ΔW‖ = 2.5.
  const std::vector<float> initial = {3, 4, 0, 0, 0, 0};
  const std::vector<float> now = {3, 4, 1.5f, 2, 7, -7};
  const WeightChange c = weight_change(*layer, now.data(), initial.data());
  CHECK(c.moved2 == 6.25);
  CHECK(c.initial2 == 25.0);
  REQUIRE(c.relative().has_value());
  CHECK(*c.relative() == 0.5);
}

TEST_CASE("the snapshot's weight change is the norm ratio of the weights it covers") {
  // A dense layer counts W, a residual block W1 and W2 (not its alpha or its norm's gain),
  // a BatchNorm layer its gain; the network counts them all as one vector.
  const json block = {{"kind", "residual"}, {"activation", "relu"}, {"branch", 2},
                      {"gate", "trainable"}, {"alpha", 0.5}, {"norm", "layernorm"}};
  const std::vector<std::pair<json, std::vector<std::string>>> cases = {
      {block, {"W1", "W2"}}, {{{"kind", "batchnorm"}}, {"gain"}}};
  for (const auto& one : cases) {
    const json& middle = one.first;
    const std::vector<std::string>& names = one.second;
    CAPTURE(middle.dump());
    auto run = make_run(circles_with_norm(middle));
    const std::vector<float> initial = run->network().params();
    run->step(40);
    Snapshot s = run->snapshot();
    WeightChange all;
    for (std::size_t l = 0; l < s.layers.size(); ++l) {
      const WeightChange c = by_name(run->network(), l, initial, l == 1 ? names : std::vector<std::string>{"W"});
      all += c;
      REQUIRE(s.layers[l].weight_change.has_value());
      CHECK(*s.layers[l].weight_change == doctest::Approx(std::sqrt(c.moved2 / c.initial2)).epsilon(1e-12));
      CHECK(*s.layers[l].weight_change > 0);
    }
    CHECK(*s.weight_change == doctest::Approx(std::sqrt(all.moved2 / all.initial2)).epsilon(1e-12));
  }
}

TEST_CASE("zero initial weights have no weight change") {
  auto run = make_run(circles({{"name", "zeros"}}, 0.1));
  CHECK_FALSE(run->snapshot().layers[0].weight_change.has_value());
  run->step(20);
  Snapshot s = run->snapshot();
  for (const LayerSnapshot& l : s.layers) CHECK_FALSE(l.weight_change.has_value());
  CHECK_FALSE(s.weight_change.has_value());
  const json j = snapshot_to_json(s);
  CHECK(j["layers"][2]["weightChange"].is_null());
  CHECK(j["weightChange"].is_null());
}

TEST_CASE("reset and new weights restart the weight change") {
  auto run = make_run(circles({{"name", "glorot_uniform"}}, 0.1));
  run->step(30);
  const double first = *run->snapshot().weight_change;
  CHECK(first > 0);
  run->reset();
  CHECK(*run->snapshot().weight_change == 0.0);
  run->step(30);
  CHECK(*run->snapshot().weight_change == first);  // the same steps from the same start
  // Weights set from outside are the new start.
  REQUIRE_FALSE(run->set_weights(run->weights()));
  CHECK(*run->snapshot().weight_change == 0.0);
  run->step(5);
  CHECK(*run->snapshot().weight_change > 0);
  run->reinitialize(9);
  CHECK(*run->snapshot().weight_change == 0.0);
}
