"""Lines of the test command's stage report (scripts/run_tests.sh): each stage's wall time and test counts.

    stage_report.py line NAME SECONDS EXIT_CODE [JUNIT_XML]   one stage's line (appended to the log by the caller)
    stage_report.py total LOG BUDGET_SECONDS TESTS_SECONDS    the stage lines again, the tests' wall time, setup's

Counts come from pytest's JUnit XML (`--junitxml`, which pytest-xdist merges); a stage without one (setup, the
audit) shows only its time and outcome. Standard library only: it runs before anything is installed."""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def counts(junit: Path) -> dict[str, int]:
    """passed, failed, errors and skipped over every test suite in a JUnit XML file (none when it is missing or
    unreadable: a run that crashed before writing it)."""
    try:
        root = ET.parse(junit).getroot()
    except (OSError, ET.ParseError):
        return {}
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
    return {"passed": total["tests"] - total["failures"] - total["errors"] - total["skipped"],
            "failed": total["failures"], "errors": total["errors"], "skipped": total["skipped"]}


def duration(seconds: float) -> str:
    """'74.2 s (1 min 14 s)'; under a minute just '42.0 s'."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{seconds:.1f} s" + (f" ({minutes} min {rest} s)" if minutes else "")


def line(name: str, seconds: float, exit_code: int, junit: Path | None = None) -> str:
    """One stage: name, outcome, wall time and, for a test stage, its counts."""
    found = counts(junit) if junit else {}
    if junit and not found:
        tally = "no test report (the run stopped before writing it)"
    else:
        tally = ", ".join(f"{n} {k}" for k, n in found.items())
    outcome = "ok" if exit_code == 0 else f"FAILED (exit {exit_code})"
    return "\t".join([f"{name:<10}", f"{outcome:<16}", f"{duration(seconds):<22}", tally]).rstrip()


def total(log: Path, budget: float, tests: float) -> str:
    """The stage lines, then the tests' wall time (everything after setup: stages may overlap) against `budget`,
    and setup's time."""
    rows = [r.split("\t") for r in log.read_text().splitlines() if r.strip()]
    seconds = {r[0].strip(): float(r[2].split()[0]) for r in rows}
    verdict = "within" if tests <= budget else "OVER"
    out = ["", "== test command: stages ==", *("  ".join(r) for r in rows),
           f"tests     {duration(tests)}: {verdict} the {budget / 60:g}-minute budget"
           f" (setup {duration(seconds.get('setup', 0.0))} not included)"]
    return "\n".join(out)


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    if cmd == "line":
        name, secs, rc, *junit = args
        print(line(name, float(secs), int(rc), Path(junit[0]) if junit else None))
    elif cmd == "total":
        print(total(Path(args[0]), float(args[1]), float(args[2])))
    else:
        sys.exit(f"unknown command {cmd!r}: use 'line' or 'total'")
