"""The Alembic migrations build exactly the schema the models declare, and
every migration steps down and up again."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from models import Base
from models.migrate import alembic_config, upgrade


def test_head_matches_the_models_and_every_step_reverses(tmp_path):
    url = f"sqlite:///{tmp_path}/schema.sqlite"
    config = alembic_config(url)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1, "migrations must form one chain"
    upgrade(url)
    command.downgrade(config, "base")
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()
