"""Helpers of the evaluation browser tests: one signed-in desk per person, screenshots at both widths."""

from __future__ import annotations

from pathlib import Path

from ocop.testing import browser_login

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screens"
WIDTHS = ((390, 844), (1366, 900))


class Desks:
    """One signed-in browser context per person, so each logs in (password + TOTP) once."""

    def __init__(self, page, base_url: str):
        self.first, self.base, self.pages = page, base_url, {}

    def __call__(self, username: str):
        if username not in self.pages:
            if not self.pages:
                page = self.first
            else:
                context = self.first.context.browser.new_context(
                    locale="vi-VN", viewport={"width": 1366, "height": 900}
                )
                context.set_default_timeout(10_000)
                page = context.new_page()
            browser_login(page, self.base, username)
            self.pages[username] = page
        return self.pages[username]

    def close(self):
        for page in self.pages.values():
            if page is not self.first:
                page.context.close()


def shoot(page, name: str, axe) -> None:
    """Screenshots at phone (390 px) and desktop (1366 px) width, each checked for horizontal overflow and by
    axe-core; the page is left at desktop width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: trang tràn ngang {overflow}px ở {width}px"
        axe(page)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
