"""/healthz: what a load balancer polls. On the embedded engine the store's query runs at most once a
second, yet a store that fails or closes is reported at once."""
from graph.engines.embedded import EmbeddedStore
from web.app import create_app


def health(store):
    return create_app({"TESTING": True, "STORE": store}).test_client().get("/healthz")


def test_a_serving_store_is_ok_and_names_its_engine(embedded_store):
    answer = health(embedded_store)
    assert answer.status_code == 200 and answer.json["store"] == "ok" and answer.json["engine"] == "embedded"


def test_a_store_that_failed_a_write_is_unavailable_at_once(embedded_store):
    assert health(embedded_store).status_code == 200
    embedded_store.failing = "the disk is full"
    answer = health(embedded_store)
    assert answer.status_code == 503 and "the disk is full" in answer.json["message"]


def test_a_closed_store_is_unavailable_at_once(tmp_path):
    store = EmbeddedStore(tmp_path / "closing.lbug", buffer_pool_mb=64)
    store.ensure_schema()
    app = create_app({"TESTING": True, "STORE": store})
    assert app.test_client().get("/healthz").status_code == 200
    store.close()
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503 and answer.json["store"] == "unavailable"
