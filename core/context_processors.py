from accounts.scope import WORKSPACE_ROLES, workspaces_for


def workspace(request):
    """What the page frame needs: the user's workspaces for the navigation, and the unread inbox count."""
    user = request.user
    unread = 0
    if user.is_authenticated:
        from notifications.selectors import unread_count

        unread = unread_count(user=user)
    return {
        "nav_workspaces": workspaces_for(user),
        "all_workspaces": list(WORKSPACE_ROLES),
        "inbox_unread": unread,
    }
