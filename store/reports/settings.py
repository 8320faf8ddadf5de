"""The reports' settings file: ``settings.toml`` in the data home.

    [reports]
    min_group = 10   # k: suppress groups with fewer distinct buyers than this

``--min-group`` on the command line wins over the file; without either, k is 5.
A file setting lets an owner raise k once for everyone who runs reports; it
cannot go below 1.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from kamei.errors import ConfigError
from kamei.i18n import t

from .model import DEFAULT_MIN_GROUP

__all__ = ["SETTINGS_NAME", "configured_min_group"]

SETTINGS_NAME = "settings.toml"


def configured_min_group(home: Path, given: int | None = None) -> int:
    """k for a report: ``given`` (the option) if set, else the file's, else 5."""
    if given is not None:
        return given
    path = home / SETTINGS_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return DEFAULT_MIN_GROUP
    except OSError as exc:
        raise ConfigError(t("reports.settings.unreadable", path=path)) from exc
    try:
        value = tomllib.loads(text).get("reports", {}).get("min_group", DEFAULT_MIN_GROUP)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(t("reports.settings.not_toml", path=path, error=exc)) from exc
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(t("reports.settings.min_group", path=path))
    return value
