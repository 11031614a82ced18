// The residual block in a run: its tensors, initializers and streams, training, the
// snapshot, the theory against the measurement, and its config errors.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "initscope/config.hpp"
#include "initscope/run.hpp"
#include "initscope/run_json.hpp"
#include "make_run.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

// circles through relu 16 → two blocks → sigmoid, Adam.
json with_blocks(const json& first, const json& second) {
  return {{"seed", 3},
          {"data", {{"name", "circles"}, {"train", 300}, {"test", 100}, {"noise", 0.05}}},
          {"layers", {{{"units", 16}, {"activation", "relu"}}, first, second,
                      {{"units", 1}, {"activation", "sigmoid"}}}},
          {"init", {{"name", "he_normal"}}},
          {"loss", "bce"},
          {"optimizer", {{"name", "adam"}, {"lr", 0.01}, {"batch", 64}}}};
}

const json kPlain = {{"kind", "residual"}, {"activation", "relu"}};
const json kNormed = {{"kind", "residual"}, {"activation", "relu"},  {"gate", "trainable"},
                      {"alpha", 0.5},       {"norm", "layernorm"},    {"normAt", "post"}};

// `depth` blocks of width `width` on gaussian input of that width, then a sigmoid unit.
json deep_blocks(const std::string& activation, int depth, int width, const json& block,
                 const json& init) {
  json layers = json::array();
  json b = block;
  b["kind"] = "residual";
  b["activation"] = activation;
  for (int i = 0; i < depth; ++i) layers.push_back(b);
  return signal_config(layers, width, init);
}

}  // namespace

TEST_CASE("a residual network trains, is deterministic and shows its blocks") {
  auto run = make_run(with_blocks(kPlain, kNormed));
  const Network<float>& net = run->network();
  REQUIRE(net.num_layers() == 4);
  CHECK(net.layer(1).fan_in == 16);
  CHECK(net.layer(1).fan_out == 16);
  const std::size_t branch = 2 * (16 * 16 + 16);
  CHECK(net.layer(1).num_params() == branch);
  CHECK(net.layer(2).num_params() == branch + 1 + 2 * 16);
  CHECK(net.layer(2).tensors[4].name == "alpha");
  CHECK(net.layer(2).tensors[5].name == "norm.gain");
  // Each tensor from its own stream: W1 and W2 differ, alpha starts at its value, the
  // norm's gain and shift at 1 and 0.
  const float* p = net.params().data();
  CHECK(std::vector<float>(p + net.layer(1).tensors[0].offset, p + net.layer(1).tensors[0].offset + 16) !=
        std::vector<float>(p + net.layer(1).tensors[2].offset, p + net.layer(1).tensors[2].offset + 16));
  CHECK(p[net.layer(2).tensors[4].offset] == 0.5f);
  CHECK(p[net.layer(2).tensors[5].offset] == 1.0f);
  CHECK(p[net.layer(2).tensors[6].offset] == 0.0f);
  // A block leaves the layers before it drawn as without it.
  json plain = with_blocks(kPlain, kNormed);
  plain["layers"] = {{{"units", 16}, {"activation", "relu"}}, {{"units", 1}, {"activation", "sigmoid"}}};
  auto reference = make_run(plain);
  CHECK(run->weights()[0].w == reference->weights()[0].w);

  Snapshot s0 = run->snapshot();
  CHECK(s0.layers[1].kind == "residual");
  CHECK(s0.layers[1].init == "he_normal");
  CHECK(s0.layers[1].params == branch);
  // The "before" form applies nothing after the addition; the statistics of W are W1's.
  CHECK(s0.layers[1].activation == "linear");
  CHECK(s0.layers[1].distinct_units == 16);
  CHECK(s0.layers[1].w.count == 16 * 16);
  const double before = run->evaluate().train_loss;
  run->step(300);
  CHECK(run->evaluate().train_loss < 0.5 * before);
  CHECK(run->evaluate().train_accuracy > 0.9);
  Snapshot s = run->snapshot();
  CHECK(s.layers[1].update_ratio > 0);
  CHECK(run->network().params()[net.layer(2).tensors[4].offset] != 0.5f);  // alpha trained

  auto twin = make_run(with_blocks(kPlain, kNormed));
  twin->step(300);
  CHECK(twin->network().params() == run->network().params());
  CHECK(snapshot_to_json(twin->snapshot()).dump() == snapshot_to_json(s).dump());
  const json layout = weight_layout_to_json(*run);
  CHECK(layout[2]["kind"] == "residual");
  CHECK(layout[2]["tensors"][5]["name"] == "norm.gain");
}

TEST_CASE("weights and set_weights carry every tensor of a block") {
  auto run = make_run(with_blocks(kPlain, kNormed));
  run->step(20);
  const std::vector<LayerWeights> trained = run->weights();
  const Layer<float>& block = run->network().layer(2);
  // W2, b2, alpha, norm.gain, norm.shift: the rest of the block's slice, in its order.
  REQUIRE(trained[2].more.size() == 16 * 16 + 16 + 1 + 2 * 16);
  CHECK(trained[2].more[16 * 16 + 16] == run->network().params()[block.tensors[4].offset]);
  CHECK(trained[1].more.size() == 16 * 16 + 16);
  CHECK(trained[0].more.empty());

  auto twin = make_run(with_blocks(kPlain, kNormed));
  REQUIRE_FALSE(twin->set_weights(trained));
  CHECK(twin->network().params() == run->network().params());
  std::vector<LayerWeights> short_more = trained;
  short_more[2].more.pop_back();
  const Status e = twin->set_weights(short_more);
  REQUIRE(e);
  CHECK(e->field == "weights[2].more");
  CHECK(e->message.find("304 values given; expected 305") != std::string::npos);
}

TEST_CASE("a block's init keys set its dense tensors only") {
  json block = kNormed;
  block["init"] = {{"name", "constant"}, {"value", 0.25}};
  block["biasInit"] = {{"name", "constant"}, {"value", -1}};
  auto run = make_run(with_blocks(kPlain, block));
  const Layer<float>& layer = run->network().layer(2);
  const float* p = run->network().params().data();
  for (std::size_t k = 0; k < layer.tensors.size(); ++k) {
    const ParamTensor& t = layer.tensors[k];
    CAPTURE(t.name);
    const float want = t.name == "W1" || t.name == "W2" ? 0.25f
                       : t.name == "b1" || t.name == "b2" ? -1.0f
                       : t.name == "alpha"               ? 0.5f
                       : t.name == "norm.gain"           ? 1.0f
                                                         : 0.0f;
    for (std::size_t i = 0; i < t.size(); ++i) CHECK(p[t.offset + i] == want);
  }
}

TEST_CASE("a config with blocks echoes every key, choices included") {
  Config c;
  REQUIRE_FALSE(parse_config(with_blocks(kPlain, kNormed), c));
  const json echoed = config_to_json(c)["layers"][2];
  CHECK(echoed["kind"] == "residual");
  CHECK(echoed["norm"] == "layernorm");
  CHECK(echoed["normAt"] == "post");
  CHECK(echoed["gate"] == "trainable");
  CHECK(echoed["activationAt"] == "before");
  CHECK(echoed["branch"] == 2);
  CHECK(echoed["alpha"] == 0.5);
  Config again;
  REQUIRE_FALSE(parse_config(config_to_json(c), again));
  CHECK(config_to_json(again) == config_to_json(c));
}

TEST_CASE("bad residual keys name the field and what is allowed") {
  struct Case {
    json block;
    std::string field, message;
  };
  const std::vector<Case> cases = {
      {{{"kind", "residual"}, {"units", 16}}, "layers[1].units", "unknown key"},
      {{{"kind", "residual"}, {"branch", 3}}, "layers[1].branch", "3 is not allowed; expected an integer from 1 to 2"},
      {{{"kind", "residual"}, {"hidden", 2000}}, "layers[1].hidden", "expected an integer from 0 to 1024"},
      {{{"kind", "residual"}, {"activationAt", "middle"}}, "layers[1].activationAt", "expected one of before, after"},
      {{{"kind", "residual"}, {"gate", "open"}}, "layers[1].gate", "expected one of fixed, trainable"},
      {{{"kind", "residual"}, {"norm", "groupnorm"}}, "layers[1].norm", "expected one of none, layernorm"},
      {{{"kind", "residual"}, {"norm", "dense"}}, "layers[1].norm", "expected one of none, layernorm"},
      {{{"kind", "residual"}, {"normAt", "both"}}, "layers[1].normAt", "expected one of pre, post"},
      {{{"kind", "residual"}, {"alpha", -1}}, "layers[1].alpha", "expected a number from 0 to 10"},
      {{{"kind", "residual"}, {"epsilon", 0.1}}, "layers[1].epsilon", "unknown key"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.block.dump());
    Config config;
    const Status e = parse_config(with_blocks(c.block, kPlain), config);
    REQUIRE(e);
    CHECK(e->field == c.field);
    CHECK(e->message.find(c.message) != std::string::npos);
  }
  json out = with_blocks(kPlain, kPlain);
  out["layers"][3] = kPlain;
  Config config;
  const Status e = parse_config(out, config);
  REQUIRE(e);
  CHECK(e->field == "layers[3].kind");
}

TEST_CASE("the theory of a deep residual network matches the measurement") {
  // 16 pre-activation blocks of width 256, α = 0.25: E[out²] = E[x²] + α²·q_f per block.
  // Linear with LeCun weights is exact in expectation; relu with He weights is mean-field
  // (the blocks' inputs are not symmetric). The block's output is a sum over all the
  // blocks' draws and stays within a few % of the prediction; one branch's output is one
  // draw of two layers and varies more from block to block with relu.
  struct Case {
    std::string activation;
    json init;
    double branch_tolerance;
  };
  for (const Case& c : {Case{"linear", {{"name", "lecun_normal"}}, 0.03},
                        Case{"relu", {{"name", "he_normal"}}, 0.1}}) {
    CAPTURE(c.activation);
    auto run = make_run(deep_blocks(c.activation, 16, 256, {{"alpha", 0.25}}, c.init));
    const Snapshot s = run->snapshot();
    for (int l = 0; l < 16; ++l) {
      CAPTURE(l);
      const TheoryLayerResult& t = s.theory.layers[l];
      CHECK(s.layers[l].a.rms == doctest::Approx(std::sqrt(t.a2)).epsilon(0.03));
      CHECK(s.layers[l].z.rms == doctest::Approx(std::sqrt(t.q)).epsilon(c.branch_tolerance));
      // dL/d(out), relative to the output layer's measured gradient.
      CHECK(s.layers[l].dz.rms == doctest::Approx(std::sqrt(t.grad2 * s.theory_output_grad2)).epsilon(0.1));
      CHECK(t.exact == (c.activation == "linear"));
    }
    for (int l = 1; l < 16; ++l)
      CHECK(s.theory.layers[l].a2 ==
            doctest::Approx(s.theory.layers[l - 1].a2 + 0.0625 * s.theory.layers[l].q).epsilon(1e-12));
  }
}

TEST_CASE("the theory follows the post-activation and normalized forms") {
  for (const json& block : {json{{"alpha", 0.5}, {"activationAt", "after"}},
                            json{{"alpha", 1}, {"norm", "layernorm"}, {"normAt", "pre"}},
                            json{{"alpha", 1}, {"norm", "layernorm"}, {"normAt", "post"}}}) {
    CAPTURE(block.dump());
    auto run = make_run(deep_blocks("relu", 8, 256, block, {{"name", "he_normal"}}));
    const Snapshot s = run->snapshot();
    for (int l = 0; l < 8; ++l) {
      CAPTURE(l);
      CHECK(s.layers[l].z.rms == doctest::Approx(std::sqrt(s.theory.layers[l].q)).epsilon(0.1));
      CHECK(s.layers[l].a.rms == doctest::Approx(std::sqrt(s.theory.layers[l].a2)).epsilon(0.1));
      CHECK_FALSE(s.theory.layers[l].exact);
    }
  }
}

TEST_CASE("the theory follows a unit's masks through post-activation blocks") {
  // out = φ(x + α·f(x)): a unit's own state rides the skip path, so the masks φ'(s) that
  // backward multiplies along it are correlated from block to block (a relu unit that is on
  // stays on); taken as independent, relu's gradient at block 0 came out 40% low and tanh's
  // 15%, tanh's activations 20% high. Over 3 seeds, 16 blocks of width 256, α = 0.25, one
  // seed's log(measured/predicted) spreads by 0.02 to 0.05 (measured), so the mean of 3 is
  // held to 0.07 and each seed to 0.15. A dense relu layer before the blocks shares the
  // first block's masks and is checked too (the independent step was 30% low there).
  struct Case {
    std::string activation;
    json init;
    bool dense_before;
  };
  for (const Case& c : {Case{"relu", {{"name", "he_normal"}}, false},
                        Case{"tanh", {{"name", "lecun_normal"}}, false},
                        Case{"relu", {{"name", "he_normal"}}, true}}) {
    CAPTURE(c.activation);
    CAPTURE(c.dense_before);
    const int depth = 16, seeds = 3;
    std::vector<double> grad(depth + 1, 0.0), act(depth + 1, 0.0);
    std::size_t layers = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      json cfg = deep_blocks(c.activation, depth, 256, {{"alpha", 0.25}, {"activationAt", "after"}}, c.init);
      if (c.dense_before)
        cfg["layers"].insert(cfg["layers"].begin(), json{{"units", 256}, {"activation", "relu"}});
      cfg["seed"] = seed;
      auto run = make_run(cfg);
      const Snapshot s = run->snapshot();
      layers = s.layers.size() - 1;  // the sigmoid unit's gradient is the given one
      for (std::size_t l = 0; l < layers; ++l) {
        CAPTURE(seed);
        CAPTURE(l);
        const TheoryLayerResult& t = s.theory.layers[l];
        const double g = std::log(s.layers[l].dz.rms / std::sqrt(t.grad2 * s.theory_output_grad2));
        const double a = std::log(s.layers[l].a.rms / std::sqrt(t.a2));
        CHECK(std::abs(g) < 0.15);
        CHECK(std::abs(a) < 0.15);
        if (!c.dense_before || l > 0) CHECK_FALSE(t.exact);  // a block: mean-field
        grad[l] += g / seeds;
        act[l] += a / seeds;
      }
    }
    for (std::size_t l = 0; l < layers; ++l) {
      CAPTURE(l);
      CHECK(std::abs(grad[l]) < 0.07);
      CHECK(std::abs(act[l]) < 0.07);
    }
  }
}
