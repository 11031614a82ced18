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

void sample_keras_orthogonal(const Params& p, const Shape& s, Rng& rng, VectorView<float> out) {
  sample_orthogonal(keras_rows(s), s.back(), p.number("gain"), rng, out.data());
}
Moments keras_orthogonal_moments(const Params& p, const Shape& s) {
  return orthogonal_moments(keras_rows(s), s.back(), p.number("gain"));
}
void sample_orthogonal_(const Params& p, const Shape& s, Rng& rng, VectorView<float> out) {
  sample_orthogonal(s[0], s[1], p.number("gain"), rng, out.data());
}
Moments orthogonal_moments_(const Params& p, const Shape& s) {
  return orthogonal_moments(s[0], s[1], p.number("gain"));
}
void sample_lsuv(const Params&, const Shape& s, Rng& rng, VectorView<float> out) {
  sample_orthogonal(s[0], s[1], 1.0, rng, out.data());
}
Moments lsuv_moments(const Params&, const Shape& s) { return orthogonal_moments(s[0], s[1], 1.0); }
void sample_identity(const Params& p, const Shape& s, Rng&, VectorView<float> out) {
  fill_identity(s[0], s[1], p.number("gain"), out.data());
}
Moments identity_moments_(const Params& p, const Shape& s) {
  return identity_moments(s[0], s[1], p.number("gain"));
}
void sample_eye(const Params&, const Shape& s, Rng&, VectorView<float> out) { fill_identity(s[0], s[1], 1.0, out.data()); }
Moments eye_moments(const Params&, const Shape& s) { return identity_moments(s[0], s[1], 1.0); }
void sample_sparse_(const Params& p, const Shape& s, Rng& rng, VectorView<float> out) {
  sample_sparse(s[0], s[1], p.number("sparsity"), p.number("std"), rng, out.data());
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
using SampleFn = void (*)(const Params&, const Shape&, Rng&, VectorView<float>);
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
// Per row, what InitializerInfo documents for the page and the code generator: kerasClass,
// pytorchFunction, tex (placeholders: see InitializerInfo::tex), texByParam and
// equivalents, each left out when the row has none. JSON text rather than code that builds
// it: the module is smaller, the columns are the same. A row's TeX is in JSON strings, so
// its backslashes are doubled.
constexpr const char* kPageColumns = R"json({
  "zeros": {
    "kerasClass": "Zeros",
    "tex": [
      "W = 0",
      "\\sigma = 0"],
    "equivalents": {"pytorch":[{"args":[],"name":"zeros_"}]}},
  "ones": {
    "kerasClass": "Ones",
    "tex": [
      "W = 1",
      "\\sigma = 0"],
    "equivalents": {"pytorch":[{"args":[],"name":"ones_"}]}},
  "constant": {
    "kerasClass": "Constant",
    "tex": [
      "W = \\text{value} = $p.value",
      "\\sigma = 0"],
    "equivalents": {"pytorch":[{"args":[["val","$p.value"]],"name":"constant_"}]}},
  "random_normal": {
    "kerasClass": "RandomNormal",
    "tex": [
      "W \\sim \\mathcal{N}(\\mu, \\sigma^2),\\quad \\mu = $p.mean",
      "\\sigma = $std \\text{ whatever the fans}"],
    "equivalents": {"pytorch":[{"args":[["mean","$p.mean"],["std","$p.stddev"]],"name":"normal_"}]}},
  "random_uniform": {
    "kerasClass": "RandomUniform",
    "tex": [
      "W \\sim U[$p.minval, $p.maxval)",
      "\\sigma = (b-a)/\\sqrt{12} = $std"],
    "equivalents": {"pytorch":[{"args":[["a","$p.minval"],["b","$p.maxval"]],"name":"uniform_"}]}},
  "truncated_normal": {
    "kerasClass": "TruncatedNormal",
    "tex": [
      "W \\sim \\mathcal{N}(\\mu, s^2) \\text{ cut at } \\mu \\pm 2s,\\quad s = $p.stddev",
      "\\sigma = 0.8796\\, s = $std"],
    "equivalents": {"pytorch":[{"args":[["mean","$p.mean"],["std","$p.stddev"],["a","$p.mean - 2 * $p.stddev"],["b","$p.mean + 2 * $p.stddev"]],"name":"trunc_normal_"}]}},
  "variance_scaling": {
    "kerasClass": "VarianceScaling",
    "tex": [
      "W \\sim \\mathcal{N}(0, s^2) \\text{ truncated at } \\pm 2s",
      "\\sigma = \\sqrt{\\frac{\\text{scale}}{$fan}} = \\sqrt{\\frac{$p.scale}{$fanValue}} = $std",
      "s = \\sigma/0.8796 = $law.stddev",
      "\\text{cut at } \\pm 2s = \\pm $law.hi"],
    "texByParam": {"param": "distribution", "cases": {
      "normal": [
        "W \\sim \\mathcal{N}(0, s^2) \\text{ truncated at } \\pm 2s",
        "\\sigma = \\sqrt{\\frac{\\text{scale}}{$fan}} = \\sqrt{\\frac{$p.scale}{$fanValue}} = $std",
        "s = \\sigma/0.8796 = $law.stddev",
        "\\text{cut at } \\pm 2s = \\pm $law.hi"],
      "truncated_normal": [
        "W \\sim \\mathcal{N}(0, s^2) \\text{ truncated at } \\pm 2s",
        "\\sigma = \\sqrt{\\frac{\\text{scale}}{$fan}} = \\sqrt{\\frac{$p.scale}{$fanValue}} = $std",
        "s = \\sigma/0.8796 = $law.stddev",
        "\\text{cut at } \\pm 2s = \\pm $law.hi"],
      "uniform": [
        "W \\sim U(-L, L),\\quad L = \\sqrt{\\frac{3\\cdot \\text{scale}}{$fan}} = \\sqrt{\\frac{3\\cdot $p.scale}{$fanValue}} = $law.hi",
        "\\sigma = L/\\sqrt{3} = $std"],
      "untruncated_normal": [
        "W \\sim \\mathcal{N}(0, \\sigma^2)",
        "\\sigma = \\sqrt{\\frac{\\text{scale}}{$fan}} = \\sqrt{\\frac{$p.scale}{$fanValue}} = $std"]}}},
  "glorot_uniform": {
    "kerasClass": "GlorotUniform",
    "tex": [
      "W \\sim U(-L, L),\\quad L = \\sqrt{\\frac{6}{\\text{fan\\_in}+\\text{fan\\_out}}} = \\sqrt{\\frac{6}{$nIn+$nOut}} = $law.hi",
      "\\sigma = L/\\sqrt{3} = $std"],
    "equivalents": {"pytorch":[{"args":[],"name":"xavier_uniform_"}]}},
  "glorot_normal": {
    "kerasClass": "GlorotNormal",
    "tex": [
      "W \\sim \\mathcal{N}(0, s^2) \\text{ truncated at } \\pm 2s",
      "\\sigma = \\sqrt{\\frac{2}{\\text{fan\\_in}+\\text{fan\\_out}}} = \\sqrt{\\frac{2}{$nIn+$nOut}} = $std",
      "s = \\sigma/0.8796 = $law.stddev",
      "\\text{cut at } \\pm 2s = \\pm $law.hi"],
    "equivalents": {"pytorch":[{"args":[],"exact":true,"name":"xavier_normal_","note":"Keras's GlorotNormal draws a normal truncated at ±2s, s = σ/0.8796, so that its std is σ; nn.init draws an untruncated normal with the same σ (values beyond ±2s occur)"}]}},
  "he_uniform": {
    "kerasClass": "HeUniform",
    "tex": [
      "W \\sim U(-L, L),\\quad L = \\sqrt{\\frac{3\\cdot 2}{\\text{fan\\_in}}} = \\sqrt{\\frac{3\\cdot 2}{$nIn}} = $law.hi",
      "\\sigma = L/\\sqrt{3} = $std"],
    "equivalents": {"pytorch":[{"args":[["mode","\"fan_in\""],["nonlinearity","\"relu\""]],"name":"kaiming_uniform_"}]}},
  "he_normal": {
    "kerasClass": "HeNormal",
    "tex": [
      "W \\sim \\mathcal{N}(0, s^2) \\text{ truncated at } \\pm 2s",
      "\\sigma = \\sqrt{\\frac{2}{\\text{fan\\_in}}} = \\sqrt{\\frac{2}{$nIn}} = $std",
      "s = \\sigma/0.8796 = $law.stddev",
      "\\text{cut at } \\pm 2s = \\pm $law.hi"],
    "equivalents": {"pytorch":[{"args":[["mode","\"fan_in\""],["nonlinearity","\"relu\""]],"exact":true,"name":"kaiming_normal_","note":"Keras's HeNormal draws a normal truncated at ±2s, s = σ/0.8796, so that its std is σ; nn.init draws an untruncated normal with the same σ (values beyond ±2s occur)"}]}},
  "lecun_uniform": {
    "kerasClass": "LecunUniform",
    "tex": [
      "W \\sim U(-L, L),\\quad L = \\sqrt{\\frac{3\\cdot 1}{\\text{fan\\_in}}} = \\sqrt{\\frac{3\\cdot 1}{$nIn}} = $law.hi",
      "\\sigma = L/\\sqrt{3} = $std"],
    "equivalents": {"pytorch":[{"args":[["mode","\"fan_in\""],["nonlinearity","\"linear\""]],"name":"kaiming_uniform_"}]}},
  "lecun_normal": {
    "kerasClass": "LecunNormal",
    "tex": [
      "W \\sim \\mathcal{N}(0, s^2) \\text{ truncated at } \\pm 2s",
      "\\sigma = \\sqrt{\\frac{1}{\\text{fan\\_in}}} = \\sqrt{\\frac{1}{$nIn}} = $std",
      "s = \\sigma/0.8796 = $law.stddev",
      "\\text{cut at } \\pm 2s = \\pm $law.hi"],
    "equivalents": {"pytorch":[{"args":[["mode","\"fan_in\""],["nonlinearity","\"linear\""]],"exact":true,"name":"kaiming_normal_","note":"Keras's LecunNormal draws a normal truncated at ±2s, s = σ/0.8796, so that its std is σ; nn.init draws an untruncated normal with the same σ (values beyond ±2s occur)"}]}},
  "orthogonal": {
    "kerasClass": "Orthogonal",
    "tex": [
      "W = g\\,Q,\\quad Q^\\top Q = I,\\quad g = $p.gain",
      "\\sigma = $std \\;(\\text{every singular value } = g)"],
    "equivalents": {"pytorch":[{"args":[["gain","$p.gain"]],"name":"orthogonal_","note":"the same law (Haar-orthogonal times gain), other draws"}]}},
  "identity": {
    "kerasClass": "Identity",
    "tex": [
      "W = g\\, I_{$nIn\\times $nOut},\\quad g = $p.gain",
      "\\sigma = $std"],
    "equivalents": {"pytorch":[{"args":[],"name":"eye_","when":{"is":1,"param":"gain"}},{"args":[],"name":"eye_","then":"mul_($p.gain)"}]}},
  "uniform_": {
    "pytorchFunction": "nn.init.uniform_",
    "tex": [
      "W \\sim U[$p.a, $p.b)",
      "\\sigma = (b-a)/\\sqrt{12} = $std"],
    "equivalents": {"keras":[{"args":[["minval","$p.a"],["maxval","$p.b"]],"name":"random_uniform"}]}},
  "normal_": {
    "pytorchFunction": "nn.init.normal_",
    "tex": [
      "W \\sim \\mathcal{N}(\\mu, \\sigma^2),\\quad \\mu = $p.mean",
      "\\sigma = $std \\text{ whatever the fans}"],
    "equivalents": {"keras":[{"args":[["mean","$p.mean"],["stddev","$p.std"]],"name":"random_normal"}]}},
  "trunc_normal_": {
    "pytorchFunction": "nn.init.trunc_normal_",
    "tex": [
      "W \\sim \\mathcal{N}(\\mu, s^2) \\text{ restricted to } [$p.a, $p.b],\\quad s = $p.std",
      "\\sigma = $std"],
    "equivalents": {"keras":[{"args":[["mean","$p.mean"],["stddev","$p.std"]],"name":"truncated_normal","when":{"cutAtTwoStd":true}},{"args":[["mean","$p.mean"],["stddev","$p.std"]],"name":"truncated_normal","note":"Keras cuts at mean ± 2·stddev; trunc_normal_ here cuts at [$v.a, $v.b]"}]}},
  "constant_": {
    "pytorchFunction": "nn.init.constant_",
    "tex": [
      "W = \\text{val} = $p.val",
      "\\sigma = 0"],
    "equivalents": {"keras":[{"args":[["value","$p.val"]],"name":"constant"}]}},
  "ones_": {
    "pytorchFunction": "nn.init.ones_",
    "tex": [
      "W = 1",
      "\\sigma = 0"],
    "equivalents": {"keras":[{"args":[],"name":"ones","string":true}]}},
  "zeros_": {
    "pytorchFunction": "nn.init.zeros_",
    "tex": [
      "W = 0",
      "\\sigma = 0"],
    "equivalents": {"keras":[{"args":[],"name":"zeros","string":true}]}},
  "eye_": {
    "pytorchFunction": "nn.init.eye_",
    "tex": [
      "W = I_{$nIn\\times $nOut}",
      "\\sigma = $std"],
    "equivalents": {"keras":[{"args":[["gain","1.0"]],"name":"identity"}]}},
  "xavier_uniform_": {
    "pytorchFunction": "nn.init.xavier_uniform_",
    "tex": [
      "W \\sim U(-L, L),\\quad L = g\\sqrt{\\frac{6}{\\text{fan\\_in}+\\text{fan\\_out}}} = $p.gain\\sqrt{\\frac{6}{$nIn+$nOut}} = $law.hi",
      "\\sigma = L/\\sqrt{3} = $std"],
    "equivalents": {"keras":[{"args":[],"name":"glorot_uniform","when":{"is":1,"param":"gain"}},{"args":[["scale","$p.gain**2"],["mode","\"fan_avg\""],["distribution","\"uniform\""]],"name":"variance_scaling"}]}},
  "xavier_normal_": {
    "pytorchFunction": "nn.init.xavier_normal_",
    "tex": [
      "W \\sim \\mathcal{N}(0, \\sigma^2),\\quad \\sigma = g\\sqrt{\\frac{2}{\\text{fan\\_in}+\\text{fan\\_out}}} = $p.gain\\sqrt{\\frac{2}{$nIn+$nOut}} = $std"],
    "equivalents": {"keras":[{"args":[["scale","$p.gain**2"],["mode","\"fan_avg\""],["distribution","\"untruncated_normal\""]],"name":"variance_scaling","note":"untruncated, as xavier_normal_ (GlorotNormal would truncate)"}]}},
  "kaiming_uniform_": {
    "pytorchFunction": "nn.init.kaiming_uniform_",
    "tex": [
      "$gainCall",
      "W \\sim U(-L, L),\\quad L = \\frac{\\sqrt{3}\\,\\text{gain}}{\\sqrt{$fan}} = \\frac{\\sqrt{3}\\,\\text{gain}}{\\sqrt{$fanValue}} = $law.hi",
      "\\sigma = L/\\sqrt{3} = $std"],
    "equivalents": {"keras":[{"args":[["scale","$gainSquared"],["mode","$p.mode"],["distribution","\"uniform\""]],"name":"variance_scaling"}]}},
  "kaiming_normal_": {
    "pytorchFunction": "nn.init.kaiming_normal_",
    "tex": [
      "$gainCall",
      "W \\sim \\mathcal{N}(0, \\sigma^2),\\quad \\sigma = \\frac{\\text{gain}}{\\sqrt{$fan}} = \\frac{\\text{gain}}{\\sqrt{$fanValue}} = $std"],
    "equivalents": {"keras":[{"args":[["scale","$gainSquared"],["mode","$p.mode"],["distribution","\"untruncated_normal\""]],"name":"variance_scaling","note":"untruncated, as kaiming_normal_ (HeNormal would truncate)"}]}},
  "orthogonal_": {
    "pytorchFunction": "nn.init.orthogonal_",
    "tex": [
      "W = g\\,Q,\\quad Q^\\top Q = I,\\quad g = $p.gain",
      "\\sigma = $std"],
    "equivalents": {"keras":[{"args":[["gain","$p.gain"]],"name":"orthogonal","note":"the same law (Haar-orthogonal times gain), other draws"}]}},
  "sparse_": {
    "pytorchFunction": "nn.init.sparse_",
    "tex": [
      "W \\sim \\mathcal{N}(0, $p.std^2), \\text{ then } \\lceil $p.sparsity\\cdot $nOut \\rceil \\text{ entries per row set to 0}",
      "\\sigma = $std"],
    "equivalents": {"keras":[{"args":[["mean","0.0"],["stddev","$p.std"]],"name":"random_normal","note":"no Keras initializer zeroes a fraction ($v.sparsity) of each column as sparse_ does"}]}},
  "nn_linear_default": {
    "tex": [
      "W \\sim U(-L, L),\\quad L = \\frac{1}{\\sqrt{\\text{fan\\_in}}} = \\frac{1}{\\sqrt{$nIn}} = $law.hi",
      "\\sigma = L/\\sqrt{3} = $std"],
    "equivalents": {"keras":[{"args":[["scale","1 / 3"],["mode","\"fan_in\""],["distribution","\"uniform\""]],"name":"variance_scaling","note":"U(±1/√fan_in), what nn.Linear draws by itself"}]}},
  "scaled_normal": {
    "tex": [
      "W \\sim \\mathcal{N}(0, \\sigma^2),\\quad \\sigma = \\sqrt{\\frac{v}{\\text{fan\\_in}}} = \\sqrt{\\frac{$p.v}{$nIn}} = $std"]},
  "standard_uniform": {
    "tex": [
      "W \\sim U(-L, L),\\quad L = \\frac{1}{\\sqrt{\\text{fan\\_in}}} = \\frac{1}{\\sqrt{$nIn}} = $law.hi",
      "\\sigma = L/\\sqrt{3} = $std"]},
  "lsuv": {
    "tex": [
      "W = \\text{orthogonal, then } W \\leftarrow W/\\sqrt{\\mathrm{Var}(z)} \\text{ until } |\\mathrm{Var}(z) - 1| < \\text{tol}",
      "\\sigma = $std \\text{ after the rescaling}"],
    "equivalents": {"standIn":"LSUV rescales each layer on data after an orthogonal start"}}
})json";

// Every row gets its page columns.
std::vector<InitializerInfo> with_page_columns(std::vector<InitializerInfo> table) {
  const nlohmann::json columns = nlohmann::json::parse(kPageColumns);
  auto text = [](const nlohmann::json& row, const char* key) {
    auto it = row.find(key);
    return it == row.end() ? std::string() : it->get<std::string>();
  };
  for (auto& info : table) {
    auto row = columns.find(info.name);
    if (row == columns.end()) continue;
    info.keras_class = text(*row, "kerasClass");
    info.pytorch_function = text(*row, "pytorchFunction");
    info.tex = row->value("tex", std::vector<std::string>{});
    info.equivalents = row->value("equivalents", nlohmann::json::object());
    auto by = row->find("texByParam");
    if (by == row->end()) continue;
    info.tex_param = (*by)["param"].get<std::string>();
    for (const auto& [value, lines] : (*by)["cases"].items())
      info.tex_cases.push_back({value, lines.get<std::vector<std::string>>()});
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
