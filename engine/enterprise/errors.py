"""Why an enterprise-request command was refused. Messages are Chinese
message ids without parameters; the web layer translates them."""
from ..runtime.errors import CommandError, Conflict, Forbidden, NotFound

__all__ = ["CommandError", "Conflict", "Forbidden", "NotFound", "N_"]


def N_(message: str) -> str:
    return message
