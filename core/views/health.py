from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    """Report liveness, the database, and whether the captcha test mode is on (R-CAPTCHA-2)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # the health check must answer even when the database does not
        database = "indisponible"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {
            "statut": "ok" if status == 200 else "degrade",
            "base": database,
            "captcha_test_mode": settings.CAPTCHA_TEST_MODE,
        },
        status=status,
    )
