"""``tvaers exercise``: an exercise sheet for trainers, quoted and cited from the texts."""

from __future__ import annotations

from pathlib import Path

import click

from tvaers.cli._common import echo_json, output_path, user_errors

KINDS = ("case", "dilemma", "discussion", "quiz")
FORMATS = ("md", "html", "docx", "gift")


def _kinds(value: str) -> list[str]:
    kinds = [k.strip().lower() for k in value.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise click.BadParameter(
            f"{value!r}: use a comma-separated list of {', '.join(KINDS)}", param_hint="--kind"
        )
    return list(dict.fromkeys(kinds))


def _key_path(path: Path) -> Path:
    """``sheet.docx`` → ``sheet-key.docx``: the trainer's key goes beside the handout."""
    return path.with_name(f"{path.stem}-key{path.suffix}")


@click.command()
@click.option("--topic", "topics", multiple=True, help="Topic name or slug (repeatable).")
@click.option("--case", "cases", multiple=True, help="Case name or slug (repeatable).")
@click.option("--doc", "docs", multiple=True, help="Document id or title (repeatable).")
@click.option(
    "--kind", "kind", default="case,dilemma,discussion,quiz", show_default=True,
    help="Kinds of item, comma-separated: case, dilemma, discussion, quiz.",
)
@click.option("--n", "n", type=click.IntRange(1, 40), default=6, show_default=True,
              help="Items on the sheet: one per kind, the rest quiz questions.")
@click.option("--seed", type=click.IntRange(0, 2**31 - 1), default=1, show_default=True,
              help="The same seed gives the same sheet.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--part", type=click.Choice(["handout", "key"]), default="handout",
              show_default=True, help="What md/html print to stdout (files get both).")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True,
              help="Language of the frame text; quotes stay in Danish.")
@click.option("-k", "--k", "k", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Passages retrieved per quiz question to vet its distractors.")
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False),
              default=None, callback=output_path,
              help="Write the file(s) here; docx/md/html add <stem>-key beside it.")
@click.option("--save", is_flag=True, help="Also save the sheet for the trainer page.")
@click.option("--json", "as_json", is_flag=True, help="Print the sheet as one JSON document.")
@user_errors
def exercise(
    topics: tuple[str, ...],
    cases: tuple[str, ...],
    docs: tuple[str, ...],
    kind: str,
    n: int,
    seed: int,
    fmt: str,
    part: str,
    lang: str,
    k: int,
    output: Path | None,
    save: bool,
    as_json: bool,
) -> None:
    """Build an exercise sheet: cases, dilemma cards, discussion questions and a quiz.

    Every item quotes the texts and cites its passages (document, heading
    path, pages, offsets); the frame text is the Tværs team's. Topic, case and
    document names match case-insensitively.

    \b
    Examples:
      tvaers exercise --topic "private partnere og konsortier" --kind case,dilemma,quiz --n 6
      tvaers exercise --topic private-partnere --kind case,dilemma,quiz --format docx -o ark.docx
      tvaers exercise --case "SAM:BO" --kind case,quiz --format gift -o quiz.gift.txt
      tvaers exercise --doc ledelse-over-graenser --kind discussion --n 3 --lang en --json
    """
    from tvaers.contracts import ExerciseOptions
    from tvaers.index.store import current_generation
    from tvaers.prompts.exercises.builder import ExerciseBuilder, ExerciseRequestError
    from tvaers.prompts.exercises.export import NoQuizError, export
    from tvaers.prompts.exercises.select import ExerciseOptionError
    from tvaers.runtime import load_runtime
    from tvaers.settings import Settings

    kinds = _kinds(kind)
    if fmt == "docx" and output is None and not as_json:
        raise click.UsageError("--format docx writes two files; give -o PATH (e.g. -o ark.docx)")
    exports = output is not None or not as_json
    if fmt == "gift" and exports and "quiz" not in kinds:
        raise click.BadParameter("GIFT holds only quiz questions; add quiz to --kind",
                                 param_hint="--format")
    if n < len(kinds):
        raise click.BadParameter(f"{n} is fewer than the {len(kinds)} kinds asked for",
                                 param_hint="--n")
    settings = Settings()
    current_generation(settings.resolved_index_dir)  # fail before loading the model
    builder = ExerciseBuilder.from_runtime(load_runtime(settings))
    options = ExerciseOptions(
        topics=list(topics), cases=list(cases), docs=list(docs), kinds=kinds,  # type: ignore[arg-type]
        n=n, seed=seed, lang=lang, k=k,  # type: ignore[arg-type]
    )
    try:
        sheet = builder.build(options)
    except ExerciseOptionError as exc:
        hint = {"topic": "--topic", "case": "--case", "document": "--doc"}[exc.what]
        raise click.BadParameter(str(exc), param_hint=hint) from exc
    except ExerciseRequestError as exc:
        raise click.UsageError(str(exc)) from exc
    if save:
        from tvaers.prompts.exercises.store import ExerciseStore

        saved = ExerciseStore(settings.resolved_db_path).save(sheet)
        click.echo(  # stderr: stdout holds the sheet
            f"saved as {saved.sheet_id}: open it on /trainer "
            f"(GET /api/exercises/{saved.sheet_id})",
            err=True,
        )
    try:
        files = {}  # every export is made before any file is written
        if output is not None:
            files[output] = export(sheet, fmt, "handout")
            if fmt != "gift":
                files[_key_path(output)] = export(sheet, fmt, "key")
        printed = export(sheet, fmt, part) if output is None and not as_json else None
    except NoQuizError as exc:  # quiz asked for, but none could be made from the texts
        raise click.UsageError(str(exc)) from exc
    for path, exported in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(exported.content)
        click.echo(f"wrote {path}", err=True)
    if as_json:
        echo_json(sheet)
    elif printed is not None:
        click.echo(printed.content.decode("utf-8"), nl=False)  # type: ignore[arg-type]
