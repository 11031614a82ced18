#include <doctest/doctest.h>

#include <vector>

#include "initscope/limits.hpp"
#include "initscope/schema.hpp"
#include "make_run.hpp"

using namespace initscope;
using nlohmann::json;

TEST_CASE("every limit row reaches the schema with its range and its words") {
  const json limits = schema()["limits"];
  REQUIRE(limits.size() == limit_specs().size());
  for (const auto& row : limit_specs()) {
    const json& shown = limits.at(row.name);
    CHECK(shown["min"] == row.min);
    CHECK(shown["max"] == row.max);
    CHECK(shown["default"] == row.default_value);
    CHECK(shown["allowed"] == describe_allowed(row));
  }
  CHECK(limit("stepsPerCall").max >= limit("stepsPerCall").default_value);
  CHECK(limit("cliSteps").max >= limit("stepsPerCall").max);
}

TEST_CASE("the decision grid takes its bounds from the limit rows and refuses just beyond them") {
  auto run = make_run({{"data", "circles"}});
  std::vector<float> grid;
  const ParamSpec& resolution = limit("gridResolution");
  const ParamSpec& extent = limit("gridExtent");
  CHECK_FALSE(run->decision_grid(static_cast<int>(resolution.min), extent.max, grid));
  CHECK(grid.size() == static_cast<std::size_t>(resolution.min * resolution.min));
  CHECK_FALSE(run->decision_grid(static_cast<int>(resolution.max), 1.5, grid));
  auto e = run->decision_grid(static_cast<int>(resolution.max) + 1, 1.5, grid);
  REQUIRE(e);
  CHECK(e->message == "resolution: 513 is not allowed; expected " + describe_allowed(resolution));
  e = run->decision_grid(8, extent.max * 2, grid);
  REQUIRE(e);
  CHECK(e->message == "extent: 2000000.0 is not allowed; expected " + describe_allowed(extent));
  CHECK(run->decision_grid(8, 0, grid)->field == "extent");  // 0 means "the data's own" in JS only
}
