from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from toy_corpus import DOC_A_TEXT, item, make_doc

from tvaers.contracts import Document
from tvaers.errors import GoldSetError
from tvaers.eval.gold import check_gold, load_gold, read_gold, resolve_quotes

GOOD = {"id": "q1", "question": "Hvad kræver samarbejdet?", "lang": "da", "kind": "fact",
        "relevant": [{"doc": "doc-a", "quote": "Det kræver tillid"}]}


def write_jsonl(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
                    encoding="utf-8")
    return path


def test_load_gold_reads_valid_items_and_skips_blank_lines(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path, GOOD, "", {**GOOD, "id": "q2", "follows": "q1",
                                            "kind": "followup"})
    items = load_gold(path)
    assert [i.id for i in items] == ["q1", "q2"]
    assert items[1].follows == "q1"


def test_load_gold_names_the_line_of_invalid_json(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path, GOOD, '{"id": "q2", "question": ')
    with pytest.raises(GoldSetError, match=r"line 2: invalid JSON"):
        load_gold(path)


def test_load_gold_names_line_and_field_of_a_schema_error(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path, GOOD, {**GOOD, "id": "q2", "lang": "sv"})
    with pytest.raises(GoldSetError, match=r"line 2, item 'q2': field 'lang'"):
        load_gold(path)


def test_load_gold_names_a_missing_field_inside_a_quote(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path, {**GOOD, "relevant": [{"doc": "doc-a"}]})
    with pytest.raises(GoldSetError, match=r"line 1.*field 'relevant\.0\.quote': Field required"):
        load_gold(path)


def test_load_gold_rejects_duplicate_ids_naming_the_first_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path, GOOD, GOOD)
    with pytest.raises(GoldSetError, match=r"line 2, item 'q1': duplicate id \(first .* line 1"):
        load_gold(path)


def test_load_gold_rejects_follows_pointing_nowhere(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path, {**GOOD, "kind": "followup", "follows": "q99"})
    with pytest.raises(GoldSetError, match=r"'q99' is no item's id"):
        load_gold(path)


def test_read_gold_keeps_valid_items_while_listing_every_bad_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path, "not json", GOOD, {"id": "x"})
    items, problems, lines = read_gold(path)
    assert [i.id for i in items] == ["q1"]
    assert [p.line for p in problems] == [1, 3]
    assert lines == {"q1": 2}


def test_missing_gold_file_is_a_gold_set_error(tmp_path: Path) -> None:
    with pytest.raises(GoldSetError, match="cannot read gold set"):
        load_gold(tmp_path / "nope.jsonl")


def test_exact_quote_resolves_to_its_clean_text_span(docs: list[Document]) -> None:
    quote = "Det kræver tillid, fælles mål"
    [res] = resolve_quotes([item("q", relevant=[("doc-a", quote)])], docs)
    rq = res.quotes[0]
    assert rq.status == "exact" and rq.ratio == 1.0
    assert DOC_A_TEXT[rq.char_start:rq.char_end] == quote


def test_quote_matches_despite_case_quotes_and_spacing(docs: list[Document]) -> None:
    [res] = resolve_quotes([item("q", relevant=[("doc-a", "«det KRÆVER  tillid» fælles mål")])],
                           docs)
    rq = res.quotes[0]
    assert rq.status == "exact"
    assert DOC_A_TEXT[rq.char_start:rq.char_end] == "Det kræver tillid, fælles mål"


def test_hyphenated_raw_quote_matches_dehyphenated_clean_text(docs: list[Document]) -> None:
    [res] = resolve_quotes([item("q", relevant=[("doc-a", "om behand- ling, pleje")])], docs)
    rq = res.quotes[0]
    assert rq.status == "exact"
    assert DOC_A_TEXT[rq.char_start:rq.char_end] == "om behandling, pleje"


def test_decomposed_danish_letters_match_composed_ones() -> None:
    doc = make_doc("d", "Vi så på målene.")
    [res] = resolve_quotes([item("q", relevant=[("d", "sa\u030a pa\u030a ma\u030alene")])], [doc])
    assert res.quotes[0].status == "exact"
    assert doc.clean_text[res.quotes[0].char_start:res.quotes[0].char_end] == "så på målene"


def test_slightly_misquoted_text_resolves_fuzzily_with_a_warning(
    docs: list[Document], caplog: pytest.LogCaptureFixture
) -> None:
    quote = "Tillid opstår, når parterne holder det de lover, også når det er svært."
    with caplog.at_level(logging.WARNING):
        [res] = resolve_quotes([item("q", relevant=[("doc-a", quote)])], docs)
    rq = res.quotes[0]
    assert rq.status == "fuzzy" and 0.85 <= rq.ratio < 1
    assert DOC_A_TEXT[rq.char_start:rq.char_end].startswith("Tillid opstår")
    assert DOC_A_TEXT[rq.char_start:rq.char_end].endswith("svært")
    assert "fuzzy quote match" in caplog.text


def test_unrelated_quote_is_unresolved_not_an_abort(docs: list[Document]) -> None:
    quote = "Budgettet for digitalisering blev halveret i 2019 af ministeriet."
    [res] = resolve_quotes([item("q", relevant=[("doc-a", quote), ("doc-a", "Det kræver")])],
                           docs)
    assert [q.status for q in res.quotes] == ["unresolved", "exact"]
    assert res.quotes[0].char_start is None
    assert len(res.spans) == 1


def test_check_gold_names_unknown_document_and_the_valid_ids(docs: list[Document]) -> None:
    problems = check_gold([item("q7", relevant=[("doc-z", "Det kræver")])], docs)
    [p] = problems
    assert p.severity == "error" and p.item_id == "q7" and p.quote == 0
    assert "unknown document id 'doc-z'; known: doc-a, doc-b" in p.message


def test_check_gold_points_to_the_document_that_holds_a_misattributed_quote(
    docs: list[Document],
) -> None:
    [p] = check_gold([item("q", relevant=[("doc-a", "en tydelig kontrakt og løbende dialog")])],
                     docs)
    assert p.severity == "error" and "found verbatim in doc-b" in p.message


def test_check_gold_reports_fuzzy_quotes_as_warnings_with_their_ratio(
    docs: list[Document],
) -> None:
    quote = "Tillid opstår, når parterne holder det de lover, også når det er svært."
    [p] = check_gold([item("q", relevant=[("doc-a", quote)])], docs)
    assert p.severity == "warning" and "ratio 0.9" in p.message


def test_check_gold_flags_scope_and_crossdoc_rules(docs: list[Document]) -> None:
    items = [
        item("oos", kind="out_of_scope", relevant=[("doc-a", "Det kræver")]),
        item("empty", kind="advice"),
        item("cross", kind="crossdoc", relevant=[("doc-a", "Det kræver"), ("doc-a", "Tillid")]),
        item("fu", kind="followup", relevant=[("doc-a", "Tillid")]),
    ]
    found = {(p.item_id, p.message.split(";")[0]) for p in check_gold(items, docs)}
    assert ("oos", "out_of_scope item has relevant quotes") in found
    assert ("empty", "advice item has no relevant quotes") in found
    assert ("cross", "crossdoc item quotes fewer than 2 documents") in found
    assert ("fu", "followup item has no 'follows'") in found


def test_check_gold_warns_of_a_follow_up_pair_split_between_tune_and_test(
    docs: list[Document],
) -> None:
    items = [
        item("first", relevant=[("doc-a", "Det kræver")], split="test"),
        item("then", kind="followup", follows="first", relevant=[("doc-a", "Tillid")]),
    ]
    [problem] = [p for p in check_gold(items, docs) if "follows" in p.message]
    assert (problem.severity, problem.item_id) == ("warning", "then")
    assert "in the test split: keep a pair in one split" in problem.message


def test_check_gold_is_quiet_for_a_good_item(docs: list[Document]) -> None:
    good = item("ok", kind="crossdoc",
                relevant=[("doc-a", "Det kræver tillid"), ("doc-b", "Private partnere")])
    assert check_gold([good], docs) == []


def test_fuzzy_matching_is_fast_on_a_long_document() -> None:
    import time

    filler = " ".join(f"ord{i} sætning{i % 97} tekst" for i in range(20_000))
    doc = make_doc("big", filler + " Ledelse på tværs kræver et fælles sprog om mål. " + filler)
    quotes = [("big", "Ledelse på tværs kræver et fælles sprog om målene")] * 30
    started = time.perf_counter()
    [res] = resolve_quotes([item("q", relevant=quotes)], [doc])
    assert all(q.status == "fuzzy" for q in res.quotes)
    assert time.perf_counter() - started < 5
