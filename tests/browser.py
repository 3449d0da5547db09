"""Find a Chromium for the browser test: the system's, or the one Playwright downloaded.

Looked for, in order: $SHIPYARD_CHROMIUM (a path), a system package on PATH (chromium,
chromium-browser, google-chrome), the macOS applications, then Playwright's own download
(`uv run playwright install chromium`). Without one, the test fails with a single line that says
how to install one.
"""

import os
import shutil
from pathlib import Path

# Chromium's flags for a headless run as root on a machine without network access.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ON_PATH = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MACOS_APPS = (
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)
HOW_TO_INSTALL = (
    "The browser test needs Chromium: `sudo apt-get install chromium` (Debian/Ubuntu), "
    "`brew install --cask chromium` (macOS) or `uv run playwright install chromium` (anywhere "
    "with internet access); or set SHIPYARD_CHROMIUM to a Chromium or Chrome executable."
)


def find_chromium(playwright_executable=None):
    """The path of a Chromium executable, or None.

    `playwright_executable` is where Playwright keeps its own Chromium
    (`playwright.chromium.executable_path`), which exists only once it was downloaded.
    """
    if configured := os.environ.get("SHIPYARD_CHROMIUM"):
        return configured if Path(configured).is_file() else None
    for name in ON_PATH:
        if found := shutil.which(name):
            return found
    candidates = [*MACOS_APPS, playwright_executable]
    return next((path for path in candidates if path and Path(path).is_file()), None)


# Injected by Playwright before any page script, so the page's own CSP does not block it.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def watch_csp(page):
    """Record the page's Content-Security-Policy violations and console messages from now on;
    returns the console list (violations: `page.evaluate("window.cspViolations")`)."""
    page.add_init_script(WATCH_CSP)
    console = []
    page.on("console", lambda message: console.append(message.text))
    return console
