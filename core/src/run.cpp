#include "initscope/run.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "initscope/limits.hpp"
#include "initscope/loss.hpp"
#include "initscope/weight_change.hpp"

namespace initscope {

namespace {

// Rng streams: one per layer and tensor, so changing one layer's initializer never
// changes another layer's draw. A layer's first two tensors (dense: W, b) draw from
// streams 2l + 1 and 2l + 2; any further ones from their own range above 2^32.
constexpr std::uint64_t kBatchStream = 0;
std::uint64_t tensor_stream(std::size_t l, std::size_t k) {
  return k < 2 ? 2 * l + 1 + k : ((std::uint64_t{l} + 1) << 32) + k;
}

// NaN or Inf anywhere: an exponent field of all ones, so a magnitude (the bits without
// the sign) at least that of Inf. No branch per element, and an integer max is
// associative, so the compiler vectorizes the loop to two operations per vector (a float
// sum of v·0 would be one serial chain of adds: a tenth of a big network's step).
// A raw loop over the bits: no xtensor expression reads a float as its integer bits.
std::uint32_t largest_magnitude(const float* v, std::size_t n, std::uint32_t largest = 0) {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, v + i, sizeof bits);
    largest = std::max(largest, bits & 0x7fffffffu);
  }
  return largest;
}
constexpr std::uint32_t kInfBits = 0x7f800000u;
bool all_finite(const float* v, std::size_t n) { return largest_magnitude(v, n) < kInfBits; }
template <class E>
std::uint32_t largest_magnitude(const E& tensor, std::uint32_t largest = 0) {
  return largest_magnitude(tensor.data(), tensor.size(), largest);
}
template <class E>
bool all_finite(const E& tensor) {
  return largest_magnitude(tensor) < kInfBits;
}

// Targets in the loss's encoding: one column of 0/1 for a single output, else one-hot.
Matrix encode_targets(const std::vector<int>& labels, std::size_t outputs) {
  Matrix t = Matrix::from_shape({labels.size(), outputs});
  t.fill(0.0f);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (outputs == 1)
      t(i, 0) = static_cast<float>(labels[i]);
    else
      t(i, static_cast<std::size_t>(labels[i])) = 1.0f;
  }
  return t;
}

// Σ x², summed in double in index order: a raw loop, since the pinned statistics depend on
// this order and xt::sum's is its own.
double norm2(const float* v, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(v[i]) * v[i];
  return s;
}
template <class E>
double norm2(const E& tensor) {
  return norm2(tensor.data(), tensor.size());
}
// E[x²] of a tensor (1 when it is empty).
template <class E>
double mean_square(const E& tensor) {
  return tensor.size() > 0 ? norm2(tensor) / static_cast<double>(tensor.size()) : 1.0;
}

// The population variance E[x²] − E[x]² of z, in double, summed in index order (a raw
// loop for the same reason as norm2).
double variance_of(MatrixView<const float> z) {
  const float* v = z.data();
  const std::size_t n = z.size();
  double sum = 0, sq = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += v[i];
    sq += static_cast<double>(v[i]) * v[i];
  }
  return sq / n - (sum / n) * (sum / n);
}

// The mean over rows of each row's population variance across its columns (what a
// LayerNorm first layer normalizes by), in double in index order.
double mean_row_variance(MatrixView<const float> x) {
  const std::size_t rows = x.shape()[0], cols = x.shape()[1];
  if (rows == 0 || cols == 0) return 0.0;
  double total = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const float* v = x.data() + r * cols;
    double sum = 0, sq = 0;
    for (std::size_t j = 0; j < cols; ++j) {
      sum += v[j];
      sq += static_cast<double>(v[j]) * v[j];
    }
    total += sq / cols - (sum / cols) * (sum / cols);
  }
  return total / rows;
}

// The mean over columns of each column's population variance across the rows (what a
// BatchNorm first layer normalizes by), in double, each column's sums in row order.
double mean_column_variance(MatrixView<const float> x) {
  const std::size_t rows = x.shape()[0], cols = x.shape()[1];
  if (rows == 0 || cols == 0) return 0.0;
  std::vector<double> sum(cols, 0.0), sq(cols, 0.0);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < cols; ++j) {
      const double v = x.data()[r * cols + j];
      sum[j] += v;
      sq[j] += v * v;
    }
  double total = 0;
  for (std::size_t j = 0; j < cols; ++j) total += sq[j] / rows - (sum[j] / rows) * (sum[j] / rows);
  return total / cols;
}

// ‖now − before‖² in double, in index order (a raw loop for the same reason as norm2).
double distance2(const float* now, const float* before, std::size_t n) {
  double diff = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double d = static_cast<double>(now[i]) - before[i];
    diff += d * d;
  }
  return diff;
}

// The moments of c·W from those of W.
Moments scaled(Moments m, double c) {
  if (c == 1) return m;
  return Moments{m.mean * c, m.variance * c * c};
}

// Rows [start, start + rows) of x.
MatrixView<const float> rows_of(const Matrix& x, std::size_t start, std::size_t rows) {
  const std::size_t cols = x.shape()[1];
  return matrix_view(x.data() + start * cols, rows, cols);
}
MatrixView<const float> first_rows(const Matrix& x, std::size_t rows) { return rows_of(x, 0, rows); }

}  // namespace

Status Run::create(const std::string& config_json, std::unique_ptr<Run>& out,
                   double free_bytes) {
  Config config;
  if (auto e = parse_config(config_json, config)) return e;
  return create(config, out, free_bytes);
}

Status Run::create(const Config& config, std::unique_ptr<Run>& out, double free_bytes) {
  std::unique_ptr<Run> run(new Run());
  run->config_ = config;
  if (auto e = make_dataset(config.data, run->data_)) return e;
  const int input_dim = static_cast<int>(run->data_.x_train.shape()[1]);
  if (auto e = validate_against_data(config, input_dim, run->data_.num_classes, free_bytes))
    return e;

  run->net_ = Network<float>(static_cast<std::size_t>(input_dim),
                             layer_specs(config, static_cast<std::size_t>(input_dim)));
  // L2 weight decay applies where the tensor says (weights, not biases).
  run->decay_mask_.assign(run->net_.num_params(), 0);
  run->inits_.clear();
  run->scheme_factors_.clear();
  const int blocks = residual_blocks(config);
  const std::size_t layers = run->net_.num_layers(), last = layers - 1;
  // The parameterization's learning rate of each tensor, in buffer order.
  std::vector<Optimizer::LrGroup> lr_groups;
  for (std::size_t l = 0; l < layers; ++l) {
    run->inits_.emplace_back();
    run->scheme_factors_.emplace_back();
    const LayerConfig& layer = config.layers[l];
    const int m = layer.kind == "residual" ? static_cast<int>(layer.params.number("branch")) : 0;
    const ResidualScaling scaling = residual_scaling(config.residual_init, blocks, m);
    const LayerMultipliers param = layer_multipliers(
        config.parameterization, l, layers, run->net_.layer(l).fan_in, run->net_.layer(l).fan_out);
    for (const ParamTensor& t : run->net_.layer(l).tensors) {
      const TensorMultipliers& tm = t.role == ParamRole::weight ? param.weight : param.bias;
      lr_groups.push_back({t.offset, t.size(), lr_multiplier(tm, config.optimizer.kind)});
      if (t.decay)
        std::fill_n(run->decay_mask_.begin() + static_cast<std::ptrdiff_t>(t.offset), t.size(), 1);
      run->inits_.back().push_back(tensor_init(config, l, t));
      double factor = 1;
      if (m > 0) factor = residual_tensor_factor(scaling, m, t.name);
      else if (l == last && t.role == ParamRole::weight) factor = scaling.output;
      run->scheme_factors_.back().push_back(factor * tm.init);
    }
  }
  run->optimizer_ = std::make_unique<Optimizer>(config.optimizer, run->net_.num_params(),
                                                run->decay_mask_);
  if (!config.parameterization.is_standard()) run->optimizer_->set_lr_groups(lr_groups);
  run->before_step_.resize(run->net_.num_params());  // swapped with the parameters by step()

  const std::size_t outputs = run->net_.output_dim();
  run->targets_train_ = encode_targets(run->data_.y_train, outputs);
  run->targets_test_ = encode_targets(run->data_.y_test, outputs);
  const std::size_t n_train = run->data_.y_train.size();
  run->probe_rows_ = std::min<std::size_t>(n_train, static_cast<std::size_t>(config.stats.probe));
  run->batch_rows_ = std::min<std::size_t>(n_train, static_cast<std::size_t>(config.batch));
  run->batch_x_.resize({run->batch_rows_, static_cast<std::size_t>(input_dim)});
  run->batch_y_.resize({run->batch_rows_, outputs});
  run->grad_out_.resize({std::max(run->batch_rows_, run->probe_rows_), outputs});
  const bool whole = run->batch_rows_ >= n_train;
  run->batch_ = Batch{first_rows(whole ? run->data_.x_train : run->batch_x_, run->batch_rows_),
                      first_rows(whole ? run->targets_train_ : run->batch_y_, run->batch_rows_),
                      first_rows(run->grad_out_, run->batch_rows_),
                      matrix_view(run->grad_out_.data(), run->batch_rows_, outputs)};
  run->order_.resize(n_train);
  run->fresh_state_ = run->net_.state();
  run->initialize_weights();
  out = std::move(run);
  return std::nullopt;
}

void Run::initialize_weights() {
  lsuv_iterations_.assign(net_.num_layers(), 0);
  for (std::size_t l = 0; l < net_.num_layers(); ++l) {
    const Layer<float>& layer = net_.layer(l);
    for (std::size_t k = 0; k < layer.tensors.size(); ++k) {
      const ParamTensor& t = layer.tensors[k];
      Rng rng(config_.seed, tensor_stream(l, k));
      fill(inits_[l][k], t.shape, t.fans, rng, layer.values_in(k, net_.params().data()));
    }
  }
  apply_lsuv();
  apply_residual_init();
  initial_params_ = net_.params();
  initial_state_ = fresh_state_;
  clear_training_state();
  compute_theory();
  fix_histogram_ranges();
}

// LSUV (Mishkin & Matas 2015): from an orthogonal start, rescale each layer's weights,
// first to last, until its pre-activation variance on a data batch is within
// `tolerance` of 1, in at most `max_iterations` rounds. Runs on the probe batch; a layer's
// weight tensor is what it rescales (a layer without one has nothing LSUV can set).
void Run::apply_lsuv() {
  for (std::size_t l = 0; l < net_.num_layers(); ++l) {
    const std::size_t k = net_.layer(l).find_tensor(ParamRole::weight);
    if (k == net_.layer(l).tensors.size()) continue;
    const InitSpec& spec = inits_[l][k];
    if (spec.name != "lsuv") continue;
    const double tolerance = spec.params.number("tolerance");
    const int max_iterations = static_cast<int>(spec.params.number("max_iterations"));
    for (int it = 0; it < max_iterations; ++it) {
      net_.forward(probe_x());
      const double var = variance_of(net_.z(l));
      if (!(var > 0) || std::fabs(var - 1.0) < tolerance) break;
      auto w = net_.tensor(l, k);
      w *= static_cast<float>(1.0 / std::sqrt(var));
      lsuv_iterations_[l] = it + 1;
    }
  }
}

// After LSUV, so that the scheme has the last word: LSUV would rescale a branch the scheme
// scaled back to unit variance.
void Run::apply_residual_init() {
  for (std::size_t l = 0; l < net_.num_layers(); ++l)
    for (std::size_t k = 0; k < scheme_factors_[l].size(); ++k) {
      const double factor = scheme_factors_[l][k];
      if (factor == 1) continue;
      auto t = net_.tensor(l, k);
      t *= static_cast<float>(factor);
    }
}

void Run::clear_training_state() {
  optimizer_->reset();
  net_.set_state(initial_state_);
  batch_rng_ = initial_batch_rng();
  cursor_ = order_.size();  // start a new epoch at the first step
  step_ = 0;
  last_loss_ = 0;
  last_grad_norm_ = 0;
  has_update_ = false;
  diverged_.reset();
  history_steps_.clear();
  history_loss_.clear();
  history_stride_ = 1;
}

void Run::compute_theory() {
  const MatrixView<const float> probe = probe_x();
  double ex2 = norm2(probe) / std::max<std::size_t>(1, probe.size());
  std::vector<TheoryLayer> layers;
  init_moments_.assign(net_.num_layers(), Moments{});
  init_laws_.assign(net_.num_layers(), std::nullopt);
  for (std::size_t l = 0; l < net_.num_layers(); ++l) {
    // A layer's first tensor is its weight (or gain) and its second its bias (or shift),
    // the tensors the theory and the snapshot's init columns describe.
    const Layer<float>& layer = net_.layer(l);
    const ParamTensor &w = layer.tensors[0], &b = layer.tensors[1];
    TheoryLayer t;
    t.fan_in = layer.fan_in;
    t.fan_out = layer.fan_out;
    t.activation = layer.activation;
    t.normalization = w.role == ParamRole::gain;
    if (t.normalization) t.epsilon = config_.layers[l].params.number("epsilon");
    t.batch_norm = config_.layers[l].kind == "batchnorm";
    if (t.batch_norm) t.batch_rows = probe_rows_;  // the snapshot's batch
    const double f0 = scheme_factors_[l][0], f1 = scheme_factors_[l][1];
    if (lsuv_iterations_[l] > 0) {
      // LSUV rescaled the weights after drawing them (and the scheme after it): use what
      // they are now.
      t.weight_second_moment = mean_square(net_.tensor(l, 0));
      init_moments_[l] = Moments{0.0, t.weight_second_moment};
      init_laws_[l].reset();
    } else {
      // The snapshot's init columns describe the initializer (the page typesets its
      // formula with them); the theory takes the tensor the scheme made of its draw.
      const Moments drawn = init_moments(inits_[l][0], w.shape, w.fans);
      const Moments m = scaled(drawn, f0);
      t.weight_second_moment = m.mean * m.mean + m.variance;
      init_moments_[l] = drawn;
      init_laws_[l] = element_law(inits_[l][0], w.shape, w.fans);
    }
    // z = c·x·W + b: the weights' second moment as the forward pass sees them.
    const double c = layer_multipliers(config_.parameterization, l, net_.num_layers(),
                                       layer.fan_in, layer.fan_out).forward;
    if (c != 1) t.weight_second_moment *= c * c;
    Moments bm = scaled(init_moments(inits_[l][1], b.shape, b.fans), f1);
    t.bias_second_moment = bm.mean * bm.mean + bm.variance;
    t.bias_mean = bm.mean;
    if (config_.layers[l].kind == "residual") {
      t.block = theory_block(l, t.weight_second_moment);
      t.activation = config_.layers[l].activation;  // φ (the layer's own is its output's)
    }
    layers.push_back(t);
  }
  theory_ = propagate(layers, ex2, 1.0, mean_row_variance(probe), mean_column_variance(probe));
}

double Run::probe_pass() {
  net_.forward(probe_x());
  const double value = output_loss(first_rows(targets_train_, probe_rows_));
  net_.backward(output_grad(), loss_grad_is_logit(config_.loss));
  return value;
}

void Run::fix_histogram_ranges() {
  probe_pass();
  theory_output_grad2_ = mean_square(net_.dz(net_.num_layers() - 1));
  ranges_.assign(net_.num_layers(), {});
  for (std::size_t l = 0; l < net_.num_layers(); ++l) {
    ranges_[l] = {symmetric_range(net_.z(l)),
                  activation_range(net_.layer(l).activation, net_.a(l)),
                  symmetric_range(net_.dz(l)),
                  symmetric_range(network().tensor(l, 0)),
                  symmetric_range(net_.tensor_grad(l, 0))};
  }
}

MatrixView<const float> Run::probe_x() const { return first_rows(data_.x_train, probe_rows_); }

double Run::output_loss(const MatrixView<const float>& targets) {
  return output_loss(targets, matrix_view(grad_out_.data(), net_.rows(), net_.output_dim()));
}

double Run::output_loss(const MatrixView<const float>& targets, MatrixView<float> grad) {
  const std::size_t last = net_.num_layers() - 1;
  return loss_forward_backward(config_.loss, net_.z(last), net_.a(last), targets, grad);
}

MatrixView<const float> Run::output_grad() const {
  return first_rows(grad_out_, net_.rows());
}

const Run::Batch& Run::minibatch() {
  const std::size_t n_train = order_.size();
  if (batch_rows_ >= n_train) return *batch_;  // full batch: no copy
  const std::size_t dim = net_.input_dim(), outputs = net_.output_dim();
  for (std::size_t r = 0; r < batch_rows_; ++r) {
    if (cursor_ >= n_train) {
      shuffle_epoch(order_, batch_rng_);
      cursor_ = 0;
    }
    // Row copies (contiguous, no arithmetic): std::copy_n is a memmove.
    const std::size_t src = order_[cursor_++];
    std::copy_n(data_.x_train.data() + src * dim, dim, batch_x_.data() + r * dim);
    std::copy_n(targets_train_.data() + src * outputs, outputs, batch_y_.data() + r * outputs);
  }
  return *batch_;
}

void Run::shuffle_epoch(std::vector<std::uint32_t>& order, Rng& rng) {
  const std::size_t n = order.size();
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  for (std::size_t i = n; i > 1; --i)
    std::swap(order[i - 1], order[rng.below(static_cast<std::uint32_t>(i))]);
}

Rng Run::initial_batch_rng() const { return Rng(config_.seed, kBatchStream); }

// Every pre-activation and the output: a NaN or Inf in a hidden layer's activations makes
// every pre-activation of the next layer one (∞·w is ±∞, ∞·0 is NaN), so those need no
// look of their own; a pre-activation does, since an activation can hide it (relu(−∞) = 0,
// tanh(±∞) = ±1).
bool Run::activations_finite() const {
  const std::size_t last = net_.num_layers() - 1;
  std::uint32_t largest = largest_magnitude(net_.a(last));
  for (std::size_t l = 0; l <= last; ++l) largest = largest_magnitude(net_.z(l), largest);
  return largest < kInfBits;
}

// The first NaN or Inf of the last forward and backward pass, in the order they computed:
// activations (z, then a) from the first layer up, the loss, then the gradients (dL/dz,
// dL/dW, dL/db) from the output layer down.
std::optional<Divergence> Run::first_nonfinite(double loss) const {
  for (std::size_t l = 0; l < net_.num_layers(); ++l) {
    if (!all_finite(net_.z(l)) || !all_finite(net_.a(l)))
      return Divergence{step_, static_cast<int>(l), "activation"};
  }
  if (!std::isfinite(loss)) return Divergence{step_, -1, "loss"};
  for (std::size_t l = net_.num_layers(); l-- > 0;) {
    bool finite = all_finite(net_.dz(l));
    for (std::size_t k = 0; k < net_.layer(l).tensors.size(); ++k)
      finite = finite && all_finite(net_.tensor_grad(l, k));
    if (!finite) return Divergence{step_, static_cast<int>(l), "gradient"};
  }
  return std::nullopt;
}

// Called when the step on the batch x (rows) produced NaN or Inf, with nothing of it kept:
// the parameters are those before the step. The probe batch comes first, so that the
// report names what snapshot() shows at these parameters; where the probe batch stays
// finite, the step's own batch again; where both do, only the update overflowed, and the
// new parameters, still in the gradient buffer, name the layer.
Divergence Run::locate_divergence(const Batch& batch, bool updated) {
  std::optional<int> weight_layer;
  for (std::size_t l = 0; updated && !weight_layer && l < net_.num_layers(); ++l) {
    const Layer<float>& layer = net_.layer(l);
    const float* candidate = net_.grads().data();
    for (std::size_t k = 0; k < layer.tensors.size(); ++k)
      if (!all_finite(layer.tensor_in(k, candidate))) weight_layer = static_cast<int>(l);
  }
  if (auto d = first_nonfinite(probe_pass())) return *d;
  net_.forward(batch.x);
  const double value = output_loss(batch.y);
  net_.backward(output_grad(), loss_grad_is_logit(config_.loss));
  if (auto d = first_nonfinite(value)) return *d;
  return Divergence{step_, weight_layer.value_or(-1), weight_layer ? "weight" : "loss"};
}

void Run::record_loss(double loss) {
  // The stride is a power of two: a mask, not a 64-bit division every step.
  if ((step_ & (history_stride_ - 1)) != 0) return;
  history_steps_.push_back(step_);
  history_loss_.push_back(loss);
  if (history_steps_.size() < kHistoryCapacity) return;
  // Full: keep every other entry and record half as often from now on.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < history_steps_.size(); ++i) {
    if (history_steps_[i] % (2 * history_stride_) != 0) continue;
    history_steps_[kept] = history_steps_[i];
    history_loss_[kept++] = history_loss_[i];
  }
  history_steps_.resize(kept);
  history_loss_.resize(kept);
  history_stride_ *= 2;
}

StepResult Run::step(int n) {
  const bool is_logit = loss_grad_is_logit(config_.loss);
  for (int i = 0; i < n && !diverged_; ++i) {
    const Batch& batch = minibatch();
    net_.forward(batch.x);
    const double value = output_loss(batch.y, batch.grad_out);
    last_loss_ = value;
    // A step is kept only when everything it computed is finite. The optimizer writes the
    // new parameters over the gradients, so that the parameters and the optimizer's state
    // are still those before the step when it is not; it checks every new parameter (and
    // through them every gradient: a NaN or Inf gradient makes its parameter one) as it
    // writes them. Activations are checked apart: a saturating activation hides an
    // infinite pre-activation from everything after it.
    bool finite = std::isfinite(value) && activations_finite();
    const bool updated = finite;
    double grad_norm = 0;
    if (updated) {
      net_.backward(batch.grad, is_logit);
      grad_norm = optimizer_->step(net_.params().data(), net_.grads().data(), net_.grads().data());
      finite = std::isfinite(grad_norm) && optimizer_->params_finite();
    }
    if (!finite) {
      diverged_ = locate_divergence(batch, updated);
      break;
    }
    // Keep the step: the new parameters become the network's, the old ones stay in
    // before_step_ (for the update ratios) and its buffer takes the next gradients. Three
    // buffers swap places; nothing is copied.
    before_step_.swap(net_.params());
    net_.params().swap(net_.grads());
    net_.update_running_statistics();  // the step's batch statistics (batchnorm)
    last_grad_norm_ = grad_norm;
    has_update_ = true;
    record_loss(value);
    ++step_;
  }
  return StepResult{step_, last_loss_, diverged_};
}

Evaluation Run::evaluate() {
  const Loss loss = config_.loss;
  const std::size_t last = net_.num_layers() - 1;
  const std::size_t chunk = std::max<std::size_t>(1, std::max(batch_rows_, probe_rows_));
  auto over = [&](const Matrix& x, const Matrix& targets, double& mean_loss, double& acc) {
    const std::size_t n = x.shape()[0];
    mean_loss = 0;
    acc = 0;
    if (n == 0) return;
    for (std::size_t start = 0; start < n; start += chunk) {
      const std::size_t rows = std::min(chunk, n - start);
      net_.forward(rows_of(x, start, rows));
      const MatrixView<const float> t = rows_of(targets, start, rows);
      mean_loss += loss_value(loss, net_.z(last), net_.a(last), t) * rows;
      acc += accuracy(loss, net_.a(last), t) * rows;
    }
    mean_loss /= n;
    acc /= n;
  };
  Evaluation e;
  net_.set_mode(LayerMode::running);
  over(data_.x_train, targets_train_, e.train_loss, e.train_accuracy);
  over(data_.x_test, targets_test_, e.test_loss, e.test_accuracy);
  net_.set_mode(LayerMode::batch);
  return e;
}

Snapshot Run::snapshot() {
  Snapshot s;
  s.step = step_;
  s.probe = static_cast<int>(probe_rows_);
  s.loss = probe_pass();
  s.grad_norm = last_grad_norm_;
  s.theory = theory_;
  s.theory_output_grad2 = theory_output_grad2_;
  if (const int blocks = residual_blocks(config_)) {
    int m = 0;
    for (const LayerConfig& layer : config_.layers)
      if (layer.kind == "residual" && m == 0) m = static_cast<int>(layer.params.number("branch"));
    s.residual_init = ResidualInitNumbers{config_.residual_init.name, blocks, m,
                                          residual_factor(config_.residual_init, blocks, m)};
  }
  const MatrixView<const float> probe = probe_x();
  s.input_second_moment = norm2(probe) / std::max<std::size_t>(1, probe.size());
  s.history_steps = history_steps_;
  s.history_loss = history_loss_;
  s.diverged = diverged_;
  const int bins = config_.stats.bins;
  WeightChange network_change;
  for (std::size_t l = 0; l < net_.num_layers(); ++l) {
    const Layer<float>& layer = net_.layer(l);
    LayerSnapshot ls;
    ls.kind = config_.layers[l].kind;
    ls.params = layer.num_params();
    ls.running = layer.state_size();
    ls.fan_in = layer.fan_in;
    ls.fan_out = layer.fan_out;
    ls.activation = activation_info(layer.activation.kind).name;
    ls.init = inits_[l][0].name;
    ls.bias_init = inits_[l][1].name;
    ls.init_mean = init_moments_[l].mean;
    ls.init_std = std::sqrt(init_moments_[l].variance);
    ls.init_law = init_laws_[l];
    ls.z = summarize(net_.z(l), ranges_[l][0], bins);
    ls.a = summarize(net_.a(l), ranges_[l][1], bins);
    ls.dz = summarize(net_.dz(l), ranges_[l][2], bins);
    ls.w = summarize(network().tensor(l, 0), ranges_[l][3], bins);
    ls.dw = summarize(net_.tensor_grad(l, 0), ranges_[l][4], bins);
    ls.saturated = saturated_fraction(layer.activation, net_.a(l));
    ls.dead = dead_fraction(layer.activation, net_.a(l));
    // Units with the same incoming weights and bias: a layer without a weight matrix
    // (normalization) reads a different input column in each unit, so all are distinct.
    ls.distinct_units = layer.tensors[0].role == ParamRole::weight
                            ? distinct_units(network().tensor(l, 0), network().layer(l).values_in(1, network().params().data()))
                            : static_cast<int>(layer.fan_out);
    ls.lsuv_iterations = lsuv_iterations_[l];
    if (has_update_) {
      const MatrixView<const float> before = layer.tensor_in<const float>(0, before_step_.data()), now = network().tensor(l, 0);
      const double diff = distance2(now.data(), before.data(), now.size());
      const double base = norm2(before);
      ls.update_ratio = base > 0 ? std::sqrt(diff / base) : (diff > 0 ? INFINITY : 0.0);
    }
    const WeightChange change = weight_change(layer, net_.params().data(), initial_params_.data());
    ls.weight_change = change.relative();
    network_change += change;
    s.layers.push_back(ls);
  }
  s.weight_change = network_change.relative();
  return s;
}

Predictions Run::predict(bool test) {
  const Matrix& x = test ? data_.x_test : data_.x_train;
  const std::vector<int>& labels = test ? data_.y_test : data_.y_train;
  const std::size_t n = labels.size(), outputs = net_.output_dim();
  const std::size_t last = net_.num_layers() - 1;
  const std::size_t classes = static_cast<std::size_t>(std::max(2, data_.num_classes));
  const std::size_t chunk = std::max<std::size_t>(1, std::max(batch_rows_, probe_rows_));
  Predictions p;
  p.predicted.assign(n, 0);
  p.confusion.assign(classes, std::vector<long>(classes, 0));
  net_.set_mode(LayerMode::running);
  for (std::size_t start = 0; start < n; start += chunk) {
    const std::size_t rows = std::min(chunk, n - start);
    net_.forward(rows_of(x, start, rows));
    const float* a = net_.a(last).data();
    for (std::size_t r = 0; r < rows; ++r) {
      const float* ar = a + r * outputs;
      const int k = outputs == 1 ? (ar[0] > 0.5f ? 1 : 0)
                                 : static_cast<int>(std::max_element(ar, ar + outputs) - ar);
      p.predicted[start + r] = k;
      const int y = labels[start + r];
      if (y >= 0 && static_cast<std::size_t>(y) < classes && static_cast<std::size_t>(k) < classes)
        ++p.confusion[static_cast<std::size_t>(y)][static_cast<std::size_t>(k)];
    }
  }
  net_.set_mode(LayerMode::batch);
  return p;
}

Status Run::decision_grid(int resolution, double extent, std::vector<float>& out) {
  if (!data_.is_2d)
    return make_error("data.name", "\"" + config_.data.name +
                                       "\" is not a 2-D data set; a decision grid needs one");
  if (auto e = check_param(limit("gridResolution"), resolution, "resolution")) return e;
  if (auto e = check_param(limit("gridExtent"), extent, "extent")) return e;
  const std::size_t res = static_cast<std::size_t>(resolution);
  const std::size_t outputs = net_.output_dim(), last = net_.num_layers() - 1;
  const std::size_t chunk = std::max<std::size_t>(1, std::max(batch_rows_, probe_rows_));
  out.assign(res * res, 0.0f);
  net_.set_mode(LayerMode::running);
  for (std::size_t start = 0; start < res * res; start += chunk) {
    const std::size_t rows = std::min(chunk, res * res - start);
    // Grid points in the data's raw coordinates, then normalized as the training data was.
    Matrix raw = Matrix::from_shape({rows, 2});
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t k = start + r, row = k / res, col = k % res;
      raw(r, 0) = static_cast<float>(-extent + 2 * extent * col / (res - 1));
      raw(r, 1) = static_cast<float>(extent - 2 * extent * row / (res - 1));
    }
    Matrix points = normalize_inputs(data_, raw);
    net_.forward(first_rows(points, rows));
    const float* a = net_.a(last).data();
    for (std::size_t r = 0; r < rows; ++r) {
      if (outputs == 1) {
        out[start + r] = a[r];
      } else {
        const float* ar = a + r * outputs;
        out[start + r] = static_cast<float>(std::max_element(ar, ar + outputs) - ar);
      }
    }
  }
  net_.set_mode(LayerMode::batch);
  return std::nullopt;
}

std::vector<LayerWeights> split_params(const Network<float>& net, const float* flat) {
  std::vector<LayerWeights> out;
  for (std::size_t l = 0; l < net.num_layers(); ++l) {
    const Layer<float>& layer = net.layer(l);
    LayerWeights lw;
    lw.fan_in = layer.fan_in;
    lw.fan_out = layer.fan_out;
    const VectorView<const float> w = layer.values_in(0, flat), b = layer.values_in(1, flat);
    lw.w.assign(w.data(), w.data() + w.size());
    lw.b.assign(b.data(), b.data() + b.size());
    // A layer's tensors sit one after another: the rest of its slice.
    if (layer.tensors.size() > 2) {
      const float* rest = flat + layer.tensors[2].offset;
      lw.more.assign(rest, rest + (layer.offset() + layer.num_params() - layer.tensors[2].offset));
    }
    out.push_back(std::move(lw));
  }
  return out;
}

std::vector<LayerWeights> Run::weights() const {
  std::vector<LayerWeights> out = split_params(net_, net_.params().data());
  const std::vector<float> state = net_.state();
  std::size_t at = 0;
  for (std::size_t l = 0; l < out.size(); ++l) {
    const std::size_t n = net_.layer(l).state_size();
    out[l].running.assign(state.begin() + static_cast<std::ptrdiff_t>(at),
                          state.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
  }
  return out;
}

Status Run::set_weights(const std::vector<LayerWeights>& weights) {
  if (weights.size() != net_.num_layers())
    return make_error("weights", std::to_string(weights.size()) +
                                     " layers given; expected " +
                                     std::to_string(net_.num_layers()));
  // W and b are the layer's first two tensors (a normalization layer: gain and shift), a
  // block's further ones the rest of its slice, `more`.
  auto expected = [](const ParamTensor& t) {
    return t.shape.size() == 2 ? std::to_string(t.shape[0]) + " x " + std::to_string(t.shape[1]) +
                                     " (fan_in, fan_out)"
                               : std::to_string(t.size());
  };
  for (std::size_t l = 0; l < weights.size(); ++l) {
    const Layer<float>& layer = net_.layer(l);
    const std::string path = "weights[" + std::to_string(l) + "]";
    const std::size_t n_more = layer.tensors.size() > 2 ? layer.offset() + layer.num_params() - layer.tensors[2].offset : 0;
    // W, b and a block's further tensors: one check, one message.
    const std::pair<const std::vector<float>*, std::size_t> given[] = {
        {&weights[l].w, layer.tensors[0].size()}, {&weights[l].b, layer.tensors[1].size()}, {&weights[l].more, n_more}};
    for (int k = 0; k < 3; ++k)
      if (given[k].first->size() != given[k].second)
        return make_error(path + (k == 0 ? ".W" : k == 1 ? ".b" : ".more"),
                          std::to_string(given[k].first->size()) + " values given; expected " +
                              (k < 2 ? expected(layer.tensors[k]) : std::to_string(n_more) + " (the tensors after W and b, in order)"));
    const std::size_t n_state = layer.state_size();
    if (!weights[l].running.empty() && weights[l].running.size() != n_state)
      return make_error(path + ".running", std::to_string(weights[l].running.size()) +
                                               " values given; expected " +
                                               (n_state ? std::to_string(n_state) +
                                                              " (running mean, then running variance) or none"
                                                        : std::string("none (this layer keeps no running averages)")));
    if (!all_finite(weights[l].w.data(), weights[l].w.size()) ||
        !all_finite(weights[l].b.data(), weights[l].b.size()) ||
        !all_finite(weights[l].more.data(), weights[l].more.size()) ||
        !all_finite(weights[l].running.data(), weights[l].running.size()))
      return make_error(path, "holds NaN or Inf; expected finite numbers");
    for (std::size_t j = n_state / 2; j < weights[l].running.size(); ++j)
      if (weights[l].running[j] < 0)
        return make_error(path + ".running", "holds a negative running variance; expected variances >= 0");
  }
  std::vector<float> state = fresh_state_;
  std::size_t at = 0;
  for (std::size_t l = 0; l < weights.size(); ++l) {
    std::copy(weights[l].running.begin(), weights[l].running.end(), state.begin() + static_cast<std::ptrdiff_t>(at));
    at += net_.layer(l).state_size();
  }
  for (std::size_t l = 0; l < weights.size(); ++l) {
    const Layer<float>& layer = net_.layer(l);
    std::copy(weights[l].w.begin(), weights[l].w.end(), net_.params().data() + layer.tensors[0].offset);
    std::copy(weights[l].b.begin(), weights[l].b.end(), net_.params().data() + layer.tensors[1].offset);
    if (!weights[l].more.empty())
      std::copy(weights[l].more.begin(), weights[l].more.end(), net_.params().data() + layer.tensors[2].offset);
  }
  initial_params_ = net_.params();  // reset() returns to the weights set here
  initial_state_ = std::move(state);
  clear_training_state();
  fix_histogram_ranges();
  return std::nullopt;
}

void Run::reset() {
  net_.params() = initial_params_;
  clear_training_state();
  fix_histogram_ranges();
}

void Run::reinitialize(std::uint64_t seed) {
  config_.seed = seed;
  initialize_weights();
}

}  // namespace initscope
