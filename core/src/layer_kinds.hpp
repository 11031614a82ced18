// Internal to core/src: the factory of each layer kind, defined in its own file
// (core/src/<kind>_layer.cpp), for the table in layer_kinds.cpp.
#pragma once
#include <cstddef>
#include <memory>

#include "initscope/layer.hpp"

namespace initscope {

template <class T>
std::unique_ptr<Layer<T>> make_dense_layer(const LayerSpec& spec, std::size_t fan_in);

}  // namespace initscope
