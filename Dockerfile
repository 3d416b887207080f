# Rapport's image: the app with PostgreSQL support, run as a non-root user, its data folder a
# volume. Build: `docker build -t rapport .`; run it with compose.yaml (docs/deploy.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RAPPORT_DATA_DIR=/data

# pg_dump and pg_restore for `rapport backup` / `rapport restore` (Debian 12's are version 15:
# the server must not be newer than them).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 rapport \
    && mkdir /data && chown rapport:rapport /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY rapport ./rapport
RUN pip install '.[postgres]' && rm -rf /app/build

USER rapport
VOLUME ["/data"]
EXPOSE 8000
# SIGTERM (docker stop) lets requests in flight finish, then stops the worker.
STOPSIGNAL SIGTERM
ENTRYPOINT ["rapport"]
CMD ["serve", "--addr", "0.0.0.0:8000"]
