// SPDX-License-Identifier: Apache-2.0
// Decoding is nlohmann's CBOR parser (the part hostile bytes reach), driven through its SAX interface so that
// depth and duplicate keys can be checked while parsing. That uses two nlohmann::detail classes
// (binary_reader, json_sax_dom_parser): json::sax_parse offers no tag handler and json::from_cbor no depth
// limit. Both are stable in Debian 12's 3.11.2, the version we build against.
//
// Encoding is written here. nlohmann's to_cbor is shortest-form for integers and lengths, but it orders map
// keys by std::map (by string: "alg" < "b"), whereas RFC 8949 §4.2.1 orders them by encoded bytes, so a
// shorter key always comes first ("b" < "alg"); and it writes 1.5 as a float32 where the deterministic form is
// float16. Fixing both around nlohmann's output would take more code than the encoder below.
#include "c2pa/cbor.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <utility>

#include "core/fail.hpp"

namespace provmark::c2pa::cbor {

void write_head(std::vector<std::uint8_t>& out, std::uint8_t major, std::uint64_t value) {
  const auto type = static_cast<std::uint8_t>(major << 5);
  int bytes = 0;
  if (value < 24) {
    out.push_back(static_cast<std::uint8_t>(type | value));
    return;
  }
  if (value <= 0xFF) {
    out.push_back(type | 24);
    bytes = 1;
  } else if (value <= 0xFFFF) {
    out.push_back(type | 25);
    bytes = 2;
  } else if (value <= 0xFFFFFFFF) {
    out.push_back(type | 26);
    bytes = 4;
  } else {
    out.push_back(type | 27);
    bytes = 8;
  }
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

namespace {

using nlohmann::json;


// The IEEE half-precision bits of `v` if it is exactly representable (finite v only).
std::optional<std::uint16_t> exact_half(double v) {
  const std::uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  const double a = std::fabs(v);
  if (a == 0) return sign;
  int e = 0;
  const double m = std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  const int exponent = e - 1;          // a = 1.f * 2^exponent
  if (exponent >= -14 && exponent <= 15) {
    const double significand = std::ldexp(m, 11);  // 11 significant bits: [1024, 2048)
    if (significand != std::floor(significand)) return std::nullopt;
    return static_cast<std::uint16_t>(sign | (exponent + 15) << 10 | (static_cast<int>(significand) - 1024));
  }
  if (exponent >= -24 && exponent < -14) {  // subnormal: a = k * 2^-24
    const double k = std::ldexp(a, 24);
    if (k != std::floor(k)) return std::nullopt;
    return static_cast<std::uint16_t>(sign | static_cast<int>(k));
  }
  return std::nullopt;
}

void put_float(std::vector<std::uint8_t>& out, double v) {
  auto put_bits = [&out](std::uint8_t initial, std::uint64_t bits, int bytes) {
    out.push_back(initial);
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
  };
  if (std::isnan(v)) return put_bits(0xF9, 0x7E00, 2);  // the one NaN of RFC 8949 §4.2.2
  if (std::isinf(v)) return put_bits(0xF9, v > 0 ? 0x7C00 : 0xFC00, 2);
  if (const auto half = exact_half(v)) return put_bits(0xF9, *half, 2);
  if (std::fabs(v) <= FLT_MAX && static_cast<double>(static_cast<float>(v)) == v) {
    std::uint32_t bits = 0;
    const float f = static_cast<float>(v);
    std::memcpy(&bits, &f, sizeof bits);
    return put_bits(0xFA, bits, 4);
  }
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  put_bits(0xFB, bits, 8);
}

void encode(const json& value, std::vector<std::uint8_t>& out, int depth) {
  switch (value.type()) {
    case json::value_t::null: out.push_back(0xF6); return;
    case json::value_t::boolean: out.push_back(value.get<bool>() ? 0xF5 : 0xF4); return;
    case json::value_t::number_unsigned: write_head(out, 0, value.get<std::uint64_t>()); return;
    case json::value_t::number_integer: {
      const auto v = value.get<std::int64_t>();
      if (v >= 0) {
        write_head(out, 0, static_cast<std::uint64_t>(v));
      } else {
        write_head(out, 1, static_cast<std::uint64_t>(-1 - v));
      }
      return;
    }
    case json::value_t::number_float: put_float(out, value.get<double>()); return;
    case json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      write_head(out, 3, s.size());
      out.insert(out.end(), s.begin(), s.end());
      return;
    }
    case json::value_t::binary: {
      const auto& b = value.get_binary();
      if (b.has_subtype()) write_head(out, 6, b.subtype());
      write_head(out, 2, b.size());
      out.insert(out.end(), b.begin(), b.end());
      return;
    }
    case json::value_t::array:
      if (depth >= max_depth) fail(Errc::invalid_argument, "cbor: value nested deeper than 64 levels");
      write_head(out, 4, value.size());
      for (const auto& item : value) encode(item, out, depth + 1);
      return;
    case json::value_t::object: {
      if (depth >= max_depth) fail(Errc::invalid_argument, "cbor: value nested deeper than 64 levels");
      // Every key is a text string, whose head grows with its length: ordering the encodings bytewise is
      // ordering by length, then by the UTF-8 bytes (std::string compares chars as unsigned).
      std::vector<std::pair<const std::string*, const json*>> entries;
      entries.reserve(value.size());
      for (auto it = value.begin(); it != value.end(); ++it) entries.emplace_back(&it.key(), &it.value());
      std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.first->size() != b.first->size() ? a.first->size() < b.first->size() : *a.first < *b.first;
      });
      write_head(out, 5, entries.size());
      for (const auto& [key, item] : entries) {
        write_head(out, 3, key->size());
        out.insert(out.end(), key->begin(), key->end());
        encode(*item, out, depth + 1);
      }
      return;
    }
    case json::value_t::discarded: break;
  }
  fail(Errc::invalid_argument, "cbor: cannot encode a discarded value");
}

// The keys of one map being read. C2PA maps have a handful of keys: a linear search over them beats a std::set's
// allocations; a hostile map with many keys moves to the set, so the check stays O(n log n).
class KeySet {
 public:
  bool insert(const std::string& key) {
    if (large_.empty() && small_.size() < small_limit) {
      if (std::find(small_.begin(), small_.end(), key) != small_.end()) return false;
      small_.push_back(key);
      return true;
    }
    if (large_.empty()) large_.insert(small_.begin(), small_.end());
    return large_.insert(key).second;
  }

 private:
  static constexpr std::size_t small_limit = 16;
  std::vector<std::string> small_;
  std::set<std::string> large_;
};

// nlohmann's DOM builder plus the checks C2PA needs while the input is read.
class CheckedSax {
 public:
  explicit CheckedSax(json& root) : dom_(root, false) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  // nlohmann reports major type 0 as unsigned and wraps major-type-1 values below -2^63 to v >= 0.
  bool number_integer(json::number_integer_t v) {
    return v < 0 ? dom_.number_integer(v) : stop("negative integer below -2^63");
  }
  bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) { return dom_.number_float(v, s); }
  bool string(json::string_t& v) { return dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }
  bool start_object(std::size_t n) {
    if (!enter()) return false;
    keys_.emplace_back();
    return dom_.start_object(n);
  }
  bool key(json::string_t& k) {
    if (!keys_.back().insert(k)) return stop("duplicate map key '" + k + "'");
    return dom_.key(k);
  }
  bool end_object() {
    keys_.pop_back();
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return enter() && dom_.start_array(n); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) { return stop(e.what()); }

  const std::string& error() const { return error_; }

 private:
  bool enter() { return ++depth_ <= max_depth || stop("nested deeper than 64 levels"); }
  bool stop(std::string why) {
    error_ = std::move(why);
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::vector<KeySet> keys_;
  int depth_ = 0;
  std::string error_;
};

}  // namespace

std::vector<std::uint8_t> to_cbor(const json& value) {
  std::vector<std::uint8_t> out;
  encode(value, out, 0);
  return out;
}

std::vector<std::uint8_t> to_cbor_tagged(std::uint64_t tag, const json& value) {
  std::vector<std::uint8_t> out;
  write_head(out, 6, tag);
  encode(value, out, 0);
  return out;
}

json from_cbor(std::span<const std::uint8_t> bytes, json::cbor_tag_handler_t tags) {
  json result;
  CheckedSax sax(result);
  bool ok = false;
  try {
    auto input = nlohmann::detail::input_adapter(bytes.data(), bytes.data() + bytes.size());
    nlohmann::detail::binary_reader<json, decltype(input), CheckedSax> reader(std::move(input),
                                                                              nlohmann::detail::input_format_t::cbor);
    ok = reader.sax_parse(nlohmann::detail::input_format_t::cbor, &sax, true, tags);
  } catch (const json::exception& e) {  // e.g. a container length beyond max_size()
    fail(Errc::malformed_input, std::string("cbor: ") + e.what());
  }
  if (!ok) fail(Errc::malformed_input, "cbor: " + (sax.error().empty() ? std::string("invalid input") : sax.error()));
  return result;
}

Tagged from_cbor_tagged(std::span<const std::uint8_t> bytes, json::cbor_tag_handler_t tags) {
  if (bytes.empty() || bytes[0] >> 5 != 6) return {std::nullopt, from_cbor(bytes, tags)};
  const unsigned info = bytes[0] & 0x1Fu;
  std::size_t length = 0;  // bytes of the tag number after the initial byte
  if (info >= 24 && info <= 27) {
    length = std::size_t{1} << (info - 24);
  } else if (info > 27) {
    fail(Errc::malformed_input, "cbor: reserved tag encoding");
  }
  if (bytes.size() < 1 + length) fail(Errc::malformed_input, "cbor: truncated tag");
  std::uint64_t tag = info < 24 ? info : 0;
  for (std::size_t i = 1; i <= length; ++i) tag = tag << 8 | bytes[i];
  return {tag, from_cbor(bytes.subspan(1 + length), tags)};
}

}  // namespace provmark::c2pa::cbor
