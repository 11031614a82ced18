#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "alloc_count.hpp"
#include "initscope/loss.hpp"
#include "initscope/network.hpp"
#include "initscope/rng.hpp"

using namespace initscope;

namespace {

struct Case {
  std::vector<std::size_t> units;
  std::vector<ActivationSpec> activations;
  Loss loss;
};

// Loss of the network on (x, targets), in double.
double loss_of(Network<double>& net, const std::vector<double>& x, const std::vector<double>& t,
               std::size_t rows, Loss loss) {
  net.forward(matrix_view<const double>(x.data(), rows, net.input_dim()));
  std::size_t last = net.num_layers() - 1;
  return loss_value(loss, net.z(last).data(), net.a(last).data(), t.data(), rows, net.output_dim());
}

}  // namespace

TEST_CASE("a hand-computed forward and backward pass") {
  // 2 inputs -> 2 relu units -> 1 linear output, mse on one example.
  Network<double> net(2, {2, 1}, {{Activation::relu, 0}, {Activation::linear, 0}});
  // W0 (fan_in 2, fan_out 2) = [[1, -1], [2, 0.5]], b0 = [0, 0.1]; W1 = [[3], [-2]], b1 = [0.5]
  std::vector<double> p = {1, -1, 2, 0.5, 0, 0.1, 3, -2, 0.5};
  net.params() = p;
  std::vector<double> x = {1, 2};
  net.forward(matrix_view<const double>(x.data(), 1, 2));
  // z0 = [1*1 + 2*2 + 0, 1*-1 + 2*0.5 + 0.1] = [5, 0.1]; a0 = [5, 0.1]
  CHECK(net.z(0)(0, 0) == doctest::Approx(5));
  CHECK(net.z(0)(0, 1) == doctest::Approx(0.1));
  // z1 = 5*3 + 0.1*-2 + 0.5 = 15.3
  CHECK(net.output()(0, 0) == doctest::Approx(15.3));
  // dL/da1 for mse with target 15: 2 * (15.3 - 15) = 0.6
  std::vector<double> g = {0.6};
  net.backward(matrix_view<const double>(g.data(), 1, 1), false);
  // dW1 = a0ᵀ·dz1 = [5*0.6, 0.1*0.6], db1 = 0.6
  CHECK(net.weight_grads(1)(0, 0) == doctest::Approx(3.0));
  CHECK(net.weight_grads(1)(1, 0) == doctest::Approx(0.06));
  CHECK(net.bias_grads(1)(0) == doctest::Approx(0.6));
  // dz0 = relu'(z0) * (dz1 · W1ᵀ) = [0.6*3, 0.6*-2] = [1.8, -1.2]
  CHECK(net.dz(0)(0, 0) == doctest::Approx(1.8));
  CHECK(net.dz(0)(0, 1) == doctest::Approx(-1.2));
  // dW0 = xᵀ·dz0 = [[1.8, -1.2], [3.6, -2.4]]
  CHECK(net.weight_grads(0)(0, 0) == doctest::Approx(1.8));
  CHECK(net.weight_grads(0)(0, 1) == doctest::Approx(-1.2));
  CHECK(net.weight_grads(0)(1, 0) == doctest::Approx(3.6));
  CHECK(net.weight_grads(0)(1, 1) == doctest::Approx(-2.4));
}

TEST_CASE("deep network gradients match finite differences") {
  const std::vector<Case> cases = {
      {{7, 6, 5, 4, 1}, {{Activation::tanh, 0}, {Activation::sigmoid, 0}, {Activation::elu, 1.0},
                         {Activation::gelu, 0}, {Activation::sigmoid, 0}}, Loss::bce},
      {{6, 6, 6, 3}, {{Activation::softplus, 0}, {Activation::swish, 0}, {Activation::selu, 0},
                      {Activation::softmax, 0}}, Loss::cross_entropy},
      {{5, 5, 2}, {{Activation::leaky_relu, 0.1}, {Activation::relu, 0}, {Activation::linear, 0}},
       Loss::mse},
      {{4, 3}, {{Activation::tanh, 0}, {Activation::softmax, 0}}, Loss::mse},
  };
  for (const Case& c : cases) {
    const std::size_t rows = 5, dim = 3;
    Network<double> net(dim, c.units, c.activations);
    Rng rng(11, 0);
    for (double& p : net.params()) p = rng.normal(0, 0.6);
    std::vector<double> x(rows * dim);
    for (double& v : x) v = rng.normal();
    const std::size_t outputs = net.output_dim();
    std::vector<double> t(rows * outputs, 0.0);
    for (std::size_t i = 0; i < rows; ++i) {
      if (c.loss == Loss::mse) {
        for (std::size_t j = 0; j < outputs; ++j) t[i * outputs + j] = rng.normal();
      } else if (outputs == 1) {
        t[i] = static_cast<double>(i % 2);
      } else {
        t[i * outputs + i % outputs] = 1.0;
      }
    }
    net.forward(matrix_view<const double>(x.data(), rows, dim));
    std::vector<double> g(rows * outputs);
    std::size_t last = net.num_layers() - 1;
    loss_forward_backward(c.loss, net.z(last).data(), net.a(last).data(), t.data(), rows, outputs,
                          g.data());
    net.backward(matrix_view<const double>(g.data(), rows, outputs), loss_grad_is_logit(c.loss));
    const std::vector<double> analytic = net.grads();
    double worst = 0;
    std::size_t worst_at = 0;
    for (std::size_t i = 0; i < net.num_params(); ++i) {
      const double h = 1e-6, keep = net.params()[i];
      net.params()[i] = keep + h;
      double up = loss_of(net, x, t, rows, c.loss);
      net.params()[i] = keep - h;
      double down = loss_of(net, x, t, rows, c.loss);
      net.params()[i] = keep;
      double numeric = (up - down) / (2 * h);
      // Central differences in double carry ~ε·|L|/h ≈ 1e-10 of roundoff, so small
      // gradients are compared absolutely and large ones relatively.
      double err = std::fabs(numeric - analytic[i]) / (1e-4 + std::fabs(analytic[i]));
      if (err > worst) {
        worst = err;
        worst_at = i;
      }
    }
    INFO("worst parameter " << worst_at << " of " << net.num_params());
    CHECK(worst < 1e-6);
  }
}

TEST_CASE("the parameter buffer is one block laid out layer by layer") {
  Network<float> net(3, {4, 2}, {{Activation::relu, 0}, {Activation::sigmoid, 0}});
  CHECK(net.num_params() == 3 * 4 + 4 + 4 * 2 + 2);
  CHECK(net.layer(0).w_offset == 0);
  CHECK(net.layer(0).b_offset == 12);
  CHECK(net.layer(1).w_offset == 16);
  CHECK(net.layer(1).b_offset == 24);
  CHECK(net.weights(1).data() == net.params().data() + 16);
  CHECK(net.weights(1).shape()[0] == 4);
  CHECK(net.weights(1).shape()[1] == 2);
  CHECK(net.biases(1).data() == net.params().data() + 24);
  CHECK(net.weight_grads(1).data() == net.grads().data() + 16);
}

namespace {

// The plain loops the blocked products replace: each element summed in this order.
template <class T>
void plain_forward(const T* x, const T* w, const T* b, T* z, std::size_t rows, std::size_t n_in,
                   std::size_t n_out) {
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < n_out; ++j) z[i * n_out + j] = b[j];
    for (std::size_t k = 0; k < n_in; ++k)
      for (std::size_t j = 0; j < n_out; ++j) z[i * n_out + j] += x[i * n_in + k] * w[k * n_out + j];
  }
}

}  // namespace

TEST_CASE("the blocked products give the plain loops' bits for every shape") {
  // Tails of the 4-row tiles and of the vector panels, both orientations, one row, K = 1.
  const std::size_t shapes[][3] = {{1, 1, 1},   {1, 3, 7},    {4, 2, 2},     {5, 9, 1},
                                   {7, 3, 5},   {13, 17, 19}, {300, 2, 10},  {300, 10, 5},
                                   {300, 5, 1}, {64, 33, 70}, {3, 100, 130}, {130, 1, 3}};
  // A top layer of 3 or 7 units: dx's K below and above one 4 × 4 packing block.
  for (const std::size_t top : {3, 7}) {
    for (const auto& s : shapes) {
      const std::size_t rows = s[0], n_in = s[1], n_out = s[2];
      CAPTURE(top);
      CAPTURE(rows);
      CAPTURE(n_in);
      CAPTURE(n_out);
      // Two layers so that dx is computed for the first one's output.
      Network<float> net(n_in, {n_out, top}, {{Activation::linear, 0}, {Activation::linear, 0}});
      Rng rng(5, 1);
      for (float& p : net.params()) p = static_cast<float>(rng.normal());
      std::vector<float> x(rows * n_in), g(rows * top);
      for (float& v : x) v = static_cast<float>(rng.normal());
      for (float& v : g) v = static_cast<float>(rng.normal());
      net.forward(matrix_view<const float>(x.data(), rows, n_in));
      net.backward(matrix_view<const float>(g.data(), rows, top), false);

      std::vector<float> z(rows * n_out), dz1(rows * top), dw0(n_in * n_out, 0.0f), dx(rows * n_out);
      plain_forward(x.data(), net.weights(0).data(), net.biases(0).data(), z.data(), rows, n_in, n_out);
      CHECK(std::memcmp(z.data(), net.z(0).data(), z.size() * sizeof(float)) == 0);
      // dx = dz1·W1ᵀ, summed over j in order; then dz0 = dx (linear), dW0 = xᵀ·dz0 over rows.
      const float* w1 = net.weights(1).data();
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t k = 0; k < n_out; ++k) {
          float sum = 0;
          for (std::size_t j = 0; j < top; ++j) sum += g[i * top + j] * w1[k * top + j];
          dx[i * n_out + k] = sum;
        }
      CHECK(std::memcmp(dx.data(), net.dz(0).data(), dx.size() * sizeof(float)) == 0);
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t k = 0; k < n_in; ++k)
          for (std::size_t j = 0; j < n_out; ++j) dw0[k * n_out + j] += x[i * n_in + k] * dx[i * n_out + j];
      CHECK(std::memcmp(dw0.data(), net.weight_grads(0).data(), dw0.size() * sizeof(float)) == 0);
    }
  }
}

TEST_CASE("forward and backward allocate nothing once the caches are sized") {
  Network<float> net(30, {40, 20, 3}, {{Activation::tanh, 0}, {Activation::relu, 0}, {Activation::softmax, 0}});
  Rng rng(2, 1);
  for (float& p : net.params()) p = static_cast<float>(rng.normal(0, 0.2));
  std::vector<float> x(64 * 30), g(64 * 3, 0.1f);
  for (float& v : x) v = static_cast<float>(rng.normal());
  net.forward(matrix_view<const float>(x.data(), 64, 30));  // sizes the caches for 64 rows
  net.backward(matrix_view<const float>(g.data(), 64, 3), true);
  const long before = initscope_test::allocations;
  for (std::size_t rows : {64, 1, 17, 64}) {
    net.forward(matrix_view<const float>(x.data(), rows, 30));
    net.backward(matrix_view<const float>(g.data(), rows, 3), true);
  }
  CHECK(initscope_test::allocations == before);
}
