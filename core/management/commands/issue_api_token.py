"""Issue, rotate or revoke a user's REST API token (audited; the key is printed once).

    manage.py issue_api_token alice            # a new key, printed once (refused if alice
                                               # already has a live one: use --rotate)
    manage.py issue_api_token alice --rotate   # a new key; the old one stops working
    manage.py issue_api_token alice --revoke   # no live key any more

The token acts as the user with exactly the user's permissions. Only its SHA-256 is
stored (core.api_tokens): a lost key cannot be shown again, only replaced. It expires
API_TOKEN_TTL_DAYS days after issue.
"""

from django.core.management.base import BaseCommand, CommandError

from core.api_tokens import api_token_issue, api_token_revoke
from core.models import User


class Command(BaseCommand):
    help = "Issue (or --rotate, --revoke) the REST API token of a user; audited."

    def add_arguments(self, parser):
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rotate", action="store_true", help="Replace the live key.")
        group.add_argument("--revoke", action="store_true", help="Revoke the live key.")

    def handle(self, *args, username, rotate=False, revoke=False, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        if revoke:
            if not api_token_revoke(user, actor=None):
                self.stdout.write(f"{username} has no token")
                return
            self.stdout.write(f"The token of {username} was revoked")
            return
        if not user.is_active:
            raise CommandError(f"{username!r} is not active: no token is issued")
        try:
            key, token = api_token_issue(user, actor=None, rotate=rotate)
        except ValueError:
            raise CommandError(
                f"{username} already has a live token; --rotate replaces it "
                "(keys are stored hashed and cannot be shown again)"
            ) from None
        self.stderr.write(
            f"Token for {username}, valid until {token.expires_at:%Y-%m-%d %H:%M %Z}. "
            "It is shown only this once:"
        )
        self.stdout.write(key)
