"""The roadmap's reads: the window of quarters, which features a window loads, lanes, board, positions."""

import datetime

import pytest

from products import selectors
from products.models import Feature
from products.selectors import Quarter
from tests.products.factories import FeatureFactory, ProductFactory, ReleaseFactory, ThemeFactory

D = datetime.date


def test_the_default_window_is_the_previous_quarter_this_one_and_the_next_three():
    window = selectors.roadmap_window(today=D(2026, 11, 15))

    assert [q.key for q in window] == ["2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3"]
    assert (window[0].start, window[-1].end) == (D(2026, 7, 1), D(2027, 9, 30))


def test_a_window_can_start_at_any_quarter_and_crosses_years():
    window = selectors.roadmap_window(today=D(2026, 11, 15), first=Quarter(2025, 3))

    assert [q.label for q in window] == ["Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026"]


@pytest.mark.parametrize(
    ("key", "quarter"),
    [("2026-Q4", Quarter(2026, 4)), ("2027-Q1", Quarter(2027, 1)), ("2026-Q5", None), ("26-Q1", None), ("", None)],
)
def test_a_quarter_is_read_from_its_key_or_not_at_all(key, quarter):
    assert Quarter.parse(key) == quarter


def test_quarters_know_their_first_and_last_day_and_their_distance():
    assert (Quarter(2028, 1).start, Quarter(2028, 1).end) == (D(2028, 1, 1), D(2028, 3, 31))
    assert Quarter(2027, 2).minus(Quarter(2026, 3)) == 3
    assert Quarter.of(D(2026, 12, 31)) == Quarter(2026, 4)


@pytest.mark.parametrize(
    ("start", "end", "quarters", "moved"),
    [
        (D(2026, 10, 5), D(2026, 12, 20), 1, (D(2027, 1, 5), D(2027, 3, 20))),  # same days of the quarter
        (D(2026, 10, 2), D(2026, 12, 31), 1, (D(2027, 1, 2), D(2027, 3, 31))),  # stays inside the quarter
        (D(2026, 10, 1), D(2026, 12, 31), -1, (D(2026, 7, 1), D(2026, 9, 30))),  # a whole quarter to a whole one
        (D(2026, 11, 30), D(2026, 12, 31), 1, (D(2027, 2, 28), D(2027, 3, 31))),  # no 30 February
        (D(2026, 10, 1), None, -2, (D(2026, 4, 1), None)),
        (None, D(2026, 10, 1), 1, (None, D(2026, 10, 1))),
    ],
)
def test_shifting_dates_by_quarters_keeps_each_date_on_the_same_day_of_its_quarter(start, end, quarters, moved):
    assert selectors.shift_dates_by_quarters(start_date=start, end_date=end, quarters=quarters) == moved


@pytest.mark.parametrize(
    ("before", "after", "position"),
    [
        (None, None, 1024),
        (2048, None, 3072),
        (None, 1024, 512),
        (None, 1, 0),
        (1024, 2048, 1536),
        (1024, 1026, 1025),
        (1024, 1025, 1024),  # no gap: the upper neighbour's position, ties sort by id
        (7, 7, 7),
    ],
)
def test_a_position_between_neighbours_takes_the_middle_of_the_gap(before, after, position):
    assert selectors.position_between(before, after) == position


def test_a_position_past_the_last_card_never_passes_the_api_s_bound():
    assert selectors.position_between(2**31 - 100, None) == 2**31 - 1


@pytest.mark.django_db
def test_a_window_loads_only_the_features_whose_dates_meet_it():
    product = ProductFactory()
    window = selectors.roadmap_window(today=D(2026, 11, 15))  # 2026-07-01 .. 2027-09-30

    def feature(title, start, end):
        return FeatureFactory(product=product, title=title, start_date=start, end_date=end)

    feature("inside", D(2026, 10, 1), D(2026, 12, 31))
    feature("ends on the first day", D(2026, 1, 1), D(2026, 7, 1))
    feature("starts on the last day", D(2027, 9, 30), D(2027, 12, 31))
    feature("spans the whole window", D(2025, 1, 1), D(2028, 1, 1))
    feature("only a start inside", D(2027, 2, 1), None)
    feature("only an end inside", None, D(2026, 8, 1))
    feature("ends the day before", D(2026, 1, 1), D(2026, 6, 30))
    feature("starts the day after", D(2027, 10, 1), D(2027, 12, 31))
    feature("only a start after", D(2027, 10, 1), None)
    feature("no dates", None, None)
    FeatureFactory(title="another product's", start_date=D(2026, 10, 1), end_date=D(2026, 12, 31))

    lanes = selectors.roadmap_timeline(features=Feature.objects.filter(product=product), themes=[], window=window)

    (no_theme,) = lanes
    assert sorted(card.title for card in no_theme.cards) == sorted(
        [
            "inside",
            "ends on the first day",
            "starts on the last day",
            "spans the whole window",
            "only a start inside",
            "only an end inside",
        ]
    )
    assert no_theme.total == 6


@pytest.mark.django_db
def test_lanes_follow_the_themes_and_show_their_first_cards_by_position_with_the_count():
    product = ProductFactory()
    growth = ThemeFactory(product=product, name="Growth", position=2)
    ThemeFactory(product=product, name="Core", position=1)
    dates = {"start_date": D(2026, 10, 1), "end_date": D(2026, 11, 1)}
    for position in (3072, 1024, 2048):
        FeatureFactory(product=product, theme=growth, position=position, title=f"g{position}", **dates)
    FeatureFactory(product=product, title="loose", **dates)
    window = selectors.roadmap_window(today=D(2026, 11, 15))
    themes = selectors.roadmap_themes(product=product)

    features = Feature.objects.filter(product=product)
    lanes = selectors.roadmap_timeline(features=features, themes=themes, window=window, limit=2)

    assert [(lane.theme and lane.theme.name, [c.title for c in lane.cards], lane.total) for lane in lanes] == [
        ("Core", [], 0),
        ("Growth", ["g1024", "g2048"], 3),
        (None, ["loose"], 1),
    ]
    assert lanes[1].hidden == 1


@pytest.mark.django_db
def test_the_board_has_now_next_and_later_in_position_order_and_shows_more_from_an_offset():
    product = ProductFactory()
    for position in (30, 10, 20):
        FeatureFactory(product=product, horizon="next", position=position, title=f"n{position}")
    FeatureFactory(product=product, horizon="now", title="now")
    features = Feature.objects.filter(product=product)

    board = selectors.roadmap_board(features=features, limit=2)
    more, total = selectors.roadmap_board_more(features=features, horizon="next", offset=2, limit=2)

    assert [(h, [c.title for c in cards], n) for h, _label, cards, n in board] == [
        ("now", ["now"], 1),
        ("next", ["n10", "n20"], 3),
        ("later", [], 0),
    ]
    assert ([c.title for c in more], total) == (["n30"], 3)


@pytest.mark.django_db
def test_the_release_view_shows_the_releases_due_in_the_window():
    product = ProductFactory()
    ReleaseFactory(product=product, name="old", target_date=D(2026, 6, 30))
    ReleaseFactory(product=product, name="first", target_date=D(2026, 7, 1))
    ReleaseFactory(product=product, name="last", target_date=D(2027, 9, 30))
    ReleaseFactory(product=product, name="too late", target_date=D(2027, 10, 1))
    window = selectors.roadmap_window(today=D(2026, 11, 15))

    releases = selectors.roadmap_window_releases(product=product, window=window)

    assert [r.name for r in releases] == ["first", "last"]


@pytest.mark.django_db
def test_the_neighbours_of_a_step_up_or_down_are_the_two_features_on_that_side_in_its_lane():
    product = ProductFactory()
    theme = ThemeFactory(product=product)
    a, b, c, d = (FeatureFactory(product=product, theme=theme, position=p) for p in (1024, 2048, 3072, 4096))
    FeatureFactory(product=product, position=2500)  # another lane (no theme)

    assert selectors.feature_lane_neighbour_positions(feature=c, direction="up") == (1024, 2048)
    assert selectors.feature_lane_neighbour_positions(feature=b, direction="up") == (None, 1024)
    assert selectors.feature_lane_neighbour_positions(feature=b, direction="down") == (3072, 4096)
    assert selectors.feature_lane_neighbour_positions(feature=d, direction="down") == (None, None)
    assert selectors.feature_lane_neighbour_positions(feature=a, direction="up") == (None, None)
