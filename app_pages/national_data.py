"""Cached national overview for the "Toàn quốc" page (one national analysis per data folder).

Not a page: :mod:`app_pages.national_overview` and :mod:`app_pages.navigation` import it.
The overview is computed once per server and data folder (about 5-8 s cold: the
national SAMPLE roster, the estimate, the analysis of 3,321 communes) and kept with
``st.cache_resource``; ``python -m coverage app`` has the server compute it in the
background right after its warm-up (:func:`warm_in_background`), so the planner's first
visit finds it ready.
"""

from __future__ import annotations

import os
import threading

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


@st.cache_resource(show_spinner=False, max_entries=2)
def _warmer(data_dir: str, shared_dir: str) -> threading.Thread:
    thread = threading.Thread(
        target=_overview, args=(data_dir, shared_dir), daemon=True, name="warm-national-overview"
    )
    thread.start()
    return thread


def warm_in_background() -> None:
    """Start computing the overview once per server when ``COVERAGE_WARM_NATIONAL=1``."""
    if os.environ.get(WARM_ENV) == "1":
        _warmer(*state.data_dirs())


def open_province(code: str) -> None:
    """Ask the sidebar to switch to province ``code`` on the next run (safe in callbacks)."""
    st.session_state[PENDING_KEY] = code
    state.select_commune(None)
