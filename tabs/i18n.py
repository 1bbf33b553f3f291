"""English and Simplified Chinese for the whole UI.

Two kinds of text, two tables per language:
- LABELS: what the page shows before any handler runs (labels, hints, buttons, Markdown).
  Components get `i18n("key")`; Gradio sends both tables in /config and the browser picks its
  language (zh-CN and zh-* get Chinese, everything else English). The browser formats them as
  ICU messages, so a label must not contain `{`, `}` or `<`. Gradio translates only the first
  key in a string, so one string holds at most one key.
- MESSAGES: what handlers write (status lines, errors, History and Settings sentences), picked
  per request from its Accept-Language (`request_lang`) and formatted with `str.format`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

import gradio as gr
from gradio.context import LocalContext
from gradio.i18n import I18nData

from core.messages import Text, render

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
        "while Offline is picked (the offline painter has no models to choose)."
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
        "（离线画师没有可选的模型）。"
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

MESSAGES_EN: dict[str, str] = {
    # status line (tabs.common.status_text)
    "seconds": "{seconds:.0f} s",
    "minutes": "{minutes} min {seconds:02d} s",
    "queued": "⏳ **Queued**{where} · {waited} waiting",
    "queued_position": " — position {position} in line",
    "running": "Running",
    "elapsed": "{duration} elapsed",
    "left": "about {duration} left",
    "done_one": "✅ **Done** in {duration} — {count} file",
    "done_many": "✅ **Done** in {duration} — {count} files",
    "failed": "❌ {message}",
    "progress_queued": "Queued",
    "progress_done": "Done",
    # errors and warnings
    "error_invalid": "Invalid input",
    "error_failed": "The job did not finish",
    "warning": "Warning",
    "error": "Error",
    "nothing_to_send": "Nothing to send yet: generate something first.",
    # history
    "no_job": "No job with id `{job_id}`.",
    "still_running": "This job is still running: press **Cancel job** first, then delete it.",
    "tick_confirm": "Tick **Yes, delete this job and its files** first: there is no undo.",
    "deleted_one": "🗑️ Deleted job `{job_id}` and {count} file.",
    "deleted_many": "🗑️ Deleted job `{job_id}` and {count} files.",
    "deleted_short": "Deleted.",
    "cancelling": (
        "⏹️ Cancelling the job: it stops in a moment (the provider is told where it can be)."
    ),
    "not_running": "This job is not running, so there is nothing to cancel.",
    "deleted_while_watched": "This job was deleted while being watched.",
    "so_far": "{duration} so far",
    "heading": "**{capability}** on **{provider}** — {state} · started {started} · {duration}",
    "missing_one": "⚠️ {count} output file is no longer on disk.",
    "missing_many": "⚠️ {count} output files are no longer on disk.",
    "settings_loaded": "Settings of `{job_id}` loaded into **{capability}**.",
    "table_headers": "Time|Capability|Provider|State|Summary|Duration|Job id",
    "event_headers": "Time|State|Percent|Message",
    # settings
    "keys_saved": "🔐 Session keys saved: {names}.",
    "keys_none": "No session keys saved.",
    "keys_remembered": " Remembered in this browser.",
    "keys_restored": " Restored from this browser.",
    "keys_cleared": "Session keys cleared.",
    # keys: the key rule (core/keys.py) and jobs resumed with the keys (per-visitor key safety)
    "key_refused": (
        "🚫 {field} was not saved: a key must be at least {min} characters long, contain "
        "letters or digits, and have no spaces."
    ),
    "keys_resumed_one": " ▶️ {count} job that was waiting for your key is running again.",
    "keys_resumed_many": " ▶️ {count} jobs that were waiting for your key are running again.",
    "status_headers": "Provider|Serves|Keys|Mode|Address|In your pickers|Reachable",
    "yes": "yes",
    "no": "no",
    "not_set": "not set",
    "not_checked": "— (press Check)",
    "no_address": "no address set",
    # run card
    "card_job": "**Job** `{job_id}` · **{capability}** on **{provider}** · state: {state}",
    "card_parameters": "Parameters:",
    "card_request": "Provider request (keys redacted):",
    "card_offline": "Made on this machine by the offline engine: no provider request.",
    # who this browser is on a public studio (Settings)
    "visitor_line": "You are visitor **{visitor}** here: your jobs are yours alone. From Python "
    "or an MCP client, send the header `X-Studio-Visitor: {token}` to reach them (keep it "
    "private, like a password).",
    # share links
    "share_heading": "{capability} on {provider} · {state} · made {when}",
    "share_parameters": "Parameters",
    "share_request": "Provider request (keys redacted)",
    "share_no_files": "This job has no files to show.",
    "share_made": "Anyone with this link can see this job's result, parameters and run card "
    "(never your keys): {link}",
    "share_revoked": "The share link of this job no longer works.",
    "share_none": "This job had no share link.",
}

MESSAGES_ZH: dict[str, str] = {
    "seconds": "{seconds:.0f} 秒",
    "minutes": "{minutes} 分 {seconds:02d} 秒",
    "queued": "⏳ **排队中**{where} · 已等待 {waited}",
    "queued_position": " — 前面还有 {position} 位",
    "running": "运行中",
    "elapsed": "已用时 {duration}",
    "left": "预计还需 {duration}",
    "done_one": "✅ **完成**，用时 {duration} — 共 {count} 个文件",
    "done_many": "✅ **完成**，用时 {duration} — 共 {count} 个文件",
    "failed": "❌ **失败**：{message}",
    "progress_queued": "排队中",
    "progress_done": "完成",
    "error_invalid": "输入有误",
    "error_failed": "任务没有完成",
    "warning": "提示",
    "error": "出错了",
    "nothing_to_send": "还没有可以发送的结果：请先生成。",
    "no_job": "没有 ID 为 `{job_id}` 的任务。",
    "still_running": "这个任务还在运行：请先点**取消任务**，再删除。",
    "tick_confirm": "请先勾选**确认删除这个任务及其文件**：删除后无法恢复。",
    "deleted_one": "🗑️ 已删除任务 `{job_id}` 及 {count} 个文件。",
    "deleted_many": "🗑️ 已删除任务 `{job_id}` 及 {count} 个文件。",
    "deleted_short": "已删除。",
    "cancelling": "⏹️ 正在取消任务：马上就会停止（能通知提供方的会通知到）。",
    "not_running": "这个任务没有在运行，无需取消。",
    "deleted_while_watched": "跟踪期间这个任务已被删除。",
    "so_far": "已进行 {duration}",
    "heading": "**{capability}** · **{provider}** — {state} · 开始于 {started} · {duration}",
    "missing_one": "⚠️ 有 {count} 个输出文件已不在磁盘上。",
    "missing_many": "⚠️ 有 {count} 个输出文件已不在磁盘上。",
    "settings_loaded": "已将 `{job_id}` 的参数载入 **{capability}**。",
    "table_headers": "时间|功能|提供方|状态|摘要|用时|任务 ID",
    "event_headers": "时间|状态|进度|消息",
    "keys_saved": "🔐 本会话已保存的密钥：{names}。",
    "keys_none": "本会话尚未保存密钥。",
    "keys_remembered": " 已在此浏览器中记住。",
    "keys_restored": " 已从此浏览器恢复。",
    "keys_cleared": "已清除本会话的密钥。",
    # keys: the key rule (core/keys.py) and jobs resumed with the keys (per-visitor key safety)
    "key_refused": "🚫 {field} 未保存：密钥至少 {min} 个字符，须包含字母或数字，且不能有空格。",
    "keys_resumed_one": " ▶️ 有 {count} 个等待你密钥的任务已继续运行。",
    "keys_resumed_many": " ▶️ 有 {count} 个等待你密钥的任务已继续运行。",
    "status_headers": "提供方|提供功能|密钥|模式|地址|在你的列表中|可连通",
    "yes": "是",
    "no": "否",
    "not_set": "未设置",
    "not_checked": "—（请点检查）",
    "no_address": "未设置地址",
    "card_job": "**任务** `{job_id}` · **{capability}** · **{provider}** · 状态：{state}",
    "card_parameters": "参数：",
    "card_request": "发给提供方的请求（已隐去密钥）：",
    "card_offline": "由本机的离线引擎生成：没有发给提供方的请求。",
    # who this browser is on a public studio (Settings)
    "visitor_line": "你在这里是访客 **{visitor}**：你的任务只属于你。在 Python 或 MCP 客户端中发送请求头 "
    "`X-Studio-Visitor: {token}` 即可访问它们（请像密码一样保密）。",
    # share links
    "share_heading": "{capability} · {provider} · {state} · 生成于 {when}",
    "share_parameters": "参数",
    "share_request": "发给提供方的请求（已隐去密钥）",
    "share_no_files": "这个任务没有可显示的文件。",
    "share_made": "任何拿到此链接的人都能看到这个任务的结果、参数和运行卡片（绝不含密钥）：{link}",
    "share_revoked": "这个任务的分享链接已失效。",
    "share_none": "这个任务没有分享链接。",
}

LABELS: dict[Lang, dict[str, str]] = {"en": LABELS_EN, "zh": LABELS_ZH}
MESSAGES: dict[Lang, dict[str, str]] = {"en": MESSAGES_EN, "zh": MESSAGES_ZH}


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
    """A handler's sentence in `lang`."""
    return MESSAGES[lang][key].format(**values)


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


# ---------------------------------------------------------------------------- core's sentences
# Core and the providers write English; the most common shapes get a Chinese version and the
# rest stays as written (the field name at the front always stays).
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _rules(pairs: list[tuple[str, str | Callable[[re.Match[str]], str]]]) -> list[_Rule]:
    out: list[_Rule] = []
    for pattern, replacement in pairs:
        if isinstance(replacement, str):
            out.append((re.compile(pattern), lambda m, r=replacement: m.expand(r)))
        else:
            out.append((re.compile(pattern), replacement))
    return out


_INVALID_ZH = _rules(
    [
        (r"^is required$", "为必填项"),
        (r"^is required in custom mode(.*)$", r"自定义模式下为必填项\1"),
        (r"^is required in default mode$", "默认模式下为必填项"),
        (r"^is not a parameter of this capability$", "不是此功能的参数"),
        (r"^give an (\w+) file or an? (\w+)$", r"请提供 \1 文件或 \2"),
        (r"^give a (\w+) file or a (\w+)$", r"请提供 \1 文件或 \2"),
        (r"^give either an? (\w+) file or an? (\w+), not both$", r"\1 文件和 \2 只能二选一"),
        (
            r"^'(.*)' is not available for (\w+); allowed: (.*?)"
            r"( \(add its key in Settings or \.env\))?$",
            lambda m: (
                f"'{m[1]}' 不能用于 {m[2]}；可选：{m[3]}"
                + ("（请在“设置”或 .env 中添加它的密钥）" if m[4] else "")
            ),
        ),
        # fair share and limits: core/limits.py and the input-file checks of core/media.py
        (
            r"^you already have (\d+) unfinished jobs? \((\d+) running, (\d+) waiting\); one "
            r"visitor may have at most (\d+) at once here \((\d+) running and (\d+) waiting\)\. "
            r"Wait for one to finish, or stop one in History$",
            r"你已有 \1 个未完成的任务（\2 个运行中，\3 个排队中）；这里每位访客同时最多 \4 个"
            r"（\5 个运行、\6 个排队）。请等其中一个完成，或在“历史记录”中停止一个",
        ),
        (
            r"^your jobs' files take ([\d,]+) MB here, and one visitor may keep at most ([\d,]+) "
            r"MB\. Delete jobs you no longer need in History to make room$",
            r"你的任务文件在这里已占用 \1 MB，每位访客最多可保存 \2 MB。"
            r"请在“历史记录”中删除不再需要的任务以腾出空间",
        ),
        (
            r"^(\d+) images? of (\d+)×(\d+) is ([\d.]+) MP; the offline painter makes at most "
            r"([\d.]+) MP \(pixels × images\) per job here(?:: at most (\d+) images? of this size)?$",
            lambda m: (
                f"{m[1]} 张 {m[2]}×{m[3]} 的图片共 {m[4]} MP；这里离线画师每个任务最多生成 "
                f"{m[5]} MP（像素 × 张数）" + (f"：这个尺寸最多 {m[6]} 张" if m[6] else "")
            ),
        ),
        (
            r"^(\d+) songs? of ([\d.]+) s is ([\d.]+) s of music; the offline provider makes at "
            r"most ([\d.]+) s per job here \((\d+) songs?\)$",
            r"\1 首 \2 秒的歌共 \3 秒；这里离线提供方每个任务最多生成 \4 秒（\5 首）",
        ),
        (
            r"^the video is ([\d.]+) s long; at most ([\d.]+) s can be upscaled offline here: "
            r"trim it first$",
            r"视频长 \1 秒；这里离线最多只能超分 \2 秒：请先剪短",
        ),
        (
            r"^'(.*)' is ([\d,.]+ (?:MB|bytes)); a file may be at most ([\d,.]+ (?:MB|bytes)) here$",
            lambda m: f"'{m[1]}' 大小为 {m[2]}；这里每个文件最多 {m[3]}".replace("bytes", "字节"),
        ),
        (
            r"^'(.*)' is (\d+)×(\d+) pixels \(([\d.]+) MP\); at most ([\d.]+) MP \(([\d,]+) "
            r"pixels\) is allowed here$",
            r"'\1' 为 \2×\3 像素（\4 MP）；这里最多允许 \5 MP（\6 像素）",
        ),
        (
            r"^'(.*)' has far too many pixels; at most ([\d.]+) MP \(([\d,]+) pixels\) is "
            r"allowed here$",
            r"'\1' 的像素多得离谱；这里最多允许 \2 MP（\3 像素）",
        ),
        (
            r"^'(.*)' is not a picture that can be read \(its header is damaged\)$",
            r"'\1' 不是能读取的图片（文件头已损坏）",
        ),
        (
            r"^(.*) is not allowed: (.*?)(?: \(allowed: (.*)\))?$",
            lambda m: f"{m[1]} 不可用：{m[2]}" + (f"（允许：{m[3]}）" if m[3] else ""),
        ),
    ]
)

_PROGRESS_ZH = _rules(
    [
        (r"^Starting$", "正在启动"),
        (r"^Running$", "运行中"),
        (r"^Done$", "完成"),
        (r"^Stopped\.$", "已停止。"),
        (r"^Reading the prompt$", "正在理解提示词"),
        (r"^Writing the file$", "正在写入文件"),
        (r"^Sampling step (\d+)/(\d+)$", r"采样第 \1/\2 步"),
        (r"^Rendering ([\d.]+) s of ([\d.]+) s$", r"已渲染 \1 / \2 秒"),
        (r"^Upscaling frame (\d+)/(\d+)$", r"正在放大第 \1/\2 帧"),
        (r"^Upscaling (\d+)×(\d+) to (\d+)×(\d+)$", r"正在把 \1×\2 放大到 \3×\4"),
        (r"^Analysed: (.*), ([\d.]+) bpm$", r"分析完成：\1，每分钟 \2 拍"),
        # keys: a visitor-key job after a restart (core/jobs.py, per-visitor key safety)
        (
            r"^Waiting for your key: open the studio again to continue\.$",
            "正在等待你的密钥：请再次打开工作室以继续。",
        ),
        (
            r"^Your key was not offered again within ([\d.]+) hours after the restart, so the "
            r"job was stopped; its provider task may still finish on the provider's side\.$",
            r"重启后 \1 小时内没有再次提供你的密钥，所以任务已停止；提供方那边的任务仍可能完成。",
        ),
    ]
)
_WARNINGS_ZH = _rules(
    [
        (
            r"^The song is (\d+) s long; the provider's field notes advise at most 2 minutes, "
            r"so a remote provider may refuse it\.$",
            r"这首歌长 \1 秒；提供方的字段说明建议不超过 2 分钟，远程提供方可能会拒绝。",
        ),
    ]
)
_NUMBERED = re.compile(r"^(Image|Song) (\d+)/(\d+): (.*)$")


def _apply(rules: list[_Rule], text: str) -> str | None:
    for pattern, replace in rules:
        match = pattern.match(text)
        if match:
            return replace(match)
    return None


def invalid_message(field: str, message: Text, lang: Lang) -> str:
    """An InvalidRequest as shown: "field: message", the message in `lang` where known."""
    if not isinstance(message, str):
        return f"{field}: {render(message, lang)}"
    if lang == "zh":
        message = _apply(_INVALID_ZH, message) or message
    return f"{field}: {message}"


def progress_message(message: Text, lang: Lang) -> str:
    """An engine's progress sentence in `lang` where known, else as written."""
    if not isinstance(message, str):
        return render(message, lang)
    if lang != "zh":
        return message
    numbered = _NUMBERED.match(message)
    if numbered:
        noun = "图片" if numbered[1] == "Image" else "歌曲"
        inner = progress_message(numbered[4], lang)
        return f"{noun} {numbered[2]}/{numbered[3]}：{inner}"
    return _apply(_PROGRESS_ZH, message) or message


def warning_message(message: str, lang: Lang) -> str:
    """A request's warning in `lang` where known, else as written."""
    return (_apply(_WARNINGS_ZH, message) or message) if lang == "zh" else message


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
