"""Messages of the provider adapters (providers/): the registry, the shared request helper and
each remote provider's states and errors.

`provider` is a provider's label (a name, never translated); `said` is a provider's own words,
quoted as they came.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- the registry --------------------------------------------------------------------
    "provider_not_a_name": {
        "en": "{value} is not a provider name; allowed: {allowed}",
        "zh": "{value} 不是提供方名称；可选：{allowed}",
    },
    "provider_not_available": {
        "en": "{value} is not available for {capability}; allowed: {allowed}",
        "zh": "{value} 不能用于 {capability}；可选：{allowed}",
    },
    "provider_needs_key": {
        "en": "{value} is not available for {capability}; allowed: {allowed} "
        "(add its key in Settings or .env)",
        "zh": "{value} 不能用于 {capability}；可选：{allowed}（请在“设置”或 .env 中添加它的密钥）",
    },
    "provider_does_not_serve": {
        "en": "{provider} does not serve {capability}",
        "zh": "{provider} 不提供 {capability}",
    },
    # --- keys and answers (providers/remote_base.py) ----------------------------------------
    "provider_not_configured": {
        "en": "{provider} is not configured: set {names} (or enter your own key in Settings).",
        "zh": "{provider} 尚未配置：请设置 {names}（或在“设置”中填写你自己的密钥）。",
    },
    "provider_check_keys": {
        "en": "{what}. Check {names} in Settings.",
        "zh": "{what}。请在“设置”中检查 {names}。",
    },
    "provider_answer_too_large": {
        "en": "{provider} sent an answer too large to be a task status.",
        "zh": "{provider} 返回的内容过大，不可能是任务状态。",
    },
    "provider_answer_not_json": {
        "en": "{provider} answered with something that is not JSON (HTTP {code}).",
        "zh": "{provider} 返回的内容不是 JSON（HTTP {code}）。",
    },
    "provider_answer_unreadable": {
        "en": "{provider} sent an answer the studio cannot read.",
        "zh": "{provider} 返回了工作室无法解读的内容。",
    },
    "provider_status_unreadable": {
        "en": "{provider} sent a task status the studio cannot read.",
        "zh": "{provider} 返回了工作室无法解读的任务状态。",
    },
    "provider_status_without_data": {
        "en": "{provider} sent a task status without data.",
        "zh": "{provider} 返回的任务状态没有数据。",
    },
    "provider_said": {
        "en": "{what} It said: {said}",
        "zh": "{what} 对方说：{said}",
    },
    "provider_no_reason": {"en": "no reason given", "zh": "未给出原因"},
    "provider_http_refused_key": {
        "en": "{provider} refused the key (HTTP {code}): check it in Settings.",
        "zh": "{provider} 拒绝了密钥（HTTP {code}）：请在“设置”中检查。",
    },
    "provider_http_unknown_address": {
        "en": "{provider} does not know this address (HTTP {code}): check its base URL.",
        "zh": "{provider} 不认识这个地址（HTTP {code}）：请检查它的基础 URL。",
    },
    "provider_http_rate_limited": {
        "en": "{provider} is limiting our requests (HTTP {code}); try again in a minute.",
        "zh": "{provider} 正在限制我们的请求（HTTP {code}）；请一分钟后再试。",
    },
    "provider_http_server_error": {
        "en": "{provider} had a server error (HTTP {code}); try again later.",
        "zh": "{provider} 服务器出错（HTTP {code}）；请稍后再试。",
    },
    "provider_http_refused": {
        "en": "{provider} refused the request (HTTP {code}).",
        "zh": "{provider} 拒绝了请求（HTTP {code}）。",
    },
    # --- the network ---------------------------------------------------------------------
    "provider_network_timeout": {"en": "it did not answer in time", "zh": "对方没有及时应答"},
    "provider_network_refused": {
        "en": "the connection was refused or the host was not found",
        "zh": "连接被拒绝或找不到主机",
    },
    "provider_network_broken": {"en": "the connection broke", "zh": "连接中断了"},
    "provider_create_not_sent": {
        "en": "Could not reach {provider} ({why}); the task was not created. "
        "Try again in a moment.",
        "zh": "无法连接 {provider}（{why}）；任务没有创建。请稍后再试。",
    },
    "provider_create_outcome_unknown": {
        "en": "The request reached {provider} but no answer came back ({why}), so the task may "
        "or may not have been created. Check your {provider} account before trying again, "
        "so as not to pay twice.",
        "zh": "请求已送达 {provider}，但没有收到应答（{why}），任务可能已创建，也可能没有。"
        "再试之前请先查看你的 {provider} 账户，以免重复付费。",
    },
    "provider_call_not_answered": {
        "en": "Could not reach {provider} to {what} ({why}); will try again.",
        "zh": "无法连接 {provider} 以{what}（{why}）；稍后会再试。",
    },
    "provider_to_check_task": {"en": "check the task", "zh": "查询任务"},
    "provider_to_upload_song": {"en": "upload the song", "zh": "上传歌曲"},
    "provider_to_look_up_task": {"en": "look the task up", "zh": "查找任务"},
    # --- states several providers share ----------------------------------------------------
    "provider_working": {"en": "{provider} is working on it", "zh": "{provider} 正在处理"},
    "provider_reports": {"en": "{provider} reports {status}", "zh": "{provider} 报告状态 {status}"},
    "provider_reports_nothing": {
        "en": "{provider} reports no status",
        "zh": "{provider} 未报告状态",
    },
    # --- Img Open ------------------------------------------------------------------------
    "imgopen_refused_task": {
        "en": "{provider} refused the task (code {code}): {said}",
        "zh": "{provider} 拒绝了任务（代码 {code}）：{said}",
    },
    "imgopen_no_report": {
        "en": "{provider} could not report the task (code {code}): {said}",
        "zh": "{provider} 无法报告任务状态（代码 {code}）：{said}",
    },
    "imgopen_refused_request": {
        "en": "{provider} refused the request (code {code}): {said}",
        "zh": "{provider} 拒绝了请求（代码 {code}）：{said}",
    },
    "imgopen_images": {"en": "images", "zh": "图片"},
    "imgopen_audio_files": {"en": "audio files", "zh": "音频文件"},
    "imgopen_failed_said": {
        "en": "{provider} could not finish the task: {said}",
        "zh": "{provider} 未能完成任务：{said}",
    },
    "imgopen_failed_status": {
        "en": "{provider} could not finish the task (status {status})",
        "zh": "{provider} 未能完成任务（状态 {status}）",
    },
    "imgopen_all_blocked": {
        "en": "{provider}'s content moderation blocked all {blocked} of the {what}; "
        "try a different prompt.",
        "zh": "{provider} 的内容审核拦截了全部 {blocked} 个{what}；请换一个提示词。",
    },
    "imgopen_none_sent": {
        "en": "{provider} finished the task but sent no {what}.",
        "zh": "{provider} 完成了任务，但没有发回{what}。",
    },
    "imgopen_some_blocked": {
        "en": "{provider}'s content moderation blocked {blocked} of the {total} {what}; "
        "they are left out.",
        "zh": "{provider} 的内容审核拦截了 {total} 个{what}中的 {blocked} 个；它们已被略去。",
    },
    "imgopen_waiting_listing": {
        "en": "Waiting for {provider} to list the task",
        "zh": "等待 {provider} 列出任务",
    },
    "imgopen_task_forgotten": {
        "en": "{provider} does not know this task any more; it cannot be followed.",
        "zh": "{provider} 已不再认得这个任务；无法继续跟踪。",
    },
    # --- Img Open: states it does not document, the checkpoint (issue 12) ------------------
    "imgopen_state_unknown": {
        "en": "{provider} reports state {state} ({said}); waiting for the task to finish",
        "zh": "{provider} 报告状态 {state}（{said}）；正在等待任务完成",
    },
    "imgopen_no_desc": {"en": "no description", "zh": "无说明"},
    "imgopen_state_overdue": {
        "en": "{provider} still reports state {state} ({said}) {minutes} minutes after the "
        "task was sent; the studio stopped following it. It may still finish in your "
        "{provider} account.",
        "zh": "任务提交 {minutes} 分钟后，{provider} 仍报告状态 {state}（{said}）；"
        "工作室已停止跟踪。任务仍可能在你的 {provider} 账户中完成。",
    },
    "imgopen_wants_checkpoint": {
        "en": "{what} Fill in checkpoint (sd_model_checkpoint), for example {example}.",
        "zh": "{what} 请填写 checkpoint（sd_model_checkpoint），例如 {example}。",
    },
    # --- Tencent Multimedia Lab ------------------------------------------------------------
    "tencent_image_suffix": {
        "en": "a {suffix} file is not accepted; allowed: png, jpg, jpeg, webp",
        "zh": "不接受 {suffix} 文件；可选：png、jpg、jpeg、webp",
    },
    "tencent_needs_public_url": {
        "en": "Tencent fetches the image from a URL, and this app has no public address for an "
        "uploaded file: paste an image_url instead, or set STUDIO_PUBLIC_URL to the app's "
        "public address.",
        "zh": "腾讯从 URL 获取图片，而本应用没有可供上传文件使用的公网地址：请改为粘贴 image_url，"
        "或将 STUDIO_PUBLIC_URL 设为本应用的公网地址。",
    },
    "tencent_submitted": {"en": "Submitted to {provider}", "zh": "已提交给 {provider}"},
    "tencent_composing": {"en": "{provider} is composing", "zh": "{provider} 正在作曲"},
    "tencent_canceled": {
        "en": "The task was canceled at {provider}.",
        "zh": "任务已在 {provider} 被取消。",
    },
    "tencent_failed": {
        "en": "{provider} could not make the music: {said}",
        "zh": "{provider} 未能生成音乐：{said}",
    },
    "tencent_reports_state": {
        "en": "{provider} reports state {state}",
        "zh": "{provider} 报告状态 {state}",
    },
    "tencent_needs_output_base": {
        "en": "{provider} finished, but it saved the music in your storage bucket and "
        "TENCENT_MMLAB_OUTPUT_BASE_URL is not set, so the studio cannot download it. "
        "Set it to the bucket's address; the files are: {files}",
        "zh": "{provider} 已完成，但音乐保存在你的存储桶中，而 TENCENT_MMLAB_OUTPUT_BASE_URL "
        "未设置，工作室无法下载。请将它设为存储桶的地址；文件为：{files}",
    },
    "tencent_no_result": {
        "en": "{provider} finished the task but named no result file.",
        "zh": "{provider} 完成了任务，但没有给出结果文件。",
    },
    "tencent_refused_keys": {
        "en": "{provider} refused the keys: {said}",
        "zh": "{provider} 拒绝了密钥：{said}",
    },
    "tencent_no_report": {
        "en": "{provider} could not report the task: {said}",
        "zh": "{provider} 无法报告任务状态：{said}",
    },
    "tencent_refused_task": {
        "en": "{provider} refused the task: {said}",
        "zh": "{provider} 拒绝了任务：{said}",
    },
    "tencent_refused_request": {
        "en": "{provider} refused the request: {said}",
        "zh": "{provider} 拒绝了请求：{said}",
    },
    # --- Suno ----------------------------------------------------------------------------
    "suno_said": {"en": "{what} Suno said: {said}", "zh": "{what} Suno 说：{said}"},
    "suno_code_400": {"en": "Suno refused the parameters.", "zh": "Suno 拒绝了这些参数。"},
    "suno_code_401": {
        "en": "Suno refused the API key: check SUNO_API_KEY in Settings.",
        "zh": "Suno 拒绝了 API 密钥：请在“设置”中检查 SUNO_API_KEY。",
    },
    "suno_code_404": {
        "en": "Suno does not know this address or method: check SUNO_BASE_URL.",
        "zh": "Suno 不认识这个地址或方法：请检查 SUNO_BASE_URL。",
    },
    "suno_code_405": {
        "en": "Suno's call limit was reached; try again in a little while.",
        "zh": "已达到 Suno 的调用上限；请稍后再试。",
    },
    "suno_code_413": {
        "en": "The prompt, style or title is too long for Suno.",
        "zh": "提示词、风格或标题对 Suno 来说太长了。",
    },
    "suno_code_429": {
        "en": "The Suno account is out of credits: top it up to continue.",
        "zh": "Suno 账户积分不足：请充值后继续。",
    },
    "suno_code_430": {
        "en": "Suno says we are calling too often; try again in a few seconds.",
        "zh": "Suno 表示我们调用太频繁；请几秒后再试。",
    },
    "suno_code_455": {
        "en": "Suno is down for maintenance; try again later.",
        "zh": "Suno 正在维护；请稍后再试。",
    },
    "suno_code_500": {
        "en": "Suno had a server error; try again later.",
        "zh": "Suno 服务器出错；请稍后再试。",
    },
    "suno_code_unexpected": {
        "en": "Suno answered with an unexpected code {code}.",
        "zh": "Suno 返回了意外的代码 {code}。",
    },
    "suno_failed_create_task_failed": {
        "en": "Suno could not create the task.",
        "zh": "Suno 未能创建任务。",
    },
    "suno_failed_generate_audio_failed": {
        "en": "Suno could not generate the music.",
        "zh": "Suno 未能生成音乐。",
    },
    "suno_failed_callback_exception": {
        "en": "Suno's task ended with an error while reporting back.",
        "zh": "Suno 的任务在回报结果时出错结束。",
    },
    "suno_failed_sensitive_word_error": {
        "en": "Suno refused the text: it contains words Suno does not allow.",
        "zh": "Suno 拒绝了文本：其中含有 Suno 不允许的词语。",
    },
    "suno_slow_down": {
        "en": "Suno asks us to slow down; checking again in {seconds} s",
        "zh": "Suno 要求放慢速度；{seconds} 秒后再查询",
    },
    "suno_no_audio": {
        "en": "Suno finished but sent no audio file.",
        "zh": "Suno 已完成，但没有发回音频文件。",
    },
    "suno_first_track_ready": {
        "en": "The first track is ready to listen to; finishing the rest",
        "zh": "第一首已可试听；正在完成其余部分",
    },
    "suno_lyrics_ready": {
        "en": "Lyrics ready; Suno is composing",
        "zh": "歌词已就绪；Suno 正在作曲",
    },
    "suno_upload_too_large": {
        "en": "the file is {size_mb} MB; at most {most_mb} MB can be uploaded "
        "(STUDIO_MAX_UPLOAD_MB)",
        "zh": "文件为 {size_mb} MB；最多可上传 {most_mb} MB（STUDIO_MAX_UPLOAD_MB）",
    },
    "suno_upload_failed": {
        "en": "Uploading the song to Suno failed: {what}",
        "zh": "向 Suno 上传歌曲失败：{what}",
    },
    "suno_upload_no_address": {
        "en": "Suno's file service accepted the song but gave no address for it.",
        "zh": "Suno 的文件服务接收了歌曲，但没有给出它的地址。",
    },
    "suno_needs_callback": {
        "en": "Suno needs a callback address and the app has none configured.",
        "zh": "Suno 需要回调地址，而本应用没有配置。",
    },
    "suno_refused_task": {
        "en": "Suno refused the task: {what}",
        "zh": "Suno 拒绝了任务：{what}",
    },
    "suno_no_task_id": {
        "en": "Suno accepted the request but gave no task id.",
        "zh": "Suno 接受了请求，但没有给出任务 ID。",
    },
    # --- Suno: a song given by URL is measured before the task (issue 12) ------------------
    "suno_song_length_unknown": {
        "en": "could not read the length of the song at {url}: {why}. Suno takes songs of at "
        "most {most} s (8 minutes), with continue_at below their length, and the studio checks "
        "both before a task is paid for: give a direct link to the song file, or upload it as "
        "audio",
        "zh": "无法读取 {url} 处歌曲的长度：{why}。Suno 只接受最长 {most} 秒（8 分钟）的歌曲，"
        "且 continue_at 须小于歌曲长度；本工作室会在付费创建任务之前检查这两点：请给出歌曲文件的"
        "直接链接，或将其作为 audio 上传",
    },
    "song_url_not_audio": {
        "en": "its content is not a song in one of the allowed formats ({formats})",
        "zh": "其内容不是允许格式（{formats}）的歌曲",
    },
    "song_url_no_length": {
        "en": "its headers do not give the song's length",
        "zh": "其文件头没有给出歌曲长度",
    },
    # --- Vidu ----------------------------------------------------------------------------
    "vidu_not_a_video_file": {
        "en": "Vidu upscales one of its own creations, not an uploaded video: give creation_id, "
        "the id of an item in a finished Vidu task's creations, not a task id (or pick the "
        "offline provider for a local video).",
        "zh": "Vidu 只能放大它自己生成的作品，不能放大上传的视频：请填写 creation_id，即已完成的 "
        "Vidu 任务 creations 中某一项的 ID，而不是任务 ID（本地视频请选择离线提供方）。",
    },
    "vidu_no_base_url": {
        "en": "Vidu is not configured: set VIDU_BASE_URL to your reseller's address.",
        "zh": "Vidu 尚未配置：请将 VIDU_BASE_URL 设为你的代理商地址。",
    },
    "vidu_unknown_creation": {
        "en": "Vidu does not know creation_id {creation_id}: {why}",
        "zh": "Vidu 不认识 creation_id {creation_id}：{why}",
    },
    "vidu_refused_task": {"en": "Vidu refused the task: {said}", "zh": "Vidu 拒绝了任务：{said}"},
    "vidu_hint_credits": {"en": "the account is out of credits", "zh": "账户额度已用完"},
    "vidu_hint_moderation": {
        "en": "the content was blocked by moderation",
        "zh": "内容被审核拦截",
    },
    "vidu_hint_creation": {
        "en": "the creation_id was not found: use the id of an item of a finished task's creations",
        "zh": "找不到该 creation_id：请使用已完成任务 creations 中某一项的 ID",
    },
    "vidu_hint_timeout": {"en": "the task took too long", "zh": "任务耗时过长"},
    "vidu_failed_because": {
        "en": "Vidu could not upscale the video ({why}; code {code}).",
        "zh": "Vidu 未能放大视频（{why}；代码 {code}）。",
    },
    "vidu_failed_code": {
        "en": "Vidu could not upscale the video (error code {code}).",
        "zh": "Vidu 未能放大视频（错误代码 {code}）。",
    },
    "vidu_failed": {"en": "Vidu could not upscale the video.", "zh": "Vidu 未能放大视频。"},
    "vidu_no_video": {
        "en": "Vidu finished the task but sent no video.",
        "zh": "Vidu 完成了任务，但没有发回视频。",
    },
    "vidu_queued": {"en": "Queued at Vidu", "zh": "在 Vidu 排队中"},
    "vidu_upscaling": {"en": "Vidu is upscaling", "zh": "Vidu 正在放大"},
    "vidu_reports_no_state": {"en": "Vidu reports no state", "zh": "Vidu 未报告状态"},
    "vidu_task_unreadable": {
        "en": "{provider} sent a task the studio cannot read.",
        "zh": "{provider} 返回了工作室无法解读的任务。",
    },
    # --- Vidu: creations named by id only (issue 12) --------------------------------------
    "vidu_no_video_ids": {
        "en": "Vidu finished the task but sent no video address, only creation ids: {ids}. "
        "The videos are in your Vidu account.",
        "zh": "Vidu 完成了任务，但没有发回视频地址，只有作品 ID：{ids}。视频在你的 Vidu 账户中。",
    },
}
