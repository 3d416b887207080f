"""The chat widget's public addresses, no login. Mounted at the site root (/chat/…)."""

from django.urls import path

from rapport.inbox import widget_views

app_name = "widget"
urlpatterns = [
    path("chat/<str:widget_key>/", widget_views.chat_page, name="chat"),
    path("chat/<str:widget_key>/send/", widget_views.send, name="send"),
    path("chat/<str:widget_key>/messages/", widget_views.messages, name="messages"),
    path("chat/<str:widget_key>/person/", widget_views.ask_for_person, name="person"),
    path("chat/<str:widget_key>/contact/", widget_views.contact, name="contact"),
]
