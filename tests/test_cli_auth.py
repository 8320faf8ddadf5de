"""`kamei auth colorme`: the authorization-code flow against the fake over loopback."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from cli.app import app
from connectors.fakes import make_fake, serve_in_thread
from store import Store

runner = CliRunner()


def test_auth_stores_a_working_token_after_the_browser_grants_access(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = make_fake("colorme", orders=120, seed=6)
    visited: list[int] = []

    def browser(url: str, *args: object, **kwargs: object) -> bool:
        # The "shop owner" allows access: the fake redirects to kamei's listener.
        def visit() -> None:
            with httpx.Client(follow_redirects=True) as client:
                visited.append(client.get(url).status_code)

        threading.Thread(target=visit, daemon=True).start()
        return True

    monkeypatch.setattr(webbrowser, "open", browser)
    with serve_in_thread(fake.app) as base_url:
        assert runner.invoke(app, ["init"]).exit_code == 0
        added = runner.invoke(
            app, ["shop", "add", "main", "--platform", "colorme", "--base-url", base_url]
        )
        assert "no credential yet" in added.stdout
        result = runner.invoke(
            app,
            ["auth", "colorme", "main", "--client-id", fake.app.client_id,
             "--client-secret-stdin", "--timeout", "20"],
            input=fake.app.client_secret + "\n",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert "authorised: the token for 'main' is in the OS keyring" in result.stdout
        assert visited == [200]
        synced = runner.invoke(app, ["sync"])
        assert synced.exit_code == 0, synced.stderr
    with Store.open(home) as store:
        token = store.get_credential("main")["access_token"]
        assert store.count_orders() == 120
    assert token not in result.stdout + result.stderr


def test_auth_with_a_wrong_client_secret_says_what_to_fix(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = make_fake("colorme", orders=10, seed=6)

    def browser(url: str, *args: object, **kwargs: object) -> bool:
        threading.Thread(target=lambda: httpx.get(url, follow_redirects=True), daemon=True).start()
        return True

    monkeypatch.setattr(webbrowser, "open", browser)
    with serve_in_thread(fake.app) as base_url:
        runner.invoke(app, ["init"])
        runner.invoke(app, ["shop", "add", "main", "--platform", "colorme", "--base-url", base_url])
        result = runner.invoke(
            app,
            ["auth", "colorme", "main", "--client-id", fake.app.client_id,
             "--client-secret-stdin", "--timeout", "20"],
            input="not-the-secret\n",
        )  # fmt: skip
    assert result.exit_code == 2, result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith("kamei: error: ") and "kamei auth colorme main" in last
    assert "not-the-secret" not in result.stdout + result.stderr
    with Store.open(home) as store:
        assert not store.has_credential("main")
