#include "initscope/text.hpp"

namespace initscope {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

struct Sequence {
  std::size_t length;  // bytes
  bool valid;
};

// The UTF-8 sequence at text[i] (Unicode table 3-7). An ill-formed one is its maximal
// subpart (Unicode 3.9): the lead byte and the bytes that could still continue it, at
// least one byte, each replaced by one U+FFFD.
Sequence sequence_at(const std::string& text, std::size_t i) {
  const unsigned c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return {1, true};
  std::size_t follow = 0;
  unsigned lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    follow = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    follow = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    follow = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    return {1, false};
  }
  for (std::size_t k = 1; k <= follow; ++k) {
    if (i + k >= text.size()) return {k, false};
    const unsigned b = static_cast<unsigned char>(text[i + k]);
    if (b < (k == 1 ? lo : 0x80u) || b > (k == 1 ? hi : 0xBFu)) return {k, false};
  }
  return {follow + 1, true};
}

}  // namespace

std::string utf8_prefix(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t n = max_bytes;
  // Back over the continuation bytes of the character the cut falls in (at most three in
  // UTF-8; more means the text was not UTF-8 to begin with).
  for (int k = 0; k < 3 && n > 0 && is_continuation(static_cast<unsigned char>(text[n])); ++k) --n;
  return text.substr(0, n);
}

std::string cut_text(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  const std::string dots = "...";
  return utf8_prefix(text, max_bytes > dots.size() ? max_bytes - dots.size() : 0) + dots;
}

std::string valid_utf8(const std::string& text) {
  std::string out;
  std::size_t i = 0, copied = 0;
  while (i < text.size()) {
    const Sequence seq = sequence_at(text, i);
    i += seq.length;
    if (seq.valid) continue;
    out.append(text, copied, i - seq.length - copied);
    out += "\xEF\xBF\xBD";
    copied = i;
  }
  if (copied == 0) return text;  // nothing replaced
  out.append(text, copied, std::string::npos);
  return out;
}

std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string error_json(const Error& e) {
  return json_text({{"error", {{"field", e.field}, {"message", e.message}}}});
}

}  // namespace initscope
