# The cxmaturity image: the web app (gunicorn) and the job worker (`cxmaturity worker`).
# Built and run by compose.yaml; see docs/deploy.md.
FROM python:3.11-slim

# The PDF report: WeasyPrint needs Pango, and HarfBuzz's subsetter to be fast (without it a
# report takes three times as long); DejaVu is the fallback font. The same list as .ci/run.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CXM_INSTANCE_PATH=/var/lib/cxmaturity

WORKDIR /app

# The app's own dependencies at the pinned versions of requirements.lock (which also pins
# the test tools; those stay out). A layer of its own: rebuilt only when the pins change.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > /tmp/runtime.txt \
    && pip install --constraint requirements.lock --requirement /tmp/runtime.txt \
    && rm /tmp/runtime.txt

# The app runs from its folder (templates, static files and questionnaires beside the code).
COPY . .
RUN pip install --no-deps --editable . \
    && pybabel compile -d cxmaturity/translations \
    && useradd --system --uid 10001 --home-dir /var/lib/cxmaturity cxmaturity \
    && mkdir -p /var/lib/cxmaturity \
    && chown cxmaturity /var/lib/cxmaturity

USER cxmaturity
EXPOSE 8000
# Two workers, the shipped settings (timeouts, the access log that redacts tokens).
CMD ["gunicorn", "--config", "python:cxmaturity.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "2", "wsgi:app"]
