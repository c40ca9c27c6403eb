from _cleaning import CORPUS, clean


def test_pull_quote_repeating_body_text_is_dropped_with_its_credit():
    raw = (CORPUS / "velfaerdsledelse-ti-projekter.txt").read_text(encoding="utf-8")
    snippet = "\n".join(raw.split("\n")[3191:3222])  # lines 3192-3222: body, pull quote, credit
    cleaned = clean(" " + snippet + "\n")
    assert cleaned.clean_text.count("Hvis ledelse er at skabe resultater") == 1
    assert "Signe Møller Sørensen" not in cleaned.clean_text
    assert cleaned.clean_text.endswith("Vi fortsætter i hvert fald.")


def test_web_article_pull_quote_is_dropped_by_overlap_not_by_line_number():
    cleaned = clean((CORPUS / "ledere-ud-af-komfortzonen.txt").read_text(encoding="utf-8"))
    assert "I fremtiden skal vi i langt højere kunne involvere" not in cleaned.clean_text
    assert "I fremtiden skal vi i langt højere grad kunne involvere" in cleaned.clean_text
