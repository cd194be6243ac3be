"""Formerly created the built-in indicator templates (seed 000's ten level-3 indicators per program).

They now live in `fixtures/indicator_templates.json`, loaded by `manage.py setup_reference_data`; databases that
ran the old version keep their rows, which the command recognises by natural key (program and name).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0004_settings_permissions"), ("funds", "0002_reference_data")]
    operations = []
