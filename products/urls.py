from django.urls import path

from products.views import products as product_views
from products.views import roadmap as roadmap_views

app_name = "products"

urlpatterns = [
    path("", product_views.product_list, name="product_list"),
    path("<slug:slug>/", product_views.product_detail, name="product_detail"),
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
]
