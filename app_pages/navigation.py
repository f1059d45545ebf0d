"""The app's frame: page config, sidebar and the page list (``st.navigation``).

``app.py`` calls :func:`main`. Page titles follow the language chosen in the sidebar;
the page files live beside this module and are run by Streamlit as scripts.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import coverage.text.activity  # noqa: F401  (registers the activity page's title)
from app_pages import access, national_data, state, widgets
from coverage.errors import InputError
from coverage.text.i18n import t

PAGES: tuple[tuple[str, str, str, bool], ...] = (
    ("national_overview.py", "ui.page.national", ":material/public:", False),
    ("map_overview.py", "ui.page.map", ":material/map:", True),
    ("commune_detail.py", "ui.page.commune", ":material/location_on:", False),
    ("teams.py", "ui.page.teams", ":material/groups:", False),
    ("suggestions.py", "ui.page.suggestions", ":material/add_location_alt:", False),
    ("scenarios.py", "ui.page.scenarios", ":material/compare:", False),
    ("activity.py", "ui.page.activity", ":material/fact_check:", False),
    ("data_import.py", "ui.page.data", ":material/upload_file:", False),
    ("reports.py", "ui.page.reports", ":material/description:", False),
)
"""(file, title key, icon, default) of every page, in menu order."""

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Set up the page, draw the sidebar and run the chosen page."""
    # An emoji icon is drawn by the browser; a ":material/...:" one is fetched from Google.
    st.set_page_config(
        page_title=t("ui.app.page_title", state.lang()), page_icon="👥", layout="wide"
    )
    access.gate()  # the sign-in page, unless this tab is signed in (or the app is local)
    pages = [
        st.Page(
            str(HERE / file),
            title=state.tr(key),
            icon=icon,
            default=default,
            url_path=file.removesuffix(".py").replace("_", "-"),
        )
        for file, key, icon, default in PAGES
    ]
    page = st.navigation(pages)
    try:
        widgets.sidebar()
    except InputError as error:
        widgets.show_input_error(error, key="sidebar_problems")
        st.stop()
    page.run()
    national_data.warm_in_background()
