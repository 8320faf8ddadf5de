"""Reports in Japanese: titles, notices, checks and markers on screen in the UI
language, while the values a script reads (JSON keys, row values such as
``small-group`` or ``(all shops)``) stay the same in both languages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from conftest import OrderFactory
from typer.testing import CliRunner

from cli.app import app
from kamei.errors import ConfigError
from kamei.i18n import set_language
from store import Checkpoint, LineRecord, Store
from store.reports import SEGMENTS, Filters, baskets, cohorts
from store.reports.rfm import segment_labels

runner = CliRunner()


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    set_language("en")


@pytest.fixture
def two_shops(store: Store, make_order: OrderFactory) -> Store:
    """Two shops with orders in the same month: sales has an ``(all shops)`` row."""
    main = store.add_shop("main", "colorme")
    outlet = store.add_shop("outlet", "makeshop")
    store.commit_page(
        main.id,
        [make_order(n, buyer=f"p1_{n:064x}", ordered_at=1_735_700_000 + n * 3600)
         for n in range(1, 7)],
        Checkpoint(),
    )  # fmt: skip
    store.commit_page(
        outlet.id,
        [make_order(n, buyer=f"p1_{n:064x}", platform="makeshop", prefecture=27,
                    ordered_at=1_735_700_000 + n * 3600) for n in range(7, 10)],
        Checkpoint(),
    )  # fmt: skip
    return store


def kamei(lang: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--lang", lang, *args])
    set_language("en")
    return result.exit_code, result.stdout, result.stderr


def test_a_report_on_screen_has_a_japanese_title_and_labels(two_shops: Store) -> None:
    code, out, _ = kamei("ja", "report", "sales", "-k", "1", "--format", "table")
    assert code == 0
    assert "月別の売上" in out and "（全ショップ）" in out
    assert "sales by month" not in out and "(all shops)" not in out


def test_english_screen_output_is_unchanged(two_shops: Store) -> None:
    code, out, _ = kamei("en", "report", "sales", "-k", "1")
    assert code == 0
    assert "sales by month" in out and "(all shops)" in out
    code, out, _ = kamei("en", "report", "sales", "-k", "100")
    assert "small-group" in out and "complement" not in out


def test_suppression_markers_are_japanese_on_screen(two_shops: Store) -> None:
    code, out, _ = kamei("ja", "report", "sales", "-k", "100")
    assert code == 0
    assert "少人数" in out and "small-group" not in out


@pytest.mark.parametrize(
    ("name", "args"),
    [("sales", ("-k", "1")), ("sales", ("-k", "5")), ("repeat", ("-k", "1")),
     ("prefectures", ("-k", "4")), ("rfm", ("-k", "100")), ("baskets", ("-k", "100"))],
)  # fmt: skip
def test_json_keys_and_values_are_the_same_in_both_languages(
    two_shops: Store, name: str, args: tuple[str, ...]
) -> None:
    documents = {}
    for lang in ("en", "ja"):
        code, out, err = kamei(lang, "report", name, *args, "-f", "json")
        assert code == 0, err
        documents[lang] = json.loads(out)
    en, ja = documents["en"], documents["ja"]
    assert list(en) == list(ja)
    assert en["columns"] == ja["columns"] and en["rows"] == ja["rows"]
    assert en["params"] == ja["params"] and en["report"] == ja["report"] == name
    assert en["title"] != ja["title"]  # the one thing for people: the title
    values = {str(v) for row in en["rows"] for v in row.values()}
    # The markers scripts filter on are there, in English, in both documents.
    expected = {
        ("sales", "-k", "1"): {"(all shops)"},
        ("sales", "-k", "5"): {"small-group"},
        ("repeat", "-k", "1"): {"all buyers"},
        ("prefectures", "-k", "4"): {"(all)", "small-group", "complement"},
        ("rfm", "-k", "100"): {"champions", "lost", "small-group"},
        ("baskets", "-k", "100"): {"(pairs under k buyers)", "1 pairs", "small-group"},
    }[(name, *args)]
    assert expected <= values


def test_the_sales_title_names_the_period_in_each_language(two_shops: Store) -> None:
    def title(lang: str, by: str) -> str:
        code, out, _ = kamei(lang, "report", "sales", "--by", by, "-f", "json")
        assert code == 0
        return str(json.loads(out)["title"])

    assert [title("en", by) for by in ("day", "week", "year")] == [
        "sales by day", "sales by week", "sales by year",
    ]  # fmt: skip
    assert [title("ja", by) for by in ("day", "week", "month", "year")] == [
        "日別の売上", "週別の売上", "月別の売上", "年別の売上",
    ]  # fmt: skip


def test_rfm_detail_notice_is_japanese_on_screen_and_in_every_file(
    two_shops: Store, tmp_path: Path
) -> None:
    japanese = "社内利用のみ: 購入者の仮名を 1 人ずつ一覧にしたもので"
    code, out, err = kamei("ja", "report", "rfm", "--detail")
    assert code == 0 and japanese in err and "INTERNAL USE ONLY" not in err
    assert "購入者ごとの RFM スコア（社内利用のみ）" in out
    csv_out = tmp_path / "rfm.csv"
    assert kamei("ja", "report", "rfm", "--detail", "-f", "csv", "-o", str(csv_out))[0] == 0
    rows = list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["notice", "buyer", "segment"]  # column identifiers stay
    assert all(row[0].startswith(japanese) for row in rows[1:])
    assert {row[2] for row in rows[1:]} <= set(SEGMENTS)  # segment names stay as data
    json_out = tmp_path / "rfm.json"
    assert kamei("ja", "report", "rfm", "--detail", "-f", "json", "-o", str(json_out))[0] == 0
    assert json.loads(json_out.read_text(encoding="utf-8"))["notice"].startswith(japanese)


def test_rfm_segments_are_named_in_japanese_on_screen_only(two_shops: Store) -> None:
    code, out, _ = kamei("ja", "report", "rfm", "-k", "1")
    assert code == 0 and "RFM セグメント" in out
    assert "優良顧客" in out and "champions" not in out


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_segment_has_a_label_in_both_languages(lang: str) -> None:
    set_language(lang)
    labels = segment_labels()
    assert set(labels) == set(SEGMENTS)
    if lang == "en":
        assert all(label == name for name, label in labels.items())
    else:
        assert all(label != name for name, label in labels.items())


@pytest.mark.parametrize(
    ("args", "japanese"),
    [
        (("--by", "fortnight"),
         "--by は day, week, month, year のいずれかにしてください（'fortnight' は使えません）"),
        (("--since", "2025-02-01", "--until", "2025-01-01"),
         "--since が --until より後の日付です。入れ替えてください"),
    ],
)  # fmt: skip
def test_report_checks_are_japanese(two_shops: Store, args: tuple[str, ...], japanese: str) -> None:
    code, _, err = kamei("ja", "report", "sales", *args)
    assert code == 2
    assert err == f"kamei: エラー: {japanese}\n"


def test_other_reports_checks_are_japanese(two_shops: Store) -> None:
    set_language("ja")
    with two_shops.connect() as conn, pytest.raises(ConfigError, match="--months は 0 以上"):
        cohorts(conn, Filters(), months=-1)
    with two_shops.connect() as conn, pytest.raises(ConfigError, match=r"--top 50）"):
        baskets(conn, Filters(), top=0)
    with pytest.raises(ConfigError, match="--min-group は 1 以上"):
        Filters(min_group=0)


def test_a_bad_settings_file_is_reported_in_japanese(two_shops: Store) -> None:
    settings = two_shops.home / "settings.toml"
    settings.write_text("[reports]\nmin_group = 0\n", encoding="utf-8")
    code, _, err = kamei("ja", "report", "sales")
    assert code == 2
    assert err == (
        f"kamei: エラー: {settings} の [reports] min_group は 1 以上の整数にしてください（例: 5）\n"
    )
    settings.write_text("[reports\n", encoding="utf-8")
    code, _, err = kamei("ja", "report", "sales")
    assert code == 2 and "は正しい TOML ではありません" in err


def test_kamei_sql_warns_and_refuses_in_japanese(two_shops: Store) -> None:
    code, out, err = kamei("ja", "sql", "SELECT COUNT(*) AS n FROM orders")
    assert code == 0 and "9" in out
    assert "kamei: kamei sql の結果は秘匿処理をしておらず" in err
    code, _, err = kamei("ja", "sql", "DELETE FROM orders")
    assert code == 2 and "kamei sql は読み取り専用です。" in err
    code, _, err = kamei("ja", "sql", "SELECT nosuch FROM orders")
    assert code == 2 and "クエリが失敗しました: no such column: nosuch。" in err
    code, _, err = kamei("en", "sql", "DELETE FROM orders")
    assert "kamei sql is read-only: writes, ATTACH and PRAGMA changes are refused" in err


# --- cli/output: the output options' messages and the files' own words ---------------


def test_output_checks_are_japanese(two_shops: Store, tmp_path: Path) -> None:
    code, _, err = kamei("ja", "report", "sales", "-f", "table", "-o", str(tmp_path / "x.txt"))
    assert code == 2 and err == (
        "kamei: エラー: table は画面表示用です。"
        "--format csv、xlsx、json、html のいずれかを付けてください\n"
    )
    code, _, err = kamei("ja", "report", "sales", "-f", "xlsx")
    assert code == 2 and "xlsx はバイナリファイルです。--out FILE.xlsx を付けてください" in err
    missing = tmp_path / "nosuch" / "x.csv"
    code, _, err = kamei("ja", "report", "sales", "-f", "csv", "-o", str(missing))
    assert code == 2 and f"フォルダー {missing.parent} がありません。" in err


def test_the_cp932_notice_and_wrote_are_japanese(
    store: Store, make_order: OrderFactory, tmp_path: Path
) -> None:
    shop = store.add_shop("main", "colorme")
    lines = (LineRecord(1, "P-1", "黃色のタオル", 1000, 1, 1000),)  # 黃 has no cp932 form
    store.commit_page(shop.id, [make_order(1, lines=lines)], Checkpoint())
    out = tmp_path / "p.csv"
    args = ("report", "products", "-k", "1", "-f", "csv", "--encoding", "cp932", "-o", str(out))
    code, _, err = kamei("ja", *args)
    assert code == 0
    assert err == (
        "kamei: 1 文字は cp932 で表せないため '?' として書き出しました。"
        "そのまま残すには --encoding utf-8 を使ってください\n"
        f"{out} に書き出しました\n"
    )
    assert "?色のタオル" in out.read_bytes().decode("cp932")
    code, _, err = kamei("en", *args)
    assert err == (
        "kamei: 1 characters have no cp932 form and were written as '?'; "
        f"use --encoding utf-8 to keep them\nwrote {out}\n"
    )


def test_html_and_xlsx_words_are_japanese_but_data_stays(two_shops: Store, tmp_path: Path) -> None:
    html = tmp_path / "sales.html"
    assert kamei("ja", "report", "sales", "-f", "html", "-o", str(html))[0] == 0
    page = html.read_text(encoding="utf-8")
    assert "<h1>月別の売上</h1>" in page and "購入者 5 人未満の区分は秘匿" in page
    assert "月ごとの売上の推移" in page  # the chart's title
    assert "groups under" not in page and "generated " not in page
    assert "<th>shop</th>" in page and "small-group" in page  # identifiers and markers stay
    xlsx = tmp_path / "sales.xlsx"
    assert kamei("ja", "report", "sales", "-f", "xlsx", "-o", str(xlsx))[0] == 0
    book = openpyxl.load_workbook(xlsx)
    about = {row[0]: row[1] for row in book["about"].iter_rows(values_only=True)}
    assert about["レポート"] == "sales" and about["タイトル"] == "月別の売上"
    assert about["最小人数 (k)"] == 5 and about["条件: by"] == "month"
    assert [c.value for c in book["sales"][1]][:2] == ["period", "shop"]


def test_a_suppressed_bar_and_cell_are_labelled_in_japanese(
    two_shops: Store, tmp_path: Path
) -> None:
    rfm = tmp_path / "rfm.html"
    assert kamei("ja", "report", "rfm", "-k", "100", "-f", "html", "-o", str(rfm))[0] == 0
    assert "秘匿（購入者 k 人未満）" in rfm.read_text(encoding="utf-8")
    cohorts = tmp_path / "cohorts.html"
    assert kamei("ja", "report", "cohorts", "-k", "100", "-f", "html", "-o", str(cohorts))[0] == 0
    page = cohorts.read_text(encoding="utf-8")
    assert "<title>秘匿</title>" in page and "– は秘匿" in page
