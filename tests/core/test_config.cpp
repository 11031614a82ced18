#include <doctest/doctest.h>

#include <functional>

#include "initscope/config.hpp"
#include "initscope/schema.hpp"
#include "initscope/text.hpp"

using namespace initscope;
using nlohmann::json;

namespace {
Error parse_error(const std::string& text) {
  Config c;
  auto e = parse_config(text, c);
  REQUIRE_MESSAGE(e.has_value(), text);
  return *e;
}

// A place in a config where a value goes: its field path, and the config with a value there.
struct Slot {
  std::string field;
  std::function<json(const json&)> config;
};

json two_layers(const json& hidden) {
  return json::array({hidden, {{"units", 1}, {"activation", "sigmoid"}}});
}

bool is_number_row(const json& row) { return row["type"] == "number" || row["type"] == "integer"; }

// Every place a number goes, from the schema's rows: top-level, layer, optimizer and stats
// fields, and each data set's, initializer's, activation's and optimizer's parameters.
std::vector<Slot> number_slots() {
  const json s = schema();
  std::vector<Slot> out = {
      {"seed", [](const json& v) { return json{{"seed", v}}; }},
      {"layers[0].units", [](const json& v) { return json{{"layers", two_layers({{"units", v}})}}; }},
      {"optimizer.batch", [](const json& v) { return json{{"optimizer", {{"name", "sgd"}, {"batch", v}}}}; }},
  };
  for (const auto& row : s["config"]["stats"]) {
    const std::string name = row["name"];
    if (is_number_row(row)) out.push_back({"stats." + name, [name](const json& v) { return json{{"stats", {{name, v}}}}; }});
  }
  for (const auto& set : s["datasets"]["datasets"]) {
    const std::string set_name = set["name"];
    for (const auto& row : set["params"]) {
      const std::string name = row["name"];
      if (is_number_row(row))
        out.push_back({"data." + name, [=](const json& v) { return json{{"data", {{"name", set_name}, {name, v}}}}; }});
    }
  }
  for (const auto& init : s["initializers"]) {
    const std::string init_name = init["name"];
    for (const auto& row : init["params"]) {
      const std::string name = row["name"];
      if (is_number_row(row))
        out.push_back({"init." + name, [=](const json& v) { return json{{"init", {{"name", init_name}, {name, v}}}}; }});
    }
  }
  for (const auto& act : s["activations"]) {
    const std::string act_name = act["name"];
    for (const auto& row : act["params"]) {
      const std::string name = row["name"];
      if (is_number_row(row) && !act["outputOnly"].get<bool>())
        out.push_back({"layers[0].activation." + name, [=](const json& v) {
                         return json{{"layers", two_layers({{"units", 4}, {"activation", {{"name", act_name}, {name, v}}}})}};
                       }});
    }
  }
  for (const auto& kind : s["layerKinds"]) {
    const std::string kind_name = kind["name"];
    for (const auto& row : kind["params"]) {
      const std::string name = row["name"];
      if (is_number_row(row))
        out.push_back({"layers[0]." + name, [=](const json& v) {
                         json layer{{"kind", kind_name}, {name, v}};
                         if (kind["units"].get<bool>()) layer["units"] = 4;
                         return json{{"layers", two_layers(layer)}};
                       }});
    }
  }
  for (const auto& opt : s["optimizers"]["optimizers"]) {
    const std::string opt_name = opt["name"];
    for (const auto& param : opt["params"]) {
      const std::string name = param;
      for (const auto& row : s["optimizers"]["params"])
        if (row["name"] == name && is_number_row(row))
          out.push_back({"optimizer." + name, [=](const json& v) { return json{{"optimizer", {{"name", opt_name}, {name, v}}}}; }});
    }
  }
  return out;
}

// Every place a name or a choice goes: data sets, activations, initializers, losses,
// optimizers, bare and in object form, and every choice parameter of the schema's rows.
std::vector<Slot> string_slots() {
  const json s = schema();
  auto layer = [](const json& activation) { return json{{"layers", two_layers({{"units", 4}, {"activation", activation}})}}; };
  std::vector<Slot> out = {
      {"data", [](const json& v) { return json{{"data", v}}; }},
      {"data.name", [](const json& v) { return json{{"data", {{"name", v}}}}; }},
      {"layers[0].activation", [=](const json& v) { return layer(v); }},
      {"layers[0].activation.name", [=](const json& v) { return layer({{"name", v}}); }},
      {"init", [](const json& v) { return json{{"init", v}}; }},
      {"init.name", [](const json& v) { return json{{"init", {{"name", v}}}}; }},
      {"biasInit", [](const json& v) { return json{{"biasInit", v}}; }},
      {"layers[0].init", [](const json& v) { return json{{"layers", two_layers({{"units", 4}, {"init", v}})}}; }},
      {"layers[0].kind", [](const json& v) { return json{{"layers", two_layers({{"units", 4}, {"kind", v}})}}; }},
      {"loss", [](const json& v) { return json{{"loss", v}}; }},
      {"optimizer", [](const json& v) { return json{{"optimizer", v}}; }},
      {"optimizer.name", [](const json& v) { return json{{"optimizer", {{"name", v}}}}; }},
  };
  for (const auto& init : s["initializers"]) {
    const std::string init_name = init["name"];
    for (const auto& row : init["params"]) {
      const std::string name = row["name"];
      if (row["type"] == "choice")
        out.push_back({"init." + name, [=](const json& v) { return json{{"init", {{"name", init_name}, {name, v}}}}; }});
    }
  }
  for (const auto& set : s["datasets"]["datasets"]) {
    const std::string set_name = set["name"];
    for (const auto& row : set["params"]) {
      const std::string name = row["name"];
      if (row["type"] == "choice")
        out.push_back({"data." + name, [=](const json& v) { return json{{"data", {{"name", set_name}, {name, v}}}}; }});
    }
  }
  for (const auto& row : s["optimizers"]["params"]) {
    const std::string name = row["name"];
    if (row["type"] == "choice")
      out.push_back({"optimizer." + name, [=](const json& v) { return json{{"optimizer", {{"name", "sgd"}, {name, v}}}}; }});
  }
  return out;
}

// Every object of a config that has keys: an unknown key there is named by its path.
std::vector<std::pair<std::string, std::function<json(const std::string&)>>> key_places() {
  return {
      {"", [](const std::string& k) { return json{{k, 1}}; }},
      {"data", [](const std::string& k) { return json{{"data", {{"name", "circles"}, {k, 1}}}}; }},
      {"layers[0]", [](const std::string& k) { return json{{"layers", two_layers({{"units", 4}, {k, 1}})}}; }},
      {"layers[0]", [](const std::string& k) { return json{{"layers", two_layers({{"kind", "layernorm"}, {k, 1}})}}; }},
      {"layers[0].activation", [](const std::string& k) {
         return json{{"layers", two_layers({{"units", 4}, {"activation", {{"name", "relu"}, {k, 1}}}})}};
       }},
      {"init", [](const std::string& k) { return json{{"init", {{"name", "he_normal"}, {k, 1}}}}; }},
      {"optimizer", [](const std::string& k) { return json{{"optimizer", {{"name", "adam"}, {k, 1}}}}; }},
      {"stats", [](const std::string& k) { return json{{"stats", {{k, 1}}}}; }},
  };
}

// One character of each UTF-8 length: é (2 bytes), € (3), 𝄞 (4), 😀 (4, an emoji).
const std::vector<std::string> kChars = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E",
                                         "\xF0\x9F\x98\x80"};

// The text of `config` with `token` written where the string "@@" was: a number as typed.
std::string with_token(const json& config, const std::string& token) {
  std::string text = json_text(config);
  const std::size_t at = text.find("\"@@\"");
  REQUIRE(at != std::string::npos);
  return text.replace(at, 4, token);
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

TEST_CASE("the schema's defaults are the structs' and the default config's") {
  const json schema = config_schema();
  const Config defaults = default_config();
  CHECK(schema["seed"]["default"] == defaults.seed);
  CHECK(schema["seed"]["default"] == Config{}.seed);
  CHECK(schema["batch"]["default"] == defaults.batch);
  CHECK(schema["stats"][0]["default"] == defaults.stats.bins);
  CHECK(schema["stats"][1]["default"] == defaults.stats.probe);
  CHECK(schema["default"]["seed"] == defaults.seed);
  // A bare optimizer name and an empty object read the struct's defaults, as the schema says.
  OptimizerConfig bare;
  REQUIRE_FALSE(parse_optimizer(json("adam"), "optimizer", bare));
  const json rows = optimizers_schema()["params"];
  for (const auto& row : rows) {
    if (row["nullable"].get<bool>() || row["name"] == "lr") continue;
    CHECK(optimizer_to_json(bare)[row["name"].get<std::string>()] == row["default"]);
    CHECK(optimizer_to_json(OptimizerConfig{})[row["name"].get<std::string>()] == row["default"]);
  }
}

TEST_CASE("config errors name the field path the value and what is allowed") {
  CHECK(parse_error("not json").message.find("the config is not valid JSON at line 1, column ") == 0);
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

TEST_CASE("a layer's kind is one of the table's and decides its keys") {
  // The allowed names come from layer_kinds().
  Error e = parse_error(R"({"layers": [{"kind": "groupnorm", "units": 3}, {"units": 1}]})");
  CHECK(e.field == "layers[0].kind");
  CHECK(e.message == "layers[0].kind: \"groupnorm\" is not allowed; expected one of " + join(layer_kind_names()));
  CHECK(e.message.find("dense, layernorm") != std::string::npos);
  e = parse_error(R"({"layers": [{"kind": 3, "units": 3}, {"units": 1}]})");
  CHECK(e.message.rfind("layers[0].kind: 3 is not allowed; expected one of dense", 0) == 0);
  // LayerNorm keeps its width and has no activation: units and activation are unknown keys.
  e = parse_error(R"({"layers": [{"kind": "layernorm", "units": 3}, {"units": 1}]})");
  CHECK(e.field == "layers[0].units");
  CHECK(e.message.find("allowed keys here: kind, init, biasInit, epsilon") != std::string::npos);
  e = parse_error(R"({"layers": [{"kind": "layernorm", "activation": "relu"}, {"units": 1}]})");
  CHECK(e.field == "layers[0].activation");
  e = parse_error(R"({"layers": [{"kind": "layernorm", "epsilon": 0}, {"units": 1}]})");
  CHECK(e.field == "layers[0].epsilon");
  CHECK(e.message == "layers[0].epsilon: 0 is not allowed; expected " +
                         describe_allowed(layer_kinds<float>()[1].params[0]));
  e = parse_error(R"({"layers": [{"units": 4}, {"kind": "layernorm"}]})");
  CHECK(e.message == "layers[1].kind: \"layernorm\" is not allowed on the output layer; expected \"dense\"");

  Config c;
  REQUIRE_FALSE(parse_config(std::string(R"({"layers": [{"units": 4, "activation": "relu"},
      {"kind": "layernorm", "epsilon": 0.001}, {"units": 1, "activation": "sigmoid"}]})"), c));
  CHECK(c.layers[1].kind == "layernorm");
  CHECK(c.layers[1].params.number("epsilon") == 0.001);
  const json j = config_to_json(c);
  CHECK(j["layers"][1] == json{{"kind", "layernorm"}, {"epsilon", 0.001}});
  // A dense layer writes no kind: configs from before kinds are byte-identical.
  CHECK_FALSE(j["layers"][0].contains("kind"));
  Config again;
  REQUIRE_FALSE(parse_config(j, again));
  CHECK(config_to_json(again) == j);
  REQUIRE_FALSE(parse_config(std::string(R"({"layers": [{"kind": "dense", "units": 4}, {"units": 1, "activation": "sigmoid"}]})"), again));
  CHECK_FALSE(config_to_json(again)["layers"][0].contains("kind"));
  // The widths the network makes: LayerNorm takes the width before it.
  const std::vector<LayerSpec> specs = layer_specs(c, 2);
  CHECK(specs[1].units == 4);
  CHECK(specs[2].units == 1);
}

TEST_CASE("a BatchNorm layer takes epsilon and momentum in their ranges and is never the output layer") {
  const LayerKindInfo<float>& kind = *find_layer_kind<float>("batchnorm");
  REQUIRE(kind.params.size() == 2);
  CHECK(kind.params[0].name == "epsilon");
  CHECK(kind.params[0].default_value == 1e-5);
  CHECK(kind.params[1].name == "momentum");
  CHECK(kind.params[1].default_value == 0.1);
  Error e = parse_error(R"({"layers": [{"units": 4}, {"kind": "batchnorm", "epsilon": 0}, {"units": 1}]})");
  CHECK(e.field == "layers[1].epsilon");
  CHECK(e.message == "layers[1].epsilon: 0 is not allowed; expected " + describe_allowed(kind.params[0]));
  e = parse_error(R"({"layers": [{"units": 4}, {"kind": "batchnorm", "momentum": 1.5}, {"units": 1}]})");
  CHECK(e.field == "layers[1].momentum");
  CHECK(e.message == "layers[1].momentum: 1.5 is not allowed; expected " + describe_allowed(kind.params[1]));
  e = parse_error(R"({"layers": [{"units": 4}, {"kind": "batchnorm", "momentum": -0.1}, {"units": 1}]})");
  CHECK(e.field == "layers[1].momentum");
  e = parse_error(R"({"layers": [{"units": 4}, {"kind": "batchnorm", "units": 4}, {"units": 1}]})");
  CHECK(e.field == "layers[1].units");
  CHECK(e.message.find("allowed keys here: kind, init, biasInit, epsilon, momentum") != std::string::npos);
  e = parse_error(R"({"layers": [{"units": 4}, {"kind": "batchnorm"}]})");
  CHECK(e.message == "layers[1].kind: \"batchnorm\" is not allowed on the output layer; expected \"dense\"");
  Config c;
  REQUIRE_FALSE(parse_config(std::string(R"({"layers": [{"units": 4, "activation": "relu"},
      {"kind": "batchnorm", "momentum": 0.01}, {"units": 1, "activation": "sigmoid"}]})"), c));
  CHECK(c.layers[1].params.number("momentum") == 0.01);
  CHECK(c.layers[1].params.number("epsilon") == 1e-5);
  CHECK(config_to_json(c)["layers"][1] == json{{"kind", "batchnorm"}, {"epsilon", 1e-5}, {"momentum", 0.01}});
}

TEST_CASE("the schema lists the layer kinds from the table") {
  const json kinds = schema()["layerKinds"];
  REQUIRE(kinds.size() == layer_kinds<float>().size());
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const LayerKindInfo<float>& row = layer_kinds<float>()[k];
    CHECK(kinds[k]["name"] == row.name);
    CHECK(kinds[k]["doc"] == row.doc);
    CHECK(kinds[k]["keras"] == row.keras);
    CHECK(kinds[k]["pytorch"] == row.pytorch);
    CHECK(kinds[k]["params"] == params_schema(row.params));
  }
  CHECK(kinds[1]["name"] == "layernorm");
  CHECK(kinds[1]["params"][0]["name"] == "epsilon");
  CHECK(kinds[1]["params"][0]["default"] == 1e-5);
  CHECK(kinds[1]["units"] == false);
  CHECK(kinds[0]["output"] == true);
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

TEST_CASE("a run larger than the memory left is refused naming the MiB it needs and those free") {
  Config c = default_config();
  const double need = estimate_run_bytes(c, 2);
  CHECK_FALSE(validate_against_data(c, 2, 2, need));
  auto e = validate_against_data(c, 2, 2, need - 1);
  REQUIRE(e);
  CHECK(e->field == "layers");
  CHECK(e->message.find("MiB of memory are free beside the other runs") != std::string::npos);
}

TEST_CASE("multibyte text at every cut position in every string field gives a message that is valid text") {
  const auto slots = string_slots();
  CHECK(slots.size() >= 15);
  for (const auto& ch : kChars) {
    for (std::size_t before = 50; before <= 62; ++before) {
      const std::string value = std::string(before, 'a') + ch + "aaaa";
      for (const auto& slot : slots) {
        Error e = parse_error(json_text(slot.config(value)));
        CHECK_MESSAGE(e.field == slot.field, e.message);
        CHECK(valid_utf8(e.message) == e.message);
        CHECK(e.message.find("\"" + std::string(40, 'a')) != std::string::npos);  // the value
        CHECK(e.message.find("allowed") != std::string::npos);                       // what is allowed
      }
      for (const auto& [path, make] : key_places()) {
        Error e = parse_error(json_text(make(value)));
        CHECK(e.field == field_path(path, value));
        CHECK(valid_utf8(e.field) == e.field);
        CHECK(valid_utf8(e.message) == e.message);
        CHECK(e.message.find("unknown key; allowed keys here: ") != std::string::npos);
      }
    }
  }
}

TEST_CASE("numbers JSON cannot hold are refused in every number field naming it and the number") {
  const auto slots = number_slots();
  CHECK(slots.size() >= 40);
  const std::string nines(400, '9');
  for (const auto& slot : slots) {
    for (const std::string& token : {std::string("1e309"), std::string("-1e309"), nines, "-" + nines}) {
      Error e = parse_error(with_token(slot.config("@@"), token));
      CHECK_MESSAGE(e.field == slot.field, e.message);
      CHECK(e.message == slot.field + ": " + cut_text(token) +
                             " is not allowed; expected a finite number (JSON numbers reach about 1.8e308)");
    }
    for (const std::string& token : {"NaN", "Infinity", "-Infinity"}) {
      Error e = parse_error(with_token(slot.config("@@"), token));
      CHECK_MESSAGE(e.field == slot.field, e.message);
      CHECK(e.message.find(slot.field + ": not valid JSON at line 1") == 0);
    }
    // A finite number far out of every range: the field's own check names what is allowed.
    Error e = parse_error(json_text(slot.config(-1e300)));
    CHECK_MESSAGE(e.field == slot.field, e.message);
    CHECK(e.message.find("-1e+300 is not allowed; expected ") != std::string::npos);
  }
}

TEST_CASE("a config nested past the limit is refused before it is parsed") {
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  Error e = parse_error("{\"layers\": [{\"units\": 4, \"init\": {\"name\": \"constant\", \"value\": " + deep + "}}]}");
  CHECK(e.field == "layers");
  CHECK(e.message == "layers: the config nests arrays and objects 5004 levels deep; at most 32 levels are allowed");
  CHECK(config_schema()["nesting"]["max"] == kMaxNesting);
}
