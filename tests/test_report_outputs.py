"""Every report in every format: files that open, typed cells, neutralised
formula-like text, cp932 replacements counted, Japanese-width-aware tables."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import openpyxl
import pytest
from clikit import invoke as kamei
from rich.cells import cell_len

from connectors.fakes import make_fake
from store import Store
from store.reports import REPORTS
from sync import sync_shops

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def synced(home: Path) -> Iterator[Path]:
    """A store synced from the Color Me fake, whose catalogue plants product names
    such as ``=SUM(1+1) ロゴステッカー``, ``+81 …``, ``-10% …`` and ``@home …``."""
    fake = make_fake("colorme", orders=400, seed=3)
    with Store.create(home) as store:
        store.add_shop("main", "colorme", {"base_url": "http://fake", "rate": 1000})
        store.set_credential("main", {"access_token": fake.credential})
        (result,) = sync_shops(store, transport_for=lambda n: httpx.WSGITransport(app=fake.app))
        assert result.ok
    yield home


def _report_args(name: str) -> list[str]:
    return ["report", name, "--min-group", "1"] if name != "rfm" else ["report", "rfm", "-k", "1"]


@pytest.mark.parametrize("name", sorted(REPORTS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "html"])
def test_every_report_writes_every_format_to_a_file(
    synced: Path, tmp_path: Path, name: str, fmt: str
) -> None:
    out = tmp_path / f"{name}.{fmt}"
    code, _, err = kamei(*_report_args(name), "--format", fmt, "--out", str(out))
    assert code == 0, err
    assert err == f"wrote {out}\n"
    assert out.stat().st_mode & 0o777 == 0o600
    data = out.read_bytes()
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
    elif fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == [name, "about"]
    elif fmt == "json":
        document = json.loads(data)
        assert document["report"] == name and isinstance(document["rows"], list)
    else:
        assert data.startswith(b"<!DOCTYPE html>")
    assert b"p1_" not in data  # no pseudonym in any report


def test_planted_formula_names_come_out_neutralised_in_csv(synced: Path, tmp_path: Path) -> None:
    out = tmp_path / "products.csv"
    assert kamei("report", "products", "-k", "1", "-f", "csv", "-o", str(out))[0] == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    names = [row[2] for row in rows[1:]]
    assert "'=SUM(1+1) ロゴステッカー" in names
    assert any(n.startswith("'+81 ") for n in names)
    assert any(n.startswith("'-10% ") for n in names)
    assert any(n.startswith("'@home ") for n in names)
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell


def test_planted_formula_names_come_out_neutralised_in_xlsx(synced: Path, tmp_path: Path) -> None:
    out = tmp_path / "products.xlsx"
    assert kamei("report", "products", "-k", "1", "-f", "xlsx", "-o", str(out))[0] == 0
    sheet = openpyxl.load_workbook(out)["products"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=SUM(1+1) ロゴステッカー" in texts
    assert all(not t.startswith(FORMULA_START) for t in texts)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_xlsx_has_typed_cells_a_frozen_header_and_an_about_sheet(
    synced: Path, tmp_path: Path
) -> None:
    out = tmp_path / "sales.xlsx"
    assert kamei("report", "sales", "--by", "day", "-k", "1", "-f", "xlsx", "-o", str(out))[0] == 0
    book = openpyxl.load_workbook(out)
    sheet = book["sales"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["period", "shop", "orders", "revenue"]
    assert all(c.font.b for c in sheet[1])
    shown = [row for row in sheet.iter_rows(min_row=2) if row[-1].value is None]
    assert isinstance(shown[0][0].value, dt.datetime)  # a date cell, not text
    assert shown[0][0].number_format == "yyyy-mm-dd"
    assert isinstance(shown[0][3].value, int)
    assert sheet.column_dimensions["A"].width >= 10
    about = {row[0].value: row[1].value for row in book["about"].iter_rows()}
    assert about["report"] == "sales"
    assert about["min group (k)"] == 1
    assert about["filter: shops"] == "all"
    assert about["suppressed rows"] == 0 and about["suppressed cells"] == 0
    assert isinstance(about["generated at"], str)
    out = tmp_path / "monthly.xlsx"
    assert kamei("report", "sales", "-k", "40", "-f", "xlsx", "-o", str(out))[0] == 0
    book = openpyxl.load_workbook(out)
    rows = list(book["sales"].iter_rows(min_row=2))
    assert rows[-1][0].number_format == "yyyy-mm"
    suppressed = sum(1 for row in rows if row[-1].value)
    about = {row[0].value: row[1].value for row in book["about"].iter_rows()}
    assert about["suppressed rows"] == suppressed > 0
    assert about["suppressed cells"] == suppressed * 7


def test_cp932_csv_replaces_and_counts_characters_it_cannot_hold(synced: Path) -> None:
    # 黃 (in 黃色, a colour in the fake's catalogue) has no cp932 form.
    code, out, err = kamei("report", "products", "--variations", "-k", "1", "-f", "csv",
                           "--encoding", "cp932")  # fmt: skip
    assert code == 0
    text = out.encode("utf-8", "surrogateescape") if isinstance(out, str) else out
    assert "have no cp932 form and were written as '?'; use --encoding utf-8" in err
    count = int(err.split(" characters")[0].split()[-1])
    assert count > 0
    assert text  # written, not a crash


def test_cp932_file_decodes_as_cp932(synced: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.csv"
    code, _, _ = kamei("report", "products", "-k", "1", "-f", "csv", "--encoding", "cp932",
                       "-o", str(out))  # fmt: skip
    assert code == 0
    text = out.read_bytes().decode("cp932")
    assert "国産はちみつ 500g" in text
    assert not text.startswith("\ufeff")


def test_json_has_stable_keys_and_metadata(synced: Path) -> None:
    code, out, _ = kamei("report", "prefectures", "-f", "json")
    assert code == 0
    document = json.loads(out)
    assert list(document) == [
        "report", "title", "params", "min_group", "suppressed_rows", "suppressed_cells",
        "generated_at", "columns", "rows",
    ]  # fmt: skip
    assert document["params"] == {
        "shops": "all", "platforms": "all", "since": None, "until": None, "min_group": 5,
    }  # fmt: skip
    assert [c["name"] for c in document["columns"]] == [
        "code", "prefecture", "orders", "revenue", "buyers", "average_order_value", "suppressed",
    ]  # fmt: skip
    assert document["rows"][-1]["prefecture"] == "(all)"


def test_html_is_one_self_contained_file_with_a_chart(synced: Path, tmp_path: Path) -> None:
    out = tmp_path / "sales.html"
    assert kamei("report", "sales", "-f", "html", "-o", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and "<polyline" in page
    for outside in ("<script", "src=", "href=", "@import", "url("):
        assert outside not in page
    assert "groups under 5 buyers suppressed" in page


def test_the_terminal_table_aligns_full_width_text(synced: Path) -> None:
    code, out, _ = kamei("report", "products", "-k", "1")
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith(("┃", "│", "┏", "└"))]
    assert any("国産はちみつ" in line for line in lines)
    widths = {cell_len(line) for line in lines}
    assert len(widths) == 1, widths  # every row is as wide on screen as the header


def test_suppressed_figures_show_as_a_dash_on_screen(synced: Path) -> None:
    code, out, _ = kamei("report", "rfm", "-k", "1000")
    assert code == 0
    assert "—" in out and "small-group" in out


def test_rfm_detail_lists_pseudonyms_and_says_it_is_for_internal_use(
    synced: Path, tmp_path: Path
) -> None:
    notice = "INTERNAL USE ONLY: this lists buyer pseudonyms one by one"
    code, out, err = kamei("report", "rfm", "--detail")
    assert code == 0 and notice in err and "p1_" in out
    csv_out = tmp_path / "rfm.csv"
    code, _, err = kamei("report", "rfm", "--detail", "-f", "csv", "-o", str(csv_out))
    assert code == 0 and notice in err
    rows = list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["notice", "buyer", "segment"]
    assert all(row[0].startswith(notice) for row in rows[1:])
    json_out = tmp_path / "rfm.json"
    kamei("report", "rfm", "--detail", "-f", "json", "-o", str(json_out))
    assert json.loads(json_out.read_text())["notice"].startswith(notice)
    html_out = tmp_path / "rfm.html"
    kamei("report", "rfm", "--detail", "-f", "html", "-o", str(html_out))
    assert notice in html_out.read_text()
    xlsx_out = tmp_path / "rfm.xlsx"
    kamei("report", "rfm", "--detail", "-f", "xlsx", "-o", str(xlsx_out))
    book = openpyxl.load_workbook(xlsx_out)
    assert str(book["rfm"]["A2"].value).startswith(notice)
    assert str(book["about"]["B1"].value).startswith(notice)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-f", "table", "-o", "x.txt"), "a table is for the screen; add --format csv"),
        (("-f", "xlsx"), "xlsx is a binary file; add --out FILE.xlsx"),
        (("-o", "/nonexistent-dir/x.csv", "-f", "csv"), "does not exist; create it first"),
        (("--shop", "nosuch"), "no shop named 'nosuch'; see `kamei shop list`"),
        (("--since", "2025-13-01"), "--since wants a date like 2025-01-31, not '2025-13-01'"),
        (("--since", "2025-02-01", "--until", "2025-01-01"), "--since is after --until; swap"),
        (("--by", "fortnight"), "--by must be one of day, week, month, year, not 'fortnight'"),
    ],
)
def test_bad_report_options_get_one_clear_line(
    synced: Path, args: tuple[str, ...], message: str
) -> None:
    code, out, err = kamei("report", "sales", *args)
    assert code in (2, 5), (out, err)
    assert err.startswith("kamei: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_min_group_comes_from_settings_unless_given(synced: Path) -> None:
    (synced / "settings.toml").write_text("[reports]\nmin_group = 400\n", encoding="utf-8")
    code, out, _ = kamei("report", "prefectures", "-f", "json")
    assert code == 0 and json.loads(out)["min_group"] == 400
    code, out, _ = kamei("report", "prefectures", "-f", "json", "--min-group", "2")
    assert code == 0 and json.loads(out)["min_group"] == 2
    (synced / "settings.toml").write_text("[reports]\nmin_group = 0\n", encoding="utf-8")
    code, _, err = kamei("report", "prefectures")
    assert code == 2
    assert err == (
        f"kamei: error: [reports] min_group in {synced / 'settings.toml'} must be a whole "
        "number of at least 1, e.g. 5\n"
    )


def test_a_long_table_is_printed_plainly_and_still_aligned(synced: Path) -> None:
    from cli.output import table

    original = table._RICH_LIMIT
    table._RICH_LIMIT = 10
    try:
        code, out, err = kamei("report", "products", "-k", "1")
    finally:
        table._RICH_LIMIT = original
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "products by revenue"
    assert lines[1].split() == [
        "rank", "product_id", "product", "revenue", "units", "orders", "buyers",
        "repeat_buyers", "suppressed",
    ]  # fmt: skip
    # Right-aligned figures end in the same screen column whatever the names' widths.
    ends = {cell_len(line.rstrip()) for line in lines[2:]}
    assert len(ends) == 1, ends
