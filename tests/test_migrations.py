"""Migrations build the whole schema from nothing, and agree with the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from extensions import db, render_migration_type


def pending_changes() -> list:
    """What autogenerate would still write: empty when models and migrations agree."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_item": render_migration_type},
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_database_matches_the_models(bare_app) -> None:
    assert inspect(db.engine).get_table_names() == []
    upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) | {"alembic_version"} == tables
    assert pending_changes() == []


def test_downgrade_to_base_and_back_is_clean(bare_app) -> None:
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert pending_changes() == []
