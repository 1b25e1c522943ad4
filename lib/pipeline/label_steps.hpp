// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The steps label() takes for images and audio alike (spec/label-pipeline-v1.md), and its audio half.

#include <cstdint>
#include <span>
#include <vector>

#include "pipeline/media.hpp"
#include "provmark/label.hpp"

namespace provmark::pipeline {

/// Checks the options and draws the identifiers, the watermark payload and the label values, before any sample
/// changes.
[[nodiscard]] LabelResult start_label(const LabelOptions& options);

/// Steps 2 and 4 on the encoded file: the AIGC label, then the signed manifest, read back and (when watermarked)
/// kept in the store.
void finish_label(std::vector<std::uint8_t> bytes, const LabelOptions& options, LabelResult& result);

/// label() of an encoded audio file (`kind` from identify_media()).
[[nodiscard]] LabelResult label_audio(std::span<const std::uint8_t> encoded, const MediaKind& kind,
                                      const LabelOptions& options);

}  // namespace provmark::pipeline
