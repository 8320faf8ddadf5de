"""The CLI in-process: exact output, error text and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clikit import invoke as kamei

from store import Store


def test_init_creates_an_encrypted_store_and_refuses_to_overwrite_it(home: Path) -> None:
    code, out, _ = kamei("init")
    assert code == 0
    assert f"created the encrypted store at {home / 'kamei.db'}" in out
    assert not (home / "kamei.db").read_bytes().startswith(b"SQLite format 3")
    before = (home / "kamei.db").read_bytes()
    code, _, err = kamei("init")
    assert code == 5
    assert err.startswith("kamei: error: ") and err.count("\n") == 1
    assert (home / "kamei.db").read_bytes() == before


def test_commands_without_a_store_say_to_run_init() -> None:
    code, out, err = kamei("status")
    assert code == 5
    assert "kamei init" in err
    assert "Traceback" not in out + err


def test_shop_add_reads_the_credential_from_stdin_and_keeps_it_out_of_files(home: Path) -> None:
    kamei("init")
    code, out, _ = kamei(
        "shop", "add", "main", "--platform", "colorme", "--credential-stdin",
        input="tok-SECRET-123\n",
    )  # fmt: skip
    assert code == 0, out
    assert "added shop 'main' (カラーミーショップ)" in out
    with Store.open(home) as store:
        assert store.get_credential("main") == {"access_token": "tok-SECRET-123"}
    for path in home.rglob("*"):
        if path.is_file():
            assert b"tok-SECRET-123" not in path.read_bytes()


def test_shop_list_json_and_remove(home: Path) -> None:
    kamei("init")
    kamei("shop", "add", "a", "--platform", "colorme", "--credential-stdin", input="t1")
    kamei("shop", "add", "b", "--platform", "colorme", "--base-url", "http://127.0.0.1:9")
    code, out, _ = kamei("shop", "list", "--format", "json")
    assert code == 0
    shops = json.loads(out)["shops"]
    assert [(s["name"], s["credential"]) for s in shops] == [("a", "yes"), ("b", "no")]
    assert shops[1]["base_url"] == "http://127.0.0.1:9"
    code, out, _ = kamei("shop", "remove", "a", "--yes")
    assert code == 0 and "removed shop 'a'" in out
    code, _, err = kamei("shop", "remove", "a", "--yes")
    assert code == 5 and "kamei shop list" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("shop", "add", "x", "--platform", "nosuch"), "unknown platform 'nosuch'"),
        (("shop", "add", "x", "--platform", "colorme", "--credential-stdin"), "token"),
        (("shop", "add", "x/y", "--platform", "colorme"), "shop names"),
        (("shop", "add", "x", "--platform", "colorme", "--rate", "0"), "--rate"),
        (("sync", "--since", "yesterday"), "--since wants a date"),
    ],
)
def test_bad_input_gets_one_clear_line_and_exit_code_2(args: tuple[str, ...], message: str) -> None:
    kamei("init")
    code, out, err = kamei(*args, input="")
    assert code == 2, (out, err)
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_status_json_has_the_documented_shape(home: Path) -> None:
    kamei("init")
    kamei("shop", "add", "main", "--platform", "colorme", "--credential-stdin", input="t")
    code, out, _ = kamei("status", "--json")
    assert code == 0
    (shop,) = json.loads(out)["shops"]
    assert shop["name"] == "main" and shop["platform"] == "colorme" and shop["orders"] == 0
    assert shop["last_success"] is None and shop["watermark"] is None


def test_every_command_has_help_with_an_example() -> None:
    commands = [
        ("init",), ("shop", "add"), ("shop", "list"), ("shop", "remove"), ("auth", "colorme"),
        ("sync",), ("status",), ("report", "sales"), ("fake", "serve"), ("demo",),
    ]  # fmt: skip
    for command in commands:
        code, out, _ = kamei(*command, "--help")
        assert code == 0, command
        assert "kamei " in out and ("Example" in out or "example" in out), command


def test_shop_credential_replaces_the_stored_credential(home: Path) -> None:
    kamei("init")
    kamei("shop", "add", "ms", "--platform", "makeshop")
    code, out, err = kamei("shop", "credential", "ms", input='{"token": "t1", "api_key": "k1"}')
    assert code == 0, err
    assert out == "stored the credential for 'ms' in the OS keyring\n"
    kamei("shop", "credential", "ms", input="t2\nk2\n")
    with Store.open(home) as store:
        assert store.get_credential("ms") == {"token": "t2", "api_key": "k2"}
    code, _, err = kamei("shop", "credential", "nosuch", input="x")
    assert code == 5 and "kamei shop list" in err


def test_shop_add_without_a_credential_says_how_to_give_one() -> None:
    kamei("init")
    _, out, _ = kamei("shop", "add", "ss", "--platform", "shopserve")
    assert out.endswith("no credential yet: pipe it to `kamei shop credential ss`\n")
    _, out, _ = kamei("shop", "add", "cm", "--platform", "colorme")
    assert "run `kamei auth colorme cm`" in out
