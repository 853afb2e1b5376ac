"""Demo data built once per module for tests that only read it (or write inside their own test transaction, which is
rolled back): building a demo city takes seconds, so the tests that can share one do.

``shared_data`` commits what it builds outside the per-test transactions and flushes the database when the module is
done (or the build fails), so the next module starts from an empty database as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from django.core.management import call_command
from django.test import override_settings

T = TypeVar("T")


def shared_data(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture: ``yield from shared_data(django_db_blocker, build)``."""
    try:
        # Real password hashing costs ~0.3 s a user; these tests are about the data, not hash strength.
        with django_db_blocker.unblock(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ):
            result = build()
        yield result
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
