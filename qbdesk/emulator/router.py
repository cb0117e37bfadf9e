"""Maps request paths and methods to the emulator's endpoint handlers."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from . import api_routes, oauth_routes
from .companies import DemoCompany
from .config import ENVIRONMENTS, PRODUCTION, SANDBOX, Lifetimes, TokenPolicy
from .messages import HttpRequest, HttpResponse, empty_response, html_response, json_response
from .pages import index_page
from .signing import SigningKey
from .state import Registry
from .validator import build_oauth_server

Handler = Callable[[HttpRequest], HttpResponse]

COMPANY_INFO_PATTERN = re.compile(r"^(/sandbox)?/v3/company/([^/]{1,64})/companyinfo/([^/]{1,64})$")
QUERY_PATTERN = re.compile(r"^(/sandbox)?/v3/company/([^/]{1,64})/query$")


class EmulatorApp:
    """The emulator's request handling, independent of any socket."""

    def __init__(
        self,
        registry: Registry,
        lifetimes: Lifetimes,
        companies: tuple[DemoCompany, ...],
        policy: TokenPolicy,
    ) -> None:
        self.registry = registry
        self.lifetimes = lifetimes
        self.companies = companies
        self.policy = policy
        self.signing_key = SigningKey()
        self.base_url = ""
        self.oauth = build_oauth_server(
            registry, lifetimes, self.policy, issuer=lambda: self.issuer, signing_key=self.signing_key
        )
        self._routes: dict[str, dict[str, Handler]] = {
            "/": {"GET": self._index},
            oauth_routes.AUTHORIZE_PATH: {
                "GET": partial(oauth_routes.authorize, self),
                "POST": partial(oauth_routes.authorize, self),
            },
            oauth_routes.TOKEN_PATH: {"POST": partial(oauth_routes.token, self)},
            oauth_routes.REVOKE_PATH: {"POST": partial(oauth_routes.revoke, self)},
            api_routes.JWKS_PATH: {"GET": partial(api_routes.jwks, self)},
        }
        for path, environment in api_routes.DISCOVERY_ADDRESSES.items():
            self._routes[path] = {"GET": partial(api_routes.discovery, self, environment=environment)}
        for environment in ENVIRONMENTS:
            self._routes[api_routes.USERINFO_PATHS[environment]] = {
                "GET": partial(api_routes.userinfo, self, environment=environment)
            }

    @property
    def issuer(self) -> str:
        """The issuer named in discovery documents and id_tokens: Intuit's, whatever the emulator's address."""
        return api_routes.INTUIT_ISSUER

    def url(self, target: str) -> str:
        """An absolute URL on this emulator for a path (and optional query)."""
        return self.base_url + target

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one request."""
        methods = self._routes.get(request.path) or self._api_methods(request.path)
        if methods is None:
            return json_response(404, {"error": "not_found"})
        handler = methods.get(request.method)
        if handler is None:
            return empty_response(405, (("Allow", ", ".join(sorted(methods))),))
        return handler(request)

    def _api_methods(self, path: str) -> dict[str, Handler] | None:
        """The QuickBooks API calls on one company: CompanyInfo and query."""
        if match := COMPANY_INFO_PATTERN.match(path):
            environment = SANDBOX if match.group(1) else PRODUCTION
            realm_id, entity_id = match.group(2), match.group(3)
            call = partial(api_routes.company_info, self, environment=environment, realm_id=realm_id, entity_id=entity_id)
            return {"GET": call}
        if match := QUERY_PATTERN.match(path):
            environment = SANDBOX if match.group(1) else PRODUCTION
            return {"GET": partial(api_routes.query, self, environment=environment, realm_id=match.group(2))}
        return None

    def _index(self, request: HttpRequest) -> HttpResponse:
        links = [
            ("Production discovery document", self.url(api_routes.DISCOVERY_PATHS[PRODUCTION])),
            ("Sandbox discovery document", self.url(api_routes.DISCOVERY_PATHS[SANDBOX])),
        ]
        return html_response(200, index_page(links))
