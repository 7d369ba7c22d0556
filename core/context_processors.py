from django.conf import settings

from core.messages import rule_values


def brand(request):
    """Expose the deployment's brand: the State's identity only when declared."""
    return {
        "ETAT_DEPLOIEMENT": settings.ETAT_DEPLOIEMENT,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "CAPTCHA_TEST_MODE": settings.CAPTCHA_TEST_MODE,
        "RULES": rule_values(),  # {{ RULES.password_min }}, {{ RULES.code_hours }}...
    }
