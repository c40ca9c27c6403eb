"""Building a sheet on the trainer page by clicking, shared by the trainer's browser tests."""

from __future__ import annotations

from typing import Any

TIMEOUT_MS = 120_000


def build_sheet(page: Any, n: int = 4, seed: int = 1) -> str:
    """Build a sheet on the private-partner topic; return its id once it is shown and listed."""
    page.get_by_label("Private partnere og konsortier", exact=True).check()
    page.get_by_label("Antal øvelser").fill(str(n))
    page.get_by_label("Seed").fill(str(seed))
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.endswith("/api/exercises"),
                              timeout=TIMEOUT_MS) as built:
        page.get_by_role("button", name="Byg ark").click()
    assert built.value.ok, built.value.text()
    sheet_id = built.value.json()["sheet"]["sheet_id"]
    page.locator(f'#saved li[data-sheet-id="{sheet_id}"]').wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(f"document.querySelectorAll('#items li.item').length === {n}")
    return sheet_id
