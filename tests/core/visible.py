"""The words a person reads on a rendered page: text outside tags, scripts and styles (attributes are not read)."""

import re
from html.parser import HTMLParser


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


RULE_NUMBER = re.compile(r"\bR\d{1,2}\b")
# A Latin word: letters only. Unavoidable, so not counted: a token with a digit (a model code, serial or number),
# a masked one (DEM****01: a serial number as the public notice shows it), a file's extension (.jpg).
LATIN_WORD = re.compile(r"(?<![\w.*-])[A-Za-z]{2,}(?![\w*-])")
