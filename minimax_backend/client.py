"""The MiniMax client: one streaming loop and one plain call for every API dialect."""
from __future__ import annotations

import http.client
import json
import os
import random
from collections.abc import Callable, Iterator
from typing import Protocol

import requests
import urllib3

from .cancel import CancellableAdapter, CancelToken
from .dialects import CODECS, Codec
from .errors import (
    RETRYABLE_CODES,
    APIConnectionError,
    APITimeoutError,
    MiniMaxError,
    ResponseFormatError,
    ValidationError,
    check_body,
    error_for_http,
    summarize_body,
)
from .models import PRO
from .reply import ReplyAssembler, decode_stream
from .settings import Settings
from .types import (
    JSON,
    ChatRequest,
    ChatResult,
    ReasoningDelta,
    Retrying,
    StreamEvent,
    TextDelta,
)

MAX_ERROR_BODY = 64 * 1024
MAX_BACKOFF = 8.0
MAX_TRACE_ID_CHARS = 128  # MiniMax's are 32 hex digits
MASK = "[redacted]"


class ChatClient(Protocol):
    """What a caller needs of a client: `MiniMaxClient`, or a test's scripted fake."""

    def stream(self, request: ChatRequest, cancel: CancelToken | None = None
               ) -> Iterator[StreamEvent]:
        """The reply as events, ending with one Finish; raises MiniMaxError."""

    def complete(self, request: ChatRequest, cancel: CancelToken | None = None) -> ChatResult:
        """The whole reply in one call; raises MiniMaxError."""

    def close(self) -> None:
        """Release its connections."""


# Connections kept alive for reuse. A web app may stream a hundred replies at once (the chat
# page's default); past the pool's size each reply's connection is closed after it, and urllib3
# logs a warning for every one.
POOL_SIZE = 256


class MiniMaxClient:
    """Talks to one MiniMax account. Safe to share between threads; one keep-alive pool."""

    def __init__(self, settings: Settings, *, retry_backoff: float = 0.5,
                 pool_size: int = POOL_SIZE) -> None:
        self.settings = settings
        self.retry_backoff = retry_backoff
        self._session = _session_from_env(settings.url)
        adapter = CancellableAdapter(pool_connections=4, pool_maxsize=pool_size)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def close(self) -> None:
        self._session.close()

    def stream(self, request: ChatRequest, cancel: CancelToken | None = None
               ) -> Iterator[StreamEvent]:
        """Yield the reply as TextDelta / ReasoningDelta / Usage events, then one Finish.

        Raises a MiniMaxError on failure, possibly after some deltas. Retries only while
        nothing has been yielded, announcing each wait with a Retrying event. After
        `cancel.cancel()` it ends quietly, with no Finish.
        """
        cancel = cancel or CancelToken()
        codec = self._codec_for(request)
        body = codec.encode(request, stream=True)
        attempt = 0
        while True:
            produced = False
            try:
                for event in self._stream_once(codec, body, cancel):
                    produced = produced or isinstance(event, (TextDelta, ReasoningDelta))
                    yield event
                return
            except MiniMaxError as err:
                self._scrub_error(err)
                if cancel.cancelled:
                    return
                if produced or not self._should_retry(err, attempt):
                    raise
                attempt += 1
                delay = self._backoff(attempt, err)
                yield Retrying(attempt, self.settings.max_retries + 1, delay, err)
                if cancel.wait(delay):
                    return

    def complete(self, request: ChatRequest, cancel: CancelToken | None = None) -> ChatResult:
        """The whole reply in one call (`stream: false`)."""
        cancel = cancel or CancelToken()
        codec = self._codec_for(request)
        body = codec.encode(request, stream=False)
        attempt = 0
        while True:
            try:
                return self._complete_once(codec, body, cancel)
            except MiniMaxError as err:
                self._scrub_error(err)
                if not self._should_retry(err, attempt) or cancel.wait(self._backoff(attempt + 1, err)):
                    raise
                attempt += 1

    # -- one attempt -------------------------------------------------------------------

    def _stream_once(self, codec: Codec, body: JSON, cancel: CancelToken
                     ) -> Iterator[StreamEvent]:
        response = self._post(codec, body, cancel, stream=True)
        try:
            trace_id = self._trace_id(response)
            if "text/event-stream" not in response.headers.get("Content-Type", ""):
                # Errors for stream requests may come as a plain JSON body.
                assembler = ReplyAssembler(trace_id)
                obj = _json_body(response, trace_id, self._scrub)
                warning = check_body(obj, trace_id=trace_id)
                yield from assembler.add(codec.decode_body(obj), warning)
                yield from assembler.finish()
                return
            yield from decode_stream(codec, _byte_chunks(response), trace_id, cancel)
        except _NETWORK_ERRORS as exc:
            if not cancel.cancelled:
                raise _network_error(exc, self._trace_id(response)) from None
        finally:
            response.close()

    def _complete_once(self, codec: Codec, body: JSON, cancel: CancelToken) -> ChatResult:
        response = self._post(codec, body, cancel, stream=False)
        try:
            trace_id = self._trace_id(response)
            obj = _json_body(response, trace_id, self._scrub)
            assembler = ReplyAssembler(trace_id)
            warning = check_body(obj, trace_id=trace_id)
            for _ in assembler.add(codec.decode_body(obj), warning):
                pass
            return assembler.result()
        finally:
            response.close()

    def _post(self, codec: Codec, body: JSON, cancel: CancelToken, *, stream: bool
              ) -> requests.Response:
        settings = self.settings
        headers = {"Authorization": f"Bearer {settings.api_key}",
                   "Content-Type": "application/json"}
        if stream:
            headers["Accept"] = "text/event-stream"
        try:
            with cancel:
                response = self._session.post(
                    settings.url + codec.PATH, params=codec.params(settings.group_id),
                    data=json.dumps(body, ensure_ascii=False).encode("utf-8"), headers=headers,
                    stream=True, timeout=(settings.connect_timeout, settings.read_timeout))
        except requests.exceptions.RequestException as exc:
            if cancel.cancelled:
                raise APIConnectionError("cancelled") from None
            raise _network_error(exc, "") from None
        if response.status_code != 200:
            try:
                text = _read_limited(response)
            except requests.exceptions.RequestException:
                text = ""
            finally:
                response.close()
            err = error_for_http(response.status_code, self._scrub(text),
                                 trace_id=self._trace_id(response))
            err.retry_after = _seconds(response.headers.get("Retry-After"))
            raise err
        return response

    def _codec_for(self, request: ChatRequest) -> Codec:
        if not self.settings.api_key:
            raise ValidationError("MINIMAX_API_KEY", "missing_key")
        if request.api == PRO and not self.settings.group_id:
            raise ValidationError("MINIMAX_GROUP_ID", "needs_group_id")
        return CODECS[request.api]

    # -- what may be shown and logged ---------------------------------------------------

    def _scrub(self, text: str) -> str:
        """`text` with this client's key masked. A gateway or a misbehaving upstream may echo
        the request's Authorization header in an error body or a header; the whole text is
        masked before anything cuts it short, so no prefix of the key survives a cut."""
        key = self.settings.api_key
        return text.replace(key, MASK) if key and len(key) >= 4 else text

    def _trace_id(self, response: requests.Response | None) -> str:
        """The response's Trace-Id, masked, on one line, at most MAX_TRACE_ID_CHARS."""
        raw = response.headers.get("Trace-Id", "") if response is not None else ""
        shown = "".join(c if c.isprintable() else "?" for c in self._scrub(raw))
        return shown[:MAX_TRACE_ID_CHARS]

    def _scrub_error(self, err: MiniMaxError) -> None:
        """Mask the key in an error's message and trace id (both reach the visitor and the log)."""
        err.message, err.trace_id = self._scrub(err.message), self._scrub(err.trace_id)
        err.args = (err.message,)

    # -- retry policy ------------------------------------------------------------------

    def _should_retry(self, err: MiniMaxError, attempt: int) -> bool:
        if attempt >= self.settings.max_retries:
            return False
        if isinstance(err, (APIConnectionError, APITimeoutError)) and err.code is None:
            return True
        if err.code is not None:
            return err.code in RETRYABLE_CODES
        return err.http_status == 429 or (err.http_status or 0) >= 500

    def _backoff(self, attempt: int, err: MiniMaxError) -> float:
        delay = self.retry_backoff * 2.0 ** (attempt - 1)
        if err.retry_after:
            delay = max(delay, err.retry_after)
        return min(MAX_BACKOFF, delay) * random.uniform(0.8, 1.2)


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _session_from_env(url: str) -> requests.Session:
    """A session that reads the environment (the proxy for `url`, honouring NO_PROXY, and a
    CA bundle) once, here. By default requests reads it again on every request (every
    variable's name for the proxies, twice, and the home folder's .netrc): 0.4 ms of CPU a
    reply that, with a hundred replies starting at once, held the GIL the event loop needed."""
    session = requests.Session()
    session.trust_env = False
    session.proxies = requests.utils.get_environ_proxies(url)
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") \
        or True
    return session


def _byte_chunks(response: requests.Response) -> Iterator[bytes]:
    """Bytes as they arrive: one HTTP chunk at a time, or whatever one read returns."""
    raw = response.raw
    if raw.chunked and raw.supports_chunked_reads():
        yield from raw.read_chunked(None, decode_content=True)
        return
    while chunk := raw.read1(65536, decode_content=True):
        yield chunk


def _read_limited(response: requests.Response) -> str:
    data = b""
    for chunk in response.iter_content(8192):
        data += chunk
        if len(data) >= MAX_ERROR_BODY:
            break
    return data.decode("utf-8", errors="replace")


def _json_body(response: requests.Response, trace_id: str, scrub: Callable[[str], str]) -> JSON:
    text = scrub(_read_limited(response))
    try:
        obj = json.loads(text)
    except ValueError:
        raise ResponseFormatError(f"the reply is not JSON: {summarize_body(text)}",
                                  http_status=response.status_code, trace_id=trace_id) from None
    if not isinstance(obj, dict):
        raise ResponseFormatError("the reply is not a JSON object", trace_id=trace_id)
    return obj


# Reading the raw stream surfaces urllib3's and the socket's own errors, not requests'.
_NETWORK_ERRORS = (requests.exceptions.RequestException, urllib3.exceptions.HTTPError,
                   http.client.HTTPException, OSError)


def _network_error(exc: Exception, trace_id: str) -> MiniMaxError:
    if isinstance(exc, (requests.exceptions.ReadTimeout, urllib3.exceptions.ReadTimeoutError,
                        TimeoutError)):
        return APITimeoutError("no data from MiniMax within the read timeout", trace_id=trace_id)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return APIConnectionError("timed out connecting to MiniMax", trace_id=trace_id)
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError,
                        http.client.IncompleteRead)):
        return APIConnectionError("the connection dropped in the middle of the reply",
                                  trace_id=trace_id)
    return APIConnectionError(f"could not reach MiniMax ({type(exc).__name__})", trace_id=trace_id)
