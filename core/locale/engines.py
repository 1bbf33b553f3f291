"""Messages of the offline engines (providers/offline/): progress steps and refusals."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ the offline provider
    "capability_text_to_music": {"en": "text to music", "zh": "文生音乐"},
    "capability_image_to_music": {"en": "image to music", "zh": "图生音乐"},
    "capability_extend_music": {"en": "extend music", "zh": "续写歌曲"},
    "capability_text_to_image": {"en": "text to image", "zh": "文生图"},
    "capability_video_upscale": {"en": "video upscale", "zh": "视频超分"},
    "offline_cannot_do": {
        "en": "offline cannot do {capability}",
        "zh": "离线提供方不能做 {capability}",
    },
    "engine_starting": {"en": "Starting", "zh": "正在启动"},
    "engine_done": {"en": "Done", "zh": "完成"},
    "engine_writing_file": {"en": "Writing the file", "zh": "正在写入文件"},
    "engine_crashed": {
        "en": "The offline {capability} engine failed ({error}); the details are in the server "
        "log.",
        "zh": "离线{capability}引擎出错（{error}）；详情见服务器日志。",
    },
    "engine_run_unknown": {
        "en": "This offline run is no longer known to the engine (the app restarted).",
        "zh": "引擎已不记得这次离线运行（应用重启过）。",
    },
    "engine_fetch_crashed": {
        "en": "Fetching the input failed ({error}); the details are in the server log.",
        "zh": "获取输入失败（{error}）；详情见服务器日志。",
    },
    "engine_fetching_image": {"en": "Fetching the image", "zh": "正在获取图片"},
    "engine_fetching_song": {"en": "Fetching the song", "zh": "正在获取歌曲"},
    "source_http_status": {
        "en": "{url} answered HTTP {status}",
        "zh": "{url} 返回了 HTTP {status}",
    },
    # ------------------------------------------------------------------ music
    "music_rendering": {
        "en": "Rendering {done} s of {total} s",
        "zh": "已渲染 {done} / {total} 秒",
    },
    "music_song_step": {"en": "Song {index}/{count}: {step}", "zh": "歌曲 {index}/{count}：{step}"},
    "music_writing_song": {"en": "writing the {format} file", "zh": "正在写入 {format} 文件"},
    "extend_reading_song": {"en": "Reading the song", "zh": "正在读取歌曲"},
    "extend_analysed": {
        "en": "Analysed: {key}, {bpm} bpm",
        "zh": "分析完成：{key}，每分钟 {bpm} 拍",
    },
    "extend_continue_at_too_late": {
        "en": "{continue_at} s must be less than the song's length ({length} s)",
        "zh": "{continue_at} 秒必须小于歌曲长度（{length} 秒）",
    },
    # ------------------------------------------------------------------ images
    "image_step": {"en": "Image {index}/{count}: {step}", "zh": "图片 {index}/{count}：{step}"},
    "image_hires_pass": {"en": "Image {index}: hires pass", "zh": "图片 {index}：高清修复"},
    # ------------------------------------------------------------------ video upscale
    "upscale_needs_file": {
        "en": "the offline provider upscales an uploaded video; a creation_id is for Vidu",
        "zh": "离线提供方只超分上传的视频；creation_id 是给 Vidu 用的",
    },
    "upscale_file_missing": {"en": "the file {name} does not exist", "zh": "文件 {name} 不存在"},
    "upscale_not_a_video": {
        "en": "this file is not a video that can be upscaled: {reason}",
        "zh": "这个文件不是可以超分的视频：{reason}",
    },
    "upscale_unknown_format": {
        "en": "its content is not a known video format",
        "zh": "它的内容不是已知的视频格式",
    },
    "upscale_no_video_track": {"en": "it has no video track", "zh": "它没有视频轨"},
    "upscale_still_image": {"en": "it is a still image", "zh": "它是一张静态图片"},
    "upscale_scale_not_allowed": {
        "en": "{scale} is not allowed: choose 2, 3 or 4",
        "zh": "{scale} 不可用：请选择 2、3 或 4",
    },
    "upscale_no_frames": {"en": "the video has no frames", "zh": "这个视频没有帧"},
    "upscale_too_small": {
        "en": "the video is {width}×{height}; each side must be at least {least} px",
        "zh": "视频为 {width}×{height}；每边至少要 {least} 像素",
    },
    "upscale_too_long": {
        "en": "the video is {seconds} s long; at most {most} s can be upscaled offline: trim it "
        "first",
        "zh": "视频长 {seconds} 秒；离线最多只能超分 {most} 秒：请先剪短",
    },
    "upscale_too_many_pixels": {
        "en": "the video is {width}×{height}; at most 1280×720 ({pixels} pixels per frame) can "
        "be upscaled offline",
        "zh": "视频为 {width}×{height}；离线最多只能超分 1280×720（每帧 {pixels} 像素）",
    },
    "upscale_result_too_big": {
        "en": "{scale}× of {width}×{height} would be {new_width}×{new_height}; the result may be "
        "at most {most} px on its longer side: choose a smaller scale",
        "zh": "{width}×{height} 放大 {scale}× 会是 {new_width}×{new_height}；结果的长边最多 {most} "
        "像素：请选择更小的倍数",
    },
    "upscale_sizes": {
        "en": "Upscaling {width}×{height} to {new_width}×{new_height}",
        "zh": "正在把 {width}×{height} 放大到 {new_width}×{new_height}",
    },
    "upscale_frame": {"en": "Upscaling frame {done}/{total}", "zh": "正在放大第 {done}/{total} 帧"},
    "upscale_done": {
        "en": "Done: {width}×{height}, {frames} frames",
        "zh": "完成：{width}×{height}，共 {frames} 帧",
    },
}
