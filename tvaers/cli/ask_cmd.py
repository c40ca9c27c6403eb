"""``tvaers ask``: quoted, cited advice for a question, as the API gives it."""

from __future__ import annotations

import click

from tvaers.cli._common import echo_json, question_text, user_errors
from tvaers.settings import SearchMode, Settings


@click.command()
@click.argument("question")
@click.option(
    "-k", "--k", "k", type=click.IntRange(1, 50), default=None, help="Passages to retrieve [10]."
)
@click.option(
    "--mode",
    type=click.Choice([m.value for m in SearchMode]),
    default=None,
    help="Retrieval mode [from settings: hybrid].",
)
@click.option(
    "--lang", type=click.Choice(["da", "en"]), default=None, help="Detected when not given."
)
@click.option(
    "--conversation",
    "conversation_id",
    default=None,
    help="Continue a conversation (its id is in the JSON answer, and on stderr); "
    "follow-ups then take its previous question into account. An unknown id is an "
    "error; leave the option out to start a new conversation.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON document.")
@user_errors
def ask(
    question: str,
    k: int | None,
    mode: str | None,
    lang: str | None,
    conversation_id: str | None,
    as_json: bool,
) -> None:
    """Answer QUESTION (Danish or English) with sentences quoted from the texts.

    \b
    Examples:
      tvaers ask "Hvordan håndterer vi en privat partner, der ikke leverer?"
      tvaers ask "How do we handle a private partner who does not deliver?" --json
      tvaers ask "Og hvis det er almen praksis?" --conversation 3f2a...
    """
    from tvaers.conversations import CONVERSATION_ID, ConversationStore, UnknownConversationError
    from tvaers.index.language import NO_WORDS, has_words
    from tvaers.index.store import current_generation
    from tvaers.prompts.ask import ask as ask_question
    from tvaers.prompts.composer import Composer
    from tvaers.runtime import load_runtime

    question = question_text(question)
    if not question:
        raise click.UsageError("the question is empty")
    if not has_words(question):
        raise click.UsageError(NO_WORDS)
    if conversation_id is not None and not CONVERSATION_ID.match(conversation_id):
        raise click.BadParameter(
            f"{conversation_id!r}: use 1-64 letters, digits, '-' or '_'",
            param_hint="--conversation",
        )
    settings = Settings()
    current_generation(settings.resolved_index_dir)  # fail before loading the model
    runtime = load_runtime(settings)
    store = ConversationStore(
        settings.resolved_db_path, retention_days=settings.conversation_retention_days
    )
    try:
        answer = ask_question(
            Composer(runtime),
            question,
            store=store,
            conversation_id=conversation_id,
            k=k,
            mode=mode,
            lang=lang,
        )
    except UnknownConversationError as exc:
        raise click.BadParameter(str(exc), param_hint="--conversation") from exc
    if as_json:
        echo_json(answer)
    else:
        click.echo(answer.text)
        click.echo(f"(continue with --conversation {answer.conversation_id})", err=True)
