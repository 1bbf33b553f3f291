"""Messages of the studio's runtime (core/): requests, jobs, files, fetching, limits."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ shared pieces
    # An InvalidRequest as a whole: the field (its label on a page, else its API name), then
    # the sentence.
    "invalid_field": {"en": "{field}: {message}", "zh": "{field}：{message}"},
    "with_setting": {"en": "{text} ({setting})", "zh": "{text}（{setting}）"},
    "kind_audio": {"en": "audio", "zh": "音频"},
    "kind_image": {"en": "image", "zh": "图片"},
    "kind_video": {"en": "video", "zh": "视频"},
    "size_bytes": {"en": "{bytes} bytes", "zh": "{bytes} 字节"},
    "size_mb": {"en": "{mb} MB", "zh": "{mb} MB"},
    # ------------------------------------------------------------------ jobs (core/jobs.py)
    "job_stopped": {"en": "Stopped.", "zh": "已停止。"},
    "job_running": {"en": "Running", "zh": "运行中"},
    "job_failed": {"en": "The job failed.", "zh": "任务失败。"},
    "job_waiting_for_key": {
        "en": "Waiting for your key: open the studio again to continue.",
        "zh": "正在等待你的密钥：请再次打开工作室以继续。",
    },
    "job_key_wait_expired": {
        "en": "Your key was not offered again within {hours} hours after the restart, so the "
        "job was stopped; its provider task may still finish on the provider's side.",
        "zh": "重启后 {hours} 小时内没有再次提供你的密钥，所以任务已停止；提供方那边的任务仍可能完成。",
    },
    "job_provider_gone": {
        "en": "The provider '{provider}' is not available any more, so this job could not be "
        "resumed after the restart.",
        "zh": "提供方 '{provider}' 已不可用，所以重启后无法继续这个任务。",
    },
    "job_not_resumable": {
        "en": "This job could not be resumed: {reason}",
        "zh": "无法继续这个任务：{reason}",
    },
    "job_create_unknown": {
        "en": "The app stopped while this task was being created, so it is unknown whether the "
        "provider received it. It was not sent again, to avoid paying twice; start it again if "
        "needed.",
        "zh": "创建这个任务时应用停止了，无法确定提供方是否已收到。为避免重复付费，没有再次发送；"
        "如有需要请重新开始。",
    },
    "job_crashed": {
        "en": "The {provider} job failed unexpectedly ({error}); the details are in the server "
        "log.",
        "zh": "{provider} 任务意外失败（{error}）；详情见服务器日志。",
    },
    "job_provider_failed": {
        "en": "{provider} reported that the task failed.",
        "zh": "{provider} 报告任务失败。",
    },
    "job_no_files": {
        "en": "{provider} finished but returned no files.",
        "zh": "{provider} 已完成，但没有返回文件。",
    },
    "job_nothing_saved": {"en": "No result could be saved.", "zh": "没有能保存的结果。"},
    # ------------------------------------------------------------------ Stop (core/jobs.py cancel)
    # The answer to a Stop on a job that had already ended: nothing changes.
    "job_already_finished": {
        "en": "This job had already finished, so there is nothing to cancel; its results "
        "stay as they are.",
        "zh": "这个任务已经结束，无需取消；它的结果保持不变。",
    },
    # ------------------------------------ requests (core/requests.py and core/refusals.py)
    # A refusal says what to write instead, then what was wrong: "use 1 to 50 (60 is too high)".
    # The page puts the field's label before it, API callers the parameter's name.
    "required": {"en": "this is required.", "zh": "此项必填。"},
    "not_a_parameter": {
        "en": "there is no such parameter here.",
        "zh": "这里没有这个参数。",
    },
    "value_chars": {"en": "{count} characters", "zh": "{count} 个字符"},
    # What to use instead of a refused number, one sentence per kind of range.
    "fix_between": {
        "en": "use {low} to {high}{steps} ({problem}).",
        "zh": "请填 {low} 到 {high} 之间的数{steps}（{problem}）。",
    },
    "fix_above_to": {
        "en": "use more than {low}, up to {high}{steps} ({problem}).",
        "zh": "请填大于 {low} 且不超过 {high} 的数{steps}（{problem}）。",
    },
    "fix_at_least": {
        "en": "use {low} or more{steps} ({problem}).",
        "zh": "请填不小于 {low} 的数{steps}（{problem}）。",
    },
    "fix_greater": {
        "en": "use more than {low}{steps} ({problem}).",
        "zh": "请填大于 {low} 的数{steps}（{problem}）。",
    },
    "fix_at_most": {
        "en": "use {high} or less{steps} ({problem}).",
        "zh": "请填不超过 {high} 的数{steps}（{problem}）。",
    },
    "fix_any": {"en": "use a number{steps} ({problem}).", "zh": "请填数字{steps}（{problem}）。"},
    "fix_seed": {
        "en": "use -1 (random) or 0 to {most} ({problem}).",
        "zh": "请填 -1（随机）或 0 到 {most} 之间的数（{problem}）。",
    },
    "steps_suffix": {"en": " in steps of {step}", "zh": "，步长 {step}"},
    "problem_too_high": {"en": "{value} is too high", "zh": "{value} 太大"},
    "problem_too_low": {"en": "{value} is too low", "zh": "{value} 太小"},
    "problem_between_steps": {"en": "{value} is between two steps", "zh": "{value} 不在步长上"},
    "problem_not_whole": {"en": "{value} is not a whole number", "zh": "{value} 不是整数"},
    "problem_not_number": {"en": "{value} is not a number", "zh": "{value} 不是数字"},
    "choice_pair": {"en": "{first}, {second}", "zh": "{first}、{second}"},
    "fix_choice": {
        "en": "choose one of {choices} ({value} is not one of them).",
        "zh": "请从 {choices} 中选一个（{value} 不在其中）。",
    },
    "fix_bool": {
        "en": "use true or false ({value} is neither).",
        "zh": "请填 true 或 false（{value} 都不是）。",
    },
    "fix_text": {"en": "write text ({value} is not text).", "zh": "请填文字（{value} 不是文字）。"},
    "fix_file": {
        "en": "give a file ({value} is not one).",
        "zh": "请提供文件（{value} 不是文件）。",
    },
    "fix_id": {
        "en": "use only letters, digits, - and _ ({value} has other characters).",
        "zh": "只能使用字母、数字、- 和 _（{value} 含有其他字符）。",
    },
    "fix_pattern": {
        "en": "write it in the form {pattern} ({value} is not).",
        "zh": "请按 {pattern} 的格式填写（{value} 不符合）。",
    },
    "fix_other": {"en": "{value} cannot be used here.", "zh": "{value} 不能用在这里。"},
    "text_too_short_one": {
        "en": "write at least {low} character (up to {high}).",
        "zh": "请至少输入 {low} 个字符（最多 {high} 个）。",
    },
    "text_too_short_many": {
        "en": "write at least {low} characters (up to {high}).",
        "zh": "请至少输入 {low} 个字符（最多 {high} 个）。",
    },
    "text_too_long": {
        "en": "write at most {high} characters ({count} is too many).",
        "zh": "最多输入 {high} 个字符（{count} 个太多了）。",
    },
    # field rules
    "url_not_http": {
        "en": "write an address that starts with http:// or https:// ({value} does not).",
        "zh": "请填写以 http:// 或 https:// 开头的网址（{value} 不是）。",
    },
    "url_too_long": {
        "en": "write an address of at most {most} characters.",
        "zh": "网址最多 {most} 个字符。",
    },
    "url_spaces": {
        "en": "write the address without spaces or control characters.",
        "zh": "网址里不能有空格或控制字符。",
    },
    "url_no_host": {
        "en": "write a whole address with a host name, like https://example.com/file "
        "({value} has none).",
        "zh": "请填写带主机名的完整网址，例如 https://example.com/file（{value} 没有主机名）。",
    },
    "need_image": {
        "en": "upload a picture or give its web address.",
        "zh": "请上传图片，或填写图片的网址。",
    },
    "need_one_image": {
        "en": "upload a picture or give its web address, not both.",
        "zh": "上传图片和填写网址只能二选一。",
    },
    "need_audio": {
        "en": "upload a song or give its web address.",
        "zh": "请上传歌曲，或填写歌曲的网址。",
    },
    "need_one_audio": {
        "en": "upload a song or give its web address, not both.",
        "zh": "上传歌曲和填写网址只能二选一。",
    },
    "need_video": {
        "en": "upload a video (for Vidu: give a creation id).",
        "zh": "请上传视频（Vidu 则填写作品 ID）。",
    },
    "need_one_video": {
        "en": "upload a video or give a creation id, not both.",
        "zh": "上传视频和填写作品 ID 只能二选一。",
    },
    "genre_with_multitrack": {
        "en": "a genre cannot be chosen with the multitrack song type: choose the large model, "
        "or leave the genre to the picture.",
        "zh": "多轨歌曲类型不能指定曲风：请选择大模型，或让曲风从图片判断。",
    },
    "emotion_needs_multitrack": {
        "en": "this emotion works only with the multitrack song type.",
        "zh": "这种情绪只能用于多轨歌曲类型。",
    },
    "audio_unreadable": {
        "en": "{name} could not be read as audio ({error}).",
        "zh": "{name} 无法作为音频读取（{error}）。",
    },
    "audio_empty": {"en": "{name} holds no audio.", "zh": "{name} 没有音频内容。"},
    "text_too_long_for_model": {
        "en": "write at most {most} characters for model {model} ({count} is too many).",
        "zh": "模型 {model} 最多 {most} 个字符（{count} 个太多了）。",
    },
    "required_in_custom_mode": {"en": "custom mode needs this.", "zh": "自定义模式需要填写此项。"},
    "prompt_required_in_custom_mode": {
        "en": "custom mode needs the lyrics here, unless the song is instrumental.",
        "zh": "自定义模式需要在这里填写歌词（纯音乐除外）。",
    },
    "continue_at_required_in_custom_mode": {
        "en": "custom mode needs the second where the continuation starts: more than 0 and "
        "less than the song's length.",
        "zh": "自定义模式需要填写续写起点：大于 0 且小于歌曲时长的秒数。",
    },
    "required_in_default_mode": {
        "en": "say how the song should go on (default mode needs it).",
        "zh": "请写下歌曲怎样续写（默认模式必填）。",
    },
    "song_too_long": {
        "en": "use a song of at most {most} s, 8 minutes (this one is {seconds} s long).",
        "zh": "歌曲最长 {most} 秒，即 8 分钟（这首长 {seconds} 秒）。",
    },
    "continue_at_past_end": {
        "en": "use less than the song's length, {length} s ({continue_at} s is past its end).",
        "zh": "请填小于歌曲时长（{length} 秒）的秒数（{continue_at} 秒已超出结尾）。",
    },
    "warning_long_song": {
        "en": "The song is {seconds} s long; the provider's field notes advise at most 2 "
        "minutes, so a remote provider may refuse it.",
        "zh": "这首歌长 {seconds} 秒；提供方的字段说明建议不超过 2 分钟，远程提供方可能会拒绝。",
    },
    "hires_too_big": {
        "en": "{scale} × {side} px = {result} px; the upscaled image may be at most 4096 px on "
        "a side.",
        "zh": "{scale} × {side} 像素 = {result} 像素；放大后的图片每边最多 4096 像素。",
    },
    # ------------------------------------------------------------------ field corrections (tabs/validation.py)
    # Shown under a slider whose typed value the page moved back within its bounds.
    "value_corrected": {
        "en": "{value} is outside {low} to {high}, so it was set to {used}.",
        "zh": "{value} 超出了 {low} 到 {high} 的范围，已改为 {used}。",
    },
    # ------------------------------------------------------------------ input files (core/media.py)
    "file_not_found": {
        "en": "the file was not found; upload it again",
        "zh": "找不到这个文件；请重新上传",
    },
    "file_too_big": {
        "en": "{name} is {size}; a file may be at most {most} here",
        "zh": "{name} 大小为 {size}；这里每个文件最多 {most}",
    },
    "file_wrong_format": {
        "en": "{name} is {what} (judged by its content); allowed: {allowed}",
        "zh": "{name} 是{what}（按内容判断）；允许：{allowed}",
    },
    "format_not_media": {"en": "not a media file", "zh": "不是媒体文件"},
    "format_named": {"en": "a {format} file", "zh": " {format} 文件"},
    "pixels_limit": {
        "en": "at most {mp} MP ({pixels} pixels) is allowed here",
        "zh": "这里最多允许 {mp} MP（{pixels} 像素）",
    },
    "picture_too_many_pixels": {
        "en": "{name} has far too many pixels; {limit}",
        "zh": "{name} 的像素多得离谱；{limit}",
    },
    "picture_unreadable": {
        "en": "{name} is not a picture that can be read (its header is damaged)",
        "zh": "{name} 不是能读取的图片（文件头已损坏）",
    },
    "picture_empty": {
        "en": "{name} is {width}×{height} pixels: it is empty",
        "zh": "{name} 为 {width}×{height} 像素：是空的",
    },
    "picture_too_big": {
        "en": "{name} is {width}×{height} pixels ({mp} MP); {limit}",
        "zh": "{name} 为 {width}×{height} 像素（{mp} MP）；{limit}",
    },
    "audio_no_track": {"en": "{name} has no audio track", "zh": "{name} 没有音轨"},
    "audio_nothing_decodable": {
        "en": "{name} holds no decodable audio",
        "zh": "{name} 没有可解码的音频",
    },
    # ------------------------------------------------------------------ results (core/media.py download)
    "result_url_not_http": {
        "en": "The provider gave a result address that is not http(s): {url}",
        "zh": "提供方给出的结果地址不是 http(s)：{url}",
    },
    "result_refused": {
        "en": "The result file could not be downloaded: {reason}.",
        "zh": "无法下载结果文件：{reason}。",
    },
    "download_limit": {
        "en": "{mb} MB limit (STUDIO_MAX_DOWNLOAD_MB)",
        "zh": "{mb} MB 上限（STUDIO_MAX_DOWNLOAD_MB）",
    },
    "result_too_big_declared": {
        "en": "The result file is {mb} MB, over the {limit}.",
        "zh": "结果文件有 {mb} MB，超过了 {limit}。",
    },
    "result_too_big": {
        "en": "The result file is over the {limit}.",
        "zh": "结果文件超过了 {limit}。",
    },
    "result_download_failed": {
        "en": "Downloading the result failed: {reason}.",
        "zh": "下载结果失败：{reason}。",
    },
    "result_server_silent": {
        "en": "Downloading the result failed: the provider's file server did not answer.",
        "zh": "下载结果失败：提供方的文件服务器没有回应。",
    },
    "result_gone": {
        "en": "The result file is no longer available (HTTP {status}): the provider's link has "
        "probably expired.",
        "zh": "结果文件已不可用（HTTP {status}）：提供方的链接可能已过期。",
    },
    "result_http_failed": {
        "en": "Downloading the result failed (HTTP {status}).",
        "zh": "下载结果失败（HTTP {status}）。",
    },
    "result_wrong_kind": {
        "en": "The provider's result is not a valid {kind} file (its content looks like {found}).",
        "zh": "提供方的结果不是有效的{kind}文件（内容看起来是 {found}）。",
    },
    # ------------------------------------------------------------------ fetching (core/fetch.py)
    "fetch_redirected": {
        "en": "{first} (redirected to {url})",
        "zh": "{first}（已重定向到 {url}）",
    },
    "fetch_refused": {"en": "{subject} was refused: {why}", "zh": "{subject} 被拒绝：{why}"},
    "fetch_unreachable": {
        "en": "{subject} could not be fetched: {why}",
        "zh": "{subject} 无法获取：{why}",
    },
    "fetch_deadline": {
        "en": "{url} took longer than the {seconds} s a fetch may take",
        "zh": "{url} 用时超过了一次获取允许的 {seconds} 秒",
    },
    "fetch_limit": {
        "en": "the {mb} MB a fetched file may have",
        "zh": "获取的文件最多 {mb} MB 的上限",
    },
    "fetch_too_big_declared": {
        "en": "{subject} is {mb} MB, over {limit}",
        "zh": "{subject} 有 {mb} MB，超过了{limit}",
    },
    "fetch_too_big": {"en": "{subject} is over {limit}", "zh": "{subject} 超过了{limit}"},
    "fetch_too_many_redirects": {
        "en": "it redirects more than {most} times",
        "zh": "它重定向超过 {most} 次",
    },
    "fetch_not_a_url": {"en": "it is not a valid URL", "zh": "它不是有效的网址"},
    "fetch_only_http": {
        "en": "only http and https addresses are fetched",
        "zh": "只获取 http 和 https 地址",
    },
    "fetch_no_host": {"en": "it names no host", "zh": "它没有主机名"},
    "fetch_userinfo": {
        "en": "an address with a user name or password is not fetched",
        "zh": "不获取带用户名或密码的地址",
    },
    "fetch_bad_redirect": {
        "en": "it redirects to an address that is not a valid URL",
        "zh": "它重定向到的地址不是有效的网址",
    },
    "fetch_server_silent": {"en": "its server did not answer", "zh": "它的服务器没有回应"},
    "fetch_host_not_found": {"en": "its host was not found", "zh": "找不到它的主机"},
    "fetch_not_public": {
        "en": "its address {address} {reason}; the studio fetches only public internet addresses",
        "zh": "它的地址 {address} {reason}；工作室只获取公共互联网地址",
    },
    "address_unspecified": {
        "en": "is unspecified (it means this server itself)",
        "zh": "是未指定地址（指的就是本服务器）",
    },
    "address_loopback": {
        "en": "is on this server's own network (loopback)",
        "zh": "位于本服务器自己的网络（回环）",
    },
    "address_link_local": {
        "en": "is link-local (the network of cloud metadata services)",
        "zh": "是链路本地地址（云元数据服务所在的网络）",
    },
    "address_multicast": {"en": "is multicast", "zh": "是组播地址"},
    "address_reserved": {"en": "is reserved", "zh": "是保留地址"},
    "address_private": {"en": "is on a private network", "zh": "位于私有网络"},
    "address_not_global": {
        "en": "is not a public internet address",
        "zh": "不是公共互联网地址",
    },
    "address_leads_to": {
        "en": "leads to {inner}, which {reason}",
        "zh": "指向 {inner}，它{reason}",
    },
    # ------------------------------------------------------------------ fair share (core/limits.py)
    "count_unfinished_jobs_one": {"en": "{count} unfinished job", "zh": "{count} 个未完成的任务"},
    "count_unfinished_jobs_many": {
        "en": "{count} unfinished jobs",
        "zh": "{count} 个未完成的任务",
    },
    "count_images_one": {"en": "{count} image", "zh": "{count} 张图片"},
    "count_images_many": {"en": "{count} images", "zh": "{count} 张图片"},
    "count_songs_one": {"en": "{count} song", "zh": "{count} 首歌"},
    "count_songs_many": {"en": "{count} songs", "zh": "{count} 首歌"},
    "too_many_jobs": {
        "en": "you already have {jobs} ({running} running, {queued} waiting); one visitor may "
        "have at most {most} at once here ({most_running} running and {most_queued} waiting). "
        "Wait for one to finish, or stop one in History",
        "zh": "你已有{jobs}（{running} 个运行中，{queued} 个排队中）；这里每位访客同时最多 {most} 个"
        "（{most_running} 个运行、{most_queued} 个排队）。请等其中一个完成，或在“历史记录”中停止一个",
    },
    "storage_full": {
        "en": "your jobs' files take {used} MB here, and one visitor may keep at most {quota} "
        "MB. Delete jobs you no longer need in History to make room",
        "zh": "你的任务文件在这里已占用 {used} MB，每位访客最多可保存 {quota} MB。"
        "请在“历史记录”中删除不再需要的任务以腾出空间",
    },
    "offline_pixels_asked": {
        "en": "{images} of {width}×{height} is {mp} MP",
        "zh": "{images}（{width}×{height}）共 {mp} MP",
    },
    "offline_pixels_limit": {
        "en": "at most {mp} MP (pixels × images)",
        "zh": "最多 {mp} MP（像素 × 张数）",
    },
    "offline_pixels_too_many": {
        "en": "{asked}; the offline painter makes {limit} per job here: at most {fit} of this size",
        "zh": "{asked}；这里离线画师每个任务{limit}：这个尺寸最多{fit}",
    },
    "offline_pixels_too_big": {
        "en": "{asked}; the offline painter makes {limit} per job here",
        "zh": "{asked}；这里离线画师每个任务{limit}",
    },
    "offline_songs_too_long": {
        "en": "{songs} of {seconds} s is {total} s of music; the offline provider makes at most "
        "{most} s per job here ({fit})",
        "zh": "{songs}，每首 {seconds} 秒，共 {total} 秒；这里离线提供方每个任务最多生成 {most} 秒"
        "（{fit}）",
    },
    "offline_video_too_long": {
        "en": "the video is {seconds} s long; at most {most} s can be upscaled offline here: "
        "trim it first",
        "zh": "视频长 {seconds} 秒；这里离线最多只能超分 {most} 秒：请先剪短",
    },
    # ------------------------------------------------------------------ ownership (core/ownership.py)
    "file_not_yours": {
        "en": "that file is not one of your uploads or results; upload it again",
        "zh": "这个文件不是你上传的文件或你的结果；请重新上传",
    },
    # ------------------------------------------------------------------ reachability (core/reachability.py)
    "reach_answered": {"en": "answered", "zh": "有回应"},
    "reach_not_http": {"en": "not an http(s) address", "zh": "不是 http(s) 地址"},
    "reach_timeout": {"en": "no answer within {seconds} s", "zh": "{seconds} 秒内没有回应"},
    "reach_connect_failed": {
        "en": "connection failed (refused, unknown host or TLS error)",
        "zh": "连接失败（被拒绝、主机未知或 TLS 错误）",
    },
    "reach_network_error": {"en": "network error ({error})", "zh": "网络错误（{error}）"},
}
