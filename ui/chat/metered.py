"""A reply on the host's key: it waits its turn for the account, and is retried, not failed,
when MiniMax refuses it for the account's rate.

The reply first waits in the account line (`ui/protect/account_line.py`), the page saying so
(`AccountWait`). A 1002/1039 that comes before any words, whether the client raises it or
announces its own retry, pauses every visitor (`AccountGate.back_off`) and sends this reply
back to the front of the line: MiniMax is asked again only through the line, so a refused
crowd does not hammer it in turn. All of it is bounded by the host's maximum wait.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable, Iterable
from contextlib import aclosing

from minimax_backend import CancelToken, MiniMaxError, ReasoningDelta, Retrying, StreamEvent, TextDelta

from ..protect.account import rate_refusal
from ..protect.account_line import AccountLine
from .coalesce import Interval, coalesce
from .lifecycle import Lifecycle
from .reply import AccountWait

log = logging.getLogger(__name__)

Start = Callable[[CancelToken], Iterable[StreamEvent]]  # one attempt at the reply


async def metered(line: AccountLine, visitor: str, tokens: int, max_wait: float, start: Start,
                  life: Lifecycle, interval: Interval, read_every: Interval | None = None,
                  ) -> AsyncGenerator[list, None]:
    """Batches of the reply's events, as `coalesce` gives them (`interval`, `read_every`),
    after its turn came; an `AccountWait` batch while it waits. Raises AccountBusy past
    `max_wait` seconds."""
    since, first = line.clock(), False
    while True:
        waited = False
        async for seconds in line.turn(visitor, tokens, since, max_wait, first):
            waited = True
            yield [AccountWait(seconds)]
            if not life.streaming:
                return
        cancel = life.renew_cancel()
        if not life.streaming:
            return
        if waited:
            yield [AccountWait(0)]  # its turn came: "waiting for MiniMax" again
        refused: MiniMaxError | None = None
        produced = False
        try:
            async with aclosing(coalesce(start(cancel), interval, read_every=read_every)) as batches:
                async for batch in batches:
                    refused = None if produced else next(
                        (e.error for e in batch if isinstance(e, Retrying) and rate_refusal(e.error)),
                        None)
                    if refused is not None:
                        break  # the client would retry on its own, past the line
                    produced = produced or any(isinstance(e, (TextDelta, ReasoningDelta))
                                               for e in batch)
                    yield batch
        except MiniMaxError as err:
            if produced or not rate_refusal(err):
                raise
            refused = err
        if refused is None:
            return
        cancel.cancel()
        pause = await asyncio.to_thread(line.gate.back_off, refused)
        log.info("account refused code=%s pause=%.1fs", refused.code, pause)
        first = True
