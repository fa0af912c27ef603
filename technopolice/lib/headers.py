"""The Permissions-Policy header, which Django's SecurityMiddleware does not send.

No page of the platform uses a camera, a microphone, the visitor's position or any other
device feature (the map is moved by hand; photos are chosen with a file input, which needs no
permission): the policy denies them to the platform's pages and to anything they might embed,
so a script slipped past the other defences cannot ask for them either.
"""

from django.conf import settings


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
