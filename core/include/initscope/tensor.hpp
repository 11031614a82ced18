// Storage types: float32 for tensors (what the frameworks use), double for statistics.
// Weight layout is (fan_in, fan_out), as in Keras.
#pragma once
#include <cstddef>
#include <vector>

#include <xtensor/xtensor.hpp>

namespace initscope {

using Matrix = xt::xtensor<float, 2>;  // (rows, cols), row-major
using Vector = xt::xtensor<float, 1>;
using Shape = std::vector<std::size_t>;

}  // namespace initscope
