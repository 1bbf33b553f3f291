"""The five capabilities as the studio shows them: one `CapabilitySpec` each.

Each spec names widgets, layout, outputs and examples; everything about a field's values comes
from its request model in core/requests.py.
"""

from __future__ import annotations

from typing import Any, get_args

from core.requests import SongEmotion, SongGenre
from tabs.capability_spec import (
    Accordion,
    CapabilitySpec,
    Examples,
    Note,
    Output,
    Row,
    SendTo,
    Widget,
)
from tabs.example_assets import AUTUMN_FOREST, NIGHT_SEA, SHORT_SONG, SUNNY_FIELD, TINY_CLIP

TEXT_TO_MUSIC = CapabilitySpec(
    capability="text_to_music",
    prefix="ttm",
    summary="Make music from a text prompt (English or Chinese) and stream it as it renders.",
    widgets={
        "prompt": Widget(
            "text",
            "prompt",
            info="ttm_prompt_info",
            placeholder="ttm_prompt_placeholder",
            lines=3,
            elem_id="ttm-prompt",
        ),
        "seconds": Widget("slider", "ttm_seconds", info="ttm_seconds_info", step=0.5),
        "steps": Widget("slider", "steps", info="ttm_steps_info", step=1),
        "cfg": Widget("slider", "ttm_cfg", info="ttm_cfg_info", step=0.1),
        "seed": Widget("seed", "seed", info="seed_info"),
    },
    layout=(
        "prompt",
        "seconds",
        Accordion("advanced", ("steps", "cfg")),
        "seed",
        "provider",
        "buttons",
        "examples",
    ),
    outputs=(
        Output("status", "ready", elem_id="ttm-status"),
        Output("audio_preview", "ttm_preview", elem_id="ttm-preview"),
        Output("audio", "ttm_result", elem_id="ttm-result"),
        Output("seed_used", "seed_used"),
        Output("files", "files"),
    ),
    # Each shows a part of what the prompt reader understands: tempo, key, mood, instruments.
    examples=Examples(
        ("prompt", "seconds"),
        english=(
            ("calm lofi piano in A minor, 80 bpm", 20),
            ("upbeat pop in G major at 120 bpm with drums and bass", 20),
            ("epic orchestral strings and brass in D minor, slow, cinematic", 25),
            ("happy jazz in F major with rhodes, bass and drums, 130 bpm", 15),
            ("dreamy ambient synth pads in E major, 70 bpm", 30),
        ),
        chinese=(
            ("欢快的国风笛子 D大调 每分钟110拍", 20),
            ("悲伤的钢琴曲 c小调 每分钟70拍", 20),
            ("史诗电影配乐 弦乐和铜管 d小调 慢速", 25),
            ("快乐的爵士 电钢琴 贝斯和鼓 F大调 每分钟一百二十拍", 15),
            ("安静的古风 古筝和二胡 A小调", 30),
        ),
    ),
    send=SendTo("audio", "extend_music", "audio", "send_to_extend"),
)


def needs_public_url_hint(services: Any, provider: str | None) -> bool:
    """Tencent reads the picture from a URL: without a public address an upload cannot reach it."""
    settings = services.settings
    return provider == "tencent" and not (settings.public_url or settings.studio_sandbox)


def _from_picture(names: tuple[str, ...], prefix: str) -> tuple[tuple[str, Any], ...]:
    return (("itm_from_picture", ""), *((f"{prefix}{name}", name) for name in names))


IMAGE_TO_MUSIC = CapabilitySpec(
    capability="image_to_music",
    prefix="itm",
    summary="Compose music for a picture: its brightness, colours and busyness set the mood.",
    widgets={
        "image": Widget("image", "itm_image", elem_id="itm-image"),
        "image_url": Widget(
            "text",
            "itm_image_url",
            info="itm_image_url_info",
            placeholder="url_placeholder",
            elem_id="itm-image-url",
        ),
        "song_quantity": Widget(
            "slider", "itm_songs", info="itm_songs_info", step=1, elem_id="itm-songs"
        ),
        "output_type": Widget("radio", "itm_output", info="itm_output_info"),
        "emotion": Widget(
            "dropdown",
            "itm_emotion",
            info="itm_emotion_info",
            choices=_from_picture(get_args(SongEmotion), "emotion_"),
        ),
        "genre": Widget(
            "dropdown",
            "itm_genre",
            info="itm_genre_info",
            choices=_from_picture(get_args(SongGenre), "genre_"),
        ),
        "song_type": Widget(
            "radio",
            "itm_song_type",
            choices=(
                ("itm_song_type_large", "LARGE_MODEL"),
                ("itm_song_type_multi", "MULTITRACK"),
            ),
        ),
    },
    notes={
        "url_hint": Note("itm_tencent_hint", elem_id="itm-url-hint", when=needs_public_url_hint)
    },
    layout=(
        "image",
        "url_hint",
        "image_url",
        Row(("song_quantity", "output_type")),
        Accordion("itm_mood_style", ("emotion", "genre", "song_type")),
        "provider",
        "buttons",
        "examples",
    ),
    outputs=(
        Output("status", "ready", elem_id="itm-status"),
        Output("audio_preview", "preview", elem_id="itm-preview"),
        Output("audio", "itm_first_song", elem_id="itm-result"),
        Output("video", "itm_video", elem_id="itm-video"),
        Output("files", "all_files"),
    ),
    # The same picture reading, different asks.
    examples=Examples(
        ("image", "song_quantity", "output_type", "emotion", "genre", "song_type"),
        english=(
            (str(SUNNY_FIELD), 1, "mp3", "", "", "LARGE_MODEL"),
            (str(NIGHT_SEA), 1, "mp4", "QUIET", "", "LARGE_MODEL"),
            (str(AUTUMN_FOREST), 2, "mp3", "", "CHINA", "LARGE_MODEL"),
            (str(SUNNY_FIELD), 1, "mp3", "WARM", "", "MULTITRACK"),
        ),
    ),
    send=SendTo("audio", "extend_music", "audio", "send_to_extend"),
)

EXTEND_MUSIC = CapabilitySpec(
    capability="extend_music",
    prefix="ext",
    summary="Extend a song: keep its start as it is and continue it in its own key and tempo.",
    widgets={
        "audio": Widget("audio", "ext_audio", elem_id="ext-audio"),
        "upload_url": Widget("text", "ext_upload_url", placeholder="url_placeholder"),
        "prompt": Widget("text", "prompt", info="ext_prompt_info", lines=2, elem_id="ext-prompt"),
        "custom_mode": Widget("checkbox", "ext_custom_mode", info="ext_custom_mode_info"),
        "instrumental": Widget("checkbox", "ext_instrumental"),
        "style": Widget("text", "ext_style", placeholder="ext_style_placeholder"),
        "title": Widget("text", "ext_title"),
        "continue_at": Widget("number", "ext_continue_at", info="ext_continue_at_info"),
        "model": Widget("dropdown", "ext_model", info="ext_model_info"),
        "negative_tags": Widget(
            "text", "ext_negative_tags", placeholder="ext_negative_tags_placeholder"
        ),
        "vocal_gender": Widget(
            "radio",
            "ext_vocal_gender",
            choices=(("ext_vocal_any", ""), ("ext_vocal_m", "m"), ("ext_vocal_f", "f")),
        ),
        "style_weight": Widget("number", "ext_style_weight", step=0.01),
        "weirdness_constraint": Widget("number", "ext_weirdness", step=0.01),
        "audio_weight": Widget("number", "ext_audio_weight", step=0.01),
    },
    notes={"suno_hint": Note("ext_suno_model_hint", elem_id="ext-suno-hint")},
    layout=(
        "audio",
        "upload_url",
        "prompt",
        Row(("custom_mode", "instrumental")),
        Row(("style", "title")),
        "continue_at",
        "suno_hint",
        "model",
        # Suno's own fields: hiding them for offline hides the section whole.
        Accordion(
            "advanced",
            (
                "negative_tags",
                "vocal_gender",
                "style_weight",
                "weirdness_constraint",
                "audio_weight",
            ),
            name="advanced",
        ),
        "provider",
        "buttons",
        "examples",
    ),
    outputs=(
        Output("status", "ready", elem_id="ext-status"),
        Output("audio_preview", "preview", elem_id="ext-preview"),
        Output("audio", "ext_result", elem_id="ext-result"),
        Output("files", "files"),
    ),
    # The example song is 7 s long.
    examples=Examples(
        ("audio", "prompt", "custom_mode", "instrumental", "style", "title", "continue_at"),
        english=(
            (
                str(SHORT_SONG),
                "continue with a brighter chorus and more drums",
                False,
                False,
                "",
                "",
                None,
            ),
            (str(SHORT_SONG), "", True, True, "jazz, piano trio", "Night Drive", 5.0),
        ),
        chinese=(
            (str(SHORT_SONG), "接着写一段更明亮的副歌，鼓点更密", False, False, "", "", None),
            (str(SHORT_SONG), "", True, True, "古典 钢琴 弦乐", "夜曲", 4.0),
        ),
    ),
    send=SendTo("audio", "extend_music", "audio", "ext_again"),
    generate_label="ext_generate",
)

TEXT_TO_IMAGE = CapabilitySpec(
    capability="text_to_image",
    prefix="tti",
    summary="Paint pictures from a text prompt, streaming them as they form (A1111 parameters).",
    widgets={
        "prompt": Widget(
            "text", "prompt", placeholder="tti_prompt_placeholder", lines=3, elem_id="tti-prompt"
        ),
        "negative_prompt": Widget(
            "text",
            "tti_negative_prompt",
            info="tti_negative_info",
            lines=2,
            elem_id="tti-negative-prompt",
        ),
        "width": Widget("slider", "tti_width", info="tti_size_info"),
        "height": Widget("slider", "tti_height", info="tti_size_info"),
        "steps": Widget("slider", "steps", step=1),
        "cfg_scale": Widget("slider", "tti_cfg_scale", step=0.5),
        "seed": Widget("seed", "seed", info="seed_info"),
        "n_iter": Widget("slider", "tti_images", info="tti_images_info", step=1),
        "sampler": Widget("dropdown", "tti_sampler"),
        "enable_hr": Widget("checkbox", "tti_hires"),
        "restore_faces": Widget("checkbox", "tti_restore_faces"),
        "hr_scale": Widget("slider", "tti_hr_scale", step=0.05),
        "hr_second_pass_steps": Widget("slider", "tti_hr_steps", step=1),
        "denoising_strength": Widget("slider", "tti_denoising", step=0.01),
        "checkpoint": Widget("text", "tti_checkpoint", placeholder="provider_default"),
        "vae": Widget("text", "tti_vae", placeholder="provider_default"),
        "clip_skip": Widget("slider", "tti_clip_skip", step=1),
    },
    notes={"offline_note": Note("tti_offline_note", elem_id="tti-offline-note")},
    layout=(
        "prompt",
        "negative_prompt",
        Row(("width", "height")),
        Row(("steps", "cfg_scale")),
        "seed",
        "n_iter",
        Accordion(
            "advanced",
            (
                "sampler",
                Row(("enable_hr", "restore_faces")),
                Row(("hr_scale", "hr_second_pass_steps", "denoising_strength")),
                Row(("checkpoint", "vae", "clip_skip")),
                "offline_note",
            ),
        ),
        "provider",
        "buttons",
        "examples",
    ),
    outputs=(
        Output("status", "ready", elem_id="tti-status"),
        Output("image_preview", "tti_forming", elem_id="tti-preview", height=320),
        Output("images", "tti_gallery", elem_id="tti-gallery"),
        Output("seed_used", "seed_used"),
        Output("files", "files"),
    ),
    # Subjects, their colours, counts and places, time of day, styles; a negative prompt
    # leaves subjects and colours out.
    examples=Examples(
        ("prompt", "negative_prompt"),
        english=(
            ("a red apple on a blue table", ""),
            ("portrait of an astronaut cat, studio lighting", ""),
            ("a cozy cabin in snowy mountains at night", ""),
            ("three birds over a lake, a boat and a dog on the beach, watercolor", ""),
            ("a yellow bus next to a house at sunset, pixel art", ""),
            ("a guitar, a drum and a microphone, flat illustration", "red"),
            ("red sunset over the sea, mountains, golden clouds", ""),
        ),
        chinese=(
            ("一个红苹果在蓝色桌子上", ""),
            ("一只熊猫在竹子旁边，水墨", ""),
            ("两只猫在沙发上，油画", ""),
            ("一只狗在汽车前面，线稿", ""),
            ("夜晚的城市 紫色的天空 月亮", ""),
            ("春天的花海 粉色的樱花 远山", "城市 云"),
        ),
    ),
    send=SendTo("images", "image_to_music", "image", "tti_send"),
    preview_keeps_last_image=True,
)

VIDEO_UPSCALE = CapabilitySpec(
    capability="video_upscale",
    prefix="vup",
    summary="Upscale a video, keeping its frame rate, length and sound.",
    widgets={
        "video": Widget("video", "vup_video", elem_id="vup-video"),
        "creation_id": Widget(
            "text", "vup_creation_id", info="vup_creation_id_info", elem_id="vup-creation-id"
        ),
        "scale": Widget("slider", "vup_scale", info="vup_scale_info", step=1),
        "model": Widget("dropdown", "vup_model"),
        "duration": Widget("radio", "vup_duration"),
    },
    layout=(
        "provider",
        "video",
        "creation_id",
        Row(("scale", "model", "duration")),
        "buttons",
        "examples",
    ),
    outputs=(
        Output("status", "ready", elem_id="vup-status"),
        Output("image_preview", "vup_preview", elem_id="vup-preview", height=280),
        Output("video", "vup_result", elem_id="vup-result"),
        Output("files", "files"),
    ),
    # The tiny 160×90 clip made 2× and 4× larger.
    examples=Examples(("video", "scale"), english=((str(TINY_CLIP), 2), (str(TINY_CLIP), 4))),
    generate_label="vup_generate",
    compare_with=("video", "creation_id"),
)

SPECS: tuple[CapabilitySpec, ...] = (
    TEXT_TO_MUSIC,
    IMAGE_TO_MUSIC,
    EXTEND_MUSIC,
    TEXT_TO_IMAGE,
    VIDEO_UPSCALE,
)
SPEC_OF = {spec.capability: spec for spec in SPECS}
