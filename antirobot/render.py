"""Draw a challenge: the image and the French audio of its characters, from a seed.

Every random choice comes from `random.Random` streams seeded from `seed`, and the caller
derives the seed from the challenge key: one key always gives the same image and the same
audio, so that fetching it again and again shows nothing new (averaging many distortions of
the same characters would otherwise reveal them). `random` is not a secret generator, but it
needs not be: the seed is a keyed digest, unknown without SECRET_KEY.

The image is made for people first: glyphs upright within +/-20 degrees,
each in its own slot so that two glyphs can never fuse, a wavy baseline, a size and a colour
for each. A script removed all the noise with one colour threshold (the
glyphs were darker than any noise) and then cut the glyphs apart at the blank columns
between them. Now the dark noise is drawn in the glyphs' own inks, and in front of them:
two thin threads run the whole width across the glyphs, and short strokes bridge the gaps,
so no colour keeps the glyphs without it and no column is blank. The threads are thinner
than any stroke of a glyph (2 px against 4 or more), which is what a reader's eye uses to
see through them. The light noise behind (lines, arcs, specks) stays.
"""

import io
import math
import random
import wave
from functools import lru_cache
from pathlib import Path

import captcha
from PIL import Image, ImageDraw, ImageFont, ImageMath

WIDTH, HEIGHT = 220, 80
FONT = Path(captcha.__file__).resolve().parent / "data" / "DroidSansMono.ttf"
FONT_SIZES = (42, 45, 48, 51)
# The inks of glyphs and of the dark noise: dark, of several hues, each channel at most
# INK_DARKEST (contrast above 7:1 on the light background); the light noise is lighter.
INK_DARKEST, NOISE_DARKEST = 90, 120
MARGIN = 3  # pixels at each end
CLEARANCE = 3  # pixels of background at least between two glyphs, in every direction
THREAD_WIDTH = 2  # the dark threads: visibly thinner than a glyph's strokes (stroke_width 1 on 38+ px)
VOICES = Path(__file__).resolve().parent / "voices"
RATE = 16000  # the voices' rate (make_voices.sh)


def _streams(seed: bytes) -> tuple[random.Random, random.Random, random.Random]:
    """Return the independent streams of the glyphs, the light noise and the dark noise.

    Apart, so that the glyphs fall at the same place with or without noise (tests, bench).
    """
    return tuple(random.Random(seed + part) for part in (b"glyphs", b"light", b"dark"))


@lru_cache(maxsize=len(FONT_SIZES))
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def _ink(rng: random.Random) -> tuple[int, int, int]:
    """Return a dark ink: one channel may rise up to INK_DARKEST, giving it a hue."""
    base = [rng.randint(0, 35) for _ in range(3)]
    base[rng.randrange(3)] = rng.randint(40, INK_DARKEST)
    return tuple(base)


def _glyph(char: str, rng: random.Random, colour, slant: float) -> Image.Image:
    """Return the glyph, bolded, slanted as the word is and turned by a few degrees, cropped.

    The slant (a shear, shared by the word) leans each glyph's top over the next one's foot:
    packed (_pack), neighbours share columns, which a reader takes for italics.
    """
    font = _font(rng.choice(FONT_SIZES))
    tile = Image.new("RGBA", (80, 80), (0, 0, 0, 0))
    # stroke_width thickens the strokes: noise lines stay visibly thinner than any glyph.
    ImageDraw.Draw(tile).text((40, 40), char, font=font, fill=colour, anchor="mm", stroke_width=1, stroke_fill=colour)
    # One affine map about the centre, from the output to the source: a turn of a few degrees,
    # then the shear x_source = x + slant * y (the top leans right for a negative slant).
    angle = math.radians(rng.uniform(-10, 10))
    cos, sin = math.cos(angle), math.sin(angle)
    a, b, d, e = cos, sin + slant * cos, -sin, cos - slant * sin
    matrix = (a, b, 40 - 40 * a - 40 * b, d, e, 40 - 40 * d - 40 * e)
    tile = tile.transform(tile.size, Image.Transform.AFFINE, matrix, Image.Resampling.BICUBIC)
    return tile.crop(tile.getbbox())


def _scaled(glyph: Image.Image, ratio: float) -> Image.Image:
    return glyph.resize((max(1, int(glyph.width * ratio)), max(1, int(glyph.height * ratio))), Image.Resampling.LANCZOS)


def _light_noise(image: Image.Image, rng: random.Random) -> None:
    """Thin lines, arcs and dots in mid tones, drawn before the glyphs (behind them)."""
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(14, 18)):
        tone = tuple(rng.randint(NOISE_DARKEST, 170) for _ in range(3))
        if rng.random() < 0.5:
            points = [(rng.randint(-20, WIDTH + 20), rng.randint(0, HEIGHT)) for _ in range(2)]
            draw.line(points, fill=tone, width=1)
        else:
            x, y = rng.randint(-40, WIDTH), rng.randint(-40, HEIGHT)
            box = [x, y, x + rng.randint(60, 160), y + rng.randint(30, 90)]
            draw.arc(box, rng.randint(0, 180), rng.randint(200, 360), fill=tone, width=1)
    # Specks from one draw of random bytes (350 of them: per-speck calls cost more than the rest).
    specks = rng.randbytes(6 * 350)
    for i in range(0, len(specks), 6):
        x, y, size = specks[i] * WIDTH // 256, specks[i + 1] * HEIGHT // 256, specks[i + 2] % 3 // 2
        tone = tuple(NOISE_DARKEST + value * (171 - NOISE_DARKEST) // 256 for value in specks[i + 3 : i + 6])
        draw.rectangle((x, y, x + size, y + size), fill=tone)


def _dark_noise(image: Image.Image, rng: random.Random, inks: list) -> None:
    """In the glyphs' inks and in front of them: two wavy threads across, short flat strokes, specks.

    The threads cross every column, the strokes add ink where they fall: no column of the
    glyphs' band is ever left with less ink than the thinner parts of a glyph. All are 2 px
    wide and flat or gently waving: a steep stroke through a glyph can make another letter
    of it (a P with a leg is an R, an F with a foot an E).
    """
    draw = ImageDraw.Draw(image)
    for row in (0.38, 0.62):  # one in the upper half of the glyphs' band, one in the lower
        phase, period = rng.uniform(0, 2 * math.pi), rng.uniform(70, 130)
        middle, swing = HEIGHT * row + rng.uniform(-3, 3), rng.uniform(4, 7)
        points = [(x, middle + swing * math.sin(phase + 2 * math.pi * x / period)) for x in range(-4, WIDTH + 5, 3)]
        draw.line(points, fill=rng.choice(inks), width=THREAD_WIDTH, joint="curve")
    for _ in range(12):
        x, y, length = rng.randint(-10, WIDTH), rng.randint(18, HEIGHT - 18), rng.randint(14, 30)
        draw.line([(x, y), (x + length, y + rng.randint(-3, 3))], fill=rng.choice(inks), width=THREAD_WIDTH)
    for _ in range(70):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        draw.rectangle((x, y, x + 1, y + 1), fill=rng.choice(inks))


def _solid(glyph: Image.Image) -> Image.Image:
    """Return the glyph's ink as a mask: 255 where it shows, 0 elsewhere."""
    return glyph.getchannel("A").point(lambda alpha: 255 if alpha >= 64 else 0)


def _pack(glyphs: list, rows: list, rng: random.Random) -> list[int]:
    """Return the left edge of each glyph, from 0: each as far left as CLEARANCE allows.

    Glyphs keep CLEARANCE pixels of background between them in every direction, so two
    can never touch, yet their columns overlap wherever their shapes and heights let them
    (an overhang above a shorter glyph, a slant beside another): no blank column is left
    to cut the word at. A glyph never starts left of the middle of the one before it, so
    the reading order stays plain. Each row of a glyph must start right of every glyph
    placed before, grown by CLEARANCE: `reach` holds, per row of the image, the rightmost
    column that growth covers.
    """
    reach = [-(10**6)] * HEIGHT
    lefts = []
    for glyph, top in zip(glyphs, rows):
        ink = _solid(glyph).tobytes()
        spans = [
            (top + y, ink.find(255, y * glyph.width, (y + 1) * glyph.width) - y * glyph.width,
             ink.rfind(255, y * glyph.width, (y + 1) * glyph.width) - y * glyph.width)
            for y in range(glyph.height)
        ]
        spans = [(row, first, last) for row, first, last in spans if first >= 0]
        if lefts:
            floor = lefts[-1] + glyphs[len(lefts) - 1].width // 2
            left = max(floor, *(reach[row] - first + 1 for row, first, _ in spans)) + rng.randint(0, 2)
        else:
            left = 0
        lefts.append(left)
        for row, _, last in spans:
            for near in range(max(0, row - CLEARANCE), min(HEIGHT, row + CLEARANCE + 1)):
                reach[near] = max(reach[near], left + last + CLEARANCE)
    return lefts


def layout(chars: str, seed: bytes) -> tuple[tuple, list, list[tuple[Image.Image, int, int]]]:
    """Return the background, the inks and each glyph with its place (left, top) on the image."""
    rng = _streams(seed)[0]
    background = tuple(rng.randint(236, 252) for _ in range(3))
    inks = [_ink(rng) for _ in range(3)]
    slant = rng.choice((-1, 1)) * rng.uniform(0.2, 0.35)
    glyphs = [_glyph(char, rng, rng.choice(inks) + (255,), slant) for char in chars.upper()]
    phase, period = rng.uniform(0, 2 * math.pi), rng.uniform(5, 8)  # the baseline's wave, in glyphs
    centres = [HEIGHT / 2 + 9 * math.sin(phase + 2 * math.pi * index / period) for index in range(len(glyphs))]
    room = WIDTH - 2 * MARGIN
    while True:
        rows = [
            min(max(int(centre - glyph.height / 2 + rng.randint(-3, 3)), 1), HEIGHT - glyph.height - 1)
            for glyph, centre in zip(glyphs, centres)
        ]
        lefts = _pack(glyphs, rows, rng)
        width = lefts[-1] + glyphs[-1].width
        if width <= room:
            break
        # Too wide a word is scaled down as a whole rather than squeezed together (the
        # clearance between glyphs does not shrink: a little more each time, until it fits).
        glyphs = [_scaled(glyph, 0.95 * room / width) for glyph in glyphs]
    start = MARGIN + rng.randint(0, max(0, WIDTH - 2 * MARGIN - width))
    return background, inks, [(glyph, start + left, top) for glyph, left, top in zip(glyphs, lefts, rows)]


def image(chars: str, seed: bytes, *, noise: bool = True) -> bytes:
    """Return the PNG of chars (upper case), drawn from seed (without noise: tests and bench only)."""
    _, light_rng, dark_rng = _streams(seed)
    background, inks, placed = layout(chars, seed)
    canvas = Image.new("RGB", (WIDTH, HEIGHT), background)
    if noise:
        _light_noise(canvas, light_rng)
    for glyph, left, top in placed:
        canvas.paste(glyph, (left, top), glyph)
    if noise:
        _dark_noise(canvas, dark_rng, inks)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()


# --- Audio ---------------------------------------------------------------------------------
#
# Issue 13 item 4: a script solved every clip by subtracting the shipped letter files (the
# track was their plain concatenation), and the file's size told much of the characters.
# Now each character is one of several voices (make_voices.sh), played at a speed that
# wanders within the character (a tape's "wow": pitch and pace change together, by up to
# RATE_SWING, differently for each piece of it), at its own loudness and after a pause of
# its own; a babble of other voices saying other characters backwards (speech to the ear,
# no letter in it) and a hiss run under the whole track. So no sample of a shipped file is
# ever played as it is, no two renderings of a character are alike, and a template of it
# matches nowhere exactly. Every track lasts DURATION: the size of the file is always the
# same. Samples are handled as one-row "F" (float) images of Pillow, whose C loops resample,
# scale and add them: a clip costs a few milliseconds, as an image does.

DURATION = 10.0  # seconds: every clip, whatever its characters
LEAD_IN = (0.3, 0.7)  # seconds of babble alone before the first character
MIN_PAUSE = 0.45  # seconds at least between two characters (the rest of DURATION is shared)
RATE_SWING = 0.12  # each piece of a character is played 1 +/- this much faster (pitch and pace)
PIECES = 3  # pieces of a character, each at its own speed
BABBLE_STREAMS = 4  # voices talking at once under the characters
BABBLE_SNR = (9.0, 12.0)  # dB: the characters this much louder than the babble (RMS), per clip
BABBLE_RATE = RATE // 2  # the babble is laid out at 8 kHz (cheap), then brought to RATE at a speed of its own
HISS = 0.004  # of full scale: a faint white noise under everything
PEAK = 0.85  # of full scale: the loudest sample of a clip


def voice_names() -> list[str]:
    return sorted(path.name for path in VOICES.iterdir() if path.is_dir())


@lru_cache(maxsize=256)
def _voice(voice: str, char: str) -> Image.Image:
    """Return char's recording by voice (antirobot/voices/<voice>/<char>.wav) as one row of floats."""
    with wave.open(str(VOICES / voice / f"{char}.wav")) as recording:
        if (recording.getframerate(), recording.getsampwidth(), recording.getnchannels()) != (RATE, 2, 1):
            raise ValueError(f"voix {voice}/{char} : format inattendu, relancez antirobot/make_voices.sh")
        frames = recording.readframes(recording.getnframes())
    # Samples are little-endian, as WAV and the machines we run on (x86-64, arm64).
    return Image.frombytes("F", (len(frames) // 2, 1), frames, "raw", "F;16S")


@lru_cache(maxsize=256)
def _backwards(voice: str, char: str) -> Image.Image:
    """Return char's recording by voice, reversed and at BABBLE_RATE: a piece of babble."""
    sound = _voice(voice, char).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return sound.resize((sound.width * BABBLE_RATE // RATE, 1), Image.Resampling.BILINEAR)


def _scaled_by(sound: Image.Image, gain: float) -> Image.Image:
    return sound.point(lambda value: value * gain)


def _wandering(sound: Image.Image, rng: random.Random) -> Image.Image:
    """Return sound played at a speed that changes from piece to piece (pitch and pace together)."""
    bounds = [round(sound.width * index / PIECES) for index in range(PIECES + 1)]
    pieces = [
        sound.crop((start, 0, end, 1)).resize(
            (max(1, round((end - start) / rng.uniform(1 - RATE_SWING, 1 + RATE_SWING))), 1), Image.Resampling.BICUBIC
        )
        for start, end in zip(bounds, bounds[1:])
    ]
    joined = Image.new("F", (sum(piece.width for piece in pieces), 1), 0)
    left = 0
    for piece in pieces:
        joined.paste(piece, (left, 0))
        left += piece.width
    return joined


def _rms(sound: Image.Image) -> float:
    squares = ImageMath.lambda_eval(lambda args: args["s"] * args["s"], s=sound)
    return math.sqrt(squares.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0)))


def _babble(rng: random.Random, voices: list[str], alphabet: str, width: int) -> Image.Image:
    """Return BABBLE_STREAMS voices saying random characters backwards, width samples at RATE."""
    rate = rng.uniform(1 - RATE_SWING, 1 + RATE_SWING)
    laid = int(width * BABBLE_RATE / RATE * rate) + 1
    babble = Image.new("F", (laid, 1), 0)
    for _ in range(BABBLE_STREAMS):
        stream = Image.new("F", (laid, 1), 0)
        left = -rng.randrange(BABBLE_RATE)  # streams out of step from the start
        while left < laid:
            piece = _scaled_by(_backwards(rng.choice(voices), rng.choice(alphabet)), rng.uniform(0.5, 1.0))
            stream.paste(piece, (left, 0))
            left += piece.width + rng.randrange(BABBLE_RATE // 10)
        babble = ImageMath.lambda_eval(lambda args: args["a"] + args["b"], a=babble, b=stream)
    return babble.resize((width, 1), Image.Resampling.BILINEAR)


def _int16(sound: Image.Image) -> bytes:
    """Return the samples (within 16 bits) as little-endian 16-bit frames."""
    wide = sound.convert("I").tobytes()  # 32-bit little-endian: the low two bytes are the sample
    frames = bytearray(len(wide) // 2)
    frames[0::2], frames[1::2] = wide[0::4], wide[1::4]
    return bytes(frames)


def audio(chars: str, seed: bytes, *, alphabet: str | None = None, babble: bool = True) -> bytes:
    """Return the WAV of chars spoken one by one in French over a babble, DURATION long.

    alphabet: the characters the babble is made of (those of chars by default); without
    babble and hiss: tests and bench only.
    """
    rng = random.Random(seed + b"audio")
    voices = voice_names()
    width = int(DURATION * RATE)
    spoken = [
        _scaled_by(_wandering(_voice(rng.choice(voices), char), rng), rng.uniform(0.75, 1.0)) for char in chars
    ]
    lead = int(rng.uniform(*LEAD_IN) * RATE)
    spare = width - lead - sum(sound.width for sound in spoken) - int(MIN_PAUSE * RATE) * len(spoken)
    if spare < 0:
        raise ValueError("captcha : les caractères dépassent la durée de l'extrait sonore")
    weights = [rng.uniform(0.5, 1.5) for _ in spoken]  # the last one is the silence at the end
    track, left = Image.new("F", (width, 1), 0), lead
    for sound, weight in zip(spoken, weights):
        track.paste(sound, (left, 0))
        left += sound.width + int(MIN_PAUSE * RATE) + int(spare * weight / sum(weights))
    if babble:
        # The babble's level is set from the characters' own loudness, over the time they sound.
        speech_rms = _rms(track) * math.sqrt(width / sum(sound.width for sound in spoken))
        noise = _babble(rng, voices, alphabet or chars, width)
        noise = _scaled_by(noise, speech_rms / (_rms(noise) or 1) / 10 ** (rng.uniform(*BABBLE_SNR) / 20))
        hiss = Image.frombytes("F", (width, 1), rng.randbytes(2 * width), "raw", "F;16S")
        track = ImageMath.lambda_eval(
            lambda args: args["t"] + args["b"] + args["h"] * HISS, t=track, b=noise, h=hiss
        )
    low, high = track.getextrema()
    track = _scaled_by(track, PEAK * 32767 / (max(-low, high) or 1))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(_int16(track))
    return buffer.getvalue()
