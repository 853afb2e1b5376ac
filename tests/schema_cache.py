"""The migrated SQLite test database, built once and reused by every test process until a migration changes.

Applying doudi's migrations to a fresh SQLite database costs ~35 s of CPU, and every test process (each pytest-xdist
worker, each run) needs one. The first process that needs it runs the migrations as usual and saves the result (the
schema, the content types and permissions the migrations create) under the system's temporary directory, named by a
fingerprint of every installed app's migration files and the Django version; the others copy that file into their
in-memory test database (SQLite's backup API, milliseconds). A changed, added or removed migration changes the
fingerprint, so the migrations run again. A lock makes concurrent workers wait for the first one instead of
migrating too. Only in-memory SQLite test databases are concerned: PostgreSQL (and ``--reuse-db``) work as before.

``DOUDI_TEST_SCHEMA_CACHE=0`` turns it off (every process migrates).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.backends.sqlite3.creation import DatabaseCreation


def _fingerprint() -> str:
    digest = hashlib.sha256(f"django {django.get_version()} sqlite {sqlite3.sqlite_version}".encode())
    for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
        digest.update(app.label.encode())
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _cache_dir() -> Path:
    folder = Path(tempfile.gettempdir()) / f"doudi-test-schema-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def install() -> None:
    """Wrap SQLite's ``create_test_db`` (once per process; called from ``tests/conftest.py``)."""
    if os.environ.get("DOUDI_TEST_SCHEMA_CACHE", "1") == "0" or getattr(DatabaseCreation, "_doudi_cached", False):
        return
    migrate = DatabaseCreation.create_test_db

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        name = self._get_test_db_name()
        if keepdb or not self.is_in_memory_db(name) or self.connection.settings_dict["TEST"].get("MIGRATE") is False:
            return migrate(self, verbosity, autoclobber, serialize, keepdb)
        folder, fingerprint = _cache_dir(), _fingerprint()
        cached = folder / f"{fingerprint}.sqlite3"
        if not cached.exists():
            with open(folder / f"{fingerprint}.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # a second worker waits for the first one's migrations
                if not cached.exists():
                    result = migrate(self, verbosity, autoclobber, serialize, keepdb)
                    partial = folder / f"{fingerprint}.{os.getpid()}.tmp"
                    target = sqlite3.connect(partial)
                    try:
                        self.connection.connection.backup(target)
                    finally:
                        target.close()
                    os.replace(partial, cached)
                    return result
        self._create_test_db(verbosity, autoclobber, keepdb)
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        source = sqlite3.connect(cached)
        try:
            source.backup(self.connection.connection)
        finally:
            source.close()
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        call_command("createcachetable", database=self.connection.alias)
        return name

    DatabaseCreation.create_test_db = create_test_db
    DatabaseCreation._doudi_cached = True
