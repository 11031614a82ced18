// The table of layer kinds: one row per kind, made by the factory in its own file.
#include "layer_kinds.hpp"

namespace initscope {

template <class T>
const std::vector<LayerKindInfo<T>>& layer_kinds() {
  static const std::vector<LayerKindInfo<T>> table = {
      {"dense", "Fully connected: z = x·W + b, a = φ(z); W is (fan_in, fan_out).",
       make_dense_layer<T>},
  };
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

#define INITSCOPE_INSTANTIATE(T)                                                     \
  template const std::vector<LayerKindInfo<T>>& layer_kinds<T>();                    \
  template const LayerKindInfo<T>* find_layer_kind<T>(const std::string&);           \
  template std::unique_ptr<Layer<T>> make_layer<T>(const LayerSpec&, std::size_t);
INITSCOPE_INSTANTIATE(float)
INITSCOPE_INSTANTIATE(double)
#undef INITSCOPE_INSTANTIATE

}  // namespace initscope
