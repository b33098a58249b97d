"""The load generator's pure parts: percentiles, page list, widget parsing and the BackMsgs it sends."""
import random

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Delta_pb2 import Delta

from bench.loadgen import ROOT, Widget, new_value, page_paths, percentile, rerun_msg, summarise, widget_from_delta


def test_percentile_nearest_rank():
    xs = [float(i) for i in range(1, 101)]
    assert percentile(xs, 50) == 50.0
    assert percentile(xs, 95) == 95.0
    assert percentile(xs, 100) == 100.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 95) != percentile([], 95)      # nan


def test_summarise():
    s = summarise([0.1, 0.2, 0.3, 0.4])
    assert s == {"n": 4, "p50": 0.2, "p95": 0.4, "max": 0.4}


def test_page_paths_cover_every_page_file(tmp_path):
    paths = page_paths()
    assert paths[0] == ""                                 # the default page is served at the root
    assert len(paths) == len(list((ROOT / "pages").glob("*.py")))
    app = tmp_path / "app.py"
    app.write_text('import streamlit as st\nst.navigation([st.Page("pages/a_b.py", default=True), '
                   'st.Page("pages/c.py", url_path="see"), st.Page("pages/d_e.py")])\n')
    assert page_paths(app) == ["", "see", "d_e"]


def _delta(kind: str, **fields) -> Delta:
    d = Delta()
    d.fragment_id = fields.pop("fragment_id", "")
    el = getattr(d.new_element, kind)
    for k, v in fields.items():
        if isinstance(v, list):
            getattr(el, k).extend(v)
        else:
            setattr(el, k, v)
    return d


def test_selectbox_sends_another_shown_label():
    w = widget_from_delta(_delta("selectbox", id="$$ID-a-perf_metric", options=["LMArena", "ECI", "AA"], default=0))
    assert (w.kind, w.options, w.default) == ("selectbox", ["LMArena", "ECI", "AA"], [0])
    rng = random.Random(1)
    s = new_value(w, rng)
    assert s.id == "$$ID-a-perf_metric" and s.WhichOneof("value") == "string_value"
    assert s.string_value in ("ECI", "AA")
    assert new_value(w, rng, s).string_value != s.string_value


def test_toggle_flips_a_bool():
    w = widget_from_delta(_delta("checkbox", id="t", default=True))
    s = new_value(w, random.Random(0))
    assert s.WhichOneof("value") == "bool_value" and s.bool_value is False
    assert new_value(w, random.Random(0), s).bool_value is True


def test_numeric_slider_sends_numbers_on_the_grid():
    w = widget_from_delta(_delta("slider", id="s", min=10.0, max=50.0, step=5.0, default=[40.0]))
    assert w.kind == "slider"
    for seed in range(20):
        s = new_value(w, random.Random(seed))
        (v,) = s.double_array_value.data
        assert 10 <= v <= 50 and v % 5 == 0 and v != 40.0
    rng = new_value(Widget("r", "slider", default=[1.0, 3.0], lo=0, hi=10, step=1), random.Random(3))
    lo, hi = rng.double_array_value.data
    assert lo <= hi


def test_select_slider_and_segmented_send_labels():
    ss = widget_from_delta(_delta("slider", id="r", options=["2023-01", "2023-02", "2023-03"], default=[0, 2]))
    assert ss.kind == "select_slider"
    s = new_value(ss, random.Random(0))
    assert len(s.string_array_value.data) == 2 and set(s.string_array_value.data) <= set(ss.options)
    d = Delta()
    d.new_element.button_group.id = "g"
    for label in ("Monthly", "Yearly"):
        d.new_element.button_group.options.add(content=label)
    d.new_element.button_group.default.append(0)
    g = widget_from_delta(d)
    assert g.kind == "segmented" and list(new_value(g, random.Random(0)).string_array_value.data) == ["Yearly"]


def test_disabled_and_unsupported_elements_are_skipped():
    assert widget_from_delta(_delta("selectbox", id="x", options=["a", "b"], disabled=True)) is None
    assert widget_from_delta(_delta("selectbox", id="x", options=["only"])) is None
    assert widget_from_delta(_delta("markdown", body="hi")) is None


def test_rerun_msg_names_the_page_first_then_uses_its_hash():
    state = new_value(Widget("t", "toggle", default=[False]), random.Random(0))
    first = BackMsg.FromString(rerun_msg("cost", "", {}, set()))
    assert first.rerun_script.page_name == "cost" and not first.rerun_script.page_script_hash
    later = BackMsg.FromString(rerun_msg("cost", "abc123", {"t": state}, {"h2", "h1"}, fragment_id="frag"))
    cs = later.rerun_script
    assert cs.page_script_hash == "abc123" and not cs.page_name
    assert [(w.id, w.bool_value) for w in cs.widget_states.widgets] == [("t", True)]
    assert list(cs.cached_message_hashes) == ["h1", "h2"] and cs.fragment_id == "frag"


def test_limited_controls_keep_a_few_values_with_the_default():
    sel = Widget("s", "selectbox", ["a", "b", "c", "d", "e"], [3])
    small = sel.limited(3)
    assert small.options == ["a", "b", "d"] and small.options[small.default[0]] == "d"
    assert sel.limited(0) is sel
    slider = Widget("p", "slider", default=[40.0], lo=10.0, hi=50.0, step=1.0).limited(3)
    seen = {new_value(slider, random.Random(i)).double_array_value.data[0] for i in range(40)}
    assert seen <= {10.0, 30.0, 50.0} and len(seen) >= 2
