"""A local emulator of MiniMax's chat APIs: chatcompletion_v2, chatcompletion_pro, and the
OpenAI- and Anthropic-compatible endpoints.

It answers like the real service, quirks included, with a deterministic demo reply, and can
misbehave on request through fault directives (see faults.py) for tests and demos.
"""
from .checks import STATUS_MESSAGES
from .faults import HEADER, Faults, FaultSyntaxError, parse_faults
from .replies import Reply, compose_reply
from .runner import Emulator
from .server import ANTHROPIC_PATH, FAULTS_PATH, OPENAI_PATH, PRO_PATH, V2_PATH, build_app
from .state import EmulatorConfig, RecordedRequest

__all__ = [
    "ANTHROPIC_PATH",
    "FAULTS_PATH",
    "HEADER",
    "OPENAI_PATH",
    "PRO_PATH",
    "STATUS_MESSAGES",
    "V2_PATH",
    "Emulator",
    "EmulatorConfig",
    "FaultSyntaxError",
    "Faults",
    "RecordedRequest",
    "Reply",
    "build_app",
    "compose_reply",
    "parse_faults",
]
