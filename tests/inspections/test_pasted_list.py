"""Pasting a report's "What needs to improve?" list: one item per point."""

from inspections.pasted_list import PastedItem, split_pasted_list


def texts(pasted: str) -> list[str]:
    return [item.text for item in split_pasted_list(pasted)]


def test_bullets_with_wrapped_lines_become_one_item_each():
    pasted = """What needs to improve?
\u2022 The response when children and young people go missing from home and
care.
\u2022 Escalation to pre-proceedings where children\u2019s circumstances do not improve
quickly enough, including the application of statutory guidance in kinship
placements.
\uf0b7 The quality of case recording and supervision.
"""
    assert texts(pasted) == [
        "The response when children and young people go missing from home and care.",
        "Escalation to pre-proceedings where children\u2019s circumstances do not improve "
        "quickly enough, including the application of statutory guidance in kinship placements.",
        "The quality of case recording and supervision.",
    ]


def test_numbered_lists_in_any_style():
    pasted = "1. Improve assessments\n(paragraph 18).\n2) Ensure plans are clear.\n(3) Strengthen oversight.\n10. Work with schools."
    assert texts(pasted) == [
        "Improve assessments (paragraph 18).",
        "Ensure plans are clear.",
        "Strengthen oversight.",
        "Work with schools.",
    ]


def test_national_framework_tags_are_taken_off_the_text():
    pasted = (
        "- The response to 16- and 17-year-olds who present as homeless. (Outcome 3)\n"
        "- The quality of supervision and management oversight\n  of decisions (Enabler 1)\n"
        "- Something with two (National framework: Outcomes 1 and 3)"
    )
    assert split_pasted_list(pasted) == [
        PastedItem("The response to 16- and 17-year-olds who present as homeless.", "Outcome 3"),
        PastedItem(
            "The quality of supervision and management oversight of decisions.", "Enabler 1"
        ),
        PastedItem("Something with two.", "Outcomes 1 and 3"),
    ]


def test_without_bullets_blank_lines_or_sentence_ends_separate_points():
    assert texts("The first point\nwrapped here.\n\nThe second point.") == [
        "The first point wrapped here.",
        "The second point.",
    ]
    assert texts("The first point\nwrapped here.\nThe second point.\nThe third.") == [
        "The first point wrapped here.",
        "The second point.",
        "The third.",
    ]


def test_words_hyphenated_across_lines_are_rejoined_but_dashes_kept():
    assert texts("\u2022 The quality of manage-\nment oversight \u2013 in all teams.") == [
        "The quality of management oversight \u2013 in all teams."
    ]


def test_nothing_but_headings_and_blank_lines_gives_nothing():
    assert split_pasted_list("What needs to improve?\n\n\u2022 \n  \n") == []


def test_a_bullet_alone_on_its_line_starts_the_next_point():
    assert texts("\u2022\nThe first point.\n\u2022\nThe second\npoint.") == [
        "The first point.",
        "The second point.",
    ]
