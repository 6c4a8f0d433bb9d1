"""`python -m minimax_backend`: one chat message from the command line, e.g. to check a key."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from .client import MiniMaxClient
from .errors import MiniMaxError, ValidationError
from .models import APIS, DEFAULT_MODEL, V2, spec_for
from .settings import REGIONS, Settings
from .types import THINK_ADAPTIVE, THINKING, ChatRequest, Finish, Message, ReasoningDelta, TextDelta

EXIT_ERROR = 1  # MiniMax or the network said no
EXIT_USAGE = 2  # the request was invalid and not sent (argparse uses 2 as well)

# What whoever runs the command can do, by error kind (the web UI words its own advice).
HINTS = {
    "auth": "check MINIMAX_API_KEY and MINIMAX_GROUP_ID, and that --region (MINIMAX_REGION) is "
            "the key's own: a key only works on its region's host",
    "rate_limit": "too many requests; wait a few seconds and try again",
    "quota": "Top up the account, or wait for the plan's quota to reset",
    "content_filtered": "MiniMax's content filter blocked this; rephrase the message",
    "too_long": "too many tokens; shorten the message or lower --max-tokens",
    "bad_request": "MiniMax refused the parameters; check --model and the other options",
    "server": "MiniMax's service had a problem; try again in a moment",
    "bad_response": "the reply could not be read; check --base-url (MINIMAX_BASE_URL)",
    "timeout": "MiniMax took too long to answer; try again",
    "connection": "could not reach MiniMax, or the connection dropped; check the network",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m minimax_backend",
        description="Send one message to MiniMax and print the answer. Reads MINIMAX_API_KEY, "
                    "MINIMAX_GROUP_ID, MINIMAX_REGION and MINIMAX_BASE_URL (also from .env).")
    parser.add_argument("message", help="the message to send")
    parser.add_argument("--api", choices=APIS, default=V2,
                        help="API dialect: v2 (chatcompletion_v2), pro (chatcompletion_pro), "
                             "openai (/v1/chat/completions) or anthropic (/anthropic/v1/messages); "
                             "default: v2")
    parser.add_argument("--model", help=f"model name (default: {DEFAULT_MODEL[V2]}; pro {DEFAULT_MODEL['pro']})")
    parser.add_argument("--thinking", choices=THINKING, default=THINK_ADAPTIVE,
                        help="adaptive (default) or off, for a model that can turn it off")
    parser.add_argument("--system", default="", help="system prompt (pro: the bot persona)")
    parser.add_argument("--temperature", type=float, help="in (0, 1]; default: the model's")
    parser.add_argument("--top-p", type=float, help="in (0, 1]; default: the model's")
    parser.add_argument("--max-tokens", type=int, help="most tokens to generate; default: the model's")
    parser.add_argument("--no-stream", action="store_true", help="wait for the whole answer")
    parser.add_argument("--reasoning", action="store_true", help="print the model's thinking to stderr")
    parser.add_argument("--region", choices=sorted(REGIONS), help="cn or global (overrides MINIMAX_REGION)")
    parser.add_argument("--base-url", help="API host, e.g. a local emulator (overrides the region)")
    parser.add_argument("--group-id", help="GroupId for the pro API (overrides MINIMAX_GROUP_ID)")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO = sys.stdout,
         stderr: TextIO = sys.stderr, env: Mapping[str, str] | None = None) -> int:
    """Run the command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(env, region=args.region, base_url=args.base_url,
                                     group_id=args.group_id)
        model = args.model or DEFAULT_MODEL[args.api]
        spec = spec_for(model)
        request = ChatRequest(
            messages=(Message("user", args.message),), model=model, api=args.api,
            system=args.system,
            temperature=spec.default_temperature if args.temperature is None else args.temperature,
            top_p=spec.default_top_p if args.top_p is None else args.top_p,
            max_tokens=spec.default_max_tokens if args.max_tokens is None else args.max_tokens,
            thinking=args.thinking)
    except ValidationError as err:
        print(f"error: {err.message}", file=stderr)
        return EXIT_USAGE
    client = MiniMaxClient(settings)
    printed = False
    try:
        if args.no_stream:
            result = client.complete(request)
            if args.reasoning and result.reasoning:
                print(result.reasoning, file=stderr)
            stdout.write(result.text)
            printed = True
            _report_finish(result.finish, stderr)
        else:
            for event in client.stream(request):
                if isinstance(event, TextDelta):
                    stdout.write(event.text)
                    stdout.flush()
                    printed = True
                elif isinstance(event, ReasoningDelta) and args.reasoning:
                    stderr.write(event.text)
                    stderr.flush()
                elif isinstance(event, Finish):
                    _report_finish(event, stderr)
    except ValidationError as err:
        print(f"error: {err.message}", file=stderr)
        return EXIT_USAGE
    except MiniMaxError as err:
        if printed:
            stdout.write("\n")  # what was printed stays; the error goes on its own line
        hint = HINTS.get(err.kind, "try again later")
        print(f"error: {err} — {hint}", file=stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    finally:
        client.close()
    stdout.write("\n")
    return 0


def _report_finish(finish: Finish, stderr: TextIO) -> None:
    if finish.reason == "length":
        print("note: the answer was cut at --max-tokens", file=stderr)
    if finish.filtered:
        print("note: MiniMax's content filter flagged this exchange", file=stderr)
    if finish.warning:
        print(f"note: MiniMax says: {finish.warning}", file=stderr)
