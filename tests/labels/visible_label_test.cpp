// SPDX-License-Identifier: Apache-2.0
// The explicit image label (GB 45438 §5.2): its measured text height against the 5 % rule, its place, its
// legibility on light, dark and busy backgrounds, the wording rule, pixel formats and strides.
#include "provmark/visible_label.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "provmark/error.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

using namespace provmark;

namespace {

using Rgb = std::array<std::uint8_t, 3>;

Image filled(int width, int height, PixelFormat format, std::uint8_t value) {
  Image image(width, height, format);
  std::memset(image.data(), value, static_cast<std::size_t>(image.stride()) * height);
  return image;
}

const std::uint8_t* pixel(const Image& image, int x, int y) {
  return image.data() + y * image.stride() + std::ptrdiff_t{x} * channels(image.format());
}

Rgb rgb_at(const Image& image, int x, int y) {
  const std::uint8_t* p = pixel(image, x, y);
  return image.format() == PixelFormat::gray8 ? Rgb{p[0], p[0], p[0]} : Rgb{p[0], p[1], p[2]};
}

// WCAG 2 relative luminance and contrast ratio.
double luminance(const Rgb& c) {
  const auto lin = [](std::uint8_t v) {
    const double s = v / 255.0;
    return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
}

double contrast(const Rgb& a, const Rgb& b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

int distance(const Rgb& a, const Rgb& b) {
  return std::abs(a[0] - b[0]) + std::abs(a[1] - b[1]) + std::abs(a[2] - b[2]);
}

bool inside(const VisibleLabelBox& box, int x, int y) {
  return x >= box.x && y >= box.y && x < box.x + box.width && y < box.y + box.height;
}

// Every pixel outside the box is the original's, byte for byte.
bool untouched_outside(const Image& original, const Image& labelled, const VisibleLabelBox& box) {
  const int n = channels(original.format());
  for (int y = 0; y < original.height(); ++y)
    for (int x = 0; x < original.width(); ++x)
      if (!inside(box, x, y) && std::memcmp(pixel(original, x, y), pixel(labelled, x, y), n) != 0) return false;
  return true;
}

// Vertical extent of the text in a label drawn on a uniform background: the rows holding a pixel that
// differs from the plate (the box's corner pixel) by at least half of the text-to-plate difference, i.e. a
// pixel at least half covered by a glyph.
int text_rows(const Image& labelled, const VisibleLabelBox& box, const Rgb& text = {255, 255, 255}) {
  const Rgb plate = rgb_at(labelled, box.x, box.y);
  const int half = distance(text, plate) / 2;
  int first = -1, last = -1;
  for (int y = box.y; y < box.y + box.height; ++y)
    for (int x = box.x; x < box.x + box.width; ++x)
      if (distance(rgb_at(labelled, x, y), plate) >= half) {
        if (first < 0) first = y;
        last = y;
        break;
      }
  return first < 0 ? 0 : last - first + 1;
}

int required_rows(int width, int height, double share = 0.05) {
  return static_cast<int>(std::ceil(share * std::min(width, height) - 1e-9));
}

Errc label_error(const std::string& text) {
  Image image = filled(640, 480, PixelFormat::rgb8, 128);
  VisibleLabelOptions options;
  options.text = text;
  return test::error_code_of([&] { draw_visible_label(image.mutable_view(), options); });
}

}  // namespace

TEST_SUITE("labels/visible_label") {
  TEST_CASE("the default label reads AI生成 at the bottom right, its ink at least 5% of the shortest side") {
    const Image original = test::load_photo("coffee.jpg");  // 600x400
    Image labelled = original;
    const VisibleLabelBox box = draw_visible_label(labelled.mutable_view());
    CHECK(box.ink_height >= 20);
    CHECK(box.x + box.width == 600 - 8);  // margin: 2% of 400
    CHECK(box.y + box.height == 400 - 8);
    CHECK(untouched_outside(original, labelled, box));
  }

  TEST_CASE("the measured text height meets the 5% rule on small, large and portrait images") {
    struct Size {
      int width, height;
    };
    for (const Size size : {Size{320, 256}, Size{1024, 768}, Size{4000, 3000}, Size{768, 1024}, Size{1080, 1920}}) {
      for (const LabelLanguage language : {LabelLanguage::chinese, LabelLanguage::english, LabelLanguage::bilingual}) {
        CAPTURE(size.width);
        CAPTURE(size.height);
        CAPTURE(static_cast<int>(language));
        Image image = filled(size.width, size.height, PixelFormat::rgb8, 128);
        VisibleLabelOptions options;
        options.language = language;
        const VisibleLabelBox box = draw_visible_label(image.mutable_view(), options);
        const int required = required_rows(size.width, size.height);
        const int measured = text_rows(image, box);
        CHECK(box.ink_height >= required);
        // The size search stops at the smallest size that passes, give or take a hinting step.
        CHECK(box.ink_height <= required + 2);
        // The line is at least as tall as its tallest glyph; Latin descenders add up to a third.
        CHECK(measured >= box.ink_height);
        CHECK(measured <= box.ink_height * 4 / 3 + 1);
      }
    }
  }

  TEST_CASE("a larger text_height scales the label") {
    Image image = filled(1000, 800, PixelFormat::rgb8, 128);
    VisibleLabelOptions options;
    options.text_height = 0.1;
    const VisibleLabelBox box = draw_visible_label(image.mutable_view(), options);
    CHECK(box.ink_height >= 80);
    CHECK(box.ink_height <= 82);
    CHECK(text_rows(image, box) >= box.ink_height);
  }

  TEST_CASE("every position puts the label at its edge or corner, at the margin") {
    const int margin = 10;  // 2% of 480
    for (const LabelPosition position : {LabelPosition::top_left, LabelPosition::top_right, LabelPosition::bottom_left,
                                         LabelPosition::bottom_right, LabelPosition::top, LabelPosition::bottom}) {
      CAPTURE(static_cast<int>(position));
      const Image original = filled(640, 480, PixelFormat::rgb8, 128);
      Image labelled = original;
      VisibleLabelOptions options;
      options.position = position;
      const VisibleLabelBox box = draw_visible_label(labelled.mutable_view(), options);
      const bool left = position == LabelPosition::top_left || position == LabelPosition::bottom_left;
      const bool right = position == LabelPosition::top_right || position == LabelPosition::bottom_right;
      const bool top =
          position == LabelPosition::top_left || position == LabelPosition::top_right || position == LabelPosition::top;
      if (left) CHECK(box.x == margin);
      if (right) CHECK(box.x + box.width == 640 - margin);
      if (!left && !right) CHECK(std::abs(2 * box.x + box.width - 640) <= 1);
      CHECK((top ? box.y : 480 - box.y - box.height) == margin);
      CHECK(text_rows(labelled, box) >= 24);
      CHECK(untouched_outside(original, labelled, box));
    }
  }

  TEST_CASE("text and plate keep a 4.5:1 contrast on white, black and busy photos") {
    const Image coffee = test::load_photo("coffee.jpg");
    const Image rocket = test::load_photo("rocket.jpg");
    const Image white = filled(600, 400, PixelFormat::rgb8, 255);
    const Image black = filled(600, 400, PixelFormat::rgb8, 0);
    for (const Image* original : {&white, &black, &coffee, &rocket}) {
      for (const LabelPosition position : {LabelPosition::top_left, LabelPosition::bottom_right}) {
        Image labelled = *original;
        VisibleLabelOptions options;
        options.position = position;
        const VisibleLabelBox box = draw_visible_label(labelled.mutable_view(), options);
        Rgb text{0, 0, 0};
        for (int y = box.y; y < box.y + box.height; ++y)
          for (int x = box.x; x < box.x + box.width; ++x)
            if (luminance(rgb_at(labelled, x, y)) > luminance(text)) text = rgb_at(labelled, x, y);
        CHECK(text == Rgb{255, 255, 255});
        // The box's border is plate only (the padding): each of its pixels must contrast with the text.
        double worst = 21;
        for (int x = box.x; x < box.x + box.width; ++x)
          for (const int y : {box.y, box.y + box.height - 1})
            worst = std::min(worst, contrast(text, rgb_at(labelled, x, y)));
        for (int y = box.y; y < box.y + box.height; ++y)
          for (const int x : {box.x, box.x + box.width - 1})
            worst = std::min(worst, contrast(text, rgb_at(labelled, x, y)));
        CAPTURE(original->width());
        CHECK(worst >= 4.5);
      }
    }
  }

  TEST_CASE("without a plate, or with a faint one, an outline in the plate colour keeps the text legible") {
    for (const double opacity : {0.0, 0.3}) {
      for (const std::uint8_t background : {std::uint8_t{255}, std::uint8_t{0}}) {
        CAPTURE(opacity);
        CAPTURE(int{background});
        const Image original = filled(640, 480, PixelFormat::rgb8, background);
        Image labelled = original;
        VisibleLabelOptions options;
        options.plate_opacity = opacity;
        const VisibleLabelBox box = draw_visible_label(labelled.mutable_view(), options);
        int text = 0, dark = 0;
        for (int y = box.y; y < box.y + box.height; ++y)
          for (int x = box.x; x < box.x + box.width; ++x) {
            const Rgb c = rgb_at(labelled, x, y);
            text += contrast(c, {0, 0, 0}) >= 15 && contrast(c, {255, 255, 255}) < 1.2;
            dark += contrast(c, {255, 255, 255}) >= 15;
          }
        CHECK(text > box.ink_height * 4);  // glyph strokes
        CHECK(dark > box.ink_height * 4);  // outline (or the background, on black)
        CHECK(untouched_outside(original, labelled, box));
        // With no plate nothing but glyphs and outline is drawn: the box's corner keeps the background.
        if (opacity == 0.0) CHECK(rgb_at(labelled, box.x, box.y) == Rgb{background, background, background});
      }
    }
  }

  TEST_CASE("the wording needs an AI element and a generation element") {
    for (const char* ok : {"AI生成", "人工智能生成", "人工智能合成", "本内容由人工智能生成", "AI-generated",
                           "Generated by AI", "ai-synthesized", "ExampleCorp AI合成"})
      CHECK_MESSAGE(label_error(ok) == Errc::ok, ok);
    for (const char* bad : {"生成内容", "AI", "AI art", "人工智能", "SAID generated", "AIGC generated",
                            "AI regenerated", "Made with ExampleCorp"})
      CHECK_MESSAGE(label_error(bad) == Errc::invalid_argument, bad);
  }

  TEST_CASE("text that is not one line of valid UTF-8 is refused") {
    CHECK(label_error("AI\xff生成") == Errc::invalid_argument);
    CHECK(label_error("AI generated \xc0\xaf") == Errc::invalid_argument);      // overlong '/'
    CHECK(label_error("AI generated \xed\xa0\x80") == Errc::invalid_argument);  // a surrogate
    CHECK(label_error("AI生\xe6") == Errc::invalid_argument);                   // truncated sequence
    CHECK(label_error("AI生成\nAI-generated") == Errc::invalid_argument);
  }

  TEST_CASE("meaningless options are refused") {
    const auto error_with = [](auto change) {
      Image image = filled(640, 480, PixelFormat::rgb8, 128);
      VisibleLabelOptions options;
      change(options);
      return test::error_code_of([&] { draw_visible_label(image.mutable_view(), options); });
    };
    CHECK(error_with([](VisibleLabelOptions& o) { o.text_height = 0.04; }) == Errc::invalid_argument);
    CHECK(error_with([](VisibleLabelOptions& o) { o.text_height = std::nan(""); }) == Errc::invalid_argument);
    CHECK(error_with([](VisibleLabelOptions& o) { o.margin = -0.01; }) == Errc::invalid_argument);
    CHECK(error_with([](VisibleLabelOptions& o) { o.plate_opacity = 1.5; }) == Errc::invalid_argument);
    CHECK(error_with([](VisibleLabelOptions& o) {
            o.text_rgb = {200, 200, 200};
            o.plate_rgb = {255, 255, 255};
          }) == Errc::invalid_argument);
    CHECK(error_with([](VisibleLabelOptions& o) { o.text_rgb = {255, 255, 0}; }) == Errc::ok);
    Image image = filled(64, 48, PixelFormat::rgb8, 0);
    CHECK(test::error_code_of([&] {
            draw_visible_label({image.data(), 64, 48, 100, PixelFormat::rgb8});
          }) == Errc::invalid_argument);
  }

  TEST_CASE("an image too small for a legible label is refused") {
    Image tiny = filled(24, 24, PixelFormat::rgb8, 128);
    CHECK(test::error_code_of([&] { draw_visible_label(tiny.mutable_view()); }) == Errc::invalid_argument);
    // Smaller than 5% would be: the ink is never below 12 px, which still fits a 100x60 thumbnail.
    Image thumbnail = filled(100, 60, PixelFormat::rgb8, 128);
    const VisibleLabelBox box = draw_visible_label(thumbnail.mutable_view());
    CHECK(box.ink_height >= 12);
  }

  TEST_CASE("a text too wide loses its margins first and is refused only when it cannot fit") {
    VisibleLabelOptions options;
    options.text = "This image is AI-generated by ExampleCorp Studio";
    Image wide = filled(4000, 400, PixelFormat::rgb8, 128);
    const VisibleLabelBox reference = draw_visible_label(wide.mutable_view(), options);
    REQUIRE(reference.width + 2 > 400);  // so that the narrow image below still has 400 as its shortest side

    Image snug = filled(reference.width + 2, 400, PixelFormat::rgb8, 128);
    const VisibleLabelBox box = draw_visible_label(snug.mutable_view(), options);
    CHECK(box.width == reference.width);
    CHECK(box.ink_height == reference.ink_height);
    CHECK(box.x == 1);

    Image narrow = filled(reference.width * 2 / 3, 400, PixelFormat::rgb8, 128);
    try {
      draw_visible_label(narrow.mutable_view(), options);
      FAIL("a label wider than the image was drawn");
    } catch (const Error& e) {
      CHECK(e.code() == Errc::invalid_argument);
      CHECK(std::string(e.what()).find("shorter text") != std::string::npos);
    }
  }

  TEST_CASE("gray images get the label in the gray of each colour") {
    const Image original = test::load_photo("camera_gray.png");
    REQUIRE(original.format() == PixelFormat::gray8);
    Image labelled = original;
    const VisibleLabelBox box = draw_visible_label(labelled.mutable_view());
    CHECK(untouched_outside(original, labelled, box));
    Image flat = filled(512, 512, PixelFormat::gray8, 128);
    const VisibleLabelBox flat_box = draw_visible_label(flat.mutable_view());
    CHECK(text_rows(flat, flat_box) >= required_rows(512, 512));
    CHECK(*pixel(flat, flat_box.x, flat_box.y) == 51);  // 128 under 60 % black
  }

  TEST_CASE("on RGBA the label is opaque over its box and alpha elsewhere is kept") {
    Image original(800, 600, PixelFormat::rgba8);
    std::mt19937 random(7);
    for (std::size_t i = 0; i < static_cast<std::size_t>(original.stride()) * 600; ++i)
      original.data()[i] = static_cast<std::uint8_t>(random());
    for (int y = 0; y < 600; ++y)
      for (int x = 0; x < 800; ++x) original.data()[y * original.stride() + x * 4 + 3] = 0;  // transparent
    Image labelled = original;
    const VisibleLabelBox box = draw_visible_label(labelled.mutable_view());
    CHECK(untouched_outside(original, labelled, box));
    bool opaque = true;
    for (int y = box.y; y < box.y + box.height; ++y)
      for (int x = box.x; x < box.x + box.width; ++x) opaque = opaque && pixel(labelled, x, y)[3] == 255;
    CHECK(opaque);
    // Transparent pixels count as plate-coloured, so the plate is uniform whatever colour they hid.
    CHECK(text_rows(labelled, box) >= required_rows(800, 600));

    VisibleLabelOptions outline_only;
    outline_only.plate_opacity = 0;
    Image outlined = original;
    const VisibleLabelBox glyph_box = draw_visible_label(outlined.mutable_view(), outline_only);
    CHECK(pixel(outlined, glyph_box.x, glyph_box.y)[3] == 0);  // between glyphs the image stays transparent
    int opaque_ink = 0;
    for (int y = glyph_box.y; y < glyph_box.y + glyph_box.height; ++y)
      for (int x = glyph_box.x; x < glyph_box.x + glyph_box.width; ++x) opaque_ink += pixel(outlined, x, y)[3] == 255;
    CHECK(opaque_ink > glyph_box.ink_height * 8);
  }

  TEST_CASE("a padded view gets the same label and its row padding is left alone") {
    const Image packed_original = test::load_photo("chelsea.png");  // 320x256
    Image packed = packed_original;
    const VisibleLabelBox packed_box = draw_visible_label(packed.mutable_view());

    const std::ptrdiff_t stride = 320 * 3 + 13;
    std::vector<std::uint8_t> buffer(static_cast<std::size_t>(stride) * 256, 0xAB);
    for (int y = 0; y < 256; ++y) std::memcpy(buffer.data() + y * stride, pixel(packed_original, 0, y), 320 * 3);
    const VisibleLabelBox box = draw_visible_label({buffer.data(), 320, 256, stride, PixelFormat::rgb8});
    CHECK(box.x == packed_box.x);
    CHECK(box.y == packed_box.y);
    bool same = true, padding_kept = true;
    for (int y = 0; y < 256; ++y) {
      same = same && std::memcmp(buffer.data() + y * stride, pixel(packed, 0, y), 320 * 3) == 0;
      padding_kept = padding_kept && std::all_of(buffer.data() + y * stride + 320 * 3, buffer.data() + (y + 1) * stride,
                                                 [](std::uint8_t b) { return b == 0xAB; });
    }
    CHECK(same);
    CHECK(padding_kept);
  }

  TEST_CASE("a font file can be given; one that cannot draw the text is an io error") {
    Image image = filled(640, 480, PixelFormat::rgb8, 128);
    VisibleLabelOptions options;
    options.font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // Latin only
    CHECK(test::error_code_of([&] { draw_visible_label(image.mutable_view(), options); }) == Errc::io);
    options.language = LabelLanguage::english;
    const VisibleLabelBox box = draw_visible_label(image.mutable_view(), options);
    CHECK(text_rows(image, box) >= required_rows(640, 480));
    options.font = test::data_path("no-such-font.ttf");
    CHECK(test::error_code_of([&] { draw_visible_label(image.mutable_view(), options); }) == Errc::io);
    options.font = test::data_path("chelsea.png");  // not a font
    CHECK(test::error_code_of([&] { draw_visible_label(image.mutable_view(), options); }) == Errc::io);
  }
}
