#!/usr/bin/env bash
# The whole test run: lint, Django checks, migrations in sync, then the suite on SQLite and,
# when a PostgreSQL server answers, on PostgreSQL too. Prints which databases it covered.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${RAPPORT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export RAPPORT_DATA_DIR="$scratch/var"

echo "== ruff"
ruff check .
ruff format --check .

echo "== manage.py check / makemigrations --check"
python manage.py check --fail-level WARNING
python manage.py makemigrations --check --dry-run

covered=()
echo "== pytest on SQLite"
RAPPORT_DATABASE_URL="" python -m pytest -q --durations=10 "$@"
covered+=("SQLite")

if python - "$PG_URL" <<'PY'
import sys
import psycopg
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
try:
    psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username, dbname=u.path.lstrip("/"),
                    password=u.password or None, connect_timeout=3).close()
except Exception as error:
    print(f"PostgreSQL not reachable at {u.hostname}:{u.port}: {error}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== pytest on PostgreSQL"
  RAPPORT_DATABASE_URL="$PG_URL" python -m pytest -q --durations=10 "$@"
  covered+=("PostgreSQL")
else
  echo "== PostgreSQL skipped: no server reachable"
fi

echo "Databases covered: ${covered[*]}"
