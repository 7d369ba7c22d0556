"""Hostile input shared by the "Bad input" tests of every journey (SPEC §4): Hypothesis
strategies and the fuzzing budget."""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.sampled_from(
        [
            "\x00",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "%00",
            "\u202e",
            "🙂" * 50,
            "a" * 10000,
            " ",
            "0" * 9,
            "000 000 000",
        ]
    ),
)
# FUZZ_EXAMPLES=300 make test for a longer hunt; the default keeps the suite fast.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    # Hostile values are large on purpose (10,000 characters, nested lists): a draw that
    # exceeds Hypothesis's data budget is the point, not a slow test to shrink.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

KNOWN_EMAIL = "lila.rosemonde@exemple.fr"
# Emails the forms accept, so that the hostile password or code behind them reaches the flow.
ACCEPTED_EMAILS = st.sampled_from([KNOWN_EMAIL, " Lila.Rosemonde@Exemple.FR ", "inconnu@exemple.fr", "x@y.fr"])
EMAILS = st.one_of(HOSTILE, ACCEPTED_EMAILS, st.emails())
WELL_FORMED_CODES = st.from_regex(r"\A[A-Za-z0-9]{12}\Z")

# Bodies a form's POST may come with that are not what a browser sends (J9, J14): not UTF-8,
# truncated multipart, JSON, a thousand values of one field. Each answer must be a page.
MALFORMED_FORM_BODIES = [
    (b"siren=\xff\xfe\x00&statut=representant_legal&services=declarer_tva", "application/x-www-form-urlencoded"),
    (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
    ("siren=732829320&statut=representant_legal&services=d\xe9clarer_tva".encode("latin-1"), "application/x-www-form-urlencoded"),
    (b'--x\r\nContent-Disposition: form-data; name="siren"\r\n\r\ntrunc', "multipart/form-data; boundary=x"),
    (b'{"siren": "732829320", "services": ["declarer_tva"]}', "application/json"),
    (b"siren=732829320&shown=732829320&" + b"services=declarer_tva&" * 1200, "application/x-www-form-urlencoded"),
]
