// Limits of the calls around a run that are not keys of the config: how many steps one
// call takes, how far the CLI, a link and a sweep train, the decision grid's range. One
// spec row each (params.hpp); the engine checks against the row, the schema reports it
// (schema().limits), and the JS API, sweeps, the CLI and the page read it from there (code
// that runs before the engine loads reads wasm/dist/limits.mjs, written from the schema by
// scripts/write-limits.mjs at each wasm build).
#pragma once
#include <string>
#include <vector>

#include "initscope/params.hpp"

namespace initscope {

// The rows, in the order the schema lists them.
const std::vector<ParamSpec>& limit_specs();
// The row of a name the table holds (a name it does not hold is a programming error).
const ParamSpec& limit(const std::string& name);

// {name: param_schema(row), ...} for schema().limits.
nlohmann::json limits_schema();

}  // namespace initscope
