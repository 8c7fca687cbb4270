"""The service-task report as users download it: a PDF, an xlsx or a csv of what GET /tasks lists."""

import base64
import csv
import io
import re
import zlib
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from local.gateway import LambdaContext
from shared.http.responses import BINARY_MEDIA_TYPES
from shared.openapi import build_document
from shared.routes import ROUTES, find_route
from shared.services import task_report
from tests.conftest import Api
from tests.security.catalogue import spec_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TODAY = datetime.now(UTC).date()
FAR_NAME = "Łódź \u2013 Köln 東京"  # Polish letters, an en dash and CJK: outside the PDF core fonts


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def add_task(api: Api, asset: dict, name: str, due_in_days: int, **fields: object) -> dict:
    """A date task: due in the past is overdue, within its 30-day lead upcoming, later planned.

    It started 300 days ago, so that even one due soon has a span longer than its lead."""
    body = {
        "asset_id": asset["id"],
        "name": name,
        "start": {"at": f"{day(-300)}T00:00:00Z"},
        "conditions": {"date": {"due": day(due_in_days), "notify_before_days": 30}},
        **fields,
    }
    response = api.post("/tasks", body)
    assert response.status == 201, response.body
    return response.json()


@pytest.fixture
def fleet(api: Api) -> dict[str, dict]:
    """Two assets and four tasks: one overdue, one upcoming, two planned; three with a cost."""
    alpha = api.create_asset(name="Alpha truck", type="vehicle")
    bravo = api.create_asset(name="Bravo loader", type="machine")
    return {
        "brakes": add_task(api, bravo, "Brake check", -3, cost={"amount": 300, "currency": "EUR"}),
        "tyres": add_task(api, alpha, "Tyre rotation", 10, cost={"amount": 50}),
        "oil": add_task(api, alpha, "Oil change", 90, cost={"amount": 120.5, "currency": "EUR"}, repeat=True),
        "inspection": add_task(api, bravo, "Safety inspection", 200),
    }


def download(api: Api, query: str) -> bytes:
    response = api.get(f"/tasks/report?{query}")
    assert response.status == 200, response.body
    return response.payload


def sheet_rows(content: bytes) -> tuple[list[str], list[tuple], list[str]]:
    """The header, the task rows and the group headings of the report's one sheet."""
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(cell is not None for cell in row)]
    start = next(i for i, row in enumerate(rows) if row[0] == "Asset")
    header = list(rows[start])
    body = rows[start + 1 :]
    tasks = [row for row in body if row[header.index("Task ID")]]
    headings = [row[0] for row in body if not row[header.index("Task ID")]]
    return header, tasks, headings


def pdf_text(content: bytes) -> str:
    """The text drawn on the pages: the content streams, inflated where fpdf2 compressed them."""
    chunks = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.DOTALL):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            chunks.append(match.group(1))
    return b"\n".join(chunks).decode("latin-1")


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_the_report_route_is_not_read_as_a_task_id() -> None:
    found = find_route("GET", "/tasks/report")
    assert found is not None and found[0].name == "download_task_report"
    assert find_route("GET", "/tasks/tsk_x")[0].name == "get_task"  # type: ignore[index]


def test_xlsx_has_a_header_and_one_row_per_task_with_numbers_and_dates(api: Api, fleet: dict) -> None:
    response = api.get("/tasks/report?format=xlsx")
    assert response.status == 200, response.body
    assert response.headers["Content-Type"] == XLSX
    assert re.fullmatch(
        r'attachment; filename="service-tasks-\d{4}-\d{2}-\d{2}\.xlsx"',
        response.headers["Content-Disposition"],
    )
    header, tasks, headings = sheet_rows(response.payload)
    assert header[:5] == ["Asset", "Asset ID", "Task", "Task ID", "Status"]
    assert headings == []
    by_name = {row[header.index("Task")]: row for row in tasks}
    assert set(by_name) == {"Brake check", "Tyre rotation", "Oil change", "Safety inspection"}
    assert [row[header.index("Task")] for row in tasks] == [
        "Brake check",
        "Tyre rotation",
        "Oil change",
        "Safety inspection",
    ]  # default order: due, earliest first
    brakes = by_name["Brake check"]
    assert brakes[header.index("Status")] == "overdue"
    assert brakes[header.index("Asset")] == "Bravo loader"
    assert brakes[header.index("Cost")] == 300
    assert brakes[header.index("Currency")] == "EUR"
    due = brakes[header.index("Due date")]
    assert isinstance(due, datetime) and due.date() == date.fromisoformat(day(-3))
    assert by_name["Tyre rotation"][header.index("Status")] == "upcoming"
    assert by_name["Oil change"][header.index("Repeat")] == "yes"
    assert by_name["Safety inspection"][header.index("Cost")] is None


def test_grouped_by_status_headings_come_overdue_first_and_rows_sit_under_them(api: Api, fleet: dict) -> None:
    header, tasks, headings = sheet_rows(download(api, "format=xlsx&group_by=status&sort=name"))
    assert headings == ["overdue - 1 task", "upcoming - 1 task", "planned - 2 tasks"]
    assert [row[header.index("Task")] for row in tasks] == [
        "Brake check",
        "Tyre rotation",
        "Oil change",
        "Safety inspection",
    ]
    _, _, reversed_headings = sheet_rows(download(api, "format=xlsx&group_by=status&sort=-status"))
    assert [h.split(" - ")[0] for h in reversed_headings] == ["planned", "upcoming", "overdue"]


def test_grouped_by_asset_the_groups_follow_asset_names(api: Api, fleet: dict) -> None:
    header, tasks, headings = sheet_rows(download(api, "format=xlsx&group_by=asset&sort=name"))
    alpha, bravo = fleet["tyres"]["asset_id"], fleet["brakes"]["asset_id"]
    assert headings == [f"Alpha truck ({alpha}) - 2 tasks", f"Bravo loader ({bravo}) - 2 tasks"]
    assert [row[header.index("Task")] for row in tasks] == [
        "Oil change",
        "Tyre rotation",
        "Brake check",
        "Safety inspection",
    ]


def test_sort_by_cost_descending_puts_tasks_without_a_cost_last(api: Api, fleet: dict) -> None:
    rows = csv_rows(download(api, "format=csv&sort=-cost"))
    assert [(row["Task"], row["Cost"]) for row in rows] == [
        ("Brake check", "300"),
        ("Oil change", "120.5"),
        ("Tyre rotation", "50"),
        ("Safety inspection", ""),
    ]
    ascending = csv_rows(download(api, "format=csv&sort=cost"))
    assert [row["Task"] for row in ascending] == [
        "Tyre rotation",
        "Oil change",
        "Brake check",
        "Safety inspection",
    ]


def test_filters_are_those_of_the_task_list(api: Api, fleet: dict) -> None:
    rows = csv_rows(download(api, "format=csv&status=upcoming,overdue"))
    assert {row["Task"] for row in rows} == {"Brake check", "Tyre rotation"}
    rows = csv_rows(download(api, f"format=csv&asset_id={fleet['oil']['asset_id']}&q=oil"))
    assert [row["Task"] for row in rows] == ["Oil change"]


def test_csv_is_utf8_with_a_header_and_plain_values(api: Api, fleet: dict) -> None:
    response = api.get("/tasks/report?format=csv&sort=name")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].endswith('.csv"')
    rows = csv_rows(response.payload)
    assert list(rows[0])[:4] == ["Asset", "Asset ID", "Task", "Task ID"]
    brakes = rows[0]
    assert (brakes["Task"], brakes["Status"], brakes["Due date"]) == ("Brake check", "overdue", day(-3))
    assert (brakes["Task ID"], brakes["Repeat"]) == (fleet["brakes"]["id"], "false")


def test_pdf_is_a_landscape_document_with_the_task_names(api: Api, fleet: dict) -> None:
    response = api.get("/tasks/report?group_by=status")  # pdf is the default
    assert response.status == 200, response.body
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].endswith('.pdf"')
    content = response.payload
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    for name in ("Brake check", "Tyre rotation", "Oil change", "Safety inspection", "Bravo loader"):
        assert name in text
    assert "overdue - 1 task" in text and "Page 1 of" in text
    assert b"/MediaBox [0 0 841.89 595.28]" in content  # A4 landscape


def test_text_outside_latin1_does_not_break_the_pdf(api: Api) -> None:
    asset = api.create_asset(name=FAR_NAME, type="vehicle")
    add_task(api, asset, "Ölwechsel \u201cSpezial\u201d ő", 5)
    text = pdf_text(download(api, "format=pdf"))
    assert 'Ölwechsel "Spezial" o' in text
    assert "?ódz - Köln ??" in text
    rows = csv_rows(download(api, "format=csv"))
    assert rows[0]["Asset"] == FAR_NAME  # the data formats keep the exact text


def test_another_accounts_tasks_never_appear(api: Api, other_api: Api, fleet: dict) -> None:
    theirs = other_api.create_asset(name="Foreign van", type="vehicle")
    add_task(other_api, theirs, "Foreign tyre check", 1)
    for file_format in ("csv", "xlsx", "pdf"):
        content = download(api, f"format={file_format}")
        mine = pdf_text(content) if file_format == "pdf" else content.decode("latin-1")
        assert "Foreign" not in mine and theirs["id"] not in mine
    foreign = csv_rows(download(other_api, "format=csv"))
    assert [row["Task"] for row in foreign] == ["Foreign tyre check"]
    named = csv_rows(download(other_api, f"format=csv&asset_id={fleet['oil']['asset_id']}"))
    assert named == []


def test_an_empty_report_is_still_a_valid_file_with_the_header(api: Api) -> None:
    header, tasks, headings = sheet_rows(download(api, "format=xlsx&group_by=asset"))
    assert header[0] == "Asset" and tasks == [] and headings == []
    assert download(api, "format=csv").decode("utf-8").splitlines() == [
        "Asset,Asset ID,Task,Task ID,Status,Due km,Due h,Due date,Predicted due,Wear %,Cost,Currency,"
        "Repeat,Last done"
    ]
    pdf = download(api, "format=pdf")
    assert pdf.startswith(b"%PDF-") and "0 tasks" in pdf_text(pdf)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("format=xls", "query.format"),
        ("format=docx", "query.format"),
        ("sort=vehicle", "query.sort"),
        ("group_by=description", "query.group_by"),
        ("status=expired", "query.status.0"),
        ("limit=10", "query.limit"),
        ("asset_id=truck-7", "query.asset_id.0"),
    ],
)
def test_unknown_formats_sorts_and_parameters_are_422_naming_the_parameter(
    api: Api, query: str, field: str
) -> None:
    response = api.get(f"/tasks/report?{query}")
    assert response.status == 422
    assert response.headers["Content-Type"] == "application/json"
    assert field in [detail["field"] for detail in response.json()["error"]["details"]]
    if query == "format=xls":
        assert "use xlsx" in response.json()["error"]["message"]


def test_a_report_over_the_cap_asks_to_narrow_it(
    api: Api, fleet: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(task_report, "MAX_TASKS", 3)
    monkeypatch.setattr(task_report, "PAGE_SIZE", 2)
    response = api.get("/tasks/report?format=csv")
    assert response.status == 422
    error = response.json()["error"]
    assert error["code"] == "report_too_large"
    assert error["details"][0]["field"] == "query"
    assert len(csv_rows(download(api, "format=csv&status=planned"))) == 2  # narrowed, and paged by 2


def test_binary_formats_leave_the_function_base64_encoded_and_csv_as_text(api: Api, fleet: dict) -> None:
    """What API Gateway receives: a Lambda-proxy binary body for pdf and xlsx, text for csv."""
    route = next(route for route in ROUTES if route.name == "download_task_report")
    handler = api.gateway.handler_for(route)
    claims = {"custom:account_id": api.account, "custom:role": "viewer"}
    for file_format, binary in (("pdf", True), ("xlsx", True), ("csv", False)):
        event = {
            "resource": route.path,
            "httpMethod": "GET",
            "queryStringParameters": {"format": file_format},
            "requestContext": {"requestId": "r-1", "authorizer": {"claims": claims}},
        }
        result = handler(event, LambdaContext(route.name, "r-1"))
        assert result["statusCode"] == 200
        assert result["isBase64Encoded"] is binary
        if binary:
            assert result["headers"]["Content-Type"] in BINARY_MEDIA_TYPES
            assert base64.b64decode(result["body"])[:4] in (b"%PDF", b"PK\x03\x04")
        else:
            assert result["body"].startswith("Asset,")


def test_the_document_describes_the_files_and_every_binary_type_is_a_gateway_binary_type() -> None:
    operation = build_document()["paths"]["/tasks/report"]["get"]
    content = operation["responses"]["200"]["content"]
    assert content == {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        XLSX: {"schema": {"type": "string", "format": "binary"}},
        "text/csv": {"schema": {"type": "string"}},
        # Accept: application/json: the file as base64 in JSON (tests/api/test_work_order_report.py)
        "application/json": {"schema": {"$ref": "#/components/schemas/FileEnvelope"}},
    }
    assert "Accept" in operation["responses"]["200"]["description"]
    assert {"format", "group_by", "sort", "status", "asset_id", "due_before"} <= {
        p["name"] for p in operation["parameters"]
    }
    assert "application/json" in operation["responses"]["422"]["content"]
    for route in ROUTES:
        binary = {media for media in spec_of(route).files if not media.startswith("text/")}
        assert binary <= set(BINARY_MEDIA_TYPES), f"{route.path}: add {binary} to BINARY_MEDIA_TYPES"
