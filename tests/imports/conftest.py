import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads and kept parses of each test in a folder of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
