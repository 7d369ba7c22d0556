"""Development letters (R-ADH-3): the letters of `make run` and their PDFs, on /dev/courriers/. DEBUG only.

The PDFs are the files handed over in LETTER_SPOOL_DIR (nothing takes them in development);
they carry codes, as the development mailbox's emails do.
"""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from codes.models import OutboxLetter


def _debug_only():
    # Second guard besides the URLs being mounted only in DEBUG: the PDFs show codes.
    if not settings.DEBUG:
        raise Http404


@require_GET
def letters(request):
    _debug_only()
    shown = list(OutboxLetter.objects.all()[:50])
    folder = Path(settings.LETTER_SPOOL_DIR)
    for letter in shown:
        letter.pdf_ready = (folder / f"{letter.reference}.pdf").is_file()
    return render(request, "codes/dev/letters.html", {"letters": shown, "folder": folder})


@require_GET
def pdf(request, reference: str):
    _debug_only()
    letter = get_object_or_404(OutboxLetter, reference=reference)  # only a letter's own file
    path = Path(settings.LETTER_SPOOL_DIR) / f"{letter.reference}.pdf"
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="application/pdf", filename=path.name)
