// The table of layer kinds: one row per kind, made by the factory in its own file.
#include "layer_kinds.hpp"

namespace initscope {

const char* param_role_name(ParamRole role) {
  switch (role) {
    case ParamRole::weight: return "weight";
    case ParamRole::bias: return "bias";
    case ParamRole::gain: return "gain";
    case ParamRole::shift: return "shift";
  }
  return "weight";
}

namespace {

// A block's `norm` key offers the table's normalization kinds: those that keep their width
// and have no units or activation (read from the rows, so a new one is offered as soon as
// it has its row).
template <class T>
std::vector<LayerKindInfo<T>> with_norm_choices(std::vector<LayerKindInfo<T>> rows) {
  std::vector<std::string> norms{"none"};
  for (const auto& kind : rows)
    if (!kind.units && !kind.activation && !kind.output) norms.push_back(kind.name);
  for (auto& kind : rows)
    for (ParamSpec& p : kind.params)
      if (p.name == "norm" && p.kind == ParamKind::choice) p.choices = norms;
  return rows;
}

template <class T>
std::vector<LayerKindInfo<T>> kind_rows() {
  return {
      {"dense", "Fully connected: z = x·W + b, a = φ(z); W is (fan_in, fan_out).", "Dense",
       "nn.Linear", true, true, true, {}, make_dense_layer<T>},
      {"layernorm",
       "Layer normalization over each row's features: z = (x − mean)/√(var + ε) (biased "
       "variance), a = gain·z + shift, gain 1 and shift 0 at first; keeps its width, no "
       "activation.",
       "LayerNormalization", "nn.LayerNorm", false, false, false,
       {layer_norm_epsilon_spec()}, make_layer_norm_layer<T>},
      {"batchnorm",
       "Batch normalization over each feature's batch: z = (x − mean)/√(var + ε) (biased "
       "variance), a = gain·z + shift, gain 1 and shift 0 at first; evaluation uses running "
       "averages (momentum in PyTorch's sense, unbiased variance); keeps its width, no "
       "activation.",
       "BatchNormalization", "nn.BatchNorm1d", false, false, false,
       {batch_norm_epsilon_spec(), batch_norm_momentum_spec()}, make_batch_norm_layer<T>},
      {"residual",
       "Residual block out = x + α·f(x), keeping its width: f is 1 or 2 dense layers "
       "(branch, hidden); activationAt before: x + α·W2·φ(W1·φ(x)) (pre-activation, He et "
       "al. 2016b), after: φ(x + α·W2·φ(W1·x)) (post-activation, He et al. 2016a); α fixed "
       "or trainable (gate); an optional norm sub-layer at the branch's start (normAt pre) "
       "or after the addition (post). Statistics: z = f(x) before α, a = the output, dz = "
       "dL/d(output), W = W1.",
       "", "", false, true, false, residual_specs(), make_residual_layer<T>},
  };
}

}  // namespace

template <class T>
const std::vector<LayerKindInfo<T>>& layer_kinds() {
  static const std::vector<LayerKindInfo<T>> table = with_norm_choices(kind_rows<T>());
  return table;
}

template <class T>
const LayerKindInfo<T>* find_layer_kind(const std::string& name) {
  for (const auto& kind : layer_kinds<T>())
    if (kind.name == name) return &kind;
  return nullptr;
}

template <class T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& spec, std::size_t fan_in) {
  const LayerKindInfo<T>* kind = find_layer_kind<T>(spec.kind);
  return kind ? kind->make(spec, fan_in) : nullptr;
}

std::vector<std::string> layer_kind_names() {
  std::vector<std::string> names;
  for (const auto& kind : layer_kinds<float>()) names.push_back(kind.name);
  return names;
}

nlohmann::json layer_kinds_schema() {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& kind : layer_kinds<float>()) {
    // Its parameter tensors as its constructor lists them (a sample layer of one unit):
    // their names, roles and the initializer each takes when the layer's key gives none.
    LayerSpec sample;
    sample.kind = kind.name;
    nlohmann::json tensors = nlohmann::json::array();
    const auto layer = kind.make(sample, 1);
    for (const ParamTensor& t : layer->tensors)
      tensors.push_back({{"name", t.name},
                         {"role", param_role_name(t.role)},
                         {"rank", t.shape.size()},
                         {"takesInitKey", t.takes_init_key()},
                         {"defaultInit", t.default_init}});
    rows.push_back({{"name", kind.name},
                    {"doc", kind.doc},
                    {"keras", kind.keras},
                    {"pytorch", kind.pytorch},
                    {"units", kind.units},
                    {"activation", kind.activation},
                    {"output", kind.output},
                    {"params", params_schema(kind.params)},
                    {"tensors", tensors},
                    // Values of state outside the parameters per unit (batchnorm's running
                    // mean and variance: 2; Keras counts them as non-trainable parameters).
                    {"runningPerUnit", layer->state_size()}});
  }
  return rows;
}

#define INITSCOPE_INSTANTIATE(T)                                                     \
  template const std::vector<LayerKindInfo<T>>& layer_kinds<T>();                    \
  template const LayerKindInfo<T>* find_layer_kind<T>(const std::string&);           \
  template std::unique_ptr<Layer<T>> make_layer<T>(const LayerSpec&, std::size_t);
INITSCOPE_INSTANTIATE(float)
INITSCOPE_INSTANTIATE(double)
#undef INITSCOPE_INSTANTIATE

}  // namespace initscope
