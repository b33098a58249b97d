# Slim, non-root image of the report with the production config and a health check.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    MALLOC_ARENA_MAX=2
RUN useradd --create-home --uid 10001 app
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY --chown=app:app .streamlit .streamlit
COPY --chown=app:app streamlit_app.py ./
COPY --chown=app:app openclosed openclosed
COPY --chown=app:app ui ui
COPY --chown=app:app pages pages
COPY --chown=app:app data data
# Byte-compile the app once at build time (PYTHONDONTWRITEBYTECODE stops it at run time), and compute the pages'
# default views (ui/prebuilt.py): a faster cold start.
RUN python -m compileall -q streamlit_app.py openclosed ui pages && python -m ui.prebuilt && chown -R app:app .prebuilt

USER app
# Framing policy (X-Frame-Options DENY, CSP frame-ancestors 'none') is set by the front that serves this image:
# deploy/haproxy.cfg and the Ingress in deploy/kubernetes.yaml (Streamlit has no setting for response headers).
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"
CMD ["python", "-m", "streamlit", "run", "streamlit_app.py", "--server.port=8501", "--server.address=0.0.0.0"]
