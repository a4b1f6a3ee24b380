# Sourced by .ci/run: a streaming replica of the local PostgreSQL cluster and a PgBouncer in
# transaction-pooling mode in front of it, for the tests that prove the app runs on both.
#   scale_out_up    installs pgbouncer if missing, creates and starts both, exports
#                   REPLICA_PORT, BOUNCER_PORT, REPLICA_CLUSTER, PG_VERSION
#   scale_out_down  stops and removes both (and the replication line it added to pg_hba.conf)
# Needs root (apt-get, pg_createcluster) and a primary on 127.0.0.1:5432 trusting local users.

REPLICA_PORT="${REPLICA_PORT:-5433}"
BOUNCER_PORT="${BOUNCER_PORT:-6432}"
REPLICA_CLUSTER="${REPLICA_CLUSTER:-bbc_ci_replica}"
PG_VERSION="${PG_VERSION:-$(ls /etc/postgresql | sort -n | tail -n 1)}"
BOUNCER_DIR=""
HBA_MARK="# bbc-ci replication"
export REPLICA_PORT BOUNCER_PORT REPLICA_CLUSTER PG_VERSION

_as_postgres() { runuser -u postgres -- "$@"; }
_primary() { psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

scale_out_up() {
  if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
    echo "── installing pgbouncer"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
  fi
  # The Debian package starts its own instance on 6432; ours uses its own configuration.
  systemctl stop pgbouncer >/dev/null 2>&1 || service pgbouncer stop >/dev/null 2>&1 || true

  echo "── streaming replica of PostgreSQL ${PG_VERSION} on port ${REPLICA_PORT}"
  local hba
  hba="$(_primary -c 'show hba_file')"
  if ! grep -q "$HBA_MARK" "$hba"; then
    echo "host replication all 127.0.0.1/32 trust $HBA_MARK" >>"$hba"
    _primary -c 'select pg_reload_conf()' >/dev/null
  fi
  pg_dropcluster --stop "$PG_VERSION" "$REPLICA_CLUSTER" >/dev/null 2>&1 || true
  pg_createcluster "$PG_VERSION" "$REPLICA_CLUSTER" -p "$REPLICA_PORT" -- --auth=trust >/dev/null
  local data="/var/lib/postgresql/${PG_VERSION}/${REPLICA_CLUSTER}"
  rm -rf "${data:?}"/*
  # -R: standby.signal and primary_conninfo; -X stream: the WAL of the copy comes along.
  _as_postgres pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D "$data" -R -X stream -c fast
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$REPLICA_CLUSTER" start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -q && break; sleep 1; done
  [ "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -qAt -c 'select pg_is_in_recovery()')" = t ]

  echo "── PgBouncer (transaction pooling) on port ${BOUNCER_PORT}"
  BOUNCER_DIR="$(mktemp -d /tmp/bbc-pgbouncer.XXXXXX)"
  chown postgres "$BOUNCER_DIR"
  echo '"postgres" ""' >"$BOUNCER_DIR/users.txt"
  cat >"$BOUNCER_DIR/pgbouncer.ini" <<INI
[databases]
; Every database name goes to the primary: the tests create and drop their own databases.
* = host=127.0.0.1 port=5432
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${BOUNCER_PORT}
unix_socket_dir = ${BOUNCER_DIR}
auth_type = trust
auth_file = ${BOUNCER_DIR}/users.txt
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
pidfile = ${BOUNCER_DIR}/pgbouncer.pid
logfile = ${BOUNCER_DIR}/pgbouncer.log
INI
  chown -R postgres "$BOUNCER_DIR"
  _as_postgres pgbouncer -d -q "$BOUNCER_DIR/pgbouncer.ini"
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$BOUNCER_PORT" -q && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p "$BOUNCER_PORT" -q
}

scale_out_down() {
  if [ -n "$BOUNCER_DIR" ] && [ -f "$BOUNCER_DIR/pgbouncer.pid" ]; then
    kill "$(cat "$BOUNCER_DIR/pgbouncer.pid")" 2>/dev/null || true
    sleep 1
  fi
  [ -n "$BOUNCER_DIR" ] && rm -rf "$BOUNCER_DIR"
  pg_dropcluster --stop "$PG_VERSION" "$REPLICA_CLUSTER" >/dev/null 2>&1 || true
  local hba
  hba="$(_primary -c 'show hba_file' 2>/dev/null)" || return 0
  if [ -n "$hba" ] && grep -q "$HBA_MARK" "$hba"; then
    sed -i "/$HBA_MARK/d" "$hba"
    _primary -c 'select pg_reload_conf()' >/dev/null || true
  fi
}
