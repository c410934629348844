"""Every named URL of every app appears in a permission matrix (STYLE.md: one table per app).

A new view without a row in some ``tests/**/test_permissions*.py`` fails here.
"""

from pathlib import Path

import pytest

from tests.permissions import url_names

TESTS = Path(__file__).resolve().parent


def _matrix_sources() -> str:
    return "\n".join(path.read_text() for path in TESTS.rglob("test_permissions*.py"))


@pytest.mark.parametrize(
    "namespace", ["programmes", "pairing", "feedback", "insights", "notifications"]
)
def test_every_url_has_a_row_in_a_permission_matrix(namespace):
    sources = _matrix_sources()
    names = url_names(namespace)
    missing = sorted(name for name in names if f'"{name}"' not in sources)
    assert not missing, f"URLs with no permission-matrix row: {missing}"
