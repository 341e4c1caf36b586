"""The public, no-sign-in addresses of a partnership's case review publication."""

from django.urls import path

from casereviews import views

app_name = "public"

urlpatterns = [
    path("case-reviews/", views.public_page, name="case_reviews"),
    path("case-reviews.csv", views.public_download, name="case_reviews_download"),
]
