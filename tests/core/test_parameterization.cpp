// The parameterizations (parameterization_table.cpp): the multipliers against their
// definitions, each row with its source; muP and NTK at their base width are the standard
// network bit for bit; the multipliers in a run; the config key, its echo and its errors.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "initscope/config.hpp"
#include "initscope/parameterization.hpp"
#include "initscope/run.hpp"
#include "make_run.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

// What a definition says one layer's multipliers are, at fan_in → fan_out with baseWidth 64.
struct Expected {
  const char* name;
  std::size_t l, layers, fan_in, fan_out;
  bool zero_readout;
  double w_init, forward, w_sgd, w_adam, b_init, b_sgd, b_adam;
  const char* source;
};

// m = 256/64 = 4 for a width of 256; a dimension that is not a width has m = 1.
const Expected kDefinitions[] = {
    {"standard", 1, 3, 256, 256, false, 1, 1, 1, 1, 1, 1, 1,
     "PyTorch nn.Linear, Keras Dense: one initializer, one rate"},
    {"ntk", 0, 3, 2, 256, false, 1, 1, 1, 1, 1, 1, 1,
     "Jacot et al. 2018 eq. (1): the input's 1/sqrt(n_0) is not a width, m_in = 1"},
    {"ntk", 1, 3, 256, 256, false, 2, 0.5, 1, 1, 1, 1, 1,
     "Jacot et al. 2018 eq. (1): W ~ N(0, 1), z = W·x/sqrt(n); relative to baseWidth"},
    {"ntk", 2, 3, 256, 10, false, 2, 0.5, 1, 1, 1, 1, 1,
     "Jacot et al. 2018 eq. (1) on the output layer"},
    {"mup", 0, 3, 2, 256, false, 1, 1, 4, 1, 1, 4, 1,
     "mup MuSGD: vector-like lr × width_mult; MuAdam: vector-like lr unchanged"},
    {"mup", 1, 3, 256, 256, false, 1, 1, 1, 0.25, 2, 4, 1,
     "mup MuSGD: matrix-like lr / fanin_fanout_mult_ratio; MuAdam: lr / width_mult; "
     "set_base_shapes: rescale_linear_bias × sqrt(fanin_mult)"},
    {"mup", 1, 3, 256, 128, false, 1, 1, 0.5, 0.25, 2, 2, 1,
     "mup MuSGD: fanin_fanout_mult_ratio = 4/2 on a narrowing hidden layer"},
    {"mup", 2, 3, 256, 10, false, 2, 0.25, 4, 1, 2, 1, 1,
     "mup MuReadout: x/width_mult, _rescale_parameters × sqrt(width_mult); MuSGD: W "
     "vector-like × width_mult, b fixed"},
    {"mup", 2, 3, 256, 10, true, 0, 0.25, 4, 1, 0, 1, 1,
     "mup MuReadout(readout_zero_init=True): W and b start at 0"},
    {"mup", 1, 3, 64, 64, false, 1, 1, 1, 1, 1, 1, 1,
     "mup set_base_shapes: at the base shapes every width_mult is 1"},
};

ParameterizationSpec spec_of(const char* name, bool zero_readout) {
  ParameterizationSpec spec;
  spec.name = name;
  spec.base_width = 64;
  spec.zero_readout = zero_readout;
  return spec;
}

// Tensor Programs V (Yang et al. 2021), Table 3, relative to the base width, as what the
// forward pass sees: the weight's effective std (init × forward) relative to SP's
// 1/sqrt(fan_in), and its effective step for SGD (lr × forward², the gradient carries the
// multiplier once and the forward pass once more) and Adam (lr × forward: Adam's step does
// not depend on the gradient's scale). m = 4.
struct Table3 {
  std::size_t l, fan_in, fan_out;
  double std, sgd, adam;
  const char* row;
};
const Table3 kTable3[] = {
    {0, 2, 256, 1, 4, 1, "input weights: init var 1/fan_in, SGD η·fan_out, Adam η"},
    {1, 256, 256, 1, 1, 0.25, "hidden weights: init var 1/fan_in, SGD η, Adam η/fan_in"},
    {2, 256, 10, 0.5, 0.25, 0.25, "output weights: init var 1/fan_in², SGD η/fan_in, Adam η/fan_in"},
};

// A tanh MLP on the 2-D circles set: hidden layers of `width`, a sigmoid unit, He normal,
// full batch; `optimizer` and `parameterization` as given (null: none).
json mlp(int width, const json& optimizer, const json& parameterization) {
  json config = {{"seed", 5},
                 {"data", {{"name", "circles"}, {"train", 128}, {"test", 32}}},
                 {"layers", {{{"units", width}, {"activation", "tanh"}},
                             {{"units", width}, {"activation", "tanh"}},
                             {{"units", 1}, {"activation", "sigmoid"}}}},
                 {"init", "he_normal"},
                 {"biasInit", {{"name", "random_normal"}, {"stddev", 0.1}}},
                 {"optimizer", optimizer}};
  if (!parameterization.is_null()) config["parameterization"] = parameterization;
  return config;
}

std::vector<float> params_of(const Run& run) {
  return std::vector<float>(run.network().params().begin(), run.network().params().end());
}

std::string error_of(const json& config) {
  std::unique_ptr<Run> run;
  auto e = Run::create(config.dump(), run);
  return e ? e->message : "";
}

}  // namespace

TEST_CASE("each parameterization's multipliers are those of its definition") {
  for (const Expected& d : kDefinitions) {
    CAPTURE(d.name);
    CAPTURE(d.l);
    CAPTURE(d.source);
    const LayerMultipliers m =
        layer_multipliers(spec_of(d.name, d.zero_readout), d.l, d.layers, d.fan_in, d.fan_out);
    CHECK(m.weight.init == d.w_init);
    CHECK(m.forward == d.forward);
    CHECK(lr_multiplier(m.weight, OptimizerKind::sgd) == d.w_sgd);
    CHECK(lr_multiplier(m.weight, OptimizerKind::adam) == d.w_adam);
    CHECK(m.bias.init == d.b_init);
    CHECK(lr_multiplier(m.bias, OptimizerKind::momentum) == d.b_sgd);
    CHECK(lr_multiplier(m.bias, OptimizerKind::rmsprop) == d.b_adam);
  }
}

TEST_CASE("muP's effective multipliers are Tensor Programs V's table 3") {
  for (const Table3& t : kTable3) {
    CAPTURE(t.row);
    const LayerMultipliers m = layer_multipliers(spec_of("mup", false), t.l, 3, t.fan_in, t.fan_out);
    CHECK(m.weight.init * m.forward == t.std);
    CHECK(m.weight.sgd_lr * m.forward * m.forward == t.sgd);
    CHECK(m.weight.adam_lr * m.forward == t.adam);
  }
}

TEST_CASE("muP and NTK at their base width are the standard network bit for bit") {
  for (const json& optimizer : {json{{"name", "sgd"}, {"lr", 0.5}},
                                json{{"name", "adam"}, {"lr", 0.01}},
                                json{{"name", "momentum"}, {"lr", 0.1}}}) {
    for (const json& p : {json{{"name", "mup"}, {"baseWidth", 32}},
                          json{{"name", "ntk"}, {"baseWidth", 32}}}) {
      CAPTURE(optimizer.dump());
      CAPTURE(p.dump());
      auto sp = make_run(mlp(32, optimizer, nullptr));
      auto other = make_run(mlp(32, optimizer, p));
      CHECK(params_of(*sp) == params_of(*other));
      const StepResult a = sp->step(5), b = other->step(5);
      CHECK(a.loss == b.loss);
      CHECK(params_of(*sp) == params_of(*other));
    }
  }
}

TEST_CASE("a run applies muP's multipliers away from the base width") {
  const json adam = {{"name", "adam"}, {"lr", 0.01}};
  auto sp = make_run(mlp(128, adam, nullptr));
  auto mup = make_run(mlp(128, adam, {{"name", "mup"}, {"baseWidth", 32}}));
  const Network<float>& a = sp->network();
  const Network<float>& b = mup->network();
  // Input and hidden weights as sampled; the output's weights and the hidden biases times
  // sqrt(128/32) = 2, exactly.
  for (std::size_t l = 0; l < 3; ++l) {
    CAPTURE(l);
    const ParamTensor& w = a.layer(l).tensors[0];
    const ParamTensor& bias = a.layer(l).tensors[1];
    const float wf = l == 2 ? 2.0f : 1.0f, bf = l == 0 ? 1.0f : 2.0f;
    for (std::size_t i = 0; i < w.size(); ++i)
      CHECK(b.params()[w.offset + i] == wf * a.params()[w.offset + i]);
    for (std::size_t i = 0; i < bias.size(); ++i)
      CHECK(b.params()[bias.offset + i] == bf * a.params()[bias.offset + i]);
  }
  // Adam's learning rates: hidden weights η/4, everything else η, in buffer order.
  const auto& groups = mup->optimizer().lr_groups();
  REQUIRE(groups.size() == 3);
  CHECK(groups[0].multiplier == 1);
  CHECK(groups[1].offset == a.layer(1).tensors[0].offset);
  CHECK(groups[1].size == 128 * 128);
  CHECK(groups[1].multiplier == 0.25);
  CHECK(groups[2].multiplier == 1);
  CHECK(sp->optimizer().lr_groups().empty());
  // The output's pre-activation: the forward pass divides by 4 what the weights doubled.
  const Snapshot sa = sp->snapshot(), sb = mup->snapshot();
  CHECK(sb.layers[2].z.std < sa.layers[2].z.std);
}

TEST_CASE("zeroReadout starts the output layer at 0") {
  auto run = make_run(mlp(64, "sgd", {{"name", "mup"}, {"zeroReadout", true}}));
  const Layer<float>& out = run->network().layer(2);
  for (const ParamTensor& t : out.tensors)
    for (std::size_t i = 0; i < t.size(); ++i) CHECK(run->network().params()[t.offset + i] == 0.0f);
}

TEST_CASE("the parameterization key echoes only when not standard") {
  Config config;
  REQUIRE_FALSE(parse_config(mlp(16, "sgd", nullptr), config));
  CHECK_FALSE(config_to_json(config).contains("parameterization"));
  REQUIRE_FALSE(parse_config(mlp(16, "sgd", "standard"), config));
  CHECK_FALSE(config_to_json(config).contains("parameterization"));
  REQUIRE_FALSE(parse_config(mlp(16, "sgd", "mup"), config));
  CHECK(config_to_json(config)["parameterization"] ==
        json{{"name", "mup"}, {"baseWidth", 64}, {"zeroReadout", false}});
  REQUIRE_FALSE(parse_config(mlp(16, "sgd", {{"name", "ntk"}, {"baseWidth", 8}}), config));
  const json echo = config_to_json(config);
  CHECK(echo["parameterization"] == json{{"name", "ntk"}, {"baseWidth", 8}});
  Config again;
  REQUIRE_FALSE(parse_config(echo, again));
  CHECK(config_to_json(again) == echo);
}

TEST_CASE("a bad parameterization is an error naming the field, the value and what is allowed") {
  CHECK(error_of(mlp(16, "sgd", "mu-p")) ==
        "parameterization: \"mu-p\" is not allowed; expected one of standard, ntk, mup");
  CHECK(error_of(mlp(16, "sgd", 3)).find("parameterization: 3 is not allowed; expected a "
                                         "parameterization") == 0);
  CHECK(error_of(mlp(16, "sgd", {{"name", "mup"}, {"baseWidth", 0}})).find(
            "parameterization.baseWidth: 0 is not allowed; expected an integer from 1 to 1024") == 0);
  CHECK(error_of(mlp(16, "sgd", {{"name", "mup"}, {"zeroReadout", "yes"}})) ==
        "parameterization.zeroReadout: \"yes\" is not allowed; expected true or false");
  CHECK(error_of(mlp(16, "sgd", {{"name", "ntk"}, {"zeroReadout", true}})).find(
            "parameterization.zeroReadout: unknown key") == 0);
  CHECK(error_of(mlp(16, "sgd", {{"name", "standard"}, {"baseWidth", 8}})).find(
            "parameterization.baseWidth: unknown key") == 0);
  json with_norm = mlp(16, "sgd", "mup");
  with_norm["layers"].insert(with_norm["layers"].begin() + 1, json{{"kind", "layernorm"}});
  CHECK(error_of(with_norm).find("layers[1].kind: \"layernorm\" is not allowed with "
                                 "parameterization \"mup\"") == 0);
  json lsuv = mlp(16, "sgd", "ntk");
  lsuv["init"] = "lsuv";
  CHECK(error_of(lsuv).find("init: \"lsuv\" is not allowed with parameterization \"ntk\"") == 0);
}
