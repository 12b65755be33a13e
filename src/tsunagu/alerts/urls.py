from django.urls import path

from . import feeds, views

app_name = "alerts"
urlpatterns = [
    path("notices/feed.atom", feeds.SearchFeed(), name="search_feed"),
    path("alerts/", views.index_view, name="index"),
    path("alerts/new/", views.saved_search_new_view, name="new"),
    path("alerts/<int:saved_search_id>/", views.saved_search_edit_view, name="edit"),
    path("alerts/<int:saved_search_id>/pause/", views.saved_search_pause_view, name="pause"),
    path("alerts/<int:saved_search_id>/delete/", views.saved_search_delete_view, name="delete"),
    path("alerts/follows/", views.follows_view, name="follows"),
    path("alerts/follow/<int:notice_id>/", views.follow_view, name="follow"),
    path("alerts/feed-token/", views.feed_token_view, name="feed_token"),
    path("alerts/api-tokens/", views.api_token_create_view, name="api_token_create"),
    path("alerts/api-tokens/<int:token_id>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("alerts/feeds/<str:token>/searches/<int:saved_search_id>.atom", feeds.SavedSearchFeed(), name="saved_search_feed"),
    path("alerts/feeds/<str:token>/follows.ics", feeds.follows_calendar_view, name="follows_calendar"),
]
