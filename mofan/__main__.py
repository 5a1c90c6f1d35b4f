"""The `mofan` command: manage.py with the settings preset (`mofan migrate`, `mofan seed-demo`)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mofan.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # Commands are spelled with hyphens on the command line (seed-demo) and underscores in modules.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "mofan"
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        # A bad setting: its message names the variable, which is all the operator needs.
        sys.exit(f"配置错误：{error}")


if __name__ == "__main__":
    main()
