"""config/gunicorn.py: timeouts, and an access log that never holds a query string."""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path

from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]


def load(monkeypatch, **environ) -> Config:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    config = Config()
    for name, value in runpy.run_path(str(ROOT / "config" / "gunicorn.py")).items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_timeouts_and_request_bounds(monkeypatch):
    config = load(monkeypatch)
    assert (config.timeout, config.graceful_timeout) == (300, 30)
    assert (config.limit_request_line, config.limit_request_fields) == (8190, 100)


def test_the_access_log_has_the_path_without_the_query(monkeypatch):
    from gunicorn.glogging import Logger

    config = load(monkeypatch, GUNICORN_ACCESSLOG="-")
    logger = Logger(config)

    class Response:
        status = "200 OK"
        response_length = 12
        headers = ()
        sent = 12

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/cadres/?q=370124198503090013",
        "PATH_INFO": "/cadres/",
        "QUERY_STRING": "q=370124198503090013",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    atoms = logger.atoms(Response(), [], environ, dt.timedelta(seconds=0.01))
    line = config.access_log_format % atoms
    assert '"GET /cadres/ HTTP/1.1" 200 12' in line
    assert "370124198503090013" not in line
