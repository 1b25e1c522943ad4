#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Writes the shared bench's noise draw for every audio clip of the corpus (standard normal, float32, interleaved) to
# OUT/<clip>.noise, for provmark_audio_quick --noise-dir OUT: the noise_20dB attack is this draw times sigma.
#   bench/audio_noise_draws.py CORPUS OUT      (run from the repository, ../shared beside it)
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "lib"))
import attacks  # noqa: E402

corpus, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
audio = os.path.join(corpus, "audio")
for name in sorted(os.listdir(audio)):
    if not name.endswith(".wav"):
        continue
    fid = name[:-4]
    _, x = attacks._read_wav(os.path.join(audio, name))
    # As attacks.aud_noise draws it: rng.normal(0, sigma, shape) is sigma times this.
    attacks.seeded_rng("anoise", 20, fid).normal(0.0, 1.0, x.shape).astype(np.float32).tofile(
        os.path.join(out, fid + ".noise"))
