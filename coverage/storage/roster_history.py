"""Roster changes in plain words: "GL-103: thành viên 11 → 18", "GL-100: Đức Cơ → Ia Púch".

Turns the audit kept by :mod:`coverage.storage.store` (:class:`~coverage.storage.store.RosterDiff`,
with each changed field's old and new value) into one sentence per change, in
Vietnamese or English. A whole file imported in one go is one entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import coverage.text.edits  # noqa: F401  (registers the "edits." catalogue)
from coverage.storage.store import FieldChange, RosterDiff, RosterRevision
from coverage.text.i18n import Lang, format_number, t

LOCATION_COLUMNS = ("latitude", "longitude", "location_source")
"""Columns that together say where a team is (described as one "location" change)."""


def word(prefix: str, code: object, lang: Lang) -> str:
    """Return the plain word for a code (``edits.skill.vneid``), or the code itself if unknown."""
    try:
        return t(f"{prefix}{code}", lang)
    except KeyError:
        return str(code)


def _number(value: object, lang: Lang) -> str:
    if value is None:
        return t("edits.change.blank", lang)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    return format_number(number, lang, decimals=0 if number.is_integer() else 1)


def _items(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [v.strip() for v in str(value).split(";") if v.strip()]


def _location(by_column: Mapping[str, FieldChange], side: str, lang: Lang) -> str:
    """One side of a location change: the coordinates that changed, or the commune's centre."""
    source = by_column.get("location_source")
    if source is not None and getattr(source, side) == "commune_point":
        return t("edits.change.centre", lang)
    parts = []
    for column in ("latitude", "longitude"):
        change = by_column.get(column)
        if change is not None:
            value = getattr(change, side)
            parts.append("–" if value is None else format_number(float(value), lang, decimals=5))
    return "(" + "; ".join(parts) + ")" if parts else "–"


def describe_fields(
    team_id: str,
    fields: Sequence[FieldChange],
    *,
    lang: Lang,
    commune_names: Mapping[str, str],
) -> list[str]:
    """One sentence per changed field of one team.

    A change of commune is "GL-100: Đức Cơ → Ia Púch" (its coordinates follow and are
    not repeated); a change of coordinates alone is one "location" sentence; lists
    (skills, languages) say what was added and removed, in plain words.
    """
    by_column = {f.column: f for f in fields}
    out: list[str] = []
    for field in sorted(fields, key=lambda f: f.column != "commune_code"):
        column = field.column
        if column in LOCATION_COLUMNS:
            continue
        if column == "commune_code":
            out.append(
                t(
                    "edits.change.move",
                    lang,
                    team=team_id,
                    old=commune_names.get(str(field.old), str(field.old)),
                    new=commune_names.get(str(field.new), str(field.new)),
                )
            )
        elif column in ("skills", "languages"):
            prefix = "edits.skill." if column == "skills" else "edits.language."
            old, new = _items(field.old), _items(field.new)
            parts = []
            gained = [word(prefix, v, lang) for v in new if v not in old]
            lost = [word(prefix, v, lang) for v in old if v not in new]
            if gained:
                parts.append(t("edits.change.list_add", lang, items=", ".join(gained)))
            if lost:
                parts.append(t("edits.change.list_remove", lang, items=", ".join(lost)))
            if parts:
                out.append(f"{team_id}: {t(f'edits.field.{column}', lang)} " + ", ".join(parts))
        elif column == "mode":
            out.append(
                t(
                    "edits.change.field",
                    lang,
                    team=team_id,
                    field=t("edits.field.mode", lang),
                    old=word("edits.mode.", field.old, lang),
                    new=word("edits.mode.", field.new, lang),
                )
            )
        elif column in ("members", "weekly_hours"):
            out.append(
                t(
                    "edits.change.field",
                    lang,
                    team=team_id,
                    field=t(f"edits.field.{column}", lang),
                    old=_number(field.old, lang),
                    new=_number(field.new, lang),
                )
            )
        else:
            label = word("edits.field.", column, lang)
            before = f"“{field.old}”" if field.old is not None else t("edits.change.blank", lang)
            after = f"“{field.new}”" if field.new is not None else t("edits.change.blank", lang)
            out.append(
                t("edits.change.field", lang, team=team_id, field=label, old=before, new=after)
            )
    if "commune_code" not in by_column and any(c in by_column for c in LOCATION_COLUMNS):
        out.append(
            t(
                "edits.change.field",
                lang,
                team=team_id,
                field=t("edits.field.location", lang),
                old=_location(by_column, "old", lang),
                new=_location(by_column, "new", lang),
            )
        )
    return out


def describe_diff(diff: RosterDiff, *, lang: Lang, commune_names: Mapping[str, str]) -> list[str]:
    """Every change of a roster diff as one sentence each: added, removed, then changed teams."""
    out: list[str] = []
    for kind, ids in (("added", diff.added), ("removed", diff.removed)):
        for team_id in ids:
            record = diff.record_of(team_id)
            code = str(record.get("commune_code", ""))
            out.append(
                t(
                    f"edits.change.{kind}",
                    lang,
                    team=team_id,
                    name=str(record.get("team_name", "")) or "–",
                    commune=commune_names.get(code, code) or "–",
                )
            )
    for team_id in diff.changed:
        fields = diff.values_of(team_id)
        if fields:
            out.extend(describe_fields(team_id, fields, lang=lang, commune_names=commune_names))
        else:  # saved before field values were kept: name the columns
            columns = dict(diff.changed_columns).get(team_id, ())
            out.append(f"{team_id}: " + ", ".join(word("edits.field.", c, lang) for c in columns))
    return out


def is_import(info: RosterRevision) -> bool:
    """Whether a revision is a whole roster loaded at once (one history entry).

    Revisions saved with ``kind="import"``, and first revisions saved before the kind
    was kept whose audit lists every team as added.
    """
    if info.kind == "import":
        return True
    changes = info.changes
    return (
        info.revision == 1
        and info.restored_from is None
        and not changes.removed
        and not changes.changed
        and len(changes.added) == info.team_count
        and info.team_count > 1
    )


def describe_revision(info: RosterRevision, *, lang: Lang, commune_names: Mapping[str, str]) -> str:
    """Return a revision's changes in one text.

    An import is one entry, an edit one sentence per change.
    """
    changes = info.changes
    if is_import(info):
        text = t("edits.history.import", lang, count=info.team_count)
        everything_new = (
            len(changes.added) == info.team_count and not changes.removed and not changes.changed
        )
        if not everything_new:
            text += t(
                "edits.history.import_diff",
                lang,
                added=len(changes.added),
                removed=len(changes.removed),
                changed=len(changes.changed),
            )
        return text
    parts = []
    if info.restored_from is not None:
        parts.append(t("edits.history.restore", lang, revision=info.restored_from))
    parts += describe_diff(changes, lang=lang, commune_names=commune_names)
    return "; ".join(parts) if parts else t("edits.history.none", lang)
