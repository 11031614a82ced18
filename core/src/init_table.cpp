// THE initializer table: one row per name a framework's user types.
// Formulas follow the Keras and PyTorch sources (keras/initializers, torch/nn/init.py), in the frameworks' own order of
// floating-point operations where that is cheap to keep.
#include <algorithm>
#include <cmath>

#include "init_internal.hpp"
#include "initscope/init.hpp"

namespace initscope {

namespace {

// Magnitudes up to 1e30 keep every sample finite in float32 (max 3.4e38, room for a mean
// plus many stds) and b − a finite in double. Huge values are legal on purpose: constant
// 1e30 or gain 1e6 end in the engine's divergence message, which is the lesson.
constexpr double kBig = 1e30;
// Any rank Keras accepts for an element-wise initializer (up to a Conv3D kernel).
constexpr int kAnyRank = 5;
// trunc_normal_'s [a, b] must hold at least this much of N(mean, std²).
constexpr double kMinTruncatedMass = 1e-6;

// PyTorch's fan for a mode. A zero-element tensor has nothing to fill; clamping to 1 only
// keeps its moments finite.
double pytorch_fan(const Shape& shape, const std::string& mode) {
  Fans f = compute_fans(shape);
  return std::max(1.0, mode == "fan_out" ? f.fan_out : f.fan_in);
}

double gain_of(const std::string& nonlinearity, double param) {
  double gain = 1.0;
  calculate_gain(nonlinearity, param, gain);  // the table's choices and ranges make it valid
  return gain;
}

// ---- cross-parameter rules --------------------------------------------------------------

Status require_less(const Params& p, const std::string& path, const std::string& lo,
                    const std::string& hi) {
  double a = p.number(lo), b = p.number(hi);
  if (a < b) return std::nullopt;
  return make_error(path.empty() ? hi : path + "." + hi,
                    number_text(b) + " is not allowed; expected a number > " + lo + " (" +
                        number_text(a) + ")");
}

Status validate_random_uniform(const Params& p, const std::string& path) {
  return require_less(p, path, "minval", "maxval");
}

Status validate_uniform_(const Params& p, const std::string& path) {
  return require_less(p, path, "a", "b");
}

Status validate_trunc_normal_(const Params& p, const std::string& path) {
  if (auto e = require_less(p, path, "a", "b")) return e;
  double mean = p.number("mean"), stddev = p.number("std"), a = p.number("a"), b = p.number("b");
  double mass = normal_mass((a - mean) / stddev, (b - mean) / stddev);
  if (mass >= kMinTruncatedMass) return std::nullopt;
  return make_error(path, "[a, b] = [" + number_text(a) + ", " + number_text(b) + "] holds " +
                              number_text(mass) + " of N(mean = " + number_text(mean) +
                              ", std = " + number_text(stddev) +
                              "); expected an interval holding at least 1e-06 of it");
}

// ---- structured initializers ------------------------------------------------------------

std::size_t product(Shape::const_iterator begin, Shape::const_iterator end) {
  std::size_t n = 1;
  for (auto it = begin; it != end; ++it) n *= *it;
  return n;
}

// Keras flattens a kernel to (product of all but the last dim, last dim).
std::size_t keras_rows(const Shape& s) { return product(s.begin(), s.end() - 1); }

void sample_keras_orthogonal(const Params& p, const Shape& s, Rng& rng, float* out) {
  sample_orthogonal(keras_rows(s), s.back(), p.number("gain"), rng, out);
}
Moments keras_orthogonal_moments(const Params& p, const Shape& s) {
  return orthogonal_moments(keras_rows(s), s.back(), p.number("gain"));
}
void sample_orthogonal_(const Params& p, const Shape& s, Rng& rng, float* out) {
  sample_orthogonal(s[0], s[1], p.number("gain"), rng, out);
}
Moments orthogonal_moments_(const Params& p, const Shape& s) {
  return orthogonal_moments(s[0], s[1], p.number("gain"));
}
void sample_lsuv(const Params&, const Shape& s, Rng& rng, float* out) {
  sample_orthogonal(s[0], s[1], 1.0, rng, out);
}
Moments lsuv_moments(const Params&, const Shape& s) { return orthogonal_moments(s[0], s[1], 1.0); }
void sample_identity(const Params& p, const Shape& s, Rng&, float* out) {
  fill_identity(s[0], s[1], p.number("gain"), out);
}
Moments identity_moments_(const Params& p, const Shape& s) {
  return identity_moments(s[0], s[1], p.number("gain"));
}
void sample_eye(const Params&, const Shape& s, Rng&, float* out) { fill_identity(s[0], s[1], 1.0, out); }
Moments eye_moments(const Params&, const Shape& s) { return identity_moments(s[0], s[1], 1.0); }
void sample_sparse_(const Params& p, const Shape& s, Rng& rng, float* out) {
  sample_sparse(s[0], s[1], p.number("sparsity"), p.number("std"), rng, out);
}
Moments sparse_moments_(const Params& p, const Shape& s) {
  return sparse_moments(s[1], p.number("sparsity"), p.number("std"));
}

// ---- variance scalings -------------------------------------------------------------------

VarianceScaling variance_scaling_args(const Params& p) {
  return {p.number("scale"), p.choice("mode"), p.choice("distribution")};
}
VarianceScaling glorot_uniform_args(const Params&) { return {1, "fan_avg", "uniform"}; }
VarianceScaling glorot_normal_args(const Params&) { return {1, "fan_avg", "truncated_normal"}; }
VarianceScaling he_uniform_args(const Params&) { return {2, "fan_in", "uniform"}; }
VarianceScaling he_normal_args(const Params&) { return {2, "fan_in", "truncated_normal"}; }
VarianceScaling lecun_uniform_args(const Params&) { return {1, "fan_in", "uniform"}; }
VarianceScaling lecun_normal_args(const Params&) { return {1, "fan_in", "truncated_normal"}; }
VarianceScaling scaled_normal_args(const Params& p) { return {p.number("v"), "fan_in", "untruncated_normal"}; }
// PyTorch's spellings: std = gain/√fan is a variance gain²/fan. Their laws keep PyTorch's
// order of operations (gain/√fan, then √3·std), so the double std can differ from
// √(gain²/fan) in its last bit; float32 storage almost always rounds both to the same weight.
double squared_gain(const Params& p) {
  double gain = gain_of(p.choice("nonlinearity"), p.number("a"));
  return gain * gain;
}
VarianceScaling xavier_uniform_args(const Params& p) {
  return {p.number("gain") * p.number("gain"), "fan_avg", "uniform"};
}
VarianceScaling xavier_normal_args(const Params& p) {
  return {p.number("gain") * p.number("gain"), "fan_avg", "untruncated_normal"};
}
VarianceScaling kaiming_uniform_args(const Params& p) { return {squared_gain(p), p.choice("mode"), "uniform"}; }
VarianceScaling kaiming_normal_args(const Params& p) {
  return {squared_gain(p), p.choice("mode"), "untruncated_normal"};
}
// On a weight matrix; its bias law (U(±1/√fan_in of the layer)) is not one.
VarianceScaling nn_linear_default_args(const Params&) {
  double gain = gain_of("leaky_relu", std::sqrt(5.0));
  return {gain * gain, "fan_in", "uniform"};
}

// The law of a variance scaling, from its arguments: the rows that are one by definition.
template <VarianceScaling (*Args)(const Params&)>
ElementLaw scaling_law(const Params& p, const Shape& s, const Fans&) {
  VarianceScaling v = Args(p);
  return variance_scaling_law(v.scale, v.mode, v.distribution, compute_fans(s));
}

// ---- rows ---------------------------------------------------------------------------------

using LawFn = ElementLaw (*)(const Params&, const Shape&, const Fans&);
using SampleFn = void (*)(const Params&, const Shape&, Rng&, float*);
using MomentsFn = Moments (*)(const Params&, const Shape&);
using ValidateFn = Status (*)(const Params&, const std::string&);

InitializerInfo iid(std::string name, std::string framework, std::string formula,
                    std::string doc, std::vector<ParamSpec> params, int min_rank, int max_rank,
                    LawFn law, ValidateFn validate = nullptr) {
  InitializerInfo info;
  info.name = std::move(name);
  info.framework = std::move(framework);
  info.formula = std::move(formula);
  info.doc = std::move(doc);
  info.params = std::move(params);
  info.min_rank = min_rank;
  info.max_rank = max_rank;
  info.law = law;
  info.validate = validate;
  return info;
}

// A row that is a variance scaling by definition: its law follows from its arguments.
template <VarianceScaling (*Args)(const Params&)>
InitializerInfo scaling(std::string name, std::string framework, std::string formula,
                        std::string doc, std::vector<ParamSpec> params, int min_rank,
                        int max_rank) {
  InitializerInfo info = iid(std::move(name), std::move(framework), std::move(formula),
                             std::move(doc), std::move(params), min_rank, max_rank,
                             scaling_law<Args>);
  info.variance_scaling = Args;
  return info;
}

// A row with a law of its own that is also a variance scaling (PyTorch's spellings).
InitializerInfo with_scaling(InitializerInfo info, VarianceScaling (*args)(const Params&)) {
  info.variance_scaling = args;
  return info;
}

InitializerInfo with_gain(InitializerInfo info, std::string param) {
  info.gain_param = std::move(param);
  return info;
}

InitializerInfo structured(std::string name, std::string framework, std::string formula,
                           std::string doc, std::vector<ParamSpec> params, int min_rank,
                           int max_rank, SampleFn sample, MomentsFn moments) {
  InitializerInfo info = iid(std::move(name), std::move(framework), std::move(formula),
                             std::move(doc), std::move(params), min_rank, max_rank, nullptr);
  info.sample = sample;
  info.moments = moments;
  return info;
}

ParamSpec real(std::string name, double def, std::string doc) {
  return number_param(std::move(name), def, -kBig, kBig, std::move(doc));
}
ParamSpec positive(std::string name, double def, std::string doc) {
  return number_param(std::move(name), def, 0, kBig, std::move(doc), true);
}
ParamSpec required(ParamSpec spec) {
  spec.required = true;
  return spec;
}

const std::vector<std::string> kModes = {"fan_in", "fan_out", "fan_avg"};
const std::vector<std::string> kDistributions = {"truncated_normal", "untruncated_normal",
                                                 "uniform", "normal"};

std::vector<ParamSpec> kaiming_params() {
  return {real("a", 0, "negative slope of the leaky_relu after this layer (gain's param)"),
          choice_param("mode", {"fan_in", "fan_out"}, "fan_in",
                       "fan_in keeps the forward variance, fan_out the backward one"),
          choice_param("nonlinearity", gain_nonlinearities(), "leaky_relu",
                       "the activation after this layer, for calculate_gain")};
}

std::vector<InitializerInfo> build_table() {
  const std::string tn = "N(0, s²) truncated at ±2s, s = ";
  std::vector<InitializerInfo> t;
  // Keras
  t.push_back(iid("zeros", "keras", "0", "Every value 0. As weights: every unit stays identical, so symmetry is never broken. "
                  "As biases: the usual start, since random weights already break the symmetry.", {}, 0,
                  kAnyRank, [](const Params&, const Shape&, const Fans&) { return constant_law(0); }));
  t.push_back(iid("ones", "keras", "1", "Every weight 1.", {}, 0, kAnyRank,
                  [](const Params&, const Shape&, const Fans&) { return constant_law(1); }));
  t.push_back(iid("constant", "keras", "value", "Every weight the same value.",
                  {real("value", 0, "the value")}, 0, kAnyRank,
                  [](const Params& p, const Shape&, const Fans&) {
                    return constant_law(p.number("value"));
                  }));
  t.push_back(iid("random_normal", "keras", "N(mean, stddev²)",
                  "A normal of fixed stddev, whatever the layer's size.",
                  {real("mean", 0, "mean"), positive("stddev", 0.05, "standard deviation")}, 0,
                  kAnyRank, [](const Params& p, const Shape&, const Fans&) {
                    return normal_law(p.number("mean"), p.number("stddev"));
                  }));
  t.push_back(iid("random_uniform", "keras", "U[minval, maxval)",
                  "A uniform of fixed range, whatever the layer's size.",
                  {real("minval", -0.05, "lower bound (included)"),
                   real("maxval", 0.05, "upper bound (excluded)")},
                  0, kAnyRank,
                  [](const Params& p, const Shape&, const Fans&) {
                    return uniform_law(p.number("minval"), p.number("maxval"));
                  },
                  validate_random_uniform));
  t.push_back(iid("truncated_normal", "keras",
                  "N(mean, stddev²) cut at mean ± 2·stddev (actual std 0.8796·stddev)",
                  "A normal redrawn outside two stddevs; not variance-corrected.",
                  {real("mean", 0, "mean"), positive("stddev", 0.05, "stddev of the parent normal")},
                  0, kAnyRank, [](const Params& p, const Shape&, const Fans&) {
                    return keras_truncated_law(p.number("mean"), p.number("stddev"));
                  }));
  t.push_back(scaling<variance_scaling_args>(
      "variance_scaling", "keras",
      "v = scale/n, n = fan_in | fan_out | (fan_in+fan_out)/2; truncated_normal: " + tn +
          "√v/0.8796; untruncated_normal: N(0, v); uniform: U(±√(3v))",
      "The rule behind Glorot, He and LeCun: variance scale/n; \"normal\" means truncated.",
      {positive("scale", 1, "target variance times n"),
       choice_param("mode", kModes, "fan_in", "which fan n is"),
       choice_param("distribution", kDistributions, "truncated_normal",
                    "truncated_normal (alias normal), untruncated_normal or uniform")},
      0, kAnyRank));
  t.push_back(scaling<glorot_uniform_args>("glorot_uniform", "keras", "U(±L), L = √(6/(fan_in+fan_out))",
                  "Glorot & Bengio's normalized init; Keras' default kernel.", {}, 0, kAnyRank));
  t.push_back(scaling<glorot_normal_args>("glorot_normal", "keras", tn + "√(2/(fan_in+fan_out))/0.8796",
                  "Glorot's variance 2/(fan_in+fan_out) as a truncated normal.", {}, 0,
                  kAnyRank));
  t.push_back(scaling<he_uniform_args>("he_uniform", "keras", "U(±L), L = √(6/fan_in)",
                  "He et al.'s variance 2/fan_in for ReLU, uniform.", {}, 0, kAnyRank));
  t.push_back(scaling<he_normal_args>("he_normal", "keras", tn + "√(2/fan_in)/0.8796",
                  "He et al.'s variance 2/fan_in for ReLU, as a truncated normal.", {}, 0,
                  kAnyRank));
  t.push_back(scaling<lecun_uniform_args>("lecun_uniform", "keras", "U(±L), L = √(3/fan_in)",
                  "LeCun's variance 1/fan_in, uniform.", {}, 0, kAnyRank));
  t.push_back(scaling<lecun_normal_args>("lecun_normal", "keras", tn + "√(1/fan_in)/0.8796",
                  "LeCun's variance 1/fan_in as a truncated normal (SELU's init).", {}, 0,
                  kAnyRank));
  t.push_back(with_gain(structured(
      "orthogonal", "keras",
      "gain·Q, Q from the QR of a N(0,1) matrix, sign-corrected; rows = product of all but the last dim",
      "A random orthogonal matrix (Saxe et al.): every singular value equals gain.",
      {positive("gain", 1, "multiplies the orthogonal matrix")}, 2, kAnyRank,
      sample_keras_orthogonal, keras_orthogonal_moments), "gain"));
  t.push_back(with_gain(structured("identity", "keras", "gain·I (gain on the first min(rows, cols) diagonal entries)",
                         "The identity matrix times gain; non-square keeps the leading diagonal.",
                         {positive("gain", 1, "the diagonal value")}, 2, 2, sample_identity,
                         identity_moments_), "gain"));
  // PyTorch (logical fans: fan_in = inputs, whatever the storage layout)
  t.push_back(iid("uniform_", "pytorch", "U[a, b)", "torch.nn.init.uniform_.",
                  {real("a", 0, "lower bound"), real("b", 1, "upper bound")}, 0, kAnyRank,
                  [](const Params& p, const Shape&, const Fans&) {
                    return uniform_law(p.number("a"), p.number("b"));
                  },
                  validate_uniform_));
  t.push_back(iid("normal_", "pytorch", "N(mean, std²)", "torch.nn.init.normal_.",
                  {real("mean", 0, "mean"), positive("std", 1, "standard deviation")}, 0, kAnyRank,
                  [](const Params& p, const Shape&, const Fans&) {
                    return normal_law(p.number("mean"), p.number("std"));
                  }));
  t.push_back(iid("trunc_normal_", "pytorch",
                  "N(mean, std²) restricted to [a, b] (absolute bounds, not in stds)",
                  "torch.nn.init.trunc_normal_: a and b are values, so std 0.02 with ±2 cuts nothing.",
                  {real("mean", 0, "mean of the parent normal"),
                   positive("std", 1, "stddev of the parent normal"),
                   real("a", -2, "lower bound (a value, not a number of stds)"),
                   real("b", 2, "upper bound (a value, not a number of stds)")},
                  0, kAnyRank,
                  [](const Params& p, const Shape&, const Fans&) {
                    return truncated_law(p.number("mean"), p.number("std"), p.number("a"),
                                         p.number("b"));
                  },
                  validate_trunc_normal_));
  t.push_back(iid("constant_", "pytorch", "val", "torch.nn.init.constant_ (val is required).",
                  {required(real("val", 0, "the value"))}, 0, kAnyRank,
                  [](const Params& p, const Shape&, const Fans&) {
                    return constant_law(p.number("val"));
                  }));
  t.push_back(iid("ones_", "pytorch", "1", "torch.nn.init.ones_.", {}, 0, kAnyRank,
                  [](const Params&, const Shape&, const Fans&) { return constant_law(1); }));
  t.push_back(iid("zeros_", "pytorch", "0", "torch.nn.init.zeros_.", {}, 0, kAnyRank,
                  [](const Params&, const Shape&, const Fans&) { return constant_law(0); }));
  t.push_back(structured("eye_", "pytorch", "I (1 on the first min(rows, cols) diagonal entries)",
                         "torch.nn.init.eye_: the identity, no gain.", {}, 2, 2, sample_eye,
                         eye_moments));
  t.push_back(with_scaling(iid("xavier_uniform_", "pytorch", "U(±L), L = gain·√(6/(fan_in+fan_out))",
                  "Glorot uniform with PyTorch's gain (5/3 for tanh).",
                  {positive("gain", 1, "calculate_gain of the activation")}, 2, 2,
                  [](const Params& p, const Shape& s, const Fans&) {
                    Fans f = compute_fans(s);
                    double sigma = p.number("gain") * std::sqrt(2.0 / std::max(1.0, f.fan_in + f.fan_out));
                    double bound = std::sqrt(3.0) * sigma;
                    return uniform_law(-bound, bound);
                  }), xavier_uniform_args));
  t.push_back(with_scaling(iid("xavier_normal_", "pytorch", "N(0, σ²), σ = gain·√(2/(fan_in+fan_out)), untruncated",
                  "Glorot normal with PyTorch's gain; unlike Keras, not truncated.",
                  {positive("gain", 1, "calculate_gain of the activation")}, 2, 2,
                  [](const Params& p, const Shape& s, const Fans&) {
                    Fans f = compute_fans(s);
                    return normal_law(0.0, p.number("gain") *
                                               std::sqrt(2.0 / std::max(1.0, f.fan_in + f.fan_out)));
                  }), xavier_normal_args));
  t.push_back(with_scaling(iid("kaiming_uniform_", "pytorch",
                  "U(±L), L = √3·gain/√fan, gain = calculate_gain(nonlinearity, a)",
                  "He uniform with PyTorch's gain table and mode.", kaiming_params(), 2, 2,
                  [](const Params& p, const Shape& s, const Fans&) {
                    double sigma = gain_of(p.choice("nonlinearity"), p.number("a")) /
                                   std::sqrt(pytorch_fan(s, p.choice("mode")));
                    double bound = std::sqrt(3.0) * sigma;
                    return uniform_law(-bound, bound);
                  }), kaiming_uniform_args));
  t.push_back(with_scaling(iid("kaiming_normal_", "pytorch",
                  "N(0, σ²), σ = gain/√fan, gain = calculate_gain(nonlinearity, a), untruncated",
                  "He normal with PyTorch's gain table and mode; unlike Keras, not truncated.",
                  kaiming_params(), 2, 2, [](const Params& p, const Shape& s, const Fans&) {
                    return normal_law(0.0, gain_of(p.choice("nonlinearity"), p.number("a")) /
                                               std::sqrt(pytorch_fan(s, p.choice("mode"))));
                  }), kaiming_normal_args));
  t.push_back(with_gain(structured("orthogonal_", "pytorch", "gain·Q, Q as in orthogonal",
                         "torch.nn.init.orthogonal_ on the (fan_in, fan_out) matrix.",
                         {positive("gain", 1, "multiplies the orthogonal matrix")}, 2, 2,
                         sample_orthogonal_, orthogonal_moments_), "gain"));
  t.push_back(structured(
      "sparse_", "pytorch",
      "N(0, std²), then ceil(sparsity·fan_out) random entries of each row (input) set to 0",
      "torch.nn.init.sparse_ (Martens 2010); PyTorch's per-column zeros are our per-row ones.",
      {required(number_param("sparsity", 0, 0, 1, "fraction of each input's outputs set to 0",
                             false, true)),
       positive("std", 0.01, "stddev of the nonzero entries")},
      2, 2, sample_sparse_, sparse_moments_));
  t.push_back(with_scaling(iid("nn_linear_default", "pytorch",
                  "U(±1/√fan_in): kaiming_uniform_ with a = √5; a bias uses the layer's fan_in",
                  "What nn.Linear starts from, weight and bias: a third of LeCun's variance.", {}, 1, 2,
                  [](const Params&, const Shape& s, const Fans& layer) {
                    if (s.size() < 2) {  // the bias: U(±1/√fan_in), or 0 if fan_in = 0
                      double bound = layer.fan_in > 0 ? 1.0 / std::sqrt(layer.fan_in) : 0.0;
                      return uniform_law(-bound, bound);
                    }
                    double sigma = gain_of("leaky_relu", std::sqrt(5.0)) /
                                   std::sqrt(pytorch_fan(s, "fan_in"));
                    double bound = std::sqrt(3.0) * sigma;
                    return uniform_law(-bound, bound);
                  }), nn_linear_default_args));
  // Teaching
  t.push_back(scaling<scaled_normal_args>("scaled_normal", "teaching", "N(0, v/fan_in)",
                  "A normal with variance v/fan_in; v = 0, 0.01, 1, 100 shows dead, vanishing, "
                  "LeCun and exploding starts.",
                  {number_param("v", 1, 0, kBig, "variance times fan_in (0 gives zeros)")}, 2, 2));
  t.push_back(iid("standard_uniform", "teaching", "U(±1/√fan_in)",
                  "The \"standard\" heuristic Glorot & Bengio (2010) argue against; NOT Xavier "
                  "(that is ±√(6/(fan_in+fan_out))).",
                  {}, 2, 2, [](const Params&, const Shape& s, const Fans&) {
                    double bound = 1.0 / std::sqrt(std::max(1.0, compute_fans(s).fan_in));
                    return uniform_law(-bound, bound);
                  }));
  // Paper
  t.push_back(structured(
      "lsuv", "paper",
      "orthogonal (gain 1), then each layer rescaled on a data batch until |Var(output) − 1| < tolerance",
      "Mishkin & Matas 2016; fill gives the orthogonal start, the run does the rescaling.",
      {number_param("tolerance", 0.02, 0, 1, "allowed |Var(output) − 1|", true),
       integer_param("max_iterations", 20, 1, 1000, "rescaling passes per layer at most")},
      2, 2, sample_lsuv, lsuv_moments));
  return t;
}

// ---- the page's columns ---------------------------------------------------------------
// Placeholders: see InitializerInfo::tex.

using Lines = std::vector<std::string>;

// The lines of a variance scaling: scale (as a symbol and as the number put in), the fan
// (as a symbol and as the number put in) and the distribution.
Lines variance_scaling_tex(const std::string& scale, const std::string& scale_value,
                           const std::string& fan, const std::string& fan_value,
                           const std::string& distribution) {
  if (distribution == "uniform")
    return {R"(W \sim U(-L, L),\quad L = \sqrt{\frac{3\cdot )" + scale + "}{" + fan +
                R"(}} = \sqrt{\frac{3\cdot )" + scale_value + "}{" + fan_value + "}} = $law.hi",
            R"(\sigma = L/\sqrt{3} = $std)"};
  const std::string sigma = R"(\sigma = \sqrt{\frac{)" + scale + "}{" + fan + R"(}} = \sqrt{\frac{)" +
                            scale_value + "}{" + fan_value + "}} = $std";
  if (distribution == "untruncated_normal") return {R"(W \sim \mathcal{N}(0, \sigma^2))", sigma};
  return {R"(W \sim \mathcal{N}(0, s^2) \text{ truncated at } \pm 2s)", sigma,
          R"(s = \sigma/0.8796 = $law.stddev)", R"(\text{cut at } \pm 2s = \pm $law.hi)"};
}

const std::string kFanIn = R"(\text{fan\_in})";
const std::string kFanSum = R"(\text{fan\_in}+\text{fan\_out})";

// ---- how the other framework writes a row's law (InitializerInfo::equivalents) ----------

using nlohmann::json;
using Args = std::vector<std::pair<std::string, std::string>>;

// A row of the other framework with arguments in Python, and a note.
json spelling(const std::string& row, const Args& args, const std::string& note = "") {
  json a = json::array();
  for (const auto& p : args) a.push_back(json::array({p.first, p.second}));
  json s = {{"name", row}, {"args", a}};
  if (!note.empty()) s["note"] = note;
  return s;
}
json with(json s, const std::string& key, json value) {
  s[key] = std::move(value);
  return s;
}
json in_keras(std::vector<json> spellings) { return {{"keras", json(std::move(spellings))}}; }
json in_pytorch(std::vector<json> spellings) { return {{"pytorch", json(std::move(spellings))}}; }
// Keras truncates the normal of a variance scaling, nn.init does not: the same σ, another law.
json truncated_in_keras(const std::string& row, const Args& args, const std::string& keras_class) {
  return with(spelling(row, args,
                       "Keras's " + keras_class +
                           " draws a normal truncated at ±2s, s = σ/0.8796, so that its std is "
                           "σ; nn.init draws an untruncated normal with the same σ (values "
                           "beyond ±2s occur)"),
              "exact", true);
}
const json kGainIsOne = {{"param", "gain"}, {"is", 1}};
const std::string kSameOrthogonal = "the same law (Haar-orthogonal times gain), other draws";

struct PageColumns {
  std::string name, keras_class;
  Lines tex;
  json equivalents = json::object();  // none: the engine's per-layer law is written out
};

std::vector<PageColumns> page_columns() {
  const Lines zero = {"W = 0", R"(\sigma = 0)"}, one = {"W = 1", R"(\sigma = 0)"};
  const Lines normal = {R"(W \sim \mathcal{N}(\mu, \sigma^2),\quad \mu = $p.mean)",
                        R"(\sigma = $std \text{ whatever the fans})"};
  const Lines fan_in_uniform = {
      R"(W \sim U(-L, L),\quad L = \frac{1}{\sqrt{\text{fan\_in}}} = \frac{1}{\sqrt{$nIn}} = $law.hi)",
      R"(\sigma = L/\sqrt{3} = $std)"};
  const std::string q = R"(W = g\,Q,\quad Q^\top Q = I,\quad g = $p.gain)";
  return {
      {"zeros", "Zeros", zero,
       in_pytorch({spelling("zeros_", {})})},
      {"ones", "Ones", one,
       in_pytorch({spelling("ones_", {})})},
      {"constant", "Constant", {R"(W = \text{value} = $p.value)", R"(\sigma = 0)"},
       in_pytorch({spelling("constant_", {{"val", "$p.value"}})})},
      {"random_normal", "RandomNormal", normal,
       in_pytorch({spelling("normal_", {{"mean", "$p.mean"}, {"std", "$p.stddev"}})})},
      {"random_uniform", "RandomUniform",
       {R"(W \sim U[$p.minval, $p.maxval))", R"(\sigma = (b-a)/\sqrt{12} = $std)"},
       in_pytorch({spelling("uniform_", {{"a", "$p.minval"}, {"b", "$p.maxval"}})})},
      {"truncated_normal", "TruncatedNormal",
       {R"(W \sim \mathcal{N}(\mu, s^2) \text{ cut at } \mu \pm 2s,\quad s = $p.stddev)",
        R"(\sigma = 0.8796\, s = $std)"},
       in_pytorch({spelling("trunc_normal_", {{"mean", "$p.mean"}, {"std", "$p.stddev"}, {"a", "$p.mean - 2 * $p.stddev"}, {"b", "$p.mean + 2 * $p.stddev"}})})},
      {"variance_scaling", "VarianceScaling",
       variance_scaling_tex(R"(\text{scale})", "$p.scale", "$fan", "$fanValue", "truncated_normal")},
      {"glorot_uniform", "GlorotUniform",
       {R"(W \sim U(-L, L),\quad L = \sqrt{\frac{6}{)" + kFanSum +
            R"(}} = \sqrt{\frac{6}{$nIn+$nOut}} = $law.hi)",
        R"(\sigma = L/\sqrt{3} = $std)"},
       in_pytorch({spelling("xavier_uniform_", {})})},
      {"glorot_normal", "GlorotNormal",
       variance_scaling_tex("2", "2", kFanSum, "$nIn+$nOut", "truncated_normal"),
       in_pytorch({truncated_in_keras("xavier_normal_", {}, "GlorotNormal")})},
      {"he_uniform", "HeUniform", variance_scaling_tex("2", "2", kFanIn, "$nIn", "uniform"),
       in_pytorch({spelling("kaiming_uniform_", {{"mode", "\"fan_in\""}, {"nonlinearity", "\"relu\""}})})},
      {"he_normal", "HeNormal", variance_scaling_tex("2", "2", kFanIn, "$nIn", "truncated_normal"),
       in_pytorch({truncated_in_keras("kaiming_normal_", {{"mode", "\"fan_in\""}, {"nonlinearity", "\"relu\""}}, "HeNormal")})},
      {"lecun_uniform", "LecunUniform", variance_scaling_tex("1", "1", kFanIn, "$nIn", "uniform"),
       in_pytorch({spelling("kaiming_uniform_", {{"mode", "\"fan_in\""}, {"nonlinearity", "\"linear\""}})})},
      {"lecun_normal", "LecunNormal",
       variance_scaling_tex("1", "1", kFanIn, "$nIn", "truncated_normal"),
       in_pytorch({truncated_in_keras("kaiming_normal_", {{"mode", "\"fan_in\""}, {"nonlinearity", "\"linear\""}}, "LecunNormal")})},
      {"orthogonal", "Orthogonal", {q, R"(\sigma = $std \;(\text{every singular value } = g))"},
       in_pytorch({spelling("orthogonal_", {{"gain", "$p.gain"}}, kSameOrthogonal)})},
      {"identity", "Identity",
       {R"(W = g\, I_{$nIn\times $nOut},\quad g = $p.gain)", R"(\sigma = $std)"},
       in_pytorch({with(spelling("eye_", {}), "when", kGainIsOne), with(spelling("eye_", {}), "then", "mul_($p.gain)")})},
      {"uniform_", "", {R"(W \sim U[$p.a, $p.b))", R"(\sigma = (b-a)/\sqrt{12} = $std)"},
       in_keras({spelling("random_uniform", {{"minval", "$p.a"}, {"maxval", "$p.b"}})})},
      {"normal_", "", normal,
       in_keras({spelling("random_normal", {{"mean", "$p.mean"}, {"stddev", "$p.std"}})})},
      {"trunc_normal_", "",
       {R"(W \sim \mathcal{N}(\mu, s^2) \text{ restricted to } [$p.a, $p.b],\quad s = $p.std)",
        R"(\sigma = $std)"},
       in_keras({with(spelling("truncated_normal", {{"mean", "$p.mean"}, {"stddev", "$p.std"}}), "when", {{"cutAtTwoStd", true}}), spelling("truncated_normal", {{"mean", "$p.mean"}, {"stddev", "$p.std"}}, "Keras cuts at mean ± 2·stddev; trunc_normal_ here cuts at [$v.a, $v.b]")})},
      {"constant_", "", {R"(W = \text{val} = $p.val)", R"(\sigma = 0)"},
       in_keras({spelling("constant", {{"value", "$p.val"}})})},
      {"ones_", "", one,
       in_keras({with(spelling("ones", {}), "string", true)})},
      {"zeros_", "", zero,
       in_keras({with(spelling("zeros", {}), "string", true)})},
      {"eye_", "", {R"(W = I_{$nIn\times $nOut})", R"(\sigma = $std)"},
       in_keras({spelling("identity", {{"gain", "1.0"}})})},
      {"xavier_uniform_", "",
       {R"(W \sim U(-L, L),\quad L = g\sqrt{\frac{6}{)" + kFanSum +
            R"(}} = $p.gain\sqrt{\frac{6}{$nIn+$nOut}} = $law.hi)",
        R"(\sigma = L/\sqrt{3} = $std)"},
       in_keras({with(spelling("glorot_uniform", {}), "when", kGainIsOne), spelling("variance_scaling", {{"scale", "$p.gain**2"}, {"mode", "\"fan_avg\""}, {"distribution", "\"uniform\""}})})},
      {"xavier_normal_", "",
       {R"(W \sim \mathcal{N}(0, \sigma^2),\quad \sigma = g\sqrt{\frac{2}{)" + kFanSum +
        R"(}} = $p.gain\sqrt{\frac{2}{$nIn+$nOut}} = $std)"},
       in_keras({spelling("variance_scaling", {{"scale", "$p.gain**2"}, {"mode", "\"fan_avg\""}, {"distribution", "\"untruncated_normal\""}}, "untruncated, as xavier_normal_ (GlorotNormal would truncate)")})},
      {"kaiming_uniform_", "",
       {"$gainCall",
        R"(W \sim U(-L, L),\quad L = \frac{\sqrt{3}\,\text{gain}}{\sqrt{$fan}} = \frac{\sqrt{3}\,\text{gain}}{\sqrt{$fanValue}} = $law.hi)",
        R"(\sigma = L/\sqrt{3} = $std)"},
       in_keras({spelling("variance_scaling", {{"scale", "$gainSquared"}, {"mode", "$p.mode"}, {"distribution", "\"uniform\""}})})},
      {"kaiming_normal_", "",
       {"$gainCall",
        R"(W \sim \mathcal{N}(0, \sigma^2),\quad \sigma = \frac{\text{gain}}{\sqrt{$fan}} = \frac{\text{gain}}{\sqrt{$fanValue}} = $std)"},
       in_keras({spelling("variance_scaling", {{"scale", "$gainSquared"}, {"mode", "$p.mode"}, {"distribution", "\"untruncated_normal\""}}, "untruncated, as kaiming_normal_ (HeNormal would truncate)")})},
      {"orthogonal_", "", {q, R"(\sigma = $std)"},
       in_keras({spelling("orthogonal", {{"gain", "$p.gain"}}, kSameOrthogonal)})},
      {"sparse_", "",
       {R"(W \sim \mathcal{N}(0, $p.std^2), \text{ then } \lceil $p.sparsity\cdot $nOut \rceil \text{ entries per row set to 0})",
        R"(\sigma = $std)"},
       in_keras({spelling("random_normal", {{"mean", "0.0"}, {"stddev", "$p.std"}}, "no Keras initializer zeroes a fraction ($v.sparsity) of each column as sparse_ does")})},
      {"nn_linear_default", "", fan_in_uniform,
       in_keras({spelling("variance_scaling", {{"scale", "1 / 3"}, {"mode", "\"fan_in\""}, {"distribution", "\"uniform\""}}, "U(±1/√fan_in), what nn.Linear draws by itself")})},
      {"scaled_normal", "",
       {R"(W \sim \mathcal{N}(0, \sigma^2),\quad \sigma = \sqrt{\frac{v}{\text{fan\_in}}} = \sqrt{\frac{$p.v}{$nIn}} = $std)"}},
      {"standard_uniform", "", fan_in_uniform},
      {"lsuv", "",
       {R"(W = \text{orthogonal, then } W \leftarrow W/\sqrt{\mathrm{Var}(z)} \text{ until } |\mathrm{Var}(z) - 1| < \text{tol})",
        R"(\sigma = $std \text{ after the rescaling})"},
       json{{"standIn", "LSUV rescales each layer on data after an orthogonal start"}}},
  };
}

// Every row gets its page columns; PyTorch rows are called as nn.init.<name> (but
// nn_linear_default, what nn.Linear does by itself).
std::vector<InitializerInfo> with_page_columns(std::vector<InitializerInfo> table) {
  for (auto& cols : page_columns()) {
    for (auto& info : table) {
      if (info.name != cols.name) continue;
      info.keras_class = cols.keras_class;
      info.tex = cols.tex;
      info.equivalents = cols.equivalents;
      if (info.framework == "pytorch" && info.name != "nn_linear_default")
        info.pytorch_function = "nn.init." + info.name;
    }
  }
  for (auto& info : table) {
    if (info.name != "variance_scaling") continue;
    info.tex_param = "distribution";
    for (const auto& d : kDistributions)
      info.tex_cases.push_back(
          {d, variance_scaling_tex(R"(\text{scale})", "$p.scale", "$fan", "$fanValue",
                                   d == "normal" ? "truncated_normal" : d)});
  }
  return table;
}

}  // namespace

nlohmann::json initializer_page_columns(const InitializerInfo& info) {
  nlohmann::json by = nullptr;
  if (!info.tex_param.empty()) {
    nlohmann::json cases = nlohmann::json::object();
    for (const auto& c : info.tex_cases) cases[c.first] = c.second;
    by = {{"param", info.tex_param}, {"cases", cases}};
  }
  return {{"kerasClass", info.keras_class.empty() ? nlohmann::json(nullptr) : nlohmann::json(info.keras_class)},
          {"pytorchFunction", info.pytorch_function.empty() ? nlohmann::json(nullptr)
                                                            : nlohmann::json(info.pytorch_function)},
          {"tex", info.tex},
          {"texByParam", by},
          {"equivalents", info.equivalents}};
}

const std::vector<InitializerInfo>& initializers() {
  static const std::vector<InitializerInfo> table = with_page_columns(build_table());
  return table;
}

}  // namespace initscope
