"""Accessibility helpers shared by the browser tests: axe-core and keyboard focus."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any


def axe_violations(page: Any, where: str, impacts: Collection[str] | None = None) -> list[str]:
    """Run axe-core on the page; print every violation, return those of ``impacts`` (None: all).

    axe-core comes bundled in the ``axe-playwright-python`` wheel: nothing is fetched.
    """
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    for v in violations:
        targets = [n["target"] for n in v["nodes"]][:5]
        print(f"axe [{where}] {v['id']} ({v['impact']}): {v['help']} {targets}")
    return [f"{where}: {v['id']} ({v['impact']})" for v in violations
            if impacts is None or v["impact"] in impacts]


def focused(page: Any) -> dict:
    """The focused element: tag, id, classes, aria-label, sheet id, text and focus outline."""
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, id: e.id, cls: e.className,
                    label: e.getAttribute('aria-label') || '',
                    sheet: e.dataset.sheetId || '', text: e.textContent.trim(),
                    outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
        }"""
    )


def tab_to(page: Any, matches: Callable[[dict], bool], limit: int = 80) -> dict:
    """Press Tab until the focused element matches; every stop must show a visible focus ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] != "BODY":
            assert now["outline"] != "none" and now["width"] >= 2, now
        if matches(now):
            return now
    raise AssertionError("not reachable with Tab")
