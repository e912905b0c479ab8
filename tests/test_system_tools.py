"""A test that needs a missing system tool is skipped with an install hint, and fails in CI."""

import pytest
import system_tools

pytest_plugins = ["pytester"]
# Inner sessions without the plugins they do not need: Hypothesis alone adds most of a second.
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:xdist")

INNER_CONFTEST = """
import system_tools
pytest_runtest_setup = system_tools.pytest_runtest_setup
"""
INNER_TESTS = """
import pytest

@pytest.mark.requires("gone")
def test_needs_the_missing_tool():
    pass

@pytest.mark.requires("here")
def test_needs_the_present_tool():
    pass

def test_needs_nothing():
    pass
"""


@pytest.fixture
def tools(monkeypatch):
    """Two made-up tools, one present and one missing, known only during the test."""
    monkeypatch.setitem(
        system_tools.TOOLS,
        "gone",
        system_tools.SystemTool("gone", "the gone package", lambda: "`gone` is not on PATH"),
    )
    monkeypatch.setitem(
        system_tools.TOOLS, "here", system_tools.SystemTool("here", "nothing", lambda: None)
    )
    monkeypatch.delenv("CI", raising=False)
    yield
    system_tools.why_missing.cache_clear()


def test_a_present_tool_lets_the_test_run(tools):
    assert system_tools.require("here") is None


def test_a_missing_tool_skips_the_test_saying_what_to_install(tools):
    with pytest.raises(pytest.skip.Exception, match="`gone` is not on PATH; install the gone"):
        system_tools.require("gone")


@pytest.mark.parametrize("ci", ["true", "TRUE"])
def test_under_ci_a_missing_tool_fails_the_test(tools, monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="CI=true and `gone` is not on PATH; install"):
        system_tools.require("gone")


def test_a_misspelt_tool_fails_rather_than_skips(tools):
    with pytest.raises(pytest.fail.Exception, match="unknown system tool 'pdftopm'"):
        system_tools.require("pdftopm")


def test_the_browser_and_postgres_markers_need_chromium_and_postgresql(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.browser
        @pytest.mark.requires("pdftoppm", "chromium")
        @pytest.mark.postgres
        def test_all(): pass
        """
    )
    items, _ = pytester.inline_genitems(*QUIET)
    (item,) = items
    assert system_tools.tools_required_by(item) == ["pdftoppm", "chromium", "postgresql"]


def test_the_marker_skips_locally_and_fails_in_ci_in_a_real_session(tools, pytester, monkeypatch):
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makepyfile(INNER_TESTS)
    local = pytester.runpytest("-rs", *QUIET)
    local.assert_outcomes(passed=2, skipped=1)
    local.stdout.fnmatch_lines(["*SKIPPED*`gone` is not on PATH; install the gone package*"])
    monkeypatch.setenv("CI", "true")
    in_ci = pytester.runpytest(*QUIET)
    in_ci.assert_outcomes(passed=2, errors=1)
    in_ci.stdout.fnmatch_lines(["*CI=true and `gone` is not on PATH; install the gone package*"])


def test_pdftoppm_is_missing_where_poppler_is_not_on_the_path(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    check = system_tools.TOOLS["pdftoppm"].why_missing
    assert check() == "`pdftoppm` is not on PATH"
    assert "apt-get install poppler-utils" in system_tools.TOOLS["pdftoppm"].install


def test_every_known_tool_says_what_to_install_on_debian():
    assert set(system_tools.TOOLS) >= {"pdftoppm", "chromium", "postgresql", "redis"}
    for tool in system_tools.TOOLS.values():
        assert "Debian: apt-get install " in tool.install, tool.name
