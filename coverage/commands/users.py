"""``users``: create, list, reset and disable the app's accounts.

Run on the machine that holds the data folder (whoever can run this can already open the
database file, so the command itself asks for no sign-in). Passwords are typed twice at
a hidden prompt, or read from the first line of standard input with ``--password-stdin``
(for scripts); they are never taken from the command line, where other users of the
machine could read them.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from coverage.planning import ROLES, AccountBook, StorageError, load_settings, open_store, role_text
from coverage.text.i18n import Lang, t


def add_parser(sub: Any) -> None:
    """Register ``users`` and its sub-commands."""
    p = sub.add_parser(
        "users", help="manage the app's accounts (needed when it is open to the network)"
    )
    users = p.add_subparsers(dest="users_command", required=True)

    add = users.add_parser("add", help="create an account")
    add.add_argument(
        "username", help="sign-in name: letters without accents, digits, '.', '_', '-'"
    )
    add.add_argument(
        "--role",
        required=True,
        choices=ROLES,
        help="administrator: manages accounts and plans; planner: roster, indicators, "
        "scenarios, targets; reporter: activity reports of its own communes; "
        "viewer: maps and reports only",
    )
    add.add_argument(
        "--communes",
        default="",
        help="for a reporter: the 5-digit codes of its communes, comma-separated",
    )
    add.add_argument("--full-name", default="", help="the person's name, as shown in the app")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (no prompt)",
    )
    add.set_defaults(func=run_add)

    listing = users.add_parser("list", help="list the accounts")
    listing.set_defaults(func=run_list)

    reset = users.add_parser("reset-password", help="give an account a new password")
    reset.add_argument("username")
    reset.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (no prompt)",
    )
    reset.set_defaults(func=run_reset)

    disable = users.add_parser(
        "disable", help="stop an account from signing in (its history stays)"
    )
    disable.add_argument("username")
    disable.add_argument("--enable", action="store_true", help="allow it to sign in again")
    disable.set_defaults(func=run_disable)


def _book() -> AccountBook:
    return AccountBook(open_store(load_settings()))


def _password(args: argparse.Namespace, lang: Lang) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(t("accounts.cli.password_prompt", lang, username=args.username))
    again = getpass.getpass(t("accounts.cli.password_again", lang))
    if first != again:
        print(t("accounts.cli.password_mismatch", lang), file=sys.stderr)
        return None
    return first


def _fail(error: StorageError, lang: Lang) -> int:
    print(error.message(lang), file=sys.stderr)
    return 2


def run_add(args: argparse.Namespace) -> int:
    """Create an account."""
    lang: Lang = args.lang
    password = _password(args, lang)
    if password is None:
        return 2
    try:
        account = _book().add(
            args.username,
            password,
            role=args.role,
            communes=args.communes.split(","),
            full_name=args.full_name,
        )
    except StorageError as error:
        return _fail(error, lang)
    print(
        t("accounts.cli.added", lang, username=account.username, role=role_text(account.role, lang))
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    """List the accounts."""
    lang: Lang = args.lang
    try:
        accounts = _book().list()
    except StorageError as error:
        return _fail(error, lang)
    if not accounts:
        print(t("accounts.cli.none", lang))
        return 0
    print(t("accounts.cli.list_header", lang))
    for a in accounts:
        status = t("accounts.cli.disabled_status" if a.disabled else "accounts.cli.active", lang)
        print(
            " | ".join(
                [
                    a.username,
                    role_text(a.role, lang),
                    ",".join(a.communes) or "–",
                    status,
                    a.full_name or "–",
                ]
            )
        )
    return 0


def run_reset(args: argparse.Namespace) -> int:
    """Reset an account's password."""
    lang: Lang = args.lang
    password = _password(args, lang)
    if password is None:
        return 2
    try:
        _book().reset_password(args.username, password)
    except StorageError as error:
        return _fail(error, lang)
    print(t("accounts.cli.reset", lang, username=args.username))
    return 0


def run_disable(args: argparse.Namespace) -> int:
    """Disable an account."""
    lang: Lang = args.lang
    try:
        _book().set_disabled(args.username, disabled=not args.enable)
    except StorageError as error:
        return _fail(error, lang)
    print(
        t(
            "accounts.cli.enabled" if args.enable else "accounts.cli.disabled",
            lang,
            username=args.username,
        )
    )
    return 0
