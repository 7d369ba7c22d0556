"""R-PDF-1: the recap PDF read back, its text with pypdf and its structure (PDF/UA tags) with pikepdf."""

import dataclasses
import io
import threading
from datetime import datetime, timezone

import pikepdf
import pytest
import time_machine
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from recapitulatif import RecapData, render
from recapitulatif.pdf import DOCUMENT_TITLE, SIE_NOTE, TITLE, footer_text

UTC = timezone.utc
FOOTER = "Votre espace professionnel : document créé le 23/02/2026 à 16h05mn25s"
LABELS = (
    "Civilité :",
    "Nom :",
    "Prénom :",
    "N° d'abonné :",
    "Téléphone :",
    "Adresse électronique de connexion :",
    "Adresse :",
    "Entreprise étrangère :",
    "SIREN ou équivalent :",
    "Dénomination :",
    "Question de confiance :",
)


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


def lines_of(pdf: bytes) -> list[str]:
    """Return the page's text lines as pypdf reads them, stripped."""
    return [line.strip() for line in read(pdf).pages[0].extract_text().splitlines()]


def text_of(pdf: bytes) -> str:
    """Return the page's text with wrapped lines joined (labels may wrap)."""
    return " ".join(read(pdf).pages[0].extract_text().split())


def structure(pdf: bytes) -> list[pikepdf.Dictionary]:
    """Return the structure elements of the tagged PDF, depth first: the reading order."""
    found = []

    def walk(node):
        if not isinstance(node, pikepdf.Dictionary):
            return  # a marked-content id: the leaf pointing into the page's content
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid)

    with pikepdf.open(io.BytesIO(pdf)) as document:
        walk(document.Root.StructTreeRoot)
        return [(str(element.S), dict(element.get("/A", {})), element.get("/ID")) for element in found]


def tags(pdf: bytes) -> list[str]:
    return [tag for tag, _, _ in structure(pdf)]


def test_r_pdf_1_one_page_with_every_label_and_value_accents_right():
    pdf = render(data())
    assert len(read(pdf).pages) == 1
    lines = lines_of(pdf)
    assert lines[0] == TITLE  # one line, as the rule writes it
    for expected in (
        "Civilité : Madame",
        "Nom : ÉLOÏSE-ŒUVRE",
        "Prénom : Gaëlle-Åsa Ñúñez",
        "N° d'abonné : 20260540000101",
        "Téléphone : 01 24 57 88 77",
        "Adresse électronique de connexion : gaelle@exemple.fr",
        "Entreprise étrangère : non",
        "SIREN ou équivalent : 732 829 320",
        "Dénomination : MARTIN DISTRIBUTION",
        "Question de confiance : Quel est votre plat préféré ?",
        FOOTER,
    ):
        assert expected in lines, expected


def test_r_pdf_1_address_printed_as_a_postal_address_one_line_each():
    lines = lines_of(render(data(address_lines=["10 rue de l'Église", "Bâtiment B", "25000 BESANÇON", "FRANCE"])))
    start = lines.index("Adresse : 10 rue de l'Église")
    assert lines[start + 1 : start + 4] == ["Bâtiment B", "25000 BESANÇON", "FRANCE"]
    assert not any(" / " in line for line in lines)


def test_r_pdf_1_footer_in_paris_time_summer_and_winter():
    assert footer_text(datetime(2026, 7, 14, 10, 0, 0, tzinfo=UTC)).endswith("14/07/2026 à 12h00mn00s")
    assert footer_text(datetime(2026, 12, 31, 23, 30, 5, tzinfo=UTC)).endswith("01/01/2027 à 00h30mn05s")


def test_r_pdf_1_created_at_comes_from_the_caller_never_from_the_system_clock():
    fields = {field.name: field for field in dataclasses.fields(RecapData)}
    assert fields["created_at"].default is dataclasses.MISSING  # required: the caller's clock
    with pytest.raises(TypeError):
        RecapData(**{name: value for name, value in dataclasses.asdict(data()).items() if name != "created_at"})
    with time_machine.travel(datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC), tick=False):
        assert FOOTER in lines_of(render(data()))


def test_r_pdf_1_a_naive_created_at_is_refused_not_misdated():
    with pytest.raises(ValueError):
        render(data(created_at=datetime(2026, 2, 23, 16, 5, 25)))


def test_r_trust_2_the_recap_has_no_trust_answer_to_print():
    assert not any("answer" in field.name for field in dataclasses.fields(RecapData))


def test_r_pdf_1_font_is_embedded():
    page = read(render(data())).pages[0]
    fonts = page["/Resources"]["/Font"]
    descriptors = [
        fonts[name].get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() for name in fonts
    ]
    assert descriptors and all("/FontFile2" in descriptor for descriptor in descriptors)


def test_r_siren_2_unknown_french_company_is_not_known_and_the_sie_advice_is_a_note():
    pdf = render(data(company_name=None))
    lines = lines_of(pdf)
    assert "Dénomination : Non connue" in lines
    assert SIE_NOTE in text_of(pdf)
    assert not any(line.startswith("Dénomination") and "Service" in line for line in lines)
    # The advice is a paragraph of its own, after the company's table, not a table cell.
    order = tags(pdf)
    tables = [index for index, tag in enumerate(order) if tag == "/Table"]
    assert order[tables[1] :].index("/P") < order[tables[1] :].index("/H2")


def test_r_pdf_1_known_french_company_prints_its_name_and_the_guide_advice():
    text = text_of(render(data()))
    assert "Dénomination : MARTIN DISTRIBUTION" in text and SIE_NOTE in text


def test_r_pdf_1_foreign_company_has_no_register_name_and_no_sie_advice():
    pdf = render(data(foreign_company=True, company_identifier="BE0123456789", company_name=None))
    lines = lines_of(pdf)
    assert "Entreprise étrangère : oui" in lines
    assert "SIREN ou équivalent : BE0123456789" in lines
    assert "Dénomination : Non renseignée (entreprise étrangère)" in lines
    assert "Service des Impôts" not in text_of(pdf)


def test_r_pdf_1_tagged_pdf_ua_with_title_language_and_marked_content():
    with pikepdf.open(io.BytesIO(render(data()))) as document:
        root = document.Root
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "fr"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True  # the title, not the file name
        assert str(document.docinfo.Title) == DOCUMENT_TITLE
        metadata = document.open_metadata()
        assert metadata["dc:title"] == DOCUMENT_TITLE
        assert metadata["pdfuaid:part"] == "1"  # declares PDF/UA-1


def test_r_pdf_1_structure_tags_in_reading_order():
    elements = structure(render(data(company_name=None)))
    outline = [tag for tag, _, _ in elements if tag in ("/H1", "/H2", "/Table", "/P")]
    assert outline == ["/H1", "/H2", "/Table", "/H2", "/Table", "/P", "/H2", "/Table", "/P"]
    headers = [element for element in elements if element[0] == "/TH"]
    cells = [element for element in elements if element[0] == "/TD"]
    assert len(headers) == len(cells) == len(LABELS)
    # Each value cell names its label as its header: a screen reader reads "Nom : …".
    for (_, header_attributes, header_id), (_, cell_attributes, _) in zip(headers, cells, strict=True):
        assert header_attributes["/Scope"] == "/Row"
        assert list(cell_attributes["/Headers"]) == [header_id]


def test_r_pdf_1_long_values_stay_on_one_page_and_whole_in_the_text():
    name = "N" * 200  # one unbroken word, wider than the column
    pdf = render(
        data(
            last_name=name,
            first_name="P" * 200,
            login_email="a" * 60 + "@" + "b" * 36 + ".fr",
            address_lines=["X" * 100, "Y" * 100, "Z" * 60, "FRANCE"],
            company_name="C" * 200,
        )
    )
    assert len(read(pdf).pages) == 1
    joined = "".join(text_of(pdf).split())
    assert name in joined and "C" * 200 in joined and "Y" * 100 in joined
    assert FOOTER in text_of(pdf)


def test_r_pdf_1_hostile_values_neither_break_the_page_nor_the_text_layer():
    pdf = render(
        data(
            last_name="\u202eEVIL\x00\x07\x1b[31m\x7f\x85",  # right-to-left override, controls
            first_name="שלום עולם مرحبا",
            trust_question="Quel est votre emoji préféré 😀🎉 ?",
            address_lines=["1 rue\r\nInjectée\ufffe", "75001 PARIS"],
        )
    )
    assert len(read(pdf).pages) == 1
    text = read(pdf).pages[0].extract_text()
    assert not any(ch in text for ch in "\x00\x07\x1b\x7f\x85\r\ufffe")
    assert "😀" in text and "שלום" in text and "مرحبا" in text
    assert "\ufffd" in text and "🎉" not in text  # no glyph in the embedded font: shown as "�"
    lines = lines_of(pdf)
    # The right-to-left override stays inside its cell: the next label still starts its line.
    name_line = next(index for index, line in enumerate(lines) if line.startswith("Nom :"))
    assert lines[name_line + 1].startswith("Prénom :")
    # Control characters are dropped, not drawn as "�"; the readable rest of the value stays.
    assert "LIVE" in lines[name_line] and "\ufffd" not in lines[name_line]  # drawn right to left
    assert "Injectée" in text and "\ufffd" not in text.split("Adresse :")[1].split("Entreprise")[0]
    for label in LABELS:
        assert label in text
    assert FOOTER in lines and lines[0] == TITLE


def test_r_pdf_1_values_far_beyond_the_form_limits_are_cut_and_the_page_kept():
    widest = "\u2031"  # PER TEN THOUSAND SIGN: the widest glyph of the font
    pdf = render(
        data(
            last_name=widest * 1000,
            first_name=widest * 1000,
            login_email=widest * 1000,
            company_name=widest * 1000,
            trust_question=widest * 1000,
            address_lines=[widest * 1000] * 200,
        )
    )
    assert len(read(pdf).pages) == 1
    text = text_of(pdf)
    for label in LABELS:
        assert label in text
    assert "…" in text and FOOTER in text


def test_r_pdf_1_weasyprint_logs_no_personal_data(caplog):
    render(data(last_name="SECRETNOM", trust_question="🎉"))
    assert "SECRETNOM" not in caplog.text and "🎉" not in caplog.text and "weasyprint" not in caplog.text


def test_r_pdf_1_renders_from_several_threads_at_once():
    results = []

    def one(index):
        results.append(render(data(last_name=f"NOM{index}")))

    threads = [threading.Thread(target=one, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(next(line for line in lines_of(pdf) if line.startswith("Nom :")) for pdf in results) == [
        f"Nom : NOM{index}" for index in range(4)
    ]


@settings(max_examples=30, deadline=None)
@given(text=st.text(max_size=300))
@example(text="0\u2028")  # a line separator once garbled the whole text layer
def test_r_pdf_1_any_text_renders_one_page(text):
    pdf = render(data(last_name=text, first_name=text, trust_question=text, address_lines=[text]))
    assert len(read(pdf).pages) == 1
    assert FOOTER in text_of(pdf) and "\x00" not in text_of(pdf)


# --- Other tagged documents (letters), by the same renderer ----------------------------


def test_r_pdf_1_other_documents_are_tagged_pdf_ua_with_the_shipped_fonts():
    from recapitulatif.documents import render_html

    html = (
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head>'
        "<body><h1>Titre</h1><p>Éléonore</p></body></html>"
    )
    document = render_html(html)
    assert document.pages == 1 and "Éléonore" in read(document.pdf).pages[0].extract_text()
    with pikepdf.open(io.BytesIO(document.pdf)) as pdf:
        assert str(pdf.Root.Lang) == "fr" and bool(pdf.Root.MarkInfo.Marked) is True
        fonts = {str(font.BaseFont).split("+")[1] for font in pdf.pages[0].Resources.Font.values()}
    # The @font-face family of documents.css, the files shipped beside it, whatever the machine has.
    assert fonts == {"Document", "Document-Bold"}, fonts
    assert [tag for tag in tags(document.pdf) if tag in ("/H1", "/P")] == ["/H1", "/P"]
