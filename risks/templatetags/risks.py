"""``{% top_risks scope %}``: the highest-scored open risks of a project, program or product, for their pages.

A tag rather than a context variable because programs and products sit below risks and never import it: their
templates include ``risks/_top_risks.html`` and the risks app reads its own selector (one query).
"""

from django import template

from portfolio.core.permissions import can
from risks import selectors

register = template.Library()


@register.inclusion_tag("risks/partials/_top_risks.html", takes_context=True)
def top_risks(context, scope, limit: int = 5):
    return {
        "scope": scope,
        "label": scope._meta.model_name,
        "risks": selectors.top_risks(scope=scope, limit=limit),
        "may_add": can(context.get("user"), "risks.add_risk", scope),
    }
