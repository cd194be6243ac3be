"""Create (or refresh) the PostgreSQL role the application runs as, separate from the role that owns the tables.

Run as the owner, after `migrate`. The application role is no superuser, owns nothing (so it can neither disable a
trigger nor drop one), has no TRUNCATE anywhere, and on the append-only tables (settings.APPEND_ONLY_TABLES: the
audit log, the payments, the finalised snapshots …) only the rights the services use. Even a web process taken over
by an attacker then cannot shorten the log or delete a payment: the database refuses, whatever the code says.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql


class Command(BaseCommand):
    help = "创建或更新应用程序使用的 PostgreSQL 角色（非表所有者、无 TRUNCATE、只追加表上无 DELETE）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--role", default="unionfunds_app", help="角色名")
        parser.add_argument(
            "--password-env",
            default="APP_DATABASE_PASSWORD",
            help="从该环境变量读取密码（不在命令行上给出密码）；不设则不设密码（仅限本机 trust 认证）",
        )

    def handle(self, *args, role: str, password_env: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("只用于 PostgreSQL。")
        password = os.environ.get(password_env, "")
        protected: dict[str, tuple[str, ...]] = settings.APPEND_ONLY_TABLES
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            verb = "ALTER" if cursor.fetchone() else "CREATE"
            statement = sql.SQL(
                "{verb} ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
            ).format(verb=sql.SQL(verb), role=sql.Identifier(role))
            if password:
                statement += sql.SQL(" PASSWORD {password}").format(password=sql.Literal(password))
            cursor.execute(statement)
            grants = [
                sql.SQL("GRANT CONNECT ON DATABASE {db} TO {role}"),
                sql.SQL("GRANT USAGE ON SCHEMA public TO {role}"),
                sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}"),
                sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
                sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
            ]
            for template in grants:
                cursor.execute(
                    template.format(db=sql.Identifier(connection.settings_dict["NAME"]), role=sql.Identifier(role))
                )
            for table, kept in protected.items():
                cursor.execute(
                    sql.SQL("REVOKE ALL ON {table} FROM {role}").format(
                        table=sql.Identifier(table), role=sql.Identifier(role)
                    )
                )
                cursor.execute(
                    sql.SQL("GRANT {rights} ON {table} TO {role}").format(
                        rights=sql.SQL(", ").join(sql.SQL(right) for right in kept),
                        table=sql.Identifier(table),
                        role=sql.Identifier(role),
                    )
                )
        self.stdout.write(
            "角色 {role} 已{verb}：{n} 张表只追加（无 DELETE/TRUNCATE），其余可读写；迁移仍须以表所有者运行。".format(
                role=role, verb="创建" if verb == "CREATE" else "更新", n=len(protected)
            )
        )
