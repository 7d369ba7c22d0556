"""How much of the audio captcha a template-matching script solves (issue 13 item 4).

    python3 -m venv /tmp/audio-bench && /tmp/audio-bench/bin/pip install numpy pillow captcha
    /tmp/audio-bench/bin/python bench/captcha_audio.py [count] [--old]

numpy is not a dependency of the project, hence a Python of its own for this bench; it needs
no Django (antirobot.render alone). The outside probe solved 60 of 60 clips, 7 ms each, by
subtracting the shipped letter files from the track, which was their plain concatenation.
The decoders here know everything but SECRET_KEY: every shipped voice file, the speeds the
renderer may play them at (RATE_SWING), the track's length. For each clip of `count` (200)
of 6 random characters, both of them:

1. waveform: the normalised cross-correlation of every shipped letter file (each voice),
   resampled to a grid of speeds across +/- RATE_SWING, with the clip (FFT, at 8 kHz), the
   probe's subtraction made tolerant of speed, loudness and added noise;
2. spectral: log energies in 24 bands (25 ms frames every 10 ms) of the same templates at
   the same speeds, slid along the clip's, scored by the mean cosine of the frames' spectral
   shapes plus the correlation of the loudness contours: insensitive to phase, loudness and
   a small change of pace.

Each decoder takes, greedily, the 6 best matches that do not overlap, and reads them in
time order. A clip is solved when all 6 characters are right; "characters" is the share
of characters right at their place. --old also runs the renderer as the probe found it
(the first voice, concatenated with 0.9 s pauses and a faint hiss), to show that the
decoders work.
"""

import argparse
import io
import os
import random
import sys
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from antirobot import render  # noqa: E402

ALPHABET = "efhjkmpruwxy23456789"  # antirobot.services.ALPHABET (no Django needed here)
RATE = 8000  # the decoders work at 8 kHz: the letters' energy is below 4 kHz
SPEEDS = np.linspace(1 - render.RATE_SWING, 1 + render.RATE_SWING, 7)
FRAME, HOP, BANDS = 200, 80, 24  # 25 ms frames every 10 ms, at 8 kHz


def samples(wav: bytes) -> np.ndarray:
    with wave.open(io.BytesIO(wav)) as clip:
        x = np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2").astype(np.float32)
        rate = clip.getframerate()
    return resample(x, RATE / rate)


def resample(x: np.ndarray, factor: float) -> np.ndarray:
    """Return x at factor times as many samples (linear interpolation, after a crude low-pass)."""
    if factor < 1:  # average pairs before halving the rate: enough against aliasing here
        x = np.convolve(x, np.ones(3) / 3, mode="same")
    n = max(2, int(round(len(x) * factor)))
    return np.interp(np.linspace(0, len(x) - 1, n), np.arange(len(x)), x).astype(np.float32)


def voice_file(voice: str, char: str) -> np.ndarray:
    with wave.open(str(render.VOICES / voice / f"{char}.wav")) as recording:
        x = np.frombuffer(recording.readframes(recording.getnframes()), dtype="<i2").astype(np.float32)
    return resample(x, RATE / render.RATE)


def features(x: np.ndarray) -> np.ndarray:
    """Return the log band energies of x, one row per frame."""
    count = max(1, 1 + (len(x) - FRAME) // HOP)
    frames = np.lib.stride_tricks.sliding_window_view(np.pad(x, (0, FRAME)), FRAME)[::HOP][:count]
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(FRAME), axis=1)) ** 2
    edges = np.unique(np.geomspace(2, spectrum.shape[1] - 1, BANDS + 1).astype(int))
    bands = np.add.reduceat(spectrum, edges[:-1], axis=1)
    return np.log(bands + 1e-3)


class Templates:
    """Every shipped letter file, at every speed of the grid, ready for both decoders."""

    def __init__(self, size: int):
        self.size = size
        self.chars, self.lengths, self.spectra, self.energies, self.feats = [], [], [], [], []
        for voice in render.voice_names():
            for char in ALPHABET:
                base = voice_file(voice, char)
                for speed in SPEEDS:
                    t = resample(base, 1 / speed)
                    t = t - t.mean()
                    self.chars.append(char)
                    self.lengths.append(len(t))
                    self.spectra.append(np.conj(np.fft.rfft(t, size)).astype(np.complex64))
                    self.energies.append(float(np.sqrt((t**2).sum())))
                    self.feats.append(features(t))


def pick(scores: np.ndarray, chars: np.ndarray, widths: np.ndarray, count: int = 6) -> str:
    """Return the chars of the count best non-overlapping positions, in time order."""
    scores, found = scores.copy(), []
    for _ in range(count):
        at = int(np.argmax(scores))
        if not np.isfinite(scores[at]):
            break
        found.append((at, chars[at]))
        half = int(widths[at] * 0.8)
        scores[max(0, at - half) : at + half] = -np.inf
    return "".join(char for _, char in sorted(found))


def waveform_decoder(x: np.ndarray, templates: Templates) -> str:
    size = templates.size
    spectrum = np.fft.rfft(x, size)
    energy = np.concatenate([[0], np.cumsum(x.astype(np.float64) ** 2)])
    best = np.full(len(x), -np.inf)
    best_char = np.empty(len(x), dtype="<U1")
    best_width = np.zeros(len(x), dtype=int)
    for char, length, conj, norm in zip(templates.chars, templates.lengths, templates.spectra, templates.energies):
        correlation = np.fft.irfft(spectrum * conj, size)[: len(x) - length]
        local = np.sqrt(np.maximum(energy[length : len(x)] - energy[: len(x) - length], 1e-6))
        ncc = correlation / (local * norm)
        better = ncc > best[: len(ncc)]
        best[: len(ncc)][better], best_char[: len(ncc)][better] = ncc[better], char
        best_width[: len(ncc)][better] = length
    return pick(best, best_char, best_width)


def _shapes(feats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each frame's spectral shape (log energies less their mean, unit length) and level."""
    level = feats.mean(axis=1)
    shape = feats - level[:, None]
    return shape / (np.linalg.norm(shape, axis=1)[:, None] + 1e-6), level


def spectral_decoder(x: np.ndarray, templates: Templates) -> str:
    """Slide each template's frames along the clip: mean cosine of the spectral shapes, frame by
    frame, plus the correlation of the two loudness contours (the letters stand above the babble)."""
    shape, level = _shapes(features(x))
    best = np.full(len(shape), -np.inf)
    best_char = np.empty(len(shape), dtype="<U1")
    best_width = np.zeros(len(shape), dtype=int)
    for char, feat in zip(templates.chars, templates.feats):
        t_shape, t_level = _shapes(feat)
        n = len(t_shape)
        if n >= len(shape):
            continue
        windows = np.lib.stride_tricks.sliding_window_view(shape, n, axis=0)  # (positions, bands, n)
        cosines = np.einsum("pbn,nb->p", windows, t_shape) / n
        levels = np.lib.stride_tricks.sliding_window_view(level, n)  # (positions, n)
        centred = levels - levels.mean(axis=1)[:, None]
        t_centred = t_level - t_level.mean()
        contour = centred @ t_centred / (np.linalg.norm(centred, axis=1) * np.linalg.norm(t_centred) + 1e-6)
        score = cosines + contour
        better = score > best[: len(score)]
        best[: len(score)][better], best_char[: len(score)][better] = score[better], char
        best_width[: len(score)][better] = n
    return pick(best, best_char, best_width)


def old_audio(chars: str, seed: bytes) -> bytes:
    """The renderer as the probe found it: one voice concatenated, 0.9 s pauses, a faint hiss."""
    rng = random.Random(seed)
    voice = render.voice_names()[0]
    parts = [np.zeros(8000, dtype=np.int16)]
    for char in chars:
        with wave.open(str(render.VOICES / voice / f"{char}.wav")) as recording:
            parts.append(np.frombuffer(recording.readframes(recording.getnframes()), dtype="<i2"))
        parts.append(np.zeros(int(0.9 * render.RATE), dtype=np.int16))
    track = np.concatenate(parts).astype(np.int32)
    track = track + np.frombuffer(rng.randbytes(len(track)), dtype=np.int8)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(render.RATE)
        wav.writeframes(track.astype("<i2").tobytes())
    return buffer.getvalue()


def new_audio(chars: str, seed: bytes) -> bytes:
    return render.audio(chars, seed, alphabet=ALPHABET)


def run(name, draw, templates, count, rng) -> None:
    solved = {"waveform": 0, "spectral": 0}
    right = {"waveform": 0, "spectral": 0}
    spent = {"waveform": 0.0, "spectral": 0.0}
    sizes = set()
    for _ in range(count):
        chars = "".join(rng.choice(ALPHABET) for _ in range(6))
        wav = draw(chars, os.urandom(32))
        sizes.add(len(wav))
        x = samples(wav)
        for decoder_name, decoder in (("waveform", waveform_decoder), ("spectral", spectral_decoder)):
            started = time.perf_counter()
            reading = decoder(x, templates)
            spent[decoder_name] += time.perf_counter() - started
            solved[decoder_name] += reading == chars
            right[decoder_name] += sum(a == b for a, b in zip(reading, chars))
    for decoder_name in solved:
        print(
            f"  {name:30} {decoder_name:8}: solved {solved[decoder_name]:3}/{count}"
            f" = {solved[decoder_name] / count:6.1%}   characters {right[decoder_name] / (6 * count):6.1%}"
            f"   {spent[decoder_name] / count * 1000:6.0f} ms a clip"
        )
    print(f"  {name:30} file sizes: {sorted(sizes)[:3]}{' ...' if len(sizes) > 3 else ''} ({len(sizes)} distinct)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=200)
    parser.add_argument("--old", action="store_true", help="also the renderer as the probe found it")
    args = parser.parse_args()
    size = 1 << int(np.ceil(np.log2(render.DURATION * RATE * 1.5)))
    templates = Templates(size)
    print(
        f"{len(templates.chars)} templates ({len(render.voice_names())} voices x {len(ALPHABET)} characters"
        f" x {len(SPEEDS)} speeds), {args.count} clips per renderer:"
    )
    rng = random.Random()
    if args.old:
        run("old (concatenation + hiss)", old_audio, templates, args.count, rng)
    run("new (antirobot.render)", new_audio, templates, args.count, rng)


if __name__ == "__main__":
    main()
