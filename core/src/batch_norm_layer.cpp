// The BatchNorm kind (Ioffe and Szegedy 2015; PyTorch nn.BatchNorm1d, Keras
// BatchNormalization): per feature, over the batch's rows,
//   z = (x − mean) / √(var + ε)  (var biased: Σ(x − mean)²/rows, as both frameworks),
//   a = gain ⊙ z + shift,
// gain and shift (n) initialized to 1 and 0 (norm_layer.hpp). It keeps its width and has
// no activation.
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
#include "norm_layer.hpp"

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
class BatchNormLayer final : public NormLayer<T> {
 public:
  BatchNormLayer(const LayerSpec& spec, std::size_t fan_in)
      : NormLayer<T>(fan_in, key(spec, batch_norm_epsilon_spec())),
        momentum_(key(spec, batch_norm_momentum_spec())) {
    const std::size_t n = fan_in;
    running_.assign(2 * n, T(0));
    std::fill(running_.begin() + static_cast<std::ptrdiff_t>(n), running_.end(), T(1));
    mean_.assign(n, 0.0);
    var_.assign(n, 0.0);
    inv_std_.assign(n, 0.0);
  }

  // Column statistics in double, each column's sums in row order (a raw loop: the order
  // fixes the bits, the same in every build); then z, and the affine part.
  void forward(const MatrixView<const T>& x, const T* params, Workspace<T>&) override {
    const std::size_t rows = x.shape()[0], n = this->fan_out;
    if (rows != this->rows()) this->use_rows(rows);
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
        inv_std_[j] = 1.0 / std::sqrt(var_[j] + this->epsilon_);
      }
      batch_rows_ = rows;
    } else {
      for (std::size_t j = 0; j < n; ++j) {
        mean_[j] = running_[j];
        inv_std_[j] = 1.0 / std::sqrt(static_cast<double>(running_[n + j]) + this->epsilon_);
      }
    }
    T* z = this->z_.data();
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < n; ++j)
        z[r * n + j] = static_cast<T>((xs[r * n + j] - mean_[j]) * inv_std_[j]);
    this->affine_forward(rows, params);
  }

  void backward(const MatrixView<const T>& grad_out, bool, const T* params, T* grads, T* dx,
                Workspace<T>&) override {
    const std::size_t rows = this->rows(), n = this->fan_out;
    this->affine_backward(grad_out.data(), rows, params, grads);
    if (!dx) return;
    const T* d = this->dz_.data();
    const T* z = this->z_.data();
    if (!batch_forward_) {  // fixed statistics: dL/dx = dz / √(running_var + ε)
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < n; ++j) dx[r * n + j] = static_cast<T>(d[r * n + j] * inv_std_[j]);
      return;
    }
    // Through the batch statistics: dL/dx = (dz − mean(dz) − z·mean(dz ⊙ z)) / √(var + ε)
    // per column, the means over the rows in double in row order (the base's column sums
    // as scratch).
    std::vector<double>& sum_d = this->sum_g_;
    std::vector<double>& sum_dz = this->sum_gz_;
    std::fill(sum_d.begin(), sum_d.end(), 0.0);
    std::fill(sum_dz.begin(), sum_dz.end(), 0.0);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < n; ++j) {
        sum_d[j] += d[r * n + j];
        sum_dz[j] += static_cast<double>(d[r * n + j]) * z[r * n + j];
      }
    const double count = static_cast<double>(std::max<std::size_t>(rows, 1));
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < n; ++j)
        dx[r * n + j] = static_cast<T>(
            inv_std_[j] * (d[r * n + j] - sum_d[j] / count - z[r * n + j] * (sum_dz[j] / count)));
  }

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
  static double key(const LayerSpec& spec, const ParamSpec& p) {
    return spec.params.numbers.count(p.name) ? spec.params.number(p.name) : p.default_value;
  }

  double momentum_ = 0.1;
  LayerMode mode_ = LayerMode::batch;
  bool batch_forward_ = true;   // the last forward used the batch's statistics
  std::size_t batch_rows_ = 0;  // rows of the last batch-mode forward
  std::vector<T> running_;        // running mean (n), then running variance (n)
  // The last forward's per-column mean, biased variance (batch mode) and 1/√(var + ε).
  // Made once.
  std::vector<double> mean_, var_, inv_std_;
};

}  // namespace

template <class T>
std::unique_ptr<Layer<T>> make_batch_norm_layer(const LayerSpec& spec, std::size_t fan_in) {
  return std::make_unique<BatchNormLayer<T>>(spec, fan_in);
}

template std::unique_ptr<Layer<float>> make_batch_norm_layer(const LayerSpec&, std::size_t);
template std::unique_ptr<Layer<double>> make_batch_norm_layer(const LayerSpec&, std::size_t);

}  // namespace initscope
