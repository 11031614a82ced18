#include "initscope/limits.hpp"

#include <stdexcept>

namespace initscope {

const std::vector<ParamSpec>& limit_specs() {
  static const std::vector<ParamSpec> rows = {
      integer_param("stepsPerCall", 1, 0, 1000000,
                    "optimizer steps one run.step(n) call takes (n); longer trainings call it "
                    "again"),
      integer_param("cliSteps", 1000, 0, 100000000,
                    "optimizer steps the CLI's run command trains (--steps), in calls of at "
                    "most stepsPerCall"),
      integer_param("gridResolution", 64, 2, 512,
                    "points per side of run.decisionGrid(resolution, extent)"),
      number_param("gridExtent", 0, 0, 1e6,
                   "half the side of the decision grid's square, in raw data coordinates (0 "
                   "in the JS API: the data set's own extent)",
                   true),
      integer_param("gradientPoints", 256, 3, 2048,
                    "points on the line of run.gradientLine(options) (points)"),
      integer_param("gradientAxis", -1, -1, 1000000,
                    "the input column that line runs along (axis; -1: the first column whose "
                    "training values are not all equal)"),
      integer_param("gradientSeed", 0, 0, 2147483647,
                    "seed of the line's per-layer random projections (seed)"),
      integer_param("jacobianProbes", 8, 1, 64,
                    "training rows (the first ones) whose input-output Jacobian "
                    "run.jacobianSpectrum(options) takes (probes)"),
      integer_param("jacobianBins", 30, 4, 200,
                    "bins of that spectrum's histogram of log10 of the singular values (bins)"),
      integer_param("jacobianUnits", 512, 512, 512,
                    "the most units of the last hidden layer, and the most input columns, "
                    "whose Jacobian run.jacobianSpectrum computes"),
      integer_param("linkStep", 0, 0, 1000000,
                    "the step a link's step= trains to on opening (0: it opens at step 0)"),
      integer_param("untilStep", 0, 0, 10000000,
                    "the step Play pauses at (until=; 0: it plays on)"),
      integer_param("sweepSteps", 1000, 0, 1000000,
                    "optimizer steps of each cell of a sweep"),
      number_param("sweepWeight", 0, -1e6, 1e6,
                   "a constant weight or bias a sweep's weight or bias axis sets"),
  };
  return rows;
}

const ParamSpec& limit(const std::string& name) {
  const ParamSpec* row = find_by_name(limit_specs(), name);
  if (!row) throw std::logic_error("no limit named " + name);
  return *row;
}

nlohmann::json limits_schema() {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& row : limit_specs()) out[row.name] = param_schema(row);
  return out;
}

}  // namespace initscope
