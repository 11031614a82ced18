// Unaligned vector loads and stores for the SIMD code (internal to core/src): through
// memcpy, which compiles to one movups natively and one v128.load/store in wasm. Shared
// by gemm.hpp and simd_math.hpp.
#pragma once
#include <cstring>

namespace initscope {

template <class V, class T>
inline V load(const T* p) {
  V v;
  std::memcpy(&v, p, sizeof(V));
  return v;
}
template <class V, class T>
inline void store(T* p, V v) {
  std::memcpy(p, &v, sizeof(V));
}

}  // namespace initscope
