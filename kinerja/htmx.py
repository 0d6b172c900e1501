"""HTMX helpers: one place that decides between a page and a partial."""

from flask import Response, make_response, render_template, request


def is_htmx() -> bool:
    """Tell whether this request wants a partial (HTMX, not a history restore, not boosted)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
        and request.headers.get("HX-Boosted") != "true"
    )


def render_page_or_partial(page: str, partial: str, status: int = 200, **context) -> Response:
    """Render the partial for an HTMX request and the full page otherwise."""
    template = partial if is_htmx() else page
    return make_response(render_template(template, **context), status)


def hx_redirect(url: str) -> Response:
    """Redirect an HTMX request with HX-Redirect; a plain request gets a 303."""
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    response = make_response("", 303)
    response.headers["Location"] = url
    return response


def add_vary_header(response: Response) -> Response:
    """Keep caches from mixing pages and partials."""
    response.vary.add("HX-Request")
    return response


def init_app(app) -> None:
    app.after_request(add_vary_header)
