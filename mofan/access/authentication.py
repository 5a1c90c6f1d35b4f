"""API tokens under the same login policy as sessions.

`LoginPolicyMiddleware` runs before DRF has read the `Authorization` header, so for a token it
sees an anonymous user: the policy is applied again here, where the token is resolved."""

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import PermissionDenied

from mofan.access import services


class PolicyTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        # A token cannot carry a verified second factor, so an admin account cannot use one.
        refusal = services.login_policy_refusal(user, second_factor_verified=False)
        if refusal is not None:
            raise PermissionDenied(refusal.message)
        return user, token
