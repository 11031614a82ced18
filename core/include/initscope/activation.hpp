// Activation functions: one table (names, formulas, parameters) and value/derivative
// pairs, templated on the scalar so gradient checks can run in double.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/error.hpp"
#include "initscope/params.hpp"
#include "initscope/tensor.hpp"

namespace initscope {

enum class Activation {
  linear, sigmoid, tanh, relu, leaky_relu, elu, selu, gelu, softplus, swish,
  softmax  // output layer only; rows are normalized together
};

// SELU's fixed point constants (Klambauer et al. 2017), to full double precision.
constexpr double selu_alpha = 1.6732632423543772848170429916717;
constexpr double selu_scale = 1.0507009873554804934193349852946;
// Leaky ReLU's default slope is PyTorch's negative_slope = 0.01 (Keras's LeakyReLU
// defaults to 0.3); PyTorch's gain table for kaiming init assumes 0.01 too.
constexpr double leaky_relu_default_alpha = 0.01;
constexpr double elu_default_alpha = 1.0;

struct ActivationSpec {
  Activation kind = Activation::linear;
  double alpha = 0.0;  // leaky_relu slope / elu alpha; unused otherwise
};

struct ActivationInfo {
  Activation kind;
  std::string name;          // what the config and the page use: "leaky_relu"
  std::string formula;       // φ(z) as text for the page
  std::string derivative;    // φ'(z) as text
  std::vector<ParamSpec> params;  // e.g. alpha
  bool saturating;           // sigmoid/tanh-like: the saturated fraction is meaningful
  bool can_die;              // relu-like: a unit can be zero on the whole batch
  bool output_only;          // softmax
  std::string doc;           // one or two sentences for the page
};

// The table: one row per Activation, in enum order.
const std::vector<ActivationInfo>& activations();
const ActivationInfo& activation_info(Activation kind);
const ActivationInfo* find_activation(const std::string& name);
// A spec with the table's default parameters (leaky_relu: alpha 0.01, elu: alpha 1).
ActivationSpec activation_spec(Activation kind);

// Accepts "relu" or {"name": "leaky_relu", "alpha": 0.2}. Errors name `path`.
Status parse_activation(const nlohmann::json& value, const std::string& path, ActivationSpec& out);
// The inverse of parse_activation: a bare name when the activation has no parameters.
nlohmann::json activation_to_json(const ActivationSpec& spec);
// [{name, formula, derivative, doc, params, saturating, canDie, outputOnly}, ...]
nlohmann::json activations_schema();

// Element-wise value and derivative dφ/dz at z. Stable at any finite z: no overflow to
// inf or NaN (sigmoid, softplus, swish, gelu use forms that never exponentiate a large
// positive number). Softmax has no element-wise form: both return NaN for it.
template <class T> T activate(const ActivationSpec& spec, T z);
template <class T> T activate_derivative(const ActivationSpec& spec, T z);

// Batched, over views of (rows, cols); softmax normalizes each row. Float for runs, double
// for gradient checks. The kernels are loops over the views' memory, 4 floats at a time
// (simd_math.hpp, the same bits in every build); no allocation.
void activation_forward(const ActivationSpec& spec, const MatrixView<const float>& z,
                        MatrixView<float> a);
void activation_forward(const ActivationSpec& spec, const MatrixView<const double>& z,
                        MatrixView<double> a);
// grad_z = dL/dz given grad_a = dL/da, the cached z and a (softmax: the Jacobian-vector
// product per row, grad_z = a ⊙ (grad_a − ⟨a, grad_a⟩); element-wise kinds use z only, so
// the derivative keeps full precision where a has rounded to its limit, e.g. σ(z) = 1).
// grad_z may be grad_a's memory.
void activation_backward(const ActivationSpec& spec, const MatrixView<const float>& z,
                         const MatrixView<const float>& a, const MatrixView<const float>& grad_a,
                         MatrixView<float> grad_z);
void activation_backward(const ActivationSpec& spec, const MatrixView<const double>& z,
                         const MatrixView<const double>& a, const MatrixView<const double>& grad_a,
                         MatrixView<double> grad_z);

}  // namespace initscope
