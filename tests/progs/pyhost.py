#!/usr/bin/env python3
"""pyhost.py: a minimal preimage host for native runs of a guest (e.g. under qemu-mips64).

    pyhost.py [--keccak-text TEXT]... [--hint-log FILE] -- command args...
    pyhost.py [--keccak-text TEXT]... [--hint-log FILE] --server

With --server it is the host end itself, started by a VM (`fpvm run ... -- pyhost.py --server`): hints
arrive on fd 3 and are acked on fd 4, keys arrive on fd 5 and are answered on fd 6.

Runs the command with fds 3/4 (hint response/request) and 5/6 (preimage response/request) connected to
this process, as `cannon run -- host` would wire a server, but with the roles swapped: here the guest is
the child. Hints are acked with one zero byte (and logged); a 32-byte key is answered with
u64 BE length || data, or the host stops serving when it does not know the key. Exits with the
command's exit code. Keccak-256 is computed here (legacy padding), no third-party modules."""
import os
import struct
import subprocess
import sys
import threading

MASK = (1 << 64) - 1
RC = [0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
      0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
      0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
      0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
      0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
      0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008]
ROT = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44]
PI = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1]


def rol(x, n):
    return ((x << n) | (x >> (64 - n))) & MASK


def keccak_f(a):
    for r in range(24):
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        for x in range(5):
            d = c[(x + 4) % 5] ^ rol(c[(x + 1) % 5], 1)
            for y in range(0, 25, 5):
                a[y + x] ^= d
        t = a[1]
        for i in range(24):
            j = PI[i]
            a[j], t = rol(t, ROT[i]), a[j]
        for y in range(0, 25, 5):
            c = a[y:y + 5]
            for x in range(5):
                a[y + x] = c[x] ^ (~c[(x + 1) % 5] & MASK & c[(x + 2) % 5])
        a[0] ^= RC[r]


def keccak256(data):
    rate = 136
    msg = bytearray(data)
    msg.append(0x01)
    while len(msg) % rate:
        msg.append(0)
    msg[-1] ^= 0x80
    a = [0] * 25
    for off in range(0, len(msg), rate):
        for i in range(rate // 8):
            a[i] ^= int.from_bytes(msg[off + 8 * i:off + 8 * i + 8], "little")
        keccak_f(a)
    return b"".join(a[i].to_bytes(8, "little") for i in range(4))


def read_full(fd, n):
    out = b""
    while len(out) < n:
        chunk = os.read(fd, n - len(out))
        if not chunk:
            return None
        out += chunk
    return out


def serve_hints(rfd, wfd, log):
    while True:
        hdr = read_full(rfd, 4)
        if hdr is None:
            return
        body = read_full(rfd, struct.unpack(">I", hdr)[0])
        if body is None:
            return
        if log:
            text = "".join(chr(b) if 0x20 <= b < 0x7f and b != 0x5c else "\\x%02x" % b for b in body)
            log.write("hint %d %s\n" % (len(body), text))
            log.flush()
        os.write(wfd, b"\x00")


def serve_preimages(rfd, wfd, store):
    while True:
        key = read_full(rfd, 32)
        if key is None:
            return
        val = store.get(key)
        if val is None:
            sys.stderr.write("pyhost: no preimage for key %s\n" % key.hex())
            os.close(wfd)
            return
        os.write(wfd, struct.pack(">Q", len(val)) + val)


def main(argv):
    store, log_path, i, server = {}, None, 1, False
    while i < len(argv) and argv[i] != "--":
        if argv[i] == "--keccak-text" and i + 1 < len(argv):
            val = argv[i + 1].encode()
            store[b"\x02" + keccak256(val)[1:]] = val
            i += 2
        elif argv[i] == "--hint-log" and i + 1 < len(argv):
            log_path = argv[i + 1]
            i += 2
        elif argv[i] == "--server":
            server = True
            i += 1
        else:
            sys.stderr.write("usage: pyhost.py [--keccak-text T]... [--hint-log F] -- cmd...\n")
            return 126
    assert keccak256(b"").hex().startswith("c5d2460186f7233c")
    if server:
        log = open(log_path, "w") if log_path else None
        t = threading.Thread(target=serve_hints, args=(3, 4, log), daemon=True)
        t.start()
        serve_preimages(5, 6, store)
        t.join(timeout=2)
        if log:
            log.close()
        return 0
    cmd = argv[i + 1:]
    if not cmd:
        sys.stderr.write("pyhost: error: no command\n")
        return 126
    hint_req_r, hint_req_w = os.pipe()    # guest writes fd 4
    hint_resp_r, hint_resp_w = os.pipe()  # guest reads fd 3
    pre_req_r, pre_req_w = os.pipe()      # guest writes fd 6
    pre_resp_r, pre_resp_w = os.pipe()    # guest reads fd 5
    child_fds = {3: hint_resp_r, 4: hint_req_w, 5: pre_resp_r, 6: pre_req_w}

    def wire():
        # dup onto 3..6 without clobbering a source that already sits on one of them
        tmp = {k: os.dup(v) for k, v in child_fds.items()}
        for k, v in tmp.items():
            os.dup2(v, k)
            os.set_inheritable(k, True)
    log = open(log_path, "w") if log_path else None
    proc = subprocess.Popen(cmd, preexec_fn=wire, close_fds=False)
    for fd in child_fds.values():
        os.close(fd)
    threads = [threading.Thread(target=serve_hints, args=(hint_req_r, hint_resp_w, log), daemon=True),
               threading.Thread(target=serve_preimages, args=(pre_req_r, pre_resp_w, store), daemon=True)]
    for t in threads:
        t.start()
    rc = proc.wait()
    for t in threads:
        t.join(timeout=2)
    if log:
        log.close()
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
