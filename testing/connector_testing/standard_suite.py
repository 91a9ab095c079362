"""Point the CDK's standard test suites at a sandbox.

`acceptance-test-config.yml` names config files whose `base_url` cannot know the sandbox's free
port. A suite class that mixes this in starts (once per process) the sandbox it names and
rewrites each scenario's `base_url` to it:

    class TestStandard(SandboxScenarios, DeclarativeSourceTestSuite):
        sandbox_supplier = "rec-plus"
"""

from __future__ import annotations

from typing import Any, ClassVar

from .sandbox import shared_sandbox


class SandboxScenarios:
    sandbox_supplier: ClassVar[str]
    sandbox_options: ClassVar[dict[str, Any]] = {}
    # the config key that takes the sandbox URL
    base_url_key: ClassVar[str] = "base_url"

    @classmethod
    def sandbox_url(cls, server: Any) -> str:
        return server.url

    @classmethod
    def get_scenarios(cls) -> list[Any]:
        scenarios = super().get_scenarios()  # type: ignore[misc]
        server = shared_sandbox(cls.sandbox_supplier, **cls.sandbox_options)
        root = cls.get_connector_root_dir()  # type: ignore[attr-defined]
        rewritten = []
        for scenario in scenarios:
            config = dict(scenario.get_config_dict(connector_root=root, empty_if_missing=True))
            config[cls.base_url_key] = cls.sandbox_url(server)
            rewritten.append(scenario.model_copy(update={"config_dict": config}))
        return rewritten
