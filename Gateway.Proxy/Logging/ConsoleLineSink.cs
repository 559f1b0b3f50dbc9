using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Gateway.Proxy.Logging;

/// <summary>Formatted lines to standard output through one buffered writer, flushed once per batch.</summary>
public sealed class ConsoleLineSink : ILogEventSink, IDisposable
{
    private readonly ITextFormatter _formatter;
    private readonly StreamWriter _out = new(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 64 * 1024) { AutoFlush = false };

    public ConsoleLineSink(ITextFormatter formatter)
    {
        _formatter = formatter;
    }

    public void Emit(LogEvent logEvent) => _formatter.Format(logEvent, _out);

    public void Flush()
    {
        try
        {
            _out.Flush();
        }
        catch (IOException)
        {
            // stdout closed (container shutting down): nothing more can be shown.
        }
    }

    public void Dispose()
    {
        Flush();
        _out.Dispose();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"ConsoleLineSink");
}
