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
    # A suppléant's rows while its designation is "en veille" (R-SUP-1): kept, not live. Set
    # with the Suppleance's state in one transaction; the policy reads this column only, so
    # that the check of every request stays one indexed query (R-HAB-2).
    on_hold = models.BooleanField(default=False)
    # What a suppléant's or a délégataire's row comes from (None for a titulaire's).
    suppleance = models.ForeignKey(
        "Suppleance", null=True, blank=True, on_delete=models.PROTECT, related_name="habilitations"
    )
    delegation = models.ForeignKey(
        "Delegation", null=True, blank=True, on_delete=models.PROTECT, related_name="habilitations"
    )

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


class Suppleance(models.Model):
    """A titulaire's designation of an administrateur suppléant for a dossier (R-SUP-1).

    The suppléant holds the titulaire's services of that dossier: one Habilitation row of
    role "suppleant" per service, pointing here, created at designation (and when the
    titulaire gains a service later). While "en veille" those rows are on hold (no access);
    "Supprimer" and a substitution of the titulaire end them.
    """

    class State(models.TextChoices):
        ACTIVE = "active", "Actif"
        ON_HOLD = "on_hold", "En veille"
        REMOVED = "removed", "Supprimé"
        ENDED = "ended", "Terminé (substitution du titulaire)"

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="suppleances")
    titulaire = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suppleances_given")
    suppleant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suppleances")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField()
    changed_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "titulaire", "suppleant"],
                condition=Q(ended_at__isnull=True),
                name="one_live_suppleance",
            ),
        ]

    def __str__(self):
        return f"{self.suppleant_id} suppléant de {self.titulaire_id} sur {self.dossier_id} ({self.state})"


class Delegation(models.Model):
    """Services of a dossier delegated by a titulaire or an active suppléant to a space (R-DEL-1).

    Offered first: the délégataire accepts or refuses within DELEGATION_ANSWER_TTL (30 days,
    then void, by the clock: no job needs to run). Accepted, one Habilitation row of role
    "delegataire" per service, pointing here, with the end date (``ends_on``, access ends the
    day after it, by the policy's check). Revoked by a grantor side, renounced by the
    délégataire, or ended by a substitution of the titulaire of its services (R-SUB-1).
    """

    class State(models.TextChoices):
        OFFERED = "offered", "En attente d'acceptation"
        ACCEPTED = "accepted", "Acceptée"
        REFUSED = "refused", "Refusée"
        REVOKED = "revoked", "Révoquée"
        RENOUNCED = "renounced", "Abandonnée par le délégataire"
        ENDED = "ended", "Terminée (substitution du titulaire)"

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="delegations")
    grantor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="delegations_given")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_received")
    services = models.ManyToManyField("catalogue.Service", related_name="+")
    ends_on = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OFFERED)
    created_at = models.DateTimeField()
    answer_by = models.DateTimeField()  # created_at + DELEGATION_ANSWER_TTL: an offer past it is void
    decided_at = models.DateTimeField(null=True, blank=True)  # accepted or refused
    ended_at = models.DateTimeField(null=True, blank=True)  # refused, revoked, renounced, ended

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["delegate", "state"], name="delegation_delegate_state"),
            models.Index(fields=["dossier", "state"], name="delegation_dossier_state"),
        ]

    def __str__(self):
        return f"{self.grantor_id} → {self.delegate_id} sur {self.dossier_id} ({self.state})"


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
    class Purpose(models.TextChoices):
        ADHESION = "adhesion", "Adhésion aux services"
        SUBSTITUTION = "substitution", "Substitution du titulaire"

    # R-SUB-1 is R-ADH-1/2 for services that have a titulaire: the same request, letter and
    # J11 row; its code's kind ("substitution") applies it differently.
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.ADHESION)
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
