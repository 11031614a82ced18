// Weight initializers of Keras, PyTorch, a teaching course and a paper, under the names their
// users type, with the exact semantics of the Keras and PyTorch sources (keras/initializers,
// torch/nn/init.py).
//
// Layout: a dense weight is (fan_in, fan_out), row-major, as in Keras. PyTorch stores the
// transpose (out, in); we apply PyTorch semantics to the layer's *logical* fans (fan_in =
// number of inputs), never to a transposed tensor, so kaiming_normal_ on our (10, 1000)
// weight means what it means on PyTorch's (1000, 10) nn.Linear(10, 1000).weight.
//
// One table (initializers()) feeds parsing, validation, the schema the page builds its
// controls from, and docs. Errors are values (Status), never exceptions.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/error.hpp"
#include "initscope/params.hpp"
#include "initscope/rng.hpp"
#include "initscope/tensor.hpp"

namespace initscope {

struct Fans {
  double fan_in = 1, fan_out = 1;
};

// Keras compute_fans: rank 2 (in, out) -> (shape[0], shape[1]); rank 1 -> both shape[0];
// rank 0 -> both 1; rank >= 3, a conv kernel (...spatial, in, out) -> both times the
// product of the spatial dims. No clamping here: variance scaling divides by max(1, fan).
Fans compute_fans(const Shape& shape);

// A parsed initializer: a name of the table and every one of its params (defaults filled).
struct InitSpec {
  std::string name;
  Params params;
};

// The law every element is drawn from, for initializers whose elements are i.i.d.
struct ElementLaw {
  enum class Kind {
    constant,          // every element = mean
    uniform,           // U[lo, hi)
    normal,            // N(mean, stddev²)
    truncated_normal,  // N(mean, stddev²) conditioned on the closed [lo, hi] (PyTorch
                       // trunc_normal_: absolute bounds a, b)
    keras_truncated_normal,  // N(mean, stddev²) strictly inside mean ± 2·stddev (Keras; lo and
                             // hi hold those bounds)
  };
  Kind kind = Kind::constant;
  double mean = 0, stddev = 0;  // stddev: of the parent normal when truncated
  double lo = 0, hi = 0;        // support bounds (uniform and both truncated kinds)
};

struct Moments {
  double mean = 0, variance = 0;
};

// Keras VarianceScaling's arguments: Var[w] = scale / n, n the fan that `mode` names
// (fan_in, fan_out, fan_avg), drawn from `distribution` (truncated_normal, its alias normal,
// untruncated_normal, uniform). He, Glorot and LeCun are fixed choices of the three;
// PyTorch's kaiming_* and xavier_* are exact ones with scale = gain² and a normal that is
// not truncated.
struct VarianceScaling {
  double scale = 1;
  std::string mode = "fan_in";
  std::string distribution = "truncated_normal";
};

struct InitializerInfo {
  std::string name;       // exactly what the framework's user types: "he_normal", "kaiming_normal_"
  std::string framework;  // "keras" | "pytorch" | "teaching" | "paper"
  std::string formula;    // as text for the page
  std::string doc;        // one line
  std::vector<ParamSpec> params;
  int min_rank = 0, max_rank = 0;  // ranks of the target tensor it accepts
  // Rules across params (minval < maxval, ...); nullptr when the params' ranges suffice.
  Status (*validate)(const Params& params, const std::string& path) = nullptr;
  // Exactly one of the two ways to sample. I.i.d. initializers give their element law
  // (fill and init_moments follow from it); `layer` are the layer's fans (a bias needs them).
  ElementLaw (*law)(const Params& params, const Shape& shape, const Fans& layer) = nullptr;
  // Structured ones (orthogonal, identity, sparse) sample and give their moments themselves.
  void (*sample)(const Params& params, const Shape& shape, Rng& rng, float* out) = nullptr;
  Moments (*moments)(const Params& params, const Shape& shape) = nullptr;
  // How it is a variance scaling: the variance_scaling arguments that give the same law on
  // every weight matrix, for these params; nullptr when its variance does not follow the
  // layer's fans (zeros, constant, random_normal, orthogonal...).
  VarianceScaling (*variance_scaling)(const Params& params) = nullptr;
  // The param that multiplies every weight of an initializer that is not a variance
  // scaling (orthogonal's gain); "" when there is none.
  std::string gain_param;
  // What the page and the code generator write for it (web/src/formula.js, codegen.js):
  // the Keras class of a Keras row ("HeNormal"), the PyTorch call of a PyTorch row
  // ("nn.init.kaiming_normal_"; "" for nn_linear_default, which nn.Linear does itself).
  std::string keras_class, pytorch_function;
  // The formula in TeX, one line per entry, with one layer's numbers put in by the page:
  // $nIn, $nOut (the fans), $p.NAME (a param's value), $std (the engine's σ), $law.hi,
  // $law.stddev (the element law's bound and parent std), $fan and $fanValue (the fan the
  // mode param names, as a symbol and as a number), $gainCall (calculate_gain's line).
  std::vector<std::string> tex;
  // When the lines depend on a choice param (variance_scaling's distribution): its name and
  // the lines per value; `tex` holds those of the default.
  std::string tex_param;
  std::vector<std::pair<std::string, std::vector<std::string>>> tex_cases;
  // How the other framework draws the same law, for the code generator: {"keras": [...],
  // "pytorch": [...]} (either may be missing: the engine's per-layer law is written out
  // instead), each a list of spellings, the first whose "when" holds is used:
  //   {"name": a row of that framework, "args": [[key, Python]], "note", "then", "string",
  //    "exact", "when": {"param", "is"} | {"cutAtTwoStd": true}}
  // Python and notes hold $p.NAME (a param as a Python literal), $v.NAME (as typed) and
  // $gainSquared (calculate_gain(nonlinearity, a)²). "standIn": why no law can be written.
  nlohmann::json equivalents = nlohmann::json::object();
};

// THE table, in the order the page lists them.
const std::vector<InitializerInfo>& initializers();
const InitializerInfo* find_initializer(const std::string& name);

// Accepts a bare name ("he_normal") or an object ({"name": "variance_scaling", "scale": 2}).
// Checks every param, then the cross-param rules; errors name `path`, the value and what is
// allowed (unknown name: `unknown initializer "x"; allowed: zeros, ones, ...`).
Status parse_init(const nlohmann::json& value, const std::string& path, InitSpec& out);
// Always an object with every param, so it round-trips through parse_init.
nlohmann::json init_to_json(const InitSpec& spec);

// The target's rank must be within the initializer's [min_rank, max_rank] (e.g. orthogonal
// on a bias vector is an error naming `path`, the rank and the ranks allowed).
Status check_init_shape(const InitSpec& spec, const Shape& shape, const std::string& path);

// The element law of `spec` on this target, or nullopt for structured initializers.
std::optional<ElementLaw> element_law(const InitSpec& spec, const Shape& shape, const Fans& layer);

// Fills `out` (row-major, product(shape) floats). Preconditions: `spec` came from parse_init
// and check_init_shape accepted `shape`. Weights take their fans from compute_fans(shape), as
// the frameworks do; `layer` matters only to bias initializers (nn_linear_default on a vector
// is U(±1/√layer.fan_in), PyTorch's nn.Linear bias). Samples are drawn in double and stored
// rounded to float32, redrawn in the rare case rounding would leave the support.
void fill(const InitSpec& spec, const Shape& shape, const Fans& layer, Rng& rng, float* out);

// The exact mean and variance of one element of what fill produces, for an element at a
// uniformly random position (so identity's mean is gain·min(r,c)/(r·c)). The theory overlay
// takes mean² + variance as σ²_w.
Moments init_moments(const InitSpec& spec, const Shape& shape, const Fans& layer);

// PyTorch's calculate_gain (reference §1.4): linear, conv1d..3d, conv_transpose1d..3d and
// sigmoid 1; tanh 5/3; relu √2; leaky_relu √(2/(1+slope²)), slope = param or 0.01; selu 3/4.
// Unknown names and a non-finite param are errors (C++ types already rule out PyTorch's
// bool/non-number param).
Status calculate_gain(const std::string& nonlinearity, std::optional<double> param, double& gain);
// The names calculate_gain accepts, in PyTorch's order.
const std::vector<std::string>& gain_nonlinearities();

// The variance scaling `spec` is, or nullopt (see InitializerInfo::variance_scaling).
std::optional<VarianceScaling> variance_scaling_of(const InitSpec& spec);
// The variance_scaling initializer with these arguments.
InitSpec variance_scaling_spec(const VarianceScaling& vs);
// For the JS API: an initializer as JSON text (a name or an object) -> {"init": the
// variance_scaling object that draws the same weights, or null when it is not a variance
// scaling}, or {"error": {field, message}} for an invalid initializer (fields "init...").
std::string variance_scaling_json(const std::string& init_json);

// [{name, framework, formula, doc, params: params_schema(...), minRank, maxRank,
//   varianceScaling: {scale, mode, distribution} at the default params or null,
//   gainParam: a param name or null, kerasClass, pytorchFunction: a name or null,
//   tex: [lines], texByParam: {param, cases: {value: [lines]}} or null, equivalents}, ...]
nlohmann::json initializers_schema();
// The row's columns for the page and the code generator: kerasClass, pytorchFunction, tex,
// texByParam, equivalents (see InitializerInfo).
nlohmann::json initializer_page_columns(const InitializerInfo& info);

}  // namespace initscope
