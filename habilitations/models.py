"""Habilitations (SPEC §5): the right of a space on one service of one dossier, and requests for them.

The database holds the invariants that races could break: at most one live titulaire per
dossier × service (R-ADH-2: two spaces activating codes for the same free service at the
same moment, one wins), and one live habilitation of a space per dossier × service × role.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    TITULAIRE = "titulaire", "Titulaire"
    SUPPLEANT = "suppleant", "Administrateur suppléant"
    DELEGATAIRE = "delegataire", "Délégataire"


class Statut(models.TextChoices):
    """R-ADH-1 "précisez votre statut"."""

    REPRESENTANT_LEGAL = "representant_legal", "Représentant légal"
    PERSONNE_MANDATEE = "personne_mandatee", "Personne mandatée"


class Habilitation(models.Model):
    """The right of ``space`` on ``service`` of ``dossier``, with a role, from ``started_at``.

    Live while ``ended_at`` is empty and, for a delegation with an end date, before it
    (habilitations.policy decides, R-HAB-2). Ended rows are kept: they are the history
    J11 and the audit log speak of.
    """

    space = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="habilitations")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="habilitations")
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="habilitations")
    role = models.CharField(max_length=12, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # None: granted by the administration (a letter's code, R-ADH-2)
    started_at = models.DateTimeField()
    ends_on = models.DateField(null=True, blank=True)  # a delegation's optional end date (R-DEL-1)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "service"],
                condition=Q(role="titulaire", ended_at__isnull=True),
                name="one_live_titulaire",
            ),
            models.UniqueConstraint(
                fields=["space", "dossier", "service", "role"],
                condition=Q(ended_at__isnull=True),
                name="one_live_habilitation",
            ),
        ]
        indexes = [
            # A space's live habilitations (habilitations.policy): by dossier for access(), and with
            # the end date a delegation is checked against, for the dossiers held (the home, "Voir
            # tous mes dossiers", R-HOME-1). Partial: ended rows are history.
            models.Index(
                fields=["space", "dossier", "ends_on"],
                condition=Q(ended_at__isnull=True),
                name="habilitation_space_live",
            ),
        ]

    def __str__(self):
        return f"{self.space_id} {self.role} {self.dossier_id}/{self.service_id}"


class AdhesionRequest(models.Model):
    """A request to become titulaire of services of a dossier (R-ADH-1), waiting for its letter's code.

    The code itself is a PendingRequest of kind "adhesion" (codes), posted to the siège
    (R-ADH-2); this row is what J11 shows and acts on: the services asked, the deadline,
    "Annuler la demande", "Renvoyer le courrier" (R-ADH-3).
    """

    class State(models.TextChoices):
        PENDING = "pending", "En attente du code"
        ACTIVATED = "activated", "Activée"
        CANCELLED = "cancelled", "Annulée"

    space = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adhesion_requests")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="adhesion_requests")
    statut = models.CharField(max_length=20, choices=Statut.choices)
    services = models.ManyToManyField("catalogue.Service", related_name="+")
    address = models.JSONField(default=list)  # the lines the letter went to (recipient first)
    # The code's row, which codes purges once used or dead. DO_NOTHING and no database
    # constraint: deleting pending requests stays one DELETE, whatever their kind (a
    # SET_NULL here made Django read the rows first and update this table, so that J5's
    # request for a known address did two statements more than its decoy for an unknown one,
    # a timing difference: SPEC §4). The reads join it (select_related): a purged row is None.
    pending = models.OneToOneField(
        "codes.PendingRequest",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="adhesion",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    resends = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["space", "state"], name="adhesion_space_state")]

    def __str__(self):
        return f"{self.space_id} {self.dossier_id} {self.state}"
