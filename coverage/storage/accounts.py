"""User accounts, roles and permissions, kept in the project's SQLite store.

Roles
-----
``administrator``
    Manages accounts (``python -m coverage users ...``) and may do everything a planner does.
``planner``
    Changes the roster, indicators, scenarios and targets; enters activity reports for
    any commune.
``reporter`` (commune reporter)
    Enters activity reports for the teams of its own communes only (``communes``).
``viewer``
    Sees maps and reports (the meeting-room screen); changes nothing.

Every write checks the permission where the data is written: a
:class:`coverage.storage.store.Store` bound to an account (:meth:`Store.for_account`) calls
:func:`require` before each write and records the account's user name as the author.
Pages only hide buttons on top of that.

Passwords are hashed with Argon2id (``argon2-cffi``; its default, RFC 9106 low-memory
parameters); the hash carries its own parameters and salt, and is upgraded on the next
sign-in when the defaults change. Failed sign-ins are counted per user name (known or
not, so the answer never tells whether an account exists): after
:data:`FREE_ATTEMPTS` failures in a row, each further attempt must wait
``2 ** (failures - FREE_ATTEMPTS + 1)`` seconds, at most :data:`MAX_WAIT_S`, and is
refused without checking the password until then.

On ``localhost`` the app runs as :data:`LOCAL_PLANNER` without sign-in (one planner at
their own machine); on any other address everyone signs in (:func:`is_local_address`).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

import coverage.text.accounts  # noqa: F401  (registers the "accounts." messages)
from coverage.storage.store import StorageError, Store
from coverage.text.i18n import Lang, t

Role = Literal["administrator", "planner", "reporter", "viewer"]
ROLES: Final[tuple[Role, ...]] = get_args(Role)

Action = Literal[
    "manage_users",
    "write_roster",
    "write_indicators",
    "write_scenarios",
    "write_targets",
    "write_activity",
]
ACTIONS: Final[tuple[Action, ...]] = get_args(Action)

_PLANNING: Final[frozenset[Action]] = frozenset(
    {"write_roster", "write_indicators", "write_scenarios", "write_targets", "write_activity"}
)
PERMISSIONS: Final[dict[Role, frozenset[Action]]] = {
    "administrator": _PLANNING | {"manage_users"},
    "planner": _PLANNING,
    "reporter": frozenset({"write_activity"}),
    "viewer": frozenset(),
}
"""What each role may change; every role may view."""

COMMUNE_SCOPED: Final[frozenset[Action]] = frozenset({"write_activity"})
"""Actions a reporter may do only for its own communes."""

MIN_PASSWORD_LENGTH: Final = 10
"""Shortest password accepted, in characters."""

FREE_ATTEMPTS: Final = 3
"""Failed sign-ins in a row before each further attempt must wait."""

MAX_WAIT_S: Final = 300
"""Longest wait between sign-in attempts, in seconds."""

IDLE_TIMEOUT_S: Final = 30 * 60
"""A signed-in session unused this long (seconds) must sign in again."""

MAX_SESSION_S: Final = 12 * 60 * 60
"""A signed-in session this old (seconds) must sign in again, used or not."""

_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,39}")

_DUMMY_HASH: Final = (
    "$argon2id$v=19$m=65536,t=3,p=4$6jwnStwd1C4ti6EmlAq+QQ$"
    "+RsWJKQAq73K4Bgi/f7nv3NNIT03+d6kIQlG7P6pkuA"
)
"""A hash of no one's password: verified against when the user name is unknown, so an
unknown name takes as long to refuse as a wrong password."""


@dataclass(frozen=True)
class Account:
    """A user of the app.

    Attributes
    ----------
    username
        The sign-in name (letters without accents, digits, ``.``, ``_``, ``-``); recorded
        as the author of every change.
    role
        One of :data:`ROLES`.
    communes
        Commune codes a ``reporter`` reports for (empty for other roles).
    full_name
        The person's name as they write it (shown, escaped; never used to sign in).
    disabled
        Whether sign-in is refused (the account stays, so history keeps its name).
    is_local
        The single local planner of a ``localhost`` app (no sign-in).
    """

    username: str
    role: Role
    communes: tuple[str, ...] = ()
    full_name: str = ""
    disabled: bool = False
    is_local: bool = False

    def require(self, action: Action, *, commune_code: str | None = None) -> None:
        """Raise :class:`PermissionDeniedError` unless this account may do ``action``.

        The store (:meth:`coverage.storage.store.Store.for_account`) calls this before every
        write, so the store needs no import of this module (which builds on the store).
        """
        require(self, action, commune_code=commune_code)


LOCAL_PLANNER: Final = Account(username="local", role="planner", full_name="", is_local=True)
"""Who changes things in an app that only this machine can open (no sign-in)."""

ANONYMOUS: Final = Account(username="–", role="viewer")
"""Nobody signed in: may change nothing."""


# --------------------------------------------------------------------------- errors


class PermissionDeniedError(StorageError):
    """The account may not do this (nothing was written).

    Attributes
    ----------
    account, action, commune_code
        Who tried what, and for which commune (``None``: not commune-scoped).
    """

    def __init__(
        self, account: Account, action: Action, *, commune_code: str | None = None
    ) -> None:
        self.account = account
        self.action = action
        self.commune_code = commune_code
        scoped = (
            commune_code is not None
            and action in COMMUNE_SCOPED
            and action in PERMISSIONS[account.role]
        )
        super().__init__("accounts.denied_commune" if scoped else "accounts.denied")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {
            "username": self.account.username,
            "role": role_text(self.account.role, lang),
            "action": t(f"accounts.action.{self.action}", lang),
            "communes": ", ".join(self.account.communes) or "–",
            "commune": self.commune_code or "",
        }


class AccountError(StorageError):
    """An account cannot be created or changed as asked (bad name, weak password, ...)."""

    def __init__(self, code: str, **params: object) -> None:
        self.params = params
        super().__init__(code)

    def _params(self, lang: Lang) -> dict[str, object]:
        return dict(self.params)


class SignInError(StorageError):
    """A sign-in was refused.

    Attributes
    ----------
    reason
        ``"failed"`` (wrong name or password), ``"wait"`` (too many failures: try again in
        ``wait_s`` seconds) or ``"disabled"``.
    failures
        Failed attempts in a row for this user name.
    wait_s
        Seconds before the next attempt is checked (0 when none).
    """

    def __init__(
        self, reason: Literal["failed", "wait", "disabled"], *, failures: int = 0, wait_s: int = 0
    ) -> None:
        self.reason = reason
        self.failures = failures
        self.wait_s = wait_s
        super().__init__(f"accounts.sign_in.{reason}")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {"failures": self.failures, "seconds": self.wait_s}


# --------------------------------------------------------------------------- permissions


def role_text(role: str, lang: Lang = "vi") -> str:
    """Return the role's name in ``lang``."""
    return t(f"accounts.role.{role}", lang) if role in ROLES else role


def can(account: Account | None, action: Action, *, commune_code: str | None = None) -> bool:
    """Whether ``account`` may do ``action`` (for ``commune_code`` when it is commune-scoped).

    Parameters
    ----------
    account
        The signed-in account; ``None`` (nobody signed in) may do nothing.
    action
        One of :data:`ACTIONS`.
    commune_code
        The commune the change is for. A ``reporter`` may do commune-scoped actions
        (:data:`COMMUNE_SCOPED`) only for its own communes, and only when the commune is
        given.
    """
    if account is None or account.disabled or action not in PERMISSIONS[account.role]:
        return False
    if account.role == "reporter" and action in COMMUNE_SCOPED:
        return commune_code is not None and str(commune_code) in account.communes
    return True


def require(account: Account | None, action: Action, *, commune_code: str | None = None) -> None:
    """Raise :class:`PermissionDeniedError` unless ``account`` may do ``action``."""
    if not can(account, action, commune_code=commune_code):
        who = account if account is not None else ANONYMOUS
        raise PermissionDeniedError(who, action, commune_code=commune_code)


def is_local_address(address: str | None) -> bool:
    """Whether a server listening on ``address`` can be reached from this machine only.

    ``None`` or ``""`` (Streamlit's default: every interface) is not local.
    """
    if not address:
        return False
    host = address.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def session_expired(signed_in_at: float, last_seen_at: float, now: float) -> bool:
    """Whether a signed-in session must sign in again (times in seconds, one clock)."""
    return now - last_seen_at > IDLE_TIMEOUT_S or now - signed_in_at > MAX_SESSION_S


def wait_after(failures: int) -> int:
    """Seconds a user name must wait after ``failures`` failed sign-ins in a row."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_WAIT_S))


# --------------------------------------------------------------------------- the account book


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _key(username: str) -> str:
    return username.strip().casefold()


def _clean_username(username: str) -> str:
    name = str(username).strip()
    if not _USERNAME.fullmatch(name):
        raise AccountError("accounts.error.bad_username", username=name[:60])
    return name


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            "accounts.error.weak_password", length=len(password), minimum=MIN_PASSWORD_LENGTH
        )


def _account_from(row: sqlite3.Row) -> Account:
    role = str(row["role"])
    return Account(
        username=str(row["username"]),
        role=role if role in ROLES else "viewer",
        communes=tuple(str(c) for c in json.loads(row["communes_json"])),
        full_name=str(row["full_name"]),
        disabled=bool(row["disabled"]),
    )


class AccountBook:
    """Accounts and failed sign-ins in a :class:`coverage.storage.store.Store`'s file.

    Parameters
    ----------
    store
        The store; when bound to an account (:meth:`Store.for_account`), changing
        accounts needs the ``manage_users`` permission; unbound (the command line, run by
        whoever can open the file) it does not.
    clock
        Returns the current time as an aware ``datetime`` (tests pass their own).
    hasher
        The Argon2 hasher (tests may pass cheaper parameters).
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], dt.datetime] = _utc_now,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._hasher = hasher or PasswordHasher()

    def _now(self) -> str:
        return self._clock().astimezone(dt.UTC).isoformat(timespec="microseconds")

    def _by(self) -> str:
        account = self._store.account
        if account is not None:
            require(account, "manage_users")
            return str(account.username)
        return "command line"

    # ---- reading

    def list(self) -> tuple[Account, ...]:
        """Every account, by user name."""
        with self._store._transaction(write=False) as conn:
            if not _has_accounts_table(conn):
                return ()
            rows = conn.execute("SELECT * FROM account ORDER BY username_key").fetchall()
        return tuple(_account_from(r) for r in rows)

    def get(self, username: str) -> Account | None:
        """Return the account called ``username`` (any case), or ``None``."""
        with self._store._transaction(write=False) as conn:
            if not _has_accounts_table(conn):
                return None
            row = conn.execute(
                "SELECT * FROM account WHERE username_key = ?", (_key(username),)
            ).fetchone()
        return None if row is None else _account_from(row)

    def active_count(self, *, role: Role | None = None) -> int:
        """How many accounts may sign in (of ``role``, if given)."""
        return sum(1 for a in self.list() if not a.disabled and (role is None or a.role == role))

    def has_administrator(self) -> bool:
        """Whether at least one administrator may sign in."""
        return self.active_count(role="administrator") > 0

    # ---- changing

    def add(
        self,
        username: str,
        password: str,
        *,
        role: str,
        communes: Iterable[str] = (),
        full_name: str = "",
    ) -> Account:
        """Create an account.

        Raises
        ------
        AccountError
            Bad user name, role or password, a reporter without communes, or a name taken.
        PermissionDeniedError
            If the store is bound to an account that may not manage users.
        """
        by = self._by()
        name = _clean_username(username)
        if role not in ROLES:
            raise AccountError("accounts.error.bad_role", role=role)
        codes = tuple(dict.fromkeys(str(c).strip() for c in communes if str(c).strip()))
        if role == "reporter" and not codes:
            raise AccountError("accounts.error.reporter_communes")
        _check_password(password)
        digest = self._hasher.hash(password)
        now = self._now()
        with self._store._transaction(write=True) as conn:
            if conn.execute(
                "SELECT 1 FROM account WHERE username_key = ?", (_key(name),)
            ).fetchone():
                raise AccountError("accounts.error.exists", username=name)
            conn.execute(
                "INSERT INTO account (username, username_key, role, communes_json, full_name, "
                "password_hash, disabled, created_at, created_by, updated_at, updated_by) "
                "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
                (
                    name,
                    _key(name),
                    role,
                    json.dumps(list(codes) if role == "reporter" else []),
                    " ".join(full_name.split()),
                    digest,
                    now,
                    by,
                    now,
                    by,
                ),
            )
        return Account(
            username=name,
            role=role,
            communes=codes if role == "reporter" else (),
            full_name=" ".join(full_name.split()),
        )

    def reset_password(self, username: str, password: str) -> None:
        """Give ``username`` a new password and clear its failed sign-ins."""
        by = self._by()
        _check_password(password)
        digest = self._hasher.hash(password)
        with self._store._transaction(write=True) as conn:
            found = conn.execute(
                "UPDATE account SET password_hash = ?, updated_at = ?, updated_by = ? WHERE "
                "username_key = ?",
                (digest, self._now(), by, _key(username)),
            ).rowcount
            if not found:
                raise AccountError("accounts.error.not_found", username=username)
            conn.execute("DELETE FROM sign_in_failure WHERE username_key = ?", (_key(username),))

    def set_disabled(self, username: str, *, disabled: bool = True) -> None:
        """Disable (or enable again) an account; never the last active administrator."""
        by = self._by()
        with self._store._transaction(write=True) as conn:
            row = conn.execute(
                "SELECT * FROM account WHERE username_key = ?", (_key(username),)
            ).fetchone()
            if row is None:
                raise AccountError("accounts.error.not_found", username=username)
            if disabled and row["role"] == "administrator" and not row["disabled"]:
                others = conn.execute(
                    "SELECT COUNT(*) FROM account WHERE role = 'administrator' AND disabled = 0 "
                    "AND username_key <> ?",
                    (_key(username),),
                ).fetchone()[0]
                if others == 0:
                    raise AccountError(
                        "accounts.error.last_administrator", username=row["username"]
                    )
            conn.execute(
                "UPDATE account SET disabled = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                (int(disabled), self._now(), by, row["id"]),
            )

    # ---- signing in

    def sign_in(self, username: str, password: str) -> Account:
        """Check a user name and password; return the account.

        Raises
        ------
        SignInError
            ``"wait"`` while the name must wait after repeated failures (the password is
            not checked), ``"failed"`` for a wrong name or password, ``"disabled"`` for a
            disabled account with the right password.
        """
        key = _key(username)
        now = self._clock()
        with self._store._transaction(write=False) as conn:
            has_table = _has_accounts_table(conn)
            row = (
                conn.execute("SELECT * FROM account WHERE username_key = ?", (key,)).fetchone()
                if has_table
                else None
            )
            failed = (
                conn.execute(
                    "SELECT failures, last_failed_at FROM sign_in_failure WHERE username_key = ?",
                    (key,),
                ).fetchone()
                if has_table
                else None
            )
        failures = int(failed["failures"]) if failed is not None else 0
        if failed is not None:
            wait_s = wait_after(failures)
            since = (now - dt.datetime.fromisoformat(str(failed["last_failed_at"]))).total_seconds()
            if since < wait_s:
                raise SignInError(
                    "wait", failures=failures, wait_s=max(1, int(wait_s - since + 0.999))
                )
        digest = str(row["password_hash"]) if row is not None else _DUMMY_HASH
        try:
            self._hasher.verify(digest, password)
            ok = row is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        if not ok:
            failures = self._record_failure(key)
            if failures >= FREE_ATTEMPTS:
                raise SignInError("wait", failures=failures, wait_s=wait_after(failures))
            raise SignInError("failed", failures=failures)
        assert row is not None
        account = _account_from(row)
        if not self._store.read_only:  # a read-only data folder still lets people sign in
            with self._store._transaction(write=True) as conn:
                conn.execute("DELETE FROM sign_in_failure WHERE username_key = ?", (key,))
                if self._hasher.check_needs_rehash(digest):
                    conn.execute(
                        "UPDATE account SET password_hash = ? WHERE id = ?",
                        (self._hasher.hash(password), row["id"]),
                    )
        if account.disabled:
            raise SignInError("disabled")
        return account

    def _record_failure(self, key: str) -> int:
        if self._store.read_only:  # nowhere to count: every attempt costs a full Argon2 check
            return 1
        with self._store._transaction(write=True) as conn:
            conn.execute(
                "INSERT INTO sign_in_failure (username_key, failures, last_failed_at) VALUES (?, "
                "1, ?) ON CONFLICT (username_key) DO UPDATE SET failures = failures + 1, "
                "last_failed_at = excluded.last_failed_at",
                (key, self._now()),
            )
            row = conn.execute(
                "SELECT failures FROM sign_in_failure WHERE username_key = ?", (key,)
            ).fetchone()
        return int(row[0])


def _has_accounts_table(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'account'"
        ).fetchone()
        is not None
    )


__all__ = [
    "ACTIONS",
    "ANONYMOUS",
    "LOCAL_PLANNER",
    "PERMISSIONS",
    "ROLES",
    "Account",
    "AccountBook",
    "AccountError",
    "Action",
    "PermissionDeniedError",
    "Role",
    "SignInError",
    "can",
    "is_local_address",
    "require",
    "role_text",
    "session_expired",
    "wait_after",
]
