#include <doctest/doctest.h>

#include "initscope/config.hpp"

using namespace initscope;
using nlohmann::json;

namespace {
Error parse_error(const std::string& text) {
  Config c;
  auto e = parse_config(text, c);
  REQUIRE_MESSAGE(e.has_value(), text);
  return *e;
}
}  // namespace

TEST_CASE("the documented example config parses") {
  const char* text = R"({ "seed": 3,
    "data": {"name": "circles", "train": 300, "test": 100, "noise": 0.05, "seed": 1,
             "normalize": "none"},
    "layers": [{"units": 10, "activation": "relu"}, {"units": 5, "activation": "relu"},
               {"units": 1, "activation": "sigmoid", "init": {"name": "glorot_uniform"}}],
    "init": {"name": "he_normal"},
    "biasInit": {"name": "zeros"},
    "loss": "bce",
    "optimizer": {"name": "sgd", "lr": 0.01, "batch": 300, "momentum": 0,
                  "clipNorm": null, "clipValue": null, "weightDecay": 0} })";
  Config c;
  REQUIRE_FALSE(parse_config(std::string(text), c));
  CHECK(c.seed == 3);
  CHECK(c.data.name == "circles");
  CHECK(c.layers.size() == 3);
  CHECK(c.layers[0].units == 10);
  CHECK(c.layers[0].activation.kind == Activation::relu);
  CHECK(c.weight_init(0).name == "he_normal");
  CHECK(c.weight_init(2).name == "glorot_uniform");
  CHECK(c.bias_init_of(1).name == "zeros");
  CHECK(c.loss == Loss::bce);
  CHECK(c.optimizer.kind == OptimizerKind::sgd);
  CHECK(c.optimizer.lr == 0.01);
  CHECK(c.batch == 300);
  CHECK_FALSE(c.optimizer.clip_norm.has_value());
}

TEST_CASE("a config round-trips through JSON") {
  Config c;
  REQUIRE_FALSE(parse_config(std::string(R"({"layers": [{"units": 4, "activation": {"name": "leaky_relu", "alpha": 0.2},
      "init": {"name": "variance_scaling", "scale": 2, "mode": "fan_out", "distribution": "uniform"}},
      {"units": 1, "activation": "sigmoid"}], "optimizer": {"name": "adam", "lr": 0.003, "clipNorm": 1}})"), c));
  json first = config_to_json(c);
  Config again;
  REQUIRE_FALSE(parse_config(first, again));
  CHECK(config_to_json(again) == first);
  CHECK(first["layers"][0]["init"]["mode"] == "fan_out");
  CHECK(first["optimizer"]["clipNorm"] == 1);
}

TEST_CASE("an empty object gives the default config") {
  Config c;
  REQUIRE_FALSE(parse_config(std::string("{}"), c));
  CHECK(config_to_json(c) == config_to_json(default_config()));
}

TEST_CASE("config errors name the field path the value and what is allowed") {
  CHECK(parse_error("not json").message == "the config is not valid JSON");
  CHECK(parse_error("[1]").message == "the config must be a JSON object, got [1]");
  Error e = parse_error(R"({"sed": 1})");
  CHECK(e.field == "sed");
  CHECK(e.message.find("unknown key; allowed keys here: seed, data") != std::string::npos);
  e = parse_error(R"({"seed": -1})");
  CHECK(e.field == "seed");
  CHECK(e.message.find("-1 is not allowed; expected an integer from 0 to") == 6);
  e = parse_error(R"({"layers": [{"units": 10}, {"units": 5}, {"units": 0, "activation": "sigmoid"}]})");
  CHECK(e.field == "layers[2].units");
  CHECK(e.message == "layers[2].units: 0 is not allowed; expected an integer from 1 to 1024");
  e = parse_error(R"({"layers": [{"units": 10, "activation": "rleu"}, {"units": 1}]})");
  CHECK(e.field == "layers[0].activation");
  CHECK(e.message.find("\"rleu\"") != std::string::npos);
  e = parse_error(R"({"layers": [{"units": 10, "activation": "softmax"}, {"units": 1}]})");
  CHECK(e.message == "layers[0].activation: \"softmax\" is allowed on the output layer only");
  e = parse_error(R"({"layers": [{"units": 1}]})");
  CHECK(e.field == "layers");
  e = parse_error(R"({"layers": [{"activation": "relu"}, {"units": 1}]})");
  CHECK(e.field == "layers[0].units");
  CHECK(e.message == "layers[0].units: is required; expected an integer from 1 to 1024");
  e = parse_error(R"({"layers": [{"units": 3, "width": 2}, {"units": 1}]})");
  CHECK(e.field == "layers[0].width");
  e = parse_error(R"({"loss": "hinge"})");
  CHECK(e.message == "loss: \"hinge\" is not allowed; expected one of mse, bce, cross_entropy");
  e = parse_error(R"({"init": {"name": "he_normall"}})");
  CHECK(e.field.rfind("init", 0) == 0);
  e = parse_error(R"({"layers": [{"units": 3, "init": {"name": "random_normal", "stddev": -1}}, {"units": 1}]})");
  CHECK(e.field == "layers[0].init.stddev");
  e = parse_error(R"({"optimizer": {"name": "sgd", "batch": 0}})");
  CHECK(e.field == "optimizer.batch");
  CHECK(e.message == "optimizer.batch: 0 is not allowed; expected an integer from 1 to 4096");
  e = parse_error(R"({"optimizer": {"name": "sgd", "lr": "fast"}})");
  CHECK(e.field == "optimizer.lr");
  e = parse_error(R"({"stats": {"bins": 1}})");
  CHECK(e.field == "stats.bins");
  e = parse_error(R"({"data": {"name": "mnist"}})");
  CHECK(e.field == "data.name");
}

TEST_CASE("checks against the data set name the output layer and loss") {
  Config c;
  REQUIRE_FALSE(parse_config(std::string(R"({"layers": [{"units": 4, "activation": "relu"}, {"units": 2, "activation": "sigmoid"}]})"), c));
  auto e = validate_against_data(c, 2, 2);
  REQUIRE(e);
  CHECK(e->message == "layers[1].units: 2 is not allowed; the output layer for circles with bce needs 1 unit");
  REQUIRE_FALSE(parse_config(std::string(R"({"layers": [{"units": 4, "activation": "relu"}, {"units": 1, "activation": "tanh"}]})"), c));
  e = validate_against_data(c, 2, 2);
  REQUIRE(e);
  CHECK(e->message == "layers[1].activation: \"tanh\" is not allowed with the bce loss; expected \"sigmoid\"");
  REQUIRE_FALSE(parse_config(std::string(R"({"biasInit": {"name": "orthogonal"}})"), c));
  e = validate_against_data(c, 2, 2);
  REQUIRE(e);
  CHECK(e->field == "biasInit");
  REQUIRE_FALSE(parse_config(std::string(R"({"data": {"name": "digits"}})"), c));
  e = validate_against_data(c, 64, 10);
  REQUIRE(e);
  CHECK(e->field == "loss");
}

TEST_CASE("resource limits are checked before allocating") {
  Config c;
  json layers = json::array();
  for (int i = 0; i < 64; ++i) layers.push_back({{"units", 1024}, {"activation", "relu"}});
  layers.push_back({{"units", 1}, {"activation", "sigmoid"}});
  REQUIRE_FALSE(parse_config(json{{"layers", layers}, {"optimizer", {{"name", "adam"}, {"batch", 4096}}}}, c));
  CHECK(estimate_run_bytes(c, 2) > kMaxRunBytes);
  auto e = validate_against_data(c, 2, 2);
  REQUIRE(e);
  CHECK(e->field == "layers");
  CHECK(e->message.find("MiB") != std::string::npos);
}
