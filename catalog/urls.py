from django.urls import path

from . import sales_views, views

app_name = "catalog"

urlpatterns = [
    path("public/catalogue/", views.public_catalogue, name="public_catalogue"),
    path("public/catalogue/amounts/", views.public_amounts, name="public_amounts"),
    path("public/catalogue/amounts.xlsx", views.public_amounts_xlsx, name="public_amounts_xlsx"),
    path("public/catalogue/grades/<int:pk>/", views.public_grade, name="public_grade"),
    path("public/catalogue/<str:scope>/<str:code>/", views.public_item, name="public_item"),
    path("filing/products/", views.filing_list, name="filing_list"),
    path("filing/products/new/", views.filing_new, name="filing_new"),
    path("filing/products/<int:pk>/", views.filing_detail, name="filing_detail"),
    path("filing/products/<int:pk>/certificates/", views.filing_add_certificate, name="filing_add_certificate"),
    path("filing/products/<int:pk>/submit/", views.filing_submit, name="filing_submit"),
    path("filing/products/<int:pk>/review/", views.filing_review, name="filing_review"),
    path("filing/certificates/<int:pk>/", views.certificate_file, name="certificate_file"),
    path("filing/sales/", sales_views.sale_list, name="sale_list"),
    path("filing/sales/new/", sales_views.sale_new, name="sale_new"),
    path("filing/sales/<int:pk>/", sales_views.sale_detail, name="sale_detail"),
    path("office/catalogue/products/", views.office_products, name="office_products"),
    path("office/catalogue/products/<int:pk>/", views.office_product, name="office_product"),
    path("office/catalogue/import/", views.amount_import, name="amount_import"),
]
