// The BatchNorm kind (Ioffe and Szegedy 2015; PyTorch nn.BatchNorm1d, Keras
// BatchNormalization): per feature, over the batch's rows,
//   z = (x − mean) / √(var + ε)  (var biased: Σ(x − mean)²/rows, as both frameworks),
//   a = gain ⊙ z + shift,
// gain and shift (n) initialized to 1 and 0. It keeps its width and has no activation.
// In LayerMode::running it normalizes with its running averages instead; after a kept
// training step update_running_statistics() folds the step's batch statistics into them
// in PyTorch's sense of momentum m:
//   running_mean = (1 − m)·running_mean + m·mean,
//   running_var  = (1 − m)·running_var  + m·var·rows/(rows − 1)  (the unbiased variance),
// starting from 0 and 1. Keras's momentum is 1 − m (its default 0.99 is m = 0.01). With one
// row PyTorch refuses to train (its variance would divide by 0); here the running variance
// then stays as it was and the running mean still moves.
// Snapshot: z is the normalized values with the probe batch's statistics, a the output,
// dz = dL/dz; its weight statistics are the gain's (its first tensor).
#include <algorithm>
#include <cmath>
#include <vector>

#include "layer_kinds.hpp"
#include "norm_affine.hpp"

namespace initscope {

ParamSpec batch_norm_epsilon_spec() {
  return number_param("epsilon", 1e-5, 1e-12, 1.0,
                      "added to each feature's batch variance before the square root "
                      "(PyTorch's default 1e-5; Keras's is 1e-3)");
}

ParamSpec batch_norm_momentum_spec() {
  return number_param("momentum", 0.1, 0.0, 1.0,
                      "weight of each step's batch statistics in the running averages, in "
                      "PyTorch's sense: running = (1 − m)·running + m·batch (Keras's momentum "
                      "is 1 − m: its 0.99 is 0.01 here)");
}

namespace {

template <class T>
class BatchNormLayer final : public Layer<T> {
 public:
  BatchNormLayer(const LayerSpec& spec, std::size_t fan_in) {
    const std::size_t n = fan_in;
    this->fan_in = n;
    this->fan_out = n;
    auto key = [&](const ParamSpec& p) {
      return spec.params.numbers.count(p.name) ? spec.params.number(p.name) : p.default_value;
    };
    epsilon_ = key(batch_norm_epsilon_spec());
    momentum_ = key(batch_norm_momentum_spec());
    const Fans fans{static_cast<double>(n), static_cast<double>(n)};
    // Neither decays (as Keras's and PyTorch's defaults: no regularizer on them).
    this->tensors = {{"gain", ParamRole::gain, Shape{n}, 0, fans, false, "ones"},
                     {"shift", ParamRole::shift, Shape{n}, n, fans, false, "zeros"}};
    running_.assign(2 * n, T(0));
    std::fill(running_.begin() + static_cast<std::ptrdiff_t>(n), running_.end(), T(1));
    mean_.assign(n, 0.0);
    var_.assign(n, 0.0);
    inv_std_.assign(n, 0.0);
    sum_a_.assign(n, 0.0);
    sum_b_.assign(n, 0.0);
    use_rows(0);
  }

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

  // Column statistics in double, each column's sums in row order (a raw loop: the order
  // fixes the bits, the same in every build); z and a = gain·z + shift in the same pass
  // (a loop, not an expression: this file is compiled for size).
  void forward(const MatrixView<const T>& x, const T* params, Workspace<T>&) override {
    const std::size_t rows = x.shape()[0], n = this->fan_out;
    if (rows != this->rows()) use_rows(rows);
    const T* xs = x.data();
    batch_forward_ = mode_ == LayerMode::batch;
    if (batch_forward_) {
      std::fill(mean_.begin(), mean_.end(), 0.0);
      std::fill(var_.begin(), var_.end(), 0.0);
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < n; ++j) mean_[j] += xs[r * n + j];
      for (std::size_t j = 0; j < n; ++j) mean_[j] /= static_cast<double>(std::max<std::size_t>(rows, 1));
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < n; ++j) {
          const double d = xs[r * n + j] - mean_[j];
          var_[j] += d * d;
        }
      for (std::size_t j = 0; j < n; ++j) {
        var_[j] /= static_cast<double>(std::max<std::size_t>(rows, 1));
        inv_std_[j] = 1.0 / std::sqrt(var_[j] + epsilon_);
      }
      batch_rows_ = rows;
    } else {
      for (std::size_t j = 0; j < n; ++j) {
        mean_[j] = running_[j];
        inv_std_[j] = 1.0 / std::sqrt(static_cast<double>(running_[n + j]) + epsilon_);
      }
    }
    T* z = z_.data();
    T* a = a_.data();
    const T* gain = params + this->tensors[0].offset;
    const T* shift = params + this->tensors[1].offset;
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < n; ++j) {
        const std::size_t i = r * n + j;
        z[i] = static_cast<T>((xs[i] - mean_[j]) * inv_std_[j]);
        a[i] = z[i] * gain[j] + shift[j];
      }
  }

  void backward(const MatrixView<const T>& grad_out, bool, const T* params, T* grads, T* dx,
                Workspace<T>&) override {
    const std::size_t rows = this->rows(), n = this->fan_out;
    const T* g = grad_out.data();
    const T* z = z_.data();
    gain_shift_gradients(g, z, rows, n, sum_a_, sum_b_, grads + this->tensors[0].offset,
                         grads + this->tensors[1].offset);
    // dL/dz = gain ⊙ g, in place when g is dz_ itself (a loop for size, as forward).
    const T* gain = params + this->tensors[0].offset;
    T* d = dz_.data();
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < n; ++j) d[r * n + j] = g[r * n + j] * gain[j];
    if (!dx) return;
    if (!batch_forward_) {  // fixed statistics: dL/dx = dz / √(running_var + ε)
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < n; ++j) dx[r * n + j] = static_cast<T>(d[r * n + j] * inv_std_[j]);
      return;
    }
    // Through the batch statistics: dL/dx = (dz − mean(dz) − z·mean(dz ⊙ z)) / √(var + ε)
    // per column, the means over the rows in double in row order.
    std::fill(sum_a_.begin(), sum_a_.end(), 0.0);
    std::fill(sum_b_.begin(), sum_b_.end(), 0.0);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < n; ++j) {
        sum_a_[j] += d[r * n + j];
        sum_b_[j] += static_cast<double>(d[r * n + j]) * z[r * n + j];
      }
    const double count = static_cast<double>(std::max<std::size_t>(rows, 1));
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < n; ++j)
        dx[r * n + j] = static_cast<T>(
            inv_std_[j] * (d[r * n + j] - sum_a_[j] / count - z[r * n + j] * (sum_b_[j] / count)));
  }

  T* grad_out_buffer() override { return dz_.data(); }

  void set_mode(LayerMode mode) override { mode_ = mode; }
  // The last forward's batch statistics into the running averages (in double, stored as T).
  void update_running_statistics() override {
    if (!batch_forward_ || batch_rows_ == 0) return;
    const std::size_t n = this->fan_out;
    const double m = momentum_, keep = 1.0 - momentum_;
    const double unbias = static_cast<double>(batch_rows_) / static_cast<double>(batch_rows_ - 1);
    for (std::size_t j = 0; j < n; ++j) {
      running_[j] = static_cast<T>(keep * running_[j] + m * mean_[j]);
      if (batch_rows_ > 1) running_[n + j] = static_cast<T>(keep * running_[n + j] + m * var_[j] * unbias);
    }
  }
  // The running mean (n values), then the running variance (n).
  std::size_t state_size() const override { return running_.size(); }
  void get_state(T* out) const override { std::copy(running_.begin(), running_.end(), out); }
  void set_state(const T* in) override { std::copy_n(in, running_.size(), running_.begin()); }

 private:
  void use_rows(std::size_t rows) { this->view_caches(rows, z_.data(), a_.data(), dz_.data()); }

  double epsilon_ = 1e-5, momentum_ = 0.1;
  LayerMode mode_ = LayerMode::batch;
  bool batch_forward_ = true;   // the last forward used the batch's statistics
  std::size_t batch_rows_ = 0;  // rows of the last batch-mode forward
  std::size_t capacity_rows_ = 0;
  xt::xtensor<T, 2> z_, a_, dz_;  // (capacity_rows_, n): normalized, output, dL/dz
  std::vector<T> running_;        // running mean (n), then running variance (n)
  // The last forward's per-column mean, biased variance (batch mode) and 1/√(var + ε);
  // backward's column sums. Made once.
  std::vector<double> mean_, var_, inv_std_, sum_a_, sum_b_;
};

}  // namespace

template <class T>
std::unique_ptr<Layer<T>> make_batch_norm_layer(const LayerSpec& spec, std::size_t fan_in) {
  return std::make_unique<BatchNormLayer<T>>(spec, fan_in);
}

template std::unique_ptr<Layer<float>> make_batch_norm_layer(const LayerSpec&, std::size_t);
template std::unique_ptr<Layer<double>> make_batch_norm_layer(const LayerSpec&, std::size_t);

}  // namespace initscope
