"""Take the README's screenshots from a running app (``make run``) with Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py [base URL] [password] [only the files whose names contain this]
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
PASSWORD = sys.argv[2] if len(sys.argv) > 2 else "portfolio-demo"
ONLY = sys.argv[3] if len(sys.argv) > 3 else ""
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
# (login, path, file, optionally a link to follow from that page first, or the name of an action in ACTIONS)
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
    ("product.manager", "/products/flow/feedback/", "feedback-inbox.png", None),
    ("product.manager", "/products/flow/roadmap/board/", "roadmap-link-feedback.png", "link-feedback"),
    ("product.manager", "/products/flow/feedback/import/", "feedback-import-error.png", "import-error"),
    ("product.manager", "/products/flow/market/compare/", "market-compare.png", None),
    ("product.manager", "/products/flow/metrics/", "product-metrics.png", None),
    ("product.manager", "/products/flow/dashboard/", "product-dashboard.png", None),
    # The most requested feature's trace: who asked, the project and people building it, its risks.
    ("product.manager", "/products/flow/", "feature-trace.png", "feature-trace"),
    ("program.manager", "/portfolios/1/ranking/", "portfolio-ranking.png", None),
    ("program.manager", "/projects/5/", "project-detail.png", None),
    # Capacity: the heat map (someone over 100 %, engineering near full), a project's people, the people.
    ("program.manager", "/capacity/", "capacity-heat-map.png", None),
    ("program.manager", "/projects/5/people/", "project-people.png", None),
    ("program.manager", "/resources/", "resources.png", None),
    ("program.manager", "/projects/5/status-reports/", "status-reports.png", None),
    ("program.manager", "/strategy/", "strategy.png", None),
    ("program.manager", "/resource-requests/", "resource-request-queue.png", None),
    ("product.manager", "/products/assist/resource-requests/", "product-resource-requests.png", None),
    # The late SSO project (5): its critical, escalated risks on the map, then the top one's score history.
    ("program.manager", "/risks/", "risk-register.png", None),
    ("program.manager", "/risks/heatmap/?project=5", "risk-heatmap.png", None),
    ("program.manager", "/risks/heatmap/?project=5&residual=true", "risk-heatmap-residual.png", None),
    ("program.manager", "/risks/?project=5", "risk-detail.png", "section[aria-labelledby=register-rows] tbody th a"),
    # Stakeholder reports: the archive, the newest Core Platform report as it was sent, the subscriptions.
    ("leader", "/reports/", "report-archive.png", None),
    ("leader", "/reports/", "report-detail.png", "tbody th a"),
    ("leader", "/reports/subscriptions/", "report-subscriptions.png", None),
    # Leadership's overview (Core Platform in trouble and why), then Core Platform's and its first program's dashboards.
    ("leader", "/dashboard/", "organisation-overview.png", None),
    ("leader", "/dashboard/", "organisation-overview-phone.png", None),
    ("leader", "/portfolios/1/dashboard/", "portfolio-dashboard.png", None),
    ("program.manager", "/programs/2/dashboard/", "program-dashboard.png", None),
]

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "feedback-import-example.csv"


def link_feedback(page) -> None:
    """Open the first card's "Link feedback…" menu and search the product's feedback."""
    menu = page.locator("details.link-menu").first
    menu.locator("summary").click()
    menu.locator("input[type=search]").fill("approval")
    page.wait_for_timeout(800)  # the search waits for typing to pause, then answers in place


def import_error(page) -> None:
    """Upload the example file with one line spoiled: the page names the line and imports nothing."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    lines[3] = re.sub(r",(Negative|Neutral|Positive),", ",Thrilled,", lines[3])
    page.set_input_files("input[type=file]", files=[{
        "name": "feedback.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode(),
    }])  # fmt: skip
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state("networkidle")


def feature_trace(page) -> None:
    """Open the most requested feature and bring its trace panel into view."""
    page.click("section[aria-labelledby=top-demand] tbody a")
    page.wait_for_load_state("networkidle")
    page.locator("#trace").scroll_into_view_if_needed()


ACTIONS = {"link-feedback": link_feedback, "import-error": import_error, "feature-trace": feature_trace}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        for username, path, filename, follow in SHOTS:
            if ONLY not in filename:
                continue
            page = browser.new_page(viewport=PHONE if filename.endswith("-phone.png") else DESKTOP)
            page.goto(f"{BASE}/accounts/login/?next={path}")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            if follow in ACTIONS:
                ACTIONS[follow](page)
            elif follow:
                page.click(follow)
                page.wait_for_load_state("networkidle")
            page.screenshot(path=OUT / filename, full_page=False)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
