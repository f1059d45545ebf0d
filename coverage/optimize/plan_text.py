"""The Vietnamese and English sentences of the deployment plan (registered on import)."""

from coverage.text.i18n import register

register(
    {
        "plan.status.optimal": {
            "vi": "tối ưu (đã chứng minh)",
            "en": "proven optimal",
        },
        "plan.status.bounded": {
            "vi": "phương án tốt nhất tìm được trong {seconds} giây, kém tối ưu nhiều nhất {gap}",
            "en": "best found in {seconds} s, at most {gap} below the optimum",
        },
        "plan.status.time_limit_unknown": {
            "vi": "phương án tốt nhất tìm được trong {seconds} giây (chưa biết cách tối ưu bao xa)",
            "en": "best found in {seconds} s (distance to the optimum unknown)",
        },
        "plan.status.greedy": {
            "vi": "phương án nhanh (tham lam), chưa chứng minh là tối ưu",
            "en": "quick answer (greedy), not proven optimal",
        },
        "plan.status.infeasible": {
            "vi": "không có phương án thoả mãn các ràng buộc: {reason}",
            "en": "no plan meets the constraints: {reason}",
        },
        "plan.infeasible.no_sites": {
            "vi": (
                "không còn địa điểm nào được phép cho {new_teams} đội mới (tất cả đã bị loại trừ)"
            ),
            "en": "no candidate site is allowed for the {new_teams} new teams (all are excluded)",
        },
        "plan.infeasible.too_many_teams": {
            "vi": (
                "cần đặt {new_teams} đội mới nhưng chỉ có {places} chỗ ({communes} xã x tối đa "
                "{per_commune} đội/xã)"
            ),
            "en": (
                "{new_teams} new teams but only {places} places ({communes} communes x at most "
                "{per_commune} per commune)"
            ),
        },
        "plan.infeasible.border_unreachable": {
            "vi": (
                "{count} xã biên giới không thể được phục vụ từ bất kỳ địa điểm được phép nào: "
                "{names}"
            ),
            "en": "{count} border communes cannot be reached from any allowed site: {names}",
        },
        "plan.infeasible.border_too_few": {
            "vi": (
                "{unreached} xã biên giới chưa có đội nào phục vụ; cần ít nhất {needed} đội để "
                "phục vụ hết (một đội phục vụ tối đa {most_per_team} xã trong số đó), nhưng chỉ "
                "đặt được {available} đội"
            ),
            "en": (
                "{unreached} border communes are reached by no team; reaching them all takes at "
                "least {needed} teams (one team reaches at most {most_per_team} of them), but "
                "only {available} can be placed"
            ),
        },
        "plan.infeasible.combined": {
            "vi": (
                "không thể đồng thời thoả mãn yêu cầu xã biên giới, giới hạn {per_commune} "
                "đội/xã và các xã bị loại với {new_teams} đội mới; hãy tăng số đội hoặc nới giới "
                "hạn"
            ),
            "en": (
                "the border requirement, the limit of {per_commune} per commune and the "
                "exclusions cannot all be met with {new_teams} new teams; add teams or relax a "
                "limit"
            ),
        },
        "plan.infeasible.greedy_failed": {
            "vi": (
                "phương pháp nhanh không phục vụ được mọi xã biên giới với {new_teams} đội; hãy "
                "dùng phương pháp chính xác"
            ),
            "en": (
                "the quick method could not reach every border commune with {new_teams} teams; "
                "use the exact method"
            ),
        },
        "plan.infeasible.no_answer_in_time": {
            "vi": "không tìm được phương án nào trong {time_limit_s} giây",
            "en": "no plan found within {time_limit_s} s",
        },
        "plan.reason.reaches": {
            "vi": "là đội đầu tiên phục vụ {names}",
            "en": "first team to reach {names}",
        },
        "plan.reason.serves": {
            "vi": "giúp khoảng {need} người dân trong {weeks} tuần",
            "en": "helps about {need} residents over {weeks} weeks",
        },
        "plan.reason.serves_below": {
            "vi": (
                "giúp khoảng {need} người dân trong {weeks} tuần, trong đó {below} người ở các "
                "xã chưa đạt {threshold} nhu cầu"
            ),
            "en": (
                "helps about {need} residents over {weeks} weeks, {below} of them in communes "
                "still below {threshold} of their need"
            ),
        },
        "plan.reason.lift": {
            "vi": "{name} từ {before} lên {after} (đội này góp {change})",
            "en": "{name} from {before} to {after} (this team adds {change})",
        },
        "plan.reason.lifts": {
            "vi": "nâng mức đáp ứng nhu cầu của {items}",
            "en": "lifts {items} of need",
        },
        "plan.reason.above": {
            "vi": "bổ sung hỗ trợ ở nơi đã đạt trên {threshold} nhu cầu: {items}",
            "en": "adds help where over {threshold} of the need is already met: {items}",
        },
        "plan.reason.border": {
            "vi": "xã biên giới",
            "en": "border commune",
        },
        "plan.reason.remote": {
            "vi": "xã vùng sâu, vùng xa",
            "en": "remote commune",
        },
        "plan.reason.unreached": {
            "vi": "trước đây chưa có đội nào trong tầm phục vụ",
            "en": "no team within reach before",
        },
        "plan.alternative.best": {
            "vi": (
                "nơi tốt thứ hai cho đội này là {name} ({code}): giá trị ưu tiên {alt_value} "
                "({alt_need} người dân) thay vì {value} ({need} người dân) ở đây"
            ),
            "en": (
                "the next best place for this team, {name} ({code}), would add a value of "
                "{alt_value} ({alt_need} residents) instead of {value} ({need} residents) here"
            ),
        },
        "plan.alternative.close": {
            "vi": "gần tương đương",
            "en": "almost as good",
        },
        "plan.alternative.same": {
            "vi": "tốt ngang nhau",
            "en": "just as good",
        },
        "plan.alternative.worse": {
            "vi": "nơi kế tiếp sau đó chỉ đạt tối đa {value}",
            "en": "the next place after that would add at most {value}",
        },
        "plan.flag.border": {
            "vi": "biên giới",
            "en": "border",
        },
        "plan.flag.remote": {
            "vi": "vùng sâu",
            "en": "remote",
        },
        "plan.flag.unreached": {
            "vi": "chưa có đội",
            "en": "no team yet",
        },
        "plan.alternative.none": {
            "vi": "không có địa điểm thay thế nào thoả mãn các ràng buộc",
            "en": "no other site meets the constraints",
        },
        "plan.cli.status": {
            "vi": "Trạng thái: {status}",
            "en": "Status: {status}",
        },
        "plan.cli.totals": {
            "vi": (
                "Giá trị ưu tiên tăng thêm: {value} (các đội hiện có: {baseline_value}); số "
                "người dân được hỗ trợ thêm: {added} (các đội hiện có: {baseline}) trong {weeks} "
                "tuần"
            ),
            "en": (
                "Priority-weighted value added: {value} (existing teams: {baseline_value}); "
                "residents helped in addition: {added} (existing teams: {baseline}) over {weeks} "
                "weeks"
            ),
        },
        "plan.cli.weights": {
            "vi": (
                "Cách tính giá trị: mỗi người dân được hỗ trợ tính 1 cho đến khi xã đạt "
                "{threshold} nhu cầu, {beyond} sau đó; nhân {border} ở xã biên giới, {remote} ở "
                "xã vùng sâu, vùng xa, {unreached} ở xã chưa có đội nào (nhân với nhau khi có "
                "nhiều yếu tố)"
            ),
            "en": (
                "How the value is counted: a resident helped counts 1 until the commune reaches "
                "{threshold} of its need, {beyond} beyond; times {border} in border communes, "
                "{remote} in remote communes, {unreached} where no team reaches (multiplied when "
                "several apply)"
            ),
        },
        "plan.moved": {
            "vi": "chuyển đội {team} từ {source} đến {target}",
            "en": "move team {team} from {source} to {target}",
        },
    }
)
