// SPDX-License-Identifier: Apache-2.0
// Audio: float32 numpy arrays as PCM views (zero copy when C-contiguous), decoding and encoding through FFmpeg, the
// audible label, and the audio watermark on arrays, encoded bytes and files.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl/filesystem.h>

#include <climits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "native.hpp"
#include "provmark/audible_label.hpp"
#include "provmark/audio.hpp"
#include "provmark/audio_codec.hpp"
#include "provmark/audio_watermark.hpp"
#include "provmark/manifest.hpp"
#include "provmark/error.hpp"

namespace provmark::python {

namespace {

using namespace pybind11::literals;

// audio.hpp's check_view() takes 1..16 channels; more is almost always a (channels, frames) array.
constexpr py::ssize_t max_channels = 16;

constexpr std::pair<AudioFileFormat, const char*> format_names[] = {
    {AudioFileFormat::same_as_source, "same_as_source"},
    {AudioFileFormat::wav, "wav"},
    {AudioFileFormat::flac, "flac"},
    {AudioFileFormat::mp3, "mp3"},
    {AudioFileFormat::m4a, "m4a"},
    {AudioFileFormat::ogg_opus, "ogg_opus"},
    {AudioFileFormat::ogg_vorbis, "ogg_vorbis"},
};
constexpr std::pair<AudioSampleDepth, const char*> depth_names[] = {
    {AudioSampleDepth::s16, "s16"}, {AudioSampleDepth::s24, "s24"}, {AudioSampleDepth::f32, "f32"}};
constexpr std::pair<AudibleLabelMode, const char*> mode_names[] = {{AudibleLabelMode::prepend, "prepend"},
                                                                   {AudibleLabelMode::mix, "mix"}};

template <typename Enum, std::size_t n>
Enum enum_from(const std::pair<Enum, const char*> (&names)[n], const py::handle& value, const char* argument,
               const char* type) {
  const auto name = cast_argument<std::string>(value, argument, std::string("an ") + type);
  for (const auto& [known, known_name] : names)
    if (name == known_name) return known;
  throw Error(Errc::invalid_argument, std::string(argument) + ": unknown " + type + " '" + name + "'");
}

template <typename Enum, std::size_t n>
const char* enum_name(const std::pair<Enum, const char*> (&names)[n], Enum value) {
  for (const auto& [known, name] : names)
    if (value == known) return name;
  throw Error(Errc::internal, "unnamed enum value");
}

std::string type_name(const py::handle& object) { return py::str(py::type::handle_of(object).attr("__name__")); }

py::object numpy() { return py::module_::import("numpy"); }

int channels_of(const py::array& array) { return array.ndim() == 1 ? 1 : static_cast<int>(array.shape(1)); }

// The view of a C-contiguous PCM array's own memory. numpy's pointer to a read-only array is const in spirit; only
// writable_audio_view() hands it out for writing.
MutableAudioView view_of(const py::array& array, int sample_rate) {
  return {static_cast<float*>(const_cast<void*>(array.data())), static_cast<std::size_t>(array.shape(0)),
          channels_of(array), sample_rate};
}

// Hands `audio`'s samples to numpy without copying them: the array's base is a capsule that owns the Audio.
// Shaped (frames, channels), or (frames,) when `one_dimensional` (mono in, mono out).
py::array take_audio(Audio&& audio, bool one_dimensional = false) {
  auto owner = std::make_unique<Audio>(std::move(audio));
  Audio* owned = owner.get();
  const py::capsule base(owned, [](void* pointer) { delete static_cast<Audio*>(pointer); });
  owner.release();  // the capsule owns it now
  const auto frames = static_cast<py::ssize_t>(owned->frames());
  const py::ssize_t channels = owned->channels();
  float* data = owned->samples().data();
  constexpr py::ssize_t sample_bytes = sizeof(float);
  if (one_dimensional && channels == 1) return py::array_t<float>({frames}, {sample_bytes}, data, base);
  return py::array_t<float>({frames, channels}, {channels * sample_bytes, sample_bytes}, data, base);
}

py::object audio_tag(const AudioTag& tag) {
  return types().audio_tag("key"_a = to_text(tag.key), "value"_a = to_text(tag.value));
}

py::tuple tags_to_python(const std::vector<AudioTag>& tags) {
  py::tuple result(tags.size());
  for (std::size_t i = 0; i < tags.size(); ++i) result[i] = audio_tag(tags[i]);
  return result;
}

// AudioTag objects (or anything with key and value) or (key, value) pairs.
std::vector<AudioTag> tags_from(const py::handle& tags) {
  if (!py::isinstance<py::iterable>(tags) || py::isinstance<py::str>(tags))
    throw py::type_error("tags: expected AudioTag objects or (key, value) pairs, got " + type_name(tags));
  std::vector<AudioTag> result;
  for (const py::handle tag : tags) {
    if (py::hasattr(tag, "key") && py::hasattr(tag, "value")) {
      result.push_back({cast_argument<std::string>(tag.attr("key"), "AudioTag.key", "a str"),
                        cast_argument<std::string>(tag.attr("value"), "AudioTag.value", "a str")});
    } else if (py::isinstance<py::sequence>(tag) && !py::isinstance<py::str>(tag) && py::len(tag) == 2) {
      const auto pair = py::reinterpret_borrow<py::sequence>(tag);
      result.push_back({cast_argument<std::string>(pair[0], "tag key", "a str"),
                        cast_argument<std::string>(pair[1], "tag value", "a str")});
    } else {
      throw py::type_error("tags: expected AudioTag objects or (key, value) pairs, got " + type_name(tag));
    }
  }
  return result;
}

py::object source_to_python(const AudioSourceInfo& source) {
  return types().audio_source_info("container"_a = to_text(source.container), "codec"_a = to_text(source.codec),
                                   "bit_rate"_a = source.bit_rate, "sample_format"_a = to_text(source.sample_format),
                                   "bits_per_sample"_a = source.bits_per_sample, "sample_rate"_a = source.sample_rate,
                                   "channels"_a = source.channels, "tags"_a = tags_to_python(source.tags));
}

// A provmark.AudioSourceInfo (or any object with its attributes), as decode_audio() gave it.
AudioSourceInfo source_from(const py::handle& source) {
  const auto text = [&](const char* name) {
    return cast_argument<std::string>(source.attr(name), std::string("AudioSourceInfo.") + name, "a str");
  };
  const auto integer = [&](const char* name) {
    return cast_argument<std::int64_t>(source.attr(name), std::string("AudioSourceInfo.") + name, "an int");
  };
  for (const char* attribute :
       {"container", "codec", "bit_rate", "sample_format", "bits_per_sample", "sample_rate", "channels", "tags"})
    if (!py::hasattr(source, attribute))
      throw py::type_error("source: expected an AudioSourceInfo or None, got " + type_name(source));
  AudioSourceInfo info;
  info.container = text("container");
  info.codec = text("codec");
  info.bit_rate = integer("bit_rate");
  info.sample_format = text("sample_format");
  info.bits_per_sample = static_cast<int>(integer("bits_per_sample"));
  info.sample_rate = static_cast<int>(integer("sample_rate"));
  info.channels = static_cast<int>(integer("channels"));
  info.tags = tags_from(source.attr("tags"));
  return info;
}

AudioEncodeOptions encode_options(const py::handle& format, const py::handle& source, const py::handle& depth,
                                  std::int64_t bit_rate, const py::handle& tags) {
  AudioEncodeOptions options;
  options.format = enum_from(format_names, format, "format", "AudioFileFormat");
  if (!source.is_none()) options.source = source_from(source);
  options.depth = enum_from(depth_names, depth, "depth", "AudioSampleDepth");
  options.bit_rate = bit_rate;
  options.tags = tags_from(tags);
  return options;
}


py::object decoded_to_python(DecodedAudio&& decoded) {
  const int sample_rate = decoded.audio.sample_rate();
  py::object source = source_to_python(decoded.source);
  return types().decoded_audio("samples"_a = take_audio(std::move(decoded.audio)), "sample_rate"_a = sample_rate,
                               "source"_a = source);
}

// Defaults of the C++ option structs, so that the Python signatures cannot drift from them.
const AudioDetectOptions detect_defaults;
const AudibleLabelOptions audible_defaults;

// AudibleLabelOptions with `clip` (float32 PCM or None) viewed at `clip_rate`; `clip_array` keeps what is viewed.
AudibleLabelOptions audible_options(const py::handle& mode, bool at_end, const py::handle& clip, int clip_rate,
                                    double tone_hz, double unit_seconds, double level_offset_db, double floor_dbfs,
                                    double gap_seconds, double crossfade_seconds, double duck_db,
                                    py::array& clip_array) {
  AudibleLabelOptions options;
  options.mode = enum_from(mode_names, mode, "mode", "AudibleLabelMode");
  options.at_end = at_end;
  if (!clip.is_none()) {
    clip_array = pcm_array(clip);
    options.clip = readable_audio_view(clip_array, clip_rate);
  }
  options.tone_hz = tone_hz;
  options.unit_seconds = unit_seconds;
  options.level_offset_db = level_offset_db;
  options.floor_dbfs = floor_dbfs;
  options.gap_seconds = gap_seconds;
  options.crossfade_seconds = crossfade_seconds;
  options.duck_db = duck_db;
  return options;
}

void bind_codec(py::module_& m) {
  m.def(
      "decode_audio",
      [](const py::handle& data, const Limits& limits) {
        const BytesIn in(data);
        DecodedAudio decoded;
        {
          py::gil_scoped_release release;
          decoded = decode_audio(in.span(), limits);
        }
        return decoded_to_python(std::move(decoded));
      },
      "data"_a, py::kw_only(), "limits"_a = py::none(),
      "Decodes the best audio stream of any file FFmpeg reads (WAV, FLAC, MP3, M4A, Ogg, ...) from bytes to a\n"
      "DecodedAudio: float32 samples shaped (frames, channels) (mono too), which own the decoder's buffer (no\n"
      "copy), the sample rate and an AudioSourceInfo. Raises UnsupportedFormatError, MalformedInputError,\n"
      "LimitExceededError (limits.max_file_bytes, limits.max_audio_samples).");

  m.def(
      "decode_audio_file",
      [](const std::filesystem::path& path, const Limits& limits) {
        DecodedAudio decoded;
        {
          py::gil_scoped_release release;
          decoded = decode_audio_file(path, limits);
        }
        return decoded_to_python(std::move(decoded));
      },
      "path"_a, py::kw_only(), "limits"_a = py::none(), "decode_audio() of a file. Raises IoError too.");

  const AudioEncodeOptions encode_defaults;
  m.def(
      "encode_audio",
      [](const py::handle& samples, int sample_rate, const py::handle& format, const py::handle& source,
         const py::handle& depth, std::int64_t bit_rate, const py::handle& tags) {
        const AudioEncodeOptions options = encode_options(format, source, depth, bit_rate, tags);
        py::array array = pcm_array(samples);
        const AudioView view = readable_audio_view(array, sample_rate);
        std::vector<std::uint8_t> bytes;
        {
          py::gil_scoped_release release;
          bytes = encode_audio(view, options);
        }
        return to_bytes(bytes);
      },
      "samples"_a, py::kw_only(), "sample_rate"_a, "format"_a = enum_name(format_names, encode_defaults.format),
      "source"_a = py::none(), "depth"_a = enum_name(depth_names, encode_defaults.depth),
      "bit_rate"_a = encode_defaults.bit_rate, "tags"_a = py::tuple(),
      "Encodes float32 PCM ((frames, channels) or (frames,) for mono; clipped to [-1, 1]) to a file's bytes.\n"
      "format: an AudioFileFormat; SAME_AS_SOURCE (the default) writes the format, bit rate and depth of `source`,\n"
      "the AudioSourceInfo of a decoded file. depth: an AudioSampleDepth (WAV, FLAC). bit_rate: bits per second\n"
      "of lossy codecs, 0 for the default (the source's, else 96 kb/s per channel). tags: AudioTag objects or\n"
      "(key, value) pairs, written as the container's metadata. The rate is kept when the codec allows it (MP3 at\n"
      "most 48 kHz, Opus always 48 kHz). Raises InvalidArgumentError for bad samples, rate, depth, bit rate or tag,\n"
      "UnsupportedFormatError when the codec cannot take the channels or SAME_AS_SOURCE has no usable source.");

  m.def(
      "encode_audio_file",
      [](const std::filesystem::path& path, const py::handle& samples, int sample_rate, const py::handle& format,
         const py::handle& source, const py::handle& depth, std::int64_t bit_rate, const py::handle& tags) {
        const AudioEncodeOptions options = encode_options(format, source, depth, bit_rate, tags);
        py::array array = pcm_array(samples);
        const AudioView view = readable_audio_view(array, sample_rate);
        py::gil_scoped_release release;
        encode_audio_file(path, view, options);
      },
      "path"_a, "samples"_a, py::kw_only(), "sample_rate"_a,
      "format"_a = enum_name(format_names, encode_defaults.format), "source"_a = py::none(),
      "depth"_a = enum_name(depth_names, encode_defaults.depth), "bit_rate"_a = encode_defaults.bit_rate,
      "tags"_a = py::tuple(),
      "encode_audio() to a file, written atomically (nothing is left on failure). Raises IoError too.");

  m.def(
      "audio_file_format_of",
      [](const py::handle& source) {
        return types().audio_file_format(enum_name(format_names, audio_file_format_of(source_from(source))));
      },
      "source"_a,
      "The AudioFileFormat SAME_AS_SOURCE means for a decoded file's AudioSourceInfo (by codec: PCM -> WAV, FLAC,\n"
      "MP3, AAC -> M4A, Opus, Vorbis). Raises UnsupportedFormatError for other codecs.");

  m.def(
      "audio_file_extension",
      [](const py::handle& format) {
        return std::string(audio_file_extension(enum_from(format_names, format, "format", "AudioFileFormat")));
      },
      "format"_a,
      "The usual file name extension of an AudioFileFormat, without the dot: \"wav\", \"flac\", \"mp3\", \"m4a\",\n"
      "\"opus\", \"ogg\". Raises InvalidArgumentError for SAME_AS_SOURCE.");
}

void bind_audible_label(py::module_& m) {
  m.def(
      "add_audible_label",
      [](const py::handle& samples, int sample_rate, const py::handle& mode, bool at_end, const py::handle& clip,
         double tone_hz, double unit_seconds, double level_offset_db, double floor_dbfs, double gap_seconds,
         double crossfade_seconds, double duck_db) {
        py::array array = pcm_array(samples);
        const AudioView content = readable_audio_view(array, sample_rate);
        py::array clip_array;
        const AudibleLabelOptions options =
            audible_options(mode, at_end, clip, sample_rate, tone_hz, unit_seconds, level_offset_db, floor_dbfs,
                            gap_seconds, crossfade_seconds, duck_db, clip_array);
        AudibleLabelResult made;
        {
          py::gil_scoped_release release;
          made = add_audible_label(content, options);
        }
        const int rate = made.audio.sample_rate();
        return types().audible_label_result("samples"_a = take_audio(std::move(made.audio), array.ndim() == 1),
                                            "sample_rate"_a = rate, "level_dbfs"_a = made.level_dbfs,
                                            "target_dbfs"_a = made.target_dbfs, "label_frames"_a = made.label_frames,
                                            "content_offset"_a = made.content_offset);
      },
      "samples"_a, py::kw_only(), "sample_rate"_a, "mode"_a = enum_name(mode_names, audible_defaults.mode),
      "at_end"_a = audible_defaults.at_end, "clip"_a = py::none(), "tone_hz"_a = audible_defaults.tone_hz,
      "unit_seconds"_a = audible_defaults.unit_seconds, "level_offset_db"_a = audible_defaults.level_offset_db,
      "floor_dbfs"_a = audible_defaults.floor_dbfs, "gap_seconds"_a = audible_defaults.gap_seconds,
      "crossfade_seconds"_a = audible_defaults.crossfade_seconds, "duck_db"_a = audible_defaults.duck_db,
      "The GB 45438 explicit label of audio: \"AI\" in Morse code (.- ..) as a tone, or `clip` (float32 PCM of the\n"
      "same rate, the content's channel count or mono), at a level matched to the content, before it (mode\n"
      "PREPEND, with gap_seconds of silence) or over its first seconds with the content ducked by duck_db (MIX);\n"
      "at_end repeats it at the end. The keyword arguments are the fields of AudibleLabelOptions but clip_sample_rate\n"
      "(the clip has the content's rate). `samples` is\n"
      "left alone; returns an AudibleLabelResult whose samples are a new array (1-D for 1-D input).\n"
      "Raises InvalidArgumentError for bad samples, rate or options, or (MIX) content shorter than the label.");
}

void bind_audio_watermark(py::module_& m) {
  m.attr("AUDIO_WATERMARK_ALG") = std::string(audio_watermark_alg);
  m.attr("AUDIO_WATERMARK_MIN_SECONDS") = audio_watermark_min_seconds;

  m.def(
      "embed_audio_into",
      [](const py::handle& samples, const Payload& payload, const WatermarkKey& key, int sample_rate) {
        const MutableAudioView view =
            writable_audio_view(samples, sample_rate, "embed_audio_into", "use embed_audio(), which copies");
        py::gil_scoped_release release;
        embed_into(view, payload, key);
      },
      "samples"_a, "payload"_a, "key"_a, py::kw_only(), "sample_rate"_a,
      "Embeds the audio watermark into a writable, C-contiguous float32 numpy array in place, without copying it:\n"
      "interleaved PCM shaped (frames, channels) or (frames,) for mono; the same small signal goes into every\n"
      "channel. Raises TypeError for a non-array or non-float32 samples, InvalidArgumentError for a read-only or\n"
      "non-C-contiguous array, a bad sample rate or channel count, or audio shorter than\n"
      "AUDIO_WATERMARK_MIN_SECONDS (detection needs about 7 s).");

  m.def(
      "embed_audio",
      [](const py::handle& samples, const Payload& payload, const WatermarkKey& key, int sample_rate) {
        const py::array source = pcm_array(samples);
        py::array marked = numpy().attr("array")(source, "order"_a = "C", "copy"_a = true);
        const MutableAudioView view = writable_audio_view(marked, sample_rate, "embed_audio", "");
        {
          py::gil_scoped_release release;
          embed_into(view, payload, key);
        }
        return marked;
      },
      "samples"_a, "payload"_a, "key"_a, py::kw_only(), "sample_rate"_a,
      "A watermarked copy of float32 PCM: a new C-contiguous array of the same shape, from any float32 array\n"
      "layout. Raises like embed_audio_into().");

  m.def(
      "detect_audio",
      [](const py::handle& samples, const WatermarkKey& key, int sample_rate, double max_false_alarm,
         bool search_time_scale, double max_seconds) {
        py::array array = pcm_array(samples);
        const AudioView view = readable_audio_view(array, sample_rate);
        AudioDetectResult result;
        {
          py::gil_scoped_release release;
          result = detect(
              view, key,
              {.max_false_alarm = max_false_alarm, .search_time_scale = search_time_scale, .max_seconds = max_seconds});
        }
        return to_python(result);
      },
      "samples"_a, "key"_a, py::kw_only(), "sample_rate"_a, "max_false_alarm"_a = detect_defaults.max_false_alarm,
      "search_time_scale"_a = detect_defaults.search_time_scale, "max_seconds"_a = detect_defaults.max_seconds,
      "Looks for the audio watermark of `key` in float32 PCM ((frames, channels) or (frames,)); blind: the original\n"
      "is not needed. C-contiguous arrays are read in place, others copied first. A watermark is reported only when\n"
      "its false-alarm probability is below max_false_alarm; search_time_scale=False skips the search for speed\n"
      "and tempo changes of up to 2% (faster); at most max_seconds from the start are examined. The GIL is released\n"
      "while it works. Returns an AudioDetectResult (found=False is an answer).");

  const AudioEncodeOptions encode_defaults;
  m.def(
      "embed_audio_encoded",
      [](const py::handle& data, const Payload& payload, const WatermarkKey& key, const py::handle& format,
         const py::handle& depth, std::int64_t bit_rate, const py::handle& tags, const Limits& limits) {
        const AudioEncodeOptions output = encode_options(format, py::none(), depth, bit_rate, tags);
        const BytesIn in(data);
        std::vector<std::uint8_t> marked;
        {
          py::gil_scoped_release release;
          marked = embed_audio_encoded(in.span(), payload, key, output, limits);
        }
        return to_bytes(marked);
      },
      "data"_a, "payload"_a, "key"_a, py::kw_only(), "format"_a = enum_name(format_names, encode_defaults.format),
      "depth"_a = enum_name(depth_names, encode_defaults.depth), "bit_rate"_a = encode_defaults.bit_rate,
      "tags"_a = py::tuple(), "limits"_a = py::none(),
      "Watermarks an audio file's bytes (anything decode_audio() reads), encoded again in the source's format, bit\n"
      "rate and sample depth with its tags; format, depth, bit_rate and tags (empty: the source's) override that as\n"
      "in encode_audio(). Other metadata (C2PA, a WAV AIGC chunk) is not carried over. Returns bytes. Raises as\n"
      "decode_audio(), embed_audio_into() and encode_audio() do.");

  m.def(
      "detect_audio_encoded",
      [](const py::handle& data, const WatermarkKey& key, double max_false_alarm, bool search_time_scale,
         double max_seconds, const Limits& limits) {
        const BytesIn in(data);
        AudioDetectResult result;
        {
          py::gil_scoped_release release;
          result = detect_audio_encoded(
              in.span(), key,
              {.max_false_alarm = max_false_alarm, .search_time_scale = search_time_scale, .max_seconds = max_seconds},
              limits);
        }
        return to_python(result);
      },
      "data"_a, "key"_a, py::kw_only(), "max_false_alarm"_a = detect_defaults.max_false_alarm,
      "search_time_scale"_a = detect_defaults.search_time_scale, "max_seconds"_a = detect_defaults.max_seconds,
      "limits"_a = py::none(), "decode_audio(), then detect_audio().");

  m.def(
      "embed_audio_file",
      [](const std::filesystem::path& source, const std::filesystem::path& destination, const Payload& payload,
         const WatermarkKey& key, const py::handle& format, const py::handle& depth, std::int64_t bit_rate,
         const py::handle& tags, const Limits& limits) {
        const AudioEncodeOptions output = encode_options(format, py::none(), depth, bit_rate, tags);
        py::gil_scoped_release release;
        embed_audio_file(source, destination, payload, key, output, limits);
      },
      "source"_a, "destination"_a, "payload"_a, "key"_a, py::kw_only(),
      "format"_a = enum_name(format_names, encode_defaults.format),
      "depth"_a = enum_name(depth_names, encode_defaults.depth), "bit_rate"_a = encode_defaults.bit_rate,
      "tags"_a = py::tuple(), "limits"_a = py::none(),
      "embed_audio_encoded() from file to file; the destination is written atomically. Raises IoError too.");

  m.def(
      "detect_audio_file",
      [](const std::filesystem::path& path, const WatermarkKey& key, double max_false_alarm, bool search_time_scale,
         double max_seconds, const Limits& limits) {
        AudioDetectResult result;
        {
          py::gil_scoped_release release;
          result = detect_audio_file(
              path, key,
              {.max_false_alarm = max_false_alarm, .search_time_scale = search_time_scale, .max_seconds = max_seconds},
              limits);
        }
        return to_python(result);
      },
      "path"_a, "key"_a, py::kw_only(), "max_false_alarm"_a = detect_defaults.max_false_alarm,
      "search_time_scale"_a = detect_defaults.search_time_scale, "max_seconds"_a = detect_defaults.max_seconds,
      "limits"_a = py::none(), "detect_audio_encoded() on a file. Raises IoError too.");
}

}  // namespace

py::object to_python(const AudioDetectResult& result) {
  return types().audio_detect_result(
      "found"_a = result.found, "payload"_a = result.found ? py::cast(result.payload) : py::none(),
      "corrected_bits"_a = result.corrected_bits, "coded_bits"_a = result.coded_bits,
      "false_alarm_probability"_a = result.false_alarm_probability, "time_scale"_a = result.time_scale,
      "frequency_scale"_a = result.frequency_scale, "offset_seconds"_a = result.offset_seconds);
}

py::array pcm_array(const py::handle& samples) {
  py::array array = py::array::ensure(samples);
  if (!array) {
    PyErr_Clear();
    throw py::type_error("expected PCM samples (a float32 numpy array), got " + type_name(samples));
  }
  // array_t<float> matches native-endian float32 only: '>f4' would be read as garbage.
  if (!py::isinstance<py::array_t<float>>(array)) {
    throw py::type_error("PCM samples must be float32 (native byte order), got " + std::string(py::str(array.dtype())) +
                         "; convert with .astype(numpy.float32) (integer PCM: divide by 32768 or 2**31 first)");
  }
  if (array.ndim() != 1 && array.ndim() != 2) {
    throw Error(Errc::invalid_argument, "PCM samples must be shaped (frames, channels) or (frames,), got shape " +
                                            std::string(py::str(array.attr("shape"))));
  }
  if (array.ndim() == 2 && array.shape(1) > max_channels) {
    throw Error(Errc::invalid_argument, "PCM samples are shaped (frames, channels) with at most " +
                                            std::to_string(max_channels) + " channels, got shape " +
                                            std::string(py::str(array.attr("shape"))) +
                                            "; transpose a (channels, frames) array: numpy.ascontiguousarray(a.T)");
  }
  return array;
}

AudioView readable_audio_view(py::array& array, int sample_rate) {
  if ((array.flags() & py::array::c_style) == 0) array = numpy().attr("ascontiguousarray")(array);
  return view_of(array, sample_rate);
}

MutableAudioView writable_audio_view(const py::handle& samples, int sample_rate, const std::string& function,
                                     const std::string& instead) {
  if (!py::isinstance<py::array>(samples))
    throw py::type_error(function + " writes into a numpy array in place, got " + type_name(samples) + "; " + instead);
  const py::array array = pcm_array(samples);
  if (!array.writeable()) throw Error(Errc::invalid_argument, "the array is read-only; " + instead);
  if ((array.flags() & py::array::c_style) == 0) {
    throw Error(
        Errc::invalid_argument,
        function + " needs a C-contiguous array (interleaved frames, as numpy.ascontiguousarray makes); " + instead);
  }
  return view_of(array, sample_rate);
}

AudibleLabelOptions audible_label_options(const py::handle& options, py::array& clip_array) {
  for (const char* attribute : {"mode", "at_end", "clip", "clip_sample_rate", "tone_hz", "unit_seconds",
                                "level_offset_db", "floor_dbfs", "gap_seconds", "crossfade_seconds", "duck_db"})
    if (!py::hasattr(options, attribute))
      throw py::type_error("audible_label: expected a bool or an AudibleLabelOptions, got " + type_name(options));
  const auto number = [&](const char* name) {
    return cast_argument<double>(options.attr(name), std::string("AudibleLabelOptions.") + name, "a float");
  };
  return audible_options(
      options.attr("mode"), cast_argument<bool>(options.attr("at_end"), "AudibleLabelOptions.at_end", "a bool"),
      options.attr("clip"),
      cast_argument<int>(options.attr("clip_sample_rate"), "AudibleLabelOptions.clip_sample_rate", "an int"),
      number("tone_hz"), number("unit_seconds"), number("level_offset_db"), number("floor_dbfs"), number("gap_seconds"),
      number("crossfade_seconds"), number("duck_db"), clip_array);
}

AudioFileFormat audio_file_format_from(const py::handle& format) {
  return enum_from(format_names, format, "format", "AudioFileFormat");
}

void bind_audio(py::module_& m) {
  // Read by provmark/_types.py, so that the AudibleLabelOptions dataclass cannot drift from C++.
  m.attr("_DEFAULTS")["AudibleLabelOptions"] =
      py::dict("mode"_a = enum_name(mode_names, audible_defaults.mode), "at_end"_a = audible_defaults.at_end,
               "tone_hz"_a = audible_defaults.tone_hz, "unit_seconds"_a = audible_defaults.unit_seconds,
               "level_offset_db"_a = audible_defaults.level_offset_db, "floor_dbfs"_a = audible_defaults.floor_dbfs,
               "gap_seconds"_a = audible_defaults.gap_seconds,
               "crossfade_seconds"_a = audible_defaults.crossfade_seconds, "duck_db"_a = audible_defaults.duck_db);
  bind_codec(m);
  bind_audible_label(m);
  bind_audio_watermark(m);
}

}  // namespace provmark::python
