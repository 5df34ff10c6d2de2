"""``{% feature_trace feature %}``: the feature page's trace panel (``portfolio.reports.trace.feature_trace``).

A tag rather than a context variable because the products app sits below reports and never imports it: the
feature page loads this library by name and the reports layer reads its own selector.
"""

from django import template

from portfolio.reports.trace import feature_trace as trace_of

register = template.Library()


@register.inclusion_tag("reports/partials/_trace.html")
def feature_trace(feature):
    return {"trace": trace_of(feature=feature), "product": feature.product}
