// THE table of parameterizations (parameterization.hpp): each row's name, title, params and
// multipliers per layer place. Its words (what it does, each place's multipliers as
// formulas and their sources) are wasm/parameterizationText.mjs, keyed by these names.
#include "initscope/parameterization.hpp"

#include <cmath>

#include "initscope/config.hpp"

namespace initscope {

namespace {

LayerMultipliers standard(LayerPlace, double, double, bool) { return {}; }

// NTK as Jacot et al. write it (W ~ N(0, 1), z = W·x / sqrt(n)), measured from baseWidth:
// the stored weights keep the spread they have at baseWidth and the forward pass divides by
// sqrt(m_in). The learning rates are not scaled.
LayerMultipliers ntk(LayerPlace, double m_in, double, bool) {
  LayerMultipliers m;
  m.weight.init = std::sqrt(m_in);
  m.forward = 1 / std::sqrt(m_in);
  return m;
}

// muP as mup writes it: set_base_shapes, MuReadout, MuSGD and MuAdam.
LayerMultipliers mup(LayerPlace place, double m_in, double m_out, bool zero_readout) {
  LayerMultipliers m;
  switch (place) {
    case LayerPlace::input:  // W and b vector-like (one width dimension: fan_out)
      m.weight.sgd_lr = m_out;
      m.bias.sgd_lr = m_out;
      break;
    case LayerPlace::hidden:  // W matrix-like, b vector-like
      m.weight.sgd_lr = m_out / m_in;
      m.weight.adam_lr = 1 / m_in;
      m.bias.init = std::sqrt(m_in);
      m.bias.sgd_lr = m_out;
      break;
    case LayerPlace::output:  // MuReadout: W vector-like (fan_in), b has no width dimension
      m.weight.init = zero_readout ? 0 : std::sqrt(m_in);
      m.bias.init = zero_readout ? 0 : std::sqrt(m_in);
      m.forward = 1 / m_in;
      m.weight.sgd_lr = m_in;
      break;
  }
  return m;
}

ParamSpec base_width_spec() {
  return integer_param("baseWidth", ParameterizationSpec{}.base_width, 1, kMaxUnits,
                       "the width at which the parameterization is the standard one (mup's "
                       "base shapes): m = width / baseWidth");
}

const char* kZeroReadoutDoc =
    "start the output layer's weights and bias at 0 (mup's MuReadout readout_zero_init)";

}  // namespace

const std::vector<ParameterizationInfo>& parameterizations() {
  static const std::vector<ParameterizationInfo> table = [] {
    std::vector<ParameterizationInfo> t;
    {
      ParameterizationInfo r;
      r.name = "standard";
      r.title = "Standard parameterization (SP)";
      r.multipliers = standard;
      t.push_back(r);
    }
    {
      ParameterizationInfo r;
      r.name = "ntk";
      r.title = "Neural tangent kernel parameterization (NTK)";
      r.params = {base_width_spec()};
      r.multipliers = ntk;
      t.push_back(r);
    }
    {
      ParameterizationInfo r;
      r.name = "mup";
      r.title = "Maximal update parameterization (muP)";
      r.params = {base_width_spec()};
      r.zero_readout = true;
      r.multipliers = mup;
      t.push_back(r);
    }
    return t;
  }();
  return table;
}

Status parse_parameterization(const nlohmann::json& value, const std::string& path,
                              ParameterizationSpec& out) {
  const std::vector<std::string> names = names_of(parameterizations());
  const NamedSpelling spelling{names,
                               "a parameterization (one of " + join(names) +
                                   ") or an object {\"name\": ..., \"baseWidth\": ...}",
                               "", ""};
  std::string name;
  nlohmann::json object;
  if (auto e = parse_named(value, path, spelling, name, object)) return e;
  const ParameterizationInfo& row = *find_by_name(parameterizations(), name);
  std::vector<std::string> other{"name"};
  if (row.zero_readout) other.push_back("zeroReadout");
  Params params;
  if (auto e = parse_params(object, row.params, path, other, params)) return e;
  ParameterizationSpec spec;
  spec.name = name;
  if (!row.params.empty()) spec.base_width = static_cast<int>(params.number("baseWidth"));
  if (object.contains("zeroReadout")) {
    const nlohmann::json& z = object["zeroReadout"];
    if (!z.is_boolean())
      return make_error(field_path(path, "zeroReadout"),
                        show_value(z) + " is not allowed; expected true or false");
    spec.zero_readout = z.get<bool>();
  }
  out = spec;
  return std::nullopt;
}

nlohmann::json parameterization_to_json(const ParameterizationSpec& spec) {
  nlohmann::json j{{"name", spec.name}};
  const ParameterizationInfo& row = *find_by_name(parameterizations(), spec.name);
  if (!row.params.empty()) j["baseWidth"] = spec.base_width;
  if (row.zero_readout) j["zeroReadout"] = spec.zero_readout;
  return j;
}

nlohmann::json parameterizations_schema() {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : parameterizations()) {
    nlohmann::json params = params_schema(r.params);
    if (r.zero_readout)
      params.push_back({{"name", "zeroReadout"},
                        {"doc", kZeroReadoutDoc},
                        {"type", "boolean"},
                        {"default", false},
                        {"allowed", "true or false"},
                        {"required", false}});
    rows.push_back({{"name", r.name}, {"title", r.title}, {"params", params}});
  }
  return rows;
}

LayerPlace layer_place(std::size_t l, std::size_t layers) {
  if (l == 0) return LayerPlace::input;
  return l + 1 == layers ? LayerPlace::output : LayerPlace::hidden;
}

LayerMultipliers layer_multipliers(const ParameterizationSpec& spec, std::size_t l,
                                   std::size_t layers, std::size_t fan_in, std::size_t fan_out) {
  const ParameterizationInfo* row = find_by_name(parameterizations(), spec.name);
  if (!row || spec.is_standard()) return {};
  const LayerPlace place = layer_place(l, layers);
  const double base = spec.base_width;
  const double m_in = place == LayerPlace::input ? 1.0 : static_cast<double>(fan_in) / base;
  const double m_out = place == LayerPlace::output ? 1.0 : static_cast<double>(fan_out) / base;
  return row->multipliers(place, m_in, m_out, spec.zero_readout);
}

double lr_multiplier(const TensorMultipliers& m, OptimizerKind kind) {
  const bool adam_like = kind == OptimizerKind::adam || kind == OptimizerKind::rmsprop;
  return adam_like ? m.adam_lr : m.sgd_lr;
}

}  // namespace initscope
