// The coordinate check's numbers (Run::coordinates): each layer's mean |z| and |a| on the
// probe batch now, and the mean |change| since the initial weights, as mup's coordinate
// check measures each module's output (mean of |x| over its entries).
#include <cmath>
#include <utility>

#include "initscope/run.hpp"

namespace initscope {

namespace {

// Mean |x| and mean |x − x0| over n values, in double in index order (a raw loop: the sums'
// order fixes the bits).
std::pair<double, double> mean_abs(const float* x, const float* x0, std::size_t n) {
  double size = 0, change = 0;
  for (std::size_t i = 0; i < n; ++i) {
    size += std::fabs(static_cast<double>(x[i]));
    change += std::fabs(static_cast<double>(x[i]) - x0[i]);
  }
  const double count = static_cast<double>(n > 0 ? n : 1);
  return {size / count, change / count};
}

}  // namespace

std::vector<LayerCoordinates> Run::coordinates() {
  const MatrixView<const float> probe = probe_x();
  const std::size_t layers = net_.num_layers();
  // The probe batch through the initial weights, then through the current ones.
  std::vector<std::vector<float>> z0(layers), a0(layers);
  std::vector<float> current = initial_params_;
  std::swap(net_.params(), current);
  const std::vector<float> state = net_.state();
  net_.set_state(initial_state_);
  net_.forward(probe);
  for (std::size_t l = 0; l < layers; ++l) {
    z0[l].assign(net_.z(l).data(), net_.z(l).data() + net_.z(l).size());
    a0[l].assign(net_.a(l).data(), net_.a(l).data() + net_.a(l).size());
  }
  std::swap(net_.params(), current);
  net_.set_state(state);
  net_.forward(probe);
  std::vector<LayerCoordinates> out(layers);
  for (std::size_t l = 0; l < layers; ++l) {
    std::tie(out[l].z, out[l].z_change) = mean_abs(net_.z(l).data(), z0[l].data(), z0[l].size());
    std::tie(out[l].a, out[l].a_change) = mean_abs(net_.a(l).data(), a0[l].data(), a0[l].size());
  }
  probe_pass();  // the caches as the last snapshot or step left them
  return out;
}

}  // namespace initscope
