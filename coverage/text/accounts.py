"""Messages of accounts, sign-in and store faults (Vietnamese first, English second).

Registered into :mod:`coverage.text.i18n` on import; :mod:`coverage.storage.store` and
:mod:`coverage.storage.accounts` import this module, so the keys exist wherever their errors do.
"""

from __future__ import annotations

from coverage.text.i18n import register

register(
    {
        # ---- store faults (coverage.storage.store.StoreFaultError and subclasses)
        "storage.fault.locked": {
            "vi": "Tệp dữ liệu {file} đang bị một chương trình khác khoá để ghi; đã chờ {seconds} "
            "giây mà chưa được. Có thể đang giữ tệp: {holders}",
            "en": "The data file {file} is locked for writing by another program; waited {seconds} "
            "s without success. It may be held by: {holders}",
        },
        "storage.fault.locked.fix": {
            "vi": "Chưa có gì bị ghi và những gì bạn nhập vẫn còn trên trang: đợi một lát rồi bấm "
            "lưu lại. Nếu vẫn bị khoá, đóng chương trình đang mở tệp (ví dụ DB Browser for SQLite, "
            "phần mềm sao lưu hoặc đồng bộ) hoặc đợi lệnh python -m coverage đang chạy kết thúc.",
            "en": "Nothing was written and what you entered is still on the page: wait a moment "
            "and save again. If it stays locked, close the program that has the file open (for "
            "example DB Browser for SQLite, a backup or sync tool) or let the running python -m "
            "coverage command finish.",
        },
        "storage.fault.holders_unknown": {
            "vi": "một lượt lưu khác của ứng dụng, một lệnh python -m coverage, hoặc một chương "
            "trình đang mở tệp",
            "en": "another save in the app, a python -m coverage command, or a program that has "
            "the file open",
        },
        "storage.fault.holder_self": {
            "vi": "một lượt lưu khác trong chính ứng dụng này (tiến trình {pid})",
            "en": "another save in this same app (process {pid})",
        },
        "storage.fault.holder": {
            "vi": "chương trình {name} (tiến trình {pid})",
            "en": "the program {name} (process {pid})",
        },
        "storage.fault.read_only": {
            "vi": "Không ghi được vào tệp dữ liệu {file}: tệp hoặc thư mục {folder} chỉ cho phép "
            "đọc",
            "en": "Cannot write to the data file {file}: the file or its folder {folder} is "
            "read-only",
        },
        "storage.fault.read_only.fix": {
            "vi": "Chưa có gì bị ghi; bạn vẫn xem được mọi dữ liệu đã lưu và những gì bạn nhập vẫn "
            "còn trên trang. Nhờ cán bộ kỹ thuật cấp quyền ghi cho thư mục này, hoặc chạy ứng dụng "
            "với thư mục dữ liệu khác (biến môi trường COVERAGE_DATA_DIR).",
            "en": "Nothing was written; everything saved can still be read and what you entered is "
            "still on the page. Ask IT to allow writing to this folder, or run the app with "
            "another data folder (environment variable COVERAGE_DATA_DIR).",
        },
        "storage.fault.full": {
            "vi": "Không lưu được vào tệp dữ liệu {file}: ổ đĩa đã đầy hoặc tệp đã đạt giới hạn "
            "dung lượng (còn trống {free})",
            "en": "Could not save to the data file {file}: the disk is full or the file reached "
            "its size limit ({free} free)",
        },
        "storage.fault.full.fix": {
            "vi": "Chưa có gì bị ghi dở và những gì bạn nhập vẫn còn trên trang. Giải phóng dung "
            "lượng ổ đĩa (xoá tệp tạm, báo cáo cũ) rồi bấm lưu lại.",
            "en": "Nothing was half-written and what you entered is still on the page. Free some "
            "disk space (temporary files, old reports) and save again.",
        },
        "storage.fault.missing": {
            "vi": "Không tìm thấy tệp dữ liệu {file} trong thư mục {folder} (tệp đã bị xoá, đổi "
            "tên, hoặc ổ đĩa/thư mục mạng bị ngắt?)",
            "en": "The data file {file} is not in the folder {folder} (deleted, renamed, or the "
            "drive or network folder disconnected?)",
        },
        "storage.fault.missing.fix": {
            "vi": "Chưa có gì bị ghi. Cắm lại ổ đĩa hoặc khôi phục tệp từ bản sao lưu rồi tải lại "
            "trang; nếu muốn bắt đầu một tệp dữ liệu mới, khởi động lại ứng dụng.",
            "en": "Nothing was written. Reconnect the drive or restore the file from a backup and "
            "reload the page; to start a new, empty data file, restart the app.",
        },
        "storage.fault.unusable": {
            "vi": "Không đọc được tệp dữ liệu {file}: tệp bị hỏng hoặc không phải tệp dữ liệu của "
            "công cụ này ({detail})",
            "en": "Cannot read the data file {file}: it is damaged or not this tool's data file "
            "({detail})",
        },
        "storage.fault.unusable.fix": {
            "vi": "Chưa có gì bị ghi. Khôi phục tệp từ bản sao lưu, hoặc chuyển tệp hỏng sang chỗ "
            "khác để ứng dụng tạo tệp mới.",
            "en": "Nothing was written. Restore the file from a backup, or move the damaged file "
            "away so the app starts a new one.",
        },
        # ---- permissions (coverage.storage.accounts.PermissionDeniedError)
        "accounts.denied": {
            "vi": "Tài khoản {username} (vai trò: {role}) không được {action}",
            "en": "The account {username} (role: {role}) may not {action}",
        },
        "accounts.denied.fix": {
            "vi": "Chưa có gì bị thay đổi. Nếu bạn cần làm việc này, nhờ quản trị viên cấp vai trò "
            "phù hợp.",
            "en": "Nothing was changed. If you need to do this, ask an administrator for a "
            "suitable role.",
        },
        "accounts.denied_commune": {
            "vi": "Tài khoản {username} (vai trò: {role}) chỉ được {action} cho các xã/phường "
            "{communes}, không phải {commune}",
            "en": "The account {username} (role: {role}) may {action} only for the communes "
            "{communes}, not {commune}",
        },
        "accounts.denied_commune.fix": {
            "vi": "Chưa có gì bị thay đổi. Chọn một đội của xã/phường mình, hoặc nhờ quản trị viên "
            "thêm xã/phường này vào tài khoản.",
            "en": "Nothing was changed. Choose a team of your own communes, or ask an "
            "administrator to add this commune to your account.",
        },
        "accounts.role.administrator": {"vi": "quản trị viên", "en": "administrator"},
        "accounts.role.planner": {"vi": "cán bộ lập kế hoạch", "en": "planner"},
        "accounts.role.reporter": {"vi": "cơ sở báo cáo (xã/phường)", "en": "commune reporter"},
        "accounts.role.viewer": {"vi": "chỉ xem", "en": "viewer"},
        "accounts.action.manage_users": {"vi": "quản lý tài khoản", "en": "manage accounts"},
        "accounts.action.write_roster": {"vi": "sửa danh sách đội", "en": "change the team roster"},
        "accounts.action.write_indicators": {"vi": "thay bộ chỉ số", "en": "change the indicators"},
        "accounts.action.write_scenarios": {
            "vi": "lưu, đổi tên hay xoá kịch bản",
            "en": "save, rename or delete scenarios",
        },
        "accounts.action.write_targets": {"vi": "đặt chỉ tiêu", "en": "set targets"},
        "accounts.action.write_activity": {
            "vi": "nhập báo cáo hoạt động",
            "en": "enter activity reports",
        },
        "accounts.local_planner": {
            "vi": "người lập kế hoạch trên máy này",
            "en": "the planner on this machine",
        },
        # ---- account management (coverage.storage.accounts.AccountError)
        "accounts.error.bad_username": {
            "vi": "Tên đăng nhập '{username}' không hợp lệ",
            "en": "The user name '{username}' is not valid",
        },
        "accounts.error.bad_username.fix": {
            "vi": "Dùng 2-40 ký tự: chữ không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang "
            "(ví dụ lan.nguyen).",
            "en": "Use 2-40 characters: letters without accents, digits, dot, underscore or hyphen "
            "(for example lan.nguyen).",
        },
        "accounts.error.exists": {
            "vi": "Đã có tài khoản '{username}'",
            "en": "An account '{username}' already exists",
        },
        "accounts.error.exists.fix": {
            "vi": "Chọn tên đăng nhập khác, hoặc đặt lại mật khẩu: python -m coverage users "
            "reset-password {username}.",
            "en": "Choose another user name, or reset the password: python -m coverage users "
            "reset-password {username}.",
        },
        "accounts.error.not_found": {
            "vi": "Không có tài khoản '{username}'",
            "en": "There is no account '{username}'",
        },
        "accounts.error.not_found.fix": {
            "vi": "Xem danh sách: python -m coverage users list.",
            "en": "See the list: python -m coverage users list.",
        },
        "accounts.error.weak_password": {
            "vi": "Mật khẩu quá ngắn ({length} ký tự)",
            "en": "The password is too short ({length} characters)",
        },
        "accounts.error.weak_password.fix": {
            "vi": "Dùng ít nhất {minimum} ký tự; một câu ngắn dễ nhớ là mật khẩu tốt.",
            "en": "Use at least {minimum} characters; a short sentence you remember makes a good "
            "password.",
        },
        "accounts.error.bad_role": {
            "vi": "Vai trò '{role}' không có",
            "en": "There is no role '{role}'",
        },
        "accounts.error.bad_role.fix": {
            "vi": "Dùng một trong: administrator, planner, reporter, viewer.",
            "en": "Use one of: administrator, planner, reporter, viewer.",
        },
        "accounts.error.reporter_communes": {
            "vi": "Tài khoản cơ sở báo cáo cần ít nhất một mã xã/phường",
            "en": "A commune reporter account needs at least one commune code",
        },
        "accounts.error.reporter_communes.fix": {
            "vi": "Thêm --communes với mã 5 chữ số, ví dụ --communes 23416,23419.",
            "en": "Add --communes with 5-digit codes, for example --communes 23416,23419.",
        },
        "accounts.error.last_administrator": {
            "vi": "'{username}' là quản trị viên duy nhất còn hoạt động",
            "en": "'{username}' is the only active administrator",
        },
        "accounts.error.last_administrator.fix": {
            "vi": "Tạo một quản trị viên khác trước khi khoá tài khoản này.",
            "en": "Create another administrator before disabling this one.",
        },
        # ---- sign-in (coverage.storage.accounts.SignInError)
        "accounts.sign_in.failed": {
            "vi": "Tên đăng nhập hoặc mật khẩu không đúng",
            "en": "Wrong user name or password",
        },
        "accounts.sign_in.failed.fix": {
            "vi": "Kiểm tra lại (chú ý bộ gõ tiếng Việt và phím Caps Lock). Quên mật khẩu thì nhờ "
            "quản trị viên đặt lại.",
            "en": "Check and try again (mind the Vietnamese keyboard and Caps Lock). If you forgot "
            "the password, ask an administrator to reset it.",
        },
        "accounts.sign_in.wait": {
            "vi": "Đã nhập sai {failures} lần liên tiếp cho tài khoản này",
            "en": "{failures} wrong attempts in a row for this account",
        },
        "accounts.sign_in.wait.fix": {
            "vi": "Để bảo vệ tài khoản, hãy đợi {seconds} giây rồi thử lại.",
            "en": "To protect the account, wait {seconds} s and try again.",
        },
        "accounts.sign_in.disabled": {
            "vi": "Tài khoản này đã bị khoá",
            "en": "This account is disabled",
        },
        "accounts.sign_in.disabled.fix": {
            "vi": "Nhờ quản trị viên mở lại tài khoản.",
            "en": "Ask an administrator to enable it again.",
        },
        # ---- app: sign-in page and gate
        "accounts.ui.title": {"vi": "Đăng nhập", "en": "Sign in"},
        "accounts.ui.intro": {
            "vi": "Ứng dụng đang mở cho mạng nội bộ nên cần đăng nhập. Tài khoản do quản trị viên "
            "của Tỉnh đoàn cấp.",
            "en": "The app is open to the office network, so you need to sign in. Accounts are "
            "given by the provincial Youth Union's administrator.",
        },
        "accounts.ui.username": {"vi": "Tên đăng nhập", "en": "User name"},
        "accounts.ui.password": {"vi": "Mật khẩu", "en": "Password"},
        "accounts.ui.submit": {"vi": "Đăng nhập", "en": "Sign in"},
        "accounts.ui.sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
        "accounts.ui.signed_in_as": {
            "vi": "Đang đăng nhập: {username} ({role})",
            "en": "Signed in: {username} ({role})",
        },
        "accounts.ui.local": {
            "vi": "Chỉ máy này mở được ứng dụng; thay đổi được ghi là của {name}.",
            "en": "Only this machine can open the app; changes are recorded as {name}.",
        },
        "accounts.ui.expired": {
            "vi": "Phiên làm việc đã hết hạn (không dùng quá {minutes} phút, hoặc đã đăng nhập quá "
            "{hours} giờ). Hãy đăng nhập lại.",
            "en": "The session expired (idle for more than {minutes} minutes, or signed in for "
            "more than {hours} hours). Please sign in again.",
        },
        "accounts.ui.account_gone": {
            "vi": "Tài khoản đã bị khoá hoặc xoá; hãy đăng nhập bằng tài khoản khác.",
            "en": "The account was disabled or removed; sign in with another account.",
        },
        "accounts.ui.signed_out": {"vi": "Đã đăng xuất.", "en": "Signed out."},
        "accounts.ui.no_admin": {
            "vi": "Ứng dụng đang mở cho mạng nội bộ nhưng chưa có tài khoản quản trị viên nào, nên "
            "chưa ai đăng nhập được. Trên máy chủ, chạy: {command}",
            "en": "The app is open to the network but there is no administrator account yet, so "
            "nobody can sign in. On the server, run: {command}",
        },
        "accounts.ui.read_only_role": {
            "vi": "Vai trò này không sửa được danh sách đội, chỉ số hay kịch bản; mọi lần lưu sẽ "
            "bị từ chối.",
            "en": "This role cannot change the roster, indicators or scenarios; every save is "
            "refused.",
        },
        # ---- CLI: users, and app start-up
        "accounts.cli.no_admin": {
            "vi": "Không khởi động: ứng dụng sẽ mở cho mạng ({address}) nên mọi người phải đăng "
            "nhập, nhưng chưa có tài khoản quản trị viên nào trong {file}. Tạo một tài khoản "
            "trước:\n  {command}\nrồi chạy lại lệnh này.",
            "en": "Not starting: the app would be open to the network ({address}), so everyone "
            "must sign in, but {file} has no administrator account yet. Create one first:\n  "
            "{command}\nthen run this command again.",
        },
        "accounts.cli.sign_in_on": {
            "vi": "Mở cho mạng ({address}): mọi người phải đăng nhập ({count} tài khoản đang hoạt "
            "động).",
            "en": "Open to the network ({address}): everyone must sign in ({count} active "
            "accounts).",
        },
        "accounts.cli.added": {
            "vi": "Đã tạo tài khoản {username} ({role}).",
            "en": "Account {username} ({role}) created.",
        },
        "accounts.cli.reset": {
            "vi": "Đã đặt lại mật khẩu cho {username}.",
            "en": "Password of {username} reset.",
        },
        "accounts.cli.disabled": {
            "vi": "Đã khoá tài khoản {username}; các thay đổi cũ vẫn ghi tên này.",
            "en": "Account {username} disabled; its earlier changes keep its name.",
        },
        "accounts.cli.enabled": {
            "vi": "Đã mở lại tài khoản {username}.",
            "en": "Account {username} enabled again.",
        },
        "accounts.cli.none": {"vi": "Chưa có tài khoản nào.", "en": "No accounts yet."},
        "accounts.cli.password_prompt": {
            "vi": "Mật khẩu cho {username}: ",
            "en": "Password for {username}: ",
        },
        "accounts.cli.password_again": {"vi": "Nhập lại mật khẩu: ", "en": "Password again: "},
        "accounts.cli.password_mismatch": {
            "vi": "Hai lần nhập mật khẩu khác nhau; chưa có gì thay đổi.",
            "en": "The two passwords differ; nothing was changed.",
        },
        "accounts.cli.list_header": {
            "vi": "tên đăng nhập | vai trò | xã/phường | trạng thái | họ tên",
            "en": "user name | role | communes | status | full name",
        },
        "accounts.cli.active": {"vi": "hoạt động", "en": "active"},
        "accounts.cli.disabled_status": {"vi": "đã khoá", "en": "disabled"},
    }
)
