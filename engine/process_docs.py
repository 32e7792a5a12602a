"""docs/processes.md, generated from the process library's metadata so that
it never drifts from the files: `onewindow docs > docs/processes.md`."""
from __future__ import annotations

from pathlib import Path

from .demo_data import DEPARTMENTS
from .library import discover

DEPT_NAMES = {code: zh for code, zh, _ in DEPARTMENTS}
CATEGORY = {"one_thing": "一件事 one-thing service", "shared_block": "共享环节 shared block",
            "construction": "工程建设 construction"}
TAGS = {"B": "action plan", "S": "public source", "K": "general knowledge, unchecked", "P": "design proposal"}


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ") if text not in (None, "") else "—"


def render(library: Path) -> str:
    bundles = sorted((b for b in discover([library]) if b.metadata.get("category") in CATEGORY),
                     key=lambda b: (b.metadata["category"] != "one_thing", b.metadata["category"], b.key))
    out = ["# The process library", "",
           "Generated from `processes/*/metadata.json` by `onewindow docs`; do not edit by hand.",
           "Source tags: " + "; ".join(f"[{k}] {v}" for k, v in TAGS.items()) + ".", "",
           "| process | category | promise (WD) | departments | component approvals |",
           "|---|---|---|---|---|"]
    for b in bundles:
        m = b.metadata
        approvals = "<br>".join(f"{a['name']['zh']} ({a['department']})" for a in m.get("approvals", []))
        out.append(f"| **{m['name']['zh']}** {m['name']['en']} `{b.key}` | {CATEGORY[m['category']]} | "
                   f"{_cell(m.get('promised_working_days'))} | {', '.join(m.get('departments', []))} | "
                   f"{approvals or '—'} |")
    for b in bundles:
        m = b.metadata
        out += ["", f"## {m['name']['zh']} · {m['name']['en']} (`{b.key}`)", "",
                f"Promise: {_cell(m.get('promised_working_days'))} working days"
                + (f" ({m['promised_working_days_green']} for a key project, 绿色通道)"
                   if m.get("promised_working_days_green") is not None else "") + ". "
                f"Calls: {', '.join(m.get('calls', [])) or 'no shared block'}.", "",
                "| approval | department | legal limit (WD) | on site | basis |", "|---|---|---|---|---|"]
        for a in m.get("approvals", []):
            out.append(f"| {a['name']['zh']} / {a['name']['en']} | {a['department']} "
                       f"{DEPT_NAMES.get(a['department'], '')} | {_cell(a.get('legal_limit_working_days'))} | "
                       f"{'yes' if a.get('on_site') else 'no'} | {_cell(a.get('source'))} |")
        if m.get("materials"):
            out += ["", "| material | reusable | may come later (容缺) | original needed |", "|---|---|---|---|"]
            for mat in m["materials"]:
                out.append(f"| {mat['name']['zh']} / {mat['name']['en']} | {'yes' if mat.get('reusable') else 'no'} | "
                           f"{'yes' if mat.get('deferrable') else 'no'} | "
                           f"{'yes' if mat.get('original_required') else 'no'} |")
        if m.get("notes"):
            out += ["", f"Notes: {m['notes']}"]
    return "\n".join(out) + "\n"
