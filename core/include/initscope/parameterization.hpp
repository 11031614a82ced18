// Parameterizations: how a network's initial spread, its forward pass and its learning rates
// scale with width. One table (parameterization_table.cpp), one row per name: standard (what
// the frameworks do), ntk and mup. The config's `parameterization` names a row; the schema
// lists the rows (`parameterizations`); the docs and the page read them with their words
// (wasm/parameterizationText.mjs).
//
// A row gives, for the input, hidden and output dense layers, four multipliers of what the
// config already says: of the initializer's sampled weights (and biases), of x·W in the
// forward pass (z = c·x·W + b), and of the learning rate for SGD-like optimizers (sgd,
// momentum, nesterov) and for Adam-like ones (adam, rmsprop), as mup's MuSGD and MuAdam
// split them. They are functions of the width multipliers m_in = fan_in / baseWidth and
// m_out = fan_out / baseWidth, where a dimension that is not a width (the data's columns,
// the output units) has multiplier 1, as mup's set_base_shapes treats a "finite"
// dimension. At baseWidth every multiplier is exactly 1: the network is the standard one,
// bit for bit.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/error.hpp"
#include "initscope/optimizer.hpp"
#include "initscope/params.hpp"

namespace initscope {

// Where a dense layer sits: the first (its fan_in is the data's), the last (its fan_out is
// the output units), or between (both are widths).
enum class LayerPlace { input, hidden, output };

// The multipliers of one parameter tensor.
struct TensorMultipliers {
  double init = 1;     // of the sampled values
  double sgd_lr = 1;   // of the learning rate, SGD-like optimizers
  double adam_lr = 1;  // of the learning rate, Adam-like optimizers
};

struct LayerMultipliers {
  TensorMultipliers weight, bias;
  double forward = 1;  // z = forward · x·W + b
};

struct ParameterizationInfo {
  std::string name;   // "mup"
  std::string title;  // "Maximal update parameterization (muP)"
  // What it does and each place's multipliers in words, with their sources, are the row of
  // this name in wasm/parameterizationText.mjs (kept out of the .wasm: only the page and the
  // docs read them).
  std::vector<ParamSpec> params;        // baseWidth (none for standard)
  bool zero_readout = false;            // takes the zeroReadout option
  LayerMultipliers (*multipliers)(LayerPlace place, double m_in, double m_out,
                                  bool zero_readout) = nullptr;
};

// The table, "standard" first (the default).
const std::vector<ParameterizationInfo>& parameterizations();

struct ParameterizationSpec {
  std::string name = "standard";
  int base_width = 64;
  bool zero_readout = false;
  bool is_standard() const { return name == "standard"; }
};

// A name or {"name": ..., "baseWidth": ..., "zeroReadout": ...}; errors name the field
// under `path`.
Status parse_parameterization(const nlohmann::json& value, const std::string& path,
                              ParameterizationSpec& out);
nlohmann::json parameterization_to_json(const ParameterizationSpec& spec);
nlohmann::json parameterizations_schema();

// The place of dense layer l of a network of `layers` layers.
LayerPlace layer_place(std::size_t l, std::size_t layers);
// Layer l's multipliers: fan_in and fan_out are its own, m_in and m_out come from them
// (1 for the data's columns and the output units).
LayerMultipliers layer_multipliers(const ParameterizationSpec& spec, std::size_t l,
                                   std::size_t layers, std::size_t fan_in, std::size_t fan_out);
// The learning-rate multiplier of a tensor for this optimizer kind.
double lr_multiplier(const TensorMultipliers& m, OptimizerKind kind);

}  // namespace initscope
