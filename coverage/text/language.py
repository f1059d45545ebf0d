"""Words of the language-aware service: minority languages, the language-gap flag, plans.

Registered in the shared catalogue (:func:`coverage.text.i18n.register`) under ``language.``
and, for the problems of the indicator file, under the problem codes
``unknown_language`` and ``not_minority_language`` (each with its ``.fix``).
"""

from __future__ import annotations

from coverage.text.i18n import Lang, register
from coverage.text.language_names import entries

LANGUAGE_TEXT: dict[str, dict[Lang, str]] = {
    # a language inside a sentence ("... mainly speak Jrai"), from the one list of names
    **entries("language.in_sentence.", "in_sentence"),
    # ---- the flag and its reason (analysis)
    "language.reason.gap": {
        "vi": "{residents} người dân chủ yếu nói {language}; không đội nào trong tầm với có người "
        "nói {language} (qua phiên dịch, việc hỗ trợ họ chỉ đạt {rate} so với bình thường)",
        "en": "{residents} residents mainly speak {language}; no team in reach has a {language} "
        "speaker (through an interpreter, helping them goes at {rate} of the usual rate)",
    },
    "language.reason.estimated": {
        "vi": "{text} [tiếng dân tộc: ƯỚC TÍNH]",
        "en": "{text} [languages: ESTIMATE]",
    },
    "language.flag": {"vi": "Thiếu người nói tiếng dân tộc", "en": "Language gap"},
    "language.field.languages": {"vi": "Tiếng dân tộc chính", "en": "Main minority languages"},
    "language.field.gap_residents": {
        "vi": "Dân nói tiếng dân tộc chưa có đội nói được",
        "en": "Residents whose language no team in reach speaks",
    },
    "language.estimate": {"vi": "ƯỚC TÍNH", "en": "ESTIMATE"},
    "language.with_estimate": {"vi": "{languages} (ƯỚC TÍNH)", "en": "{languages} (ESTIMATE)"},
    "language.none": {"vi": "không có", "en": "none"},
    "language.unknown": {
        "vi": "chưa biết (ƯỚC TÍNH chỉ có cho Gia Lai)",
        "en": "unknown (the ESTIMATE covers only Gia Lai)",
    },
    "language.unknown_note": {
        "vi": "Chưa biết tiếng dân tộc chính của {count} xã/phường: ƯỚC TÍNH MINH HOẠ chỉ có "
        "cho Gia Lai. Ở các xã này cờ thiếu người nói tiếng dân tộc không bật và tiếng nói của "
        "đội mới không thay đổi gì. Tải lên bảng chỉ số có cột minority_languages (ví dụ "
        "jrai;bahnar) để dùng.",
        "en": "Main minority languages are unknown for {count} communes: the ILLUSTRATIVE "
        "ESTIMATE covers only Gia Lai. There the language-gap flag stays off and the languages "
        "of new teams change nothing. Upload an indicator table with a minority_languages "
        "column (e.g. jrai;bahnar) to use them.",
    },
    "language.estimate_note": {
        "vi": "Tiếng dân tộc chính của mỗi xã là ƯỚC TÍNH MINH HOẠ theo quy tắc (tỷ lệ đồng bào "
        "dân tộc thiểu số và vị trí: tiếng Jrai ở cao nguyên phía tây và nam, tiếng Ba Na ở "
        "phía đông bắc, không có ở vùng đồng bằng ven biển), không phải số liệu đo đạc. Tải "
        "lên bảng chỉ số có cột minority_languages để thay thế. Quy tắc chỉ viết cho Gia "
        "Lai: ở tỉnh khác tiếng dân tộc chưa biết cho đến khi tải lên bảng đó.",
        "en": "Each commune's main minority languages are an ILLUSTRATIVE ESTIMATE from a rule "
        "(the ethnic-minority share and where the commune lies: Jrai on the western and "
        "southern plateau, Bahnar in the north-east, none in the coastal lowlands), not "
        "measured. Upload an indicator table with a minority_languages column to replace it. "
        "The rule is written for Gia Lai only: elsewhere the languages are unknown until "
        "such a table is uploaded.",
    },
    # ---- the interpreter rate (a named setting)
    "language.rate.label": {
        "vi": "Tỉ lệ hỗ trợ khi không có người nói tiếng dân tộc (%)",
        "en": "Rate of help without a speaker of the residents' language (%)",
    },
    "language.rate.help": {
        "vi": "Đội không có ai nói tiếng mẹ đẻ của người dân phải qua phiên dịch (người nhà, già "
        "làng) nên chậm hơn: 50% nghĩa là mỗi buổi mất gấp đôi thời gian. Giả định lập kế "
        "hoạch, có thể chỉnh.",
        "en": "A team with nobody who speaks the residents' first language works through an "
        "interpreter (a relative, a village elder) and is slower: 50% means a session takes "
        "twice as long. A planning assumption you can adjust.",
    },
    "language.new_teams.label": {
        "vi": "Đội mới nói được tiếng dân tộc",
        "en": "Languages the new teams speak",
    },
    "language.new_teams.help": {
        "vi": "Mỗi đội mới có ít nhất một thành viên nói các thứ tiếng này, nên giúp người dân "
        "nói tiếng đó với tỉ lệ đầy đủ; gợi ý sẽ ưu tiên nơi cần các thứ tiếng này.",
        "en": "Every new team has at least one member who speaks these languages, so it helps "
        "their speakers at the full rate; the suggestions favour places that need them.",
    },
    # ---- plans
    "language.plan.reason": {
        "vi": "chọn cả vì nhu cầu ngôn ngữ: khoảng {residents} người dân ở {names} chủ yếu nói "
        "{language} mà trước đây không đội nào trong tầm với nói được; đội nói {language} "
        "giúp thêm khoảng {extra} người so với một đội phải qua phiên dịch",
        "en": "chosen also for its language need: about {residents} residents of {names} mainly "
        "speak {language} and no team in reach spoke it; a team that speaks {language} "
        "helps about {extra} more residents than one working through an interpreter",
    },
    "language.plan.reason_speakers": {
        "vi": "chọn cả vì ngôn ngữ: khoảng {residents} người dân ở {names} chủ yếu nói "
        "{language}; đội nói {language} giúp thêm khoảng {extra} người so với một đội phải "
        "qua phiên dịch",
        "en": "chosen also for its language: about {residents} residents of {names} mainly speak "
        "{language}; a team that speaks {language} helps about {extra} more residents than "
        "one working through an interpreter",
    },
    "language.plan.settings": {
        "vi": "Đội mới nói: {languages}; đội không có người nói tiếng của người dân hỗ trợ họ với "
        "tỉ lệ {rate}",
        "en": "New teams speak: {languages}; a team with no speaker of the residents' language "
        "helps them at {rate} of the usual rate",
    },
    # ---- problems in an indicator file
    "unknown_language": {"vi": "tên ngôn ngữ không nhận ra", "en": "unknown language name"},
    "unknown_language.fix": {
        "vi": "Viết các tiếng dân tộc chính, cách nhau bằng dấu chấm phẩy, ví dụ "
        "jrai;bahnar{suggestion_vi}. Các tên dùng được: {choices}; để trống nếu người dân "
        "chủ yếu nói tiếng Việt.",
        "en": "Write the main minority languages separated by semicolons, e.g. "
        "jrai;bahnar{suggestion_en}. Names accepted: {choices}; leave it blank where "
        "residents mainly speak Vietnamese.",
    },
    "not_minority_language": {
        "vi": "tiếng Việt không phải là tiếng dân tộc thiểu số",
        "en": "Vietnamese is not a minority language",
    },
    "not_minority_language.fix": {
        "vi": "Chỉ ghi các tiếng dân tộc thiểu số (ví dụ jrai;bahnar); để trống nếu người dân chủ "
        "yếu nói tiếng Việt.",
        "en": "List only minority languages (e.g. jrai;bahnar); leave it blank where residents "
        "mainly speak Vietnamese.",
    },
}

register(LANGUAGE_TEXT)

__all__ = ["LANGUAGE_TEXT"]
