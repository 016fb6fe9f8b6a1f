"""The practice timer page (docs/interview/practice-timer.md, docs/assets/js/practice-timer.js).

The browser tests install Playwright's fake clock before the page loads, so "three minutes later"
takes no real time and the readouts can be compared exactly. Every test runs through the
``site_page`` fixture, so it also fails on a request to another origin, an HTTP error or a console
error.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
PAGE = "interview/practice-timer/"
PLAN_MINUTES = [8, 10, 17, 10]
PHASE_NAMES = [
    "Clarification and business objectives",
    "Data and features",
    "Model design and training",
    "Deployment, scaling and monitoring",
]


# --- the plan is stated in four places; they must agree ------------------------------------------

def _table_minutes(markdown: str) -> list[int]:
    """Minutes column of the first table whose rows start with '| 1. ', '| 2. ', ..."""
    return [int(m) for m in re.findall(r"^\| \d\. [^|]+\| (\d+) \|", markdown, flags=re.M)]


def test_plan_agrees_across_page_table_timer_and_diagram():
    index = (ROOT / "docs/interview/index.md").read_text(encoding="utf-8")
    timer = (ROOT / "docs/interview/practice-timer.md").read_text(encoding="utf-8")
    gantt = (ROOT / "diagrams/interview/index/timeline.mmd").read_text(encoding="utf-8")

    assert _table_minutes(index) == PLAN_MINUTES
    assert _table_minutes(timer) == PLAN_MINUTES
    assert [int(m) for m in re.findall(r'data-phase-minutes="(\d+)"', timer)] == PLAN_MINUTES
    assert re.findall(r'data-phase-name="([^"]+)"', timer) == PHASE_NAMES
    assert [int(m) for m in re.findall(r",\s*(\d+)m\s*$", gantt, flags=re.M)] == PLAN_MINUTES
    assert sum(PLAN_MINUTES) == 45
    # The clock column (0–8, 8–18, ...) follows from the minutes.
    ends = [sum(PLAN_MINUTES[: i + 1]) for i in range(len(PLAN_MINUTES))]
    starts = [0] + ends[:-1]
    clocks = re.findall(r"^\| \d\. [^|]+\| \d+ \| (\d+)–(\d+) \|", index, flags=re.M)
    assert [(int(a), int(b)) for a, b in clocks] == list(zip(starts, ends))
    # The phase headings of the plan and of the mock interview repeat the clock.
    mock = (ROOT / "docs/interview/mock-video-recommendations.md").read_text(encoding="utf-8")
    for page in (index, mock):
        headings = re.findall(r"^## Phase \d: .* \((\d+)–(\d+) min\)$", page, flags=re.M)
        assert [(int(a), int(b)) for a, b in headings] == list(zip(starts, ends))


# --- browser ------------------------------------------------------------------------------------

T0 = datetime(2030, 1, 7, 9, 0, 0)


def _open(site_page, path: str = PAGE):
    """Open the page with a fake clock that only moves when the test says so."""
    site_page.clock.install(time=T0)
    site_page.goto(path)
    if path == PAGE:
        site_page.locator(".practice-timer__panel").wait_for()
    site_page.clock.pause_at(T0 + timedelta(minutes=1))
    return site_page


def _readouts(page) -> tuple[str, str, str]:
    clocks = page.locator(".practice-timer__clock")
    return (page.locator(".practice-timer__value").first.inner_text(),
            clocks.nth(0).inner_text(), clocks.nth(1).inner_text())


def test_without_javascript_the_plan_and_checklist_are_there(site_page_factory):
    page = site_page_factory(java_script_enabled=False)
    page.goto(PAGE)
    table = page.locator("article table").first
    for name in PHASE_NAMES:
        assert name in table.inner_text()
    assert page.locator("[data-practice-timer] li.task-list-item").count() >= 20
    assert page.locator(".practice-timer__panel").count() == 0


def test_start_counts_down_and_pause_stops_it(site_page):
    page = _open(site_page)
    assert _readouts(page) == ("1 of 4: Clarification and business objectives", "08:00", "45:00")

    start = page.get_by_role("button", name="Start")
    start.click()
    page.clock.run_for(90_000)
    assert _readouts(page)[1:] == ("06:30", "43:30")

    page.get_by_role("button", name="Pause").click()
    assert "Paused" in page.get_by_role("status").inner_text()
    page.clock.run_for(120_000)
    assert _readouts(page)[1:] == ("06:30", "43:30"), "the clock moved while paused"

    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(30_000)
    assert _readouts(page)[1:] == ("06:00", "43:00")

    page.get_by_role("button", name="Reset timer").click()
    assert _readouts(page)[1:] == ("08:00", "45:00")
    assert page.get_by_role("button", name="Start").is_visible()


def test_phase_change_is_announced_and_marked(site_page):
    page = _open(site_page)
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(8 * 60_000 + 5_000)
    phase, left, total = _readouts(page)
    assert phase == "2 of 4: Data and features"
    assert (left, total) == ("09:55", "36:55")
    status = page.locator(".practice-timer__status")
    assert status.get_attribute("aria-live") == "polite"
    assert "Phase 2 of 4: Data and features" in status.inner_text()
    current = page.locator("[data-phase-minutes][aria-current='step']")
    assert current.count() == 1 and current.get_attribute("data-phase-name") == "Data and features"

    page.get_by_role("button", name="Skip to next phase").click()
    assert _readouts(page)[0] == "3 of 4: Model design and training"
    assert _readouts(page)[1:] == ("17:00", "27:00")

    page.clock.run_for(27 * 60_000 + 1_000)
    assert _readouts(page)[1:] == ("00:00", "00:00")
    assert "Time is up" in status.inner_text()
    assert page.get_by_role("button", name="Start").is_disabled()


def test_keyboard_only_use(site_page):
    page = _open(site_page)
    start = page.get_by_role("button", name="Start")
    start.focus()
    page.keyboard.press("Enter")
    page.clock.run_for(10_000)
    assert _readouts(page)[2] == "44:50"
    page.keyboard.press("Space")  # focus stays on the same button, now named "Pause"
    assert page.get_by_role("button", name="Resume").is_visible()

    box = page.get_by_role("checkbox", name="Proposed a simple baseline first")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()


def test_ticks_persist_across_reload_and_clear(site_page):
    page = _open(site_page)
    first = page.get_by_role("checkbox", name="Stated and wrote down working assumptions")
    second = page.get_by_role("checkbox", name="Split the data by time and said why")
    # Readers click the item's text, which is part of the checkbox's label.
    page.get_by_text("Stated and wrote down working assumptions").click()
    page.get_by_text("Split the data by time and said why").click()
    assert first.is_checked() and second.is_checked()
    assert "2 of " in page.locator(".practice-timer__progress").inner_text()

    page.reload()
    page.locator(".practice-timer__panel").wait_for()
    first = page.get_by_role("checkbox", name="Stated and wrote down working assumptions")
    second = page.get_by_role("checkbox", name="Split the data by time and said why")
    assert first.is_checked() and second.is_checked()
    assert page.locator("[data-practice-timer] input:checked").count() == 2

    page.get_by_role("button", name="Clear ticks").click()
    page.reload()
    page.locator(".practice-timer__panel").wait_for()
    assert page.locator("[data-practice-timer] input:checked").count() == 0


def test_running_timer_survives_reload(site_page):
    page = _open(site_page)
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(60_000)
    page.reload()
    page.locator(".practice-timer__panel").wait_for()
    page.clock.run_for(60_000)
    assert _readouts(page)[2] == "43:00"
    assert page.get_by_role("button", name="Pause").is_visible()


def test_instant_navigation_mounts_once_and_cleans_up(site_page, site_server):
    page = _open(site_page, "interview/")
    assert page.evaluate("typeof window.document$") == "object", "instant navigation is off?"
    page.evaluate("window.__sameDocument = true")  # lost if a link causes a full page load
    page.locator("article a[href$='practice-timer/']").first.click()
    page.locator(".practice-timer__panel").wait_for()
    assert page.evaluate("window.__sameDocument === true"), "the link reloaded the page"
    assert page.locator(".practice-timer__panel").count() == 1
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(5_000)

    # Away and back by in-site links: one panel again, the run continues, no stray interval.
    page.locator("article a[href$='rubric/']").first.click()
    page.wait_for_url(re.compile(r"/interview/rubric/$"))
    expect(page.locator("article h1")).to_have_text(re.compile("rubric", re.I))
    expect(page.locator(".practice-timer__panel")).to_have_count(0)
    page.clock.run_for(5_000)
    page.go_back()
    page.locator(".practice-timer__panel").wait_for()
    expect(page.locator(".practice-timer__panel")).to_have_count(1)
    page.clock.run_for(1_000)
    assert _readouts(page)[2] == "44:49"
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_panel_follows_colour_scheme_and_passes_axe(site_page_factory, axe_source, scheme):
    page = site_page_factory(color_scheme=scheme, bypass_csp=True)
    page.goto(PAGE)
    page.locator(".practice-timer__panel").wait_for()
    page.get_by_role("button", name="Start").click()
    colour = page.locator(".practice-timer__clock").first.evaluate("e => getComputedStyle(e).color")
    r, g, b = (int(v) for v in re.findall(r"\d+", colour)[:3])
    light_text = (r + g + b) / 3 > 128
    assert light_text == (scheme == "dark"), f"{scheme}: clock text colour {colour}"

    page.evaluate(axe_source + "\n;undefined")
    violations = page.evaluate("""async () => {
        const r = await axe.run(document.querySelector('[data-practice-timer]'),
                                {resultTypes: ['violations']});
        return r.violations.map(v => `${v.impact}: ${v.id} at ${v.nodes.map(n => n.target).join(', ')}`);
    }""")
    assert violations == []
