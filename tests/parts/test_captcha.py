"""R-CAPTCHA-1/2: image and French audio, single use across nodes, test mode."""

import io
import logging
import wave
from datetime import timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st
from PIL import Image

from antirobot import services
from antirobot.testing import solve
from espace import clock

pytestmark = pytest.mark.django_db


def test_r_captcha_1_six_characters_of_an_unambiguous_alphabet():
    answer = solve(services.new_challenge())
    assert len(answer) == 6 and set(answer) <= set(services.ALPHABET)
    assert not set("01ilo") & set(services.ALPHABET)


def test_r_captcha_1_single_use_even_with_the_right_answer():
    key = services.new_challenge()
    assert services.verify(key, solve(key))
    assert not services.verify(key, solve(key))


def test_r_captcha_1_a_wrong_answer_consumes_the_challenge():
    key = services.new_challenge()
    assert not services.verify(key, "zzzzzz")
    assert not services.verify(key, solve(key))


def test_r_captcha_1_case_and_spaces_ignored():
    key = services.new_challenge()
    assert services.verify(key, f"  {solve(key).upper()} ")


def test_r_captcha_1_expires_after_ten_minutes():
    key = services.new_challenge()
    with time_machine.travel(clock.now() + timedelta(minutes=10, seconds=1), tick=False):
        assert services.image_png(key) is None
        assert not services.verify(key, solve(key))


def test_r_captcha_1_image_is_a_png_and_audio_a_french_wav():
    key = services.new_challenge()
    image = Image.open(io.BytesIO(services.image_png(key)))
    assert image.format == "PNG" and image.size == (220, 80)
    with wave.open(io.BytesIO(services.audio_wav(key))) as audio:
        assert audio.getframerate() == 8000 and audio.getnframes() / 8000 > 1.0


def test_r_captcha_1_views(client):
    key = services.new_challenge()
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
    assert not services.verify(services.new_challenge(), "PASSED")
    settings.CAPTCHA_TEST_MODE = True
    assert services.verify(services.new_challenge(), "PASSED")
    assert services.verify("", "PASSED")
    assert not services.verify(services.new_challenge(), "passed")


def test_r_captcha_2_test_mode_is_announced_on_every_page(client, settings):
    settings.CAPTCHA_TEST_MODE = True
    assert "Mode de test du captcha activé" in client.get("/").content.decode()


def test_r_captcha_2_start_up_logs_a_warning(settings, caplog):
    from django.apps import apps

    settings.CAPTCHA_TEST_MODE = True
    with caplog.at_level(logging.WARNING, logger="espace"):
        apps.get_app_config("espace").ready()
    assert "CAPTCHA_TEST_MODE=1" in caplog.text
