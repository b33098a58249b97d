"""The test command's stage report (scripts/stage_report.py): counts from pytest's JUnit XML, times, the total."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("stage_report", ROOT / "scripts" / "stage_report.py")
stage_report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(stage_report)

# pytest-xdist writes one <testsuites> with one <testsuite>; older pytest a bare <testsuite>
JUNIT = ('<?xml version="1.0"?><testsuites><testsuite name="pytest" errors="1" failures="2" skipped="3" tests="70" '
         'time="12.0"></testsuite></testsuites>')


def test_counts_split_the_tests_into_passed_failed_errors_skipped(tmp_path):
    path = tmp_path / "r.xml"
    path.write_text(JUNIT)
    assert stage_report.counts(path) == {"passed": 64, "failed": 2, "errors": 1, "skipped": 3}
    path.write_text('<testsuite tests="5" failures="0" errors="0" skipped="1"/>')
    assert stage_report.counts(path) == {"passed": 4, "failed": 0, "errors": 0, "skipped": 1}
    assert stage_report.counts(tmp_path / "missing.xml") == {}
    (tmp_path / "cut.xml").write_text("<testsuites><testsuite tests=")
    assert stage_report.counts(tmp_path / "cut.xml") == {}


def test_a_stage_line_says_its_outcome_time_and_counts(tmp_path):
    path = tmp_path / "r.xml"
    path.write_text(JUNIT)
    row = stage_report.line("browser", 474.04, 1, path).split("\t")
    assert row[0].strip() == "browser" and row[1].strip() == "FAILED (exit 1)"
    assert row[2].strip() == "474.0 s (7 min 54 s)"
    assert row[3] == "64 passed, 2 failed, 1 errors, 3 skipped"
    assert [c.strip() for c in stage_report.line("audit", 4.2, 0).split("\t")] == ["audit", "ok", "4.2 s"]
    assert "no test report" in stage_report.line("unit+app", 3.0, 2, tmp_path / "missing.xml")


def test_the_total_is_the_wall_time_after_setup_against_the_budget(tmp_path):
    log = tmp_path / "stages.tsv"
    log.write_text("\n".join([stage_report.line("setup", 200.0, 0), stage_report.line("audit", 5.0, 0),
                              stage_report.line("unit+app", 300.0, 0), stage_report.line("browser", 290.0, 0)]))
    out = stage_report.total(log, 600, 595.0)          # the audit ran beside the unit tests: not a sum
    assert "tests     595.0 s (9 min 55 s): within the 10-minute budget" in out
    assert "(setup 200.0 s (3 min 20 s) not included)" in out
    assert "605.0 s (10 min 5 s): OVER the 10-minute budget" in stage_report.total(log, 600, 605.0)
