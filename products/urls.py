from django.urls import path

from products.views import features as feature_views
from products.views import products as product_views

app_name = "products"

urlpatterns = [
    path("", product_views.product_list, name="product_list"),
    path("<slug:slug>/", product_views.product_detail, name="product_detail"),
    path("<slug:slug>/features/new/", feature_views.feature_create, name="feature_create"),
    path("<slug:slug>/features/<int:pk>/", feature_views.feature_detail, name="feature_detail"),
    path("<slug:slug>/features/<int:pk>/edit/", feature_views.feature_update, name="feature_update"),
    path("<slug:slug>/features/<int:pk>/status/", feature_views.feature_status, name="feature_status"),
    path("<slug:slug>/features/<int:pk>/delete/", feature_views.feature_delete, name="feature_delete"),
]
