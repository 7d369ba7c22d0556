"""Audit kinds take their app's namespace ("accounts.login_ok", "codes.activation_ok"), and an
event may name its subject (R-AUDIT-2)."""

from django.db import migrations, models

# The kinds recorded before the namespaces, and the app that records each now.
NAMESPACED = {
    'registration_requested': 'accounts.registration_requested',
    'registration_refused': 'accounts.registration_refused',
    'activation_ok': 'codes.activation_ok',
    'activation_failed': 'codes.activation_failed',
    'login_ok': 'accounts.login_ok',
    'login_failed': 'accounts.login_failed',
    'login_throttled': 'accounts.login_throttled',
    'login_expired': 'accounts.login_expired',
    'logout': 'accounts.logout',
    'session_expired': 'accounts.session_expired',
    'session_blocked': 'accounts.session_blocked',
    'recap_downloaded': 'accounts.recap_downloaded',
    'account_unblocked': 'accounts.account_unblocked',
    'certificate_refused': 'accounts.certificate_refused',
    'certificate_imported': 'accounts.certificate_imported',
    'reset_requested': 'accounts.reset_requested',
    'reset_code_failed': 'accounts.reset_code_failed',
    'reset_answer_failed': 'accounts.reset_answer_failed',
    'reset_done': 'accounts.reset_done',
    'option_requested': 'accounts.option_requested',
    'option_recovery_requested': 'accounts.option_recovery_requested',
    'option_recovery_refused': 'accounts.option_recovery_refused',
    'option_recovery_ok': 'accounts.option_recovery_ok',
    'password_changed': 'accounts.password_changed',
    'trust_changed': 'accounts.trust_changed',
    'email_change_requested': 'accounts.email_change_requested',
    'email_changed': 'accounts.email_changed',
    'credentials_refused': 'accounts.credentials_refused',
    'expiry_alert_shown': 'accounts.expiry_alert_shown',
    'password_renewed': 'accounts.password_renewed',
    'renewal_refused': 'accounts.renewal_refused',
}


def namespace(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, new in NAMESPACED.items():
        AuditEvent.objects.filter(kind=old).update(kind=new)


def plain(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, new in NAMESPACED.items():
        AuditEvent.objects.filter(kind=new).update(kind=old)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_moved_from_espace")]

    operations = [
        migrations.AddField(
            model_name="auditevent", name="subject_type", field=models.CharField(blank=True, max_length=60)
        ),
        migrations.AddField(
            model_name="auditevent", name="subject_id", field=models.CharField(blank=True, max_length=64)
        ),
        migrations.RunPython(namespace, plain),
    ]
