"""Running one enterprise command from a page (both sides): one
transaction; a refusal is flashed and nothing is written; what the user
may not see is a 404, what they may see but not do a 403."""
from flask import abort, flash, redirect
from flask_babel import gettext as _

from engine.runtime.errors import CommandError, Forbidden, NotFound

from .. import get_db


def run_command(run, done: str, back: str):
    try:
        with get_db().write() as session:
            run(session)
        flash(done, "info")
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    except CommandError as exc:
        flash(_(exc.message), "error")
    return redirect(back)
