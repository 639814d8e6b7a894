"""``manage.py grant_app_role govinfo_app``: give the application's PostgreSQL role what it needs and no more.

The site runs as a role that owns nothing; migrations run as the owner (README, "Deployment"). Run this
as the owner after every ``migrate``: new tables get their grants. The role gets SELECT, INSERT, UPDATE
and DELETE on every table of the schema, except the audit trail — SELECT and INSERT on its events,
SELECT, INSERT and UPDATE on its chain head (whose triggers let it only advance) — and the sequences it
inserts with. Not owning the tables, it can neither TRUNCATE them, ALTER them, nor disable or drop their
triggers.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

AUDIT_TABLES = {
    "audit_auditevent": "SELECT, INSERT",
    "audit_chainhead": "SELECT, INSERT, UPDATE",
}


def statements(role: str, tables: list[str], sequences: list[str], database: str, schema: str) -> list[str]:
    quote = connection.ops.quote_name
    found = [f"GRANT CONNECT ON DATABASE {quote(database)} TO {quote(role)}"]
    found.append(f"GRANT USAGE ON SCHEMA {quote(schema)} TO {quote(role)}")
    for table in tables:
        found.append(f"REVOKE ALL ON TABLE {quote(table)} FROM {quote(role)}")
        rights = AUDIT_TABLES.get(table, "SELECT, INSERT, UPDATE, DELETE")
        found.append(f"GRANT {rights} ON TABLE {quote(table)} TO {quote(role)}")
    for sequence in sequences:
        found.append(f"GRANT USAGE, SELECT ON SEQUENCE {quote(sequence)} TO {quote(role)}")
    return found


class Command(BaseCommand):
    help = "Grant the application's PostgreSQL role its rights (run as the owner after every migrate)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the site connects as, e.g. govinfo_app")
        parser.add_argument("--print", action="store_true", help="print the SQL instead of running it")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL (SQLite has no roles).")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema(), current_database()")
            schema, database = cursor.fetchone()
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(
                    f"PostgreSQL role {role!r} does not exist: CREATE ROLE {role} LOGIN; first."
                )
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.rolname = %s AND n.nspname = %s",
                [role, schema],
            )
            owned = [row[0] for row in cursor.fetchall()]
            if owned:
                raise CommandError(
                    f"{role} owns {', '.join(sorted(owned)[:5])}…: the application's role must own nothing."
                )
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema]
            )
            tables = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = %s ORDER BY sequencename", [schema]
            )
            sequences = [row[0] for row in cursor.fetchall()]
            sql = statements(role, tables, sequences, database, schema)
            if options["print"]:
                self.stdout.write(";\n".join(sql) + ";")
                return
            for statement in sql:
                cursor.execute(statement)
        self.stdout.write(f"{role}: rights granted on {len(tables)} tables and {len(sequences)} sequences.")
