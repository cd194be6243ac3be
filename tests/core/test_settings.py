"""Defaults that keep two deployments on one host apart."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_CACHE = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.CACHES['default']))"
)


def cache_settings(**env: str) -> dict:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    environment.pop("CACHE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_CACHE], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_default_cache_is_in_the_deployments_data_folder_with_a_prefix_of_its_own(tmp_path):
    first = cache_settings(DATA_DIR=str(tmp_path / "a"), DATABASE_URL="postgres://u@127.0.0.1:5432/federation_a")
    second = cache_settings(DATA_DIR=str(tmp_path / "b"), DATABASE_URL="postgres://u@127.0.0.1:5432/federation_b")
    assert first["LOCATION"] == str(tmp_path / "a" / "cache")
    assert not first["LOCATION"].startswith("/tmp/unionfunds-cache")
    assert first["KEY_PREFIX"] and first["KEY_PREFIX"] != second["KEY_PREFIX"]
