"""How much of the captcha off-the-shelf OCR solves: the old renderer against ours.

    .venv/bin/python bench/captcha_ocr.py [count]     (needs: apt-get install -y tesseract-ocr)

For each renderer, draws `count` (200) images of 6 random characters of its alphabet and
asks Debian's tesseract to read them twice: as is (page segmentation "one text line"), and
told the alphabet (a whitelist, what an attacker who read our code would do). An image
is solved when the reading, spaces removed and case ignored, is exactly its characters;
"characters found" is the share of its characters found in order in the told reading.
The old renderer (captcha.ImageCaptcha 220x80, with the alphabet it used before confusable characters were dropped) lives only
here, to keep the comparison reproducible.
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

from antirobot import render  # noqa: E402

OLD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
NEW_ALPHABET = "efhjkmpruwxy23456789"  # antirobot.services.ALPHABET (no Django needed here)


def old_image(chars: str) -> bytes:
    buffer = BytesIO()
    ImageCaptcha(width=220, height=80).generate_image(chars.upper()).save(buffer, format="PNG")
    return buffer.getvalue()


def new_image(chars: str) -> bytes:
    return render.image(chars, os.urandom(32))


def read(png: bytes, whitelist: str | None) -> str:
    command = ["tesseract", "stdin", "stdout", "--psm", "7"]
    if whitelist:
        command += ["-c", f"tessedit_char_whitelist={whitelist}"]
    result = subprocess.run(command, input=png, capture_output=True, check=False)
    if result.returncode != 0:  # tesseract 5.3 dies (SIGFPE) on a few images: not read
        return ""
    return "".join(result.stdout.decode(errors="replace").split()).lower()


def recovered(reading: str, chars: str) -> float:
    """Return the share of chars found, in order, in reading (a finer measure than solved)."""
    matcher = difflib.SequenceMatcher(None, reading, chars)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(chars)


def solved_share(draw, alphabet: str, count: int, rng: random.Random) -> tuple[float, float, float]:
    """Return the shares solved as is and told the alphabet, and the characters recovered then."""
    plain = told = found = 0
    for _ in range(count):
        chars = "".join(rng.choice(alphabet) for _ in range(6))
        png = draw(chars)
        plain += read(png, None) == chars
        reading = read(png, alphabet.upper())
        told += reading == chars
        found += recovered(reading, chars)
    return plain / count, told / count, found / count


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
        plain, told, found = solved_share(draw, alphabet, count, rng)
        print(f"  {name:28} as is: {plain:6.1%}   told the alphabet: {told:6.1%} (characters found: {found:6.1%})")


if __name__ == "__main__":
    main()
