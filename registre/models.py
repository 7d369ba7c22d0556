from django.db import models


class Company(models.Model):
    """One legal unit of INSEE's SIRENE register: what gives a SIREN its raison sociale."""

    siren = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=255, blank=True)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "entreprise"

    def __str__(self):
        return f"{self.siren} {self.name}"
