"""Reading a municipality's page: decode it whatever it claims its encoding is, find the links and blocks that look
like calls, and pre-fill a candidate from the text around them with the import's own parsers (dates with their labels,
amounts with 上限/予定価格, the kind). Every field keeps the text it came from."""

import html
import re
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

from charset_normalizer import from_bytes

from tsunagu.core.dates import parse_date
from tsunagu.core.errors import DomainError
from tsunagu.core.money import parse_amount

CALL_WORDS = ("公募", "プロポーザル", "入札", "指定管理者", "募集", "補助金", "助成金", "企画競争", "結果", "契約")
KIND_WORDS = [("指定管理者", "designated_manager"), ("プロポーザル", "proposal"), ("企画競争", "planning_competition"),
              ("指名競争", "selective_tender"), ("一般競争", "open_tender"), ("入札", "open_tender"),
              ("補助金", "grant"), ("助成金", "grant"), ("協働", "collaboration")]
DATE = r"((?:令和|平成|R|Ｒ|H|Ｈ)\s*[0-9０-９元]+\s*[年.．]\s*[0-9０-９]+\s*[月.．]\s*[0-9０-９]+\s*日?|[0-9０-９]{4}\s*[年/\-．.]\s*[0-9０-９]{1,2}\s*[月/\-．.]\s*[0-9０-９]{1,2}\s*日?)"
LABELLED_DATES = [
    ("published_on", r"(?:公告日|掲載日|公表日|公示日)"),
    ("application_deadline", r"(?:参加申込(?:書)?(?:の)?(?:提出)?(?:期限|締切)|申込期限|申込締切)"),
    ("submission_deadline", r"(?:提出期限|提出締切|締切日?|期限)"),
]
AMOUNT = re.compile(r"(?:上限額|予定価格|限度額|委託料の上限|提案上限額)[はが：:\s]*([0-9０-９,，.．]+\s*(?:億|万|千)?\s*円)")
FILE_NOTE = re.compile(r"[（(]\s*(?:PDF|pdf|Excel|XLSX?|Word|DOCX?)[^）)]*[）)]")
BLOCKS = {"li", "tr", "p", "dd", "dt", "div", "td", "h2", "h3", "h4", "section", "article"}


def decode(body: bytes, content_type: str = "") -> tuple[str, str]:
    """(text, encoding). The declared charset is trusted only if it decodes cleanly; pages that declare Shift_JIS and
    send UTF-8 (or the other way round) are read by detection instead."""
    declared = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    meta = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:4096], re.I)
    for name in filter(None, [declared and declared.group(1), meta and meta.group(1).decode("ascii", "ignore"), "utf-8"]):
        try:
            return body.decode(name), name.lower()
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(body).best()
    if best is None:
        return body.decode("utf-8", "replace"), "utf-8"
    return str(best), best.encoding


@dataclass
class Link:
    href: str
    text: str
    block: str  # the text of the block (list item, table row, paragraph) the link sits in


ROWS = {"li", "tr", "dd", "p"}  # a row: the unit that holds one call (the link and its dates, maybe in other cells)


@dataclass
class _Block:
    tag: str = ""
    parts: list[str] = field(default_factory=list)
    links: list[list] = field(default_factory=list)  # [href, text parts, row text or None], this block's and inner ones


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = [_Block()]
        self.link: list | None = None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript"):
            self.skip += 1
        elif tag in BLOCKS:
            self.blocks.append(_Block(tag))
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.link = [href, [], None]
            self.blocks[-1].links.append(self.link)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript"):
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS and len(self.blocks) > 1:
            block = self.blocks.pop()
            if block.tag in ROWS:
                text = " ".join(block.parts)
                for link in block.links:
                    if link[2] is None:
                        link[2] = text
            self.blocks[-1].parts.extend(block.parts)  # the parent's text includes its children's
            self.blocks[-1].links.extend(block.links)
        elif tag == "a":
            self.link = None

    def handle_data(self, data):
        if self.skip:
            return
        self.blocks[-1].parts.append(data)
        if self.link is not None:
            self.link[1].append(data)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def page_links(text: str, base_url: str) -> tuple[str, list[Link]]:
    """The page's plain text and its links, each with the text of the block around it."""
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    while len(parser.blocks) > 1:  # blocks a sloppy page never closed still hold their links
        parser.handle_endtag(parser.blocks[-1].tag)
    page_text = _clean(" ".join(parser.blocks[0].parts))
    links = []
    for href, parts, row in parser.blocks[0].links:
        if href.startswith(("javascript:", "mailto:", "#")):
            continue
        link_text = _clean(" ".join(parts))
        links.append(Link(urllib.parse.urljoin(base_url, href), link_text, _clean(row) if row else link_text))
    return page_text, links


def looks_like_a_call(text: str) -> bool:
    return any(word in text for word in CALL_WORDS)


def prefill(title: str, context: str) -> dict[str, dict[str, str]]:
    """Fields read from the link text and the block around it, each {"value", "evidence"}."""
    fields: dict[str, dict[str, str]] = {}
    title = FILE_NOTE.sub("", title).strip(" 　・")
    fields["title"] = {"value": title, "evidence": title}
    for word, kind in KIND_WORDS:
        if word in title or word in context:
            fields["kind"] = {"value": kind, "evidence": word}
            break
    for name, label in LABELLED_DATES:
        match = re.search(label + r"[はが：:\s（(]*" + DATE, context)
        if match and name not in fields:
            try:
                parsed = parse_date(match.group(1))
            except DomainError:
                continue
            if parsed:
                fields[name] = {"value": parsed.date.isoformat(), "evidence": match.group(0)}
    amount = AMOUNT.search(context)
    if amount:
        try:
            parsed = parse_amount(amount.group(1))
        except DomainError:
            parsed = None
        if parsed and parsed.yen is not None:
            fields["budget_yen"] = {"value": str(parsed.yen), "evidence": amount.group(0)}
    return fields
