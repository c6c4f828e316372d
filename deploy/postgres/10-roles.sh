#!/bin/sh
# Run once by the postgres image when its data folder is created (mounted at /docker-entrypoint-initdb.d).
#
# Two ordinary roles, neither a superuser:
# - the owner ($DB_OWNER_USER) owns the database and its schema; only the one-shot `migrate` service connects
#   as it, to create and change tables;
# - the runtime role ($DB_APP_USER), which web, worker and beat connect as, may read and write rows of the
#   owner's tables and nothing else: it owns no table, so it can neither disable nor drop a trigger (the
#   append-only events, ledger and role changes stay append-only), and it has no TRUNCATE.
# tests/hardening/test_database_roles.py proves a role with exactly these rights is refused.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" -v owner="$DB_OWNER_USER" -v owner_password="$DB_OWNER_PASSWORD" \
  -v app="$DB_APP_USER" -v app_password="$DB_APP_PASSWORD" <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
ALTER DATABASE :"db" OWNER TO :"owner";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"owner", :"app";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
-- runtime rights: rows only
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
SQL
