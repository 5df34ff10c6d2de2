"""Take the README's screenshots from a running app (``make run``) with Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py [base URL] [password]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
PASSWORD = sys.argv[2] if len(sys.argv) > 2 else "portfolio-demo"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
# (login, path, file, optionally a link to follow from that page first)
SHOTS = [
    ("product.manager", "/", "home-product-manager.png", None),
    ("program.manager", "/", "home-program-manager.png", None),
    ("leader", "/", "home-leader.png", None),
    ("product.manager", "/api/docs/", "api-docs.png", None),
    ("product.manager", "/products/flow/", "product-detail.png", None),
    ("product.manager", "/products/flow/roadmap/", "roadmap-timeline.png", None),
    ("product.manager", "/products/flow/roadmap/board/", "roadmap-board.png", None),
    # The most requested feature of the product: the demo gives it a change history and customers' quotes.
    ("product.manager", "/products/flow/", "feature-detail.png", "section[aria-labelledby=top-demand] tbody a"),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        for username, path, filename, follow in SHOTS:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{BASE}/accounts/login/?next={path}")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            if follow:
                page.click(follow)
                page.wait_for_load_state("networkidle")
            page.screenshot(path=OUT / filename, full_page=False)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
