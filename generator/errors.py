"""The exit statuses every command uses, and the errors a command maps onto them."""

from __future__ import annotations

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command was called wrongly (a path that does not exist, a folder that holds no papers): exit 2."""
