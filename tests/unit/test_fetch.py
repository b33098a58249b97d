"""pipeline.fetch against recorded responses served from a local HTTP server (no network).

The server serves tests/fixtures/recorded/responses/<source>/<path>; a test can replace any path's
response (status, body, delay, a Content-Length larger than the body) to simulate failures.
"""
import hashlib
import http.server
import json
import threading
from pathlib import Path

import pytest

from pipeline import build, epoch_hub, fetch, openrouter

REC = Path(__file__).resolve().parents[1] / "fixtures" / "recorded"
RESPONSES, BASE = REC / "responses", REC / "base"
DATE = "2026-12-01"


class Recorded(http.server.BaseHTTPRequestHandler):
    overrides: dict = {}
    hits: dict = {}
    trickle: dict = {}          # path -> (pieces, pause in s): the body sent in pieces, each within a read timeout

    def do_GET(self):  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        Recorded.hits[path] = Recorded.hits.get(path, 0) + 1
        status, body, delay, claimed = 200, None, 0.0, None
        if path in Recorded.overrides:
            status, body, delay, claimed = Recorded.overrides[path]
        if delay:
            threading.Event().wait(delay)
        if body is None:
            file = RESPONSES / path.lstrip("/")
            if not file.is_file():
                status, body = 404, b"not found"
            else:
                body = file.read_bytes()
        self.send_response(status)
        if claimed != -1:                   # -1: no Content-Length, the body ends when the connection closes
            self.send_header("Content-Length", str(claimed if claimed is not None else len(body)))
        self.end_headers()
        pieces, pause = Recorded.trickle.get(path, (1, 0.0))
        step = -(-len(body) // pieces) or 1
        try:
            for i in range(0, len(body), step):
                self.wfile.write(body[i:i + step])
                self.wfile.flush()
                if pause:
                    threading.Event().wait(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def client(server, monkeypatch):
    monkeypatch.delenv(fetch.AA_KEY_ENV, raising=False)
    Recorded.overrides, Recorded.hits, Recorded.trickle = {}, {}, {}
    return fetch.Client(fetch.base_urls({"*": server}, environ={}), timeout=0.5, retries=2, backoff=0.01)


def _fetch(out, client):
    return fetch.fetch_snapshot(out, BASE, client, DATE)


@pytest.fixture(scope="module")
def snapshot(server, tmp_path_factory):
    """One good snapshot fetched from the recorded responses (shared by the read-only tests)."""
    Recorded.overrides, Recorded.hits = {}, {}
    out = tmp_path_factory.mktemp("snap") / "raw"
    client = fetch.Client(fetch.base_urls({"*": server}, environ={}), timeout=2, retries=0, backoff=0)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(fetch.AA_KEY_ENV, raising=False)
        manifest = fetch.fetch_snapshot(out, BASE, client, DATE)
    return out, manifest


def test_snapshot_has_every_file_the_loaders_read(snapshot):
    out, manifest = snapshot
    for rel in (f"epoch_ai_models/notable_ai_models_{DATE}.csv", f"epoch_eci/epoch_capabilities_index_{DATE}.csv",
                "epoch_eci/epoch_capabilities_index_2026-03-09.csv",
                "epoch_benchmarking_hub/snapshot_2025-12-17/gpqa_diamond.csv",
                "artificial_analysis/aa_api_models_2026-07-31.json", "models_dev/models_dev_lab_models.csv",
                "models_dev/models_dev_provider_models.csv", "openrouter/openrouter_models_2026-08-22.csv",
                "openrouter/openrouter_price_history_points.csv", "lmarena/arena_catalog_2025-12/scatterplot-data.json",
                "livebench/table_2026_01_08.csv", "swebench/swebench_leaderboards_2025-12-10.csv",
                "mlperf_inference/mlperf_inference_v5.1_llm_results.csv", "gpu_rental_prices/gpu_rental_price_stats.csv"):
        assert (out / rel).is_file(), rel
    assert manifest["snapshot_date"] == DATE
    assert json.loads((out / fetch.MANIFEST).read_text()) == manifest


def test_manifest_rows_describe_the_files(snapshot):
    out, manifest = snapshot
    rows = {f["path"]: f for f in manifest["files"]}
    assert set(rows) == {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {fetch.MANIFEST}
    for rel, f in rows.items():
        data = (out / rel).read_bytes()
        assert f["bytes"] == len(data) and f["sha256"] == hashlib.sha256(data).hexdigest()
        assert f["status"] in {"fetched", "derived", "carried", "skipped"} and f["retrieved_at"].endswith("Z")
    notable = rows[f"epoch_ai_models/notable_ai_models_{DATE}.csv"]      # kept dated: the loader reads the newest
    assert notable["status"] == "fetched" and notable["url"].endswith("/epoch_models/notable_ai_models.csv")
    assert notable["licence"] == "CC BY 4.0"
    assert rows["artificial_analysis/aa_api_models_2026-07-31.json"]["status"] == "skipped"
    assert rows["mlperf_inference/mlperf_inference_v5.1_llm_results.csv"]["status"] == "carried"


def test_fetched_files_keep_the_recorded_bytes(snapshot):
    out, _ = snapshot
    assert (out / f"epoch_ai_models/notable_ai_models_{DATE}.csv").read_bytes() == \
        (RESPONSES / "epoch_models/notable_ai_models.csv").read_bytes()
    assert (out / "openrouter/openrouter_models_2026-08-22.json").read_bytes() == \
        (RESPONSES / "openrouter/models").read_bytes()


def test_derived_openrouter_row_matches_the_api_entry(snapshot):
    out, _ = snapshot
    api = json.loads((RESPONSES / "openrouter/models").read_text())["data"][0]
    import csv
    rows = {r["id"]: r for r in csv.DictReader(open(out / "openrouter/openrouter_models_2026-08-22.csv"))}
    row = rows[api["id"]]
    assert float(row["prompt_usd_per_mtok"]) == pytest.approx(float(api["pricing"]["prompt"]) * 1e6)
    assert row["author"] == api["id"].split("/")[0] and row["hugging_face_id"] == (api["hugging_face_id"] or "")


def test_price_history_adds_points_only_for_changes():
    hist = [{"id": "a/x", "name": "X", "first_seen": "2025-01-01", "last_seen": "2025-06-01", "present_now": "True",
             "date": "2025-01-01", "prompt_usd_per_mtok": "1", "completion_usd_per_mtok": "2"},
            {"id": "a/gone", "name": "G", "first_seen": "2025-01-01", "last_seen": "2025-06-01", "present_now": "True",
             "date": "2025-01-01", "prompt_usd_per_mtok": "1", "completion_usd_per_mtok": "1"}]
    cat = [{"id": "a/x", "name": "X", "prompt_usd_per_mtok": "1", "completion_usd_per_mtok": "2"},
           {"id": "a/y", "name": "Y", "prompt_usd_per_mtok": "0.5", "completion_usd_per_mtok": "1.5"}]
    out = openrouter.update_price_history(hist, cat, "2026-12-01")
    assert [(r["id"], r["date"], r["present_now"], r["last_seen"]) for r in out] == [
        ("a/x", "2025-01-01", "True", "2026-12-01"), ("a/gone", "2025-01-01", "False", "2025-06-01"),
        ("a/y", "2026-12-01", "True", "2026-12-01")]
    cat[0]["prompt_usd_per_mtok"] = "0.8"
    moved = openrouter.update_price_history(hist, cat, "2026-12-01")
    assert [(r["date"], r["prompt_usd_per_mtok"]) for r in moved if r["id"] == "a/x"] == [
        ("2025-01-01", "1"), ("2026-12-01", "0.8")]


def test_build_accepts_the_fetched_snapshot(snapshot, tmp_path):
    out, _ = snapshot
    data = tmp_path / "data"
    assert build.main(["--raw", str(out), "--out", str(data), "--previous", str(tmp_path / "none")]) == 0
    log = json.loads((data / "changelog.json").read_text())
    assert log["current"] == {"snapshot_date": DATE, "date_from": "raw manifest"}
    assert (data / "models.csv").exists() and (data / "changelog.md").read_text().startswith("# Data changelog")


def test_build_stops_on_a_loader_failure_and_leaves_data(snapshot, tmp_path, capsys):
    out, _ = snapshot
    bad = tmp_path / "raw"
    import shutil
    shutil.copytree(out, bad)
    csv_path = bad / "openrouter/openrouter_models_2026-08-22.csv"
    csv_path.write_text(csv_path.read_text().replace("prompt_usd_per_mtok", "prompt_price", 1))
    data = tmp_path / "data"
    data.mkdir()
    (data / "models.csv").write_text("published")
    assert build.main(["--raw", str(bad), "--out", str(data), "--only", "openrouter"]) == 1
    err = capsys.readouterr().err
    assert "source 'openrouter'" in err and "prompt_usd_per_mtok" in err and "left unchanged" in err
    assert [p.name for p in data.iterdir()] == ["models.csv"] and (data / "models.csv").read_text() == "published"


# --- failures: the message names the source and the problem, the target is untouched --------

@pytest.fixture
def good_target(tmp_path):
    target = tmp_path / "raw"
    target.mkdir()
    (target / "keep.txt").write_text("good snapshot")
    return target


def _fails(target, client, *words):
    with pytest.raises(fetch.FetchError) as err:
        _fetch(target, client)
    for w in words:
        assert w in str(err.value), str(err.value)
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    assert not [p for p in target.parent.iterdir() if ".partial" in p.name]
    return str(err.value)


def test_server_error_is_retried_then_fails(client, good_target):
    Recorded.overrides["/openrouter/models"] = (500, b"oops", 0, None)
    _fails(good_target, client, "openrouter", "HTTP 500", "3 attempt")
    assert Recorded.hits["/openrouter/models"] == 3


def test_client_error_is_not_retried(client, good_target):
    Recorded.overrides["/models_dev/api.json"] = (404, b"gone", 0, None)
    _fails(good_target, client, "models_dev", "HTTP 404")
    assert Recorded.hits["/models_dev/api.json"] == 1


def test_timeout_fails_after_retries(client, good_target):
    client.timeout = 0.2
    Recorded.overrides["/swebench/leaderboards.json"] = (200, b"{}", 0.5, None)
    _fails(good_target, client, "swebench", "timed out")


def test_body_shorter_than_content_length_is_truncated(client, good_target):
    body = (RESPONSES / "epoch_models/notable_ai_models.csv").read_bytes()
    Recorded.overrides["/epoch_models/notable_ai_models.csv"] = (200, body[:5000], 0, len(body))
    _fails(good_target, client, "epoch_models", "truncated")


def test_truncated_json_without_length_is_caught_by_parsing(client, good_target):
    body = (RESPONSES / "openrouter/models").read_bytes()
    Recorded.overrides["/openrouter/models"] = (200, body[: len(body) // 2], 0, None)
    _fails(good_target, client, "openrouter", "not valid JSON")


def test_truncated_csv_last_row_is_caught(client, good_target):
    body = (RESPONSES / "epoch_models/large_scale_ai_models.csv").read_bytes()
    cut = body.rstrip(b"\n").rsplit(b"\n", 1)[0] + b"\nGPT-9,OpenAI\n"
    Recorded.overrides["/epoch_models/large_scale_ai_models.csv"] = (200, cut, 0, None)
    _fails(good_target, client, "epoch_models", "large_scale_ai_models.csv", "truncated")


def test_changed_column_names_the_source_and_column(client, good_target):
    body = (RESPONSES / "epoch_models/notable_ai_models.csv").read_bytes()
    Recorded.overrides["/epoch_models/notable_ai_models.csv"] = (
        200, body.replace(b"Model accessibility", b"Accessibility", 1), 0, None)
    msg = _fails(good_target, client, "epoch_models", "notable_ai_models.csv", "Model accessibility", "missing")
    assert "changed its columns" in msg


def test_changed_json_keys_name_the_source(client, good_target):
    doc = json.loads((RESPONSES / "openrouter/models").read_text())
    for m in doc["data"]:
        m["price"] = m.pop("pricing")
    Recorded.overrides["/openrouter/models"] = (200, json.dumps(doc).encode(), 0, None)
    _fails(good_target, client, "openrouter", "pricing", "changed its format")


def test_a_much_shorter_table_is_refused(client, good_target):
    body = (RESPONSES / "epoch_models/notable_ai_models.csv").read_text()
    import csv
    import io
    rows = list(csv.reader(io.StringIO(body)))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows[:3])
    Recorded.overrides["/epoch_models/notable_ai_models.csv"] = (200, buf.getvalue().encode(), 0, None)
    _fails(good_target, client, "epoch_models", "only 2 rows")


def test_key_is_sent_when_set(server, monkeypatch, tmp_path):
    monkeypatch.setenv(fetch.AA_KEY_ENV, "k")
    Recorded.overrides, Recorded.hits = {}, {}
    client = fetch.Client(fetch.base_urls({"*": server}, environ={}), timeout=2, retries=0, backoff=0)
    manifest = fetch.fetch_snapshot(tmp_path / "raw", BASE, client, DATE)
    rows = {f["path"]: f for f in manifest["files"]}
    assert rows["artificial_analysis/aa_api_models_2026-07-31.json"]["status"] == "fetched"
    assert client.headers["artificial_analysis"] == {"x-api-key": "k"}


def test_base_url_overrides(monkeypatch):
    env = {"OPENCLOSED_FETCH_OPENROUTER_URL": "http://env/or", "OPENCLOSED_FETCH_BASE_URL": "http://mirror"}
    urls = fetch.base_urls({"swebench": "http://cli/swe"}, environ=env)
    assert urls["openrouter"] == "http://env/or" and urls["swebench"] == "http://cli/swe"
    assert urls["epoch_models"] == "http://mirror/epoch_models"
    assert fetch.base_urls({}, environ={})["models_dev"] == "https://models.dev"


def test_cli_reports_failure_without_traceback(server, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(fetch.AA_KEY_ENV, raising=False)
    Recorded.overrides = {"/lmarena/leaderboard-text.json": (200, b'{"coding": {}}', 0, None)}
    code = fetch.main(["--out", str(tmp_path / "raw"), "--base", str(BASE), "--base-url", f"*={server}",
                       "--timeout", "1", "--retries", "0", "--date", DATE])
    assert code == 1
    err = capsys.readouterr().err
    assert "lmarena" in err and "'full' category is missing" in err and "left unchanged" in err
    assert not (tmp_path / "raw").exists()
    Recorded.overrides = {}


# --- a hostile server: slow, huge, plausible but wrong ----------------------------------------

def test_the_timeout_is_a_deadline_for_the_whole_request_not_per_read(client, good_target):
    # before: 20 pieces, each within the read timeout, took 20 x the timeout and the body was accepted
    import time
    client.timeout, client.retries = 0.6, 0
    Recorded.trickle["/epoch_models/notable_ai_models.csv"] = (20, 0.25)      # 5 s in all
    start = time.monotonic()
    _fails(good_target, client, "epoch_models", "timed out after 0.6 s")
    assert time.monotonic() - start < 3          # the deadline, plus this loaded machine's slack


def test_a_body_over_the_sources_size_limit_is_refused_before_or_while_reading(client, good_target):
    client.max_bytes["openrouter"] = 10_000
    _fails(good_target, client, "openrouter", "over this source's limit of 10,000")
    assert Recorded.hits["/openrouter/models"] == 1                      # not retried: it would be as large
    body = (RESPONSES / "openrouter/models").read_bytes()
    Recorded.overrides["/openrouter/models"] = (200, body, 0, -1)      # no Content-Length to refuse early
    _fails(good_target, client, "openrouter", "passed this source's limit of 10,000")


def test_a_zip_member_that_unpacks_too_large_is_refused(client, good_target, monkeypatch):
    monkeypatch.setattr(epoch_hub, "MAX_ZIP_MEMBER", 1_000)      # the limit as epoch_hub.fetch reads it
    _fails(good_target, client, "epoch_hub", "benchmark_data.zip", "unpacks to", "over the limit of 1,000")


def _zip_with(replace: dict[str, bytes]) -> bytes:
    import io
    import zipfile
    src = zipfile.ZipFile(RESPONSES / "epoch_hub/benchmark_data.zip")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            out.writestr(name, replace.get(Path(name).name, src.read(name)))
    return buf.getvalue()


def test_plausible_files_with_wrong_values_are_refused(client, good_target):
    # before: a benchmark file of "x" rows replaced gpqa_diamond.csv and an LMArena rating "high" passed
    import zipfile
    names = zipfile.ZipFile(RESPONSES / "epoch_hub/benchmark_data.zip").namelist()
    gpqa = zipfile.ZipFile(RESPONSES / "epoch_hub/benchmark_data.zip").read(
        next(n for n in names if n.endswith("gpqa_diamond.csv"))).decode()
    header = gpqa.splitlines()[0]
    rows = "\n".join(",".join("x" for _ in header.split(",")) for _ in range(30))
    Recorded.overrides["/epoch_hub/benchmark_data.zip"] = (200, _zip_with({"gpqa_diamond.csv": (
        header + "\n" + rows + "\n").encode()}), 0, None)
    _fails(good_target, client, "epoch_hub", "gpqa_diamond.csv", "row 2", "is not a")
    Recorded.overrides.clear()
    board = json.loads((RESPONSES / "lmarena/leaderboard-text.json").read_text())
    first = next(iter(board["full"]))
    board["full"][first]["rating"] = "high"
    Recorded.overrides["/lmarena/leaderboard-text.json"] = (200, json.dumps(board).encode(), 0, None)
    _fails(good_target, client, "lmarena", "rating", "'high' is not a number")
    board["full"][first]["rating"] = 99_999
    Recorded.overrides["/lmarena/leaderboard-text.json"] = (200, json.dumps(board).encode(), 0, None)
    _fails(good_target, client, "lmarena", "outside 100 to 5000")
    Recorded.overrides.clear()
    doc = json.loads((RESPONSES / "swebench/leaderboards.json").read_text())
    doc["leaderboards"][0]["results"][0]["date"] = "last tuesday"
    Recorded.overrides["/swebench/leaderboards.json"] = (200, json.dumps(doc).encode(), 0, None)
    _fails(good_target, client, "swebench", "'last tuesday' is not a date")
    doc = json.loads((RESPONSES / "openrouter/models").read_text())
    doc["data"][3]["id"] = ""
    Recorded.overrides["/openrouter/models"] = (200, json.dumps(doc).encode(), 0, None)
    _fails(good_target, client, "openrouter", "entry 3, id: empty")


@pytest.mark.parametrize("path, body", [
    ("/models_dev/api.json", b'{"a": {"id": "a", "name": "A", "models": [1, 2]}}'),
    ("/openrouter/models", b'{"data": [' + b'{"id": 5, "name": "x", "created": "soon", "pricing": 7},' * 10 + b'{}]}'),
    ("/lmarena/leaderboard-text.json", b'{"full": [1, 2, 3]}'),
    ("/swebench/leaderboards.json", b'{"leaderboards": [{"name": "x", "results": "none"}]}'),
    ("/livebench/categories_2025_12_23.json", b'{"coding": ["a"], "math": "b"}'),
    ("/epoch_models/notable_ai_models.csv", b"\xff\xfe\x00garbage"),
])
def test_malformed_payloads_fail_in_one_line_naming_the_source(server, tmp_path, capsys, monkeypatch, path, body):
    monkeypatch.delenv(fetch.AA_KEY_ENV, raising=False)
    Recorded.overrides, Recorded.trickle = {path: (200, body, 0, None)}, {}
    target = tmp_path / "raw"
    target.mkdir()
    (target / "keep.txt").write_text("good snapshot")
    code = fetch.main(["--out", str(target), "--base", str(BASE), "--base-url", f"*={server}",
                       "--timeout", "2", "--retries", "0", "--date", DATE])
    Recorded.overrides = {}
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fetch failed") and path.split("/")[1] in lines[0], err
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_a_killed_runs_leftovers_are_removed_by_the_next_run(client, tmp_path):
    import os
    out = tmp_path / "raw"
    dead = tmp_path / ".raw.partial-999999999"
    old = tmp_path / ".raw.old-999999999"
    alive = tmp_path / f".raw.partial-{os.getppid()}"        # a running process's folder is left alone
    for folder in (dead, old, alive):
        (folder / "epoch_hub").mkdir(parents=True)
    other = tmp_path / ".other.partial-999999999"
    other.mkdir()
    _fetch(out, client)
    assert not dead.exists() and not old.exists() and alive.exists() and other.exists()
    assert (out / MANIFEST_NAME).exists()


MANIFEST_NAME = fetch.MANIFEST
