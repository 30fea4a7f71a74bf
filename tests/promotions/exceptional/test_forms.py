"""The exceptional-promotion request form: the policy's situations and the ranks above the
cadre's are the only choices; each missing answer has its Chinese message."""

from cadres.enums import Rank
from promotions.exceptional.forms import ExceptionalRequestForm

SITUATIONS = [("strong_grades", "近3年考核优秀"), ("chucai", "出彩型好干部")]


def form(data=None, current=Rank.SECTION_CHIEF):
    return ExceptionalRequestForm(data, situations=SITUATIONS, current_rank=current)


def test_the_choices_are_the_situations_and_the_ranks_above():
    fields = form().fields

    assert fields["situation"].choices == [("", "—"), *SITUATIONS]
    ranks = [value for value, _label in fields["target_rank"].choices[1:]]
    assert ranks == [value for value in Rank.values if value > Rank.SECTION_CHIEF]
    assert Rank.SECTION_CHIEF not in ranks
    assert fields["target_rank"].choices[0] == ("", "—")


def test_a_complete_request_is_cleaned():
    bound = form({"situation": "chucai", "target_title": "副县长",
                  "target_rank": str(Rank.COUNTY_DEPUTY.value), "reasons": "实绩突出"})

    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data == {"situation": "chucai", "target_title": "副县长",
                                  "target_rank": Rank.COUNTY_DEPUTY.value, "reasons": "实绩突出"}


def test_each_missing_answer_has_its_message():
    bound = form({})

    assert not bound.is_valid()
    assert bound.errors == {
        "situation": ["请选择适用的情形。"],
        "target_title": ["请填写拟任职务。"],
        "target_rank": ["请选择拟任职级。"],
        "reasons": ["请填写破格提拔的理由。"],
    }


def test_a_situation_or_rank_outside_the_choices_is_refused():
    bound = form({"situation": "bribery", "target_title": "科长",
                  "target_rank": str(Rank.SECTION_DEPUTY.value), "reasons": "理由"})

    assert not bound.is_valid()
    assert bound.errors == {
        "situation": ["请选择现行办法所列的情形之一。"],
        "target_rank": ["拟任职级必须高于干部现任职级。"],
    }
