from accounts.scope import Workspace, ensure_may_enter

PAGE_SIZE = 50


def enter(request) -> None:
    ensure_may_enter(request.user, Workspace.AUDIT)
