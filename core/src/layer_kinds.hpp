// Internal to core/src: the factory of each layer kind, defined in its own file
// (core/src/<kind>_layer.cpp), for the table in layer_kinds.cpp.
#pragma once
#include <cstddef>
#include <memory>

#include "initscope/layer.hpp"

namespace initscope {

template <class T>
std::unique_ptr<Layer<T>> make_dense_layer(const LayerSpec& spec, std::size_t fan_in);
template <class T>
std::unique_ptr<Layer<T>> make_layer_norm_layer(const LayerSpec& spec, std::size_t fan_in);

template <class T>
std::unique_ptr<Layer<T>> make_batch_norm_layer(const LayerSpec& spec, std::size_t fan_in);

// BatchNorm's epsilon (PyTorch's nn.BatchNorm1d default, 1e-5) and momentum (PyTorch's
// sense and default, 0.1).
ParamSpec batch_norm_epsilon_spec();
ParamSpec batch_norm_momentum_spec();

template <class T>
std::unique_ptr<Layer<T>> make_residual_layer(const LayerSpec& spec, std::size_t fan_in);

// out = x + a·y (out may be x) and out = a·y over n values: the residual block's passes
// over a batch, in residual_kernels.cpp, compiled for speed (the block is compiled for size).
template <class T>
void residual_add_scaled(const T* x, T a, const T* y, T* out, std::size_t n);
template <class T>
void residual_scale(T a, const T* y, T* out, std::size_t n);

// The residual block's keys; its `norm` choices ("none" here) are filled in by
// layer_kinds() from the table's normalization kinds.
std::vector<ParamSpec> residual_specs();

// LayerNorm's epsilon (PyTorch's nn.LayerNorm default, 1e-5).
ParamSpec layer_norm_epsilon_spec();

}  // namespace initscope
