"""Shared pytest fixtures for the whole project.

* Reference data (administrative units, product groups/sets) is loaded once per test database, right after
  pytest-django creates it. Ordinary `db` tests run inside a transaction that is rolled back, so they all
  see it. Transactional tests (`transactional_db`, `live_server`, browser tests) end with a flush of every
  table except the reference tables (see ReferenceTables); if such a test changed those, everything is
  flushed and loaded again, so whatever runs next sees the pristine reference data.
* `browser` / `page` / `phone_page`: Debian's Chromium driven by Playwright's sync API. Tests using them
  must be marked `@pytest.mark.browser` and get a `live_server` automatically through `page`.
  A failing browser test leaves a screenshot in test-artifacts/.
* `axe`: `axe(page)` runs axe-core (npm, node_modules/axe-core) on the page as it is now and fails the test
  with every violation listed. Call it where a page has reached a state worth checking (a dialog open, a
  form sent back with errors).
* Every page a browser test visits is also checked by axe-core automatically, in every browser context the
  test opens (the `page`/`phone_page`/`tablet_page` fixtures' and its own): when the page has loaded, and
  when the test ends (or closes the page's context) in whatever state it reached. A page unchanged since
  an explicit `axe(page)` is not checked twice. The opt-out is explicit and names its reason:
  `@pytest.mark.axe_exempt(reason=…)` for a whole test, `@pytest.mark.axe_exempt(r"url regex", reason=…)`
  for the pages whose address matches.
* `@pytest.mark.postgres_only` tests are skipped on SQLite.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("OCOP_CHROMIUM", "/usr/bin/chromium")
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# (management command, model whose emptiness means "not loaded") — both written in their own apps.
REFERENCE_LOADERS = [
    ("load_admin_units", "geography.AdminUnit"),
    ("load_product_classifications", "products.ProductGroup"),
]
# Criteria versions are not kept across flushes: they reference users (who loaded them), and
# ocop.evaluation loads the shipped sheet on first use anyway.

_db_blocker = None  # pytest-django's blocker, kept to reload reference data between tests


# -- reference data ------------------------------------------------------------------------------------
def _available_commands() -> set[str]:
    from django.core.management import get_commands

    return set(get_commands())


def load_reference_data(only_missing: bool = False) -> list[str]:
    """Run the reference-data loaders that exist; with only_missing, only those whose table is empty."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.base import CommandError

    commands = _available_commands()
    loaded = []
    for command, model_label in REFERENCE_LOADERS:
        if command not in commands:
            continue
        if only_missing:
            try:
                if apps.get_model(model_label).objects.exists():
                    continue
            except LookupError:
                pass
        try:
            call_command(command, verbosity=0)
        except CommandError as exc:
            if "Unknown command" in str(exc):
                continue
            raise
        loaded.append(command)
    return loaded


class ReferenceTables:
    """Keeps the reference tables through the flush that ends each transactional test.

    Reloading admin units after every live-server test costs seconds; instead, the flush skips the
    project tables that hold rows right after loading (admin units, groups/sets, criteria, …). After
    each transactional test their row counts are checked: if a test changed them, everything is flushed
    and loaded again, so a later test never sees a modified copy.
    """

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.full_flush = False
        self._original_sql_flush = None

    @staticmethod
    def _project_models():
        from django.apps import apps

        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.app_config.name.startswith("ocop.") and meta.managed and not meta.proxy:
                yield model

    def current_counts(self) -> dict[str, int]:
        return {model._meta.db_table: model._base_manager.count() for model in self._project_models()}

    def snapshot(self) -> None:
        self.counts = {table: n for table, n in self.current_counts().items() if n}

    def install(self) -> None:
        from django.core.management.commands import flush

        self._original_sql_flush = original = flush.sql_flush  # type: ignore[attr-defined]  # a module-level helper the flush command reads

        def sql_flush_keeping_reference(style, connection, reset_sequences=True, allow_cascade=False):
            if self.full_flush or not self.counts:
                return original(
                    style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade
                )
            tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
            tables = [table for table in tables if table not in self.counts]
            return connection.ops.sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )

        flush.sql_flush = sql_flush_keeping_reference  # type: ignore[attr-defined]

    def uninstall(self) -> None:
        if self._original_sql_flush is not None:
            from django.core.management.commands import flush

            flush.sql_flush = self._original_sql_flush  # type: ignore[attr-defined]
            self._original_sql_flush = None

    def restore_if_changed(self) -> None:
        current = self.current_counts()
        if all(current.get(table) == n for table, n in self.counts.items()):
            return
        from django.core.management import call_command

        self.full_flush = True
        try:
            call_command("flush", interactive=False, verbosity=0)
        finally:
            self.full_flush = False
        load_reference_data()
        self.snapshot()


_reference_tables = ReferenceTables()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus the reference data every test may rely on."""
    global _db_blocker
    _db_blocker = django_db_blocker
    with django_db_blocker.unblock():
        load_reference_data()
        _reference_tables.snapshot()
    _reference_tables.install()
    yield
    _reference_tables.uninstall()


def pytest_sessionfinish(session):
    """The file-based SQLite test database (config.settings.test) is deleted by Django; its WAL and
    shared-memory files can outlive it when a live-server thread's connection closes late."""
    from django.conf import settings

    if not settings.configured:
        return
    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if database["ENGINE"].endswith("sqlite3") and name:
        for leftover in Path(name).parent.glob(Path(name).name + "*"):
            leftover.unlink(missing_ok=True)


@pytest.fixture
def reference_data(django_db_blocker):
    """For tests outside the usual rollback (live server, transactional): make sure the data is there."""
    with django_db_blocker.unblock():
        load_reference_data(only_missing=True)


def _is_transactional(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    if "transactional_db" in names or "live_server" in names:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    return bool(cls and issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # fixtures are torn down now: a transactional test has flushed the other tables
    if nextitem is None or _db_blocker is None or not _is_transactional(item):
        return
    with _db_blocker.unblock():
        _reference_tables.restore_if_changed()
        load_reference_data(only_missing=True)


# -- markers -------------------------------------------------------------------------------------------
def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres_only"):
        from django.conf import settings

        if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
            pytest.skip("cần PostgreSQL (chạy trong lượt PostgreSQL của make test)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# -- browser -------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} không có: chạy scripts/ensure_chromium.sh (make test tự làm việc này)")
    # Playwright's sync API keeps an asyncio loop in this thread; Django's ORM must still work here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        new_context = chromium.new_context

        def checked_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            _auto_axe.install(context)
            return context

        chromium.new_context = checked_context  # tests' own contexts too (page.context.browser is this one)
        yield chromium
        chromium.close()


def _screenshot_on_failure(request, page) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # the page may be gone with the failure
        print(f"không chụp được màn hình: {exc}")


def _new_page(browser, request, **context_options):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    _screenshot_on_failure(request, page)
    context.close()


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}  # a council member's tablet, upright


@pytest.fixture
def page(browser, live_server, reference_data, request):
    """A desktop-sized page (1366×900); `live_server.url` is the app's address."""
    yield from _new_page(browser, request, viewport=DESKTOP)


@pytest.fixture
def phone_page(browser, live_server, reference_data, request):
    """A phone-sized page (390×844, touch, mobile user agent)."""
    yield from _new_page(
        browser, request, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )


@pytest.fixture
def tablet_page(browser, live_server, reference_data, request):
    """A tablet-sized page (820×1180, touch): the council member scoring at the session."""
    yield from _new_page(browser, request, viewport=TABLET, has_touch=True)


# -- accessibility -------------------------------------------------------------------------------------
# One run at a time in a page (axe refuses a second while one is running): a test's own check and the
# automatic one (on the page's load event) may start together.
_AXE_RUN = """async () => {
    if (typeof axe === 'undefined') return null;  // a new document since axe was injected: inject again
    const turn = (window.__axeTurn || Promise.resolve()).catch(() => null)
        .then(() => axe.run(document, {resultTypes: ['violations']}));
    window.__axeTurn = turn;
    const result = await turn;
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '')),
    }));
}"""


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (WCAG 2.x A/AA and best practices, axe's defaults).

    The script is evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not
    govern, so the check sees the page exactly as users get it.
    """
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} không có: chạy make install (npm ci)")
    for _attempt in range(3):  # the page may be replaced by a navigation between injecting and running
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
        violations = page.evaluate(_AXE_RUN)
        if violations is not None:
            return violations
    raise RuntimeError(f"{page.url}: axe-core không nạp được vào trang (trang liên tục đổi)")


# After a check, the page is "clean" until its DOM changes: the automatic check skips a clean page.
_MARK_CLEAN = """() => {
    window.__axeClean = true;
    if (!window.__axeObserver) {
        window.__axeObserver = new MutationObserver(() => { window.__axeClean = false; });
        window.__axeObserver.observe(document.documentElement,
            {subtree: true, childList: true, attributes: true, characterData: true});
    }
}"""


def _axe_report(url: str, violations: list[dict]) -> str:
    lines = [f"{url}: {len(violations)} lỗi trợ năng (axe-core)"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {node}" for node in v["nodes"])
    return "\n".join(lines)


@pytest.fixture
def axe():
    """`axe(page)`: fail the test with every axe-core violation of the page as it is now."""

    def check(page) -> None:
        violations = axe_violations(page)
        page.evaluate(_MARK_CLEAN)
        if violations:
            pytest.fail(_axe_report(page.url, violations))

    return check


class AutoAxe:
    """The automatic axe-core check of every page a browser test visits (see the module's docstring).
    Reports are gathered for the running test and fail it at its end."""

    def __init__(self) -> None:
        self.reports: list[str] = []
        self.exempt: list[tuple[re.Pattern[str] | None, str]] = []
        self.contexts: list = []
        self.active = False

    def start(self, item: pytest.Item) -> None:
        self.reports, self.contexts, self.active = [], [], True
        self.exempt = []
        for marker in item.iter_markers("axe_exempt"):
            reason = marker.kwargs.get("reason", "")
            if not reason.strip():
                pytest.fail("@pytest.mark.axe_exempt cần reason=… nói vì sao trang không được kiểm tra")
            pattern = marker.args[0] if marker.args else None
            self.exempt.append((re.compile(pattern) if pattern else None, reason))

    def skipped(self, url: str) -> bool:
        if not url.startswith("http") or "/static/" in url or "/media/" in url:
            return True
        return any(pattern is None or pattern.search(url) for pattern, _reason in self.exempt)

    def check(self, page) -> None:
        if not self.active or page.is_closed():
            return
        try:
            url = page.url
            if self.skipped(url) or page.evaluate("() => window.__axeClean === true"):
                return
            content_type = page.evaluate("() => document.contentType")
            if content_type != "text/html":
                return  # a PDF, an image, a JSON answer shown by the browser
            violations = axe_violations(page)
            page.evaluate(_MARK_CLEAN)
        except Exception as exc:  # the page went away while being checked: nothing left to check
            if "closed" in str(exc) or "destroyed" in str(exc) or "navigat" in str(exc):
                return
            raise
        if violations:
            self.reports.append(_axe_report(url, violations))

    def check_loaded(self, page) -> None:
        try:
            self.check(page)
        except Exception as exc:  # noqa: BLE001 — an event handler must not raise: reported with the test
            self.reports.append(f"{page.url}: kiểm tra axe-core không chạy được: {exc}")

    def install(self, context) -> None:
        self.contexts.append(context)
        # Each page is checked once it has loaded (a handler of the page's own "load" event: a check from a
        # route handler, holding the navigation that leaves the page, deadlocks the page), again when it is
        # closed and when the test ends, whatever state it reached by then.
        context.on("page", lambda page: page.on("load", self.check_loaded))
        original_close = context.close

        def close(*args, **kwargs):
            for open_page in context.pages:
                self.check(open_page)
            return original_close(*args, **kwargs)

        context.close = close

    def finish(self) -> list[str]:
        for context in self.contexts:
            try:
                pages = list(context.pages)
            except Exception:  # noqa: BLE001 — the context is gone with its browser
                pages = []
            for open_page in pages:
                self.check(open_page)
        self.active = False
        return self.reports


_auto_axe = AutoAxe()


@pytest.fixture(autouse=True)
def _axe_on_every_page(request):
    """Browser tests: axe-core checks each page they visit (AutoAxe), the test fails on a violation."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    _auto_axe.start(request.node)
    yield
    reports = _auto_axe.finish()
    if reports:
        pytest.fail("Trang không đạt kiểm tra trợ năng tự động (axe-core):\n" + "\n".join(reports))


# -- every service that writes also audits (ocop/audit_watch.py) -------------------------------------------
def pytest_configure(config):
    from ocop import audit_watch

    audit_watch.install()


@pytest.fixture(autouse=True)
def _services_audit():
    """Fails the test when a service it called wrote records without an audit row."""
    from ocop import audit_watch

    audit_watch.violations.clear()
    yield
    found, audit_watch.violations[:] = list(audit_watch.violations), []
    if found:
        pytest.fail("Every service that writes also audits:\n" + "\n".join(sorted(set(found))))
