"""The security events of the one activation entry (J2), under the namespace "codes"."""

from core import audit

Kind = audit.EventKinds(
    "codes",
    ACTIVATION_OK="Activation réussie",
    ACTIVATION_FAILED="Activation refusée",
)
