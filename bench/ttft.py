"""Time to first SSE byte, direct to the upstream and through a proxy, at light load (sequential requests)."""
import socket, statistics, sys, time

def first_byte(port, path, n=200):
    body = b'{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}'
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n").encode() + body
    samples = []
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for i in range(n):
        start = time.perf_counter()
        sock.sendall(request)
        data = b""
        while b"event:" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                raise SystemExit("connection closed")
            data += chunk
        samples.append((time.perf_counter() - start) * 1000)
        while not data.endswith(b"0\r\n\r\n"):
            data += sock.recv(65536)
    sock.close()
    return statistics.median(samples[20:])

direct = first_byte(int(sys.argv[1]), "/v1/messages")
proxied = first_byte(int(sys.argv[2]), "/anthropic/v1/messages")
bare = first_byte(int(sys.argv[3]), "/anthropic/v1/messages")
print(f"TTFT median ms: direct {direct:.3f}, bare YARP {bare:.3f}, gateway {proxied:.3f}; added by the gateway vs direct {proxied - direct:.3f} ms, vs bare YARP {proxied - bare:.3f} ms")
