"""Scales that several apps read: the risk severity bands (DESIGN §3).

They live in core because project health (programs) and the risk register (risks) both
need them, and programs sits below risks.
"""

from django.db import models


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


# The one definition of the severity bands: inclusive score ranges on the 1–25 scale
# (low ≤ 4 < medium ≤ 9 < high ≤ 14 < critical).
SEVERITY_BANDS: tuple[tuple[Severity, int, int], ...] = (
    (Severity.LOW, 1, 4),
    (Severity.MEDIUM, 5, 9),
    (Severity.HIGH, 10, 14),
    (Severity.CRITICAL, 15, 25),
)


def severity_floor(severity: Severity) -> int:
    """Return the lowest score of a severity band."""
    return next(low for band, low, _high in SEVERITY_BANDS if band == severity)
