"""A page shell rendered once: `{% shell %}` ... `{% live %}`...`{% endlive %}` (base.html).

Every page extends base.html, and most of base.html is the same for every request: static
file URLs, reversed URLs, translated labels, the language menu. `{% shell %}` renders the
rest of its template once per language and login state and keeps the text in the process;
each request then renders only the `{% live %}` parts (and the template's `{% block %}`s,
which are live by themselves) in its own context and joins them with the kept text.

What is outside `{% live %}` is rendered in a context of its own that holds nothing but a
stand-in `user` (whose only attribute is `is_authenticated`): a per-request value left
outside `{% live %}` renders empty for everyone rather than one user's value for all
(tests/core/test_shell.py compares the shell's output with a plain rendering).

`{% load kept_i18n %}` after `i18n` does the same for each `{% translate "literal" %}` of
a page's own template: translated once per language, not on every request.
"""

from __future__ import annotations

import weakref

from django.core.signals import setting_changed
from django.template import Context, Node, NodeList, TemplateSyntaxError, Variable
from django.template.loader_tags import BlockNode
from django.templatetags.i18n import TranslateNode, do_translate
from django.utils.safestring import SafeString
from django.utils.translation import get_language

PROBE = "core.shell.probe"
_MARK = "\x00shell-live-{}\x00"

_shells: weakref.WeakSet[ShellNode] = weakref.WeakSet()


class ProbeUser:
    """The `user` of the once-rendered text: logged in or not, and nothing else."""

    def __init__(self, authenticated: bool):
        self.is_authenticated = authenticated

    def __str__(self) -> str:
        return ""


class LiveNode(Node):
    """Rendered on every request; while the shell is being kept, a marker for its place."""

    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: NodeList):
        self.nodelist = nodelist

    def render(self, context) -> str:
        found = context.render_context.get(PROBE)
        if found is None:
            return self.nodelist.render(context)
        found.append(self)
        return _MARK.format(len(found) - 1)


class ShellNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: NodeList):
        self.nodelist = nodelist
        self._kept: dict[tuple[str | None, bool], tuple] = {}
        self._by_type: dict[type, list] = {}
        _shells.add(self)

    def render(self, context) -> str:
        user = context.get("user")
        key = (get_language(), bool(getattr(user, "is_authenticated", False)))
        parts = self._kept.get(key)
        if parts is None:
            parts = self._keep(context, key)
        return SafeString(
            "".join(part if isinstance(part, str) else part.render(context) for part in parts)
        )

    def get_nodes_by_type(self, nodetype) -> list:
        """Kept per type: the tree does not change, and every page that extends the shell's
        template asks it for its blocks (ExtendsNode), which would walk every node."""
        found = self._by_type.get(nodetype)
        if found is None:
            found = super().get_nodes_by_type(nodetype)
            self._by_type[nodetype] = found
        return list(found)

    def render_plain(self, context) -> str:
        """The same text rendered in full in the request's context (for the tests)."""
        return self.nodelist.render(context)

    def _keep(self, context, key) -> tuple:
        probe = Context(
            {"user": ProbeUser(key[1])},
            autoescape=context.autoescape,
            use_l10n=context.use_l10n,
            use_tz=context.use_tz,
        )
        live: list[LiveNode] = []
        with probe.bind_template(context.template):
            probe.render_context[PROBE] = live
            text = str(self.nodelist.render(probe))
        parts: list = []
        for index, node in enumerate(live):
            before, mark, text = text.partition(_MARK.format(index))
            if not mark:
                raise TemplateSyntaxError("{% live %} rendered out of order or altered")
            parts += [before, node.nodelist]
        if "\x00shell-live-" in text:
            raise TemplateSyntaxError("{% live %} rendered out of order or altered")
        parts.append(text)
        kept = tuple(p for p in parts if p != "")
        self._kept[key] = kept
        return kept


def _check_blocks(nodelist: NodeList) -> None:
    """A {% block %} inside the shell must be live: its content is the page's own."""
    for node in nodelist:
        if isinstance(node, LiveNode):
            continue
        if isinstance(node, BlockNode):
            raise TemplateSyntaxError("{% block %} inside {% shell %} must be live")
        for attr in node.child_nodelists:
            child = getattr(node, attr, None)
            if child:
                _check_blocks(child)


def parse_shell(parser, token) -> ShellNode:
    """`{% shell %}`: the rest of the template, kept; its top-level blocks become live."""
    if len(token.split_contents()) != 1:
        raise TemplateSyntaxError("{% shell %} takes no arguments")
    nodelist = parser.parse()
    wrapped = NodeList()
    for node in nodelist:
        wrapped.append(LiveNode(NodeList([node])) if isinstance(node, BlockNode) else node)
    _check_blocks(wrapped)
    return ShellNode(wrapped)


def parse_live(parser, token) -> LiveNode:
    """`{% live %}...{% endlive %}`: rendered on every request."""
    if len(token.split_contents()) != 1:
        raise TemplateSyntaxError("{% live %} takes no arguments")
    nodelist = parser.parse(("endlive",))
    parser.delete_first_token()
    return LiveNode(nodelist)


class KeptTranslateNode(TranslateNode):
    """`{% translate "literal" %}` (kept_i18n): the text is a pure function of the literal,
    the language and the autoescaping, so it is translated once per language and kept on
    the node. A translation with filters, a context or `as` renders as Django's does."""

    def __init__(self, node: TranslateNode):
        super().__init__(node.filter_expression, node.noop, node.asvar, node.message_context)
        var = self.filter_expression.var
        self.keeps = (
            not self.asvar
            and self.message_context is None
            and not self.filter_expression.filters
            and isinstance(var, Variable)
            and var.literal is not None
        )
        self._kept: dict[tuple[str | None, bool], str] = {}
        _translations.add(self)

    def render(self, context) -> str:
        if not self.keeps:
            return super().render(context)
        key = (get_language(), context.autoescape)
        text = self._kept.get(key)
        if text is None:
            text = self._kept[key] = super().render(context)
        return text


_translations: weakref.WeakSet[KeptTranslateNode] = weakref.WeakSet()


def parse_translate(parser, token) -> KeptTranslateNode:
    """`{% translate %}` as Django parses it (the same arguments, the same messages for
    makemessages), kept by KeptTranslateNode."""
    return KeptTranslateNode(do_translate(parser, token))


def forget_kept(**kwargs) -> None:
    """Settings changed (tests): static and reversed URLs, languages may differ now."""
    for shell in list(_shells):
        shell._kept.clear()
    for node in list(_translations):
        node._kept.clear()


setting_changed.connect(forget_kept, dispatch_uid="core-shell-forget")
