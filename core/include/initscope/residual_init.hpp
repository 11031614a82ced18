// Residual initializations: how a network of residual blocks starts, each under its
// published name. One table (residual_init_table.cpp); the config's `residualInit` names a
// row, the schema lists the rows (`residualInits`), the docs and the page read them.
//
// A row acts in two places. At parse time it may set every block's gate (trainable, at
// a value): a block whose own `gate` or `alpha` key says otherwise is an error naming the
// field, and the config echo writes the gate the scheme set. After the tensors are sampled
// (and after LSUV) it multiplies them: a block's branch weights before the last, its last
// dense layer's weights, its biases, and the output layer's weights, each by a factor of
// the row (0 zeroes them).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/error.hpp"
#include "initscope/params.hpp"

namespace initscope {

// The multipliers a scheme applies after sampling (1: untouched).
struct ResidualScaling {
  double first = 1;   // a branch's weights before its last dense layer (W1 with branch 2)
  double last = 1;    // the branch's last dense layer's weights (W2, or W1 with branch 1)
  double biases = 1;  // the block's b1, b2
  double output = 1;  // the output layer's weights
};

struct ResidualInitInfo {
  // "fixup". Its paper, formula and doc, and its formula in TeX, are the row of this name
  // in wasm/residualInitText.mjs (kept out of the .wasm: only the page and the docs read them).
  std::string name;
  std::vector<ParamSpec> params;
  // Whether it makes every block's gate trainable, starting at gate(params); else the
  // blocks keep their own gate and alpha keys.
  bool sets_gate = false;
  double (*gate)(const Params& params) = nullptr;
  // The multipliers for a network of `blocks` blocks, for a block of `m` dense layers.
  ResidualScaling (*scaling)(const Params& params, int blocks, int m) = nullptr;
  // Which multiplier the TeX's $factor is (residualInitText.mjs): "first", "last" or "" (none).
  std::string factor;
  // Rules that depend on the network (SkipInit's gate at most 1/sqrt(L)).
  Status (*validate)(const Params& params, int blocks, const std::string& path) = nullptr;
};

// The table, "none" first (the default).
const std::vector<ResidualInitInfo>& residual_inits();

struct ResidualInitSpec {
  std::string name = "none";
  Params params;  // every param of its row, defaults filled in
  bool is_none() const { return name == "none"; }
};

// A name or {"name": ..., its params}; errors name the field under `path`.
Status parse_residual_init(const nlohmann::json& value, const std::string& path,
                           ResidualInitSpec& out);
nlohmann::json residual_init_to_json(const ResidualInitSpec& spec);
nlohmann::json residual_inits_schema();

// The multipliers of a spec for this network (all 1 for "none").
ResidualScaling residual_scaling(const ResidualInitSpec& spec, int blocks, int m);
// The multiplier of a block's tensor by name (W1, b1, W2, b2; 1 for any other).
double residual_tensor_factor(const ResidualScaling& s, int branch, const std::string& tensor);
// The number the row's TeX calls $factor (NaN when the row has none).
double residual_factor(const ResidualInitSpec& spec, int blocks, int m);

}  // namespace initscope
