"""Formerly created Xinjiang's organisation tree, the two programs and their payment kinds.

That data now lives in fixtures (`fixtures/organizations.json`, `fixtures/programs.json`), loaded by
`manage.py setup_reference_data`, so a federation of another province deploys with its own files. Databases that
ran the old version of this migration keep their rows; the command finds them by natural key and adds nothing twice.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = []
