"""Roster editing on the Teams page.

The grid in plain words, per-team forms that start from the team's current values, and
the preview of a change before it is saved.

Not a page: helpers for ``teams.py``. Every change (a form or the table) becomes a
*proposal*: a validated roster that is shown with its impact
(:func:`coverage.planning.impact_from_analyses`) and saved only when the planner presses
save, after ticking a confirmation when the change harms a commune.

Session state (per browser tab and province):

``teams_proposal.<province>``
    The change waiting to be saved (:class:`Proposal`), made by a form.
``teams_edit_chosen.<province>``
    The team chosen in the edit form. The form's widgets are keyed by team and revision
    (:func:`edit_key`), so each starts from the team's current values and nothing
    carries over from an earlier action.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import streamlit as st

import coverage.text.edits  # noqa: F401  (registers the "edits." catalogue)
from app_pages import actions, state, widgets
from coverage import planning
from coverage.text.i18n import Lang, format_number, format_percent, t


@dataclass(frozen=True)
class Proposal:
    """A roster change waiting to be saved.

    Attributes
    ----------
    base
        The revision it was made from.
    teams
        The whole validated roster after the change.
    source
        ``"form"`` (add, edit or remove form) or ``"table"`` (the grid).
    """

    base: int
    teams: pd.DataFrame
    source: Literal["form", "table"]


def _key(name: str) -> str:
    return f"{name}.{state.province_code()}"


def proposal() -> Proposal | None:
    """Return the form change waiting to be saved in this tab, if any."""
    value = st.session_state.get(_key("teams_proposal"))
    return value if isinstance(value, Proposal) else None


def propose(teams: pd.DataFrame, *, base: int) -> None:
    """Keep a validated roster from a form as the change to preview."""
    st.session_state[_key("teams_proposal")] = Proposal(base, teams, "form")
    st.session_state.pop("teams_preview_confirm", None)


def drop_proposal() -> None:
    """Forget the form change waiting to be saved (after a save or a cancel)."""
    st.session_state.pop(_key("teams_proposal"), None)
    st.session_state.pop("teams_preview_confirm", None)


# ---------------------------------------------------------------- words


def _words(prefix: str) -> Callable[[object], str]:
    language = state.lang()
    return lambda code: planning.history_word(prefix, code, language)


def skill_options(teams: pd.DataFrame) -> list[str]:
    """Known skills, then any other code the roster uses."""
    extra = sorted(
        {s for value in teams.get("skills", []) for s in as_list(value)}
        - set(planning.KNOWN_SKILLS)
    )
    return [*planning.KNOWN_SKILLS, *extra]


def language_options(teams: pd.DataFrame, first: Sequence[str] = ()) -> list[str]:
    """Vietnamese, the known minority languages (``first`` first), then any other code used.

    ``first``: the province's own languages (:func:`app_pages.state.province_languages`).
    """
    extra = sorted(
        {s for value in teams.get("languages", []) for s in as_list(value)}
        - set(planning.KNOWN_LANGUAGES)
    )
    return ["vi", *planning.ordered_languages(first), *extra]


def as_list(value: object) -> list[str]:
    """Return a cell's list of names (a list, or text separated by ';')."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [v.strip() for v in str(value).split(";") if v.strip()]


# ---------------------------------------------------------------- the grid


def grid_table(teams: pd.DataFrame) -> pd.DataFrame:
    """Return the roster for the grid.

    Text cells, the commune's name beside its code, lists of codes.
    """
    table = planning.editor_table(teams)
    names = widgets.commune_names()
    table.insert(
        list(table.columns).index("commune_code") + 1,
        "commune_name",
        [names.get(c, "") for c in table["commune_code"]],
    )
    for column in ("skills", "languages"):
        table[column] = [as_list(v) for v in table[column]]
    return table


def grid_output_as_text(edited: pd.DataFrame) -> pd.DataFrame:
    """Return what the grid returned, as the text cells of a roster file (lists joined by ';')."""
    out = edited.copy()
    for column in ("skills", "languages"):
        if column in out.columns:
            out[column] = [";".join(as_list(v)) for v in out[column]]
    return planning.editor_output_as_text(out)


def grid_config(teams: pd.DataFrame) -> dict[str, Any]:
    """Column settings: plain words for mode, skills and languages; the commune name read-only."""
    return {
        "team_id": st.column_config.TextColumn(state.tr("ui.field.team_id")),
        "team_name": st.column_config.TextColumn(state.tr("ui.field.team_name"), width="large"),
        "commune_code": st.column_config.TextColumn(state.tr("ui.field.code")),
        "commune_name": st.column_config.TextColumn(
            state.tr("edits.grid.commune_name"),
            disabled=True,
            help=state.tr("edits.grid.commune_help"),
        ),
        "latitude": st.column_config.TextColumn(
            state.tr("ui.field.latitude"), help=state.tr("ui.teams.coord_help")
        ),
        "longitude": st.column_config.TextColumn(
            state.tr("ui.field.longitude"), help=state.tr("ui.teams.coord_help")
        ),
        "members": st.column_config.TextColumn(state.tr("ui.field.members")),
        "mode": st.column_config.SelectboxColumn(
            state.tr("ui.field.mode"),
            options=["fixed", "mobile"],
            format_func=_words("edits.mode."),
            help=state.tr("edits.grid.mode_help"),
        ),
        "skills": st.column_config.MultiselectColumn(
            state.tr("ui.field.skills"),
            options=skill_options(teams),
            format_func=_words("edits.skill."),
            help=state.tr("edits.grid.skills_help"),
            width="large",
        ),
        "languages": st.column_config.MultiselectColumn(
            state.tr("ui.field.languages"),
            options=language_options(teams),
            format_func=_words("edits.language."),
            help=state.tr("edits.grid.languages_help"),
        ),
        "weekly_hours": st.column_config.TextColumn(state.tr("ui.field.hours")),
    }


# ---------------------------------------------------------------- the edit form


def short_names() -> dict[str, str]:
    """Commune code -> short name ("Ia Púch") of the chosen province."""
    communes = state.inputs().communes
    return dict(zip(communes["code"].astype(str), communes["name"].astype(str), strict=True))


def renamed(name: str, old_code: str, new_code: str) -> str | None:
    """Return the team name with its old commune's name replaced by the new one, if it names it."""
    for names in (widgets.commune_names(), short_names()):
        old, new = names.get(old_code, ""), names.get(new_code, "")
        if old and new and old in name:
            return name.replace(old, new)
    return None


def by_language(key_base: str, default: Any) -> tuple[str, Any]:
    """Key of a widget whose labels are words of the chosen language, and its starting value.

    The key ends with the language, so the widget is drawn anew in the other language
    (Streamlit keeps a widget's old labels otherwise); what was typed under the other
    language's key is carried over, so switching language loses nothing.
    """
    language = state.lang()
    key = f"{key_base}_{language}"
    typed = st.session_state.get(f"{key_base}_{'en' if language == 'vi' else 'vi'}")
    return key, (default if typed is None or key in st.session_state else typed)


def edit_key(field: str, team_id: str, base: int) -> str:
    """Return the key of an edit-form widget, new for each team and revision.

    So the form starts from the team's current values and nothing typed for another team
    or before a save carries over.
    """
    return f"teams_edit_{field}_{team_id}_{base}"


@dataclass(frozen=True)
class TeamForm:
    """What the edit form holds for one team (widget values as typed)."""

    commune: str
    lat: str
    lon: str
    name: str
    rename: bool
    members: int
    mode: str
    hours: float
    skills: tuple[str, ...]
    languages: tuple[str, ...]


def edited_roster(current: pd.DataFrame, team_id: str, form: TeamForm) -> pd.DataFrame | None:
    """Return the roster (text cells) with only the fields of ``team_id`` the planner changed.

    Returns ``None`` when nothing differs from the team's current values.
    """
    where = current["team_id"] == team_id
    row = current[where].iloc[0]
    updates: dict[str, str] = {}
    lat, lon = form.lat.strip(), form.lon.strip()
    if form.commune != row["commune_code"]:
        updates["commune_code"] = form.commune
        if lat == row["latitude"] and lon == row["longitude"]:
            lat = lon = ""  # the old coordinates belong to the old commune: use the new centre
    if lat != row["latitude"] or lon != row["longitude"]:
        updates["latitude"], updates["longitude"] = lat, lon
    name = form.name.strip()
    if name and name != row["team_name"]:
        updates["team_name"] = name
    elif "commune_code" in updates and form.rename:
        better = renamed(str(row["team_name"]), str(row["commune_code"]), form.commune)
        if better:
            updates["team_name"] = better
    if int(form.members) != int(float(row["members"])):
        updates["members"] = str(int(form.members))
    if form.mode != row["mode"]:
        updates["mode"] = form.mode
    if abs(float(form.hours) - float(row["weekly_hours"])) > 1e-9:
        updates["weekly_hours"] = format_number(float(form.hours), "en", decimals=1)
    for field in ("skills", "languages"):
        chosen = list(getattr(form, field))
        if chosen != as_list(row[field]):
            updates[field] = ";".join(chosen)
    if not updates:
        return None
    changed = current.copy()
    for column, value in updates.items():
        changed.loc[where, column] = value
    return changed


# ---------------------------------------------------------------- the preview


def impact_of(before: pd.DataFrame, after: pd.DataFrame) -> planning.RosterImpact:
    """Return what changing the roster from ``before`` to ``after`` does (two cached analyses)."""
    return planning.impact_from_analyses(state.analyze(before), state.analyze(after))


def _percent(value: float | None, language: Lang) -> str:
    return "–" if value is None else format_percent(value, language, decimals=1)


def _points(value: float | None, language: Lang) -> str:
    if value is None:
        return "–"
    sign = "+" if value > 0.005 else ("−" if value < -0.005 else "±")
    return t("edits.points", language, value=sign + format_number(abs(value), language, decimals=1))


def _count_change(before: int | None, after: int | None, language: Lang) -> str:
    if before is None or after is None:
        return "–"
    change = after - before
    return ("+" if change > 0 else ("−" if change < 0 else "±")) + format_number(
        abs(change), language
    )


def totals_frame(impact: planning.RosterImpact) -> pd.DataFrame:
    """Province totals before and after: counts, need met in percent, change in points."""
    language = state.lang()
    b, a = impact.before, impact.after
    rows = [
        (
            state.tr("edits.total.teams"),
            format_number(b.teams, language),
            format_number(a.teams, language),
            _count_change(b.teams, a.teams, language),
        ),
        (
            state.tr("edits.total.volunteers"),
            format_number(b.volunteers, language),
            format_number(a.volunteers, language),
            _count_change(b.volunteers, a.volunteers, language),
        ),
        (
            state.tr("edits.total.underserved"),
            format_number(b.underserved, language),
            format_number(a.underserved, language),
            _count_change(b.underserved, a.underserved, language),
        ),
        (
            state.tr("edits.total.need_met"),
            _percent(b.need_met_share, language),
            _percent(a.need_met_share, language),
            _points(impact.need_met_change_points, language),
        ),
    ]
    return pd.DataFrame(
        rows,
        columns=[
            state.tr("edits.col.item"),
            state.tr("edits.col.before"),
            state.tr("edits.col.after"),
            state.tr("edits.col.difference"),
        ],
    )


def _flags(item: Any) -> str:
    names = [
        state.tr(f"edits.flag.{f}")
        for f, on in (
            ("border", item.is_border),
            ("island", item.is_island),
            ("remote", item.is_remote),
        )
        if on
    ]
    return ", ".join(names) or "–"


def _status(*, underserved: bool) -> str:
    return state.tr("edits.status.underserved") if underserved else state.tr("edits.status.served")


def communes_frame(impact: planning.RosterImpact) -> pd.DataFrame:
    """Communes of the impact: status and coverage before → after, change in points."""
    language = state.lang()
    items = impact.communes
    return pd.DataFrame(
        {
            state.tr("edits.col.commune"): [c.name for c in items],
            state.tr("edits.col.flags"): [_flags(c) for c in items],
            state.tr("edits.col.status"): [
                f"{_status(underserved=c.underserved_before)} → "
                f"{_status(underserved=c.underserved_after)}"
                for c in items
            ],
            state.tr("edits.col.coverage"): [
                f"{_percent(c.coverage_before, language)} → {_percent(c.coverage_after, language)}"
                for c in items
            ],
            state.tr("edits.col.change"): [
                _points(c.coverage_change_points, language) for c in items
            ],
            state.tr("edits.col.teams_in_reach"): [
                f"{c.teams_in_reach_before} → {c.teams_in_reach_after}" for c in items
            ],
        }
    )


def status_lines(impact: planning.RosterImpact) -> list[str]:
    """One sentence per commune whose status changes, with its coverage before and after."""
    language = state.lang()
    return [
        state.tr(
            "edits.preview.status_line",
            commune=c.name,
            flags=_flags(c),
            old_status=_status(underserved=c.underserved_before),
            new_status=_status(underserved=c.underserved_after),
            old=_percent(c.coverage_before, language),
            new=_percent(c.coverage_after, language),
            points=_points(c.coverage_change_points, language),
        )
        for c in impact.status_changes
    ]


def harm_texts(impact: planning.RosterImpact) -> list[str]:
    """Each harm as a sentence in the chosen language."""
    language = state.lang()
    out = []
    for harm in impact.harms:
        c = harm.commune
        kind = (
            "island_border"
            if c.is_island and c.is_border
            else ("island" if c.is_island else "border")
        )
        out.append(
            state.tr(
                f"edits.harm.{harm.code}",
                commune=c.name,
                before=c.teams_in_reach_before
                if harm.code == "no_team_in_reach"
                else c.teams_based_before,
                kind=state.tr(f"edits.kind.{kind}"),
                threshold=format_percent(impact.threshold, language, decimals=0),
                old=_percent(c.coverage_before, language),
                new=_percent(c.coverage_after, language),
            )
        )
    return out


def show_preview(
    before: pd.DataFrame, after: pd.DataFrame, *, base: int, source: Literal["form", "table"]
) -> None:
    """Show a change's effect and let the planner save it (confirming harms) or cancel it."""
    language = state.lang()
    diff = planning.diff_rosters(before, after)
    with st.container(border=True, key="teams_preview"):
        st.subheader(state.tr("edits.preview.title"), anchor=False)
        lines = planning.describe_diff(diff, lang=language, commune_names=short_names())
        st.markdown(f"**{state.tr('edits.preview.changes')}**")
        st.markdown(
            "\n".join(f"- {widgets.markdown_text(line)}" for line in lines)
            or state.tr("edits.history.none")
        )
        impact = impact_of(before, after)
        harms = harm_texts(impact)
        if harms:
            st.warning(
                f"**{state.tr('edits.preview.harms')}**\n\n"
                + "\n".join(f"- {widgets.markdown_text(h)}" for h in harms),
                icon="⚠️",
            )
        st.markdown(f"**{state.tr('edits.preview.totals')}**")
        st.dataframe(
            totals_frame(impact), hide_index=True, width="stretch", key="teams_preview_totals"
        )
        st.markdown(f"**{state.tr('edits.preview.status')}**")
        if impact.status_changes:
            st.markdown(
                "\n".join(f"- {widgets.markdown_text(line)}" for line in status_lines(impact))
            )
        else:
            st.caption(state.tr("edits.preview.status_none"))
        st.markdown(f"**{state.tr('edits.preview.communes')}**")
        if impact.communes:
            st.dataframe(
                communes_frame(impact),
                hide_index=True,
                width="stretch",
                key="teams_preview_communes",
            )
        else:
            st.caption(state.tr("edits.preview.communes_none"))
        confirmed = True
        if impact.needs_confirmation:
            confirmed = st.checkbox(state.tr("edits.preview.confirm"), key="teams_preview_confirm")
        left, right = st.columns(2)
        if left.button(state.tr("edits.preview.save"), key="teams_preview_save", type="primary"):
            if confirmed:
                saved = actions.try_save(after, base=base) is not None
                if saved or st.session_state.get(actions.conflict_key()):
                    # Saved, or kept by the conflict panel ("keep mine"): the preview is done.
                    drop_proposal()
                    st.rerun()
                # Otherwise not saved (no permission, file locked ...): try_save said why;
                # the change stays.
            else:
                st.error(state.tr("edits.preview.confirm_needed"))
        if right.button(state.tr("edits.preview.cancel"), key="teams_preview_cancel"):
            drop_proposal()
            if source == "table":
                state.bump_editor()
            st.rerun()


# ---------------------------------------------------------------- history


def history_lines(*, limit: int = 10) -> list[str]:
    """Return the latest revisions as sentences.

    For example "Phiên bản 2 · 16:54 23/11/2026 · Lan: GL-103: thành viên 11 → 18".
    """
    language = state.lang()
    names = short_names()
    revisions = state.store().list_roster_revisions(state.province_code())[:limit]
    return [
        state.tr(
            "edits.history.line",
            revision=r.revision,
            saved_at=widgets.local_time(r.saved_at),
            author=r.author or "–",
            changes=planning.describe_revision(r, lang=language, commune_names=names),
        )
        for r in revisions
    ]


def history_frame() -> pd.DataFrame:
    """Every saved revision with its changes in words (an import is one entry)."""
    language = state.lang()
    names = short_names()
    revisions = state.store().list_roster_revisions(state.province_code())
    return pd.DataFrame(
        [
            [
                r.revision,
                widgets.local_time(r.saved_at),
                r.author or "–",
                r.team_count,
                planning.describe_revision(r, lang=language, commune_names=names),
                r.note,
            ]
            for r in revisions
        ],
        columns=state.tr("edits.history.cols").split("|"),
    )
