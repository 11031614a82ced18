// Errors cross every boundary as values, never as exceptions: em++ 3.1.6 without
// -fexceptions aborts the whole module on a throw, and the page must stay usable.
#pragma once
#include <optional>
#include <string>

namespace initscope {

struct Error {
  std::string field;    // path of the offending field, e.g. "layers[2].units"; "" if none
  std::string message;  // names the field, the value and what is allowed
};

// nullopt means success.
using Status = std::optional<Error>;

inline Error make_error(const std::string& field, const std::string& what) {
  return Error{field, field.empty() ? what : field + ": " + what};
}

}  // namespace initscope
