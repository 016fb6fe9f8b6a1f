"""The 45-minute plan is written in several places; they must all say the same minutes.

The plan's table in docs/interview/index.md is the source. The phase headings there and in the mock
interview, the practice timer's table and its `data-phase-minutes` headings (which drive the
timer), and the Gantt diagram repeat it, because each page must read on its own.
"""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INTERVIEW = ROOT / "docs" / "interview"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _table_minutes(text: str) -> list[tuple[int, int, int]]:
    """(minutes, start, end) from table rows like `| 1. Name | 8 | 0–8 |`."""
    rows = re.findall(r"^\| \d\. [^|]+\| (\d+) \| (\d+)–(\d+) \|", text, flags=re.M)
    return [tuple(int(x) for x in row) for row in rows]


def _heading_clocks(text: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in re.findall(r"^## Phase \d: .* \((\d+)–(\d+) min\)$", text, flags=re.M)]


def source_plan() -> list[tuple[int, int, int]]:
    plan = _table_minutes(_read(INTERVIEW / "index.md"))
    assert len(plan) == 4, "the plan table in docs/interview/index.md should have four phases"
    return plan


def test_the_source_plan_adds_up_to_45_minutes_without_gaps():
    plan = source_plan()
    clock = 0
    for minutes, start, end in plan:
        assert (start, end) == (clock, clock + minutes)
        clock = end
    assert clock == 45


def test_phase_headings_match_the_plan():
    clocks = [(start, end) for _, start, end in source_plan()]
    for page in ("index.md", "mock-video-recommendations.md"):
        assert _heading_clocks(_read(INTERVIEW / page)) == clocks, page


def test_practice_timer_matches_the_plan():
    text = _read(INTERVIEW / "practice-timer.md")
    plan = source_plan()
    assert _table_minutes(text) == plan
    timer_minutes = [int(m) for m in re.findall(r'data-phase-minutes="(\d+)"', text)]
    assert timer_minutes == [minutes for minutes, _, _ in plan]


def test_timeline_diagram_matches_the_plan():
    text = _read(ROOT / "diagrams" / "interview" / "index" / "timeline.mmd")
    bars = [int(m) for m in re.findall(r"^\s+[^:\n]+:p\d, [^,]+, (\d+)m$", text, flags=re.M)]
    assert bars == [minutes for minutes, _, _ in source_plan()]
