// A sequence of layers (initscope/layer.hpp) over one contiguous parameter buffer and one
// gradient buffer laid out alike (llm.c style): per layer its slice, its tensors one after
// another (a dense layer: W (fan_in, fan_out) row-major, then b (fan_out)). Each layer's tensors are xt::adapt
// views into those buffers, so the optimizer still sees one flat block.
// Templated on the scalar so that gradient checks run in double; the run uses float.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "initscope/activation.hpp"
#include "initscope/layer.hpp"
#include "initscope/tensor.hpp"

namespace initscope {

template <class T>
class Network {
 public:
  Network() = default;
  // Layers as specs: specs[l] reads the columns of layer l - 1 (the input for l = 0).
  // Every spec's kind must be in layer_kinds().
  Network(std::size_t input_dim, const std::vector<LayerSpec>& specs);
  // A stack of dense layers: units[l] and activations[l] describe layer l; the last one is
  // the output layer.
  Network(std::size_t input_dim, const std::vector<std::size_t>& units,
          const std::vector<ActivationSpec>& activations);

  std::size_t input_dim() const { return input_dim_; }
  std::size_t output_dim() const { return layers_.empty() ? input_dim_ : layers_.back()->fan_out; }
  std::size_t num_layers() const { return layers_.size(); }
  const Layer<T>& layer(std::size_t l) const { return *layers_[l]; }
  std::size_t num_params() const { return params_.size(); }

  // The flat buffers. Swapping them (or one with another buffer of the same size) is
  // allowed: every layer reads them through its offsets at each call.
  std::vector<T>& params() { return params_; }
  const std::vector<T>& params() const { return params_; }
  std::vector<T>& grads() { return grads_; }
  const std::vector<T>& grads() const { return grads_; }
  // Tensor k of layer l (Layer::tensor_in: a vector as one row) and its gradient.
  MatrixView<T> tensor(std::size_t l, std::size_t k) {
    return layers_[l]->tensor_in(k, params_.data());
  }
  MatrixView<const T> tensor(std::size_t l, std::size_t k) const {
    return layers_[l]->tensor_in(k, params_.data());
  }
  MatrixView<const T> tensor_grad(std::size_t l, std::size_t k) const {
    return layers_[l]->tensor_in(k, grads_.data());
  }

  // x: (rows, input_dim); it must stay alive until backward() has run. Runs every layer:
  // for dense layers z(l) = a(l-1)·W + b and a(l) = φ(z(l)), each (rows, fan_out).
  void forward(const MatrixView<const T>& x);
  // grad_out (rows, output_dim): dL/dz of the output layer when grad_is_logit
  // (sigmoid+bce, softmax+ce fused in the loss), else dL/da. Fills dz(l) for every layer
  // and overwrites grads().
  void backward(const MatrixView<const T>& grad_out, bool grad_is_logit);
  // After a forward: grad (rows(), layer l's fan_out) taken as dL/d(layer l's output), the
  // backward of layer l and those below it, down to dL/dx of the input, which input_grad()
  // views (rows(), input_dim). Overwrites dz() of layers 0 .. l and their slices of grads();
  // the layers above and the forward caches stay. For input gradients (gradient_line.cpp).
  void backward_from(std::size_t l, const MatrixView<const T>& grad);
  MatrixView<const T> input_grad() const {
    return matrix_view<const T>(input_grad_.data(), rows_, input_dim_);
  }

  // Batch statistics or running averages for the coming forwards (LayerMode; batch at
  // first), the fold of a kept step's batch statistics into the running averages, and the
  // layers' state outside the parameter buffer, one layer's after another. A network
  // without such layers (no batchnorm) has none and these cost nothing.
  void set_mode(LayerMode mode);
  void update_running_statistics();
  std::size_t state_size() const { return state_size_; }
  std::vector<T> state() const;
  void set_state(const std::vector<T>& state);  // state_size() values

  // Caches of the last forward/backward, each (rows(), fan_out).
  std::size_t rows() const { return rows_; }
  const MatrixView<const T>& z(std::size_t l) const { return layers_[l]->z(); }
  const MatrixView<const T>& a(std::size_t l) const { return layers_[l]->a(); }
  const MatrixView<const T>& dz(std::size_t l) const { return layers_[l]->dz(); }  // dL/dz
  const MatrixView<const T>& output() const { return layers_.back()->a(); }

 private:
  void reserve_rows(std::size_t rows);

  std::size_t input_dim_ = 0;
  std::vector<std::unique_ptr<Layer<T>>> layers_;
  std::vector<T> params_, grads_;
  // Caches only grow, so alternating between the training batch and the statistics
  // probe batch never reallocates.
  std::size_t rows_ = 0, capacity_rows_ = 0;
  bool reserved_ = false;
  std::size_t state_size_ = 0;
  LayerMode mode_ = LayerMode::batch;
  Workspace<T> workspace_;
  std::vector<T> input_grad_;  // dL/dx of backward_from, (capacity rows, input_dim)
};

}  // namespace initscope
