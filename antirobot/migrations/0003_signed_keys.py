from django.db import migrations, models


class Migration(migrations.Migration):
    """Signed keys: challenges are no longer stored, only the nonces already checked.

    The Challenge rows lived minutes and are dropped with their table: a page drawn before
    this change fails its check once and shows a new image.
    """

    dependencies = [("antirobot", "0002_expires_at")]

    operations = [
        migrations.CreateModel(
            name="UsedChallenge",
            fields=[
                ("nonce", models.CharField(max_length=22, primary_key=True, serialize=False)),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.DeleteModel(name="Challenge"),
    ]
