"""The buyer's payment page, mounted at /apply/payment/ (namespace ``apply_payment``)."""

from django.urls import path

from . import views_buyer

app_name = "apply_payment"

urlpatterns = [path("<int:pk>/account/", views_buyer.correct_account, name="account")]
