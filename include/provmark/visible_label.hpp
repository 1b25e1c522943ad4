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
  std::string text;  ///< UTF-8, one line, at most 256 characters; empty: the language's default. Must contain an
                     ///< AI element ("人工智能", or "AI" not inside a longer Latin word) and a generation element
                     ///< ("生成", "合成", or the words "generated" / "synthesized", any case);
                     ///< @throws Error(invalid_argument) otherwise.
  LabelLanguage language = LabelLanguage::chinese;
  LabelPosition position = LabelPosition::bottom_right;
  /// Ink height of the tallest glyph / shortest image side, in [0.05, 0.5]. Ink counts the rows holding a pixel
  /// at least half covered, so anti-aliasing fringes never make up the height. Never below 12 px (legibility).
  double text_height = 0.05;
  double margin = 0.02;  ///< gap to the image edges / shortest side, in [0, 0.25]; shrinks if the label needs it
  std::array<std::uint8_t, 3> text_rgb{255, 255, 255};  ///< text and plate must contrast >= 4.5:1 (WCAG)
  std::array<std::uint8_t, 3> plate_rgb{0, 0, 0};
  /// Plate opacity in [0, 1], blended on sRGB values. When the plate cannot keep 4.5:1 over a background of the
  /// text colour (0 included: no plate), an outline in plate_rgb is drawn around the glyphs.
  double plate_opacity = 0.6;
  std::filesystem::path font;  ///< empty: the first sans-serif font fontconfig finds covering the text, CJK first
};

/// Where the label was drawn, in pixels.
struct VisibleLabelBox {
  int x = 0, y = 0, width = 0, height = 0;  ///< the plate (or, without a plate, the text and outline) rectangle
  int ink_height = 0;                       ///< measured ink height of the tallest glyph
};

/// Draws the label into `image` (gray8: in the gray of each colour's luminance; rgba8: the plate makes its box
/// opaque, an outline-only label raises alpha under the glyphs). Pixels outside the box are never touched.
/// @throws Error(invalid_argument) for bad options, or an image too small or too narrow to hold the label at
/// the required height (margins and plate padding shrink first); Error(io) when no usable font is found.
VisibleLabelBox draw_visible_label(const MutableImageView& image, const VisibleLabelOptions& options = {});

}  // namespace provmark
