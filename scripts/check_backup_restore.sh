#!/usr/bin/env bash
# Scripted check of the README's backup and restore: a demo database with its media folder and .env keys is dumped,
# restored into a new database beside a copy of the files, and the copy must pass `check` and `verify_audit`;
# the same copy started with a different FIELD_ENCRYPTION_KEY must refuse to start. Run by hand (needs PostgreSQL):
#   bash scripts/check_backup_restore.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${PG:-postgres://postgres@127.0.0.1:5432}
SOURCE=unionfunds_backup_source
RESTORED=unionfunds_backup_restored
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python=.venv/bin/python

for db in $SOURCE $RESTORED; do psql "$PG/postgres" -qc "drop database if exists $db" ; done
psql "$PG/postgres" -qc "create database $SOURCE"

run() { # run <database> <media> <data dir> <command…>
  local db=$1 media=$2 data=$3; shift 3
  DEBUG=True DATABASE_URL="$PG/$db" MEDIA_ROOT="$media" DATA_DIR="$data" "$python" manage.py "$@"
}

echo "== a federation's database: migrate, reference data, demo year, one integrity check"
run $SOURCE "$work/media" "$work/data" migrate -v 0
run $SOURCE "$work/media" "$work/data" setup_reference_data -v 0
run $SOURCE "$work/media" "$work/data" load_demo >/dev/null
run $SOURCE "$work/media" "$work/data" verify_audit

echo "== backup: pg_dump, the media folder, the data folder (the keys are this checkout's .env)"
pg_dump -Fc "$PG/$SOURCE" > "$work/backup.dump"
cp -a "$work/media" "$work/backup-media"
cp -a "$work/data" "$work/backup-data"

echo "== restore into a new database beside copies of the files"
psql "$PG/postgres" -qc "create database $RESTORED"
pg_restore --no-owner -d "$PG/$RESTORED" "$work/backup.dump"
run $RESTORED "$work/backup-media" "$work/backup-data" check
run $RESTORED "$work/backup-media" "$work/backup-data" verify_audit

echo "== the restored copy with another FIELD_ENCRYPTION_KEY refuses to start"
other=$("$python" -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())')
if FIELD_ENCRYPTION_KEY=$other run $RESTORED "$work/backup-media" "$work/backup-data" check 2>"$work/err"; then
  echo "FAILED: check passed with a wrong FIELD_ENCRYPTION_KEY"; exit 1
fi
grep -q "FIELD_ENCRYPTION_KEY" "$work/err" && echo "refused, naming FIELD_ENCRYPTION_KEY"

for db in $SOURCE $RESTORED; do psql "$PG/postgres" -qc "drop database $db"; done
echo "backup and restore: OK"
