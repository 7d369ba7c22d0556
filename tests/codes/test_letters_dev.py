"""R-ADH-3: in development the letters are listed on /dev/courriers/, each PDF downloadable; never
without DEBUG (a second guard besides the URLs being mounted only then, as the mailbox's)."""

import pytest
from django.http import Http404

from codes import letter_views, registry
from codes.letter_worker import hand_over_due
from codes.models import OutboxLetter
from tests.codes.letter_files import ADDRESS, LETTER_KIND, ask_by_post, code_in, register_letter_kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_letters(settings, tmp_path):
    """One letter handed over, one still waiting; the URLs as DEBUG mounts them."""
    settings.LETTER_SPOOL_DIR = tmp_path / "imprimeur"
    settings.ROOT_URLCONF = "tests.parts.urls_debug"
    register_letter_kind()
    ask_by_post()
    assert hand_over_due() == 1
    ask_by_post(address=["M. Paul MARTIN", "3 PLACE DU MARCHÉ", "69001 LYON"])
    yield OutboxLetter.objects.get(status="sent"), OutboxLetter.objects.get(status="pending")
    registry.unregister(LETTER_KIND)


def test_r_adh_3_the_development_page_lists_the_letters_and_serves_their_pdfs(client, settings, two_letters):
    sent, pending = two_letters
    settings.DEBUG = True
    page = client.get("/dev/courriers/")
    html = page.content.decode()
    assert page.status_code == 200 and "Courriers de développement" in html
    for letter in (sent, pending):
        assert letter.reference in html
    assert ADDRESS[1] in html and "69001 LYON" in html
    assert "Remis à l&#x27;imprimeur" in html and "En attente" in html
    assert f'href="/dev/courriers/{sent.reference}.pdf"' in html
    assert f'href="/dev/courriers/{pending.reference}.pdf"' not in html  # no PDF yet: no link
    assert 'href="/dev/courriels/"' in html  # beside the development mailbox
    pdf = client.get(f"/dev/courriers/{sent.reference}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f'filename="{sent.reference}.pdf"' in pdf["Content-Disposition"]
    body = b"".join(pdf.streaming_content)
    assert body == (settings.LETTER_SPOOL_DIR / f"{sent.reference}.pdf").read_bytes() and len(code_in(body)) == 12
    assert client.get(f"/dev/courriers/{pending.reference}.pdf").status_code == 404  # not written yet
    assert client.get("/dev/courriers/C-2026-INCONNUE.pdf").status_code == 404
    assert client.get("/dev/courriers/..%2F..%2Fetc%2Fpasswd.pdf").status_code == 404  # only a letter's file


def test_r_adh_3_the_development_page_is_empty_before_any_letter(client, settings):
    settings.ROOT_URLCONF = "tests.parts.urls_debug"
    settings.DEBUG = True
    assert "Aucun courrier." in client.get("/dev/courriers/").content.decode()


def test_r_adh_3_no_development_page_without_debug(rf, client, settings, two_letters):
    sent, _ = two_letters
    settings.DEBUG = False
    with pytest.raises(Http404):
        letter_views.letters(rf.get("/dev/courriers/"))
    with pytest.raises(Http404):
        letter_views.pdf(rf.get("/"), sent.reference)
    assert client.get("/dev/courriers/").status_code == 404


def test_r_adh_3_the_development_page_is_not_mounted_without_debug(settings):
    """config.urls read without DEBUG (another test may have imported it under DEBUG first)."""
    import importlib

    import config.urls

    def mounted(debug):
        settings.DEBUG = debug
        return [str(pattern.pattern) for pattern in importlib.reload(config.urls).urlpatterns]

    try:
        assert "dev/courriels/" not in mounted(False) and "dev/courriers/" not in mounted(False)
        assert "dev/courriels/" in mounted(True) and "dev/courriers/" in mounted(True)
    finally:
        mounted(False)  # as the other tests expect it
