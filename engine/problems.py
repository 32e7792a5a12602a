"""A fault found in a process file, reported as `file:element: message`."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    element: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.element or '-'}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "element": self.element, "message": self.message}


class ProcessFileError(Exception):
    """Raised with every problem found, so a caller reports all at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
