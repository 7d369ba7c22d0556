from django.db import migrations, models
from django.utils import timezone


def drop_challenges(apps, schema_editor):
    # Challenges live minutes: the ones drawn before this change are simply dropped.
    apps.get_model("antirobot", "Challenge").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("antirobot", "0001_initial")]

    operations = [
        migrations.RunPython(drop_challenges, migrations.RunPython.noop),
        migrations.RemoveField(model_name="challenge", name="created_at"),
        migrations.AddField(
            model_name="challenge",
            name="expires_at",
            field=models.DateTimeField(db_index=True, default=timezone.now),
            preserve_default=False,
        ),
    ]
