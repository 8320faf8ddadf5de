"""kamei's messages in English and Japanese.

The mechanism is a message catalog per language, keyed by message id:
``kamei/locale/en.py`` and ``kamei/locale/ja.py`` each hold one ``MESSAGES``
mapping of id to text, with ``str.format`` placeholders (``{shop}``). Code asks
for a message by id with :func:`t`; no user-facing text of a translated command
lives in the code itself. ``tests/test_i18n.py`` checks that both catalogs hold
the same ids with the same placeholders, and that every id the code asks for
exists. (Plain modules rather than gettext ``.po``/``.mo`` files: they need no
build step in a pure-Python wheel and are type-checked like the rest.)

The language is chosen once, as early as possible, because typer fixes help
texts when the command line is built. In order:

1. ``--lang en|ja`` on the command line (read from ``sys.argv`` before typer
   parses anything);
2. ``KAMEI_LANG``;
3. the POSIX locale: ``LC_ALL``, else ``LC_MESSAGES``, else ``LANG``
   (``ja_JP.UTF-8`` and any other ``ja…`` mean Japanese);
4. English.

:func:`set_language` overrides the choice (the root ``--lang`` option, tests).

Errors of the library layers (``connectors``, ``sync``, ``store``) are worded
where they are raised: ``raise UnknownShop(t("store.unknown_shop", name=name))``.
Those layers depend only on this module (no typer, nothing of the CLI), and
the language is a setting of the process, fixed before any command runs, so
``str(exc)`` is already the user's sentence and the CLI edge prints it as it
is. (The alternative, errors carrying an id and values rendered at the edge,
would need every ``str(exc)`` in logs and run records to go through the edge
too, for no gain.) Text a run keeps — ``kamei.log``, a shop's last error in
the store — stays in the language of the run that wrote it.

typer's and click's own words ("Usage", "Options", parse errors) are hooked by
``cli/typer_words.py``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Final

from kamei.locale import en, ja

__all__ = [
    "ENV_LANG",
    "LANGUAGES",
    "catalog",
    "detect",
    "language",
    "set_language",
    "t",
    "translate",
]

ENV_LANG: Final = "KAMEI_LANG"
LANGUAGES: Final = ("en", "ja")
_CATALOGS: Final[Mapping[str, Mapping[str, str]]] = {"en": en.MESSAGES, "ja": ja.MESSAGES}
_LOCALE_VARIABLES: Final = ("LC_ALL", "LC_MESSAGES", "LANG")

_current: str | None = None


def _normalise(value: str | None) -> str | None:
    """``ja_JP.UTF-8`` → ``ja``; ``C``, ``POSIX`` and unknown languages → ``None``."""
    if not value:
        return None
    code = value.strip().split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None


def _from_argv(argv: Sequence[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            return _normalise(argv[index + 1]) or "en"
        if arg.startswith("--lang="):
            return _normalise(arg.partition("=")[2]) or "en"
    return None


def detect(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language for this command line and environment (see the module docstring)."""
    chosen = _from_argv(argv)
    if chosen:
        return chosen
    explicit = environ.get(ENV_LANG, "").strip()
    if explicit:
        return _normalise(explicit) or "en"
    for name in _LOCALE_VARIABLES:
        value = environ.get(name, "").strip()
        if value:  # the first one set decides, as in POSIX, even when it says "C"
            return _normalise(value) or "en"
    return "en"


def language() -> str:
    """The language in use ("en" or "ja"), detected on first use."""
    global _current
    if _current is None:
        _current = detect(sys.argv[1:], os.environ)
    return _current


def set_language(lang: str | None) -> None:
    """Use ``lang`` from now on; ``None`` detects it again on next use."""
    global _current
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"kamei speaks {', '.join(LANGUAGES)}, not {lang!r}")
    _current = lang


def catalog(lang: str) -> Mapping[str, str]:
    """The message catalog of ``lang``."""
    return _CATALOGS[lang]


def t(key: str, /, **values: object) -> str:
    """The message ``key`` in the current language, with ``values`` filled in.

    An id missing from the current catalog falls back to English; an id missing
    from English is a programming error (``KeyError``), which the tests catch.
    """
    return translate(language(), key, **values)


def translate(lang: str, key: str, /, **values: object) -> str:
    """The message ``key`` in ``lang`` (documents made in both languages at once)."""
    text = _CATALOGS[lang].get(key)
    if text is None:
        text = _CATALOGS["en"][key]
    return text.format(**values) if values else text
