"""Messages in English and Japanese: complete catalogs, the language choice, the CLI."""

from __future__ import annotations

import ast
import json
import os
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from clikit import KAMEI
from typer.testing import CliRunner

from cli.app import app
from kamei import i18n
from kamei.i18n import LANGUAGES, catalog, detect, set_language, t, translate

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kamei", "connectors", "sync", "store", "cli")
# Ids made at run time from a name: checked by the tests of what they name.
DYNAMIC = (
    "summary.",
    "appi.field.",
    "appi.replaced.",
    "appi.dropped.",
    "column.",
    "typer.",
    "http.reason.",
    "doctor.source.",
)
# The commands whose help lives in the catalogs: their summary is its first line.
OWN_HELP = {
    "init": "init.help",
    "shop": "shop.help",
    "auth": "auth.help",
    "sync": "sync.help",
    "status": "status.help",
    "schedule": "schedule.help",
    "doctor": "doctor.help",
    "report": "report.help",
    "sql": "sql.help",
    "fake": "fake.help",
    "demo": "demo.help",
    "key": "key.help",
    "lookup": "people.lookup.help",
    "forget": "people.forget.help",
    "appi": "appi.help",
}

runner = CliRunner()


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    set_language("en")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _asked_for() -> dict[str, str]:
    """Every message id the code asks for with a literal: id -> where."""
    found: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                at = {"t": 0, "tr": 0, "translate": 1}.get(str(name))
                if at is None or len(node.args) <= at:
                    continue
                arg = node.args[at]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found[arg.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
                elif isinstance(arg, ast.IfExp):  # t("a" if x else "b")
                    for branch in (arg.body, arg.orelse):
                        if isinstance(branch, ast.Constant):
                            found[str(branch.value)] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_message_id_exists_in_both_languages() -> None:
    english, japanese = set(catalog("en")), set(catalog("ja"))
    assert sorted(english - japanese) == [], "missing in kamei/locale/ja.py"
    assert sorted(japanese - english) == [], "missing in kamei/locale/en.py"


@pytest.mark.parametrize("key", sorted(catalog("en")))
def test_both_languages_use_the_same_placeholders(key: str) -> None:
    assert _placeholders(catalog("ja")[key]) == _placeholders(catalog("en")[key])


def test_every_id_the_code_asks_for_is_in_the_catalogs() -> None:
    missing = {key: where for key, where in _asked_for().items() if key not in catalog("en")}
    assert missing == {}


def test_every_id_in_the_catalogs_is_used() -> None:
    used = set(_asked_for())
    unused = [k for k in catalog("en") if k not in used and not k.startswith(DYNAMIC)]
    assert unused == []


def _top_level() -> dict[str, str]:
    """Each top-level command's name and its own help, as typer builds it."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return {name: command.help or "" for name, command in group.commands.items()}


def test_every_top_level_command_has_a_summary_in_both_languages() -> None:
    missing = [name for name in _top_level() if f"summary.{name}" not in catalog("en")]
    assert missing == [], "add summary.<command> to kamei/locale/en.py and ja.py"


def test_the_english_summaries_are_the_first_line_of_each_commands_help() -> None:
    drifted = {
        name: help_text.strip().splitlines()[0]
        for name, help_text in _top_level().items()
        if help_text.strip().splitlines()[0] != catalog("en")[f"summary.{name}"]
    }
    assert drifted == {}, "the command's help changed: update its summary in both catalogs"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_our_commands_summaries_are_the_first_line_of_their_help(lang: str) -> None:
    for command, key in OWN_HELP.items():
        first = translate(lang, key).splitlines()[0]
        assert first == translate(lang, f"summary.{command}"), command


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        ([], {}, "en"),
        ([], {"LANG": "ja_JP.UTF-8"}, "ja"),
        ([], {"LANG": "C.UTF-8"}, "en"),
        ([], {"LANG": "en_US.UTF-8", "LC_MESSAGES": "ja_JP.eucJP"}, "ja"),
        ([], {"LANG": "ja_JP.UTF-8", "LC_ALL": "C"}, "en"),
        ([], {"LANG": "fr_FR.UTF-8"}, "en"),
        ([], {"LANG": "ja_JP.UTF-8", "KAMEI_LANG": "en"}, "en"),
        ([], {"KAMEI_LANG": "ja"}, "ja"),
        (["--lang", "ja", "sync"], {"KAMEI_LANG": "en"}, "ja"),
        (["--lang=en"], {"LANG": "ja_JP.UTF-8"}, "en"),
        (["sql", "--", "--lang", "ja"], {}, "en"),
    ],
)
def test_the_language_comes_from_lang_then_kamei_lang_then_the_locale(
    argv: list[str], environ: dict[str, str], expected: str
) -> None:
    assert detect(argv, environ) == expected


def test_a_message_falls_back_to_english_and_an_unknown_id_is_a_bug(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(i18n._CATALOGS, "ja", {})  # type: ignore[index]
    set_language("ja")
    assert t("confirm.type_word", word="destroy") == "Type destroy to go on"
    with pytest.raises(KeyError):
        t("no.such.message")
    with pytest.raises(ValueError, match="kamei speaks en, ja"):
        set_language("fr")


def test_lang_ja_turns_the_runs_messages_and_error_prefix_japanese(home: Path) -> None:
    result = runner.invoke(app, ["--lang", "ja", "lookup", "--email", "nobody"])
    assert result.exit_code == 2
    assert result.stderr == (
        "kamei: エラー: --email: メールアドレスではありません（@ が必要です）。確認してください\n"
    )
    result = runner.invoke(app, ["--lang", "ja", "init"])
    assert result.exit_code == 0
    result = runner.invoke(app, ["--lang", "ja", "key", "status"])
    assert "保持している仮名化キーのバージョン: 1（現在: 1）" in result.stdout


def _run(*args: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in ("KAMEI_LANG", "LC_ALL")}
    environ.update(env, COLUMNS="100")
    done = subprocess.run(
        [KAMEI, *args], capture_output=True, text=True, timeout=60, env=environ, check=True
    )
    return done.stdout


def test_a_japanese_locale_gives_japanese_help() -> None:
    out = _run("--help", LANG="ja_JP.UTF-8")
    assert "小さなネットショップのための、仮名化・暗号化された注文履歴。" in out
    for name in _top_level():
        assert catalog("ja")[f"summary.{name}"] in out, name
    assert "Pull new and changed orders" not in out
    assert "使い方: kamei [OPTIONS] COMMAND [ARGS]..." in out
    assert "オプション" in out and "コマンド" in out and "このヘルプを表示して終了します。" in out
    assert _words_of_typer(out) == []
    key_help = _run("key", "--help", LANG="ja_JP.UTF-8")
    assert "新しい DB 鍵でストアを暗号化し直します。" in key_help and "例:" in key_help


def test_a_parse_error_under_a_japanese_locale_is_japanese_with_exit_code_2() -> None:
    environ = {k: v for k, v in os.environ.items() if k not in ("KAMEI_LANG", "LC_ALL")}
    environ.update(LANG="ja_JP.UTF-8", COLUMNS="100")
    done = subprocess.run(
        [KAMEI, "sync", "--fulll"], capture_output=True, text=True, timeout=60, env=environ
    )
    assert done.returncode == 2
    assert "--fulll というオプションはありません。" in done.stderr
    assert "使い方: kamei sync" in done.stderr and "エラー" in done.stderr
    assert _words_of_typer(done.stderr) == [] and "Error" not in done.stderr


def test_lang_en_overrides_a_japanese_locale_and_kamei_lang_chooses_too() -> None:
    english = _run("--lang", "en", "--help", LANG="ja_JP.UTF-8")
    assert "Pull new and changed orders from every shop (or the named ones)." in english
    japanese = _run("--help", KAMEI_LANG="ja", LANG="C.UTF-8")
    assert "各ショップの新規・更新された注文を取り込みます。" in japanese


def _report_columns() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "store" / "reports").glob("*.py"):
        names |= set(re.findall(r'Column\("([a-z_0-9]+)"', path.read_text(encoding="utf-8")))
    return names


def test_every_report_column_has_a_heading_in_both_languages() -> None:
    columns = _report_columns()
    assert {"orders", "revenue", "suppressed"} <= columns
    assert sorted(c for c in columns if f"column.{c}" not in catalog("en")) == []
    assert all(catalog("en")[f"column.{c}"] == c for c in columns)  # English: the identifier


def _table(name: str, capsys: pytest.CaptureFixture[str]) -> str:
    from cli.output.table import print_table
    from store.reports import Report

    report = Report(
        name=name, title=name, columns=("period", "orders", "revenue", "suppressed"),
        rows=[{"period": "2025-01", "orders": 12, "revenue": 34_000, "suppressed": None}],
        kinds={"period": "month", "orders": "int", "revenue": "yen", "suppressed": "text"},
        keys=("period",), min_group=5,
    )  # fmt: skip
    print_table(report)
    return capsys.readouterr().out


def test_report_tables_have_japanese_headings_and_sql_keeps_its_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    set_language("ja")
    assert all(h in _table("sales", capsys) for h in ("期間", "注文数", "売上", "秘匿"))
    sql = _table("sql", capsys)
    assert "orders" in sql and "注文数" not in sql
    set_language("en")
    assert "注文数" not in _table("sales", capsys)


# --- typer's and click's own words (cli/typer_words.py) ------------------------------


def test_every_typer_word_id_is_used_and_the_english_is_typers_own() -> None:
    from typer import rich_utils

    from cli import typer_words

    source = (ROOT / "cli" / "typer_words.py").read_text(encoding="utf-8")
    ids = {k for k in catalog("en") if k.startswith("typer.")}
    named = set(re.findall(r'"(typer\.[a-z_.]+)"', source))
    details = {f"typer.detail.{name}" for _, name in typer_words._DETAILS}
    assert ids == (named - {"typer.rich_utils"}) | details
    # When typer rewords something, the English catalog must follow (or the hook misses it).
    for constant, key in typer_words._RICH.items():
        assert (
            typer_words._english_rich.get(constant, getattr(rich_utils, constant))
            == (catalog("en")[key])
        ), constant
    for msgid, key in typer_words._GETTEXT.items():
        assert msgid == catalog("en")[key]
    decorators = Path(typer._click.decorators.__file__).read_text(encoding="utf-8")
    assert f'help="{catalog("en")["typer.help_option"]}"' in decorators


def _words_of_typer(text: str) -> list[str]:
    english = ("Usage:", "Options", "Arguments", "Commands", "Show this message", "[required]")
    return [word for word in english if word in text]


@pytest.mark.parametrize(
    ("argv", "japanese"),
    [
        (["sync", "--no-such-flag"], "--no-such-flag というオプションはありません。"),
        (["shop", "add"], "引数 'name' を指定してください。"),
        (["status", "-f", "xx"], "'--format' / '-f' の値が正しくありません: 'xx' は使えません"),
        (["synk"], "'synk' というコマンドはありません。'sync' のことですか？"),
        (["--home"], "オプション '--home' には値が必要です。"),
        (["report", "sales", "extra"], "余分な引数があります（extra）。"),
    ],
)
def test_clicks_parse_errors_come_out_in_japanese_with_exit_code_2(
    argv: list[str], japanese: str
) -> None:
    set_language("ja")
    result = runner.invoke(app, argv, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert japanese in result.stderr
    assert "エラー" in result.stderr
    if argv != ["--home"]:  # click gives that one no usage line
        assert "使い方: kamei" in result.stderr and "ヘルプは 'kamei" in result.stderr
    assert _words_of_typer(result.stderr) == [] and "Error" not in result.stderr


def test_clicks_parse_errors_stay_exactly_english_in_english() -> None:
    result = runner.invoke(app, ["sync", "--no-such-flag"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "Usage: kamei sync" in result.stderr
    assert "No such option: --no-such-flag" in result.stderr
    assert "Try 'kamei sync -h' for help." in result.stderr
    result = runner.invoke(app, ["synk"], env={"COLUMNS": "200"})
    assert "No such command 'synk'. Did you mean 'sync'?" in result.stderr


def test_without_rich_typers_plain_words_are_japanese_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(typer.core, "HAS_RICH", False)
    set_language("ja")
    result = runner.invoke(app, ["shop", "add"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1:] == [
        "ヘルプは 'kamei shop add -h' で表示できます。",
        "",
        "エラー: 引数 'name' を指定してください。",
    ]
    assert result.stderr.startswith("使い方: kamei shop add ")
    helped = runner.invoke(app, ["shop", "remove", "--help"])
    assert "引数:" in helped.stdout and "オプション:" in helped.stdout
    assert "このヘルプを表示して終了します。" in helped.stdout
    assert _words_of_typer(helped.stdout) == []


# --- every help page in Japanese ------------------------------------------------------

# Walks the command tree in a fresh interpreter (help texts are fixed at import, in the
# language chosen then) and prints {"kamei shop add": help text, ...} as JSON.
_WALK = """
import json, typer
from typer.testing import CliRunner
from cli.app import app

def walk(command, path):
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from walk(sub, [*path, name])

runner = CliRunner()
pages = {}
for path in walk(typer.main.get_command(app), []):
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, (path, result.output)
    pages[" ".join(["kamei", *path])] = result.stdout
print(json.dumps(pages, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def japanese_help() -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANG")}
    environ.update(KAMEI_LANG="ja", COLUMNS="100")
    done = subprocess.run(
        [sys.executable, "-c", _WALK],
        capture_output=True, text=True, timeout=120, env=environ, check=True, cwd=ROOT,
    )  # fmt: skip
    pages: dict[str, str] = json.loads(done.stdout)
    return pages


def _flat(page: str) -> str:
    """A help page as one line of words: rich's borders and line breaks taken out."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", page).split())


def _english_sentences() -> set[str]:
    """Sentences of the English catalog that the Japanese one says differently."""
    found: set[str] = set()
    for key, english in catalog("en").items():
        if english == catalog("ja")[key] or key.startswith(("column.", "typer.detail.")):
            continue
        prose = "\n".join(line for line in english.splitlines() if not line.startswith("    "))
        for sentence in re.split(r"(?<=[.;:])\s+|\n+", prose):  # examples left out
            words = re.findall(r"[A-Za-z]{2,}", sentence)
            if len(words) >= 4 and sentence.count(" ") >= 3 and "{" not in sentence:
                found.add(" ".join(sentence.split()))
    return found


def test_the_walk_sees_every_command_and_subcommand(japanese_help: dict[str, str]) -> None:
    assert {"kamei", "kamei shop add", "kamei report sales", "kamei key rotate-db"} <= set(
        japanese_help
    )
    assert len(japanese_help) > 35


def test_no_help_page_keeps_an_english_sentence_of_the_catalog(
    japanese_help: dict[str, str],
) -> None:
    sentences = _english_sentences()
    assert len(sentences) > 100  # the check has teeth
    leftovers = {
        command: [s for s in sentences if s in _flat(page)]
        for command, page in japanese_help.items()
    }
    assert {command: found for command, found in leftovers.items() if found} == {}


def test_every_help_page_has_typers_words_in_japanese(japanese_help: dict[str, str]) -> None:
    for command, page in japanese_help.items():
        assert _words_of_typer(page) == [], command
        assert f"使い方: {command}" in page, command
        assert "このヘルプを表示して終了します。" in page, command
        assert "オプション" in page, command


def test_the_output_options_help_is_japanese(japanese_help: dict[str, str]) -> None:
    page = _flat(japanese_help["kamei report sales"])
    for key in ("output.opt.format", "output.opt.out", "output.opt.encoding"):
        assert " ".join(catalog("ja")[key].split()) in page, key
    assert "Output format." not in page and "standard output" not in page


def test_each_commands_own_help_is_japanese(japanese_help: dict[str, str]) -> None:
    for command, key in OWN_HELP.items():
        assert catalog("ja")[key].splitlines()[0] in japanese_help[f"kamei {command}"], command
    assert "ショップを登録します。" in japanese_help["kamei shop add"]
    assert "引数" in japanese_help["kamei shop add"] and "[必須]" in japanese_help["kamei shop add"]
    assert "コマンド" in japanese_help["kamei report"]


# --- errors from the library layers, at the edge ------------------------------------


def test_every_http_reason_id_is_one_of_the_connectors_reasons() -> None:
    source = (ROOT / "connectors" / "http.py").read_text(encoding="utf-8")
    named = set(re.findall(r'"(http\.reason\.[a-z_0-9]+)"', source))
    assert named == {k for k in catalog("en") if k.startswith("http.reason.")}


def _japanese(argv: list[str]) -> tuple[int, str]:
    set_language("ja")
    result = runner.invoke(app, argv)
    return result.exit_code, result.stderr


def test_a_missing_store_is_reported_in_japanese(home: Path) -> None:
    code, err = _japanese(["status"])
    assert code == 5
    assert err == (
        f"kamei: エラー: {home / 'kamei.db'} に kamei のストアがありません。"
        "`kamei init` で作成してください\n"
    )


def test_a_wrong_key_and_an_unknown_shop_are_reported_in_japanese(home: Path) -> None:
    import keyring

    from store.secrets import SERVICE

    assert runner.invoke(app, ["init"]).exit_code == 0
    code, err = _japanese(["shop", "remove", "nosuch", "--yes"])
    assert code == 5
    assert err == (
        "kamei: エラー: 'nosuch' という名前のショップはありません。"
        "`kamei shop list` で確認してください\n"
    )
    store_id = json.loads((home / "kamei.json").read_text())["store_id"]
    keyring.set_password(SERVICE, f"{store_id}:db-key", os.urandom(32).hex())
    code, err = _japanese(["status"])
    assert code == 5
    assert err.startswith("kamei: エラー: キーリングの鍵では ") and "`kamei key import`" in err
    set_language("en")  # English stays word for word
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 5
    assert "the key in the keyring does not open the store at" in result.stderr


def test_a_configuration_error_of_a_command_is_japanese(home: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    code, err = _japanese(["shop", "add", "a/b", "--platform", "colorme"])
    assert code == 2
    assert err == (
        "kamei: エラー: ショップ名は 1〜64 文字で、スラッシュやタブを含めずに付けてください\n"
    )
    code, err = _japanese(["shop", "add", "main", "--platform", "amazon"])
    assert code == 2
    assert "'amazon' というプラットフォームはありません。次から選んでください: " in err


def test_every_link_of_the_secret_chain_has_a_description_for_doctor() -> None:
    from sync import doctor

    described = {k.removeprefix("doctor.source.") for k in catalog("en") if "source." in k}
    assert described == set(doctor._SOURCES)


def test_doctor_checks_and_their_fixes_are_japanese(home: Path) -> None:
    from sync.doctor import DoctorOptions, run_checks

    set_language("ja")
    checks = {check.name: check for check in run_checks(home, DoctorOptions(host=None))}
    assert checks["store"].detail == f"{home / 'kamei.db'} にストアがありません"
    assert checks["store"].fix == "`kamei init` を実行してください"
    assert checks["schedule"].detail == "このマシンには kamei が扱えるスケジューラーがありません"
    assert checks["disk"].detail.startswith(f"{home} のあるディスクの空き: ")
    assert runner.invoke(app, ["init"]).exit_code == 0
    (home / "kamei.db").write_bytes(b"")  # an empty store file: the fix is its last sentence
    store = run_checks(home, DoctorOptions(host=None))[2]
    assert store.detail.startswith(f"ストアのファイル {home / 'kamei.db'} が空です。")
    assert (
        store.fix == "バックアップから戻すか、別の場所へ移してから `kamei init` を実行してください"
    )
