"""`mofan deploy`: what each installation or upgrade runs, in order — the migrations and the
static files under the migration lock (so two hosts deploying at once take turns), then the
deployment checks. Stops at the first failure with a non-zero exit."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from mofan.core.management.commands.migrate import migration_lock


class Command(BaseCommand):
    help = "部署或升级：数据库迁移、收集静态文件（同一时间只有一个进程执行），然后执行部署检查。"

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, verbosity, **options):
        # The streams under our wrappers: a wrapper around a wrapper would break their lines.
        out = {"stdout": self.stdout._out, "stderr": self.stderr._out}
        with migration_lock(database, say=self.stdout.write):
            call_command(
                "migrate", database=database, interactive=False, verbosity=verbosity, **out
            )
            call_command("collectstatic", interactive=False, verbosity=verbosity, **out)
        call_command("check", deploy=True, fail_level="WARNING", **out)
        self.stdout.write("部署完成。")
