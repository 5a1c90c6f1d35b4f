"""Why a backup or a restore stopped, each with a Chinese message and the command's exit code."""

# Exit codes of `mofan backup` and `mofan restore` (also in the README):
#   0 done; 1 the environment failed (tools, database connection, disk); 2 bad arguments;
#   3 the archive was refused (wrong key, truncated, altered, checksums or manifest wrong);
#   4 the restore was refused by the target or the archive's state (not empty, newer schema,
#     another database kind, other data keys); 5 restored, but `audit verify` failed on it.


class OpsError(Exception):
    exit_code = 1

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class ArchiveRejected(OpsError):
    exit_code = 3


class RestoreRefused(OpsError):
    exit_code = 4


class AuditCheckFailed(OpsError):
    exit_code = 5
