"""CLI: import-units, import-employees, import-acting, seed-demo."""


def register(app) -> None:
    pass
