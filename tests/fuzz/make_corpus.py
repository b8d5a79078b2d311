#!/usr/bin/env python3
"""Regenerates tests/fuzz/corpus/<target>/ from the strings in the unit tests and test data.

The seeds are the inputs the unit tests already feed the parsers (string literals, adjacent literals
joined as the compiler joins them, and the vectors in tests/data), so the fuzzers start from inputs that
reach deep into each parser. Run it after changing those tests; it rewrites the corpus directories.
    tests/fuzz/make_corpus.py
"""
import base64
import binascii
import hashlib
import json
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parents[2]
UNIT = ROOT / "tests" / "unit"
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "tests" / "fuzz" / "corpus"
MAX_SEED_BYTES = 4096

SIMPLE_ESCAPES = {"n": 10, "t": 9, "r": 13, "0": 0, "a": 7, "b": 8, "f": 12, "v": 11,
                  "\\": 92, "'": 39, '"': 34, "?": 63}


def unescape(body):
    """The bytes of a C++ (non-raw) string literal's body."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = body[i + 1]
        if e == "x":
            j = i + 2
            while j < len(body) and body[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(body[i + 2:j], 16) & 0xFF)
            i = j
        elif e in "01234567":
            j = i + 1
            while j < len(body) and j < i + 4 and body[j] in "01234567":
                j += 1
            out.append(int(body[i + 1:j], 8) & 0xFF)
            i = j
        elif e in "uU":
            n = 4 if e == "u" else 8
            out += chr(int(body[i + 2:i + 2 + n], 16)).encode("utf-8")
            i += 2 + n
        else:
            out.append(SIMPLE_ESCAPES.get(e, ord(e)))
            i += 2
    return bytes(out)


TOKEN = re.compile(
    r'//[^\n]*|/\*.*?\*/'                                  # comments
    r'|(?:u8|u|U|L)?R"(?P<delim>[^(\s]*)\((?P<raw>.*?)\)(?P=delim)"'  # raw strings
    r'|(?:u8|u|U|L)?"(?P<str>(?:[^"\\\n]|\\.)*)"'          # ordinary strings
    r"|'(?:[^'\\\n]|\\.)*'"                                # character literals (skipped)
    r'|(?P<other>\S)', re.S)


def literals(path):
    """Every string literal in a C++ file, with adjacent literals joined."""
    out, current = [], None
    source = re.sub(r"(?m)^\s*#.*$", "", path.read_text(encoding="utf-8"))  # #include "..." is no input
    for m in TOKEN.finditer(source):
        text = m.group(0)
        if text.startswith("//") or text.startswith("/*"):
            continue
        if m.group("raw") is not None:
            piece = m.group("raw").encode("utf-8")
        elif m.group("str") is not None:
            piece = unescape(m.group("str"))
        else:
            if current is not None:
                out.append(current)
            current = None
            continue
        current = piece if current is None else current + piece
    if current is not None:
        out.append(current)
    return [s for s in out if s and len(s) <= MAX_SEED_BYTES]


def base64url_json(text):
    """The JSON inside a base64url literal, or None."""
    try:
        raw = base64.urlsafe_b64decode(text + b"=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if raw.startswith(b"{") else None


def hex_bytes(text):
    if not re.fullmatch(rb"0x(?:[0-9a-fA-F]{2})*", text):
        return None
    return bytes.fromhex(text[2:].decode())


def vector_transactions():
    """Every raw 0x76 / 0x78 transaction in tests/data/tempo-transactions.json."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            raw = hex_bytes(value.encode())
            if raw and len(raw) > 40 and raw[0] in (0x76, 0x78):
                found.append(raw)

    walk(json.loads((DATA / "tempo-transactions.json").read_text()))
    return found


def json_like(seeds):
    return [s for s in seeds if s.lstrip()[:1] in (b"{", b"[")]


def charge_request_seeds():
    seeds = []
    token = b'"0x20c0000000000000000000000000000000000000"'
    payee = b'"0x742d35cc6634c0532925a3b844bc9e7595f8fe00"'
    for path in (UNIT / "mpp" / "charge_request_test.cpp", UNIT / "mpp" / "challenge_test.cpp"):
        for s in literals(path):
            decoded = base64url_json(s)
            if decoded:
                seeds.append(decoded)
            elif s.startswith(b"{"):
                seeds.append(s)
                if b'"amount"' not in s:  # a methodDetails fragment, as the tests' WithDetails wraps it
                    seeds.append(b'{"amount":"1000000","currency":' + token + b',"recipient":' + payee +
                                 b',"methodDetails":' + s + b"}")
    return seeds


def challenge_seeds():
    seeds = literals(UNIT / "mpp" / "www_authenticate_test.cpp") + literals(UNIT / "mpp" / "challenge_test.cpp")
    request = base64.urlsafe_b64encode(
        b'{"amount":"1000","currency":"0x20c0000000000000000000000000000000000000",'
        b'"recipient":"0x742d35cc6634c0532925a3b844bc9e7595f8fe00","methodDetails":{"chainId":42431}}'
    ).rstrip(b"=")
    minimal = (b'Payment id="abc", realm="api.example.com", method="tempo", intent="charge", request="' +
               request + b'"')
    seeds += [minimal, minimal + b', expires="2025-01-06T12:00:00Z"', b"Bearer realm=\"x\", " + minimal,
              minimal + b"\n" + minimal.replace(b"abc", b"def")]
    return seeds


def keystore_seeds():
    seeds = [p.read_bytes() for p in sorted((DATA / "keystores").glob("*.json"))]
    for name in ("keystore_test.cpp", "key_file_test.cpp"):
        seeds += json_like(literals(UNIT / "wallet" / name))
    seeds.append(b'{"mpp_insecure_plaintext_key":1,\n "warning":"NOT ENCRYPTED",\n'
                 b' "address":"23f4421da1810a9f6505ff8a199d482bfddcee6d",\n'
                 b' "private_key":"9af8d292025dfdb7a59a5a2248cf9d4ae5365f6065fa7a3d4e8f957a8c649251"}\n')
    return seeds


def rlp_seeds():
    seeds = [b for b in (hex_bytes(s) for s in literals(UNIT / "tempo" / "rlp_test.cpp")) if b]
    seeds += [raw[1:] for raw in vector_transactions()]
    return seeds


def receipt_seeds():
    seeds = []
    for s in literals(UNIT / "mpp" / "receipt_test.cpp"):
        seeds.append(base64url_json(s) or s)
    return seeds


def session_vectors():
    return json.loads((DATA / "session-vouchers.json").read_text())


def session_request_seeds():
    seeds = json_like(literals(UNIT / "mpp" / "session_request_test.cpp"))
    for s in list(seeds):  # the tests' variants splice fragments into the checked request
        if s.startswith(b'{"amount"'):
            seeds.append(s.replace(b'"sessionProtocol":"v2"', b'"sessionProtocol":"v2","feePayer":true,'
                                   b'"minVoucherDelta":"500","operator":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"'))
    return seeds


SESSION_CHANNEL = b'"0xfe74' + b"0" * 56 + b'190c"'


def session_receipt_seeds():
    base = (b'{"method":"tempo","intent":"session","status":"success","timestamp":"2026-12-02T14:01:07.061Z",'
            b'"reference":' + SESSION_CHANNEL + b',"challengeId":"qwSPAqk","channelId":' + SESSION_CHANNEL +
            b',"acceptedCumulative":"1000","spent":"1000","units":1')
    with_tx = base + b',"txHash":"0x579b' + b"1" * 56 + b'4d8e"}'
    seeds = [base + b"}", with_tx, base.replace(b'"spent":"1000"', b'"spent":"14000"') + b"}"]
    seeds += [base64.urlsafe_b64encode(s).rstrip(b"=") for s in seeds]
    return seeds


def need_voucher_seeds():
    need = (b'{"channelId":' + SESSION_CHANNEL + b',"requiredCumulative":"4000","acceptedCumulative":"3000",'
            b'"deposit":"5000"}')
    return [need, need.replace(b'"4000"', b'"6000"'), need.replace(b'"4000"', b'"79228162514264337593543950335"')]


def escrow_abi_seeds():
    v = session_vectors()
    word = lambda n: n.to_bytes(32, "big")
    state = word(1000) + word(5000) + word(1700000000)
    descriptor = bytes.fromhex(v["calldata"]["topUp"]["calldata"][10:])[:7 * 32]
    seeds = [state, word(0) * 3, descriptor + state, hex_bytes(v["open"]["tx"]["calls"][0]["input"].encode())]
    seeds += [hex_bytes(e.encode()) + word(0) for e in v["escrowAbi"]["errors"].values()]
    return seeds


def escrow_event_seeds():
    v = session_vectors()
    events = v["escrowAbi"]["events"]
    d = v["vouchers"]["descriptor"]
    topics = lambda name: [events[name]["topic0"], v["vouchers"]["byChain"][0]["channelId"],
                           "0x" + d["payer"][2:].lower().rjust(64, "0"), "0x" + d["payee"][2:].lower().rjust(64, "0")]
    word = lambda n: n.to_bytes(32, "big").hex()
    opened = ("0x" + "0" * 64 + d["token"][2:].lower().rjust(64, "0") + d["authorizedSigner"][2:].lower().rjust(64, "0")
              + d["salt"][2:] + d["expiringNonceHash"][2:] + word(5000))
    logs = [("ChannelOpened", opened), ("Settled", "0x" + word(4000) + word(1000) + word(4000)),
            ("TopUp", "0x" + word(5000) + word(10000)), ("CloseRequested", "0x" + word(1700000900)),
            ("ChannelClosed", "0x" + word(14000) + word(1000)), ("CloseRequestCancelled", "0x")]
    seeds = []
    for name, data in logs:
        log = {"address": v["inputs"]["escrow"], "topics": topics(name), "data": data, "blockNumber": "0x1b",
               "transactionHash": "0x" + "ab" * 32, "logIndex": "0x0", "removed": False}
        seeds.append(json.dumps(log, separators=(",", ":")).encode())
    return seeds


def hostile_body_seeds():
    """Response bodies from the unit tests, plus bombs in the fuzzer's expansion code (0xFF K C)."""
    seeds = []
    for name in ("llm/stream_assembler_test.cpp", "llm/completion_test.cpp", "llm/model_list_test.cpp",
                 "llm/discovery_test.cpp", "tempo/rpc_test.cpp", "mpp/problem_test.cpp"):
        if (UNIT / name).exists():
            seeds += literals(UNIT / name)
    bomb = lambda c, k=0xC3: bytes([0xFF, k, ord(c)])  # 0xC3: c repeated 196 * 512 times
    seeds += [
        b'{"error":' + bomb("[") + b"}",
        b'data: {"error":' + bomb("[") + b"}\n\n",
        b'{"choices":[{"message":{"content":"x","tool_calls":' + bomb("[") + b"}}]}",
        b'data: {"choices":[{"delta":{"reasoning":"' + bomb("r", 0xFF) + b'"}}]}\n\n',
        b'[{"jsonrpc":"2.0","id":1,"result":' + bomb("[") + b"}]",
        bomb(" ", 0xFF) + b'data: {"choices":[{"delta":{"content":"x"}}]}\n\n',
    ]
    return seeds


TARGETS = {
    "www_authenticate": lambda: literals(UNIT / "mpp" / "www_authenticate_test.cpp"),
    "challenge": challenge_seeds,
    "charge_request": charge_request_seeds,
    "rlp": rlp_seeds,
    "transaction_decode": vector_transactions,
    "receipt": receipt_seeds,
    "problem": lambda: literals(UNIT / "mpp" / "problem_test.cpp"),
    "rfc3339": lambda: literals(UNIT / "mpp" / "rfc3339_test.cpp"),
    "codecs": lambda: literals(UNIT / "util" / "base64url_test.cpp") + literals(UNIT / "util" / "hex_test.cpp"),
    "sse": lambda: literals(UNIT / "net" / "sse_test.cpp"),
    "keystore": keystore_seeds,
    "session_request": session_request_seeds,
    "session_receipt": session_receipt_seeds,
    "need_voucher": need_voucher_seeds,
    "escrow_abi": escrow_abi_seeds,
    "escrow_event": escrow_event_seeds,
    "hostile_body": hostile_body_seeds,
}


def main():
    total = 0
    for target, make in TARGETS.items():
        directory = CORPUS / target
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        seeds = {s for s in make() if 0 < len(s) <= MAX_SEED_BYTES}
        for seed in seeds:
            (directory / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
        size = sum(len(s) for s in seeds)
        total += size
        print(f"{target}: {len(seeds)} seeds, {size} bytes")
    print(f"total: {total} bytes")


if __name__ == "__main__":
    main()
