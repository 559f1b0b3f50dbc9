using System.Text.Json;

namespace Gateway.Tests.Infrastructure;

/// <summary>A real Prometheus (Debian's) on 127.0.0.1 scraping the given targets every second.</summary>
public sealed class PrometheusServer : IDisposable
{
    private readonly ExternalTool.RunningProcess _process;
    private readonly string _directory;

    private PrometheusServer(ExternalTool.RunningProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Client { get; }

    public static async Task<PrometheusServer> StartAsync(Uri target, string? rulesFile = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gateway-prometheus", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var rules = rulesFile is null ? string.Empty : $"rule_files:\n  - '{rulesFile}'\n";
        await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            {rules}scrape_configs:
              - job_name: 'model-gateway'
                scrape_interval: 1s
                metrics_path: /metrics
                static_configs:
                  - targets: ['{target.Authority}']
            """);
        var port = ExternalTool.FreePort();
        var process = ExternalTool.Start("prometheus",
            $"--config.file={directory}/prometheus.yml --storage.tsdb.path={directory}/data --web.listen-address=127.0.0.1:{port} --log.level=warn");
        var server = new PrometheusServer(process, directory, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var ready = await server.Client.GetAsync("-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                server.Dispose();
                throw new InvalidOperationException("Prometheus did not become ready:\n" + process.Output);
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Runs an instant query; returns the result array (throws on a query error).</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        var json = await Client.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql));
        var root = JsonDocument.Parse(json).RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"{promql}: {json}");
        }

        return root.GetProperty("data").GetProperty("result");
    }

    /// <summary>Waits until the scrape target is up and has been scraped at least <paramref name="scrapes"/> times.</summary>
    public async Task WaitForScrapesAsync(int scrapes)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var result = await QueryAsync("count_over_time(up{job=\"model-gateway\"}[5m])");
            if (result.GetArrayLength() > 0 && double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= scrapes)
            {
                var up = await QueryAsync("up{job=\"model-gateway\"}");
                if (up[0].GetProperty("value")[1].GetString() == "1")
                {
                    return;
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("Prometheus did not scrape the gateway:\n" + _process.Output + "\n" + await Client.GetStringAsync("api/v1/targets"));
    }

    public void Dispose()
    {
        Client.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
