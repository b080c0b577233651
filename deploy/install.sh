#!/usr/bin/env bash
# Install (or upgrade) helpdesk on Debian/Ubuntu as three systemd services: web (gunicorn), worker, cron.
#
#   sudo deploy/install.sh --email you@example.com --url https://help.example.com [--postgresql] [--dry-run]
#
# Idempotent: run it again after `git pull` to upgrade. Each run copies this checkout to /opt/helpdesk (the code,
# owned by root, read-only to the service), keeps /opt/helpdesk/instance (database, secret key, attachments,
# backups; owned by the `helpdesk` system user, mode 700) and /etc/helpdesk/helpdesk.env (written once, with a
# generated SECRET_KEY), takes a backup before migrating an existing database, runs `flask db upgrade`, creates
# the owner named by --email unless that account exists, installs the units and (re)starts them, prints the URL.
#
# --postgresql   use PostgreSQL on this machine (a `helpdesk` role and database, peer authentication: no password)
#                instead of SQLite. Only when the environment file is first written.
# --dry-run      print the commands instead of running them (nothing is changed).
# APP_DIR, ENV_DIR and SERVICE_USER (environment) change /opt/helpdesk, /etc/helpdesk and `helpdesk`.
set -euo pipefail

APP_DIR=${APP_DIR:-/opt/helpdesk}
ENV_DIR=${ENV_DIR:-/etc/helpdesk}
SERVICE_USER=${SERVICE_USER:-helpdesk}
UNIT_DIR=${UNIT_DIR:-/etc/systemd/system}
SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENV_FILE="$ENV_DIR/helpdesk.env"
UNITS=(helpdesk-web helpdesk-worker helpdesk-cron)
EMAIL="" URL="" POSTGRESQL=0 DRY_RUN=0

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --email) EMAIL=${2:?--email needs an address}; shift 2 ;;
    --url) URL=${2:?--url needs an address}; shift 2 ;;
    --postgresql) POSTGRESQL=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$EMAIL" ] || { echo "--email (the first owner's address) is required" >&2; exit 2; }
URL=${URL:-http://127.0.0.1:5000}
URL=${URL%/}

say() { printf '\n==> %s\n' "$*"; }
# Run a command, or print it with --dry-run.
run() {
  if [ "$DRY_RUN" = 1 ]; then printf '+ %s\n' "$*"; else "$@"; fi
}
# Write stdin to a file (mode, owner:group), or show where it would go with --dry-run.
write_file() {
  local path=$1 mode=$2 owner=$3
  if [ "$DRY_RUN" = 1 ]; then
    printf '+ write %s (mode %s, %s)\n' "$path" "$mode" "$owner"
    # Show the settings that differ from the template (secrets masked).
    grep -E '^[A-Z_]+=' | sed 's/^SECRET_KEY=.*/SECRET_KEY=<generated>/; s/^\(REDIS_URL=redis:\/\/:\)[^@]*@/\1<password>@/; s/^/    /' || true
  else
    install -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" /dev/null "$path"
    cat >"$path"
  fi
}
# A flask command as the service user, with exactly the services' environment (the env file read by systemd).
app_flask() {
  run systemd-run --quiet --wait --pipe --collect --uid="$SERVICE_USER" --gid="$SERVICE_USER" \
    -p EnvironmentFile="$ENV_FILE" -p WorkingDirectory="$APP_DIR" -p UMask=0077 \
    -E FLASK_APP=app -E HOME="$APP_DIR/instance" "$APP_DIR/.venv/bin/flask" "$@"
}

if [ "$DRY_RUN" = 0 ] && [ "$(id -u)" != 0 ]; then
  echo "Run as root (sudo $0 …), or with --dry-run to see what it would do." >&2
  exit 1
fi
[ -r /etc/os-release ] && . /etc/os-release
case "${ID:-}${ID_LIKE:-}" in
  *debian*|*ubuntu*) ;;
  *) echo "warning: made for Debian and Ubuntu; this looks like ${PRETTY_NAME:-an unknown system}" >&2 ;;
esac

say "Packages"
packages=(python3 python3-venv rsync redis-server)
compgen -G "$SOURCE/static/vendor/htmx-*.min.js" >/dev/null || packages+=(nodejs npm) # front-end files, from npm
[ "$POSTGRESQL" = 1 ] && packages+=(postgresql postgresql-client)
run apt-get update -q
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}"

say "Service user $SERVICE_USER"
if id -u "$SERVICE_USER" >/dev/null 2>&1; then
  echo "exists"
else
  run useradd --system --user-group --home-dir "$APP_DIR/instance" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi

say "Code in $APP_DIR"
# An upgrade: no process keeps running on code being replaced (they start again at the end).
for unit in "${UNITS[@]}"; do run systemctl stop "$unit" 2>/dev/null || true; done
run install -d -m 755 -o root -g root "$APP_DIR"
if [ "$SOURCE" != "$APP_DIR" ]; then
  run rsync -a --delete --chown=root:root --chmod=Du=rwx,Dgo=rx,Fgo=r \
    --exclude=/.git --exclude=/.venv --exclude=/instance --exclude=/node_modules --exclude=/.env \
    --exclude=__pycache__ --exclude=/test-artifacts "$SOURCE/" "$APP_DIR/"
fi
run install -d -m 700 -o "$SERVICE_USER" -g "$SERVICE_USER" "$APP_DIR/instance"
if ! compgen -G "$APP_DIR/static/vendor/htmx-*.min.js" >/dev/null; then
  run sh -c "cd '$APP_DIR' && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && npm run --silent vendor && rm -rf node_modules"
fi

say "Python virtualenv $APP_DIR/.venv"
[ -x "$APP_DIR/.venv/bin/python" ] || run python3 -m venv "$APP_DIR/.venv"
run "$APP_DIR/.venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
run "$APP_DIR/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$APP_DIR/requirements.txt"
run "$APP_DIR/.venv/bin/pybabel" compile -d "$APP_DIR/translations"
run "$APP_DIR/.venv/bin/python" -m compileall -q "$APP_DIR/helpdesk" "$APP_DIR/app.py" "$APP_DIR/gunicorn.conf.py"

database_url=""
if [ "$POSTGRESQL" = 1 ]; then
  say "PostgreSQL (role and database $SERVICE_USER, peer authentication)"
  run systemctl enable --now postgresql
  if [ "$DRY_RUN" = 1 ] || [ -z "$(runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$SERVICE_USER'")" ]; then
    run runuser -u postgres -- createuser "$SERVICE_USER"
  fi
  if [ "$DRY_RUN" = 1 ] || [ -z "$(runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$SERVICE_USER'")" ]; then
    run runuser -u postgres -- createdb --owner="$SERVICE_USER" "$SERVICE_USER"
  fi
  database_url="postgresql:///$SERVICE_USER?host=/var/run/postgresql"
fi

say "Redis (loopback only, with a password)"
redis_conf=/etc/redis/redis.conf
redis_password=""
if [ -f "$redis_conf" ]; then
  redis_password=$(awk '$1 == "requirepass" { print $2 }' "$redis_conf" | tail -n 1 | tr -d '"')
fi
if [ -z "$redis_password" ]; then
  redis_password=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
  if [ "$DRY_RUN" = 1 ]; then
    echo "+ append 'requirepass <generated>' to $redis_conf"
  else
    printf '\n# Added by helpdesk deploy/install.sh: anyone who can write to Redis can run code as the worker.\nrequirepass %s\n' "$redis_password" >>"$redis_conf"
  fi
  run systemctl restart redis-server
fi
run systemctl enable --now redis-server

say "Settings in $ENV_FILE"
run install -d -m 750 -o root -g "$SERVICE_USER" "$ENV_DIR"
if [ -f "$ENV_FILE" ]; then
  echo "exists; kept as it is (compare with $APP_DIR/deploy/helpdesk.env.example for new settings)"
else
  secret_key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
  behind_proxy=0
  case "$URL" in https://*) behind_proxy=1 ;; esac
  sed -e "s|^SECRET_KEY=.*|SECRET_KEY=$secret_key|" \
    -e "s|^BASE_URL=.*|BASE_URL=$URL|" \
    -e "s|^BEHIND_PROXY=.*|BEHIND_PROXY=$behind_proxy|" \
    -e "s|^REDIS_URL=.*|REDIS_URL=redis://:$redis_password@127.0.0.1:6379/0|" \
    -e "s|^#WEB_CONCURRENCY=.*|WEB_CONCURRENCY=$(( $(nproc) > 2 ? $(nproc) : 2 ))|" \
    ${database_url:+-e "s|^#DATABASE_URL=.*|DATABASE_URL=$database_url|"} \
    "$SOURCE/deploy/helpdesk.env.example" | write_file "$ENV_FILE" 640 "root:$SERVICE_USER"
fi

say "Database"
sqlite="$APP_DIR/instance/helpdesk.sqlite3"
if [ -s "$sqlite" ] || grep -qs '^DATABASE_URL=.' "$ENV_FILE"; then
  app_flask ops backup # before any migration touches an existing database
fi
app_flask db upgrade

say "First owner"
if [ "$DRY_RUN" = 1 ]; then
  app_flask accounts create-admin --email "$EMAIL"
elif ! output=$(app_flask accounts create-admin --email "$EMAIL" 2>&1); then
  case "$output" in
    *"exists already"*) echo "$EMAIL exists already; kept" ;;
    *) echo "$output" >&2; exit 1 ;;
  esac
else
  echo "$output"
  echo "(Write the password down now: it is not stored anywhere readable.)"
fi

say "Services"
for unit in "${UNITS[@]}"; do
  sed -e "s|/opt/helpdesk|$APP_DIR|g" -e "s|/etc/helpdesk|$ENV_DIR|g" \
    -e "s|^User=helpdesk|User=$SERVICE_USER|" -e "s|^Group=helpdesk|Group=$SERVICE_USER|" \
    "$SOURCE/deploy/$unit.service" | write_file "$UNIT_DIR/$unit.service" 644 root:root
done
run systemctl daemon-reload
run systemctl enable "${UNITS[@]}"
run systemctl restart "${UNITS[@]}"

say "Done"
bind=$(awk -F= '$1 == "BIND" { print $2 }' "$ENV_FILE" 2>/dev/null || true)
echo "helpdesk is running on ${bind:-127.0.0.1:5000} (systemctl status ${UNITS[*]})."
echo "Open $URL/ and sign in as $EMAIL."
case "$URL" in
  https://*) echo "HTTPS comes from Caddy or nginx in front: $APP_DIR/deploy/Caddyfile.example or nginx.conf.example." ;;
  *) echo "It listens on loopback only: put Caddy or nginx in front (deploy/Caddyfile.example) to reach it from elsewhere." ;;
esac
echo "Backups: nightly into $APP_DIR/instance/backups (BACKUP_CRON); by hand: sudo $APP_DIR/deploy/flask ops backup"
