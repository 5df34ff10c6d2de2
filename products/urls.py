from django.urls import path

from products.views import products as product_views

app_name = "products"

urlpatterns = [
    path("", product_views.product_list, name="product_list"),
    path("new/", product_views.product_create, name="product_create"),
    path("<slug:slug>/", product_views.product_detail, name="product_detail"),
    path("<slug:slug>/edit/", product_views.product_update, name="product_update"),
    path("<slug:slug>/archive/", product_views.product_archive, name="product_archive"),
    path("<slug:slug>/restore/", product_views.product_restore, name="product_restore"),
    path("<slug:slug>/delete/", product_views.product_delete, name="product_delete"),
]
