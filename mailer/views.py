"""Development mailbox (R-EMAIL-3): read the kept emails of `make run`. DEBUG only."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body


def _debug_only():
    # Second guard besides the URL being mounted only in DEBUG: this page shows codes.
    if not settings.DEBUG:
        raise Http404


def mailbox(request):
    _debug_only()
    return render(request, "mailer/mailbox.html", {"emails": OutboxEmail.objects.all()[:50]})


def detail(request, pk: int):
    _debug_only()
    email = get_object_or_404(OutboxEmail, pk=pk)
    return render(request, "mailer/detail.html", {"email": email, "body": decrypt_body(email)})
