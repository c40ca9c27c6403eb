from __future__ import annotations

import dataclasses

import jinja2
from jinja2 import meta

from tvaers.prompts.frame import (
    AnswerContext,
    QuoteLine,
    SourceLine,
    _env,
    render_answer,
    template_names,
)


def test_each_template_receives_exactly_its_context_fields() -> None:
    env: jinja2.Environment = _env()
    for name, context in template_names().items():
        source = env.loader.get_source(env, name)[0]
        used = meta.find_undeclared_variables(env.parse(source))
        assert used == {f.name for f in dataclasses.fields(context)}, name


def test_quotes_are_inserted_verbatim_and_marked_apart_from_team_text() -> None:
    quote = "De må i stedet stille krav til den ledende private part."
    context = AnswerContext(
        not_covered=False,
        orientation="Your question is mainly about private partners.",
        actions=[QuoteLine(text=quote, refs="[1]")],
        reflection=["Who makes demands of the partner?"],
        sources=[SourceLine(n=1, title="Menings- og tillidsskabelse", year="2014")],
        years=["2014", "u.å."],
    )
    text = render_answer("en", context)
    assert f"»{quote}« [1]" in text
    assert "[Tværs] Your question" in text and "[Tværs] Questions for reflection" in text
    assert "not generated, and are not legal advice" in text and "(2014, u.å.)" in text
