"""Cached national overview for the "Toàn quốc" page (one national analysis per data folder).

Not a page: :mod:`app_pages.national_overview` and :mod:`app_pages.navigation` import it.
The overview is computed once per server and data folder (about 5-8 s cold: the
national SAMPLE roster, the estimate, the analysis of 3,321 communes) and kept with
``st.cache_resource``; ``python -m coverage app`` has the server compute it in the
background after its warm-up, once no page has run for a few seconds
(:func:`warm_in_background`), so the first planner's map page is not slowed and the
national page is usually ready when opened.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

import streamlit as st

from app_pages import state
from coverage import planning

WARM_ENV = "COVERAGE_WARM_NATIONAL"
"""Set to 1 (by ``python -m coverage app``) to compute the overview after the warm-up."""

PENDING_KEY = "province_pending"
"""Session key: a province chosen on the national page, applied by the sidebar next run."""


@st.cache_resource(show_spinner=False, max_entries=2)
def _overview(
    data_dir: str, shared_dir: str
) -> tuple[planning.NationalOverview, planning.Headline, bool]:
    settings = state.settings_for(data_dir, shared_dir)
    inputs = planning.load_inputs(settings, province=None)
    result = planning.analyze(inputs, settings=settings)
    overview = planning.national_overview(
        result.communes, result.teams, planning.province_shapes(settings)
    )
    headline = planning.headline_from(result.communes, result.teams)
    is_sample = inputs.teams_is_sample
    del inputs, result  # only the overview is kept: give the national analysis' memory back
    planning.release_unused_memory()
    return overview, headline, is_sample


def overview() -> tuple[planning.NationalOverview, planning.Headline, bool]:
    """Return the 34 provinces' figures and map frame, the headline and the SAMPLE flag.

    The flag says whether the roster is the SAMPLE; cached per data folder.
    """
    return _overview(*state.data_dirs())


QUIET_S = 3.0
"""The warm-up waits until no page has run for this long (the first visit drawn)."""

BACKGROUND_NICE = 19
"""The warm-up thread's priority (Linux nice): the lowest, below every planner's visit."""


@dataclass
class _LastRun:
    """When a page last finished a run on this server (``time.monotonic``, seconds)."""

    at_s: float = field(default_factory=time.monotonic)


@st.cache_resource(show_spinner=False)
def _last_run() -> _LastRun:
    return _LastRun()


def _warm_quietly(data_dir: str, shared_dir: str, last_run: _LastRun) -> None:
    """Compute the overview once the server is quiet, at the lowest priority.

    ``python -m coverage app`` says the app is ready right after its own run of the app,
    which is when the first planner arrives; started then, the warm-up's 5-8 s of work
    shared the 2-core machine with that planner's first page (launcher's first visit
    about 4.0 s against 2.9 s without the warm-up, 2 x 2 visits). So it waits until no
    page has run for :data:`QUIET_S` (the browser has drawn what the last run sent), and
    computes at the lowest priority so a visit meanwhile comes first. On Linux a thread
    has a priority of its own (``setpriority`` on its thread id); elsewhere it stays.
    """
    while (quiet := time.monotonic() - last_run.at_s) < QUIET_S:
        time.sleep(QUIET_S - quiet)
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except (AttributeError, OSError):  # not Linux, or not allowed: compute at normal priority
        pass
    _overview(data_dir, shared_dir)


@st.cache_resource(show_spinner=False, max_entries=2)
def _warmer(data_dir: str, shared_dir: str) -> threading.Thread:
    thread = threading.Thread(
        target=_warm_quietly,
        args=(data_dir, shared_dir, _last_run()),
        daemon=True,
        name="warm-national-overview",
    )
    thread.start()
    return thread


def warm_in_background() -> None:
    """Note that a page run ended; start the overview's warm-up once per server.

    Only when ``COVERAGE_WARM_NATIONAL=1``; the navigation calls this after every run,
    so the warm-up waits for a quiet moment (:func:`_warm_quietly`).
    """
    if os.environ.get(WARM_ENV) == "1":
        _last_run().at_s = time.monotonic()
        _warmer(*state.data_dirs())


def open_province(code: str) -> None:
    """Ask the sidebar to switch to province ``code`` on the next run (safe in callbacks)."""
    st.session_state[PENDING_KEY] = code
    state.select_commune(None)
