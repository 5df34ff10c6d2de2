"""Forms of the products pages: shape only; the rules and the model checks are the services'."""

from django import forms

from portfolio.core.filters import parse_id
from products import selectors
from products.models import Feature, Product, Release, Theme

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
