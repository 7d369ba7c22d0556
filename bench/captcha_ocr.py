"""How much of the captcha image a script reads: the old renderer against ours.

    .venv/bin/python bench/captcha_ocr.py [count]     (needs: apt-get install -y tesseract-ocr)

For each renderer, draws `count` (200) images of 6 random characters of its alphabet and
attacks them three ways:

1. off-the-shelf OCR: Debian's tesseract reads the image twice, as is (page segmentation
   "one text line") and told the alphabet (a whitelist, what an attacker who read our code
   would do);
2. colour threshold (issue 13 item 4, the outside probe's attack): the pixels whose every
   channel is at most t are kept as black on white (t = 60, the probe's: the glyphs of
   issue 6 were always darker than that, their noise never; and 90 and 120, what an
   attacker who read our inks would try), and tesseract, told the alphabet, reads that;
3. threshold + column split: in each thresholded image, the columns holding ink are cut
   into runs, ignoring columns with at most k inked pixels (k = 0..3: thin lines across
   the gaps weigh little) and runs narrower than any glyph (slivers of noise at the ends);
   when a k gives exactly 6 runs, each run is read alone by
   tesseract (one character, told the alphabet). "6 columns" is the share of images that
   some t and k cut into exactly 6, the first step of a segmenting solver.

An attack solves an image when any of its variants (t, k) does.

An image is solved when a reading, spaces removed and case ignored, is exactly its
characters; "characters found" is the share of its characters found in order in the told
reading. The old renderer (captcha.ImageCaptcha 220x80, the alphabet before issue 6) lives
only here, to keep the comparison reproducible.
"""

import difflib
import os
import random
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from captcha.image import ImageCaptcha  # noqa: E402
from PIL import Image, ImageChops  # noqa: E402

from antirobot import render  # noqa: E402

OLD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
NEW_ALPHABET = "efhjkmpruwxy23456789"  # antirobot.services.ALPHABET (no Django needed here)
THRESHOLDS = (60, 90, 120)  # max channel <= t; 60 is the probe's
SPLIT_TOLERANCES = (0, 1, 2, 3)
MIN_GLYPH_WIDTH = 8  # pixels: the narrowest glyph at the smallest size (J, 1-px stroke included)


def old_image(chars: str) -> bytes:
    buffer = BytesIO()
    ImageCaptcha(width=220, height=80).generate_image(chars.upper()).save(buffer, format="PNG")
    return buffer.getvalue()


def new_image(chars: str) -> bytes:
    return render.image(chars, os.urandom(32))


def tesseract(png: bytes, whitelist: str | None, psm: int = 7) -> str:
    command = ["tesseract", "stdin", "stdout", "--psm", str(psm)]
    if whitelist:
        command += ["-c", f"tessedit_char_whitelist={whitelist}"]
    result = subprocess.run(command, input=png, capture_output=True, check=False)
    if result.returncode != 0:  # tesseract 5.3 dies (SIGFPE) on a few images: not read
        return ""
    return "".join(result.stdout.decode(errors="replace").split()).lower()


def _png(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def thresholded(png: bytes, threshold: int) -> Image.Image:
    """Return the image with only its pixels of max channel <= threshold, black on white."""
    rgb = Image.open(BytesIO(png)).convert("RGB")
    channels = [channel.point(lambda v: 255 if v <= threshold else 0) for channel in rgb.split()]
    inked = ImageChops.darker(ImageChops.darker(channels[0], channels[1]), channels[2])  # every channel dark
    return ImageChops.invert(inked)


def column_runs(mask: Image.Image, tolerance: int) -> list[tuple[int, int]]:
    """Return the runs [start, end) of columns with more than tolerance inked pixels."""
    width, height = mask.size
    data = mask.load()
    inked = [sum(1 for y in range(height) if data[x, y] == 0) > tolerance for x in range(width)]
    runs, start = [], None
    for x, ink in enumerate([*inked, False]):
        if ink and start is None:
            start = x
        elif not ink and start is not None:
            runs.append((start, x))
            start = None
    return [(start, end) for start, end in runs if end - start >= MIN_GLYPH_WIDTH]


def split_read(mask: Image.Image, whitelist: str) -> tuple[bool, str]:
    """Cut mask into 6 column runs if some tolerance does; return (cut, the reading of the runs)."""
    for tolerance in SPLIT_TOLERANCES:
        runs = column_runs(mask, tolerance)
        if len(runs) == 6:
            pieces = []
            for start, end in runs:
                piece = Image.new("L", (end - start + 20, mask.height + 20), 255)
                piece.paste(mask.crop((start, 0, end, mask.height)), (10, 10))
                pieces.append(tesseract(_png(piece), whitelist, psm=10)[:1])
            return True, "".join(pieces)
    return False, ""


def recovered(reading: str, chars: str) -> float:
    """Return the share of chars found, in order, in reading (a finer measure than solved)."""
    matcher = difflib.SequenceMatcher(None, reading, chars)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(chars)


def attack(draw, alphabet: str, count: int, rng: random.Random) -> dict[str, float]:
    """Return the shares of images each attack solves (and the intermediate figures)."""
    totals = dict.fromkeys(("as is", "told", "found", "threshold", "6 columns", "split"), 0.0)
    for _ in range(count):
        chars = "".join(rng.choice(alphabet) for _ in range(6))
        png = draw(chars)
        totals["as is"] += tesseract(png, None) == chars
        reading = tesseract(png, alphabet.upper())
        totals["told"] += reading == chars
        totals["found"] += recovered(reading, chars)
        masks = [thresholded(png, threshold) for threshold in THRESHOLDS]
        totals["threshold"] += any(tesseract(_png(mask), alphabet.upper()) == chars for mask in masks)
        cuts = [split_read(mask, alphabet.upper()) for mask in masks]
        totals["6 columns"] += any(cut for cut, _ in cuts)
        totals["split"] += any(pieces == chars for _, pieces in cuts)
    return {name: value / count for name, value in totals.items()}


def main() -> None:
    if shutil.which("tesseract") is None:
        sys.exit("tesseract absent : apt-get install -y tesseract-ocr")
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = random.Random()
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    print(f"{version}, {count} images per renderer, share solved exactly:")
    for name, draw, alphabet in (
        ("old (captcha.ImageCaptcha)", old_image, OLD_ALPHABET),
        ("new (antirobot.render)", new_image, NEW_ALPHABET),
    ):
        r = attack(draw, alphabet, count, rng)
        print(
            f"  {name:28} as is: {r['as is']:6.1%}   told the alphabet: {r['told']:6.1%}"
            f" (characters found: {r['found']:6.1%})   threshold: {r['threshold']:6.1%}"
            f"   6 columns: {r['6 columns']:6.1%}   split and read: {r['split']:6.1%}"
        )


if __name__ == "__main__":
    main()
