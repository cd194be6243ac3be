from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo data set (seed figures for 2022 and 2024) and print the demo users' passwords."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help="load even with DEBUG off (never on a real server)"
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("load_demo creates accounts with known passwords; refused with DEBUG off.")
        try:
            summary = load_demo()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if summary.created:
            counts = "，".join(f"{name} {count}" for name, count in summary.counts.items())
            self.stdout.write(self.style.SUCCESS(f"演示数据已生成：{counts}"))
        else:
            self.stdout.write("演示数据已存在，未重复生成；已重置演示用户密码。")
        self.stdout.write("演示用户（用户名 / 密码 / 角色）：")
        for username, password in summary.passwords.items():
            self.stdout.write(f"  {username:10s} {password}  {summary.roles[username]}")
