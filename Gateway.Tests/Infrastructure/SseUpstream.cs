using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A provider stand-in on 127.0.0.1 whose responses are scripted as timed writes, for what WireMock cannot
/// express: pauses inside a stream, dropped connections, and observing the client going away.
/// </summary>
public sealed class SseUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SseUpstream(WebApplication app)
    {
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = address + "/";
    }

    public string Url { get; }

    /// <summary>Requests seen: path and headers.</summary>
    public ConcurrentQueue<(string Path, IHeaderDictionary Headers)> Requests { get; } = new();

    public TaskCompletionSource ClientGone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<SseUpstream> StartAsync(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls=http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        SseUpstream? self = null;
        app.Run(async context =>
        {
            self!.Requests.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers));
            context.RequestAborted.Register(() => self.ClientGone.TrySetResult());
            await handler(context);
        });
        await app.StartAsync();
        self = new SseUpstream(app);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
