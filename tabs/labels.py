"""The page's labels, hints, buttons and Markdown: English and Chinese side by side.

Each entry is a label key with its text in both languages. tabs/i18n.py hands them to Gradio
(`gr.I18n`), which lets the browser pick its language. A label must not contain `{`, `}` or
`<` (the browser formats labels as ICU messages).
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    # the page
    "intro": {
        "en": "# AIGC Studio\nMusic, pictures and video from one studio. **Offline** runs on this machine with no key; remote providers appear in each tab's picker once their keys are set.",
        "zh": "# AIGC Studio\n音乐、图片和视频，一站生成。**离线**模式在本机运行，无需密钥；设置好密钥后，各标签页的提供方列表里会出现对应的远程提供方。",
    },
    "tab_text_to_music": {
        "en": "Text to music",
        "zh": "文生音乐",
    },
    "tab_image_to_music": {
        "en": "Image to music",
        "zh": "图生音乐",
    },
    "tab_extend_music": {
        "en": "Extend a song",
        "zh": "续写歌曲",
    },
    "tab_text_to_image": {
        "en": "Text to image",
        "zh": "文生图",
    },
    "tab_video_upscale": {
        "en": "Video upscale",
        "zh": "视频超分",
    },
    "tab_history": {
        "en": "History",
        "zh": "历史记录",
    },
    "tab_settings": {
        "en": "Settings",
        "zh": "设置",
    },
    # shared by the capability tabs
    "provider": {
        "en": "Provider",
        "zh": "提供方",
    },
    "provider_info": {
        "en": "Offline runs on this machine with no key; remote providers appear when keyed.",
        "zh": "离线模式在本机运行，无需密钥；设置密钥后会出现远程提供方。",
    },
    "provider_offline": {
        "en": "Offline",
        "zh": "离线",
    },
    "badge_offline": {
        "en": "offline",
        "zh": "离线",
    },
    "badge_live": {
        "en": "live",
        "zh": "在线",
    },
    "badge_sandbox": {
        "en": "sandbox",
        "zh": "沙盒",
    },
    "generate": {
        "en": "Generate",
        "zh": "生成",
    },
    "stop": {
        "en": "Stop",
        "zh": "停止",
    },
    "ready": {
        "en": "Ready.",
        "zh": "就绪。",
    },
    "prompt": {
        "en": "Prompt",
        "zh": "提示词",
    },
    "steps": {
        "en": "Steps",
        "zh": "步数",
    },
    "seed": {
        "en": "Seed",
        "zh": "种子",
    },
    "seed_info": {
        "en": "-1 = random",
        "zh": "-1 表示随机",
    },
    "seed_used": {
        "en": "Seed used",
        "zh": "实际使用的种子",
    },
    "advanced": {
        "en": "Advanced",
        "zh": "高级设置",
    },
    "preview": {
        "en": "Preview",
        "zh": "预览",
    },
    "files": {
        "en": "Files",
        "zh": "文件",
    },
    "all_files": {
        "en": "All files",
        "zh": "全部文件",
    },
    "examples": {
        "en": "Examples — click one to fill the form",
        "zh": "示例 — 点击即可填入表单",
    },
    "ex_image": {
        "en": "Image",
        "zh": "图片",
    },
    "ex_song": {
        "en": "Song",
        "zh": "歌曲",
    },
    "ex_video": {
        "en": "Video",
        "zh": "视频",
    },
    "examples_en": {
        "en": "Examples in English — click one to fill the form",
        "zh": "英文示例 — 点击即可填入表单",
    },
    "examples_zh": {
        "en": "Examples in Chinese — click one to fill the form",
        "zh": "中文示例 — 点击即可填入表单",
    },
    "run_card": {
        "en": "Run card",
        "zh": "运行记录卡",
    },
    "download_all": {
        "en": "Download all (zip)",
        "zh": "全部下载（zip）",
    },
    "send_to_extend": {
        "en": "Send to Extend a song",
        "zh": "发送到“续写歌曲”",
    },
    # capability tabs: the compact seed buttons (no emoji: not every machine has the font)
    "seed_random": {
        "en": "Random",
        "zh": "随机",
    },
    "seed_reuse": {
        "en": "Reuse last",
        "zh": "沿用上次",
    },
    "provider_default": {
        "en": "provider default",
        "zh": "提供方默认",
    },
    "url_placeholder": {
        "en": "https://…",
        "zh": "网址，如 https://…",
    },
    # text to music
    "ttm_prompt_placeholder": {
        "en": "e.g. calm lofi piano in A minor, 80 bpm — or 欢快的流行歌 G大调",
        "zh": "例如：欢快的流行歌 G大调 每分钟120拍 — 也可以写英文，如 calm lofi piano",
    },
    "ttm_prompt_info": {
        "en": "Tempo (“90 bpm”, “每分钟90拍”), key (“A minor”, “G大调”), mood and instruments are understood in English and Chinese.",
        "zh": "速度（“每分钟90拍”“90 bpm”）、调性（“G大调”“A minor”）、情绪和乐器，中英文都能识别。",
    },
    "ttm_seconds": {
        "en": "Seconds",
        "zh": "时长（秒）",
    },
    "ttm_seconds_info": {
        "en": "1 to 50",
        "zh": "1 到 50 秒",
    },
    "ttm_steps_info": {
        "en": "10–100. Offline: arrangement detail (layers, fills, ornaments).",
        "zh": "10–100。离线模式下决定编曲细节（声部层次、加花、装饰音）。",
    },
    "ttm_cfg": {
        "en": "CFG",
        "zh": "CFG（提示词强度）",
    },
    "ttm_cfg_info": {
        "en": "1–15 in steps of 0.1. Offline: how strictly prompt words override the seed's own choices.",
        "zh": "1–15，步长 0.1。离线模式下决定提示词在多大程度上覆盖种子自己的选择。",
    },
    "ttm_preview": {
        "en": "Preview — the piece so far",
        "zh": "预览 — 已生成的部分",
    },
    "ttm_result": {
        "en": "Result",
        "zh": "结果",
    },
    # image to music
    "itm_image": {
        "en": "Image (png, jpg, webp)",
        "zh": "图片（png、jpg、webp）",
    },
    "itm_image_url": {
        "en": "…or an image URL",
        "zh": "…或图片链接",
    },
    "itm_image_url_info": {
        "en": "Remote providers fetch the picture from a URL.",
        "zh": "远程提供方通过链接获取图片。",
    },
    "itm_tencent_hint": {
        "en": "**Tencent fetches the picture from a URL**, and this studio has no public address (`STUDIO_PUBLIC_URL` is not set), so an uploaded file cannot reach it: paste a public **image URL** below instead.",
        "zh": "**腾讯需要通过链接获取图片**，而本工作室没有公网地址（未设置 `STUDIO_PUBLIC_URL`），上传的文件它取不到：请在下方填写一个公开可访问的**图片链接**。",
    },
    "itm_songs": {
        "en": "Songs",
        "zh": "歌曲数量",
    },
    "itm_songs_info": {
        "en": "1–100",
        "zh": "1–100 首",
    },
    "itm_output": {
        "en": "Output",
        "zh": "输出格式",
    },
    "itm_output_info": {
        "en": "mp4: the picture with its music",
        "zh": "mp4：图片配上音乐的视频",
    },
    "itm_mood_style": {
        "en": "Mood and style",
        "zh": "情绪与曲风",
    },
    "itm_emotion": {
        "en": "Emotion",
        "zh": "情绪",
    },
    "itm_emotion_info": {
        "en": "Empty: read from the picture. Warm and Angry need Multitrack.",
        "zh": "留空则从图片判断。温暖和愤怒需要多轨。",
    },
    "itm_genre": {
        "en": "Genre",
        "zh": "曲风",
    },
    "itm_genre_info": {
        "en": "Empty: read from the picture. Not with Multitrack.",
        "zh": "留空则从图片判断。多轨时不可选。",
    },
    "itm_from_picture": {
        "en": "(from the picture)",
        "zh": "（从图片判断）",
    },
    "itm_song_type": {
        "en": "Song type",
        "zh": "歌曲类型",
    },
    "itm_song_type_large": {
        "en": "Large model",
        "zh": "大模型",
    },
    "itm_song_type_multi": {
        "en": "Multitrack",
        "zh": "多轨",
    },
    "itm_first_song": {
        "en": "First song",
        "zh": "第一首",
    },
    "itm_video": {
        "en": "Video",
        "zh": "视频",
    },
    "emotion_HAPPY": {
        "en": "Happy",
        "zh": "快乐",
    },
    "emotion_SAD": {
        "en": "Sad",
        "zh": "悲伤",
    },
    "emotion_ROMANTIC": {
        "en": "Romantic",
        "zh": "浪漫",
    },
    "emotion_QUIET": {
        "en": "Quiet",
        "zh": "安静",
    },
    "emotion_LAZY": {
        "en": "Lazy",
        "zh": "慵懒",
    },
    "emotion_EXCITING": {
        "en": "Exciting",
        "zh": "激动",
    },
    "emotion_MAGNIFICENT": {
        "en": "Magnificent",
        "zh": "宏伟",
    },
    "emotion_FUNNY": {
        "en": "Funny",
        "zh": "滑稽",
    },
    "emotion_FEAR": {
        "en": "Fear",
        "zh": "恐惧",
    },
    "emotion_WARM": {
        "en": "Warm",
        "zh": "温暖",
    },
    "emotion_ANGRY": {
        "en": "Angry",
        "zh": "愤怒",
    },
    "genre_POP": {
        "en": "Pop",
        "zh": "流行",
    },
    "genre_CLASSICAL": {
        "en": "Classical",
        "zh": "古典",
    },
    "genre_CHINA": {
        "en": "Chinese style",
        "zh": "中国风",
    },
    "genre_SOFT": {
        "en": "Light music",
        "zh": "轻音乐",
    },
    "genre_JAZZ": {
        "en": "Jazz",
        "zh": "爵士",
    },
    # extend a song
    "ext_audio": {
        "en": "Song (wav, mp3, flac, ogg)",
        "zh": "歌曲（wav、mp3、flac、ogg）",
    },
    "ext_upload_url": {
        "en": "…or the song's URL",
        "zh": "…或歌曲链接",
    },
    "ext_prompt_info": {
        "en": "How to continue (default mode), or the exact lyrics (custom mode).",
        "zh": "默认模式：写怎样续写；自定义模式：写完整歌词。",
    },
    "ext_custom_mode": {
        "en": "Custom mode",
        "zh": "自定义模式",
    },
    "ext_custom_mode_info": {
        "en": "Needs style, title and continue at",
        "zh": "需要填写风格、标题和续写起点",
    },
    "ext_instrumental": {
        "en": "Instrumental",
        "zh": "纯音乐",
    },
    "ext_style": {
        "en": "Style",
        "zh": "风格",
    },
    "ext_style_placeholder": {
        "en": "e.g. jazz, 古典",
        "zh": "例如：古典、爵士、jazz",
    },
    "ext_title": {
        "en": "Title",
        "zh": "标题",
    },
    "ext_continue_at": {
        "en": "Continue at (seconds)",
        "zh": "续写起点（秒）",
    },
    "ext_continue_at_info": {
        "en": "0: go on from the end of the song. Custom mode needs a second within the song; "
        "everything before it is kept as is.",
        "zh": "0：从歌曲结尾接着写。自定义模式需要填写歌曲之内的秒数；它之前的部分原样保留。",
    },
    "ext_model": {
        "en": "Model",
        "zh": "模型",
    },
    "ext_model_info": {
        "en": "Must match the source song's model.",
        "zh": "必须与原曲的模型一致。",
    },
    "ext_suno_model_hint": {
        "en": "**Suno**: pick the model the source song was made with — Suno refuses a different one. Vocal gender and the weights below are Suno settings too.",
        "zh": "**Suno**：请选择原曲生成时用的模型，模型不一致 Suno 会拒绝。下面的人声性别和各项权重也是 Suno 专用设置。",
    },
    "ext_negative_tags": {
        "en": "Negative tags",
        "zh": "排除的风格标签",
    },
    "ext_negative_tags_placeholder": {
        "en": "styles to avoid",
        "zh": "不想要的风格",
    },
    "ext_vocal_gender": {
        "en": "Vocal gender",
        "zh": "人声性别",
    },
    "ext_vocal_any": {
        "en": "any",
        "zh": "不限",
    },
    "ext_vocal_m": {
        "en": "male (m)",
        "zh": "男声（m）",
    },
    "ext_vocal_f": {
        "en": "female (f)",
        "zh": "女声（f）",
    },
    "ext_style_weight": {
        "en": "Style weight (0–1; 0: Suno decides)",
        "zh": "风格权重（0–1；0 由 Suno 决定）",
    },
    "ext_weirdness": {
        "en": "Weirdness (0–1; 0: Suno decides)",
        "zh": "创意度（0–1；0 由 Suno 决定）",
    },
    "ext_audio_weight": {
        "en": "Audio weight (0–1; 0: Suno decides)",
        "zh": "原曲权重（0–1；0 由 Suno 决定）",
    },
    "ext_generate": {
        "en": "Extend",
        "zh": "续写",
    },
    "ext_result": {
        "en": "Extended song",
        "zh": "续写后的歌曲",
    },
    "ext_again": {
        "en": "Extend it again",
        "zh": "再续写一次",
    },
    # text to image
    "tti_prompt_placeholder": {
        "en": "e.g. red sunset over the sea, mountains — 或中文",
        "zh": "例如：金色的麦田 蓝天 白云 — 也可以写英文",
    },
    "tti_negative_prompt": {
        "en": "Negative prompt",
        "zh": "反向提示词",
    },
    "tti_negative_info": {
        "en": "Offline: named elements are left out.",
        "zh": "离线模式下，这里写到的元素不会画出来。",
    },
    "tti_width": {
        "en": "Width",
        "zh": "宽度",
    },
    "tti_height": {
        "en": "Height",
        "zh": "高度",
    },
    "tti_size_info": {
        "en": "64–2048, multiples of 8",
        "zh": "64–2048，8 的倍数",
    },
    "tti_cfg_scale": {
        "en": "CFG scale",
        "zh": "CFG 强度",
    },
    "tti_images": {
        "en": "Images",
        "zh": "图片数量",
    },
    "tti_images_info": {
        "en": "1–8; seeds seed, seed+1, …",
        "zh": "1–8 张；种子依次为 seed、seed+1、…",
    },
    "tti_sampler": {
        "en": "Sampler",
        "zh": "采样器",
    },
    "tti_hires": {
        "en": "Hires fix",
        "zh": "高清修复",
    },
    "tti_restore_faces": {
        "en": "Restore faces",
        "zh": "面部修复",
    },
    "tti_hr_scale": {
        "en": "Hires upscale",
        "zh": "高清放大倍数",
    },
    "tti_hr_steps": {
        "en": "Hires steps",
        "zh": "高清修复步数",
    },
    "tti_denoising": {
        "en": "Denoising strength",
        "zh": "重绘幅度",
    },
    "tti_checkpoint": {
        "en": "Checkpoint",
        "zh": "模型（Checkpoint）",
    },
    "tti_vae": {
        "en": "VAE",
        "zh": "VAE",
    },
    "tti_clip_skip": {
        "en": "Clip skip",
        "zh": "CLIP 跳过层数",
    },
    "tti_offline_note": {
        "en": "Checkpoint, VAE, clip skip and restore faces are Img Open settings: they are hidden while Offline is picked (the offline painter has no models to choose). Offline pictures use Twemoji graphics by Twitter, Inc. and contributors, CC-BY 4.0.",
        "zh": "模型（Checkpoint）、VAE、CLIP 跳过层数和面部修复是 Img Open 的设置：选择离线时隐藏（离线画师没有可选的模型）。离线图片使用 Twitter, Inc. 及贡献者的 Twemoji 图形（CC-BY 4.0 许可）。",
    },
    "tti_forming": {
        "en": "Forming…",
        "zh": "正在成形…",
    },
    "tti_gallery": {
        "en": "Images",
        "zh": "图片",
    },
    "tti_send": {
        "en": "Send first image to Image to music",
        "zh": "把第一张图发送到“图生音乐”",
    },
    # video upscale
    "vup_video": {
        "en": "Video (mp4, webm; up to 60 s)",
        "zh": "视频（mp4、webm；最长 60 秒）",
    },
    "vup_creation_id": {
        "en": "Creation id",
        "zh": "作品 ID（creation_id）",
    },
    "vup_creation_id_info": {
        "en": "Vidu upscales a video it made: give the id of an item in a finished Vidu task's `creations` list (not the task id).",
        "zh": "Vidu 只能超分它自己生成的视频：请填写已完成的 Vidu 任务中 `creations` 列表里某一项的 id（不是任务 id）。",
    },
    "vup_scale": {
        "en": "Scale",
        "zh": "放大倍数",
    },
    "vup_scale_info": {
        "en": "Offline: 2×–4×",
        "zh": "离线：2×–4×",
    },
    "vup_model": {
        "en": "Model",
        "zh": "模型",
    },
    "vup_duration": {
        "en": "Duration (s)",
        "zh": "时长（秒）",
    },
    "vup_generate": {
        "en": "Upscale",
        "zh": "超分",
    },
    "vup_preview": {
        "en": "Frame preview",
        "zh": "帧预览",
    },
    "vup_result": {
        "en": "Upscaled video",
        "zh": "超分后的视频",
    },
    # history: a gallery of cards, the detail of one job (plain names, states in words)
    "hist_capability": {
        "en": "Capability",
        "zh": "功能",
    },
    "hist_state": {
        "en": "State",
        "zh": "状态",
    },
    "hist_all": {
        "en": "all",
        "zh": "全部",
    },
    "hist_refresh": {
        "en": "↻ Refresh",
        "zh": "↻ 刷新",
    },
    "hist_more": {
        "en": "Load more",
        "zh": "加载更多",
    },
    "hist_job_id": {
        "en": "Job id",
        "zh": "任务 ID",
    },
    "hist_job_id_placeholder": {
        "en": "click a card, or paste a job id",
        "zh": "点选一张卡片，或粘贴任务 ID",
    },
    "hist_open": {
        "en": "Open",
        "zh": "打开",
    },
    "hist_heading": {
        "en": "Click a job to see its results, settings and events.",
        "zh": "点选一个任务，查看它的结果、参数和事件。",
    },
    "hist_watch": {
        "en": "Watch",
        "zh": "跟踪进度",
    },
    "hist_stop_watch": {
        "en": "Stop watching",
        "zh": "停止跟踪",
    },
    "hist_cancel": {
        "en": "Cancel job",
        "zh": "取消任务",
    },
    "hist_load": {
        "en": "Reuse settings",
        "zh": "复用参数",
    },
    "hist_audio": {
        "en": "Audio",
        "zh": "音频",
    },
    "hist_video": {
        "en": "Video",
        "zh": "视频",
    },
    "hist_images": {
        "en": "Images",
        "zh": "图片",
    },
    "hist_show_all": {
        "en": "Show all files",
        "zh": "显示全部文件",
    },
    "hist_settings": {
        "en": "Settings of this job",
        "zh": "这个任务的参数",
    },
    "hist_params": {
        "en": "For the API (parameter names, with provider)",
        "zh": "API 格式（参数名，含提供方）",
    },
    "hist_events": {
        "en": "Events",
        "zh": "事件",
    },
    "hist_provider_calls": {
        "en": "Provider calls",
        "zh": "提供方调用记录",
    },
    "hist_confirm": {
        "en": "Yes, delete this job and its files",
        "zh": "确认删除这个任务及其文件",
    },
    "hist_delete": {
        "en": "Delete job",
        "zh": "删除任务",
    },
    "hist_share": {
        "en": "Share link",
        "zh": "分享链接",
    },
    "hist_revoke": {
        "en": "Revoke link",
        "zh": "撤销链接",
    },
    "state_queued": {
        "en": "Queued",
        "zh": "排队中",
    },
    "state_running": {
        "en": "Running",
        "zh": "运行中",
    },
    "state_succeeded": {
        "en": "Done",
        "zh": "完成",
    },
    "state_failed": {
        "en": "Failed",
        "zh": "失败",
    },
    "state_cancelled": {
        "en": "Stopped",
        "zh": "已停止",
    },
    # settings
    "set_intro": {
        "en": "## Your provider keys\nKeys you save here are kept **in this server's memory for your browser session only**: they are used for your jobs, never shown again, never written to the job history, and gone when you close the tab (unless you ask this browser to remember them). A blank box keeps the key saved before; **Clear** forgets them all.",
        "zh": "## 你的提供方密钥\n在这里保存的密钥**只保存在服务器内存中，且只对你当前的浏览器会话有效**：只用于你的任务，不会再次显示，不会写入任务历史，关闭标签页后即失效（除非你让浏览器记住）。输入框留空会保留之前保存的密钥；**清除**会全部忘掉。",
    },
    "set_require_user_keys": {
        "en": "**This studio asks every visitor to bring their own keys.** The server's own keys are not used for your jobs: a remote provider appears in the tabs' pickers once you save its keys here. **Offline** always works without a key.",
        "zh": "**本工作室要求每位访客使用自己的密钥。** 服务器自带的密钥不会用于你的任务：在这里保存某个远程提供方的密钥后，它才会出现在各标签页的提供方列表中。**离线**模式始终无需密钥。",
    },
    "set_sandbox": {
        "en": "**Sandbox mode**: every remote provider is the built-in emulator running on this server, with dummy keys. Keys saved here are sent only to those emulators.",
        "zh": "**沙盒模式**：所有远程提供方都是运行在本服务器上的内置模拟器，使用假密钥。在这里保存的密钥只会发给这些模拟器。",
    },
    "set_serves_imgopen": {
        "en": "serves Text to image, Text to music",
        "zh": "提供：文生图、文生音乐",
    },
    "set_serves_tencent": {
        "en": "serves Image to music",
        "zh": "提供：图生音乐",
    },
    "set_serves_suno": {
        "en": "serves Extend a song",
        "zh": "提供：续写歌曲",
    },
    "set_serves_vidu": {
        "en": "serves Video upscale",
        "zh": "提供：视频超分",
    },
    "set_key_placeholder": {
        "en": "paste your key",
        "zh": "粘贴你的密钥",
    },
    "set_vidu_url": {
        "en": "Vidu address (the server setting VIDU_BASE_URL):",
        "zh": "Vidu 地址（服务器设置 VIDU_BASE_URL）：",
    },
    "set_vidu_url_unset": {
        "en": "Vidu address (the server setting VIDU_BASE_URL): not set, so Vidu stays off.",
        "zh": "Vidu 地址（服务器设置 VIDU_BASE_URL）：未设置，Vidu 不可用。",
    },
    # settings: each key by what it is (its environment variable is shown beside it)
    "set_key_imgopen_access_key_id": {
        "en": "Img Open access key ID",
        "zh": "Img Open 访问密钥 ID",
    },
    "set_key_imgopen_access_key_secret": {
        "en": "Img Open access key secret",
        "zh": "Img Open 访问密钥 Secret",
    },
    "set_key_tencent_mmlab_secret_id": {
        "en": "Tencent SecretId",
        "zh": "腾讯云 SecretId",
    },
    "set_key_tencent_mmlab_secret_key": {
        "en": "Tencent SecretKey",
        "zh": "腾讯云 SecretKey",
    },
    "set_key_suno_api_key": {
        "en": "Suno API key",
        "zh": "Suno API 密钥",
    },
    "set_key_vidu_api_key": {
        "en": "Vidu API key",
        "zh": "Vidu API 密钥",
    },
    "set_remember": {
        "en": "Remember in this browser",
        "zh": "在此浏览器中记住",
    },
    "set_remember_off": {
        "en": "Remembering keys in this browser is **off** on this server. To enable it, the operator sets `STUDIO_BROWSER_SECRET` (a long random string) in the environment or `.env` and restarts the app.",
        "zh": "本服务器**未开启**在浏览器中记住密钥。如需开启，请运维人员在环境变量或 `.env` 中设置 `STUDIO_BROWSER_SECRET`（一串足够长的随机字符）并重启应用。",
    },
    # keys: remembered keys and the server's mode (per-visitor key safety)
    "set_remember_on": {
        "en": "With **Remember in this browser**, this server encrypts your keys before they reach the browser, with a key that never leaves the server: the browser keeps only a sealed blob that only this server can open. Whoever uses this browser profile can still run jobs with your keys here, so tick it only on your own device; **Clear** removes the blob too.",
        "zh": "勾选**在此浏览器中记住**后，本服务器会先用一把从不离开服务器的密钥把你的密钥加密，浏览器里只保存一段密封的数据，只有本服务器能打开。使用这个浏览器配置文件的人仍能在这里用你的密钥运行任务，所以请只在自己的设备上勾选；**清除**也会删掉这段数据。",
    },
    "set_mode_public": {
        "en": "**Public mode**: every job is yours alone (nobody else sees or stops it), and limits apply to how much each visitor runs and keeps.",
        "zh": "**公开模式**：每个任务只属于你自己（别人看不到也停不了），每位访客的运行和保存量都有上限。",
    },
    "set_mode_private": {
        "en": "**Private mode**: this studio is one user's: every job is visible to whoever opens it.",
        "zh": "**私用模式**：本工作室只属于一位用户，打开它的人能看到所有任务。",
    },
    "set_save": {
        "en": "Save keys",
        "zh": "保存密钥",
    },
    "set_clear": {
        "en": "Clear keys",
        "zh": "清除密钥",
    },
    "set_no_keys": {
        "en": "No session keys saved.",
        "zh": "本会话尚未保存密钥。",
    },
    "set_providers": {
        "en": "## Providers",
        "zh": "## 提供方",
    },
    "set_check": {
        "en": "Check reachability",
        "zh": "检查连通性",
    },
    "set_check_note": {
        "en": "The check sends one request without any key to each provider's address: any answer (even an error page) means the network path works.",
        "zh": "检查时会向每个提供方的地址发送一个不带密钥的请求：只要有回应（哪怕是错误页面），就说明网络是通的。",
    },
}
