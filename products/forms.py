"""Forms of the products pages: shape only; the rules and the model checks are the services'."""

from django import forms

from products import selectors
from products.models import Feature, Product, Release, Theme


class FeatureMoveForm(forms.Form):
    """A card's "Move" menu: where the feature should be (its current place preselected) and a step up or down."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    horizon = forms.ChoiceField(choices=Feature.Horizon.choices, required=False)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="No theme")
    release = forms.ModelChoiceField(queryset=Release.objects.none(), required=False, empty_label="No release")
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
        arguments = {"version": data["version"], "theme": data["theme"], "release": data["release"]}
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
