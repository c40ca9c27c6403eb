"""Answer metrics on hand-computed cases (no model: stems and ROUGE-L only)."""

from __future__ import annotations

import pytest

from tvaers.contracts import Document, GoldItem, GoldQuote
from tvaers.eval.answers import AnswerCitation, AnswerScorer, SubmittedAnswer, declined, rouge_l

TEXT = "Indledning. Det kræver tillid, fælles mål og en klar aftale. Ledere skal mødes ofte. Slut."
DOC = Document(doc_id="notat", title="Notat", source_file="notat.txt", source_sha256="0" * 64,
               clean_text=TEXT)
ITEM = GoldItem(
    id="x-1", question="Hvad kræver samarbejdet?", lang="da", kind="advice",
    relevant=[GoldQuote(doc="notat", quote="Det kræver tillid, fælles mål")],
    reference_answer="Samarbejdet kræver tillid og fælles mål.",
    key_points=["Samarbejdet kræver tillid", "Parterne har fælles mål", "Lederne mødes ofte"],
)


def test_rouge_l_keeps_danish_letters() -> None:
    # with æ, ø, å dropped "mål" and "mal" would collide; here they differ
    assert rouge_l("fælles mål", "fælles mål") == pytest.approx(1.0)
    assert rouge_l("fælles mal", "fælles mål") == pytest.approx(0.5)
    assert rouge_l("", "fælles mål") == 0.0


def test_rouge_l_is_lcs_f1_on_a_hand_computed_case() -> None:
    # LCS of "a b c d" and "a c e" is "a c": P = 2/4, R = 2/3, F = 4/7
    assert rouge_l("a b c d", "a c e") == pytest.approx(4 / 7)


def test_key_points_match_on_danish_stems_despite_inflection() -> None:
    scorer = AnswerScorer([DOC])
    hits = scorer.key_points_hit("Det kræver tilliden, og parterne skal have et fælles mål.",
                                 ITEM.key_points, "da")
    assert hits == [True, True, False]


def test_citation_precision_and_recall_against_gold_quotes() -> None:
    scorer = AnswerScorer([DOC])
    answer = SubmittedAnswer(id="x-1", answer="...", citations=[
        AnswerCitation(doc="notat", quote="Det kræver tillid, fælles mål og en klar aftale."),
        AnswerCitation(doc="notat", quote="Ledere skal mødes ofte."),
    ])
    score = scorer.score(ITEM, answer)
    assert score.citation_precision == pytest.approx(0.5)
    assert score.citation_recall == pytest.approx(1.0)


def test_an_empty_answer_scores_zero_and_has_no_citation_precision() -> None:
    score = AnswerScorer([DOC]).score(ITEM, SubmittedAnswer(id="x-1", answer=""))
    assert score.key_points == 0.0
    assert score.rouge_l == 0.0
    assert score.citation_precision is None
    assert score.citation_recall == 0.0


@pytest.mark.parametrize("text", [
    "Det dækker materialet ikke – teksterne handler om ledelse.",
    "Det beskriver materialet ikke; der er intet om ansættelsesret.",
    "The material does not cover contract drafting.",
    "That is outside the material.",
    "Det ligger uden for, hvad materialet kan bruges til.",
    # the chat's own not-covered answers, as an evaluator would export them
    "[Tværs] Materialet dækker ikke dette spørgsmål, og Tværs finder ikke på svar.",
    "[Tværs] The material does not cover this question, and Tværs does not make answers up.",
    "Materialet beskriver ikke, hvordan en virksomhedsoverdragelse gennemføres.",
    "Teksterne oplyser ingen procentsats for medfinansieringen.",
    "Det fremgår ikke af materialet.",
    "The texts do not describe the survey's questions.",
    "Materialet navngiver ikke projektlederen; interviewpersonerne er anonymiserede.",
    "The material does not name the project leader.",
    "",
])
def test_declining_answers_are_recognised(text: str) -> None:
    assert declined(text)


def test_every_out_of_scope_reference_answer_of_the_dev_set_declines() -> None:
    """The reference answers are the scorer's control: each must count as declining."""
    from tvaers.eval.gold import BUNDLED_DEV_GOLD, load_gold

    missed = [i.id for i in load_gold(BUNDLED_DEV_GOLD)
              if i.kind == "out_of_scope" and not declined(i.reference_answer)]
    assert missed == []


def test_a_substantive_answer_is_not_a_decline() -> None:
    assert not declined("Start med at skabe tillid og et fælles mål.")


def test_sentence_windows_pack_whole_sentences_up_to_the_size() -> None:
    from tvaers.eval.answers import sentence_windows

    text = " ".join(f"Sætning nummer {n} handler om tillid." for n in range(40))
    windows = sentence_windows(text, 200)
    assert len(windows) > 1
    assert all(len(w) <= 200 for w in windows)
    assert " ".join(windows) == text  # nothing lost, nothing reordered
    assert sentence_windows("Kort svar.", 200) == ["Kort svar."]


@pytest.mark.slow
def test_the_end_of_a_long_answer_counts_in_its_similarity(embedder, monkeypatch) -> None:
    """Beyond the model's 512 tokens torch cuts a text: the last part would not count."""
    monkeypatch.setattr(embedder, "query_engine", None)  # torch, which cuts at 512
    weather = "vejret i Aarhus var gråt, og cyklen stod i skuret hele ugen."
    filler = " ".join(f"Afsnit {n}: {weather}" for n in range(60))
    relevant = " Samarbejdet mellem region og kommune kræver tillid og fælles mål."
    scorer = AnswerScorer([DOC], embedder=embedder)
    assert embedder.count_tokens([filler])[0] > 512
    with_end = scorer.cosine(filler + relevant * 8, ITEM.reference_answer)
    without = scorer.cosine(filler, ITEM.reference_answer)
    assert with_end is not None and without is not None
    assert with_end > without + 0.005
