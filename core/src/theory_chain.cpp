#include "theory_chain.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace initscope {

namespace {

constexpr std::size_t kCells = 192;  // per state; 0 is a cell edge (relu's kink)
constexpr double kReach = 7.0;       // a Gaussian's mass past 7 sd is 1.3e-12
constexpr double kTail = 1e-12;      // tails with less mass do not widen the next grid

double normal_cdf(double t) { return 0.5 * std::erfc(-t * 0.70710678118654752440); }

// Cells of width h covering [lo, hi], one edge at 0 (the edge k0·h from the left).
void place(double lo, double hi, double& first_edge, double& h) {
  if (!(hi > lo)) {
    const double pad = 1e-6 * (1.0 + std::abs(lo));
    lo -= pad;
    hi += pad;
  }
  h = (hi - lo) / static_cast<double>(kCells - 1);
  const double k0 = std::ceil(-lo / h);
  first_edge = -(k0 * h);
}

// A cell's mass sits uniformly in it: its image through ψ spreads as wide as ψ moves the
// cell's edges (the within-cell variance a point per cell would drop at every step).
double spread2(const ActivationSpec& psi, double c, double h) {
  const double d = activate<double>(psi, c + 0.5 * h) - activate<double>(psi, c - 0.5 * h);
  return d * d / 12.0;
}

}  // namespace

UnitChain::UnitChain(double mean, double variance, const ActivationSpec& psi) {
  broken_ = !std::isfinite(mean) || !std::isfinite(variance);
  State s;
  const double sd = std::sqrt(std::max(0.0, variance));
  place(mean - kReach * sd, mean + kReach * sd, s.lo, s.h);
  s.mass.assign(kCells, 0.0);
  s.psi = psi;
  std::vector<double> row(kCells, 0.0);
  std::size_t first = 0, last = 0;
  transfer(mean, variance, s, row, first, last);
  for (std::size_t j = first; j <= last; ++j) s.mass[j] = row[j];
  states_.push_back(std::move(s));
  summarize();
}

void UnitChain::transfer(double x, double noise, const State& to, std::vector<double>& row,
                         std::size_t& first, std::size_t& last) {
  auto cell = [&](double y) {
    const double i = std::floor((y - to.lo) / to.h);
    return i > 0.0 ? static_cast<std::size_t>(std::min(i, static_cast<double>(kCells - 1))) : 0;
  };
  if (!(noise > 0.0)) {
    first = last = cell(x);
    row[first] = 1.0;
    return;
  }
  const double s = std::sqrt(noise);
  first = cell(x - kReach * s);
  last = cell(x + kReach * s);
  double below = normal_cdf((to.lo + static_cast<double>(first) * to.h - x) / s);
  for (std::size_t j = first; j <= last; ++j) {
    const double above = normal_cdf((to.lo + static_cast<double>(j + 1) * to.h - x) / s);
    row[j] = above - below;
    below = above;
  }
}

void UnitChain::step(double noise, double beta, const ActivationSpec& psi) {
  broken_ = broken_ || !std::isfinite(noise) || !std::isfinite(beta);
  if (broken_) {  // an overflowed moment: no grid to place, NaN from here on
    states_.push_back(states_.back());
    states_.back().beta = beta;
    mean_ = second_ = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  const State& from = states_.back();
  // The next grid spans the sources beyond each kTail of mass (the cells past it land in
  // the end cells), widened by the noise.
  std::size_t lo_cell = 0, hi_cell = kCells - 1;
  for (double tail = from.mass[0]; lo_cell + 1 < kCells && tail < kTail;) tail += from.mass[++lo_cell];
  for (double tail = from.mass[kCells - 1]; hi_cell > lo_cell && tail < kTail;) tail += from.mass[--hi_cell];
  double lo = 0, hi = 0, reach = 0;
  bool any = false;
  for (std::size_t i = lo_cell; i <= hi_cell; ++i) {
    const double x = activate<double>(from.psi, from.center(i));
    const double r = kReach * std::sqrt(noise + spread2(from.psi, from.center(i), from.h));
    lo = any ? std::min(lo, x) : x;
    hi = any ? std::max(hi, x) : x;
    reach = std::max(reach, r);
    any = true;
  }
  if (!std::isfinite(lo - reach) || !std::isfinite(hi + reach)) {
    broken_ = true;
    step(noise, beta, psi);
    return;
  }
  State to;
  place(lo - reach, hi + reach, to.lo, to.h);
  to.mass.assign(kCells, 0.0);
  to.psi = psi;
  to.noise = noise;
  to.beta = beta;
  std::vector<double> row(kCells, 0.0);
  std::size_t first = 0, last = 0;
  double x_row = 0, noise_row = -1;  // the row's source: cells ψ maps alike share it
  // Raw loop: the sum over source cells in index order fixes the bits.
  for (std::size_t i = 0; i < kCells; ++i) {
    if (from.mass[i] == 0.0) continue;
    const double c = from.center(i);
    const double x = activate<double>(from.psi, c), sn = noise + spread2(from.psi, c, from.h);
    if (x != x_row || sn != noise_row) transfer(x, sn, to, row, first, last);
    x_row = x;
    noise_row = sn;
    for (std::size_t j = first; j <= last; ++j) to.mass[j] += from.mass[i] * row[j];
  }
  states_.push_back(std::move(to));
  summarize();
}

void UnitChain::summarize() {
  if (broken_) {
    mean_ = second_ = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  const State& s = states_.back();
  mean_ = second_ = 0.0;
  for (std::size_t i = 0; i < kCells; ++i) {
    const double a = activate<double>(s.psi, s.center(i));
    mean_ += s.mass[i] * a;
    second_ += s.mass[i] * (a * a + spread2(s.psi, s.center(i), s.h));
  }
}

std::vector<double> UnitChain::backward(double top_grad2) const {
  const std::size_t K = states_.size() - 1;
  if (broken_) return std::vector<double>(K + 1, std::numeric_limits<double>::quiet_NaN());
  std::vector<double> u(K + 1, 0.0), v(kCells, 0.0), next(kCells, 0.0), row(kCells, 0.0);
  auto close = [&](std::size_t k) {  // v ← ψ_k'² ⊙ v, and its mean under the law
    const State& s = states_[k];
    for (std::size_t i = 0; i < kCells; ++i) {
      const double d = activate_derivative<double>(s.psi, s.center(i));
      v[i] *= d * d;
      u[k] += s.mass[i] * v[i];
    }
  };
  v.assign(kCells, top_grad2);
  close(K);
  for (std::size_t k = K; k-- > 0;) {
    const State& s = states_[k];
    const State& to = states_[k + 1];
    next.swap(v);
    std::size_t first = 0, last = 0;
    double x_row = 0, noise_row = -1;
    for (std::size_t i = 0; i < kCells; ++i) {
      const double c = s.center(i);
      const double x = activate<double>(s.psi, c), sn = to.noise + spread2(s.psi, c, s.h);
      if (x != x_row || sn != noise_row) transfer(x, sn, to, row, first, last);
      x_row = x;
      noise_row = sn;
      double e = 0.0;
      for (std::size_t j = first; j <= last; ++j) e += row[j] * next[j];
      v[i] = e + to.beta * u[k + 1];
    }
    close(k);
  }
  return u;
}

}  // namespace initscope
