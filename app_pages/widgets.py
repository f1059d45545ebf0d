"""What pages draw alike: headline, tables, messages, notices, escapers and the sidebar."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

import coverage.text.population  # noqa: F401  (registers the population words)
import coverage.text.screens  # noqa: F401  (registers the "screens." catalogue)
import coverage.text.ui  # noqa: F401  (registers the "ui." catalogue)
from app_pages import access
from app_pages.state import Roster, inputs, lang, provinces, select_commune, tr
from coverage import planning
from coverage.errors import MAX_PROBLEMS_PER_KIND, InputError, Problem, cap_problems
from coverage.text.i18n import Lang, format_number, format_percent, t
from coverage.text.plan import format_points
from coverage.text.population import population_figure
from coverage.text.screens import streamlit_defaults
from coverage.text.textnorm import fold, picker_label

# ---------------------------------------------------------------- headline


def headline(result: planning.AnalysisResult, teams: pd.DataFrame) -> planning.Headline:
    """Headline figures of an analysis (one call into the facade)."""
    return planning.headline_from(result.communes, teams)


def show_headline(head: planning.Headline, *, before: planning.Headline | None = None) -> None:
    """Render the headline figures as metrics, with the change from ``before`` if given."""
    language = lang()

    def delta(now: float | None, old: float | None, *, percent: bool = False) -> str | None:
        if before is None or now is None or old is None:
            return None
        change = (now - old) * (100 if percent else 1)
        if abs(change) < (0.05 if percent else 0.5):
            return None
        if percent:  # a change of a share is written in percentage points
            return format_points(now - old, language)
        sign = "+" if change > 0 else "-"
        return f"{sign}{format_number(abs(change), language)}"

    b = before
    cols = st.columns(6)
    cols[0].metric(tr("ui.metric.communes"), format_number(head.communes, language))
    cols[1].metric(tr("ui.metric.population"), format_number(head.population, language))
    cols[2].metric(
        tr("ui.metric.teams"),
        format_number(head.teams, language),
        delta=delta(head.teams, b.teams if b else None),
    )
    cols[3].metric(
        tr("ui.metric.volunteers"),
        format_number(head.volunteers, language),
        delta=delta(head.volunteers, b.volunteers if b else None),
    )
    cols[4].metric(
        tr("ui.metric.underserved"),
        format_number(head.underserved, language),
        delta=delta(head.underserved, b.underserved if b else None),
        delta_color="inverse",
    )
    cols[5].metric(
        tr("ui.metric.need_met"),
        format_percent(head.need_met_share, language),
        delta=delta(head.need_met_share, b.need_met_share if b else None, percent=True),
    )


def local_time(iso_utc: str) -> str:
    """Return a stored UTC time as Vietnam time, ``16:54 23/11/2026`` ('' when unknown)."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(iso_utc)
    except ValueError:
        return ""
    return moment.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%H:%M %d/%m/%Y")


# ---------------------------------------------------------------- tables and messages


def problems_frame(problems: list[Problem] | tuple[Problem, ...]) -> pd.DataFrame:
    """Problems as a table in the chosen language (``Problem.as_row``)."""
    return pd.DataFrame([p.as_row(lang()) for p in problems])


def show_problems(problems: list[Problem] | tuple[Problem, ...], *, key: str) -> None:
    """Show problems as a table (user values stay text: dataframes never render HTML).

    At most ``MAX_PROBLEMS_PER_KIND`` of each kind are listed; the rest are counted.
    """
    shown, hidden = cap_problems(problems)
    st.dataframe(problems_frame(shown), hide_index=True, width="stretch", key=key)
    if hidden:
        lines = [
            tr(
                "problems.more_total",
                shown=format_number(len(shown), lang()),
                total=format_number(len(problems), lang()),
                per_kind=MAX_PROBLEMS_PER_KIND,
            )
        ]
        lines += [
            tr("problems.more", count=format_number(n, lang()), problem=tr(code))
            for code, n in hidden.items()
        ]
        st.caption("  \n".join(html_text(line) for line in lines))


def show_input_error(error: InputError, *, key: str) -> None:
    """Say that the input could not be used, then list every problem.

    File-level problems (no row: a missing file, a missing column) are repeated in the
    message as code spans, so their text is shown literally (no Markdown, no HTML).
    """
    language = lang()
    details = [p.message(language).replace("`", "'") for p in error.errors if p.row is None][:3]
    st.error("\n\n".join([tr("ui.input_error"), *(f"`{d}`" for d in details)]))
    show_problems(error.problems, key=key)


def show_storage_error(error: planning.StorageError) -> None:
    """Show a storage problem and what to do; names in it are text (:func:`markdown_text`)."""
    st.error(f"{tr('ui.storage_error')}: {markdown_text(error.message(lang()))}")


def html_text(text: object) -> str:
    """HTML-escape user text before it goes into Markdown."""
    return html.escape("" if text is None else str(text), quote=True)


def data_notices(roster: Roster) -> None:
    """Show the SAMPLE and ILLUSTRATIVE ESTIMATE labels, wherever data are shown."""
    base = inputs()
    if roster.is_sample:
        if roster.revision:
            st.warning(tr("ui.notice.edited_sample", revision=roster.revision), icon="⚠️")
        else:
            st.warning(
                tr("ui.notice.sample", source=markdown_text(roster.source_label())), icon="⚠️"
            )
    if base.indicators_is_estimate:
        st.info(
            tr("ui.notice.estimate", source=markdown_text(base.indicators_source_label(lang()))),
            icon="ℹ️",
        )
    elif base.indicators_revision:
        st.info(indicators_notice(base), icon="ℹ️")


def indicators_notice(base: planning.Inputs) -> str:
    """Which uploaded file the indicators come from, when and by whom (Markdown-safe)."""
    text = tr(
        "ui.notice.indicators_file",
        source=markdown_text(base.indicators_source_label(lang())),
        author=markdown_text(base.indicators_saved_by or tr("ui.notice.someone")),
        saved_at=local_time(base.indicators_saved_at),
    )
    if base.indicators_missing:
        text += " " + tr("ui.notice.indicators_missing", count=len(base.indicators_missing))
    return text


def flag_text(row: Mapping[str, Any]) -> str:
    """Return the commune's flags in words ("Xã biên giới · Thiếu hỗ trợ")."""
    names = [tr(f"map.flag.{f}") for f in planning.FLAGS if bool(row.get(f))]
    if bool(row.get("is_language_gap")):
        names.append(tr("language.flag"))
    return " · ".join(names) if names else tr("ui.commune.no_flags")


def commune_names() -> dict[str, str]:
    """Commune code -> full name of the chosen province."""
    communes = inputs().communes
    column = "full_name" if "full_name" in communes.columns else "name"
    return dict(zip(communes["code"].astype(str), communes[column].astype(str), strict=True))


def search_communes(query: str) -> list[str]:
    """Codes of communes whose name contains ``query``, with or without diacritics."""
    key = fold(query)
    if not key:
        return []
    return [code for code, name in commune_names().items() if key in fold(name)]


def team_table(teams: pd.DataFrame) -> pd.DataFrame:
    """Teams as a readable table (names stay text)."""
    names = commune_names()
    return pd.DataFrame(
        {
            tr("ui.field.team_id"): teams["team_id"].astype(str).to_numpy(),
            tr("ui.field.team_name"): teams["team_name"].astype(str).to_numpy(),
            tr("ui.field.team_commune"): [names.get(str(c), str(c)) for c in teams["commune_code"]],
            tr("ui.field.mode"): [
                tr(f"ui.mode.{m}") if m in ("fixed", "mobile") else str(m) for m in teams["mode"]
            ],
            tr("ui.field.members"): teams["members"].to_numpy(),
            tr("ui.field.hours"): teams["weekly_hours"].to_numpy(),
        }
    )


def priority_communes(result: planning.AnalysisResult) -> pd.DataFrame:
    """Under-served communes that are on the border or remote, lowest coverage first."""
    return planning.priority_communes(result.communes)


def priority_table(communes: pd.DataFrame) -> pd.DataFrame:
    """Return priority communes as a readable table: group, name, coverage, the reasons in full.

    ``communes`` come from :func:`coverage.analysis.commune_lists.priority_first`.
    """
    language = lang()
    groups = [
        tr("screens.map.group.border") if bool(b) else tr("screens.map.group.remote")
        for b in communes["is_border"].fillna(False)
    ]
    return pd.DataFrame(
        {
            tr("screens.map.group"): groups,
            tr("ui.field.name"): communes["name"].astype(str).to_numpy(),
            tr("ui.field.coverage"): [coverage_text(v) for v in communes["coverage_ratio"]],
            tr("ui.field.population"): population_column(communes, language),
            tr("ui.field.teams_in_reach"): [
                format_number(v, language) for v in communes["teams_in_reach"]
            ],
            tr("ui.field.reasons"): communes[f"reasons_{language}"].astype(str).to_numpy(),
        }
    )


TABLE_CLASS = "gl-table"
"""The class of every table drawn by :func:`show_table`, styled by :data:`TABLE_STYLE`."""

TABLE_STYLE = f"""<style>
.{TABLE_CLASS} {{ width: 100%; border-collapse: collapse; font-size: 0.875rem; }}
.{TABLE_CLASS} th {{ text-align: left; font-weight: 600; color: rgba(49, 51, 63, 0.7); }}
.{TABLE_CLASS} th, .{TABLE_CLASS} td {{ padding: 0.25rem 0.5rem; vertical-align: top;
  border-bottom: 1px solid rgba(49, 51, 63, 0.1); }}
.{TABLE_CLASS} td.gl-nowrap {{ white-space: nowrap; }}
</style>"""


def table_html(table: pd.DataFrame, *, nowrap: tuple[str, ...] = ()) -> str:
    """Return ``table`` as one HTML ``<table>``, every header and cell escaped as text.

    Columns named in ``nowrap`` keep each cell on one line (short values: a group, a
    percentage); the others wrap, so long reasons are shown in full.
    """
    header = "".join(f"<th>{html_text(c)}</th>" for c in table.columns)
    keep = [str(c) in nowrap for c in table.columns]
    rows = []
    for values in table.itertuples(index=False, name=None):
        cells = "".join(
            f'<td class="gl-nowrap">{html_text(v)}</td>' if one_line else f"<td>{html_text(v)}</td>"
            for v, one_line in zip(values, keep, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return (
        f'{TABLE_STYLE}<table class="{TABLE_CLASS}"><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def show_table(table: pd.DataFrame, *, nowrap: tuple[str, ...] = ()) -> None:
    """Draw ``table`` as one static HTML element (:func:`table_html`).

    One element for the whole table: ``st.table`` sends every cell through the browser's
    Markdown renderer, which took about 0.3 s of a first page for the 46 rows of Gia
    Lai's priority communes (``benchmarks/bench_app.py``). The text is escaped, never
    interpreted, and wraps in full.
    """
    st.html(table_html(table, nowrap=nowrap))


def population_column(communes: pd.DataFrame, language: Lang) -> list[str]:
    """Write the communes' populations as text, estimates and missing figures marked."""
    sources = communes.get("population_source", pd.Series("official", index=communes.index))
    return [
        population_figure(v, s, language)
        for v, s in zip(communes["population"], sources, strict=True)
    ]


def coverage_text(value: object, *, decimals: int = 1) -> str:
    """Coverage (capacity / need) as a percentage; above 100% reads "> 100%".

    One decimal by default, so a commune just under the 50% threshold never reads "50%".
    """
    number = float(value) if isinstance(value, (int, float, np.number)) else float("nan")
    if number > 1.0:
        return "> " + format_percent(1.0, lang(), decimals=0)
    return format_percent(number, lang(), decimals=decimals)


def commune_list_config() -> dict[str, Any]:
    """Column widths for :func:`commune_list`: the reasons get the room."""
    return {
        tr("ui.field.reasons"): st.column_config.TextColumn(width="large"),
        tr("ui.field.name"): st.column_config.TextColumn(width="medium"),
    }


def commune_list(communes: pd.DataFrame) -> pd.DataFrame:
    """Communes as a readable table with numbers in the chosen language."""
    language = lang()
    yes, no = tr("ui.yes"), tr("ui.no")
    return pd.DataFrame(
        {
            tr("ui.field.code"): communes["code"].astype(str).to_numpy(),
            tr("ui.field.name"): communes["name"].astype(str).to_numpy(),
            tr("ui.field.reasons"): communes[f"reasons_{language}"].astype(str).to_numpy(),
            tr("ui.field.population"): population_column(communes, language),
            tr("ui.field.coverage"): [coverage_text(v) for v in communes["coverage_ratio"]],
            tr("ui.field.teams_in_reach"): communes["teams_in_reach"].to_numpy(),
            tr("ui.field.out_of_reach"): [
                format_number(v, language)
                for v in communes.get("residents_out_of_reach", pd.Series(0, index=communes.index))
            ],
            tr("ui.field.border"): [yes if v else no for v in communes["is_border"]],
            tr("ui.field.remote"): [yes if v else no for v in communes["is_remote"]],
            tr("ui.field.underserved"): [yes if v else no for v in communes["is_underserved"]],
            **language_columns(communes),
        }
    )


def language_columns(communes: pd.DataFrame) -> dict[str, list[str]]:
    """Return the language-gap flag and the main minority languages (ESTIMATE where they are)."""
    if "is_language_gap" not in communes.columns:
        return {}
    language = lang()
    yes, no = tr("ui.yes"), tr("ui.no")
    estimated = communes.get("languages_estimated", pd.Series(False, index=communes.index))
    return {
        tr("language.flag"): [yes if v else no for v in communes["is_language_gap"]],
        tr("language.field.languages"): [
            planning.display_languages(str(v or ""), estimated=bool(e), lang=language)
            for v, e in zip(communes["minority_languages"], estimated, strict=True)
        ],
    }


# ---------------------------------------------------------------- sidebar


def relabel_widgets() -> None:
    """After a language switch, have every picker show its value in the new language.

    A keyed picker keeps its identity when its labels change, and the browser keeps
    showing the label it had ("Nhu cầu hỗ trợ" after switching to English). Giving
    each widget its own value again makes Streamlit send it with the new labels.
    Only text and list values are given again (buttons, uploads and the roster editor
    are skipped: their values cannot be set).
    """
    from streamlit.errors import StreamlitAPIException

    for key in list(st.session_state.keys()):
        value = st.session_state[key]
        # Picker values are option codes (text) or lists of them; booleans (buttons,
        # checkboxes) and numbers have no labels, and a button's value cannot be set.
        if key == "lang" or not isinstance(value, (str, list, tuple)):
            continue
        try:
            st.session_state[key] = value
        except StreamlitAPIException:
            continue


def sidebar() -> None:
    """Language switch, province selector and who is signed in (changes carry that name)."""
    with st.sidebar:
        st.radio(
            t("ui.sidebar.language", "vi"),
            options=["vi", "en"],
            format_func=lambda code: t(f"ui.lang.{code}", "vi"),
            key="lang",
            horizontal=True,
            on_change=relabel_widgets,
        )
        choices = provinces()
        names = dict(choices)
        pending = st.session_state.pop("province_pending", None)  # chosen on the national page
        if pending in names:
            st.session_state["province"] = pending
        if st.session_state.get("province") not in names:
            st.session_state["province"] = planning.DEFAULT_PROVINCE_CODE
        st.selectbox(
            tr("ui.sidebar.province"),
            options=list(names),
            format_func=lambda code: picker_label(names.get(str(code), str(code))),
            key="province",
            placeholder=tr("screens.placeholder.province"),
            on_change=lambda: select_commune(None),
        )
        access.sidebar_account(access.acting_account())
        translate_streamlit_defaults()


_DEFAULTS_SCRIPT = """<script>
(function (pairs) {
  var state = window.glStreamlitDefaults || (window.glStreamlitDefaults = {});
  state.exact = {};
  state.patterns = [];
  pairs.forEach(function (pair) {
    if (pair[0].charAt(0) === '^') { state.patterns.push([new RegExp(pair[0]), pair[1]]); }
    else { state.exact[pair[0]] = pair[1]; }
  });
  function replacement(text) {
    var key = text.trim();
    if (!key) { return null; }
    if (Object.prototype.hasOwnProperty.call(state.exact, key)) {
      return text.replace(key, state.exact[key]);
    }
    for (var i = 0; i < state.patterns.length; i++) {
      if (state.patterns[i][0].test(key)) {
        return text.replace(key, key.replace(state.patterns[i][0], state.patterns[i][1]));
      }
    }
    return null;
  }
  function fix(node) {
    var out = node.nodeValue ? replacement(node.nodeValue) : null;
    if (out !== null && out !== node.nodeValue) { node.nodeValue = out; }
  }
  function walk(root) {
    if (root.nodeType === 3) { fix(root); return; }
    if (root.nodeType !== 1) { return; }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) { fix(node); }
    root.querySelectorAll('[placeholder]').forEach(function (el) {
      var out = replacement(el.getAttribute('placeholder') || '');
      if (out !== null) { el.setAttribute('placeholder', out); }
    });
  }
  if (!state.observer) {
    state.observer = new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === 'characterData') { fix(record.target); }
        else { record.addedNodes.forEach(walk); }
      });
    });
    state.observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  }
  walk(document.body);
})(%s);
</script>"""


def translate_streamlit_defaults() -> None:
    """Put Streamlit's own English (no option changes it) into the chosen language, in the page.

    Streamlit writes some texts in its browser code with no argument to change them:
    the file uploader's "Drag and drop file here", "Upload" and "Limit 50MB per file",
    a picker's "No results" and "Select all", a text box's "Press Enter to apply". The
    workaround is one small script (``st.html(..., unsafe_allow_javascript=True)``,
    drawn once per run at the foot of the sidebar) that replaces exactly those texts
    (:data:`coverage.text.screens.STREAMLIT_DEFAULTS`, nothing else) wherever they
    appear, now and when Streamlit draws them later (a ``MutationObserver``). In
    English it replaces nothing. Where Streamlit has an option (``placeholder=``,
    ``enter_to_submit=False``, ``select_all=False``) the pages use it instead.
    """
    pairs = [
        (english, re.sub(r"\\(\d)", r"$\1", local)) for english, local in streamlit_defaults(lang())
    ]
    st.html(
        _DEFAULTS_SCRIPT % json.dumps(pairs, ensure_ascii=False).replace("</", "<\\/"),
        unsafe_allow_javascript=True,
    )


MARKDOWN_PUNCTUATION = re.compile(r"([!-%'-/:;=?@\[-`{-~])")
"""ASCII punctuation escaped with a backslash (CommonMark shows an escaped mark as itself);
``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;`` and ``&gt;`` instead."""

AUTOLINK_STARTS = re.compile(r"(?i)(www(?=\.)|:(?=//)|\b(?:mailto|xmpp):|(?=@))")
"""Where GFM would start a link from bare text (``www.``, ``http://``, ``mailto:``,
``a@b.example``): Streamlit finds these after the escapes, so a word joiner goes there."""

WORD_JOINER = "\u2060"
"""An invisible character that keeps a bare address from becoming a link."""


def markdown_text(text: object) -> str:
    """User text made literal for every Streamlit element that renders Markdown.

    The one escaping rule of the app, for ``st.markdown``, ``st.caption``, ``st.error`` and
    the other alerts, ``st.subheader``/``st.title`` and labels: whitespace runs (newlines
    included) become one space, so no line can start a heading, list, quote or table;
    ``<``, ``>`` and ``&`` become ``&lt;``, ``&gt;`` and ``&amp;`` (no tag can open, a typed
    ``&amp;`` stays as typed; the apostrophe is never a numeric reference, which showed as
    ``&#x27;`` in "Cư M'gar"), and every other ASCII punctuation mark gets a backslash, so no
    link (``[x](url)``, bare ``http://``, ``www.`` or an e-mail address), emphasis, code,
    maths (``$``), HTML tag or entity, Streamlit colour or icon (``:red[...]``,
    ``:material/...:``) can form. Bare
    addresses also get an invisible word joiner (:data:`WORD_JOINER`) after ``www``, after
    the ``:`` of ``http://``, ``mailto:`` or ``xmpp:``, and before ``@``, because Streamlit
    links them even when escaped.
    The reader sees exactly the characters that were typed.
    """
    cleaned = re.sub(r"\s+", " ", "" if text is None else str(text)).strip()
    unlinked = AUTOLINK_STARTS.sub(lambda m: m.group(1) + WORD_JOINER, cleaned)
    marked = MARKDOWN_PUNCTUATION.sub(r"\\\1", unlinked)
    return marked.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
