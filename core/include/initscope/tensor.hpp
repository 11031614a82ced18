// Storage types: float32 for tensors (what the frameworks use), double for statistics.
// Weight layout is (fan_in, fan_out), as in Keras.
//
// Containers (xt::xtensor) where the core owns memory; views (xt::adapt, no ownership)
// where a tensor lives inside a buffer someone else owns: each layer's W and b inside the
// network's one flat parameter buffer, the rows of a cache in use. A view is a few words
// (pointer, shape, strides), made where it is needed, or made once and kept beside its
// buffer where every training step would make it again; never kept past its buffer.
#pragma once
#include <array>
#include <cstddef>
#include <utility>
#include <vector>

#include <xtensor/xadapt.hpp>
#include <xtensor/xtensor.hpp>

namespace initscope {

using Matrix = xt::xtensor<float, 2>;  // (rows, cols), row-major
using Vector = xt::xtensor<float, 1>;
using Shape = std::vector<std::size_t>;

// A row-major N-d view over memory it does not own; T may be const.
template <class T, std::size_t N>
using TensorView = decltype(xt::adapt(std::declval<T*>(), std::size_t{0}, xt::no_ownership(),
                                      std::declval<std::array<std::size_t, N>>()));
template <class T>
using MatrixView = TensorView<T, 2>;
template <class T>
using VectorView = TensorView<T, 1>;

template <class T>
MatrixView<T> matrix_view(T* data, std::size_t rows, std::size_t cols) {
  return xt::adapt(static_cast<T*>(data), rows * cols, xt::no_ownership(), std::array<std::size_t, 2>{rows, cols});
}
template <class T>
VectorView<T> vector_view(T* data, std::size_t n) {
  return xt::adapt(static_cast<T*>(data), n, xt::no_ownership(), std::array<std::size_t, 1>{n});
}

}  // namespace initscope
