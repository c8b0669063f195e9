#!/usr/bin/env python3
"""A second workload generator for the benchmarks, independent of the
project's own (examples/gen.rs, benches/gen/): written from the workload's
description only, so that a speed-up tuned to one generator's habits shows
up as such when measured on the other.

    python3 benches/indep_gen.py N [SEED] > workload.flow

N counts actions (steps). About 80% of the elements are actions with 2 to 4
inputs, about half of them holding a reference to an earlier step; the rest
are if-else blocks (17% at 10,000 steps), nested up to 4 deep. A reference only ever names a
step that surely ran before: one earlier in the same list, or one visible
where the enclosing `if` stands (never a step inside an earlier `if`'s
branch). The same N and SEED always give the same bytes.
"""

import random
import sys

# Action types of examples/flowc.toml with inputs this generator can fill,
# and the output fields a reference may read.
ACTIONS = {
    "http-request": (
        ["url", "method", "timeout_seconds", "headers"],
        ["status", "body", "headers"],
    ),
    "ai-summarize": (["prompt", "model", "temperature", "max_tokens"], ["text", "tokens"]),
    "create-ticket": (["subject", "contact_id", "priority", "tags"], ["id", "url"]),
    "find-contact": (["email", "create_if_missing"], ["id", "name", "email"]),
    "send-slack-message": (["channel", "text", "unfurl_links"], []),
    "assign-ticket": (["team", "note"], []),
    "issue-refund": (["order_id", "amount", "approval_id", "restock"], ["id", "amount", "status"]),
    "score-fraud-risk": (["order_id", "email"], ["score", "reasons"]),
    "list-agents": (["team", "status", "max_open_tickets"], ["agents", "queue_url"]),
}

FREE_TEXT = {
    "url", "prompt", "model", "subject", "contact_id", "email", "channel",
    "text", "team", "note", "order_id", "approval_id",
}

WORDS = (
    "order refund customer ticket urgent priority review escalate invoice "
    "account billing delivery parcel agent queue summary reply follow-up "
    "status shipment warehouse résumé naïve café tier enterprise trial"
).split()


class Scope:
    """The steps that surely ran before a point: those earlier in its own
    list, then those its enclosing lists had before the `if` it is in."""

    def __init__(self, parent):
        self.parent = parent
        self.steps = []

    def readable(self):
        scope = self
        while scope is not None:
            if any(ACTIONS[t][1] for _, t in scope.steps):
                return True
            scope = scope.parent
        return False


class Gen:
    def __init__(self, n, seed):
        self.rng = random.Random(seed)
        self.left = n
        self.count = 0
        self.ifs = 0
        self.out = []

    def words(self, lo, hi):
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(lo, hi)))

    def ref(self, visible):
        # One of the last 40 readable steps (only types with outputs can be
        # read), innermost list first, then the lists around it.
        readable = []
        scope = visible
        while scope is not None and len(readable) < 40:
            for s, t in reversed(scope.steps):
                if ACTIONS[t][1]:
                    readable.append((s, t))
                    if len(readable) == 40:
                        break
            scope = scope.parent
        if not readable:
            return None
        step, ty = self.rng.choice(readable[::-1])
        return f"{step}.output.{self.rng.choice(ACTIONS[ty][1])}"

    def scalar(self, key, ref):
        r = self.rng
        if ref is not None:
            if r.random() < 0.5:
                return ref
            return f'"{self.words(1, 4)} <<{ref}>> {self.words(0, 3)}"'
        if key in ("timeout_seconds", "max_tokens", "max_open_tickets"):
            return str(r.randint(1, 600))
        if key in ("temperature", "amount"):
            return f"{r.randint(0, 999)}.{r.randint(0, 99):02d}"
        if key in ("create_if_missing", "unfurl_links", "restock"):
            return r.choice(["true", "false"])
        if key == "method":
            return '"' + r.choice(["GET", "POST", "PUT"]) + '"'
        if key == "priority":
            return '"' + r.choice(["low", "normal", "high", "urgent"]) + '"'
        if key == "status":
            return '"' + r.choice(["online", "away", "offline"]) + '"'
        if key == "tags":
            return "[" + ", ".join(f'"{r.choice(WORDS)}"' for _ in range(r.randint(1, 3))) + "]"
        if key == "headers":
            return '{ Accept: "application/json", "X-Trace": "' + r.choice(WORDS) + '" }'
        if key in ("note", "prompt") and r.random() < 0.15:
            return None  # a text block, written by the caller
        if key == "url":
            return f'"https://api.example.com/v1/{r.choice(WORDS)}/{r.randint(1, 99999)}"'
        text = self.words(2, 9)
        if r.random() < 0.1:
            text += ' \\"quoted\\" \\t tab'
        return f'"{text}"'

    def step(self, indent, visible):
        r = self.rng
        self.count += 1
        self.left -= 1
        ty = r.choice(list(ACTIONS))
        keys = ACTIONS[ty][0]
        chosen = keys[: r.randint(min(2, len(keys)), min(4, len(keys)))]
        # References go into free-text inputs, where the catalog takes any
        # string.
        free = [i for i, k in enumerate(chosen) if k in FREE_TEXT]
        ref_at = r.choice(free) if free and r.random() < 0.5 else -1
        name = f"s{self.count}"
        pad = "  " * indent
        lines = [f'{pad}step {name}: {ty} "{self.words(1, 3).capitalize()}" {{']
        for i, key in enumerate(chosen):
            ref = self.ref(visible) if i == ref_at else None
            value = self.scalar(key, ref)
            if value is None:
                inner = pad + "    "
                body = "\n".join(inner + self.words(3, 8) for _ in range(r.randint(1, 3)))
                value = f'"""\n{body}\n{inner}"""'
            lines.append(f"{pad}  {key}: {value}")
        if r.random() < 0.05:
            lines.append(f"{pad}  // {self.words(2, 5)}")
        lines.append(pad + "}")
        self.out.append("\n".join(lines))
        visible.steps.append((name, ty))

    def condition(self, visible):
        r = self.rng
        ref = self.ref(visible)
        op = r.choice(["==", "!=", ">", "<="])
        right = str(r.randint(0, 500)) if op in (">", "<=") else f'"{r.choice(WORDS)}"'
        return f"{ref} {op} {right}"

    def if_block(self, indent, depth, visible):
        r = self.rng
        pad = "  " * indent
        self.ifs += 1
        label = f"check{self.ifs}: " if r.random() < 0.3 else ""
        self.out.append(f"{pad}if {label}{self.condition(visible)} {{")
        self.body(indent + 1, depth + 1, Scope(visible), r.randint(1, 4))
        while True:
            roll = r.random()
            if roll < 0.2 and self.left > 0:
                self.out.append(f"{pad}}} else if {self.condition(visible)} {{")
                self.body(indent + 1, depth + 1, Scope(visible), r.randint(1, 3))
                continue
            if roll < 0.7 and self.left > 0:
                self.out.append(f"{pad}}} else {{")
                self.body(indent + 1, depth + 1, Scope(visible), r.randint(1, 3))
            break
        self.out.append(pad + "}")

    def body(self, indent, depth, visible, budget):
        # At least one action in every list, so no branch is empty.
        self.step(indent, visible)
        for _ in range(budget - 1):
            if self.left <= 0:
                return
            self.element(indent, depth, visible)

    def element(self, indent, depth, visible):
        # An `if` needs an earlier step to read (W400 otherwise). Branches
        # that end early make if-else blocks rarer than the roll, so the
        # roll is above the 20% aimed at.
        readable = visible.readable()
        if readable and depth < 4 and self.rng.random() < 0.27 and self.left > 1:
            # The if's steps are not visible after it.
            self.if_block(indent, depth, visible)
        else:
            self.step(indent, visible)

    def run(self, n):
        self.out.append(f'workflow "Independent workload of {n} actions" {{')
        self.out.append(f'  description "{self.words(4, 10)}"')
        self.out.append("  trigger ticket-created")
        self.out.append('  when ticket.priority == "urgent" and ticket.channel != "internal"')
        self.out.append("")
        visible = Scope(None)
        while self.left > 0:
            self.element(1, 0, visible)
        self.out.append("}")
        return "\n".join(self.out) + "\n"


def main():
    if len(sys.argv) < 2:
        sys.stderr.write("usage: indep_gen.py N [SEED]\n")
        sys.exit(2)
    n = int(sys.argv[1])
    seed = int(sys.argv[2], 0) if len(sys.argv) > 2 else 7
    sys.stdout.write(Gen(n, seed).run(n))


if __name__ == "__main__":
    main()
