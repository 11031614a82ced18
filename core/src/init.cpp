// Fans, parsing, shape checks, and fill/moments dispatched through the table (init_table.cpp).
#include "initscope/init.hpp"

#include "init_internal.hpp"
#include "initscope/json_input.hpp"
#include "initscope/text.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace initscope {

Fans compute_fans(const Shape& shape) {
  if (shape.empty()) return {1.0, 1.0};
  if (shape.size() == 1) {
    double n = static_cast<double>(shape[0]);
    return {n, n};
  }
  // A conv kernel (...spatial, in, out): each input feeds the whole receptive field.
  double receptive_field = 1.0;
  for (std::size_t i = 0; i + 2 < shape.size(); ++i)
    receptive_field *= static_cast<double>(shape[i]);
  return {static_cast<double>(shape[shape.size() - 2]) * receptive_field,
          static_cast<double>(shape.back()) * receptive_field};
}

const InitializerInfo* find_initializer(const std::string& name) {
  return find_by_name(initializers(), name);
}



Status parse_init(const nlohmann::json& value, const std::string& path, InitSpec& out) {
  const NamedSpelling spelling{names_of(initializers()),
                               "an initializer name or an object {\"name\": ..., params}",
                               "initializer", ""};
  nlohmann::json params;
  if (auto e = parse_named(value, path, spelling, out.name, params)) return e;
  const InitializerInfo* info = find_initializer(out.name);
  if (auto e = parse_params(params, info->params, path, {"name"}, out.params)) return e;
  if (info->validate)
    if (auto e = info->validate(out.params, path)) return e;
  return std::nullopt;
}

nlohmann::json init_to_json(const InitSpec& spec) {
  nlohmann::json j = {{"name", spec.name}};
  const InitializerInfo* info = find_initializer(spec.name);
  if (!info) return j;
  for (const auto& p : info->params) {
    if (p.kind == ParamKind::choice)
      j[p.name] = spec.params.choice(p.name);
    else if (p.kind == ParamKind::integer)
      j[p.name] = static_cast<long long>(spec.params.number(p.name));
    else
      j[p.name] = spec.params.number(p.name);
  }
  return j;
}

static std::string show_shape(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

Status check_init_shape(const InitSpec& spec, const Shape& shape, const std::string& path) {
  const InitializerInfo* info = find_initializer(spec.name);
  if (!info) return make_error(path, "unknown initializer " + show_value(spec.name));
  int rank = static_cast<int>(shape.size());
  if (rank >= info->min_rank && rank <= info->max_rank) return std::nullopt;
  std::string allowed =
      info->min_rank == info->max_rank
          ? "rank " + std::to_string(info->min_rank)
          : "rank " + std::to_string(info->min_rank) + " to " + std::to_string(info->max_rank);
  return make_error(path, spec.name + " needs a tensor of " + allowed + "; got rank " +
                              std::to_string(rank) + " (shape " + show_shape(shape) + ")");
}

std::optional<ElementLaw> element_law(const InitSpec& spec, const Shape& shape,
                                      const Fans& layer) {
  const InitializerInfo* info = find_initializer(spec.name);
  if (!info || !info->law) return std::nullopt;
  return info->law(spec.params, shape, layer);
}

static std::size_t element_count(const Shape& shape) {
  return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

void fill(const InitSpec& spec, const Shape& shape, const Fans& layer, Rng& rng, float* out) {
  const InitializerInfo* info = find_initializer(spec.name);
  if (!info) return;
  if (info->law)
    fill_law(info->law(spec.params, shape, layer), element_count(shape), rng, out);
  else
    info->sample(spec.params, shape, rng, out);
}

Moments init_moments(const InitSpec& spec, const Shape& shape, const Fans& layer) {
  const InitializerInfo* info = find_initializer(spec.name);
  if (!info) return {};
  if (info->law) return law_moments(info->law(spec.params, shape, layer));
  return info->moments(spec.params, shape);
}

std::optional<VarianceScaling> variance_scaling_of(const InitSpec& spec) {
  const InitializerInfo* info = find_initializer(spec.name);
  if (!info || !info->variance_scaling) return std::nullopt;
  return info->variance_scaling(spec.params);
}

InitSpec variance_scaling_spec(const VarianceScaling& vs) {
  InitSpec out;
  // Cannot fail for the table's own modes and distributions.
  parse_init({{"name", "variance_scaling"}, {"scale", vs.scale}, {"mode", vs.mode},
              {"distribution", vs.distribution}},
             "", out);
  return out;
}

std::string variance_scaling_json(const std::string& init_json) {
  nlohmann::json value;
  InitSpec spec;
  Status e = parse_json_input(init_json, "init", "the initializer", value);
  if (!e) e = parse_init(value, "init", spec);
  if (e) return error_json(*e);
  std::optional<VarianceScaling> vs = variance_scaling_of(spec);
  return json_text({{"init", vs ? init_to_json(variance_scaling_spec(*vs)) : nlohmann::json(nullptr)}});
}

nlohmann::json initializers_schema() {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& info : initializers()) {
    nlohmann::json vs = nullptr;
    InitSpec defaults;
    if (info.variance_scaling && !parse_init(info.name, "", defaults)) {
      VarianceScaling v = info.variance_scaling(defaults.params);
      vs = {{"scale", v.scale}, {"mode", v.mode}, {"distribution", v.distribution}};
    }
    arr.push_back({{"name", info.name},
                   {"framework", info.framework},
                   {"formula", info.formula},
                   {"doc", info.doc},
                   {"params", params_schema(info.params)},
                   {"minRank", info.min_rank},
                   {"maxRank", info.max_rank},
                   {"varianceScaling", vs},
                   {"gainParam", info.gain_param.empty() ? nlohmann::json(nullptr)
                                                         : nlohmann::json(info.gain_param)}});
    arr.back().update(initializer_page_columns(info));
  }
  return arr;
}

}  // namespace initscope
