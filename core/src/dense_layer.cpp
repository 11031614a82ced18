// The dense layer kind: z = x·W + b, a = φ(z), W (fan_in, fan_out), b (fan_out); with a
// parameterization's forward multiplier c (LayerSpec::multiplier), z = c·x·W + b.
#include <algorithm>


#include "gemm.hpp"
#include "layer_kinds.hpp"

namespace initscope {

namespace {

// The three products of a dense layer, all through gemm::multiply (blocked, register
// tiled, SIMD). Each element is accumulated in the order of the plain loops it replaces
// (z from b over k; dW from 0 over the rows; dx from 0 over j), so the results are the
// same bits as theirs, in every build.

// z = x·W + b: x (rows, n_in), W (n_in, n_out), z (rows, n_out).
template <class T>
void dense_forward(const T* x, const T* w, const T* b, T* z, std::size_t rows, std::size_t n_in,
                   std::size_t n_out, Workspace<T>& ws) {
  const auto ni = static_cast<std::ptrdiff_t>(n_in), no = static_cast<std::ptrdiff_t>(n_out);
  gemm::multiply<T>(rows, n_out, n_in, {x, ni, 1}, {w, no, 1}, b, 0, 1, z, no, 1, ws.pack_a,
                    ws.pack_b);
}

// out[j] = Σ_i x[i][j] over the rows of x (rows, cols), each sum from 0 in row order (the
// bits of the plain loop; a raw loop since xt::sum's order is not ours to fix). A block of
// W columns keeps its sums in registers across the rows: summed into out in place, every
// row's add waited for the store of the row before.
template <std::size_t W, class T>
void column_block_sums(const T* x, std::size_t rows, std::size_t cols, T* out) {
  T sums[W] = {};
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t k = 0; k < W; ++k) sums[k] += x[i * cols + k];
  for (std::size_t k = 0; k < W; ++k) out[k] = sums[k];
}

template <class T>
void column_sums(const T* x, std::size_t rows, std::size_t cols, T* out) {
  std::size_t j = 0;
  for (; j + 8 <= cols; j += 8) column_block_sums<8>(x + j, rows, cols, out + j);
  switch (cols - j) {
    case 7: return column_block_sums<7>(x + j, rows, cols, out + j);
    case 6: return column_block_sums<6>(x + j, rows, cols, out + j);
    case 5: return column_block_sums<5>(x + j, rows, cols, out + j);
    case 4: return column_block_sums<4>(x + j, rows, cols, out + j);
    case 3: return column_block_sums<3>(x + j, rows, cols, out + j);
    case 2: return column_block_sums<2>(x + j, rows, cols, out + j);
    case 1: return column_block_sums<1>(x + j, rows, cols, out + j);
    default: return;
  }
}

// Given dz (rows, n_out): dW = xᵀ·dz (n_in, n_out), db = Σ_rows dz, and, when dx is
// wanted, dx = dz·Wᵀ (rows, n_in). Gradients are overwritten, not accumulated.
template <class T>
void dense_backward(const T* x, const T* w, const T* dz, T* dw, T* db, T* dx, std::size_t rows,
                    std::size_t n_in, std::size_t n_out, Workspace<T>& ws) {
  const auto ni = static_cast<std::ptrdiff_t>(n_in), no = static_cast<std::ptrdiff_t>(n_out);
  gemm::multiply<T>(n_in, n_out, rows, {x, 1, ni}, {dz, no, 1}, nullptr, 0, 0, dw, no, 1,
                    ws.pack_a, ws.pack_b);
  column_sums(dz, rows, n_out, db);
  if (dx)
    gemm::multiply<T>(rows, n_in, n_out, {dz, no, 1}, {w, 1, no}, nullptr, 0, 0, dx, ni, 1,
                      ws.pack_a, ws.pack_b);
}

// v[i] *= c over n values (a raw loop: one pass, no temporary).
template <class T>
void scale(T* v, std::size_t n, T c) {
  for (std::size_t i = 0; i < n; ++i) v[i] *= c;
}

// z = c·z + b per row: z (rows, cols), b (cols). A raw loop for the same reason.
template <class T>
void scale_add_bias(T* z, const T* b, std::size_t rows, std::size_t cols, T c) {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < cols; ++j) z[r * cols + j] = c * z[r * cols + j] + b[j];
}

template <class T>
class DenseLayer final : public Layer<T> {
 public:
  DenseLayer(const LayerSpec& spec, std::size_t fan_in) {
    this->fan_in = fan_in;
    this->fan_out = spec.units;
    this->activation = spec.activation;
    multiplier_ = static_cast<T>(spec.multiplier);
    const std::size_t i = fan_in, o = spec.units;
    const Fans fans{static_cast<double>(i), static_cast<double>(o)};
    // W decays (L2 on weights), b does not; both take the config's initializers.
    this->tensors = {{"W", ParamRole::weight, Shape{i, o}, 0, fans, true, ""},
                     {"b", ParamRole::bias, Shape{o}, i * o, fans, false, ""}};
    use_rows(0);  // (0, fan_out) until the first forward
  }

  void reserve(std::size_t rows, Workspace<T>& ws) override {
    const std::size_t i = this->fan_in, o = this->fan_out;
    if (rows > capacity_rows_ || z_.size() == 0) {
      capacity_rows_ = std::max(rows, capacity_rows_);
      z_.resize({capacity_rows_, o});
      a_.resize({capacity_rows_, o});
      dz_.resize({capacity_rows_, o});
      use_rows(this->rows());  // the caches moved
    }
    // The products' packing scratch for any row count up to `rows`: forward (rows, o, i),
    // dW (i, o, rows), dx (rows, i, o). Sized here so that steps never allocate.
    const std::size_t pa = std::max({gemm::scratch_a<T>(rows, o, i), gemm::scratch_a<T>(i, o, rows),
                                     gemm::scratch_a<T>(rows, i, o)});
    const std::size_t pb = std::max({gemm::scratch_b<T>(rows, o, i), gemm::scratch_b<T>(i, o, rows),
                                     gemm::scratch_b<T>(rows, i, o)});
    if (ws.pack_a.size() < pa) ws.pack_a.resize(pa);
    if (ws.pack_b.size() < pb) ws.pack_b.resize(pb);
  }

  void forward(const MatrixView<const T>& x, const T* params, Workspace<T>& ws) override {
    const std::size_t rows = x.shape()[0];
    if (rows != this->rows()) use_rows(rows);
    x_ = x.data();
    // Without a multiplier the bias starts each sum, as before multipliers existed.
    const bool scaled = multiplier_ != T(1);
    dense_forward(x_, params + w_offset(), scaled ? nullptr : params + b_offset(), z_.data(),
                  rows, this->fan_in, this->fan_out, ws);
    if (scaled)
      scale_add_bias(z_.data(), params + b_offset(), rows, this->fan_out, multiplier_);
    if (!linear()) activation_forward(this->activation, this->z(), a_rows_);  // linear: a is z
  }

  void backward(const MatrixView<const T>& grad_out, bool grad_is_logit, const T* params,
                T* grads, T* dx, Workspace<T>& ws) override {
    const std::size_t rows = this->rows(), o = this->fan_out;
    if (grad_is_logit) {
      if (grad_out.data() != dz_.data()) std::copy_n(grad_out.data(), rows * o, dz_.data());
    } else if (linear()) {
      // φ' = 1: dz is grad_out (a residual branch writes it into dz_ itself).
      if (grad_out.data() != dz_.data()) std::copy_n(grad_out.data(), rows * o, dz_.data());
    } else {
      // In place when grad_out is dz_ itself: activation_backward allows it.
      activation_backward(this->activation, this->z(), this->a(), grad_out, dz_rows_);
    }
    dense_backward(x_, params + w_offset(), dz_.data(), grads + w_offset(), grads + b_offset(), dx,
                   rows, this->fan_in, o, ws);
    if (multiplier_ != T(1)) {  // dL/dW and dL/dx carry the multiplier; dL/db does not
      scale(grads + w_offset(), this->fan_in * o, multiplier_);
      if (dx) scale(dx, rows * this->fan_in, multiplier_);
    }
  }

  T* grad_out_buffer() override { return dz_.data(); }

 private:
  std::size_t w_offset() const { return this->tensors[0].offset; }
  std::size_t b_offset() const { return this->tensors[1].offset; }

  // z(), a() and dz(): the rows in use of caches sized for the most rows seen.
  // Writable views of the rows in use too, made here so that a step makes none.
  bool linear() const { return this->activation.kind == Activation::linear; }

  void use_rows(std::size_t rows) {
    this->view_caches(rows, z_.data(), linear() ? z_.data() : a_.data(), dz_.data());
    a_rows_ = matrix_view(a_.data(), rows, this->fan_out);
    dz_rows_ = matrix_view(dz_.data(), rows, this->fan_out);
  }

  T multiplier_ = 1;       // z = multiplier_·x·W + b
  const T* x_ = nullptr;  // the input of the last forward, read by backward
  std::size_t capacity_rows_ = 0;
  xt::xtensor<T, 2> z_, a_, dz_;  // (capacity_rows_, fan_out)
  MatrixView<T> a_rows_ = matrix_view<T>(nullptr, 0, 0), dz_rows_ = matrix_view<T>(nullptr, 0, 0);
};

}  // namespace

template <class T>
std::unique_ptr<Layer<T>> make_dense_layer(const LayerSpec& spec, std::size_t fan_in) {
  return std::make_unique<DenseLayer<T>>(spec, fan_in);
}

template std::unique_ptr<Layer<float>> make_dense_layer(const LayerSpec&, std::size_t);
template std::unique_ptr<Layer<double>> make_dense_layer(const LayerSpec&, std::size_t);

}  // namespace initscope
