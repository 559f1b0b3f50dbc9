using System.Net;

namespace Gateway.Transforms.Usage;

/// <summary>
/// The upstream response body as seen through the <see cref="UsageTapStream"/>. Unlike a <c>StreamContent</c> it
/// hands out the tap itself (no read-only wrapper) and has no headers of its own to fill: YARP has already
/// copied the upstream content headers to the client response when response transforms run, and nothing reads
/// them from the replaced content afterwards.
/// </summary>
internal sealed class TapContent(UsageTapStream tap) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => tap.CopyToAsync(stream);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        tap.CopyToAsync(stream, cancellationToken);

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(tap);

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => Task.FromResult<Stream>(tap);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => tap;

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            tap.Dispose();
        }

        base.Dispose(disposing);
    }
}
