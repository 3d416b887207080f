"""A small IMAP server on 127.0.0.1, in a thread, for tests: the network edge only.

It speaks the part of IMAP4rev1 that ``imaplib`` uses to read a folder (CAPABILITY, LOGIN,
SELECT/EXAMINE, STATUS, UID SEARCH, UID FETCH, NOOP, LOGOUT), so the real client and the
real import run against it. Tests add messages, change UIDVALIDITY, and read ``commands``.
"""

from __future__ import annotations

import re
import socketserver
import threading


class Folder:
    def __init__(self, uid_validity: int = 1):
        self.uid_validity = uid_validity
        self.messages: dict[int, bytes] = {}
        self.next_uid = 1

    def add(self, raw: bytes) -> int:
        uid = self.next_uid
        self.messages[uid] = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        self.next_uid += 1
        return uid

    def renumber(self, uid_validity: int) -> None:
        """What a server does after a rebuild: new UIDVALIDITY, new UIDs from 1."""
        self.uid_validity = uid_validity
        old = [self.messages[uid] for uid in sorted(self.messages)]
        self.messages, self.next_uid = {}, 1
        for raw in old:
            self.add(raw)


def _uid_set(spec: str, highest: int) -> set[int]:
    uids: set[int] = set()
    for part in spec.split(","):
        if ":" in part:
            low, high = part.split(":")
            low_n = highest if low == "*" else int(low)
            high_n = highest if high == "*" else int(high)
            low_n, high_n = min(low_n, high_n), max(low_n, high_n)
            uids.update(range(low_n, high_n + 1))
        else:
            uids.add(highest if part == "*" else int(part))
    return uids


class _Handler(socketserver.StreamRequestHandler):
    server: FakeImapServer

    def send(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        server = self.server
        folder = None
        self.send("* OK [CAPABILITY IMAP4rev1] fake server ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            text = line.decode().rstrip("\r\n")
            tag, _, rest = text.partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            server.commands.append(f"{command} {args}".strip())
            if command == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1")
                self.send(f"{tag} OK CAPABILITY completed")
            elif command == "NOOP":
                self.send(f"{tag} OK NOOP completed")
            elif command == "LOGIN":
                user, password = [a.strip('"') for a in args.split(" ", 1)]
                if (user, password) == (server.user, server.password):
                    self.send(f"{tag} OK LOGIN completed")
                else:
                    self.send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")
            elif command in ("SELECT", "EXAMINE"):
                name = args.strip('"')
                folder = server.folders.get(name)
                if folder is None:
                    self.send(f"{tag} NO Mailbox doesn't exist: {name}")
                    continue
                self.send(f"* {len(folder.messages)} EXISTS")
                self.send("* 0 RECENT")
                self.send(f"* OK [UIDVALIDITY {folder.uid_validity}] UIDs valid")
                self.send(f"* OK [UIDNEXT {folder.next_uid}] Predicted next UID")
                mode = "READ-ONLY" if command == "EXAMINE" else "READ-WRITE"
                self.send(f"{tag} OK [{mode}] {command} completed")
            elif command == "STATUS":
                name = args.split(" ")[0].strip('"')
                known = server.folders[name]
                self.send(f'* STATUS "{name}" (UIDVALIDITY {known.uid_validity})')
                self.send(f"{tag} OK STATUS completed")
            elif command == "UID" and folder is not None:
                self.uid_command(tag, args, folder)
            elif command == "LOGOUT":
                self.send("* BYE logging out")
                self.send(f"{tag} OK LOGOUT completed")
                return
            else:
                self.send(f"{tag} BAD unknown command {command}")

    def uid_command(self, tag: str, args: str, folder: Folder) -> None:
        sub, _, rest = args.partition(" ")
        highest = max(folder.messages, default=0)
        if sub.upper() == "SEARCH":
            match = re.search(r"UID (\S+)", rest, re.I)
            wanted = _uid_set(match.group(1), highest) if match else set(folder.messages)
            found = sorted(uid for uid in wanted if uid in folder.messages)
            self.send("* SEARCH" + "".join(f" {uid}" for uid in found))
            self.send(f"{tag} OK SEARCH completed")
        elif sub.upper() == "FETCH":
            spec, _, _ = rest.partition(" ")
            seqs = {uid: n for n, uid in enumerate(sorted(folder.messages), start=1)}
            for uid in sorted(_uid_set(spec, highest)):
                if uid not in folder.messages:
                    continue
                raw = folder.messages[uid]
                # Some servers send the UID after the body: exercise both orders.
                if uid % 2:
                    self.wfile.write(
                        f"* {seqs[uid]} FETCH (UID {uid} BODY[] {{{len(raw)}}}\r\n".encode()
                    )
                    self.wfile.write(raw + b")\r\n")
                else:
                    self.wfile.write(f"* {seqs[uid]} FETCH (BODY[] {{{len(raw)}}}\r\n".encode())
                    self.wfile.write(raw + f" UID {uid})\r\n".encode())
            self.send(f"{tag} OK FETCH completed")
        else:
            self.send(f"{tag} BAD unknown UID command")


class FakeImapServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    user = "inbox@alices-bakery.example"
    password = "s3cret"

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folders = {"INBOX": Folder(uid_validity=1001)}
        self.commands: list[str] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
