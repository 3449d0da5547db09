"""The browser test finds a Chromium by itself, or says in one line how to get one."""

import pytest

from . import browser

pytestmark = pytest.mark.fast


@pytest.fixture
def no_system_chromium(monkeypatch, tmp_path):
    monkeypatch.delenv("SHIPYARD_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(browser, "MACOS_APPS", ())
    return tmp_path


def executable(path):
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def test_a_system_chromium_on_path_is_found(no_system_chromium):
    found = executable(no_system_chromium / "chromium")

    assert browser.find_chromium(playwright_executable=None) == found


def test_playwrights_own_chromium_is_found_when_there_is_no_system_one(no_system_chromium):
    downloaded = executable(no_system_chromium / "chrome")
    not_downloaded = str(no_system_chromium / "chrome-linux" / "chrome")

    assert browser.find_chromium(playwright_executable=downloaded) == downloaded
    assert browser.find_chromium(playwright_executable=not_downloaded) is None


def test_shipyard_chromium_names_the_executable(no_system_chromium, monkeypatch):
    chosen = executable(no_system_chromium / "my-chrome")
    monkeypatch.setenv("SHIPYARD_CHROMIUM", chosen)

    assert browser.find_chromium() == chosen


def test_without_any_chromium_the_message_is_one_line_saying_how_to_install(no_system_chromium):
    assert browser.find_chromium(playwright_executable=None) is None
    assert "\n" not in browser.HOW_TO_INSTALL
    assert "apt-get install chromium" in browser.HOW_TO_INSTALL
    assert "brew install --cask chromium" in browser.HOW_TO_INSTALL
    assert "playwright install chromium" in browser.HOW_TO_INSTALL
