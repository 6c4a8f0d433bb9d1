"""A client for MiniMax's text chat APIs: chatcompletion_v2, chatcompletion_pro, and the
OpenAI- and Anthropic-compatible endpoints.

Knows nothing about any UI: give it a `ChatRequest`, iterate `MiniMaxClient.stream()`.
"""
from .cancel import CancelToken
from .client import ChatClient, MiniMaxClient
from .errors import (
                     APIConnectionError,
                     APITimeoutError,
                     AuthenticationError,
                     BadRequestError,
                     ContentFilteredError,
                     ContextTooLongError,
                     MiniMaxError,
                     QuotaError,
                     RateLimitError,
                     ResponseFormatError,
                     ServerError,
                     ValidationError,
)
from .settings import REGIONS, Settings
from .types import (
                     ChatRequest,
                     ChatResult,
                     Finish,
                     ImagePart,
                     Message,
                     ReasoningDelta,
                     Retrying,
                     StreamEvent,
                     TextDelta,
                     Usage,
)

__all__ = [
                     "REGIONS",
                     "APIConnectionError",
                     "APITimeoutError",
                     "AuthenticationError",
                     "BadRequestError",
                     "CancelToken",
                     "ChatClient",
                     "ChatRequest",
                     "ChatResult",
                     "ContentFilteredError",
                     "ContextTooLongError",
                     "Finish",
                     "ImagePart",
                     "Message",
                     "MiniMaxClient",
                     "MiniMaxError",
                     "QuotaError",
                     "RateLimitError",
                     "ReasoningDelta",
                     "ResponseFormatError",
                     "Retrying",
                     "ServerError",
                     "Settings",
                     "StreamEvent",
                     "TextDelta",
                     "Usage",
                     "ValidationError",
]
