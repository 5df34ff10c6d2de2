"""A report's snapshot rendered as email HTML (inline CSS, tables, no scripts or remote images), plain text and
PDF, and the email message of one delivery."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

UNSUBSCRIBE_SALT = "reports.unsubscribe"
RAG_COLOURS = {"green": "#2f855a", "amber": "#b54708", "red": "#b42318", None: "#52606d"}
SECTIONS = (
    ("health", "Health changes", lambda r: f"{r['project']}: {r['was']} → {r['now']}"),
    ("milestones_hit", "Milestones hit", lambda r: f"{r['name']} ({r['project']}), done {r['completed_on']}"),
    (
        "milestones_slipped",
        "Milestones slipped",
        lambda r: (
            f"{r['name']} ({r['project']}), due {r['due_date']}"
            + (f", was {r['was_due']}" if r.get("was_due") and r["why"] == "due date moved" else "")
            + f": {r['why']}"
        ),
    ),
    ("risks_new", "New risks", lambda r: f"{r['title']} ({r['where']}), score {r['score']}"),
    ("risks_escalated", "Escalated risks", lambda r: f"{r['title']} ({r['where']}), score {r['score']}"),
    ("risks_closed", "Closed risks", lambda r: f"{r['title']} ({r['where']})"),
    ("features_shipped", "Features shipped", lambda r: f"{r['title']} ({r['product']})"),
    (
        "requests_decided",
        "Resource requests decided",
        lambda r: f"{r['function']} {r['percent']} % for {r['project']} ({r['product']}): {r['status']}",
    ),
)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are missing."""


def report_context(data: dict) -> dict:
    """The snapshot with what the templates show it through: sections as lines, bar widths, colours."""
    changes = data.get("changes", {})
    sections = []
    for key, title, line in SECTIONS:
        block = changes.get(key) or {"count": 0, "items": []}
        sections.append(
            {
                "title": title,
                "count": block["count"],
                "lines": [line(item) for item in block["items"]],
                "more": block["count"] - len(block["items"]),
            }
        )
    counts = data.get("headline", {}).get("counts", {})
    total = sum(counts.values()) or 1
    burn = data.get("budget", {}).get("burn_percent")
    return {
        "data": data,
        "sections": sections,
        "headline_colour": RAG_COLOURS.get(data.get("headline", {}).get("health"), RAG_COLOURS[None]),
        "health_bars": [
            {"label": colour.capitalize(), "count": counts.get(colour, 0), "colour": RAG_COLOURS[colour]}
            | {"width": round(counts.get(colour, 0) * 100 / total)}
            for colour in ("green", "amber", "red")
        ],
        "burn_width": None if burn is None else max(0, min(100, round(float(burn)))),
        "objective_bars": data.get("objectives", []),
        "site_url": settings.SITE_URL,
    }


def render_bodies(data: dict, **extra) -> tuple[str, str, str]:
    """Subject, HTML and text of the report (``extra``: the recipient's unsubscribe link and frequency)."""
    context = report_context(data) | extra
    subject = render_to_string("email/stakeholder_report_subject.txt", context).strip()
    return (
        " ".join(subject.split()),
        render_to_string("email/stakeholder_report_body.html", context),
        render_to_string("email/stakeholder_report_body.txt", context),
    )


def render_pdf(html: str) -> bytes:
    """The report as a PDF (WeasyPrint); a clear ``PdfUnavailable`` when it or its libraries are missing."""
    try:
        import weasyprint  # imported here: it loads Pango when imported, and the app runs without it
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            "PDF reports need WeasyPrint and its system libraries (Pango). On Debian or Ubuntu: "
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core ({error})"
        ) from error
    return weasyprint.HTML(string=html, base_url=None).write_pdf()


def unsubscribe_token(subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_subscription_id(token: str) -> int | None:
    """The subscription id the token was signed for, or None when it was not signed by us."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def unsubscribe_url(subscription_id: int) -> str:
    path = reverse("stakeholder_reports:unsubscribe", args=[unsubscribe_token(subscription_id)])
    return f"{settings.SITE_URL}{path}"


def message_id(delivery) -> str:
    """The same Message-ID however often the delivery is tried, so a receiving server can drop a repeat."""
    domain = settings.REPORTS_MESSAGE_ID_DOMAIN
    return f"<report-delivery-{delivery.pk}.{delivery.period_key}@{domain}>"


def delivery_message(*, delivery, report, subscription, connection=None) -> EmailMultiAlternatives:
    """The email of one delivery: text and HTML alternatives, the PDF attached, unsubscribe headers."""
    link = unsubscribe_url(subscription.pk)
    subject, html, text = render_bodies(
        report.data, unsubscribe_url=link, frequency=subscription.get_frequency_display().lower()
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.recipient_email],
        connection=connection,
        headers={
            "Message-ID": message_id(delivery),
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    if report.pdf:
        filename = f"report-{report.scope_key.replace(':', '-')}-{report.period_key}.pdf"
        message.attach(filename, bytes(report.pdf), "application/pdf")
    return message
