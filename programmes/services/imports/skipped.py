"""The rows an import skipped, as a CSV file the admin fixes and uploads again.

The import's own columns (so the file is a valid upload once fixed) plus ``problems``, the
errors that kept each row out; an upload ignores that extra column. Cells are written
formula-safe, as in the cohort export (``programmes.csv_utils``).
"""

from programmes.csv_utils import csv_stream

from .columns import COLUMNS
from .rows import ImportRow

PROBLEMS_COLUMN = "problems"


def skipped_rows_csv(rows: list[ImportRow]) -> str:
    """``rows`` (rows to fix) with their errors, UTF-8 CSV text with a byte-order mark."""
    lines = (
        [*(row.cells[column] for column in COLUMNS), " ".join(p.message for p in row.errors)]
        for row in rows
    )
    return "".join(csv_stream((*COLUMNS, PROBLEMS_COLUMN), lines))
