"""JSON answers are encoded fast (orjson) yet mean what Flask's own encoder said: the same values back,
dates as HTTP dates, and text orjson refuses still answered, never a 500."""
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import Flask, jsonify

from web.fastjson import FastJSONProvider


@dataclass
class Point:
    x: int


def app() -> Flask:
    flask = Flask(__name__)
    flask.json = FastJSONProvider(flask)
    return flask


def encoded(value):
    with app().app_context():
        response = jsonify(value)
        return response.get_data(as_text=True), response.mimetype


def test_values_come_back_as_sent_with_chinese_text_and_key_order_kept():
    value = {"名称": "宁德时代", "z": 1, "a": [1.5, None, True], 7: "seven"}
    text, mimetype = encoded(value)
    assert mimetype == "application/json" and text.endswith("\n")
    assert json.loads(text) == {"名称": "宁德时代", "z": 1, "a": [1.5, None, True], "7": "seven"}
    assert list(json.loads(text)) == ["名称", "z", "a", "7"]


def test_dates_and_dataclasses_read_as_flask_wrote_them():
    moment = datetime(2026, 12, 4, 8, 30, tzinfo=timezone.utc)
    text, _ = encoded({"at": moment, "point": Point(3)})
    assert json.loads(text) == {"at": "Fri, 04 Dec 2026 08:30:00 GMT", "point": {"x": 3}}


def test_a_lone_surrogate_or_a_huge_integer_is_still_answered():
    text, _ = encoded({"name": "bad \udc80 text", "n": 2 ** 70})
    assert json.loads(text) == {"name": "bad \udc80 text", "n": 2 ** 70}


def test_the_api_answers_a_lead_list_through_it(staff_client):
    response = staff_client.get("/api/v1/leads?page_size=5")
    assert response.status_code == 200 and isinstance(response.get_json(), list)
