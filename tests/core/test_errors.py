from django.utils import translation

from clarifications.errors import ClarificationError, PetitionStateChanged
from core.errors import ActionRefused, NotAllowedNow, StateChanged
from register.jobs import ExportRefused
from tolerance.errors import CaseError, TransitionRefused


def test_refusal_default_message_is_translated():
    with translation.override("zh-hans"):
        assert str(ActionRefused()) == "无法执行此操作。"
        assert str(NotAllowedNow()) == "当前状态下不能执行此操作。"
    with translation.override("en"):
        assert str(ActionRefused()) == "This action is not possible."


def test_state_changed_names_the_state_now():
    with translation.override("zh-hans"):
        refused = StateChanged(state="已批准")
        assert str(refused) == "他人已先行办理：当前为“已批准”。"
    assert refused.current == "已批准"
    assert StateChanged("自定义").message == "自定义"
    assert StateChanged().current is None


def test_every_app_refusal_is_the_core_refusal():
    for refusal in (CaseError, ClarificationError, ExportRefused):
        assert issubclass(refusal, ActionRefused)
    assert issubclass(TransitionRefused, StateChanged)
    assert issubclass(TransitionRefused, CaseError)
    assert issubclass(PetitionStateChanged, ClarificationError)
    assert issubclass(PetitionStateChanged, StateChanged)
