"""Typed input problems that name the file, row, column, bad value and fix.

Every problem carries a ``code`` and ``params`` so the UI can show it in the user's
language; :meth:`Problem.message` renders the one template
``<file>: row <n>, column '<col>': <problem> (got <value>). <fix>``. Rows are counted
as a spreadsheet shows them (header = row 1, first data row = row 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from coverage.text.i18n import Lang, t

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file.

    Attributes
    ----------
    code
        Catalogue key of the problem (``missing_column``, ``out_of_range``, ...).
    file
        File name as the user knows it.
    row
        Spreadsheet row number (header = 1), or ``None`` for file- or column-level problems.
    column
        Column name, or ``None``.
    value
        The offending value as text, or ``None``.
    params
        Values for the fix template (for example ``low`` and ``high``).
    severity
        ``"error"`` blocks the import; ``"warning"`` is shown but the data is used.
    """

    code: str
    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    severity: Severity = "error"

    def message(self, lang: Lang = "en") -> str:
        """Render the problem in one line: where, what, the bad value and the fix."""
        if self.row is not None and self.column is not None:
            where = t(
                "problem.where.row_col", lang, file=self.file, row=self.row, column=self.column
            )
        elif self.column is not None:
            where = t("problem.where.col", lang, file=self.file, column=self.column)
        elif self.row is not None:
            where = t("problem.where.row", lang, file=self.file, row=self.row)
        else:
            where = t("problem.where.file", lang, file=self.file)
        got = t("problem.got", lang, value=self.value) if self.value is not None else ""
        return f"{where}: {t(self.code, lang)}{got}. {self._fix(lang)}".rstrip()

    def explanation(self, lang: Lang = "en") -> str:
        """Say what is wrong and the fix, without where and the value (a table shows those)."""
        return f"{t(self.code, lang)}. {self._fix(lang)}".rstrip()

    def _fix(self, lang: Lang) -> str:
        return (
            t(f"{self.code}.fix", lang, **self.params) if f"{self.code}.fix" in _fix_keys() else ""
        )

    def as_row(self, lang: Lang = "vi") -> dict[str, object]:
        """Return the problem as a table row for the UI, one column per part.

        The last column says what is wrong and the fix, the others where and the value.
        """
        keys = {
            "vi": ("Mức độ", "Tệp", "Dòng", "Cột", "Giá trị", "Vấn đề"),
            "en": ("Severity", "File", "Row", "Column", "Value", "Problem"),
        }[lang]
        return dict(
            zip(
                keys,
                (
                    t(f"severity.{self.severity}", lang),
                    self.file,
                    self.row,
                    self.column,
                    self.value,
                    self.explanation(lang),
                ),
                strict=True,
            )
        )


def _fix_keys() -> frozenset[str]:
    from coverage.text.i18n import CATALOG

    return frozenset(k for k in CATALOG if k.endswith(".fix"))


class InputError(ValueError):
    """Raised once with every problem found in the user's input.

    The app catches only this class; anything else is a bug.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        errors = [p for p in problems if p.severity == "error"]
        head = f"{len(errors)} problem(s) in input"
        super().__init__(head + ":\n" + "\n".join(p.message("en") for p in problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems of severity ``error`` (warnings left out)."""
        return tuple(p for p in self.problems if p.severity == "error")


MAX_PROBLEMS_PER_KIND = 20
"""How many problems of one kind (code) are listed before the rest are only counted."""


def cap_problems(
    problems: list[Problem] | tuple[Problem, ...], *, per_kind: int = MAX_PROBLEMS_PER_KIND
) -> tuple[list[Problem], dict[str, int]]:
    """Keep the first ``per_kind`` problems of each kind, in order, and count the rest.

    Returns
    -------
    shown, hidden
        The problems to list, and per code how many were left out (``per_kind`` of
        0 or less keeps everything).
    """
    if per_kind <= 0:
        return list(problems), {}
    seen: dict[str, int] = {}
    shown: list[Problem] = []
    hidden: dict[str, int] = {}
    for problem in problems:
        seen[problem.code] = seen.get(problem.code, 0) + 1
        if seen[problem.code] <= per_kind:
            shown.append(problem)
        else:
            hidden[problem.code] = hidden.get(problem.code, 0) + 1
    return shown, hidden


def capped_messages(
    problems: list[Problem] | tuple[Problem, ...],
    lang: Lang = "en",
    *,
    per_kind: int = MAX_PROBLEMS_PER_KIND,
) -> list[str]:
    """One line per problem listed by :func:`cap_problems`, then one line per kind cut short."""
    from coverage.text import inputs as text_inputs  # noqa: F401  (registers "problems.more")
    from coverage.text.i18n import format_number

    shown, hidden = cap_problems(problems, per_kind=per_kind)
    lines = [p.message(lang) for p in shown]
    lines += [
        t("problems.more", lang, count=format_number(n, lang), problem=t(code, lang))
        for code, n in hidden.items()
    ]
    return lines


def raise_if_errors(problems: list[Problem]) -> None:
    """Raise :class:`InputError` with all problems if any of them is an error."""
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
