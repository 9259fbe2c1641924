#!/usr/bin/env python3
"""Writes hostile workspaces (one directory per input class) for the budgets in
docs/robustness.md. Each is at most the 4 MiB file-size limit.

    python3 fuzz/hostile_inputs.py /tmp/hostile
    for d in /tmp/hostile/*/; do /usr/bin/time -v target/release/lawful check "$d"; done
"""
import os
import sys

LIMIT = 4 * 1024 * 1024 - 1024
CONTROLLER = 'controller c "C B.V." { country NL; contact "privacy@c.nl"; notice "https://c.nl" }\n'
ACTIVITY_BODY = 'purpose contract-performance; basis contract; subjects customers; data email; retention 1 year'


def fill(unit, head="", tail=""):
    """`head`, then `unit` as often as fits, then `tail`."""
    room = LIMIT - len(head.encode()) - len(tail.encode())
    return head + unit * (room // len(unit.encode())) + tail


def chain(kind, n):
    if kind == "includes":
        lines = [f"data d{i} {{ includes d{i + 1} }}" for i in range(n)]
        lines.append(f"data d{n} {{ category ordinary }}")
        lines.append(f"activity a {{ {ACTIVITY_BODY.replace('email', 'd0')} }}")
    elif kind == "reuses":
        lines = [f"activity a0 {{ {ACTIVITY_BODY} }}"]
        lines += [f"activity a{i} {{ {ACTIVITY_BODY}; reuses a{i - 1} }}" for i in range(1, n)]
    else:
        lines = [f'party p{i} "P" {{ role processor; country NL; subprocessors p{i + 1} }}' for i in range(n)]
        lines.append(f'party p{n} "P" {{ role processor; country NL }}')
        lines.append(f"activity a {{ {ACTIVITY_BODY}; recipient p0 }}")
    return "\n".join(lines) + "\n"


def cases():
    yield "braces-40", "{" * 40 + "\n"
    yield "braces-40-in-block", "activity a {\n  broken ( statement\n  x " + "{" * 40 + "\n}\n"
    yield "braces-broken-blocks", fill("  x { ( } { y { ( } }\n", "activity a {\n", "}\n")
    yield "braces-pairs", fill("x { y {} }\n", "activity a {\n", "}\n")
    for kind in ["includes", "reuses", "subprocessors"]:
        yield f"chain-100k-{kind}", chain(kind, 100_000)
    n = 10_000
    cycle = [f"activity a{i} {{ {ACTIVITY_BODY}; reuses a{(i + 1) % n} }}" for i in range(n)]
    yield "reuses-cycle-10k", "\n".join(cycle) + "\n"
    yield "reuses-chain-10k", chain("reuses", 10_000)
    m = 300
    dense = []
    for i in range(m):
        others = ", ".join(f"a{j}" for j in range(m) if j != i)
        dense.append(f"activity a{i} {{ {ACTIVITY_BODY}; reuses {others} }}")
    yield "reuses-dense-300", "\n".join(dense) + "\n"
    yield "long-line-10mb", ("party p \"P\" { role processor; country NL }; " * (10_000_000 // 45)) + "\n"
    yield "long-line-braces", "activity a { " + "x { y }; " * (10_000_000 // 9) + "}\n"
    yield "long-line-errors", "activity a { " + "x ( ; " * (10_000_000 // 6) + "}\n"
    yield "syntax-errors-200k", "activity a {\n" + "  broken ( statement\n" * 200_000 + "}\n"
    yield "syntax-errors-fill", fill("  broken ( statement\n", "activity a {\n", "}\n")
    deep = "".join(f"{'  ' * d}k{d} {{\n" for d in range(63)) + "".join(f"{'  ' * d}}}\n" for d in reversed(range(63)))
    yield "nesting-63-fill", fill(deep, "activity a {\n", "}\n")
    yield "nesting-60-unclosed-then-fill", fill("  purpose p\n", "activity a {\n  x " + "k { " * 60 + "\n", "}\n")
    yield "statements-fill-unknown", fill("  note \"x\"\n", "activity a {\n", "}\n")
    yield "statements-fill-valid", fill("  data email\n", "activity a {\n  " + ACTIVITY_BODY.replace("; data email", "") + "\n", "}\n")
    decl = f"activity a{{}} {{ {ACTIVITY_BODY} }}\n"
    count = LIMIT // (len(decl) + 6)
    yield "declarations-fill", "".join(decl.replace("{}", str(i), 1) for i in range(count))
    yield "bom-only", "\ufeff" + CONTROLLER


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/hostile"
    for name, text in cases():
        path = os.path.join(out, name)
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "policy.lawful"), "w") as f:
            f.write(text)
        if "controller" not in text:
            with open(os.path.join(path, "controller.lawful"), "w") as f:
                f.write(CONTROLLER)
        print(f"{name}\t{len(text.encode())}")


if __name__ == "__main__":
    main()
