"""Messages of the studio's runtime (core/): requests, jobs, files, fetching, limits."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ shared pieces
    # An InvalidRequest as a whole: the field name stays as written in both languages.
    "invalid_field": {"en": "{field}: {message}", "zh": "{field}: {message}"},
    "list_pair": {"en": "{first}, {second}", "zh": "{first}，{second}"},
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
    # ------------------------------------------------------------------ requests (core/requests.py)
    "required": {"en": "is required", "zh": "为必填项"},
    "not_a_parameter": {
        "en": "is not a parameter of this capability",
        "zh": "不是此功能的参数",
    },
    "value_not_allowed": {
        "en": "{value} is not allowed: {reason}",
        "zh": "{value} 不可用：{reason}",
    },
    "value_not_allowed_range": {
        "en": "{value} is not allowed: {reason} (allowed: {allowed})",
        "zh": "{value} 不可用：{reason}（允许：{allowed}）",
    },
    "value_chars": {"en": "{count} chars", "zh": "{count} 个字符"},
    # Pydantic's own reasons, for the types the request models meet (English exactly as
    # pydantic writes it, first letter lowered; any other reason is quoted as pydantic wrote it).
    "reason_le": {
        "en": "input should be less than or equal to {limit}",
        "zh": "输入应小于或等于 {limit}",
    },
    "reason_lt": {"en": "input should be less than {limit}", "zh": "输入应小于 {limit}"},
    "reason_ge": {
        "en": "input should be greater than or equal to {limit}",
        "zh": "输入应大于或等于 {limit}",
    },
    "reason_gt": {"en": "input should be greater than {limit}", "zh": "输入应大于 {limit}"},
    "reason_multiple_of": {
        "en": "input should be a multiple of {step}",
        "zh": "输入应为 {step} 的倍数",
    },
    "reason_int": {"en": "input should be a valid integer", "zh": "输入应为整数"},
    "reason_int_fraction": {
        "en": "input should be a valid integer, got a number with a fractional part",
        "zh": "输入应为整数，但收到了带小数部分的数",
    },
    "reason_int_parsing": {
        "en": "input should be a valid integer, unable to parse string as an integer",
        "zh": "输入应为整数，无法把字符串解析为整数",
    },
    "reason_number": {"en": "input should be a valid number", "zh": "输入应为数字"},
    "reason_number_parsing": {
        "en": "input should be a valid number, unable to parse string as a number",
        "zh": "输入应为数字，无法把字符串解析为数字",
    },
    "reason_finite": {"en": "input should be a finite number", "zh": "输入应为有限的数"},
    "reason_bool": {
        "en": "input should be a valid boolean, unable to interpret input",
        "zh": "输入应为布尔值，无法识别输入",
    },
    "reason_string": {"en": "input should be a valid string", "zh": "输入应为字符串"},
    "reason_one_of": {"en": "input should be {expected}", "zh": "输入应为 {expected}"},
    "reason_too_long": {
        "en": "string should have at most {limit} characters",
        "zh": "字符串最多 {limit} 个字符",
    },
    "reason_too_short_one": {
        "en": "string should have at least {limit} character",
        "zh": "字符串至少 {limit} 个字符",
    },
    "reason_too_short_many": {
        "en": "string should have at least {limit} characters",
        "zh": "字符串至少 {limit} 个字符",
    },
    "reason_pattern": {
        "en": "string should match pattern '{pattern}'",
        "zh": "字符串应符合模式 '{pattern}'",
    },
    # the allowed range after a refusal
    "range_between": {"en": "{low} to {high}", "zh": "{low} 到 {high}"},
    "range_above_to": {"en": "above {low} to {high}", "zh": "大于 {low} 且不超过 {high}"},
    "range_greater": {"en": "greater than {low}", "zh": "大于 {low}"},
    "range_at_least": {"en": "at least {low}", "zh": "至少 {low}"},
    "range_less": {"en": "less than {high}", "zh": "小于 {high}"},
    "range_at_most": {"en": "at most {high}", "zh": "最多 {high}"},
    "range_steps": {"en": "in steps of {step}", "zh": "步长 {step}"},
    "range_chars": {"en": "{low} to {high} characters", "zh": "{low} 到 {high} 个字符"},
    "range_seed": {"en": "-1 (random) or 0 to {most}", "zh": "-1（随机）或 0 到 {most}"},
    # field rules
    "must_be_multiple": {
        "en": "{field} must be a multiple of {step}",
        "zh": "{field} 必须是 {step} 的倍数",
    },
    "url_not_http": {
        "en": "{field} must be an http(s) URL, got {value}",
        "zh": "{field} 必须是 http(s) 网址，收到的是 {value}",
    },
    "url_too_long": {
        "en": "{field} must be at most {most} characters",
        "zh": "{field} 最多 {most} 个字符",
    },
    "url_spaces": {
        "en": "{field} must not contain spaces or control characters",
        "zh": "{field} 不能包含空格或控制字符",
    },
    "url_no_host": {
        "en": "{field} must be an http(s) URL with a host name, got {value}",
        "zh": "{field} 必须是带主机名的 http(s) 网址，收到的是 {value}",
    },
    "prompt_empty": {"en": "prompt must not be empty", "zh": "prompt 不能为空"},
    "sampler_unknown": {
        "en": "sampler must be one of: {choices}",
        "zh": "sampler 必须是以下之一：{choices}",
    },
    "need_image": {
        "en": "give an image file or an image_url",
        "zh": "请提供 image 文件或 image_url",
    },
    "need_one_image": {
        "en": "give either an image file or an image_url, not both",
        "zh": "image 文件和 image_url 只能二选一",
    },
    "need_audio": {
        "en": "give an audio file or an upload_url",
        "zh": "请提供 audio 文件或 upload_url",
    },
    "need_one_audio": {
        "en": "give either an audio file or an upload_url, not both",
        "zh": "audio 文件和 upload_url 只能二选一",
    },
    "need_video": {
        "en": "give a video file or a creation_id",
        "zh": "请提供 video 文件或 creation_id",
    },
    "need_one_video": {
        "en": "give either a video file or a creation_id, not both",
        "zh": "video 文件和 creation_id 只能二选一",
    },
    "genre_with_multitrack": {
        "en": "a genre cannot be set with song_type MULTITRACK (use LARGE_MODEL)",
        "zh": "song_type 为 MULTITRACK 时不能设置 genre（请用 LARGE_MODEL）",
    },
    "emotion_needs_multitrack": {
        "en": "{emotion} is only allowed with song_type MULTITRACK",
        "zh": "{emotion} 只能与 song_type MULTITRACK 一起使用",
    },
    "audio_unreadable": {
        "en": "{name} could not be read as audio ({error})",
        "zh": "{name} 无法作为音频读取（{error}）",
    },
    "audio_empty": {"en": "{name} holds no audio", "zh": "{name} 没有音频内容"},
    "text_too_long_for_model": {
        "en": "{count} characters is too long for model {model}: at most {most}",
        "zh": "{count} 个字符对模型 {model} 来说太长：最多 {most} 个",
    },
    "required_in_custom_mode": {
        "en": "is required in custom mode",
        "zh": "自定义模式下为必填项",
    },
    "prompt_required_in_custom_mode": {
        "en": "is required in custom mode unless instrumental (it is the lyrics)",
        "zh": "自定义模式下为必填项，纯音乐除外（它就是歌词）",
    },
    "continue_at_required_in_custom_mode": {
        "en": "is required in custom mode (seconds > 0)",
        "zh": "自定义模式下为必填项（秒数 > 0）",
    },
    "required_in_default_mode": {"en": "is required in default mode", "zh": "默认模式下为必填项"},
    "song_too_long": {
        "en": "the song is {seconds} s long; at most {most} s (8 minutes) is allowed",
        "zh": "这首歌长 {seconds} 秒；最多允许 {most} 秒（8 分钟）",
    },
    "continue_at_past_end": {
        "en": "{continue_at} s must be greater than 0 and less than the song's length ({length} s)",
        "zh": "{continue_at} 秒必须大于 0 且小于歌曲长度（{length} 秒）",
    },
    "warning_long_song": {
        "en": "The song is {seconds} s long; the provider's field notes advise at most 2 "
        "minutes, so a remote provider may refuse it.",
        "zh": "这首歌长 {seconds} 秒；提供方的字段说明建议不超过 2 分钟，远程提供方可能会拒绝。",
    },
    "hires_too_big": {
        "en": "{scale} × {side} px = {result} px; the upscaled image may be at most 4096 px on "
        "a side",
        "zh": "{scale} × {side} 像素 = {result} 像素；放大后的图片每边最多 4096 像素",
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
    "reach_yes": {
        "en": "✅ yes — HTTP {status} in {ms} ms",
        "zh": "✅ 是 — HTTP {status}，用时 {ms} 毫秒",
    },
    "reach_no": {"en": "❌ no — {detail}", "zh": "❌ 否 — {detail}"},
    "reach_answered": {"en": "answered", "zh": "有回应"},
    "reach_not_http": {"en": "not an http(s) address", "zh": "不是 http(s) 地址"},
    "reach_timeout": {"en": "no answer within {seconds} s", "zh": "{seconds} 秒内没有回应"},
    "reach_connect_failed": {
        "en": "connection failed (refused, unknown host or TLS error)",
        "zh": "连接失败（被拒绝、主机未知或 TLS 错误）",
    },
    "reach_network_error": {"en": "network error ({error})", "zh": "网络错误（{error}）"},
}
