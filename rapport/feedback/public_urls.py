"""Pages for respondents: no login. Mounted at the site root (/s/…, /a/…, /r/…)."""

app_name = "answer"
urlpatterns: list = []
