"""CSV helpers: formula-injection-safe cells and a streaming writer."""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """``value`` as a cell a spreadsheet shows as text: formulas get a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` returns what it was given (for streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_stream(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Yield CSV lines (header first, UTF-8 BOM so Excel picks the encoding), every cell safe."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        yield writer.writerow([csv_safe(cell) for cell in row])
