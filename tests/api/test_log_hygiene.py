"""No secret reaches a log: tokens, passwords and cookies are masked in every record, whoever logs it."""
import logging

from tests.factories import PASSWORD, make_user
from tests.pages.conftest import csrf_of
from web.logs import mask


def test_a_request_with_a_token_leaves_no_token_in_the_log(app, staff_client, caplog):
    token = staff_client._headers["Authorization"].removeprefix("Bearer ")

    def debug_view():
        from flask import request

        logging.getLogger("chainlead.web").warning("debugging headers %s args %s", dict(request.headers),
                                                   request.args.to_dict())
        return "ok"

    app.add_url_rule("/api/v1/debug-headers", "debug_headers", debug_view)
    with caplog.at_level(logging.INFO):
        assert staff_client.get(f"/api/v1/debug-headers?access_token={token}&page=2").status_code == 200
        assert staff_client.get(f"/api/v1/leads?token={token}").status_code in (200, 422)
    text = caplog.text
    assert "debugging headers" in text and "/api/v1/leads" in text, "the lines themselves are logged"
    assert token not in text and token[3:20] not in text
    assert "'Authorization': '***'" in text and "access_token=***&page=2" in text


def test_a_failed_login_logs_neither_the_password_nor_the_session_cookie(app, store, caplog):
    make_user(store, "lin", "staff")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)

    def spy():
        from flask import request

        logging.getLogger("chainlead.web").info("form %s cookies %s", request.form.to_dict(), request.headers.get("Cookie"))

    app.before_request_funcs.setdefault(None, []).append(spy)
    with caplog.at_level(logging.INFO):
        client.post("/login", data={"username": "lin", "password": "my-secret-guess", "csrf_token": csrf_of(page)})
        client.post("/login", data={"username": "lin", "password": PASSWORD, "csrf_token": csrf_of(page)})
    session = client.get_cookie("session").value
    assert "form {" in caplog.text
    assert "my-secret-guess" not in caplog.text and PASSWORD not in caplog.text
    assert session[:20] not in caplog.text


def test_an_exception_with_a_secret_in_its_message_is_masked_too(caplog):
    with caplog.at_level(logging.ERROR):
        try:
            raise RuntimeError("login failed for password=hunter22 with Authorization: Bearer cl_abcdefghijkl")
        except RuntimeError:
            logging.getLogger("chainlead.web").exception("unexpected")
    assert "hunter22" not in caplog.text and "cl_abcdefghijkl" not in caplog.text


def test_the_mask_keeps_what_is_not_secret():
    assert mask("GET /api/v1/leads?page=2&q=catl 200") == "GET /api/v1/leads?page=2&q=catl 200"
    assert mask('{"username": "lin", "password": "x y"}') == '{"username": "lin", "password": ***}'
    assert mask("Cookie: session=abc.def; lang=zh") == "Cookie: ***"


def test_a_serving_process_writes_each_record_once_masked_with_its_traceback_before_it_exits():
    import subprocess
    import sys

    script = ("import logging\nfrom web.logs import to_stderr\nto_stderr()\n"
              "logging.getLogger('chainlead.access').info('127.0.0.1 GET /api/v1/leads?token=cl_abcdefghijkl 200')\n"
              "try:\n    raise RuntimeError('password=hunter22')\nexcept RuntimeError:\n"
              "    logging.getLogger('chainlead.web').exception('unexpected')\n")
    err = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60).stderr
    lines = [line for line in err.splitlines() if " chainlead." in line]
    assert len(lines) == 2 and "INFO chainlead.access: 127.0.0.1 GET /api/v1/leads?token=***" in lines[0]
    assert "ERROR chainlead.web: unexpected" in lines[1] and "RuntimeError" in err and "hunter22" not in err
