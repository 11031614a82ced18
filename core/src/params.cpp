#include "initscope/params.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "initscope/text.hpp"

namespace initscope {

ParamSpec number_param(std::string name, double def, double min, double max, std::string doc,
                       bool min_open, bool max_open) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = ParamKind::number;
  s.default_value = def;
  s.min = min;
  s.max = max;
  s.min_open = min_open;
  s.max_open = max_open;
  s.doc = std::move(doc);
  return s;
}

ParamSpec integer_param(std::string name, int def, int min, int max, std::string doc) {
  ParamSpec s = number_param(std::move(name), def, min, max, std::move(doc));
  s.kind = ParamKind::integer;
  return s;
}

ParamSpec choice_param(std::string name, std::vector<std::string> choices, std::string def,
                       std::string doc) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = ParamKind::choice;
  s.choices = std::move(choices);
  s.default_choice = std::move(def);
  s.doc = std::move(doc);
  return s;
}

std::string field_path(const std::string& path, const std::string& key) {
  const std::string shown = cut_text(key);  // an unknown key can be any length
  return path.empty() ? shown : path + "." + shown;
}

std::string join(const std::vector<std::string>& names, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += sep;
    out += names[i];
  }
  return out;
}

// snprintf, not an ostringstream: the same text ("%.10g" is what a stream with precision
// 10 prints) without pulling iostreams and locales into the wasm module (~55 KB of code).
std::string number_text(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", x);
  return text;
}

std::string show_value(const nlohmann::json& value) {
  return cut_text(value.is_discarded() ? "invalid JSON" : json_text(value));
}

std::string describe_allowed(const ParamSpec& spec) {
  if (spec.kind == ParamKind::choice) return "one of " + join(spec.choices);
  std::string what = spec.kind == ParamKind::integer ? "an integer" : "a number";
  bool has_min = std::isfinite(spec.min), has_max = std::isfinite(spec.max);
  if (has_min && has_max && !spec.min_open && !spec.max_open)
    return what + " from " + number_text(spec.min) + " to " + number_text(spec.max);
  std::string out = what;
  if (has_min) out += std::string(spec.min_open ? " > " : " >= ") + number_text(spec.min);
  if (has_min && has_max) out += " and";
  if (has_max) out += std::string(spec.max_open ? " < " : " <= ") + number_text(spec.max);
  if (!has_min && !has_max) out += " (finite)";
  return out;
}

Status check_param(const ParamSpec& spec, const nlohmann::json& value, const std::string& path) {
  auto bad = [&]() {
    return make_error(path, show_value(value) + " is not allowed; expected " +
                                describe_allowed(spec));
  };
  if (spec.kind == ParamKind::choice) {
    if (!value.is_string()) return bad();
    const auto& s = value.get_ref<const std::string&>();
    if (std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end())
      return bad();
    return std::nullopt;
  }
  if (!value.is_number()) return bad();
  double x = value.get<double>();
  if (!std::isfinite(x)) return bad();
  if (spec.kind == ParamKind::integer && x != std::floor(x)) return bad();
  if (std::isfinite(spec.min) && (spec.min_open ? x <= spec.min : x < spec.min)) return bad();
  if (std::isfinite(spec.max) && (spec.max_open ? x >= spec.max : x > spec.max)) return bad();
  return std::nullopt;
}

Params default_params(const std::vector<ParamSpec>& specs) {
  Params p;
  for (const auto& s : specs) {
    if (s.kind == ParamKind::choice)
      p.choices[s.name] = s.default_choice;
    else
      p.numbers[s.name] = s.default_value;
  }
  return p;
}

Status parse_params(const nlohmann::json& obj, const std::vector<ParamSpec>& specs,
                    const std::string& path, const std::vector<std::string>& other_keys,
                    Params& out) {
  out = default_params(specs);
  if (!obj.is_object())
    return make_error(path, show_value(obj) + " is not allowed; expected an object");
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& key = it.key();
    std::string field = field_path(path, key);
    auto spec = std::find_if(specs.begin(), specs.end(),
                             [&](const ParamSpec& s) { return s.name == key; });
    if (spec == specs.end()) {
      if (std::find(other_keys.begin(), other_keys.end(), key) != other_keys.end()) continue;
      std::vector<std::string> allowed = other_keys;
      for (const auto& s : specs) allowed.push_back(s.name);
      return make_error(field, "unknown key; allowed keys here: " +
                                   (allowed.empty() ? std::string("none") : join(allowed)));
    }
    if (auto e = check_param(*spec, it.value(), field)) return e;
    if (spec->kind == ParamKind::choice)
      out.choices[key] = it.value().get<std::string>();
    else
      out.numbers[key] = it.value().get<double>();
  }
  for (const auto& s : specs) {
    if (s.required && !obj.contains(s.name))
      return make_error(field_path(path, s.name),
                        "is required; expected " + describe_allowed(s));
  }
  return std::nullopt;
}

Status parse_named(const nlohmann::json& value, const std::string& path,
                   const NamedSpelling& spelling, std::string& name, nlohmann::json& params) {
  const std::string one_of = "one of " + join(spelling.names);
  auto known = [&](const nlohmann::json& v, const std::string& where) -> Status {
    const bool listed =
        v.is_string() && std::find(spelling.names.begin(), spelling.names.end(),
                                   v.get_ref<const std::string&>()) != spelling.names.end();
    if (listed) return std::nullopt;
    if (!spelling.unknown_noun.empty() && v.is_string())
      return make_error(where, "unknown " + spelling.unknown_noun + " " + show_value(v) +
                                   "; allowed: " + join(spelling.names));
    return make_error(where, show_value(v) + " is not allowed; expected " + one_of);
  };
  if (value.is_string()) {
    if (auto e = known(value, path)) return e;
    name = value.get<std::string>();
    params = nlohmann::json::object();
    return std::nullopt;
  }
  if (!value.is_object())
    return make_error(path, show_value(value) + " is not allowed; expected " + spelling.expected);
  auto it = value.find("name");
  if (it == value.end()) {
    if (spelling.default_name.empty())
      return make_error(field_path(path, "name"), "is required; expected " + one_of);
    name = spelling.default_name;
  } else {
    if (auto e = known(*it, field_path(path, "name"))) return e;
    name = it->get<std::string>();
  }
  params = value;
  return std::nullopt;
}

static nlohmann::json bound(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

nlohmann::json param_schema(const ParamSpec& spec) {
  nlohmann::json j;
  j["name"] = spec.name;
  j["doc"] = spec.doc;
  switch (spec.kind) {
    case ParamKind::choice:
      j["type"] = "choice";
      j["choices"] = spec.choices;
      j["default"] = spec.default_choice;
      break;
    case ParamKind::integer:
    case ParamKind::number:
      j["type"] = spec.kind == ParamKind::integer ? "integer" : "number";
      j["default"] = spec.default_value;
      j["min"] = bound(spec.min);
      j["max"] = bound(spec.max);
      j["minExclusive"] = spec.min_open;
      j["maxExclusive"] = spec.max_open;
      break;
  }
  j["allowed"] = describe_allowed(spec);
  j["required"] = spec.required;
  return j;
}

nlohmann::json params_schema(const std::vector<ParamSpec>& specs) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& s : specs) arr.push_back(param_schema(s));
  return arr;
}

}  // namespace initscope
