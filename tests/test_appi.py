"""``kamei appi``: the APPI register is generated from the code, in Japanese and English."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from cli.appi import DROPPED, Facts, register, replaced_fields, stored_fields
from kamei.i18n import LANGUAGES, catalog
from store import Forgotten, LineRecord, OrderRecord, Store
from sync import contacts, forget_contacts

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


def _facts(**changes: object) -> Facts:
    base: dict[str, object] = {
        "store_id": "0123456789abcdef0123456789abcdef",
        "backend": "keyring.backends.SecretService.Keyring",
        "versions": (1, 2),
        "current": 2,
        "suppression_key": True,
        "forgotten": (Forgotten("p2_" + "ab" * 16, 1_735_657_200, 3),),
        "generated": dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))),
        "user": "owner",
    }
    base.update(changes)
    return Facts(**base)  # type: ignore[arg-type]


def test_the_stored_items_are_exactly_the_record_fields_plus_the_shop() -> None:
    expected = [f.name for f in fields(OrderRecord) if f.name != "lines"]
    expected += ["shop", *(f.name for f in fields(LineRecord))]
    assert stored_fields() == expected


def test_the_replaced_items_are_the_connector_fields_the_store_does_not_keep() -> None:
    assert replaced_fields() == [
        "platform_order_id",
        "email",
        "phone",
        "member_id",
        "birthday",
        "variations",
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_item_has_a_label_in_each_language_so_a_new_field_cannot_slip_by(
    lang: str,
) -> None:
    messages = catalog(lang)
    missing = [f"appi.field.{n}" for n in stored_fields() if f"appi.field.{n}" not in messages]
    missing += [
        f"appi.replaced.{n}" for n in replaced_fields() if f"appi.replaced.{n}" not in messages
    ]
    missing += [f"appi.dropped.{n}" for n in DROPPED if f"appi.dropped.{n}" not in messages]
    assert missing == []
    labelled = {k.split(".", 2)[2] for k in messages if k.startswith("appi.field.")}
    assert labelled == set(stored_fields()), "a label for a field that no longer exists"


def test_the_dropped_items_follow_docs_privacy() -> None:
    text = (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8")
    section = text.split("## What is never stored", 1)[1].split("\n## ", 1)[0]
    never = " ".join(section.lower().split())
    words = {
        "name": "names",
        "kana": "kana",
        "company": "company and department",
        "fax": "fax",
        "postal_code": "postal codes",
        "address": "street addresses",
        "recipient": "recipients",
        "free_text": "free text",
        "tracking_number": "tracking or slip numbers",
        "payment_transaction": "payment-provider transaction ids",
        "raw_body": "raw api bodies",
    }
    assert set(words) == set(DROPPED)
    assert [item for item, word in words.items() if word not in never] == []


def test_the_register_has_both_languages_and_this_stores_facts() -> None:
    ja, en = register("ja", _facts()), register("en", _facts())
    assert ja.startswith("# 仮名加工情報の取扱いに関する記録\n")
    assert en.startswith("# Record of the handling of pseudonymised personal information")
    for text in (ja, en):
        assert "`0123456789abcdef0123456789abcdef:pseudonym-key:" in text
        assert "keyring.backends.SecretService.Keyring" in text
        assert "`owner`" in text
        assert f"| `p2_{'ab' * 16}` | 2025-01-01 | 3 |" in text
        for name in stored_fields():
            assert f"- `{name}`: " in text
    assert "保持しているバージョン: 1, 2（使用中: 2）" in ja
    assert "Versions held: 1, 2 (in use: 2)" in en
    assert "## 5. 利用目的の公表文（案）" in ja and "## 5. Publication of the purpose" in en
    assert "識別行為の禁止（第7項）" in ja and "ban on identification (para. 7)" in en


def test_the_register_without_deletions_says_so() -> None:
    assert "消去の記録はありません。" in register("ja", _facts(forgotten=()))
    assert "No deletions recorded." in register("en", _facts(forgotten=()))


def test_kamei_appi_prints_japanese_then_english_and_writes_a_private_file(
    home: Path, tmp_path: Path
) -> None:
    with Store.create(home) as store:
        forget_contacts(store, contacts(["hanako@example.jp"]))
        store_id = store.store_id
    result = runner.invoke(app, ["appi"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    ja_at = out.index("# 仮名加工情報の取扱いに関する記録")
    en_at = out.index("# Record of the handling")
    assert ja_at == 0 < en_at and "\n---\n" in out[ja_at:en_at]
    assert f"ストア ID: `{store_id}`" in out and f"Store id: `{store_id}`" in out
    assert "hanako" not in out
    assert "| 仮名 | 消去日 | 削除した注文数 |" in out
    target = tmp_path / "register.md"
    result = runner.invoke(app, ["appi", "--out", str(target)])
    assert (result.exit_code, result.stdout) == (0, f"wrote {target}\n")
    assert target.read_text(encoding="utf-8").startswith("# 仮名加工情報の取扱いに関する記録")
    assert target.stat().st_mode & 0o777 == 0o600


def test_kamei_appi_without_a_store_says_to_run_init() -> None:
    result = runner.invoke(app, ["appi"])
    assert result.exit_code == 5 and "kamei init" in result.stderr
