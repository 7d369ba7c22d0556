"""Password policy as Django validators, chosen in AUTH_PASSWORD_VALIDATORS (R-PWD-1..4)."""

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from zxcvbn import matching, scoring, time_estimates

from core.messages import message

LEAKED_LIST = Path(__file__).resolve().parent / "data" / "leaked-passwords.txt.gz"
# French words, first names and surnames, most frequent first; rebuilt by
# espace/data/make_french_lists.py from wordfreq and Faker (R-PWD-2).
FRENCH_LISTS = Path(__file__).resolve().parent / "data" / "french-frequency-lists.json.gz"
LEVELS = {0: "Faible et non autorisé", 1: "Faible et non autorisé", 2: "Faible et non autorisé", 3: "Normal", 4: "Fort"}
# zxcvbn refuses more than 72 characters (its matching is quadratic): the first 72
# characters decide the score, and a longer password is at least that strong.
ZXCVBN_MAX_INPUT = 72


OWN_DATA_FIELDS = (
    "login_email",
    "contact_email",
    "last_name",
    "first_name",
    "subscriber_number",
    "company_identifier",
)


def own_data_copy(space, **overrides):
    """Return an unsaved Space holding only space's own data (R-PWD-2), with overrides.

    The password rules judge it like the space, except the history (R-PWD-3), which needs a
    saved space: for a check that must not consult old passwords yet (the strength meter, a
    step before the secret is proven) or that has none to consult (a certificate space).
    """
    from accounts.models import Space

    data = {field: getattr(space, field) for field in OWN_DATA_FIELDS} if space is not None else {}
    return Space(**{**data, **overrides})


# What a person's own data is cut into: an email's local part on ".", "_", "-", "+" and
# between letters and digits, its domain on "."; a name on spaces, hyphens and apostrophes.
EMAIL_LOCAL_SEPARATORS = re.compile(r"[._+\-]+|(?<=\D)(?=\d)|(?<=\d)(?=\D)")
NAME_SEPARATORS = re.compile(r"[\s'’\-]+")


def _email_parts(email: str) -> list[str]:
    """Return an email's pieces and their gluings: zxcvbn matches a user input only whole.

    "paul.martin@example.fr" gives "paulmartinexamplefr", "paulmartin", "examplefr", "paul",
    "martin", "example", "fr"…: a password built as "paulmartinexamplefr2026" is then two
    pieces (the glued email and a year) instead of five cheap-looking ones, which zxcvbn's
    per-piece penalty would rate "Fort".
    """
    local, _, domain = email.lower().partition("@")
    pieces = [piece for piece in EMAIL_LOCAL_SEPARATORS.split(local) if piece]
    labels = [label for label in domain.split(".") if label]
    glued_local, glued_domain = "".join(pieces), "".join(labels)
    turned = "".join(reversed(pieces))  # "martinpaul" from "paul.martin"
    return [email.lower(), glued_local + glued_domain, turned + glued_domain, local, glued_local, turned,
            domain, glued_domain, *pieces, *labels]  # fmt: skip


def _name_parts(*names: str) -> list[str]:
    """Return the names, their pieces and the names glued in both orders ("paulmartin")."""
    words = [word for name in names for word in NAME_SEPARATORS.split(name.lower()) if word]
    glued = ["".join(NAME_SEPARATORS.split(name.lower())) for name in names]
    both = ["".join(glued), "".join(reversed(glued))] if len(glued) > 1 else []
    return [*both, *glued, *words]


def user_inputs(user=None, extra=()) -> list[str]:
    """Return the user's own data that a password must not be built from (R-PWD-2).

    The emails (cut and glued), the names, the subscriber number, the company's SIREN and
    its name in the register: each, and the pieces a person would glue into a password.
    """
    values = [str(value) for value in extra if value]
    if user is not None:
        for attr in ("login_email", "contact_email"):
            email = getattr(user, attr, None)
            if email:
                values.extend(_email_parts(str(email)))
        names = [str(getattr(user, attr, "") or "") for attr in ("first_name", "last_name")]
        values.extend(_name_parts(*[name for name in names if name]))
        for attr in ("subscriber_number", "company_identifier"):
            value = getattr(user, attr, None)
            if value:
                values.append(str(value))
        company = _company_name(getattr(user, "company_identifier", "") or "")
        if company:
            values.extend(_name_parts(company))
    seen, inputs = set(), []
    for value in values:  # the first occurrence ranks (zxcvbn gives rank = position)
        if value and value not in seen:
            seen.add(value)
            inputs.append(value)
    return inputs


def _company_name(identifier: str) -> str:
    """Return the register's name of a SIREN, or "" (R-SIREN-2)."""
    from registre.selectors import company_name

    return (company_name(identifier) or "") if identifier.isdigit() else ""


# A phrase made only of the most frequent French words ("je suis dans la maison avec le
# chat") is refused although zxcvbn rates it "Fort": zxcvbn multiplies the guesses of
# each word (at least 50 each, times a factor for the number of pieces), the model of an
# attacker drawing words at random, whereas people pick grammatical sentences, which
# attackers enumerate with language models. Positions in the fr_words list, spellings
# included (about 2,600 distinct words).
VERY_COMMON_WORDS = 3000
# A year, "42" or "!!" appended to such a phrase adds almost nothing: a few more
# characters that are neither letters nor separators make the phrase something else.
COMMON_PHRASE_MAX_EXTRA = 4
PHRASE_SEPARATORS = re.compile(r"[\s'’\-.,;:!?]+")
LETTERS = re.compile(r"[^\W\d_]+")
# Letters with inner apostrophes and hyphens: "aujourd'hui", "l'auras", "peut-être".
WORD_RUN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# One-letter words that a glued phrase ("ilyaunchat") may hold between common words.
ONE_LETTER_WORDS = frozenset("aày")


@lru_cache(maxsize=1)
def _french_lists() -> frozenset[str]:
    """Register the shipped French lists with zxcvbn, once per process, and return the
    very common words.

    zxcvbn keeps its dictionaries in a module-level table that every call reads, so
    registering them here makes the live meter and the server validation score alike.
    """
    with gzip.open(FRENCH_LISTS, "rt", encoding="utf-8") as f:
        lists = json.load(f)
    matching.add_frequency_lists(lists)
    return frozenset(lists["fr_words"][:VERY_COMMON_WORDS])


def _splits_into(run: str, words: frozenset[str]) -> bool:
    """Return whether a run of letters is a sequence of words ("lamaison" = la + maison).

    Only pieces as long as the longest word are tried: the split stays linear in the
    length of the run, whatever length a caller of validate_password lets through.
    """
    longest = max(_longest_common_word(), 1)
    ends = {0}
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - longest), end):
            if start in ends and (run[start:end] in words or (end - start == 1 and run[start] in ONE_LETTER_WORDS)):
                ends.add(end)
                break
    return len(run) in ends


@lru_cache(maxsize=1)
def _longest_common_word() -> int:
    return max(map(len, _french_lists()))


def is_common_phrase(password: str) -> bool:
    """Return whether password is only very common French words, separators and at most
    COMMON_PHRASE_MAX_EXTRA other characters (R-PWD-2)."""
    words = _french_lists()
    text = password.lower()
    runs = WORD_RUN.findall(text)
    extra = LETTERS.sub("", PHRASE_SEPARATORS.sub("", text))
    return bool(runs) and len(extra) <= COMMON_PHRASE_MAX_EXTRA and all(_is_common(run, words) for run in runs)


def _is_common(run: str, words: frozenset[str]) -> bool:
    """Return whether a run of letters is very common words, whole ("aujourd'hui") or
    piece by piece ("l'auras": one letter alone is an elision, or "à", "y")."""
    if _splits_into(run, words):
        return True
    return all(len(part) == 1 or _splits_into(part, words) for part in re.split(r"['’-]", run))


def strength(password: str, inputs=()) -> int:
    """Return the zxcvbn score 0-4 of password, fed with the user's own data and the
    French frequency lists; 2 at most for a phrase of very common French words (R-PWD-2)."""
    if not password:
        return 0
    _french_lists()  # registered before zxcvbn's first call in this process
    score = _zxcvbn_score(password[:ZXCVBN_MAX_INPUT], inputs)
    return min(score, 2) if is_common_phrase(password) else score


def _zxcvbn_score(password: str, inputs) -> int:
    """Return the score zxcvbn(password, user_inputs=inputs) computes, without its shared state.

    zxcvbn() stores the user's data in its module-level table of dictionaries, which the
    threads of a gunicorn worker share: a concurrent call could score a password against
    another user's email and names. These are its three steps (zxcvbn 4.5.0) on a
    per-call copy of the table (a dozen references, not the words).
    """
    dictionaries = {
        **matching.RANKED_DICTIONARIES,
        "user_inputs": matching.build_ranked_dict([str(value).lower() for value in inputs]),
    }
    matches = matching.omnimatch(password, dictionaries)
    guesses = scoring.most_guessable_match_sequence(password, matches)["guesses"]
    return time_estimates.guesses_to_score(guesses)


class LengthValidator:
    """R-PWD-1: 20 to 128 characters, every character allowed, nothing truncated."""

    def __init__(self, min_length=None, max_length=None):
        self.min_length = min_length or settings.PASSWORD_MIN_LENGTH
        self.max_length = max_length or settings.PASSWORD_MAX_LENGTH

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(message("password_too_short", min=self.min_length), code="password_too_short")
        if len(password) > self.max_length:
            raise ValidationError(message("password_too_long", max=self.max_length), code="password_too_long")

    def get_help_text(self):
        return f"{self.min_length} caractères minimum, {self.max_length} au plus ; tous les caractères sont autorisés."


@lru_cache(maxsize=1)
def _leaked() -> frozenset[str]:
    with gzip.open(LEAKED_LIST, "rt", encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip())


class LeakedPasswordValidator:
    """R-PWD-4: refuse passwords of the shipped list of common or leaked passwords.

    A listed word repeated to reach the minimum length ("motdepassemotdepasse...") is
    refused too: length alone does not make a known password unknown.
    """

    def validate(self, password, user=None):
        candidate = password.strip().lower()
        leaked = _leaked()
        if candidate in leaked or self._repeats_listed(candidate, leaked):
            raise ValidationError(message("password_leaked"), code="password_leaked")

    @staticmethod
    def _repeats_listed(candidate: str, leaked: frozenset[str]) -> bool:
        for size in range(1, len(candidate) // 2 + 1):
            if len(candidate) % size == 0 and candidate[:size] * (len(candidate) // size) == candidate:
                return candidate[:size] in leaked or size <= 4
        return False

    def get_help_text(self):
        return "Le mot de passe ne doit pas figurer dans une liste de mots de passe connus."


class ZxcvbnValidator:
    """R-PWD-2: refuse a score below min_score ("Faible et non autorisé")."""

    def __init__(self, min_score=None):
        self.min_score = min_score if min_score is not None else settings.PASSWORD_MIN_SCORE

    def validate(self, password, user=None):
        if strength(password, user_inputs(user)) < self.min_score:
            raise ValidationError(message("password_weak"), code="password_weak")

    def get_help_text(self):
        return "Le niveau de sécurité doit être Normal ou Fort."


class PasswordHistoryValidator:
    """R-PWD-3: a space's new password differs from its current one and its last 5.

    Applies to a saved space only (a space being created has no history). It costs up to
    six Argon2 verifications, which is why it comes last: the cheap rules refuse first.
    """

    def validate(self, password, user=None):
        from accounts.services import passwords

        if getattr(user, "pk", None) and passwords.was_used(user, password):
            raise ValidationError(
                message("password_reused", count=settings.PASSWORD_HISTORY_SIZE), code="password_reused"
            )

    def get_help_text(self):
        return f"Le mot de passe doit différer de l'actuel et des {settings.PASSWORD_HISTORY_SIZE} précédents."


def password_level(password: str, *, user=None, email: str = "") -> tuple[str, bool]:
    """Return the level shown to the user and whether the whole policy accepts password.

    "Faible et non autorisé" whenever any validator refuses (too short, too long, leaked,
    weak, already used). An input longer than the policy allows is not scored at all.
    """
    from django.contrib.auth import password_validation

    if len(password) > settings.PASSWORD_MAX_LENGTH:
        return LEVELS[0], False
    # The meter scores, it does not consult the history (six Argon2 checks per keystroke
    # pause, and an oracle on old passwords).
    # The email typed on the page (J1, J8's new login) counts with the space's own data.
    subject = own_data_copy(user, **({"login_email": email} if email else {}))
    try:
        password_validation.validate_password(password, subject)
    except ValidationError:
        return LEVELS[0], False
    score = strength(password, user_inputs(subject))
    return LEVELS[score], score >= settings.PASSWORD_MIN_SCORE
