"""API operations of the app, mounted under /api/v1/."""

from ninja import Router

from gongjian.kernel.apiauth import token_auth

router = Router(tags=["disclosure"], auth=token_auth)
