"""How a siège address is shown on screen (J9's "courrier envoyé", J11).

The letter carries the whole address. The screen shows it to whoever asked, who may not be
entitled to the company (that is what the code proves): the recipient line and the last
line (postal code and town) in full, so that the requester knows where the letter goes; the
street lines masked but for each word's first letter, and a house number, as banks and the
State's services print a partial address (a sole trader's siège is often a home).
"""

import re

WORD = re.compile(r"\w+", re.UNICODE)


def _mask_word(match: re.Match) -> str:
    word = match.group(0)
    if word.isdigit() or len(word) <= 1:
        return word
    return word[0] + "*" * (len(word) - 1)


def masked(lines: list[str]) -> list[str]:
    """Return address lines for a screen: first and last in full, the others masked."""
    if len(lines) <= 2:
        return list(lines)
    return [lines[0], *(WORD.sub(_mask_word, line) for line in lines[1:-1]), lines[-1]]
