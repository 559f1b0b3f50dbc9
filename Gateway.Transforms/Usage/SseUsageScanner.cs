using System.Buffers;

namespace Gateway.Transforms.Usage;

/// <summary>
/// Reads usage out of a <c>text/event-stream</c> body fed in arbitrary chunks. Lines are split with vectorized
/// searches; only <c>data:</c> lines that can hold usage (or the not-yet-known model) are JSON-parsed, so a
/// content-delta event costs two scans and no allocation.
/// </summary>
internal sealed class SseUsageScanner : IDisposable
{
    private const int MaxLineLength = 1024 * 1024;

    private readonly UsageAccumulator _accumulator;
    private byte[]? _carry;
    private int _carryLength;
    private bool _discardingLine;

    public SseUsageScanner(UsageAccumulator accumulator)
    {
        _accumulator = accumulator;
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Carry(data);
                return;
            }

            if (_discardingLine)
            {
                _discardingLine = false;
            }
            else if (_carryLength > 0)
            {
                Carry(data[..newline]);
                if (!_discardingLine)
                {
                    ProcessLine(_carry.AsSpan(0, _carryLength));
                }

                _discardingLine = false;
            }
            else
            {
                ProcessLine(data[..newline]);
            }

            _carryLength = 0;
            data = data[(newline + 1)..];
        }
    }

    /// <summary>Processes a last line that had no newline (a stream that ended abruptly).</summary>
    public void Finish()
    {
        if (_carryLength > 0 && !_discardingLine)
        {
            ProcessLine(_carry.AsSpan(0, _carryLength));
        }

        _carryLength = 0;
    }

    public void Dispose()
    {
        if (_carry is not null)
        {
            ArrayPool<byte>.Shared.Return(_carry);
            _carry = null;
        }
    }

    private void Carry(ReadOnlySpan<byte> part)
    {
        if (_discardingLine)
        {
            return;
        }

        var needed = _carryLength + part.Length;
        if (needed > MaxLineLength)
        {
            // No provider sends megabyte events; drop the line rather than grow without bound.
            _discardingLine = true;
            _carryLength = 0;
            return;
        }

        if (_carry is null || _carry.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 4096));
            if (_carry is not null)
            {
                _carry.AsSpan(0, _carryLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_carry);
            }

            _carry = larger;
        }

        part.CopyTo(_carry.AsSpan(_carryLength));
        _carryLength = needed;
    }

    private void ProcessLine(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("data:"u8))
        {
            return;
        }

        var payload = line[5..].TrimStart((byte)' ').TrimEnd((byte)'\r');
        if (payload.IsEmpty || payload[0] != (byte)'{')
        {
            return;
        }

        if (HasObjectProperty(payload, "\"usage\""u8)
            || HasObjectProperty(payload, "\"usageMetadata\""u8)
            || payload.IndexOf("\"amazon-bedrock-invocationMetrics\""u8) >= 0
            || (_accumulator.Model is null && payload.IndexOf("\"model"u8) >= 0))
        {
            _accumulator.ScanDocument(payload);
        }
    }

    /// <summary>True when <paramref name="quotedName"/> occurs followed by <c>:</c> and an object (not <c>null</c>).</summary>
    internal static bool HasObjectProperty(ReadOnlySpan<byte> json, ReadOnlySpan<byte> quotedName)
    {
        while (true)
        {
            var at = json.IndexOf(quotedName);
            if (at < 0)
            {
                return false;
            }

            var rest = json[(at + quotedName.Length)..].TrimStart(" \t"u8);
            if (!rest.IsEmpty && rest[0] == (byte)':')
            {
                rest = rest[1..].TrimStart(" \t"u8);
                if (!rest.IsEmpty && rest[0] == (byte)'{')
                {
                    return true;
                }
            }

            json = json[(at + quotedName.Length)..];
        }
    }
}
