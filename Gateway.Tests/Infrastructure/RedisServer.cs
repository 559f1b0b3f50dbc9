using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>A real redis-server (Debian's) on 127.0.0.1, without persistence, stopped by PID.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly ExternalTool.RunningProcess _process;

    private RedisServer(ExternalTool.RunningProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var port = ExternalTool.FreePort();
        var process = ExternalTool.Start("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode yes");
        var server = new RedisServer(process, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (await server.PingAsync())
            {
                return server;
            }

            await Task.Delay(100);
        }

        server.Dispose();
        throw new InvalidOperationException("redis-server did not start:\n" + process.Output);
    }

    public async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _process.Dispose();
}
