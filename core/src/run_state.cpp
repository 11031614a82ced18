// The exact run out: the minibatch rows of coming steps (for a script that replays the
// run elsewhere) and the run's whole training state in and out (a Run JSON that continues
// bit for bit where it was saved).
#include <cmath>
#include <cstdio>
#include <cstring>
#include <type_traits>

#include "initscope/run.hpp"
#include "initscope/run_json.hpp"

namespace initscope {

using nlohmann::json;

namespace {

// Arrays travel as base64 of their little-endian bytes: exact (no decimal round trip) and a
// third of the text of decimal numbers. wasm and every target we build for are little-endian.
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

template <class T> std::string to_base64(const std::vector<T>& values) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
  const std::size_t n = values.size() * sizeof(T);
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  for (std::size_t i = 0; i < n; i += 3) {
    const std::uint32_t b0 = bytes[i], b1 = i + 1 < n ? bytes[i + 1] : 0, b2 = i + 2 < n ? bytes[i + 2] : 0;
    const std::uint32_t word = (b0 << 16) | (b1 << 8) | b2;
    out += kBase64[(word >> 18) & 63];
    out += kBase64[(word >> 12) & 63];
    out += i + 1 < n ? kBase64[(word >> 6) & 63] : '=';
    out += i + 2 < n ? kBase64[word & 63] : '=';
  }
  return out;
}

int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

const char* type_name(float) { return "float32"; }
const char* type_name(double) { return "float64"; }
const char* type_name(std::uint32_t) { return "uint32"; }

// object[key] (its field: path) as `expected` values of T (any count when expected is SIZE_MAX).
template <class T>
Status from_base64(const json& object, const std::string& key, const std::string& path, std::size_t expected,
                   std::vector<T>& out) {
  auto it = object.find(key);
  if (it == object.end()) return make_error(path, "is required; expected base64 text of " + std::string(type_name(T{})) + " values");
  if (!it->is_string()) return make_error(path, show_value(*it) + " is not allowed; expected base64 text");
  const std::string& text = it->get_ref<const std::string&>();
  if (text.size() % 4 != 0) return make_error(path, "is not base64 text (its length, " + std::to_string(text.size()) + ", is not a multiple of 4)");
  std::vector<unsigned char> bytes;
  bytes.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    int d[4];
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + k];
      const bool pad = c == '=' && i + 4 == text.size() && k >= 2 && (k == 3 || text[i + 3] == '=');
      d[k] = pad ? 0 : base64_digit(c);
      if (d[k] < 0) return make_error(path, "is not base64 text (character " + std::to_string(i + k) + " is not a base64 digit)");
    }
    const std::uint32_t word = (d[0] << 18) | (d[1] << 12) | (d[2] << 6) | d[3];
    bytes.push_back(static_cast<unsigned char>(word >> 16));
    if (text[i + 2] != '=') bytes.push_back(static_cast<unsigned char>(word >> 8));
    if (text[i + 3] != '=') bytes.push_back(static_cast<unsigned char>(word));
  }
  if (bytes.size() % sizeof(T) != 0 || (expected != SIZE_MAX && bytes.size() / sizeof(T) != expected))
    return make_error(path, "holds " + std::to_string(bytes.size()) + " bytes; expected " +
                                (expected == SIZE_MAX ? std::string("whole ") + type_name(T{}) + " values"
                                                      : std::to_string(expected) + " " + type_name(T{}) +
                                                            " values (" + std::to_string(expected * sizeof(T)) + " bytes)") +
                                " for this run");
  out.resize(bytes.size() / sizeof(T));
  if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  if constexpr (std::is_floating_point_v<T>)
    for (T x : out)
      if (!std::isfinite(x)) return make_error(path, "holds NaN or Inf; expected finite numbers");
  return std::nullopt;
}

std::string hex64(std::uint64_t v) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
  return text;
}

Status read_hex64(const json& object, const std::string& key, const std::string& path, std::uint64_t& out) {
  auto it = object.find(key);
  const std::string where = path + "." + key;
  if (it == object.end() || !it->is_string() || it->get_ref<const std::string&>().size() != 16 ||
      it->get_ref<const std::string&>().find_first_not_of("0123456789abcdef") != std::string::npos)
    return make_error(where, (it == object.end() ? std::string("is missing") : show_value(*it) + " is not allowed") +
                                 "; expected 16 lower-case hexadecimal digits");
  out = std::stoull(it->get_ref<const std::string&>(), nullptr, 16);
  return std::nullopt;
}

// object[key] as a number in [lo, hi] (integer when `integer`).
Status read_number(const json& object, const std::string& key, const std::string& path, double lo, double hi,
                   bool integer, double& out) {
  auto it = object.find(key);
  const std::string where = path + "." + key;
  const std::string allowed = std::string(integer ? "an integer" : "a number") + " from " + number_text(lo) + " to " + number_text(hi);
  if (it == object.end()) return make_error(where, "is required; expected " + allowed);
  if (!it->is_number() || !(it->get<double>() >= lo && it->get<double>() <= hi) ||
      (integer && std::floor(it->get<double>()) != it->get<double>()))
    return make_error(where, show_value(*it) + " is not allowed; expected " + allowed);
  out = it->get<double>();
  return std::nullopt;
}

const json& member(const json& object, const std::string& key) {
  static const json null_value;
  auto it = object.find(key);
  return it == object.end() ? null_value : *it;
}

}  // namespace

Status Run::minibatch_rows(std::int64_t steps, bool from_start, std::vector<std::uint32_t>& out) const {
  const std::size_t n = order_.size(), batch = batch_rows_;
  const double total = static_cast<double>(steps) * static_cast<double>(batch);
  if (steps < 0 || total > static_cast<double>(kMaxMinibatchRows))
    return make_error("steps", std::to_string(steps) + " is not allowed; expected an integer from 0 to " +
                                   std::to_string(kMaxMinibatchRows / std::max<std::size_t>(1, batch)) + " (" +
                                   std::to_string(kMaxMinibatchRows) + " rows at " + std::to_string(batch) +
                                   " per step)");
  out.resize(static_cast<std::size_t>(total));
  if (batch >= n) {  // full batch: every row, in the data's order, every step
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint32_t>(i % std::max<std::size_t>(1, n));
    return std::nullopt;
  }
  std::vector<std::uint32_t> order = order_;
  std::size_t cursor = from_start ? n : cursor_;
  Rng rng = from_start ? initial_batch_rng() : batch_rng_;
  for (auto& row : out) {  // as minibatch() reads them
    if (cursor >= n) {
      shuffle_epoch(order, rng);
      cursor = 0;
    }
    row = order[cursor++];
  }
  return std::nullopt;
}

json Run::state() const {
  const Optimizer::State opt = optimizer_->state();
  const Rng::State rng = batch_rng_.state();
  json out = {{"format", "initscope-run-state"},
          {"version", 1},
          {"step", step_},
          {"params", to_base64(net_.params())},
          {"initialParams", to_base64(initial_params_)},
          {"beforeStep", has_update_ ? json(to_base64(before_step_)) : json(nullptr)},
          {"lastLoss", std::isfinite(last_loss_) ? json(last_loss_) : json(nullptr)},
          {"lastGradNorm", std::isfinite(last_grad_norm_) ? json(last_grad_norm_) : json(nullptr)},
          {"diverged", divergence_to_json(diverged_)},
          {"optimizer",
           {{"steps", opt.steps},
            {"beta1Power", opt.beta1_power},
            {"beta2Power", opt.beta2_power},
            {"momentBound", opt.moment_bound},
            {"m", to_base64(opt.first_moment)},
            {"v", to_base64(opt.second_moment)}}},
          {"minibatch",
           {{"rng", {{"state", hex64(rng.state)}, {"inc", hex64(rng.inc)}, {"hasSpare", rng.has_spare}, {"spare", rng.spare}}},
            {"cursor", cursor_},
            {"order", to_base64(order_)}}},
          {"history", {{"step", history_steps_}, {"loss", history_loss_}, {"stride", history_stride_}}}};
  // Only a network with batchnorm layers has running averages: other runs' states are as
  // they were before batchnorm existed.
  if (net_.state_size() > 0) {
    out["running"] = to_base64(net_.state());
    out["initialRunning"] = to_base64(initial_state_);
  }
  return out;
}

Status Run::restore_state(const json& state) {
  if (!state.is_object()) return make_error("state", show_value(state) + " is not allowed; expected the object run.exportState() gives");
  if (member(state, "format") != "initscope-run-state" || member(state, "version") != 1)
    return make_error("state.format", "is not that of initscope's run state (format \"initscope-run-state\", version 1)");
  const std::size_t n_params = net_.num_params(), n_train = order_.size();
  constexpr double kMaxStep = 9007199254740992.0;  // 2^53: exact in JS
  double step = 0;
  if (auto e = read_number(state, "step", "state", 0, kMaxStep, true, step)) return e;
  std::vector<float> params, initial, before;
  if (auto e = from_base64(state, "params", "state.params", n_params, params)) return e;
  if (auto e = from_base64(state, "initialParams", "state.initialParams", n_params, initial)) return e;
  const bool has_update = !member(state, "beforeStep").is_null();
  if (has_update)
    if (auto e = from_base64(state, "beforeStep", "state.beforeStep", n_params, before)) return e;
  auto optional_number = [&](const char* key, double& out) -> Status {
    const json& v = member(state, key);
    if (v.is_null()) {
      out = NAN;
      return std::nullopt;
    }
    return read_number(state, key, "state", -HUGE_VAL, HUGE_VAL, false, out);
  };
  double last_loss = 0, last_grad_norm = 0;
  if (auto e = optional_number("lastLoss", last_loss)) return e;
  if (auto e = optional_number("lastGradNorm", last_grad_norm)) return e;
  std::vector<float> running, initial_running;
  const std::size_t n_state = net_.state_size();
  if (n_state > 0) {
    if (auto e = from_base64(state, "running", "state.running", n_state, running)) return e;
    if (auto e = from_base64(state, "initialRunning", "state.initialRunning", n_state, initial_running)) return e;
  }

  std::optional<Divergence> diverged;
  if (const json& d = member(state, "diverged"); !d.is_null()) {
    double at = 0, layer = 0;
    if (auto e = read_number(d, "step", "state.diverged", 0, kMaxStep, true, at)) return e;
    if (auto e = read_number(d, "layer", "state.diverged", -1, static_cast<double>(net_.num_layers()) - 1, true, layer)) return e;
    const json& q = member(d, "quantity");
    if (q != "activation" && q != "gradient" && q != "weight" && q != "loss")
      return make_error("state.diverged.quantity", show_value(q) + " is not allowed; expected one of activation, gradient, weight, loss");
    diverged = Divergence{static_cast<std::int64_t>(at), static_cast<int>(layer), q.get<std::string>()};
  }

  const json& o = member(state, "optimizer");
  if (!o.is_object()) return make_error("state.optimizer", "is required; expected an object");
  Optimizer::State opt;
  double steps = 0;
  if (auto e = read_number(o, "steps", "state.optimizer", 0, kMaxStep, true, steps)) return e;
  opt.steps = static_cast<std::size_t>(steps);
  if (auto e = read_number(o, "beta1Power", "state.optimizer", 0, 1, false, opt.beta1_power)) return e;
  if (auto e = read_number(o, "beta2Power", "state.optimizer", 0, 1, false, opt.beta2_power)) return e;
  if (auto e = read_number(o, "momentBound", "state.optimizer", 0, HUGE_VAL, false, opt.moment_bound)) return e;
  const Optimizer::State mine = optimizer_->state();
  if (auto e = from_base64(o, "m", "state.optimizer.m", mine.first_moment.size(), opt.first_moment)) return e;
  if (auto e = from_base64(o, "v", "state.optimizer.v", mine.second_moment.size(), opt.second_moment)) return e;

  const json& mb = member(state, "minibatch");
  if (!mb.is_object()) return make_error("state.minibatch", "is required; expected an object");
  const json& r = member(mb, "rng");
  if (!r.is_object()) return make_error("state.minibatch.rng", "is required; expected an object");
  Rng::State rng;
  if (auto e = read_hex64(r, "state", "state.minibatch.rng", rng.state)) return e;
  if (auto e = read_hex64(r, "inc", "state.minibatch.rng", rng.inc)) return e;
  if (!member(r, "hasSpare").is_boolean()) return make_error("state.minibatch.rng.hasSpare", "is required; expected true or false");
  rng.has_spare = member(r, "hasSpare").get<bool>();
  if (auto e = read_number(r, "spare", "state.minibatch.rng", -HUGE_VAL, HUGE_VAL, false, rng.spare)) return e;
  double cursor = 0;
  if (auto e = read_number(mb, "cursor", "state.minibatch", 0, static_cast<double>(n_train), true, cursor)) return e;
  std::vector<std::uint32_t> order;
  if (auto e = from_base64(mb, "order", "state.minibatch.order", n_train, order)) return e;
  for (std::size_t i = 0; i < order.size(); ++i)
    if (order[i] >= n_train)
      return make_error("state.minibatch.order", "row " + std::to_string(order[i]) + " at " + std::to_string(i) +
                                                     " is not allowed; expected rows from 0 to " + std::to_string(n_train - 1));

  const json& h = member(state, "history");
  const json& hs = member(h, "step");
  const json& hl = member(h, "loss");
  if (!hs.is_array() || !hl.is_array() || hs.size() != hl.size() || hs.size() > kHistoryCapacity)
    return make_error("state.history", "expected { step: [...], loss: [...], stride } of equal lengths, at most " +
                                           std::to_string(kHistoryCapacity) + " entries");
  double stride = 1;
  if (auto e = read_number(h, "stride", "state.history", 1, kMaxStep, true, stride)) return e;
  const auto stride_int = static_cast<std::int64_t>(stride);
  if ((stride_int & (stride_int - 1)) != 0)
    return make_error("state.history.stride", show_value(stride) + " is not allowed; expected a power of two");
  std::vector<std::int64_t> history_steps;
  std::vector<double> history_loss;
  for (std::size_t i = 0; i < hs.size(); ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    if (!hs[i].is_number_integer() || hs[i].get<std::int64_t>() < 0 || hs[i].get<std::int64_t>() >= static_cast<std::int64_t>(step) ||
        (i > 0 && hs[i].get<std::int64_t>() <= history_steps.back()))
      return make_error("state.history.step" + at, show_value(hs[i]) + " is not allowed; expected increasing steps below " + number_text(step));
    if (!hl[i].is_number() || !std::isfinite(hl[i].get<double>()))
      return make_error("state.history.loss" + at, show_value(hl[i]) + " is not allowed; expected a finite number");
    history_steps.push_back(hs[i].get<std::int64_t>());
    history_loss.push_back(hl[i].get<double>());
  }

  // Everything checked: nothing above changed the run.
  if (auto e = optimizer_->restore(opt, "state.optimizer")) return e;
  // The histogram ranges and the output's gradient scale come from the initial weights, as
  // they did in the run the state was saved from.
  initial_params_ = std::move(initial);
  net_.params() = initial_params_;
  fix_histogram_ranges();
  net_.params() = std::move(params);
  if (n_state > 0) {
    initial_state_ = std::move(initial_running);
    net_.set_state(running);
  }
  if (has_update) before_step_ = std::move(before);
  has_update_ = has_update;
  step_ = static_cast<std::int64_t>(step);
  last_loss_ = last_loss;
  last_grad_norm_ = last_grad_norm;
  diverged_ = diverged;
  batch_rng_ = Rng::from_state(rng);
  cursor_ = static_cast<std::size_t>(cursor);
  order_ = std::move(order);
  history_steps_ = std::move(history_steps);
  history_loss_ = std::move(history_loss);
  history_stride_ = stride_int;
  return std::nullopt;
}

}  // namespace initscope
