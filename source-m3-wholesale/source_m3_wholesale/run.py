from connector_common.entrypoint import run_declarative


def run() -> None:
    run_declarative(__file__)
