#include "initscope/network.hpp"

#include <algorithm>

#include "gemm.hpp"

namespace initscope {

template <class T>
Network<T>::Network(std::size_t input_dim, const std::vector<std::size_t>& units,
                    const std::vector<ActivationSpec>& activations)
    : input_dim_(input_dim) {
  std::size_t fan_in = input_dim, offset = 0;
  for (std::size_t l = 0; l < units.size(); ++l) {
    DenseLayer layer;
    layer.fan_in = fan_in;
    layer.fan_out = units[l];
    layer.activation = activations[l];
    layer.w_offset = offset;
    offset += fan_in * units[l];
    layer.b_offset = offset;
    offset += units[l];
    layers_.push_back(layer);
    fan_in = units[l];
  }
  params_.assign(offset, T(0));
  grads_.assign(offset, T(0));
}

template <class T>
void Network<T>::reserve_rows(std::size_t rows) {
  rows_ = rows;
  if (rows <= capacity_rows_ && z_.size() == layers_.size()) return;
  capacity_rows_ = std::max(rows, capacity_rows_);
  z_.resize(layers_.size());
  a_.resize(layers_.size());
  dz_.resize(layers_.size());
  std::size_t widest = 0, scratch_a = 0, scratch_b = 0;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const std::size_t r = capacity_rows_, i = layers_[l].fan_in, o = layers_[l].fan_out;
    z_[l].resize(r * o);
    a_[l].resize(r * o);
    dz_[l].resize(r * o);
    widest = std::max(widest, o);
    // The products' packing scratch for any row count up to the capacity: forward
    // (r, o, i), dW (i, o, r), dx (r, i, o). Sized here so that steps never allocate.
    scratch_a = std::max({scratch_a, gemm::scratch_a<T>(r, o, i), gemm::scratch_a<T>(i, o, r),
                          gemm::scratch_a<T>(r, i, o)});
    scratch_b = std::max({scratch_b, gemm::scratch_b<T>(r, o, i), gemm::scratch_b<T>(i, o, r),
                          gemm::scratch_b<T>(r, i, o)});
  }
  da_.resize(capacity_rows_ * widest);
  pack_a_.resize(scratch_a);
  pack_b_.resize(scratch_b);
}

// The three products of a dense layer, all through gemm::multiply (blocked, register
// tiled, SIMD). Each element is accumulated in the order of the plain loops it replaces
// (z from b over k; dW from 0 over the rows; dx from 0 over j), so the results are the
// same bits as theirs, in every build.

// z = x·W + b: x (rows, n_in), W (n_in, n_out), z (rows, n_out).
template <class T>
static void dense_forward(const T* x, const T* w, const T* b, T* z, std::size_t rows,
                          std::size_t n_in, std::size_t n_out, std::vector<T>& pa,
                          std::vector<T>& pb) {
  const auto ni = static_cast<std::ptrdiff_t>(n_in), no = static_cast<std::ptrdiff_t>(n_out);
  gemm::multiply<T>(rows, n_out, n_in, {x, ni, 1}, {w, no, 1}, b, 0, 1, z, no, 1, pa, pb);
}

// out[j] = Σ_i x[i][j] over the rows of x (rows, cols), each sum from 0 in row order (the
// bits of the plain loop). A block of W columns keeps its sums in registers across the
// rows: summed into out in place, every row's add waited for the store of the row before.
template <std::size_t W, class T>
static void column_block_sums(const T* x, std::size_t rows, std::size_t cols, T* out) {
  T sums[W] = {};
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t k = 0; k < W; ++k) sums[k] += x[i * cols + k];
  for (std::size_t k = 0; k < W; ++k) out[k] = sums[k];
}

template <class T>
static void column_sums(const T* x, std::size_t rows, std::size_t cols, T* out) {
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
static void dense_backward(const T* x, const T* w, const T* dz, T* dw, T* db, T* dx,
                           std::size_t rows, std::size_t n_in, std::size_t n_out,
                           std::vector<T>& pa, std::vector<T>& pb) {
  const auto ni = static_cast<std::ptrdiff_t>(n_in), no = static_cast<std::ptrdiff_t>(n_out);
  gemm::multiply<T>(n_in, n_out, rows, {x, 1, ni}, {dz, no, 1}, nullptr, 0, 0, dw, no, 1, pa, pb);
  column_sums(dz, rows, n_out, db);
  if (dx)
    gemm::multiply<T>(rows, n_in, n_out, {dz, no, 1}, {w, 1, no}, nullptr, 0, 0, dx, ni, 1, pa, pb);
}

template <class T>
void Network<T>::forward(const T* x, std::size_t rows) {
  reserve_rows(rows);
  x_ = x;
  const T* input = x;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const DenseLayer& layer = layers_[l];
    dense_forward(input, weights(l), biases(l), z_[l].data(), rows, layer.fan_in, layer.fan_out,
                  pack_a_, pack_b_);
    activation_forward(layer.activation, z_[l].data(), a_[l].data(), rows, layer.fan_out);
    input = a_[l].data();
  }
}

template <class T>
void Network<T>::backward(const T* grad_out, bool grad_is_logit) {
  const std::size_t last = layers_.size() - 1;
  const std::size_t n = rows_ * layers_[last].fan_out;
  if (grad_is_logit) {
    std::copy(grad_out, grad_out + n, dz_[last].data());
  } else {
    activation_backward(layers_[last].activation, z_[last].data(), a_[last].data(), grad_out,
                        dz_[last].data(), rows_, layers_[last].fan_out);
  }
  for (std::size_t l = last + 1; l-- > 0;) {
    const DenseLayer& layer = layers_[l];
    const T* input = l == 0 ? x_ : a_[l - 1].data();
    T* da_prev = l == 0 ? nullptr : da_.data();
    dense_backward(input, weights(l), dz_[l].data(), grads_.data() + layer.w_offset,
                   grads_.data() + layer.b_offset, da_prev, rows_, layer.fan_in, layer.fan_out,
                   pack_a_, pack_b_);
    if (l > 0) {
      const DenseLayer& prev = layers_[l - 1];
      activation_backward(prev.activation, z_[l - 1].data(), a_[l - 1].data(), da_.data(),
                          dz_[l - 1].data(), rows_, prev.fan_out);
    }
  }
}

template class Network<float>;
template class Network<double>;

}  // namespace initscope
