"""Real-browser journeys: Playwright drives Debian's Chromium (/usr/bin/chromium, installed by `make test`) against
pytest-django's live server. Each journey signs in through the login page and then uses only the pages: it fills
forms, clicks buttons and follows links, and saves a screenshot of every step under test-artifacts/browser/.

A journey fails on any browser console error (a Content-Security-Policy violation is one: the pages send a policy
without unsafe-inline) and on any answer of 500 or more."""

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in this thread; the tests still set up data through the ORM here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PASSWORD = "pass-word-123"  # tests.factories.UserFactory's


def _unavailable(reason: str):
    if os.environ.get("TSUNAGU_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; TSUNAGU_REQUIRE_BROWSER=1 requires the browser journeys to run", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def chromium():
    """A headless Chromium for one journey. Not one for the whole run: while Playwright's sync API is running, its
    event loop counts as running in this thread, and Django then hands out other database connection objects — ones
    without the serialized master data that later transactional tests restore from (so they would find no
    municipalities). Starting and stopping it inside each journey keeps the test's own set-up and flush outside."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (`make test` installs Debian's chromium and fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (`make install` installs the dev extra)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()
        from django.db import connections

        connections.close_all()  # the connection objects handed out while the loop ran: don't leave them open


@dataclass
class Journey:
    """A person's browser session on the live server, with the step screenshots and what went wrong on the way."""

    page: object
    base_url: str
    folder: Path
    problems: list[str] = field(default_factory=list)
    steps: int = 0
    reported: int = 0  # problems already raised by a step

    def open(self, path: str) -> None:
        """Type an address (only for the first page of a journey; afterwards follow links and buttons)."""
        self.page.goto(self.base_url + path)

    def menu(self, name: str) -> None:
        """Follow a link of the site's main menu (the header)."""
        self.page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name=name, exact=True).click()

    def sign_in(self, user) -> None:
        self.open("/accounts/login/")
        self.page.get_by_label("ユーザー名").fill(user.username)
        self.page.get_by_label("パスワード").fill(PASSWORD)
        self.page.get_by_role("button", name="ログイン", exact=True).click()
        self.page.wait_for_load_state()
        self.step(f"signed-in-{user.username}")
        assert self.page.get_by_text(f"{user} さん：ログアウト").is_visible(), "the header does not show who is signed in"

    def sign_out(self) -> None:
        self.page.get_by_role("button", name=re.compile("ログアウト")).click()
        self.page.wait_for_load_state()
        self.step("signed-out")

    def step(self, name: str) -> None:
        """Screenshot the page as it is now and stop the journey if the browser has reported a problem so far."""
        self.steps += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=self.folder / f"{self.steps:02d}-{name}.png", full_page=True)
        self.reported = len(self.problems)
        assert not self.problems, f"step {self.steps:02d}-{name}: " + "; ".join(self.problems)

    def close(self) -> None:
        """End of the journey: what the browser reported after the last step fails it too."""
        self.page.context.close()
        late = self.problems[self.reported:]
        assert not late, "after the last step: " + "; ".join(late)

    def fits_the_screen(self) -> None:
        """Nothing sticks out sideways: wide tables scroll inside their own box, the page itself does not."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        screen = self.page.viewport_size["width"]
        assert width <= screen, f"the page is {width}px wide on a {screen}px screen"


def _open_journey(request, live_server, chromium, context_options) -> Journey:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    context = chromium.new_context(accept_downloads=True, locale="ja-JP", timezone_id="Asia/Tokyo", **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    journey = Journey(page=page, base_url=live_server.url, folder=folder)
    page.on("console", lambda msg: msg.type == "error" and journey.problems.append(
        f"console error on {msg.location.get('url') or page.url}: {msg.text}"))
    page.on("pageerror", lambda exc: journey.problems.append(f"script error: {exc}"))
    page.on("response", lambda r: r.status >= 500 and journey.problems.append(f"HTTP {r.status} from {r.url}"))
    request.addfinalizer(journey.close)
    request.config.stash.setdefault(_FOLDERS, set()).add(folder)
    return journey


_FOLDERS = pytest.StashKey[set]()


@pytest.fixture
def phone(request, live_server, chromium) -> Journey:
    """A journey on a phone-sized screen (390×844, touch)."""
    return _open_journey(request, live_server, chromium, PHONE)


@pytest.fixture
def desktop(request, live_server, chromium) -> Journey:
    return _open_journey(request, live_server, chromium, DESKTOP)


def pytest_terminal_summary(terminalreporter, config):
    folders = sorted(f for f in config.stash.get(_FOLDERS, set()) if f.is_dir())
    if folders:
        terminalreporter.write_sep("-", "browser journey screenshots")
        for folder in folders:
            terminalreporter.write_line(f"{folder} ({len(list(folder.glob('*.png')))} steps)")
