# SPDX-License-Identifier: Apache-2.0
"""Audio from Python: decode / encode, the audible label, the audio watermark on float32 numpy arrays (in place, zero
copy), encoded bytes and files, label() of PCM, and typed errors. The detector is the slow part (much slower under
ASan): the tests call it few times, without the speed/tempo search where that is not what is tested."""

import numpy as np
import pytest

import provmark

PAYLOAD = provmark.Payload(0x2025_0002_A0D1_0000)
PRODUCER_LABEL = provmark.AigcLabel(content_producer="001191110102MAD55U9H0F10002")
CLIP = "drascula_track1_8s.ogg"  # 8 s of stereo music at 44.1 kHz, Ogg Vorbis, with title and artist comments


@pytest.fixture()
def clip(data_dir) -> provmark.DecodedAudio:
    """The committed clip, freshly decoded: its samples are a writable (frames, 2) float32 array."""
    return provmark.decode_audio((data_dir / CLIP).read_bytes())


def snr_db(original: np.ndarray, changed: np.ndarray) -> float:
    noise = changed.astype(np.float64) - original
    return 10 * np.log10(np.sum(original.astype(np.float64) ** 2) / np.sum(noise**2))


def test_decode_audio_gives_float32_frames_by_channels_and_what_the_source_was(clip, data_dir):
    assert clip.samples.dtype == np.float32 and clip.samples.flags.c_contiguous and clip.samples.flags.writeable
    assert clip.samples.shape[1] == 2 and clip.sample_rate == 44100
    assert clip.samples.shape[0] == pytest.approx(8 * 44100, abs=0.01 * 44100)  # 8 s, give or take Vorbis's edges
    assert 0.05 < np.abs(clip.samples).max() <= 1.0  # music, in [-1, 1]
    source = clip.source
    assert (source.container, source.codec, source.channels, source.sample_rate) == ("ogg", "vorbis", 2, 44100)
    assert provmark.AudioTag("artist", "Alcachofa Soft") in source.tags
    assert provmark.audio_file_format_of(source) is provmark.AudioFileFormat.OGG_VORBIS
    assert provmark.audio_file_extension(provmark.AudioFileFormat.OGG_VORBIS) == "ogg"
    from_file = provmark.decode_audio_file(data_dir / CLIP)
    assert np.array_equal(from_file.samples, clip.samples) and from_file.source == source


def test_embed_audio_into_marks_the_callers_array_in_place_and_detect_audio_reads_the_payload(clip, key):
    samples = clip.samples
    original = samples.copy()
    address = samples.__array_interface__["data"][0]
    provmark.embed_audio_into(samples, PAYLOAD, key, sample_rate=clip.sample_rate)
    assert samples.__array_interface__["data"][0] == address and not np.array_equal(samples, original)
    assert snr_db(original, samples) > 20  # a small signal added, not new content

    result = provmark.detect_audio(samples, key, sample_rate=clip.sample_rate, search_time_scale=False)
    assert result.found and result.payload == PAYLOAD
    assert result.false_alarm_probability < 1e-9 and 0 <= result.corrected_bits < result.coded_bits
    assert result.time_scale == 1 and result.frequency_scale == 1

    unmarked = provmark.detect_audio(original, key, sample_rate=clip.sample_rate, search_time_scale=False)
    assert not unmarked.found and unmarked.payload is None


def test_a_mono_watermark_survives_an_mp3_round_trip(clip, key):
    mono = clip.samples.mean(axis=1)  # shaped (frames,): mono
    marked = provmark.embed_audio(mono, PAYLOAD, key, sample_rate=clip.sample_rate)
    assert marked.shape == mono.shape and not np.shares_memory(marked, mono) and not np.array_equal(marked, mono)

    mp3 = provmark.encode_audio(marked, sample_rate=clip.sample_rate, format=provmark.AudioFileFormat.MP3,
                                bit_rate=64_000)
    decoded = provmark.decode_audio(mp3)
    assert decoded.source.codec == "mp3" and decoded.samples.shape[1] == 1
    assert abs(decoded.samples.shape[0] - mono.shape[0]) < 0.1 * clip.sample_rate  # the encoder's padding only
    result = provmark.detect_audio(decoded.samples, key, sample_rate=decoded.sample_rate, search_time_scale=False)
    assert result.found and result.payload == PAYLOAD


def test_files_are_marked_in_their_own_format_with_their_tags_and_read_by_path(data_dir, tmp_path, key):
    like_source = tmp_path / "marked.ogg"
    provmark.embed_audio_file(data_dir / CLIP, like_source, PAYLOAD, key)
    marked = provmark.decode_audio_file(like_source)
    assert marked.source.codec == "vorbis" and provmark.AudioTag("artist", "Alcachofa Soft") in marked.source.tags

    # Detected from a WAV copy: a second Vorbis generation of this 8 s clip loses the mark for about 1 key in 10.
    wav = tmp_path / "marked.wav"
    provmark.embed_audio_file(data_dir / CLIP, wav, PAYLOAD, key, format=provmark.AudioFileFormat.WAV)
    result = provmark.detect_audio_file(wav, key, search_time_scale=False)
    assert result.found and result.payload == PAYLOAD


def test_embed_audio_encoded_takes_an_output_format_and_tags(data_dir, key):
    ogg = (data_dir / CLIP).read_bytes()
    wav = provmark.embed_audio_encoded(ogg, PAYLOAD, key, format=provmark.AudioFileFormat.WAV,
                                       depth=provmark.AudioSampleDepth.S24, tags=[("title", "marked")])
    source = provmark.decode_audio(wav).source
    assert wav[:4] == b"RIFF" and source.codec == "pcm_s24le" and source.bits_per_sample == 24
    assert [tag.value for tag in source.tags if tag.key == "title"] == ["marked"]


def test_encode_audio_writes_the_format_depth_and_tags_asked_for_and_same_as_source_needs_a_source(clip):
    flac = provmark.encode_audio(clip.samples, sample_rate=clip.sample_rate, format="flac",
                                 tags=[provmark.AudioTag("title", "AI song"), ("comment", "made by pytest")])
    decoded = provmark.decode_audio(flac)
    assert decoded.source.codec == "flac" and decoded.source.bits_per_sample == 16
    assert {("title", "AI song"), ("comment", "made by pytest")} <= {(t.key, t.value) for t in decoded.source.tags}
    assert np.abs(decoded.samples - clip.samples).max() < 2 / 32768  # 16-bit rounding only

    like_source = provmark.encode_audio(clip.samples, sample_rate=clip.sample_rate, source=clip.source)
    assert provmark.decode_audio(like_source).source.codec == "vorbis"
    with pytest.raises(provmark.UnsupportedFormatError):
        provmark.encode_audio(clip.samples, sample_rate=clip.sample_rate)  # SAME_AS_SOURCE without a source
    with pytest.raises(provmark.InvalidArgumentError, match="FLAC"):
        provmark.encode_audio(clip.samples, sample_rate=clip.sample_rate, format="flac", depth="f32")
    with pytest.raises(provmark.InvalidArgumentError, match="AudioFileFormat"):
        provmark.encode_audio(clip.samples, sample_rate=clip.sample_rate, format="aiff")


def test_add_audible_label_puts_the_morse_cue_before_the_content_and_leaves_the_input_alone(clip):
    original = clip.samples.copy()
    made = provmark.add_audible_label(clip.samples, sample_rate=clip.sample_rate)
    assert np.array_equal(clip.samples, original)
    assert isinstance(made, provmark.AudibleLabelResult) and made.sample_rate == clip.sample_rate
    assert 0 < made.label_frames < made.content_offset  # the cue, then a gap of silence
    assert made.samples.shape == (made.content_offset + original.shape[0], 2)
    assert np.array_equal(made.samples[made.content_offset:], original)  # prepend: the content is not changed
    assert np.abs(made.samples[: made.label_frames]).max() > 0.01  # audible
    assert made.level_dbfs == pytest.approx(made.target_dbfs, abs=1.5)


def test_add_audible_label_takes_the_options_of_the_cpp_struct(clip):
    mono = np.ascontiguousarray(clip.samples[:, 0])
    mixed = provmark.add_audible_label(mono, sample_rate=clip.sample_rate, mode=provmark.AudibleLabelMode.MIX,
                                       at_end=True, duck_db=-20.0)
    assert mixed.samples.shape == mono.shape and mixed.content_offset == 0  # mono in, mono out, same length
    spoken = np.random.default_rng(1).uniform(-0.5, 0.5, 22050).astype(np.float32)  # stands for a spoken clip
    with_clip = provmark.add_audible_label(clip.samples, sample_rate=clip.sample_rate, clip=spoken, gap_seconds=0)
    assert with_clip.label_frames == spoken.shape[0] and with_clip.content_offset == spoken.shape[0]
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.add_audible_label(clip.samples, sample_rate=clip.sample_rate, tone_hz=50)
    with pytest.raises(provmark.InvalidArgumentError):  # shorter than the cue it would be mixed with
        provmark.add_audible_label(mono[:1000], sample_rate=clip.sample_rate, mode="mix")


def test_label_encodes_a_generators_pcm_as_wav_with_the_audible_cue_and_the_aigc_label(clip):
    original = clip.samples.copy()
    result = provmark.label(clip.samples, format=provmark.AudioFileFormat.WAV, sample_rate=clip.sample_rate,
                            aigc_label=PRODUCER_LABEL)
    assert np.array_equal(clip.samples, original)
    assert result.media_type == "audio/wav" and result.bytes[:4] == b"RIFF"
    assert result.audible_label.sample_rate == clip.sample_rate
    decoded = provmark.decode_audio(result.bytes)
    assert decoded.samples.shape == (result.audible_label.content_offset + original.shape[0], 2)
    assert [found.label for found in provmark.read_aigc_labels(result.bytes)] == [result.aigc]

    silent = provmark.label(clip.samples, format="mp3", sample_rate=clip.sample_rate, aigc_label=PRODUCER_LABEL,
                            audible_label=False)
    assert silent.media_type == "audio/mpeg" and silent.audible_label is None


def test_label_takes_audible_label_options_for_pcm_and_for_files(clip, data_dir):
    mixed = provmark.label(clip.samples, format="wav", sample_rate=clip.sample_rate, aigc_label=PRODUCER_LABEL,
                           audible_label=provmark.AudibleLabelOptions(mode=provmark.AudibleLabelMode.MIX))
    assert mixed.audible_label.content_offset == 0
    assert provmark.decode_audio(mixed.bytes).samples.shape == clip.samples.shape  # MIX keeps the length

    spoken = np.random.default_rng(2).uniform(-0.5, 0.5, (22050, 1)).astype(np.float32)  # stands for a voice
    voiced = provmark.AudibleLabelOptions(clip=spoken, clip_sample_rate=44100, gap_seconds=0)
    ogg = provmark.label((data_dir / CLIP).read_bytes(), aigc_label=PRODUCER_LABEL, audible_label=voiced)
    assert ogg.media_type == "audio/ogg"
    assert ogg.audible_label.label_frames == ogg.audible_label.content_offset == spoken.shape[0]

    with pytest.raises(provmark.InvalidArgumentError, match="sample rate"):
        provmark.label(clip.samples, format="wav", sample_rate=clip.sample_rate, aigc_label=PRODUCER_LABEL,
                       audible_label=provmark.AudibleLabelOptions(clip=spoken, clip_sample_rate=48000))
    with pytest.raises(TypeError, match="AudibleLabelOptions"):
        provmark.label(clip.samples, format="wav", sample_rate=clip.sample_rate, audible_label="mix")


def test_label_tells_pcm_from_pixels_by_dtype_and_asks_for_what_is_missing(clip, photo):
    with pytest.raises(provmark.InvalidArgumentError, match="sample_rate"):
        provmark.label(clip.samples, format=provmark.AudioFileFormat.WAV, aigc_label=PRODUCER_LABEL)
    with pytest.raises(provmark.InvalidArgumentError, match="format"):
        provmark.label(clip.samples, sample_rate=clip.sample_rate, aigc_label=PRODUCER_LABEL)
    with pytest.raises(provmark.InvalidArgumentError, match="AudioFileFormat"):
        provmark.label(clip.samples, format=provmark.ImageFormat.PNG, sample_rate=clip.sample_rate)
    with pytest.raises(provmark.InvalidArgumentError, match="SAME_AS_SOURCE|source"):
        provmark.label(clip.samples, format=provmark.AudioFileFormat.SAME_AS_SOURCE, sample_rate=clip.sample_rate)
    with pytest.raises(TypeError, match="float32"):  # uint8 pixels are never taken for PCM
        provmark.label(photo, format=provmark.ImageFormat.PNG, sample_rate=44100)
    with pytest.raises(TypeError, match="float32"):
        provmark.label(clip.samples.astype(np.float64), format="wav", sample_rate=clip.sample_rate)


@pytest.mark.parametrize("dtype", [np.float64, np.int16, np.int32, np.uint8, np.dtype(">f4")])
def test_samples_of_another_dtype_are_a_type_error(clip, key, dtype):
    samples = clip.samples.astype(dtype)
    with pytest.raises(TypeError, match="float32"):
        provmark.embed_audio_into(samples, PAYLOAD, key, sample_rate=clip.sample_rate)
    with pytest.raises(TypeError, match="float32"):
        provmark.detect_audio(samples, key, sample_rate=clip.sample_rate)
    with pytest.raises(TypeError, match="float32"):
        provmark.encode_audio(samples, sample_rate=clip.sample_rate, format="wav")


def test_embed_audio_into_refuses_arrays_it_cannot_write_in_place(clip, key):
    rate = clip.sample_rate
    with pytest.raises(provmark.InvalidArgumentError, match="C-contiguous"):
        provmark.embed_audio_into(clip.samples[::2], PAYLOAD, key, sample_rate=rate)  # every other frame
    with pytest.raises(provmark.InvalidArgumentError, match="C-contiguous"):
        provmark.embed_audio_into(np.asfortranarray(clip.samples), PAYLOAD, key, sample_rate=rate)
    read_only = clip.samples.copy()
    read_only.flags.writeable = False
    with pytest.raises(provmark.InvalidArgumentError, match="read-only"):
        provmark.embed_audio_into(read_only, PAYLOAD, key, sample_rate=rate)
    with pytest.raises(TypeError, match="numpy array"):
        provmark.embed_audio_into(clip.samples.tolist(), PAYLOAD, key, sample_rate=rate)
    with pytest.raises(provmark.InvalidArgumentError, match="shorter than"):  # too short to carry the watermark
        provmark.embed_audio_into(clip.samples[: rate // 2].copy(), PAYLOAD, key, sample_rate=rate)


def test_other_layouts_are_copied_where_only_reading_is_needed(clip):
    fortran = np.asfortranarray(clip.samples)
    wav = provmark.encode_audio(fortran, sample_rate=clip.sample_rate, format="wav", depth="f32")
    assert np.array_equal(provmark.decode_audio(wav).samples, clip.samples)  # float WAV: exact


@pytest.mark.parametrize("shape", [(100, 2, 2), (2, 44100), (0, 2), ()])
def test_samples_of_another_shape_are_an_invalid_argument(key, shape):
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.detect_audio(np.zeros(shape, np.float32), key, sample_rate=44100)


def test_a_channels_first_array_gets_a_hint():
    with pytest.raises(provmark.InvalidArgumentError, match="transpose"):
        provmark.encode_audio(np.zeros((2, 44100), np.float32), sample_rate=44100, format="wav")


def test_bad_sample_rates_are_typed_errors(clip):
    for rate in (0, 7999, 384_001, -44100):
        with pytest.raises(provmark.InvalidArgumentError):
            provmark.encode_audio(clip.samples, sample_rate=rate, format="wav")
    with pytest.raises(TypeError):
        provmark.encode_audio(clip.samples, sample_rate=44100.0, format="wav")
    with pytest.raises(TypeError):
        provmark.encode_audio(clip.samples, format="wav")  # sample_rate is required


def test_limits_and_bad_bytes_are_typed_errors(data_dir):
    ogg = (data_dir / CLIP).read_bytes()
    with pytest.raises(provmark.LimitExceededError):
        provmark.decode_audio(ogg, limits=provmark.Limits(max_audio_samples=100_000))
    with pytest.raises(provmark.UnsupportedFormatError):
        provmark.decode_audio(b"this is not audio" * 100)
    with pytest.raises(provmark.IoError):
        provmark.decode_audio_file(data_dir / "no such clip.ogg")
