"""Draw a challenge: the image and the French audio of its characters, from a seed.

Every random choice comes from `random.Random(seed)`, and the caller derives the seed
from the challenge key: one key always gives the same image and the same audio, so that
fetching it again and again shows nothing new (averaging many distortions of the same
characters would otherwise reveal them). `random` is not a secret generator, but it
needs not be: the seed is a keyed digest, unknown without SECRET_KEY.

The image is made for people first (issue 6 item 4): glyphs upright within +/-20 degrees,
each in its own slot so that two can never fuse, and all the noise drawn *behind* the
glyphs, in thin strokes, so that it never changes a glyph's shape. What defeats generic
OCR is what people ignore without effort: thin lines and dots that cross the gaps, a
wavy baseline, and a size and colour for each glyph.
"""

import io
import math
import random
import wave
from functools import lru_cache
from pathlib import Path

import captcha
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 220, 80
FONT = Path(captcha.__file__).resolve().parent / "data" / "DroidSansMono.ttf"
FONT_SIZES = (38, 41, 44, 47)
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


def _noise(image: Image.Image, rng: random.Random) -> None:
    """Thin lines, arcs and dots in mid tones, drawn before the glyphs (behind them)."""
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(22, 26)):
        tone = tuple(rng.randint(50, 140) for _ in range(3))
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
        draw.rectangle((x, y, x + size, y + size), fill=tuple(rng.randint(50, 170) for _ in range(3)))


def image(chars: str, seed: bytes) -> bytes:
    """Return the PNG of chars (upper case), drawn from seed."""
    rng = random.Random(seed)
    background = tuple(rng.randint(236, 252) for _ in range(3))
    canvas = Image.new("RGB", (WIDTH, HEIGHT), background)
    _noise(canvas, rng)
    slot = WIDTH // len(chars)
    phase, period = rng.uniform(0, 2 * math.pi), rng.uniform(90, 150)
    for index, char in enumerate(chars.upper()):
        colour = tuple(rng.randint(0, 80) for _ in range(3)) + (255,)
        glyph = _glyph(char, rng, colour)
        # Each glyph stays inside its own slot: glyphs may never touch (V+M fused before).
        room_x = max(0, slot - glyph.width)
        x = index * slot + rng.randint(0, room_x)
        centre = HEIGHT / 2 + 11 * math.sin(phase + 2 * math.pi * (index * slot) / period)
        y = int(centre - glyph.height / 2 + rng.randint(-3, 3))
        y = min(max(y, 1), HEIGHT - glyph.height - 1)
        canvas.paste(glyph, (x, y), glyph)
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
    samples = memoryview(track).cast("h")
    noisy = bytearray(len(track))
    out = memoryview(noisy).cast("h")
    for i, sample in enumerate(samples):
        out[i] = max(-32768, min(32767, sample + rng.randint(-300, 300)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(bytes(noisy))
    return buffer.getvalue()
