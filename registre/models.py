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

    def postal_lines(self) -> tuple[str, ...]:
        """Return the siège's postal address (NF Z10-011), the company's name on its first
        line; () when there is no usable address, or no name to write on it."""
        from registre import postal

        siege = getattr(self, "siege", None)  # no row: the reverse accessor raises AttributeError
        if siege is None or not self.name:
            return ()
        return postal.lines(self.name, siege)


class Siege(models.Model):
    """The head office (siège) of a legal unit, from INSEE's StockEtablissement file: the
    address letters to the company go to (R-ADH-2), as INSEE writes its parts.

    Keyed by SIREN with no database constraint on Company, so that the two stock files load
    in any order: the address waits for its unit and is shown once the unit is imported.
    Only an active, diffusible siège has a row (the importer deletes the others).
    """

    company = models.OneToOneField(
        Company,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_column="siren",
        related_name="siege",
    )
    siret = models.CharField(max_length=14)
    complement = models.CharField(max_length=38, blank=True)  # complementAdresseEtablissement
    number = models.CharField(max_length=10, blank=True)  # numeroVoieEtablissement
    repetition = models.CharField(max_length=10, blank=True)  # indiceRepetitionEtablissement
    street_type = models.CharField(max_length=10, blank=True)  # typeVoieEtablissement (AV, BD…)
    street_name = models.CharField(max_length=100, blank=True)  # libelleVoieEtablissement
    postal_code = models.CharField(max_length=10, blank=True)  # codePostalEtablissement
    city = models.CharField(max_length=100, blank=True)  # libelleCommuneEtablissement
    special_distribution = models.CharField(max_length=100, blank=True)  # distributionSpeciale… (BP)
    cedex_code = models.CharField(max_length=10, blank=True)  # codeCedexEtablissement
    cedex_label = models.CharField(max_length=100, blank=True)  # libelleCedexEtablissement
    foreign_city = models.CharField(max_length=100, blank=True)  # libelleCommuneEtrangerEtablissement
    foreign_country_code = models.CharField(max_length=10, blank=True)  # codePaysEtrangerEtablissement
    foreign_country = models.CharField(max_length=100, blank=True)  # libellePaysEtrangerEtablissement
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "siège"

    def __str__(self):
        return self.siret
