"""The console's fixtures, for security tests that sign staff in."""

from tests.console.conftest import staff  # noqa: F401
