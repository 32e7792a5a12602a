"""Why a booking command did not go through. `code` is stable (pages map
it to a message in the reader's language); details carry what the message
needs, such as the date a booking block ends."""
from ..runtime.errors import CommandError


class BookingError(CommandError):
    http_status = 409

    def __init__(self, code: str, message: str, **details):
        super().__init__(message, **details)
        self.code = code
