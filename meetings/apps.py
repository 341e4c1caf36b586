from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self) -> None:
        # Calendar links are revoked with the role they were made under.
        from meetings import signals  # noqa: F401
