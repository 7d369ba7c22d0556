"""R-PDF-1: the recap PDF read back with pypdf."""

import io
from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from recapitulatif import RecapData, render
from recapitulatif.pdf import footer_text

UTC = timezone.utc


def data(**overrides) -> RecapData:
    values = dict(
        civility="Madame",
        last_name="ÉLOÏSE-ŒUVRE",
        first_name="Gaëlle-Åsa Ñúñez",
        subscriber_number="20260540000101",
        phone="01 24 57 88 77",
        login_email="gaelle@exemple.fr",
        address_lines=["10 rue de l'Église", "25000 BESANÇON", "FRANCE"],
        foreign_company=False,
        company_identifier="732 829 320",
        company_name="MARTIN DISTRIBUTION",
        trust_question="Quel est votre plat préféré ?",
        created_at=datetime(2026, 2, 23, 15, 5, 25, tzinfo=UTC),
    )
    values.update(overrides)
    return RecapData(**values)


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """Return the page's text with wrapped lines joined (labels may wrap)."""
    return " ".join(read(pdf).pages[0].extract_text().split())


def test_r_pdf_1_one_page_with_every_label_and_value_accents_right():
    pdf = render(data())
    assert len(read(pdf).pages) == 1
    text = text_of(pdf)
    for expected in (
        "VOTRE ESPACE PROFESSIONNEL — RÉCAPITULATIF DE VOS DONNÉES PERSONNELLES",
        "Civilité :",
        "Madame",
        "Nom :",
        "ÉLOÏSE-ŒUVRE",
        "Prénom :",
        "Gaëlle-Åsa Ñúñez",
        "N° d'abonné :",
        "20260540000101",
        "Téléphone :",
        "01 24 57 88 77",
        "Adresse électronique de connexion :",
        "gaelle@exemple.fr",
        "BESANÇON",
        "Entreprise étrangère :",
        "non",
        "732 829 320",
        "MARTIN DISTRIBUTION",
        "Question de confiance :",
        "Quel est votre plat préféré ?",
        "Votre espace professionnel : document créé le 23/02/2026 à 16h05mn25s",
    ):
        assert expected in text, expected


def test_r_pdf_1_footer_in_paris_time_summer_and_winter():
    assert footer_text(datetime(2026, 7, 14, 10, 0, 0, tzinfo=UTC)).endswith("14/07/2026 à 12h00mn00s")
    assert footer_text(datetime(2026, 12, 31, 23, 30, 5, tzinfo=UTC)).endswith("01/01/2027 à 00h30mn05s")


def test_r_pdf_1_font_is_embedded():
    page = read(render(data())).pages[0]
    fonts = page["/Resources"]["/Font"]
    descriptors = [fonts[name].get_object()["/FontDescriptor"].get_object() for name in fonts]
    assert descriptors and all("/FontFile2" in descriptor for descriptor in descriptors)


def test_r_pdf_1_unknown_company_gets_the_advice_and_foreign_company_says_oui():
    assert "Service des Impôts des Entreprises" in text_of(render(data(company_name=None)))
    text = text_of(render(data(foreign_company=True, company_identifier="BE0123456789")))
    assert "oui" in text and "BE0123456789" in text


def test_r_pdf_1_long_values_stay_on_one_page():
    long = data(
        last_name="N" * 60,
        first_name="P" * 60,
        login_email="a" * 60 + "@" + "b" * 36 + ".fr",
        address_lines=["X" * 100, "Y" * 100, "Z" * 60, "FRANCE"],
        company_name="C" * 255,
    )
    assert len(read(render(long)).pages) == 1


@settings(max_examples=30, deadline=None)
@given(text=st.text(max_size=300))
def test_r_pdf_1_any_text_renders_one_page(text):
    pdf = render(data(last_name=text, first_name=text, trust_question=text, address_lines=[text]))
    assert len(read(pdf).pages) == 1
