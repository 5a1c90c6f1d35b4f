"""gunicorn's configuration for production:

    gunicorn -c python:mofan.gunicorn_conf mofan.wsgi [--daemon] [--bind …] [--workers …]

Logs go to files by default, so that `--daemon` — which sends standard output and error to
/dev/null — loses nothing: gunicorn's error log (with whatever the workers print, tracebacks
included: capture_output) and its access log, in MOFAN_LOG_DIR (default var/log), beside the
application's own mofan.log. Options given on the command line win over these."""

import os

from mofan.logconfig import log_dir

_logs = log_dir()

bind = f"127.0.0.1:{os.environ.get('MOFAN_PORT', '8000')}"
workers = 4
threads = 4
worker_class = "gthread"
capture_output = _logs is not None
errorlog = str(_logs / "gunicorn-error.log") if _logs else "-"
accesslog = str(_logs / "gunicorn-access.log") if _logs else "-"
