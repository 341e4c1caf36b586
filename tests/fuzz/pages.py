"""What a page offers to post: every ``<form method="post">`` of its HTML, read with
the standard library's parser, with each field's name, kind, current value and
choices, as a browser would submit the form untouched."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Buttons and checkboxes are sent only when pressed or ticked; these are boxes a person
# types into or picks from.
NOT_SENT = {"submit", "button", "reset", "image"}


@dataclass
class Field:
    name: str
    tag: str  # input, select or textarea
    type: str  # the input's type; "select", "textarea" for the others
    id: str = ""
    value: str | None = ""
    maxlength: int | None = None
    choices: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    checked: bool = False
    multiple: bool = False
    inputmode: str = ""
    autocomplete: str = ""


@dataclass
class Form:
    action: str
    enctype: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def data(self) -> dict[str, list[str]]:
        """What a browser sends when the form is submitted as the page gave it."""
        data: dict[str, list[str]] = {}
        for box in self.fields:
            if box.type == "file":
                continue
            if box.type in {"checkbox", "radio"}:
                if box.checked:
                    # A box without a value attribute sends "on", as browsers do.
                    data.setdefault(box.name, []).append("on" if box.value is None else box.value)
                continue
            if box.type == "select":
                chosen = box.selected or box.choices[:1]
                data.setdefault(box.name, []).extend(chosen if box.multiple else chosen[:1])
                continue
            data.setdefault(box.name, []).append(box.value or "")
        if self.buttons:
            name, value = self.buttons[0]
            data.setdefault(name, []).append(value)
        return data

    def boxes(self) -> dict[str, list[Field]]:
        """The form's fields by name (radios and checkboxes share one)."""
        grouped: dict[str, list[Field]] = {}
        for box in self.fields:
            grouped.setdefault(box.name, []).append(box)
        return grouped


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.option: str | None = None
        self.option_text = ""
        self.textarea: Field | None = None
        self.labels: dict[str, str] = {}
        self.label_for: str | None = None
        self.label_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        present = {key for key, _ in attrs}
        if tag == "label" and a.get("for"):
            self.label_for, self.label_text = a["for"], ""
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.form = Form(action=a.get("action", ""), enctype=a.get("enctype", ""))
                self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = a.get("name", "")
        if tag == "button" and name:
            self.form.buttons.append((name, a.get("value", "")))
        elif tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in NOT_SENT:
                if kind == "submit":
                    self.form.buttons.append((name, a.get("value", "")))
                return
            self.form.fields.append(
                Field(
                    name=name,
                    tag=tag,
                    type=kind,
                    id=a.get("id", ""),
                    value=a.get("value") if kind in {"checkbox", "radio"} else a.get("value", ""),
                    maxlength=int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None,
                    checked="checked" in present,
                    inputmode=a.get("inputmode", ""),
                    autocomplete=a.get("autocomplete", ""),
                )
            )
        elif tag == "select" and name:
            self.select = Field(
                name=name, tag=tag, type="select", id=a.get("id", ""), multiple="multiple" in a
            )
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option, self.option_text = a.get("value"), ""
            if "selected" in a:
                self.select.selected.append("\0pending")
        elif tag == "textarea" and name:
            self.textarea = Field(
                name=name,
                tag=tag,
                type="textarea",
                id=a.get("id", ""),
                maxlength=int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None,
            )
            self.form.fields.append(self.textarea)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data
        if self.option is None and self.select is not None or self.select is not None:
            self.option_text += data
        if self.label_for is not None:
            self.label_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.label_for is not None:
            self.labels[self.label_for] = " ".join(self.label_text.split())
            self.label_for = None
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            # The parser hands over the newline after <textarea> that browsers drop.
            if self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]
            self.textarea = None
        elif tag == "option" and self.select is not None:
            value = self.option if self.option is not None else self.option_text.strip()
            self.select.choices.append(value)
            if self.select.selected and self.select.selected[-1] == "\0pending":
                self.select.selected[-1] = value
            self.option = None
        elif tag == "select":
            self.select = None


def post_forms(html: str) -> tuple[list[Form], dict[str, str]]:
    """The page's POST forms, and its labels by the id of the box they name."""
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    return reader.forms, reader.labels
