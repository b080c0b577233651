"""Colour arithmetic for the accent colour: WCAG 2 contrast against white, a darker shade for hover. Pure."""

import re

HEX = re.compile(r"#[0-9a-fA-F]{6}")
AA_NORMAL_TEXT = 4.5  # WCAG 2.x success criterion 1.4.3, level AA


def _channels(color: str) -> tuple[int, int, int]:
    if not HEX.fullmatch(color):
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour (sRGB, 0 for black, 1 for white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(color: str) -> float:
    """The contrast ratio (1 to 21) between `color` and white: white text on it, or it as text on white."""
    return 1.05 / (relative_luminance(color) + 0.05)


def is_readable_on_white(color: str) -> bool:
    # Compare the ratio as people read it (rounded to one decimal place, "4.5:1"), never a hair under it.
    return contrast_with_white(color) >= AA_NORMAL_TEXT


def darker(color: str, amount: float = 0.18) -> str:
    """The same hue, `amount` darker (for hover and pressed states)."""
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in _channels(color))


DEFAULT_ACCENT = "#1d5fbf"  # static/css/app.css --hd-accent


def branding_css(color: str) -> str:
    """The stylesheet that makes `color` the accent (served as /branding.css, after app.css)."""
    r, g, b = _channels(color)
    hover = darker(color)
    return (
        # Pico sets its colours on ":root:not([data-theme=dark]), [data-theme=light]": the same selectors, later, win.
        ":root, :root:not([data-theme=dark]), [data-theme=light] {\n"
        f"  --hd-accent: {color};\n"
        f"  --pico-primary: {color};\n"
        f"  --pico-primary-background: {color};\n"
        f"  --pico-primary-border: {color};\n"
        "  --pico-primary-inverse: #fff;\n"
        f"  --pico-primary-hover: {hover};\n"
        f"  --pico-primary-hover-background: {hover};\n"
        f"  --pico-primary-hover-border: {hover};\n"
        f"  --pico-primary-underline: rgba({r}, {g}, {b}, 0.5);\n"
        f"  --pico-primary-focus: rgba({r}, {g}, {b}, 0.375);\n"
        "}\n"
        ".portal-header .muted { color: rgba(255, 255, 255, 0.88); }\n"
    )
