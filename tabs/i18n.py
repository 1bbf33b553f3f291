"""English and Simplified Chinese for the whole UI.

Two kinds of text:
- LABELS: what the page shows before any handler runs (labels, hints, buttons, Markdown).
  Components get `i18n("key")`; Gradio sends both tables in /config and the browser picks its
  language (zh-CN and zh-* get Chinese, everything else English). The browser formats them as
  ICU messages, so a label must not contain `{`, `}` or `<`. Gradio translates only the first
  key in a string, so one string holds at most one key.
- Messages: what handlers write (status lines, errors, History and Settings sentences): keys of
  the locale catalog (core/locale/, the UI's own in core/locale/ui.py), rendered per request in
  the language of its Accept-Language (`request_lang`) with `tr` or `core.messages.render`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import gradio as gr
from gradio.context import LocalContext
from gradio.i18n import I18nData

from core.messages import Text, msg, render

Lang = Literal["en", "zh"]
DEFAULT_LANG: Lang = "en"
# Gradio matches the browser locale "zh-TW" as "zh-TW" then "zh": both Chinese tags point here.
CHINESE_LOCALES = ("zh-CN", "zh")

LABELS_EN: dict[str, str] = {
    # the page
    "intro": (
        "# AIGC Studio\nMusic, pictures and video from one studio. **Offline** runs on this "
        "machine with no key; remote providers appear in each tab's picker once their keys "
        "are set."
    ),
    "tab_text_to_music": "Text to music",
    "tab_image_to_music": "Image to music",
    "tab_extend_music": "Extend a song",
    "tab_text_to_image": "Text to image",
    "tab_video_upscale": "Video upscale",
    "tab_history": "History",
    "tab_settings": "Settings",
    # shared by the capability tabs
    "provider": "Provider",
    "provider_info": "Offline runs on this machine with no key; remote providers appear when keyed.",
    "provider_offline": "Offline (offline)",
    "badge_offline": "offline",
    "badge_live": "live",
    "badge_sandbox": "sandbox",
    "generate": "Generate",
    "stop": "Stop",
    "ready": "Ready.",
    "prompt": "Prompt",
    "steps": "Steps",
    "seed": "Seed",
    "seed_info": "-1 = random",
    "seed_random": "🎲 Random",
    "seed_reuse": "♻️ Reuse last",
    "seed_used": "Seed used",
    "advanced": "Advanced",
    "preview": "Preview",
    "files": "Files",
    "all_files": "All files",
    "examples": "Examples — click one to fill the form",
    "ex_image": "Image",
    "ex_song": "Song",
    "ex_video": "Video",
    "examples_en": "Examples in English — click one to fill the form",
    "examples_zh": "Examples in Chinese — click one to fill the form",
    "run_card": "Run card",
    "download_all": "Download all (zip)",
    "send_to_extend": "Send to Extend a song",
    "provider_default": "provider default",
    "url_placeholder": "https://…",
    # text to music
    "ttm_prompt_placeholder": "e.g. calm lofi piano in A minor, 80 bpm — or 欢快的流行歌 G大调",
    "ttm_prompt_info": (
        "Tempo (“90 bpm”, “每分钟90拍”), key (“A minor”, “G大调”), mood and instruments are "
        "understood in English and Chinese."
    ),
    "ttm_seconds": "Seconds",
    "ttm_seconds_info": "1 to 50",
    "ttm_steps_info": "10–100. Offline: arrangement detail (layers, fills, ornaments).",
    "ttm_cfg": "CFG",
    "ttm_cfg_info": (
        "1–15 in steps of 0.1. Offline: how strictly prompt words override the seed's own choices."
    ),
    "ttm_preview": "Preview — the piece so far",
    "ttm_result": "Result",
    # image to music
    "itm_image": "Image (png, jpg, webp)",
    "itm_image_url": "…or an image URL",
    "itm_image_url_info": "Remote providers fetch the picture from a URL.",
    "itm_tencent_hint": (
        "ℹ️ **Tencent fetches the picture from a URL**, and this studio has no public address "
        "(`STUDIO_PUBLIC_URL` is not set), so an uploaded file cannot reach it: paste a public "
        "**image URL** below instead."
    ),
    "itm_songs": "Songs",
    "itm_songs_info": "1–100",
    "itm_output": "Output",
    "itm_output_info": "mp4: the picture with its music",
    "itm_mood_style": "Mood and style",
    "itm_emotion": "Emotion",
    "itm_emotion_info": "Empty: read from the picture. WARM and ANGRY need MULTITRACK.",
    "itm_genre": "Genre",
    "itm_genre_info": "Empty: read from the picture. Not with MULTITRACK.",
    "itm_from_picture": "(from the picture)",
    "itm_song_type": "Song type",
    "itm_song_type_large": "LARGE_MODEL",
    "itm_song_type_multi": "MULTITRACK",
    "itm_first_song": "First song",
    "itm_video": "Video",
    "emotion_HAPPY": "HAPPY",
    "emotion_SAD": "SAD",
    "emotion_ROMANTIC": "ROMANTIC",
    "emotion_QUIET": "QUIET",
    "emotion_LAZY": "LAZY",
    "emotion_EXCITING": "EXCITING",
    "emotion_MAGNIFICENT": "MAGNIFICENT",
    "emotion_FUNNY": "FUNNY",
    "emotion_FEAR": "FEAR",
    "emotion_WARM": "WARM",
    "emotion_ANGRY": "ANGRY",
    "genre_POP": "POP",
    "genre_CLASSICAL": "CLASSICAL",
    "genre_CHINA": "CHINA",
    "genre_SOFT": "SOFT",
    "genre_JAZZ": "JAZZ",
    # extend a song
    "ext_audio": "Song (wav, mp3, flac, ogg)",
    "ext_upload_url": "…or the song's URL",
    "ext_prompt_info": "How to continue (default mode), or the exact lyrics (custom mode).",
    "ext_custom_mode": "Custom mode",
    "ext_custom_mode_info": "Needs style, title and continue at",
    "ext_instrumental": "Instrumental",
    "ext_style": "Style",
    "ext_style_placeholder": "e.g. jazz, 古典",
    "ext_title": "Title",
    "ext_continue_at": "Continue at (seconds)",
    "ext_continue_at_info": (
        "Greater than 0 and less than the song's length; the start is kept as is."
    ),
    "ext_model": "Model",
    "ext_model_info": "Must match the source song's model.",
    "ext_suno_model_hint": (
        "⚠️ **Suno**: pick the model the source song was made with — Suno refuses a "
        "different one. Vocal gender and the weights below are Suno settings too."
    ),
    "ext_negative_tags": "Negative tags",
    "ext_negative_tags_placeholder": "styles to avoid",
    "ext_vocal_gender": "Vocal gender",
    "ext_vocal_any": "any",
    "ext_vocal_m": "male (m)",
    "ext_vocal_f": "female (f)",
    "ext_style_weight": "Style weight (0–1)",
    "ext_weirdness": "Weirdness (0–1)",
    "ext_audio_weight": "Audio weight (0–1)",
    "ext_generate": "Extend",
    "ext_result": "Extended song",
    "ext_again": "Extend it again",
    # text to image
    "tti_prompt_placeholder": "e.g. red sunset over the sea, mountains — 或中文",
    "tti_negative_prompt": "Negative prompt",
    "tti_negative_info": "Offline: named elements are left out.",
    "tti_width": "Width",
    "tti_height": "Height",
    "tti_size_info": "64–2048, multiples of 8",
    "tti_cfg_scale": "CFG scale",
    "tti_images": "Images",
    "tti_images_info": "1–8; seeds seed, seed+1, …",
    "tti_sampler": "Sampler",
    "tti_hires": "Hires fix",
    "tti_restore_faces": "Restore faces",
    "tti_hr_scale": "Hires upscale",
    "tti_hr_steps": "Hires steps",
    "tti_denoising": "Denoising strength",
    "tti_checkpoint": "Checkpoint",
    "tti_vae": "VAE",
    "tti_clip_skip": "Clip skip",
    "tti_offline_note": (
        "Checkpoint, VAE, clip skip and restore faces are Img Open settings: they are hidden "
        "while Offline is picked (the offline painter has no models to choose). Offline "
        "pictures use Twemoji graphics by Twitter, Inc. and contributors, CC-BY 4.0."
    ),
    "tti_forming": "Forming…",
    "tti_gallery": "Images",
    "tti_send": "Send first image to Image to music",
    # video upscale
    "vup_video": "Video (mp4, webm; up to 60 s)",
    "vup_creation_id": "Creation id",
    "vup_creation_id_info": (
        "Vidu upscales a video it made: give the id of an item in a finished Vidu task's "
        "`creations` list (not the task id)."
    ),
    "vup_scale": "Scale",
    "vup_scale_info": "Offline: 2×–4×",
    "vup_model": "Model",
    "vup_duration": "Duration (s)",
    "vup_generate": "Upscale",
    "vup_preview": "Frame preview",
    "vup_result": "Upscaled video",
    # history
    "hist_capability": "Capability",
    "hist_state": "State",
    "hist_all": "all",
    "hist_refresh": "↻ Refresh",
    "hist_table": "Jobs, newest first — select a row to open it",
    "hist_more": "Load more",
    "hist_job_id": "Job id",
    "hist_job_id_placeholder": "select a row, or paste a job id",
    "hist_open": "Open",
    "hist_heading": "Open a job to see its settings, events and files.",
    "hist_watch": "👁️ Watch",
    "hist_stop_watch": "Stop watching",
    "hist_cancel": "Cancel job",
    "hist_load": "Load settings",
    "hist_audio": "Audio",
    "hist_video": "Video",
    "hist_images": "Images",
    "hist_params": "Parameters (for the API, with provider)",
    "hist_events": "Events",
    "hist_confirm": "Yes, delete this job and its files",
    "hist_delete": "🗑️ Delete job",
    "hist_share": "🔗 Share link",
    "hist_revoke": "Revoke link",
    "state_queued": "queued",
    "state_running": "running",
    "state_succeeded": "succeeded",
    "state_failed": "failed",
    "state_cancelled": "cancelled",
    # settings
    "set_intro": (
        "## Your provider keys\nKeys you save here are kept **in this server's memory for your "
        "browser session only**: they are used for your jobs, never shown again, never written "
        "to the job history, and gone when you close the tab (unless you ask this browser to "
        "remember them). A blank box keeps the key saved before; **Clear** forgets them all."
    ),
    "set_require_user_keys": (
        "🔑 **This studio asks every visitor to bring their own keys.** The server's own keys "
        "are not used for your jobs: a remote provider appears in the tabs' pickers once you "
        "save its keys here. **Offline** always works without a key."
    ),
    "set_sandbox": (
        "🧪 **Sandbox mode**: every remote provider is the built-in emulator running on this "
        "server, with dummy keys. Keys saved here are sent only to those emulators."
    ),
    "set_serves_imgopen": "serves text_to_image, text_to_music",
    "set_serves_tencent": "serves image_to_music",
    "set_serves_suno": "serves extend_music",
    "set_serves_vidu": "serves video_upscale",
    "set_key_placeholder": "paste your key",
    "set_vidu_url": "VIDU_BASE_URL (a server setting):",
    "set_vidu_url_unset": "VIDU_BASE_URL (a server setting): `not set` — Vidu stays off.",
    "set_remember": "Remember in this browser",
    "set_remember_off": (
        "Remembering keys in this browser is **off** on this server. To enable it, the operator "
        "sets `STUDIO_BROWSER_SECRET` (a long random string) in the environment or `.env` and "
        "restarts the app."
    ),
    # keys: remembered keys and the server's mode (per-visitor key safety)
    "set_remember_on": (
        "🔒 With **Remember in this browser**, this server encrypts your keys before they reach "
        "the browser, with a key that never leaves the server: the browser keeps only a sealed "
        "blob that only this server can open. Whoever uses this browser profile can still run "
        "jobs with your keys here, so tick it only on your own device; **Clear** removes the "
        "blob too."
    ),
    "set_mode_public": (
        "**Public mode**: every job is yours alone (nobody else sees or stops it), and "
        "limits apply to how much each visitor runs and keeps."
    ),
    "set_mode_private": (
        "**Private mode**: this studio is one user's: every job is visible to whoever opens it."
    ),
    "set_save": "Save keys",
    "set_clear": "Clear keys",
    "set_no_keys": "No session keys saved.",
    "set_providers": "## Providers",
    "set_check": "Check reachability",
    "set_check_note": (
        "The check sends one request without any key to each provider's address: any answer "
        "(even an error page) means the network path works."
    ),
}

LABELS_ZH: dict[str, str] = {
    "intro": (
        "# AIGC Studio\n音乐、图片和视频，一站生成。**离线**模式在本机运行，无需密钥；"
        "设置好密钥后，各标签页的提供方列表里会出现对应的远程提供方。"
    ),
    "tab_text_to_music": "文生音乐",
    "tab_image_to_music": "图生音乐",
    "tab_extend_music": "续写歌曲",
    "tab_text_to_image": "文生图",
    "tab_video_upscale": "视频超分",
    "tab_history": "历史记录",
    "tab_settings": "设置",
    "provider": "提供方",
    "provider_info": "离线模式在本机运行，无需密钥；设置密钥后会出现远程提供方。",
    "provider_offline": "离线（本机）",
    "badge_offline": "离线",
    "badge_live": "在线",
    "badge_sandbox": "沙盒",
    "generate": "生成",
    "stop": "停止",
    "ready": "就绪。",
    "prompt": "提示词",
    "steps": "步数",
    "seed": "种子",
    "seed_info": "-1 表示随机",
    "seed_random": "🎲 随机",
    "seed_reuse": "♻️ 沿用上次",
    "seed_used": "实际使用的种子",
    "advanced": "高级设置",
    "preview": "预览",
    "files": "文件",
    "all_files": "全部文件",
    "examples": "示例 — 点击即可填入表单",
    "ex_image": "图片",
    "ex_song": "歌曲",
    "ex_video": "视频",
    "examples_en": "英文示例 — 点击即可填入表单",
    "examples_zh": "中文示例 — 点击即可填入表单",
    "run_card": "运行记录卡",
    "download_all": "全部下载（zip）",
    "send_to_extend": "发送到“续写歌曲”",
    "provider_default": "提供方默认",
    "url_placeholder": "网址，如 https://…",
    "ttm_prompt_placeholder": "例如：欢快的流行歌 G大调 每分钟120拍 — 也可以写英文，如 calm lofi piano",
    "ttm_prompt_info": (
        "速度（“每分钟90拍”“90 bpm”）、调性（“G大调”“A minor”）、情绪和乐器，中英文都能识别。"
    ),
    "ttm_seconds": "时长（秒）",
    "ttm_seconds_info": "1 到 50 秒",
    "ttm_steps_info": "10–100。离线模式下决定编曲细节（声部层次、加花、装饰音）。",
    "ttm_cfg": "CFG（提示词强度）",
    "ttm_cfg_info": "1–15，步长 0.1。离线模式下决定提示词在多大程度上覆盖种子自己的选择。",
    "ttm_preview": "预览 — 已生成的部分",
    "ttm_result": "结果",
    "itm_image": "图片（png、jpg、webp）",
    "itm_image_url": "…或图片链接",
    "itm_image_url_info": "远程提供方通过链接获取图片。",
    "itm_tencent_hint": (
        "ℹ️ **腾讯需要通过链接获取图片**，而本工作室没有公网地址（未设置 `STUDIO_PUBLIC_URL`），"
        "上传的文件它取不到：请在下方填写一个公开可访问的**图片链接**。"
    ),
    "itm_songs": "歌曲数量",
    "itm_songs_info": "1–100 首",
    "itm_output": "输出格式",
    "itm_output_info": "mp4：图片配上音乐的视频",
    "itm_mood_style": "情绪与曲风",
    "itm_emotion": "情绪",
    "itm_emotion_info": "留空则从图片判断。温暖（WARM）和愤怒（ANGRY）需要多轨（MULTITRACK）。",
    "itm_genre": "曲风",
    "itm_genre_info": "留空则从图片判断。多轨（MULTITRACK）时不可选。",
    "itm_from_picture": "（从图片判断）",
    "itm_song_type": "歌曲类型",
    "itm_song_type_large": "大模型（LARGE_MODEL）",
    "itm_song_type_multi": "多轨（MULTITRACK）",
    "itm_first_song": "第一首",
    "itm_video": "视频",
    "emotion_HAPPY": "快乐（HAPPY）",
    "emotion_SAD": "悲伤（SAD）",
    "emotion_ROMANTIC": "浪漫（ROMANTIC）",
    "emotion_QUIET": "安静（QUIET）",
    "emotion_LAZY": "慵懒（LAZY）",
    "emotion_EXCITING": "激动（EXCITING）",
    "emotion_MAGNIFICENT": "宏伟（MAGNIFICENT）",
    "emotion_FUNNY": "滑稽（FUNNY）",
    "emotion_FEAR": "恐惧（FEAR）",
    "emotion_WARM": "温暖（WARM）",
    "emotion_ANGRY": "愤怒（ANGRY）",
    "genre_POP": "流行（POP）",
    "genre_CLASSICAL": "古典（CLASSICAL）",
    "genre_CHINA": "中国风（CHINA）",
    "genre_SOFT": "轻音乐（SOFT）",
    "genre_JAZZ": "爵士（JAZZ）",
    "ext_audio": "歌曲（wav、mp3、flac、ogg）",
    "ext_upload_url": "…或歌曲链接",
    "ext_prompt_info": "默认模式：写怎样续写；自定义模式：写完整歌词。",
    "ext_custom_mode": "自定义模式",
    "ext_custom_mode_info": "需要填写风格、标题和续写起点",
    "ext_instrumental": "纯音乐",
    "ext_style": "风格",
    "ext_style_placeholder": "例如：古典、爵士、jazz",
    "ext_title": "标题",
    "ext_continue_at": "续写起点（秒）",
    "ext_continue_at_info": "大于 0 且小于歌曲时长；起点之前的部分原样保留。",
    "ext_model": "模型",
    "ext_model_info": "必须与原曲的模型一致。",
    "ext_suno_model_hint": (
        "⚠️ **Suno**：请选择原曲生成时用的模型，模型不一致 Suno 会拒绝。"
        "下面的人声性别和各项权重也是 Suno 专用设置。"
    ),
    "ext_negative_tags": "排除的风格标签",
    "ext_negative_tags_placeholder": "不想要的风格",
    "ext_vocal_gender": "人声性别",
    "ext_vocal_any": "不限",
    "ext_vocal_m": "男声（m）",
    "ext_vocal_f": "女声（f）",
    "ext_style_weight": "风格权重（0–1）",
    "ext_weirdness": "创意度（0–1）",
    "ext_audio_weight": "原曲权重（0–1）",
    "ext_generate": "续写",
    "ext_result": "续写后的歌曲",
    "ext_again": "再续写一次",
    "tti_prompt_placeholder": "例如：金色的麦田 蓝天 白云 — 也可以写英文",
    "tti_negative_prompt": "反向提示词",
    "tti_negative_info": "离线模式下，这里写到的元素不会画出来。",
    "tti_width": "宽度",
    "tti_height": "高度",
    "tti_size_info": "64–2048，8 的倍数",
    "tti_cfg_scale": "CFG 强度",
    "tti_images": "图片数量",
    "tti_images_info": "1–8 张；种子依次为 seed、seed+1、…",
    "tti_sampler": "采样器",
    "tti_hires": "高清修复",
    "tti_restore_faces": "面部修复",
    "tti_hr_scale": "高清放大倍数",
    "tti_hr_steps": "高清修复步数",
    "tti_denoising": "重绘幅度",
    "tti_checkpoint": "模型（Checkpoint）",
    "tti_vae": "VAE",
    "tti_clip_skip": "CLIP 跳过层数",
    "tti_offline_note": (
        "模型（Checkpoint）、VAE、CLIP 跳过层数和面部修复是 Img Open 的设置：选择离线时隐藏"
        "（离线画师没有可选的模型）。离线图片使用 Twitter, Inc. 及贡献者的 Twemoji 图形"
        "（CC-BY 4.0 许可）。"
    ),
    "tti_forming": "正在成形…",
    "tti_gallery": "图片",
    "tti_send": "把第一张图发送到“图生音乐”",
    "vup_video": "视频（mp4、webm；最长 60 秒）",
    "vup_creation_id": "作品 ID（creation_id）",
    "vup_creation_id_info": (
        "Vidu 只能超分它自己生成的视频：请填写已完成的 Vidu 任务中 `creations` 列表里某一项的 "
        "id（不是任务 id）。"
    ),
    "vup_scale": "放大倍数",
    "vup_scale_info": "离线：2×–4×",
    "vup_model": "模型",
    "vup_duration": "时长（秒）",
    "vup_generate": "超分",
    "vup_preview": "帧预览",
    "vup_result": "超分后的视频",
    "hist_capability": "功能",
    "hist_state": "状态",
    "hist_all": "全部",
    "hist_refresh": "↻ 刷新",
    "hist_table": "任务（最新的在前）— 点选一行即可打开",
    "hist_more": "加载更多",
    "hist_job_id": "任务 ID",
    "hist_job_id_placeholder": "点选一行，或粘贴任务 ID",
    "hist_open": "打开",
    "hist_heading": "打开一个任务，查看它的参数、事件和文件。",
    "hist_watch": "👁️ 跟踪进度",
    "hist_stop_watch": "停止跟踪",
    "hist_cancel": "取消任务",
    "hist_load": "载入参数",
    "hist_audio": "音频",
    "hist_video": "视频",
    "hist_images": "图片",
    "hist_params": "参数（API 格式，含提供方）",
    "hist_events": "事件",
    "hist_confirm": "确认删除这个任务及其文件",
    "hist_delete": "🗑️ 删除任务",
    "hist_share": "🔗 分享链接",
    "hist_revoke": "撤销链接",
    "state_queued": "排队中",
    "state_running": "运行中",
    "state_succeeded": "成功",
    "state_failed": "失败",
    "state_cancelled": "已取消",
    "set_intro": (
        "## 你的提供方密钥\n在这里保存的密钥**只保存在服务器内存中，且只对你当前的浏览器会话有效**："
        "只用于你的任务，不会再次显示，不会写入任务历史，关闭标签页后即失效（除非你让浏览器记住）。"
        "输入框留空会保留之前保存的密钥；**清除**会全部忘掉。"
    ),
    "set_require_user_keys": (
        "🔑 **本工作室要求每位访客使用自己的密钥。** 服务器自带的密钥不会用于你的任务："
        "在这里保存某个远程提供方的密钥后，它才会出现在各标签页的提供方列表中。**离线**模式始终无需密钥。"
    ),
    "set_sandbox": (
        "🧪 **沙盒模式**：所有远程提供方都是运行在本服务器上的内置模拟器，使用假密钥。"
        "在这里保存的密钥只会发给这些模拟器。"
    ),
    "set_serves_imgopen": "提供：文生图、文生音乐",
    "set_serves_tencent": "提供：图生音乐",
    "set_serves_suno": "提供：续写歌曲",
    "set_serves_vidu": "提供：视频超分",
    "set_key_placeholder": "粘贴你的密钥",
    "set_vidu_url": "VIDU_BASE_URL（服务器设置）：",
    "set_vidu_url_unset": "VIDU_BASE_URL（服务器设置）：`未设置` — Vidu 不可用。",
    "set_remember": "在此浏览器中记住",
    "set_remember_off": (
        "本服务器**未开启**在浏览器中记住密钥。如需开启，请运维人员在环境变量或 `.env` 中设置 "
        "`STUDIO_BROWSER_SECRET`（一串足够长的随机字符）并重启应用。"
    ),
    # keys: remembered keys and the server's mode (per-visitor key safety)
    "set_remember_on": (
        "🔒 勾选**在此浏览器中记住**后，本服务器会先用一把从不离开服务器的密钥把你的密钥加密，"
        "浏览器里只保存一段密封的数据，只有本服务器能打开。使用这个浏览器配置文件的人仍能在这里用你的"
        "密钥运行任务，所以请只在自己的设备上勾选；**清除**也会删掉这段数据。"
    ),
    "set_mode_public": (
        "**公开模式**：每个任务只属于你自己（别人看不到也停不了），每位访客的运行和保存量都有上限。"
    ),
    "set_mode_private": "**私用模式**：本工作室只属于一位用户，打开它的人能看到所有任务。",
    "set_save": "保存密钥",
    "set_clear": "清除密钥",
    "set_no_keys": "本会话尚未保存密钥。",
    "set_providers": "## 提供方",
    "set_check": "检查连通性",
    "set_check_note": (
        "检查时会向每个提供方的地址发送一个不带密钥的请求：只要有回应（哪怕是错误页面），就说明网络是通的。"
    ),
}

LABELS: dict[Lang, dict[str, str]] = {"en": LABELS_EN, "zh": LABELS_ZH}


def i18n(key: str) -> I18nData:
    """A label the browser shows in its own language. An unknown key fails at build time."""
    if key not in LABELS_EN:
        raise KeyError(f"no label {key!r} in tabs/i18n.py")
    return I18nData(key)


def i18n_object() -> gr.I18n:
    """What `launch(i18n=...)` takes: every label in both languages."""
    chinese = {locale: dict(LABELS_ZH) for locale in CHINESE_LOCALES}
    return gr.I18n(**{"en": dict(LABELS_EN), **chinese})


def label(lang: Lang, key: str) -> str:
    """A label's text in `lang`, for handlers that write one (e.g. a choice's display name)."""
    return LABELS[lang][key]


def tr(lang: Lang, key: str, **values: Any) -> str:
    """A handler's sentence in `lang`: the message `key` of the catalog (core/locale/)."""
    return render(msg(key, **values), lang)


def language(accept_language: str | None) -> Lang:
    """Chinese when the most wanted language is any Chinese, else English (the page's rule)."""
    best, best_q = "", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > best_q:
            best, best_q = tag.strip().lower(), q
    return "zh" if best == "zh" or best.startswith("zh-") else DEFAULT_LANG


def request_lang(request: gr.Request | None = None) -> Lang:
    """The language of the request being handled (the handler's own, else Gradio's current)."""
    if request is None:
        request = LocalContext.request.get(None)
    headers = getattr(request, "headers", None)
    if headers is None:
        return DEFAULT_LANG
    return language(headers.get("accept-language"))


def headers(lang: Lang, key: str) -> list[str]:
    return tr(lang, key).split("|")


# ---------------------------------------------------------------------------- core's messages
def invalid_message(field: str, message: Text, lang: Lang) -> str:
    """An InvalidRequest as shown: "field: message", the message in `lang`."""
    return render(msg("invalid_field", field=field, message=message), lang)


def progress_message(message: Text, lang: Lang) -> str:
    """An engine's progress or a job's end in `lang` (a provider's own words as written)."""
    return render(message, lang)


def warning_message(message: Text, lang: Lang) -> str:
    """A request's warning in `lang`."""
    return render(message, lang)


def english_labels(value: Any) -> Any:
    """`value` (Gradio's API description) with every label key replaced by its English text:
    the API page and gradio_client name parameters and results after the labels."""
    if isinstance(value, I18nData):
        return LABELS_EN.get(value.key, value.key)
    if isinstance(value, str) and value.startswith("__i18n__"):
        match = re.fullmatch(
            r'__i18n__\{"__type__": "translation_metadata", "key": "([^"]+)"\}', value
        )
        return LABELS_EN.get(match[1], value) if match else value
    if isinstance(value, dict):
        if set(value) in ({"key", "_type"}, {"key", "__type__"}) and "translation_metadata" in (
            value.get("_type"),
            value.get("__type__"),
        ):
            return LABELS_EN.get(str(value["key"]), value["key"])
        return {name: english_labels(item) for name, item in value.items()}
    if isinstance(value, list):
        return [english_labels(item) for item in value]
    return value


def bilingual(key: str) -> str:
    """ "English · 中文" as plain text, for choice labels: a choice's label key shows raw in an
    examples table, where the browser does not translate it."""
    english, chinese = label("en", key), label("zh", key)
    return english if english == chinese else f"{english} · {chinese}"
