from .services import unread_count


def unread_notifications(request) -> dict:
    """The unread count beside the bell in the header (one cheap query, signed-in people only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
