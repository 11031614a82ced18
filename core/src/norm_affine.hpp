// Internal to core/src: the affine part of a normalization layer, a = gain ⊙ z + shift,
// which LayerNorm and BatchNorm share: its parameters' gradients.
#pragma once
#include <algorithm>
#include <cstddef>
#include <vector>

namespace initscope {

// dL/dgain = Σ_rows g ⊙ z and dL/dshift = Σ_rows g, for (rows, n) g and z: summed in double
// in row order (a raw loop: the order fixes the bits) in sum_gain and sum_shift (n each,
// the caller's, so a step allocates nothing), then stored as T.
template <class T>
void gain_shift_gradients(const T* g, const T* z, std::size_t rows, std::size_t n,
                          std::vector<double>& sum_gain, std::vector<double>& sum_shift,
                          T* dgain, T* dshift) {
  std::fill(sum_gain.begin(), sum_gain.end(), 0.0);
  std::fill(sum_shift.begin(), sum_shift.end(), 0.0);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < n; ++j) {
      sum_gain[j] += static_cast<double>(g[r * n + j]) * z[r * n + j];
      sum_shift[j] += g[r * n + j];
    }
  for (std::size_t j = 0; j < n; ++j) {
    dgain[j] = static_cast<T>(sum_gain[j]);
    dshift[j] = static_cast<T>(sum_shift[j]);
  }
}

}  // namespace initscope
