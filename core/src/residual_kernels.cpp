// The residual block's element-wise passes over a batch, in a source of their own: the
// block (residual_layer.cpp) is compiled for size, these run every step and are compiled
// for speed. Explicit 4-float vectors: out may be x, which defeats the vectorizer's
// overlap checks. Per element the operations of the plain loop, so the same bits.
#include <cstddef>
#include <type_traits>

#include "layer_kinds.hpp"
#include "simd_math.hpp"

namespace initscope {

template <class T>
void residual_add_scaled(const T* x, T a, const T* y, T* out, std::size_t n) {
  std::size_t i = 0;
  if constexpr (std::is_same_v<T, float>) {
    // A leaf kernel: 4 lanes per step, the tail below.
    for (; i + 4 <= n; i += 4)
      store(out + i, load<simd::f32x4>(x + i) + a * load<simd::f32x4>(y + i));
  }
  for (; i < n; ++i) out[i] = x[i] + a * y[i];  // a leaf kernel's tail
}

template <class T>
void residual_scale(T a, const T* y, T* out, std::size_t n) {
  std::size_t i = 0;
  if constexpr (std::is_same_v<T, float>) {
    for (; i + 4 <= n; i += 4) store(out + i, a * load<simd::f32x4>(y + i));  // a leaf kernel
  }
  for (; i < n; ++i) out[i] = a * y[i];  // a leaf kernel's tail
}

template void residual_add_scaled(const float*, float, const float*, float*, std::size_t);
template void residual_add_scaled(const double*, double, const double*, double*, std::size_t);
template void residual_scale(float, const float*, float*, std::size_t);
template void residual_scale(double, const double*, double*, std::size_t);

}  // namespace initscope
