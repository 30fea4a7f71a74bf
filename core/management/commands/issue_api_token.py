"""Issue, rotate or revoke a user's REST API token (audited; the key is printed once).

    manage.py issue_api_token alice            # the key (a new one if alice had none)
    manage.py issue_api_token alice --rotate   # a new key; the old one stops working
    manage.py issue_api_token alice --revoke   # no key any more

The token acts as the user with exactly the user's permissions. Administrators can also
manage tokens in the admin (Auth Token), which is not audited: prefer this command.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from core import audit
from core.models import User


class Command(BaseCommand):
    help = "Issue (or --rotate, --revoke) the REST API token of a user; audited."

    def add_arguments(self, parser):
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rotate", action="store_true", help="Replace the existing key.")
        group.add_argument("--revoke", action="store_true", help="Delete the key.")

    def handle(self, *args, username, rotate=False, revoke=False, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        if not user.is_active and not revoke:
            raise CommandError(f"{username!r} is not active: no token is issued")
        with transaction.atomic():
            existing = Token.objects.select_for_update().filter(user=user).first()
            if revoke:
                if existing is None:
                    self.stdout.write(f"{username} has no token")
                    return
                existing.delete()
                audit.record("api.token.revoke", actor=None, obj=user)
                self.stdout.write(f"The token of {username} was revoked")
                return
            if existing is not None and not rotate:
                self.stdout.write(existing.key)
                return
            if existing is not None:
                existing.delete()
            token = Token.objects.create(user=user)
            action = "api.token.rotate" if existing is not None else "api.token.issue"
            audit.record(action, actor=None, obj=user)
        self.stdout.write(token.key)
