"""Writing an output file: private (0600) and atomic, like everything kamei writes."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from kamei.errors import ConfigError
from kamei.i18n import t

__all__ = ["write_file"]


def write_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; a crash leaves the old file whole.

    Reports are pseudonymised, but they are still the shop's business figures:
    nobody else on the machine needs to read them.
    """
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileNotFoundError as exc:
        raise ConfigError(t("output.no_folder", folder=path.parent)) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
