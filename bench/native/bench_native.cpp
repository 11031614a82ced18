// The native benchmark driver: the same engine (core/) as the wasm module, timed on the
// same configs. It speaks JSON lines on stdin/stdout so that bench/run.mjs can interleave
// it with the other engines round by round:
//   {"cmd": "prepare", "id": 1, "config": "C1", "json": {...engine config...}}
//   {"cmd": "measure", "id": 2, "config": "C1", "ms": 500}
//   {"cmd": "snapshot", "id": 3, "config": "C1", "reps": 200}
//   {"cmd": "check", "id": 4, "json": {...}, "steps": 200}   (a fresh run's loss after N steps)
// and answers {"id": 1, "result": {...}} or {"id": 1, "error": "..."} per line.
// Built by the native CMake tree (targets bench_native and bench_native_v2, not part of
// `all`): see CMakeLists.txt and bench/run.mjs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/run.hpp"

using initscope::Run;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Prepared {
  std::unique_ptr<Run> run;
  int k = 1;  // steps per call, as the JS side calibrates it (about 2 ms per call)
};

int calibrate(Run& run, double target_ms = 2.0) {
  for (int k = 1;; k *= 4) {
    auto t0 = Clock::now();
    run.step(k);
    double dt = ms_since(t0);
    if (dt >= target_ms / 4 || k >= (1 << 20))
      return std::max(1, static_cast<int>(std::lround(k * target_ms / std::max(dt, 1e-3))));
  }
}

std::string target_name() {
#if defined(__AVX512F__)
  return "avx512";
#elif defined(__AVX2__)
  return "avx2";
#elif defined(__AVX__)
  return "avx";
#elif defined(__SSE4_2__)
  return "sse4.2";
#else
  return "sse2";
#endif
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::map<std::string, Prepared> runs;
  std::cout << json{{"ready", true}, {"target", target_name()}}.dump() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    json msg = json::parse(line, nullptr, false);
    json reply = {{"id", msg.value("id", 0)}};
    const std::string cmd = msg.value("cmd", "");
    const std::string id = msg.value("config", "");
    if (cmd == "quit") break;
    if (cmd == "check") {
      // A fresh run of the config, `steps` steps: the loss, to compare builds bit for bit.
      std::unique_ptr<Run> run;
      if (auto e = Run::create(msg["json"].dump(), run)) {
        reply["error"] = e->field + ": " + e->message;
      } else {
        auto r = run->step(msg.value("steps", 200));
        reply["result"] = {{"loss", r.loss}, {"step", r.step}};
      }
      std::cout << reply.dump() << std::endl;
      continue;
    }
    if (cmd == "prepare") {
      Prepared p;
      if (auto e = Run::create(msg["json"].dump(), p.run)) {
        reply["error"] = e->field + ": " + e->message;
      } else {
        // The same warm-up as the JS side: 1.5 s of single steps.
        auto t0 = Clock::now();
        while (ms_since(t0) < 1500) p.run->step(1);
        p.k = calibrate(*p.run);
        reply["result"] = {{"stepsPerCall", p.k}, {"target", target_name()}};
        runs[id] = std::move(p);
      }
    } else if (runs.count(id) == 0) {
      reply["error"] = "config " + id + " was not prepared";
    } else if (cmd == "measure") {
      Prepared& p = runs[id];
      const double ms = msg.value("ms", 500.0);
      long steps = 0;
      auto t0 = Clock::now();
      double elapsed = 0;
      do {
        p.run->step(p.k);
        steps += p.k;
        elapsed = ms_since(t0);
      } while (elapsed < ms);
      auto r = p.run->step(1);
      if (r.diverged || !std::isfinite(r.loss))
        reply["error"] = id + " diverged";
      else
        reply["result"] = {{"stepsPerSec", steps * 1000.0 / elapsed}, {"stepsPerCall", p.k}};
    } else if (cmd == "snapshot") {
      Prepared& p = runs[id];
      const int reps = msg.value("reps", 200);
      for (int i = 0; i < 20; ++i) p.run->snapshot();
      std::vector<double> times;
      for (int i = 0; i < reps; ++i) {
        auto t0 = Clock::now();
        auto s = p.run->snapshot();
        times.push_back(ms_since(t0));
      }
      std::sort(times.begin(), times.end());
      reply["result"] = {{"medianMs", times[times.size() / 2]}};
    } else {
      reply["error"] = "unknown command " + cmd;
    }
    std::cout << reply.dump() << std::endl;
  }
  return 0;
}
