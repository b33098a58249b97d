# Slim, non-root image of the report with the production config and a health check. It also holds the baked edition
# (ui/bake.py) and Debian's nginx to serve it: `nginx -p /app/ -c deploy/nginx.conf -e stderr -g 'daemon off;
# pid /tmp/nginx.pid;'` serves /read/ and proxies the rest to the app (deploy/kubernetes.yaml runs it beside the app).

# The baked edition's chart scripts at the locked versions (deploy/vega), from the npm registry: their builds only
FROM python:3.11-slim AS charts
RUN apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*
COPY deploy/vega/package.json deploy/vega/package-lock.json /vega/
RUN cd /vega && npm ci --no-audit --no-fund \
    && for p in vega vega-lite vega-embed; do mkdir -p /builds/$p/build \
       && cp node_modules/$p/package.json /builds/$p/ && cp node_modules/$p/build/$p.min.js /builds/$p/build/; done

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    MALLOC_ARENA_MAX=2
RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 app
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY --chown=app:app .streamlit .streamlit
COPY --chown=app:app streamlit_app.py ./
COPY --chown=app:app openclosed openclosed
COPY --chown=app:app ui ui
COPY --chown=app:app pages pages
COPY --chown=app:app data data
COPY --chown=app:app deploy deploy
COPY --from=charts /builds deploy/vega/node_modules
# Byte-compile the app once at build time (PYTHONDONTWRITEBYTECODE stops it at run time), compute the pages'
# default views (ui/prebuilt.py): a faster cold start; and bake the static edition of those views (ui/bake.py).
RUN python -m compileall -q streamlit_app.py openclosed ui pages && python -m ui.prebuilt && python -m ui.bake \
    && chown -R app:app .prebuilt baked

USER app
# Framing policy (X-Frame-Options DENY, CSP frame-ancestors 'none') is set by the front that serves this image:
# deploy/nginx.conf, deploy/haproxy.cfg and the Ingress in deploy/kubernetes.yaml (Streamlit sets no response headers).
EXPOSE 8501 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"
CMD ["python", "-m", "streamlit", "run", "streamlit_app.py", "--server.port=8501", "--server.address=0.0.0.0"]
