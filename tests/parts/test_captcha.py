"""R-CAPTCHA-1/2: image and French audio, signed keys, single use across nodes, test mode."""

import io
import logging
import wave
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st
from PIL import Image

from antirobot import render, services
from antirobot.forms import ERROR, TOO_MANY
from antirobot.models import UsedChallenge
from antirobot.testing import KEY_RE, solve
from core import clock

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.9"


def _new(address=ADDRESS):
    return services.new_challenge(address=address)


def test_r_captcha_1_six_characters_of_an_unambiguous_alphabet():
    answer = solve(_new())
    assert len(answer) == 6 and set(answer) <= set(services.ALPHABET)
    assert not set("01ilo") & set(services.ALPHABET)


# Pairs a person takes for one another on the image (drawn upper case) or
# hears alike in French; z/2 was misread in the trial. At most one of each may be used.
CONFUSABLE = [
    ("z", "2"), ("s", "5"), ("b", "8"), ("b", "6"), ("g", "6"), ("g", "9"), ("q", "9"), ("q", "o"),
    ("o", "0"), ("d", "0"), ("i", "1"), ("l", "1"), ("i", "j"), ("u", "v"), ("v", "w"), ("v", "y"),
    ("t", "7"), ("1", "7"), ("a", "4"), ("m", "n"), ("c", "g"),
    # French letter names: bé/cé/dé/gé/pé/té/vé, èm/èn, èf/ès, sé/ès.
    ("b", "d"), ("b", "p"), ("d", "t"), ("p", "t"), ("b", "v"), ("c", "s"), ("c", "t"), ("f", "s"),
    ("d", "v"), ("p", "v"), ("t", "v"), ("g", "j"),
]


def test_r_captcha_1_alphabet_has_no_confusable_pair():
    both = [pair for pair in CONFUSABLE if set(pair) <= set(services.ALPHABET)]
    assert both == []
    assert len(services.ALPHABET) ** services.LENGTH > 10**7  # still far beyond guessing


def test_r_captcha_1_every_character_has_its_voice():
    assert {p.stem for p in render.VOICES.glob("*.wav")} == set(services.ALPHABET)


def test_r_captcha_1_single_use_even_with_the_right_answer():
    key = _new()
    assert services.verify(key, solve(key))
    assert not services.verify(key, solve(key))


def test_r_captcha_1_a_wrong_answer_consumes_the_challenge():
    key = _new()
    assert not services.verify(key, "zzzzzz")
    assert not services.verify(key, solve(key))


def test_r_captcha_1_case_and_spaces_ignored():
    key = _new()
    assert services.verify(key, f"  {solve(key).upper()} ")


def test_r_captcha_1_expires_after_ten_minutes():
    key = _new()
    with time_machine.travel(clock.now() + timedelta(minutes=10, seconds=1), tick=False):
        assert services.image_png(key) is None
        assert not services.verify(key, solve(key))


def test_r_captcha_1_image_is_a_png_and_audio_a_french_wav_with_pauses():
    key = _new()
    image = Image.open(io.BytesIO(services.image_png(key)))
    assert image.format == "PNG" and image.size == (220, 80)
    with wave.open(io.BytesIO(services.audio_wav(key))) as audio:
        rate, frames = audio.getframerate(), audio.readframes(audio.getnframes())
    assert rate == render.RATE
    samples = memoryview(frames).cast("h")
    # Six spoken characters, each followed by a pause of at least half a second.
    window = rate // 20
    loud = [max(abs(v) for v in samples[i : i + window]) > 3000 for i in range(0, len(samples) - window, window)]
    words, quiet = 0, 10
    for is_loud in loud:
        if is_loud and quiet >= 10:
            words += 1
        quiet = 0 if is_loud else quiet + 1
    assert words == 6, words


def test_r_captcha_1_one_key_always_gives_the_same_image_and_audio():
    """No averaging attack: fetching again shows no new distortion of the same characters."""
    key = _new()
    assert services.image_png(key) == services.image_png(key)
    assert services.audio_wav(key) == services.audio_wav(key)
    other = _new()
    assert services.image_png(other) != services.image_png(key)


def test_r_captcha_1_same_bytes_through_the_views(client):
    key = _new()
    assert client.get(f"/captcha/{key}/image.png").content == client.get(f"/captcha/{key}/image.png").content
    assert client.get(f"/captcha/{key}/audio.wav").content == client.get(f"/captcha/{key}/audio.wav").content


def test_r_captcha_1_changer_l_image_gives_a_new_key_with_new_characters(client):
    keys = [client.get("/captcha/nouveau").json()["key"] for _ in range(5)]
    assert len(set(keys)) == 5
    assert len({solve(key) for key in keys}) == 5


def test_r_captcha_1_characters_are_a_keyed_digest(settings):
    key = _new()
    before = solve(key)
    settings.SECRET_KEY = "another secret key for this test only, long enough to be one"
    assert solve(key) != before


def _nonce(key):
    return key.split(".")[0]


def test_r_captcha_1_purge_removes_only_expired_used_challenges():
    """A used nonce is kept while a key carrying it can live: CAPTCHA_EXTENDED_TTL + CAPTCHA_TTL."""
    start = clock.now()
    old = [_new() for _ in range(3)]
    for key in old:
        services.verify(key, "zzzzzz")
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        young = [_new() for _ in range(2)]
        for key in young:
            services.verify(key, "zzzzzz")
    with time_machine.travel(start + timedelta(minutes=109), tick=False):
        # A key drawn at 0 and extended just before its check at 0 may live until 100: its
        # nonce stays recorded CAPTCHA_TTL more, for clocks apart and a late extension.
        assert services.purge_expired() == 0
    with time_machine.travel(start + timedelta(minutes=110, seconds=1), tick=False):
        assert services.purge_expired() == 3
        assert set(UsedChallenge.objects.values_list("nonce", flat=True)) == {_nonce(key) for key in young}
        assert services.purge_expired() == 0


def test_r_captcha_1_drawing_writes_nothing_and_a_check_one_statement():
    with CaptureQueriesContext(connection) as drawing:
        key = _new()
        services.image_png(key)
        services.audio_wav(key)
    assert not [q for q in drawing.captured_queries if "antirobot" in q["sql"]]  # only the address quota
    with CaptureQueriesContext(connection) as check:
        services.verify(key, solve(key))
    [statement] = check.captured_queries
    assert statement["sql"].startswith("INSERT INTO antirobot_usedchallenge")
    assert UsedChallenge.objects.get().nonce == _nonce(key)


def test_r_captcha_1_per_address_cap_refuses_past_the_limit(settings, client):
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        "captchas_per_address": {"limit": 3, "window": timedelta(minutes=10)},
    }
    assert all(_new() for _ in range(3))
    assert _new() is None
    assert _new(address="198.51.100.7") is not None  # another address is not held back
    response = client.get("/captcha/nouveau", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 429 and response.json()["error"] == TOO_MANY
    page = client.get("/", REMOTE_ADDR=ADDRESS).content.decode()
    assert TOO_MANY in page.replace("&#x27;", "'") and "image.png" not in page


def test_r_captcha_1_an_empty_or_overlong_answer_gets_one_message(rf):
    from accounts.forms import LoginForm

    request = rf.post("/connexion", REMOTE_ADDR=ADDRESS)
    data = {"email": "a@example.fr", "password": "x", "captcha_key": _new(), "captcha": ""}
    form = LoginForm(data, request=request)
    assert not form.is_valid() and form.errors["captcha"] == ["Ce champ est obligatoire."]
    form = LoginForm({**data, "captcha_key": _new(), "captcha": "x" * 21}, request=request)
    assert not form.is_valid() and form.errors["captcha"] == [ERROR]
    form = LoginForm({**data, "captcha_key": _new(), "captcha": "abcdef"}, request=request)
    assert not form.is_valid() and form.errors["captcha"] == [ERROR]


def test_r_captcha_1_empty_answer_on_the_login_page_shows_one_message(client):
    page = client.get("/").content.decode()
    key = KEY_RE.search(page).group(1)
    response = client.post("/", {"email": "a@example.fr", "password": "x", "captcha_key": key, "captcha": ""})
    html = response.content.decode()
    # Once by the field, once in the summary's link to it (RGAA 11.10); never "ne correspondent pas".
    assert html.count("Ce champ est obligatoire.") == 2 and ERROR.replace("'", "&#x27;") not in html


def test_rgaa_13_1_more_time_on_request(client):
    key = _new()
    page = client.get("/").content.decode()
    assert "<audio controls" in page and "Plus de temps" in page and "valable 10 minutes" in page
    response = client.post(f"/captcha/{key}/prolonger")
    longer = response.json()["key"]
    assert response.status_code == 200 and response.json() == {
        "key": longer,
        "image": f"/captcha/{longer}/image.png",
        "audio": f"/captcha/{longer}/audio.wav",
        "extend": f"/captcha/{longer}/prolonger",
        "minutes": 100,
    }
    with time_machine.travel(clock.now() + timedelta(minutes=99), tick=False):
        assert services.image_png(key) is None  # the old key keeps its own limit
        assert services.image_png(longer) is not None
        assert services.verify(longer, solve(longer))
    assert client.post(f"/captcha/{longer}/prolonger").status_code == 404  # used: nothing to extend
    assert client.post(f"/captcha/{key}/prolonger").status_code == 404  # nor under the old key
    assert client.post("/captcha/pas-une-cle/prolonger").status_code == 404
    assert client.get(f"/captcha/{_new()}/prolonger").status_code == 405


def test_rgaa_13_1_the_extension_ends_too():
    key = services.extend(_new())
    with time_machine.travel(clock.now() + timedelta(minutes=100, seconds=1), tick=False):
        assert services.image_png(key) is None and services.audio_wav(key) is None
        assert services.extend(key) is None and not services.verify(key, solve(key))


def test_rgaa_13_1_asking_again_extends_again():
    key = services.extend(_new())
    with time_machine.travel(clock.now() + timedelta(minutes=90), tick=False):
        key = services.extend(key)
    with time_machine.travel(clock.now() + timedelta(minutes=150), tick=False):
        assert services.verify(key, solve(key))


def test_rgaa_13_1_an_extended_key_is_the_same_challenge():
    key = _new()
    longer = services.extend(key)
    assert longer != key and _nonce(longer) == _nonce(key)
    assert solve(longer) == solve(key)
    assert services.image_png(longer) == services.image_png(key)
    assert services.audio_wav(longer) == services.audio_wav(key)


@pytest.mark.parametrize("first", ["original", "extended"])
def test_r_captcha_1_an_extended_key_and_its_original_share_one_use(first):
    keys = {"original": _new()}
    keys["extended"] = services.extend(keys["original"])
    second = "original" if first == "extended" else "extended"
    assert services.verify(keys[first], solve(keys[first]))
    assert not services.verify(keys[second], solve(keys[second]))
    assert services.extend(keys[second]) is None


def _altered(key, position):
    """Return key with the character at position changed (to another allowed one)."""
    char = key[position]
    return key[:position] + ("b" if char == "a" else "a") + key[position + 1 :]


@pytest.mark.parametrize("part", ["nonce", "expiry", "mac"])
def test_r_captcha_1_a_forged_key_is_refused(client, part):
    key = _new()
    nonce, expiry, mac = key.split(".")
    # The last digit of the expiry: seconds apart, still within the limits a key may have.
    position = {"nonce": 0, "expiry": len(nonce) + len(expiry), "mac": len(key) - 2}[part]
    forged = _altered(key, position)
    assert forged != key and services.KEY_RE.fullmatch(forged)  # well formed, only the MAC fails
    assert services.image_png(forged) is None and services.audio_wav(forged) is None
    assert client.get(f"/captcha/{forged}/image.png").status_code == 404
    assert services.extend(forged) is None
    assert client.post(f"/captcha/{forged}/prolonger").status_code == 404
    assert not services.verify(forged, solve(forged))
    assert not UsedChallenge.objects.exists()  # a forged key does not even cost a row
    assert services.verify(key, solve(key))  # nor does it spend the real challenge


def test_r_captcha_1_a_key_living_longer_than_any_extension_is_refused():
    """Signed but never issued by us (a leaked SECRET_KEY, a clock far ahead): refused."""
    limit = timedelta(minutes=100) + services.CLOCK_SKEW
    assert services.read(services._sign("n" * 22, limit)) is not None
    key = services._sign("m" * 22, limit + timedelta(seconds=1))
    assert services.KEY_RE.fullmatch(key)
    assert services.image_png(key) is None and services.extend(key) is None
    assert not services.verify(key, solve(key))


@pytest.mark.parametrize(
    "key",
    [
        "A" * 43,  # a key of the stored-challenge days
        "{nonce}.{expiry}.{mac}\n",
        "{nonce}.{expiry}.{mac}=",
        "{nonce}.{expiry_upper}.{mac}",
        "{nonce}..{mac}",
        "{nonce}.{expiry}",
    ],
)
def test_r_captcha_1_keys_not_of_our_shape_are_404(client, key):
    from urllib.parse import quote

    nonce, expiry, mac = _new().split(".")
    key = key.format(nonce=nonce, expiry=expiry, mac=mac, expiry_upper=expiry.upper())
    assert services.read(key) is None
    assert client.get(f"/captcha/{quote(key)}/image.png").status_code == 404
    assert not services.verify(key, solve(key))


def test_r_captcha_1_views(client):
    key = _new()
    image = client.get(f"/captcha/{key}/image.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png" and image["Cache-Control"] == "no-store"
    assert client.get(f"/captcha/{key}/audio.wav")["Content-Type"] == "audio/wav"
    fresh = client.get("/captcha/nouveau").json()
    assert client.get(fresh["image"]).status_code == 200 and fresh["audio"].endswith("/audio.wav")


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.text(min_size=1, max_size=100).filter(lambda k: "/" not in k and "\x00" not in k))
def test_r_captcha_1_unknown_keys_are_404_never_500(client, key):
    from urllib.parse import quote

    assert client.get(f"/captcha/{quote(key)}/image.png").status_code == 404
    assert not services.verify(key, "abcdef")


def test_r_captcha_2_test_mode_accepts_passed_only_when_enabled(settings):
    assert not services.verify(_new(), "PASSED")
    settings.CAPTCHA_TEST_MODE = True
    assert services.verify(_new(), "PASSED")
    assert services.verify("", "PASSED")
    assert not services.verify(_new(), "passed")


def test_r_captcha_2_test_mode_is_announced_on_every_page(client, settings):
    settings.CAPTCHA_TEST_MODE = True
    assert "Mode de test du captcha activé" in client.get("/").content.decode()


def test_r_captcha_2_start_up_logs_a_warning(settings, caplog):
    from django.apps import apps

    settings.CAPTCHA_TEST_MODE = True
    with caplog.at_level(logging.WARNING, logger="espace"):
        apps.get_app_config("espace").ready()
    assert "CAPTCHA_TEST_MODE=1" in caplog.text


def test_r_captcha_1_a_voice_in_another_format_is_refused_clearly(tmp_path, monkeypatch):
    with wave.open(str(tmp_path / "e.wav"), "wb") as old_voice:  # the 8 kHz 8-bit voices of before
        old_voice.setnchannels(1)
        old_voice.setsampwidth(1)
        old_voice.setframerate(8000)
        old_voice.writeframes(b"\x80" * 800)
    monkeypatch.setattr(render, "VOICES", tmp_path)
    render._voice.cache_clear()
    with pytest.raises(ValueError, match="make_voices.sh"):
        render.audio("e", b"seed")
    render._voice.cache_clear()


def _glyph_runs(png: bytes) -> int:
    """Count the runs of columns holding glyph ink (darker than any noise), apart by 3+ columns.

    Glyphs are placed render.GAP (4) columns apart at least; a gap of one or two columns
    can open inside a turned glyph, where resampling lightens a thin stroke.
    """
    image = Image.open(io.BytesIO(png)).convert("RGB")
    ink = (render.GLYPH_DARKEST + render.NOISE_DARKEST) // 2  # resampling lightens glyph cores a little
    inked = [any(max(image.getpixel((x, y))) <= ink for y in range(image.height)) for x in range(image.width)]
    runs, blank = 0, 3
    for column in inked:
        if column and blank >= 3:
            runs += 1
        blank = 0 if column else blank + 1
    return runs


@pytest.mark.parametrize("chars", ["wmwmwm", "mwxkwh", "e2f3h4"])
def test_r_captcha_1_glyphs_never_touch(chars):
    """V and M once fused into one shape; each glyph must stand apart."""
    for n in range(10):
        assert _glyph_runs(render.image(chars, bytes([n]) * 32)) == 6


def test_r_captcha_1_a_word_too_wide_is_scaled_down_not_squeezed(monkeypatch):
    monkeypatch.setattr(render, "FONT_SIZES", (64,))
    assert _glyph_runs(render.image("wmwmwm", b"seed")) == 6


def test_r_captcha_1_a_used_nonce_outlives_its_keys_even_with_a_short_ttl(settings):
    """The used row's margin never falls below twice the clock skew a key is accepted with."""
    settings.CAPTCHA_TTL = timedelta(seconds=30)
    with time_machine.travel(clock.now(), tick=False):
        key = _new()
        services.verify(key, solve(key))
        row = UsedChallenge.objects.get()
        assert row.expires_at >= clock.now() + settings.CAPTCHA_EXTENDED_TTL + 2 * services.CLOCK_SKEW


def test_r_captcha_1_an_extended_key_lives_from_before_its_check(settings):
    """extend() reads the clock once, before it asks whether the nonce was used."""
    with time_machine.travel(clock.now(), tick=False) as traveller:
        key = _new()
        started = clock.now()
        real_exists = UsedChallenge.objects.filter(nonce="x").exists.__func__

        def slow_exists(queryset):
            traveller.shift(timedelta(minutes=5))  # a request stalled between the two lines
            return real_exists(queryset)

        from unittest import mock

        with mock.patch("django.db.models.query.QuerySet.exists", slow_exists):
            longer = services.extend(key)
        assert services.read(longer).expires == int((started + settings.CAPTCHA_EXTENDED_TTL).timestamp())
