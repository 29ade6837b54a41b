"""Shared fixtures: a store on each engine, and the CI rule that Neo4j tests never skip."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from crm.base import hooks
from crm.followups import first
from graph.config import StoreConfig
from graph.engines.embedded import EmbeddedStore
from graph.engines.shared import SharedStore, StoreServer, store_socket
from scoring.hooks import provide

hooks.install(provide())  # the suite is a composition point too: crm ranks with the scoring package
hooks.install_new_work(first.schedule_in)  # and new leads and projects get their first follow-up

NEO4J_URI = os.environ.get("CHAINLEAD_TEST_NEO4J_URI")
IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parent.parent


def neo4j_config(uri: str | None = None, **overrides) -> StoreConfig:
    if not (uri or NEO4J_URI):
        if IN_CI:
            pytest.fail("CI must run the Neo4j tests but CHAINLEAD_TEST_NEO4J_URI is not set")
        pytest.skip("no Neo4j: `make test` starts one (tools/neo4j/start.sh)")
    return StoreConfig(neo4j_uri=uri or NEO4J_URI, **overrides)


def wipe(store) -> None:
    store.write("MATCH (n) DETACH DELETE n")


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory) -> Path:
    """A store with the schema made once per session; each test copies the file (0.4 s saved)."""
    path = tmp_path_factory.mktemp("template") / "template.lbug"
    store = EmbeddedStore(path, buffer_pool_mb=64)
    store.ensure_schema()
    store.close()
    return path


def store_from_template(template: Path, folder: Path) -> EmbeddedStore:
    """An embedded store in `folder`, its schema copied from the session's template file."""
    target = folder / "test.lbug"
    for source in (template, template.with_name(template.name + ".wal")):
        if source.exists():
            shutil.copyfile(source, target.with_name(target.name + source.name[len(template.name):]))
    # Ladybug keeps each written column's chunk in the pool until a checkpoint: a test that writes
    # leads, follow-ups, tasks and notifications outgrows 128 MB (measured: fails at 128, passes at 160).
    return EmbeddedStore(target, buffer_pool_mb=256)


@contextmanager
def as_web_process(owner: EmbeddedStore) -> Iterator[SharedStore]:
    """The store as a `serve --via-app` web process sees it: every call answered by `owner` over its socket."""
    lender = StoreServer(owner, store_socket(owner.location))
    web = SharedStore(owner.location)
    try:
        yield web
    finally:
        web.close()
        lender.close()


@pytest.fixture
def embedded_store(tmp_path, schema_template):
    store = store_from_template(schema_template, tmp_path)
    yield store
    store.close()


@pytest.fixture
def neo4j_store():
    from graph.engines.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_config())
    wipe(store)
    store.ensure_schema()
    yield store
    store.close()


@pytest.fixture(autouse=True)
def own_followups(request, monkeypatch):
    """A test marked `own_followups` counts only the follow-ups it schedules: new work gets no first one."""
    if request.node.get_closest_marker("own_followups"):
        monkeypatch.setattr(hooks, "_new_work", None)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request):
    """The same test on both engines: a query that works on one only is a failing test."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every Neo4j test runs on one xdist worker (`--dist loadgroup`): they share one server and wipe it."""
    for item in items:
        if "neo4j_store" in getattr(item, "fixturenames", ()) and "neo4j" not in item.keywords:
            item.add_marker(pytest.mark.neo4j)
        if "neo4j" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("neo4j"))


def pytest_collection_finish(session):
    """Stop at once if xdist did not group the Neo4j tests (pytest 9.2 broke it silently)."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    loose = [item.nodeid for item in session.items if "neo4j" in item.keywords and "@neo4j" not in item.nodeid]
    if loose:
        raise pytest.UsageError(f"{len(loose)} Neo4j tests are not grouped on one worker, e.g. {loose[0]}")


_ci_skips: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and any(k in report.keywords for k in ("neo4j", "browser", "needs_root")):
        _ci_skips.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """In CI, Neo4j, browser and root-only tests must have run: a skip there fails the run."""
    if IN_CI and _ci_skips:
        print(f"\nCI: {len(_ci_skips)} Neo4j/browser/root tests were skipped, e.g. {_ci_skips[0]}")
        session.exitstatus = 1
