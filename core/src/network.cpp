#include "initscope/network.hpp"

#include <algorithm>

namespace initscope {

template <class T>
Network<T>::Network(std::size_t input_dim, const std::vector<LayerSpec>& specs)
    : input_dim_(input_dim) {
  std::size_t fan_in = input_dim, offset = 0;
  for (const LayerSpec& spec : specs) {
    std::unique_ptr<Layer<T>> layer = make_layer<T>(spec, fan_in);
    layer->place(offset);
    offset += layer->num_params();
    fan_in = layer->fan_out;
    state_size_ += layer->state_size();
    layers_.push_back(std::move(layer));
  }
  params_.assign(offset, T(0));
  grads_.assign(offset, T(0));
}

namespace {

std::vector<LayerSpec> dense_specs(const std::vector<std::size_t>& units,
                                   const std::vector<ActivationSpec>& activations) {
  std::vector<LayerSpec> specs;
  for (std::size_t l = 0; l < units.size(); ++l) specs.push_back({"dense", units[l], activations[l], {}});
  return specs;
}

}  // namespace

template <class T>
Network<T>::Network(std::size_t input_dim, const std::vector<std::size_t>& units,
                    const std::vector<ActivationSpec>& activations)
    : Network(input_dim, dense_specs(units, activations)) {}

template <class T>
void Network<T>::reserve_rows(std::size_t rows) {
  rows_ = rows;
  if (rows <= capacity_rows_ && reserved_) return;
  reserved_ = true;
  capacity_rows_ = std::max(rows, capacity_rows_);
  for (auto& layer : layers_) layer->reserve(capacity_rows_, workspace_);
  input_grad_.resize(capacity_rows_ * input_dim_);
}

template <class T>
void Network<T>::forward(const MatrixView<const T>& x) {
  reserve_rows(x.shape()[0]);
  layers_[0]->forward(x, params_.data(), workspace_);
  for (std::size_t l = 1; l < layers_.size(); ++l)
    layers_[l]->forward(layers_[l - 1]->a(), params_.data(), workspace_);
}

template <class T>
void Network<T>::backward(const MatrixView<const T>& grad_out, bool grad_is_logit) {
  const std::size_t last = layers_.size() - 1;
  // Top down: layer l reads dL/d(its output) and writes dL/d(its input) into the buffer
  // of layer l - 1, which reads it there.
  auto below = [&](std::size_t l) { return l == 0 ? nullptr : layers_[l - 1]->grad_out_buffer(); };
  layers_[last]->backward(grad_out, grad_is_logit, params_.data(), grads_.data(), below(last),
                          workspace_);
  // That buffer is the one dz() views.
  for (std::size_t l = last; l-- > 0;)
    layers_[l]->backward(layers_[l]->dz(), false, params_.data(), grads_.data(), below(l),
                         workspace_);
}

template <class T>
void Network<T>::backward_from(std::size_t l, const MatrixView<const T>& grad) {
  auto below = [&](std::size_t k) { return k == 0 ? input_grad_.data() : layers_[k - 1]->grad_out_buffer(); };
  layers_[l]->backward(grad, false, params_.data(), grads_.data(), below(l), workspace_);
  for (std::size_t k = l; k-- > 0;)
    layers_[k]->backward(layers_[k]->dz(), false, params_.data(), grads_.data(), below(k),
                         workspace_);
}

template <class T>
void Network<T>::set_mode(LayerMode mode) {
  if (state_size_ == 0 || mode == mode_) return;
  mode_ = mode;
  for (auto& layer : layers_) layer->set_mode(mode);
}

template <class T>
void Network<T>::update_running_statistics() {
  if (state_size_ == 0) return;
  for (auto& layer : layers_) layer->update_running_statistics();
}

template <class T>
std::vector<T> Network<T>::state() const {
  std::vector<T> out(state_size_);
  std::size_t at = 0;
  for (const auto& layer : layers_) {
    layer->get_state(out.data() + at);
    at += layer->state_size();
  }
  return out;
}

template <class T>
void Network<T>::set_state(const std::vector<T>& state) {
  std::size_t at = 0;
  for (auto& layer : layers_) {
    layer->set_state(state.data() + at);
    at += layer->state_size();
  }
}

template class Network<float>;
template class Network<double>;

}  // namespace initscope
