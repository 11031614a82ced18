// The residual block's element-wise passes over a batch, in a source of their own: the
// block (residual_layer.cpp) is compiled for size, these run every step and are compiled
// for speed. Floats 4 at a time through simd::map (out may be x, which defeats the
// vectorizer's overlap checks); per element the operations of the plain loop, so the same
// bits.
#include <cstddef>
#include <type_traits>

#include "layer_kinds.hpp"
#include "simd_math.hpp"

namespace initscope {

template <class T>
void residual_add_scaled(const T* x, T a, const T* y, T* out, std::size_t n) {
  if constexpr (std::is_same_v<T, float>)
    simd::map2(x, y, out, n, [a](simd::f32x4 xv, simd::f32x4 yv) { return xv + a * yv; });
  else
    for (std::size_t i = 0; i < n; ++i) out[i] = x[i] + a * y[i];  // a leaf kernel
}

template <class T>
void residual_scale(T a, const T* y, T* out, std::size_t n) {
  if constexpr (std::is_same_v<T, float>)
    simd::map(y, out, n, [a](simd::f32x4 v) { return a * v; });
  else
    for (std::size_t i = 0; i < n; ++i) out[i] = a * y[i];  // a leaf kernel
}

template void residual_add_scaled(const float*, float, const float*, float*, std::size_t);
template void residual_add_scaled(const double*, double, const double*, double*, std::size_t);
template void residual_scale(float, const float*, float*, std::size_t);
template void residual_scale(double, const double*, double*, std::size_t);

}  // namespace initscope
