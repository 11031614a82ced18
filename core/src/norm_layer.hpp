// Internal to core/src: what the normalization kinds (LayerNorm, BatchNorm) share. Each
// normalizes x to z with statistics of its own (a row's features, a feature's batch), then
//   a = gain ⊙ z + shift,
// gain and shift (n) initialized to 1 and 0, neither decayed. This base owns the width, the
// epsilon, the two tensors, the caches z, a and dz = dL/dz (the snapshot's), and the affine
// part forward and backward; a kind keeps its statistics and the step through them.
#pragma once
#include <algorithm>
#include <cstddef>
#include <vector>

#include "layer_kinds.hpp"

namespace initscope {

template <class T>
class NormLayer : public Layer<T> {
 public:
  void reserve(std::size_t rows, Workspace<T>&) override {
    const std::size_t n = this->fan_out;
    if (rows > capacity_rows_ || z_.size() == 0) {
      capacity_rows_ = std::max(rows, capacity_rows_);
      z_.resize({capacity_rows_, n});
      a_.resize({capacity_rows_, n});
      dz_.resize({capacity_rows_, n});
      use_rows(this->rows());
    }
  }

  T* grad_out_buffer() override { return dz_.data(); }

 protected:
  NormLayer(std::size_t n, double epsilon) : epsilon_(epsilon) {
    this->fan_in = n;
    this->fan_out = n;
    const Fans fans{static_cast<double>(n), static_cast<double>(n)};
    // Neither decays (as Keras's and PyTorch's defaults: no regularizer on them).
    this->tensors = {{"gain", ParamRole::gain, Shape{n}, 0, fans, false, "ones"},
                     {"shift", ParamRole::shift, Shape{n}, n, fans, false, "zeros"}};
    sum_g_.assign(n, 0.0);
    sum_gz_.assign(n, 0.0);
    use_rows(0);
  }

  const T* gain(const T* params) const { return params + this->tensors[0].offset; }
  const T* shift(const T* params) const { return params + this->tensors[1].offset; }

  // a = gain ⊙ z + shift over the first `rows` rows of z (a raw loop: one pass, no
  // expression template to instantiate per kind).
  void affine_forward(std::size_t rows, const T* params) {
    const std::size_t n = this->fan_out;
    const T* z = z_.data();
    T* a = a_.data();
    const T* g = gain(params);
    const T* s = shift(params);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < n; ++j) a[r * n + j] = z[r * n + j] * g[j] + s[j];
  }

  // dL/dgain = Σ_rows g ⊙ z and dL/dshift = Σ_rows g (summed in double in row order: the
  // order fixes the bits; stored as T), and dz = gain ⊙ g, in place when g is dz itself.
  // Defined in layer_norm_layer.cpp, compiled for speed, for every kind: the batchnorm
  // source, compiled for size, would otherwise instantiate a slow copy the link may keep.
  void affine_backward(const T* g, std::size_t rows, const T* params, T* grads);

  void use_rows(std::size_t rows) { this->view_caches(rows, z_.data(), a_.data(), dz_.data()); }

  double epsilon_ = 1e-5;
  std::size_t capacity_rows_ = 0;
  xt::xtensor<T, 2> z_, a_, dz_;  // (capacity_rows_, n): normalized, output, dL/dz
  // Column sums (n) in double, made once: Σ g and Σ g ⊙ z of the last affine_backward,
  // scratch for a kind's own backward after it.
  std::vector<double> sum_g_, sum_gz_;
};

}  // namespace initscope
