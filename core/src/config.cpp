#include "initscope/config.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace initscope {

using nlohmann::json;

namespace {

const std::vector<std::string> kTopKeys = {"seed",  "data",      "layers",    "init",
                                           "biasInit", "loss", "optimizer", "stats",
                                           "residualInit", "parameterization"};

ParamSpec seed_spec() {
  return integer_param("seed", static_cast<int>(Config{}.seed), 0, std::numeric_limits<int>::max(),
                       "seed of the initial weights and the minibatch order");
}
ParamSpec units_spec() { return integer_param("units", 10, 1, kMaxUnits, "units of the layer"); }
ParamSpec batch_spec() {
  return integer_param("batch", Config{}.batch, 1, kMaxBatch,
                       "minibatch size; at least the training set size means full batch");
}
// Not keys of the config: how long and how deep any JSON the engine reads may be
// (json_input.hpp), here so that the page checks an import or a URL against the same numbers.
ParamSpec nesting_spec() {
  return integer_param("nesting", kMaxNesting, 1, kMaxNesting,
                       "levels of arrays and objects a config may nest; the config object is "
                       "level 1");
}
ParamSpec input_bytes_spec() {
  return integer_param("inputBytes", kMaxInputBytes, 2, kMaxInputBytes,
                       "bytes of UTF-8 the JSON text of a config may take");
}
ParamSpec values_spec() {
  return integer_param("values", kMaxValues, 1, kMaxValues,
                       "numbers, strings, arrays and objects the JSON text of a config may hold "
                       "(a custom data set's CSV is one string)");
}
std::vector<ParamSpec> stats_specs() {
  const StatsConfig defaults;
  return {integer_param("bins", defaults.bins, 2, kMaxBins, "histogram bins"),
          integer_param("probe", defaults.probe, 1, kMaxProbe,
                        "training examples in the fixed probe batch the statistics come from")};
}


Status check_keys(const json& obj, const std::vector<std::string>& allowed, const std::string& path) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
      return make_error(field_path(path, it.key()),
                        "unknown key; allowed keys here: " + join(allowed));
  }
  return std::nullopt;
}

Status read_int(const json& obj, const ParamSpec& spec, const std::string& path, int& out) {
  auto it = obj.find(spec.name);
  if (it == obj.end()) return std::nullopt;
  if (auto e = check_param(spec, *it, field_path(path, spec.name))) return e;
  out = static_cast<int>(it->get<double>());
  return std::nullopt;
}

InitSpec named_init(const std::string& name) {
  InitSpec spec;
  parse_init(json(name), "", spec);  // a table name: cannot fail
  return spec;
}

// The keys a layer of this kind takes: the common ones it uses, then its own.
std::vector<std::string> layer_keys(const LayerKindInfo<float>& kind) {
  std::vector<std::string> keys{"kind"};
  if (kind.units) keys.push_back("units");
  if (kind.activation) keys.push_back("activation");
  keys.insert(keys.end(), {"init", "biasInit"});
  for (const ParamSpec& p : kind.params) keys.push_back(p.name);
  return keys;
}

Status parse_layer(const json& value, const std::string& path, LayerConfig& layer) {
  if (!value.is_object())
    return make_error(path, show_value(value) +
                                " is not allowed; expected an object like {\"units\": 10, "
                                "\"activation\": \"relu\"}");
  if (value.contains("kind")) {
    const json& name = value["kind"];
    if (!name.is_string() || !find_layer_kind<float>(name.get<std::string>()))
      return make_error(path + ".kind", show_value(name) + " is not allowed; expected one of " +
                                            join(layer_kind_names()));
    layer.kind = name.get<std::string>();
  }
  const LayerKindInfo<float>& kind = *find_layer_kind<float>(layer.kind);
  const std::vector<std::string> keys = layer_keys(kind);
  if (auto e = check_keys(value, keys, path)) return e;
  // The kind's own keys, defaults filled in; the common keys are read below.
  if (auto e = parse_params(value, kind.params, path, keys, layer.params)) return e;
  layer.units = 0;
  if (kind.units) {
    if (!value.contains("units"))
      return make_error(path + ".units", "is required; expected " + describe_allowed(units_spec()));
    if (auto e = read_int(value, units_spec(), path, layer.units)) return e;
  }
  if (value.contains("activation")) {
    if (auto e = parse_activation(value["activation"], path + ".activation", layer.activation))
      return e;
  } else {
    layer.activation = ActivationSpec{Activation::linear, 0.0};
  }
  if (value.contains("init")) {
    InitSpec spec;
    if (auto e = parse_init(value["init"], path + ".init", spec)) return e;
    layer.init = spec;
  }
  if (value.contains("biasInit")) {
    InitSpec spec;
    if (auto e = parse_init(value["biasInit"], path + ".biasInit", spec)) return e;
    layer.bias_init = spec;
  }
  return std::nullopt;
}

std::size_t optimizer_slots(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::sgd: return 0;
    case OptimizerKind::adam: return 2;
    default: return 1;
  }
}

// The residual initialization, read after the layers: a network without blocks is an
// error, the row's rules that depend on L are checked, and a scheme that sets the gate sets
// it on every block, where a block's own gate or alpha key may only agree with it.
Status parse_residual_init_key(const json& value, Config& out) {
  const json& given = value["residualInit"];
  if (auto e = parse_residual_init(given, "residualInit", out.residual_init)) return e;
  if (out.residual_init.is_none()) return std::nullopt;
  const ResidualInitInfo& row = *find_by_name(residual_inits(), out.residual_init.name);
  const int blocks = residual_blocks(out);
  if (blocks == 0)
    return make_error("residualInit", show_value(given) +
                                          " is not allowed in a network without residual "
                                          "blocks; expected \"none\" or a layer of kind "
                                          "\"residual\"");
  if (row.validate)
    if (auto e = row.validate(out.residual_init.params, blocks, "residualInit")) return e;
  if (!row.sets_gate) return std::nullopt;
  const double alpha = row.gate(out.residual_init.params);
  const json* layers = value.contains("layers") ? &value["layers"] : nullptr;
  for (std::size_t l = 0; l < out.layers.size(); ++l) {
    LayerConfig& layer = out.layers[l];
    if (layer.kind != "residual") continue;
    const std::string path = "layers[" + std::to_string(l) + "]";
    const json& raw = layers ? (*layers)[l] : json::object();
    const std::string sets = " is not allowed with residualInit \"" + row.name +
                             "\", which starts every block's gate trainable at " +
                             number_text(alpha) + "; expected ";
    if (raw.contains("gate") && raw["gate"] != "trainable")
      return make_error(path + ".gate", show_value(raw["gate"]) + sets + "\"trainable\" or no gate key");
    if (raw.contains("alpha") && raw["alpha"].get<double>() != alpha)
      return make_error(path + ".alpha", show_value(raw["alpha"]) + sets + number_text(alpha) + " or no alpha key");
    layer.params.choices["gate"] = "trainable";
    layer.params.numbers["alpha"] = alpha;
  }
  return std::nullopt;
}

// The parameterization, read last: its multipliers are those of dense layers, and LSUV
// would rescale away the spread it sets, so a network with other kinds or LSUV keeps the
// standard one.
Status parse_parameterization_key(const json& value, Config& out) {
  const json& given = value["parameterization"];
  if (auto e = parse_parameterization(given, "parameterization", out.parameterization)) return e;
  if (out.parameterization.is_standard()) return std::nullopt;
  const std::string with = " is not allowed with parameterization \"" +
                           out.parameterization.name + "\"; expected ";
  for (std::size_t l = 0; l < out.layers.size(); ++l) {
    const std::string path = "layers[" + std::to_string(l) + "]";
    if (out.layers[l].kind != "dense")
      return make_error(path + ".kind", "\"" + out.layers[l].kind + "\"" + with +
                                            "\"dense\" layers only (its multipliers are "
                                            "those of dense layers)");
    if (out.layers[l].init && out.layers[l].init->name == "lsuv")
      return make_error(path + ".init", "\"lsuv\"" + with +
                                            "another initializer (LSUV would rescale away the "
                                            "spread the parameterization sets)");
  }
  if (out.init.name == "lsuv")
    return make_error("init", "\"lsuv\"" + with +
                                  "another initializer (LSUV would rescale away the spread "
                                  "the parameterization sets)");
  return std::nullopt;
}

}  // namespace

int residual_blocks(const Config& config) {
  int n = 0;
  for (const LayerConfig& layer : config.layers) n += layer.kind == "residual";
  return n;
}

// What the struct's members do not already say: the network and its initializers (the
// seed, optimizer, batch and statistics are the members' defaults).
Config default_config() {
  Config c;
  c.layers = {LayerConfig{10, {Activation::relu, 0.0}, {}, {}, "dense", {}},
              LayerConfig{5, {Activation::relu, 0.0}, {}, {}, "dense", {}},
              LayerConfig{1, {Activation::sigmoid, 0.0}, {}, {}, "dense", {}}};
  c.init = named_init("he_normal");
  c.bias_init = named_init("zeros");
  c.loss = Loss::bce;
  return c;
}

Status parse_config(const std::string& text, Config& out) {
  json value;
  if (auto e = parse_json_input(text, "", "the config", value)) {
    out = default_config();
    return e;
  }
  return parse_config(value, out);
}

Status parse_config(const json& value, Config& out) {
  out = default_config();
  if (!value.is_object())
    return make_error("", "the config must be a JSON object, got " + show_value(value));
  if (auto e = check_keys(value, kTopKeys, "")) return e;

  if (value.contains("seed")) {
    int seed = 0;
    if (auto e = read_int(value, seed_spec(), "", seed)) return e;
    out.seed = static_cast<std::uint64_t>(seed);
  }
  if (value.contains("data")) {
    if (auto e = parse_data_config(value["data"], "data", out.data)) return e;
  }
  if (value.contains("layers")) {
    const json& layers = value["layers"];
    if (!layers.is_array() || layers.size() < 2 || layers.size() > kMaxHiddenLayers + 1)
      return make_error("layers", show_value(layers) +
                                      " is not allowed; expected an array of 2 to " +
                                      std::to_string(kMaxHiddenLayers + 1) +
                                      " layers (1 to 64 hidden layers, then the output layer)");
    out.layers.clear();
    for (std::size_t l = 0; l < layers.size(); ++l) {
      LayerConfig layer;
      std::string path = "layers[" + std::to_string(l) + "]";
      if (auto e = parse_layer(layers[l], path, layer)) return e;
      if (l + 1 == layers.size() && !find_layer_kind<float>(layer.kind)->output)
        return make_error(path + ".kind", "\"" + layer.kind +
                                              "\" is not allowed on the output layer; expected "
                                              "\"dense\"");
      if (activation_info(layer.activation.kind).output_only && l + 1 != layers.size())
        return make_error(path + ".activation",
                          "\"" + activation_info(layer.activation.kind).name +
                              "\" is allowed on the output layer only");
      out.layers.push_back(layer);
    }
  }
  if (value.contains("init")) {
    if (auto e = parse_init(value["init"], "init", out.init)) return e;
  }
  if (value.contains("biasInit")) {
    if (auto e = parse_init(value["biasInit"], "biasInit", out.bias_init)) return e;
  }
  if (value.contains("loss")) {
    if (auto e = parse_loss(value["loss"], "loss", out.loss)) return e;
  }
  if (value.contains("optimizer")) {
    const json& opt = value["optimizer"];
    if (auto e = parse_optimizer(opt, "optimizer", out.optimizer)) return e;
    if (opt.is_object()) {
      if (auto e = read_int(opt, batch_spec(), "optimizer", out.batch)) return e;
    }
  }
  if (value.contains("residualInit")) {
    if (auto e = parse_residual_init_key(value, out)) return e;
  }
  if (value.contains("stats")) {
    Params p;
    if (auto e = parse_params(value["stats"], stats_specs(), "stats", {}, p)) return e;
    out.stats.bins = static_cast<int>(p.number("bins"));
    out.stats.probe = static_cast<int>(p.number("probe"));
  }
  if (value.contains("parameterization")) {
    if (auto e = parse_parameterization_key(value, out)) return e;
  }
  return std::nullopt;
}

std::vector<LayerSpec> layer_specs(const Config& config, std::size_t input_dim) {
  std::vector<LayerSpec> specs;
  std::size_t width = input_dim;
  const std::size_t n = config.layers.size();
  for (std::size_t l = 0; l < n; ++l) {
    const LayerConfig& layer = config.layers[l];
    const std::size_t fan_in = width;
    if (layer.units > 0) width = static_cast<std::size_t>(layer.units);
    const double multiplier =
        layer_multipliers(config.parameterization, l, n, fan_in, width).forward;
    specs.push_back({layer.kind, width, layer.activation, layer.params, multiplier});
  }
  return specs;
}

InitSpec tensor_init(const Config& config, std::size_t l, const ParamTensor& t) {
  const LayerConfig& layer = config.layers[l];
  const std::optional<InitSpec>& key = t.takes_init_key() ? layer.init : layer.bias_init;
  if (key && t.layer_keys) return *key;
  if (!t.default_init.empty()) {
    InitSpec spec = named_init(t.default_init);
    if (t.default_init == "constant" && !std::isnan(t.default_value)) spec.params.numbers["value"] = t.default_value;
    return spec;
  }
  return t.takes_init_key() ? config.init : config.bias_init;
}

double estimate_run_bytes(const Config& config, int input_dim) {
  double params = 0, units = 0, widest = 0;
  std::size_t fan_in = static_cast<std::size_t>(input_dim);
  for (const LayerSpec& spec : layer_specs(config, fan_in)) {
    // The kind's own count (a dense layer: (fan_in + 1)·units); making a layer allocates
    // no caches.
    const auto layer = make_layer<float>(spec, fan_in);
    params += static_cast<double>(layer->num_params());
    units += static_cast<double>(layer->cache_units());
    widest = std::max(widest, static_cast<double>(spec.units));
    fan_in = spec.units;
  }
  // params, grads, initial copy, pre-step copy in float; the weight-decay mask; optimizer
  // state in double.
  double per_param = 4.0 * 4 + 1 + 8.0 * optimizer_slots(config.optimizer.kind);
  // z, a, dz per layer and their scratch; a fourth array per layer matches what a step and
  // a snapshot were measured to take (64 × 1024 units: 1336 MiB in use, estimated 1344).
  double rows = std::max(config.batch, config.stats.probe);
  double caches = 4.0 * rows * (4 * units + widest);
  double data = 4.0 * (config.data.train + config.data.test + rows) * input_dim;
  return per_param * params + caches + data;
}

Status validate_against_data(const Config& config, int input_dim, int num_classes,
                             double free_bytes) {
  const std::size_t last = config.layers.size() - 1;
  const std::string out_path = "layers[" + std::to_string(last) + "]";
  const LayerConfig& output = config.layers[last];
  const LossInfo& loss = losses()[static_cast<std::size_t>(config.loss)];
  int want_units = output_units(config.loss, num_classes);
  if (want_units == 0)
    return make_error("loss", "\"" + loss.name + "\" is not allowed for " + config.data.name +
                                  ", which has " + std::to_string(num_classes) +
                                  " classes; expected cross_entropy or mse");
  if (output.units != want_units)
    return make_error(out_path + ".units",
                      std::to_string(output.units) + " is not allowed; the output layer for " +
                          config.data.name + " with " + loss.name + " needs " +
                          std::to_string(want_units) + (want_units == 1 ? " unit" : " units"));
  if (!loss.any_output && output.activation.kind != loss.required_output)
    return make_error(out_path + ".activation",
                      "\"" + activation_info(output.activation.kind).name +
                          "\" is not allowed with the " + loss.name + " loss; expected \"" +
                          activation_info(loss.required_output).name + "\"");
  if (loss.any_output && output.activation.kind == Activation::softmax && want_units == 1)
    return make_error(out_path + ".activation",
                      "\"softmax\" over a single unit is constant; expected another activation");
  // Every parameter tensor's initializer accepts its shape (a named default always does).
  std::size_t fan_in = static_cast<std::size_t>(input_dim);
  const std::vector<LayerSpec> specs = layer_specs(config, fan_in);
  for (std::size_t l = 0; l < specs.size(); ++l) {
    const std::string path = "layers[" + std::to_string(l) + "]";
    const LayerConfig& layer = config.layers[l];
    // The layer outlives the loop (a temporary in the range expression would not).
    const auto made = make_layer<float>(specs[l], fan_in);
    for (const ParamTensor& t : made->tensors) {
      const bool weight = t.takes_init_key();
      const bool own = t.layer_keys && (weight ? layer.init.has_value() : layer.bias_init.has_value());
      if (!own && !t.default_init.empty()) continue;
      const std::string key = weight ? "init" : "biasInit";
      if (auto e = check_init_shape(tensor_init(config, l, t), t.shape, own ? path + "." + key : key))
        return e;
    }
    fan_in = specs[l].units;
  }
  const double bytes = estimate_run_bytes(config, input_dim);
  auto mib = [](double b) { return std::to_string(static_cast<long long>(b / 1048576)); };
  if (bytes > kMaxRunBytes)
    return make_error("layers", "this network needs about " + mib(bytes) + " MiB, more than the " +
                                    mib(kMaxRunBytes) +
                                    " MiB a run may use; use fewer or narrower layers or a "
                                    "smaller batch");
  if (bytes > free_bytes)
    return make_error("layers", "this network needs about " + mib(bytes) + " MiB, but only " +
                                    mib(std::max(0.0, free_bytes)) +
                                    " MiB of memory are free beside the other runs; dispose "
                                    "of other runs, or use fewer or narrower layers or a "
                                    "smaller batch");
  return std::nullopt;
}

json config_to_json(const Config& c) {
  json j;
  j["seed"] = c.seed;
  j["data"] = data_config_to_json(c.data);
  j["layers"] = json::array();
  for (const auto& layer : c.layers) {
    json lj = json::object();
    // A dense layer says no kind: configs from before kinds existed stay byte-identical.
    if (layer.kind != "dense") lj["kind"] = layer.kind;
    const LayerKindInfo<float>& kind = *find_layer_kind<float>(layer.kind);
    if (kind.units) lj["units"] = layer.units;
    if (kind.activation) lj["activation"] = activation_to_json(layer.activation);
    for (const ParamSpec& p : kind.params) {
      if (p.kind == ParamKind::choice)
        lj[p.name] = layer.params.choice(p.name);
      else
        lj[p.name] = layer.params.number(p.name);
    }
    if (layer.init) lj["init"] = init_to_json(*layer.init);
    if (layer.bias_init) lj["biasInit"] = init_to_json(*layer.bias_init);
    j["layers"].push_back(lj);
  }
  j["init"] = init_to_json(c.init);
  j["biasInit"] = init_to_json(c.bias_init);
  for (const auto& info : losses())
    if (info.kind == c.loss) j["loss"] = info.name;
  j["optimizer"] = optimizer_to_json(c.optimizer);
  j["optimizer"]["batch"] = c.batch;
  j["stats"] = {{"bins", c.stats.bins}, {"probe", c.stats.probe}};
  // Only when set: configs without blocks echo as they did before the key existed.
  if (!c.residual_init.is_none()) j["residualInit"] = residual_init_to_json(c.residual_init);
  // Only when not standard: configs and links from before the key echo as they did.
  if (!c.parameterization.is_standard())
    j["parameterization"] = parameterization_to_json(c.parameterization);
  return j;
}

json config_schema() {
  return json{{"seed", param_schema(seed_spec())},
              {"batch", param_schema(batch_spec())},
              {"units", param_schema(units_spec())},
              {"stats", params_schema(stats_specs())},
              {"hiddenLayers", {{"min", 1}, {"max", kMaxHiddenLayers}}},
              {"nesting", param_schema(nesting_spec())},
              {"inputBytes", param_schema(input_bytes_spec())},
              {"values", param_schema(values_spec())},
              {"maxRunBytes", kMaxRunBytes},
              // Every key a config may have, in the order of the unknown-key error; the
              // default echoes only some of them (residualInit and parameterization only
              // when set).
              {"keys", kTopKeys},
              {"default", config_to_json(default_config())}};
}

}  // namespace initscope
