"""`onewindow migrate`: move running cases to a newer version of their
scenario from the shell (issue 7, item 6), or only check whether they can.
Each case moves in its own transaction; the command exits non-zero when
any case was refused."""
from __future__ import annotations

import sys

import click
from sqlalchemy import select

from models import ProcessVersion, User

from .cli import _app, _emit, _find_case, _handled, json_option


def _designer(session, actor: str) -> User:
    from engine.case_migration import MIGRATING_ROLES
    from engine.runtime.errors import Forbidden

    user = session.scalar(select(User).where(User.username == actor))
    if user is None or not user.active or user.role not in MIGRATING_ROLES:
        raise Forbidden(f"moving cases to another version needs the designer role; {actor!r} does not have it")
    return user


def _targets(session, case_refs, number: int) -> list[tuple[str, int, int | None]]:
    """(reference, case id, id of version N of the case's scenario or None)."""
    found = []
    for ref in case_refs:
        case = _find_case(session, ref)
        version_id = session.scalar(select(ProcessVersion.id).where(
            ProcessVersion.scenario_key == case.scenario_key, ProcessVersion.version == number))
        found.append((case.reference, case.id, version_id))
    return found


def _no_version(reference: str, number: int) -> dict:
    return {"code": "not_found", "message": f"{reference}: its scenario has no version {number}"}


@click.command()
@click.argument("case_refs", nargs=-1, required=True)
@click.option("--to-version", "number", required=True, type=click.IntRange(min=1),
              help="The version number of the cases' scenario to move them to.")
@click.option("--check", "only_check", is_flag=True, help="Only say whether each case can move; write nothing.")
@click.option("--as", "actor", required=True, help="A user with the designer role.")
@json_option
@_handled
def migrate(case_refs, number, only_check, actor, as_json):
    """Move running cases (reference or id) to version N of their scenario.
    Refused, with the reason per task, where the new version would strand
    a token (a task removed while it waits, a branch added behind a split
    that already fired)."""
    from engine.case_migration import check_migration, migrate_case
    from engine.runtime.errors import CommandError
    from web import get_db, get_runtime

    app = _app()
    with get_db(app).read() as session:
        _designer(session, actor)
        targets = _targets(session, case_refs, number)
        if only_check:
            reports = [check_migration(session, case_id, version_id) if version_id is not None
                       else {"reference": ref, "can_migrate": False, "reasons": [_no_version(ref, number)]}
                       for ref, case_id, version_id in targets]
    if only_check:
        _emit(as_json, reports, "\n".join(_describe_check(r) for r in reports))
        return
    runtime, results, lines = get_runtime(app), [], []
    for ref, case_id, version_id in targets:
        try:
            if version_id is None:
                raise CommandError(_no_version(ref, number)["message"])
            done = migrate_case(runtime, case_id, version_id, actor)
        except CommandError as exc:
            results.append({"reference": ref, "ok": False, "error": exc.as_dict()})
            lines.append(f"{ref}: refused ({exc.code}): {exc.message}")
        else:
            results.append({"reference": ref, "ok": True, "result": done.as_dict()})
            lines.append(f"{ref}: v{done.from_version} -> v{done.to_version}  row version {done.version}  "
                         f"open: {done.current_step or '-'}")
    _emit(as_json, results, "\n".join(lines))
    if not all(r["ok"] for r in results):
        sys.exit(1)


def _describe_check(report: dict) -> str:
    head = f"{report['reference']}: " + ("can move" if report["can_migrate"] else "cannot move")
    if "from_version" in report:
        head += f" from v{report['from_version']} to v{report['to_version']}"
    lines = [head]
    lines += [f"  {t['element']:<24} {t['state']:<8} {t['status']:<9} {t['name']}"
              + (f" -> {t['new_name']}" if t["new_name"] and t["new_name"] != t["name"] else "")
              + (f"  ({', '.join(t['changes'])})" if t["changes"] else "") for t in report.get("tasks", [])]
    lines += [f"  refused ({r['code']}): {r['message']}" for r in report["reasons"]]
    return "\n".join(lines)
