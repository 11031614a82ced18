// Counts heap allocations so a test can check that a hot path allocates nothing.
// It replaces the global operator new, so include it in exactly one file of a test
// executable (each tests/core/test_*.cpp is its own executable).
#pragma once
#include <atomic>
#include <cstdlib>
#include <new>

namespace initscope_test {
inline std::atomic<long> allocations{0};
}  // namespace initscope_test

void* operator new(std::size_t n) {
  ++initscope_test::allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
