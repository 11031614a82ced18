// The optimizers' table, parameters, parsing and schema (optimizer.hpp): run once per
// config, so compiled for size (CMakeLists.txt's cold sources); the update is optimizer.cpp.
#include <limits>

#include "initscope/optimizer.hpp"

namespace initscope {

const std::vector<OptimizerInfo>& optimizers() {
  // lr, the kind's own keys, then the gradient treatment every kind shares.
  auto with = [](std::vector<std::string> own) {
    std::vector<std::string> keys = {"lr"};
    keys.insert(keys.end(), own.begin(), own.end());
    for (const char* k : {"weightDecay", "clipNorm", "clipValue"}) keys.push_back(k);
    return keys;
  };
  // Keras's default learning rates: SGD's is the struct's, RMSprop's and Adam's 0.001.
  const double sgd_lr = OptimizerConfig{}.lr, adaptive_lr = 0.001;
  static const std::vector<OptimizerInfo> table = {
      {OptimizerKind::sgd, "sgd", "w ← w − η·g",
       "Plain gradient descent on the mini-batch gradient (Keras SGD with momentum 0); "
       "ignores momentum.",
       with({}), sgd_lr},
      {OptimizerKind::momentum, "momentum", "v ← μ·v − η·g;  w ← w + v",
       "Heavy-ball momentum, as Keras SGD(momentum=μ): the velocity v accumulates past steps.",
       with({"momentum", "convention"}), sgd_lr, "v ← μ·v + g;  w ← w − η·v",
       "Heavy-ball momentum, as torch.optim.SGD(momentum=μ): the velocity v sums past gradients."},
      {OptimizerKind::nesterov, "nesterov", "v ← μ·v − η·g;  w ← w + μ·v − η·g",
       "Nesterov momentum, as Keras SGD(momentum=μ, nesterov=True): the step looks ahead "
       "along the new velocity.",
       with({"momentum", "convention"}), sgd_lr, "v ← μ·v + g;  w ← w − η·(g + μ·v)",
       "Nesterov momentum, as torch.optim.SGD(momentum=μ, nesterov=True): the step looks "
       "ahead along the new velocity."},
      {OptimizerKind::rmsprop, "rmsprop", "s ← ρ·s + (1 − ρ)·g²;  w ← w − η·g / √(s + ε)",
       "RMSprop (Hinton 2012) as Keras: divides each step by the root of a running mean of "
       "g², with ε inside the square root. Keras's default η is 0.001.",
       with({"rho", "epsilon", "convention"}), adaptive_lr,
       "s ← ρ·s + (1 − ρ)·g²;  w ← w − η·g / (√s + ε)",
       "RMSprop (Hinton 2012) as torch.optim.RMSprop: divides each step by the root of a "
       "running mean of g², with ε added outside the square root."},
      {OptimizerKind::adam, "adam",
       "m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  "
       "w ← w − η·(√(1 − β₂ᵗ) / (1 − β₁ᵗ))·m / (√v + ε)",
       "Adam (Kingma and Ba 2014) as Keras: the bias correction folded into the step size, "
       "ε added to √v (the paper's ε-hat). Keras's default η is 0.001.",
       with({"beta1", "beta2", "epsilon", "convention"}), adaptive_lr,
       "m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  "
       "w ← w − η·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)",
       "Adam (Kingma and Ba 2014) as torch.optim.Adam: both moments bias-corrected, ε added "
       "to the corrected √v̂ (the paper's Algorithm 1)."},
  };
  return table;
}

const OptimizerInfo& optimizer_info(OptimizerKind kind) {
  return optimizers()[static_cast<std::size_t>(kind)];
}

const OptimizerInfo* find_optimizer(const std::string& name) {
  return find_by_name(optimizers(), name);
}

std::vector<ParamSpec> optimizer_params() {
  const double inf = std::numeric_limits<double>::infinity();
  const OptimizerConfig d;  // the defaults are the struct's members
  return {
      number_param("lr", d.lr, 0, 1e6, "learning rate η (large values are allowed: divergence is a lesson)", true),
      number_param("momentum", d.momentum, 0, 1, "momentum μ: the fraction of the velocity kept each step"),
      number_param("beta1", d.beta1, 0, 1, "Adam's decay rate β₁ of the first moment", false, true),
      number_param("beta2", d.beta2, 0, 1, "Adam's decay rate β₂ of the second moment", false, true),
      number_param("rho", d.rho, 0, 1, "RMSprop's decay rate ρ of the mean of g²", false, true),
      number_param("epsilon", d.epsilon, 0, 1, "ε in the denominator of rmsprop and adam", true),
      number_param("weightDecay", d.weight_decay, 0, 1,
                   "L2 coefficient λ: adds λ·w to the gradient of every weight (not biases)"),
      number_param("clipNorm", 1, 0, inf,
                   "clip by global norm: g ← g·c/‖g‖ when ‖g‖ > c; null = off", true),
      number_param("clipValue", 1, 0, inf, "clip each gradient to [−c, c]; null = off", true),
      choice_param("convention", {"keras", "pytorch"}, "keras",
                   "whose update rule: keras (ε inside Adam's uncorrected √v and RMSprop's "
                   "square root, v ← μ·v − η·g) or pytorch (ε added to the bias-corrected "
                   "√v̂ and outside RMSprop's root, v ← μ·v + g; w ← w − η·v)"),
  };
}


static bool is_clip_key(const std::string& key) { return key == "clipNorm" || key == "clipValue"; }

Status parse_optimizer(const nlohmann::json& value, const std::string& path,
                       OptimizerConfig& out) {
  const std::vector<std::string> names = names_of(optimizers());
  const NamedSpelling spelling{
      names, "an optimizer name (one of " + join(names) + ") or an object {\"name\": ...}", "",
      ""};
  std::string name;
  nlohmann::json value_object;
  if (auto e = parse_named(value, path, spelling, name, value_object)) return e;
  const OptimizerInfo* info = find_optimizer(name);

  // The clip fields take null (off), which the generic checks do not: read them apart.
  const std::vector<ParamSpec> specs = optimizer_params();
  nlohmann::json rest = value_object;
  rest.erase("clipNorm");
  rest.erase("clipValue");
  Params p;
  rest.erase("schedule");
  if (auto e = parse_params(rest, specs, path, {"name", "batch"}, p)) return e;
  OptimizerConfig config;
  if (value_object.contains("schedule"))
    if (auto e = parse_schedule(value_object["schedule"], field_path(path, "schedule"), config.schedule))
      return e;
  for (const auto& spec : specs) {
    if (!is_clip_key(spec.name)) continue;
    auto it = value_object.find(spec.name);
    if (it == value_object.end() || it->is_null()) continue;
    if (auto e = check_param(spec, *it, field_path(path, spec.name))) {
      e->message += " or null (off)";
      return e;
    }
    (spec.name == "clipNorm" ? config.clip_norm : config.clip_value) = it->get<double>();
  }
  config.kind = info->kind;
  config.lr = value_object.contains("lr") ? p.number("lr") : info->default_lr;
  config.momentum = p.number("momentum");
  config.beta1 = p.number("beta1");
  config.beta2 = p.number("beta2");
  config.rho = p.number("rho");
  config.epsilon = p.number("epsilon");
  config.weight_decay = p.number("weightDecay");
  config.convention = p.choice("convention") == "pytorch" ? OptimizerConvention::pytorch
                                                          : OptimizerConvention::keras;
  out = config;
  return std::nullopt;
}

nlohmann::json optimizer_to_json(const OptimizerConfig& c) {
  auto opt = [](const std::optional<double>& x) {
    return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
  };
  nlohmann::json j{{"name", optimizer_info(c.kind).name},
          {"lr", c.lr},
          {"momentum", c.momentum},
          {"beta1", c.beta1},
          {"beta2", c.beta2},
          {"rho", c.rho},
          {"epsilon", c.epsilon},
          {"weightDecay", c.weight_decay},
          {"clipNorm", opt(c.clip_norm)},
          {"clipValue", opt(c.clip_value)},
          {"convention", c.convention == OptimizerConvention::pytorch ? "pytorch" : "keras"}};
  if (!c.schedule.is_default()) j["schedule"] = schedule_to_json(c.schedule);
  return j;
}

nlohmann::json optimizers_schema() {
  nlohmann::json kinds = nlohmann::json::array();
  for (const auto& info : optimizers())
    kinds.push_back({{"name", info.name},
                     {"formula", info.formula},
                     {"doc", info.doc},
                     {"params", info.params},
                     {"defaultLr", info.default_lr},
                     {"pytorchFormula", info.pytorch_formula.empty() ? info.formula : info.pytorch_formula},
                     {"pytorchDoc", info.pytorch_doc.empty() ? info.doc : info.pytorch_doc}});
  nlohmann::json params = params_schema(optimizer_params());
  for (auto& row : params) {
    const bool clip = is_clip_key(row["name"].get<std::string>());
    row["nullable"] = clip;
    if (clip) {
      row["default"] = nullptr;
      row["allowed"] = row["allowed"].get<std::string>() + " or null (off)";
    }
  }
  return {{"optimizers", kinds}, {"params", params}, {"schedules", schedules_schema()}};
}

}  // namespace initscope
