"""Texts of deployment plans: moves, guarantees, border options, and one way to write a change.

Levels are written in percent ("34%"), differences between two levels in percentage
points ("-72 điểm %" / "-72 pp"): :func:`format_points` is the one place that writes a
difference of shares, for the command line, the app and the reports.
"""

from __future__ import annotations

import math

from coverage.text.i18n import Lang, format_number, register

POINTS_UNIT: dict[Lang, str] = {"vi": "điểm %", "en": "pp"}
"""Unit of a difference between two shares: percentage points."""


def format_points(change: float | None, lang: Lang = "vi", *, decimals: int = 1) -> str:
    """Format a change of a share (a fraction) in percentage points, always signed.

    ``0.4`` gives ``+40,0 điểm %`` in Vietnamese and ``+40.0 pp`` in English; ``None`` and
    NaN give an en dash.
    """
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return "–"
    points = float(change) * 100
    text = format_number(abs(points), lang, decimals=decimals)
    zero = float(f"{abs(points):.{decimals}f}") == 0
    sign = "" if zero else ("+" if points > 0 else "-")
    return f"{sign}{text} {POINTS_UNIT[lang]}"


register(
    {
        "plan.reason.lift_down": {
            "vi": "{name} {before} → {after} (đội này góp {change}, sau khi chuyển đội)",
            "en": "{name} {before} → {after} (this team adds {change}, after the moves)",
        },
        "plan.move.reason": {
            "vi": "{team}: {source} → {target}; {source} {before} → {after} ({change}), {left}; "
            "{target} {to_before} → {to_after} ({to_change})",
            "en": "{team}: {source} → {target}; {source} {before} → {after} ({change}), {left}; "
            "{target} {to_before} → {to_after} ({to_change})",
        },
        "plan.move.still_reached": {
            "vi": "vẫn còn {count} đội trong tầm",
            "en": "still {count} team(s) in reach",
        },
        "plan.move.left_unreached": {
            "vi": "KHÔNG còn đội nào trong tầm phục vụ",
            "en": "left with NO team in reach",
        },
        "plan.note.border_reach": {
            "vi": "Ràng buộc biên giới: mỗi xã biên giới có ít nhất một đội trong tầm phục vụ. Đây "
            "là yêu cầu về tầm với, không bảo đảm mức đáp ứng nhu cầu.",
            "en": "Border requirement: every border commune has at least one team in reach. It "
            "guarantees reach, not that enough of the need is met.",
        },
        "plan.note.border_already": {
            "vi": "Cả {count} xã biên giới đã có đội trong tầm trước phương án này, nên ràng buộc "
            "không thay đổi gì.",
            "en": "All {count} border communes already had a team in reach before this plan, so "
            "the requirement changes nothing.",
        },
        "plan.note.border_below": {
            "vi": "Sau phương án, {count} xã biên giới vẫn dưới {threshold} nhu cầu: {items}.",
            "en": "After the plan, {count} border communes are still below {threshold} of their "
            "need: {items}.",
        },
        "plan.note.border_all_above": {
            "vi": "Sau phương án, mọi xã biên giới đạt ít nhất {threshold} nhu cầu.",
            "en": "After the plan, every border commune has at least {threshold} of its need met.",
        },
        "plan.note.border_min": {
            "vi": "Mức tối thiểu ở xã biên giới: mỗi xã biên giới đạt ít nhất {min} nhu cầu; thấp "
            "nhất sau phương án: {name} {lowest}.",
            "en": "Border minimum: every border commune has at least {min} of its need met; the "
            "lowest after the plan: {name} {lowest}.",
        },
        "plan.note.keep_reached": {
            "vi": "Bảo đảm: không lần chuyển đội nào khiến một xã mất hết đội trong tầm phục vụ.",
            "en": "Guarantee: no move leaves a commune with no team in reach.",
        },
        "plan.note.keep_cost_none": {
            "vi": "Bảo đảm này không làm giảm giá trị của phương án (bỏ bảo đảm cũng không được "
            "hơn: {value}).",
            "en": "The guarantee costs nothing (without it the plan is worth no more: {value}).",
        },
        "plan.note.keep_cost": {
            "vi": "Cái giá của bảo đảm: giá trị ưu tiên tăng thêm {with_value}, so với "
            "{without_value} nếu bỏ bảo đảm (kém {cost}); khi bỏ, {count} xã sẽ không còn đội nào "
            "trong tầm: {names}.",
            "en": "Cost of the guarantee: a priority-weighted value added of {with_value}, against "
            "{without_value} without it ({cost} less); without it {count} communes would be left "
            "with no team in reach: {names}.",
        },
        "plan.note.keep_lifted": {
            "vi": "Đã bỏ bảo đảm giữ đội trong tầm cho mọi xã.",
            "en": "The guarantee that every commune keeps a team in reach was lifted.",
        },
        "plan.note.left_unreached": {
            "vi": "Cảnh báo: {count} xã không còn đội nào trong tầm phục vụ sau các lần chuyển: "
            "{names}.",
            "en": "Warning: {count} communes are left with no team in reach by the moves: {names}.",
        },
        "plan.infeasible.border_min_unreachable": {
            "vi": "không thể đưa mọi xã biên giới lên {min_coverage} nhu cầu với {new_teams} đội "
            "mới và chuyển tối đa {relocate} đội: {names} (mức cao nhất có thể trong ngoặc); hãy "
            "thêm đội hoặc hạ mức tối thiểu",
            "en": "every border commune cannot reach {min_coverage} of its need with {new_teams} "
            "new teams and at most {relocate} moves: {names} (the most each could reach in "
            "brackets); add teams or lower the minimum",
        },
        "plan.infeasible.border_min_joint": {
            "vi": "từng xã biên giới có thể đạt {min_coverage} nhu cầu, nhưng {new_teams} đội mới "
            "và tối đa {relocate} lần chuyển đội không đủ để tất cả cùng đạt (cùng các giới hạn "
            "khác); hãy thêm đội hoặc hạ mức tối thiểu",
            "en": "each border commune could reach {min_coverage} of its need, but {new_teams} new "
            "teams and at most {relocate} moves cannot bring them all there at once (with the "
            "other limits); add teams or lower the minimum",
        },
        "plan.cli.moves": {"vi": "Chuyển đội:", "en": "Moves:"},
        "plan.cli.notes": {"vi": "Lưu ý:", "en": "Notes:"},
        "plan.cli.communes": {
            "vi": "Mức đáp ứng nhu cầu của các xã thay đổi (trước → sau):",
            "en": "Coverage of the communes that change (before → after):",
        },
        "ui.sugg.border_help": {
            "vi": "Bảo đảm mỗi xã biên giới có ít nhất một đội trong tầm phục vụ. Đây là yêu cầu "
            "về tầm với, không bảo đảm đủ nhu cầu; để yêu cầu mức đáp ứng, dùng ô mức tối thiểu "
            "bên dưới.",
            "en": "Every border commune gets at least one team in reach. This is about reach, not "
            "about meeting enough of the need; to require a level of need met, use the minimum "
            "below.",
        },
        "ui.sugg.border_min": {
            "vi": "Mức đáp ứng nhu cầu tối thiểu ở mọi xã biên giới (%)",
            "en": "Minimum need met in every border commune (%)",
        },
        "ui.sugg.border_min_help": {
            "vi": "Ví dụ 50: mọi xã biên giới phải đạt ít nhất 50% nhu cầu. 0 = không yêu cầu. Nếu "
            "không thể đạt, kết quả sẽ nói rõ xã nào và mức cao nhất có thể.",
            "en": "For example 50: every border commune must have at least 50% of its need met. 0 "
            "= no minimum. If it cannot be met, the result names the communes and the most each "
            "could reach.",
        },
        "ui.sugg.allow_unreached": {
            "vi": "Cho phép chuyển đội dù có xã không còn đội nào trong tầm",
            "en": "Allow moves that leave a commune with no team in reach",
        },
        "ui.sugg.allow_unreached_help": {
            "vi": "Mặc định không lần chuyển nào được khiến một xã (ví dụ xã đảo Nhơn Châu) mất "
            "hết đội trong tầm; kết quả cho biết bảo đảm này làm giảm giá trị bao nhiêu.",
            "en": "By default no move may leave a commune (the island commune Nhơn Châu, say) with "
            "no team in reach; the result states what that guarantee costs.",
        },
        "ui.sugg.moves": {"vi": "Các đội được chuyển", "en": "Teams moved"},
        "ui.sugg.moves_cols": {
            "vi": "Đội|Từ xã|Đến xã|Xã nơi đi: trước|Xã nơi đi: sau|Thay đổi|Đội còn trong tầm ở "
            "xã nơi đi|Xã nơi đến: trước|Xã nơi đến: sau",
            "en": "Team|From|To|Origin: before|Origin: after|Change|Teams still in reach of the "
            "origin|Target: before|Target: after",
        },
        "ui.sugg.no_moves": {
            "vi": "Phương án không chuyển đội hiện có nào.",
            "en": "The plan moves no existing team.",
        },
        "ui.sugg.notes": {"vi": "Điều phương án bảo đảm", "en": "What the plan guarantees"},
        "ui.sugg.communes": {
            "vi": "Các xã có mức đáp ứng thay đổi (đúng bằng kết quả phân tích danh sách đội sau "
            "phương án)",
            "en": "Communes whose coverage changes (exactly what the analysis gives for the roster "
            "after the plan)",
        },
        "ui.sugg.communes_cols": {
            "vi": "Xã|Mã|Trước|Sau|Thay đổi|Đội trong tầm: trước|Đội trong tầm: sau",
            "en": "Commune|Code|Before|After|Change|Teams in reach: before|Teams in reach: after",
        },
    }
)

__all__ = ["POINTS_UNIT", "format_points"]
