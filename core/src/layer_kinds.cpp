// The table of layer kinds: one row per kind, made by the factory in its own file.
#include "layer_kinds.hpp"

#include <type_traits>

namespace initscope {

namespace {

template <std::unique_ptr<Layer<float>> (*F)(const LayerSpec&, std::size_t),
          std::unique_ptr<Layer<double>> (*D)(const LayerSpec&, std::size_t)>
LayerKindInfo row(const char* name, const char* doc) {
  return {name, doc, F, D};
}

}  // namespace

const std::vector<LayerKindInfo>& layer_kinds() {
  static const std::vector<LayerKindInfo> table = {
      row<make_dense_layer<float>, make_dense_layer<double>>(
          "dense", "Fully connected: z = x·W + b, a = φ(z); W is (fan_in, fan_out)."),
  };
  return table;
}

const LayerKindInfo* find_layer_kind(const std::string& name) {
  for (const auto& kind : layer_kinds())
    if (kind.name == name) return &kind;
  return nullptr;
}

template <class T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& spec, std::size_t fan_in) {
  const LayerKindInfo* kind = find_layer_kind(spec.kind);
  if (!kind) return nullptr;
  if constexpr (std::is_same_v<T, float>)
    return kind->make_float(spec, fan_in);
  else
    return kind->make_double(spec, fan_in);
}

template std::unique_ptr<Layer<float>> make_layer(const LayerSpec&, std::size_t);
template std::unique_ptr<Layer<double>> make_layer(const LayerSpec&, std::size_t);

}  // namespace initscope
