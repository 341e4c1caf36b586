"""One place that lays forms out in the GOV.UK style.

Every form in the app mixes in ``GovukForm``: it builds the crispy-forms-gds helper
once, with the fields in declaration order and a single submit button.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit


class GovukForm:
    """Mixin for ``forms.Form`` and ``forms.ModelForm``: ``submit_label`` names the
    button; ``layout_fields()`` can be overridden to wrap fields in GDS layout objects."""

    submit_label = "Save"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The server validates and shows GOV.UK error messages; the browser's own
        # pop-ups are inconsistent and not read well by screen readers.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*self.layout_fields(), Submit("submit", self.submit_label))

    def layout_fields(self) -> list:
        return list(self.fields)
