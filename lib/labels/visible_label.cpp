// SPDX-License-Identifier: Apache-2.0
// The explicit image label of GB 45438 §5.2: one line of text drawn with FreeType, in a font that fontconfig
// finds for the text (a CJK one first), sized so that the tallest glyph's ink is at least the required share
// of the shortest image side, on a semi-transparent plate or with an outline so that it reads on any
// background. Glyphs are placed one by one with the font's kerning: a one-line label of CJK and Latin text
// needs no complex shaping, so HarfBuzz would add a dependency for nothing.

#include "provmark/visible_label.hpp"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_GLYPH_H
#include FT_STROKER_H

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/fail.hpp"

namespace provmark {
namespace {

constexpr double kMaxTextHeight = 0.5;
constexpr double kMaxMargin = 0.25;
constexpr std::size_t kMaxCodePoints = 256;
constexpr int kMinInkHeight = 12;     // below this CJK strokes merge: the label would be unreadable
constexpr double kMinContrast = 4.5;  // WCAG 2 AA contrast ratio for normal text
constexpr std::uint8_t kHalfCoverage = 128;
// The plate extends this share of the ink height around the text; when the text does not fit, the
// horizontal padding may shrink to kMinPadX.
constexpr double kPadX = 0.35, kMinPadX = 0.1, kPadY = 0.3;
constexpr double kOutline = 0.07;  // outline radius / ink height when no plate keeps the text legible

// ---------------------------------------------------------------------------------------------- text

// Strict UTF-8 (no overlong forms, surrogates or values above U+10FFFF), hand-written because it is a dozen
// lines and the project has no Unicode library.
std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    const int extra = b0 < 0x80 ? 0 : (b0 & 0xE0) == 0xC0 ? 1 : (b0 & 0xF0) == 0xE0 ? 2 : (b0 & 0xF8) == 0xF0 ? 3 : -1;
    if (extra < 0 || s.size() - i <= static_cast<std::size_t>(extra))
      fail(Errc::invalid_argument, "label text is not valid UTF-8");
    char32_t cp = extra == 0 ? b0 : b0 & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) fail(Errc::invalid_argument, "label text is not valid UTF-8");
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr char32_t kMinOf[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinOf[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      fail(Errc::invalid_argument, "label text is not valid UTF-8");
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

bool is_ascii_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// `word` (lower-case ASCII) occurs in `text`, ignoring ASCII case, not as part of a longer Latin word.
bool has_word(std::string_view text, std::string_view word) {
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    bool same = true;
    for (std::size_t k = 0; k < word.size() && same; ++k) {
      char c = text[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == word[k];
    }
    const bool starts = i == 0 || !is_ascii_letter(text[i - 1]);
    const bool ends = i + word.size() == text.size() || !is_ascii_letter(text[i + word.size()]);
    if (same && starts && ends) return true;
  }
  return false;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// GB 45438 §5.2: an AI element and a generation element; a brand name may be added but replaces neither.
void check_wording(const std::string& text) {
  if (!contains(text, "人工智能") && !has_word(text, "ai"))
    fail(Errc::invalid_argument, "label text \"" + text + "\" has no AI element (\"AI\" or \"人工智能\")");
  if (!contains(text, "生成") && !contains(text, "合成") && !has_word(text, "generated") &&
      !has_word(text, "synthesized") && !has_word(text, "synthesised"))
    fail(
        Errc::invalid_argument,
        "label text \"" + text + "\" has no generation element (\"生成\", \"合成\", \"generated\" or \"synthesized\")");
}

std::string label_text(const VisibleLabelOptions& options) {
  if (!options.text.empty()) return options.text;
  switch (options.language) {
    case LabelLanguage::chinese:
      return "AI生成";
    case LabelLanguage::english:
      return "AI-generated";
    case LabelLanguage::bilingual:
      return "AI生成 AI-generated";
  }
  fail(Errc::invalid_argument, "unknown label language");
}

std::u32string checked_code_points(const std::string& text) {
  std::u32string cps = decode_utf8(text);
  if (cps.size() > kMaxCodePoints)
    fail(Errc::invalid_argument, "label text is longer than " + std::to_string(kMaxCodePoints) + " characters");
  for (const char32_t cp : cps)
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
      fail(Errc::invalid_argument, "label text must be one line of printable characters");
  check_wording(text);
  return cps;
}

// ---------------------------------------------------------------------------------------------- colour

double linear(std::uint8_t v) {
  const double c = v / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const std::array<std::uint8_t, 3>& rgb) {
  return 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]);
}

double contrast(const std::array<std::uint8_t, 3>& a, const std::array<std::uint8_t, 3>& b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The sRGB gray of the colour's luminance, so a gray8 label keeps the contrast of the colour one.
std::uint8_t gray_of(const std::array<std::uint8_t, 3>& rgb) {
  const double y = luminance(rgb);
  const double c = y <= 0.0031308 ? 12.92 * y : 1.055 * std::pow(y, 1 / 2.4) - 0.055;
  return static_cast<std::uint8_t>(std::lround(std::clamp(c, 0.0, 1.0) * 255));
}

std::uint8_t mix(std::uint8_t under, std::uint8_t over, unsigned alpha) {
  return static_cast<std::uint8_t>((over * alpha + under * (255 - alpha) + 127) / 255);
}

// The colour of `plate` at `opacity` over `under`, blended like the pixels are (on sRGB values).
std::array<std::uint8_t, 3> over(const std::array<std::uint8_t, 3>& under, const std::array<std::uint8_t, 3>& plate,
                                 unsigned alpha) {
  return {mix(under[0], plate[0], alpha), mix(under[1], plate[1], alpha), mix(under[2], plate[2], alpha)};
}

struct Paint {
  std::array<std::uint8_t, 3> rgb;
  std::uint8_t gray;
};

// Straight-alpha "over" of `paint` with coverage `alpha` (0..255) onto one pixel, in sRGB values.
void composite(std::uint8_t* px, PixelFormat format, const Paint& paint, unsigned alpha) {
  if (alpha == 0) return;
  switch (format) {
    case PixelFormat::gray8:
      px[0] = mix(px[0], paint.gray, alpha);
      return;
    case PixelFormat::rgb8:
      for (int c = 0; c < 3; ++c) px[c] = mix(px[c], paint.rgb[c], alpha);
      return;
    case PixelFormat::rgba8: {
      const unsigned under = px[3] * (255 - alpha);
      const unsigned total = alpha * 255 + under;  // the new alpha, times 255
      for (int c = 0; c < 3; ++c)
        px[c] = static_cast<std::uint8_t>((paint.rgb[c] * alpha * 255 + px[c] * under + total / 2) / total);
      px[3] = static_cast<std::uint8_t>((total + 127) / 255);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------- fonts

struct FtLibrary {
  FT_Library handle = nullptr;
  FtLibrary() {
    if (FT_Init_FreeType(&handle) != 0) fail(Errc::internal, "FreeType failed to initialise");
  }
  ~FtLibrary() { FT_Done_FreeType(handle); }
  FtLibrary(const FtLibrary&) = delete;
  FtLibrary& operator=(const FtLibrary&) = delete;
};

struct FtFace {
  FT_Face handle = nullptr;
  std::string name;  // for messages
  ~FtFace() {
    if (handle != nullptr) FT_Done_Face(handle);
  }
};

struct FtStroker {
  FT_Stroker handle = nullptr;
  ~FtStroker() {
    if (handle != nullptr) FT_Stroker_Done(handle);
  }
};

// Owns an FT_Glyph; FreeType's conversions replace the pointer in place.
struct FtGlyph {
  FT_Glyph handle = nullptr;
  ~FtGlyph() {
    if (handle != nullptr) FT_Done_Glyph(handle);
  }
};

struct FontFile {
  std::string path;
  int index = 0;
};

template <typename T, void (*Destroy)(T*)>
struct FcDeleter {
  void operator()(T* p) const { Destroy(p); }
};
using FcPatternPtr = std::unique_ptr<FcPattern, FcDeleter<FcPattern, FcPatternDestroy>>;
using FcCharSetPtr = std::unique_ptr<FcCharSet, FcDeleter<FcCharSet, FcCharSetDestroy>>;
using FcFontSetPtr = std::unique_ptr<FcFontSet, FcDeleter<FcFontSet, FcFontSetDestroy>>;

// The best sans-serif outline font covering every character, Chinese fonts first: the default wording is
// Chinese, and one font keeps a bilingual label in one style.
FontFile find_font(const std::u32string& cps) {
  const FcCharSetPtr needed(FcCharSetCreate());
  const FcPatternPtr pattern(FcPatternCreate());
  if (!needed || !pattern) fail(Errc::internal, "fontconfig is out of memory");
  for (const char32_t cp : cps) FcCharSetAddChar(needed.get(), cp);
  FcPatternAddString(pattern.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>("sans-serif"));
  FcPatternAddString(pattern.get(), FC_LANG, reinterpret_cast<const FcChar8*>("zh-cn"));
  FcPatternAddCharSet(pattern.get(), FC_CHARSET, needed.get());
  FcPatternAddBool(pattern.get(), FC_SCALABLE, FcTrue);
  FcConfigSubstitute(nullptr, pattern.get(), FcMatchPattern);
  FcDefaultSubstitute(pattern.get());
  FcResult result = FcResultNoMatch;
  const FcFontSetPtr fonts(FcFontSort(nullptr, pattern.get(), FcTrue, nullptr, &result));
  for (int i = 0; fonts && i < fonts->nfont; ++i) {
    const FcPattern* font = fonts->fonts[i];
    FcCharSet* has = nullptr;
    FcBool scalable = FcFalse;
    FcChar8* file = nullptr;
    int index = 0;
    if (FcPatternGetCharSet(font, FC_CHARSET, 0, &has) != FcResultMatch || !FcCharSetIsSubset(needed.get(), has))
      continue;
    if (FcPatternGetBool(font, FC_SCALABLE, 0, &scalable) != FcResultMatch || !scalable) continue;
    if (FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch) continue;
    FcPatternGetInteger(font, FC_INDEX, 0, &index);
    return {reinterpret_cast<const char*>(file), index};
  }
  fail(Errc::io,
       "fontconfig found no installed outline font covering the label text "
       "(install fonts-wqy-microhei, or pass a font file)");
}

std::string code_point_name(char32_t cp) {
  char name[16];
  std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(cp));
  return name;
}

void open_face(FtFace& face, const FtLibrary& ft, const FontFile& font, const std::u32string& cps) {
  face.name = font.path;
  if (FT_New_Face(ft.handle, font.path.c_str(), font.index, &face.handle) != 0)
    fail(Errc::io, "cannot open font " + font.path);
  if (!FT_IS_SCALABLE(face.handle)) fail(Errc::io, "font " + font.path + " is not scalable");
  for (const char32_t cp : cps)
    if (FT_Get_Char_Index(face.handle, cp) == 0)
      fail(Errc::io, "font " + font.path + " has no glyph for " + code_point_name(cp));
}

// ---------------------------------------------------------------------------------------------- glyphs

// An 8-bit coverage bitmap placed relative to the pen origin on the baseline (y grows downwards).
struct Coverage {
  int left = 0, top = 0, width = 0, rows = 0;
  std::vector<std::uint8_t> alpha;
};

void check_ft(FT_Error error, const FtFace& face, const char* what) {
  if (error != 0) fail(Errc::io, std::string("font ") + face.name + ": FreeType failed to " + what);
}

// Light hinting snaps vertical metrics to the pixel grid, which keeps small CJK strokes crisp; embedded
// bitmaps are skipped because they exist only at fixed sizes.
constexpr FT_Int32 kLoadFlags = FT_LOAD_NO_BITMAP | FT_LOAD_TARGET_LIGHT;

FtGlyph load_glyph(const FtFace& face, FT_UInt index) {
  check_ft(FT_Load_Glyph(face.handle, index, kLoadFlags), face, "load a glyph");
  if (face.handle->glyph->format != FT_GLYPH_FORMAT_OUTLINE) fail(Errc::io, "font " + face.name + " has no outlines");
  FtGlyph glyph;
  check_ft(FT_Get_Glyph(face.handle->glyph, &glyph.handle), face, "copy a glyph");
  return glyph;
}

Coverage rasterize(FtGlyph& glyph, const FtFace& face) {
  check_ft(FT_Glyph_To_Bitmap(&glyph.handle, FT_RENDER_MODE_LIGHT, nullptr, 1), face, "render a glyph");
  const auto* bitmap_glyph = reinterpret_cast<FT_BitmapGlyph>(glyph.handle);
  const FT_Bitmap& bitmap = bitmap_glyph->bitmap;
  if (bitmap.pixel_mode != FT_PIXEL_MODE_GRAY || bitmap.num_grays != 256 || bitmap.pitch < 0)
    fail(Errc::internal, "FreeType rendered an unexpected bitmap layout");
  Coverage out{
      bitmap_glyph->left, -bitmap_glyph->top, static_cast<int>(bitmap.width), static_cast<int>(bitmap.rows), {}};
  out.alpha.resize(static_cast<std::size_t>(out.width) * out.rows);
  for (int y = 0; y < out.rows; ++y)
    std::copy_n(bitmap.buffer + static_cast<std::ptrdiff_t>(y) * bitmap.pitch, out.width,
                out.alpha.begin() + static_cast<std::ptrdiff_t>(y) * out.width);
  return out;
}

// Rows holding at least one pixel that is half covered or more: the ink a reader sees. Anti-aliasing
// fringes are not counted, so the label errs on the large side.
int ink_rows(const Coverage& c) {
  int first = -1, last = -1;
  for (int y = 0; y < c.rows; ++y) {
    const auto* row = c.alpha.data() + static_cast<std::ptrdiff_t>(y) * c.width;
    if (std::any_of(row, row + c.width, [](std::uint8_t a) { return a >= kHalfCoverage; })) {
      if (first < 0) first = y;
      last = y;
    }
  }
  return first < 0 ? 0 : last - first + 1;
}

void set_size(const FtFace& face, int pixels) {
  check_ft(FT_Set_Pixel_Sizes(face.handle, 0, static_cast<FT_UInt>(pixels)), face, "scale to the label size");
}

int tallest_ink(const FtFace& face, const std::vector<FT_UInt>& glyphs, int pixels) {
  set_size(face, pixels);
  int tallest = 0;
  for (const FT_UInt index : glyphs) {
    FtGlyph glyph = load_glyph(face, index);
    tallest = std::max(tallest, ink_rows(rasterize(glyph, face)));
  }
  return tallest;
}

// The smallest pixel size whose tallest glyph ink reaches `required` rows. Ink height grows with the size but
// hinting makes it step unevenly, so guess proportionally, then walk to the boundary.
int choose_pixel_size(const FtFace& face, const std::vector<FT_UInt>& glyphs, int required) {
  constexpr int kMaxPixels = 0xFFFF;  // FreeType's limit
  int size = required;
  int ink = tallest_ink(face, glyphs, size);
  if (ink == 0) fail(Errc::invalid_argument, "label text has no visible glyph");
  size = std::clamp(static_cast<int>(std::lround(static_cast<double>(size) * required / ink)), 1, kMaxPixels);
  ink = tallest_ink(face, glyphs, size);
  for (int steps = 0; ink < required; ++steps) {
    if (size >= kMaxPixels || steps > 64) fail(Errc::invalid_argument, "label text cannot reach the required height");
    ink = tallest_ink(face, glyphs, ++size);
  }
  while (size > 1) {
    const int smaller = tallest_ink(face, glyphs, size - 1);
    if (smaller < required) break;
    --size;
    ink = smaller;
  }
  set_size(face, size);
  return ink;
}

// The label's text and outline coverage on one canvas whose (0, 0) is the top-left of their ink.
struct TextImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> fill, outline;  // outline is empty when not drawn
};

void stamp(std::vector<std::uint8_t>& canvas, int canvas_width, const Coverage& c, int x0, int y0) {
  for (int y = 0; y < c.rows; ++y)
    for (int x = 0; x < c.width; ++x) {
      std::uint8_t& dst = canvas[static_cast<std::size_t>(y0 + y) * canvas_width + (x0 + x)];
      dst = std::max(dst, c.alpha[static_cast<std::size_t>(y) * c.width + x]);
    }
}

TextImage render_text(const FtLibrary& ft, const FtFace& face, const std::vector<FT_UInt>& glyphs, int outline_px) {
  FtStroker stroker;
  if (outline_px > 0) {
    check_ft(FT_Stroker_New(ft.handle, &stroker.handle), face, "create a stroker");
    FT_Stroker_Set(stroker.handle, FT_Fixed{outline_px} * 64, FT_STROKER_LINECAP_ROUND, FT_STROKER_LINEJOIN_ROUND, 0);
  }
  struct Placed {
    int x;
    Coverage fill, outline;
  };
  std::vector<Placed> placed;
  FT_Pos pen = 0;  // 26.6 fixed point
  FT_UInt previous = 0;
  for (const FT_UInt index : glyphs) {
    if (previous != 0 && FT_HAS_KERNING(face.handle)) {
      FT_Vector kern{};
      if (FT_Get_Kerning(face.handle, previous, index, FT_KERNING_DEFAULT, &kern) == 0) pen += kern.x;
    }
    previous = index;
    FtGlyph glyph = load_glyph(face, index);
    const FT_Pos advance = face.handle->glyph->advance.x;
    Placed p{static_cast<int>((pen + 32) >> 6), {}, {}};
    if (stroker.handle != nullptr) {
      FtGlyph border;
      check_ft(FT_Glyph_Copy(glyph.handle, &border.handle), face, "copy a glyph");
      check_ft(FT_Glyph_Stroke(&border.handle, stroker.handle, 1), face, "outline a glyph");
      p.outline = rasterize(border, face);
    }
    p.fill = rasterize(glyph, face);
    placed.push_back(std::move(p));
    pen += advance;
  }
  int left = 0, top = 0, right = 0, bottom = 0;
  bool any = false;
  for (const Placed& p : placed)
    for (const Coverage* c : {&p.fill, &p.outline}) {
      if (c->width == 0 || c->rows == 0) continue;
      const int l = p.x + c->left, t = c->top;
      left = any ? std::min(left, l) : l;
      top = any ? std::min(top, t) : t;
      right = any ? std::max(right, l + c->width) : l + c->width;
      bottom = any ? std::max(bottom, t + c->rows) : t + c->rows;
      any = true;
    }
  TextImage out;
  out.width = right - left;
  out.height = bottom - top;
  const auto area = static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height);
  out.fill.assign(area, 0);
  if (outline_px > 0) out.outline.assign(area, 0);
  for (const Placed& p : placed) {
    stamp(out.fill, out.width, p.fill, p.x + p.fill.left - left, p.fill.top - top);
    if (outline_px > 0) stamp(out.outline, out.width, p.outline, p.x + p.outline.left - left, p.outline.top - top);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- layout

void check_options(const VisibleLabelOptions& o) {
  if (!(o.text_height >= 0.05 && o.text_height <= kMaxTextHeight))
    fail(Errc::invalid_argument, "label text_height must be between 0.05 (GB 45438 §5.2) and 0.5 of the shortest side");
  if (!(o.margin >= 0 && o.margin <= kMaxMargin))
    fail(Errc::invalid_argument, "label margin must be between 0 and 0.25 of the shortest side");
  if (!(o.plate_opacity >= 0 && o.plate_opacity <= 1))
    fail(Errc::invalid_argument, "label plate_opacity must be between 0 and 1");
  if (contrast(o.text_rgb, o.plate_rgb) < kMinContrast)
    fail(Errc::invalid_argument,
         "label text and plate colours differ too little in luminance to be legible "
         "(contrast ratio below 4.5:1)");
}

// Start of a `length`-long span along a side of `size` pixels: at the margin, centred, or at the far margin.
int place(int size, int length, int margin, int where) {
  return where < 0 ? margin : where > 0 ? size - margin - length : (size - length) / 2;
}

}  // namespace

VisibleLabelBox draw_visible_label(const MutableImageView& image, const VisibleLabelOptions& options) {
  check_view(image);
  check_options(options);
  const std::string text = label_text(options);
  const std::u32string cps = checked_code_points(text);

  const int shortest = std::min(image.width, image.height);
  // The 1e-9 keeps an exact product (0.05 * 1000) from rounding up a pixel.
  const int required = std::max(kMinInkHeight, static_cast<int>(std::ceil(options.text_height * shortest - 1e-9)));

  const FtLibrary ft;
  FtFace face;
  open_face(face, ft, options.font.empty() ? find_font(cps) : FontFile{options.font.string(), 0}, cps);
  std::vector<FT_UInt> glyphs;
  for (const char32_t cp : cps) glyphs.push_back(FT_Get_Char_Index(face.handle, cp));
  std::vector<FT_UInt> distinct = glyphs;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  const int ink = choose_pixel_size(face, distinct, required);

  // Without a plate, or with one too faint to hold 4.5:1 over a background of the text's own colour, an
  // outline in the plate colour separates the text from whatever lies beneath.
  const auto plate_alpha = static_cast<unsigned>(std::lround(options.plate_opacity * 255));
  const bool plate = plate_alpha > 0;
  const bool outline =
      contrast(options.text_rgb, over(options.text_rgb, options.plate_rgb, plate_alpha)) < kMinContrast;
  const TextImage drawn =
      render_text(ft, face, glyphs, outline ? std::max(1, static_cast<int>(std::lround(ink * kOutline))) : 0);

  // Fit: shrink the margins first, then the plate's side padding; refuse only when the text itself is too big.
  const int pad_y = plate ? static_cast<int>(std::lround(ink * kPadY)) : 0;
  int pad_x = plate ? static_cast<int>(std::lround(ink * kPadX)) : 0;
  const int min_pad_x = plate ? static_cast<int>(std::lround(ink * kMinPadX)) : 0;
  const std::string size_text = std::to_string(image.width) + "x" + std::to_string(image.height);
  if (drawn.width + 2 * pad_x > image.width) pad_x = std::max(min_pad_x, (image.width - drawn.width) / 2);
  if (drawn.width + 2 * pad_x > image.width)
    fail(Errc::invalid_argument, "label \"" + text + "\" needs " + std::to_string(drawn.width + 2 * min_pad_x) +
                                     " px of width at the required ink height of " + std::to_string(required) +
                                     " px: image " + size_text + " is too narrow (use a shorter text)");
  if (drawn.height + 2 * pad_y > image.height)
    fail(Errc::invalid_argument, "label needs " + std::to_string(drawn.height + 2 * pad_y) +
                                     " px of height: image " + size_text + " is too small");
  VisibleLabelBox box;
  box.width = drawn.width + 2 * pad_x;
  box.height = drawn.height + 2 * pad_y;
  box.ink_height = ink;
  const int margin = static_cast<int>(std::lround(options.margin * shortest));
  const int margin_x = std::min(margin, (image.width - box.width) / 2);
  const int margin_y = std::min(margin, (image.height - box.height) / 2);
  using P = LabelPosition;
  const P pos = options.position;
  const int horizontal = pos == P::top_left || pos == P::bottom_left ? -1 : pos == P::top || pos == P::bottom ? 0 : 1;
  const int vertical = pos == P::top_left || pos == P::top_right || pos == P::top ? -1 : 1;
  box.x = place(image.width, box.width, margin_x, horizontal);
  box.y = place(image.height, box.height, margin_y, vertical);

  const Paint text_paint{options.text_rgb, gray_of(options.text_rgb)};
  const Paint plate_paint{options.plate_rgb, gray_of(options.plate_rgb)};
  const int n = channels(image.format);
  for (int y = 0; y < box.height; ++y) {
    std::uint8_t* row = image.row(box.y + y) + static_cast<std::ptrdiff_t>(box.x) * n;
    const int ty = y - pad_y;
    for (int x = 0; x < box.width; ++x) {
      std::uint8_t* px = row + static_cast<std::ptrdiff_t>(x) * n;
      const int tx = x - pad_x;
      const bool in_text = tx >= 0 && ty >= 0 && tx < drawn.width && ty < drawn.height;
      const std::size_t at = in_text ? static_cast<std::size_t>(ty) * drawn.width + tx : 0;
      if (plate) {
        // The plate makes the label opaque: transparent pixels beneath it count as plate-coloured.
        if (image.format == PixelFormat::rgba8) {
          for (int c = 0; c < 3; ++c) px[c] = mix(options.plate_rgb[c], px[c], px[3]);
          px[3] = 255;
        }
        composite(px, image.format, plate_paint, plate_alpha);
      }
      if (!in_text) continue;
      if (outline) composite(px, image.format, plate_paint, drawn.outline[at]);
      composite(px, image.format, text_paint, drawn.fill[at]);
    }
  }
  return box;
}

}  // namespace provmark
