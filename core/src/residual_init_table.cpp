// THE table of residual initializations (residual_init.hpp): each row's paper, formula,
// params and what it does to a block's gate and tensors.
#include "initscope/residual_init.hpp"

#include <cmath>
#include <limits>

namespace initscope {

namespace {

double gate_zero(const Params&) { return 0; }
double gate_one(const Params&) { return 1; }
double gate_param(const Params& p) { return p.number("alpha"); }

ResidualScaling keep(const Params&, int, int) { return {}; }
ResidualScaling zero_last(const Params&, int, int) { return {1, 0, 1, 1}; }
// Fixup's L^(-1/(2m-2)) with m = 2 is L^(-1/2): a square root, the same bits in every
// build (m is 1 or 2; with 1 there is no layer before the last to scale).
ResidualScaling fixup(const Params&, int blocks, int m) {
  const double first = m >= 2 ? 1.0 / std::sqrt(static_cast<double>(blocks)) : 1.0;
  return {first, 0, 0, 0};
}
ResidualScaling gpt2(const Params& p, int blocks, int) {
  return {1, 1.0 / std::sqrt(p.number("branchesPerLayer") * blocks), 1, 1};
}

Status skipinit_bound(const Params& p, int blocks, const std::string& path) {
  const double alpha = p.number("alpha"), bound = 1.0 / std::sqrt(static_cast<double>(blocks));
  if (alpha <= bound) return std::nullopt;
  return make_error(field_path(path, "alpha"),
                    number_text(alpha) + " is not allowed; SkipInit starts each gate at most " +
                        "1/sqrt(L) = " + number_text(bound) + " for this network's L = " +
                        std::to_string(blocks) + (blocks == 1 ? " block" : " blocks"));
}

}  // namespace

const std::vector<ResidualInitInfo>& residual_inits() {
  static const std::vector<ResidualInitInfo> table = [] {
    std::vector<ResidualInitInfo> t;
    auto row = [&](const char* name) -> ResidualInitInfo& {
      t.emplace_back();
      t.back().name = name;
      t.back().scaling = keep;
      return t.back();
    };
    {
      ResidualInitInfo& r = row("none");
      r.formula = "every tensor as its initializer samples it";
      r.doc = "The blocks start as their initializers and their own gate and alpha keys say.";
      r.tex = {"x_{l+1} = x_l + \\alpha\\, f_l(x_l),\\quad f_l \\text{ as sampled},\\quad L = $L"};
    }
    {
      ResidualInitInfo& r = row("zero-last");
      r.paper = "zero-initialized last layer of each residual branch (Goyal et al. 2017 zero "
                "the last BatchNorm gain of each block; Zhang et al. 2019, Fixup)";
      r.formula = "W_last = 0 in every block";
      r.doc = "The last dense layer of each branch (W2, or W1 with branch 1) starts at 0, so "
              "each block starts as x + α·b_last: with zero biases and activationAt before, the "
              "identity.";
      r.tex = {"W_{\\text{last}} = 0 \\text{ in each of the } L = $L \\text{ blocks}",
               "x_{l+1} = x_l + \\alpha\\,(0 \\cdot h + b_{\\text{last}})"};
      r.scaling = zero_last;
    }
    {
      ResidualInitInfo& r = row("fixup");
      r.paper = "Zhang, Dauphin & Ma, \"Fixup initialization: residual learning without "
                "normalization\", ICLR 2019";
      r.formula = "W_i ← L^(-1/(2m-2))·W_i for the branch's layers before the last; W_last = 0; "
                  "biases 0; gate trainable at 1; output layer's W = 0";
      r.doc = "Scales each branch's weights before its last layer by L^(-1/(2m-2)) (L blocks, m "
              "dense layers per branch: L^(-1/2) with branch 2; with branch 1 there is no such "
              "layer, only the last is zeroed); starts each branch's last layer and the output "
              "layer's weights at 0 (Fixup zeroes the classification layer), the block's biases "
              "at 0 (the paper's scalar biases) and the gate, a trainable scalar multiplier, at 1.";
      r.tex = {"W_{i<m} \\leftarrow L^{-1/(2m-2)}\\, W_{i<m}",
               "L = $L,\\ m = $m:\\quad L^{-1/(2m-2)} = $factor",
               "W_m = 0,\\quad b = 0,\\quad W_{\\text{out}} = 0",
               "\\alpha = 1 \\text{ (trainable)}"};
      r.sets_gate = true;
      r.gate = gate_one;
      r.scaling = fixup;
      r.factor = "first";
    }
    {
      ResidualInitInfo& r = row("skipinit");
      r.paper = "De & Smith, \"Batch normalization biases residual blocks towards the identity "
                "function in deep networks\", NeurIPS 2020";
      r.formula = "x + α·f(x), α trainable, starting at alpha ≤ 1/sqrt(L)";
      r.doc = "A trainable scalar gate on each branch's output, starting at alpha (0 by "
              "default; the paper allows at most 1/sqrt(L) for L blocks, checked against this "
              "network's L), so that the network starts close to the identity without "
              "normalization.";
      r.tex = {"x_{l+1} = x_l + \\alpha_l\\, f_l(x_l),\\quad \\alpha_l \\text{ trainable}",
               "\\alpha_l = $p.alpha \\le 1/\\sqrt{L} = 1/\\sqrt{$L}"};
      r.params = {number_param("alpha", 0, 0, 1,
                               "the gate's initial value; at most 1/sqrt(L) for L blocks")};
      r.sets_gate = true;
      r.gate = gate_param;
      r.validate = skipinit_bound;
    }
    {
      ResidualInitInfo& r = row("rezero");
      r.paper = "Bachlechner, Majumder, Mao, Cottrell & McAuley, \"ReZero is all you need: fast "
                "convergence at large depth\", 2020";
      r.formula = "x + α·f(x), α trainable, starting at 0";
      r.doc = "A trainable scalar gate on each branch, starting at 0: every block starts as the "
              "identity and the gates grow as the network trains. ReZero also drops the "
              "normalization layers; this scheme does not remove a block's norm.";
      r.tex = {"x_{l+1} = x_l + \\alpha_l\\, f_l(x_l),\\quad \\alpha_l = 0 \\text{ (trainable)}"};
      r.sets_gate = true;
      r.gate = gate_zero;
    }
    {
      ResidualInitInfo& r = row("gpt2");
      r.paper = "Radford, Wu, Child, Luan, Amodei & Sutskever, \"Language models are "
                "unsupervised multitask learners\", 2019";
      r.formula = "W_last ← W_last / sqrt(branchesPerLayer·L)";
      r.doc = "Scales each branch's last layer's sampled weights by 1/sqrt(branchesPerLayer·L). "
              "The paper says 1/sqrt(N) for N residual layers; GPT-2's code writes std "
              "0.02/sqrt(2·n_layer) because each transformer layer holds two residual "
              "branches (attention and MLP). Here each block is one branch: branchesPerLayer 2 "
              "follows the code with n_layer = L, 1 the paper with N = L.";
      r.tex = {"W_{\\text{last}} \\leftarrow W_{\\text{last}} / \\sqrt{$p.branchesPerLayer \\cdot L}",
               "1/\\sqrt{$p.branchesPerLayer \\cdot $L} = $factor"};
      r.params = {integer_param("branchesPerLayer", 2, 1, 2,
                                "residual branches counted per layer: 2 as GPT-2's code "
                                "(attention and MLP), 1 as the paper's N = L")};
      r.scaling = gpt2;
      r.factor = "last";
    }
    return t;
  }();
  return table;
}

Status parse_residual_init(const nlohmann::json& value, const std::string& path,
                           ResidualInitSpec& out) {
  const std::vector<std::string> names = names_of(residual_inits());
  const NamedSpelling spelling{names,
                               "a residual initialization (one of " + join(names) +
                                   ") or an object {\"name\": ...}",
                               "", ""};
  std::string name;
  nlohmann::json object;
  if (auto e = parse_named(value, path, spelling, name, object)) return e;
  ResidualInitSpec spec;
  spec.name = name;
  if (auto e = parse_params(object, find_by_name(residual_inits(), name)->params, path, {"name"},
                            spec.params))
    return e;
  out = spec;
  return std::nullopt;
}

nlohmann::json residual_init_to_json(const ResidualInitSpec& spec) {
  nlohmann::json j{{"name", spec.name}};
  for (const auto& p : find_by_name(residual_inits(), spec.name)->params) {
    if (p.kind == ParamKind::integer)
      j[p.name] = static_cast<long long>(spec.params.number(p.name));
    else
      j[p.name] = spec.params.number(p.name);
  }
  return j;
}

nlohmann::json residual_inits_schema() {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : residual_inits())
    rows.push_back({{"name", r.name},
                    {"paper", r.paper},
                    {"formula", r.formula},
                    {"doc", r.doc},
                    {"tex", r.tex},
                    {"params", params_schema(r.params)},
                    {"setsGate", r.sets_gate},
                    {"factor", r.factor.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.factor)}});
  return rows;
}

ResidualScaling residual_scaling(const ResidualInitSpec& spec, int blocks, int m) {
  const ResidualInitInfo* row = find_by_name(residual_inits(), spec.name);
  return row ? row->scaling(spec.params, blocks, m) : ResidualScaling{};
}

double residual_tensor_factor(const ResidualScaling& s, int branch, const std::string& tensor) {
  if (tensor == "W1") return branch == 2 ? s.first : s.last;
  if (tensor == "W2") return s.last;
  if (tensor == "b1" || tensor == "b2") return s.biases;
  return 1;
}

double residual_factor(const ResidualInitSpec& spec, int blocks, int m) {
  const ResidualInitInfo* row = find_by_name(residual_inits(), spec.name);
  if (!row || row->factor.empty() || (row->factor == "first" && m < 2))
    return std::numeric_limits<double>::quiet_NaN();
  const ResidualScaling s = row->scaling(spec.params, blocks, m);
  return row->factor == "first" ? s.first : s.last;
}

}  // namespace initscope
