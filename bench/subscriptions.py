#!/usr/bin/env python3
"""How well the bot reads requests to subscribe to announcements and to stop them.

Usage: bench/subscriptions.py BOT CONTENT_DIR SET.tsv [SET.tsv ...] [--show-misses]

Each set is tab-separated with a header: text, expect (subscribe | unsubscribe | other),
topics (topic group ids, comma-separated; empty: none named), ward, audience, note. The action
the bot takes is read from `outreach-bot ask --json`: subscribe when the intent is subscribe and
the message is not a question about the service (those are answered, nothing is recorded),
unsubscribe when the intent is unsubscribe, other otherwise. For subscribe rows read as
subscribe, the topics, ward and audience the bot recorded must equal the expected ones (empty
expected: nothing recorded for that field). Prints a Markdown table row per set.
"""
import sys

from askbot import AskError, ask_all


def action(a):
    if a["intent"] == "subscribe":
        s = a.get("subscription", {})
        if s.get("asks_about") and not s.get("topics"):
            return "other"
        return "subscribe"
    if a["intent"] == "unsubscribe":
        return "other" if a.get("subscription", {}).get("asks_about") else "unsubscribe"
    return "other"


def main(argv):
    show = "--show-misses" in argv
    argv = [x for x in argv if x != "--show-misses"]
    if len(argv) < 3:
        print(__doc__)
        return 2
    bot, content, sets = argv[0], argv[1], argv[2:]
    for path in sets:
        try:
            with open(path, encoding="utf-8") as f:
                lines = [l.rstrip("\n").split("\t") for l in f if l.strip()]
        except OSError as e:
            print(f"subscriptions.py: cannot read {path}: {e}", file=sys.stderr)
            return 1
        header, rows = lines[0], lines[1:]
        col = {name: i for i, name in enumerate(header)}
        get = lambda r, k: r[col[k]].strip() if col[k] < len(r) else ""
        try:
            answers = ask_all(bot, content, [get(r, "text") for r in rows])
        except AskError as e:
            print(f"subscriptions.py: {path}: {e}", file=sys.stderr)
            return 1
        acts = {k: [0, 0] for k in ("subscribe", "unsubscribe", "other")}
        fields = {k: [0, 0] for k in ("topics", "ward", "audience")}
        for r, a in zip(rows, answers):
            want, got = get(r, "expect"), action(a)
            acts[want][0] += got == want
            acts[want][1] += 1
            if got != want and show:
                print(f"  miss: expected {want}, got {got}: {get(r, 'text')}", file=sys.stderr)
            if want == "subscribe" and got == "subscribe":
                s = a.get("subscription", {})
                for k in ("topics", "ward", "audience"):
                    expected = sorted(x for x in get(r, k).split(",") if x) if k == "topics" else get(r, k)
                    value = sorted(s.get("topics", [])) if k == "topics" else s.get(k, "")
                    fields[k][0] += value == expected
                    fields[k][1] += 1
                    if value != expected and show:
                        print(f"  miss {k}: expected {expected!r}, got {value!r}: {get(r, 'text')}",
                              file=sys.stderr)
        total = sum(v[0] for v in acts.values()), sum(v[1] for v in acts.values())
        cell = lambda c: f"{c[0]}/{c[1]} ({100.0 * c[0] / max(1, c[1]):.0f}%)"
        print(f"| {path.split('/')[-1]} | {cell(total)} | {cell(acts['subscribe'])} | "
              f"{cell(acts['unsubscribe'])} | {cell(acts['other'])} | {cell(fields['topics'])} | "
              f"{cell(fields['ward'])} | {cell(fields['audience'])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
