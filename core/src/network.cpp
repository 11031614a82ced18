#include "initscope/network.hpp"

#include <algorithm>

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
  std::size_t widest = 0;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    std::size_t n = capacity_rows_ * layers_[l].fan_out;
    z_[l].resize(n);
    a_[l].resize(n);
    dz_[l].resize(n);
    widest = std::max(widest, layers_[l].fan_out);
  }
  da_.resize(capacity_rows_ * widest);
}

// z = x·W + b, x (rows, n_in), W (n_in, n_out), z (rows, n_out). The i-k-j order keeps
// the inner loop contiguous in W and z, which -msimd128 vectorizes.
template <class T>
static void dense_forward(const T* x, const T* w, const T* b, T* z, std::size_t rows,
                          std::size_t n_in, std::size_t n_out) {
  for (std::size_t i = 0; i < rows; ++i) {
    T* zi = z + i * n_out;
    std::copy(b, b + n_out, zi);
    const T* xi = x + i * n_in;
    for (std::size_t k = 0; k < n_in; ++k) {
      const T xik = xi[k];
      const T* wk = w + k * n_out;
      for (std::size_t j = 0; j < n_out; ++j) zi[j] += xik * wk[j];
    }
  }
}

// Given dz (rows, n_out): dW = xᵀ·dz (n_in, n_out), db = Σ_rows dz, and, when dx is
// wanted, dx = dz·Wᵀ (rows, n_in). Gradients are overwritten, not accumulated.
template <class T>
static void dense_backward(const T* x, const T* w, const T* dz, T* dw, T* db, T* dx,
                           std::size_t rows, std::size_t n_in, std::size_t n_out) {
  std::fill(dw, dw + n_in * n_out, T(0));
  std::fill(db, db + n_out, T(0));
  for (std::size_t i = 0; i < rows; ++i) {
    const T* dzi = dz + i * n_out;
    const T* xi = x + i * n_in;
    for (std::size_t j = 0; j < n_out; ++j) db[j] += dzi[j];
    for (std::size_t k = 0; k < n_in; ++k) {
      const T xik = xi[k];
      T* dwk = dw + k * n_out;
      for (std::size_t j = 0; j < n_out; ++j) dwk[j] += xik * dzi[j];
    }
  }
  if (!dx) return;
  for (std::size_t i = 0; i < rows; ++i) {
    const T* dzi = dz + i * n_out;
    T* dxi = dx + i * n_in;
    for (std::size_t k = 0; k < n_in; ++k) {
      const T* wk = w + k * n_out;
      T sum = 0;
      for (std::size_t j = 0; j < n_out; ++j) sum += dzi[j] * wk[j];
      dxi[k] = sum;
    }
  }
}

template <class T>
void Network<T>::forward(const T* x, std::size_t rows) {
  reserve_rows(rows);
  x_ = x;
  const T* input = x;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const DenseLayer& layer = layers_[l];
    dense_forward(input, weights(l), biases(l), z_[l].data(), rows, layer.fan_in, layer.fan_out);
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
                   grads_.data() + layer.b_offset, da_prev, rows_, layer.fan_in, layer.fan_out);
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
