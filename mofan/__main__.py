"""The `mofan` command: manage.py with the settings preset (`mofan migrate`, `mofan seed-demo`)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mofan.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # Commands are spelled with hyphens on the command line (seed-demo) and underscores in modules.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "mofan"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
