"""Forms of the products pages: shape only; the rules and the model checks are the services'."""

from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from portfolio.core.filters import IdsField, parse_id
from portfolio.core.models import StrategicObjective, User
from products import selectors
from products.models import (
    CONFIDENCE_CHOICES,
    CONFIDENCE_MESSAGE,
    IMPACT_CHOICES,
    IMPACT_MESSAGE,
    Competitor,
    Feature,
    Feedback,
    MarketInsight,
    Product,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)

SLUG_HELP = "The product's address: /products/&lt;slug&gt;/. Leave it empty to make it from the name."


class ProductForm(forms.Form):
    """A product's name, address, texts, stage and objectives; the owner only for those who may name one."""

    name = forms.CharField(max_length=120)
    slug = forms.SlugField(max_length=140, required=False, label="Address (slug)", help_text=SLUG_HELP)
    lifecycle_stage = forms.ChoiceField(choices=Product.Stage.choices, label="Lifecycle stage")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label=None)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    vision = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    objectives = forms.ModelMultipleChoiceField(
        queryset=StrategicObjective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Strategic objectives",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, with_owner: bool, with_version: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = StrategicObjective.objects.order_by("title", "id")
        if with_owner:
            self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by(
                "first_name", "last_name", "username", "id"
            )
            self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.username
        else:
            del self.fields["owner"]
        if with_version:
            self.fields["version"].required = True
        else:
            del self.fields["version"]

    @classmethod
    def initial_of(cls, product: Product) -> dict:
        """The form's values for ``product`` as stored (its version too)."""
        return {
            "name": product.name,
            "slug": product.slug,
            "lifecycle_stage": product.lifecycle_stage,
            "owner": product.owner_id,
            "description": product.description,
            "vision": product.vision,
            "objectives": [objective.pk for objective in product.objectives.all()],
            "version": product.version,
        }

    def data_for_service(self) -> dict:
        """The cleaned values as the product services take them (``version`` apart)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["objectives"] = list(data["objectives"])
        return data


OWN_FUNCTION = "Their own function"


def show_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on its fields where it has them, else on the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.error_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, messages)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.username
        function = obj.get_function_display()
        return f"{name} ({function})" if function else name


class ProductMemberAddForm(forms.Form):
    user = UserChoiceField(queryset=User.objects.none(), label="Person", empty_label="Choose someone…")
    role = forms.ChoiceField(choices=ProductMember.Role.choices, initial=ProductMember.Role.VIEWER)
    function = forms.ChoiceField(
        choices=[("", OWN_FUNCTION), *User.Function.choices],
        required=False,
        help_text="What they do on this product's team.",
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates

    def service_data(self) -> dict:
        """The service's keyword arguments: who joins (``member``), their role and function."""
        data = self.cleaned_data
        # No function chosen: the person's own (None).
        return {"member": data["user"], "role": data["role"], "function": data["function"] or None}


class ProductMemberForm(forms.Form):
    role = forms.ChoiceField(choices=ProductMember.Role.choices)
    function = forms.ChoiceField(choices=[("", "No function given"), *User.Function.choices], required=False)


class ThemeForm(forms.Form):
    name = forms.CharField(max_length=80)
    colour = forms.CharField(
        max_length=7,
        initial="#4c6ef5",
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="The lane's colour on the roadmap, as #rrggbb.",
    )


class ThemeMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReleaseForm(forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    target_date = forms.DateField(widget=DateInput())
    status = forms.ChoiceField(choices=Release.Status.choices, initial=Release.Status.PLANNED)
    released_on = forms.DateField(
        widget=DateInput(), required=False, help_text="Left empty, a release marked released is dated today."
    )


class ReleaseEditForm(ReleaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReleaseStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Release.Status.choices)
    version = forms.IntegerField(min_value=1)


# What a select of the "Move" menu sends for "leave it as it is", and for "none" (no theme, no release).
KEEP = ""
NONE = "none"


class _ProductChoiceField(forms.CharField):
    """A theme or release of the product by id, ``none`` for none, or nothing to keep the feature's."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(required=False, **kwargs)
        self.label = label
        self.queryset = None

    def clean(self, value):
        value = super().clean(value)
        if value == KEEP:
            return ...
        if value == NONE:
            return None
        number = parse_id(value)
        found = self.queryset.filter(pk=number).first() if number else None
        if found is None:
            raise forms.ValidationError(f"Choose a {self.label} of this product.", code="invalid_choice")
        return found


class FeatureMoveForm(forms.Form):
    """A card's "Move" menu: what changes (each select keeps the feature's value unless told) and a step up or down."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    horizon = forms.ChoiceField(choices=[(KEEP, "Keep"), *Feature.Horizon.choices], required=False)
    theme = _ProductChoiceField(label="theme")
    release = _ProductChoiceField(label="release")
    quarter = forms.CharField(required=False, help_text="Start in this quarter (2026-Q4), keeping the duration.")
    direction = forms.ChoiceField(choices=[("", "Stay"), ("up", "Up"), ("down", "Down")], required=False)

    def __init__(self, *args, product: Product, feature: Feature, **kwargs):
        super().__init__(*args, **kwargs)
        self.feature = feature
        self.fields["theme"].queryset = Theme.objects.filter(product=product)
        self.fields["release"].queryset = Release.objects.filter(product=product)

    def clean_quarter(self):
        value = self.cleaned_data["quarter"]
        if not value:
            return None
        quarter = selectors.Quarter.parse(value)
        if quarter is None:
            raise forms.ValidationError("Choose a quarter like 2026-Q4.")
        return quarter

    def move_arguments(self) -> dict:
        """The keyword arguments of ``services.feature_move`` for this move."""
        data, feature = self.cleaned_data, self.feature
        arguments = {"version": data["version"]}
        arguments |= {name: data[name] for name in ("theme", "release") if data[name] is not ...}
        if data["horizon"]:
            arguments["horizon"] = data["horizon"]
        quarter = data["quarter"]
        if quarter is not None:
            if feature.start_date is None and feature.end_date is None:
                arguments |= {"start_date": quarter.start, "end_date": quarter.end}
            elif feature.start_date is None:  # only an end date: it is what moves
                shift = quarter.minus(selectors.Quarter.of(feature.end_date))
                end_date, _ = selectors.shift_dates_by_quarters(
                    start_date=feature.end_date, end_date=None, quarters=shift
                )
                arguments["end_date"] = end_date
            else:
                shift = quarter.minus(selectors.Quarter.of(feature.start_date))
                start_date, end_date = selectors.shift_dates_by_quarters(
                    start_date=feature.start_date, end_date=feature.end_date, quarters=shift
                )
                arguments |= {"start_date": start_date, "end_date": end_date}
        if data["direction"]:
            before, after = selectors.feature_lane_neighbour_positions(feature=feature, direction=data["direction"])
            nearer = after if data["direction"] == "up" else before
            if nearer is not None:
                arguments["position"] = selectors.position_between(before, after)
        return arguments


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FeatureForm(forms.Form):
    """A feature's fields as the create and edit pages take them; choices limited to the product's own."""

    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(choices=Feature.Status.choices, initial=Feature.Status.IDEA)
    horizon = forms.ChoiceField(choices=Feature.Horizon.choices, initial=Feature.Horizon.LATER)
    release = forms.ModelChoiceField(queryset=None, required=False, empty_label="No release")
    theme = forms.ModelChoiceField(queryset=None, required=False, empty_label="No theme")
    start_date = forms.DateField(required=False, widget=DATE)
    end_date = forms.DateField(required=False, widget=DATE)
    owner = forms.ModelChoiceField(queryset=None, required=False, empty_label="Nobody yet")
    objectives = forms.ModelMultipleChoiceField(queryset=None, required=False)
    reach = forms.IntegerField(
        min_value=0, initial=0, help_text="Customers or events per quarter.", widget=forms.NumberInput(attrs={"min": 0})
    )
    impact = forms.TypedChoiceField(
        choices=IMPACT_CHOICES,
        coerce=Decimal,
        initial=Decimal("1.00"),
        error_messages={"invalid_choice": IMPACT_MESSAGE},
    )
    confidence = forms.TypedChoiceField(
        choices=CONFIDENCE_CHOICES,
        coerce=Decimal,
        initial=Decimal("0.80"),
        error_messages={"invalid_choice": CONFIDENCE_MESSAGE},
    )
    effort = forms.DecimalField(
        max_digits=6,
        decimal_places=2,
        initial=Decimal("1.00"),
        help_text="Person-months, more than zero.",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.username
        for name in ("release", "theme"):
            self.fields[name].error_messages["invalid_choice"] = f"Choose one of this product's {name}s."

    @staticmethod
    def initial_from(feature: Feature) -> dict:
        """The form's initial values from a stored feature."""
        initial = {name: getattr(feature, name) for name in FEATURE_FIELDS}
        initial["objectives"] = list(feature.objectives.all())
        return initial


class VersionedFeatureForm(FeatureForm):
    """The edit form: the feature's fields and the ``version`` the edit started from."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


# The feature fields the forms edit (what the services take as ``data``).
FEATURE_FIELDS = [name for name in FeatureForm.base_fields if name != "objectives"]


class FeatureStatusForm(forms.Form):
    """One step of the status flow, from the feature page's buttons."""

    status = forms.ChoiceField(choices=Feature.Status.choices)
    version = forms.IntegerField(min_value=1)


# --- Market analysis ------------------------------------------------------------------------------

TEXT = forms.Textarea(attrs={"rows": 3})


class CompetitorForm(forms.Form):
    """A competitor's name, website, how it positions itself, its strengths and weaknesses, pricing and threat."""

    name = forms.CharField(max_length=120)
    # A text box, not type="url": the browser would refuse "zapflow.example", which the field completes to https://.
    website = forms.URLField(
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        help_text="Its address, like zapflow.example or https://zapflow.example/pricing.",
    )
    positioning = forms.CharField(widget=TEXT, required=False, help_text="Who it sells to, and the promise it makes.")
    strengths = forms.CharField(widget=TEXT, required=False)
    weaknesses = forms.CharField(widget=TEXT, required=False)
    pricing = forms.CharField(max_length=200, required=False, help_text="As they publish it, e.g. €19 per user/month.")
    threat_level = forms.ChoiceField(choices=Competitor.Threat.choices, initial=Competitor.Threat.MEDIUM)

    @staticmethod
    def initial_from(competitor: Competitor) -> dict:
        return {name: getattr(competitor, name) for name in CompetitorForm.base_fields}


class InsightForm(forms.Form):
    """An insight's kind, title, segment, evidence and estimated value, and the features of the product it backs."""

    kind = forms.ChoiceField(choices=MarketInsight.Kind.choices)
    title = forms.CharField(max_length=200)
    segment = forms.CharField(max_length=60, required=False, help_text="The customer segment, e.g. Enterprise.")
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    estimated_value = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        label="Estimated value (€)",
        help_text="What the opportunity is worth a year, or what the threat puts at risk.",
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
    )
    # Ids checked like a filter's (a malformed or huge one is a form error, never a database error).
    features = IdsField(
        queryset=Feature.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Linked features",
        help_text="The features of this product the insight argues for.",
    )

    def __init__(self, *args, features, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["features"].queryset = features
        self.fields["features"].label_from_instance = lambda feature: feature.title

    @staticmethod
    def initial_from(insight: MarketInsight) -> dict:
        initial = {name: getattr(insight, name) for name in InsightForm.base_fields if name != "features"}
        initial["features"] = [feature.pk for feature in insight.features.all()]
        return initial

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["features"] = list(data["features"])
        return data


class CompareForm(forms.Form):
    """Which of the product's competitors the comparison table shows (none chosen: all of them)."""

    competitor = IdsField(
        queryset=Competitor.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label="Compare with"
    )

    def __init__(self, *args, competitors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competitor"].queryset = competitors


# --- Product metrics -------------------------------------------------------------------------------


class MetricForm(forms.Form):
    """A KPI: its name, unit, target (optional) and which way is better."""

    name = forms.CharField(max_length=120, help_text="What is measured, e.g. “Weekly active accounts”.")
    unit = forms.CharField(max_length=30, required=False, help_text="E.g. %, accounts, ms, €. Optional.")
    target = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="The value to reach. Leave it empty for a KPI that is only watched.",
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    direction = forms.ChoiceField(
        choices=ProductMetric.Direction.choices,
        initial=ProductMetric.Direction.HIGHER,
        help_text="Higher is better: on target at or above it. Lower is better: at or below it.",
    )

    @staticmethod
    def initial_from(metric: ProductMetric) -> dict:
        return {name: getattr(metric, name) for name in ("name", "unit", "target", "direction")}


class ReadingForm(forms.Form):
    """One dated value of a KPI."""

    date = forms.DateField(widget=DateInput())
    value = forms.DecimalField(max_digits=14, decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01"}))

    def __init__(self, *args, prefix_for=None, **kwargs):
        # Each KPI's small "add a reading" form on the metrics page has its own ids.
        if prefix_for is not None:
            kwargs.setdefault("auto_id", f"id_metric{prefix_for.pk}_%s")
        super().__init__(*args, **kwargs)


# Feedback: an item entered by hand or edited, its triage, and its links to features
# -----------------------------------------------------------------------------
FEEDBACK_FIELDS = (
    "summary",
    "body",
    "channel",
    "customer_name",
    "company",
    "email",
    "segment",
    "sentiment",
    "importance",
    "received_at",
)


class FeedbackForm(forms.Form):
    """A feedback item as the "New feedback" and edit pages take it (notes from a call, an email, a survey)."""

    summary = forms.CharField(max_length=200, help_text="One line: what the customer wants or says.")
    body = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6}), help_text="Their words, as full as you have them."
    )
    channel = forms.ChoiceField(choices=Feedback.Channel.choices, initial=Feedback.Channel.INTERVIEW)
    customer_name = forms.CharField(max_length=120, required=False, label="Customer")
    company = forms.CharField(max_length=120, required=False)
    email = forms.EmailField(required=False)
    segment = forms.CharField(max_length=60, required=False, help_text="Enterprise, mid-market, SMB, …")
    sentiment = forms.ChoiceField(choices=Feedback.Sentiment.choices, initial=Feedback.Sentiment.NEUTRAL)
    importance = forms.ChoiceField(choices=Feedback.Importance.choices, initial=Feedback.Importance.NICE_TO_HAVE)
    received_at = forms.DateTimeField(
        label="Received",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )

    @staticmethod
    def initial_from(feedback: Feedback) -> dict:
        """The form's values for a stored item (its time in the current time zone)."""
        initial = {name: getattr(feedback, name) for name in FEEDBACK_FIELDS}
        initial["received_at"] = timezone.localtime(feedback.received_at)
        return initial

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in FEEDBACK_FIELDS}


class FeedbackTriageForm(forms.Form):
    """How much an item matters and how the customer feels: the inbox's triage in place."""

    importance = forms.ChoiceField(choices=Feedback.Importance.choices)
    sentiment = forms.ChoiceField(choices=Feedback.Sentiment.choices)


class FeedbackLinkForm(forms.Form):
    """The features an item is linked to or unlinked from (any feature: the service keeps links in one product)."""

    features = forms.ModelMultipleChoiceField(
        queryset=Feature.objects.all(),
        error_messages={"required": "Choose at least one feature.", "invalid_choice": "There is no such feature."},
    )


class FeatureFeedbackForm(forms.Form):
    """The feedback item a feature page or roadmap card links or unlinks (the service keeps links in one product)."""

    feedback = forms.ModelChoiceField(
        queryset=Feedback.objects.all(),
        error_messages={"required": "Choose a feedback item.", "invalid_choice": "There is no such feedback item."},
    )
