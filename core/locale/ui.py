"""Messages of the UI (tabs/): status lines, History, Settings, run cards, share pages.

Handlers write them with `tabs.i18n.tr(lang, key, **values)`.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # status line and results (tabs.job_stream, tabs.progress_bar, tabs.results_view): plain
    # words, no emoji (the page draws its icons) and no Markdown (the page sets them as HTML)
    "seconds": {"en": "{seconds:.0f} s", "zh": "{seconds:.0f} 秒"},
    "minutes": {"en": "{minutes} min {seconds:02d} s", "zh": "{minutes} 分 {seconds:02d} 秒"},
    "queued": {
        "en": "Queued{where} · {waited} waiting",
        "zh": "排队中{where} · 已等待 {waited}",
    },
    "queued_position": {"en": " — position {position} in line", "zh": " — 前面还有 {position} 位"},
    "running": {"en": "Running", "zh": "运行中"},
    "elapsed": {"en": "{duration} elapsed", "zh": "已用时 {duration}"},
    "left": {"en": "about {duration} left", "zh": "预计还需 {duration}"},
    "usual_estimate": {
        "en": "estimated from the usual {duration}",
        "zh": "按通常用时 {duration} 估算",
    },
    "longer_than_usual": {
        "en": "taking longer than the usual {duration}",
        "zh": "比通常的 {duration} 更久",
    },
    "done_one": {
        "en": "Done in {duration} — {count} file",
        "zh": "完成，用时 {duration} — 共 {count} 个文件",
    },
    "done_many": {
        "en": "Done in {duration} — {count} files",
        "zh": "完成，用时 {duration} — 共 {count} 个文件",
    },
    "stopped_none": {
        "en": "Stopped after {duration} — no file was finished yet",
        "zh": "已停止，用时 {duration} — 还没有完成的文件",
    },
    "stopped_one": {
        "en": "Stopped after {duration} — {count} file kept",
        "zh": "已停止，用时 {duration} — 保留了 {count} 个文件",
    },
    "stopped_many": {
        "en": "Stopped after {duration} — {count} files kept",
        "zh": "已停止，用时 {duration} — 保留了 {count} 个文件",
    },
    "failed": {"en": "Failed: {message}", "zh": "失败：{message}"},
    "progress_queued": {"en": "Queued", "zh": "排队中"},
    "progress_done": {"en": "Done", "zh": "完成"},
    "track_title": {"en": "Track {number}", "zh": "第 {number} 首"},
    "track_download": {"en": "Download", "zh": "下载"},
    "before": {"en": "Before", "zh": "处理前"},
    "after": {"en": "After", "zh": "处理后"},
    "before_unknown": {
        "en": "The source is the provider's own video ({source}).",
        "zh": "源视频在提供方那里（{source}）。",
    },
    # errors and warnings
    "error_invalid": {"en": "Invalid input", "zh": "输入有误"},
    "error_failed": {"en": "The job did not finish", "zh": "任务没有完成"},
    "warning": {"en": "Warning", "zh": "提示"},
    "error": {"en": "Error", "zh": "出错了"},
    "nothing_to_send": {
        "en": "Nothing to send yet: generate something first.",
        "zh": "还没有可以发送的结果：请先生成。",
    },
    # history
    "no_job": {"en": "No job with id `{job_id}`.", "zh": "没有 ID 为 `{job_id}` 的任务。"},
    "still_running": {
        "en": "This job is still running: press **Cancel job** first, then delete it.",
        "zh": "这个任务还在运行：请先点**取消任务**，再删除。",
    },
    "tick_confirm": {
        "en": "Tick **Yes, delete this job and its files** first: there is no undo.",
        "zh": "请先勾选**确认删除这个任务及其文件**：删除后无法恢复。",
    },
    "deleted_one": {
        "en": "Deleted job `{job_id}` and {count} file.",
        "zh": "已删除任务 `{job_id}` 及 {count} 个文件。",
    },
    "deleted_many": {
        "en": "Deleted job `{job_id}` and {count} files.",
        "zh": "已删除任务 `{job_id}` 及 {count} 个文件。",
    },
    "deleted_short": {"en": "Deleted.", "zh": "已删除。"},
    "cancelling": {
        "en": "Cancelling the job: it stops in a moment (the provider is told where it can be).",
        "zh": "正在取消任务：马上就会停止（能通知提供方的会通知到）。",
    },
    "deleted_while_watched": {
        "en": "This job was deleted while being watched.",
        "zh": "跟踪期间这个任务已被删除。",
    },
    "so_far": {"en": "{duration} so far", "zh": "已进行 {duration}"},
    "heading": {
        "en": "**{capability}** · {provider} · started {started} · {duration}",
        "zh": "**{capability}** · {provider} · 开始于 {started} · {duration}",
    },
    "missing_one": {
        "en": "{count} output file is no longer on disk.",
        "zh": "有 {count} 个输出文件已不在磁盘上。",
    },
    "missing_many": {
        "en": "{count} output files are no longer on disk.",
        "zh": "有 {count} 个输出文件已不在磁盘上。",
    },
    "settings_loaded": {
        "en": "Settings of `{job_id}` loaded into **{capability}**.",
        "zh": "已将 `{job_id}` 的参数载入 **{capability}**。",
    },
    "event_headers": {"en": "Time|State|Percent|Message", "zh": "时间|状态|进度|消息"},
    # history: the gallery of cards and the detail of one job
    "hist_empty": {
        "en": "No jobs here yet: run something in a tab and it shows up here.",
        "zh": "这里还没有任务：在任一标签页生成后，它会出现在这里。",
    },
    "show_all_files": {"en": "Show all {count} files", "zh": "显示全部 {count} 个文件"},
    # settings
    "keys_saved": {
        "en": "Session keys saved: {names}.",
        "zh": "本会话已保存的密钥：{names}。",
    },
    "keys_none": {"en": "No session keys saved.", "zh": "本会话尚未保存密钥。"},
    "keys_remembered": {"en": " Remembered in this browser.", "zh": " 已在此浏览器中记住。"},
    "keys_restored": {"en": " Restored from this browser.", "zh": " 已从此浏览器恢复。"},
    "keys_cleared": {"en": "Session keys cleared.", "zh": "已清除本会话的密钥。"},
    # keys: the key rule (core/keys.py) and jobs resumed with the keys (per-visitor key safety)
    "key_refused": {
        "en": "{field} was not saved: a key must be at least {min} characters long, contain letters or digits, and have no spaces.",
        "zh": "{field} 未保存：密钥至少 {min} 个字符，须包含字母或数字，且不能有空格。",
    },
    "keys_resumed_one": {
        "en": " {count} job that was waiting for your key is running again.",
        "zh": " 有 {count} 个等待你密钥的任务已继续运行。",
    },
    "keys_resumed_many": {
        "en": " {count} jobs that were waiting for your key are running again.",
        "zh": " 有 {count} 个等待你密钥的任务已继续运行。",
    },
    "status_headers": {
        "en": "Provider|Serves|Keys|Mode|Address|In your pickers|Reachable",
        "zh": "提供方|提供功能|密钥|模式|地址|在你的列表中|可连通",
    },
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "not_set": {"en": "not set", "zh": "未设置"},
    "not_checked": {"en": "— (press Check)", "zh": "—（请点检查）"},
    "no_address": {"en": "no address set", "zh": "未设置地址"},
    # settings: where a provider's keys come from, and what the reachability check found
    "key_state_no_key_needed": {"en": "no key needed", "zh": "无需密钥"},
    "key_state_session": {"en": "session key", "zh": "会话密钥"},
    "key_state_sandbox": {"en": "sandbox (dummy keys)", "zh": "沙盒（假密钥）"},
    "key_state_server_unused": {
        "en": "server key (not used: visitors bring their own)",
        "zh": "服务器密钥（不使用：访客需自备）",
    },
    "key_state_server": {"en": "server key", "zh": "服务器密钥"},
    "key_state_partial": {
        "en": "partial session key (missing {missing})",
        "zh": "部分会话密钥（缺少 {missing}）",
    },
    "key_state_none": {"en": "none", "zh": "无"},
    "reach_ok_line": {
        "en": "Reachable: answered HTTP {status} in {ms} ms",
        "zh": "可连通：{ms} 毫秒内回应 HTTP {status}",
    },
    "reach_fail_line": {"en": "Not reachable: {detail}", "zh": "不可连通：{detail}"},
    # run card
    "card_job": {
        "en": "**{capability}** · {provider} · state: {state} · job `{job_id}`",
        "zh": "**{capability}** · {provider} · 状态：{state} · 任务 `{job_id}`",
    },
    "card_parameters": {"en": "Parameters:", "zh": "参数："},
    "card_request": {
        "en": "Provider request (keys redacted):",
        "zh": "发给提供方的请求（已隐去密钥）：",
    },
    "card_offline": {
        "en": "Made on this machine by the offline engine: no provider request.",
        "zh": "由本机的离线引擎生成：没有发给提供方的请求。",
    },
    # the offline painter's reading of the prompt (run card)
    "card_words": {
        "en": "Words the offline painter drew: {understood}. Words it did not understand: "
        "{not_understood}.",
        "zh": "离线画师画出的词：{understood}。没有理解的词：{not_understood}。",
    },
    # who this browser is on a public studio (Settings)
    "visitor_line": {
        "en": "You are visitor **{visitor}** here: your jobs are yours alone. From Python or an MCP client, send the header `X-Studio-Visitor: {token}` to reach them (keep it private, like a password).",
        "zh": "你在这里是访客 **{visitor}**：你的任务只属于你。在 Python 或 MCP 客户端中发送请求头 `X-Studio-Visitor: {token}` 即可访问它们（请像密码一样保密）。",
    },
    # share links
    "share_heading": {
        "en": "{capability} · {provider} · {state} · made {when}",
        "zh": "{capability} · {provider} · {state} · 生成于 {when}",
    },
    "share_parameters": {"en": "Parameters", "zh": "参数"},
    "share_request": {
        "en": "Provider request (keys redacted)",
        "zh": "发给提供方的请求（已隐去密钥）",
    },
    "share_no_files": {"en": "This job has no files to show.", "zh": "这个任务没有可显示的文件。"},
    "share_made": {
        "en": "Anyone with this link can see this job's result, parameters and run card (never your keys): {link}",
        "zh": "任何拿到此链接的人都能看到这个任务的结果、参数和运行卡片（绝不含密钥）：{link}",
    },
    "share_revoked": {
        "en": "The share link of this job no longer works.",
        "zh": "这个任务的分享链接已失效。",
    },
    "share_none": {"en": "This job had no share link.", "zh": "这个任务没有分享链接。"},
    # transcript: the job's provider calls in the run card and History
    # (tabs/run_card.py transcript_markdown)
    "transcript_heading": {
        "en": "**Provider calls** ({count}, keys masked; all that were kept are in transcript.json, in Download all):",
        "zh": "**与提供方的通信**（共 {count} 次，已隐去密钥；保留的全部记录在“全部下载”里的 transcript.json）：",
    },
    "transcript_none": {
        "en": "No record of this job's provider calls was kept (the job is older than these records, or it made no call).",
        "zh": "没有保存这个任务与提供方的通信记录（任务早于此功能，或没有发出请求）。",
    },
    "transcript_gap": {
        "en": "⋯ {count} calls in between are not shown",
        "zh": "⋯ 中间还有 {count} 次请求未显示",
    },
    "transcript_create": {"en": "create (sent once)", "zh": "创建任务（只发一次）"},
    "transcript_download": {"en": "result file", "zh": "结果文件"},
    "transcript_attempt": {"en": "try {attempt}", "zh": "第 {attempt} 次尝试"},
    "transcript_no_answer": {"en": "no answer ({error})", "zh": "没有应答（{error}）"},
    "transcript_request": {"en": "Request", "zh": "请求"},
    "transcript_answer": {"en": "Answer", "zh": "应答"},
    "transcript_binary": {
        "en": "Not text: {size} bytes ({type}), not shown.",
        "zh": "不是文本：{size} 字节（{type}），不显示。",
    },
    "transcript_cut": {
        "en": "Only the beginning of {size} bytes is shown.",
        "zh": "共 {size} 字节，只显示开头部分。",
    },
}
