// The LayerNorm kind (Ba, Kiros and Hinton 2016; PyTorch nn.LayerNorm, Keras
// LayerNormalization over the last axis): per row, over its n features,
//   z = (x − mean) / √(var + ε)  (var biased: Σ(x − mean)²/n, as both frameworks),
//   a = gain ⊙ z + shift,
// gain and shift (n) initialized to 1 and 0. It keeps its width and has no activation.
// Snapshot: z is the normalized values, a the output, dz = dL/dz; its weight statistics
// are the gain's (its first tensor).
#include <algorithm>
#include <cmath>
#include <vector>

#include <xtensor/xnoalias.hpp>

#include "layer_kinds.hpp"
#include "norm_affine.hpp"

namespace initscope {

ParamSpec layer_norm_epsilon_spec() {
  return number_param("epsilon", 1e-5, 1e-12, 1.0,
                      "added to each row's variance before the square root (PyTorch's default "
                      "1e-5; Keras's is 1e-3)");
}

namespace {

template <class T>
class LayerNormLayer final : public Layer<T> {
 public:
  LayerNormLayer(const LayerSpec& spec, std::size_t fan_in) {
    const std::size_t n = fan_in;
    this->fan_in = n;
    this->fan_out = n;
    epsilon_ = spec.params.numbers.count("epsilon") ? spec.params.number("epsilon")
                                                    : layer_norm_epsilon_spec().default_value;
    const Fans fans{static_cast<double>(n), static_cast<double>(n)};
    // Neither decays (as Keras's and PyTorch's defaults: no regularizer on them).
    this->tensors = {{"gain", ParamRole::gain, Shape{n}, 0, fans, false, "ones"},
                     {"shift", ParamRole::shift, Shape{n}, n, fans, false, "zeros"}};
    sum_gain_.assign(n, 0.0);
    sum_shift_.assign(n, 0.0);
    use_rows(0);
  }

  void reserve(std::size_t rows, Workspace<T>&) override {
    const std::size_t n = this->fan_out;
    if (rows > capacity_rows_ || z_.size() == 0) {
      capacity_rows_ = std::max(rows, capacity_rows_);
      z_.resize({capacity_rows_, n});
      a_.resize({capacity_rows_, n});
      dz_.resize({capacity_rows_, n});
      inv_std_.resize({capacity_rows_});
      use_rows(this->rows());
    }
  }

  // Row statistics in double in index order (a raw loop: the order fixes the bits, the
  // same in every build); the affine part as an xtensor expression.
  void forward(const MatrixView<const T>& x, const T* params, Workspace<T>&) override {
    const std::size_t rows = x.shape()[0], n = this->fan_out;
    if (rows != this->rows()) use_rows(rows);
    const T* xs = x.data();
    T* z = z_.data();
    for (std::size_t r = 0; r < rows; ++r) {
      const T* xr = xs + r * n;
      double mean = 0, var = 0;
      for (std::size_t j = 0; j < n; ++j) mean += xr[j];
      mean /= static_cast<double>(n);
      for (std::size_t j = 0; j < n; ++j) var += (xr[j] - mean) * (xr[j] - mean);
      var /= static_cast<double>(n);
      const double inv = 1.0 / std::sqrt(var + epsilon_);
      inv_std_(r) = inv;
      for (std::size_t j = 0; j < n; ++j) z[r * n + j] = static_cast<T>((xr[j] - mean) * inv);
    }
    auto out = matrix_view(a_.data(), rows, n);
    xt::noalias(out) = this->z() * gain(params) + shift(params);
  }

  void backward(const MatrixView<const T>& grad_out, bool, const T* params, T* grads, T* dx,
                Workspace<T>&) override {
    const std::size_t rows = this->rows(), n = this->fan_out;
    const T* g = grad_out.data();
    const T* z = z_.data();
    gain_shift_gradients(g, z, rows, n, sum_gain_, sum_shift_, grads + this->tensors[0].offset,
                         grads + this->tensors[1].offset);
    // dL/dz = gain ⊙ g, in place when g is dz_ itself.
    auto dz = matrix_view(dz_.data(), rows, n);
    xt::noalias(dz) = matrix_view(g, rows, n) * gain(params);
    if (!dx) return;
    // dL/dx = (dz − mean(dz) − z·mean(dz ⊙ z)) / √(var + ε), row by row; the means in
    // double in index order.
    const T* d = dz_.data();
    for (std::size_t r = 0; r < rows; ++r) {
      const T* dr = d + r * n;
      const T* zr = z + r * n;
      double m1 = 0, m2 = 0;
      for (std::size_t j = 0; j < n; ++j) {
        m1 += dr[j];
        m2 += static_cast<double>(dr[j]) * zr[j];
      }
      m1 /= static_cast<double>(n);
      m2 /= static_cast<double>(n);
      const double inv = inv_std_(r);
      for (std::size_t j = 0; j < n; ++j)
        dx[r * n + j] = static_cast<T>(inv * (dr[j] - m1 - zr[j] * m2));
    }
  }

  T* grad_out_buffer() override { return dz_.data(); }

 private:
  VectorView<const T> gain(const T* params) const {
    return vector_view(params + this->tensors[0].offset, this->fan_out);
  }
  VectorView<const T> shift(const T* params) const {
    return vector_view(params + this->tensors[1].offset, this->fan_out);
  }
  void use_rows(std::size_t rows) { this->view_caches(rows, z_.data(), a_.data(), dz_.data()); }

  double epsilon_ = 1e-5;
  std::size_t capacity_rows_ = 0;
  xt::xtensor<T, 2> z_, a_, dz_;  // (capacity_rows_, n): normalized, output, dL/dz
  xt::xtensor<double, 1> inv_std_;  // 1/√(var + ε) of each row of the last forward
  std::vector<double> sum_gain_, sum_shift_;  // backward's column sums (n), made once
};

}  // namespace

template <class T>
std::unique_ptr<Layer<T>> make_layer_norm_layer(const LayerSpec& spec, std::size_t fan_in) {
  return std::make_unique<LayerNormLayer<T>>(spec, fan_in);
}

template std::unique_ptr<Layer<float>> make_layer_norm_layer(const LayerSpec&, std::size_t);
template std::unique_ptr<Layer<double>> make_layer_norm_layer(const LayerSpec&, std::size_t);

}  // namespace initscope
