// One seeded generator of our own and our own samplers, so that native (libstdc++) and
// wasm (libc++) builds draw the same numbers: never std::*_distribution or xt::random.
// Samplers use only +, *, /, sqrt and log: sqrt is exact in IEEE arithmetic and log
// may differ by an ulp between libms, which float32 storage almost always absorbs.
#pragma once
#include <cstdint>

namespace initscope {

// PCG32 (O'Neill 2014): 64-bit LCG state, XSH-RR output. `stream` selects one of 2^63
// independent sequences, so each layer can draw from its own without coordination.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0, std::uint64_t stream = 0);

  std::uint32_t next_u32();
  // Uniform on [0, 1) with 53 random bits.
  double uniform01();
  // Uniform on [a, b) (a < b); never returns b. Returns a when the range is empty.
  double uniform(double a, double b);
  // Uniform integer on [0, n); 0 when n is 0.
  std::uint32_t below(std::uint32_t n);
  // Standard normal (Marsaglia's polar method; the second value is kept for the next call).
  double normal();
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  // Keras semantics: a normal with parent stddev s around mean, redrawn until it lies
  // strictly within mean ± 2s.
  double truncated_normal(double mean, double s);
  // PyTorch trunc_normal_ semantics: N(mean, std) conditioned on the absolute interval
  // [a, b]. Rejection from the normal when [a, b] holds >= 30% of its mass, otherwise
  // rejection from a uniform proposal on [a, b] (exact in both cases).
  double truncated_normal(double mean, double stddev, double a, double b);

  // Everything the generator holds, so that a saved run draws on where it stopped.
  struct State {
    std::uint64_t state = 0, inc = 1;
    bool has_spare = false;
    double spare = 0.0;
  };
  State state() const { return {state_, inc_, has_spare_, spare_}; }
  static Rng from_state(const State& s) {
    Rng r;
    r.state_ = s.state;
    r.inc_ = s.inc | 1u;  // PCG's increment is odd
    r.has_spare_ = s.has_spare;
    r.spare_ = s.spare;
    return r;
  }

 private:
  std::uint64_t state_ = 0;
  std::uint64_t inc_ = 1;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

// Standard normal CDF, used by samplers and tests.
double normal_cdf(double x);

}  // namespace initscope
