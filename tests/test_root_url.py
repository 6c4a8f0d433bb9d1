"""gradio's root URL is worked out once per origin, with gradio's own answer
(ui/server/root_url.py)."""
from __future__ import annotations

import pytest
from gradio import route_utils
from starlette.requests import Request

from ui.server import root_url
from ui.server.root_url import KEPT, _remembering

JOIN = "/gradio_api/queue/join"


def _request(path: str, headers: dict[str, str] | None = None, query: bytes = b"",
             host: str = "example.org:7860") -> Request:
    raw = [(b"host", host.encode())] + [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request({"type": "http", "method": "POST", "scheme": "http", "path": path,
                    "root_path": "", "query_string": query, "headers": raw})


CASES = [  # (request, root_path): direct, behind a proxy, a sub-path, gradio's own header
    (_request("/gradio_api/run/predict"), None),
    (_request(JOIN, {"X-Forwarded-Host": "chat.example.com, inner", "X-Forwarded-Proto": "https"}), None),
    (_request(JOIN, {"x-forwarded-proto": "https"}, b"a=1"), "/sub"),
    (_request("/x" + JOIN), "/x"),
    (_request(JOIN, {"x-gradio-server": "http://h:9/"}), None),
    (_request(JOIN, host="other.example.net"), "https://fixed.example.org/app/"),
]


@pytest.fixture
def counted():
    calls = []
    original = route_utils.get_root_url

    def gradios(request, route_path, root_path):
        calls.append(route_path)
        return original(request, route_path, root_path)

    return _remembering(gradios), calls


def test_the_answer_is_gradios_own(counted):
    remembering, _ = counted
    for request, root_path in CASES:
        for route_path in (JOIN, "/gradio_api/run/predict"):
            expected = route_utils.get_root_url(request, route_path, root_path)
            assert remembering(request, route_path, root_path) == expected
            assert remembering(request, route_path, root_path) == expected


def test_each_origin_is_worked_out_once_and_a_query_makes_no_new_one(counted):
    remembering, calls = counted
    for query in (b"", b"session_hash=a", b"session_hash=b"):
        assert remembering(_request(JOIN, query=query), JOIN, None) == "http://example.org:7860"
    assert remembering(_request(JOIN, host="b.example.org"), JOIN, None) == "http://b.example.org"
    assert len(calls) == 2


def test_a_stranger_varying_headers_cannot_grow_it(counted):
    remembering, calls = counted
    for n in range(KEPT * 3):
        assert remembering(_request(JOIN, {"x-forwarded-host": f"h{n}.example"}), JOIN, None) \
            == f"http://h{n}.example"
    info = _cache_info(remembering)
    assert info.currsize == KEPT and len(calls) == KEPT * 3


def test_installed_once(monkeypatch):
    gradios = getattr(route_utils.get_root_url, "__wrapped__", route_utils.get_root_url)
    monkeypatch.setattr(route_utils, "get_root_url", gradios)  # as gradio ships it

    assert root_url.remember_root_urls()
    assert route_utils.get_root_url.remembers and route_utils.get_root_url.__wrapped__ is gradios
    assert not root_url.remember_root_urls()


def _cache_info(remembering):
    for cell in remembering.__closure__ or ():
        if hasattr(cell.cell_contents, "cache_info"):
            return cell.cell_contents.cache_info()
    raise AssertionError("no cache")
