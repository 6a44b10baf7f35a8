#!/usr/bin/env bash
# A PostgreSQL journal for swhub on this machine, from Debian's packages: installs the server if
# it is missing, makes (or reuses) a cluster listening on 127.0.0.1 only, a role and a database
# for swhub, and prints the journal URL to give `swhub serve --journal` (or hub.journal).
# Idempotent: a second run changes nothing and prints the same URL.
#
#   deploy/postgres.sh            # cluster 15/swhub on port 5433, role and database swhub
#   SWHUB_PG_PORT=5544 SWHUB_PG_DB=hub deploy/postgres.sh
#
# The password is made at the first run and kept in /etc/swhub/postgres.password (mode 0600);
# the URL printed holds it, so treat the output as a secret.
set -euo pipefail

version="${SWHUB_PG_VERSION:-15}"
cluster="${SWHUB_PG_CLUSTER:-swhub}"
port="${SWHUB_PG_PORT:-5433}"
db="${SWHUB_PG_DB:-swhub}"
role="${SWHUB_PG_ROLE:-swhub}"
secret_file="${SWHUB_PG_PASSWORD_FILE:-/etc/swhub/postgres.password}"

if [ "$(id -u)" -ne 0 ]; then
  echo "postgres.sh: run as root (it installs packages and manages a cluster)" >&2
  exit 1
fi

if ! dpkg-query -W -f='${Status}' "postgresql-$version" 2>/dev/null | grep -q "install ok installed"; then
  echo "postgres.sh: installing postgresql-$version"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "postgresql-$version" postgresql-common
fi

# The cluster: Debian's pg_createcluster (config in /etc/postgresql/$version/$cluster).
if ! pg_lsclusters -h | awk '{print $1 "/" $2}' | grep -qx "$version/$cluster"; then
  echo "postgres.sh: creating cluster $version/$cluster on 127.0.0.1:$port"
  pg_createcluster "$version" "$cluster" --port "$port" -- --auth-local=peer --auth-host=scram-sha-256 >/dev/null
fi
conf="/etc/postgresql/$version/$cluster/postgresql.conf"
# Loopback only, and the settings the journal's durability rests on (the journal checks them too).
for setting in "listen_addresses = '127.0.0.1'" "port = $port" "synchronous_commit = on" "fsync = on"; do
  key="${setting%% =*}"
  if ! grep -qx "$setting" "$conf"; then
    sed -i "/^#\?$key[ =]/d" "$conf"
    echo "$setting" >> "$conf"
  fi
done
if pg_ctlcluster "$version" "$cluster" status >/dev/null 2>&1; then
  pg_ctlcluster "$version" "$cluster" reload
else
  pg_ctlcluster "$version" "$cluster" start
fi

# The password, made once.
if [ ! -s "$secret_file" ]; then
  mkdir -p "$(dirname "$secret_file")"
  (umask 077 && openssl rand -hex 24 > "$secret_file")
fi
password="$(cat "$secret_file")"

psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -p "$port" -h /var/run/postgresql "$@"; }
for _ in $(seq 1 30); do
  runuser -u postgres -- pg_isready -q -p "$port" -h /var/run/postgresql && break
  sleep 1
done
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
  psql_admin -c "CREATE ROLE \"$role\" LOGIN"
fi
psql_admin -c "ALTER ROLE \"$role\" PASSWORD '$password'"
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
  psql_admin -c "CREATE DATABASE \"$db\" OWNER \"$role\""
fi

echo "postgres.sh: cluster $version/$cluster on 127.0.0.1:$port, database $db, role $role"
echo "postgresql://$role:$password@127.0.0.1:$port/$db"
