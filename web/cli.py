"""The `onewindow` command line: set-up, serving, deploying, and every case
command from the shell. Each command takes --json for scripts."""
from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click
from sqlalchemy import select

from engine.demo_data import DEMO_PASSWORD
from engine.deployment import deploy_paths, validate_paths
from engine.problems import ProcessFileError
from engine.runtime.case_data import case_data
from engine.runtime.errors import CommandError
from models import Case, CaseEvent, ProcessVersion, User, WorkItem
from models.migrate import upgrade

PROCESS_LIBRARY = Path(__file__).resolve().parent.parent / "processes"


def _emit(as_json: bool, payload, text: str | None = None) -> None:
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    elif text is not None:
        click.echo(text)


def _handled(fn):
    """Turn the engine's errors into a message and a non-zero exit, in text
    or JSON, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        as_json = kwargs.get("as_json", False)
        try:
            return fn(*args, **kwargs)
        except CommandError as exc:
            _emit(as_json, {"error": exc.as_dict()})
            if not as_json:
                click.echo(f"error ({exc.code}): {exc.message}", err=True)
                for field, message in (getattr(exc, "errors", None) or {}).items():
                    click.echo(f"  {field}: {message.get('zh', '')} / {message.get('en', '')}", err=True)
            sys.exit(1)
        except ProcessFileError as exc:
            _emit(as_json, {"error": {"code": "invalid_process",
                                      "problems": [p.as_dict() for p in exc.problems]}})
            if not as_json:
                for problem in exc.problems:
                    click.echo(str(problem), err=True)
            sys.exit(1)

    return wrapper


def _app():
    from web import create_app

    return create_app()


def _load_json(path: str) -> dict:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise click.BadParameter(f"cannot read JSON from {path}: {exc}") from None
    if not isinstance(data, dict):
        raise click.BadParameter(f"{path} must hold a JSON object")
    return data


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


@click.group()
def main():
    """OneWindow 一窗通办: one window, one application, every department at once."""


# ------------------------------------------------------------------ set-up

@main.command()
@click.option("--processes", "library", default=str(PROCESS_LIBRARY), show_default=True,
              help="The process library to deploy.")
@click.option("--no-demo", is_flag=True, help="Do not seed demo users.")
@json_option
@_handled
def init(library, no_demo, as_json):
    """Create or upgrade the database, deploy the process library, seed the
    departments and the demo users, and print the logins."""
    from engine.appointments.hall_calendar import beijing_today
    from engine.enterprise.notices import seed_demo_notice
    from engine.seeding import seed_demo_key_projects, seed_demo_users, seed_departments, seed_hall
    from models import utcnow
    from web import get_db

    app = _app()
    db = get_db(app)
    upgrade(db.url)
    with db.write() as session:
        seed_departments(session)
        logins = [] if no_demo else seed_demo_users(session)
        if not no_demo:
            seed_demo_key_projects(session)
            seed_demo_notice(session)
        deployed = deploy_paths(session, [library]) if Path(library).exists() else []
        slots = 0 if no_demo else seed_hall(session, beijing_today(utcnow()))
    lines = [f"database: {db.url}"]
    lines += [f"deployed {d.key} v{d.version}{'' if d.created else ' (unchanged)'}  {d.name_zh}" for d in deployed]
    if not no_demo:
        lines.append(f"hall: {slots} new appointment slots")
    if logins:
        lines.append(f"demo logins (password for all: {DEMO_PASSWORD}):")
        shown = [u for u in logins if u["role"] != "reviewer" or u["username"].endswith(("_sj", "_xf", "_hb", "_swj", "_cg"))]
        lines += [f"  {u['username']:<14} {u['role']:<10} {u['department'] or '':<4} {u['name']}" for u in shown]
        lines.append("  (a reviewer per department: rev_<code>, rev_<code>2, e.g. rev_ga, rev_sw, rev_rs, rev_gjj)")
    _emit(as_json, {"database": db.url, "deployed": [d.as_dict() for d in deployed], "logins": logins,
                    "slots_created": slots},
          "\n".join(lines))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--sweep-interval", default=30.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds between sweeps of the embedded sweeper (0: none; run `onewindow worker` instead).")
def serve(host, port, sweep_interval):
    """Serve the web application, with the sweeper (timers, reminders,
    outbound messages) in a thread of the same process."""
    from engine.jobs import Sweeper

    app = _app()
    db = app.extensions["onewindow.db"]
    click.echo(f"OneWindow on http://{host}:{port}/  (database: {db.url})")
    if sweep_interval:
        Sweeper(db, sweep_interval).start()
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@main.command()
@click.option("--at", "at", default=None, help="Sweep as of this ISO time (default: now), e.g. to replay.")
@click.option("--job", "only", multiple=True, help="Run only this job (repeatable).")
@json_option
@_handled
def sweep(at, only, as_json):
    """Run every periodic job once (timers, reminders, escalations, outbox)."""
    from engine.jobs import sweep as run_sweep

    now = _parse_time(at) if at else None
    done = run_sweep(_app().extensions["onewindow.db"], now=now, only=tuple(only))
    _emit(as_json, done, "\n".join(f"{name:<28} {count}" for name, count in done.items()) or "no jobs")


@main.command()
@click.option("--interval", default=10.0, show_default=True, type=click.FloatRange(min=0.1))
@click.option("--celery", "use_celery", is_flag=True,
              help="Run a Celery worker with its beat instead (engine/celery_app.py; Redis broker).")
def worker(interval, use_celery):
    """Sweep forever in this process (beside `onewindow serve --sweep-interval 0`);
    several workers may run at once."""
    from engine.jobs import Sweeper

    if use_celery:
        os.environ.setdefault("ONEWINDOW_SWEEP_INTERVAL", str(interval))
        os.environ.setdefault("ONEWINDOW_DATABASE_URL", _app().extensions["onewindow.db"].url)
        from engine.celery_app import app as celery_app

        celery_app.worker_main(["worker", "-B", "--loglevel=INFO"])
        return
    sweeper = Sweeper(_app().extensions["onewindow.db"], interval)
    click.echo(f"OneWindow worker: sweeping every {interval:g} s (Ctrl-C stops)")
    sweeper.start()
    try:
        while sweeper.is_alive():
            sweeper.join(1.0)
    except KeyboardInterrupt:
        sweeper.stop()


def _parse_time(value: str):
    from datetime import datetime

    from engine.workcalendar import BEIJING

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date-time such as 2026-12-01T09:30") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


# ------------------------------------------------------------------ processes

@main.command()
@click.argument("paths", nargs=-1, required=True)
@json_option
@_handled
def validate(paths, as_json):
    """Check process files without deploying: one `file:element: message`
    line per fault, non-zero exit when there is any."""
    bundles, problems = validate_paths(list(paths))
    _emit(as_json, {"ok": not problems, "bundles": [b.key for b in bundles],
                    "problems": [p.as_dict() for p in problems]},
          "\n".join(str(p) for p in problems) if problems else f"ok: {len(bundles)} process(es) valid")
    if problems:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--as", "actor", default="designer", show_default=True, help="A user with the designer role.")
@json_option
@_handled
def deploy(paths, actor, as_json):
    """Deploy scenario folders or BPMN files as new process versions
    (unchanged content creates no new version)."""
    from engine.runtime.errors import Forbidden
    from web import get_db

    db = get_db(_app())
    with db.write() as session:
        user = session.scalar(select(User).where(User.username == actor))
        if user is None or user.role not in ("designer", "admin"):
            raise Forbidden(f"deploying needs the designer role; {actor!r} does not have it")
        deployed = deploy_paths(session, list(paths), user)
    _emit(as_json, {"deployed": [d.as_dict() for d in deployed]},
          "\n".join(f"{d.key} v{d.version}{' (new)' if d.created else ' (unchanged)'}" for d in deployed))


@main.command()
@json_option
def processes(as_json):
    """List the deployed processes and their active versions."""
    from web import get_db

    with get_db(_app()).read() as session:
        rows = session.scalars(select(ProcessVersion).where(ProcessVersion.active.is_(True))
                               .order_by(ProcessVersion.category, ProcessVersion.scenario_key)).all()
    items = [{"key": v.scenario_key, "version": v.version, "name_zh": v.name_zh, "name_en": v.name_en,
              "category": v.category, "process_id": v.process_id, "content_hash": v.content_hash,
              "promised_working_days": v.meta.get("promised_working_days")} for v in rows]
    _emit(as_json, items, "\n".join(
        f"{i['key']:<24} v{i['version']:<3} {i['category']:<13} {i['name_zh']} / {i['name_en']}" for i in items)
        or "no process deployed")


@main.command()
@click.argument("scenario")
@click.option("--runs", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--from", "from_date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Simulated time: cases start from 9:00 Beijing on this date, spread over --over working days, "
                   "and each task takes random working hours (for the dashboard's figures). Without it every "
                   "case starts now and people answer at once. Either way cases that wait on a timer move on "
                   "to it, and the legal calendar must have data for the simulated time: a start too close "
                   "to the end of the known years is refused (the message names the latest start that fits).")
@click.option("--over", "over_days", default=20.0, show_default=True, type=click.FloatRange(0.1, 250),
              help="With --from: the working days over which the cases start.")
@json_option
@_handled
def simulate(scenario, runs, seed, from_date, over_days, as_json):
    """Run generated cases through the real engine and database: random
    valid form data, random decisions, timers fired when due; report the
    sequence flows taken and any case left stranded. Exits non-zero when a
    case was stranded or failed, and with 2 when the calendar lacks data."""
    import random

    from engine.simulation.runner import simulate as run_simulation
    from engine.simulation.timeline import CASE_SPAN_WORKING_DAYS, Timeline, calendar_problem, simulated_start
    from engine.workcalendar import CalendarDataMissing
    from web import get_runtime, local_time

    from .cli_calendar import _missing

    runtime = get_runtime(_app())  # the app loads the administrator's calendar
    start, timeline, span = runtime.clock(), None, CASE_SPAN_WORKING_DAYS
    if from_date is not None:
        start = simulated_start(from_date.date())
        timeline = Timeline(start, over_days * 8 / runs, random.Random(seed))
        span += over_days
    problem = calendar_problem(start, span, from_working_days=CASE_SPAN_WORKING_DAYS + over_days)
    if problem:
        _missing(as_json, CalendarDataMissing(problem))
    report = run_simulation(runtime, scenario, runs, seed, timeline=timeline, start=start)
    payload = report.as_dict()
    lines = [f"{scenario}: {runs} cases from {local_time(start)}, {report.commands} commands "
             f"({report.timers_fired} timers fired) in {report.seconds:.1f} s; "
             + ", ".join(f"{k} {v}" for k, v in sorted(report.statuses.items())),
             f"sequence flows taken: {payload['flows_taken']} of {payload['flows_total']}"]
    lines += [f"  never taken: {flow}" for flow in report.untaken]
    lines += [f"  stranded: {s['case']}: {s['why']}" for s in report.stranded]
    lines += [f"  failed: {e['case']} {e.get('task', '')}: {e['error']['message']}" for e in report.errors]
    _emit(as_json, payload, "\n".join(lines))
    if report.stranded or report.errors:
        sys.exit(1)


@main.command()
@click.option("--processes", "library", default=str(PROCESS_LIBRARY), show_default=True)
def docs(library):
    """Print docs/processes.md, generated from the library's metadata."""
    from engine.process_docs import render

    click.echo(render(Path(library)), nl=False)


# ------------------------------------------------------------------ cases

@main.group()
def case():
    """Start, show and withdraw cases."""


@case.command("start")
@click.argument("scenario")
@click.option("--data", "data_file", required=True, help="JSON file with the merged intake form ('-' for stdin).")
@click.option("--as", "actor", required=True, help="The window clerk starting the case.")
@json_option
@_handled
def case_start(scenario, data_file, actor, as_json):
    from web import get_runtime

    result = get_runtime(_app()).start_case(scenario, _load_json(data_file), actor)
    _emit(as_json, result.as_dict(), _describe(result))


@case.command("show")
@click.argument("case_ref")
@json_option
@_handled
def case_show(case_ref, as_json):
    from web import get_db, get_runtime

    app = _app()
    with get_db(app).read() as session:
        case = _find_case(session, case_ref)
        items = session.scalars(select(WorkItem).where(WorkItem.case_id == case.id).order_by(WorkItem.id)).all()
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()
        data = case_data(get_runtime(app).peek_workflow(case))
        version_number = case.process_version.version
    payload = {
        "id": case.id, "reference": case.reference, "scenario": case.scenario_key,
        "process_version": version_number, "status": case.status, "version": case.version,
        "applicant": case.applicant_name, "current_step": case.current_step,
        "due_at": case.due_at, "created_at": case.created_at, "closed_at": case.closed_at,
        "work_items": [{"task_id": i.task_id, "task": i.task_spec, "title": i.title_zh,
                        "department": i.department_code, "claimed_by": i.claimed_by_name or None,
                        "due_at": i.due_at} for i in items],
        "events": [{"at": e.at, "actor": e.actor_name, "kind": e.kind, "task": e.task_spec,
                    "title": e.task_title} for e in events],
        "data": data,
    }
    lines = [f"{case.reference}  {case.scenario_key} v{version_number}  {case.status}  "
             f"(row version {case.version})", f"applicant: {case.applicant_name}",
             f"promised by: {_local(case.due_at)} (Beijing time)", "open work:"]
    lines += [f"  {i.task_spec:<24} {i.department_code:<4} due {_local(i.due_at):<16} {i.title_zh}  {i.task_id}"
              for i in items] or ["  none"]
    lines.append("history:")
    lines += [f"  {_local(e.at)} {e.actor_name:<10} {e.kind:<15} {e.task_title}" for e in events]
    _emit(as_json, payload, "\n".join(lines))


@case.command("withdraw")
@click.argument("case_ref")
@click.option("--as", "actor", required=True)
@click.option("--reason", default="")
@json_option
@_handled
def case_withdraw(case_ref, actor, reason, as_json):
    from web import get_db, get_runtime

    app = _app()
    with get_db(app).read() as session:
        case_id = _find_case(session, case_ref).id
    result = get_runtime(app).withdraw(case_id, actor, reason)
    _emit(as_json, result.as_dict(), _describe(result))


# ------------------------------------------------------------------ tasks

@main.group()
def task():
    """List, claim and complete work items."""


@task.command("list")
@click.option("--case", "case_ref", default=None)
@click.option("--department", default=None)
@json_option
@_handled
def task_list(case_ref, department, as_json):
    from web import get_db

    with get_db(_app()).read() as session:
        query = select(WorkItem, Case.reference).join(Case, Case.id == WorkItem.case_id)
        if case_ref:
            query = query.where(WorkItem.case_id == _find_case(session, case_ref).id)
        if department:
            query = query.where(WorkItem.department_code == department.upper())
        rows = session.execute(query.order_by(WorkItem.due_at.is_(None), WorkItem.due_at, WorkItem.id)).all()
    items = [{"case": ref, "case_id": i.case_id, "task_id": i.task_id, "task": i.task_spec, "title": i.title_zh,
              "department": i.department_code, "form_key": i.form_key, "claimed_by": i.claimed_by_name or None, "due_at": i.due_at}
             for i, ref in rows]
    _emit(as_json, items, "\n".join(
        f"{i['case']}  {i['task']:<24} {i['department']:<4} {i['title']}  {i['task_id']}" for i in items)
        or "no open work")


def _task_command(name, method, doc):
    @task.command(name, help=doc)
    @click.argument("case_ref")
    @click.argument("task_ref")
    @click.option("--as", "actor", required=True)
    @json_option
    @_handled
    def command(case_ref, task_ref, actor, as_json):
        from web import get_runtime

        app = _app()
        case_id, task_id = _resolve_task(app, case_ref, task_ref)
        result = getattr(get_runtime(app), method)(case_id, task_id, actor)
        _emit(as_json, result.as_dict(), _describe(result))

    return command


_task_command("claim", "claim", "Claim a work item for yourself.")
_task_command("release", "release", "Give a claimed work item back to the department queue.")


@task.command("complete")
@click.argument("case_ref")
@click.argument("task_ref")
@click.option("--data", "data_file", default=None, help="JSON file with the task's form data ('-' for stdin).")
@click.option("--as", "actor", required=True)
@click.option("--seen-version", type=int, default=None, help="The case version the actor saw.")
@json_option
@_handled
def task_complete(case_ref, task_ref, data_file, actor, seen_version, as_json):
    """Complete a task. TASK_REF is the task id or, when only one such task
    is open, its BPMN element id (e.g. Task_Fire)."""
    from web import get_runtime

    app = _app()
    case_id, task_id = _resolve_task(app, case_ref, task_ref)
    data = _load_json(data_file) if data_file else {}
    result = get_runtime(app).complete_task(case_id, task_id, data, actor, seen_version)
    _emit(as_json, result.as_dict(), _describe(result))


# ------------------------------------------------------------------ API tokens

@main.group()
def token():
    """Personal tokens for the JSON API (Authorization: Bearer <token>)."""


@token.command("create")
@click.option("--as", "actor", required=True, help="The user the token acts as.")
@click.option("--name", required=True, help="What the token is for, e.g. 'nightly export'.")
@json_option
@_handled
def token_create(actor, name, as_json):
    """Create a token and print it. It is shown only this once: only its
    SHA-256 hash is stored."""
    from engine.api_tokens import create_token
    from web import get_db

    with get_db(_app()).write() as session:
        try:
            new = create_token(session, actor, name)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--name") from None
    _emit(as_json, new.as_dict(),
          f"{new.token}\n(token {new.id} {new.name!r} for {new.username}: shown only now; "
          f"revoke with `onewindow token revoke --as {new.username} --id {new.id}`)")


@token.command("list")
@click.option("--as", "actor", default=None, help="Only this user's tokens.")
@json_option
def token_list(actor, as_json):
    """List tokens (never the tokens themselves)."""
    from engine.api_tokens import list_tokens
    from web import get_db

    with get_db(_app()).read() as session:
        rows = list_tokens(session, actor)
    payload = [{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in r.items()} for r in rows]
    _emit(as_json, payload, "\n".join(
        f"{r['id']:>4}  {r['user']:<12} {r['name']:<24} created {_local(r['created_at'])}  "
        f"used {_local(r['last_used_at'])}{'  REVOKED ' + _local(r['revoked_at']) if r['revoked_at'] else ''}"
        for r in rows) or "no tokens")


@token.command("revoke")
@click.option("--as", "actor", required=True, help="The user whose token it is.")
@click.option("--id", "token_id", type=int, default=None, help="The token's id (see `token list`).")
@click.option("--name", default=None, help="Revoke every live token of this name.")
@json_option
@_handled
def token_revoke(actor, token_id, name, as_json):
    """Revoke a token at once: calls with it get 401 from then on."""
    from engine.api_tokens import revoke_token
    from web import get_db

    if (token_id is None) == (name is None):
        raise click.UsageError("give exactly one of --id and --name")
    with get_db(_app()).write() as session:
        revoked = revoke_token(session, actor, token_id=token_id, name=name)
    _emit(as_json, {"revoked": revoked}, "revoked token(s) " + ", ".join(map(str, revoked)))


# ------------------------------------------------------------------ helpers

def _find_case(session, ref: str) -> Case:
    from engine.runtime.errors import NotFound

    query = select(Case).where(Case.id == int(ref)) if str(ref).isdigit() else select(Case).where(Case.reference == ref)
    case = session.scalar(query)
    if case is None:
        raise NotFound(f"no case {ref}")
    return case


def _resolve_task(app, case_ref: str, task_ref: str) -> tuple[int, str]:
    from engine.runtime.errors import NotFound
    from web import get_db

    with get_db(app).read() as session:
        case = _find_case(session, case_ref)
        if len(task_ref) == 36 and task_ref.count("-") == 4:
            return case.id, task_ref
        matches = session.scalars(select(WorkItem.task_id).where(
            WorkItem.case_id == case.id, WorkItem.task_spec == task_ref)).all()
    if len(matches) != 1:
        raise NotFound(f"{len(matches)} open tasks {task_ref!r} in case {case.reference}; give the task id")
    return case.id, matches[0]


def _local(moment) -> str:
    """Times for people: Beijing time."""
    from engine.workcalendar import BEIJING

    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _describe(result) -> str:
    lines = [f"{result.reference} (case {result.case_id})  {result.status}  row version {result.version}"]
    if result.reran_on_fresh_state:
        lines.append("  note: the case had changed; the command was re-run on its fresh state")
    lines += [f"  open: {i['task']:<24} {i['department']:<4} {i['title']}  {i['task_id']}" for i in result.work_items]
    return "\n".join(lines)


# Command groups of their own modules; imported last, as they use the helpers above.
from .cli_calendar import calendar  # noqa: E402
from .cli_migrate import migrate  # noqa: E402
from .hall.cli import slots  # noqa: E402

for group in (calendar, migrate, slots):
    main.add_command(group)

if __name__ == "__main__":
    main()
