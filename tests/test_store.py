"""The store: schema through migrations on every backend, atomic writes, settings."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text

from forcewatch.errors import SettingsError
from forcewatch.settings import Settings, normalise_database_url
from forcewatch.store import Store, metadata
from forcewatch.store.tables.reference import area, source_file


def test_a_new_database_is_migrated_to_head_with_the_areas_seeded(store: Store) -> None:
    assert store.revision() == Store.head_revision()
    counts = store.table_counts()
    assert counts["area"] == 1 + 10 + 43 + 1


def test_migrations_create_exactly_the_declared_schema(store: Store) -> None:
    """The Alembic migrations and the SQLAlchemy tables agree (no drift between them)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    assert diff == []


def test_upgrading_twice_changes_nothing(store: Store) -> None:
    assert store.upgrade() is False


def test_a_write_block_is_all_or_nothing(store: Store) -> None:
    row = {"kind": "test", "sha256": "0" * 64, "filename": "x", "size_bytes": 1, "scope": "national",
           "imported_at": __import__("datetime").datetime(2026, 1, 1), "imported_by": "test", "summary": {}}
    with pytest.raises(RuntimeError):
        with store.write() as conn:
            conn.execute(insert(source_file), row)
            raise RuntimeError("crash half-way")
    with store.read() as conn:
        assert conn.execute(select(source_file)).all() == []


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(Exception):
        with store.write() as conn:
            conn.execute(insert(area), {"code": "X1", "name": "Nowhere", "kind": "force", "region_code": "NOPE"})
    with store.read() as conn:
        assert conn.execute(select(area.c.code).where(area.c.code == "X1")).first() is None


def test_sqlite_ddl_is_transactional(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = Store.open(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(RuntimeError):
        with s.write() as conn:
            conn.execute(text("CREATE TABLE scratch (x INTEGER)"))
            raise RuntimeError
    with s.read() as conn:
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert "scratch" not in names
    s.dispose()


def test_database_url_normalisation() -> None:
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"
    with pytest.raises(SettingsError):
        normalise_database_url("mysql://u@h/db")
    with pytest.raises(SettingsError):
        normalise_database_url("postgresql+psycopg2://u@h/db")


def test_the_default_database_is_sqlite_in_the_working_directory(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("FORCEWATCH_DATABASE_URL", raising=False)
    assert Settings().database_url == "sqlite:///forcewatch.db"
    monkeypatch.setenv("FORCEWATCH_DATABASE_URL", "postgresql://postgres@127.0.0.1/test")
    assert Settings().database_url == "postgresql+psycopg://postgres@127.0.0.1/test"


def test_no_default_secret_outside_demo_mode(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("FORCEWATCH_SECRET_KEY", raising=False)
    with pytest.raises(SettingsError, match="FORCEWATCH_SECRET_KEY"):
        Settings(demo=False).session_secret
    assert len(Settings(demo=True).session_secret) >= 32


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        Settings(secret_key="short")


def test_a_missing_sqlite_folder_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SettingsError, match="does not exist"):
        Store.open(f"sqlite:///{tmp_path / 'nope' / 'x.db'}")
