"""English messages, keyed by message id (``kamei.i18n``). ``ja.py`` has the same ids."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

MESSAGES: Final[Mapping[str, str]] = {
    # --- the command line as a whole -------------------------------------------------
    "app.help": (
        "kamei (仮名): pseudonymised, encrypted order history for small online shops.\n\n"
        "Pulls orders from カラーミーショップ, MakeShop and ショップサーブ into an encrypted "
        "local store that keeps no names, addresses, phone numbers or e-mail addresses, and "
        "answers questions with reports that identify nobody.\n\n"
        "Try it with no account at all:  kamei demo"
    ),
    "opt.home": "Data directory (store, settings, logs). Default: the OS user data dir.",
    "opt.debug": "Verbose log and tracebacks on errors.",
    "opt.version": "Show the version.",
    "opt.lang": "Language of messages and help: en or ja (default: KAMEI_LANG, else the locale).",
    "opt.yes": "Do not ask for confirmation.",
    "opt.json": "JSON for scripts.",
    "edge.error": "kamei: error: {message}",
    "edge.interrupted": (
        "kamei: interrupted; committed work is kept, run the command again to resume"
    ),
    "edge.unexpected": (
        "kamei: unexpected error ({name}); rerun with --debug for details and please report it"
    ),
    # --- typer's and click's own words (cli/typer_words.py) ------------------------------
    # English: typer's texts exactly ({} and {name!r} are filled in by typer).
    "typer.usage": "Usage: ",
    "typer.arguments": "Arguments",
    "typer.options": "Options",
    "typer.commands": "Commands",
    "typer.error": "Error",
    "typer.error_prefix": "Error: {message}",
    "typer.aborted": "Aborted!",
    "typer.aborted_rich": "Aborted.",
    "typer.deprecated": "(deprecated) ",
    "typer.default": "default: {default}",
    "typer.default_rich": "[default: {}]",
    "typer.env_var": "env var: {var}",
    "typer.env_var_rich": "[env var: {}]",
    "typer.required": "required",
    "typer.required_rich": "[required]",
    "typer.dynamic": "(dynamic)",
    "typer.help_option": "Show this message and exit.",
    "typer.try_help": "Try '{command} {option}' for help.",
    "typer.try_help_rich": "Try [blue]'{command_path} {help_option}'[/] for help.",
    "typer.no_such_command": "No such command {name!r}.",
    "typer.missing_command": "Missing command.",
    "typer.did_you_mean": ". Did you mean {names}?",
    "typer.no_such_option": "No such option: {name}",
    "typer.possible_options": " (Possible options: {names})",
    "typer.missing_argument": "Missing argument {hint}.",
    "typer.missing_option": "Missing option {hint}.",
    "typer.missing_parameter": "Missing parameter {hint}.",
    "typer.choose_from": "Choose from: {choices}",
    "typer.invalid_value": "Invalid value: {message}",
    "typer.invalid_value_for": "Invalid value for {hint}: {message}",
    "typer.option_needs_value": "Option {name} requires an argument.",
    "typer.option_needs_values": "Option {name} requires {count} arguments.",
    "typer.option_takes_no_value": "Option {name} does not take a value.",
    "typer.extra_arguments": "Got unexpected extra argument(s) ({args})",
    "typer.argument_values": "Argument {name} takes {count} values.",
    "typer.detail.not_one_of": "{value} is not one of {choices}.",
    "typer.detail.integer": "Input should be a valid integer",
    "typer.detail.number": "Input should be a valid number",
    "typer.detail.boolean": "Input should be a valid boolean",
    "typer.detail.range": "Input should be within the allowed range",
    # One-line summaries in `kamei --help`: the first line of each command's own help.
    "summary.init": "Create the encrypted store and its keys (kept in the OS keyring).",
    "summary.shop": "Register, list and remove shops.",
    "summary.auth": "Authorise kamei at a platform (stores the token in the keyring).",
    "summary.sync": "Pull new and changed orders from every shop (or the named ones).",
    "summary.status": (
        "Show each shop: platform, orders stored, last successful sync, watermark, last run."
    ),
    "summary.schedule": "Install, show and remove the nightly sync.",
    "summary.doctor": (
        "Check the setup: Python, keyring, store, each shop's credential, the schedule, disk."
    ),
    "summary.report": "Reports over the store; groups under k buyers are suppressed.",
    "summary.sql": (
        "Run one read-only SELECT over the store (not suppressed: check before sharing)."
    ),
    "summary.fake": "Fake platform APIs with synthetic data (no real customers).",
    "summary.demo": (
        "Try kamei without an account: fake shops, sync, report. No network, no prompts."
    ),
    "summary.key": "Rotate, move and destroy the store's keys (kept in the OS keyring).",
    "summary.lookup": "Show the stored history of a customer who asked, by e-mail or phone.",
    "summary.forget": "Delete a customer's stored history and keep it out of later syncs.",
    "summary.appi": "Print the APPI register for 仮名加工情報, in Japanese and English.",
    # --- confirmations ---------------------------------------------------------------
    "confirm.needs_yes": (
        "this cannot be undone: confirm with --yes (or run it on a terminal to be asked)"
    ),
    "confirm.type_word": "Type {word} to go on",
    "confirm.cancelled": "kamei: cancelled; nothing was changed",
    # --- kamei key -------------------------------------------------------------------
    "key.help": (
        "Rotate, move and destroy the store's keys (kept in the OS keyring).\n\n"
        "docs/operations.md explains each step and what it means for your history.\n\n"
        "Example:\n\n    kamei key status"
    ),
    "key.arg.shops": "Shops to rebuild (default: those whose rows use an older key).",
    "key.arg.bundle_out": "The bundle file to write (it must not exist yet).",
    "key.arg.bundle_in": "The bundle file written by `kamei key export`.",
    "key.opt.resync": "Rebuild every shop's history under the new key right away (a full re-sync).",
    "key.opt.replace": "Replace a different DB key already in this keyring.",
    "key.opt.version": "Destroy only this old (not current) key version.",
    "key.status.help": (
        "Show which keys the store has and which key version each shop's rows use.\n\n"
        "Never prints a key.\n\n"
        "Example:\n\n    kamei key status"
    ),
    "key.status.store": "store: {store} ({path})",
    "key.status.keyring": "keyring: {backend}",
    "key.status.db_key": "DB key: in the keyring",
    "key.status.pseudonym": "pseudonym key versions held: {versions} (current: {current})",
    "key.status.suppression_yes": "forget-list key: in the keyring",
    "key.status.suppression_no": "forget-list key: none yet (the first `kamei forget` makes it)",
    "key.status.shop_empty": "shop {shop}: no rows yet",
    "key.status.shop_ok": "shop {shop}: rows use key version {version}",
    "key.status.shop_stale": (
        "shop {shop}: rows use key version {version}; rebuild them with `kamei key resync`"
    ),
    "key.rotate_db.help": (
        "Re-encrypt the store with a new random DB key.\n\n"
        "The new key is saved in the keyring before the file is rewritten (in one SQLite "
        "transaction), and the old key is kept until the new one is verified, so a crash at "
        "any point leaves a key that opens the store. Refused while a sync runs. Key bundles "
        "made before do not open the re-encrypted store: export a new one.\n\n"
        "Example:\n\n    kamei key rotate-db"
    ),
    "key.rotate_db.done": (
        "re-encrypted the store at {path} with a new key; the old key is gone from the keyring"
    ),
    "key.rotate_db.next": (
        "key bundles made before now do not open it: make a new one with `kamei key export FILE`"
    ),
    "key.rotate_pseudonyms.help": (
        "Start a new pseudonym key version for new syncs.\n\n"
        "Order keys and buyer pseudonyms made under the new key cannot be linked to those "
        "already stored, so `kamei sync` refuses shops whose rows use an older version until "
        "`kamei key resync` rebuilds them (--resync does it now). A rebuild reads each shop's "
        "whole history again; what the platform no longer serves is lost.\n\n"
        "Example:\n\n    kamei key rotate-pseudonyms --resync --yes"
    ),
    "key.rotate_pseudonyms.done": (
        "pseudonym key version {version} is now current (version {old} is kept)"
    ),
    "key.rotate_pseudonyms.explain": (
        "history stored under older versions cannot be linked to what new syncs store, so "
        "`kamei sync` skips those shops until `kamei key resync` reads their history again"
    ),
    "key.resync.help": (
        "Rebuild shops' history under the current pseudonym key (a full re-sync).\n\n"
        "Without names: every shop whose rows use an older key version. Each shop's stored "
        "orders and checkpoint are deleted, then its whole history is read again from the "
        "platform; what the platform no longer serves is lost.\n\n"
        "Example:\n\n    kamei key resync --yes"
    ),
    "key.resync.question_all": (
        "Rebuild every shop's history under the new key? Each shop's stored orders are "
        "deleted and read again from the platform."
    ),
    "key.resync.question": (
        "Delete the stored orders of {shops} and read their whole history again from the platform?"
    ),
    "key.resync.nothing": "every shop's rows already use the current key; nothing to rebuild",
    "key.resync.shop_ok": "rebuilt shop {shop}: {orders} orders under key version {version}",
    "key.resync.shop_failed": (
        "kamei: shop {shop} was not rebuilt: {error}; run `kamei key resync {shop}` again"
    ),
    "key.export.help": (
        "Write the store's keys and shop credentials to a passphrase-protected file.\n\n"
        "For moving the store to a new machine: copy kamei.db and kamei.json there and run "
        "`kamei key import`. The file is encrypted with AES-256-GCM under a key derived from "
        "the passphrase (scrypt); keep the file and the passphrase apart.\n\n"
        "Example:\n\n    kamei key export kamei-keys.bundle"
    ),
    "key.passphrase.new": "Passphrase for the bundle (12 characters or more)",
    "key.passphrase.again": "Repeat the passphrase",
    "key.passphrase.ask": "Passphrase of the bundle",
    "key.export.done": (
        "wrote {path}: DB key, pseudonym key versions {versions}, credentials of {shops} shops"
    ),
    "key.export.keep": "keep the file and its passphrase apart: both together open the store",
    "key.import.help": (
        "Put the keys and credentials from `kamei key export` into this machine's keyring.\n\n"
        "Run it with the kamei home that holds the copied kamei.db and kamei.json. The bundle "
        "must belong to that store, and its DB key must open the file.\n\n"
        "Example:\n\n    kamei key import kamei-keys.bundle"
    ),
    "key.import.unreadable": "cannot read {path}; check the path",
    "key.import.done": (
        "imported the keys of store {store}: DB key, pseudonym key versions {versions}, "
        "credentials of shops: {shops}"
    ),
    "key.destroy.help": (
        "Destroy pseudonym keys, so the stored history can be linked to nobody.\n\n"
        "Crypto-shredding. Without --version every version is deleted from the keyring and a "
        "fresh one becomes current: `kamei lookup` then finds no one in the stored history, "
        "and `kamei sync` refuses shops with such rows until `kamei key resync`. With "
        "--version N only that old version goes. It cannot be undone: type 'destroy' when "
        "asked, or pass --yes.\n\n"
        "Example:\n\n    kamei key destroy-pseudonym-key --version 1"
    ),
    "key.destroy.question": (
        "This deletes pseudonym key versions {versions} for good: {orders} stored orders can "
        "then be linked to nobody, and `kamei lookup` will not find them."
    ),
    "key.destroy.done": (
        "destroyed pseudonym key versions {versions}; {orders} stored orders can no longer be "
        "linked to anyone"
    ),
    "key.destroy.after_all": (
        "version {current} is now current: `kamei sync` refuses shops with unlinkable rows "
        "until `kamei key resync` replaces them with a fresh copy from the platform"
    ),
    # errors of store.keys and store.bundle
    "keys.store_busy": (
        "another program has the store open, so it cannot be re-encrypted now; close it "
        "(a report, `kamei sql`) and try again"
    ),
    "keys.rekey_unverified": (
        "the store at {path} failed its integrity check after re-encryption; both keys stay "
        "in the keyring, so nothing is lost: run `kamei doctor`"
    ),
    "keys.wrong_key": (
        "the key in the keyring does not open the store at {path} (or its first page is "
        "damaged); was the file copied from another machine? restore its key with "
        "`kamei key import`, or run `kamei doctor`"
    ),
    "keys.destroy_current": (
        "version {version} is the current pseudonym key; destroy every version (leave out "
        "--version), or make a new one first with `kamei key rotate-pseudonyms`"
    ),
    "keys.no_such_version": (
        "the keyring holds no pseudonym key version {version} (it holds: {held}); "
        "see `kamei key status`"
    ),
    "bundle.passphrase_short": "use a passphrase of {minimum} characters or more for the bundle",
    "bundle.exists": (
        "{path} already exists; choose a new file name (kamei never overwrites a key bundle)"
    ),
    "bundle.no_folder": "the folder {folder} does not exist; create it first",
    "bundle.not_a_bundle": (
        "that is not a kamei key bundle; use a file written by `kamei key export`"
    ),
    "bundle.newer": "this key bundle comes from a newer kamei; upgrade kamei",
    "bundle.wrong_passphrase": (
        "the passphrase does not open this key bundle (or the file is damaged); try again"
    ),
    "bundle.other_store": (
        "this bundle holds the keys of store {bundle}, not of store {store} here; copy the "
        "matching kamei.db and kamei.json, or use that store's bundle"
    ),
    "bundle.stale": (
        "the DB key in this bundle does not open {path}: the bundle is older than the store's "
        "last `kamei key rotate-db`; export a new bundle where the store came from"
    ),
    # --- kamei lookup / forget -------------------------------------------------------
    "people.lookup.help": (
        "Show the stored history of a customer who asked, by e-mail or phone.\n\n"
        "The address or number is normalised as the sync does it and turned into the buyer's "
        "pseudonym under each key version held; it is never stored or printed. No command "
        "maps a pseudonym back to a person.\n\n"
        "Example:\n\n    kamei lookup --email hanako@example.jp"
    ),
    "people.forget.help": (
        "Delete a customer's stored history and keep it out of later syncs.\n\n"
        "Records the deletion (pseudonym, date, count; no contact data) and puts a keyed tag "
        "of the address or number on the forget list, so no later sync brings the orders "
        "back, not even after a key rotation. Give both --email and --phone if you have "
        "them.\n\n"
        "Example:\n\n    kamei forget --email hanako@example.jp --yes"
    ),
    "people.opt.email": "The customer's e-mail address (repeatable).",
    "people.opt.phone": "The customer's phone number, in any usual format (repeatable).",
    "people.bad_email": "--email: that is not an e-mail address (it needs an @); check it",
    "people.bad_phone": "--phone: that is not a phone number (9 digits or more); check it",
    "people.no_contact": "give the customer's --email or --phone (both, if you have them)",
    "people.lookup.pseudonyms": "pseudonyms: {names}",
    "people.lookup.forgotten": "forgotten on {forgotten}: {orders} orders deleted ({pseudonym})",
    "people.lookup.none": "no stored orders",
    "people.lookup.none_phone": (
        "no stored orders (kamei files a buyer under the e-mail address when an order has one: "
        "try --email as well)"
    ),
    "people.lookup.count": "{orders} stored orders:",
    "people.lookup.order": "  {ordered}  {shop}  {status}  ¥{total:,}  {items} items  {products}",
    "people.forget.question": (
        "Delete {orders} stored orders of {names} and keep this buyer out of later syncs?"
    ),
    "people.forget.done": "forgot {pseudonym}: {orders} orders deleted",
    "people.forget.after": (
        "later syncs skip this buyer's orders; the platform still holds the customer's "
        "records: delete them there too if they asked"
    ),
    "forget.key_missing": (
        "store {store} has forgotten buyers but the keyring lacks the key of their tags "
        "(suppression-key), so a sync could bring them back; restore the keys with "
        "`kamei key import`"
    ),
    "resync.mixed": (
        "shop {shop}'s stored orders use pseudonym key version {stored}, the current key is "
        "version {current}; rebuild its history with `kamei key resync {shop}`"
    ),
    # --- kamei appi ------------------------------------------------------------------
    "appi.help": (
        "Print the APPI register for 仮名加工情報, in Japanese and English.\n\n"
        "What is deleted, replaced and stored (generated from the code's allowlist), where "
        "the pseudonym key (削除情報等) is kept and who may access it, the handling rules, the "
        "record of deletions and a draft publication of the purpose of use. A draft to "
        "check, not legal advice.\n\n"
        "Example:\n\n    kamei appi --out appi-register.md"
    ),
    "appi.opt.out": "Write to this file instead of standard output.",
    "appi.wrote": "wrote {path}",
    "appi.title": "# Record of the handling of pseudonymised personal information (仮名加工情報)",
    "appi.generated": "Generated {date} by kamei {version}. Store id: `{store}`.",
    "appi.disclaimer": (
        "> A draft generated from kamei's actual settings and code; not legal advice. Check "
        "it, fill in the blanks (＿＿＿) and keep it with your business records. Article "
        "numbers refer to the Act on the Protection of Personal Information as in force since "
        'April 2022 ("the Act") and the Enforcement Rules of the Personal Information '
        'Protection Commission ("the Rules").'
    ),
    "appi.s1.title": (
        "## 1. How the pseudonymised information is made (Act art. 41(1), Rules art. 31)"
    ),
    "appi.s1.intro": (
        "kamei reads orders from the shop platforms' APIs one page at a time and processes "
        "them in memory as follows; only the result is written to the encrypted store. The "
        "unprocessed data never reaches disk, logs or output files."
    ),
    "appi.s1.deleted": (
        "### 1.1 Deleted (dropped by each platform's connector as it reads a response)"
    ),
    "appi.s1.replaced": (
        "### 1.2 Replaced (by a method with no regularity that would allow restoring them)"
    ),
    "appi.s1.stored": "### 1.3 Stored (the store accepts no other item)",
    "appi.s1.identifiers": (
        "### 1.4 Individual identification codes and data open to financial misuse\n\n"
        "kamei does not obtain individual identification codes (My Number, passport or "
        "driving licence numbers). Nor does it store credit card numbers, payment-provider "
        "transaction ids or anything else whose misuse could cause financial loss (see 1.1)."
    ),
    "appi.s2.title": (
        "## 2. Keeping the deleted information and keys safe (Act art. 41(2), Rules art. 32)"
    ),
    "appi.s2.body": (
        "kamei keeps none of the deleted descriptions (names and so on) themselves. The "
        '"deleted information etc." (削除情報等) is the key that makes the pseudonyms '
        "(information about the processing method).\n\n"
        "- Pseudonym key: in the OS keyring ({backend}), service `kamei`, entry "
        "`{store}:pseudonym-key:<version>`. Versions held: {versions} (in use: {current}). "
        "Kept apart from the store that holds the pseudonymised information.\n"
        "- Store encryption key: entry `{store}:db-key` in the same keyring, a key separate "
        "from the pseudonym key. The whole store file is encrypted with SQLCipher.\n"
        "- Key of the forget list: entry `{store}:suppression-key` ({suppression}).\n"
        "- Who can access them: the OS account that runs kamei (`{user}`) and whoever can "
        "unlock its keyring.\n"
        "- Authority and responsibility: responsible person ＿＿＿＿＿＿, handled by "
        "＿＿＿＿＿＿\n"
        "- Handling rules: section 3 of this record. Keys leave this machine only as a "
        "passphrase-encrypted file (`kamei key export`), kept at ＿＿＿＿＿＿.\n"
        "- Measures against unauthorised access: OS account password and screen lock, disk "
        "encryption, ＿＿＿＿＿＿"
    ),
    "appi.s2.suppression_yes": "present",
    "appi.s2.suppression_no": "not made yet; the first `kamei forget` makes it",
    "appi.s3.title": "## 3. Handling rules (Act art. 41(3) to (9))",
    "appi.s3.body": (
        "1. Handled only as far as the purposes published in section 5 need (para. 3); a "
        "changed purpose is published (para. 4).\n"
        "2. Deleted without delay once no longer needed, as far as possible (para. 5): "
        "`kamei forget` (one buyer's history), `kamei shop remove` (a whole shop), "
        "`kamei key destroy-pseudonym-key` (destroying the pseudonym key leaves the stored "
        "history linkable to nobody).\n"
        "3. Not provided to third parties (para. 6; except as the law requires, to "
        "contractors, in a business transfer or for joint use). `kamei report` suppresses "
        "groups of fewer than 5 buyers (`--min-group`); still check a report before it "
        "leaves the business. Output that holds buyer pseudonyms (`kamei sql`, "
        "`kamei lookup`) stays inside.\n"
        "4. Never collated with other information to identify a person (para. 7). kamei has "
        "no command that maps a pseudonym back to a person.\n"
        "5. Never used to contact a person by phone, post, e-mail or visit (para. 8). kamei "
        "stores no contact details.\n"
        "6. For pseudonymised personal data, the limits on changing the purpose (art. 17(2)), "
        "breach reports (art. 26) and requests for disclosure and the like (arts. 32 to 39) "
        "do not apply (para. 9).\n"
        "7. Caution: `kamei lookup` and `kamei forget` compute a pseudonym from an e-mail "
        "address or phone number the customer gave you when asking. Use them only to act on "
        "the person's own request (such as deleting their history), and check how this "
        "relates to the ban on identification (para. 7) in the Commission's guidelines and "
        "Q&A, or with a lawyer."
    ),
    "appi.s4.title": "## 4. Record of deletions (`kamei forget`)",
    "appi.s4.header": "| pseudonym | deleted on | orders deleted |",
    "appi.s4.none": "No deletions recorded.",
    "appi.s5.title": "## 5. Publication of the purpose of use (draft)",
    "appi.s5.body": (
        "> We make pseudonymised information (仮名加工情報) from the details of your orders, "
        "by deleting your name, its reading, address, phone number, e-mail address and other "
        "descriptions that could identify you, or replacing them with codes that cannot be "
        "reversed, and use it for these purposes:\n"
        ">\n"
        "> - adding up and analysing our sales (by period, product and region, and how often "
        "customers buy again);\n"
        "> - planning and developing products, and improving our range and stock planning;\n"
        "> - measuring the effect of our promotions.\n"
        ">\n"
        "> We use the pseudonymised information only within our business and do not provide "
        "it to third parties. We do not collate it with other information to identify you, "
        "and we do not use it to contact you.\n"
        ">\n"
        "> Published on: ＿＿＿＿ Business name: ＿＿＿＿＿＿ Contact: ＿＿＿＿＿＿"
    ),
    # Stored items: one per field of OrderRecord and LineRecord (tests/test_appi.py).
    "appi.field.order_key": (
        "order key: a keyed hash of platform, shop and order number; the order number "
        "cannot be recovered from it"
    ),
    "appi.field.platform": "platform",
    "appi.field.ordered_at": "time of order",
    "appi.field.updated_at": "time of the last update",
    "appi.field.status": "status (pending, paid, shipped, cancelled, returned)",
    "appi.field.buyer": "buyer pseudonym (see 1.2)",
    "appi.field.goods_total": "goods total",
    "appi.field.shipping": "shipping",
    "appi.field.fees": "fees",
    "appi.field.tax": "consumption tax",
    "appi.field.discounts": "discounts",
    "appi.field.grand_total": "grand total",
    "appi.field.points_used": "points used",
    "appi.field.payment_method": "name of the payment method",
    "appi.field.delivery_method": "name of the delivery method",
    "appi.field.coupon_name": "coupon name",
    "appi.field.is_gift": "whether the order is a gift",
    "appi.field.multi_destination": "whether the order goes to several addresses",
    "appi.field.is_member": "whether a member placed the order",
    "appi.field.prefecture": "the buyer's prefecture",
    "appi.field.age_band": (
        "age band at the time of the order (10-year bands, from the birthday, which is not stored)"
    ),
    "appi.field.gender": "gender (where given)",
    "appi.field.shop": "shop (which of your shops took the order)",
    "appi.field.line_no": "line number within the order",
    "appi.field.product_id": "product id",
    "appi.field.product_name": "product name as ordered",
    "appi.field.unit_price": "unit price",
    "appi.field.quantity": "quantity",
    "appi.field.subtotal": "line subtotal",
    "appi.field.product_code": "product code",
    "appi.field.sku": "SKU",
    "appi.field.variation": "variation (size, colour and similar options)",
    "appi.field.tax_class": "tax rate class",
    # Replaced items: connector fields not stored as they are.
    "appi.replaced.platform_order_id": (
        "the platform's order number → order key (HMAC-SHA256 under the pseudonym key)"
    ),
    "appi.replaced.email": (
        "e-mail address → buyer pseudonym `p<version>_…` (normalised, then HMAC-SHA256 under "
        "the pseudonym key; without the key it can be neither reversed nor matched)"
    ),
    "appi.replaced.phone": (
        "phone number → buyer pseudonym, when there is no e-mail address (as above)"
    ),
    "appi.replaced.member_id": (
        "the platform's member id → buyer pseudonym, when there is neither e-mail address nor "
        "phone number (as above)"
    ),
    "appi.replaced.birthday": "birthday → age band at the time of the order (10-year bands)",
    "appi.replaced.variations": (
        "the chosen variation values → one text (it says nothing about the person)"
    ),
    # Deleted items: what the connectors drop (docs/privacy.md, "What is never stored").
    "appi.dropped.name": "names (buyer, recipient, billing)",
    "appi.dropped.kana": "readings of names (kana)",
    "appi.dropped.company": "company and department",
    "appi.dropped.fax": "fax numbers",
    "appi.dropped.postal_code": "postal codes",
    "appi.dropped.address": "addresses (all but the prefecture)",
    "appi.dropped.recipient": "recipients of deliveries and gifts",
    "appi.dropped.free_text": (
        "free text: order remarks, delivery notes, gift messages, noshi inscriptions, "
        "engraving or customisation text, answers to a shop's questions"
    ),
    "appi.dropped.tracking_number": "tracking and slip numbers",
    "appi.dropped.payment_transaction": "payment-provider transaction ids",
    "appi.dropped.raw_body": "the API responses themselves",
    # Column headings of the built-in reports in the terminal table (cli/output/table.py);
    # files and JSON keep the identifiers, which scripts rely on.
    "column.average_order_value": "average_order_value",
    "column.average_orders": "average_orders",
    "column.average_recency_days": "average_recency_days",
    "column.average_revenue": "average_revenue",
    "column.buyer": "buyer",
    "column.buyers": "buyers",
    "column.code": "code",
    "column.cohort": "cohort",
    "column.cohort_buyers": "cohort_buyers",
    "column.confidence_a_to_b": "confidence_a_to_b",
    "column.confidence_b_to_a": "confidence_b_to_a",
    "column.cumulative_revenue_per_buyer": "cumulative_revenue_per_buyer",
    "column.f": "f",
    "column.lift": "lift",
    "column.m": "m",
    "column.months_since": "months_since",
    "column.new_buyers": "new_buyers",
    "column.orders": "orders",
    "column.orders_per_buyer": "orders_per_buyer",
    "column.period": "period",
    "column.prefecture": "prefecture",
    "column.product": "product",
    "column.product_a": "product_a",
    "column.product_b": "product_b",
    "column.product_id": "product_id",
    "column.r": "r",
    "column.rank": "rank",
    "column.recency_days": "recency_days",
    "column.repeat_buyers": "repeat_buyers",
    "column.retention": "retention",
    "column.returning_buyers": "returning_buyers",
    "column.revenue": "revenue",
    "column.segment": "segment",
    "column.share_of_buyers": "share_of_buyers",
    "column.share_of_revenue": "share_of_revenue",
    "column.shop": "shop",
    "column.support": "support",
    "column.suppressed": "suppressed",
    "column.units": "units",
    "column.variation": "variation",
    # --- kamei init, kamei shop --------------------------------------------------------------
    "init.help": (
        "Create the encrypted store and its keys (kept in the OS keyring).\n\n"
        "Refuses to touch an existing store.\n\n"
        "Example:\n\n"
        "    kamei init"
    ),
    "init.created": "created the encrypted store at {path}",
    "init.next": "its keys are in the OS keyring; next: kamei shop add NAME --platform colorme",
    "shop.help": "Register, list and remove shops.",
    "shop.add.help": (
        "Register a shop; its credential goes to the OS keyring, never to a file.\n\n"
        "Examples:\n\n"
        '    echo "$TOKEN" | kamei shop add main --platform colorme --credential-stdin\n\n'
        "    kamei shop add ms --platform makeshop --credential-stdin < "
        "makeshop-credential.json\n\n"
        '    echo "myshop.jp:$MANAGER_KEY" | kamei shop add ss --platform shopserve '
        "--credential-stdin"
    ),
    "shop.arg.name": "A short name for the shop, e.g. 'main'.",
    "shop.opt.platform": (
        "colorme, makeshop or shopserve (MakeShop's credential: token and API key, as JSON "
        '{"token": ..., "api_key": ...} or as two lines)'
    ),
    "shop.opt.base_url": "API base URL (default: the platform's).",
    "shop.opt.credential_stdin": (
        "Read the credential from standard input: Color Me, the access token; MakeShop, "
        '{"token": ..., "api_key": ...} or the two on two lines; ShopServe, '
        "SHOP_ID:MANAGER_KEY."
    ),
    "shop.opt.lookback_days": "Days re-read each sync for late changes.",
    "shop.opt.rate": "Requests per second kamei allows itself (client-side budget).",
    "shop.opt.mapping": (
        "ShopServe: a JSON file correcting the assumed API format (docs/platforms.md)."
    ),
    "shop.bad_name": "shop names must be 1–64 characters without slashes or tabs",
    "shop.bad_lookback": "--lookback-days must be between 0 and 366",
    "shop.bad_rate": "--rate must be above 0 and at most 1000 requests per second",
    "shop.mapping_not_shopserve": (
        "--mapping applies to ShopServe shops only; drop it for {platform}"
    ),
    "shop.mapping_unreadable": "cannot read {path} as UTF-8 text; check the path",
    "shop.added": "added shop {name!r} ({label})",
    "shop.no_credential": "no credential yet: {hint}",
    "shop.hint_pipe": "pipe it to `kamei shop credential {name}`",
    "shop.hint_colorme": "run `kamei auth colorme {name}` or {pipe}",
    "shop.bad_base_url": "--base-url wants an http(s) URL, e.g. https://api.shop-pro.jp",
    "shop.base_url_secret": (
        "--base-url must not hold a user name, password or query: it is kept as a plain "
        "setting and shown by `kamei shop list`; pass credentials with --credential-stdin "
        "(kept in the OS keyring)"
    ),
    "shop.http_warning": (
        "kamei: warning: an http:// base URL sends the shop's credential unencrypted; use "
        "https:// unless this is a test server"
    ),
    "shop.unreadable_url": "(unreadable URL)",
    "shop.credential.help": (
        "Set or replace a shop's credential, read from standard input (kept in the OS "
        "keyring).\n\n"
        "The format is the one `kamei shop add --credential-stdin` takes for the shop's "
        "platform.\n\n"
        "Example:\n\n"
        '    echo "$NEW_TOKEN" | kamei shop credential main'
    ),
    "shop.credential.arg.name": "The shop whose credential to set or replace.",
    "shop.credential.stored": "stored the credential for {name!r} in the OS keyring",
    "shop.list.help": "List registered shops.\n\nExample:\n\n    kamei shop list --json",
    "shop.remove.help": (
        "Remove a shop, its stored orders and its credential.\n\n"
        "Example:\n\n"
        "    kamei shop remove old-shop --yes"
    ),
    "shop.remove.arg.name": "The shop to remove.",
    "shop.remove.needs_yes": "removing a shop deletes its history: confirm with --yes",
    "shop.remove.question": "Delete shop {name!r} and all its stored orders?",
    "shop.removed": "removed shop {name!r}, its credential and its {orders} stored orders",
    # --- kamei sync, status, sql -------------------------------------------------------------
    "sync.help": (
        "Pull new and changed orders from every shop (or the named ones).\n\n"
        "Each shop resumes where its last run stopped and re-reads a few days back\n"
        "(its lookback) so late payments, shipments and cancellations arrive. Contact\n"
        "details are pseudonymised in memory; only the allowlisted facts are stored.\n"
        "Exit code 0 only when every shop synced; a progress bar on a terminal, one\n"
        "summary line otherwise (for cron). `--scheduled` is what the nightly job\n"
        "(`kamei schedule install`) runs: it also logs to <home>/logs/kamei.log and\n"
        "records the result for `kamei schedule status` and `kamei doctor`.\n\n"
        "Examples:\n\n"
        "    kamei sync\n"
        "    kamei sync main --since 2025-01-01\n"
        "    kamei sync --full"
    ),
    "sync.arg.names": "Shops to sync (default: all).",
    "sync.opt.full": "Re-read the whole history (slow; rarely needed).",
    "sync.opt.since": "Re-read orders changed since this date (YYYY-MM-DD, JST).",
    "sync.opt.wait": "Wait for another running sync instead of exiting.",
    "sync.opt.scheduled": (
        "The nightly job's mode: log to <home>/logs/kamei.log, record the result."
    ),
    "opt.bad_date": "{option} wants a date like 2025-01-31, not {value!r}",
    "sync.summary": "synced {ok}/{total} shops: {shops}",
    "sync.summary.shop": "{shop} +{orders} new orders",
    "sync.summary.failed": " ({outcome})",
    "sync.summary.none": "no shops",
    "status.help": (
        "Show each shop: platform, orders stored, last successful sync, watermark, last run.\n\n"
        "Examples:\n\n"
        "    kamei status\n"
        "    kamei status --json"
    ),
    "sql.help": (
        "Run one read-only SELECT over the store (not suppressed: check before sharing).\n\n"
        "The store is opened read-only: INSERT, UPDATE, DELETE, CREATE, ATTACH and\n"
        "PRAGMA changes are refused. Tables: shops, orders, order_lines, sync_runs\n"
        "(see docs/reports.md). Results may hold buyer pseudonyms.\n\n"
        "Example:\n\n"
        '    kamei sql "SELECT status, COUNT(*) AS orders FROM orders GROUP BY status"'
    ),
    "sql.arg.query": "One SELECT statement.",
    # --- kamei report (the command line; report titles live in store/reports) ----------------
    "report.help": (
        "Reports over the store; groups under k buyers are suppressed.\n\n"
        "Example:\n\n"
        "    kamei report sales --by month --format xlsx --out sales.xlsx"
    ),
    "report.opt.min_group": (
        "Suppress any group with fewer distinct buyers than this (default: reports.min_group "
        "in settings.toml, else 5)."
    ),
    "report.opt.shop": "Only this shop (repeatable).",
    "report.opt.platform": "Only this platform (repeatable).",
    "report.opt.since": "First day, Japan time (YYYY-MM-DD).",
    "report.opt.until": "Last day included, Japan time (YYYY-MM-DD).",
    "report.opt.top": "Only the first N published rows.",
    "report.opt.by": "day, week, month or year (Japan time).",
    "report.opt.variations": "One row per product and variation.",
    "report.opt.months": "Follow each cohort this many months.",
    "report.opt.detail": "List every buyer's pseudonym and scores (internal use only).",
    "report.sales.help": (
        "Orders, revenue, units, buyers (new/returning) and average order value by period and "
        "shop.\n\n"
        "Example:\n\n"
        "    kamei report sales --by month --format csv --out sales.csv"
    ),
    "report.products.help": (
        "Revenue, units, orders, buyers and repeat buyers per product, best sellers first.\n\n"
        "Example:\n\n"
        "    kamei report products --top 20 --since 2025-01-01"
    ),
    "report.repeat.help": (
        "Orders per buyer, repeat rate, median days to the second order, returning revenue "
        "share.\n\n"
        "Example:\n\n"
        "    kamei report repeat --format json"
    ),
    "report.cohorts.help": (
        "Monthly first-purchase cohorts: buyers retained (count and %) and revenue per buyer.\n\n"
        "Example:\n\n"
        "    kamei report cohorts --months 12 --format html --out cohorts.html"
    ),
    "report.rfm.help": (
        "Recency, frequency and monetary scores and named segments with buyers and revenue.\n\n"
        "Example:\n\n"
        "    kamei report rfm --format html --out rfm.html"
    ),
    "report.baskets.help": (
        "Product pairs bought in the same order: support, confidence and lift.\n\n"
        "Example:\n\n"
        "    kamei report baskets --top 20 --format csv --out pairs.csv"
    ),
    "report.prefectures.help": (
        "Orders, revenue and buyers by the buyer's prefecture, with a nationwide total.\n\n"
        "Example:\n\n"
        "    kamei report prefectures --format html --out prefectures.html"
    ),
    # --- kamei demo, kamei fake --------------------------------------------------------------
    "demo.help": (
        "Try kamei without an account: fake shops, sync, report. No network, no prompts.\n\n"
        "Starts a fake API on 127.0.0.1 for each platform (カラーミーショップ and MakeShop by\n"
        "default; `--platform all` for every platform kamei can fake), all selling to one\n"
        "pool of synthetic customers, creates an encrypted store in a temporary folder,\n"
        "syncs every shop, and prints a sales report and how many buyers the shops share\n"
        "(the same person gets the same pseudonym on every platform).\n"
        "Demo only: its keys live in a throwaway in-memory keyring, so the demo store\n"
        "cannot be opened again after the command ends.\n\n"
        "Examples:\n\n"
        "    kamei demo --orders 3000\n"
        "    kamei demo --platform all"
    ),
    "demo.opt.orders": "Synthetic orders per shop.",
    "demo.opt.seed": "Seed of the synthetic data.",
    "demo.opt.platform": "Platforms to fake, comma-separated, or 'all' for every one with a fake.",
    "demo.opt.home": "Folder for the demo store (default: a new temp folder).",
    "demo.bad_platforms": "choose platforms from {known} (comma-separated) or 'all'",
    "demo.keyring": "kamei demo: keys are kept in a throwaway in-memory keyring (demo only)",
    "demo.fake_at": "fake {label} at {url} serving {orders} synthetic orders",
    "demo.synced": (
        "{shop}: synced {orders} orders in {seconds:.1f}s ({requests} requests): {outcome}"
    ),
    "demo.sales_title": "sales by month (last 6)",
    "demo.shared_all": "2+ shops",
    "demo.shared": "buyers shared between shops ({label}): {figure}",
    "demo.suppressed": "fewer than {k} (suppressed)",
    "demo.store": "\nstore: {path} (encrypted; {orders} pseudonymised orders)",
    "demo.home": "home:  {folder}",
    "demo.done": "done in {seconds:.1f}s. Next: kamei init, then kamei shop add",
    "demo.failed": "kamei: demo sync of {shop} failed: {error}",
    "fake.help": "Fake platform APIs with synthetic data (no real customers).",
    "fake.serve.help": (
        "Serve a fake platform API until interrupted.\n\n"
        'Prints one JSON line first: {"platform", "base_url", "credential", "orders"};\n'
        "the credential is what `kamei shop add --credential-stdin` accepts.\n\n"
        "Example:\n\n"
        "    kamei fake serve --platform colorme --orders 5000 --faults latency=20ms"
    ),
    "fake.opt.platform": "colorme, makeshop or shopserve",
    "fake.opt.host": "Address to listen on.",
    "fake.opt.port": "Port (0 picks a free one).",
    "fake.opt.orders": "Orders to generate.",
    "fake.opt.faults": (
        "Comma-separated faults, e.g. latency=50ms,429=0.1,5xx=0.05,reset=0.02,truncate=0.02,ch"
        "urn=1"
    ),
    "fake.opt.canary": "Plant a unique KNRY marker in every personal value (for leak tests).",
    "fake.public_warning": (
        "kamei: warning: the fake serves synthetic data to anyone who can reach it"
    ),
    # --- kamei auth, kamei schedule, kamei doctor --------------------------------------------
    "auth.help": "Authorise kamei at a platform (stores the token in the keyring).",
    "auth.colorme.help": (
        "Authorise kamei for a Color Me shop (scope read_sales) and keep the token in the "
        "keyring.\n\n"
        "Register an app at https://api.shop-pro.jp/oauth/applications/new with the redirect\n"
        "URI http://127.0.0.1:PORT/callback (use --port PORT) or urn:ietf:wg:oauth:2.0:oob\n"
        "(use --oob). Color Me tokens do not expire; revoking the app in the shop admin\n"
        "ends access, after which run this command again.\n\n"
        "Example:\n\n"
        "    kamei auth colorme main --client-id abc123 --port 8765"
    ),
    "auth.arg.shop": "The shop registered with `kamei shop add`.",
    "auth.opt.client_id": "Your Color Me app's client id.",
    "auth.opt.client_secret_stdin": (
        "Read the client secret from standard input (else ${env} or a prompt)."
    ),
    "auth.opt.oob": "No local browser: paste the code Color Me shows instead.",
    "auth.opt.port": "Local port for the redirect (0: any free port).",
    "auth.opt.no_browser": "Print the address instead of opening it.",
    "auth.opt.timeout": "Seconds to wait for the browser.",
    "auth.prompt.secret": "Client secret",
    "auth.prompt.code": "Code",
    "auth.no_secret": "no client secret: pipe it with --client-secret-stdin or set ${env}",
    "auth.not_colorme": "shop {shop!r} is on {platform}, not colorme",
    "auth.open_and_paste": (
        "Open this address, allow access, then paste the code shown:\n\n  {url}\n"
    ),
    "auth.open": "Open this address and allow access:\n\n  {url}\n",
    "auth.done": "authorised: the token for {shop!r} is in the OS keyring; next: kamei sync {shop}",
    "schedule.help": (
        "Install, show and remove the nightly sync.\n\n"
        "Example:\n\n"
        "    kamei schedule install --dry-run"
    ),
    "schedule.install.help": (
        "Install a nightly `kamei sync` with this machine's own scheduler.\n\n"
        "A systemd user timer on Linux (Persistent=true: a night the machine was off\n"
        "runs at the next boot), a launchd agent on macOS, a Task Scheduler task on\n"
        "Windows, a crontab line where none of those exists. The default time, 00:30\n"
        "JST, avoids ShopServe's maintenance window (Wednesdays 02:00-08:00 JST).\n"
        "The run logs to <home>/logs/kamei.log and exits non-zero if a shop fails.\n"
        "Without a desktop session, give --keyring-passphrase-file (docs/scheduling.md).\n\n"
        "Examples:\n\n"
        "    kamei schedule install --dry-run\n"
        "    kamei schedule install --at 23:45\n"
        "    kamei schedule install --keyring-passphrase-file ~/.config/kamei/passphrase"
    ),
    "schedule.status.help": (
        "Show the installed nightly run and how the last one went.\n\n"
        "Examples:\n\n"
        "    kamei schedule status\n"
        "    kamei schedule status --json"
    ),
    "schedule.remove.help": (
        "Remove the nightly run (the store and its logs stay).\n\n"
        "Example:\n\n"
        "    kamei schedule remove"
    ),
    "schedule.opt.kind": "Scheduler: systemd, launchd, schtasks or cron (default: this machine's).",
    "schedule.opt.at": "Local time HH:MM (default: 00:30 JST).",
    "schedule.opt.dry_run": "Print what would be installed; change nothing.",
    "schedule.opt.passphrase_file": (
        "Use the encrypted file keyring, unlocked by the passphrase in this file (systemd: a "
        "*.cred file from `systemd-creds encrypt` also works)."
    ),
    "schedule.bad_kind": "--kind must be one of {choices}, not {value!r}",
    "schedule.no_passphrase_file": (
        "the passphrase file {path} does not exist; write the keyring passphrase in it (mode "
        "0600) first"
    ),
    "schedule.loose_passphrase_file": (
        "the passphrase file {path} is readable by others; run `chmod 600 {path}`"
    ),
    "schedule.show.systemd": "# --- systemd user unit: {path}",
    "schedule.show.launchd": "# --- launchd agent: {path}",
    "schedule.show.schtasks": "# --- Task Scheduler task (UTF-16 on disk): {path}",
    "schedule.show.cron": "# --- crontab line (crontab -e), where there is no systemd:",
    "schedule.warning": "kamei: warning: {warning}",
    "schedule.dry_run": (
        "# kamei schedule install --dry-run: nothing was installed. The nightly run, at {jst} "
        "({local} local):"
    ),
    "schedule.no_scheduler": (
        "no scheduler kamei knows was found (systemd, launchd, Task Scheduler, cron); see "
        "`kamei schedule install --dry-run` and docs/scheduling.md"
    ),
    "schedule.installed": "kamei sync runs nightly at {jst} ({local} local); its log: {log}",
    "schedule.note": "note: {note}",
    "schedule.not_installed": "nightly run: not installed; run `kamei schedule install`",
    "schedule.job": "nightly run: {kind} {when}{enabled} ({location})",
    "schedule.job.enabled": ", enabled",
    "schedule.job.disabled": ", NOT enabled",
    "schedule.no_last_run": "last scheduled run: none yet",
    "schedule.last_ok": "ok",
    "schedule.last_failed": "failed (exit {code}): {error}",
    "schedule.last_run": "last scheduled run: {started}, {ok} shops ok, {failed} failed: {result}",
    "schedule.shop": "shop {name} ({platform}): last run {when}: {outcome}",
    "schedule.store_unreadable": "kamei: warning: the store could not be read: {error}",
    "schedule.nothing_removed": "no nightly run was installed",
    "doctor.help": (
        "Check the setup: Python, keyring, store, each shop's credential, the schedule, disk.\n\n"
        "One line per check (ok, warn or FAIL) and a fix under each failure. The keyring\n"
        "line says which secret source is in use and whether it gives the store's keys\n"
        "without a prompt, as the nightly run needs; each shop gets one real\n"
        "authenticated request. Exit code 1 if any check fails.\n\n"
        "Examples:\n\n"
        "    kamei doctor\n"
        "    kamei doctor --json"
    ),
    "doctor.fix": "      fix: {fix}",
    "doctor.summary": "{checks} checks: {failed} failed, {warnings}",
    "doctor.one_warning": "1 warning",
    "doctor.warnings": "{count} warnings",
    # --- errors of the store (store/) --------------------------------------------------------
    "store.missing": "no kamei store at {path}; run `kamei init` to create one",
    "store.is_directory": "{path} is a directory, not a kamei store; check KAMEI_HOME",
    "store.no_permission": "kamei may not read {path}; check its owner and permissions (0600)",
    "store.empty": (
        "the store file {path} is empty; restore it from a backup, or move it away and run "
        "`kamei init`"
    ),
    "store.plain_sqlite": (
        "{path} is an unencrypted SQLite file, not a kamei store; point --home or KAMEI_HOME "
        "at a kamei store, or move this file away and run `kamei init`"
    ),
    "store.truncated": (
        "the store file {path} is truncated ({size} bytes, not whole pages); restore it from a "
        "backup"
    ),
    "store.wrong_key": (
        "the key in the keyring does not open the store at {path} (or its first page is "
        "damaged); was the file copied from another machine? restore its key with `kamei key "
        "import`, or run `kamei doctor`"
    ),
    "store.damaged": (
        "the store at {path} is damaged; run `kamei doctor`, then restore it from a backup"
    ),
    "store.cannot_open": (
        "kamei cannot open {path}; check the permissions of the file and its folder"
    ),
    "store.busy": "the store stayed busy (another kamei process is writing); try again later",
    "store.exists": (
        "a kamei store already exists at {home} ({file}); use it, or choose another home with "
        "--home or KAMEI_HOME"
    ),
    "store.just_created": "a kamei store was just created at {home}",
    "store.unknown_shop": "no shop named {name!r}; see `kamei shop list`",
    "store.unknown_shop_id": "no shop with id {id} (was it removed?); see `kamei shop list`",
    "store.meta_missing": (
        "{path} is missing, so kamei cannot find this store's keys; restore it from the same "
        "backup as kamei.db, or run `kamei init` for a new store"
    ),
    "store.meta_damaged": "{path} is damaged; restore it from the same backup as kamei.db",
    "store.meta_newer": "{path} was written by a newer kamei (format {version}); upgrade kamei",
    "store.locked": (
        "another `kamei sync` is running on this store{who}; wait for it to finish (a "
        "scheduled run can simply retry later), or see `kamei status`"
    ),
    "store.locked_pid": " (pid {pid})",
    # --- errors of the connectors (connectors/) ----------------------------------------------
    "http.where": "{platform} shop {shop!r}, endpoint {endpoint}",
    "http.where_status": ", HTTP {status}",
    "http.where_window": ", window {window}",
    "http.reauth": "re-authorise with `kamei auth {platform} {shop}`",
    "http.rejected": "{platform} rejected the credential ({where}); {reauth}",
    "http.denied": (
        "{platform} denied access ({where}); the credential lacks a permission kamei needs: "
        "{reauth} and grant the read permissions it asks for"
    ),
    "http.failed": "{platform} failed ({where}); run `kamei sync` again later",
    "http.redirect": "unexpected redirect ({where}); check the shop's base URL",
    "http.refused": "{platform} refused the request ({where}); run `kamei doctor`",
    "http.attempt": "after {attempts} attempt",
    "http.attempts": "after {attempts} attempts",
    "http.rate_limited": (
        "{platform} kept rate-limiting ({where}) {tail}; run `kamei sync` again later or lower "
        "the shop's request rate"
    ),
    "http.unusable": (
        "{platform} sent an unusable response ({where}: {reason}) {tail}; run `kamei sync` "
        "again later, and report it if it persists"
    ),
    "http.unavailable": (
        "{platform} is unavailable ({where}: {reason}) {tail}; run `kamei sync` again later"
    ),
    "http.fatal": "{where}: {reason}",
    "http.unknown": "{where}: {name}; please report this bug",
    "registry.unknown_platform": "unknown platform {name!r}; choose one of: {known}",
    "registry.not_positive": (
        "{platform} shop {shop!r}: {name} must be a positive number; fix it in settings"
    ),
    "connector.no_shop_name": "{platform} settings lack the shop name; run `kamei doctor`",
    "colorme.no_token": (
        "no Color Me access token for shop {shop!r}; run `kamei auth colorme {shop}`"
    ),
    "colorme.token_rejected": (
        "Color Me rejected the access token ({where}; error 401010); re-authorise with `kamei "
        "auth colorme {shop}`"
    ),
    "colorme.plan": (
        "the shop's Color Me plan does not offer this API ({where}; error 401200); check the "
        "plan in the Color Me admin"
    ),
    "colorme.no_token_given": (
        "no Color Me access token given; pipe the token into `kamei shop add`, or get one with "
        "`kamei auth colorme <shop>`"
    ),
    "colorme.token_one_word": (
        "a Color Me access token is one word on one line; paste only the token (from `kamei "
        "auth colorme <shop>`)"
    ),
    "makeshop.bad_page_size": (
        "makeshop shop {shop!r}: page_size must be a whole number from 1 to {max}; fix it in "
        "settings"
    ),
    "makeshop.bad_paid_codes": (
        "makeshop shop {shop!r}: paid_codes must be a list of paymentStatusCode texts such as "
        '["0002", "0004"]; fix it in settings'
    ),
    "makeshop.bad_flag": "makeshop shop {shop!r}: {name} must be true or false; fix it in settings",
    "makeshop.no_credential": (
        "no MakeShop token and API key for shop {shop!r}; add them with `kamei shop add NAME "
        "--platform makeshop --credential-stdin`"
    ),
    "makeshop.same_page": (
        "makeshop shop {shop!r}: page {page} of window {window} holds the same orders as the "
        "page before it; run `kamei sync` again later, and report it if it persists"
    ),
    "makeshop.forbidden": (
        "MakeShop refused {endpoint} with FORBIDDEN ({where}): the app is not approved for "
        "{permission}; ask MakeShop to approve that permission for the app{tail}, then run "
        "`kamei sync {shop}` again"
    ),
    "makeshop.clock": (
        "MakeShop refused the request time x-timestamp ({where}); this computer's clock must "
        "be within an hour of the real time: correct it (turn on network time), then run "
        "`kamei sync {shop}` again"
    ),
    "makeshop.rejected": (
        "MakeShop rejected the token or API key ({where}); uninstalling the app revokes the "
        "token: get the shop's current permanent token and API key and register them again "
        "(`kamei shop add --help` shows the credential format)"
    ),
    "makeshop.schema": (
        "MakeShop rejected kamei's query ({where}): its schema differs from what kamei knows; "
        "check the shop's base_url is the GraphQL endpoint, update kamei, and report it if it "
        "persists"
    ),
    "makeshop.credential_json": (
        'the MakeShop credential is not valid JSON; give {"token": …, "api_key": …} or two '
        "lines (token, then API key)"
    ),
    "makeshop.credential_shape": (
        'a MakeShop credential is the permanent token and the API key: give JSON {"token": …, '
        '"api_key": …} or two lines (token, then API key) on standard input'
    ),
    "makeshop.credential_word": (
        "the MakeShop {name} must be one word without spaces; paste it exactly as MakeShop "
        "issued it"
    ),
    "shopserve.bad_mapping": (
        "shopserve shop {shop!r}: the stored mapping is not a JSON object; add the shop again "
        "with --mapping FILE ({docs})"
    ),
    "shopserve.no_credential": (
        "no ShopServe shop id and manager key for shop {shop!r}; add the shop with "
        "--credential-stdin (SHOP_ID:MANAGER_KEY on one line)"
    ),
    "makeshop.operation": "operation {endpoint}",
    "makeshop.member_lookup_tail": (
        " (or set the shop setting member_lookup to false: buyers are then linked by member id "
        "within this shop only)"
    ),
    # --- connectors/http.py: reasons ---------------------------------------------------------
    "http.reason.timed_out": "timed out",
    "http.reason.connect_timed_out": "connect timed out",
    "http.reason.read_timed_out": "read timed out",
    "http.reason.write_timed_out": "write timed out",
    "http.reason.connection_pool_timed_out": "connection pool timed out",
    "http.reason.network_error": "network error",
    "http.reason.could_not_connect": "could not connect",
    "http.reason.connection_reset_while_reading": "connection reset while reading",
    "http.reason.connection_reset_while_writing": "connection reset while writing",
    "http.reason.error_closing_the_connection": "error closing the connection",
    "http.reason.connection_dropped_or_malformed_response": (
        "connection dropped or malformed response"
    ),
    "http.reason.response_body_could_not_be_decoded": "response body could not be decoded",
    "http.reason.http_error": "HTTP error; run `kamei doctor`",
    "http.reason.request_failed": "request failed; run `kamei doctor`",
    "http.reason.transport_failed": "transport failed; run `kamei doctor`",
    "http.reason.http_protocol_error": "HTTP protocol error; run `kamei doctor`",
    "http.reason.kamei_built_an_invalid_request": (
        "kamei built an invalid request; please report this bug"
    ),
    "http.reason.the_proxy_refused_the_connection": (
        "the proxy refused the connection; check HTTPS_PROXY/HTTP_PROXY"
    ),
    "http.reason.the_base_url_is_not_http_s": (
        "the base URL is not http(s); check the shop's base URL"
    ),
    "http.reason.too_many_redirects": "too many redirects; check the shop's base URL",
    "http.reason.unexpected_http_status": "unexpected HTTP status; run `kamei doctor`",
    "http.reason.invalid_url": "invalid URL; check the shop's base URL",
    "http.reason.conflicting_cookies": "conflicting cookies; please report this bug",
    "http.reason.response_stream_misused": "response stream misused; please report this bug",
    "http.reason.request_stream_misused": "request stream misused; please report this bug",
    # --- errors of the keyring (store/secrets.py) --------------------------------------------
    "secrets.hint": (
        "unlock or install a Secret Service (e.g. gnome-keyring), or set "
        "PYTHON_KEYRING_BACKEND to an encrypted file backend such as "
        "keyrings.cryptfile.cryptfile.CryptFileKeyring and KAMEI_KEYRING_PASSPHRASE_FILE to a "
        "file holding its passphrase; `kamei doctor` explains"
    ),
    "secrets.unavailable": "{problem}; {hint}",
    "secrets.problem.none": "no usable OS keyring was found",
    "secrets.problem.cannot_run": "the keyring backend {name} cannot run here",
    "secrets.problem.cannot_keep": "the keyring backend {name} cannot keep secrets",
    "secrets.problem.plaintext": "the only keyring found stores secrets in a plaintext file",
    "secrets.backend_load": "the configured keyring backend could not be loaded ({name}); {hint}",
    "secrets.locked": (
        "the keyring is locked, so kamei cannot {action}; unlock it (log in to the desktop "
        "session or unlock gnome-keyring), or run `kamei doctor`"
    ),
    "secrets.no_keyring": "no usable OS keyring, so kamei cannot {action}; {hint}",
    "secrets.failed": "the keyring failed to {action} ({name}); run `kamei doctor`",
    "secrets.not_kept": (
        "the keyring accepted but did not keep a secret while trying to {action}; run `kamei "
        "doctor`"
    ),
    "secrets.action.read_store_key": "read the store key",
    "secrets.action.save_store_key": "save the store key",
    "secrets.action.delete_store_key": "delete the store key",
    "secrets.action.read_pseudonym_key": "read the pseudonym key",
    "secrets.action.save_pseudonym_key": "save the pseudonym key",
    "secrets.action.delete_pseudonym_key": "delete the pseudonym key",
    "secrets.action.read_suppression_key": "read the suppression key",
    "secrets.action.save_suppression_key": "save the suppression key",
    "secrets.action.delete_suppression_key": "delete the suppression key",
    "secrets.action.read_credential": "read the credential of shop {shop!r}",
    "secrets.action.save_credential": "save the credential of shop {shop!r}",
    "secrets.action.delete_credential": "delete the credential of shop {shop!r}",
    "secrets.malformed": (
        "the {what} in the keyring is malformed; restore it with `kamei key import`"
    ),
    "secrets.what.store_key": "store key",
    "secrets.what.pseudonym_version": "pseudonym key version {version}",
    "secrets.what.export_store_key": "store key in the export",
    "secrets.what.export_pseudonym_key": "pseudonym key in the export",
    "secrets.what.export_suppression_key": "suppression key in the export",
    "secrets.db_key_exists": (
        "the keyring already holds a key for store {store}; kamei will not overwrite it (run "
        "`kamei doctor`)"
    ),
    "secrets.no_db_key": (
        "no key for store {store} in the keyring ({backend}); restore it with `kamei key "
        "import`, or create a new store with `kamei init`"
    ),
    "secrets.no_pseudonym_key": (
        "no pseudonym key for store {store} in the keyring; restore the keys with `kamei key "
        "import`"
    ),
    "secrets.no_pseudonym_version": (
        "pseudonym key version {version} of store {store} is not in the keyring; restore the "
        "keys with `kamei key import`"
    ),
    "secrets.not_an_export": "that is not a kamei key export; use the text from `kamei key export`",
    "secrets.newer_export": "this key export comes from a newer kamei; upgrade kamei",
    "secrets.other_store": (
        "these keys belong to store {other!r}, not to store {store}; export them from the "
        "matching store"
    ),
    "secrets.different_key": (
        "the keyring already holds a different key for store {store}; pass --replace to "
        "overwrite it"
    ),
    "secrets.bad_credential_fields": (
        "the credential for shop {shop!r} must be named text fields; see `kamei auth --help`"
    ),
    "secrets.no_credential": (
        "no credential for shop {shop!r} in the keyring; store one with `kamei auth {shop}`"
    ),
    "secrets.malformed_credential": (
        "the credential for shop {shop!r} in the keyring is malformed; store it again with "
        "`kamei auth {shop}`"
    ),
    # --- store/keys.py -----------------------------------------------------------------------
    "secrets.action.save_new_store_key": "save the new store key",
    "secrets.what.suppression_key": "suppression key",
    # --- errors of the headless secret sources (store/secret_sources.py) ---------------------
    "sources.hint": "see docs/scheduling.md or run `kamei doctor`",
    "sources.systemd_credential": "the systemd credential {name}",
    "sources.passphrase_file": "the passphrase file {path}",
    "sources.not_a_file": (
        "{variable} names {path}, which is not a file; create it (mode 0600) or unset the "
        "variable; {hint}"
    ),
    "sources.loose_file": (
        "the passphrase file {path} is readable by other accounts; run `chmod 600 {path}`"
    ),
    "sources.unreadable": (
        "kamei cannot read the passphrase in {path} ({name}); check its owner and permissions"
    ),
    "sources.empty": "the passphrase file {path} is empty; write the passphrase in it",
    "sources.needs_passphrase": (
        "the encrypted file keyring at {path} needs its passphrase: put it in a 0600 file and "
        "set {variable} to its path; {hint}"
    ),
    "sources.wrong_passphrase": (
        "{source} does not unlock the encrypted file keyring at {path}; check the passphrase"
    ),
    "sources.no_cryptfile": (
        "a keyring passphrase is configured but keyrings.cryptfile is not installed; install "
        "kamei with the headless extra: pip install '.[headless]' from its folder"
    ),
    "sources.env_read_only": (
        "secrets from the environment ({allow}=1) are read-only; change {keys} or "
        "{credentials} where the environment is set"
    ),
    "sources.not_json": "{name} is not a JSON object; see docs/scheduling.md",
    # --- sync/ (engine, scheduling) ----------------------------------------------------------
    "sync.same_page": (
        "{platform} shop {shop!r}: the platform served the same page again for window "
        "{window}; try `kamei sync` later"
    ),
    "schedule.command_failed": (
        "`{command}` failed (exit {code}); see `kamei schedule install --dry-run` to install "
        "the files by hand"
    ),
    "schedule.crontab_failed": (
        "`crontab -l` failed (exit {code}); is cron installed? see `kamei schedule install "
        "--dry-run` for the line to add by hand"
    ),
    "schedule.done.wrote": "wrote {path}",
    "schedule.done.enabled": "enabled {unit} (systemctl --user)",
    "schedule.done.loaded": "loaded {label} (launchctl)",
    "schedule.done.created_task": "created task {task} (schtasks)",
    "schedule.done.cron_added": "added a kamei-sync line to your crontab",
    "schedule.done.removed": "removed {path}",
    "schedule.done.deleted_task": "deleted task {task} (schtasks)",
    "schedule.done.cron_removed": "removed the kamei-sync line from your crontab",
    "schedule.linger": (
        "the timer runs only while you are logged in; `loginctl enable-linger` lets it run "
        "when you are not"
    ),
    "schedule.bad_at": "--at wants a time like 00:30 (24-hour, local), not {value!r}",
    "schedule.not_absolute": "the scheduled command needs an absolute path to kamei",
    "schedule.maintenance": (
        "{local} local is {jst}, inside ShopServe's maintenance window (Wednesdays 02:00-08:00 "
        "JST): ShopServe shops will fail every Wednesday; choose a time outside it, e.g. the "
        "default (--at omitted)"
    ),
    # --- kamei doctor's checks (sync/doctor.py) ----------------------------------------------
    "doctor.package_missing": "{name} missing",
    "doctor.python": "Python {python}, kamei {kamei} ({packages})",
    "doctor.python.fix": "reinstall kamei: pip install --force kamei",
    "doctor.keyring.fix": "see docs/scheduling.md, 'Secrets'",
    "doctor.keyring.ok": "{detail}; reads the store's keys without a prompt",
    "doctor.keyring.no_store": "{detail}; no store yet",
    "doctor.keyring.problem": "{detail}; {problem}",
    "doctor.source.os-keyring": "the OS keyring",
    "doctor.source.explicit": "chosen by PYTHON_KEYRING_BACKEND or keyringrc.cfg",
    "doctor.source.systemd-credential": (
        "encrypted file keyring, passphrase from a systemd credential"
    ),
    "doctor.source.passphrase-file": (
        "encrypted file keyring, passphrase from KAMEI_KEYRING_PASSPHRASE_FILE"
    ),
    "doctor.source.environment": "environment variables, KAMEI_ALLOW_ENV_SECRETS=1",
    "doctor.fix_after": "run `kamei doctor` again after fixing the line above",
    "doctor.store.none": "no store at {path}",
    "doctor.store.init": "run `kamei init`",
    "doctor.store.detail": "{path}: schema v{version}, {size}, {orders} orders, {shops}",
    "doctor.store.one_shop": "1 shop",
    "doctor.store.shops": "{count} shops",
    "doctor.store.old": "{detail} (this kamei knows v{latest})",
    "doctor.store.upgrade": "upgrade kamei",
    "doctor.integrity.problems": "{count} problems, first: {first}",
    "doctor.integrity.fix": "restore kamei.db and kamei.json from a backup",
    "doctor.integrity.ok": "every page and b-tree checks out",
    "doctor.permissions.not_posix": "not checked on this OS (NTFS ACLs)",
    "doctor.permissions.loose": "{path} is {mode}, not {private}",
    "doctor.permissions.ok": "{home} 700, store files 600",
    "doctor.shop.no_answer": "no answer within {seconds:.0f}s",
    "doctor.shop.slow": "the platform may be slow or in maintenance; try again later",
    "doctor.shop.later": "try again later",
    "doctor.shop.ok": "{label}: the credential works",
    "doctor.schedule.no_scheduler": "no scheduler kamei knows on this machine",
    "doctor.schedule.own": "run `kamei sync` from your own scheduler; see docs/scheduling.md",
    "doctor.schedule.not_installed": "no nightly run installed ({kind})",
    "doctor.schedule.install": "run `kamei schedule install`",
    "doctor.schedule.not_enabled": "{detail}, not enabled",
    "doctor.schedule.no_run_yet": "; no scheduled run yet{last}",
    "doctor.schedule.failed": "{detail}; last run {when} failed (exit {code}): {error}",
    "doctor.schedule.see_log": "see {log}; run `kamei sync` to retry now",
    "doctor.schedule.ok": "{detail}; last run {when} ok",
    "doctor.schedule.last_sync": "; last sync {when} ({shop}: {outcome})",
    "doctor.schedule.desktop": (
        "; the secrets are in a desktop keyring, which may be locked at night"
    ),
    "doctor.schedule.desktop_fix": (
        "if the first night fails, use the encrypted file keyring: docs/scheduling.md, "
        "'Secrets without a desktop session'"
    ),
    "doctor.disk.free": "{size} free on the disk holding {home}",
    "doctor.disk.full": "free some space: a sync needs room to write",
    "doctor.disk.low": "free some space soon",
    # --- Color Me authorisation (connectors/colorme_oauth.py) --------------------------------
    "oauth.port": (
        "cannot listen on 127.0.0.1 port {port} for the authorisation answer; choose another "
        "port or use the out-of-band (paste the code) flow"
    ),
    "oauth.timeout": (
        "no answer from the browser within {seconds:.0f} s; run `kamei auth colorme {shop}` again"
    ),
    "oauth.denied_error": (
        "Color Me authorisation was not granted (error {error}); run `kamei auth colorme "
        "{shop}` again and allow access"
    ),
    "oauth.nothing_pasted": (
        "nothing was pasted; run `kamei auth colorme {shop}` again and paste the code"
    ),
    "oauth.not_a_code": "that is not an authorisation code; run `kamei auth colorme {shop}` again",
    "oauth.denied": (
        "Color Me authorisation was not granted; run `kamei auth colorme {shop}` again and "
        "allow access"
    ),
    "oauth.other_attempt": (
        "the pasted answer belongs to another attempt; run `kamei auth colorme {shop}` again"
    ),
    "oauth.no_code": (
        "no authorisation code in the pasted address; run `kamei auth colorme {shop}` again"
    ),
    "oauth.where": "{endpoint}, HTTP {status}, error {error}",
    "oauth.bad_client": (
        "Color Me rejected the app's client id or secret ({where}); check them under "
        "https://api.shop-pro.jp/oauth/applications and run `kamei auth colorme {shop}` again"
    ),
    "oauth.bad_code": (
        "Color Me rejected the authorisation code ({where}): a code works once, for 10 "
        "minutes, with the same redirect URI; run `kamei auth colorme {shop}` again"
    ),
    "oauth.bad_request": (
        "Color Me refused the token request ({where}); check the app's registered redirect URI "
        "and scopes, then run `kamei auth colorme {shop}` again"
    ),
    "oauth.refused": (
        "Color Me refused the token request ({where}); run `kamei auth colorme {shop}` again"
    ),
    "oauth.no_token": (
        "Color Me's token answer holds no access_token (oauth/token); run `kamei auth colorme "
        "{shop}` again"
    ),
    "oauth.no_scope": (
        "the granted token lacks the {scope} scope (oauth/token); run `kamei auth colorme "
        "{shop}` again and allow reading orders"
    ),
    # --- more store and connector errors -----------------------------------------------------
    "store.disk_full": "the disk holding {path} is full; free some space and try again",
    "store.read_only_here": (
        "the store at {path} is read-only here; check the permissions, or open it for writing"
    ),
    "store.refused_statement": (
        "kamei refuses that statement: keys, attached databases and extensions are off limits "
        "on the store; query its tables instead"
    ),
    "store.io_error": "an I/O error occurred on {path} ({name}); check the disk",
    "store.failed": "the store at {path} failed ({label}); run `kamei doctor`",
    "store.closed": "the store is closed; open it again with Store.open",
    "store.opened_read_only": "this store was opened read-only; open it without --readonly",
    "store.shop_exists": (
        "a shop named {name!r} already exists; choose another name, or remove it first with "
        "`kamei shop remove {name}`"
    ),
    "shopserve.window_cap": (
        "shopserve shop {shop!r}: window {window} is longer than the {days}-day cap; run "
        "`kamei sync {shop} --full`"
    ),
    "shopserve.where_code": ", error {code}",
    "shopserve.rejected": (
        "ShopServe rejected the shop id or manager key ({where}); check both under サーバー > "
        "ショップサーブAPI in the ShopServe admin (re-issuing the key invalidates the old one)"
    ),
    "shopserve.denied": (
        "ShopServe denied the order search ({where}); check that ショップサーブAPI is enabled "
        "under サーバー > ショップサーブAPI in the ShopServe admin"
    ),
    "shopserve.refused": (
        "ShopServe refused the order search ({where}); the request part of the ShopServe "
        "mapping (path, parts, body keys, date format) may not match your API: correct the "
        "mapping ({docs})"
    ),
    "shopserve.credential_how": (
        "a ShopServe credential is SHOP_ID:MANAGER_KEY on one line (the admin login id, a "
        "colon, the マネージャー認証キー from サーバー > ショップサーブAPI)"
    ),
    "shopserve.no_credential_given": "no ShopServe credential given; {how}",
    "shopserve.credential_form": "the credential is not in the expected form; {how}",
    "shopserve.bad_shop_id": "the shop id holds characters a ShopServe id cannot; {how}",
    "shopserve.bad_key": "the manager key holds spaces or unusual characters; {how}",
    "colorme.where": "colorme shop {shop!r}, endpoint sales, HTTP {status}",
    # --- store/reports: titles, notices, checks, and labels shown on the terminal -----------
    # (Files keep the markers themselves — small-group, (all shops)... — as data.)
    "reports.period.day": "day",
    "reports.period.week": "week",
    "reports.period.month": "month",
    "reports.period.year": "year",
    "reports.title.sales": "sales by {period}",
    "reports.chart.sales": "revenue by {period}",
    "reports.title.products": "products by revenue",
    "reports.title.products_variations": "products by revenue and variation",
    "reports.chart.products": "revenue by product",
    "reports.title.repeat": "repeat purchase",
    "reports.chart.repeat": "buyers by number of orders",
    "reports.title.cohorts": "monthly first-purchase cohorts",
    "reports.chart.cohorts": "retention by cohort",
    "reports.title.rfm": "RFM segments",
    "reports.chart.rfm": "buyers by RFM segment",
    "reports.title.rfm_detail": "RFM scores per buyer (internal use only)",
    "reports.rfm.detail_notice": (
        "INTERNAL USE ONLY: this lists buyer pseudonyms one by one and is not "
        "suppressed; do not share it outside the shop"
    ),
    "reports.title.baskets": "products bought together",
    "reports.title.prefectures": "sales by prefecture",
    "reports.chart.prefectures": "revenue by prefecture",
    "reports.sql.notice": (
        "kamei sql output is not suppressed and may list pseudonyms; check it before sharing"
    ),
    "reports.top": "--top must be at least 1, e.g. --top {example}",
    "reports.months": "--months must be 0 or more, e.g. --months 12",
    "reports.by": "--by must be one of {choices}, not {by!r}",
    "reports.min_group": "--min-group must be at least 1, e.g. --min-group 5",
    "reports.since_after_until": "--since is after --until; swap them",
    "reports.settings.unreadable": "cannot read {path}; check its permissions",
    "reports.settings.not_toml": "{path} is not valid TOML ({error}); fix or remove it",
    "reports.settings.min_group": (
        "[reports] min_group in {path} must be a whole number of at least 1, e.g. 5"
    ),
    "reports.sql.empty": 'give a query, e.g. kamei sql "SELECT COUNT(*) FROM orders"',
    "reports.sql.refused": (
        "kamei sql is read-only: writes, ATTACH and PRAGMA changes are refused; "
        "ask with SELECT (or WITH … SELECT) instead"
    ),
    "reports.sql.one_statement": (
        "kamei sql runs one statement at a time; remove the extra ';' parts"
    ),
    "reports.sql.failed": "the query failed: {message}; see the tables in docs/reports.md",
    "reports.label.small_group": "small-group",
    "reports.label.complement": "complement",
    "reports.label.all_shops": "(all shops)",
    "reports.label.all_buyers": "all buyers",
    "reports.label.nationwide": "(all)",
    "reports.label.unknown_prefecture": "(unknown)",
    "reports.label.pairs_under_k": "(pairs under k buyers)",
    "reports.label.hidden_pairs": "{count} pairs",
    "reports.segment.champions": "champions",
    "reports.segment.loyal": "loyal",
    "reports.segment.potential_loyalists": "potential loyalists",
    "reports.segment.new": "new",
    "reports.segment.promising": "promising",
    "reports.segment.need_attention": "need attention",
    "reports.segment.about_to_sleep": "about to sleep",
    "reports.segment.at_risk": "at risk",
    "reports.segment.cannot_lose_them": "cannot lose them",
    "reports.segment.hibernating": "hibernating",
    "reports.segment.lost": "lost",
    "column.repeat_rate": "repeat_rate",
    "column.returning_revenue_share": "returning_revenue_share",
    "column.median_days_to_second_order": "median_days_to_second_order",
    # --- cli/output: the output options, their checks and the files' own words -----------
    "output.no_rows": "(no rows)",
    "output.opt.format": "Output format.",
    "output.opt.out": "Write to this file instead of standard output.",
    "output.opt.encoding": (
        "CSV text encoding: utf-8 (with a BOM in files, for Excel) or cp932 for "
        "older Japanese tools."
    ),
    "output.table_to_file": "a table is for the screen; add --format csv, xlsx, json or html",
    "output.binary": "{fmt} is a binary file; add --out FILE.{fmt}",
    "output.replaced": (
        "{count} characters have no {encoding} form and were written as '?'; "
        "use --encoding utf-8 to keep them"
    ),
    "output.wrote": "wrote {out}",
    "output.no_folder": "--out: the folder {folder} does not exist; create it first",
    "output.html.generated": "generated {at}",
    "output.html.suppressed_under": "groups under {k} buyers suppressed",
    "output.html.no_suppression": "no suppression (not for sharing)",
    "output.html.figures_suppressed": "{count} figures suppressed",
    "output.chart.suppressed_bar": "suppressed (fewer than k buyers)",
    "output.chart.suppressed": "suppressed",
    "output.chart.heatmap_legend": (
        "% of the cohort still buying, by months since the first order; – suppressed"
    ),
    "output.about.notice": "notice",
    "output.about.report": "report",
    "output.about.title": "title",
    "output.about.filter": "filter: {name}",
    "output.about.min_group": "min group (k)",
    "output.about.not_applied": "not applied",
    "output.about.generated_at": "generated at",
    "output.about.suppressed_rows": "suppressed rows",
    "output.about.suppressed_cells": "suppressed cells",
    "output.about.summary": "summary: {name}",
}
