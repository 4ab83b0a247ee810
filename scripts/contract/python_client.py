#!/usr/bin/env python3
"""Generates a Python client from openapi.yaml with openapi-python-client (the version .ci/run pins) and drives a
running server with it as a procurement system would: a typed screen, then a reviewer's typed disposition.

    python_client.py URL SCREEN_KEY REVIEW_KEY

Fails on any generator warning except those for request bodies the generator cannot type (raw list files, CSV and
NDJSON streams: it leaves those content types out and says so), and on any call that does not answer as typed.
"""
import importlib, re, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Bodies the generator has no type for; each endpoint keeps its other content types (or is left to plain HTTP).
TOLERATED = re.compile(r"^(WARNING parsing (POST /lists/\{list\}/versions|POST /screen/batch|POST /counterparties/import) within \w+\.( Endpoint will not be generated\.)?|Unsupported content type (application/zip|text/csv|application/xml|application/x-ndjson))$")


def generate(folder: Path) -> None:
    run = subprocess.run(["openapi-python-client", "generate", "--path", str(ROOT / "openapi.yaml"),
                          "--output-path", str(folder / "clearance_client"), "--meta", "none"],
                         capture_output=True, text=True)
    output = run.stdout + run.stderr
    if run.returncode != 0:
        sys.exit(f"generation failed:\n{output}")
    # A warning block: its first line, and the lines that say what was dropped; the schema dumps between are context.
    untoward = [line for line in output.splitlines()
                if re.match(r"^(WARNING|Unable|Attempted|Unsupported|Cannot|Failure)", line) and not TOLERATED.match(line)]
    if untoward:
        sys.exit("generation warned:\n" + "\n".join(untoward))


def main() -> None:
    url, screen_key, review_key = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder))
        sys.path.insert(0, folder)
        client_module = importlib.import_module("clearance_client")
        screen = importlib.import_module("clearance_client.api.screening.screen")
        record = importlib.import_module("clearance_client.api.reviews.record_dispositions")
        models = importlib.import_module("clearance_client.models")

        screener = client_module.AuthenticatedClient(base_url=url, token=screen_key)
        decision = screen.sync(client=screener, body=models.ScreenRequest(name="Hangzhou Hikvision Digital Technology Co., Ltd."))
        if not isinstance(decision, models.DecisionRecord):
            sys.exit(f"POST /screen did not decode as a DecisionRecord: {decision!r}")
        if decision.decision.value == "clear" or not decision.matches:
            sys.exit(f"expected matches to review: {decision.decision} with {len(decision.matches)} matches")
        match = decision.matches[0]

        reviewer = client_module.AuthenticatedClient(base_url=url, token=review_key)
        body = models.DispositionsRequest(matches=[models.TrueMatchDisposition(
            list_=match.list_, entry_id=match.entry_id, disposition=models.TrueMatchDispositionDisposition.TRUE_MATCH,
            note="The listed company itself")])
        review = record.sync(client=reviewer, id=decision.decision_id, body=body)
        if not isinstance(review, models.Review):
            sys.exit(f"POST /decisions/{{id}}/dispositions did not decode as a Review: {review!r}")
        print(f"python client: screened {decision.decision_id} ({decision.decision.value}), disposed {match.list_}:{match.entry_id}: {review.state}")


if __name__ == "__main__":
    main()
