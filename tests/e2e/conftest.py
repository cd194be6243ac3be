"""The journeys' world: the app served as in production, a real browser, and a way to ask the database.

One session: a scratch PostgreSQL database is migrated and given the demo data (plus `seed.py`), static files are
collected, and `gunicorn` (DEBUG off, whitenoise, several workers) and the database task worker are started on
127.0.0.1 — the same commands `make serve` runs. Tests drive Debian's `chromium` through Playwright and read the
database only through `manage.py shell`, as an auditor with database access would.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.totp import totp_now

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PG = os.environ.get("E2E_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "unionfunds_e2e"
APP_ROLE = "unionfunds_e2e_app"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)


@dataclass
class Server:
    url: str
    env: dict
    passwords: dict[str, str]
    seed: dict
    totp_secrets: dict[str, str] = field(default_factory=dict)

    def manage(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def query(self, code: str) -> object:
        """Run Python in `manage.py shell` on the server's database; the code prints one JSON value."""
        return json.loads(self.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1])


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    try:
        _psql("select 1")
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip(f"PostgreSQL is not reachable at {PG}")
    _psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _psql(f"CREATE DATABASE {DATABASE}")
    scratch = Path(tempfile.mkdtemp(prefix="unionfunds-e2e-"))
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "False",
        "HTTPS": "False",  # plain HTTP on 127.0.0.1; everything else as in production
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "MEDIA_ROOT": str(scratch / "media"),
        "CACHE_URL": f"filecache://{scratch / 'cache'}",
        "STATIC_ROOT": str(scratch / "static"),
        "DATA_DIR": str(scratch / "data"),
        # The operator's "large file" goes to the background worker with a progress bar.
        "IMPORT_BACKGROUND_BYTES": "12000",
    }
    env.pop("TWO_FACTOR_REQUIRED", None)
    bootstrap = Server(url=f"http://127.0.0.1:{port}", env=env, passwords={}, seed={})
    bootstrap.manage("migrate", "--no-input", "-v", "0")
    bootstrap.manage("setup_reference_data", "-v", "0")
    demo = bootstrap.manage("load_demo", "--allow-production")
    passwords = dict(re.findall(r"^\s+(\w+)\s+(\S+)\s+\S+", demo, flags=re.MULTILINE))
    seed = json.loads(bootstrap.manage("shell", "--no-imports", "-c", (ROOT / "tests/e2e/seed.py").read_text()))
    bootstrap.manage("collectstatic", "--no-input", "-v", "0")
    # As production should: the web and the worker connect as a role that owns nothing, with no TRUNCATE and no
    # DELETE on the ledgers (`make serve SERVE_APP_ROLE=…`); the journeys prove the whole app works under it.
    bootstrap.manage("create_app_role", "--role", APP_ROLE)
    served = {**env, "DATABASE_URL": f"{PG.replace('//postgres@', f'//{APP_ROLE}@', 1)}/{DATABASE}"}
    log = open(scratch / "server.log", "w")  # noqa: SIM115 — kept open for the processes' lifetime
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "3",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=served,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.5"],
            cwd=ROOT,
            env=served,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
    ]
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{bootstrap.url}/login/", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError((scratch / "server.log").read_text()[-4000:]) from None
            time.sleep(0.5)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield Server(url=bootstrap.url, env=env, passwords=passwords, seed=seed)
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=20)
    log.close()
    _psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request, browser, server):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    # Irreversible steps ask "确定…？" first (form[data-confirm]); a journey answers yes, as the user would.
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    outcome = getattr(request.node, "report_call", None)
    if outcome is not None and outcome.failed:
        # What the browser showed when the journey broke, beside the step screenshots.
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-FAILED.png"), full_page=True)
    context.close()


class Journey:
    """Screenshots numbered in the order they were taken, and signing in (with TOTP where the role needs it)."""

    def __init__(self, name: str, page, server: Server):
        self.name, self.page, self.server, self.count = name, page, server, 0

    def shot(self, step: str) -> Path:
        self.count += 1
        path = SCREENSHOTS / f"{self.name}-{self.count:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def sign_in(self, username: str) -> None:
        page = self.page
        page.goto(f"{self.server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", self.server.passwords[username])
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if "/account/two-factor/" in page.url:
            secret = page.locator("#totp-secret")
            if secret.count():
                self.server.totp_secrets[username] = secret.inner_text().strip()
                self.shot(f"{username}-enrol-totp")
            else:
                # A code is accepted once: wait for the next 30-second step rather than reuse the last one.
                time.sleep(31 - time.time() % 30)
            page.fill("input[name=token]", totp_now(self.server.totp_secrets[username]))
            page.click("main button[type=submit]")
            page.wait_for_load_state()
        if "/login/" in page.url or "/two-factor/" in page.url:
            self.shot(f"{username}-sign-in-failed")
            raise AssertionError(f"{username} could not sign in at {page.url}: {page.inner_text('main')[:500]}")

    def sign_out(self) -> None:
        self.page.click("form[action='/logout/'] button")
        self.page.wait_for_url("**/login/**")


@pytest.fixture
def journey(request, page, server) -> Journey:
    return Journey(request.node.name.removeprefix("test_"), page, server)
