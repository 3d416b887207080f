"""Intake endpoints with no login (signed webhooks). Mounted at the site root."""

app_name = "listening"
urlpatterns: list = []
