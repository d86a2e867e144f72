"""Which backend serves a database: chosen from the URL when the engine is built."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from collector.kit.db.backends import backend_for, backend_of
from collector.kit.db.engine import build_engine


def test_an_engine_is_served_by_the_backend_its_url_names(engine: Engine, db_url: str) -> None:
    assert backend_of(engine) is backend_for(db_url)


def test_a_connection_is_served_by_the_backend_of_its_engine(engine: Engine) -> None:
    with engine.connect() as connection:
        assert backend_of(connection) is backend_of(engine)


def test_a_backend_is_named_after_the_dialect_it_serves(engine: Engine) -> None:
    assert backend_of(engine).name == engine.dialect.name


@pytest.mark.parametrize("url", ["mysql+pymysql://waypost@127.0.0.1/waypost", "oracle://db"])
def test_databases_other_than_sqlite_and_postgresql_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="sqlite or postgresql"):
        build_engine(url)
