"""`load_demo` on a database without reference data says what to run, and writes nothing."""

import pytest
from django.core.management import CommandError, call_command

from funds.models import User
from tests.factories import remove_reference_data


@pytest.mark.django_db
def test_load_demo_without_the_organisation_tree_asks_for_setup_reference_data():
    remove_reference_data()
    with pytest.raises(CommandError, match="setup_reference_data"):
        call_command("load_demo", allow_production=True)
    assert not User.objects.exists()
