"""The process library as deployed: each scenario's active version."""
from sqlalchemy import select
from sqlalchemy.orm import defer

from models import ProcessVersion

from .. import get_db
from . import bp
from .schemas import ProcessSchema


@bp.get("/processes")
def processes():
    """Deployed processes.
    ---
    get:
      summary: Deployed processes (active versions)
      description: Every scenario's active version. Processes of category `shared_block` run only
        inside a scenario and cannot be started.
      tags: [processes]
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: ProcessSchema
        401: Unauthorized
    """
    with get_db().read() as session:
        rows = session.scalars(select(ProcessVersion).options(defer(ProcessVersion.files))
                               .where(ProcessVersion.active.is_(True))
                               .order_by(ProcessVersion.category, ProcessVersion.scenario_key)).all()
        return ProcessSchema(many=True).dump(rows)
