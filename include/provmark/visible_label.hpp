// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The explicit (visible) label GB 45438 §5.2 asks of images: text with an AI element ("AI" or "人工智能")
/// and a generation element ("生成" or "合成") at an edge or corner, ink height >= 5% of the shortest side,
/// legible on any background. Rendered with FreeType from a CJK font.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

#include "provmark/image.hpp"

namespace provmark {

enum class LabelPosition { top_left, top_right, bottom_left, bottom_right, top, bottom };

/// Default wordings; `text` overrides them.
enum class LabelLanguage { chinese, english, bilingual };  ///< "AI生成", "AI-generated", "AI生成 AI-generated"

struct VisibleLabelOptions {
  std::string text;  ///< UTF-8; empty: the language's default. Must contain an AI and a generation element
                     ///< (English: "AI" and "generated"); @throws Error(invalid_argument) otherwise.
  LabelLanguage language = LabelLanguage::chinese;
  LabelPosition position = LabelPosition::bottom_right;
  double text_height = 0.05;  ///< ink height of the tallest glyph / shortest image side; at least 0.05
  double margin = 0.02;       ///< gap to the image edges / shortest side
  std::array<std::uint8_t, 3> text_rgb{255, 255, 255};
  std::array<std::uint8_t, 3> plate_rgb{0, 0, 0};
  double plate_opacity = 0.6;  ///< 0: no plate (an outline in plate_rgb keeps the text legible)
  std::filesystem::path font;  ///< empty: a CJK font found through fontconfig
};

/// Where the label was drawn, in pixels.
struct VisibleLabelBox {
  int x = 0, y = 0, width = 0, height = 0;  ///< the plate (or text) rectangle
  int ink_height = 0;                       ///< measured height of the rendered glyph ink
};

/// Draws the label into `image` (gray8, rgb8 or rgba8). @throws Error(invalid_argument) for bad options
/// or an image too small to hold the label, Error(io) when no usable font is found.
VisibleLabelBox draw_visible_label(const MutableImageView& image, const VisibleLabelOptions& options = {});

}  // namespace provmark
