"""Shared fixtures: every test gets its own kamei home and its own keyring.

``isolated_env`` (autouse) points ``KAMEI_HOME`` at ``tmp_path/home`` (not yet
created) and selects keyrings.alt's ``PlaintextKeyring`` through
``PYTHON_KEYRING_BACKEND``, with its file under ``tmp_path/keyring``: that
backend keeps its file in ``<data root>/python_keyring/keyring_pass.cfg`` where
the data root is ``$XDG_DATA_HOME`` (Linux, macOS) or ``$LOCALAPPDATA``
(Windows), so both variables are set. The environment carries the choice so
that subprocesses (CLI tests) see the same keyring; the path is also pinned on
the backend instance. keyring caches its backend, so it is re-initialised for
every test, and set to the failing backend afterwards: nothing outside a test
can reach a real keyring.

Tests marked ``@pytest.mark.keyring`` keep the real default backend (a Secret
Service in CI). Where none is usable they are skipped, unless
``KAMEI_REQUIRE_KEYRING=1`` (set it in CI) turns that into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.core
import pytest
from keyring.backends import fail

from kamei.errors import KeyringUnavailable
from store import LineRecord, OrderRecord, Store, check_keyring

TEST_KEYRING_BACKEND = "keyrings.alt.file.PlaintextKeyring"

# The suite asserts English text whatever the developer's locale: the CLI's help texts
# are fixed when cli.app is first imported (during collection), so this is set here,
# before any test module imports it. Japanese is tested explicitly (tests/test_i18n.py).
os.environ["KAMEI_LANG"] = "en"


@pytest.fixture(autouse=True)
def isolated_env(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("KAMEI_HOME", str(tmp_path / "home"))
    if request.node.get_closest_marker("keyring") is not None:
        keyring.core.init_backend()  # the real default, as the run's environment selects it
        try:
            check_keyring()
        except KeyringUnavailable as exc:
            if os.environ.get("KAMEI_REQUIRE_KEYRING") == "1":
                pytest.fail(f"KAMEI_REQUIRE_KEYRING=1 but no usable keyring: {exc}")
            pytest.skip(f"no usable default keyring here: {exc}")
    else:
        data_root = tmp_path / "keyring"
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", TEST_KEYRING_BACKEND)
        monkeypatch.setenv("XDG_DATA_HOME", str(data_root))
        monkeypatch.setenv("LOCALAPPDATA", str(data_root))
        keyring.core.init_backend()
        backend: Any = keyring.get_keyring()
        assert Path(backend.file_path).is_relative_to(tmp_path), "test keyring escaped tmp_path"
        # Pin the path on the instance too: it is otherwise re-read from the
        # environment on every access, and a test that undoes its monkeypatch
        # must not end up writing into the real home's keyring file.
        backend.file_path = backend.file_path
    yield
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The isolated kamei home (``$KAMEI_HOME``); it does not exist yet."""
    return tmp_path / "home"


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    """A freshly created, open store in the isolated home; closed afterwards."""
    with Store.create(home) as opened:
        yield opened


OrderFactory = Callable[..., OrderRecord]


@pytest.fixture
def make_order() -> OrderFactory:
    """``make_order(n, **fields)``: a valid ``OrderRecord`` with two lines."""

    def factory(n: int, **fields: object) -> OrderRecord:
        lines = (
            LineRecord(
                line_no=1,
                product_id="P-001",
                product_name="今治タオル",
                unit_price=1200,
                quantity=2,
                subtotal=2400,
                sku="P-001-WH",
                variation="色:白",
                tax_class="10",
            ),
            LineRecord(
                line_no=2,
                product_id="P-002",
                product_name="手ぬぐい",
                unit_price=800,
                quantity=1,
                subtotal=800,
            ),
        )
        base: dict[str, object] = {
            "order_key": f"o{n:08d}",
            "platform": "colorme",
            "ordered_at": 1_700_000_000 + n * 60,
            "updated_at": 1_700_000_000 + n * 60 + 30,
            "status": "paid",
            "buyer": f"p1_{n % 97:064x}",
            "goods_total": 3200,
            "shipping": 500,
            "tax": 320,
            "grand_total": 3700,
            "payment_method": "クレジットカード",
            "delivery_method": "宅配便",
            "is_member": True,
            "prefecture": 13,
            "age_band": 30,
            "gender": "female",
            "lines": lines,
        }
        base.update(fields)
        return OrderRecord(**base)  # type: ignore[arg-type]

    return factory
