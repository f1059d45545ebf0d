"""Streamlit app: plan where youth volunteer teams help residents with online public services.

Run with ``streamlit run app.py``. Vietnamese by default, English by the sidebar switch.
The app is thin: :mod:`app_pages.navigation` draws the sidebar (language, province, the
planner's name) and runs one page from ``app_pages/``; each page turns its widgets into
one cached call into ``coverage`` and renders the result (see docs/architecture.md).

Pages: map overview, commune detail, teams (roster editing with history), suggestions
(where to add teams), scenarios (save and compare), data (check files), reports.
"""

from __future__ import annotations

from app_pages.navigation import main

main()
