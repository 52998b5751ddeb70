"""The password hasher the tests use (conftest.py): Django's PBKDF2, with fewer rounds.

The production hasher spends about a second of CPU per password on this machine, and every role
fixture creates a user with one; the tests check who may do what, not the work factor. The hash
format and its checking are Django's own, so logins in the tests take the same code path."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000
