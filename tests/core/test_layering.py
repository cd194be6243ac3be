"""The layering holds: `core` imports no domain app, the data path points one way (contracts in pyproject.toml)."""

from pathlib import Path

import grimp
from importlinter import configuration
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "funds", "beneficiaries", "imports", "evaluation", "reports", "audit", "accounts", "demo", "config"]


def test_every_import_contract_is_kept(monkeypatch):
    configuration.configure()
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True)


def test_core_reaches_no_domain_app_directly_or_through_others():
    graph = grimp.build_graph(*APPS, cache_dir=None)
    # The graph sees the real imports (so an empty answer below means something): uploads do reach the ledger.
    assert graph.find_shortest_chains(importer="imports", imported="funds", as_packages=True)
    for app in APPS:
        if app != "core":
            assert not graph.find_shortest_chains(importer="core", imported=app, as_packages=True), app
