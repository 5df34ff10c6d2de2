from django.urls import path

from products.views import dashboard as dashboard_views
from products.views import features as feature_views
from products.views import feedback as feedback_views
from products.views import feedback_csv as feedback_csv_views
from products.views import market as market_views
from products.views import metrics as metric_views
from products.views import parts as part_views
from products.views import products as product_views
from products.views import roadmap as roadmap_views

app_name = "products"

urlpatterns = [
    path("", product_views.product_list, name="product_list"),
    path("new/", product_views.product_create, name="product_create"),
    path("<slug:slug>/", product_views.product_detail, name="product_detail"),
    path("<slug:slug>/dashboard/", dashboard_views.product_dashboard, name="product_dashboard"),
    path("<slug:slug>/edit/", product_views.product_update, name="product_update"),
    path("<slug:slug>/archive/", product_views.product_archive, name="product_archive"),
    path("<slug:slug>/restore/", product_views.product_restore, name="product_restore"),
    path("<slug:slug>/delete/", product_views.product_delete, name="product_delete"),
    # A product's parts: its team, its themes and its releases.
    path("<slug:slug>/members/", part_views.productmember_list, name="productmember_list"),
    path("<slug:slug>/members/<int:pk>/", part_views.productmember_update, name="productmember_update"),
    path("<slug:slug>/members/<int:pk>/remove/", part_views.productmember_delete, name="productmember_delete"),
    path("<slug:slug>/themes/", part_views.theme_list, name="theme_list"),
    path("<slug:slug>/themes/<int:pk>/edit/", part_views.theme_update, name="theme_update"),
    path("<slug:slug>/themes/<int:pk>/move/", part_views.theme_move, name="theme_move"),
    path("<slug:slug>/themes/<int:pk>/delete/", part_views.theme_delete, name="theme_delete"),
    path("<slug:slug>/releases/", part_views.release_list, name="release_list"),
    path("<slug:slug>/releases/<int:pk>/edit/", part_views.release_update, name="release_update"),
    path("<slug:slug>/releases/<int:pk>/status/", part_views.release_status, name="release_status"),
    path("<slug:slug>/releases/<int:pk>/delete/", part_views.release_delete, name="release_delete"),
    path("<slug:slug>/roadmap/", roadmap_views.roadmap, name="roadmap"),
    path("<slug:slug>/roadmap/board/", roadmap_views.roadmap_board, name="roadmap_board"),
    path("<slug:slug>/roadmap/list/", roadmap_views.roadmap_list, name="roadmap_list"),
    path("<slug:slug>/roadmap/print/", roadmap_views.roadmap_print, name="roadmap_print"),
    path("<slug:slug>/roadmap.csv", roadmap_views.roadmap_csv, name="roadmap_csv"),
    path(
        "<slug:slug>/roadmap/features/<int:pk>/move/",
        roadmap_views.roadmap_feature_move,
        name="roadmap_feature_move",
    ),
    # Feedback in and out of CSV files.
    path("<slug:slug>/feedback/import/", feedback_csv_views.feedback_import, name="feedback_import"),
    path(
        "<slug:slug>/feedback/import/template.csv",
        feedback_csv_views.feedback_import_template,
        name="feedback_import_template",
    ),
    path("<slug:slug>/feedback.csv", feedback_csv_views.feedback_export, name="feedback_export"),
    path("<slug:slug>/features/new/", feature_views.feature_create, name="feature_create"),
    path("<slug:slug>/features/<int:pk>/", feature_views.feature_detail, name="feature_detail"),
    path("<slug:slug>/features/<int:pk>/edit/", feature_views.feature_update, name="feature_update"),
    path("<slug:slug>/features/<int:pk>/status/", feature_views.feature_status, name="feature_status"),
    path("<slug:slug>/features/<int:pk>/delete/", feature_views.feature_delete, name="feature_delete"),
    # A product's market analysis: competitors, market insights and the comparison table.
    path("<slug:slug>/market/", market_views.market, name="market"),
    path("<slug:slug>/market/compare/", market_views.market_compare, name="market_compare"),
    path("<slug:slug>/market/competitors/new/", market_views.competitor_create, name="competitor_create"),
    path("<slug:slug>/market/competitors/<int:pk>/edit/", market_views.competitor_update, name="competitor_update"),
    path("<slug:slug>/market/competitors/<int:pk>/delete/", market_views.competitor_delete, name="competitor_delete"),
    path("<slug:slug>/market/insights/new/", market_views.insight_create, name="insight_create"),
    path("<slug:slug>/market/insights/<int:pk>/edit/", market_views.insight_update, name="insight_update"),
    path("<slug:slug>/market/insights/<int:pk>/delete/", market_views.insight_delete, name="insight_delete"),
    # A product's metrics: KPIs with their trend charts, and their readings.
    path("<slug:slug>/metrics/", metric_views.metric_list, name="metric_list"),
    path("<slug:slug>/metrics/new/", metric_views.metric_create, name="metric_create"),
    path("<slug:slug>/metrics/<int:pk>/edit/", metric_views.metric_update, name="metric_update"),
    path("<slug:slug>/metrics/<int:pk>/delete/", metric_views.metric_delete, name="metric_delete"),
    path("<slug:slug>/metrics/<int:pk>/readings/new/", metric_views.reading_create, name="reading_create"),
    path("<slug:slug>/metrics/readings/<int:pk>/edit/", metric_views.reading_update, name="reading_update"),
    path("<slug:slug>/metrics/readings/<int:pk>/delete/", metric_views.reading_delete, name="reading_delete"),
    # A feature's feedback, linked from its page or its roadmap card.
    path(
        "<slug:slug>/features/<int:pk>/feedback/",
        feedback_views.feature_feedback_search,
        name="feature_feedback_search",
    ),
    path(
        "<slug:slug>/features/<int:pk>/feedback/link/",
        feedback_views.feature_feedback_link,
        name="feature_feedback_link",
    ),
    path(
        "<slug:slug>/features/<int:pk>/feedback/unlink/",
        feedback_views.feature_feedback_unlink,
        name="feature_feedback_unlink",
    ),
    # The feedback inbox: triage in place, an item's page, entry by hand.
    path("<slug:slug>/feedback/", feedback_views.feedback_list, name="feedback_list"),
    path("<slug:slug>/feedback/new/", feedback_views.feedback_create, name="feedback_create"),
    path("<slug:slug>/feedback/features/", feedback_views.feedback_feature_search, name="feedback_feature_search"),
    path("<slug:slug>/feedback/<int:pk>/", feedback_views.feedback_detail, name="feedback_detail"),
    path("<slug:slug>/feedback/<int:pk>/edit/", feedback_views.feedback_update, name="feedback_update"),
    path("<slug:slug>/feedback/<int:pk>/delete/", feedback_views.feedback_delete, name="feedback_delete"),
    path("<slug:slug>/feedback/<int:pk>/triage/", feedback_views.feedback_triage, name="feedback_triage"),
    path("<slug:slug>/feedback/<int:pk>/link/", feedback_views.feedback_link, name="feedback_link"),
    path("<slug:slug>/feedback/<int:pk>/unlink/", feedback_views.feedback_unlink, name="feedback_unlink"),
    path("<slug:slug>/feedback/<int:pk>/archive/", feedback_views.feedback_archive, name="feedback_archive"),
    path("<slug:slug>/feedback/<int:pk>/restore/", feedback_views.feedback_restore, name="feedback_restore"),
    path(
        "<slug:slug>/feedback/<int:pk>/new-feature/",
        feedback_views.feedback_create_feature,
        name="feedback_create_feature",
    ),
]
