"""CSV files people open in a spreadsheet: cells that cannot run as formulas, and rows written as they are read.

Every CSV the application writes (the roadmap's, the feedback export) goes through ``safe_cell``, so a value a
customer or a colleague typed (``=HYPERLINK(...)``, ``+1-555``, ``@SUM``) is shown as text and never evaluated.
"""

import csv
from collections.abc import Iterable, Iterator

# Characters a spreadsheet reads as the start of a formula (or that hide one): such a cell gets a leading '.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """``value`` as CSV text, with a leading apostrophe when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unguard_cell(text: str) -> str:
    """The value ``safe_cell`` guarded: ``'=1+1`` reads back as ``=1+1``; any other text is kept as it is."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like object that hands back what the CSV writer writes, so each row can be sent as it is made."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row of ``rows`` as one CSV line (every cell through ``safe_cell``), for a streamed response."""
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])
