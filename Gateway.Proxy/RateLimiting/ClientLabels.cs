using System.Collections.Concurrent;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Bounded <c>client_id</c> metric labels: a hash of the identity (never the identity itself), and once
/// <see cref="MaxLabels"/> distinct clients have been labelled, every further one shares the label <c>other</c>.
/// </summary>
public sealed class ClientLabels
{
    public const int MaxLabels = 100;

    private readonly ConcurrentDictionary<string, byte> _labels = new(StringComparer.Ordinal);

    public string For(string identity)
    {
        var label = "client-" + ClientIdentity.Hash(identity)[..12];
        if (_labels.ContainsKey(label))
        {
            return label;
        }

        if (_labels.Count >= MaxLabels)
        {
            return "other";
        }

        _labels.TryAdd(label, 0);
        return label;
    }
}
