from django.urls import path

from products.views import products as product_views

app_name = "products"

urlpatterns = [
    path("", product_views.product_list, name="product_list"),
    path("<slug:slug>/", product_views.product_detail, name="product_detail"),
]
