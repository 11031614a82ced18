// Named parameters described by a table row (ParamSpec). The same rows drive JSON
// parsing with field-path errors, the schema the page builds its controls from, and docs.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/error.hpp"

namespace initscope {

enum class ParamKind { number, integer, choice };

struct ParamSpec {
  std::string name;  // JSON key
  ParamKind kind = ParamKind::number;
  double default_value = 0.0;  // for a choice: ignored, see default_choice
  double min = 0.0, max = 0.0;  // allowed range (number, integer)
  bool min_open = false, max_open = false;  // exclusive bounds, e.g. stddev > 0
  std::vector<std::string> choices;  // for a choice
  std::string default_choice;
  std::string doc;  // one line for the page and the README
  bool required = false;  // no default: the user must give it (e.g. PyTorch constant_'s val)
};

// Convenience constructors that keep the tables readable.
ParamSpec number_param(std::string name, double def, double min, double max, std::string doc,
                       bool min_open = false, bool max_open = false);
ParamSpec integer_param(std::string name, int def, int min, int max, std::string doc);
ParamSpec choice_param(std::string name, std::vector<std::string> choices, std::string def,
                       std::string doc);

// Parsed values, defaults filled in. Lookups of names the table does not hold are
// programming errors (std::map::at).
struct Params {
  std::map<std::string, double> numbers;  // number and integer params
  std::map<std::string, std::string> choices;
  double number(const std::string& name) const { return numbers.at(name); }
  const std::string& choice(const std::string& name) const { return choices.at(name); }
};

// Every spec at its default.
Params default_params(const std::vector<ParamSpec>& specs);

// Reads the specs' keys from a JSON object into `out` (defaults for missing keys).
// Keys of `obj` that are neither specs nor listed in `other_keys` are errors, so a typo
// never passes silently. `path` is the object's field path, e.g. "layers[0].init".
Status parse_params(const nlohmann::json& obj, const std::vector<ParamSpec>& specs,
                    const std::string& path, const std::vector<std::string>& other_keys,
                    Params& out);

// Checks one value against one spec (used by parse_params and by config fields).
Status check_param(const ParamSpec& spec, const nlohmann::json& value, const std::string& path);

// What the spec allows, in words: "a number > 0", "an integer from 1 to 1024",
// "one of relu, tanh".
std::string describe_allowed(const ParamSpec& spec);

// A JSON value as the user typed it, for error messages (strings quoted, long ones cut at
// a character boundary: cut_text).
std::string show_value(const nlohmann::json& value);

// A number as the user would type it, for messages: 10 significant digits, "nan", "inf",
// "-inf" (JSON has no spelling for those).
std::string number_text(double x);

nlohmann::json param_schema(const ParamSpec& spec);
nlohmann::json params_schema(const std::vector<ParamSpec>& specs);

// Joins names for messages: "a, b, c".
std::string join(const std::vector<std::string>& names, const std::string& sep = ", ");

// The path of a key inside an object: ("layers[0]", "init") → "layers[0].init";
// ("", "seed") → "seed". A long key is cut as show_value cuts.
std::string field_path(const std::string& path, const std::string& key);

// A field that names a row of a table: a bare name ("relu") or an object with a "name" and
// the row's params ({"name": "leaky_relu", "alpha": 0.1}). The tables differ only in the
// words of their errors, which this says.
struct NamedSpelling {
  std::vector<std::string> names;  // the table's names
  // What a value that is neither a string nor an object should have been, e.g. "an
  // activation name (one of relu, ...) or an object {\"name\": ...}".
  std::string expected;
  // "": an unknown name is `"x" is not allowed; expected one of a, b`; else, e.g.
  // "initializer": `unknown initializer "x"; allowed: a, b`.
  std::string unknown_noun;
  // "": an object without "name" is an error; else the name it stands for.
  std::string default_name;
};

// Reads the row's name (checked against spelling.names) and the object its params are read
// from (an empty object for a bare name; it may hold "name"). Errors name `path` for a bare
// name and `path.name` for an object's name.
Status parse_named(const nlohmann::json& value, const std::string& path,
                   const NamedSpelling& spelling, std::string& name, nlohmann::json& params);

// Every table (initializers, activations, losses, optimizers, data sets) has rows with a
// `name`: the names in table order, and the row of a name (nullptr if none).
template <class Row>
std::vector<std::string> names_of(const std::vector<Row>& rows) {
  std::vector<std::string> names;
  for (const auto& row : rows) names.push_back(row.name);
  return names;
}
template <class Row>
const Row* find_by_name(const std::vector<Row>& rows, const std::string& name) {
  for (const auto& row : rows)
    if (row.name == name) return &row;
  return nullptr;
}

}  // namespace initscope
