// THE table of residual initializations (residual_init.hpp): each row's name, params and
// what it does to a block's gate and tensors. Its words (paper, formula, doc, TeX) are
// wasm/residualInitText.mjs, keyed by these names.
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
    row("none");
    {
      ResidualInitInfo& r = row("zero-last");
      r.scaling = zero_last;
    }
    {
      ResidualInitInfo& r = row("fixup");
      r.sets_gate = true;
      r.gate = gate_one;
      r.scaling = fixup;
      r.factor = "first";
    }
    {
      ResidualInitInfo& r = row("skipinit");
      r.params = {number_param("alpha", 0, 0, 1,
                               "the gate's initial value; at most 1/sqrt(L) for L blocks")};
      r.sets_gate = true;
      r.gate = gate_param;
      r.validate = skipinit_bound;
    }
    {
      ResidualInitInfo& r = row("rezero");
      r.sets_gate = true;
      r.gate = gate_zero;
    }
    {
      ResidualInitInfo& r = row("gpt2");
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
