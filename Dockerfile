# ILACS Tracker app server: gunicorn serving Django, static files through WhiteNoise.
# Build: docker build -t ilacs-tracker .
# Run:   docker run -e SECRET_KEY=... -e ALLOWED_HOSTS=ilacs.example.gov.uk \
#          -e DATABASE_URL=postgres://... -e SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO \
#          -p 8000:8000 ilacs-tracker
# It holds no state: run as many as you like behind a load balancer against one PostgreSQL.
# Before the first start of a release: docker run ... ilacs-tracker python manage.py migrate
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# WeasyPrint's libraries (PDF export), fonts, and the PostgreSQL client for backups.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .

# Static files with hashed names, collected at build time (the values here are for the build only).
RUN DEBUG=false SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=build.invalid \
    SITE_URL=https://build.invalid python manage.py collectstatic --no-input -v 0

RUN useradd --system --uid 10001 --home-dir /app ilacs && mkdir -p /app/media && chown ilacs /app/media
USER ilacs

ENV DEBUG=false
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD python -c "import os, urllib.request; host = os.environ['ALLOWED_HOSTS'].split(',')[0].strip(); urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/health/', headers={'Host': host}), timeout=4)"
CMD ["gunicorn", "ilacs.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", \
     "--access-logfile", "-"]
