"""MiniMax Chat: a Gradio web chat for MiniMax's text models.

`build_demo()` builds the page and starts nothing; importing this module builds `demo` (for
`gradio app.py` and other importers). `python app.py [--share]` (also how Hugging Face Spaces
run it) loads `.env` first, then builds and serves the page on GRADIO_SERVER_NAME /
GRADIO_SERVER_PORT. With MINIMAX_API_KEY set it talks to MiniMax; without it, to the
backend's offline emulator.
"""
from __future__ import annotations

import argparse
import logging
import os
from typing import Any

import gradio as gr

from minimax_backend import ValidationError
from ui.browser.scripts import (
    TO_INPUT,
    message_limit,
    page_css,
    page_js,
    toggle_panel,
)
from ui.browser.theme import page_theme, theme_css
from ui.chat.form import reply_event
from ui.chat.handlers import ChatHandlers
from ui.chat.line import Line
from ui.chat.service import ChatService
from ui.conversations.files import FileHandlers
from ui.conversations.handlers import ConversationHandlers
from ui.conversations.panel import ConversationPanel
from ui.conversations.persona_handlers import PersonaHandlers
from ui.conversations.persona_panel import PersonaSection
from ui.conversations.share import ShareHandlers
from ui.conversations.share_panel import SharePanel
from ui.page.chat_events import wire_chat
from ui.panels.own_key import route_line
from ui.panels.settings import SettingsPanel
from ui.protect.account import AccountConfig
from ui.protect.account_line import AccountLine
from ui.protect.guard import Guard, GuardConfig, auth_from_env, sessions_from_env
from ui.protect.images import MAX_IMAGE_BYTES
from ui.protect.log_lines import route_printed_tracebacks
from ui.protect.logs import install_redaction
from ui.server.lifespan import prepared
from ui.server.middleware import middleware, prepare_server
from ui.server.uploads import CACHE_SWEEP
from ui.text.strings import EN, EXAMPLES, I18N, ZH, text, tr

OTHER_CONCURRENCY = 64  # every other queued event (conversation steps)
QUEUE_SIZE = 256
# How often gradio tells each visitor still in its queue their place (seconds). Its default
# ("auto") tells every one of them each time any event starts: 100 visitors sending at once
# cost ~5,000 messages, sent in one run of the event loop, and every first token waited for
# them (the line, ui/chat/line.py, shows a waiting visitor their own place anyway).
QUEUE_STATUS_EVERY_S = 1.0
QUEUE_POLL_S, PROGRESS_POLL_S = 0.005, 0.05  # how often an idle queue looks for work (_tune_queue)
# Uploads: an image (ui/protect/images.py MAX_IMAGE_BYTES) or a chat import (2 MB).
# A paste this many times the longest message stays text in the box (gradio makes a longer
# one a file): a message too long is kept whole, for the visitor to shorten.
PASTE_AS_TEXT = 10
MAX_FILE_SIZE = f"{MAX_IMAGE_BYTES // 1_000_000}mb"

# The delimiters models actually write; `$$` must come before `$`.
LATEX_DELIMITERS: list[dict[str, str | bool]] = [
    {"left": "$$", "right": "$$", "display": True},
    {"left": "$", "right": "$", "display": False},
    {"left": "\\(", "right": "\\)", "display": False},
    {"left": "\\[", "right": "\\]", "display": True},
]


# Both side panels are as wide: gradio makes room beside an open one by a single page-wide
# amount, computed from whichever panel set it last.
PANEL_WIDTH = 320


def build_demo(service: ChatService | None = None, *, interval: float | None = None,
               guard: Guard | None = None, account: AccountLine | None = None,
               line: Line | None = None) -> gr.Blocks:
    """The whole page. `service` supplies replies (default: settings from the environment,
    read at the first request); `interval` overrides the page-update interval (tests);
    `account`, the host account's line (default: its limits from the environment, counted in
    the shared storage); `line`, how many replies stream at once and wait (default:
    APP_MAX_REPLIES_AT_ONCE and APP_MAX_LINE, read at the first message)."""
    service = service or ChatService()
    # Per-visitor limits from APP_* variables (ui/protect/limits.py), read here: the message
    # box allows what the guard does.
    guard = guard or Guard(GuardConfig.from_env)
    chat = ChatHandlers(service, interval=interval, guard=guard, account=account,
                        line=line or Line.from_env)

    # Every minute, gradio deletes the files it keeps for this page (uploaded imports) once
    # two minutes old: ui/server/uploads.py budgets uploads over that span.
    with gr.Blocks(title="MiniMax Chat", delete_cache=CACHE_SWEEP) as demo:
        # The page's outline, phone first: conversations in a panel on the left (beside the
        # chat on a wide screen, over it on a phone, ui/browser/static/layout.js), the chat
        # filling the screen with the message box at its foot (page.css), settings in a panel
        # on the right that opens from the top bar. First in the Tab order: a skip link.
        skip = gr.Button(tr("skip_to_input"), elem_id="skip-to-input", size="sm")
        with gr.Sidebar(label=tr("chats_panel"), open=False, width=PANEL_WIDTH,
                        elem_id="chats-panel"):
            personas = PersonaSection(PersonaHandlers(chat.runs))
            conversations = ConversationPanel(ConversationHandlers(chat.runs),
                                              FileHandlers(chat.runs))
            sharing = SharePanel(ShareHandlers(chat.runs))
            sharing.controls()
        raw_replies = gr.State({})  # answer as shown -> raw reply, server-side only
        attached = gr.State({})  # the session's images as sent (ui/chat/attachments.py)

        with gr.Column(elem_id="chat-column"):
            with gr.Row(elem_id="top-bar"):
                open_chats = gr.Button(tr("open_chats"), elem_id="open-chats", size="sm", scale=0,
                                       min_width=40)
                gr.Markdown(tr("title"), elem_id="title")
                new_chat = gr.Button(tr("new_chat"), elem_id="new-chat", size="sm", scale=0,
                                     min_width=40)
                open_settings = gr.Button(tr("open_settings"), elem_id="open-settings", size="sm",
                                          scale=0, min_width=40)
            gr.Markdown(tr("subtitle"), elem_id="subtitle")
            banner = gr.Markdown(visible=False, elem_id="banner")
            sharing.view(LATEX_DELIMITERS)  # a chat opened by link, read-only, in place of the chat
            chatbot = gr.Chatbot(
                elem_id="chatbot", label=tr("chat"), editable="user",
                latex_delimiters=LATEX_DELIMITERS, buttons=["copy", "copy_all"],
                placeholder=tr("placeholder"), examples=EXAMPLES, feedback_options=None,
                allow_tags=False)
            with gr.Row(elem_id="input-row"):
                # Images are pasted, dropped or picked here; Send and Stop are our own.
                chat_input = gr.MultimodalTextbox(
                    elem_id="chat-input", label=tr("input"), show_label=False,
                    placeholder=tr("input_placeholder"), file_types=["image"],
                    file_count="multiple", max_plain_text_length=PASTE_AS_TEXT * guard.config.max_message_chars,
                    lines=1, max_lines=6, submit_btn=False, stop_btn=False, scale=8,
                    container=False)
                with gr.Column(scale=0, min_width=88):
                    send = gr.Button(tr("send"), elem_id="send", variant="primary")
                    stop = gr.Button(tr("stop"), elem_id="stop", variant="stop",
                                     interactive=False)
            # Why a message was not sent; it stays in the box (ui/chat/turns.py).
            input_note = gr.Markdown("", elem_id="input-note",
                                     elem_classes=["mm-note", "mm-error"])
            # One quiet row under the box: what it takes, and room for a line on its state.
            with gr.Row(elem_id="below-input"):
                key_route = route_line()  # which key answers: the host's, yours, the offline demo
                gr.Markdown(tr("images_rule"), elem_id="images-rule", elem_classes=["mm-note"])

        with gr.Sidebar(label=tr("settings_panel"), open=False, width=PANEL_WIDTH,
                        position="right",
                        elem_id="settings-panel"):
            settings = SettingsPanel(under_system=personas.save_form)

        skip.click(None, js=TO_INPUT, queue=False)
        open_chats.click(None, js=toggle_panel("chats-panel"), queue=False)
        open_settings.click(None, js=toggle_panel("settings-panel"), queue=False)
        saves = conversations.wire(chatbot, raw_replies, settings.form, new_chat, demo)
        personas.wire(conversations, chatbot, raw_replies, settings.form, demo)
        sharing.wire(conversations.store, conversations.list, chatbot, raw_replies, settings.form, demo)
        reply = reply_event(chat, settings.form, chatbot, raw_replies, settings.region, settings.user_key,
                            settings.user_group, attached, settings.own_key.refused)
        wire_chat(chat, chatbot, (raw_replies, attached), (chat_input, input_note), send, stop,
                  new_chat, reply, saves)
        settings.wire(service, chat.guard, banner, demo, key_route)
        # The box's counter counts against what the guard allows.
        words = {lang: {"count": text("count_chars", lang), "over": text("count_over", lang)}
                 for lang in (ZH, EN)}
        demo.load(None, js=message_limit(guard.config.max_message_chars, words),
                  queue=False, api_visibility="private")

    demo.queue(default_concurrency_limit=OTHER_CONCURRENCY, max_size=QUEUE_SIZE, api_open=False,
               status_update_rate=QUEUE_STATUS_EVERY_S)
    _browser_steps_off_run(demo)
    _tune_queue(demo)
    return demo


def _browser_steps_off_run(demo: gr.Blocks) -> None:
    """`POST /gradio_api/run/predict` runs any step named by its `fn_index` outside the queue,
    unless it is queued (`api_open=False`). The page posts there only its quick steps that
    have a Python function: every other step (run in the browser, or a cancel, which goes to
    `/cancel`) is marked queued, which the browser never reads for a step without one, so
    gradio refuses it there."""
    for step in demo.fns.values():
        if step.fn is None:
            step.queue = True


def _tune_queue(demo: gr.Blocks) -> None:
    """Settings of gradio's queue, set on it as gradio's `launch()` sets its thread count, so
    nothing outside this page changes.
    - gradio's /monitoring page is off (`launch_options`: on by default, it shows strangers
      the app's traffic), yet its queue would still rebuild that page's summary after every
      event, a pandas pass over up to 10,000 kept events (milliseconds of CPU each, more as
      they pile up), and keep those events.
    - With nothing queued, gradio looks for work every 1 ms (on Linux) and for progress to
      send every 10 ms: 8% of a core for an app nobody uses. Every 5 and 50 ms it is 3%; a
      message waits at most 5 ms more to start, and this page sends no progress bars."""
    demo._queue.ANAYLTICS_CACHE_FREQUENCY = 2**62  # sic: gradio's spelling
    demo._queue.ANALYTICS_MAX_EVENTS = 1
    demo._queue.sleep_when_free = QUEUE_POLL_S
    demo._queue.progress_update_sleep_when_free = PROGRESS_POLL_S


def worker_slots(line: Line) -> int:
    """gradio's `max_threads`. Its queue runs at most that many queued events at once,
    whatever their concurrency limits (`Queue.active_jobs`), and every reply streaming or
    waiting in the line holds one: at gradio's 40, or the 64 set here before, visitors past
    that waited unseen for a whole reply, ahead of the line that would have shown them their
    place. Threads are made only as steps need them (most run on the loop: `inline`)."""
    return line.capacity + line.max_waiting + OTHER_CONCURRENCY


# The page installs as an app (gradio serves /manifest.json and this icon at 192 and 512 px);
# without `pwa` gradio's settings panel shows visitors a note telling the host to enable it.
ICON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets", "icon.png")


def launch_options(share: bool | None = None) -> dict[str, Any]:
    """How the app is served: keep SSR and run history off (CVE-2026-134825 affects
    gradio 6.27-6.31 with them on); host and port come from GRADIO_SERVER_NAME/PORT; an
    optional login from APP_AUTH; at most APP_MAX_SESSIONS sessions kept in memory, and
    128 MB of their state (ui/server/sessions.py), gradio's busiest routes first
    (route_order.py); the visitor's address, a CSP, a body cap,
    a body timeout and each address's budget (ui/server/middleware.py); no public
    /monitoring page; installable as an app with the icon in assets/; a theme with AA
    contrast in light and dark (ui/browser/theme.py)."""
    return {"share": share, "ssr_mode": False, "run_history": False, "i18n": I18N,
            "theme": page_theme(), "css": page_css() + theme_css(),
            "auth": auth_from_env(), "max_file_size": MAX_FILE_SIZE,
            "state_session_capacity": sessions_from_env(),
            "app_kwargs": {"middleware": middleware(), "lifespan": prepared()},
            "footer_links": ["gradio", "settings"], "max_threads": worker_slots(Line.from_env()),
            "js": page_js(),
            "enable_monitoring": False, "pwa": True, "favicon_path": ICON}


# As a script, the page is built in main(), once .env is loaded: the browser store's secret
# (APP_STORAGE_SECRET) is part of the page.
demo = build_demo() if __name__ != "__main__" else None


def main(argv: list[str] | None = None) -> None:
    """Serve the app: `python app.py [--share]`."""
    parser = argparse.ArgumentParser(description="MiniMax Chat web app (Gradio).")
    parser.add_argument("--share", action="store_true",
                        help="ask Gradio for a public share link (also: GRADIO_SHARE=True)")
    args = parser.parse_args(argv)
    from dotenv import load_dotenv

    load_dotenv()  # before the page is built and before the first request reads settings
    install_redaction()  # no key in any log line, whoever logs it; one line per event
    route_printed_tracebacks()  # gradio prints a failed request's traceback: log it as a line
    try:  # a bad limit, login or server setting stops the app here, naming its variable
        GuardConfig.from_env()
        AccountConfig.from_env()
        auth_from_env()
        sessions_from_env()
        Line.from_env()
        prepare_server()
    except ValidationError as err:
        parser.exit(2, f"error: {err}\n")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    page = demo if demo is not None else build_demo()
    page.launch(**launch_options(share=True if args.share else None))


if __name__ == "__main__":
    main()
