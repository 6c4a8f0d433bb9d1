"""Replies on the host's key and the account line, through the chat handlers with a scripted
backend: the waiting note, Stop while waiting, a 1002 retried instead of shown, the bound, and
one visitor's many tabs not starving another."""
import asyncio
import re
from types import SimpleNamespace

from conftest import WAIT_FOR_CANCEL, FakeService
from limits.storage import MemoryStorage

from minimax_backend import Finish, Retrying, Settings, TextDelta, Usage
from minimax_backend.errors import error_for_code
from minimax_backend.models import V2
from ui.chat.handlers import ChatHandlers
from ui.chat.service import Route
from ui.chat.settings import ChatSettings
from ui.protect.account import AccountConfig, AccountGate
from ui.protect.account_line import AccountLine

SETTINGS = ChatSettings(api=V2, model="MiniMax-M2.7", system="", temperature=1.0, top_p=0.95,
                        max_tokens=2048, bot_name="MM智能助理", user_name="用户")
HOST = Route.of("cn")
OK = [TextDelta("ok"), Finish("stop", "ok", Usage(3, 1, 0, 4))]
WAIT_NOTE = ('<div class="mm-note mm-pending">⏳ Waiting for a free slot on the host\'s MiniMax '
             'account, about {} s…</div>')
RPM = error_for_code(1002, "rate limit exceeded(RPM)")


def request(session="s1", ip="10.0.0.1"):
    return SimpleNamespace(headers={"accept-language": "en-US"}, session_hash=session,
                           client=SimpleNamespace(host=ip))


def user(text):
    return {"role": "user", "content": [{"type": "text", "text": text}], "metadata": None}


def handlers(service, **config):
    line = AccountLine(AccountGate(AccountConfig(**config), storage=MemoryStorage()), poll=0.05)
    return ChatHandlers(service, interval=0.0, account=line)


def shown(update):
    history, _ = update
    return [item["content"] for item in history[1:]]


def timed(note):
    """An ended reply's note without its times and facts (`ui.chat.cost`), which it must have."""
    bare, found = re.subn(r"<span class=\"mm-more\" data-facts='[^']*'>.*</span>(?=</div>$)", "",
                          note, flags=re.DOTALL)
    assert found == 1, note
    return bare


async def answer(chat, text, route=HOST, **who):
    return [u async for u in chat.respond([user(text)], {}, SETTINGS, route, request(**who))]


def test_a_reply_past_the_limit_waits_with_a_note_and_stop_still_works():
    service = FakeService(always=OK)
    chat = handlers(service, requests=1, window=60)

    async def scenario():
        first = await answer(chat, "one")
        second = chat.respond([user("two")], {}, SETTINGS, HOST, request("s2", "10.0.0.2"))
        waiting = await second.__anext__()
        stopped = chat.stop({}, request("s2"))
        rest = [u async for u in second]
        return first, waiting, stopped, rest

    first, waiting, (history, _), rest = asyncio.run(scenario())
    assert shown(first[-1])[0] == "ok"
    assert shown(waiting) == [WAIT_NOTE.format(60)]  # the first request leaves the window in 60 s
    assert [timed(item["content"]) for item in history[1:]] == ['<div class="mm-note mm-info">(stopped)</div>']
    assert all("mm-error" not in text for update in rest for text in shown(update))
    assert len(service.requests) == 1 and chat.account.waiting() == 0


def test_a_1002_pauses_everyone_and_the_reply_is_retried_not_failed():
    service = FakeService([RPM], OK)
    chat = handlers(service)  # no limit of the app's own: MiniMax's refusal still counts

    updates = asyncio.run(answer(chat, "hi"))
    texts = [text for update in updates for text in shown(update)]
    assert WAIT_NOTE.format(1) in texts  # the first pause: 1 s
    assert shown(updates[-1])[0] == "ok" and "mm-error" not in shown(updates[-1])[-1]
    assert not any("1002" in text or "Too many requests" in text for text in texts)
    assert len(service.requests) == 2


def test_the_clients_own_retry_of_a_1002_is_cut_short_and_left_to_the_line():
    service = FakeService([Retrying(1, 3, 0.5, RPM), WAIT_FOR_CANCEL], OK)
    chat = handlers(service)

    updates = asyncio.run(answer(chat, "hi"))
    assert shown(updates[-1])[0] == "ok"
    assert service.cancels[0].cancelled and service.cancels[0] is not service.cancels[1]
    assert not any("retrying in" in text for update in updates for text in shown(update))


def test_past_the_hosts_maximum_wait_the_visitor_is_told_and_the_message_kept():
    service = FakeService(always=OK)
    chat = handlers(service, max_wait=5)
    refusal = error_for_code(1002, "rpm")
    refusal.retry_after = 30.0
    chat.account.gate.back_off(refusal)

    [update] = asyncio.run(answer(chat, "keep me"))
    history, _ = update
    assert history[0]["content"][0]["text"] == "keep me"
    assert [timed(note) for note in shown(update)] == [
        '<div class="mm-note mm-error">⚠️ The host\'s MiniMax account is too busy: '
        'no slot came free within 5 s. Your message is kept; send it again in a '
        'minute (↻ Retry).</div>']
    assert service.requests == []


def test_a_visitors_own_key_and_the_offline_demo_do_not_wait_for_the_hosts_account():
    own_key, demo = FakeService(always=OK), FakeService(always=OK, settings=Settings())
    for service, route in [(own_key, Route.of("cn", "visitor-own-key")), (demo, HOST)]:
        chat = handlers(service)
        refusal = error_for_code(1002, "rpm")
        refusal.retry_after = 30.0
        chat.account.gate.back_off(refusal)  # the host's account is paused
        updates = asyncio.run(answer(chat, "hi", route))
        assert shown(updates[-1])[0] == "ok" and len(service.requests) == 1


def test_one_visitors_many_tabs_do_not_starve_another():
    service = FakeService(always=OK)
    chat = handlers(service, requests=1, window=1)

    async def scenario():
        tabs = []
        for n in (1, 2, 3):  # one address, three tabs, all at once
            tabs.append(asyncio.create_task(answer(chat, f"a{n}", session=f"a{n}", ip="10.0.0.1")))
            await asyncio.sleep(0.05)
        other = asyncio.create_task(answer(chat, "b", session="b", ip="10.0.0.2"))
        await asyncio.wait_for(asyncio.gather(*tabs, other), 20)

    asyncio.run(scenario())
    served = [request.messages[-1].content for request in service.requests]
    assert served == ["a1", "a2", "b", "a3"]  # first come, first served would put b last
