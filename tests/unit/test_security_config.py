"""Production configuration, HTML safety and the deployment manifests."""
import ast
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_config_is_production_sane():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = cfg["server"]
    assert server["enableXsrfProtection"] is True
    assert server["headless"] is True
    assert server["fileWatcherType"] == "none"
    assert 1 <= server["maxUploadSize"] <= 20
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["disableDataExport"] is True    # st.dataframe's toolbar CSV exports formulas raw
    assert cfg["runner"]["postScriptGC"] is False      # a full gc.collect after every run: most of the CPU under load


def _python_files():
    for folder in ("pages", "ui", "openclosed"):
        yield from (ROOT / folder).glob("*.py")
    yield ROOT / "streamlit_app.py"


def test_unsafe_allow_html_is_only_ever_used_with_literal_strings():
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            kw = {k.arg: k.value for k in node.keywords}
            flag = kw.get("unsafe_allow_html")
            if flag is None or (isinstance(flag, ast.Constant) and flag.value is False):
                continue
            body = node.args[0] if node.args else kw.get("body")
            if not (isinstance(body, ast.Constant) and isinstance(body.value, str)):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == [], f"unsafe_allow_html with non-literal content: {offenders}"


def _string_constants(path) -> set[str]:
    """Module-level names bound once to a string literal (fixed HTML/CSS/JS written in the file)."""
    tree = ast.parse(path.read_text())
    return {t.id for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for t in node.targets if isinstance(t, ast.Name)}


def test_no_st_html_or_components_with_dynamic_content():
    """st.html only with fixed text, or on a line marked '# noqa: safe-html' whose inputs the code checks."""
    offenders = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "html"
                    and ast.unparse(node.func.value) in {"st", "components", "components.v1", "st.components.v1"}):
                arg = node.args[0] if node.args else None
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                constant = isinstance(arg, ast.Name) and arg.id in _string_constants(path)
                checked = "# noqa: safe-html" in path.read_text().splitlines()[node.lineno - 1]
                if not (literal or constant or checked):
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_kubernetes_manifest_has_affinity_readiness_and_non_root():
    docs = list(yaml.safe_load_all((ROOT / "deploy" / "kubernetes.yaml").read_text()))
    kinds = {d["kind"]: d for d in docs}
    assert set(kinds) == {"Deployment", "Service", "Ingress"}
    dep, svc = kinds["Deployment"], kinds["Service"]
    ingress = kinds["Ingress"]["metadata"]["annotations"]
    # the same cookie affinity as the local proxy (deploy/haproxy.cfg)
    assert ingress["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    cookie = ingress["nginx.ingress.kubernetes.io/session-cookie-name"]
    assert f"cookie {cookie} insert" in (ROOT / "deploy" / "haproxy.cfg").read_text()
    assert dep["spec"]["replicas"] >= 2
    container = dep["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/_stcore/health"
    assert dep["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    assert svc["spec"]["sessionAffinity"] == "ClientIP"
    assert svc["spec"]["selector"] == dep["spec"]["template"]["metadata"]["labels"]
    # readers reach the pod's nginx (deploy/nginx.conf: the baked edition at /read/), which proxies to the app beside it
    front = next(c for c in dep["spec"]["template"]["spec"]["containers"]
                 if any(p["name"] == svc["spec"]["ports"][0]["targetPort"] for p in c["ports"]))
    assert front["command"][:1] == ["nginx"] and "deploy/nginx.conf" in front["command"]
    assert front["image"] == container["image"]
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert f"listen {front['ports'][0]['containerPort']};" in conf
    assert f"server 127.0.0.1:{container['ports'][0]['containerPort']};" in conf
    assert front["readinessProbe"]["httpGet"]["path"] == "/read/"


def test_dockerfile_is_slim_non_root_with_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in text
    assert "\nUSER app" in text
    assert "HEALTHCHECK" in text and "/_stcore/health" in text
    assert "COPY --chown=app:app data data" in text


def test_deployments_deny_framing_by_default():
    """No page may be framed by another site (clickjacking): Streamlit sends no such header, so both deployment
    configs add it, with nothing allowed to frame the report."""
    haproxy = (ROOT / "deploy" / "haproxy.cfg").read_text()
    assert 'http-response set-header X-Frame-Options "DENY"' in haproxy
    assert 'http-response set-header Content-Security-Policy "frame-ancestors \'none\'"' in haproxy
    docs = list(yaml.safe_load_all((ROOT / "deploy" / "kubernetes.yaml").read_text()))
    ingress = next(d for d in docs if d["kind"] == "Ingress")["metadata"]["annotations"]
    snippet = ingress["nginx.ingress.kubernetes.io/configuration-snippet"]
    assert 'more_set_headers "X-Frame-Options: DENY";' in snippet
    assert "more_set_headers \"Content-Security-Policy: frame-ancestors 'none'\";" in snippet
    assert ingress["nginx.ingress.kubernetes.io/proxy-body-size"] == "2m"      # 1 MB uploads plus framing
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert 'add_header X-Frame-Options "DENY" always;' in nginx
    assert "add_header Content-Security-Policy \"frame-ancestors 'none'\" always;" in nginx
