"""What a visit command says when it does not go through: the reason in
Chinese and English (shown to the person), and per-field errors for forms."""


class VisitRefused(ValueError):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


class VisitInvalid(ValueError):
    """`errors` maps a field name to (zh, en)."""

    def __init__(self, errors: dict[str, tuple[str, str]]):
        super().__init__("; ".join(f"{k}: {en}" for k, (_zh, en) in errors.items()))
        self.errors = errors


class VisitNotFound(LookupError):
    """No such request, or not one the user may see (the same to them)."""
