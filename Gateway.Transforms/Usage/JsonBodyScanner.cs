using System.Buffers;

namespace Gateway.Transforms.Usage;

/// <summary>
/// Finds the usage objects and model of a JSON body fed in arbitrary chunks, holding only the captured values
/// (never the body): a structural scanner tracks strings and nesting, and copies out just the value of an
/// interesting key. Memory is bounded whatever the body size (embeddings responses can be tens of MB).
/// </summary>
internal sealed class JsonBodyScanner : IDisposable
{
    private const int MaxKeyLength = 48;
    private const int MaxCaptureLength = 64 * 1024;

    private readonly UsageAccumulator _accumulator;
    private readonly byte[] _key = new byte[MaxKeyLength];
    private int _keyLength;
    private bool _collectingKey;
    private bool _keyComplete;
    private bool _inString;
    private bool _escape;
    private CaptureKind _pending;
    private CaptureKind _capturing;
    private int _captureDepth;
    private byte[]? _capture;
    private int _captureLength;

    public JsonBodyScanner(UsageAccumulator accumulator)
    {
        _accumulator = accumulator;
    }

    private enum CaptureKind
    {
        None,
        Usage,
        Model,
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            if (_inString)
            {
                if (!_escape && _capturing == CaptureKind.None && !_collectingKey)
                {
                    // Fast path through string contents that nobody needs (the bulk of any completion).
                    var skip = data[i..].IndexOfAny((byte)'"', (byte)'\\');
                    if (skip < 0)
                    {
                        return;
                    }

                    i += skip;
                }

                var c = data[i++];
                Append(c);
                if (_escape)
                {
                    _escape = false;
                    continue;
                }

                if (c == (byte)'\\')
                {
                    _escape = true;
                }
                else if (c == (byte)'"')
                {
                    _inString = false;
                    if (_collectingKey)
                    {
                        _collectingKey = false;
                        _keyComplete = true;
                    }
                    else if (_capturing == CaptureKind.Model)
                    {
                        FinishCapture();
                    }
                }
                else if (_collectingKey)
                {
                    if (_keyLength < MaxKeyLength)
                    {
                        _key[_keyLength] = c;
                    }

                    _keyLength++;
                }

                continue;
            }

            var b = data[i++];
            if (b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                Append(b);
                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    _inString = true;
                    if (_pending == CaptureKind.Model)
                    {
                        StartCapture(CaptureKind.Model, b);
                    }
                    else
                    {
                        Append(b);
                        if (_capturing == CaptureKind.None)
                        {
                            _collectingKey = true;
                            _keyLength = 0;
                        }
                    }

                    _keyComplete = false;
                    _pending = CaptureKind.None;
                    break;
                case (byte)':':
                    Append(b);
                    if (_keyComplete && _capturing == CaptureKind.None && _keyLength <= MaxKeyLength)
                    {
                        var key = _key.AsSpan(0, _keyLength);
                        _pending = UsageFieldNames.IsUsageContainer(key) ? CaptureKind.Usage
                            : UsageFieldNames.IsModel(key) && _accumulator.Model is null ? CaptureKind.Model
                            : CaptureKind.None;
                    }

                    _keyComplete = false;
                    break;
                case (byte)'{':
                    if (_pending == CaptureKind.Usage)
                    {
                        StartCapture(CaptureKind.Usage, b);
                        _captureDepth = 1;
                    }
                    else
                    {
                        Append(b);
                        if (_capturing == CaptureKind.Usage)
                        {
                            _captureDepth++;
                        }
                    }

                    _pending = CaptureKind.None;
                    _keyComplete = false;
                    break;
                case (byte)'}':
                    Append(b);
                    if (_capturing == CaptureKind.Usage && --_captureDepth == 0)
                    {
                        FinishCapture();
                    }

                    _pending = CaptureKind.None;
                    _keyComplete = false;
                    break;
                default:
                    Append(b);
                    _pending = CaptureKind.None;
                    _keyComplete = false;
                    break;
            }
        }
    }

    public void Dispose()
    {
        if (_capture is not null)
        {
            ArrayPool<byte>.Shared.Return(_capture);
            _capture = null;
        }
    }

    private void StartCapture(CaptureKind kind, byte first)
    {
        _capture ??= ArrayPool<byte>.Shared.Rent(1024);
        _capturing = kind;
        _captureLength = 0;
        Append(first);
    }

    private void Append(byte b)
    {
        if (_capturing == CaptureKind.None)
        {
            return;
        }

        if (_captureLength == _capture!.Length)
        {
            if (_captureLength >= MaxCaptureLength)
            {
                // A "usage" value this large is not a usage block: stop capturing, keep scanning.
                _capturing = CaptureKind.None;
                return;
            }

            var larger = ArrayPool<byte>.Shared.Rent(_capture.Length * 2);
            _capture.AsSpan(0, _captureLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_capture);
            _capture = larger;
        }

        _capture[_captureLength++] = b;
    }

    private void FinishCapture()
    {
        var kind = _capturing;
        _capturing = CaptureKind.None;
        var value = _capture.AsSpan(0, _captureLength);
        if (kind == CaptureKind.Usage)
        {
            _accumulator.ScanUsageObject(value);
        }
        else
        {
            _accumulator.ScanModelString(value);
        }
    }
}
