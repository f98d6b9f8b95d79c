"""Garuda's credentials: `Authorization: Bearer <token>` and `X-API-Key: <key>`, both of one company."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from flightsite import mutants

from .models import Company


class CompanyCredentialsAuthentication(authentication.BaseAuthentication):
    """Authenticates the company both credentials belong to.

    It has no ``authenticate_header``, so DRF answers 403 (not 401) when credentials are missing or wrong.
    """

    def authenticate(self, request):
        authorization = request.headers.get("Authorization")
        api_key = request.headers.get("X-API-Key")
        if authorization is None and api_key is None:
            return None  # not attempted: the permission check refuses the request
        scheme, _sep, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise exceptions.AuthenticationFailed(_("Invalid bearer token or API key."))
        companies = Company.objects.filter(auth_token=token.strip())
        if api_key is not None or not mutants.active("api_key_optional"):
            companies = companies.filter(api_key=api_key)
        company = companies.first()
        if company is None:
            raise exceptions.AuthenticationFailed(_("Invalid bearer token or API key."))
        return company, None
