"""``tvaers search``: ranked passages for a question, without an answer."""

from __future__ import annotations

import sys
import textwrap

import click

from tvaers.cli._common import echo_json, question_text, user_errors
from tvaers.contracts import HEADING_SEPARATOR, Hit
from tvaers.settings import SearchMode, Settings


@click.command()
@click.argument("question")
@click.option(
    "-k", "--k", "k", type=click.IntRange(1, 100), default=None, help="Hits per question [10]."
)
@click.option(
    "--mode",
    type=click.Choice([m.value for m in SearchMode]),
    default=None,
    help="hybrid fuses dense and BM25 [from settings: hybrid].",
)
@click.option(
    "--lang",
    type=click.Choice(["da", "en"]),
    default=None,
    help="Question language; detected when not given.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON line per question on stdout.")
@user_errors
def search(question: str, k: int | None, mode: str | None, lang: str | None, as_json: bool) -> None:
    """Show the passages that best match QUESTION (Danish or English).

    Use - as QUESTION to read one question per line from stdin; the model is
    loaded once for all of them.

    \b
    Examples:
      tvaers search "Hvordan håndterer vi en privat partner, der ikke leverer?"
      tvaers search "How do GPs take part in steering groups?" -k 5 --mode dense
      tvaers search --json - < questions.txt > hits.jsonl
    """
    from tvaers.index.language import NO_WORDS, has_words
    from tvaers.index.store import current_generation
    from tvaers.runtime import load_runtime

    settings = Settings()
    questions = _questions(question)
    if not questions:
        raise click.UsageError(
            "no question given (stdin was empty)" if question == "-" else "the question is empty"
        )
    searchable = list(dict.fromkeys(q for q in questions if has_words(q)))  # each once
    if not searchable and question != "-":
        raise click.UsageError(NO_WORDS)
    current_generation(settings.resolved_index_dir)  # fail before loading the model
    results: dict[str, list[Hit]] = {}
    if searchable:
        runtime = load_runtime(settings)
        found = runtime.retriever.search_many(
            searchable, k=k or settings.top_k, mode=SearchMode(mode or settings.search_mode),
            lang=lang,
        )
        results = dict(zip(searchable, found, strict=True))
    for n, q in enumerate(questions):
        hits = results.get(q)
        if hits is None:  # one bad line of many: said in its place, the rest searched
            if as_json:
                echo_json({"question": q, "hits": [], "error": NO_WORDS})
            else:
                click.echo(f"{q!r}: {NO_WORDS}; skipped", err=True)
        elif as_json:
            echo_json({"question": q, "hits": hits})
        else:
            if n:
                click.echo()
            click.echo(_listing(q, hits))


def _questions(argument: str) -> list[str]:
    lines = [argument] if argument != "-" else list(sys.stdin)
    return [q for q in (question_text(line) for line in lines) if q]


def _listing(question: str, hits: list[Hit]) -> str:
    lines = [click.style(question, bold=True)]
    if not hits:
        lines.append("  (no passages found)")
    for rank, hit in enumerate(hits, start=1):
        where = HEADING_SEPARATOR.join(hit.heading_path)
        lines.append(f"{rank:>3}. {hit.score:.4f}  {hit.title}{_pages(hit)}{_parts(hit)}")
        if where:
            lines.append(f"      {where}")
        snippet = textwrap.shorten(" ".join(hit.text.split()), width=200, placeholder=" …")
        lines.append(f"      {snippet}")
    return "\n".join(lines)


def _parts(hit: Hit) -> str:
    """Each retriever's own score, when the hit's score is fused from them."""
    parts = {name: v for name, v in hit.scores.items() if v is not None}
    if not parts or (len(parts) == 1 and next(iter(parts.values())) == hit.score):
        return ""
    return "  [" + " · ".join(f"{name} {v:.4g}" for name, v in parts.items()) + "]"


def _pages(hit: Hit) -> str:
    label = hit.pages_label("en")
    return f", {label}" if label else ""
