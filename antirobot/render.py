"""Draw a challenge: the image and the French audio of its characters, from a seed.

Every random choice comes from `random.Random(seed)`, and the caller derives the seed
from the challenge key: one key always gives the same image and the same audio, so that
fetching it again and again shows nothing new (averaging many distortions of the same
characters would otherwise reveal them). `random` is not a secret generator, but it
needs not be: the seed is a keyed digest, unknown without SECRET_KEY.

The image is made for people first (each misreading costs a person a new image; what
generic OCR makes of it is measured by bench/captcha_ocr.py): glyphs upright within +/-20 degrees,
each in its own slot so that two can never fuse, and all the noise drawn *behind* the
glyphs, in thin strokes, so that it never changes a glyph's shape. What defeats generic
OCR is what people ignore without effort: thin lines and dots that cross the gaps, a
wavy baseline, and a size and colour for each glyph.
"""

import array
import io
import math
import operator
import random
import wave
from functools import lru_cache
from pathlib import Path

import captcha
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 220, 80
FONT = Path(captcha.__file__).resolve().parent / "data" / "DroidSansMono.ttf"
FONT_SIZES = (38, 41, 44, 47)
# Glyphs are darker than any noise: the eye separates them at once (and tests can too).
GLYPH_DARKEST, NOISE_DARKEST = 60, 75
MARGIN, GAP = 3, 4  # pixels at each end, and at least between two glyphs
VOICES = Path(__file__).resolve().parent / "voices"
RATE = 16000  # the voices' rate (make_voices.sh)
LEAD_IN, PAUSE = 0.5, 0.9  # seconds of silence before the first character and after each


@lru_cache(maxsize=len(FONT_SIZES))
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def _glyph(char: str, rng: random.Random, colour) -> Image.Image:
    """Return the upright glyph, bolded and turned by at most 20 degrees, cropped."""
    font = _font(rng.choice(FONT_SIZES))
    tile = Image.new("RGBA", (70, 70), (0, 0, 0, 0))
    # stroke_width thickens the strokes: noise lines stay visibly thinner than any glyph.
    ImageDraw.Draw(tile).text((35, 35), char, font=font, fill=colour, anchor="mm", stroke_width=1, stroke_fill=colour)
    tile = tile.rotate(rng.uniform(-20, 20), resample=Image.Resampling.BICUBIC, expand=False)
    return tile.crop(tile.getbbox())


def _scaled(glyph: Image.Image, ratio: float) -> Image.Image:
    return glyph.resize((max(1, int(glyph.width * ratio)), max(1, int(glyph.height * ratio))), Image.Resampling.LANCZOS)


def _noise(image: Image.Image, rng: random.Random) -> None:
    """Thin lines, arcs and dots in mid tones, drawn before the glyphs (behind them)."""
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(22, 26)):
        tone = tuple(rng.randint(NOISE_DARKEST, 150) for _ in range(3))
        if rng.random() < 0.5:
            points = [(rng.randint(-20, WIDTH + 20), rng.randint(0, HEIGHT)) for _ in range(2)]
            draw.line(points, fill=tone, width=1)
        else:
            x, y = rng.randint(-40, WIDTH), rng.randint(-40, HEIGHT)
            box = [x, y, x + rng.randint(60, 160), y + rng.randint(30, 90)]
            draw.arc(box, rng.randint(0, 180), rng.randint(200, 360), fill=tone, width=1)
    for _ in range(450):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        size = rng.choice((0, 0, 1))
        draw.rectangle((x, y, x + size, y + size), fill=tuple(rng.randint(NOISE_DARKEST, 170) for _ in range(3)))


def image(chars: str, seed: bytes) -> bytes:
    """Return the PNG of chars (upper case), drawn from seed."""
    rng = random.Random(seed)
    background = tuple(rng.randint(236, 252) for _ in range(3))
    canvas = Image.new("RGB", (WIDTH, HEIGHT), background)
    _noise(canvas, rng)
    glyphs = [
        _glyph(char, rng, tuple(rng.randint(0, GLYPH_DARKEST) for _ in range(3)) + (255,)) for char in chars.upper()
    ]
    # Glyphs side by side with a gap of at least GAP: they can never touch (V+M fused before).
    # Too wide a word is scaled down as a whole rather than squeezed together.
    width = sum(glyph.width for glyph in glyphs)
    room = WIDTH - 2 * MARGIN - GAP * (len(glyphs) - 1)
    if width > room:
        glyphs = [_scaled(glyph, room / width) for glyph in glyphs]
        width = sum(glyph.width for glyph in glyphs)
    spare = WIDTH - 2 * MARGIN - GAP * (len(glyphs) - 1) - width
    cuts = sorted(rng.randint(0, spare) for _ in range(len(glyphs)))
    extra = [b - a for a, b in zip([0] + cuts, cuts)]  # spare space shared among the gaps
    phase, period = rng.uniform(0, 2 * math.pi), rng.uniform(90, 150)
    x = MARGIN
    for glyph, more in zip(glyphs, extra):
        x += more
        centre = HEIGHT / 2 + 11 * math.sin(phase + 2 * math.pi * x / period)
        y = int(centre - glyph.height / 2 + rng.randint(-3, 3))
        y = min(max(y, 1), HEIGHT - glyph.height - 1)
        canvas.paste(glyph, (x, y), glyph)
        x += glyph.width + GAP
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=64)
def _voice(char: str) -> bytes:
    """Return the 16-bit frames of char's recording (antirobot/voices/<char>.wav)."""
    with wave.open(str(VOICES / f"{char}.wav")) as recording:
        if (recording.getframerate(), recording.getsampwidth(), recording.getnchannels()) != (RATE, 2, 1):
            raise ValueError(f"voix {char} : format inattendu, relancez antirobot/make_voices.sh")
        return recording.readframes(recording.getnframes())


def _silence(seconds: float) -> bytes:
    return b"\x00\x00" * int(RATE * seconds)


def audio(chars: str, seed: bytes) -> bytes:
    """Return the WAV of chars spoken one by one in French, with a pause after each.

    A faint hiss, drawn from seed, covers the whole track: it leaves each character clear
    to a listener but keeps the file from being the plain concatenation of the voices.
    """
    rng = random.Random(seed)
    track = bytearray(_silence(LEAD_IN))
    for char in chars:
        track += _voice(char) + _silence(PAUSE)
    # Samples are little-endian, as WAV and the machines we run on (x86-64, arm64).
    # int8 noise (about -48 dB): the voices peak at -3 dB (make_voices.sh), so the sum
    # stays within 16 bits; map(operator.add) keeps this at a few milliseconds.
    hiss = array.array("b", rng.randbytes(len(track) // 2))
    noisy = array.array("h", map(operator.add, array.array("h", bytes(track)), hiss))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(noisy.tobytes())
    return buffer.getvalue()
