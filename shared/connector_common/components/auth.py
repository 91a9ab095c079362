"""HTTP Basic auth whose encoded header is a registered secret, like the password itself.

The CDK masks the config's `airbyte_secret` values in every log line, but Basic auth sends
`base64(user:password)`, which contains neither value as written: with `--debug`, the CDK's
"Making outbound API request" log showed the header, and so the password, in a decodable form.
This authenticator registers the encoded credentials with the CDK's secret filter when it
builds the header (after the entrypoint has set the filter up from the config), so they print
as `****` too.

    authenticator:
      type: CustomAuthenticator
      class_name: connector_common.components.auth.MaskedBasicHttpAuthenticator
      username: "{{ config['username'] }}"
      password: "{{ config['password'] }}"
"""

from __future__ import annotations

from dataclasses import dataclass

from airbyte_cdk.sources.declarative.auth.token import BasicHttpAuthenticator
from airbyte_cdk.utils import airbyte_secrets_utils


@dataclass
class MaskedBasicHttpAuthenticator(BasicHttpAuthenticator):
    @property
    def token(self) -> str:
        token = super().token
        encoded = token.removeprefix("Basic ")
        if encoded and airbyte_secrets_utils.filter_secrets(encoded) == encoded:  # not registered yet
            airbyte_secrets_utils.add_to_secrets(encoded)
        return token
