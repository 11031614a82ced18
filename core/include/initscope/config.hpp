// The run's configuration: the JSON shape that the JS API, the CLI, URLs and presets
// share. Parsed and validated here; every error names the field path, the value and
// what is allowed. Extend this shape, never rename its keys.
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/activation.hpp"
#include "initscope/data.hpp"
#include "initscope/error.hpp"
#include "initscope/init.hpp"
#include "initscope/json_input.hpp"
#include "initscope/layer.hpp"
#include "initscope/loss.hpp"
#include "initscope/optimizer.hpp"
#include "initscope/parameterization.hpp"
#include "initscope/residual_init.hpp"

namespace initscope {

struct LayerConfig {
  int units = 1;  // 0 for a kind that keeps its input's width
  ActivationSpec activation;
  std::optional<InitSpec> init;       // overrides Config::init for this layer's weights
  std::optional<InitSpec> bias_init;  // overrides Config::bias_init
  std::string kind = "dense";         // a name of layer_kinds()
  Params params;                      // the kind's own keys (LayerKindInfo::params)
};

// The defaults written here are the only ones: the spec rows the schema reports
// (config_schema) take theirs from a default-constructed struct.
struct StatsConfig {
  int bins = 40;     // histogram bins
  int probe = 256;   // examples of the fixed probe batch the statistics come from
};

struct Config {
  std::uint64_t seed = 3;  // initial weights and minibatch order
  DataConfig data;
  std::vector<LayerConfig> layers;  // hidden layers, then the output layer
  InitSpec init;       // default weight initializer
  InitSpec bias_init;  // default bias initializer
  Loss loss = Loss::bce;
  OptimizerConfig optimizer;
  int batch = 300;     // minibatch size; larger than the training set means full batch
  StatsConfig stats;
  // How the residual blocks start (residual_init.hpp); "none" unless the config says.
  ResidualInitSpec residual_init;
  // How width scales the layers' spread, forward pass and learning rates
  // (parameterization.hpp); "standard" unless the config says.
  ParameterizationSpec parameterization;

  const InitSpec& weight_init(std::size_t l) const {
    return layers[l].init ? *layers[l].init : init;
  }
  const InitSpec& bias_init_of(std::size_t l) const {
    return layers[l].bias_init ? *layers[l].bias_init : bias_init;
  }
};

// The layers as the network makes them, each reading the width of the one before (the
// input's for the first): a kind that keeps its width gets it as its units.
std::vector<LayerSpec> layer_specs(const Config& config, std::size_t input_dim);

// The residual blocks of the network (layers of kind "residual").
int residual_blocks(const Config& config);

// The initializer of layer l's parameter tensor t: the layer's `init` (weights, gains) or
// `biasInit` (biases, shifts) key, else the tensor's default (the config's `init` or
// `biasInit`, or the initializer it names).
InitSpec tensor_init(const Config& config, std::size_t l, const ParamTensor& t);

// Limits the schema reports and the parser enforces.
constexpr int kMaxHiddenLayers = 64;
constexpr int kMaxUnits = 1024;
constexpr int kMaxBatch = 4096;
constexpr int kMaxBins = 256;
constexpr int kMaxProbe = 4096;
// What a run may allocate (parameters, optimizer state, caches), checked before any
// allocation: wasm32 memory ends at 2 GiB in our build, and the rest of the module (data,
// JSON, the JS API's copies) needs room beside the run. 1.5 GiB lets the widest, deepest
// network the config allows (64 × 1024 units, 1344 MiB) train with plain SGD at batch 32.
constexpr double kMaxRunBytes = 1536.0 * 1024.0 * 1024.0;

// Text: nesting and JSON syntax first (parse_json_input), then the value.
Status parse_config(const std::string& text, Config& out);
Status parse_config(const nlohmann::json& value, Config& out);
nlohmann::json config_to_json(const Config& config);  // round-trips through parse_config

// The default configuration (the Coursera circles network with He init).
Config default_config();

// Checks what depends on the data set (output units and activation for the loss and the
// number of classes, initializer ranks) and the memory the run would take: at most
// kMaxRunBytes, and at most `free_bytes`, what the caller's memory can still give.
Status validate_against_data(const Config& config, int input_dim, int num_classes,
                             double free_bytes = std::numeric_limits<double>::infinity());

// Estimated bytes a run with this config allocates.
double estimate_run_bytes(const Config& config, int input_dim);

// The top-level fields with types, defaults and ranges, for the page and the docs.
nlohmann::json config_schema();

}  // namespace initscope
