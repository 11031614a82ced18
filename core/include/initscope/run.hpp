// A Run is made from a config and owns everything: data, network, optimizer and
// statistics. It is the one engine object the bindings, the CLI and the tests drive.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "initscope/config.hpp"
#include "initscope/data.hpp"
#include "initscope/gradient_line.hpp"
#include "initscope/jacobian.hpp"
#include "initscope/network.hpp"
#include "initscope/optimizer.hpp"
#include "initscope/snapshot.hpp"
#include "initscope/stats.hpp"

namespace initscope {

struct StepResult {
  std::int64_t step = 0;  // optimizer steps taken so far
  double loss = 0;        // training loss of the last minibatch (after a divergence: the
                          // diverging step's loss, on every later call too)
  std::optional<Divergence> diverged;
};

struct Evaluation {
  double train_loss = 0, train_accuracy = 0, test_loss = 0, test_accuracy = 0;
};

// The model's answer on every row of a set: the predicted class (argmax of the outputs, or
// output > 0.5 for a single unit) and the confusion matrix, counts[true][predicted].
struct Predictions {
  std::vector<int> predicted;
  std::vector<std::vector<long>> confusion;  // (classes, classes)
};

// One layer's weights as they leave the engine: its first two tensors, W (fan_in, fan_out)
// row-major and b (fan_out) for a dense layer, gain and shift (fan_out) for LayerNorm and
// BatchNorm, W1 and b1 for a residual block with its further tensors in `more`, and a
// BatchNorm layer's (or a block's BatchNorm's) running averages (state outside the parameters).
struct LayerWeights {
  std::size_t fan_in = 0, fan_out = 0;
  std::vector<float> w;  // fan_in * fan_out (LayerNorm, BatchNorm: fan_out)
  std::vector<float> b;  // fan_out
  // The layer's tensors after its first two, one after another in its order (a block's W2,
  // b2, alpha, norm.gain, norm.shift, those it has: the rest of its slice); other kinds none.
  std::vector<float> more;
  // BatchNorm: running mean (fan_out), then running variance (fan_out); other kinds none.
  // set_weights() takes none as the fresh averages (0 and 1).
  std::vector<float> running;
};

// One layer's coordinate sizes on the probe batch (Run::coordinates): mean |z| and mean |a|
// over its entries, and the mean |z − z₀| and |a − a₀| against the initial weights' z₀, a₀.
struct LayerCoordinates {
  double z = 0, a = 0, z_change = 0, a_change = 0;
};

// Splits a flat parameter buffer laid out as the network's into layers.
std::vector<LayerWeights> split_params(const Network<float>& net, const float* flat);

class Run {
 public:
  // free_bytes: what the caller's memory still holds (the wasm module passes what is left
  // of its 2 GiB beside the runs it already has); a run estimated above it is refused
  // with a message before anything is allocated, instead of an out-of-memory trap.
  static Status create(const std::string& config_json, std::unique_ptr<Run>& out,
                       double free_bytes = kUnlimitedBytes);
  static Status create(const Config& config, std::unique_ptr<Run>& out,
                       double free_bytes = kUnlimitedBytes);
  static constexpr double kUnlimitedBytes = 1e300;
  // Loss history entries kept: past this, every other one is dropped (snapshot().history).
  static constexpr std::size_t kHistoryCapacity = 2048;

  const Config& config() const { return config_; }
  const Dataset& data() const { return data_; }
  const Network<float>& network() const { return net_; }
  const Optimizer& optimizer() const { return *optimizer_; }
  std::int64_t step_count() const { return step_; }

  // n optimizer steps (stops early, and for good, at the first NaN or Inf). A step that
  // makes a NaN or Inf anywhere (activations, loss, gradients, new parameters) is not
  // kept: the parameters, the optimizer's state, the step count and the loss history stay
  // as they were before it, so snapshot() and weights() show the run before that step,
  // and the divergence names the step, the layer and the quantity (in the order a step
  // computes them: activations from the input up, the loss, gradients from the output
  // down, the new weights). Where the probe batch holds a NaN or Inf at those parameters,
  // it names that one: what snapshot() shows.
  StepResult step(int n);
  // Loss and accuracy over the whole training and test sets.
  Evaluation evaluate();
  Snapshot snapshot();
  // Predictions on the test set (test) or the training set, in the data's row order.
  Predictions predict(bool test);
  // Model output over a resolution × resolution grid on [-extent, extent]² in the data's
  // raw coordinates (normalized as the training data before the forward pass), row by
  // row from the top-left (y = +extent): the probability of class 1 for one output unit,
  // else the predicted class. 2-D data sets only.
  Status decision_grid(int resolution, double extent, std::vector<float>& out);
  // Input gradients along a line of inputs, per layer (gradient_line.hpp), with the layers
  // in batch mode (the line is one batch, as the snapshot's probe batch is). Leaves the run
  // as it was: parameters, optimizer, running averages, and the probe pass rerun after.
  Status gradient_line(const GradientLineOptions& options, GradientLine& out);
  // Bytes the caches grow by for a line of `points` (beyond the batch and probe rows).
  double gradient_line_bytes(int points) const;
  // The input-output Jacobian's singular values on the first training rows (jacobian.hpp,
  // run_jacobian.cpp). Refuses a network with BatchNorm or without a hidden layer, and
  // a Jacobian wider or taller than limit jacobianUnits. Leaves the run as it was.
  Status jacobian_spectrum(const JacobianOptions& options, JacobianSpectrum& out);

  // Each layer's coordinate sizes now and their change since the initial weights (the
  // coordinate check's numbers; run_coordinates.cpp). Leaves the run as it was.
  std::vector<LayerCoordinates> coordinates();

  std::vector<LayerWeights> weights() const;
  Status set_weights(const std::vector<LayerWeights>& weights);
  // Back to the same initial weights and running averages (and a fresh optimizer and
  // history).
  void reset();
  // New initial weights drawn with another seed.
  void reinitialize(std::uint64_t seed);

  // ---- the exact run out (run_state.cpp) ----
  // Training rows per step: min(batch, training rows).
  std::size_t batch_rows() const { return batch_rows_; }
  // The training-set rows (data().x_train's order) that each of `steps` steps trains on,
  // step after step (steps × batch_rows() values), in the order the step reads them: those
  // of the next steps, or with from_start those of steps 1 to `steps` of the run afresh.
  // Draws from copies: the run's own shuffles are untouched. Refuses more than
  // kMaxMinibatchRows values.
  Status minibatch_rows(std::int64_t steps, bool from_start, std::vector<std::uint32_t>& out) const;
  static constexpr std::size_t kMaxMinibatchRows = std::size_t{1} << 24;
  // Everything that training continues from, as JSON (arrays as base64 of their
  // little-endian bytes: exact and compact): parameters, the initial ones (reset()'s), the
  // optimizer's moments and powers, the step count, the minibatch generator, order and
  // cursor, the loss history, a divergence and, for a network with batchnorm layers, their
  // running averages (now and initial) as "running" and "initialRunning". restore_state() on a run made from the same
  // config puts it back: the next steps are the same bits as those of the run it came from.
  nlohmann::json state() const;
  // Refuses (field "state.<key>", nothing changed) a state of another network or data
  // size, or a value out of its range.
  Status restore_state(const nlohmann::json& state);

 private:
  Run() = default;
  void initialize_weights();
  void apply_lsuv();
  // The residual initialization's and the parameterization's init multipliers
  // (residual_init.hpp, parameterization.hpp) on the sampled tensors.
  void apply_residual_init();
  void clear_training_state();
  void compute_theory();
  TheoryBlock theory_block(std::size_t l, double w1) const;
  void fix_histogram_ranges();
  // A training batch: inputs (rows, input_dim), targets (rows, outputs) and the rows of
  // grad_out_ its loss gradient goes to (rows, outputs).
  struct Batch {
    MatrixView<const float> x, y, grad;
    MatrixView<float> grad_out;  // grad's rows, written by the loss
  };
  double probe_pass();  // forward + backward on the probe batch; returns its loss
  // A new epoch's order: a seeded Fisher-Yates shuffle of 0 .. order.size() − 1.
  static void shuffle_epoch(std::vector<std::uint32_t>& order, Rng& rng);
  Rng initial_batch_rng() const;  // the minibatch generator of a run afresh
  MatrixView<const float> probe_x() const;  // the probe batch's inputs
  // The loss of the last forward pass against targets (rows, outputs); its gradient goes to
  // output_grad(), what Network::backward takes (or to `grad`, a view of it made earlier).
  double output_loss(const MatrixView<const float>& targets);
  double output_loss(const MatrixView<const float>& targets, MatrixView<float> grad);
  MatrixView<const float> output_grad() const;
  const Batch& minibatch();  // the next batch (the whole training set when it fits in one)
  bool activations_finite() const;
  std::optional<Divergence> first_nonfinite(double loss) const;
  Divergence locate_divergence(const Batch& batch, bool updated);
  void record_loss(double loss);

  Config config_;
  Dataset data_;
  Network<float> net_;
  std::unique_ptr<Optimizer> optimizer_;
  std::vector<std::uint8_t> decay_mask_;
  std::vector<std::vector<InitSpec>> inits_;  // per layer, per tensor: its initializer
  // Per layer, per tensor: what the residual initialization and the parameterization
  // multiply it by after sampling (1: untouched; every 1 for "none" and "standard").
  std::vector<std::vector<double>> scheme_factors_;

  Matrix targets_train_, targets_test_;  // (n, outputs), in the loss's encoding
  std::size_t probe_rows_ = 0;
  std::size_t batch_rows_ = 0;

  std::vector<float> initial_params_;  // for reset()
  // The layers' state outside the parameters (batchnorm's running averages): as a layer
  // starts, and what reset() returns to (set_weights() may give it).
  std::vector<float> fresh_state_, initial_state_;
  std::vector<float> before_step_;     // params before the last step, for update ratios
  Matrix batch_x_, batch_y_;  // a minibatch's rows, (batch, input_dim) and (batch, outputs)
  Matrix grad_out_;          // dL/d(output) of the last loss, (most rows, outputs)
  // What minibatch() returns: views made once, over the training set when the batch is all
  // of it, else over batch_x_ and batch_y_, so that a step makes none.
  std::optional<Batch> batch_;
  std::vector<std::uint32_t> order_;   // minibatch order of the current epoch
  std::size_t cursor_ = 0;
  Rng batch_rng_;

  // 64-bit: long has 32 bits in wasm, and XOR takes 2^31 steps in about 17 minutes.
  std::int64_t step_ = 0;
  double last_loss_ = 0;  // of the last step taken, the diverging one included
  double last_grad_norm_ = 0;
  bool has_update_ = false;
  std::optional<Divergence> diverged_;
  std::vector<std::int64_t> history_steps_;
  std::vector<double> history_loss_;
  std::int64_t history_stride_ = 1;  // a power of two

  TheoryResult theory_;
  double theory_output_grad2_ = 1.0;     // measured E[(dL/dz)²] of the output at init
  std::vector<Moments> init_moments_;    // per layer: the initial weights' exact moments
  std::vector<std::optional<ElementLaw>> init_laws_;
  std::vector<int> lsuv_iterations_;
  // Histogram ranges, fixed at initialization: per layer z, a, dz, w, dw.
  std::vector<std::array<Range, 5>> ranges_;
};

}  // namespace initscope
