// The LayerNorm kind (Ba, Kiros and Hinton 2016; PyTorch nn.LayerNorm, Keras
// LayerNormalization over the last axis): per row, over its n features,
//   z = (x − mean) / √(var + ε)  (var biased: Σ(x − mean)²/n, as both frameworks),
//   a = gain ⊙ z + shift,
// gain and shift (n) initialized to 1 and 0 (norm_layer.hpp). It keeps its width and has
// no activation. Snapshot: z is the normalized values, a the output, dz = dL/dz; its
// weight statistics are the gain's (its first tensor).
#include <algorithm>
#include <cmath>
#include <vector>

#include "layer_kinds.hpp"
#include "norm_layer.hpp"

namespace initscope {

ParamSpec layer_norm_epsilon_spec() {
  return number_param("epsilon", 1e-5, 1e-12, 1.0,
                      "added to each row's variance before the square root (PyTorch's default "
                      "1e-5; Keras's is 1e-3)");
}

namespace {

// Σ f(j) over j < n in double, in four interleaved partial sums added in a fixed order: the
// order fixes the bits in every build, and four chains instead of one keep a row's
// reductions from waiting on each addition's latency (a raw loop: a leaf kernel).
template <class F>
double sum4(std::size_t n, F f) {
  double s[4] = {0, 0, 0, 0};
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    s[0] += f(j);
    s[1] += f(j + 1);
    s[2] += f(j + 2);
    s[3] += f(j + 3);
  }
  for (; j < n; ++j) s[j & 3] += f(j);
  return (s[0] + s[1]) + (s[2] + s[3]);
}

template <class T>
class LayerNormLayer final : public NormLayer<T> {
 public:
  LayerNormLayer(const LayerSpec& spec, std::size_t fan_in)
      : NormLayer<T>(fan_in, spec.params.numbers.count("epsilon")
                                 ? spec.params.number("epsilon")
                                 : layer_norm_epsilon_spec().default_value) {}

  void reserve(std::size_t rows, Workspace<T>& ws) override {
    NormLayer<T>::reserve(rows, ws);
    if (inv_std_.size() < this->capacity_rows_) inv_std_.resize(this->capacity_rows_);
  }

  // Row statistics in double (sum4: a fixed order), then z and the affine part a.
  void forward(const MatrixView<const T>& x, const T* params, Workspace<T>&) override {
    const std::size_t rows = x.shape()[0], n = this->fan_out;
    if (rows != this->rows()) this->use_rows(rows);
    const T* xs = x.data();
    T* z = this->z_.data();
    T* a = this->a_.data();
    const T* g = this->gain(params);
    const T* s = this->shift(params);
    for (std::size_t r = 0; r < rows; ++r) {
      const T* xr = xs + r * n;
      const double mean = sum4(n, [&](std::size_t j) { return static_cast<double>(xr[j]); }) /
                          static_cast<double>(n);
      const double var = sum4(n, [&](std::size_t j) {
                           const double c = xr[j] - mean;
                           return c * c;
                         }) /
                         static_cast<double>(n);
      const double inv = 1.0 / std::sqrt(var + this->epsilon_);
      inv_std_[r] = inv;
      // The affine part in the same pass, while the row is in cache.
      T* zr = z + r * n;
      T* ar = a + r * n;
      for (std::size_t j = 0; j < n; ++j) {
        zr[j] = static_cast<T>((xr[j] - mean) * inv);
        ar[j] = zr[j] * g[j] + s[j];
      }
    }
  }

  void backward(const MatrixView<const T>& grad_out, bool, const T* params, T* grads, T* dx,
                Workspace<T>&) override {
    const std::size_t rows = this->rows(), n = this->fan_out;
    this->affine_backward(grad_out.data(), rows, params, grads);
    if (!dx) return;
    // dL/dx = (dz − mean(dz) − z·mean(dz ⊙ z)) / √(var + ε), row by row; the means in
    // double (sum4).
    const T* d = this->dz_.data();
    const T* z = this->z_.data();
    for (std::size_t r = 0; r < rows; ++r) {
      const T* dr = d + r * n;
      const T* zr = z + r * n;
      const double m1 = sum4(n, [&](std::size_t j) { return static_cast<double>(dr[j]); }) /
                        static_cast<double>(n);
      const double m2 =
          sum4(n, [&](std::size_t j) { return static_cast<double>(dr[j]) * zr[j]; }) /
          static_cast<double>(n);
      const double inv = inv_std_[r];
      for (std::size_t j = 0; j < n; ++j)
        dx[r * n + j] = static_cast<T>(inv * (dr[j] - m1 - zr[j] * m2));
    }
  }

 private:
  std::vector<double> inv_std_;  // 1/√(var + ε) of each row of the last forward
};

}  // namespace

template <class T>
std::unique_ptr<Layer<T>> make_layer_norm_layer(const LayerSpec& spec, std::size_t fan_in) {
  return std::make_unique<LayerNormLayer<T>>(spec, fan_in);
}

template std::unique_ptr<Layer<float>> make_layer_norm_layer(const LayerSpec&, std::size_t);
template std::unique_ptr<Layer<double>> make_layer_norm_layer(const LayerSpec&, std::size_t);

}  // namespace initscope
