import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Family",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=20, unique=True)),
                ("label", models.CharField(max_length=50)),
                ("position", models.PositiveSmallIntegerField(unique=True)),
            ],
            options={"ordering": ["position"], "verbose_name": "famille de services"},
        ),
        migrations.CreateModel(
            name="Service",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True)),
                ("label", models.CharField(max_length=80)),
                ("position", models.PositiveSmallIntegerField()),
                ("is_payment", models.BooleanField(default=False)),
                ("family", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="services", to="catalogue.family")),
            ],
            options={
                "ordering": ["family__position", "position"],
                "verbose_name": "service",
                "constraints": [models.UniqueConstraint(fields=("family", "position"), name="catalogue_service_position")],
            },
        ),
    ]
