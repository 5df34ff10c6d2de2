"""Customer feedback in CSV files: the columns an import reads, how a file is read and checked, the export's rows.

An import file is UTF-8 text (a byte order mark is fine: Excel's "CSV UTF-8" writes one) with a header row, its
values separated by commas (semicolons and tabs are recognised from the header row too, as Excel writes them in
some countries). Each data row becomes one feedback item, checked by the model's own rules (``full_clean``); an
error names the line of the file (the header is line 1, a quoted value may span several lines) and the column.

Nothing here writes: ``products.services.feedback_import`` reads the file with ``read_file`` and saves the rows
only when none of them has an error.
"""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import number_format

from portfolio.core.spreadsheets import unguard_cell
from products.models import Feature, Feedback, Product

ENCODING = "utf-8-sig"  # UTF-8, with or without the byte order mark Excel writes
DELIMITERS = (",", ";", "\t")
# At most this many errors are listed (a file of 5,000 bad rows would otherwise give 5,000 messages).
ERRORS_LISTED = 100
PREVIEW_ROWS = 20
# Columns the export writes that an import reads past: the item gets a new id, and a status from its links.
IGNORED_COLUMNS = ("id", "status")


@dataclass(frozen=True)
class Column:
    """One column of an import file, as the import page's table documents it."""

    name: str
    required: bool
    accepted: str
    example: str
    default: str = ""


def _choices(choices) -> str:
    return ", ".join(f"{value} (“{label}”)" if label.lower() != value else value for value, label in choices)


COLUMNS: tuple[Column, ...] = (
    Column("summary", True, "Text, up to 200 characters.", "Exports time out on large boards"),
    Column(
        "body",
        False,
        "Any text: the customer's words. Line breaks are kept inside a quoted value.",
        "Every export over 2,000 rows stops after a minute.",
    ),
    Column("channel", False, _choices(Feedback.Channel.choices), "support", "other"),
    Column("customer_name", False, "Text, up to 120 characters.", "Dana Whitfield"),
    Column("company", False, "Text, up to 120 characters.", "Northwind Logistics"),
    Column("email", False, "An email address.", "dana@northwind.example"),
    Column("segment", False, "Text, up to 60 characters.", "Enterprise"),
    Column("sentiment", False, _choices(Feedback.Sentiment.choices), "negative", "neutral"),
    Column("importance", False, _choices(Feedback.Importance.choices), "Critical", "nice-to-have"),
    Column(
        "received_at",
        False,
        "An ISO date (2026-11-03) or date and time (2026-11-03 14:30, 2026-11-03T14:30:00+01:00); a date "
        "without a time is midnight, a time without an offset is in the server's time zone.",
        "2026-11-03 14:30",
        "when the file is imported",
    ),
    Column(
        "features",
        False,
        "Features of this product the item asks for, by id or title, separated by “|”. An item linked to "
        "features arrives as linked (and counts towards their demand), the others as new.",
        "Bulk export | 42",
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
CHOICE_COLUMNS = {
    "channel": Feedback.Channel.choices,
    "sentiment": Feedback.Sentiment.choices,
    "importance": Feedback.Importance.choices,
}


@dataclass(frozen=True)
class RowError:
    """What is wrong, and where: the file's ``line`` (None for the file as a whole) and the ``field`` (column)."""

    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        where = f"Line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    """What an import read: the rows as feedback items (saved ones once imported), or the errors found."""

    rows: int = 0
    items: list[Feedback] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    created: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def preview(self) -> list[Feedback]:
        return self.items[:PREVIEW_ROWS]

    @property
    def errors_not_listed(self) -> int:
        return self.error_count - len(self.errors)

    def add(self, line: int | None, field: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_LISTED:
            self.errors.append(RowError(line, field, message))


class FileRefused(Exception):
    """The file as a whole cannot be read (too large, not UTF-8, no header…): nothing of it is imported."""

    def __init__(self, message: str, line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.error = RowError(line, field, message)


def _size(number: int) -> str:
    if number >= 1024 * 1024 and number % (1024 * 1024) == 0:
        return f"{number // (1024 * 1024)} MB"
    if number >= 1024 and number % 1024 == 0:
        return f"{number // 1024} KB"
    return f"{number_format(number, force_grouping=True)} bytes"


def read_bytes(file, *, max_bytes: int) -> bytes:
    """The content of ``file`` (bytes or a file object), refused past ``max_bytes`` without reading the rest."""
    data = file if isinstance(file, bytes) else file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRefused(f"The file is larger than {_size(max_bytes)}, the limit: split it into smaller files.")
    return data


def decode(data: bytes) -> str:
    """The file's text, or why it is not UTF-8 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("The file is UTF-16 text: save it as “CSV UTF-8 (comma delimited)” and upload it again.")
    try:
        text = data.decode(ENCODING)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex().upper()
        raise FileRefused(
            f"The file is not UTF-8 text: line {line} holds a byte (0x{byte}) UTF-8 cannot read. "
            "Save it as “CSV UTF-8 (comma delimited)” and upload it again.",
            line=line,
        ) from None
    if not text.strip():
        raise FileRefused("The file is empty: it needs a header row naming its columns, then one row per item.")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FileRefused(
            "The file holds a NUL character, which text never does: is it a spreadsheet (.xlsx) rather than a CSV?",
            line=line,
        )
    return text


def delimiter_of(text: str) -> str:
    """The separator the header row uses most: a comma, a semicolon or a tab (a comma when it has none)."""
    header = text.splitlines()[0] if text else ""
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _column_name(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def read_header(cells: list[str]) -> list[str | None]:
    """The columns the header row names, in order (None for an ignored one); refused if unknown or incomplete."""
    names = [_column_name(cell) for cell in cells]
    known = (*COLUMN_NAMES, *IGNORED_COLUMNS, "")  # a column with no name is fine while its cells are empty
    unknown = [cell for cell, name in zip(cells, names, strict=True) if name not in known]
    if unknown:
        listed = ", ".join(f"“{cell.strip()}”" for cell in unknown)
        noun = "an unknown column" if len(unknown) == 1 else "unknown columns"
        raise FileRefused(f"The header row names {noun}: {listed}. The columns are {', '.join(COLUMN_NAMES)}.", line=1)
    seen = set()
    for name in filter(None, names):
        if name in seen:
            raise FileRefused(f"The header row names the column “{name}” twice.", line=1, field=name)
        seen.add(name)
    if "summary" not in names:
        raise FileRefused(
            "The header row has no “summary” column, which is required. The first row of the file names the "
            f"columns: {', '.join(COLUMN_NAMES)} (only summary is required).",
            line=1,
        )
    return [None if name in IGNORED_COLUMNS else name for name in names]  # "" stays: its cells must be empty


def _choice(choices) -> Callable[[str], str]:
    def key(text: str) -> str:
        return " ".join(text.lower().replace("-", " ").replace("_", " ").split())

    accepted = {key(value): value for value, _label in choices} | {key(label): value for value, label in choices}
    values = ", ".join(value for value, _label in choices)

    def parse(text: str) -> str:
        try:
            return accepted[key(text)]
        except KeyError:
            raise ValidationError(f"“{text}” is not one of {values}.") from None

    return parse


def parse_received_at(text: str) -> datetime.datetime:
    """An ISO date or date and time as an aware moment (a date is midnight, in the current time zone)."""
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:  # well formed, but not in the calendar (2026-02-30, 25:00)
        moment = day = None
    if moment is None and day is not None:
        moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise ValidationError(
            f"“{text}” is not an ISO date (2026-11-03) or date and time (2026-11-03 14:30), or not in the calendar."
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class FeatureFinder:
    """The product's features by id and by title (read once per file), to resolve a row's ``features`` cell."""

    SEPARATOR = "|"

    def __init__(self, product: Product):
        self.product = product
        self._by_id: dict[int, Feature] | None = None
        self._by_title: dict[str, list[Feature]] = {}

    def _load(self) -> None:
        features = list(Feature.objects.filter(product=self.product).only("id", "title", "product_id"))
        self._by_id = {feature.pk: feature for feature in features}
        for feature in features:
            self._by_title.setdefault(feature.title.strip().casefold(), []).append(feature)

    def __call__(self, text: str) -> list[Feature]:
        if self._by_id is None:
            self._load()
        found, errors = [], []
        for reference in filter(None, (part.strip() for part in text.split(self.SEPARATOR))):
            named = self._by_title.get(reference.casefold(), [])
            if reference.isdigit() and int(reference) in self._by_id:
                found.append(self._by_id[int(reference)])
            elif len(named) == 1:
                found.append(named[0])
            elif named:
                ids = ", ".join(str(feature.pk) for feature in named)
                errors.append(f"{len(named)} features are titled “{reference}” (ids {ids}): give the id instead.")
            else:
                errors.append(f"“{reference}” is not a feature of {self.product.name} (by id or title).")
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(found))


PARSERS: dict[str, Callable[[str], object]] = {
    **{name: _choice(choices) for name, choices in CHOICE_COLUMNS.items()},
    "received_at": parse_received_at,
}


def _item(
    *, product: Product, line: int, row: dict[str, str], now, result: ImportResult, finder: FeatureFinder
) -> Feedback | None:
    """The feedback item of one row, checked as a single create is; its errors go to ``result``.

    The item's linked features, when its row names some, are in ``item.import_features``.
    """
    values: dict[str, object] = {}
    failed = set()
    for name, text in row.items():
        if not text:
            continue  # the model's default (received_at: now)
        parse = finder if name == "features" else PARSERS.get(name)
        if parse is None:
            values[name] = text
            continue
        try:
            values[name] = parse(text)
        except ValidationError as error:
            failed.add(name)
            for message in error.messages:
                result.add(line, name, message)
    if not row.get("summary"):
        failed.add("summary")
        result.add(line, "summary", "Every row needs a summary, and this one is empty.")
    values.setdefault("received_at", now)
    features = values.pop("features", [])
    item = Feedback(product=product, status=Feedback.Status.LINKED if features else Feedback.Status.NEW, **values)
    item.import_line = line  # shown in the preview
    item.import_features = features
    try:
        # The product is the import's, checked once: not asked again for every row.
        item.full_clean(exclude=["product", *failed])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                result.add(line, None if name == "__all__" else name, message)
        return None
    return None if failed else item


def read_file(*, product: Product, data: bytes, max_rows: int) -> ImportResult:
    """Read an import file's ``data`` into unsaved feedback items of ``product``, or the errors by line."""
    result = ImportResult()
    header = None
    try:
        text = decode(data)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text), strict=True)
        now = timezone.now()
        finder = FeatureFinder(product)
        start = 1  # the line the next record starts on (a quoted value may hold line breaks)
        while True:
            line = start
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise FileRefused(
                    f"The file cannot be read as CSV from here on ({error}): check the quotes around values.",
                    line=line,
                ) from None
            start = reader.line_num + 1
            if header is None:
                header = read_header(cells)
                continue
            cells = [unguard_cell(cell.strip()) for cell in cells]
            if not any(cells):
                continue  # a blank line, or a row of empty cells a spreadsheet left at the end
            result.rows += 1
            if result.rows > max_rows:
                raise FileRefused(
                    f"The file has more than {number_format(max_rows, force_grouping=True)} rows, the limit: "
                    "split it into smaller files.",
                    line=line,
                )
            extra = cells[len(header) :]
            if any(extra):
                result.add(line, None, f"This row has {len(cells)} values but the header names {len(header)} columns.")
                continue
            if any(cell for name, cell in zip(header, cells, strict=False) if name == ""):
                result.add(line, None, "This row has a value under a column the header row gives no name.")
                continue
            row = {name: cell for name, cell in zip(header, cells, strict=False) if name}
            item = _item(product=product, line=line, row=row, now=now, result=result, finder=finder)
            if item is not None:
                result.items.append(item)
    except FileRefused as refused:
        result.errors = [refused.error]
        result.error_count = 1
        result.items = []
    if header is None and result.ok:
        result.add(None, None, "The file is empty: it needs a header row naming its columns, then one row per item.")
    elif result.ok and not result.rows:
        result.add(None, None, "The file has a header row but no rows of feedback under it.")
    if not result.ok:
        result.items = []
    return result


def template_rows() -> list[list[str]]:
    """The rows of the template file the import page offers: the header and one example row."""
    # No features in the example: the ones the documentation names are not this product's.
    return [list(COLUMN_NAMES), [column.example if column.name != "features" else "" for column in COLUMNS]]
