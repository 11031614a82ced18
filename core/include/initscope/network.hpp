// A stack of dense layers with explicit forward/backward caches and one contiguous
// parameter buffer (llm.c style): per layer W (fan_in, fan_out) row-major, then b (fan_out).
// Templated on the scalar so that gradient checks run in double; the run uses float.
#pragma once
#include <cstddef>
#include <vector>

#include "initscope/activation.hpp"

namespace initscope {

struct DenseLayer {
  std::size_t fan_in = 0, fan_out = 0;
  ActivationSpec activation;
  std::size_t w_offset = 0;  // into the parameter buffer: W, (fan_in, fan_out)
  std::size_t b_offset = 0;  // b, (fan_out)
};

template <class T>
class Network {
 public:
  Network() = default;
  // units[l] and activations[l] describe layer l; the last one is the output layer.
  Network(std::size_t input_dim, const std::vector<std::size_t>& units,
          const std::vector<ActivationSpec>& activations);

  std::size_t input_dim() const { return input_dim_; }
  std::size_t output_dim() const { return layers_.empty() ? input_dim_ : layers_.back().fan_out; }
  std::size_t num_layers() const { return layers_.size(); }
  const DenseLayer& layer(std::size_t l) const { return layers_[l]; }
  std::size_t num_params() const { return params_.size(); }

  std::vector<T>& params() { return params_; }
  const std::vector<T>& params() const { return params_; }
  std::vector<T>& grads() { return grads_; }
  const std::vector<T>& grads() const { return grads_; }
  T* weights(std::size_t l) { return params_.data() + layers_[l].w_offset; }
  const T* weights(std::size_t l) const { return params_.data() + layers_[l].w_offset; }
  T* biases(std::size_t l) { return params_.data() + layers_[l].b_offset; }
  const T* biases(std::size_t l) const { return params_.data() + layers_[l].b_offset; }
  const T* weight_grads(std::size_t l) const { return grads_.data() + layers_[l].w_offset; }
  const T* bias_grads(std::size_t l) const { return grads_.data() + layers_[l].b_offset; }

  // x: (rows, input_dim), row-major; it must stay alive until backward() has run.
  // Fills z(l) = a(l-1)·W + b and a(l) = φ(z(l)), each (rows, fan_out).
  void forward(const T* x, std::size_t rows);
  // grad_out: dL/dz of the output layer when grad_is_logit (sigmoid+bce, softmax+ce fused
  // in the loss), else dL/da. Fills dz(l) for every layer and overwrites grads().
  void backward(const T* grad_out, bool grad_is_logit);

  // Caches of the last forward/backward, each (rows(), fan_out) row-major.
  std::size_t rows() const { return rows_; }
  const T* z(std::size_t l) const { return z_[l].data(); }
  const T* a(std::size_t l) const { return a_[l].data(); }
  const T* dz(std::size_t l) const { return dz_[l].data(); }  // dL/dz, back-propagated
  const T* output() const { return a_.back().data(); }

 private:
  void reserve_rows(std::size_t rows);

  std::size_t input_dim_ = 0;
  std::vector<DenseLayer> layers_;
  std::vector<T> params_, grads_;
  // Caches only grow, so alternating between the training batch and the statistics
  // probe batch never reallocates.
  std::size_t rows_ = 0, capacity_rows_ = 0;
  const T* x_ = nullptr;
  std::vector<std::vector<T>> z_, a_, dz_;
  std::vector<T> da_;  // scratch: dL/da of the layer being back-propagated
  std::vector<T> pack_a_, pack_b_;  // scratch of the matrix products (operands packed in tiles)
};

}  // namespace initscope
