"""CLI: create-token, grant-role."""


def register(app) -> None:
    pass
