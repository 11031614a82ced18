// The synthetic sets, after scikit-learn (make_circles, make_moons) and TensorFlow
// Playground (spiral, two Gaussians, xor as "quadrants"), drawn from our own Rng only.
// Points are built in double and stored as float32.
#include "data_synthetic.hpp"

#include <cmath>
#include <utility>

namespace initscope {
namespace synthetic {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Rows of `dim` doubles and a label each, appended in generation order.
struct Points {
  int dim = 2;
  std::vector<double> x;
  std::vector<int> y;
  void add(double a, double b, int label) {
    x.push_back(a);
    x.push_back(b);
    y.push_back(label);
  }
  int rows() const { return static_cast<int>(y.size()); }
};

// Fisher-Yates over rows, as sklearn shuffles make_circles/make_moons before the noise.
void shuffle_rows(Points& p, Rng& rng) {
  for (int i = p.rows() - 1; i > 0; --i) {
    int j = static_cast<int>(rng.below(static_cast<std::uint32_t>(i + 1)));
    if (j == i) continue;
    for (int k = 0; k < p.dim; ++k) std::swap(p.x[i * p.dim + k], p.x[j * p.dim + k]);
    std::swap(p.y[i], p.y[j]);
  }
}

void add_gaussian_noise(Points& p, double noise, Rng& rng) {
  for (double& v : p.x) v += noise * rng.normal();
}

// make_circles: n // 2 points on the outer circle (label 0), the rest on the inner one
// (label 1) at angles i * 2pi / count (numpy's linspace without its endpoint).
Points circles(int n, double noise, Rng& rng) {
  Points p;
  const double factor = 0.8;
  int n_out = n / 2, n_in = n - n_out;
  for (int i = 0; i < n_out; ++i) {
    double t = i * (2.0 * kPi / n_out);
    p.add(std::cos(t), std::sin(t), 0);
  }
  for (int i = 0; i < n_in; ++i) {
    double t = i * (2.0 * kPi / n_in);
    p.add(factor * std::cos(t), factor * std::sin(t), 1);
  }
  shuffle_rows(p, rng);
  add_gaussian_noise(p, noise, rng);
  return p;
}

// make_moons: angles from 0 to pi inclusive (numpy's linspace with its endpoint).
Points moons(int n, double noise, Rng& rng) {
  Points p;
  int n_out = n / 2, n_in = n - n_out;
  auto step = [](int count) { return count > 1 ? kPi / (count - 1) : 0.0; };
  for (int i = 0; i < n_out; ++i) {
    double t = i * step(n_out);
    p.add(std::cos(t), std::sin(t), 0);
  }
  for (int i = 0; i < n_in; ++i) {
    double t = i * step(n_in);
    p.add(1.0 - std::cos(t), 1.0 - std::sin(t) - 0.5, 1);
  }
  shuffle_rows(p, rng);
  add_gaussian_noise(p, noise, rng);
  return p;
}

// Playground spiral: point i of m has radius 5 i / m and angle 1.75 * 2pi * i / m + delta,
// jittered uniformly by +-noise per coordinate.
Points spiral(int n, double noise, Rng& rng) {
  Points p;
  auto arm = [&](int m, double delta, int label) {
    for (int i = 0; i < m; ++i) {
      double r = 5.0 * i / m;
      double t = 1.75 * 2.0 * kPi * i / m + delta;
      double a = r * std::sin(t) + noise * rng.uniform(-1.0, 1.0);
      double b = r * std::cos(t) + noise * rng.uniform(-1.0, 1.0);
      p.add(a, b, label);
    }
  };
  int n0 = n / 2;
  arm(n - n0, 0.0, 1);
  arm(n0, kPi, 0);
  shuffle_rows(p, rng);
  return p;
}

// Playground's two Gaussians; `noise` is the standard deviation of each coordinate.
Points gaussians(int n, double noise, Rng& rng) {
  Points p;
  int n0 = n / 2;
  for (int i = 0; i < n; ++i) {
    double c = i < n0 ? -2.0 : 2.0;
    double a = c + noise * rng.normal();
    double b = c + noise * rng.normal();
    p.add(a, b, i < n0 ? 0 : 1);
  }
  shuffle_rows(p, rng);
  return p;
}

// Playground's xor: the label is read at a noisily shifted point, the point is kept.
Points quadrants(int n, double noise, Rng& rng) {
  Points p;
  for (int i = 0; i < n; ++i) {
    double a = rng.uniform(-5.0, 5.0);
    double b = rng.uniform(-5.0, 5.0);
    double da = noise * rng.uniform(-5.0, 5.0);
    double db = noise * rng.uniform(-5.0, 5.0);
    p.add(a, b, (a + da) * (b + db) >= 0.0 ? 1 : 0);
  }
  return p;
}

// Labelled by the line x + y = 0 first, then moved by Gaussian noise.
Points linear(int n, double noise, Rng& rng) {
  Points p;
  for (int i = 0; i < n; ++i) {
    double a = rng.uniform(-5.0, 5.0);
    double b = rng.uniform(-5.0, 5.0);
    int label = a + b > 0.0 ? 1 : 0;
    a += noise * rng.normal();
    b += noise * rng.normal();
    p.add(a, b, label);
  }
  return p;
}

// N(0, 1) inputs of any dimension, labels uniform over `classes` (2: a fair coin, the
// same draws as before the classes param existed).
Points gaussian(int n, int dim, int classes, Rng& rng) {
  Points p;
  p.dim = dim;
  p.x.reserve(static_cast<std::size_t>(n) * dim);
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < dim; ++k) p.x.push_back(rng.normal());
    p.y.push_back(static_cast<int>(rng.below(static_cast<std::uint32_t>(classes))));
  }
  return p;
}

}  // namespace

bool generate(const std::string& name, int n, double noise, int dim, int classes, Rng& rng,
              Matrix& x, std::vector<int>& y) {
  Points p;
  if (name == "circles")
    p = circles(n, noise, rng);
  else if (name == "moons")
    p = moons(n, noise, rng);
  else if (name == "spiral")
    p = spiral(n, noise, rng);
  else if (name == "gaussians")
    p = gaussians(n, noise, rng);
  else if (name == "quadrants")
    p = quadrants(n, noise, rng);
  else if (name == "linear")
    p = linear(n, noise, rng);
  else if (name == "gaussian")
    p = gaussian(n, dim, classes, rng);
  else
    return false;
  x = Matrix::from_shape({static_cast<std::size_t>(p.rows()), static_cast<std::size_t>(p.dim)});
  for (std::size_t i = 0; i < p.x.size(); ++i) x.data()[i] = static_cast<float>(p.x[i]);
  y = std::move(p.y);
  return true;
}

}  // namespace synthetic
}  // namespace initscope
