// Generators of the synthetic data sets (internal to data_make.cpp and its tests via
// make_dataset). Each draws n rows from `rng` alone.
#pragma once
#include <string>
#include <vector>

#include "initscope/rng.hpp"
#include "initscope/tensor.hpp"

namespace initscope {
namespace synthetic {

// name: circles, moons, spiral, gaussians, quadrants, linear, gaussian (dim columns,
// labels uniform over `classes`; the other sets ignore dim and classes).
// Returns false for a name that is not a generated set (xor and the real sets are not).
bool generate(const std::string& name, int n, double noise, int dim, int classes, Rng& rng,
              Matrix& x, std::vector<int>& y);

}  // namespace synthetic
}  // namespace initscope
