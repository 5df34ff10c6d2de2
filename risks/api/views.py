from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.api.viewsets import ReadOnlyModelViewSet
from risks import selectors
from risks.api.serializers import MitigationActionSerializer, RiskSerializer
from risks.filters import MitigationActionFilterSet, RiskFilterSet


class RiskViewSet(ReadOnlyModelViewSet):
    """The RAID log: risks, issues, assumptions and dependencies with score and severity."""

    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet
    ordering_fields = [
        "id",
        "score",
        "severity",
        "residual_score",
        "probability",
        "impact",
        "title",
        "kind",
        "status",
        "category",
        "response",
        "review_date",
        "closed_at",
        *TIMESTAMPS,
    ]
    # Severity bands follow the score, so sorting by score sorts by band (a text sort would not).
    ordering_aliases = {"severity": "score"}
    ordering = ["-score"]

    def get_queryset(self):
        return selectors.risk_list()


class MitigationActionViewSet(ReadOnlyModelViewSet):
    """Actions taken to bring risks down, with owner and due date."""

    serializer_class = MitigationActionSerializer
    filterset_class = MitigationActionFilterSet
    ordering_fields = ["id", "due_date", "done_at", "risk", *TIMESTAMPS]
    # By the column, not by the related risk's own ordering (a join and a sort on another table).
    ordering_aliases = {"risk": "risk_id"}
    ordering = ["risk_id", "due_date"]

    def get_queryset(self):
        return selectors.mitigation_action_list()
