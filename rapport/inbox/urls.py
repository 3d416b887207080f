from django.urls import path

from rapport.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("views/", views.save_view, name="save-view"),
    path("views/<int:view_id>/delete/", views.delete_view, name="delete-view"),
    path("<int:conversation_id>/", views.conversation, name="conversation"),
    *(
        path(f"<int:conversation_id>/{verb}/", views.act, {"verb": verb}, name=verb)
        for verb in views.VERBS
    ),
]
