"""Text for the knowledge base: Markdown to safe HTML, search normalisation (case and accents), highlighting."""

import html
import re
import unicodedata

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

# "js-default": CommonMark without raw HTML and with safe link schemes; nh3 is the second line of defence.
_markdown = MarkdownIt("js-default").enable("table")
_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h1",
    "h5",
    "h6",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}
_WORD = re.compile(r"\w+", re.UNICODE)


def render_markdown(text: str) -> str:
    html = _markdown.render(text or "")
    return nh3.clean(
        html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow"
    )


def plain_text(markup: str) -> str:
    """The text a reader sees, as plain characters: 'Q&amp;A' becomes 'Q&A' (escape it again wherever it is shown)."""
    return " ".join(html.unescape(nh3.clean(markup, tags=set())).split())


def fold(text: str) -> str:
    """Lower case without accents: 'Devolución' -> 'devolucion' (what both databases index and search)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def query_terms(query: str, limit: int = 8) -> list[str]:
    """The words of a query, folded, at most `limit` (a 5 KB query is not an error, just mostly ignored)."""
    terms = [t for t in _WORD.findall(fold(query[:500])) if t]
    return list(dict.fromkeys(terms))[:limit]


def highlight(text: str, terms: list[str]) -> Markup:
    """Escape `text` and wrap each word that starts with a query term in <mark>, ignoring case and accents."""
    out, last = [], 0
    for match in _WORD.finditer(text):
        if any(fold(match.group(0)).startswith(term) for term in terms):
            out.append(escape(text[last : match.start()]))
            out.append(Markup("<mark>{}</mark>").format(match.group(0)))
            last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def snippet(text: str, terms: list[str], width: int = 180) -> str:
    """About `width` characters of `text` around the first matching word."""
    folded = fold(text)
    positions = [folded.find(term) for term in terms if term in folded]
    start = max(min(positions) - width // 3, 0) if positions else 0
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).encode("ascii", "ignore").decode()).strip("-")[:100] or "article"
