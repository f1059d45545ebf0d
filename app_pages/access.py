"""Who is using the app: the sign-in gate, the signed-in account and signing out.

An app that only this machine can open (``server.address`` is ``localhost`` or a loopback
address: what ``make run`` starts) runs for the local planner without sign-in. On any
other address (``python -m coverage app --address 0.0.0.0``), or when the environment
variable ``COVERAGE_SIGN_IN=required`` is set, every visitor signs in first; with no
administrator account the app shows only how to create one.

Session state: ``auth`` holds ``(username, signed_in_at, last_seen_at)`` (seconds,
``time.time()``). The account itself is read again from the store on every run, so a
disabled account or a changed role applies at once. Sessions expire after
:data:`coverage.storage.accounts.IDLE_TIMEOUT_S` unused or
:data:`coverage.storage.accounts.MAX_SESSION_S` in all. Every write the pages make goes
through a store bound to this account (:meth:`coverage.storage.store.Store.for_account`),
which checks the permission and records the user name.
"""

from __future__ import annotations

import getpass
import os
import time
from pathlib import Path

import streamlit as st

from coverage import planning
from coverage.text.i18n import Lang, t

SIGN_IN_ENV = "COVERAGE_SIGN_IN"
"""Set to ``required`` to ask for sign-in on ``localhost`` too."""

ADD_ADMIN = "python -m coverage users add TEN_DANG_NHAP --role administrator"


def _lang() -> Lang:
    return "en" if st.session_state.get("lang") == "en" else "vi"


def sign_in_required() -> bool:
    """Whether visitors must sign in (a non-local address, or ``COVERAGE_SIGN_IN=required``)."""
    if os.environ.get(SIGN_IN_ENV, "").strip().lower() == "required":
        return True
    return not planning.is_local_address(st.get_option("server.address"))


def local_planner() -> planning.Account:
    """Return the planner at this machine (no sign-in).

    The planner is named after the computer account running the app.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "local"
    return planning.Account(username=f"{user}@localhost", role="planner", is_local=True)


@st.cache_resource(show_spinner=False)
def _raw_store(data_dir: str) -> planning.Store:
    return planning.open_store(
        planning.Settings(data_dir=Path(data_dir), shared_data_dir=Path(data_dir))
    )


def _book() -> planning.AccountBook:
    return planning.AccountBook(_raw_store(str(planning.load_settings().data_dir)))


def current_account() -> planning.Account | None:
    """Return the account this tab acts as: the local planner, the signed-in one, or ``None``."""
    if not sign_in_required():
        return local_planner()
    auth = st.session_state.get("auth")
    if not auth:
        return None
    account = _book().get(str(auth[0]))
    return None if account is None or account.disabled else account


def acting_account() -> planning.Account:
    """Return the account writes are checked against.

    That is :func:`current_account`, or an anonymous viewer.
    """
    return current_account() or planning.ANONYMOUS


def allowed(action: planning.Action, *, commune_code: str | None = None) -> bool:
    """Return whether this tab's account may do ``action``.

    Used to hide what it may not; the store checks too.
    """
    return planning.account_can(current_account(), action, commune_code=commune_code)


def sign_out(reason: str | None = None) -> None:
    """Forget the signed-in account of this tab (and everything it had open)."""
    language = _lang()
    for key in list(st.session_state.keys()):
        if key != "lang":
            del st.session_state[key]
    st.session_state["auth_notice"] = reason or t("accounts.ui.signed_out", language)


def gate() -> planning.Account:
    """Return the account of this tab, or show the sign-in page and stop the run."""
    if not sign_in_required():
        return local_planner()
    auth = st.session_state.get("auth")
    if auth:
        username, signed_in_at, last_seen_at = auth
        now = time.time()
        language = _lang()
        if planning.session_expired(float(signed_in_at), float(last_seen_at), now):
            sign_out(
                t(
                    "accounts.ui.expired",
                    language,
                    minutes=planning.IDLE_TIMEOUT_S // 60,
                    hours=planning.MAX_SESSION_S // 3600,
                )
            )
        else:
            account = current_account()
            if account is not None:
                st.session_state["auth"] = (username, signed_in_at, now)
                return account
            sign_out(t("accounts.ui.account_gone", language))
    _sign_in_page()
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def _sign_in_page() -> None:
    from app_pages.widgets import markdown_text as plain  # the one Markdown-escaping rule

    language = _lang()
    st.radio(
        t("ui.sidebar.language", "vi"),
        options=["vi", "en"],
        format_func=lambda code: t(f"ui.lang.{code}", "vi"),
        key="lang",
        horizontal=True,
    )
    language = _lang()
    st.title(t("accounts.ui.title", language), anchor=False)
    try:
        has_admin = _book().has_administrator()
    except planning.StorageError as error:
        st.error(plain(error.message(language)))
        return
    if not has_admin:
        command = ADD_ADMIN if language == "vi" else ADD_ADMIN.replace("TEN_DANG_NHAP", "USERNAME")
        st.error(t("accounts.ui.no_admin", language, command=f"`{command}`"))
        return
    notice = st.session_state.pop("auth_notice", None)
    if notice:
        st.info(plain(notice))
    st.caption(t("accounts.ui.intro", language))
    with st.form("sign_in_form"):
        username = st.text_input(t("accounts.ui.username", language), key="sign_in_username")
        password = st.text_input(
            t("accounts.ui.password", language), type="password", key="sign_in_password"
        )
        submitted = st.form_submit_button(
            t("accounts.ui.submit", language), type="primary", key="sign_in_submit"
        )
    if not submitted:
        return
    try:
        account = _book().sign_in(username, password)
    except (planning.SignInError, planning.StorageError) as error:
        st.error(plain(error.message(language)))
        return
    now = time.time()
    st.session_state["auth"] = (account.username, now, now)
    st.session_state.pop("sign_in_password", None)
    st.rerun()


def sidebar_account(account: planning.Account) -> None:
    """Who is signed in and the sign-out button (or, on localhost, whose name changes carry)."""
    from app_pages.widgets import markdown_text as plain

    language = _lang()
    with st.sidebar:
        if account.is_local:
            st.caption(t("accounts.ui.local", language, name=plain(account.username)))
            return
        st.caption(
            t(
                "accounts.ui.signed_in_as",
                language,
                username=plain(account.username),
                role=planning.role_text(account.role, language),
            )
        )
        if not planning.account_can(account, "write_roster"):
            st.caption(t("accounts.ui.read_only_role", language))
        if st.button(t("accounts.ui.sign_out", language), key="sign_out"):
            sign_out()
            st.rerun()
