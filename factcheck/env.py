"""Small typed readers for environment variables that fail loudly on bad values."""

import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_fraction(name: str, default: str) -> Decimal:
    """A fraction in [0, 1), such as 0.05 for ±5%, as a Decimal (exact, for money-like maths)."""
    value = os.environ.get(name)
    text = default if value is None or value.strip() == "" else value.strip()
    try:
        fraction = Decimal(text)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be a number such as 0.05, got {text!r}") from None
    if not fraction.is_finite() or not Decimal(0) <= fraction < Decimal(1):
        raise ImproperlyConfigured(f"{name} must be a fraction within [0, 1), such as 0.05, got {text!r}")
    return fraction


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
