"""Work-order reports as users download them: one order as the customer's PDF, the list as a
file, and any report as JSON for clients that cannot take binary bodies."""

import base64
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from shared.http import responses
from shared.http.responses import FileDownload, prefers_json, proxy_response
from shared.openapi import build_document
from shared.routes import ROUTES, find_route
from shared.services import work_order_list_report
from tests.api.test_task_report import csv_rows
from tests.api.test_task_report import pdf_text as raw_pdf_text
from tests.conftest import Api
from tests.security.catalogue import spec_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CUSTOMER_NOTE = "Brake pads replaced, test drive done"
INTERNAL_NOTE = "Customer haggles, bill the travel anyway"
ADDRESS = {"line1": "Hafenstrasse 4", "city": "Hamburg", "postal_code": "20457", "country": "DE"}
REPORT_ROUTES = [route for route in ROUTES if spec_of(route).files]


def pdf_text(content: bytes) -> str:
    """The text drawn on the pages, with PDF's escaped parentheses as written."""
    return raw_pdf_text(content).replace("\\(", "(").replace("\\)", ")")


def created(response: Any) -> dict[str, Any]:
    assert response.status == 201, response.body
    return dict(response.json())


def new_order(api: Api, **fields: Any) -> dict[str, Any]:
    return created(api.post("/work-orders", {"title": "Service", **fields}))


def download(api: Api, path: str, media_type: str) -> bytes:
    response = api.get(path)
    assert response.status == 200, response.body
    assert response.headers["Content-Type"] == media_type
    return response.payload


def list_ids(api: Api, query: str) -> list[str]:
    """The ids GET /work-orders lists for ``query``, every page."""
    ids: list[str] = []
    page: dict[str, Any] = {"next": None}
    while True:
        cursor = f"&next={page['next']}" if page["next"] else ""
        response = api.get(f"/work-orders?limit=2&{query}{cursor}")
        assert response.status == 200, response.body
        page = response.json()
        ids += [order["id"] for order in page["items"]]
        if not page.get("next"):
            return ids


@pytest.fixture
def job(api: Api) -> dict[str, Any]:
    """A closed order with everything a customer's PDF shows, and an internal note."""
    api.patch("/settings", {"currency": "EUR", "time_zone": "Europe/Berlin"})
    site = created(api.post("/sites", {"name": "ACME yard", "number": "S-1", "address": ADDRESS}))
    depot = created(api.post("/sites", {"name": "North depot", "kind": "depot"}))
    truck = api.create_asset(name="Tipper 7", type="vehicle")
    task = created(
        api.post(
            "/tasks",
            {"asset_id": truck["id"], "name": "Brake service", "conditions": {"date": {"every_days": 90}}},
        )
    )
    order = new_order(
        api,
        title="Brakes and filters",
        type="maintenance",
        priority="high",
        customer={"name": "ACME Haulage", "number": "C-77", "email": "fleet@acme.example"},
        site_id=site["id"],
        depot_id=depot["id"],
        assignees=[{"id": "u-1", "name": "Jo Mechanic"}, {"id": "u-2", "name": "Sam Helper"}],
        planned_start="2026-03-02T07:00:00Z",
        planned_end="2026-03-02T15:00:00Z",
        task_ids=[task["id"]],
    )
    items = f"/work-orders/{order['id']}/items"
    created(
        api.post(
            items,
            {
                "kind": "part",
                "code": "BP-4",
                "description": "Brake pads",
                "quantity": 2,
                "unit_price": 45.5,
                "tax_percent": 19,
            },
        )
    )
    created(
        api.post(
            items,
            {
                "kind": "labour",
                "description": "Fitting",
                "quantity": 1.5,
                "unit_price": 80,
                "tax_percent": 19,
            },
        )
    )
    notes = f"/work-orders/{order['id']}/notes"
    created(api.post(notes, {"text": INTERNAL_NOTE}))
    created(api.post(notes, {"text": CUSTOMER_NOTE, "visibility": "customer"}))
    closed = api.post(f"/work-orders/{order['id']}/close", {"outcome": "complete"})
    assert closed.status == 200, closed.body
    return {**closed.json(), "task": task, "truck": truck}


def test_the_report_paths_are_not_read_as_an_order_id(api: Api) -> None:
    assert find_route("GET", "/work-orders/report")[0].name == "download_order_list_report"  # type: ignore[index]
    assert find_route("GET", "/work-orders/wo_x/report")[0].name == "download_order_report"  # type: ignore[index]
    assert find_route("GET", "/work-orders/wo_x")[0].name == "get_order"  # type: ignore[index]
    response = api.get("/work-orders/report?format=csv")
    assert response.status == 200, response.body  # not get_order's 404 for an id "report"


def test_the_order_pdf_has_what_the_customer_is_handed(api: Api, job: dict[str, Any]) -> None:
    response = api.get(f"/work-orders/{job['id']}/report")
    assert response.status == 200, response.body
    assert response.headers["Content-Type"] == "application/pdf"
    number = job["display_number"]
    assert response.headers["Content-Disposition"] == f'attachment; filename="work-order-{number}.pdf"'
    assert response.payload.startswith(b"%PDF-")
    text = pdf_text(response.payload)
    for shown in (
        f"Work order {number}",
        "Brakes and filters",
        "Maintenance",  # the type's name
        "Closed complete",  # the status's name
        "ACME Haulage",
        "No. C-77",
        "ACME yard (S-1)",
        "20457 Hamburg",
        "North depot",
        "Jo Mechanic (lead), Sam Helper",
        "2026-03-02 08:00 - 2026-03-02 16:00",  # planned, in Europe/Berlin
        "Tipper 7",
        "Brake service",
        "Done",  # the task's result
        "Brake pads",
        "BP-4",
        "Subtotal part",
        "Subtotal labour",
        "Total EUR",
        "211.00",  # net: 2 x 45.50 + 1.5 x 80
        "251.09",  # gross
        CUSTOMER_NOTE,
        "Page 1 of",
    ):
        assert shown in text, shown
    assert INTERNAL_NOTE not in text and "haggles" not in text
    assert b"/MediaBox [0 0 595.28 841.89]" in response.payload  # A4 portrait


def test_an_open_order_without_lines_or_notes_is_still_a_document(api: Api) -> None:
    order = new_order(api, title="Look at the hydraulics")
    text = pdf_text(download(api, f"/work-orders/{order['id']}/report", "application/pdf"))
    assert "Look at the hydraulics" in text and "No parts or labour recorded." in text
    assert "No notes." in text and "New" in text


def test_a_long_order_runs_over_pages_and_keeps_every_line(api: Api) -> None:
    order = new_order(api, title="Rebuild", description="Strip and rebuild the gearbox. " * 40)
    items = f"/work-orders/{order['id']}/items"
    for n in range(45):
        created(api.post(items, {"kind": "part", "code": f"P-{n:02d}", "quantity": 1, "unit_price": 1}))
    long_note = "Ölwechsel \u2013 東京 " + "word " * 600 + "THE END"
    created(api.post(f"/work-orders/{order['id']}/notes", {"text": long_note, "visibility": "customer"}))
    text = pdf_text(download(api, f"/work-orders/{order['id']}/report", "application/pdf"))
    assert "Page 2 of" in text
    assert all(f"P-{n:02d}" in text for n in range(45))
    assert "THE END" in text and "Ölwechsel - ??" in text


def test_another_accounts_order_and_unknown_ids_are_404(
    api: Api, other_api: Api, job: dict[str, Any]
) -> None:
    for path in (
        f"/work-orders/{job['id']}/report",
        "/work-orders/wo_0000000000000000000000000/report",
        "/work-orders/nope/report",
    ):
        response = other_api.get(path)
        assert response.status == 404, (path, response.body)
        assert response.json()["error"]["code"] == "not_found"
    foreign = csv_rows(download(other_api, "/work-orders/report?format=csv", "text/csv; charset=utf-8"))
    assert foreign == []


@pytest.fixture
def orders(api: Api, job: dict[str, Any]) -> list[dict[str, Any]]:
    """Five orders: the closed job, and four open ones of two priorities and customers."""
    more = [
        new_order(
            api,
            title=f"Inspection {n}",
            priority="urgent" if n % 2 else "low",
            type="inspection",
            customer={"name": "Bolt Ltd" if n < 2 else "ACME Haulage"},
        )
        for n in range(4)
    ]
    return [job, *more]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "state=open",
        "state=closed",
        "priority=urgent",
        "q=inspection",
        "customer=acme",
        "sort=-number",
        "type=inspection&priority=low",
        "number=1",
        "sort=closed",
        "assignee=u-1",
    ],
)
def test_the_list_report_has_the_rows_the_list_has(
    api: Api, orders: list[dict[str, Any]], query: str
) -> None:
    rows = csv_rows(download(api, f"/work-orders/report?format=csv&{query}", "text/csv; charset=utf-8"))
    assert [row["Work order ID"] for row in rows] == list_ids(api, query)


def test_csv_columns_and_values(api: Api, orders: list[dict[str, Any]]) -> None:
    content = download(api, "/work-orders/report?format=csv&state=closed", "text/csv; charset=utf-8")
    header = content.decode("utf-8").splitlines()[0]
    assert header == (
        "Number,Work order ID,Title,Type,Type key,Status,Status key,State,Priority,Customer,Customer number,"
        "Site,Planned start,Actual start,Actual end,Closed at,Outcome,Net,Tax,Gross,Currency"
    )
    (row,) = csv_rows(content)
    job = orders[0]
    assert (row["Number"], row["Title"], row["Type"], row["Type key"]) == (
        job["display_number"],
        "Brakes and filters",
        "Maintenance",
        "maintenance",
    )
    assert (row["Status"], row["Status key"], row["State"], row["Outcome"]) == (
        "Closed complete",
        "closed_complete",
        "closed",
        "complete",
    )
    assert (row["Customer"], row["Customer number"], row["Site"]) == ("ACME Haulage", "C-77", "ACME yard")
    assert row["Planned start"] == "2026-03-02T08:00:00+01:00"  # the account's zone, with its offset
    closed_at = datetime.fromisoformat(job["closed"]["at"]).replace(microsecond=0)
    assert datetime.fromisoformat(row["Closed at"]) == closed_at  # to the second
    assert (row["Net"], row["Tax"], row["Gross"], row["Currency"]) == ("211", "40.09", "251.09", "EUR")


def test_xlsx_has_typed_cells_and_the_pdf_the_numbers(api: Api, orders: list[dict[str, Any]]) -> None:
    response = api.get("/work-orders/report?format=xlsx&sort=-number")
    assert response.status == 200, response.body
    assert response.headers["Content-Type"] == XLSX
    assert response.headers["Content-Disposition"].startswith('attachment; filename="work-orders-')
    sheet = load_workbook(io.BytesIO(response.payload)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(cell is not None for cell in row)]
    assert rows[0][0] == "Work orders" and "5 work orders" in rows[1][0]
    header = list(rows[2])
    body = rows[3:]
    assert [row[header.index("Number")] for row in body] == [o["display_number"] for o in reversed(orders)]
    job = body[-1]
    assert job[header.index("Planned start")] == datetime(2026, 3, 2, 8, 0)
    assert job[header.index("Gross")] == 251.09
    pdf = download(api, "/work-orders/report?format=pdf", "application/pdf")
    text = pdf_text(pdf)
    assert all(order["display_number"] in text for order in orders)
    assert "2026-03-02 08:00" in text and "5 work orders" in text
    assert b"/MediaBox [0 0 841.89 595.28]" in pdf  # A4 landscape


def test_a_report_over_the_cap_asks_to_narrow_it_reading_one_order_more(
    api: Api, orders: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(work_order_list_report, "MAX_ORDERS", 3)
    seen: list[tuple[int, int]] = []
    listing = work_order_list_report.list_orders

    def counted(account_id: str, query: Any) -> Any:
        page = listing(account_id, query)
        seen.append((query.limit, len(page.items)))
        return page

    monkeypatch.setattr(work_order_list_report, "list_orders", counted)
    response = api.get("/work-orders/report?format=csv")
    assert response.status == 422
    error = response.json()["error"]
    assert error["code"] == "report_too_large"
    assert [detail["field"] for detail in error["details"]] == ["query"]
    assert "more than 3 work orders" in error["message"]
    assert seen == [(4, 4)]  # one order past the cap, and no more
    assert (
        len(
            csv_rows(
                download(
                    api,
                    "/work-orders/report?format=csv&state=open&priority=urgent",
                    "text/csv; charset=utf-8",
                )
            )
        )
        == 2
    )
    exactly = download(api, "/work-orders/report?format=csv&customer=acme", "text/csv; charset=utf-8")
    assert len(csv_rows(exactly)) == 3  # at the cap is fine


def test_a_list_that_hands_back_early_is_followed_and_bounded(
    api: Api, orders: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As with a sparse filter on a large account: each list call returns one order and a cursor."""
    listing = work_order_list_report.list_orders
    calls: list[str | None] = []

    def one_at_a_time(account_id: str, query: Any) -> Any:
        calls.append(query.next)
        return listing(account_id, query.model_copy(update={"limit": 1}))

    monkeypatch.setattr(work_order_list_report, "list_orders", one_at_a_time)
    rows = csv_rows(download(api, "/work-orders/report?format=csv&sort=-number", "text/csv; charset=utf-8"))
    assert [row["Work order ID"] for row in rows] == [order["id"] for order in reversed(orders)]
    assert len(calls) == 5 and calls[0] is None and all(calls[1:])
    monkeypatch.setattr(work_order_list_report, "MAX_CALLS", 3)
    response = api.get("/work-orders/report?format=csv&q=inspection")
    assert response.status == 422
    assert response.json()["error"]["code"] == "report_too_large"
    assert "too many work orders to look through" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("format=xls", "query.format"),
        ("limit=10", "query.limit"),
        ("next=abc", "query.next"),
        ("q=a&number=1", "query.q"),
        ("state=done", "query.state"),
    ],
)
def test_bad_parameters_are_422_naming_them(api: Api, query: str, field: str) -> None:
    response = api.get(f"/work-orders/report?{query}")
    assert response.status == 422
    assert field in [detail["field"] for detail in response.json()["error"]["details"]]


def captured_files(monkeypatch: pytest.MonkeyPatch) -> list[FileDownload]:
    """The files the functions hand to the HTTP layer, as they hand them."""
    files: list[FileDownload] = []
    answer = responses._file_response

    def capture(status: int, file: FileDownload, headers: dict[str, str], accept: str | None) -> Any:
        files.append(file)
        return answer(status, file, headers, accept)

    monkeypatch.setattr(responses, "_file_response", capture)
    return files


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/work-orders/{id}/report", "application/pdf"),
        ("/work-orders/report?format=xlsx", XLSX),
        ("/work-orders/report?format=csv", "text/csv; charset=utf-8"),
        ("/work-orders/report?format=pdf", "application/pdf"),
        ("/tasks/report?format=pdf", "application/pdf"),
        ("/tasks/report?format=xlsx", XLSX),
        ("/tasks/report?format=csv", "text/csv; charset=utf-8"),
    ],
)
def test_accept_json_answers_the_file_as_base64_in_json(
    api: Api, job: dict[str, Any], monkeypatch: pytest.MonkeyPatch, path: str, media_type: str
) -> None:
    files = captured_files(monkeypatch)
    response = api.get(path.format(id=job["id"]), headers={"Accept": "application/json"})
    assert response.status == 200, response.body
    assert response.headers["Content-Type"] == "application/json"
    assert "Content-Disposition" not in response.headers
    assert response.headers["Vary"] == "Accept"
    body = response.json()
    assert set(body) == {"filename", "media_type", "size", "content_base64"}
    content = base64.b64decode(body["content_base64"], validate=True)
    (file,) = files
    assert content == file.content  # exactly the bytes the file would have been
    assert (body["media_type"], body["size"], body["filename"]) == (media_type, len(content), file.filename)
    if media_type.startswith("text/csv"):
        assert content == download(api, path.format(id=job["id"]), media_type)
    else:
        assert content[:4] in (b"%PDF", b"PK\x03\x04")


def test_errors_stay_errors_and_other_accepts_get_the_file(api: Api, job: dict[str, Any]) -> None:
    refused = api.get("/work-orders/report?format=xls", headers={"Accept": "application/json"})
    assert refused.status == 422 and "error" in refused.json()
    path = f"/work-orders/{job['id']}/report"
    for accept in (
        "*/*",
        "application/pdf",
        "application/pdf, application/json",
        "application/json;q=0.5, */*",
        "text/html,application/xhtml+xml,*/*;q=0.8",
        "application/json;q=0",
    ):
        response = api.get(path, headers={"Accept": accept})
        assert response.headers["Content-Type"] == "application/pdf", accept
    wrapped = api.get(path, headers={"Accept": "application/json, text/plain, */*"})  # axios' default
    assert wrapped.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("accept", "media_type", "wanted"),
    [
        (None, "application/pdf", False),
        ("", "application/pdf", False),
        ("application/json", "text/csv; charset=utf-8", True),
        ("APPLICATION/JSON", "application/pdf", True),
        ("application/*", "text/csv; charset=utf-8", True),
        ("application/*", "application/pdf", False),
        ("text/*, application/json", "text/csv; charset=utf-8", True),
        ("text/csv, application/json", "text/csv; charset=utf-8", False),
        ("application/json;q=0.9, application/pdf;q=0.8", "application/pdf", True),
        ("application/json;q=abc", "application/pdf", False),
        ("application/json;q=1.0", "application/pdf", True),
    ],
)
def test_content_negotiation(accept: str | None, media_type: str, wanted: bool) -> None:
    assert prefers_json(accept, media_type) is wanted
    file = FileDownload(
        b"a,b\r\n" if media_type.startswith("text/") else b"\x00\xffbytes", media_type, "a.bin"
    )
    result = proxy_response(200, file, accept=accept)
    assert (result["headers"]["Content-Type"] == "application/json") is wanted


def test_every_report_route_documents_its_files_and_json() -> None:
    document = build_document()
    assert {route.path for route in REPORT_ROUTES} >= {
        "/tasks/report",
        "/work-orders/report",
        "/work-orders/{work_order_id}/report",
    }
    for route in REPORT_ROUTES:
        operation = document["paths"][route.path][route.method.lower()]
        content = operation["responses"]["200"]["content"]
        bare = {media.split(";")[0] for media in spec_of(route).files}
        assert set(content) == {*bare, "application/json"}, route.path
        assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/FileEnvelope"}
        assert "application/json" in operation["responses"]["200"]["description"]
        assert route.layers == ("reports",) and route.tag in ("tasks", "work-orders")
    envelope = document["components"]["schemas"]["FileEnvelope"]
    assert set(envelope["required"]) == {"filename", "media_type", "size", "content_base64"}
    single = document["paths"]["/work-orders/{work_order_id}/report"]["get"]
    assert "404" in single["responses"]
    listed = {p["name"] for p in document["paths"]["/work-orders/report"]["get"]["parameters"]}
    assert {"format", "state", "status", "q", "sort"} <= listed and not {"limit", "next"} & listed


def test_a_closed_date_range_reads_the_list_index(api: Api, orders: list[dict[str, Any]]) -> None:
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    query = f"sort=closed&closed_from={since}"
    rows = csv_rows(download(api, f"/work-orders/report?format=csv&{query}", "text/csv; charset=utf-8"))
    assert [row["Work order ID"] for row in rows] == [orders[0]["id"]] == list_ids(api, query)
