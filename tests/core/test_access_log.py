"""The served app's access log holds no query strings: an ID number searched for never lands in a log file."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "650402195003150011"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_logs_the_path_without_the_query(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "False",
        "HTTPS": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DATA_DIR": str(tmp_path),
    }
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"),
            *("--workers", "1", "--access-logfile", str(log)),
        ],
        cwd=ROOT,  # where gunicorn.conf.py is, as in `make serve` and the systemd unit
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/static/core/app.css?q={ID_NUMBER}",
                    headers={"Referer": f"http://127.0.0.1:{port}/admin/?q={ID_NUMBER}"},
                )
                urllib.request.urlopen(request, timeout=2).read()
                break
            except urllib.error.HTTPError:
                break  # answered (a 404 or 500 without collected static files is logged all the same)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        for _ in range(50):
            if log.exists() and log.read_text():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(10)
    text = log.read_text()
    assert "/static/core/app.css" in text
    assert ID_NUMBER not in text
