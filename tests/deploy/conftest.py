"""Tests of what a node runs: the nginx configuration (nginx -t) and the alert rules (promtool).
Both programs come from Debian (.ci/run installs them); without them these tests skip, saying so,
except under CI=true, where a missing program is an error."""

import shutil

import pytest

from tests.services import CI

PROGRAMS = {"nginx": "nginx-light", "promtool": "prometheus"}


@pytest.fixture
def program():
    def found(name: str) -> str:
        path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
        if path is None:
            if CI:
                pytest.fail(f"CI=true but {name} is missing (apt-get install {PROGRAMS[name]})")
            pytest.skip(f"{name} is not installed (apt-get install {PROGRAMS[name]})")
        return path

    return found
