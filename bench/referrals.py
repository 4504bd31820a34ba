#!/usr/bin/env python3
"""How well the bot sends other offices' subjects to those offices.

Usage: bench/referrals.py BOT CONTENT_DIR SET.tsv [SET.tsv ...]

Each set has lines "question<TAB>expected", where expected is ref:<id> (a referral in
content/referrals.yaml), fallback (off-topic chat: no office to send to) or one of our topic ids
(our own subject, worded like another office's). Prints a Markdown table row per set.
"""
import sys

from askbot import AskError, ask_all


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    bot, content, sets = argv[0], argv[1], argv[2:]
    for path in sets:
        try:
            with open(path, encoding="utf-8") as f:
                rows = [l.rstrip("\n").split("\t") for l in f
                        if l.strip() and not l.startswith("#") and not l.startswith("question\t")]
        except OSError as e:
            print(f"referrals.py: cannot read {path}: {e}", file=sys.stderr)
            return 1
        try:
            answers = ask_all(bot, content, [q for q, _ in rows])
        except AskError as e:
            print(f"referrals.py: {path}: {e}", file=sys.stderr)
            return 1
        counts = {"ref": [0, 0], "chat": [0, 0], "ours": [0, 0]}
        for (q, expected), a in zip(rows, answers):
            referral = a.get("referral")
            if expected.startswith("ref:"):
                c = counts["ref"]
                c[0] += referral == expected[4:]
            elif expected == "fallback":
                c = counts["chat"]
                c[0] += referral is None and a["intent"] == "fallback"
            else:
                c = counts["ours"]
                c[0] += referral is not None  # sent away: the failure that matters most
            c[1] += 1
        cell = lambda k: f"{counts[k][0]}/{counts[k][1]} ({100.0 * counts[k][0] / max(1, counts[k][1]):.0f}%)"
        print(f"| {path.split('/')[-1]} | {cell('ref')} | {cell('chat')} | {cell('ours')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
