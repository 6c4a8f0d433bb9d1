"""How long a URL fragment Debian's Chromium carries: `python bench/link_length.py`.

A page on 127.0.0.1 is opened at `#share=` + N characters for growing N; each row says whether
the navigation landed, and how many characters `location.href` and `location.hash` read back.
A share link (ui/conversations/share_link.py) is refused past `MAX_LINK_CHARS`, far below the
first length Chromium drops.
"""
from __future__ import annotations

import http.server
import shutil
import string
import threading

LENGTHS = [2_000, 8_000, 32_000, 65_536, 262_144, 1_048_576, 2_000_000, 2_097_000, 2_097_152,
           2_200_000, 4_000_000]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ALPHABET = string.ascii_letters + string.digits + "-_"  # base64url, as a link carries


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>fragment</title>")

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    print(f"{'fragment chars':>15} {'landed':>7} {'href chars':>11} {'hash chars':>11}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=ARGS)
        print(f"# Chromium {browser.version}")
        for length in LENGTHS:
            page = browser.new_page()
            body = (ALPHABET * (length // len(ALPHABET) + 1))[:length - len("share=")]
            url = f"{base}#share={body}"
            try:
                page.goto(url, timeout=60_000)
                href, hash_ = page.evaluate("() => [location.href.length, location.hash.length]")
                landed = page.url.startswith(base)
            except Exception as err:  # a refused navigation: say how, keep measuring
                landed, href, hash_ = False, 0, 0
                print(f"  ({type(err).__name__}: {str(err).splitlines()[0][:80]})")
            print(f"{length:>15,} {'yes' if landed and hash_ == length + 1 else 'no':>7} "
                  f"{href:>11,} {hash_:>11,}")
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
