// The LayerNorm kind (Ba, Kiros and Hinton 2016; PyTorch nn.LayerNorm, Keras
// LayerNormalization over the last axis): per row, over its n features,
//   z = (x − mean) / √(var + ε)  (var biased: Σ(x − mean)²/n, as both frameworks),
//   a = gain ⊙ z + shift,
// gain and shift (n) initialized to 1 and 0 (norm_layer.hpp). It keeps its width and has
// no activation. Snapshot: z is the normalized values, a the output, dz = dL/dz; its
// weight statistics are the gain's (its first tensor).
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "layer_kinds.hpp"
#include "norm_layer.hpp"
#include "simd_math.hpp"

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

// The same sums of a float row, 4 elements at a time: f4(j, lo, hi) gives f(j), f(j + 1)
// in lo and f(j + 2), f(j + 3) in hi, so each lane of the two double vectors is one of the
// four partial sums, added to in the same order as sum4 (the same bits; a leaf kernel).
template <class F4, class F>
double sum4_float(std::size_t n, F4 f4, F f) {
  simd::f64x2 lo{0, 0}, hi{0, 0};
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    simd::f64x2 a, b;
    f4(j, a, b);
    lo += a;
    hi += b;
  }
  double s[4] = {lo[0], lo[1], hi[0], hi[1]};
  // The 1 to 3 left, counted as n & 3: a count the compiler sees is small, so it does not
  // vectorize these tails into code that never runs (here and below).
  for (std::size_t t = n & 3; t > 0; --t, ++j) s[j & 3] += f(j);
  return (s[0] + s[1]) + (s[2] + s[3]);
}

// One row of the affine part's backward: sg += g and sgz += g·z in double, d = gain ⊙ g
// (g may be d). Float rows 4 at a time: per element the operations of the scalar loop,
// each column its own sum, so the same bits (a leaf kernel).
template <class T>
void affine_backward_row(const T* g, const T* z, const T* gain, double* sg, double* sgz, T* d,
                         std::size_t n) {
  std::size_t j = 0, rest = n;
  if constexpr (std::is_same_v<T, float>) {
    using simd::f32x4;
    using simd::f64x2;
    for (; j + 4 <= n; j += 4) {
      const f32x4 gv = load<f32x4>(g + j);
      f64x2 g0, g1, z0, z1;
      simd::widen(gv, g0, g1);
      simd::widen(load<f32x4>(z + j), z0, z1);
      store(sgz + j, load<f64x2>(sgz + j) + g0 * z0);
      store(sgz + j + 2, load<f64x2>(sgz + j + 2) + g1 * z1);
      store(sg + j, load<f64x2>(sg + j) + g0);
      store(sg + j + 2, load<f64x2>(sg + j + 2) + g1);
      store(d + j, gv * load<f32x4>(gain + j));
    }
    rest = n & 3;
  }
  for (; rest > 0; --rest, ++j) {
    const T gj = g[j];
    sgz[j] += static_cast<double>(gj) * z[j];
    sg[j] += gj;
    d[j] = gj * gain[j];
  }
}

// One row forward: the mean and biased variance in double (sum4), z = (x − mean)·inv in
// double rounded once, a = gain ⊙ z + shift; returns inv = 1/√(var + ε).
template <class T>
double forward_row(const T* x, const T* g, const T* s, T* z, T* a, std::size_t n, double eps) {
  const double mean =
      sum4(n, [&](std::size_t j) { return static_cast<double>(x[j]); }) / static_cast<double>(n);
  const double var = sum4(n, [&](std::size_t j) {
                       const double c = x[j] - mean;
                       return c * c;
                     }) /
                     static_cast<double>(n);
  const double inv = 1.0 / std::sqrt(var + eps);
  for (std::size_t j = 0; j < n; ++j) {
    z[j] = static_cast<T>((x[j] - mean) * inv);
    a[j] = z[j] * g[j] + s[j];
  }
  return inv;
}

// The same for a float row, 4 elements at a time in double lanes: per element the same
// operations in the same order as forward_row, so the same bits (a leaf kernel).
double forward_row_float(const float* x, const float* g, const float* s, float* z, float* a,
                         std::size_t n, double eps) {
  using simd::f32x4;
  using simd::f64x2;
  const double mean = sum4_float(
                          n, [&](std::size_t j, f64x2& lo, f64x2& hi) { simd::widen(load<f32x4>(x + j), lo, hi); },
                          [&](std::size_t j) { return static_cast<double>(x[j]); }) /
                      static_cast<double>(n);
  const double var = sum4_float(
                         n,
                         [&](std::size_t j, f64x2& lo, f64x2& hi) {
                           simd::widen(load<f32x4>(x + j), lo, hi);
                           lo -= mean;
                           hi -= mean;
                           lo *= lo;
                           hi *= hi;
                         },
                         [&](std::size_t j) {
                           const double c = x[j] - mean;
                           return c * c;
                         }) /
                     static_cast<double>(n);
  const double inv = 1.0 / std::sqrt(var + eps);
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    f64x2 lo, hi;
    simd::widen(load<f32x4>(x + j), lo, hi);
    const f32x4 zv = simd::narrow((lo - mean) * inv, (hi - mean) * inv);
    store(z + j, zv);
    store(a + j, zv * load<f32x4>(g + j) + load<f32x4>(s + j));
  }
  for (std::size_t t = n & 3; t > 0; --t, ++j) {
    z[j] = static_cast<float>((x[j] - mean) * inv);
    a[j] = z[j] * g[j] + s[j];
  }
  return inv;
}

// One row backward: dx = inv·(d − mean(d) − z·mean(d ⊙ z)), the means in double (sum4).
template <class T>
void backward_row(const T* d, const T* z, double inv, T* dx, std::size_t n) {
  const double m1 =
      sum4(n, [&](std::size_t j) { return static_cast<double>(d[j]); }) / static_cast<double>(n);
  const double m2 = sum4(n, [&](std::size_t j) { return static_cast<double>(d[j]) * z[j]; }) /
                    static_cast<double>(n);
  for (std::size_t j = 0; j < n; ++j) dx[j] = static_cast<T>(inv * (d[j] - m1 - z[j] * m2));
}

// The same for a float row, 4 at a time in double lanes, the same bits (a leaf kernel);
// both means in one pass: their four sums each, in sum4's order, as independent chains.
void backward_row_float(const float* d, const float* z, double inv, float* dx, std::size_t n) {
  using simd::f32x4;
  using simd::f64x2;
  f64x2 s1lo{0, 0}, s1hi{0, 0}, s2lo{0, 0}, s2hi{0, 0};
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    f64x2 d0, d1, z0, z1;
    simd::widen(load<f32x4>(d + j), d0, d1);
    simd::widen(load<f32x4>(z + j), z0, z1);
    s1lo += d0;
    s1hi += d1;
    s2lo += d0 * z0;
    s2hi += d1 * z1;
  }
  double s1[4] = {s1lo[0], s1lo[1], s1hi[0], s1hi[1]};
  double s2[4] = {s2lo[0], s2lo[1], s2hi[0], s2hi[1]};
  for (std::size_t t = n & 3; t > 0; --t, ++j) {
    s1[j & 3] += d[j];
    s2[j & 3] += static_cast<double>(d[j]) * z[j];
  }
  const double m1 = ((s1[0] + s1[1]) + (s1[2] + s1[3])) / static_cast<double>(n);
  const double m2 = ((s2[0] + s2[1]) + (s2[2] + s2[3])) / static_cast<double>(n);
  for (j = 0; j + 4 <= n; j += 4) {
    f64x2 d0, d1, z0, z1;
    simd::widen(load<f32x4>(d + j), d0, d1);
    simd::widen(load<f32x4>(z + j), z0, z1);
    store(dx + j, simd::narrow(inv * (d0 - m1 - z0 * m2), inv * (d1 - m1 - z1 * m2)));
  }
  for (std::size_t t = n & 3; t > 0; --t, ++j)
    dx[j] = static_cast<float>(inv * (d[j] - m1 - z[j] * m2));
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
      T* zr = z + r * n;
      T* ar = a + r * n;
      if constexpr (std::is_same_v<T, float>)
        inv_std_[r] = forward_row_float(xr, g, s, zr, ar, n, this->epsilon_);
      else
        inv_std_[r] = forward_row(xr, g, s, zr, ar, n, this->epsilon_);
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
      if constexpr (std::is_same_v<T, float>)
        backward_row_float(d + r * n, z + r * n, inv_std_[r], dx + r * n, n);
      else
        backward_row(d + r * n, z + r * n, inv_std_[r], dx + r * n, n);
    }
  }

 private:
  std::vector<double> inv_std_;  // 1/√(var + ε) of each row of the last forward
};

}  // namespace

template <class T>
void NormLayer<T>::affine_backward(const T* g, std::size_t rows, const T* params, T* grads) {
  const std::size_t n = this->fan_out;
  double* sg = sum_g_.data();
  double* sgz = sum_gz_.data();
  std::fill_n(sg, n, 0.0);
  std::fill_n(sgz, n, 0.0);
  for (std::size_t r = 0; r < rows; ++r)
    affine_backward_row(g + r * n, z_.data() + r * n, gain(params), sg, sgz, dz_.data() + r * n, n);
  T* dgain = grads + this->tensors[0].offset;
  T* dshift = grads + this->tensors[1].offset;
  for (std::size_t j = 0; j < n; ++j) {
    dgain[j] = static_cast<T>(sgz[j]);
    dshift[j] = static_cast<T>(sg[j]);
  }
}

template void NormLayer<float>::affine_backward(const float*, std::size_t, const float*, float*);
template void NormLayer<double>::affine_backward(const double*, std::size_t, const double*,
                                                 double*);

template <class T>
std::unique_ptr<Layer<T>> make_layer_norm_layer(const LayerSpec& spec, std::size_t fan_in) {
  return std::make_unique<LayerNormLayer<T>>(spec, fan_in);
}

template std::unique_ptr<Layer<float>> make_layer_norm_layer(const LayerSpec&, std::size_t);
template std::unique_ptr<Layer<double>> make_layer_norm_layer(const LayerSpec&, std::size_t);

}  // namespace initscope
