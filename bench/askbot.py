"""Shared by the bench scripts: ask the bot many questions at once through `outreach-bot ask
--json` and get one parsed answer per question."""
import json
import subprocess


class AskError(Exception):
    pass


def ask_all(bot, content, texts):
    """The bot's reading of each text, in order; AskError names what went wrong."""
    proc = subprocess.run([bot, "ask", "--json", "--content", content],
                          input="".join(t + "\n" for t in texts).encode("utf-8"),
                          capture_output=True, timeout=600)
    lines = proc.stdout.decode("utf-8").splitlines()
    if proc.returncode != 0 or len(lines) != len(texts):
        raise AskError(f"{bot} failed: {proc.stderr.decode()[-500:]}")
    return [json.loads(line) for line in lines]
