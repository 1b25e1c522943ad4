# SPDX-License-Identifier: Apache-2.0
"""The GIL is released while the library works: detections on Python threads overlap and run in parallel.

The tests are built to hold on a busy machine: the first two only need the main thread to be scheduled at some
point during a detection (image, audio); the last compares the CPU time of two detecting threads with the wall
time, and skips (saying so) when a known GIL-free control (hashlib) cannot use two cores either."""

import hashlib
import os
import threading
import time

import pytest

import provmark


def run_while_counting(call):
    """Runs call() on another thread while this one keeps reading the clock; returns call()'s result, the span it
    ran in, and the clock readings of this thread inside that span (without the first and last tenth)."""
    spans, results = [], []

    def timed():
        start = time.perf_counter()
        results.append(call())
        spans.append((start, time.perf_counter()))

    worker = threading.Thread(target=timed)
    ticks = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    (start, end), = spans
    margin = (end - start) / 10
    return results[0], end - start, [t for t in ticks if start + margin < t < end - margin]


def test_python_code_runs_while_another_thread_detects(photo, key):
    # An unmarked image makes the detector search every candidate: the slow path (~0.3 s).
    result, seconds, inside = run_while_counting(lambda: provmark.detect(photo, key))
    # Were the GIL held during detect(), the loop above could not run at all in that interval.
    assert inside, f"the main thread did not run during a {seconds:.3f} s detect(): the GIL was held"
    assert not result.found


def test_python_code_runs_while_another_thread_detects_audio(data_dir, key):
    clip = provmark.decode_audio_file(data_dir / "drascula_track1_8s.ogg")
    # Unmarked, at the original time scale only: ~0.1 s in Release.
    result, seconds, inside = run_while_counting(
        lambda: provmark.detect_audio(clip.samples, key, sample_rate=clip.sample_rate, search_time_scale=False))
    assert inside, f"the main thread did not run during a {seconds:.3f} s detect_audio(): the GIL was held"
    assert not result.found


def cores_busy(work, threads=2):
    """Runs work() on `threads` threads at once; returns (CPU seconds of those threads / wall seconds, wall)."""
    cpu = []

    def timed():
        started = time.thread_time()
        work()
        cpu.append(time.thread_time() - started)

    pool = [threading.Thread(target=timed) for _ in range(threads)]
    wall = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - wall
    return sum(cpu) / wall, wall


def test_two_threads_detect_truly_in_parallel(photo, key):
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one CPU: nothing can run in parallel")
    provmark.detect(photo, key)  # warm-up: FFT plans

    def detect_twice():
        for _ in range(2):
            provmark.detect(photo, key)

    # The control: hashlib releases the GIL for large inputs, so it shows what this machine allows right now
    # (under load, or with per-process CPU shares, two threads get no more CPU than one).
    data = bytes(64 << 20)

    def hash_data():
        for _ in range(3):
            hashlib.sha256(data).digest()

    attempts = []
    for _ in range(4):
        control, _ = cores_busy(hash_data)
        measured, both_wall = cores_busy(detect_twice)
        _, one_wall = cores_busy(detect_twice, threads=1)
        attempts.append((measured, both_wall, one_wall, control))
        # With the GIL held the threads would take turns: their CPU time could not exceed the wall time.
        if measured > 1.2:
            return
    report = "; ".join(f"detect: {measured:.2f} cores busy, 2 threads {both:.2f} s vs 1 thread {one:.2f} s, "
                       f"hashlib control: {control:.2f} cores" for measured, both, one, control in attempts)
    if max(control for *_, control in attempts) < 1.2:
        pytest.skip("the machine gives two threads no more than one core now: " + report)
    pytest.fail("detect() never ran on two cores at once although hashlib did: " + report)
