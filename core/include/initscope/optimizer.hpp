// Optimizers with Keras 3 update rules and defaults: sgd, momentum, nesterov, rmsprop,
// adam; L2 weight decay on a masked subset (weights, not biases); gradient clipping by
// value and by global norm. They work on the network's one contiguous parameter buffer:
// the state lives in parallel buffers at the same offsets (llm.c), never keyed by address.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/error.hpp"
#include "initscope/lr_schedule.hpp"
#include "initscope/params.hpp"

namespace initscope {

enum class OptimizerKind { sgd, momentum, nesterov, rmsprop, adam };

// Whose update rule: Keras's (the default) or PyTorch's, where the two differ (where ε goes
// in Adam and RMSprop, the momentum form): the table in optimizer.cpp says which formula
// each convention uses and where it comes from.
enum class OptimizerConvention { keras, pytorch };

// The defaults written here are the only ones: optimizer_params() takes its rows' defaults
// from a default-constructed struct.
struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::sgd;
  double lr = 0.01, momentum = 0.9, beta1 = 0.9, beta2 = 0.999, rho = 0.9, epsilon = 1e-7,
         weight_decay = 0;
  std::optional<double> clip_norm, clip_value;  // nullopt: off
  OptimizerConvention convention = OptimizerConvention::keras;
  // Update s uses lr · schedule_factor(schedule, s); constant without warm-up by default.
  ScheduleSpec schedule = {"constant", default_params(schedules().front().params)};
};

struct OptimizerInfo {
  OptimizerKind kind;
  std::string name;     // "nesterov"
  std::string formula;  // the update rule as text for the page
  std::string doc;
  std::vector<std::string> params;  // JSON keys of optimizer_params() that this one uses
  double default_lr;                // Keras's default learning rate for it
  // The update rule and its doc under the pytorch convention (empty: the same as above).
  std::string pytorch_formula = {}, pytorch_doc = {};
};

// The table: one row per OptimizerKind, in enum order.
const std::vector<OptimizerInfo>& optimizers();
const OptimizerInfo& optimizer_info(OptimizerKind kind);
const OptimizerInfo* find_optimizer(const std::string& name);

// lr, momentum, beta1, beta2, rho, epsilon, weightDecay, clipNorm, clipValue: ranges and
// defaults for the parser and the schema (clipNorm and clipValue also accept null = off).
std::vector<ParamSpec> optimizer_params();

// Reads {"name": "adam", "lr": 0.001, ..., "clipNorm": null} or a bare name. Every key of
// optimizer_params() is accepted for every optimizer (the page sends them all); the ones a
// kind does not use (OptimizerInfo::params) are stored and ignored. A missing "lr" takes
// the kind's Keras default (0.01 for the SGD family, 0.001 for rmsprop and adam).
// "schedule" is a learning-rate schedule (lr_schedule.hpp). "batch" is allowed and left to
// the caller. `out` is written only on success.
Status parse_optimizer(const nlohmann::json& value, const std::string& path, OptimizerConfig& out);
// Every key, clip fields as null when off, "schedule" only when not the default (so that a
// config without one writes what it did before schedules); parse_optimizer reads it back.
nlohmann::json optimizer_to_json(const OptimizerConfig& config);
// {"optimizers": [{name, formula, doc, params, defaultLr}], "params": [param rows],
//  "schedules": [{name, formula, doc, python, params}]}
nlohmann::json optimizers_schema();

class Optimizer {
 public:
  // decay_mask[i] != 0: parameter i gets the L2 term (weights); 0: it does not (biases).
  // An empty mask decays every parameter; a mask of another length is cut or padded
  // with 0 to n_params. All state is allocated here, none in step().
  Optimizer(const OptimizerConfig& config, std::size_t n_params,
            std::vector<std::uint8_t> decay_mask);

  // One update in place of params (n_params values). grads is modified, in this order:
  // g += weight_decay·w on decayed parameters; each g clipped to [−clipValue, clipValue]
  // (NaN and ±Inf kept); g ← g·clipNorm/‖g‖ when the global norm ‖g‖ > clipNorm. Returns
  // ‖g‖ after the L2 term and before either clipping. State and arithmetic are in double
  // for either T.
  template <class T> double step(T* params, T* grads) { return step(params, params, grads); }
  // The same update computed from the values at `from` and written to params, which may be
  // `from` (in place) or `grads` (each gradient is read before its parameter is written:
  // the run keeps the values before a step and discards a step that is not finite without
  // a copy). The optimizer's own state (moments, step count) advances only when every new
  // parameter is finite (params_finite()); otherwise params still receives the new values,
  // NaN and Inf included, and the state stays as it was before the call. A caller that
  // changes parameters between steps other than through step() calls reset() before the
  // next one (the optimizer remembers the largest value it wrote).
  template <class T> double step(const T* from, T* params, T* grads);
  // Whether the last step() left every parameter finite (no NaN or Inf): checked as the
  // update makes them, so that the caller need not read them all again.
  bool params_finite() const { return params_finite_; }

  // Learning-rate groups: consecutive ranges of the parameter buffer, from 0 to n_params,
  // each updated with lr·multiplier (a parameterization's per-tensor rates, as mup's
  // MuSGD and MuAdam make parameter groups). The clipping and the L2 term stay global.
  // Without groups, or with one group at 1, the update is one pass, as before groups.
  struct LrGroup {
    std::size_t offset = 0, size = 0;
    double multiplier = 1;
  };
  void set_lr_groups(std::vector<LrGroup> groups);
  const std::vector<LrGroup>& lr_groups() const { return lr_groups_; }

  // Zero the state: velocities, moments, step count.
  void reset();

  const OptimizerConfig& config() const { return config_; }
  std::size_t size() const { return n_; }
  std::size_t steps() const { return t_; }
  // The state, parallel to the parameter buffer (empty when the kind has none):
  // velocity v for momentum/nesterov and Adam's first moment m; RMSprop's running mean
  // of g² and Adam's second moment v.
  const std::vector<double>& first_moment() const { return m_; }
  const std::vector<double>& second_moment() const { return v_; }

  // Everything step() reads besides the parameters and gradients: a run's saved state
  // (run_state.cpp) carries it, and restore() puts it back so that the next step is the
  // same bits as it would have been.
  struct State {
    std::size_t steps = 0;
    double beta1_power = 1, beta2_power = 1, moment_bound = 0;
    std::vector<double> first_moment, second_moment;
  };
  State state() const;
  // Refuses (naming the field under `path`) moments of another length than this
  // optimizer's, or values that are not finite.
  Status restore(const State& state, const std::string& path);

 private:
  OptimizerConfig config_;
  Schedule schedule_;  // config_.schedule, read once
  std::size_t n_;
  std::vector<std::uint8_t> decay_;  // (n_)
  std::vector<double> m_, v_;        // (n_) or empty
  std::vector<LrGroup> lr_groups_;   // empty: one rate
  std::size_t t_ = 0;
  double beta1_power_ = 1, beta2_power_ = 1;  // β₁ᵗ, β₂ᵗ as running products
  double moment_bound_ = 0;  // at least every |m| (momentum, nesterov, adam)
  // The buffer the last step wrote and its largest |value|, so that a step from it need
  // not read every parameter for its bound again.
  const void* last_written_ = nullptr;
  double last_largest_ = 0;
  bool params_finite_ = true;
};

}  // namespace initscope
