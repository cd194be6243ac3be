"""The application's own database role cannot shorten the log or delete a payment, whatever the code asks."""

import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

# Committed (the role's own connection must see the grants), and serialized like every other transactional test
# here: a plain flush re-creates content types, which the next serialized test would then insert twice.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def app_role():
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    name = f"unionfunds_app_{uuid.uuid4().hex[:8]}"
    call_command("create_app_role", role=name)
    settings = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, dbname=settings["NAME"], user=name
    )
    with psycopg.connect(conninfo, autocommit=True) as app:
        yield app
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "UPDATE audit_auditevent SET detail = ''",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "DELETE FROM audit_audithead",
        "DELETE FROM funds_disbursement",
        "TRUNCATE funds_disbursement CASCADE",
        "ALTER TABLE funds_disbursement DISABLE TRIGGER ALL",
        "DELETE FROM reports_reportsnapshot",
        "UPDATE core_keyfingerprint SET fingerprint = '0'",
        "DROP TABLE audit_auditevent",
    ],
)
def test_the_app_role_is_refused(app_role, statement):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_role.execute(statement)


def test_the_app_role_does_the_applications_work(app_role):
    assert app_role.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] >= 0
    app_role.execute("UPDATE funds_organization SET name = name WHERE false")
    app_role.execute("DELETE FROM django_session WHERE false")
    app_role.execute("SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id'))")
    role = app_role.execute("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user")
    assert role.fetchone() == (False, False, False)
