"""A syntax checker for the GIFT subset Tværs writes, following Moodle's GIFT format.

Rules checked (docs.moodle.org/en/GIFT_format): questions are separated by
blank lines; ``//`` lines are comments; ``$CATEGORY:`` lines set the category;
a question starts with a ``::name::`` title; its answers sit in one ``{...}``
block, ``=right`` and ``~wrong`` (multiple choice: one ``=`` and at least one
``~``; short answer: ``=`` answers only), with optional ``####general feedback``;
outside markup, ``~ = # { } :`` (and the backslash) must be escaped with a backslash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SPECIAL = set("~=#{}:\\")


class GiftSyntaxError(ValueError):
    pass


@dataclass
class GiftQuestion:
    title: str
    before: str
    after: str
    right: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    feedback: str = ""

    @property
    def kind(self) -> str:
        return "multiple_choice" if self.wrong else "short_answer"


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(character, escaped) pairs; a dangling backslash is an error."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            if i + 1 >= len(text) or (text[i + 1] not in SPECIAL and text[i + 1] != "n"):
                raise GiftSyntaxError(f"bad escape at {i}: {text[i:i + 2]!r}")
            out.append((text[i + 1], True))
            i += 2
            continue
        out.append((ch, False))
        i += 1
    return out


def _plain(tokens: list[tuple[str, bool]], where: str) -> str:
    for ch, escaped in tokens:
        if ch in SPECIAL and not escaped:
            raise GiftSyntaxError(f"unescaped {ch!r} in {where}")
    return "".join(ch for ch, _ in tokens)


def _split(tokens: list[tuple[str, bool]], marker: str) -> list[list[tuple[str, bool]]]:
    parts: list[list[tuple[str, bool]]] = [[]]
    i = 0
    while i < len(tokens):
        window = tokens[i : i + len(marker)]
        if "".join(c for c, _ in window) == marker and not any(e for _, e in window):
            parts.append([])
            i += len(marker)
            continue
        parts[-1].append(tokens[i])
        i += 1
    return parts


def _answers(block: list[tuple[str, bool]]) -> tuple[list[str], list[str], str]:
    pieces = _split(block, "####")
    if len(pieces) > 2:
        raise GiftSyntaxError("more than one #### general feedback")
    feedback = _plain(pieces[1], "feedback").strip() if len(pieces) == 2 else ""
    right: list[str] = []
    wrong: list[str] = []
    current: list[tuple[str, bool]] | None = None
    target: list[str] | None = None
    for ch, escaped in [*pieces[0], ("=", False)]:  # sentinel flushes the last answer
        if ch in "=~" and not escaped:
            if current is not None and target is not None:
                text = _plain(current, "answer").strip()
                if not text:
                    raise GiftSyntaxError("empty answer")
                target.append(text)
            current, target = [], (right if ch == "=" else wrong)
            continue
        if current is None:
            if ch.strip():
                raise GiftSyntaxError("text before the first answer in {...}")
            continue
        current.append((ch, escaped))
    if not right:
        raise GiftSyntaxError("no '=' (right) answer")
    if wrong and len(right) != 1:
        raise GiftSyntaxError("multiple choice needs exactly one '=' answer")
    return right, wrong, feedback


def parse_gift(text: str) -> list[GiftQuestion]:
    """Parse a GIFT file; raises ``GiftSyntaxError`` on anything Moodle would not import."""
    questions: list[GiftQuestion] = []
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            blocks.append([])
            continue
        blocks[-1].append(line)
    for lines in blocks:
        if not lines:
            continue
        if lines[0].startswith("$CATEGORY:"):
            if len(lines) > 1:
                raise GiftSyntaxError("a $CATEGORY line must stand alone")
            continue
        tokens = _tokens("\n".join(lines))
        if [c for c, _ in tokens[:2]] != [":", ":"] or any(e for _, e in tokens[:2]):
            raise GiftSyntaxError("a question must start with a ::name:: title")
        rest = _split(tokens[2:], "::")
        if len(rest) < 2:
            raise GiftSyntaxError("the ::name:: title is not closed")
        title = _plain(rest[0], "title").strip()
        body = [t for part in rest[1:] for t in part]
        if len(rest) > 2:
            raise GiftSyntaxError("unescaped '::' in the question text")
        opens = [i for i, (c, e) in enumerate(body) if c == "{" and not e]
        closes = [i for i, (c, e) in enumerate(body) if c == "}" and not e]
        if len(opens) != 1 or len(closes) != 1 or closes[0] < opens[0]:
            raise GiftSyntaxError("a question needs exactly one {...} answer block")
        before = _plain(body[: opens[0]], "question text")
        after = _plain(body[closes[0] + 1 :], "question text")
        right, wrong, feedback = _answers(body[opens[0] + 1 : closes[0]])
        if not title:
            raise GiftSyntaxError("empty ::name::")
        questions.append(GiftQuestion(title, before, after, right, wrong, feedback))
    return questions
