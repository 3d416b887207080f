"""Pages for respondents: no login. Mounted at the site root (/s/…, /a/…, /r/…)."""

from django.urls import path

from rapport.feedback import public_views

app_name = "answer"
# Every answering page's path starts with one of these, and no other page's does
# (rapport/urls.py): feedback/middleware.py tells the answering pages by them.
PREFIXES = ("/s/", "/a/", "/r/")
urlpatterns = [
    path("s/<str:token>/", public_views.survey_page, name="survey"),
    path("s/<str:token>/embed/", public_views.survey_embed, name="embed"),
    path("a/<str:token>/", public_views.personal_page, name="personal"),
    path("r/<str:token>/", public_views.conversation, name="conversation"),
]
