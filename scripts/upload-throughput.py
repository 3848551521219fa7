#!/usr/bin/env python3
"""Upload throughput and the server's peak memory while receiving a 20 MB file.

Starts `jianyan serve` (the binary given, default target/release/jianyan) on a fresh database, logs a staff
account in, sends a 20 MB PDF through the resumable upload (`/api/staff/uploads`, the members' code path
with a staff owner) in 512 KiB chunks, and prints the time, MB/s and the server's VmHWM (peak RSS) from
/proc/<pid>/status before and after. Usage: scripts/upload-throughput.py [path/to/jianyan] [port]
"""
import http.client, json, os, subprocess, sys, tempfile, time

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/jianyan"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 8202
size = 20 * 1024 * 1024
chunk = 512 * 1024

def hwm(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmHWM", "VmRSS")):
                yield line.split(":")[0], int(line.split()[1])

with tempfile.TemporaryDirectory() as folder:
    db = os.path.join(folder, "jianyan.db")
    subprocess.run([binary, "staff", "add", "bench", "--name", "测试", "--db", db],
                   input=b"bench-password-1\n", check=True, capture_output=True)
    server = subprocess.Popen([binary, "serve", "--db", db, "--addr", f"127.0.0.1:{port}",
                               "--static", os.path.join(folder, "none")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port).request("GET", "/api/health")
                break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        origin = {"Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"}
        conn.request("POST", "/api/staff/session", json.dumps({"login": "bench", "password": "bench-password-1"}),
                     {"Content-Type": "application/json", **origin})
        response = conn.getresponse(); response.read()
        cookie = [v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie" and v.startswith("jianyan_staff=")][0]
        headers = {"Cookie": cookie, **origin}
        body = bytearray(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
        body += os.urandom(size - len(body) - 6) + b"\n%%EOF"
        before = dict(hwm(server.pid))
        conn.request("POST", "/api/staff/uploads", json.dumps({"name": "大文件.pdf", "size": size}),
                     {"Content-Type": "application/json", **headers})
        response = conn.getresponse(); upload = json.loads(response.read())
        started = time.monotonic()
        for offset in range(0, size, chunk):
            conn.request("PATCH", f"/api/staff/uploads/{upload['id']}", bytes(body[offset:offset + chunk]),
                         {"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream", **headers})
            response = conn.getresponse(); state = json.loads(response.read())
            assert response.status == 200, (response.status, state)
        elapsed = time.monotonic() - started
        after = dict(hwm(server.pid))
        assert state["complete"], state
        print(f"20 MiB in {size // chunk} chunks of 512 KiB: {elapsed:.2f} s, {size / 1048576 / elapsed:.1f} MiB/s")
        print(f"server VmHWM before {before['VmHWM'] / 1024:.1f} MiB, after {after['VmHWM'] / 1024:.1f} MiB "
              f"(VmRSS after {after['VmRSS'] / 1024:.1f} MiB)")
    finally:
        server.terminate(); server.wait()
