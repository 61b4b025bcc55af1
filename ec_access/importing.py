"""Import employer groups, products, SL apps and portal users from a CSV or XLSX file.

One file holds one kind of row, told by its header row (HEADERS). Each row is checked by a Django
form and then by the model's own full_clean() and save() guards, so a file can never put into the
database what the admin or the DB constraints would refuse (seed 000: "Do NOT add EC Identifiers
to Agent SL applications or pseudo apps, ONLY employers. Only ONE EC per SL application.").
A file imports whole or not at all: every row error is collected, then the transaction is rolled
back and the errors are reported together, by spreadsheet row number (the header is row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from supportdesk.audit import audit

from .models import BusinessFunction, EmployerGroup, PortalUser, Product, SLAppKind, SLApplication

HEADERS: dict[str, tuple[str, ...]] = {
    "groups": ("group_number", "name", "platform", "ec_number", "fin_bus_segment_cd",
               "employees_enrolled", "portal_registered_on", "is_reregistration",
               "mtv_shell_group_number"),
    "products": ("group_number", "product_type", "includes_go365", "active_from", "active_to"),
    "sl_apps": ("sl_app_number", "kind", "group_number", "agent_san", "ec_identifier",
                "business_functions"),
    "users": ("sl_app_number", "username", "aka_name", "access_role", "agent_role",
              "delegated_functions"),
}

EC_ONLY_ON_EMPLOYER_APPS = (
    "Do NOT add EC Identifiers to Agent SL applications or pseudo apps, ONLY employers."
)

# Model fields that a file names by another column.
COLUMN_FOR_FIELD = {
    "group": "group_number",
    "mtv_shell": "mtv_shell_group_number",
    "sl_app": "sl_app_number",
}
# The column each DB constraint is about, so its message lands on "row N: column: ...".
COLUMN_FOR_CONSTRAINT = {
    "ec_group_only_cas_has_mtv_shell": "mtv_shell_group_number",
    "ec_group_not_its_own_shell": "mtv_shell_group_number",
    "ec_product_dates_in_order": "active_to",
    "ec_identifier_only_on_employer_sl_app": "ec_identifier",
    "ec_employer_sl_app_has_group": "group_number",
}


class ImportRefused(Exception):
    """The file was refused; nothing was written. ``errors`` lists every row error."""

    def __init__(self, message: str, errors: Sequence[str] = ()) -> None:
        self.errors = list(errors)
        super().__init__("\n".join([message, *self.errors]))


@dataclass
class ImportSummary:
    kind: str
    created: int = 0
    updated: int = 0
    dry_run: bool = False

    def count(self, *, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.updated += 1

    def __str__(self) -> str:
        text = f"{self.kind}: {self.created} created, {self.updated} updated"
        return f"{text} (dry run: nothing written)" if self.dry_run else text


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet row number; the header is row 1
    values: dict[str, str]


def ec_data_import(*, path: Path, dry_run: bool = False) -> ImportSummary:
    """Upsert every row of ``path`` by its natural key, in one transaction, or refuse the file."""
    header, rows = read_table(path)
    kind = kind_for_header(header)
    summary = ImportSummary(kind=kind, dry_run=dry_run)
    errors: list[str] = []
    with transaction.atomic():
        saved = _upsert_rows(kind, rows, summary, errors)
        if kind == "groups":
            _attach_mtv_shells(saved, errors)
        if errors:
            raise ImportRefused(
                f"{path.name}: {len(errors)} error(s), nothing imported:", errors
            )
        if dry_run:
            transaction.set_rollback(True)
        else:
            audit(user=None, action="ec_data.import", obj=None, summary=f"{path.name}: {summary}")
    return summary


# --- Reading the file ---------------------------------------------------------------------


def read_table(path: Path) -> tuple[list[str], list[Row]]:
    """The header cells and the non-blank data rows of a .csv or .xlsx file, as text."""
    if not path.is_file():
        raise ImportRefused(f"No such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            records = list(_csv_records(path))
        except UnicodeDecodeError as error:
            raise ImportRefused(
                f"{path.name} is not UTF-8 text (byte {error.start + 1}): save it from Excel as "
                "“CSV UTF-8 (Comma delimited)”."
            ) from error
        except csv.Error as error:  # e.g. a cell over the csv module's 128 kB field limit
            raise ImportRefused(f"{path.name} cannot be read as CSV: {error}.") from error
    elif suffix == ".xlsx":
        try:
            records = list(_xlsx_records(path))
        except Exception as error:  # noqa: BLE001 - any file openpyxl cannot parse: said plainly
            raise ImportRefused(
                f"{path.name} is not an Excel workbook SupportDesk can read "
                f"({type(error).__name__}): open it in Excel and save it again as .xlsx."
            ) from error
    else:
        raise ImportRefused(f"{path.name}: expected a .csv or .xlsx file.")
    if not records:
        raise ImportRefused(f"{path.name} is empty.\n{_expected_headers()}")
    header = [cell.lower() for cell in records[0]]
    while header and not header[-1]:
        header.pop()
    rows = []
    for number, record in enumerate(records[1:], start=2):
        cells = [*record, *[""] * (len(header) - len(record))]
        if any(cells):
            # Cells past the header (an empty trailing column) are dropped.
            rows.append(Row(number, dict(zip(header, cells, strict=False))))
    return header, rows


def _csv_records(path: Path) -> Iterator[list[str]]:
    # utf-8-sig: Excel puts a byte order mark at the start of the CSV files it saves.
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for record in csv.reader(handle):
            yield [cell.strip() for cell in record]


def _xlsx_records(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for record in workbook.active.iter_rows(values_only=True):
            yield [_cell_text(value) for value in record]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV would hold: real date cells become YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 824751.0 → "824751"
    return str(value).strip()


def kind_for_header(header: Sequence[str]) -> str:
    for kind, expected in HEADERS.items():
        if len(header) == len(expected) and set(header) == set(expected):
            return kind
    raise ImportRefused(
        f"Unknown header row: {','.join(header) or '(blank)'}\n{_expected_headers()}"
    )


def _expected_headers() -> str:
    lines = ["Expected one of these header rows:"]
    lines += [f"  {kind}: {','.join(columns)}" for kind, columns in HEADERS.items()]
    return "\n".join(lines)


# --- Fields shared by the row forms -------------------------------------------------------


class YesNoField(forms.Field):
    """yes/no, true/false, 1/0; blank is no."""

    TRUE = {"yes", "true", "1"}
    FALSE = {"no", "false", "0", ""}

    def to_python(self, value: Any) -> bool:
        text = str(value or "").strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError("Use yes/no, true/false or 1/0 (blank means no).", code="invalid")


def iso_date_field(*, required: bool) -> forms.DateField:
    return forms.DateField(
        required=required, input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )


def split_codes(text: str) -> list[str]:
    """'7125, 7126;8581' → ['7125', '7126', '8581']."""
    return [code for code in re.split(r"[\s,;]+", text.strip()) if code]


def _group_by_number(number: str) -> EmployerGroup:
    group = EmployerGroup.objects.filter(group_number=number.strip()).first()
    if group is None:
        raise ValidationError(
            f"No employer group {number} in this file or the database: import the groups "
            "file first."
        )
    return group


# --- Row forms ----------------------------------------------------------------------------


class GroupRowForm(forms.ModelForm):
    is_reregistration = YesNoField(required=False)
    portal_registered_on = iso_date_field(required=False)
    # Resolved in a second pass: the shell may be defined further down the same file.
    mtv_shell_group_number = forms.CharField(required=False)

    class Meta:
        model = EmployerGroup
        fields = (
            "group_number", "name", "platform", "ec_number", "fin_bus_segment_cd",
            "employees_enrolled", "portal_registered_on", "is_reregistration",
        )

    def clean(self) -> dict[str, Any]:
        # Set by _attach_mtv_shells once every group of the file is saved. Clearing it here
        # also keeps an MTV row from keeping the shell it had as a CAS group.
        self.instance.mtv_shell = None
        super().clean()
        return self.cleaned_data


class ProductRowForm(forms.ModelForm):
    group_number = forms.CharField()
    includes_go365 = YesNoField(required=False)
    active_from = iso_date_field(required=True)
    active_to = iso_date_field(required=False)

    class Meta:
        model = Product
        fields = ("product_type", "includes_go365", "active_from", "active_to")

    def clean_group_number(self) -> EmployerGroup:
        group = _group_by_number(self.cleaned_data["group_number"])
        self.instance.group = group
        return group


class SLAppRowForm(forms.ModelForm):
    group_number = forms.CharField(required=False)
    business_functions = forms.CharField(required=False)

    class Meta:
        model = SLApplication
        fields = ("sl_app_number", "kind", "agent_san", "ec_identifier")

    def clean_group_number(self) -> EmployerGroup | None:
        number = self.cleaned_data["group_number"]
        self.instance.group = _group_by_number(number) if number else None
        return self.instance.group

    def clean_business_functions(self) -> list[BusinessFunction]:
        codes = list(dict.fromkeys(split_codes(self.cleaned_data["business_functions"])))
        known = {bf.code: bf for bf in BusinessFunction.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in known]
        if unknown:
            choices = ", ".join(BusinessFunction.objects.values_list("code", flat=True))
            raise ValidationError(
                f"Unknown business function {', '.join(unknown)} (known: {choices})."
            )
        return [known[code] for code in codes]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # Seed 000: Access Management "will not add the EC identifier/business functions to a
        # pseudo application". The DB refuses the EC; a M2M cannot be a CHECK, so refuse here.
        kind = cleaned.get("kind")
        if kind and kind != SLAppKind.EMPLOYER and cleaned.get("business_functions"):
            self.add_error("business_functions", EC_ONLY_ON_EMPLOYER_APPS)
        return cleaned

    def _save_m2m(self) -> None:
        super()._save_m2m()  # type: ignore[misc]  # Django's private hook, left out of django-stubs
        self.instance.business_functions.set(self.cleaned_data["business_functions"])


class UserRowForm(forms.ModelForm):
    sl_app_number = forms.CharField()
    delegated_functions = forms.CharField(required=False)

    class Meta:
        model = PortalUser
        fields = ("username", "aka_name", "access_role", "agent_role")

    def clean_sl_app_number(self) -> SLApplication:
        number = self.cleaned_data["sl_app_number"]
        sl_app = SLApplication.objects.filter(sl_app_number=number).first()
        if sl_app is None:
            raise ValidationError(
                f"No SL app {number} in the database: import the SL apps file first."
            )
        self.instance.sl_app = sl_app
        return sl_app

    def clean_delegated_functions(self) -> list[str]:
        text = self.cleaned_data["delegated_functions"]
        functions = [name.strip() for name in text.split(";") if name.strip()]
        self.instance.delegated_functions = functions
        return functions

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        sl_app = cleaned.get("sl_app_number")
        if cleaned.get("agent_role") and sl_app and sl_app.kind != SLAppKind.AGENCY:
            self.add_error("agent_role", "Only a user of an agency SL app is an AOR or a WA.")
        return cleaned


# --- Upserting rows -----------------------------------------------------------------------

ROW_FORMS: dict[str, type[forms.ModelForm]] = {
    "groups": GroupRowForm,
    "products": ProductRowForm,
    "sl_apps": SLAppRowForm,
    "users": UserRowForm,
}
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "groups": ("group_number",),
    "products": ("group_number", "product_type", "active_from"),
    "sl_apps": ("sl_app_number",),
    "users": ("username",),
}
Finder = Callable[[dict[str, str]], "models.Model | None"]


def _find_product(v: dict[str, str]) -> Product | None:
    active_from = _date_or_none(v["active_from"])
    if active_from is None:  # not a date: no product has it (the column is NOT NULL)
        return None
    return Product.objects.filter(
        group__group_number=v["group_number"], product_type=v["product_type"], active_from=active_from,
    ).first()


FINDERS: dict[str, Finder] = {
    "groups": lambda v: EmployerGroup.objects.filter(group_number=v["group_number"]).first(),
    "products": _find_product,
    "sl_apps": lambda v: SLApplication.objects.filter(sl_app_number=v["sl_app_number"]).first(),
    "users": lambda v: PortalUser.objects.filter(username=v["username"]).first(),
}


def _upsert_rows(kind: str, rows: list[Row], summary: ImportSummary,
                 errors: list[str]) -> list[tuple[Row, models.Model]]:
    """Validate and save each row on the record its natural key finds, or on a new one."""
    seen: dict[tuple[str, ...], int] = {}
    saved = []
    form_class = ROW_FORMS[kind]
    for row in rows:
        key = tuple(row.values[column] for column in NATURAL_KEYS[kind])
        if key in seen:
            errors.append(f"row {row.number}: {NATURAL_KEYS[kind][0]}: {' '.join(key)} is "
                          f"already on row {seen[key]}.")
            continue
        seen[key] = row.number
        # PostgreSQL text cannot hold NUL: a key with one matches no record (and must not reach
        # a query, which would fail); the row form then reports the column.
        found = None if any("\x00" in value for value in key) else FINDERS[kind](row.values)
        instance = found or form_class._meta.model()
        created = instance._state.adding
        if _save_row(row, form_class(row.values, instance=instance), errors):
            summary.count(created=created)
            saved.append((row, instance))
    return saved


def _attach_mtv_shells(saved: list[tuple[Row, models.Model]], errors: list[str]) -> None:
    """The second pass over a groups file: every group of the file exists by now, so a CAS
    group may name an MTV shell defined further down."""
    for row, group in saved:
        if not isinstance(group, EmployerGroup):
            raise TypeError("a groups file saves EmployerGroup rows")
        shell_number = row.values["mtv_shell_group_number"]
        if not shell_number:
            continue
        try:
            group.mtv_shell = _group_by_number(shell_number)
        except ValidationError as error:
            errors += _messages(row, ValidationError({"mtv_shell": error}), EmployerGroup)
            continue
        _clean_and_save(row, group, errors)


# --- Validating and saving one row --------------------------------------------------------


def _save_row(row: Row, form: forms.ModelForm, errors: list[str]) -> bool:
    """The form first (it runs full_clean on the fields it has), then the whole model."""
    if not form.is_valid():
        errors += _messages(row, ValidationError(form.errors.as_data()), form._meta.model)
        return False
    if not _clean_and_save(row, form.save(commit=False), errors):
        return False
    form.save_m2m()
    return True


def _clean_and_save(row: Row, instance: models.Model, errors: list[str]) -> bool:
    try:
        instance.full_clean()
        # save() keeps guards of its own: SLApplication refuses a second EC there.
        instance.save()
    except ValidationError as error:
        # A message without a field from save() is SLApplication's "Only ONE EC" guard.
        column = "ec_identifier" if isinstance(instance, SLApplication) else "row"
        errors += _messages(row, error, type(instance), default_column=column)
        return False
    return True


def _date_or_none(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _messages(row: Row, error: ValidationError, model: type[models.Model],
              default_column: str = "row") -> list[str]:
    """'row N: column: message' for each message; constraint messages go to their column."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    by_message = _constraint_columns(model)
    lines = []
    for field, messages in by_field.items():
        for message in messages:
            if field == NON_FIELD_ERRORS:
                column = by_message.get(message, default_column)
            else:
                column = COLUMN_FOR_FIELD.get(field, field)
            lines.append(f"row {row.number}: {column}: {message}")
    return lines


def _constraint_columns(model: type[models.Model]) -> dict[str, str]:
    return {
        constraint.get_violation_error_message(): COLUMN_FOR_CONSTRAINT[constraint.name]
        for constraint in model._meta.constraints
        if constraint.name in COLUMN_FOR_CONSTRAINT
    }
