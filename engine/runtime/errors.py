"""What a command tells its caller when it does not go through. Each error
carries a stable code for the JSON API and CLI, and a message for people."""


class CommandError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, **self.details}


class NotFound(CommandError):
    code = "not_found"
    http_status = 404


class Forbidden(CommandError):
    code = "forbidden"
    http_status = 403


class NotStartable(CommandError):
    """A shared block whose tasks belong to whichever department calls it:
    it runs inside a scenario, never on its own."""

    code = "not_startable"
    http_status = 400


class Conflict(CommandError):
    """The case moved on: the task was completed, claimed or withdrawn by
    someone else. Nothing was written."""

    code = "conflict"
    http_status = 409


class InvalidData(CommandError):
    """The form data failed validation; `errors` maps field -> {zh, en}."""

    code = "invalid_data"
    http_status = 422

    def __init__(self, message: str, errors: dict):
        super().__init__(message, errors=errors)
        self.errors = errors


class ProcessFailure(CommandError):
    """The process itself failed (a script, a condition, a decision table).
    The case stays as it was before the command."""

    code = "process_error"
    http_status = 500
