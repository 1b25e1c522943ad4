// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Reading a ManifestReport's failures for the pipelines.

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "provmark/inspect.hpp"

namespace provmark::pipeline {

inline constexpr std::string_view untrusted_signer = "signingCredential.untrusted";
inline constexpr std::string_view data_hash_mismatch = "assertion.dataHash.mismatch";
inline constexpr std::string_view bmff_hash_mismatch = "assertion.bmffHash.mismatch";

/// The first failure whose code is not in `allowed`, or nullptr.
[[nodiscard]] inline const ValidationStatus* failure_other_than(const ManifestReport& report,
                                                                std::initializer_list<std::string_view> allowed) {
  for (const ValidationStatus& s : report.failure)
    if (std::find(allowed.begin(), allowed.end(), s.code) == allowed.end()) return &s;
  return nullptr;
}

[[nodiscard]] inline bool has_failure(const ManifestReport& report, std::string_view code) {
  return std::any_of(report.failure.begin(), report.failure.end(), [&](const auto& s) { return s.code == code; });
}

}  // namespace provmark::pipeline
