"""typer's and click's own words ("Usage", "Options", parse errors) from kamei's catalogs.

typer (>= 0.29, which vendors click as ``typer._click``) prints a few words of its
own around kamei's help texts and messages. They come from three places, and each
is hooked here without copying typer's code:

* ``typer.core`` asks ``gettext`` for section titles and a few errors ("Options",
  "No such command {name!r}.", "default: {default}"): its module-level ``_`` is
  replaced by :func:`_gettext`, which looks the English text up in ``_GETTEXT``.
* ``typer.rich_utils`` keeps its panel titles and hints in module constants made
  at import time (``OPTIONS_PANEL_TITLE``, ``RICH_HELP``...). That module, and
  rich with it, is imported only when help or an error is printed, so it is not
  imported here (start-up time): :func:`_localise_rich` sets the constants just
  before they are used, from the help formatter (every help and usage text makes
  one, see :class:`_Formatter`) and from :func:`localise_error`.
* click's parse errors are f-strings made where they are raised, and "Show this
  message and exit." is a literal of its ``help_option``: :func:`localise_error`
  rebuilds a parse error from its parts (option name, parameter, hint) in the
  current language, and the help option is made with a translated help text.

In English nothing is rebuilt, so typer's output is exactly its own.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import IO, Any, Final

import typer.core
from typer import _click
from typer._click import decorators as _decorators
from typer._click import exceptions as _exceptions
from typer._click.formatting import HelpFormatter

from kamei.i18n import catalog, language, t, translate

__all__ = ["install", "localise_error"]

# typer.core's gettext messages -> catalog ids ("Arguments" etc. in plain help).
_GETTEXT: Final = {
    "Arguments": "typer.arguments",
    "Options": "typer.options",
    "Commands": "typer.commands",
    "default: {default}": "typer.default",
    "env var: {var}": "typer.env_var",
    "required": "typer.required",
    "(dynamic)": "typer.dynamic",
    "No such command {name!r}.": "typer.no_such_command",
    "Missing command.": "typer.missing_command",
    "Aborted!": "typer.aborted",
}
# typer.rich_utils constant -> catalog id; the English texts are typer's own.
_RICH: Final = {
    "ARGUMENTS_PANEL_TITLE": "typer.arguments",
    "OPTIONS_PANEL_TITLE": "typer.options",
    "COMMANDS_PANEL_TITLE": "typer.commands",
    "ERRORS_PANEL_TITLE": "typer.error",
    "ABORTED_TEXT": "typer.aborted_rich",
    "DEPRECATED_STRING": "typer.deprecated",
    "DEFAULT_STRING": "typer.default_rich",
    "ENVVAR_STRING": "typer.env_var_rich",
    "REQUIRED_LONG_STRING": "typer.required_rich",
    "RICH_HELP": "typer.try_help_rich",
}
_english_rich: dict[str, str] = {}
# Patterns stay strings (``re`` caches them once used): compiling costs start-up time.
_DID_YOU_MEAN: Final = r"\.? Did you mean (?P<names>.+)\?$"


def _gettext(message: str) -> str:
    key = _GETTEXT.get(message)
    if key is None or language() == "en":
        return message
    return _raw(key)  # typer fills in the placeholders itself ({name!r}, {default})


def _raw(key: str) -> str:
    """The catalog text of ``key`` with its placeholders left for typer."""
    return catalog(language()).get(key) or catalog("en")[key]


def _localise_rich() -> None:
    """Set typer.rich_utils' words for the current language (imports it: call it only
    when help or an error is about to be printed)."""
    from typer import rich_utils

    if not _english_rich:
        _english_rich.update({name: getattr(rich_utils, name) for name in _RICH})
        # "Usage: " is highlighted by a pattern; the Japanese prefix deserves it too.
        pattern = "(?P<usage>" + re.escape(translate("ja", "typer.usage")) + ")"
        rich_utils.OptionHighlighter.highlights.append(pattern)
        rich_utils._make_rich_text = _folding(rich_utils._make_rich_text)
    for name, key in _RICH.items():
        text = _english_rich[name] if language() == "en" else _raw(key)
        setattr(rich_utils, name, text)


def _folding(make: Callable[..., Any]) -> Callable[..., Any]:
    """typer's help texts, folded rather than cut ("…") where a line has no space to
    break at: the usual case in Japanese, which puts no spaces between words."""

    def make_text(*args: Any, **kwargs: Any) -> Any:
        text = make(*args, **kwargs)
        if language() != "en" and hasattr(text, "overflow"):
            text.overflow = "fold"
        return text

    return make_text


class _Formatter(HelpFormatter):
    """click's help formatter with a translated "Usage: " prefix.

    Every help page and every usage line (also those above parse errors) is
    written through one of these, so it is also where the rich words are set.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if typer.core.HAS_RICH:
            _localise_rich()

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None and language() != "en":
            prefix = t("typer.usage")
        super().write_usage(prog, args, prefix)


def _help_option(param_decls: list[str]) -> Callable[[_click.Command], _click.Command]:
    make = _ORIGINAL_HELP_OPTION(param_decls)

    def decorator(command: _click.Command) -> _click.Command:
        make(command)
        option = command.params[-1]
        if language() != "en" and isinstance(option, typer.core.TyperOption):
            option.help = t("typer.help_option")
        return command

    return decorator


_ORIGINAL_HELP_OPTION: Final = _decorators.help_option


class _LocalisedUsageError(_exceptions.UsageError):
    """A parse error rebuilt in the current language; shown without rich the same way."""

    def show(self, file: IO[Any] | None = None) -> None:
        out = file if file is not None else sys.stderr
        if self.ctx is not None:
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                command, option = self.ctx.command_path, self.ctx.help_option_names[0]
                hint = t("typer.try_help", command=command, option=option) + "\n"
            _click.echo(f"{self.ctx.get_usage()}\n{hint}", file=out, color=self.ctx.color)
        _click.echo(t("typer.error_prefix", message=self.format_message()), file=out)


def _hint(hint: Sequence[str] | str | None) -> str:
    if hint is None:
        return ""
    if isinstance(hint, str):
        return hint
    return " / ".join(repr(h) for h in hint)


def _param_hint(exc: _exceptions.BadParameter) -> str:
    if exc.param_hint is not None:
        return _hint(exc.param_hint)
    if exc.param is not None:
        return exc.param.get_error_hint()
    return ""


# Details typer and pydantic put into "Invalid value" errors, most common first.
_DETAILS: Final = (
    (r"^(?:Value error, )?(?P<value>.+) is not one of (?P<choices>.+)\.$", "not_one_of"),
    (r"^Input should be a valid integer", "integer"),
    (r"^Input should be a valid number", "number"),
    (r"^Input should be a valid boolean", "boolean"),
    (r"^Input should be (?:greater|less) than", "range"),
)


def _detail(message: str) -> str:
    for pattern, name in _DETAILS:
        match = re.match(pattern, message)
        if match:
            return t(f"typer.detail.{name}", **match.groupdict())
    return message  # typer's or pydantic's own words: rare, and still informative


_OPTION_USAGE: Final = (
    (r"^Option (?P<name>'.+') requires an argument\.$", "typer.option_needs_value"),
    (
        r"^Option (?P<name>'.+') requires (?P<count>\d+) arguments\.$",
        "typer.option_needs_values",
    ),
    (r"^Option (?P<name>'.+') does not take a value\.$", "typer.option_takes_no_value"),
    (r"^Got unexpected extra argument\(s\) \((?P<args>.*)\)$", "typer.extra_arguments"),
    (r"^Argument (?P<name>'.+') takes (?P<count>\d+) values\.$", "typer.argument_values"),
)


def _message(exc: _exceptions.UsageError) -> str:
    if isinstance(exc, _exceptions.NoSuchOption):
        text = t("typer.no_such_option", name=exc.option_name)
        if exc.possibilities:
            text += t("typer.possible_options", names=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, _exceptions.MissingParameter):
        hint = _param_hint(exc)
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "")
        keys = {"argument": "typer.missing_argument", "option": "typer.missing_option"}
        text = t(keys.get(kind, "typer.missing_parameter"), hint=hint)
        if isinstance(exc.param, typer.core._TyperParameter):
            extra = exc.param.get_missing_message(exc.ctx) or ""
            if extra.startswith("Choose from:"):
                choices = ", ".join(c.strip(" ,\t") for c in extra.splitlines()[1:])
                text += " " + t("typer.choose_from", choices=choices)
        return text
    if isinstance(exc, _exceptions.BadParameter):
        hint = _param_hint(exc)
        detail = _detail(exc.message)
        if not hint:
            return t("typer.invalid_value", message=detail)
        return t("typer.invalid_value_for", hint=hint, message=detail)
    message = exc.message
    names = None
    match = re.search(_DID_YOU_MEAN, message)
    if match:
        names = match["names"]
        message = message[: match.start()]
    for pattern, usage_key in _OPTION_USAGE:
        found = re.match(pattern, message)
        if found:
            message = t(usage_key, **found.groupdict())
            break
    if names is not None:
        message += t("typer.did_you_mean", names=names)
    return message


def localise_error(exc: Exception) -> Exception:
    """``exc`` in the current language (itself in English, or if not typer's): raise what
    this returns. Also readies the words typer prints around an error or an abort."""
    if typer.core.HAS_RICH and isinstance(exc, (_exceptions.UsageError, typer.Abort)):
        _localise_rich()  # the error panel or "Aborted." is printed next
    if (
        language() == "en"
        or not isinstance(exc, _exceptions.UsageError)
        or isinstance(exc, (_LocalisedUsageError, _exceptions.NoArgsIsHelpError))
    ):
        return exc
    localised = _LocalisedUsageError(_message(exc), exc.ctx)
    localised.exit_code = exc.exit_code
    return localised


def install() -> None:
    """Hook typer's words (idempotent; cheap: imports nothing new)."""
    typer.core._ = _gettext  # type: ignore[attr-defined]
    _click.Context.formatter_class = _Formatter
    _decorators.help_option = _help_option
    if "typer.rich_utils" in sys.modules:
        _localise_rich()
