"""manage.py import_ec_data: the sample files, upserts, XLSX, all-or-nothing, dry runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from ec_access.importing import HEADERS
from ec_access.models import EmployerGroup, PortalUser, Product, SLApplication

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "ec_import_samples"
KINDS = ("groups", "products", "sl_apps", "users")


def run_import(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_ec_data", str(path), *args, stdout=out)
    return out.getvalue()


def import_samples() -> list[str]:
    return [run_import(SAMPLES / f"{kind}.csv") for kind in KINDS]


def write_csv(tmp_path: Path, kind: str, *rows: str) -> Path:
    path = tmp_path / f"{kind}.csv"
    path.write_text("\n".join([",".join(HEADERS[kind]), *rows]) + "\n", encoding="utf-8")
    return path


def counts() -> tuple[int, int, int, int]:
    return (EmployerGroup.objects.count(), Product.objects.count(),
            SLApplication.objects.count(), PortalUser.objects.count())


def test_it_imports_the_sample_files():
    output = import_samples()

    assert output == [f"{kind}: 4 created, 0 updated\n" for kind in KINDS]
    assert counts() == (4, 4, 4, 4)
    # 910103 names its MTV shell on the row before the shell's own row.
    assert EmployerGroup.objects.get(group_number="910103").mtv_shell.group_number == "910102"
    assert EmployerGroup.objects.get(group_number="910104").is_reregistration
    sl_app = SLApplication.objects.get(sl_app_number="9100001")
    assert sl_app.group.group_number == "910101"
    assert sl_app.ec_identifier == "1220101"
    assert sorted(bf.code for bf in sl_app.business_functions.all()) == ["7125", "7126", "8581"]
    assert PortalUser.objects.get(username="alpineorchard.hr").delegated_functions[-1] == "Wellness"
    dental = Product.objects.get(group__group_number="910103")
    assert (dental.includes_go365, dental.active_to) == (False, dt.date(2024, 6, 30))


def test_it_updates_instead_of_duplicating_on_a_second_import(tmp_path):
    import_samples()

    assert import_samples() == [f"{kind}: 0 created, 4 updated\n" for kind in KINDS]
    assert counts() == (4, 4, 4, 4)

    renamed = write_csv(tmp_path, "groups", "910101,ALPINE ORCHARD FARMS LLC,MTV,1220101,T,47,"
                        "2024-03-14,no,")
    assert run_import(renamed) == "groups: 0 created, 1 updated\n"
    group = EmployerGroup.objects.get(group_number="910101")
    assert (group.name, group.employees_enrolled) == ("ALPINE ORCHARD FARMS LLC", 47)


def test_it_imports_an_xlsx_with_real_date_cells(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS["groups"])
    sheet.append([930001, "QUARRY HILL BAKERY", "MTV", 1230001, "T", 61, dt.date(2024, 5, 6),
                  True, None])
    sheet.append(["930002", "QUARRY HILL BAKERY", "CAS", None, "T", 12,
                  dt.datetime(2024, 5, 7), "no", 930001])
    path = tmp_path / "groups.xlsx"
    workbook.save(path)

    assert run_import(path) == "groups: 2 created, 0 updated\n"

    first, second = EmployerGroup.objects.order_by("group_number")
    assert (first.ec_number, first.portal_registered_on, first.is_reregistration) == (
        "1230001", dt.date(2024, 5, 6), True
    )
    assert (second.portal_registered_on, second.mtv_shell) == (dt.date(2024, 5, 7), first)


def test_it_reports_every_bad_row_and_imports_nothing(tmp_path):
    import_samples()
    before = counts()
    path = write_csv(
        tmp_path, "groups",
        "920001,GOOD ROW ONE,MTV,,T,10,2024-01-02,no,",
        "920002,BAD PLATFORM,XYZ,,T,10,2024-01-02,no,",
        "910101,ALPINE RENAMED,MTV,1220101,T,45,2024-03-14,no,",
        "92000X,BAD NUMBER,MTV,,T,10,02/01/2024,maybe,",
    )

    with pytest.raises(CommandError) as refused:
        run_import(path)

    message = str(refused.value)
    assert "4 error(s), nothing imported" in message
    assert "row 3: platform: Select a valid choice. XYZ is not one of the available choices." in (
        message
    )
    assert "row 5: group_number: A group number is 6 to 8 digits, for example 824751." in message
    assert "row 5: portal_registered_on: Enter a date as YYYY-MM-DD." in message
    assert "row 5: is_reregistration: Use yes/no, true/false or 1/0 (blank means no)." in message
    assert "row 2" not in message and "row 4" not in message
    assert counts() == before
    assert EmployerGroup.objects.get(group_number="910101").name == "ALPINE ORCHARD FARMS"


def test_it_refuses_an_unknown_header(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text("group,name\n824751,FUSION CONTROLS INC\n", encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        run_import(path)

    message = str(refused.value)
    assert message.startswith("Unknown header row: group,name")
    assert f"groups: {','.join(HEADERS['groups'])}" in message
    assert f"users: {','.join(HEADERS['users'])}" in message


def test_it_writes_nothing_on_a_dry_run():
    output = run_import(SAMPLES / "groups.csv", "--dry-run")

    assert output == "groups: 4 created, 0 updated (dry run: nothing written)\n"
    assert counts() == (0, 0, 0, 0)


def test_it_refuses_an_ec_on_a_pseudo_app_with_the_seeds_wording(tmp_path):
    path = write_csv(tmp_path, "sl_apps", "9100010,pseudo,,8809001,1220101,",
                     "9100011,agency,,8809001,,7125")

    with pytest.raises(CommandError) as refused:
        run_import(path)

    wording = "Do NOT add EC Identifiers to Agent SL applications or pseudo apps, ONLY employers."
    assert f"row 2: ec_identifier: {wording}" in str(refused.value)
    assert f"row 3: business_functions: {wording}" in str(refused.value)
    assert not SLApplication.objects.exists()


def test_it_refuses_a_second_ec_on_an_sl_app(tmp_path):
    import_samples()
    path = write_csv(tmp_path, "sl_apps", "9100001,employer,910101,,1299999,7125")

    with pytest.raises(CommandError) as refused:
        run_import(path)

    assert ("row 2: ec_identifier: SL app 9100001 already has EC 1220101. Only ONE EC per SL "
            "application: remove it before adding another.") in str(refused.value)
    sl_app = SLApplication.objects.get(sl_app_number="9100001")
    assert sl_app.ec_identifier == "1220101"
    assert sl_app.business_functions.count() == 3


def test_it_refuses_what_the_model_refuses_with_the_models_words(tmp_path):
    import_samples()
    groups = write_csv(tmp_path, "groups", "920001,SHELLED MTV,MTV,,T,5,,no,910102",
                       "920002,SHELL IS CAS,CAS,,T,5,,no,910103",
                       "920003,NO SUCH SHELL,CAS,,T,5,,no,999999")
    products = write_csv(tmp_path, "products", "910101,dental,no,2025-02-01,2025-01-31",
                         "999999,medical,yes,2025-01-01,")
    sl_apps = write_csv(tmp_path, "sl_apps", "9100020,employer,,,,",
                        "9100021,employer,910101,,,9999")
    users = write_csv(tmp_path, "users", "9100001,employer.as.aor,,paa,aor,",
                      "9100099,nobody,,paa,,")

    messages = []
    for path in (groups, products, sl_apps, users):
        with pytest.raises(CommandError) as refused:
            run_import(path)
        messages += str(refused.value).splitlines()[1:]

    assert messages == [
        "row 2: mtv_shell_group_number: Only a CAS group has an MTV shell.",
        "row 3: mtv_shell_group_number: The shell group must be an MTV group.",
        "row 4: mtv_shell_group_number: No employer group 999999 in this file or the database: "
        "import the groups file first.",
        "row 2: active_to: A product cannot end before it starts.",
        "row 3: group_number: No employer group 999999 in this file or the database: import "
        "the groups file first.",
        "row 2: group_number: An employer SL app belongs to an employer group.",
        "row 3: business_functions: Unknown business function 9999 (known: 6869, 7125, 7126, "
        "8581).",
        "row 2: agent_role: Only a user of an agency SL app is an AOR or a WA.",
        "row 3: sl_app_number: No SL app 9100099 in the database: import the SL apps file "
        "first.",
    ]
    assert counts() == (4, 4, 4, 4)


def test_it_refuses_a_row_that_repeats_a_natural_key(tmp_path):
    path = write_csv(tmp_path, "groups", "920001,ONE,MTV,,T,5,,no,", "920001,AGAIN,MTV,,T,5,,no,")

    with pytest.raises(CommandError, match="row 3: group_number: 920001 is already on row 2."):
        run_import(path)
    assert not EmployerGroup.objects.exists()
