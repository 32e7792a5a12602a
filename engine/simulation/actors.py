"""Who completes a work item in a walk or a simulation: the first demo
member of its department (`clerk` for the window, `rev_<code>` otherwise)."""
from ..departments import WINDOW


def demo_actor(department: str, second: bool = False) -> str:
    if department == WINDOW:
        return "clerk2" if second else "clerk"
    return f"rev_{department.lower()}{'2' if second else ''}"
