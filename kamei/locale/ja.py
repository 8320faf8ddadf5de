"""日本語のメッセージ（メッセージ ID ごと、``kamei.i18n``）。ID は ``en.py`` と同じ。"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

MESSAGES: Final[Mapping[str, str]] = {
    # --- コマンドライン全体 -------------------------------------------------------------
    "app.help": (
        "kamei（仮名）: 小さなネットショップのための、仮名化・暗号化された注文履歴。\n\n"
        "カラーミーショップ、MakeShop、ショップサーブから注文を取り込み、氏名・住所・"
        "電話番号・メールアドレスを持たない暗号化ストアに保存します。レポートは誰も"
        "特定できない形で出力します。\n\n"
        "アカウントなしで試す:  kamei demo"
    ),
    "opt.home": (
        "データディレクトリ（ストア、設定、ログ）。既定: OS のユーザーデータ用ディレクトリ。"
    ),
    "opt.debug": "詳細なログとエラー時のトレースバックを表示。",
    "opt.version": "バージョンを表示します。",
    "opt.lang": "メッセージとヘルプの言語: en または ja（既定: KAMEI_LANG、なければロケール）。",
    "opt.yes": "確認を求めずに実行します。",
    "opt.json": "スクリプト向けの JSON で出力します。",
    "edge.error": "kamei: エラー: {message}",
    "edge.interrupted": (
        "kamei: 中断しました。確定済みの処理は残っています。もう一度実行すると続きから再開します"
    ),
    "edge.unexpected": (
        "kamei: 予期しないエラー（{name}）。--debug を付けて再実行すると詳細が表示されます。"
        "報告にご協力ください"
    ),
    # --- typer と click 自身の言葉（cli/typer_words.py） ------------------------------------
    "typer.usage": "使い方: ",
    "typer.arguments": "引数",
    "typer.options": "オプション",
    "typer.commands": "コマンド",
    "typer.error": "エラー",
    "typer.error_prefix": "エラー: {message}",
    "typer.aborted": "中止しました。",
    "typer.aborted_rich": "中止しました。",
    "typer.deprecated": "（非推奨）",
    "typer.default": "既定: {default}",
    "typer.default_rich": "[既定: {}]",
    "typer.env_var": "環境変数: {var}",
    "typer.env_var_rich": "[環境変数: {}]",
    "typer.required": "必須",
    "typer.required_rich": "[必須]",
    "typer.dynamic": "（実行時に決定）",
    "typer.help_option": "このヘルプを表示して終了します。",
    "typer.try_help": "ヘルプは '{command} {option}' で表示できます。",
    "typer.try_help_rich": "ヘルプは [blue]'{command_path} {help_option}'[/] で表示できます。",
    "typer.no_such_command": "{name!r} というコマンドはありません。",
    "typer.missing_command": "コマンドを指定してください。",
    "typer.did_you_mean": "{names} のことですか？",
    "typer.no_such_option": "{name} というオプションはありません。",
    "typer.possible_options": "（候補: {names}）",
    "typer.missing_argument": "引数 {hint} を指定してください。",
    "typer.missing_option": "オプション {hint} を指定してください。",
    "typer.missing_parameter": "{hint} を指定してください。",
    "typer.choose_from": "次から選んでください: {choices}",
    "typer.invalid_value": "値が正しくありません: {message}",
    "typer.invalid_value_for": "{hint} の値が正しくありません: {message}",
    "typer.option_needs_value": "オプション {name} には値が必要です。",
    "typer.option_needs_values": "オプション {name} には値が {count} 個必要です。",
    "typer.option_takes_no_value": "オプション {name} は値を取りません。",
    "typer.extra_arguments": "余分な引数があります（{args}）。",
    "typer.argument_values": "引数 {name} には値が {count} 個必要です。",
    "typer.detail.not_one_of": "{value} は使えません。次のいずれかを指定してください: {choices}",
    "typer.detail.integer": "整数を指定してください",
    "typer.detail.number": "数値を指定してください",
    "typer.detail.boolean": "true または false を指定してください",
    "typer.detail.range": "指定できる範囲の外です",
    # `kamei --help` に出す各コマンドの 1 行の説明
    "summary.init": "暗号化ストアと鍵（キーリングに保管）を作成します。",
    "summary.shop": "ショップを登録・一覧表示・削除します。",
    "summary.auth": "プラットフォームで kamei を認可します（トークンはキーリングへ）。",
    "summary.sync": "各ショップの新規・更新された注文を取り込みます。",
    "summary.status": "各ショップの同期の状況を表示します。",
    "summary.schedule": "毎晩の同期を設定・表示・解除します。",
    "summary.doctor": "環境（キーリング、ストア、認証情報など）を点検します。",
    "summary.report": "ストアのレポート（購入者 k 人未満の区分は秘匿）。",
    "summary.sql": "読み取り専用の SELECT を実行します（秘匿処理なし）。",
    "summary.fake": "合成データの模擬プラットフォーム API（実在の顧客なし）。",
    "summary.demo": "アカウントなしで試します（模擬ショップ、通信なし）。",
    "summary.key": "ストアの鍵を更新・移行・破棄します。",
    "summary.lookup": "申出のあったお客様の履歴を表示します。",
    "summary.forget": "お客様の履歴を削除し、以後も取り込みません。",
    "summary.appi": "個人情報保護法の記録（仮名加工情報）を出力します。",
    # --- 確認 --------------------------------------------------------------------------
    "confirm.needs_yes": (
        "元に戻せない操作です。--yes を付けて確定してください（端末で実行すると確認を求めます）"
    ),
    "confirm.type_word": "続けるには {word} と入力してください",
    "confirm.cancelled": "kamei: 取り消しました。何も変更していません",
    # --- kamei key ---------------------------------------------------------------------
    "key.help": (
        "ストアの鍵を更新・移行・破棄します。\n\n"
        "各手順と、それが履歴にどう影響するかは docs/operations.md にあります。\n\n"
        "例:\n\n    kamei key status"
    ),
    "key.arg.shops": "再構築するショップ（既定: 古い鍵の行を持つもの）。",
    "key.arg.bundle_out": "書き出すバンドルファイル（新しい名前）。",
    "key.arg.bundle_in": "`kamei key export` で書き出したファイル。",
    "key.opt.resync": "新しい鍵ですぐ全ショップを再構築します。",
    "key.opt.replace": "このキーリングにある別の DB 鍵を置き換えます。",
    "key.opt.version": "この古いバージョンの鍵だけを破棄します。",
    "key.status.help": (
        "鍵と、各ショップの行の鍵のバージョンを表示します。\n\n"
        "鍵そのものは表示しません。\n\n"
        "例:\n\n    kamei key status"
    ),
    "key.status.store": "ストア: {store}（{path}）",
    "key.status.keyring": "キーリング: {backend}",
    "key.status.db_key": "DB 鍵: キーリングにあります",
    "key.status.pseudonym": "保持している仮名化キーのバージョン: {versions}（現在: {current}）",
    "key.status.suppression_yes": "消去リストの鍵: キーリングにあります",
    "key.status.suppression_no": (
        "消去リストの鍵: まだありません（最初の `kamei forget` で作成されます）"
    ),
    "key.status.shop_empty": "ショップ {shop}: まだ行がありません",
    "key.status.shop_ok": "ショップ {shop}: 行は鍵のバージョン {version} を使用",
    "key.status.shop_stale": (
        "ショップ {shop}: 行は鍵のバージョン {version} を使用。`kamei key resync` "
        "で再構築してください"
    ),
    "key.rotate_db.help": (
        "新しい DB 鍵でストアを暗号化し直します。\n\n"
        "ファイルを書き換える前に新しい鍵をキーリングに保存し（書き換えは SQLite の 1 つの"
        "トランザクション）、新しい鍵を確認するまで古い鍵も残すため、どの時点でクラッシュしても"
        "ストアを開ける鍵が残ります。同期の実行中は行いません。以前に作った鍵のバンドルでは"
        "暗号化し直したストアを開けません。新しく書き出してください。\n\n"
        "例:\n\n    kamei key rotate-db"
    ),
    "key.rotate_db.done": (
        "{path} のストアを新しい鍵で暗号化し直しました。古い鍵はキーリングから消えています"
    ),
    "key.rotate_db.next": (
        "これまでの鍵のバンドルでは開けません。`kamei key export FILE` で新しく作成してください"
    ),
    "key.rotate_pseudonyms.help": (
        "仮名化キーの新しいバージョンを使い始めます。\n\n"
        "新しい鍵で作る注文キーと購入者の仮名は、保存済みのものと結び付けられません。そのため "
        "`kamei key resync` で再構築するまで、古いバージョンの行を持つショップを `kamei sync` "
        "は同期しません（--resync で今すぐ再構築します）。再構築は各ショップの全履歴を読み直し"
        "ます。プラットフォームが提供しなくなった分は失われます。\n\n"
        "例:\n\n    kamei key rotate-pseudonyms --resync --yes"
    ),
    "key.rotate_pseudonyms.done": (
        "仮名化キーのバージョン {version} を使い始めました（バージョン {old} も保持しています）"
    ),
    "key.rotate_pseudonyms.explain": (
        "古いバージョンで保存した履歴は、新しい同期が保存するものと結び付けられません。"
        "`kamei key resync` で履歴を読み直すまで、`kamei sync` はそのショップを同期しません"
    ),
    "key.resync.help": (
        "現在の仮名化キーで履歴を再構築します。\n\n全件を再同期します。"
        "ショップ名を省くと、古い鍵のバージョンの行を持つすべてのショップが対象です。各ショップ"
        "の保存済み注文とチェックポイントを削除し、プラットフォームから全履歴を読み直します。"
        "プラットフォームが提供しなくなった分は失われます。\n\n"
        "例:\n\n    kamei key resync --yes"
    ),
    "key.resync.question_all": (
        "全ショップの履歴を新しい鍵で再構築しますか？ 各ショップの保存済み注文を削除し、"
        "プラットフォームから読み直します。"
    ),
    "key.resync.question": (
        "{shops} の保存済み注文を削除し、プラットフォームから全履歴を読み直しますか？"
    ),
    "key.resync.nothing": (
        "すべてのショップの行が現在の鍵を使っています。再構築するものはありません"
    ),
    "key.resync.shop_ok": (
        "ショップ {shop} を再構築しました: 鍵のバージョン {version} で {orders} 件の注文"
    ),
    "key.resync.shop_failed": (
        "kamei: ショップ {shop} を再構築できませんでした: {error}。"
        "もう一度 `kamei key resync {shop}` を実行してください"
    ),
    "key.export.help": (
        "鍵と認証情報を暗号化したファイルに書き出します。\n\nストアの鍵とショップの認証情報を、"
        "パスフレーズで保護したファイルに書き出します。\n\n"
        "ストアを新しいマシンに移すとき: kamei.db と kamei.json をコピーし、移行先で "
        "`kamei key import` を実行します。ファイルはパスフレーズから導いた鍵（scrypt）による "
        "AES-256-GCM で暗号化されます。ファイルとパスフレーズは別々に保管してください。\n\n"
        "例:\n\n    kamei key export kamei-keys.bundle"
    ),
    "key.passphrase.new": "バンドルのパスフレーズ（12 文字以上）",
    "key.passphrase.again": "パスフレーズをもう一度",
    "key.passphrase.ask": "バンドルのパスフレーズ",
    "key.export.done": (
        "{path} に書き出しました: DB 鍵、仮名化キーのバージョン {versions}、{shops} "
        "件のショップの認証情報"
    ),
    "key.export.keep": "ファイルとパスフレーズは別々に保管してください。両方あればストアを開けます",
    "key.import.help": (
        "鍵のバンドルをこのマシンのキーリングに取り込みます。\n\n`kamei key export` "
        "の鍵と認証情報を取り込みます。\n\n"
        "コピーした kamei.db と kamei.json のある kamei ホームで実行します。バンドルはその"
        "ストアのものでなければならず、その DB 鍵でファイルを開けなければなりません。\n\n"
        "例:\n\n    kamei key import kamei-keys.bundle"
    ),
    "key.import.unreadable": "{path} を読めません。パスを確認してください",
    "key.import.done": (
        "ストア {store} の鍵を取り込みました: DB 鍵、仮名化キーのバージョン {versions}、"
        "認証情報のあるショップ: {shops}"
    ),
    "key.destroy.help": (
        "仮名化キーを破棄します（暗号学的消去）。\n\n保存済みの履歴を誰とも結び付けられない状態にし"
        "ます。\n\n"
        "暗号学的消去（クリプトシュレッディング）です。--version を省くと、すべてのバージョンを"
        "キーリングから削除し、新しいバージョンを使い始めます。以後 `kamei lookup` は保存済みの"
        "履歴から誰も見つけられず、`kamei sync` は `kamei key resync` まで該当する行を持つショップ"
        "を同期しません。--version N ではその古いバージョンだけを破棄します。元に戻せません。"
        "確認で destroy と入力するか、--yes を付けてください。\n\n"
        "例:\n\n    kamei key destroy-pseudonym-key --version 1"
    ),
    "key.destroy.question": (
        "仮名化キーのバージョン {versions} を完全に削除します。保存済みの {orders} 件の注文は"
        "誰とも結び付けられなくなり、`kamei lookup` でも見つからなくなります。"
    ),
    "key.destroy.done": (
        "仮名化キーのバージョン {versions} を破棄しました。保存済みの {orders} 件の注文は、"
        "もう誰とも結び付けられません"
    ),
    "key.destroy.after_all": (
        "バージョン {current} を使用中です。結び付けられない行を持つショップは、"
        "`kamei key resync` でプラットフォームから新しく取り込み直すまで `kamei sync` の対象外です"
    ),
    # store.keys と store.bundle のエラー
    "keys.store_busy": (
        "別のプログラムがストアを開いているため、今は暗号化し直せません。それ（レポート、"
        "`kamei sql`）を閉じてからやり直してください"
    ),
    "keys.rekey_unverified": (
        "{path} のストアは暗号化し直した後の整合性検査に通りませんでした。両方の鍵がキーリングに"
        "残っているので失われたものはありません。`kamei doctor` を実行してください"
    ),
    "keys.wrong_key": (
        "キーリングの鍵で {path} のストアを開けません（または先頭ページが壊れています）。"
        "ファイルを別のマシンからコピーしましたか？ `kamei key import` で鍵を戻すか、"
        "`kamei doctor` を実行してください"
    ),
    "keys.destroy_current": (
        "バージョン {version} は現在使用中の仮名化キーです。すべてのバージョンを破棄する"
        "（--version を省く）か、先に `kamei key rotate-pseudonyms` で新しい鍵を作ってください"
    ),
    "keys.no_such_version": (
        "キーリングに仮名化キーのバージョン {version} はありません（あるのは: {held}）。"
        "`kamei key status` を参照してください"
    ),
    "bundle.passphrase_short": "バンドルには {minimum} 文字以上のパスフレーズを使ってください",
    "bundle.exists": (
        "{path} は既にあります。別のファイル名にしてください（鍵のバンドルは上書きしません）"
    ),
    "bundle.no_folder": "フォルダ {folder} がありません。先に作成してください",
    "bundle.not_a_bundle": (
        "kamei の鍵のバンドルではありません。`kamei key export` "
        "で書き出したファイルを使ってください"
    ),
    "bundle.newer": "この鍵のバンドルは新しい kamei で作られています。kamei を更新してください",
    "bundle.wrong_passphrase": (
        "パスフレーズでこの鍵のバンドルを開けません（またはファイルが壊れています）。"
        "もう一度試してください"
    ),
    "bundle.other_store": (
        "このバンドルはストア {bundle} の鍵で、ここにあるストア {store} のものではありません。"
        "対応する kamei.db と kamei.json をコピーするか、そのストアのバンドルを使ってください"
    ),
    "bundle.stale": (
        "このバンドルの DB 鍵では {path} を開けません。バンドルがストアの最後の "
        "`kamei key rotate-db` より古いものです。移行元で新しく書き出してください"
    ),
    # --- kamei lookup / forget ---------------------------------------------------------
    "people.lookup.help": (
        "申出のあったお客様の履歴を表示します。\n\nメールアドレスか電話番号から、"
        "保存済みの履歴を探します。\n\n"
        "アドレスや番号は同期と同じ方法で正規化し、保持しているそれぞれの鍵のバージョンで購入者"
        "の仮名に変換します。保存も表示もしません。仮名から本人を割り出すコマンドはありません。\n\n"
        "例:\n\n    kamei lookup --email hanako@example.jp"
    ),
    "people.forget.help": (
        "お客様の履歴を削除し、以後も取り込みません。\n\n"
        "削除を記録し（仮名、日付、件数。連絡先は含みません）、アドレスや番号の鍵付きタグを"
        "消去リストに加えます。以後の同期は、鍵を更新した後でも、その注文を取り込みません。"
        "分かる場合は --email と --phone の両方を指定してください。\n\n"
        "例:\n\n    kamei forget --email hanako@example.jp --yes"
    ),
    "people.opt.email": "お客様のメールアドレス（複数指定可）。",
    "people.opt.phone": "お客様の電話番号。書き方は自由（複数指定可）。",
    "people.bad_email": "--email: メールアドレスではありません（@ が必要です）。確認してください",
    "people.bad_phone": "--phone: 電話番号ではありません（9 桁以上）。確認してください",
    "people.no_contact": "お客様の --email か --phone を指定してください（両方分かれば両方）",
    "people.lookup.pseudonyms": "仮名: {names}",
    "people.lookup.forgotten": "{forgotten} に消去済み: {orders} 件の注文を削除（{pseudonym}）",
    "people.lookup.none": "保存済みの注文はありません",
    "people.lookup.none_phone": (
        "保存済みの注文はありません（注文にメールアドレスがあれば、kamei はそれで購入者を"
        "分けます。--email も試してください）"
    ),
    "people.lookup.count": "保存済みの注文 {orders} 件:",
    "people.lookup.order": "  {ordered}  {shop}  {status}  {total:,}円  {items}点  {products}",
    "people.forget.question": (
        "{names} の保存済み注文 {orders} 件を削除し、以後の同期でもこの購入者を取り込まない"
        "ようにしますか？"
    ),
    "people.forget.done": "{pseudonym} を消去しました: {orders} 件の注文を削除",
    "people.forget.after": (
        "以後の同期はこの購入者の注文を取り込みません。プラットフォームにはお客様の情報が残って"
        "います。申出があればそちらでも削除してください"
    ),
    "forget.key_missing": (
        "ストア {store} には消去した購入者がいますが、そのタグの鍵（suppression-key）が"
        "キーリングにないため、同期で取り込み直すおそれがあります。`kamei key import` で鍵を"
        "戻してください"
    ),
    "resync.mixed": (
        "ショップ {shop} の保存済み注文は仮名化キーのバージョン {stored} を使っていますが、"
        "現在の鍵はバージョン {current} です。`kamei key resync {shop}` で履歴を再構築してください"
    ),
    # --- kamei appi --------------------------------------------------------------------
    "appi.help": (
        "個人情報保護法の記録（仮名加工情報）を出力します。"
        "\n\n日本語の記録に英語版を付けて出力します。\n\n"
        "削除・置換・保存する項目（コードの許可リストから生成）、削除情報等（仮名化キー）の"
        "保管場所とアクセスできる者、取扱いのルール、消去の記録、利用目的の公表文案を含みます。"
        "確認用の下書きで、法的助言ではありません。\n\n"
        "例:\n\n    kamei appi --out appi-register.md"
    ),
    "appi.opt.out": "標準出力ではなくこのファイルに書き出します。",
    "appi.wrote": "{path} に書き出しました",
    "appi.title": "# 仮名加工情報の取扱いに関する記録",
    "appi.generated": "作成日時: {date}（kamei {version} が生成）。ストア ID: `{store}`。",
    "appi.disclaimer": (
        "> この記録は、kamei の実際の設定とコードから生成した下書きです。法的な助言ではありません。"
        "内容を確認し、空欄（＿＿＿）を埋めてから、事業者の記録として保管してください。"
        "条番号は、令和4年4月1日施行の個人情報の保護に関する法律（以下「法」）及び"
        "個人情報の保護に関する法律施行規則（以下「規則」）によります。"
    ),
    "appi.s1.title": "## 1. 仮名加工情報の作成の方法（法第41条第1項、規則第31条）",
    "appi.s1.intro": (
        "kamei は、ショップ運営プラットフォームの API から受け取った注文情報を 1 ページずつ"
        "メモリ上で次のとおり加工し、加工後の情報だけを暗号化したストアに保存します。"
        "加工前の情報は、ディスク、ログ及び出力ファイルに書き込まれません。"
    ),
    "appi.s1.deleted": (
        "### 1.1 削除する記述等（各プラットフォームのコネクタが応答の読み込み時に破棄）"
    ),
    "appi.s1.replaced": (
        "### 1.2 置き換える記述等（復元することのできる規則性を有しない方法による置換）"
    ),
    "appi.s1.stored": "### 1.3 保存する項目（ストアはこれ以外の項目を受け付けません）",
    "appi.s1.identifiers": (
        "### 1.4 個人識別符号及び財産的被害が生じるおそれのある記述等\n\n"
        "kamei は個人識別符号（マイナンバー、旅券番号、運転免許証番号等）を取得しません。"
        "クレジットカード番号、決済事業者の取引 ID その他、不正に利用されると財産的被害が"
        "生じるおそれのある記述等も保存しません（1.1 参照）。"
    ),
    "appi.s2.title": "## 2. 削除情報等の安全管理措置（法第41条第2項、規則第32条）",
    "appi.s2.body": (
        "kamei は、削除した記述等（氏名等）そのものを保持しません。削除情報等に当たるのは、"
        "仮名を作るための鍵（加工の方法に関する情報）です。\n\n"
        "- 仮名化キー: OS のキーリング（{backend}）に、サービス名 `kamei`、エントリ "
        "`{store}:pseudonym-key:<バージョン>` として保管。保持しているバージョン: {versions}"
        "（使用中: {current}）。仮名加工情報を収めたストアとは別に保管しています。\n"
        "- ストアの暗号鍵: 同じキーリングのエントリ `{store}:db-key`（仮名化キーとは別の鍵）。"
        "ストアのファイルは SQLCipher で全体が暗号化されています。\n"
        "- 消去リストの鍵: エントリ `{store}:suppression-key`（{suppression}）。\n"
        "- アクセスできる者: kamei を実行する OS アカウント（`{user}`）と、そのキーリングを"
        "解錠できる者に限られます。\n"
        "- 取り扱う者の権限及び責任: 責任者 ＿＿＿＿＿＿、取扱者 ＿＿＿＿＿＿\n"
        "- 取扱いに関する規程: 本記録の第3節に従います。鍵をこのマシンの外に出すのは、"
        "パスフレーズで暗号化したファイル（`kamei key export`）に限り、保管場所は ＿＿＿＿＿＿ "
        "とします。\n"
        "- 不正アクセスを防止する措置: OS アカウントのパスワードと画面ロック、ディスクの暗号化、"
        "＿＿＿＿＿＿"
    ),
    "appi.s2.suppression_yes": "作成済み",
    "appi.s2.suppression_no": "未作成。最初の `kamei forget` で作成されます",
    "appi.s3.title": "## 3. 取扱いのルール（法第41条第3項〜第9項）",
    "appi.s3.body": (
        "1. 第5節で公表した利用目的の達成に必要な範囲でのみ取り扱います（第3項）。利用目的を"
        "変更したときは、変更後の利用目的を公表します（第4項）。\n"
        "2. 利用する必要がなくなったときは、遅滞なく消去するよう努めます（第5項）。手段: "
        "`kamei forget`（特定の購入者の履歴）、`kamei shop remove`（ショップ単位）、"
        "`kamei key destroy-pseudonym-key`（仮名化キーを破棄し、保存済みの履歴を誰とも結び"
        "付けられない状態にする）。\n"
        "3. 第三者に提供しません（第6項。法令に基づく場合、委託、事業の承継及び共同利用を"
        "除く）。`kamei report` は購入者が 5 人（`--min-group`）未満の区分を秘匿しますが、"
        "社外に出す前に内容を確認します。購入者の仮名を含む出力（`kamei sql`、"
        "`kamei lookup`）は社外に出しません。\n"
        "4. 仮名加工情報を他の情報と照合して本人を識別しません（第7項）。kamei には、仮名から"
        "本人を割り出すコマンドはありません。\n"
        "5. 仮名加工情報に含まれる連絡先その他の情報を用いて、本人に電話、郵便、電子メール等で"
        "連絡したり、訪問したりしません（第8項）。kamei は連絡先を保存しません。\n"
        "6. 仮名加工情報である個人データには、利用目的の変更の制限（法第17条第2項）、漏えい等"
        "の報告（法第26条）及び開示等の請求（法第32条〜第39条）の規定は適用されません"
        "（第9項）。\n"
        "7. 注意: `kamei lookup` と `kamei forget` は、申出の際にお客様から知らされた"
        "メールアドレスや電話番号から仮名を計算します。本人からの申出（履歴の削除など）に"
        "応じる目的に限って使い、識別行為の禁止（第7項）との関係は、個人情報保護委員会の"
        "ガイドライン・Q&A 又は専門家に確認してください。"
    ),
    "appi.s4.title": "## 4. 消去の記録（`kamei forget`）",
    "appi.s4.header": "| 仮名 | 消去日 | 削除した注文数 |",
    "appi.s4.none": "消去の記録はありません。",
    "appi.s5.title": "## 5. 利用目的の公表文（案）",
    "appi.s5.body": (
        "> 当店は、お客様のご注文の情報から、氏名、フリガナ、住所、電話番号、メールアドレス"
        "その他の特定の個人を識別することができる記述等を削除し、又は復元できない符号に"
        "置き換えた仮名加工情報を作成し、次の目的で利用します。\n"
        ">\n"
        "> - 販売実績の集計及び分析（期間別・商品別・地域別の売上、リピート購入の傾向等）\n"
        "> - 商品の企画・開発、品揃え及び在庫計画の改善\n"
        "> - 販売促進施策の効果の測定\n"
        ">\n"
        "> 仮名加工情報は当店の内部でのみ利用し、第三者に提供しません。また、仮名加工情報を"
        "他の情報と照合してお客様を識別すること、及び仮名加工情報を用いてお客様に連絡する"
        "ことはありません。\n"
        ">\n"
        "> 公表日: ＿＿＿＿年＿＿月＿＿日　事業者名: ＿＿＿＿＿＿　お問い合わせ窓口: ＿＿＿＿＿＿"
    ),
    # 保存する項目: OrderRecord と LineRecord の各フィールド（tests/test_appi.py）
    "appi.field.order_key": (
        "注文キー（プラットフォーム・ショップ・注文番号から仮名化キーで作る値。元の注文番号には"
        "戻せない）"
    ),
    "appi.field.platform": "プラットフォーム",
    "appi.field.ordered_at": "注文日時",
    "appi.field.updated_at": "最終更新日時",
    "appi.field.status": "注文の状態（未入金、入金済み、発送済み、キャンセル、返品）",
    "appi.field.buyer": "購入者の仮名（1.2 参照）",
    "appi.field.goods_total": "商品合計",
    "appi.field.shipping": "送料",
    "appi.field.fees": "手数料",
    "appi.field.tax": "消費税",
    "appi.field.discounts": "値引き",
    "appi.field.grand_total": "合計金額",
    "appi.field.points_used": "利用ポイント",
    "appi.field.payment_method": "支払方法の名称",
    "appi.field.delivery_method": "配送方法の名称",
    "appi.field.coupon_name": "クーポン名",
    "appi.field.is_gift": "ギフト注文か否か",
    "appi.field.multi_destination": "複数の配送先があるか否か",
    "appi.field.is_member": "会員による注文か否か",
    "appi.field.prefecture": "購入者の都道府県",
    "appi.field.age_band": "注文時の年代（10 歳刻み。生年月日から計算し、生年月日は保存しない）",
    "appi.field.gender": "性別（提供された場合）",
    "appi.field.shop": "ショップ（当店のどのショップの注文か）",
    "appi.field.line_no": "注文内の明細番号",
    "appi.field.product_id": "商品 ID",
    "appi.field.product_name": "注文時の商品名",
    "appi.field.unit_price": "単価",
    "appi.field.quantity": "数量",
    "appi.field.subtotal": "明細の小計",
    "appi.field.product_code": "商品コード",
    "appi.field.sku": "SKU",
    "appi.field.variation": "バリエーション（サイズ、色などの選択肢）",
    "appi.field.tax_class": "税率区分",
    # 置き換える項目: コネクタの項目のうち、そのままは保存しないもの
    "appi.replaced.platform_order_id": (
        "プラットフォームの注文番号 → 注文キー（仮名化キーによる HMAC-SHA256）"
    ),
    "appi.replaced.email": (
        "メールアドレス → 購入者の仮名 `p<バージョン>_…`（正規化した上で仮名化キーによる "
        "HMAC-SHA256。鍵がなければ元に戻すことも照合することもできない）"
    ),
    "appi.replaced.phone": "電話番号 → 購入者の仮名（メールアドレスがない場合。方法は同上）",
    "appi.replaced.member_id": (
        "プラットフォームの会員 ID → 購入者の仮名（メールアドレスも電話番号もない場合。方法は同上）"
    ),
    "appi.replaced.birthday": "生年月日 → 注文時の年代（10 歳刻み）",
    "appi.replaced.variations": (
        "選ばれたバリエーションの値 → 1 つの文字列（本人に関する記述は含まない）"
    ),
    # 削除する項目: コネクタが破棄するもの（docs/privacy.md「What is never stored」）
    "appi.dropped.name": "氏名（購入者、配送先、請求先）",
    "appi.dropped.kana": "氏名のフリガナ",
    "appi.dropped.company": "会社名、部署名",
    "appi.dropped.fax": "FAX 番号",
    "appi.dropped.postal_code": "郵便番号",
    "appi.dropped.address": "住所（都道府県を除く）",
    "appi.dropped.recipient": "配送先・ギフトの受取人",
    "appi.dropped.free_text": (
        "自由記述: 注文時の備考、配送に関するメモ、ギフトメッセージ、のし書き、名入れ・刻印等の"
        "内容、ショップからの質問への回答"
    ),
    "appi.dropped.tracking_number": "配送伝票番号、追跡番号",
    "appi.dropped.payment_transaction": "決済事業者の取引 ID",
    "appi.dropped.raw_body": "API の応答そのもの",
    # 組み込みレポートの端末表示の列見出し（cli/output/table.py）。ファイルと JSON は
    # スクリプトが頼る識別子のまま。
    "column.average_order_value": "平均注文額",
    "column.average_orders": "平均注文数",
    "column.average_recency_days": "平均経過日数",
    "column.average_revenue": "平均売上",
    "column.buyer": "購入者",
    "column.buyers": "購入者数",
    "column.code": "コード",
    "column.cohort": "コホート",
    "column.cohort_buyers": "コホートの購入者数",
    "column.confidence_a_to_b": "確信度 A→B",
    "column.confidence_b_to_a": "確信度 B→A",
    "column.cumulative_revenue_per_buyer": "購入者あたり累計売上",
    "column.f": "F（頻度）",
    "column.lift": "リフト",
    "column.m": "M（金額）",
    "column.months_since": "経過月数",
    "column.new_buyers": "新規購入者数",
    "column.orders": "注文数",
    "column.orders_per_buyer": "購入者あたり注文数",
    "column.period": "期間",
    "column.prefecture": "都道府県",
    "column.product": "商品",
    "column.product_a": "商品 A",
    "column.product_b": "商品 B",
    "column.product_id": "商品 ID",
    "column.r": "R（最新性）",
    "column.rank": "順位",
    "column.recency_days": "最終購入からの日数",
    "column.repeat_buyers": "リピート購入者数",
    "column.retention": "継続率",
    "column.returning_buyers": "再購入者数",
    "column.revenue": "売上",
    "column.segment": "セグメント",
    "column.share_of_buyers": "購入者の構成比",
    "column.share_of_revenue": "売上の構成比",
    "column.shop": "ショップ",
    "column.support": "支持度",
    "column.suppressed": "秘匿",
    "column.units": "数量",
    "column.variation": "バリエーション",
    # --- kamei init, kamei shop --------------------------------------------------------------
    "init.help": (
        "暗号化ストアと鍵（キーリングに保管）を作成します。\n\n"
        "既にあるストアには手を付けません。\n\n"
        "例:\n\n"
        "    kamei init"
    ),
    "init.created": "暗号化ストアを作成しました: {path}",
    "init.next": "鍵は OS のキーリングに保管しました。次は: kamei shop add NAME --platform colorme",
    "shop.help": "ショップを登録・一覧表示・削除します。",
    "shop.add.help": (
        "ショップを登録します。認証情報は OS のキーリングに保管し、ファイルには書きません。\n\n"
        "例:\n\n"
        '    echo "$TOKEN" | kamei shop add main --platform colorme --credential-stdin\n\n'
        "    kamei shop add ms --platform makeshop --credential-stdin < "
        "makeshop-credential.json\n\n"
        '    echo "myshop.jp:$MANAGER_KEY" | kamei shop add ss --platform shopserve '
        "--credential-stdin"
    ),
    "shop.arg.name": "ショップの短い名前（例: 'main'）。",
    "shop.opt.platform": (
        "colorme、makeshop、shopserve のいずれか（MakeShop の認証情報はトークンと API キーで、"
        'JSON {"token": ..., "api_key": ...} または 2 行で渡します）'
    ),
    "shop.opt.base_url": "API のベース URL（既定: プラットフォーム標準の URL）。",
    "shop.opt.credential_stdin": (
        "認証情報を標準入力から読み込みます。カラーミーショップはアクセストークン、MakeShop は "
        '{"token": ..., "api_key": ...} または 2 行に分けた 2 つ、ショップサーブは '
        "SHOP_ID:MANAGER_KEY です。"
    ),
    "shop.opt.lookback_days": "後から変わった注文を拾うため、同期のたびに読み直す日数。",
    "shop.opt.rate": "kamei が自分に許す 1 秒あたりのリクエスト数（クライアント側の上限）。",
    "shop.opt.mapping": (
        "ショップサーブ用: 想定している API の形式を補正する JSON ファイル（docs/platforms.md）。"
    ),
    "shop.bad_name": "ショップ名は 1〜64 文字で、スラッシュやタブを含めずに付けてください",
    "shop.bad_lookback": "--lookback-days は 0 から 366 までの値にしてください",
    "shop.bad_rate": "--rate は 0 より大きく 1000（1 秒あたりのリクエスト数）以下にしてください",
    "shop.mapping_not_shopserve": (
        "--mapping はショップサーブのショップ専用です。{platform} では外してください"
    ),
    "shop.mapping_unreadable": "{path} を UTF-8 のテキストとして読めません。パスを確認してください",
    "shop.added": "ショップ {name!r}（{label}）を追加しました",
    "shop.no_credential": "認証情報はまだありません。{hint}",
    "shop.hint_pipe": "`kamei shop credential {name}` にパイプで渡してください",
    "shop.hint_colorme": "`kamei auth colorme {name}` を実行するか、{pipe}",
    "shop.bad_base_url": (
        "--base-url には http(s) の URL を指定してください（例: https://api.shop-pro.jp）"
    ),
    "shop.base_url_secret": (
        "--base-url にユーザー名・パスワード・クエリを含めないでください。"
        "ただの設定として保存され `kamei shop list` に表示されます。認証情報は "
        "--credential-stdin で渡してください（OS のキーリングに保管します）"
    ),
    "shop.http_warning": (
        "kamei: 警告: http:// のベース URL ではショップの認証情報が暗号化されずに送られます。"
        "テスト用サーバーでなければ https:// を使ってください"
    ),
    "shop.unreadable_url": "（読み取れない URL）",
    "shop.credential.help": (
        "ショップの認証情報を標準入力から読み込んで設定・差し替えます（OS のキーリングに保管）"
        "。\n\n"
        "形式は、そのショップのプラットフォームで `kamei shop add --credential-stdin` "
        "が受け付けるものと同じです。\n\n"
        "例:\n\n"
        '    echo "$NEW_TOKEN" | kamei shop credential main'
    ),
    "shop.credential.arg.name": "認証情報を設定・差し替えるショップ。",
    "shop.credential.stored": "{name!r} の認証情報を OS のキーリングに保管しました",
    "shop.list.help": "登録済みのショップを一覧表示します。\n\n例:\n\n    kamei shop list --json",
    "shop.remove.help": (
        "ショップと、保存済みの注文、認証情報を削除します。\n\n"
        "例:\n\n"
        "    kamei shop remove old-shop --yes"
    ),
    "shop.remove.arg.name": "削除するショップ。",
    "shop.remove.needs_yes": "ショップを削除すると履歴も消えます。--yes を付けて確定してください",
    "shop.remove.question": "ショップ {name!r} と保存済みの注文をすべて削除しますか？",
    "shop.removed": "ショップ {name!r} と認証情報、保存済みの注文 {orders} 件を削除しました",
    # --- kamei sync, status, sql -------------------------------------------------------------
    "sync.help": (
        "各ショップの新規・更新された注文を取り込みます。\n\n"
        "ショップ名を指定すると、そのショップだけを同期します。"
        "各ショップは前回止まったところから再開し、"
        "後からの入金・発送・キャンセルを拾うため数日前（ルックバック）から読み直します。"
        "連絡先はメモリ上で仮名化し、許可した項目だけを保存します。\n\n"
        "すべてのショップが同期できたときだけ終了コード 0 を返します。端末では進捗バーを、"
        "それ以外（cron など）では 1 行の要約を表示します。`--scheduled` "
        "は毎晩のジョブ（`kamei schedule install`）が使うモードで、<home>/logs/kamei.log "
        "にも記録し、結果を `kamei schedule status` と `kamei doctor` のために残します。\n\n"
        "例:\n\n"
        "    kamei sync\n"
        "    kamei sync main --since 2025-01-01\n"
        "    kamei sync --full"
    ),
    "sync.arg.names": "同期するショップ（既定: すべて）。",
    "sync.opt.full": "履歴全体を読み直します（時間がかかります。通常は不要です）。",
    "sync.opt.since": "この日以降に変わった注文を読み直します（YYYY-MM-DD、日本時間）。",
    "sync.opt.wait": "別の同期が実行中なら、終了せずに終わるのを待ちます。",
    "sync.opt.scheduled": (
        "毎晩のジョブ用のモード: <home>/logs/kamei.log に記録し、結果を残します。"
    ),
    "opt.bad_date": "{option} には 2025-01-31 のような日付を指定してください（{value!r} ではなく）",
    "sync.summary": "{total} ショップ中 {ok} ショップを同期しました: {shops}",
    "sync.summary.shop": "{shop} 新規 {orders} 件",
    "sync.summary.failed": "（{outcome}）",
    "sync.summary.none": "ショップがありません",
    "status.help": (
        "各ショップの同期の状況を表示します。\n\n"
        "プラットフォーム、保存済みの注文数、最後に成功した同期、"
        "取り込み済みの時点（ウォーターマーク）、前回の実行結果を表示します。\n\n"
        "例:\n\n"
        "    kamei status\n"
        "    kamei status --json"
    ),
    "sql.help": (
        "読み取り専用の SELECT を実行します（秘匿処理なし）。\n\n"
        "結果は少人数の区分も秘匿しないので、人に渡す前に確認してください。"
        "ストアは読み取り専用で開くため、INSERT、UPDATE、DELETE、CREATE、ATTACH や PRAGMA "
        "による変更は拒否します。テーブル: shops、orders、order_lines、"
        "sync_runs（docs/reports.md を参照）。結果に購入者の仮名が含まれることがあります。\n\n"
        "例:\n\n"
        '    kamei sql "SELECT status, COUNT(*) AS orders FROM orders GROUP BY status"'
    ),
    "sql.arg.query": "SELECT 文を 1 つ。",
    # --- kamei report (the command line; report titles live in store/reports) ----------------
    "report.help": (
        "ストアのレポート（購入者 k 人未満の区分は秘匿）。\n\n"
        "どのレポートも、購入者が k 人に満たない区分の数字は表示しません。\n\n"
        "例:\n\n"
        "    kamei report sales --by month --format xlsx --out sales.xlsx"
    ),
    "report.opt.min_group": (
        "購入者がこの人数に満たない区分を秘匿します（既定: settings.toml の "
        "reports.min_group、なければ 5）。"
    ),
    "report.opt.shop": "このショップだけ（複数指定可）。",
    "report.opt.platform": "このプラットフォームだけ（複数指定可）。",
    "report.opt.since": "最初の日（日本時間、YYYY-MM-DD）。",
    "report.opt.until": "最後の日（この日を含む。日本時間、YYYY-MM-DD）。",
    "report.opt.top": "表示する行の先頭 N 行だけ。",
    "report.opt.by": "day、week、month、year のいずれか（日本時間）。",
    "report.opt.variations": "商品とバリエーションごとに 1 行。",
    "report.opt.months": "各コホートを追う月数。",
    "report.opt.detail": "購入者ごとの仮名とスコアを一覧表示します（社内利用のみ）。",
    "report.sales.help": (
        "期間・ショップ別の注文数、売上、点数、購入者数（新規/リピート）、平均注文額。\n\n"
        "例:\n\n"
        "    kamei report sales --by month --format csv --out sales.csv"
    ),
    "report.products.help": (
        "商品別の売上、点数、注文数、購入者数、リピート購入者数（よく売れた順）。\n\n"
        "例:\n\n"
        "    kamei report products --top 20 --since 2025-01-01"
    ),
    "report.repeat.help": (
        "購入者あたりの注文数、リピート率、2 回目の注文までの日数（中央値）、"
        "リピート購入者の売上比率。\n\n"
        "例:\n\n"
        "    kamei report repeat --format json"
    ),
    "report.cohorts.help": (
        "初回購入月別のコホート: 継続した購入者（人数と %）と購入者あたりの売上。\n\n"
        "例:\n\n"
        "    kamei report cohorts --months 12 --format html --out cohorts.html"
    ),
    "report.rfm.help": (
        "最終購入日・購入頻度・購入金額（RFM）のスコアと、"
        "名前付きセグメントごとの購入者数と売上。\n\n"
        "例:\n\n"
        "    kamei report rfm --format html --out rfm.html"
    ),
    "report.baskets.help": (
        "同じ注文で一緒に買われた商品の組み合わせ: 支持度、確信度、リフト値。\n\n"
        "例:\n\n"
        "    kamei report baskets --top 20 --format csv --out pairs.csv"
    ),
    "report.prefectures.help": (
        "購入者の都道府県別の注文数、売上、購入者数（全国合計つき）。\n\n"
        "例:\n\n"
        "    kamei report prefectures --format html --out prefectures.html"
    ),
    # --- kamei demo, kamei fake --------------------------------------------------------------
    "demo.help": (
        "アカウントなしで試します（模擬ショップ、通信なし）。\n\n"
        "模擬ショップを同期してレポートを表示します。確認の入力は求めません。"
        "プラットフォームごとに模擬 API を 127.0.0.1 で起動し（既定はカラーミーショップと "
        "MakeShop。`--platform all` で kamei が模擬できるすべてのプラットフォーム）、"
        "どれも同じ合成顧客に販売します。一時フォルダーに暗号化ストアを作り、"
        "全ショップを同期して、売上レポートと、ショップ間で共通する購入者の数を表示します（同じ"
        "人はどのプラットフォームでも同じ仮名になります）。\n\n"
        "デモ専用: 鍵は使い捨てのメモリ上のキーリングに置くため、"
        "コマンドの終了後はデモのストアを開けません。\n\n"
        "例:\n\n"
        "    kamei demo --orders 3000\n"
        "    kamei demo --platform all"
    ),
    "demo.opt.orders": "ショップごとの合成注文の件数。",
    "demo.opt.seed": "合成データのシード値。",
    "demo.opt.platform": "模擬するプラットフォーム（カンマ区切り）。'all' で模擬のあるすべて。",
    "demo.opt.home": "デモのストアを置くフォルダー（既定: 新しい一時フォルダー）。",
    "demo.bad_platforms": (
        "プラットフォームは {known} から選ぶか（カンマ区切り）、'all' を指定してください"
    ),
    "demo.keyring": "kamei demo: 鍵は使い捨てのメモリ上のキーリングに置きます（デモ専用）",
    "demo.fake_at": "{label} の模擬 API（{url}）: 合成注文 {orders} 件",
    "demo.synced": (
        "{shop}: {orders} 件の注文を {seconds:.1f} 秒で同期（リクエスト {requests} 回）: {outcome}"
    ),
    "demo.sales_title": "月別の売上（直近 6 か月）",
    "demo.shared_all": "2 ショップ以上",
    "demo.shared": "ショップ間で共通する購入者（{label}）: {figure}",
    "demo.suppressed": "{k} 人未満（秘匿）",
    "demo.store": "\nストア: {path}（暗号化済み。仮名化した注文 {orders} 件）",
    "demo.home": "ホーム: {folder}",
    "demo.done": "{seconds:.1f} 秒で完了しました。次は: kamei init、続いて kamei shop add",
    "demo.failed": "kamei: デモの {shop} の同期に失敗しました: {error}",
    "fake.help": "合成データの模擬プラットフォーム API（実在の顧客なし）。",
    "fake.serve.help": (
        "止めるまで模擬プラットフォーム API を提供します。\n\n"
        '最初に JSON を 1 行表示します: {"platform", "base_url", "credential", "orders"}。'
        "credential は `kamei shop add --credential-stdin` にそのまま渡せます。\n\n"
        "例:\n\n"
        "    kamei fake serve --platform colorme --orders 5000 --faults latency=20ms"
    ),
    "fake.opt.platform": "colorme、makeshop、shopserve のいずれか",
    "fake.opt.host": "待ち受けるアドレス。",
    "fake.opt.port": "ポート（0 なら空いているものを選びます）。",
    "fake.opt.orders": "生成する注文の件数。",
    "fake.opt.faults": (
        "起こす障害（カンマ区切り）。例: latency=50ms,429=0.1,5xx=0.05,reset=0.02,truncate=0.02"
        ",churn=1"
    ),
    "fake.opt.canary": (
        "個人に関わるすべての値に固有の KNRY マーカーを埋め込みます（漏えいテスト用）。"
    ),
    "fake.public_warning": "kamei: 警告: 模擬 API は、接続できる誰にでも合成データを返します",
    # --- kamei auth, kamei schedule, kamei doctor --------------------------------------------
    "auth.help": "プラットフォームで kamei を認可します（トークンはキーリングへ）。",
    "auth.colorme.help": (
        "カラーミーショップのショップで kamei を認可し（スコープ read_sales）、"
        "トークンをキーリングに保管します。\n\n"
        "https://api.shop-pro.jp/oauth/applications/new でアプリを登録し、リダイレクト URI に "
        "http://127.0.0.1:PORT/callback（--port PORT を指定）か "
        "urn:ietf:wg:oauth:2.0:oob（--oob を指定）を設定してください。"
        "カラーミーショップのトークンに有効期限はありません。"
        "ショップの管理画面でアプリを無効にするとアクセスできなくなるので、"
        "その後はこのコマンドをもう一度実行してください。\n\n"
        "例:\n\n"
        "    kamei auth colorme main --client-id abc123 --port 8765"
    ),
    "auth.arg.shop": "`kamei shop add` で登録したショップ。",
    "auth.opt.client_id": "カラーミーショップのアプリのクライアント ID。",
    "auth.opt.client_secret_stdin": (
        "クライアントシークレットを標準入力から読み込みます（指定しなければ ${env}、"
        "なければ入力を求めます）。"
    ),
    "auth.opt.oob": (
        "この端末にブラウザーがないとき: カラーミーショップが表示するコードを貼り付けます。"
    ),
    "auth.opt.port": "リダイレクトを受けるローカルのポート（0: 空いている任意のポート）。",
    "auth.opt.no_browser": "アドレスをブラウザーで開かずに表示します。",
    "auth.opt.timeout": "ブラウザーでの操作を待つ秒数。",
    "auth.prompt.secret": "クライアントシークレット",
    "auth.prompt.code": "コード",
    "auth.no_secret": (
        "クライアントシークレットがありません。--client-secret-stdin でパイプで渡すか、${env} "
        "を設定してください"
    ),
    "auth.not_colorme": "ショップ {shop!r} は colorme ではなく {platform} のショップです",
    "auth.open_and_paste": (
        "次のアドレスを開いてアクセスを許可し、表示されたコードを貼り付けてください:\n\n  {url}\n"
    ),
    "auth.open": "次のアドレスを開いてアクセスを許可してください:\n\n  {url}\n",
    "auth.done": (
        "認可しました。{shop!r} のトークンは OS のキーリングにあります。次は: kamei sync {shop}"
    ),
    "schedule.help": (
        "毎晩の同期を設定・表示・解除します。\n\n例:\n\n    kamei schedule install --dry-run"
    ),
    "schedule.install.help": (
        "このマシンのスケジューラーで、毎晩の `kamei sync` を設定します。\n\n"
        "Linux では systemd のユーザータイマー（Persistent=true: "
        "マシンが止まっていた夜の分は次の起動時に実行）、macOS では launchd エージェント、"
        "Windows ではタスク スケジューラのタスク、どれもなければ crontab の 1 行を使います。"
        "既定の時刻 00:30（日本時間）は、ショップサーブのメンテナンス時間（毎週水曜 "
        "02:00〜08:00）を避けています。実行のログは <home>/logs/kamei.log に残り、"
        "失敗したショップがあれば 0 以外の終了コードを返します。"
        "デスクトップのセッションがない環境では --keyring-passphrase-file "
        "を指定してください（docs/scheduling.md）。\n\n"
        "例:\n\n"
        "    kamei schedule install --dry-run\n"
        "    kamei schedule install --at 23:45\n"
        "    kamei schedule install --keyring-passphrase-file ~/.config/kamei/passphrase"
    ),
    "schedule.status.help": (
        "設定済みの毎晩の実行と、前回の結果を表示します。\n\n"
        "例:\n\n"
        "    kamei schedule status\n"
        "    kamei schedule status --json"
    ),
    "schedule.remove.help": (
        "毎晩の実行を解除します（ストアとログは残ります）。\n\n例:\n\n    kamei schedule remove"
    ),
    "schedule.opt.kind": (
        "スケジューラー: systemd、launchd、schtasks、cron のいずれか（既定: このマシンのもの）。"
    ),
    "schedule.opt.at": "実行する時刻 HH:MM（このマシンの時刻。既定: 日本時間 00:30）。",
    "schedule.opt.dry_run": "設定する内容を表示するだけで、何も変更しません。",
    "schedule.opt.passphrase_file": (
        "暗号化ファイルのキーリングを使い、このファイルのパスフレーズで解錠します（systemd "
        "では `systemd-creds encrypt` で作った *.cred ファイルも使えます）。"
    ),
    "schedule.bad_kind": "--kind は {choices} のいずれかにしてください（{value!r} ではなく）",
    "schedule.no_passphrase_file": (
        "パスフレーズのファイル {path} がありません。"
        "先にキーリングのパスフレーズを書き込んでください（モード 0600）"
    ),
    "schedule.loose_passphrase_file": (
        "パスフレーズのファイル {path} を他のユーザーが読めます。`chmod 600 {path}` "
        "を実行してください"
    ),
    "schedule.show.systemd": "# --- systemd ユーザーユニット: {path}",
    "schedule.show.launchd": "# --- launchd エージェント: {path}",
    "schedule.show.schtasks": "# --- タスク スケジューラのタスク（ファイルは UTF-16）: {path}",
    "schedule.show.cron": "# --- crontab の行（crontab -e）。systemd がない環境用:",
    "schedule.warning": "kamei: 警告: {warning}",
    "schedule.dry_run": (
        "# kamei schedule install --dry-run: 何も設定していません。毎晩の実行は "
        "{jst}（このマシンの時刻で {local}）:"
    ),
    "schedule.no_scheduler": (
        "kamei が扱えるスケジューラー（systemd、launchd、タスク スケジューラ、cron）"
        "が見つかりません。`kamei schedule install --dry-run` と docs/scheduling.md "
        "を参照してください"
    ),
    "schedule.installed": (
        "kamei sync は毎晩 {jst}（このマシンの時刻で {local}）に実行されます。ログ: {log}"
    ),
    "schedule.note": "注意: {note}",
    "schedule.not_installed": "毎晩の実行: 未設定です。`kamei schedule install` を実行してください",
    "schedule.job": "毎晩の実行: {kind} {when}{enabled}（{location}）",
    "schedule.job.enabled": "、有効",
    "schedule.job.disabled": "、無効になっています",
    "schedule.no_last_run": "前回の定時実行: まだありません",
    "schedule.last_ok": "成功",
    "schedule.last_failed": "失敗（終了コード {code}）: {error}",
    "schedule.last_run": (
        "前回の定時実行: {started}、成功 {ok} ショップ、失敗 {failed} ショップ: {result}"
    ),
    "schedule.shop": "ショップ {name}（{platform}）: 前回の実行 {when}: {outcome}",
    "schedule.store_unreadable": "kamei: 警告: ストアを読めませんでした: {error}",
    "schedule.nothing_removed": "毎晩の実行は設定されていませんでした",
    "doctor.help": (
        "環境（キーリング、ストア、認証情報など）を点検します。\n\n"
        "Python、キーリング、ストア、各ショップの認証情報、毎晩の実行、ディスクを点検し、1 "
        "項目 1 行（ok、warn、FAIL）で表示し、失敗した項目には対処法を添えます。"
        "キーリングの行には、使っている秘密情報の保管先と、"
        "毎晩の実行に必要なように入力なしでストアの鍵を取り出せるかを表示します。"
        "各ショップには認証付きのリクエストを実際に 1 回送ります。"
        "失敗した項目があれば終了コードは 1 です。\n\n"
        "例:\n\n"
        "    kamei doctor\n"
        "    kamei doctor --json"
    ),
    "doctor.fix": "      対処: {fix}",
    "doctor.summary": "{checks} 項目を点検: 失敗 {failed}、{warnings}",
    "doctor.one_warning": "警告 1",
    "doctor.warnings": "警告 {count}",
    # --- errors of the store (store/) --------------------------------------------------------
    "store.missing": "{path} に kamei のストアがありません。`kamei init` で作成してください",
    "store.is_directory": (
        "{path} はフォルダーで、kamei のストアではありません。KAMEI_HOME を確認してください"
    ),
    "store.no_permission": (
        "kamei には {path} を読む権限がありません。所有者とパーミッション（0600）を確認してください"
    ),
    "store.empty": (
        "ストアのファイル {path} が空です。バックアップから戻すか、別の場所へ移してから `kamei "
        "init` を実行してください"
    ),
    "store.plain_sqlite": (
        "{path} は暗号化されていない SQLite ファイルで、kamei のストアではありません。--home "
        "か KAMEI_HOME で kamei のストアを指定するか、このファイルを別の場所へ移してから "
        "`kamei init` を実行してください"
    ),
    "store.truncated": (
        "ストアのファイル {path} が途中で切れています（{size} バイト。"
        "ページ単位になっていません）。バックアップから戻してください"
    ),
    "store.wrong_key": (
        "キーリングの鍵では {path} のストアを開けません（または先頭ページが壊れています）。"
        "ファイルを別のマシンからコピーしましたか？ `kamei key import` で鍵を戻すか、`kamei "
        "doctor` を実行してください"
    ),
    "store.damaged": (
        "{path} のストアが壊れています。`kamei doctor` を実行してから、"
        "バックアップから戻してください"
    ),
    "store.cannot_open": (
        "kamei は {path} を開けません。ファイルとフォルダーのパーミッションを確認してください"
    ),
    "store.busy": (
        "ストアが使用中のままです（別の kamei のプロセスが書き込んでいます）。"
        "しばらくしてからやり直してください"
    ),
    "store.exists": (
        "{home} には既に kamei のストアがあります（{file}）。それを使うか、--home または "
        "KAMEI_HOME で別の場所を指定してください"
    ),
    "store.just_created": "{home} に kamei のストアがたった今作成されました",
    "store.unknown_shop": (
        "{name!r} という名前のショップはありません。`kamei shop list` で確認してください"
    ),
    "store.unknown_shop_id": (
        "ID {id} のショップはありません（削除されましたか？）。`kamei shop list` で確認してください"
    ),
    "store.meta_missing": (
        "{path} がないため、このストアの鍵が見つかりません。kamei.db "
        "と同じバックアップから戻すか、新しいストアなら `kamei init` を実行してください"
    ),
    "store.meta_damaged": "{path} が壊れています。kamei.db と同じバックアップから戻してください",
    "store.meta_newer": (
        "{path} は新しい kamei（形式 {version}）で書かれています。kamei を更新してください"
    ),
    "store.locked": (
        "このストアでは別の `kamei sync` が実行中です{who}。"
        "終わるまで待つか（定時実行なら後で再試行すれば十分です）、`kamei status` "
        "で確認してください"
    ),
    "store.locked_pid": "（pid {pid}）",
    # --- errors of the connectors (connectors/) ----------------------------------------------
    "http.where": "{platform} のショップ {shop!r}、エンドポイント {endpoint}",
    "http.where_status": "、HTTP {status}",
    "http.where_window": "、期間 {window}",
    "http.reauth": "`kamei auth {platform} {shop}` で認可し直してください",
    "http.rejected": "{platform} が認証情報を受け付けませんでした（{where}）。{reauth}",
    "http.denied": (
        "{platform} がアクセスを拒否しました（{where}）。認証情報に kamei "
        "が必要とする権限がありません: {reauth}。その際、"
        "求められる読み取り権限を許可してください"
    ),
    "http.failed": (
        "{platform} でエラーが起きました（{where}）。しばらくしてから `kamei sync` "
        "をもう一度実行してください"
    ),
    "http.redirect": (
        "予期しないリダイレクトです（{where}）。ショップのベース URL を確認してください"
    ),
    "http.refused": (
        "{platform} がリクエストを拒否しました（{where}）。`kamei doctor` を実行してください"
    ),
    "http.attempt": "{attempts} 回試した後",
    "http.attempts": "{attempts} 回試した後",
    "http.rate_limited": (
        "{platform} のリクエスト数制限が続きました（{where}、{tail}）。しばらくしてから `kamei "
        "sync` をもう一度実行するか、ショップのリクエスト数の上限を下げてください"
    ),
    "http.unusable": (
        "{platform} から使えない応答が返りました（{where}: {reason}、{tail}）。"
        "しばらくしてから `kamei sync` をもう一度実行し、続くようなら報告してください"
    ),
    "http.unavailable": (
        "{platform} に接続できません（{where}: {reason}、{tail}）。しばらくしてから `kamei "
        "sync` をもう一度実行してください"
    ),
    "http.fatal": "{where}: {reason}",
    "http.unknown": "{where}: {name}。不具合です。報告にご協力ください",
    "registry.unknown_platform": (
        "{name!r} というプラットフォームはありません。次から選んでください: {known}"
    ),
    "registry.not_positive": (
        "{platform} のショップ {shop!r}: {name} は正の数にしてください。設定を直してください"
    ),
    "connector.no_shop_name": (
        "{platform} の設定にショップ名がありません。`kamei doctor` を実行してください"
    ),
    "colorme.no_token": (
        "ショップ {shop!r} のカラーミーショップのアクセストークンがありません。`kamei auth "
        "colorme {shop}` を実行してください"
    ),
    "colorme.token_rejected": (
        "カラーミーショップがアクセストークンを受け付けませんでした（{where}、エラー 401010）。"
        "`kamei auth colorme {shop}` で認可し直してください"
    ),
    "colorme.plan": (
        "このショップのカラーミーショップのプランでは、この API を使えません（{where}、エラー "
        "401200）。カラーミーショップの管理画面でプランを確認してください"
    ),
    "colorme.no_token_given": (
        "カラーミーショップのアクセストークンが渡されていません。トークンを `kamei shop add` "
        "にパイプで渡すか、`kamei auth colorme <shop>` で取得してください"
    ),
    "colorme.token_one_word": (
        "カラーミーショップのアクセストークンは 1 行の 1 語です。"
        "トークンだけを貼り付けてください（`kamei auth colorme <shop>` で取得したもの）"
    ),
    "makeshop.bad_page_size": (
        "makeshop のショップ {shop!r}: page_size は 1 から {max} までの整数にしてください。"
        "設定を直してください"
    ),
    "makeshop.bad_paid_codes": (
        'makeshop のショップ {shop!r}: paid_codes は ["0002", "0004"] のような '
        "paymentStatusCode の文字列のリストにしてください。設定を直してください"
    ),
    "makeshop.bad_flag": (
        "makeshop のショップ {shop!r}: {name} は true か false にしてください。設定を直してください"
    ),
    "makeshop.no_credential": (
        "ショップ {shop!r} の MakeShop のトークンと API キーがありません。`kamei shop add NAME "
        "--platform makeshop --credential-stdin` で追加してください"
    ),
    "makeshop.same_page": (
        "makeshop のショップ {shop!r}: 期間 {window} の {page} "
        "ページ目が前のページと同じ注文を返しました。しばらくしてから `kamei sync` "
        "をもう一度実行し、続くようなら報告してください"
    ),
    "makeshop.forbidden": (
        "MakeShop が {endpoint} を FORBIDDEN で拒否しました（{where}）。アプリに {permission} "
        "が承認されていません。MakeShop にアプリへのその権限の承認を依頼し{tail}、その後 "
        "`kamei sync {shop}` をもう一度実行してください"
    ),
    "makeshop.clock": (
        "MakeShop がリクエスト時刻 x-timestamp を拒否しました（{where}）。"
        "このコンピューターの時計は実際の時刻との差が 1 時間以内である必要があります。"
        "時計を合わせて（ネットワーク時刻を有効にして）から `kamei sync {shop}` "
        "をもう一度実行してください"
    ),
    "makeshop.rejected": (
        "MakeShop がトークンまたは API キーを受け付けませんでした（{where}）。"
        "アプリをアンインストールするとトークンは無効になります。"
        "ショップの現在の永続トークンと API キーを取得して登録し直してください（認証情報の形式"
        "は `kamei shop add --help` にあります）"
    ),
    "makeshop.schema": (
        "MakeShop が kamei の問い合わせを拒否しました（{where}）。スキーマが kamei "
        "の知っているものと違います。ショップの base_url が GraphQL のエンドポイントか確認し、"
        "kamei を更新して、続くようなら報告してください"
    ),
    "makeshop.credential_json": (
        'MakeShop の認証情報が正しい JSON ではありません。{"token": …, "api_key": …} か、2 '
        "行（トークン、次に API キー）で渡してください"
    ),
    "makeshop.credential_shape": (
        'MakeShop の認証情報は永続トークンと API キーです。標準入力に JSON {"token": …, '
        '"api_key": …} か、2 行（トークン、次に API キー）で渡してください'
    ),
    "makeshop.credential_word": (
        "MakeShop の {name} は空白のない 1 語です。MakeShop が発行したとおりに貼り付けてください"
    ),
    "shopserve.bad_mapping": (
        "shopserve のショップ {shop!r}: 保存されたマッピングが JSON "
        "オブジェクトではありません。--mapping FILE "
        "を付けてショップを追加し直してください（{docs}）"
    ),
    "shopserve.no_credential": (
        "ショップ {shop!r} のショップサーブのショップ ID と管理キーがありません。"
        "--credential-stdin でショップを追加してください（SHOP_ID:MANAGER_KEY を 1 行で）"
    ),
    "makeshop.operation": "操作 {endpoint}",
    "makeshop.member_lookup_tail": (
        "（またはショップの設定 member_lookup を false にしてください。その場合、"
        "購入者はこのショップの中だけ会員 ID で結び付けます）"
    ),
    # --- connectors/http.py: reasons ---------------------------------------------------------
    "http.reason.timed_out": "タイムアウトしました",
    "http.reason.connect_timed_out": "接続がタイムアウトしました",
    "http.reason.read_timed_out": "読み込みがタイムアウトしました",
    "http.reason.write_timed_out": "書き込みがタイムアウトしました",
    "http.reason.connection_pool_timed_out": "接続プールがタイムアウトしました",
    "http.reason.network_error": "ネットワークのエラー",
    "http.reason.could_not_connect": "接続できませんでした",
    "http.reason.connection_reset_while_reading": "読み込み中に接続が切れました",
    "http.reason.connection_reset_while_writing": "書き込み中に接続が切れました",
    "http.reason.error_closing_the_connection": "接続を閉じるときにエラーが起きました",
    "http.reason.connection_dropped_or_malformed_response": (
        "接続が切れたか、応答の形式が壊れていました"
    ),
    "http.reason.response_body_could_not_be_decoded": "応答の本文をデコードできませんでした",
    "http.reason.http_error": "HTTP のエラー。`kamei doctor` を実行してください",
    "http.reason.request_failed": "リクエストに失敗しました。`kamei doctor` を実行してください",
    "http.reason.transport_failed": "通信に失敗しました。`kamei doctor` を実行してください",
    "http.reason.http_protocol_error": "HTTP プロトコルのエラー。`kamei doctor` を実行してください",
    "http.reason.kamei_built_an_invalid_request": (
        "kamei が不正なリクエストを作りました。不具合です。報告にご協力ください"
    ),
    "http.reason.the_proxy_refused_the_connection": (
        "プロキシが接続を拒否しました。HTTPS_PROXY/HTTP_PROXY を確認してください"
    ),
    "http.reason.the_base_url_is_not_http_s": (
        "ベース URL が http(s) ではありません。ショップのベース URL を確認してください"
    ),
    "http.reason.too_many_redirects": (
        "リダイレクトが多すぎます。ショップのベース URL を確認してください"
    ),
    "http.reason.unexpected_http_status": (
        "予期しない HTTP ステータスです。`kamei doctor` を実行してください"
    ),
    "http.reason.invalid_url": "URL が正しくありません。ショップのベース URL を確認してください",
    "http.reason.conflicting_cookies": "Cookie が競合しています。不具合です。報告にご協力ください",
    "http.reason.response_stream_misused": (
        "応答ストリームの扱いが誤っています。不具合です。報告にご協力ください"
    ),
    "http.reason.request_stream_misused": (
        "リクエストストリームの扱いが誤っています。不具合です。報告にご協力ください"
    ),
    # --- errors of the keyring (store/secrets.py) --------------------------------------------
    "secrets.hint": (
        "Secret Service（gnome-keyring など）のロックを解除するかインストールしてください。"
        "または PYTHON_KEYRING_BACKEND に keyrings.cryptfile.cryptfile.CryptFileKeyring "
        "のような暗号化ファイルのバックエンドを、KAMEI_KEYRING_PASSPHRASE_FILE "
        "にそのパスフレーズを書いたファイルを設定してください。詳しくは `kamei doctor` "
        "が説明します"
    ),
    "secrets.unavailable": "{problem}。{hint}",
    "secrets.problem.none": "使える OS のキーリングが見つかりません",
    "secrets.problem.cannot_run": "キーリングのバックエンド {name} はこの環境では動きません",
    "secrets.problem.cannot_keep": "キーリングのバックエンド {name} は秘密情報を保持できません",
    "secrets.problem.plaintext": (
        "見つかったキーリングは秘密情報を平文のファイルに保存するものだけです"
    ),
    "secrets.backend_load": (
        "設定されたキーリングのバックエンドを読み込めませんでした（{name}）。{hint}"
    ),
    "secrets.locked": (
        "キーリングがロックされているため、{action}ことができません。"
        "ロックを解除するか（デスクトップにログインする、gnome-keyring のロックを解除する）、"
        "`kamei doctor` を実行してください"
    ),
    "secrets.no_keyring": "使える OS のキーリングがないため、{action}ことができません。{hint}",
    "secrets.failed": (
        "キーリングで{action}ことに失敗しました（{name}）。`kamei doctor` を実行してください"
    ),
    "secrets.not_kept": (
        "{action}際、キーリングは秘密情報を受け付けましたが保持しませんでした。`kamei doctor` "
        "を実行してください"
    ),
    "secrets.action.read_store_key": "ストアの鍵を読み出す",
    "secrets.action.save_store_key": "ストアの鍵を保存する",
    "secrets.action.delete_store_key": "ストアの鍵を削除する",
    "secrets.action.read_pseudonym_key": "仮名化キーを読み出す",
    "secrets.action.save_pseudonym_key": "仮名化キーを保存する",
    "secrets.action.delete_pseudonym_key": "仮名化キーを削除する",
    "secrets.action.read_suppression_key": "消去リストの鍵を読み出す",
    "secrets.action.save_suppression_key": "消去リストの鍵を保存する",
    "secrets.action.delete_suppression_key": "消去リストの鍵を削除する",
    "secrets.action.read_credential": "ショップ {shop!r} の認証情報を読み出す",
    "secrets.action.save_credential": "ショップ {shop!r} の認証情報を保存する",
    "secrets.action.delete_credential": "ショップ {shop!r} の認証情報を削除する",
    "secrets.malformed": "キーリングの{what}が壊れています。`kamei key import` で戻してください",
    "secrets.what.store_key": "ストアの鍵",
    "secrets.what.pseudonym_version": "仮名化キー（バージョン {version}）",
    "secrets.what.export_store_key": "エクスポート内のストアの鍵",
    "secrets.what.export_pseudonym_key": "エクスポート内の仮名化キー",
    "secrets.what.export_suppression_key": "エクスポート内の消去リストの鍵",
    "secrets.db_key_exists": (
        "キーリングには既にストア {store} の鍵があります。kamei は上書きしません（`kamei "
        "doctor` を実行してください）"
    ),
    "secrets.no_db_key": (
        "キーリング（{backend}）にストア {store} の鍵がありません。`kamei key import` "
        "で戻すか、`kamei init` で新しいストアを作成してください"
    ),
    "secrets.no_pseudonym_key": (
        "キーリングにストア {store} の仮名化キーがありません。`kamei key import` "
        "で鍵を戻してください"
    ),
    "secrets.no_pseudonym_version": (
        "ストア {store} の仮名化キー（バージョン {version}）がキーリングにありません。`kamei "
        "key import` で鍵を戻してください"
    ),
    "secrets.not_an_export": (
        "kamei の鍵のエクスポートではありません。`kamei key export` "
        "で出力したテキストを使ってください"
    ),
    "secrets.newer_export": (
        "この鍵のエクスポートは新しい kamei で作られています。kamei を更新してください"
    ),
    "secrets.other_store": (
        "この鍵はストア {store} ではなくストア {other!r} のものです。"
        "対応するストアからエクスポートしてください"
    ),
    "secrets.different_key": (
        "キーリングには既にストア {store} の別の鍵があります。上書きするには --replace "
        "を付けてください"
    ),
    "secrets.bad_credential_fields": (
        "ショップ {shop!r} の認証情報は名前付きのテキスト項目にしてください。`kamei auth "
        "--help` を参照してください"
    ),
    "secrets.no_credential": (
        "キーリングにショップ {shop!r} の認証情報がありません。`kamei auth {shop}` "
        "で保存してください"
    ),
    "secrets.malformed_credential": (
        "キーリングにあるショップ {shop!r} の認証情報が壊れています。`kamei auth {shop}` "
        "で保存し直してください"
    ),
    # --- store/keys.py -----------------------------------------------------------------------
    "secrets.action.save_new_store_key": "新しいストアの鍵を保存する",
    "secrets.what.suppression_key": "消去リストの鍵",
    # --- errors of the headless secret sources (store/secret_sources.py) ---------------------
    "sources.hint": "docs/scheduling.md を参照するか、`kamei doctor` を実行してください",
    "sources.systemd_credential": "systemd の資格情報 {name}",
    "sources.passphrase_file": "パスフレーズのファイル {path}",
    "sources.not_a_file": (
        "{variable} が指す {path} はファイルではありません。ファイルを作成する（モード 0600）"
        "か、この変数を解除してください。{hint}"
    ),
    "sources.loose_file": (
        "パスフレーズのファイル {path} を他のアカウントが読めます。`chmod 600 {path}` "
        "を実行してください"
    ),
    "sources.unreadable": (
        "{path} のパスフレーズを読めません（{name}）。所有者とパーミッションを確認してください"
    ),
    "sources.empty": "パスフレーズのファイル {path} が空です。パスフレーズを書き込んでください",
    "sources.needs_passphrase": (
        "{path} の暗号化ファイルのキーリングにはパスフレーズが必要です。モード 0600 "
        "のファイルに書き、{variable} にそのパスを設定してください。{hint}"
    ),
    "sources.wrong_passphrase": (
        "{source} では {path} の暗号化ファイルのキーリングを解錠できません。"
        "パスフレーズを確認してください"
    ),
    "sources.no_cryptfile": (
        "キーリングのパスフレーズが設定されていますが、keyrings.cryptfile "
        "がインストールされていません。kamei のフォルダーで pip install '.[headless]' "
        "を実行し、headless の追加機能付きでインストールしてください"
    ),
    "sources.env_read_only": (
        "環境変数からの秘密情報（{allow}=1）は読み取り専用です。環境変数を設定している場所で "
        "{keys} または {credentials} を変更してください"
    ),
    "sources.not_json": (
        "{name} が JSON オブジェクトではありません。docs/scheduling.md を参照してください"
    ),
    # --- sync/ (engine, scheduling) ----------------------------------------------------------
    "sync.same_page": (
        "{platform} のショップ {shop!r}: 期間 {window} で同じページが繰り返し返されました。"
        "しばらくしてから `kamei sync` を実行してください"
    ),
    "schedule.command_failed": (
        "`{command}` が失敗しました（終了コード {code}）。`kamei schedule install --dry-run` "
        "を見て、ファイルを手作業で設定してください"
    ),
    "schedule.crontab_failed": (
        "`crontab -l` が失敗しました（終了コード {code}）。cron はインストールされていますか？ "
        "手作業で追加する行は `kamei schedule install --dry-run` で確認できます"
    ),
    "schedule.done.wrote": "{path} を書き込みました",
    "schedule.done.enabled": "{unit} を有効にしました（systemctl --user）",
    "schedule.done.loaded": "{label} を読み込みました（launchctl）",
    "schedule.done.created_task": "タスク {task} を作成しました（schtasks）",
    "schedule.done.cron_added": "crontab に kamei-sync の行を追加しました",
    "schedule.done.removed": "{path} を削除しました",
    "schedule.done.deleted_task": "タスク {task} を削除しました（schtasks）",
    "schedule.done.cron_removed": "crontab から kamei-sync の行を削除しました",
    "schedule.linger": (
        "タイマーはログインしている間だけ動きます。`loginctl enable-linger` を実行すると、"
        "ログインしていないときも動きます"
    ),
    "schedule.bad_at": (
        "--at には 00:30 のような時刻（24 時間制、このマシンの時刻）"
        "を指定してください（{value!r} ではなく）"
    ),
    "schedule.not_absolute": "定時実行のコマンドには kamei の絶対パスが必要です",
    "schedule.maintenance": (
        "このマシンの時刻 {local} は {jst} で、ショップサーブのメンテナンス時間（毎週水曜 "
        "02:00〜08:00、日本時間）に入っています。"
        "ショップサーブのショップは毎週水曜に失敗します。時間外の時刻を選んでください（--at "
        "を省いた既定の時刻など）"
    ),
    # --- kamei doctor's checks (sync/doctor.py) ----------------------------------------------
    "doctor.package_missing": "{name} がありません",
    "doctor.python": "Python {python}、kamei {kamei}（{packages}）",
    "doctor.python.fix": "kamei を入れ直してください: pip install --force kamei",
    "doctor.keyring.fix": "docs/scheduling.md の「Secrets」を参照してください",
    "doctor.keyring.ok": "{detail}。入力なしでストアの鍵を読み出せます",
    "doctor.keyring.no_store": "{detail}。ストアはまだありません",
    "doctor.keyring.problem": "{detail}。{problem}",
    "doctor.source.os-keyring": "OS のキーリング",
    "doctor.source.explicit": "PYTHON_KEYRING_BACKEND または keyringrc.cfg で指定",
    "doctor.source.systemd-credential": (
        "暗号化ファイルのキーリング、パスフレーズは systemd の資格情報から"
    ),
    "doctor.source.passphrase-file": (
        "暗号化ファイルのキーリング、パスフレーズは KAMEI_KEYRING_PASSPHRASE_FILE から"
    ),
    "doctor.source.environment": "環境変数、KAMEI_ALLOW_ENV_SECRETS=1",
    "doctor.fix_after": "上の行を直してから、もう一度 `kamei doctor` を実行してください",
    "doctor.store.none": "{path} にストアがありません",
    "doctor.store.init": "`kamei init` を実行してください",
    "doctor.store.detail": "{path}: スキーマ v{version}、{size}、注文 {orders} 件、{shops}",
    "doctor.store.one_shop": "ショップ 1",
    "doctor.store.shops": "ショップ {count}",
    "doctor.store.old": "{detail}（この kamei は v{latest} まで対応）",
    "doctor.store.upgrade": "kamei を更新してください",
    "doctor.integrity.problems": "問題 {count} 件。最初の問題: {first}",
    "doctor.integrity.fix": "kamei.db と kamei.json をバックアップから戻してください",
    "doctor.integrity.ok": "すべてのページと B-tree に問題はありません",
    "doctor.permissions.not_posix": "この OS では点検しません（NTFS の ACL）",
    "doctor.permissions.loose": "{path} のパーミッションが {private} ではなく {mode} です",
    "doctor.permissions.ok": "{home} は 700、ストアのファイルは 600",
    "doctor.shop.no_answer": "{seconds:.0f} 秒以内に応答がありません",
    "doctor.shop.slow": (
        "プラットフォームが混んでいるかメンテナンス中かもしれません。"
        "しばらくしてからやり直してください"
    ),
    "doctor.shop.later": "しばらくしてからやり直してください",
    "doctor.shop.ok": "{label}: 認証情報は有効です",
    "doctor.schedule.no_scheduler": "このマシンには kamei が扱えるスケジューラーがありません",
    "doctor.schedule.own": (
        "お使いのスケジューラーから `kamei sync` を実行してください。docs/scheduling.md "
        "を参照してください"
    ),
    "doctor.schedule.not_installed": "毎晩の実行が設定されていません（{kind}）",
    "doctor.schedule.install": "`kamei schedule install` を実行してください",
    "doctor.schedule.not_enabled": "{detail}、無効になっています",
    "doctor.schedule.no_run_yet": "。定時実行はまだありません{last}",
    "doctor.schedule.failed": (
        "{detail}。前回 {when} の実行は失敗しました（終了コード {code}）: {error}"
    ),
    "doctor.schedule.see_log": (
        "{log} を確認してください。今すぐやり直すには `kamei sync` を実行してください"
    ),
    "doctor.schedule.ok": "{detail}。前回 {when} の実行は成功しました",
    "doctor.schedule.last_sync": "。前回の同期 {when}（{shop}: {outcome}）",
    "doctor.schedule.desktop": (
        "。秘密情報はデスクトップのキーリングにあり、夜間はロックされているかもしれません"
    ),
    "doctor.schedule.desktop_fix": (
        "最初の夜に失敗したら、暗号化ファイルのキーリングを使ってください: docs/scheduling.md "
        "の「Secrets without a desktop session」"
    ),
    "doctor.disk.free": "{home} のあるディスクの空き: {size}",
    "doctor.disk.full": "空き容量を増やしてください。同期には書き込む場所が必要です",
    "doctor.disk.low": "早めに空き容量を増やしてください",
    # --- Color Me authorisation (connectors/colorme_oauth.py) --------------------------------
    "oauth.port": (
        "認可の応答を受けるための 127.0.0.1 のポート {port} を開けません。別のポートを選ぶか、"
        "コードを貼り付ける方式（--oob）を使ってください"
    ),
    "oauth.timeout": (
        "{seconds:.0f} 秒以内にブラウザーから応答がありませんでした。`kamei auth colorme "
        "{shop}` をもう一度実行してください"
    ),
    "oauth.denied_error": (
        "カラーミーショップで認可されませんでした（エラー {error}）。`kamei auth colorme "
        "{shop}` をもう一度実行し、アクセスを許可してください"
    ),
    "oauth.nothing_pasted": (
        "何も貼り付けられていません。`kamei auth colorme {shop}` をもう一度実行し、"
        "コードを貼り付けてください"
    ),
    "oauth.not_a_code": (
        "認可コードではありません。`kamei auth colorme {shop}` をもう一度実行してください"
    ),
    "oauth.denied": (
        "カラーミーショップで認可されませんでした。`kamei auth colorme {shop}` "
        "をもう一度実行し、アクセスを許可してください"
    ),
    "oauth.other_attempt": (
        "貼り付けた応答は別の試みのものです。`kamei auth colorme {shop}` をもう一度実行してください"
    ),
    "oauth.no_code": (
        "貼り付けたアドレスに認可コードがありません。`kamei auth colorme {shop}` "
        "をもう一度実行してください"
    ),
    "oauth.where": "{endpoint}、HTTP {status}、エラー {error}",
    "oauth.bad_client": (
        "カラーミーショップがアプリのクライアント ID "
        "またはシークレットを受け付けませんでした（{where}）。https://api.shop-pro.jp/oauth/app"
        "lications で確認し、`kamei auth colorme {shop}` をもう一度実行してください"
    ),
    "oauth.bad_code": (
        "カラーミーショップが認可コードを受け付けませんでした（{where}）。"
        "コードは同じリダイレクト URI で 10 分以内に 1 回だけ使えます。`kamei auth colorme "
        "{shop}` をもう一度実行してください"
    ),
    "oauth.bad_request": (
        "カラーミーショップがトークンの要求を拒否しました（{where}）。"
        "アプリに登録したリダイレクト URI とスコープを確認してから、`kamei auth colorme "
        "{shop}` をもう一度実行してください"
    ),
    "oauth.refused": (
        "カラーミーショップがトークンの要求を拒否しました（{where}）。`kamei auth colorme "
        "{shop}` をもう一度実行してください"
    ),
    "oauth.no_token": (
        "カラーミーショップのトークンの応答に access_token がありません（oauth/token）。`kamei "
        "auth colorme {shop}` をもう一度実行してください"
    ),
    "oauth.no_scope": (
        "許可されたトークンに {scope} のスコープがありません（oauth/token）。`kamei auth "
        "colorme {shop}` をもう一度実行し、注文の読み取りを許可してください"
    ),
    # --- more store and connector errors -----------------------------------------------------
    "store.disk_full": (
        "{path} のあるディスクがいっぱいです。空き容量を増やしてからやり直してください"
    ),
    "store.read_only_here": (
        "{path} のストアはここでは読み取り専用です。パーミッションを確認するか、"
        "書き込み可能な形で開いてください"
    ),
    "store.refused_statement": (
        "kamei はその文を実行しません。ストアでは鍵、ATTACH したデータベース、"
        "拡張機能は使えません。テーブルを問い合わせてください"
    ),
    "store.io_error": "{path} で I/O エラーが起きました（{name}）。ディスクを確認してください",
    "store.failed": (
        "{path} のストアでエラーが起きました（{label}）。`kamei doctor` を実行してください"
    ),
    "store.closed": "ストアは閉じられています。Store.open でもう一度開いてください",
    "store.opened_read_only": (
        "このストアは読み取り専用で開かれています。--readonly を付けずに開いてください"
    ),
    "store.shop_exists": (
        "{name!r} という名前のショップは既にあります。別の名前にするか、先に `kamei shop "
        "remove {name}` で削除してください"
    ),
    "shopserve.window_cap": (
        "shopserve のショップ {shop!r}: 期間 {window} が上限の {days} 日を超えています。`kamei "
        "sync {shop} --full` を実行してください"
    ),
    "shopserve.where_code": "、エラー {code}",
    "shopserve.rejected": (
        "ショップサーブがショップ ID またはマネージャー認証キーを受け付けませんでした（{where}"
        "）。ショップサーブの管理画面の サーバー > ショップサーブAPI "
        "で両方を確認してください（キーを再発行すると古いキーは無効になります）"
    ),
    "shopserve.denied": (
        "ショップサーブが受注検索を拒否しました（{where}）。ショップサーブの管理画面の "
        "サーバー > ショップサーブAPI で、ショップサーブAPI "
        "が有効になっているか確認してください"
    ),
    "shopserve.refused": (
        "ショップサーブが受注検索を受け付けませんでした（{where}）。"
        "ショップサーブのマッピングのリクエスト部分（パス、パーツ、本文のキー、日付の形式）"
        "がお使いの API と合っていないかもしれません。マッピングを直してください（{docs}）"
    ),
    "shopserve.credential_how": (
        "ショップサーブの認証情報は 1 行の SHOP_ID:MANAGER_KEY です（管理画面のログイン ID、"
        "コロン、サーバー > ショップサーブAPI のマネージャー認証キー）"
    ),
    "shopserve.no_credential_given": "ショップサーブの認証情報が渡されていません。{how}",
    "shopserve.credential_form": "認証情報の形式が違います。{how}",
    "shopserve.bad_shop_id": (
        "ショップ ID に、ショップサーブの ID には使えない文字があります。{how}"
    ),
    "shopserve.bad_key": "マネージャー認証キーに空白か普通でない文字があります。{how}",
    "colorme.where": "colorme のショップ {shop!r}、エンドポイント sales、HTTP {status}",
    # --- store/reports: titles, notices, checks, and labels shown on the terminal -----------
    # (Files keep the markers themselves — small-group, (all shops)... — as data.)
    "reports.period.day": "日",
    "reports.period.week": "週",
    "reports.period.month": "月",
    "reports.period.year": "年",
    "reports.title.sales": "{period}別の売上",
    "reports.chart.sales": "{period}ごとの売上の推移",
    "reports.title.products": "商品別の売上",
    "reports.title.products_variations": "商品・バリエーション別の売上",
    "reports.chart.products": "商品別の売上",
    "reports.title.repeat": "リピート購入",
    "reports.chart.repeat": "注文回数別の購入者数",
    "reports.title.cohorts": "初回購入月別のコホート",
    "reports.chart.cohorts": "コホート別の継続率",
    "reports.title.rfm": "RFM セグメント",
    "reports.chart.rfm": "RFM セグメント別の購入者数",
    "reports.title.rfm_detail": "購入者ごとの RFM スコア（社内利用のみ）",
    "reports.rfm.detail_notice": (
        "社内利用のみ: 購入者の仮名を 1 人ずつ一覧にしたもので、秘匿処理をしていません。"
        "ショップの外に出さないでください"
    ),
    "reports.title.baskets": "一緒に買われた商品",
    "reports.title.prefectures": "都道府県別の売上",
    "reports.chart.prefectures": "都道府県別の売上",
    "reports.sql.notice": (
        "kamei sql の結果は秘匿処理をしておらず、購入者の仮名を含むことがあります。"
        "人に渡す前に確認してください"
    ),
    "reports.top": "--top は 1 以上にしてください（例: --top {example}）",
    "reports.months": "--months は 0 以上にしてください（例: --months 12）",
    "reports.by": "--by は {choices} のいずれかにしてください（{by!r} は使えません）",
    "reports.min_group": "--min-group は 1 以上にしてください（例: --min-group 5）",
    "reports.since_after_until": "--since が --until より後の日付です。入れ替えてください",
    "reports.settings.unreadable": "{path} を読めません。アクセス権を確認してください",
    "reports.settings.not_toml": (
        "{path} は正しい TOML ではありません（{error}）。直すか削除してください"
    ),
    "reports.settings.min_group": (
        "{path} の [reports] min_group は 1 以上の整数にしてください（例: 5）"
    ),
    "reports.sql.empty": 'クエリを指定してください（例: kamei sql "SELECT COUNT(*) FROM orders"）',
    "reports.sql.refused": (
        "kamei sql は読み取り専用です。書き込み、ATTACH、PRAGMA による変更は拒否します。"
        "SELECT（または WITH … SELECT）で問い合わせてください"
    ),
    "reports.sql.one_statement": (
        "kamei sql は 1 回に 1 文だけ実行します。';' の後の余分な部分を削除してください"
    ),
    "reports.sql.failed": (
        "クエリが失敗しました: {message}。テーブルは docs/reports.md を参照してください"
    ),
    "reports.label.small_group": "少人数",
    "reports.label.complement": "二次秘匿",
    "reports.label.all_shops": "（全ショップ）",
    "reports.label.all_buyers": "全購入者",
    "reports.label.nationwide": "（全国）",
    "reports.label.unknown_prefecture": "（不明）",
    "reports.label.pairs_under_k": "（購入者 k 人未満の組み合わせ）",
    "reports.label.hidden_pairs": "{count} 組",
    "reports.segment.champions": "優良顧客",
    "reports.segment.loyal": "ロイヤル顧客",
    "reports.segment.potential_loyalists": "ロイヤル候補",
    "reports.segment.new": "新規顧客",
    "reports.segment.promising": "有望顧客",
    "reports.segment.need_attention": "要注意顧客",
    "reports.segment.about_to_sleep": "休眠予備軍",
    "reports.segment.at_risk": "離反リスク顧客",
    "reports.segment.cannot_lose_them": "手放せない顧客",
    "reports.segment.hibernating": "休眠顧客",
    "reports.segment.lost": "離反顧客",
    "column.repeat_rate": "リピート率",
    "column.returning_revenue_share": "リピート購入者の売上比率",
    "column.median_days_to_second_order": "2 回目の注文までの日数（中央値）",
    # --- cli/output: the output options, their checks and the files' own words -----------
    "output.no_rows": "（該当する行はありません）",
    "output.opt.format": "出力形式。",
    "output.opt.out": "標準出力の代わりにこのファイルに書き出します。",
    "output.opt.encoding": (
        "CSV の文字コード: utf-8（ファイルには Excel 向けに BOM を付けます）、"
        "または古い日本語ツール向けの cp932。"
    ),
    "output.table_to_file": (
        "table は画面表示用です。--format csv、xlsx、json、html のいずれかを付けてください"
    ),
    "output.binary": "{fmt} はバイナリファイルです。--out FILE.{fmt} を付けてください",
    "output.replaced": (
        "{count} 文字は {encoding} で表せないため '?' として書き出しました。"
        "そのまま残すには --encoding utf-8 を使ってください"
    ),
    "output.wrote": "{out} に書き出しました",
    "output.no_folder": "--out: フォルダー {folder} がありません。先に作成してください",
    "output.html.generated": "作成日時 {at}",
    "output.html.suppressed_under": "購入者 {k} 人未満の区分は秘匿",
    "output.html.no_suppression": "秘匿処理なし（共有しないでください）",
    "output.html.figures_suppressed": "秘匿した数値 {count} 個",
    "output.chart.suppressed_bar": "秘匿（購入者 k 人未満）",
    "output.chart.suppressed": "秘匿",
    "output.chart.heatmap_legend": (
        "初回購入からの経過月数ごとの、購入を続けているコホートの割合（%）。– は秘匿"
    ),
    "output.about.notice": "注意",
    "output.about.report": "レポート",
    "output.about.title": "タイトル",
    "output.about.filter": "条件: {name}",
    "output.about.min_group": "最小人数 (k)",
    "output.about.not_applied": "適用なし",
    "output.about.generated_at": "作成日時",
    "output.about.suppressed_rows": "秘匿した行数",
    "output.about.suppressed_cells": "秘匿した数値の数",
    "output.about.summary": "要約: {name}",
}
