// Losses, fused with their output activation where that makes them numerically stable:
// binary cross-entropy from the logits of a sigmoid output, cross-entropy from the logits
// of a softmax output, mean squared error from the output activations of any output.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/activation.hpp"
#include "initscope/error.hpp"
#include "initscope/tensor.hpp"

namespace initscope {

enum class Loss { mse, bce, cross_entropy };  // config names "mse", "bce", "cross_entropy"

struct LossInfo {
  Loss kind;
  std::string name;     // "cross_entropy"
  std::string formula;  // L as text for the page
  std::string doc;
  Activation required_output;  // the output activation the loss is fused with
  bool any_output;             // true: required_output is ignored (mse)
};

// The table: one row per Loss, in enum order.
const std::vector<LossInfo>& losses();
const LossInfo* find_loss(const std::string& name);
// Accepts "mse", "bce" or "cross_entropy". Errors name `path`, the value and the names.
Status parse_loss(const nlohmann::json& value, const std::string& path, Loss& out);
// [{name, formula, doc, requiredOutput (a name, or null for any), anyOutput}, ...]
nlohmann::json losses_schema();

// The output units the engine accepts with `loss` on data of `num_classes` classes: one
// per class for cross_entropy, and for mse on more than two classes; else one. 0: the
// loss does not take that many classes (bce beyond 2). validate_against_data checks it,
// and the schema lists it per loss (outputUnits), so the page never repeats the rule.
int output_units(Loss loss, int num_classes);

// True when loss_forward_backward's gradient is dL/dz (bce, cross_entropy: the output
// activation's backward is skipped), false when it is dL/da (mse).
bool loss_grad_is_logit(Loss kind);

// z: output logits, a: output activations, targets, grad: views of (rows, cols).
// Targets are 0/1 for bce (cols = 1; more columns are independent labels), one-hot rows
// (or any rows of probabilities) for cross_entropy, real values for mse.
// bce and cross_entropy read only z (a may view nothing), mse reads only a (z may).
// Returns the mean loss over the batch (mse and bce: the mean over all rows·cols elements,
// as Keras; cross_entropy: the mean over rows of the per-row sum) and writes grad = dL/dz
// (bce, cross_entropy) or dL/da (mse) of that mean. Sums are accumulated in double, and
// any finite logits give a finite loss: |z| = 1e4 gives a loss near 1e4, never inf.
// rows = 0 returns 0. No allocation.
// Float for runs, double for gradient checks.
double loss_forward_backward(Loss kind, const MatrixView<const float>& z,
                             const MatrixView<const float>& a,
                             const MatrixView<const float>& targets, MatrixView<float> grad);
double loss_forward_backward(Loss kind, const MatrixView<const double>& z,
                             const MatrixView<const double>& a,
                             const MatrixView<const double>& targets,
                             MatrixView<double> grad);
// The same loss without the gradient.
double loss_value(Loss kind, const MatrixView<const float>& z, const MatrixView<const float>& a,
                  const MatrixView<const float>& targets);
double loss_value(Loss kind, const MatrixView<const double>& z, const MatrixView<const double>& a,
                  const MatrixView<const double>& targets);

// Fraction of correct predictions, in [0, 1] (0 for rows = 0). bce, and mse with one
// output column, threshold both a and the target at 0.5 (a > 0.5 means class 1) and
// compare element-wise; otherwise the argmax of each row of a is compared with the
// target's argmax (the first maximum on ties).
double accuracy(Loss kind, const MatrixView<const float>& a, const MatrixView<const float>& targets);
double accuracy(Loss kind, const MatrixView<const double>& a,
                const MatrixView<const double>& targets);

}  // namespace initscope
