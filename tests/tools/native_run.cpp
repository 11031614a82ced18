// native_run: the engine built natively, driven as the wasm tests drive the module, so that
// tests/wasm/native.test.mjs can check that both builds compute the same numbers.
// Built by the native tree (build/native_run), not registered with ctest.
//
//   native_run CONFIG.json [--steps N] [--data] [--gradient-line] [--jacobian]
//                                                   (CONFIG.json "-" reads standard input)
//
// Prints one JSON object: the initial weights, per layer W (fan_in, fan_out) row-major
// flattened and b, then the result of step(N) (default 200) and the evaluation after it:
//   {"layout": "...", "weights": [{"shape": [fanIn, fanOut], "W": [...], "b": [...]}],
//    "steps": N, "step": s, "loss": l, "diverged": null | {...},
//    "evaluation": {"trainLoss", "trainAccuracy", "testLoss", "testAccuracy"}}
// --data adds "data": {"xTrain", "yTrain", "xTest", "yTest"}, the (normalized) data set
// as the network sees it, x row-major (rows, inputDim). --gradient-line adds
// "gradientLine": run.gradientLine() with the default options, after the steps; --jacobian
// adds "jacobianSpectrum": run.jacobianSpectrum() with the default options, after them.
// Numbers are printed with 17 significant digits, so float32 values come back exactly.
// Errors (unreadable file, invalid config) go to standard error with exit code 1.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "initscope/limits.hpp"
#include "initscope/run.hpp"
#include "initscope/run_json.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

int usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "native_run: " << problem << "\n";
  std::cerr << "usage: native_run CONFIG.json [--steps N] [--data] [--gradient-line] [--jacobian]   (\"-\" reads the config from "
               "stdin)\n";
  return 2;
}

bool read_text(const std::string& path, std::string& out) {
  if (path == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  return static_cast<bool>(in) || in.eof();
}

json weights_json(const std::vector<LayerWeights>& layers) {
  json out = json::array();
  for (const auto& l : layers) {
    json w = json::array(), b = json::array();
    for (float v : l.w) w.push_back(static_cast<double>(v));
    for (float v : l.b) b.push_back(static_cast<double>(v));
    out.push_back({{"shape", {l.fan_in, l.fan_out}}, {"W", w}, {"b", b}});
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  long steps = 200;
  bool with_data = false, with_line = false, with_jacobian = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--steps") {
      if (i + 1 >= argc) return usage("--steps needs a value");
      char* end = nullptr;
      steps = std::strtol(argv[++i], &end, 10);
      const ParamSpec& per_call = limit("stepsPerCall");
      if (*end != '\0' || steps < per_call.min || steps > per_call.max)
        return usage(std::string("--steps: ") + argv[i] + " is not " + describe_allowed(per_call));
    } else if (arg == "--data") {
      with_data = true;
    } else if (arg == "--gradient-line") {
      with_line = true;
    } else if (arg == "--jacobian") {
      with_jacobian = true;
    } else if (arg == "-h" || arg == "--help") {
      usage("");
      return 0;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage("unknown option " + arg);
    } else if (path.empty()) {
      path = arg;
    } else {
      return usage("one config file only, got " + path + " and " + arg);
    }
  }
  if (path.empty()) return usage("no config file given");

  std::string text;
  if (!read_text(path, text)) {
    std::cerr << "native_run: cannot read " << path << "\n";
    return 1;
  }
  std::unique_ptr<Run> run;
  if (auto e = Run::create(text, run)) {
    std::cerr << "native_run: " << path << ": " << e->message << "\n";
    return 1;
  }

  json out;
  out["layout"] = "(fan_in, fan_out), row-major";
  out["weights"] = weights_json(run->weights());
  if (with_data) {
    const Dataset& d = run->data();
    auto floats = [](const Matrix& x) {
      json a = json::array();
      for (std::size_t i = 0; i < x.size(); ++i) a.push_back(static_cast<double>(x.data()[i]));
      return a;
    };
    out["data"] = {{"xTrain", floats(d.x_train)}, {"yTrain", d.y_train},
                   {"xTest", floats(d.x_test)}, {"yTest", d.y_test}};
  }
  out.update(step_result_to_json(run->step(static_cast<int>(steps))));  // step, loss, diverged
  out["steps"] = steps;
  out["evaluation"] = evaluation_to_json(run->evaluate());
  if (with_line) {
    GradientLine line;
    if (auto e = run->gradient_line(GradientLineOptions{}, line)) {
      std::cerr << "native_run: gradient line: " << e->message << "\n";
      return 1;
    }
    out["gradientLine"] = gradient_line_to_json(line);
  }
  if (with_jacobian) {
    JacobianSpectrum spectrum;
    if (auto e = run->jacobian_spectrum(JacobianOptions{}, spectrum)) {
      std::cerr << "native_run: Jacobian spectrum: " << e->message << "\n";
      return 1;
    }
    out["jacobianSpectrum"] = jacobian_spectrum_to_json(spectrum);
  }
  std::cout << out.dump() << "\n";
  return 0;
}
