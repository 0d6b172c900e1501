"""Small server-rendered SVG charts (no JavaScript library): the trajectory of an IKU.

``trajectory_svg`` is a pure function from values to an SVG string; every text it writes is
escaped, so the result can go into a template with ``|safe`` (it is returned as ``Markup``).
"""

from collections.abc import Sequence

from markupsafe import Markup, escape

from kinerja.rules.planning import format_number

WIDTH, HEIGHT = 360, 140
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 10, 12, 22


def _scale(values: Sequence[float], target: float) -> tuple[float, float]:
    low = min([0.0, target, *values])
    high = max([target, *values, 0.0])
    if high == low:
        high = low + 1.0
    return low, high


def trajectory_svg(periods: Sequence[str], values: Sequence[float | None], target: float | None, *,
                   realisation: Sequence[float | None] | None = None, title: str = "",
                   width: int = WIDTH, height: int = HEIGHT) -> Markup:
    """Draw a trajectory (periods on x, values on y) with the yearly target as a dashed line.

    ``values`` and ``realisation`` run parallel to ``periods``; ``None`` leaves a gap. Labels on
    the x axis are the month numbers of the periods (``"2026-03"`` -> ``03``).
    """
    known = [v for v in values if v is not None]
    real_known = [v for v in (realisation or []) if v is not None]
    low, high = _scale(known + real_known, target if target is not None else 0.0)
    plot_w = width - PAD_LEFT - PAD_RIGHT
    plot_h = height - PAD_TOP - PAD_BOTTOM
    count = max(len(periods), 1)

    def x(index: int) -> float:
        if count == 1:
            return PAD_LEFT + plot_w / 2
        return PAD_LEFT + plot_w * index / (count - 1)

    def y(value: float) -> float:
        return PAD_TOP + plot_h * (1 - (value - low) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title or "Grafik trajektori")}">',
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    base = y(max(low, 0.0)) if low < 0 <= high else y(low)
    parts.append(f'<line x1="{PAD_LEFT}" y1="{base:.1f}" x2="{width - PAD_RIGHT}" y2="{base:.1f}" '
                 'stroke="#9aa3ae" stroke-width="1"/>')
    for value in (low, high):
        parts.append(f'<text x="{PAD_LEFT - 4}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="10" '
                     f'fill="#5b6573">{escape(format_number(value))}</text>')
    for index, period in enumerate(periods):
        label = period[5:] if len(period) >= 7 else period
        parts.append(f'<text x="{x(index):.1f}" y="{height - 6}" text-anchor="middle" font-size="10" '
                     f'fill="#5b6573">{escape(label)}</text>')
    if target is not None:
        parts.append(f'<line class="target" x1="{PAD_LEFT}" y1="{y(target):.1f}" x2="{width - PAD_RIGHT}" '
                     f'y2="{y(target):.1f}" stroke="#b3261e" stroke-width="1" stroke-dasharray="4 3">'
                     f'<title>Target tahunan {escape(format_number(target))}</title></line>')
    parts += _series(values, x, y, "trajectory", "#0b5fa5")
    if realisation is not None:
        parts += _series(realisation, x, y, "realisation", "#1b7a3d")
    parts.append("</svg>")
    return Markup("".join(parts))


def _series(values: Sequence[float | None], x, y, name: str, colour: str) -> list[str]:
    """Draw one series as polylines (split at gaps) with a dot per known value."""
    parts: list[str] = []
    run: list[str] = []
    for index, value in enumerate(values):
        if value is None:
            if len(run) > 1:
                parts.append(_polyline(run, name, colour))
            run = []
            continue
        run.append(f"{x(index):.1f},{y(value):.1f}")
        parts.append(f'<circle class="{name}" cx="{x(index):.1f}" cy="{y(value):.1f}" r="2.5" fill="{colour}">'
                     f"<title>{escape(format_number(value))}</title></circle>")
    if len(run) > 1:
        parts.append(_polyline(run, name, colour))
    return parts


def _polyline(points: list[str], name: str, colour: str) -> str:
    return f'<polyline class="{name}" fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(points)}"/>'
