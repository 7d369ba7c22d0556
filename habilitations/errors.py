"""The refusal every service of habilitations raises: a code of core.messages and the services it is about."""

from core.messages import message


class Refused(Exception):
    """A change that may not be made (now); ``code`` keys its French message, ``services`` those concerned."""

    def __init__(self, code: str, services=()):
        super().__init__(code)
        self.code = code
        self.services = list(services)

    def message(self, **params) -> str:
        """Return the French message of the refusal, naming the services it is about."""
        return message(self.code, services=", ".join(str(service) for service in self.services), **params)
