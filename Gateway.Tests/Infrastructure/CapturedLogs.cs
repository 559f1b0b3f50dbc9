using System.Collections.Concurrent;
using System.Text.Json;
using Gateway.Proxy.Logging;
using Serilog.Core;
using Serilog.Events;

namespace Gateway.Tests.Infrastructure;

/// <summary>A Serilog sink that keeps every line exactly as the gateway formats it.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly GatewayJsonFormatter _formatter = new(new Gateway.Proxy.Sanitization.Sanitizer());
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public string AllText => string.Join(string.Empty, _lines);

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        _formatter.Format(logEvent, writer);
        _lines.Enqueue(writer.ToString());
    }

    /// <summary>Parsed lines whose <c>event</c> equals <paramref name="eventName"/>.</summary>
    public List<JsonElement> Events(string eventName) =>
        _lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("event", out var name) && name.GetString() == eventName)
            .ToList();

    public async Task<JsonElement> WaitForEventAsync(string eventName, TimeSpan? timeout = null, Func<JsonElement, bool>? predicate = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var match = Events(eventName).FirstOrDefault(e => predicate?.Invoke(e) ?? true);
            if (match.ValueKind != JsonValueKind.Undefined)
            {
                return match;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"No '{eventName}' log event within the timeout. Lines:\n{AllText}");
    }
}
